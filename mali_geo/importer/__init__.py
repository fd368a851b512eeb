"""Import users' incident files (ACLED, UCDP GED, plain CSV, GeoJSON) into the incident schema.

Every data row of a file is either accepted or in :attr:`ImportResult.rejected` with its line
number, a reason and its raw text, so ``accepted + len(rejected) == read`` always holds. An
accepted row is an incident of :attr:`ImportResult.incidents` (normalised with
:func:`mali_geo.schema.incidents_gdf`) unless it was merged into an earlier row (ACLED's
monadic rows, one per actor of an event): ``len(incidents) == accepted - merged``. A file that
cannot be read as a table at all raises :class:`~mali_geo.errors.ImportFileError`;
:meth:`ImportResult.report` says what a user needs to check the import.

The import runs by stage, one module each:

- reading (:mod:`._read`): size limit, refusal of binary files, the encoding, decided per
  file (UTF-16 with BOM; else UTF-8 with or without BOM unless most lines with non-ASCII
  bytes are not UTF-8, then Windows-1252 or Latin-1), the header's size limit and the
  delimiter (comma, semicolon or tab; Excel's ``sep=`` line is honoured);
- the table (:mod:`._columnar`, pyarrow's CSV reader, where it reads a file exactly as the
  record-by-record reader of :mod:`._table` would, else the latter): delimited text, a JSON
  array of row objects (bare, or the UCDP API's ``{"Result": [...]}`` and the ACLED API's
  ``{"data": [...]}``) or a GeoJSON FeatureCollection as columns of text; an HXL tag row
  under the header is skipped. A row with the wrong number of fields, a quoted field left
  open at the end of the file, text after a closing quote, a cell over
  :data:`~mali_geo.importer._read.MAX_CELL_CHARS` characters, or (in a UTF-8 file) a line
  that is not UTF-8 is a ``malformed row:``; its ``line`` is where the record starts and
  ``raw`` holds all the lines it spans. Blank lines are not rows;
- the format (:mod:`.formats`): detected from the content, never from the file name, each
  format's detection next to its mapping onto :data:`mali_geo.schema.INCIDENT_COLUMNS`
  (:mod:`.formats.acled`, :mod:`.formats.ucdp`, :mod:`.formats.plain`,
  :mod:`.formats.geojson`; the README has the mapping as a table);
- the row rules (:mod:`._rows`): dates, coordinates, fatalities and duplicate ids, each bad
  row rejected with the first reason that applies.

Admin1 names are mapped to the 2012 regions (Kayes, Koulikoro, Sikasso, Ségou, Mopti,
Tombouctou, Gao, Kidal, Bamako) when they match ignoring accents, case and words such as
"region"/"district" (Timbuktu → Tombouctou, Ménaka → Gao, Taoudénit → Tombouctou); any other
name is kept as given. A text that should be a URL but is not an http(s) URL (for instance
``javascript:…``) is kept as text in ``source_title`` and never as ``source_url``. Text fields
are kept verbatim: escaping is the renderer's job.

An import runs in the caller's process; :func:`.worker.import_in_worker` runs it in a separate
process bounded in time and memory, for an app that imports the files its users upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from mali_geo import export
from mali_geo.config import POINT_PRECISION
from mali_geo.errors import ImportFileError
from mali_geo.importer import _columnar, _read, _rows, _table, formats
from mali_geo.importer._read import MAX_IMPORT_BYTES, UPLOAD_LIMIT_HINT
from mali_geo.importer.formats import Format, FormatSpec
from mali_geo.importer.formats._mapping import near_mali
from mali_geo.importer.formats.ucdp import GED_COLUMNS
from mali_geo.schema import incidents_gdf
from mali_geo.spreadsheet import spreadsheet_safe_csv

__all__ = [
    "GED_COLUMNS",
    "MAX_IMPORT_BYTES",
    "REJECTED_COLUMNS",
    "UPLOAD_LIMIT_HINT",
    "Format",
    "ImportReport",
    "ImportResult",
    "import_bytes",
    "import_file",
    "read_local_file",
    "write_import",
]

#: Columns of :attr:`ImportResult.rejected`.
REJECTED_COLUMNS: Final[tuple[str, ...]] = ("line", "reason", "raw")


@dataclass(frozen=True)
class ImportReport:
    """What an import's report shows, each part as data and as a line of text.

    Attributes
    ----------
    read, accepted, rejected
        Data rows read, accepted and rejected (``accepted + rejected == read``).
    merged
        Accepted rows merged into an earlier row of the same event.
    incidents
        Incidents made (``accepted - merged``).
    format
        The format and layout detected, such as ``"ACLED, CSV (upper-case header)"``.
    date_convention
        How slash dates were read (``"day-first"``, ``"month-first"``, ``"undecided"``,
        ``"mixed"``), or ``None`` when the file has none.
    date_span
        First and last start date of the incidents, or ``None`` when there are none.
    by_year, by_region
        Incidents per start year and per admin1 (``"(none)"`` when empty), largest first
        for regions.
    hxl_line
        Line of the HXL tag row skipped, or ``None``.
    reasons
        Rejected rows per kind of reason (the text before the first ``:``), most first.
    """

    read: int
    accepted: int
    rejected: int
    merged: int
    incidents: int
    format: str
    date_convention: str | None
    date_span: tuple[str, str] | None
    by_year: dict[int, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    hxl_line: int | None = None
    reasons: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The report as lines of text, the first ``read N, accepted A, rejected R``."""
        out = [
            f"read {self.read}, accepted {self.accepted}, rejected {self.rejected}",
            f"format: {self.format}",
        ]
        if self.merged:
            out.append(
                f"{self.merged} monadic rows merged: {self.accepted} accepted rows "
                f"- {self.merged} merged = {self.incidents} incidents"
            )
        else:
            out.append(f"incidents: {self.incidents}")
        if self.hxl_line is not None:
            out.append(f"HXL tag row skipped (line {self.hxl_line}; not counted as read)")
        if self.date_convention is not None:
            out.append(f"slash dates: {_CONVENTIONS[self.date_convention]}")
        if self.date_span is not None:
            out.append(f"dates: {self.date_span[0]} to {self.date_span[1]}")
        if self.by_year:
            out.append("by year: " + ", ".join(f"{y} {n}" for y, n in self.by_year.items()))
        if self.by_region:
            out.append("by region: " + ", ".join(f"{r} {n}" for r, n in self.by_region.items()))
        if self.reasons:
            out.append("rejected: " + ", ".join(f"{r} {n}" for r, n in self.reasons.items()))
        return out


