"""The layer catalogue: every data layer of the map, described once.

A :class:`Layer` names a layer; its :class:`LayerSpec` says how the app offers it (toggle
label, shown by default, place in the toggle list), what it depends on and how it is built
for a period. The URL state, the toggles, the data building, the caches, the downloads and
the CLI all read this catalogue; how a layer is drawn is ``layers.drawing``'s part.

What the app offers for download is exactly what ``python -m mali_geo export`` writes, because
both go through :func:`build_layers` and :mod:`mali_geo.export`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

import geopandas as gpd

from mali_geo.actors import filter_by_actor_groups
from mali_geo.dataset import (
    Dataset,
    bases_at_end,
    content_digest,
    displaced_at_end,
    flows_for,
    incident_points,
    key_event_points_in,
)
from mali_geo.displacement_picture import TOTAL_COLUMNS, displacement_picture
from mali_geo.incidents import incidents_in_period
from mali_geo.period import Period
from mali_geo.regions import regions_with_incidents
from mali_geo.towns import towns_with_incidents


class Layer(StrEnum):
    """A data layer; its value is its name in URLs, files (``<layer>.geojson``) and the CLI.

    The members are in the order of the files and downloads.
    """

    REGIONS = "regions"
    DISPLACEMENT = "displacement"
    #: Refugees and IDPs as proportional circles where they were counted, with host totals.
    DISPLACED = "displaced"
    TOWNS = "towns"
    INCIDENTS = "incidents"
    BASES = "bases"
    KEY_EVENTS = "key_events"


class Input(StrEnum):
    """What a built layer depends on besides the data."""

    START = "start"
    END = "end"
    TYPES = "types"
    #: The actor groups chosen (:mod:`mali_geo.actors`).
    ACTORS = "actors"
    #: The layer is small and seldom changes between periods: keyed by a digest of it.
    CONTENT = "content"


@dataclass(frozen=True)
class Selection:
    """What a layer is built from: the data, the period and the incidents selected for it."""

    dataset: Dataset
    period: Period
    incidents: gpd.GeoDataFrame


@dataclass(frozen=True)
class View:
    """The part of a view that layers are built for: period, event types and actor groups."""

    start: str
    end: str
    event_types: tuple[str, ...] | None = None
    #: Actor group ids (:data:`mali_geo.actors.GROUP_ORDER`); ``None`` keeps every incident.
    actors: tuple[str, ...] | None = None


@dataclass(frozen=True)
class LayerSpec:
    """How one data layer is offered, built and cached."""

    layer: Layer
    #: The label of its toggle.
    label: str
    #: Shown when no URL says otherwise.
    default_on: bool
    #: Its place in the list of toggles (0 first).
    menu_position: int
    inputs: tuple[Input, ...]
    build: Callable[[Selection], gpd.GeoDataFrame]

    def cache_key(self, built: gpd.GeoDataFrame, view: View) -> tuple[object, ...]:
        """A key for the built layer: equal keys mean equal content (for one dataset).

        Bases and flows are as of the period's end only, so a cache keyed on this keeps them
        when only the start moves.
        """
        values: dict[Input, object] = {
            Input.START: view.start,
            Input.END: view.end,
            Input.TYPES: view.event_types,
            Input.ACTORS: view.actors,
        }
        if Input.CONTENT in self.inputs:
            values[Input.CONTENT] = content_digest(built)
        return (self.layer.value, *(values[i] for i in self.inputs))


_PERIOD = (Input.START, Input.END, Input.TYPES, Input.ACTORS)


def _regions(s: Selection) -> gpd.GeoDataFrame:
    coded = s.dataset.coded_rows(s.incidents)
    return regions_with_incidents(s.dataset.regions, s.incidents, coded=coded)


def _flows(s: Selection) -> gpd.GeoDataFrame:
    return flows_for(s.dataset, s.period).lines


#: The host-total columns a ``displaced`` circle carries (``total_<column>``).
TOTAL_PREFIX = "total_"
_TOTAL_KEYS = ("kind", "host_iso3")


def _displaced(s: Selection) -> gpd.GeoDataFrame:
    return displaced_at_end(s.dataset, s.period, _displaced_circles)


def _displaced_circles(ds: Dataset, period: Period) -> gpd.GeoDataFrame:
    picture = displacement_picture(ds.displacement, ds.places, ds.regions, ds.countries, period)
    totals = picture.totals[list(TOTAL_COLUMNS)]
    totals = totals.rename(
        columns={c: f"{TOTAL_PREFIX}{c}" for c in TOTAL_COLUMNS if c not in _TOTAL_KEYS}
    )
    circles = picture.circles.merge(totals, on=list(_TOTAL_KEYS), how="left")
    return gpd.GeoDataFrame(
        circles, geometry=picture.circles.geometry.name, crs=picture.circles.crs
    )


def _towns(s: Selection) -> gpd.GeoDataFrame:
    coded = s.dataset.coded_rows(s.incidents)
    return towns_with_incidents(s.incidents, points=s.dataset.place_points, coded=coded)


def _incidents(s: Selection) -> gpd.GeoDataFrame:
    return incident_points(s.incidents)


def _bases(s: Selection) -> gpd.GeoDataFrame:
    return bases_at_end(s.dataset, s.period)


def _key_events(s: Selection) -> gpd.GeoDataFrame:
    return key_event_points_in(s.dataset, s.period)


# fmt: off
SPECS: dict[Layer, LayerSpec] = {spec.layer: spec for spec in (
    # layer, toggle label, shown by default, place among the toggles, inputs, build
    LayerSpec(Layer.REGIONS, "Regions (shaded by incidents)", True, 0, _PERIOD, _regions),
    LayerSpec(Layer.DISPLACEMENT, "Displacement flows (arrows)", False, 5, (Input.END,), _flows),
    LayerSpec(
        Layer.DISPLACED, "Refugees and IDPs (circles)", True, 4, (Input.END,), _displaced
    ),
    LayerSpec(Layer.TOWNS, "Towns with incidents", True, 1, _PERIOD, _towns),
    LayerSpec(Layer.INCIDENTS, "Incidents (by event type)", False, 2, _PERIOD, _incidents),
    LayerSpec(Layer.BASES, "Bases (who held them)", True, 3, (Input.END,), _bases),
    LayerSpec(Layer.KEY_EVENTS, "Key events", True, 6, (Input.CONTENT,), _key_events),
)}
# fmt: on

#: Layer names in file order (``<layer>.geojson``).
LAYERS: tuple[str, ...] = tuple(layer.value for layer in Layer)
#: The layers in the order of their toggles.
MENU: tuple[Layer, ...] = tuple(sorted(Layer, key=lambda layer: SPECS[layer].menu_position))


def select_incidents(
    dataset: Dataset,
    period: Period,
    event_types: Collection[str] | None = None,
    actor_groups: Collection[str] | None = None,
) -> gpd.GeoDataFrame:
    """The incidents a view shows: in the period, of these types, involving these groups.

    ``None`` keeps every type or every group.
    """
    selected = incidents_in_period(dataset.incidents, period, event_types=event_types)
    return filter_by_actor_groups(selected, actor_groups)


def build_layers(
    dataset: Dataset,
    period: Period,
    *,
    layers: Sequence[str] = LAYERS,
    event_types: Collection[str] | None = None,
    actor_groups: Collection[str] | None = None,
    selected: gpd.GeoDataFrame | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Build the requested layers for a period.

    Parameters
    ----------
    dataset
        From :func:`mali_geo.dataset.load_dataset`.
    period
        The months to show.
    layers
        Names from :data:`LAYERS`; the result keeps this order.
    event_types
        Restrict incidents (and so towns and regions) to these types; ``None`` keeps all.
    actor_groups
        Restrict incidents (and so towns and regions) to those involving one of these actor
        groups (:mod:`mali_geo.actors`); ``None`` keeps all.
    selected
        The incidents this period, these types and groups select, if already computed
        (:func:`select_incidents`).

    Returns
    -------
    dict
        Layer name -> GeoDataFrame in EPSG:4326.
    """
    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        msg = f"unknown layer(s) {', '.join(unknown)}; choose from {', '.join(LAYERS)}"
        raise ValueError(msg)
    if selected is None:
        selected = select_incidents(dataset, period, event_types, actor_groups)
    selection = Selection(dataset, period, selected)
    return {name: SPECS[Layer(name)].build(selection) for name in layers}
