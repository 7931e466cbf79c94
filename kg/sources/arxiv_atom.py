"""arXiv API Atom feeds, parsed with defusedxml (no DTDs, entities or external references)."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from kg.model import Location, Paper, Record, Reject
from kg.sources.arxiv_ids import normalise_arxiv_id
from kg.sources.files import InputError, InputFile
from kg.sources.limits import usable_title
from kg.text import clean

NAME = "arxiv-atom"
NS = {"atom": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


def read(source: InputFile) -> Iterator[Record]:
    try:
        root = SafeET.fromstring(source.raw(), forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise InputError(f"unsafe XML refused ({type(exc).__name__}: DTDs and entities are not allowed)") from exc
    except (ParseError, LookupError, ValueError) as exc:  # the last two: a declared encoding expat cannot use
        raise InputError(f"malformed XML: {exc}") from exc
    if root.tag != f"{{{NS['atom']}}}feed":
        raise InputError(f"not an Atom feed (root element {root.tag})")
    for index, entry in enumerate(root.findall("atom:entry", NS)):
        yield to_paper(entry, Location(source.name, index=index))


def _raw(entry: Element, path: str) -> str:
    node = entry.find(path, NS)
    return (node.text or "") if node is not None else ""


def _text(entry: Element, path: str) -> str:
    return clean(_raw(entry, path))


def to_paper(entry: Element, where: Location) -> Paper | Reject:
    raw_id = _text(entry, "atom:id")
    if "arxiv.org/api/errors" in raw_id:
        return Reject(where, f"arXiv API error: {_text(entry, 'atom:summary') or raw_id}")
    abstract, comment = _raw(entry, "atom:summary"), _raw(entry, "arxiv:comment")
    title, problem = usable_title(_raw(entry, "atom:title"), abstract, comment)
    if problem:
        return Reject(where, "entry without a title" if problem == "no title" else problem)
    abstract, comment = clean(abstract), clean(comment)
    arxiv_id = normalise_arxiv_id(raw_id)
    published = _text(entry, "atom:published")
    return Paper(
        title=title,
        abstract=abstract,
        arxiv_id=arxiv_id,
        published=published[:10] or None,
        authors=[clean(n.text) for n in entry.findall("atom:author/atom:name", NS) if n.text],
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else (raw_id or None),
        texts=[comment] if comment else [],
        location=where,
    )
