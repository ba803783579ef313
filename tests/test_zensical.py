"""A second engine: the briefing built with Zensical from `factsheet build`'s Markdown.

Zensical reads ``mkdocs.yml`` but runs no MkDocs plugin, so the generated pages are written
to a folder first; the steps are those of docs/publishing.md ("A second engine: Zensical"), in a
temporary folder. Checked: every page is built, every link and asset resolves, nothing is
loaded from another host, and the search index holds names in every script. Search in
Chromium: tests/browser/test_zensical_search.py.
"""

from __future__ import annotations

import html.parser
import json
import shutil
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.config import read_mkdocs_yml

REPO = Path(__file__).resolve().parents[1]
CONFIG = """\
INHERIT: {parent}
docs_dir: docs
site_dir: site
theme:
  variant: classic
extra_css: [assets/factsheet/factsheet.css]
"""


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}",
            pytrace=False,
        )
    return proc


def build_zensical(work: Path) -> Path:
    """The steps of docs/publishing.md in the folder ``work``; returns the built site's folder."""
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if zensical is None:
        pytest.fail("zensical is not installed; run: pip install -e '.[test]'", pytrace=False)
    docs = work / "docs"
    started = time.perf_counter()
    run(sys.executable, "-c", "from generator.cli import main; main()", "build", "--out", docs, cwd=REPO)
    own_pages = REPO / str(read_mkdocs_yml(REPO / "mkdocs.yml").get("docs_dir") or "docs")
    shutil.copytree(own_pages, docs, dirs_exist_ok=True)  # the project's own pages win, as in MkDocs
    css = docs / "assets" / "factsheet" / "factsheet.css"
    css.parent.mkdir(parents=True)
    css.write_bytes(resources.files("generator.assets").joinpath("factsheet.css").read_bytes())
    (work / "mkdocs.yml").write_text(CONFIG.format(parent=REPO / "mkdocs.yml"), encoding="utf-8")
    run(zensical, "build", "--strict", "-f", work / "mkdocs.yml", cwd=work)
    sys.stderr.write(f"\nzensical: pages written and site built in {time.perf_counter() - started:.1f}s\n")
    assert (work / "site" / "index.html").is_file()
    return work / "site"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Zensical project of docs/publishing.md, built: docs/, mkdocs.yml and site/."""
    work = tmp_path_factory.mktemp("zensical")
    build_zensical(work)
    return work


def test_the_documented_steps_are_the_ones_tested() -> None:
    doc = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
    for step in (
        ".venv/bin/factsheet build --out build/zensical/docs",
        "cp -R briefing/. build/zensical/docs/",
        "cp generator/assets/factsheet.css build/zensical/docs/assets/factsheet/",
        CONFIG.format(parent="../../mkdocs.yml"),
        ".venv/bin/zensical build --strict -f build/zensical/mkdocs.yml",
    ):
        assert step in doc, f"docs/publishing.md no longer says: {step}"


def page_for(markdown: str) -> str:
    """The HTML file Zensical makes of a Markdown page (directory URLs, as MkDocs)."""
    stem = markdown.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


class _Refs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []  # <a href>: followed by a reader
        self.loads: list[str] = []  # fetched by the browser with the page
        self.ids: set[str] = set()
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "link" and a.get("href"):
            # stylesheets and icons are fetched; canonical, prev, next ... only name a page
            loaded = set(a.get("rel", "").lower().split()) & {
                "stylesheet",
                "icon",
                "preload",
                "modulepreload",
            }
            (self.loads if loaded else self.links).append(a["href"])
        elif tag in ("script", "img", "iframe", "source") and a.get("src"):
            self.loads.append(a["src"])


def parse(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# ------------------------------------------------------------------ build and pages


def test_every_page_is_built(work: Path) -> None:
    markdown = sorted(p.relative_to(work / "docs").as_posix() for p in (work / "docs").rglob("*.md"))
    assert "index.md" in markdown and "actors/kim-jong-un.md" in markdown and "about.md" in markdown
    missing, headless = [], []
    for page in markdown:
        html_file = work / "site" / page_for(page)
        if not html_file.is_file():
            missing.append(page)
        elif parse(html_file).h1 != 1:
            headless.append(page)
    assert not missing, f"pages Zensical did not build: {missing}"
    assert not headless, f"pages without exactly one heading: {headless}"
    assert not list((work / "site").rglob(".factsheet-manifest")), "the build manifest is not published"


def test_every_link_and_asset_resolves_and_nothing_loads_from_another_host(work: Path) -> None:
    """Each page as if served at site_url (the 404 page uses addresses from its root)."""
    site = work / "site"
    root = str(read_mkdocs_yml(REPO / "mkdocs.yml")["site_url"])
    origin = root[: -len(urlsplit(root).path)]
    problems: list[str] = []
    pages = sorted(site.rglob("*.html"))
    parsed = {p: parse(p) for p in pages}

    def local(page: Path, ref: str) -> tuple[Path | None, str]:
        """The file ``ref`` names on ``page`` (None: another host), and its fragment."""
        if ref.startswith("#"):
            return page, unquote(ref[1:])
        rel = page.relative_to(site).as_posix()
        url = urljoin(root + (rel.removesuffix("index.html") if rel != "404.html" else "missing/"), ref)
        parts = urlsplit(url)
        if not url.startswith(root):
            if url.startswith(origin + "/"):
                problems.append(f"{rel}: {ref} leaves the site's path")
            return None, ""
        target = site / unquote(parts.path)[len(urlsplit(root).path) :]
        return (target / "index.html" if target.is_dir() else target), unquote(parts.fragment)

    for page, refs in parsed.items():
        name = page.relative_to(site).as_posix()
        for ref in refs.loads:
            target, _ = local(page, ref)
            if target is None:
                problems.append(f"{name} loads from another host: {ref}")
            elif not target.is_file():
                problems.append(f"{name} loads a missing file: {ref}")
        for ref in refs.links:
            target, fragment = local(page, ref)
            if target is None:
                continue  # a link to the web (a source), not a load
            if not target.is_file():
                problems.append(f"{name}: broken link {ref}")
            elif fragment and target in parsed and fragment not in parsed[target].ids:
                problems.append(f"{name}: no anchor #{fragment} in {ref}")
    assert len(pages) > 20
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def test_search_index_holds_names_in_every_script(work: Path) -> None:
    index = json.loads((work / "site" / "search.json").read_text(encoding="utf-8"))
    text: dict[str, str] = {}
    for item in index["items"]:
        page = item["location"].split("#")[0]
        text[page] = text.get(page, "") + " " + item["title"] + " " + item["text"]
        assert (work / "site" / page / "index.html").is_file() or page == "", (
            f"index entry for no page: {page}"
        )
    for name in ("김정은", "金正恩", "Kim Jong-un"):
        assert name in text["actors/kim-jong-un/"], name
    assert "Путин" in text["actors/vladimir-putin/"]
    assert "lang" not in index["config"] or index["config"]["lang"] == ["en"], index["config"]
