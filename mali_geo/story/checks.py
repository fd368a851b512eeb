"""The registry of computed checks, and the checks that need no code of their own.

A computed check is a function ``(dataset, claim) -> CheckResult`` registered under its claim's
id with :func:`computed`; its claim (text, thresholds, method template) comes from
``geodata/story/claims.toml``. Claims of the other kinds are checked from their data alone:
``dated`` claims against key events, ``no_data`` and ``as_stated`` claims by saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from mali_geo.dataset import Dataset
from mali_geo.story.figures import event_date, key_event, unique_urls, yyyymmdd
from mali_geo.story.model import (
    NO_DATA,
    Check,
    CheckResult,
    Claim,
    ClaimKind,
    ComputeFn,
    StoryContentError,
    Verdict,
)

#: Computed checks by claim id, filled by :func:`computed`.
REGISTRY: dict[str, ComputeFn] = {}


def computed(check_id: str) -> Callable[[ComputeFn], ComputeFn]:
    """Register a function as the computed check of the claim ``check_id``.

    Raises
    ------
    ValueError
        If another function is already registered under this id.
    """

    def register(fn: ComputeFn) -> ComputeFn:
        if check_id in REGISTRY and REGISTRY[check_id] is not fn:
            msg = f"two functions registered for the check {check_id!r}"
            raise ValueError(msg)
        REGISTRY[check_id] = fn
        return fn

    return register


def bind(claim: Claim) -> Check:
    """The claim with the function that checks it.

    Raises
    ------
    StoryContentError
        If a ``computed`` claim has no registered function.
    """
    if claim.kind is ClaimKind.COMPUTED:
        if claim.id not in REGISTRY:
            known = ", ".join(sorted(REGISTRY))
            msg = (
                f"{claim.source_file}: claim {claim.id!r} is 'computed' but no check is "
                f"registered under that id; registered: {known}"
            )
            raise StoryContentError(msg)
        return Check(claim, REGISTRY[claim.id])
    kinds: dict[ClaimKind, ComputeFn] = {
        ClaimKind.DATED: dated_check,
        ClaimKind.NO_DATA: no_data_check,
        ClaimKind.AS_STATED: as_stated_check,
    }
    return Check(claim, kinds[claim.kind])


def result(
    claim: Claim,
    *,
    computed: str,
    verdict: Verdict,
    sources: Iterable[str],
    value: float,
    **method_values: object,
) -> CheckResult:
    """A computed result: the claim's text, the method filled with thresholds and values."""
    method = claim.method_text(**method_values)
    return _result(claim, verdict, method, tuple(sources), computed=computed, value=value)


def grade(*, agrees: bool, partly: bool) -> Verdict:
    """The verdict of a two-step threshold: agrees, else partly agrees, else differs."""
    return Verdict.AGREES if agrees else Verdict.PARTLY_AGREES if partly else Verdict.DIFFERS


def missing(claim: Claim) -> CheckResult:
    """The result when the rows a computed check needs are not in the data."""
    return _result(claim, Verdict.NO_DATA, NO_DATA, ())


def no_data_check(dataset: Dataset, claim: Claim) -> CheckResult:
    """A claim no file here can check: the method says why."""
    return _result(claim, Verdict.NO_DATA, claim.method_text(), ())


def as_stated_check(dataset: Dataset, claim: Claim) -> CheckResult:
    """A claim no file here can check, corroborated (in part) by the sources it cites."""
    return _result(claim, Verdict.AS_STATED, claim.method_text(), claim.sources)


def dated_check(dataset: Dataset, claim: Claim) -> CheckResult:
    """Compare the dates of key events with the dates the briefing gives.

    Each of the claim's events pairs a text found in exactly one key event with the claimed
    date, ``YYYY-MM`` (same month agrees) or ``YYYY-MM-DD`` (same day agrees).
    """
    found = [(key_event(dataset, e.pattern), e.date) for e in claim.events]
    events = [event for event, _ in found if event is not None]
    if len(events) < len(found):
        return missing(claim)
    expected = [e.date for e in claim.events]
    matches = [_date_matches(e, d) for e, d in zip(events, expected, strict=True)]
    return result(
        claim,
        computed="; ".join(f"{event_date(e)} ({e['event']})" for e in events),
        verdict=grade(agrees=all(matches), partly=any(matches)),
        sources=unique_urls([e["source_url"] for e in events]),
        value=yyyymmdd(events[0]["date"]),
    )


def _result(
    claim: Claim,
    verdict: Verdict,
    method: str,
    sources: tuple[str, ...],
    *,
    computed: str | None = None,
    value: float | None = None,
) -> CheckResult:
    """The claim's text with a verdict, how it was reached and, if computed, the figure."""
    return CheckResult(
        claim=claim.claim,
        claimed=claim.claimed,
        computed=computed,
        verdict=verdict,
        method=method,
        sources=sources,
        value=value,
    )


def _date_matches(event: pd.Series, expected: str) -> bool:
    fmt = "%Y-%m" if len(expected) == 7 or event["date_precision"] == "month" else "%Y-%m-%d"
    return f"{event['date']:{fmt}}" == expected[: len(f"{event['date']:{fmt}}")]
