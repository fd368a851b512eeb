"""Tolls counted once: a row whose toll is included in another's adds nothing to any sum."""

from __future__ import annotations

import json
from io import StringIO

import folium
import geopandas as gpd
import pandas as pd
import pytest
from tests_paths import DATA

from layers.assets import walk
from layers.incidents import incidents_layer
from layers.regions import regions_layer
from mali_geo.dataset import load_dataset, with_incidents
from mali_geo.export import feature_collection, incidents_csv
from mali_geo.incidents import counted_tolls, fatality_range, incidents_grid
from mali_geo.load import load_incidents, load_regions
from mali_geo.period import make_period
from mali_geo.regions import regions_with_incidents
from mali_geo.summary import headline
from mali_geo.towns import towns_with_incidents

JANUARY = make_period("2013-01", "2013-01")


@pytest.fixture(scope="module")
def konna() -> gpd.GeoDataFrame:
    return load_incidents(DATA / "incidents_tolls.csv")


def test_contained_tolls_add_nothing_to_the_range(konna: gpd.GeoDataFrame) -> None:
    # TK-01 30..100 holds TK-02 (1), TK-03 (7) and TK-04 (none); TK-05 2..3 is separate.
    assert fatality_range(konna["fatalities_low"], konna["fatalities_high"]) == (40, None)
    assert fatality_range(*counted_tolls(konna)) == (32, 103)


def test_konna_town_counts_its_incidents_but_the_battle_toll_once(
    konna: gpd.GeoDataFrame,
) -> None:
    town = towns_with_incidents(konna).set_index("name").loc["Konna"]
    assert town["incidents"] == 4
    assert (town["fatalities_low"], town["fatalities_high"]) == (30, 100)
    assert town["tolls_counted_elsewhere"] == 3
    # TK-04 has no figure, but its deaths are in TK-01's: it is not "without a toll".
    assert town["incidents_without_toll"] == 0


def test_region_and_grid_count_the_battle_toll_once(konna: gpd.GeoDataFrame) -> None:
    mopti = regions_with_incidents(load_regions(), konna).set_index("name").loc["Mopti"]
    assert mopti["incidents"] == 5
    assert (mopti["fatalities_low"], mopti["fatalities_high"]) == (32, 103)
    grid = incidents_grid(konna)
    assert grid["incidents"].sum() == 5
    assert (grid["fatalities_low"].sum(), grid["fatalities_high"].sum()) == (32, 103)


def test_headline_counts_the_battle_toll_once(konna: gpd.GeoDataFrame) -> None:
    dataset = with_incidents(load_dataset(), konna, mode="replace", label="fixture")
    figures = headline(dataset, JANUARY)
    assert figures.incidents == 5
    assert (figures.fatalities_low, figures.fatalities_high) == (32, 103)
    assert figures.without_toll == 0


def test_shipped_konna_rows_are_not_added_twice() -> None:
    shipped = load_incidents()
    contained = shipped[shipped["toll_included_in"].eq("MLI-0040").fillna(False)]
    assert {"MLI-0043", "MLI-2002"} <= set(contained["incident_id"])
    mopti = regions_with_incidents(load_regions(), shipped).set_index("name").loc["Mopti"]
    rows = shipped[shipped["admin1"].eq("Mopti")]
    counted = rows[~rows["incident_id"].isin(contained["incident_id"])]
    assert mopti["incidents"] == len(rows)
    assert mopti["fatalities_low"] == int(counted["fatalities_low"].sum())
    assert mopti["fatalities_low"] < int(rows["fatalities_low"].sum())


def test_a_contained_incident_keeps_its_own_figures_in_exports(konna: gpd.GeoDataFrame) -> None:
    features = feature_collection(konna)["features"]
    tk02 = next(f["properties"] for f in features if f["properties"]["incident_id"] == "TK-02")
    assert (tk02["fatalities_low"], tk02["toll_included_in"]) == (1, "TK-01")
    assert tk02["location_precision"] == 1
    table = pd.read_csv(StringIO(incidents_csv(konna)))
    assert {"location_precision", "toll_included_in"} <= set(table.columns)
    assert table.set_index("incident_id").loc["TK-04", "location_precision"] == 3


def test_popup_says_where_the_toll_is_and_how_precise_the_place_is(
    konna: gpd.GeoDataFrame,
) -> None:
    page = json.dumps(_features(incidents_layer(konna)), ensure_ascii=False)
    assert "toll included in TK-01" in page
    assert "<th>Location</th><td>exact place</td>" in page
    assert "<th>Location</th><td>near a place / between two places</td>" in page
    assert "<th>Location</th><td>region or massif</td>" in page


def test_a_region_without_incidents_has_no_known_toll(konna: gpd.GeoDataFrame) -> None:
    layer = regions_with_incidents(load_regions(), konna).set_index("name")
    sikasso = layer.loc["Sikasso"]
    assert sikasso["incidents"] == 0
    assert pd.isna(sikasso["fatalities_low"])
    assert pd.isna(sikasso["fatalities_high"])
    sikasso_json = next(
        f["properties"]
        for f in feature_collection(layer.reset_index())["features"]
        if f["properties"]["name"] == "Sikasso"
    )
    assert sikasso_json["fatalities_low"] is None
    assert sikasso_json["fatalities_high"] is None
    page = json.dumps(_features(regions_layer(layer.reset_index())), ensure_ascii=False)
    assert "no incident in the sample" in page


def _features(group: folium.FeatureGroup) -> list[dict]:
    out: list[dict] = []
    for child in walk(group):  # incidents sit in a marker cluster inside the group
        data = getattr(child, "data", None)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            out.extend(json.loads(json.dumps(data))["features"])
    return out
