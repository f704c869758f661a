"""From a source to bytes Arrow can parse: files, gzip, encoding, JSON, and where a bad record is.

Arrow parses the CSV (multithreaded, each column with an explicit type, in
:mod:`~nkru.io.comtrade._arrow`); nothing here splits records by hand. Line
numbers are needed only to report a problem, so they are found only then, by
re-reading the text and its quotes as the :mod:`csv` module and Arrow read them
(:func:`record_lines`, :func:`structure_problems`).

Two ways through. The fast one (:func:`fast_csv`, then
:func:`~nkru.io.comtrade._arrow.arrow_columns`), for a plain CSV file in UTF-8
or cp1252 (what Comtrade publishes): Arrow reads the bytes as they are, from
the file itself when there is one; the file is scanned once, in blocks, only
to decide its encoding. The general one (:func:`load`, then
:func:`~nkru.io.comtrade._arrow.arrow_frame`) decodes the whole text to UTF-8
first, and is what reports problems: the reader takes it whenever the fast one
meets anything it does not expect, so that every message is the same whichever
way a file would have gone.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, NamedTuple, NoReturn

import numpy as np

from nkru._core.tables import Problems, TableInput, open_source
from nkru._core.text import shown
from nkru.errors import ValidationError
from nkru.table.columns import IntArray

__all__ = [
    "Csv",
    "Fast",
    "Raw",
    "codec_of",
    "fast_csv",
    "header",
    "load",
    "raw_source",
    "record_lines",
    "structure_problems",
]

_BOM: Final = b"\xef\xbb\xbf"
#: A line break as the records' reader counts lines (bytes.splitlines: LF, CR or CRLF).
_LINE_BREAK: Final = re.compile("\r\n|\r|\n")
_GZIP: Final = b"\x1f\x8b"
#: How much of the file's start is parsed to find the header and the first record.
_HEAD: Final = 1 << 20
#: How much of an open file is read at a time, to stop an endless stream.
_READ_BLOCK: Final = 16 << 20
#: The longest line an open file may give: more means an endless stream, or an unbalanced quote.
_MAX_LINE: Final = 64 << 20
#: The bytes cp1252 leaves undefined: text holding one is no cp1252.
_NOT_CP1252: Final = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
#: The first byte that is not ASCII white space (what ``bytes.lstrip`` strips).
_NOT_BLANK: Final = re.compile(rb"\S")


class Raw(NamedTuple):
    """A source, opened: the bytes it gave, or a regular file left for Arrow to read itself."""

    source: Any
    """The source as given (a path, for a regular file)."""
    data: bytes | bytearray | None
    """Its bytes (None for a regular file, read where it lies)."""
    given_text: bool
    """It gave text (``str``), here as UTF-8 bytes."""


def codec_of(encoding: str | None) -> str | None:
    """Python's name of ``encoding``; None for None.

    Raises:
        ValidationError: ``encoding`` names no codec.
    """
    if encoding is None:
        return None
    try:
        return codecs.lookup(encoding).name
    except (LookupError, TypeError):
        raise ValidationError("encoding", encoding, "is not a text encoding Python knows") from None


def raw_source(source: TableInput | bytes | bytearray, problems: Problems, max_rows: int | None) -> Raw:
    """Open a source: a regular file stays where it is, bytes (or a bytearray) are read in place, anything else whole.

    Raises:
        StructureError: the source cannot be opened, or a stream runs on past the limits (see :func:`load`).
    """
    if isinstance(source, (bytes, bytearray)):  # a bytearray is read in place by the fast way (no copy)
        return Raw(source, source, given_text=False)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source and "\r" not in source):
        try:
            regular = stat.S_ISREG(Path(source).stat().st_mode)
        except (OSError, ValueError, TypeError):
            regular = False  # open_source says why, in nkru's words
        if regular:
            return Raw(source, None, given_text=False)
    with open_source(source, "TradeTable") as opened:
        block = opened if isinstance(opened, str) else _read(opened, problems, max_rows)
        if isinstance(block, str):
            return Raw(source, _utf8(block, problems), given_text=True)
        return Raw(source, bytes(block), given_text=False)


class Fast(NamedTuple):
    """A CSV file Arrow can read as it is: where from, its first bytes, and how its text cells decode."""

    source: Any
    """A path, or the bytes."""
    head: bytes
    """The start of the text, after any byte-order mark."""
    codec: str
    """How each distinct text cell is decoded, ``utf-8`` or ``cp1252``."""
    encoding: str | None
    """The encoding the table reports (None for text given as ``str``)."""


def fast_csv(raw: Raw, codec: str | None) -> Fast | None:
    """The fast way through for a plain CSV file in UTF-8 or cp1252; None if the general one must read it.

    The general way (:func:`load`) takes gzip, JSON, other encodings, an empty
    file, and text that is no UTF-8 nor cp1252 (and says why). The file is
    scanned once, in blocks, to choose the encoding as :func:`load` would;
    nothing of it is kept but its first block.
    """
    if codec not in (None, "utf-8", "cp1252") or (raw.given_text and codec is not None):
        return None
    scanned = _scan(raw, codec)
    if scanned is None:
        return None
    first, utf8 = scanned
    bom = first.startswith(_BOM)
    head = first[len(_BOM) :] if bom else first
    head = bytes(head[:_HEAD])  # a bytearray's start, as bytes
    if raw.given_text:
        return Fast(raw.data, head, "utf-8", None)
    if utf8:
        return Fast(raw.source if raw.data is None else raw.data, head, "utf-8", "utf-8-sig" if bom else "utf-8")
    if bom:  # cp1252 would read the mark as three letters of the first name: the general way
        return None
    return Fast(raw.source if raw.data is None else raw.data, bytes(first[:_HEAD]), "cp1252", "cp1252")


def _scan(raw: Raw, codec: str | None) -> tuple[bytes | bytearray, bool] | None:  # noqa: C901 - two encodings, block by block
    """The first block and whether the text is UTF-8 (else it is cp1252); None if neither, or not plain CSV."""
    first: bytes | bytearray = b""
    utf8, cp1252, pending = codec != "cp1252", codec != "utf-8", False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for block in _blocks(raw):
            if not first:
                first = block
                start = _NOT_BLANK.search(first, len(_BOM) if first.startswith(_BOM) else 0)  # no copy of the block
                if first.startswith(_GZIP) or start is None or start.group() in (b"{", b"["):
                    return None  # gzip, JSON, or nothing but blanks so far: the general way
            ascii_only = block.isascii()
            if utf8 and (pending or not ascii_only):
                try:
                    decoder.decode(block)
                    pending = bool(decoder.getstate()[0])
                except UnicodeDecodeError:
                    utf8 = False
            if cp1252 and not ascii_only and any(byte in block for byte in _NOT_CP1252):
                cp1252 = False
            if not utf8 and not cp1252:
                return None
    except OSError:
        return None  # the general way opens it again, and says why it cannot
    if not first:
        return None  # an empty file: the general way says so
    if utf8 and pending:
        utf8 = False  # the text ends inside a character
        if not cp1252:
            return None
    return first, utf8


def _blocks(raw: Raw) -> Iterator[bytes | bytearray]:
    """The source's bytes in blocks of :data:`_READ_BLOCK`."""
    if raw.data is not None:
        data, start = raw.data, 0
        while start < len(data):
            # A cut of bytes is a copy: a last piece of less than _HEAD rides with the block before it, so that
            # bytes of one block and a little more (a partition of nkru.dask and its header) are scanned as they are.
            stop = start + _READ_BLOCK if len(data) - start - _READ_BLOCK >= _HEAD else len(data)
            yield data if start == 0 and stop == len(data) else data[start:stop]
            start = stop
        return
    with open(raw.source, "rb") as handle:  # noqa: PTH123 - any os.PathLike
        while block := handle.read(_READ_BLOCK):
            yield block


