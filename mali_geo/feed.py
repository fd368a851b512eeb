"""The incident feed: a period's incidents as a list to read, newest or oldest first.

One row per incident with its date in words, place, type, toll, a one-line summary and its
source link; the list is capped (the rest are in the download) and keeps each incident's id and
coordinate, so the app can fly the map to the one clicked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: How many incidents the feed lists; the others are in the CSV download.
FEED_LIMIT = 200
#: The columns shown, in order.
FEED_COLUMNS: tuple[str, ...] = ("date", "place", "type", "toll", "summary", "source_url")
#: How long a summary line may be before it is cut with "…".
SUMMARY_CHARS = 140


@dataclass(frozen=True)
class Feed:
    """The feed's rows and how many incidents the period holds in all.

    Attributes
    ----------
    rows
        :data:`FEED_COLUMNS`, then ``incident_id``, ``lat`` and ``lon`` (NaN when the incident
        has no coordinate), at most the limit.
    total
        Every incident of the selection.
    """

    rows: pd.DataFrame
    total: int

    @property
    def more(self) -> int:
        """Incidents left out of the list (they are in the download)."""
        return self.total - len(self.rows)


def incident_feed(
    incidents: pd.DataFrame,
    *,
    newest_first: bool = True,
    limit: int = FEED_LIMIT,
    type_labels: dict[str, str] | None = None,
) -> Feed:
    """The incidents as a feed, sorted by date (then id), capped at ``limit`` rows.

    Parameters
    ----------
    incidents
        Normalised incidents of a selection (period, types, actors), with ``lat``/``lon``.
    newest_first
        Latest start date first; else the oldest first.
    limit
        How many rows to keep.
    type_labels
        Event type id -> label shown; the id itself where missing.
    """
    ordered = _first_rows(incidents, limit, newest_first=newest_first)
    labels = type_labels or {}
    rows = pd.DataFrame(
        {
            "date": [
                day_words(d, p)
                for d, p in zip(ordered["date_start"], ordered["date_precision"], strict=True)
            ],
            "place": ordered["place"].fillna("").astype(str).to_numpy(),
            "type": [labels.get(str(t), str(t)) for t in ordered["event_type"]],
            "toll": [
                toll_words(lo, hi)
                for lo, hi in zip(
                    ordered["fatalities_low"], ordered["fatalities_high"], strict=True
                )
            ],
            "summary": [one_line(s) for s in ordered["summary"]],
            "source_url": ordered["source_url"].fillna("").astype(str).to_numpy(),
            "incident_id": ordered["incident_id"].astype(str).to_numpy(),
            "lat": pd.to_numeric(ordered["lat"], errors="coerce").to_numpy(dtype=float),
            "lon": pd.to_numeric(ordered["lon"], errors="coerce").to_numpy(dtype=float),
        }
    )
    return Feed(rows, len(incidents))


#: Missing dates (NaT) as the integers of a ``datetime64[ns]`` array.
NAT = np.datetime64("NaT", "ns").view(np.int64)


def _first_rows(incidents: pd.DataFrame, limit: int, *, newest_first: bool) -> pd.DataFrame:
    """The first ``limit`` rows by start date (then id), sorting only those that can be first.

    The order of a full ``sort_values(["date_start", "incident_id"])`` (undated rows last),
    found with numpy on the candidates only, then only those rows taken: a full sort of a
    million rows took a third of a second on every period change; the rows dated at or
    beyond the ``limit``-th date (ties included) hold the first ``limit``.
    """
    days = incidents["date_start"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    rows = np.arange(len(days))
    dated = days[days != NAT]
    if 0 < limit < len(dated):  # else undated rows may be among the first
        cut = len(dated) - limit if newest_first else limit - 1
        kth = np.partition(dated, cut)[cut]  # the limit-th date, in linear time
        keep = (days >= kth) if newest_first else (days <= kth) & (days != NAT)
        rows = np.flatnonzero(keep)
    day = days[rows]
    undated = day == NAT
    ids, _ = pd.factorize(incidents["incident_id"].take(rows).astype(str), sort=True)
    if newest_first:  # descending dates and ids; ties keep their order, as a stable sort
        day, ids = -np.where(undated, 0, day), -ids
    order = np.lexsort((ids, day, undated))  # the last key sorts first: undated rows last
    return incidents.take(rows[order[:limit]])


def day_words(value: object, precision: object = "day") -> str:
    """A date with its month in words: "17 Jan 2012"; "Jan 2012" or "2012" when coarser."""
    if not isinstance(value, str | pd.Timestamp):
        return "date not reported"
    ts = pd.to_datetime(value, errors="coerce")
    if pd.isna(ts):
        return "date not reported"
    fmt = {"month": "%b %Y", "year": "%Y"}.get(str(precision), "%-d %b %Y")
    return str(pd.Timestamp(ts).strftime(fmt))


def toll_words(low: object, high: object) -> str:
    """A toll as the sources give it: "12–30", "at least 12", "up to 5", "not reported"."""
    lo = None if _missing(low) else int(float(str(low)))
    hi = None if _missing(high) else int(float(str(high)))
    if lo is None and hi is None:
        return "not reported"
    if hi is None:
        return f"at least {lo:,}"
    if lo is None:
        return f"up to {hi:,}"
    return f"{hi:,}" if lo == hi else f"{lo:,}–{hi:,}"


def one_line(text: object, limit: int = SUMMARY_CHARS) -> str:
    """A summary on one line, cut at a word with "…" past ``limit`` characters."""
    if not isinstance(text, str):
        return ""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA
