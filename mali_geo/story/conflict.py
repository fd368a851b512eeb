"""Computed checks on the fighting: incidents, bases and key events.

Each function is registered under its claim's id in ``geodata/story/claims.toml``, which holds
the claim's words, the briefing's figure, the thresholds of the verdict and the method text.
"""

from __future__ import annotations

import pandas as pd

from mali_geo import config
from mali_geo.dataset import Dataset
from mali_geo.incidents import counted_tolls, incidents_in_period
from mali_geo.period import make_period
from mali_geo.story.checks import computed, grade, missing, result
from mali_geo.story.figures import (
    ATTACK_TYPES,
    TOWNS_HIT_2013,
    base_rows,
    bases_lost,
    by_date,
    census,
    event_date,
    incidents_in_year,
    iso_day,
    january_2013_front,
    key_event,
    mnla_maa_clashes,
    occupier_counts,
    place_urls,
    population_north_and_rest,
    recapture_dates,
    recapture_rows,
    town_incidents_2013,
    type_label,
    unique_urls,
    word,
    yyyymmdd,
)
from mali_geo.story.model import CheckResult, Claim, Verdict

# --- context --------------------------------------------------------------------------------


@computed("north_recaptured_in_four_weeks")
def north_recaptured_in_four_weeks(dataset: Dataset, claim: Claim) -> CheckResult:
    """Days from the start of Serval to the last recapture of a northern town in the data.

    Recaptures are the first French-held date of each base at a northern town (bases.csv) and
    the key events in which French forces retake or seize a northern town.
    """
    start = key_event(dataset, "Operation Serval")
    dates = recapture_dates(dataset)
    if start is None or not dates:
        return missing(claim)
    last_town, last = max(dates.items(), key=by_date)
    days = (last - start["date"]).days
    listing = ", ".join(f"{town} {d:%d %b}" for town, d in sorted(dates.items(), key=by_date))
    return result(
        claim,
        computed=f"{days} days: {listing} 2013 (last: {last_town})",
        verdict=grade(
            agrees=days <= claim.number("agrees_days"), partly=days <= claim.number("partly_days")
        ),
        sources=unique_urls([start["source_url"]], recapture_rows(dataset)["source_url"]),
        value=float(days),
    )


@computed("ifoghas_late_february")
def ifoghas_late_february(dataset: Dataset, claim: Claim) -> CheckResult:
    """The AQIM sanctuary in the Ifoghas was taken in late February 2013, Abou Zeïd killed."""
    rows = dataset.bases[dataset.bases["place"] == "Adrar des Ifoghas"]
    taken = rows[rows["held_by"].str.contains("French")]
    assault = rows[rows["held_by"] == "contested"]
    killed = key_event(dataset, "Abou Zeïd")
    if taken.empty or assault.empty or killed is None:
        return missing(claim)
    day = taken["date"].min()
    late_from, late_until = (
        pd.Timestamp(claim.text("late_from")),
        pd.Timestamp(claim.text("late_until")),
    )
    after = (day - late_until).days
    return result(
        claim,
        computed=(
            f"assault began {iso_day(assault['date'].min())}; held by "
            f"{taken.sort_values('date').iloc[0]['held_by']} from {iso_day(day)}; "
            f"Abou Zeïd killed {event_date(killed)} (month only)"
        ),
        verdict=grade(
            agrees=late_from <= day <= late_until,
            partly=0 < after <= claim.number("partly_days_after"),
        ),
        sources=unique_urls(rows["source_url"], [killed["source_url"]]),
        value=yyyymmdd(day),
    )


# --- myths 1, 3, 4 and 5 ---------------------------------------------------------------------


@computed("incidents_2012_north_vs_rest")
def incidents_2012_north_vs_rest(dataset: Dataset, claim: Claim) -> CheckResult:
    """Recorded incidents of 2012 per million people: the three northern regions or the rest.

    The incidents are a media sample, not a count of disorder, so their share says little on
    its own; the verdict compares rates per head of the 2009 census, north against the rest.
    """
    year = incidents_in_year(dataset, 2012)
    in_north = year["admin1"].isin(config.NORTHERN_REGIONS).to_numpy(dtype=bool)
    share = float(in_north.mean()) if len(year) else float("nan")
    pop_north, pop_rest = population_north_and_rest(dataset)
    rate_north = in_north.sum() / pop_north * 1e6
    rate_rest = (~in_north).sum() / pop_rest * 1e6
    ratio = rate_north / rate_rest if rate_rest else float("inf")
    rest_types = year.loc[~in_north, "event_type"].value_counts()
    return result(
        claim,
        computed=(
            f"{in_north.sum()} of {len(year)} incidents in 2012 ({share:.0%}) in the north; "
            f"{rate_north:.1f} vs {rate_rest:.1f} per million people ({ratio:.1f} times); "
            "outside the north: "
            + ", ".join(f"{type_label(str(t))} {n}" for t, n in rest_types.items())
        ),
        verdict=grade(
            agrees=ratio >= claim.number("agrees_rate_ratio"),
            partly=ratio >= claim.number("partly_rate_ratio"),
        ),
        sources=unique_urls(year["source_url"], census(dataset)["source_url"]),
        value=round(float(ratio), 2),
        incidents=dataset.incidents_label,
    )


