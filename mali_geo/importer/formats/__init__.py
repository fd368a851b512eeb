"""The formats the importer reads, each with its detection next to its column mapping.

A table's format is decided by its header, never by the file name: it needs a date, a
latitude and a longitude column (:mod:`.plain`'s names), then ACLED (:mod:`.acled`) and UCDP
GED (:mod:`.ucdp`) are tried before a plain CSV. A JSON array of row objects (the UCDP and
ACLED APIs) is a table like any other; a GeoJSON document is :mod:`.geojson`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd

from mali_geo.errors import ImportFileError
from mali_geo.importer._table import normalise_columns
from mali_geo.importer.formats import acled, geojson, plain, ucdp
from mali_geo.importer.formats._spec import Format, FormatSpec

__all__ = ["REGISTRY", "Format", "FormatSpec", "for_geojson", "for_table", "implied_header"]

#: Every format's spec, by format.
REGISTRY: Final[Mapping[Format, FormatSpec]] = MappingProxyType(
    {spec.format: spec for spec in (acled.SPEC, ucdp.SPEC, plain.SPEC, geojson.SPEC)}
)
#: Formats a delimited table can be, in the order they are tried.
_TABLE_FORMATS: Final = (Format.ACLED, Format.UCDP_GED, Format.PLAIN_CSV)
_REQUIRED: Final = (
    ("a date (date, date_start or event_date)", plain.DATE_COLUMNS),
    ("a latitude (lat or latitude)", plain.LAT_COLUMNS),
    ("a longitude (lon or longitude)", plain.LON_COLUMNS),
)


def for_table(columns: frozenset[str]) -> FormatSpec:
    """The format a delimited table's header belongs to.

    Raises
    ------
    ImportFileError
        No format fits; the message names the missing columns and those found.
    """
    if columns.intersection(plain.LAT_COLUMNS) and columns.intersection(plain.LON_COLUMNS):
        for fmt in _TABLE_FORMATS:
            if REGISTRY[fmt].matches(columns):
                return REGISTRY[fmt]
    raise ImportFileError(_no_usable_columns(columns))


def for_geojson(columns: frozenset[str], rows: int) -> FormatSpec:
    """The GeoJSON format, if its features (when there are any) have a date property.

    Raises
    ------
    ImportFileError
        There are features, and none has a date property.
    """
    spec = REGISTRY[Format.GEOJSON]
    if rows and not spec.matches(columns):
        msg = "no usable columns: no feature has a date property (date, date_start or event_date)"
        raise ImportFileError(msg)
    return spec


def implied_header(fields: list[str]) -> Sequence[str] | None:
    """The header a table's first record implies when it is data (a headerless file).

    A record naming any column a format reads is a header; otherwise each format may
    recognise it as one of its data rows by its shape.
    """
    if _columns_read() & set(normalise_columns(fields)):
        return None
    for spec in REGISTRY.values():
        columns = spec.implied_header(fields)
        if columns is not None:
            return columns
    return None


@functools.cache
def _columns_read() -> frozenset[str]:
    """Every column name some format's mapping asks for, or implies for a headerless file."""
    names: set[str] = set(ucdp.GED_COLUMNS) | set(ucdp.GED_19_COLUMNS)

    def record(*wanted: str) -> pd.Series[str]:
        names.update(wanted)
        return pd.Series([], dtype="str")

    for spec in REGISTRY.values():
        spec.to_candidates(record, np.zeros(0, dtype=np.int64))
    return frozenset(names)


def _no_usable_columns(columns: frozenset[str]) -> str:
    """Say which of the required columns are missing."""
    missing = [what for what, names in _REQUIRED if not columns.intersection(names)]
    found = ", ".join(sorted(repr(c[:30]) for c in columns)[:12]) or "none"
    return f"no usable columns: missing {' and '.join(missing)} column; found {found}"
