"""Mali 2012–2014 crisis map: the Streamlit page. Widgets wired to mali_geo and layers."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from layers import charts, legend
from layers.assets import ensure_static_assets
from layers.basemap import BASEMAPS, base_map
from layers.context import context_layer
from layers.groups import map_groups
from layers.highlight import highlight_layer
from layers.incidents import event_label
from mali_geo import config, story
from mali_geo.context import simplified
from mali_geo.dataset import LAYERS, Dataset, build_layers, flows_for, load_dataset
from mali_geo.dataset import with_incidents
from mali_geo.displacement import refugees_by_host
from mali_geo.errors import ImportFileError
from mali_geo.export import combined_collection, dumps, feature_collection, incidents_csv
from mali_geo.importer import MAX_IMPORT_BYTES, ImportResult, import_bytes
from mali_geo.incidents import incidents_in_period, monthly_counts
from mali_geo.key_events import key_events_in_period
from mali_geo.period import Period, month_range
from mali_geo.summary import COVERAGE_NOTE, headline, key_events_table
from mali_geo.view import PHASES, TOGGLES, ViewState, play_start, play_step
from mali_geo.view import state_from_query, state_to_query

MONTHS = month_range(config.FIRST_MONTH, config.LAST_MONTH)
BASEMAP_NAMES = list(BASEMAPS)
MODES = ("Explore", "Story")
ENV_INCIDENTS = "MALI_GEO_INCIDENTS"
st.set_page_config(page_title="Mali crisis map 2012–2014", page_icon="🗺️", layout="wide")
ensure_static_assets(Path(__file__).resolve().parent / "static")


@st.cache_resource(show_spinner=False)
def shipped() -> Dataset:
    """The shipped data, loaded and validated once per server."""
    return load_dataset()


@st.cache_data(show_spinner="Importing…", max_entries=8)
def imported(data: bytes, name: str) -> ImportResult:
    """Import a user's file (cached by content)."""
    return import_bytes(data, source_name=name)


@st.cache_data(show_spinner=False, max_entries=256)
def layers_for(_ds: Dataset, key: str, start: str, end: str, types: tuple | None) -> dict:
    """Layers for a period (cached per dataset, period and event types)."""
    return build_layers(_ds, Period(start, end), event_types=types)


@st.cache_resource(show_spinner=False)
def context_data() -> tuple:
    """Context layers simplified for display, computed once."""
    ds = shipped()
    return simplified(ds.countries), simplified(ds.niger), simplified(ds.lakes)


def active_dataset() -> tuple[Dataset, ImportResult | None]:
    """The shipped data, or with the imported incidents (launch variable or upload)."""
    ds, result, mode = shipped(), None, "replace"
    upload = st.session_state.get("upload")
    try:
        if upload is not None:
            result, mode = imported(upload.getvalue(), upload.name), st.session_state.import_mode
        elif os.environ.get(ENV_INCIDENTS):
            path = Path(os.environ[ENV_INCIDENTS])
            result = imported(path.read_bytes(), path.name)
    except (ImportFileError, OSError) as exc:
        st.error(f"Import failed, the map keeps the data it had: {exc}")
        return ds, None
    if result is None:
        return ds, None
    digest = hashlib.sha1(result.incidents.to_json().encode()).hexdigest()[:8]  # noqa: S324
    label = f"{mode} shipped: {result.source_name} ({len(result.incidents)} imported, {digest})"
    return with_incidents(ds, result.incidents, mode=mode, label=label), result


def event_types(ds: Dataset) -> list[str]:
    """Event types present in the incidents, sorted."""
    return sorted(ds.incidents["event_type"].dropna().unique())


def init_state(ds: Dataset) -> None:
    """On a session's first run, take the view (or a story chapter) from the URL."""
    if "initialised" in st.session_state:
        return
    state = state_from_query(st.query_params.to_dict(), basemaps=BASEMAP_NAMES)
    st.session_state.update(initialised=True, playing=False, url_problems=list(state.problems))
    st.session_state.update(period=(state.start, state.end), basemap=state.basemap, mode="Explore")
    for name in TOGGLES:
        st.session_state[f"layer_{name}"] = name in state.layers
    types = state.event_types if state.event_types is not None else event_types(ds)
    st.session_state["event_types"] = [t for t in event_types(ds) if t in types]
    if "chapter" in st.query_params:
        try:
            go_chapter(story.chapter(st.query_params["chapter"]).id)
        except KeyError as exc:
            st.session_state["url_problems"].append(f"unknown chapter ignored: {exc}")


def go_chapter(chapter_id: str) -> None:
    """Callback: open a story chapter, which sets the period and layers."""
    ch = story.chapter(chapter_id)
    st.session_state.update(mode="Story", chapter=ch.id, period=(ch.start, ch.end), playing=False)
    for name in TOGGLES:
        st.session_state[f"layer_{name}"] = name in ch.layers


def apply_phase() -> None:
    """Callback: a phase preset sets the period."""
    st.session_state.update(period=PHASES[st.session_state["phase"]], playing=False)


