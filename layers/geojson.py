"""GeoJSON-backed FeatureGroups: the one way every data layer is put on the map.

Tooltips and popups are safe HTML (made with :mod:`layers.html`); styles come from a short
per-feature key and the layer's module constants, not from a style dict per feature.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, cast

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


#: What :func:`script_json` escapes, and how: "<" where it could end a script or open a
#: comment ("</script>", "<!--"), and the two line separators older JavaScript does not allow
#: in a string. JSON reads each escape back as the same text.
_SCRIPT_ESCAPES = (("</", "<\\/"), ("<!", "\\u003c!"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: Any) -> str:
    """``value`` as compact JSON that is safe inside a ``<script>`` element, in linear time.

    Jinja's ``tojson`` (folium's) escapes every ``<``, ``>``, ``&`` and ``'`` and every
    non-ASCII letter as six bytes, which makes popup HTML a third larger; only the sequences
    in :data:`_SCRIPT_ESCAPES` need it.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for unsafe, escaped in _SCRIPT_ESCAPES:
        text = text.replace(unsafe, escaped)
    return text


class _LeanModule:
    """GeoJson's template module, with the data written by :func:`script_json`.

    streamlit-folium builds a group's script by calling each element's
    ``_template.module.script`` itself, and ``render`` writes the page's parts from the same
    macros: both go through here.
    """

    def __init__(self, template: Template) -> None:
        self._macros = template.module

    def part(self, name: str, this: folium.GeoJson, kwargs: dict[str, Any]) -> str | None:
        """The ``header``, ``html`` or ``script`` part of ``this``; None if it has none."""
        macro = getattr(self._macros, name, None)
        if macro is None:
            return None
        # The template writes the slot's name instead of the data.
        data, this.data = this.data, cast(dict[str, Any], _DATA_SLOT)
        try:
            text = str(macro(this, kwargs))
        finally:
            this.data = data
        return text.replace(_DATA_SLOT_JSON, script_json(data), 1)

    def script(self, this: folium.GeoJson, kwargs: dict[str, Any] | None = None) -> str:
        """The script part (the name and call streamlit-folium uses)."""
        return self.part("script", this, kwargs or {}) or ""


class _LeanTemplate:
    """Stands in for GeoJson's template where folium and streamlit-folium use it."""

    def __init__(self, template: Template) -> None:
        self.module = _LeanModule(template)


class LeanGeoJson(folium.GeoJson):
    """A ``folium.GeoJson`` whose script is lean: its data compact, rendered only when used.

    Its features are written with :func:`script_json` instead of Jinja's ``tojson`` (a third
    smaller). branca's ``MacroElement.render`` renders each part into the page at once and
    wraps it in ``Element(text)``, which compiles the text as a Jinja template: the script
    holding every feature, compiled for nothing (about 65 ms per MB), and rendered for
    nothing when streamlit-folium, which renders the script itself, sends the map. This does
    what ``GeoJson.render``, ``Layer.render`` and ``MacroElement.render`` do (a GeoJson has
    no class includes), but leaves each part to be rendered when the page is; the map is the
    same.
    """

    _template = _LeanTemplate(folium.GeoJson._template)

    # branca types Element.render as returning the text; a macro element's render (folium's
    # GeoJson.render included) returns None, as this one does.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Compute the style maps; add the parts, rendered when used, and the children."""
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
        module: _LeanModule = self._template.module
        for part in ("header", "html", "script"):
            text = _LazyPart(module, part, self, kwargs)
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


#: Stands for the data while the template is rendered (see :meth:`LeanGeoJson.render`).
_DATA_SLOT = "mali-geo:data-slot"
_DATA_SLOT_JSON = json.dumps(_DATA_SLOT)


class _LazyPart(Element):
    """A part of a :class:`LeanGeoJson`, rendered when the page is, never parsed as a template."""

    def __init__(
        self, module: _LeanModule, part: str, layer: LeanGeoJson, kwargs: dict[str, Any]
    ) -> None:
        super().__init__()
        self._module, self._part, self._layer, self._kwargs = module, part, layer, kwargs

    def render(self, **kwargs: Any) -> str:
        """The part's text ("" if the layer has no such part)."""
        return self._module.part(self._part, self._layer, self._kwargs) or ""
