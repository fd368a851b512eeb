"""GeoJSON out: RFC 7946 FeatureCollections, written and checked; other formats for big layers.

WGS84 lon/lat, no ``crs`` member, exterior rings counter-clockwise (right-hand rule), no NaN
(missing is ``null``), dates as ISO strings, points rounded to 6 decimals and shapes to 5.

:func:`write_layers` also writes GeoPackage (one ``layers.gpkg``, a table per layer, through
pyogrio), GeoParquet (``<layer>.parquet``, through geopandas) and spreadsheet-safe CSV
(``<layer>.csv``, geometry as WKT, see :mod:`mali_geo.spreadsheet`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from mali_geo.config import POINT_PRECISION, SHAPE_PRECISION, WGS84
from mali_geo.geometry import has_shape
from mali_geo.spreadsheet import spreadsheet_safe_csv

#: Formats :func:`write_layers` writes; the first is the default.
EXPORT_FORMATS: Final[tuple[str, ...]] = ("geojson", "gpkg", "parquet", "csv")
#: Features written per GeoJSON chunk: a million features are never all dicts at once.
_GEOJSON_CHUNK: Final = 50_000


def feature_collection(gdf: gpd.GeoDataFrame, *, layer: str | None = None) -> dict[str, Any]:
    """Turn a GeoDataFrame into an RFC 7946 FeatureCollection (a dict).

    Parameters
    ----------
    gdf
        Any CRS (reprojected to WGS84). A row without a geometry becomes a feature with
        ``"geometry": null`` (RFC 7946 section 3.2: an unlocated feature).
    layer
        If given, every feature gets a ``layer`` property with this value.

    Returns
    -------
    dict
        Ready for :func:`json.dumps` (no NaN, no numpy types, dates as ISO strings).
    """
    if gdf.crs is not None and not gdf.crs.equals(WGS84):
        gdf = gdf.to_crs(WGS84)
    frame = gdf.drop(columns=gdf.geometry.name)
    names = list(frame.columns)
    columns = [_json_values(frame[col]) for col in names]
    if layer is not None:
        names, columns = ["layer", *names], [[layer] * len(frame), *columns]
    rows = zip(*columns, strict=True) if names else ([] for _ in range(len(frame)))
    features = [
        {"type": "Feature", "properties": dict(zip(names, row, strict=True)), "geometry": shape}
        for row, shape in zip(rows, _geometries(gdf.geometry), strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def combined_collection(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, Any]:
    """One FeatureCollection of several layers, each feature tagged with its ``layer``."""
    features: list[dict[str, Any]] = []
    for name, gdf in layers.items():
        features.extend(feature_collection(gdf, layer=name)["features"])
    return {"type": "FeatureCollection", "features": features}


def dumps(collection: Mapping[str, Any]) -> str:
    """Serialise a FeatureCollection compactly; refuses NaN and infinities."""
    return json.dumps(collection, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def write_layers(
    layers: Mapping[str, gpd.GeoDataFrame], out_dir: str | Path, *, fmt: str = "geojson"
) -> list[Path]:
    """Write the layers into ``out_dir`` (created if needed) in one of :data:`EXPORT_FORMATS`.

    ``geojson``, ``parquet`` and ``csv`` write one ``<layer>.<ext>`` per layer; ``gpkg``
    writes one ``layers.gpkg`` with a table per layer.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``layers``.
    """
    if fmt not in EXPORT_FORMATS:
        msg = f"unknown format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}"
        raise ValueError(msg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "gpkg":
        path = out / "layers.gpkg"
        path.unlink(missing_ok=True)
        for name, gdf in layers.items():
            _for_ogr(gdf).to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        return [path]
    paths = []
    for name, gdf in layers.items():
        path = out / f"{name}.{fmt}"
        if fmt == "parquet":
            gdf.to_parquet(path, index=False, compression="zstd")
        elif fmt == "csv":
            path.write_text(layer_csv(gdf), encoding="utf-8", newline="")
        else:
            write_geojson(gdf, path)
        paths.append(path)
    return paths


def write_geojson(gdf: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write a FeatureCollection as :func:`dumps` would, a chunk of features at a time."""
    path = Path(path)
    with path.open("w", encoding="utf-8") as file:
        file.write('{"type":"FeatureCollection","features":[')
        for start in range(0, len(gdf), _GEOJSON_CHUNK):
            features = feature_collection(gdf.iloc[start : start + _GEOJSON_CHUNK])["features"]
            text = dumps({"f": features})[len('{"f":[') : -2]
            file.write(("," if start else "") + text)
        file.write("]}")
    return path


def layer_csv(gdf: gpd.GeoDataFrame) -> str:
    """A layer as spreadsheet-safe CSV: dates as ISO, the geometry as WKT in ``geometry``."""
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    for col in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].dt.strftime("%Y-%m-%d")
    frame["geometry"] = gdf.geometry.to_wkt(rounding_precision=POINT_PRECISION).to_numpy()
    return spreadsheet_safe_csv(frame)


def rfc7946_problems(collection: Mapping[str, Any]) -> list[str]:
    """Check a FeatureCollection against the points of RFC 7946 this project promises.

    Parameters
    ----------
    collection
        A parsed GeoJSON object.

    Returns
    -------
    list of str
        One message per problem; empty if the collection conforms.
    """
    problems: list[str] = []
    if collection.get("type") != "FeatureCollection":
        problems.append("top level is not a FeatureCollection")
    if "crs" in collection:
        problems.append("has a 'crs' member (RFC 7946 section 4 removed it)")
    for i, feature in enumerate(collection.get("features", [])):
        problems.extend(f"feature {i}: {p}" for p in _feature_problems(feature))
    return problems


