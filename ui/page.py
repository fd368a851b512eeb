"""The page's frame: the styles that put the map first, and two small browser scripts.

The map is sized to the window with CSS (its iframe, and the Leaflet container inside it,
see :data:`ui.cached_map.FILL_FRAME_CSS`), the headline figures sit in one compact row of
fixed height, and in a story the map stays in view beside the scrolling chapter (on a phone:
map on top, text below). The scripts close the controls drawer after a change on narrow
screens, and turn the story's previous / next buttons into the ← and → keys.
"""

from __future__ import annotations

import streamlit as st

#: Below this width (px) Streamlit's sidebar is a drawer over the page.
NARROW_PX = 768
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

PAGE_CSS = f"""
<style>
[data-testid="stMainBlockContainer"] {{ padding-top: 3.75rem; padding-bottom: 2rem; }}
.st-key-page_title h1 {{ font-size: 1.55rem; padding: 0; }}
.st-key-headline [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; gap: 0.25rem 1rem; }}
.st-key-headline [data-testid="stColumn"] {{ flex: 1 1 150px; min-width: 150px; }}
.st-key-headline [data-testid="stMetricValue"] {{ font-size: 1.45rem; line-height: 1.2; }}
.st-key-headline [data-testid="stCaptionContainer"] {{
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; height: 1.3rem; }}
.st-key-headline [data-testid="stCaptionContainer"] p {{
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
{MAP_FRAME} {{ height: clamp(360px, calc(100vh - 240px), 1400px) !important; }}
.st-key-story_layout {MAP_FRAME} {{ height: clamp(360px, calc(100vh - 110px), 1400px) !important; }}
.st-key-story_layout [data-testid="stColumn"]:has({MAP_FRAME}) {{
  position: sticky; top: 3.75rem; align-self: flex-start; }}
:has(> .st-key-story_nav) {{ position: sticky; top: 3.75rem; z-index: 5; }}
.st-key-story_nav {{ background: white; padding: 0.25rem 0; }}
@media (max-width: 640px) {{
  .st-key-headline [data-testid="stColumn"] {{ flex: 1 1 40%; min-width: 40%; }}
  .st-key-headline [data-testid="stMetricValue"] {{ font-size: 1.2rem; }}
  .st-key-page_title h1 {{ font-size: 1.25rem; }}
  .st-key-story_layout [data-testid="stHorizontalBlock"]:has({MAP_FRAME}) {{
    flex-direction: column-reverse; }}
  .st-key-story_nav [data-testid="stHorizontalBlock"] {{ flex-wrap: nowrap; gap: 0.4rem; }}
  .st-key-story_nav [data-testid="stColumn"] {{ min-width: 0; flex: 1 1 0; }}
  .st-key-story_nav button {{ padding: 0.25rem 0.4rem; }}
  .st-key-story_layout [data-testid="stColumn"]:has({MAP_FRAME}) {{ position: static; }}
  .st-key-story_layout {MAP_FRAME} {{ height: 55vh !important; }}
  :has(> .st-key-story_nav) {{ top: 3.2rem; }}
}}
[class*="st-key-page_script_"] {{ display: none; }}
</style>
"""

_CLOSE_DRAWER_JS = """
<script>
// Change {nonce}: on a narrow screen the sidebar covers the page, so close it to show the map.
const doc = window.parent.document;
if (window.parent.innerWidth < {narrow}) {{
  const side = doc.querySelector('[data-testid="stSidebar"]');
  const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (side && side.getAttribute("data-collapsed") === "false" && button) {{ button.click(); }}
}}
</script>
"""

_STORY_KEYS_JS = """
<script>
// The story's ← and → keys click its previous / next buttons (not while typing or on a slider).
const win = window.parent;
if (win.maliStoryKeys) { win.document.removeEventListener("keydown", win.maliStoryKeys); }
win.maliStoryKeys = function (e) {
  const t = e.target;
  if (e.altKey || e.ctrlKey || e.metaKey || !t) { return; }
  if (t.closest && t.closest('input, textarea, select, [role="slider"], [contenteditable]')) {
    return;
  }
  const key = {ArrowLeft: "story_prev", ArrowRight: "story_next"}[e.key];
  const button = key && win.document.querySelector(".st-key-" + key + " button");
  if (button && !button.disabled) { e.preventDefault(); button.click(); }
};
win.document.addEventListener("keydown", win.maliStoryKeys);
</script>
"""


def page_style() -> None:
    """The page's styles (they take no space on the page)."""
    st.html(PAGE_CSS)


def close_drawer_on_narrow(change: int) -> None:
    """Close the controls drawer on a narrow screen; runs again whenever ``change`` changes.

    Parameters
    ----------
    change
        Counts the changes made with the controls (:meth:`ui.state.PageState.control_changes`).
    """
    _script("drawer", _CLOSE_DRAWER_JS.format(nonce=change, narrow=NARROW_PX))


def story_keys() -> None:
    """Let the ← and → keys walk the story (the listener is installed once per chapter)."""
    _script("story_keys", _STORY_KEYS_JS)


def _script(name: str, html: str) -> None:
    """Run a script of ours in a hidden frame (it reaches the page through ``window.parent``)."""
    with st.container(key=f"page_script_{name}"):
        st.iframe(html, height=1)
