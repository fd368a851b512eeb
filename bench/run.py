"""The benchmark of bench/RESULTS.md, in one command.

    python -m bench.run          # from the project root, in the venv; about 20 minutes

It generates the synthetic incidents (bench/generate.py), then measures, for the shipped data
and 1k, 10k and 100k synthetic incidents, each several times (median reported):

- cold start: one AppTest run of ``app.py`` with every Streamlit cache cleared first;
- period change: AppTest reruns after moving the period's start one month on;
- map data: the size of what the map component sends (script + feature group);
- browser: Chromium against a real ``streamlit run``: first load until the map is drawn, and
  a period change (ArrowRight on "Period — start") until the map has been redrawn;
- peak memory: VmHWM of that ``streamlit run`` process (and any children) after the browser
  scenario;
- export: ``python -m mali_geo export`` for the whole range, as a subprocess.

The same run measures a naive baseline: a throwaway Streamlit app (written to a temporary
folder) that draws one folium CircleMarker per incident in a FeatureGroup, and, for the
export, the code before this work (``git archive`` of :data:`BASELINE_COMMIT`). Results go
to bench/RESULTS.md and bench/out/results.json. Options: ``--runs``, ``--sizes``,
``--naive-sizes``, ``--steps``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bench.generate import LARGE_SIZES, OUT_DIR, SIZES, write_sets

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP = PROJECT_DIR / "app.py"
RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
RESULTS_JSON = OUT_DIR / "results.json"
ENV_VAR = "MALI_GEO_INCIDENTS"
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXTERNAL_URL = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
#: Every data layer on, the incidents included: the view the targets are about.
ALL_LAYERS = "regions,towns,incidents,bases,displacement,key_events,context"
MONTHS = [f"{y}-{m:02d}" for y in (2012, 2013, 2014) for m in range(1, 13)]
TIMEOUT_S = 900
T = TypeVar("T")
#: The last commit before the performance work of issue 5: the export baseline.
BASELINE_COMMIT = "764fe781eac7ef452d3a0289ce2039b5b76a313b"
#: Naive baseline sets measured once, server side only (one render takes minutes).
NAIVE_SERVER_ONLY = ("100k", "1m")
#: Targets at a million incidents (issue: a million incidents), measured with a warm cache:
#: the "cold start" is an app start after a restart, the file's import read from the cache.
TARGETS_1M: dict[str, float] = {
    "cold_start_s": 5.0,
    "period_change_s": 0.5,
    "map_mb": 2.0,
    "map_default_mb": 2.0,
    "browser_period_change_s": 1.0,
    "peak_memory_mb": 2560.0,
}

#: Targets of issue 5: (shipped, 100k), with the unit of the measure.
TARGETS: dict[str, tuple[float, float, str]] = {
    "cold_start_s": (2.0, 4.0, "s"),
    "period_change_s": (0.15, 0.4, "s"),
    "map_mb": (0.5, 2.0, "MB"),
    "map_default_mb": (0.5, 2.0, "MB"),
    "browser_period_change_s": (0.5, 1.5, "s"),
    "peak_memory_mb": (400.0, 1024.0, "MB"),
    "export_s": (1.0, 5.0, "s"),
}
LABELS: dict[str, str] = {
    "cold_start_s": "App cold start to first full render, server side (s)",
    "period_change_s": "Period change, server-side rerun (s)",
    "script_run_s": "… of which the script run alone, AppTest harness excluded (s)",
    "map_mb": "Map data sent to the browser, largest view (MB)",
    "map_default_mb": "Map data sent to the browser, default view (MB)",
    "browser_load_s": "Browser: first load until the map is drawn (s)",
    "browser_period_change_s": "Browser: period change until the map is redrawn (s)",
    "peak_memory_mb": "Peak memory of the app process (MB)",
    "export_s": "`python -m mali_geo export`, whole range (s)",
}


@dataclass(frozen=True)
class Data:
    """One data set: the shipped incidents (``path`` None) or a synthetic file."""

    label: str
    path: Path | None

    @property
    def env(self) -> dict[str, str]:
        """The environment that makes the app use this data set."""
        return {} if self.path is None else {ENV_VAR: str(self.path)}


@dataclass
class Results:
    """Every measurement (lists of runs), by app ("ours", "naive"), measure and data set."""

    values: dict[str, dict[str, dict[str, list[float]]]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, app: str, measure: str, data: str, values: Sequence[float]) -> None:
        """Record measurements."""
        slot = self.values.setdefault(app, {}).setdefault(measure, {}).setdefault(data, [])
        slot.extend(values)

    def median(self, app: str, measure: str, data: str) -> float | None:
        """The median of a measure, or None if it was not measured."""
        values = self.values.get(app, {}).get(measure, {}).get(data)
        return statistics.median(values) if values else None


# --- server side: AppTest ---------------------------------------------------------------


def server_side(
    app: Path, data: Data, *, runs: int, steps: int, query: dict[str, str], sweep: bool
) -> dict[str, list[float]]:
    """Cold runs, period changes and map sizes of one app with one data set, via AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    cold, changes, sizes, default, script_runs = [], [], [], [], []
    with _environment(data.env), _script_runs() as scripts:
        _warm_up(app)
        for _ in range(runs):
            st.cache_data.clear()
            st.cache_resource.clear()
            _clear_module_caches()
            at = AppTest.from_file(str(app), default_timeout=TIMEOUT_S)
            for key, value in query.items():
                at.query_params[key] = value
            t0 = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - t0)
            _check(at)
            sizes.append(_map_bytes(at))
            for step in range(1, steps + 1):
                t0, done = time.perf_counter(), len(scripts)
                _period_slider(at).set_value((MONTHS[step], MONTHS[-1])).run()
                changes.append(time.perf_counter() - t0)
                script_runs.append(sum(scripts[done:]))
                _check(at)
                sizes.append(_map_bytes(at))
        if sweep:  # the largest view: the whole range and every 3-month window
            for first in range(len(MONTHS) - 2):
                _period_slider(at).set_value((MONTHS[first], MONTHS[first + 2])).run()
                _check(at)
                sizes.append(_map_bytes(at))
            default.append(_map_bytes(AppTest.from_file(str(app), default_timeout=TIMEOUT_S).run()))
    measured = {
        "cold_start_s": cold,
        "period_change_s": changes,
        "script_run_s": script_runs,
        "map_mb": [max(sizes) / 1e6],
    }
    # The naive app has one view: the largest one is also its default view.
    measured["map_default_mb"] = [default[0] / 1e6] if default else measured["map_mb"]
    return measured


