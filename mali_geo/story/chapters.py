"""The shipped story: its chapters in order, looking them up and walking them."""

from __future__ import annotations

import geopandas as gpd

from mali_geo import config
from mali_geo.dataset import Dataset
from mali_geo.story.content import load_story
from mali_geo.story.figures import place_point
from mali_geo.story.model import Chapter, Check, CheckResult

#: The chapters of ``geodata/story/chapters``, in story order.
CHAPTERS: tuple[Chapter, ...] = load_story()


def chapter(chapter_id: str) -> Chapter:
    """The chapter with this id.

    Raises
    ------
    KeyError
        If no chapter has this id; the message lists the valid ids.
    """
    for ch in CHAPTERS:
        if ch.id == chapter_id:
            return ch
    msg = f"unknown chapter {chapter_id!r}; choose from {', '.join(c.id for c in CHAPTERS)}"
    raise KeyError(msg)


def check(check_id: str) -> Check:
    """The check with this claim id, as bound in the chapters.

    Raises
    ------
    KeyError
        If no chapter has this check.
    """
    for ch in CHAPTERS:
        for bound in ch.checks:
            if bound.id == check_id:
                return bound
    msg = f"no chapter has the check {check_id!r}"
    raise KeyError(msg)


def run_checks(chapter: Chapter, dataset: Dataset) -> list[CheckResult]:
    """Compute every data check of a chapter, in order."""
    return [bound(dataset) for bound in chapter.checks]


def highlight_points(chapter: Chapter, dataset: Dataset) -> gpd.GeoDataFrame:
    """The chapter's highlighted places and bases as points.

    Returns
    -------
    geopandas.GeoDataFrame
        ``name`` and ``geometry`` (EPSG:4326), in the chapter's order; a base is drawn at its
        place's gazetteer coordinate.
    """
    points = [place_point(dataset, name) for name in chapter.highlight]
    return gpd.GeoDataFrame({"name": list(chapter.highlight)}, geometry=points, crs=config.WGS84)


def neighbours(chapter_id: str) -> tuple[str | None, str | None]:
    """The ids of the previous and next chapters (``None`` at either end)."""
    ids = [c.id for c in CHAPTERS]
    i = ids.index(chapter(chapter_id).id)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)
