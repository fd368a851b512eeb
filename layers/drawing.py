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

from layers import bases, displacement, highlight, html, incidents, key_events, regions, towns
from layers.assets import make_offline
from mali_geo.catalogue import MENU, Layer
from mali_geo.config import DEFAULT_REGION_DENSITY, WGS84
from mali_geo.context import simplified

#: Legend swatches of the symbols that belong to no data layer's legend.
ORIGIN_SWATCH = (
    f"width:10px;height:10px;border-radius:50%;border:2px solid {displacement.ORIGIN_COLOUR};"
    "background:#fff"
)
HIGHLIGHT_SWATCH = (
    f"width:14px;height:14px;border-radius:50%;border:3px solid {highlight.COLOUR};"
    "background:transparent"
)


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
        Drawing(
            Layer.DISPLACED,
            displacement.displaced_layer,
            displacement.displaced_legend_html,
            draw_order=2,
        ),
        # Big symbols under small ones: a town's circle rings the base at its centre, and
        # incidents and key events (small, rare) sit on top, so each can be clicked.
        Drawing(Layer.TOWNS, towns.towns_layer, towns.legend_html, draw_order=3),
        Drawing(Layer.BASES, bases.bases_layer, bases.legend_html, draw_order=4),
        Drawing(Layer.INCIDENTS, incidents.incidents_layer, incidents.legend_html, draw_order=5),
        Drawing(
            Layer.KEY_EVENTS, key_events.key_events_layer, key_events.legend_html, draw_order=6
        ),
    )
}


def drawn_layers(layers: Collection[str], visible: Collection[str]) -> list[Layer]:
    """The built and visible data layers, bottom to top (others, such as ``context``, ignored)."""
    shown = [layer for layer in Layer if layer in visible and layer in layers]
    return sorted(shown, key=lambda layer: DRAWINGS[layer].draw_order)


def map_group(
    layer: Layer,
    gdf: gpd.GeoDataFrame,
    *,
    density: str = DEFAULT_REGION_DENSITY,
    grid: Callable[[], gpd.GeoDataFrame] | None = None,
) -> folium.FeatureGroup:
    """The FeatureGroup of one data layer, with offline assets.

    Region outlines are simplified for display (a fraction of the size, the same at the zoom
    levels of the map); the downloads keep the full geometry.

    Parameters
    ----------
    layer, gdf
        The layer and the layer as built for a period.
    density
        How regions are shaded: a key of :data:`mali_geo.config.REGION_DENSITIES`.
    grid
        For the incidents layer: makes its grid cells, when it is aggregated (see
        :func:`layers.incidents.incidents_layer`).
    """
    if layer is Layer.INCIDENTS and grid is not None:
        return make_offline(incidents.incidents_layer(gdf, grid=grid))
    if layer is Layer.REGIONS:
        if not gdf.empty:
            gdf = gdf.set_geometry(_display_shapes(tuple(gdf.geometry.to_wkb())), crs=gdf.crs)
        return make_offline(regions.regions_layer(gdf, density=density))
    return make_offline(DRAWINGS[layer].draw(gdf))


def legends_html(
    layers: Mapping[str, gpd.GeoDataFrame],
    visible: Collection[str],
    *,
    density: str = DEFAULT_REGION_DENSITY,
) -> str:
    """The legends of the visible layers, side by side, in the order of the toggles."""
    parts = _legends(layers, visible, density)
    cells = "".join(f'<div style="flex:1 1 260px;font-size:13px">{p}</div>' for p in parts)
    return f'<div class="legends" style="display:flex;flex-wrap:wrap;gap:12px">{cells}</div>'


def map_legend_html(
    layers: Mapping[str, gpd.GeoDataFrame],
    visible: Collection[str],
    *,
    density: str = DEFAULT_REGION_DENSITY,
    highlights: bool = False,
) -> str:
    """The legend drawn on the map: one entry per symbol shown, stacked.

    Parameters
    ----------
    layers, visible
        The built layers and the visible ones (as for :func:`legends_html`).
    density
        How regions are shaded (the legend names the rate).
    highlights
        Whether a story chapter's highlight rings are drawn.
    """
    parts = _legends(layers, visible, density)
    flows = Layer.DISPLACEMENT in visible and Layer.DISPLACEMENT in layers
    return stacked_legends(parts, flows=flows, highlights=highlights)


def stacked_legends(parts: list[str], *, flows: bool, highlights: bool) -> str:
    """The map's legend from the visible layers' legends (:func:`layer_legend_html`), in order.

    Parameters
    ----------
    flows
        Whether the flows layer is drawn (its origin mark gets an entry).
    highlights
        Whether a story chapter's highlight rings are drawn.
    """
    parts = list(parts)
    if flows:
        parts.append(
            html.legend_block(
                "Flow origin",
                [(displacement.ORIGIN_LABEL, ORIGIN_SWATCH)],
            )
        )
    if highlights:
        parts.append(
            html.legend_block("Story", [("places this chapter points at", HIGHLIGHT_SWATCH)])
        )
    return "".join(parts)


def _legends(
    layers: Mapping[str, gpd.GeoDataFrame], visible: Collection[str], density: str
) -> list[str]:
    return [
        layer_legend_html(layer, layers[layer], density=density)
        for layer in MENU
        if layer in visible and layer in layers
    ]


def layer_legend_html(
    layer: Layer, frame: gpd.GeoDataFrame, *, density: str = DEFAULT_REGION_DENSITY
) -> str:
    """One built layer's legend (regions name their ``density``)."""
    if layer is Layer.REGIONS:
        return regions.legend_html(frame, density=density)
    return DRAWINGS[layer].legend(frame)


@lru_cache(maxsize=4)
def _display_shapes(wkb: tuple[bytes, ...]) -> gpd.array.GeometryArray:
    """Shapes simplified for display (cached: the regions do not change with the period)."""
    shapes = gpd.GeoSeries(shapely.from_wkb(list(wkb)), crs=WGS84)
    return simplified(gpd.GeoDataFrame(geometry=shapes)).geometry.array
