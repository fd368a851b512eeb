"""The bases layer: military bases and who held each at the end of a period."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from mali_geo.config import WGS84
from mali_geo.errors import DataError
from mali_geo.period import Period

BASE_COLUMNS: tuple[str, ...] = (
    "name",
    "place",
    "held_by",
    "held_since",
    "role",
    "history",
    "source",
)


def bases_at(bases: pd.DataFrame, places: pd.DataFrame, period: Period) -> gpd.GeoDataFrame:
    """Place every base and say who held it at the end of the period.

    Parameters
    ----------
    bases
        From :func:`mali_geo.load.load_bases`: one row per dated holding state.
    places
        From :func:`mali_geo.load.load_places`: the coordinate of each base's ``place``.
    period
        Its last day decides the holder; the history lists the changes up to that day.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`BASE_COLUMNS` + geometry. ``held_by`` is ``None`` when no cited record
        precedes the end of the period; ``history`` has one line per change,
        ``YYYY-MM-DD: holder: event``; ``source`` one URL per line.
    """
    coords = places.set_index("name")[["lat", "lon"]]
    rows = []
    for _, group in bases.groupby("base_id", sort=False):
        rows.append(_base_row(group, coords, period))
    if not rows:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in BASE_COLUMNS}, geometry=[], crs=WGS84
        )
    frame = pd.DataFrame(rows)
    geometry = gpd.points_from_xy(frame.pop("lon"), frame.pop("lat"))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)


def _base_row(group: pd.DataFrame, coords: pd.DataFrame, period: Period) -> dict[str, Any]:
    first = group.iloc[0]
    if first["place"] not in coords.index or pd.isna(coords.loc[first["place"], "lat"]):
        msg = f"bases: place {first['place']!r} of base {first['base_id']!r} has no coordinate"
        raise DataError(msg)
    known = group[group["date"] <= period.end_date]
    last = known.iloc[-1] if len(known) else None
    history = [f"{r.date:%Y-%m-%d}: {r.held_by}: {r.event}" for r in known.itertuples(index=False)]
    return {
        "name": first["name"],
        "place": first["place"],
        "held_by": None if last is None else last["held_by"],
        "held_since": None if last is None else last["date"],
        "role": first["role"],
        "history": "\n".join(history) if history else None,
        "source": "\n".join(dict.fromkeys(known["source_url"])) or first["source_url"],
        "lat": float(coords.loc[first["place"], "lat"]),
        "lon": float(coords.loc[first["place"], "lon"]),
    }
