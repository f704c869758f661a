"""Report how many examples each fuzz test ran, when ``NKRU_FUZZ_COUNTS`` is set (the long run sets it)."""

from __future__ import annotations

import os

import pytest

from fuzz.junk import EXAMPLES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not os.environ.get("NKRU_FUZZ_COUNTS") or not EXAMPLES:
        return
    terminalreporter.section("examples run per fuzz test")
    for test, examples in sorted(EXAMPLES.items()):
        terminalreporter.write_line(f"{examples:>9,}  {test}")
    terminalreporter.write_line(f"{sum(EXAMPLES.values()):>9,}  in all")
