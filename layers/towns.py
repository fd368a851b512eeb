"""Towns layer: circles sized by incident count in the period."""

from __future__ import annotations

import math
from typing import Any

import folium
import geopandas as gpd

from layers import html
from layers.incidents import STYLE_FIELD, compact_geojson_group, compact_popup, readable_types
from mali_geo.towns import MAX_TOWN_SOURCES

NAME = "Towns with incidents"
COLOUR = "#7a0177"
#: Circle area proportional to the count: radius = MIN + SCALE * sqrt(count).
MIN_RADIUS = 3.0
SCALE = 3.0


def town_radius(incidents: int) -> float:
    """Circle radius in pixels, so that the circle's area grows with the incident count."""
    return round(MIN_RADIUS + SCALE * math.sqrt(max(incidents, 0)), 1)


def towns_layer(towns: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Towns with at least one incident, sized by count, with tooltip and popup."""
    gdf = towns.copy()
    gdf["_tooltip"] = [
        html.tooltip(t.name, f"{t.incidents} incident(s)") for t in towns.itertuples()
    ]
    gdf["_popup"] = [_popup(t) for t in towns.itertuples()]
    gdf[STYLE_FIELD] = [town_radius(n) for n in towns["incidents"]]
    return compact_geojson_group(gdf, name=NAME, style=_style, marker=folium.CircleMarker(radius=5))


def legend_html() -> str:
    """Legend: circle sizes for a few counts."""
    items = "".join(
        f'<span style="display:inline-block;margin-right:10px">'
        f'<svg width="{2 * town_radius(n) + 2}" height="{2 * town_radius(n) + 2}" '
        f'style="vertical-align:middle"><circle cx="{town_radius(n) + 1}" '
        f'cy="{town_radius(n) + 1}" r="{town_radius(n)}" fill="{COLOUR}" fill-opacity="0.35" '
        f'stroke="{COLOUR}"/></svg> {n}</span>'
        for n in (1, 5, 20)
    )
    return f"<div><b>Towns: incidents in the period</b><br>{items}</div>"


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    radius = feature["properties"][STYLE_FIELD]
    return {
        "radius": radius,
        "color": COLOUR,
        "weight": 1.5,
        "fill": True,
        "fillColor": COLOUR,
        "fillOpacity": 0.35,
    }


def _popup(t: object) -> str:
    # The popup links the first few sources; the downloads carry every one.
    urls = [s for s in str(t.source).split("\n") if s]
    sources = [html.link(s) for s in urls[:MAX_TOWN_SOURCES]]
    if len(urls) > MAX_TOWN_SOURCES:
        sources.append(f"and {len(urls) - MAX_TOWN_SOURCES} more (every source is in the download)")
    lines = [
        f"Region (2012): {html.text(t.admin1)}",
        f"Incidents: {html.text(t.incidents)}",
        f"Fatalities: {html.fatalities(t.fatalities_low, t.fatalities_high)}",
        f"Without a toll: {html.text(t.incidents_without_toll)}",
        f"Dates: {html.text(t.first_date)} to {html.text(t.last_date)}",
        f"Event types: {html.text(readable_types(t.event_types))}",
        f"Source: {' '.join(sources) or html.MISSING}",
    ]
    return compact_popup(t.name, lines)
