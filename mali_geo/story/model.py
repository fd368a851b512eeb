"""The story's types: verdicts, claims, bound checks, their results and chapters.

Nothing here reads a file or the data: :mod:`mali_geo.story.content` builds these objects from
``geodata/story/``, and the check functions in :mod:`mali_geo.story.checks` and its siblings
compute :class:`CheckResult` objects from them.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from mali_geo.dataset import Dataset
from mali_geo.errors import DataError
from mali_geo.period import Period, make_period

#: The method text of every claim no file here can check starts with this sentence.
NO_DATA = "No data in this project can check this claim."
#: How a chapter's quotation is attributed.
BRIEFING = "Briefing, January 2014"


class Verdict(StrEnum):
    """What the data say about a claim; the values are what the app shows."""

    AGREES = "agrees"
    PARTLY_AGREES = "partly agrees"
    DIFFERS = "differs"
    AS_STATED = "as stated (not checkable here)"
    NO_DATA = "no data"


#: The verdicts a check can give, in the order of :class:`Verdict`.
VERDICTS: tuple[Verdict, ...] = tuple(Verdict)


class ClaimKind(StrEnum):
    """How a claim is checked: by a registered function, or from its data alone."""

    COMPUTED = "computed"
    DATED = "dated"
    NO_DATA = "no_data"
    AS_STATED = "as_stated"


class StoryContentError(DataError):
    """A story file (chapter or claims) is missing, malformed or refers to something unknown."""


@dataclass(frozen=True)
class DatedEvent:
    """A key event found by a text it contains, and the date the briefing gives for it.

    ``date`` is ``YYYY-MM`` (same month agrees) or ``YYYY-MM-DD`` (same day agrees).
    """

    pattern: str
    date: str


@dataclass(frozen=True)
class Claim:
    """One of the briefing's claims, as written in ``geodata/story/claims.toml``.

    Attributes
    ----------
    id
        The check id, also the name of the function computing it (for ``computed`` claims).
    summary
        One line saying what is checked.
    claim
        The claim, short; verbatim parts in double quotes.
    claimed
        The briefing's figure, e.g. ``"90%"``.
    method
        How the figure is computed: a template whose ``{name}`` fields are filled from the
        thresholds and from figures computed at run time.
    kind
        How the claim is checked.
    thresholds
        Named numbers (or dates) that turn a comparison into a verdict.
    events
        For ``dated`` claims: the key events and the dates the briefing gives.
    sources
        For ``as_stated`` claims: the corroboration found.
    source_file
        The file the claim was read from, for error messages.
    """

    id: str
    summary: str
    claim: str
    claimed: str
    method: str
    kind: ClaimKind = ClaimKind.COMPUTED
    thresholds: Mapping[str, float | str] = field(default_factory=dict)
    events: tuple[DatedEvent, ...] = ()
    sources: tuple[str, ...] = ()
    source_file: str = ""

    def number(self, name: str) -> float:
        """A numeric threshold.

        Raises
        ------
        StoryContentError
            If the claim has no such threshold or it is not a number.
        """
        value = self.thresholds.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._threshold_error(name, "a number", value)
        return float(value)

    def text(self, name: str) -> str:
        """A threshold written as text (e.g. a date).

        Like :meth:`number`, raises :class:`StoryContentError` if the claim has no such
        threshold or it is not a string.
        """
        value = self.thresholds.get(name)
        if not isinstance(value, str):
            raise self._threshold_error(name, "a string", value)
        return value

    def method_text(self, **values: object) -> str:
        """The method with its fields filled: thresholds first, then the given run-time values.

        Raises
        ------
        StoryContentError
            If the template names a field that is neither a threshold nor given.
        """
        fields = {"no_data": NO_DATA, **self.thresholds, **values}
        try:
            return self.method.format_map(fields)
        except (KeyError, ValueError, IndexError) as err:
            msg = f"{self._where()}: method cannot be filled in ({err!r})"
            raise StoryContentError(msg) from err

    def method_fields(self) -> set[str]:
        """The names of the ``{fields}`` in the method template."""
        return {name for _, name, _, _ in string.Formatter().parse(self.method) if name}

    def _threshold_error(self, name: str, expected: str, value: object) -> StoryContentError:
        msg = f"{self._where()}: thresholds.{name} must be {expected}, got {value!r}"
        return StoryContentError(msg)

    def _where(self) -> str:
        return f"{self.source_file or 'claims'}, claim {self.id!r}"


@dataclass(frozen=True)
class CheckResult:
    """One of the briefing's claims next to what the project's data say about it.

    Attributes
    ----------
    claim
        The claim, short; verbatim parts in double quotes.
    claimed
        The briefing's figure, e.g. ``"90%"``.
    computed
        The figure from the data, formatted; ``None`` when no data here can speak to it.
    verdict
        One of :data:`VERDICTS`.
    method
        How the figure was computed (files, CRS, arithmetic, the verdict's thresholds).
    sources
        http(s) URLs of the data behind the computed figure (or of the corroboration).
    value
        The raw computed number, for tests; ``None`` if no data.
    """

    claim: str
    claimed: str
    computed: str | None
    verdict: Verdict
    method: str
    sources: tuple[str, ...]
    value: float | None = None


#: A function computing a claim's result from the data.
ComputeFn = Callable[[Dataset, Claim], CheckResult]


@dataclass(frozen=True, eq=False)
class Check:
    """A claim bound to the function that checks it; call it with a dataset."""

    claim: Claim
    compute: ComputeFn

    @property
    def id(self) -> str:
        """The claim's id."""
        return self.claim.id

    def __call__(self, dataset: Dataset) -> CheckResult:
        """Check the claim against a dataset."""
        return self.compute(dataset, self.claim)


@dataclass(frozen=True)
class Chapter:
    """One chapter of the story: the map view, the text and the data checks.

    Attributes
    ----------
    id
        Used in URLs (``?chapter=...``).
    title
        Shown as the chapter's heading.
    start, end
        The period shown (``YYYY-MM``).
    layers
        Visible layers, names from :data:`mali_geo.view.TOGGLES`.
    center, zoom
        The map view: (lat, lon) and Leaflet zoom.
    highlight
        Names from ``places.csv`` or ``bases.csv`` (base ``name``) to ring on the map.
    text
        The chapter in the project's own words.
    quote, quote_ref
        A short verbatim quotation from the briefing and where it is.
    checks
        The chapter's data checks, in order.
    compare
        Periods A and B the chapter compares (the app's compare mode), if any.
    """

    id: str
    title: str
    start: str
    end: str
    layers: tuple[str, ...]
    center: tuple[float, float]
    zoom: float
    highlight: tuple[str, ...]
    text: str
    quote: str
    quote_ref: str
    checks: tuple[Check, ...]
    compare: tuple[Period, Period] | None = None

    @property
    def period(self) -> Period:
        """The validated period of the chapter."""
        return make_period(self.start, self.end)
