"""The Zensical build of the briefing (see tests/test_zensical.py) in Chromium: search finds
names in Latin, Cyrillic and Hangul, and nothing is fetched from another host.
"""

from __future__ import annotations

import functools
import http.server
import time
from collections.abc import Iterator
from typing import Any

import pytest
from test_zensical import build_zensical

from .support import ARTIFACTS, LOCAL_HOST, Session, serving

pytestmark = pytest.mark.browser

SEARCHES = [
    ("Kim Jong", "actors/kim-jong-un/"),
    ("Путин", "actors/vladimir-putin/"),
    ("김정은", "actors/kim-jong-un/"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory, chromium_executable: str) -> Iterator[str]:
    """The Zensical site, built by the documented steps and served on 127.0.0.1."""
    site = build_zensical(tmp_path_factory.mktemp("zensical-browser"))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    with serving(server, "zensical-server", "/") as url:
        yield url


def test_pages_render_with_their_styles(session: Session, zensical_url: str) -> None:
    response = session.page.goto(zensical_url + "actors/kim-jong-un/", wait_until="networkidle")
    assert response is not None and response.status == 200
    assert session.page.locator("article h1").first.inner_text().startswith("Kim Jong Un")
    badge = session.page.evaluate(
        "() => { const b = document.querySelector('.fs-status'); return b ? getComputedStyle(b).borderTopStyle : null; }"
    )
    assert badge in ("solid", "dashed"), "factsheet.css does not apply to the status badges"
    ARTIFACTS.mkdir(exist_ok=True)
    session.page.screenshot(path=str(ARTIFACTS / "zensical-actor-kim-jong-un.png"), full_page=True)
    assert not session.take_console_errors()
    assert not session.foreign_requests(), session.foreign_requests()


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_search_finds_names_in_every_script(
    session: Session, zensical_url: str, query: str, expected: str
) -> None:
    page = session.page
    page.goto(zensical_url + "actors/kim-jong-un/", wait_until="load")
    page.keyboard.press("/")  # opens Zensical's search dialog with its box focused
    page.wait_for_timeout(200)
    page.keyboard.type(query, delay=40)
    want = zensical_url + expected
    results: list[str] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # the results live in an open shadow root, which Playwright's selectors enter
        hrefs = page.locator("[role=listbox] a[role=option]").evaluate_all("els => els.map(e => e.href)")
        results = [h.split("?")[0].split("#")[0] for h in hrefs]
        if want in results[:5]:
            break
        page.wait_for_timeout(200)
    assert want in results[:5], f"Zensical search for {query!r}: {expected} not among {results[:5] or 'none'}"
    assert not session.take_console_errors()
    assert not session.foreign_requests(), session.foreign_requests()
