"""Stage 4, render: the linked graph -> Markdown pages, through Jinja2 templates.

Templates only format. Safety does not depend on them remembering anything:

- the environment autoescapes with a ``finalize`` that turns any value not marked safe
  into inert plain text (:func:`generator.markup.plain`), so ``{{ anything }}`` is safe;
- templates never see a raw content string: entries reach them wrapped in
  :class:`Content`, whose text fields come out as :class:`Text` (already escaped, the
  curator's string kept in ``.raw`` for :meth:`View.md`);
- every helper on :class:`View` returns :class:`~generator.markup.Md`, Markdown this code
  wrote itself.

The variables each template receives are documented in docs/templates.md.
"""

from __future__ import annotations

import posixpath
import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, is_dataclass, replace
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from pydantic import BaseModel

from . import dates
from .asof import as_of as briefing_as_of
from .config import Config
from .errors import ConfigError, display_path
from .link import RELATIONS, ClaimNode, Graph, entity_date, order_key
from .markup import Md, markdown_inline, markdown_text, plain, plain_block, web_link
from .model import (
    ACTOR_TYPE_TITLES,
    KIND,
    KINDS,
    Actor,
    Alias,
    Common,
    Entry,
    Event,
    Meeting,
    Place,
    Role,
    Sanction,
    Source,
)
from .search import keywords
from .views import Citing, ClaimView, Fact, Outcome, Thread, TimelineItem, TimelineMonth, TimelineYear

PDF_FOLDER = "pdf"
"""Where the plugin's ``pdf`` option puts the briefs and the book in the site."""
TIMELINE = "timeline.md"
TAGS = "tags.md"

LANGUAGES: dict[str, str] = {
    "ar": "Arabic",
    "be": "Belarusian",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "ja": "Japanese",
    "kk": "Kazakh",
    "ko": "Korean",
    "ko-Hang": "Korean (Hangul)",
    "ko-Hani": "Korean (Hanja)",
    "ko-Latn": "Korean (romanised)",
    "mn": "Mongolian",
    "ru": "Russian",
    "ru-Latn": "Russian (romanised)",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
    "zh-Hans": "Chinese (simplified)",
    "zh-Hant": "Chinese (traditional)",
    "zh-Latn": "Chinese (romanised)",
}
"""Language names for the BCP 47 tags aliases use; any other tag is shown as it is."""

ROLES: dict[str, str] = {
    "meetings": "participant",
    "hosted": "host",
    "venue_of": "venue",
    "sanctions_imposed": "imposed",
    "sanctions_on": "target",
    "events": "involved",
    "supplied": "supplier",
    "received": "recipient",
}
"""How an actor takes part in an item of its timeline, by relation."""

PLANNED = frozenset({"planned", "proposed"})
DONE = frozenset({"occurred", "cancelled"})


@dataclass(frozen=True)
class Page:
    """One generated Markdown page; ``path`` is relative to the site root (``actors/x.md``).

    ``title`` is the plain (unescaped) title: the page itself carries it as its ``#`` heading.
    """

    path: str
    title: str
    text: str
    in_nav: bool = False
    keywords: tuple[str, ...] = ()
    """What the site search finds the page by, above its text (names, aliases, inflected forms);
    letters, digits, spaces and ``'.-`` only (see :func:`generator.search.searchable`)."""


def relative(path: str, folder: str) -> str:
    """``posixpath.relpath(path, folder or ".")`` for the site's own paths (relative, no ``.``
    or ``..`` parts), without its two ``abspath`` calls: pages ask for tens of thousands."""
    target = path.split("/")
    base = folder.split("/") if folder else []
    common = 0
    while common < len(base) and common < len(target) and target[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:]) or "."


def page_path(kind: str, entity_id: str) -> str:
    return f"{kind}/{entity_id}.md"


def builtin_templates() -> Path:
    """The templates shipped with the package (the repository's ``templates/``)."""
    return Path(str(resources.files("generator.templates")))


# ------------------------------------------------------------------ content as templates see it


class Text(Md):
    """A text field of an entry: prints as escaped plain text; ``.raw`` is what the curator wrote."""

    raw: str


def text(raw: str) -> Text:
    value = Text(plain(raw))
    value.raw = raw
    return value


class Content:
    """A model object as templates see it: text comes out as :class:`Text`, parts as Content."""

    __slots__ = ("_obj",)

    def __init__(self, obj: Any) -> None:
        object.__setattr__(self, "_obj", obj)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return safe(getattr(self._obj, name))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Content) and other._obj == self._obj

    def __hash__(self) -> int:
        return hash(id(self._obj))

    def __repr__(self) -> str:
        return f"Content({type(self._obj).__name__})"


def safe(value: Any) -> Any:
    """Wrap a value for templates: strings escaped, models and dataclasses wrapped, lists mapped."""
    if isinstance(value, Markup) or value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list | tuple):
        return [safe(v) for v in value]
    if isinstance(value, BaseModel) or is_dataclass(value):
        return Content(value)
    raise TypeError(f"templates cannot be given a {type(value).__name__}")


def raw(value: Any) -> Any:
    """The value behind a :class:`Text` or :class:`Content` (what View helpers compute with)."""
    if isinstance(value, Text):
        return value.raw
    if isinstance(value, Content):
        return value._obj
    return value


def _finalize(value: Any) -> Markup:
    """Anything a template prints that the code has not marked safe is printed as plain text."""
    return value if isinstance(value, Markup) else plain("" if value is None else value)


