"""The dashboard in a real browser (Debian's Chromium), with every external request aborted."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from conftest import PROJECT_DIR, wait_for_idle, wait_for_map
from playwright.sync_api import FrameLocator, Page, expect

from mali_geo.catalogue import build_layers
from mali_geo.dataset import load_dataset
from mali_geo.period import make_period

pytestmark = pytest.mark.browser

#: SVG paths of each layer, told apart by their stroke (see the layers package).
REGIONS = 'path.leaflet-interactive[stroke="#555555"]'
TOWNS = 'path.leaflet-interactive[stroke="#7a0177"]'
BASES = 'path.leaflet-interactive[stroke="#000000"]'
CIRCLES = 'path.leaflet-interactive[stroke="#1b7837"], path.leaflet-interactive[stroke="#e08214"]'
KEY_EVENTS = 'path.leaflet-interactive[stroke="#333333"]'
SCREENSHOT = PROJECT_DIR / "docs" / "screenshot.png"


def open_app(page: Page, base_url: str, query: str = "", drawn: str = REGIONS) -> FrameLocator:
    page.goto(f"{base_url}/{query}")
    frame = wait_for_map(page)
    frame.locator(drawn).first.wait_for()
    wait_for_idle(page)
    return frame


def period_thumb(page: Page, end: str) -> object:
    return page.get_by_role("slider", name=re.compile(f"^Period — {end}"))


def test_map_draws_every_layer_offline(
    page: Page, streamlit_server: str, artifacts_dir: Path
) -> None:
    frame = open_app(page, streamlit_server)
    expected = build_layers(load_dataset(), make_period("2012-01", "2014-12"))
    expect(frame.locator(REGIONS)).to_have_count(9)
    expect(frame.locator(TOWNS)).to_have_count(len(expected["towns"]))
    expect(frame.locator(BASES)).to_have_count(len(expected["bases"]))
    located = expected["displaced"]["placement"] != "not_located"  # grey circles apart
    expect(frame.locator(CIRCLES)).to_have_count(int(located.sum()))
    expect(frame.locator(KEY_EVENTS)).to_have_count(len(expected["key_events"]))
    expect(page.get_by_text("Refugees abroad", exact=True)).to_be_visible()
    page.screenshot(path=artifacts_dir / "dashboard.png", full_page=False)
    if not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copy(artifacts_dir / "dashboard.png", SCREENSHOT)
    assert page.aborted_urls == []
    assert page.console_errors == []


def test_a_toggle_hides_a_layer(page: Page, streamlit_server: str) -> None:
    frame = open_app(page, streamlit_server)
    expect(frame.locator(BASES)).not_to_have_count(0)
    page.get_by_role("switch", name="Bases (who held them)").click(force=True)
    expect(frame.locator(BASES)).to_have_count(0)
    expect(frame.locator(TOWNS).first).to_be_visible()
    assert "layers=" in page.url


def test_moving_the_timeline_changes_what_is_drawn(page: Page, streamlit_server: str) -> None:
    frame = open_app(page, streamlit_server)
    whole = frame.locator(TOWNS).count()
    end = period_thumb(page, "end")
    end.focus()
    end.press("Home")  # the end thumb stops at the start: January 2012 only
    expected = build_layers(load_dataset(), make_period("2012-01", "2012-01"))
    expect(frame.locator(TOWNS)).to_have_count(len(expected["towns"]))
    assert len(expected["towns"]) < whole
    expect(page.get_by_text("Jan 2012 · shipped incidents")).to_be_visible()
    assert "end=2012-01" in page.url


def test_download_geojson_gives_the_visible_layers(
    page: Page, streamlit_server: str, tmp_path: Path
) -> None:
    open_app(page, streamlit_server, "?start=2013-01&end=2013-06")
    page.get_by_role("tab", name="Download").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    download = info.value
    assert download.suggested_filename == "mali_2013-01_2013-06.geojson"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in raw
    got = gpd.read_file(path)
    expected = build_layers(load_dataset(), make_period("2013-01", "2013-06"))
    visible = ["regions", "displaced", "towns", "bases", "key_events"]
    counts = got["layer"].value_counts().to_dict()
    for name in visible:
        assert counts.get(name, 0) == len(expected[name]), name
    assert "incidents" not in counts  # switched off by default


def test_a_popup_shows_a_source_link(page: Page, streamlit_server: str) -> None:
    frame = open_app(page, streamlit_server, "?layers=towns", drawn=TOWNS)
    frame.locator(TOWNS).first.dispatch_event("click")
    link = frame.locator(".leaflet-popup-content a").first
    expect(link).to_be_visible()
    assert re.match(r"^https?://", link.get_attribute("href") or "")
    assert link.get_attribute("target") == "_blank"


def test_a_shared_url_restores_the_view(page: Page, streamlit_server: str) -> None:
    frame = open_app(page, streamlit_server, "?start=2013-01&end=2013-04&layers=regions,bases")
    expect(period_thumb(page, "start")).to_have_attribute("aria-valuetext", "Jan 2013")
    expect(period_thumb(page, "end")).to_have_attribute("aria-valuetext", "Apr 2013")
    expect(frame.locator(TOWNS)).to_have_count(0)
    expect(frame.locator(BASES)).not_to_have_count(0)
    expect(page.get_by_role("switch", name="Towns with incidents")).not_to_be_checked()


def test_tile_basemap_fails_gracefully_offline(page: Page, streamlit_server: str) -> None:
    frame = open_app(page, streamlit_server, "?basemap=Light+tiles+%28CARTO%2C+online%29")
    expect(frame.locator(REGIONS)).to_have_count(9)
    expect(frame.locator(TOWNS).first).to_be_attached()
    # Borders still draw over the (failed) tiles: the context layer is there, unfilled.
    countries = frame.locator('path[stroke="#8c8c8c"]')
    expect(countries.first).to_be_attached()
    assert countries.first.get_attribute("fill-opacity") == "0"
    assert page.aborted_urls, "the tiles were requested"
    assert all("basemaps.cartocdn.com" in url for url in page.aborted_urls)


def test_play_steps_the_window_without_remounting_the_map(
    page: Page, streamlit_server: str
) -> None:
    open_app(page, streamlit_server, "?start=2012-01&end=2012-12")
    page.evaluate(
        """() => {
            window.addedIframes = 0;
            new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(n => {
                if (n.nodeType === 1 && (n.tagName === 'IFRAME' || n.querySelector('iframe')))
                    window.addedIframes++;
            }))).observe(document.body, {childList: true, subtree: true});
        }"""
    )
    page.get_by_role("button", name="▶ Play through the months").click()
    start, end = period_thumb(page, "start"), period_thumb(page, "end")
    expect(end).to_have_attribute("aria-valuetext", "Mar 2012")  # a three-month window
    expect(start).to_have_attribute("aria-valuetext", "Feb 2012", timeout=10_000)
    expect(start).to_have_attribute("aria-valuetext", "Mar 2012", timeout=10_000)
    page.get_by_role("button", name="Pause", exact=True).click()
    assert page.evaluate("() => window.addedIframes") == 0
