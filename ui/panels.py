"""Panels around the map: headline figures, import report, downloads, charts and sources."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from layers import charts, legend
from layers.html import month
from layers.incidents import event_label
from mali_geo.actors import filter_by_actor_groups
from mali_geo.catalogue import LAYERS
from mali_geo.config import LAST_MONTH
from mali_geo.dataset import Dataset
from mali_geo.export import combined_collection, dumps, feature_collection, incidents_csv
from mali_geo.importer import ImportResult
from mali_geo.incidents import incidents_in_period, monthly_counts
from mali_geo.key_events import key_events_in_period
from mali_geo.spreadsheet import spreadsheet_safe_csv
from mali_geo.summary import (
    COVERAGE_NOTE,
    after_shipped,
    headline,
    incidents_source_note,
    key_events_table,
    months_older,
)
from mali_geo.view import ViewState
from ui.data import dataset_key, selection_for
from ui.feed import key_events_key, on_key_event_click
from ui.state import PageState
from ui.text import literal

#: How many kinds of rejection reasons the report lists.
SHOWN_REASONS = 12


def plain_source(ds: Dataset) -> str:
    """Where the incidents come from, without file paths (the Sources tab names the files)."""
    return re.sub(r"\s*\([^()]*/[^()]*\)", "", ds.incidents_label)


def without_paths(text: str) -> str:
    """Text for the page with the data files' paths left out ("geodata/places.csv: ")."""
    return re.sub(r"\bgeodata/[\w./-]*\w(: )?", "", text)


def plural(count: int, word: str, words: str | None = None) -> str:
    """A count with its noun: "1 incident", "2 incidents" (``words`` for an irregular plural)."""
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def types_note(types: tuple[str, ...] | None, total: int) -> str:
    """The event-type filter in words: "" (all), "(Battle only)", "(3 of 7 types)"."""
    if types is None or len(types) >= total:
        return ""
    if not types:
        return "(no event types)"
    if len(types) == 1:
        return f"({event_label(types[0])} only)"
    return f"({len(types)} of {total} types)"


def types_slug(types: tuple[str, ...] | None, total: int) -> str:
    """The filter in a file name: "" (all), "_battle", "_3-of-7-types"."""
    if types is None or len(types) >= total:
        return ""
    return f"_{types[0]}" if len(types) == 1 else f"_{len(types)}-of-{total}-types"


def headline_row(ds: Dataset, state: ViewState, *, all_types: int) -> None:
    """The figures for the period in one compact row, each with its as-of date and source.

    Parameters
    ----------
    all_types
        How many event types are offered (the filter is named in the incidents' label).
    """
    h = headline(ds, state.period, selected=selection_for(ds, state.built_for))
    with st.container(key="headline"):
        cols = st.columns(4)
    cols[0].metric(
        f"Incidents {types_note(state.event_types, all_types)}".strip(),
        f"{h.incidents:,}",
        help=(
            f"Incidents whose dates overlap the period. {h.located:,} have a coordinate and are "
            "drawn; each links its source."
        ),
    )
    cols[1].metric(
        "Fatalities",
        legend.fatality_text(h.fatalities_low, h.fatalities_high),
        help=(
            "Sum of the tolls sources reported. ≥: the upper bound is unknown because "
            f"{plural(h.without_toll, 'incident')} have no reported toll (unknown, not zero)."
        ),
    )
    for col, label, fig, note in (
        (cols[2], "Refugees abroad", h.refugees, REFUGEES_HELP),
        (cols[3], "IDPs in Mali", h.idps, IDPS_HELP),
    ):
        caption = legend.as_of_note(fig)
        if after_shipped(state.period):
            caption += f" · :orange[no data after {month(LAST_MONTH)}]"
        elif fig and (age := months_older(fig["as_of"], state.period)) >= 3:
            caption += f" · :orange[{age} months before the period ends]"
        col.metric(label, f"{fig['people']:,}" if fig else "no figure", help=f"{note} {caption}")
        col.caption(caption)


REFUGEES_HELP = (
    "Refugees from Mali in all host countries, UNHCR's latest year-end figure at or before the "
    "end of the period (UNHCR counts once a year, on 31 December)."
)
IDPS_HELP = (
    "Internally displaced people in Mali, the latest national figure at or before the end of "
    "the period. Sources differ from date to date (IOM DTM and CMP preferred, then UNHCR, "
    "then IDMC): compare figures of the same source."
)


def import_report(result: ImportResult) -> None:
    """What the import read, accepted and rejected; reasons counted, rows downloadable."""
    title = f"Import report: {literal(result.source_name)}: {result.summary()}"
    with st.expander(title, expanded=True):
        cols = st.columns(4)
        cols[0].metric("Format", str(result.format))
        cols[1].metric("Rows read", f"{result.read:,}")
        cols[2].metric("Accepted", f"{result.accepted:,}")
        cols[3].metric("Rejected", f"{len(result.rejected):,}")
        st.text("\n".join(result.report().lines()[1:]))  # literal text: names come from the file
        if result.rejected.empty:
            return
        st.write("Why rows were rejected:")
        st.dataframe(reason_counts(result.rejected), hide_index=True, width="stretch")
        st.dataframe(result.rejected, hide_index=True, width="stretch")
        st.download_button(
            "Rejected rows as CSV",
            lambda: spreadsheet_safe_csv(result.rejected),
            file_name="rejected.csv",
            mime="text/csv",
            on_click="ignore",
        )


