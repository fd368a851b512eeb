"""Mali 2012–2014 crisis map: the Streamlit page. Widgets wired to mali_geo and layers."""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import streamlit as st

from layers import legend
from layers.assets import ensure_static_assets
from layers.basemap import BASEMAPS, base_map
from layers.context import context_layer
from layers.drawing import drawn_layers, legends_html, map_group
from layers.highlight import highlight_layer
from layers.incidents import event_label
from mali_geo import config, story
from mali_geo.catalogue import SPECS, Layer, View, build_layers
from mali_geo.context import simplified
from mali_geo.dataset import Dataset, flows_for, load_dataset, with_incidents
from mali_geo.errors import ImportFileError
from mali_geo.importer import MAX_IMPORT_BYTES, ImportResult, import_bytes
from mali_geo.period import Period, month_range
from mali_geo.view import (
    PHASES,
    TOGGLES,
    ViewState,
    play_start,
    play_step,
    state_from_query,
    state_to_query,
)
from ui.cached_map import RenderedGroups, RenderedMap, combine, render_group, render_map, show_map
from ui.panels import below_map, headline_row, import_report
from ui.story import story_panel

MONTHS = month_range(config.FIRST_MONTH, config.LAST_MONTH)
BASEMAP_NAMES = list(BASEMAPS)
MODES = ("Explore", "Story")
ENV_INCIDENTS = "MALI_GEO_INCIDENTS"
T = TypeVar("T")
PLAY_STEP_S = 1.5
st.set_page_config(page_title="Mali crisis map 2012–2014", page_icon="🗺️", layout="wide")
ensure_static_assets(Path(__file__).resolve().parent / "static")


@st.cache_resource(show_spinner=False)
def shipped() -> Dataset:
    """The shipped data, loaded and validated once per server."""
    return settled(load_dataset())


# cache_resource, not cache_data: cache_data would pickle and copy 100,000 imported rows on
# every rerun. The cached objects are shared between sessions and never mutated.
@st.cache_resource(show_spinner="Importing…", max_entries=8)
def imported(
    _read: Callable[[], bytes], source: str, name: str, mode: str
) -> tuple[Dataset, ImportResult]:
    """Import a user's file and combine it with the shipped data.

    Cached per ``source`` (an upload's id, or a path with its size and modification time),
    so a rerun neither reads nor hashes the file (20 MB at 100,000 incidents: ~40 ms).
    """
    data = _read()
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - a cache key, not security
    result = import_bytes(data, source_name=name)
    verb = "added to the shipped ones" if mode == "add" else "in place of the shipped ones"
    label = f"{len(result.incidents):,} imported from {name}, {verb}"
    key = f"{mode}:{digest}"  # the same file added or replacing gives different incidents
    ds = with_incidents(shipped(), result.incidents, mode=mode, label=label, key=key)
    return settled((ds, result))


def settled(value: T) -> T:
    """Return ``value`` after freezing every object alive now (the data, the libraries).

    Python's full garbage collections would otherwise rescan them all on many reruns (up to
    0.15 s, at random); frozen objects are still freed when nothing refers to them.
    """
    gc.freeze()
    return value


# At 100,000 incidents one period's layers hold ~40 MB (the incidents layer): 8 stay cached.
@st.cache_resource(show_spinner=False, max_entries=8)
def layers_for(_ds: Dataset, key: str, start: str, end: str, types: tuple | None) -> dict:
    """Layers for a period (cached per dataset, period and event types; never mutated)."""
    return build_layers(_ds, Period(start, end), event_types=types)


@st.cache_resource(show_spinner=False)
def context_data() -> tuple:
    """Context layers simplified for display, computed once."""
    ds = shipped()
    return simplified(ds.countries), simplified(ds.niger), simplified(ds.lakes)


