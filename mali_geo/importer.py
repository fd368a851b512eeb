"""Import users' incident files (ACLED, UCDP GED, plain CSV, GeoJSON) into the incident schema.

Every data row of a file ends up either in :attr:`ImportResult.incidents` (normalised with
:func:`mali_geo.schema.incidents_gdf`) or in :attr:`ImportResult.rejected` with its line number,
a reason and its raw text, so ``len(incidents) + len(rejected) == read`` always holds. A file
that cannot be read as a table at all raises :class:`~mali_geo.errors.ImportFileError`.

The format is detected from the content, never from the file name: a JSON document must be a
GeoJSON ``FeatureCollection``; otherwise the text (UTF-8 with or without BOM, UTF-16 with BOM,
Windows-1252 or Latin-1) must be a comma, semicolon or tab separated table whose header names
the columns below. A UCDP GED file without a header row is recognised by its shape: 49 fields in
the codebook's order (:data:`GED_COLUMNS`), an integer ``id`` first, a year third, numeric
``latitude``/``longitude`` at positions 30/31 and an ISO ``date_start`` at position 39.

Mapping onto :data:`mali_geo.schema.INCIDENT_COLUMNS`, as ACLED | UCDP GED | plain CSV and
GeoJSON (the README has the same as a table):

- ``incident_id``: ``event_id_cnty`` | ``id`` | ``incident_id``, ``id`` or ``event_id`` (GeoJSON:
  also the feature ``id``); a row without one gets ``IMP-<line>``.
- ``date_start``: ``event_date`` | ``date_start`` | ``date``, ``date_start`` or ``event_date``.
- ``date_end``: ``event_date`` | ``date_end`` | ``date_end``; start date where empty.
- ``date_precision``: ``time_precision`` 1/2/3 → day/week/month | ``date_prec`` 1 → day, 2–3 →
  week, 4–5 → month | ``date_precision`` if day, week or month; day otherwise.
- ``place``: ``location`` | ``where_coordinates`` | ``place`` or ``location``.
- ``admin1``: ``admin1`` | ``adm_1`` | ``admin1``, ``admin1_2012`` or ``region``; as 2012 names.
- ``lat``, ``lon``: ``latitude``, ``longitude`` | same | ``lat``/``latitude``,
  ``lon``/``longitude``/``lng`` (GeoJSON: the Point geometry).
- ``coord_source``: "ACLED geo_precision N" | "UCDP GED where_prec N" | ``coord_source``, else
  "plain CSV lat/lon" or "GeoJSON point".
- ``event_type``: ``event_type`` + ``sub_event_type`` (below) | ``type_of_violence`` 1 →
  battle, 2 → clash_between_armed_groups, 3 → violence_against_civilians, else other |
  ``event_type`` if one of :data:`~mali_geo.schema.EVENT_TYPES`, else other.
- ``actors``: ``actor1; actor2`` | ``side_a; side_b`` | ``actors``.
- ``fatalities_low``: ``fatalities`` | ``low``, else ``best`` | ``fatalities_low``, else
  ``fatalities``; ``fatalities_high`` likewise with ``high``.
- ``summary``: ``notes`` | ``source_headline`` | ``summary`` or ``notes``.
- ``source_title``: ``source`` unless a URL | ``source_office``, plus ``source_article`` unless
  a URL | ``source_title``, plus ``source``/``source_url``/``source_url_2`` unless URLs.
- ``source_url``: ``source`` if an http(s) URL | ``source_article`` if one | ``source_url``,
  else ``source``, if an http(s) URL.
- ``quote``, ``source_url_2``: empty | empty | ``quote``, ``source_url_2`` (if a URL).

ACLED event types: Battles → battle; Explosions/Remote violence by sub-event type: Air/drone
strike → air_strike, Suicide bomb → suicide_attack, Remote explosive/landmine/IED →
ied_landmine, Shelling/artillery/missile attack → rocket_shelling, any other → armed_attack;
Violence against civilians → violence_against_civilians (sub-type Abduction/forced
disappearance → kidnapping); Protests, Riots → riot_protest; Strategic developments →
strategic_development; anything else → other. Older ACLED names (Remote violence,
Riots/Protests, Battle-…, Non-violent transfer of territory, Headquarters or base established)
map the same way.

Admin1 names are mapped to the 2012 regions (Kayes, Koulikoro, Sikasso, Ségou, Mopti,
Tombouctou, Gao, Kidal, Bamako) when they match ignoring accents, case and words such as
"region"/"district" (Timbuktu → Tombouctou, Ménaka → Gao, Taoudénit → Tombouctou); any other
name is kept as given. A text that should be a URL but is not an http(s) URL (for instance
``javascript:…``) is kept as text in ``source_title`` and never as ``source_url``. Text fields
are kept verbatim: escaping is the renderer's job.

Dates are read as ``2013-01-31`` (a time part is ignored), ``31 January 2013`` or
``31-Jan-13`` (two-digit years: 00–68 → 20xx, 69–99 → 19xx), English or French month names.

Rows are rejected, first matching reason wins, with reasons starting ``malformed row:``,
``bad date:``, ``missing coordinate``, ``non-numeric coordinate:``, ``outside study area:``
(``outside study area: latitude and longitude look swapped`` when swapping them would fit),
``negative fatalities``, ``bad fatalities:`` (not a whole number, or low above high) and
``duplicate id: <id> (first seen on line N)`` (checked among otherwise valid rows; the later row
is rejected). Blank lines are not rows. A row with the wrong number of fields, a quoted field
left open at the end of the file, or text after a closing quote is a ``malformed row``; its
``line`` is where the record starts and ``raw`` holds all the lines it spans.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mali_geo.config import POINT_PRECISION, STUDY_AREA
from mali_geo.errors import ImportFileError
from mali_geo.schema import EVENT_TYPES, INCIDENT_COLUMNS, in_study_area, incidents_gdf

#: Largest file :func:`import_bytes` accepts.
MAX_IMPORT_BYTES: int = 50 * 1024 * 1024

#: Columns of :attr:`ImportResult.rejected`.
REJECTED_COLUMNS: tuple[str, ...] = ("line", "reason", "raw")

#: UCDP GED CSV columns in codebook order, assumed for a GED file without a header row.
GED_COLUMNS: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip

_ACLED_MARKERS = frozenset(
    {"event_id_cnty", "sub_event_type", "actor1", "geo_precision", "time_precision"}
)
_GED_MARKERS = frozenset(
    {"type_of_violence", "where_coordinates", "side_a", "relid", "date_prec", "where_prec"}
)
_DATE_COLUMNS = ("date", "date_start", "event_date")
_LAT_COLUMNS = ("lat", "latitude")
_LON_COLUMNS = ("lon", "longitude", "lng")
_KNOWN_COLUMNS = frozenset(
    {*GED_COLUMNS, *_ACLED_MARKERS, *_DATE_COLUMNS, *_LAT_COLUMNS, *_LON_COLUMNS}
    | {"event_type", "location", "actor2", "notes", "fatalities", "source", "place", "admin1"}
    | {"incident_id", "date_end", "fatalities_low", "fatalities_high", "source_url"}
)
_DELIMITERS = (",", ";", "\t")
_PREVIEW = 60
#: ``get(*names)``: the first of these columns present in a file, as a text Series.
_Get = Callable[..., pd.Series]

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook? save it as CSV)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (an .xls workbook? save it as CSV)"),
    (b"SQLite format 3", "an SQLite database"),
)

_MONTHS: dict[str, int] = {
    **{m: i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1)},
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1)},
    "sept": 9,
    **{m: i for i, m in enumerate(
        ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
         "septembre", "octobre", "novembre", "decembre"), start=1)},
    "février": 2, "août": 8, "décembre": 12, "janv": 1, "févr": 2, "fevr": 2, "avr": 4,
    "juil": 7, "déc": 12,
}  # fmt: skip
_DATE_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\s*(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
        r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?\s*",
        r"\s*(?P<d>[0-9]{1,2})\s+(?P<mon>[^\W\d_]+)\.?\s+(?P<y>[0-9]{4})\s*",
        r"\s*(?P<d>[0-9]{1,2})-(?P<mon>[^\W\d_]{3,5})-(?P<y>[0-9]{2}|[0-9]{4})\s*",
    )
)
_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,3})?\s*")
_DECIMAL_COMMA = r"\s*[+-]?[0-9]*,[0-9]+\s*"
_MISSING_TOKENS = ("", "na", "n/a", "nan", "null", "none", "-")
_URL = re.compile(r"https?://[^\s/?#<>\"'`\\]+[^\s<>\"'`\\]*", re.IGNORECASE)
_NAT = np.datetime64("NaT", "ns")

_REGIONS_2012 = ("Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti", "Tombouctou", "Gao",
                 "Kidal", "Bamako")  # fmt: skip
_ADMIN1_KEYS: dict[str, str] = {
    **{"segou" if r == "Ségou" else r.lower(): r for r in _REGIONS_2012},
    "timbuktu": "Tombouctou", "tombuctu": "Tombouctou", "menaka": "Gao",
    "taoudeni": "Tombouctou", "taoudenit": "Tombouctou", "taoudenni": "Tombouctou",
}  # fmt: skip
_ADMIN1_FILLER = re.compile(r"\b(region|de|du|la|of|district|cercle|province)\b")


@dataclass(frozen=True)
class ImportResult:
    """What an import accepted and rejected.

    Attributes
    ----------
    incidents
        Accepted rows, normalised with :func:`mali_geo.schema.incidents_gdf`.
    rejected
        Columns ``line`` (1-based line of the row in the file, or feature index + 1 for
        GeoJSON), ``reason`` and ``raw`` (the row as text), in line order.
    read
        Data rows read (header and blank lines excluded).
    format
        ``"acled"``, ``"ucdp_ged"``, ``"plain_csv"`` or ``"geojson"``.
    source_name
        The file name the user gave.
    """

    incidents: gpd.GeoDataFrame
    rejected: pd.DataFrame
    read: int
    format: str
    source_name: str

    def summary(self) -> str:
        """Say how many rows were read, accepted and rejected."""
        accepted, rejected = len(self.incidents), len(self.rejected)
        return f"read {self.read}, accepted {accepted}, rejected {rejected}"


def import_bytes(
    data: bytes, *, source_name: str, max_bytes: int = MAX_IMPORT_BYTES
) -> ImportResult:
    """Import an incident file given as bytes.

    Parameters
    ----------
    data
        The file's content.
    source_name
        The file name the user gave (kept in the result; never used to guess the format).
    max_bytes
        Largest accepted size.

    Returns
    -------
    ImportResult
        Accepted incidents and rejected rows.

    Raises
    ------
    ImportFileError
        The file is empty, binary, too large, not a table, or has no usable columns; the
        one-line message starts with ``source_name``. An unexpected failure inside the
        importer is also reported this way ("internal error ..."), with the original
        exception as ``__cause__``, so a user's file never crashes the caller.
    """
    if len(data) > max_bytes:
        msg = (
            f"{source_name}: file too large ({_size_text(len(data))}); "
            f"the limit is {_size_text(max_bytes)}"
        )
        raise ImportFileError(msg)
    try:
        return _import_text(_decode(data), source_name)
    except ImportFileError as exc:
        msg = f"{source_name}: {exc}"
        raise ImportFileError(msg) from None
    except Exception as exc:  # a user's file must never crash the caller: report, keep the cause
        msg = f"{source_name}: cannot import the file (internal error {type(exc).__name__})"
        raise ImportFileError(msg) from exc


def import_file(path: str | Path, *, max_bytes: int = MAX_IMPORT_BYTES) -> ImportResult:
    """Import an incident file from disk.

    Parameters
    ----------
    path
        The file; its name becomes :attr:`ImportResult.source_name`.
    max_bytes
        Largest accepted size, checked before reading.

    Returns
    -------
    ImportResult
        Accepted incidents and rejected rows.

    Raises
    ------
    ImportFileError
        The file cannot be opened, or :func:`import_bytes` refuses it.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            msg = (
                f"{path.name}: file too large ({_size_text(size)}); "
                f"the limit is {_size_text(max_bytes)}"
            )
            raise ImportFileError(msg)
        data = path.read_bytes()
    except OSError as exc:
        msg = f"{path.name}: cannot read the file ({exc.strerror or exc})"
        raise ImportFileError(msg) from None
    return import_bytes(data, source_name=path.name, max_bytes=max_bytes)


