"""Stage 3, link: resolve every reference once and derive the reverse relations.

Each relation is declared once in :func:`references` with the name of its reverse
(``participants`` -> ``meetings``); backlinks are never written by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from .dates import sort_key
from .errors import ContentError, Diagnostic, did_you_mean
from .load import Path_, Pos, dotted
from .markup import entry_target, find_links, link_problem, markdown_fields
from .model import KINDS, Actor, Claim, Common, Entry, Event, Meeting, Sanction, Source, is_reference
from .validate import Record, Validated

ACTORS, MEETINGS, SANCTIONS, SOURCES, EVENTS = (
    "actors",
    "meetings",
    "sanctions",
    "sources",
    "events",
)
ANY = tuple(k.folder for k in KINDS)

RELATIONS: dict[str, str] = {
    "cited_by": "sources[].source and claims[].source of the entries citing a source",
    "claimant_in": "claims[].by",
    "claims_about": "claims[].about",
    "published": "publisher of a source",
    "nationals": "country of an actor",
    "members": "roles[].of of an actor",
    "venue_of": "place.country of a meeting or event",
    "meetings": "participants of a meeting",
    "hosted": "host of a meeting",
    "followed_by": "follows of a meeting",
    "sanctions_imposed": "imposed_by of a sanction",
    "sanctions_on": "targets of a sanction",
    "basis_for": "legal_basis (an id) of a sanction",
    "events": "actors of an event",
    "supplied": "supplier of an event",
    "received": "recipient of an event",
    "mentioned_in": "a link to the entry in another entry's Markdown text",
}
"""Every reverse relation, by the name templates ask for (``v.related(id, "meetings")``),
with the field that declares it. Each is declared once in :func:`references`."""


@dataclass(frozen=True)
class Ref:
    """One reference from ``source`` at ``loc`` to ``target``; ``reverse`` names the backlink."""

    source: str
    loc: Path_
    target: str
    kinds: tuple[str, ...]
    reverse: str


@dataclass(frozen=True)
class ClaimNode:
    entity_id: str
    claim: Claim

    @property
    def ref(self) -> str:
        return f"{self.entity_id}#{self.claim.id}"


@dataclass
class Graph:
    """Resolved content: entities, derived backlinks, claims and disputes, in timeline order."""

    records: dict[str, Record]
    by_kind: dict[str, list[str]]
    backlinks: dict[str, dict[str, list[str]]]
    claims: dict[str, ClaimNode]
    claims_by: dict[str, list[str]]
    claims_about: dict[str, list[str]]
    disputes: dict[str, list[str]]
    citations: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    memo: dict[object, Any] = field(default_factory=dict, repr=False, compare=False)
    """Answers derived from the whole graph that every page asks for (the timeline, what is
    upcoming), computed once per graph instead of once per page."""

    def entity(self, entity_id: str) -> Common:
        return self.records[entity_id].entity

    def kind(self, entity_id: str) -> str:
        return self.records[entity_id].kind

    def related(self, entity_id: str, relation: str) -> list[str]:
        """Ids that point at ``entity_id`` through ``relation``, in timeline order."""
        return self.backlinks.get(entity_id, {}).get(relation, [])

    def counts(self) -> dict[str, int]:
        return {kind: len(ids) for kind, ids in self.by_kind.items()}


def entity_date(entity: Common) -> str | None:
    if isinstance(entity, Meeting | Event):
        return entity.date
    if isinstance(entity, Sanction):
        return entity.date
    if isinstance(entity, Source):
        return entity.published
    return None


def order_key(record: Record) -> tuple[tuple[int, int, int, int], str, str]:
    """Earliest possible moment first, ties by name (then id, for a total order)."""
    return (sort_key(entity_date(record.entity)), record.entity.name.casefold(), record.id)


def references(record: Record, known_ids: Collection[str]) -> Iterator[Ref]:
    """Every reference an entity makes, each with the name of its reverse relation."""
    e, rid = record.entity, record.id

    def ref(loc: Path_, target: str | None, kinds: tuple[str, ...], reverse: str) -> Iterator[Ref]:
        assert reverse in RELATIONS, reverse
        if target is not None:
            yield Ref(rid, loc, target, kinds, reverse)

    if isinstance(e, Entry):
        for i, cite in enumerate(e.sources):
            yield from ref(("sources", i, "source"), cite.source, (SOURCES,), "cited_by")
    for i, claim in enumerate(e.claims):
        yield from ref(("claims", i, "by"), claim.by, (ACTORS,), "claimant_in")
        yield from ref(("claims", i, "source"), claim.source, (SOURCES,), "cited_by")
        for j, about in enumerate(claim.about):
            yield from ref(("claims", i, "about", j), about, ANY, "claims_about")
    if isinstance(e, Source) and e.publisher and is_reference(e.publisher, known_ids):
        yield from ref(("publisher",), e.publisher, (ACTORS,), "published")
    if isinstance(e, Actor):
        yield from ref(("country",), e.country, (ACTORS,), "nationals")
        for i, role in enumerate(e.roles):
            yield from ref(("roles", i, "of"), role.of, (ACTORS,), "members")
    if isinstance(e, Meeting | Event) and e.place:
        yield from ref(("place", "country"), e.place.country, (ACTORS,), "venue_of")
    if isinstance(e, Meeting):
        for i, p in enumerate(e.participants):
            yield from ref(("participants", i), p, (ACTORS,), "meetings")
        yield from ref(("host",), e.host, (ACTORS,), "hosted")
        for i, m in enumerate(e.follows):
            yield from ref(("follows", i), m, (MEETINGS,), "followed_by")
    if isinstance(e, Sanction):
        for i, a in enumerate(e.imposed_by):
            yield from ref(("imposed_by", i), a, (ACTORS,), "sanctions_imposed")
        for i, t in enumerate(e.targets):
            yield from ref(("targets", i), t, (ACTORS,), "sanctions_on")
        for i, basis in enumerate(e.legal_basis):
            if is_reference(basis, known_ids):
                yield from ref(("legal_basis", i), basis, (SANCTIONS,), "basis_for")
    if isinstance(e, Event):
        for i, a in enumerate(e.actors):
            yield from ref(("actors", i), a, (ACTORS,), "events")
        yield from ref(("supplier",), e.supplier, (ACTORS,), "supplied")
        yield from ref(("recipient",), e.recipient, (ACTORS,), "received")


def _error(record: Record, loc: Path_, message: str, pos: Pos | None = None) -> Diagnostic:
    """A problem with the field at ``loc``; ``pos`` when it is known more exactly than the field."""
    pos = pos or record.document.pos(loc)
    return Diagnostic(record.document.display, pos.line, pos.column, dotted(loc), message)


def _check_ref(ref: Ref, validated: Validated) -> str | None:
    kind = validated.all_ids.get(ref.target)
    if kind is None:
        wanted = [i for i, k in validated.all_ids.items() if k in ref.kinds]
        noun = "entry" if ref.kinds == ANY else ref.kinds[0].removesuffix("s")
        return f"unknown {noun} '{ref.target}'{did_you_mean(ref.target, wanted)}"
    if kind not in ref.kinds:
        return f"'{ref.target}' is in {kind}/, expected an id from {' or '.join(k + '/' for k in ref.kinds)}"
    return None


def _claim_ref_problem(target: str, validated: Validated) -> str | None:
    """Why ``entity#claim`` does not resolve (None when its file has errors of its own)."""
    entity_id, _, claim_id = target.partition("#")
    if entity_id not in validated.all_ids:
        return f"unknown entry '{entity_id}'{did_you_mean(entity_id, validated.all_ids)}"
    record = validated.records.get(entity_id)
    if record is None:
        return None  # that file has errors of its own, reported there
    known = [c.id for c in record.entity.claims]
    return f"'{entity_id}' has no claim '{claim_id}'{did_you_mean(claim_id, known)}"


