"""Displacement layer: flows drawn to scale, line width proportional to people."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd

from layers import html
from layers.geojson import Feature, geojson_group, style_key
from mali_geo.geometry import has_coordinate

NAME = "Displacement flows"
KIND_COLOURS: dict[str, str] = {"refugees": "#1b7837", "idps": "#e08214"}
KIND_LABELS: dict[str, str] = {"refugees": "Refugees (UNHCR)", "idps": "IDPs (IOM/CMP)"}
KIND_NOUNS: dict[str, str] = {"refugees": "refugees", "idps": "IDPs"}
ORIGIN_COLOUR = "#444444"
#: Every flow starts at one point standing for northern Mali: say so on the map itself.
ORIGIN_LABEL = "Northern Mali (origin not recorded by the sources)"
#: Line width in pixels per person: 10,000 people = 2 px. Linear, so widths compare.
PX_PER_PERSON = 2 / 10_000
MIN_WIDTH = 0.5
OTHER_COLOUR = "#666666"
STYLE: dict[str, Any] = {"opacity": 0.75, "lineCap": "butt"}


def flow_width(people: int) -> float:
    """Line width in pixels, proportional to the number of people (with a hairline minimum)."""
    return round(max(people * PX_PER_PERSON, MIN_WIDTH), 2)


def displacement_layer(flows: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Refugee and IDP flows from their origin to where people were counted."""
    group = geojson_group(flows, [_feature(f) for f in flows.itertuples()], name=NAME, style=_style)
    drawn = flows.geometry[has_coordinate(flows)]
    if len(drawn):
        lon, lat = drawn.iloc[0].coords[0]
        folium.CircleMarker(
            location=(lat, lon),
            radius=6,
            color=ORIGIN_COLOUR,
            weight=2,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1,
            tooltip=folium.Tooltip(ORIGIN_LABEL, permanent=True, direction="right"),
        ).add_to(group)
    return group


def legend_html(_flows: gpd.GeoDataFrame) -> str:
    """Legend: colours by kind and the width scale."""
    kinds = [
        (KIND_LABELS[k], f"width:24px;height:4px;background:{c}") for k, c in KIND_COLOURS.items()
    ]
    scale = [
        (f"{n:,}", f"width:24px;height:{flow_width(n)}px;background:{ORIGIN_COLOUR}")
        for n in (10_000, 25_000, 50_000)
    ]
    return html.legend_block(
        "Displacement flows (line width proportional to people)", [*kinds, *scale]
    )


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    colour, width = str(style_key(feature)).split(" ")
    return {"color": colour, "weight": float(width), **STYLE}


def _feature(f: Any) -> Feature:
    noun = KIND_NOUNS.get(f.kind, f.kind)
    tooltip = html.tooltip(f.destination, f"{int(f.people):,} {noun} as of {html.text(f.as_of)}")
    # The style key: the colour and the width, e.g. "#1b7837 2.5".
    key = f"{KIND_COLOURS.get(f.kind, OTHER_COLOUR)} {flow_width(f.people)}"
    return tooltip, _popup(f), key


def _popup(f: Any) -> str:
    rows = [
        ("Kind", html.text(KIND_LABELS.get(f.kind, f.kind))),
        ("People", f"{int(f.people):,}"),
        ("As of", html.text(f.as_of)),
        ("From", f"{html.text(f.origin)} <i>({html.text(f.origin_note)})</i>"),
        ("To", f"{html.text(f.destination)}, {html.text(f.destination_country)}"),
        ("Sites (as the source spells them)", html.text(f.sites)),
        ("Figure", html.text(f.source)),
        ("Dataset", html.text(f.source_ref)),
    ]
    return html.popup(f.destination, rows, [f.source_url])
