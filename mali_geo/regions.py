"""The regions layer: Mali's 9 regions of 2012 with area and incidents for a period."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from mali_geo.config import EQUAL_AREA_CRS
from mali_geo.incidents import fatality_range

REGIONS_SOURCE = "Natural Earth 1:10m admin-1 (public domain); incidents: see incidents layer"


def region_areas_km2(regions: gpd.GeoDataFrame) -> pd.Series:
    """Area of each region in km², computed in Africa Albers Equal Area (ESRI:102022)."""
    return regions.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6


def regions_with_incidents(
    regions: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Add area, incident count and fatality range to each region.

    Incidents are assigned by their recorded 2012 region (``admin1``), not by a
    point-in-polygon test: Natural Earth's generalised boundaries put a few border places on
    the wrong side, and incidents without a coordinate still have a recorded region.

    Parameters
    ----------
    regions
        From :func:`mali_geo.load.load_regions`.
    incidents
        Normalised incidents already selected for a period.

    Returns
    -------
    geopandas.GeoDataFrame
        ``name``, ``name_en``, ``iso_3166_2``, ``area_km2``, ``incidents``,
        ``incidents_per_10000_km2``, ``fatalities_low``, ``fatalities_high``, ``source``.
    """
    out = regions.copy()
    out["area_km2"] = region_areas_km2(regions).round(0).astype("int64")
    groups = {name: g for name, g in incidents.groupby("admin1")}
    counts, lows, highs = [], [], []
    for name in out["name"]:
        group = groups.get(name, incidents.iloc[0:0])
        low, high = fatality_range(group["fatalities_low"], group["fatalities_high"])
        counts.append(len(group))
        lows.append(low)
        highs.append(high)
    out["incidents"] = counts
    out["incidents_per_10000_km2"] = (out["incidents"] / out["area_km2"] * 1e4).round(2)
    out["fatalities_low"] = pd.array(lows, dtype="Int64")
    out["fatalities_high"] = pd.array(highs, dtype="Int64")
    out["source"] = REGIONS_SOURCE
    return out
