"""The fixed base map: view, optional tiles and the attribution of every source."""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from layers.assets import make_offline, offline_map
from mali_geo.view import Basemap

#: Each basemap's (tile URL, tile attribution), or None for no tiles.
TILES: dict[Basemap, tuple[str, str] | None] = {
    Basemap.OFFLINE: None,
    Basemap.LIGHT: (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "© OpenStreetMap contributors © CARTO",
    ),
}
CENTER = (17.3, -2.0)
ZOOM = 5.5
ATTRIBUTION = "Natural Earth · GeoNames · © OpenStreetMap contributors · UNHCR, IOM · cited reports"


class _Attribution(MacroElement):
    """Adds the project's attribution line to the map's attribution control."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, text: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement is untyped
        self._name = "Attribution"
        self.text = text


def base_map(
    basemap: Basemap = Basemap.OFFLINE, *, context: folium.FeatureGroup | None = None
) -> folium.Map:
    """The map every view starts from: no period data, so it never changes with the period.

    Parameters
    ----------
    basemap
        The tiles under everything (none by default: the context layers are the basemap).
    context
        The context group (countries, river, lakes), drawn under everything; ``None`` to hide.

    Returns
    -------
    folium.Map
        With scripts served by the app (no CDN), centred on Mali.
    """
    m = offline_map(
        location=list(CENTER),
        zoom_start=ZOOM,
        zoom_snap=0.5,
        min_zoom=3,
        control_scale=True,
        prefer_canvas=False,
    )
    tiles = TILES[Basemap(basemap)]
    if tiles is not None:
        folium.TileLayer(tiles=tiles[0], attr=tiles[1], name=str(basemap), max_zoom=18).add_to(m)
    if context is not None:
        context.add_to(m)
    _Attribution(ATTRIBUTION).add_to(m)
    return make_offline(m)
