"""The page's state between reruns, typed, and its URL form.

:class:`PageState` wraps the session state (``st.session_state``, or any mutable mapping in
tests) and is the only code that reads or writes its keys. Widgets are bound to the same keys
(``mode``, ``layer_<name>``, ``event_types``, ``basemap``, ``import_mode``, ``phase``), so the
key names live here too. The URL form of a view is :mod:`mali_geo.view`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from layers.charts import brushed_period
from mali_geo.actors import GROUP_ORDER
from mali_geo.config import DEFAULT_REGION_DENSITY, FIRST_MONTH, LAST_MONTH, REGION_DENSITIES
from mali_geo.dataset import ImportMode
from mali_geo.period import Period
from mali_geo.view import (
    PHASES,
    TOGGLES,
    Basemap,
    ViewState,
    play_start,
    play_step,
    state_from_query,
    state_to_query,
)

if TYPE_CHECKING:
    from streamlit.runtime.uploaded_file_manager import UploadedFile

    from ui.data import ImportSource

BASEMAPS: tuple[str, ...] = tuple(b.value for b in Basemap)


class Mode(StrEnum):
    """Explore the map freely, or follow the story's chapters."""

    EXPLORE = "Explore"
    STORY = "Story"


class Chapter(Protocol):
    """What the state needs of a story chapter (see :mod:`mali_geo.story`)."""

    @property
    def id(self) -> str:
        """The chapter's id in URLs."""

    @property
    def start(self) -> str:
        """Its first month."""

    @property
    def end(self) -> str:
        """Its last month."""

    @property
    def layers(self) -> Sequence[str]:
        """The layers it shows."""

    @property
    def compare(self) -> tuple[Period, Period] | None:
        """The periods it compares, if any."""


