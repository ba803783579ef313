"""What the PDF templates see: the graph's answers for one brief or the book, as plain values.

The PDF templates autoescape, so every string here is plain text and is escaped where it
lands; the only markup is what :func:`generator.markup.markdown_html` returns for curator
Markdown (parsed, sanitized, links resolved through :meth:`PdfView.text_href`).
"""

from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from . import dates
from .config import Config
from .link import ClaimNode, Graph, entity_date, order_key
from .markup import markdown_html
from .model import ACTOR_TYPE_TITLES, KIND, KINDS, Actor, Alias, Common, Entry, Role

DATED_KINDS = ("meetings", "events", "sanctions")

# reverse relations shown under "Relationships", in this order, with their headings
RELATION_LABELS: dict[str, str] = {
    "members": "Members and office holders",
    "nationals": "Nationals",
    "meetings": "Meetings",
    "hosted": "Hosted",
    "venue_of": "Held here",
    "followed_by": "Followed by",
    "sanctions_on": "Sanctions on it",
    "sanctions_imposed": "Sanctions imposed",
    "basis_for": "Basis for",
    "events": "Events",
    "supplied": "Supplied in",
    "received": "Received in",
    "published": "Sources published",
    "cited_by": "Cited by",
    "mentioned_in": "Mentioned in",
}


@dataclass(frozen=True)
class Note:
    """A numbered source note of one entry: the source, and where in it the entry draws on it."""

    number: int
    source: str
    locators: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Related entries under one heading; ``more`` counts those left out for length."""

    label: str
    ids: list[str]
    more: int


@dataclass(frozen=True)
class Row:
    """One line of a timeline excerpt; ``current`` marks the entry itself."""

    id: str
    current: bool


@dataclass(frozen=True)
class IndexItem:
    """One name or alias in the book's index."""

    name: str
    lang: str | None
    target: str
    alias: bool
    letter: str