@contextlib.contextmanager
def _script_runs() -> Iterator[list[float]]:
    """Record how long each script run takes (Streamlit's exec of app.py), in seconds."""
    from streamlit.runtime.scriptrunner import script_runner

    runs: list[float] = []
    original = script_runner.exec_func_with_error_handling

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            runs.append(time.perf_counter() - t0)

    script_runner.exec_func_with_error_handling = timed
    try:
        yield runs
    finally:
        script_runner.exec_func_with_error_handling = original


def _period_slider(at: Any) -> Any:
    return next(s for s in at.select_slider if s.label == "Period")


def _map_bytes(at: Any) -> int:
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    return len(args["script"]) + len(args.get("feature_group") or "")


def _check(at: Any) -> None:
    if at.exception:
        msg = f"the app raised: {at.exception[0].value}"
        raise RuntimeError(msg)


def _clear_module_caches() -> None:
    """Caches that live in modules rather than in Streamlit (a cold start has none)."""
    from layers import drawing

    drawing._display_shapes.cache_clear()


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = os.environ.get(ENV_VAR)
    os.environ.pop(ENV_VAR, None)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.pop(ENV_VAR, None)
        if saved is not None:
            os.environ[ENV_VAR] = saved


# --- browser and memory: a real server ---------------------------------------------------


def browser_side(
    app: Path, data: Data, *, runs: int, steps: int, query: str
) -> dict[str, list[float]]:
    """First load, period changes and the server's peak memory, in Chromium."""
    from playwright.sync_api import sync_playwright

    load, changes, memory = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs):
            with _server(app, data.env) as (url, pid):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route(EXTERNAL_URL, lambda route: route.abort())
                page = context.new_page()
                t0 = time.perf_counter()
                page.goto(f"{url}/{query}")
                frame = _map_frame(page)
                frame.wait_for_function(
                    "() => window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.last_feature_group"
                    " && document.querySelectorAll('path.leaflet-interactive').length > 0",
                    timeout=TIMEOUT_S * 1000,
                )
                _next_paint(frame)
                load.append(time.perf_counter() - t0)
                _idle(page)
                for _ in range(steps):
                    changes.append(_period_step(page, frame))
                    _idle(page)
                memory.append(_peak_memory_mb(pid))
                context.close()
        browser.close()
    return {"browser_load_s": load, "browser_period_change_s": changes, "peak_memory_mb": memory}


