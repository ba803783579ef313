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
from dataclasses import dataclass, is_dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from pydantic import BaseModel

from . import dates
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
from .views import ClaimView, Fact

TIMELINE = "timeline.md"


@dataclass(frozen=True)
class Page:
    """One generated Markdown page; ``path`` is relative to the site root (``actors/x.md``).

    ``title`` is the plain (unescaped) title: the page itself carries it as its ``#`` heading.
    """

    path: str
    title: str
    text: str
    in_nav: bool = False


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


class UnknownRelation(LookupError):
    pass


class View:
    """What a template sees for one page: the graph's answers and formatting helpers.

    Every method returns ids (plain, validated), :class:`Content`, or :class:`Md`.
    """

    def __init__(self, graph: Graph, config: Config, here: str) -> None:
        self._graph = graph
        self._config = config
        self.here = here

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
        return Md(posixpath.relpath(path, posixpath.dirname(self.here) or "."))

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
                pairs.append(("Native name", self._lang_span(e.native_name.name, e.native_name.lang)))
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
        pairs += [("Also known as", self.alias_list(e)), ("Tags", self.tag_list(e))]
        return [Fact(label, Md(value)) for label, value in pairs if value]

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
                self._lang_span(alias.name, alias.lang) + Md(f" <small>({alias.lang})</small>")
                if alias.lang
                else plain(alias.name)
            )
            if alias.note:
                shown += Md(f" <small>— {plain(alias.note)}</small>")
            parts.append(shown)
        return Md(" · ").join(parts)

    def tag_list(self, entity: Any) -> Md:
        return Md(" ").join(Md(f"`{plain(t)}`") for t in raw(entity).tags)

    @staticmethod
    def _lang_span(name: str, lang: str) -> Md:
        return Md(f'<span lang="{plain(lang)}">{plain(name)}</span>')

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
        """Planned meetings, soonest first."""
        return [
            m for m in self.ids("meetings") if getattr(self._graph.entity(m), "status", None) == "planned"
        ]

    def latest(self, limit: int = 8) -> list[str]:
        """The most recent dated meetings, events and sanctions, newest first (planned ones excluded)."""
        return [i for i in reversed(self.timeline()) if i not in self.upcoming][:limit]

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
        """Dated meetings, events and sanctions, earliest first."""
        items = [
            i
            for kind in ("meetings", "events", "sanctions")
            for i in self.ids(kind)
            if entity_date(self._graph.entity(i))
        ]
        return sorted(items, key=self._order)


# ------------------------------------------------------------------ pages


def render(graph: Graph, config: Config) -> list[Page]:
    """Every page of the briefing, in a stable order."""
    env = environment(config)
    pages: list[Page] = []

    def page(path: str, template: str, title: str, in_nav: bool = False, **extra: Any) -> None:
        view = View(graph, config, path)
        try:
            out = env.get_template(template).render(v=view, title=text(title), **extra)
        except (jinja2.TemplateError, UnknownRelation, TypeError, AttributeError) as exc:
            raise _template_error(exc, template, path) from None
        pages.append(Page(path, title, _tidy(out), in_nav))

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
                page_path(kind.folder, entity_id), kind.template, entity.name, e=Content(entity), id=entity_id
            )
    page(TIMELINE, "timeline.md.j2", "Timeline", in_nav=True)
    return pages


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
