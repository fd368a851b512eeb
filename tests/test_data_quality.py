"""Quality gates on the shipped data: places, quotes, toll links and bases.

Each test reads the files in ``geodata/`` through the loaders and fails with the offending rows,
so a bad row added later is named by its id.
"""

from __future__ import annotations

import re
import unicodedata

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod

from mali_geo.load import load_bases, load_incidents, load_key_events, load_places

#: How far (km) a precision-1 point may lie from the gazetteer point of its named place.
MAX_KM = 25.0
#: Spellings the sources use for places of the gazetteer (folded, without accents).
ALIASES: dict[str, str] = {
    "diabaly": "diabali",
    "aguelhoc": "aguelhok",
    "aguel'hoc": "aguelhok",
    "aguel'hok": "aguelhok",
    "infara": "in farah",
    "niafounke": "niafunke",
    "tinzaouaten": "tin zaouatene",
    "tinzawatene": "tin zaouatene",
}


def _words(text: str) -> list[str]:
    return text.split()


_MONTHS = _words(
    "january february march april may june july august september october november december "
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre dicembre "
    "enero febrero abril mayo junio julio septiembre octubre noviembre diciembre "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
# Weekdays and "yesterday"-like words are dates relative to the cited article's date.
_RELATIVE = [
    *_words(
        "monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi "
        "vendredi samedi dimanche today yesterday tonight hier aujourd'hui"
    ),
    "last week",
    "last month",
    "la semaine derniere",
    "le mois dernier",
    "la veille",
]
DATE_TOKEN = re.compile(
    r"\b(?:201[1-5]|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|"
    + "|".join(re.escape(w) for w in [*_MONTHS, *_RELATIVE])
    + r")\b"
)
_GEOD = Geod(ellps="WGS84")


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain, aliases resolved."""
    plain = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    out = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    for variant, name in ALIASES.items():
        out = out.replace(variant, name)
    return out


def named_place(place: str) -> str:
    """The place a row names first: ``'Kidal (about 15 km from town)'`` -> ``'Kidal'``."""
    return re.split(r"\s*[(,]", place, maxsplit=1)[0].strip()


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in km on the WGS84 ellipsoid."""
    return float(_GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return load_incidents()


@pytest.fixture(scope="module")
def gazetteer() -> pd.DataFrame:
    places = load_places()
    located = places[places["lat"].notna()]
    return located.assign(key=located["name"].map(fold)).set_index("key")


# --- places -------------------------------------------------------------------------------------


def test_every_incident_has_a_location_precision(incidents: gpd.GeoDataFrame) -> None:
    missing = incidents.loc[incidents["location_precision"].isna(), "incident_id"]
    assert missing.tolist() == []
    assert set(incidents["location_precision"]) <= {1, 2, 3}


def test_located_incidents_lie_near_their_named_place_or_are_flagged(
    incidents: gpd.GeoDataFrame, gazetteer: pd.DataFrame
) -> None:
    far = []
    for row in incidents[incidents["lat"].notna()].itertuples():
        key = fold(named_place(row.place))
        if key not in gazetteer.index or row.location_precision >= 2:
            continue
        ref = gazetteer.loc[key]
        dist = km(row.lat, row.lon, ref["lat"], ref["lon"])
        if dist > MAX_KM:
            far.append(f"{row.incident_id} {row.place}: {dist:.0f} km")
    assert far == []


def test_points_borrowed_from_another_place_are_flagged(
    incidents: gpd.GeoDataFrame, gazetteer: pd.DataFrame
) -> None:
    # A gazetteer point used for a place the gazetteer does not hold ("Village south of Boni",
    # "Douentza-Hombori road") is only near the event: precision 2 or 3.
    borrowed = incidents[
        incidents["coord_source"].fillna("").str.contains("places.csv", regex=False)
        & ~incidents["place"].map(lambda p: fold(named_place(p)) in gazetteer.index)
    ]
    exact = borrowed.loc[borrowed["location_precision"] < 2, ["incident_id", "place"]]
    assert exact.to_numpy().tolist() == []
    assert len(borrowed) > 0


def test_a_place_has_one_point(incidents: gpd.GeoDataFrame) -> None:
    exact = incidents[incidents["lat"].notna() & incidents["location_precision"].eq(1)]
    points = exact.assign(key=exact["place"].map(lambda p: fold(named_place(p))))
    counts = points.groupby("key")[["lat", "lon"]].nunique()
    assert counts[(counts["lat"] > 1) | (counts["lon"] > 1)].index.tolist() == []


def test_ifoghas_incidents_are_in_the_tigharghar_not_the_massif_centre(
    incidents: gpd.GeoDataFrame,
) -> None:
    ifoghas = incidents[incidents["place"].str.startswith("Adrar des Ifoghas")]
    assert len(ifoghas) == 8
    # The Ametettai valley fighting was at about 19.5-19.9 N, 1.2 E.
    assert ifoghas["lat"].between(19.5, 19.9).all()
    assert ifoghas["lon"].between(1.1, 1.3).all()


def test_key_events_lie_near_their_named_place(gazetteer: pd.DataFrame) -> None:
    events = load_key_events()
    far = []
    for row in events[events["lat"].notna()].itertuples():
        key = fold(named_place(row.place))
        if key in gazetteer.index:
            ref = gazetteer.loc[key]
            dist = km(row.lat, row.lon, ref["lat"], ref["lon"])
            if dist > MAX_KM:
                far.append(f"{row.date:%Y-%m-%d} {row.place}: {dist:.0f} km")
    assert far == []


# --- quotes -------------------------------------------------------------------------------------


def test_every_quote_carries_a_date_or_a_place(
    incidents: gpd.GeoDataFrame, gazetteer: pd.DataFrame
) -> None:
    names = [fold(n) for n in gazetteer["name"]]
    bare = []
    for row in incidents.itertuples():
        quote = fold(str(row.quote))
        own = [fold(w) for w in re.findall(r"[A-ZÀ-Ý][\w'\u2019-]{3,}", row.place)]
        if DATE_TOKEN.search(quote):
            continue
        if any(name in quote for name in [*names, *own, fold(row.admin1)]):
            continue
        bare.append(f"{row.incident_id}: {row.quote[:60]}")
    assert bare == []


def test_quotes_are_not_cut_mid_word(incidents: gpd.GeoDataFrame) -> None:
    # A quote ending in a two-letter stub ("9 pe") was cut off by the page excerpt.
    stub = incidents[incidents["quote"].str.contains(r"\s[a-z]{1,2}$", regex=True)]
    allowed = {"de", "la", "le", "of", "in", "to", "at", "on", "by", "a"}
    cut = [q for q in stub["quote"] if q.rsplit(" ", 1)[-1] not in allowed]
    assert cut == []


def test_quotes_and_summaries_stay_short(incidents: gpd.GeoDataFrame) -> None:
    # Quotes are short verbatim extracts and summaries one sentence (provenance rule: 200 chars).
    too_long = incidents[
        incidents["quote"].str.len().gt(200) | incidents["summary"].str.len().gt(200)
    ]
    assert too_long["incident_id"].tolist() == []


# --- toll links ---------------------------------------------------------------------------------


def test_toll_links_name_an_existing_incident_and_form_no_cycle(
    incidents: gpd.GeoDataFrame,
) -> None:
    links = incidents.set_index("incident_id")["toll_included_in"].dropna().to_dict()
    assert set(links.values()) <= set(incidents["incident_id"])
    for start in links:
        chain = [start]
        while chain[-1] in links:
            nxt = links[chain[-1]]
            assert nxt not in chain, " -> ".join([*chain, nxt])
            chain.append(nxt)


def test_a_contained_toll_fits_in_its_container(incidents: gpd.GeoDataFrame) -> None:
    by_id = incidents.set_index("incident_id")
    linked = by_id[by_id["toll_included_in"].notna()]
    assert {"MLI-0043", "MLI-2002", "MLI-0117"} <= set(linked.index)
    for iid, row in linked.iterrows():
        container = by_id.loc[row["toll_included_in"]]
        assert pd.notna(container["fatalities_high"]), iid
        if pd.notna(row["fatalities_high"]):
            assert row["fatalities_high"] <= container["fatalities_high"], iid


# --- bases --------------------------------------------------------------------------------------

#: Changes of hands a key event implies: (key event date, words in its text, base, date the base
#: must show the new holder by, words the holder must contain).
IMPLIED: list[tuple[str, str, str, str, str]] = [
    ("2012-01-25", "Aguelhok garrison overrun", "aguelhok", "2012-01-25", "MNLA"),
    ("2012-03-30", "Rebels seize Kidal", "kidal", "2012-03-30", "MNLA"),
    ("2012-03-31", "abandons Gao", "gao", "2012-03-31", "MNLA"),
    ("2012-06-26", "Battle of Gao", "gao", "2012-06-28", "MUJAO"),
    ("2013-01-14", "Islamists seize Diabaly", "diabali", "2013-01-14", "Islamist"),
    ("2013-01-26", "retake Gao", "gao", "2013-01-26", "French"),
    ("2013-01-29", "Kidal airport", "kidal", "2013-01-30", "French"),
    ("2013-02-18", "Tigharghâr", "ifoghas", "2013-02-18", "contested"),
    ("2013-07-01", "MINUSMA", "kidal", "2013-07-01", "MINUSMA"),
    ("2013-07-01", "MINUSMA", "tessalit", "2013-07-01", "MINUSMA"),
    ("2013-07-01", "MINUSMA", "aguelhok", "2013-07-01", "MINUSMA"),
    ("2014-05-21", "retake Kidal fails", "kidal", "2014-05-21", "MNLA"),
]


@pytest.mark.parametrize(
    ("event_date", "words", "base_id", "by", "holder"),
    IMPLIED,
    ids=[f"{c[0]}-{c[2]}" for c in IMPLIED],
)
def test_changes_of_hands_implied_by_key_events_are_in_bases(
    event_date: str, words: str, base_id: str, by: str, holder: str
) -> None:
    events = load_key_events()
    event = events[events["date"].eq(pd.Timestamp(event_date))]
    assert event["event"].str.contains(words, regex=False).any(), (event_date, words)
    bases = load_bases()
    rows = bases[(bases["base_id"] == base_id) & (bases["date"] <= pd.Timestamp(by))]
    assert not rows.empty, base_id
    assert holder in rows.iloc[-1]["held_by"], (base_id, rows.iloc[-1]["held_by"])


def test_every_base_row_is_cited_with_a_quote() -> None:
    bases = load_bases()
    assert bases["source_url"].str.match(r"https?://").all()
    assert bases["source_quote"].fillna("").str.len().gt(20).all()
