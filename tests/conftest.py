"""Shared fixtures: a local Streamlit server, Debian's Chromium, and pages that stay offline.

Browser tests use Debian's ``/usr/bin/chromium`` (never ``playwright install``), abort every
request that leaves the machine, and record what they aborted, so a test can assert that the
app asked for nothing external.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import fuzzing
import pytest
from playwright.sync_api import (
    Browser,
    FrameLocator,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
# A rerun that computes a chapter's checks or a new period can take a few seconds on a busy
# 2-core CI machine; assertions poll until then (this is a ceiling, not a wait).
expect.set_options(timeout=20_000)
APP_PATH = PROJECT_DIR / "app.py"
ARTIFACTS_DIR = PROJECT_DIR / "tests" / "artifacts"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: Any http(s) URL whose host is not localhost or 127.0.0.1.
EXTERNAL_URL = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"

SERVER_START_TIMEOUT_S = 60.0
SERVER_STOP_TIMEOUT_S = 10.0
MAP_TIMEOUT_MS = 30_000

StartStreamlit = Callable[..., str]


@dataclass
class StreamlitServer:
    """A ``streamlit run`` subprocess and where it listens."""

    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] = field(repr=False)

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop in time) and close its log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=SERVER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--fuzz``: run the importer's fuzz tests with many more examples (minutes, not seconds)."""
    parser.addoption(
        "--fuzz",
        action="store_true",
        default=False,
        help=f"fuzz the importer with {fuzzing.FUZZ_EXAMPLES:,} examples instead of "
        f"{fuzzing.EXAMPLES:,}",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Apply ``--fuzz`` before the test modules read :data:`fuzzing.EXAMPLES`."""
    if config.getoption("--fuzz"):
        fuzzing.EXAMPLES = fuzzing.FUZZ_EXAMPLES


@pytest.fixture(scope="session", autouse=True)
def _import_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Imports (and the processes tests start) cache into a temporary folder, never the user's."""
    previous = os.environ.get("MALI_GEO_CACHE")
    os.environ["MALI_GEO_CACHE"] = str(tmp_path_factory.mktemp("import-cache"))
    yield
    if previous is None:
        os.environ.pop("MALI_GEO_CACHE", None)
    else:
        os.environ["MALI_GEO_CACHE"] = previous


@pytest.fixture(scope="session")
def start_streamlit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartStreamlit]:
    """Start Streamlit servers on free ports; all are stopped at the end of the session.

    Yields a function ``start(app_path=APP_PATH, env=None) -> base_url``. ``env`` is added to
    this process's environment (e.g. ``{"MALI_GEO_INCIDENTS": str(path)}``). The same app
    and env share one server.
    """
    servers: dict[tuple[Path, frozenset[tuple[str, str]]], StreamlitServer] = {}
    log_dir = tmp_path_factory.mktemp("streamlit-logs")

    def start(app_path: Path = APP_PATH, env: Mapping[str, str] | None = None) -> str:
        app_path = Path(app_path).resolve()
        key = (app_path, frozenset((env or {}).items()))
        if key not in servers:
            servers[key] = _start_server(app_path, env or {}, log_dir / f"{len(servers)}.log")
        return servers[key].base_url

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def streamlit_server(start_streamlit: StartStreamlit) -> str:
    """Return the base URL of the project's ``app.py`` served by Streamlit."""
    return start_streamlit()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright; fails (never skips) if missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium "
            "(apt-get install -y chromium; .ci/run does it). Never `playwright install`.",
            pytrace=False,
        )
    playwright: Playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Open a page that cannot reach beyond this machine.

    Every request to a host other than localhost/127.0.0.1 is aborted and its URL appended to
    ``page.aborted_urls``. Console errors and uncaught exceptions, of the page and its iframes,
    go to ``page.console_errors``.
    """
    new_page = offline_page(browser)
    yield new_page
    new_page.context.close()


def offline_page(browser: Browser) -> Page:
    """A page in a context of its own that cannot reach beyond this machine.

    As the ``page`` fixture describes (``aborted_urls``, ``console_errors``); the caller closes
    its context (``page.context.close()``).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    aborted: list[str] = []
    errors: list[str] = []

    def abort(route: Route) -> None:
        aborted.append(route.request.url)
        route.abort()

    context.route(EXTERNAL_URL, abort)
    new_page = context.new_page()
    new_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    new_page.on("pageerror", lambda exc: errors.append(str(exc)))
    new_page.aborted_urls = aborted  # type: ignore[attr-defined]
    new_page.console_errors = errors  # type: ignore[attr-defined]
    return new_page


