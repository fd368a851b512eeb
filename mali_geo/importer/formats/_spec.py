"""What a format is: its name, how a header is recognised, and how its columns map."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from mali_geo.importer._table import Get

#: Map a table's columns (through ``get``) onto the incident schema as text, one row per line.
Mapper = Callable[[Get, np.ndarray], pd.DataFrame]


class Format(StrEnum):
    """The file formats the importer reads; the value is what a report shows."""

    ACLED = "acled"
    UCDP_GED = "ucdp_ged"
    PLAIN_CSV = "plain_csv"
    GEOJSON = "geojson"


def _no_implied_header(_fields: list[str]) -> Sequence[str] | None:
    return None


@dataclass(frozen=True)
class FormatSpec:
    """A format's detection next to its column mapping.

    Attributes
    ----------
    format
        Which format this is.
    matches
        Whether a header (normalised column names, known to hold a date, a latitude and a
        longitude column) belongs to this format.
    to_candidates
        Maps the columns onto :data:`mali_geo.schema.INCIDENT_COLUMNS` as text.
    implied_header
        The column names a file's first record implies when it is a data row of this
        format (a file without a header), else ``None``.
    slash_dates
        The format's own slash date convention (``"day-first"``), else ``None``: decided
        per file.
    merges_actor_rows
        Whether rows repeating an id with only other actors are one incident (ACLED's
        monadic exports).
    name
        The format's name in the import report.
    """

    format: Format
    matches: Callable[[frozenset[str]], bool]
    to_candidates: Mapper
    implied_header: Callable[[list[str]], Sequence[str] | None] = _no_implied_header
    slash_dates: str | None = None
    merges_actor_rows: bool = False
    name: str = ""
