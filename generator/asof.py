"""The briefing's "as of" date: how current the information is, as an EDTF date.

Printed on every PDF brief and on the book's cover and running header. A project sets it
with the plugin option ``as_of``; otherwise it is the latest date among the sources'
``published`` dates and the entries' ``reviewed`` dates.
"""

from __future__ import annotations

from .dates import MAX_KEY, EdtfError, EdtfInterval, parse_edtf
from .errors import ConfigError
from .link import Graph
from .model import Source

UNKNOWN = "XXXX"
"""EDTF for "unknown date": the answer when nothing in the content is dated."""


def as_of(graph: Graph, configured: str | None = None) -> str:
    """The configured date (checked), else the latest source publication or curator review.

    "Latest" compares the latest possible moment of each date, then the earliest (so
    ``2023-09-04?`` beats ``2023-09-01``, and ``2023`` beats both). An interval counts as
    its end. Dates with no known end are skipped; with no date at all the answer is
    ``XXXX`` (shown as "unknown date").
    """
    if configured is not None:
        try:
            parse_edtf(configured)
        except EdtfError as exc:
            raise ConfigError(f"as_of: {exc}") from None
        return configured
    best: tuple[tuple[tuple[int, int, int, int], tuple[int, int, int, int]], str] | None = None
    for record in graph.records.values():
        entity = record.entity
        found = [entity.reviewed]
        if isinstance(entity, Source):
            found.append(entity.published)
        for text in found:
            if text is None:
                continue
            date = parse_edtf(text)
            if isinstance(date, EdtfInterval):
                if date.end is None:
                    continue
                date = date.end
            if date.latest >= MAX_KEY:
                continue
            key = (date.latest, date.earliest)
            if best is None or key > best[0]:
                best = (key, date.text)
    return best[1] if best else UNKNOWN
