"""Stage 4, render: the linked graph -> Markdown pages, through Jinja2 templates.

Templates only format. Each page gets a :class:`View`: the entity, the graph's
pre-resolved relations, and formatting helpers (dates at their own precision,
relative links, escaping of curator text).
"""

from __future__ import annotations

import posixpath
import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from . import dates
from .config import Config
from .errors import ConfigError, display_path
from .link import ClaimNode, Graph, entity_date, order_key
from .markup import markdown_text, one_line, plain
from .model import Actor, Common, Entry, Event, Meeting, Role, Sanction, Source

KIND_TITLES = {
    "actors": "Actors",
    "meetings": "Meetings",
    "sanctions": "Sanctions",
    "events": "Events",
    "sources": "Sources",
}
KIND_TEMPLATES = {
    "actors": "actor.md.j2",
    "meetings": "meeting.md.j2",
    "sanctions": "sanction.md.j2",
    "events": "event.md.j2",
    "sources": "source.md.j2",
}
TIMELINE = "timeline.md"


@dataclass(frozen=True)
class Page:
    """One generated Markdown page; ``path`` is relative to the site root (``actors/x.md``)."""

    path: str
    title: str
    text: str
    in_nav: bool = False


def page_path(kind: str, entity_id: str) -> str:
    return f"{kind}/{entity_id}.md"


def builtin_templates() -> Path:
    """The templates shipped with the package (the repository's ``templates/``)."""
    return Path(str(resources.files("generator.templates")))


def environment(config: Config) -> jinja2.Environment:
    """Jinja2 set up for Markdown output: strict undefined, a project folder overriding ours."""
    loaders: list[jinja2.BaseLoader] = []
    if config.templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(config.templates_dir))
    loaders.append(jinja2.FileSystemLoader(builtin_templates()))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown; curator text is escaped by View.md / View.text
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# ------------------------------------------------------------------ the view


