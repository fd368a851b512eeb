"""Context group: neighbouring countries, Mali's outline, the Niger river and lakes.

With no tiles (the offline basemap) these layers are the basemap, so they are styled to read
as one: pale land, blue water.
"""

from __future__ import annotations

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

    def country_style(_feature: dict) -> dict:
        return {"fillColor": LAND, "fillOpacity": fill, "color": BORDER, "weight": 0.8}

    def mali_style(_feature: dict) -> dict:
        return {"fillColor": MALI_FILL, "fillOpacity": fill, "color": MALI_OUTLINE, "weight": 2}

    _add(group, others, "Neighbouring countries", country_style, tooltip_field="name_en")
    _add(group, mali, "Mali", mali_style)
    _add(group, lakes, "Lakes", _water_fill, tooltip_field="name_display")
    _add(group, niger, "Niger river", _river)
    return group


def _add(
    group: folium.FeatureGroup,
    gdf: gpd.GeoDataFrame,
    name: str,
    style: object,
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
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=cols, labels=False) if cols else None,
        interactive=bool(tooltip_field),
        smooth_factor=1.5,
    ).add_to(group)


def _water_fill(_feature: dict) -> dict:
    return {"fillColor": WATER, "fillOpacity": 1, "color": WATER, "weight": 0.5}


def _river(_feature: dict) -> dict:
    return {"color": WATER, "weight": 2.5, "opacity": 1}