def write_import(result: ImportResult, out_dir: str | Path) -> tuple[Path, Path]:
    """Write accepted incidents as GeoJSON and rejected rows as CSV.

    Parameters
    ----------
    result
        An import's result.
    out_dir
        Folder to write ``incidents.geojson`` (RFC 7946) and ``rejected.csv`` (line, reason,
        raw) into; created if needed.

    Returns
    -------
    tuple of pathlib.Path
        The GeoJSON path and the CSV path.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    geojson_path = out / "incidents.geojson"
    csv_path = out / "rejected.csv"
    text = json.dumps(_feature_collection(result.incidents), ensure_ascii=False, allow_nan=False)
    geojson_path.write_text(text, encoding="utf-8")
    result.rejected.loc[:, list(REJECTED_COLUMNS)].to_csv(
        csv_path, index=False, encoding="utf-8", lineterminator="\n"
    )
    return geojson_path, csv_path


# --- reading the file ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """A file's data rows as text, before mapping onto the schema."""

    columns: dict[str, Sequence[str]]  # normalised column name -> cell text of each row
    line: np.ndarray  # 1-based line (or feature number) of each row
    raw: Callable[[int], str]  # raw text of the row at a position
    malformed: list[tuple[int, str, str]]  # (line, reason, raw) of rows that are not rows
    format: str


