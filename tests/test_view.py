"""A view and its URL form (mali_geo.view), and the page state that holds it (ui.state)."""

from __future__ import annotations

import pytest

from mali_geo import view
from mali_geo.view import DEFAULT_LAYERS, PHASES, TOGGLES, ViewState
from ui.state import BASEMAPS, Mode, PageState

TYPES = ("air_strike", "battle", "suicide_attack")
LABELS = {"air_strike": "Air strike", "battle": "Battle", "suicide_attack": "Suicide attack"}


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
        ({"start": "2015-01", "end": "2015-02"}, "start=2015-01"),
        ({"start": "2013-05", "end": "2013-01"}, "end=2013-01"),
        ({"start": "2013-\u0660\u0661"}, "start=2013-\u0660\u0661"),
        ({"end": "2013-\uff11\uff12"}, "end=2013-\uff11\uff12"),
        ({"layers": "towns,dragons"}, "layer dragons"),
        ({"layers": "dragons"}, "layer dragons"),
        ({"basemap": "satellite"}, "basemap=satellite"),
        ({"context": "maybe"}, "context=maybe"),
        ({"zoom": "3"}, "parameter zoom"),
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
    assert state.open_from_url(query, LABELS)
    return state


def test_the_page_starts_from_the_url_once() -> None:
    state = started({"start": "2013-01", "end": "2013-04", "layers": "towns", "types": "battle"})
    assert state.period == ("2013-01", "2013-04")
    assert state.shown_layers() == ("towns", "context")
    assert state.event_types == ["battle"]
    assert state.mode is Mode.EXPLORE
    assert not state.open_from_url({}, LABELS)  # a second run keeps the session's view
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
        compare = None

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
    state.toggle_play()
    assert state.playing
    assert state.period == ("2014-09", "2014-11")
    assert not state.step_due(now=100.0, interval=1.5)  # the first window drawn: clock starts
    assert not state.step_due(now=100.5, interval=1.5)
    assert state.step_due(now=102.0, interval=1.5)
    state.take_step()
    assert state.period == ("2014-10", "2014-12")
    assert state.step_due(now=104.0, interval=1.5)
    state.take_step()  # no month left: play stops where it is
    assert not state.playing
    assert state.period == ("2014-10", "2014-12")


def test_a_slow_first_run_does_not_skip_the_first_window() -> None:
    state = started({"start": "2013-01", "end": "2013-12"})
    state.toggle_play()
    # The run that drew the first window took 5 s (a busy server): no step yet.
    assert not state.step_due(now=105.0, interval=1.5)
    assert state.period == ("2013-01", "2013-03")
    assert state.step_due(now=106.5, interval=1.5)


# --- hostile and sloppy links --------------------------------------------------------------


def test_values_are_trimmed_and_empty_ones_count_as_absent() -> None:
    state = view.state_from_query({"start": " 2013-01 ", "end": "2013-04\n", "types": ""})
    assert (state.start, state.end) == ("2013-01", "2013-04")
    assert state.event_types is None
    assert state.problems == ()
    assert view.state_from_query({"start": "", "end": "", "layers": " "}) == ViewState()


def test_thousands_of_bad_values_make_one_short_message() -> None:
    layers = ",".join(f"dragon{i}" for i in range(5000))
    state = view.state_from_query({"layers": layers, "start": "2013-\u0660\u0661"})
    message = view.problems_message(state.problems)
    assert message.startswith("ignored start=2013-\u0660\u0661, layer dragon0,")
    assert message.endswith("and 4,996 more.")
    assert len(message) < 200


def test_types_accept_labels_and_ids_ignoring_case_and_report_the_rest() -> None:
    state = view.state_from_query({"types": "BATTLE, air strike,dragons"}, type_labels=LABELS)
    assert state.event_types == ("battle", "air_strike")
    assert state.problems == ("type dragons",)
    only_unknown = view.state_from_query({"types": "dragons"}, type_labels=LABELS)
    assert only_unknown.event_types is None  # nothing known: every type, and a warning


