"""Arrow's parse of a Comtrade CSV into nkru's arrays.

Two ways, as :mod:`~nkru.io.comtrade._source` decides. :func:`arrow_columns`
is the fast one: Arrow reads the bytes as they are, code columns as plain
bytes that nkru packs into integers and factorizes (:func:`_short_text`),
descriptions as dictionary-encoded bytes (each distinct value decoded once),
flags as booleans, whole numbers as integers and other numbers as floats,
filled block by block into numpy arrays without a second copy in Arrow's
memory. :func:`arrow_frame` is the general one, on text already decoded to
UTF-8, and is what the reader uses to say where a problem is.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from nkru.io.comtrade._source import Csv, Fast

__all__ = [
    "BLOCK",
    "FALSE",
    "MIN_BLOCK",
    "TRAILING",
    "TRUE",
    "Factorized",
    "arrow_columns",
    "arrow_frame",
    "block_size_of",
]

#: Arrow's block size: its unit of parallel work (a 100 MB file is 25 of them). A longer record is parsed whole.
BLOCK: Final = 4 << 20
#: The smallest block Arrow is given: the header must fit in the first one, and smaller blocks only cost time.
MIN_BLOCK: Final = 1 << 20
#: The most memory a parsed table may hold that Arrow's allocator keeps when the table is freed. A larger one is
#: handed back column by column, for the peak; a smaller one (a partition of nkru.dask, read one after the other)
#: is kept for the next parse, which would otherwise fault every page of it in again.
_KEPT_BY_ARROW: Final = 64 << 20
#: The column name nkru gives the empty field after the last column (Comtrade Plus downloads have one).
TRAILING: Final = "\x00trailing"
#: The spellings of a flag Comtrade writes (the reader checks the same ones in text).
TRUE: Final = ("true", "True", "TRUE", "1")
FALSE: Final = ("false", "False", "FALSE", "0")


class Factorized(NamedTuple):
    """A text column as codes into its distinct values (no missing cells: an empty cell is ``""``)."""

    codes: npt.NDArray[np.integer[Any]]
    """int32 from Arrow's dictionaries; the narrowest integer that holds them from nkru's own factorizing."""
    uniques: list[str]


def _wanted(layout: Csv, columns: dict[str, str]) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """The names Arrow gives the file's columns (``c0``, ``c1`` …), and of those wanted, each one's name and kind.

    The trailing empty field of a Plus download is wanted too, as :data:`TRAILING`, to check that it is empty.
    """
    arrow_names = [f"c{i}" for i in range(len(layout.names) + (1 if layout.trailing else 0))]
    wanted = {arrow_names[layout.names.index(name)]: (name, kind) for name, kind in columns.items()}
    if layout.trailing:
        wanted[arrow_names[-1]] = (TRAILING, "text")
    return arrow_names, wanted


def arrow_frame(data: bytes, layout: Csv, columns: dict[str, str], *, typed: bool, block: int | None = None) -> Any:
    """Parse the CSV with Arrow into a pandas DataFrame of ``columns`` (file name to kind), named as in the file.

    Numbers are float64 if ``typed`` (NaN where empty), else text as in the
    file; text and flags are categories.

    Raises:
        pyarrow.ArrowInvalid: the CSV does not parse (the caller re-reads it for line numbers), or
            a number does not convert (``typed``), or is not finite.
    """
    arrow_names, wanted = _wanted(layout, columns)
    types = {
        key: pa.float64() if kind == "number" and typed else pa.dictionary(pa.int32(), pa.string())
        for key, (_name, kind) in wanted.items()
    }
    for key, (_name, kind) in wanted.items():
        if kind == "number" and not typed:
            types[key] = pa.string()
    convert = pacsv.ConvertOptions(
        column_types=types,
        include_columns=list(wanted),
        null_values=[""],
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    table = None
    size = block_size_of(block)
    for newlines, block_size in ((False, size), (True, size), (True, max(len(data), 1) + 1)):
        read = pacsv.ReadOptions(column_names=arrow_names, skip_rows=1, block_size=block_size, use_threads=True)
        parse = pacsv.ParseOptions(delimiter=layout.delimiter, newlines_in_values=newlines, ignore_empty_lines=True)
        try:
            table = pacsv.read_csv(io.BytesIO(data), read_options=read, parse_options=parse, convert_options=convert)
            break
        except pa.ArrowInvalid as exc:
            if "conversion error" in str(exc) or (newlines and "straddl" not in str(exc)):
                raise
    if table is None:  # pragma: no cover - the last attempt reads the file in one block or raises
        raise pa.ArrowInvalid("the CSV could not be parsed")
    if typed:
        for key, (_name, kind) in wanted.items():
            if kind == "number" and pc.any(pc.invert(pc.is_finite(table[key]))).as_py():
                raise pa.ArrowInvalid("conversion error: a number is not finite")
    return table.rename_columns([wanted[key][0] for key in table.column_names]).to_pandas()


def arrow_columns(
    fast: Fast, layout: Csv, columns: dict[str, str], block: int | None
) -> tuple[int, dict[str, Any]] | None:
    """Parse the CSV with Arrow, as its bytes are, into its row count and arrays of ``columns`` (file name to kind).

    Numbers are float64 arrays (NaN where empty), also those of kind ``whole``
    (parsed as integers, which is faster), flags int8 arrays (1 true,
    0 false, -1 empty), text :class:`Factorized` (each distinct value decoded
    once). Text of kind ``short`` (codes) is parsed as bytes and factorized
    here (see :func:`_short_text`), other text as Arrow's dictionaries. None when anything is not as expected (a record Arrow cannot
    parse, a cell its column does not hold): the general way then reads the
    file and reports it.
    """
    arrow_names, wanted = _wanted(layout, columns)
    arrow_type = {
        "number": pa.float64(),
        "flag": pa.bool_(),
        "text": pa.dictionary(pa.int32(), pa.binary()),
        "short": pa.binary(),
        "whole": pa.int64(),
    }
    convert = pacsv.ConvertOptions(
        column_types={key: arrow_type[kind] for key, (_name, kind) in wanted.items()},
        include_columns=list(wanted),
        null_values=[""],
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        true_values=list(TRUE),
        false_values=list(FALSE),
    )
    read = pacsv.ReadOptions(column_names=arrow_names, skip_rows=1, block_size=block_size_of(block), use_threads=True)
    parse = pacsv.ParseOptions(delimiter=layout.delimiter, newlines_in_values=False, ignore_empty_lines=True)
    source = fast.source
    try:
        in_memory = isinstance(source, (bytes, bytearray))
        stream = pa.BufferReader(source) if in_memory else pa.input_stream(source, compression=None)
        with stream:
            table = pacsv.read_csv(stream, read_options=read, parse_options=parse, convert_options=convert)
    except (pa.ArrowException, OSError):
        return None  # a quoted line break, a bad record or cell: the general way reads it and says where
    size = table.num_rows
    result: dict[str, Any] = {}
    pool = pa.default_memory_pool() if table.nbytes > _KEPT_BY_ARROW else None
    for key, (name, kind) in wanted.items():
        column = table[key]
        table = table.drop_columns([key])  # each column's Arrow memory goes once it is converted
        result[name] = _converted(column, kind, fast.codec, size)
        del column
        if pool is not None:
            pool.release_unused()  # Arrow's allocator keeps what it frees; hand it back before the next column
        if result[name] is None:
            return None
    return size, result


def _converted(column: Any, kind: str, codec: str, size: int) -> Any:
    """One Arrow column as :func:`arrow_columns` gives it; None for a number that is not finite.

    Filled block by block into one numpy array, so that no second copy of the
    whole column is made in Arrow's memory.
    """
    if kind == "short":
        return _short_text(column, codec, size)
    if kind == "text":
        if column.null_count:  # pragma: no cover - text is never null (strings_can_be_null=False)
            return None
        if column.num_chunks > 1:  # one dictionary for all the blocks, a column at a time (a table's would double)
            column = pa.table({"text": column}).unify_dictionaries()["text"]
        found = column.chunks[0].dictionary.to_pylist() if column.num_chunks else []
        codes = np.empty(size, dtype=np.int32)
        _fill(codes, (chunk.indices.to_numpy() for chunk in column.chunks))
        return Factorized(codes, [value.decode(codec) for value in found])
    if kind == "flag":
        flags = np.empty(size, dtype=np.int8)
        _fill(flags, (_flag_codes(chunk) for chunk in column.chunks))
        return flags
    values = np.empty(size, dtype=np.float64)
    _fill(values, (chunk.to_numpy(zero_copy_only=False) for chunk in column.chunks))
    # Every cell but the empty ones (NaN here) is finite: one pass counts both an infinity and a NaN that was written.
    if np.count_nonzero(np.isfinite(values)) != size - column.null_count:
        return None  # "inf", "nan": the general way reports them as written
    return values


def _short_text(column: Any, codec: str, size: int) -> Factorized | None:
    """A text column of short codes, parsed as bytes, factorized in the order its values first appear.

    Arrow's dictionary conversion hashes every cell while it parses (6 ms a
    column of 392k cells); where every cell has one width of at most 8 bytes
    (ISO codes, flow and commodity codes), each cell's bytes are read as one
    integer and pandas hashes those (1 ms). Otherwise Arrow dictionary-encodes
    the bytes, as its parser would have. Either way the values come in the
    order they first appear, as Arrow's dictionary gives them.
    """
    packed = _packed(column, size)
    if packed is None:
        encoded: Factorized | None = _converted(pc.dictionary_encode(column), "text", codec, size)
        return encoded
    keys, width = packed
    codes, uniques = pd.factorize(keys)
    found = [uniques[i : i + 1].view(np.uint8)[:width].tobytes() for i in range(len(uniques))]
    narrow = np.int8 if len(uniques) <= 127 else np.int16 if len(uniques) <= 32767 else np.int32  # pandas' are int64
    return Factorized(codes.astype(narrow), [value.decode(codec) for value in found])


def _packed(column: Any, size: int) -> tuple[npt.NDArray[Any], int] | None:
    """Each cell's bytes as one unsigned integer, and the width; None unless every cell has one width of 1 to 8 bytes."""
    width = 0
    keys: npt.NDArray[Any] = np.empty(0, dtype=np.uint8)
    start = 0
    for chunk in column.chunks:
        rows = len(chunk)
        if rows == 0:
            continue
        if chunk.null_count:  # pragma: no cover - text is never null (strings_can_be_null=False)
            return None
        _validity, offset_buffer, data_buffer = chunk.buffers()
        offsets = np.frombuffer(offset_buffer, dtype=np.int32, count=rows + 1, offset=chunk.offset * 4)
        first, total = int(offsets[0]), int(offsets[-1] - offsets[0])
        cell = total // rows
        if not width:
            if not 1 <= cell <= 8:
                return None
            width = cell
            keys = np.empty(size, dtype=_KEY_TYPES[width])
        # the widths add up to width * rows: they are all width if none is less
        if cell != width or total != width * rows or np.subtract(offsets[1:], offsets[:-1]).min() != width:
            return None
        _pack(np.frombuffer(data_buffer, dtype=np.uint8, count=total, offset=first), width, keys[start : start + rows])
        start += rows
    return (keys, width) if width else None


