"""Story mode: the briefing's chapters beside the map, with their data checks."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

import streamlit as st

from layers import legend
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
    """The current chapter: text, quotation, data checks, previous/next."""
    ch = story.chapter(state.chapter or story.CHAPTERS[0].id)
    ids = [c.id for c in story.CHAPTERS]
    prev_id, next_id = story.neighbours(ch.id)
    st.subheader(f"Story {ids.index(ch.id) + 1}/{len(ids)}: {ch.title}")
    st.markdown(ch.text)
    st.markdown(f"> {ch.quote}\n>\n> — *{ch.quote_ref}*")
    for check in chapter_checks(shipped, ch.id):
        with st.container(border=True):
            st.markdown(f"{legend.verdict_badge(check.verdict)} {check.claim}")
            left, right = st.columns(2)
            left.markdown(f"**Briefing:** {check.claimed}")
            right.markdown(f"**Data:** {check.computed or 'no figure: ' + story.NO_DATA}")
            st.caption(check.method)
            links = [f"[{_host(u)}]({u})" for u in check.sources]
            if len(links) <= MAX_INLINE_SOURCES:
                st.caption("Sources: " + " · ".join(links))
            else:
                with st.expander(f"{len(links)} sources"):
                    st.caption(" · ".join(links))
    cols = st.columns(3)
    cols[0].button(
        "← Previous",
        key="story_prev",
        disabled=prev_id is None,
        on_click=go_chapter,
        args=(prev_id,),
    )
    cols[1].button(
        "Next →", key="story_next", disabled=next_id is None, on_click=go_chapter, args=(next_id,)
    )
    cols[2].button(
        "Explore here",
        key="story_leave",
        on_click=state.leave_story,
    )
    return ch
