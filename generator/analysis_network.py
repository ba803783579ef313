"""Who is related to whom: the actor network behind the relationship maps.

Every relation between two actors is derived from the facts, with the entry that
establishes it (the meeting, the sanction, the transfer, the disputed claim, the actor
holding a role or a country), from the point of view of each side:

==============  ==========================================  ==============================
kind            from                                        labels (this side / other)
==============  ==========================================  ==============================
``met``         two participants (or a participant and the   ``met`` / ``met``;
                host) of a meeting                           ``hosted`` / ``hosted by``
``sanction``    ``imposed_by`` and ``targets`` of a sanction ``sanctions`` / ``sanctioned by``
``transfer``    ``supplier`` and ``recipient`` of an event   ``supplied`` / ``supplied by``
``dispute``     claims ``by`` two actors that dispute each   ``disputes`` / ``disputes``
                other
``role``        ``roles[].of`` of an actor                  the role's title, both sides
``country``     ``country`` of an actor                     ``country`` / ``national``
==============  ==========================================  ==============================

Nothing here formats text for a page; :mod:`generator.analysis_map` does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .link import Graph, order_key
from .model import Actor, Event, Meeting, Sanction

RELATION_KINDS: tuple[str, ...] = ("met", "sanction", "transfer", "dispute", "role", "country")
"""Kinds of relation, in the order maps group and style them."""

RELATION_TITLES: dict[str, str] = {
    "met": "Met (meetings)",
    "sanction": "Sanctions",
    "transfer": "Transfers",
    "dispute": "Disputed claims",
    "role": "Roles and membership",
    "country": "Country",
}


@dataclass(frozen=True, order=True)
class Link:
    """One relation of an actor to another, seen from the first: ``kind``, ``label`` and
    the entry (``via``, with ``claim`` for a dispute) that establishes it."""

    kind: str
    label: str
    via: str
    claim: str | None = None


@dataclass
class Network:
    """``links[a][b]``: every :class:`Link` from actor ``a`` to actor ``b`` (both ways stored)."""

    links: dict[str, dict[str, list[Link]]] = field(default_factory=dict)

    def neighbours(self, actor: str) -> dict[str, list[Link]]:
        return self.links.get(actor, {})


def network(graph: Graph) -> Network:
    """The actor network of the whole briefing, each link list sorted and without repeats."""
    found: dict[str, dict[str, set[Link]]] = defaultdict(lambda: defaultdict(set))
    actors = set(graph.by_kind.get("actors", []))

    def add(a: str, b: str, link: Link) -> None:
        if a != b and a in actors and b in actors:
            found[a][b].add(link)

    for rid, record in graph.records.items():
        e = record.entity
        if isinstance(e, Meeting):
            people = list(dict.fromkeys(e.participants))
            for i, a in enumerate(people):
                for b in people[i + 1 :]:
                    add(a, b, Link("met", "met", rid))
                    add(b, a, Link("met", "met", rid))
            if e.host and e.host not in people:
                for a in people:
                    add(a, e.host, Link("met", "hosted by", rid))
                    add(e.host, a, Link("met", "hosted", rid))
        elif isinstance(e, Sanction):
            for a in e.imposed_by:
                for b in e.targets:
                    add(a, b, Link("sanction", "sanctions", rid))
                    add(b, a, Link("sanction", "sanctioned by", rid))
        elif isinstance(e, Event):
            if e.supplier and e.recipient:
                add(e.supplier, e.recipient, Link("transfer", "supplied", rid))
                add(e.recipient, e.supplier, Link("transfer", "supplied by", rid))
        elif isinstance(e, Actor):
            if e.country:
                add(rid, e.country, Link("country", "country", rid))
                add(e.country, rid, Link("country", "national", rid))
            for role in e.roles:
                if role.of:
                    title = " ".join(role.title.split())
                    add(rid, role.of, Link("role", title, rid))
                    add(role.of, rid, Link("role", title, rid))
    for ref, node in graph.claims.items():
        claimant = node.claim.by
        if claimant is None:
            continue
        for other in graph.disputes.get(ref, []):
            opponent = graph.claims[other].claim.by
            if opponent is not None:
                add(claimant, opponent, Link("dispute", "disputes", node.entity_id, node.claim.id))

    def link_order(link: Link) -> tuple[object, ...]:
        return (
            RELATION_KINDS.index(link.kind),
            link.label,
            order_key(graph.records[link.via]),
            link.claim or "",
        )

    return Network(
        {
            a: {b: sorted(links, key=link_order) for b, links in sorted(bs.items())}
            for a, bs in sorted(found.items())
        }
    )


def weight(links: list[Link]) -> int:
    """How strongly two actors are related: the number of distinct facts relating them."""
    return len(links)


def primary_kind(links: list[Link]) -> str:
    """The first kind of relation (in :data:`RELATION_KINDS` order) among ``links``."""
    return min((link.kind for link in links), key=RELATION_KINDS.index)


def summary_label(links: list[Link]) -> str:
    """``met ×2 · hosted by · Supreme Leader``: each label once, with its count."""
    counts: dict[str, int] = {}
    for link in links:
        counts[link.label] = counts.get(link.label, 0) + 1
    return " · ".join(label if n == 1 else f"{label} ×{n}" for label, n in counts.items())


def short_label(links: list[Link]) -> str:
    """:func:`summary_label` for a map, where space is short: roles counted, not named."""
    counts: dict[str, int] = {}
    for link in links:
        key = "\0role" if link.kind == "role" else link.label
        counts[key] = counts.get(key, 0) + 1
    return " · ".join(
        ("role" if n == 1 else f"{n} roles") if label == "\0role" else (label if n == 1 else f"{label} ×{n}")
        for label, n in counts.items()
    )
