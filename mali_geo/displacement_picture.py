"""Displacement as people see it: circles at sites, totals per host, optional arrows.

Figures are never added across ``location_level``s: each host's circles break down the total
of the same source and date, and the part of the total its breakdown does not reach is drawn
as one "not located" circle, so a host's circles always add up to its total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from mali_geo.config import EQUAL_AREA_CRS, UNHCR_URL, WGS84
from mali_geo.displacement import REFUGEE_HOSTS, SITE_ALIASES, Population, source_url_of
from mali_geo.period import Period

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
        "source_url": source_url_of(total_rows) if not total_rows.empty else UNHCR_URL,
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
        "source_url": source_url_of(rows),
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
