"""Charts around the map (Altair specs; no Streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

PERIOD_COLOUR = "#b30000"
OTHER_COLOUR = "#cccccc"


def monthly_chart(monthly: pd.DataFrame, start: str, end: str) -> alt.Chart:
    """Bars of incidents per month, the selected period in red.

    Parameters
    ----------
    monthly
        From :func:`mali_geo.incidents.monthly_counts`: ``month``, ``incidents``.
    start, end
        The selected period, ``YYYY-MM``.
    """
    data = monthly.assign(in_period=monthly["month"].between(start, end))
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("incidents:Q", title="Incidents"),
            color=alt.Color(
                "in_period:N",
                scale=alt.Scale(domain=[False, True], range=[OTHER_COLOUR, PERIOD_COLOUR]),
                legend=None,
            ),
            tooltip=["month", "incidents"],
        )
        .properties(height=220)
    )
    return chart


def refugees_chart(by_host: pd.DataFrame, *, until: str = "2014-12-31") -> alt.Chart:
    """Lines of UNHCR year-end refugees by host country.

    Parameters
    ----------
    by_host
        From :func:`mali_geo.displacement.refugees_by_host`: ``as_of``, ``host``, ``people``.
    until
        Last date shown (the study period ends in 2014).
    """
    data = by_host[by_host["as_of"] <= pd.Timestamp(until)]
    # UNHCR counts once a year, on 31 December: label the points so, not with months.
    data = data.assign(year_end="end " + data["as_of"].dt.year.astype(str))
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year_end:O", title="UNHCR year-end figure", sort=None),
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
