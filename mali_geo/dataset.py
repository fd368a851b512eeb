"""The whole dataset, and the layers for a period: the one place the app and CLI both call.

What the app offers for download is exactly what ``python -m mali_geo export`` writes, because
both go through :func:`build_layers` and :mod:`mali_geo.export`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mali_geo import config, load
from mali_geo.bases import bases_at
from mali_geo.displacement import Flows, displacement_flows
from mali_geo.incidents import incidents_in_period, located
from mali_geo.key_events import key_events_in_period, key_events_points
from mali_geo.period import Period
from mali_geo.regions import regions_with_incidents
from mali_geo.towns import town_points, towns_with_incidents

#: Layer names, in drawing order (bottom to top) and file names (``<layer>.geojson``).
LAYERS: tuple[str, ...] = ("regions", "displacement", "towns", "incidents", "bases", "key_events")

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


def with_incidents(
    dataset: Dataset, incidents: gpd.GeoDataFrame, *, mode: str, label: str
) -> Dataset:
    """Return a dataset whose incidents are replaced by, or extended with, imported ones.

    Parameters
    ----------
    dataset
        The shipped dataset (left unchanged).
    incidents
        Normalised incidents from :mod:`mali_geo.importer`.
    mode
        ``"replace"`` or ``"add"``.
    label
        Says where the incidents come from, shown in the app.
    """
    if mode == "replace":
        combined = incidents
    elif mode == "add":
        combined = pd.concat([dataset.incidents, incidents], ignore_index=True)
        combined = gpd.GeoDataFrame(combined, geometry="geometry", crs=config.WGS84)
    else:
        msg = f"mode must be 'add' or 'replace', not {mode!r}"
        raise ValueError(msg)
    return replace(dataset, incidents=combined, incidents_label=label)


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
        "towns": lambda: towns_with_incidents(selected, points=town_points(dataset.incidents)),
        "incidents": lambda: incident_points(selected),
        "bases": lambda: bases_at(dataset.bases, dataset.places, period),
        "displacement": lambda: flows_for(dataset, period).lines,
        "key_events": lambda: key_events_points(key_events_in_period(dataset.key_events, period)),
    }
    return {name: builders[name]() for name in layers}


def flows_for(dataset: Dataset, period: Period) -> Flows:
    """Displacement flows (and the sites that could not be placed) as of the period's end."""
    return displacement_flows(dataset.displacement, dataset.places, dataset.regions, period)


def incident_points(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The incidents that have a coordinate, with the exported columns only."""
    pts = located(incidents)
    return pts[[*INCIDENT_EXPORT_COLUMNS, "geometry"]].reset_index(drop=True)
