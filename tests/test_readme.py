"""The README's Python example runs and shows what it says."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_readme_has_one_python_example() -> None:
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) == 1
    assert ">>> import nkru" in blocks[0]


def test_readme_example_passes_as_a_doctest() -> None:
    (block,) = python_blocks(README.read_text(encoding="utf-8"))
    test = doctest.DocTestParser().get_doctest(block, {}, "README.md", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted == len(test.examples) > 5
    assert result.failed == 0


def test_readme_setup_commands_use_the_dev_extra() -> None:
    text = README.read_text(encoding="utf-8")
    main_job = 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]" && .venv/bin/nkru summary'
    tests = 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]" && .venv/bin/pytest'
    assert main_job in text
    assert tests in text
