"""Stage 2, validate: loaded documents -> typed records, every error located.

pydantic does the type checking; this module turns its errors into curator-facing
messages at the file, line and column of the offending value.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Diagnostic, closest, did_you_mean
from .load import Document, Loaded, Path_, UnquotedDate, dotted
from .model import MODELS, TRANSFER_ONLY, Common, Event


@dataclass(frozen=True)
class Record:
    """A validated entity with the document it came from (for located errors later)."""

    kind: str
    id: str
    entity: Common
    document: Document


@dataclass
class Validated:
    records: dict[str, Record]
    diagnostics: list[Diagnostic]
    all_ids: dict[str, str]


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, UnquotedDate):
        return f"the unquoted date {value.text}"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _model_at(model: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """The model class that holds the last key of ``loc`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated or origin is list:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


# list items that take a bare string as shorthand for a mapping
SHORTHAND = {
    "aliases": "a name or {name, lang, note}",
    "sources": "a source id or {source, locator, note}",
}


def _as_typed(value: bool | int | float, written: str | None) -> str:
    """A bare YAML value as the curator typed it (``yes``, ``0x1F``), for a quoting hint."""
    return written or (str(value).lower() if isinstance(value, bool) else str(value))


def _message(err: Any, model: type[BaseModel], written: str | None = None) -> tuple[str, bool]:
    """(message, point at the key rather than the value); ``written``: the value as typed."""
    kind = err["type"]
    loc = tuple(err["loc"])
    value = err.get("input")
    if kind == "missing":
        return f"required field '{loc[-1]}' is missing", False
    if kind == "extra_forbidden":
        holder = _model_at(model, loc[:-1])
        fields = list(holder.model_fields) if holder else []
        hint = did_you_mean(str(loc[-1]), fields)
        allowed = f"; allowed: {', '.join(fields)}" if fields and not hint else ""
        return f"unknown field '{loc[-1]}'{hint}{allowed}", True
    if kind in ("string_type", "string_sub_type"):
        if value is None:
            return "is empty; expected text", False
        if isinstance(value, UnquotedDate):
            return f'unquoted date: write it in quotes, "{value.text}"', False
        if isinstance(value, bool | int | float):
            shown = _as_typed(value, written)
            return f'expected text, got {_describe(value)}: put it in quotes, "{shown}"', False
        return f"expected text, got {_describe(value)}", False
    if kind == "list_type":
        return f"expected a list (one '- item' per line), got {_describe(value)}", False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        shorthand = SHORTHAND.get(str(loc[-2])) if len(loc) >= 2 and isinstance(loc[-1], int) else None
        if shorthand is None:
            return f"expected a mapping of fields, got {_describe(value)}", False
        expected = f"expected {shorthand}, got {_describe(value)}"
        if isinstance(value, bool | int | float):
            shown = _as_typed(value, written)
            return f'{expected}: put it in quotes, "{shown}"', False
        return expected, False
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {_describe(value)}", False
    if kind == "too_short":
        return "needs at least one item", False
    if kind in ("value_error", "assertion_error"):
        msg = str(err["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            msg = msg.removeprefix(prefix)
        return msg, False
    return f"{err['msg']} (got {_describe(value)})", False


def _without_misspelt_missing(errs: list[Any], model: type[BaseModel]) -> list[Any]:
    """Drop "'x' is missing" when an unknown field beside it is a near miss of 'x' (said there)."""
    misspelt: set[Path_] = set()
    for err in errs:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            holder = _model_at(model, loc[:-1])
            name = closest(str(loc[-1]), holder.model_fields if holder else [])
            if name:
                misspelt.add((*loc[:-1], name))
    return [e for e in errs if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)]


def _located(doc: Document, err: Any, model: type[BaseModel]) -> Diagnostic:
    loc: Path_ = tuple(err["loc"])
    message, at_key = _message(err, model, doc.texts.get(loc))
    pos = doc.pos(loc[:-1], key=True) if err["type"] == "missing" else doc.pos(loc, key=at_key)
    return Diagnostic(doc.display, pos.line, pos.column, dotted(loc), message)


def _extra_checks(doc: Document, entity: Common) -> Iterator[Diagnostic]:
    if entity.id is not None and entity.id != doc.id:
        pos = doc.pos(("id",))
        yield Diagnostic(
            doc.display,
            pos.line,
            pos.column,
            "id",
            f"id '{entity.id}' differs from the file name '{doc.id}'; the id is the file name "
            "(remove the field or rename the file)",
        )
    if isinstance(entity, Event) and entity.type != "transfer":
        for name in TRANSFER_ONLY:
            if name in entity.model_fields_set:
                pos = doc.pos((name,), key=True)
                yield Diagnostic(
                    doc.display,
                    pos.line,
                    pos.column,
                    name,
                    f"only events of type 'transfer' have '{name}' (this one is '{entity.type}')",
                )
    seen: dict[str, int] = {}
    for i, claim in enumerate(entity.claims):
        if claim.id in seen:
            pos = doc.pos(("claims", i, "id"))
            yield Diagnostic(
                doc.display,
                pos.line,
                pos.column,
                f"claims[{i}].id",
                f"claim id '{claim.id}' is already used by claims[{seen[claim.id]}] in this file",
            )
        seen.setdefault(claim.id, i)


def validate(loaded: Loaded) -> Validated:
    """Validate every loaded document; collect all errors rather than stopping at the first."""
    records: dict[str, Record] = {}
    diagnostics = list(loaded.diagnostics)
    for doc in loaded.documents:
        model = MODELS[doc.kind]
        try:
            entity = model.model_validate(doc.data)
        except ValidationError as exc:
            errs = _without_misspelt_missing(exc.errors(include_url=False), model)
            diagnostics.extend(_located(doc, err, model) for err in errs)
            continue
        problems = list(_extra_checks(doc, entity))
        if problems:
            diagnostics.extend(problems)
            continue
        records[doc.id] = Record(doc.kind, doc.id, entity, doc)
    return Validated(records, diagnostics, loaded.all_ids)
