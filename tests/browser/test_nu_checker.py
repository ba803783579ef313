"""The W3C Nu Html Checker (vnu.jar) finds no error caused by the project's own markup (issue 10).

Every page of the default site is checked twice in one run of the checker:

* **ours alone**: the inside of Material's ``<article class="md-content__inner md-typeset">`` (what
  the templates, ``generator/render.py``, ``markup.py`` and ``analysis*.py`` make of the content)
  in a minimal valid HTML5 document, with its ``style`` attributes checked as CSS. Any error here
  is ours by construction: none is allowed.
* **the whole page**: what Material for MkDocs wraps around it, with what the plugin adds (its
  stylesheets and scripts). Only the errors of Material's own theme markup listed, each with its
  reason, in ``MATERIAL_ALLOWED`` may remain, matched on the checker's message *and* the exact
  element it points at. An entry no page needs any more fails too, so the list stays exact.

The plugin's stylesheets are checked as CSS in the same run.

vnu.jar is never committed: ``FACTSHEET_VNU`` names a jar, else ``npm install vnu-jar@26`` into a
temporary folder once per session. Missing npm or java skips loudly, and fails when ``CI`` is set.
The site is the browser suite's ``site_dir`` (built once per session; like the rest of the suite
it wants Chromium present, though this test never starts it).
"""

from __future__ import annotations

import html.parser
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import _in_ci

pytestmark = pytest.mark.browser

VNU_VERSION = "26"  # vnu-jar's major version (the year of the release)
VNU_PACKAGE = f"vnu-jar@{VNU_VERSION}"
ARTICLE_CLASS = "md-content__inner md-typeset"
OURS_HEAD = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>x</title></head><body><main>'
OURS_TAIL = "</main></body></html>\n"
PLUGIN_CSS = "assets/factsheet"  # where the plugin puts its stylesheets in the site


@dataclass(frozen=True)
class Allowed:
    """One error of Material's theme markup: the checker's message and the element it points at."""

    message: str
    element: str
    reason: str


# Material for MkDocs 9.x (checked with 9.8.2), material/templates/{base.html,partials/toc.html}.
MATERIAL_ALLOWED = (
    Allowed(
        message="Attribute “autocomplete” is only allowed when the input type is “color”, “date”,"
        " “datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”,"
        " “tel”, “text”, “time”, “url”, or “week”.",
        element='<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
        reason="base.html: the hidden checkbox that opens the navigation drawer carries autocomplete=off so "
        "Firefox does not restore it checked on reload; HTML allows autocomplete on no checkbox.",
    ),
    Allowed(
        message="Attribute “autocomplete” is only allowed when the input type is “color”, “date”,"
        " “datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”,"
        " “tel”, “text”, “time”, “url”, or “week”.",
        element='<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
        reason="base.html: the same for the hidden checkbox that opens the search overlay.",
    ),
    Allowed(
        message="The value of the “for” attribute of the “label” element must be the ID of a non-hidden"
        " form control.",
        element='<label class="md-nav__title" for="__toc">',
        reason="partials/toc.html labels the table of contents for the checkbox #__toc, which "
        "partials/nav-item.html writes only for the current page's entry in the navigation; every page "
        "that has headings but is not itself listed under nav: (each actor, meeting, source... page) "
        "gets the label with no checkbox.",
    ),
)


# ------------------------------------------------------------------ vnu.jar and java


def _unavailable(problem: str) -> NoReturn:
    if _in_ci():
        pytest.fail(f"NU CHECK NOT RUN: {problem}; CI is set, so this fails", pytrace=False)
    pytest.skip(f"NU CHECK SKIPPED: {problem}")


@pytest.fixture(scope="session")
def java() -> str:
    found = shutil.which("java")
    if found is None:
        _unavailable("java is not installed (apt-get install default-jre-headless), so vnu.jar cannot run")
    return found


@pytest.fixture(scope="session")
def vnu_jar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """vnu.jar: ``FACTSHEET_VNU`` (a path), else ``npm install vnu-jar@26`` into a temporary folder
    once per session (without its install script, which would download a Java)."""
    given = os.environ.get("FACTSHEET_VNU")
    if given:
        if not Path(given).is_file():
            pytest.fail(f"FACTSHEET_VNU={given} is not a file", pytrace=False)
        return Path(given)
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("npm is not installed (apt-get install npm), so vnu.jar cannot be fetched")
    prefix = tmp_path_factory.mktemp("vnu")
    proc = subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--ignore-scripts", VNU_PACKAGE],
        capture_output=True,
        text=True,
        timeout=300,
    )
    jar = prefix / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if proc.returncode != 0 or not jar.is_file():
        _unavailable(f"npm install {VNU_PACKAGE} failed: {(proc.stderr or proc.stdout)[-500:]}")
    return jar


