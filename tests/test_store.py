"""The import cache and Parquet stores: the same incidents as a fresh import, read lazily."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from tests_paths import run_cli

from mali_geo.importer import import_file
from mali_geo.store import cached_import, load_incidents, read_store, write_store

IMPORT = Path(__file__).parent / "data" / "import"
APP_IMPORT = Path(__file__).parent / "data" / "app_import.csv"


@pytest.mark.parametrize("name", ["acled_monadic_pandas.csv", "ged_with_header.csv"])
def test_a_cached_import_equals_a_fresh_one(tmp_path: Path, name: str) -> None:
    fresh = import_file(IMPORT / name)
    first = cached_import(IMPORT / name, cache=tmp_path)
    again = cached_import(IMPORT / name, cache=tmp_path)
    assert len(list(tmp_path.iterdir())) == 1
    for result in (first, again):
        assert_geodataframe_equal(result.incidents, fresh.incidents)
        pd.testing.assert_frame_equal(result.rejected, fresh.rejected)
        assert result.report() == fresh.report()


def test_the_app_reads_a_cached_import_in_date_order_cold_or_warm(tmp_path: Path) -> None:
    """The same incidents in date order, from the import and from the cache alike."""
    name = "acled_old_upper_cp1252.csv"  # incidents in 2015, 2013 and 1997, in that order
    fresh = import_file(IMPORT / name)
    assert not fresh.incidents["date_start"].is_monotonic_increasing
    expected = fresh.incidents.sort_values("date_start", kind="stable", ignore_index=True)
    for _ in range(2):  # the import, then the cache
        ordered = cached_import(IMPORT / name, cache=tmp_path, in_date_order=True)
        assert_geodataframe_equal(ordered.incidents, expected)
        assert ordered.report() == fresh.report()
    in_file_order = cached_import(IMPORT / name, cache=tmp_path)
    assert_geodataframe_equal(in_file_order.incidents, fresh.incidents)


def test_a_changed_file_is_imported_again(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(APP_IMPORT.read_bytes())
    assert cached_import(path, cache=tmp_path / "c").accepted == 2
    path.write_bytes(APP_IMPORT.read_bytes().replace(b"2013-02-30", b"2013-02-28"))
    assert cached_import(path, cache=tmp_path / "c").accepted == 3


def test_a_store_by_year_reads_back_every_incident_or_only_the_years_asked(
    tmp_path: Path,
) -> None:
    incidents = import_file(IMPORT / "acled_iso_dates.csv").incidents
    store = write_store(incidents, tmp_path / "store", by_year=True)
    years = incidents["date_start"].dt.year
    assert sorted(p.name for p in store.iterdir()) == [f"year={y}" for y in sorted(set(years))]
    back = read_store(store).sort_values("incident_id", ignore_index=True)
    expected = incidents.sort_values("incident_id", ignore_index=True)
    assert_geodataframe_equal(back, expected)
    first = int(years.min())
    only = load_incidents(store, years=(first, first))
    assert len(only) == int((years == first).sum())
    single = write_store(incidents, tmp_path / "one.parquet")
    assert len(load_incidents(single, years=(first, first))) == len(only)


def test_cli_import_writes_parquet_that_export_reads(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    done = run_cli(
        "import",
        str(APP_IMPORT),
        "--out",
        str(tmp_path / "o"),
        "--format",
        "parquet",
        cache=cache,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "read 4, accepted 2, rejected 2"
    incidents = gpd.read_parquet(tmp_path / "o" / "incidents.parquet")
    assert sorted(incidents["incident_id"]) == ["TEST-1", "TEST-2"]
    assert pd.read_csv(tmp_path / "o" / "rejected.csv")["line"].tolist() == [4, 5]
    again = run_cli("import", str(APP_IMPORT), "--out", str(tmp_path / "p"), cache=cache)
    assert again.stdout == done.stdout
    export = run_cli(
        "export",
        "--incidents",
        str(tmp_path / "o" / "incidents.parquet"),
        "--layers",
        "incidents",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "e"),
        cache=cache,
    )
    assert export.returncode == 0, export.stderr
    assert len(pd.read_csv(tmp_path / "e" / "incidents.csv")) == 2


def test_an_unusable_cache_folder_does_not_stop_an_import(tmp_path: Path) -> None:
    cache = tmp_path / "not-a-folder"
    cache.write_text("a file where the cache folder should be", encoding="utf-8")
    assert cached_import(APP_IMPORT, cache=cache).accepted == 2
