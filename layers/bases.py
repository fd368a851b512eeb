"""Bases layer: military bases, coloured by who held each at the end of the period."""

from __future__ import annotations

import re
from typing import Any

import folium
import geopandas as gpd

from layers import html
from layers.geojson import Feature, circle_style, geojson_group, style_key
from mali_geo.config import ARMED_GROUPS

NAME = "Bases"
STATE_COLOUR = "#2166ac"
INTERNATIONAL_COLOUR = "#67a9cf"
ARMED_GROUP_COLOUR = "#b2182b"
CONTESTED_COLOUR = "#f4a582"
UNKNOWN_COLOUR = "#999999"
RADIUS = 9
#: Holders' colours, with their legend labels.
HOLDERS: dict[str, str] = {
    STATE_COLOUR: "Malian army",
    INTERNATIONAL_COLOUR: "French / UN forces (with or without Malian army)",
    ARMED_GROUP_COLOUR: "Armed groups",
    CONTESTED_COLOUR: "Contested",
    UNKNOWN_COLOUR: "No cited record yet",
}
STYLE = circle_style(RADIUS, "#000000", 2.5)
#: A leading ISO date in a history line ("2012-03-30: ...").
ISO_DAY = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})")


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
    features = [_feature(b) for b in bases.itertuples()]
    marker = folium.CircleMarker(radius=RADIUS)
    return geojson_group(bases, features, name=NAME, style=_style, marker=marker)


def legend_html(_bases: gpd.GeoDataFrame) -> str:
    """Legend of holder colours."""
    swatch = "width:12px;height:12px;border-radius:6px;border:2px solid #000;background:{colour}"
    return html.categorical_legend(
        "Bases: held at the end of the period by",
        [(label, colour) for colour, label in HOLDERS.items()],
        swatch=swatch,
    )


def _dated(line: str) -> str:
    """A history line, its leading ISO date written with the month in words."""
    match = ISO_DAY.match(line)
    if match is None:
        return html.text(line)
    return html.day(match.group(1)) + html.text(line[match.end(1) :])


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    return {**STYLE, "fillColor": style_key(feature)}


def _feature(b: Any) -> Feature:
    held_by = html.text(b.held_by) if b.held_by else "unknown"
    return html.tooltip(b.name, f"held by {held_by}"), _popup(b), holder_colour(b.held_by)


def _popup(b: Any) -> str:
    history = b.history if isinstance(b.history, str) else ""
    lines = "<br>".join(_dated(line) for line in history.split("\n") if line)
    rows = [
        ("Held by", html.text(b.held_by) if b.held_by else "no cited record before this date"),
        ("Recorded from", html.day(b.held_since)),
        ("Role", html.text(b.role)),
        ("History", lines or "not reported"),
    ]
    return html.popup(b.name, rows, [s for s in str(b.source).split("\n") if s])