def _map_frame(page: Any) -> Any:
    page.wait_for_function(
        """selector => {
            const frames = document.querySelectorAll(selector);
            return frames.length === 1 && frames[0].getBoundingClientRect().height > 0;
        }""",
        arg=MAP_IFRAME,
        timeout=TIMEOUT_S * 1000,
    )
    return page.query_selector(MAP_IFRAME).content_frame()


def _period_step(page: Any, frame: Any) -> float:
    """ArrowRight on the period's start; seconds until the map has the new layers, painted.

    streamlit-folium evaluates the new layers' script in one task (removing the old layers,
    adding the new ones, whose SVG paths Leaflet creates at once) and keeps the script in
    ``__GLOBAL_DATA__.last_feature_group``: a new value there means new paths are drawn.
    """
    frame.evaluate("() => { window.__bench_prev = window.__GLOBAL_DATA__.last_feature_group; }")
    thumb = page.get_by_role("slider", name=re.compile("^Period — start"))
    thumb.focus()
    t0 = time.perf_counter()
    thumb.press("ArrowRight")
    frame.wait_for_function(
        "() => window.__GLOBAL_DATA__.last_feature_group !== window.__bench_prev",
        polling="raf",
        timeout=TIMEOUT_S * 1000,
    )
    _next_paint(frame)
    return time.perf_counter() - t0


def _next_paint(frame: Any) -> None:
    frame.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _idle(page: Any) -> None:
    """Wait until Streamlit has finished the rerun (its status widget is gone), then a bit."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=TIMEOUT_S * 1000,
    )
    page.wait_for_timeout(300)


def _peak_memory_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process and its children, in MB."""
    total = 0
    for p in [pid, *_children(pid)]:
        status = Path(f"/proc/{p}/status").read_text()
        total += int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    return total / 1024


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids = (task / "children").read_text().split()
        for kid in map(int, kids):
            found += [kid, *_children(kid)]
    return found


@contextlib.contextmanager
def _server(app: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """``streamlit run app`` on a free port, from the app's folder; stopped at the end."""
    port = _free_port()
    command = [
        PYTHON,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.enableStaticServing",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.runOnSave",
        "false",
    ]
    clean = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=app.parent, env={**clean, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process)
            yield url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline, pause = time.monotonic() + 120, threading.Event()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"streamlit exited with {process.returncode}"
            raise RuntimeError(msg)
        health = f"{url}/_stcore/health"
        with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=1) as answer:  # noqa: S310
            if answer.status == 200:
                return
        pause.wait(0.1)
    msg = "streamlit did not become healthy in 120 s"
    raise RuntimeError(msg)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- export -------------------------------------------------------------------------------


def export_times(project: Path, data: Data, *, runs: int) -> list[float]:
    """Seconds for ``python -m mali_geo export`` (whole range) run from ``project``."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            command = [PYTHON, "-m", "mali_geo", "export", "--out", out]
            if data.path is not None:
                command += ["--incidents", str(data.path)]
            t0 = time.perf_counter()
            subprocess.run(command, cwd=project, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
    return times


@contextlib.contextmanager
def _last_commit() -> Iterator[Path]:
    """The package and data of :data:`BASELINE_COMMIT`, for the export baseline."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", BASELINE_COMMIT, "mali_geo", "geodata"],  # noqa: S607
            cwd=PROJECT_DIR,
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)  # noqa: S607
        yield Path(tmp)


# --- the naive baseline -----------------------------------------------------------------

