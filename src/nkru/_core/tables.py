"""Reading small CSV tables from hostile text: the shared core of nkru's data tables.

:mod:`nkru.fx` and :mod:`nkru.prices` read their shipped tables and users'
tables through these helpers. Every cell is checked by a bounded grammar of
nkru's own, every problem is reported with its line and column, and nothing
from the file reaches :func:`float` or pint unchecked.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.resources
import io
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, NoReturn, TypeAlias, cast

from nkru._core.text import shown
from nkru.errors import FieldError, StructureError

__all__ = [
    "MAX_PROBLEMS",
    "Problems",
    "TableInput",
    "TableSource",
    "constant_reason",
    "open_source",
    "read_bytes",
    "read_package_text",
    "read_rows",
    "read_text",
    "write_atomically",
    "write_text_atomically",
]

TableInput: TypeAlias = str | os.PathLike[str] | IO[str] | IO[bytes]
"""Where a table is read from, as its text (a ``str`` holding a line break), a path, or an open file.

The Comtrade reader takes files opened in text or binary mode (UTF-8); the
small tables of rates and prices are read whole as text, and refuse a file
opened in binary mode with a :class:`~nkru.errors.StructureError`.
"""

TableSource: TypeAlias = TableInput
"""The former name of :data:`TableInput`, kept for the modules that annotate with it."""

#: Stop collecting problems after this many; a broken million-row file needs no million-line error.
MAX_PROBLEMS: Final = 200
#: Largest table :func:`read_text` reads (bytes of a file, characters of a stream). Rate and price
#: tables are read whole and are kilobytes; a file past this is refused before it fills memory.
MAX_TABLE_BYTES = 64 * 1024 * 1024
#: A file name is shown whole up to this length (a path is rarely longer; junk text may be).
_SHOWN_PATH: Final = 300


class Problems:
    """Collects :class:`~nkru.errors.FieldError` s and raises them together."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name
        self.found: list[FieldError] = []

    def add(self, path: str, reason: str) -> None:
        """Record one problem (silently ignored past :data:`MAX_PROBLEMS`)."""
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(FieldError(path, reason))

    def fail(self, path: str, reason: str) -> NoReturn:
        """Record one more problem and raise every problem found."""
        self.add(path, reason)
        raise StructureError(self.type_name, tuple(self.found))

    def raise_if_any(self) -> None:
        """Raise a :class:`~nkru.errors.StructureError` listing every problem found."""
        if self.found:
            raise StructureError(self.type_name, tuple(self.found))


def constant_reason(reason: str) -> Callable[[int], str]:
    """The reason of a column's bad rows when it is the same for every row (a reader asks one per row).

    >>> constant_reason("is missing")(7)
    'is missing'
    """
    return lambda _row: reason


@contextlib.contextmanager
def open_source(source: object, type_name: str) -> Iterator[str | IO[Any]]:
    """Yield the text of a table given as text, or an open file to read it from.

    A ``str`` containing a line break is the text itself and is yielded as it
    is; any other ``str`` or path-like object names a file, opened in binary
    mode and closed afterwards; an object with ``read`` is an open file,
    yielded as it is (text or binary: the caller checks what it reads).

    Raises:
        StructureError: ``source`` is none of these, or the file cannot be
            opened (no such file, a folder, no permission, a NUL in the name);
            the message names the source.
    """
    problems = Problems(type_name)
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        yield source
        return
    if isinstance(source, (str, os.PathLike)):
        name = shown(str(source), _SHOWN_PATH)
        try:
            handle = open(source, "rb")  # noqa: PTH123, SIM115 - any os.PathLike; closed below
        except (ValueError, TypeError):  # open() refuses a NUL in a name with a bare ValueError
            problems.fail("$", f"{name} is neither CSV text nor a file name")
        except OSError as exc:
            hint = "; CSV text must hold a line break" if isinstance(source, str) else ""
            problems.fail("$", f"cannot open the file {name}: {exc.strerror or exc}{hint}")
        with handle:
            yield handle
        return
    if not callable(getattr(source, "read", None)):
        problems.fail(
            "$", f"expected CSV text (with a line break), a path or an open file, got {type(source).__name__}"
        )
    yield cast("IO[Any]", source)


def read_text(source: TableInput, type_name: str) -> str:
    """Return the CSV text of ``source``, opened by :func:`open_source`.

    A file is read as UTF-8 (a BOM allowed); a stream must give text.

    Raises:
        StructureError: the source cannot be opened (see :func:`open_source`),
            the file is not UTF-8 text, or it is larger than
            :data:`MAX_TABLE_BYTES`.
    """
    problems = Problems(type_name)
    limit = MAX_TABLE_BYTES
    with open_source(source, type_name) as opened:
        if isinstance(opened, str):
            return opened.removeprefix("\ufeff")
        data: object = opened.read(limit + 1)
    if isinstance(source, (str, os.PathLike)) and isinstance(data, bytes):  # a file open_source opened
        name = shown(str(source), _SHOWN_PATH)
        if len(data) > limit:
            problems.fail("$", f"the file {name} is larger than {limit} bytes; a table is read whole")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.fail(f"byte {exc.start}", f"the file {name} is not UTF-8 text")
    if not isinstance(data, str):
        problems.fail("$", f"expected a text file (opened with mode 'r'), got {type(data).__name__}")
    if len(data) > limit:
        problems.fail("$", f"the stream is larger than {limit} characters; a table is read whole")
    return data.removeprefix("\ufeff")