_CONVENTIONS: Final = {
    _rows.DAY_FIRST: "day-first (31/01/2013)",
    _rows.MONTH_FIRST: "month-first (01/31/2013)",
    _rows.UNDECIDED: "undecided: no date has a day above 12, ambiguous ones rejected",
    _rows.MIXED: "mixed day-first and month-first, ambiguous ones rejected",
}


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
        The format detected (a :class:`Format`, equal to its text value such as ``"acled"``).
    source_name
        The file name the user gave.
    layout
        How the rows were laid out (``"CSV"``, ``"JSON array"``, ...).
    date_convention
        How slash dates were read (see :class:`ImportReport`), ``None`` without any.
    merged
        Accepted rows merged into an earlier row of the same event (not incidents).
    hxl_line
        Line of an HXL tag row that was skipped (not counted as read), else ``None``.
    """

    incidents: gpd.GeoDataFrame
    rejected: pd.DataFrame
    read: int
    format: Format
    source_name: str
    layout: str = "CSV"
    date_convention: str | None = None
    merged: int = 0
    hxl_line: int | None = None

    @property
    def accepted(self) -> int:
        """Rows accepted: incidents plus the rows merged into them."""
        return len(self.incidents) + self.merged

    def summary(self) -> str:
        """Say how many rows were read, accepted and rejected."""
        return f"read {self.read}, accepted {self.accepted}, rejected {len(self.rejected)}"

    def report(self) -> ImportReport:
        """Everything the import report shows (see :class:`ImportReport`), computed once."""
        return self._report

    @cached_property
    def _report(self) -> ImportReport:
        incidents = self.incidents
        starts = pd.to_datetime(incidents["date_start"])
        span = None
        if len(incidents):
            span = (f"{starts.min():%Y-%m-%d}", f"{starts.max():%Y-%m-%d}")
        years = starts.dt.year.value_counts().sort_index()
        admin1 = incidents["admin1"].astype("str")
        named = incidents["admin1"].notna() & (admin1.str.strip() != "")
        regions = _most_common(admin1.where(named, "(none)"))
        kinds = _most_common(self.rejected["reason"].astype("str").str.split(":", n=1).str[0])
        return ImportReport(
            read=self.read,
            accepted=self.accepted,
            rejected=len(self.rejected),
            merged=self.merged,
            incidents=len(incidents),
            format=f"{formats.REGISTRY[self.format].name}, {self.layout}",
            date_convention=self.date_convention,
            date_span=span,
            by_year={int(y): int(n) for y, n in years.items()},
            by_region=regions,
            hxl_line=self.hxl_line,
            reasons=kinds,
        )


def import_bytes(
    data: bytes, *, source_name: str, max_bytes: int | None = MAX_IMPORT_BYTES
) -> ImportResult:
    """Import an incident file given as bytes.

    Parameters
    ----------
    data
        The file's content.
    source_name
        The file name the user gave (kept in the result; never used to guess the format).
    max_bytes
        Largest accepted size (the browser upload limit by default; ``None``: any size).

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
    _read.check_size(len(data), max_bytes, source_name)
    try:
        return _import_text(_read.decode(data), source_name)
    except ImportFileError as exc:
        msg = f"{source_name}: {exc}"
        raise ImportFileError(msg) from None
    except MemoryError:  # not the file's fault alone: the caller (a bounded worker) says so
        raise
    except Exception as exc:  # a user's file must never crash the caller: report, keep the cause
        msg = f"{source_name}: cannot import the file (internal error {type(exc).__name__})"
        raise ImportFileError(msg) from exc


