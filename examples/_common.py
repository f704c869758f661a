"""What the example scripts share: the ``--out`` option and optional matplotlib charts.

matplotlib is an optional extra (``pip install "nkru[plot]"``); without it the
examples print their results and say how to get the charts.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NO_MATPLOTLIB = 'No chart: matplotlib is not installed. Get the charts with: pip install "nkru[plot]"'
SOURCE_NOTE = "Source: nkru seed dataset (document 000_915295fa7ca42148), figures as stated in the text"


def make_parser(description: str) -> argparse.ArgumentParser:
    """Return an argument parser with ``--out FOLDER`` (default ``./nkru-output``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--out", type=Path, default=Path("nkru-output"), help="folder for the PNG charts (default: ./nkru-output)"
    )
    return parser


def pyplot() -> Any | None:
    """Return matplotlib.pyplot on the file-only Agg backend, or None when matplotlib is missing."""
    try:
        import matplotlib as mpl  # noqa: PLC0415 - optional dependency, imported only when charts are drawn
    except ImportError:
        return None
    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415 - after choosing the backend

    return plt


def save(figure: Any, out: Path, name: str) -> Path:
    """Write ``figure`` as ``out/name`` (creating ``out``), close it, and say where it went."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    figure.savefig(path, dpi=120, bbox_inches="tight")
    figure.clear()
    import matplotlib.pyplot as plt  # noqa: PLC0415 - only reached when matplotlib is present

    plt.close(figure)
    print(f"Chart written to {path}")
    return path


def millions(value: float) -> str:
    """Write an amount of US dollars in millions for a label: 172300000.0 is '$172.3M'."""
    text = f"{value / 1e6:,.2f}".rstrip("0").rstrip(".")
    return f"${text}M"


def thousands(axes: Any) -> None:
    """Label the y axis with thousands separators (35,000, not 35000)."""
    from matplotlib.ticker import StrMethodFormatter  # noqa: PLC0415 - only reached when matplotlib is present

    axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
