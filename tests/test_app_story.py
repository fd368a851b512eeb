"""Story mode in the app (AppTest): each chapter sets the map and can be left to explore."""

from __future__ import annotations

import pytest
from app_helpers import map_args, map_features, warnings
from streamlit.testing.v1 import AppTest

from mali_geo import story
from mali_geo.config import PROJECT_DIR
from mali_geo.dataset import load_dataset
from mali_geo.view import TOGGLES
from ui.story import plain

APP = str(PROJECT_DIR / "app.py")
LAYER_NAMES = {
    "regions": "Regions",
    "towns": "Towns with incidents",
    "incidents": "Incidents",
    "bases": "Bases",
    "displacement": "Displacement flows",
    "key_events": "Key events",
}


def open_chapter(chapter_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["chapter"] = chapter_id
    return at.run()


@pytest.mark.parametrize("chapter", story.CHAPTERS, ids=lambda c: c.id)
def test_every_chapter_renders_and_sets_period_and_layers(chapter: story.Chapter) -> None:
    at = open_chapter(chapter.id)
    assert not at.exception
    assert at.session_state["mode"] == "Story"
    assert at.session_state["period"] == (chapter.start, chapter.end)
    for name in TOGGLES:
        assert at.session_state[f"layer_{name}"] == (name in chapter.layers), name
    headings = [h.value for h in at.subheader]
    assert any(chapter.title in h for h in headings)
    drawn = set(map_features(at))
    # Only the chapter's data layers are drawn (a declared layer may be empty in the period).
    assert drawn <= {LAYER_NAMES[n] for n in chapter.layers if n in LAYER_NAMES}
    args = map_args(at)
    rings = args["feature_group"].count('"color": "#00bcd4"')
    assert rings == len(story.highlight_points(chapter, load_dataset()))
    assert rings >= 1
    # The map fits the chapter's places in the browser, not a fixed zoom and centre.
    assert args["zoom"] is None
    assert "fitBounds" in args["feature_group"]
    assert f"maxZoom: {float(chapter.zoom)}" in args["feature_group"]
    assert at.query_params["chapter"] == chapter.id


def test_every_data_check_shows_a_figure_or_says_no_data() -> None:
    at = open_chapter("mali-2014")
    text = " ".join(m.value for m in at.markdown)
    assert "**Data:** 5 of 5 towns" in text
    assert "560,000" in text


def test_next_and_previous_walk_the_story() -> None:
    at = open_chapter("context")
    ids = [c.id for c in story.CHAPTERS]
    for expected in ids[1:]:
        at.button(key="story_next").click().run()
        assert at.session_state["chapter"] == expected
    assert at.button(key="story_next").disabled
    at.button(key="story_prev").click().run()
    assert at.session_state["chapter"] == ids[-2]


def test_leaving_the_story_keeps_the_chapter_view() -> None:
    at = open_chapter("myth-4")
    chapter = story.chapter("myth-4")
    at.button(key="story_leave").click().run()
    assert at.session_state["mode"] == "Explore"
    assert at.session_state["period"] == (chapter.start, chapter.end)
    assert "chapter" not in at.query_params
    assert at.query_params["start"] == chapter.start


def test_an_unknown_chapter_is_reported() -> None:
    at = open_chapter("myth-9")
    assert not at.exception
    assert warnings(at) == ["Shared link: ignored chapter=myth-9."]
    assert at.session_state["mode"] == "Explore"


def test_changing_the_period_leaves_the_story_with_its_view() -> None:
    at = open_chapter("mali-2014")
    at.select_slider[0].set_value(("2013-02", "2013-11")).run()
    assert at.session_state["mode"] == "Explore"
    assert at.session_state["period"] == ("2013-02", "2013-11")
    assert "chapter" not in at.query_params


def test_a_layer_switched_inside_a_story_keeps_the_story() -> None:
    at = open_chapter("mali-2014")
    at.toggle(key="layer_regions").set_value(True).run()
    assert at.session_state["mode"] == "Story"
    assert at.query_params["chapter"] == "mali-2014"
    assert "Regions" in map_features(at)


def test_entering_the_story_and_back_returns_to_the_users_view() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(start="2013-05", end="2013-08", layers="incidents")
    at.run()
    at.segmented_control(key="mode").set_value("Story").run()
    assert at.session_state["chapter"] is not None
    assert at.session_state["period"] != ("2013-05", "2013-08")
    at.segmented_control(key="mode").set_value("Explore").run()
    assert not at.exception
    assert at.session_state["period"] == ("2013-05", "2013-08")
    assert set(map_features(at)) == {"Incidents"}


def test_story_text_is_plain_words() -> None:
    text = plain("Konna (taken 2013-01-10): 3 attack(s), 1 attack(s); suicide_attack, ied_landmine")
    assert text == "Konna (taken 10 Jan 2013): 3 attacks, 1 attack; suicide attack, IED / landmine"
