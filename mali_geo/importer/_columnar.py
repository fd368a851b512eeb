r"""Columnar reading of delimited text: pyarrow's CSV reader, where it reads as the csv module does.

pyarrow parses a million rows in about a second, where the csv module and the column builder
of :mod:`._table` take ten, but it is more lenient: text after a closing quote, an unclosed
quote at the end, blank lines, quoted line breaks and rows padded with empty fields are read
without an error. So the columnar path is taken only for a file it reads exactly as
:func:`._table.read_csv` would, which is checked on the bytes, with numpy, before and after:

- every record is one line, none blank, none longer than
  :data:`~mali_geo.importer._read.MAX_CELL_CHARS` bytes, and every line a row of the header's
  width (pyarrow refuses another width);
- the text decoded as UTF-8 throughout, and has no line break but ``\n`` and ``\r\n``;
- every line holding a quote character either has only fields quoted whole or without a
  leading quote (matched by a regular expression over all lines at once), or is parsed again
  by the csv module (strict), which must give the same fields.

Anything else returns ``None``, and the caller reads the file record by record, with every
malformed row worded as before.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv

from mali_geo.errors import ImportFileError
from mali_geo.importer._read import MAX_CELL_CHARS, header_position
from mali_geo.importer._table import (
    ImpliedHeader,
    Table,
    is_hxl_row,
    normalise_columns,
    upper_case,
)

_LF: Final = ord("\n")
_CR: Final = ord("\r")
_QUOTE: Final = ord('"')
#: Lines read to find the header (blank lines and Excel's ``sep=`` line before it).
_HEAD_LINES: Final = 64
#: Lines with a quote compared with the csv module at a time.
_CHECK_BLOCK: Final = 20_000


def read_csv(text: str, implied_header: ImpliedHeader) -> Table | None:
    """Read delimited text as :func:`._table.read_csv` would, column by column.

    Returns
    -------
    Table or None
        The table, or ``None`` when the file needs the record-by-record reader (see the
        module's docstring): a malformed row, a quoted line break, a blank line...
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8 (:data:`UNDECODED`): row by row
        return None
    lines = _LineIndex(data)
    if lines.has_lone_cr:
        return None
    try:
        first, delimiter = header_position(lines.head(_HEAD_LINES))
    except ImportFileError:
        return None  # the record-by-record reader words the error
    names = _fields(lines.text(first), delimiter)
    if names is None:
        return None
    implied = implied_header(names)
    columns = list(implied) if implied is not None else normalise_columns(names)
    data_line = first if implied is not None else first + 1
    if len(columns) != len(names) or not lines.plain_from(data_line):
        return None
    arrow = _arrow_table(data, lines.offset(data_line), len(columns), delimiter)
    if arrow is None or arrow.num_rows != lines.count - data_line:
        return None
    if not _quoted_lines_agree(arrow, lines, data_line, delimiter):
        return None
    hxl_line = None
    if implied is None and arrow.num_rows and is_hxl_row(_row(arrow, 0)):
        hxl_line = data_line + 1
        arrow = arrow.slice(1)
        data_line += 1
    layout = "CSV without header" if implied is not None else "CSV"
    if implied is None and upper_case(names):
        layout += " (upper-case header)"
    return Table(
        _ArrowColumns(columns, arrow),
        np.arange(arrow.num_rows, dtype=np.int64) + data_line + 1,
        lambda pos: lines.text(data_line + pos),
        [],
        layout,
        hxl_line,
    )


# --- helpers ------------------------------------------------------------------------------


class _LineIndex:
    """Where each line of UTF-8 bytes starts and ends (line break excluded), found with numpy."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        buf = np.frombuffer(data, dtype=np.uint8)
        breaks = np.flatnonzero(buf == _LF)
        starts = np.concatenate(([0], breaks + 1))
        ends = np.concatenate((breaks, [len(data)]))
        if starts[-1] == len(data):  # the text ends with a line break: no last line
            starts, ends = starts[:-1], ends[:-1]
        crlf = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == _CR)
        self.has_lone_cr = int(np.count_nonzero(buf == _CR)) != int(np.count_nonzero(crlf))
        self._starts = starts
        self._ends = ends - crlf  # without the \r of \r\n
        self._buf = buf

    @property
    def count(self) -> int:
        """Lines in the text."""
        return len(self._starts)

    def offset(self, index: int) -> int:
        """Byte offset of a line (0-based), or the end of the text past the last line."""
        return int(self._starts[index]) if index < self.count else len(self._data)

    def text(self, index: int) -> str:
        """A line (0-based) without its line break."""
        return self._data[self._starts[index] : self._ends[index]].decode("utf-8")

    def span(self, first: int, last: int) -> str:
        """Lines ``first``..``last`` (0-based, inclusive) as one text."""
        return self._data[self._starts[first] : self._ends[last]].decode("utf-8")

    def head(self, count: int) -> list[str]:
        """The first lines, line breaks kept, as :func:`header_position` reads them."""
        last = min(count, self.count)
        return [
            self._data[self._starts[i] : self.offset(i + 1)].decode("utf-8") for i in range(last)
        ]

    def plain_from(self, index: int) -> bool:
        """Whether every line from ``index`` on is a non-blank line of at most the cell limit."""
        lengths = self._ends[index:] - self._starts[index:]
        return bool(np.all(lengths > 0) and np.all(lengths <= MAX_CELL_CHARS))

    def plainly_quoted(
        self, indices: npt.NDArray[np.int64], delimiter: str
    ) -> npt.NDArray[np.bool_]:
        """Which of these lines are fields each quoted whole or holding no leading quote.

        On such a line (a quoted field closed right before a delimiter or the line's end,
        ``""`` inside it) pyarrow and the csv module read the same fields; matched by RE2, in
        C++, over all the lines at once.
        """
        if not len(indices):
            return np.zeros(0, dtype=bool)
        offsets = np.concatenate((self._starts, [len(self._data)])).astype(np.int64)
        every = pa.LargeStringArray.from_buffers(
            self.count, pa.py_buffer(offsets.tobytes()), pa.py_buffer(self._data)
        )
        chosen = every.take(pa.array(indices))
        d = re.escape(delimiter)
        field = f'(?:"(?:[^"]|"")*"|[^"{d}\r\n][^{d}\r\n]*|)'
        pattern = f"^{field}(?:{d}{field})*\r?\n?$"
        found = pa_compute.match_substring_regex(chosen, pattern)
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)

    def quoted(self, index: int) -> npt.NDArray[np.int64]:
        """Lines from ``index`` on that hold a quote character."""
        at = np.flatnonzero(self._buf == _QUOTE)
        found = np.searchsorted(self._ends, at, side="left")  # sorted, as ``at`` is
        found = found[np.flatnonzero(np.diff(found, prepend=-1))]
        return found[found >= index].astype(np.int64)


def _fields(line: str, delimiter: str) -> list[str] | None:
    """A line's fields as the csv module (strict) reads them, or ``None`` if it cannot."""
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error:
        return None


def _arrow_table(data: bytes, start: int, width: int, delimiter: str) -> pa.Table | None:
    """Rows from byte ``start`` on as text columns ``0``..``width - 1``; ``None`` on an error."""
    names = [str(i) for i in range(width)]
    try:
        return pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[start:]),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None


