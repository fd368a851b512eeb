"""Compare mode: periods A and B as two maps side by side, their headline figures and change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layers import html, legend
from layers.map_files import view_png
from layers.towns import radius_scale
from mali_geo.catalogue import build_layers
from mali_geo.compare import Comparison, compare_periods
from mali_geo.dataset import Dataset
from mali_geo.displacement import Figure
from mali_geo.period import Period
from mali_geo.view import ViewState
from ui.data import context_data, dataset_key

#: What each side's map shows.
COMPARE_LAYERS: tuple[str, ...] = ("regions", "towns")
#: How many towns the change table lists.
SHOWN_TOWNS = 15


def compare_panel(ds: Dataset, view: ViewState) -> None:
    """Periods A and B: headline figures with B's change, two maps, the change by region and town.

    The maps are drawn server-side from the same layers as the main map (regions shaded by
    incidents, towns sized by them), on the same scales, so they compare by eye.
    """
    if view.compare is None:
        return
    a, b = view.compare
    comparison = comparison_of(ds, a, b, view.event_types, view.actors)
    label_a, label_b = html.period(a.start, a.end), html.period(b.start, b.end)
    st.subheader(f"Compare: A {label_a} · B {label_b}")
    _figures(comparison, label_a)
    left, right = st.columns(2)
    # One circle scale for both maps: that of the busier side's busiest town.
    counts = comparison.towns[["incidents_a", "incidents_b"]].to_numpy(dtype=float, na_value=0)
    scale = radius_scale(int(counts.max()) if counts.size else 0)
    for col, side, period, label in (
        (left, "A", a, label_a),
        (right, "B", b, label_b),
    ):
        png = period_picture(
            ds, period, f"Period {side}: {label}", view.event_types, view.actors, scale
        )
        col.image(png, caption=f"Period {side}: {label}", width="stretch")
    st.caption(
        "Regions shaded and towns sized by incidents, on the same scales in both maps. "
        "Change = B minus A."
    )
    tabs = st.tabs(["Change by region", "Change by town"])
    tabs[0].dataframe(_table(comparison.regions, "name"), hide_index=True, width="stretch")
    towns = _table(comparison.towns, "name").head(SHOWN_TOWNS)
    tabs[1].dataframe(towns, hide_index=True, width="stretch")


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={Dataset: dataset_key})
def comparison_of(
    ds: Dataset,
    a: Period,
    b: Period,
    event_types: tuple[str, ...] | None,
    actors: tuple[str, ...] | None,
) -> Comparison:
    """Periods A and B compared (cached per dataset, periods, types and actor groups)."""
    return compare_periods(ds, a, b, event_types=event_types, actor_groups=actors)


@st.cache_data(show_spinner="Drawing the maps…", max_entries=16, hash_funcs={Dataset: dataset_key})
def period_picture(
    ds: Dataset,
    period: Period,
    label: str,
    event_types: tuple[str, ...] | None,
    actors: tuple[str, ...] | None,
    town_scale: float,
) -> bytes:
    """One side's map as a PNG (cached per dataset, period, types, actor groups and scale)."""
    built = build_layers(
        ds, period, layers=COMPARE_LAYERS, event_types=event_types, actor_groups=actors
    )
    return view_png(
        built,
        COMPARE_LAYERS,
        period_label=label,
        context=context_data(),
        town_scale=town_scale,
    )


def _figures(c: Comparison, label_a: str) -> None:
    cols = st.columns(4)
    h_a, h_b, ch = c.headline_a, c.headline_b, c.change
    cols[0].metric(
        "Incidents (B)", f"{h_b.incidents:,}", delta=_delta(ch.incidents), delta_color="inverse"
    )
    cols[0].caption(f"A: {h_a.incidents:,}")
    cols[1].metric(
        "Fatalities (B)",
        legend.fatality_text(h_b.fatalities_low, h_b.fatalities_high),
        delta=_range_change(ch.fatalities_low, ch.fatalities_high),
        delta_color="inverse",
    )
    cols[1].caption(f"A: {legend.fatality_text(h_a.fatalities_low, h_a.fatalities_high)}")
    for col, name, fig_a, fig_b, change in (
        (cols[2], "Refugees abroad (B)", h_a.refugees, h_b.refugees, ch.refugees),
        (cols[3], "IDPs in Mali (B)", h_a.idps, h_b.idps, ch.idps),
    ):
        col.metric(name, _people(fig_b), delta=_delta(change), delta_color="inverse")
        col.caption(f"A: {_people(fig_a)} · {legend.as_of_note(fig_b)}")
    st.caption(f"Deltas: period B minus period A ({label_a}).")


def _delta(change: int | None) -> str | None:
    """B minus A as a metric's delta; none when unknown or unchanged (no arrow for zero)."""
    return None if not change else f"{change:+,}"


def _people(fig: Figure | None) -> str:
    return "no figure" if fig is None else f"{fig['people']:,}"


def _range_change(low: int | None, high: int | None) -> str | None:
    if low is None and high is None:
        return None
    if high is None or low == high:
        return f"{low:+,} (low end)" if high is None else f"{low:+,}"
    if low is None:
        return f"{high:+,} (high end)"
    return f"{low:+,} to {high:+,}"


def _table(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    cols = [name, "incidents_a", "incidents_b", "incidents_change"]
    out = pd.DataFrame(frame[[c for c in cols if c in frame.columns]])
    return out.rename(
        columns={
            name: "Name",
            "incidents_a": "Incidents A",
            "incidents_b": "Incidents B",
            "incidents_change": "Change",
        }
    )
