"""The displacement layer: flows of refugees and IDPs, and headline figures.

Figures are never added across ``location_level``s: refugee flows use UNHCR's camp/site rows
(``location``), which break down the ``country_total`` rows; IDP flows use IOM/CMP figures by
region of displacement; headline totals use ``country_total`` rows only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypedDict

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

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


# --- displacement as people see it: circles at sites, totals per host, optional arrows -------

#: How a circle of :func:`displacement_picture` is placed.
PLACED_AT_SITE = "site"
PLACED_AT_CITY = "city"
PLACED_AT_REGION = "region"
NOT_LOCATED = "not_located"
#: Gazetteer categories of a camp or site's own point; any other is a city or town the
#: site names (UNHCR's urban sites: Niamey, Ouagadougou, Bobo-Dioulasso, ...).
SITE_CATEGORIES: tuple[str, ...] = ("refugee_camp",)
#: Mali's regions that refugees left from, as the border regions arrows start from.
CONFLICT_REGIONS: tuple[str, ...] = ("Tombouctou", "Gao", "Kidal", "Mopti")
#: An arrow starts this far inside Mali from the border it crosses.
ARROW_START_INSIDE_KM = 60.0
#: Length of an arrow's head barbs, as a share of the arrow's length.
ARROW_HEAD_SHARE = 0.18
NOT_LOCATED_LABEL = "site not located"
REGION_NOT_GIVEN_LABEL = "region not given"
CIRCLE_COLUMNS: tuple[str, ...] = (
    "kind",
    "host_iso3",
    "host",
    "name",
    "sites",
    "placement",
    "people",
    "as_of",
    "source",
    "source_ref",
    "source_url",
)
TOTAL_COLUMNS: tuple[str, ...] = (
    "kind",
    "host_iso3",
    "host",
    "as_of",
    "people_total",
    "people_located",
    "people_not_located",
    "share_drawn",
    "total_source",
    "source_url",
)
ARROW_COLUMNS: tuple[str, ...] = ("kind", "host_iso3", "host", "people", "as_of", "origin_regions")


@dataclass(frozen=True)
class DisplacementPicture:
    """Refugees and IDPs as proportional circles, with totals per host and optional arrows.

    Attributes
    ----------
    circles
        :data:`CIRCLE_COLUMNS` + a Point per row: one circle per camp or site placed at its own
        coordinate (``placement = "site"``), per urban site placed at its city (``"city"``),
        per IDP host region (``"region"``), and one per host for the people whose site (or
        region) is not located (``"not_located"``), drawn at the people-weighted centre of
        the host's located circles (the country's representative point if it has none) and
        marked as such. The circles of a host always add up to its total.
    totals
        :data:`TOTAL_COLUMNS`, one row per host country (refugees) and one for Mali (IDPs):
        the total of the same source and date as the circles, its located and not-located
        parts, and ``share_drawn`` (drawn people / total: 1.0).
    arrows
        :data:`ARROW_COLUMNS` + a MultiLineString (shaft and head) per host: from inside
        Mali's border regions across the border toward the host's circles. For refugees
        only; the sources do not say where people came from, so an arrow says "across this
        border", not a route.
    """

    circles: gpd.GeoDataFrame
    totals: pd.DataFrame
    arrows: gpd.GeoDataFrame


def displacement_picture(
    displacement: pd.DataFrame,
    places: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    countries: gpd.GeoDataFrame,
    period: Period,
) -> DisplacementPicture:
    """Refugees by camp and site, IDPs by host region, as of the period's end.

    Figures are never added across ``location_level``s. Refugees: for each neighbouring host
    (:data:`REFUGEE_HOSTS`), UNHCR's latest ``country_total`` at or before the period's end
    and the ``location`` rows of the same date. IDPs: the latest ``region_of_displacement``
    breakdown, and the national figure of the same organisation and date when there is one.
    A total that its breakdown does not reach keeps the rest as "not located" people.

    Parameters
    ----------
    displacement
        From :func:`mali_geo.load.load_displacement`.
    places
        Gazetteer, for camp and city coordinates.
    regions
        Mali's regions: IDP host regions and the border regions arrows start from.
    countries
        Countries with ``adm0_a3`` (:func:`mali_geo.load.load_countries`).
    period
        Only its end matters.

    Returns
    -------
    DisplacementPicture
    """
    anchors = countries.set_index("adm0_a3").geometry.representative_point()
    parts = [_refugee_circles(displacement, places, period, host) for host in REFUGEE_HOSTS]
    parts.append(_idp_circles(displacement, regions, period))
    drawn = [(c, t) for c, t in parts if t is not None]
    circle_rows = [row for c, _ in drawn for row in c]
    totals = [t for _, t in drawn if t is not None]
    circles = _circles_frame(circle_rows, anchors)
    totals_frame = pd.DataFrame(totals, columns=list(TOTAL_COLUMNS))
    arrows = refugee_arrows(circles, regions, countries)
    return DisplacementPicture(circles, totals_frame, arrows)


def circle_share_drawn(picture: DisplacementPicture) -> pd.Series:
    """Per (kind, host): the people of its circles divided by its total (1.0 when all drawn)."""
    drawn = picture.circles.groupby(["kind", "host_iso3"])["people"].sum()
    totals = picture.totals.set_index(["kind", "host_iso3"])["people_total"]
    share: pd.Series = (drawn.reindex(totals.index).fillna(0) / totals).rename("share")
    return share


def refugee_arrows(
    circles: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, countries: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """One arrow per refugee host: from inside Mali's border regions toward its circles.

    The arrow starts :data:`ARROW_START_INSIDE_KM` inside Mali from the point of the border
    (between the host and :data:`CONFLICT_REGIONS`) nearest to the people-weighted centre of
    the host's located circles, and ends at that centre. Computed in the equal-area CRS.
    """
    refugees = circles[(circles["kind"] == Population.REFUGEES) & circles.geometry.notna()]
    north = regions[regions["name"].isin(CONFLICT_REGIONS)].to_crs(EQUAL_AREA_CRS)
    area = countries.set_index("adm0_a3").geometry.to_crs(EQUAL_AREA_CRS)
    rows = []
    for host, group in refugees.groupby("host_iso3", sort=True):
        located = group[group["placement"] != NOT_LOCATED]
        target = _weighted_centre(located if not located.empty else group)
        arrow = _arrow(north, area.get(str(host)), target)
        if arrow is None:
            continue
        rows.append(
            {
                "kind": Population.REFUGEES.value,
                "host_iso3": str(host),
                "host": REFUGEE_HOSTS.get(str(host), str(host)),
                "people": int(group["people"].sum()),
                "as_of": group["as_of"].max(),
                "origin_regions": ", ".join(
                    n
                    for n, g in zip(north["name"], north.geometry, strict=True)
                    if area.get(str(host)) is not None and g.distance(area[str(host)]) < 1_000
                ),
                "geometry": arrow,
            }
        )
    frame = pd.DataFrame(rows, columns=[*ARROW_COLUMNS, "geometry"])
    out = gpd.GeoDataFrame(frame, geometry="geometry", crs=EQUAL_AREA_CRS)
    return out.to_crs(WGS84)


def _refugee_circles(
    displacement: pd.DataFrame, places: pd.DataFrame, period: Period, host: str
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    rows = displacement[
        (displacement["population_type"] == Population.REFUGEES)
        & (displacement["host_iso3"] == host)
        & (displacement["ref_date"] <= period.end_date)
    ]
    totals = rows[
        (rows["location_level"] == "country_total") & rows["source"].str.startswith("UNHCR")
    ]
    sites = rows[rows["location_level"] == "location"]
    dates = totals["ref_date"] if not totals.empty else sites["ref_date"]
    if dates.empty:
        return [], None
    as_of = dates.max()
    totals = totals[totals["ref_date"] == as_of]
    sites = sites[sites["ref_date"] == as_of]
    coords = places.dropna(subset=["lat"]).set_index("name")[["lat", "lon", "category"]]
    circles: list[dict[str, Any]] = []
    name = sites["location_clean"].map(lambda s: SITE_ALIASES.get(s, s))
    found = name.isin(coords.index)
    for place, group in sites[found].groupby(name[found], sort=True):
        point = Point(coords.loc[place, "lon"], coords.loc[place, "lat"])
        own = coords.loc[place, "category"] in SITE_CATEGORIES
        placement = PLACED_AT_SITE if own else PLACED_AT_CITY
        circles.append(_circle("refugees", host, str(place), group, placement, point))
    rest = sites[~found]
    total = int(totals["value"].sum()) if not totals.empty else int(sites["value"].sum())
    return _with_rest(circles, rest, total, "refugees", host, as_of, totals)


def _idp_circles(
    displacement: pd.DataFrame, regions: gpd.GeoDataFrame, period: Period
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    rows = displacement[
        (displacement["population_type"] == Population.IDPS)
        & (displacement["ref_date"] <= period.end_date)
    ]
    by_region = rows[rows["location_level"] == "region_of_displacement"]
    if by_region.empty:
        return [], None
    as_of = by_region["ref_date"].max()
    by_region = by_region[by_region["ref_date"] == as_of]
    org = _organisation(by_region["source"].iloc[0])
    national = rows[
        (rows["location_level"] == "country_total")
        & (rows["ref_date"] == as_of)
        & (rows["source"].map(_organisation) == org)
    ]
    points = regions.set_index("name").geometry.representative_point()
    circles = [
        _circle("idps", "MLI", f"{region} region", group, PLACED_AT_REGION, points.get(region))
        for region, group in by_region.groupby("location_clean", sort=True)
        if region in points.index
    ]
    rest = by_region[~by_region["location_clean"].isin(points.index)]
    regional = int(by_region["value"].sum())
    total = int(national["value"].iloc[0]) if not national.empty else regional
    return _with_rest(circles, rest, max(total, regional), "idps", "MLI", as_of, national)


def _with_rest(
    circles: list[dict[str, Any]],
    rest: pd.DataFrame,
    total: int,
    kind: str,
    host: str,
    as_of: pd.Timestamp,
    total_rows: pd.DataFrame,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Add a host's "not located" circle and its total row.

    The circle holds the sites without a coordinate and the part of the total that no
    breakdown row gives.
    """
    located = sum(int(c["people"]) for c in circles)
    missing = total - located
    if missing > 0:
        label = NOT_LOCATED_LABEL if kind == "refugees" else REGION_NOT_GIVEN_LABEL
        named = ", ".join(dict.fromkeys(rest["location_clean"].astype(str)))
        unnamed = missing - int(rest["value"].sum())
        sites = named + (f"{'; ' if named else ''}{unnamed:,} not broken down" if unnamed else "")
        source_rows = rest if not rest.empty else total_rows
        circle = _circle(kind, host, label, source_rows, NOT_LOCATED, None)
        circle.update(people=missing, sites=sites, as_of=as_of)
        circles.append(circle)
    total_row = {
        "kind": kind,
        "host_iso3": host,
        "host": REFUGEE_HOSTS.get(host, "Mali"),
        "as_of": as_of,
        "people_total": total,
        "people_located": located,
        "people_not_located": max(missing, 0),
        "share_drawn": (located + max(missing, 0)) / total if total else 1.0,
        "total_source": "; ".join(dict.fromkeys(total_rows["source"])) or "sum of the breakdown",
        "source_url": _source_url(total_rows) if not total_rows.empty else UNHCR_URL,
    }
    return circles, total_row


