"""The st_folium map, with its rendering done once and cached instead of on every rerun.

``st_folium`` turns the whole folium map into JavaScript on every rerun: the fixed base (the
context layer alone takes about 70 ms) and every period layer (hundreds of ms with thousands
of features), even when nothing changed. Here the base is rendered once per basemap and
context, and each of the period's layers once per content (:mod:`ui.map_panel` caches them), with
streamlit-folium's own rendering steps; the strings then go to the same frontend component
with the same arguments ``st_folium`` would send. The browser gets exactly what
``st_folium`` sends, so the base script stays the same and the map is never remounted.

Written against streamlit-folium 0.27 (its rendering helpers are not public API);
``tests/test_app*.py`` read the component's arguments, so a change there shows up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st
import streamlit_folium as stf

from layers.assets import asset_links

if TYPE_CHECKING:
    import folium


#: The page sizes the map's iframe to the window (:mod:`ui.page`); inside it, the map fills the
#: frame, whatever height st_folium was given (its own inline height is the fallback).
FILL_FRAME_CSS = "<style>#map_div, #map_div2 { height: 100vh !important; }</style>"


@dataclass(frozen=True)
class RenderedMap:
    """A folium map rendered as st_folium renders it."""

    script: str
    html: str
    header: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


@dataclass(frozen=True)
class RenderedGroups:
    """FeatureGroups rendered as st_folium's ``feature_group_to_add``."""

    script: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def render_map(m: folium.Map) -> RenderedMap:
    """Render the fixed base map (the steps of ``st_folium``, run once)."""
    m.get_root().render()
    m.render()  # type: ignore[no-untyped-call]  # folium's Map.render has no annotations
    html, header = stf._get_html(m), stf._get_header(m)
    css, js = asset_links(m)
    return RenderedMap(stf._get_map_string(m), html, header, stf.get_full_id(m), css, js)


def render_group(group: folium.FeatureGroup, position: int) -> RenderedGroups:
    """Render one of the period's groups, as st_folium renders the one at ``position``.

    st_folium names a group's variables after its position in ``feature_group_to_add``, so a
    rendered group is only valid at that position.
    """
    import folium  # imported here: the lint rules keep folium out of ui/ at module level

    host = folium.Map(tiles=None)  # a group refers to its map as "map_div" once rendered
    script = stf._get_feature_group_string(group, map=host, idx=position)
    return RenderedGroups(script, *asset_links(group))


def combine(parts: Sequence[RenderedGroups]) -> RenderedGroups:
    """Rendered groups, in order, as one ``feature_group_to_add``."""
    css = tuple(dict.fromkeys(link for part in parts for link in part.css_links))
    js = tuple(dict.fromkeys(link for part in parts for link in part.js_links))
    return RenderedGroups("".join(part.script for part in parts), css, js)


def show_map(
    base: RenderedMap,
    groups: RenderedGroups,
    *,
    key: str,
    height: int,
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
) -> None:
    """Send a rendered map to st_folium's component, full container width, nothing returned."""
    hash_key = stf.generate_js_hash(base.script, key, False)

    def on_change() -> None:  # as st_folium: the component's value, under the caller's key
        st.session_state[key] = st.session_state.get(hash_key, {})

    stf._component_func(
        script=base.script,
        header=base.header + FILL_FRAME_CSS,
        html=base.html,
        id=base.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=[],
        default={},
        zoom=zoom,
        center=center,
        feature_group=groups.script,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(dict.fromkeys([*base.css_links, *groups.css_links])),
        js_links=list(dict.fromkeys([*base.js_links, *groups.js_links])),
        on_change=on_change,
        wrap_longitude=False,
    )
