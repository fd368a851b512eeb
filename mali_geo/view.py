"""What one view of the dashboard shows: period, layers, filters, and their URL form.

Pure functions, so the app's state logic is tested without Streamlit. A view is stored in the
URL as query parameters (``start``, ``end``, ``layers``, ``types``, ``basemap``, ``context``),
so a shared URL restores it. The context layers are the offline basemap, so ``layers`` lists
the data layers only and ``context=0`` hides the context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from mali_geo.catalogue import MENU, SPECS, View
from mali_geo.config import FIRST_MONTH, LAST_MONTH
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

    @property
    def period(self) -> Period:
        """The validated period."""
        return make_period(self.start, self.end)

    @property
    def built_for(self) -> View:
        """What the view's layers are built for (and cached by): period and event types."""
        return View(self.start, self.end, self.event_types)


def state_from_query(params: Mapping[str, str]) -> ViewState:
    """Read a view from URL query parameters, ignoring (and reporting) bad values.

    Parameters
    ----------
    params
        Query parameters as strings (``st.query_params``).

    Returns
    -------
    ViewState
        Defaults where a parameter is missing or invalid; ``problems`` says what was ignored.
    """
    problems: list[str] = []
    start, end = params.get("start", FIRST_MONTH), params.get("end", LAST_MONTH)
    try:
        make_period(start, end)
    except PeriodError as exc:
        problems.append(f"period ignored: {exc}")
        start, end = FIRST_MONTH, LAST_MONTH
    layers = DEFAULT_LAYERS
    if "layers" in params:
        asked = [x for x in params["layers"].split(",") if x]
        known = tuple(x for x in TOGGLES if x in asked and x != CONTEXT)
        problems.extend(f"unknown layer ignored: {x}" for x in asked if x not in TOGGLES)
        if known or not asked:
            layers = (*known, CONTEXT)
        else:
            problems.append("no known layer in the link: showing the default layers")
    if params.get(CONTEXT) == "0":
        layers = tuple(x for x in layers if x != CONTEXT)
    types = None
    if "types" in params:
        types = tuple(x for x in params["types"].split(",") if x)
    basemap = Basemap.OFFLINE
    if "basemap" in params:
        try:
            basemap = Basemap(params["basemap"])
        except ValueError:
            problems.append(f"unknown basemap ignored: {params['basemap']}")
    return ViewState(start, end, layers, types, basemap, tuple(problems))


def state_to_query(state: ViewState, *, all_types: Sequence[str]) -> dict[str, str]:
    """Write a view as query parameters, leaving out what equals the default.

    Parameters
    ----------
    state
        The view.
    all_types
        Every event type offered: a filter keeping all of them is not written.
    """
    query: dict[str, str] = {}
    if (state.start, state.end) != (FIRST_MONTH, LAST_MONTH):
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
    return query


def play_step(start: str, end: str) -> tuple[str, str] | None:
    """Move a window of months one month later, keeping its length.

    Returns
    -------
    tuple or None
        The next ``(start, end)``, or ``None`` when the window already ends at the last month.
    """
    months = month_range(FIRST_MONTH, LAST_MONTH)
    i, j = months.index(start), months.index(end)
    if j + 1 >= len(months):
        return None
    return months[i + 1], months[j + 1]


def play_start(start: str, end: str, *, window: int = 3) -> tuple[str, str]:
    """The first window of a play: from the chosen start, at most ``window`` months long."""
    months = month_range(FIRST_MONTH, LAST_MONTH)
    i = months.index(start)
    j = min(months.index(end), i + window - 1)
    if j + 1 >= len(months):
        i, j = 0, window - 1
    return months[i], months[j]