def _circle(
    kind: str, host: str, name: str, rows: pd.DataFrame, placement: str, point: Point | None
) -> dict[str, Any]:
    return {
        "kind": kind,
        "host_iso3": host,
        "host": REFUGEE_HOSTS.get(host, "Mali"),
        "name": name,
        "sites": ", ".join(dict.fromkeys(rows["location_clean"].dropna().astype(str))),
        "placement": placement,
        "people": int(rows["value"].sum()),
        "as_of": rows["ref_date"].max(),
        "source": "; ".join(dict.fromkeys(rows["source"])),
        "source_ref": "; ".join(dict.fromkeys(rows["source_ref"].dropna())),
        "source_url": _source_url(rows),
        "geometry": point,
    }


def _circles_frame(rows: list[dict[str, Any]], anchors: gpd.GeoSeries) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=[*CIRCLE_COLUMNS, "geometry"])
    circles = gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84)
    for idx in circles.index[circles["placement"] == NOT_LOCATED]:
        host = circles.at[idx, "host_iso3"]
        same = circles[(circles["host_iso3"] == host) & (circles["placement"] != NOT_LOCATED)]
        same = same[same["kind"] == circles.at[idx, "kind"]]
        fallback = anchors.get(host)
        circles.at[idx, "geometry"] = _weighted_centre(same) if not same.empty else fallback
    circles["people"] = circles["people"].astype("int64")
    return circles


