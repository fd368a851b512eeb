"""Actor groups: the incidents' free-text actors normalised into named groups.

``geodata/actor_groups.csv`` maps each raw actor string (one part of an incident's ``actors``
cell, see :func:`split_actors`) to one or more groups. An actor string it does not name falls
to the ``other`` group and is listed by :func:`unmatched_actors`, so nothing is silently lost.
Matching ignores case and repeated spaces; nothing else is guessed.

Group ids are URL-safe (``?actors=mnla,aqim``): see :func:`parse_actor_groups` and
:func:`format_actor_groups`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

import pandas as pd

from mali_geo import config
from mali_geo.errors import DataError

ACTOR_GROUPS_PATH = config.GEODATA_DIR / "actor_groups.csv"
#: The group of an actor the table does not name, and of an incident that names no actor.
OTHER = "other"
#: The groups in the order the app lists them (the table may not add others).
GROUP_ORDER: tuple[str, ...] = (
    "mnla",
    "ansar_dine",
    "mujao",
    "aqim",
    "armed_other",
    "mali_forces",
    "french_forces",
    "un_african",
    "civilians",
    "unidentified",
    OTHER,
)
#: The separator of a URL's group ids (``?actors=mnla,aqim``).
URL_SEPARATOR = ","
_SPACES_RE = re.compile(r"\s+")
_Frame = TypeVar("_Frame", bound=pd.DataFrame)


@dataclass(frozen=True)
class ActorGroups:
    """The validated actor table.

    Attributes
    ----------
    table
        One row per (actor, group): ``actor``, ``group``, ``label``.
    labels
        Group id -> label, in :data:`GROUP_ORDER`.
    """

    table: pd.DataFrame
    labels: dict[str, str]
    #: Matching key of each actor (see :func:`actor_key`) -> its groups.
    index: dict[str, frozenset[str]] = field(repr=False, default_factory=dict)

    def groups_of_actor(self, actor: str) -> frozenset[str]:
        """The groups of one raw actor string; ``{"other"}`` if the table does not name it."""
        return self.index.get(actor_key(actor), frozenset({OTHER}))

    def names(self, actor: str) -> bool:
        """Whether the table names this actor string."""
        return actor_key(actor) in self.index


@dataclass(frozen=True)
class GroupSelection:
    """Group ids read from a URL value.

    Attributes
    ----------
    groups
        The known ids, in :data:`GROUP_ORDER`, without repeats.
    unknown
        The ids that name no group, as typed, to report to the user.
    """

    groups: tuple[str, ...]
    unknown: tuple[str, ...]


def load_actor_groups(path: str | Path = ACTOR_GROUPS_PATH) -> ActorGroups:
    """Load and validate the actor table.

    Parameters
    ----------
    path
        A CSV with columns ``actor``, ``group``, ``label``.

    Returns
    -------
    ActorGroups

    Raises
    ------
    DataError
        If the file is missing or unreadable, a column or value is missing, a group id is not
        one of :data:`GROUP_ORDER`, a group has two labels, or a row is repeated.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        msg = f"{path.name}: cannot be read as CSV ({exc})"
        raise DataError(msg) from exc
    _check_table(frame, path.name)
    labels = dict(zip(frame["group"], frame["label"], strict=True))
    ordered = {g: labels[g] for g in GROUP_ORDER if g in labels}
    ordered.setdefault(OTHER, "Other")
    table = frame[["actor", "group", "label"]].reset_index(drop=True)
    return ActorGroups(table, ordered, _index_of(table))


def default_actor_groups() -> ActorGroups:
    """The shipped table (``geodata/actor_groups.csv``), loaded once."""
    return _default()


def split_actors(text: object) -> list[str]:
    """Split an ``actors`` cell on ``;``, except inside parentheses; strip; drop empty parts.

    ``"Armed men (army blamed MNLA; local sources said Islamists); civilians"`` gives two
    actors, not three.
    """
    if not isinstance(text, str):
        return []
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == ";" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += (char == "(") - (char == ")" and depth > 0)
        current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def actor_key(actor: str) -> str:
    """How actors are matched: case-folded, with runs of spaces collapsed."""
    return _SPACES_RE.sub(" ", actor).strip().casefold()


def actor_groups_of(incidents: pd.DataFrame, groups: ActorGroups | None = None) -> pd.Series:
    """The groups of each incident: the union of its actors' groups.

    Parameters
    ----------
    incidents
        Any frame with an ``actors`` column.
    groups
        The table; the shipped one by default.

    Returns
    -------
    pandas.Series
        A ``frozenset`` of group ids per row, on the incidents' index. An incident naming no
        actor, or an actor the table does not know, gets ``"other"``.
    """
    groups = groups or default_actor_groups()
    cells = incidents["actors"]
    by_cell = {cell: _cell_groups(cell, groups) for cell in pd.unique(cells.to_numpy())}
    return pd.Series([by_cell[c] for c in cells.to_numpy()], index=incidents.index, dtype=object)


