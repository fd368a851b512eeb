"""Row rules: parse dates, coordinates and fatalities, and give each bad row its reason.

Rows are rejected, first matching reason wins, with reasons starting ``bad date:`` (missing,
not a date, before 1900-01-01 or more than a year from today, an end before the start or more
than 366 days after it, or a slash date the file leaves ambiguous), ``missing coordinate``,
``non-numeric coordinate:``, ``outside study area:`` (``outside study area: latitude and
longitude look swapped`` only for a row whose country or admin1 says Mali or a neighbour and
whose swapped point fits; a point in Central Africa is otherwise just outside),
``negative fatalities``, ``bad fatalities:`` (not a whole number, or low above high) and
``duplicate id: <id> (first seen on line N)`` (checked among otherwise valid rows; the later
row is rejected). Where a format allows it (ACLED's monadic exports), a later valid row with
the same id that differs from the first only in its actors is merged into it instead.

Dates are read as ``2013-01-31`` (a time part is ignored), ``31 January 2013``,
``31-Jan-13`` or ``12-September-22`` (two-digit years: 00–68 → 20xx, 69–99 → 19xx), English
or French month names, and ``29/12/2015`` or ``9/1/13`` by the file's slash convention
(:func:`slash_convention`). Numbers may carry any Unicode white space around them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from mali_geo.config import STUDY_AREA
from mali_geo.importer._table import per_unique
from mali_geo.schema import in_study_area

_MONTHS: Final[dict[str, int]] = {
    **{m: i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1)},
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1)},
    "sept": 9,
    **{m: i for i, m in enumerate(
        ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
         "septembre", "octobre", "novembre", "decembre"), start=1)},
    "février": 2, "août": 8, "décembre": 12, "janv": 1, "févr": 2, "fevr": 2, "avr": 4,
    "juil": 7, "déc": 12,
}  # fmt: skip
#: An ISO date, with an optional time part that is ignored.
ISO_DATE: Final = re.compile(
    r"\s*(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?\s*"
)
_DATE_PATTERNS: Final = (
    ISO_DATE,
    re.compile(r"\s*(?P<d>[0-9]{1,2})\s+(?P<mon>[^\W\d_]+)\.?\s+(?P<y>[0-9]{4})\s*"),
    re.compile(r"\s*(?P<d>[0-9]{1,2})-(?P<mon>[^\W\d_]{3,})-(?P<y>[0-9]{2}|[0-9]{4})\s*"),
)
_SLASH_DATE: Final = re.compile(
    r"\s*(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?:\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?\s*"
)
#: Slash date conventions: the first field is the day, or the month.
DAY_FIRST: Final = "day-first"
MONTH_FIRST: Final = "month-first"
#: No slash date has a field above 12, or the file has both kinds.
UNDECIDED: Final = "undecided"
MIXED: Final = "mixed"
#: A number as text (decimal point or comma, optional exponent).
NUMBER: Final = re.compile(
    r"\s*[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,3})?\s*"
)
_DECIMAL_COMMA: Final = r"\s*[+-]?[0-9]*,[0-9]+\s*"
_MISSING_TOKENS: Final = ("", "na", "n/a", "nan", "null", "none", "-")
_NAT: Final = np.datetime64("NaT", "D")
#: The earliest date a row may have; the latest is a year from the day of the import.
EARLIEST_DATE: Final = dt.date(1900, 1, 1)
#: The longest an incident may last, from its start to its end date.
MAX_SPAN_DAYS: Final = 366
_PREVIEW: Final = 60


@dataclass(frozen=True)
class Values:
    """The typed values of the candidate rows; NaT/NaN where unreadable or missing."""

    start: np.ndarray
    end: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass(frozen=True)
class _Check:
    """Which rows fail a rule, and their reason: one text, or built for the failing rows."""

    mask: np.ndarray
    reason: str | Callable[[np.ndarray], list[str]]

    def explain(self, hit: np.ndarray) -> str | list[str]:
        """The reason of each row in ``hit``."""
        return self.reason if isinstance(self.reason, str) else self.reason(hit)


@dataclass(frozen=True)
class Checked:
    """Each row's first problem (None when valid), and which valid rows were merged.

    ``rows`` are the candidate rows with merged rows' actors folded into the row kept.
    """

    reasons: np.ndarray
    merged: np.ndarray
    rows: pd.DataFrame


def slash_convention(dates: pd.Series, fixed: str | None = None) -> str | None:
    """Decide how a file writes slash dates, or ``None`` if it has none.

    Parameters
    ----------
    dates
        The file's date cells.
    fixed
        The format's own convention (ACLED's is day-first), used whenever there are slash
        dates.

    Returns
    -------
    str or None
        :data:`DAY_FIRST` when a first field is above 12, :data:`MONTH_FIRST` when a second
        one is, :data:`MIXED` when both happen, :data:`UNDECIDED` when neither does.
    """
    found = [m for m in map(_SLASH_DATE.fullmatch, dates.unique()) if m is not None]
    if not found:
        return None
    if fixed is not None:
        return fixed
    day_first = any(int(m["a"]) > 12 for m in found)
    month_first = any(int(m["b"]) > 12 for m in found)
    if day_first and month_first:
        return MIXED
    return DAY_FIRST if day_first else MONTH_FIRST if month_first else UNDECIDED


def parse_values(rows: pd.DataFrame, slash: str | None = None) -> Values:
    """Parse dates, coordinates and fatalities once, for checking and for the result.

    ``slash`` is the file's :func:`slash_convention`.
    """
    return Values(
        start=_parse_dates(rows["date_start"], slash),
        end=_parse_dates(rows["date_end"], slash),
        lat=_numbers(rows["lat"]),
        lon=_numbers(rows["lon"]),
        low=_whole_numbers(rows["fatalities_low"]),
        high=_whole_numbers(rows["fatalities_high"]),
    )


def row_problems(
    rows: pd.DataFrame,
    values: Values,
    line: np.ndarray,
    *,
    near: np.ndarray | None = None,
    slash: str | None = None,
    merge_actors: bool = False,
) -> Checked:
    """Give each row its first problem as a reason, or None when it is valid.

    Parameters
    ----------
    rows, values, line
        Candidate rows as text, their parsed values and their lines.
    near
        Rows whose country or admin1 names Mali or a neighbour: only these can "look
        swapped".
    slash
        The file's :func:`slash_convention`, to name ambiguous slash dates.
    merge_actors
        Merge later rows that repeat an id and differ only in actors (and so the event type
        the actors decide) into the first row instead of rejecting them.
    """
    reasons = np.full(len(rows), None, dtype=object)
    open_rows = np.ones(len(rows), dtype=bool)
    if near is None:
        near = np.zeros(len(rows), dtype=bool)
    checks = [
        *_date_checks(rows, values, slash),
        *_coordinate_checks(rows, values, near),
        *_fatality_checks(rows, values),
    ]
    for check in checks:
        hit = check.mask & open_rows
        if hit.any():
            reasons[hit] = check.explain(hit)
            open_rows &= ~hit
    merged = np.zeros(len(rows), dtype=bool)
    if merge_actors:
        rows, merged = _merge_actor_rows(rows, open_rows)
    duplicates = _duplicate_check(rows["incident_id"], line, open_rows & ~merged)
    if duplicates.mask.any():
        reasons[duplicates.mask] = duplicates.explain(duplicates.mask)
    return Checked(reasons, merged, rows)


#: Columns monadic rows of one event may differ in.
_ACTOR_COLUMNS: Final = ("actors", "event_type")
_BATTLES: Final = frozenset({"battle", "clash_between_armed_groups"})


def _merge_actor_rows(rows: pd.DataFrame, valid: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Fold valid rows repeating an id with nothing but other actors into the first one.

    Rows are compared by a hash of every other column, so a large monadic export merges in
    linear time. Event types may differ only as battle and clash (one row saw a state force):
    the incident is then a battle.
    """
    merged = np.zeros(len(rows), dtype=bool)
    ids = rows["incident_id"]
    among_valid = ids.where(pd.Series(valid, index=ids.index))
    repeated = valid & among_valid.duplicated(keep=False).to_numpy(dtype=bool)
    if not repeated.any():
        return rows, merged
    same = [c for c in rows.columns if c not in (*_ACTOR_COLUMNS, "incident_id")]
    at = np.flatnonzero(repeated)
    first = pd.Series(at).groupby(ids.to_numpy()[at]).transform("first").to_numpy()
    digest = pd.util.hash_pandas_object(rows[same], index=False).to_numpy()
    kinds = rows["event_type"].to_numpy(dtype=object)
    battles = np.isin(kinds, list(_BATTLES))
    compatible = (kinds[at] == kinds[first]) | (battles[at] & battles[first])
    fold = (at != first) & (digest[at] == digest[first]) & compatible
    merged[at[fold]] = True
    actors = rows["actors"].to_numpy(dtype=object).copy()
    names: dict[int, dict[str, None]] = {}
    for keep, other in zip(first[fold].tolist(), at[fold].tolist(), strict=True):
        group = names.setdefault(keep, _actor_names(actors[keep]))
        group.update(_actor_names(actors[other]))
        if kinds[other] == "battle":
            kinds[keep] = "battle"
    for keep, group in names.items():
        actors[keep] = "; ".join(group)
    out = rows.copy()
    out["actors"] = pd.Series(actors, index=rows.index, dtype="str")
    out["event_type"] = pd.Series(kinds, index=rows.index, dtype="str")
    return out, merged