class PdfView:
    """Helpers for one brief (``here`` is its entry) or for the book (``here`` is None)."""

    def __init__(
        self, graph: Graph, config: Config, as_of: str, *, book: bool, here: str | None = None
    ) -> None:
        self.graph = graph
        self.config = config
        self.as_of = as_of
        self.book = book
        self.here = here
        self.list_limit = 40 if book else 12
        self.timeline_limit = 10
        self.slots = 0

    # -- lookups
    def entity(self, entity_id: str) -> Common:
        return self.graph.entity(entity_id)

    def name(self, entity_id: str) -> str:
        return self.graph.entity(entity_id).name

    def kind(self, entity_id: str) -> str:
        return self.graph.kind(entity_id)

    def kind_label(self, entity_id: str) -> str:
        return KIND[self.kind(entity_id)].singular

    def kinds(self) -> list[tuple[str, str]]:
        """(folder, title) of every kind, in the order of the site's sections."""
        return [(k.folder, k.title) for k in KINDS]

    def ids(self, kind: str) -> list[str]:
        return self.graph.by_kind.get(kind, [])

    def is_entry(self, value: str) -> bool:
        return value in self.graph.records

    def counts(self) -> dict[str, int]:
        return self.graph.counts()

    def _order(self, entity_id: str) -> tuple[object, ...]:
        return order_key(self.graph.records[entity_id])

    # -- anchors and links
    def anchor(self, entity_id: str) -> str:
        return f"{self.kind(entity_id)}-{entity_id}"

    def claim_anchor(self, node: ClaimNode) -> str:
        return f"{self.anchor(node.entity_id)}--claim-{node.claim.id}"

    def note_anchor(self, entity_id: str, number: int) -> str:
        return f"{self.anchor(entity_id)}--note-{number}"

    def slot(self, anchor: str, align: str = "R") -> str:
        """The id of an empty element where the book prints the page number of ``anchor``
        when its parts are joined (see :mod:`generator.pdf_book`)."""
        self.slots += 1
        return f"pg{'L' if align == 'L' else 'R'}{self.slots}.{anchor}"

    def href(self, entity_id: str) -> str | None:
        """Where a link to an entry goes: its place in the book; in a brief, nowhere."""
        return f"#{self.anchor(entity_id)}" if self.book else None

    def claim_href(self, node: ClaimNode) -> str | None:
        if self.book or node.entity_id == self.here:
            return f"#{self.claim_anchor(node)}"
        return None

    def text_href(self, entity_id: str, claim_id: str | None) -> str | None:
        """Links to entries in curator Markdown (see :func:`generator.markup.markdown_html`)."""
        if entity_id not in self.graph.records:
            return None
        if claim_id is None:
            return self.href(entity_id)
        node = self.graph.claims.get(f"{entity_id}#{claim_id}")
        return self.claim_href(node) if node else None

    # -- formatting
    def md(self, text: str | None) -> Markup:
        """Curator Markdown as sanitized HTML."""
        return markdown_html(text or "", self.text_href, self.config.allow_html)

    def date(self, text: str | None, words: str | None = None) -> str:
        if not text:
            return ""
        shown = dates.display(text)
        return f"{shown} (“{' '.join(words.split())}”)" if words else shown

    def date_of(self, entity_id: str) -> str:
        return self.date(entity_date(self.entity(entity_id)))

    def label(self, value: str | None) -> str:
        """``armed-group`` -> ``Armed group``."""
        return (value or "").replace("-", " ").capitalize()

    def actor_type(self, actor_id: str) -> str:
        entity = self.entity(actor_id)
        return self.label(entity.type) if isinstance(entity, Actor) else ""

    def role_dates(self, role: Role) -> str:
        start, end = self.date(role.start, role.start_text), self.date(role.end, role.end_text)
        if start and end:
            return f"{start} to {end}"
        if start:
            return f"since {start}"
        return f"until {end}" if end else ""

    def attribution(self, node: ClaimNode) -> str:
        words = (node.claim.attribution or "").strip()
        return words[:1].upper() + words[1:]

    def shown_aliases(self, entity: Common) -> list[Alias]:
        """Aliases other than the name and native name."""
        hidden = {entity.name.casefold()}
        native = getattr(entity, "native_name", None)
        if native is not None:
            hidden.add(native.name.casefold())
        return [a for a in entity.aliases if a.name.casefold() not in hidden]

    # -- claims and notes
    def claims(self, entity_id: str) -> list[ClaimNode]:
        """Claims recorded on, made by or about the entry, in date order, once each."""
        refs = dict.fromkeys(self.graph.claims_about.get(entity_id, []))
        refs.update(dict.fromkeys(self.graph.claims_by.get(entity_id, [])))
        nodes = [self.graph.claims[r] for r in refs]
        return sorted(nodes, key=lambda n: (dates.sort_key(n.claim.date), *self._order(n.entity_id), n.ref))

    def disputes(self, node: ClaimNode) -> list[ClaimNode]:
        return [self.graph.claims[c] for c in self.graph.disputes.get(node.ref, [])]

    def notes(self, entity_id: str) -> list[Note]:
        """The entry's source notes, one per source: its citations first, then its claims' sources."""
        return list(self._notes(entity_id).values())

    def note_number(self, entity_id: str, source: str) -> int:
        return self._notes(entity_id)[source].number

    def _notes(self, entity_id: str) -> dict[str, Note]:
        cache = self._note_cache
        if entity_id not in cache:
            order: dict[str, tuple[list[str], list[str]]] = {}
            entity = self.entity(entity_id)
            if isinstance(entity, Entry):
                for cite in entity.sources:
                    locators, notes = order.setdefault(cite.source, ([], []))
                    if cite.locator and cite.locator not in locators:
                        locators.append(cite.locator)
                    if cite.note:
                        notes.append(cite.note)
            for node in self.claims(entity_id):
                order.setdefault(node.claim.source, ([], []))
                for other in self.disputes(node):
                    order.setdefault(other.claim.source, ([], []))
            cache[entity_id] = {
                source: Note(number, source, tuple(locators), tuple(notes))
                for number, (source, (locators, notes)) in enumerate(order.items(), 1)
            }
        return cache[entity_id]

    @cached_property
    def _note_cache(self) -> dict[str, dict[str, Note]]:
        return {}

    # -- relationships and timeline
    def relations(self, entity_id: str) -> list[Group]:
        """Entries pointing at this one, by relation, each list cut to ``list_limit``."""
        groups = []
        for relation, label in RELATION_LABELS.items():
            ids = self.graph.related(entity_id, relation)
            if ids:
                shown = ids[: self.list_limit]
                groups.append(Group(label, shown, len(ids) - len(shown)))
        return groups

    def timeline_excerpt(self, entity_id: str) -> list[Row]:
        """Dated entries linked to this one either way, with itself: a window around its own
        date, or the most recent ones when it has none."""
        linked = {
            rid
            for relation in RELATION_LABELS
            if relation not in ("cited_by", "mentioned_in")
            for rid in self.graph.related(entity_id, relation)
        }
        linked.update(self._outgoing(entity_id))
        dated = [i for i in linked if self.kind(i) in DATED_KINDS and entity_date(self.entity(i))]
        own = entity_date(self.entity(entity_id))
        if own:
            dated.append(entity_id)
        dated.sort(key=self._order)
        if len(dated) > self.timeline_limit:
            if own:
                at = dated.index(entity_id)
                start = max(0, min(at - self.timeline_limit // 2, len(dated) - self.timeline_limit))
                dated = dated[start : start + self.timeline_limit]
            else:
                dated = dated[-self.timeline_limit :]
        return [Row(i, i == entity_id) for i in dated]

    def _outgoing(self, entity_id: str) -> list[str]:
        """Dated entries this one names in its own fields."""
        entity = self.entity(entity_id)
        fields = ("follows", "legal_basis")  # the only fields that name dated entries
        return [v for f in fields for v in getattr(entity, f, []) if v in self.graph.records]

    # -- the book
    def actor_groups(self) -> list[tuple[str, list[str]]]:
        groups: dict[str, list[str]] = {}
        for i in self.ids("actors"):
            actor = self.entity(i)
            assert isinstance(actor, Actor)
            groups.setdefault(actor.type, []).append(i)
        order = [t for t in ACTOR_TYPE_TITLES if t in groups] + sorted(set(groups) - set(ACTOR_TYPE_TITLES))
        return [(ACTOR_TYPE_TITLES.get(t) or self.label(t), groups[t]) for t in order]

    def timeline(self) -> list[str]:
        """Dated meetings, events and sanctions, earliest first."""
        items = [i for kind in DATED_KINDS for i in self.ids(kind) if entity_date(self.entity(i))]
        return sorted(items, key=self._order)

    def index_groups(self) -> list[tuple[str, list[IndexItem]]]:
        """The index under its headings (letters; Hangul by initial consonant; Han, Kana)."""
        groups: list[tuple[str, list[IndexItem]]] = []
        for item in self.index():
            if not groups or groups[-1][0] != item.letter:
                groups.append((item.letter, []))
            groups[-1][1].append(item)
        return groups

    def index(self) -> list[IndexItem]:
        """Every name, native name and alias, alphabetically (case and accents ignored)."""
        items = []
        for rid, record in self.graph.records.items():
            entity = record.entity
            seen = {entity.name.casefold()}
            items.append(IndexItem(entity.name, None, rid, False, _letter(entity.name)))
            native = getattr(entity, "native_name", None)
            names = [(native.name, native.lang)] if native is not None else []
            names += [(a.name, a.lang) for a in entity.aliases]
            for name, lang in names:
                if name.casefold() not in seen:
                    seen.add(name.casefold())
                    items.append(IndexItem(name, lang, rid, True, _letter(name)))
        return sorted(items, key=lambda i: (_sort_key(i.name), i.alias, i.target))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _sort_key(name: str) -> tuple[str, str]:
    return (_fold(name).lstrip("\"'“‘(«"), name)


HANGUL_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _letter(name: str) -> str:
    """The index heading a name files under: its first letter, or # for digits and signs."""
    first = _sort_key(name)[0][:1].upper()
    if "\uac00" <= first <= "\ud7a3":  # a Hangul syllable files under its initial consonant
        return HANGUL_INITIALS[(ord(first) - 0xAC00) // 588]
    word = unicodedata.name(first, "").split(" ", 1)[0]
    if word in ("CJK", "HIRAGANA", "KATAKANA"):
        return {"CJK": "漢字", "HIRAGANA": "かな", "KATAKANA": "カナ"}[word]
    return first if first.isalpha() else "#"


def chunk_boundary(entity_id: str, size: int) -> bool:
    """Whether a part of the book may end after this entry: decided by the id alone, so that
    adding or removing an entry changes the part it is in, not the boundaries of all that follow."""
    return zlib.crc32(entity_id.encode("utf-8")) % size == size - 1
