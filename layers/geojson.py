"""GeoJSON-backed FeatureGroups: the one way every data layer is put on the map.

Tooltips and popups are safe HTML (made with :mod:`layers.html`); styles come from a short
per-feature key and the layer's module constants, not from a style dict per feature.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from folium.features import GeoJsonStyleMapper
from folium.plugins import MarkerCluster
from folium.utilities import get_obj_in_upper_tree
from jinja2 import Template

from layers import html
from mali_geo.export import feature_collection
from mali_geo.geometry import has_coordinate

TOOLTIP_FIELD = "_tooltip"
POPUP_FIELD = "_popup"
#: The style key of a feature: its layer's style function reads the style from it.
STYLE_FIELD = "_k"
#: Leaflet path options, from a GeoJSON feature.
StyleFunction = Callable[[dict[str, Any]], dict[str, Any]]
#: Leaflet popup options: a readable width, a height that fits the map (the rest scrolls).
POPUP_OPTIONS: dict[str, Any] = {
    "max_width": html.POPUP_MAX_WIDTH,
    "min_width": html.POPUP_MIN_WIDTH,
    "max_height": html.POPUP_MAX_HEIGHT,
}
#: Marker clusters: points that would overlap on screen (or overlap the count circle) are
#: grouped, and a click on a group at one place spreads its points around it.
CLUSTER_OPTIONS: dict[str, Any] = {
    "maxClusterRadius": 28,
    "spiderfyOnMaxZoom": True,
    "showCoverageOnHover": False,
    "zoomToBoundsOnClick": True,
    "spiderfyDistanceMultiplier": 1.4,
}
#: A cluster is a dark circle with its count (styled by ``.mali-cluster`` in the map's CSS).
CLUSTER_ICON = """
function (cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 22 : n < 100 ? 26 : 30;
    return L.divIcon({
        html: '<span>' + n + '</span>', className: 'mali-cluster',
        iconSize: L.point(size, size)
    });
}"""
#: What a feature shows: its tooltip and popup (safe HTML), and its style key.
Feature = tuple[str, str, Any]


def circle_style(
    radius: float, outline: str, weight: float, *, fill: str | None = None, opacity: float = 1
) -> dict[str, Any]:
    """Leaflet options of a filled circle marker (``fill``: its colour, if fixed)."""
    style: dict[str, Any] = {"radius": radius, "color": outline, "weight": weight, "fill": True}
    style["fillOpacity"] = opacity
    if fill is not None:
        style["fillColor"] = fill
    return style


def style_key(feature: dict[str, Any]) -> Any:
    """The style key of a GeoJSON feature made by :func:`geojson_group`."""
    return feature["properties"][STYLE_FIELD]


def geojson_group(
    shapes: gpd.GeoDataFrame,
    features: Sequence[Feature],
    *,
    name: str,
    style: StyleFunction,
    marker: folium.CircleMarker | folium.Marker | None = None,
    cluster: bool = False,
) -> folium.FeatureGroup:
    """One FeatureGroup holding one GeoJson layer, sent compactly.

    Each feature carries its tooltip and popup (``_tooltip``, ``_popup``), its ``layer``, a
    numeric ``id`` and a short style key (``_k``) instead of a style dict: folium keys its
    per-feature style lookup on the first unique property, which would otherwise be the
    tooltip HTML, repeated once more per feature in the page. Rows without a geometry are
    left out.

    Parameters
    ----------
    shapes
        The features' geometries, in EPSG:4326 (other columns are not sent).
    name
        The layer name shown to users; also each feature's ``layer`` property.
    features
        Per row: its tooltip and popup (safe HTML made with :mod:`layers.html`) and its
        style key.
    style
        Leaflet path options for one feature (receives the GeoJSON feature); features with
        the same style key must get the same options.
    marker
        For point layers: the marker drawn at each point.
    cluster
        For point layers: points that overlap on screen are drawn as one circle with their
        count, which spreads them out (spiderfies) when clicked.
    """
    group = folium.FeatureGroup(name=name, show=True)
    tooltips, popups, keys = zip(*features, strict=True) if len(features) else ((), (), ())
    columns = {TOOLTIP_FIELD: list(tooltips), POPUP_FIELD: list(popups), STYLE_FIELD: list(keys)}
    gdf = gpd.GeoDataFrame(columns, geometry=shapes.geometry.to_numpy(), crs=shapes.crs)
    gdf = gdf[has_coordinate(gdf)]
    if gdf.empty:
        return group
    data = feature_collection(gdf, layer=name)
    for number, feature in enumerate(data["features"]):
        feature["id"] = number
    host: Element = group
    if cluster:
        # folium's plugins have no annotations
        host = MarkerCluster(  # type: ignore[no-untyped-call]
            name=name, icon_create_function=CLUSTER_ICON, options=CLUSTER_OPTIONS
        ).add_to(group)
    layer = LeanGeoJson(
        data,
        name=name,
        style_function=style,
        marker=marker,
        tooltip=folium.GeoJsonTooltip(fields=[TOOLTIP_FIELD], labels=False, sticky=False),
        popup=folium.GeoJsonPopup(fields=[POPUP_FIELD], labels=False, **POPUP_OPTIONS),
        highlight_function=lambda _f: {"weight": 3},
    )
    if cluster:
        layer.add_child(_BindToFeatures())
    layer.add_to(host)
    return group


class _BindToFeatures(MacroElement):
    """Binds its GeoJson's popup and tooltip to each feature instead of to the GeoJson.

    In a marker cluster the GeoJson layer itself is never on the map (the cluster adds its
    features one by one), and Leaflet opens a group's popup only if the group is on the map.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (group) {
            group.eachLayer(function (layer) {
                if (group._popup) { layer.bindPopup(group._popup._content, group._popup.options); }
                if (group._tooltip) {
                    layer.bindTooltip(group._tooltip._content, group._tooltip.options);
                }
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement is untyped
        self._name = "BindToFeatures"


class LeanGeoJson(folium.GeoJson):
    """A ``folium.GeoJson`` that puts its rendered script into the page without parsing it again.

    branca's ``MacroElement.render`` wraps each rendered part in ``Element(text)``, which
    compiles the text as a Jinja template: here the script holding every feature, compiled
    for nothing (about 65 ms per MB, on every rerun). This does what ``GeoJson.render``,
    ``Layer.render`` and ``MacroElement.render`` do (a GeoJson has no class includes) minus
    that parse; the output is the same.
    """

    # branca types Element.render as returning the text; a macro element's render (folium's
    # GeoJson.render included) returns None, as this one does.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Render the style maps, the script and the children into the figure."""
        # folium declares parent_map as None: it is only set here, at render time.
        self.parent_map = get_obj_in_upper_tree(self, folium.Map)  # type: ignore[assignment]
        if (self.style or self.highlight) and self.data["features"]:
            if self.style:
                self.style_map = self._style_map(self.style_function)
            if self.highlight:
                self.highlight_map = self._style_map(self.highlight_function)
        if self.show and self._parent is not None:  # as folium's Layer.render
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

    def _style_map(self, style: StyleFunction) -> dict[str, str | list[str | int]]:
        """The style map of folium (style -> feature ids), calling ``style`` once per style key.

        Features made by :func:`geojson_group` are styled from their style key alone,
        so features with the same key share a style: one call and one JSON encoding per key
        instead of per feature. The mapping has folium's format (``GeoJsonStyleMapper``).
        """
        by_key: dict[Any, list[str | int]] = {}
        first: dict[Any, dict[str, Any]] = {}
        for feature in self.data["features"]:
            key = feature["properties"].get(STYLE_FIELD)
            by_key.setdefault(key, []).append(feature["id"])
            first.setdefault(key, feature)
        mapping: dict[str, str | list[str | int]] = {}
        for key, ids in by_key.items():
            shared = mapping.setdefault(GeoJsonStyleMapper._to_key(style(first[key])), [])
            if isinstance(shared, list):
                shared.extend(ids)
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
