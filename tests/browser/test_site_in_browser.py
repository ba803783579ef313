"""The default site in a real browser: pages load cleanly, links resolve, search finds names
in every script, nothing is fetched from outside the machine, and screenshots for review.

Run alone with ``scripts/test -m browser`` (or ``.venv/bin/pytest tests/browser``).
"""

from __future__ import annotations

import html.parser
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from .support import ARTIFACTS, REPO, Session, is_local, open_session

pytestmark = pytest.mark.browser

KINDS = ("actors", "meetings", "sanctions", "events", "sources")
TOP_RESULTS = 5  # "among the first results"
SEARCH_TIMEOUT = 10.0

# query -> the page it must find (a URL path), or a word the result's URL or title must contain
SEARCHES: list[tuple[str, str]] = [
    ("Путин", "/actors/vladimir-putin/"),
    ("김정은", "/actors/kim-jong-un/"),
    ("Kim Jong-un", "/actors/kim-jong-un/"),
    ("Kim Jong Un", "/actors/kim-jong-un/"),
    ("Shoigu", "/actors/sergei-shoigu/"),
    ("Vladivostok", "vladivostok"),
    # the same names in other scripts (aliases must be searchable)
    ("金正恩", "/actors/kim-jong-un/"),
    ("Шойгу", "/actors/sergei-shoigu/"),
    ("Владивосток", "vladivostok"),
]
# query -> the page that must come FIRST: an entity's name or alias finds its own page before any
# page that mentions it (issue 10); Russian inflected forms find the entry (pymorphy3 keywords)
RANKED: list[tuple[str, str]] = [
    ("Kirby", "/actors/john-kirby/"),
    ("John Kirby", "/actors/john-kirby/"),
    ("Shoigu", "/actors/sergei-shoigu/"),
    ("Wagner", "/actors/wagner-group/"),
    ("Wagner Group", "/actors/wagner-group/"),
    ("Interfax", "/actors/interfax/"),
    ("Kim Jong-un", "/actors/kim-jong-un/"),
    ("Kim Jong Un", "/actors/kim-jong-un/"),
    ("김정은", "/actors/kim-jong-un/"),
    ("Putin", "/actors/vladimir-putin/"),
    ("Russia", "/actors/russia/"),
    ("DPRK", "/actors/north-korea/"),
    ("Путин", "/actors/vladimir-putin/"),
    ("Путина", "/actors/vladimir-putin/"),
    ("Путину", "/actors/vladimir-putin/"),
    ("Путиным", "/actors/vladimir-putin/"),
    ("Шойгу", "/actors/sergei-shoigu/"),
    ("Сергея Шойгу", "/actors/sergei-shoigu/"),
    ("Сергею Шойгу", "/actors/sergei-shoigu/"),
    ("Интерфакса", "/actors/interfax/"),
    ("Вагнера", "/actors/wagner-group/"),
    ("Владивостока", "/meetings/2019-04-25-vladivostok-summit/"),
    ("Владивостоке", "/meetings/2019-04-25-vladivostok-summit/"),
    ("Vladivostok summit", "/meetings/2019-04-25-vladivostok-summit/"),
    ("Vostochny summit", "/meetings/2023-09-putin-kim-meeting-planned/"),
]
SCREENSHOTS = [("home", "/"), ("actor-kim-jong-un", "/actors/kim-jong-un/")]


# ------------------------------------------------------------------ helpers


def site_pages(site_dir: Path) -> list[str]:
    """URL paths of every built page (each folder's index.html), home first."""
    paths = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        paths.append("/" if rel == "." else f"/{rel}/")
    return sorted(paths, key=lambda p: (p != "/", p))


def entity_pages(site_dir: Path) -> list[str]:
    """Every ``/<kind>/<id>/`` page in the built site."""
    return [p for p in site_pages(site_dir) if p.count("/") == 3 and p.split("/")[1] in KINDS]


