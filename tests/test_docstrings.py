"""Docstrings that render as written: attributes whose first line napoleon would misread as a type."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "nkru"

#: A single colon outside ``code`` on the first line of an attribute docstring makes napoleon
#: read "type: description" and render "Type: ..." in the API reference (issue 14, item 13).
#: What napoleon itself skips when it looks for that colon: roles (:func:`x`) and code (sphinx's
#: ``_xref_or_code_regex`` in sphinx/ext/napoleon/docstring.py).
_CODE = re.compile(r"(?::(?:[a-zA-Z0-9]+[\-_+:.])*[a-zA-Z0-9]+:`.+?`)|(?:``.+?``)|(?:`.+?`)")
_SINGLE_COLON = re.compile(r"(?<!:):(?!:)")


def _attribute_docstrings() -> list[tuple[str, str]]:
    """(place, docstring) of every documented attribute: an assignment followed by a string, or a property.

    Napoleon reads the first line of each of these as "type: description".
    """
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes: list[tuple[str, list[ast.stmt]]] = [("", tree.body)]
        scopes += [(f"{node.name}.", node.body) for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
        for prefix, body in scopes:
            for target, doc in itertools.pairwise(body):
                if (
                    isinstance(target, ast.Assign | ast.AnnAssign)
                    and isinstance(doc, ast.Expr)
                    and isinstance(doc.value, ast.Constant)
                    and isinstance(doc.value.value, str)
                ):
                    name = ast.unparse(target.targets[0] if isinstance(target, ast.Assign) else target.target)
                    found.append((f"{path.relative_to(SRC)}:{prefix}{name}", doc.value.value))
            for node in body:
                is_property = isinstance(node, ast.FunctionDef) and any(
                    ast.unparse(decorator) in {"property", "functools.cached_property"}
                    for decorator in node.decorator_list
                )
                if is_property and (doc := ast.get_docstring(node, clean=False)):
                    found.append((f"{path.relative_to(SRC)}:{prefix}{node.name}", doc))
    return found


def test_attribute_docstrings_are_collected() -> None:
    names = {name for name, _ in _attribute_docstrings()}
    assert "measures.py:Qualifier.AT_MOST" in names
    assert "checks/_findings.py:Severity.OK" in names
    assert "units.py:ROUBLES" in names
    assert "measures.py:Measure.point" in names


def test_no_attribute_docstring_opens_with_a_type_for_napoleon() -> None:
    misread = [
        name
        for name, doc in _attribute_docstrings()
        if _SINGLE_COLON.search(_CODE.sub("", doc.strip().splitlines()[0]))
    ]
    assert misread == []
