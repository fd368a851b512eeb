"""The Streamlit page, run headless with AppTest: map layers, period, filters, URL state."""

from __future__ import annotations

import re

import pytest
from app_helpers import map_args, map_features, metrics, run_app, shown, warnings
from streamlit.testing.v1 import AppTest

from layers.incidents import event_label
from mali_geo.catalogue import build_layers
from mali_geo.dataset import load_dataset
from mali_geo.period import make_period
from ui.panels import types_slug


@pytest.fixture(scope="module")
def at() -> AppTest:
    return run_app()


def test_app_runs_and_shows_the_whole_range(at: AppTest) -> None:
    assert not at.exception
    assert at.session_state["period"] == ("2012-01", "2014-12")
    shown = metrics(at)
    assert shown["Incidents"] == "465"
    assert shown["Refugees abroad"] == "139,249"
    layers = map_features(at)
    assert set(layers) == {
        "Regions",
        "Refugees and IDPs (where counted)",
        "Towns with incidents",
        "Bases",
        "Key events",
    }
    assert len(layers["Regions"]) == 9


def test_map_holds_what_the_export_gives_for_the_period(at: AppTest) -> None:
    expected = build_layers(load_dataset(), make_period("2012-01", "2014-12"))
    layers = map_features(at)
    assert len(layers["Towns with incidents"]) == len(expected["towns"])
    assert len(layers["Bases"]) == len(expected["bases"])
    circles = expected["displaced"]
    assert len(layers["Refugees and IDPs (where counted)"]) == len(circles)


def test_flows_are_a_toggle_beside_the_circles() -> None:
    at = run_app(layers="displacement")
    expected = build_layers(load_dataset(), make_period("2012-01", "2014-12"))
    drawn_flows = expected["displacement"].geometry.notna().sum()
    assert len(map_features(at)["Displacement flows"]) == drawn_flows


def test_period_change_changes_map_and_headline() -> None:
    at = run_app()
    before_towns = len(map_features(at)["Towns with incidents"])
    at.select_slider[0].set_value(("2013-01", "2013-01")).run()
    assert not at.exception
    after = map_features(at)
    assert len(after["Towns with incidents"]) < before_towns
    expected = build_layers(load_dataset(), make_period("2013-01", "2013-01"))
    assert len(after["Towns with incidents"]) == len(expected["towns"])
    shown = metrics(at)
    assert shown["Incidents"] == str(int(expected["regions"]["incidents"].sum()))
    assert shown["Refugees abroad"] == "149,930"  # UNHCR, 31 Dec 2012
    assert at.query_params["start"] == "2013-01"
    assert at.query_params["end"] == "2013-01"


def test_switching_a_toggle_off_removes_the_layer() -> None:
    at = run_app()
    assert "Bases" in map_features(at)
    at.toggle(key="layer_bases").set_value(False).run()
    assert "Bases" not in map_features(at)
    at.toggle(key="layer_incidents").set_value(True).run()
    assert len(map_features(at)["Incidents"]) == 344
    at.toggle(key="layer_context").set_value(False).run()
    assert "Neighbouring countries" not in map_args(at)["script"]
    assert at.query_params["layers"] == "regions,towns,incidents,displaced,key_events"
    assert at.query_params["context"] == "0"


def test_event_type_filter_keeps_only_those_types() -> None:
    at = run_app(layers="incidents,towns")
    at.multiselect(key="event_types").set_value(["suicide_attack"]).run()
    assert not at.exception
    incidents = map_features(at)["Incidents"]
    assert 0 < len(incidents) < 344
    assert all(event_label("suicide_attack") in f["properties"]["_tooltip"] for f in incidents)
    assert metrics(at)["Incidents (Suicide attack only)"] == "19"
    assert at.query_params["types"] == "suicide_attack"


