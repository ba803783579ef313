"""FollowTheMoney export (JSON lines), for Aleph, OpenSanctions' tools and ``ftm``.

Needs the ``followthemoney`` package (``pip install 'factsheet[ftm]'``): every value is
cleaned by its property type before it is added, and the export refuses to drop one. A
value FollowTheMoney cannot hold (a date with ``~`` or ``?``, a season, ``201X``, an open
interval, a country it does not know, an alias of a sanction) is kept as a line of text in
the entity's ``notes`` (or ``description`` where the schema has no notes), never left out.
The mapping, and why, is in docs/exports.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import SEASON_MONTHS, EdtfDate, EdtfInterval, parse_edtf
from .errors import ConfigError
from .link import Graph
from .model import Actor, Citation, Claim, Common, Entry, Event, Meeting, Sanction, Source, is_reference

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

FTM_FILE = "entities.ftm.json"

ACTOR_SCHEMATA: dict[str, str] = {
    "person": "Person",
    "state": "PublicBody",
    "agency": "PublicBody",
    "intergovernmental": "Organization",
    "organisation": "Organization",
    "armed-group": "Organization",
    "media": "Organization",
}
"""FtM schema of each actor ``type``; an ``organisation`` tagged ``company`` is a Company."""
COMPANY_TAG = "company"
ACTOR_TOPICS: dict[str, str] = {
    "state": "gov.national",
    "agency": "gov",
    "intergovernmental": "gov.igo",
    "armed-group": "mil",
}
ORGANISATION_SCHEMATA = ("Organization", "PublicBody", "Company")


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class FtmDate:
    """An EDTF date as FollowTheMoney date prefixes: one date, or a start and an end.

    ``exact``: the prefixes say all the EDTF says (no qualifier, no unspecified digit, no
    season, no open or unknown end); otherwise the EDTF is also written out as text.
    """

    single: str | None
    start: str | None
    end: str | None
    exact: bool


def _prefix(d: EdtfDate) -> str | None:
    """The date at its own precision as an ISO prefix FtM accepts (years 1000-9999)."""
    if d.year is None or d.unspecified_year_digits or not 1000 <= d.year <= 9999:
        return None
    if d.month is None:
        return f"{d.year:04d}"
    if d.month > 12:  # a season
        return None
    text = f"{d.year:04d}-{d.month:02d}"
    if d.day is None:
        return text
    text += f"-{d.day:02d}"
    if d.time:
        text = d.text.rstrip("?~%")
    return text


def _bound(d: EdtfDate, end: bool) -> str | None:
    """The start (or end) of a date that has no prefix of its own: a season, ``201X``."""
    if d.year is None:
        return None
    if d.month in SEASON_MONTHS and not d.unspecified_year_digits:
        month = SEASON_MONTHS[d.month][1 if end else 0]
        return f"{d.year:04d}-{month:02d}" if 1000 <= d.year <= 9999 else None
    year = d.latest[0] if end else d.earliest[0]
    return f"{year:04d}" if 1000 <= year <= 9999 else None


def ftm_date(edtf: str) -> FtmDate:
    parsed = parse_edtf(edtf)
    if isinstance(parsed, EdtfDate):
        prefix = _prefix(parsed)
        if prefix is not None:
            return FtmDate(prefix, None, None, exact=prefix == edtf)
        return FtmDate(None, _bound(parsed, False), _bound(parsed, True), exact=False)
    ends: list[str | None] = []
    exact = True
    for side, is_end in ((parsed.start, False), (parsed.end, True)):
        if side is None:
            ends.append(None)
            exact = False
            continue
        prefix = _prefix(side)
        exact = exact and prefix == side.text
        ends.append(prefix if prefix is not None else _bound(side, is_end))
    return FtmDate(None, ends[0], ends[1], exact=exact)


def date_line(label: str, edtf: str | None, text: str | None) -> str | None:
    """``Date: c. September 2023 (EDTF 2023-09~, approximate); the source's words: later this month``."""
    if edtf is None:
        return f"{label}: {text}" if text else None
    parsed = parse_edtf(edtf)
    ends = [parsed.start, parsed.end] if isinstance(parsed, EdtfInterval) else [parsed]
    qualities = []
    if any(e is not None and e.approximate for e in ends):
        qualities.append("approximate")
    if any(e is not None and e.uncertain for e in ends):
        qualities.append("uncertain")
    line = f"{label}: {parsed.display()} (EDTF {edtf}{', ' if qualities else ''}{' and '.join(qualities)})"
    if text:
        line += f"; the source's words: {text}"
    return line