@computed("occupiers_by_region")
def occupiers_by_region(dataset: Dataset, claim: Claim) -> CheckResult:
    """Which armed groups the incidents of the occupation name in Tombouctou and Gao regions."""
    counts = occupier_counts(dataset)
    claimed = {"Tombouctou": "AQIM", "Gao": "MUJAO"}
    # Most often named, ties included: the names are a weak signal, so a tie is not held
    # against the claim.
    leading = {r: 0 < counts[r][group] == counts[r].max() for r, group in claimed.items()}
    hits = sum(leading.values())
    shown = "; ".join(
        f"{region}: " + ", ".join(f"{g} {n}" for g, n in counts[region].items())
        for region in claimed
    )
    rows = incidents_in_period(dataset.incidents, make_period("2012-04", "2013-01"))
    return result(
        claim,
        computed=f"incidents naming each group, Apr 2012–Jan 2013: {shown}",
        verdict=(Verdict.DIFFERS, Verdict.PARTLY_AGREES, Verdict.AGREES)[hits],
        sources=unique_urls(rows[rows["admin1"].isin(list(claimed))]["source_url"]),
        value=float(hits),
        incidents=dataset.incidents_label,
    )


@computed("january_2013_distances")
def january_2013_distances(dataset: Dataset, claim: Claim) -> CheckResult:
    """How far the January 2013 offensive was from the Sévaré base and Bamako.

    Diabaly is both a place the Islamists took and the site of the Diabali base, so its
    distance to the base is zero by construction and tests nothing: the verdict rests on the
    eastern prong (Konna and Sévaré) and the Diabaly leg is reported as stated.
    """
    front = january_2013_front(dataset)
    events = front[front["kind"] == "key event"]
    konna = events[events["place"] == "Konna"]
    diabaly = events[events["place"] == "Diabaly"]
    if konna.empty or diabaly.empty:
        return missing(claim)
    k, d = konna.iloc[0], diabaly.iloc[0]
    battles = front[(front["kind"] == "incident") & (front["event_type"] == "battle")]
    east = battles[battles["km_sevare"] < battles["km_diabali"]]
    near_base = k["km_sevare"] <= claim.number("near_base_km")
    ratio = k["km_bamako"] / k["km_sevare"] if k["km_sevare"] > 0 else float("inf")
    far_from_capital = ratio >= claim.number("capital_distance_ratio")
    nearest = (
        f"; {_battles(len(east))} of January 2013 nearer Sévaré than Diabali "
        f"{'was' if len(east) == 1 else 'were at most'} "
        f"{east['km_sevare'].max():.0f} km from Sévaré"
        if len(east)
        else ""
    )
    return result(
        claim,
        computed=(
            f"Konna (taken {iso_day(k['date'])}) is {k['km_sevare']:.0f} km from Sévaré and "
            f"{k['km_bamako']:.0f} km from Bamako ({ratio:.1f} times as far){nearest}; "
            f"Diabaly (taken {iso_day(d['date'])}, {d['km_bamako']:.0f} km from Bamako) is the "
            "Diabali base's own town: as stated, not checkable by distance"
        ),
        # Distances can fit the claim but never prove an intention: "agrees" is not on offer.
        verdict=grade(agrees=False, partly=bool(near_base and far_from_capital)),
        sources=unique_urls(
            events["source_url"],
            east["source_url"],
            base_rows(dataset, ("Sévaré", "Diabali"))["source_url"],
            place_urls(dataset, ("Sévaré", "Diabali", "Bamako")),
        ),
        value=float(k["km_sevare"]),
    )


@computed("aqim_kidnappings")
def aqim_kidnappings(dataset: Dataset, claim: Claim) -> CheckResult:
    """AQIM's role in kidnapping for ransom: ransoms are not recorded, kidnappings are context."""
    kidnappings = dataset.incidents[dataset.incidents["event_type"] == "kidnapping"]
    actors = kidnappings["actors"].fillna("")
    aqim = actors.str.contains(word("AQIM"), regex=True)
    mujao = actors.str.contains(word("MUJAO"), regex=True)
    return result(
        claim,
        computed=(
            f"{int(aqim.sum())} of {len(kidnappings)} kidnappings in 2012–2014 name AQIM "
            f"({int(mujao.sum())} name its splinter MUJAO); no ransom is recorded, so this is "
            "context, not a check"
        ),
        # The claim is about ransom income, which no file here holds: the count cannot judge it.
        verdict=Verdict.AS_STATED,
        sources=unique_urls(kidnappings.loc[aqim.to_numpy(dtype=bool), "source_url"]),
        value=float(aqim.sum()),
        incidents=dataset.incidents_label,
    )


