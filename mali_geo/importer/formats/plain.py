"""Plain CSV: any table with a date, a latitude and a longitude column.

Mapping onto :data:`mali_geo.schema.INCIDENT_COLUMNS` (GeoJSON properties map the same way):
``incident_id`` ← ``incident_id``, ``id`` or ``event_id`` (``IMP-<line>`` where none);
``date_start`` ← ``date``, ``date_start`` or ``event_date``; ``date_end`` ← ``date_end``, the
start date where empty; ``date_precision`` ← ``date_precision`` if day, week or month, else
day; ``place`` ← ``place`` or ``location``; ``admin1`` ← ``admin1``, ``admin1_2012`` or
``region``, as a 2012 region; ``lat`` ← ``lat`` or ``latitude``; ``lon`` ← ``lon``,
``longitude`` or ``lng``; ``coord_source`` ← ``coord_source``, else "plain CSV lat/lon";
``event_type`` ← ``event_type`` if one of :data:`~mali_geo.schema.EVENT_TYPES`, else other;
``actors`` ← ``actors``; ``fatalities_low`` ← ``fatalities_low``, else ``fatalities``;
``fatalities_high`` likewise; ``summary`` ← ``summary`` or ``notes``; ``source_url`` ← the
first http(s) URL of ``source_url`` and ``source``; ``source_title`` ← ``source_title`` plus
every other of ``source_url``, ``source``, ``source_url_2`` that is not a URL; ``quote`` ←
``quote``; ``source_url_2`` ← ``source_url_2`` if an http(s) URL.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from mali_geo.importer._table import Get
from mali_geo.importer.formats import _mapping as m
from mali_geo.importer.formats._spec import Format, FormatSpec
from mali_geo.schema import EVENT_TYPES

#: Names of the start date column, in order of preference.
DATE_COLUMNS: Final = ("date", "date_start", "event_date")
#: Names of the latitude column, in order of preference.
LAT_COLUMNS: Final = ("lat", "latitude")
#: Names of the longitude column, in order of preference.
LON_COLUMNS: Final = ("lon", "longitude", "lng")
_PRECISIONS: Final = ("day", "week", "month")


def matches(columns: frozenset[str]) -> bool:
    """Any header with a date column (every format needs latitude and longitude)."""
    return bool(columns.intersection(DATE_COLUMNS))


def to_candidates(
    get: Get, line: np.ndarray, *, coord_default: str = "plain CSV lat/lon"
) -> pd.DataFrame:
    """Map a plain CSV (or GeoJSON properties) onto the schema (see the module docstring)."""
    start, fatalities = get(*DATE_COLUMNS), get("fatalities")
    title, url = m.split_sources([get("source_title")], [get("source_url"), get("source")])
    url_2 = get("source_url_2").str.strip()
    url_2_ok = m.is_url(url_2)
    event_type = get("event_type").str.strip().str.lower()
    precision = get("date_precision").str.strip().str.lower()
    return m.candidates(
        line,
        incident_id=m.ids(get("incident_id", "id", "event_id"), line),
        date_start=start,
        date_end=m.or_else(get("date_end"), start),
        date_precision=precision.where(precision.isin(_PRECISIONS), "day"),
        place=get("place", "location"),
        admin1=m.admin1_2012(get("admin1", "admin1_2012", "region")),
        lat=get(*LAT_COLUMNS),
        lon=get(*LON_COLUMNS),
        coord_source=m.or_else(get("coord_source"), coord_default),
        event_type=event_type.where(event_type.isin(EVENT_TYPES), "other"),
        actors=get("actors"),
        fatalities_low=m.or_else(get("fatalities_low"), fatalities),
        fatalities_high=m.or_else(get("fatalities_high"), fatalities),
        summary=get("summary", "notes"),
        source_title=m.join(title, url_2.where(~url_2_ok, "")),
        source_url=url,
        quote=get("quote"),
        source_url_2=url_2.where(url_2_ok, ""),
    )


SPEC: Final = FormatSpec(Format.PLAIN_CSV, matches, to_candidates, name="plain table")
