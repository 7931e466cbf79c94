"""Minting IRIs: node and statement IRIs under a configurable base, percent-encoded and stable,
and URLs from the input made safe to use as IRIs."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from kg.rdf.vocab import DEFAULT_BASE, PREFIXES
from kg.schema import ID_PREFIX

# characters N-Triples/Turtle forbid in an IRIREF (RDF 1.1): controls, space, <>"{}|^`\
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SAFE_SEGMENT = "-._~:"
CACHE_SIZE = 1 << 16
"""Rendered IRIs a cache keeps at most: plenty for the vocabulary and the nodes many edges point
at; a full cache starts again, so memory stays flat however many nodes the graph has."""


class IriError(ValueError):
    """A base IRI that cannot mint valid IRIs."""


def safe_iri(url: str) -> str:
    """An input URL as a valid IRI: forbidden characters percent-encoded (as UTF-8), rest kept."""
    if not _IRI_FORBIDDEN.search(url):
        return url
    return _IRI_FORBIDDEN.sub(lambda m: quote(m.group(), safe="", errors="surrogatepass"), url)


def store(cache: dict[str, str], key: str, value: str) -> str:
    """Keep `value` for `key` in a cache of at most CACHE_SIZE entries (emptied when full); returns it."""
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


def is_absolute(url: str) -> bool:
    """Whether `url` starts with a scheme (`https:`, `mailto:`, ...)."""
    return bool(_SCHEME.match(url))


def check_base(base: str) -> str:
    """Return `base` if it is an absolute IRI ending in `/` or `#` with no forbidden characters."""
    if not is_absolute(base) or not base.endswith(("/", "#")) or _IRI_FORBIDDEN.search(base):
        raise IriError(f"base IRI must be absolute, end in '/' or '#' and contain no spaces or <>\"{{}}|^`\\: {base!r}")
    return base


def arxiv_iri(arxiv_id: str) -> str:
    """https://arxiv.org/abs/<id>; old-style ids keep their slash (hep-th/9901001)."""
    return "https://arxiv.org/abs/" + quote(arxiv_id.strip(), safe="/.-_~", errors="surrogatepass")


class Minter:
    """Mints IRIs under one base: `<base><prefix>/<rest>` for a node id `<prefix>:<rest>`
    (each part percent-encoded, so distinct ids give distinct IRIs) and a hashed IRI per statement."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)
        self._cache: dict[str, str] = {}

    def node(self, node_id: str) -> str:
        return self._cache.get(node_id) or store(self._cache, node_id, self._node(node_id))

    def _node(self, node_id: str) -> str:
        prefix, _, rest = node_id.partition(":")
        return f"{self.base}{_encode(prefix, '')}/{_encode(rest, _SAFE_SEGMENT)}"

    def statement(self, start: str, rel: str, end: str) -> str:
        """A stable IRI for the reified edge; an edge is unique per (start, type, end)."""
        digest = hashlib.sha256(f"{start}\x00{rel}\x00{end}".encode("utf-8", "surrogatepass")).hexdigest()
        return f"{self.base}{STATEMENT}/{digest[:32]}"


STATEMENT = "statement"
"""The path segment under the base of every statement IRI."""


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes RDF output binds: the vocabularies, `id:` for the base, and one per kind of node
    IRI the base holds (`paper:`, `model:`, ..., `statement:`), so `<base>model/llama-2` is written
    `model:llama-2`."""
    base = check_base(base)
    kinds = [prefix.rstrip(":") for prefix in ID_PREFIX.values()] + [STATEMENT]
    return {**PREFIXES, "id": base, **{kind: f"{base}{kind}/" for kind in kinds}}


def _encode(text: str, safe: str) -> str:
    return quote(text, safe=safe, errors="surrogatepass")
