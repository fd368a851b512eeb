"""Safe HTML for tooltips and popups: every value from data files or uploads is escaped."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlparse

import pandas as pd

MISSING = "not reported"


def text(value: Any) -> str:
    """Escape any value as HTML text; missing values read "not reported"."""
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, float) and math.isnan(value):
        return MISSING
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return html.escape(str(value), quote=True)


def safe_url(url: Any) -> str | None:
    """Return the URL if it is an absolute http(s) URL, else ``None`` (never a link)."""
    if not isinstance(url, str):
        return None
    parsed = urlparse(url.strip())
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return url.strip()
    return None


def link(url: Any, label: str | None = None) -> str:
    """An escaped link to ``url`` opened in a new tab, or the escaped text if not http(s)."""
    safe = safe_url(url)
    if safe is None:
        return text(url) if url else MISSING
    shown = text(label if label else _short(safe))
    return f'<a href="{html.escape(safe, quote=True)}" target="_blank" rel="noopener">{shown}</a>'


def fatalities(low: Any, high: Any) -> str:
    """A fatality range as text: "12–30", "at least 12", "not reported"."""
    lo = None if _missing(low) else int(low)
    hi = None if _missing(high) else int(high)
    if lo is None and hi is None:
        return MISSING
    if hi is None:
        return f"at least {lo:,}"
    if lo is None or lo == hi:
        return f"{hi:,}" if lo == hi else f"up to {hi:,}"
    return f"{lo:,}–{hi:,}"


def popup(title: Any, rows: Iterable[tuple[str, str]], sources: Sequence[Any] = ()) -> str:
    """Popup HTML: an escaped title, a table of (label, already-safe HTML) rows, source links.

    Parameters
    ----------
    title
        Raw text; escaped here.
    rows
        Pairs of a label (project text) and a value already made safe with :func:`text`,
        :func:`link` or :func:`fatalities`.
    sources
        Raw source URLs; only http(s) ones become links.
    """
    body = "".join(
        f'<tr><th style="text-align:left;padding-right:6px;vertical-align:top">{label}</th>'
        f"<td>{value}</td></tr>"
        for label, value in rows
    )
    links = [link(u) for u in sources if u is not None and not _missing(u)]
    src = "<br>".join(links) if links else MISSING
    return (
        f'<div class="mali-popup" style="max-width:320px"><b>{text(title)}</b>'
        f'<table style="font-size:12px">{body}'
        f'<tr><th style="text-align:left;vertical-align:top">Source</th><td class="source">'
        f"{src}</td></tr></table></div>"
    )


def tooltip(name: Any, figure: str) -> str:
    """Tooltip HTML: the escaped name and a key figure (already safe)."""
    return f"<b>{text(name)}</b><br>{figure}"


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _short(url: str) -> str:
    host = urlparse(url).netloc
    return host.removeprefix("www.") or url


def categorical_legend(
    title: str, items: Sequence[tuple[str, str]], *, swatch: str, note: str = ""
) -> str:
    """A legend block: a bold title, then one swatch per ``(label, colour)`` pair.

    Parameters
    ----------
    title
        Project text, may hold HTML.
    items
        Pairs of a label (project text, already safe) and a CSS colour.
    swatch
        The CSS of a swatch, with ``{colour}`` where its colour goes.
    note
        Already-safe HTML shown under the swatches.
    """
    return legend_block(title, [(label, swatch.format(colour=c)) for label, c in items], note=note)


def legend_block(title: str, swatches: Sequence[tuple[str, str]], *, note: str = "") -> str:
    """A legend block from ``(label, swatch CSS)`` pairs (see :func:`categorical_legend`)."""
    body = "".join(
        f'<span style="display:inline-block;margin-right:8px">'
        f'<span style="display:inline-block;vertical-align:middle;{css}"></span> {label}</span>'
        for label, css in swatches
    )
    extra = f"<br>{note}" if note else ""
    return f"<div><b>{title}</b><br>{body}{extra}</div>"
