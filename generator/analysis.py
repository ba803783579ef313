"""Analysis pages: the sanctions overview, the source audit and the relationship maps.

Built from the linked graph like every other page (:func:`analysis_pages`, called by
:func:`generator.build.build`), through Jinja2 templates a project may override
(``analysis-*.md.j2``). As elsewhere, the code computes and templates only format: each
row reaches the template as a dataclass of :class:`~generator.markup.Md` made by the
page's :class:`~generator.render.View`, and the environment prints anything else as
plain text.

=========================  ====================================  ==============================
page                       what                                  template
=========================  ====================================  ==============================
``sanctions-overview.md``  every measure in one sortable table   ``analysis-sanctions.md.j2``
``source-audit.md``        what rests on thin evidence           ``analysis-audit.md.j2``
``maps/index.md``          the briefing's map, by country/type   ``analysis-maps-index.md.j2``
``maps/<actor-id>.md``     one actor's neighbourhood             ``analysis-map.md.j2``
=========================  ====================================  ==============================

The pages sit outside the kind folders, so no entry id can collide with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2

from . import dates
from .analysis_audit import CHECK, CHECKS, Finding, audit
from .analysis_map import ActorMap, BriefingMap, actor_map, briefing_map, evidence_label
from .analysis_network import Link, Network, network, summary_label
from .asof import as_of
from .config import Config
from .link import Graph
from .markup import Md, plain
from .model import KIND, Sanction
from .render import Page, UnknownRelation, View, _template_error, environment, text

SANCTIONS_OVERVIEW = "sanctions-overview.md"
SOURCE_AUDIT = "source-audit.md"
MAPS_INDEX = "maps/index.md"
WHATS_NEW = "whats-new.md"
"""With the option ``whats_new_since``: every change since that edition."""
NAV: tuple[tuple[str, str], ...] = (
    ("Sanctions overview", SANCTIONS_OVERVIEW),
    ("Source audit", SOURCE_AUDIT),
    ("Relationship maps", MAPS_INDEX),
)
"""The analysis pages a sidebar lists (the actors' maps are reached from the maps index)."""

SEARCH_EXCLUDED = "---\nsearch:\n  exclude: true\n---\n"
"""Front matter of the map pages: names on a map are not what a search for them should find."""


def map_path(actor_id: str) -> str:
    """``maps/<actor-id>.md``: the page of an actor's map (link to it from the actor's page)."""
    return f"maps/{actor_id}.md"


# ------------------------------------------------------------------ typed rows for the templates


@dataclass(frozen=True)
class SanctionRow:
    sort: int
    """The earliest possible moment of the date as ``yyyymmdd`` (undated: last), for sorting."""
    date: Md
    sanction: Md
    imposed_by: Md
    targets: Md
    legal_basis: Md
    measures: Md
    status: Md


@dataclass(frozen=True)
class AuditRow:
    entry: Md
    """A link to the entry, or to the claim on the entry's page."""
    kind: Md
    claim: Md
    """The claim's text on one line (empty for a finding about the entry)."""
    finding: Md


@dataclass(frozen=True)
class AuditSection:
    anchor: str
    title: str
    explanation: str
    rows: tuple[AuditRow, ...]


@dataclass(frozen=True)
class NeighbourRow:
    actor: Md
    map: Md
    relation: Md
    evidence: Md
    drawn: bool


@dataclass(frozen=True)
class GroupRow:
    group: Md
    members: Md
    count: int


@dataclass(frozen=True)
class GroupLinkRow:
    groups: Md
    relations: Md
    drawn: bool


# ------------------------------------------------------------------ computing them


def _sort_number(edtf: str | None) -> int:
    year, month, day, _ = dates.sort_key(edtf)
    return (
        99_999_999
        if edtf is None or dates.sort_key(edtf) == dates.MAX_KEY
        else year * 10_000 + month * 100 + day
    )


def sanction_rows(v: View, graph: Graph) -> list[SanctionRow]:
    """Every sanction, in timeline order (undated last)."""
    rows = []
    for sid in graph.by_kind.get("sanctions", []):
        s = graph.entity(sid)
        assert isinstance(s, Sanction)
        basis = Md("<br>").join(v.link(b) if v.is_entry(b) else v.inline(text(b)) for b in s.legal_basis)
        measures = Md("<br>").join(
            (Md("• ") if len(s.measures) > 1 else Md("")) + v.inline(text(m)) for m in s.measures
        )
        status = (
            Md(f'<span class="fs-status fs-status--{plain(s.status)}">{v.label(s.status)}</span>')
            if s.status
            else Md("not recorded")
        )
        rows.append(
            SanctionRow(
                sort=_sort_number(s.date),
                date=v.date(s.date, s.date_text) if s.date else Md("not dated"),
                sanction=v.link(sid),
                imposed_by=v.links(s.imposed_by),
                targets=v.links(s.targets),
                legal_basis=basis,
                measures=measures,
                status=status,
            )
        )
    return rows


def _audit_row(v: View, graph: Graph, finding: Finding) -> AuditRow:
    entity = graph.entity(finding.entity_id)
    name = plain(entity.name)
    parts = [plain(finding.note)]
    if finding.quote is not None:
        parts.append(Md(f"“{plain(finding.quote)}”"))
    if finding.sources:
        parts.append(Md(", ").join(v.link(s) for s in finding.sources))
    if finding.claim_index is not None:
        claim = entity.claims[finding.claim_index]
        anchor = f"claim-{claim.id}"
        return AuditRow(
            entry=Md(f"[{name}]({v.href(finding.entity_id, anchor)})"),
            kind=Md("Claim"),
            claim=v.inline(text(claim.text)),
            finding=Md(" ").join(parts),
        )
    return AuditRow(
        entry=v.link(finding.entity_id),
        kind=plain(KIND[graph.kind(finding.entity_id)].singular),
        claim=Md(""),
        finding=Md(" ").join(parts),
    )


def audit_sections(v: View, graph: Graph, findings: list[Finding]) -> list[AuditSection]:
    return [
        AuditSection(
            anchor=f"audit-{check.key}",
            title=check.title,
            explanation=check.explanation,
            rows=tuple(_audit_row(v, graph, f) for f in findings if f.check == check.key),
        )
        for check in CHECKS
    ]


def _evidence(v: View, graph: Graph, links: list[Link]) -> Md:
    """``met: [Summit](...), [Talks](...)<br>sanctions: [Measure](...)``."""
    by_label: dict[str, list[Md]] = {}
    for link in links:
        if link.claim:
            target = Md(f"[{plain(graph.entity(link.via).name)}]({v.href(link.via, f'claim-{link.claim}')})")
        else:
            target = v.link(link.via)
        shown = by_label.setdefault(link.label, [])
        if target not in shown:
            shown.append(target)
    return Md("<br>").join(
        Md(f"{plain(label)}: ") + Md(", ").join(targets) for label, targets in by_label.items()
    )


def neighbour_rows(v: View, graph: Graph, drawn: ActorMap) -> list[NeighbourRow]:
    shown = {n.id for n in drawn.shown}
    return [
        NeighbourRow(
            actor=v.link(n.id),
            map=Md(f"[map]({v.page_href(map_path(n.id))})"),
            relation=plain(summary_label(list(n.links))),
            evidence=_evidence(v, graph, list(n.links)),
            drawn=n.id in shown,
        )
        for n in drawn.all
    ]


def group_rows(v: View, graph: Graph, drawn: BriefingMap) -> tuple[list[GroupRow], list[GroupLinkRow]]:
    groups = []
    title: dict[str, Md] = {}
    for c in drawn.clusters:
        title[c.key] = v.link(c.country) if c.country else plain(c.title)
        members = Md(" · ").join(
            Md(f"[{plain(graph.entity(m).name)}]({v.page_href(map_path(m))})") for m in c.members
        )
        groups.append(GroupRow(title[c.key], members, len(c.members)))
    names = {c.key: c.title for c in drawn.clusters}
    links = []
    for i, link in enumerate(drawn.links):
        relations = plain(evidence_label(link.evidence))
        if link.directed:
            said = "; ".join(f"{names[a]} {label} {names[b]}" for a, label, b in link.directed)
            relations = Md(f"{relations} ({plain(said)})")
        links.append(GroupLinkRow(Md(f"{title[link.a]} — {title[link.b]}"), relations, i < drawn.shown_links))
    return groups, links


def _figure(svg: str, caption: str) -> Md:
    """The map as one raw HTML block (no blank line inside, so Markdown leaves it whole)."""
    return Md(f'<figure class="fs-map">{svg}<figcaption>{plain(caption)}</figcaption></figure>')


# ------------------------------------------------------------------ the pages


_BLANKS = re.compile(r"\n{3,}")


def analysis_pages(graph: Graph, config: Config, net: Network | None = None) -> list[Page]:
    """The analysis pages of the briefing, in a stable order."""
    env = environment(config)
    pages: list[Page] = []
    net = net if net is not None else network(graph)
    briefing_date = as_of(graph, config.as_of)
    shown_date = Md(plain(dates.display(briefing_date)).replace(" ", "\u00a0"))

    def view(path: str) -> View:
        return View(graph, config, path, as_of=briefing_date)

    def page(v: View, template: str, title: str, front: str = "", **extra: Any) -> None:
        try:
            out = env.get_template(template).render(v=v, title=text(title), **extra)
        except (jinja2.TemplateError, UnknownRelation, TypeError, AttributeError) as exc:
            raise _template_error(exc, template, v.here) from None
        pages.append(Page(v.here, title, front + _BLANKS.sub("\n\n", v.finish(out)).strip() + "\n"))

    v = view(SANCTIONS_OVERVIEW)
    page(v, "analysis-sanctions.md.j2", "Sanctions overview", rows=sanction_rows(v, graph), as_of=shown_date)
    findings = audit(graph)
    v = view(SOURCE_AUDIT)
    sections = audit_sections(v, graph, findings)
    page(v, "analysis-audit.md.j2", "Source audit", sections=sections, total=len(findings), as_of=shown_date)
    v = view(MAPS_INDEX)
    whole = briefing_map(graph, net, v.href)
    groups, group_links = group_rows(v, graph, whole)
    page(
        v,
        "analysis-maps-index.md.j2",
        "Relationship maps",
        front=SEARCH_EXCLUDED,
        figure=_figure(whole.svg, "The briefing's actors grouped by country (or, with no country, by type)."),
        groups=groups,
        links=group_links,
        shown_groups=whole.shown_clusters,
        shown_links=whole.shown_links,
    )
    for actor in graph.by_kind.get("actors", []):
        v = view(map_path(actor))
        drawn = actor_map(graph, net, actor, v.href)
        name = graph.entity(actor).name
        page(
            v,
            "analysis-map.md.j2",
            f"{name}: relationship map",
            front=SEARCH_EXCLUDED,
            id=actor,
            figure=_figure(drawn.svg, f"{name} and the actors related to it."),
            rows=neighbour_rows(v, graph, drawn),
            more=len(drawn.more),
        )
    if config.whats_new_since:
        v = view(WHATS_NEW)
        since, changes, counts = whats_new(v, graph, config.whats_new_since, config.content_dir)
        page(v, "analysis-whats-new.md.j2", f"What's new since {since}", groups=changes, counts=counts)
    return pages


# ------------------------------------------------------------------ what's new since an edition


@dataclass(frozen=True)
class ChangedEntry:
    entry: Md
    """A link to the entry's page, or its name as text when it was removed."""
    kind: Md
    was: Md
    """For a renamed entry: its former id; else empty."""
    lines: list[Md]
    """Each field or claim that changed, as one line."""


@dataclass(frozen=True)
class ChangeGroup:
    title: Md
    entries: list[ChangedEntry]


def _change_line(change: Any) -> Md:
    """One field change, as a reader reads it: ``date: September 2023 → 13 September 2023``."""
    field = plain(change.field)
    if change.is_list:
        added = [x for x in change.new if x not in change.old]
        removed = [x for x in change.old if x not in change.new]
        parts = [
            f"added {'; '.join(plain(x) for x in added)}" if added else "",
            f"removed {'; '.join(plain(x) for x in removed)}" if removed else "",
        ]
        said = ", ".join(p for p in parts if p) or "order changed"
        return Md(f"**{field}**: {said}")
    old = plain(change.old[0]) if change.old else "(not set)"
    new = plain(change.new[0]) if change.new else "(not set)"
    return Md(f"**{field}**: {old} → {new}")


def whats_new(v: View, graph: Graph, since: str, content_dir: Any) -> tuple[str, list[ChangeGroup], Md]:
    """The changes from the edition ``since`` to this one, grouped as ``factsheet diff`` lists them."""
    from .analysis_diff import compare, read_side  # here: it reads the content like build does

    with read_side(since, content_dir) as before:
        diff = compare(before.graph, graph)
        label = before.label
    groups: list[ChangeGroup] = []
    for change in ("added", "removed", "renamed", "changed"):
        rows: list[ChangedEntry] = []
        for e in (x for x in diff.entries if x.change == change):
            entry = v.link(e.id) if change != "removed" else Md(plain(e.name))
            lines = [_change_line(f) for f in e.fields]
            for c in e.claims:
                if c.change == "changed":
                    details = "; ".join(_change_line(f) for f in c.fields)
                    lines.append(Md(f"claim {plain(c.claim_id)} changed: {details}"))
                else:
                    lines.append(Md(f"claim {plain(c.claim_id)} {c.change}: {plain(c.text)}"))
            if e.claim_count and change in ("added", "removed"):
                lines.append(Md(f"{e.claim_count} claim{'' if e.claim_count == 1 else 's'}"))
            rows.append(ChangedEntry(entry, Md(KIND[e.kind].singular), Md(plain(e.old_id or "")), lines))
        if rows:
            groups.append(ChangeGroup(Md(f"{change.capitalize()} ({len(rows)})"), rows))
    counts = ", ".join(f"{diff.count(c)} {c}" for c in ("added", "removed", "renamed", "changed"))
    claims = ", ".join(f"{diff.claims(c)} {c}" for c in ("added", "removed", "changed"))
    summary = f"Entries: {counts} ({diff.unchanged} unchanged). Claims: {claims}."
    return label, groups, Md(summary)


__all__ = [
    "CHECK",
    "MAPS_INDEX",
    "NAV",
    "SANCTIONS_OVERVIEW",
    "SOURCE_AUDIT",
    "WHATS_NEW",
    "analysis_pages",
    "map_path",
]
