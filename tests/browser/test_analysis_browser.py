"""The analysis pages of the default site in Chromium: the sanctions table filters, sorts,
prints and is whole without JavaScript; every node of the maps leads to the right page.

Run alone with ``.venv/bin/pytest tests/browser/test_analysis_browser.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from generator.build import load_graph
from generator.link import Graph
from generator.model import Sanction

from .support import REPO, Session

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ROWS = ".fs-table tbody tr"
SHOWN = ".fs-table tbody tr:not([hidden])"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph(REPO / "content")


def shown_names(page: Page) -> list[str]:
    return page.eval_on_selector_all(SHOWN, "rows => rows.map(r => r.cells[1].textContent.trim())")


def test_sanctions_overview_filters_and_sorts(browse: Session, base_url: str, graph: Graph) -> None:
    page = browse.page
    page.goto(f"{base_url}/sanctions-overview/", wait_until="load")
    sanctions = {graph.entity(i).name: graph.entity(i) for i in graph.by_kind["sanctions"]}
    assert page.locator(ROWS).count() == len(sanctions) == 6
    status = page.locator(".fs-table__status")
    assert status.text_content() == "Showing all 6 measures"

    # imposed by the United States: exactly the sanctions whose imposed_by holds it
    page.select_option('select[data-column="2"]', "United States")
    expected = {
        n for n, s in sanctions.items() if isinstance(s, Sanction) and "united-states" in s.imposed_by
    }
    assert set(shown_names(page)) == expected and len(expected) == 3
    assert status.text_content() == "Showing 3 of 6 measures (Imposed by = United States)"
    # and, on top, a target
    page.select_option('select[data-column="3"]', "Intellekt LLC")
    assert shown_names(page) == [n for n in expected if "Intellekt" in n]
    page.click(".fs-table__reset")
    assert page.locator(SHOWN).count() == 6 and page.input_value('select[data-column="2"]') == ""

    # targets and status lists hold the values of their columns
    targets = page.eval_on_selector_all('select[data-column="3"] option', "os => os.map(o => o.value)")
    assert targets == ["", "Intellekt LLC", "North Korea", "Russia"]
    page.select_option('select[data-column="6"]', "In force")
    assert page.locator(SHOWN).count() == 6  # every measure of the briefing is in force
    page.click(".fs-table__reset")

    # sorting by date: latest first on the second press, undated always at one end
    header = page.locator(".fs-table thead th").nth(0)
    header.click()
    assert page.locator(".fs-table thead th").nth(0).get_attribute("aria-sort") == "ascending"
    first_up = shown_names(page)
    header.click()
    assert page.locator(".fs-table thead th").nth(0).get_attribute("aria-sort") == "descending"
    assert shown_names(page) == list(reversed(first_up))
    keys = page.eval_on_selector_all(
        SHOWN, "rows => rows.map(r => Number(r.cells[0].querySelector('[data-sort]').dataset.sort))"
    )
    assert keys == sorted(keys, reverse=True)
    # by name, from the keyboard
    page.locator(".fs-table thead th").nth(1).focus()
    page.keyboard.press("Enter")
    names = shown_names(page)
    assert names == sorted(names, key=str.casefold)
    # no <input>, <button> or <form> inside the article: lists and focusable headings do it
    assert page.locator("article :is(input, button, form, textarea)").count() == 0
    assert browse.take_console_errors() == []
    assert browse.foreign_requests() == []


def test_sanctions_table_is_whole_without_javascript_and_prints_without_controls(
    browser: Browser, base_url: str, browse: Session
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        bare = context.new_page()
        bare.goto(f"{base_url}/sanctions-overview/", wait_until="load")
        assert bare.locator(ROWS).count() == 6 and bare.locator(SHOWN).count() == 6
        assert bare.locator(".fs-table__controls").count() == 0
    finally:
        context.close()
    page = browse.page
    page.goto(f"{base_url}/sanctions-overview/", wait_until="load")
    page.select_option('select[data-column="2"]', "United States")
    page.emulate_media(media="print")
    assert not page.locator(".fs-table__controls").is_visible()
    assert page.locator(".fs-table__status").is_visible()  # a filtered print says so
    assert page.locator(SHOWN).count() == 3
    page.emulate_media(media="screen")


def _node_links(page: Page) -> list[tuple[str, str]]:
    """(path the link leads to, the node's full name) for every node of the page's map."""
    return page.eval_on_selector_all(
        ".fs-map a",
        """els => els.map(a => [new URL(a.getAttribute('href'), document.baseURI).pathname,
                                 a.querySelector('title').textContent])""",
    )


def test_every_map_node_links_to_its_page(browse: Session, base_url: str, graph: Graph) -> None:
    page = browse.page
    by_name = {graph.entity(i).name: i for i in graph.by_kind["actors"]}
    for path in ("/maps/kim-jong-un/", "/maps/", "/maps/russia/"):
        response = page.goto(base_url + path, wait_until="load")
        assert response is not None and response.status == 200, path
        links = _node_links(page)
        assert len(links) >= 5, path
        for target, name in links:
            assert target == f"/actors/{by_name[name]}/", (path, name, target)
            assert page.request.get(base_url + target).status == 200
    page.goto(f"{base_url}/maps/kim-jong-un/", wait_until="load")
    names = {name for _, name in _node_links(page)}
    assert {"Vladimir Putin", "Donald Trump", "Sergei Shoigu", "China", "Kim Jong Un"} <= names
    page.locator(".fs-map a", has=page.locator("title", has_text="Vladimir Putin")).first.click()
    page.wait_for_url("**/actors/vladimir-putin/")
    assert urlsplit(page.url).path == "/actors/vladimir-putin/"
    assert (page.locator("h1").first.text_content() or "").startswith("Vladimir Putin")
    assert browse.take_console_errors() == []
    assert browse.foreign_requests() == []
