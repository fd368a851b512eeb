"""Loaders: each reads one file of ``geodata/``, validates it and returns a typed frame.

Every loader takes a ``path`` that defaults to the project's file, so tests can pass fixtures,
and raises :class:`~mali_geo.errors.DataError` with a message naming the file, the row (its line
number in the file) and the problem.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS

from mali_geo import config
from mali_geo.config import REGION_NAMES
from mali_geo.errors import DataError
from mali_geo.schema import (
    INCIDENT_COLUMNS,
    LOCATION_PRECISIONS,
    OPTIONAL_INCIDENT_COLUMNS,
    in_study_area,
    incidents_gdf,
)


def load_regions(path: str | Path = config.REGIONS_PATH) -> gpd.GeoDataFrame:
    """Load the 9 regions of Mali as of 2012–2014.

    Parameters
    ----------
    path
        A GeoJSON file with ``name`` and ``iso_3166_2`` properties.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``name_en``, ``iso_3166_2``, ``geometry`` in EPSG:4326.
    """
    gdf = _read_vector(path, ("name", "iso_3166_2"), ("Polygon", "MultiPolygon"))
    unknown = sorted(set(gdf["name"]) - set(REGION_NAMES))
    if unknown:
        msg = f"{Path(path).name}: unknown region names {unknown}; expected {list(REGION_NAMES)}"
        raise DataError(msg)
    keep = [c for c in ("name", "name_en", "iso_3166_2") if c in gdf.columns]
    return gdf[[*keep, "geometry"]]


def load_countries(path: str | Path = config.COUNTRIES_PATH) -> gpd.GeoDataFrame:
    """Load Mali and its neighbours (context layer): ``name_en``, ``role``, ``adm0_a3``."""
    gdf = _read_vector(path, ("adm0_a3", "name_en", "role"), ("Polygon", "MultiPolygon"))
    return gdf[["adm0_a3", "name_en", "role", "geometry"]]


def load_niger(path: str | Path = config.NIGER_PATH) -> gpd.GeoDataFrame:
    """Load the Niger river (context layer)."""
    gdf = _read_vector(path, ("name",), ("LineString", "MultiLineString"))
    return gdf[["name", "geometry"]]


def load_lakes(path: str | Path = config.LAKES_PATH) -> gpd.GeoDataFrame:
    """Load lakes of West Africa (context layer): ``name_display``."""
    gdf = _read_vector(path, ("name_display",), ("Polygon", "MultiPolygon"))
    return gdf[["name_display", "geometry"]]


def load_places(path: str | Path = config.PLACES_PATH) -> pd.DataFrame:
    """Load the gazetteer: one sourced coordinate per named place.

    Rows without a coordinate (camps found in no gazetteer) are kept with missing ``lat``/``lon``.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``country``, ``category``, ``lat``, ``lon``, ``source``, ``source_id``,
        ``license``.
    """
    cols = ("name", "country", "category", "lat", "lon", "source", "source_id", "license")
    frame = _read_table(path, cols)
    _check_unique(frame, "name", path)
    _check_coordinates(frame, path, allow_missing=True)
    return frame[list(cols)]


def load_incidents(path: str | Path = config.INCIDENTS_PATH) -> gpd.GeoDataFrame:
    """Load the shipped, cited incidents.

    Returns
    -------
    geopandas.GeoDataFrame
        The normalised incident schema (:data:`mali_geo.schema.INCIDENT_COLUMNS`); incidents
        without a coordinate have an empty geometry. ``location_precision`` is 1, 2 or 3 on
        every row with a coordinate; ``toll_included_in`` names the incident whose toll already
        counts this row's. Files without these two columns (written before they existed)
        load with both empty.
    """
    required = tuple(
        "admin1_2012" if c == "admin1" else c
        for c in INCIDENT_COLUMNS
        if c not in OPTIONAL_INCIDENT_COLUMNS
    )
    frame = _read_table(path, required).rename(columns={"admin1_2012": "admin1"})
    has_precision = "location_precision" in frame.columns
    for col in OPTIONAL_INCIDENT_COLUMNS:
        if col not in frame.columns:
            frame[col] = pd.Series(pd.NA, index=frame.index, dtype="object")
    _check_unique(frame, "incident_id", path)
    for col in ("date_start", "date_end"):
        frame[col] = _parse_dates(frame[col], col, path)
    _check_order(frame, path)
    _check_coordinates(frame, path, allow_missing=True)
    for col in ("fatalities_low", "fatalities_high"):
        frame[col] = _parse_counts(frame[col], col, path, allow_missing=True)
    _check_required_text(frame, ("incident_id", "place", "event_type", "source_url"), path)
    if has_precision:
        _check_precision(frame, path)
    _check_toll_links(frame, path)
    return incidents_gdf(frame)


def load_key_events(path: str | Path = config.KEY_EVENTS_PATH) -> pd.DataFrame:
    """Load the dated, cited turning points.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (datetime), ``date_precision``, ``place``, ``lat``, ``lon``, ``event``,
        ``source_url``, ``source_quote``; ``lat``/``lon`` missing where no page gave them.
    """
    cols = ("date", "date_precision", "place", "lat", "lon", "event", "source_url", "source_quote")
    frame = _read_table(path, cols)
    month_only = frame["date_precision"].eq("month") & frame["date"].str.len().eq(7)
    frame.loc[month_only, "date"] = frame.loc[month_only, "date"] + "-01"
    frame["date"] = _parse_dates(frame["date"], "date", path)
    _check_coordinates(frame, path, allow_missing=True)
    _check_required_text(frame, ("event", "source_url"), path)
    return frame[list(cols)]


def load_displacement(path: str | Path = config.DISPLACEMENT_PATH) -> pd.DataFrame:
    """Load the displacement figures (one figure per row).

    Returns
    -------
    pandas.DataFrame
        Columns ``record_id``, ``ref_date`` (datetime), ``host_iso3``, ``host_name``,
        ``location_clean``, ``location_level``, ``population_type``, ``value`` (int),
        ``source``, ``source_ref``, ``license``, ``notes``.
    """
    cols = (
        "record_id",
        "ref_date",
        "host_iso3",
        "host_name",
        "location_clean",
        "location_level",
        "population_type",
        "value",
        "source",
        "source_ref",
        "license",
        "notes",
    )
    frame = _read_table(path, cols, dates=("ref_date",))
    frame["value"] = _whole_numbers(frame, "value", path)
    _check_required_text(frame, ("host_iso3", "location_level", "population_type", "source"), path)
    return frame[list(cols)]


def load_displacement_situation(path: str | Path = config.SITUATION_PATH) -> pd.DataFrame:
    """Load the Mali-situation totals: refugees from Mali and IDPs in Mali at dated points.

    Each row is one figure as one document printed it (UNHCR situation updates, OCHA reports,
    CMP, IOM DTM, IDMC). Figures of different dates or counters are separate rows; no row is a
    sum the document did not print.

    Returns
    -------
    pandas.DataFrame
        Columns ``as_of`` (datetime: the day, or the first day of the month or year the figure
        refers to), ``as_of_precision`` ("day", "month" or "year"), ``published`` (text as
        printed, may be empty), ``population`` ("refugees" or "idps"), ``host`` ("all" for a
        refugee total, a country name, or "Mali" for IDPs), ``people`` (int), ``counted_by``,
        ``source_title``, ``source_url``, ``quote``, ``note``, sorted by date.

    Raises
    ------
    DataError
        If a date, a population, a host or a count is not as described above, or a row has no
        source URL or quote.
    """
    cols = (
        "as_of",
        "published",
        "population",
        "host",
        "people",
        "counted_by",
        "source_title",
        "source_url",
        "quote",
        "note",
    )
    frame = _read_table(path, cols)
    frame["as_of_precision"] = _as_of_precision(frame["as_of"], path)
    frame["as_of"] = pd.to_datetime(frame["as_of"], format="mixed").astype("datetime64[ns]")
    frame["people"] = _whole_numbers(frame, "people", path)
    _check_required_text(frame, ("population", "host", "counted_by", "source_url", "quote"), path)
    _check_situation_values(frame, path)
    frame = frame[[cols[0], "as_of_precision", *cols[1:]]]
    return frame.sort_values("as_of", kind="stable").reset_index(drop=True)


def load_bases(path: str | Path = config.BASES_PATH) -> pd.DataFrame:
    """Load the military bases: one row per dated holding state, each cited.

    Returns
    -------
    pandas.DataFrame
        Columns ``base_id``, ``name``, ``place``, ``role``, ``date`` (datetime),
        ``date_precision``, ``held_by``, ``event``, ``source_url``, ``source_quote``, sorted by
        base and date.
    """
    cols = (
        "base_id",
        "name",
        "place",
        "role",
        "date",
        "date_precision",
        "held_by",
        "event",
        "source_url",
        "source_quote",
    )
    frame = _read_table(path, cols, dates=("date",))
    _check_required_text(frame, ("base_id", "name", "place", "held_by", "source_url"), path)
    return frame[list(cols)].sort_values(["base_id", "date"], kind="stable")


def load_census(path: str | Path = config.CENSUS_PATH) -> pd.DataFrame:
    """Load Mali's 2009 census population by 2012 region: ``name``, ``population_2009``."""
    frame = _read_table(path, ("name", "population_2009", "source_url"))
    frame["population_2009"] = _whole_numbers(frame, "population_2009", path)
    unknown = sorted(set(frame["name"]) - set(REGION_NAMES))
    if unknown:
        msg = f"{Path(path).name}: unknown region names {unknown}"
        raise DataError(msg)
    return frame


