"""Paths of the test fixtures, and running the command line as a user does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mali_geo.config import PROJECT_DIR

DATA = Path(__file__).parent / "data"


def run_cli(*args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m mali_geo ARGS`` from the project folder (with its own import cache)."""
    env = dict(os.environ) if cache is None else {**os.environ, "MALI_GEO_CACHE": str(cache)}
    return subprocess.run(  # noqa: S603 - a fixed argv, no shell
        [sys.executable, "-m", "mali_geo", *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
