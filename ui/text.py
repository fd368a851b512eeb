"""Echoed text shown as itself: never read as Markdown, HTML, links, images or directives.

Streamlit renders the text of ``st.warning``, ``st.error``, ``st.caption``, ``st.markdown`` and
of expander labels as Markdown. Values a visitor or a file supplies (URL parameters, file
names, column names, reasons) go through :func:`literal` before they are put into such text,
so ``[Session expired](https://evil.example)`` shows as those characters, not as a link, and
``![x](http://…)`` fetches nothing.
"""

from __future__ import annotations

import re
import string
from typing import Final

#: Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all
#: also stops bare-URL links (``https\:``), HTML (``\<``), maths (``\$``) and Streamlit's
#: ``:color[...]`` and ``:emoji:`` directives.
_PUNCTUATION: Final = re.compile("([" + re.escape(string.punctuation) + "])")
#: Line breaks and other control characters would start new Markdown blocks.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
#: Streamlit's Markdown turns bare ``http://``, ``www.`` and ``name@host`` text into links
#: after escapes are resolved, so escaping cannot stop it: an invisible word joiner inside
#: each such pattern does.
_AUTOLINK: Final = re.compile(r"(:)(?=//)|(www)(?=\.)|(@)", re.IGNORECASE)
WORD_JOINER: Final = "\u2060"


def literal(value: object) -> str:
    """``value`` as text that Markdown shows character for character, on one line.

    Parameters
    ----------
    value
        Anything; it is shown as ``str(value)``.

    Returns
    -------
    str
        The text with ASCII punctuation backslash-escaped, line breaks as spaces and a word
        joiner (invisible) inside bare-link patterns.
    """
    text = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, _CONTROL.sub(" ", str(value)))
    return _PUNCTUATION.sub(r"\\\1", text)
