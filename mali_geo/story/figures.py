"""Figures the story's checks compute from the data, and the helpers that format them.

These are public where the tests compare them with their own calculations. Distances are
measured in UTM zone 30N (:data:`mali_geo.config.DISTANCE_CRS`), never in degrees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from mali_geo import config, load
from mali_geo.dataset import Dataset
from mali_geo.incidents import incidents_in_period, located
from mali_geo.period import make_period

#: Event types matching the briefing's "suicide bombings, gun and rocket attacks and use of
#: landmines" (a battle is more than a gun attack, so it is not counted as one).
ATTACK_TYPES: tuple[str, ...] = (
    "suicide_attack",
    "armed_attack",
    "rocket_shelling",
    "ied_landmine",
)
#: The towns the briefing names as hit in 2013, as spelled in places.csv.
TOWNS_HIT_2013: tuple[str, ...] = ("Gao", "Kidal", "Ménaka", "Tessalit", "Timbuktu")
#: Holders in bases.csv that are armed groups (the Malian army lost the base to them).
ARMED_GROUPS: tuple[str, ...] = ("MNLA", "Ansar Dine", "AQIM", "MUJAO", "Islamist")
#: Armed groups whose names are counted in the incidents of the occupation.
OCCUPIERS: tuple[str, ...] = ("AQIM", "MUJAO", "Ansar Dine", "MNLA")
#: The columns of :func:`january_2013_front` before the distances are added.
_FRONT_COLUMNS = ("kind", "id", "date", "place", "event_type", "lon", "lat", "source_url")


def census(dataset: Dataset) -> pd.DataFrame:
    """The 2009 census by 2012 region: the dataset's if it has one, else ``geodata``'s file.

    Parameters
    ----------
    dataset
        The loaded data (``Dataset`` has no census field yet; a later one may).

    Returns
    -------
    pandas.DataFrame
        ``name``, ``population_2009``, ``source_url``.
    """
    frame = getattr(dataset, "census", None)
    return frame if frame is not None else _census_file()


def population_north_and_rest(dataset: Dataset) -> tuple[int, int]:
    """Mali's 2009 population in the three northern regions and in the rest of the country."""
    frame = census(dataset)
    north = frame["name"].isin(config.NORTHERN_REGIONS)
    return int(frame.loc[north, "population_2009"].sum()), int(
        frame.loc[~north, "population_2009"].sum()
    )


def incidents_in_year(dataset: Dataset, year: int) -> gpd.GeoDataFrame:
    """Incidents whose dates overlap a calendar year (the project's overlap rule)."""
    return incidents_in_period(dataset.incidents, make_period(f"{year}-01", f"{year}-12"))


def town_incidents_2013(dataset: Dataset) -> pd.DataFrame:
    """Incidents recorded in 2013 at each town the briefing names as hit.

    Returns
    -------
    pandas.DataFrame
        One row per town of :data:`TOWNS_HIT_2013`: ``town``, ``incidents`` (all types),
        ``attacks`` (types in :data:`ATTACK_TYPES`) and one column per attack type.
    """
    year = incidents_in_year(dataset, 2013)
    rows = []
    for town in TOWNS_HIT_2013:
        at_town = year[year["place"] == town]
        counts = {t: int((at_town["event_type"] == t).sum()) for t in ATTACK_TYPES}
        rows.append(
            {"town": town, "incidents": len(at_town), "attacks": sum(counts.values()), **counts}
        )
    return pd.DataFrame(rows)


def distance_km(a: Point, b: Point) -> float:
    """Distance in km between two WGS84 points, measured in UTM zone 30N (EPSG:32630)."""
    pts = gpd.GeoSeries([a, b], crs=config.WGS84).to_crs(config.DISTANCE_CRS)
    return float(pts.iloc[0].distance(pts.iloc[1]) / 1000)


def place_point(dataset: Dataset, name: str) -> Point:
    """The gazetteer point of a place, or of a base (by its ``name`` in bases.csv).

    Raises
    ------
    KeyError
        If the name is neither a place with a coordinate nor a base.
    """
    coords = dataset.places.dropna(subset=["lat", "lon"]).set_index("name")
    if name not in coords.index:
        bases = dataset.bases.drop_duplicates("base_id").set_index("name")
        if name not in bases.index or bases.loc[name, "place"] not in coords.index:
            msg = f"{name!r} is neither a place with a coordinate nor a base"
            raise KeyError(msg)
        name = str(bases.loc[name, "place"])
    lon, lat = coords.loc[name, ["lon", "lat"]].to_numpy(dtype=float)
    return Point(float(lon), float(lat))


