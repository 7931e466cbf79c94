"""Shared JSON reading for the JSON-based readers: whole documents with clear errors."""

from __future__ import annotations

import json
from typing import Any

from kg.sources.files import InputError, InputFile, decode


def load_document(source: InputFile) -> Any:
    """Parse the whole file as one JSON document."""
    text = decode(source.raw())
    if not text.strip():
        raise InputError("empty file")
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise InputError("JSON nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at column {exc.colno}: {exc.msg}", line=exc.lineno) from exc


def as_items(document: Any) -> list[Any]:
    """A JSON list as items; one object as a list of one."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        return [document]
    raise InputError(f"expected a JSON list or object, found {type(document).__name__}")


def text_field(item: dict[str, Any], *keys: str) -> str | None:
    """The first of `keys` holding a non-empty string."""
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def author_names(value: Any) -> list[str]:
    """Authors given as a list of names, a list of {"name"} objects, or one comma/`and` string."""
    if isinstance(value, str):
        parts = value.replace(" and ", ", ").split(",")
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, list):
        names = []
        for entry in value:
            if isinstance(entry, str) and entry.strip():
                names.append(entry.strip())
            elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
                names.append(entry["name"].strip())
        return names
    return []