def run_vnu(java: str, jar: Path, files: list[Path]) -> tuple[str, list[dict[str, Any]]]:
    """The checker's version and its messages for ``files``, in one process (it is slow to start).
    ``.css`` files are checked as CSS, the rest as HTML with their style attributes and elements."""
    proc = subprocess.run(
        [java, "-jar", str(jar), "--also-check-css", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar gave no JSON (exit {proc.returncode}):\n{proc.stderr[-4000:]}", pytrace=False)
    return str(report.get("version", "?")), list(report["messages"])


# ------------------------------------------------------------------ our part of a page


class _Article(html.parser.HTMLParser):
    """Finds where Material's article starts (after its start tag) and ends (before its end tag)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None
        self._tag_len = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "article" or self.end is not None:
            return
        if self.start is None:
            if dict(attrs).get("class") == ARTICLE_CLASS:
                self.start, self.depth = self.getpos(), 1
                self._tag_len = len(self.get_starttag_text() or "")
        else:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.start is not None and self.end is None:
            self.depth -= 1
            if self.depth == 0:
                self.end = self.getpos()


def article_inner(text: str) -> str | None:
    """The inner HTML of Material's ``<article class="md-content__inner md-typeset">``, as written."""
    parser = _Article()
    parser.feed(text)
    parser.close()
    if parser.start is None or parser.end is None:
        return None
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(pos: tuple[int, int]) -> int:
        return starts[pos[0] - 1] + pos[1]

    return text[offset(parser.start) + parser._tag_len : offset(parser.end)]


# ------------------------------------------------------------------ the test


def _where(message: dict[str, Any]) -> Path:
    return Path(unquote(urlsplit(message.get("url", "")).path))


def _element(message: dict[str, Any]) -> str:
    extract, start = message.get("extract", ""), message.get("hiliteStart", 0)
    return str(extract[start : start + message.get("hiliteLength", 0)])


def _show(message: dict[str, Any], name: str) -> str:
    line = message.get("lastLine", "?")
    return f"{name}:{line}: {message['message']}\n    at {_element(message).strip()[:300]}"


WHOLE, OURS, CSS = "whole page", "our article content", "plugin stylesheet"


def test_the_nu_checker_finds_no_error_in_our_markup(
    java: str, vnu_jar: Path, site_dir: Path, tmp_path: Path
) -> None:
    # java and vnu.jar first: a missing one skips before the site is built
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 50, f"only {len(pages)} pages in {site_dir}"
    checked: dict[Path, tuple[str, str]] = {}  # each file given to the checker -> (site path, part)
    missing = []
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        checked[page] = (rel, WHOLE)
        inner = article_inner(page.read_text(encoding="utf-8"))
        if inner is None:
            missing.append(rel)
            continue
        alone = tmp_path / "ours" / rel
        alone.parent.mkdir(parents=True, exist_ok=True)
        alone.write_text(OURS_HEAD + inner + OURS_TAIL, encoding="utf-8")
        checked[alone] = (rel, OURS)
    assert not missing, f"no <article class={ARTICLE_CLASS!r}> in {missing}"
    stylesheets = sorted((site_dir / PLUGIN_CSS).glob("*.css"))
    assert stylesheets, f"the plugin's stylesheets are not in {site_dir / PLUGIN_CSS}"
    checked.update({css: (css.relative_to(site_dir).as_posix(), CSS) for css in stylesheets})

    started = time.perf_counter()
    version, messages = run_vnu(java, vnu_jar, list(checked))
    sys.stderr.write(
        f"\nNu Html Checker {version}: {len(checked)} documents in {time.perf_counter() - started:.1f}s\n"
    )
    by_file = {path.resolve(): where for path, where in checked.items()}
    errors = [m for m in messages if m.get("type") != "info"]  # info: notes and warnings
    located = [(by_file.get(_where(m).resolve(), (str(_where(m)), "?")), m) for m in errors]

    ours = [((rel, part), m) for (rel, part), m in located if part != WHOLE]
    seen = {(rel, m["message"], _element(m)) for (rel, _), m in ours}  # reported once, as ours
    used: set[Allowed] = set()
    rest = []
    for (rel, part), m in located:
        if part != WHOLE or (rel, m["message"], _element(m)) in seen:
            continue
        allowed = [a for a in MATERIAL_ALLOWED if (a.message, a.element) == (m["message"], _element(m))]
        used.update(allowed)
        if not allowed:
            rest.append((rel, m))

    problems = []
    if ours:
        problems.append(
            f"{len(ours)} errors in our own markup (first 40):\n"
            + "\n".join(_show(m, f"{rel} ({part})") for (rel, part), m in ours[:40])
        )
    if rest:
        problems.append(
            f"{len(rest)} errors in whole pages that our article content alone does not have and that are "
            "not on the Material allow-list: what the plugin adds to the page, our content clashing with "
            "the theme (a duplicate id...), or a new Material error to look into (first 40):\n"
            + "\n".join(_show(m, f"{rel} ({WHOLE})") for rel, m in rest[:40])
        )
    stale = [a.element for a in MATERIAL_ALLOWED if a not in used]
    if stale:
        problems.append(f"allow-list entries that no page needs any more (remove them): {stale}")
    if problems:
        pytest.fail(f"Nu Html Checker {version}:\n" + "\n\n".join(problems), pytrace=False)
