"""A view and its URL form (mali_geo.view), and the page state that holds it (ui.state)."""

from __future__ import annotations

import pytest

from mali_geo import view
from mali_geo.view import DEFAULT_LAYERS, PHASES, TOGGLES, ViewState
from ui.state import BASEMAPS, Mode, PageState

TYPES = ("air_strike", "battle", "suicide_attack")


def test_an_empty_query_is_the_default_view() -> None:
    state = view.state_from_query({})
    assert state == ViewState()
    assert state.problems == ()
    assert view.state_to_query(state, all_types=TYPES) == {}


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2013-01", "end": "2013-04"},
        {"layers": "towns,bases"},
        {"layers": "towns,bases", "context": "0"},
        {"context": "0"},
        {"types": "battle"},
        {"basemap": BASEMAPS[1]},
        {"start": "2012-03", "end": "2012-03", "layers": "incidents", "types": "air_strike,battle"},
    ],
)
def test_a_view_survives_its_url(query: dict[str, str]) -> None:
    state = view.state_from_query(query)
    assert state.problems == ()
    written = view.state_to_query(state, all_types=TYPES)
    assert view.state_from_query(written) == state
    if query != {"context": "0"}:  # the context alone off is written with the layers shown
        assert written == query


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"start": "2015-01", "end": "2015-02"}, "period ignored"),
        ({"start": "2013-05", "end": "2013-01"}, "period ignored"),
        ({"layers": "towns,dragons"}, "unknown layer ignored: dragons"),
        ({"layers": "dragons"}, "no known layer in the link"),
        ({"basemap": "satellite"}, "unknown basemap ignored: satellite"),
    ],
)
def test_bad_values_are_ignored_and_reported(query: dict[str, str], problem: str) -> None:
    state = view.state_from_query(query)
    assert any(problem in p for p in state.problems), state.problems
    assert (state.start, state.end) <= ("2014-12", "2014-12")
    assert state.basemap in BASEMAPS
    assert set(state.layers) <= set(TOGGLES)


def test_known_layers_keep_the_toggle_order_and_the_context() -> None:
    state = view.state_from_query({"layers": "bases,regions"})
    assert state.layers == ("regions", "bases", "context")


def test_a_filter_keeping_every_type_is_not_written() -> None:
    state = ViewState(event_types=TYPES)
    assert "types" not in view.state_to_query(state, all_types=TYPES)


def test_the_default_layers_leave_the_incidents_off() -> None:
    assert "incidents" not in DEFAULT_LAYERS
    assert set(DEFAULT_LAYERS) < set(TOGGLES)


def test_play_steps_a_window_to_the_last_month_and_stops() -> None:
    assert view.play_start("2013-01", "2013-12") == ("2013-01", "2013-03")
    assert view.play_start("2014-11", "2014-12") == (
        "2012-01",
        "2012-03",
    )  # no room: from the start
    assert view.play_step("2013-01", "2013-03") == ("2013-02", "2013-04")
    assert view.play_step("2014-10", "2014-12") is None


def test_phases_are_valid_periods() -> None:
    for start, end in PHASES.values():
        assert ViewState(start, end).period.start <= ViewState(start, end).period.end


# --- ui.state: the same, held in the session ------------------------------------------------


def started(query: dict[str, str]) -> PageState:
    state = PageState({})
    assert state.open_from_url(query, list(TYPES))
    return state


def test_the_page_starts_from_the_url_once() -> None:
    state = started({"start": "2013-01", "end": "2013-04", "layers": "towns", "types": "battle"})
    assert state.period == ("2013-01", "2013-04")
    assert state.shown_layers() == ("towns", "context")
    assert state.event_types == ["battle"]
    assert state.mode is Mode.EXPLORE
    assert not state.open_from_url({}, list(TYPES))  # a second run keeps the session's view
    assert state.period == ("2013-01", "2013-04")


def test_the_page_state_writes_back_the_url_it_was_opened_with() -> None:
    query = {"start": "2013-01", "end": "2013-04", "layers": "towns", "types": "battle"}
    assert started(query).query(list(TYPES)) == query


def test_setting_the_period_from_code_redraws_the_slider() -> None:
    state = started({})
    key = state.period_widget_key
    state.choose_period(("2013-01", "2013-02"))  # the slider's own move: no redraw
    assert state.period_widget_key == key
    state.set_period(("2013-03", "2013-04"))
    assert state.period_widget_key != key
    assert state.period == ("2013-03", "2013-04")


def test_a_chapter_sets_period_and_layers_and_the_url_names_it() -> None:
    state = started({})

    class Chapter:
        id, start, end, layers = "myth-1", "2012-04", "2013-01", ("regions", "bases")

    state.open_chapter(Chapter())
    assert state.in_story
    assert state.period == ("2012-04", "2013-01")
    assert state.shown_layers() == ("regions", "bases")
    assert state.query(list(TYPES)) == {"chapter": "myth-1"}
    state.leave_story()
    assert state.mode is Mode.EXPLORE
    assert state.query(list(TYPES))["layers"] == "regions,bases"


def test_play_moves_the_window_when_a_step_is_due() -> None:
    state = started({"start": "2014-09", "end": "2014-12"})
    state.toggle_play(now=100.0)
    assert state.playing
    assert state.period == ("2014-09", "2014-11")
    assert not state.step_due(now=100.5, interval=1.5)
    assert state.step_due(now=102.0, interval=1.5)
    state.take_step()
    assert state.period == ("2014-10", "2014-12")
    assert state.step_due(now=104.0, interval=1.5)
    state.take_step()  # no month left: play stops where it is
    assert not state.playing
    assert state.period == ("2014-10", "2014-12")
