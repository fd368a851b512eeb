"""The incidents layer: incidents in a period, optionally filtered by event type."""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import numpy as np
import pandas as pd

from mali_geo.period import Period, overlaps


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
    """
    mask = overlaps(incidents["date_start"], incidents["date_end"], period)
    if event_types is not None:
        mask &= incidents["event_type"].isin(list(event_types)).to_numpy(dtype=bool)
    return incidents[mask]


def located(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep only the incidents that have a coordinate."""
    has_point = ~(incidents.geometry.isna() | incidents.geometry.is_empty)
    return incidents[has_point.to_numpy(dtype=bool)]


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