def _actor_names(text: str) -> dict[str, None]:
    """The actor names of a ``"; "``-joined text, in order, as an ordered set."""
    return dict.fromkeys(n.strip() for n in str(text).split(";") if n.strip())


def _date_checks(rows: pd.DataFrame, values: Values, slash: str | None) -> list[_Check]:
    """Missing, unreadable, impossible or implausible dates, and implausible spans."""
    start, end = rows["date_start"], rows["date_end"]
    earliest = np.datetime64(EARLIEST_DATE, "D")
    latest = np.datetime64(_a_year_after(dt.date.today()), "D")
    after = f"is after {latest} (a year from today)"
    why = (
        "the file has both day-first and month-first dates"
        if slash == MIXED
        else "no date in the file has a day above 12"
    )
    return [
        _Check(_blank(start), "bad date: missing"),
        _Check(
            np.isnat(values.start) & _ambiguous(start),
            _each(
                lambda v: f"bad date: {_show(v)} is ambiguous, day or month first ({why})", start
            ),
        ),
        _Check(
            np.isnat(values.start),
            _each(lambda v: f"bad date: {_show(v)} is not a date{_read_as(v, slash)}", start),
        ),
        _Check(
            ~_blank(end) & np.isnat(values.end),
            _each(lambda v: f"bad date: end {_show(v)} is not a date{_read_as(v, slash)}", end),
        ),
        _Check(
            values.start < earliest,
            _each(lambda v: f"bad date: {_show(v)} is before {EARLIEST_DATE}", start),
        ),
        _Check(values.start > latest, _each(lambda v: f"bad date: {_show(v)} {after}", start)),
        _Check(values.end > latest, _each(lambda v: f"bad date: end {_show(v)} {after}", end)),
        _Check(
            values.end < values.start,
            _each(lambda s, e: f"bad date: end {_show(e)} is before start {_show(s)}", start, end),
        ),
        _Check(
            values.end - values.start > np.timedelta64(MAX_SPAN_DAYS, "D"),
            _each(
                lambda s, e: (
                    f"bad date: end {_show(e)} is more than {MAX_SPAN_DAYS} days "
                    f"after start {_show(s)}"
                ),
                start,
                end,
            ),
        ),
    ]


