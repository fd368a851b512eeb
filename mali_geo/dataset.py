"""The whole dataset, loaded and validated, and the per-dataset results the layers reuse.

The layers themselves are built by :func:`mali_geo.catalogue.build_layers`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
import shapely
from pandas.arrays import ArrowExtensionArray
from shapely.geometry import Point

from mali_geo import config, load
from mali_geo.admin import fill_admin1
from mali_geo.bases import bases_at
from mali_geo.coded import CodedIncidents, code_incidents, coded_selection, grid_input_of
from mali_geo.displacement import (
    Figure,
    Flows,
    Population,
    displacement_flows,
    latest_figure,
    refugees_by_host,
)
from mali_geo.geometry import has_shape
from mali_geo.incidents import incidents_grid, located
from mali_geo.key_events import key_events_in_period, key_events_points
from mali_geo.period import Period
from mali_geo.schema import INCIDENT_COLUMNS
from mali_geo.towns import town_points

FrameT = TypeVar("FrameT", bound=pd.DataFrame)
#: Exported with the incidents last: where each incident comes from.
_PROVENANCE = ("source_url_2", "quote", "coord_source")
#: The incident columns of exports: the schema's, but the point is the geometry (no lat/lon).
INCIDENT_EXPORT_COLUMNS: tuple[str, ...] = (
    *(c for c in INCIDENT_COLUMNS if c not in {"lat", "lon", *_PROVENANCE}),
    *_PROVENANCE,
)


@dataclass(frozen=True)
class Dataset:
    """Every validated input the layers are built from."""

    regions: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    niger: gpd.GeoDataFrame
    lakes: gpd.GeoDataFrame
    places: pd.DataFrame
    incidents: gpd.GeoDataFrame
    key_events: pd.DataFrame
    displacement: pd.DataFrame
    bases: pd.DataFrame
    #: UNHCR's Mali-situation totals at dated points (same-date refugees and IDPs).
    situation: pd.DataFrame
    incidents_label: str = "shipped incidents (geodata/incidents_mali_2012_2014.csv)"
    #: Identifies the incidents for caches: the label plus a digest of an imported file.
    incidents_key: str = "shipped"

    @cached_property
    def place_points(self) -> dict[str, Point]:
        """The point of each place over all incidents (see :func:`town_points`), computed once."""
        return town_points(self.incidents)

    @cached_property
    def coded(self) -> CodedIncidents:
        """The incidents coded for aggregation (:mod:`mali_geo.coded`), computed once."""
        return code_incidents(self.incidents)

    def coded_rows(self, selection: gpd.GeoDataFrame) -> CodedIncidents | None:
        """The coded rows of a selection of this dataset's incidents (None: not one)."""
        return coded_selection(self.coded, self.incidents, selection)

    @cached_property
    def _flows_by_end(self) -> dict[str, Flows]:
        """Flows by a period's last month (they depend on nothing else), filled as asked."""
        return {}

    @cached_property
    def _bases_by_end(self) -> dict[str, gpd.GeoDataFrame]:
        """Bases by a period's last month (they depend on nothing else), filled as asked."""
        return {}

    @cached_property
    def _displaced_by_end(self) -> dict[str, gpd.GeoDataFrame]:
        """Displaced people's circles by a period's last month, filled as asked."""
        return {}

    @cached_property
    def _figures_by_end(self) -> dict[tuple[str, str], Figure | None]:
        """National displacement figures by population and a period's last month."""
        return {}

    @cached_property
    def _key_event_points(self) -> dict[bytes, gpd.GeoDataFrame]:
        """Key event points by the rows a period selects."""
        return {}

    @cached_property
    def refugee_hosts(self) -> pd.DataFrame:
        """UNHCR year-end refugees by host country (:func:`refugees_by_host`), computed once."""
        return refugees_by_host(self.displacement)


