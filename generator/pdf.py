"""PDF output: a brief per entry and one briefing book, from the same graph as the site.

``build_pdfs(graph, config, out)`` writes ``out/briefs/<kind>/<id>.pdf`` and
``out/briefing.pdf``. HTML comes from the Jinja2 templates in ``templates/pdf/``
(autoescaped, ``StrictUndefined``; a project's ``templates/pdf/`` overrides them file by
file) and the stylesheet ``print.css``; WeasyPrint lays them out (:mod:`.pdf_engine`).

Only what changed is rendered again. Each PDF has a hidden file beside it holding the hash
of everything that went into it (its HTML, the stylesheet, the paper size, the versions of
this format and of WeasyPrint); when the hash is unchanged the PDF is left alone. A brief
shows other entries (names, dates, claims), so an edit re-renders the edited entry's brief
and those of the entries that show it, because their HTML changed. The book is laid out
in parts cached the same way (:mod:`.pdf_book`). Every file is written through a
temporary sibling and renamed, so an interrupted run never leaves a truncated PDF.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jinja2

from .asof import as_of
from .config import Config
from .errors import ConfigError, display_path
from .link import Graph
from .model import KINDS
from .pdf_book import OutlineItem, PartFile, join
from .pdf_engine import Job, Result, atomic_write, run_all
from .pdf_fonts import check_fonts
from .pdf_view import IndexItem, PdfView, chunk_boundary
from .render import builtin_templates

Paper = Literal["a4", "letter"]
PAPER_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
FORMAT_VERSION = "1"  # bump when the Python side changes what a PDF looks like
BOOK = "briefing.pdf"
BRIEFS = "briefs"
PARTS = ".briefing-parts"  # the book's cached parts, inside the state folder
PENDING = "pending"  # the hash of a brief being rendered: matches no real key
CHUNK = 8  # a part of the book has at least this many entries (of one kind), 2 * CHUNK on average
BACK_MATTER = [("timeline", "Timeline"), ("sanctions-table", "Sanctions table"), ("index", "Index of names")]
INDEX_PART = 800  # names per part of the index, at most (but whole letters)


@dataclass
class PdfReport:
    """What a run did, as paths relative to the output folder."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    parts_rendered: int = 0
    parts_cached: int = 0
    book_pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each step: ``check`` (fonts), ``briefs``, ``book parts``, ``book join``,
    and ``book`` (the last two)."""


# ------------------------------------------------------------------ set-up


def pdf_templates(config: Config) -> list[Path]:
    """Folders of PDF templates, the project's first (it overrides ours file by file)."""
    folders = []
    if config.templates_dir is not None and (config.templates_dir / "pdf").is_dir():
        folders.append(config.templates_dir / "pdf")
    folders.append(builtin_templates() / "pdf")
    return folders


def environment(config: Config) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in pdf_templates(config)]),
        autoescape=True,  # HTML: every value is escaped unless it is markup we produced
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def stylesheet(config: Config, paper: Paper) -> str:
    for folder in pdf_templates(config):
        path = folder / "print.css"
        if path.is_file():
            css = path.read_text(encoding="utf-8")
            return f"{css}\n@page {{ size: {PAPER_SIZES[paper]}; }}\n"
    raise ConfigError("print.css: not found in the PDF templates")