def _coordinate_checks(rows: pd.DataFrame, values: Values, near: np.ndarray) -> list[_Check]:
    """Missing, non-numeric and out-of-area coordinates (naming a likely lat/lon swap)."""
    lat, lon = values.lat, values.lon
    inside = in_study_area(lon, lat)
    swapped = near & in_study_area(lat, lon)
    return [
        _Check(_is_missing(rows["lat"]) | _is_missing(rows["lon"]), "missing coordinate"),
        _Check(
            np.isnan(lat),
            _each(lambda v: f"non-numeric coordinate: latitude {_show(v)}", rows["lat"]),
        ),
        _Check(
            np.isnan(lon),
            _each(lambda v: f"non-numeric coordinate: longitude {_show(v)}", rows["lon"]),
        ),
        _Check(
            ~inside & swapped,
            _each(
                lambda y, x: (
                    "outside study area: latitude and longitude look swapped "
                    f"(lat {_num(y)}, lon {_num(x)})"
                ),
                lat,
                lon,
            ),
        ),
        _Check(
            ~inside,
            _each(
                lambda y, x: (
                    f"outside study area: lat {_num(y)}, lon {_num(x)} "
                    f"is outside lon {STUDY_AREA[0]}..{STUDY_AREA[2]}, "
                    f"lat {STUDY_AREA[1]}..{STUDY_AREA[3]}"
                ),
                lat,
                lon,
            ),
        ),
    ]


