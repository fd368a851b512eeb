"""Story mode: the January 2014 briefing's argument, chapter by chapter, checked against the data.

Each :class:`Chapter` sets the map (period, layers, view, highlighted places), tells the chapter in
the project's own words with one short attributed quotation, and lists *data checks*: functions
that compute, from the loaded :class:`~mali_geo.dataset.Dataset` and the census, the figure the
data give for one of the briefing's claims and say whether the two agree.

Nothing here hard-codes a computed figure: the only numbers written in this module are the
briefing's own (``claimed``), the thresholds that turn a comparison into a verdict, and the
corroborating figures found for claims no file here can check (foreign troop numbers), each with
its source. Distances are measured in UTM zone 30N (:data:`mali_geo.config.DISTANCE_CRS`), never
in degrees. Displacement figures are never added across ``location_level``s: a UNHCR
``country_total`` refugee figure is only added to a national IDP total, and the method says when
the two dates differ.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from mali_geo import config, load
from mali_geo.dataset import Dataset
from mali_geo.incidents import incidents_in_period, located
from mali_geo.period import Period, make_period

#: The verdicts a check can give.
VERDICTS: tuple[str, ...] = (
    "agrees",
    "partly agrees",
    "differs",
    "as stated (not checkable here)",
    "no data",
)
NO_DATA = "No data in this project can check this claim."
BRIEFING = "Briefing, January 2014"

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
#: The figures the briefing gives in "Mali in 2014".
CLAIMED_DISPLACED = 560_000
CLAIMED_RETURNED_SHARE = 0.25
CLAIMED_OUTSIDE_NORTH = 0.90
CLAIMED_STILL_DISPLACED_SHARE = 1 / 3
#: UNHCR rows cite the ``refugees`` R package; this is where people can see the data.
UNHCR_URL = "https://www.unhcr.org/refugee-statistics/"

#: Corroboration found for the troop figures (geodata/PROVENANCE-bases-census.md, section 4).
ALJAZEERA_TROOPS_URL = "http://www.aljazeera.com/news/africa/2014/01/france-cut-troop-numbers-mali-2014191453076573.html"
REUTERS_MINUSMA_URL = "https://sauress.com/aljazirah/1310183224"
RESOLUTION_2100_URL = (
    "http://newyork-un.mae.lu/en/News/The-situation-in-Mali-adoption-of-resolution-2100-2013"
)


@dataclass(frozen=True)
class DataCheck:
    """One of the briefing's claims next to what the project's data say about it.

    Attributes
    ----------
    claim
        The claim, short; verbatim parts in double quotes.
    claimed
        The briefing's figure, e.g. ``"90%"``.
    computed
        The figure from the data, formatted; ``None`` when no data here can speak to it.
    verdict
        One of :data:`VERDICTS`.
    method
        How the figure was computed (files, CRS, arithmetic).
    sources
        http(s) URLs of the data behind the computed figure (or of the corroboration).
    value
        The raw computed number, for tests; ``None`` if no data.
    """

    claim: str
    claimed: str
    computed: str | None
    verdict: str
    method: str
    sources: tuple[str, ...]
    value: float | None = None


@dataclass(frozen=True)
class Chapter:
    """One chapter of the story: the map view, the text and the data checks.

    Attributes
    ----------
    id
        Used in URLs (``?chapter=...``).
    title
        Shown as the chapter's heading.
    start, end
        The period shown (``YYYY-MM``).
    layers
        Visible layers, names from :data:`mali_geo.view.TOGGLES`.
    center, zoom
        The map view: (lat, lon) and Leaflet zoom.
    highlight
        Names from ``places.csv`` or ``bases.csv`` (base ``name``) to ring on the map.
    text
        The chapter in the project's own words.
    quote, quote_ref
        A short verbatim quotation from the briefing and where it is.
    checks
        Functions computing each data check from a dataset.
    """

    id: str
    title: str
    start: str
    end: str
    layers: tuple[str, ...]
    center: tuple[float, float]
    zoom: float
    highlight: tuple[str, ...]
    text: str
    quote: str
    quote_ref: str
    checks: tuple[Callable[[Dataset], DataCheck], ...]

    @property
    def period(self) -> Period:
        """The validated period of the chapter."""
        return make_period(self.start, self.end)


# --- public helpers (also what the tests compare with their own calculations) ---------------


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
        name = bases.loc[name, "place"]
    return Point(float(coords.loc[name, "lon"]), float(coords.loc[name, "lat"]))


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
    rows = [
        _front_row("key event", e.event, e.date, e.place, "", e.lon, e.lat, e.source_url)
        for e in _offensive_captures(dataset).itertuples()
    ]
    jan = located(incidents_in_period(dataset.incidents, make_period("2013-01", "2013-01")))
    jan = jan[jan["admin1"].isin(["Mopti", "Ségou"])]
    rows += [
        _front_row(
            "incident",
            i.incident_id,
            i.date_start,
            i.place,
            i.event_type,
            i.geometry.x,
            i.geometry.y,
            i.source_url,
        )
        for i in jan.itertuples()
    ]
    frame = pd.DataFrame(rows)
    points = [Point(x, y) for x, y in zip(frame.pop("lon"), frame.pop("lat"), strict=True)]
    for col, target in (("km_sevare", sevare), ("km_diabali", diabali), ("km_bamako", bamako)):
        frame[col] = [round(distance_km(p, target), 1) for p in points]
    return frame


def refugees_at(displacement: pd.DataFrame, date: str) -> int:
    """UNHCR refugees from Mali at a date, summed over host countries (``country_total`` only)."""
    rows = _country_totals(displacement, "refugees")
    rows = rows[rows["source"].str.startswith("UNHCR") & (rows["ref_date"] == pd.Timestamp(date))]
    return int(rows["value"].sum())


def national_idps(displacement: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """National IDP totals for Mali (``country_total``) dated between two days, all sources."""
    rows = _country_totals(displacement, "idps")
    rows = rows[rows["host_iso3"] == "MLI"]
    return rows[rows["ref_date"].between(pd.Timestamp(start), pd.Timestamp(end))]


def displaced_options(dataset: Dataset) -> dict[str, dict]:
    """Ways to put refugees and IDPs of 2012–13 together, each one level and stated dates.

    Returns
    -------
    dict
        ``end_2012``, ``end_2013`` (same-date UNHCR refugees + UNHCR IDPs: one source for
        both), ``iom_2013`` (end-2013 refugees + IOM/CMP's latest 2013 national IDP total) and
        ``peaks`` (the highest year-end refugee total of 2012–13 + the highest national IDP
        figure of 2012–13, of different dates): each ``refugees``, ``refugee_date``, ``idps``,
        ``idp_row``, ``total``.
    """
    disp = dataset.displacement
    options = {}
    for key, day in (("end_2012", "2012-12-31"), ("end_2013", "2013-12-31")):
        idp = _preferred(national_idps(disp, day, day))
        options[key] = _option(refugees_at(disp, day), idp, refugee_date=day)
    iom = national_idps(disp, "2013-01-01", "2013-12-31")
    iom = iom[iom["source"].str.startswith(("IOM", "Commission on Population Movements"))]
    if len(iom):
        latest = iom.sort_values("ref_date", kind="stable").iloc[-1]
        options["iom_2013"] = _option(
            refugees_at(disp, "2013-12-31"), latest, refugee_date="2013-12-31"
        )
    refugee_dates = ("2012-12-31", "2013-12-31")
    best_date = max(refugee_dates, key=lambda d: refugees_at(disp, d))
    peak = national_idps(disp, "2012-01-01", "2013-12-31").sort_values("value").iloc[-1]
    options["peaks"] = _option(refugees_at(disp, best_date), peak, refugee_date=best_date)
    return options


def returns_by_early_2014(dataset: Dataset) -> dict[str, int]:
    """Returns counted by the sources up to February 2014.

    Returns
    -------
    dict
        ``unhcr_returned_idps`` (2012–13, ``country_total``), ``unhcr_returned_refugees``
        (2012–13, ``country_total``, summed over countries of former asylum), and
        ``iom_returnees_feb_2014`` (IOM, ``region_of_return``, Gao + Tombouctou, one date).
    """
    disp = dataset.displacement
    iom = _iom_returns(disp)
    return {
        # UNHCR's returns are flows within each year: summing the years gives 2012–13.
        "unhcr_returned_idps": _sum_2012_13(_country_totals(disp, "returned_idps")),
        "unhcr_returned_refugees": _sum_2012_13(_country_totals(disp, "returned_refugees")),
        "iom_returnees_feb_2014": int(iom["value"].sum()),
    }


# --- data checks: chapter "context" -------------------------------------------------------


def serval_start(dataset: Dataset) -> DataCheck:
    """The French intervention began on 11 January 2013 (key_events)."""
    return _dated_check(
        dataset,
        claim='The French intervention began "On 11 January 2013"',
        claimed="11 January 2013",
        events=(("Operation Serval", "2013-01-11"),),
    )


def north_recaptured_in_four_weeks(dataset: Dataset) -> DataCheck:
    """Days from the start of Serval to the last recapture of a northern town in the data.

    Recaptures are the first French-held date of each base at a northern town (bases.csv) and
    the key events in which French forces retake or seize a northern town.
    """
    start = _key_event(dataset, "Operation Serval")
    if start is None:
        return _no_data(
            '"Over four weeks, French-led forces recaptured all of the towns"', "4 weeks"
        )
    dates = recapture_dates(dataset)
    last_town, last = max(dates.items(), key=lambda item: item[1])
    days = (last - start["date"]).days
    listing = ", ".join(f"{town} {d:%d %b}" for town, d in sorted(dates.items(), key=_by_date))
    verdict = "agrees" if days <= 31 else "partly agrees" if days <= 42 else "differs"
    return DataCheck(
        claim='"Over four weeks, French-led forces recaptured all of the towns in the northern '
        'half of Mali"',
        claimed="4 weeks (about 28 days) from 11 January 2013",
        computed=f"{days} days: {listing} 2013 (last: {last_town})",
        verdict=verdict,
        method=(
            "Start: the key event 'France launches Operation Serval'. Recaptures: the first date "
            "each base at a town of the three northern regions is held by French-led forces "
            "(bases.csv) and key events in which French forces retake or seize a northern town; "
            "towns placed in the north by the 2012 region polygons."
        ),
        sources=_urls([start["source_url"]], _recapture_rows(dataset)["source_url"]),
        value=float(days),
    )


def recapture_dates(dataset: Dataset) -> dict[str, pd.Timestamp]:
    """The first date French-led forces held each northern town after Serval began.

    Returns
    -------
    dict
        Town name -> date, from bases.csv and key_events (see :func:`_recapture_rows`).
    """
    rows = _recapture_rows(dataset)
    return {town: group["date"].min() for town, group in rows.groupby("town")}


def ifoghas_late_february(dataset: Dataset) -> DataCheck:
    """The AQIM sanctuary in the Ifoghas was taken in late February 2013, Abou Zeïd killed."""
    rows = dataset.bases[dataset.bases["place"] == "Adrar des Ifoghas"]
    taken = rows[rows["held_by"].str.contains("French")]
    assault = rows[rows["held_by"] == "contested"]
    killed = _key_event(dataset, "Abou Zeïd")
    if taken.empty or assault.empty or killed is None:
        return _no_data('"In late February, French and Chadian troops captured"', "late Feb 2013")
    day = taken["date"].min()
    end_feb = pd.Timestamp("2013-02-28")
    late = pd.Timestamp("2013-02-15") <= day <= end_feb
    verdict = "agrees" if late else "partly agrees" if 0 < (day - end_feb).days <= 14 else "differs"
    return DataCheck(
        claim='"In late February, French and Chadian troops captured the main Malian rear base" '
        "of AQIM in the Ifoghas massif and killed Abou Zeïd",
        claimed="late February 2013",
        computed=(
            f"assault began {_day(assault['date'].min())}; held by "
            f"{taken.sort_values('date').iloc[0]['held_by']} from {_day(day)}; "
            f"Abou Zeïd killed {_event_date(killed)} (month only)"
        ),
        verdict=verdict,
        method=(
            "bases.csv rows of the Ifoghas sanctuary (first 'contested' date, first date held "
            "by French and Chadian forces) and the key event on Abou Zeïd's death."
        ),
        sources=_urls(rows["source_url"], [killed["source_url"]]),
        value=_yyyymmdd(day),
    )


def minusma_in_july(dataset: Dataset) -> DataCheck:
    """The African force was rebadged as MINUSMA in July 2013 (key_events)."""
    return _dated_check(
        dataset,
        claim='The African force was "rebadged in July" as MINUSMA',
        claimed="July 2013",
        events=(("transfers authority to the UN mission MINUSMA", "2013-07"),),
    )


# --- myth 1 ---------------------------------------------------------------------------------


def population_outside_north(dataset: Dataset) -> DataCheck:
    """Share of Mali's 2009 population living outside Tombouctou, Gao and Kidal."""
    north, rest = population_north_and_rest(dataset)
    share = rest / (north + rest)
    # The briefing's 90% is a round figure: within 2 points of it counts as agreeing.
    gap = abs(share - CLAIMED_OUTSIDE_NORTH)
    verdict = "agrees" if gap <= 0.02 else "partly agrees" if gap <= 0.05 else "differs"
    return DataCheck(
        claim='The rest of Mali outside the north is "home to 90% of the population"',
        claimed="90%",
        computed=f"{share:.1%} ({_n(rest)} of {_n(north + rest)} people, 2009 census)",
        verdict=verdict,
        method=(
            "geodata/census_2009_regions.csv (provisional RGPH 2009 results by 2012 region, each "
            "row citing its table): population outside Tombouctou, Gao and Kidal divided by the "
            "national sum of the nine rows."
        ),
        sources=_urls(census(dataset)["source_url"]),
        value=round(share * 100, 2),
    )


def incidents_2012_north_vs_rest(dataset: Dataset) -> DataCheck:
    """Where the recorded incidents of 2012 happened: the three northern regions or the rest."""
    year = incidents_in_year(dataset, 2012)
    in_north = year["admin1"].isin(config.NORTHERN_REGIONS).to_numpy(dtype=bool)
    share = in_north.mean() if len(year) else float("nan")
    pop_north, pop_rest = population_north_and_rest(dataset)
    rate_north = in_north.sum() / pop_north * 1e6
    rate_rest = (~in_north).sum() / pop_rest * 1e6
    rest_types = year.loc[~in_north, "event_type"].value_counts()
    verdict = "agrees" if share >= 0.75 else "partly agrees" if share >= 0.5 else "differs"
    return DataCheck(
        claim='"There was no collapse in public order elsewhere" than the north in 2012',
        claimed="violence concentrated in the north",
        computed=(
            f"{in_north.sum()} of {len(year)} incidents in 2012 ({share:.0%}) in the north; "
            f"{rate_north:.1f} vs {rate_rest:.1f} per million people; outside the north: "
            + ", ".join(f"{_label(t)} {n}" for t, n in rest_types.items())
        ),
        verdict=verdict,
        method=(
            f"Incidents overlapping 2012 in {dataset.incidents_label}, by recorded 2012 region; "
            "rates per million people of the 2009 census. Verdict: at least 3 in 4 incidents in "
            "the north agrees, at least half partly agrees. The file is thinner in the south, "
            "which favours the claim."
        ),
        sources=_urls(year["source_url"], census(dataset)["source_url"]),
        value=round(float(share) * 100, 2),
    )


# --- myth 2 ---------------------------------------------------------------------------------


def azawad_declared_april_2012(dataset: Dataset) -> DataCheck:
    """The MNLA declared Azawad independent in April 2012 (key_events)."""
    return _dated_check(
        dataset,
        claim='The north "was declared independent as the State of Azawad in April 2012"',
        claimed="April 2012",
        events=(("independence of Azawad", "2012-04"),),
    )


def niger_valley_majority(dataset: Dataset) -> DataCheck:
    """Most northerners live along the Niger valley: the census here is by region only."""
    return _no_data(
        '"the majority of the northern population resides along the Niger valley"',
        "majority",
        method=(
            f"{NO_DATA} The census file gives one figure per region, not per town or "
            "district, so the population along the river cannot be separated."
        ),
    )


# --- myth 3 ---------------------------------------------------------------------------------


def occupiers_by_region(dataset: Dataset) -> DataCheck:
    """Which armed groups the incidents of the occupation name in Tombouctou and Gao regions."""
    counts = occupier_counts(dataset)
    claimed = {"Tombouctou": "AQIM", "Gao": "MUJAO"}
    # Most often named, ties included: the names are a weak signal, so a tie is not held
    # against the claim.
    leading = {r: 0 < counts[r][group] == counts[r].max() for r, group in claimed.items()}
    hits = sum(leading.values())
    verdict = ("differs", "partly agrees", "agrees")[hits]
    shown = "; ".join(
        f"{region}: " + ", ".join(f"{g} {n}" for g, n in counts[region].items())
        for region in claimed
    )
    period = make_period("2012-04", "2013-01")
    rows = incidents_in_period(dataset.incidents, period)
    return DataCheck(
        claim='"Real power in Timbuktu region was exercised by AQIM and in Gao region by" MUJAO',
        claimed="AQIM in Tombouctou region, MUJAO in Gao region",
        computed=f"incidents naming each group, Apr 2012–Jan 2013: {shown}",
        verdict=verdict,
        method=(
            f"Incidents overlapping April 2012–January 2013 in {dataset.incidents_label}, by "
            "recorded 2012 region, counting those whose actors name each group. The claim "
            "agrees where its group is named most often; names cannot show who held power "
            "behind a front such as Ansar Dine."
        ),
        sources=_urls(rows[rows["admin1"].isin(list(claimed))]["source_url"]),
        value=float(hits),
    )


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
            {g: int(in_region.str.contains(_word(g), regex=True).sum()) for g in OCCUPIERS}
        )
    return out


