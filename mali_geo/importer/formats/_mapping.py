"""Column helpers the formats share: ids, precision codes, sources and URLs, admin1 names."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import numpy as np
import pandas as pd

from mali_geo.importer._table import Get, per_unique
from mali_geo.schema import INCIDENT_COLUMNS

# A host's first character, then anything but spaces, quotes and angle brackets. One character,
# not a run: two adjacent runs over the same characters backtrack in quadratic time when a long
# cell fails at its end ("http://aaa…<").
_URL: Final = re.compile(r"https?://[^\s/?#<>\"'`\\][^\s<>\"'`\\]*", re.IGNORECASE)
_REGIONS_2012: Final = ("Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti", "Tombouctou", "Gao",
                        "Kidal", "Bamako")  # fmt: skip
_ADMIN1_KEYS: Final[dict[str, str]] = {
    **{"segou" if r == "Ségou" else r.lower(): r for r in _REGIONS_2012},
    "timbuktu": "Tombouctou", "tombuctu": "Tombouctou", "menaka": "Gao",
    "taoudeni": "Tombouctou", "taoudenit": "Tombouctou", "taoudenni": "Tombouctou",
}  # fmt: skip
#: Mali and its neighbours, as country names are written (accents, case and spaces ignored).
_NEAR_MALI: Final = frozenset(
    {"mali", "niger", "burkinafaso", "algeria", "algerie", "mauritania", "mauritanie",
     "senegal", "guinea", "guinee", "cotedivoire", "ivorycoast"}
)  # fmt: skip
_ADMIN1_FILLER: Final = re.compile(r"\b(region|de|du|la|of|district|cercle|province)\b")
_NOT_LETTER: Final = re.compile(r"[^a-z]")


def candidates(line: np.ndarray, **columns: pd.Series) -> pd.DataFrame:
    """Assemble :data:`INCIDENT_COLUMNS` as text, empty where a format has no source."""
    empty = pd.Series("", index=pd.RangeIndex(len(line)), dtype="str")
    return pd.DataFrame({col: columns.get(col, empty) for col in INCIDENT_COLUMNS}, dtype="str")


def ids(values: pd.Series, line: np.ndarray) -> pd.Series:
    """Trimmed ids, ``IMP-<line>`` where a row has none."""
    trimmed = values.str.strip()
    generated = "IMP-" + pd.Series(line, index=values.index).astype(str)
    return trimmed.where(trimmed != "", generated)


def precision(codes: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Map numeric precision codes to day/week/month; unknown or missing codes give day."""
    return codes.str.strip().str.removesuffix(".0").map(mapping).fillna("day")


def join(first: pd.Series, second: pd.Series) -> pd.Series:
    """Join two text columns with ``"; "``, skipping empty parts."""
    a, b = first.str.strip() != "", second.str.strip() != ""
    both = first + "; " + second
    return both.where(a & b, first.where(a, second.where(b, "")))


def is_url(values: pd.Series) -> np.ndarray:
    """Tell which (trimmed) values are http(s) URLs with a host."""
    return per_unique(values, lambda v: _URL.fullmatch(v) is not None, bool)


def split_sources(
    titles: list[pd.Series], maybe_urls: list[pd.Series]
) -> tuple[pd.Series, pd.Series]:
    """Keep the first http(s) URL among ``maybe_urls``; every other text joins the title."""
    index = (titles or maybe_urls)[0].index
    title = pd.Series("", index=index, dtype="str")
    url = title.copy()
    for part in titles:
        title = join(title, part)
    for part in maybe_urls:
        stripped = part.str.strip()
        take = is_url(stripped) & (url == "").to_numpy(dtype=bool)
        url = url.where(~take, stripped)
        title = join(title, part.where(~take, ""))
    return title, url


def admin1_2012(names: pd.Series) -> pd.Series:
    """Map admin1 names onto the 2012 regions where they match; keep others as given."""
    return pd.Series(per_unique(names, _region_2012, object), index=names.index, dtype="str")


def _region_2012(name: str) -> str:
    """Return the 2012 region a name denotes, or the name unchanged."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _ADMIN1_KEYS.get(_key(_ADMIN1_FILLER.sub(" ", plain))) or name


def near_mali(country: pd.Series, admin1: pd.Series) -> np.ndarray:
    """Rows whose country is Mali or a neighbour, or whose admin1 is a 2012 region of Mali."""
    in_mali = admin1.isin(_REGIONS_2012).to_numpy(dtype=bool)
    near = per_unique(country, lambda c: _key(c) in _NEAR_MALI, bool).astype(bool)
    return np.asarray(in_mali | near, dtype=bool)


def _key(name: str) -> str:
    """A name without accents, case, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    return _NOT_LETTER.sub("", "".join(ch for ch in plain if not unicodedata.combining(ch)))


def or_else(values: pd.Series, fallback: pd.Series | str) -> pd.Series:
    """``values`` where not blank, else ``fallback``."""
    return values.where(values.str.strip() != "", fallback)


def located(
    get: Get, source: str, *, place: str, admin1: str, precision: str
) -> dict[str, pd.Series]:
    """The location columns of a dataset export with ``latitude``/``longitude`` columns.

    Returns
    -------
    dict
        ``place``, ``admin1`` (as a 2012 region), ``lat``, ``lon`` and ``coord_source``:
        ``"<source> <precision> <code>"``, or ``source`` where a row has no precision code.
    """
    code = get(precision).str.strip()
    return {
        "place": get(place),
        "admin1": admin1_2012(get(admin1)),
        "lat": get("latitude"),
        "lon": get("longitude"),
        "coord_source": (f"{source} {precision} " + code).where(code != "", source),
    }
