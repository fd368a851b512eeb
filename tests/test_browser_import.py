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


def test_a_file_spanning_1997_to_2020_shows_every_incident_on_the_timeline(
    page: Page, streamlit_server: str, tmp_path: Path
) -> None:
    # Invented rows, one a year (15 January), at Gao: 24 incidents from 1997 to 2020.
    years = range(1997, 2021)
    rows = [
        f"W-{y},{y}-01-15,16.27,-0.04,Invented place,battle,1,https://example.org/{y}"
        for y in years
    ]
    wide = tmp_path / "wide_1997_2020.csv"
    wide.write_text("id,date,lat,lon,place,event_type,fatalities,source\n" + "\n".join(rows) + "\n")
    page.goto(streamlit_server)
    wait_for_map(page)
    wait_for_idle(page)
    page.get_by_text("replace the shipped ones", exact=True).click()
    wait_for_idle(page)
    page.locator("input[type=file]").set_input_files(wide)
    expect(page.get_by_text("read 24, accepted 24, rejected 0")).to_be_visible()
    wait_for_idle(page)
    thumbs = page.get_by_role("slider")
    # The timeline spans the data (1997-01 to 2020-01) and the period jumped to all of it.
    expect(thumbs.nth(0)).to_have_attribute("aria-valuetext", "Jan 1997")
    expect(thumbs.nth(1)).to_have_attribute("aria-valuetext", "Jan 2020")
    incidents = page.locator("[data-testid=stMetric]").first
    expect(incidents).to_contain_text("24")
    # Move the period's start one year on: the 1997 incident leaves, the other 23 stay.
    thumbs.nth(0).focus()
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    expect(thumbs.nth(0)).to_have_attribute("aria-valuetext", "Jan 1998")
    wait_for_idle(page)
    expect(incidents).to_contain_text("23")
