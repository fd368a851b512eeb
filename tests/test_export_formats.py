"""Exports in every format: the same features as GeoJSON, readable by the usual tools."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from mali_geo.catalogue import build_layers
from mali_geo.dataset import load_dataset
from mali_geo.export import EXPORT_FORMATS, dumps, feature_collection, write_geojson, write_layers
from mali_geo.period import full_period


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return dict(build_layers(load_dataset(), full_period()))


def test_chunked_geojson_is_the_same_text(
    layers: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    gdf = layers["incidents"]
    path = write_geojson(gdf, tmp_path / "x.geojson")
    assert path.read_text(encoding="utf-8") == dumps(feature_collection(gdf))
    assert json.loads(write_geojson(gdf.iloc[:0], tmp_path / "e.geojson").read_text()) == {
        "type": "FeatureCollection",
        "features": [],
    }


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_holds_every_feature(
    layers: dict[str, gpd.GeoDataFrame], tmp_path: Path, fmt: str
) -> None:
    paths = write_layers(layers, tmp_path, fmt=fmt)
    for name, gdf in layers.items():
        if fmt == "gpkg":
            back = gpd.read_file(paths[0], layer=name)
        elif fmt == "parquet":
            back = gpd.read_parquet(tmp_path / f"{name}.parquet")
        elif fmt == "csv":
            back = pd.read_csv(tmp_path / f"{name}.csv")
        else:
            back = gpd.read_file(tmp_path / f"{name}.geojson")
        assert len(back) == len(gdf), name
        if fmt != "csv":
            assert back.crs is not None
            assert back.crs.to_epsg() == 4326


def test_csv_export_is_spreadsheet_safe(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["=HYPERLINK(1)", "Gao"]}, geometry=gpd.points_from_xy([1, 2], [15, 16]), crs=4326
    )
    (path,) = write_layers({"x": gdf}, tmp_path, fmt="csv")
    assert pd.read_csv(path)["name"].tolist() == ["'=HYPERLINK(1)", "Gao"]
