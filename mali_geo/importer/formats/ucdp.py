"""UCDP GED exports: recognised by ``date_start`` and GED's own columns, or by shape.

A GED file without a header row is recognised by its first record: 49 fields in the order
of the 20.1+ codebooks (:data:`GED_COLUMNS`, 23.1 included) or 43 in the order of the older
layout (:data:`GED_19_COLUMNS`), with an integer ``id``, a ``year``, numeric
``latitude``/``longitude`` and an ISO ``date_start`` where that layout puts them. The UCDP
API's JSON (``{"Result": [...]}`` or a bare array) has the same names and reads the same.

Mapping onto :data:`mali_geo.schema.INCIDENT_COLUMNS`: ``incident_id`` ← ``id``
(``IMP-<line>`` where empty); ``date_start`` ← ``date_start``; ``date_end`` ← ``date_end``,
the start date where empty; ``date_precision`` ← ``date_prec`` 1 → day, 2–3 → week, 4–5 →
month (day otherwise); ``place`` ← ``where_coordinates``; ``admin1`` ← ``adm_1`` as a 2012
region; ``lat``/``lon`` ← ``latitude``/``longitude``; ``coord_source`` ← "UCDP GED where_prec
N"; ``event_type`` ← ``type_of_violence`` 1 → battle, 2 → clash_between_armed_groups, 3 →
violence_against_civilians, else other; ``actors`` ← ``side_a; side_b``; ``fatalities_low``
← ``low``, else ``best``; ``fatalities_high`` ← ``high``, else ``best``; ``summary`` ←
``source_headline``; ``source_title`` ← ``source_office``, plus ``source_article`` unless an
http(s) URL, which becomes ``source_url``.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
import pandas as pd

from mali_geo.importer._rows import ISO_DATE, NUMBER
from mali_geo.importer._table import Get
from mali_geo.importer.formats import _mapping as m
from mali_geo.importer.formats._spec import Format, FormatSpec

#: UCDP GED CSV columns in codebook order, assumed for a GED file without a header row.
GED_COLUMNS: Final[tuple[str, ...]] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip
#: The older GED CSV layout (19.1 and before): no dset ids, ``gwnoa``/``gwnob`` by the sides.
GED_19_COLUMNS: Final[tuple[str, ...]] = (
    "id", "year", "active_year", "type_of_violence", "conflict_new_id", "conflict_name",
    "dyad_new_id", "dyad_name", "side_a_new_id", "gwnoa", "side_a", "side_b_new_id", "gwnob",
    "side_b", "number_of_sources", "source_article", "source_office", "source_date",
    "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low",
)  # fmt: skip
#: Columns only GED has; one of them, with ``date_start``, makes a file GED.
MARKERS: Final = frozenset(
    {"type_of_violence", "where_coordinates", "side_a", "relid", "date_prec", "where_prec"}
)
_DATE_PREC: Final = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "month"}
_VIOLENCE: Final = {
    "1": "battle",
    "2": "clash_between_armed_groups",
    "3": "violence_against_civilians",
}
_WHOLE: Final = re.compile(r"[0-9]+")
_YEAR: Final = re.compile(r"(19|20)[0-9]{2}")


def matches(columns: frozenset[str]) -> bool:
    """A GED header has ``date_start`` and one of :data:`MARKERS`."""
    return "date_start" in columns and bool(columns & MARKERS)


def implied_header(fields: list[str]) -> tuple[str, ...] | None:
    """The GED layout a first record is a data row of (by width and cells), else None."""
    for layout in (GED_COLUMNS, GED_19_COLUMNS):
        if len(fields) != len(layout):
            continue
        at = {name: fields[i].strip() for i, name in enumerate(layout)}
        is_row = (
            _WHOLE.fullmatch(at["id"])
            and _YEAR.fullmatch(at["year"])
            and ISO_DATE.fullmatch(at["date_start"])
            and NUMBER.fullmatch(at["latitude"])
            and NUMBER.fullmatch(at["longitude"])
        )
        if is_row:
            return layout
    return None


def to_candidates(get: Get, line: np.ndarray) -> pd.DataFrame:
    """Map UCDP GED columns onto the schema (see the module docstring)."""
    start, best = get("date_start"), get("best")
    violence = get("type_of_violence").str.strip().str.removesuffix(".0")
    title, url = m.split_sources([get("source_office")], [get("source_article")])
    return m.candidates(
        line,
        incident_id=m.ids(get("id"), line),
        date_start=start,
        date_end=m.or_else(get("date_end"), start),
        date_precision=m.precision(get("date_prec"), _DATE_PREC),
        **m.located(
            get, "UCDP GED", place="where_coordinates", admin1="adm_1", precision="where_prec"
        ),
        event_type=violence.map(_VIOLENCE).fillna("other"),
        actors=m.join(get("side_a"), get("side_b")),
        fatalities_low=m.or_else(get("low"), best),
        fatalities_high=m.or_else(get("high"), best),
        summary=get("source_headline"),
        source_title=title,
        source_url=url,
    )


SPEC: Final = FormatSpec(Format.UCDP_GED, matches, to_candidates, implied_header, name="UCDP GED")
