"""Safe HTML for tooltips and popups: every value from data files or uploads is escaped."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlparse

import pandas as pd

MISSING = "not reported"
#: Outlets named by their domain (the last labels of a host), for source links.
OUTLETS: dict[str, str] = {
    "wikipedia.org": "Wikipedia",
    "abamako.com": "aBamako",
    "bamada.net": "Bamada",
    "maliactu.net": "Maliactu",
    "maliweb.net": "Maliweb",
    "journaldumali.com": "Journal du Mali",
    "france24.com": "France 24",
    "opex360.com": "Opex360",
    "reuters.com": "Reuters",
    "chicagotribune.com": "Chicago Tribune",
    "aljazeera.com": "Al Jazeera",
    "rfi.fr": "RFI",
    "defense.gouv.fr": "French Ministry of Defence",
    "jeuneafrique.com": "Jeune Afrique",
    "dw.com": "DW",
    "voaafrique.com": "VOA Afrique",
    "voanews.com": "VOA",
    "hrw.org": "Human Rights Watch",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "theguardian.com": "The Guardian",
    "lefigaro.fr": "Le Figaro",
    "amnesty.org": "Amnesty International",
    "un.org": "United Nations",
    "reliefweb.int": "ReliefWeb",
    "unhcr.org": "UNHCR",
    "iom.int": "IOM",
    "naturalearthdata.com": "Natural Earth",
    "geonames.org": "GeoNames",
    "openstreetmap.org": "OpenStreetMap",
    "apnews.com": "AP",
    "longwarjournal.org": "Long War Journal",
    "pressafrik.com": "PressAfrik",
    "malijet.com": "Malijet",
    "francetvinfo.fr": "Franceinfo",
    "latimes.com": "Los Angeles Times",
    "allafrica.com": "AllAfrica",
    "diplomatie.gouv.fr": "French Foreign Ministry",
    "internal-displacement.org": "IDMC",
}
#: Popup, tooltip and cluster styles, put once in the map's header instead of once per feature.
POPUP_CSS = """
.mali-popup { font-size: 12px; line-height: 1.35; overflow-wrap: anywhere; }
.mali-popup > b { display: block; font-size: 13px; margin-bottom: 3px; }
.mali-popup table { border-collapse: collapse; width: 100%; }
.mali-popup th { text-align: left; vertical-align: top; padding: 1px 6px 1px 0;
  white-space: nowrap; color: #444; font-weight: 600; }
.mali-popup td { vertical-align: top; padding: 1px 0; }
.mali-popup .note { margin: 3px 0; }
.mali-popup .source { margin-top: 4px; padding-top: 3px; border-top: 1px solid #ddd; }
.mali-cluster, .mali-cluster-key { background: rgba(40, 40, 40, 0.85); color: #fff;
  border: 2px solid #fff; border-radius: 50%; text-align: center; font: 600 12px/20px sans-serif;
  box-shadow: 0 0 0 1px #333; }
.mali-cluster { display: flex; align-items: center; justify-content: center; }
.mali-cluster-key { display: inline-block; width: 20px; height: 20px; }
.leaflet-tooltip { width: max-content; max-width: 260px; white-space: normal; }
"""
#: Leaflet popup sizes in px: wide enough for a two-column table, low enough for the map.
POPUP_MIN_WIDTH = 260
POPUP_MAX_WIDTH = 340
POPUP_MAX_HEIGHT = 400


def text(value: Any) -> str:
    """Escape any value as HTML text; missing values read "not reported"."""
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, float) and math.isnan(value):
        return MISSING
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return html.escape(str(value), quote=True)


def day(value: Any, precision: Any = "day") -> str:
    """A date with its month in words: "17 Jan 2012"; "Jan 2012" or "2012" at coarser precision.

    Anything that is not a date is escaped as text ("not reported" when missing).
    """
    if _missing(value) or value is pd.NaT:
        return MISSING
    ts = pd.to_datetime(value, errors="coerce") if isinstance(value, str | pd.Timestamp) else None
    if ts is None or pd.isna(ts):
        return text(value)
    fmt = {"month": "%b %Y", "year": "%Y"}.get(str(precision), "%-d %b %Y")
    return ts.strftime(fmt)


def month(value: str) -> str:
    """A ``YYYY-MM`` month in words: "2013-01" -> "Jan 2013"."""
    return pd.Timestamp(f"{value}-01").strftime("%b %Y")


def period(start: str, end: str) -> str:
    """A period of ``YYYY-MM`` months in words: "Jan 2013 – Apr 2013", or "Jan 2013" alone."""
    return month(start) if start == end else f"{month(start)} – {month(end)}"


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
    shown = text(label if label else outlet(safe))
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
    """Popup HTML: an escaped title, a two-column table of facts, then the sources as links.

    The table and the links are styled by :data:`POPUP_CSS` (in the map's header), so each
    popup carries only class names; the sources come last, outside the table, where the
    popup's scrolling always reaches them.

    Parameters
    ----------
    title
        Raw text; escaped here.
    rows
        Pairs of a label (project text) and a value already made safe with :func:`text`,
        :func:`link` or :func:`fatalities`.
    sources
        Raw source URLs; only http(s) ones become links, named after their outlet.
    """
    links = [link(u) for u in sources if u is not None and not _missing(u) and safe_url(u)]
    return facts_popup(title, rows, links)


def facts_popup(title: Any, rows: Iterable[tuple[str, str]], links: Sequence[str]) -> str:
    """Popup HTML from already-safe rows and source links (see :func:`popup`)."""
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    src = " · ".join(links) if links else MISSING
    return (
        f'<div class="mali-popup"><b>{text(title)}</b><table>{body}</table>'
        f'<div class="source">Sources: {src}</div></div>'
    )


def tooltip(name: Any, figure: str) -> str:
    """Tooltip HTML: the escaped name and a key figure (already safe)."""
    return f"<b>{text(name)}</b><br>{figure}"


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def outlet(url: str) -> str:
    """The name of the outlet behind a URL ("Reuters", "Wikipedia"), never a bare domain.

    Known outlets by name; otherwise the site's own name from its domain, capitalised
    ("townhall.com" -> "Townhall").
    """
    host = urlparse(url).netloc.lower().split(":")[0].rstrip(".")
    labels = [part for part in host.split(".") if part]
    for size in range(len(labels), 0, -1):
        name = OUTLETS.get(".".join(labels[-size:]))
        if name:
            return name
    generic = {"www", "m", "amp", "en", "fr", "news", "site", "site2", "articles", "mini"}
    words = [part for part in labels[:-1] if part not in generic]
    if len(words) > 1 and len(labels[-1]) == 2 and words[-1] in {"co", "com", "org", "gouv"}:
        words = words[:-1]
    return (words[-1] if words else host or url).capitalize()


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
