"""Table stage: delimited text, a JSON array of flat objects or GeoJSON to columns of text.

Nothing here knows the formats: the header a headerless file implies is asked of a callback.
A record that cannot be a row (wrong number of fields, an unclosed quote, a feature that is
not a Point, an array item that is not an object) is kept aside as :class:`Malformed`, with
its line and raw text.

Delimited text: empty fields past the header's width (spreadsheets pad rows with trailing
commas) are dropped, and missing trailing fields under blank header names are padded; an HXL
tag row right under the header (every non-empty cell a ``#tag``) is skipped, not a row.

JSON is recognised by parsing, not by its first character: a FeatureCollection (or one
Feature) is GeoJSON; an array of objects, or an object holding one under ``"Result"`` (the
UCDP API) or ``"data"`` (the ACLED API), is read like CSV rows, each object's position (from
1) standing for its line.
"""

from __future__ import annotations

import array
import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from mali_geo.errors import ImportFileError
from mali_geo.importer._read import (
    MAX_CELL_CHARS,
    UNDECODED,
    header_position,
)

#: ``get(*names)``: per row, the first non-blank of these columns present, as a text Series.
Get = Callable[..., "pd.Series[str]"]
#: Given a file's first record, the column names it implies when it is data, not a header.
ImpliedHeader = Callable[[list[str]], Sequence[str] | None]

_SPACES: Final = re.compile(r"\s+")
_HXL_TAG: Final = re.compile(r"\s*#[A-Za-z][\w+-]*(?:\s+[\w+-]+)*\s*")
#: Keys under which a JSON object holds its rows: the UCDP API's and the ACLED API's.
ROW_KEYS: Final = ("Result", "data")
#: How the errors this module finds (not the csv module) start: a long cell, a bad line.
_OWN_ERRORS: Final = ("field ", "line ")


@dataclass(frozen=True, slots=True)
class Malformed:
    """A record that is not a row: its first line, why, and its raw text."""

    line: int
    reason: str
    raw: str


@dataclass(frozen=True)
class Table:
    """A file's data rows as text, before mapping onto the schema.

    Attributes
    ----------
    columns
        Normalised column name -> cell text of each row.
    line
        1-based line (or feature number) of each row.
    raw
        Raw text of the row at a position.
    malformed
        Records that are not rows.
    layout
        How the rows were laid out, for the report (``"CSV"``, ``"JSON array"``, ...).
    hxl_line
        Line of an HXL tag row that was skipped, else ``None``.
    """

    columns: Mapping[str, Sequence[str] | pd.Series[str]]
    line: npt.NDArray[np.int64]
    raw: Callable[[int], str]
    malformed: list[Malformed]
    layout: str = "CSV"
    hxl_line: int | None = None

    def get(self, *names: str) -> pd.Series[str]:
        """Per row, the first non-blank of these columns, else ``""``.

        Columns become Series only when a mapper asks for them: files carry many unused ones.
        """
        out = pd.Series("", index=pd.RangeIndex(len(self.line)), dtype="str")
        for name in reversed([n for n in names if n in self.columns]):
            values = pd.Series(self.columns[name], index=out.index, dtype="str")
            out = values.where(values.str.strip() != "", out) if len(names) > 1 else values
        return out


def read_csv(text: str, implied_header: ImpliedHeader) -> Table:
    """Split delimited text into records, keeping each record's lines.

    Records are read one at a time and their cells gathered by column in compact string
    arrays, a block of rows at a time: memory stays a small multiple of the file's size.

    Raises
    ------
    ImportFileError
        No records, or the first record cannot be parsed.
    """
    lines = _Lines(text)
    first, delimiter = header_position(lines.head())
    undecoded = UNDECODED.search(text) is not None
    records = _records(lines, first, delimiter, undecoded=undecoded)
    head = next(records, None)
    if head is None:
        raise ImportFileError("empty file")
    if head.error is not None:
        msg = f"not a table: cannot read the first line ({head.error})"
        raise ImportFileError(msg)
    names = [clean_text(name) for name in head.fields] if undecoded else head.fields
    implied = implied_header(names)
    columns = list(implied) if implied is not None else normalise_columns(names)
    hxl_line = None
    rest: Iterator[_Record] = records
    if implied is None:
        second = next(records, None)
        if second is not None and second.error is None and is_hxl_row(second.fields):
            hxl_line = second.start
        elif second is not None:
            rest = itertools.chain([second], records)

    def raw_lines(start: int, end: int) -> str:
        text = lines.span(start, end).removesuffix("\n").removesuffix("\r")
        return _as_utf8(text) if undecoded else text

    cells = _ColumnBuilder(columns)
    starts, ends = array.array("q"), array.array("q")
    malformed: list[Malformed] = []
    reasons: dict[str, str] = {}  # many rows share a reason: keep one copy of each
    for record in itertools.chain([head] if implied is not None else [], rest):
        fields = record.fields if record.error is not None else _fit(record.fields, columns)
        if record.error is None and len(fields) == len(columns):
            cells.add(fields)
            starts.append(record.start)
            ends.append(record.end)
        else:
            reason = _malformed_reason(len(columns), fields, record.error, record.start, record.end)
            reason = reasons.setdefault(reason, reason)
            malformed.append(Malformed(record.start, reason, raw_lines(record.start, record.end)))
    line = np.array(starts, dtype=np.int64)
    layout = "CSV without header" if implied is not None else "CSV"
    if implied is None and upper_case(names):
        layout += " (upper-case header)"
    return Table(
        cells.columns(),
        line,
        lambda pos: raw_lines(starts[pos], ends[pos]),
        malformed,
        layout,
        hxl_line,
    )


