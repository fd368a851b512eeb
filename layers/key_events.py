"""Key events layer: dated turning points, drawn as yellow circles."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd

from layers import html
from layers.geojson import POPUP_FIELD, STYLE_FIELD, TOOLTIP_FIELD, geojson_group

NAME = "Key events"
COLOUR = "#ffd92f"
RADIUS = 6
STYLE: dict[str, Any] = {
    "radius": RADIUS,
    "color": "#333333",
    "weight": 2,
    "fill": True,
    "fillColor": COLOUR,
    "fillOpacity": 1,
}


def key_events_layer(events: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Key events with a coordinate, with the event and its source in the popup."""
    gdf = events.copy()
    gdf[TOOLTIP_FIELD] = [
        html.tooltip(e.place, f"{html.text(e.date)}: {html.text(e.event)}")
        for e in events.itertuples()
    ]
    gdf[POPUP_FIELD] = [_popup(e) for e in events.itertuples()]
    gdf[STYLE_FIELD] = 0
    return geojson_group(
        gdf, name=NAME, style=lambda _f: STYLE, marker=folium.CircleMarker(radius=RADIUS)
    )


def legend_html(events: gpd.GeoDataFrame) -> str:
    """Legend: what a yellow circle stands for."""
    swatch = "width:12px;height:12px;border-radius:6px;border:2px solid #333;background:{colour}"
    return html.categorical_legend(
        "Key events", [(f"{len(events):,} dated turning point(s)", COLOUR)], swatch=swatch
    )


def _popup(e: Any) -> str:
    rows = [
        ("Date", f"{html.text(e.date)} ({html.text(e.date_precision)})"),
        ("Place", html.text(e.place)),
        ("Quote", f"<i>“{html.text(e.source_quote)}”</i>"),
    ]
    return html.popup(e.event, rows, [e.source_url])