def toggle_play() -> None:
    """Callback: start or stop stepping a window through the months."""
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing:
        st.session_state["period"] = play_start(*st.session_state["period"])


@st.fragment(run_every=1.5)
def player() -> None:
    """While playing, move the window one month on, then redraw the page."""
    st.session_state["next_period"] = play_step(*st.session_state["period"])
    st.rerun()


def sidebar(ds: Dataset) -> ViewState:
    """Draw the controls and return the view they describe."""
    if "next_period" in st.session_state:
        step = st.session_state.pop("next_period")
        st.session_state.update(period=step or st.session_state["period"], playing=bool(step))
    side = st.sidebar
    side.title("Mali 2012–2014")
    mode = side.segmented_control("Mode", MODES, key="mode", on_change=leave_or_enter_story)
    start, end = side.select_slider("Period", options=MONTHS, key="period")
    side.selectbox(
        "Jump to a phase of the crisis",
        PHASES,
        key="phase",
        index=None,
        placeholder="Choose a phase…",
        on_change=apply_phase,
    )
    playing = st.session_state.get("playing", False)
    side.button(
        "⏸ Pause" if playing else "▶ Play through the months",
        key="play",
        on_click=toggle_play,
        help="Steps a 3-month window one month at a time.",
    )
    side.subheader("Layers")
    shown = tuple(n for n, label in TOGGLES.items() if side.toggle(label, key=f"layer_{n}"))
    all_types = event_types(ds)
    with side.expander(f"Event types ({len(st.session_state['event_types'])} of {len(all_types)})"):
        types = st.multiselect("Event types", all_types, key="event_types", format_func=event_label)
    basemap = side.radio("Basemap", BASEMAP_NAMES, key="basemap")
    side.subheader("Your data")
    side.file_uploader(
        "Import incidents: ACLED, UCDP GED, CSV or GeoJSON",
        key="upload",
        max_upload_size=MAX_IMPORT_BYTES // 2**20,
    )
    side.radio(
        "Imported incidents",
        ("add", "replace"),
        key="import_mode",
        horizontal=True,
        format_func=lambda m: f"{m} the shipped ones",
    )
    filtered = None if set(types) == set(all_types) else tuple(types)
    state = ViewState(start, end, shown, filtered, basemap)
    if mode == "Story":
        st.query_params.from_dict({"chapter": st.session_state["chapter"]})
    else:
        query = state_to_query(state, all_types=all_types, basemaps=BASEMAP_NAMES)
        st.query_params.from_dict(query)
    return state


def leave_or_enter_story() -> None:
    """Callback: entering story mode opens the current (or first) chapter."""
    if st.session_state["mode"] == "Story":
        go_chapter(st.session_state.get("chapter", story.CHAPTERS[0].id))
    elif st.session_state["mode"] is None:
        st.session_state["mode"] = "Explore"


def story_panel() -> story.Chapter:
    """The current chapter: text, quotation, data checks, previous/next."""
    ch = story.chapter(st.session_state["chapter"])
    ids = [c.id for c in story.CHAPTERS]
    prev_id, next_id = story.neighbours(ch.id)
    st.subheader(f"Story {ids.index(ch.id) + 1}/{len(ids)}: {ch.title}")
    st.markdown(ch.text)
    st.markdown(f"> {ch.quote}\n>\n> — *{ch.quote_ref}*")
    for check in story.run_checks(ch, shipped()):
        with st.container(border=True):
            st.markdown(f"**{legend.verdict_badge(check.verdict)}** · {check.claim}")
            left, right = st.columns(2)
            left.markdown(f"**Briefing:** {check.claimed}")
            right.markdown(f"**Data:** {check.computed or 'no figure: ' + story.NO_DATA}")
            sources = " · ".join(f"[source {i + 1}]({u})" for i, u in enumerate(check.sources))
            st.caption(f"{check.method} {sources}")
    cols = st.columns(3)
    cols[0].button(
        "← Previous",
        key="story_prev",
        disabled=prev_id is None,
        on_click=go_chapter,
        args=(prev_id,),
    )
    cols[1].button(
        "Next →", key="story_next", disabled=next_id is None, on_click=go_chapter, args=(next_id,)
    )
    cols[2].button(
        "Explore from here",
        key="story_leave",
        on_click=lambda: st.session_state.update(mode="Explore"),
    )
    return ch


def headline_row(ds: Dataset, state: ViewState) -> None:
    """The figures for the period, each with its as-of date and source."""
    h = headline(ds, state.period, event_types=state.event_types)
    cols = st.columns(4)
    cols[0].metric(
        "Incidents in the period",
        f"{h.incidents:,}",
        help=f"{h.located:,} have a coordinate and are drawn; each links its source.",
    )
    cols[1].metric(
        "Fatalities reported",
        legend.fatality_text(h.fatalities_low, h.fatalities_high),
        help=f"{h.without_toll} incident(s) have no reported toll (unknown, not zero).",
    )
    for col, label, fig in ((cols[2], "Refugees abroad", h.refugees), (cols[3], "IDPs", h.idps)):
        note = legend.as_of_note(fig)
        col.metric(
            f"{label} (end of period)", f"{fig['people']:,}" if fig else "no figure", help=note
        )
        col.caption(note)


