"""The story as data: chapter and claim files, their validation, and thresholds shared by code
and method text (mali_geo/story/content.py, model.py, checks.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mali_geo import story
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.story import content

PROJECT_DIR = Path(__file__).resolve().parent.parent
STORY_DIR = PROJECT_DIR / "geodata" / "story"
MAX_MODULE_LINES = 600


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture
def story_copy(tmp_path: Path) -> Path:
    """A writable copy of geodata/story."""
    return Path(shutil.copytree(STORY_DIR, tmp_path / "story"))


def _load(story_dir: Path) -> tuple[story.Chapter, ...]:
    return story.load_story(story_dir / "chapters", story_dir / "claims.toml")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- a writer edits files, not Python --------------------------------------------------------


def test_shipped_story_loads_from_its_files() -> None:
    loaded = _load(STORY_DIR)
    assert [(c.id, c.text, c.period) for c in loaded] == [
        (c.id, c.text, c.period) for c in story.CHAPTERS
    ]
    files = sorted((STORY_DIR / "chapters").glob("*.md"))
    assert [re.sub(r"^[0-9]{2}-", "", f.stem) for f in files] == [c.id for c in story.CHAPTERS]


def test_a_writer_changes_a_chapters_text_and_period(story_copy: Path) -> None:
    path = story_copy / "chapters" / "05-myth-4.md"
    _edit(path, 'end = "2013-01"', 'end = "2013-03"')
    _edit(path, "The January 2013 offensive is often told", "The offensive of early 2013 is told")
    edited = {c.id: c for c in _load(story_copy)}["myth-4"]
    shipped = story.chapter("myth-4")
    assert (edited.start, edited.end) == ("2013-01", "2013-03")
    assert edited.period != shipped.period
    assert edited.text.startswith("The offensive of early 2013 is told as a march on Bamako.")
    assert edited.text.removeprefix("The offensive of early 2013 is told") == (
        shipped.text.removeprefix("The January 2013 offensive is often told")
    )


def test_text_lines_join_into_paragraphs(story_copy: Path) -> None:
    path = story_copy / "chapters" / "10-policy.md"
    body = path.read_text(encoding="utf-8").split("+++\n")
    path.write_text("+++\n".join([*body[:-1], "\nFirst line\n  of one paragraph.\n\nSecond.\n"]))
    (policy,) = [c for c in _load(story_copy) if c.id == "policy"]
    assert policy.text == "First line of one paragraph.\n\nSecond."


def test_a_threshold_changes_the_verdict_and_the_method_together(
    story_copy: Path, dataset: Dataset
) -> None:
    shipped = story.check("mnla_maa_clashes_2013")(dataset)
    months = int(re.search(r"in ([0-9]+) months", shipped.computed or "").group(1))
    assert "at least 3 different months" in shipped.method
    _edit(
        story_copy / "claims.toml",
        "thresholds = { agrees_months = 3, partly_months = 2 }",
        f"thresholds = {{ agrees_months = {months + 1}, partly_months = {months + 1} }}",
    )
    (edited,) = [
        c for ch in _load(story_copy) for c in ch.checks if c.id == "mnla_maa_clashes_2013"
    ]
    result = edited(dataset)
    assert result.verdict == story.Verdict.DIFFERS
    assert f"at least {months + 1} different months" in result.method
    assert result.computed == shipped.computed


def test_every_threshold_is_quoted_in_its_method() -> None:
    for claim in story.load_claims().values():
        assert set(claim.thresholds) <= claim.method_fields(), claim.id


def test_every_claim_is_checked_by_a_chapter() -> None:
    used = {c.id for ch in story.CHAPTERS for c in ch.checks}
    assert used == set(story.load_claims())


def test_computed_claims_have_a_registered_function_and_data_claims_none() -> None:
    from mali_geo.story.checks import REGISTRY

    for claim in story.load_claims().values():
        assert (claim.id in REGISTRY) == (claim.kind is story.ClaimKind.COMPUTED), claim.id


def test_no_story_module_is_over_600_lines() -> None:
    for module in (PROJECT_DIR / "mali_geo" / "story").glob("*.py"):
        assert len(module.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES, module


# --- errors name the file and the field ------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('title = "Myth 4', 'titel = "Myth 4', r"05-myth-4\.md: unknown field\(s\) titel"),
        ('end = "2013-01"', 'end = "2012-01"', r"05-myth-4\.md: start/end"),
        ('checks = ["january_2013_distances"]', 'checks = ["jan"]', r"checks: unknown claim.*jan"),
        ("zoom = 7", 'zoom = "seven"', r"05-myth-4\.md: zoom must be a number"),
        ('id = "myth-4"', 'id = "myth-6"', r"id 'myth-6' does not match the file name"),
        ("[quote]", "[quote", r"05-myth-4\.md: front matter is not valid TOML"),
        ("section = ", "where = ", r"\[quote\]: unknown field\(s\) where|section must be"),
    ],
)
def test_chapter_errors_name_file_and_field(
    story_copy: Path, old: str, new: str, message: str
) -> None:
    _edit(story_copy / "chapters" / "05-myth-4.md", old, new)
    with pytest.raises(story.StoryContentError, match=message):
        _load(story_copy)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "dated"', 'kind = "dates"', r"\[claims\.serval_start\]: kind must be one of"),
        ('claimed = "recurrent"', "", r"\[claims\.mnla_maa_clashes_2013\]: claimed must be"),
    ],
)
def test_claim_errors_name_file_and_field(
    story_copy: Path, old: str, new: str, message: str
) -> None:
    _edit(story_copy / "claims.toml", old, new)
    with pytest.raises(story.StoryContentError, match=message):
        _load(story_copy)
    with pytest.raises(story.StoryContentError, match=r"claims\.toml"):
        _load(story_copy)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("agrees_months = 3", 'agrees_months = "3"', r"thresholds\.agrees_months must be a number"),
        ("{agrees_months} different", "{agrees_monhts} different", r"method cannot be filled"),
    ],
)
def test_threshold_errors_name_the_claim_when_it_is_checked(
    story_copy: Path, dataset: Dataset, old: str, new: str, message: str
) -> None:
    _edit(story_copy / "claims.toml", old, new)
    (check,) = [c for ch in _load(story_copy) for c in ch.checks if c.id == "mnla_maa_clashes_2013"]
    with pytest.raises(
        story.StoryContentError, match=r"claims\.toml, claim 'mnla_maa_clashes_2013'"
    ):
        check(dataset)
    with pytest.raises(story.StoryContentError, match=message):
        check(dataset)


def test_a_computed_claim_without_a_function_is_refused(story_copy: Path) -> None:
    _edit(story_copy / "claims.toml", "[claims.aqim_kidnappings]", "[claims.aqim_ransoms]")
    _edit(story_copy / "chapters" / "06-myth-5.md", '"aqim_kidnappings"', '"aqim_ransoms"')
    with pytest.raises(story.StoryContentError, match="'aqim_ransoms' is 'computed' but no check"):
        _load(story_copy)


def test_a_file_without_front_matter_is_refused(story_copy: Path) -> None:
    (story_copy / "chapters" / "11-extra.md").write_text("Just text.\n", encoding="utf-8")
    with pytest.raises(story.StoryContentError, match=r"11-extra\.md: .*front matter"):
        _load(story_copy)


def test_content_module_reads_geodata_story() -> None:
    assert content.CHAPTERS_DIR == STORY_DIR / "chapters"
    assert content.CLAIMS_PATH == STORY_DIR / "claims.toml"
