"""The towns layer: incidents aggregated by place for a period."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from mali_geo.config import WGS84
from mali_geo.incidents import fatality_range, located

TOWN_COLUMNS: tuple[str, ...] = (
    "name",
    "admin1",
    "incidents",
    "fatalities_low",
    "fatalities_high",
    "incidents_without_toll",
    "first_date",
    "last_date",
    "event_types",
    "source",
)


def town_points(incidents: gpd.GeoDataFrame) -> dict[str, Point]:
    """The point of each place: its most common incident coordinate (ties: the first seen).

    Computed over all incidents, not one period's, so a town does not move with the period.
    """
    pts = located(incidents)
    if pts.empty:
        return {}
    keys = pts.geometry.to_wkb()
    out = {}
    for place, group in keys.groupby(pts["place"].to_numpy(), sort=False):
        counts = group.value_counts(sort=True)
        best = counts.index[counts.to_numpy() == counts.iloc[0]]
        first = next(k for k in group if k in set(best))
        out[place] = shapely.from_wkb(first)
    return out


def towns_with_incidents(
    incidents: gpd.GeoDataFrame, *, points: Mapping[str, Point] | None = None
) -> gpd.GeoDataFrame:
    """Aggregate incidents by place: one point per place with at least one incident.

    Parameters
    ----------
    incidents
        Normalised incidents already selected for a period; rows without a coordinate are
        left out (they have no point to draw).
    points
        The point of each place (see :func:`town_points`); by default computed from
        ``incidents``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`TOWN_COLUMNS` + geometry, sorted by incident count (most first), then
        name. ``source`` lists the incidents' source URLs, one per line.
    """
    pts = located(incidents)
    if pts.empty:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in TOWN_COLUMNS}, geometry=[], crs=WGS84
        )
    points = town_points(pts) if points is None else points
    rows = [
        _town_row(place, group, points.get(place, group.geometry.iloc[0]))
        for place, group in pts.groupby("place", sort=True)
    ]
    towns = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    for col in ("fatalities_low", "fatalities_high"):
        towns[col] = pd.array(towns[col].tolist(), dtype="Int64")
    towns = towns.sort_values(["incidents", "name"], ascending=[False, True], kind="stable")
    return towns.reset_index(drop=True)


def _town_row(place: str, group: gpd.GeoDataFrame, point: Point) -> dict:
    low, high = fatality_range(group["fatalities_low"], group["fatalities_high"])
    unknown = int((group["fatalities_low"].isna() & group["fatalities_high"].isna()).sum())
    admin1 = group["admin1"].dropna()
    return {
        "name": place,
        "admin1": admin1.mode().iloc[0] if len(admin1) else None,
        "incidents": len(group),
        "fatalities_low": low,
        "fatalities_high": high,
        "incidents_without_toll": unknown,
        "first_date": group["date_start"].min(),
        "last_date": group["date_end"].fillna(group["date_start"]).max(),
        "event_types": ", ".join(sorted(group["event_type"].dropna().unique())),
        "source": "\n".join(dict.fromkeys(group["source_url"].dropna())),
        "geometry": point,
    }
