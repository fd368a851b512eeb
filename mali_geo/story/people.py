"""Computed checks on people: where Malians live (2009 census) and the displaced of 2012–13.

Displacement figures are never added across ``location_level``s: a UNHCR ``country_total``
refugee figure is only added to a national IDP total, and the method says when the two dates
differ. Each check is registered under its claim's id in ``geodata/story/claims.toml``.
"""

from __future__ import annotations

from typing import TypedDict

import pandas as pd

from mali_geo.dataset import Dataset
from mali_geo.story.checks import computed, grade, result
from mali_geo.story.figures import (
    census,
    iso_day,
    population_north_and_rest,
    thousands,
    unique_urls,
)
from mali_geo.story.model import CheckResult, Claim

#: UNHCR rows cite the ``refugees`` R package; this is where people can see the data.
UNHCR_URL = "https://www.unhcr.org/refugee-statistics/"


class Option(TypedDict):
    """Refugees and IDPs put together at one level, with their dates."""

    refugees: int
    refugee_date: str
    idps: int
    idp_row: pd.Series
    total: int


@computed("population_outside_north")
def population_outside_north(dataset: Dataset, claim: Claim) -> CheckResult:
    """Share of Mali's 2009 population living outside Tombouctou, Gao and Kidal."""
    north, rest = population_north_and_rest(dataset)
    share = rest / (north + rest)
    # The briefing's 90% is a round figure: close to it counts as agreeing.
    gap = abs(share - claim.number("claimed_share"))
    return result(
        claim,
        computed=f"{share:.1%} ({thousands(rest)} of {thousands(north + rest)} people, "
        "2009 census)",
        verdict=grade(
            agrees=gap <= claim.number("agrees_gap"), partly=gap <= claim.number("partly_gap")
        ),
        sources=unique_urls(census(dataset)["source_url"]),
        value=round(share * 100, 2),
    )


@computed("displaced_2012_13")
def displaced_2012_13(dataset: Dataset, claim: Claim) -> CheckResult:
    """Refugees + IDPs of 2012–13 against the briefing's 560,000 displaced."""
    options = displaced_options(dataset)
    best = options["peaks"]["total"]
    ratio = best / claim.number("claimed_displaced")
    return result(
        claim,
        computed="; ".join(_option_short(key, o) for key, o in options.items())
        + f"; the largest is {ratio:.0%} of the claim",
        verdict=grade(
            agrees=ratio >= claim.number("agrees_ratio"),
            partly=ratio >= claim.number("partly_ratio"),
        ),
        sources=_displacement_urls(options),
        value=float(best),
        options=" ".join(
            _option_text(label, options[key]) for key, label in _OPTION_LABELS if key in options
        ),
    )


@computed("displaced_share_of_north")
def displaced_share_of_north(dataset: Dataset, claim: Claim) -> CheckResult:
    """Displaced people as a share of the north's 2009 population ("nearly half")."""
    north, _ = population_north_and_rest(dataset)
    options = displaced_options(dataset)
    best = options["peaks"]["total"]
    share = best / north
    claimed = claim.number("claimed_displaced")
    return result(
        claim,
        computed=f"{share:.0%} ({thousands(best)} / {thousands(north)}); the briefing's own "
        f"{thousands(claimed)} would be {claimed / north:.0%}",
        verdict=grade(
            agrees=share >= claim.number("agrees_share"),
            partly=share >= claim.number("partly_share"),
        ),
        sources=unique_urls(_displacement_urls(options), census(dataset)["source_url"]),
        value=round(share * 100, 2),
    )


@computed("returned_by_early_2014")
def returned_by_early_2014(dataset: Dataset, claim: Claim) -> CheckResult:
    """The share of the displaced who had returned by early 2014 ("one-quarter")."""
    returns = returns_by_early_2014(dataset)
    still = displaced_options(dataset)["end_2013"]["total"]
    unhcr = returns["unhcr_returned_idps"] + returns["unhcr_returned_refugees"]
    displaced, claimed = claim.number("claimed_displaced"), claim.number("claimed_share")
    shares = {
        "UNHCR returns 2012–13": unhcr / displaced,
        "IOM returnees, Feb 2014": returns["iom_returnees_feb_2014"] / displaced,
        "implied by the end-2013 stock": 1 - still / displaced,
    }
    close = all(abs(s - claimed) <= claim.number("agrees_gap") for s in shares.values())
    inside = min(shares.values()) <= claimed <= max(shares.values())
    return result(
        claim,
        computed="; ".join(f"{k}: {v:.0%}" for k, v in shares.items()),
        verdict=grade(agrees=close, partly=inside),
        sources=_returns_urls(dataset),
        value=round(shares["implied by the end-2013 stock"] * 100, 2),
        unhcr_idps=thousands(returns["unhcr_returned_idps"]),
        unhcr_refugees=thousands(returns["unhcr_returned_refugees"]),
        unhcr=thousands(unhcr),
        iom=thousands(returns["iom_returnees_feb_2014"]),
        still=thousands(still),
        inside="inside" if inside else "outside",
    )


