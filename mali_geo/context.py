"""Context layers made light for the browser: simplified in a metric CRS, then back to WGS84."""

from __future__ import annotations

import geopandas as gpd

from mali_geo.config import EQUAL_AREA_CRS, WGS84

#: Display tolerance: 1.5 km is below a pixel at the zoom levels the map opens at.
DISPLAY_TOLERANCE_M = 1_500


def simplified(gdf: gpd.GeoDataFrame, tolerance_m: float = DISPLAY_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Simplify geometries for display (never for measurement), keeping topology valid.

    Parameters
    ----------
    gdf
        Any layer in EPSG:4326.
    tolerance_m
        Douglas–Peucker tolerance in metres, applied in Africa Albers Equal Area.
    """
    out = gdf.to_crs(EQUAL_AREA_CRS)
    out["geometry"] = out.geometry.simplify(tolerance_m, preserve_topology=True)
    return out.to_crs(WGS84)