NAIVE_APP = '''
"""Naive baseline (written by bench/run.py): one folium CircleMarker per incident."""

import os
import sys
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, {project!r})
from layers import rendering  # noqa: E402
from layers.assets import ensure_static_assets, make_offline, offline_map  # noqa: E402
from mali_geo.dataset import load_dataset  # noqa: E402
from mali_geo.importer import import_file  # noqa: E402
from mali_geo.incidents import incidents_in_period, located  # noqa: E402
from mali_geo.period import Period, month_range  # noqa: E402

# Plain folium: importing the project's layers (for the offline assets) must not lend the
# baseline the project's rendering (layers.rendering).
rendering.use(rendering.BRANCA_RENDER)
st.set_page_config(layout="wide")
ensure_static_assets(Path(__file__).resolve().parent / "static")


@st.cache_resource
def incidents():
    path = os.environ.get("MALI_GEO_INCIDENTS")
    return import_file(path).incidents if path else load_dataset().incidents


months = month_range("2012-01", "2014-12")
start, end = st.select_slider("Period", options=months, value=(months[0], months[-1]))
shown = located(incidents_in_period(incidents(), Period(start, end)))
group = folium.FeatureGroup(name="Incidents")
for i in shown.itertuples():
    folium.CircleMarker(
        [i.geometry.y, i.geometry.x],
        radius=4,
        color="#d62728",
        tooltip=f"{{i.place}} · {{i.event_type}}",
        popup=f"<b>{{i.place}}</b><br>{{i.date_start:%Y-%m-%d}} · {{i.event_type}}",
    ).add_to(group)
st.write(f"{{len(shown):,}} incidents")
st_folium(
    offline_map(location=[17.3, -2.0], zoom_start=5.5),
    key="map",
    feature_group_to_add=make_offline(group),
    returned_objects=[],
    height=620,
    use_container_width=True,
)
'''


@contextlib.contextmanager
def _naive_app() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "naive_app.py"
        app.write_text(NAIVE_APP.format(project=str(PROJECT_DIR)), encoding="utf-8")
        yield app


