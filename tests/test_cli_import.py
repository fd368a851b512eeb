"""The import command line: `python -m mali_geo import` and `export --incidents`."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from tests_paths import run_cli

DATA = Path(__file__).parent / "data"


def test_import_writes_accepted_and_rejected_and_prints_the_report(tmp_path: Path) -> None:
    result = run_cli("import", str(DATA / "app_import.csv"), "--out", str(tmp_path))
    assert result.returncode == 0
    assert result.stdout.strip().splitlines() == [
        "read 4, accepted 2, rejected 2",
        "format: plain table, CSV",
        "incidents: 2",
        "dates: 2013-03-05 to 2013-03-06",
        "by year: 2013 2",
        "by region: (none) 2",
        "rejected: bad date 1, outside study area 1",
    ]
    incidents = gpd.read_file(tmp_path / "incidents.geojson")
    assert sorted(incidents["incident_id"]) == ["TEST-1", "TEST-2"]
    rejected = pd.read_csv(tmp_path / "rejected.csv")
    assert rejected["line"].tolist() == [4, 5]
    assert rejected["reason"].str.startswith(("bad date", "outside study area")).all()


def test_import_of_an_unreadable_file_is_one_line_and_non_zero(tmp_path: Path) -> None:
    png = tmp_path / "map.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = run_cli("import", str(png), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "binary" in result.stderr
    assert not (tmp_path / "out" / "incidents.geojson").exists()


def test_export_with_imported_incidents_uses_them(tmp_path: Path) -> None:
    result = run_cli(
        "export",
        "--start",
        "2013-03",
        "--end",
        "2013-03",
        "--layers",
        "towns,incidents",
        "--incidents",
        str(DATA / "app_import.csv"),
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    towns = gpd.read_file(tmp_path / "towns.geojson")
    assert towns["name"].tolist() == ["<script>alert('x')</script> Test village"]
    assert towns["incidents"].tolist() == [2]
    assert "read 4, accepted 2, rejected 2" in result.stderr


def test_import_report_names_merges_and_hxl(tmp_path: Path) -> None:
    monadic = run_cli(
        "import", str(DATA / "import" / "acled_monadic_pandas.csv"), "--out", str(tmp_path)
    )
    assert monadic.returncode == 0, monadic.stderr
    lines = monadic.stdout.strip().splitlines()
    assert lines[0] == "read 6, accepted 5, rejected 1"
    assert "2 monadic rows merged: 5 accepted rows - 2 merged = 3 incidents" in lines
    hxl = run_cli("import", str(DATA / "import" / "acled_hdx_hxl.csv"), "--out", str(tmp_path))
    assert "HXL tag row skipped (line 2; not counted as read)" in hxl.stdout.splitlines()
