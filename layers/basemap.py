"""The fixed base map: view, hidden tile layers, context, controls and attribution.

The base never changes (st_folium remounts the map when it does, losing zoom and pan): every
basemap's tiles and the context group are in it, and :func:`layers.mapview.view_group` shows
or hides them in place.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from layers.assets import make_offline, offline_map
from layers.mapview import MapControls
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
#: The context layers filled as land (unfilled over tiles, so the tiles show).
LAND_LAYERS = ("Neighbouring countries", "Mali")


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
        The tiles shown before the first in-place update (none by default: the context layers
        are the basemap). Every basemap's tiles are in the map; the update picks one.
    context
        The context group (countries, river, lakes), drawn under everything; ``None`` for
        none. The update hides and shows it.

    Returns
    -------
    folium.Map
        With scripts served by the app (no CDN), centred on Mali; the wheel zooms only after
        a click on the map (or with Ctrl / ⌘).
    """
    m = offline_map(
        location=list(CENTER),
        zoom_start=ZOOM,
        zoom_snap=0.5,
        min_zoom=3,
        control_scale=True,
        prefer_canvas=False,
        scrollWheelZoom=False,
    )
    tiles: dict[str, folium.TileLayer] = {}
    for name, spec in TILES.items():
        if spec is not None:
            layer = folium.TileLayer(
                tiles=spec[0],
                attr=spec[1],
                name=str(name),
                max_zoom=18,
                show=name == Basemap(basemap),
                control=False,
            )
            layer.add_to(m)
            tiles[str(name)] = layer
    land = []
    if context is not None:
        context.add_to(m)
        land = [
            child
            for child in context._children.values()
            if isinstance(child, folium.GeoJson) and child.layer_name in LAND_LAYERS
        ]
    MapControls(tiles=tiles, context=context, land=land).add_to(m)
    _Attribution(ATTRIBUTION).add_to(m)
    return make_offline(m)