def test_query_parameters_restore_the_view() -> None:
    at = run_app(
        start="2013-01", end="2013-04", layers="towns,incidents", types="battle,air_strike"
    )
    assert not at.exception
    assert at.session_state["period"] == ("2013-01", "2013-04")
    assert at.toggle(key="layer_towns").value is True
    assert at.toggle(key="layer_regions").value is False
    assert sorted(at.multiselect(key="event_types").value) == ["air_strike", "battle"]
    assert at.toggle(key="layer_context").value is True  # the basemap stays unless context=0
    layers = map_features(at)
    assert set(layers) == {"Towns with incidents", "Incidents"}
    types = {f["properties"]["_tooltip"].rsplit("· ", 1)[1] for f in layers["Incidents"]}
    assert types <= {event_label("battle"), event_label("air_strike")}


def test_a_link_with_no_known_layer_falls_back_to_the_defaults() -> None:
    at = run_app(layers="foo")
    assert not at.exception
    assert at.toggle(key="layer_regions").value is True
    assert warnings(at) == ["Shared link: ignored layer foo."]


def test_bad_query_parameters_are_reported_not_fatal() -> None:
    at = run_app(start="2013-13", layers="towns,volcanoes")
    assert not at.exception
    assert warnings(at) == ["Shared link: ignored start=2013-13, layer volcanoes."]
    assert at.session_state["period"] == ("2012-01", "2014-12")


def test_an_empty_selection_explains_itself() -> None:
    at = run_app(start="2014-01", end="2014-12", types="coup_mutiny")
    assert not at.exception
    assert metrics(at)["Incidents (Coup / mutiny only)"] == "0"
    assert any("No incident with a coordinate" in i.value for i in at.info)
    assert "Towns with incidents" not in map_features(at)


def test_phase_preset_sets_the_period() -> None:
    at = run_app()
    at.selectbox(key="phase").set_value("French-led intervention (Jan–Apr 2013)").run()
    assert at.session_state["period"] == ("2013-01", "2013-04")


def test_play_starts_a_three_month_window() -> None:
    at = run_app(start="2013-01", end="2013-12")
    at.button(key="play").click().run()
    assert at.session_state["playing"] is True
    assert at.session_state["period"] == ("2013-01", "2013-03")


def test_map_assets_are_served_by_the_app(at: AppTest) -> None:
    args = map_args(at)
    links = [*args["js_links"], *args["css_links"]]
    assert links
    assert all(link.startswith("/app/static/") for link in links)


def test_sources_and_coverage_are_credited(at: AppTest) -> None:
    text = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    for credit in ("Natural Earth", "GeoNames", "© OpenStreetMap contributors", "UNHCR"):
        assert credit in text
    assert "thinner in 2014" in text


# --- hostile links ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        ({"start": "2013-\u0660\u0661", "end": "2013-04"}, "start=2013-\u0660\u0661"),
        ({"start": "2013-01", "end": "2013-\uff11\uff12"}, "end=2013-\uff11\uff12"),
        ({"types": "dragons"}, "type dragons"),
    ],
)
def test_non_ascii_digits_and_unknown_types_are_ignored_with_one_warning(
    query: dict[str, str], ignored: str
) -> None:
    at = run_app(**query)
    assert not at.exception
    assert len(at.warning) == 1
    assert ignored in warnings(at)[0]
    assert at.session_state["period"] == ("2012-01", "2014-12")
    assert metrics(at)["Incidents"] == "465"


def test_a_link_with_thousands_of_bad_values_gives_one_short_warning() -> None:
    at = run_app(layers=",".join(f"x{i}" for i in range(5000)), types="Battle")
    assert not at.exception
    assert len(at.warning) == 1
    assert warnings(at)[0].endswith("and 4,995 more.")
    assert len(at.warning[0].value) < 300
    assert at.multiselect(key="event_types").value == ["battle"]  # the label as shown


def test_empty_and_padded_values_are_as_if_absent_or_trimmed() -> None:
    at = run_app(start="", end=" 2013-04 ", layers="")
    assert not at.exception
    assert not at.warning
    assert at.session_state["period"] == ("2012-01", "2013-04")