def _row(arrow: pa.Table, index: int) -> list[str]:
    """One row's cells."""
    return [str(column[index].as_py()) for column in arrow.columns]


def _quoted_lines_agree(arrow: pa.Table, lines: _LineIndex, data_line: int, delimiter: str) -> bool:
    """Whether the csv module reads every line with a quote as pyarrow did.

    Compared a block of lines at a time: a file quoting every field has a quote on each line.
    """
    quoted = lines.quoted(data_line)
    quoted = quoted[~lines.plainly_quoted(quoted, delimiter)]
    for start in range(0, len(quoted), _CHECK_BLOCK):
        block = quoted[start : start + _CHECK_BLOCK]
        theirs = arrow.take(pa.array(block - data_line))
        first, last = int(block[0]), int(block[-1])
        texts: Iterable[str] = (
            io.StringIO(lines.span(first, last), newline="")
            if last - first == len(block) - 1  # consecutive lines: decoded at once
            else (lines.text(index) for index in block.tolist())
        )
        try:
            ours = list(csv.reader(texts, delimiter=delimiter, strict=True))
        except csv.Error:
            return False
        if len(ours) != len(block) or any(len(row) != theirs.num_columns for row in ours):
            return False  # the csv module joined lines, or split a line differently
        for j, column in enumerate(zip(*ours, strict=True)):
            if not pa.array(column, pa.string()).equals(theirs.column(j).combine_chunks()):
                return False
    return True


class _ArrowColumns(Mapping[str, "pd.Series[str]"]):
    """Columns by name (the first of duplicate names wins), made Series only when asked for."""

    def __init__(self, names: list[str], arrow: pa.Table) -> None:
        self._where: dict[str, int] = {}
        for i, name in enumerate(names):
            self._where.setdefault(name, i)
        self._arrow = arrow

    def __getitem__(self, name: str) -> pd.Series[str]:
        return pd.Series(self._arrow.column(self._where[name]), dtype="str")

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)
