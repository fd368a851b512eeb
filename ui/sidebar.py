"""The sidebar: mode, period, phases, play, layers, event types, basemap and imports."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from layers.html import month
from layers.incidents import event_label
from mali_geo.config import REGION_DENSITIES
from mali_geo.dataset import ImportMode
from mali_geo.importer import MAX_IMPORT_BYTES
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
    side.radio(
        "Shade regions by",
        list(REGION_DENSITIES),
        key="density",
        format_func=lambda d: REGION_DENSITIES[d].capitalize(),
    )
    side.radio("Basemap", BASEMAPS, key="basemap")
    _import_controls()
    return state.view(all_types)


def _import_controls() -> None:
    side = st.sidebar
    side.subheader("Your data")
    side.file_uploader(
        "Import incidents: ACLED, UCDP GED, CSV or GeoJSON",
        key="upload",
        max_upload_size=MAX_IMPORT_BYTES // 2**20,
    )
    side.radio(
        "Imported incidents",
        [m.value for m in ImportMode],
        key="import_mode",
        horizontal=True,
        format_func=lambda m: f"{m} the shipped ones",
    )
