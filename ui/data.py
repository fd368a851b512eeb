"""The data the page shows, loaded, imported and built once and cached.

Cache keys come from the data themselves: a dataset is known by its ``incidents_key``, an
import by its source, a built layer by its catalogue key; no parameter exists only to key
a cache.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from mali_geo.catalogue import View, build_layers, select_incidents
from mali_geo.context import simplified
from mali_geo.dataset import Dataset, ImportMode, load_dataset, with_incidents
from mali_geo.errors import ImportFileError, MaliGeoError
from mali_geo.importer import ImportResult
from mali_geo.importer.worker import import_in_worker
from mali_geo.period import Period, data_range, incidents_span
from mali_geo.store import cached_import, is_store, read_store

#: A deployment can start on its own incidents file: ``MALI_GEO_INCIDENTS=FILE``.
ENV_INCIDENTS = "MALI_GEO_INCIDENTS"
T = TypeVar("T")


@dataclass(frozen=True)
class ImportSource:
    """A file to import, and what identifies it without reading it.

    An upload is read from memory (``read``); the launch variable's file from disk
    (``path``), through the importer's own file reading, which refuses FIFOs and devices.
    """

    #: An upload's id, or a file's name with its size and modification time.
    source: str
    name: str
    mode: ImportMode
    read: Callable[[], bytes] | None = None
    path: Path | None = None


@dataclass(frozen=True)
class Active:
    """The data the page shows, how it was imported, and what went wrong."""

    dataset: Dataset
    result: ImportResult | None = None
    #: The import behind it (None: the shipped data), kept to fall back on.
    source: ImportSource | None = None
    #: A one-line message when the asked import failed (the previous data are kept).
    error: str | None = None


def dataset_key(ds: Dataset) -> str:
    """What identifies a dataset in caches: its incidents (the other files are shipped)."""
    return ds.incidents_key


def _source_key(src: ImportSource) -> tuple[str, str, str]:
    return src.source, src.name, src.mode.value


@st.cache_resource(show_spinner=False)
def shipped() -> Dataset:
    """The shipped data, loaded and validated once per server."""
    return settled(load_dataset())


# cache_resource, not cache_data: cache_data would pickle and copy 100,000 imported rows on
# every rerun. The cached objects are shared between sessions and never mutated.
@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={ImportSource: _source_key})
def import_or_error(src: ImportSource) -> tuple[Dataset, ImportResult | None] | str:
    """:func:`imported`, or its one-line error: a refused file is not read again on reruns."""
    try:
        return imported(src)
    except ImportFileError as exc:
        return str(exc)


@st.cache_resource(show_spinner="Importing…", max_entries=8, hash_funcs={ImportSource: _source_key})
def imported(src: ImportSource) -> tuple[Dataset, ImportResult | None]:
    """Import a user's file (or open a Parquet store) and combine it with the shipped data.

    Cached per source, so a rerun neither reads nor hashes the file (20 MB at 100,000
    incidents: ~40 ms).

    Raises
    ------
    ImportFileError
        The importer refused the file (a one-line message naming the file's base name).
    """
    result = None if src.path is not None and is_store(src.path) else run_import(src)
    incidents = open_store(src) if result is None else result.incidents
    verb = (
        "added to the shipped ones"
        if src.mode is ImportMode.ADD
        else "in place of the shipped ones"
    )
    label = f"{len(incidents):,} imported from {src.name}, {verb}"
    digest = hashlib.sha1(src.source.encode(), usedforsecurity=False).hexdigest()
    key = f"{src.mode.value}:{digest}"  # the same file added or replacing: other incidents
    ds = with_incidents(shipped(), incidents, mode=src.mode, label=label, key=key)
    ds.coded  # coded once here, for every view's aggregates  # noqa: B018
    return settled((ds, result))


def run_import(src: ImportSource) -> ImportResult:
    """The one place the app parses a file.

    An upload is parsed in a worker process, within a time and a memory limit
    (:mod:`mali_geo.importer.worker`): a slow or huge file ends with a one-line message and
    the server keeps answering every other visitor. The launch variable's file is the
    operator's own and may be of any size: it is imported in the server's process through
    the on-disk cache (:func:`mali_geo.store.cached_import`), so a restart starts from it.
    """
    if src.path is not None:
        return cached_import(src.path, in_date_order=True)
    assert src.read is not None  # noqa: S101 - an ImportSource has one or the other
    return import_in_worker(src.read(), src.name)


def open_store(src: ImportSource) -> gpd.GeoDataFrame:
    """The incidents of the Parquet store the launch variable names (read lazily).

    Raises
    ------
    ImportFileError
        The store cannot be read (the message names its base name only).
    """
    assert src.path is not None  # noqa: S101 - only the launch variable names a store
    try:
        return read_store(src.path)
    except (MaliGeoError, OSError, ValueError) as exc:
        msg = f"{src.name}: cannot read the Parquet store ({type(exc).__name__})"
        raise ImportFileError(msg) from None


def settled(value: T) -> T:
    """Return ``value`` after freezing every object alive now (the data, the libraries).

    Python's full garbage collections would otherwise rescan them all on many reruns (up to
    0.15 s, at random); frozen objects are still freed when nothing refers to them.
    """
    gc.freeze()
    return value


# At 100,000 incidents a selection holds up to ~30 MB: the last few views' stay cached.
@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs={Dataset: dataset_key})
def selection_for(ds: Dataset, view: View) -> gpd.GeoDataFrame:
    """The incidents a view shows (period, types, actor groups), selected once per view.

    The layers, the headline and the feed share it: never mutated.
    """
    period = Period(view.start, view.end)
    return select_incidents(ds, period, view.event_types, view.actors)


# At 100,000 incidents one period's layers hold ~40 MB (the incidents layer): 8 stay cached.
@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={Dataset: dataset_key})
def layers_for(ds: Dataset, view: View) -> dict[str, gpd.GeoDataFrame]:
    """Layers for a view (cached per dataset, period, types and actor groups; never mutated)."""
    period = Period(view.start, view.end)
    return build_layers(
        ds,
        period,
        event_types=view.event_types,
        actor_groups=view.actors,
        selected=selection_for(ds, view),
    )


@st.cache_resource(show_spinner=False)
def context_data() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Context layers simplified for display, computed once."""
    ds = shipped()
    return simplified(ds.countries), simplified(ds.niger), simplified(ds.lakes)


