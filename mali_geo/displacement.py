"""The displacement layer: flows of refugees and IDPs, and headline figures.

Figures are never added across ``location_level``s: refugee flows use UNHCR's camp/site rows
(``location``), which break down the ``country_total`` rows; IDP flows use IOM/CMP figures by
region of displacement; headline totals use ``country_total`` rows only. Circles at sites,
totals per host and arrows are in :mod:`mali_geo.displacement_picture`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypedDict

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

from mali_geo.config import EQUAL_AREA_CRS, NORTHERN_REGIONS, UNHCR_URL, WGS84
from mali_geo.period import Period

#: Neighbouring countries (in the study area) whose UNHCR figures are drawn as flows.
REFUGEE_HOSTS: dict[str, str] = {
    "MRT": "Mauritania",
    "NER": "Niger",
    "BFA": "Burkina Faso",
    "DZA": "Algeria",
}
#: UNHCR site names -> the gazetteer's names (places.csv), where they differ.
SITE_ALIASES: dict[str, str] = {
    "Goudebo": "Goudoubo",
    "Camp Abala": "Abala",
    "Mangaize": "Mangaizé",
    "Ayourou": "Ayorou",
    "Ayourou Ville": "Ayorou",
    "Intikane": "Intikan",
}
#: Preference among national IDP figures of the same date (IOM/CMP first, as the issue asks).
IDP_SOURCE_ORDER: tuple[str, ...] = ("IOM", "Commission on Population Movements", "UNHCR", "IDMC")
NORTH_LABEL = "northern Mali"
NORTH_NOTE = (
    "The sources do not say where these people came from: the origin is northern Mali as a "
    "whole, drawn from one representative point (the equal-area centroid of the Tombouctou, "
    "Gao and Kidal regions)."
)
FLOW_COLUMNS: tuple[str, ...] = (
    "kind",
    "origin",
    "origin_note",
    "destination",
    "destination_country",
    "destination_located",
    "sites",
    "people",
    "as_of",
    "source",
    "source_ref",
    "source_url",
)


@dataclass(frozen=True)
class Flows:
    """Displacement flows for a period.

    Attributes
    ----------
    lines
        One feature per flow (:data:`FLOW_COLUMNS`): a LineString from the origin to the site,
        or no geometry (``None``) for a site that has no coordinate in any gazetteer, so the
        flows of a host country still add up to UNHCR's total for it.
    unplaced
        The sites with a figure but no coordinate: ``host``, ``site``, ``people``, ``as_of``.
    """

    lines: gpd.GeoDataFrame
    unplaced: pd.DataFrame


def north_point(regions: gpd.GeoDataFrame) -> Point:
    """One representative point for northern Mali: the equal-area centroid of its 3 regions."""
    north = regions[regions["name"].isin(NORTHERN_REGIONS)].to_crs(EQUAL_AREA_CRS)
    centroid = gpd.GeoSeries([north.union_all().centroid], crs=EQUAL_AREA_CRS)
    point: Point = centroid.to_crs(WGS84).iloc[0]
    return point


def displacement_flows(
    displacement: pd.DataFrame,
    places: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    period: Period,
) -> Flows:
    """Build refugee and IDP flows as of the latest figures at or before the period's end.

    Parameters
    ----------
    displacement
        From :func:`mali_geo.load.load_displacement`.
    places
        Gazetteer, for camp coordinates.
    regions
        Mali's regions, for the northern origin point and IDP host regions.
    period
        Only its end matters: each figure is the latest at or before it.

    Returns
    -------
    Flows
    """
    origin = north_point(regions)
    refugees, unplaced = _refugee_flows(displacement, places, period, origin)
    idps = _idp_flows(displacement, regions, period, origin)
    frames = [f for f in (refugees, idps) if not f.empty]
    if frames:
        lines = pd.concat(frames, ignore_index=True)
    else:
        lines = pd.DataFrame({c: pd.Series(dtype="object") for c in FLOW_COLUMNS})
        lines["geometry"] = []
    return Flows(gpd.GeoDataFrame(lines, geometry="geometry", crs=WGS84), unplaced)


class Population(StrEnum):
    """Who a displacement figure counts."""

    REFUGEES = "refugees"
    IDPS = "idps"


class Figure(TypedDict):
    """A national displacement figure with its as-of date and source."""

    people: int
    as_of: pd.Timestamp
    source: str
    source_ref: str


def latest_figure(
    displacement: pd.DataFrame, period: Period, *, kind: Population | str
) -> Figure | None:
    """The national total of refugees (all hosts) or IDPs as of the period's end.

    Parameters
    ----------
    displacement
        From :func:`mali_geo.load.load_displacement`.
    period
        Its last day is the cut-off.
    kind
        Refugees (UNHCR, summed over host countries at one date) or IDPs (one national
        figure; IOM/CMP preferred over UNHCR and IDMC at the same date).

    Returns
    -------
    Figure or None
        ``people``, ``as_of``, ``source``, ``source_ref``; ``None`` if no figure precedes the end.
    """
    rows = displacement[
        (displacement["location_level"] == "country_total")
        & (displacement["population_type"] == kind)
        & (displacement["ref_date"] <= period.end_date)
    ]
    kind = Population(kind)
    if kind is Population.IDPS:
        rows = rows[rows["host_iso3"] == "MLI"]
    else:
        rows = rows[rows["source"].str.startswith("UNHCR")]
    if rows.empty:
        return None
    as_of = rows["ref_date"].max()
    rows = rows[rows["ref_date"] == as_of]
    if kind is Population.IDPS:
        rows = rows.iloc[[_preferred_source(rows["source"])]]
    return Figure(
        people=int(rows["value"].sum()),
        as_of=as_of,
        source="; ".join(dict.fromkeys(rows["source"])),
        source_ref="; ".join(dict.fromkeys(rows["source_ref"].dropna())),
    )


def refugees_by_host(displacement: pd.DataFrame) -> pd.DataFrame:
    """UNHCR year-end refugees from Mali by host country, for a chart.

    Returns
    -------
    pandas.DataFrame
        ``as_of``, ``host`` (name; hosts outside the neighbours grouped as "other countries"),
        ``people``.
    """
    rows = displacement[
        (displacement["location_level"] == "country_total")
        & (displacement["population_type"] == "refugees")
        & displacement["source"].str.startswith("UNHCR")
    ]
    host = rows["host_iso3"].map(REFUGEE_HOSTS).fillna("other countries")
    out = rows.assign(host=host).groupby(["ref_date", "host"], as_index=False)[["value"]].sum()
    return out.rename(columns={"ref_date": "as_of", "value": "people"})


def source_url_of(rows: pd.DataFrame) -> str:
    """A link for the figures: the cited page, or UNHCR's statistics site for UNHCR data."""
    for ref in rows["source_ref"].dropna():
        if str(ref).startswith(("http://", "https://")):
            return str(ref)
    return UNHCR_URL


