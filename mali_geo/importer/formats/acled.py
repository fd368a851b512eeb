"""ACLED exports: recognised by ``event_date`` and ACLED's own columns.

Mapping onto :data:`mali_geo.schema.INCIDENT_COLUMNS`: ``incident_id`` ← ``event_id_cnty``
(``IMP-<line>`` where empty); ``date_start`` and ``date_end`` ← ``event_date``;
``date_precision`` ← ``time_precision`` 1/2/3 → day/week/month (day otherwise); ``place`` ←
``location``; ``admin1`` ← ``admin1`` as a 2012 region; ``lat``/``lon`` ← ``latitude``/
``longitude``; ``coord_source`` ← "ACLED geo_precision N"; ``actors`` ← ``actor1; actor2``;
``fatalities_low`` and ``fatalities_high`` ← ``fatalities``; ``summary`` ← ``notes``;
``source_url`` ← ``source`` if an http(s) URL, else ``source_title`` ← ``source``.

Event types: Battles → battle, or clash_between_armed_groups when neither side is a state
force (``inter1``/``inter2`` code 1 or "State forces"; without them the digits of
``interaction``); Explosions/Remote violence by sub-event type: Air/drone
strike → air_strike, Suicide bomb → suicide_attack, Remote explosive/landmine/IED →
ied_landmine, Shelling/artillery/missile attack → rocket_shelling, any other → armed_attack;
Violence against civilians → violence_against_civilians (sub-type Abduction/forced
disappearance → kidnapping); Protests, Riots → riot_protest; Strategic developments →
strategic_development; anything else → other. Older ACLED names (Remote violence,
Riots/Protests, Battle-…, Non-violent transfer of territory, Headquarters or base established)
map the same way.

Older exports have upper-case headers (``GWNO``, ``EVENT_ID_CNTY``, ``ALLY_ACTOR_1``,
``INTER1``, ``INTERACTION`` …), read the same since headers are matched case-blind; ACLED's
slash dates are day-first. In a monadic export an event is one row per actor, all with the
same ``event_id_cnty``: such rows are merged into one incident naming every actor.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from mali_geo.importer._table import Get
from mali_geo.importer.formats import _mapping as m
from mali_geo.importer.formats._spec import Format, FormatSpec

#: Columns only ACLED has; one of them, with ``event_date``, makes a file ACLED.
MARKERS: Final = frozenset(
    {"event_id_cnty", "sub_event_type", "actor1", "geo_precision", "time_precision"}
)
_TIME_PRECISION: Final = {"1": "day", "2": "week", "3": "month"}
_STRATEGIC: Final = (
    "strategic developments",
    "strategic development",
    "non-violent transfer of territory",
    "headquarters or base established",
)


def matches(columns: frozenset[str]) -> bool:
    """An ACLED header has ``event_date`` and one of :data:`MARKERS`."""
    return "event_date" in columns and bool(columns & MARKERS)


def to_candidates(get: Get, line: np.ndarray) -> pd.DataFrame:
    """Map ACLED columns onto the schema (see the module docstring)."""
    date = get("event_date")
    title, url = m.split_sources([], [get("source")])
    fatalities = get("fatalities")
    return m.candidates(
        line,
        incident_id=m.ids(get("event_id_cnty"), line),
        date_start=date,
        date_end=date,
        date_precision=m.precision(get("time_precision"), _TIME_PRECISION),
        **m.located(get, "ACLED", place="location", admin1="admin1", precision="geo_precision"),
        event_type=event_types(
            get("event_type"),
            get("sub_event_type"),
            state_side(get("inter1"), get("inter2"), get("interaction")),
        ),
        actors=m.join(get("actor1"), get("actor2")),
        fatalities_low=fatalities,
        fatalities_high=fatalities,
        summary=get("notes"),
        source_title=title,
        source_url=url,
    )


def state_side(inter1: pd.Series, inter2: pd.Series, interaction: pd.Series) -> pd.Series:
    """Per row: True if a side is a state force, False if neither is, NA if unknown.

    ``inter1``/``inter2`` give each side's actor type (code 1 or "State forces"); without
    them, ``interaction`` gives both (``12`` → 1 and 2, or "State forces-Rebel group").
    """
    codes = pd.concat([inter1, inter2], axis=1).apply(lambda c: c.str.strip().str.lower())
    codes = codes.apply(lambda c: c.str.removesuffix(".0"))
    known = (codes != "").any(axis=1)
    state = codes.isin(["1", "state forces"]).any(axis=1)
    pair = interaction.str.strip().str.lower().str.removesuffix(".0")
    pair_known = pair.str.fullmatch(r"[0-8]{1,2}") | pair.str.contains("-", regex=False)
    pair_state = pair.str.contains("1", regex=False) | pair.str.contains("state forces")
    result = pd.Series(pd.NA, index=inter1.index, dtype="boolean")
    result = result.mask(pair_known, pair_state)
    return result.mask(known, state)


def event_types(
    event_type: pd.Series, sub_type: pd.Series, state: pd.Series | None = None
) -> pd.Series:
    """Map ACLED event and sub-event types onto the project's event types.

    ``state`` (from :func:`state_side`) turns a battle without a state force into a clash
    between armed groups.
    """
    et = event_type.str.strip().str.lower()
    st = sub_type.str.strip().str.lower()
    remote = et.isin(["explosions/remote violence", "remote violence"])
    civilians = et == "violence against civilians"
    battle = et.str.startswith("battle")
    no_state = (
        pd.Series(False, index=et.index)
        if state is None
        else (state == False).fillna(False).astype(bool)  # noqa: E712 - NA stays unknown
    )
    rules = [
        (battle & no_state, "clash_between_armed_groups"),
        (battle, "battle"),
        (remote & (st == "air/drone strike"), "air_strike"),
        (remote & (st == "suicide bomb"), "suicide_attack"),
        (remote & (st == "remote explosive/landmine/ied"), "ied_landmine"),
        (remote & (st == "shelling/artillery/missile attack"), "rocket_shelling"),
        (remote, "armed_attack"),
        (civilians & (st == "abduction/forced disappearance"), "kidnapping"),
        (civilians, "violence_against_civilians"),
        (et.isin(["protests", "riots", "riots/protests"]), "riot_protest"),
        (et.isin(_STRATEGIC), "strategic_development"),
    ]
    masks = [mask.to_numpy(dtype=bool) for mask, _ in rules]
    chosen = np.select(masks, [name for _, name in rules], "other")
    return pd.Series(chosen, index=event_type.index, dtype="str")


SPEC: Final = FormatSpec(
    Format.ACLED,
    matches,
    to_candidates,
    slash_dates="day-first",
    merges_actor_rows=True,
    name="ACLED",
)
