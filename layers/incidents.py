"""Incidents layer: one point per incident, or a grid of cells when a period holds many.

Up to :data:`MAX_POINTS` located incidents, each is a circle coloured by event type. Above
that, one feature per incident would make the page slow to send and to draw (tens of MB at
100,000 incidents), so the layer shows the incidents aggregated on the server into the cells
of an equal-area grid (:func:`mali_geo.incidents.incidents_grid`), shaded by count. The
downloads and ``python -m mali_geo export`` always hold every incident.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from layers import html
from layers.geojson import (
    Feature,
    circle_style,
    geojson_group,
    style_key,
)
from mali_geo.config import EVENT_GROUPS
from mali_geo.geometry import has_coordinate
from mali_geo.incidents import (
    GRID_CELL_KM,
    MAX_GRID_CELLS,
    MAX_POINTS,
    incidents_grid,
    is_aggregated,
)
from mali_geo.schema import LOCATION_PRECISION_WORDS

NAME = "Incidents"
GRID_NAME = "Incidents (aggregated)"
#: One colour per event group (Okabe–Ito, colour-blind safe: battles and protests stay apart
#: under deuteranopia, vermillion against bluish green).
GROUP_COLOURS: dict[str, str] = {
    "Battles and clashes": "#d55e00",
    "Explosions and remote violence": "#0072b2",
    "Violence against civilians": "#cc79a7",
    "Protests and riots": "#009e73",
    "Strategic developments": "#56b4e9",
    "Coup and mutiny": "#000000",
    "Other": "#999999",
}
#: The group of each fine event type.
EVENT_GROUP: dict[str, str] = {t: g for g, types in EVENT_GROUPS.items() for t in types}
EVENT_COLOURS: dict[str, str] = {t: GROUP_COLOURS[g] for t, g in EVENT_GROUP.items()}
EVENT_TYPES: tuple[str, ...] = tuple(EVENT_COLOURS)
EVENT_INDEX: dict[str, int] = {t: i for i, t in enumerate(EVENT_TYPES)}
#: Grid cells: lower bounds of the incident-count classes and their fill colours.
GRID_BINS: tuple[int, ...] = (1, 5, 20, 100, 500)
GRID_COLOURS: tuple[str, ...] = ("#fed976", "#feb24c", "#fd8d3c", "#e31a1c", "#800026")
GRID_OUTLINE = "#662506"
POINT_RADIUS = 5
#: Source titles longer than this are shortened in popups (the link keeps the whole page).
TITLE_CHARS = 70
#: The count shown on the legend's example of a cluster.
CLUSTER_EXAMPLE = 3
POINT_STYLE = circle_style(POINT_RADIUS, "#ffffff", 1, opacity=0.9)
#: Approximate locations: a dashed ring of this radius (m) around the point, by precision
#: (2: near a place or between two, 3: a region or massif); exact places (1) have none.
PRECISION_RING_M: dict[int, int] = {2: 25_000, 3: 75_000}
RING_COLOUR = "#444444"
RING_STYLE: dict[str, Any] = {
    "color": RING_COLOUR,
    "weight": 1.2,
    "dashArray": "4 4",
    "fill": False,
    "opacity": 0.8,
}
CELL_STYLE: dict[str, Any] = {"color": GRID_OUTLINE, "weight": 0.5, "fillOpacity": 0.7}


def event_colour(event_type: str | None) -> str:
    """The colour of an event type (grey for anything unknown)."""
    return EVENT_COLOURS.get(str(event_type), EVENT_COLOURS["other"])


def event_group(event_type: str | None) -> str:
    """The colour group of an event type ("Other" for anything unknown)."""
    return EVENT_GROUP.get(str(event_type), "Other")


def event_label(event_type: str) -> str:
    """A readable label: ``ied_landmine`` -> "IED / landmine"."""
    special = {
        "ied_landmine": "IED / landmine",
        "riot_protest": "Riot / protest",
        "coup_mutiny": "Coup / mutiny",
    }
    text = str(event_type)
    return special.get(text, text.replace("_", " ").capitalize())


def readable_types(types: object) -> str:
    """A comma-separated list of event types, as readable labels."""
    return ", ".join(event_label(t.strip()) for t in str(types).split(",") if t.strip())


def incidents_layer(
    incidents: gpd.GeoDataFrame, *, grid: Callable[[], gpd.GeoDataFrame] | None = None
) -> folium.FeatureGroup:
    """Incident points coloured by event type, or grid cells above :data:`MAX_POINTS`.

    Parameters
    ----------
    incidents
        The located incidents of a view (the incidents layer as built).
    grid
        Makes the same incidents' grid (:func:`mali_geo.incidents.incidents_grid`) another
        way, if aggregated (the app reads the dataset's coded incidents); by default the
        grid is computed from ``incidents``.
    """
    if is_aggregated(incidents):
        return grid_layer(incidents_grid(incidents) if grid is None else grid())
    rows = incidents[list(_PointRow._fields)].itertuples(index=False, name=None)
    kinds = incidents["event_type"].map(EVENT_INDEX).fillna(EVENT_INDEX["other"])
    # The style key is the event type's index: short, once per feature in the page.
    features = [(*_point_html(row), k) for row, k in zip(rows, kinds.astype(int), strict=True)]
    marker = folium.CircleMarker(radius=POINT_RADIUS)
    group = geojson_group(
        incidents, features, name=NAME, style=_point_style, marker=marker, cluster=True
    )
    rings = precision_rings(incidents)
    if rings is not None:
        group.add_child(rings)
    return group


def precision_rings(incidents: gpd.GeoDataFrame) -> MacroElement | None:
    """Dashed rings around approximately located incidents, sized to how far off they may be.

    Drawn in metres (``L.circle``) by a small script in the incidents' group, from a compact
    list of ``[lat, lon, metres]``: the rings come and go with the incidents, and are not
    features of their own (the downloads hold each incident's precision). None if every
    incident is exactly located.
    """
    metres = _precision(incidents).map(PRECISION_RING_M)
    has_ring = metres.notna() & has_coordinate(incidents)
    if not has_ring.any():
        return None
    points = incidents.geometry[has_ring]
    rings = [
        [round(p.y, 5), round(p.x, 5), int(m)]
        for p, m in zip(points, metres[has_ring], strict=True)
    ]
    return _PrecisionRings(rings)


class _PrecisionRings(MacroElement):
    """The script drawing :func:`precision_rings` into its parent group."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (group) {
    var style = {{ this.style }};
    {{ this.rings }}.forEach(function (r) {
        L.circle([r[0], r[1]], Object.assign({radius: r[2]}, style))
            .bindTooltip("Approximate location: within about " + r[2] / 1000 + " km",
                         {sticky: true})
            .addTo(group);
    });
})({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, rings: list[list[float]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement is untyped
        self._name = "PrecisionRings"
        self.rings = json.dumps(rings)
        self.style = json.dumps(RING_STYLE)


def _precision(incidents: gpd.GeoDataFrame) -> pd.Series:
    """The location precision of each incident as a number (missing: exact, no ring)."""
    precision: pd.Series = pd.to_numeric(incidents["location_precision"], errors="coerce")
    return precision.fillna(1)


def grid_layer(grid: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Grid cells shaded by incident count, with the cell's figures in tooltip and popup.

    Parameters
    ----------
    grid
        From :func:`mali_geo.incidents.incidents_grid`.
    """
    features = [_cell_feature(c) for c in grid.itertuples()]
    return geojson_group(grid, features, name=GRID_NAME, style=_cell_style)


def grid_colour(incidents: int) -> str:
    """The fill colour of a grid cell with this many incidents."""
    colour = GRID_COLOURS[0]
    for bound, candidate in zip(GRID_BINS, GRID_COLOURS, strict=True):
        if incidents >= bound:
            colour = candidate
    return colour


def legend_html(incidents: gpd.GeoDataFrame) -> str:
    """Legend of the incidents layer: event-type colours, or the grid shading when aggregated.

    Parameters
    ----------
    incidents
        The located incidents the layer draws (from :func:`mali_geo.catalogue.build_layers`).
    """
    if is_aggregated(incidents):
        return grid_legend_html(len(incidents))
    shown = {event_group(t) for t in incidents["event_type"].dropna().unique()}
    swatch = "width:10px;height:10px;border-radius:5px;background:{colour}"
    items = [(group, colour) for group, colour in GROUP_COLOURS.items() if group in shown]
    cluster = (
        f'<span class="mali-cluster-key">{CLUSTER_EXAMPLE}</span> incidents at one place '
        "(click to spread them)"
    )
    precision = _precision(incidents)
    if precision.isin(list(PRECISION_RING_M)).any():
        ring = (
            "display:inline-block;vertical-align:middle;width:14px;height:14px;"
            f"border-radius:7px;border:1.5px dashed {RING_COLOUR}"
        )
        km = " / ".join(f"{m / 1000:g}" for m in PRECISION_RING_M.values())
        cluster += (
            f'<br><span class="mali-precision-key" style="{ring}"></span> approximate location: '
            f"the ring shows how far off it may be (~{km} km)"
        )
    return html.categorical_legend(
        "Incidents by event type", items, swatch=swatch, note=f"<small>{cluster}</small>"
    )


def grid_legend_html(incidents: int) -> str:
    """Legend of the grid shading, saying why the incidents are aggregated."""
    bounds = [*GRID_BINS[1:], None]
    items = [
        (_class_label(low, high), colour)
        for low, high, colour in zip(GRID_BINS, bounds, GRID_COLOURS, strict=True)
    ]
    note = (
        f"<small>{incidents:,} incidents with a coordinate in the period: more than "
        f"{MAX_POINTS:,}, so they are shown aggregated in equal-area cells of "
        f"{GRID_CELL_KM:g} km (larger if more than {MAX_GRID_CELLS:,} cells would be needed). "
        "Narrow the period or the event types to see individual points; the downloads hold "
        "every incident.</small>"
    )
    swatch = f"width:12px;height:12px;background:{{colour}};border:1px solid {GRID_OUTLINE}"
    return html.categorical_legend("Incidents per grid cell", items, swatch=swatch, note=note)


def _class_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low:,}+"
    return f"{low:,}" if high - 1 == low else f"{low:,}–{high - 1:,}"


def _point_style(feature: dict[str, Any]) -> dict[str, Any]:
    return {**POINT_STYLE, "fillColor": EVENT_COLOURS[EVENT_TYPES[style_key(feature)]]}


def _cell_style(feature: dict[str, Any]) -> dict[str, Any]:
    return {**CELL_STYLE, "fillColor": GRID_COLOURS[style_key(feature)]}


class _PointRow(NamedTuple):
    """The fields of an incident that its tooltip and popup show."""

    place: Any
    date_start: Any
    date_end: Any
    date_precision: Any
    event_type: Any
    admin1: Any
    actors: Any
    fatalities_low: Any
    fatalities_high: Any
    toll_included_in: Any
    location_precision: Any
    summary: Any
    incident_id: Any
    source_url: Any
    source_url_2: Any
    source_title: Any


@lru_cache(maxsize=20_000)
def _point_html(row: tuple[Any, ...]) -> tuple[str, str]:
    """Tooltip and popup of an incident, made once per distinct incident (periods overlap)."""
    i = _PointRow(*row)
    label = event_label(i.event_type)
    tooltip = html.tooltip(
        i.place, f"{html.day(i.date_start, i.date_precision)} · {html.text(label)}"
    )
    return tooltip, _popup(i)


def _popup(i: _PointRow) -> str:
    """The incident's facts as a two-column table, its sources as named links."""
    dates = html.day(i.date_start, i.date_precision)
    if str(i.date_end) != str(i.date_start):
        dates += f" to {html.day(i.date_end, i.date_precision)}"
    links = []
    if html.safe_url(i.source_url):
        links.append(html.link(i.source_url, _title(i.source_title, i.source_url)))
    if html.safe_url(i.source_url_2):
        links.append(html.link(i.source_url_2))
    rows = [
        ("Date", f"{dates} ({html.text(i.date_precision)})"),
        ("Type", f"{html.text(event_label(i.event_type))} ({event_group(i.event_type)})"),
        ("Region", html.text(i.admin1)),
        ("Actors", html.text(i.actors)),
        ("Fatalities", html.fatalities(i.fatalities_low, i.fatalities_high) + _contained(i)),
        ("Location", location_words(i.location_precision)),
        ("What", html.text(i.summary)),
        ("Id", html.text(i.incident_id)),
    ]
    return html.facts_popup(i.place, rows, links or [html.text(i.source_title)])


def _title(title: object, url: object) -> str:
    """A source's link text: its title, shortened, else its outlet."""
    if isinstance(title, str) and title.strip():
        text = title.strip()
        return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"
    return html.outlet(str(url))


def location_words(precision: Any) -> str:
    """A location precision in words ("exact place" …); "not stated" when missing."""
    if _blank(precision):
        return "not stated"
    return html.text(LOCATION_PRECISION_WORDS.get(int(precision), str(precision)))


def _blank(value: Any) -> bool:
    """Missing (None, NaN, NA) or empty text."""
    return bool(pd.isna(value)) or not str(value).strip()


def _contained(i: _PointRow) -> str:
    """The popup's note when another incident's toll counts this one's, else empty."""
    if _blank(i.toll_included_in):
        return ""
    return f" · toll included in {html.text(i.toll_included_in)}"


def counted_elsewhere(count: Any) -> list[tuple[str, str]]:
    """A popup row for a group's incidents whose toll is in another incident's, if any."""
    n = int(count)
    return [("Tolls counted in another incident", f"{n:,}")] if n else []


def _cell_feature(c: Any) -> Feature:
    mostly = html.text(event_label(c.main_event_type))
    tooltip = html.tooltip(_incidents(c.incidents), f"{c.cell_km:g} km cell · mostly {mostly}")
    return tooltip, _cell_popup(c), GRID_COLOURS.index(grid_colour(c.incidents))


def _cell_popup(c: Any) -> str:
    rows = [
        ("Cell", f"{c.cell_km:g} km (equal-area grid)"),
        ("Fatalities", html.fatalities(c.fatalities_low, c.fatalities_high)),
        ("Without a toll", f"{c.incidents_without_toll:,}"),
        *counted_elsewhere(c.tolls_counted_elsewhere),
        ("Dates", f"{html.day(c.first_date)} to {html.day(c.last_date)}"),
        ("Event types", html.text(c.event_types)),
    ]
    return html.facts_popup(
        _incidents(c.incidents), rows, ["each incident's own (in the downloads)"]
    )


def _incidents(count: int) -> str:
    """A count of incidents in words: 1 incident, 3 incidents."""
    return f"{count:,} incident{'' if count == 1 else 's'}"
