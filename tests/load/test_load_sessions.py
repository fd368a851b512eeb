"""Load: 20 visitors change periods while another imports a large file, on one local server.

Each visitor is a real Streamlit session on the app's websocket (``/_stcore/stream``, loopback
only), speaking the browser's protocol: it asks for a run, reads the period slider out of the
page it gets back, then moves the slider, as a browser does when a user drags it, and times
each move from the request to the end of the run. Meanwhile a Chromium page uploads a
40 MB synthetic incident file (generated in a temporary folder, labelled synthetic).

Bounded: 20 sessions of 6 moves, each run at most 60 s, the whole test at most 5 minutes
(about 90 s on a 2-core machine).
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import StartStreamlit, wait_for_map
from playwright.sync_api import Browser, Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect

from mali_geo.period import month_range

pytestmark = pytest.mark.browser

SESSIONS = 20
MOVES = 6
#: A visitor's pause between two moves (think time, spread at random so moves overlap).
THINK_S = (2.0, 5.0)
RUN_TIMEOUT_S = 60.0
#: The whole test's bound: visitors still running then count as failures.
DEADLINE_S = 300.0
IMPORT_BYTES = 40 * 2**20
MONTHS = month_range("2012-01", "2014-12")
SLIDER_LABEL = "Period"


@dataclass
class Session:
    """One visitor's websocket session."""

    ws: ClientConnection
    slider_id: str = ""
    problems: list[str] = field(default_factory=list)

    def run(self, widgets: list[tuple[str, list[str]]] | None = None) -> float:
        """Ask for a run (with widget values, as after a user's move); its duration in s."""
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        for widget_id, values in widgets or []:
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            state.string_array_value.data.extend(values)
        started = time.monotonic()
        self.ws.send(msg.SerializeToString())
        self._read_until_finished(started + RUN_TIMEOUT_S)
        return time.monotonic() - started

    def move_period(self, start: str, end: str) -> float:
        """Move the period slider, as the browser does; the run's duration in s."""
        return self.run([(self.slider_id, [start, end])])

    def _read_until_finished(self, deadline: float) -> None:
        while True:
            raw = self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._read_element(fwd.delta.new_element)
            elif kind == "script_finished":
                return

    def _read_element(self, element: object) -> None:
        kind = element.WhichOneof("type")  # type: ignore[attr-defined]
        if kind == "slider" and element.slider.label == SLIDER_LABEL:  # type: ignore[attr-defined]
            self.slider_id = element.slider.id  # type: ignore[attr-defined]
        elif kind == "exception":
            self.problems.append(element.exception.message)  # type: ignore[attr-defined]
        elif kind == "alert" and element.alert.format == 1:  # type: ignore[attr-defined]
            self.problems.append(element.alert.body)  # type: ignore[attr-defined]


