"""Relationship maps as SVG written at build time: one per actor, one for the whole briefing.

Pure Python and deterministic (the same content gives the same bytes): no graphviz, no
script, no font or image loaded from anywhere.

- **An actor's map** puts the actor in the centre and its related actors on a ring
  around it (two staggered rings when there are many), grouped by kind of relation. At
  most :data:`NEIGHBOUR_CAP` are drawn, the most strongly related first; the map then
  says "and N more", and the table under it lists every one.
- **The briefing's map** groups actors by country (an actor with no country but of
  type state is its own group; the others are grouped by type) and draws each group as a
  box of links on a ring, with the links between groups labelled by what they are
  (meetings, sanctions, transfers, disputes, roles). At most :data:`CLUSTER_CAP` groups
  and :data:`CLUSTER_EDGE_CAP` links are drawn; the tables under it list all of them.

Safety: every text is escaped with :func:`html.escape` (control characters dropped,
whitespace folded); the only attributes are presentation attributes, numbers we
computed, ``aria-label`` text and ``href`` paths made of validated ids. Each node is a
link to the entry's page, written as a relative ``.md`` path (what Markdown tools
follow); :func:`site_urls` turns it into the URL MkDocs serves.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .analysis_network import (
    RELATION_KINDS,
    RELATION_TITLES,
    Link,
    Network,
    primary_kind,
    short_label,
    summary_label,
)
from .link import Graph
from .markup import visible
from .model import ACTOR_TYPE_TITLES, Actor

NEIGHBOUR_CAP = 12
"""Related actors drawn on an actor's map; the others are counted ("and N more") and listed."""
CLUSTER_CAP = 12
"""Groups drawn on the briefing's map."""
CLUSTER_MEMBERS_SHOWN = 6
"""Actors named inside a group's box on the briefing's map."""
CLUSTER_EDGE_CAP = 24
"""Links between groups drawn on the briefing's map (the strongest)."""
CLUSTER_LINKS_EACH = 4
"""Links drawn from any one group (its strongest): a dense briefing stays readable."""

STYLES: dict[str, tuple[str, str | None]] = {
    # kind: (stroke colour, dash pattern); colours tell kinds apart in print too (dashes)
    "met": ("#2f6fb0", None),
    "sanction": ("#b3261e", "9 4"),
    "transfer": ("#c26a00", "3 3"),
    "dispute": ("#7b3fa0", "10 3 2 3"),
    "role": ("#2e7d32", None),
    "country": ("#6b6b6b", "1 4"),
}
FILLS: dict[str, str] = {
    "state": "#e3ecf7",
    "person": "#fdf1dc",
    "organisation": "#eaf4e4",
    "agency": "#efe7f6",
    "armed-group": "#f8e1e1",
    "media": "#e2f2f2",
    "intergovernmental": "#eeeeee",
}
NODE_FONT = 14.0
LABEL_FONT = 12.0
"""Sizes on an actor's map, which a page shows at about 80% (its column is narrower)."""
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"

Href = Callable[[str], str]
"""The link target of an entry's page from the page holding the map (``../actors/x.md``)."""


# ------------------------------------------------------------------ text and numbers


def _x(text: str) -> str:
    """Text for SVG (XML): one line, no control characters, escaped with html.escape."""
    return html.escape(" ".join(visible(text).split()), quote=True)


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float) -> float:
    """Approximate width of ``text`` at font size ``size``: wide (CJK) characters count one em."""
    em = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return em * size


