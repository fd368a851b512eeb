"""The key events layer: dated, cited turning points in a period."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from mali_geo.config import WGS84
from mali_geo.period import Period


def key_events_in_period(key_events: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Key events dated within the period, with or without a coordinate, by date."""
    mask = (key_events["date"] >= period.start_date) & (key_events["date"] <= period.end_date)
    return key_events[mask].sort_values("date", kind="stable")


def key_events_points(key_events: pd.DataFrame) -> gpd.GeoDataFrame:
    """Key events that have a coordinate, as points.

    Returns
    -------
    geopandas.GeoDataFrame
        ``date``, ``date_precision``, ``event``, ``place``, ``source_url``, ``source_quote``.
    """
    pts = key_events[key_events["lat"].notna() & key_events["lon"].notna()]
    cols = ["date", "date_precision", "event", "place", "source_url", "source_quote"]
    return gpd.GeoDataFrame(
        pts[cols].reset_index(drop=True),
        geometry=gpd.points_from_xy(pts["lon"], pts["lat"]),
        crs=WGS84,
    )