def _fatality_checks(rows: pd.DataFrame, values: Values) -> list[_Check]:
    """Fatality figures that are not whole numbers, negative, or low above high."""
    checks: list[_Check] = []
    for col, number in (("fatalities_low", values.low), ("fatalities_high", values.high)):
        text = rows[col]
        checks += [
            _Check(
                ~_blank(text) & np.isnan(number),
                _each(lambda v: f"bad fatalities: {_show(v)} is not a whole number", text),
            ),
            _Check(number < 0, _each(lambda v: f"negative fatalities: {_show(v)}", text)),
        ]
    checks.append(
        _Check(
            values.low > values.high,
            _each(
                lambda a, b: f"bad fatalities: low {_num(a)} is above high {_num(b)}",
                values.low,
                values.high,
            ),
        )
    )
    return checks


def _duplicate_check(ids: pd.Series, line: np.ndarray, valid: np.ndarray) -> _Check:
    """Later rows whose id an earlier valid row already has."""
    positions = np.flatnonzero(valid)
    valid_ids = pd.Series(ids.to_numpy(dtype=object)[positions])
    first_line = np.zeros(len(ids), dtype=np.int64)
    first_line[positions] = pd.Series(line[positions]).groupby(valid_ids).transform("min")
    mask = np.zeros(len(ids), dtype=bool)
    mask[positions[valid_ids.duplicated(keep="first").to_numpy()]] = True
    return _Check(
        mask, _each(lambda i, n: f"duplicate id: {i} (first seen on line {n})", ids, first_line)
    )


def _each(
    make: Callable[..., str], *columns: pd.Series | np.ndarray
) -> Callable[[np.ndarray], list[str]]:
    """Build reasons lazily, only for the rows a check rejects."""

    def build(hit: np.ndarray) -> list[str]:
        parts = [np.asarray(column, dtype=object)[hit] for column in columns]
        return [make(*cells) for cells in zip(*parts, strict=True)]

    return build


def _parse_dates(values: pd.Series, slash: str | None) -> np.ndarray:
    """Parse every accepted date style; NaT where impossible or ambiguous."""
    return per_unique(values, lambda text: _parse_date(text, slash), "datetime64[D]")


def _read_as(text: str, slash: str | None) -> str:
    """For a slash date, how it was read (`` (read day-first)``), else nothing."""
    if slash in (DAY_FIRST, MONTH_FIRST) and _SLASH_DATE.fullmatch(text):
        return f" (read {slash})"
    return ""


