"""The partitions of a lazy read: which files, which bytes of each, and how one becomes a checked table.

A partition is a whole file (a gzip-compressed bulk file, which cannot be
split, or a Parquet file) or a block of lines of an uncompressed CSV file,
read with the file's header in front. A block is cut after a line break
outside quotes (a quoted field may hold line breaks). Where the cuts go is
found on a worker, by one scan of the file (:func:`cuts`, one task per
file, which the file's block tasks wait for), so that planning a read costs
the client no more than a look at each file's first line; the same scan
decides the file's encoding as the in-memory reader does on the whole file
(UTF-8, else cp1252), and every block is read in it. Each is read by the
in-memory reader, :func:`nkru.io.comtrade.read_comtrade` (or
:meth:`TradeTable.read_parquet <nkru.table.TradeTable.read_parquet>`), so
every row gets the same checks; its problems are reported under the file's
name and the file's own line numbers, counted (only when there is a
problem) from the file's start.
"""

from __future__ import annotations

import codecs
import glob
import gzip
import os
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Final

import attrs
import numpy as np
import numpy.typing as npt

from nkru.errors import FieldError, NkruError, StructureError, ValidationError
from nkru.io.comtrade import read_comtrade
from nkru.table import TradeTable

__all__ = ["Cuts", "Partition", "cuts", "layout_of", "partitions", "read_partition"]

_GZIP: Final = b"\x1f\x8b"
_PARQUET: Final = b"PAR1"
#: The columns that make a header Comtrade Classic's (Comtrade Plus has none of them).
_CLASSIC: Final = frozenset({"Trade Flow Code", "Reporter ISO", "Trade Value (US$)", "Commodity Code"})
#: How much of a file is read at a time to count its lines (only after a problem).
_COUNT_BLOCK: Final = 8 << 20
_LINE: Final = re.compile(r"line (\d+)")
#: The end of a line, as the reader takes it: CR LF, LF, or a lone CR.
_LINE_END: Final = re.compile(rb"\r\n|\n|\r")
#: The longest header looked for (a Comtrade header is a few hundred bytes).
_HEADER_MOST: Final = 1 << 20
#: A quote with no delimiter, line end or other quote on either side (``5" wide``): text to the reader, as it
#: opens no field there, but one more quote to the count that finds where records end. A file holding one is
#: not cut into blocks.
_STRAY_QUOTE: Final = re.compile(rb'[^,\t\r\n"]"[^,\t\r\n"]')
#: How much of a file is read at a time to plan its blocks.
_SCAN_BLOCK: Final = 1 << 20
_BOM: Final = b"\xef\xbb\xbf"
#: The bytes cp1252 leaves undefined: text holding one is no cp1252 (the in-memory reader's rule).
_NOT_CP1252: Final = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


@attrs.frozen
class Partition:
    """One partition of a lazy read: ``path``, and for a block of a CSV file cut in blocks, which one.

    Attributes:
        path: The file.
        index: The partition's position in the read (0 for the first).
        block: Which block of the file (0 for the first); None for the whole file.
        blocksize: The bytes of the file per block (0 for the whole file).
    """

    path: str
    index: int
    block: int | None = None
    blocksize: int = 0


@attrs.frozen
class Cuts:
    """Where the blocks of a CSV file start, and the file's encoding, found by :func:`cuts`.

    Attributes:
        starts: Each block's first byte (0, or the first byte of a record),
            then the file's size: block ``n`` is the bytes ``starts[n]`` to
            ``starts[n + 1]`` (none, if a record runs on over a whole block).
        encoding: The whole file's text encoding, for every block of it; None
            to let the reader decide (and say why it cannot read a block).
    """

    starts: tuple[int, ...]
    encoding: str | None


