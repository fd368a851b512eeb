"""GeoJSON export (mali_geo.export): round trips through geopandas, RFC 7946 and the validator."""

from __future__ import annotations

import copy
import io
import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, Polygon

from mali_geo.catalogue import LAYERS, build_layers
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.export import (
    combined_collection,
    dumps,
    feature_collection,
    incidents_csv,
    rfc7946_problems,
    write_layers,
)
from mali_geo.period import full_period, make_period

POINT_DECIMALS = 6
SHAPE_DECIMALS = 5
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PERIODS = [("2013-01", "2013-12"), ("2012-01", "2014-12"), ("2012-02", "2012-02")]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module", params=PERIODS, ids=["-".join(p) for p in PERIODS])
def exported(
    request: pytest.FixtureRequest, dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, Path]]:
    """Every layer for a period, and the files write_layers made of them."""
    layers = build_layers(dataset, make_period(*request.param))
    out = tmp_path_factory.mktemp("export")
    paths = write_layers(layers, out)
    return layers, dict(zip(layers, paths, strict=True))


# --- helpers ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A property value as JSON would say it: None, bool, int, float, str or an ISO date."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return int(value) if float(value).is_integer() else float(value)
    return str(value)


def _rounded(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """A geometry at the stated precision: points 6 decimals, anything else 5."""
    if geom is None or geom.is_empty:
        return None
    decimals = POINT_DECIMALS if geom.geom_type == "Point" else SHAPE_DECIMALS
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def _comparable(gdf: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    props = {col: [_plain(v) for v in gdf[col]] for col in columns}
    geometry = [_rounded(g) for g in gdf.geometry]
    return gpd.GeoDataFrame(props, geometry=geometry, crs="EPSG:4326")


def _coordinates(geometry: dict[str, Any]) -> list[Any]:
    out: list[Any] = []

    def walk(c: Any) -> None:
        if isinstance(c, list) and c and not isinstance(c[0], list):
            out.append(c)
        else:
            for part in c:
                walk(part)

    walk(geometry["coordinates"])
    return out


def _square(x0: float, y0: float, size: float, *, ccw: bool = True) -> list[list[float]]:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return ring if ccw else ring[::-1]


def _collection(geometry: dict[str, Any] | None, **props: Any) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": geometry}],
    }


# --- round trip through the files ---------------------------------------------------------------


def test_write_layers_writes_one_file_per_layer(
    exported: tuple[dict[str, gpd.GeoDataFrame], dict[str, Path]],
) -> None:
    _, paths = exported
    assert list(paths) == list(LAYERS)
    for name, path in paths.items():
        assert path.name == f"{name}.geojson"
        assert path.is_file()


@pytest.mark.parametrize("name", LAYERS)
def test_file_read_back_with_geopandas_gives_the_same_features(
    exported: tuple[dict[str, gpd.GeoDataFrame], dict[str, Path]], name: str
) -> None:
    layers, paths = exported
    gdf = layers[name]
    back = gpd.read_file(paths[name])
    assert len(back) == len(gdf)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    if len(gdf) == 0:
        return
    assert sorted(c for c in back.columns if c != "geometry") == sorted(columns)
    assert back.crs == "EPSG:4326"
    assert_geodataframe_equal(
        _comparable(back, columns),
        _comparable(gdf.to_crs("EPSG:4326"), columns),
        check_dtype=False,
        check_less_precise=True,
        normalize=True,
    )


@pytest.mark.parametrize("name", LAYERS)
def test_every_export_passes_the_rfc7946_validator(
    exported: tuple[dict[str, gpd.GeoDataFrame], dict[str, Path]], name: str
) -> None:
    _, paths = exported
    collection = json.loads(paths[name].read_text(encoding="utf-8"))
    assert rfc7946_problems(collection) == []


@pytest.mark.parametrize("name", LAYERS)
def test_points_have_at_most_6_decimals_and_shapes_at_most_5(
    exported: tuple[dict[str, gpd.GeoDataFrame], dict[str, Path]], name: str
) -> None:
    _, paths = exported
    collection = json.loads(paths[name].read_text(encoding="utf-8"), parse_float=Decimal)
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry is None:
            continue
        decimals = POINT_DECIMALS if geometry["type"] == "Point" else SHAPE_DECIMALS
        for position in _coordinates(geometry):
            assert len(position) == 2
            for number in position:
                exponent = Decimal(number).as_tuple().exponent
                assert isinstance(exponent, int)
                assert exponent >= -decimals, (name, position)


@pytest.mark.parametrize("name", LAYERS)
def test_dates_are_iso_strings_and_missing_values_are_null(
    exported: tuple[dict[str, gpd.GeoDataFrame], dict[str, Path]], name: str
) -> None:
    layers, paths = exported
    gdf = layers[name]
    text = paths[name].read_text(encoding="utf-8")
    assert "NaN" not in text
    assert "NaT" not in text
    features = json.loads(text)["features"]
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    for feature, (_, row) in zip(features, gdf.iterrows(), strict=True):
        props = feature["properties"]
        assert set(props) == set(columns)
        for col in columns:
            value = row[col]
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                assert props[col] is None, (name, col)
            elif isinstance(value, pd.Timestamp):
                assert ISO_DATE.match(props[col]), (name, col, props[col])
                assert props[col] == value.strftime("%Y-%m-%d")


def test_unlocated_flows_are_written_with_null_geometry(
    exported: tuple[dict[str, gpd.GeoDataFrame], dict[str, Path]],
) -> None:
    layers, paths = exported
    flows = layers["displacement"]
    features = json.loads(paths["displacement"].read_text(encoding="utf-8"))["features"]
    for feature, located in zip(features, flows["destination_located"], strict=True):
        assert (feature["geometry"] is None) == (not located)
        assert feature["properties"]["destination_located"] is bool(located)


# --- feature_collection on hand-made frames ------------------------------------------------------


def test_feature_collection_reprojects_to_lon_lat() -> None:
    gao = gpd.GeoDataFrame({"name": ["Gao"]}, geometry=[Point(-0.04472, 16.27167)], crs=4326)
    utm = gao.to_crs("EPSG:32630")
    collection = feature_collection(utm)
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(-0.04472, abs=1e-6)
    assert lat == pytest.approx(16.27167, abs=1e-6)
    assert "crs" not in collection


def test_feature_collection_rounds_points_to_6_and_shapes_to_5_decimals() -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["point", "shape"]},
        geometry=[
            Point(-4.094412345678, 14.517357123456),
            Polygon([(-4.0000049, 14.0), (-3.0, 14.0), (-3.0, 15.0000051), (-4.0000049, 14.0)]),
        ],
        crs=4326,
    )
    features = feature_collection(gdf)["features"]
    assert features[0]["geometry"]["coordinates"] == [-4.094412, 14.517357]
    ring = features[1]["geometry"]["coordinates"][0]
    assert [-4.0, 14.0] in ring
    assert [-3.0, 15.00001] in ring


