"""Replicas sharing one partitioned Parquet store read the same incidents.

The app cannot open a Parquet store through ``MALI_GEO_INCIDENTS`` yet (ui/data.py imports
the file's bytes), so two replicas are stood in for by two command-line processes started
together against one store: both must report, and export, the same incidents.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
from geopandas.testing import assert_geodataframe_equal

from mali_geo.config import PROJECT_DIR
from mali_geo.importer import import_file
from mali_geo.store import write_store

IMPORT = Path(__file__).parent / "data" / "import"


def _start(*args: str, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - a fixed argv, no shell
        [sys.executable, "-m", "mali_geo", *args],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MALI_GEO_CACHE": str(cache)},
    )


def _finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def test_two_processes_on_one_store_report_and_export_the_same(tmp_path: Path) -> None:
    incidents = import_file(IMPORT / "acled_iso_dates.csv").incidents
    store = write_store(incidents, tmp_path / "store", by_year=True)
    infos = [_start("info", "--incidents", str(store), cache=tmp_path / "c") for _ in range(2)]
    exports = [
        _start(
            "export",
            "--incidents",
            str(store),
            "--layers",
            "incidents",
            "--format",
            "parquet",
            "--out",
            str(tmp_path / f"out{i}"),
            cache=tmp_path / "c",
        )
        for i in range(2)
    ]
    first, second = (_finish(p) for p in infos)
    assert first == second
    assert f"incidents: {len(incidents)} in the file" in first
    for process in exports:
        _finish(process)
    a, b = (gpd.read_parquet(tmp_path / f"out{i}" / "incidents.parquet") for i in range(2))
    assert len(a) == len(incidents)
    assert_geodataframe_equal(a, b)
