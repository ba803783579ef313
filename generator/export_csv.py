"""CSV export: one file per kind (one row per entry) and ``claims.csv`` (one row per claim).

Spreadsheet-friendly: UTF-8 (with a byte-order mark on request, for Excel), a header row,
lists joined with ``"; "``, each reference as its id plus a column with the entry's name,
each date as its EDTF plus ``_earliest`` and ``_latest`` ISO days and the source's words.
A text cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading apostrophe; the JSON export has the text
exactly as written.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .export import Resolver, date_value, field_roles, page_path
from .link import Graph
from .model import KINDS, Alias, Citation, Claim, NativeName, Place, Role

SEP = "; "
CLAIMS_FILE = "claims.csv"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(cell: str) -> str:
    """A text cell as a spreadsheet will show it, never run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return SEP.join(str(v) for v in value)
    return str(value)


def _with(main: str, *details: str | None) -> str:
    """``main (detail, detail)``, or ``main`` when there is no detail."""
    shown = [d for d in details if d]
    return f"{main} ({', '.join(shown)})" if shown else main


Row = dict[str, str]


def _date_cells(name: str, edtf: str | None, text: str | None) -> Row:
    value = date_value(edtf, text) or {}
    return {
        name: value.get("edtf") or "",
        f"{name}_earliest": value.get("earliest") or "",
        f"{name}_latest": value.get("latest") or "",
        f"{name}_text": value.get("text") or "",
    }


def _alias(alias: Alias) -> str:
    return _with(alias.name, alias.lang, alias.note)


def _citation(cite: Citation) -> str:
    return _with(cite.source, cite.locator)


def _role(resolve: Resolver, role: Role) -> str:
    return _with(
        role.title,
        resolve.name(role.of) if role.of else None,
        f"from {role.start}" if role.start else None,
        f"until {role.end}" if role.end else None,
    )


def entry_row(resolve: Resolver, kind: str, entity_id: str) -> tuple[Row, set[str]]:
    """One entry's cells, and the names of the columns that hold checked values (ids, dates)."""
    entity = resolve.graph.entity(entity_id)
    row: Row = {"id": entity_id}
    safe = {"id"}
    for name, role in field_roles(kind):
        value = getattr(entity, name)
        if role in ("id", "date_text"):
            continue
        if role == "plain":
            row[name] = _text(value)
        elif role == "date":
            cells = _date_cells(name, value, getattr(entity, f"{name}_text"))
            row.update(cells)
            safe.update(c for c in cells if not c.endswith("_text"))
        elif role == "ref":
            row[name] = value or ""
            row[f"{name}_name"] = resolve.name(value) if value else ""
            safe.add(name)
        elif role == "refs":
            row[name] = SEP.join(value)
            row[f"{name}_names"] = SEP.join(resolve.name(v) for v in value)
            safe.add(name)
        elif role == "text_or_ref":
            row[name] = value or ""
            row[f"{name}_name"] = (resolve.name(value) if resolve.is_ref(value) else value) if value else ""
        elif role == "text_or_refs":
            row[name] = SEP.join(value)
            row[f"{name}_names"] = SEP.join(resolve.name(v) if resolve.is_ref(v) else v for v in value)
        elif role == "aliases":
            row[name] = SEP.join(_alias(a) for a in value)
        elif role == "citations":
            row[name] = SEP.join(_citation(c) for c in value)
        elif role == "claims":
            row[name] = SEP.join(f"{entity_id}#{c.id}" for c in value)
            safe.add(name)
        elif role == "place":
            place: Place | None = value
            row[name] = place.name if place else ""
            row[f"{name}_country"] = place.country or "" if place else ""
            row[f"{name}_country_name"] = resolve.name(place.country) if place and place.country else ""
            safe.add(f"{name}_country")
        elif role == "roles":
            row[name] = SEP.join(_role(resolve, r) for r in value)
        elif role == "native_name":
            native: NativeName | None = value
            row[name] = native.name if native else ""
            row[f"{name}_lang"] = native.lang if native else ""
    row["page"] = page_path(kind, entity_id)
    safe.add("page")
    return row, safe


def claim_row(resolve: Resolver, entity_id: str, claim: Claim) -> tuple[Row, set[str]]:
    cref = f"{entity_id}#{claim.id}"
    row: Row = {
        "entry": entity_id,
        "entry_kind": resolve.graph.kind(entity_id),
        "claim": claim.id,
        "ref": cref,
        "text": claim.text,
        "by": claim.by or "",
        "by_name": resolve.name(claim.by) if claim.by else "",
        "attribution": claim.attribution or "",
        "source": claim.source,
        "source_name": resolve.name(claim.source),
        "locator": claim.locator or "",
        **_date_cells("date", claim.date, claim.date_text),
        "stance": claim.stance,
        "status": claim.status or "",
        "about": SEP.join(claim.about),
        "disputes": SEP.join(claim.disputes),
        "in_dispute_with": SEP.join(resolve.graph.disputes.get(cref, [])),
    }
    safe = {"entry", "entry_kind", "claim", "ref", "by", "source", "date", "date_earliest", "date_latest"}
    safe |= {"stance", "status", "about", "disputes", "in_dispute_with"}
    return row, safe


def _table(rows: list[tuple[Row, set[str]]], header: list[str], bom: bool) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row, safe in rows:
        writer.writerow([row[c] if c in safe else guard(row[c]) for c in header])
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def _header(kind: str) -> list[str]:
    """The columns of a kind, the same whether or not the kind has entries."""
    header = ["id"]
    for name, role in field_roles(kind):
        if role in ("id", "date_text"):
            continue
        header.append(name)
        if role == "date":
            header += [f"{name}_earliest", f"{name}_latest", f"{name}_text"]
        elif role in ("ref", "text_or_ref"):
            header.append(f"{name}_name")
        elif role in ("refs", "text_or_refs"):
            header.append(f"{name}_names")
        elif role == "place":
            header += [f"{name}_country", f"{name}_country_name"]
        elif role == "native_name":
            header.append(f"{name}_lang")
    return [*header, "page"]


CLAIM_COLUMNS = [
    "entry",
    "entry_kind",
    "claim",
    "ref",
    "text",
    "by",
    "by_name",
    "attribution",
    "source",
    "source_name",
    "locator",
    "date",
    "date_earliest",
    "date_latest",
    "date_text",
    "stance",
    "status",
    "about",
    "disputes",
    "in_dispute_with",
]


def csv_files(graph: Graph, *, bom: bool = False) -> dict[str, bytes]:
    """``<kind>.csv`` for every kind and ``claims.csv``."""
    resolve = Resolver(graph)
    files: dict[str, bytes] = {}
    claims: list[tuple[Row, set[str]]] = []
    for kind in KINDS:
        ids = graph.by_kind.get(kind.folder, [])
        rows = [entry_row(resolve, kind.folder, i) for i in ids]
        files[f"{kind.folder}.csv"] = _table(rows, _header(kind.folder), bom)
        for entity_id in ids:
            claims += [claim_row(resolve, entity_id, c) for c in graph.entity(entity_id).claims]
    files[CLAIMS_FILE] = _table(claims, CLAIM_COLUMNS, bom)
    return files
