"""What changed between two editions of the content: ``factsheet diff OLD [NEW]``.

Each side is a content folder, or a git revision (``HEAD~3``, a tag, a commit) of the
repository that holds the configured content folder: the folder as it was at that
revision is read with ``git archive`` into a temporary folder (nothing in the repository
changes). Both sides are checked like ``factsheet check``; a side with errors is reported
with its errors, located as ``REVISION:path:line:column``.

Entries are matched by id, claims by entry and claim id. An entry whose id changed but
whose kind and name did not (and no other entry of that kind has that name on either
side) is reported as **renamed**, with its other changes; any other id change is a
removal and an addition. Changes are listed field by field: text in full, dates at
their own precision (``September 2023 → 13 September 2023``), lists as the items added
and removed.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import dates
from .build import load_graph
from .errors import ConfigError, ContentError, display_path, shown
from .link import Graph
from .model import KINDS, Alias, Citation, Claim, Common, NativeName, Place, Role

DATE_FIELDS = frozenset({"date", "published", "retrieved", "reviewed", "start", "end"})
"""Fields holding EDTF dates: shown at their own precision."""
LONG = 60
"""Text longer than this is shown on lines of its own (old, then new)."""
FIRST = ("name", "summary", "text")
LAST = ("body", "aliases", "tags", "sources", "reviewed", "reviewed_text", "notes")
"""Fields are listed as a page reads: name and summary first, the kind's own fields, then these."""


# ------------------------------------------------------------------ reading a side


@dataclass(frozen=True)
class Side:
    label: str
    graph: Graph


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise ConfigError("git is not installed: a revision can be read only with git") from None


