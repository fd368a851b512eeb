"""The whole dataset, and the layers for a period: the one place the app and CLI both call.

What the app offers for download is exactly what ``python -m mali_geo export`` writes, because
both go through :func:`build_layers` and :mod:`mali_geo.export`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from mali_geo import config, load
from mali_geo.admin import fill_admin1
from mali_geo.bases import bases_at
from mali_geo.displacement import Flows, displacement_flows
from mali_geo.incidents import incidents_in_period, located
from mali_geo.key_events import key_events_in_period, key_events_points
from mali_geo.period import Period
from mali_geo.regions import regions_with_incidents
from mali_geo.towns import town_points, towns_with_incidents

#: Layer names, in drawing order (bottom to top) and file names (``<layer>.geojson``).
LAYERS: tuple[str, ...] = ("regions", "displacement", "towns", "incidents", "bases", "key_events")
#: What each layer depends on besides the data: ``start``/``end`` (months of the period),
#: ``types`` (the event-type filter), or ``content`` (the layer is small and seldom changes
#: from one period to the next: key it by a digest of its content). Bases and flows are as of
#: the period's end only, so a cache keyed on these keeps them when only the start moves
#: (see :func:`layer_key`).
LAYER_INPUTS: dict[str, tuple[str, ...]] = {
    "regions": ("start", "end", "types"),
    "displacement": ("end",),
    "towns": ("start", "end", "types"),
    "incidents": ("start", "end", "types"),
    "bases": ("end",),
    "key_events": ("content",),
}


INCIDENT_EXPORT_COLUMNS: tuple[str, ...] = (
    "incident_id",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "admin1",
    "event_type",
    "actors",
    "fatalities_low",
    "fatalities_high",
    "summary",
    "source_title",
    "source_url",
    "source_url_2",
    "quote",
    "coord_source",
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
    incidents_label: str = "shipped incidents (geodata/incidents_mali_2012_2014.csv)"
    #: Identifies the incidents for caches: the label plus a digest of an imported file.
    incidents_key: str = "shipped"

    @cached_property
    def place_points(self) -> dict[str, Point]:
        """The point of each place over all incidents (see :func:`town_points`), computed once."""
        return town_points(self.incidents)

    @cached_property
    def _as_of_end(self) -> dict[tuple[str, str], object]:
        """Results that depend only on a period's last month (flows, bases), by layer and month."""
        return {}


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
    )


class ImportMode(StrEnum):
    """How imported incidents join the shipped ones."""

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
    (:func:`mali_geo.admin.fill_admin1`), so they count in the regions layer.

    Parameters
    ----------
    dataset
        The shipped dataset (left unchanged).
    incidents
        Normalised incidents from :mod:`mali_geo.importer`.
    mode
        :attr:`ImportMode.REPLACE` or :attr:`ImportMode.ADD` (or their text, ``"replace"`` or
        ``"add"``, as a widget gives it).

    Raises
    ------
    ValueError
        ``mode`` is neither.
    label
        Says where the incidents come from, shown in the app.
    key
        Identifies the incidents for caches (e.g. a digest of the file); defaults to the label.
    """
    if mode not in tuple(ImportMode):
        msg = f"mode must be 'add' or 'replace', not {mode!r}"
        raise ValueError(msg)
    incidents = fill_admin1(incidents, dataset.regions)
    if ImportMode(mode) is ImportMode.REPLACE:
        combined = incidents
    else:
        combined = pd.concat([dataset.incidents, incidents], ignore_index=True)
        combined = gpd.GeoDataFrame(combined, geometry="geometry", crs=config.WGS84)
    return replace(dataset, incidents=combined, incidents_label=label, incidents_key=key or label)


def build_layers(
    dataset: Dataset,
    period: Period,
    *,
    layers: Sequence[str] = LAYERS,
    event_types: Collection[str] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Build the requested layers for a period.

    Parameters
    ----------
    dataset
        From :func:`load_dataset`.
    period
        The months to show.
    layers
        Names from :data:`LAYERS`; the result keeps this order.
    event_types
        Restrict incidents (and so towns and regions) to these types; ``None`` keeps all.

    Returns
    -------
    dict
        Layer name -> GeoDataFrame in EPSG:4326.
    """
    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        msg = f"unknown layer(s) {', '.join(unknown)}; choose from {', '.join(LAYERS)}"
        raise ValueError(msg)
    selected = incidents_in_period(dataset.incidents, period, event_types=event_types)
    builders = {
        "regions": lambda: regions_with_incidents(dataset.regions, selected),
        "towns": lambda: towns_with_incidents(selected, points=dataset.place_points),
        "incidents": lambda: incident_points(selected),
        "bases": lambda: _bases_at_end(dataset, period),
        "displacement": lambda: flows_for(dataset, period).lines,
        "key_events": lambda: key_events_points(key_events_in_period(dataset.key_events, period)),
    }
    return {name: builders[name]() for name in layers}


def flows_for(dataset: Dataset, period: Period) -> Flows:
    """Displacement flows (and the sites that could not be placed) as of the period's end.

    Computed once per dataset and last month (they depend on nothing else); each call gets
    its own copy.
    """
    key = ("flows", period.end)
    if key not in dataset._as_of_end:
        flows = displacement_flows(dataset.displacement, dataset.places, dataset.regions, period)
        dataset._as_of_end[key] = flows
    flows = dataset._as_of_end[key]
    return Flows(flows.lines.copy(), flows.unplaced.copy())


def _bases_at_end(dataset: Dataset, period: Period) -> gpd.GeoDataFrame:
    """:func:`bases_at` for the period's last month, computed once per dataset and month."""
    key = ("bases", period.end)
    if key not in dataset._as_of_end:
        dataset._as_of_end[key] = bases_at(dataset.bases, dataset.places, period)
    return dataset._as_of_end[key].copy()


def incident_points(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The incidents that have a coordinate, with the exported columns only."""
    pts = located(incidents)
    return pts[[*INCIDENT_EXPORT_COLUMNS, "geometry"]].reset_index(drop=True)


def layer_key(
    name: str,
    layer: gpd.GeoDataFrame,
    *,
    start: str,
    end: str,
    event_types: Collection[str] | None = None,
) -> tuple:
    """A cache key for a built layer: equal keys mean equal content (for one dataset).

    Parameters
    ----------
    name
        A name from :data:`LAYERS`.
    layer
        The layer, from :func:`build_layers`.
    start, end, event_types
        The view it was built for.

    Returns
    -------
    tuple
        The layer's name and what it depends on (:data:`LAYER_INPUTS`).
    """
    inputs = {
        "start": start,
        "end": end,
        "types": None if event_types is None else tuple(event_types),
    }
    if LAYER_INPUTS[name] == ("content",):
        inputs["content"] = content_digest(layer)
    return (name, *(inputs[k] for k in LAYER_INPUTS[name]))


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
