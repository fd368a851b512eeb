"""Compare two periods: headline figures of both, and the change per region and per town.

Fatalities stay ranges: each end changes on its own (``fatalities_low_change`` is B's low end
minus A's; ``fatalities_high_change`` is missing as soon as either high end is unknown).
Refugee and IDP changes compare the national figures as of each period's end, each with its
own as-of date (see :class:`mali_geo.summary.Headline`).

A comparison in a URL is ``?compare=2012-04..2012-12,2013-01..2013-04``
(:func:`parse_compare`, :func:`format_compare`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from mali_geo.actors import filter_by_actor_groups
from mali_geo.config import FIRST_MONTH, LAST_MONTH, WGS84
from mali_geo.dataset import Dataset
from mali_geo.errors import PeriodError
from mali_geo.incidents import incidents_in_period
from mali_geo.period import Period, make_period
from mali_geo.regions import regions_with_incidents
from mali_geo.summary import Headline, headline
from mali_geo.towns import towns_with_incidents

#: Between the two periods of a URL value, and between a period's months.
PERIOD_SEPARATOR = ","
MONTH_SEPARATOR = ".."
#: The figures compared per region and per town; each gets ``_a``, ``_b`` and ``_change``.
COMPARED: tuple[str, ...] = ("incidents", "fatalities_low", "fatalities_high")
REGION_KEYS: tuple[str, ...] = ("name", "name_en", "iso_3166_2", "area_km2")
TOWN_KEYS: tuple[str, ...] = ("name", "admin1")


@dataclass(frozen=True)
class HeadlineChange:
    """B minus A for each headline figure; ``None`` where either side is unknown."""

    incidents: int
    fatalities_low: int | None
    fatalities_high: int | None
    refugees: int | None
    idps: int | None


@dataclass(frozen=True)
class Comparison:
    """Two periods side by side.

    Attributes
    ----------
    a, b
        The periods, as given.
    headline_a, headline_b
        Their headline figures.
    change
        B minus A.
    regions
        One row per region (all 9): :data:`REGION_KEYS`, then ``<figure>_a``, ``<figure>_b``
        and ``<figure>_change`` for each of :data:`COMPARED`, and the region's polygon.
    towns
        One row per place with an incident in either period: :data:`TOWN_KEYS`, the same
        figures (a period without incidents there has 0 incidents and a toll of 0), point.
        Sorted by the size of the change in incidents (largest first), then name.
    """

    a: Period
    b: Period
    headline_a: Headline
    headline_b: Headline
    change: HeadlineChange
    regions: gpd.GeoDataFrame
    towns: gpd.GeoDataFrame


def compare_periods(
    dataset: Dataset,
    a: Period,
    b: Period,
    *,
    event_types: Collection[str] | None = None,
    actor_groups: Collection[str] | None = None,
) -> Comparison:
    """Compare periods A and B of a dataset.

    Parameters
    ----------
    dataset
        The loaded data (shipped or with imported incidents).
    a, b
        The periods; they may overlap or be of different lengths.
    event_types
        Restrict incidents to these types; ``None`` keeps all.
    actor_groups
        Restrict incidents to those involving one of these groups (see
        :mod:`mali_geo.actors`); ``None`` keeps all.

    Returns
    -------
    Comparison
    """
    chosen = replace(dataset, incidents=filter_by_actor_groups(dataset.incidents, actor_groups))
    head_a = headline(chosen, a, event_types=event_types)
    head_b = headline(chosen, b, event_types=event_types)
    sel_a = incidents_in_period(chosen.incidents, a, event_types=event_types)
    sel_b = incidents_in_period(chosen.incidents, b, event_types=event_types)
    points = dataset.place_points  # over all incidents, so a town does not move
    towns_a = towns_with_incidents(sel_a, points=points)
    towns_b = towns_with_incidents(sel_b, points=points)
    return Comparison(
        a=a,
        b=b,
        headline_a=head_a,
        headline_b=head_b,
        change=headline_change(head_a, head_b),
        regions=_regions_change(dataset.regions, sel_a, sel_b),
        towns=_towns_change(towns_a, towns_b),
    )


def headline_change(a: Headline, b: Headline) -> HeadlineChange:
    """B minus A for each headline figure."""
    return HeadlineChange(
        incidents=b.incidents - a.incidents,
        fatalities_low=_minus(b.fatalities_low, a.fatalities_low),
        fatalities_high=_minus(b.fatalities_high, a.fatalities_high),
        refugees=_minus(
            None if b.refugees is None else b.refugees["people"],
            None if a.refugees is None else a.refugees["people"],
        ),
        idps=_minus(
            None if b.idps is None else b.idps["people"],
            None if a.idps is None else a.idps["people"],
        ),
    )


def parse_compare(
    text: str, *, first: str = FIRST_MONTH, last: str = LAST_MONTH
) -> tuple[Period, Period]:
    """Read ``"2012-04..2012-12,2013-01..2013-04"`` as periods A and B.

    A period may be one month (``"2013-01"``). Each is checked as
    :func:`mali_geo.period.make_period` checks it.

    Raises
    ------
    PeriodError
        If there are not exactly two periods, or one is malformed, reversed or out of range.
    """
    parts = [p.strip() for p in str(text).split(PERIOD_SEPARATOR)]
    if len(parts) != 2 or not all(parts):
        msg = (
            f"malformed comparison {text!r}: expected two periods, "
            "e.g. 2012-04..2012-12,2013-01..2013-04"
        )
        raise PeriodError(msg)
    a, b = (_parse_period(p, first, last) for p in parts)
    return a, b


def format_compare(a: Period, b: Period) -> str:
    """The URL value of two periods, e.g. ``"2012-04..2012-12,2013-01..2013-04"``."""
    return PERIOD_SEPARATOR.join(f"{p.start}{MONTH_SEPARATOR}{p.end}" for p in (a, b))


# --- helpers -------------------------------------------------------------------------------


def _parse_period(text: str, first: str, last: str) -> Period:
    ends = text.split(MONTH_SEPARATOR)
    if len(ends) > 2 or not all(e.strip() for e in ends):
        msg = f"malformed period {text!r}: expected YYYY-MM..YYYY-MM, e.g. 2013-01..2013-04"
        raise PeriodError(msg)
    return make_period(ends[0].strip(), ends[-1].strip(), first=first, last=last)


def _minus(b: int | None, a: int | None) -> int | None:
    return None if a is None or b is None else int(b) - int(a)


def _regions_change(
    regions: gpd.GeoDataFrame, sel_a: gpd.GeoDataFrame, sel_b: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    side_a = regions_with_incidents(regions, sel_a)
    side_b = regions_with_incidents(regions, sel_b)
    keys = [k for k in REGION_KEYS if k in side_a.columns]
    out = pd.DataFrame(side_a[keys]).reset_index(drop=True)
    out = _add_figures(out, side_a.reset_index(drop=True), side_b.reset_index(drop=True))
    return gpd.GeoDataFrame(out, geometry=side_a.geometry.to_numpy(), crs=regions.crs)


def _towns_change(towns_a: gpd.GeoDataFrame, towns_b: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    names = sorted(set(towns_a["name"]) | set(towns_b["name"]))
    side_a = _zero_filled(towns_a, names)
    side_b = _zero_filled(towns_b, names)
    keys = pd.DataFrame(
        {
            "name": pd.array(names, dtype="str"),
            "admin1": side_a["admin1"].fillna(side_b["admin1"]).to_numpy(),
        }
    )
    out = _add_figures(keys, side_a.reset_index(drop=True), side_b.reset_index(drop=True))
    geometry = side_a.geometry.fillna(side_b.geometry).to_numpy()
    towns = gpd.GeoDataFrame(out, geometry=geometry, crs=WGS84)
    if towns.empty:
        return towns
    size = towns["incidents_change"].abs().to_numpy()
    order = np.lexsort((np.arange(len(towns)), -size))
    return towns.take(order).reset_index(drop=True)


def _zero_filled(towns: gpd.GeoDataFrame, names: list[str]) -> gpd.GeoDataFrame:
    """The towns in ``names`` order; a town absent from this period has 0 incidents, 0 toll."""
    side = towns.set_index("name").reindex(names)
    absent = side["incidents"].isna().to_numpy()
    for col in COMPARED:
        side[col] = side[col].astype("Int64").mask(absent, 0)
    return gpd.GeoDataFrame(side.reset_index(), geometry="geometry", crs=WGS84)


def _add_figures(out: pd.DataFrame, side_a: pd.DataFrame, side_b: pd.DataFrame) -> pd.DataFrame:
    for col in COMPARED:
        a = side_a[col].astype("Int64").reset_index(drop=True)
        b = side_b[col].astype("Int64").reset_index(drop=True)
        out[f"{col}_a"] = a.array
        out[f"{col}_b"] = b.array
        out[f"{col}_change"] = (b - a).array
    return out
