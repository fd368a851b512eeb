"""Mali 2012–2014 crisis map: the Streamlit page. Widgets wired to mali_geo and layers."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from layers import legend
from layers.assets import ensure_static_assets
from layers.html import period as period_words
from layers.incidents import event_label
from mali_geo import story
from mali_geo.catalogue import Layer
from mali_geo.dataset import ImportMode, flows_for
from mali_geo.errors import MaliGeoError
from mali_geo.period import month_range
from mali_geo.summary import shipped_only_note
from mali_geo.view import problems_message
from ui.compare import compare_panel
from ui.data import active_data, event_types, import_span, layers_for, months_of, shipped
from ui.feed import feed_key, feed_panel, map_focus, view_feed
from ui.map_files import map_downloads
from ui.map_panel import draw_map
from ui.page import close_drawer_on_narrow, page_style, story_keys
from ui.panels import below_map, headline_row, import_report, plain_source, without_paths
from ui.sidebar import sidebar
from ui.state import PageState
from ui.story import story_panel
from ui.text import literal

PLAY_STEP_S = 1.5
st.set_page_config(page_title="Mali crisis map 2012–2014", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner=False)
def static_assets() -> None:
    """Copy the map's offline assets next to the app, once per server (not on every rerun)."""
    ensure_static_assets(Path(__file__).resolve().parent / "static")


static_assets()


def page_state() -> PageState:
    """The typed session state of this visitor."""
    return PageState(st.session_state)


def go_chapter(chapter_id: str) -> None:
    """Callback: open a story chapter, which sets the period and layers."""
    page_state().open_chapter(story.chapter(chapter_id))


def on_mode() -> None:
    """Callback: entering story mode opens the current (or first) chapter."""
    state = page_state()
    if state.entering_story():
        go_chapter(state.chapter or story.CHAPTERS[0].id)


def on_play() -> None:
    """Callback: start or stop stepping a window through the months."""
    page_state().toggle_play()


def start_from_url(state: PageState, all_types: list[str]) -> None:
    """On a session's first run, take the view (or a story chapter) from the URL."""
    labels = {t: event_label(t) for t in all_types}
    params = st.query_params.to_dict()
    chapter_id = params.get("chapter", "").strip()
    if not state.open_from_url(params, labels) or not chapter_id:
        return
    try:
        go_chapter(story.chapter(chapter_id).id)
    except KeyError:
        state.report(f"chapter={chapter_id}")


@st.fragment(run_every=PLAY_STEP_S)
def player() -> None:
    """While playing, move the window one month on every step, then redraw the page.

    The fragment also runs inline in every full run; only a timed run (a step after the last
    one) moves the window, so a redraw does not trigger the next step at once.
    """
    if page_state().step_due(time.monotonic(), PLAY_STEP_S):
        st.rerun()


def main() -> None:
    """Build the page."""
    page_style()
    state = page_state()
    active = active_data(state.upload, state.import_mode, state.last_import)
    ds, result = active.dataset, active.result
    state.remember_import(active.source, active.error)
    all_types = event_types(ds)
    state.follow_data(ds.incidents_key, months_of(ds), all_types, import_span(active))
    start_from_url(state, all_types)
    state.take_step()
    months = month_range(*state.months)
    view = sidebar(state, months=months, all_types=all_types, on_mode=on_mode, on_play=on_play)
    st.query_params.from_dict(state.query(all_types))
    if active.error:
        st.error(literal(active.error))
    if state.url_problems:
        st.warning(literal(f"Shared link: {problems_message(state.url_problems)}"))
    with st.container(key="page_title"):
        st.title("Mali crisis map, 2012–2014")
    headline_row(ds, view, all_types=len(all_types))
    compare_panel(ds, view)
    chapter, map_col = None, st.container()
    if state.in_story:
        with st.container(key="story_layout"):
            story_col, map_col = st.columns([2, 3], gap="medium")
        with story_col:
            chapter = story_panel(shipped(), state, go_chapter)
            story_keys()
    layers = layers_for(ds, view.built_for)
    with map_col:
        feed, key = view_feed(ds, view), feed_key(ds, view)
        draw_map(
            ds, layers, view, chapter, density=view.density, focus=map_focus(ds, view, feed, key)
        )
    # Notes that come and go with the period sit under the map, so the map never moves.
    st.caption(f"**{period_words(view.start, view.end)}** · {literal(plain_source(ds))}")
    if not state.event_types:
        st.info("No event types selected: choose some under *Event types* in the controls.")
    elif layers[Layer.TOWNS].empty:
        st.info(legend.EMPTY_PERIOD)
    if note := shipped_only_note(view.period):
        st.info(note)
    map_downloads(layers, view)
    feed_panel(feed, key)
    if result is not None:
        import_report(result)
    if Layer.DISPLACEMENT in view.layers:
        with st.expander("Displacement flows: what is drawn and what is not"):
            st.caption(without_paths(legend.flows_note(flows_for(ds, view.period))))
    shipped_shown = active.source is None or active.source.mode is ImportMode.ADD
    below_map(
        ds, layers, view, months, result, shipped_shown=shipped_shown, all_types=len(all_types)
    )
    close_drawer_on_narrow(state.control_changes())
    if state.playing:
        player()  # last on the page, so starting a play does not shift (and remount) the map


def page() -> None:
    """The page, with the project's errors shown as one line (never a traceback or a path)."""
    try:
        main()
    except MaliGeoError as exc:
        st.error(literal(f"The page cannot be shown: {exc}"))
    except OSError as exc:
        st.error(literal(f"The page cannot be shown: a data file cannot be read ({exc.strerror})"))


page()
