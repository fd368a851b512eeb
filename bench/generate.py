"""Synthetic incidents in ACLED's CSV format, for benchmarks only (never shipped as data).

Every row is made up: ids ``SYN-000001``..., notes "SYNTHETIC benchmark row", source
"synthetic", places "Synthetic place 0001"... Points scatter around a few hundred synthetic
places, themselves clustered around real towns (more in the north and centre, as in the
crisis), with a small jitter per incident, inside Mali's box. Seeded: the same arguments give
the same file.

Usage::

    python -m bench.generate            # 1k, 10k and 100k rows into bench/out/
    python -m bench.generate --rows 5000 --out bench/out/x
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

OUT_DIR = Path(__file__).resolve().parent / "out"
SIZES: dict[str, int] = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
#: Sets measured only when asked for (``python -m bench.run --sizes 100k,1m``): 200 MB.
LARGE_SIZES: dict[str, int] = {"1m": 1_000_000}
SEED = 20130111
N_PLACES = 300

#: Mali's box (lon_min, lat_min, lon_max, lat_max).
MALI_BOX = (-12.2, 10.2, 4.2, 24.9)
FIRST_DAY, LAST_DAY = "2012-01-01", "2014-12-31"

#: Real towns the synthetic places cluster around: (lon, lat, 2012 region, weight, spread°).
ANCHORS: tuple[tuple[float, float, str, float, float], ...] = (
    (-0.04, 16.27, "Gao", 0.18, 0.8),
    (-3.00, 16.77, "Tombouctou", 0.14, 1.0),
    (1.41, 18.44, "Kidal", 0.14, 0.9),
    (2.40, 15.92, "Gao", 0.08, 0.6),
    (1.00, 20.20, "Kidal", 0.06, 0.7),
    (-4.20, 14.50, "Mopti", 0.13, 0.8),
    (-6.27, 13.43, "Ségou", 0.07, 0.8),
    (-8.00, 12.65, "Bamako", 0.06, 0.3),
    (-7.50, 13.20, "Koulikoro", 0.04, 0.8),
    (-11.43, 14.45, "Kayes", 0.04, 0.9),
    (-5.67, 11.32, "Sikasso", 0.03, 0.6),
    (-4.00, 19.50, "Tombouctou", 0.03, 1.5),
)

#: ACLED (event_type, sub_event_type, weight).
EVENT_KINDS: tuple[tuple[str, str, float], ...] = (
    ("Battles", "Armed clash", 0.30),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.10),
    ("Explosions/Remote violence", "Air/drone strike", 0.07),
    ("Explosions/Remote violence", "Suicide bomb", 0.03),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.05),
    ("Violence against civilians", "Attack", 0.15),
    ("Violence against civilians", "Abduction/forced disappearance", 0.05),
    ("Protests", "Peaceful protest", 0.10),
    ("Riots", "Violent demonstration", 0.05),
    ("Strategic developments", "Looting/property destruction", 0.10),
)
ACTORS = (
    "Military Forces of Mali (2012-)",
    "MNLA: National Movement for the Liberation of Azawad",
    "AQIM: al Qaeda in the Islamic Maghreb",
    "Ansar Dine",
    "MUJAO: Movement for Oneness and Jihad in West Africa",
    "Military Forces of France (2012-)",
    "Civilians (Mali)",
    "Protesters (Mali)",
    "Unidentified Armed Group (Mali)",
)
COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)


def synthetic_places(rng: np.random.Generator, n: int = N_PLACES) -> pd.DataFrame:
    """Synthetic places around the anchor towns, with a popularity weight each.

    Returns
    -------
    pandas.DataFrame
        ``location``, ``admin1``, ``lon``, ``lat``, ``weight`` (sums to 1).
    """
    weights = np.array([a[3] for a in ANCHORS])
    anchor = rng.choice(len(ANCHORS), size=n, p=weights / weights.sum())
    lon0 = np.array([a[0] for a in ANCHORS])[anchor]
    lat0 = np.array([a[1] for a in ANCHORS])[anchor]
    spread = np.array([a[4] for a in ANCHORS])[anchor]
    lon_min, lat_min, lon_max, lat_max = MALI_BOX
    lon = np.clip(lon0 + rng.normal(0, spread), lon_min + 0.2, lon_max - 0.2)
    lat = np.clip(lat0 + rng.normal(0, spread), lat_min + 0.2, lat_max - 0.2)
    # A few places get most incidents (Zipf-like), as with real towns.
    popularity = 1.0 / np.arange(1, n + 1) ** 0.9
    popularity = rng.permutation(popularity)
    return pd.DataFrame(
        {
            "location": [f"Synthetic place {i:04d}" for i in range(1, n + 1)],
            "admin1": [ANCHORS[a][2] for a in anchor],
            "lon": lon,
            "lat": lat,
            "weight": popularity / popularity.sum(),
        }
    )


def synthetic_incidents(rows: int, *, seed: int = SEED) -> pd.DataFrame:
    """``rows`` synthetic incidents as an ACLED-style table (columns :data:`COLUMNS`).

    Parameters
    ----------
    rows
        How many incidents.
    seed
        Random seed; the same seed and size give the same table.
    """
    rng = np.random.default_rng(seed)
    places = synthetic_places(rng)
    at = rng.choice(len(places), size=rows, p=places["weight"].to_numpy())
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    # Busier in 2012-2013 (the fall of the north, Serval) than in 2014.
    day_weight = np.where(days.year < 2014, 1.5, 1.0)
    dates = days[rng.choice(len(days), size=rows, p=day_weight / day_weight.sum())]
    kind = rng.choice(len(EVENT_KINDS), size=rows, p=_weights(EVENT_KINDS))
    lon_min, lat_min, lon_max, lat_max = MALI_BOX
    lon = np.clip(places["lon"].to_numpy()[at] + rng.normal(0, 0.03, rows), lon_min, lon_max)
    lat = np.clip(places["lat"].to_numpy()[at] + rng.normal(0, 0.03, rows), lat_min, lat_max)
    fatalities = np.where(rng.random(rows) < 0.55, 0, rng.geometric(0.15, rows))
    actor1 = rng.choice(len(ACTORS), size=rows)
    actor2 = (actor1 + rng.integers(1, len(ACTORS), size=rows)) % len(ACTORS)
    return pd.DataFrame(
        {
            "event_id_cnty": [f"SYN-{i:06d}" for i in range(1, rows + 1)],
            "event_date": dates.strftime("%Y-%m-%d"),
            "year": dates.year,
            "time_precision": rng.choice([1, 2, 3], size=rows, p=[0.8, 0.15, 0.05]),
            "event_type": [EVENT_KINDS[k][0] for k in kind],
            "sub_event_type": [EVENT_KINDS[k][1] for k in kind],
            "actor1": np.array(ACTORS)[actor1],
            "actor2": np.where(rng.random(rows) < 0.3, "", np.array(ACTORS)[actor2]),
            "admin1": places["admin1"].to_numpy()[at],
            "location": places["location"].to_numpy()[at],
            "latitude": lat.round(4),
            "longitude": lon.round(4),
            "geo_precision": rng.choice([1, 2, 3], size=rows, p=[0.7, 0.25, 0.05]),
            "source": "synthetic",
            "notes": "SYNTHETIC benchmark row",
            "fatalities": fatalities,
        },
        columns=list(COLUMNS),
    )


def write_sets(out_dir: str | Path = OUT_DIR, sizes: dict[str, int] = SIZES) -> dict[str, Path]:
    """Write one CSV per size (``synthetic_<label>.csv``), skipping files already there.

    Returns
    -------
    dict
        Size label -> path.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for label, rows in sizes.items():
        path = out / f"synthetic_{label}.csv"
        if not path.exists():
            synthetic_incidents(rows).to_csv(path, index=False)
        paths[label] = path
    return paths


def _weights(kinds: Sequence[tuple[str, str, float]]) -> np.ndarray:
    w = np.array([k[2] for k in kinds])
    return w / w.sum()


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the sets from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--rows", type=int, help="one set of this many rows instead of 1k/10k/100k")
    args = parser.parse_args(argv)
    sizes = SIZES if args.rows is None else {str(args.rows): args.rows}
    for label, path in write_sets(args.out, sizes).items():
        print(f"{label}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