def import_file(path: str | Path, *, max_bytes: int | None = None) -> ImportResult:
    """Import an incident file from disk.

    Parameters
    ----------
    path
        The file; its name becomes :attr:`ImportResult.source_name`.
    max_bytes
        Largest accepted size, checked before reading; by default a local file may have
        any size that fits in memory.

    Returns
    -------
    ImportResult
        What :func:`import_bytes` gives for the file's content.

    Raises
    ------
    ImportFileError
        The file cannot be opened, or :func:`import_bytes` refuses it.
    """
    path = Path(path)
    data = _read.read_path(path, max_bytes)
    return import_bytes(data, source_name=path.name, max_bytes=max_bytes)


def read_local_file(path: str | Path, *, max_bytes: int | None = None) -> bytes:
    """A regular file's bytes; a directory, device or FIFO is refused before reading.

    Raises
    ------
    ImportFileError
        The file is not a regular file, is over ``max_bytes`` or cannot be read.
    """
    return _read.read_path(Path(path), max_bytes)


def write_import(
    result: ImportResult, out_dir: str | Path, *, fmt: str = "geojson", by_year: bool = False
) -> tuple[Path, Path]:
    """Write accepted incidents as GeoJSON (or GeoParquet) and rejected rows as CSV.

    Parameters
    ----------
    result
        An import's result.
    out_dir
        Folder to write ``incidents.geojson`` (RFC 7946, written by :mod:`mali_geo.export`)
        and ``rejected.csv`` (line, reason, raw; spreadsheet-safe: a cell a spreadsheet would
        run as a formula starts with ``'``, see :mod:`mali_geo.spreadsheet`) into; created
        if needed.
    fmt
        ``"geojson"``, or ``"parquet"`` for ``incidents.parquet`` (GeoParquet), or with
        ``by_year`` an ``incidents/`` folder partitioned by start year (``year=2013/...``),
        which :func:`mali_geo.store.read_store` reads.

    Returns
    -------
    tuple of pathlib.Path
        The incidents' path and the CSV path.
    """
    from mali_geo.store import write_store

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "rejected.csv"
    # lat/lon properties carry the precision of the point they describe
    incidents = result.incidents.round({"lat": POINT_PRECISION, "lon": POINT_PRECISION})
    if fmt == "parquet":
        name = "incidents" if by_year else "incidents.parquet"
        incidents_path = write_store(incidents, out / name, by_year=by_year)
    else:
        incidents_path = export.write_geojson(incidents, out / "incidents.geojson")
    # a rejected row is the user's text: a cell such as "=HYPERLINK(...)" must stay text
    rejected = spreadsheet_safe_csv(result.rejected.loc[:, list(REJECTED_COLUMNS)])
    csv_path.write_text(rejected, encoding="utf-8", newline="")
    return incidents_path, csv_path


