"""Key events layer: dated turning points, drawn as small diamonds."""

from __future__ import annotations

import folium
import geopandas as gpd

from layers import html
from layers.base import geojson_group, style_from_property

NAME = "Key events"
COLOUR = "#ffd92f"


def key_events_layer(events: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Key events with a coordinate, with the event and its source in the popup."""
    gdf = events.copy()
    gdf["_tooltip"] = [
        html.tooltip(e.place, f"{html.text(e.date)}: {html.text(e.event)}")
        for e in events.itertuples()
    ]
    gdf["_popup"] = [_popup(e) for e in events.itertuples()]
    gdf["_style"] = [
        {
            "radius": 6,
            "color": "#333333",
            "weight": 2,
            "fill": True,
            "fillColor": COLOUR,
            "fillOpacity": 1,
        }
        for _ in range(len(events))
    ]
    return geojson_group(
        gdf, name=NAME, style=style_from_property, marker=folium.CircleMarker(radius=6)
    )


def _popup(e: object) -> str:
    rows = [
        ("Date", f"{html.text(e.date)} ({html.text(e.date_precision)})"),
        ("Place", html.text(e.place)),
        ("Quote", f"<i>“{html.text(e.source_quote)}”</i>"),
    ]
    return html.popup(e.event, rows, [e.source_url])
