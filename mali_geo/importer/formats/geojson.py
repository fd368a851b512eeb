"""GeoJSON: a ``FeatureCollection`` (or one ``Feature``) of Point features.

Recognised by its structure: a text that parses as JSON with ``"type"`` Feature or
FeatureCollection (other JSON, an array of row objects, is read like CSV rows). Properties
map onto the schema like a plain CSV's columns
(:mod:`mali_geo.importer.formats.plain`), the feature ``id`` standing in for a missing ``id``
property, the Point geometry giving ``lat``/``lon`` and ``coord_source`` defaulting to
"GeoJSON point".
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from mali_geo.importer._table import Get
from mali_geo.importer.formats import plain
from mali_geo.importer.formats._spec import Format, FormatSpec


def matches(columns: frozenset[str]) -> bool:
    """Features need a date property; their geometry gives the coordinates."""
    return plain.matches(columns)


def to_candidates(get: Get, line: np.ndarray) -> pd.DataFrame:
    """Map GeoJSON properties like a plain CSV, with a GeoJSON coordinate source."""
    return plain.to_candidates(get, line, coord_default="GeoJSON point")


SPEC: Final = FormatSpec(Format.GEOJSON, matches, to_candidates, name="GeoJSON")
