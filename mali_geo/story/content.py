"""Load the story from ``geodata/story/``: the chapters and the claims they check.

A chapter is a Markdown file ``NN-<id>.md`` in ``chapters/`` (``NN`` sets the order) with TOML
front matter between ``+++`` lines: ``id``, ``title``, ``start``, ``end``, ``layers``,
``center`` (lat, lon), ``zoom``, ``highlight``, ``checks`` (claim ids) and a ``[quote]`` table
(``text``, ``section``). The body is the chapter's text; lines of a paragraph are joined with
spaces, paragraphs with a blank line. The claims are in ``claims.toml`` (see its header).

Every problem raises :class:`~mali_geo.story.model.StoryContentError` naming the file and the
field, so a writer can fix it without reading Python.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mali_geo import config
from mali_geo.compare import parse_compare
from mali_geo.errors import PeriodError
from mali_geo.period import Period, make_period
from mali_geo.story import conflict, people
from mali_geo.story.checks import bind
from mali_geo.story.model import (
    BRIEFING,
    Chapter,
    Claim,
    ClaimKind,
    DatedEvent,
    StoryContentError,
)

STORY_DIR = config.GEODATA_DIR / "story"
CHAPTERS_DIR = STORY_DIR / "chapters"
CLAIMS_PATH = STORY_DIR / "claims.toml"
#: The modules whose functions register computed checks (importing them registers them).
CHECK_MODULES = (conflict, people)

_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)(.*)\Z", re.S)
_CHAPTER_FILE = re.compile(r"[0-9]{2}-([a-z0-9-]+)\.md")
_CHAPTER_KEYS = frozenset(
    {"id", "title", "start", "end", "layers", "center", "zoom", "highlight", "checks", "quote"}
    | {"compare"}
)
_CLAIM_KEYS = frozenset(
    {"kind", "summary", "claim", "claimed", "method", "thresholds", "events", "sources"}
)


def load_story(
    chapters_dir: str | Path = CHAPTERS_DIR, claims_path: str | Path = CLAIMS_PATH
) -> tuple[Chapter, ...]:
    """The chapters in file-name order, each with its checks bound to their claims.

    Raises
    ------
    StoryContentError
        If a file is missing or malformed, a chapter names an unknown claim, or two chapters
        share an id.
    """
    claims = load_claims(claims_path)
    paths = sorted(Path(chapters_dir).glob("*.md"))
    if not paths:
        msg = f"{chapters_dir}: no chapter files (NN-<id>.md)"
        raise StoryContentError(msg)
    chapters = tuple(load_chapter(path, claims) for path in paths)
    ids = [ch.id for ch in chapters]
    if len(set(ids)) != len(ids):
        msg = f"{chapters_dir}: chapter ids are not unique: {', '.join(ids)}"
        raise StoryContentError(msg)
    return chapters


def load_claims(path: str | Path = CLAIMS_PATH) -> dict[str, Claim]:
    """The claims of ``claims.toml`` by id.

    Raises
    ------
    StoryContentError
        If the file is missing, is not TOML, or a claim lacks a field or has a bad one.
    """
    where = str(path)
    data = _read_toml(Path(path))
    tables = data.get("claims")
    if not isinstance(tables, dict) or not tables:
        msg = f"{where}: no [claims.<id>] tables"
        raise StoryContentError(msg)
    defaults = data.get("defaults", {})
    dated_method = _str(defaults, "dated_method", f"{where}: [defaults]")
    return {
        claim_id: _claim(claim_id, table, where=where, dated_method=dated_method)
        for claim_id, table in tables.items()
    }


def load_chapter(path: str | Path, claims: Mapping[str, Claim]) -> Chapter:
    """One chapter file, its checks bound to ``claims``.

    Raises
    ------
    StoryContentError
        If the file is malformed or a field is missing, of the wrong type or refers to an
        unknown claim.
    """
    path = Path(path)
    name = _CHAPTER_FILE.fullmatch(path.name)
    if name is None:
        msg = f"{path}: a chapter file is named NN-<id>.md (e.g. 05-myth-4.md)"
        raise StoryContentError(msg)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        msg = f"{path}: cannot be read ({err})"
        raise StoryContentError(msg) from err
    match = _FRONT_MATTER.match(source)
    if match is None:
        msg = f"{path}: the file must start with TOML front matter between '+++' lines"
        raise StoryContentError(msg)
    try:
        front = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as err:
        msg = f"{path}: front matter is not valid TOML ({err})"
        raise StoryContentError(msg) from err
    return _chapter(
        front, _paragraphs(match.group(2)), where=str(path), stem=name.group(1), claims=claims
    )


# --- helpers ----------------------------------------------------------------------------------


def _chapter(
    front: dict[str, Any], text: str, *, where: str, stem: str, claims: Mapping[str, Claim]
) -> Chapter:
    _no_unknown_keys(front, _CHAPTER_KEYS, where)
    chapter_id = _str(front, "id", where)
    if chapter_id != stem:
        msg = f"{where}: id {chapter_id!r} does not match the file name (…-{stem}.md)"
        raise StoryContentError(msg)
    start, end = _str(front, "start", where), _str(front, "end", where)
    try:
        make_period(start, end)
    except PeriodError as err:
        msg = f"{where}: start/end: {err}"
        raise StoryContentError(msg) from err
    center = _numbers(front, "center", where)
    if len(center) != 2:
        msg = f"{where}: center must be [lat, lon]"
        raise StoryContentError(msg)
    quote = front.get("quote")
    if not isinstance(quote, dict):
        msg = f"{where}: missing [quote] table (text, section)"
        raise StoryContentError(msg)
    if not text:
        msg = f"{where}: the chapter has no text after the front matter"
        raise StoryContentError(msg)
    check_ids = _strs(front, "checks", where)
    unknown = [c for c in check_ids if c not in claims]
    if unknown:
        msg = f"{where}: checks: unknown claim id(s) {', '.join(unknown)} (see claims.toml)"
        raise StoryContentError(msg)
    return Chapter(
        id=chapter_id,
        title=_str(front, "title", where),
        start=start,
        end=end,
        layers=_strs(front, "layers", where),
        center=(center[0], center[1]),
        zoom=_number(front, "zoom", where),
        highlight=_strs(front, "highlight", where),
        text=text,
        quote=_str(quote, "text", f"{where}: [quote]"),
        quote_ref=f"{BRIEFING}, section '{_str(quote, 'section', f'{where}: [quote]')}'",
        checks=tuple(bind(claims[c]) for c in check_ids),
        compare=_compare(front, where),
    )


def _compare(front: Mapping[str, Any], where: str) -> tuple[Period, Period] | None:
    """The optional ``compare = "2012-04..2012-12,2013-01..2013-04"`` of a chapter."""
    if "compare" not in front:
        return None
    try:
        return parse_compare(_str(front, "compare", where))
    except PeriodError as err:
        msg = f"{where}: compare: {err}"
        raise StoryContentError(msg) from err


def _claim(claim_id: str, table: object, *, where: str, dated_method: str) -> Claim:
    here = f"{where}: [claims.{claim_id}]"
    if not isinstance(table, dict):
        msg = f"{here} must be a table"
        raise StoryContentError(msg)
    _no_unknown_keys(table, _CLAIM_KEYS, here)
    kind_text = table.get("kind", ClaimKind.COMPUTED.value)
    if kind_text not in {k.value for k in ClaimKind}:
        msg = f"{here}: kind must be one of {', '.join(k.value for k in ClaimKind)}"
        raise StoryContentError(msg)
    kind = ClaimKind(kind_text)
    events = tuple(_event(e, here) for e in table.get("events", []))
    if (kind is ClaimKind.DATED) != bool(events):
        msg = f"{here}: events are required for kind 'dated' and only for it"
        raise StoryContentError(msg)
    sources = _strs(table, "sources", here) if "sources" in table else ()
    if kind is ClaimKind.AS_STATED and not sources:
        msg = f"{here}: sources are required for kind 'as_stated'"
        raise StoryContentError(msg)
    method = dated_method if kind is ClaimKind.DATED and "method" not in table else None
    claim = Claim(
        id=claim_id,
        summary=_str(table, "summary", here),
        claim=_str(table, "claim", here),
        claimed=_str(table, "claimed", here),
        method=method or _str(table, "method", here),
        kind=kind,
        thresholds=_thresholds(table.get("thresholds", {}), here),
        events=events,
        sources=sources,
        source_file=where,
    )
    _check_template(claim, here)
    return claim


def _check_template(claim: Claim, where: str) -> None:
    """The method template parses, and its thresholds fill the fields they name."""
    try:
        fields = claim.method_fields()
    except ValueError as err:
        msg = f"{where}: method is not a valid template ({err})"
        raise StoryContentError(msg) from err
    # Fields the code fills at run time get a stand-in number; a bad threshold field raises.
    claim.method_text(**{f: 0 for f in fields if f not in claim.thresholds})


def _event(item: object, where: str) -> DatedEvent:
    if not isinstance(item, dict):
        msg = f"{where}: each event is {{ pattern = ..., date = ... }}"
        raise StoryContentError(msg)
    date = _str(item, "date", f"{where}: events")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?", date):
        msg = f"{where}: events: date {date!r} is not YYYY-MM or YYYY-MM-DD"
        raise StoryContentError(msg)
    return DatedEvent(pattern=_str(item, "pattern", f"{where}: events"), date=date)


def _thresholds(table: object, where: str) -> dict[str, float | str]:
    if not isinstance(table, dict):
        msg = f"{where}: thresholds must be a table"
        raise StoryContentError(msg)
    out: dict[str, float | str] = {}
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            msg = f"{where}: thresholds.{key} must be a number or a string, got {value!r}"
            raise StoryContentError(msg)
        out[key] = value
    return out


def _paragraphs(body: str) -> str:
    """The body as text: the lines of a paragraph joined by spaces, paragraphs by a blank line."""
    blocks = re.split(r"\n[ \t]*\n", body.strip())
    return "\n\n".join(" ".join(line.strip() for line in b.splitlines()) for b in blocks if b)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as err:
        msg = f"{path}: cannot be read ({err})"
        raise StoryContentError(msg) from err
    except tomllib.TOMLDecodeError as err:
        msg = f"{path}: not valid TOML ({err})"
        raise StoryContentError(msg) from err


def _no_unknown_keys(table: Mapping[str, object], known: frozenset[str], where: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        msg = f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        raise StoryContentError(msg)


def _str(table: Mapping[str, object], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        msg = f"{where}: {key} must be a non-empty string"
        raise StoryContentError(msg)
    return value


def _strs(table: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        msg = f"{where}: {key} must be a non-empty list of strings"
        raise StoryContentError(msg)
    return tuple(str(v) for v in value)


def _number(table: Mapping[str, object], key: str, where: str) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{where}: {key} must be a number"
        raise StoryContentError(msg)
    return value


def _numbers(table: Mapping[str, object], key: str, where: str) -> tuple[float, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    ):
        msg = f"{where}: {key} must be a list of numbers"
        raise StoryContentError(msg)
    return tuple(float(v) for v in value)