def _text_links(
    record: Record, validated: Validated, claims: dict[str, ClaimNode], diagnostics: list[Diagnostic]
) -> Iterator[str]:
    """Check every link in the entry's Markdown fields; yield the ids of the entries it links to."""
    for loc, text in markdown_fields(record.entity, validated.all_ids):
        for found in find_links(text):
            entry = entry_target(found.target)
            problem = link_problem(found)
            if problem is None and entry is not None:
                problem = _entry_link_problem(found.target, validated, claims)
            if problem:
                pos = record.document.find(loc, found.target)
                diagnostics.append(_error(record, loc, problem, pos))
            elif entry is not None:
                yield entry[0]


def _entry_link_problem(target: str, validated: Validated, claims: dict[str, ClaimNode]) -> str | None:
    """Why a link to ``entity`` or ``entity#claim`` in text does not resolve (None: it does)."""
    entity_id, _, claim_id = target.partition("#")
    if claim_id:
        return None if target in claims else _claim_ref_problem(target, validated)
    if entity_id not in validated.all_ids:
        return f"link to unknown entry '{entity_id}'{did_you_mean(entity_id, validated.all_ids)}"
    return None


def _check_country(ref: Ref, records: dict[str, Record]) -> str | None:
    target = records.get(ref.target)
    if (
        ref.reverse in ("nationals", "venue_of")
        and target
        and isinstance(target.entity, Actor)
        and target.entity.type != "state"
    ):
        return f"'{ref.target}' is an actor of type '{target.entity.type}'; a country must be of type 'state'"
    return None