@contextmanager
def read_side(spec: str, content_dir: Path) -> Iterator[Side]:
    """The content of ``spec``: a folder, else a git revision of the content folder's repository."""
    folder = Path(spec)
    if folder.is_dir():
        yield Side(display_path(folder), load_graph(folder))
        return
    if spec.startswith("-") or not spec.strip():
        raise ConfigError(f"'{spec}': not a content folder or a git revision")
    repo = content_dir.resolve()
    top = _git(["rev-parse", "--show-toplevel"], repo)
    if top.returncode != 0:
        raise ConfigError(
            f"'{spec}': no such folder, and {display_path(content_dir)} is not in a git repository"
        )
    root = Path(top.stdout.decode().strip())
    commit = _git(["rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"], root)
    if commit.returncode != 0:
        raise ConfigError(f"'{spec}': no such folder, and not a git revision of {root}")
    sha = commit.stdout.decode().strip()
    rel = repo.relative_to(root.resolve()).as_posix()
    archive = _git(["archive", "--format=tar", sha, "--", rel], root)
    if archive.returncode != 0:
        raise ConfigError(f"'{spec}': {rel}/ does not exist at that revision ({sha[:7]})")
    label = f"{spec} ({sha[:7]})" if not sha.startswith(spec) else sha[:7]
    temp = Path(tempfile.mkdtemp(prefix="factsheet-diff-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(temp, filter="data")
        content = temp / rel
        try:
            graph = load_graph(content)
        except ContentError as exc:
            raise ContentError([_relocated(d, content, f"{spec}:{rel}") for d in exc.diagnostics]) from None
        yield Side(label, graph)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _relocated(diagnostic: Any, folder: Path, prefix: str) -> Any:
    """A diagnostic on a file read from a revision, located as ``REV:content/kind/x.yaml``."""
    try:
        rel = Path(diagnostic.path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return diagnostic
    return dataclasses.replace(diagnostic, path=f"{prefix}/{rel}")


# ------------------------------------------------------------------ comparing


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: tuple[str, ...]
    """The old value as shown (a list: its items); empty when the field was not set."""
    new: tuple[str, ...]
    is_list: bool


@dataclass(frozen=True)
class ClaimChange:
    change: str  # added | removed | changed
    claim_id: str
    text: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class EntryChange:
    change: str  # added | removed | renamed | changed
    kind: str
    id: str
    name: str
    old_id: str | None = None
    fields: tuple[FieldChange, ...] = ()
    claims: tuple[ClaimChange, ...] = ()
    claim_count: int = 0


@dataclass(frozen=True)
class Diff:
    entries: tuple[EntryChange, ...]
    unchanged: int

    def count(self, change: str) -> int:
        return sum(1 for e in self.entries if e.change == change)

    def claims(self, change: str) -> int:
        total = 0
        for e in self.entries:
            if e.change in ("added", "removed"):
                total += e.claim_count if e.change == change else 0
            else:
                total += sum(1 for c in e.claims if c.change == change)
        return total


def _fold(text: str) -> str:
    return " ".join(text.split())


def _date(value: str) -> str:
    try:
        return dates.display(value)
    except dates.EdtfError:
        return value


def show(field: str, value: Any) -> str:
    """One value as the diff prints it: dates at their precision, parts in a compact form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _date(value) if field in DATE_FIELDS else _fold(value)
    if isinstance(value, Citation):
        out = value.source + (f" ({_fold(value.locator)})" if value.locator else "")
        return out + (f" — {_fold(value.note)}" if value.note else "")
    if isinstance(value, Alias | NativeName):
        lang = f" [{value.lang}]" if value.lang else ""
        note = f" — {_fold(value.note)}" if isinstance(value, Alias) and value.note else ""
        return f"{_fold(value.name)}{lang}{note}"
    if isinstance(value, Place):
        return _fold(value.name) + (f", {value.country}" if value.country else "")
    if isinstance(value, Role):
        out = _fold(value.title) + (f", of {value.of}" if value.of else "")
        span = " to ".join(_date(d) for d in (value.start, value.end) if d)
        if value.start and not value.end:
            span = f"from {_date(value.start)}"
        elif value.end and not value.start:
            span = f"until {_date(value.end)}"
        return out + (f", {span}" if span else "")
    if isinstance(value, BaseModel):
        return ", ".join(
            f"{k}: {show(k, v)}" for k, v in value.model_dump().items() if v not in (None, [], "")
        )
    return str(value)


def _fields(old: BaseModel, new: BaseModel, skip: frozenset[str]) -> tuple[FieldChange, ...]:
    changes = []
    names = [*type(old).model_fields, *(n for n in type(new).model_fields if n not in type(old).model_fields)]
    names.sort(
        key=lambda n: (
            FIRST.index(n) if n in FIRST else len(FIRST) + LAST.index(n) + 1 if n in LAST else len(FIRST)
        )
    )
    for name in names:
        if name in skip:
            continue
        a, b = getattr(old, name, None), getattr(new, name, None)
        if a == b or (a in (None, []) and b in (None, [])):
            continue
        if isinstance(a, list) or isinstance(b, list):
            items_a = [show(name, x) for x in a or []]
            items_b = [show(name, x) for x in b or []]
            changes.append(FieldChange(name, tuple(items_a), tuple(items_b), True))
        else:
            old_shown, new_shown = show(name, a), show(name, b)
            if name in DATE_FIELDS and old_shown == new_shown and a and b:  # same display, other EDTF
                old_shown, new_shown = f"{old_shown} ({a})", f"{new_shown} ({b})"
            changes.append(
                FieldChange(
                    name, (old_shown,) if a is not None else (), (new_shown,) if b is not None else (), False
                )
            )
    return tuple(changes)


def _claims(old: Common, new: Common) -> tuple[ClaimChange, ...]:
    before: dict[str, Claim] = {c.id: c for c in old.claims}
    after: dict[str, Claim] = {c.id: c for c in new.claims}
    out = []
    for cid, claim in after.items():
        if cid not in before:
            out.append(ClaimChange("added", cid, _fold(claim.text)))
        elif before[cid] != claim:
            out.append(
                ClaimChange("changed", cid, _fold(claim.text), _fields(before[cid], claim, frozenset({"id"})))
            )
    out += [ClaimChange("removed", cid, _fold(c.text)) for cid, c in before.items() if cid not in after]
    return tuple(out)


def _renames(old: Graph, new: Graph, gone: list[str], came: list[str]) -> dict[str, str]:
    """Old id -> new id for entries whose id alone changed (same kind, same unique name)."""

    def key(graph: Graph, rid: str) -> tuple[str, str]:
        return graph.kind(rid), _fold(graph.entity(rid).name).casefold()

    def unique(graph: Graph) -> dict[tuple[str, str], list[str]]:
        found: dict[tuple[str, str], list[str]] = {}
        for rid in graph.records:
            found.setdefault(key(graph, rid), []).append(rid)
        return found

    names_old, names_new = unique(old), unique(new)
    out = {}
    for rid in gone:
        k = key(old, rid)
        if len(names_old.get(k, [])) == 1 and len(names_new.get(k, [])) == 1:
            target = names_new[k][0]
            if target in came:
                out[rid] = target
    return out


def compare(old: Graph, new: Graph) -> Diff:
    """Every entry added, removed, renamed or changed (with its claims), by kind, then id."""
    gone = sorted(set(old.records) - set(new.records))
    came = sorted(set(new.records) - set(old.records))
    renamed = _renames(old, new, gone, came)
    out: list[EntryChange] = []
    unchanged = 0
    for rid in sorted(set(old.records) & set(new.records)):
        a, b = old.entity(rid), new.entity(rid)
        if old.kind(rid) != new.kind(rid):  # moved to another kind: gone here, new there
            gone.append(rid)
            came.append(rid)
            continue
        if a == b:
            unchanged += 1
            continue
        out.append(
            EntryChange(
                "changed",
                new.kind(rid),
                rid,
                b.name,
                fields=_fields(a, b, frozenset({"id", "claims"})),
                claims=_claims(a, b),
            )
        )
    for old_id, new_id in renamed.items():
        a, b = old.entity(old_id), new.entity(new_id)
        out.append(
            EntryChange(
                "renamed",
                new.kind(new_id),
                new_id,
                b.name,
                old_id=old_id,
                fields=_fields(a, b, frozenset({"id", "claims"})),
                claims=_claims(a, b),
            )
        )
    for rid in came:
        if rid not in renamed.values():
            e = new.entity(rid)
            out.append(EntryChange("added", new.kind(rid), rid, e.name, claim_count=len(e.claims)))
    for rid in gone:
        if rid not in renamed:
            e = old.entity(rid)
            out.append(EntryChange("removed", old.kind(rid), rid, e.name, claim_count=len(e.claims)))
    kinds = [k.folder for k in KINDS]
    changes = ["added", "removed", "renamed", "changed"]
    out.sort(key=lambda e: (changes.index(e.change), kinds.index(e.kind), e.id))
    return Diff(tuple(out), unchanged)


# ------------------------------------------------------------------ printing


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _field_lines(change: FieldChange, indent: str) -> list[str]:
    if change.is_list:
        removed = [x for x in change.old if x not in change.new]
        added = [x for x in change.new if x not in change.old]
        if not removed and not added:
            return [f"{indent}{change.field}: order changed"]
        return (
            [f"{indent}{change.field}:"]
            + [f"{indent}  - {x}" for x in removed]
            + [f"{indent}  + {x}" for x in added]
        )
    old = change.old[0] if change.old else "(not set)"
    new = change.new[0] if change.new else "(not set)"
    if len(old) > LONG or len(new) > LONG:
        lines = [f"{indent}{change.field}:"]
        if change.old:
            lines.append(f"{indent}  - {old}")
        if change.new:
            lines.append(f"{indent}  + {new}")
        return lines
    return [f"{indent}{change.field}: {old} → {new}"]


MARKS = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}


def report(diff: Diff, old_label: str, new_label: str) -> str:
    """The diff as ``factsheet diff`` prints it."""
    lines = [f"Changes from {old_label} to {new_label}"]
    counts = ", ".join(f"{diff.count(c)} {c}" for c in ("added", "removed", "renamed", "changed"))
    claims = ", ".join(f"{diff.claims(c)} {c}" for c in ("added", "removed", "changed"))
    lines.append(f"entries: {counts} ({diff.unchanged} unchanged); claims: {claims}")
    if not diff.entries:
        lines.append("No differences.")
    for change in ("added", "removed", "renamed", "changed"):
        group = [e for e in diff.entries if e.change == change]
        if not group:
            continue
        lines += ["", f"{change.capitalize()}:"]
        for e in group:
            where = f"{e.kind}/{e.id}"
            if e.old_id:
                where = f"{e.kind}/{e.old_id} → {e.kind}/{e.id}"
            extra = f" ({_n(e.claim_count, 'claim')})" if e.claim_count else ""
            lines.append(f"{MARKS[change]} {where}  {_fold(e.name)}{extra}")
            for f in e.fields:
                lines += _field_lines(f, "    ")
            for c in e.claims:
                mark = MARKS[c.change]
                if c.change == "changed":
                    lines.append(f"    {mark} claim {c.claim_id}")
                    for f in c.fields:
                        lines += _field_lines(f, "        ")
                else:
                    lines.append(f"    {mark} claim {c.claim_id}: {c.text}")
    return "".join(shown(line) + "\n" for line in lines)  # curator text never rewrites the terminal


def diff_report(old: str, new: str | None, content_dir: Path) -> str:
    """``factsheet diff OLD [NEW]``: NEW defaults to the content folder as it is."""
    with read_side(old, content_dir) as before, read_side(new or str(content_dir), content_dir) as after:
        return report(compare(before.graph, after.graph), before.label, after.label)
