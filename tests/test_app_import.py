"""Importing incidents into the app (AppTest, with MALI_GEO_INCIDENTS as a team would deploy)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from app_helpers import map_features, metrics, shown
from streamlit.testing.v1 import AppTest

from mali_geo.config import INCIDENTS_PATH, PROJECT_DIR
from mali_geo.export import incidents_csv
from mali_geo.importer import import_bytes, import_file
from mali_geo.spreadsheet import spreadsheet_safe_csv
from mali_geo.store import write_store

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
    report = [shown(e.label) for e in at.expander if e.label.startswith("Import report")]
    assert report == ["Import report: app_import.csv: read 4, accepted 2, rejected 2"]
    tables = [d.value for d in at.dataframe]
    (rejected,) = [t for t in tables if "raw" in t.columns]  # the rejected rows
    (counted,) = [t for t in tables if list(t.columns) == ["reason", "rows"]]
    reasons = rejected["reason"].tolist()
    assert reasons[0].startswith("bad date")
    assert "swapped" in reasons[1]
    assert dict(zip(counted["reason"], counted["rows"], strict=True)) == {
        "bad date": 1,
        "outside study area": 1,
    }
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
    assert any("Import failed" in shown(e.value) and "empty" in e.value for e in at.error)
    assert metrics(at)["Incidents"] == "465"


# --- uploads: the timeline and the filters follow the data ------------------------------------

PLAIN_HEADER = "id,date,lat,lon,place,event_type,fatalities,source\n"


def plain_csv(rows: list[tuple[str, str]]) -> bytes:
    """A plain CSV of incidents at Bamako: (id, date) and an event type per row."""
    lines = [f"{i},{d},12.65,-8.0,Bamako,{t},1,https://example.org/{i}" for i, d, t in rows]
    return (PLAIN_HEADER + "\n".join(lines) + "\n").encode()


def upload(at: AppTest, name: str, data: bytes, mode: str = "add") -> AppTest:
    at.radio(key="import_mode").set_value(mode)
    at.file_uploader(key="upload").set_value((name, data, "text/csv"))
    return at.run()


def fresh_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


OTHER4 = plain_csv([(f"O-{i}", f"2013-0{i}-01", "other") for i in range(1, 5)])
WIDE = plain_csv(
    [
        ("W-1", "1997-01-15", "battle"),
        ("W-2", "2026-10-03", "other"),
        ("W-3", "2005-06-01", "riot_protest"),
    ]
)


def test_a_plain_csv_typed_other_shows_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALI_GEO_INCIDENTS", raising=False)
    at = upload(fresh_app(), "four.csv", OTHER4, mode="replace")
    assert not at.exception
    assert metrics(at)["Incidents"] == "4"
    assert metrics(at)["Accepted"] == "4"
    assert at.multiselect(key="event_types").value == ["other"]
    assert at.session_state["period"] == ("2013-01", "2013-04")  # the imported data's span


def test_the_timeline_spans_every_month_of_the_imported_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MALI_GEO_INCIDENTS", raising=False)
    at = upload(fresh_app(), "wide.csv", WIDE)
    assert not at.exception
    slider = at.select_slider[0]
    assert (slider.options[0], slider.options[-1]) == ("Jan 1997", "Oct 2026")  # in words
    assert len(slider.options) == (2026 - 1997) * 12 + 10
    assert at.session_state["period"] == ("1997-01", "2026-10")
    assert metrics(at)["Incidents"] == f"{465 + 3}"  # added to the shipped ones: all shown
    assert "start" not in at.query_params  # the whole span is the default view
    notes = " ".join(i.value for i in at.info)
    assert "no data after Dec 2014" in notes
    captions = " ".join(c.value for c in at.caption)
    assert "no data after Dec 2014" in captions  # refugees and IDPs are not carried forward
    at.select_slider[0].set_value(("2026-01", "2026-10")).run()
    assert metrics(at)["Incidents"] == "1"
    assert at.query_params["start"] == "2026-01"
    at.select_slider[0].set_value(("2013-01", "2013-03")).run()
    assert "no data after" not in " ".join(i.value for i in at.info)


def test_add_then_replace_keeps_every_type_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALI_GEO_INCIDENTS", raising=False)
    at = upload(fresh_app(), "wide.csv", WIDE)
    at = upload(at, "four.csv", OTHER4, mode="replace")
    assert not at.exception
    assert at.multiselect(key="event_types").value == ["other"]
    assert metrics(at)["Incidents"] == "4"


def test_a_failed_import_keeps_the_data_and_filters_the_user_had(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MALI_GEO_INCIDENTS", raising=False)
    at = upload(fresh_app(), "wide.csv", WIDE)
    at.multiselect(key="event_types").set_value(["battle", "riot_protest"]).run()
    at.select_slider[0].set_value(("2005-01", "2026-10")).run()
    label = next(k for k in metrics(at) if k.startswith("Incidents ("))  # the filter named
    before = metrics(at)[label]
    at = upload(at, "broken.csv", b"\x00\x01\x02 not a table")
    assert not at.exception
    assert any("Import failed" in e.value for e in at.error)
    assert at.multiselect(key="event_types").value == ["battle", "riot_protest"]
    assert at.session_state["period"] == ("2005-01", "2026-10")
    assert metrics(at)[label] == before


def test_file_names_are_shown_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALI_GEO_INCIDENTS", raising=False)
    name = "[Session expired](https://evil.example).csv"
    at = upload(fresh_app(), name, OTHER4)
    (label,) = [e.label for e in at.expander if "Import report" in e.label]
    assert shown(label) == f"Import report: {name}: read 4, accepted 4, rejected 0"
    assert "\\[Session expired\\]\\(https\\:" in label  # escaped: no link can form


def test_the_sources_tab_describes_the_imported_data(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_with(monkeypatch, DATA / "app_import.csv")
    text = shown(" ".join(m.value for m in at.markdown))
    assert "2 imported incidents (plain_csv)" in text
    assert "The shipped incidents are not shown" in text
    assert "thinner in 2014" not in " ".join(i.value for i in at.info)
    (reasons,) = [d.value for d in at.dataframe if list(d.value.columns) == ["reason", "rows"]]
    assert dict(zip(reasons["reason"], reasons["rows"], strict=True)) == {
        "bad date": 1,
        "outside study area": 1,
    }


def test_a_missing_launch_file_names_only_its_base_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = run_with(monkeypatch, tmp_path / "secret-dir" / "incidents.csv")
    assert not at.exception
    (error,) = at.error
    assert "incidents.csv: cannot read the file" in shown(error.value)
    assert str(tmp_path) not in shown(error.value)
    assert "secret-dir" not in shown(error.value)
    assert metrics(at)["Incidents"] == "465"


def test_a_fifo_as_launch_file_is_refused_without_waiting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    at = run_with(monkeypatch, fifo)
    assert not at.exception
    (error,) = at.error
    assert "pipe.csv: cannot read a named pipe" in shown(error.value)
    assert str(tmp_path) not in shown(error.value)


def test_the_csv_downloads_are_spreadsheet_safe() -> None:
    # What the page's "Incidents as CSV" and "Rejected rows as CSV" buttons write.
    data = plain_csv([("F-1", "2013-01-05", "battle"), ("=2+3", "2013-02-30", "battle")])
    data = data.replace(b"Bamako", b"=1+2")
    result = import_bytes(data, source_name="formula.csv")
    assert len(result.incidents) == 1
    assert len(result.rejected) == 1
    assert ",'=1+2," in incidents_csv(result.incidents)
    assert ",=1+2," not in incidents_csv(result.incidents)
    assert "\"'=2+3," in spreadsheet_safe_csv(result.rejected)  # the raw row, quoted


def test_launch_on_a_parquet_store_partitioned_by_year(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    imported = import_file(DATA / "import" / "acled_long_dates.csv")
    store = write_store(imported.incidents, tmp_path / "store", by_year=True)
    assert any(store.glob("year=*"))  # hive-style folders, one per year
    at = run_with(monkeypatch, store)
    assert not at.exception
    assert not at.error
    assert metrics(at)["Incidents"] == f"{len(imported.incidents):,}"
    assert "The shipped incidents are not shown" in shown(" ".join(m.value for m in at.markdown))


def test_a_broken_parquet_store_keeps_the_shipped_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "incidents.parquet"
    broken.write_bytes(b"PAR1 not really parquet")
    at = run_with(monkeypatch, broken)
    assert not at.exception
    (error,) = at.error
    assert "incidents.parquet: cannot read the Parquet store" in shown(error.value)
    assert str(tmp_path) not in shown(error.value)
    assert metrics(at)["Incidents"] == "465"
