"""How each data layer is drawn: one :class:`Drawing` per :class:`~mali_geo.catalogue.Layer`.

A drawing holds the layer's FeatureGroup builder, its legend entry and its place in the
drawing order; the app draws and explains the visible layers from :data:`DRAWINGS` alone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

import folium
import geopandas as gpd
import shapely

from layers import bases, displacement, incidents, key_events, regions, towns
from layers.assets import make_offline
from mali_geo.catalogue import MENU, Layer
from mali_geo.config import WGS84
from mali_geo.context import simplified


@dataclass(frozen=True)
class Drawing:
    """How one data layer is drawn and explained."""

    layer: Layer
    #: The layer's FeatureGroup, from the layer as built for a period.
    draw: Callable[[gpd.GeoDataFrame], folium.FeatureGroup]
    #: The legend entry (safe HTML), from the layer as built for a period.
    legend: Callable[[gpd.GeoDataFrame], str]
    #: Drawn above every layer with a lower number.
    draw_order: int


DRAWINGS: dict[Layer, Drawing] = {
    d.layer: d
    for d in (
        Drawing(Layer.REGIONS, regions.regions_layer, regions.legend_html, draw_order=0),
        Drawing(
            Layer.DISPLACEMENT,
            displacement.displacement_layer,
            displacement.legend_html,
            draw_order=1,
        ),
        Drawing(Layer.TOWNS, towns.towns_layer, towns.legend_html, draw_order=2),
        Drawing(Layer.INCIDENTS, incidents.incidents_layer, incidents.legend_html, draw_order=3),
        Drawing(
            Layer.KEY_EVENTS, key_events.key_events_layer, key_events.legend_html, draw_order=4
        ),
        # On top: a base's colour (who held it) must not be covered.
        Drawing(Layer.BASES, bases.bases_layer, bases.legend_html, draw_order=5),
    )
}


def drawn_layers(layers: Collection[str], visible: Collection[str]) -> list[Layer]:
    """The built and visible data layers, bottom to top (others, such as ``context``, ignored)."""
    shown = [layer for layer in Layer if layer in visible and layer in layers]
    return sorted(shown, key=lambda layer: DRAWINGS[layer].draw_order)


def map_group(layer: Layer, gdf: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """The FeatureGroup of one data layer, with offline assets.

    Region outlines are simplified for display (a fraction of the size, the same at the zoom
    levels of the map); the downloads keep the full geometry.
    """
    if layer is Layer.REGIONS and not gdf.empty:
        gdf = gdf.set_geometry(_display_shapes(tuple(gdf.geometry.to_wkb())), crs=gdf.crs)
    return make_offline(DRAWINGS[layer].draw(gdf))


def legends_html(layers: Mapping[str, gpd.GeoDataFrame], visible: Collection[str]) -> str:
    """The legends of the visible layers, side by side, in the order of the toggles."""
    parts = [
        DRAWINGS[layer].legend(layers[layer])
        for layer in MENU
        if layer in visible and layer in layers
    ]
    cells = "".join(f'<div style="flex:1 1 260px;font-size:13px">{p}</div>' for p in parts)
    return f'<div class="legends" style="display:flex;flex-wrap:wrap;gap:12px">{cells}</div>'


@lru_cache(maxsize=4)
def _display_shapes(wkb: tuple[bytes, ...]) -> gpd.array.GeometryArray:
    """Shapes simplified for display (cached: the regions do not change with the period)."""
    shapes = gpd.GeoSeries(shapely.from_wkb(list(wkb)), crs=WGS84)
    return simplified(gpd.GeoDataFrame(geometry=shapes)).geometry.array
