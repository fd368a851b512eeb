"""The map's own controls, and the one script that updates them and the base in place.

The base map (see :mod:`layers.basemap`) carries :class:`MapControls`: a big period stamp, a
collapsible legend, a "fit Mali" button, a hint on zooming, the wheel-zoom rule and the
popup styles. Every rerun then sends :func:`view_group` among the period's layers: a group with
no features whose script calls ``maliView`` with the period, the legend, the basemap and the
context switch. st_folium evaluates the period's groups without remounting the map, so the
stamp, the legend, the tiles and the context change while the zoom and the pan stay.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import folium
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from jinja2 import Template

from layers import html
from layers.rendering import RenderedText

NAME = "Map view"
#: Mali's bounds (south-west, north-east corners as [lat, lon]), for the "fit Mali" button.
MALI_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((10.1, -12.3), (25.1, 4.3))
FIT_LABEL = "Fit Mali"
WHEEL_HINT = "Click the map (or hold Ctrl / ⌘) to zoom with the wheel"
LEGEND_TITLE = "Legend"

#: Styles of the controls, with the popup styles of :mod:`layers.html`.
CONTROLS_CSS = """
.mali-stamp { font: 700 22px/1.15 system-ui, sans-serif; color: #222; padding: 4px 10px;
  background: rgba(255, 255, 255, 0.88); border-radius: 6px; box-shadow: 0 1px 4px #0004; }
.mali-legend { background: rgba(255, 255, 255, 0.95); border-radius: 6px; font-size: 12px;
  box-shadow: 0 1px 4px #0004; max-width: 270px; }
.mali-legend summary { cursor: pointer; padding: 4px 8px; font-weight: 600; }
.mali-legend .mali-legend-body { padding: 0 8px 6px; max-height: 260px; overflow-y: auto; }
.mali-legend .mali-legend-body > div { margin-top: 4px; }
.mali-hint { background: rgba(255, 255, 255, 0.85); padding: 2px 6px; border-radius: 4px;
  font-size: 11px; color: #333; }
.mali-fit { background: #fff; border: 2px solid rgba(0, 0, 0, 0.2); border-radius: 4px;
  padding: 3px 6px; font: 600 12px sans-serif; cursor: pointer; }
@media (max-width: 520px) {
  .mali-stamp { font-size: 16px; }
  .mali-hint { display: none; }
  .mali-legend { max-width: 220px; }
}
"""


@dataclass(frozen=True)
class ViewUpdate:
    """What the in-place update sets on the map.

    Attributes
    ----------
    period
        The period in words, as :func:`layers.html.period` writes it.
    legend
        The legend of what is drawn (safe HTML).
    tiles
        The name of the tile layer to show, or ``""`` for none.
    context
        Whether the context layer (countries, river, lakes) is shown.
    """

    period: str
    legend: str
    tiles: str = ""
    context: bool = True


class MapControls(JSCSSMixin):
    """The stamp, legend, hint and fit button, and ``maliView`` to update them in place.

    It also loads the marker-cluster plugin with the base map: st_folium loads scripts only
    when it mounts the map, so a layer that needs a plugin and is switched on later (the
    clustered incidents) would find it missing.

    Parameters
    ----------
    tiles
        Tile layers by name, created hidden: ``maliView`` shows the one it is asked for.
    context
        The context group, and its land layers (unfilled when tiles are shown).
    """

    _template = Template(
        """{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function (map) {
    var tiles = { {%- for name, layer in this.tiles.items() %}
        {{ name|tojson }}: {{ layer.get_name() }},{% endfor %} };
    var context = {{ this.context.get_name() if this.context else "null" }};
    var land = [{% for layer in this.land %}{{ layer.get_name() }},{% endfor %}];
    function control(position, className, html) {
        var c = L.control({position: position});
        c.onAdd = function () {
            var div = L.DomUtil.create("div", className);
            div.innerHTML = html;
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        return c.addTo(map);
    }
    var stamp = control("topright", "mali-stamp", "");
    var legend = control("bottomright", "mali-legend",
        '<details' + (window.innerWidth > 700 ? ' open' : '') + '><summary>'
        + {{ this.legend_title|tojson }} + '</summary><div class="mali-legend-body"></div>'
        + '</details>');
    var fit = control("topleft", "mali-fit-box",
        '<button type="button" class="mali-fit" title="Fit the map to Mali">'
        + {{ this.fit_label|tojson }} + '</button>');
    fit.getContainer().querySelector("button").addEventListener("click", function () {
        map.fitBounds({{ this.bounds|tojson }});
    });
    // Leaflet focuses the map on mousedown; focusing scrolls the page to show the whole
    // map, which moves the map under the pointer between mousedown and mouseup, so the
    // click lands elsewhere (no popup). Focus without scrolling.
    if (map.keyboard) {
        map.keyboard.disable();
        map.keyboard._onMouseDown = function () {
            if (!this._focused) { this._map._container.focus({preventScroll: true}); }
        };
        map.keyboard.enable();
    }
    var hint = control("bottomleft", "mali-hint", {{ this.hint|tojson }});
    function wheelOn() {
        map.scrollWheelZoom.enable();
        hint.getContainer().style.display = "none";
    }
    // Any click in the map, on a layer too (Leaflet's own "click" skips the map then).
    map.getContainer().addEventListener("click", wheelOn);
    map.getContainer().addEventListener("wheel", function (e) {
        if ((e.ctrlKey || e.metaKey) && !map.scrollWheelZoom.enabled()) {
            e.preventDefault();
            map.setZoomAround(map.mouseEventToContainerPoint(e),
                map.getZoom() + (e.deltaY < 0 ? 0.5 : -0.5));
        }
    }, {passive: false});
    map.maliView = function (v) {
        stamp.getContainer().textContent = v.period;
        legend.getContainer().querySelector(".mali-legend-body").innerHTML = v.legend;
        Object.keys(tiles).forEach(function (name) {
            if (name === v.tiles) { if (!map.hasLayer(tiles[name])) tiles[name].addTo(map); }
            else if (map.hasLayer(tiles[name])) { map.removeLayer(tiles[name]); }
        });
        if (context) {
            if (v.context && !map.hasLayer(context)) { context.addTo(map); context.bringToBack(); }
            if (!v.context && map.hasLayer(context)) { map.removeLayer(context); }
            land.forEach(function (l) { l.setStyle({fillOpacity: v.tiles ? 0 : 1}); });
        }
        map.getContainer().dataset.period = v.period;
        map.getContainer().dataset.tiles = v.tiles;
        map.getContainer().dataset.context = v.context ? "on" : "off";
    };
})({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(
        self,
        *,
        tiles: dict[str, folium.TileLayer],
        context: folium.FeatureGroup | None,
        land: list[folium.GeoJson],
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement is untyped
        self._name = "MapControls"
        self.default_js = list(MarkerCluster.default_js)
        self.default_css = list(MarkerCluster.default_css)
        self.tiles = tiles
        self.context = context
        self.land = land
        self.css = html.POPUP_CSS + CONTROLS_CSS
        self.legend_title = LEGEND_TITLE
        self.fit_label = FIT_LABEL
        self.hint = WHEEL_HINT
        self.bounds = [list(corner) for corner in MALI_BOUNDS]


class _ViewScript(Element):
    """The script of :func:`view_group`: one call of the base's ``maliView``."""

    _template = Template(
        """{% macro script(this, kwargs) %}
if (map_div.maliView) { map_div.maliView({{ this.payload }}); }
{% endmacro %}"""
    )

    def __init__(self, update: ViewUpdate) -> None:
        super().__init__()
        self._name = "ViewScript"
        # As JSON inside a script: "</" must not close the script element.
        self.payload = json.dumps(asdict(update)).replace("</", "<\\/")

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Put the call into the page's script."""
        figure: Any = self.get_root()
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(RenderedText(script), name=self.get_name())


def view_group(update: ViewUpdate) -> folium.FeatureGroup:
    """A group with no features whose script updates the stamp, legend, tiles and context.

    Sent last among the period's groups: st_folium evaluates it with them, in place.
    """
    group = folium.FeatureGroup(name=NAME, show=True, control=False)
    group.add_child(_ViewScript(update))
    return group
