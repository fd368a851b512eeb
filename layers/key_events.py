"""Key events layer: dated turning points, drawn as yellow circles."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd

from layers import html
from layers.geojson import Feature, circle_style, geojson_group

NAME = "Key events"
COLOUR = "#ffd92f"
RADIUS = 6
STYLE = circle_style(RADIUS, "#333333", 2, fill=COLOUR)


def key_events_layer(events: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Key events with a coordinate, with the event and its source in the popup."""
    features = [_feature(e) for e in events.itertuples()]
    marker = folium.CircleMarker(radius=RADIUS)
    return geojson_group(events, features, name=NAME, style=lambda _f: STYLE, marker=marker)


def legend_html(events: gpd.GeoDataFrame) -> str:
    """Legend: what a yellow circle stands for."""
    swatch = "width:12px;height:12px;border-radius:6px;border:2px solid #333;background:{colour}"
    return html.categorical_legend(
        "Key events", [(f"{len(events):,} dated turning point(s)", COLOUR)], swatch=swatch
    )


def _feature(e: Any) -> Feature:
    return (
        html.tooltip(e.place, f"{html.day(e.date, e.date_precision)}: {html.text(e.event)}"),
        _popup(e),
        0,
    )


def _popup(e: Any) -> str:
    rows = [
        ("Date", f"{html.day(e.date, e.date_precision)} ({html.text(e.date_precision)})"),
        ("Place", html.text(e.place)),
        ("Quote", f"<i>“{html.text(e.source_quote)}”</i>"),
    ]
    return html.popup(e.event, rows, [e.source_url])
