"""Mali 2012–2014 crisis map: the Streamlit page. Widgets wired to mali_geo and layers."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from layers import legend
from layers.groups import map_groups
from layers.assets import ensure_static_assets
from layers.basemap import BASEMAPS, base_map
from layers.context import context_layer
from layers.incidents import event_label
from mali_geo import config
from mali_geo.context import simplified
from mali_geo.dataset import LAYERS, Dataset, build_layers, flows_for, load_dataset
from mali_geo.displacement import refugees_by_host
from mali_geo.export import combined_collection, dumps, feature_collection, incidents_csv
from mali_geo.incidents import incidents_in_period, monthly_counts
from mali_geo.key_events import key_events_in_period
from mali_geo.period import Period, month_range
from mali_geo.summary import COVERAGE_NOTE, headline, key_events_table
from mali_geo.view import PHASES, TOGGLES, ViewState, play_start, play_step, state_from_query
from mali_geo.view import state_to_query

MONTHS = month_range(config.FIRST_MONTH, config.LAST_MONTH)
BASEMAP_NAMES = list(BASEMAPS)
st.set_page_config(page_title="Mali crisis map 2012–2014", page_icon="🗺️", layout="wide")
ensure_static_assets(Path(__file__).resolve().parent / "static")


@st.cache_resource(show_spinner=False)
def dataset() -> Dataset:
    """The shipped data, loaded and validated once per server."""
    return load_dataset()


@st.cache_data(show_spinner=False, max_entries=256)
def layers_for(_ds: Dataset, key: str, start: str, end: str, types: tuple | None) -> dict:
    """Layers for a period (cached per dataset, period and event types)."""
    return build_layers(_ds, Period(start, end), event_types=types)


@st.cache_resource(show_spinner=False)
def context_data(_ds: Dataset, key: str) -> tuple:
    """Context layers simplified for display, computed once."""
    return simplified(_ds.countries), simplified(_ds.niger), simplified(_ds.lakes)


def init_state(ds: Dataset) -> None:
    """On a session's first run, take the view from the URL's query parameters."""
    if "initialised" in st.session_state:
        return
    state = state_from_query(st.query_params.to_dict(), basemaps=BASEMAP_NAMES)
    st.session_state.update(initialised=True, playing=False, url_problems=state.problems)
    st.session_state["period"] = (state.start, state.end)
    for name in TOGGLES:
        st.session_state[f"layer_{name}"] = name in state.layers
    all_types = event_types(ds)
    types = state.event_types if state.event_types is not None else all_types
    st.session_state["event_types"] = [t for t in all_types if t in types]
    st.session_state["basemap"] = state.basemap


def event_types(ds: Dataset) -> list[str]:
    """Event types present in the incidents, sorted."""
    return sorted(ds.incidents["event_type"].dropna().unique())


def apply_phase() -> None:
    """Callback: a phase preset sets the period."""
    st.session_state["period"] = PHASES[st.session_state["phase"]]
    st.session_state["playing"] = False


def toggle_play() -> None:
    """Callback: start or stop stepping a window through the months."""
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing:
        st.session_state["period"] = play_start(*st.session_state["period"])


@st.fragment(run_every=1.5)
def player() -> None:
    """While playing, move the window one month on, then redraw the page."""
    step = play_step(*st.session_state["period"])
    st.session_state["next_period"] = step
    st.rerun()


def sidebar(ds: Dataset) -> ViewState:
    """Draw the controls and return the view they describe."""
    if "next_period" in st.session_state:
        step = st.session_state.pop("next_period")
        st.session_state["period"] = step or st.session_state["period"]
        st.session_state["playing"] = step is not None
    side = st.sidebar
    side.title("Mali 2012–2014")
    start, end = side.select_slider("Period", options=MONTHS, key="period")
    side.selectbox("Jump to a phase of the crisis", PHASES, key="phase", index=None,
                   placeholder="Choose a phase…", on_change=apply_phase)
    playing = st.session_state.get("playing", False)
    side.button("⏸ Pause" if playing else "▶ Play through the months", key="play",
                on_click=toggle_play, help="Steps a 3-month window one month at a time.")
    side.subheader("Layers")
    shown = tuple(n for n, label in TOGGLES.items() if side.toggle(label, key=f"layer_{n}"))
    with side.expander(f"Event types ({len(st.session_state['event_types'])} of "
                       f"{len(event_types(ds))})"):
        types = st.multiselect("Event types", event_types(ds), key="event_types",
                               format_func=event_label)
    basemap = side.radio("Basemap", BASEMAP_NAMES, key="basemap")
    all_types = event_types(ds)
    state = ViewState(start, end, shown, None if set(types) == set(all_types) else tuple(types),
                      basemap)
    st.query_params.from_dict(state_to_query(state, all_types=all_types, basemaps=BASEMAP_NAMES))
    return state


def headline_row(ds: Dataset, state: ViewState) -> None:
    """The figures for the period, each with its as-of date and source."""
    h = headline(ds, state.period, event_types=state.event_types)
    cols = st.columns(4)
    cols[0].metric("Incidents in the period", f"{h.incidents:,}",
                   help=f"{h.located:,} with a coordinate are drawn. Sources: one link per incident.")
    cols[1].metric("Fatalities reported", legend.fatality_text(h.fatalities_low, h.fatalities_high),
                   help=f"{h.without_toll} incident(s) have no reported toll (unknown, not zero).")
    for col, label, fig in ((cols[2], "Refugees abroad", h.refugees), (cols[3], "IDPs", h.idps)):
        value = f"{fig['people']:,}" if fig else "no figure yet"
        note = f"as of {fig['as_of']:%d %b %Y} · {fig['source']}" if fig else "no figure before this date"
        col.metric(f"{label} (end of period)", value, help=note)
        col.caption(note)


def charts(ds: Dataset, state: ViewState) -> None:
    """Monthly incidents with the period highlighted, and refugees by host over time."""
    sel = ds.incidents if state.event_types is None else ds.incidents[
        ds.incidents["event_type"].isin(state.event_types)]
    monthly = monthly_counts(sel, MONTHS)
    monthly["in period"] = monthly["month"].between(state.start, state.end)
    bars = alt.Chart(monthly).mark_bar().encode(
        x=alt.X("month:O", title=None), y=alt.Y("incidents:Q", title="Incidents"),
        color=alt.Color("in period:N", scale=alt.Scale(range=["#cccccc", "#b30000"]), legend=None),
        tooltip=["month", "incidents"])
    st.altair_chart(bars, width="stretch")
    st.caption("Incidents per month (an incident counts in every month its dates overlap); "
               "red: the selected period. Source: the incidents file, one cited report each.")
    host = refugees_by_host(ds.displacement)
    host = host[host["as_of"] <= pd.Timestamp("2014-12-31")]
    line = alt.Chart(host).mark_line(point=True).encode(
        x=alt.X("as_of:T", title="UNHCR year-end figure"), y=alt.Y("people:Q", title="Refugees"),
        color=alt.Color("host:N", title="Host country"), tooltip=["host", "as_of", "people"])
    st.altair_chart(line, width="stretch")
    st.caption("Refugees from Mali by host country, UNHCR Refugee Data Finder (CC BY 4.0).")


def downloads(layers: dict, ds: Dataset, state: ViewState) -> None:
    """GeoJSON of the visible layers (one file, and per layer) and the incidents as CSV."""
    label = state.period.label
    visible = {n: gdf for n, gdf in layers.items() if n in state.layers}
    st.download_button("Download GeoJSON", dumps(combined_collection(visible)),
                       file_name=f"mali_{label}.geojson", mime="application/geo+json",
                       on_click="ignore", key="download_all", type="primary")
    st.caption("The visible layers for the period, one FeatureCollection; each feature has a "
               "`layer` property. Same content as `python -m mali_geo export` for this period.")
    cols = st.columns(len(LAYERS))
    for col, name in zip(cols, LAYERS, strict=True):
        col.download_button(f"{name}.geojson", dumps(feature_collection(layers[name])),
                            file_name=f"mali_{name}_{label}.geojson", on_click="ignore",
                            mime="application/geo+json", key=f"download_{name}")
    sel = incidents_in_period(ds.incidents, state.period, event_types=state.event_types)
    st.download_button("Incidents as CSV", incidents_csv(sel), file_name=f"mali_incidents_{label}.csv",
                       mime="text/csv", on_click="ignore", key="download_csv")


def main() -> None:
    """Build the page."""
    ds = dataset()
    init_state(ds)
    state = sidebar(ds)
    if st.session_state.get("playing"):
        player()
    for problem in st.session_state.get("url_problems", ()):
        st.warning(f"Shared link: {problem}")
    st.title("Mali crisis map, 2012–2014")
    st.caption(f"Period: **{state.start} to {state.end}** · incidents: {ds.incidents_label}")
    headline_row(ds, state)
    layers = layers_for(ds, ds.incidents_label, state.start, state.end, state.event_types)
    if layers["incidents"].empty and layers["towns"].empty:
        st.info(legend.EMPTY_PERIOD)
    context = context_layer(*context_data(ds, ds.incidents_label)) if "context" in state.layers else None
    groups = map_groups(layers, state.layers)
    st_folium(base_map(state.basemap, context=context), key="map", feature_group_to_add=groups,
              returned_objects=[], height=620, use_container_width=True)
    st.markdown(legend.legends_html(layers, state.layers), unsafe_allow_html=True)
    st.caption(legend.flows_note(flows_for(ds, state.period)))
    tab_charts, tab_events, tab_download, tab_sources = st.tabs(
        ["Charts", "Key events", "Download", "Sources and coverage"])
    with tab_charts:
        charts(ds, state)
    with tab_events:
        events = key_events_table(key_events_in_period(ds.key_events, state.period))
        st.dataframe(events, hide_index=True, width="stretch",
                     column_config={"source_url": st.column_config.LinkColumn("Source")})
        if events.empty:
            st.write("No key event is dated in this period.")
    with tab_download:
        downloads(layers, ds, state)
    with tab_sources:
        st.markdown(legend.SOURCES_MD)
        st.info(COVERAGE_NOTE)


main()
