"""Incidents layer: one point per incident, or a grid of cells when a period holds many.

Up to :data:`MAX_POINTS` located incidents, each is a circle coloured by event type. Above
that, one feature per incident would make the page slow to send and to draw (tens of MB at
100,000 incidents), so the layer shows the incidents aggregated on the server into the cells
of an equal-area grid (:func:`mali_geo.incidents.incidents_grid`), shaded by count. The
downloads and ``python -m mali_geo export`` always hold every incident.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import folium
import geopandas as gpd
import shapely
from branca.element import Element
from folium.elements import ElementAddToElement
from folium.features import GeoJsonStyleMapper
from folium.utilities import get_obj_in_upper_tree

from layers import html
from mali_geo.export import feature_collection
from mali_geo.incidents import GRID_CELL_KM, MAX_GRID_CELLS, incidents_grid

NAME = "Incidents"
GRID_NAME = "Incidents (aggregated)"
#: Above this many located incidents in a view, the map shows grid cells instead of points.
MAX_POINTS = 2_000
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
EVENT_TYPES: tuple[str, ...] = tuple(EVENT_COLOURS)
EVENT_INDEX: dict[str, int] = {t: i for i, t in enumerate(EVENT_TYPES)}
#: Grid cells: lower bounds of the incident-count classes and their fill colours.
GRID_BINS: tuple[int, ...] = (1, 5, 20, 100, 500)
GRID_COLOURS: tuple[str, ...] = ("#fed976", "#feb24c", "#fd8d3c", "#e31a1c", "#800026")
GRID_OUTLINE = "#662506"

TOOLTIP_FIELD = "_tooltip"
POPUP_FIELD = "_popup"
STYLE_FIELD = "_k"


def event_colour(event_type: str | None) -> str:
    """The colour of an event type (grey for anything unknown)."""
    return EVENT_COLOURS.get(str(event_type), EVENT_COLOURS["other"])


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


def is_aggregated(incidents: gpd.GeoDataFrame) -> bool:
    """Whether :func:`incidents_layer` shows these incidents as grid cells."""
    return located_count(incidents) > MAX_POINTS


def located_count(incidents: gpd.GeoDataFrame) -> int:
    """How many incidents have a coordinate (counted without copying the rows)."""
    geoms = incidents.geometry.to_numpy()
    return int((~(shapely.is_missing(geoms) | shapely.is_empty(geoms))).sum())


def incidents_layer(incidents: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Incident points coloured by event type, or grid cells above :data:`MAX_POINTS`."""
    if len(incidents) > MAX_POINTS:  # as is_aggregated, counting in the grid
        grid = incidents_grid(incidents)
        if grid["incidents"].sum() > MAX_POINTS:
            return grid_layer(grid)
    gdf = incidents.copy()
    rows = incidents[list(_PointRow._fields)].itertuples(index=False, name=None)
    pieces = [_point_html(row) for row in rows]
    gdf[TOOLTIP_FIELD] = [tooltip for tooltip, _ in pieces]
    gdf[POPUP_FIELD] = [popup for _, popup in pieces]
    kinds = incidents["event_type"].map(EVENT_INDEX).fillna(EVENT_INDEX["other"])
    gdf[STYLE_FIELD] = kinds.astype(int).to_numpy()  # a short style key: the type's index
    return compact_geojson_group(
        gdf, name=NAME, style=_point_style, marker=folium.CircleMarker(radius=5)
    )


