"""All data layers of a view as folium FeatureGroups, in drawing order."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import folium
import geopandas as gpd

from layers.assets import make_offline
from layers.bases import bases_layer
from layers.displacement import displacement_layer
from layers.incidents import incidents_layer
from layers.key_events import key_events_layer
from layers.regions import regions_layer
from layers.towns import towns_layer

BUILDERS: dict[str, Callable[[gpd.GeoDataFrame], folium.FeatureGroup]] = {
    "regions": regions_layer,
    "displacement": displacement_layer,
    "towns": towns_layer,
    "incidents": incidents_layer,
    "bases": bases_layer,
    "key_events": key_events_layer,
}


def map_groups(
    layers: Mapping[str, gpd.GeoDataFrame], visible: Collection[str]
) -> list[folium.FeatureGroup]:
    """FeatureGroups for the visible data layers, bottom to top, with offline assets.

    Parameters
    ----------
    layers
        From :func:`mali_geo.dataset.build_layers`.
    visible
        Layer names switched on (others, such as ``context``, are ignored here).
    """
    return [
        make_offline(BUILDERS[name](layers[name]))
        for name in BUILDERS
        if name in visible and name in layers
    ]
