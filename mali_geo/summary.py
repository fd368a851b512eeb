"""Headline figures and notes for a view: what the page says around the map."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from mali_geo.dataset import Dataset
from mali_geo.displacement import Figure, Population, latest_figure
from mali_geo.geometry import has_coordinate
from mali_geo.incidents import counted_tolls, fatality_range, incidents_in_period
from mali_geo.period import Period

COVERAGE_NOTE = (
    "The shipped incidents are 465 events compiled by hand from public reports (news wires, "
    "Wikipedia and its mirrors, NGO and UN pages), each with its source link and a quote. They "
    "are not a complete record: coverage is thinner in 2014 and in the south (nothing in "
    "Sikasso, one event in Kayes), rural and communal violence is under-represented, and big "
    "attacks on armed forces are over-represented. 121 incidents have no coordinate (the place is "
    "in no gazetteer or is ambiguous): they count in their region and in the totals but are not "
    "drawn. Fatalities are a range of what sources reported; blank means no source gave a figure, "
    "never zero. A toll that sources report inside another incident's toll (for example a "
    "sub-clash of a battle) is counted once, in that incident."
)


@dataclass(frozen=True)
class Headline:
    """Figures for the period: incidents, fatalities, refugees and IDPs (with as-of dates)."""

    incidents: int
    located: int
    fatalities_low: int | None
    fatalities_high: int | None
    without_toll: int
    refugees: Figure | None
    idps: Figure | None


def headline(
    dataset: Dataset, period: Period, *, event_types: Collection[str] | None = None
) -> Headline:
    """Compute the headline figures for a period.

    Parameters
    ----------
    dataset
        The loaded data.
    period
        Incidents overlapping it count; displacement is as of its last day.
    event_types
        Restrict incidents to these types; ``None`` keeps all.
    """
    sel = incidents_in_period(dataset.incidents, period, event_types=event_types)
    counted_low, counted_high = counted_tolls(sel)
    low, high = fatality_range(counted_low, counted_high)
    no_toll = int((counted_low.isna() & counted_high.isna()).sum())
    return Headline(
        incidents=len(sel),
        located=int(has_coordinate(sel).sum()),
        fatalities_low=low,
        fatalities_high=high,
        without_toll=no_toll,
        refugees=latest_figure(dataset.displacement, period, kind=Population.REFUGEES),
        idps=latest_figure(dataset.displacement, period, kind=Population.IDPS),
    )


def key_events_table(key_events: pd.DataFrame) -> pd.DataFrame:
    """Key events as a table for display: date, event, place, source."""
    out = key_events[["date", "event", "place", "source_url"]].copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out.reset_index(drop=True)


def months_older(as_of: pd.Timestamp, period: Period) -> int:
    """How many whole months a figure's as-of date lies before the period's last day."""
    end = period.end_date
    months = (end.year - as_of.year) * 12 + (end.month - as_of.month)
    return max(months - (1 if end.day < as_of.day else 0), 0)