def test_the_url_period_may_span_the_imported_data() -> None:
    state = view.state_from_query(
        {"start": "1997-01", "end": "2026-10"}, first="1997-01", last="2026-10"
    )
    assert (state.start, state.end) == ("1997-01", "2026-10")
    assert view.state_to_query(state, all_types=TYPES, first="1997-01", last="2026-10") == {}
    shipped = view.state_from_query({"start": "1997-01", "end": "2026-10"})
    assert (shipped.start, shipped.end) == ("2012-01", "2014-12")
    assert shipped.problems == ("start=1997-01", "end=2026-10")


# --- the phase box, story mode and the data the page follows ---------------------------------

PHASE = "French-led intervention (Jan–Apr 2013)"


def test_clearing_the_phase_box_changes_nothing() -> None:
    state = started({})
    state.store["phase"] = PHASE
    state.apply_phase()
    assert state.period == ("2013-01", "2013-04")
    state.sync_phase()
    assert state.store["phase"] == PHASE  # shown while the period is that phase
    state.store["phase"] = None  # the box's clear button, or Escape
    state.apply_phase()
    assert state.period == ("2013-01", "2013-04")


def test_the_phase_box_clears_when_the_period_moves_so_it_can_be_picked_again() -> None:
    state = started({})
    state.store["phase"] = PHASE
    state.apply_phase()
    state.choose_period(("2013-02", "2013-04"))
    state.sync_phase()
    assert state.store["phase"] is None
    state.store["phase"] = PHASE
    state.apply_phase()
    assert state.period == ("2013-01", "2013-04")


class Myth1:
    id, start, end, layers = "myth-1", "2012-04", "2013-01", ("regions", "bases")
    compare = None


def test_leaving_the_story_with_the_mode_control_returns_to_the_users_view() -> None:
    state = started(
        {"start": "2013-05", "end": "2013-08", "layers": "incidents", "types": "battle"}
    )
    state.store["mode"] = Mode.STORY.value
    assert state.entering_story()
    state.open_chapter(Myth1())
    assert state.period == ("2012-04", "2013-01")
    state.store[state.layer_key("towns")] = True  # a layer switched inside the story
    assert state.in_story
    state.store["mode"] = Mode.EXPLORE.value
    assert not state.entering_story()
    assert state.period == ("2013-05", "2013-08")
    assert state.shown_layers() == ("incidents", "context")
    assert state.event_types == ["battle"]


def test_a_new_dataset_shows_its_whole_span_with_every_type() -> None:
    state = started({"types": "battle"})
    state.follow_data("shipped", ("2012-01", "2014-12"), TYPES, ("2012-01", "2014-12"))
    assert state.event_types == ["battle"]  # the same data: the user's filter stays
    state.follow_data("add:1", ("1997-01", "2026-10"), [*TYPES, "other"], ("1997-01", "2026-10"))
    assert state.months == ("1997-01", "2026-10")
    assert state.period == ("1997-01", "2026-10")
    assert state.event_types == [*TYPES, "other"]
    assert state.query([*TYPES, "other"]) == {}
    state.store["playing"] = True
    state.toggle_play()
    state.toggle_play()
    assert state.period == ("1997-01", "1997-03")  # play runs over the data's months


def test_region_shading_lives_in_the_url() -> None:
    people = ViewState(density="people")
    query = view.state_to_query(people, all_types=TYPES)
    assert query == {"density": "people"}
    assert view.state_from_query(query) == people
    assert "density" not in view.state_to_query(ViewState(), all_types=TYPES)  # the default


def test_an_unknown_shading_is_reported_and_the_default_kept() -> None:
    state = view.state_from_query({"density": "votes"})
    assert state.density == "area"
    assert state.problems == ("density=votes",)


def test_the_page_state_reads_the_shading_from_the_url() -> None:
    store: dict[str | int, object] = {}
    state = PageState(store)
    state.open_from_url({"density": "people"}, LABELS)
    assert state.view(list(TYPES)).density == "people"
    assert state.query(list(TYPES))["density"] == "people"


def test_control_changes_are_counted_once_per_change() -> None:
    store: dict[str | int, object] = {}
    state = PageState(store)
    state.open_from_url({}, LABELS)
    assert state.control_changes() == 0  # the first run is no change
    assert state.control_changes() == 0  # nor is a rerun with the same view
    store["layer_bases"] = not store["layer_bases"]
    assert state.control_changes() == 1
    state.set_period(("2013-01", "2013-04"))
    assert state.control_changes() == 2
    assert state.control_changes() == 2