class _Ids(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


def html_ids(text: str) -> set[str]:
    parser = _Ids()
    parser.feed(text)
    parser.close()
    return parser.ids


@dataclass
class Visit:
    status: int | None
    problems: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    visits: dict[str, Visit]
    requests: list[str]
    seconds: float


# ------------------------------------------------------------------ one visit of every page


@pytest.fixture(scope="session")
def crawl(browser: Any, base_url: str, site_dir: Path, all_requests: list[str]) -> Crawl:
    """Open every built page once in one browser tab, recording status, errors and links."""
    from playwright.sync_api import Error as PlaywrightError

    started = time.perf_counter()
    s = open_session(browser, all_requests)
    visits: dict[str, Visit] = {}
    try:
        for path in site_pages(site_dir):
            visit = visits[path] = Visit(status=None)
            try:
                response = s.page.goto(base_url + path, wait_until="load")
            except PlaywrightError as exc:
                visit.problems.append(f"navigation failed: {exc.message.splitlines()[0]}")
                continue
            visit.status = response.status if response else None
            visit.hrefs = s.page.eval_on_selector_all(  # SVG links (maps) too: their .href is no string
                "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
            )
            visit.problems.extend(s.take_console_errors())
        return Crawl(visits, list(s.requests), time.perf_counter() - started)
    finally:
        s.context.close()


# ------------------------------------------------------------------ 1. pages load


def test_every_entity_has_a_page(site_dir: Path) -> None:
    built = set(entity_pages(site_dir))
    expected = {
        f"/{kind}/{f.stem}/"
        for kind in KINDS
        if (REPO / "content" / kind).is_dir()
        for f in (REPO / "content" / kind).glob("*.yaml")
    }
    assert expected, "no content found in content/"
    assert not expected - built, f"content entries without a page: {sorted(expected - built)}"
    for kind in KINDS:
        assert (site_dir / kind / "index.html").is_file(), f"no index page /{kind}/"
    assert (site_dir / "index.html").is_file(), "no home page"


def test_pages_load_without_console_errors(crawl: Crawl, site_dir: Path) -> None:
    assert "/" in crawl.visits
    assert len(entity_pages(site_dir)) > 0, "no entity pages were built"
    bad = {
        path: [*([] if visit.status == 200 else [f"HTTP status {visit.status}"]), *visit.problems]
        for path, visit in crawl.visits.items()
        if visit.status != 200 or visit.problems
    }
    report = "\n".join(f"{path}: {'; '.join(problems)}" for path, problems in sorted(bad.items()))
    assert not bad, f"{len(bad)} of {len(crawl.visits)} pages have problems:\n{report}"


# ------------------------------------------------------------------ 2. internal links


def test_internal_links_resolve(crawl: Crawl, base_url: str) -> None:
    base = urlsplit(base_url)
    links: dict[str, set[str]] = {}  # target path -> fragments wanted
    origins: dict[str, str] = {}  # target (with fragment) -> first page linking to it
    for page, visit in crawl.visits.items():
        for href in visit.hrefs:
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            links.setdefault(target, set())
            if parts.fragment:
                links[target].add(parts.fragment)
            origins.setdefault(f"{target}#{parts.fragment}", page)
            origins.setdefault(target, page)
    assert links, "no internal links found"

    broken: list[str] = []
    for target, fragments in sorted(links.items()):
        try:
            with urllib.request.urlopen(base_url + target, timeout=10) as response:
                status = response.status
                body = response.read().decode("utf-8", "replace")
                is_html = response.headers.get_content_type() == "text/html"
        except urllib.error.HTTPError as exc:
            exc.close()
            broken.append(f"{target}: HTTP {exc.code} (linked from {origins[target]})")
            continue
        if status != 200:
            broken.append(f"{target}: HTTP {status} (linked from {origins[target]})")
            continue
        if fragments and is_html:
            ids = html_ids(body)
            for fragment in sorted(fragments):
                if fragment not in ids and unquote(fragment) not in ids:
                    broken.append(
                        f"{target}#{fragment}: no such id (linked from {origins[f'{target}#{fragment}']})"
                    )
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken)


# ------------------------------------------------------------------ 3. search


def _search_results(page: Any) -> list[tuple[str, str]]:
    """(URL, title) of each result, best first: the first link of each result item."""
    return [
        (href, title)
        for href, title in page.evaluate(
            """() => Array.from(document.querySelectorAll('.md-search-result__item')).map(li => {
                   const a = li.querySelector('a.md-search-result__link');
                   if (!a) return ['', ''];
                   const h = a.querySelector('h1, h2');
                   return [a.href, (h || a).textContent.trim()];
               })"""
        )
    ]


