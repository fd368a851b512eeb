"""Bases (mali_geo.bases.bases_at): who held each base at the end of a period.

Expectations come from geodata/bases.csv (one row per dated holding state):
Diabali: Malian army 2012-09-08, Islamist armed groups 2013-01-14, French and Malian forces
2013-01-21. Sévaré: Malian army 2013-01-10, French and Malian forces 2013-01-11. Ifoghas: AQIM
2012-01-01, contested 2013-02-18, French and Chadian forces 2013-03-03, contested again from
2014-03-04 (jihadists back in the Ametettai valley) and during operation Tudelle (2014-10-28).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from mali_geo.bases import BASE_COLUMNS, bases_at
from mali_geo.errors import DataError
from mali_geo.load import load_bases, load_places
from mali_geo.period import full_period, make_period

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def bases() -> pd.DataFrame:
    return load_bases()


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return load_places()


def _at(bases: pd.DataFrame, places: pd.DataFrame, end: str) -> gpd.GeoDataFrame:
    return bases_at(bases, places, make_period("2012-01", end)).set_index("place")


def test_bases_layer_has_every_base_once_as_a_point(
    bases: pd.DataFrame, places: pd.DataFrame
) -> None:
    layer = bases_at(bases, places, full_period())
    assert list(layer.columns) == [*BASE_COLUMNS, "geometry"]
    assert layer.crs == "EPSG:4326"
    assert len(layer) == 7
    assert layer["place"].is_unique
    assert set(layer.geom_type) == {"Point"}
    assert {"Sévaré", "Diabali", "Adrar des Ifoghas"} <= set(layer["place"])


def test_bases_are_drawn_at_their_place_in_the_gazetteer(
    bases: pd.DataFrame, places: pd.DataFrame
) -> None:
    layer = bases_at(bases, places, full_period())
    coords = places.set_index("name")
    for place, point in zip(layer["place"], layer.geometry, strict=True):
        assert point.equals(Point(coords.loc[place, "lon"], coords.loc[place, "lat"])), place


def test_diabali_at_end_of_2012_is_held_by_the_malian_army(
    bases: pd.DataFrame, places: pd.DataFrame
) -> None:
    diabali = _at(bases, places, "2012-12").loc["Diabali"]
    assert diabali["held_by"] == "Malian army"
    assert diabali["held_since"] == pd.Timestamp("2012-09-08")
    first = bases[bases["base_id"] == "diabali"].iloc[0]
    assert diabali["history"].split("\n") == [f"2012-09-08: Malian army: {first['event']}"]


def test_diabali_at_end_of_january_2013_is_back_with_french_and_malian_forces(
    bases: pd.DataFrame, places: pd.DataFrame
) -> None:
    # Taken by Islamist armed groups on 2013-01-14, retaken on 2013-01-21.
    diabali = _at(bases, places, "2013-01").loc["Diabali"]
    assert diabali["held_by"] == "French and Malian forces"
    assert diabali["held_since"] == pd.Timestamp("2013-01-21")
    history = diabali["history"].split("\n")
    assert [line.split(": ")[:2] for line in history] == [
        ["2012-09-08", "Malian army"],
        ["2013-01-14", "Islamist armed groups"],
        ["2013-01-21", "French and Malian forces"],
    ]


def test_base_with_no_record_before_the_period_end_has_no_holder(
    bases: pd.DataFrame, places: pd.DataFrame
) -> None:
    layer = _at(bases, places, "2012-08")
    # Diabali's first cited date is 2012-09-08, Sévaré's 2013-01-10.
    for place in ("Diabali", "Sévaré"):
        assert pd.isna(layer.loc[place, "held_by"]), place
        assert pd.isna(layer.loc[place, "history"]), place
        assert layer.loc[place, "source"].startswith("http"), place


def test_sevare_changes_hands_in_january_2013(bases: pd.DataFrame, places: pd.DataFrame) -> None:
    assert pd.isna(_at(bases, places, "2012-12").loc["Sévaré", "held_by"])
    assert _at(bases, places, "2013-01").loc["Sévaré", "held_by"] == "French and Malian forces"


@pytest.mark.parametrize(
    ("end", "holder"),
    [
        ("2012-01", "AQIM"),
        ("2013-01", "AQIM"),
        ("2013-02", "contested"),
        ("2013-03", "French and Chadian forces"),
        ("2014-02", "French and Chadian forces"),
        ("2014-03", "contested"),
        ("2014-12", "contested (French operation Tudelle)"),
    ],
)
def test_ifoghas_holder_follows_the_dated_rows(
    bases: pd.DataFrame, places: pd.DataFrame, end: str, holder: str
) -> None:
    assert _at(bases, places, end).loc["Adrar des Ifoghas", "held_by"] == holder


@pytest.mark.parametrize("end", ["2012-06", "2013-01", "2013-06", "2014-12"])
def test_history_lists_only_changes_up_to_the_period_end(
    bases: pd.DataFrame, places: pd.DataFrame, end: str
) -> None:
    period = make_period("2012-01", end)
    layer = bases_at(bases, places, period)
    for _, row in layer.iterrows():
        if pd.isna(row["history"]):
            continue
        dates = [pd.Timestamp(line[:10]) for line in row["history"].split("\n")]
        assert max(dates) <= period.end_date, row["name"]
        assert dates == sorted(dates), row["name"]
        expected = bases[(bases["place"] == row["place"]) & (bases["date"] <= period.end_date)]
        assert len(dates) == len(expected), row["name"]
        # The holder is the last line's holder.
        assert row["history"].split("\n")[-1].split(": ")[1] == row["held_by"]


@pytest.mark.parametrize("end", ["2012-01", "2012-08", "2013-01", "2014-12"])
def test_every_base_has_a_source_url(bases: pd.DataFrame, places: pd.DataFrame, end: str) -> None:
    layer = bases_at(bases, places, make_period("2012-01", end))
    for source in layer["source"]:
        lines = source.split("\n")
        assert lines
        assert all(line.startswith(("http://", "https://")) for line in lines)


def test_base_whose_place_has_no_coordinate_is_refused(places: pd.DataFrame) -> None:
    bad = load_bases(DATA / "broken" / "bases_place_without_coordinate.csv")
    with pytest.raises(DataError, match="Tabareybarey"):
        bases_at(bad, places, full_period())
