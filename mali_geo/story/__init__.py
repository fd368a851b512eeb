"""Story mode: the January 2014 briefing's argument, chapter by chapter, checked against the data.

The story is data: each chapter (map period, layers, view, highlighted places, text, quotation)
is a file in ``geodata/story/chapters/`` and each claim (its words, the briefing's figure, the
thresholds of its verdict, its method) a table in ``geodata/story/claims.toml``. The code
computes: :mod:`~mali_geo.story.checks` holds the registry of computed checks, filled by
:mod:`~mali_geo.story.conflict` and :mod:`~mali_geo.story.people`; :mod:`~mali_geo.story.content`
loads and validates the files.

Nothing here hard-codes a computed figure: the only numbers are the briefing's own, the
thresholds in the claims file, and the corroboration found for claims no file here can check.
"""

from __future__ import annotations

from mali_geo.story.chapters import (
    CHAPTERS,
    chapter,
    check,
    highlight_points,
    neighbours,
    run_checks,
)
from mali_geo.story.content import load_chapter, load_claims, load_story
from mali_geo.story.figures import (
    ARMED_GROUPS,
    ATTACK_TYPES,
    OCCUPIERS,
    TOWNS_HIT_2013,
    bases_lost,
    census,
    distance_km,
    incidents_in_year,
    january_2013_front,
    mnla_maa_clashes,
    occupier_counts,
    place_point,
    population_north_and_rest,
    recapture_dates,
    town_incidents_2013,
)
from mali_geo.story.model import (
    BRIEFING,
    NO_DATA,
    VERDICTS,
    Chapter,
    Check,
    CheckResult,
    Claim,
    ClaimKind,
    StoryContentError,
    Verdict,
)
from mali_geo.story.people import (
    displaced_options,
    national_idps,
    refugees_at,
    returns_by_early_2014,
)

#: The result of a data check (the name the app has used since story mode began).
DataCheck = CheckResult

__all__ = [
    "ARMED_GROUPS",
    "ATTACK_TYPES",
    "BRIEFING",
    "CHAPTERS",
    "NO_DATA",
    "OCCUPIERS",
    "TOWNS_HIT_2013",
    "VERDICTS",
    "Chapter",
    "Check",
    "CheckResult",
    "Claim",
    "ClaimKind",
    "DataCheck",
    "StoryContentError",
    "Verdict",
    "bases_lost",
    "census",
    "chapter",
    "check",
    "displaced_options",
    "distance_km",
    "highlight_points",
    "incidents_in_year",
    "january_2013_front",
    "load_chapter",
    "load_claims",
    "load_story",
    "mnla_maa_clashes",
    "national_idps",
    "neighbours",
    "occupier_counts",
    "place_point",
    "population_north_and_rest",
    "recapture_dates",
    "refugees_at",
    "returns_by_early_2014",
    "run_checks",
    "town_incidents_2013",
]