def actor_group_flags(incidents: pd.DataFrame, groups: ActorGroups | None = None) -> pd.DataFrame:
    """One boolean column per group (:data:`GROUP_ORDER`): does the incident involve it."""
    groups = groups or default_actor_groups()
    sets = actor_groups_of(incidents, groups)
    return pd.DataFrame(
        {g: [g in s for s in sets] for g in groups.labels}, index=incidents.index, dtype=bool
    )


def filter_by_actor_groups(
    incidents: _Frame, selected: Collection[str] | None, groups: ActorGroups | None = None
) -> _Frame:
    """Keep the incidents involving at least one of the selected groups.

    Parameters
    ----------
    incidents
        A frame (or GeoDataFrame) with an ``actors`` column.
    selected
        Group ids; ``None`` keeps every incident, an empty collection keeps none.
    groups
        The table; the shipped one by default.

    Returns
    -------
    The matching rows, in their order, of the same type as ``incidents``.
    """
    if selected is None:
        return incidents
    wanted = frozenset(selected)
    mask = actor_groups_of(incidents, groups).map(lambda s: not s.isdisjoint(wanted))
    out: _Frame = incidents[mask.to_numpy(dtype=bool)]
    return out


def unmatched_actors(incidents: pd.DataFrame, groups: ActorGroups | None = None) -> pd.DataFrame:
    """The actor strings the table does not name (they count as ``other``).

    Returns
    -------
    pandas.DataFrame
        ``actor`` and ``incidents`` (how many incidents name it), most frequent first.
    """
    groups = groups or default_actor_groups()
    counts: dict[str, int] = {}
    for cell in incidents["actors"].dropna():
        for actor in dict.fromkeys(split_actors(cell)):
            if not groups.names(actor):
                counts[actor] = counts.get(actor, 0) + 1
    frame = pd.DataFrame(
        {"actor": list(counts), "incidents": list(counts.values())},
        columns=["actor", "incidents"],
    ).astype({"actor": object, "incidents": "int64"})
    return frame.sort_values(["incidents", "actor"], ascending=[False, True], ignore_index=True)


def parse_actor_groups(text: str | None) -> GroupSelection:
    """Read a URL value such as ``"mnla,aqim"``.

    Ids are matched ignoring case and spaces; empty parts are skipped; unknown ids are
    returned apart so the app can say which were ignored.
    """
    known, unknown = [], []
    for part in (text or "").split(URL_SEPARATOR):
        gid = part.strip().lower()
        if not gid:
            continue
        if gid in GROUP_ORDER:
            known.append(gid)
        elif part.strip() not in unknown:
            unknown.append(part.strip())
    ordered = tuple(g for g in GROUP_ORDER if g in known)
    return GroupSelection(ordered, tuple(unknown))


def format_actor_groups(selected: Iterable[str]) -> str:
    """The URL value of a set of group ids, in :data:`GROUP_ORDER` (``"mnla,aqim"``).

    Raises
    ------
    ValueError
        If an id is not a group.
    """
    chosen = set(selected)
    unknown = sorted(chosen - set(GROUP_ORDER))
    if unknown:
        msg = f"unknown actor group(s) {', '.join(unknown)}; choose from {', '.join(GROUP_ORDER)}"
        raise ValueError(msg)
    return URL_SEPARATOR.join(g for g in GROUP_ORDER if g in chosen)


# --- helpers -------------------------------------------------------------------------------


def _cell_groups(cell: object, groups: ActorGroups) -> frozenset[str]:
    actors = split_actors(cell)
    if not actors:
        return frozenset({OTHER})
    return frozenset().union(*(groups.groups_of_actor(a) for a in actors))


@cache
def _default() -> ActorGroups:
    return load_actor_groups()


def _index_of(table: pd.DataFrame) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for actor, group in zip(table["actor"], table["group"], strict=True):
        index.setdefault(actor_key(actor), set()).add(group)
    return {k: frozenset(v) for k, v in index.items()}


def _check_table(frame: pd.DataFrame, name: str) -> None:
    missing = [c for c in ("actor", "group", "label") if c not in frame.columns]
    if missing:
        msg = f"{name}: missing column(s) {', '.join(missing)}"
        raise DataError(msg)
    for col in ("actor", "group", "label"):
        empty = frame.index[frame[col].str.strip() == ""]
        if len(empty):
            msg = f"{name}: line {empty[0] + 2}: empty {col}"
            raise DataError(msg)
    bad = frame.index[~frame["group"].isin(GROUP_ORDER)]
    if len(bad):
        i = bad[0]
        msg = (
            f"{name}: line {i + 2}: unknown group {frame.at[i, 'group']!r}; "
            f"groups are {', '.join(GROUP_ORDER)}"
        )
        raise DataError(msg)
    labels = frame.groupby("group")["label"].nunique()
    if (labels > 1).any():
        msg = f"{name}: group {labels[labels > 1].index[0]!r} has more than one label"
        raise DataError(msg)
    dup = frame.index[frame.assign(k=frame["actor"].map(actor_key)).duplicated(["k", "group"])]
    if len(dup):
        msg = f"{name}: line {dup[0] + 2}: repeats actor {frame.at[dup[0], 'actor']!r}"
        raise DataError(msg)
