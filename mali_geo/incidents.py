"""The incidents layer: incidents in a period, optionally filtered by event type.

Also their monthly counts, and their aggregation into the cells of an equal-area grid, which
the map shows instead of single points when a view holds many incidents. Selections use
numpy masks over whole columns; nothing loops over incidents in Python.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import Transformer

from mali_geo.config import EQUAL_AREA_CRS, WGS84
from mali_geo.geometry import has_coordinate
from mali_geo.groups import group_extreme
from mali_geo.period import Period, overlaps

#: Selections of frames with at least this many rows are remembered briefly (see
#: :func:`incidents_in_period`): below it, selecting again costs less than a millisecond.
REMEMBER_MIN_ROWS = 20_000
#: Above this many located incidents in a view, the map shows grid cells instead of points:
#: one feature per incident would make the page slow to send and to draw.
MAX_POINTS = 2_000
#: Side of a map grid cell in km (see :func:`incidents_grid`).
GRID_CELL_KM = 25.0
#: At most this many grid cells; beyond it the cells grow.
MAX_GRID_CELLS = 1_500
#: What towns and grid cells say about their incidents (see :func:`tolls_by_group`).
GROUP_COLUMNS: tuple[str, ...] = (
    "incidents",
    "fatalities_low",
    "fatalities_high",
    "incidents_without_toll",
    "tolls_counted_elsewhere",
    "first_date",
    "last_date",
)
GRID_COLUMNS: tuple[str, ...] = (
    "cell",
    "cell_km",
    *GROUP_COLUMNS,
    "main_event_type",
    "event_types",
)


def incidents_in_period(
    incidents: gpd.GeoDataFrame,
    period: Period,
    *,
    event_types: Collection[str] | None = None,
) -> gpd.GeoDataFrame:
    """Select the incidents whose dates overlap a period.

    Parameters
    ----------
    incidents
        Normalised incidents (see :mod:`mali_geo.schema`), with or without coordinates.
    period
        The months to keep.
    event_types
        Keep only these event types; ``None`` keeps all.

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows, in their original order.

    Notes
    -----
    The app asks for the same selection several times per rerun (layers, headline figures).
    For frames of at least :data:`REMEMBER_MIN_ROWS` rows the last few selections are
    remembered, keyed by the frame itself: such a frame must not be modified in place
    afterwards (the project never modifies its data frames). Each call gets its own
    copy-on-write copy.
    """
    types = None if event_types is None else tuple(event_types)
    remember = len(incidents) >= REMEMBER_MIN_ROWS
    if remember and (rows := _recent.get(incidents, period, types)) is not None:
        return rows.copy(deep=False)
    mask = overlaps(incidents["date_start"], incidents["date_end"], period)
    if types is not None:
        mask &= incidents["event_type"].isin(list(types)).to_numpy(dtype=bool)
    rows = _rows(incidents, mask)
    if remember:
        _recent.put(incidents, period, types, rows)
    return rows.copy(deep=False) if remember else rows


def has_point(incidents: gpd.GeoDataFrame) -> npt.NDArray[np.bool_]:
    """Which incidents have a coordinate (a mask), as :func:`~mali_geo.geometry.has_coordinate`.

    Normalised incidents (:func:`mali_geo.schema.incidents_gdf`) get their point from ``lat``
    and ``lon`` when both are given, so where those columns are there the mask is read from
    them: ten times faster than asking every geometry (at a million incidents, 20 ms a call).
    """
    if "lat" in incidents.columns and "lon" in incidents.columns:
        mask: npt.NDArray[np.bool_] = (
            incidents["lat"].notna().to_numpy() & incidents["lon"].notna().to_numpy()
        )
        return mask
    return has_coordinate(incidents)


def located(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep only the incidents that have a coordinate."""
    return _rows(incidents, has_point(incidents))


def is_aggregated(incidents: gpd.GeoDataFrame) -> bool:
    """Whether the map shows these incidents as grid cells: more than :data:`MAX_POINTS` located.

    The one rule for the incidents layer and its legend (see :mod:`layers.incidents`). A
    big frame is usually decided by its first rows: they are counted first.
    """
    if len(incidents) <= MAX_POINTS:
        return False
    if int(has_point(incidents.iloc[: 4 * MAX_POINTS]).sum()) > MAX_POINTS:
        return True
    return int(has_point(incidents).sum()) > MAX_POINTS


#: A remembered selection's key: the frame's id, the period, the event types.
_Key = tuple[int, Period, tuple[str, ...] | None]


