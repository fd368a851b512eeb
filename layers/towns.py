"""Towns layer: circles sized by incident count in the period."""

from __future__ import annotations

import math
from typing import Any

import folium
import geopandas as gpd

from layers import html
from layers.geojson import circle_style, geojson_group, style_key
from layers.incidents import counted_elsewhere, readable_types
from mali_geo.towns import MAX_TOWN_SOURCES

NAME = "Towns with incidents"
COLOUR = "#7a0177"
#: Circle area proportional to the count: radius = MIN + SCALE * sqrt(count).
MIN_RADIUS = 3.0
SCALE = 3.0
#: The biggest circle, in pixels: a view whose busiest town would be drawn larger (a big
#: import: thousands of incidents a town) gets a smaller scale, so no circle covers the map.
#: The shipped data never need it (at most 50 incidents a town: 24 px).
MAX_RADIUS = 25.0
STYLE = circle_style(MIN_RADIUS, COLOUR, 1.5, fill=COLOUR, opacity=0.35)  # radius per town


def radius_scale(most: int) -> float:
    """The scale for a view whose busiest town has ``most`` incidents (see :data:`MAX_RADIUS`)."""
    if most <= 0:
        return SCALE
    return min(SCALE, (MAX_RADIUS - MIN_RADIUS) / math.sqrt(most))


def towns_scale(towns: gpd.GeoDataFrame) -> float:
    """:func:`radius_scale` of a built towns layer."""
    return radius_scale(int(towns["incidents"].max()) if len(towns) else 0)


def town_radius(incidents: int, scale: float = SCALE) -> float:
    """Circle radius in pixels, so that the circle's area grows with the incident count."""
    return round(MIN_RADIUS + scale * math.sqrt(max(incidents, 0)), 1)


def towns_layer(towns: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Towns with at least one incident, sized by count, with tooltip and popup.

    The biggest circles are drawn first, so a small town next to a big one stays on top.
    """
    towns = towns.sort_values("incidents", ascending=False, kind="stable")
    scale = towns_scale(towns)
    features = [
        (
            html.tooltip(t.name, f"{t.incidents:,} incident(s)"),
            _popup(t),
            town_radius(t.incidents, scale),
        )
        for t in towns.itertuples()
    ]
    marker = folium.CircleMarker(radius=5)
    return geojson_group(towns, features, name=NAME, style=_style, marker=marker)


def legend_html(towns: gpd.GeoDataFrame) -> str:
    """Legend: circle sizes for a few counts (the busiest town's when the scale shrinks)."""
    scale = towns_scale(towns)
    counts: tuple[int, ...] = (1, 5, 20)
    title = "Towns: incidents in the period"
    if scale < SCALE:  # a big view: its own sizes, up to its busiest town
        most = int(towns["incidents"].max())
        counts = (1, _round_count(most / 10), most)
        title += " (circles scaled to the busiest town)"
    swatches = [
        (
            f"{n:,}",
            f"width:{2 * town_radius(n, scale)}px;height:{2 * town_radius(n, scale)}px;"
            f"border-radius:50%;border:1px solid {COLOUR};background:{COLOUR}59",
        )
        for n in counts
    ]
    return html.legend_block(title, swatches)


def _round_count(value: float) -> int:
    """A round count near ``value``: 1, 2 or 5 times a power of ten."""
    if value < 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return int(min((1, 2, 5, 10), key=lambda m: abs(m * power - value)) * power)


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    return {**STYLE, "radius": style_key(feature)}


def _popup(t: Any) -> str:
    # The popup links the first few sources; the downloads carry every one. Only those few
    # are parsed: a town of a big import lists thousands.
    listed = [s for s in str(t.source).split("\n") if s.strip()]
    sources: list[str] = []
    read = 0
    while read < len(listed) and len(sources) < MAX_TOWN_SOURCES:
        if html.safe_url(listed[read]):
            sources.append(html.link(listed[read]))
        read += 1
    if len(listed) > read:
        sources.append(f"and {len(listed) - read} more (every source is in the download)")
    rows = [
        ("Region (2012)", html.text(t.admin1)),
        ("Incidents", html.text(t.incidents)),
        ("Fatalities", html.fatalities(t.fatalities_low, t.fatalities_high)),
        ("Without a toll", html.text(t.incidents_without_toll)),
        *counted_elsewhere(t.tolls_counted_elsewhere),
        ("Dates", f"{html.day(t.first_date)} to {html.day(t.last_date)}"),
        ("Event types", html.text(readable_types(t.event_types))),
    ]
    return html.facts_popup(t.name, rows, sources)