@dataclass(frozen=True)
class PageState:
    """Typed access to the page's session state.

    Parameters
    ----------
    store
        ``st.session_state`` in the app (its keys may be strings or ints); a dict in tests.
    """

    store: MutableMapping[str | int, Any]

    # --- what the page shows ------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        """Explore or story mode (a chapter must be open for the story to show)."""
        return Mode(self.store.get("mode") or Mode.EXPLORE)

    @property
    def in_story(self) -> bool:
        """Whether the page shows a story chapter."""
        return self.mode is Mode.STORY and self.chapter is not None

    @property
    def chapter(self) -> str | None:
        """The id of the open (or last opened) story chapter."""
        chapter = self.store.get("chapter")
        return None if chapter is None else str(chapter)

    @property
    def months(self) -> tuple[str, str]:
        """The first and last month the timeline offers (the active data's range)."""
        first, last = self.store.get("months", (FIRST_MONTH, LAST_MONTH))
        return str(first), str(last)

    @property
    def period(self) -> tuple[str, str]:
        """The first and last month shown."""
        start, end = self.store.get("period", self.months)
        return str(start), str(end)

    def choose_period(self, period: tuple[str, str]) -> None:
        """A period chosen on the slider (the slider itself is not redrawn)."""
        self.store["period"] = tuple(period)

    @property
    def period_widget_key(self) -> str:
        """The slider's key: it changes whenever code sets the period, so it is redrawn."""
        return f"period_{self.store.get('period_version', 0)}"

    @property
    def playing(self) -> bool:
        """Whether the period steps through the months."""
        return bool(self.store.get("playing", False))

    @property
    def event_types(self) -> list[str]:
        """The event types chosen."""
        return list(self.store.get("event_types", []))

    @property
    def basemap(self) -> Basemap:
        """The tiles under the map."""
        return Basemap(self.store.get("basemap", Basemap.OFFLINE))

    @property
    def density(self) -> str:
        """How regions are shaded: a key of :data:`mali_geo.config.REGION_DENSITIES`."""
        density = str(self.store.get("density") or DEFAULT_REGION_DENSITY)
        return density if density in REGION_DENSITIES else DEFAULT_REGION_DENSITY

    def control_changes(self) -> int:
        """How many times the controls changed what is shown (counted once per run).

        The page closes the controls drawer on a phone when this count moves.
        """
        shown = (self.mode, self.chapter, self.period, self.shown_layers(), self.event_types)
        snapshot = (*shown, self.basemap, self.density)
        if self.store.get("controls_snapshot", snapshot) != snapshot:
            self.store["control_changes"] = int(self.store.get("control_changes", 0)) + 1
        self.store["controls_snapshot"] = snapshot
        return int(self.store.get("control_changes", 0))

    @property
    def import_mode(self) -> ImportMode:
        """Whether imported incidents are added to the shipped ones or replace them."""
        return ImportMode(self.store.get("import_mode", ImportMode.ADD))

    @property
    def upload(self) -> UploadedFile | None:
        """The file the visitor uploaded, if any."""
        upload: UploadedFile | None = self.store.get("upload")
        return upload

    @property
    def last_import(self) -> ImportSource | None:
        """The import shown last, kept to fall back on when the next one fails."""
        src: ImportSource | None = self.store.get("last_import")
        return src

    @property
    def url_problems(self) -> list[str]:
        """What the shared link held that was ignored."""
        return list(self.store.get("url_problems", []))

    @staticmethod
    def layer_key(name: str) -> str:
        """The key of a layer's toggle."""
        return f"layer_{name}"

    def shown_layers(self) -> tuple[str, ...]:
        """The layers switched on, in the order of the toggles."""
        return tuple(n for n in TOGGLES if self.store.get(self.layer_key(n)))

    @property
    def actors(self) -> list[str]:
        """The actor groups chosen (ids of :data:`mali_geo.actors.GROUP_ORDER`)."""
        return list(self.store.get("actors", GROUP_ORDER))

    @property
    def compare(self) -> tuple[Period, Period] | None:
        """Periods A and B while compare mode is on, else None."""
        if not self.store.get("compare_on"):
            return None
        a = self.store.get("compare_a", self.period)
        b = self.store.get("compare_b", self.period)
        return Period(str(a[0]), str(a[1])), Period(str(b[0]), str(b[1]))

    def compare_range(self, side: str) -> tuple[str, str]:
        """Period ``"a"`` or ``"b"`` of compare mode (the period shown until one is chosen)."""
        start, end = self.store.get(f"compare_{side}", self.period)
        return str(start), str(end)

    def choose_compare(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        """The periods chosen on the compare sliders."""
        self.store.update(compare_a=tuple(a), compare_b=tuple(b))

    def view(self, all_types: Sequence[str]) -> ViewState:
        """The view the controls describe (``event_types`` None when all are chosen)."""
        types = self.event_types
        filtered = None if set(types) == set(all_types) else tuple(types)
        chosen = self.actors
        actors = None if set(GROUP_ORDER) <= set(chosen) else tuple(chosen)
        start, end = self.period
        layers, basemap = self.shown_layers(), self.basemap
        return ViewState(
            start,
            end,
            layers,
            filtered,
            basemap,
            actors=actors,
            compare=self.compare,
            density=self.density,
        )

    def query(self, all_types: Sequence[str]) -> dict[str, str]:
        """The URL query of the page: the open chapter in story mode, else the view."""
        if self.in_story:
            return {"chapter": str(self.chapter)}
        first, last = self.months
        return state_to_query(self.view(all_types), all_types=all_types, first=first, last=last)

    # --- changes ------------------------------------------------------------------------

    def open_from_url(self, params: Mapping[str, str], type_labels: Mapping[str, str]) -> bool:
        """On a session's first run, take the view from the URL.

        Parameters
        ----------
        params
            The query parameters.
        type_labels
            The event types offered, id -> label (the URL may name either).

        Returns
        -------
        bool
            True on the first run (the caller then opens a chapter named in the URL).
        """
        if "initialised" in self.store:
            return False
        first, last = self.months
        state = state_from_query(params, first=first, last=last, type_labels=type_labels)
        self.store.update(initialised=True, playing=False, url_problems=list(state.problems))
        self.set_period((state.start, state.end))
        self.store.update(basemap=state.basemap.value, mode=Mode.EXPLORE.value)
        self.store["density"] = state.density
        self._show_layers(state.layers)
        all_types = list(type_labels)
        chosen = all_types if state.event_types is None else state.event_types
        self.store["event_types"] = [t for t in all_types if t in chosen]
        self._open_tools(state)
        return True

    def follow_data(
        self, key: str, months: tuple[str, str], all_types: Sequence[str], span: tuple[str, str]
    ) -> None:
        """Keep the timeline and filters on the active data.

        Called on every run before the controls are drawn. The timeline offers ``months``.
        When the data changed (an import, a replacement), the period becomes ``span`` (what
        was imported) and every event type present is chosen, so nothing accepted is hidden.

        Parameters
        ----------
        key
            Identifies the active data (:attr:`Dataset.incidents_key`).
        months
            The first and last month of the active data's timeline.
        all_types
            The event types present.
        span
            The period to show after a change of data.
        """
        self.store["months"] = tuple(months)
        if self.store.get("data_key", key) != key:
            self.store.update(playing=False, mode=Mode.EXPLORE.value, event_types=list(all_types))
            self.store.pop("saved_view", None)
            self.set_period(span)
        self.store["data_key"] = key

    def remember_import(self, source: ImportSource | None, error: str | None) -> None:
        """Keep the import shown (a failed import keeps the one before)."""
        if error is None:
            self.store["last_import"] = source

    def report(self, problem: str) -> None:
        """Add a problem with the shared link."""
        self.store["url_problems"] = [*self.url_problems, problem]

    def set_period(self, period: tuple[str, str]) -> None:
        """Set the period from code (not from the slider): the slider is redrawn with it."""
        self.store["period"] = tuple(period)
        self.store["period_version"] = self.store.get("period_version", 0) + 1

    def open_chapter(self, chapter: Chapter) -> None:
        """Open a story chapter: its period and layers."""
        self.store.update(mode=Mode.STORY.value, chapter=chapter.id, playing=False)
        self.set_period((chapter.start, chapter.end))
        self._show_layers(chapter.layers)
        self._set_compare(chapter.compare)

    def apply_phase(self) -> None:
        """Set the period to the phase chosen in the presets (a cleared box changes nothing)."""
        phase = self.store.get("phase")
        if phase not in PHASES:
            return
        self.leave_story()
        self.set_period(PHASES[phase])
        self.store["playing"] = False

    def sync_phase(self) -> None:
        """Clear the phase box once the period is no longer that phase (before it is drawn).

        So the box names a phase only while it is shown, and picking it again works.
        """
        if PHASES.get(self.store.get("phase") or "") != self.period:
            self.store["phase"] = None

    #: The monthly chart's key: its selection (a brushed span of months) sets the period.
    CHART_KEY = "monthly_chart"

    def apply_brush(self) -> None:
        """Callback of the monthly chart: a span of months brushed becomes the period."""
        first, last = self.months
        period = brushed_period(self.store.get(self.CHART_KEY), first=first, last=last)
        if period is None or period == self.period:
            return
        self.leave_story()
        self.set_period(period)
        self.store["playing"] = False

    def toggle_play(self) -> None:
        """Start or stop stepping a window through the months."""
        self.store["playing"] = not self.playing
        if self.playing:
            first, last = self.months
            self.set_period(play_start(*self.period, first=first, last=last))
            # The step clock starts when the first window has been drawn (see step_due), so
            # a slow run cannot skip it.
            self.store.pop("last_step", None)

    def step_due(self, now: float, interval: float) -> bool:
        """Whether a play step is due; if so, queue the next window for the next run.

        A step counts only after most of ``interval`` has passed since the window was drawn,
        so a redraw does not trigger the next step at once, however long the run took.
        """
        if "last_step" not in self.store:  # the first window, just drawn
            self.store["last_step"] = now
            return False
        if now - float(self.store["last_step"]) < interval * 0.9:
            return False
        self.store["last_step"] = now
        first, last = self.months
        self.store["next_period"] = play_step(*self.period, first=first, last=last)
        return True

    def take_step(self) -> None:
        """Apply a queued play step (at the end of the months, stop playing)."""
        if "next_period" not in self.store:
            return
        step = self.store.pop("next_period")
        self.set_period(step or self.period)
        self.store["playing"] = bool(step)

    def leave_story(self) -> None:
        """Changing a control during the story leaves it, keeping the view."""
        self.store.pop("saved_view", None)
        if self.mode is Mode.STORY:
            self.store["mode"] = Mode.EXPLORE.value

    def entering_story(self) -> bool:
        """After the mode control changed: whether the story is entered (a chapter to open).

        Entering keeps the view the user explored; going back to Explore with the mode
        control restores it (*Explore here* and other controls keep the chapter's view).
        """
        if self.store.get("mode") is None:  # a click on the chosen segment clears it
            self.store["mode"] = Mode.EXPLORE.value
        if self.mode is Mode.STORY:  # keep the explored view, to return to it
            self.store["saved_view"] = {
                "period": self.period,
                "layers": self.shown_layers(),
                "event_types": self.event_types,
            }
            return True
        saved = self.store.pop("saved_view", None)
        if saved:  # back from the story: the view the user had explored
            self.set_period(saved["period"])
            self._show_layers(saved["layers"])
            self.store["event_types"] = list(saved["event_types"])
        return False

    def _open_tools(self, state: ViewState) -> None:
        """The analyst tools of a URL: actor groups and the compared periods."""
        groups = GROUP_ORDER if state.actors is None else state.actors
        self.store["actors"] = [g for g in GROUP_ORDER if g in groups]
        self._set_compare(state.compare)

    def _set_compare(self, compare: tuple[Period, Period] | None) -> None:
        """Set compare mode from code: its sliders are redrawn with the periods."""
        self.store["compare_on"] = compare is not None
        if compare is not None:
            a, b = compare
            self.store.update(compare_a=(a.start, a.end), compare_b=(b.start, b.end))
            self.store["compare_version"] = self.store.get("compare_version", 0) + 1

    @property
    def compare_widget_version(self) -> int:
        """Part of the compare sliders' keys: it changes whenever code sets the periods."""
        return int(self.store.get("compare_version", 0))

    def _show_layers(self, layers: Sequence[str]) -> None:
        for name in TOGGLES:
            self.store[self.layer_key(name)] = name in layers