def _import_text(text: str, source_name: str) -> ImportResult:
    """Read decoded text as a table, map it onto the schema and check every row."""
    body = text.lstrip()
    table = _read_geojson(body) if body.startswith(("{", "[")) else _read_csv(text)
    rows = _MAPPERS[table.format](_getter(table.columns, len(table.line)), table.line)
    values = _parse_values(rows)
    reasons = _row_problems(rows, values, table.line)
    ok = np.array([reason is None for reason in reasons], dtype=bool)
    incidents = incidents_gdf(_typed(rows, values, ok))
    bad = np.flatnonzero(~ok)
    rejected = pd.DataFrame(
        {
            "line": [line for line, _, _ in table.malformed] + table.line[bad].tolist(),
            "reason": [reason for _, reason, _ in table.malformed] + reasons[bad].tolist(),
            "raw": [raw for _, _, raw in table.malformed] + [table.raw(i) for i in bad],
        }
    )
    rejected = rejected.astype({"line": "int64", "reason": "str", "raw": "str"})
    rejected = rejected.sort_values("line", kind="stable", ignore_index=True)
    read = len(table.line) + len(table.malformed)
    return ImportResult(incidents, rejected, read, table.format, source_name)


def _decode(data: bytes) -> str:
    """Decode bytes as text, refusing empty and binary content."""
    unmarked = data.removeprefix(b"\xef\xbb\xbf").removeprefix(b"\xff\xfe")
    if not unmarked.removeprefix(b"\xfe\xff").strip(b" \t\r\n\x00"):
        raise ImportFileError("empty file")
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            msg = f"not a table: binary file ({kind})"
            raise ImportFileError(msg)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("not a table: binary file (invalid UTF-16 text)") from None
    elif b"\x00" in data:
        raise ImportFileError("not a table: binary file (contains NUL bytes)")
    else:
        text = _decode_8bit(data)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportFileError("empty file")
    if "\x00" in text or _control_share(text[:65536]) > 0.01:
        raise ImportFileError("not a table: binary file (control characters)")
    return text