def read_bytes(source: TableInput, type_name: str) -> bytes:
    """Return the bytes of ``source``, opened by :func:`open_source`, for formats that declare their own encoding.

    Text (a ``str`` with a line break) is encoded as UTF-8; a file or a binary
    stream is read whole, up to :data:`MAX_TABLE_BYTES`.

    Raises:
        StructureError: the source cannot be opened (see :func:`open_source`),
            a stream gives text, or the source is larger than :data:`MAX_TABLE_BYTES`.
    """
    problems = Problems(type_name)
    limit = MAX_TABLE_BYTES
    with open_source(source, type_name) as opened:
        if isinstance(opened, str):
            data: object = opened.encode("utf-8")
        else:
            data = opened.read(limit + 1)
    if not isinstance(data, bytes):
        problems.fail("$", f"expected a binary file (opened with mode 'rb'), got {type(data).__name__}")
    if len(data) > limit:
        problems.fail("$", f"the source is larger than {limit} bytes; a table is read whole")
    return data


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> None:
    """Create or replace the file ``path`` with what ``write`` writes to the binary stream it is given.

    ``write`` writes to a temporary file in the same folder, which is synced
    to disk and then renamed over ``path``: an export interrupted by a full
    disk, an error in ``write`` or a Ctrl-C leaves the old file as it was (or
    none) and no temporary file, never a truncated one.

    The file gets the mode a plain ``open(path, "w")`` would give it: an
    existing file keeps its own, a new one gets ``0o666`` less the umask
    (:func:`tempfile.mkstemp` alone would leave ``0o600``, unreadable to others).

    Raises:
        OSError: the folder cannot be written or the disk is full.
        Exception: whatever ``write`` raises.
    """
    target = Path(path)
    handle, temporary = _create_temporary(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _create_temporary(target: Path) -> tuple[int, str]:
    """Create a new empty file beside ``target`` for writing; return its descriptor and path.

    It is created with mode ``0o666``, so the kernel applies the umask exactly as
    for ``open(target, "w")`` (:func:`tempfile.mkstemp` would force ``0o600``);
    if ``target`` exists, the new file takes ``target``'s permission bits.
    """
    try:
        keep: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        keep = None
    for _ in range(100):
        name = str(target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        if keep is not None:
            os.fchmod(handle, keep)
        return handle, name
    raise FileExistsError(f"could not create a temporary file beside {target}")  # pragma: no cover


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` with :func:`write_atomically`.

    Raises:
        OSError: the folder cannot be written or the disk is full.
    """
    data = text.encode("utf-8")
    write_atomically(path, lambda stream: stream.write(data))


def read_package_text(name: str) -> str:
    """Return the text of ``nkru/data/<name>``, shipped inside the package."""
    return importlib.resources.files("nkru").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def read_rows(
    text: str,
    problems: Problems,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, {column: cell})`` for each data row of CSV ``text``.

    The first non-blank row is the header; it must name every column of
    ``required``, may name those of ``optional``, and nothing else. Blank lines
    are skipped. Structural problems (bad quoting, a row with the wrong number
    of fields, a bad header) raise at once.

    Raises:
        StructureError: the header or a row's shape is wrong; the error also
            lists what ``problems`` held so far. Paths name the line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    ended = 0  # last line of the previous record; a quoted cell may carry a record over several lines
    try:
        for row in reader:
            line = ended + 1
            ended = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if header is None:
                header = _check_header(row, line, required, optional, problems)
                problems.raise_if_any()
                continue
            if len(row) != len(header):
                problems.add(f"line {line}", f"expected {len(header)} fields ({', '.join(header)}), found {len(row)}")
                problems.raise_if_any()
            yield line, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        # Name the line the bad record starts on (where a stray quote opens), not where reading stopped.
        runs = f" (the record starting here runs to line {reader.line_num})" if reader.line_num > ended + 1 else ""
        problems.add(f"line {ended + 1}", f"not valid CSV: {exc}{runs}")
        problems.raise_if_any()
    if header is None:
        problems.add("line 1", f"the table is empty; expected a header with {', '.join(required)}")
        problems.raise_if_any()


def _check_header(
    row: list[str], line: int, required: tuple[str, ...], optional: tuple[str, ...], problems: Problems
) -> list[str]:
    names = [cell.strip() for cell in row]
    known = set(required) | set(optional)
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if name in seen:
            problems.add(f"line {line}, column {position}", f"column {shown(name)} appears twice")
        elif name not in known:
            problems.add(
                f"line {line}, column {position}",
                f"unknown column {shown(name)}; expected {', '.join(required + optional)}",
            )
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        problems.add(f"line {line}", f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    return names