def load_dataset(geodata: str | Path = config.GEODATA_DIR) -> Dataset:
    """Load and validate every file of ``geodata/``.

    Parameters
    ----------
    geodata
        The folder holding the files named in :mod:`mali_geo.config`.

    Returns
    -------
    Dataset
    """
    root = Path(geodata)

    def at(default: Path) -> Path:
        return root / default.name

    return Dataset(
        regions=load.load_regions(at(config.REGIONS_PATH)),
        countries=load.load_countries(at(config.COUNTRIES_PATH)),
        niger=load.load_niger(at(config.NIGER_PATH)),
        lakes=load.load_lakes(at(config.LAKES_PATH)),
        places=load.load_places(at(config.PLACES_PATH)),
        incidents=load.load_incidents(at(config.INCIDENTS_PATH)),
        key_events=load.load_key_events(at(config.KEY_EVENTS_PATH)),
        displacement=load.load_displacement(at(config.DISPLACEMENT_PATH)),
        bases=load.load_bases(at(config.BASES_PATH)),
        situation=load.load_displacement_situation(at(config.SITUATION_PATH)),
    )


class ImportMode(StrEnum):
    """What imported incidents do to the shipped ones."""

    ADD = "add"
    REPLACE = "replace"


def with_incidents(
    dataset: Dataset,
    incidents: gpd.GeoDataFrame,
    *,
    mode: ImportMode | str,
    label: str,
    key: str | None = None,
) -> Dataset:
    """Return a dataset whose incidents are replaced by, or extended with, imported ones.

    Imported incidents that name no region get the 2012 region their point falls in
    (:func:`mali_geo.admin.fill_admin1`), so they count in the regions layer. The incidents
    are put in date order (:func:`by_date`).

    Parameters
    ----------
    dataset
        The shipped dataset (left unchanged).
    incidents
        Normalised incidents from :mod:`mali_geo.importer`.
    mode
        :attr:`ImportMode.REPLACE` or :attr:`ImportMode.ADD` (or their text, ``"replace"`` or
        ``"add"``, as a widget gives it).
    label
        Says where the incidents come from, shown in the app.
    key
        Identifies the incidents for caches (e.g. a digest of the file); defaults to the label.

    Raises
    ------
    ValueError
        ``mode`` is neither.
    """
    if mode not in tuple(ImportMode):
        msg = f"mode must be 'add' or 'replace', not {mode!r}"
        raise ValueError(msg)
    incidents = fill_admin1(incidents, dataset.regions)
    combined = incidents
    if mode == ImportMode.ADD:
        combined = pd.concat([dataset.incidents, incidents], ignore_index=True)
        combined = gpd.GeoDataFrame(combined, geometry="geometry", crs=config.WGS84)
    combined = by_date(combined)
    return replace(dataset, incidents=combined, incidents_label=label, incidents_key=key or label)


