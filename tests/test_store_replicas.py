"""Replicas sharing one partitioned Parquet store serve and report the same incidents.

Two app servers started together on loopback, each a plain ``streamlit run app.py`` with
``MALI_GEO_INCIDENTS`` naming the same store (partitioned by year) and a cache of its own,
must show a visitor the same headline figures and period: for the data's whole span, and
for one year asked in the URL. Two command-line processes on one store must likewise report,
and export, the same incidents.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import offline_page, running_servers, wait_for_idle, wait_for_map
from geopandas.testing import assert_geodataframe_equal
from playwright.sync_api import Browser, Page, expect

from mali_geo.config import FIRST_MONTH, LAST_MONTH, PROJECT_DIR
from mali_geo.importer import import_file
from mali_geo.store import write_store

IMPORT = Path(__file__).parent / "data" / "import"
#: Three incidents, in 1997, 2013 and 2015: a store of three ``year=`` folders.
SPREAD = IMPORT / "acled_old_upper_cp1252.csv"
#: One year of that data, asked in the URL.
ONE_YEAR = ("2013-01", "2013-12")
#: The row of headline figures: incidents, fatalities, refugees and IDPs with their as-of dates.
HEADLINE = ".st-key-headline"
HEADLINE_LABELS = ("Incidents", "Fatalities", "Refugees abroad", "IDPs in Mali")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store partitioned by year, written from an import fixture spanning several years."""
    folder = write_store(import_file(SPREAD).incidents, tmp_path / "store", by_year=True)
    assert len(list(folder.glob("year=*"))) >= 2  # a store of several partitions
    return folder


@pytest.fixture
def two_pages(browser: Browser) -> Iterator[list[Page]]:
    """Two offline pages, one per replica (two visitors)."""
    pages = [offline_page(browser) for _ in range(2)]
    yield pages
    for page in pages:
        page.context.close()


@pytest.mark.browser
def test_two_app_servers_on_one_store_show_the_same_figures(
    store: Path, two_pages: list[Page], tmp_path: Path
) -> None:
    dates = pd.read_parquet(store, columns=["date_start", "date_end"])
    ends = dates["date_end"].fillna(dates["date_start"])
    span = (f"{dates['date_start'].min():%Y-%m}", f"{ends.max():%Y-%m}")
    # The span (1997-02 to 2015-12) covers the shipped months, so it is the whole timeline.
    assert span[0] <= FIRST_MONTH
    assert span[1] >= LAST_MONTH
    envs = [
        {"MALI_GEO_INCIDENTS": str(store), "MALI_GEO_CACHE": str(tmp_path / f"cache{i}")}
        for i in range(2)
    ]
    with running_servers(envs, tmp_path) as servers:
        urls = [server.base_url for server in servers]
        whole = _seen_on_each(two_pages, urls, "", period=span, incidents=len(dates))
        assert whole[0] == whole[1]
        in_year = _overlapping(dates, *ONE_YEAR)
        assert 0 < in_year < len(dates)
        query = f"?start={ONE_YEAR[0]}&end={ONE_YEAR[1]}"
        year = _seen_on_each(two_pages, urls, query, period=ONE_YEAR, incidents=in_year)
        assert year[0] == year[1]
        assert year[0] != whole[0]
    assert None not in [server.process.poll() for server in servers]  # both stopped
    for page in two_pages:
        assert page.aborted_urls == []  # type: ignore[attr-defined]


def _seen_on_each(
    pages: list[Page], urls: list[str], query: str, *, period: tuple[str, str], incidents: int
) -> list[str]:
    """Open ``query`` on every server at once; return the headline row each page shows.

    Each page must show ``period`` on the timeline and ``incidents`` as its incident count.
    """
    for page, url in zip(pages, urls, strict=True):
        page.goto(f"{url}/{query}")  # both servers read the store side by side
    return [_headline(page, period=period, incidents=incidents) for page in pages]


def _headline(page: Page, *, period: tuple[str, str], incidents: int) -> str:
    """The headline row as a visitor reads it, once it shows ``period`` and ``incidents``."""
    wait_for_map(page)
    wait_for_idle(page)
    thumbs = page.get_by_role("slider")
    for thumb, month in zip((thumbs.nth(0), thumbs.nth(1)), period, strict=True):
        expect(thumb).to_have_attribute("aria-valuetext", f"{pd.Period(month, 'M'):%b %Y}")
    count = page.locator(f"{HEADLINE} [data-testid=stMetric]").first
    expect(count).to_contain_text("Incidents")
    expect(count.locator("[data-testid=stMetricValue]")).to_have_text(f"{incidents:,}")
    # The row as a whole, once every figure is drawn and no run is redrawing it (the map's
    # first report can start one more run after the count is shown).
    row = page.locator(HEADLINE)
    for label in HEADLINE_LABELS:
        expect(row).to_contain_text(label)
    wait_for_idle(page)
    return row.inner_text()


def _overlapping(dates: pd.DataFrame, start: str, end: str) -> int:
    """How many incidents' dates overlap the months ``start`` to ``end`` (a missing end: start)."""
    first = pd.Period(start, "M").start_time
    last = pd.Period(end, "M").end_time
    ends = dates["date_end"].fillna(dates["date_start"])
    return int(((dates["date_start"] <= last) & (ends >= first)).sum())


def _start(*args: str, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - a fixed argv, no shell
        [sys.executable, "-m", "mali_geo", *args],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MALI_GEO_CACHE": str(cache)},
    )


def _finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def test_two_processes_on_one_store_report_and_export_the_same(tmp_path: Path) -> None:
    incidents = import_file(IMPORT / "acled_iso_dates.csv").incidents
    store = write_store(incidents, tmp_path / "store", by_year=True)
    infos = [_start("info", "--incidents", str(store), cache=tmp_path / "c") for _ in range(2)]
    exports = [
        _start(
            "export",
            "--incidents",
            str(store),
            "--layers",
            "incidents",
            "--format",
            "parquet",
            "--out",
            str(tmp_path / f"out{i}"),
            cache=tmp_path / "c",
        )
        for i in range(2)
    ]
    first, second = (_finish(p) for p in infos)
    assert first == second
    assert f"incidents: {len(incidents)} in the file" in first
    for process in exports:
        _finish(process)
    a, b = (gpd.read_parquet(tmp_path / f"out{i}" / "incidents.parquet") for i in range(2))
    assert len(a) == len(incidents)
    assert_geodataframe_equal(a, b)