# --- myth 4 ---------------------------------------------------------------------------------


def january_2013_distances(dataset: Dataset) -> DataCheck:
    """How far the January 2013 offensive was from the Sévaré and Diabali bases and Bamako."""
    front = january_2013_front(dataset)
    events = front[front["kind"] == "key event"]
    konna = events[events["place"] == "Konna"]
    diabaly = events[events["place"] == "Diabaly"]
    if konna.empty or diabaly.empty:
        return _no_data('"two frontline bases at Sévaré and Diabali"', "Sévaré and Diabali")
    k, d = konna.iloc[0], diabaly.iloc[0]
    battles = front[(front["kind"] == "incident") & (front["event_type"] == "battle")]
    nearest = battles[["km_sevare", "km_diabali"]].min(axis=1)
    near_bases = k["km_sevare"] <= 100 and d["km_diabali"] <= 100
    far_from_capital = min(k["km_bamako"], d["km_bamako"]) >= 3 * max(
        k["km_sevare"], d["km_diabali"]
    )
    # Distances can fit the claim but never prove an intention: "agrees" is not on offer.
    verdict = "partly agrees" if near_bases and far_from_capital else "differs"
    return DataCheck(
        claim='The offensive "was not intended to capture Bamako" but the "two frontline bases '
        'at Sévaré and Diabali"',
        claimed="aimed at the Sévaré and Diabali bases, not Bamako",
        computed=(
            f"Konna (taken {_day(k['date'])}) is {k['km_sevare']:.0f} km from Sévaré and "
            f"{k['km_bamako']:.0f} km from Bamako; Diabaly (taken {_day(d['date'])}) is "
            f"{d['km_diabali']:.0f} km from the Diabali base and {d['km_bamako']:.0f} km from "
            f"Bamako; the {len(battles)} recorded battles of January 2013 in central Mali were at "
            f"most {nearest.max():.0f} km from one of the two bases"
        ),
        verdict=verdict,
        method=(
            "Key events 'Islamist offensive captures Konna' and 'Islamists seize Diabaly', and "
            "located January 2013 incidents in Mopti and Ségou regions, measured to the bases' "
            "places (bases.csv, places.csv) and Bamako in UTM zone 30N (EPSG:32630). Distance "
            "fits the claim but cannot show what the attackers meant to do next."
        ),
        sources=_urls(
            events["source_url"],
            battles["source_url"],
            _base_rows(dataset, ("Sévaré", "Diabali"))["source_url"],
            _place_urls(dataset, ("Sévaré", "Diabali", "Bamako")),
        ),
        value=float(k["km_sevare"]),
    )


