"""Displacement layers: flows, circles where people were counted, optional arrows.

Flows are drawn to scale (line width proportional to people); refugees and IDPs as
proportional circles at their camps, cities and host regions.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from layers import html
from layers.geojson import Feature, geojson_group, style_key
from mali_geo.catalogue import TOTAL_PREFIX
from mali_geo.displacement_picture import (
    ARROW_COLUMNS,
    CIRCLE_COLUMNS,
    NOT_LOCATED,
    TOTAL_COLUMNS,
    DisplacementPicture,
)
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
            tooltip=folium.Tooltip(ORIGIN_LABEL, direction="right"),
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


# --- refugees and IDPs as proportional circles, with optional arrows -----------------------

CIRCLES_NAME = "Refugees and IDPs (where counted)"
ARROWS_NAME = "Displacement arrows (direction only)"
#: Circle area proportional to people: radius = sqrt(people) * this (50,000 people = 28 px).
PX_PER_SQRT_PERSON = 28 / 50_000**0.5
NOT_LOCATED_COLOUR = "#777777"
CIRCLE_STYLE: dict[str, Any] = {"weight": 1.5, "fill": True, "fillOpacity": 0.35}
#: The dashes of a circle whose people have no located site (or region).
NOT_LOCATED_DASH = "5 4"
PLACEMENT_TEXT: dict[str, str] = {
    "site": "at the camp or site's own coordinate",
    "city": "at the city or town where UNHCR counts them (no separate site coordinate)",
    "region": "at a representative point of the host region",
    "not_located": (
        "not located: no coordinate for these sites (or the breakdown does not give them); "
        "drawn at the centre of the host's other circles, which is not a place"
    ),
}
ARROW_NOTE = (
    "An arrow shows refugees crossing from Mali's border regions into the host country; the "
    "sources do not give routes or places of origin."
)


def circle_radius(people: int) -> float:
    """Circle radius in pixels, so that the circle's area is proportional to people."""
    return round(float(max(people, 0) ** 0.5) * PX_PER_SQRT_PERSON, 1)


def circles_layer(picture: DisplacementPicture) -> folium.FeatureGroup:
    """Refugees at camps, sites and cities, IDPs by host region, as proportional circles.

    Each circle's popup gives its figure, as-of date and source link, and its host's total
    with the located and not-located parts; "not located" circles are grey and dashed.
    """
    totals: dict[tuple[str, str], Any] = {
        (str(t.kind), str(t.host_iso3)): t for t in picture.totals.itertuples()
    }
    circles = picture.circles
    features = [_circle_feature(c, totals) for c in circles.itertuples()]
    marker = folium.CircleMarker(radius=5)
    return geojson_group(circles, features, name=CIRCLES_NAME, style=_circle_style, marker=marker)


def picture_of_layer(displaced: gpd.GeoDataFrame) -> DisplacementPicture:
    """The circles and host totals of the catalogue's ``displaced`` layer (no arrows)."""
    circles = displaced[[*CIRCLE_COLUMNS, displaced.geometry.name]]
    named = {f"{TOTAL_PREFIX}{c}": c for c in TOTAL_COLUMNS if c not in ("kind", "host_iso3")}
    totals = displaced[["kind", "host_iso3", *named]].rename(columns=named)
    totals = totals.drop_duplicates(["kind", "host_iso3"]).reset_index(drop=True)
    arrows = gpd.GeoDataFrame(
        {c: [] for c in ARROW_COLUMNS}, geometry=gpd.GeoSeries([], crs=displaced.crs)
    )
    return DisplacementPicture(circles, pd.DataFrame(totals[list(TOTAL_COLUMNS)]), arrows)


