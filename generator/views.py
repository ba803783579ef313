"""Typed page views: what a page shows, computed in Python, so templates only format.

:class:`generator.render.View` builds these for the page being rendered; every text in
them is already safe Markdown (:class:`~generator.markup.Md`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """One line of an entry's key facts: ``- **label:** value``."""

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