# --- myth 5 ---------------------------------------------------------------------------------


def narco_trafficking(dataset: Dataset) -> DataCheck:
    """The AQIM–drug-trafficking link: nothing in the data records trafficking."""
    return _no_data(
        '"The link between AQIM and trans-Saharan drug trafficking groups remains unproved."',
        "link unproved",
        method=(
            f"{NO_DATA} The incident types cover violence, kidnappings and protests; no file "
            "records seizures, routes or trafficking."
        ),
    )


def aqim_kidnappings(dataset: Dataset) -> DataCheck:
    """Kidnappings in the incidents that name AQIM (ransoms are not recorded)."""
    kidnappings = dataset.incidents[dataset.incidents["event_type"] == "kidnapping"]
    actors = kidnappings["actors"].fillna("")
    aqim = actors.str.contains(_word("AQIM"), regex=True)
    mujao = actors.str.contains(_word("MUJAO"), regex=True)
    verdict = "partly agrees" if aqim.any() else "differs"
    return DataCheck(
        claim='AQIM\'s link to organised crime is "its role in kidnapping for ransom"',
        claimed="kidnapping for ransom, tens of millions of dollars",
        computed=(
            f"{int(aqim.sum())} of {len(kidnappings)} kidnappings in 2012–2014 name AQIM "
            f"({int(mujao.sum())} name its splinter MUJAO); no ransom is recorded"
        ),
        verdict=verdict,
        method=(
            f"Incidents of type kidnapping in {dataset.incidents_label} whose actors name AQIM. "
            "The data show AQIM kidnapping but hold no ransom figures, so the sums cannot be "
            "checked."
        ),
        sources=_urls(kidnappings.loc[aqim.to_numpy(dtype=bool), "source_url"]),
        value=float(aqim.sum()),
    )


# --- drivers and triggers -------------------------------------------------------------------


def coup_amid_insurgency(dataset: Dataset) -> DataCheck:
    """The March 2012 coup came after the army had already lost northern bases."""
    coup = _key_event(dataset, "Military coup")
    if coup is None:
        return _no_data(
            '"the sudden overthrow of the Malian civilian government in March 2012"', "March 2012"
        )
    lost = bases_lost(dataset)
    before = lost[lost["date"] < coup["date"]]
    north_before = incidents_in_period(dataset.incidents, make_period("2012-01", "2012-03"))
    north_before = north_before[
        north_before["admin1"].isin(config.NORTHERN_REGIONS)
        & (north_before["date_start"] < coup["date"])
    ]
    in_march = f"{coup['date']:%Y-%m}" == "2012-03"
    verdict = "agrees" if in_march and len(before) else "partly agrees" if in_march else "differs"
    listing = ", ".join(f"{r.place} {_day(r.date)}" for r in before.itertuples())
    return DataCheck(
        claim='"the sudden overthrow of the Malian civilian government in March 2012" came '
        '"in the face of a major insurgency"',
        claimed="March 2012, amid an insurgency",
        computed=(
            f"coup {_day(coup['date'])}; bases already lost: {listing or 'none'}; "
            f"{len(north_before)} incidents in the north before it"
        ),
        verdict=verdict,
        method=(
            "Key event 'Military coup'; bases.csv changes from 'Malian army' to an armed group "
            "dated before it; incidents in the three northern regions in "
            f"{dataset.incidents_label} starting in 2012 before the coup."
        ),
        sources=_urls([coup["source_url"]], before["source_url"], north_before["source_url"]),
        value=float(len(before)),
    )