class Loaded(NamedTuple):
    """What a source holds: CSV bytes (UTF-8), or JSON records already parsed."""

    data: bytes | None
    records: Any
    encoding: str | None
    compressed: bool


def load(opened: Raw, codec: str | None, problems: Problems, max_rows: int | None) -> Loaded:
    """Read a source whole, decompress gzip, and decode its text to UTF-8 bytes (or parse its JSON).

    An open file is read in blocks, so that an endless stream ends in an error:
    after more than twice ``max_rows`` line breaks (rows, and a line break
    inside a quoted cell for each), or a line of more than 64 MiB.

    Raises:
        StructureError: the source cannot be opened or decoded, its JSON is
            broken, or a stream runs on past the limits.
    """
    given_text = opened.given_text
    if opened.data is not None:
        raw = bytes(opened.data)  # the general way works on bytes: a bytearray is copied (a file with a problem)
    else:
        with open_source(opened.source, "TradeTable") as handle:
            block = handle if isinstance(handle, str) else _read(handle, problems, max_rows)
            given_text = isinstance(block, str)
            raw = _utf8(block, problems) if isinstance(block, str) else bytes(block)
    compressed = raw.startswith(_GZIP)
    if compressed:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            problems.fail("$", f"the file looks gzip-compressed but cannot be decompressed: {exc}")
    if given_text and codec is None:
        data, used = raw.removeprefix(_BOM), None
    else:
        data, used = _decoded(raw, codec, problems)
    start = data.lstrip()[:1]
    if start in (b"{", b"["):
        try:
            return Loaded(None, json.loads(data), used, compressed)
        except (ValueError, RecursionError) as exc:
            problems.fail("$", f"is not valid JSON: {shown(str(exc), 120)}")
    return Loaded(data, None, used, compressed)


