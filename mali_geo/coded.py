"""The columns that aggregates read, as arrays: text as integer codes, tolls as floats.

Towns, regions and grid cells group a period's incidents by place, region or cell and
summarise their types, sources, tolls and dates. Coding the text columns (``pd.factorize``)
is most of that work: at a million incidents, about 0.3 s per period. A dataset codes its
incidents once (:attr:`mali_geo.dataset.Dataset.coded`); a period's selection then takes its
rows of those arrays (:func:`coded_selection`), which costs a few milliseconds. A frame that
is not a selection of the dataset is coded on its own (:func:`code_incidents`): the
aggregates are the same either way, because the codes of a column are in the order of its
values (or, for sources, in the order a selection first names them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from mali_geo.incidents import (
    GridInput,
    counted_tolls,
    has_point,
    to_equal_area,
    toll_counted_elsewhere,
)

#: Rows of a frame: a block of consecutive rows, or their positions.
Rows = slice | npt.NDArray[np.int64]


@dataclass(frozen=True)
class Codes:
    """One text column as integer codes (-1: missing) into its distinct values, sorted."""

    codes: npt.NDArray[np.int64]
    #: The distinct values, sorted; an object array, so a slice of it joins fast.
    values: npt.NDArray[np.object_]

    def take(self, rows: Rows) -> Codes:
        """The codes of some rows; the values stay those of the whole column."""
        return Codes(self.codes[rows], self.values)


def code_column(values: pd.Series) -> Codes:
    """Code a text column: sorted distinct values, -1 for missing."""
    codes, uniques = pd.factorize(values, sort=True)
    return Codes(codes.astype(np.int64, copy=False), np.array(uniques.tolist(), dtype=object))


def compact(column: Codes) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Codes renumbered ``0 .. n - 1`` over the values present (all rows have one), sorted."""
    present = np.bincount(column.codes, minlength=len(column.values)) > 0
    renumber = np.cumsum(present) - 1
    return renumber[column.codes], column.values[present].tolist()


@dataclass(frozen=True)
class Columns:
    """The coded columns of a whole frame, one entry per row."""

    place: Codes
    admin1: Codes
    event_type: Codes
    source_url: Codes
    #: Fatality figures to add up (:func:`mali_geo.incidents.counted_tolls`); NaN: unknown.
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    #: Whether the toll is counted in another incident's.
    elsewhere: npt.NDArray[np.bool_]
    #: Start and end dates (the end is the start when not given), as datetime64[ns].
    start: npt.NDArray[np.datetime64]
    end: npt.NDArray[np.datetime64]
    #: Whether the incident has a coordinate, and its point (None without).
    point: npt.NDArray[np.bool_]
    geometry: npt.NDArray[np.object_]

    @cached_property
    def xy(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Projected coordinates (:data:`~mali_geo.config.EQUAL_AREA_CRS`, NaN without a point).

        Projected once, when the grid first needs them (a million points: about 0.1 s).
        """
        x = np.full(len(self.point), np.nan)
        y = np.full(len(self.point), np.nan)
        if self.point.any():
            x[self.point], y[self.point] = to_equal_area(self.geometry[self.point])
        return x, y


T = TypeVar("T")


class _Taken(Generic[T]):
    """A column of :class:`Columns`, taken for a :class:`CodedIncidents`' rows when first read.

    The value is then kept on the instance, which reads it from there afterwards.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, coded: CodedIncidents, owner: type | None = None) -> T:
        value: T = coded.taken(self.name)
        coded.__dict__[self.name] = value
        return value


