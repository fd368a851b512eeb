"""Charts around the map (Altair specs; no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

PERIOD_COLOUR = "#b30000"
OTHER_COLOUR = "#cccccc"
#: The name of the monthly chart's interval selection (the span of months brushed).
BRUSH = "brush"
#: The monthly chart's parameters holding the selected period's first and last month.
PERIOD_PARAMS = ("period_start", "period_end")
#: The refugee chart's mark of the selected period.
PERIOD_SHADE = "#fde0dd"


def monthly_chart(monthly: pd.DataFrame, start: str, end: str) -> alt.Chart:
    """Bars of incidents per month, the selected period in red; a span can be brushed.

    Dragging across the bars selects a span of months (the interval selection
    :data:`BRUSH`, read back with :func:`brushed_period`). The period is two parameters of
    the chart (:data:`PERIOD_PARAMS`), so a spec can be made once and given another period
    with :func:`with_period`.

    Parameters
    ----------
    monthly
        From :func:`mali_geo.incidents.monthly_counts`: ``month``, ``incidents``.
    start, end
        The selected period, ``YYYY-MM``.
    """
    data = monthly.assign(month_date=pd.to_datetime(monthly["month"] + "-01"))
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    first, last = (
        alt.param(name=n, value=v) for n, v in zip(PERIOD_PARAMS, (start, end), strict=True)
    )
    in_period = f"datum.month >= {PERIOD_PARAMS[0]} && datum.month <= {PERIOD_PARAMS[1]}"
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month_date):T", title=None, axis=alt.Axis(format="%b %Y")),
            y=alt.Y("incidents:Q", title="Incidents"),
            color=alt.condition(in_period, alt.value(PERIOD_COLOUR), alt.value(OTHER_COLOUR)),
            tooltip=[alt.Tooltip("yearmonth(month_date):T", title="month"), "incidents"],
        )
        .add_params(brush, first, last)
        .properties(height=220)
    )
    return chart


def with_period(spec: Mapping[str, Any], start: str, end: str) -> dict[str, Any]:
    """A copy of a :func:`monthly_chart` spec showing another period (``YYYY-MM``).

    Only the top level and the parameters are copied: the data are shared with ``spec``.
    """
    values = dict(zip(PERIOD_PARAMS, (start, end), strict=True))
    params = [
        {**p, "value": values[p["name"]]} if p.get("name") in values else p
        for p in spec.get("params", [])
    ]
    return {**spec, "params": params}


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """A chart's Vega-Lite spec, as Streamlit would send it (no default width and height).

    Made once and kept, a spec spares each rerun Altair's conversion and schema validation.
    """
    spec: dict[str, Any] = chart.to_dict()
    view = spec.get("config", {}).pop("view", None)
    if view is not None and not spec["config"]:
        del spec["config"]
    return spec


def brushed_period(
    selection: Mapping[str, Any] | None, *, first: str, last: str
) -> tuple[str, str] | None:
    """The months a brush on :func:`monthly_chart` spans, within ``first``..``last``.

    Parameters
    ----------
    selection
        The chart's selection state as Streamlit returns it (``{"selection": {"brush":
        {field: [t0, t1]}}}``, times in epoch milliseconds), or None.
    first, last
        The months the timeline offers.

    Returns
    -------
    tuple or None
        ``(start, end)`` as ``YYYY-MM``: the months holding each end of the brush; None when
        nothing is brushed.
    """
    brush = ((selection or {}).get("selection") or {}).get(BRUSH) or {}
    ends = next(iter(brush.values()), None) if brush else None
    if not ends or len(ends) != 2:
        return None
    months = sorted(_month_of(t) for t in ends)
    start, end = max(months[0], first), min(months[1], last)
    return (start, end) if start <= end else None


def _month_of(value: Any) -> str:
    ts = pd.to_datetime(value, unit="ms") if isinstance(value, int | float) else pd.Timestamp(value)
    return ts.strftime("%Y-%m")


def refugees_chart(
    by_host: pd.DataFrame,
    *,
    until: str = "2014-12-31",
    period: tuple[str, str] | None = None,
    marked: list[pd.Timestamp] | None = None,
) -> alt.Chart | alt.LayerChart:
    """Lines of UNHCR year-end refugees by host country, the selected period shaded.

    Parameters
    ----------
    by_host
        From :func:`mali_geo.displacement.refugees_by_host`: ``as_of``, ``host``, ``people``.
    until
        Last date shown (the study period ends in 2014).
    period
        The selected months (``YYYY-MM``): the year-end figures inside it are shaded, or, if
        none is, the one in force at its end (the headline's figure).
    marked
        The year-end dates to shade, as :func:`marked_year_ends` gives them for a period
        (instead of ``period``).
    """
    data = by_host[by_host["as_of"] <= pd.Timestamp(until)]
    # UNHCR counts once a year, on 31 December: label the points so, not with months.
    data = data.assign(year_end="end " + data["as_of"].dt.year.astype(str))
    lines = _refugee_lines(data)
    if marked is None:
        marked = marked_year_ends(data["as_of"], period) if period else []
    if not marked:
        return lines
    shade = pd.DataFrame({"year_end": [f"end {d.year}" for d in marked]})
    band: alt.Chart = (
        alt.Chart(shade)
        .mark_rect(color=PERIOD_SHADE, opacity=0.8)
        .encode(
            x=alt.X("year_end:O", sort="ascending"),
            tooltip=[alt.Tooltip("year_end", title="period")],
        )
    )
    return alt.LayerChart(layer=[band, lines])


def marked_year_ends(as_of: pd.Series, period: tuple[str, str]) -> list[pd.Timestamp]:
    """The year-end dates a period covers, or the latest one at or before its end."""
    start = pd.Timestamp(f"{period[0]}-01")
    end = pd.Timestamp(f"{period[1]}-01") + pd.offsets.MonthEnd(0)
    dates = sorted({pd.Timestamp(d) for d in as_of.dropna()})
    inside = [d for d in dates if start <= d <= end]
    before = [d for d in dates if d <= end]
    return inside or before[-1:]


def _refugee_lines(data: pd.DataFrame) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year_end:O", title="UNHCR year-end figure", sort="ascending"),
            y=alt.Y("people:Q", title="Refugees from Mali"),
            color=alt.Color("host:N", title="Host country"),
            tooltip=[
                "host",
                alt.Tooltip("as_of:T", format="%d %b %Y"),
                alt.Tooltip("people:Q", format=","),
            ],
        )
        .properties(height=240)
    )
    return chart
