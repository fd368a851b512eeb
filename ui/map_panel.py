"""The map of a view: the fixed base and the period's layers, each rendered once and cached.

The base is rendered per basemap and context, each data layer per its catalogue key (bases
and flows stay when only the start moves), a story chapter's highlights per chapter (see
:mod:`ui.cached_map`): st_folium would render the whole map again on every rerun.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import streamlit as st

from layers.basemap import TILES, base_map
from layers.context import context_layer
from layers.drawing import drawn_layers, map_group
from layers.highlight import highlight_layer
from mali_geo import story
from mali_geo.catalogue import SPECS, Layer
from mali_geo.dataset import Dataset
from mali_geo.view import CONTEXT, Basemap, ViewState
from ui.cached_map import RenderedGroups, RenderedMap, combine, render_group, render_map, show_map
from ui.data import context_data, shipped

MAP_HEIGHT = 620


@dataclass(frozen=True, eq=False)
class BuiltLayer:
    """A layer built for a view, with the key that identifies its content."""

    layer: Layer
    frame: gpd.GeoDataFrame
    key: tuple[object, ...]


def _built_key(built: BuiltLayer) -> tuple[object, ...]:
    return built.key


def draw_map(
    ds: Dataset,
    layers: dict[str, gpd.GeoDataFrame],
    state: ViewState,
    chapter: story.Chapter | None,
) -> None:
    """The map: a fixed base (context) plus the period's layers, added without a remount."""
    base = rendered_base(state.basemap, CONTEXT in state.layers)
    view = state.built_for
    parts = []
    for position, layer in enumerate(drawn_layers(layers, state.layers)):
        frame = layers[layer]
        key = (ds.incidents_key, *SPECS[layer].cache_key(frame, view))
        parts.append(rendered_layer(BuiltLayer(layer, frame, key), position))
    if chapter is not None:
        parts.append(rendered_highlight(chapter.id, len(parts)))
    center, zoom = (chapter.center, chapter.zoom) if chapter else (None, None)
    show_map(base, combine(parts), key="map", height=MAP_HEIGHT, center=center, zoom=zoom)


@st.cache_resource(show_spinner=False, max_entries=4)
def rendered_base(basemap: Basemap, context: bool) -> RenderedMap:
    """The base map (tiles, context, attribution), rendered once per basemap and context."""
    over_tiles = TILES[basemap] is not None
    layer = context_layer(*context_data(), over_tiles=over_tiles) if context else None
    return render_map(base_map(basemap, context=layer))


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs={BuiltLayer: _built_key})
def rendered_layer(built: BuiltLayer, position: int) -> RenderedGroups:
    """One data layer rendered at its position on the map, once per content."""
    return render_group(map_group(built.layer, built.frame), position)


@st.cache_resource(show_spinner=False, max_entries=16)
def rendered_highlight(chapter: str, position: int) -> RenderedGroups:
    """A story chapter's highlighted places, rendered once."""
    points = story.highlight_points(story.chapter(chapter), shipped())
    return render_group(highlight_layer(points), position)