def parse_json(text: str) -> object | None:
    """The JSON document a text is, if it parses as a JSON object or array, else ``None``."""
    if not text.lstrip().startswith(("{", "[")):  # a shortcut: anything else cannot parse
        return None
    try:
        doc: object = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict | list) else None


def is_geojson(doc: object) -> bool:
    """Tell whether a JSON document is a GeoJSON Feature or FeatureCollection."""
    return isinstance(doc, dict) and doc.get("type") in ("Feature", "FeatureCollection")


def read_records(doc: object) -> Table:
    """Read a JSON array of flat objects (bare, or under ``"Result"``/``"data"``) as a table.

    Raises
    ------
    ImportFileError
        The document holds no array of rows.
    """
    items, layout = _row_array(doc)
    return _object_table(items, _record_row, layout)


def is_hxl_row(fields: Sequence[str]) -> bool:
    """An HXL hashtag row: every non-empty cell a ``#tag`` (such as ``#geo+lat``)."""
    cells = [f for f in fields if f.strip()]
    return bool(cells) and all(_HXL_TAG.fullmatch(f) for f in cells)


def read_geojson(doc: object) -> Table:
    """Read a GeoJSON FeatureCollection (or one Feature) of Points as a table of properties.

    Each feature's properties become text cells, its Point ``lat``/``lon``, and a feature
    ``id`` the ``id`` column unless a property gives one.

    Raises
    ------
    ImportFileError
        The document is not a GeoJSON FeatureCollection.
    """
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not (
        isinstance(doc, dict)
        and doc.get("type") == "FeatureCollection"
        and isinstance(doc.get("features"), list)
    ):
        raise ImportFileError("not a table: JSON but not a GeoJSON FeatureCollection")
    features: list[object] = doc["features"]
    return _object_table(features, _feature_row, "GeoJSON")


def json_error(text: str) -> str | None:
    """Why a text that starts like JSON does not parse, else ``None``."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        json.loads(text)
    except (ValueError, RecursionError) as exc:
        return f"not a table: looks like JSON but cannot be parsed ({str(exc)[:80]})"
    return "not a table: JSON but not a GeoJSON FeatureCollection, nor an array of row objects"


def normalise_columns(names: list[str]) -> list[str]:
    """Lower-case, trimmed header names with inner spaces as underscores."""
    return [_SPACES.sub("_", n.strip().strip('"').lower()) for n in names]


def per_unique(
    values: pd.Series[str], func: Callable[[str], object], dtype: npt.DTypeLike
) -> npt.NDArray[np.generic]:
    """Apply ``func`` once per distinct value (columns repeat a lot) and spread the results."""
    codes, uniques = pd.factorize(values.fillna(""))
    results: npt.NDArray[np.generic] = np.array([func(str(u)) for u in uniques], dtype=dtype)
    return results[codes]


def clean_text(text: str) -> str:
    """Replace lone surrogates (possible in JSON escapes), which no UTF-8 file can hold."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# --- helpers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    """A record's first and last line (1-based), its fields, and why it cannot be read."""

    start: int
    end: int
    fields: list[str]
    error: str | None