def environment(config: Config) -> jinja2.Environment:
    """Jinja2 for Markdown output: autoescaped through :func:`_finalize`, strict undefined,
    a project folder overriding ours file by file."""
    loaders: list[jinja2.BaseLoader] = []
    if config.templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(config.templates_dir))
    loaders.append(jinja2.FileSystemLoader(builtin_templates()))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# ------------------------------------------------------------------ the view

_REF = re.compile("\x02(\\d+)\x03")
_REFS = re.compile("(?:\x02\\d+\x03)+")
_NOTES = "\x02notes\x03"
"""Tokens for numbered notes while a page is rendered (control characters never come from content)."""


def _letter(n: int) -> str:
    """1 -> a, 26 -> z, then 27, 28...: the back-links of a note used several times."""
    return chr(ord("a") + n - 1) if n <= 26 else str(n)


class UnknownRelation(LookupError):
    pass


class View:
    """What a template sees for one page: the graph's answers and formatting helpers.

    Every method returns ids (plain, validated), :class:`Content`, or :class:`Md`.
    """

    def __init__(self, graph: Graph, config: Config, here: str, as_of: str | None = None) -> None:
        self._graph = graph
        self._config = config
        self.here = here
        self._as_of = as_of
        # numbered notes: every v.cite() is a token, numbered in order of appearance by finish()
        self._refs: list[tuple[str, str]] = []
        self._notes: dict[tuple[str, str], str] = {}  # (source, locator) -> the citation's note
        self._shown: set[str] = set()  # claims this page already shows (threads show each once)

    # -- lookups (already resolved in link)
    def entity(self, entity_id: Any) -> Content:
        return Content(self._graph.entity(raw(entity_id)))

    def is_entry(self, value: Any) -> bool:
        """Whether a "text, or an id" value (publisher, legal basis) names an entry."""
        return raw(value) in self._graph.records

    def kind(self, entity_id: Any) -> str:
        return self._graph.kind(raw(entity_id))

    def related(self, entity_id: Any, *relations: str) -> list[str]:
        """Ids related to ``entity_id`` through any of ``relations``, in timeline order, once each."""
        unknown = [r for r in relations if r not in RELATIONS]
        if unknown:
            raise UnknownRelation(
                f"unknown relation {unknown[0]!r}; relations are: {', '.join(sorted(RELATIONS))}"
            )
        eid = raw(entity_id)
        found = {rid for relation in relations for rid in self._graph.related(eid, relation)}
        return sorted(found, key=self._order)

    def _order(self, entity_id: str) -> tuple[Any, ...]:
        return order_key(self._graph.records[entity_id])

    def ids(self, kind: str) -> list[str]:
        return self._graph.by_kind.get(kind, [])

    def claims_about(self, entity_id: Any) -> list[Content]:
        return [Content(self._graph.claims[c]) for c in self._graph.claims_about.get(raw(entity_id), [])]

    def claims_by(self, actor_id: Any) -> list[Content]:
        return [Content(self._graph.claims[c]) for c in self._graph.claims_by.get(raw(actor_id), [])]

    def disputes(self, node: Any) -> list[Content]:
        claim: ClaimNode = raw(node)
        return [Content(self._graph.claims[c]) for c in self._graph.disputes.get(claim.ref, [])]

    def citations(self, source_id: Any) -> list[tuple[str, Md]]:
        """Entries citing a source with the locator, grouped by kind (as in the sidebar), in timeline order."""
        kinds = [k.folder for k in KINDS]
        cites = sorted(
            self._graph.citations.get(raw(source_id), []),
            key=lambda c: (kinds.index(self.kind(c[0])), self._order(c[0])),
        )
        return [(entry_id, plain(locator or "")) for entry_id, locator in cites]

    def citing(self, source_id: Any) -> list[Citing]:
        """Every entry citing a source, once, with its locators and the claims drawn from the
        source (grouped by kind, as in the sidebar, then in timeline order)."""
        sid = raw(source_id)
        locators: dict[str, list[str]] = {}
        for entry_id, locator in self._graph.citations.get(sid, []):
            locators.setdefault(entry_id, []).append(locator or "")
        claims: dict[str, list[ClaimNode]] = {}
        for node in self._graph.claims.values():
            if node.claim.source == sid:
                claims.setdefault(node.entity_id, []).append(node)
        kinds = [k.folder for k in KINDS]
        ids = sorted(set(locators) | set(claims), key=lambda i: (kinds.index(self.kind(i)), self._order(i)))
        out = []
        for eid in ids:
            locs = [loc for loc in dict.fromkeys(locators.get(eid, []))]
            shown = Md("; ").join(plain(loc) if loc else Md("no locator given") for loc in locs)
            nodes = sorted(claims.get(eid, []), key=lambda n: self._claim_key(n.ref))
            out.append(Citing(eid, self.kind_label(eid), shown, tuple(self.claim(n, False) for n in nodes)))
        return out

    def claims_citing(self, source_id: Any) -> list[Content]:
        sid = raw(source_id)
        nodes = [n for n in self._graph.claims.values() if n.claim.source == sid]
        nodes.sort(key=lambda n: (dates.sort_key(n.claim.date), *self._order(n.entity_id)))
        return [Content(n) for n in nodes]

    def counts(self) -> dict[str, int]:
        return self._graph.counts()

    # -- links
    def page_href(self, path: str) -> Md:
        """A site path (``actors/x.md``) relative to this page, as Markdown links need.

        Paths are made of validated ids only, so they are safe as they are."""
        return Md(relative(path, posixpath.dirname(self.here)))

    def href(self, entity_id: Any, anchor: str | None = None) -> Md:
        eid = raw(entity_id)
        rel = self.page_href(page_path(self.kind(eid), eid))
        return Md(f"{rel}#{anchor}") if anchor else rel

    def link(self, entity_id: Any) -> Md:
        return Md(f"[{plain(self._graph.entity(raw(entity_id)).name)}]({self.href(entity_id)})")

    def links(self, entity_ids: Iterable[Any], sep: str = ", ") -> Md:
        return Md(plain_block(sep).join(self.link(i) for i in entity_ids))

    def index_href(self, kind: str) -> Md:
        return self.page_href(f"{kind}/index.md")

    # -- the entry in other forms (its map, its printed brief) and the site's downloads
    def entry_links(self) -> Md:
        """Under an entry's title: its relationship map (actors) and, with the ``pdf`` option,
        its printable brief. Empty on other pages."""
        kind, _, name = self.here.partition("/")
        entity_id = name.removesuffix(".md")
        if kind not in KIND or entity_id not in self._graph.records or self.kind(entity_id) != kind:
            return Md("")
        links = []
        if kind == "actors":
            links.append(f"[Relationship map]({self.page_href(f'maps/{entity_id}.md')})")
        if self._config.pdf:
            links.append(
                f"[Printable brief (PDF)]({self.page_href(f'{PDF_FOLDER}/briefs/{kind}/{entity_id}.pdf')})"
            )
        return Md(" · ".join(links))

    def whats_new_href(self) -> Md:
        """The "What's new" page, with the option ``whats_new_since``; else empty."""
        return self.page_href("whats-new.md") if self._config.whats_new_since else Md("")

    def downloads(self) -> list[tuple[Md, Md]]:
        """The home page's downloads, as (link, what it is): the briefing book (option ``pdf``),
        the JSON export with its schema and the content format's schema (option ``downloads``)."""
        offered: list[tuple[str, str, str]] = []
        if self._config.pdf:
            offered.append(
                (
                    "Briefing book (PDF)",
                    f"{PDF_FOLDER}/briefing.pdf",
                    "every entry, the timeline and an index, to print",
                )
            )
        if self._config.downloads:
            offered += [
                (
                    "Data (JSON)",
                    "downloads/export.json",
                    "every entry with its links resolved, for other tools",
                ),
                ("Schema of the data", "downloads/export.schema.json", "JSON Schema of the file above"),
                (
                    "Schema of the content format",
                    "downloads/schema/content.schema.json",
                    "JSON Schema of the YAML files, for editors",
                ),
            ]
        return [(Md(f"[{title}]({self.page_href(path)})"), Md(plain(what))) for title, path, what in offered]

    def claim_anchor(self, node: Any) -> Md:
        claim: ClaimNode = raw(node)
        return Md(f"claim-{claim.claim.id}")

    def claim_href(self, node: Any) -> Md:
        claim: ClaimNode = raw(node)
        return self.href(claim.entity_id, self.claim_anchor(claim))

    def who(self, node: Any) -> Md:
        """Who made a claim: the linked actor, the attribution, or both."""
        claim = raw(node).claim
        parts = []
        if claim.by:
            parts.append(self.link(claim.by))
        if claim.attribution:
            words = claim.attribution.strip()
            parts.append(plain(words[:1].upper() + words[1:]))
        return Md(", ").join(parts)

    def source_note(self, source_id: Any, locator: Any = None) -> Md:
        """Where a claim comes from, readable on its own: ``[Source title](...), para 9``."""
        note = self.link(source_id)
        loc = raw(locator)
        return Md(f"{note}, {plain(loc)}") if loc else note

    def web(self, url: Any) -> Md:
        """A web address, printed in full and linked."""
        return web_link(raw(url))

    def shown_aliases(self, entity: Any) -> list[Content]:
        """Aliases other than the name and native name (all of them stay in the search index)."""
        e: Common = raw(entity)
        hidden = {e.name.casefold()}
        native = getattr(e, "native_name", None)
        if native is not None:
            hidden.add(native.name.casefold())
        return [Content(a) for a in e.aliases if a.name.casefold() not in hidden]

    # -- typed views of a page's parts
    def claim(self, node: Any, with_disputes: bool = True) -> ClaimView:
        """A claim as this page shows it (see :class:`generator.views.ClaimView`)."""
        n: ClaimNode = raw(node)
        c = n.claim
        return ClaimView(
            anchor=self.claim_anchor(n),
            href=self.claim_href(n),
            here=self.here == page_path(self.kind(n.entity_id), n.entity_id),
            stance=c.stance,
            who=self.who(n),
            date=self.date(c.date, c.date_text),
            text=self.inline(text(c.text)),
            status=self.label(c.status),
            source=self.source_note(c.source, c.locator),
            locator=plain(c.locator or ""),
            recorded_under=Md(f"[{plain(self._graph.entity(n.entity_id).name)}]({self.claim_href(n)})"),
            disputes=tuple(self.claim(o, False) for o in self.disputes(n)) if with_disputes else (),
            ref=self.cite(c.source, c.locator),
        )

    def claims(self, nodes: Iterable[Any]) -> list[ClaimView]:
        return [self.claim(n) for n in nodes]

    def facts(self, entity_id: Any) -> list[Fact]:
        """The key facts of an entry, by kind, leaving out what it does not have."""
        eid = raw(entity_id)
        e = self._graph.entity(eid)
        pairs: list[tuple[str, str]] = []
        if isinstance(e, Actor):
            pairs += [("Type", self.label(e.type)), ("Country", self.link(e.country) if e.country else "")]
            if e.native_name:
                native = self._lang_span(e.native_name.name, e.native_name.lang)
                pairs.append(
                    ("Native name", Md(f"{native} <small>({self.language(e.native_name.lang)})</small>"))
                )
            pairs.append(
                ("Roles" if len(e.roles) > 1 else "Role", Md("<br> ").join(self.role(r) for r in e.roles))
            )
        elif isinstance(e, Meeting):
            pairs += [
                ("Date", self.date(e.date, e.date_text)),
                ("Place", self.place(e.place)),
                ("Host", self.link(e.host) if e.host else ""),
                ("Participants", self.links(e.participants)),
                ("Follows", self.links(e.follows)),
                ("Followed by", self.links(self.related(eid, "followed_by"))),
            ]
        elif isinstance(e, Sanction):
            basis = Md("; ").join(
                self.link(b) if self.is_entry(b) else self.inline(text(b)) for b in e.legal_basis
            )
            pairs += [
                ("Imposed by", self.links(e.imposed_by)),
                ("Targets", self.links(e.targets)),
                ("Date", self.date(e.date, e.date_text)),
                ("Legal basis", basis),
                ("Basis for", self.links(self.related(eid, "basis_for"))),
                ("Reason", self.inline(text(e.reason)) if e.reason else ""),
            ]
        elif isinstance(e, Event):
            pairs += [
                ("Date", self.date(e.date, e.date_text)),
                ("Place", self.place(e.place)),
                ("Actors", self.links(e.actors)),
                ("Supplier", self.link(e.supplier) if e.supplier else ""),
                ("Recipient", self.link(e.recipient) if e.recipient else ""),
            ]
        elif isinstance(e, Source):
            publisher = ""
            if e.publisher:
                publisher = self.link(e.publisher) if self.is_entry(e.publisher) else plain(e.publisher)
            pairs += [
                ("Publisher", publisher),
                ("Published", self.date(e.published, e.published_text)),
                ("Address", self.web(e.url) if e.url else ""),
                ("Retrieved", self.date(e.retrieved, e.retrieved_text)),
                ("Reliability (Admiralty scale)", e.reliability or ""),
            ]
        pairs += [(label, Md(value)) for label, value in self.alias_rows(e)]
        pairs.append(("Tags", self.tag_list(e)))
        return [Fact(label, Md(value)) for label, value in pairs if value]

    def language(self, tag: Any) -> Md:
        """``ko-Hani`` -> ``Korean (Hanja)``; a tag not in :data:`LANGUAGES` is shown as it is."""
        lang = str(raw(tag))
        return plain(LANGUAGES.get(lang) or LANGUAGES.get(lang.split("-")[0]) or lang)

    def alias_rows(self, entity: Any) -> list[tuple[str, Md]]:
        """Aliases for the key facts: ``Also known as`` (no language given), then one row per language."""
        groups: dict[str, list[Md]] = {}
        for a in self.shown_aliases(entity):
            alias: Alias = raw(a)
            shown = self._lang_span(alias.name, alias.lang) if alias.lang else plain(alias.name)
            if alias.note:
                shown += Md(f" <small>({plain(alias.note)})</small>")
            label = Md("Also known as") if not alias.lang else Md(f"In {self.language(alias.lang)}")
            groups.setdefault(label, []).append(shown)
        return [(label, Md(" · ").join(names)) for label, names in groups.items()]

    def place(self, place: Any) -> Md:
        """``Vladivostok, [Russia](...)``; a place that is the country itself is named once."""
        p: Place | None = raw(place)
        if p is None:
            return Md("")
        if p.country and self._graph.entity(p.country).name == p.name:
            return self.link(p.country)
        return Md(f"{plain(p.name)}, {self.link(p.country)}") if p.country else plain(p.name)

    def alias_list(self, entity: Any) -> Md:
        parts = []
        for a in self.shown_aliases(entity):
            alias: Alias = raw(a)
            shown = (
                self._lang_span(alias.name, alias.lang) + Md(f" <small>({self.language(alias.lang)})</small>")
                if alias.lang
                else plain(alias.name)
            )
            if alias.note:
                shown += Md(f" <small>— {plain(alias.note)}</small>")
            parts.append(shown)
        return Md(" · ").join(parts)

    def tag_list(self, entity: Any) -> Md:
        """Tags, each linking to its entry on the tags page."""
        return Md(" ").join(
            Md(f'<span class="fs-tag">[{plain(t)}]({self.tag_href(t)})</span>') for t in raw(entity).tags
        )

    @staticmethod
    def _lang_span(name: str, lang: str) -> Md:
        return Md(f'<span lang="{plain(lang)}">{plain(name)}</span>')

    # -- the briefing's date
    @property
    def as_of(self) -> str:
        """The briefing's as-of date (EDTF): the ``as_of`` option, else :func:`generator.asof.as_of`."""
        if self._as_of is None:
            self._as_of = briefing_as_of(self._graph, self._config.as_of)
        return self._as_of

    def as_of_date(self) -> Md:
        """The as-of date as readers see it: ``20 January 2025``."""
        return self.date(self.as_of)

    def _after_as_of(self, edtf: str | None) -> bool:
        """Whether a date lies wholly after the as-of date."""
        if not edtf:
            return False
        return dates.parse_edtf(edtf).earliest > dates.parse_edtf(self.as_of).latest

    # -- numbered notes to sources
    def cite(self, source_id: Any, locator: Any = None, note: Any = None) -> Md:
        """A numbered note to a source (``[3]``), linking to the page's notes list.

        Notes are numbered in order of first appearance on the page when it is finished; the
        same source and locator is one note, with a link back to each place citing it.
        """
        key = (str(raw(source_id)), str(raw(locator) or ""))
        note_text = raw(note)
        if note_text and not self._notes.get(key):
            self._notes[key] = str(note_text)
        else:
            self._notes.setdefault(key, "")
        self._refs.append(key)
        return Md(f"\x02{len(self._refs) - 1}\x03")

    def cites(self, citations: Any) -> Md:
        """Notes for an entry's ``sources`` list, one after the other: ``[1][2]``."""
        return Md("").join(self.cite(c.source, c.locator, c.note) for c in (raw(c) for c in citations))

    def notes_list(self) -> Md:
        """Where the numbered notes go, with their heading ``## Notes`` (filled in when the page
        is finished; nothing when the page cites no source)."""
        return Md(_NOTES)

    def finish(self, text: str) -> str:
        """The page with its note tokens numbered and its notes list written."""
        numbers: dict[tuple[str, str], int] = {}
        uses: dict[int, int] = {}
        for match in _REF.finditer(text):  # numbered in order of first appearance
            key = self._refs[int(match[1])]
            numbers.setdefault(key, len(numbers) + 1)

        def ref(token: str) -> str:
            key = self._refs[int(token)]
            n = numbers[key]
            uses[n] = uses.get(n, 0) + 1
            title = self._note_title(*key)
            return (
                f'<sup class="fs-ref" id="ref-{n}-{uses[n]}">'
                f'<a href="#note-{n}" title="{title}">[{n}]</a></sup>'
            )

        def run(match: re.Match[str]) -> str:  # notes side by side read in order: [1][2][4]
            tokens = sorted(_REF.findall(match[0]), key=lambda t: numbers[self._refs[int(t)]])
            refs = "".join(ref(t) for t in tokens)
            return f'<span class="fs-refs">{refs}</span>' if len(tokens) > 1 else refs

        text = _REFS.sub(run, text)
        if not numbers:
            return text.replace(_NOTES, "")
        items = []
        for key, n in numbers.items():
            back = (
                f'<a href="#ref-{n}-1" title="Back to the text">↑</a>'
                if uses[n] == 1
                else "↑ "
                + " ".join(
                    f'<a href="#ref-{n}-{j}" title="Back to the text ({j} of {uses[n]})">{_letter(j)}</a>'
                    for j in range(1, uses[n] + 1)
                )
            )
            items.append(f'{n}. <span class="fs-back" id="note-{n}">{back}</span> {self._note_body(*key)}')
        notes = '## Notes\n\n<div class="fs-notes" markdown>\n\n' + "\n".join(items) + "\n\n</div>"
        if _NOTES in text:
            return text.replace(_NOTES, notes)
        return f"{text.rstrip()}\n\n{notes}\n"

    def _source_facts(self, source_id: str) -> list[str]:
        """Publisher and date of a source, as plain text parts."""
        src = self._graph.entity(source_id)
        parts = []
        if isinstance(src, Source):
            if src.publisher:
                publisher = src.publisher
                if self.is_entry(publisher):
                    publisher = self._graph.entity(publisher).name
                parts.append(publisher)
            if src.published:
                parts.append(dates.display(src.published))
        return parts

    def _note_title(self, source_id: str, locator: str) -> Md:
        """The note as plain text, for the number's tooltip (safe in a double-quoted attribute)."""
        name = self._graph.entity(source_id).name
        return plain(", ".join([name, *self._source_facts(source_id), *([locator] if locator else [])]))

    def _note_body(self, source_id: str, locator: str) -> Md:
        """``[Title](source page), Publisher, 4 September 2023, para 9. Note.``"""
        src = self._graph.entity(source_id)
        parts = [str(self.link(source_id))]
        if isinstance(src, Source):
            if src.publisher:
                parts.append(
                    str(self.link(src.publisher))
                    if self.is_entry(src.publisher)
                    else str(plain(src.publisher))
                )
            if src.published:
                parts.append(str(self.date(src.published)))
        if locator:
            parts.append(str(plain(locator)))
        body = ", ".join(parts)
        note = self._notes.get((source_id, locator))
        if note:
            body += f". {self.inline(text(note))}"
        return Md(body)

    # -- claims, once per page
    def threads(self, nodes: Iterable[Any]) -> list[Thread]:
        """The claims of ``nodes`` not yet shown on this page, as threads: each claim with
        the claims disputing it (from this page or elsewhere), every claim once per page.

        A thread opens with the claim most of the others dispute (of a pair, the earlier),
        then the others in date order. Calling this again on the same page leaves out
        what an earlier call showed.
        """
        page = [n.ref for n in (raw(x) for x in nodes) if n.ref not in self._shown]
        page = list(dict.fromkeys(page))
        members = set(page)
        for ref in page:
            members.update(d for d in self._graph.disputes.get(ref, []) if d not in self._shown)
        position = {ref: i for i, ref in enumerate(page)}
        seen: set[str] = set()
        out: list[Thread] = []
        for start in page:
            if start in seen:
                continue
            component, todo = {start}, [start]
            while todo:  # the claims connected to this one by disputes, within this page's set
                for other in self._graph.disputes.get(todo.pop(), []):
                    if other in members and other not in component:
                        component.add(other)
                        todo.append(other)
            seen |= component

            def degree(ref: str, component: set[str] = component) -> int:
                return sum(1 for d in self._graph.disputes.get(ref, []) if d in component)

            root = min(component, key=lambda r: (-degree(r), self._claim_key(r), r not in position))
            replies = sorted(component - {root}, key=self._claim_key)
            out.append(
                Thread(
                    root=self.claim(self._graph.claims[root], False),
                    replies=tuple(self._reply(r, root, component) for r in replies),
                )
            )
        self._shown |= seen
        return out

    def _reply(self, ref: str, root: str, component: set[str]) -> ClaimView:
        """A claim under the thread's first one; ``disputes`` names the others it disputes, if not the first."""
        view = self.claim(self._graph.claims[ref], False)
        direct = root in self._graph.disputes.get(ref, [])
        others = [d for d in self._graph.disputes.get(ref, []) if d in component and d != root]
        if direct or not others:
            return view
        return replace(view, disputes=tuple(self.claim(self._graph.claims[o], False) for o in others))

    def _claim_key(self, ref: str) -> tuple[Any, ...]:
        node = self._graph.claims[ref]
        return (dates.sort_key(node.claim.date), *self._order(node.entity_id), ref)

    # -- timelines
    def timeline_item(self, entity_id: Any, of: Any = None) -> TimelineItem:
        """One dated entry as a timeline shows it; ``of``: the actor whose timeline it is in."""
        eid = raw(entity_id)
        e = self._graph.entity(eid)
        status = getattr(e, "status", None) or ""
        actors: list[str] = []
        if isinstance(e, Meeting):
            actors = [*e.participants, *([e.host] if e.host else [])]
        elif isinstance(e, Sanction):
            actors = [*e.imposed_by, *e.targets]
        elif isinstance(e, Event):
            actors = [*e.actors, *(a for a in (e.supplier, e.recipient) if a)]
        role = ""
        if of is not None:
            actor = raw(of)
            role = ", ".join(
                label for relation, label in ROLES.items() if eid in self._graph.related(actor, relation)
            )
        return TimelineItem(
            id=eid,
            kind=self.kind(eid),
            kind_label=self.kind_label(eid),
            date=self.date_of(eid),
            link=self.link(eid),
            summary=self.inline(text(e.summary)) if isinstance(e, Entry) else Md(""),
            status=status,
            status_label=self.label(status) if status else Md(""),
            planned=eid in self._upcoming_set,
            actors=" ".join(dict.fromkeys(actors)),
            role=role,
        )

    def timeline_items(self, entity_ids: Iterable[Any]) -> list[TimelineItem]:
        return [self.timeline_item(i) for i in entity_ids]

    def timeline_years(self, entity_ids: Iterable[Any], of: Any = None) -> list[TimelineYear]:
        """Entries by year and month, each period opening with the items known only to it
        (``September 2023, day not known``), then the dated ones; undated entries last."""
        years: dict[int | None, dict[int | None, tuple[list[TimelineItem], list[TimelineItem]]]] = {}
        for eid in (raw(i) for i in entity_ids):
            edtf = entity_date(self._graph.entity(eid))
            parsed = dates.parse_edtf(edtf) if edtf else None
            start = parsed.start if isinstance(parsed, dates.EdtfInterval) else parsed
            year = start.year if start and not start.unspecified_year_digits else None
            month = start.month if start and start.month and start.month <= 12 else None
            day_known = bool(start and start.day) and not (start and (start.approximate or start.uncertain))
            months = years.setdefault(year, {})
            imprecise, dated = months.setdefault(month if year is not None else None, ([], []))
            (dated if day_known and month else imprecise).append(self.timeline_item(eid, of))
        out = []
        for year in sorted(years, key=lambda y: (y is None, y or 0)):
            months = years[year]
            year_text = dates.display(str(year).zfill(4)) if year is not None else "Date not known"
            anchor = f"y{year}" if year is not None else "y-unknown"
            loose = months.get(None, ([], []))
            out.append(
                TimelineYear(
                    heading=year_text,
                    anchor=anchor,
                    imprecise_label=f"{year_text}, month not known" if year is not None else "",
                    imprecise=tuple(loose[0] + loose[1]),
                    months=tuple(
                        TimelineMonth(
                            heading=f"{dates.MONTHS[m - 1]} {year_text}",
                            anchor=f"{anchor}-{m:02d}",
                            imprecise_label=f"{dates.MONTHS[m - 1]} {year_text}, day not known",
                            imprecise=tuple(months[m][0]),
                            dated=tuple(months[m][1]),
                        )
                        for m in sorted(k for k in months if k is not None)
                    ),
                )
            )
        return out

    def timeline_of(self, actor_id: Any) -> list[str]:
        """The meetings, events and sanctions an actor takes part in, in timeline order (undated last)."""
        return self.related(actor_id, *ROLES)

    def timeline_actors(self) -> list[str]:
        """Actors that take part in any timeline item, by name (for the timeline's filter)."""
        found = {a for i in self.timeline() for a in self.timeline_item(i).actors.split()}
        return sorted(found, key=lambda i: self._graph.entity(i).name.casefold())

    # -- what happened after
    def outcome(self, entity_id: Any) -> Outcome | None:
        """For a meeting that took place or was cancelled: how it was first reported, and what
        happened, with notes to the sources of each; None when there is nothing to say.

        "Before" is the as-of date when the meeting lies after it (``Planned as of ...``),
        else the earliest source cited on the entry that was published before the meeting
        (``Reported as planned on ...``). "After" cites the sources published since.
        """
        eid = raw(entity_id)
        e = self._graph.entity(eid)
        if not isinstance(e, Meeting) or e.status not in DONE:
            return None
        start = dates.parse_edtf(e.date).earliest
        cited = [(c.source, c.locator, c.note) for c in e.sources]
        cited += [(c.source, c.locator, None) for c in e.claims]
        dated: list[tuple[dates.Edtf, tuple[str, str | None, str | None]]] = []
        for cite in cited:
            src = self._graph.entity(cite[0])
            if isinstance(src, Source) and src.published:
                dated.append((dates.parse_edtf(src.published), cite))
        earlier = sorted((d for d in dated if d[0].latest < start), key=lambda d: d[0].earliest)
        later = [cite for when, cite in dated if when.earliest >= start]
        if self._after_as_of(e.date):
            before = Md(f"planned as of {self.as_of_date()}, the briefing’s date")
        elif earlier:
            when, first = earlier[0]
            before = Md(f"first reported as planned on {self.date(when.text)}{self.cite(*first)}")
        else:
            return None
        if e.status == "occurred":
            where = f" at {self.place(e.place)}" if e.place else ""
            after = f"Took place on {self.date(e.date)}{where}"
        else:
            after = "Cancelled"
        refs = "".join(str(self.cite(*c)) for c in dict.fromkeys(later))
        return Outcome(before=before, after=Md(after + refs))

    # -- tags
    def tags(self) -> list[tuple[str, list[str]]]:
        """Every tag with the entries carrying it (in the order of the sidebar, then timeline), by tag."""
        found: dict[str, list[str]] = {}
        for kind in KINDS:
            for eid in self.ids(kind.folder):
                for tag in self._graph.entity(eid).tags:
                    found.setdefault(tag, []).append(eid)
        return sorted(found.items(), key=lambda t: t[0].casefold())

    def tag_anchor(self, tag: Any) -> Md:
        """``tag-summit``: tags are keywords of letters, digits and hyphens, safe as an id."""
        return Md(f"tag-{plain(raw(tag))}")

    def tag_href(self, tag: Any) -> Md:
        return Md(f"{self.page_href(TAGS)}#{self.tag_anchor(tag)}")

    # -- formatting curator text
    def md(self, value: Any) -> Md:
        """A Markdown field, as safe Markdown blocks."""
        return markdown_text(self._raw_text(value), self._text_href, self._config.allow_html)

    def inline(self, value: Any) -> Md:
        """A Markdown field on one line (list items, table cells)."""
        return markdown_inline(self._raw_text(value), self._text_href, self._config.allow_html)

    def text(self, value: Any) -> Md:
        """Plain text (a name, a label)."""
        return plain(raw(value) if value is not None else "")

    @staticmethod
    def _raw_text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Text):
            return value.raw
        if isinstance(value, Markup):  # already formatted: it is not curator Markdown
            raise TypeError("v.md() and v.inline() take a text field of an entry, not formatted output")
        return str(value)

    def _text_href(self, entity_id: str, claim_id: str | None) -> Md | None:
        """Where a link to an entry (or a claim) in curator text points; None if unknown."""
        if entity_id not in self._graph.records:
            return None
        if claim_id is None:
            return self.href(entity_id)
        node = self._graph.claims.get(f"{entity_id}#{claim_id}")
        return self.claim_href(node) if node else None

    def date(self, value: Any, words: Any = None) -> Md:
        edtf, said = raw(value), raw(words)
        if not edtf:
            return Md("")
        # no line break inside "4 September 2023": tables stay readable
        shown = dates.display(edtf).replace(" ", "\u00a0").replace("\u00a0–\u00a0", " – ")
        out = plain_block(shown)
        if said:
            out = Md(f"{out} (“{plain(said)}”)")
        return out

    def date_of(self, entity_id: Any) -> Md:
        return self.date(entity_date(self._graph.entity(raw(entity_id))))

    def role(self, role: Any) -> Md:
        """``Title, [Body](...) — since March 2019`` (dates at their own precision)."""
        r: Role = raw(role)
        out = str(plain(r.title))
        if r.of:
            out += f", {self.link(r.of)}"
        start, end = self.date(r.start, r.start_text), self.date(r.end, r.end_text)
        if start and end:
            out += f" — {start} to {end}"
        elif start:
            out += f" — since {start}"
        elif end:
            out += f" — until {end}"
        return Md(out)

    def kind_label(self, entity_id: Any) -> str:
        """``Actor``, ``Meeting``, ... for one entry."""
        return KIND[self.kind(entity_id)].singular

    def kind_title(self, kind: str) -> str:
        return KIND[kind].title

    def has_country(self, actor_ids: list[str]) -> bool:
        return any(getattr(self._graph.entity(i), "country", None) for i in actor_ids)

    def counted(self, n: int, noun: str) -> Md:
        """``**1** sanction``, ``**3** events``."""
        return Md(f"**{n}** {plain(noun)}{'' if n == 1 else 's'}")

    def label(self, value: Any) -> Md:
        """``armed-group`` -> ``Armed group``."""
        return plain((raw(value) or "").replace("-", " ").capitalize())

    def isinstance(self, entity: Any, kind: str) -> bool:
        classes: dict[str, type[Common]] = {
            "actor": Actor,
            "meeting": Meeting,
            "sanction": Sanction,
            "event": Event,
            "source": Source,
            "entry": Entry,
        }
        return isinstance(raw(entity), classes[kind])

    @cached_property
    def upcoming(self) -> list[str]:
        """What had not happened as of the briefing's date, soonest first: dated meetings, events
        and sanctions that are planned (or proposed), or dated wholly after the as-of date."""
        key = ("upcoming", self.as_of)
        if key not in self._graph.memo:  # the same for every page: computed once per graph
            self._graph.memo[key] = [
                i
                for i in self.timeline()
                if getattr(self._graph.entity(i), "status", None) in PLANNED
                or self._after_as_of(entity_date(self._graph.entity(i)))
            ]
        upcoming: list[str] = self._graph.memo[key]
        return upcoming

    @cached_property
    def _upcoming_set(self) -> frozenset[str]:
        return frozenset(self.upcoming)

    def latest(self, limit: int = 8) -> list[str]:
        """The most recent dated meetings, events and sanctions as of the briefing's date,
        newest first (what is upcoming is left out)."""
        upcoming = set(self.upcoming)
        return [i for i in reversed(self.timeline()) if i not in upcoming][:limit]

    def actor_groups(self) -> list[tuple[str, list[str]]]:
        """Actors grouped by type (in the order of ACTOR_TYPE_TITLES, others after), each by name."""
        groups: dict[str, list[str]] = {}
        for i in self.ids("actors"):
            actor = self._graph.entity(i)
            assert isinstance(actor, Actor)
            groups.setdefault(actor.type, []).append(i)
        order = [t for t in ACTOR_TYPE_TITLES if t in groups] + sorted(set(groups) - set(ACTOR_TYPE_TITLES))
        return [
            (
                ACTOR_TYPE_TITLES.get(t) or t.replace("-", " ").capitalize(),
                sorted(groups[t], key=lambda i: self._graph.entity(i).name.casefold()),
            )
            for t in order
        ]

    def key_actors(self, limit: int = 8) -> list[str]:
        """The actors with the most relations, the entry points of the briefing."""

        def weight(i: str) -> int:
            rels = self._graph.backlinks.get(i, {})
            return sum(len(r) for r in rels.values()) + len(self._graph.claims_by.get(i, []))

        ranked = sorted(self.ids("actors"), key=lambda i: (-weight(i), self._graph.entity(i).name.casefold()))
        return [i for i in ranked[:limit] if weight(i) > 0]

    def timeline(self) -> list[str]:
        """Dated meetings, events and sanctions, earliest first (computed once per graph)."""
        if "timeline" not in self._graph.memo:
            items = [
                i
                for kind in ("meetings", "events", "sanctions")
                for i in self.ids(kind)
                if entity_date(self._graph.entity(i))
            ]
            self._graph.memo["timeline"] = sorted(items, key=self._order)
        return list(self._graph.memo["timeline"])