def january_2013_front(dataset: Dataset) -> pd.DataFrame:
    """The January 2013 offensive in central Mali and its distances to the bases and Bamako.

    The offensive is its two captures in key_events (Konna, Diabaly) and the located incidents
    overlapping January 2013 in the two central regions it reached (Mopti, Ségou).

    Returns
    -------
    pandas.DataFrame
        ``kind`` ("key event"/"incident"), ``id``, ``date``, ``place``, ``event_type``,
        ``km_sevare``, ``km_diabali``, ``km_bamako`` (UTM 30N), ``source_url``.
    """
    sevare, diabali = _base_point(dataset, "Sévaré"), _base_point(dataset, "Diabali")
    bamako = place_point(dataset, "Bamako")
    captures = _offensive_captures(dataset)
    rows = [
        dict(zip(_FRONT_COLUMNS, ("key event", *values[:3], "", *values[3:]), strict=True))
        for values in zip(
            captures["event"],
            captures["date"],
            captures["place"],
            captures["lon"],
            captures["lat"],
            captures["source_url"],
            strict=True,
        )
    ]
    jan = located(incidents_in_period(dataset.incidents, make_period("2013-01", "2013-01")))
    jan = jan[jan["admin1"].isin(["Mopti", "Ségou"])]
    rows += [
        dict(zip(_FRONT_COLUMNS, ("incident", *values), strict=True))
        for values in zip(
            jan["incident_id"],
            jan["date_start"],
            jan["place"],
            jan["event_type"],
            jan.geometry.x,
            jan.geometry.y,
            jan["source_url"],
            strict=True,
        )
    ]
    frame = pd.DataFrame(rows)
    points = [Point(x, y) for x, y in zip(frame.pop("lon"), frame.pop("lat"), strict=True)]
    for col, target in (("km_sevare", sevare), ("km_diabali", diabali), ("km_bamako", bamako)):
        frame[col] = [round(distance_km(p, target), 1) for p in points]
    return frame


def recapture_dates(dataset: Dataset) -> dict[str, pd.Timestamp]:
    """The first date French-led forces held each northern town after Serval began.

    Returns
    -------
    dict
        Town name -> date, from bases.csv and key_events (see :func:`recapture_rows`).
    """
    rows = recapture_rows(dataset)
    return {str(town): group["date"].min() for town, group in rows.groupby("town")}


def occupier_counts(dataset: Dataset) -> dict[str, pd.Series]:
    """Incidents of April 2012–January 2013 naming each of :data:`OCCUPIERS`, per region.

    Returns
    -------
    dict
        ``"Tombouctou"`` and ``"Gao"`` -> counts indexed by group name.
    """
    rows = incidents_in_period(dataset.incidents, make_period("2012-04", "2013-01"))
    actors = rows["actors"].fillna("")
    out = {}
    for region in ("Tombouctou", "Gao"):
        in_region = actors[(rows["admin1"] == region).to_numpy(dtype=bool)]
        out[region] = pd.Series(
            {g: int(in_region.str.contains(word(g), regex=True).sum()) for g in OCCUPIERS}
        )
    return out


def bases_lost(dataset: Dataset) -> pd.DataFrame:
    """The bases.csv rows where a base passes from the Malian army to an armed group."""
    bases = dataset.bases.sort_values(["base_id", "date"], kind="stable")
    previous = bases.groupby("base_id")["held_by"].shift()
    armed = bases["held_by"].str.contains("|".join(ARMED_GROUPS))
    return bases[(previous == "Malian army") & armed].sort_values("date", kind="stable")


def mnla_maa_clashes(dataset: Dataset, year: int) -> gpd.GeoDataFrame:
    """Clashes between armed groups in a year whose actors name both the MNLA and the MAA."""
    rows = incidents_in_year(dataset, year)
    actors = rows["actors"].fillna("")
    both = actors.str.contains(word("MNLA"), regex=True) & actors.str.contains(
        word("MAA"), regex=True
    )
    mask = (rows["event_type"] == "clash_between_armed_groups") & both
    return rows[mask.to_numpy(dtype=bool)].sort_values("date_start", kind="stable")


# --- formatting and lookup helpers --------------------------------------------------------------


@lru_cache(maxsize=1)
def _census_file() -> pd.DataFrame:
    return load.load_census()


def word(name: str) -> str:
    """A regex matching ``name`` as a whole word (MAA must not match inside another word)."""
    return rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])"


def thousands(value: float) -> str:
    """A figure rounded to a whole number, with thousands separators."""
    return f"{round(value):,}"


