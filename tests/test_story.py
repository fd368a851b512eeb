"""Story mode: chapters, quotes, data checks (each against an independent calculation), layer.

The independent calculations read the CSV files with the ``csv`` module and write their own
date-overlap, grouping and distance code (geodesic distances with ``pyproj.Geod``), so a bug in
``mali_geo`` cannot hide itself by being reused here.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path

import folium
import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import Point

from layers.assets import asset_urls
from layers.highlight import COLOUR, NAME, RADIUS, highlight_layer
from mali_geo import config, story
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.period import make_period
from mali_geo.story.checks import bind
from mali_geo.view import TOGGLES

PROJECT_DIR = Path(__file__).resolve().parent.parent
GEODATA = PROJECT_DIR / "geodata"
BRIEFING_PATH = GEODATA / "briefing" / "mali-briefing-2014.txt"

CHAPTER_IDS = (
    "context",
    "myth-1",
    "myth-2",
    "myth-3",
    "myth-4",
    "myth-5",
    "drivers",
    "mali-2014",
    "challenges",
    "policy",
)
# The issue names these ten ids (its "12 chapters" does not match its own list; the ids win).
EXPECTED_CHAPTERS = 10
NORTH = ("Tombouctou", "Gao", "Kidal")
GEOD = Geod(ellps="WGS84")
ALL_CHECKS = [(ch.id, check) for ch in story.CHAPTERS for check in ch.checks]


# --- fixtures and independent readers -------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@cache
def briefing() -> str:
    return _normalise(BRIEFING_PATH.read_text(encoding="utf-8"))


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (GEODATA / name).open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _overlaps(row: dict[str, str], first: date, last: date) -> bool:
    start = _day(row["date_start"])
    end = _day(row["date_end"]) if row["date_end"] else start
    return start <= last and end >= first


def incidents_between(first: str, last: str) -> list[dict[str, str]]:
    return [
        r for r in rows("incidents_mali_2012_2014.csv") if _overlaps(r, _day(first), _day(last))
    ]


def place_latlon(name: str) -> tuple[float, float]:
    row = next(r for r in rows("places.csv") if r["name"] == name)
    return float(row["lat"]), float(row["lon"])


def key_event(text: str) -> dict[str, str]:
    found = [r for r in rows("key_events_reference.csv") if text in r["event"]]
    assert len(found) == 1, text
    return found[0]


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1000


def names(actors: str, group: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(group)}(?![A-Za-z])", actors) is not None


def census_by_region() -> dict[str, int]:
    return {r["name"]: int(r["population_2009"]) for r in rows("census_2009_regions.csv")}


def refugees_on(day: str) -> int:
    return sum(
        int(r["value"])
        for r in rows("displacement_mali_2012_2014.csv")
        if r["location_level"] == "country_total"
        and r["population_type"] == "refugees"
        and r["source"].startswith("UNHCR")
        and r["ref_date"] == day
    )


def national_idps() -> list[dict[str, str]]:
    return [
        r
        for r in rows("displacement_mali_2012_2014.csv")
        if r["location_level"] == "country_total"
        and r["population_type"] == "idps"
        and r["host_iso3"] == "MLI"
    ]


def unhcr_idps_on(day: str) -> int:
    (row,) = [
        r for r in national_idps() if r["ref_date"] == day and r["source"].startswith("UNHCR")
    ]
    return int(row["value"])


# --- chapters -------------------------------------------------------------------------------------


def test_chapter_ids_are_unique_and_in_story_order() -> None:
    ids = tuple(ch.id for ch in story.CHAPTERS)
    assert ids == CHAPTER_IDS
    assert len(set(ids)) == len(ids) == EXPECTED_CHAPTERS


def test_chapter_lookup_and_unknown_id() -> None:
    assert story.chapter("myth-4").id == "myth-4"
    with pytest.raises(KeyError, match="context, myth-1"):
        story.chapter("myth-6")


def test_neighbours_walk_the_story() -> None:
    assert story.neighbours("context") == (None, "myth-1")
    assert story.neighbours("myth-4") == ("myth-3", "myth-5")
    assert story.neighbours("policy") == ("challenges", None)
    walked, current = [], "context"
    while current is not None:
        walked.append(current)
        current = story.neighbours(current)[1]
    assert tuple(walked) == CHAPTER_IDS


@pytest.mark.parametrize("ch", story.CHAPTERS, ids=lambda c: c.id)
def test_chapter_period_is_valid(ch: story.Chapter) -> None:
    period = make_period(ch.start, ch.end)
    assert config.FIRST_MONTH <= period.start <= period.end <= config.LAST_MONTH
    assert ch.period == period


@pytest.mark.parametrize("ch", story.CHAPTERS, ids=lambda c: c.id)
def test_chapter_layers_are_known_toggles(ch: story.Chapter) -> None:
    assert ch.layers
    assert len(set(ch.layers)) == len(ch.layers)
    assert set(ch.layers) <= set(TOGGLES)


@pytest.mark.parametrize("ch", story.CHAPTERS, ids=lambda c: c.id)
def test_chapter_view_is_inside_mali(ch: story.Chapter, dataset: Dataset) -> None:
    lon_min, lat_min, lon_max, lat_max = dataset.regions.total_bounds
    lat, lon = ch.center
    assert lat_min <= lat <= lat_max
    assert lon_min <= lon <= lon_max
    assert 4 <= ch.zoom <= 10


@pytest.mark.parametrize("ch", story.CHAPTERS, ids=lambda c: c.id)
def test_chapter_quote_is_verbatim_short_and_attributed(ch: story.Chapter) -> None:
    assert _normalise(ch.quote) in briefing()
    assert len(ch.quote.split()) <= 25
    match = re.fullmatch(r"Briefing, January 2014, section '(.+)'", ch.quote_ref)
    assert match is not None
    headings = {line.strip() for line in BRIEFING_PATH.read_text(encoding="utf-8").splitlines()}
    assert match.group(1) in headings


@pytest.mark.parametrize("ch", story.CHAPTERS, ids=lambda c: c.id)
def test_chapter_text_is_in_the_projects_own_words(ch: story.Chapter) -> None:
    # No run of 7 words copied from the briefing: the text paraphrases, the quote quotes.
    words = _normalise(ch.text).split()
    copied = [
        " ".join(words[i : i + 7])
        for i in range(len(words) - 6)
        if " ".join(words[i : i + 7]) in briefing()
    ]
    assert copied == []
    assert 2 <= ch.text.count(". ") + 1 <= 8


@pytest.mark.parametrize("ch", story.CHAPTERS, ids=lambda c: c.id)
def test_highlight_points_resolve_to_gazetteer_coordinates(
    ch: story.Chapter, dataset: Dataset
) -> None:
    points = story.highlight_points(ch, dataset)
    assert points.crs == config.WGS84
    assert list(points["name"]) == list(ch.highlight)
    assert (points.geom_type == "Point").all()
    bases = {r["name"]: r["place"] for r in rows("bases.csv")}
    for name, point in zip(points["name"], points.geometry, strict=True):
        lat, lon = place_latlon(bases.get(name, name))
        assert (point.y, point.x) == pytest.approx((lat, lon))


def test_highlight_points_refuse_unknown_names(dataset: Dataset) -> None:
    ch = replace(story.chapter("myth-1"), highlight=("Atlantis",))
    with pytest.raises(KeyError, match="Atlantis"):
        story.highlight_points(ch, dataset)


def test_story_package_is_pure() -> None:
    modules = sorted((PROJECT_DIR / "mali_geo" / "story").glob("*.py"))
    assert modules
    for module in modules:
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+(streamlit|folium|branca)\b", source, re.M)


# --- every check: the contract --------------------------------------------------------------------


def test_every_chapter_with_data_has_checks() -> None:
    assert len(ALL_CHECKS) >= 20
    assert all(ch.checks for ch in story.CHAPTERS)


@pytest.mark.parametrize(("chapter_id", "check"), ALL_CHECKS, ids=lambda x: getattr(x, "id", x))
def test_check_contract(chapter_id: str, check: Callable, dataset: Dataset) -> None:
    result = check(dataset)
    assert isinstance(result, story.DataCheck)
    assert result.verdict in story.VERDICTS
    assert all(re.match(r"^https?://\S+$", url) for url in result.sources)
    assert len(set(result.sources)) == len(result.sources)
    assert result.claim
    assert result.claimed
    assert result.method
    if result.verdict in ("no data", "as stated (not checkable here)"):
        assert story.NO_DATA in result.method
    if result.computed is None:
        assert result.verdict in ("no data", "as stated (not checkable here)")
        assert result.value is None
    else:
        # A figure shown beside an "as stated" verdict is context, never a check.
        assert result.verdict != "no data"
        assert isinstance(result.value, float)
        assert result.sources
    assert check.claim.summary


@pytest.mark.parametrize(("chapter_id", "check"), ALL_CHECKS, ids=lambda x: getattr(x, "id", x))
def test_check_claim_quotes_are_verbatim(
    chapter_id: str, check: Callable, dataset: Dataset
) -> None:
    fragments = re.findall(r'"([^"]+)"', check(dataset).claim)
    assert fragments
    for fragment in fragments:
        assert _normalise(fragment) in briefing(), fragment


def test_run_checks_runs_the_chapters_checks_in_order(dataset: Dataset) -> None:
    ch = story.chapter("mali-2014")
    results = story.run_checks(ch, dataset)
    assert [r.claim for r in results] == [check(dataset).claim for check in ch.checks]


# --- (a) population outside the north -------------------------------------------------------------


def test_population_outside_north_against_census_csv(dataset: Dataset) -> None:
    census = census_by_region()
    assert len(census) == 9
    total = sum(census.values())
    rest = total - sum(census[r] for r in NORTH)
    result = story.check("population_outside_north")(dataset)
    assert result.value == pytest.approx(100 * rest / total, abs=0.01)
    assert f"{rest:,} of {total:,}" in result.computed
    assert result.verdict == ("agrees" if abs(rest / total - 0.90) <= 0.02 else "partly agrees")
    assert result.claimed == "90%"
    assert set(result.sources) == {r["source_url"] for r in rows("census_2009_regions.csv")}


# --- (b) towns hit in 2013 ------------------------------------------------------------------------


def test_towns_hit_in_2013_against_csv_counts(dataset: Dataset) -> None:
    year = incidents_between("2013-01-01", "2013-12-31")
    towns = story.town_incidents_2013(dataset).set_index("town")
    hit = 0
    for town in ("Gao", "Kidal", "Ménaka", "Tessalit", "Timbuktu"):
        here = [r for r in year if r["place"] == town]
        types = Counter(r["event_type"] for r in here)
        attacks = sum(types[t] for t in story.ATTACK_TYPES)
        hit += attacks > 0
        assert towns.loc[town, "incidents"] == len(here)
        assert towns.loc[town, "attacks"] == attacks
        for t in story.ATTACK_TYPES:
            assert towns.loc[town, t] == types[t]
    result = story.check("towns_hit_in_2013")(dataset)
    assert result.value == hit
    assert result.verdict == ("agrees" if hit == 5 else "partly agrees" if hit else "differs")
    for town in towns.index:
        assert f"{town} {towns.loc[town, 'incidents']} (" in result.computed


def test_towns_hit_check_follows_the_incidents(dataset: Dataset) -> None:
    # Computed from the data, not written down: drop Tessalit's incidents and the verdict moves.
    incidents = dataset.incidents[dataset.incidents["place"] != "Tessalit"]
    result = story.check("towns_hit_in_2013")(replace(dataset, incidents=incidents))
    assert result.value == 4
    assert result.verdict == "partly agrees"


def test_suicide_attacks_2013_against_csv(dataset: Dataset) -> None:
    expected = [
        r
        for r in incidents_between("2013-01-01", "2013-12-31")
        if r["event_type"] == "suicide_attack"
    ]
    result = story.check("suicide_attacks_2013")(dataset)
    assert result.value == len(expected)
    for place, n in Counter(r["place"] for r in expected).items():
        assert f"{place} {n}" in result.computed
    # "Sporadic": at most 2 a month on average and at least 3 months without one (claims.toml).
    quiet = 12 - len({r["date_start"][:7] for r in expected})
    assert f"none in {quiet} of 12 months" in result.computed
    sporadic = len(expected) / 12 <= 2 and quiet >= 3
    assert result.verdict == (
        "agrees" if expected and sporadic else "partly agrees" if expected else "differs"
    )
    assert "at most 2 a month on average and none in at least 3 months" in result.method


def test_suicide_attacks_every_month_are_not_sporadic(dataset: Dataset) -> None:
    incidents = dataset.incidents.copy()
    year = incidents["date_start"].dt.year == 2013
    incidents.loc[year, "event_type"] = "suicide_attack"
    result = story.check("suicide_attacks_2013")(replace(dataset, incidents=incidents))
    assert result.verdict == "partly agrees"
    none = story.check("suicide_attacks_2013")(
        replace(
            dataset,
            incidents=dataset.incidents[dataset.incidents["event_type"] != "suicide_attack"],
        )
    )
    assert none.verdict == "differs"
    assert none.value == 0


def test_mnla_maa_clashes_against_csv(dataset: Dataset) -> None:
    expected = [
        r
        for r in incidents_between("2013-01-01", "2013-12-31")
        if r["event_type"] == "clash_between_armed_groups"
        and names(r["actors"], "MNLA")
        and names(r["actors"], "MAA")
    ]
    months = {_day(r["date_start"]).month for r in expected}
    result = story.check("mnla_maa_clashes_2013")(dataset)
    assert result.value == len(expected)
    assert f"in {len(months)} months" in result.computed
    assert result.verdict == ("agrees" if len(months) >= 3 else "partly agrees")


def test_kidal_dates_against_csv(dataset: Dataset) -> None:
    at_kidal = [r for r in incidents_between("2013-01-01", "2013-12-31") if r["place"] == "Kidal"]
    army = min(r["date_start"] for r in at_kidal if "Malian army" in r["actors"])
    handover = max(
        r["date_start"]
        for r in at_kidal
        if r["event_type"] == "strategic_development" and names(r["actors"], "MNLA")
    )
    redeploy = story.check("kidal_redeployment_july")(dataset)
    vacate = story.check("kidal_buildings_november")(dataset)
    assert redeploy.value == float(army.replace("-", ""))
    assert vacate.value == float(handover.replace("-", ""))
    assert redeploy.verdict == ("agrees" if army[5:7] == "07" else "differs")
    assert vacate.verdict == ("agrees" if handover[5:7] == "11" else "differs")


# --- (c) distances of the January 2013 offensive --------------------------------------------------


def test_konna_sevare_distance_close_to_geodesic(dataset: Dataset) -> None:
    konna = key_event("Islamist offensive captures Konna")
    sevare = next(r["place"] for r in rows("bases.csv") if r["base_id"] == "sevare")
    expected = geodesic_km((float(konna["lat"]), float(konna["lon"])), place_latlon(sevare))
    result = story.check("january_2013_distances")(dataset)
    assert result.value == pytest.approx(expected, rel=0.01)
    assert (
        f"Konna (taken {konna['date']}) is {round(result.value)} km from Sévaré" in result.computed
    )
    assert result.verdict == "partly agrees"
    assert "EPSG:32630" in result.method
    # The Diabali base is in Diabaly: a zero distance tests nothing and is not offered as one.
    assert "Diabaly" in result.computed
    assert "not checkable by distance" in result.computed
    assert "0 km from the Diabali base" not in result.computed


def test_january_2013_verdict_follows_the_konna_distance(dataset: Dataset) -> None:
    claim = story.load_claims()["january_2013_distances"]
    near = replace(claim, thresholds={**claim.thresholds, "near_base_km": 40})
    result = story.check("january_2013_distances")(dataset)
    assert result.value > 40
    assert bind(near)(dataset).verdict == "differs"


def test_distance_km_uses_utm_not_degrees() -> None:
    bamako, konna = place_latlon("Bamako"), place_latlon("Konna")
    utm = story.distance_km(Point(bamako[1], bamako[0]), Point(konna[1], konna[0]))
    assert utm == pytest.approx(geodesic_km(bamako, konna), rel=0.01)
    degrees = Point(bamako[1], bamako[0]).distance(Point(konna[1], konna[0]))
    assert utm > 100 * degrees  # a degree-based figure would be ~4.6, not ~512


def test_january_2013_front_against_csv(dataset: Dataset) -> None:
    front = story.january_2013_front(dataset)
    expected_ids = {
        r["incident_id"]
        for r in incidents_between("2013-01-01", "2013-01-31")
        if r["admin1_2012"] in ("Mopti", "Ségou") and r["lat"]
    }
    assert set(front.loc[front["kind"] == "incident", "id"]) == expected_ids
    assert set(front.loc[front["kind"] == "key event", "place"]) == {"Konna", "Diabaly"}
    incidents = {r["incident_id"]: r for r in rows("incidents_mali_2012_2014.csv")}
    events = {r["event"]: r for r in rows("key_events_reference.csv")}
    targets = {
        "km_sevare": place_latlon("Sévaré"),
        "km_diabali": place_latlon("Diabali"),
        "km_bamako": place_latlon("Bamako"),
    }
    for row in front.itertuples():
        src = incidents.get(row.id) or events[row.id]
        here = (float(src["lat"]), float(src["lon"]))
        for col, target in targets.items():
            expected = geodesic_km(here, target)
            # 1 % of the distance, or the 0.1 km the frame rounds to for a place at the base.
            assert getattr(row, col) == pytest.approx(expected, rel=0.01, abs=0.06)


# --- (d) displaced and returned -------------------------------------------------------------------


def situation_rows() -> tuple[dict[str, str], ...]:
    return rows("displacement_situation_2012_2014.csv")


def same_document_totals(*, unhcr_own: bool) -> list[tuple[int, str]]:
    """(refugees + IDPs, refugees' date) of one document, dates at most 31 days apart."""
    day = [r for r in situation_rows() if len(r["as_of"]) == 10 and r["as_of"] < "2014"]
    totals = []
    for ref in day:
        if ref["population"] != "refugees" or ref["host"] != "all":
            continue
        if ref["source_title"].startswith("UNHCR") != unhcr_own:
            continue
        idps = [
            r
            for r in day
            if r["population"] == "idps"
            and r["source_url"] == ref["source_url"]
            and abs((date.fromisoformat(r["as_of"]) - date.fromisoformat(ref["as_of"])).days) <= 31
        ]
        if idps:
            idp = min(
                idps,
                key=lambda r: abs(
                    (date.fromisoformat(r["as_of"]) - date.fromisoformat(ref["as_of"])).days
                ),
            )
            totals.append((int(ref["people"]) + int(idp["people"]), ref["as_of"]))
    return totals


def test_displaced_uses_unhcr_same_date_totals_and_shows_the_other_source(
    dataset: Dataset,
) -> None:
    unhcr, when = max(same_document_totals(unhcr_own=True))
    ocha, _ = max(same_document_totals(unhcr_own=False))
    assert (unhcr, when) == (478_013, "2013-05-31")  # UNHCR Mali Situation Update No 19
    assert ocha == 174_394 + 353_455  # OCHA, 5 July 2013, with CMP's June 2013 IDPs
    result = story.check("displaced_2012_13")(dataset)
    assert result.value == unhcr
    assert f"{unhcr:,}" in result.computed
    assert f"{ocha:,}" in result.computed

    def verdict(total: int) -> str:
        ratio = total / 560_000
        return "agrees" if ratio >= 0.95 else "partly agrees" if ratio >= 0.85 else "differs"

    assert result.verdict == verdict(unhcr)
    assert f"{ocha / 560_000:.0%} ({verdict(ocha)})" in result.computed
    # About 560,000 is reached only by adding peaks of different dates.
    assert "208,306 refugees (2012-11-01) + 353,455 IDPs (2013-06-20) = 561,761" in result.computed
    assert "95%" in result.method
    assert "85%" in result.method


def test_idmc_peak_is_never_added(dataset: Dataset) -> None:
    result = story.check("displaced_2012_13")(dataset)
    for other in (176_986, 174_394, 208_306, 152_812):
        assert f"{350_000 + other:,}" not in result.computed
    assert "350,000" in result.method


def test_displaced_share_of_north_against_csv(dataset: Dataset) -> None:
    census = census_by_region()
    north = sum(census[r] for r in NORTH)
    peak = story.check("displaced_2012_13")(dataset).value
    result = story.check("displaced_share_of_north")(dataset)
    assert result.value == pytest.approx(100 * peak / north, abs=0.01)
    assert f"{527_849 / north:.0%}" in result.computed


def test_returned_is_the_fall_of_the_stock_between_same_date_points(dataset: Dataset) -> None:
    end = {
        (r["population"], r["counted_by"].split(" ")[0]): int(r["people"])
        for r in situation_rows()
        if r["as_of"] == "2013-12-31" and r["host"] in ("all", "Mali")
    }
    refugees = end[("refugees", "UNHCR")]
    fall_cmp = 1 - (refugees + end[("idps", "CMP")]) / 478_013
    fall_unhcr = 1 - (refugees + end[("idps", "UNHCR")]) / 478_013
    result = story.check("returned_by_early_2014")(dataset)
    assert result.value == pytest.approx(100 * fall_cmp, abs=0.01)
    assert 0.22 <= fall_cmp <= 0.26
    gap = abs(fall_cmp - 0.25)
    assert result.verdict == (
        "agrees" if gap <= 0.05 else "partly agrees" if gap <= 0.10 else "differs"
    )
    # The other IDP counter changes the verdict, and the text says so.
    assert f"UNHCR's end-2013 IDPs: {fall_unhcr:.0%} (differs)" in result.computed
    assert "10%" in result.method


def test_still_displaced_share_against_csv(dataset: Dataset) -> None:
    census = census_by_region()
    north = sum(census[r] for r in NORTH)
    still = refugees_on("2013-12-31") + unhcr_idps_on("2013-12-31")
    result = story.check("still_displaced_share")(dataset)
    assert result.value == pytest.approx(100 * still / north, abs=0.01)
    gap = abs(still / north - 1 / 3)
    assert result.verdict == (
        "agrees" if gap <= 0.03 else "partly agrees" if gap <= 0.08 else "differs"
    )


# --- (e) foreign troops: stated, not computed -----------------------------------------------------


@pytest.mark.parametrize("check_id", ["french_troops", "minusma_strength"])
def test_troop_figures_are_as_stated(check_id: str, dataset: Dataset) -> None:
    result = story.check(check_id)(dataset)
    assert result.computed is None
    assert result.value is None
    assert result.verdict == "as stated (not checkable here)"
    assert "No data in this project can check this claim." in result.method
    assert result.sources


def test_troop_corroboration_is_the_one_found() -> None:
    provenance = (GEODATA / "PROVENANCE-bases-census.md").read_text(encoding="utf-8")
    urls = [u for c in ("french_troops", "minusma_strength") for u in story.check(c).claim.sources]
    assert len(urls) == 3
    for url in urls:
        assert url in provenance
    for figure in ("5,200", "11,200", "1,440", "1,600", "2,500"):
        assert figure in provenance


# --- (f) other checks -----------------------------------------------------------------------------


def test_incidents_2012_north_vs_rest_against_csv(dataset: Dataset) -> None:
    year = incidents_between("2012-01-01", "2012-12-31")
    north = sum(r["admin1_2012"] in NORTH for r in year)
    census = census_by_region()
    pop_north = sum(census[r] for r in NORTH)
    pop_rest = sum(census.values()) - pop_north
    ratio = (north / pop_north) / ((len(year) - north) / pop_rest)
    result = story.check("incidents_2012_north_vs_rest")(dataset)
    assert result.value == pytest.approx(ratio, abs=0.01)
    assert result.computed.startswith(f"{north} of {len(year)} incidents")
    assert f"({ratio:.1f} times)" in result.computed
    # Judged on rates per head, not on the media sample's share (claims.toml: 10 and 3).
    assert result.verdict == (
        "agrees" if ratio >= 10 else "partly agrees" if ratio >= 3 else "differs"
    )
    assert "illustration only" in result.method
    assert "at least 10 times the rest's agrees, at least 3 times partly" in result.method


def test_occupiers_against_csv(dataset: Dataset) -> None:
    period = incidents_between("2012-04-01", "2013-01-31")
    result = story.check("occupiers_by_region")(dataset)
    leading = 0
    for region, claimed in (("Tombouctou", "AQIM"), ("Gao", "MUJAO")):
        here = [r for r in period if r["admin1_2012"] == region]
        counts = {g: sum(names(r["actors"], g) for r in here) for g in story.OCCUPIERS}
        leading += 0 < counts[claimed] == max(counts.values())
        assert f"{region}: " + ", ".join(f"{g} {n}" for g, n in counts.items()) in result.computed
    assert result.value == leading
    assert result.verdict == ("differs", "partly agrees", "agrees")[leading]


def test_aqim_kidnappings_against_csv(dataset: Dataset) -> None:
    kidnappings = [
        r for r in rows("incidents_mali_2012_2014.csv") if r["event_type"] == "kidnapping"
    ]
    aqim = [r for r in kidnappings if names(r["actors"], "AQIM")]
    result = story.check("aqim_kidnappings")(dataset)
    assert result.value == len(aqim)
    assert result.computed.startswith(f"{len(aqim)} of {len(kidnappings)} kidnappings")
    # The claim is about ransom income, which no file holds: the count is context only.
    assert result.verdict == "as stated (not checkable here)"
    assert "ransom" in result.method
    assert "context" in result.computed


def test_red_berets_disappearance_against_csv(dataset: Dataset) -> None:
    found = [
        r
        for r in incidents_between("2012-01-01", "2012-12-31")
        if r["event_type"] == "violence_against_civilians"
        and "Red Beret" in r["actors"]
        and "disappear" in r["summary"].lower()
    ]
    assert [r["incident_id"] for r in found] == ["MLI-3016"]
    (row,) = found
    result = story.check("red_berets_disappearance")(dataset)
    assert result.value == float(row["date_start"].replace("-", ""))
    assert result.computed.startswith(f"{row['date_start']} at {row['place']}: 21 soldiers")
    in_april = row["date_start"].startswith("2012-04")
    counted = int(row["fatalities_low"]) <= 23 <= int(row["fatalities_high"])
    assert result.verdict == (
        "agrees" if in_april and counted else "partly agrees" if in_april or counted else "differs"
    )
    assert result.verdict == "differs"  # 2 May 2012 and 21 bodies, not April and 23
    assert "start in 2012-04" in result.method
    assert "holds 23" in result.method


def test_recapture_in_four_weeks_against_csv(dataset: Dataset) -> None:
    # Independent: the north from places.csv's recorded 2012 region, not the polygons.
    region = {r["name"]: r["mali_region_2012"] for r in rows("places.csv")}
    category = {r["name"]: r["category"] for r in rows("places.csv")}
    serval = _day(key_event("Operation Serval")["date"])
    first: dict[str, date] = {}
    candidates = [
        (r["place"], _day(r["date"]))
        for r in rows("bases.csv")
        if "French" in r["held_by"] and category.get(r["place"]) == "town"
    ] + [
        (r["place"], _day(r["date"]))
        for r in rows("key_events_reference.csv")
        if "French" in r["event"]
        and re.search(r"\b(retake|seize)\b", r["event"])
        and r["date_precision"] == "day"
        and r["lat"]
    ]
    for town, day in candidates:
        if region.get(town) in NORTH and 0 <= (day - serval).days <= 90:
            first[town] = min(day, first.get(town, day))
    days = (max(first.values()) - serval).days
    result = story.check("north_recaptured_in_four_weeks")(dataset)
    assert result.value == days
    assert set(story.recapture_dates(dataset)) == set(first)
    assert result.verdict == (
        "agrees" if days <= 31 else "partly agrees" if days <= 42 else "differs"
    )


def test_ifoghas_against_csv(dataset: Dataset) -> None:
    ifoghas = [r for r in rows("bases.csv") if r["base_id"] == "ifoghas"]
    taken = min(_day(r["date"]) for r in ifoghas if "French" in r["held_by"])
    result = story.check("ifoghas_late_february")(dataset)
    assert result.value == float(taken.strftime("%Y%m%d"))
    late = date(2013, 2, 15) <= taken <= date(2013, 2, 28)
    soon_after = 0 < (taken - date(2013, 2, 28)).days <= 14
    assert result.verdict == ("agrees" if late else "partly agrees" if soon_after else "differs")


def test_coup_amid_insurgency_against_csv(dataset: Dataset) -> None:
    coup = key_event("Military coup")["date"]
    lost = []
    by_base: dict[str, list[dict[str, str]]] = {}
    for r in rows("bases.csv"):
        by_base.setdefault(r["base_id"], []).append(r)
    for base_rows in by_base.values():
        ordered = sorted(base_rows, key=lambda r: r["date"])
        for before, after in pairwise(ordered):
            armed = any(g in after["held_by"] for g in story.ARMED_GROUPS)
            if before["held_by"] == "Malian army" and armed and after["date"] < coup:
                lost.append(after["place"])
    result = story.check("coup_amid_insurgency")(dataset)
    assert result.value == len(lost)
    for place in lost:
        assert place in result.computed
    assert result.verdict == ("agrees" if coup.startswith("2012-03") and lost else "partly agrees")


DATED_CHECKS = {
    "serval_start": [("Operation Serval", "2013-01-11")],
    "minusma_in_july": [("transfers authority to the UN mission MINUSMA", "2013-07")],
    "azawad_declared_april_2012": [("independence of Azawad", "2012-04")],
    "presidential_election": [
        ("Presidential election, first round", "2013-07"),
        ("Presidential election, second round", "2013-08"),
    ],
    "legislative_election": [
        ("Legislative elections, first round", "2013-11"),
        ("Legislative elections, second round", "2013-12"),
    ],
    "keita_took_office": [("sworn in as President", "2013-09")],
    "sanogo_arrest": [("Sanogo arrested", "2013-11-27")],
}


@pytest.mark.parametrize("check_id", list(DATED_CHECKS))
def test_dated_checks_against_key_events_csv(check_id: str, dataset: Dataset) -> None:
    expected = DATED_CHECKS[check_id]
    found = [(key_event(text)["date"], claimed) for text, claimed in expected]
    matches = [recorded[: len(claimed)] == claimed for recorded, claimed in found]
    result = story.check(check_id)(dataset)
    assert result.value == float(found[0][0].replace("-", ""))
    for recorded, _ in found:
        assert recorded in result.computed
    assert result.verdict == (
        "agrees" if all(matches) else "partly agrees" if any(matches) else "differs"
    )


def test_ouagadougou_late_june_against_csv(dataset: Dataset) -> None:
    signed = _day(key_event("Agreement of Ouagadougou")["date"])
    result = story.check("ouagadougou_late_june")(dataset)
    assert result.value == float(signed.strftime("%Y%m%d"))
    in_june = (signed.year, signed.month) == (2013, 6)
    expected = ("agrees" if signed.day >= 21 else "partly agrees") if in_june else "differs"
    assert result.verdict == expected


# --- layers/highlight.py --------------------------------------------------------------------------


def test_highlight_layer_rings_each_point(dataset: Dataset) -> None:
    points = story.highlight_points(story.chapter("myth-4"), dataset)
    layer = highlight_layer(points)
    assert isinstance(layer, folium.FeatureGroup)
    assert layer.layer_name == NAME == "Story highlights"
    markers = [c for c in layer._children.values() if isinstance(c, folium.CircleMarker)]
    assert len(markers) == len(points)
    for marker in markers:
        assert marker.options["radius"] == RADIUS
        assert marker.options["color"] == COLOUR
        assert marker.options["fill"] is False
    (lat_min, lon_min), (lat_max, lon_max) = layer.get_bounds()
    b = dataset.regions.total_bounds
    assert b[1] <= lat_min <= lat_max <= b[3]
    assert b[0] <= lon_min <= lon_max <= b[2]
    assert all(not url.startswith(("http://", "https://", "//")) for url in asset_urls(layer))


def test_highlight_layer_escapes_names() -> None:
    points = gpd.GeoDataFrame(
        {"name": ["<img src=x onerror=alert(1)>`${x}`\\"]},
        geometry=[Point(-3.0, 16.7)],
        crs=config.WGS84,
    )
    layer = highlight_layer(points)
    m = folium.Map()
    layer.add_to(m)
    page = m.get_root().render()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;&#96;&#36;{x}&#96;&#92;" in page
    assert '"permanent": true' in page


def test_highlight_layer_of_nothing_is_empty() -> None:
    empty = gpd.GeoDataFrame({"name": []}, geometry=[], crs=config.WGS84)
    layer = highlight_layer(empty)
    assert layer.layer_name == NAME
    assert not [c for c in layer._children.values() if isinstance(c, folium.CircleMarker)]
