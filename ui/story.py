"""Story mode: the briefing's chapters beside the map, with their data checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlparse

import streamlit as st

from layers import html, legend
from layers.incidents import EVENT_TYPES, event_label
from mali_geo import story
from mali_geo.dataset import Dataset
from ui.state import PageState

MAX_INLINE_SOURCES = 4


def _host(url: str) -> str:
    """The site of a source link, as its label."""
    return urlparse(url).netloc.removeprefix("www.") or url


@st.cache_data(show_spinner=False)
def chapter_checks(_shipped: Dataset, chapter_id: str) -> list[story.DataCheck]:
    """A chapter's data checks, computed once per server (always on the shipped data)."""
    return story.run_checks(story.chapter(chapter_id), _shipped)


def story_panel(
    shipped: Dataset, state: PageState, go_chapter: Callable[[str], None]
) -> story.Chapter:
    """The current chapter: navigation (kept in view), text, quotation and data checks."""
    ch = story.chapter(state.chapter or story.CHAPTERS[0].id)
    _navigation(ch, state, go_chapter)
    ids = [c.id for c in story.CHAPTERS]
    st.subheader(f"Story {ids.index(ch.id) + 1}/{len(ids)}: {ch.title}")
    st.markdown(ch.text)
    st.markdown(f"> {ch.quote}\n>\n> — *{ch.quote_ref}*")
    for check in chapter_checks(shipped, ch.id):
        with st.container(border=True):
            st.markdown(f"{legend.verdict_badge(check.verdict)} {plain(check.claim)}")
            left, right = st.columns(2)
            left.markdown(f"**Briefing:** {check.claimed}")
            computed = plain(check.computed) if check.computed else "no figure: " + story.NO_DATA
            right.markdown(f"**Data:** {computed}")
            st.caption(plain(check.method))
            links = [f"[{_host(u)}]({u})" for u in check.sources]
            if len(links) <= MAX_INLINE_SOURCES:
                st.caption("Sources: " + " · ".join(links))
            else:
                with st.expander(f"{len(links)} sources"):
                    st.caption(" · ".join(links))
    return ch


def plain(text: str) -> str:
    """Text for a reader: event-type ids as labels, "2 attack(s)" as "2 attacks", days in words."""
    text = _TYPE_ID.sub(lambda m: _in_sentence(event_label(m.group(0))), text)
    text = _DAY.sub(lambda m: html.day(m.group(0)), text)
    return _COUNTED.sub(lambda m: m.group(0)[:-3] + ("" if m.group(1) == "1" else "s"), text)


def _in_sentence(label: str) -> str:
    """A label inside a sentence: "Suicide attack" -> "suicide attack", "IED / landmine" kept."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


_TYPE_ID = re.compile(r"\b(" + "|".join(t for t in EVENT_TYPES if "_" in t) + r")\b")
_DAY = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")
_COUNTED = re.compile(r"\b([0-9][0-9,]*)\s+[A-Za-z]+\(s\)")


def _navigation(ch: story.Chapter, state: PageState, go_chapter: Callable[[str], None]) -> None:
    """Previous, the list of chapters, next and *Explore here*, in a bar that stays in view."""
    prev_id, next_id = story.neighbours(ch.id)
    titles = {c.id: f"{i}. {c.title}" for i, c in enumerate(story.CHAPTERS, start=1)}
    pick_key = f"story_list_{ch.id}"  # a new list per chapter, so it shows the open one

    def picked() -> None:
        go_chapter(str(st.session_state[pick_key]))

    with st.container(key="story_nav"):
        cols = st.columns(3)
        steps = (
            ("← Previous", "story_prev", prev_id, "Previous chapter (← key)"),
            ("Next →", "story_next", next_id, "Next chapter (→ key)"),
        )
        for col, (label, key, target, tip) in zip(cols, steps, strict=False):
            col.button(
                label,
                key=key,
                disabled=target is None,
                on_click=go_chapter,
                args=(target,),
                help=tip,
                width="stretch",
            )
        cols[2].button(
            "Explore here",
            key="story_leave",
            on_click=state.leave_story,
            help="Leave the story, keeping this chapter's view",
            width="stretch",
        )
        st.selectbox(
            "Chapter",
            list(titles),
            index=list(titles).index(ch.id),
            format_func=titles.__getitem__,
            key=pick_key,
            on_change=picked,
            label_visibility="collapsed",
        )