@dataclass
class Measured:
    """What the visitors saw: each move's duration and when it started, and any failure."""

    moves: list[tuple[float, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    import_window: tuple[float, float] = (0.0, 0.0)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Set once every visitor has moved twice on average: the import starts then, so that
    #: moves before, during and after it can be compared.
    warmed_up: threading.Event = field(default_factory=threading.Event)

    def durations(
        self, *, during_import: bool = False, outside_import: bool = False
    ) -> list[float]:
        """Move durations: all, only those started during the import, or only the others."""
        first, last = self.import_window
        if during_import:
            return [d for t, d in self.moves if first <= t <= last]
        if outside_import:
            return [d for t, d in self.moves if not first <= t <= last]
        return [d for _, d in self.moves]


def synthetic_incidents(path: Path, size: int) -> Path:
    """Write a synthetic plain CSV of about ``size`` bytes (labelled synthetic in every row)."""
    rng = random.Random(7)  # noqa: S311 - synthetic data, not security
    header = "id,date,lat,lon,place,event_type,fatalities,source,notes\n"
    types = ("battle", "armed_attack", "air_strike", "other")
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        written, i = len(header), 0
        while written < size:
            i += 1
            line = (
                f"SYN-{i},{rng.randint(1997, 2026)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d},{rng.uniform(11, 24):.4f},{rng.uniform(-11, 4):.4f},"
                f"Synthetic place {i % 500},{types[i % 4]},{i % 7},https://example.org/s/{i},"
                "synthetic row for a load test\n"
            )
            out.write(line)
            written += len(line)
    return path


def stream_url(base_url: str) -> str:
    """The app's websocket on the loopback server."""
    return f"ws://{urlparse(base_url).netloc}/_stcore/stream"


def visitor(base_url: str, seed: int, go: threading.Event, measured: Measured) -> None:
    """Open a session, wait for the start, then move the period ``MOVES`` times."""
    rng = random.Random(seed)  # noqa: S311 - think times, not security
    pause = threading.Event()  # never set: its wait() is the visitor's think time
    try:
        with connect(stream_url(base_url), subprotocols=["streamlit"], max_size=None) as ws:
            session = Session(ws)
            session.run()
            assert session.slider_id, "the period slider was not found in the page"
            go.wait(timeout=RUN_TIMEOUT_S)
            # Visitors arrive at their own moments, not all in the same millisecond: the first
            # move, like every other, follows a think time.
            pause.wait(rng.uniform(0.0, THINK_S[1]))
            for _ in range(MOVES):
                i = rng.randrange(len(MONTHS) - 1)
                j = rng.randrange(i, len(MONTHS))
                started = time.monotonic()
                duration = session.move_period(MONTHS[i], MONTHS[j])
                with measured.lock:
                    measured.moves.append((started, duration))
                    if len(measured.moves) >= 2 * SESSIONS:
                        measured.warmed_up.set()
                pause.wait(rng.uniform(*THINK_S))
        with measured.lock:
            measured.failures.extend(session.problems)
    except Exception as exc:  # noqa: BLE001 - any failure of a visitor is reported, not raised
        with measured.lock:
            measured.failures.append(f"visitor {seed}: {type(exc).__name__}: {exc}")


@pytest.fixture(scope="module")
def measured(
    start_streamlit: StartStreamlit,
    browser: Browser,
    tmp_path_factory: pytest.TempPathFactory,
) -> Measured:
    # Its own server (the env differs), so no other test has warmed or loaded its caches.
    base_url = start_streamlit(env={"MALI_GEO_LOAD_TEST": "1"})
    big = synthetic_incidents(tmp_path_factory.mktemp("load") / "synthetic_40mb.csv", IMPORT_BYTES)
    result = Measured()
    go = threading.Event()
    threads = [
        threading.Thread(target=visitor, args=(base_url, seed, go, result), daemon=True)
        for seed in range(SESSIONS)
    ]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page: Page = context.new_page()
    page.goto(base_url)
    wait_for_map(page)
    for thread in threads:
        thread.start()
    go.set()
    result.warmed_up.wait(timeout=RUN_TIMEOUT_S)
    started = time.monotonic()
    page.locator("input[type=file]").set_input_files(big)
    expect(page.get_by_text("Import report", exact=False).first).to_be_visible(timeout=180_000)
    result.import_window = (started, time.monotonic())
    for thread in threads:
        thread.join(timeout=max(started + DEADLINE_S - time.monotonic(), 0.0))
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        result.failures.append(f"{stuck} visitor(s) still running after {DEADLINE_S:.0f} s")
    context.close()
    durations = sorted(result.durations()) or [float("nan")]
    during = sorted(result.durations(during_import=True))
    print(  # the numbers, for the report of a CI run (pytest -s or -rA)
        f"\nload: {len(durations)} moves, p50 {_pct(durations, 50):.2f} s, "
        f"p95 {_pct(durations, 95):.2f} s, max {durations[-1]:.2f} s; during the import "
        f"({result.import_window[1] - started:.1f} s): {len(during)} moves, "
        f"p95 {_pct(during, 95):.2f} s; outside it: p95 "
        f"{_pct(sorted(result.durations(outside_import=True)), 95):.2f} s; "
        f"failures: {result.failures[:3]}"
    )
    return result


def _pct(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def test_every_visitor_move_completes_without_error(measured: Measured) -> None:
    assert measured.failures == []
    assert len(measured.moves) == SESSIONS * MOVES


# Responsiveness is measured here and printed, not asserted (speed is the benchmark's and
# the README's business, not a timed test's): on 2 cores, 20 visitors moving every 2-5 s share
# the one core the GIL allows; README's "Reliability and limits" gives the numbers.
