"""Comparing two periods: headline change, regions and towns ready to draw, URL values."""

from __future__ import annotations

import geopandas as gpd
import pytest

from mali_geo.compare import (
    COMPARED,
    compare_periods,
    format_compare,
    headline_change,
    parse_compare,
)
from mali_geo.config import WGS84
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.errors import PeriodError
from mali_geo.period import Period
from mali_geo.summary import headline

A = Period("2012-04", "2012-12")
B = Period("2013-01", "2013-04")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def test_headline_change_is_b_minus_a(dataset: Dataset) -> None:
    comp = compare_periods(dataset, A, B)
    assert comp.headline_a == headline(dataset, A)
    assert comp.headline_b == headline(dataset, B)
    assert comp.change.incidents == comp.headline_b.incidents - comp.headline_a.incidents
    low_a, low_b = comp.headline_a.fatalities_low, comp.headline_b.fatalities_low
    assert low_a is not None
    assert low_b is not None
    assert comp.change.fatalities_low == low_b - low_a
    # Some incidents of each period have no reported toll: the high end is unknown.
    assert comp.headline_b.fatalities_high is None
    assert comp.change.fatalities_high is None


def test_refugee_change_compares_figures_as_of_each_end(dataset: Dataset) -> None:
    comp = compare_periods(dataset, Period("2013-01", "2013-12"), Period("2014-01", "2014-12"))
    ref_a, ref_b = comp.headline_a.refugees, comp.headline_b.refugees
    assert ref_a is not None
    assert ref_b is not None
    assert comp.change.refugees == ref_b["people"] - ref_a["people"]
    assert ref_a["as_of"] < ref_b["as_of"]


def test_regions_have_both_sides_and_change(dataset: Dataset) -> None:
    regions = compare_periods(dataset, A, B).regions
    assert isinstance(regions, gpd.GeoDataFrame)
    assert regions.crs == WGS84
    assert len(regions) == 9
    assert set(regions.geom_type) <= {"Polygon", "MultiPolygon"}
    for col in COMPARED:
        assert {f"{col}_a", f"{col}_b", f"{col}_change"} <= set(regions.columns)
    kidal = regions.set_index("name").loc["Kidal"]
    assert kidal["incidents_change"] == kidal["incidents_b"] - kidal["incidents_a"]
    assert regions["incidents_a"].sum() == headline(dataset, A).incidents
    assert regions["incidents_b"].sum() == headline(dataset, B).incidents


def test_towns_cover_both_periods_and_sort_by_change(dataset: Dataset) -> None:
    towns = compare_periods(dataset, A, B).towns
    assert towns.crs == WGS84
    assert set(towns.geom_type) == {"Point"}
    assert towns["name"].is_unique
    assert ((towns["incidents_a"] > 0) | (towns["incidents_b"] > 0)).all()
    ifoghas = towns.set_index("name").loc["Adrar des Ifoghas"]
    assert ifoghas["incidents_a"] == 0  # no incident there in 2012: zero, not missing
    assert ifoghas["incidents_b"] > 0
    size = towns["incidents_change"].abs().tolist()
    assert size == sorted(size, reverse=True)
    assert '"incidents_change"' in towns.to_json()  # ready for GeoJSON and folium


def test_filters_apply_to_both_periods(dataset: Dataset) -> None:
    battles = compare_periods(dataset, A, B, event_types=["battle"])
    assert battles.headline_b.incidents == headline(dataset, B, event_types=["battle"]).incidents
    french = compare_periods(dataset, A, B, actor_groups=["french_forces"])
    assert french.headline_a.incidents == 0  # Serval began in January 2013
    assert 0 < french.headline_b.incidents < compare_periods(dataset, A, B).headline_b.incidents
    assert french.regions["incidents_a"].sum() == 0


def test_same_period_has_no_change(dataset: Dataset) -> None:
    comp = compare_periods(dataset, B, B)
    assert headline_change(comp.headline_a, comp.headline_b).incidents == 0
    assert (comp.towns["incidents_change"] == 0).all()


def test_url_value_round_trip() -> None:
    a, b = parse_compare("2012-04..2012-12,2013-01..2013-04")
    assert (a, b) == (A, B)
    assert format_compare(a, b) == "2012-04..2012-12,2013-01..2013-04"
    assert parse_compare(" 2013-01 , 2014-01..2014-12") == (
        Period("2013-01", "2013-01"),
        Period("2014-01", "2014-12"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2012-04..2012-12", "expected two periods"),
        ("2012-04..2012-12,2013-01..2013-04,2014-01", "expected two periods"),
        ("2012-04..2012-12,", "expected two periods"),
        ("2012-04..2012-12,2013-01..", "malformed period"),
        ("2012-04..2012-05..2012-06,2013-01", "malformed period"),
        ("2012-12..2012-04,2013-01", "after end"),
        ("2011-01..2012-04,2013-01", "outside the data's range"),
        ("2012-13..2012-14,2013-01", "malformed month"),
    ],
)
def test_bad_url_values_are_refused(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_compare(text)
