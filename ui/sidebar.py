"""The sidebar: mode, period, phases, play, layers, event types, basemap and imports."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from layers.html import month
from layers.incidents import event_label
from mali_geo.actors import GROUP_ORDER, default_actor_groups
from mali_geo.config import REGION_DENSITIES
from mali_geo.dataset import ImportMode
from mali_geo.importer import MAX_IMPORT_BYTES, UPLOAD_LIMIT_HINT
from mali_geo.view import PHASES, TOGGLES, ViewState
from ui.state import BASEMAPS, Mode, PageState


def sidebar(
    state: PageState,
    *,
    months: Sequence[str],
    all_types: Sequence[str],
    on_mode: Callable[[], None],
    on_play: Callable[[], None],
) -> ViewState:
    """Draw the controls and return the view they describe.

    Parameters
    ----------
    state
        The page's state, which the controls are bound to.
    months
        The months the period slider offers (every month of the active data).
    all_types
        The event types offered.
    on_mode, on_play
        Callbacks of the mode control and the play button.
    """
    side = st.sidebar
    side.title("Mali 2012–2014")
    side.segmented_control("Mode", [m.value for m in Mode], key="mode", on_change=on_mode)
    # The slider's key changes whenever the app sets the period (URL, preset, play, chapter),
    # so it is drawn anew with that value; a user's move is read from its return value.
    start, end = side.select_slider(
        "Period",
        options=months,
        value=state.period,
        format_func=month,
        key=state.period_widget_key,
        on_change=state.leave_story,
    )
    state.choose_period((start, end))
    state.sync_phase()
    side.selectbox(
        "Jump to a phase of the crisis",
        PHASES,
        key="phase",
        index=None,
        placeholder="Choose a phase…",
        on_change=state.apply_phase,
    )
    side.button(
        "Pause" if state.playing else "▶ Play through the months",
        key="play",
        on_click=on_play,
        help="Steps a 3-month window one month at a time.",
    )
    side.subheader("Layers")
    for name, label in TOGGLES.items():  # a layer switched inside a story keeps the story
        side.toggle(label, key=state.layer_key(name))
    with side.expander(f"Event types ({len(state.event_types)} of {len(all_types)})"):
        st.multiselect(
            "Event types",
            all_types,
            key="event_types",
            format_func=event_label,
            on_change=state.leave_story,
        )
    _actor_control(state)
    _compare_controls(state, months)
    side.radio(
        "Shade regions by",
        list(REGION_DENSITIES),
        key="density",
        format_func=lambda d: REGION_DENSITIES[d].capitalize(),
    )
    side.radio("Basemap", BASEMAPS, key="basemap")
    _import_controls()
    return state.view(all_types)


def _actor_control(state: PageState) -> None:
    labels = default_actor_groups().labels
    with st.sidebar.expander(f"Actors ({len(state.actors)} of {len(GROUP_ORDER)} groups)"):
        st.multiselect(
            "Actor groups",
            GROUP_ORDER,
            key="actors",
            format_func=lambda g: labels.get(g, g),
            on_change=state.leave_story,
            help="Incidents involving at least one of the chosen groups (see the data README).",
        )


def _compare_controls(state: PageState, months: Sequence[str]) -> None:
    side = st.sidebar
    side.toggle("Compare two periods", key="compare_on", help="Periods A and B side by side.")
    if state.compare is None:
        return
    version = state.compare_widget_version  # a new key when code set the periods
    a = side.select_slider(
        "Period A", options=months, value=state.compare_range("a"), key=f"compare_a_{version}"
    )
    b = side.select_slider(
        "Period B", options=months, value=state.compare_range("b"), key=f"compare_b_{version}"
    )
    state.choose_compare(a, b)


def _import_controls() -> None:
    side = st.sidebar
    side.subheader("Your data")
    side.file_uploader(
        "Import incidents: ACLED, UCDP GED, CSV or GeoJSON",
        key="upload",
        max_upload_size=MAX_IMPORT_BYTES // 2**20,
        help=UPLOAD_LIMIT_HINT,
    )
    side.radio(
        "Imported incidents",
        [m.value for m in ImportMode],
        key="import_mode",
        horizontal=True,
        format_func=lambda m: f"{m} the shipped ones",
    )