def test_feature_collection_fixes_ring_orientation() -> None:
    clockwise = Polygon(
        [tuple(p) for p in _square(0, 10, 10, ccw=False)],
        holes=[[tuple(p) for p in _square(2, 12, 2, ccw=True)]],
    )
    gdf = gpd.GeoDataFrame({"name": ["donut"]}, geometry=[clockwise], crs=4326)
    collection = feature_collection(gdf)
    assert rfc7946_problems(collection) == []
    back = shapely.geometry.shape(collection["features"][0]["geometry"])
    assert back.area == pytest.approx(clockwise.area)


def test_feature_collection_writes_missing_values_as_null_and_dates_as_iso() -> None:
    gdf = gpd.GeoDataFrame(
        {
            "when": pd.to_datetime(["2013-01-11", None]),
            "toll": pd.array([3, None], dtype="Int64"),
            "share": [0.5, np.nan],
            "label": pd.array(["a", None], dtype="string"),
            "flag": pd.array([True, None], dtype="boolean"),
        },
        geometry=[Point(1, 15), None],
        crs=4326,
    )
    collection = json.loads(dumps(feature_collection(gdf)))
    first, second = (f["properties"] for f in collection["features"])
    assert first == {"when": "2013-01-11", "toll": 3, "share": 0.5, "label": "a", "flag": True}
    assert second == dict.fromkeys(first)
    assert collection["features"][1]["geometry"] is None


def test_combined_collection_tags_each_feature_with_its_layer(dataset: Dataset) -> None:
    layers = build_layers(dataset, full_period(), layers=["bases", "key_events"])
    collection = combined_collection(layers)
    tags = [f["properties"]["layer"] for f in collection["features"]]
    assert tags == ["bases"] * len(layers["bases"]) + ["key_events"] * len(layers["key_events"])
    assert rfc7946_problems(collection) == []


