"""Shared JSON reading for the JSON-based readers: whole documents with clear errors."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from kg.model import Location, Record, Reject
from kg.sources.files import InputError, InputFile, decode
from kg.text import printable

# what can put a character `printable` removes into a JSON string: an escape of a control
# character, a surrogate or U+FFFE/U+FFFF, or DEL, U+FFFE or U+FFFF written as is (searched for
# apart: a pattern that starts with a literal is searched for much faster)
_UNPRINTABLE_ESCAPE = re.compile(r"\\u(?:00[01]|007[fF]|[dD][89a-fA-F]|[fF]{3}[eEfF])")
_UNPRINTABLE = "\x7f\ufffe\uffff"


def parse(text: str) -> Any:
    """One JSON value; what hostile input can make `json.loads` raise becomes an InputError, and
    every string is `printable` (`"\\u0000"` and a lone `"\\ud800"` are valid JSON, but no
    output could hold them: a NUL breaks GraphML, a surrogate any UTF-8 file)."""
    try:
        value = json.loads(text)
        unprintable = _UNPRINTABLE_ESCAPE.search(text) or any(char in text for char in _UNPRINTABLE)
        return _printable(value) if unprintable else value
    except RecursionError as exc:
        raise InputError("JSON nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at column {exc.colno}: {exc.msg}", line=exc.lineno) from exc
    except ValueError as exc:  # int() refuses numbers this long: converting them takes quadratic time
        raise InputError(f"JSON number over {sys.get_int_max_str_digits()} digits") from exc


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable(item) for item in value]
    if isinstance(value, dict):
        return {printable(key): _printable(item) for key, item in value.items()}
    return value


def load_document(source: InputFile) -> Any:
    """Parse the whole file as one JSON document."""
    text = decode(source.raw())
    if not text.strip():
        raise InputError("empty file")
    return parse(text)


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


def read_objects(source: InputFile, to_record: Callable[[dict[str, Any], Location], Record]) -> Iterator[Record]:
    """Every item of a JSON list (or one object) turned into a record; a non-object item is rejected."""
    for index, item in enumerate(as_items(load_document(source))):
        where = Location(source.name, index=index)
        if isinstance(item, dict):
            yield to_record(item, where)
        else:
            yield Reject(where, f"expected an object, found {type(item).__name__}")
