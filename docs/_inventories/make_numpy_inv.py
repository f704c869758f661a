"""Write numpy.inv, a small Sphinx inventory of the numpy names nkru's API reference mentions.

Debian 12 has no numpy documentation package to take numpy's own objects.inv from
(see update.sh), so this lists the few names nkru's signatures use, each with the
page and anchor it has in numpy's documentation (https://numpy.org/doc/stable/),
and writes them in Sphinx's inventory format, version 2.

Run: python docs/_inventories/make_numpy_inv.py
"""

from __future__ import annotations

import zlib
from pathlib import Path

# name, Sphinx object type, page and anchor under https://numpy.org/doc/stable/
ENTRIES = (
    ("numpy.ndarray", "py:class", "reference/generated/numpy.ndarray.html#numpy.ndarray"),
    ("numpy.dtype", "py:class", "reference/generated/numpy.dtype.html#numpy.dtype"),
    ("numpy.float64", "py:class", "reference/arrays.scalars.html#numpy.float64"),
    ("numpy.int64", "py:class", "reference/arrays.scalars.html#numpy.int64"),
    ("numpy.bool", "py:class", "reference/arrays.scalars.html#numpy.bool"),
    ("numpy.typing.NDArray", "py:data", "reference/typing.html#numpy.typing.NDArray"),
    ("numpy.typing.ArrayLike", "py:data", "reference/typing.html#numpy.typing.ArrayLike"),
    ("numpy.typing.DTypeLike", "py:data", "reference/typing.html#numpy.typing.DTypeLike"),
)


def main() -> None:
    header = "# Sphinx inventory version 2\n# Project: NumPy\n# Version: stable\n"
    header += "# The remainder of this file is compressed using zlib.\n"
    body = "".join(f"{name} {kind} 1 {uri} -\n" for name, kind, uri in ENTRIES)
    target = Path(__file__).with_name("numpy.inv")
    target.write_bytes(header.encode() + zlib.compress(body.encode()))
    print(f"wrote {len(ENTRIES)} names to {target}")  # noqa: T201 - a script reporting what it did


if __name__ == "__main__":
    main()
