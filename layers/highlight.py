"""Story highlights: a ring around each place a story chapter points at, the map fitted to them.

The rings carry the class :data:`CLASS`. A small script fits the map to them when the chapter
opens, and places each permanent label beside its ring where it covers no other label or ring
(above, right, left or below, the first that is free), again after every zoom or pan.
"""

from __future__ import annotations

import json
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element
from jinja2 import Template

from layers import html
from layers.assets import make_offline
from layers.rendering import RenderedText
from mali_geo.geometry import has_coordinate

NAME = "Story highlights"
COLOUR = "#00bcd4"
RADIUS = 16
WEIGHT = 4
CLASS = "mali-highlight"
LABEL_CLASS = "mali-highlight-label"
#: Compact labels, so that more of them fit side by side.
LABEL_CSS = (
    f".{LABEL_CLASS} {{ padding: 1px 5px; font: 600 12px/1.3 system-ui, sans-serif; "
    "box-shadow: 0 1px 3px #0005; }"
)
#: Room (px) kept around the highlighted places when the map is fitted to them.
FIT_PADDING = 50


def highlight_layer(points: gpd.GeoDataFrame, *, max_zoom: float = 8) -> folium.FeatureGroup:
    """Rings at the chapter's highlighted places, each with its name always shown.

    One ``CircleMarker`` per point is fine here: a chapter highlights a handful of places,
    far below the ~1,000 points where per-marker layers get slow.

    Parameters
    ----------
    points
        ``name`` and point ``geometry`` in EPSG:4326, e.g. from
        :func:`mali_geo.story.highlight_points`.
    max_zoom
        The closest the fit zooms in (one place alone, or places close together).

    Returns
    -------
    folium.FeatureGroup
        Named :data:`NAME`, already passed through :func:`layers.assets.make_offline`.
    """
    group = folium.FeatureGroup(name=NAME, show=True)
    has_point = has_coordinate(points)
    for name, point in zip(points["name"][has_point], points.geometry[has_point], strict=True):
        folium.CircleMarker(
            location=(point.y, point.x),
            radius=RADIUS,
            color=COLOUR,
            weight=WEIGHT,
            fill=False,
            class_name=CLASS,
            # A permanent label names the place without a hover, which a story needs.
            tooltip=folium.Tooltip(
                _label(name),
                permanent=True,
                direction="top",
                sticky=False,
                class_name=LABEL_CLASS,
            ),
        ).add_to(group)
    group.add_child(_FitScript(max_zoom))
    return make_offline(group)


def _label(name: object) -> str:
    """The escaped name, also safe inside the JavaScript template literal folium writes it to."""
    # A backslash could escape the literal's closing backtick, "${" would start an expression.
    escaped = html.text(name)
    for char, entity in (("\\", "&#92;"), ("`", "&#96;"), ("$", "&#36;")):
        escaped = escaped.replace(char, entity)
    return escaped


class _FitScript(Element):
    """Fit the map to the rings and place their labels apart (in the period's script)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
setTimeout(function () {
    var map = map_div, R = {{ this.radius }};
    if (!document.getElementById("mali-highlight-css")) {
        var css = document.createElement("style");
        css.id = "mali-highlight-css";
        css.textContent = {{ this.css }};
        document.head.appendChild(css);
    }
    function rings() {
        var found = [];
        map.eachLayer(function (l) {
            if (l.options && l.options.className === {{ this.cls }} && l.getTooltip()) {
                found.push(l);
            }
        });
        return found;
    }
    function overlap(a, b) {
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        return w > 0 && h > 0 ? w * h : 0;
    }
    // Candidate spots, nearest first: above, right, left, below, then further out.
    function spots(h) {
        var out = [];
        [0, 1, 2, 3].forEach(function (k) {
            out.push(["top", 0, -R - k * h], ["right", R, -k * h], ["left", -R, -k * h],
                     ["bottom", 0, R + k * h]);
            if (k) { out.push(["right", R, k * h], ["left", -R, k * h]); }
        });
        return out;
    }
    function put(t, spot) {
        t.options.direction = spot[0];
        t.options.offset = L.point(spot[1], spot[2]);
        t.update();
        return t.getElement().getBoundingClientRect();
    }
    function place() {
        var frame = map.getContainer().getBoundingClientRect();
        if (!frame.width || !frame.height) { setTimeout(place, 100); return; }  // not shown yet
        var all = rings(), labels = [], marks = all.map(function (r) {
            var e = r.getElement(); return e ? e.getBoundingClientRect() : null;
        }).filter(Boolean);
        all.forEach(function (ring) {
            var t = ring.getTooltip(), best = null;
            var h = put(t, ["top", 0, -R]).height + 2;
            spots(h).some(function (spot) {
                var box = put(t, spot);
                // Outside the map counts twice: a cut label is worse than a covered one;
                // a label over a label hides a name, over a ring only part of a circle.
                var cost = 2 * (box.width * box.height - overlap(box, frame));
                labels.forEach(function (o) { cost += 4 * overlap(box, o); });
                marks.forEach(function (o) { cost += overlap(box, o); });
                if (best === null || cost < best.cost) { best = {spot: spot, cost: cost}; }
                return cost === 0;
            });
            labels.push(put(t, best.spot));
        });
        map.getContainer().dataset.labelsPlaced = String(all.length);
    }
    var all = rings();
    if (!all.length) { return; }
    map.invalidateSize();
    var bounds = L.latLngBounds(all.map(function (r) { return r.getLatLng(); }));
    map.fitBounds(bounds, {padding: [2 * {{ this.padding }}, {{ this.padding }}],
                           maxZoom: {{ this.max_zoom }}, animate: false});
    place();
    // Again once the page's fonts and layout have settled (label sizes depend on them).
    if (document.fonts) { document.fonts.ready.then(function () { map.maliPlaceLabels(); }); }
    requestAnimationFrame(function () {
        requestAnimationFrame(function () { map.maliPlaceLabels(); });
    });
    if (!map.maliPlaceLabels) {
        map.on("moveend resize", function () { map.maliPlaceLabels(); });
    }
    map.maliPlaceLabels = place;
}, 0);
{% endmacro %}"""
    )

    def __init__(self, max_zoom: float) -> None:
        super().__init__()
        self._name = "FitScript"
        self.radius = RADIUS + WEIGHT
        self.cls = json.dumps(CLASS)
        self.css = json.dumps(LABEL_CSS)
        self.padding = FIT_PADDING
        self.max_zoom = float(max_zoom)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Put the script into the page's script."""
        figure: Any = self.get_root()
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(RenderedText(script), name=self.get_name())
