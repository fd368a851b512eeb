"""Computed checks on people: where Malians live (2009 census) and the displaced of 2012–13.

Displacement figures are never added across ``location_level``s: a UNHCR ``country_total``
refugee figure is only added to a national IDP total, and the method says when the two dates
differ. The displaced total and the fall of the stock use same-date totals from the
Mali-situation file (a document's refugees plus its own IDPs), preferring UNHCR's own totals and
showing the verdict under OCHA's; figures of different dates are added only to show that they
are. Each check is registered under its claim's id in ``geodata/story/claims.toml``.
"""

from __future__ import annotations

from typing import TypedDict

import pandas as pd

from mali_geo.dataset import Dataset
from mali_geo.displacement import combined_totals, situation_figure
from mali_geo.story.checks import computed, grade, result
from mali_geo.story.figures import (
    census,
    iso_day,
    population_north_and_rest,
    thousands,
    unique_urls,
)
from mali_geo.story.model import CheckResult, Claim, Verdict

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
    """Refugees + IDPs of 2012–13 against the briefing's 560,000 displaced.

    The verdict uses UNHCR's own same-date totals; the text shows the verdict under OCHA's
    totals (CMP's June 2013 IDPs) and the sum of peaks of different dates.
    """
    peaks = same_date_peaks(dataset.situation)
    refugee_peak, idp_peak = different_date_peaks(dataset.situation)
    claimed = claim.number("claimed_displaced")

    def verdict(total: int) -> Verdict:
        return grade(
            agrees=total / claimed >= claim.number("agrees_ratio"),
            partly=total / claimed >= claim.number("partly_ratio"),
        )

    unhcr, other = peaks["unhcr"], peaks["other"]
    mixed = int(refugee_peak["people"]) + int(idp_peak["people"])
    return result(
        claim,
        computed=f"{_total_text(unhcr)} = {unhcr['total'] / claimed:.0%} of the claim "
        f"({verdict(unhcr['total'])}); with OCHA's totals, {_total_text(other)} = "
        f"{other['total'] / claimed:.0%} ({verdict(other['total'])}); only peaks of different "
        f"dates reach the claim: {thousands(refugee_peak['people'])} refugees "
        f"({iso_day(refugee_peak['as_of'])}) + {thousands(idp_peak['people'])} IDPs "
        f"({iso_day(idp_peak['as_of'])}) = {thousands(mixed)} ({mixed / claimed:.0%}), a stock "
        "at no date",
        verdict=verdict(unhcr["total"]),
        sources=unique_urls(
            _peak_urls(peaks), [refugee_peak["source_url"], idp_peak["source_url"]]
        ),
        value=float(unhcr["total"]),
    )


@computed("displaced_share_of_north")
def displaced_share_of_north(dataset: Dataset, claim: Claim) -> CheckResult:
    """Displaced people as a share of the north's 2009 population ("nearly half")."""
    north, _ = population_north_and_rest(dataset)
    peaks = same_date_peaks(dataset.situation)
    unhcr, other = peaks["unhcr"]["total"], peaks["other"]["total"]

    def verdict(total: int) -> Verdict:
        return grade(
            agrees=total / north >= claim.number("agrees_share"),
            partly=total / north >= claim.number("partly_share"),
        )

    claimed = claim.number("claimed_displaced")
    sources = unique_urls(_peak_urls(peaks), census(dataset)["source_url"])
    return result(
        claim,
        computed=f"{unhcr / north:.0%} ({thousands(unhcr)} / {thousands(north)}, UNHCR, "
        f"{iso_day(peaks['unhcr']['as_of'])}: {verdict(unhcr)}); with OCHA's total "
        f"{thousands(other)} ({iso_day(peaks['other']['as_of'])}) {other / north:.0%} "
        f"({verdict(other)}); the briefing's own {thousands(claimed)} would be "
        f"{claimed / north:.0%}",
        verdict=verdict(unhcr),
        sources=sources,
        value=round(unhcr / north * 100, 2),
    )