def _ambiguous(values: pd.Series) -> np.ndarray:
    """Slash dates whose first two fields could each be the day (both 1–12 and different)."""

    def ambiguous(text: str) -> bool:
        found = _SLASH_DATE.fullmatch(text)
        if found is None:
            return False
        a, b = int(found["a"]), int(found["b"])
        return 1 <= a <= 12 and 1 <= b <= 12 and a != b

    return per_unique(values, ambiguous, bool)


def _slash_parts(found: re.Match[str], slash: str | None) -> dict[str, str] | None:
    """Day, month and year of a slash date by the file's convention; None if ambiguous."""
    a, b = found["a"], found["b"]
    if slash == DAY_FIRST or int(a) > 12 or int(a) == int(b):
        day, month = a, b
    elif slash == MONTH_FIRST or int(b) > 12:
        day, month = b, a
    else:
        return None
    return {"d": day, "m": month, "y": found["y"]}


def _parse_date(text: str, slash: str | None = None) -> np.datetime64:
    """Parse one date in any accepted style; NaT if none fits or the day does not exist."""
    parts: dict[str, str] | None = None
    for pattern in _DATE_PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            parts = found.groupdict()
            break
    else:
        slashed = _SLASH_DATE.fullmatch(text)
        parts = _slash_parts(slashed, slash) if slashed else None
    if parts is None:
        return _NAT
    month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["mon"].casefold(), 0)
    year = int(parts["y"])
    if len(parts["y"]) == 2:
        year += 2000 if year < 69 else 1900
    try:  # any year: one outside the plausible range gets its own reason
        return np.datetime64(dt.date(year, month, int(parts["d"])), "D")
    except ValueError:
        return _NAT


def _a_year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _numbers(values: pd.Series) -> np.ndarray:
    """Finite floats from numeric text (a decimal comma is accepted); NaN for anything else.

    Any Unicode white space around the number (a non-breaking space) is dropped first.
    """
    values = values.str.strip()
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(
        dtype=float, na_value=np.nan, copy=True
    )
    comma = np.isnan(numbers) & values.str.contains(",", regex=False).to_numpy(dtype=bool)
    if comma.any():
        comma[comma] = values[comma].str.fullmatch(_DECIMAL_COMMA).to_numpy(dtype=bool)
    if comma.any():
        fixed = values[comma].str.replace(",", ".", regex=False)
        numbers[comma] = pd.to_numeric(fixed, errors="coerce").to_numpy(dtype=float)
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers


def _whole_numbers(values: pd.Series) -> np.ndarray:
    """Whole numbers below a billion as floats; NaN where missing or not whole."""
    numbers = _numbers(values)
    whole = (numbers == np.floor(numbers)) & (np.abs(numbers) < 1e9)
    return np.where(whole, numbers, np.nan)


def _blank(values: pd.Series) -> np.ndarray:
    """Empty or whitespace-only cells."""
    return (values.str.strip() == "").to_numpy(dtype=bool)


def _is_missing(values: pd.Series) -> np.ndarray:
    """Empty cells and the usual not-available tokens."""
    return values.str.strip().str.casefold().isin(_MISSING_TOKENS).to_numpy(dtype=bool)


def _show(text: str) -> str:
    """Quote cell text for a reason, short and on one line."""
    shown = repr(text[:_PREVIEW])
    return shown[:-1] + "…" + shown[-1] if len(text) > _PREVIEW else shown


def _num(value: float) -> str:
    """Write a number for a reason as Python does, without a trailing ``.0``."""
    return repr(float(value)).removesuffix(".0")


def typed(rows: pd.DataFrame, values: Values, ok: np.ndarray) -> pd.DataFrame:
    """Keep the valid rows, with parsed values in place of their text."""
    out = rows.loc[ok].reset_index(drop=True)
    out["date_start"] = values.start[ok].astype("datetime64[ns]")
    out["date_end"] = values.end[ok].astype("datetime64[ns]")
    out["lat"] = values.lat[ok]
    out["lon"] = values.lon[ok]
    out["fatalities_low"] = pd.Series(values.low[ok]).astype("Int64")
    out["fatalities_high"] = pd.Series(values.high[ok]).astype("Int64")
    return out
