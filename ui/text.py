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


def literal(value: object) -> str:
    """``value`` as text that Markdown shows character for character, on one line.

    Parameters
    ----------
    value
        Anything; it is shown as ``str(value)``.

    Returns
    -------
    str
        The text with ASCII punctuation backslash-escaped and line breaks as spaces.
    """
    return _PUNCTUATION.sub(r"\\\1", _CONTROL.sub(" ", str(value)))