# --- helpers -------------------------------------------------------------------------------


def _for_ogr(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A layer as OGR takes it: WGS84, text columns as Python strings."""
    if gdf.crs is not None and not gdf.crs.equals(WGS84):
        gdf = gdf.to_crs(WGS84)
    return gdf


def _json_values(series: pd.Series) -> list[Any]:
    """JSON-ready values of a column, vectorised by dtype (missing -> ``None``)."""
    missing = series.isna().to_numpy(dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    elif pd.api.types.is_bool_dtype(series) and not missing.any():
        return [bool(v) for v in series.to_numpy(dtype=bool)]
    elif pd.api.types.is_integer_dtype(series):
        values = series.to_numpy(dtype="int64", na_value=0).astype(object)
    elif pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype="float64", na_value=np.nan).astype(object)
    elif pd.api.types.is_string_dtype(series) and not pd.api.types.is_object_dtype(series):
        values = series.to_numpy(dtype=object)
    else:
        return [_json_scalar(v) for v in series]
    values[missing] = None
    listed: list[Any] = values.tolist()
    return listed


def _json_scalar(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value if isinstance(value, int | str | dict | list) else str(value)


def _geometries(geoms: gpd.GeoSeries) -> list[dict[str, Any] | None]:
    """GeoJSON geometries; points (the bulk of big layers) without a per-point shapely call."""
    values = geoms.to_numpy()
    empty = ~has_shape(values)
    is_point = (shapely.get_type_id(values) == 0) & ~empty
    if is_point.all():
        return [
            {"type": "Point", "coordinates": [round(x, POINT_PRECISION), round(y, POINT_PRECISION)]}
            for x, y in shapely.get_coordinates(values).tolist()
        ]
    simple = (shapely.get_type_id(values) == 3) & (shapely.get_num_interior_rings(values) == 0)
    if simple.all():  # e.g. grid cells: many small polygons without holes
        return _simple_polygons(values)
    return [None if gone else _geometry(geom) for geom, gone in zip(values, empty, strict=True)]


def _simple_polygons(values: np.ndarray) -> list[dict[str, Any] | None]:
    """What :func:`_geometry` gives for polygons without holes, with one shapely call for all."""
    coords, index = shapely.get_coordinates(shapely.get_exterior_ring(values), return_index=True)
    coords = np.round(coords, SHAPE_PRECISION)
    ccw = shapely.is_ccw(shapely.linearrings(coords, indices=index))
    bounds = np.searchsorted(index, np.arange(len(values) + 1))
    out: list[dict[str, Any] | None] = []
    for i, counter_clockwise in enumerate(np.asarray(ccw, dtype=bool).tolist()):
        ring = coords[bounds[i] : bounds[i + 1]].tolist()
        out.append({"type": "Polygon", "coordinates": [ring if counter_clockwise else ring[::-1]]})
    return out


def _geometry(geom: BaseGeometry) -> dict[str, Any]:
    if isinstance(geom, Point):
        x, y = round(geom.x, POINT_PRECISION), round(geom.y, POINT_PRECISION)
        return {"type": "Point", "coordinates": [x, y]}
    geom = shapely.transform(geom, lambda xy: np.round(xy, SHAPE_PRECISION))
    if isinstance(geom, Polygon):
        geom = orient(geom, sign=1.0)
    elif isinstance(geom, MultiPolygon):
        geom = MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])
    # Through JSON: tuples become lists, as in the fast paths above.
    shape: dict[str, Any] = json.loads(json.dumps(mapping(geom)))
    return shape


def _feature_problems(feature: Mapping[str, Any]) -> list[str]:
    problems = []
    if feature.get("type") != "Feature":
        problems.append("type is not Feature")
    text = json.dumps(feature.get("properties"), allow_nan=True)
    if "NaN" in text or "Infinity" in text:
        problems.append("properties hold NaN or Infinity")
    geometry = feature.get("geometry")
    if geometry is None:
        return problems
    coords = np.asarray(_flatten(geometry.get("coordinates", [])), dtype=float).reshape(-1, 2)
    if not np.isfinite(coords).all():
        problems.append("coordinates hold NaN or Infinity")
    elif ((np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)).any():
        problems.append("coordinates are not lon/lat in degrees")
    if geometry.get("type") in ("Polygon", "MultiPolygon"):
        polys = geometry["coordinates"]
        polys = [polys] if geometry["type"] == "Polygon" else polys
        for rings in polys:
            if _signed_area(rings[0]) <= 0:
                problems.append("exterior ring is not counter-clockwise")
            if any(_signed_area(r) >= 0 for r in rings[1:]):
                problems.append("interior ring is not clockwise")
    return problems


def _flatten(coords: Any) -> list[float]:
    if isinstance(coords, int | float):
        return [coords]
    out: list[float] = []
    for c in coords:
        out.extend(_flatten(c))
    return out


def _signed_area(ring: list[list[float]]) -> float:
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    return float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) / 2)


def incidents_csv(incidents: gpd.GeoDataFrame) -> str:
    """Incidents as CSV text (no geometry column; ``lat``/``lon`` kept), dates as ISO.

    Spreadsheet-safe: a text cell a spreadsheet would run as a formula is quoted
    (:func:`mali_geo.spreadsheet.spreadsheet_safe_csv`).
    """
    frame = pd.DataFrame(incidents.drop(columns=incidents.geometry.name))
    for col in ("date_start", "date_end"):
        frame[col] = frame[col].dt.strftime("%Y-%m-%d")
    return spreadsheet_safe_csv(frame)
