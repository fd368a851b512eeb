"""Incidents layer: one point per incident, coloured by event type."""

from __future__ import annotations

import folium
import geopandas as gpd

from layers import html
from layers.base import geojson_group, style_from_property

NAME = "Incidents"
EVENT_COLOURS: dict[str, str] = {
    "battle": "#d62728",
    "air_strike": "#1f77b4",
    "suicide_attack": "#000000",
    "ied_landmine": "#8c564b",
    "rocket_shelling": "#ff7f0e",
    "armed_attack": "#e377c2",
    "kidnapping": "#9467bd",
    "violence_against_civilians": "#bcbd22",
    "clash_between_armed_groups": "#17becf",
    "riot_protest": "#2ca02c",
    "coup_mutiny": "#393b79",
    "strategic_development": "#7f7f7f",
    "other": "#c7c7c7",
}


def event_colour(event_type: str | None) -> str:
    """The colour of an event type (grey for anything unknown)."""
    return EVENT_COLOURS.get(str(event_type), EVENT_COLOURS["other"])


def event_label(event_type: str) -> str:
    """A readable label: ``ied_landmine`` -> "IED / landmine"."""
    special = {"ied_landmine": "IED / landmine", "riot_protest": "Riot / protest"}
    return special.get(event_type, event_type.replace("_", " ").capitalize())


def incidents_layer(incidents: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Incident points coloured by event type, with tooltip and popup."""
    gdf = incidents.copy()
    gdf["_tooltip"] = [
        html.tooltip(i.place, f"{html.text(i.date_start)} · {html.text(i.event_type)}")
        for i in incidents.itertuples()
    ]
    gdf["_popup"] = [_popup(i) for i in incidents.itertuples()]
    gdf["_style"] = [
        {
            "radius": 5,
            "color": "#ffffff",
            "weight": 1,
            "fillColor": event_colour(t),
            "fillOpacity": 0.9,
        }
        for t in incidents["event_type"]
    ]
    return geojson_group(
        gdf, name=NAME, style=style_from_property, marker=folium.CircleMarker(radius=5)
    )


def legend_html(event_types: list[str]) -> str:
    """Legend of the event-type colours present."""
    items = "".join(
        f'<span style="display:inline-block;margin-right:8px">'
        f'<span style="display:inline-block;width:10px;height:10px;border-radius:5px;'
        f'background:{event_colour(t)};vertical-align:middle"></span> '
        f"{html.text(event_label(t))}</span>"
        for t in event_types
    )
    return f"<div><b>Incidents by event type</b><br>{items}</div>"


def _popup(i: object) -> str:
    dates = html.text(i.date_start)
    if str(i.date_end) != str(i.date_start):
        dates += f" to {html.text(i.date_end)}"
    rows = [
        ("Date", f"{dates} ({html.text(i.date_precision)})"),
        ("Place", f"{html.text(i.place)}, {html.text(i.admin1)}"),
        ("Type", html.text(i.event_type)),
        ("Actors", html.text(i.actors)),
        ("Fatalities", html.fatalities(i.fatalities_low, i.fatalities_high)),
        ("Summary", html.text(i.summary)),
        ("Id", html.text(i.incident_id)),
    ]
    return html.popup(i.place, rows, [i.source_url, i.source_url_2])
