"""Towns (mali_geo.towns.towns_with_incidents): a hand-made fixture and the shipped data."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from mali_geo.incidents import counted_tolls, incidents_in_period, located
from mali_geo.load import load_incidents
from mali_geo.period import full_period, make_period
from mali_geo.towns import TOWN_COLUMNS, towns_with_incidents

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def small() -> gpd.GeoDataFrame:
    return load_incidents(DATA / "incidents_small.csv")


@pytest.fixture(scope="module")
def shipped() -> gpd.GeoDataFrame:
    return load_incidents()


def _towns(incidents: gpd.GeoDataFrame, start: str, end: str) -> pd.DataFrame:
    towns = towns_with_incidents(incidents_in_period(incidents, make_period(start, end)))
    return towns.set_index("name")


def _none(value: object) -> object:
    return None if pd.isna(value) else value


def test_towns_are_points_in_wgs84_with_the_documented_columns(small: gpd.GeoDataFrame) -> None:
    towns = towns_with_incidents(small)
    assert list(towns.columns) == [*TOWN_COLUMNS, "geometry"]
    assert towns.crs == "EPSG:4326"
    assert set(towns.geom_type) == {"Point"}


def test_counts_and_order_for_january_to_march_2013(small: gpd.GeoDataFrame) -> None:
    towns = towns_with_incidents(incidents_in_period(small, make_period("2013-01", "2013-03")))
    # Most incidents first, then by name; Tilemsi valley (no coordinate) is not a town.
    assert towns["name"].tolist() == ["Gao", "Kidal", "Aguelhok"]
    assert towns["incidents"].tolist() == [3, 3, 1]


def test_gao_fatality_range_is_known_lows_and_no_high_when_one_is_missing(
    small: gpd.GeoDataFrame,
) -> None:
    gao = _towns(small, "2013-01", "2013-03").loc["Gao"]
    # FX-03 2..5, FX-04 3..(none), FX-05 (none)..7
    assert gao["fatalities_low"] == 5
    assert _none(gao["fatalities_high"]) is None
    assert gao["incidents_without_toll"] == 0
    assert gao["first_date"] == pd.Timestamp("2013-01-31")
    assert gao["last_date"] == pd.Timestamp("2013-02-20")
    assert gao["event_types"] == "battle, suicide_attack"
    assert gao["admin1"] == "Gao"
    assert gao.geometry.equals(Point(-0.04472, 16.27167))


def test_high_is_the_sum_when_every_incident_has_a_high_figure(small: gpd.GeoDataFrame) -> None:
    gao = _towns(small, "2013-02", "2013-02").loc["Gao"]
    # FX-03 2..5 and FX-05 (none)..7: a missing low adds nothing, both highs are known.
    assert gao["incidents"] == 2
    assert gao["fatalities_low"] == 2
    assert gao["fatalities_high"] == 12


def test_known_zero_differs_from_unknown(small: gpd.GeoDataFrame) -> None:
    towns = _towns(small, "2013-01", "2013-03")
    kidal = towns.loc["Kidal"]
    # FX-07 and FX-08 have no figure, FX-09 reports 0..0.
    assert kidal["fatalities_low"] == 0
    assert _none(kidal["fatalities_high"]) is None
    assert kidal["incidents_without_toll"] == 2
    assert kidal["event_types"] == "ied_landmine, rocket_shelling"
    assert (kidal["first_date"], kidal["last_date"]) == (
        pd.Timestamp("2013-03-10"),
        pd.Timestamp("2013-03-15"),
    )
    aguelhok = towns.loc["Aguelhok"]
    # Its only incident has no figure: unknown, never 0.
    assert _none(aguelhok["fatalities_low"]) is None
    assert _none(aguelhok["fatalities_high"]) is None
    assert aguelhok["incidents_without_toll"] == 1


def test_last_date_is_the_latest_end_date(small: gpd.GeoDataFrame) -> None:
    gao = _towns(small, "2013-01", "2013-01").loc["Gao"]
    # FX-03 ends 2013-02-01, after the period: the town says when its incidents ended.
    assert gao["first_date"] == pd.Timestamp("2013-01-31")
    assert gao["last_date"] == pd.Timestamp("2013-02-01")


def test_whole_range_towns_account_for_every_located_incident(small: gpd.GeoDataFrame) -> None:
    towns = towns_with_incidents(small)
    assert int(towns["incidents"].sum()) == len(located(small)) == 13
    assert set(towns["name"]) == {"Ménaka", "Gao", "Kidal", "Aguelhok", "Ber", "Tessalit"}
    tessalit = towns.set_index("name").loc["Tessalit"]
    assert (tessalit["fatalities_low"], tessalit["fatalities_high"]) == (4, 6)


def test_town_sources_list_each_source_url_once(small: gpd.GeoDataFrame) -> None:
    gao = _towns(small, "2013-01", "2013-01").loc["Gao"]
    assert gao["source"].split("\n") == ["https://example.org/fx-03", "https://example.org/fx-04"]


def test_town_is_drawn_at_its_most_common_coordinate(small: gpd.GeoDataFrame) -> None:
    # Ber: FX-11 carries the point printed on its source page (16.76, -2.63889); FX-12 and FX-13
    # the places.csv point (16.839467, -2.526741). The town's point must not depend on which
    # incident comes first in the period.
    whole = towns_with_incidents(small).set_index("name").loc["Ber"]
    later = _towns(small, "2013-05", "2014-12").loc["Ber"]
    assert whole.geometry.equals(later.geometry)
    assert whole.geometry.equals(Point(-2.526741, 16.839467))


def test_empty_selection_gives_an_empty_towns_layer(small: gpd.GeoDataFrame) -> None:
    towns = towns_with_incidents(incidents_in_period(small, make_period("2012-02", "2012-02")))
    assert len(towns) == 0
    assert list(towns.columns) == [*TOWN_COLUMNS, "geometry"]
    assert towns.crs == "EPSG:4326"


@pytest.mark.parametrize("town", ["Gao", "Kidal", "Ménaka", "Tessalit", "Timbuktu"])
def test_towns_named_in_the_briefing_have_incidents_in_2013(
    shipped: gpd.GeoDataFrame, town: str
) -> None:
    towns = _towns(shipped, "2013-01", "2013-12")
    assert town in towns.index
    row = towns.loc[town]
    assert row["incidents"] >= 1
    assert row["first_date"] <= pd.Timestamp("2013-12-31")
    assert row["last_date"] >= pd.Timestamp("2013-01-01")


def test_shipped_2013_towns_add_up_to_the_located_2013_incidents(
    shipped: gpd.GeoDataFrame,
) -> None:
    selected = incidents_in_period(shipped, make_period("2013-01", "2013-12"))
    towns = towns_with_incidents(selected)
    assert int(towns["incidents"].sum()) == len(located(selected))
    assert towns["name"].is_unique
    # Counted independently: rows with a coordinate, grouped by place.
    expected = located(selected).groupby("place").size().sort_index()
    got = towns.set_index("name")["incidents"].sort_index()
    assert got.to_dict() == expected.to_dict()


def test_shipped_whole_range_unknown_tolls_are_never_zero(shipped: gpd.GeoDataFrame) -> None:
    towns = towns_with_incidents(incidents_in_period(shipped, full_period())).set_index("name")
    for name, row in towns.iterrows():
        group = located(shipped)[located(shipped)["place"] == name]
        # A toll counted in another incident's is known, whatever the row's own figure.
        low, high = counted_tolls(group)
        if low.isna().all():
            assert _none(row["fatalities_low"]) is None, name
        if high.isna().any():
            assert _none(row["fatalities_high"]) is None, name
