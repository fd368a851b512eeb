"""Context group: neighbouring countries, Mali's outline, the Niger river and lakes.

With no tiles (the offline basemap) these layers are the basemap, so they are styled to read
as one: pale land, blue water.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd

from layers import html
from mali_geo.export import feature_collection

NAME = "Context"
LAND = "#efe9dc"
MALI_FILL = "#fbf8f1"
WATER = "#9ecae1"
BORDER = "#8c8c8c"
MALI_OUTLINE = "#333333"
#: Land styles; their fill opacity is 1 with no tiles and 0 over tiles.
COUNTRY_STYLE: dict[str, Any] = {"fillColor": LAND, "color": BORDER, "weight": 0.8}
MALI_STYLE: dict[str, Any] = {"fillColor": MALI_FILL, "color": MALI_OUTLINE, "weight": 2}
LAKE_STYLE: dict[str, Any] = {"fillColor": WATER, "fillOpacity": 1, "color": WATER, "weight": 0.5}
RIVER_STYLE: dict[str, Any] = {"color": WATER, "weight": 2.5, "opacity": 1}


def context_layer(
    countries: gpd.GeoDataFrame,
    niger: gpd.GeoDataFrame,
    lakes: gpd.GeoDataFrame,
    *,
    over_tiles: bool = False,
) -> folium.FeatureGroup:
    """Countries (Mali outlined), the Niger river and lakes.

    Parameters
    ----------
    countries
        From :func:`mali_geo.load.load_countries`.
    niger, lakes
        From :func:`mali_geo.load.load_niger` and :func:`mali_geo.load.load_lakes`.
    over_tiles
        True when a tile basemap is under the layer: land is then left unfilled so the tiles
        show, while the borders still read if the tiles fail to load.
    """
    group = folium.FeatureGroup(name=NAME, show=True)
    others = countries[countries["role"] != "focus"]
    mali = countries[countries["role"] == "focus"]
    fill = 0.0 if over_tiles else 1.0

    country = {**COUNTRY_STYLE, "fillOpacity": fill}
    focus = {**MALI_STYLE, "fillOpacity": fill}
    _add(group, others, "Neighbouring countries", country, tooltip_field="name_en")
    _add(group, mali, "Mali", focus)
    _add(group, lakes, "Lakes", LAKE_STYLE, tooltip_field="name_display")
    _add(group, niger, "Niger river", RIVER_STYLE)
    return group


def _add(
    group: folium.FeatureGroup,
    gdf: gpd.GeoDataFrame,
    name: str,
    style: dict[str, Any],
    *,
    tooltip_field: str | None = None,
) -> None:
    cols = [tooltip_field] if tooltip_field else []
    data = feature_collection(gdf[[*cols, "geometry"]])
    if tooltip_field:
        for feature in data["features"]:
            value = feature["properties"][tooltip_field]
            feature["properties"][tooltip_field] = html.text(value)
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda _feature: style,
        tooltip=folium.GeoJsonTooltip(fields=cols, labels=False) if cols else None,
        interactive=bool(tooltip_field),
        smooth_factor=1.5,
    ).add_to(group)
