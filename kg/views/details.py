"""What a view tells about a node or an edge (tooltips, detail panels, page headers), as plain
data: text stays text, and only http(s) URLs ever become links."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from kg.schema import PAPER
from kg.text import clean

ABSTRACT_EXCERPT = 320
MAX_AUTHORS = 6
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f\"'<>\\`]")


@dataclass(frozen=True)
class Link:
    """An outbound link: visible text and an http(s) address."""

    text: str
    href: str


def safe_url(url: object) -> str | None:
    """`url` when it is an absolute http(s) URL with a host, else None (`javascript:` and the like)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _UNSAFE_URL_CHARS.search(url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def excerpt(text: str | None, limit: int = ABSTRACT_EXCERPT) -> str:
    """The first `limit` characters of `text`, cleaned, cut at a word, with an ellipsis when shortened."""
    return shorten(clean(text), limit)


def shorten(text: str, limit: int) -> str:
    """The first `limit` characters of a clean `text`, cut at a word, with an ellipsis when shortened."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def node_links(data: dict[str, Any]) -> list[Link]:
    """The outbound links of a node: arXiv page, paper page, project page, repository, other links."""
    candidates: list[tuple[str, object]] = []
    if data.get("arxiv_id"):
        candidates.append(("arXiv", f"https://arxiv.org/abs/{quote(str(data['arxiv_id']), safe='./')}"))
    label = "repository" if data.get("label") != PAPER else "paper page"
    candidates += [(label, data.get("url")), ("project page", data.get("project_url"))]
    candidates += [(urlsplit(url).netloc or "link", url) for url in data.get("links", []) if isinstance(url, str)]
    links, seen = [], set()
    for text, url in candidates:
        href = safe_url(url)
        if href and href not in seen:
            seen.add(href)
            links.append(Link(text, href))
    return links


def authors(data: dict[str, Any]) -> str:
    """Authors as one line, shortened with "et al." past a few names."""
    names = [clean(a) for a in data.get("authors", [])]
    return ", ".join(names[:MAX_AUTHORS]) + (" et al." if len(names) > MAX_AUTHORS else "")


def node_info(node_id: str, data: dict[str, Any], papers: int) -> dict[str, Any]:
    """Tooltip and detail-panel data of a node; `papers` is how many papers it is linked with."""
    info: dict[str, Any] = {"id": node_id, "name": clean(data.get("name")) or node_id, "label": data.get("label", ""),
                            "aliases": [clean(a) for a in data.get("aliases", [])][:8],
                            "links": [asdict(link) for link in node_links(data)]}
    if data.get("label") == PAPER:
        info.update(title=clean(data.get("title")), published=clean(str(data.get("published") or "")),
                    authors=authors(data), abstract=excerpt(data.get("abstract")))
    else:
        info["papers"] = papers
    return info


def edge_info(rel: str, data: dict[str, Any]) -> dict[str, Any]:
    """Tooltip data of an edge: type, evidence sentence, confidence, how often it was read."""
    info = {"type": rel, "evidence": excerpt(data.get("evidence"), 600), "confidence": data.get("confidence"),
            "count": data.get("count", 1), "source": clean(str(data.get("source") or ""))}
    for extra in ("role", "how"):
        if data.get(extra):
            info[extra] = clean(str(data[extra]))
    return info
