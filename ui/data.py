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

from mali_geo.catalogue import View, build_layers
from mali_geo.context import simplified
from mali_geo.dataset import Dataset, ImportMode, load_dataset, with_incidents
from mali_geo.errors import ImportFileError
from mali_geo.importer import ImportResult, import_bytes
from mali_geo.period import Period

#: A deployment can start on its own incidents file: ``MALI_GEO_INCIDENTS=FILE``.
ENV_INCIDENTS = "MALI_GEO_INCIDENTS"
T = TypeVar("T")


@dataclass(frozen=True)
class ImportSource:
    """A file to import: how to read it, and what identifies it without reading it."""

    read: Callable[[], bytes]
    #: An upload's id, or a path with its size and modification time.
    source: str
    name: str
    mode: ImportMode


def _dataset_key(ds: Dataset) -> str:
    return ds.incidents_key


def _source_key(src: ImportSource) -> tuple[str, str, str]:
    return src.source, src.name, src.mode.value


@st.cache_resource(show_spinner=False)
def shipped() -> Dataset:
    """The shipped data, loaded and validated once per server."""
    return settled(load_dataset())


# cache_resource, not cache_data: cache_data would pickle and copy 100,000 imported rows on
# every rerun. The cached objects are shared between sessions and never mutated.
@st.cache_resource(show_spinner="Importing…", max_entries=8, hash_funcs={ImportSource: _source_key})
def imported(src: ImportSource) -> tuple[Dataset, ImportResult]:
    """Import a user's file and combine it with the shipped data.

    Cached per source, so a rerun neither reads nor hashes the file (20 MB at 100,000
    incidents: ~40 ms).
    """
    data = src.read()
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - a cache key, not security
    result = import_bytes(data, source_name=src.name)
    verb = (
        "added to the shipped ones"
        if src.mode is ImportMode.ADD
        else "in place of the shipped ones"
    )
    label = f"{len(result.incidents):,} imported from {src.name}, {verb}"
    key = f"{src.mode.value}:{digest}"  # the same file added or replacing: other incidents
    ds = with_incidents(shipped(), result.incidents, mode=src.mode, label=label, key=key)
    return settled((ds, result))


def settled(value: T) -> T:
    """Return ``value`` after freezing every object alive now (the data, the libraries).

    Python's full garbage collections would otherwise rescan them all on many reruns (up to
    0.15 s, at random); frozen objects are still freed when nothing refers to them.
    """
    gc.freeze()
    return value


# At 100,000 incidents one period's layers hold ~40 MB (the incidents layer): 8 stay cached.
@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={Dataset: _dataset_key})
def layers_for(ds: Dataset, view: View) -> dict[str, gpd.GeoDataFrame]:
    """Layers for a view (cached per dataset, period and event types; never mutated)."""
    return build_layers(ds, Period(view.start, view.end), event_types=view.event_types)


@st.cache_resource(show_spinner=False)
def context_data() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Context layers simplified for display, computed once."""
    ds = shipped()
    return simplified(ds.countries), simplified(ds.niger), simplified(ds.lakes)


def active_dataset(
    upload: UploadedFile | None, mode: ImportMode
) -> tuple[Dataset, ImportResult | None]:
    """The shipped data, or with the imported incidents (an upload, or the launch variable).

    Parameters
    ----------
    upload
        The uploaded file, or None.
    mode
        What uploaded incidents do to the shipped ones.
    """
    try:
        if upload is not None:
            src = ImportSource(upload.getvalue, f"upload {upload.file_id}", upload.name, mode)
            return imported(src)
        if os.environ.get(ENV_INCIDENTS):
            path = Path(os.environ[ENV_INCIDENTS])
            stat = path.stat()
            source = f"{path.resolve()} {stat.st_size} {stat.st_mtime_ns}"
            return imported(ImportSource(path.read_bytes, source, path.name, ImportMode.REPLACE))
        return shipped(), None
    except (ImportFileError, OSError) as exc:
        st.error(f"Import failed, the map keeps the data it had: {exc}")
        return shipped(), None


def event_types(ds: Dataset) -> list[str]:
    """Event types present in the incidents, sorted."""
    return sorted(ds.incidents["event_type"].dropna().unique())
