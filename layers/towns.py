"""Towns layer: circles sized by incident count in the period."""

from __future__ import annotations

import math

import folium
import geopandas as gpd

from layers import html
from layers.base import geojson_group, style_from_property

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
    gdf["_style"] = [
        {
            "radius": town_radius(n),
            "color": COLOUR,
            "weight": 1.5,
            "fillColor": COLOUR,
            "fillOpacity": 0.35,
        }
        for n in towns["incidents"]
    ]
    return geojson_group(
        gdf, name=NAME, style=style_from_property, marker=folium.CircleMarker(radius=5)
    )


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


def _popup(t: object) -> str:
    sources = [s for s in str(t.source).split("\n") if s]
    rows = [
        ("Region (2012)", html.text(t.admin1)),
        ("Incidents", html.text(t.incidents)),
        ("Fatalities", html.fatalities(t.fatalities_low, t.fatalities_high)),
        ("Without a toll", html.text(t.incidents_without_toll)),
        ("Dates", f"{html.text(t.first_date)} to {html.text(t.last_date)}"),
        ("Event types", html.text(t.event_types)),
    ]
    return html.popup(t.name, rows, sources[:5])