def reason_counts(rejected: pd.DataFrame, *, shown: int = SHOWN_REASONS) -> pd.DataFrame:
    """Rejection reasons grouped by their kind (the text before the first colon), counted.

    Returns
    -------
    pandas.DataFrame
        Columns ``reason`` and ``rows``, most frequent first; kinds past ``shown`` are
        counted together as "other reasons".
    """
    kinds = rejected["reason"].astype(str).str.split(":", n=1).str[0].str.strip()
    counts = kinds.value_counts().rename_axis("reason").reset_index(name="rows")
    if len(counts) > shown:
        rest = pd.DataFrame({"reason": ["other reasons"], "rows": [counts["rows"][shown:].sum()]})
        counts = pd.concat([counts.head(shown), rest], ignore_index=True)
    return counts


def downloads(
    layers: Mapping[str, gpd.GeoDataFrame], ds: Dataset, state: ViewState, *, all_types: int
) -> None:
    """GeoJSON of the visible layers (one file, and per layer) and the incidents as CSV.

    The files are made when a button is clicked (deferred data), not on every rerun: with
    100,000 incidents, writing them all on each slider move would take seconds.
    """
    label = state.period.label + types_slug(state.event_types, all_types)
    visible = {n: gdf for n, gdf in layers.items() if n in state.layers}
    st.download_button(
        "Download GeoJSON",
        lambda: dumps(combined_collection(visible)),
        file_name=f"mali_{label}.geojson",
        mime="application/geo+json",
        on_click="ignore",
        key="download_all",
        type="primary",
    )
    st.caption(
        "The visible layers in one file, each feature tagged with its layer; below, one "
        "file per layer, the same files as the project's command-line export."
    )
    for col, name in zip(st.columns(len(LAYERS)), LAYERS, strict=True):
        col.download_button(
            f"{name}.geojson",
            partial(_layer_file, layers[name]),
            file_name=f"mali_{name}_{label}.geojson",
            on_click="ignore",
            mime="application/geo+json",
            key=f"download_{name}",
        )

    def csv() -> str:
        sel = incidents_in_period(ds.incidents, state.period, event_types=state.event_types)
        return incidents_csv(filter_by_actor_groups(sel, state.actors))

    st.download_button(
        "Incidents as CSV",
        csv,
        on_click="ignore",
        file_name=f"mali_incidents_{label}.csv",
        mime="text/csv",
        key="download_csv",
    )


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs={Dataset: dataset_key})
def monthly_spec(
    ds: Dataset,
    types: tuple[str, ...] | None,
    actors: tuple[str, ...] | None,
    months: tuple[str, ...],
) -> dict[str, Any]:
    """The monthly chart's spec for the incidents selected, made once (the period is set later).

    Never mutated: :func:`layers.charts.with_period` copies it.
    """
    sel = ds.incidents if types is None else ds.incidents[ds.incidents["event_type"].isin(types)]
    sel = filter_by_actor_groups(sel, actors)
    return charts.chart_spec(charts.monthly_chart(monthly_counts(sel, list(months)), "", ""))


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs={Dataset: dataset_key})
def refugees_spec(ds: Dataset, marked: tuple[pd.Timestamp, ...]) -> dict[str, Any]:
    """The refugee chart's spec with these year-end figures shaded, made once."""
    chart = charts.refugees_chart(ds.refugee_hosts, marked=list(marked))
    return charts.chart_spec(chart)


def below_map(
    ds: Dataset,
    layers: Mapping[str, gpd.GeoDataFrame],
    state: ViewState,
    months: list[str],
    result: ImportResult | None,
    *,
    shipped_shown: bool,
    all_types: int,
) -> None:
    """Charts, key events, downloads and sources, in tabs."""
    tabs = st.tabs(["Charts", "Key events", "Download", "Sources and coverage"])
    with tabs[0]:
        spec = monthly_spec(ds, state.event_types, state.actors, tuple(months))
        st.vega_lite_chart(
            charts.with_period(spec, state.start, state.end),
            width="stretch",
            key=PageState.CHART_KEY,
            on_select=lambda: PageState(st.session_state).apply_brush(),
            selection_mode=charts.BRUSH,
        )
        st.caption(legend.MONTHLY_CAPTION)
        marked = charts.marked_year_ends(ds.refugee_hosts["as_of"], (state.start, state.end))
        st.vega_lite_chart(refugees_spec(ds, tuple(marked)), width="stretch")
        st.caption("Refugees from Mali by host country: UNHCR Refugee Data Finder (CC BY 4.0).")
    with tabs[1]:
        events = key_events_table(key_events_in_period(ds.key_events, state.period))
        st.dataframe(
            events,
            hide_index=True,
            width="stretch",
            column_config={"source_url": st.column_config.LinkColumn("Source")},
            key=key_events_key(state),
            on_select=on_key_event_click,
            selection_mode="single-row",
        )
        st.caption("Click a row to fly the map to the event and open its popup.")
    with tabs[2]:
        downloads(layers, ds, state, all_types=all_types)
    with tabs[3]:
        formats = {} if result is None else {str(result.format): len(result.incidents)}
        label = literal(ds.incidents_label)
        st.markdown(incidents_source_note(label, formats, shipped_shown=shipped_shown))
        st.markdown(legend.SOURCES_MD)
        if shipped_shown:
            st.info(COVERAGE_NOTE)
        else:
            st.info(IMPORTED_NOTE)


IMPORTED_NOTE = (
    "The incidents shown are an imported file's: their coverage and bias are its provider's. "
    "Bases, displacement and key events are the shipped ones, compiled for 2012–2014 only."
)


def _layer_file(layer: gpd.GeoDataFrame) -> str:
    """One layer as the GeoJSON file ``python -m mali_geo export`` writes."""
    return dumps(feature_collection(layer))
