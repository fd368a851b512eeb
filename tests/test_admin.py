"""Filling a missing region from the point, never overriding a recorded one."""

from __future__ import annotations

import geopandas as gpd
from tests_paths import DATA

from mali_geo.admin import NOTE, fill_admin1
from mali_geo.importer import import_file
from mali_geo.load import load_incidents, load_regions


def test_missing_region_is_filled_from_the_point() -> None:
    imported = import_file(DATA / "app_import.csv").incidents
    assert imported["admin1"].fillna("").eq("").all()
    filled = fill_admin1(imported, load_regions())
    assert filled["admin1"].tolist() == ["Kayes", "Kayes"]  # the test village lies in Kayes
    assert filled["coord_source"].str.endswith(NOTE).all()


def test_recorded_regions_are_kept() -> None:
    shipped = load_incidents()
    filled = fill_admin1(shipped, load_regions())
    # Anéfis (Kidal region) falls in the generalised Gao polygon: the record wins.
    anefis = filled[filled["place"] == "Anéfis"]
    assert (anefis["admin1"] == "Kidal").all()
    assert filled["admin1"].equals(shipped["admin1"])


def test_points_outside_mali_keep_no_region() -> None:
    imported = import_file(DATA / "app_import.csv").incidents
    moved = imported.copy()
    moved["geometry"] = gpd.points_from_xy([2.11, 2.11], [13.51, 13.51])  # Niamey, Niger
    filled = fill_admin1(moved, load_regions())
    assert filled["admin1"].fillna("").eq("").all()
