"""Many visitors at once: the load test (``tests/load/``) run several times, its numbers tabled.

The test itself asserts only that every visitor's move completes without an error (speed is
not a timed test's business); it prints one ``load:`` line of timings per run. This runs it
``--runs`` times, each in a fresh pytest process with its own app server, and writes a Markdown
table of those lines: p50 and p95 of the period changes of 20 visitors, outside and during a
40 MB upload by another visitor (the issue's target: p95 under 1 s, during the import too).

Usage::

    python -m bench.load --runs 5
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
#: The line the load test prints (see ``tests/load/test_load_sessions.py``).
LINE = re.compile(
    r"load: (?P<moves>\d+) moves, p50 (?P<p50>[\d.]+) s, p95 (?P<p95>[\d.]+) s, "
    r"max (?P<max>[\d.]+) s; during the import \((?P<import_s>[\d.]+) s\): "
    r"(?P<during_moves>\d+) moves, p95 (?P<during_p95>[\d.]+|nan) s; outside it: "
    r"p95 (?P<outside_p95>[\d.]+|nan) s; failures: (?P<failures>.*)$"
)
COLUMNS = (
    ("p50", "p50 (s)"),
    ("p95", "p95 (s)"),
    ("outside_p95", "p95 outside the import (s)"),
    ("during_p95", "p95 during the import (s)"),
    ("max", "slowest move (s)"),
    ("import_s", "import until its report shows (s)"),
    ("failures", "failures"),
)


def one_run() -> dict[str, str]:
    """Run the load test once; the numbers of its ``load:`` line."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "tests/load"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if match := LINE.search(line):
            return match.groupdict()
    msg = f"the load test printed no timings (exit {done.returncode}): {done.stdout[-400:]}"
    raise RuntimeError(msg)


def table(runs: Sequence[dict[str, str]]) -> str:
    """The runs as a Markdown table, one row per run."""
    head = "| run | " + " | ".join(label for _, label in COLUMNS) + " |"
    rule = "|---|" + "---|" * len(COLUMNS)
    rows = [
        f"| {i} | " + " | ".join(run[key] for key, _ in COLUMNS) + " |"
        for i, run in enumerate(runs, start=1)
    ]
    return "\n".join([head, rule, *rows])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load test ``--runs`` times and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="how many runs (default 5)")
    args = parser.parse_args(argv)
    runs = []
    for i in range(args.runs):
        runs.append(one_run())
        print(f"run {i + 1}: {runs[-1]}", file=sys.stderr, flush=True)
    print(table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
