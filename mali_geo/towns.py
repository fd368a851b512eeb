"""The towns layer: incidents aggregated by place for a period.

Vectorised with pandas group-bys (no Python loop per place or per incident), so 100,000
incidents aggregate in a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from shapely.geometry import Point

from mali_geo.coded import CodedIncidents, Codes, code_incidents, compact
from mali_geo.config import WGS84
from mali_geo.groups import group_extreme, group_first
from mali_geo.incidents import GROUP_COLUMNS, group_tolls, has_point, located

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
    incidents: gpd.GeoDataFrame,
    *,
    points: Mapping[str, Point] | None = None,
    coded: CodedIncidents | None = None,
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
    coded
        ``incidents`` coded (:mod:`mali_geo.coded`), if already done; by default coded here.

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
    if points is None:
        points = town_points(incidents if keep.all() else incidents[keep])
    c = (code_incidents(incidents) if coded is None else coded).only(keep)
    codes, names = compact(c.place)
    n = len(names)
    first_row = group_first(codes, n)
    start_ns, end_ns = c.day_ns
    tolls = group_tolls(c.low, c.high, c.elsewhere, codes, n)
    columns = {
        "name": pd.array(names, dtype="str"),
        "admin1": pd.array(_most_common(codes, c.admin1, n), dtype="str"),
        **tolls,
        "first_date": group_extreme(codes, start_ns, n, np.minimum).view("datetime64[ns]"),
        "last_date": group_extreme(codes, end_ns, n, np.maximum).view("datetime64[ns]"),
        "event_types": _distinct_joined(codes, c.event_type, n, ", ", sort=True),
        "source": _distinct_joined(codes, c.source_url, n, "\n"),
    }
    first_points = c.geometry[first_row]  # the first row of each place
    geometry = [points.get(name, g) for name, g in zip(names, first_points, strict=True)]
    towns = gpd.GeoDataFrame(columns, geometry=geometry, crs=WGS84)
    counts = np.asarray(tolls["incidents"])
    order = np.lexsort((np.arange(n), -counts))  # names are sorted already
    return towns.take(order).reset_index(drop=True)


def _most_common(codes: npt.NDArray[np.int64], values: Codes, n: int) -> list[str | None]:
    """The most common non-missing value per place code (ties: the smallest); else None."""
    width = max(len(values.values), 1)
    pairs, counts = _pair_counts(codes, values.codes, n, width)
    place, value = np.divmod(pairs, width)
    best = np.lexsort((value, -counts, place))  # per place: most counted, then smallest value
    first = np.r_[True, place[best][1:] != place[best][:-1]]
    out: list[str | None] = [None] * n
    names = values.values
    for p, v in zip(place[best][first].tolist(), value[best][first].tolist(), strict=True):
        out[p] = names[v]
    return out


def _distinct_joined(
    codes: npt.NDArray[np.int64], values: Codes, n: int, sep: str, *, sort: bool = False
) -> list[str]:
    """The distinct non-missing values per place code, joined with ``sep``.

    In order of appearance, or sorted. Linear in the rows (no sort of them): the pairs are
    found by hashing, then grouped by a stable sort of the distinct pairs only.
    """
    width = max(len(values.values), 1)
    if sort:  # sorted pairs are place-major, value-minor: values in order within a place
        pairs, _ = _pair_counts(codes, values.codes, n, width)
    else:  # order of appearance: distinct pairs in the order they are first seen
        has = values.codes >= 0
        pairs = pd.unique(codes[has] * width + values.codes[has])
        pairs = pairs[np.argsort(pairs // width, kind="stable")]
    place, value = np.divmod(pairs, width)
    joined = values.values[value]
    bounds = np.searchsorted(place, np.arange(n + 1))
    ends = bounds[1:].tolist()
    return [sep.join(joined[a:b]) for a, b in zip(bounds[:-1].tolist(), ends, strict=True)]


def _pair_counts(
    codes: npt.NDArray[np.int64], value_codes: npt.NDArray[np.int64], n: int, width: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
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