def bases_lost(dataset: Dataset) -> pd.DataFrame:
    """The bases.csv rows where a base passes from the Malian army to an armed group."""
    bases = dataset.bases.sort_values(["base_id", "date"], kind="stable")
    previous = bases.groupby("base_id")["held_by"].shift()
    armed = bases["held_by"].str.contains("|".join(ARMED_GROUPS))
    return bases[(previous == "Malian army") & armed].sort_values("date", kind="stable")


def libya_weapons(dataset: Dataset) -> DataCheck:
    """Weapons and fighters from Libya after October 2011: the data start in 2012."""
    return _no_data(
        '"the surge in supply of light weapons and experienced Malian (often Tuareg) combatants"',
        "after October 2011",
        method=(
            f"{NO_DATA} The files start in January 2012 and record no arms flows or "
            "returning fighters."
        ),
    )


# --- Mali in 2014 ---------------------------------------------------------------------------


def towns_hit_in_2013(dataset: Dataset) -> DataCheck:
    """Attacks recorded in 2013 in Gao, Kidal, Ménaka, Tessalit and Timbuktu towns."""
    towns = town_incidents_2013(dataset)
    hit = int((towns["attacks"] > 0).sum())
    verdict = "agrees" if hit == len(towns) else "partly agrees" if hit else "differs"
    shown = "; ".join(
        f"{t.town} {t.incidents} ({t.attacks} attack(s): "
        + ", ".join(f"{_label(a)} {getattr(t, a)}" for a in ATTACK_TYPES if getattr(t, a))
        + ")"
        for t in towns.itertuples()
    )
    year = incidents_in_year(dataset, 2013)
    return DataCheck(
        claim='"Suicide bombings, gun and rocket attacks and use of landmines have been sporadic '
        'in Gao, Kidal, Ménaka, Tessalit and Timbuktu towns"',
        claimed="attacks in all 5 towns",
        computed=f"{hit} of 5 towns with attacks in 2013. Incidents: {shown}",
        verdict=verdict,
        method=(
            f"Incidents overlapping 2013 in {dataset.incidents_label} whose place is the town "
            "itself (roads and nearby sites excluded); attacks are suicide attacks, armed "
            "(gun) attacks, rocket or shell fire and IEDs or mines."
        ),
        sources=_urls(year[year["place"].isin(TOWNS_HIT_2013)]["source_url"]),
        value=float(hit),
    )


def suicide_attacks_2013(dataset: Dataset) -> DataCheck:
    """Suicide attacks recorded in 2013, by place."""
    year = incidents_in_year(dataset, 2013)
    suicide = year[year["event_type"] == "suicide_attack"]
    by_place = suicide["place"].value_counts()
    return DataCheck(
        claim='Peacekeeping in a country "where suicide attacks occur"',
        claimed="suicide attacks occur",
        computed=f"{len(suicide)} suicide attacks in 2013: "
        + ", ".join(f"{p} {n}" for p, n in by_place.items()),
        verdict="agrees" if len(suicide) else "differs",
        method=f"Incidents of type suicide_attack overlapping 2013 in {dataset.incidents_label}.",
        sources=_urls(suicide["source_url"]),
        value=float(len(suicide)),
    )


def mnla_maa_clashes_2013(dataset: Dataset) -> DataCheck:
    """Clashes between the MNLA and the MAA in 2013."""
    clashes = mnla_maa_clashes(dataset, 2013)
    months = clashes["date_start"].dt.strftime("%b").tolist()
    n_months = clashes["date_start"].dt.month.nunique()
    verdict = "agrees" if n_months >= 3 else "partly agrees" if n_months == 2 else "differs"
    return DataCheck(
        claim='"Clashes between the MNLA and its Arab rival, the Azawad Arab Movement (MAA), '
        'were recurrent in 2013"',
        claimed="recurrent",
        computed=f"{len(clashes)} clashes in {n_months} months ("
        + ", ".join(f"{p} {m}" for p, m in zip(clashes["place"], months, strict=True))
        + ")",
        verdict=verdict,
        method=(
            "Incidents of type clash_between_armed_groups overlapping 2013 whose actors name "
            "both the MNLA and the MAA; recurrent means in at least three different months."
        ),
        sources=_urls(clashes["source_url"]),
        value=float(len(clashes)),
    )


def mnla_maa_clashes(dataset: Dataset, year: int) -> gpd.GeoDataFrame:
    """Clashes between armed groups in a year whose actors name both the MNLA and the MAA."""
    rows = incidents_in_year(dataset, year)
    actors = rows["actors"].fillna("")
    both = actors.str.contains(_word("MNLA"), regex=True) & actors.str.contains(
        _word("MAA"), regex=True
    )
    mask = (rows["event_type"] == "clash_between_armed_groups") & both
    return rows[mask.to_numpy(dtype=bool)].sort_values("date_start", kind="stable")


def kidal_redeployment_july(dataset: Dataset) -> DataCheck:
    """The Malian army came back to Kidal in July 2013: its first 2013 incident there."""
    year = incidents_in_year(dataset, 2013)
    army = year[(year["place"] == "Kidal") & year["actors"].fillna("").str.contains("Malian army")]
    if army.empty:
        return _no_data('"Malian security forces were only able to redeploy in July"', "July 2013")
    first = army.sort_values("date_start", kind="stable").iloc[0]
    return DataCheck(
        claim='In Kidal "Malian security forces were only able to redeploy in July"',
        claimed="July 2013",
        computed=f"first 2013 incident at Kidal naming the Malian army: {_day(first['date_start'])}"
        f" ({first['incident_id']}: {first['event_type']})",
        verdict="agrees" if first["date_start"].month == 7 else "differs",
        method=(
            f"Earliest incident overlapping 2013 at Kidal in {dataset.incidents_label} whose "
            "actors name the Malian army. No earlier record is not proof of no earlier presence."
        ),
        sources=_urls([first["source_url"]]),
        value=_yyyymmdd(first["date_start"]),
    )


def kidal_buildings_november(dataset: Dataset) -> DataCheck:
    """The MNLA left Kidal's administrative buildings in November 2013."""
    year = incidents_in_year(dataset, 2013)
    moves = year[
        (year["place"] == "Kidal")
        & (year["event_type"] == "strategic_development")
        & year["actors"].fillna("").str.contains(_word("MNLA"), regex=True)
    ]
    if moves.empty:
        return _no_data(
            '"the MNLA continued to occupy administrative buildings until November"',
            "November 2013",
        )
    last = moves.sort_values("date_start", kind="stable").iloc[-1]
    return DataCheck(
        claim='"the MNLA continued to occupy administrative buildings until November"',
        claimed="November 2013",
        computed=f"last 2013 handover at Kidal involving the MNLA: {_day(last['date_start'])} "
        f"({last['incident_id']}: {last['summary']})",
        verdict="agrees" if last["date_start"].month == 11 else "differs",
        method=(
            "Latest incident of type strategic_development overlapping 2013 at Kidal whose "
            "actors name the MNLA; its summary says what changed hands."
        ),
        sources=_urls([last["source_url"]]),
        value=_yyyymmdd(last["date_start"]),
    )


