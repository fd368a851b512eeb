"""A story chapter may compare two periods (front matter ``compare``): read and applied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mali_geo import story
from mali_geo.period import make_period
from mali_geo.story.content import STORY_DIR
from mali_geo.story.model import StoryContentError
from ui.state import PageState

COMPARE = 'compare = "2012-04..2012-12,2013-01..2013-04"\n'


@pytest.fixture
def story_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(STORY_DIR, tmp_path / "story"))


def _with_compare(story_dir: Path, line: str) -> Path:
    path = story_dir / "chapters" / "05-myth-4.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("+++\n", "+++\n" + line, 1), encoding="utf-8")
    return path


def _load(story_dir: Path) -> dict[str, story.Chapter]:
    loaded = story.load_story(story_dir / "chapters", story_dir / "claims.toml")
    return {c.id: c for c in loaded}


def test_a_chapter_may_compare_two_periods(story_copy: Path) -> None:
    _with_compare(story_copy, COMPARE)
    chapters = _load(story_copy)
    assert chapters["myth-4"].compare == (
        make_period("2012-04", "2012-12"),
        make_period("2013-01", "2013-04"),
    )
    assert chapters["context"].compare is None


def test_a_bad_comparison_names_the_file(story_copy: Path) -> None:
    _with_compare(story_copy, 'compare = "2013-04..2013-01"\n')
    with pytest.raises(StoryContentError, match=r"05-myth-4\.md.*compare"):
        _load(story_copy)


def test_opening_a_comparing_chapter_switches_compare_mode_on_and_off(story_copy: Path) -> None:
    _with_compare(story_copy, COMPARE)
    chapters = _load(story_copy)
    state = PageState({})
    state.open_chapter(chapters["myth-4"])
    assert state.compare == chapters["myth-4"].compare
    state.open_chapter(chapters["context"])
    assert state.compare is None