def fit(text: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (the full text goes in a ``<title>``)."""
    text = " ".join(visible(text).split())
    if text_width(text, size) <= width:
        return text
    out = ""
    for c in text:
        if text_width(out + c + "…", size) > width:
            break
        out += c
    return out.rstrip() + "…"


# ------------------------------------------------------------------ SVG pieces


@dataclass
class Svg:
    """An SVG document assembled from escaped pieces."""

    width: float
    height: float
    description: str
    parts: list[str] = field(default_factory=list)

    def add(self, part: str) -> None:
        self.parts.append(part)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 12,
        anchor: str = "middle",
        weight: str | None = None,
        fill: str = "#1f1f1f",
    ) -> str:
        attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" fill="{fill}"'
        if weight:
            attrs += f' font-weight="{weight}"'
        return f"<text {attrs}>{_x(text)}</text>"

    def label(self, x: float, y: float, text: str, size: float = 11) -> str:
        """An edge label centred on (x, y), on a white plate so that lines do not cross it."""
        w, h = text_width(text, size) + 8, size + 6
        return (
            f'<rect x="{_n(x - w / 2)}" y="{_n(y - h / 2)}" width="{_n(w)}" height="{_n(h)}" rx="3" '
            f'fill="#ffffff" fill-opacity="0.92"/>'
            + self.text(x, y + size * 0.35, text, size=size, fill="#333333")
        )

    def render(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="fs-map__svg" viewBox="0 0 {_n(self.width)} '
            f'{_n(self.height)}" width="{_n(self.width)}" height="{_n(self.height)}" role="group" '
            f'aria-label="{_x(self.description)}" font-family="{_x(FONT)}">'
        )
        return head + "".join(self.parts) + "</svg>"


def _line(x1: float, y1: float, x2: float, y2: float, kind: str, width: float = 2) -> str:
    colour, dash = STYLES[kind]
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}" '
        f'stroke-width="{_n(width)}"{dashes} stroke-linecap="round"/>'
    )


def _parallel(x1: float, y1: float, x2: float, y2: float, kinds: list[str], width: float = 2) -> str:
    """One line per kind of relation, side by side, each in its kind's style."""
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length  # unit normal
    gap = width + 2.5
    out = []
    for j, kind in enumerate(kinds):
        off = (j - (len(kinds) - 1) / 2) * gap
        out.append(_line(x1 + nx * off, y1 + ny * off, x2 + nx * off, y2 + ny * off, kind, width))
    return "".join(out)


def _legend(svg: Svg, kinds: list[str], y: float) -> None:
    """A row of line samples with the names of the kinds of relation drawn."""
    x = 16.0
    svg.add('<g class="fs-map__legend">')
    for kind in kinds:
        title = RELATION_TITLES[kind]
        width = 34 + text_width(title, 11) + 18
        if x + width > svg.width - 8:
            x, y = 16.0, y + 20
        svg.add(_line(x, y - 4, x + 26, y - 4, kind, 2.5))
        svg.add(svg.text(x + 32, y, title, size=11, anchor="start", fill="#333333"))
        x += width
    svg.add("</g>")


def _node(
    svg: Svg, cx: float, cy: float, w: float, h: float, name: str, fill: str, href: str, bold: bool
) -> None:
    """A box with a name, the whole box a link; the full name and its kind in a ``<title>``."""
    size = NODE_FONT + 1.5 if bold else NODE_FONT
    shown = fit(name, size, w - 14)
    svg.add(
        f'<a href="{html.escape(href, quote=True)}" class="fs-map__node">'
        f"<title>{_x(name)}</title>"
        f'<rect x="{_n(cx - w / 2)}" y="{_n(cy - h / 2)}" width="{_n(w)}" height="{_n(h)}" rx="6" '
        f'fill="{fill}" stroke="{"#1f1f1f" if bold else "#5f5f5f"}" stroke-width="{"2" if bold else "1"}"/>'
        + svg.text(cx, cy + size * 0.36, shown, size=size, weight="bold" if bold else None)
        + "</a>"
    )


def _box_width(name: str, size: float, low: float, high: float) -> float:
    return min(max(text_width(" ".join(name.split()), size) + 22, low), high)


# ------------------------------------------------------------------ an actor's map


@dataclass(frozen=True)
class Neighbour:
    id: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class ActorMap:
    """An actor's map: the SVG, who is on it, and who is left off it (listed, not drawn)."""

    svg: str
    shown: tuple[Neighbour, ...]
    more: tuple[Neighbour, ...]

    @property
    def all(self) -> tuple[Neighbour, ...]:
        return self.shown + self.more


def neighbours(graph: Graph, net: Network, actor: str) -> list[Neighbour]:
    """Every actor related to ``actor``, the most strongly related first, then by name."""
    found = [Neighbour(b, tuple(links)) for b, links in net.neighbours(actor).items()]
    found.sort(key=lambda n: (-len(n.links), graph.entity(n.id).name.casefold(), n.id))
    return found


def _fill(graph: Graph, actor: str) -> str:
    e = graph.entity(actor)
    return FILLS.get(e.type, "#f4f4f4") if isinstance(e, Actor) else "#f4f4f4"


def actor_map(graph: Graph, net: Network, actor: str, href: Href, cap: int = NEIGHBOUR_CAP) -> ActorMap:
    """The map of ``actor`` and the actors related to it (at most ``cap`` drawn)."""
    everyone = neighbours(graph, net, actor)
    shown, more = everyone[:cap], everyone[cap:]
    # around the ring, grouped by kind of relation, then strongest first
    ring = sorted(
        shown,
        key=lambda n: (
            RELATION_KINDS.index(primary_kind(list(n.links))),
            -len(n.links),
            graph.entity(n.id).name.casefold(),
            n.id,
        ),
    )
    count = len(ring)
    rx, ry = (400.0, 250.0) if count > 8 else (330.0, 215.0) if count > 6 else (260.0, 165.0)
    if count == 0:
        rx, ry = 0.0, 0.0
    name = graph.entity(actor).name
    centre_w = _box_width(name, NODE_FONT + 1.5, 90, 260)
    margin_x, top = 110.0, 46.0
    width = max(2 * (rx + margin_x), centre_w + 40, 420.0)  # a lone actor still has room for a line
    cx, cy = width / 2, top + ry + 10
    legend_kinds = [k for k in RELATION_KINDS if any(link.kind == k for n in ring for link in n.links)]
    height = cy + ry + 40 + (26 if more else 0) + (40 if legend_kinds else 0)
    svg = Svg(width, height, f"Relationship map of {name}")
    svg.add('<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>')
    positions: list[tuple[Neighbour, float, float]] = []
    for i, n in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        positions.append((n, cx + rx * math.cos(angle), cy + ry * math.sin(angle)))
    node_w = {n.id: _box_width(graph.entity(n.id).name, NODE_FONT, 70, 190) for n in ring}
    taken: list[Box] = [(cx - centre_w / 2, cy - 20, cx + centre_w / 2, cy + 20)]
    taken += [(x - node_w[n.id] / 2, y - 16, x + node_w[n.id] / 2, y + 16) for n, x, y in positions]
    svg.add('<g class="fs-map__edges">')
    for n, x, y in positions:
        other = graph.entity(n.id).name
        label = summary_label(list(n.links))
        kinds = [k for k in RELATION_KINDS if any(link.kind == k for link in n.links)]
        start = _clip(cx, cy, x, y, centre_w, 40)
        end = 1 - _clip(x, y, cx, cy, node_w[n.id], 32)
        svg.add(
            f'<g class="fs-map__edge"><title>{_x(f"{name} — {other}: {label}")}</title>'
            + _parallel(cx, cy, x, y, kinds)
            + _place_label(
                svg,
                cx,
                cy,
                x,
                y,
                max(start, 0.35),
                end,
                fit(short_label(list(n.links)), LABEL_FONT, 160),
                LABEL_FONT,
                taken,
            )
            + "</g>"
        )
    svg.add("</g>")
    svg.add('<g class="fs-map__nodes">')
    for n, x, y in positions:
        other = graph.entity(n.id).name
        _node(svg, x, y, node_w[n.id], 32, other, _fill(graph, n.id), href(n.id), False)
    _node(svg, cx, cy, centre_w, 40, name, _fill(graph, actor), href(actor), True)
    svg.add("</g>")
    y = cy + ry + 44
    if count == 0:
        svg.add(svg.text(cx, y, "No relation to another actor is recorded.", size=12, fill="#555555"))
    if more:
        noun = "actor" if len(more) == 1 else "actors"
        svg.add(
            svg.text(
                cx, y, f"and {len(more)} more related {noun}: see the table below", size=12, fill="#333333"
            )
        )
        y += 26
    if legend_kinds:
        _legend(svg, legend_kinds, y + 16)
    return ActorMap(svg.render(), tuple(shown), tuple(more))


# ------------------------------------------------------------------ the briefing's map


@dataclass(frozen=True)
class Cluster:
    """A group of actors on the briefing's map: a country (``country`` is its id) or a type."""

    key: str
    title: str
    country: str | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class ClusterLink:
    """Relations between two groups: per kind, the entries (or claims) establishing them, and
    the directed ones as ``(from group, label, to group)``."""

    a: str
    b: str
    evidence: tuple[tuple[str, int], ...]
    """``(kind, how many distinct entries)`` in :data:`RELATION_KINDS` order."""
    directed: tuple[tuple[str, str, str], ...]

    @property
    def weight(self) -> int:
        return sum(n for _, n in self.evidence)


@dataclass(frozen=True)
class BriefingMap:
    svg: str
    clusters: tuple[Cluster, ...]
    shown_clusters: int
    links: tuple[ClusterLink, ...]
    shown_links: int


NOUNS = {
    "met": ("meeting", "meetings"),
    "sanction": ("sanction", "sanctions"),
    "transfer": ("transfer", "transfers"),
    "dispute": ("disputed claim", "disputed claims"),
    "role": ("role", "roles"),
    "country": ("national", "nationals"),
}


def evidence_label(evidence: tuple[tuple[str, int], ...]) -> str:
    """``2 meetings · 1 sanction``."""
    return " · ".join(f"{n} {NOUNS[k][0] if n == 1 else NOUNS[k][1]}" for k, n in evidence)


def clusters(graph: Graph, net: Network) -> list[Cluster]:
    """Actors grouped by country (a state leads its own group), else by type; largest groups first."""
    groups: dict[str, list[str]] = {}
    for rid in graph.by_kind.get("actors", []):
        e = graph.entity(rid)
        assert isinstance(e, Actor)
        key = e.country or (rid if e.type == "state" else f"type:{e.type}")
        groups.setdefault(key, []).append(rid)

    def title(key: str) -> str:
        if key.startswith("type:"):
            kind = key.removeprefix("type:")
            return ACTOR_TYPE_TITLES.get(kind) or kind.replace("-", " ").capitalize()
        return graph.entity(key).name

    def member_order(rid: str, key: str) -> tuple[object, ...]:
        return (rid != key, -len(net.neighbours(rid)), graph.entity(rid).name.casefold(), rid)

    out = []
    for key, members in groups.items():
        ordered = sorted(members, key=lambda r: member_order(r, key))
        out.append(Cluster(key, title(key), None if key.startswith("type:") else key, tuple(ordered)))
    out.sort(key=lambda c: (c.key.startswith("type:"), -len(c.members), c.title.casefold(), c.key))
    return out


def cluster_links(graph: Graph, net: Network, groups: list[Cluster]) -> list[ClusterLink]:
    """Relations between actors of different groups, summed per pair of groups; strongest first."""
    where = {m: c.key for c in groups for m in c.members}
    order = {c.key: i for i, c in enumerate(groups)}
    evidence: dict[tuple[str, str], dict[str, set[str]]] = {}
    directed: dict[tuple[str, str], set[tuple[str, str, str]]] = {}
    for a, others in net.links.items():
        for b, links in others.items():
            ga, gb = where[a], where[b]
            if ga == gb:
                continue
            pair = (ga, gb) if order[ga] < order[gb] else (gb, ga)
            for link in links:
                key = f"{link.via}#{link.claim}" if link.claim else link.via
                evidence.setdefault(pair, {}).setdefault(link.kind, set()).add(key)
                if link.label in ("sanctions", "supplied"):
                    directed.setdefault(pair, set()).add((ga, link.label, gb))
    out = [
        ClusterLink(
            a,
            b,
            tuple((k, len(kinds[k])) for k in RELATION_KINDS if k in kinds),
            tuple(sorted(directed.get((a, b), set()), key=lambda d: (order[d[0]], d[1], order[d[2]]))),
        )
        for (a, b), kinds in evidence.items()
    ]
    out.sort(key=lambda link: (-link.weight, order[link.a], order[link.b]))
    return out


Box = tuple[float, float, float, float]
"""A rectangle as (left, top, right, bottom)."""


def _overlap(box: Box, others: list[Box]) -> float:
    """The area of ``box`` that ``others`` cover (counted once per other box)."""
    return sum(
        max(0.0, min(box[2], o[2]) - max(box[0], o[0])) * max(0.0, min(box[3], o[3]) - max(box[1], o[1]))
        for o in others
    )


def _place_label(
    svg: Svg,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    start: float,
    end: float,
    text: str,
    size: float,
    taken: list[Box],
) -> str:
    """An edge label on the visible part of the edge (from ``start`` to ``end``, fractions of
    its length), at the first spot that overlaps no box and no label already placed."""
    w, h = text_width(text, size) + 8, size + 6
    best: tuple[float, float, float] | None = None  # (overlap, x, y): the least covered spot
    for t in (0.5, 0.38, 0.62, 0.27, 0.73, 0.16, 0.84):
        f = start + (end - start) * t
        x, y = x1 + (x2 - x1) * f, y1 + (y2 - y1) * f
        covered = _overlap((x - w / 2, y - h / 2, x + w / 2, y + h / 2), taken)
        if best is None or covered < best[0]:
            best = (covered, x, y)
        if covered == 0:
            break
    assert best is not None
    _, x, y = best
    taken.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    return svg.label(x, y, text, size)


def _clip(x1: float, y1: float, x2: float, y2: float, w: float, h: float) -> float:
    """The fraction of the line from (x1, y1) to (x2, y2) inside a w x h box centred on (x1, y1)."""
    dx, dy = abs(x2 - x1), abs(y2 - y1)
    limits = [v for v in ((w / 2) / dx if dx else None, (h / 2) / dy if dy else None) if v is not None]
    return min(min(limits, default=0.0), 1.0)


def _force_layout(
    keys: list[str], sizes: dict[str, tuple[float, float]], weights: dict[tuple[str, str], int]
) -> dict[str, tuple[float, float]]:
    """A deterministic force-directed layout (Fruchterman-Reingold from a fixed ring), then
    boxes pushed apart until none overlaps another."""
    count = len(keys)
    if count == 1:
        return {keys[0]: (0.0, 0.0)}
    ideal = 250.0
    start = 70.0 * count
    pos = {
        k: [start * math.cos(2 * math.pi * i / count), start * math.sin(2 * math.pi * i / count)]
        for i, k in enumerate(keys)
    }
    reach = {k: math.hypot(*sizes[k]) / 2 for k in keys}
    steps = 250
    for step in range(steps):
        limit = ideal * (1 - step / steps) + 2
        move = {k: [0.0, 0.0] for k in keys}
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                dist = max(math.hypot(dx, dy), 1.0)
                room = ideal + reach[a] + reach[b]
                force = room * room / dist / 2
                move[a][0] += dx / dist * force
                move[a][1] += dy / dist * force
                move[b][0] -= dx / dist * force
                move[b][1] -= dy / dist * force
        for (a, b), w in weights.items():
            if a >= b:
                continue
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 1.0)
            room = ideal + reach[a] + reach[b]
            force = dist * dist / room * (1 + math.log(w))
            move[a][0] -= dx / dist * force
            move[a][1] -= dy / dist * force
            move[b][0] += dx / dist * force
            move[b][1] += dy / dist * force
        for k in keys:
            length = math.hypot(*move[k]) or 1.0
            pos[k][0] += move[k][0] / length * min(length, limit)
            pos[k][1] += move[k][1] / length * min(length, limit) * 0.8  # a little wider than tall
    gap = 56.0
    for _ in range(200):  # no two boxes overlap
        moved = False
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                (wa, ha), (wb, hb) = sizes[a], sizes[b]
                dx, dy = pos[b][0] - pos[a][0], pos[b][1] - pos[a][1]
                over_x = (wa + wb) / 2 + gap - abs(dx)
                over_y = (ha + hb) / 2 + gap - abs(dy)
                if over_x > 0 and over_y > 0:
                    moved = True
                    if over_x / (wa + wb) < over_y / (ha + hb):
                        push = over_x / 2 * (1 if dx >= 0 else -1)
                        pos[a][0] -= push
                        pos[b][0] += push
                    else:
                        push = over_y / 2 * (1 if dy >= 0 else -1)
                        pos[a][1] -= push
                        pos[b][1] += push
        if not moved:
            break
    return {k: (p[0], p[1]) for k, p in pos.items()}


