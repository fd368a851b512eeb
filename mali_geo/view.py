"""What one view of the dashboard shows: period, layers, filters, and their URL form.

Pure functions, so the app's state logic is tested without Streamlit. A view is stored in the
URL as query parameters (``start``, ``end``, ``layers``, ``types``, ``actors``, ``basemap``,
``context``, ``density``, ``compare``),
so a shared URL restores it. The context layers are the offline basemap, so ``layers`` lists
the data layers only and ``context=0`` hides the context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from mali_geo.actors import format_actor_groups, parse_actor_groups
from mali_geo.catalogue import MENU, SPECS, View
from mali_geo.compare import format_compare, parse_compare
from mali_geo.config import DEFAULT_REGION_DENSITY, FIRST_MONTH, LAST_MONTH, REGION_DENSITIES
from mali_geo.errors import PeriodError
from mali_geo.period import Period, make_period, month_range

#: The context layers (countries, Niger river, lakes): the offline basemap, toggled like a layer.
CONTEXT = "context"
#: Layer toggles, in the order shown: key -> label (the data layers, then the context).
TOGGLES: dict[str, str] = {
    **{layer.value: SPECS[layer].label for layer in MENU},
    CONTEXT: "Context (countries, Niger river, lakes)",
}
DEFAULT_LAYERS: tuple[str, ...] = (
    *(layer.value for layer in MENU if SPECS[layer].default_on),
    CONTEXT,
)


class Basemap(StrEnum):
    """The basemaps offered; the value is what users see and what the URL holds."""

    OFFLINE = "None (offline)"
    LIGHT = "Light tiles (CARTO, online)"


#: The briefing's phases: label -> (first month, last month).
PHASES: dict[str, tuple[str, str]] = {
    "Whole range (2012–2014)": (FIRST_MONTH, LAST_MONTH),
    "Rebellion and coup (Jan–Mar 2012)": ("2012-01", "2012-03"),
    "Occupation of the north (Apr 2012–Jan 2013)": ("2012-04", "2013-01"),
    "French-led intervention (Jan–Apr 2013)": ("2013-01", "2013-04"),
    "Transition and elections (May–Dec 2013)": ("2013-05", "2013-12"),
    "2014": ("2014-01", "2014-12"),
}


@dataclass(frozen=True)
class ViewState:
    """One view: the period, the visible layers, the event types and the basemap."""

    start: str = FIRST_MONTH
    end: str = LAST_MONTH
    layers: tuple[str, ...] = DEFAULT_LAYERS
    event_types: tuple[str, ...] | None = None
    basemap: Basemap = Basemap.OFFLINE
    problems: tuple[str, ...] = field(default=(), compare=False)
    #: Actor group ids (:mod:`mali_geo.actors`); ``None`` keeps every incident.
    actors: tuple[str, ...] | None = None
    #: Periods A and B to compare (``compare`` mode), or ``None``.
    compare: tuple[Period, Period] | None = None
    #: How regions are shaded: a key of :data:`mali_geo.config.REGION_DENSITIES`.
    density: str = DEFAULT_REGION_DENSITY

    @property
    def period(self) -> Period:
        """The validated period (it may run past the shipped data, over imported ones)."""
        first, last = min(self.start, FIRST_MONTH), max(self.end, LAST_MONTH)
        return make_period(self.start, self.end, first=first, last=last)

    @property
    def built_for(self) -> View:
        """What the view's layers are built for (and cached by): period, types and actors."""
        return View(self.start, self.end, self.event_types, self.actors)


#: Query parameters a view reads (others are reported, except Streamlit's own).
QUERY_KEYS: tuple[str, ...] = (
    *(
        *("start", "end", "layers", CONTEXT, "types", "actors", "basemap", "density"),
        *("chapter", "compare"),
    ),
)
#: Parameters Streamlit itself reads: never reported as unknown.
_STREAMLIT_KEYS = frozenset({"embed", "embed_options"})
#: How many ignored values a warning lists before "and N more".
SHOWN_PROBLEMS = 5


def state_from_query(
    params: Mapping[str, str],
    *,
    first: str = FIRST_MONTH,
    last: str = LAST_MONTH,
    type_labels: Mapping[str, str] | None = None,
) -> ViewState:
    """Read a view from URL query parameters, ignoring (and reporting) bad values.

    Values are trimmed; an empty value counts as absent.

    Parameters
    ----------
    params
        Query parameters as strings (``st.query_params``).
    first, last
        The months the data covers: a period outside them is ignored.
    type_labels
        Event types offered, id -> label shown. ``types`` accepts ids and labels, ignoring
        case; None keeps the given ids as they are.

    Returns
    -------
    ViewState
        Defaults where a parameter is missing or invalid; ``problems`` lists each value
        ignored, shortly (``start=2013-13``), for :func:`problems_message`.
    """
    given = {str(k): str(v).strip() for k, v in params.items()}
    given = {k: v for k, v in given.items() if v}
    problems = [f"parameter {k}" for k in given if k not in QUERY_KEYS and k not in _STREAMLIT_KEYS]
    start, end = _query_period(given, first, last, problems)
    layers = _query_layers(given, problems)
    types = _query_types(given.get("types"), type_labels, problems)
    basemap = Basemap.OFFLINE
    if "basemap" in given:
        try:
            basemap = Basemap(given["basemap"])
        except ValueError:
            problems.append(f"basemap={given['basemap']}")
    actors = _query_actors(given.get("actors"), problems)
    compare = _query_compare(given.get("compare"), first, last, problems)
    density = given.get("density", DEFAULT_REGION_DENSITY)
    if density not in REGION_DENSITIES:
        problems.append(f"density={density}")
        density = DEFAULT_REGION_DENSITY
    return ViewState(
        start, end, layers, types, basemap, tuple(problems), actors, compare, density=density
    )