class _Lines:
    """A text's lines, ends kept, found by their offsets: the text is not copied line by line."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._ends = array.array("q", [0])
        position = 0
        for line in io.StringIO(text, newline=""):
            position += len(line)
            self._ends.append(position)

    def __len__(self) -> int:
        return len(self._ends) - 1

    @property
    def size(self) -> int:
        """Characters in the text."""
        return len(self._text)

    def line(self, index: int) -> str:
        """The line at a 0-based index."""
        return self._text[self._ends[index] : self._ends[index + 1]]

    def span(self, start: int, end: int) -> str:
        """Lines ``start``..``end`` (1-based, inclusive) as one text."""
        return self._text[self._ends[start - 1] : self._ends[end]]

    def chars(self, start: int, end: int) -> int:
        """Characters on lines ``start``..``end`` (1-based, inclusive)."""
        return self._ends[end] - self._ends[start - 1]

    def head(self) -> list[str]:
        """The lines up to the second that is not blank: where the header is looked for."""
        head: list[str] = []
        content = 0
        for index in range(len(self)):
            head.append(self.line(index))
            content += bool(head[-1].strip())
            if content == 2:
                break
        return head

    def from_line(self, first: int) -> Iterator[str]:
        """The lines from a 0-based index on."""
        return (self.line(index) for index in range(first, len(self)))


def _records(lines: _Lines, first: int, delimiter: str, *, undecoded: bool) -> Iterator[_Record]:
    """Parse lines into records, one at a time, skipping blank lines.

    A record the csv module cannot parse (unclosed quote, text after a closing quote), with
    a cell over :data:`MAX_CELL_CHARS`, or (``undecoded``) on a line that was not UTF-8,
    has its error and no fields. The first record is never checked for bytes that were not
    UTF-8: it is the header, whose names are cleaned instead.
    """
    # The csv module gives up on a field over its limit (128 KiB by default) in the middle of
    # the field, and would then read the rest of the field as rows: its limit is raised (never
    # lowered, as other threads may be reading) to the whole text, and long cells are
    # rejected below, each as its one row.
    csv.field_size_limit(max(csv.field_size_limit(), lines.size + 1))
    # strict: an unclosed quote at the end, or text after a closing quote, is an error
    # instead of silently swallowing the following lines into one field.
    reader = csv.reader(lines.from_line(first), delimiter=delimiter, strict=True)
    done = first
    check_bytes = False
    while True:
        error: str | None = None
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            fields, error = [], str(exc)
        start, done = done + 1, first + reader.line_num
        if error is None and (not fields or (len(fields) == 1 and not fields[0].strip())):
            continue
        if error is None and lines.chars(start, done) > MAX_CELL_CHARS:
            error = _long_cell(fields)
        if error is None and check_bytes:
            error = _undecoded_line(lines, start, done)
        check_bytes = undecoded
        yield _Record(start, done, [] if error else fields, error)


class _ColumnBuilder:
    """Cells gathered by column, a block of rows at a time, as compact string arrays."""

    _BLOCK: Final = 16_384

    def __init__(self, names: list[str]) -> None:
        self._names = names
        self._block: list[list[str]] = []
        self._chunks: list[list[pd.Series[str]]] = [[] for _ in names]

    def add(self, fields: list[str]) -> None:
        """Add a row (as many fields as there are names)."""
        self._block.append(fields)
        if len(self._block) >= self._BLOCK:
            self._flush()

    def columns(self) -> dict[str, pd.Series[str]]:
        """Each name's cells; the first of duplicate names wins."""
        self._flush()
        data: dict[str, pd.Series[str]] = {}
        for name, chunks in zip(self._names, self._chunks, strict=True):
            if name in data:
                continue
            if not chunks:
                data[name] = pd.Series([], dtype="str")
            elif len(chunks) == 1:
                data[name] = chunks[0]
            else:
                data[name] = pd.concat(chunks, ignore_index=True)
        return data

    def _flush(self) -> None:
        if not self._block:
            return
        for chunks, values in zip(self._chunks, zip(*self._block, strict=True), strict=True):
            chunks.append(pd.Series(values, dtype="str"))
        self._block = []


def _long_cell(fields: list[str]) -> str | None:
    """Name the first cell over :data:`MAX_CELL_CHARS`, if any."""
    longest = max(range(len(fields)), key=lambda k: len(fields[k]), default=0)
    if not fields or len(fields[longest]) <= MAX_CELL_CHARS:
        return None
    size = len(fields[longest])
    return f"field {longest + 1} has {size:,} characters; the limit is {MAX_CELL_CHARS:,}"