def displaced_2012_13(dataset: Dataset) -> DataCheck:
    """Refugees + IDPs of 2012–13 against the briefing's 560,000 displaced."""
    options = displaced_options(dataset)
    best = options["peaks"]["total"]
    ratio = best / CLAIMED_DISPLACED
    verdict = "agrees" if ratio >= 0.95 else "partly agrees" if ratio >= 0.85 else "differs"
    return DataCheck(
        claim='"the 560,000 Malians displaced in 2012-13"',
        claimed=_n(CLAIMED_DISPLACED),
        computed="; ".join(_option_short(key, o) for key, o in options.items())
        + f"; the largest is {ratio:.0%} of the claim",
        verdict=verdict,
        method=(
            "Refugees: UNHCR year-end stocks from Mali summed over host countries "
            "(country_total rows only). IDPs: one national total (country_total, MLI). "
            + " ".join(
                _option_text(label, options[key]) for key, label in _OPTION_LABELS if key in options
            )
            + " A count of everyone displaced at any time in 2012–13 would exceed any stock; "
            "the sources here give stocks only. Verdict: within 5% agrees, within 15% partly."
        ),
        sources=_displacement_urls(options),
        value=float(best),
    )


def displaced_share_of_north(dataset: Dataset) -> DataCheck:
    """Displaced people as a share of the north's 2009 population ("nearly half")."""
    north, _ = population_north_and_rest(dataset)
    best = displaced_options(dataset)["peaks"]["total"]
    share = best / north
    verdict = "agrees" if share >= 0.40 else "partly agrees" if share >= 0.30 else "differs"
    return DataCheck(
        claim='The displaced were "nearly half of the northern population"',
        claimed="nearly half",
        computed=f"{share:.0%} ({_n(best)} / {_n(north)}); the briefing's own "
        f"{_n(CLAIMED_DISPLACED)} would be {CLAIMED_DISPLACED / north:.0%}",
        verdict=verdict,
        method=(
            "The peak figure of the displacement check (refugees + IDPs, peaks of different "
            "dates) divided by the 2009 census population of Tombouctou, Gao and Kidal. Not all "
            "displaced came from these regions. Verdict: at least 40% agrees, 30% partly."
        ),
        sources=_urls(
            _displacement_urls(displaced_options(dataset)), census(dataset)["source_url"]
        ),
        value=round(share * 100, 2),
    )


def returned_by_early_2014(dataset: Dataset) -> DataCheck:
    """The share of the displaced who had returned by early 2014 ("one-quarter")."""
    returns = returns_by_early_2014(dataset)
    still = displaced_options(dataset)["end_2013"]["total"]
    unhcr = returns["unhcr_returned_idps"] + returns["unhcr_returned_refugees"]
    shares = {
        "UNHCR returns 2012–13": unhcr / CLAIMED_DISPLACED,
        "IOM returnees, Feb 2014": returns["iom_returnees_feb_2014"] / CLAIMED_DISPLACED,
        "implied by the end-2013 stock": 1 - still / CLAIMED_DISPLACED,
    }
    low, high = min(shares.values()), max(shares.values())
    close = all(abs(s - CLAIMED_RETURNED_SHARE) <= 0.05 for s in shares.values())
    inside = low <= CLAIMED_RETURNED_SHARE <= high
    verdict = "agrees" if close else "partly agrees" if inside else "differs"
    return DataCheck(
        claim='"Only one-quarter of the 560,000 Malians displaced in 2012-13" have "so far '
        'returned"',
        claimed="25% (about 140,000)",
        computed="; ".join(f"{k}: {v:.0%}" for k, v in shares.items()),
        verdict=verdict,
        method=(
            "Shares of the briefing's 560,000. UNHCR: returned IDPs "
            f"({_n(returns['unhcr_returned_idps'])}) + returned refugees "
            f"({_n(returns['unhcr_returned_refugees'])}), each a country_total sum over 2012–13, "
            f"= {_n(unhcr)}. IOM: {_n(returns['iom_returnees_feb_2014'])} returnees to Gao and "
            "Tombouctou regions (region_of_return, 28 Feb 2014, after the briefing; may include "
            "returned refugees, so UNHCR's are not added). Implied: 1 - "
            f"{_n(still)} still displaced at end 2013 (UNHCR refugees + IDPs, same date) / "
            "560,000. The sources disagree with each other; the claim lies "
            + ("inside" if inside else "outside")
            + " their range."
        ),
        sources=_returns_urls(dataset),
        value=round(shares["implied by the end-2013 stock"] * 100, 2),
    )


def french_troops(dataset: Dataset) -> DataCheck:
    """France's troop numbers: stated by the briefing, corroborated in part by Al Jazeera."""
    return DataCheck(
        claim='"2,500 French troops"; France "wants to reduce its force to 1,600 in February '
        'and under 1,000 by April"',
        claimed="2,500, then 1,600 (Feb 2014), under 1,000 (Apr 2014)",
        computed=None,
        verdict="as stated (not checkable here)",
        method=(
            f"{NO_DATA} No map layer counts troops. Corroboration found while compiling "
            "bases.csv: Al Jazeera, January 2014, France will cut its troops to 1,600 by "
            "mid-February from 2,500, then to 1,000 (no April date, and not 'under')."
        ),
        sources=(ALJAZEERA_TROOPS_URL,),
    )


def minusma_strength(dataset: Dataset) -> DataCheck:
    """MINUSMA's strength: stated by the briefing; only partial corroboration exists."""
    return DataCheck(
        claim='"5,500 troops and 950 police from MINUSMA"; MINUSMA "is only at half its '
        'authorised strength"',
        claimed="5,500 troops + 950 police; half the authorised strength",
        computed=None,
        verdict="as stated (not checkable here)",
        method=(
            f"{NO_DATA} Corroboration found: Reuters (autumn 2013) reported 5,200 soldiers on the "
            "ground; Security Council resolution 2100 authorised up to 11,200 military and 1,440 "
            "police, so 5,500 troops would be about half. No police figure was found."
        ),
        sources=(REUTERS_MINUSMA_URL, RESOLUTION_2100_URL),
    )


# --- political challenges -------------------------------------------------------------------


def ouagadougou_late_june(dataset: Dataset) -> DataCheck:
    """The provisional (Ouagadougou) agreement was signed in late June 2013."""
    event = _key_event(dataset, "Agreement of Ouagadougou")
    if event is None:
        return _no_data('"A provisional agreement" signed "in late June"', "late June 2013")
    day = event["date"]
    in_june = f"{day:%Y-%m}" == "2013-06"
    verdict = ("agrees" if day.day >= 21 else "partly agrees") if in_june else "differs"
    return DataCheck(
        claim='"A provisional agreement signed by the government, the MNLA and two other Tuareg '
        'and Arab armed groups in late June"',
        claimed="late June 2013",
        computed=f"{_day(day)} ({event['event']})",
        verdict=verdict,
        method="Key event of the Ouagadougou agreement; late June read as the 21st or later.",
        sources=_urls([event["source_url"]]),
        value=_yyyymmdd(day),
    )


def presidential_election(dataset: Dataset) -> DataCheck:
    """The presidential election's two rounds were in July and August 2013."""
    return _dated_check(
        dataset,
        claim='"Elections in July and August chose a new President"',
        claimed="July and August 2013",
        events=(
            ("Presidential election, first round", "2013-07"),
            ("Presidential election, second round", "2013-08"),
        ),
    )


def legislative_election(dataset: Dataset) -> DataCheck:
    """The legislative election's two rounds were in November and December 2013."""
    return _dated_check(
        dataset,
        claim='"A new parliament was elected in November and December"',
        claimed="November and December 2013",
        events=(
            ("Legislative elections, first round", "2013-11"),
            ("Legislative elections, second round", "2013-12"),
        ),
    )