class _RecentSelections:
    """The last few selections of big frames, keyed by (frame, period, event types).

    A frame is recognised by identity and checked through a weak reference, so a frame that
    is gone (and whose id may be reused) never matches.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: dict[_Key, tuple[weakref.ref[pd.DataFrame], pd.DataFrame]] = {}
        self._lock = threading.Lock()

    def get(
        self, frame: pd.DataFrame, period: Period, types: tuple[str, ...] | None
    ) -> pd.DataFrame | None:
        """The remembered selection, or None."""
        with self._lock:
            item = self._items.get((id(frame), period, types))
        return item[1] if item is not None and item[0]() is frame else None

    def put(
        self, frame: pd.DataFrame, period: Period, types: tuple[str, ...] | None, rows: pd.DataFrame
    ) -> None:
        """Remember a selection, forgetting the oldest beyond the size."""
        with self._lock:
            self._items[(id(frame), period, types)] = (weakref.ref(frame), rows)
            while len(self._items) > self._size:
                del self._items[next(iter(self._items))]


_recent = _RecentSelections(size=4)


def _rows(frame: gpd.GeoDataFrame, mask: np.ndarray) -> gpd.GeoDataFrame:
    """The rows of ``mask``; a cheap copy-on-write copy when they are one block of rows.

    Taking rows copies every column (at a million incidents, a third of a second, most of it
    the text columns); a block of consecutive rows (every row, or a period of incidents in
    date order, see :func:`mali_geo.dataset.by_date`) is a slice, which copies nothing.
    """
    rows = np.flatnonzero(mask)
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        return frame.iloc[rows[0] : rows[-1] + 1].copy(deep=False)
    return frame[mask]


def fatality_range(low: pd.Series, high: pd.Series) -> tuple[int | None, int | None]:
    """Sum per-incident fatality ranges into one range, keeping unknown unknown.

    The low end is the sum of the known low figures (an incident with no figure adds at least
    zero); it is ``None`` when no incident has a figure. The high end is ``None`` as soon as one
    incident has no high figure, because nothing then bounds the total.

    Parameters
    ----------
    low, high
        Nullable integer series, one value per incident.

    Returns
    -------
    tuple
        ``(low, high)`` as ints or ``None``.
    """
    if len(low) == 0:
        return 0, 0
    low_known = low.dropna()
    total_low = int(low_known.sum()) if len(low_known) else None
    total_high = None if high.isna().any() else int(high.sum())
    return total_low, total_high


def toll_counted_elsewhere(incidents: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Whether each incident's toll is already counted in another incident's toll.

    True where ``toll_included_in`` names another incident (for example a sub-clash of the
    battle of Konna): such a row still counts as an incident, but its deaths are in the other
    row's figure, so no sum adds them again. A frame without the column counts every toll.
    """
    if "toll_included_in" not in incidents.columns:
        return np.zeros(len(incidents), dtype=bool)
    links = incidents["toll_included_in"].astype("string").str.strip()
    return (links.notna() & links.ne("")).to_numpy(dtype=bool, na_value=False)