def iso_day(ts: pd.Timestamp) -> str:
    """A date as ``YYYY-MM-DD``."""
    return f"{ts:%Y-%m-%d}"


def yyyymmdd(ts: pd.Timestamp) -> float:
    """A date as the number ``YYYYMMDD`` (the ``value`` of a dated check)."""
    return float(f"{ts:%Y%m%d}")


def event_date(event: pd.Series) -> str:
    """A key event's date at its precision (``YYYY-MM`` or ``YYYY-MM-DD``)."""
    return (
        f"{event['date']:%Y-%m}" if event["date_precision"] == "month" else iso_day(event["date"])
    )


def type_label(event_type: str) -> str:
    """An event type as words."""
    return event_type.replace("_", " ")


def by_date(item: tuple[str, pd.Timestamp]) -> pd.Timestamp:
    """Sort key of (name, date) pairs."""
    return item[1]


def unique_urls(*groups: Iterable[object]) -> tuple[str, ...]:
    """Unique http(s) URLs, in order of first appearance."""
    seen: dict[str, None] = {}
    for group in groups:
        for url in group:
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                seen.setdefault(url.strip(), None)
    return tuple(seen)


def key_event(dataset: Dataset, pattern: str) -> pd.Series | None:
    """The one key event whose text contains ``pattern``, or ``None``."""
    events = dataset.key_events
    rows = events[events["event"].str.contains(pattern, case=False, regex=False)]
    return rows.iloc[0] if len(rows) == 1 else None


def place_urls(dataset: Dataset, names: Iterable[str]) -> list[str]:
    """Gazetteer pages of places: GeoNames or OpenStreetMap ids as URLs."""
    places = dataset.places.set_index("name")
    urls = []
    for name in names:
        source_id = str(places.loc[name, "source_id"])
        if source_id.startswith("geonames:"):
            urls.append(f"https://www.geonames.org/{source_id.removeprefix('geonames:')}")
        elif source_id.startswith("osm:"):
            urls.append(f"https://www.openstreetmap.org/{source_id.removeprefix('osm:')}")
    return urls


def base_rows(dataset: Dataset, places: Sequence[str]) -> pd.DataFrame:
    """The bases.csv rows of the bases at these places."""
    return dataset.bases[dataset.bases["place"].isin(list(places))]


def _base_point(dataset: Dataset, place: str) -> Point:
    """The point of the base at a place (bases are drawn at their place's coordinate)."""
    if base_rows(dataset, (place,)).empty:
        msg = f"no base at {place!r} in bases.csv"
        raise KeyError(msg)
    return place_point(dataset, place)


def _offensive_captures(dataset: Dataset) -> pd.DataFrame:
    events = dataset.key_events
    mask = events["event"].str.contains("Islamist", regex=False) & events["event"].str.contains(
        r"\b(?:captures|seize)\b", regex=True
    )
    mask &= events["date"].dt.strftime("%Y-%m") == "2013-01"
    captures: pd.DataFrame = events[mask & events["lat"].notna()]
    return captures


def recapture_rows(dataset: Dataset) -> pd.DataFrame:
    """Rows (town, date, source_url) where French-led forces take a northern town after Serval."""
    start = key_event(dataset, "Operation Serval")
    if start is None:
        return pd.DataFrame(columns=["town", "date", "source_url"])
    north = dataset.regions[dataset.regions["name"].isin(config.NORTHERN_REGIONS)].union_all()
    towns = dataset.places[dataset.places["category"].isin(["town", "capital"])]["name"]
    bases = dataset.bases[
        (dataset.bases["date"] >= start["date"])
        & dataset.bases["held_by"].str.contains("French")
        & dataset.bases["place"].isin(towns)
    ]
    rows = [
        (place, day, url)
        for place, day, url in zip(bases["place"], bases["date"], bases["source_url"], strict=True)
        if north.contains(place_point(dataset, place))
    ]
    events = dataset.key_events
    taken = events[
        events["event"].str.contains("French", regex=False)
        & events["event"].str.contains(r"\b(?:retake|seize)\b", regex=True)
        & events["date"].between(start["date"], start["date"] + pd.Timedelta(days=90))
        & events["lat"].notna()
    ]
    rows += [
        (place, day, url)
        for place, day, url, lon, lat in zip(
            taken["place"],
            taken["date"],
            taken["source_url"],
            taken["lon"],
            taken["lat"],
            strict=True,
        )
        if north.contains(Point(lon, lat))
    ]
    return pd.DataFrame(rows, columns=["town", "date", "source_url"])