def displaced_layer(displaced: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """The catalogue's ``displaced`` layer: refugees and IDPs as proportional circles."""
    return circles_layer(picture_of_layer(displaced))


def displaced_legend_html(displaced: gpd.GeoDataFrame) -> str:
    """The legend of the ``displaced`` layer: kinds, circle sizes and each host's total."""
    return circles_legend_html(picture_of_layer(displaced))


def arrows_layer(arrows: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Optional arrows from Mali's border regions to each host, width proportional to people.

    No permanent label: the figure is in the tooltip and popup.
    """
    features = [_arrow_feature(a) for a in arrows.itertuples()]
    return geojson_group(arrows, features, name=ARROWS_NAME, style=_style)


def circles_legend_html(picture: DisplacementPicture) -> str:
    """Legend: colours by kind, circle sizes, the not-located mark and each host's total."""
    kinds = [
        (
            KIND_LABELS[k],
            f"width:14px;height:14px;border-radius:50%;border:1.5px solid {c};background:{c}59",
        )
        for k, c in KIND_COLOURS.items()
    ]
    kinds.append(
        (
            "site not located",
            f"width:14px;height:14px;border-radius:50%;border:1.5px dashed {NOT_LOCATED_COLOUR}",
        )
    )
    sizes = [
        (
            f"{n:,}",
            f"width:{2 * circle_radius(n)}px;height:{2 * circle_radius(n)}px;border-radius:50%;"
            f"border:1px solid {ORIGIN_COLOUR}",
        )
        for n in (5_000, 20_000, 50_000)
    ]
    return html.legend_block(
        "Refugees and IDPs (circle area proportional to people)",
        [*kinds, *sizes],
        note="<br>".join(total_text(t) for t in picture.totals.itertuples()),
    )


def total_text(total: Any) -> str:
    """One host's total as safe HTML: figure, date, source, and its located / not-located parts."""
    noun = KIND_NOUNS.get(total.kind, total.kind)
    text = (
        f"{html.text(total.host)}: {int(total.people_total):,} {noun} as of "
        f"{html.text(total.as_of)} ({html.link(total.source_url, _short_source(total))})"
    )
    if total.people_not_located:
        part = "site not located" if total.kind == "refugees" else "region not given"
        text += f": {int(total.people_located):,} located, {int(total.people_not_located):,} {part}"
    return text


def _circle_style(feature: dict[str, Any]) -> dict[str, Any]:
    kind, placement, radius = str(style_key(feature)).split("|")
    colour = KIND_COLOURS.get(kind, OTHER_COLOUR)
    style = {"radius": float(radius), "color": colour, "fillColor": colour, **CIRCLE_STYLE}
    if placement == NOT_LOCATED:
        style.update(
            color=NOT_LOCATED_COLOUR, fillColor=NOT_LOCATED_COLOUR, dashArray=NOT_LOCATED_DASH
        )
    return style


def _circle_feature(c: Any, totals: dict[tuple[str, str], Any]) -> Feature:
    noun = KIND_NOUNS.get(c.kind, c.kind)
    figure = f"{int(c.people):,} {noun} as of {html.text(c.as_of)}"
    tooltip = html.tooltip(c.name if c.placement != NOT_LOCATED else f"{c.host}: {c.name}", figure)
    key = f"{c.kind}|{c.placement}|{circle_radius(int(c.people))}"
    total = totals.get((c.kind, c.host_iso3))
    rows = [
        ("Who", f"{html.text(KIND_LABELS.get(c.kind, c.kind))} in {html.text(c.host)}"),
        ("People", f"{int(c.people):,} as of {html.text(c.as_of)}"),
        ("Drawn", html.text(PLACEMENT_TEXT.get(c.placement, c.placement))),
        ("Sites (as the source spells them)", html.text(c.sites)),
        ("Figure", html.text(c.source)),
    ]
    if total is not None:
        rows.append(("Host total", total_text(total)))
    links = [html.link(c.source_url)] if html.safe_url(c.source_url) else []
    return tooltip, html.facts_popup(c.name, rows, links), key


def _arrow_feature(a: Any) -> Feature:
    noun = KIND_NOUNS.get(a.kind, a.kind)
    figure = f"{int(a.people):,} {noun} as of {html.text(a.as_of)}"
    tooltip = html.tooltip(f"{KIND_LABELS.get(a.kind, a.kind)} to {a.host}", figure)
    key = f"{KIND_COLOURS.get(a.kind, OTHER_COLOUR)} {flow_width(int(a.people))}"
    rows = [
        ("To", f"{html.text(a.host)}: {figure}"),
        ("Across the border of", html.text(a.origin_regions)),
        ("Note", html.text(ARROW_NOTE)),
    ]
    title = f"{KIND_LABELS.get(a.kind, a.kind)} to {a.host}"
    return tooltip, html.facts_popup(title, rows, []), key


def _short_source(total: Any) -> str:
    source = str(total.total_source)
    return source.split(" (")[0] if source else "source"
