"""All data layers of a view as folium FeatureGroups, in drawing order."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import lru_cache

import folium
import geopandas as gpd
import shapely

from layers.assets import make_offline
from layers.bases import bases_layer
from layers.displacement import displacement_layer
from layers.incidents import incidents_layer
from layers.key_events import key_events_layer
from layers.regions import regions_layer
from layers.towns import towns_layer
from mali_geo.config import WGS84
from mali_geo.context import simplified

BUILDERS: dict[str, Callable[[gpd.GeoDataFrame], folium.FeatureGroup]] = {
    "regions": regions_layer,
    "displacement": displacement_layer,
    "towns": towns_layer,
    "incidents": incidents_layer,
    "key_events": key_events_layer,
    "bases": bases_layer,  # on top: a base's colour (who held it) must not be covered
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
    return [map_group(name, layers[name]) for name in drawn_layers(layers, visible)]


def drawn_layers(layers: Collection[str], visible: Collection[str]) -> list[str]:
    """The names of the layers :func:`map_groups` draws, bottom to top."""
    return [name for name in BUILDERS if name in visible and name in layers]


def map_group(name: str, gdf: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """The FeatureGroup of one data layer, with offline assets.

    Region outlines are simplified for display (a fraction of the size, the same at the zoom
    levels of the map); the downloads keep the full geometry.
    """
    if name == "regions" and not gdf.empty:
        gdf = gdf.set_geometry(_display_shapes(tuple(gdf.geometry.to_wkb())), crs=gdf.crs)
    return make_offline(BUILDERS[name](gdf))


@lru_cache(maxsize=4)
def _display_shapes(wkb: tuple[bytes, ...]) -> gpd.array.GeometryArray:
    """Shapes simplified for display (cached: the regions do not change with the period)."""
    shapes = gpd.GeoSeries(shapely.from_wkb(list(wkb)), crs=WGS84)
    return simplified(gpd.GeoDataFrame(geometry=shapes)).geometry.array
