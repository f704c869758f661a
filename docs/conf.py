"""Sphinx configuration for nkru's documentation.

Build the pages with ``sphinx-build -W --keep-going -b html docs docs/_build/html``
and run their examples with ``sphinx-build -W -b doctest docs docs/_build/doctest``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nkru

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

project = "nkru"
author = "The nkru developers"
copyright = "2025, The nkru developers"
release = nkru.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    # Type hints in the API reference come from autodoc itself (autodoc_typehints below): in
    # Sphinx 9 "sphinx.ext.autodoc.typehints" is a module autodoc loads itself, with no setup() to list.
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "nkru_docs",  # _ext/nkru_docs.py: writes the data reference and the consistency report at build time
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "_inventories", "_ext", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"nkru {release}"

# -- API reference ----------------------------------------------------------------------------
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_preserve_defaults = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# -- Doctests ---------------------------------------------------------------------------------
# The doctest builder runs the ```{doctest}``` blocks of the narrative pages. Docstring examples
# that autodoc pulls in are not run a second time here: pytest runs them with
# --doctest-modules in each module's own namespace, which the doctest builder does not have.
doctest_test_doctest_blocks = ""
# The real Comtrade downloads of the shared data folder beside the checkout (../shared); the
# comtrade page's examples on them are skipped where it is absent (a user's clone has none), with
# ":skipif: not SHARED_COMTRADE.is_dir()", which Sphinx evaluates after this set-up.
_SHARED_COMTRADE = HERE.parent.parent / "shared" / "data" / "comtrade"
# EXAMPLE_DATA: the repository's examples/data, whose synthetic Comtrade sample is always there.
_EXAMPLE_DATA = HERE.parent / "examples" / "data"
doctest_global_setup = (
    f"import nkru\nfrom pathlib import Path\nSHARED_COMTRADE = Path({str(_SHARED_COMTRADE)!r})\n"
    f"EXAMPLE_DATA = Path({str(_EXAMPLE_DATA)!r})"
)

# -- Intersphinx: links to Python, attrs, cattrs, pint, pandas and numpy, offline ---------------
# The docs must build with no network but the package registries (CI runs that way), so
# intersphinx cannot download inventories. Each project's objects.inv is shipped in
# docs/_inventories/: update.sh takes them out of Debian's documentation packages
# (python3.11-doc, python-attr-doc, python-cattrs-doc, python-pint-doc, python-pandas-doc) and
# records their versions in VERSIONS. Links go to the online docs of those same versions, so
# every link resolves to the page the inventory describes. numpy has no documentation package in
# Debian 12; numpy.inv is written by make_numpy_inv.py from a short list of numpy's stable URLs.
# A missing inventory only leaves its names unlinked (nitpicky is off), and is reported below.
_INVENTORIES = HERE / "_inventories"
_VERSIONS = {
    line.split()[0]: line.split()[2]
    for line in (_INVENTORIES / "VERSIONS").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def _upstream(name: str) -> str:
    version = _VERSIONS.get(name, "").split("+")[0].split("-")[0]
    major_minor = ".".join(version.split(".")[:2])
    return {
        "python": f"https://docs.python.org/{major_minor}/",
        "attrs": f"https://www.attrs.org/en/{version}/",
        "cattrs": f"https://catt.rs/en/v{version}/",
        "pint": f"https://pint.readthedocs.io/en/{version}/",
        "pandas": f"https://pandas.pydata.org/pandas-docs/version/{version}/",
        "numpy": "https://numpy.org/doc/stable/",
    }[name]


intersphinx_mapping = {}
for _name in ("python", "attrs", "cattrs", "pint", "pandas", "numpy"):
    _inventory = _INVENTORIES / f"{_name}.inv"
    if _inventory.exists():
        intersphinx_mapping[_name] = (_upstream(_name), str(_inventory))
    else:
        print(f"nkru docs: no {_inventory}; {_name} names stay unlinked", file=sys.stderr)  # noqa: T201
intersphinx_timeout = 1
