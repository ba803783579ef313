"""The built site served under a project sub-path, as GitHub Pages serves a repository's site
(``https://<owner>.github.io/<repository>/``): links, assets and search stay under the
sub-path, sitemap and canonical links use ``site_url``, and a missing URL gets the styled 404
page. The server here behaves like Pages: ``/<repository>/...`` maps to the site folder, a
folder without index.html and anything outside the sub-path are 404, and a 404 answers
with the site's own ``404.html``.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from generator.config import read_mkdocs_yml

from .support import LOCAL_HOST, REPO, Session, serving

pytestmark = pytest.mark.browser

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SEARCH_TIMEOUT = 10.0


def site_url() -> str:
    value = read_mkdocs_yml(REPO / "mkdocs.yml").get("site_url")
    assert isinstance(value, str) and value, "mkdocs.yml has no site_url"
    return value


def page_paths(site_dir: Path) -> list[str]:
    """Site-relative URL of every built page ("" for the home page, "actors/" ...)."""
    paths = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        paths.append("" if rel == "." else f"{rel}/")
    return paths


class _Page(html.parser.HTMLParser):
    """A page's canonical address and every address it links to or loads."""

    def __init__(self) -> None:
        super().__init__()
        self.canonical: str | None = None
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        elif tag in ("a", "link") and a.get("href"):
            self.refs.append(str(a["href"]))
        elif tag in ("script", "img") and a.get("src"):
            self.refs.append(str(a["src"]))


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """GitHub Pages in miniature, for a project site under ``prefix``."""

    prefix = "/"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not (path + "/").startswith(self.prefix):
            return str(Path(self.directory) / "\0outside")  # no such file: 404
        return super().translate_path("/" + path[len(self.prefix) :])

    def list_directory(self, path: Any) -> None:
        self.send_error(404)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def prefix() -> str:
    path = urlsplit(site_url()).path
    assert path.startswith("/") and path.endswith("/") and path != "/", (
        f"site_url {site_url()!r} should end in a project sub-path such as /factsheet/"
    )
    return path


@pytest.fixture(scope="module")
def sub_url(site_dir: Path, prefix: str) -> Iterator[str]:
    """The site served at http://127.0.0.1:<port><prefix> (ends with /)."""
    handler = type("Handler", (_PagesHandler,), {"prefix": prefix})
    server = _Server((LOCAL_HOST, 0), functools.partial(handler, directory=str(site_dir)))
    with serving(server, "subpath-server", prefix) as url:
        yield url


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)


