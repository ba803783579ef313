"""JSON Schema of the content format, generated from the model, for editors."""

from __future__ import annotations

from typing import Any

from .model import MODELS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def kind_schema(kind: str) -> dict[str, Any]:
    """Schema of one kind's files (``content/<kind>/*.yaml``)."""
    schema = MODELS[kind].model_json_schema()
    schema["$schema"] = SCHEMA_DIALECT
    schema["title"] = f"factsheet {kind} entry"
    return schema


def full_schema() -> dict[str, Any]:
    """One document with every kind under ``$defs``; a file is any one kind."""
    defs: dict[str, Any] = {}
    refs = []
    for kind in MODELS:
        schema = kind_schema(kind)
        for name, sub in schema.pop("$defs", {}).items():
            defs[name] = sub
        schema.pop("$schema", None)
        defs[kind] = schema
        refs.append({"$ref": f"#/$defs/{kind}"})
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "factsheet content entry",
        "anyOf": refs,
        "$defs": defs,
    }
