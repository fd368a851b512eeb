"""The incident feed under the map: the period's incidents as a list; a click flies the map."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from layers.focus import NO_FOCUS, Focus, incident_focus, key_event_focus
from layers.incidents import event_label
from mali_geo.dataset import Dataset
from mali_geo.feed import FEED_COLUMNS, Feed, incident_feed
from mali_geo.key_events import key_events_in_period
from mali_geo.view import ViewState
from ui.data import selection_for

ORDER_KEY = "feed_order"
#: Which list was clicked last ("feed" or "key_events"): the map flies to its row.
FOCUS_FROM = "focus_from"
ORDERS: tuple[str, ...] = ("Newest first", "Oldest first")


def view_feed(ds: Dataset, view: ViewState) -> Feed:
    """The feed of a view: the incidents the map shows (period, types, actors), in order."""
    sel = selection_for(ds, view.built_for)
    types = {str(t): event_label(str(t)) for t in ds.coded.event_type.values}
    newest = st.session_state.get(ORDER_KEY, ORDERS[0]) == ORDERS[0]
    return incident_feed(sel, newest_first=newest, type_labels=types)


def feed_key(ds: Dataset, view: ViewState) -> str:
    """The list's widget key: a new view (or order) is a new list, with nothing selected."""
    order = st.session_state.get(ORDER_KEY, ORDERS[0])
    text = repr((ds.incidents_key, view.built_for, order))
    return "feed_" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def chosen_focus(feed: Feed, key: str) -> Focus | None:
    """The incident clicked in the list, if it has a coordinate (read before the map is drawn)."""
    state = st.session_state.get(key)
    rows = [] if state is None else list(state["selection"]["rows"])
    if not rows or rows[0] >= len(feed.rows):
        return None
    row = feed.rows.iloc[rows[0]]
    if pd.isna(row["lat"]) or pd.isna(row["lon"]):
        return None
    return incident_focus(row)


def map_focus(ds: Dataset, view: ViewState, feed: Feed, key: str) -> Focus:
    """Where the map flies: the row clicked last in the feed or the key events, else nowhere."""
    if st.session_state.get(FOCUS_FROM) == "key_events":
        focus = chosen_key_event(ds, view)
    else:
        focus = chosen_focus(feed, key)
    return focus or NO_FOCUS


def on_feed_click() -> None:
    """Callback of the feed's selection: the map flies to the feed's row."""
    st.session_state[FOCUS_FROM] = "feed"


def on_key_event_click() -> None:
    """Callback of the key events' selection: the map flies to the key event's row."""
    st.session_state[FOCUS_FROM] = "key_events"


def key_events_key(view: ViewState) -> str:
    """The key-events table's widget key: a new period is a new table, nothing selected."""
    return f"key_events_{view.start}_{view.end}"


def chosen_key_event(ds: Dataset, view: ViewState) -> Focus | None:
    """The key event clicked in its table (in the tab below the map), if it has a coordinate."""
    state = st.session_state.get(key_events_key(view))
    rows = [] if state is None else list(state["selection"]["rows"])
    events = key_events_in_period(ds.key_events, view.period).reset_index(drop=True)
    if not rows or rows[0] >= len(events):
        return None
    row = events.iloc[rows[0]]
    if pd.isna(row["lat"]) or pd.isna(row["lon"]):
        return None
    return key_event_focus(row)


def feed_panel(feed: Feed, key: str) -> None:
    """The list: order, rows (click one to fly the map to it), and what is left out."""
    st.subheader(f"Incidents in the period ({feed.total:,})")
    st.segmented_control("Order", ORDERS, key=ORDER_KEY, default=ORDERS[0])
    st.dataframe(
        feed.rows[list(FEED_COLUMNS)],
        key=key,
        on_select=on_feed_click,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=320,
        column_config={
            "date": st.column_config.TextColumn("Date", width="small"),
            "place": "Place",
            "type": "Type",
            "toll": st.column_config.TextColumn("Fatalities", width="small"),
            "summary": st.column_config.TextColumn("What", width="large"),
            "source_url": st.column_config.LinkColumn("Source", display_text="source"),
        },
    )
    note = "Click a row to fly the map to the incident and open its popup."
    if feed.more:
        note += f" {feed.more:,} more in the download (Incidents as CSV)."
    st.caption(note)