# --- drivers and triggers -------------------------------------------------------------------


@computed("coup_amid_insurgency")
def coup_amid_insurgency(dataset: Dataset, claim: Claim) -> CheckResult:
    """The March 2012 coup came after the army had already lost northern bases."""
    coup = key_event(dataset, "Military coup")
    if coup is None:
        return missing(claim)
    lost = bases_lost(dataset)
    before = lost[lost["date"] < coup["date"]]
    north_before = incidents_in_period(dataset.incidents, make_period("2012-01", "2012-03"))
    north_before = north_before[
        north_before["admin1"].isin(config.NORTHERN_REGIONS)
        & (north_before["date_start"] < coup["date"])
    ]
    in_month = f"{coup['date']:%Y-%m}" == claim.text("month")
    listing = ", ".join(f"{r.place} {iso_day(r.date)}" for r in before.itertuples())
    return result(
        claim,
        computed=(
            f"coup {iso_day(coup['date'])}; bases already lost: {listing or 'none'}; "
            f"{len(north_before)} incidents in the north before it"
        ),
        verdict=grade(agrees=in_month and len(before) > 0, partly=in_month),
        sources=unique_urls([coup["source_url"]], before["source_url"], north_before["source_url"]),
        value=float(len(before)),
        incidents=dataset.incidents_label,
    )


# --- Mali in 2014 ---------------------------------------------------------------------------


@computed("towns_hit_in_2013")
def towns_hit_in_2013(dataset: Dataset, claim: Claim) -> CheckResult:
    """Attacks recorded in 2013 in Gao, Kidal, Ménaka, Tessalit and Timbuktu towns."""
    towns = town_incidents_2013(dataset)
    hit = int((towns["attacks"] > 0).sum())
    shown = "; ".join(
        f"{t.town} {t.incidents} ({t.attacks} attack(s): "
        + ", ".join(f"{type_label(a)} {getattr(t, a)}" for a in ATTACK_TYPES if getattr(t, a))
        + ")"
        for t in towns.itertuples()
    )
    year = incidents_in_year(dataset, 2013)
    return result(
        claim,
        computed=f"{hit} of {len(towns)} towns with attacks in 2013. Incidents: {shown}",
        verdict=grade(agrees=hit == len(towns), partly=hit > 0),
        sources=unique_urls(year[year["place"].isin(TOWNS_HIT_2013)]["source_url"]),
        value=float(hit),
        incidents=dataset.incidents_label,
    )


@computed("suicide_attacks_2013")
def suicide_attacks_2013(dataset: Dataset, claim: Claim) -> CheckResult:
    """Suicide attacks recorded in 2013, by place and month, against "sporadic"."""
    year = incidents_in_year(dataset, 2013)
    suicide = year[year["event_type"] == "suicide_attack"]
    by_place = suicide["place"].value_counts()
    by_month = suicide["date_start"].dt.strftime("%b").value_counts()
    per_month = len(suicide) / 12
    quiet = 12 - suicide["date_start"].dt.month.nunique()
    rare = per_month <= claim.number("max_per_month")
    gaps = quiet >= claim.number("min_quiet_months")
    return result(
        claim,
        computed=f"{len(suicide)} suicide attacks in 2013: "
        + ", ".join(f"{p} {n}" for p, n in by_place.items())
        + f"; {per_month:.1f} a month on average, none in {quiet} of 12 months, most in one "
        + (f"month: {by_month.max()} ({by_month.idxmax()})" if len(by_month) else "month: 0"),
        verdict=grade(agrees=len(suicide) > 0 and rare and gaps, partly=len(suicide) > 0),
        sources=unique_urls(suicide["source_url"]),
        value=float(len(suicide)),
        incidents=dataset.incidents_label,
    )


@computed("mnla_maa_clashes_2013")
def mnla_maa_clashes_2013(dataset: Dataset, claim: Claim) -> CheckResult:
    """Clashes between the MNLA and the MAA in 2013."""
    clashes = mnla_maa_clashes(dataset, 2013)
    months = clashes["date_start"].dt.strftime("%b").tolist()
    n_months = clashes["date_start"].dt.month.nunique()
    return result(
        claim,
        computed=f"{len(clashes)} clashes in {n_months} months ("
        + ", ".join(f"{p} {m}" for p, m in zip(clashes["place"], months, strict=True))
        + ")",
        verdict=grade(
            agrees=n_months >= claim.number("agrees_months"),
            partly=n_months >= claim.number("partly_months"),
        ),
        sources=unique_urls(clashes["source_url"]),
        value=float(len(clashes)),
    )


