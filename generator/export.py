"""Exports of the checked content for other tools: JSON (with its JSON Schema), CSV and
FollowTheMoney entities (JSON lines).

Every export is computed in memory from the linked :class:`~generator.link.Graph` as a
mapping of file name -> bytes; the CLI writes it with :func:`generator.write.write_files`.
Outputs are deterministic: the same content gives the same bytes (no timestamps), so a
second run changes no file.

This module holds the JSON export and what the three formats share: how each model field
is read (:data:`FIELD_ROLES`), references as ``{id, kind, name}`` and dates as EDTF with
their earliest and latest ISO bounds. ``export_csv`` and ``export_ftm`` hold the other two.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

from .dates import MAX_KEY, MIN_KEY, EdtfInterval, parse_edtf
from .link import RELATIONS, Graph
from .model import (
    KINDS,
    MODELS,
    Alias,
    Citation,
    Claim,
    Common,
    NativeName,
    Place,
    Role,
    is_reference,
)

FORMATS = ("json", "csv", "ftm")
JSON_FILE = "export.json"
SCHEMA_FILE = "export.schema.json"
EXPORT_FORMAT = "factsheet-export"
EXPORT_VERSION = 1

FieldRole = Literal[
    "id",
    "plain",
    "date",
    "date_text",
    "ref",
    "refs",
    "text_or_ref",
    "text_or_refs",
    "aliases",
    "citations",
    "claims",
    "place",
    "roles",
    "native_name",
]

FIELD_ROLES: dict[str, FieldRole] = {
    "id": "id",
    "name": "plain",
    "summary": "plain",
    "body": "plain",
    "notes": "plain",
    "tags": "plain",
    "type": "plain",
    "status": "plain",
    "url": "plain",
    "reliability": "plain",
    "outcomes": "plain",
    "measures": "plain",
    "items": "plain",
    "reason": "plain",
    "aliases": "aliases",
    "claims": "claims",
    "sources": "citations",
    "reviewed": "date",
    "published": "date",
    "retrieved": "date",
    "date": "date",
    "reviewed_text": "date_text",
    "published_text": "date_text",
    "retrieved_text": "date_text",
    "date_text": "date_text",
    "publisher": "text_or_ref",
    "legal_basis": "text_or_refs",
    "country": "ref",
    "host": "ref",
    "supplier": "ref",
    "recipient": "ref",
    "participants": "refs",
    "follows": "refs",
    "imposed_by": "refs",
    "targets": "refs",
    "actors": "refs",
    "roles": "roles",
    "native_name": "native_name",
    "place": "place",
}
"""How each field of the content model is exported. A field missing here is an error (a
test reads every model's fields), so a new field cannot be left out of the exports unseen."""


_FIRST = {"id": 0, "name": 1, "summary": 2, "type": 3}


def field_roles(kind: str) -> list[tuple[str, FieldRole]]:
    """The fields of ``kind``, each with its role: ``name`` and ``summary`` first, then the
    others in the model's order."""
    out: list[tuple[str, FieldRole]] = []
    names = list(MODELS[kind].model_fields)
    for name in sorted(names, key=lambda n: (_FIRST.get(n, len(_FIRST)), names.index(n))):
        role = FIELD_ROLES.get(name)
        if role is None:
            raise ValueError(f"the export does not know the field '{name}' of {kind}: add it to FIELD_ROLES")
        out.append((name, role))
    return out


def page_path(kind: str, entity_id: str) -> str:
    """The entry's page on the site, relative to the site's root."""
    return f"{kind}/{entity_id}/"


# ---------------------------------------------------------------- dates


def iso_bound(key: tuple[int, int, int, int]) -> str | None:
    """``(year, month, day, _)`` as an ISO 8601 day; None for an open or unknown end."""
    if key in (MIN_KEY, MAX_KEY):
        return None
    year, month, day, _ = key
    sign = "" if 0 <= year <= 9999 else "-" if year < 0 else "+"  # ISO 8601 expanded years
    return f"{sign}{abs(year):04d}-{month:02d}-{day:02d}"


def date_value(edtf: str | None, text: str | None = None) -> dict[str, Any] | None:
    """A date as exported: the EDTF as written, its bounds, its qualifiers, the source's words."""
    if edtf is None and text is None:
        return None
    if edtf is None:
        return {
            "edtf": None,
            "display": None,
            "earliest": None,
            "latest": None,
            "approximate": False,
            "uncertain": False,
            "text": text,
        }
    parsed = parse_edtf(edtf)
    ends = [parsed.start, parsed.end] if isinstance(parsed, EdtfInterval) else [parsed]
    return {
        "edtf": edtf,
        "display": parsed.display(),
        "earliest": iso_bound(parsed.earliest),
        "latest": iso_bound(parsed.latest),
        "approximate": any(end is not None and end.approximate for end in ends),
        "uncertain": any(end is not None and end.uncertain for end in ends),
        "text": text,
    }


# ---------------------------------------------------------------- references


class Resolver:
    """References resolved against the graph: ``{id, kind, name}``."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def ref(self, entity_id: str | None) -> dict[str, str] | None:
        if entity_id is None:
            return None
        return {
            "id": entity_id,
            "kind": self.graph.kind(entity_id),
            "name": self.graph.entity(entity_id).name,
        }

    def refs(self, ids: list[str]) -> list[dict[str, str]]:
        return [{"id": i, "kind": self.graph.kind(i), "name": self.graph.entity(i).name} for i in ids]

    def is_ref(self, value: str) -> bool:
        return is_reference(value, self.graph.records)

    def text_or_ref(self, value: str | None) -> dict[str, str] | None:
        if value is None:
            return None
        return self.ref(value) if self.is_ref(value) else {"text": value}

    def name(self, entity_id: str) -> str:
        return self.graph.entity(entity_id).name

    def claim_link(self, cref: str) -> dict[str, Any]:
        node = self.graph.claims[cref]
        return {
            "ref": cref,
            "entry": self.ref(node.entity_id),
            "claim": node.claim.id,
            "text": node.claim.text,
        }

    def claim(self, entity_id: str, claim: Claim) -> dict[str, Any]:
        cref = f"{entity_id}#{claim.id}"
        return {
            "id": claim.id,
            "ref": cref,
            "text": claim.text,
            "by": self.ref(claim.by),
            "attribution": claim.attribution,
            "source": self.ref(claim.source),
            "locator": claim.locator,
            "date": date_value(claim.date, claim.date_text),
            "stance": claim.stance,
            "status": claim.status,
            "about": self.refs(claim.about),
            "disputes": [self.claim_link(c) for c in claim.disputes],
            "in_dispute_with": [self.claim_link(c) for c in self.graph.disputes.get(cref, [])],
        }


def alias_value(alias: Alias) -> dict[str, Any]:
    return {"name": alias.name, "lang": alias.lang, "note": alias.note}


def citation_value(resolve: Resolver, cite: Citation) -> dict[str, Any]:
    return {"source": resolve.ref(cite.source), "locator": cite.locator, "note": cite.note}


def place_value(resolve: Resolver, place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {"name": place.name, "country": resolve.ref(place.country)}


def role_value(resolve: Resolver, role: Role) -> dict[str, Any]:
    return {
        "title": role.title,
        "of": resolve.ref(role.of),
        "start": date_value(role.start, role.start_text),
        "end": date_value(role.end, role.end_text),
    }


def native_name_value(native: NativeName | None) -> dict[str, Any] | None:
    return None if native is None else {"name": native.name, "lang": native.lang}


# ---------------------------------------------------------------- JSON


def entry_value(resolve: Resolver, kind: str, entity_id: str) -> dict[str, Any]:
    """One entry as exported: every field, references resolved, reverse relations added."""
    entity = resolve.graph.entity(entity_id)
    out: dict[str, Any] = {"id": entity_id, "kind": kind, "path": page_path(kind, entity_id)}
    for name, role in field_roles(kind):
        value = getattr(entity, name)
        if role in ("id", "date_text"):
            continue
        if role == "plain":
            out[name] = list(value) if isinstance(value, list) else value
        elif role == "date":
            out[name] = date_value(value, getattr(entity, f"{name}_text"))
        elif role == "ref":
            out[name] = resolve.ref(value)
        elif role == "refs":
            out[name] = resolve.refs(value)
        elif role == "text_or_ref":
            out[name] = resolve.text_or_ref(value)
        elif role == "text_or_refs":
            out[name] = [resolve.text_or_ref(v) for v in value]
        elif role == "aliases":
            out[name] = [alias_value(a) for a in value]
        elif role == "citations":
            out[name] = [citation_value(resolve, c) for c in value]
        elif role == "claims":
            out[name] = [resolve.claim(entity_id, c) for c in value]
        elif role == "place":
            out[name] = place_value(resolve, value)
        elif role == "roles":
            out[name] = [role_value(resolve, r) for r in value]
        elif role == "native_name":
            out[name] = native_name_value(value)
    backlinks = resolve.graph.backlinks.get(entity_id, {})
    out["relations"] = {rel: resolve.refs(backlinks[rel]) for rel in RELATIONS if backlinks.get(rel)}
    return out


def entries_in_order(graph: Graph) -> Iterator[tuple[str, str]]:
    """(kind, id) of every entry: kinds in the order of the site, each in timeline order."""
    for kind in KINDS:
        for entity_id in graph.by_kind.get(kind.folder, []):
            yield kind.folder, entity_id


def json_export(graph: Graph, title: str = "") -> dict[str, Any]:
    resolve = Resolver(graph)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "title": title,
        "counts": graph.counts(),
        "relations": dict(RELATIONS),
        "entries": [entry_value(resolve, kind, entity_id) for kind, entity_id in entries_in_order(graph)],
    }


def _dumps(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def json_files(graph: Graph, title: str = "") -> dict[str, bytes]:
    """``export.json`` and, beside it, ``export.schema.json``."""
    return {JSON_FILE: _dumps(json_export(graph, title)), SCHEMA_FILE: _dumps(export_schema())}


# ---------------------------------------------------------------- JSON Schema of the export

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        out["description"] = description
    return out


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def _clean_plain(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("title", "default")}


def _defs() -> dict[str, Any]:
    from .model import ID_PATTERN

    ref = {"$ref": "#/$defs/ref"}
    date = {"$ref": "#/$defs/date"}
    iso = {"type": ["string", "null"], "pattern": r"^[+-]?\d{4,}-\d{2}-\d{2}$"}
    claim_link = _obj(
        {"ref": _STR, "entry": ref, "claim": _STR, "text": _STR}, "a claim, by its reference and text"
    )
    return {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "ref": _obj(
            {"id": {"$ref": "#/$defs/id"}, "kind": {"enum": [k.folder for k in KINDS]}, "name": _STR},
            "a reference to another entry, resolved",
        ),
        "textOrRef": {
            "oneOf": [ref, _obj({"text": _STR}, "free text (not an entry)")],
            "description": "a value that is either an entry (resolved) or free text",
        },
        "date": _obj(
            {
                "edtf": {**_NSTR, "description": "the date as the curator wrote it (EDTF level 0/1)"},
                "display": {**_NSTR, "description": "the date as the site shows it"},
                "earliest": {**iso, "description": "earliest possible day (null: open or unknown)"},
                "latest": {**iso, "description": "latest possible day (null: open or unknown)"},
                "approximate": {"type": "boolean", "description": "EDTF ~ or %"},
                "uncertain": {"type": "boolean", "description": "EDTF ? or %"},
                "text": {**_NSTR, "description": "the source's own words for the date"},
            },
            "a date at its own precision",
        ),
        "alias": _obj({"name": _STR, "lang": _NSTR, "note": _NSTR}),
        "citation": _obj({"source": ref, "locator": _NSTR, "note": _NSTR}),
        "place": _obj({"name": _STR, "country": _nullable(ref)}),
        "role": _obj({"title": _STR, "of": _nullable(ref), "start": _nullable(date), "end": _nullable(date)}),
        "nativeName": _obj({"name": _STR, "lang": _STR}),
        "claimLink": claim_link,
        "claim": _obj(
            {
                "id": _STR,
                "ref": _STR,
                "text": _STR,
                "by": _nullable(ref),
                "attribution": _NSTR,
                "source": ref,
                "locator": _NSTR,
                "date": _nullable(date),
                "stance": {"enum": ["asserts", "denies"]},
                "status": {"enum": ["reported", "confirmed", "disputed", "retracted", None]},
                "about": _array(ref),
                "disputes": {**_array({"$ref": "#/$defs/claimLink"}), "description": "as written"},
                "in_dispute_with": {
                    **_array({"$ref": "#/$defs/claimLink"}),
                    "description": "every claim in dispute with this one, either side",
                },
            }
        ),
        "relations": {
            "type": "object",
            "properties": {name: {**_array(ref), "description": text} for name, text in RELATIONS.items()},
            "additionalProperties": False,
        },
    }


_ROLE_SCHEMAS: dict[FieldRole, dict[str, Any]] = {
    "date": _nullable({"$ref": "#/$defs/date"}),
    "ref": _nullable({"$ref": "#/$defs/ref"}),
    "refs": _array({"$ref": "#/$defs/ref"}),
    "text_or_ref": _nullable({"$ref": "#/$defs/textOrRef"}),
    "text_or_refs": _array({"$ref": "#/$defs/textOrRef"}),
    "aliases": _array({"$ref": "#/$defs/alias"}),
    "citations": _array({"$ref": "#/$defs/citation"}),
    "claims": _array({"$ref": "#/$defs/claim"}),
    "place": _nullable({"$ref": "#/$defs/place"}),
    "roles": _array({"$ref": "#/$defs/role"}),
    "native_name": _nullable({"$ref": "#/$defs/nativeName"}),
}


def entry_schema(kind: str) -> dict[str, Any]:
    model: type[Common] = MODELS[kind]
    plain = model.model_json_schema()["properties"]
    properties: dict[str, Any] = {
        "id": {"$ref": "#/$defs/id"},
        "kind": {"const": kind},
        "path": {"type": "string", "description": "the entry's page, relative to the site's root"},
    }
    for name, role in field_roles(kind):
        if role in ("id", "date_text"):
            continue
        properties[name] = _clean_plain(plain[name]) if role == "plain" else _ROLE_SCHEMAS[role]
    properties["relations"] = {
        "$ref": "#/$defs/relations",
        "description": "reverse relations: the entries pointing at this one, by relation",
    }
    return _obj(properties, f"an entry of content/{kind}/")


def export_schema() -> dict[str, Any]:
    """The JSON Schema of ``export.json``."""
    defs = _defs()
    for kind in KINDS:
        defs[kind.folder] = entry_schema(kind.folder)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "factsheet JSON export",
        "description": (
            "Every entry of a factsheet briefing with its references resolved, its reverse "
            "relations, its claims and their disputes, and dates as EDTF with ISO bounds. "
            "Text fields hold the curator's Markdown as written: treat it as untrusted text."
        ),
        "type": "object",
        "properties": {
            "format": {"const": EXPORT_FORMAT},
            "version": {"const": EXPORT_VERSION},
            "title": _STR,
            "counts": {
                "type": "object",
                "properties": {k.folder: {"type": "integer", "minimum": 0} for k in KINDS},
                "required": [k.folder for k in KINDS],
                "additionalProperties": False,
            },
            "relations": {
                "type": "object",
                "description": "each reverse relation and the field that declares it",
                "additionalProperties": _STR,
            },
            "entries": _array({"oneOf": [{"$ref": f"#/$defs/{k.folder}"} for k in KINDS]}),
        },
        "required": ["format", "version", "title", "counts", "relations", "entries"],
        "additionalProperties": False,
        "$defs": defs,
    }


# ---------------------------------------------------------------- on the site

DOWNLOADS = "downloads"
"""Folder of the site holding the JSON export and the schemas (plugin option ``downloads``)."""


def site_downloads(graph: Graph, title: str = "") -> dict[str, bytes]:
    """The files the site offers for download: ``downloads/export.json`` with
    ``export.schema.json``, and the content format's schemas (``downloads/schema/``: one per
    kind, as ``factsheet schema --out`` writes them, and ``content.schema.json`` for all)."""
    from .schema import full_schema, kind_schema

    files = {f"{DOWNLOADS}/{name}": data for name, data in json_files(graph, title).items()}
    for kind in KINDS:
        files[f"{DOWNLOADS}/schema/{kind.folder}.schema.json"] = _dumps(kind_schema(kind.folder))
    files[f"{DOWNLOADS}/schema/content.schema.json"] = _dumps(full_schema())
    return files


# ---------------------------------------------------------------- all formats


def export_files(graph: Graph, fmt: str, *, title: str = "", bom: bool = False) -> dict[str, bytes]:
    """The files of one export format (file name -> bytes)."""
    if fmt == "json":
        return json_files(graph, title)
    if fmt == "csv":
        from .export_csv import csv_files

        return csv_files(graph, bom=bom)
    if fmt == "ftm":
        from .export_ftm import ftm_files

        return ftm_files(graph)
    raise ValueError(f"unknown export format {fmt!r}")