@pytest.fixture
def artifacts_dir() -> Path:
    """``tests/artifacts``, for screenshots (git-ignored)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


def wait_for_map(page: Page, *, timeout_ms: float = MAP_TIMEOUT_MS) -> FrameLocator:
    """Wait until the st_folium map has drawn, and return its frame.

    That is: exactly one map iframe (during a remount there are two for a moment) with a
    non-zero height (it has none until the map draws), and a ``.leaflet-container`` in it.

    Parameters
    ----------
    page
        A page showing the app.
    timeout_ms
        How long to wait, in milliseconds.

    Returns
    -------
    FrameLocator
        The map's iframe.
    """
    page.wait_for_function(
        """selector => {
            const frames = document.querySelectorAll(selector);
            return frames.length === 1 && frames[0].getBoundingClientRect().height > 0;
        }""",
        arg=MAP_IFRAME,
        timeout=timeout_ms,
    )
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container").wait_for(state="visible", timeout=timeout_ms)
    return frame


@contextmanager
def running_servers(
    envs: Sequence[Mapping[str, str]], log_dir: Path, *, app_path: Path = APP_PATH
) -> Iterator[list[StreamlitServer]]:
    """Run one ``streamlit run app_path`` per env, all at once; stop every one on leaving.

    The servers are launched together (on distinct free ports) before any is waited for, so
    they start side by side, as replicas behind a load balancer would.

    Parameters
    ----------
    envs
        What each server adds to this process's environment.
    log_dir
        Where each server's output goes (``replica-0.log``, ...).
    app_path
        The Streamlit app to run.

    Yields
    ------
    list of StreamlitServer
        The healthy servers, in the order of ``envs``.
    """
    servers: list[StreamlitServer] = []
    try:
        for i, (env, port) in enumerate(zip(envs, _free_ports(len(envs)), strict=True)):
            servers.append(_launch_server(app_path, env, log_dir / f"replica-{i}.log", port))
        for server in servers:
            _wait_until_healthy(server)
        yield servers
    finally:
        for server in servers:
            server.stop()


def _start_server(app_path: Path, env: Mapping[str, str], log_path: Path) -> StreamlitServer:
    """Run ``streamlit run app_path`` from its folder and wait until it is healthy."""
    server = _launch_server(app_path, env, log_path, _free_ports(1)[0])
    try:
        _wait_until_healthy(server)
    except BaseException:
        server.stop()
        raise
    return server


def _launch_server(
    app_path: Path, env: Mapping[str, str], log_path: Path, port: int
) -> StreamlitServer:
    """Start ``streamlit run app_path`` from its folder on ``port`` (without waiting)."""
    if not app_path.is_file():
        pytest.fail(f"No Streamlit app at {app_path}", pytrace=False)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path),
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
    ]
    log = log_path.open("wb")
    process = subprocess.Popen(
        command,
        # Streamlit reads .streamlit/config.toml from the working directory.
        cwd=app_path.parent,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return StreamlitServer(f"http://127.0.0.1:{port}", process, log_path, log)


def _wait_until_healthy(server: StreamlitServer) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok``, the process dies or time runs out."""
    host, port = server.base_url.removeprefix("http://").split(":")
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    pause = threading.Event()
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"Streamlit exited with {server.process.returncode}:\n"
                f"{server.log_path.read_text(errors='replace')}",
                pytrace=False,
            )
        if _is_healthy(host, int(port)):
            return
        pause.wait(0.1)
    pytest.fail(
        f"Streamlit not healthy after {SERVER_START_TIMEOUT_S} s:\n"
        f"{server.log_path.read_text(errors='replace')}",
        pytrace=False,
    )


def _is_healthy(host: str, port: int) -> bool:
    """Whether Streamlit's health endpoint answers 200 right now."""
    connection = http.client.HTTPConnection(host, port, timeout=1)
    try:
        connection.request("GET", "/_stcore/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _free_ports(count: int) -> list[int]:
    """Return ``count`` distinct TCP ports on 127.0.0.1 that nothing listens on right now."""
    with ExitStack() as stack:
        socks = [
            stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            for _ in range(count)
        ]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))  # held until all are bound, so no port comes twice
        return [sock.getsockname()[1] for sock in socks]


def wait_for_idle(page: Page, *, timeout_ms: float = MAP_TIMEOUT_MS) -> None:
    """Wait until the Streamlit script has finished its run (a click is then never lost).

    Streamlit marks its app element with ``data-test-script-state``: ``running`` while the
    script runs, ``notRunning`` once the page is complete.
    """
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]')
                    ?.getAttribute('data-test-script-state') === 'notRunning'""",
        timeout=timeout_ms,
    )
