"""Shared by the browser suite's fixtures and tests: paths, launch settings, request recording."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("FACTSHEET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
SKIP_REASON = "BROWSER TESTS SKIPPED: install chromium (apt-get install chromium)"
LOCAL_HOST = "127.0.0.1"


@dataclass
class Session:
    """One browser context with every request and console error it saw."""

    context: BrowserContext
    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return sorted({url for url in self.requests if not is_local(url)})

    def take_console_errors(self) -> list[str]:
        errors, self.console_errors = self.console_errors, []
        return errors


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == LOCAL_HOST


def open_session(browser: Browser, all_requests: list[str]) -> Session:
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    session = Session(context, page)

    def on_request(request: Any) -> None:
        session.requests.append(request.url)
        all_requests.append(request.url)

    def block_foreign(route: Any) -> None:
        # recorded above; aborted so a closed network cannot stall the test
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    context.on("request", on_request)
    context.route("**/*", block_foreign)
    page.on(
        "console",
        lambda msg: (
            session.console_errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: session.console_errors.append(f"uncaught: {exc}"))
    return session


@contextmanager
def serving(server: Any, name: str, path: str = "") -> Iterator[str]:
    """Run an HTTP server bound to 127.0.0.1 in a thread; yield its URL (with ``path``), stop it after."""
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
