"""Table stage: delimited text or a GeoJSON FeatureCollection to columns of cell text.

Nothing here knows the formats: the header a headerless file implies is asked of a callback.
A record that cannot be a row (wrong number of fields, an unclosed quote, a feature that is
not a Point) is kept aside as :class:`Malformed`, with its line and raw text.
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
from mali_geo.importer._read import (
    MAX_CELL_CHARS,
    MAX_IMPORT_BYTES,
    UNDECODED,
    header_position,
)

#: ``get(*names)``: per row, the first non-blank of these columns present, as a text Series.
Get = Callable[..., "pd.Series[str]"]
#: Given a file's first record, the column names it implies when it is data, not a header.
ImpliedHeader = Callable[[list[str]], Sequence[str] | None]

_SPACES: Final = re.compile(r"\s+")
#: How the errors this module finds (not the csv module) start: a long cell, a bad line.
_OWN_ERRORS: Final = ("field ", "line ")


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
    """

    columns: Mapping[str, Sequence[str]]
    line: npt.NDArray[np.int64]
    raw: Callable[[int], str]
    malformed: list[Malformed]

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
    undecoded = UNDECODED.search(text) is not None
    if undecoded:
        _reject_undecoded(lines, starts, ends, records, errors)
        records[0] = [clean_text(name) for name in records[0]]
    implied = implied_header(records[0])
    columns = list(implied) if implied is not None else normalise_columns(records[0])
    begin = 0 if implied is not None else 1

    def raw(i: int) -> str:
        text = "".join(lines[starts[i] - 1 : ends[i]]).removesuffix("\n").removesuffix("\r")
        return _as_utf8(text) if undecoded else text

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
    return Table(by_column, line, lambda pos: raw(good[pos]), malformed)


def read_geojson(text: str) -> Table:
    """Read a GeoJSON FeatureCollection (or one Feature) of Points as a table of properties.

    Each feature's properties become text cells, its Point ``lat``/``lon``, and a feature
    ``id`` the ``id`` column unless a property gives one.

    Raises
    ------
    ImportFileError
        The text is not JSON, or not a GeoJSON FeatureCollection.
    """
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        msg = f"not a table: looks like JSON but cannot be parsed ({str(exc)[:80]})"
        raise ImportFileError(msg) from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not (
        isinstance(doc, dict)
        and doc.get("type") == "FeatureCollection"
        and isinstance(doc.get("features"), list)
    ):
        raise ImportFileError("not a table: JSON but not a GeoJSON FeatureCollection")
    features: list[object] = doc["features"]

    def raw(i: int) -> str:
        return clean_text(json.dumps(features[i], ensure_ascii=False))

    rows: list[dict[str, str]] = []
    good: list[int] = []
    malformed: list[Malformed] = []
    for i, feature in enumerate(features):
        row = _feature_row(feature)
        if isinstance(row, str):
            malformed.append(Malformed(i + 1, f"malformed row: {row}", raw(i)))
        else:
            rows.append(row)
            good.append(i)
    names = dict.fromkeys(key for row in rows for key in row)
    columns = {name: [row.get(name, "") for row in rows] for name in names}
    line = np.array(good, dtype=np.int64) + 1
    return Table(columns, line, lambda pos: raw(good[pos]), malformed)


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
    # The csv module gives up on a field over its limit (128 KiB by default) in the middle of
    # the field, and would then read the rest of the field as rows: its limit is raised (never
    # lowered, as other threads may be reading) to the largest file, and long cells are
    # rejected below, each as its one row.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_IMPORT_BYTES))
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
        if len(records) not in errors and _longer_than(lines, start, done, MAX_CELL_CHARS):
            longest = max(range(len(fields)), key=lambda k: len(fields[k]))
            if len(fields[longest]) > MAX_CELL_CHARS:
                errors[len(records)] = (
                    f"field {longest + 1} has {len(fields[longest]):,} characters; "
                    f"the limit is {MAX_CELL_CHARS:,}"
                )
                fields = ["", ""]
        starts.append(start)
        ends.append(done)
        records.append(fields)
    return starts, ends, records, errors


def _longer_than(lines: list[str], start: int, end: int, limit: int) -> bool:
    """Whether lines ``start``..``end`` (1-based) hold more than ``limit`` characters."""
    total = 0
    for index in range(start - 1, end):
        total += len(lines[index])
        if total > limit:
            return True
    return False


def _reject_undecoded(
    lines: list[str],
    starts: list[int],
    ends: list[int],
    records: list[list[str]],
    errors: dict[int, str],
) -> None:
    """Mark the records on lines that are not UTF-8 as errors, naming the first bad byte."""
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if i in errors:
            continue
        for index in range(start - 1, end):
            found = UNDECODED.search(lines[index])
            if found is not None:
                byte = ord(found.group()) - 0xDC00
                errors[i] = (
                    f"line {index + 1} is not UTF-8 text (byte 0x{byte:02X} at character "
                    f"{found.start() + 1}), unlike the rest of the file"
                )
                records[i] = ["", ""]
                break


def _as_utf8(text: str) -> str:
    """Text with the bytes that were not UTF-8 shown as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
