"""Mali 2012–2014 crisis map: the Streamlit page. Widgets wired to mali_geo and layers."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from layers import legend
from layers.assets import ensure_static_assets
from layers.drawing import legends_html
from mali_geo import config, story
from mali_geo.catalogue import Layer
from mali_geo.dataset import flows_for
from mali_geo.period import month_range
from ui.data import active_dataset, event_types, layers_for, shipped
from ui.map_panel import draw_map
from ui.panels import below_map, headline_row, import_report
from ui.sidebar import sidebar
from ui.state import PageState
from ui.story import story_panel

MONTHS = month_range(config.FIRST_MONTH, config.LAST_MONTH)
PLAY_STEP_S = 1.5
st.set_page_config(page_title="Mali crisis map 2012–2014", page_icon="🗺️", layout="wide")
ensure_static_assets(Path(__file__).resolve().parent / "static")


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
    page_state().toggle_play(time.monotonic())


def start_from_url(state: PageState, all_types: list[str]) -> None:
    """On a session's first run, take the view (or a story chapter) from the URL."""
    if (
        not state.open_from_url(st.query_params.to_dict(), all_types)
        or "chapter" not in st.query_params
    ):
        return
    try:
        go_chapter(story.chapter(st.query_params["chapter"]).id)
    except KeyError as exc:
        state.report(f"unknown chapter ignored: {exc}")


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
    state = page_state()
    ds, result = active_dataset(state.upload, state.import_mode)
    all_types = event_types(ds)
    start_from_url(state, all_types)
    state.take_step()
    view = sidebar(state, months=MONTHS, all_types=all_types, on_mode=on_mode, on_play=on_play)
    st.query_params.from_dict(state.query(all_types))
    for problem in state.url_problems:
        st.warning(f"Shared link: {problem}")
    st.title("Mali crisis map, 2012–2014")
    st.caption(f"Period **{view.start} to {view.end}** · incidents: {ds.incidents_label}")
    if result is not None:
        import_report(result)
    headline_row(ds, view)
    chapter, map_col = None, st.container()
    if state.in_story:
        story_col, map_col = st.columns([2, 3], gap="medium")
        with story_col:
            chapter = story_panel(shipped(), state, go_chapter)
    layers = layers_for(ds, view.built_for)
    with map_col:
        if layers[Layer.TOWNS].empty:
            st.info(legend.EMPTY_PERIOD)
        draw_map(ds, layers, view, chapter)
        st.markdown(legends_html(layers, view.layers), unsafe_allow_html=True)
    if Layer.DISPLACEMENT in view.layers:
        with st.expander("Displacement flows: what is drawn and what is not"):
            st.caption(legend.flows_note(flows_for(ds, view.period)))
    below_map(ds, layers, view, MONTHS)
    if state.playing:
        player()  # last on the page, so starting a play does not shift (and remount) the map


main()