def _weighted_centre(circles: gpd.GeoDataFrame) -> Point:
    """The people-weighted mean of the circles' points (lon/lat, fine at this scale)."""
    weights = circles["people"].to_numpy(dtype=float)
    xy = circles.geometry.get_coordinates().to_numpy()
    if weights.sum() <= 0:
        weights = np.ones(len(xy))
    x, y = np.average(xy, axis=0, weights=weights)
    return Point(float(x), float(y))


def _arrow(
    north: gpd.GeoDataFrame, host_area: BaseGeometry | None, target: Point
) -> BaseGeometry | None:
    if host_area is None:
        return None
    end = gpd.GeoSeries([target], crs=WGS84).to_crs(EQUAL_AREA_CRS).iloc[0]
    border = north.union_all().boundary.intersection(host_area.buffer(1_000))
    if border.is_empty:
        return None
    on_border = nearest_points(border, end)[0]
    dx, dy = end.x - on_border.x, end.y - on_border.y
    length = float(np.hypot(dx, dy))
    if length == 0:
        return None
    ux, uy = dx / length, dy / length
    inside = ARROW_START_INSIDE_KM * 1_000
    start = Point(on_border.x - ux * inside, on_border.y - uy * inside)
    total = length + inside
    head = total * ARROW_HEAD_SHARE
    barbs = [
        LineString(
            [(end.x, end.y), (end.x - head * (ux * c - uy * s), end.y - head * (uy * c + ux * s))]
        )
        for c, s in ((np.cos(0.45), np.sin(0.45)), (np.cos(-0.45), np.sin(-0.45)))
    ]
    return MultiLineString([LineString([start, end]), *barbs])


def _organisation(source: object) -> str:
    """The organisation a source names first ("IDMC (citing IOM DTM)" -> "IDMC")."""
    return str(source).split(" ")[0].split("(")[0]


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
        "source_url": _source_url(rows),
        "geometry": None if dest is None else LineString([origin, dest]),
    }


def _source_url(rows: pd.DataFrame) -> str:
    """A link for the figures: the cited page, or UNHCR's statistics site for UNHCR data."""
    for ref in rows["source_ref"].dropna():
        if str(ref).startswith(("http://", "https://")):
            return str(ref)
    return UNHCR_URL


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