def partitions(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], blocksize: int | None
) -> tuple[tuple[Partition, ...], str]:
    """The partitions of the files that ``source`` names (a glob, a folder, a file or a list), and their layout.

    An uncompressed CSV file larger than ``blocksize`` gives one partition
    per ``blocksize`` bytes (rounded up); where each starts is found when
    it is read (see :func:`cuts`).

    Raises:
        ValidationError: a glob that matches no file, a bad ``blocksize``.
        StructureError: files of mixed layouts (the first file unlike the
            first one is named), or a file that cannot be opened.
    """
    size: object = blocksize
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1 << 16):
        raise ValidationError("blocksize", blocksize, "must be a whole number of bytes, at least 65536, or None")
    paths = _paths(source)
    layouts = [(path, layout_of(path)) for path in paths]
    first_path, first = layouts[0]
    for path, layout in layouts[1:]:
        if layout != first:
            raise StructureError(
                "TradeTable",
                (FieldError(path, f"is {layout}, but {first_path} is {first}: read files of one layout together"),),
            )
    found: list[Partition] = []
    for path in paths:
        total = Path(path).stat().st_size
        if first in ("plus", "classic") and blocksize is not None and total > blocksize:
            count = -(-total // blocksize)
            found.extend(Partition(path, len(found) + n, n, blocksize) for n in range(count))
        else:
            found.append(Partition(path, len(found)))
    return tuple(found), first


def cuts(path: str, blocksize: int, count: int) -> Cuts:  # noqa: C901 - one scan: the encoding, the cuts, stray quotes
    """Where each block of ``path`` starts, and the file's encoding, from one scan of the file.

    Block ``n`` of ``count`` starts at 0 or at the first record beginning at
    or after byte ``n * blocksize`` (at the file's end if none does): after the first line break with an even number
    of quotes before it in the file (one inside a quoted field has an odd
    number; a doubled quote inside a field counts two). Only the bytes near a
    cut are looked at one by one (with numpy); elsewhere the quotes are
    counted. That count agrees with the reader only where every quote opens,
    closes or doubles a quoted field: a file with a quote inside a field's
    text (``5" wide``, which opens nothing) is not cut, and is read as one
    block. The encoding is the in-memory reader's choice for the whole
    file: UTF-8 if it decodes as UTF-8,
    else cp1252, else None (the reader then says why it cannot read a block).

    Raises:
        StructureError: the file cannot be read.
    """
    block = 1  # the next block whose start is sought
    odd = False  # an odd number of quotes in the bytes before ``offset``
    stray = False  # a quote the count would take for a field's end or start, where the reader takes it for text
    tail = b""  # the last bytes of the piece before, for a stray quote where two pieces meet
    offset = 0
    utf8, cp1252, bom, pending = True, True, False, False
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer = bytearray(_SCAN_BLOCK)  # one buffer, read into again and again: no new memory per piece
    try:
        with Path(path).open("rb", buffering=0) as handle:
            total = os.fstat(handle.fileno()).st_size
            starts = [0] + [total] * count
            while size := handle.readinto(buffer):
                piece = buffer if size == _SCAN_BLOCK else buffer[:size]
                if offset == 0:
                    bom = piece.startswith(_BOM)
                ascii_only = piece.isascii()
                if utf8 and (pending or not ascii_only):
                    try:
                        decoder.decode(piece)
                        pending = bool(decoder.getstate()[0])
                    except UnicodeDecodeError:
                        utf8 = False
                cp1252 = cp1252 and (ascii_only or not any(byte in piece for byte in _NOT_CP1252))
                end = offset + size
                quotes = piece.find(b'"') >= 0  # memchr: much faster than counting where there is none
                stray = stray or _stray_quote(piece, tail, quotes=quotes)
                tail = bytes(piece[-2:])
                if block < count and end > block * blocksize - 1:  # a cut may fall in this piece: its record ends
                    ends = _record_ends(piece, offset, odd=odd, quotes=quotes)
                    while block < count:
                        at = int(np.searchsorted(ends, block * blocksize - 1))
                        if at == len(ends):
                            break  # the record runs on into the next piece
                        starts[block] = min(int(ends[at]) + 1, total)
                        block += 1
                if quotes:
                    odd ^= piece.count(b'"') % 2 == 1
                offset = end
    except OSError as exc:
        raise StructureError("TradeTable", (FieldError(path, f"cannot be read: {exc}"),)) from None
    if stray:  # where records end is not known from the count: the whole file is the first block
        starts = [0] + [total] * count
    # the reader is told "utf-8" also with a byte-order mark: it sees the mark in the header and says utf-8-sig
    encoding = "utf-8" if utf8 and not pending else "cp1252" if cp1252 and not bom else None
    return Cuts(tuple(starts), encoding)


def _stray_quote(piece: bytearray, tail: bytes, *, quotes: bool) -> bool:
    """Whether ``piece`` (which holds a quote if ``quotes``), or where it meets the ``tail`` of the piece before, holds a stray quote."""
    return bool((quotes and _STRAY_QUOTE.search(piece)) or _STRAY_QUOTE.search(tail + piece[:2]))


def _record_ends(piece: bytearray, offset: int, *, odd: bool, quotes: bool) -> npt.NDArray[np.intp]:
    """The file positions of the line breaks in ``piece`` that end a record (outside quotes).

    ``odd``: an odd number of quotes comes before the piece; ``quotes``: the piece holds one.
    """
    data = np.frombuffer(piece, dtype=np.uint8)
    breaks = data == ord("\n")
    if quotes:  # a break ends a record where the quotes before it in the file are even
        breaks &= np.logical_xor.accumulate(data == ord('"')) == odd
    elif odd:
        breaks[:] = False  # every line break here is inside a quoted field
    return np.flatnonzero(breaks) + offset


def _paths(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        if Path(name).is_dir():
            paths = sorted(str(p) for p in Path(name).rglob("*") if p.is_file() and not p.name.startswith("."))
        elif glob.has_magic(name):
            paths = sorted(p for p in glob.glob(name, recursive=True) if Path(p).is_file())  # noqa: PTH207 - Path.glob takes no absolute pattern
        else:
            paths = [name]
        if not paths:
            raise ValidationError("source", name, "matches no file")
        return paths
    if isinstance(source, (list, tuple)) and source and all(isinstance(p, (str, os.PathLike)) for p in source):
        return [os.fspath(p) for p in source]
    raise ValidationError("source", source, "must be a glob, a folder, a file name or a non-empty list of file names")


def layout_of(path: str) -> str:
    """Which layout a file holds, from its first bytes: ``plus``, ``classic``, ``bulk`` or ``parquet``.

    Raises:
        StructureError: the file cannot be opened, or its gzip cannot be read.
    """
    try:
        with Path(path).open("rb") as handle:
            start = handle.read(4)
            handle.seek(0)
            if start.startswith(_GZIP):
                with gzip.open(handle) as unzipped:
                    first = unzipped.readline(1 << 20)
            else:
                first = handle.readline(1 << 20)
    except (OSError, EOFError, zlib.error) as exc:
        raise StructureError("TradeTable", (FieldError(path, f"cannot be read: {exc}"),)) from None
    if start == _PARQUET:
        return "parquet"
    header = first.decode("utf-8", errors="replace")
    names = {name.strip().strip('"') for name in re.split(r"[,\t]", header.lstrip("\ufeff"))}
    if start.startswith(_GZIP) or "\t" in header:
        return "bulk"
    return "classic" if names & _CLASSIC else "plus"


def read_partition(part: Partition, taiwan: bool, where: Cuts | None = None) -> TradeTable:
    """Read one partition into a checked table; a problem is reported under the file's name and line.

    Args:
        part: The partition.
        taiwan: As :func:`nkru.read_comtrade`'s.
        where: For a block of a CSV file, the file's :func:`cuts`.

    Raises:
        StructureError: every bad cell, as the in-memory reader reports it,
            each under ``<file>, line <n>`` (the file's own line).
        NkruError: any other problem, with a note naming the file and partition.
    """
    first_byte = start = 0
    if part.block is not None and where is None:
        raise ValidationError(
            "where", where, f"must be the cuts of {part.path}: partition {part.index} is a block of it"
        )
    try:
        if part.block is None or where is None:
            with Path(part.path).open("rb") as handle:
                magic = handle.read(4)
            if magic == _PARQUET:
                return TradeTable.read_parquet(part.path)
            return read_comtrade(part.path, taiwan=taiwan, max_rows=None)
        start, stop = where.starts[part.block], where.starts[part.block + 1]
        data, first_byte = _block(part.path, start, stop)
        if data is None:
            return read_comtrade(_header(part.path), taiwan=taiwan, encoding=where.encoding)
        return read_comtrade(data, taiwan=taiwan, max_rows=None, encoding=where.encoding)
    except StructureError as exc:
        # the block's first row is its line 2 (after the header); in the file it is line _lines_before(first byte)
        offset = 0 if part.block is None or start == 0 else _lines_before(part.path, first_byte) - 2
        raise StructureError(exc.type_name, tuple(_placed(p, part.path, offset) for p in exc.problems)) from None
    except NkruError as exc:
        exc.add_note(f"while reading {part.path} (partition {part.index})")
        raise


def _header(path: str) -> bytes:
    with Path(path).open("rb") as handle:
        return _first_line(handle)


def _first_line(handle: BinaryIO) -> bytes:
    """The file's first line, with its end: a line feed, a carriage return and line feed, or a lone carriage return.

    The handle is left just after it.
    """
    start = handle.tell()
    head = handle.read(_HEADER_MOST)
    match = _LINE_END.search(head)
    end = len(head) if match is None else match.end()
    handle.seek(start + end)
    return head[:end]


def _block(path: str, start: int, stop: int) -> tuple[bytearray | None, int]:
    """The records from byte ``start`` to ``stop`` with the file's header in front (None if none), and the first byte.

    Read into one bytearray, header first, which the reader reads in place: no second copy of the block.
    """
    with Path(path).open("rb") as handle:
        header = _first_line(handle)
        first = max(start, len(header))
        if first >= stop:
            return None, first
        data = bytearray(len(header) + stop - first)
        data[: len(header)] = header
        handle.seek(first)
        filled = len(header)
        with memoryview(data) as view:
            while filled < len(data) and (size := handle.readinto(view[filled:])):
                filled += size
    del data[filled:]  # the file may be shorter than when the read was planned: the block ends where it does
    return data, first


def _lines_before(path: str, offset: int) -> int:
    """The number of the line that starts at byte ``offset`` of ``path`` (the first line is 1)."""
    count = 1
    with Path(path).open("rb") as handle:
        left = offset
        while left > 0 and (chunk := handle.read(min(_COUNT_BLOCK, left))):
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def _placed(problem: FieldError, path: str, offset: int) -> FieldError:
    """``problem`` under the file's name, its line moved from the block's count to the file's."""
    match = _LINE.match(problem.path)
    if match is None:
        where = path if problem.path == "$" else f"{path}, {problem.path}"
        return FieldError(where, problem.reason)
    line = int(match.group(1))
    moved = line if line == 1 else line + offset
    return FieldError(f"{path}, line {moved}{problem.path[match.end() :]}", problem.reason)
