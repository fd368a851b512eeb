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

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from mali_geo.errors import ImportFileError
from mali_geo.importer._read import header_position

#: ``get(*names)``: per row, the first non-blank of these columns present, as a text Series.
Get = Callable[..., "pd.Series[str]"]
#: Given a file's first record, the column names it implies when it is data, not a header.
ImpliedHeader = Callable[[list[str]], Sequence[str] | None]

_SPACES: Final = re.compile(r"\s+")
_HXL_TAG: Final = re.compile(r"\s*#[A-Za-z][\w+-]*(?:\s+[\w+-]+)*\s*")
#: Keys under which a JSON object holds its rows: the UCDP API's and the ACLED API's.
ROW_KEYS: Final = ("Result", "data")


@dataclass(frozen=True)
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

    columns: Mapping[str, Sequence[str]]
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

    Raises
    ------
    ImportFileError
        No records, or the first record cannot be parsed.
    """
    lines = list(io.StringIO(text, newline=""))
    first, delimiter = header_position(lines)
    starts, ends, records, errors = _split_records(lines, first, delimiter)
    if not records:
        raise ImportFileError("empty file")
    if 0 in errors:
        msg = f"not a table: cannot read the first line ({errors[0]})"
        raise ImportFileError(msg)
    implied = implied_header(records[0])
    columns = list(implied) if implied is not None else normalise_columns(records[0])
    begin = 0 if implied is not None else 1
    hxl_line = None
    if implied is None and len(records) > 1 and 1 not in errors and is_hxl_row(records[1]):
        hxl_line, begin = starts[1], 2
    records = [_fit(record, columns) for record in records]

    def raw(i: int) -> str:
        return "".join(lines[starts[i] - 1 : ends[i]]).removesuffix("\n").removesuffix("\r")

    good: list[int] = []
    malformed: list[Malformed] = []
    for i in range(begin, len(records)):
        if len(records[i]) == len(columns) and i not in errors:
            good.append(i)
        else:
            reason = _malformed_reason(len(columns), records[i], errors.get(i), starts[i], ends[i])
            malformed.append(Malformed(starts[i], reason, raw(i)))
    by_column = _by_column([records[i] for i in good], columns)
    line = np.array([starts[i] for i in good], dtype=np.int64)
    layout = "CSV without header" if implied is not None else "CSV"
    if implied is None and _upper_case(records[0]):
        layout += " (upper-case header)"
    return Table(by_column, line, lambda pos: raw(good[pos]), malformed, layout, hxl_line)


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


def _split_records(
    lines: list[str], first: int, delimiter: str
) -> tuple[list[int], list[int], list[list[str]], dict[int, str]]:
    """Parse lines into records, skipping blank lines.

    Returns
    -------
    tuple
        Start and end line (1-based) of each record, its fields, and the csv module's error
        for the records it could not parse (unclosed quote, text after a closing quote, a
        field over the size limit).
    """
    # strict: an unclosed quote at the end, or text after a closing quote, is an error
    # instead of silently swallowing the following lines into one field.
    reader = csv.reader(iter(lines[first:]), delimiter=delimiter, strict=True)
    starts: list[int] = []
    ends: list[int] = []
    records: list[list[str]] = []
    errors: dict[int, str] = {}
    done = first
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            fields = ["", ""]
            errors[len(records)] = str(exc)
        start, done = done + 1, first + reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        starts.append(start)
        ends.append(done)
        records.append(fields)
    return starts, ends, records, errors


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


def _upper_case(header: Sequence[str]) -> bool:
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
    if end > start:
        reason += f" (spans lines {start}-{end}: an unclosed quote?)"
    return reason


def _by_column(records: list[list[str]], columns: list[str]) -> dict[str, Sequence[str]]:
    """Transpose records into columns; the first of duplicate column names wins."""
    by_column = list(zip(*records, strict=True)) if records else [() for _ in columns]
    data: dict[str, Sequence[str]] = {}
    for name, values in zip(columns, by_column, strict=True):
        data.setdefault(name, values)
    return data


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
