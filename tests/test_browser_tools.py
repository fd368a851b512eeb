"""The analyst tools in a real browser: the incident feed flies the map; the map as a PNG.

Every wait polls the page (Playwright's ``expect`` and ``wait_for_function``); nothing sleeps.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import PROJECT_DIR, wait_for_idle, wait_for_map
from PIL import Image
from playwright.sync_api import Page, expect
from test_browser_map import REGIONS, TOWNS, in_map, wait_in_map

from mali_geo.catalogue import build_layers
from mali_geo.dataset import load_dataset
from mali_geo.feed import incident_feed
from mali_geo.incidents import incidents_in_period
from mali_geo.key_events import key_events_in_period
from mali_geo.period import make_period

pytestmark = pytest.mark.browser

FEED = '[class*="st-key-feed_"] [data-testid="stDataFrame"]'
COMPARE_SCREENSHOT = PROJECT_DIR / "docs" / "compare.png"
#: Glide data grid: header and row heights in CSS pixels.
ROW_PX = 35


def test_clicking_an_incident_in_the_feed_flies_the_map_and_opens_its_popup(
    page: Page, streamlit_server: str
) -> None:
    page.goto(f"{streamlit_server}/?start=2013-01&end=2013-01")
    frame = wait_for_map(page)
    frame.locator(REGIONS).first.wait_for()
    wait_for_idle(page)
    sel = incidents_in_period(load_dataset().incidents, make_period("2013-01", "2013-01"))
    first = incident_feed(sel).rows.iloc[0]
    assert first.lat == first.lat  # the newest incident of January 2013 has a coordinate
    grid = page.locator(FEED)
    grid.scroll_into_view_if_needed()
    expect(grid).to_be_visible()
    grid.click(position={"x": 16, "y": ROW_PX + ROW_PX / 2})  # the first row's selection box
    wait_in_map(page, "(m, key) => m.getContainer().dataset.focus === key", first.incident_id)
    popup = frame.locator(".mali-focus .mali-popup")
    expect(popup).to_contain_text(str(first.place))
    centre = in_map(frame, "m => [m.getCenter().lat, m.getCenter().lng]")
    assert centre == pytest.approx([first.lat, first.lon], abs=0.01)
    assert in_map(frame, "m => m.getZoom()") >= 9


def test_map_png_download_opens_as_a_picture(page: Page, streamlit_server: str) -> None:
    page.goto(f"{streamlit_server}/?start=2013-01&end=2013-04")
    wait_for_map(page).locator(REGIONS).first.wait_for()
    wait_for_idle(page)
    button = page.get_by_role("button", name="Download map (PNG)")
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename.endswith(".png")
    path = download.value.path()
    image = Image.open(io.BytesIO(path.read_bytes()))
    assert image.format == "PNG"
    assert image.size == (1200, 900)


def test_brushing_months_on_the_monthly_chart_sets_the_period(
    page: Page, streamlit_server: str
) -> None:
    page.goto(streamlit_server)
    wait_for_map(page).locator(REGIONS).first.wait_for()
    wait_for_idle(page)
    chart = page.locator(
        '[class*="st-key-monthly_chart"] canvas, [class*="st-key-monthly_chart"] svg'
    )
    chart.first.scroll_into_view_if_needed()
    expect(chart.first).to_be_visible()
    area = chart.first.bounding_box()
    assert area is not None
    y = area["y"] + area["height"] * 0.5
    page.mouse.move(area["x"] + area["width"] * 0.35, y)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.5, y, steps=8)
    page.mouse.up()
    page.wait_for_function("() => new URL(location.href).searchParams.has('start')")
    params = page.evaluate("() => Object.fromEntries(new URL(location.href).searchParams)")
    assert "2012-01" < params["start"] <= params["end"] < "2014-12"


def test_clicking_a_key_event_flies_the_map_to_it(page: Page, streamlit_server: str) -> None:
    page.goto(f"{streamlit_server}/?start=2013-01&end=2013-01")
    frame = wait_for_map(page)
    frame.locator(REGIONS).first.wait_for()
    wait_for_idle(page)
    events = key_events_in_period(load_dataset().key_events, make_period("2013-01", "2013-01"))
    first = events.reset_index(drop=True).iloc[0]
    page.get_by_role("tab", name="Key events").click()
    grid = page.locator('[class*="st-key-key_events_2013-01_2013-01"] [data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    expect(grid).to_be_visible()
    grid.click(position={"x": 16, "y": ROW_PX + ROW_PX / 2})
    wait_in_map(page, "m => (m.getContainer().dataset.focus || '').startsWith('key event')")
    expect(frame.locator(".mali-focus .mali-popup")).to_contain_text(str(first.place))
    centre = in_map(frame, "m => [m.getCenter().lat, m.getCenter().lng]")
    assert centre == pytest.approx([first.lat, first.lon], abs=0.01)


def test_actor_filter_from_the_url_filters_the_drawn_towns(
    page: Page, streamlit_server: str
) -> None:
    page.goto(f"{streamlit_server}/?actors=mnla&layers=regions,towns")
    frame = wait_for_map(page)
    frame.locator(REGIONS).first.wait_for()
    wait_for_idle(page)
    expected = build_layers(load_dataset(), make_period(), actor_groups=["mnla"])
    expect(frame.locator(TOWNS)).to_have_count(len(expected["towns"]))
    expect(page.get_by_text("Actors (1 of 11 groups)")).to_be_visible()


def test_compare_mode_shows_two_maps_side_by_side(
    page: Page, streamlit_server: str, artifacts_dir: Path
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{streamlit_server}/?compare=2012-04..2012-12,2013-01..2013-04")
    wait_for_map(page).locator(REGIONS).first.wait_for()
    wait_for_idle(page)
    images = page.locator('[data-testid="stImage"] img')
    expect(images).to_have_count(2)
    for i in range(2):
        images.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=images.nth(i).element_handle()
        )
    left, right = (images.nth(i).bounding_box() for i in range(2))
    assert left is not None
    assert right is not None
    assert left["x"] + left["width"] <= right["x"] + 1  # side by side
    assert abs(left["y"] - right["y"]) < 2
    expect(page.get_by_text("Incidents (B)")).to_be_visible()
    page.get_by_text("Compare: A Apr 2012").scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "compare.png")
    if not COMPARE_SCREENSHOT.exists():
        shutil.copy(artifacts_dir / "compare.png", COMPARE_SCREENSHOT)
