"""Story mode in a real browser: walk every chapter with next/previous, open one by URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import wait_for_idle, wait_for_map
from playwright.sync_api import Page, expect

from layers.html import month
from mali_geo import story

pytestmark = pytest.mark.browser
RINGS = 'path.leaflet-interactive[stroke="#00bcd4"]'


def heading(page: Page, chapter: story.Chapter) -> object:
    return page.get_by_role("heading", name=f": {chapter.title}").first


def test_walk_the_whole_story(page: Page, streamlit_server: str, artifacts_dir: Path) -> None:
    chapters = story.CHAPTERS
    page.goto(f"{streamlit_server}/?chapter={chapters[0].id}")
    frame = wait_for_map(page)
    for i, chapter in enumerate(chapters):
        expect(heading(page, chapter)).to_be_visible()
        expect(page).to_have_url(f"{streamlit_server}/?chapter={chapter.id}")
        start = page.get_by_role("slider").first
        expect(start).to_have_attribute("aria-valuetext", month(chapter.start))
        expect(frame.locator(RINGS).first).to_be_attached()
        if i == 4:
            page.screenshot(path=artifacts_dir / "story.png")
        if i < len(chapters) - 1:
            wait_for_idle(page)  # a click during a rerun may hit the old page's button
            page.get_by_role("button", name="Next →").click()
    wait_for_idle(page)
    expect(page.get_by_role("button", name="Next →")).to_be_disabled()
    page.get_by_role("button", name="← Previous").click()
    expect(heading(page, chapters[-2])).to_be_visible()
    assert page.aborted_urls == []


def test_open_a_chapter_from_its_url_and_leave_it(page: Page, streamlit_server: str) -> None:
    chapter = story.chapter("myth-4")
    page.goto(f"{streamlit_server}/?chapter=myth-4")
    frame = wait_for_map(page)
    expect(heading(page, chapter)).to_be_visible()
    expect(page.get_by_text("Konna (taken 10 Jan 2013) is 52 km from Sévaré")).to_be_visible()
    expect(frame.locator(RINGS)).to_have_count(len(chapter.highlight))
    wait_for_idle(page)
    page.get_by_role("button", name="Explore here").click()
    expect(heading(page, chapter)).to_have_count(0)
    expect(page).to_have_url(
        f"{streamlit_server}/?start=2013-01&end=2013-01&layers=incidents%2Cbases%2Ckey_events"
    )