def watch_failures(s: Session) -> list[str]:
    """Subresources that failed or answered 400 and above, from now on."""
    failures: list[str] = []
    # a request cut short by the next navigation (ERR_ABORTED) did not fail
    s.page.on(
        "requestfailed",
        lambda r: failures.append(f"{r.url}: {r.failure}") if "ERR_ABORTED" not in str(r.failure) else None,
    )
    s.page.on(
        "response",
        lambda r: (
            failures.append(f"{r.url}: HTTP {r.status}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    return failures


# ------------------------------------------------------------------ sitemap and canonical links


def test_sitemap_lists_every_page_at_its_published_address(site_dir: Path) -> None:
    tree = ET.parse(site_dir / "sitemap.xml")
    locs = {loc.text for loc in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)}
    expected = {site_url() + path for path in page_paths(site_dir)}
    assert locs == expected, (
        f"missing: {sorted(expected - locs)[:5]}, unexpected: {sorted(x for x in locs - expected if x)[:5]}"
    )


def test_every_page_has_its_canonical_address(site_dir: Path) -> None:
    wrong = []
    for path in page_paths(site_dir):
        parser = _Page()
        parser.feed((site_dir / path / "index.html").read_text(encoding="utf-8"))
        if parser.canonical != site_url() + path:
            wrong.append(f"/{path}: {parser.canonical}")
    assert not wrong, "pages whose canonical link is not site_url + path:\n" + "\n".join(wrong[:20])


# ------------------------------------------------------------------ in Chromium, under the sub-path


def test_every_internal_link_and_asset_resolves_under_the_subpath(site_dir: Path, sub_url: str) -> None:
    """Every page as served: each link, stylesheet, script and image it names stays under the
    sub-path and answers 200 (read over HTTP; Chromium opens a sample of pages below)."""
    origin = sub_url[: -len(urlsplit(sub_url).path)]
    targets: dict[str, str] = {}  # target -> first page naming it
    problems: list[str] = []
    for path in page_paths(site_dir):
        with urllib.request.urlopen(sub_url + path, timeout=10) as response:
            body = response.read().decode("utf-8")
        parser = _Page()
        parser.feed(body)
        for ref in parser.refs:
            target = urljoin(sub_url + path, ref).split("#")[0].split("?")[0]
            if not target.startswith(origin + "/"):
                continue  # the web (sources), not this site
            if not target.startswith(sub_url):
                problems.append(f"/{path}: {ref} leaves the sub-path ({target})")
            targets.setdefault(target, f"/{path}")
    assert len(targets) > len(page_paths(site_dir)), "too few internal links found"
    broken = [
        f"{t}: HTTP {code} (from {page})"
        for t, page in sorted(targets.items())
        if (code := status_of(t)) != 200
    ]
    assert not problems, "\n".join(problems[:40])
    assert not broken, f"{len(broken)} broken internal links or assets:\n" + "\n".join(broken[:40])


def test_pages_load_with_their_assets_in_chromium(session: Session, sub_url: str) -> None:
    """The home page, every section and the first entries of each, opened under the sub-path."""
    failures = watch_failures(session)
    origin = sub_url[: -len(urlsplit(sub_url).path)]
    visited: list[str] = []
    problems: list[str] = []

    def visit(url: str) -> list[str]:
        visited.append(url)
        response = session.page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            problems.append(f"{url}: HTTP {response and response.status}")
        # SVG links (the maps) too: their .href is no string
        hrefs: list[str] = session.page.eval_on_selector_all(
            "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
        )
        problems.extend(
            f"{url}: link outside the sub-path: {h}"
            for h in hrefs
            if h.startswith(origin + "/") and not h.startswith(sub_url)
        )
        problems.extend(f"{url}: {e}" for e in session.take_console_errors())
        return [h.split("#")[0].split("?")[0] for h in hrefs]

    visit(sub_url)
    sections = dict.fromkeys(
        h.split("#")[0]
        for h in session.page.eval_on_selector_all(
            ".md-nav--primary a.md-nav__link[href]", "els => els.map(e => e.href)"
        )
        if h.startswith(sub_url)
    )
    for section in sections:
        entries = (
            [h for h in visit(section) if h.startswith(section) and h != section]
            if section != sub_url
            else []
        )
        for entry in list(dict.fromkeys(entries))[:2]:
            visit(entry)
    session.page.wait_for_load_state("networkidle")
    assert len(visited) >= 10, visited
    stylesheets = session.page.evaluate(
        "() => Array.from(document.styleSheets).map(s => s.href).filter(Boolean)"
    )
    assert stylesheets and all(s.startswith(sub_url) for s in stylesheets), stylesheets
    assert not problems, "\n".join(problems[:40])
    assert not failures, "assets that failed under the sub-path:\n" + "\n".join(sorted(set(failures))[:40])
    assert not session.foreign_requests(), session.foreign_requests()


def search(session: Session, query: str) -> list[str]:
    page = session.page
    page.wait_for_function(
        """() => { const m = document.querySelector('.md-search-result__meta');
                   return m && m.textContent.trim() !== '' && !/initiali[sz]ing/i.test(m.textContent); }"""
    )
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.press_sequentially(query, delay=40)
    box.press("End")
    deadline, results = time.monotonic() + SEARCH_TIMEOUT, []
    while time.monotonic() < deadline:
        results = page.eval_on_selector_all(
            ".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href.split('?')[0])"
        )
        if results:
            break
        page.wait_for_timeout(200)
    return list(results)


def test_search_from_a_deep_page_under_the_subpath(session: Session, sub_url: str) -> None:
    session.page.goto(sub_url + "actors/kim-jong-un/", wait_until="load")
    results = search(session, "Путин")
    assert sub_url + "actors/vladimir-putin/" in results[:5], results
    session.page.locator(
        ".md-search-result__item > a.md-search-result__link[href*='vladimir-putin']"
    ).first.click()
    session.page.wait_for_load_state("load")
    assert session.page.url.split("?")[0] == sub_url + "actors/vladimir-putin/"
    assert not session.take_console_errors()


def test_missing_url_under_the_subpath_shows_the_styled_404_page(session: Session, sub_url: str) -> None:
    failures = watch_failures(session)
    missing = sub_url + "actors/no-such-person/"
    response = session.page.goto(missing, wait_until="load")
    assert response is not None and response.status == 404
    page = session.page
    assert "404" in page.locator("article h1").first.inner_text()
    # Material's stylesheet and palette apply (they load from site_url's path, not from /)
    header = page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header not in ("rgba(0, 0, 0, 0)", "transparent"), f"the 404 page is unstyled (header {header})"
    stylesheets = page.evaluate("() => Array.from(document.styleSheets).map(s => s.href).filter(Boolean)")
    assert stylesheets and all(s.startswith(sub_url) for s in stylesheets), stylesheets
    assert not failures, failures
    errors = [e for e in session.take_console_errors() if "404" not in e]  # the page's own status
    assert not errors, errors
    # its links lead back into the site, and search works from it
    home = page.eval_on_selector_all("a.md-header__button.md-logo", "els => els.map(e => e.href)")
    assert home == [sub_url], home
    assert sub_url + "actors/kim-jong-un/" in search(session, "김정은")[:5]
