"""Geometry checks shared by the layers, the exports and the app."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely


def has_coordinate(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> npt.NDArray[np.bool_]:
    """Which rows have a geometry that is neither missing nor empty (a mask, no copy)."""
    return has_shape(frame.geometry.to_numpy())


def has_shape(geoms: npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    """Which shapely geometries of an array are neither missing nor empty."""
    mask: npt.NDArray[np.bool_] = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return mask