def test_incidents_csv_has_iso_dates(dataset: Dataset) -> None:
    text = incidents_csv(dataset.incidents.head(3))
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    assert frame["date_start"].str.match(ISO_DATE).all()
    assert "geometry" not in frame.columns
    assert len(frame) == 3


# --- the validator on hand-made collections -------------------------------------------------------


def test_validator_accepts_a_correct_collection() -> None:
    good = _collection(
        {"type": "Polygon", "coordinates": [_square(0, 10, 10), _square(2, 12, 2, ccw=False)]},
        name="ok",
        toll=None,
    )
    assert rfc7946_problems(good) == []
    assert rfc7946_problems(_collection(None, name="unlocated")) == []


def test_validator_catches_a_crs_member() -> None:
    bad = _collection({"type": "Point", "coordinates": [1.0, 15.0]})
    bad["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}
    problems = rfc7946_problems(bad)
    assert len(problems) == 1
    assert "crs" in problems[0]


@pytest.mark.parametrize(
    "position",
    [[181.0, 15.0], [-180.5, 15.0], [1.0, 90.5], [1.0, -91.0], [500000.0, 1600000.0]],
)
def test_validator_catches_coordinates_that_are_not_lon_lat(position: list[float]) -> None:
    bad = _collection({"type": "Point", "coordinates": position})
    problems = rfc7946_problems(bad)
    assert len(problems) == 1
    assert "lon/lat" in problems[0]


def test_validator_catches_a_clockwise_exterior_ring() -> None:
    bad = _collection({"type": "Polygon", "coordinates": [_square(0, 10, 10, ccw=False)]})
    problems = rfc7946_problems(bad)
    assert len(problems) == 1
    assert "exterior ring" in problems[0]


def test_validator_catches_a_counter_clockwise_hole() -> None:
    bad = _collection(
        {"type": "Polygon", "coordinates": [_square(0, 10, 10), _square(2, 12, 2, ccw=True)]}
    )
    problems = rfc7946_problems(bad)
    assert len(problems) == 1
    assert "interior ring" in problems[0]


def test_validator_checks_every_part_of_a_multipolygon() -> None:
    bad = _collection(
        {
            "type": "MultiPolygon",
            "coordinates": [[_square(0, 10, 1)], [_square(5, 10, 1, ccw=False)]],
        }
    )
    problems = rfc7946_problems(bad)
    assert len(problems) == 1
    assert "exterior ring" in problems[0]


def test_validator_catches_nan_in_coordinates() -> None:
    bad = _collection({"type": "LineString", "coordinates": [[1.0, 15.0], [float("nan"), 16.0]]})
    problems = rfc7946_problems(bad)
    assert len(problems) == 1
    assert "NaN" in problems[0]


def test_validator_catches_nan_in_properties() -> None:
    bad = _collection({"type": "Point", "coordinates": [1.0, 15.0]}, toll=float("nan"))
    problems = rfc7946_problems(bad)
    assert len(problems) == 1
    assert "NaN" in problems[0]


def test_validator_catches_nan_read_from_a_file(tmp_path: Path) -> None:
    # What a careless writer (json.dumps with allow_nan) puts in a file.
    path = tmp_path / "nan.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature",'
        '"properties":{"toll":NaN},"geometry":{"type":"Point","coordinates":[NaN,15.0]}}]}',
        encoding="utf-8",
    )
    problems = rfc7946_problems(json.loads(path.read_text(encoding="utf-8")))
    assert len(problems) == 2


def test_validator_names_the_feature_at_fault() -> None:
    good = _collection({"type": "Point", "coordinates": [1.0, 15.0]})
    bad = copy.deepcopy(good)
    bad["features"].append(
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 99]}}
    )
    problems = rfc7946_problems(bad)
    assert len(problems) == 1
    assert problems[0].startswith("feature 1")


def test_validator_catches_a_collection_that_is_not_one() -> None:
    assert rfc7946_problems({"type": "Feature", "properties": {}, "geometry": None}) != []


def test_dumps_refuses_nan() -> None:
    with pytest.raises(ValueError, match="JSON"):
        dumps(_collection(None, toll=float("nan")))
