"""``python -m nkru``: the same as the ``nkru`` command (see :mod:`nkru.cli`)."""

from __future__ import annotations

import sys

from nkru.cli import main

if __name__ == "__main__":  # pytest --doctest-modules imports this module too
    sys.exit(main())
