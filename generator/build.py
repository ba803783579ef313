"""The pipeline in one place: load -> validate -> link -> render (entry pages, then the
analysis pages: sanctions overview, source audit, relationship maps; the curator's guide).

The CLI, the MkDocs plugin and the PDF step all call :func:`build`; nothing is written
here, so a failed build can never leave a half-written site behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .analysis import analysis_pages
from .config import Config
from .guide import guide_pages
from .link import Graph, link
from .load import load
from .render import Page, render
from .validate import validate


@dataclass(frozen=True)
class Site:
    """A complete, validated briefing: the linked graph and its Markdown pages."""

    graph: Graph
    pages: list[Page]


def load_graph(content_dir: Path) -> Graph:
    """Read and check everything; raise :class:`~generator.errors.ContentError` on any problem."""
    return link(validate(load(content_dir)))


def build(config: Config) -> Site:
    """Load, validate, link and render the whole briefing in memory."""
    graph = load_graph(config.content_dir)
    guide = guide_pages() if config.guide else []
    return Site(graph, render(graph, config) + analysis_pages(graph, config) + guide)
