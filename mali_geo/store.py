"""Incidents on disk as GeoParquet: the import cache, and stores partitioned by year.

An imported file is kept once, keyed by the SHA-256 of its bytes (and :data:`CACHE_VERSION`),
in :func:`cache_dir`: ``<digest>/incidents.parquet`` (GeoParquet), ``rejected.parquet`` and
``import.json`` (the counts of the report). A second import of the same bytes, from the CLI or
a restarted server, reads those instead of parsing the file again.

A store is a GeoParquet file, or a folder of them partitioned by start year in hive style
(``year=2013/part-0.parquet``), as :func:`write_store` writes it. :func:`read_store` reads one
lazily through :mod:`pyarrow.dataset`: a filter on years or dates is pushed down, so only the
files and row groups a view needs are read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pa_ds

from mali_geo.errors import DataError
from mali_geo.importer import ImportResult, import_bytes, read_local_file
from mali_geo.importer.formats import Format
from mali_geo.schema import INCIDENT_COLUMNS, OPTIONAL_INCIDENT_COLUMNS, incidents_gdf

#: Environment variable naming the cache folder.
CACHE_ENV: Final = "MALI_GEO_CACHE"
#: Bumped whenever the importer's rules or the entries' layout change (2: incidents kept in date
#: order, with their rows in the file), so that older cache entries are not used.
CACHE_VERSION: Final = 2
#: The hive partition column of a store folder.
PARTITION: Final = "year"


def cache_dir() -> Path:
    """The cache folder: ``$MALI_GEO_CACHE``, else ``mali-geo`` in the user's cache directory."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mali-geo"


def bytes_digest(data: bytes) -> str:
    """SHA-256 of a file's bytes, with :data:`CACHE_VERSION` mixed in: the cache key."""
    digest = hashlib.sha256(f"mali-geo import v{CACHE_VERSION}\n".encode())
    digest.update(data)
    return digest.hexdigest()


def cached_import(
    path: str | Path, *, cache: str | Path | None = None, in_date_order: bool = False
) -> ImportResult:
    """Import a local file (any size), or read its earlier import from the cache.

    The cache keeps the incidents in date order (with each one's row in the file), as the
    app's dataset holds them (:func:`mali_geo.dataset.by_date`): a restarted app reads them
    ready, and the file's order is one reordering away.

    Parameters
    ----------
    path
        The file to import (a directory, device or FIFO is refused before reading).
    cache
        The cache folder; :func:`cache_dir` by default.
    in_date_order
        Give the incidents in date order (as the app holds them) instead of the file's.

    Returns
    -------
    ImportResult
        Equal to :func:`mali_geo.importer.import_file`'s for the same bytes (with
        ``in_date_order``, its incidents in date order, index reset).

    Raises
    ------
    ImportFileError
        As :func:`mali_geo.importer.import_file`.
    """
    path = Path(path)
    data = read_local_file(path)
    entry = Path(cache or cache_dir()) / bytes_digest(data)
    if (entry / "import.json").is_file():
        return _read_entry(entry, path.name, in_date_order=in_date_order)
    result = import_bytes(data, source_name=path.name, max_bytes=None)
    del data
    with contextlib.suppress(OSError):  # a read-only or full cache: the import still stands
        _write_entry(result, entry)
    if in_date_order:
        from mali_geo.dataset import by_date  # the dataset module reads stores too

        result = replace(result, incidents=by_date(result.incidents))
    return result


def load_incidents(path: str | Path, *, years: tuple[int, int] | None = None) -> gpd.GeoDataFrame:
    """The incidents of a Parquet store, or of any incident file through the import cache.

    This is what ``MALI_GEO_INCIDENTS`` names: a Parquet file or folder is read lazily
    (:func:`read_store`); another file is imported once (:func:`cached_import`).
    """
    path = Path(path)
    if is_store(path):
        return read_store(path, years=years)
    incidents = cached_import(path).incidents
    if years is None:
        return incidents
    year = incidents["date_start"].dt.year
    keep = (year >= years[0]) & (year <= years[1])
    return incidents.loc[keep.to_numpy()].reset_index(drop=True)


def is_store(path: str | Path) -> bool:
    """Whether a path is a Parquet file or a folder (of Parquet files)."""
    path = Path(path)
    return path.is_dir() or path.suffix.lower() in (".parquet", ".geoparquet")