@computed("kidal_redeployment_july")
def kidal_redeployment_july(dataset: Dataset, claim: Claim) -> CheckResult:
    """The Malian army came back to Kidal in July 2013: its first 2013 incident there."""
    year = incidents_in_year(dataset, 2013)
    army = year[(year["place"] == "Kidal") & year["actors"].fillna("").str.contains("Malian army")]
    if army.empty:
        return missing(claim)
    first = army.sort_values("date_start", kind="stable").iloc[0]
    label = "first 2013 incident at Kidal naming the Malian army"
    return _incident_month(claim, first, label, "event_type", incidents=dataset.incidents_label)


@computed("kidal_buildings_november")
def kidal_buildings_november(dataset: Dataset, claim: Claim) -> CheckResult:
    """The MNLA left Kidal's administrative buildings in November 2013."""
    year = incidents_in_year(dataset, 2013)
    moves = year[
        (year["place"] == "Kidal")
        & (year["event_type"] == "strategic_development")
        & year["actors"].fillna("").str.contains(word("MNLA"), regex=True)
    ]
    if moves.empty:
        return missing(claim)
    last = moves.sort_values("date_start", kind="stable").iloc[-1]
    return _incident_month(claim, last, "last 2013 handover at Kidal involving the MNLA", "summary")


# --- political challenges -------------------------------------------------------------------


@computed("ouagadougou_late_june")
def ouagadougou_late_june(dataset: Dataset, claim: Claim) -> CheckResult:
    """The provisional (Ouagadougou) agreement was signed in late June 2013."""
    event = key_event(dataset, "Agreement of Ouagadougou")
    if event is None:
        return missing(claim)
    day = event["date"]
    in_month = f"{day:%Y-%m}" == claim.text("month")
    return result(
        claim,
        computed=f"{iso_day(day)} ({event['event']})",
        verdict=grade(
            agrees=in_month and day.day >= claim.number("late_from_day"), partly=in_month
        ),
        sources=unique_urls([event["source_url"]]),
        value=yyyymmdd(day),
    )


@computed("red_berets_disappearance")
def red_berets_disappearance(dataset: Dataset, claim: Claim) -> CheckResult:
    """The Red Beret soldiers who disappeared in 2012: when, and how many the data record."""
    year = incidents_in_year(dataset, 2012)
    rows = year[
        (year["event_type"] == "violence_against_civilians")
        & year["actors"].fillna("").str.contains("Red Beret", regex=False)
        & year["summary"].fillna("").str.contains("disappear", case=False, regex=False)
    ]
    if rows.empty:
        return missing(claim)
    first = rows.sort_values("date_start", kind="stable").iloc[0]
    counted_low, counted_high = counted_tolls(rows)  # a contained toll counts once
    low = float(counted_low.sum())
    # An unknown high end is no upper bound: unknown is never counted as zero.
    unknown = bool(counted_high.isna().any())
    high = float("inf") if unknown else float(counted_high.sum())
    count = (
        f"at least {low:.0f}"
        if unknown
        else f"{low:.0f}"
        if low == high
        else f"{low:.0f}–{high:.0f}"
    )
    in_month = f"{first['date_start']:%Y-%m}" == claim.text("month")
    slack = claim.number("count_tolerance")
    counted = low - slack <= claim.number("claimed_count") <= high + slack
    return result(
        claim,
        computed=f"{iso_day(first['date_start'])} at {first['place']}: {count} soldiers "
        f"({', '.join(rows['incident_id'])}: {first['summary']})",
        verdict=grade(agrees=in_month and counted, partly=in_month or counted),
        sources=unique_urls(rows["source_url"]),
        value=yyyymmdd(first["date_start"]),
        incidents=dataset.incidents_label,
    )


def _battles(count: int) -> str:
    return "the one recorded battle" if count == 1 else f"the {count} recorded battles"


def _incident_month(
    claim: Claim, incident: pd.Series, label: str, detail: str, **method_values: object
) -> CheckResult:
    """Whether one incident's day falls in the claimed month; ``detail`` names its column."""
    day = incident["date_start"]
    return result(
        claim,
        computed=f"{label}: {iso_day(day)} ({incident['incident_id']}: {incident[detail]})",
        verdict=_same_month(day, claim),
        sources=unique_urls([incident["source_url"]]),
        value=yyyymmdd(day),
        **method_values,
    )


def _same_month(day: pd.Timestamp, claim: Claim) -> Verdict:
    """Agrees when the date falls in the claim's ``month`` threshold (``YYYY-MM``)."""
    return Verdict.AGREES if f"{day:%Y-%m}" == claim.text("month") else Verdict.DIFFERS
