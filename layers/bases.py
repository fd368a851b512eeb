"""Bases layer: military bases, coloured by who held each at the end of the period."""

from __future__ import annotations

import folium
import geopandas as gpd

from layers import html
from layers.base import geojson_group, style_from_property

NAME = "Bases"
STATE_COLOUR = "#2166ac"
INTERNATIONAL_COLOUR = "#67a9cf"
ARMED_GROUP_COLOUR = "#b2182b"
CONTESTED_COLOUR = "#f4a582"
UNKNOWN_COLOUR = "#999999"
ARMED_GROUPS: tuple[str, ...] = ("MNLA", "Ansar Dine", "AQIM", "MUJAO", "Islamist")


def holder_colour(held_by: str | None) -> str:
    """Colour of a base's holder.

    Red for armed groups, dark blue for the Malian army alone, light blue for French or UN
    forces, salmon for contested, grey when no cited record precedes the date.
    """
    if not isinstance(held_by, str) or not held_by:
        return UNKNOWN_COLOUR
    if any(group in held_by for group in ARMED_GROUPS):
        return ARMED_GROUP_COLOUR
    if held_by.startswith("contested"):
        return CONTESTED_COLOUR
    if held_by == "Malian army":
        return STATE_COLOUR
    return INTERNATIONAL_COLOUR


def bases_layer(bases: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Bases with their holder at the end of the period, history and sources in the popup."""
    gdf = bases.copy()
    gdf["_tooltip"] = [
        html.tooltip(b.name, f"held by {html.text(b.held_by) if b.held_by else 'unknown'}")
        for b in bases.itertuples()
    ]
    gdf["_popup"] = [_popup(b) for b in bases.itertuples()]
    gdf["_style"] = [
        {
            "radius": 9,
            "color": "#000000",
            "weight": 2.5,
            "fill": True,
            "fillColor": holder_colour(h),
            "fillOpacity": 1,
        }
        for h in bases["held_by"]
    ]
    return geojson_group(
        gdf, name=NAME, style=style_from_property, marker=folium.CircleMarker(radius=9)
    )


def legend_html() -> str:
    """Legend of holder colours."""
    items = [
        ("Malian army", STATE_COLOUR),
        ("French / UN forces (with or without Malian army)", INTERNATIONAL_COLOUR),
        ("Armed groups", ARMED_GROUP_COLOUR),
        ("Contested", CONTESTED_COLOUR),
        ("No cited record yet", UNKNOWN_COLOUR),
    ]
    body = "".join(
        f'<span style="display:inline-block;margin-right:8px">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
        f'border:2px solid #000;background:{c};vertical-align:middle"></span> {label}</span>'
        for label, c in items
    )
    return f"<div><b>Bases: held at the end of the period by</b><br>{body}</div>"


def _popup(b: object) -> str:
    history = b.history if isinstance(b.history, str) else ""
    lines = "<br>".join(html.text(line) for line in history.split("\n") if line)
    rows = [
        ("Held by", html.text(b.held_by) if b.held_by else "no cited record before this date"),
        ("Recorded from", html.text(b.held_since)),
        ("Role", html.text(b.role)),
        ("History", lines or "not reported"),
    ]
    return html.popup(b.name, rows, [s for s in str(b.source).split("\n") if s])