def briefing_map(graph: Graph, net: Network, href: Href) -> BriefingMap:
    """The whole briefing, clustered: at most :data:`CLUSTER_CAP` groups, linked ones laid
    out by a force-directed layout, those linked to no other group in a row under them."""
    groups = clusters(graph, net)
    all_links = cluster_links(graph, net, groups)
    degree = {c.key: 0 for c in groups}
    for link in all_links:
        degree[link.a] += link.weight
        degree[link.b] += link.weight
    ranked = sorted(groups, key=lambda c: (-(len(c.members) + degree[c.key]), c.title.casefold(), c.key))
    shown_keys = {c.key for c in ranked[:CLUSTER_CAP]}
    links: list[ClusterLink] = []
    drawn_degree = dict.fromkeys(shown_keys, 0)
    for link in all_links:  # the strongest links, at most CLUSTER_LINKS_EACH per group
        if (
            len(links) < CLUSTER_EDGE_CAP
            and link.a in shown_keys
            and link.b in shown_keys
            and max(drawn_degree[link.a], drawn_degree[link.b]) < CLUSTER_LINKS_EACH
        ):
            links.append(link)
            drawn_degree[link.a] += 1
            drawn_degree[link.b] += 1
    shown = [c for c in ranked if c.key in shown_keys]
    line_h = 17.0

    def size(c: Cluster) -> tuple[float, float]:
        listed = c.members[:CLUSTER_MEMBERS_SHOWN]
        wide = max(
            [text_width(c.title, 13) + 24] + [text_width(graph.entity(m).name, 12) + 26 for m in listed]
        )
        height = 30 + line_h * len(listed) + (line_h if len(c.members) > len(listed) else 0) + 6
        return min(max(wide, 130.0), 240.0), height

    sizes = {c.key: size(c) for c in shown}
    weights: dict[tuple[str, str], int] = {}
    for link in links:
        weights[(link.a, link.b)] = weights[(link.b, link.a)] = link.weight
    linked = [c.key for c in shown if any(link.a == c.key or link.b == c.key for link in links)]
    alone = [c.key for c in shown if c.key not in linked]
    spots = _force_layout(linked, sizes, weights) if linked else {}
    pad = 24.0
    if spots:
        left = min(x - sizes[k][0] / 2 for k, (x, _) in spots.items())
        right = max(x + sizes[k][0] / 2 for k, (x, _) in spots.items())
        top = min(y - sizes[k][1] / 2 for k, (_, y) in spots.items())
        bottom = max(y + sizes[k][1] / 2 for k, (_, y) in spots.items())
        centre = {k: (x - left + pad, y - top + pad) for k, (x, y) in spots.items()}
        width, y = max(right - left + 2 * pad, 560.0), bottom - top + 2 * pad
    else:
        centre, width, y = {}, 560.0, pad
    if alone:  # groups linked to no other: a row (or rows) under the map
        y += 18
        x, row_h = pad, 0.0
        for k in alone:
            w, h = sizes[k]
            if x + w > width - pad and x > pad:
                x, y = pad, y + row_h + 18
                row_h = 0.0
            centre[k] = (x + w / 2, y + h / 2)
            x += w + 18
            row_h = max(row_h, h)
        y += row_h + pad
    legend_kinds = [
        k for k in RELATION_KINDS if any(kind == k for link in links for kind, _ in link.evidence)
    ]
    more_groups = len(groups) - len(shown)
    hidden = len(all_links) - len(links)
    y += 10
    height = y + (24 if more_groups or hidden or not shown else 0) + (44 if legend_kinds else 0)
    svg = Svg(width, height, "Relationship map of the briefing, by country and type")
    svg.add('<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>')
    heaviest = max((link.weight for link in links), default=1)
    title_of = {c.key: c.title for c in groups}
    taken: list[Box] = [
        (cx - sizes[k][0] / 2, cy - sizes[k][1] / 2, cx + sizes[k][0] / 2, cy + sizes[k][1] / 2)
        for k, (cx, cy) in centre.items()
    ]
    labels: list[str] = []
    svg.add('<g class="fs-map__edges">')
    for link in links:
        (x1, y1), (x2, y2) = centre[link.a], centre[link.b]
        label = evidence_label(link.evidence)
        stroke = 1.5 + 2.5 * math.log1p(link.weight) / math.log1p(heaviest)
        svg.add(
            f'<g class="fs-map__edge"><title>{_x(f"{title_of[link.a]} — {title_of[link.b]}: {label}")}</title>'
            + _parallel(x1, y1, x2, y2, [k for k, _ in link.evidence], stroke)
            + "</g>"
        )
        start = _clip(x1, y1, x2, y2, *sizes[link.a])
        end = 1 - _clip(x2, y2, x1, y1, *sizes[link.b])
        if end <= start:
            start, end = 0.4, 0.6
        labels.append(_place_label(svg, x1, y1, x2, y2, start, end, fit(label, 10.5, 170), 10.5, taken))
    svg.add("</g>")
    svg.add('<g class="fs-map__nodes">')
    for c in shown:
        x, y0 = centre[c.key]
        w, h = sizes[c.key]
        bx, by = x - w / 2, y0 - h / 2
        svg.add(
            f'<g class="fs-map__group"><rect x="{_n(bx)}" y="{_n(by)}" width="{_n(w)}" height="{_n(h)}" '
            f'rx="8" fill="{"#f7f9fc" if c.country else "#f6f6f6"}" stroke="#5f5f5f" stroke-width="1.2"/>'
        )
        heading = svg.text(x, by + 20, fit(c.title, 13, w - 16), size=13, weight="bold")
        if c.country:
            svg.add(
                f'<a href="{html.escape(href(c.country), quote=True)}"><title>{_x(c.title)}</title>{heading}</a>'
            )
        else:
            svg.add(f"<title>{_x(c.title)}</title>{heading}")
        listed = c.members[:CLUSTER_MEMBERS_SHOWN]
        for j, member in enumerate(listed):
            name = graph.entity(member).name
            svg.add(
                f'<a href="{html.escape(href(member), quote=True)}" class="fs-map__node"><title>{_x(name)}</title>'
                + svg.text(
                    bx + 12,
                    by + 26 + line_h * (j + 1),
                    fit(name, 12, w - 24),
                    size=12,
                    anchor="start",
                    fill="#174a7e",
                )
                + "</a>"
            )
        if len(c.members) > len(listed):
            more = f"and {len(c.members) - len(listed)} more"
            svg.add(
                svg.text(
                    bx + 12,
                    by + 26 + line_h * (len(listed) + 1),
                    more,
                    size=11.5,
                    anchor="start",
                    fill="#555555",
                )
            )
        svg.add("</g>")
    svg.add("</g>")
    svg.add('<g class="fs-map__labels">' + "".join(labels) + "</g>")
    notes = []
    if more_groups:
        notes.append(f"and {more_groups} more {'group' if more_groups == 1 else 'groups'}")
    if hidden:
        notes.append(f"{hidden} more {'link' if hidden == 1 else 'links'} between groups")
    if notes:
        svg.add(svg.text(width / 2, y, "; ".join(notes) + ": see the tables below", size=12, fill="#333333"))
        y += 24
    if not shown:
        svg.add(svg.text(width / 2, y, "No actors are recorded.", size=12, fill="#555555"))
        y += 24
    if legend_kinds:
        _legend(svg, legend_kinds, y + 12)
    return BriefingMap(svg.render(), tuple(groups), len(shown), tuple(all_links), len(links))


