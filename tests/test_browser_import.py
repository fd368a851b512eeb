"""Importing a file in a real browser: the report, the map change, and no script injection."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import wait_for_idle, wait_for_map
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
DATA = Path(__file__).parent / "data"
TOWNS = 'path.leaflet-interactive[stroke="#7a0177"]'


def test_upload_reports_and_shows_injected_text_as_text(page: Page, streamlit_server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{streamlit_server}/?start=2013-03&end=2013-03&layers=towns")
    frame = wait_for_map(page)
    frame.locator(TOWNS).first.wait_for()
    wait_for_idle(page)
    before = frame.locator(TOWNS).count()
    page.locator("input[type=file]").set_input_files(DATA / "app_import.csv")
    expect(page.get_by_text("read 4, accepted 2, rejected 2")).to_be_visible()
    # The rejected rows are a data grid (canvas): its accessible cells are attached, not shown.
    expect(page.get_by_text("latitude and longitude look swapped")).to_be_attached()
    expect(frame.locator(TOWNS)).to_have_count(before + 1)
    village = frame.locator(TOWNS).last  # Kayes, the westernmost point, is drawn last
    for i in range(frame.locator(TOWNS).count()):
        frame.locator(TOWNS).nth(i).dispatch_event("click")
        content = frame.locator(".leaflet-popup-content")
        if "Test village" in (content.inner_text() if content.count() else ""):
            village = frame.locator(TOWNS).nth(i)
            break
    village.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("<script>alert('x')</script> Test village")
    expect(popup.locator("script")).to_have_count(0)
    assert dialogs == []
    assert page.aborted_urls == []
