"""The towns layer: incidents aggregated by place for a period.

Vectorised with pandas group-bys (no Python loop per place or per incident), so 100,000
incidents aggregate in a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from mali_geo.config import WGS84
from mali_geo.incidents import GROUP_COLUMNS, has_point, located, tolls_by_group

TOWN_COLUMNS: tuple[str, ...] = ("name", "admin1", *GROUP_COLUMNS, "event_types", "source")
#: A town's popup links at most this many of its sources (the exports keep them all).
MAX_TOWN_SOURCES = 5
#: Up to this many (place, value) combinations are counted in a table rather than by sorting.
_DENSE_PAIRS = 2_000_000


def town_points(incidents: gpd.GeoDataFrame) -> dict[str, Point]:
    """The point of each place: its most common incident coordinate (ties: the first seen).

    Computed over all incidents, not one period's, so a town does not move with the period.
    """
    pts = located(incidents)
    if pts.empty:
        return {}
    coords = pts.geometry.get_coordinates()
    frame = pd.DataFrame(
        {
            "place": pts["place"].to_numpy(dtype=object),
            "x": coords["x"].to_numpy(),
            "y": coords["y"].to_numpy(),
            "order": np.arange(len(pts)),
        }
    )
    counts = frame.groupby(["place", "x", "y"], sort=False, dropna=False)["order"].agg(
        ["size", "min"]
    )
    best = counts.reset_index().sort_values(
        ["place", "size", "min"], ascending=[True, False, True], kind="stable"
    )
    best = best.drop_duplicates("place")
    return {p: Point(x, y) for p, x, y in zip(best["place"], best["x"], best["y"], strict=True)}


def towns_with_incidents(
    incidents: gpd.GeoDataFrame, *, points: Mapping[str, Point] | None = None
) -> gpd.GeoDataFrame:
    """Aggregate incidents by place: one point per place with at least one incident.

    Parameters
    ----------
    incidents
        Normalised incidents already selected for a period; rows without a coordinate (or
        without a place) are left out (they have no point to draw).
    points
        The point of each place (see :func:`town_points`); by default computed from
        ``incidents``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`TOWN_COLUMNS` + geometry, sorted by incident count (most first), then
        name. ``fatalities_low`` sums the known low figures (missing if none is known);
        ``fatalities_high`` is missing as soon as one incident has no high figure. ``source``
        lists the incidents' distinct source URLs, one per line, in order of appearance.
    """
    keep = has_point(incidents) & incidents["place"].notna().to_numpy(dtype=bool)
    if not keep.any():
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in TOWN_COLUMNS}, geometry=[], crs=WGS84
        )
    pts = incidents if keep.all() else incidents[keep]
    points = town_points(pts) if points is None else points
    codes, names = pd.factorize(pts["place"], sort=True)
    n = len(names)
    order = np.argsort(codes, kind="stable")  # rows grouped by place, in their order
    starts = np.searchsorted(codes[order], np.arange(n))  # every place has a row
    start = pts["date_start"].to_numpy()
    end = pts["date_end"].fillna(pts["date_start"]).to_numpy()
    columns = {
        "name": pd.array(names.tolist(), dtype="str"),
        "admin1": pd.array(_most_common(codes, pts["admin1"], n), dtype="str"),
        **tolls_by_group(pts, codes, n),
        "first_date": np.minimum.reduceat(start[order], starts),
        "last_date": np.maximum.reduceat(end[order], starts),
        "event_types": _distinct_joined(codes, pts["event_type"], n, ", ", sort=True),
        "source": _distinct_joined(codes, pts["source_url"], n, "\n"),
    }
    first_points = pts.geometry.to_numpy()[order[starts]]  # the first row of each place
    geometry = [points.get(name, g) for name, g in zip(names, first_points, strict=True)]
    towns = gpd.GeoDataFrame(columns, geometry=geometry, crs=WGS84)
    order = np.lexsort((np.arange(n), -columns["incidents"]))  # names are sorted already
    return towns.take(order).reset_index(drop=True)


def _most_common(codes: np.ndarray, values: pd.Series, n: int) -> list[str | None]:
    """The most common non-missing value per place code (ties: the smallest); else None."""
    value_codes, uniques = pd.factorize(values, sort=True)
    width = max(len(uniques), 1)
    pairs, counts = _pair_counts(codes, value_codes, n, width)
    place, value = np.divmod(pairs, width)
    best = np.lexsort((value, -counts, place))  # per place: most counted, then smallest value
    first = np.r_[True, place[best][1:] != place[best][:-1]]
    out: list[str | None] = [None] * n
    names = uniques.tolist()
    for p, v in zip(place[best][first].tolist(), value[best][first].tolist(), strict=True):
        out[p] = names[v]
    return out


def _distinct_joined(
    codes: np.ndarray, values: pd.Series, n: int, sep: str, *, sort: bool = False
) -> list[str]:
    """The distinct non-missing values per place code, joined with ``sep``.

    In order of appearance, or sorted.
    """
    value_codes, uniques = pd.factorize(values, sort=sort)
    width = max(len(uniques), 1)
    if sort:  # sorted pairs are place-major, value-minor: values in order within a place
        pairs, _ = _pair_counts(codes, value_codes, n, width)
    else:  # order of appearance: by the row where each pair is first seen
        has = value_codes >= 0
        pairs, first = np.unique(codes[has] * width + value_codes[has], return_index=True)
        pairs = pairs[np.argsort(first, kind="stable")]
    grouped: list[list[str]] = [[] for _ in range(n)]
    names = uniques.tolist()
    for place, value in zip(*np.divmod(pairs, width), strict=True):
        grouped[place].append(names[value])
    return [sep.join(items) for items in grouped]


def _pair_counts(
    codes: np.ndarray, value_codes: np.ndarray, n: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (place, value) pairs, as ``place * width + value``, sorted, with counts.

    Values coded -1 (missing) are left out. Counted with a bincount when the pairs fit in a
    small table (no sort), else with :func:`numpy.unique`.
    """
    has = value_codes >= 0
    keys = codes[has] * width + value_codes[has]
    if n * width <= _DENSE_PAIRS:
        counts = np.bincount(keys, minlength=n * width)
        pairs = np.flatnonzero(counts)
        return pairs, counts[pairs]
    return np.unique(keys, return_counts=True)
