"""A Sphinx extension that writes the pages generated from nkru's data, at the start of each build.

- ``_generated/records.md``: every record of :func:`nkru.load_seed_dataset`, with
  its id, fields, quotes, notes and inferred fields (included by
  ``data-reference.md``);
- ``_generated/consistency.md``: the report of :func:`nkru.check` on that
  dataset (included by ``consistency.md``).

The files are rewritten only when their text changes, so an unchanged dataset
does not make Sphinx rebuild the pages.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

import nkru
from nkru import formatting as _render
from nkru.checks import Severity, check
from nkru.dataset import Dataset
from nkru.records import Record
from nkru.seed import load_seed_dataset

_PUNCTUATION = frozenset(string.punctuation)


def escape(text: str) -> str:
    """Escape ``text`` for Markdown: every ASCII punctuation character is taken literally."""
    return "".join("\\" + char if char in _PUNCTUATION else char for char in " ".join(text.split()))


def _section(title: str, records: Iterable[Record]) -> Iterator[str]:
    records = list(records)
    yield f"## {title} ({len(records)})\n"
    for record in records:
        yield from _record(record)


def _record(record: Record) -> Iterator[str]:
    yield f"(record-{record.id})=\n### `{record.id}`\n"
    yield f"*{escape(_render.record_kind(record))}*: {escape(_render.headline(record))}\n"
    rows = _render.record_fields(record)
    if rows:
        yield "| field | value |\n| --- | --- |"
        yield from (f"| {escape(name)} | {escape(text)} |" for name, text in rows)
        yield ""
    for source in record.sources:
        yield f"> {escape(source.quote)}\n"
        yield f"<small>{escape(source.document)}, characters {source.start}–{source.end}</small>\n"
    if record.notes:
        yield "Notes:\n"
        yield from (f"- {escape(note)}" for note in record.notes)
        yield ""
    if record.inferred:
        inferred = ", ".join(f"`{name}`" for name in record.inferred)
        yield f"Inferred, not stated in the text: {inferred}.\n"


def records_page(dataset: Dataset) -> str:
    """Return the Markdown of every record in ``dataset``, grouped by kind."""
    parts = [
        *_section("Trade flows", dataset.trade_flows),
        *_section("Shipments", dataset.shipments),
        *_section("Events", dataset.events),
        *_section("Claims", dataset.claims),
    ]
    return "\n".join(parts) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _record_link(record_id: str) -> str:
    return f"{{ref}}`{record_id} <record-{record_id}>`"


def consistency_page(dataset: Dataset) -> str:
    """Return the Markdown of the consistency report on ``dataset``: errors, warnings, then what holds."""
    report = check(dataset)
    counts = report.counts
    summary = (
        f"**{_plural(counts[Severity.ERROR], 'error')}, {_plural(counts[Severity.WARNING], 'warning')}, "
        f"{counts[Severity.OK]} confirmed** ({_plural(len(report.findings), 'finding')})."
    )
    lines = [summary, ""]
    titles = ((Severity.ERROR, "Errors"), (Severity.WARNING, "Warnings"), (Severity.OK, "What holds"))
    for severity, title in titles:
        findings = report.of(severity)
        if not findings:
            continue
        lines += [f"## {title} ({len(findings)})", ""]
        for finding in findings:
            records = ", ".join(_record_link(record_id) for record_id in finding.record_ids)
            lines.append(f"- **{escape(finding.rule.value.replace('_', ' '))}**: {escape(finding.message)}")
            if records:
                lines += ["", f"  Records: {records}"]
            for quote in finding.quotes:
                lines += ["", f"  > {escape(quote)}"]
            lines.append("")
    return "\n".join(lines) + "\n"


def _write_if_changed(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(app: Sphinx) -> None:
    """Write the generated pages into ``<srcdir>/_generated``."""
    target = Path(app.srcdir) / "_generated"
    dataset = load_seed_dataset()
    _write_if_changed(target / "records.md", records_page(dataset))
    _write_if_changed(target / "consistency.md", consistency_page(dataset))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the generator with Sphinx."""
    app.connect("builder-inited", generate)
    return {"version": nkru.__version__, "parallel_read_safe": True, "parallel_write_safe": True}