def _matches(expected: str, href: str, title: str) -> bool:
    if expected.startswith("/"):
        return urlsplit(href).path == expected
    return expected in href.lower() or expected in title.lower()


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_search_finds(browse: Session, base_url: str, site_dir: Path, query: str, expected: str) -> None:
    if expected.startswith("/"):
        assert (site_dir / expected.strip("/") / "index.html").is_file(), (
            f"expected page {expected} was not built; did the content ids change?"
        )
    page = browse.page
    page.goto(base_url + "/", wait_until="load")
    # the worker loads the index; until then the meta line says "Initializing search"
    page.wait_for_function(
        """() => { const m = document.querySelector('.md-search-result__meta');
                   return m && m.textContent.trim() !== '' && !/initiali[sz]ing/i.test(m.textContent); }"""
    )
    search_input = page.locator("input.md-search__input")
    page.keyboard.press("/")  # Material's shortcut; the button is the fallback
    if not search_input.evaluate("el => el === document.activeElement"):
        page.locator("label.md-header__button[for='__search']").first.click()
        search_input.click()
    # Material reads the query on key events: type it, do not fill() it
    search_input.press_sequentially(query, delay=40)
    # Playwright types letters missing from the US layout (Cyrillic, Hangul) as text input
    # with no key events; one real key press makes Material read the query
    search_input.press("End")

    deadline = time.monotonic() + SEARCH_TIMEOUT
    results: list[tuple[str, str]] = []
    while time.monotonic() < deadline:
        results = _search_results(page)[:TOP_RESULTS]
        if any(_matches(expected, href, title) for href, title in results):
            break
        page.wait_for_timeout(200)
    shown = "\n".join(
        f"  {i + 1}. {title} <{urlsplit(href).path}>" for i, (href, title) in enumerate(results)
    )
    assert any(_matches(expected, href, title) for href, title in results), (
        f"search for {query!r}: {expected} is not among the first {TOP_RESULTS} results:\n{shown or '  (no results)'}"
    )
    errors, foreign = browse.take_console_errors(), browse.foreign_requests()
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests that left 127.0.0.1: {foreign}"


def _open_search(page: Any, base_url: str) -> Any:
    page.goto(base_url + "/", wait_until="load")
    page.wait_for_function(
        """() => { const m = document.querySelector('.md-search-result__meta');
                   return m && m.textContent.trim() !== '' && !/initiali[sz]ing/i.test(m.textContent); }"""
    )
    search_input = page.locator("input.md-search__input")
    page.keyboard.press("/")
    if not search_input.evaluate("el => el === document.activeElement"):
        page.locator("label.md-header__button[for='__search']").first.click()
        search_input.click()
    return search_input


def _first_results(page: Any, search_input: Any, query: str) -> list[str]:
    """Type ``query`` into an emptied search box; the paths of the results, best first."""
    search_input.fill("")
    search_input.press("Backspace")  # a key event: Material reads the now empty query
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    search_input.press_sequentially(query, delay=25)
    search_input.press("End")  # Cyrillic and Hangul are typed as text input, with no key event
    page.wait_for_function("() => !!document.querySelector('.md-search-result__item')", timeout=5000)
    page.wait_for_timeout(150)  # the last keystroke's results replace any earlier ones
    return [urlsplit(href).path for href, _ in _search_results(page)]


def test_search_lists_the_entry_itself_first(browse: Session, base_url: str, site_dir: Path) -> None:
    """A name, an alias or a Russian inflected form: the entry's own page is the first result."""
    page = browse.page
    search_input = _open_search(page, base_url)
    wrong = []
    for query, expected in RANKED:
        assert (site_dir / expected.strip("/") / "index.html").is_file(), f"{expected} was not built"
        try:
            found = _first_results(page, search_input, query)
        except Exception as exc:  # no result at all within the timeout
            found = [f"(no result: {type(exc).__name__})"]
        if not found or found[0] != expected:
            wrong.append(f"{query!r}: {expected} is not first; got {found[:3]}")
    assert not wrong, "\n".join(wrong)
    ARTIFACTS.mkdir(exist_ok=True)
    _first_results(page, search_input, "Путина")
    page.screenshot(path=str(ARTIFACTS / "search-putina.png"))
    errors, foreign = browse.take_console_errors(), browse.foreign_requests()
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests that left 127.0.0.1: {foreign}"


# ------------------------------------------------------------------ 5. screenshots


@pytest.mark.parametrize(("name", "path"), SCREENSHOTS, ids=[n for n, _ in SCREENSHOTS])
def test_screenshot(browse: Session, base_url: str, name: str, path: str) -> None:
    page = browse.page
    response = page.goto(base_url + path, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{path}: status {response and response.status}"
    page.evaluate("async () => { await document.fonts.ready; }")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 0
    errors, foreign = browse.take_console_errors(), browse.foreign_requests()
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests that left 127.0.0.1: {foreign}"


# ------------------------------------------------------------------ 4. nothing leaves the machine


def test_no_request_leaves_loopback(
    crawl: Crawl, browse: Session, base_url: str, all_requests: list[str]
) -> None:
    """Every request of this session (crawl, searches, screenshots, and a visit here) went to 127.0.0.1."""
    page = browse.page
    page.goto(base_url + "/actors/kim-jong-un/", wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("Kim", delay=40)
    page.wait_for_timeout(500)
    assert crawl.requests, "the crawl made no requests at all"
    foreign = sorted({url for url in all_requests if not is_local(url)})
    assert not foreign, f"{len(foreign)} requests left 127.0.0.1:\n" + "\n".join(foreign)