# ------------------------------------------------------------------ pages


def render(graph: Graph, config: Config) -> list[Page]:
    """Every page of the briefing, in a stable order."""
    env = environment(config)
    pages: list[Page] = []
    date = briefing_as_of(graph, config.as_of)

    def page(
        path: str,
        template: str,
        title: str,
        in_nav: bool = False,
        found_by: tuple[str, ...] = (),
        **extra: Any,
    ) -> None:
        view = View(graph, config, path, as_of=date)
        try:
            out = env.get_template(template).render(v=view, title=text(title), **extra)
        except (jinja2.TemplateError, UnknownRelation, TypeError, AttributeError) as exc:
            raise _template_error(exc, template, path) from None
        pages.append(Page(path, title, _tidy(view.finish(out)), in_nav, found_by))

    page(
        "index.md",
        "home.md.j2",
        config.site_name,
        in_nav=True,
        description=text(config.description) if config.description else None,
    )
    for kind in KINDS:
        page(f"{kind.folder}/index.md", "kind-index.md.j2", kind.title, in_nav=True, kind=kind.folder)
        for entity_id in graph.by_kind[kind.folder]:
            entity = graph.entity(entity_id)
            page(
                page_path(kind.folder, entity_id),
                kind.template,
                entity.name,
                found_by=keywords(entity),
                e=Content(entity),
                id=entity_id,
            )
    page(TIMELINE, "timeline.md.j2", "Timeline", in_nav=True)
    if any(record.entity.tags for record in graph.records.values()):
        page(TAGS, "tags.md.j2", "Tags")
    return pages


def with_error_banner(page: Page, problems: list[str]) -> Page:
    """``page`` with the problems listed above it (while serving broken content): a curator sees
    them wherever they look, above the last good briefing. Problems name files and quote
    content, so each is plain text."""
    shown = "\n".join(f"<li><code>{plain_block(p)}</code></li>" for p in problems)
    count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
    banner = (
        f'<div class="fs-errors" role="alert"><p><strong>The content has {count}.</strong> '
        "This is the last good briefing; it updates as soon as the files are fixed and saved.</p>"
        f"<ul>{shown}</ul></div>\n\n"
    )
    return replace(page, text=banner + page.text)


def _template_error(exc: Exception, template: str, page: str) -> ConfigError:
    """A template mistake as ``file:line: message``, never a traceback."""
    where = template
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where = f"{display_path(Path(exc.filename))}:{exc.lineno}"
    else:  # jinja2 maps template lines into the traceback: find the innermost template frame
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                where = f"{display_path(Path(frame.filename))}:{frame.lineno}"
                break
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return ConfigError(f"{where}: template error while rendering {page}: {message}")


_BLANKS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    return _BLANKS.sub("\n\n", text).strip() + "\n"
