"""WeasyPrint, called the one way we use it: an HTML string and our stylesheet to a PDF file.

Kept apart so worker processes import only this. Nothing is fetched from the network or
from outside the PDF template folders (:class:`LocalOnly`). A job writes its PDF through a
temporary sibling and ``os.replace``, so an interrupted run never leaves a truncated file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

from .write import create_temp

LINK_SCHEME = "factsheet-anchor:"
"""Book chunks: a link to an anchor, resolved to a page only when the chunks are joined."""
PX_TO_PT = 0.75

Anchor = tuple[int, float, float, float, float]
"""Where an element is: page index, then left, top, right, bottom in PDF points (y upwards)."""


class LocalOnly(URLFetcher):  # type: ignore[misc]
    """Fetches only files inside the given folders; anything else (web, data:, other files) is refused."""

    def __init__(self, folders: Sequence[Path]) -> None:
        super().__init__(allowed_protocols={"file"})
        self.folders = [f.resolve() for f in folders]

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url!r}: the PDF uses local files only")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self.folders) or not path.is_file():
            raise ValueError(f"refused to fetch {url!r}: not a file of the PDF templates")
        return URLFetcherResponse(url, path.read_bytes())


@dataclass(frozen=True)
class Job:
    """One PDF to render: ``chunk`` jobs (parts of the book) also report their anchors."""

    html: str
    css: str
    target: Path
    base: Path
    folders: tuple[Path, ...]
    chunk: bool = False


@dataclass
class Result:
    target: Path
    pages: int
    anchors: dict[str, Anchor] = field(default_factory=dict)
    """Chunks: every element with an id, and where it is in the chunk."""


_STATE: dict[str, Any] = {}


def _stylesheet(css: str, base: Path, fetcher: LocalOnly, fonts: FontConfiguration) -> weasyprint.CSS:
    """The stylesheet, parsed once per process."""
    key = (css, base)
    cached = _STATE.get("css")
    if cached is None or cached[0] != key:
        parsed = weasyprint.CSS(
            string=css, base_url=base.as_uri() + "/", url_fetcher=fetcher, font_config=fonts
        )
        _STATE["css"] = cached = (key, parsed)
    return cached[1]


def render(job: Job) -> Result:
    """Lay out ``job.html`` and write the PDF atomically to ``job.target``."""
    fonts = _STATE.setdefault("fonts", FontConfiguration())
    fetcher = LocalOnly(job.folders)
    html = weasyprint.HTML(string=job.html, base_url=job.base.as_uri() + "/", url_fetcher=fetcher)
    document = html.render(stylesheets=[_stylesheet(job.css, job.base, fetcher, fonts)], font_config=fonts)
    anchors: dict[str, Anchor] = {}
    if job.chunk:
        for number, page in enumerate(document.pages):
            for name, (left, top, right, bottom) in page.anchors.items():
                height = page.height
                box = (
                    left * PX_TO_PT,
                    (height - top) * PX_TO_PT,
                    right * PX_TO_PT,
                    (height - bottom) * PX_TO_PT,
                )
                anchors.setdefault(name, (number, *box))
            # every link to an anchor becomes a placeholder the book resolves across chunks
            page.links = [
                ("external", LINK_SCHEME + target, rect, box)
                if kind == "internal"
                else (kind, target, rect, box)
                for kind, target, rect, box in page.links
            ]
    data = document.write_pdf()
    assert data is not None
    atomic_write(job.target, data)
    return Result(job.target, len(document.pages), anchors)


def atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary sibling and ``os.replace``: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = create_temp(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _quiet() -> None:
    """Worker start-up: WeasyPrint's own warnings (unsupported CSS) stay in the log, not the console."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def run_all(jobs: Sequence[Job], workers: int) -> list[Result]:
    """Render every job, in worker processes when there are enough of them to pay off."""
    if workers <= 1 or len(jobs) < 2 * workers:
        return [render(job) for job in jobs]
    # spawn, not fork: a forked WeasyPrint (fontconfig, Pango, threads) is not safe to share
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_quiet) as pool:
        return list(pool.map(render, jobs, chunksize=max(1, len(jobs) // (8 * workers))))