# --- helpers -------------------------------------------------------------------------------


def _preferred_source(sources: pd.Series) -> int:
    ranks = [
        next((i for i, key in enumerate(IDP_SOURCE_ORDER) if s.startswith(key)), 99)
        for s in sources
    ]
    return ranks.index(min(ranks))


def _refugee_flows(
    displacement: pd.DataFrame,
    places: pd.DataFrame,
    period: Period,
    origin: Point,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    sites = displacement[
        (displacement["location_level"] == "location")
        & (displacement["population_type"] == "refugees")
        & displacement["host_iso3"].isin(list(REFUGEE_HOSTS))
        & (displacement["ref_date"] <= period.end_date)
    ]
    coords = places.dropna(subset=["lat"]).set_index("name")[["lat", "lon"]]
    flows, unplaced = [], []
    for host_code, rows in sites.groupby("host_iso3", sort=True):
        host = str(host_code)
        rows = rows[rows["ref_date"] == rows["ref_date"].max()]
        name = rows["location_clean"].map(lambda s: SITE_ALIASES.get(s, s))
        located = name.isin(coords.index)
        # Two UNHCR rows can name one gazetteer place (Ayourou, Ayourou Ville): one flow.
        for place, group in rows[located].groupby(name[located], sort=True):
            dest = Point(coords.loc[place, "lon"], coords.loc[place, "lat"])
            flows.append(_flow("refugees", group, origin, dest, str(place), host, True))
        # Sites with no coordinate in any gazetteer are reported (null geometry), not placed.
        rest = rows[~located]
        for site, group in rest.groupby("location_clean", sort=True):
            flows.append(_flow("refugees", group, origin, None, str(site), host, False))
        if not rest.empty:
            unplaced.append(rest.assign(host=REFUGEE_HOSTS[host]))
    unplaced_frame = _unplaced_frame(unplaced)
    return pd.DataFrame(flows), unplaced_frame


def _idp_flows(
    displacement: pd.DataFrame, regions: gpd.GeoDataFrame, period: Period, origin: Point
) -> pd.DataFrame:
    rows = displacement[
        (displacement["location_level"] == "region_of_displacement")
        & (displacement["population_type"] == "idps")
        & (displacement["ref_date"] <= period.end_date)
    ]
    if rows.empty:
        return pd.DataFrame()
    rows = rows[rows["ref_date"] == rows["ref_date"].max()]
    points = regions.set_index("name").geometry.representative_point()
    flows = []
    for region, group in rows.groupby("location_clean", sort=True):
        dest = points.get(region)
        if dest is not None:
            flows.append(_flow("idps", group, origin, dest, f"{region} region", "MLI", True))
    return pd.DataFrame(flows)


def _flow(
    kind: str,
    rows: pd.DataFrame,
    origin: Point,
    dest: Point | None,
    destination: str,
    host: str,
    located: bool,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "origin": NORTH_LABEL,
        "origin_note": NORTH_NOTE,
        "destination": destination,
        "destination_country": REFUGEE_HOSTS.get(host, "Mali"),
        "destination_located": located,
        "sites": ", ".join(rows["location_clean"].astype(str)),
        "people": int(rows["value"].sum()),
        "as_of": rows["ref_date"].max(),
        "source": "; ".join(dict.fromkeys(rows["source"])),
        "source_ref": "; ".join(dict.fromkeys(rows["source_ref"].dropna())),
        "source_url": source_url_of(rows),
        "geometry": None if dest is None else LineString([origin, dest]),
    }


def _unplaced_frame(parts: list[pd.DataFrame]) -> pd.DataFrame:
    cols = ["host", "site", "people", "as_of"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    rows = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(
        {
            "host": rows["host"],
            "site": rows["location_clean"],
            "people": rows["value"],
            "as_of": rows["ref_date"],
        }
    )


# --- Mali-situation totals (displacement_situation_2012_2014.csv) -----------------------------

#: A document's refugee total and IDP figure are paired when their dates are this close.
PAIR_MAX_DAYS = 31
COMBINED_COLUMNS: tuple[str, ...] = (
    "as_of",
    "refugees",
    "refugees_as_of",
    "refugees_counted_by",
    "idps",
    "idps_as_of",
    "idps_counted_by",
    "total",
    "source_title",
    "source_url",
)


def combined_totals(situation: pd.DataFrame) -> pd.DataFrame:
    """Refugees + IDPs as one document gave them together, one row per refugee total.

    A document's day-dated refugee total (``host == "all"``) is paired with the day-dated IDP
    figure of the same document (same ``source_url``) closest in date, at most
    ``PAIR_MAX_DAYS`` apart. Figures of different documents are never added, so each total is
    a stock at (about) one date, as its source published it.

    Parameters
    ----------
    situation
        The frame of :func:`mali_geo.load.load_displacement_situation`.

    Returns
    -------
    pandas.DataFrame
        ``COMBINED_COLUMNS``: ``as_of`` is the later of the two dates, ``total`` the sum,
        sorted by date.
    """
    day = situation[situation["as_of_precision"] == "day"]
    refugees = day[(day["population"] == "refugees") & (day["host"] == "all")]
    idps = day[day["population"] == "idps"]
    pairs = refugees.merge(idps, on="source_url", suffixes=("_ref", "_idp"))
    gap = (pairs["as_of_idp"] - pairs["as_of_ref"]).abs()
    pairs = pairs.assign(gap=gap)[gap.le(pd.Timedelta(days=PAIR_MAX_DAYS))]
    closest = pairs.sort_values("gap", kind="stable").drop_duplicates(["source_url", "as_of_ref"])
    frame = pd.DataFrame(
        {
            "as_of": closest[["as_of_ref", "as_of_idp"]].max(axis=1),
            "refugees": closest["people_ref"],
            "refugees_as_of": closest["as_of_ref"],
            "refugees_counted_by": closest["counted_by_ref"],
            "idps": closest["people_idp"],
            "idps_as_of": closest["as_of_idp"],
            "idps_counted_by": closest["counted_by_idp"],
            "total": closest["people_ref"] + closest["people_idp"],
            "source_title": closest["source_title_ref"],
            "source_url": closest["source_url"],
        }
    )
    return frame.sort_values(["as_of", "refugees_as_of"], kind="stable").reset_index(drop=True)


def situation_figure(
    situation: pd.DataFrame, population: str, as_of: str, *, counted_by: str
) -> pd.Series:
    """The one figure of a population on a day whose counter starts with ``counted_by``.

    Raises
    ------
    KeyError
        If there is not exactly one such figure.
    """
    rows = situation[
        (situation["population"] == population)
        & (situation["host"].isin(["all", "Mali"]))
        & (situation["as_of"] == pd.Timestamp(as_of))
        & (situation["as_of_precision"] == "day")
        & situation["counted_by"].str.startswith(counted_by)
    ]
    if len(rows) != 1:
        msg = f"{len(rows)} {population} figures by {counted_by} on {as_of}, expected one"
        raise KeyError(msg)
    return rows.iloc[0]