# --- the whole run ------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Results:
    """Measure everything; print progress as it goes."""
    paths = write_sets(sizes={s: {**SIZES, **LARGE_SIZES}[s] for s in args.sizes})
    datasets = [Data("shipped", None)] + [Data(s, paths[s]) for s in args.sizes]
    naive_sets = [d for d in datasets if d.label in args.naive_sizes]
    results = Results()
    results.notes["started"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results.notes["load_before"] = _loadavg()
    results.notes["import_s"] = f"{_import_seconds():.2f}"
    with _naive_app() as naive:
        apps = [("ours", APP, datasets), ("naive", naive, naive_sets)]
        for name, app, sets in apps:
            query = {"layers": ALL_LAYERS} if name == "ours" else {}
            url_query = f"?layers={ALL_LAYERS}" if name == "ours" else ""
            for data in sets:
                light = name == "naive" and data.label in NAIVE_SERVER_ONLY
                runs, steps = (1, 1) if light else (args.runs, args.steps)
                _log(f"{name} {data.label}: server side")
                measured = in_fresh_process(
                    server_side,
                    app,
                    data,
                    runs=runs,
                    steps=steps,
                    query=query,
                    sweep=name == "ours",
                )
                if light:  # minutes per render, tens of MB for the browser: server side once
                    results.notes[f"naive_{data.label}"] = "1 run, server side only"
                else:
                    _log(f"{name} {data.label}: browser")
                    measured |= browser_side(app, data, runs=runs, steps=steps, query=url_query)
                for measure, values in measured.items():
                    results.add(name, measure, data.label, values)
                _log(f"  {_summary(measured)}")
    for data in datasets:
        _log(f"export {data.label}")
        results.add("ours", "export_s", data.label, export_times(PROJECT_DIR, data, runs=args.runs))
        with _last_commit() as before:
            try:
                times = export_times(before, data, runs=args.runs)
            except subprocess.CalledProcessError as exc:  # the old code refused the file
                reason = exc.stderr.decode(errors="replace").strip().splitlines()[-1:]
                results.notes[f"naive_export_{data.label}"] = "; ".join(reason)
                continue
            results.add("naive", "export_s", data.label, times)
    results.notes["load_after"] = _loadavg()
    results.notes["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return results


def in_fresh_process(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``func`` in a new interpreter, as a server started for one data set would.

    A process that has served other data sets first is measurably slower (tens of ms per
    rerun at 100k: a fuller heap), which is not the situation being measured.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(func, *args, **kwargs).result()


def _warm_up(app: Path) -> None:
    """Import the app's libraries once, so cold starts measure the app and not the imports."""
    from streamlit.testing.v1 import AppTest

    AppTest.from_file(str(app), default_timeout=TIMEOUT_S).run()


def _import_seconds() -> float:
    """Seconds for a fresh interpreter to import what the app imports (not in cold starts)."""
    code = "import streamlit, streamlit_folium, folium, geopandas, altair, pyproj"
    t0 = time.perf_counter()
    subprocess.run([PYTHON, "-c", code], check=True, cwd=PROJECT_DIR)
    return time.perf_counter() - t0


def _summary(measured: dict[str, list[float]]) -> str:
    return ", ".join(f"{k} {statistics.median(v):.3g}" for k, v in measured.items() if v)


def _log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[0]


# --- the report -----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    versions = {}
    for package in ("streamlit", "streamlit_folium", "folium", "pandas", "geopandas"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[package] = version(package.replace("_", "-"))
    return {
        "cpus": str(os.cpu_count()),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "chromium": chromium,
        "kernel": platform.release(),
        "libraries": ", ".join(f"{k} {v}" for k, v in versions.items()),
    }


def report(results: Results, datasets: Sequence[str], args: argparse.Namespace) -> str:
    """bench/RESULTS.md as Markdown."""
    info = machine()
    head = [
        "# Benchmark results (issue 5)",
        "",
        f"Measured {results.notes['started']} to {results.notes['finished']} (UTC) by "
        "`python -m bench.run` "
        f"({args.runs} runs of everything, {args.steps} period changes per run; medians).",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['ram']} RAM, Linux "
        f"{info['kernel']}; Python {info['python']}; {info['chromium']}; {info['libraries']}. "
        f"Load average (1 min) {results.notes['load_before']} before, "
        f"{results.notes['load_after']} after: the machine was shared, so single runs vary.",
        "",
    ]
    body = [
        "## Results",
        "",
        *_table(results, "ours", datasets, with_targets=True),
        "",
        "✓ / ✗: target of the issue met or not (targets exist for the shipped data and for "
        "100,000 incidents). Synthetic sets are made by `bench/generate.py` (seeded, never "
        "shipped).",
        "",
        "## Naive baseline, same run",
        "",
        "One folium `CircleMarker` per incident in a `FeatureGroup` (tooltip and popup each), "
        "drawn by a minimal Streamlit app with the same offline assets and period slider and "
        "nothing else (no context basemap, regions, towns, flows, charts or downloads: at the "
        "shipped size it does less than the dashboard); for the export row, the code "
        f"before this work (`git archive {BASELINE_COMMIT[:7]}`). "
        + " ".join(
            f"At {k.removeprefix('naive_')}: {v} (one render takes minutes; the browser part "
            "was not run)."
            for k, v in results.notes.items()
            if k.startswith("naive_")
        ),
        "",
        *_table(results, "naive", datasets, with_targets=False),
        "",
        "## Ratio: naive / ours (how many times faster or smaller; above 1x is better)",
        "",
        *_ratios(results, datasets),
        "",
        NOTES.format(import_s=results.notes["import_s"], steps=args.steps),
    ]
    return "\n".join(head + body) + "\n"


def _table(results: Results, app: str, datasets: Sequence[str], *, with_targets: bool) -> list[str]:
    large = with_targets and "1m" in datasets
    heading = "target shipped / 100k" + (" / 1M" if large else "")
    cols = ["measure", *([heading] if with_targets else []), *datasets]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for measure, label in LABELS.items():
        row = [label]
        if with_targets:
            target = TARGETS.get(measure)
            text = f"≤ {target[0]:g} / ≤ {target[1]:g}" if target else "–"
            if large and measure in TARGETS_1M:
                text += f" / ≤ {TARGETS_1M[measure]:g}"
            row.append(text)
        for data in datasets:
            value = results.median(app, measure, data)
            row.append(_cell(value, measure, data if with_targets else None))
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _cell(value: float | None, measure: str, data: str | None) -> str:
    if value is None:
        return "not run"
    text = f"{value:.3g}" if value < 100 else f"{value:.0f}"
    target = TARGETS.get(measure)
    if data is not None and target is not None and data in ("shipped", "100k"):
        limit = target[0] if data == "shipped" else target[1]
        text += " ✓" if value <= limit else " ✗"
    elif data == "1m" and measure in TARGETS_1M:
        text += " ✓" if value <= TARGETS_1M[measure] else " ✗"
    return text


def _ratios(results: Results, datasets: Sequence[str]) -> list[str]:
    lines = ["| measure | " + " | ".join(datasets) + " |", "|" + "---|" * (len(datasets) + 1)]
    for measure, label in LABELS.items():
        row = [label]
        for data in datasets:
            ours = results.median("ours", measure, data)
            naive = results.median("naive", measure, data)
            row.append(f"{naive / ours:.1f}x" if ours and naive else "–")
        lines.append("| " + " | ".join(row) + " |")
    return lines


NOTES = textwrap.dedent(
    """\
    ## What each number measures

    - **Cold start**: one `AppTest.from_file("app.py").run()` with `MALI_GEO_INCIDENTS` set
      to the data set, after `st.cache_data.clear()` and `st.cache_resource.clear()`: loading
      and validating the shipped files, importing the incident file (about 1.7 s of the 100k
      figure), building every layer, rendering the map and the rest of the page. Each data
      set is measured in its own fresh Python process (as a server started with that file),
      after one warm-up run for the library imports (a fresh interpreter takes {import_s} s to
      import streamlit, streamlit-folium, folium, geopandas, altair and pyproj).
    - **Period change, server side**: AppTest reruns after moving the period's start one
      month on, from the whole range, {steps} times per run: every period is new to the caches.
      Every data layer is on, the incidents included (the default view leaves them off). The
      row below it times only Streamlit's run of the script in those reruns (AppTest's own
      work on the result, about 15 ms, left out).
    - **Map data**: `len(script) + len(feature_group)` of the map component's `json_args`.
      Largest view: the largest over the whole range and every 3-month window with every
      layer on (the naive app: over the views of the period changes). Default view: the page
      as it opens (whole range; regions, towns, bases, flows, key events and context on, the
      incidents off). The base map (context layer, about 0.13 MB) is part of both.
    - **Browser**: Debian's Chromium (headless, every non-local request aborted) against
      `streamlit run app.py` started with the data set. First load: from `page.goto` until the
      map iframe has its layers' SVG paths, painted. Period change: from ArrowRight on the
      "Period — start" slider until streamlit-folium has evaluated the new layers' script
      (Leaflet adds the new paths in that same task) and two animation frames have passed.
      The page waits for Streamlit to finish each rerun before the next key press.
    - **Peak memory**: `VmHWM` from `/proc/<pid>/status` of the `streamlit run` process (plus
      any children) at the end of the browser scenario of that run.
    - **Export**: wall time of `python -m mali_geo export --out DIR` (with `--incidents FILE`
      for the synthetic sets) as a subprocess: interpreter start, imports, import of the file,
      every layer for the whole range, GeoJSON written.

    Above 2,000 incidents with a coordinate in a view, the incidents layer shows them
    aggregated in 25 km equal-area grid cells (`layers/incidents.py`,
    `mali_geo.incidents.incidents_grid`), which is why the map data stays small at 10k and
    100k; the downloads and the export always hold every incident.
    """
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description="Measure the rows of bench/RESULTS.md.")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (median)")
    parser.add_argument("--steps", type=int, default=5, help="period changes per run")
    parser.add_argument(
        "--sizes", default=",".join(SIZES), type=_names, help="synthetic sets, e.g. 1k,10k,100k"
    )
    parser.add_argument(
        "--naive-sizes",
        default="shipped,1k,10k,100k",
        type=_names,
        help="data sets for the naive baseline (100k: one run, server side only)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_MD, help="the Markdown report")
    args = parser.parse_args(argv)
    results = run(args)
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(
        json.dumps({"values": results.values, "notes": results.notes, "machine": machine()})
    )
    datasets = ["shipped", *args.sizes]
    args.out.write_text(report(results, datasets, args), encoding="utf-8")
    _log(f"wrote {args.out} and {RESULTS_JSON}")
    return 0


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


if __name__ == "__main__":
    raise SystemExit(main())