def _follows_cycles(records: dict[str, Record]) -> Iterator[Diagnostic]:
    """Report each cycle in ``follows`` once, at the entry that closes it."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(mid: str, stack: list[str]) -> Iterator[Diagnostic]:
        state[mid] = 1
        stack.append(mid)
        entity = records[mid].entity
        assert isinstance(entity, Meeting)
        for i, nxt in enumerate(entity.follows):
            target = records.get(nxt)
            if target is None or not isinstance(target.entity, Meeting):
                continue
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    yield _error(
                        records[mid],
                        ("follows", i),
                        "'follows' forms a cycle: " + " -> ".join(cycle),
                    )
            elif nxt not in state:
                yield from visit(nxt, stack)
        stack.pop()
        state[mid] = 2

    for mid in sorted(r for r, rec in records.items() if isinstance(rec.entity, Meeting)):
        if mid not in state:
            yield from visit(mid, [])


def link(validated: Validated) -> Graph:
    """Resolve references; raise :class:`ContentError` with every problem found so far."""
    records = validated.records
    diagnostics = list(validated.diagnostics)
    backlinks: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    citations: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    claims: dict[str, ClaimNode] = {}
    for rid, record in records.items():
        for claim in record.entity.claims:
            node = ClaimNode(rid, claim)
            claims[node.ref] = node
    for record in records.values():
        for ref in references(record, validated.all_ids):
            problem = _check_ref(ref, validated) or _check_country(ref, records)
            if problem:
                diagnostics.append(_error(record, ref.loc, problem))
            elif ref.target != ref.source:
                backlinks[ref.target][ref.reverse].add(ref.source)
        if isinstance(record.entity, Entry):
            for cite in record.entity.sources:
                citations[cite.source].append((record.id, cite.locator))
    disputes: dict[str, set[str]] = defaultdict(set)
    claims_by: dict[str, list[str]] = defaultdict(list)
    claims_about: dict[str, list[str]] = defaultdict(list)
    for cref, node in claims.items():
        record = records[node.entity_id]
        index = record.entity.claims.index(node.claim)
        for j, target in enumerate(node.claim.disputes):
            if target not in claims:
                msg = _claim_ref_problem(target, validated)
                if msg:
                    diagnostics.append(_error(record, ("claims", index, "disputes", j), msg))
            elif target == cref:
                diagnostics.append(
                    _error(record, ("claims", index, "disputes", j), "a claim cannot dispute itself")
                )
            else:
                disputes[cref].add(target)
                disputes[target].add(cref)
        if node.claim.by:
            claims_by[node.claim.by].append(cref)
        claims_about[node.entity_id].append(cref)
        for about in node.claim.about:
            if about != node.entity_id:
                claims_about[about].append(cref)
    for record in records.values():
        for mentioned in _text_links(record, validated, claims, diagnostics):
            if mentioned != record.id:
                backlinks[mentioned]["mentioned_in"].add(record.id)
    diagnostics.extend(_follows_cycles(records))
    if diagnostics:
        raise ContentError(diagnostics)

    def ordered(ids: set[str] | list[str]) -> list[str]:
        return sorted(ids, key=lambda i: order_key(records[i]))

    def claim_order(ref: str) -> tuple[object, ...]:
        node = claims[ref]
        return (sort_key(node.claim.date), *order_key(records[node.entity_id]), ref)

    by_kind: dict[str, list[str]] = {k: [] for k in ANY}
    for rid in ordered(list(records)):
        by_kind[records[rid].kind].append(rid)
    return Graph(
        records=records,
        by_kind=by_kind,
        backlinks={t: {rel: ordered(s) for rel, s in rels.items()} for t, rels in backlinks.items()},
        claims=claims,
        claims_by={a: sorted(c, key=claim_order) for a, c in claims_by.items()},
        claims_about={a: sorted(c, key=claim_order) for a, c in claims_about.items()},
        disputes={c: sorted(d, key=claim_order) for c, d in disputes.items()},
        citations=dict(citations),
    )