def active_data(
    upload: UploadedFile | None, mode: ImportMode, previous: ImportSource | None
) -> Active:
    """The shipped data, or with the imported incidents (an upload, or the launch variable).

    A failed import keeps the data shown before (``previous``) and says why in one line
    that names the file by its base name only.

    Parameters
    ----------
    upload
        The uploaded file, or None.
    mode
        What uploaded incidents do to the shipped ones.
    previous
        The import shown before, if any.
    """
    done: tuple[Dataset, ImportResult | None] | str
    try:
        src = import_source(upload, mode)
    except ImportFileError as exc:
        done = str(exc)
    else:
        if src is None:
            return Active(shipped())
        done = import_or_error(src)
        if not isinstance(done, str):
            return Active(*done, src)
    error = f"Import failed, the map keeps the data it had: {done}"
    kept = None if previous is None else import_or_error(previous)
    if kept is None or isinstance(kept, str):
        return Active(shipped(), error=error)
    return Active(*kept, previous, error)


def import_source(upload: UploadedFile | None, mode: ImportMode) -> ImportSource | None:
    """The file to import: the upload, else ``MALI_GEO_INCIDENTS``'s file, else none.

    Raises
    ------
    ImportFileError
        The launch variable's file cannot be found (the message names its base name only).
    """
    if upload is not None:
        return ImportSource(f"upload {upload.file_id}", upload.name, mode, read=upload.getvalue)
    if not os.environ.get(ENV_INCIDENTS):
        return None
    path = Path(os.environ[ENV_INCIDENTS])
    try:
        stat = path.stat()
    except OSError as exc:
        msg = f"{path.name}: cannot read the file ({exc.strerror or type(exc).__name__})"
        raise ImportFileError(msg) from None
    source = f"{path.name} {stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"
    return ImportSource(source, path.name, ImportMode.REPLACE, path=path)


def event_types(ds: Dataset) -> list[str]:
    """Event types present in the incidents, sorted (read from the coded incidents)."""
    return [str(t) for t in ds.coded.event_type.values]


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={Dataset: dataset_key})
def months_of(ds: Dataset) -> tuple[str, str]:
    """The first and last month the timeline offers for a dataset (see :func:`data_range`).

    Computed once per dataset (a million incidents: tens of milliseconds on every run).
    """
    return data_range(_span(ds.incidents))


def import_span(active: Active) -> tuple[str, str]:
    """The period to show after an import: the imported incidents' whole span."""
    return _imported_span(active.dataset, active.result)


def _result_key(result: ImportResult) -> str:
    return result.source_name


@st.cache_resource(
    show_spinner=False,
    max_entries=8,
    hash_funcs={Dataset: dataset_key, ImportResult: _result_key},
)
def _imported_span(ds: Dataset, result: ImportResult | None) -> tuple[str, str]:
    """:func:`import_span`, once per dataset (whose key names the import behind it)."""
    inc = ds.incidents if result is None else result.incidents
    return _span(inc) or months_of(ds)


def _span(incidents: gpd.GeoDataFrame) -> tuple[str, str] | None:
    return incidents_span(incidents["date_start"], incidents["date_end"])
