"""The pipeline in one place: load -> validate -> link (-> render).

The CLI, the MkDocs plugin and the PDF step all call these functions.
"""

from __future__ import annotations

from pathlib import Path

from .link import Graph, link
from .load import load
from .validate import validate


def load_graph(content_dir: Path) -> Graph:
    """Read and check everything; raise :class:`~generator.errors.ContentError` on any problem."""
    return link(validate(load(content_dir)))