# ---------------------------------------------------------------- the builder


class _Builder:
    def __init__(self, graph: Graph) -> None:
        try:
            from followthemoney import model
            from followthemoney.types import registry
        except ImportError:
            raise ConfigError(
                "the ftm format needs the followthemoney package: pip install 'factsheet[ftm]'"
            ) from None
        self.model = model
        self.registry = registry
        self.graph = graph
        self.proxies: dict[str, EntityProxy] = {}
        self.lines: dict[str, list[str]] = {}
        self._codes: dict[str, str | None] = {}

    # -- primitives

    def make(self, schema: str, entity_id: str) -> EntityProxy:
        proxy = self.model.make_entity(schema)
        proxy.id = entity_id
        self.proxies[entity_id] = proxy
        self.lines[entity_id] = []
        return proxy

    def note(self, proxy: EntityProxy, line: str | None) -> None:
        if line:
            assert proxy.id is not None
            self.lines[proxy.id].append(line)

    def put(self, proxy: EntityProxy, prop: str, values: str | Iterable[str] | None, label: str = "") -> None:
        """Add each value cleaned; a value the property cannot hold becomes a line of text."""
        if values is None:
            return
        prop_ = proxy.schema.get(prop)
        if prop_ is None:  # pragma: no cover - a mapping error of ours
            raise ValueError(f"{proxy.schema.name} has no property {prop}")
        for value in [values] if isinstance(values, str) else values:
            if not value or not value.strip():
                continue
            cleaned = prop_.type.clean(value, proxy=proxy)
            if cleaned is not None and len(cleaned) > prop_.max_length and prop_.type.name == "text":
                proxy.add(prop_, list(chunks(cleaned, prop_.max_length)), cleaned=True)
            elif cleaned is None or len(cleaned) > prop_.max_length:
                self.note(proxy, f"{label or prop_.label}: {value}")  # text holds more
            else:
                proxy.add(prop_, cleaned, cleaned=True)

    def put_date(
        self,
        proxy: EntityProxy,
        label: str,
        edtf: str | None,
        text: str | None,
        single: str | None,
        start: str | None = None,
        end: str | None = None,
    ) -> None:
        """Set the date properties the schema has; the EDTF as text unless they say it all."""
        if edtf is not None:
            value = ftm_date(edtf)
            written = (single or start or end) if value.single is not None else (start or end)
            if value.single is not None and written:
                self.put(proxy, written, value.single)
            else:
                if start:
                    self.put(proxy, start, value.start)
                if end:
                    self.put(proxy, end, value.end)
            if value.exact and written and not text:
                return
        self.note(proxy, date_line(label, edtf, text))

    def code(self, actor_id: str | None) -> str | None:
        """The ISO country code of a state actor, from its name or aliases (None if unknown)."""
        if actor_id is None:
            return None
        if actor_id not in self._codes:
            entity = self.graph.entity(actor_id)
            found = None
            if isinstance(entity, Actor) and entity.type == "state":
                names = [entity.name, *(a.name for a in entity.aliases)]
                names += [entity.native_name.name] if entity.native_name else []
                for name in names:
                    found = self.registry.country.clean(name)
                    if found:
                        break
            self._codes[actor_id] = found
        return self._codes[actor_id]

    def put_country(self, proxy: EntityProxy, prop: str, actor_id: str | None, label: str) -> None:
        if actor_id is None:
            return
        code = self.code(actor_id)
        if code:
            self.put(proxy, prop, code)
        else:
            self.note(proxy, f"{label}: {self.name(actor_id)} ({actor_id})")

    def name(self, entity_id: str) -> str:
        return self.graph.entity(entity_id).name

    def things(self, entity_id: str) -> list[str]:
        """FtM ids standing for an entry where a Thing is expected: a sanction (an Interval in
        FtM) stands for its targets."""
        entity = self.graph.entity(entity_id)
        return list(entity.targets) if isinstance(entity, Sanction) else [entity_id]

    # -- parts every entry has

    def common(self, proxy: EntityProxy, entity_id: str, entity: Common, *, thing: bool = True) -> None:
        if thing:
            self.put(proxy, "name", entity.name)
            self.put(proxy, "alias", [a.name for a in entity.aliases])
            self.put(proxy, "keywords", entity.tags)
        else:  # an Interval: no name, alias or keywords
            if entity.aliases:
                self.note(
                    proxy, "Also known as: " + "; ".join(_alias(a.name, a.lang) for a in entity.aliases)
                )
            if entity.tags:
                self.note(proxy, "Tags: " + ", ".join(entity.tags))
        for alias in entity.aliases:
            if alias.note:
                self.note(proxy, f"Alias {alias.name}: {alias.note}")
        summary: str | None = getattr(entity, "summary", None)  # optional on sources
        self.put(proxy, "summary", summary)
        self.put(proxy, "description", entity.body)
        if entity.notes:
            self.note(proxy, f"Curator's notes: {entity.notes}")
        self.put_date(proxy, "Reviewed", entity.reviewed, entity.reviewed_text, None)
        if isinstance(entity, Entry):
            self.citations(proxy, entity_id, entity.sources, documentation=thing)

    def citations(
        self, proxy: EntityProxy, entity_id: str, sources: list[Citation], *, documentation: bool
    ) -> None:
        for i, cite in enumerate(sources):
            source = self.graph.entity(cite.source)
            assert isinstance(source, Source)
            self.put(proxy, "proof", cite.source)
            self.put(proxy, "sourceUrl", source.url, "Source URL")
            if documentation:
                doc = self.make("Documentation", f"{entity_id}.cites.{i}.{cite.source}")
                self.put(doc, "document", cite.source)
                self.put(doc, "entity", entity_id)
                self.put(doc, "role", cite.locator)
                self.put(doc, "summary", cite.note)
            else:
                self.note(
                    proxy,
                    f"Source: {source.name} ({cite.source})"
                    + (f", {cite.locator}" if cite.locator else "")
                    + (f": {cite.note}" if cite.note else ""),
                )

    # -- kinds

    def actor(self, actor_id: str, actor: Actor) -> None:
        schema = ACTOR_SCHEMATA.get(actor.type, "Organization")
        if schema == "Organization" and actor.type == "organisation" and COMPANY_TAG in actor.tags:
            schema = "Company"
        proxy = self.make(schema, actor_id)
        self.common(proxy, actor_id, actor)
        if actor.native_name:
            self.put(proxy, "alias", actor.native_name.name)
        self.put(proxy, "topics", ACTOR_TOPICS.get(actor.type))
        if actor.type == "state":
            self.put_country(proxy, "country", actor_id, "Country")
        self.put_country(proxy, "country", actor.country, "Country")
        for i, role in enumerate(actor.roles):
            of_schema = self._schema_of(role.of)
            if schema == "Person":
                post = self.make("Position", f"{actor_id}.role.{i}.post")
                self.put(post, "name", role.title)
                if role.of and of_schema in ORGANISATION_SCHEMATA:
                    self.put(post, "organization", role.of)
                    self.put_country(post, "country", self._country_of(role.of), "Country")
                elif role.of:
                    self.note(post, f"Of: {self.name(role.of)} ({role.of})")
                link = self.make("Occupancy", f"{actor_id}.role.{i}")
                self.put(link, "holder", actor_id)
                self.put(link, "post", post.id)
            elif role.of and of_schema in ORGANISATION_SCHEMATA:
                link = self.make("Membership", f"{actor_id}.role.{i}")
                self.put(link, "member", actor_id)
                self.put(link, "organization", role.of)
                self.put(link, "role", role.title)
            else:
                of = f" of {self.name(role.of)} ({role.of})" if role.of else ""
                self.note(proxy, f"Role: {role.title}{of}" + _span(role.start, role.end))
                continue
            self.put_date(link, "Start", role.start, role.start_text, None, start="startDate")
            self.put_date(link, "End", role.end, role.end_text, None, end="endDate")

    def _schema_of(self, actor_id: str | None) -> str | None:
        if actor_id is None:
            return None
        entity = self.graph.entity(actor_id)
        if not isinstance(entity, Actor):
            return None
        schema = ACTOR_SCHEMATA.get(entity.type, "Organization")
        if entity.type == "organisation" and COMPANY_TAG in entity.tags:
            schema = "Company"
        return schema

    def _country_of(self, actor_id: str) -> str | None:
        entity = self.graph.entity(actor_id)
        if isinstance(entity, Actor) and entity.type == "state":
            return actor_id
        return entity.country if isinstance(entity, Actor) else None

    def source(self, source_id: str, source: Source) -> None:
        proxy = self.make("Article", source_id)
        self.common(proxy, source_id, source)
        self.put(proxy, "title", source.name)
        if source.publisher:
            if is_reference(source.publisher, self.graph.records):
                self.put(proxy, "publisher", self.name(source.publisher))
                self.note(proxy, f"Publisher: {self.name(source.publisher)} ({source.publisher})")
            else:
                self.put(proxy, "publisher", source.publisher)
        self.put_date(proxy, "Published", source.published, source.published_text, "publishedAt")
        self.put_date(proxy, "Retrieved", source.retrieved, source.retrieved_text, "retrievedAt")
        self.put(proxy, "sourceUrl", source.url, "URL")
        if source.reliability:
            self.note(proxy, f"Reliability (Admiralty scale, A to F): {source.reliability}")

    def event(self, event_id: str, entity: Meeting | Event) -> None:
        proxy = self.make("Event", event_id)
        self.common(proxy, event_id, entity)
        kind = "meeting" if isinstance(entity, Meeting) else entity.type
        self.put(proxy, "keywords", kind)
        self.put_date(proxy, "Date", entity.date, entity.date_text, "date", "startDate", "endDate")
        if entity.place:
            self.put(proxy, "location", entity.place.name, "Place")
            self.put_country(proxy, "country", entity.place.country, "Place country")
        if isinstance(entity, Meeting):
            self.put(proxy, "involved", entity.participants)
            self.put(proxy, "organizer", entity.host)
            if entity.status:
                self.note(proxy, f"Status: {entity.status}")
            for follows in entity.follows:
                self.note(proxy, f"Follows: {self.name(follows)} ({follows})")
            for outcome in entity.outcomes:
                self.note(proxy, f"Outcome: {outcome}")
        else:
            self.note(proxy, f"Type: {entity.type}")
            self.put(proxy, "involved", entity.actors)
            for label, actor in (("Supplier", entity.supplier), ("Recipient", entity.recipient)):
                if actor:
                    self.put(proxy, "involved", actor)
                    self.note(proxy, f"{label}: {self.name(actor)} ({actor})")
            for item in entity.items:
                self.note(proxy, f"Item: {item}")
            if entity.status:
                self.note(proxy, f"Transfer status: {entity.status}")

    def sanction(self, sanction_id: str, sanction: Sanction) -> None:
        """One FtM Sanction per target (FtM's ``entity`` is the one designated party)."""
        for target in sanction.targets:
            proxy = self.make("Sanction", f"{sanction_id}.{target}")
            self.put(proxy, "entity", target)
            self.put(proxy, "recordId", sanction_id)
            self.put(proxy, "program", sanction.name)
            self.common(proxy, sanction_id, sanction, thing=False)
            self.put(proxy, "authority", [self.name(a) for a in sanction.imposed_by])
            for actor in sanction.imposed_by:
                if self.code(actor):
                    self.put(proxy, "country", self.code(actor))
            self.put(proxy, "provisions", sanction.measures, "Measure")
            self.put(proxy, "reason", sanction.reason)
            self.put(proxy, "status", sanction.status)
            for basis in sanction.legal_basis:
                if is_reference(basis, self.graph.records):
                    self.note(proxy, f"Legal basis: {self.name(basis)} ({basis})")
                else:
                    self.note(proxy, f"Legal basis: {basis}")
            self.put_date(
                proxy, "Date", sanction.date, sanction.date_text, "listingDate", "startDate", "endDate"
            )
            if len(sanction.targets) > 1:
                others = [t for t in sanction.targets if t != target]
                self.note(proxy, "Also targets: " + "; ".join(f"{self.name(t)} ({t})" for t in others))
            if sanction.status == "in-force" and target in self.proxies:
                self.put(self.proxies[target], "topics", "sanction")

    def claim(self, entity_id: str, claim: Claim) -> None:
        cref = f"{entity_id}#{claim.id}"
        proxy = self.make("Note", f"{entity_id}.claim.{claim.id}")
        about = [*self.things(entity_id)]
        if claim.by:
            about.append(claim.by)
        for other in claim.about:
            about += self.things(other)
        self.put(proxy, "entity", list(dict.fromkeys(about)))
        self.put(proxy, "summary", claim.text)
        source = self.graph.entity(claim.source)
        assert isinstance(source, Source)
        self.put(proxy, "proof", claim.source)
        self.put(proxy, "sourceUrl", source.url, "Source URL")
        self.put(proxy, "keywords", ["claim", claim.stance, *([claim.status] if claim.status else [])])
        lines = [f"Claim {cref} ({claim.stance}{', ' + claim.status if claim.status else ''}): {claim.text}"]
        if claim.by:
            lines.append(f"By: {self.name(claim.by)} ({claim.by})")
        if claim.attribution:
            lines.append(f"Attribution: {claim.attribution}")
        lines.append(
            f"Source: {source.name} ({claim.source})" + (f", {claim.locator}" if claim.locator else "")
        )
        said = date_line("Said", claim.date, claim.date_text)
        if said:
            lines.append(said)
        if claim.about:
            lines.append("About: " + "; ".join(f"{self.name(a)} ({a})" for a in claim.about))
        for other in self.graph.disputes.get(cref, []):
            node = self.graph.claims[other]
            who = self.name(node.claim.by) if node.claim.by else node.claim.attribution
            lines.append(f"In dispute with {other} ({who}): {node.claim.text}")
        self.put(proxy, "description", "\n".join(lines))

    # -- the whole graph

    def build(self) -> list[EntityProxy]:
        graph = self.graph
        for kind in ("actors", "sources", "meetings", "events", "sanctions"):
            for entity_id in graph.by_kind.get(kind, []):
                entity = graph.entity(entity_id)
                if isinstance(entity, Actor):
                    self.actor(entity_id, entity)
                elif isinstance(entity, Source):
                    self.source(entity_id, entity)
                elif isinstance(entity, Meeting | Event):
                    self.event(entity_id, entity)
                elif isinstance(entity, Sanction):
                    self.sanction(entity_id, entity)
        for kind in ("actors", "sources", "meetings", "events", "sanctions"):
            for entity_id in graph.by_kind.get(kind, []):
                for claim in graph.entity(entity_id).claims:
                    self.claim(entity_id, claim)
        for entity_id, proxy in self.proxies.items():
            lines = self.lines[entity_id]
            if lines:
                prop = "notes" if proxy.schema.get("notes") is not None else "description"
                self.put(proxy, prop, "\n".join(lines))
        return list(self.proxies.values())