def import_report(result: ImportResult) -> None:
    """What the import read, accepted and rejected, with the rejected rows downloadable."""
    with st.expander(f"Import report: {result.source_name}: {result.summary()}", expanded=True):
        st.write(f"Format detected: **{result.format}**. Accepted + rejected = read.")
        if not result.rejected.empty:
            st.dataframe(result.rejected, hide_index=True, width="stretch")
            st.download_button(
                "Rejected rows as CSV",
                result.rejected.to_csv(index=False),
                file_name="rejected.csv",
                mime="text/csv",
                on_click="ignore",
            )


def downloads(layers: dict, ds: Dataset, state: ViewState) -> None:
    """GeoJSON of the visible layers (one file, and per layer) and the incidents as CSV."""
    label = state.period.label
    visible = {n: gdf for n, gdf in layers.items() if n in state.layers}
    st.download_button(
        "Download GeoJSON",
        dumps(combined_collection(visible)),
        file_name=f"mali_{label}.geojson",
        mime="application/geo+json",
        on_click="ignore",
        key="download_all",
        type="primary",
    )
    st.caption(
        "The visible layers in one FeatureCollection, each feature tagged with its "
        "`layer`; per layer, the same files as `python -m mali_geo export`."
    )
    for col, name in zip(st.columns(len(LAYERS)), LAYERS, strict=True):
        col.download_button(
            f"{name}.geojson",
            dumps(feature_collection(layers[name])),
            file_name=f"mali_{name}_{label}.geojson",
            on_click="ignore",
            mime="application/geo+json",
            key=f"download_{name}",
        )
    sel = incidents_in_period(ds.incidents, state.period, event_types=state.event_types)
    st.download_button(
        "Incidents as CSV",
        incidents_csv(sel),
        on_click="ignore",
        file_name=f"mali_incidents_{label}.csv",
        mime="text/csv",
        key="download_csv",
    )


def below_map(ds: Dataset, layers: dict, state: ViewState) -> None:
    """Charts, key events, downloads and sources, in tabs."""
    tabs = st.tabs(["Charts", "Key events", "Download", "Sources and coverage"])
    with tabs[0]:
        types = state.event_types
        sel = (
            ds.incidents if types is None else ds.incidents[ds.incidents["event_type"].isin(types)]
        )
        st.altair_chart(
            charts.monthly_chart(monthly_counts(sel, MONTHS), state.start, state.end),
            width="stretch",
        )
        st.caption(legend.MONTHLY_CAPTION)
        st.altair_chart(charts.refugees_chart(refugees_by_host(ds.displacement)), width="stretch")
        st.caption("Refugees from Mali by host country: UNHCR Refugee Data Finder (CC BY 4.0).")
    with tabs[1]:
        events = key_events_table(key_events_in_period(ds.key_events, state.period))
        st.dataframe(
            events,
            hide_index=True,
            width="stretch",
            column_config={"source_url": st.column_config.LinkColumn("Source")},
        )
    with tabs[2]:
        downloads(layers, ds, state)
    with tabs[3]:
        st.markdown(legend.SOURCES_MD)
        st.info(COVERAGE_NOTE)


def main() -> None:
    """Build the page."""
    ds, result = active_dataset()
    init_state(ds)
    state = sidebar(ds)
    if st.session_state.get("playing"):
        player()
    for problem in st.session_state.get("url_problems", ()):
        st.warning(f"Shared link: {problem}")
    st.title("Mali crisis map, 2012–2014")
    st.caption(f"Period **{state.start} to {state.end}** · incidents: {ds.incidents_label}")
    if result is not None:
        import_report(result)
    ch = story_panel() if state_is_story() else None
    headline_row(ds, state)
    layers = layers_for(ds, ds.incidents_label, state.start, state.end, state.event_types)
    if layers["towns"].empty:
        st.info(legend.EMPTY_PERIOD)
    context = context_layer(*context_data()) if "context" in state.layers else None
    groups = map_groups(layers, state.layers)
    if ch is not None:
        groups.append(highlight_layer(story.highlight_points(ch, shipped())))
    st_folium(
        base_map(state.basemap, context=context),
        key="map",
        feature_group_to_add=groups,
        center=ch.center if ch else None,
        zoom=ch.zoom if ch else None,
        returned_objects=[],
        height=620,
        use_container_width=True,
    )
    st.markdown(legend.legends_html(layers, state.layers), unsafe_allow_html=True)
    st.caption(legend.flows_note(flows_for(ds, state.period)))
    below_map(ds, layers, state)


def state_is_story() -> bool:
    """Whether the page is in story mode."""
    return st.session_state.get("mode") == "Story" and "chapter" in st.session_state


main()