def grid_layer(grid: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Grid cells shaded by incident count, with the cell's figures in tooltip and popup.

    Parameters
    ----------
    grid
        From :func:`mali_geo.incidents.incidents_grid`.
    """
    gdf = grid.copy()
    gdf[TOOLTIP_FIELD] = [
        html.tooltip(
            f"{c.incidents:,} incident(s)",
            f"{c.cell_km:g} km cell · mostly {html.text(event_label(c.main_event_type))}",
        )
        for c in grid.itertuples()
    ]
    gdf[POPUP_FIELD] = [_cell_popup(c) for c in grid.itertuples()]
    gdf[STYLE_FIELD] = [GRID_COLOURS.index(grid_colour(n)) for n in grid["incidents"]]
    return compact_geojson_group(gdf, name=GRID_NAME, style=_cell_style)


def grid_colour(incidents: int) -> str:
    """The fill colour of a grid cell with this many incidents."""
    colour = GRID_COLOURS[0]
    for bound, candidate in zip(GRID_BINS, GRID_COLOURS, strict=True):
        if incidents >= bound:
            colour = candidate
    return colour


def compact_geojson_group(
    gdf: gpd.GeoDataFrame,
    *,
    name: str,
    style: Callable[[dict[str, Any]], dict[str, Any]],
    marker: folium.CircleMarker | None = None,
    fields: Sequence[str] = (TOOLTIP_FIELD, POPUP_FIELD, STYLE_FIELD),
) -> folium.FeatureGroup:
    """One FeatureGroup holding one GeoJson layer, sent compactly.

    Like :func:`layers.base.geojson_group` (same ``_tooltip`` and ``_popup`` properties,
    features tagged with their ``layer``), but each feature carries a numeric ``id`` and a
    short style key instead of a style dict. Folium keys its per-feature style lookup on the
    first unique property, which would otherwise be the tooltip HTML, repeated once more per
    feature in the page.

    Parameters
    ----------
    gdf
        Features in EPSG:4326 with the ``fields`` columns (safe HTML made with
        :mod:`layers.html` for tooltip and popup).
    name
        The layer name shown to users; also each feature's ``layer`` property.
    style
        Leaflet path options for one feature (receives the GeoJSON feature).
    marker
        For point layers: the marker drawn at each point.
    fields
        The properties sent to the browser.
    """
    group = folium.FeatureGroup(name=name, show=True)
    gdf = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy(dtype=bool)]
    if gdf.empty:
        return group
    data = feature_collection(gdf[[*fields, "geometry"]], layer=name)
    for number, feature in enumerate(data["features"]):
        feature["id"] = number
    LeanGeoJson(
        data,
        name=name,
        style_function=style,
        marker=marker,
        tooltip=folium.GeoJsonTooltip(fields=[TOOLTIP_FIELD], labels=False, sticky=False),
        popup=folium.GeoJsonPopup(fields=[POPUP_FIELD], labels=False, max_width=340),
        highlight_function=lambda _f: {"weight": 3},
    ).add_to(group)
    return group


class LeanGeoJson(folium.GeoJson):
    """A ``folium.GeoJson`` that puts its rendered script into the page without parsing it again.

    branca's ``MacroElement.render`` wraps each rendered part in ``Element(text)``, which
    compiles the text as a Jinja template: here the script holding every feature, compiled
    for nothing (about 65 ms per MB, on every rerun). This does what ``GeoJson.render``,
    ``Layer.render`` and ``MacroElement.render`` do (a GeoJson has no class includes) minus
    that parse; the output is the same.
    """

    def render(self, **kwargs: Any) -> None:
        """Render the style maps, the script and the children into the figure."""
        self.parent_map = get_obj_in_upper_tree(self, folium.Map)
        if (self.style or self.highlight) and self.data["features"]:
            if self.style:
                self.style_map = self._style_map(self.style_function)
            if self.highlight:
                self.highlight_map = self._style_map(self.highlight_function)
        if self.show:  # as folium's Layer.render
            add = ElementAddToElement(
                element_name=self.get_name(), element_parent_name=self._parent.get_name()
            )
            self.add_child(add, name=self.get_name() + "_add")
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if part in macros:
                text = _RenderedText(macros[part](self, kwargs))
                getattr(figure, part).add_child(text, name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)

    def _style_map(self, style: Callable[[dict[str, Any]], dict[str, Any]]) -> dict:
        """The style map of folium (style -> feature ids), calling ``style`` once per style key.

        Features made by :func:`compact_geojson_group` are styled from their style key alone,
        so features with the same key share a style: one call and one JSON encoding per key
        instead of per feature. The mapping has folium's format (``GeoJsonStyleMapper``).
        """
        by_key: dict[Any, list[int | str]] = {}
        first: dict[Any, dict[str, Any]] = {}
        for feature in self.data["features"]:
            key = feature["properties"].get(STYLE_FIELD)
            by_key.setdefault(key, []).append(feature["id"])
            first.setdefault(key, feature)
        mapping: dict[str, list[int | str]] = {}
        for key, ids in by_key.items():
            mapping.setdefault(GeoJsonStyleMapper._to_key(style(first[key])), []).extend(ids)
        GeoJsonStyleMapper._set_default_key(mapping)
        return mapping


class _RenderedText(Element):
    """Text that is already rendered: returned as is, never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text itself."""
        return self.text


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


def grid_legend_html(incidents: int) -> str:
    """Legend of the grid shading, saying why the incidents are aggregated."""
    bounds = [*GRID_BINS[1:], None]
    items = "".join(
        f'<span style="display:inline-block;margin-right:8px">'
        f'<span style="display:inline-block;width:12px;height:12px;background:{colour};'
        f'border:1px solid {GRID_OUTLINE};vertical-align:middle"></span> '
        f"{_class_label(low, high)}</span>"
        for low, high, colour in zip(GRID_BINS, bounds, GRID_COLOURS, strict=True)
    )
    return (
        f"<div><b>Incidents per grid cell</b><br>{items}<br>"
        f"<small>{incidents:,} incidents with a coordinate in the period: more than "
        f"{MAX_POINTS:,}, so they are shown aggregated in equal-area cells of "
        f"{GRID_CELL_KM:g} km (larger if more than {MAX_GRID_CELLS:,} cells would be needed). "
        "Narrow the period or the event types to see individual points; the downloads hold "
        "every incident.</small></div>"
    )


def _class_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low:,}+"
    return f"{low:,}" if high - 1 == low else f"{low:,}–{high - 1:,}"


def _point_style(feature: dict[str, Any]) -> dict[str, Any]:
    colour = EVENT_COLOURS[EVENT_TYPES[feature["properties"][STYLE_FIELD]]]
    return {
        "radius": 5,
        "color": "#ffffff",
        "weight": 1,
        "fill": True,
        "fillColor": colour,
        "fillOpacity": 0.9,
    }


def _cell_style(feature: dict[str, Any]) -> dict[str, Any]:
    fill = GRID_COLOURS[feature["properties"][STYLE_FIELD]]
    return {"color": GRID_OUTLINE, "weight": 0.5, "fillColor": fill, "fillOpacity": 0.7}


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
    summary: Any
    incident_id: Any
    source_url: Any
    source_url_2: Any
    source_title: Any


@lru_cache(maxsize=20_000)
def _point_html(row: tuple) -> tuple[str, str]:
    """Tooltip and popup of an incident, made once per distinct incident (periods overlap)."""
    i = _PointRow(*row)
    label = event_label(i.event_type)
    tooltip = html.tooltip(i.place, f"{html.text(i.date_start)} · {html.text(label)}")
    return tooltip, _popup(i)


def _popup(i: _PointRow) -> str:
    """Compact popup: no table markup, which the page would carry once per incident."""
    dates = html.text(i.date_start)
    if str(i.date_end) != str(i.date_start):
        dates += f" to {html.text(i.date_end)}"
    links = [html.link(u) for u in (i.source_url, i.source_url_2) if html.safe_url(u)]
    lines = [
        f"{dates} ({html.text(i.date_precision)}) · {html.text(event_label(i.event_type))}",
        f"Region: {html.text(i.admin1)}",
        f"Actors: {html.text(i.actors)}",
        f"Fatalities: {html.fatalities(i.fatalities_low, i.fatalities_high)}",
        html.text(i.summary),
        f"Id {html.text(i.incident_id)} · Source: {' '.join(links) or html.text(i.source_title)}",
    ]
    return compact_popup(i.place, lines)


def _cell_popup(c: Any) -> str:
    lines = [
        f"{c.cell_km:g} km grid cell (equal-area)",
        f"Fatalities: {html.fatalities(c.fatalities_low, c.fatalities_high)}",
        f"Without a toll: {c.incidents_without_toll:,}",
        f"Dates: {html.text(c.first_date)} to {html.text(c.last_date)}",
        f"Event types: {html.text(c.event_types)}",
    ]
    return compact_popup(f"{c.incidents:,} incident(s)", lines)


def compact_popup(title: Any, lines: Sequence[str]) -> str:
    """Popup HTML without table markup, which the page would carry once per feature.

    Parameters
    ----------
    title
        Raw text; escaped here.
    lines
        Lines of already-safe HTML (made with :mod:`layers.html`).
    """
    # Line breaks as newlines shown by pre-line: "\n" is 2 bytes in the page, "<br>" 14.
    body = "\n".join([f"<b>{html.text(title)}</b>", *lines])
    return f'<div class="mali-popup" style="white-space:pre-line">{body}</div>'
