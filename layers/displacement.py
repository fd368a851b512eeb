"""Displacement layer: flows drawn to scale, line width proportional to people."""

from __future__ import annotations

import folium
import geopandas as gpd

from layers import html
from layers.base import geojson_group, style_from_property

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


def flow_width(people: int) -> float:
    """Line width in pixels, proportional to the number of people (with a hairline minimum)."""
    return round(max(people * PX_PER_PERSON, MIN_WIDTH), 2)


def displacement_layer(flows: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Refugee and IDP flows from their origin to where people were counted."""
    gdf = flows.copy()
    gdf["_tooltip"] = [
        html.tooltip(
            f.destination,
            f"{int(f.people):,} {KIND_NOUNS.get(f.kind, f.kind)} as of {html.text(f.as_of)}",
        )
        for f in flows.itertuples()
    ]
    gdf["_popup"] = [_popup(f) for f in flows.itertuples()]
    gdf["_style"] = [
        {
            "color": KIND_COLOURS.get(k, "#666666"),
            "weight": flow_width(p),
            "opacity": 0.75,
            "lineCap": "butt",
        }
        for k, p in zip(flows["kind"], flows["people"], strict=True)
    ]
    group = geojson_group(gdf, name=NAME, style=style_from_property)
    drawn = flows.geometry[~(flows.geometry.isna() | flows.geometry.is_empty)]
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


def legend_html() -> str:
    """Legend: colours by kind and the width scale."""
    kinds = "".join(
        f'<span style="display:inline-block;margin-right:10px">'
        f'<span style="display:inline-block;width:24px;height:4px;background:{c};'
        f'vertical-align:middle"></span> {KIND_LABELS[k]}</span>'
        for k, c in KIND_COLOURS.items()
    )
    scale = "".join(
        f'<span style="display:inline-block;margin-right:10px">'
        f'<span style="display:inline-block;width:24px;height:{flow_width(n)}px;'
        f'background:#444;vertical-align:middle"></span> {n:,}</span>'
        for n in (10_000, 25_000, 50_000)
    )
    return (
        f"<div><b>Displacement flows</b> (line width proportional to people)<br>{kinds}<br>"
        f"{scale}</div>"
    )


def _popup(f: object) -> str:
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
