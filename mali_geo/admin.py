"""Region of an incident that does not say its region: found from its coordinate."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from mali_geo.geometry import has_coordinate

NOTE = "region from the point (Natural Earth 2012 boundaries)"


def fill_admin1(incidents: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give incidents with no recorded region the 2012 region their point falls in.

    A recorded region is always kept (the generalised boundaries put some border places on the
    wrong side); only a missing one is filled, and ``coord_source`` then says so. Points outside
    Mali keep no region.

    Parameters
    ----------
    incidents
        Normalised incidents (e.g. imported ones).
    regions
        From :func:`mali_geo.load.load_regions`.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``admin1`` filled where it could be.
    """
    out = incidents.copy(deep=False)  # copy-on-write: only the columns set below are copied
    blank = out["admin1"].isna() | out["admin1"].fillna("").str.strip().eq("")
    missing = blank.to_numpy(dtype=bool) & has_coordinate(out)
    if not missing.any():
        return out
    points = out.loc[missing, ["geometry"]]
    joined = gpd.sjoin(points, regions[["name", "geometry"]], how="left", predicate="within")
    found = joined["name"].groupby(level=0).first().dropna()
    out.loc[found.index, "admin1"] = found.astype("string")
    source = out.loc[found.index, "coord_source"].fillna("")
    out.loc[found.index, "coord_source"] = (source + "; " + NOTE).str.lstrip("; ")
    out["admin1"] = out["admin1"].astype("string")
    out["coord_source"] = out["coord_source"].astype(pd.StringDtype())
    return out