def _pack(data: npt.NDArray[np.uint8], width: int, keys: npt.NDArray[Any]) -> None:
    """Fill ``keys`` with the cells of ``width`` bytes that ``data`` holds back to back, each as one integer."""
    size = keys.itemsize
    if width == size:
        keys[:] = data.view(keys.dtype)
        return
    # 3, 5, 6 or 7 bytes: each cell read as the integer that starts at it, which takes the next cell's first bytes
    # too, masked off (a little-endian integer's low bytes come first); the last cells, whose integer would run past
    # the data, are zero-padded instead
    read = (data.size - size) // width + 1 if data.size >= size else 0
    if read:
        cells = np.ndarray((read,), dtype=keys.dtype, buffer=data, strides=(width,))
        mask = (1 << (8 * width)) - 1 if sys.byteorder == "little" else ((1 << (8 * width)) - 1) << (8 * (size - width))
        np.bitwise_and(cells, keys.dtype.type(mask), out=keys[:read])
    padded = np.zeros((keys.size - read, size), dtype=np.uint8)
    padded[:, :width] = data[read * width :].reshape(-1, width)
    keys[read:] = padded.view(keys.dtype).reshape(-1)


#: The unsigned integer that holds a cell of 1 to 8 bytes.
_KEY_TYPES: Final = {
    1: np.uint8,
    2: np.uint16,
    3: np.uint32,
    4: np.uint32,
    5: np.uint64,
    6: np.uint64,
    7: np.uint64,
    8: np.uint64,
}


def _fill(target: npt.NDArray[Any], blocks: Iterator[npt.NDArray[Any]]) -> None:
    start = 0
    for block in blocks:
        target[start : start + block.size] = block
        start += block.size


def _flag_codes(chunk: Any) -> npt.NDArray[np.int8]:
    """A block of a boolean column as 1 true, 0 false, -1 empty."""
    codes = np.asarray(pc.fill_null(chunk, fill_value=False)).astype(np.int8)
    codes[np.asarray(chunk.is_null())] = -1
    return codes


def block_size_of(chunk_bytes: int | None) -> int:
    """The block size Arrow parses with for a reader's ``chunk_bytes``: :data:`BLOCK` by default, at least :data:`MIN_BLOCK`."""
    return BLOCK if chunk_bytes is None else max(chunk_bytes, MIN_BLOCK)
