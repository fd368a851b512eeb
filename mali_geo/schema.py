"""The normalised incident schema shared by the shipped data and every import."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from mali_geo.config import STUDY_AREA, WGS84

#: Columns of a normalised incidents GeoDataFrame, in order (plus ``geometry``).
INCIDENT_COLUMNS: tuple[str, ...] = (
    "incident_id",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "admin1",
    "lat",
    "lon",
    "coord_source",
    "location_precision",
    "event_type",
    "actors",
    "fatalities_low",
    "fatalities_high",
    "toll_included_in",
    "summary",
    "source_title",
    "source_url",
    "quote",
    "source_url_2",
)
TEXT_COLUMNS: tuple[str, ...] = (
    "incident_id",
    "date_precision",
    "place",
    "admin1",
    "coord_source",
    "event_type",
    "actors",
    "summary",
    "source_title",
    "source_url",
    "quote",
    "source_url_2",
    "toll_included_in",
)

#: Columns a frame may lack (files and frames written before they existed); they become empty.
OPTIONAL_INCIDENT_COLUMNS: tuple[str, ...] = ("location_precision", "toll_included_in")

#: ACLED-like location precision: 1 the named place, 2 near a place or between two places,
#: 3 only the region or massif known.
LOCATION_PRECISIONS: tuple[int, ...] = (1, 2, 3)
#: Each location precision in words, as popups show it.
LOCATION_PRECISION_WORDS: dict[int, str] = {
    1: "exact place",
    2: "near a place / between two places",
    3: "region or massif",
}

#: The project's event types (see geodata/README.md for their meaning).
EVENT_TYPES: tuple[str, ...] = (
    "battle",
    "air_strike",
    "suicide_attack",
    "ied_landmine",
    "rocket_shelling",
    "armed_attack",
    "kidnapping",
    "violence_against_civilians",
    "clash_between_armed_groups",
    "riot_protest",
    "coup_mutiny",
    "strategic_development",
    "other",
)


def in_study_area(lon: pd.Series | np.ndarray, lat: pd.Series | np.ndarray) -> np.ndarray:
    """Tell which coordinates fall inside the study area box.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees (WGS84).

    Returns
    -------
    numpy.ndarray
        Boolean mask, False for NaN coordinates.
    """
    lon_min, lat_min, lon_max, lat_max = STUDY_AREA
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon >= lon_min) & (lon <= lon_max) & (lat >= lat_min) & (lat <= lat_max)


def incidents_gdf(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Turn a frame with :data:`INCIDENT_COLUMNS` into a normalised incidents GeoDataFrame.

    Dates become ``datetime64``, fatalities and ``location_precision`` nullable integers
    (missing stays missing), text columns strings or missing, and rows without a coordinate get
    an empty geometry.

    Parameters
    ----------
    frame
        Must hold every column of :data:`INCIDENT_COLUMNS` except, optionally, those of
        :data:`OPTIONAL_INCIDENT_COLUMNS`; values already validated.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, one row per incident, index reset.
    """
    out = pd.DataFrame(index=range(len(frame)))
    src = frame.reset_index(drop=True)
    for col in INCIDENT_COLUMNS:
        if col in OPTIONAL_INCIDENT_COLUMNS and col not in src.columns:
            out[col] = pd.NA
        else:
            out[col] = src[col]
    for col in TEXT_COLUMNS:
        out[col] = out[col].astype("string")
    out["date_start"] = pd.to_datetime(out["date_start"]).astype("datetime64[ns]")
    out["date_end"] = pd.to_datetime(out["date_end"]).astype("datetime64[ns]")
    out["lat"] = pd.to_numeric(out["lat"]).astype(float)
    out["lon"] = pd.to_numeric(out["lon"]).astype(float)
    for col in ("fatalities_low", "fatalities_high", "location_precision"):
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    has_xy = out["lat"].notna() & out["lon"].notna()
    geometry = gpd.points_from_xy(out["lon"].where(has_xy), out["lat"].where(has_xy))
    geometry[~has_xy.to_numpy()] = None
    return gpd.GeoDataFrame(out, geometry=geometry, crs=WGS84)