def _read(stream: Any, problems: Problems, max_rows: int | None) -> str | bytes:
    """Everything an open file gives, in blocks, stopping a stream that runs on past the limits."""
    blocks: list[Any] = []
    breaks = since_break = 0
    limit = None if max_rows is None else 2 * max_rows + 2
    while block := stream.read(_READ_BLOCK):
        blocks.append(block)
        newline = "\n" if isinstance(block, str) else b"\n"
        found = block.count(newline)
        breaks += found
        since_break = len(block) - 1 - block.rfind(newline) if found else since_break + len(block)
        if limit is not None and breaks > limit:
            _too_many_rows(blocks, breaks, max_rows, problems)
        if since_break > _MAX_LINE:
            problems.fail(f"line {breaks + 1}", f"a line runs on for more than {_MAX_LINE:,} bytes")
    if not blocks:
        return b""
    return "".join(blocks) if isinstance(blocks[0], str) else b"".join(blocks)


def _too_many_rows(blocks: list[Any], breaks: int, max_rows: int | None, problems: Problems) -> NoReturn:
    """Stop a stream past ``max_rows``, naming the first record past it as a file's bytes would be named."""
    data = "".join(blocks).encode("utf-8", "surrogatepass") if isinstance(blocks[0], str) else b"".join(blocks)
    lines = record_lines(data)
    if max_rows is not None and len(lines) > max_rows:
        problems.fail(f"line {int(lines[max_rows])}", f"the file has more than max_rows={max_rows} rows")
    problems.fail(f"line {breaks}", f"the file has more line breaks than max_rows={max_rows} rows can hold")


def _utf8(text: str, problems: Problems) -> bytes:
    """Text as UTF-8 bytes; a lone surrogate (no character at all) is named by its line."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = len(text[: exc.start].splitlines()) + (
            1 if not text[: exc.start] or text[exc.start - 1] in "\r\n" else 0
        )
        problems.fail(f"line {line}", f"holds {text[exc.start]!r}, a lone surrogate, which is no character")


def _decoded(raw: bytes, codec: str | None, problems: Problems) -> tuple[bytes, str]:
    """UTF-8 bytes of ``raw`` and the encoding used: ``codec``, else UTF-8 (BOM or not), else cp1252."""
    if codec is None or codec == "utf-8":
        bom = raw.startswith(_BOM)
        data = raw[len(_BOM) :] if bom else raw
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if codec is not None:
                problems.fail(_at(data, exc.start), "is not utf-8 text")
            return _decoded(raw, "cp1252", problems)
        return data, "utf-8-sig" if bom else "utf-8"
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        what = "is neither UTF-8 nor cp1252 text; give encoding=" if codec == "cp1252" else f"is not {codec} text"
        problems.fail(_at(raw, exc.start), what)
    return text.removeprefix("\ufeff").encode("utf-8", "surrogatepass"), codec


def _at(data: bytes, offset: int) -> str:
    """``line N, byte M`` of a byte offset (any line break counts, as in the file)."""
    before = data[:offset]
    line = len(before.splitlines()) + (1 if not before or before.endswith((b"\n", b"\r")) else 0)
    return f"line {line}, byte {offset}"


class Csv(NamedTuple):
    """A CSV file's header, delimiter, and whether its records end with an empty trailing field."""

    names: list[str]
    delimiter: str
    trailing: bool


def header(data: bytes, problems: Problems, codec: str = "utf-8") -> Csv:
    """Read the header (line 1) and look at the first record for a trailing empty field.

    Raises:
        StructureError: no header, a header the :mod:`csv` module cannot read, or a header that is not
            line 1 alone (blank, or a quote running past it: Arrow skips line 1 alone, so every line number
            after it would be wrong).
    """
    head = data[:_HEAD].decode(codec, "ignore")  # a character cut at the end does not matter here
    delimiter = delimiter_of(head)
    line_one = _LINE_BREAK.split(head, maxsplit=1)[0]
    if not line_one.strip() and head.strip():
        problems.fail("line 1", "is blank, but a Comtrade file's header (its column names) must be its first line")
    if _ends_quoted(line_one.encode(codec, "ignore"), delimiter.encode(), inside=False)[0]:
        problems.fail("line 1", "a quoted column name is not closed on the header's line (an unbalanced quote)")
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if row:
                rows.append(row)
            if len(rows) == 2:
                break
    except csv.Error as exc:
        if not rows:
            problems.fail("line 1", f"not valid CSV: {str(exc).partition(' - ')[0]}")
    if not rows:
        problems.fail("line 1", "the file is empty; expected a header of Comtrade columns")
    names = [name.strip() for name in rows[0]]
    trailing = len(rows) > 1 and len(rows[1]) == len(names) + 1 and rows[1][-1] == "" and names[-1] != ""
    return Csv(names, delimiter, trailing)