def _undecoded_line(lines: _Lines, start: int, end: int) -> str | None:
    """Name the first line of ``start``..``end`` that was not UTF-8, and its first bad byte."""
    for index in range(start - 1, end):
        found = UNDECODED.search(lines.line(index))
        if found is not None:
            byte = ord(found.group()) - 0xDC00
            return (
                f"line {index + 1} is not UTF-8 text (byte 0x{byte:02X} at character "
                f"{found.start() + 1}), unlike the rest of the file"
            )
    return None


def _as_utf8(text: str) -> str:
    """Text with the bytes that were not UTF-8 shown as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _object_table(
    items: list[object], to_row: Callable[[object], dict[str, str] | str], layout: str
) -> Table:
    """Turn JSON items into a table, item ``i`` on "line" ``i + 1``.

    ``to_row`` gives an item's text cells, or why it cannot be a row.
    """

    def raw(i: int) -> str:
        return clean_text(json.dumps(items[i], ensure_ascii=False))

    rows: list[dict[str, str]] = []
    good: list[int] = []
    malformed: list[Malformed] = []
    for i, item in enumerate(items):
        row = to_row(item)
        if isinstance(row, str):
            malformed.append(Malformed(i + 1, f"malformed row: {row}", raw(i)))
        else:
            rows.append(row)
            good.append(i)
    names = dict.fromkeys(key for row in rows for key in row)
    columns = {name: [row.get(name, "") for row in rows] for name in names}
    line = np.array(good, dtype=np.int64) + 1
    return Table(columns, line, lambda pos: raw(good[pos]), malformed, layout)


def _record_row(item: object) -> dict[str, str] | str:
    """One JSON object's values as text cells (nested values as JSON text), or why not."""
    if not isinstance(item, dict):
        return f"a JSON {type(item).__name__}, not an object"
    row: dict[str, str] = {}
    for key, value in item.items():
        row.setdefault(normalise_columns([clean_text(str(key))])[0], _json_text(value))
    return row


def _row_array(doc: object) -> tuple[list[object], str]:
    """The array of rows a JSON document holds, and how it holds it."""
    if isinstance(doc, list):
        return doc, "JSON array"
    if isinstance(doc, dict):
        for key in ROW_KEYS:
            if isinstance(doc.get(key), list):
                return doc[key], f'JSON {{"{key}": [...]}}'
    msg = (
        "not a table: JSON but not a GeoJSON FeatureCollection, nor an array of row objects "
        '(bare, {"Result": [...]} or {"data": [...]})'
    )
    raise ImportFileError(msg)


def _fit(record: list[str], columns: Sequence[str]) -> list[str]:
    """Drop empty fields past the header; pad fields missing under trailing blank names."""
    width = len(columns)
    if len(record) > width and not any(f.strip() for f in record[width:]):
        return record[:width]
    if len(record) < width and not any(c for c in columns[len(record) :]):
        return record + [""] * (width - len(record))
    return record


def upper_case(header: Sequence[str]) -> bool:
    """A header whose names are all upper case (ACLED's older layout)."""
    letters = "".join(header)
    return any(ch.isalpha() for ch in letters) and letters == letters.upper()


def _malformed_reason(
    width: int, fields: list[str], error: str | None, start: int, end: int
) -> str:
    """Explain why a record cannot be a row."""
    if error is not None:
        reason = f"malformed row: {error}"
    else:
        reason = f"malformed row: expected {width} fields, found {len(fields)}"
    if end > start and not (error or "").startswith(_OWN_ERRORS):
        reason += f" (spans lines {start}-{end}: an unclosed quote?)"
    return reason


def _feature_row(feature: object) -> dict[str, str] | str:
    """Flatten one feature into text properties plus ``lat``/``lon``, or say what is wrong."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return "not a GeoJSON Feature"
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return "properties is not an object"
    row: dict[str, str] = {}
    for key, value in props.items():
        row.setdefault(normalise_columns([clean_text(str(key))])[0], _json_text(value))
    if "id" not in row and "incident_id" not in row and feature.get("id") is not None:
        row["id"] = _json_text(feature["id"])
    row["lat"] = row["lon"] = ""
    geometry = feature.get("geometry")
    if geometry is None:
        return row
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        return f"geometry is {_json_text(kind)[:30]!r}, expected a Point"
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        return "Point without two coordinates"
    row["lon"], row["lat"] = _json_text(coords[0]), _json_text(coords[1])
    return row


def _json_text(value: object) -> str:
    """Turn a JSON value into the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return clean_text(json.dumps(value, ensure_ascii=False))
