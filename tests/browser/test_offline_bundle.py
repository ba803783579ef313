"""The offline copy (`factsheet bundle`) unzipped and opened from disk in Chromium, as someone
on a plane would: every link opens a page (never a folder listing), search finds names in
Latin, Cyrillic and Hangul, and no request goes anywhere but the unzipped files.
"""

from __future__ import annotations

import html.parser
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import pytest

from .support import REPO, VIEWPORT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

ON_DISK = ("file", "data", "blob", "about")
TOP_RESULTS = 5
SEARCH_TIMEOUT = 10.0
# query -> the page (relative to the unzipped folder) that must be among the first results
SEARCHES = [
    ("Kim Jong", "actors/kim-jong-un.html"),
    ("Путин", "actors/vladimir-putin.html"),
    ("김정은", "actors/kim-jong-un.html"),
]


@dataclass
class DiskSession:
    context: BrowserContext
    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def on_disk(url: str) -> bool:
    return urlsplit(url).scheme in ON_DISK


@pytest.fixture(scope="module")
def bundle_root(tmp_path_factory: pytest.TempPathFactory, chromium_executable: str) -> Path:
    """`factsheet bundle` of the default briefing, unzipped into a temporary folder."""
    work = tmp_path_factory.mktemp("offline")
    out = work / "briefing-offline.zip"
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", "bundle", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"factsheet bundle failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}", pytrace=False
        )
    with zipfile.ZipFile(out) as archive:
        archive.extractall(work / "unzipped")
    root = work / "unzipped" / out.stem
    assert (root / "index.html").is_file(), (
        f"no index.html at the top of the zip: {sorted(root.parent.iterdir())}"
    )
    sys.stderr.write(f"\noffline bundle: built and unzipped in {time.perf_counter() - started:.1f}s\n")
    return root


@pytest.fixture(scope="module")
def disk_requests() -> list[str]:
    """Every request of every browser context in this module."""
    return []


@pytest.fixture
def disk(browser: Browser, disk_requests: list[str]) -> Iterator[DiskSession]:
    """A browser context that records every request and refuses any that is not on disk."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    session = DiskSession(context, page)

    def on_request(request: Any) -> None:
        session.requests.append(request.url)
        disk_requests.append(request.url)

    def refuse_network(route: Any) -> None:
        if on_disk(route.request.url):
            route.continue_()
        else:
            route.abort()

    context.on("request", on_request)
    context.route("**/*", refuse_network)
    page.on("console", lambda msg: session.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: session.console_errors.append(f"uncaught: {exc}"))
    try:
        yield session
    finally:
        context.close()


def page_url(url: str) -> str:
    """``url`` without query and fragment."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


# ------------------------------------------------------------------ links


class _Hrefs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def link_problem(href: str, bundle_root: Path) -> str | None:
    """Why the absolute link ``href`` does not open a page of the copy, or None (also for web links)."""
    parts = urlsplit(href)
    if parts.scheme != "file":
        return None  # links to sources on the web are links, not loads
    target = Path(unquote(parts.path))
    if not target.is_relative_to(bundle_root):
        return f"leaves the unzipped folder: {href}"
    if target.is_dir() or parts.path.endswith("/"):
        return f"opens a folder, not a page: {href}"
    if not target.is_file():
        return f"names a missing file: {href}"
    return None


def test_every_link_of_every_page_names_a_file(bundle_root: Path) -> None:
    """All pages, read as files: each link names an existing file, and every page is reached."""
    start = (bundle_root / "index.html").as_uri()
    queue, reached, problems = [start], {start}, []
    while queue:
        url = queue.pop(0)
        parser = _Hrefs()
        parser.feed(Path(unquote(urlsplit(url).path)).read_text(encoding="utf-8"))
        for href in parser.hrefs:
            target = urljoin(url, href)
            problem = link_problem(target, bundle_root)
            if problem:
                problems.append(f"{url}: {problem}")
                continue
            page = page_url(target)
            if urlsplit(page).scheme == "file" and page.endswith(".html") and page not in reached:
                reached.add(page)
                queue.append(page)
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems[:40])
    unreached = sorted({p.as_uri() for p in bundle_root.rglob("*.html")} - reached)
    assert not unreached, f"pages no link leads to: {unreached}"