def active_dataset() -> tuple[Dataset, ImportResult | None]:
    """The shipped data, or with the imported incidents (launch variable or upload)."""
    upload = st.session_state.get("upload")
    try:
        if upload is not None:
            mode = st.session_state.import_mode
            return imported(upload.getvalue, f"upload {upload.file_id}", upload.name, mode)
        if os.environ.get(ENV_INCIDENTS):
            path = Path(os.environ[ENV_INCIDENTS])
            stat = path.stat()
            source = f"{path.resolve()} {stat.st_size} {stat.st_mtime_ns}"
            return imported(path.read_bytes, source, path.name, "replace")
        return shipped(), None
    except (ImportFileError, OSError) as exc:
        st.error(f"Import failed, the map keeps the data it had: {exc}")
        return shipped(), None


def event_types(ds: Dataset) -> list[str]:
    """Event types present in the incidents, sorted."""
    return sorted(ds.incidents["event_type"].dropna().unique())


def init_state(ds: Dataset) -> None:
    """On a session's first run, take the view (or a story chapter) from the URL."""
    if "initialised" in st.session_state:
        return
    state = state_from_query(st.query_params.to_dict(), basemaps=BASEMAP_NAMES)
    st.session_state.update(initialised=True, playing=False, url_problems=list(state.problems))
    set_period((state.start, state.end))
    st.session_state.update(basemap=state.basemap, mode="Explore")
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
    st.session_state.update(mode="Story", chapter=ch.id, playing=False)
    set_period((ch.start, ch.end))
    for name in TOGGLES:
        st.session_state[f"layer_{name}"] = name in ch.layers


def set_period(period: tuple[str, str]) -> None:
    """Set the period from code (not from the slider): the slider is redrawn with it."""
    st.session_state["period"] = tuple(period)
    st.session_state["period_version"] = st.session_state.get("period_version", 0) + 1


def apply_phase() -> None:
    """Callback: a phase preset sets the period."""
    set_period(PHASES[st.session_state["phase"]])
    st.session_state["playing"] = False


def toggle_play() -> None:
    """Callback: start or stop stepping a window through the months."""
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing:
        set_period(play_start(*st.session_state["period"]))
        st.session_state["last_step"] = time.monotonic()


@st.fragment(run_every=PLAY_STEP_S)
def player() -> None:
    """While playing, move the window one month on every step, then redraw the page.

    The fragment also runs inline in every full run; only a timed run (a step after the last
    one) moves the window, so a redraw does not trigger the next step at once.
    """
    now = time.monotonic()
    if now - st.session_state.get("last_step", 0.0) < PLAY_STEP_S * 0.9:
        return
    st.session_state["last_step"] = now
    st.session_state["next_period"] = play_step(*st.session_state["period"])
    st.rerun()


def sidebar(ds: Dataset) -> ViewState:
    """Draw the controls and return the view they describe."""
    if "next_period" in st.session_state:
        step = st.session_state.pop("next_period")
        set_period(step or st.session_state["period"])
        st.session_state["playing"] = bool(step)
    side = st.sidebar
    side.title("Mali 2012–2014")
    mode = side.segmented_control("Mode", MODES, key="mode", on_change=leave_or_enter_story)
    # The slider's key changes whenever the app sets the period (URL, preset, play, chapter),
    # so it is drawn anew with that value; a user's move is read from its return value.
    version = st.session_state["period_version"]
    start, end = side.select_slider(
        "Period",
        options=MONTHS,
        value=st.session_state["period"],
        key=f"period_{version}",
        on_change=leave_story,
    )
    st.session_state["period"] = (start, end)
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
        "Pause" if playing else "▶ Play through the months",
        key="play",
        on_click=toggle_play,
        help="Steps a 3-month window one month at a time.",
    )
    side.subheader("Layers")
    shown = tuple(
        n
        for n, label in TOGGLES.items()
        if side.toggle(label, key=f"layer_{n}", on_change=leave_story)
    )
    all_types = event_types(ds)
    with side.expander(f"Event types ({len(st.session_state['event_types'])} of {len(all_types)})"):
        types = st.multiselect(
            "Event types",
            all_types,
            key="event_types",
            format_func=event_label,
            on_change=leave_story,
        )
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