def keita_took_office(dataset: Dataset) -> DataCheck:
    """President Keïta took office in September 2013."""
    return _dated_check(
        dataset,
        claim='"President Keïta took office in September"',
        claimed="September 2013",
        events=(("sworn in as President", "2013-09"),),
    )


def sanogo_arrest(dataset: Dataset) -> DataCheck:
    """Gen. Sanogo was arrested on 27 November 2013."""
    return _dated_check(
        dataset,
        claim='"Former junta leader Gen Amadou Sanogo was arrested on 27 November"',
        claimed="27 November 2013",
        events=(("Sanogo arrested", "2013-11-27"),),
    )


def ddr_not_agreed(dataset: Dataset) -> DataCheck:
    """No agreement yet on disarmament, demobilisation and reintegration: not in the data."""
    return _no_data(
        '"which have not yet agreed disarmament, demobilisation or reintegration (DDR)"',
        "not agreed",
        method=f"{NO_DATA} No file records cantonment or DDR negotiations.",
    )


# --- policy implications --------------------------------------------------------------------


def still_displaced_share(dataset: Dataset) -> DataCheck:
    """People still displaced at the end of 2013 as a share of the north's population."""
    north, _ = population_north_and_rest(dataset)
    still = displaced_options(dataset)["end_2013"]
    share = still["total"] / north
    gap = abs(share - CLAIMED_STILL_DISPLACED_SHARE)
    verdict = "agrees" if gap <= 0.03 else "partly agrees" if gap <= 0.08 else "differs"
    return DataCheck(
        # The curly apostrophe is the briefing's own: quotations stay verbatim.
        claim='"one-third of the north’s population" still "feel too insecure to return home" '  # noqa: RUF001
        "(Summary)",
        claimed="one-third (33%)",
        computed=f"{share:.0%} ({_n(still['refugees'])} refugees + {_n(still['idps'])} IDPs "
        f"at end 2013 = {_n(still['total'])}, of {_n(north)})",
        verdict=verdict,
        method=(
            "UNHCR refugees from Mali (country_total, all hosts) + the national IDP total, both "
            "at 31 December 2013, divided by the 2009 census population of Tombouctou, Gao and "
            "Kidal. Both biases raise the share: not all displaced are northerners, and the "
            "population grew after 2009. Verdict: within 3 points agrees, 8 partly."
        ),
        sources=_urls(_displacement_urls({"end_2013": still}), census(dataset)["source_url"]),
        value=round(share * 100, 2),
    )


# --- the chapters ---------------------------------------------------------------------------

_SECTION = BRIEFING + ", section '{}'"

CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        id="context",
        title="Context: the January 2013 intervention and what followed",
        start="2013-01",
        end="2013-07",
        layers=("regions", "towns", "bases", "key_events", "context"),
        center=(17.0, -2.0),
        zoom=5,
        highlight=("Gao", "Timbuktu", "Kidal", "Tessalit", "Adrar des Ifoghas"),
        text=(
            "In January 2013 armed Islamist groups pushed south out of the occupied north, and "
            "France answered with an air and ground intervention that African troops soon "
            "joined. The northern towns, lost to armed groups in the spring of 2012, changed "
            "hands again within weeks, and the hunt for AQIM moved to its mountain refuge near "
            "Algeria. By mid-2013 the African force had become a UN mission, backed by a "
            "smaller French force. The map shows those months: the fighting, who held the "
            "bases, and the turning points."
        ),
        quote="Over four weeks, French-led forces recaptured all of the towns in the northern "
        "half of Mali",
        quote_ref=_SECTION.format("Context"),
        checks=(
            serval_start,
            north_recaptured_in_four_weeks,
            ifoghas_late_february,
            minusma_in_july,
        ),
    ),
    Chapter(
        id="myth-1",
        title="Myth 1: Mali was a failed state in 2012",
        start="2012-01",
        end="2012-12",
        layers=("regions", "towns", "context"),
        center=(16.0, -4.0),
        zoom=5,
        highlight=("Bamako", "Kati", "Timbuktu", "Gao", "Kidal"),
        text=(
            "The first myth is that the whole Malian state failed in 2012. The briefing's "
            "answer: the state collapsed in the three northern regions, but most Malians live "
            "in the south, where the government kept working and suffered more from aid "
            "sanctions than from losing the north. The map shades the regions by the incidents "
            "recorded in 2012; the checks set where Malians live (2009 census) against where "
            "the recorded violence happened."
        ),
        quote="life in the rest of Mali (home to 90% of the population) was not greatly affected",
        quote_ref=_SECTION.format("Five Myths of the Malian conflict"),
        checks=(population_outside_north, incidents_2012_north_vs_rest),
    ),
    Chapter(
        id="myth-2",
        title="Myth 2: the 'Azawad' separatists speak for the north",
        start="2012-01",
        end="2012-06",
        layers=("regions", "bases", "key_events", "context"),
        center=(17.5, -1.0),
        zoom=5,
        highlight=("Gao", "Kidal", "Timbuktu", "Ménaka", "Aguelhok", "Tessalit"),
        text=(
            "The MNLA's rebellion took the north within months and its leaders proclaimed an "
            "independent Azawad, yet no vote ever measured how many northerners wanted that. "
            "The briefing notes that Tuareg clans split between the MNLA, the Islamists and the "
            "state, and that most northerners live along the Niger among communities opposed to "
            "secession. The map shows the first half of 2012: the garrisons that fell and the "
            "declaration."
        ),
        quote="support for northern separatism has never been tested",
        quote_ref=_SECTION.format("Five Myths of the Malian conflict"),
        checks=(azawad_declared_april_2012, niger_valley_majority),
    ),
    Chapter(
        id="myth-3",
        title="Myth 3: radical Islamism characterises Mali's Tuareg and Arabs",
        start="2012-04",
        end="2013-01",
        layers=("regions", "towns", "incidents", "bases", "context"),
        center=(17.0, -1.5),
        zoom=5,
        highlight=("Timbuktu", "Gao", "Kidal"),
        text=(
            "The Islamist groups that pushed the MNLA aside in mid-2012 were, in the briefing's "
            "reading, mostly foreign-led, with the Malian Ansar Dine as their front and "
            "Malian recruits drawn by money, weapons or clan interest more than doctrine. It "
            "names AQIM as the real power around Timbuktu and MUJAO around Gao. The map covers "
            "the occupation; the check counts which armed groups the recorded incidents name in "
            "each region."
        ),
        quote="Real power in Timbuktu region was exercised by AQIM and in Gao region by the "
        "AQIM-splinter Movement for Unity and Jihad in West Africa",
        quote_ref=_SECTION.format("Five Myths of the Malian conflict"),
        checks=(occupiers_by_region,),
    ),
    Chapter(
        id="myth-4",
        title="Myth 4: AQIM aimed to take over the Malian state",
        start="2013-01",
        end="2013-01",
        layers=("incidents", "bases", "key_events", "context"),
        center=(14.0, -5.5),
        zoom=7,
        highlight=("Konna", "Sévaré military camp and airport", "Diabali military camp", "Bamako"),
        text=(
            "The January 2013 offensive is often told as a march on Bamako. The briefing argues "
            "that its targets were the army's two forward bases, at Sévaré and at Diabali, "
            "which a West African force could have used to retake the north, and that AQIM saw "
            "northern Mali mainly as a base against Algeria and North Africa. The map zooms on "
            "central Mali in January 2013; the check measures, in a projected coordinate "
            "system, how far the fighting was from the bases and from the capital."
        ),
        # The curly apostrophe is the briefing's own: quotations stay verbatim.
        quote="it was directed at seizing and neutralising the Malian armed forces’ two "  # noqa: RUF001
        "frontline bases at Sévaré and Diabali",
        quote_ref=_SECTION.format("Five Myths of the Malian conflict"),
        checks=(january_2013_distances,),
    ),
    Chapter(
        id="myth-5",
        title="Myth 5: northern Mali is a hub of 'narco-terrorism'",
        start="2012-01",
        end="2014-12",
        layers=("incidents", "context"),
        center=(17.5, -1.0),
        zoom=5,
        highlight=("Kidal", "Timbuktu", "Gao"),
        text=(
            "The briefing doubts that the Malian Sahara was a major cocaine route run by AQIM: "
            "the evidence is thin, and some of it came from prosecutors with political motives. "
            "Smuggling is old and everyday in the region; the clearer criminal link is "
            "kidnapping for ransom. The project's data record kidnappings but no trafficking, "
            "so only part of this can be looked at here."
        ),
        quote="The link between AQIM and trans-Saharan drug trafficking groups remains unproved.",
        quote_ref=_SECTION.format("Five Myths of the Malian conflict"),
        checks=(narco_trafficking, aqim_kidnappings),
    ),
    Chapter(
        id="drivers",
        title="Drivers and triggers of the 2012–13 crisis",
        start="2012-01",
        end="2012-04",
        layers=("regions", "incidents", "bases", "key_events", "context"),
        center=(17.0, -2.5),
        zoom=5,
        highlight=("Ménaka", "Aguelhok", "Tessalit", "Kidal", "Bamako"),
        text=(
            "Weak state control in the far north, above all around Kidal, was nothing new. What "
            "changed in 2012 were the weapons and fighters that came south after the fall of "
            "Gaddafi, and a coup in Bamako after the army had lost ground to the rebellion. "
            "Underneath, the briefing sees the economic marginalisation of the north, droughts "
            "that ruined herders, and smuggling as the one living that pays. The map shows "
            "early 2012: the garrisons lost before and after the coup."
        ),
        quote="The security and governance vacuum that existed in northern Mali, especially in "
        "the Kidal region, in 2012 was not new.",
        quote_ref=_SECTION.format("Drivers and triggers of the 2012-13 crisis"),
        checks=(coup_amid_insurgency, libya_weapons),
    ),
    Chapter(
        id="mali-2014",
        title="Mali at the start of 2014",
        start="2013-02",
        end="2013-12",
        layers=("towns", "incidents", "bases", "displacement", "context"),
        center=(17.0, -1.0),
        zoom=5,
        highlight=("Gao", "Kidal", "Ménaka", "Tessalit", "Timbuktu"),
        text=(
            "At the start of 2014 the briefing finds the south renewing its institutions and the "
            "north still unsafe: sporadic bombings, rocket fire and mines in the main towns, "
            "fighting between armed groups, a state barely back in Kidal, and many displaced "
            "people not yet home. Security rests on French and UN troops more than on Mali's "
            "own forces. The map shows 2013; the checks set the briefing's figures against the "
            "incidents, bases and displacement data."
        ),
        quote="the situation in the north remains precarious and unsustainable as of January 2014",
        quote_ref=_SECTION.format("Mali in 2014"),
        checks=(
            towns_hit_in_2013,
            suicide_attacks_2013,
            mnla_maa_clashes_2013,
            kidal_redeployment_july,
            kidal_buildings_november,
            displaced_2012_13,
            displaced_share_of_north,
            returned_by_early_2014,
            french_troops,
            minusma_strength,
        ),
    ),
    Chapter(
        id="challenges",
        title="The four political challenges",
        start="2013-06",
        end="2014-12",
        layers=("regions", "key_events", "context"),
        center=(15.5, -3.0),
        zoom=5,
        highlight=("Bamako", "Kidal"),
        text=(
            "With a president and a parliament elected, the briefing sets four political tasks: "
            "restart talks with the armed groups, turn the national consultations on "
            "decentralisation into reconciliation, confront patronage politics, and tackle "
            "corruption. It also credits progress in bringing the army under civilian control. "
            "The map runs from the mid-2013 agreement to the end of 2014, including the talks "
            "that later opened in Algiers."
        ),
        quote="The immediate challenge is to resume peace negotiations with the MNLA and MAA",
        quote_ref=_SECTION.format("Mali in 2014"),
        checks=(
            ouagadougou_late_june,
            presidential_election,
            legislative_election,
            keita_took_office,
            sanogo_arrest,
            ddr_not_agreed,
        ),
    ),
    Chapter(
        id="policy",
        title="Policy implications",
        start="2014-01",
        end="2014-12",
        layers=("regions", "displacement", "context"),
        center=(16.0, -2.0),
        zoom=5,
        highlight=("Mbera", "Goudoubo", "Mentao", "Abala", "Mangaizé"),
        text=(
            "The briefing ends with advice for Mali's government and donors: learn from the "
            "failed disarmament and reintegration of the 1990s and 2006–07, reform the police "
            "and courts rather than only the army, and reconcile northern communities before "
            "decentralising, so that displaced people can come home. The map shows 2014 and the "
            "refugee camps and displacement that remained."
        ),
        quote="To facilitate the resettlement of displaced persons, reconciliation within the "
        "north should precede but still link to national reconciliation",
        quote_ref=_SECTION.format("Policy Implications"),
        checks=(still_displaced_share,),
    ),
)


def chapter(chapter_id: str) -> Chapter:
    """The chapter with this id.

    Raises
    ------
    KeyError
        If no chapter has this id; the message lists the valid ids.
    """
    for ch in CHAPTERS:
        if ch.id == chapter_id:
            return ch
    msg = f"unknown chapter {chapter_id!r}; choose from {', '.join(c.id for c in CHAPTERS)}"
    raise KeyError(msg)


def run_checks(chapter: Chapter, dataset: Dataset) -> list[DataCheck]:
    """Compute every data check of a chapter, in order."""
    return [check(dataset) for check in chapter.checks]


def highlight_points(chapter: Chapter, dataset: Dataset) -> gpd.GeoDataFrame:
    """The chapter's highlighted places and bases as points.

    Returns
    -------
    geopandas.GeoDataFrame
        ``name`` and ``geometry`` (EPSG:4326), in the chapter's order; a base is drawn at its
        place's gazetteer coordinate.
    """
    points = [place_point(dataset, name) for name in chapter.highlight]
    return gpd.GeoDataFrame({"name": list(chapter.highlight)}, geometry=points, crs=config.WGS84)


def neighbours(chapter_id: str) -> tuple[str | None, str | None]:
    """The ids of the previous and next chapters (``None`` at either end)."""
    ids = [c.id for c in CHAPTERS]
    i = ids.index(chapter(chapter_id).id)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)


# --- helpers ----------------------------------------------------------------------------------

_OPTION_LABELS = (
    ("end_2012", "End 2012"),
    ("end_2013", "End 2013"),
    ("iom_2013", "IOM 2013"),
    ("peaks", "Peaks"),
)


@lru_cache(maxsize=1)
def _census_file() -> pd.DataFrame:
    return load.load_census()


def _word(name: str) -> str:
    """A regex matching ``name`` as a whole word (MAA must not match inside another word)."""
    return rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])"


def _n(value: float) -> str:
    return f"{round(value):,}"


def _day(ts: pd.Timestamp) -> str:
    return f"{ts:%Y-%m-%d}"


def _yyyymmdd(ts: pd.Timestamp) -> float:
    return float(f"{ts:%Y%m%d}")


def _event_date(event: pd.Series) -> str:
    return f"{event['date']:%Y-%m}" if event["date_precision"] == "month" else _day(event["date"])


def _label(event_type: str) -> str:
    return event_type.replace("_", " ")


def _by_date(item: tuple[str, pd.Timestamp]) -> pd.Timestamp:
    return item[1]