def _render(env: jinja2.Environment, template: str, **values: Any) -> str:
    try:
        return env.get_template(template).render(**values)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{display_path(Path(exc.filename))}:{exc.lineno}" if exc.filename else template
        raise ConfigError(f"{where}: template error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise ConfigError(f"templates/pdf/{template}: template error: {exc.message or exc}") from None


@functools.cache
def _engine() -> str:
    return importlib.metadata.version("weasyprint")


def _key(*parts: str) -> str:
    """The hash deciding whether a PDF is rendered again."""
    digest = hashlib.sha256()
    for part in (FORMAT_VERSION, _engine(), *parts):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


# ------------------------------------------------------------------ the state beside each PDF


def _stamp_path(state: Path, rel: str) -> Path:
    path = state / rel
    return path.with_name(f".{path.name}.hash")


def _is_current(out: Path, state: Path, rel: str, key: str) -> bool:
    stamp = _stamp_path(state, rel)
    try:
        return (out / rel).is_file() and stamp.read_text(encoding="utf-8").strip() == key
    except OSError:
        return False


def _mark(state: Path, rel: str, key: str) -> None:
    atomic_write(_stamp_path(state, rel), f"{key}\n".encode())


def _stale_briefs(out: Path, state: Path, current: set[str]) -> Iterator[str]:
    """Briefs written by an earlier run (they have a hash file) that are no longer generated."""
    folder = state / BRIEFS
    if not folder.is_dir():
        return
    for stamp in sorted(folder.rglob(".*.pdf.hash")):
        rel = stamp.with_name(stamp.name[1 : -len(".hash")]).relative_to(state).as_posix()
        if rel not in current:
            (out / rel).unlink(missing_ok=True)
            stamp.unlink()
            yield rel


# ------------------------------------------------------------------ the book's parts


@dataclass
class _Part:
    template: str
    key: str
    html: str
    file: PartFile | None = None


def _cached_part(folder: Path, key: str) -> PartFile | None:
    meta, pdf = folder / f"{key}.json", folder / f"{key}.pdf"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not pdf.is_file():
        return None
    anchors = {
        k: (int(v[0]), float(v[1]), float(v[2]), float(v[3]), float(v[4])) for k, v in data["anchors"].items()
    }
    return PartFile(pdf, int(data["pages"]), anchors)


def _save_part(folder: Path, key: str, result: Result) -> PartFile:
    data = {"pages": result.pages, "anchors": result.anchors}
    atomic_write(folder / f"{key}.json", json.dumps(data, sort_keys=True).encode())
    return PartFile(result.target, result.pages, result.anchors)


def _section_runs(view: PdfView) -> list[tuple[str, str, bool, list[str]]]:
    """(kind, title, first run of its kind, ids): the book's entries cut into parts."""
    runs = []
    for kind in KINDS:
        ids = view.ids(kind.folder)
        run: list[str] = []
        first = True
        for i, entity_id in enumerate(ids):
            run.append(entity_id)
            long_enough = len(run) >= CHUNK and chunk_boundary(entity_id, CHUNK)
            if i == len(ids) - 1 or long_enough or len(run) >= 4 * CHUNK:
                runs.append((kind.folder, kind.title, first, run))
                run, first = [], False
    return runs


class _Book:
    """Plans the parts of the book and renders them (through the cache)."""

    def __init__(
        self, view: PdfView, env: jinja2.Environment, css: str, folder: Path, job: Callable[..., Job]
    ):
        self.view, self.env, self.css, self.folder, self.job = view, env, css, folder, job
        self.rendered = 0
        self.cached = 0

    def _html(self, template: str, **values: Any) -> _Part:
        self.view.slots = 0  # page-number slots are numbered within their part
        html = _render(self.env, template, v=self.view, **values)
        key = _key(self.css, template, html)
        return _Part(template, key, html, _cached_part(self.folder, key))

    def parts(self) -> list[_Part]:
        """Cover and contents, runs of entries, timeline, sanctions table, runs of the index.

        No part's layout depends on another's (page numbers are printed when they are
        joined), so each is cached on its own HTML and they render in parallel."""
        parts = [self._html("book-front.html.j2", back=self._back_titles())]
        parts += [
            self._html("book-section.html.j2", kind=kind, title=title, first=first, ids=ids)
            for kind, title, first, ids in _section_runs(self.view)
        ]
        shown = dict(self._back_titles())
        for part, anchor in (("timeline", "timeline"), ("sanctions", "sanctions-table")):
            if anchor in shown:
                parts.append(self._html("book-back.html.j2", part=part))
        runs: list[list[tuple[str, list[IndexItem]]]] = [[]]
        for group in self.view.index_groups():
            if runs[-1] and sum(len(items) for _, items in runs[-1]) + len(group[1]) > INDEX_PART:
                runs.append([])
            runs[-1].append(group)
        parts += [
            self._html("book-back.html.j2", part="index", groups=groups, first=i == 0)
            for i, groups in enumerate(runs)
        ]
        return parts

    def resolve(self, parts: list[_Part], workers: int) -> None:
        todo = [p for p in parts if p.file is None]
        self.cached += len(parts) - len(todo)
        jobs = [self.job(p.html, self.folder / f"{p.key}.pdf", chunk=True) for p in todo]
        for part, result in zip(todo, run_all(jobs, workers), strict=True):
            part.file = _save_part(self.folder, part.key, result)
        self.rendered += len(todo)

    def _back_titles(self) -> list[tuple[str, str]]:
        shown = [
            ("timeline", bool(self.view.timeline())),
            ("sanctions-table", bool(self.view.ids("sanctions"))),
        ]
        hidden = {anchor for anchor, present in shown if not present}
        return [(a, t) for a, t in BACK_MATTER if a not in hidden]

    def outline(self) -> list[OutlineItem]:
        items = [OutlineItem("Cover", "cover"), OutlineItem("Contents", "contents")]
        for kind in KINDS:
            ids = self.view.ids(kind.folder)
            if ids:
                children = [OutlineItem(self.view.name(i), self.view.anchor(i)) for i in ids]
                items.append(OutlineItem(kind.title, f"section-{kind.folder}", children))
        items += [OutlineItem(title, anchor) for anchor, title in self._back_titles()]
        return items


# ------------------------------------------------------------------ the one entry point


@dataclass(frozen=True)
class _Run:
    """What every step of one run shares."""

    graph: Graph
    config: Config
    out: Path
    state: Path
    workers: int
    date: str
    env: jinja2.Environment
    css: str
    folders: tuple[Path, ...]

    def job(self, html: str, target: Path, chunk: bool = False) -> Job:
        return Job(html, self.css, target, self.folders[-1], self.folders, chunk)


def build_pdfs(
    graph: Graph,
    config: Config,
    out: Path,
    *,
    paper: Paper = "a4",
    workers: int | None = None,
    state: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> PdfReport:
    """Write every brief and the book into ``out``, rendering only what changed.

    ``state`` is where the hashes and the book's cached parts live (default: ``out``
    itself, hidden files beside the PDFs). ``workers`` processes render in parallel
    (default: one per CPU).
    """
    say = progress or (lambda _message: None)
    report = PdfReport()
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[step] = now - clock
        clock = now

    check_fonts(graph, (config.site_name, config.description))
    run = _Run(
        graph,
        config,
        out,
        state or out,
        workers or os.cpu_count() or 1,
        as_of(graph, config.as_of),
        environment(config),
        stylesheet(config, paper),
        tuple(pdf_templates(config)),
    )
    lap("check")
    _briefs(run, report, say)
    lap("briefs")
    _book(run, report, say, lap)
    lap("book join")
    report.seconds["book"] = report.seconds["book parts"] + report.seconds["book join"]
    return report


def _briefs(run: _Run, report: PdfReport, say: Callable[[str], None]) -> None:
    pending: list[tuple[str, str, Job]] = []
    current: set[str] = set()
    for kind in KINDS:
        for entity_id in run.graph.by_kind[kind.folder]:
            rel = f"{BRIEFS}/{kind.folder}/{entity_id}.pdf"
            current.add(rel)
            view = PdfView(run.graph, run.config, run.date, book=False, here=entity_id)
            html = _render(run.env, "brief.html.j2", v=view, e=run.graph.entity(entity_id), id=entity_id)
            key = _key(run.css, html)
            if _is_current(run.out, run.state, rel, key):
                report.unchanged.append(rel)
            else:
                pending.append((rel, key, run.job(html, run.out / rel)))
    say(f"{len(pending)} of {len(current)} briefs to render")
    for rel, _, _ in pending:
        # Claim each brief before it exists: a run killed after writing the PDF but before its
        # hash leaves a stamp that matches no key, so the next run renders it again, or removes
        # it if its entry is gone (without the stamp it would be an orphan nobody removes).
        _mark(run.state, rel, PENDING)
    results = run_all([job for _, _, job in pending], run.workers)
    for (rel, key, _job), _result in zip(pending, results, strict=True):
        _mark(run.state, rel, key)
        report.written.append(rel)
    report.removed.extend(_stale_briefs(run.out, run.state, current))


def _book(run: _Run, report: PdfReport, say: Callable[[str], None], lap: Callable[[str], None]) -> None:
    folder = run.state / PARTS
    folder.mkdir(parents=True, exist_ok=True)
    book = _Book(PdfView(run.graph, run.config, run.date, book=True), run.env, run.css, folder, run.job)
    parts = book.parts()
    say(f"book: {sum(p.file is None for p in parts)} of {len(parts)} parts to render")
    book.resolve(parts, run.workers)
    lap("book parts")
    files = [p.file for p in parts if p.file is not None]
    key = _key("book", *(p.key for p in parts))
    report.book_pages = sum(f.pages for f in files)
    report.parts_rendered, report.parts_cached = book.rendered, book.cached
    if _is_current(run.out, run.state, BOOK, key):
        report.unchanged.append(BOOK)
    else:
        site = run.config.site_name
        metadata = {
            "Title": f"{site} — briefing book",
            "Author": site,
            "Subject": f"Briefing book, as of {book.view.date(run.date)}",
            "Creator": "factsheet",
        }
        atomic_write(run.out / BOOK, join(files, book.outline(), metadata))
        _mark(run.state, BOOK, key)
        report.written.append(BOOK)
    keep = {f"{p.key}{suffix}" for p in parts for suffix in (".pdf", ".json")}
    for stale in folder.iterdir():  # parts no longer in the book (the folder is ours alone)
        if stale.name not in keep and stale.suffix in (".pdf", ".json"):
            stale.unlink()