class View:
    """What a template sees for one page: the graph's answers and formatting helpers."""

    def __init__(self, graph: Graph, config: Config, here: str) -> None:
        self.graph = graph
        self.config = config
        self.here = here

    # -- lookups (already resolved in link)
    def entity(self, entity_id: str) -> Common:
        return self.graph.entity(entity_id)

    def kind(self, entity_id: str) -> str:
        return self.graph.kind(entity_id)

    def related(self, entity_id: str, *relations: str) -> list[str]:
        """Ids related to ``entity_id`` through any of ``relations``, in timeline order, once each."""
        found = {rid for relation in relations for rid in self.graph.related(entity_id, relation)}
        return sorted(found, key=self._order)

    def _order(self, entity_id: str) -> tuple[Any, ...]:
        return order_key(self.graph.records[entity_id])

    def ids(self, kind: str) -> list[str]:
        return self.graph.by_kind.get(kind, [])

    def claims_about(self, entity_id: str) -> list[ClaimNode]:
        return [self.graph.claims[c] for c in self.graph.claims_about.get(entity_id, [])]

    def claims_by(self, actor_id: str) -> list[ClaimNode]:
        return [self.graph.claims[c] for c in self.graph.claims_by.get(actor_id, [])]

    def disputes(self, node: ClaimNode) -> list[ClaimNode]:
        return [self.graph.claims[c] for c in self.graph.disputes.get(node.ref, [])]

    def citations(self, source_id: str) -> list[tuple[str, str | None]]:
        """Entries citing a source, grouped by kind (as in the sidebar), each in timeline order."""
        kinds = list(KIND_TITLES)
        return sorted(
            self.graph.citations.get(source_id, []),
            key=lambda c: (kinds.index(self.kind(c[0])), self._order(c[0])),
        )

    def claims_citing(self, source_id: str) -> list[ClaimNode]:
        nodes = [n for n in self.graph.claims.values() if n.claim.source == source_id]
        return sorted(nodes, key=lambda n: (dates.sort_key(n.claim.date), *self._order(n.entity_id)))

    def counts(self) -> dict[str, int]:
        return self.graph.counts()

    # -- links
    def page_href(self, path: str) -> str:
        """A site path (``actors/x.md``) relative to this page, as Markdown links need."""
        return posixpath.relpath(path, posixpath.dirname(self.here) or ".")

    def href(self, entity_id: str, anchor: str | None = None) -> str:
        rel = self.page_href(page_path(self.kind(entity_id), entity_id))
        return f"{rel}#{anchor}" if anchor else rel

    def link(self, entity_id: str) -> str:
        return f"[{plain(self.entity(entity_id).name)}]({self.href(entity_id)})"

    def links(self, entity_ids: Iterable[str], sep: str = ", ") -> str:
        return sep.join(self.link(i) for i in entity_ids)

    def index_href(self, kind: str) -> str:
        return self.page_href(f"{kind}/index.md")

    def claim_anchor(self, node: ClaimNode) -> str:
        return f"claim-{node.claim.id}"

    def claim_href(self, node: ClaimNode) -> str:
        return self.href(node.entity_id, self.claim_anchor(node))

    def who(self, node: ClaimNode) -> str:
        """Who made a claim: the linked actor, the attribution, or both."""
        claim = node.claim
        parts = []
        if claim.by:
            parts.append(self.link(claim.by))
        if claim.attribution:
            words = claim.attribution.strip()
            parts.append(plain(words[:1].upper() + words[1:]))
        return ", ".join(parts)

    def source_link(self, source_id: str) -> str:
        """A short link to a source, its full title as the tooltip (claims repeat sources a lot)."""
        title = self.entity(source_id).name.replace('"', "'")
        return f'[source]({self.href(source_id)} "{plain(title)}")'

    def shown_aliases(self, entity: Common) -> list[Any]:
        """Aliases other than the name and native name (all of them stay in the search index)."""
        hidden = {entity.name.casefold()}
        native = getattr(entity, "native_name", None)
        if native is not None:
            hidden.add(native.name.casefold())
        return [a for a in entity.aliases if a.name.casefold() not in hidden]

    # -- formatting
    def md(self, text: str | None) -> str:
        return markdown_text(text or "", self._text_href, self.config.allow_html)

    def _text_href(self, entity_id: str, claim_id: str | None) -> str | None:
        """Where a link to an entry (or a claim) in curator text points; None if unknown."""
        if entity_id not in self.graph.records:
            return None
        if claim_id is None:
            return self.href(entity_id)
        node = self.graph.claims.get(f"{entity_id}#{claim_id}")
        return self.claim_href(node) if node else None

    def inline(self, text: str | None) -> str:
        return one_line(self.md(text))

    def text(self, text: str | None) -> str:
        return plain(text or "")

    def date(self, text: str | None, words: str | None = None) -> str:
        if not text:
            return ""
        # no line break inside "4 September 2023": tables stay readable
        shown = dates.display(text).replace(" ", "\u00a0").replace("\u00a0–\u00a0", " – ")
        if words:
            shown += f" (“{plain(words)}”)"
        return shown

    def date_of(self, entity_id: str) -> str:
        entity = self.entity(entity_id)
        return self.date(entity_date(entity))

    def role(self, role: Role) -> str:
        """``Title, [Body](...) — since March 2019`` (dates at their own precision)."""
        text = self.text(role.title)
        if role.of:
            text += f", {self.link(role.of)}"
        start, end = self.date(role.start, role.start_text), self.date(role.end, role.end_text)
        if start and end:
            text += f" — {start} to {end}"
        elif start:
            text += f" — since {start}"
        elif end:
            text += f" — until {end}"
        return text

    def kind_label(self, entity_id: str) -> str:
        """``Actor``, ``Meeting``, ... for one entry."""
        return KIND_TITLES[self.kind(entity_id)].removesuffix("s")

    def has_country(self, actor_ids: list[str]) -> bool:
        return any(getattr(self.entity(i), "country", None) for i in actor_ids)

    def counted(self, n: int, noun: str) -> str:
        """``**1** sanction``, ``**3** events``."""
        return f"**{n}** {noun}{'' if n == 1 else 's'}"

    def label(self, value: str | None) -> str:
        """``armed-group`` -> ``Armed group``."""
        return (value or "").replace("-", " ").capitalize()

    def isinstance(self, entity: Common, kind: str) -> bool:
        classes: dict[str, type[Common]] = {
            "actor": Actor,
            "meeting": Meeting,
            "sanction": Sanction,
            "event": Event,
            "source": Source,
            "entry": Entry,
        }
        return isinstance(entity, classes[kind])

    @cached_property
    def upcoming(self) -> list[str]:
        """Planned meetings, soonest first."""
        return [m for m in self.ids("meetings") if getattr(self.entity(m), "status", None) == "planned"]

    def latest(self, limit: int = 8) -> list[str]:
        """The most recent dated meetings, events and sanctions, newest first (planned ones excluded)."""
        return [i for i in reversed(self.timeline()) if i not in self.upcoming][:limit]

    def actor_groups(self) -> list[tuple[str, list[str]]]:
        """Actors grouped by type (states first), each group by name."""
        order = ["state", "intergovernmental", "person", "agency", "organisation", "armed-group", "media"]
        titles = {
            "state": "States",
            "intergovernmental": "Intergovernmental bodies",
            "person": "People",
            "agency": "Agencies",
            "organisation": "Organisations",
            "armed-group": "Armed groups",
            "media": "Media",
        }
        groups: dict[str, list[str]] = {}
        for i in self.ids("actors"):
            actor = self.entity(i)
            assert isinstance(actor, Actor)
            groups.setdefault(actor.type, []).append(i)
        return [
            (titles[t], sorted(groups[t], key=lambda i: self.entity(i).name.casefold()))
            for t in order
            if t in groups
        ]

    def key_actors(self, limit: int = 8) -> list[str]:
        """The actors with the most relations, the entry points of the briefing."""

        def weight(i: str) -> int:
            rels = self.graph.backlinks.get(i, {})
            return sum(len(r) for r in rels.values()) + len(self.graph.claims_by.get(i, []))

        ranked = sorted(self.ids("actors"), key=lambda i: (-weight(i), self.entity(i).name.casefold()))
        return [i for i in ranked[:limit] if weight(i) > 0]

    def timeline(self) -> list[str]:
        """Dated meetings, events and sanctions, earliest first."""
        items = [
            i
            for kind in ("meetings", "events", "sanctions")
            for i in self.ids(kind)
            if entity_date(self.entity(i))
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
            text = env.get_template(template).render(v=view, config=config, title=title, **extra)
        except jinja2.TemplateError as exc:
            raise _template_error(exc, template, path) from None
        pages.append(Page(path, title, _tidy(text), in_nav))

    page("index.md", "home.md.j2", config.site_name, in_nav=True)
    for kind, title in KIND_TITLES.items():
        page(f"{kind}/index.md", "kind-index.md.j2", title, in_nav=True, kind=kind)
        for entity_id in graph.by_kind[kind]:
            entity = graph.entity(entity_id)
            page(page_path(kind, entity_id), KIND_TEMPLATES[kind], entity.name, e=entity, id=entity_id)
    page(TIMELINE, "timeline.md.j2", "Timeline", in_nav=True)
    return pages


def _template_error(exc: jinja2.TemplateError, template: str, page: str) -> ConfigError:
    """A template mistake as ``file:line: message``, never a traceback."""
    where = template
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where = f"{display_path(Path(exc.filename))}:{exc.lineno}"
    else:  # jinja2 maps template lines into the traceback: find the innermost template frame
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                where = f"{display_path(Path(frame.filename))}:{frame.lineno}"
                break
    return ConfigError(f"{where}: template error while rendering {page}: {exc.message or exc}")


_BLANKS = re.compile(r"\n{3,}")


# consecutive key-fact lines ("- **Date:** ...") form one tight list, whatever the
# templates' conditionals left between them
_LOOSE_FACTS = re.compile(r"^(- \*\*[^\n]*)\n\n+(?=- \*\*)", re.M)


def _tidy(text: str) -> str:
    # the lookahead leaves each next fact line unconsumed, so one pass tightens a whole run
    return _LOOSE_FACTS.sub(r"\1\n", _BLANKS.sub("\n\n", text)).strip() + "\n"