def by_date(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The incidents in order of start date (stable: ties keep their order), index reset.

    A period then selects one block of rows when the incidents are short (as ACLED's and
    UCDP's are, one day each), and a block is taken without copying: at a million incidents
    that is most of a period change (see :func:`mali_geo.incidents.incidents_in_period`).
    """
    if incidents["date_start"].is_monotonic_increasing:
        return in_one_chunk(incidents.reset_index(drop=True))
    ordered = in_one_chunk(incidents.sort_values("date_start", kind="stable", ignore_index=True))
    # The points again, made in the new order: reading geometries scattered in memory is
    # several times slower (a million points: 70 ms instead of 15 per pass).
    points = ordered.geometry.to_numpy()
    with_point = has_shape(points)
    fresh = points.copy()
    fresh[with_point] = shapely.points(shapely.get_coordinates(points[with_point]))
    ordered[ordered.geometry.name] = gpd.GeoSeries(fresh, crs=ordered.crs, index=ordered.index)
    return ordered


def in_one_chunk(incidents: FrameT) -> FrameT:
    """The frame with each Arrow-backed column in one chunk (the frame itself, changed).

    A file read in row groups (Parquet, the import cache) gives columns in several chunks,
    and taking a few rows of a chunked column costs as much as scanning it: the feed's 200
    rows of a million incidents took 40 ms instead of 1. Combined once, when the dataset is
    made.
    """
    for name in incidents.columns:
        values: Any = incidents[name].array
        if isinstance(values, ArrowExtensionArray):
            chunks: Any = values.__arrow_array__()  # a pyarrow ChunkedArray
            if chunks.num_chunks > 1:
                one = pd.Series(chunks.combine_chunks(), dtype=values.dtype, name=name)
                incidents[name] = one.set_axis(incidents.index)
    return incidents


def flows_for(dataset: Dataset, period: Period) -> Flows:
    """Displacement flows (and the sites that could not be placed) as of the period's end.

    Computed once per dataset and last month (they depend on nothing else); each call gets
    its own copy.
    """
    cache = dataset._flows_by_end
    if period.end not in cache:
        cache[period.end] = displacement_flows(
            dataset.displacement, dataset.places, dataset.regions, period
        )
    flows = cache[period.end]
    return Flows(flows.lines.copy(), flows.unplaced.copy())


def bases_at_end(dataset: Dataset, period: Period) -> gpd.GeoDataFrame:
    """:func:`bases_at` for the period's last month, computed once per dataset and month."""
    cache = dataset._bases_by_end
    if period.end not in cache:
        cache[period.end] = bases_at(dataset.bases, dataset.places, period)
    return cache[period.end].copy()


def displaced_at_end(
    dataset: Dataset, period: Period, build: Callable[[Dataset, Period], gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """``build(dataset, period)``, computed once per dataset and last month (its only input).

    Each call gets its own copy.
    """
    cache = dataset._displaced_by_end
    if period.end not in cache:
        cache[period.end] = build(dataset, period)
    return cache[period.end].copy()


def figure_at_end(dataset: Dataset, period: Period, kind: Population) -> Figure | None:
    """:func:`latest_figure` as of the period's last month, computed once per dataset and month.

    The figure is shared between callers: never change it.
    """
    cache, key = dataset._figures_by_end, (str(kind), period.end)
    if key not in cache:
        cache[key] = latest_figure(dataset.displacement, period, kind=kind)
    return cache[key]


def key_event_points_in(dataset: Dataset, period: Period) -> gpd.GeoDataFrame:
    """The key events of a period as points, built once per set of events (a copy each call)."""
    events = key_events_in_period(dataset.key_events, period)
    rows = events.index.to_numpy().tobytes()
    cache = dataset._key_event_points
    if rows not in cache:
        cache[rows] = key_events_points(events)
    return cache[rows].copy()


def selection_grid(dataset: Dataset, selection: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The grid cells (:func:`mali_geo.incidents.incidents_grid`) of a selection of incidents.

    Read from the dataset's coded incidents when ``selection`` is a selection of them (no
    coding or projecting of a million incidents per period); the same cells either way.
    """
    coded = dataset.coded_rows(selection)
    return incidents_grid(selection if coded is None else grid_input_of(coded))


def incident_points(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The incidents that have a coordinate, with the exported columns only."""
    pts = located(incidents)
    return pts[[*INCIDENT_EXPORT_COLUMNS, "geometry"]].reset_index(drop=True)


def content_digest(gdf: gpd.GeoDataFrame) -> str:
    """A digest of a GeoDataFrame's columns, values and geometries."""
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    for col in frame.columns:  # object columns may hold lists or dicts: hash their repr
        if pd.api.types.is_object_dtype(frame[col]):
            frame[col] = frame[col].map(repr)
    values = pd.util.hash_pandas_object(frame, index=False)
    digest = hashlib.sha1(values.to_numpy().tobytes(), usedforsecurity=False)
    digest.update("\x1f".join(map(str, gdf.columns)).encode())
    for wkb in gdf.geometry.to_wkb():
        digest.update(wkb if wkb is not None else b"\x00")
    return digest.hexdigest()