def _import_text(text: str, source_name: str) -> ImportResult:
    """Read decoded text as a table, map it onto the schema and check every row."""
    table, spec = _table_and_format(text)
    rows = spec.to_candidates(table.get, table.line)
    slash = _rows.slash_convention(
        pd.concat([rows["date_start"], rows["date_end"]]), spec.slash_dates
    )
    values = _rows.parse_values(rows, slash)
    checked = _rows.row_problems(
        rows,
        values,
        table.line,
        near=near_mali(table.get("country"), rows["admin1"]),
        slash=slash,
        merge_actors=spec.merges_actor_rows,
    )
    reasons = checked.reasons
    valid = np.array([reason is None for reason in reasons], dtype=bool)
    incidents = incidents_gdf(_rows.typed(checked.rows, values, valid & ~checked.merged))
    return ImportResult(
        incidents,
        _rejected(table, reasons, valid),
        _read_count(table),
        spec.format,
        source_name,
        layout=table.layout,
        date_convention=slash,
        merged=int(checked.merged.sum()),
        hxl_line=table.hxl_line,
    )


def _table_and_format(text: str) -> tuple[_table.Table, FormatSpec]:
    """Read text as GeoJSON, a JSON array of rows or delimited text, and detect its format."""
    doc = _table.parse_json(text)
    if doc is not None and _table.is_geojson(doc):
        table = _table.read_geojson(doc)
        return table, formats.for_geojson(frozenset(table.columns), len(table.line))
    if doc is not None:
        table = _table.read_records(doc)
        return table, formats.for_table(frozenset(table.columns))
    columnar = _columnar.read_csv(text, formats.implied_header)
    if columnar is not None:
        return columnar, formats.for_table(frozenset(columnar.columns))
    try:
        table = _table.read_csv(text, formats.implied_header)
        return table, formats.for_table(frozenset(table.columns))
    except ImportFileError:
        json_error = _table.json_error(text)
        if json_error is not None:
            raise ImportFileError(json_error) from None
        raise


def _rejected(table: _table.Table, reasons: np.ndarray, ok: np.ndarray) -> pd.DataFrame:
    """Malformed records and rows that broke a rule, in line order."""
    bad = np.flatnonzero(~ok)
    rejected = pd.DataFrame(
        {
            "line": [m.line for m in table.malformed] + table.line[bad].tolist(),
            "reason": [m.reason for m in table.malformed] + reasons[bad].tolist(),
            "raw": [m.raw for m in table.malformed] + [table.raw(int(i)) for i in bad],
        }
    )
    rejected = rejected.astype({"line": "int64", "reason": "str", "raw": "str"})
    return rejected.sort_values("line", kind="stable", ignore_index=True)


def _most_common(values: pd.Series[str]) -> dict[str, int]:
    """Counts of each value, most first, ties in order of first appearance (as ``Counter``)."""
    codes, uniques = pd.factorize(values)
    counts = np.bincount(codes, minlength=len(uniques))
    order = np.argsort(-counts, kind="stable")
    return {str(uniques[i]): int(counts[i]) for i in order}


def _read_count(table: _table.Table) -> int:
    """Data rows read: rows plus malformed records."""
    return len(table.line) + len(table.malformed)
