"""Importing incidents into the app (AppTest, with MALI_GEO_INCIDENTS as a team would deploy)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import map_features, metrics
from streamlit.testing.v1 import AppTest

from mali_geo.config import INCIDENTS_PATH, PROJECT_DIR

APP = str(PROJECT_DIR / "app.py")
DATA = Path(__file__).parent / "data"


def run_with(monkeypatch: pytest.MonkeyPatch, path: Path) -> AppTest:
    monkeypatch.setenv("MALI_GEO_INCIDENTS", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["layers"] = "towns,incidents"
    return at.run()


def test_launch_with_an_imported_file_replaces_the_incidents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shipped_before = INCIDENTS_PATH.read_bytes()
    at = run_with(monkeypatch, DATA / "app_import.csv")
    assert not at.exception
    report = [e.label for e in at.expander if e.label.startswith("Import report")]
    assert report == ["Import report: app_import.csv: read 4, accepted 2, rejected 2"]
    reasons = at.dataframe[0].value["reason"].tolist()
    assert reasons[0].startswith("bad date")
    assert "swapped" in reasons[1]
    assert metrics(at)["Incidents"] == "2"
    towns = map_features(at)["Towns with incidents"]
    assert len(towns) == 1
    tooltip = towns[0]["properties"]["_tooltip"]
    assert "&lt;script&gt;" in tooltip
    assert "<script>" not in tooltip
    incidents = map_features(at)["Incidents"]
    popups = " ".join(f["properties"]["_popup"] for f in incidents)
    assert 'href="https://example.org/test-1"' in popups
    assert "javascript:" not in popups.replace("javascript:alert(1)", "")  # shown as text only
    assert 'href="javascript' not in popups
    # The file names no region: the points' region (Kayes) is filled in, so it counts there.
    at.toggle(key="layer_regions").set_value(True).run()
    kayes = next(
        f for f in map_features(at)["Regions"] if "<b>Kayes</b>" in f["properties"]["_tooltip"]
    )
    assert "2 incident(s)" in kayes["properties"]["_tooltip"]
    assert INCIDENTS_PATH.read_bytes() == shipped_before


def test_an_unreadable_file_keeps_the_shipped_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    at = run_with(monkeypatch, empty)
    assert not at.exception
    assert any("Import failed" in e.value and "empty" in e.value for e in at.error)
    assert metrics(at)["Incidents"] == "465"
