"""Typed page views: what a page shows, computed in Python, so templates only format.

:class:`generator.render.View` builds these for the page being rendered; every text in
them is already safe Markdown (:class:`~generator.markup.Md`), and every id is a
validated id (``a-z``, ``0-9``, ``-``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """One line of an entry's key facts (the infobox): ``- **label:** value``."""

    label: str
    value: str  # Md


@dataclass(frozen=True)
class ClaimView:
    """One claim as a page shows it."""

    anchor: str
    """``claim-<id>``: the anchor on the page of the entry that records the claim."""
    href: str
    """Link target of the claim from this page."""
    here: bool
    """Whether this page is the entry that records it (the anchor is on this page)."""
    stance: str
    """``asserts`` or ``denies``."""
    who: str
    """Who made it: the linked actor, the attribution, or both."""
    date: str
    """When it was said, at its own precision, with the source's words; may be empty."""
    text: str
    """What was claimed, on one line."""
    status: str
    """``Reported``, ``Disputed``, ...; may be empty."""
    source: str
    """``[Source title](...), para 9``: where it comes from, readable on its own."""
    locator: str
    """Where in the source (``para 9``); may be empty."""
    recorded_under: str
    """``[Entry name](...#claim-id)``: the entry that records it."""
    disputes: tuple[ClaimView, ...]
    """The claims it disputes or that dispute it (their own ``disputes`` are empty)."""
    ref: str = ""
    """The numbered note to its source, ``[3]``, linking to the page's notes list."""


@dataclass(frozen=True)
class Thread:
    """Claims that dispute each other, shown once per page: a claim, then the claims disputing it."""

    root: ClaimView
    replies: tuple[ClaimView, ...]
    """In date order; each disputes ``root`` or another reply."""


@dataclass(frozen=True)
class TimelineItem:
    """One dated meeting, event or sanction in a timeline."""

    id: str
    kind: str
    """``meetings``, ``events`` or ``sanctions`` (for the filter and the styles)."""
    kind_label: str
    """``Meeting``, ``Event``, ``Sanction``."""
    date: str
    """At its own precision (Md)."""
    link: str
    """``[Name](page)`` (Md)."""
    summary: str
    """One line (Md)."""
    status: str
    """The raw status value (``planned``, ``occurred``, ``in-force``...) or ``""``; a CSS class suffix."""
    status_label: str
    """``Planned``... (Md), or ``""``."""
    planned: bool
    """Not (yet) happened as of the briefing's date: planned, proposed, or dated after it."""
    actors: str
    """Space-separated ids of the actors involved (for the browser filter)."""
    role: str = ""
    """On an actor's page: how the actor takes part (``participant``, ``host``, ``target``...)."""


@dataclass(frozen=True)
class TimelineMonth:
    """One month: first the items known only to the month (``imprecise``), then those dated to the day."""

    heading: str
    """``September 2023``."""
    anchor: str
    """``y2023-09``: an id for the heading."""
    imprecise_label: str
    """``September 2023, day not known``."""
    imprecise: tuple[TimelineItem, ...]
    dated: tuple[TimelineItem, ...]


@dataclass(frozen=True)
class TimelineYear:
    """One year: first the items known only to the year (``imprecise``), then its months."""

    heading: str
    """``2023``, or ``Date not known``."""
    anchor: str
    """``y2023``: an id for the heading."""
    imprecise_label: str
    """``2023, month not known``."""
    imprecise: tuple[TimelineItem, ...]
    months: tuple[TimelineMonth, ...]


@dataclass(frozen=True)
class Outcome:
    """How an entry's status changed after it was first reported, for its first screen."""

    before: str
    """``first reported as planned on 4 September 2023 [1]``, or ``planned as of 5 September 2023,
    the briefing’s date`` when the entry lies after the as-of date (Md)."""
    after: str
    """``Took place on 13 September 2023 at Vostochny Cosmodrome, Russia [2][3]``, or ``Cancelled [2]`` (Md)."""


@dataclass(frozen=True)
class Citing:
    """One entry citing a source: where in the source, and the claims it draws from it."""

    id: str
    kind_label: str
    """``Meeting``..."""
    locators: str
    """The citations' locators joined (``para 1; paras 3-5``; ``no locator given`` for a citation
    without one) (Md); empty when the entry cites the source only through its claims."""
    claims: tuple[ClaimView, ...]