def delimiter_of(head: str) -> str:
    """The delimiter a file's first line shows: a tab if it has tabs and no comma, else a comma."""
    first_line = head.split("\n", 1)[0]
    return "\t" if "\t" in first_line and "," not in first_line else ","


def record_lines(data: bytes, delimiter: str | None = None) -> IntArray:
    """The line each data record starts on (the header is line 1), found by re-reading the text.

    A record runs on over line breaks inside quotes; blank lines hold no
    record. Only a problem's line is ever needed, so this runs only then.
    """
    return np.array([line for line, _fields, _record in _records(data, delimiter)][1:], dtype=np.int64)


def _records(data: bytes, delimiter: str | None = None) -> Iterator[tuple[int, int, bytes]]:
    """Each non-blank record, the line it starts on and its fields; a last record whose quote never closes ends in a quote."""
    split = (delimiter or delimiter_of(data[:_HEAD].decode("utf-8", "ignore"))).encode()
    start, inside, fields = 0, False, 0
    parts: list[bytes] = []
    for number, line in enumerate(data.splitlines(keepends=True), 1):
        if not inside:
            if not line.strip(b"\r\n"):
                continue
            start, parts, fields = number, [], 1
        parts.append(line)
        inside, more = _ends_quoted(line, split, inside=inside)
        fields += more
        if not inside:
            yield start, fields, b"".join(parts)
    if inside:
        yield start, fields, b"".join(parts) + b"\x00unclosed"


def _ends_quoted(line: bytes, delimiter: bytes, *, inside: bool) -> tuple[bool, int]:
    """Whether a line ends inside a quoted field, given whether it starts in one, and its delimiters outside quotes.

    As the :mod:`csv` module and Arrow read a record: a quote opens a quoted
    field only where the field starts (the record's start or just after a
    delimiter), a doubled quote inside one is a quote, and any other quote is
    text. The loop runs once a quote, not once a character.
    """
    fields, at = 0, 0
    while True:
        quote = line.find(b'"', at)
        if inside:
            if quote < 0:
                return True, fields
            if line[quote + 1 : quote + 2] == b'"':
                at = quote + 2  # a quote, doubled
                continue
            inside, at = False, quote + 1
            continue
        if quote < 0:
            return False, fields + line.count(delimiter, at)
        fields += line.count(delimiter, at, quote)
        inside = quote == 0 or line[quote - 1 : quote] == delimiter
        at = quote + 1


def structure_problems(data: bytes, layout: Csv, problems: Problems, arrow_reason: str) -> None:
    """Report each record whose field count is wrong, or the quote never closed, by line; then raise.

    Raises:
        StructureError: always (Arrow refused the file; this says where and why).
    """
    counts: list[tuple[int, int]] = []
    unclosed = None
    for line, fields, record in _records(data, layout.delimiter):
        if record.endswith(b"\x00unclosed"):
            unclosed = line
            break
        if line > 1:
            counts.append((line, fields))
    if layout.trailing:  # the first record had a trailing field; if most records have none, it was the odd one
        plain = sum(1 for _line, fields in counts if fields == len(layout.names))
        if 2 * plain > len(counts):
            layout = layout._replace(trailing=False)
    expected = len(layout.names) + (1 if layout.trailing else 0)
    for line, fields in counts:
        if fields != expected:
            problems.add(f"line {line}", _count_reason(layout, fields))
    if unclosed is not None:
        problems.add(f"line {unclosed}", "a quoted field is never closed (an unbalanced quote)")
    line = counts[-1][0] if counts else 1
    if not problems.found:
        problems.add(f"line {line}", f"not valid CSV: {shown(arrow_reason, 120)}")
    problems.raise_if_any()


def _count_reason(layout: Csv, found: int) -> str:
    names = len(layout.names)
    if layout.trailing:
        return (
            f"expected {names + 1} fields ({names} columns and the empty trailing field after "
            f"{shown(layout.names[-1])} that the first record has), found {found}"
        )
    return f"expected {names} fields as in the header, found {found}"
