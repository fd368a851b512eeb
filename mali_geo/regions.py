"""The regions layer: Mali's 9 regions of 2012 with area and incidents for a period."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from mali_geo.coded import CodedIncidents, code_incidents, compact
from mali_geo.config import EQUAL_AREA_CRS
from mali_geo.incidents import group_tolls
from mali_geo.load import load_census

#: The column each density option of :data:`~mali_geo.config.REGION_DENSITIES` shades by.
DENSITY_COLUMNS: dict[str, str] = {
    "area": "incidents_per_10000_km2",
    "people": "incidents_per_100000_people",
}
REGIONS_SOURCE = "Natural Earth 1:10m admin-1 (public domain); incidents: see incidents layer"


def region_areas_km2(regions: gpd.GeoDataFrame) -> pd.Series:
    """Area of each region in km², computed in Africa Albers Equal Area (ESRI:102022)."""
    areas: pd.Series = regions.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6
    return areas


#: Rounded areas by regions frame: (the frame, its areas); the regions are loaded once.
_AREAS: list[tuple[gpd.GeoDataFrame, npt.NDArray[np.int64]]] = []


def _rounded_areas(regions: gpd.GeoDataFrame) -> npt.NDArray[np.int64]:
    """:func:`region_areas_km2` to the km², computed once for the frame the data loaded."""
    for frame, areas in _AREAS:
        if frame is regions:
            return areas
    rounded: npt.NDArray[np.int64] = region_areas_km2(regions).round(0).to_numpy(dtype=np.int64)
    _AREAS[:] = [(regions, rounded)]
    return rounded


def regions_with_incidents(
    regions: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    *,
    census: pd.DataFrame | None = None,
    coded: CodedIncidents | None = None,
) -> gpd.GeoDataFrame:
    """Add area, incident count and fatality range to each region.

    Incidents are assigned by their recorded 2012 region (``admin1``), not by a
    point-in-polygon test: Natural Earth's generalised boundaries put a few border places on
    the wrong side, and incidents without a coordinate still have a recorded region.

    Parameters
    ----------
    regions
        From :func:`mali_geo.load.load_regions`.
    incidents
        Normalised incidents already selected for a period.
    census
        Population by region (``name``, ``population_2009``); the 2009 census in
        ``geodata`` by default.
    coded
        ``incidents`` coded (:mod:`mali_geo.coded`), if already done; by default coded here.

    Returns
    -------
    geopandas.GeoDataFrame
        ``name``, ``name_en``, ``iso_3166_2``, ``area_km2``, ``incidents``,
        ``incidents_per_10000_km2``, ``population_2009``, ``incidents_per_100000_people``,
        ``fatalities_low``, ``fatalities_high``, ``source``. The fatality range is missing
        (not 0) for a region with no incident in the period.
    """
    out = regions.copy()
    out["area_km2"] = _rounded_areas(regions)
    tolls = _tolls_by_region(code_incidents(incidents) if coded is None else coded)
    tolls = tolls.reindex(out["name"])
    out["incidents"] = tolls["incidents"].fillna(0).astype("int64").to_numpy()
    out["incidents_per_10000_km2"] = (out["incidents"] / out["area_km2"] * 1e4).round(2)
    people = _populations(census).reindex(out["name"]).to_numpy()
    out["population_2009"] = pd.array(people, dtype="Int64")
    out["incidents_per_100000_people"] = (out["incidents"] / out["population_2009"] * 1e5).round(2)
    # A region with no incident in the sample has no known toll: the incidents are a sample,
    # not a record, so "none recorded" is missing data, never a toll of 0.
    out["fatalities_low"] = pd.array(tolls["low"].to_numpy(), dtype="Int64")
    out["fatalities_high"] = pd.array(tolls["high"].to_numpy(), dtype="Int64")
    out["source"] = REGIONS_SOURCE
    return out


def density_column(density: str) -> str:
    """The column of :func:`regions_with_incidents` that a density option shades by.

    Parameters
    ----------
    density
        A key of :data:`mali_geo.config.REGION_DENSITIES`: ``"area"`` or ``"people"``.
    """
    if density not in DENSITY_COLUMNS:
        msg = f"unknown region density {density!r}; choose from {', '.join(DENSITY_COLUMNS)}"
        raise ValueError(msg)
    return DENSITY_COLUMNS[density]


def _populations(census: pd.DataFrame | None) -> pd.Series:
    frame = _census_file() if census is None else census
    return pd.Series(
        frame["population_2009"].to_numpy(), index=pd.Index(frame["name"], dtype=object)
    )


@lru_cache(maxsize=1)
def _census_file() -> pd.DataFrame:
    return load_census()


def _tolls_by_region(coded: CodedIncidents) -> pd.DataFrame:
    """Per recorded region: incident count and fatality range (as :func:`fatality_range`).

    Only regions with at least one incident are listed.
    """
    c = coded.only(coded.admin1.codes >= 0)
    codes, names = compact(c.admin1)
    tolls = group_tolls(c.low, c.high, c.elsewhere, codes, len(names))
    return pd.DataFrame(
        {
            "incidents": tolls["incidents"],
            "low": tolls["fatalities_low"],
            "high": tolls["fatalities_high"],
        },
        index=pd.Index(names, dtype=object),
    )
