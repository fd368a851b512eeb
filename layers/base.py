"""Shared machinery: a GeoJSON-backed FeatureGroup with escaped tooltip and popup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import folium
import geopandas as gpd

from mali_geo.export import feature_collection

TOOLTIP_FIELD = "_tooltip"
POPUP_FIELD = "_popup"


def geojson_group(
    gdf: gpd.GeoDataFrame,
    *,
    name: str,
    style: Callable[[dict[str, Any]], dict[str, Any]],
    marker: folium.CircleMarker | folium.Marker | None = None,
) -> folium.FeatureGroup:
    """One FeatureGroup holding one GeoJson layer of ``gdf``.

    ``gdf`` must carry the ``_tooltip`` and ``_popup`` columns (safe HTML made with
    :mod:`layers.html`); every other column is dropped to keep the page small.

    Parameters
    ----------
    gdf
        Features in EPSG:4326.
    name
        The layer name shown to users; also each feature's ``layer`` property, so the page
        (and its tests) can tell the layers apart.
    style
        Leaflet path options for one feature (receives the GeoJSON feature).
    marker
        For point layers: the marker drawn at each point.
    """
    group = folium.FeatureGroup(name=name, show=True)
    gdf = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy(dtype=bool)]
    if gdf.empty:
        return group
    data = feature_collection(gdf[[TOOLTIP_FIELD, POPUP_FIELD, "_style", "geometry"]], layer=name)
    folium.GeoJson(
        data,
        name=name,
        style_function=style,
        marker=marker,
        tooltip=folium.GeoJsonTooltip(fields=[TOOLTIP_FIELD], labels=False, sticky=False),
        popup=folium.GeoJsonPopup(fields=[POPUP_FIELD], labels=False, max_width=340),
        highlight_function=lambda _f: {"weight": 3},
    ).add_to(group)
    return group


def style_from_property(feature: dict[str, Any]) -> dict[str, Any]:
    """Style function that reads the style precomputed into the ``_style`` property."""
    return dict(feature["properties"]["_style"])