# ------------------------------------------------------------------ links as MkDocs serves them

_MAP = re.compile(r'<figure class="fs-map".*?</figure>', re.S)
_HREF = re.compile(r'href="((?:\.\./|[a-z0-9-]+/)*[a-z0-9-]+)\.md"')


def page_url(src: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives the page ``src`` (``actors/x.md`` -> ``actors/x/``)."""
    stem = src.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def site_urls(markdown: str, src: str, directory_urls: bool) -> str:
    """The map links of page ``src`` as the site serves them: ``../actors/x.md`` becomes
    ``../../actors/x/`` (or ``../actors/x.html`` without directory URLs).

    MkDocs rewrites links it parses from Markdown, not those inside raw HTML such as an
    SVG, so the plugin calls this for the pages holding a map. Only ``href`` attributes of
    the maps' ``<figure class="fs-map">`` change: paths made of ids, which we wrote.
    """
    url = page_url(src, directory_urls)
    base = (url.rstrip("/") if directory_urls else posixpath.dirname(url)) or "."
    src_dir = posixpath.dirname(src)

    def one(match: re.Match[str]) -> str:
        target = page_url(posixpath.normpath(posixpath.join(src_dir, match[1] + ".md")), directory_urls)
        rel = posixpath.relpath(target.rstrip("/") or ".", base)
        return f'href="{rel}/"' if target.endswith("/") or not target else f'href="{rel}"'

    return _MAP.sub(lambda m: _HREF.sub(one, m[0]), markdown)