@computed("still_displaced_share")
def still_displaced_share(dataset: Dataset, claim: Claim) -> CheckResult:
    """People still displaced at the end of 2013 as a share of the north's population."""
    north, _ = population_north_and_rest(dataset)
    still = displaced_options(dataset)["end_2013"]
    share = still["total"] / north
    gap = abs(share - claim.number("claimed_share"))
    return result(
        claim,
        computed=f"{share:.0%} ({thousands(still['refugees'])} refugees + "
        f"{thousands(still['idps'])} IDPs at end 2013 = {thousands(still['total'])}, "
        f"of {thousands(north)})",
        verdict=grade(
            agrees=gap <= claim.number("agrees_gap"), partly=gap <= claim.number("partly_gap")
        ),
        sources=unique_urls(_displacement_urls({"end_2013": still}), census(dataset)["source_url"]),
        value=round(share * 100, 2),
    )


# --- displacement figures (public: the tests compare them with their own sums) ----------------


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


def displaced_options(dataset: Dataset) -> dict[str, Option]:
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
    options: dict[str, Option] = {}
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


_OPTION_LABELS = (
    ("end_2012", "End 2012"),
    ("end_2013", "End 2013"),
    ("iom_2013", "IOM 2013"),
    ("peaks", "Peaks"),
)


def _country_totals(displacement: pd.DataFrame, population_type: str) -> pd.DataFrame:
    return displacement[
        (displacement["location_level"] == "country_total")
        & (displacement["population_type"] == population_type)
    ]


def _preferred(rows: pd.DataFrame) -> pd.Series:
    """Among national IDP figures of one date, UNHCR's (same source as the refugees) first."""
    unhcr = rows[rows["source"].str.startswith("UNHCR")]
    return (unhcr if len(unhcr) else rows).iloc[0]


def _option(refugees: int, idp_row: pd.Series, *, refugee_date: str) -> Option:
    return {
        "refugees": refugees,
        "refugee_date": refugee_date,
        "idps": int(idp_row["value"]),
        "idp_row": idp_row,
        "total": refugees + int(idp_row["value"]),
    }


def _option_short(key: str, option: Option) -> str:
    idp = option["idp_row"]
    where = {
        "end_2012": "end 2012, one date",
        "end_2013": "end 2013, one date",
        "iom_2013": f"end-2013 refugees + IOM IDPs of {idp['ref_date']:%b %Y}",
        "peaks": f"peaks: end-{option['refugee_date'][:4]} refugees + IDPs of "
        f"{idp['ref_date']:%b %Y}",
    }[key]
    return f"{thousands(option['total'])} ({where})"


def _option_text(label: str, option: Option) -> str:
    idp = option["idp_row"]
    same = pd.Timestamp(option["refugee_date"]) == idp["ref_date"]
    dates = "same date" if same else "different dates"
    source = idp["source"].split(" (")[0]
    return (
        f"{label}: {thousands(option['refugees'])} refugees ({option['refugee_date']}) + "
        f"{thousands(option['idps'])} IDPs ({iso_day(idp['ref_date'])}, {source}) "
        f"= {thousands(option['total'])} ({dates})."
    )


def _displacement_urls(options: dict[str, Option]) -> tuple[str, ...]:
    refs = [o["idp_row"]["source_ref"] for o in options.values()]
    sources = [o["idp_row"]["source"] for o in options.values()]
    return unique_urls([UNHCR_URL], [_ref_url(r, s) for r, s in zip(refs, sources, strict=True)])


def _returns_urls(dataset: Dataset) -> tuple[str, ...]:
    disp = dataset.displacement
    return unique_urls(
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
    latest: pd.DataFrame = rows[rows["ref_date"] == rows["ref_date"].max()]
    return latest


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
