"""While serving with broken content, every page shows the errors (file:line: message) in a
banner above the last good content, in the browser; once the file is fixed, the banner goes.
A real ``mkdocs serve``, with its live reload, and Chromium."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .support import open_session

if TYPE_CHECKING:
    from playwright.sync_api import Browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared project helpers
from projects import make_project
from test_serve_faults import _free_port, serve, wait_for

pytestmark = pytest.mark.browser


def test_the_error_banner_shows_on_every_page_while_serving_and_goes_once_fixed(
    browser: Browser, all_requests: list[str], tmp_path: Path
) -> None:
    project = make_project(tmp_path / "p")
    russia = project / "content" / "actors" / "russia.yaml"
    good = russia.read_text(encoding="utf-8")
    port = _free_port()
    handle = (tmp_path / "serve.log").open("w")
    proc = serve(project, port, handle)
    base = f"http://127.0.0.1:{port}"
    session = open_session(browser, all_requests)
    page = session.page
    try:
        wait_for(f"{base}/actors/kim-jong-un/", "Leader of North Korea.", 90)
        russia.write_text(good.replace("type: state", "type: stat"), encoding="utf-8")
        wait_for(f"{base}/actors/kim-jong-un/", "fs-errors", 60)
        for path in ("/", "/timeline/", "/guide/", "/actors/kim-jong-un/"):
            page.goto(base + path, wait_until="load")
            banner = page.locator(".fs-errors[role=alert]")
            assert banner.is_visible(), path
            text = banner.inner_text()
            assert "The content has 1 problem." in text and "russia.yaml:3:7: type:" in text, path
            # above the page's own content: the banner comes before the title
            above = page.evaluate(
                """() => document.querySelector('.fs-errors').getBoundingClientRect().top
                    < document.querySelector('article h1').getBoundingClientRect().top"""
            )
            assert above, path
        assert "Leader of North Korea." in page.locator("article").inner_text()  # the last good Kim page
        russia.write_text(good, encoding="utf-8")
        page.wait_for_function("() => !document.querySelector('.fs-errors')", timeout=60_000)  # live reload
        page.goto(base + "/", wait_until="load")
        assert page.locator(".fs-errors").count() == 0
    finally:
        session.context.close()
        proc.terminate()
        proc.wait(timeout=10)
        handle.close()
