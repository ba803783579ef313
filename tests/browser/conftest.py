"""Browser suite fixtures: build the default site once, serve it on loopback, drive Debian's Chromium.

Chromium is never downloaded: Playwright launches the executable at ``FACTSHEET_CHROMIUM``
(default ``/usr/bin/chromium``, from Debian's ``chromium`` package). Without it the browser
tests are skipped loudly on a workstation and fail when ``CI`` is set.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOST, REPO, SKIP_REASON, Session, open_session, serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(problem: str) -> None:
    """Fail under CI, skip (loudly, see the terminal summary) elsewhere. Never returns."""
    if _in_ci():
        pytest.fail(f"{problem}; CI is set, so the browser tests fail instead of skipping", pytrace=False)
    pytest.skip(f"{SKIP_REASON} [{problem}]")


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outermost: printed after pytest's short summary
def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> Iterator[None]:
    yield
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_REASON in str(getattr(report, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep("!", f"{SKIP_REASON} ({len(skipped)} tests)", red=True, bold=True)
        terminalreporter.write_line(
            "The site was NOT checked in a browser (reasons above). Skipped is not passed.", red=True
        )


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium executable at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, chromium_executable: str) -> Path:
    """The default site, built once per session with ``mkdocs build --strict`` into a temp dir."""
    out = tmp_path_factory.mktemp("site")
    config = REPO / "mkdocs.yml"
    if not config.is_file():
        pytest.fail(f"{config} is missing: nothing to build", pytrace=False)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"mkdocs build --strict failed (exit {proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}",
            pytrace=False,
        )
    sys.stderr.write(f"\nbrowser suite: site built in {time.perf_counter() - started:.1f}s into {out}\n")
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # the browser drops connections it no longer needs; that is not a test failure
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 at an ephemeral port."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    with serving(_Server((LOCAL_HOST, 0), handler), "site-server") as url:
        yield url


# ------------------------------------------------------------------ the browser


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        _unavailable(f"the playwright package is not installed ({exc}); run pip install -e '.[test]'")
    manager = sync_playwright().start()
    try:
        launched = manager.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
        )
    except Exception:
        manager.stop()
        raise
    try:
        yield launched
    finally:
        launched.close()
        manager.stop()


@pytest.fixture(scope="session")
def all_requests() -> list[str]:
    """Every request any browser context of this session made, in order."""
    return []


@pytest.fixture
def session(browser: Browser, all_requests: list[str]) -> Iterator[Session]:
    """A fresh browser context (viewport 1280x900) for one test."""
    s = open_session(browser, all_requests)
    try:
        yield s
    finally:
        s.context.close()


@pytest.fixture
def browse(session: Session, base_url: str) -> Session:
    """A fresh browser context, with the default site served at ``base_url``."""
    return session
