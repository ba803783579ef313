"""The source audit: what rests on thin evidence. Advice for curators, never an error.

One list, computed here, is shown two ways: the "Source audit" page (one section per
check, each row linking to the entry or the claim) and ``factsheet check --audit`` (the
same findings, each located ``file:line:column: field:`` like an error).

The checks, in order (:data:`CHECKS`):

- **single-source**: an entry that cites one source only; a claim marked ``confirmed``
  on its one source (every claim cites exactly one source, so only those called
  confirmed are listed).
- **anonymous**: a claim with an ``attribution`` and no ``by``.
- **no-locator**: citations and claims that do not say where in the source.
- **low-reliability**: entries and claims citing a source rated D, E or F.
- **later-than-sources**: an outside fact without its source, as far as dates show it: an
  entry dated (or a role starting or ending) after every source it cites was published,
  or a claim said after its source was published. Planned meetings are left out (their
  date is the plan). A source with no ``published`` date means the check cannot tell.
- **one-sided**: a dispute with only one side recorded: a claim that ``denies`` but is in
  no dispute, or a claim marked ``disputed`` with no claim on the other side. (Disputes
  are symmetric: writing ``disputes`` on one side records both, so that is fine.)
- **never-reviewed**: an entry with no ``reviewed`` date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from . import dates
from .errors import shown
from .link import Graph
from .load import Path_, dotted
from .model import KINDS, Claim, Entry, Meeting, Source

LOW_RELIABILITY = ("D", "E", "F")


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    explanation: str
    """One sentence, ours, under the section heading."""


CHECKS: tuple[Check, ...] = (
    Check(
        "single-source",
        "Single source",
        "Entries that cite one source only, and claims marked confirmed on their one source.",
    ),
    Check(
        "anonymous",
        "Anonymous attribution",
        "Claims attributed only to unnamed people (an attribution, no actor).",
    ),
    Check(
        "no-locator",
        "No locator",
        "Citations and claims that do not say where in the source (paragraph, page).",
    ),
    Check(
        "low-reliability",
        "Low-reliability sources",
        "Entries and claims citing a source rated D, E or F on the Admiralty scale.",
    ),
    Check(
        "later-than-sources",
        "Later than their sources",
        "Outside facts without their source: dates later than every source cited was published "
        "(planned meetings excepted).",
    ),
    Check(
        "one-sided",
        "One-sided disputes",
        "Denials with nothing on the other side, and claims marked disputed with no opposing claim recorded.",
    ),
    Check("never-reviewed", "Never reviewed", "Entries with no reviewed date."),
)
CHECK: dict[str, Check] = {c.key: c for c in CHECKS}


@dataclass(frozen=True)
class Finding:
    """One thing resting on thin evidence, at ``loc`` in entry ``entity_id`` (in a claim if
    ``claim_index`` is set).

    ``note`` is our wording (no curator text); ``sources`` the source ids it concerns;
    ``quote`` a curator's plain text to show (an attribution); ``dates`` shown dates.
    """

    check: str
    entity_id: str
    loc: Path_
    note: str
    claim_index: int | None = None
    sources: tuple[str, ...] = ()
    quote: str | None = None


def audit(graph: Graph) -> list[Finding]:
    """Every finding, by check (in :data:`CHECKS` order), then kind, then timeline order."""
    found: dict[str, list[Finding]] = {c.key: [] for c in CHECKS}
    for kind in KINDS:
        for rid in graph.by_kind.get(kind.folder, []):
            for finding in _entry_findings(graph, rid):
                found[finding.check].append(finding)
    return [f for c in CHECKS for f in found[c.key]]


def _published(graph: Graph, source_id: str) -> dates.Edtf | None:
    entity = graph.entity(source_id)
    return dates.parse_edtf(entity.published) if isinstance(entity, Source) and entity.published else None


def _reliability(graph: Graph, source_id: str) -> str | None:
    entity = graph.entity(source_id)
    return entity.reliability if isinstance(entity, Source) else None


def _after_all(graph: Graph, when: str, sources: list[str]) -> dates.Edtf | None:
    """The latest publication among ``sources`` if ``when`` is after all of them, else None."""
    published = [_published(graph, s) for s in sources]
    if not published or any(p is None for p in published):
        return None  # a source with no date: cannot tell
    latest = max((p for p in published if p is not None), key=lambda p: p.latest)
    return latest if dates.parse_edtf(when).earliest > latest.latest else None


def _entry_findings(graph: Graph, rid: str) -> Iterator[Finding]:
    entity = graph.entity(rid)
    if isinstance(entity, Entry):
        cited = list(dict.fromkeys(c.source for c in entity.sources))
        if len(cited) == 1:
            yield Finding("single-source", rid, ("sources",), "cites one source only:", sources=(cited[0],))
        missing = [c.source for c in entity.sources if not (c.locator and c.locator.strip())]
        if missing:
            first = next(i for i, c in enumerate(entity.sources) if c.source == missing[0])
            noun = "citation" if len(missing) == 1 else "citations"
            yield Finding(
                "no-locator", rid, ("sources", first), f"{noun} without a locator:", sources=tuple(missing)
            )
        for i, cite in enumerate(entity.sources):
            grade = _reliability(graph, cite.source)
            if grade in LOW_RELIABILITY:
                yield Finding(
                    "low-reliability",
                    rid,
                    ("sources", i, "source"),
                    f"cites a source of reliability {grade}:",
                    sources=(cite.source,),
                )
        yield from _late_dates(graph, rid, entity, cited)
    for i, claim in enumerate(entity.claims):
        yield from _claim_findings(graph, rid, i, claim)
    if entity.reviewed is None:
        yield Finding("never-reviewed", rid, (), "no reviewed date")


def _late_dates(graph: Graph, rid: str, entity: Entry, cited: list[str]) -> Iterator[Finding]:
    when = getattr(entity, "date", None)
    planned = isinstance(entity, Meeting) and entity.status == "planned"
    if isinstance(when, str) and not planned:
        latest = _after_all(graph, when, cited)
        if latest is not None:
            yield Finding(
                "later-than-sources",
                rid,
                ("date",),
                f"dated {dates.display(when)}, after every source it cites was published "
                f"(the latest: {latest.display()}):",
                sources=tuple(cited),
            )
    for i, role in enumerate(getattr(entity, "roles", [])):
        for end in ("start", "end"):
            value = getattr(role, end)
            latest = _after_all(graph, value, cited) if value else None
            if value and latest is not None:
                yield Finding(
                    "later-than-sources",
                    rid,
                    ("roles", i, end),
                    f"a role {'starting' if end == 'start' else 'ending'} {dates.display(value)}, after every "
                    f"source the entry cites was published (the latest: {latest.display()}):",
                    sources=tuple(cited),
                )


def _claim_findings(graph: Graph, rid: str, index: int, claim: Claim) -> Iterator[Finding]:
    def finding(
        check: str, field: str, note: str, sources: tuple[str, ...] = (), quote: str | None = None
    ) -> Finding:
        return Finding(check, rid, ("claims", index, field), note, index, sources, quote)

    if claim.status == "confirmed":
        yield finding("single-source", "status", "marked confirmed on one source:", sources=(claim.source,))
    if not claim.by and claim.attribution:
        yield finding("anonymous", "attribution", "attributed only to", quote=claim.attribution)
    if not (claim.locator and claim.locator.strip()):
        yield finding("no-locator", "source", "no locator for its source:", sources=(claim.source,))
    grade = _reliability(graph, claim.source)
    if grade in LOW_RELIABILITY:
        yield finding(
            "low-reliability", "source", f"rests on a source of reliability {grade}:", sources=(claim.source,)
        )
    if claim.date:
        latest = _after_all(graph, claim.date, [claim.source])
        if latest is not None:
            yield finding(
                "later-than-sources",
                "date",
                f"said {dates.display(claim.date)}, after its source was published ({latest.display()}):",
                sources=(claim.source,),
            )
    ref = f"{rid}#{claim.id}"
    if not graph.disputes.get(ref):
        if claim.stance == "denies":
            yield finding("one-sided", "stance", "denies, but no claim it denies is recorded (no disputes)")
        elif claim.status == "disputed":
            yield finding(
                "one-sided", "status", "marked disputed, but no claim on the other side is recorded"
            )


# ------------------------------------------------------------------ the terminal


def located(graph: Graph, finding: Finding) -> str:
    """``content/actors/x.yaml:12:5: claims[0].attribution: attributed only to 'two officials'``."""
    record = graph.records[finding.entity_id]
    pos = record.document.pos(finding.loc)
    where = f"{record.document.display}:{pos.line}:{pos.column}"
    field = dotted(finding.loc)
    text = finding.note
    if finding.quote is not None:
        text += f" '{' '.join(finding.quote.split())}'"
    if finding.sources:
        text += " " + ", ".join(finding.sources)
    return shown(f"{where}: {field}: {text}" if field else f"{where}: {text}")


def report(graph: Graph, findings: list[Finding]) -> str:
    """The audit as the terminal shows it: a count, then each check with its findings."""
    if not findings:
        return "audit: nothing rests on thin evidence by these checks\n"
    noun = "finding" if len(findings) == 1 else "findings"
    lines = [f"audit: {len(findings)} {noun} (advice, not errors)"]
    for check in CHECKS:
        mine = [f for f in findings if f.check == check.key]
        if mine:
            lines.append(f"{check.title} ({len(mine)}): {check.explanation}")
            lines.extend(f"  {located(graph, f)}" for f in mine)
    return "\n".join(lines) + "\n"