def _decode_8bit(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _control_share(text: str) -> float:
    """Share of control characters other than tab, newlines and form feed."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return controls / max(len(text), 1)


def _read_csv(text: str) -> _Table:
    """Split delimited text into records, keeping each record's lines."""
    lines = list(io.StringIO(text, newline=""))
    first, delimiter = _header_position(lines)
    starts, ends, records, errors = _split_records(lines, first, delimiter)
    if not records:
        raise ImportFileError("empty file")
    if 0 in errors:
        msg = f"not a table: cannot read the first line ({errors[0]})"
        raise ImportFileError(msg)
    if _is_headerless_ged(records[0]):
        columns, begin = list(GED_COLUMNS), 0
    else:
        columns, begin = _normalise_columns(records[0]), 1
    fmt = _detect_format(set(columns))

    def raw(i: int) -> str:
        return "".join(lines[starts[i] - 1 : ends[i]]).removesuffix("\n").removesuffix("\r")

    good: list[int] = []
    malformed: list[tuple[int, str, str]] = []
    for i in range(begin, len(records)):
        if len(records[i]) == len(columns) and i not in errors:
            good.append(i)
        else:
            reason = _malformed_reason(len(columns), records[i], errors.get(i), starts[i], ends[i])
            malformed.append((starts[i], reason, raw(i)))
    by_column = _by_column([records[i] for i in good], columns)
    line = np.array([starts[i] for i in good], dtype=np.int64)
    return _Table(by_column, line, lambda pos: raw(good[pos]), malformed, fmt)


def _header_position(lines: list[str]) -> tuple[int, str]:
    """Find the first line of the table and its delimiter (honouring Excel's ``sep=``)."""
    first = _first_content_line(lines)
    if first is None:
        raise ImportFileError("empty file")
    hint = re.fullmatch(r"sep=([,;\t|])\s*", lines[first])
    if hint:
        first = _first_content_line(lines, first + 1)
        delimiter: str | None = hint.group(1)
    else:
        delimiter = _sniff_delimiter(lines[first])
    if first is None or delimiter is None:
        msg = "not a table: no comma, semicolon or tab separated columns on the first line"
        raise ImportFileError(msg)
    return first, delimiter


def _first_content_line(lines: list[str], start: int = 0) -> int | None:
    """Index of the first non-blank line at or after ``start``."""
    return next((i for i in range(start, len(lines)) if lines[i].strip()), None)


def _sniff_delimiter(line: str) -> str | None:
    """Pick the delimiter that splits the header line into the most fields."""
    counts = {d: len(next(csv.reader([line], delimiter=d), [])) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 1 else None


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


def _normalise_columns(names: list[str]) -> list[str]:
    """Lower-case, trimmed header names with inner spaces as underscores."""
    return [re.sub(r"\s+", "_", n.strip().strip('"').lower()) for n in names]


def _is_headerless_ged(fields: list[str]) -> bool:
    """Tell whether a first record is a GED data row rather than a header."""
    if len(fields) != len(GED_COLUMNS) or _KNOWN_COLUMNS & set(_normalise_columns(fields)):
        return False
    at = {name: fields[i].strip() for i, name in enumerate(GED_COLUMNS)}
    return bool(
        re.fullmatch(r"[0-9]+", at["id"])
        and re.fullmatch(r"(19|20)[0-9]{2}", at["year"])
        and _DATE_PATTERNS[0].fullmatch(at["date_start"])
        and _NUMBER.fullmatch(at["latitude"])
        and _NUMBER.fullmatch(at["longitude"])
    )


def _detect_format(columns: set[str]) -> str:
    """Name the format a header belongs to, or refuse it."""
    lat = columns.intersection(_LAT_COLUMNS)
    lon = columns.intersection(_LON_COLUMNS)
    if lat and lon:
        if "event_date" in columns and columns & _ACLED_MARKERS:
            return "acled"
        if "date_start" in columns and columns & _GED_MARKERS:
            return "ucdp_ged"
        if columns.intersection(_DATE_COLUMNS):
            return "plain_csv"
    raise ImportFileError(_no_usable_columns(columns))


def _no_usable_columns(columns: set[str]) -> str:
    """Say which of the required columns are missing."""
    missing = [
        what
        for what, names in (
            ("a date (date, date_start or event_date)", _DATE_COLUMNS),
            ("a latitude (lat or latitude)", _LAT_COLUMNS),
            ("a longitude (lon or longitude)", _LON_COLUMNS),
        )
        if not columns.intersection(names)
    ]
    found = ", ".join(sorted(repr(c[:30]) for c in columns)[:12]) or "none"
    return f"no usable columns: missing {' and '.join(missing)} column; found {found}"


def _read_geojson(text: str) -> _Table:
    """Read a GeoJSON FeatureCollection of Point features as a table of properties."""
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
    features = doc["features"]

    def raw(i: int) -> str:
        return _clean_text(json.dumps(features[i], ensure_ascii=False))

    rows: list[dict[str, str]] = []
    good: list[int] = []
    malformed: list[tuple[int, str, str]] = []
    for i, feature in enumerate(features):
        row = _feature_row(feature)
        if isinstance(row, str):
            malformed.append((i + 1, f"malformed row: {row}", raw(i)))
        else:
            rows.append(row)
            good.append(i)
    names = dict.fromkeys(key for row in rows for key in row)
    columns = {name: [row.get(name, "") for row in rows] for name in names}
    if rows and not names.keys() & set(_DATE_COLUMNS):
        msg = "no usable columns: no feature has a date property (date, date_start or event_date)"
        raise ImportFileError(msg)
    line = np.array(good, dtype=np.int64) + 1
    return _Table(columns, line, lambda pos: raw(good[pos]), malformed, "geojson")


def _feature_row(feature: object) -> dict[str, str] | str:
    """Flatten one feature into text properties plus ``lat``/``lon``, or say what is wrong."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return "not a GeoJSON Feature"
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return "properties is not an object"
    row: dict[str, str] = {}
    for key, value in props.items():
        row.setdefault(_normalise_columns([_clean_text(str(key))])[0], _json_text(value))
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
        return _clean_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _clean_text(json.dumps(value, ensure_ascii=False))


def _clean_text(text: str) -> str:
    """Replace lone surrogates (possible in JSON escapes), which no UTF-8 file can hold."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# --- mapping each format onto the schema --------------------------------------------------


def _from_acled(get: _Get, line: np.ndarray) -> pd.DataFrame:
    """Map ACLED columns onto the schema (see the module docstring)."""
    date = get("event_date")
    geo_precision = get("geo_precision").str.strip()
    title, url = _split_sources([], [get("source")])
    fatalities = get("fatalities")
    return _candidates(
        line,
        incident_id=_ids(get("event_id_cnty"), line),
        date_start=date,
        date_end=date,
        date_precision=_precision(get("time_precision"), {"1": "day", "2": "week", "3": "month"}),
        place=get("location"),
        admin1=_admin1_2012(get("admin1")),
        lat=get("latitude"),
        lon=get("longitude"),
        coord_source=("ACLED geo_precision " + geo_precision).where(geo_precision != "", "ACLED"),
        event_type=_acled_event_types(get("event_type"), get("sub_event_type")),
        actors=_join(get("actor1"), get("actor2")),
        fatalities_low=fatalities,
        fatalities_high=fatalities,
        summary=get("notes"),
        source_title=title,
        source_url=url,
    )


def _from_ged(get: _Get, line: np.ndarray) -> pd.DataFrame:
    """Map UCDP GED columns onto the schema (see the module docstring)."""
    start, end = get("date_start"), get("date_end")
    where_prec = get("where_prec").str.strip()
    best, low, high = get("best"), get("low"), get("high")
    violence = get("type_of_violence").str.strip().str.removesuffix(".0")
    title, url = _split_sources([get("source_office")], [get("source_article")])
    return _candidates(
        line,
        incident_id=_ids(get("id"), line),
        date_start=start,
        date_end=end.where(end.str.strip() != "", start),
        date_precision=_precision(
            get("date_prec"), {"1": "day", "2": "week", "3": "week", "4": "month", "5": "month"}
        ),
        place=get("where_coordinates"),
        admin1=_admin1_2012(get("adm_1")),
        lat=get("latitude"),
        lon=get("longitude"),
        coord_source=("UCDP GED where_prec " + where_prec).where(where_prec != "", "UCDP GED"),
        event_type=violence.map(
            {"1": "battle", "2": "clash_between_armed_groups", "3": "violence_against_civilians"}
        ).fillna("other"),
        actors=_join(get("side_a"), get("side_b")),
        fatalities_low=low.where(low.str.strip() != "", best),
        fatalities_high=high.where(high.str.strip() != "", best),
        summary=get("source_headline"),
        source_title=title,
        source_url=url,
    )


def _from_plain(
    get: _Get, line: np.ndarray, *, coord_default: str = "plain CSV lat/lon"
) -> pd.DataFrame:
    """Map a plain CSV (or GeoJSON properties) onto the schema (see the module docstring)."""
    start, end = get(*_DATE_COLUMNS), get("date_end")
    fatalities, low, high = get("fatalities"), get("fatalities_low"), get("fatalities_high")
    coord_source = get("coord_source")
    title, url = _split_sources([get("source_title")], [get("source_url"), get("source")])
    url_2 = get("source_url_2").str.strip()
    url_2_ok = _is_url(url_2)
    event_type = get("event_type").str.strip().str.lower()
    precision = get("date_precision").str.strip().str.lower()
    return _candidates(
        line,
        incident_id=_ids(get("incident_id", "id", "event_id"), line),
        date_start=start,
        date_end=end.where(end.str.strip() != "", start),
        date_precision=precision.where(precision.isin(["day", "week", "month"]), "day"),
        place=get("place", "location"),
        admin1=_admin1_2012(get("admin1", "admin1_2012", "region")),
        lat=get(*_LAT_COLUMNS),
        lon=get(*_LON_COLUMNS),
        coord_source=coord_source.where(coord_source.str.strip() != "", coord_default),
        event_type=event_type.where(event_type.isin(EVENT_TYPES), "other"),
        actors=get("actors"),
        fatalities_low=low.where(low.str.strip() != "", fatalities),
        fatalities_high=high.where(high.str.strip() != "", fatalities),
        summary=get("summary", "notes"),
        source_title=_join(title, url_2.where(~url_2_ok, "")),
        source_url=url,
        quote=get("quote"),
        source_url_2=url_2.where(url_2_ok, ""),
    )


def _from_geojson(get: _Get, line: np.ndarray) -> pd.DataFrame:
    """Map GeoJSON properties like a plain CSV, with a GeoJSON coordinate source."""
    return _from_plain(get, line, coord_default="GeoJSON point")


_MAPPERS: dict[str, Callable[[_Get, np.ndarray], pd.DataFrame]] = {
    "acled": _from_acled,
    "ucdp_ged": _from_ged,
    "plain_csv": _from_plain,
    "geojson": _from_geojson,
}


def _getter(columns: dict[str, Sequence[str]], size: int) -> _Get:
    """Return ``get(*names)``: per row, the first non-blank of these columns, else ``""``.

    Columns become Series only when a mapper asks for them: files carry many unused ones.
    """

    def get(*names: str) -> pd.Series:
        out = pd.Series("", index=pd.RangeIndex(size), dtype="str")
        for name in reversed([n for n in names if n in columns]):
            values = pd.Series(columns[name], index=out.index, dtype="str")
            out = values.where(values.str.strip() != "", out) if len(names) > 1 else values
        return out

    return get


def _candidates(line: np.ndarray, **columns: pd.Series) -> pd.DataFrame:
    """Assemble :data:`INCIDENT_COLUMNS` as text, empty where a format has no source."""
    empty = pd.Series("", index=pd.RangeIndex(len(line)), dtype="str")
    return pd.DataFrame({col: columns.get(col, empty) for col in INCIDENT_COLUMNS}, dtype="str")


def _ids(values: pd.Series, line: np.ndarray) -> pd.Series:
    """Trimmed ids, ``IMP-<line>`` where a row has none."""
    ids = values.str.strip()
    generated = "IMP-" + pd.Series(line, index=values.index).astype(str)
    return ids.where(ids != "", generated)


def _precision(codes: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Map numeric precision codes to day/week/month; unknown or missing codes give day."""
    return codes.str.strip().str.removesuffix(".0").map(mapping).fillna("day")


def _join(first: pd.Series, second: pd.Series) -> pd.Series:
    """Join two text columns with ``"; "``, skipping empty parts."""
    a, b = first.str.strip() != "", second.str.strip() != ""
    both = first + "; " + second
    return both.where(a & b, first.where(a, second.where(b, "")))


def _is_url(values: pd.Series) -> np.ndarray:
    """Tell which (trimmed) values are http(s) URLs with a host."""
    return _per_unique(values, lambda v: _URL.fullmatch(v) is not None, bool)


def _split_sources(titles: list[pd.Series], candidates: list[pd.Series]) -> tuple[pd.Series, ...]:
    """Keep the first http(s) URL among ``candidates``; every other text joins the title."""
    index = (titles or candidates)[0].index
    title = pd.Series("", index=index, dtype="str")
    url = title.copy()
    for part in titles:
        title = _join(title, part)
    for part in candidates:
        stripped = part.str.strip()
        take = _is_url(stripped) & (url == "").to_numpy(dtype=bool)
        url = url.where(~take, stripped)
        title = _join(title, part.where(~take, ""))
    return title, url


def _acled_event_types(event_type: pd.Series, sub_type: pd.Series) -> pd.Series:
    """Map ACLED event and sub-event types onto the project's event types."""
    et = event_type.str.strip().str.lower()
    st = sub_type.str.strip().str.lower()
    remote = et.isin(["explosions/remote violence", "remote violence"])
    civilians = et == "violence against civilians"
    strategic = [
        "strategic developments",
        "strategic development",
        "non-violent transfer of territory",
        "headquarters or base established",
    ]
    rules = [
        (et.str.startswith("battle"), "battle"),
        (remote & (st == "air/drone strike"), "air_strike"),
        (remote & (st == "suicide bomb"), "suicide_attack"),
        (remote & (st == "remote explosive/landmine/ied"), "ied_landmine"),
        (remote & (st == "shelling/artillery/missile attack"), "rocket_shelling"),
        (remote, "armed_attack"),
        (civilians & (st == "abduction/forced disappearance"), "kidnapping"),
        (civilians, "violence_against_civilians"),
        (et.isin(["protests", "riots", "riots/protests"]), "riot_protest"),
        (et.isin(strategic), "strategic_development"),
    ]
    masks = [mask.to_numpy(dtype=bool) for mask, _ in rules]
    chosen = np.select(masks, [name for _, name in rules], "other")
    return pd.Series(chosen, index=event_type.index, dtype="str")


def _admin1_2012(names: pd.Series) -> pd.Series:
    """Map admin1 names onto the 2012 regions where they match; keep others as given."""
    return pd.Series(_per_unique(names, _region_2012, object), index=names.index, dtype="str")


def _region_2012(name: str) -> str:
    """Return the 2012 region a name denotes, or the name unchanged."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    key = re.sub(r"[^a-z]", "", _ADMIN1_FILLER.sub(" ", plain))
    return _ADMIN1_KEYS.get(key) or name


def _per_unique(values: pd.Series, func: Callable[[str], object], dtype: object) -> np.ndarray:
    """Apply ``func`` once per distinct value (columns repeat a lot) and spread the results."""
    codes, uniques = pd.factorize(values.fillna(""))
    results = np.array([func(str(u)) for u in uniques], dtype=dtype)
    return results[codes]


# --- checking rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Values:
    """The typed values of the candidate rows; NaT/NaN where unreadable or missing."""

    start: np.ndarray
    end: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    low: np.ndarray
    high: np.ndarray


#: A check: which rows fail, and their reason (one text, or built for the failing rows only).
_Check = tuple[np.ndarray, "str | Callable[[np.ndarray], list[str]]"]


def _parse_values(rows: pd.DataFrame) -> _Values:
    """Parse dates, coordinates and fatalities once, for checking and for the result."""
    return _Values(
        start=_parse_dates(rows["date_start"]),
        end=_parse_dates(rows["date_end"]),
        lat=_numbers(rows["lat"]),
        lon=_numbers(rows["lon"]),
        low=_whole_numbers(rows["fatalities_low"]),
        high=_whole_numbers(rows["fatalities_high"]),
    )


def _row_problems(rows: pd.DataFrame, values: _Values, line: np.ndarray) -> np.ndarray:
    """Give each row its first problem as a reason, or None when it is valid."""
    reasons = np.full(len(rows), None, dtype=object)
    open_rows = np.ones(len(rows), dtype=bool)
    checks = [
        *_date_checks(rows, values),
        *_coordinate_checks(rows, values),
        *_fatality_checks(rows, values),
    ]
    for mask, reason in checks:
        hit = mask & open_rows
        if hit.any():
            reasons[hit] = reason if isinstance(reason, str) else reason(hit)
            open_rows &= ~hit
    mask, reason = _duplicate_check(rows["incident_id"], line, open_rows)
    if mask.any():
        reasons[mask] = reason(mask)
    return reasons


def _date_checks(rows: pd.DataFrame, values: _Values) -> list[_Check]:
    """Missing, unreadable or impossible dates, and an end before the start."""
    start, end = rows["date_start"], rows["date_end"]
    return [
        (_blank(start), "bad date: missing"),
        (np.isnat(values.start), _each(lambda v: f"bad date: {_show(v)} is not a date", start)),
        (
            ~_blank(end) & np.isnat(values.end),
            _each(lambda v: f"bad date: end {_show(v)} is not a date", end),
        ),
        (
            values.end < values.start,
            _each(lambda s, e: f"bad date: end {_show(e)} is before start {_show(s)}", start, end),
        ),
    ]


def _coordinate_checks(rows: pd.DataFrame, values: _Values) -> list[_Check]:
    """Missing, non-numeric and out-of-area coordinates (naming a lat/lon swap)."""
    lat, lon = values.lat, values.lon
    inside, swapped = in_study_area(lon, lat), in_study_area(lat, lon)
    return [
        (_is_missing(rows["lat"]) | _is_missing(rows["lon"]), "missing coordinate"),
        (
            np.isnan(lat),
            _each(lambda v: f"non-numeric coordinate: latitude {_show(v)}", rows["lat"]),
        ),
        (
            np.isnan(lon),
            _each(lambda v: f"non-numeric coordinate: longitude {_show(v)}", rows["lon"]),
        ),
        (
            ~inside & swapped,
            _each(
                lambda y, x: (
                    "outside study area: latitude and longitude look swapped "
                    f"(lat {_num(y)}, lon {_num(x)})"
                ),
                lat,
                lon,
            ),
        ),
        (
            ~inside,
            _each(
                lambda y, x: (
                    f"outside study area: lat {_num(y)}, lon {_num(x)} "
                    f"is outside lon {STUDY_AREA[0]}..{STUDY_AREA[2]}, "
                    f"lat {STUDY_AREA[1]}..{STUDY_AREA[3]}"
                ),
                lat,
                lon,
            ),
        ),
    ]


def _fatality_checks(rows: pd.DataFrame, values: _Values) -> list[_Check]:
    """Fatality figures that are not whole numbers, negative, or low above high."""
    checks: list[_Check] = []
    for col, number in (("fatalities_low", values.low), ("fatalities_high", values.high)):
        text = rows[col]
        checks += [
            (
                ~_blank(text) & np.isnan(number),
                _each(lambda v: f"bad fatalities: {_show(v)} is not a whole number", text),
            ),
            (number < 0, _each(lambda v: f"negative fatalities: {_show(v)}", text)),
        ]
    checks.append(
        (
            values.low > values.high,
            _each(
                lambda a, b: f"bad fatalities: low {_num(a)} is above high {_num(b)}",
                values.low,
                values.high,
            ),
        )
    )
    return checks


def _duplicate_check(ids: pd.Series, line: np.ndarray, valid: np.ndarray) -> _Check:
    """Later rows whose id an earlier valid row already has."""
    positions = np.flatnonzero(valid)
    valid_ids = pd.Series(ids.to_numpy(dtype=object)[positions])
    first_line = np.zeros(len(ids), dtype=np.int64)
    first_line[positions] = pd.Series(line[positions]).groupby(valid_ids).transform("min")
    mask = np.zeros(len(ids), dtype=bool)
    mask[positions[valid_ids.duplicated(keep="first").to_numpy()]] = True
    return mask, _each(lambda i, n: f"duplicate id: {i} (first seen on line {n})", ids, first_line)


def _each(
    make: Callable[..., str], *columns: pd.Series | np.ndarray
) -> Callable[[np.ndarray], list[str]]:
    """Build reasons lazily, only for the rows a check rejects."""

    def build(hit: np.ndarray) -> list[str]:
        parts = [np.asarray(column, dtype=object)[hit] for column in columns]
        return [make(*cells) for cells in zip(*parts, strict=True)]

    return build


def _parse_dates(values: pd.Series) -> np.ndarray:
    """Parse ``2013-01-31``, ``31 January 2013`` and ``31-Jan-13``; NaT where impossible."""
    return _per_unique(values, _parse_date, "datetime64[ns]")


def _parse_date(text: str) -> np.datetime64:
    """Parse one date in any accepted style; NaT if none fits or the day does not exist."""
    for pattern in _DATE_PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            break
    else:
        return _NAT
    parts = found.groupdict()
    month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["mon"].casefold(), 0)
    year = int(parts["y"])
    if len(parts["y"]) == 2:
        year += 2000 if year < 69 else 1900
    if not 1900 <= year <= 2100:
        return _NAT
    try:
        return np.datetime64(dt.date(year, month, int(parts["d"])), "ns")
    except ValueError:
        return _NAT


def _numbers(values: pd.Series) -> np.ndarray:
    """Finite floats from numeric text (a decimal comma is accepted); NaN for anything else."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(
        dtype=float, na_value=np.nan, copy=True
    )
    comma = np.isnan(numbers) & values.str.contains(",", regex=False).to_numpy(dtype=bool)
    if comma.any():
        comma[comma] = values[comma].str.fullmatch(_DECIMAL_COMMA).to_numpy(dtype=bool)
    if comma.any():
        fixed = values[comma].str.replace(",", ".", regex=False)
        numbers[comma] = pd.to_numeric(fixed, errors="coerce").to_numpy(dtype=float)
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers


def _whole_numbers(values: pd.Series) -> np.ndarray:
    """Whole numbers below a billion as floats; NaN where missing or not whole."""
    numbers = _numbers(values)
    whole = (numbers == np.floor(numbers)) & (np.abs(numbers) < 1e9)
    return np.where(whole, numbers, np.nan)


def _blank(values: pd.Series) -> np.ndarray:
    """Empty or whitespace-only cells."""
    return (values.str.strip() == "").to_numpy(dtype=bool)


def _is_missing(values: pd.Series) -> np.ndarray:
    """Empty cells and the usual not-available tokens."""
    return values.str.strip().str.casefold().isin(_MISSING_TOKENS).to_numpy(dtype=bool)


def _show(text: str) -> str:
    """Quote cell text for a reason, short and on one line."""
    shown = repr(text[:_PREVIEW])
    return shown[:-1] + "…" + shown[-1] if len(text) > _PREVIEW else shown


def _num(value: float) -> str:
    """Write a number for a reason as Python does, without a trailing ``.0``."""
    return repr(float(value)).removesuffix(".0")


def _typed(rows: pd.DataFrame, values: _Values, ok: np.ndarray) -> pd.DataFrame:
    """Keep the valid rows, with parsed values in place of their text."""
    out = rows.loc[ok].reset_index(drop=True)
    out["date_start"] = values.start[ok]
    out["date_end"] = values.end[ok]
    out["lat"] = values.lat[ok]
    out["lon"] = values.lon[ok]
    out["fatalities_low"] = pd.Series(values.low[ok]).astype("Int64")
    out["fatalities_high"] = pd.Series(values.high[ok]).astype("Int64")
    return out


def _size_text(size: int) -> str:
    """Write a byte count as ``50 MB`` or ``1,234 bytes``."""
    mib = 1024 * 1024
    if size >= mib:
        return f"{size / mib:.1f}".removesuffix(".0") + " MB"
    return f"{size:,} bytes"


# --- writing ------------------------------------------------------------------------------


def _feature_collection(gdf: gpd.GeoDataFrame) -> dict:
    """Build an RFC 7946 FeatureCollection of a GeoDataFrame in EPSG:4326.

    Points are ``[lon, lat]`` rounded to 6 decimals, missing geometries ``null``; datetimes are
    ``YYYY-MM-DD`` strings, integers stay integers, and NaN/NA become ``null``. No ``crs``.

    Parameters
    ----------
    gdf
        Features to write; every non-geometry column becomes a property.

    Returns
    -------
    dict
        Ready for :func:`json.dumps` with ``allow_nan=False``.
    """
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    by_column = [_json_values(gdf[c]) for c in columns]
    properties = [dict(zip(columns, cells, strict=True)) for cells in zip(*by_column, strict=True)]
    if not columns:
        properties = [{} for _ in range(len(gdf))]
    geometries = [_geometry_json(g) for g in gdf.geometry.array]
    features = [
        {"type": "Feature", "properties": props, "geometry": geom}
        for props, geom in zip(properties, geometries, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _json_values(series: pd.Series) -> list:
    """Return a column as JSON-ready Python values, ``None`` for missing."""
    missing = series.isna().to_numpy(dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dt.strftime("%Y-%m-%d").astype(object).tolist()
    elif pd.api.types.is_float_dtype(series):
        values = series.round(POINT_PRECISION).astype(object).tolist()
    else:
        values = series.astype(object).tolist()
    return [None if miss else _plain(v) for v, miss in zip(values, missing, strict=True)]


def _plain(value: object) -> object:
    """Numpy scalars as Python scalars (json cannot write numpy types)."""
    return value.item() if isinstance(value, np.generic) else value


def _geometry_json(geom: object) -> dict | None:
    """Return a geometry as a GeoJSON dict (points rounded to 6 decimals), None if missing."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Point":
        return {
            "type": "Point",
            "coordinates": [round(geom.x, POINT_PRECISION), round(geom.y, POINT_PRECISION)],
        }
    rounded = shapely.set_precision(geom, 10.0**-POINT_PRECISION)
    return json.loads(shapely.to_geojson(rounded))