def leave_story() -> None:
    """Callback: changing a control during the story leaves it, keeping the view."""
    if st.session_state.get("mode") == "Story":
        st.session_state["mode"] = "Explore"


def leave_or_enter_story() -> None:
    """Callback: entering story mode opens the current (or first) chapter."""
    if st.session_state["mode"] == "Story":
        go_chapter(st.session_state.get("chapter", story.CHAPTERS[0].id))
    elif st.session_state["mode"] is None:
        st.session_state["mode"] = "Explore"


def main() -> None:
    """Build the page."""
    ds, result = active_dataset()
    init_state(ds)
    state = sidebar(ds)
    for problem in st.session_state.get("url_problems", ()):
        st.warning(f"Shared link: {problem}")
    st.title("Mali crisis map, 2012–2014")
    st.caption(f"Period **{state.start} to {state.end}** · incidents: {ds.incidents_label}")
    if result is not None:
        import_report(result)
    headline_row(ds, state)
    ch, map_col = None, st.container()
    if state_is_story():
        story_col, map_col = st.columns([2, 3], gap="medium")
        with story_col:
            ch = story_panel(shipped(), go_chapter)
    layers = layers_for(ds, ds.incidents_key, state.start, state.end, state.event_types)
    with map_col:
        if layers["towns"].empty:
            st.info(legend.EMPTY_PERIOD)
        draw_map(layers, state, ch, ds.incidents_key)
        st.markdown(legends_html(layers, state.layers), unsafe_allow_html=True)
    if "displacement" in state.layers:
        with st.expander("Displacement flows: what is drawn and what is not"):
            st.caption(legend.flows_note(flows_for(ds, state.period)))
    below_map(ds, layers, state, MONTHS)
    if st.session_state.get("playing"):
        player()  # last on the page, so starting a play does not shift (and remount) the map


def draw_map(layers: dict, state: ViewState, ch: story.Chapter | None, data_key: str) -> None:
    """The map: a fixed base (context) plus the period's layers, added without a remount.

    Both are rendered to JavaScript once and cached (see ui/cached_map.py): the base per
    basemap, each layer per what it depends on (bases and flows stay when only the start
    moves). st_folium would render the whole map again on every rerun.
    """
    base = rendered_base(state.basemap, "context" in state.layers)
    view = View(state.start, state.end, state.event_types)
    parts = [
        rendered_layer(
            layers[layer], data_key, layer, i, SPECS[layer].cache_key(layers[layer], view)
        )
        for i, layer in enumerate(drawn_layers(layers, state.layers))
    ]
    if ch is not None:
        parts.append(rendered_highlight(ch.id, len(parts)))
    center, zoom = (ch.center, ch.zoom) if ch else (None, None)
    show_map(base, combine(parts), key="map", height=620, center=center, zoom=zoom)


@st.cache_resource(show_spinner=False, max_entries=4)
def rendered_base(basemap: str, context: bool) -> RenderedMap:
    """The base map (tiles, context, attribution), rendered once per basemap and context."""
    over_tiles = BASEMAPS.get(basemap) is not None
    layer = context_layer(*context_data(), over_tiles=over_tiles) if context else None
    return render_map(base_map(basemap, context=layer))


@st.cache_resource(show_spinner=False, max_entries=128)
def rendered_layer(
    _gdf: gpd.GeoDataFrame, data_key: str, layer: Layer, position: int, key: tuple
) -> RenderedGroups:
    """One data layer rendered at its position on the map, once per content (``key``)."""
    return render_group(map_group(layer, _gdf), position)


@st.cache_resource(show_spinner=False, max_entries=16)
def rendered_highlight(chapter: str, position: int) -> RenderedGroups:
    """A story chapter's highlighted places, rendered once."""
    points = story.highlight_points(story.chapter(chapter), shipped())
    return render_group(highlight_layer(points), position)


def state_is_story() -> bool:
    """Whether the page is in story mode."""
    return st.session_state.get("mode") == "Story" and "chapter" in st.session_state


main()