def chunks(text: str, size: int) -> Iterator[str]:
    """``text`` in pieces of at most ``size`` characters, cut at a line break or a space where
    there is one (FtM refuses longer values; a curator's Markdown may be longer). The
    whitespace at a cut goes: FtM strips it from each value anyway."""
    while len(text) > size:
        cut = max(text.rfind("\n", 0, size + 1), text.rfind(" ", 0, size + 1))
        cut = cut if cut > 0 else size
        yield text[:cut].rstrip()
        text = text[cut:].lstrip()
    if text:
        yield text


def _alias(name: str, lang: str | None) -> str:
    return f"{name} ({lang})" if lang else name


def _span(start: str | None, end: str | None) -> str:
    parts = [f"from {start}" if start else "", f"until {end}" if end else ""]
    shown = ", ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


def ftm_entities(graph: Graph) -> list[dict[str, object]]:
    """Every entity as FtM's JSON form (``{"id", "schema", "properties"}``)."""
    return [proxy.to_dict() for proxy in _Builder(graph).build()]


def ftm_files(graph: Graph) -> dict[str, bytes]:
    """``entities.ftm.json``: one entity per line."""
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in ftm_entities(graph)]
    return {FTM_FILE: ("\n".join(lines) + "\n").encode("utf-8")}