@pytest.mark.parametrize(
    "value",
    [
        "[Session expired, log in again](https://evil.example)",
        "![x](http://evil.example/pixel.png)",
        "<img src=x onerror=alert(1)>",
        ":red[**urgent**] https://evil.example www.evil.example",
    ],
)
def test_echoed_link_values_are_literal_text(value: str) -> None:
    at = run_app(chapter=value)
    assert not at.exception
    (warning,) = at.warning
    assert shown(warning.value).startswith(f"Shared link: ignored chapter={value[:30]}")
    # Every Markdown, HTML and directive character is escaped: nothing can form a link,
    # an image, a tag, a colour or a bare URL.
    assert not re.search(r"(?<!\\)[\[\]()!<>:*]", warning.value)


# --- the phase box ----------------------------------------------------------------------------

PHASE = "French-led intervention (Jan–Apr 2013)"


def test_clearing_the_phase_box_is_harmless_and_the_phase_can_be_picked_again() -> None:
    at = run_app()
    at.selectbox(key="phase").set_value(PHASE).run()
    assert at.selectbox(key="phase").value == PHASE
    at.selectbox(key="phase").set_value(None).run()  # its clear button, or Escape
    assert not at.exception
    assert at.session_state["period"] == ("2013-01", "2013-04")
    at.selectbox(key="phase").set_value(PHASE).run()
    at.select_slider[0].set_value(("2013-02", "2013-06")).run()
    assert at.selectbox(key="phase").value is None  # the period is no longer that phase
    at.selectbox(key="phase").set_value(PHASE).run()
    assert not at.exception
    assert at.session_state["period"] == ("2013-01", "2013-04")
    assert at.selectbox(key="phase").value == PHASE


def test_regions_can_be_shaded_by_people_and_the_link_keeps_it() -> None:
    at = run_app()
    assert "per 10,000 km" in map_args(at)["feature_group"]
    at.radio(key="density").set_value("people").run()
    assert not at.exception
    assert at.query_params["density"] == "people"
    assert "per 100,000 people" in map_args(at)["feature_group"]
    again = run_app(density="people")
    assert again.radio(key="density").value == "people"
    assert warnings(run_app(density="votes")) == ["Shared link: ignored density=votes."]


def test_the_filter_is_named_in_the_headline_and_the_file_names() -> None:
    at = run_app()
    at.multiselect(key="event_types").set_value(["battle"]).run()
    assert "Incidents (Battle only)" in metrics(at)
    # The download file names carry the filter (the bytes are not reachable from AppTest).
    assert types_slug(("battle",), 13) == "_battle"
    assert types_slug(("battle", "air_strike", "riot_protest"), 13) == "_3-of-13-types"
    assert types_slug(None, 13) == ""
    at.multiselect(key="event_types").set_value(["battle", "air_strike", "riot_protest"]).run()
    assert any(re.fullmatch(r"Incidents \(3 of \d+ types\)", k) for k in metrics(at))


def test_no_event_type_selected_says_so() -> None:
    at = run_app()
    at.multiselect(key="event_types").set_value([]).run()
    assert not at.exception
    assert any("No event types selected" in i.value for i in at.info)


def test_months_are_words_on_the_page_and_iso_in_the_link() -> None:
    at = run_app(start="2013-01", end="2013-04")
    assert at.select_slider[0].value == ("2013-01", "2013-04")
    assert at.select_slider[0].options[0] == "Jan 2012"
    captions = " ".join(c.value for c in at.caption)
    assert "Jan 2013 – Apr 2013" in captions
    assert at.query_params["start"] == "2013-01"
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not re.search(r"\(s\)", " ".join(texts))


def test_no_paths_or_commands_on_the_page() -> None:
    at = run_app(layers="displacement")
    texts = [c.value for c in at.caption] + [m.help or "" for m in at.metric]
    for text in texts:
        assert "geodata/" not in text
        assert "python -m" not in text


def test_approximate_incidents_get_a_ring_in_metres() -> None:
    at = run_app(layers="incidents")
    script = map_args(at)["feature_group"]
    assert "L.circle(" in script
    assert ", 25000]" in script
    assert ", 75000]" in script
