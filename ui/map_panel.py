"""The map of a view: the fixed base and the period's layers, each rendered once and cached.

The base is rendered once (basemap and context are switched in place), each data layer per
its catalogue key (bases
and flows stay when only the start moves), a story chapter's highlights per chapter (see
:mod:`ui.cached_map`): st_folium would render the whole map again on every rerun.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import geopandas as gpd
import streamlit as st

from layers import html
from layers.basemap import TILES, base_map
from layers.context import context_layer
from layers.drawing import drawn_layers, layer_legend_html, map_group, stacked_legends
from layers.focus import Focus, focus_group
from layers.highlight import highlight_layer
from layers.mapview import ViewUpdate, view_group
from mali_geo import story
from mali_geo.catalogue import MENU, SPECS, Layer, View
from mali_geo.config import DEFAULT_REGION_DENSITY
from mali_geo.dataset import Dataset, selection_grid
from mali_geo.view import CONTEXT, Basemap, ViewState
from ui.cached_map import RenderedGroups, RenderedMap, combine, render_group, render_map, show_map
from ui.data import context_data, selection_for, shipped

MAP_HEIGHT = 620


@dataclass(frozen=True, eq=False)
class BuiltLayer:
    """A layer built for a view, with the key that identifies its content."""

    layer: Layer
    frame: gpd.GeoDataFrame
    key: tuple[object, ...]
    density: str = DEFAULT_REGION_DENSITY
    #: For the incidents layer: makes its grid from the dataset's coded incidents.
    grid: Callable[[], gpd.GeoDataFrame] | None = None


def _built_key(built: BuiltLayer) -> tuple[object, ...]:
    return built.key


def draw_map(
    ds: Dataset,
    layers: dict[str, gpd.GeoDataFrame],
    state: ViewState,
    chapter: story.Chapter | None,
    *,
    density: str = DEFAULT_REGION_DENSITY,
    focus: Focus | None = None,
) -> None:
    """The map: a fixed base plus the period's layers and view, all updated without a remount.

    Parameters
    ----------
    density
        How regions are shaded: a key of :data:`mali_geo.config.REGION_DENSITIES`.
    focus
        A place to fly to, with its popup (an incident or key event clicked in a list): it acts
        once, when it is new (:data:`layers.focus.NO_FOCUS` forgets it).
    """
    base = rendered_base()
    view = state.built_for
    parts, legends = [], {}
    for position, layer in enumerate(drawn_layers(layers, state.layers)):
        frame = layers[layer]
        key = (ds.incidents_key, *SPECS[layer].cache_key(frame, view))
        if layer is Layer.REGIONS:
            key = (*key, density)
        grid = partial(view_grid, ds, view) if layer is Layer.INCIDENTS else None
        built = BuiltLayer(layer, frame, key, density, grid)
        parts.append(rendered_layer(built, position))
        legends[layer] = layer_legend(built)
    if chapter is not None:
        parts.append(rendered_highlight(chapter.id, len(parts)))
    if focus is not None:
        parts.append(render_group(focus_group(focus), len(parts)))
    update = ViewUpdate(
        period=html.period(view.start, view.end),
        legend=stacked_legends(
            [legends[layer] for layer in MENU if layer in legends],
            flows=Layer.DISPLACEMENT in legends,
            highlights=chapter is not None,
        ),
        tiles="" if TILES[state.basemap] is None else str(state.basemap),
        context=CONTEXT in state.layers,
    )
    parts.append(rendered_view(update, len(parts)))
    # A chapter fits the map to its places (see layers.highlight), not to a fixed zoom.
    show_map(base, combine(parts), key="map", height=MAP_HEIGHT)


@st.cache_resource(show_spinner=False, max_entries=1)
def rendered_base() -> RenderedMap:
    """The base map (every basemap's tiles, hidden; context; controls), rendered once.

    It never changes, so switching the basemap or the context keeps the zoom and the pan:
    the in-place update (:func:`layers.mapview.view_group`) shows and hides them.
    """
    return render_map(base_map(Basemap.OFFLINE, context=context_layer(*context_data())))


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs={BuiltLayer: _built_key})
def rendered_layer(built: BuiltLayer, position: int) -> RenderedGroups:
    """One data layer rendered at its position on the map, once per content."""
    group = map_group(built.layer, built.frame, density=built.density, grid=built.grid)
    return render_group(group, position)


def view_grid(ds: Dataset, view: View) -> gpd.GeoDataFrame:
    """The grid cells of a view's incidents (:func:`mali_geo.dataset.selection_grid`)."""
    return selection_grid(ds, selection_for(ds, view))


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs={BuiltLayer: _built_key})
def layer_legend(built: BuiltLayer) -> str:
    """One data layer's legend on the map, made once per content."""
    return layer_legend_html(built.layer, built.frame, density=built.density)


@st.cache_resource(show_spinner=False, max_entries=16)
def rendered_highlight(chapter: str, position: int) -> RenderedGroups:
    """A story chapter's highlighted places, rendered once."""
    ch = story.chapter(chapter)
    points = story.highlight_points(ch, shipped())
    return render_group(highlight_layer(points, max_zoom=ch.zoom), position)


@st.cache_resource(show_spinner=False, max_entries=64)
def rendered_view(update: ViewUpdate, position: int) -> RenderedGroups:
    """The in-place update of stamp, legend, tiles and context, rendered once per content."""
    return render_group(view_group(update), position)