@computed("returned_by_early_2014")
def returned_by_early_2014(dataset: Dataset, claim: Claim) -> CheckResult:
    """The share of the displaced who had returned by early 2014 ("one-quarter").

    Measured as the fall of the stock (refugees + IDPs) from its same-date peak of 2013 to the
    end of 2013, both points same-date totals; return counts are shown as context only.
    """
    peaks = same_date_peaks(dataset.situation)
    ends = end_2013_stocks(dataset.situation)
    claimed = claim.number("claimed_share")
    falls = {
        (peak, end): 1 - ends[end]["total"] / peaks[peak]["total"]
        for peak in ("unhcr", "other")
        for end in ("cmp", "unhcr")
    }

    def verdict(share: float) -> Verdict:
        gap = abs(share - claimed)
        return grade(
            agrees=gap <= claim.number("agrees_gap"), partly=gap <= claim.number("partly_gap")
        )

    main = falls[("unhcr", "cmp")]
    others = "; ".join(
        f"{_PEAK_LABELS[p]} to {_END_LABELS[e]}: {share:.0%} ({verdict(share)})"
        for (p, e), share in falls.items()
        if (p, e) != ("unhcr", "cmp")
    )
    returns = returns_by_early_2014(dataset)
    end_urls = [ends["cmp"]["idp_url"], ends["unhcr"]["idp_url"], ends["unhcr"]["refugee_url"]]
    sources = unique_urls(_peak_urls(peaks), end_urls, _returns_urls(dataset))
    return result(
        claim,
        computed=f"{main:.0%}: {thousands(peaks['unhcr']['total'])} "
        f"({iso_day(peaks['unhcr']['as_of'])}) to {thousands(ends['cmp']['total'])} "
        f"({thousands(ends['cmp']['refugees'])} refugees + {thousands(ends['cmp']['idps'])} "
        f"IDPs, {iso_day(ends['cmp']['as_of'])}); {others}",
        verdict=verdict(main),
        sources=sources,
        value=round(main * 100, 2),
        unhcr=thousands(returns["unhcr_returned_idps"] + returns["unhcr_returned_refugees"]),
        iom=thousands(returns["iom_returnees_feb_2014"]),
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


# --- same-date totals (displacement_situation_2012_2014.csv) -----------------------------------

_PEAK_LABELS = {"unhcr": "from UNHCR's peak", "other": "from OCHA's peak"}
_END_LABELS = {"cmp": "CMP's end-2013 IDPs", "unhcr": "UNHCR's end-2013 IDPs"}


def same_date_peaks(situation: pd.DataFrame) -> dict[str, pd.Series]:
    """The largest same-date refugees + IDPs total of 2012–13, by publisher.

    Returns
    -------
    dict
        ``unhcr``: from UNHCR's own documents (situation updates, briefing notes, year-end
        statistics), the preferred source; ``other``: from every other document (OCHA).
        Each a row of :func:`mali_geo.displacement.combined_totals`.
    """
    totals = combined_totals(situation)
    totals = totals[totals["as_of"].dt.year.isin([2012, 2013])]
    own = totals["source_title"].str.startswith("UNHCR")
    return {
        "unhcr": totals.loc[totals.loc[own, "total"].idxmax()],
        "other": totals.loc[totals.loc[~own, "total"].idxmax()],
    }


def different_date_peaks(situation: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """UNHCR's highest refugee total and the highest day-dated IDP figure of 2012–13.

    Adding them mixes dates. IDMC's "peak" rows are left out: their dates conflict.
    """
    rows = situation
    rows = rows[(rows["as_of_precision"] == "day") & rows["as_of"].dt.year.isin([2012, 2013])]
    refugees = rows[
        (rows["population"] == "refugees")
        & (rows["host"] == "all")
        & rows["source_title"].str.startswith("UNHCR")
        & rows["counted_by"].str.startswith("UNHCR")
    ]
    idps = rows[(rows["population"] == "idps") & ~rows["counted_by"].str.contains("peak")]
    return refugees.loc[refugees["people"].idxmax()], idps.loc[idps["people"].idxmax()]


class EndStock(TypedDict):
    """Refugees + IDPs at the end of 2013, one date."""

    as_of: pd.Timestamp
    refugees: int
    idps: int
    total: int
    refugee_url: str
    idp_url: str


def end_2013_stocks(situation: pd.DataFrame) -> dict[str, EndStock]:
    """UNHCR's refugees at 31 December 2013 plus each counter's IDPs of that day.

    ``cmp``: the CMP's figure (as IDMC relays it), the counter whose IDPs UNHCR's own
    situation totals use; ``unhcr``: UNHCR's year-end statistic.
    """
    rows = situation
    day = "2013-12-31"
    refugees = situation_figure(rows, "refugees", day, counted_by="UNHCR")
    stocks: dict[str, EndStock] = {}
    for key, counter in (("cmp", "CMP"), ("unhcr", "UNHCR")):
        idps = situation_figure(rows, "idps", day, counted_by=counter)
        stocks[key] = {
            "as_of": pd.Timestamp(day),
            "refugees": int(refugees["people"]),
            "idps": int(idps["people"]),
            "total": int(refugees["people"]) + int(idps["people"]),
            "refugee_url": str(refugees["source_url"]),
            "idp_url": str(idps["source_url"]),
        }
    return stocks


def _peak_urls(peaks: dict[str, pd.Series]) -> list[object]:
    """The source pages of UNHCR's and OCHA's same-date peaks."""
    return [peaks["unhcr"]["source_url"], peaks["other"]["source_url"]]


def _total_text(total: pd.Series) -> str:
    refugees_day, idps_day = iso_day(total["refugees_as_of"]), iso_day(total["idps_as_of"])
    title = str(total["source_title"])
    return (
        f"{thousands(total['total'])} ({thousands(total['refugees'])} refugees {refugees_day} + "
        f"{thousands(total['idps'])} IDPs {idps_day}, {title})"
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
