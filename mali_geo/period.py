"""Periods of whole months, and the overlap rule that decides what falls in one."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mali_geo.config import FIRST_MONTH, LAST_MONTH
from mali_geo.errors import PeriodError

#: ASCII digits only: ``\d`` would accept Arabic-Indic or fullwidth digits.
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$", re.ASCII)


@dataclass(frozen=True)
class Period:
    """A range of whole months, both ends inclusive.

    Attributes
    ----------
    start, end
        First and last month as ``"YYYY-MM"``.
    """

    start: str
    end: str

    @property
    def start_date(self) -> pd.Timestamp:
        """First day of the first month."""
        return pd.Timestamp(f"{self.start}-01")

    @property
    def end_date(self) -> pd.Timestamp:
        """Last day of the last month (midnight)."""
        return pd.Timestamp(f"{self.end}-01") + pd.offsets.MonthEnd(0)

    @property
    def label(self) -> str:
        """Short label used in file names, e.g. ``2013-01_2013-12``."""
        return f"{self.start}_{self.end}"

    def months(self) -> list[str]:
        """Every month of the period as ``"YYYY-MM"``."""
        return month_range(self.start, self.end)


def parse_month(text: str) -> str:
    """Check a ``YYYY-MM`` string and return it.

    Parameters
    ----------
    text
        The month as typed by a user.

    Returns
    -------
    str
        The same month, normalised.

    Raises
    ------
    PeriodError
        If the text is not a valid month.
    """
    match = _MONTH_RE.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        msg = f"malformed month {text!r}: expected YYYY-MM, e.g. 2013-01"
        raise PeriodError(msg)
    return f"{match.group(1)}-{match.group(2)}"


def make_period(
    start: str | None = None,
    end: str | None = None,
    *,
    first: str = FIRST_MONTH,
    last: str = LAST_MONTH,
) -> Period:
    """Build a validated period within the data's range.

    Parameters
    ----------
    start, end
        Months as ``YYYY-MM``; ``None`` means the first / last month of the data.
    first, last
        The range the data covers.

    Returns
    -------
    Period

    Raises
    ------
    PeriodError
        On a malformed month, a start after the end, or a month outside the range.
    """
    start = parse_month(start) if start else first
    end = parse_month(end) if end else last
    if start > end:
        msg = f"start {start} is after end {end}"
        raise PeriodError(msg)
    for month in (start, end):
        if not first <= month <= last:
            msg = f"month {month} is outside the data's range {first} to {last}"
            raise PeriodError(msg)
    return Period(start, end)


def full_period(first: str = FIRST_MONTH, last: str = LAST_MONTH) -> Period:
    """The whole range the data covers (by default the shipped data's)."""
    return Period(first, last)


def incidents_span(date_start: pd.Series, date_end: pd.Series) -> tuple[str, str] | None:
    """The first and last month of incidents' dates (a missing end counts as the start).

    Returns
    -------
    tuple or None
        ``(first, last)`` as ``YYYY-MM``, or None when no incident has a date.
    """
    starts = pd.to_datetime(date_start).dropna()
    if starts.empty:
        return None
    ends = pd.to_datetime(date_end).fillna(pd.to_datetime(date_start)).dropna()
    last = max(ends.max(), starts.max())
    return f"{starts.min():%Y-%m}", f"{last:%Y-%m}"


def data_range(span: tuple[str, str] | None) -> tuple[str, str]:
    """The months a timeline offers: the shipped data's, widened to cover ``span``.

    Parameters
    ----------
    span
        The incidents' first and last month (:func:`incidents_span`), or None.
    """
    if span is None:
        return FIRST_MONTH, LAST_MONTH
    return min(FIRST_MONTH, span[0]), max(LAST_MONTH, span[1])


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive, as ``YYYY-MM`` strings."""
    months = pd.period_range(start=start, end=end, freq="M")
    return [str(m) for m in months]


def overlaps(date_start: pd.Series, date_end: pd.Series, period: Period) -> np.ndarray:
    """Tell which date ranges overlap a period.

    A range counts in a period if it starts on or before the period's last day and ends on or
    after its first day; a missing end counts as the start.

    Parameters
    ----------
    date_start, date_end
        ``datetime64`` series of the same length.
    period
        The period to test.

    Returns
    -------
    numpy.ndarray
        Boolean mask.
    """
    start = date_start.to_numpy(dtype="datetime64[ns]")
    end = date_end.fillna(date_start).to_numpy(dtype="datetime64[ns]")
    first = period.start_date.as_unit("ns").to_datetime64()
    last = (period.end_date + pd.Timedelta(days=1)).as_unit("ns").to_datetime64()
    mask: np.ndarray = (start < last) & (end >= first)
    return mask
