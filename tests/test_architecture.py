"""The architecture is checked, not hoped for: import contracts that can fail, and a map that stays true."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is a dev dependency")


def _lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with nkru's contracts on the package found under ``source_root``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PYTHONPATH": str(source_root), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of src/nkru under ``tmp_path`` whose ``module`` (a path in the package) starts with ``line``."""
    shutil.copytree(ROOT / "src" / "nkru", tmp_path / "nkru", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "nkru" / module
    text = target.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    target.write_text(head + sep + line + "\n" + rest, encoding="utf-8")
    return tmp_path


class TestContracts:
    def test_the_tree_keeps_every_contract(self) -> None:
        result = _lint_imports(ROOT / "src")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 broken" in result.stdout

    @pytest.mark.parametrize(
        ("module", "line", "broken"),
        [
            # the model importing the command line: a layer inversion
            ("units.py", "import nkru.cli", "Layers: formats and CLI over engines"),
            # one package reaching into another's private module
            ("aggregate/__init__.py", "import nkru.parsing._lexer", "Private modules are imported only inside"),
            # a private module importing the package that holds it: a hidden cycle
            ("fx/_index.py", "import nkru.fx", "The modules inside nkru.fx never import nkru.fx itself"),
        ],
    )
    def test_a_violating_import_breaks_a_contract(self, tmp_path: Path, module: str, line: str, broken: str) -> None:
        result = _lint_imports(_copy_with(tmp_path, module, line))
        assert result.returncode == 1, result.stdout + result.stderr
        broken_lines = [text for text in result.stdout.splitlines() if " BROKEN" in text]
        assert any(text.startswith(broken) for text in broken_lines), result.stdout


def test_the_architecture_map_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "import_map.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