def counted_tolls(incidents: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The low and high fatality figures to add up: 0 for a toll counted in another incident.

    Every sum of fatalities (regions, towns, grid cells, headline, story checks) goes through
    this, so a toll is counted once. The incident's own figures are unchanged elsewhere (its
    popup and the exports show what its sources reported).

    Parameters
    ----------
    incidents
        Rows with ``fatalities_low``, ``fatalities_high`` and optionally ``toll_included_in``.

    Returns
    -------
    tuple
        ``(low, high)`` nullable integer series aligned with ``incidents``.
    """
    low = incidents["fatalities_low"].astype("Int64")
    high = incidents["fatalities_high"].astype("Int64")
    elsewhere = toll_counted_elsewhere(incidents)
    if not elsewhere.any():
        return low, high
    mask = pd.Series(elsewhere, index=incidents.index)
    return low.mask(mask, 0), high.mask(mask, 0)


def tolls_by_group(
    incidents: pd.DataFrame, codes: npt.NDArray[np.int64], n: int
) -> dict[str, npt.NDArray[Any] | pd.arrays.IntegerArray]:
    """Incident count, fatality range and incidents without a toll, per group code.

    The range follows :func:`fatality_range` within each group, over :func:`counted_tolls`:
    a toll already counted in another incident adds nothing (and is not "without a toll").

    Parameters
    ----------
    incidents
        Rows with ``fatalities_low`` and ``fatalities_high``.
    codes
        The group (``0 .. n - 1``) of each row.
    n
        How many groups.

    Returns
    -------
    dict
        ``incidents``, ``fatalities_low``, ``fatalities_high`` (nullable integers),
        ``incidents_without_toll`` and ``tolls_counted_elsewhere`` (incidents whose toll is
        in another incident's), one value per group.
    """
    low_series, high_series = counted_tolls(incidents)
    low = low_series.to_numpy(dtype="float64", na_value=np.nan)
    high = high_series.to_numpy(dtype="float64", na_value=np.nan)
    return group_tolls(low, high, toll_counted_elsewhere(incidents), codes, n)


def group_tolls(
    low: npt.NDArray[np.float64],
    high: npt.NDArray[np.float64],
    elsewhere: npt.NDArray[np.bool_],
    codes: npt.NDArray[np.int64],
    n: int,
) -> dict[str, npt.NDArray[Any] | pd.arrays.IntegerArray]:
    """:func:`tolls_by_group` from the figures to add up (NaN: unknown), per row.

    Parameters
    ----------
    low, high
        The counted low and high figures (:func:`counted_tolls`) as floats.
    elsewhere
        Whether each row's toll is in another incident's (:func:`toll_counted_elsewhere`).
    codes
        The group (``0 .. n - 1``) of each row.
    n
        How many groups.
    """
    low_known, high_known = ~np.isnan(low), ~np.isnan(high)

    def per_group(weights: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        return np.bincount(codes, weights=weights, minlength=n).astype(np.float64)

    any_low = per_group(low_known.astype(float)) > 0
    all_high = per_group((~high_known).astype(float)) == 0
    low_sum = per_group(np.where(low_known, low, 0.0))
    high_sum = per_group(np.where(high_known, high, 0.0))
    without = per_group((~low_known & ~high_known).astype(float))
    return {
        "incidents": np.bincount(codes, minlength=n),
        "fatalities_low": _nullable_ints(np.where(any_low, low_sum, np.nan)),
        "fatalities_high": _nullable_ints(np.where(all_high, high_sum, np.nan)),
        "incidents_without_toll": without.round().astype("int64"),
        "tolls_counted_elsewhere": per_group(elsewhere.astype(float)).round().astype("int64"),
    }


def _nullable_ints(values: npt.NDArray[np.float64]) -> pd.arrays.IntegerArray:
    """Float values as nullable integers (NaN -> missing)."""
    return pd.arrays.IntegerArray(np.nan_to_num(values).round().astype("int64"), np.isnan(values))


def monthly_counts(incidents: gpd.GeoDataFrame, months: list[str]) -> pd.DataFrame:
    """Count incidents per month: an incident counts in every month its dates overlap.

    Parameters
    ----------
    incidents
        Normalised incidents.
    months
        Months as ``YYYY-MM``, in order.

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` and ``incidents``.
    """
    start = incidents["date_start"].dt.to_period("M").astype("int64").to_numpy()
    end = incidents["date_end"].fillna(incidents["date_start"]).dt.to_period("M")
    end = end.astype("int64").to_numpy()
    ordinals = pd.PeriodIndex(months, freq="M").asi8
    counts = [(np.count_nonzero((start <= m) & (end >= m))) for m in ordinals]
    return pd.DataFrame({"month": months, "incidents": counts})


@dataclass(frozen=True)
class GridInput:
    """What the grid reads of located incidents, one entry per incident."""

    #: Projected coordinates (metres, :data:`~mali_geo.config.EQUAL_AREA_CRS`).
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    #: Start and end (the start when not given) as int64 nanoseconds.
    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    #: Event types as codes (-1: missing) into ``type_names``, which are sorted.
    type_codes: npt.NDArray[np.int64]
    type_names: list[str]
    #: Counted fatality figures (:func:`counted_tolls`, NaN: unknown), and tolls counted in
    #: another incident's.
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    elsewhere: npt.NDArray[np.bool_]


def grid_input(incidents: gpd.GeoDataFrame) -> GridInput:
    """The grid's arrays of the located incidents of a frame."""
    pts = located(incidents)
    x, y = to_equal_area(pts.geometry.to_numpy())
    low, high = counted_tolls(pts)
    type_codes, names = pd.factorize(pts["event_type"], sort=True)
    end = pts["date_end"].fillna(pts["date_start"])
    return GridInput(
        x=x,
        y=y,
        start=pts["date_start"].to_numpy(dtype="datetime64[ns]").view(np.int64),
        end=end.to_numpy(dtype="datetime64[ns]").view(np.int64),
        type_codes=type_codes.astype(np.int64, copy=False),
        type_names=[str(name) for name in names],
        low=low.to_numpy(dtype="float64", na_value=np.nan),
        high=high.to_numpy(dtype="float64", na_value=np.nan),
        elsewhere=toll_counted_elsewhere(pts),
    )


def incidents_grid(
    incidents: gpd.GeoDataFrame | GridInput,
    *,
    cell_km: float = GRID_CELL_KM,
    max_cells: int = MAX_GRID_CELLS,
) -> gpd.GeoDataFrame:
    """Aggregate located incidents into the square cells of an equal-area grid.

    The map shows this instead of one point per incident when a period holds many (see
    :mod:`layers.incidents`); downloads and exports always keep every incident.

    Parameters
    ----------
    incidents
        Normalised incidents already selected for a period (rows without a coordinate are
        left out), or their :class:`GridInput` (the app reads it from the dataset's coded
        incidents, see :func:`mali_geo.coded.grid_input_of`).
    cell_km
        Side of a cell in km, in Africa Albers Equal Area (:data:`~mali_geo.config.EQUAL_AREA_CRS`),
        so every cell covers the same area.
    max_cells
        If more cells than this hold incidents, the side doubles until they fit (this bounds
        what the browser has to draw).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cell with incidents, most incidents first: :data:`GRID_COLUMNS` and the
        cell's square (a polygon in EPSG:4326). Fatalities follow :func:`fatality_range`.
    """
    g = incidents if isinstance(incidents, GridInput) else grid_input(incidents)
    if len(g.x) == 0:
        empty = {c: pd.Series(dtype="object") for c in GRID_COLUMNS}
        return gpd.GeoDataFrame(empty, geometry=[], crs=WGS84)
    side = cell_km * 1_000.0
    while True:
        col, row = np.floor(g.x / side).astype(np.int64), np.floor(g.y / side).astype(np.int64)
        # One integer per cell (row-major within the occupied range), coded by hashing:
        # linear in the incidents, no sort of them.
        span = int(row.max() - row.min()) + 1
        cell = (col - col.min()) * span + (row - row.min())
        codes, keys = pd.factorize(cell)
        if len(keys) <= max_cells:
            break
        side *= 2
    codes = codes.astype(np.int64, copy=False)
    cols, rows = keys // span + col.min(), keys % span + row.min()
    cells = _cell_figures(g, codes, len(keys))
    cells.insert(0, "cell", [f"{c}_{r}" for c, r in zip(cols.tolist(), rows.tolist(), strict=True)])
    cells.insert(1, "cell_km", side / 1_000.0)
    squares = shapely.box(cols * side, rows * side, (cols + 1) * side, (rows + 1) * side)
    geometry = gpd.GeoSeries(squares, crs=EQUAL_AREA_CRS).to_crs(WGS84)
    grid = gpd.GeoDataFrame(cells, geometry=geometry.to_numpy(), crs=WGS84)
    grid = grid.sort_values(["incidents", "cell"], ascending=[False, True], kind="stable")
    return grid.reset_index(drop=True)


def to_equal_area(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Projected x, y (metres) of an array of points."""
    lonlat = shapely.get_coordinates(points)
    return _equal_area().transform(lonlat[:, 0], lonlat[:, 1])


@cache
def _equal_area() -> Transformer:
    """WGS84 lon/lat to Africa Albers Equal Area, made once (transformers are thread-safe)."""
    return Transformer.from_crs(WGS84, EQUAL_AREA_CRS, always_xy=True)


def _cell_figures(g: GridInput, codes: npt.NDArray[np.int64], n: int) -> pd.DataFrame:
    """Count, fatality range, dates and event types per cell code (``0 .. n - 1``)."""
    main, listed = _event_type_counts(codes, g.type_codes, g.type_names, n)
    return pd.DataFrame(
        {
            **group_tolls(g.low, g.high, g.elsewhere, codes, n),
            "first_date": group_extreme(codes, g.start, n, np.minimum).view("datetime64[ns]"),
            "last_date": group_extreme(codes, g.end, n, np.maximum).view("datetime64[ns]"),
            "main_event_type": main,
            "event_types": listed,
        }
    )


def _event_type_counts(
    codes: npt.NDArray[np.int64], type_codes: npt.NDArray[np.int64], names: list[str], n: int
) -> tuple[list[str | None], list[str]]:
    """Per cell: the most common event type, and "type count" pairs, most common first."""
    has, width = type_codes >= 0, max(len(names), 1)
    counts = np.bincount(codes[has] * width + type_codes[has], minlength=n * width)
    pairs = np.flatnonzero(counts)  # a cell-by-type table: cells are at most MAX_GRID_CELLS
    counts = counts[pairs]
    cells, kinds = np.divmod(pairs, width)
    order = np.lexsort((kinds, -counts, cells))  # per cell: most common first, then by name
    main: list[str | None] = [None] * n
    listed: list[list[str]] = [[] for _ in range(n)]
    triples = zip(cells[order].tolist(), kinds[order].tolist(), counts[order].tolist(), strict=True)
    for cell, kind, count in triples:
        if main[cell] is None:
            main[cell] = names[kind]
        listed[cell].append(f"{names[kind]} {count}")
    return main, [", ".join(items) for items in listed]