def problems_message(problems: Sequence[str], *, shown: int = SHOWN_PROBLEMS) -> str:
    """One short line saying what a link held that was ignored (the first few, then a count).

    Parameters
    ----------
    problems
        The ignored values (:attr:`ViewState.problems`).
    shown
        How many to list.
    """
    listed = ", ".join(_short(p) for p in problems[:shown])
    more = len(problems) - shown
    tail = f" and {more:,} more" if more > 0 else ""
    return f"ignored {listed}{tail}."


def state_to_query(
    state: ViewState,
    *,
    all_types: Sequence[str],
    first: str = FIRST_MONTH,
    last: str = LAST_MONTH,
) -> dict[str, str]:
    """Write a view as query parameters, leaving out what equals the default.

    Parameters
    ----------
    state
        The view.
    all_types
        Every event type offered: a filter keeping all of them is not written.
    first, last
        The months the data covers: a period spanning them all is not written.
    """
    query: dict[str, str] = {}
    if (state.start, state.end) != (first, last):
        query["start"], query["end"] = state.start, state.end
    data_layers = tuple(x for x in state.layers if x != CONTEXT)
    if set(state.layers) != set(DEFAULT_LAYERS):
        query["layers"] = ",".join(data_layers)
    if CONTEXT not in state.layers:
        query[CONTEXT] = "0"
    if state.event_types is not None and set(state.event_types) != set(all_types):
        query["types"] = ",".join(state.event_types)
    if state.basemap is not Basemap.OFFLINE:
        query["basemap"] = state.basemap.value
    if state.actors is not None:
        query["actors"] = format_actor_groups(state.actors)
    if state.compare is not None:
        query["compare"] = format_compare(*state.compare)
    if state.density != DEFAULT_REGION_DENSITY:
        query["density"] = state.density
    return query


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _query_period(
    given: Mapping[str, str], first: str, last: str, problems: list[str]
) -> tuple[str, str]:
    start, end = given.get("start", first), given.get("end", last)
    try:
        period = make_period(start, end, first=first, last=last)
    except PeriodError:
        problems.extend(f"{k}={given[k]}" for k in ("start", "end") if k in given)
        return first, last
    return period.start, period.end


def _query_layers(given: Mapping[str, str], problems: list[str]) -> tuple[str, ...]:
    layers = DEFAULT_LAYERS
    if "layers" in given:
        asked = [x.strip() for x in given["layers"].split(",") if x.strip()]
        known = tuple(x for x in TOGGLES if x in asked and x != CONTEXT)
        problems.extend(f"layer {x}" for x in asked if x not in TOGGLES)
        if known or not asked:
            layers = (*known, CONTEXT)
    if CONTEXT in given:
        if given[CONTEXT] == "0":
            layers = tuple(x for x in layers if x != CONTEXT)
        elif given[CONTEXT] != "1":
            problems.append(f"{CONTEXT}={given[CONTEXT]}")
    return layers


def _query_types(
    text: str | None, labels: Mapping[str, str] | None, problems: list[str]
) -> tuple[str, ...] | None:
    if text is None:
        return None
    asked = [x.strip() for x in text.split(",") if x.strip()]
    if labels is None:
        return tuple(asked)
    lookup = {k.casefold(): k for k in labels} | {v.casefold(): k for k, v in labels.items()}
    known = [lookup[x.casefold()] for x in asked if x.casefold() in lookup]
    problems.extend(f"type {x}" for x in asked if x.casefold() not in lookup)
    return tuple(dict.fromkeys(known)) if known else None


def _query_actors(text: str | None, problems: list[str]) -> tuple[str, ...] | None:
    if text is None:
        return None
    chosen = parse_actor_groups(text)
    problems.extend(f"actor group {x}" for x in chosen.unknown)
    return chosen.groups or None


def _query_compare(
    text: str | None, first: str, last: str, problems: list[str]
) -> tuple[Period, Period] | None:
    if text is None:
        return None
    try:
        return parse_compare(text, first=first, last=last)
    except PeriodError:
        problems.append(f"compare={text}")
        return None


def play_step(
    start: str, end: str, *, first: str = FIRST_MONTH, last: str = LAST_MONTH
) -> tuple[str, str] | None:
    """Move a window of months one month later, keeping its length (within first..last).

    Returns
    -------
    tuple or None
        The next ``(start, end)``, or ``None`` when the window already ends at the last month.
    """
    months = month_range(first, last)
    i, j = months.index(start), months.index(end)
    if j + 1 >= len(months):
        return None
    return months[i + 1], months[j + 1]


def play_start(
    start: str, end: str, *, window: int = 3, first: str = FIRST_MONTH, last: str = LAST_MONTH
) -> tuple[str, str]:
    """The first window of a play: from the chosen start, at most ``window`` months long."""
    months = month_range(first, last)
    i = months.index(start)
    j = min(months.index(end), i + window - 1)
    if j + 1 >= len(months):
        i, j = 0, window - 1
    return months[i], months[j]
