"""The page around the map in a real browser: the map leads, on a desktop and on a phone.

Checks where the map sits and how big it is, that nothing above it moves when the period
changes, the controls drawer on a phone, the phase box, the story's navigation (buttons, list,
arrow keys), its fitted map and labels that do not collide, and the approximate locations.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import MAP_IFRAME, wait_for_idle, wait_for_map
from playwright.sync_api import FrameLocator, Page, expect

from layers.highlight import CLASS
from layers.html import month
from mali_geo import story

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1500, "height": 1000}
PHONE = {"width": 400, "height": 850}
REGIONS = 'path.leaflet-interactive[stroke="#555555"]'
RINGS = f"path.{CLASS}"
DASHED = 'path[stroke-dasharray="4 4"]'


def open_page(page: Page, base_url: str, size: dict[str, int], query: str = "") -> FrameLocator:
    page.set_viewport_size(size)
    page.goto(f"{base_url}/{query}")
    frame = wait_for_map(page)
    wait_for_idle(page)
    return frame


def map_box(page: Page) -> dict[str, float]:
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    return box


def errors_on_page(page: Page) -> int:
    return page.locator('[data-testid="stException"]').count()


def test_the_map_leads_on_a_desktop(page: Page, streamlit_server: str) -> None:
    frame = open_page(page, streamlit_server, DESKTOP)
    box = map_box(page)
    assert box["y"] <= 400
    assert box["height"] >= 550
    assert box["y"] + box["height"] <= DESKTOP["height"] + 1  # the whole map in the first screen
    # The Leaflet map fills its frame (st_folium's own height is only a fallback).
    inner = frame.locator(".leaflet-container").bounding_box()
    assert inner is not None
    assert abs(inner["height"] - box["height"]) <= 2
    # The headline figures sit in one row above the map.
    tops = [m.bounding_box()["y"] for m in page.locator('[data-testid="stMetric"]').all()]
    assert len(tops) == 4
    assert max(tops) - min(tops) <= 2
    assert max(tops) < box["y"]
    # The old legend under the map is gone: the legend is on the map.
    expect(frame.locator(".mali-legend")).to_be_visible()


def test_the_map_is_sized_to_the_window(page: Page, streamlit_server: str) -> None:
    open_page(page, streamlit_server, DESKTOP)
    tall = map_box(page)["height"]
    page.set_viewport_size({"width": 1500, "height": 800})
    page.wait_for_function(
        "([sel, h]) => document.querySelector(sel).getBoundingClientRect().height < h - 150",
        arg=[MAP_IFRAME, tall],
    )


def test_nothing_above_the_map_moves_when_the_period_changes(
    page: Page, streamlit_server: str
) -> None:
    frame = open_page(page, streamlit_server, DESKTOP, "?start=2014-10&end=2014-12")
    before = map_box(page)
    end = page.get_by_role("slider", name="Period — end")
    for _ in range(2):  # into months with no incident, then back
        end.focus()
        end.press("Home")
        expect(frame.locator(".mali-stamp")).to_have_text("Oct 2014")
        wait_for_idle(page)
        assert map_box(page)["y"] == before["y"]
        end.focus()
        end.press("End")
        expect(frame.locator(".mali-stamp")).to_have_text("Oct 2014 – Dec 2014")
        wait_for_idle(page)
        assert map_box(page)["y"] == before["y"]


def test_the_map_leads_on_a_phone_and_the_drawer_closes_after_a_change(
    page: Page, streamlit_server: str
) -> None:
    frame = open_page(page, streamlit_server, PHONE)
    box = map_box(page)
    assert box["y"] <= 425
    assert box["y"] + 200 <= PHONE["height"]  # a good part of the map in the first screen
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    wait_for_idle(page)
    label = sidebar.get_by_text("Bases (who held them)")
    expect(label).to_be_in_viewport()  # the drawer has slid in
    label.click()
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # the map shows again
    expect(frame.locator(REGIONS).first).to_be_attached()
    assert "layers=" in page.url
    assert errors_on_page(page) == 0


def test_the_phase_box_picks_and_clears_without_an_error(page: Page, streamlit_server: str) -> None:
    frame = open_page(page, streamlit_server, DESKTOP)
    box = page.get_by_role("combobox", name=re.compile("Jump to a phase"))
    box.click()
    page.get_by_role("option", name=re.compile("French-led intervention")).click()
    expect(frame.locator(".mali-stamp")).to_have_text("Jan 2013 – Apr 2013")
    wait_for_idle(page)
    page.locator("[data-testid=stSidebar]").get_by_role("button", name="Clear value").click()
    wait_for_idle(page)
    expect(frame.locator(".mali-stamp")).to_have_text("Jan 2013 – Apr 2013")  # nothing changed
    box.click()
    page.keyboard.press("Escape")
    wait_for_idle(page)
    box.click()
    page.get_by_role("option", name=re.compile("Rebellion and coup")).click()
    expect(frame.locator(".mali-stamp")).to_have_text("Jan 2012 – Mar 2012")
    assert errors_on_page(page) == 0
    assert page.console_errors == []


def heading(page: Page, chapter: story.Chapter) -> Any:
    return page.get_by_role("heading", name=f": {chapter.title}").first


def test_story_navigation_by_buttons_list_and_arrow_keys(page: Page, streamlit_server: str) -> None:
    chapters = story.CHAPTERS
    open_page(page, streamlit_server, DESKTOP, f"?chapter={chapters[0].id}")
    expect(heading(page, chapters[0])).to_be_visible()
    page.get_by_role("button", name="Next →").click()
    expect(heading(page, chapters[1])).to_be_visible()
    wait_for_idle(page)
    page.get_by_role("button", name="← Previous").click()
    expect(heading(page, chapters[0])).to_be_visible()
    wait_for_idle(page)
    page.locator("body").press("ArrowRight")
    expect(heading(page, chapters[1])).to_be_visible()
    expect(page).to_have_url(f"{streamlit_server}/?chapter={chapters[1].id}")
    wait_for_idle(page)
    page.locator("body").press("ArrowLeft")
    expect(heading(page, chapters[0])).to_be_visible()
    wait_for_idle(page)
    page.locator(".st-key-story_nav").get_by_role("combobox").click()
    page.get_by_role("option", name=f"7. {chapters[6].title}").click()
    expect(heading(page, chapters[6])).to_be_visible()
    start = page.get_by_role("slider").first
    expect(start).to_have_attribute("aria-valuetext", month(chapters[6].start))
    assert errors_on_page(page) == 0


def test_story_keeps_the_map_and_the_navigation_in_view(page: Page, streamlit_server: str) -> None:
    open_page(page, streamlit_server, DESKTOP, "?chapter=myth-4")
    # Read down to the end of the chapter: its last line at the bottom of the window.
    page.evaluate(
        """() => {
            const text = document.querySelector('.st-key-story_layout [data-testid="stColumn"]');
            const main = document.querySelector('[data-testid="stMain"]');
            main.scrollTop += text.getBoundingClientRect().bottom - window.innerHeight;
        }"""
    )
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop > 300"
    )
    box = map_box(page)
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= DESKTOP["height"] + 1  # the whole map still in view
    nav = page.locator(".st-key-story_nav").bounding_box()
    assert nav is not None
    assert 0 <= nav["y"] <= 200


@pytest.mark.parametrize("chapter", story.CHAPTERS, ids=lambda c: c.id)
def test_each_chapter_fits_its_places_with_labels_apart(
    page: Page, streamlit_server: str, chapter: story.Chapter
) -> None:
    frame = open_page(page, streamlit_server, DESKTOP, f"?chapter={chapter.id}")
    expect(frame.locator(RINGS)).to_have_count(len(chapter.highlight))
    expect(frame.locator(".leaflet-tooltip")).to_have_count(len(chapter.highlight))
    inner = page.locator(MAP_IFRAME).element_handle().content_frame()
    assert inner is not None
    # Labels are placed after the fit, and again after any move: wait until none collide.
    inner.wait_for_function(LABELS_APART, arg=len(chapter.highlight))
    rings = inner.evaluate(
        f"() => Array.from(document.querySelectorAll({RINGS!r}))"
        ".map(e => e.getBoundingClientRect().toJSON())"
    )
    container = inner.evaluate(
        "() => document.querySelector('.leaflet-container').getBoundingClientRect().toJSON()"
    )
    for ring in rings:  # every place inside the map
        assert container["left"] <= ring["x"] + ring["width"] / 2 <= container["right"]
        assert container["top"] <= ring["y"] + ring["height"] / 2 <= container["bottom"]


#: Whether ``n`` labels are drawn and no two overlap by more than a tenth of the smaller one.
LABELS_APART = """n => {
    const boxes = Array.from(document.querySelectorAll('.leaflet-tooltip'))
        .map(e => e.getBoundingClientRect());
    if (boxes.length !== n) { return false; }
    for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
            const a = boxes[i], b = boxes[j];
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            const small = Math.min(a.width * a.height, b.width * b.height);
            if (w > 0 && h > 0 && w * h > 0.1 * small) { return false; }
        }
    }
    return true;
}"""


def test_approximate_incidents_have_a_dashed_ring(page: Page, streamlit_server: str) -> None:
    frame = open_page(page, streamlit_server, DESKTOP, "?layers=incidents")
    expect(frame.locator(DASHED).first).to_be_attached()
    expect(frame.locator(".mali-precision-key")).to_be_attached()


def test_story_on_a_phone_puts_the_map_on_top(page: Page, streamlit_server: str) -> None:
    open_page(page, streamlit_server, PHONE, "?chapter=myth-4")
    box = map_box(page)
    assert box["y"] <= 425
    text = page.get_by_role("heading", name=": Myth 4").first.bounding_box()
    assert text is not None
    assert text["y"] > box["y"] + box["height"] - 1  # the chapter's text under the map
    buttons = [page.get_by_role("button", name=n).bounding_box() for n in ("← Previous", "Next →")]
    assert abs(buttons[0]["y"] - buttons[1]["y"]) <= 2  # the navigation in one row
