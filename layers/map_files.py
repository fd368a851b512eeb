"""The map of a view as files to take away: a PNG picture and a self-contained HTML page.

Both are drawn from the layers the map shows (the catalogue's built layers), with the period in
words, the legend and the attribution, so a download is the map the user sees. They are made
when asked (a download button's deferred data), never on every rerun.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import asdict

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from layers.basemap import base_map
from layers.context import context_layer
from layers.drawing import drawn_layers, map_group, map_legend_html
from layers.mapview import ViewUpdate
from layers.picture import (
    LegendEntry,
    PictureLayer,
    context_picture_layers,
    displacement_picture_layers,
    map_html,
    map_png,
    picture_layers,
)
from mali_geo.catalogue import Layer
from mali_geo.displacement_picture import DisplacementPicture

TITLE = "Mali crisis map, 2012–2014"
#: Context layers as (countries, Niger river, lakes).
Context = tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]


def view_picture(
    built: Mapping[str, gpd.GeoDataFrame],
    visible: Collection[str],
    *,
    displacement: DisplacementPicture | None = None,
    arrows: bool = False,
    town_scale: float | None = None,
) -> tuple[list[PictureLayer], list[LegendEntry]]:
    """The visible layers as the picture draws them, with their legend.

    Parameters
    ----------
    built, visible
        The built layers and the names of the visible ones.
    town_scale
        The towns' circle scale, to draw several pictures alike (see
        :func:`layers.picture.picture_layers`).
    displacement
        Refugees and IDPs as circles, in place of the ``displaced`` layer's (the layer's own
        circles are drawn when this is None and the layer is shown).
    arrows
        With ``displacement``: keep the flow lines too (when the flows layer is shown).
    """
    shown = [layer.value for layer in drawn_layers(built, visible)]
    if displacement is not None:  # in place of the displaced layer's circles
        shown = [n for n in shown if n != Layer.DISPLACED]
        shown = [n for n in shown if n != Layer.DISPLACEMENT or arrows]
    layers, legend = picture_layers({name: built[name] for name in shown}, town_scale=town_scale)
    if displacement is not None:
        extra, extra_legend = displacement_picture_layers(displacement)
        layers, legend = [*layers, *extra], [*legend, *extra_legend]
    return layers, legend


def view_png(
    built: Mapping[str, gpd.GeoDataFrame],
    visible: Collection[str],
    *,
    period_label: str,
    context: Context | None = None,
    displacement: DisplacementPicture | None = None,
    arrows: bool = False,
    town_scale: float | None = None,
) -> bytes:
    """A PNG of the view: title, period in words, legend, scale bar and attribution.

    Parameters
    ----------
    built, visible, displacement, arrows, town_scale
        As for :func:`view_picture`.
    period_label
        The period in words ("Jan 2013 – Apr 2013").
    context
        The context layers drawn under the data, if shown.
    """
    layers, legend = view_picture(
        built, visible, displacement=displacement, arrows=arrows, town_scale=town_scale
    )
    background = context_picture_layers(*context) if context is not None else []
    return map_png(
        layers,
        title=TITLE,
        period_label=period_label,
        legend_entries=legend,
        background=background,
    )


def view_html(
    built: Mapping[str, gpd.GeoDataFrame],
    visible: Collection[str],
    *,
    period_label: str,
    context: Context | None = None,
) -> bytes:
    """A self-contained HTML page of the view's map that works offline.

    The page shows the period stamp and the legend like the app's map, and a layer control.
    """
    m = base_map(context=None if context is None else context_layer(*context))
    for layer in drawn_layers(built, visible):
        map_group(layer, built[layer]).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    update = ViewUpdate(period=period_label, legend=map_legend_html(built, visible))
    _ShowView(update).add_to(m)
    return map_html(m)


class _ShowView(MacroElement):
    """Calls the base map's ``maliView`` once: the stamp and legend of a saved page."""

    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.maliView({{ this.payload }});
{% endmacro %}"""
    )

    def __init__(self, update: ViewUpdate) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement is untyped
        self._name = "ShowView"
        self.payload = json.dumps(asdict(update), ensure_ascii=False).replace("</", "<\\/")
