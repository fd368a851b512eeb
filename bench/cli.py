"""Command-line numbers at scale: import (cold, warm from the cache), export, peak memory.

Each measure is one ``python -m mali_geo ...`` subprocess, its wall time and its peak
resident memory (``ru_maxrss`` of the finished child). The synthetic sets come from
:mod:`bench.generate` into the git-ignored ``bench/out/``.

Usage::

    python -m bench.cli                 # 100k and 1M rows, Markdown table on stdout
    python -m bench.cli --quick         # 100k only
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.generate import OUT_DIR, write_sets

PROJECT = Path(__file__).resolve().parent.parent
SIZES = {"100k": 100_000, "1M": 1_000_000}
#: An upload at the browser limit: about 250,000 synthetic rows in 50 MB.
UPLOAD_ROWS = 250_000


def measure(args: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak MB of one CLI (or ``-c``) run."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(done.stderr.decode()[-400:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def rows_for(label: str, path: Path, work: Path) -> list[tuple[str, str, float, float]]:
    """The measures of one data set."""
    env = {**os.environ, "MALI_GEO_CACHE": str(work / f"cache-{label}")}
    cli = ["-m", "mali_geo"]
    out = str(work / f"out-{label}")
    store = str(work / f"store-{label}")
    to_parquet = [*cli, "import", str(path), "--out", out, "--format", "parquet"]
    measures = {
        # The same command twice: the first run fills the import cache, the second reads it.
        "import, cold (--format parquet)": to_parquet,
        "import, warm from the cache (--format parquet)": to_parquet,
        "import, warm, partitioned store (--by-year)": [
            *cli,
            "import",
            str(path),
            "--out",
            store,
            "--format",
            "parquet",
            "--by-year",
        ],
        "import, warm (GeoJSON out)": [*cli, "import", str(path), "--out", out],
        "export --format parquet, incidents layer (from the store)": [
            *cli,
            "export",
            "--incidents",
            f"{store}/incidents",
            "--layers",
            "incidents",
            "--format",
            "parquet",
            "--out",
            out,
        ],
    }
    found = []
    for name, args in measures.items():
        seconds, peak = _isolated(args, env)
        found.append((label, name, seconds, peak))
        print(f"{label} {name}: {seconds:.1f} s, {peak:.0f} MB", file=sys.stderr)
    return found


def _isolated(args: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Measure in a fresh runner process, so the children's peak is this run's alone."""
    code = (
        "import sys, json; from bench.cli import measure; "
        f"print(json.dumps(measure({list(args)!r}, dict(__import__('os').environ))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, check=True
    )
    seconds, peak = (float(v) for v in done.stdout.decode().strip()[1:-1].split(","))
    return seconds, peak


def upload_row(path: Path, work: Path) -> tuple[str, str, float, float]:
    """Peak memory of importing a 50 MB upload's bytes (as the app does), in a fresh process."""
    code = (
        "from pathlib import Path; from mali_geo.importer import import_bytes; "
        f"data = Path({str(path)!r}).read_bytes(); import_bytes(data, source_name='u.csv')"
    )
    seconds, peak = _isolated(["-c", code], {**os.environ, "MALI_GEO_CACHE": str(work)})
    size = path.stat().st_size / 2**20
    return (f"{size:.0f} MB upload", "import_bytes (as the app)", seconds, peak)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measures and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k rows only")
    args = parser.parse_args(argv)
    sizes = {"100k": SIZES["100k"]} if args.quick else SIZES
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for label, count in sizes.items():
            path = write_sets(OUT_DIR / label, {label: count})[label]
            rows += rows_for(label, path, work)
        upload = write_sets(OUT_DIR / "upload", {"upload": UPLOAD_ROWS})["upload"]
        rows.append(upload_row(upload, work))
    print("| Data | Measure | Wall (s) | Peak RSS (MB) |")
    print("|---|---|---:|---:|")
    for label, name, seconds, peak in rows:
        print(f"| {label} | {name} | {seconds:.1f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