# --- helpers -------------------------------------------------------------------------------


def _read_table(
    path: str | Path, required: Iterable[str], *, dates: Iterable[str] = ()
) -> pd.DataFrame:
    """Read a CSV as text, with its required columns, ``lat``/``lon`` as floats and ``dates``."""
    path = _existing_file(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        msg = f"{path.name}: cannot be read as CSV ({exc})"
        raise DataError(msg) from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        msg = f"{path.name}: missing column(s) {', '.join(missing)}"
        raise DataError(msg)
    for col in ("lat", "lon"):
        if col in frame.columns:
            frame[col] = _parse_floats(frame[col], col, path)
    for col in dates:
        frame[col] = _parse_dates(frame[col], col, path)
    return frame


def _read_vector(
    path: str | Path, required: Iterable[str], geom_types: tuple[str, ...]
) -> gpd.GeoDataFrame:
    path = _existing_file(path)
    try:
        gdf = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        msg = f"{path.name}: cannot be read as GeoJSON ({exc})"
        raise DataError(msg) from exc
    if gdf.crs is None or not CRS(gdf.crs).equals(CRS(config.WGS84)):
        msg = f"{path.name}: CRS is {gdf.crs}, expected WGS84 lon/lat (EPSG:4326)"
        raise DataError(msg)
    missing = [c for c in required if c not in gdf.columns]
    if missing:
        msg = f"{path.name}: missing property {', '.join(missing)}"
        raise DataError(msg)
    lon_min, lat_min, lon_max, lat_max = gdf.total_bounds
    if not (in_study_area(np.array([lon_min, lon_max]), np.array([lat_min, lat_max])).all()):
        msg = (
            f"{path.name}: coordinates span lon {lon_min:.5g}..{lon_max:.5g}, "
            f"lat {lat_min:.5g}..{lat_max:.5g}, outside the study area: not WGS84 lon/lat, "
            "or the wrong file"
        )
        raise DataError(msg)
    bad = ~gdf.geom_type.isin(geom_types)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        msg = (
            f"{path.name}: feature {i + 1}: geometry {gdf.geom_type.iloc[i]}, expected {geom_types}"
        )
        raise DataError(msg)
    return gdf


def _existing_file(path: str | Path) -> Path:
    """The path, if a file is there."""
    path = Path(path)
    if not path.is_file():
        msg = f"{path.name}: file not found at {path}"
        raise DataError(msg)
    return path


def _line(i: int, path: str | Path) -> int:
    """Line number in the file where data row ``i`` starts (the header is line 1).

    Quoted fields may span lines, so the file is read again with the csv module; this runs
    only when an error is being reported.
    """
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        start = 1
        for row_index, _row in enumerate(reader, start=-1):
            if row_index == i:
                return start
            start = reader.line_num + 1
    return int(i) + 2


def _parse_floats(series: pd.Series, col: str, path: str | Path) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce")
    _raise_at_first(series.notna() & values.isna(), series, col, path, "a number")
    return values.astype(float)


def _parse_dates(series: pd.Series, col: str, path: str | Path) -> pd.Series:
    values = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    _raise_at_first(values.isna(), series, col, path, "a YYYY-MM-DD date")
    return values.astype("datetime64[ns]")


def _parse_counts(
    series: pd.Series, col: str, path: str | Path, *, allow_missing: bool
) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce")
    bad = (series.notna() & values.isna()) | (values < 0) | ((values % 1).fillna(0) != 0)
    if not allow_missing:
        bad |= series.isna()
    _raise_at_first(bad.fillna(False), series, col, path, "a whole number >= 0")
    return values.astype("Int64")


def _raise_at_first(
    bad: pd.Series, series: pd.Series, col: str, path: str | Path, expected: str
) -> None:
    """Raise a :class:`DataError` naming the first row where ``bad`` holds, if any."""
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        msg = f"{Path(path).name}: row {_line(i, path)}: {col} {series.iloc[i]!r} is not {expected}"
        raise DataError(msg)


def _whole_numbers(frame: pd.DataFrame, col: str, path: str | Path) -> pd.Series:
    """A required column of whole numbers >= 0, as int64."""
    return _parse_counts(frame[col], col, path, allow_missing=False).astype("int64")


def _check_coordinates(frame: pd.DataFrame, path: str | Path, *, allow_missing: bool) -> None:
    lat, lon = frame["lat"], frame["lon"]
    half = lat.isna() != lon.isna()
    if half.any() or (not allow_missing and lat.isna().any()):
        i = int(np.flatnonzero(half if half.any() else lat.isna())[0])
        msg = (
            f"{Path(path).name}: row {_line(i, path)}: coordinate incomplete "
            "(lat and lon both needed)"
        )
        raise DataError(msg)
    outside = lat.notna() & ~in_study_area(lon, lat)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        msg = (
            f"{Path(path).name}: row {_line(i, path)}: "
            f"coordinate lat={lat.iloc[i]}, lon={lon.iloc[i]} "
            f"is outside the study area (lon {config.STUDY_AREA[0]}..{config.STUDY_AREA[2]}, "
            f"lat {config.STUDY_AREA[1]}..{config.STUDY_AREA[3]})"
        )
        raise DataError(msg)


def _check_unique(frame: pd.DataFrame, col: str, path: str | Path) -> None:
    dup = frame[col].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        msg = f"{Path(path).name}: row {_line(i, path)}: duplicate {col} {frame[col].iloc[i]!r}"
        raise DataError(msg)


def _check_order(frame: pd.DataFrame, path: str | Path) -> None:
    reversed_ = frame["date_end"] < frame["date_start"]
    if reversed_.any():
        i = int(np.flatnonzero(reversed_)[0])
        msg = f"{Path(path).name}: row {_line(i, path)}: date_end is before date_start"
        raise DataError(msg)


def _check_precision(frame: pd.DataFrame, path: str | Path) -> None:
    """Precision is 1, 2 or 3; it may be missing only where the coordinate is."""
    text = frame["location_precision"]
    allowed = [str(p) for p in LOCATION_PRECISIONS]
    invalid = text.notna() & ~text.isin(allowed)
    missing = text.isna() & frame["lat"].notna()
    if invalid.any() or missing.any():
        i = int(np.flatnonzero(invalid | missing)[0])
        problem = (
            f"location_precision {text.iloc[i]!r} is not one of {', '.join(allowed)}"
            if invalid.iloc[i]
            else "location_precision is empty but the row has a coordinate"
        )
        msg = f"{Path(path).name}: row {_line(i, path)}: {problem}"
        raise DataError(msg)


def _check_toll_links(frame: pd.DataFrame, path: str | Path) -> None:
    """Every ``toll_included_in`` names another existing incident, and the links form no cycle."""
    links: dict[str, str | None] = {
        str(k): (None if pd.isna(v) else str(v))
        for k, v in zip(frame["incident_id"], frame["toll_included_in"], strict=True)
    }
    for i, (start, target) in enumerate(links.items()):
        if target is not None and (target not in links or target == start):
            msg = (
                f"{Path(path).name}: row {_line(i, path)}: toll_included_in {target!r} "
                "does not name another incident of the file"
            )
            raise DataError(msg)
    for i, start in enumerate(links):
        chain, target = [start], links[start]
        while target is not None:
            if target in chain:
                cycle = " -> ".join([*chain[chain.index(target) :], target])
                msg = (
                    f"{Path(path).name}: row {_line(i, path)}: toll_included_in links form "
                    f"a cycle ({cycle})"
                )
                raise DataError(msg)
            chain.append(target)
            target = links[target]


_AS_OF_FORMS = (("day", r"\d{4}-\d{2}-\d{2}"), ("month", r"\d{4}-\d{2}"), ("year", r"\d{4}"))


def _as_of_precision(series: pd.Series, path: str | Path) -> pd.Series:
    """``day``/``month``/``year`` from the form of each ``as_of``; a bad form raises."""
    precision = pd.Series(pd.NA, index=series.index, dtype="string")
    for name, pattern in reversed(_AS_OF_FORMS):
        precision[series.fillna("").str.fullmatch(pattern)] = name
    parsed = pd.to_datetime(series.where(precision.notna()), format="mixed", errors="coerce")
    bad = precision.isna() | parsed.isna()
    _raise_at_first(bad, series, "as_of", path, "a YYYY-MM-DD, YYYY-MM or YYYY date")
    return precision


def _check_situation_values(frame: pd.DataFrame, path: str | Path) -> None:
    """Populations are refugees or IDPs; IDPs are in Mali; refugees are not."""
    bad = ~frame["population"].isin(["refugees", "idps"])
    bad |= (frame["population"] == "idps") & (frame["host"] != "Mali")
    bad |= (frame["population"] == "refugees") & (frame["host"] == "Mali")
    bad |= ~frame["source_url"].str.match(r"https?://")
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        row = frame.iloc[i]
        msg = (
            f"{Path(path).name}: row {_line(i, path)}: population {row['population']!r} with "
            f"host {row['host']!r} and source_url {row['source_url']!r}: expected refugees "
            "(host not Mali) or idps (host Mali) and an http(s) URL"
        )
        raise DataError(msg)


def _check_required_text(frame: pd.DataFrame, cols: Iterable[str], path: str | Path) -> None:
    for col in cols:
        empty = frame[col].isna()
        if empty.any():
            i = int(np.flatnonzero(empty)[0])
            msg = f"{Path(path).name}: row {_line(i, path)}: {col} is empty"
            raise DataError(msg)
