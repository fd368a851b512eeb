"""Headline figures and notes for a view: what the page says around the map."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from mali_geo.actors import filter_by_actor_groups
from mali_geo.coded import code_incidents, coded_range
from mali_geo.config import FIRST_MONTH, LAST_MONTH
from mali_geo.dataset import Dataset, figure_at_end
from mali_geo.displacement import Figure, Population
from mali_geo.feed import day_words
from mali_geo.incidents import incidents_in_period
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


#: Where imported incidents come from, by the format detected (the value of its ``Format``).
IMPORT_ATTRIBUTION: dict[str, str] = {
    "acled": (
        "Armed Conflict Location & Event Data Project (ACLED), acleddata.com: use under "
        "ACLED's terms of use, cite ACLED"
    ),
    "ucdp_ged": (
        "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, ucdp.uu.se "
        "(CC BY 4.0): cite Sundberg and Melander (2013) and Davies et al. (latest release)"
    ),
    "plain_csv": "a plain CSV file: its attribution is whatever its provider requires",
    "geojson": "a GeoJSON file: its attribution is whatever its provider requires",
}
#: The layers whose data are compiled for the shipped period only.
SHIPPED_ONLY = "Bases, displacement and key events"


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
    dataset: Dataset,
    period: Period,
    *,
    event_types: Collection[str] | None = None,
    actor_groups: Collection[str] | None = None,
    selected: gpd.GeoDataFrame | None = None,
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
    actor_groups
        Restrict incidents to those involving one of these actor groups
        (:mod:`mali_geo.actors`); ``None`` keeps all.
    selected
        The incidents the period, types and groups select, if already computed.
    """
    if selected is None:
        selected = incidents_in_period(dataset.incidents, period, event_types=event_types)
        selected = filter_by_actor_groups(selected, actor_groups)
    sel = selected
    coded = dataset.coded_rows(sel)  # the dataset's arrays: nothing converted per period
    if coded is None:  # not a selection of the dataset's incidents
        coded = code_incidents(sel)
    low, high, no_toll = coded_range(coded)
    located = int(coded.point.sum())
    return Headline(
        incidents=len(sel),
        located=located,
        fatalities_low=low,
        fatalities_high=high,
        without_toll=no_toll,
        refugees=figure_at_end(dataset, period, Population.REFUGEES),
        idps=figure_at_end(dataset, period, Population.IDPS),
    )


def key_events_table(key_events: pd.DataFrame) -> pd.DataFrame:
    """Key events as a table for display: date (in words, "11 Jan 2013"), event, place, source."""
    out = key_events[["date", "event", "place", "source_url"]].copy()
    precision = key_events.get("date_precision", pd.Series("day", index=key_events.index))
    out["date"] = [day_words(d, p) for d, p in zip(out["date"], precision, strict=True)]
    return out.reset_index(drop=True)


def months_older(as_of: pd.Timestamp, period: Period) -> int:
    """How many whole months a figure's as-of date lies before the period's last day."""
    end = period.end_date
    months = (end.year - as_of.year) * 12 + (end.month - as_of.month)
    return max(months - (1 if end.day < as_of.day else 0), 0)


def shipped_only_note(period: Period) -> str | None:
    """What the layers compiled for 2012–2014 only cannot show in a wider period, or None.

    Their values are never carried past December 2014 (or before January 2012) silently:
    a bases map or a displacement figure from 2014 shown for 2020 says it is from 2014.
    """
    parts = []
    if period.end > LAST_MONTH:
        parts.append(f"no data after {_month_label(LAST_MONTH)}")
    if period.start < FIRST_MONTH:
        parts.append(f"no data before {_month_label(FIRST_MONTH)}")
    if not parts:
        return None
    return (
        f"{SHIPPED_ONLY}: {' and '.join(parts)}. Bases and displacement show their state as of "
        f"{_month_label(LAST_MONTH)} at the latest."
    )


def after_shipped(period: Period) -> bool:
    """Whether the period ends after the shipped data's last month (Dec 2014)."""
    return period.end > LAST_MONTH


def incidents_source_note(label: str, formats: dict[str, int], *, shipped_shown: bool) -> str:
    """Where the incidents shown come from, with the attribution each source asks for.

    Parameters
    ----------
    label
        The dataset's incidents label (says which file, added or replacing).
    formats
        Imported formats (``Format`` values) with the incidents each brought.
    shipped_shown
        Whether the shipped incidents are shown too.
    """
    lines = [f"**Incidents shown:** {label}."]
    if shipped_shown:
        lines.append("- Shipped incidents: compiled from public reports (see below).")
    for fmt, count in formats.items():
        source = IMPORT_ATTRIBUTION.get(fmt, "an imported file")
        lines.append(f"- {count:,} imported incidents ({fmt}): {source}.")
    if not shipped_shown:
        lines.append("- The shipped incidents are not shown: the imported ones replace them.")
    return "\n".join(lines)


def _month_label(month: str) -> str:
    return f"{pd.Timestamp(month + '-01'):%b %Y}"