class CodedIncidents:
    """Some rows of coded columns, in a given order; each column is taken when first read.

    A period's towns read eight columns and its regions four, so a selection of a million
    rows takes only those (a block of rows as views, without copying).
    """

    def __init__(self, columns: Columns, rows: Rows | None = None) -> None:
        self._columns = columns
        self._rows = rows
        n = len(columns.low)
        self._len = n if rows is None else len(range(n)[rows] if isinstance(rows, slice) else rows)

    def __len__(self) -> int:
        """How many incidents."""
        return self._len

    def _take(self, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return values if self._rows is None else values[self._rows]

    def taken(self, name: str) -> Any:
        """Column ``name`` of :class:`Columns` for these rows (see :class:`_Taken`)."""
        column = getattr(self._columns, name)
        if self._rows is None:
            return column
        return column.take(self._rows) if isinstance(column, Codes) else column[self._rows]

    place: _Taken[Codes] = _Taken()
    admin1: _Taken[Codes] = _Taken()
    event_type: _Taken[Codes] = _Taken()
    source_url: _Taken[Codes] = _Taken()
    low: _Taken[npt.NDArray[np.float64]] = _Taken()
    high: _Taken[npt.NDArray[np.float64]] = _Taken()
    elsewhere: _Taken[npt.NDArray[np.bool_]] = _Taken()
    point: _Taken[npt.NDArray[np.bool_]] = _Taken()
    geometry: _Taken[npt.NDArray[np.object_]] = _Taken()

    @cached_property
    def day_ns(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Start and end dates as int64 nanoseconds (for per-group minimum and maximum)."""
        start = self._take(self._columns.start).view(np.int64)
        return start, self._take(self._columns.end).view(np.int64)

    @cached_property
    def xy(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Projected coordinates (metres; NaN without a point)."""
        x, y = self._columns.xy
        return self._take(x), self._take(y)

    def positions(self) -> npt.NDArray[np.int64]:
        """The rows of the whole frame these incidents are, in their order."""
        n = len(self._columns.low)
        if self._rows is None:
            return np.arange(n, dtype=np.int64)
        if isinstance(self._rows, slice):
            return np.arange(n, dtype=np.int64)[self._rows]
        return self._rows

    def take(self, rows: Rows) -> CodedIncidents:
        """Some of these incidents (positions among them, or a slice of them)."""
        if self._rows is None:
            return CodedIncidents(self._columns, rows)
        return CodedIncidents(self._columns, self.positions()[rows])

    def only(self, mask: npt.NDArray[np.bool_]) -> CodedIncidents:
        """The incidents where ``mask`` is true (all of them without a copy)."""
        return self if mask.all() else self.take(np.flatnonzero(mask))


def grid_input_of(coded: CodedIncidents) -> GridInput:
    """What :func:`mali_geo.incidents.incidents_grid` reads, from coded incidents."""
    located = coded.only(coded.point)
    x, y = located.xy
    start, end = located.day_ns
    return GridInput(
        x=x,
        y=y,
        start=start,
        end=end,
        type_codes=located.event_type.codes,
        type_names=[str(name) for name in located.event_type.values],
        low=located.low,
        high=located.high,
        elsewhere=located.elsewhere,
    )


def coded_range(coded: CodedIncidents) -> tuple[int | None, int | None, int]:
    """The fatality range of incidents (as :func:`mali_geo.incidents.fatality_range`).

    Returns
    -------
    tuple
        ``(low, high, without)``: the range (``None`` where unknown) and how many incidents
        have no toll at all.
    """
    low_known, high_known = ~np.isnan(coded.low), ~np.isnan(coded.high)
    without = int(np.count_nonzero(~low_known & ~high_known))
    if len(coded) == 0:
        return 0, 0, 0
    low = round(float(coded.low[low_known].sum())) if low_known.any() else None
    high = round(float(coded.high.sum())) if high_known.all() else None
    return low, high, without


def code_incidents(incidents: gpd.GeoDataFrame) -> CodedIncidents:
    """Code normalised incidents (:mod:`mali_geo.schema`) for aggregation."""
    low, high = counted_tolls(incidents)
    start = incidents["date_start"].to_numpy(dtype="datetime64[ns]")
    end = incidents["date_end"].fillna(incidents["date_start"]).to_numpy(dtype="datetime64[ns]")
    point = has_point(incidents)
    geometry = incidents.geometry.to_numpy()
    columns = Columns(
        place=code_column(incidents["place"]),
        admin1=code_column(incidents["admin1"]),
        event_type=code_column(incidents["event_type"]),
        source_url=code_column(incidents["source_url"]),
        low=low.to_numpy(dtype="float64", na_value=np.nan),
        high=high.to_numpy(dtype="float64", na_value=np.nan),
        elsewhere=toll_counted_elsewhere(incidents),
        start=start,
        end=end,
        point=point,
        geometry=geometry,
    )
    return CodedIncidents(columns)


def coded_selection(
    coded: CodedIncidents, frame: gpd.GeoDataFrame, selection: gpd.GeoDataFrame
) -> CodedIncidents | None:
    """The coded rows of a selection of ``frame`` (rows taken by mask or slice), if it is one.

    ``coded`` codes ``frame``, whose index must be ``0 .. n - 1`` (the dataset's incidents
    are, see :func:`mali_geo.dataset.by_date`): a selection's index then gives the positions
    of its rows. Returns None when ``selection`` cannot be such a selection (its index does
    not fit or its ids differ at either end): the caller codes it on its own.
    """
    index = frame.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        return None
    if len(coded) != len(frame):
        return None
    if len(selection) == 0:
        return coded.take(slice(0, 0))
    rows = _positions(selection.index, len(frame))
    if rows is None:
        return None
    taken = coded.take(rows)
    if len(taken) != len(selection):
        return None
    if not _same_ids(frame, selection, rows):
        return None
    return taken


def _positions(index: pd.Index, n: int) -> Rows | None:
    """The positions an index names in a frame of ``n`` rows indexed ``0 .. n - 1``."""
    if isinstance(index, pd.RangeIndex):  # a block of rows, or every k-th row
        if index.step > 0 and index.start >= 0 and index[-1] < n:
            return slice(index.start, index.stop, index.step)
        return None
    if not pd.api.types.is_integer_dtype(index.dtype):
        return None
    rows = index.to_numpy(dtype=np.int64)
    if len(rows) and (rows.min() < 0 or rows.max() >= n):
        return None
    return rows


def _same_ids(frame: pd.DataFrame, selection: pd.DataFrame, rows: Rows) -> bool:
    """Whether the selection's first and last ids are those at its positions in ``frame``."""
    if "incident_id" not in frame.columns or "incident_id" not in selection.columns:
        return False
    positions = range(len(frame))[rows] if isinstance(rows, slice) else rows
    ids, chosen = frame["incident_id"], selection["incident_id"]
    first, last = int(positions[0]), int(positions[-1])
    return str(ids.iat[first]) == str(chosen.iat[0]) and str(ids.iat[last]) == str(chosen.iat[-1])
