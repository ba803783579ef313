"""The curator's guide: Markdown pages shipped inside the package, shown on every site.

The pages are package data in ``generator/guide/`` (a folder, read through
``importlib.resources``; it cannot be imported as ``generator.guide``, which is this
module). Each becomes a :class:`~generator.render.Page` at ``guide/<name>.md``, titled by
its ``#`` heading. Links between guide pages are relative, among themselves only, so the
guide works unchanged in any briefing. Every YAML example in it is checked by
``tests/test_guide.py``.
"""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable

from .render import Page

FOLDER = "guide"
"""Where the pages are, inside the package and in the site."""

GUIDE_NAV: list[tuple[str, str]] = [
    ("Curator's guide", "guide/index.md"),
    ("Add a source", "guide/add-a-source.md"),
    ("Add an actor", "guide/add-an-actor.md"),
    ("Add a meeting", "guide/add-a-meeting.md"),
    ("Claims and disputes", "guide/claims-and-disputes.md"),
    ("Dates", "guide/dates.md"),
    ("Preview, check, publish and print", "guide/preview-check-publish-print.md"),
    ("Format reference", "guide/format.md"),
]
"""The guide's pages in reading order, as (title, path) for the sidebar."""

_HEADING = re.compile(r"# (\S.*?)\s*")


def _folder() -> Traversable:
    return resources.files("generator").joinpath(FOLDER)


def page_title(text: str, name: str = "page") -> str:
    """The text of the ``#`` heading the page opens with."""
    first = text.lstrip("\ufeff\n").split("\n", 1)[0]
    match = _HEADING.fullmatch(first)
    if match is None:
        raise ValueError(f"guide page {name} does not open with a '# ' heading")
    return match.group(1)


def guide_pages() -> list[Page]:
    """Every page of the guide, in reading order (pages missing from :data:`GUIDE_NAV` last)."""
    texts = {
        f"{FOLDER}/{item.name}": item.read_text(encoding="utf-8")
        for item in _folder().iterdir()
        if item.is_file() and item.name.endswith(".md")
    }
    order = {path: i for i, (_, path) in enumerate(GUIDE_NAV)}
    paths = sorted(texts, key=lambda p: (order.get(p, len(order)), p))
    return [Page(path, page_title(texts[path], path), texts[path], in_nav=True) for path in paths]