def write_store(incidents: gpd.GeoDataFrame, out: str | Path, *, by_year: bool = False) -> Path:
    """Write incidents as GeoParquet: one file, or (``by_year``) a folder partitioned by year.

    Returns
    -------
    pathlib.Path
        The file or folder written.
    """
    out = Path(out)
    if not by_year:
        out.parent.mkdir(parents=True, exist_ok=True)
        incidents.to_parquet(out, index=False, compression="zstd")
        return out
    out.mkdir(parents=True, exist_ok=True)
    years = incidents["date_start"].dt.year.to_numpy()
    for year in sorted(set(years.tolist())):
        part = out / f"{PARTITION}={year}"
        part.mkdir(exist_ok=True)
        rows = incidents.loc[years == year].reset_index(drop=True)
        rows.to_parquet(part / "part-0.parquet", index=False, compression="zstd")
    return out


def read_store(path: str | Path, *, years: tuple[int, int] | None = None) -> gpd.GeoDataFrame:
    """Read a store's incidents, only those starting in ``years`` (inclusive) if given.

    Raises
    ------
    DataError
        The store lacks a column of :data:`mali_geo.schema.INCIDENT_COLUMNS`.
    """
    dataset = pa_ds.dataset(str(path), format="parquet", partitioning="hive")
    names = set(dataset.schema.names)
    needed = [c for c in INCIDENT_COLUMNS if c not in OPTIONAL_INCIDENT_COLUMNS]
    missing = [c for c in needed if c not in names]
    if missing:
        msg = f"{Path(path).name}: not an incidents store, no column {', '.join(missing)}"
        raise DataError(msg)
    table = dataset.to_table(
        columns=[c for c in INCIDENT_COLUMNS if c in names], filter=_year_filter(years, names)
    )
    return incidents_gdf(table.combine_chunks().to_pandas())  # one chunk a column


# --- helpers ------------------------------------------------------------------------------


def _year_filter(years: tuple[int, int] | None, names: set[str]) -> pa_ds.Expression | None:
    """Rows starting in these years: on the partition column when there is one."""
    if years is None:
        return None
    if PARTITION in names:
        field = pa_ds.field(PARTITION)
        return (field >= years[0]) & (field <= years[1])
    start = pa_ds.field("date_start")
    first = pa.scalar(dt.datetime(years[0], 1, 1), pa.timestamp("ns"))
    after = pa.scalar(dt.datetime(years[1] + 1, 1, 1), pa.timestamp("ns"))
    return (start >= first) & (start < after)


#: The column of a cache entry holding each incident's row in the file (0 first).
FILE_ROW: Final = "_file_row"


def _write_entry(result: ImportResult, entry: Path) -> None:
    """Keep an import in the cache; written to a temporary folder, then renamed into place."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    temporary.mkdir(exist_ok=True)
    incidents = result.incidents.assign(**{FILE_ROW: np.arange(len(result.incidents))})
    incidents = incidents.sort_values("date_start", kind="stable")
    incidents.to_parquet(temporary / "incidents.parquet", index=False)
    result.rejected.to_parquet(temporary / "rejected.parquet", index=False)
    meta = {
        "read": result.read,
        "format": str(result.format.value),
        "layout": result.layout,
        "date_convention": result.date_convention,
        "merged": result.merged,
        "hxl_line": result.hxl_line,
    }
    (temporary / "import.json").write_text(json.dumps(meta), encoding="utf-8")
    try:
        temporary.rename(entry)
    except OSError:  # another process cached the same file meanwhile: keep theirs
        for child in temporary.iterdir():
            child.unlink()
        temporary.rmdir()


def _read_entry(entry: Path, source_name: str, *, in_date_order: bool) -> ImportResult:
    """An import read back from the cache, its incidents in date or in the file's order."""
    meta = json.loads((entry / "import.json").read_text(encoding="utf-8"))
    from mali_geo.dataset import by_date, in_one_chunk  # dataset reads the store

    # Each column in one chunk from the start: the app takes rows of them on every view,
    # and combining them later would hold the file's text twice.
    table = in_one_chunk(pd.read_parquet(entry / "incidents.parquet"))
    if not in_date_order and FILE_ROW in table.columns:
        table = table.iloc[np.argsort(table[FILE_ROW].to_numpy(), kind="stable")]
    incidents = incidents_gdf(table[list(INCIDENT_COLUMNS)])
    if in_date_order and not incidents["date_start"].is_monotonic_increasing:
        incidents = by_date(incidents)  # an entry cached before date order was kept
    rejected = pd.read_parquet(entry / "rejected.parquet")
    rejected = rejected.astype({"line": "int64", "reason": "str", "raw": "str"})
    return ImportResult(
        incidents,
        rejected,
        int(meta["read"]),
        Format(meta["format"]),
        source_name,
        layout=str(meta["layout"]),
        date_convention=meta["date_convention"],
        merged=int(meta["merged"]),
        hxl_line=meta["hxl_line"],
    )