def _urls(*groups: Iterable[object]) -> tuple[str, ...]:
    """Unique http(s) URLs, in order of first appearance."""
    seen: dict[str, None] = {}
    for group in groups:
        for url in group:
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                seen.setdefault(url.strip(), None)
    return tuple(seen)


def _no_data(claim: str, claimed: str, *, method: str = NO_DATA) -> DataCheck:
    return DataCheck(
        claim=claim, claimed=claimed, computed=None, verdict="no data", method=method, sources=()
    )


def _key_event(dataset: Dataset, pattern: str) -> pd.Series | None:
    """The one key event whose text contains ``pattern``, or ``None``."""
    events = dataset.key_events
    rows = events[events["event"].str.contains(pattern, case=False, regex=False)]
    return rows.iloc[0] if len(rows) == 1 else None


def _dated_check(
    dataset: Dataset, *, claim: str, claimed: str, events: Sequence[tuple[str, str]]
) -> DataCheck:
    """Compare the dates of key events with the dates the briefing gives.

    ``events`` pairs a text found in exactly one key event with the claimed date, ``YYYY-MM``
    (same month agrees) or ``YYYY-MM-DD`` (same day agrees).
    """
    found = [(_key_event(dataset, pattern), expected) for pattern, expected in events]
    if any(event is None for event, _ in found):
        return _no_data(claim, claimed)
    matches = [_date_matches(event, expected) for event, expected in found]
    verdict = "agrees" if all(matches) else "partly agrees" if any(matches) else "differs"
    return DataCheck(
        claim=claim,
        claimed=claimed,
        computed="; ".join(f"{_event_date(e)} ({e['event']})" for e, _ in found),
        verdict=verdict,
        method="Date of the key event(s) in geodata/key_events_reference.csv, at the precision "
        "the briefing gives (month or day).",
        sources=_urls([e["source_url"] for e, _ in found]),
        value=_yyyymmdd(found[0][0]["date"]),
    )


def _date_matches(event: pd.Series, expected: str) -> bool:
    fmt = "%Y-%m" if len(expected) == 7 or event["date_precision"] == "month" else "%Y-%m-%d"
    return f"{event['date']:{fmt}}" == expected[: len(f"{event['date']:{fmt}}")]


def _country_totals(displacement: pd.DataFrame, population_type: str) -> pd.DataFrame:
    return displacement[
        (displacement["location_level"] == "country_total")
        & (displacement["population_type"] == population_type)
    ]


def _preferred(rows: pd.DataFrame) -> pd.Series:
    """Among national IDP figures of one date, UNHCR's (same source as the refugees) first."""
    unhcr = rows[rows["source"].str.startswith("UNHCR")]
    return (unhcr if len(unhcr) else rows).iloc[0]


def _option(refugees: int, idp_row: pd.Series, *, refugee_date: str) -> dict:
    return {
        "refugees": refugees,
        "refugee_date": refugee_date,
        "idps": int(idp_row["value"]),
        "idp_row": idp_row,
        "total": refugees + int(idp_row["value"]),
    }


def _option_short(key: str, option: dict) -> str:
    idp = option["idp_row"]
    where = {
        "end_2012": "end 2012, one date",
        "end_2013": "end 2013, one date",
        "iom_2013": f"end-2013 refugees + IOM IDPs of {idp['ref_date']:%b %Y}",
        "peaks": f"peaks: end-{option['refugee_date'][:4]} refugees + IDPs of "
        f"{idp['ref_date']:%b %Y}",
    }[key]
    return f"{_n(option['total'])} ({where})"


def _option_text(label: str, option: dict) -> str:
    idp = option["idp_row"]
    same = pd.Timestamp(option["refugee_date"]) == idp["ref_date"]
    dates = "same date" if same else "different dates"
    return (
        f"{label}: {_n(option['refugees'])} refugees ({option['refugee_date']}) + "
        f"{_n(option['idps'])} IDPs ({_day(idp['ref_date'])}, {idp['source'].split(' (')[0]}) "
        f"= {_n(option['total'])} ({dates})."
    )


def _displacement_urls(options: dict[str, dict]) -> tuple[str, ...]:
    refs = [o["idp_row"]["source_ref"] for o in options.values()]
    sources = [o["idp_row"]["source"] for o in options.values()]
    return _urls([UNHCR_URL], [_ref_url(r, s) for r, s in zip(refs, sources, strict=True)])


def _returns_urls(dataset: Dataset) -> tuple[str, ...]:
    disp = dataset.displacement
    return _urls(
        [UNHCR_URL],
        _iom_returns(disp)["source_ref"],
        _displacement_urls(displaced_options(dataset)),
    )


def _iom_returns(displacement: pd.DataFrame) -> pd.DataFrame:
    """IOM's returnees by region of return, latest date up to February 2014 (one date)."""
    rows = displacement[
        (displacement["location_level"] == "region_of_return")
        & (displacement["population_type"] == "returned_idps")
        & (displacement["ref_date"] <= pd.Timestamp("2014-02-28"))
    ]
    return rows[rows["ref_date"] == rows["ref_date"].max()]


def _sum_2012_13(rows: pd.DataFrame) -> int:
    in_range = rows["ref_date"].between(pd.Timestamp("2012-01-01"), pd.Timestamp("2013-12-31"))
    return int(rows.loc[in_range, "value"].sum())


def _ref_url(ref: str, source: str) -> str:
    """A source_ref as a URL: UNHCR rows cite a GitHub commit of the refugees R package."""
    if ref.startswith(("http://", "https://")):
        return ref
    if ref.startswith("github.com/"):
        return "https://" + ref.split(" @ ")[0].strip()
    return UNHCR_URL if source.startswith("UNHCR") else ref


def _place_urls(dataset: Dataset, names: Iterable[str]) -> list[str]:
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


def _base_rows(dataset: Dataset, places: Sequence[str]) -> pd.DataFrame:
    return dataset.bases[dataset.bases["place"].isin(list(places))]


def _base_point(dataset: Dataset, place: str) -> Point:
    """The point of the base at a place (bases are drawn at their place's coordinate)."""
    if _base_rows(dataset, (place,)).empty:
        msg = f"no base at {place!r} in bases.csv"
        raise KeyError(msg)
    return place_point(dataset, place)


def _offensive_captures(dataset: Dataset) -> pd.DataFrame:
    events = dataset.key_events
    mask = events["event"].str.contains("Islamist", regex=False) & events["event"].str.contains(
        r"\b(?:captures|seize)\b", regex=True
    )
    mask &= events["date"].dt.strftime("%Y-%m") == "2013-01"
    return events[mask & events["lat"].notna()]


def _front_row(
    kind: str,
    id_: str,
    date: pd.Timestamp,
    place: str,
    event_type: str,
    lon: float,
    lat: float,
    source_url: str,
) -> dict:
    return {
        "kind": kind,
        "id": id_,
        "date": date,
        "place": place,
        "event_type": event_type,
        "lon": lon,
        "lat": lat,
        "source_url": source_url,
    }


def _recapture_rows(dataset: Dataset) -> pd.DataFrame:
    """Rows (town, date, source_url) where French-led forces take a northern town after Serval."""
    start = _key_event(dataset, "Operation Serval")
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
        (b.place, b.date, b.source_url)
        for b in bases.itertuples()
        if north.contains(place_point(dataset, b.place))
    ]
    events = dataset.key_events
    taken = events[
        events["event"].str.contains("French", regex=False)
        & events["event"].str.contains(r"\b(?:retake|seize)\b", regex=True)
        & events["date"].between(start["date"], start["date"] + pd.Timedelta(days=90))
        & events["lat"].notna()
    ]
    rows += [
        (e.place, e.date, e.source_url)
        for e in taken.itertuples()
        if north.contains(Point(e.lon, e.lat))
    ]
    return pd.DataFrame(rows, columns=["town", "date", "source_url"])