def test_links_open_pages_in_chromium(disk: DiskSession, bundle_root: Path) -> None:
    """The home page, every section and the first entries of each, as Chromium resolves them."""
    page = disk.page
    visited: set[str] = set()
    problems: list[str] = []

    def visit(url: str) -> list[str]:
        visited.add(url)
        page.goto(url, wait_until="domcontentloaded")
        if page.locator("header.md-header").count() != 1 or page.locator("article h1").count() == 0:
            problems.append(f"{url}: not a page of the site (no header or heading)")
        hrefs: list[str] = page.eval_on_selector_all(  # SVG links (maps) too: their .href is no string
            "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
        )
        problems.extend(f"{url}: {p}" for href in hrefs if (p := link_problem(href, bundle_root)))
        return hrefs

    home = (bundle_root / "index.html").as_uri()
    visit(home)
    sections = page.eval_on_selector_all(
        ".md-nav--primary a.md-nav__link[href]", "els => els.map(e => e.href)"
    )
    for section in dict.fromkeys(page_url(s) for s in sections if s.startswith("file:")):
        hrefs = visit(section) if section not in visited else []
        entries = [page_url(h) for h in hrefs if h.startswith(section.rsplit("/", 1)[0] + "/")]
        for entry in [e for e in dict.fromkeys(entries) if e not in visited and e != section][:2]:
            visit(entry)
    page.wait_for_load_state("load")
    problems.extend(disk.console_errors)
    assert len(visited) >= 10, f"only {len(visited)} pages visited: {sorted(visited)}"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def test_clicking_through_from_the_home_page(disk: DiskSession, bundle_root: Path) -> None:
    page = disk.page
    page.goto((bundle_root / "index.html").as_uri(), wait_until="load")
    page.locator("a.md-nav__link[href='actors/index.html']:visible").first.click()
    page.wait_for_load_state("load")
    assert page.url == (bundle_root / "actors" / "index.html").as_uri()
    page.locator("article a", has_text="Kim Jong Un").first.click()
    page.wait_for_load_state("load")
    assert page_url(page.url) == (bundle_root / "actors" / "kim-jong-un.html").as_uri()
    assert page.locator("article h1").first.inner_text().startswith("Kim Jong Un")
    assert not disk.console_errors


# ------------------------------------------------------------------ search


def search_results(page: Page) -> list[str]:
    """URL of the first link of each result, best first."""
    hrefs: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('.md-search-result__item'))
                 .map(li => { const a = li.querySelector('a.md-search-result__link'); return a ? a.href : ''; })"""
    )
    return hrefs


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_search_works_from_disk(disk: DiskSession, bundle_root: Path, query: str, expected: str) -> None:
    page = disk.page
    page.goto((bundle_root / "index.html").as_uri(), wait_until="load")
    search_input = page.locator("input.md-search__input")
    assert search_input.count() == 1 and search_input.is_visible(), (
        "the search box is hidden: Material hides it when it cannot start its worker"
    )
    page.keyboard.press("/")
    if not search_input.evaluate("el => el === document.activeElement"):
        page.locator("label.md-header__button[for='__search']").first.click()
    search_input.press_sequentially(query, delay=40)
    search_input.press("End")  # a real key event, for scripts the US layout types as text input
    want = (bundle_root / expected).as_uri()
    deadline = time.monotonic() + SEARCH_TIMEOUT
    results: list[str] = []
    while time.monotonic() < deadline:
        results = [page_url(r) for r in search_results(page)[:TOP_RESULTS]]
        if want in results:
            break
        page.wait_for_timeout(200)
    assert want in results, f"search for {query!r} from disk: {expected} not among {results or 'no results'}"
    page.locator(
        f".md-search-result__item a.md-search-result__link[href*='{expected.split('/')[-1]}']"
    ).first.click()
    page.wait_for_load_state("load")
    assert page_url(page.url) == want
    assert not disk.console_errors, disk.console_errors


# ------------------------------------------------------------------ nothing leaves the disk


def test_no_request_leaves_the_disk(disk: DiskSession, bundle_root: Path, disk_requests: list[str]) -> None:
    """Every request of this module (crawl, clicks, searches, and one more visit) was for a file."""
    page = disk.page
    page.goto((bundle_root / "actors" / "kim-jong-un.html").as_uri(), wait_until="load")
    page.keyboard.press("/")
    page.keyboard.type("Kim", delay=40)
    page.wait_for_timeout(500)
    assert any(url.endswith("/search/search_index.js") for url in disk_requests), (
        "search never loaded its index"
    )
    foreign = sorted({url for url in disk_requests if not on_disk(url)})
    assert not foreign, f"{len(foreign)} requests left the disk:\n" + "\n".join(foreign)
