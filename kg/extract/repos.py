"""HAS_CODE: code repositories named in a paper's text or given by its source's metadata."""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.document import Document
from kg.extract.links import EXTRACTOR, RepoRef, find_links, parse_repo
from kg.model import Mention
from kg.schema import HAS_CODE, REPOSITORY

METADATA_EXTRACTOR = "metadata/1"


def repository_mention(repo: RepoRef, evidence: str, confidence: float, extractor: str) -> Mention:
    return Mention(
        label=REPOSITORY,
        id=repo.id,
        name=f"{repo.owner}/{repo.name}",
        text=repo.text or repo.url,
        relation=HAS_CODE,
        evidence=evidence,
        confidence=confidence,
        extractor=extractor,
        node={"url": repo.url, "host": repo.host, "owner": repo.owner},
    )


def extract(doc: Document) -> Iterator[Mention]:
    seen: set[str] = set()
    for url in doc.metadata_code_urls:
        repo = parse_repo(url)
        if repo and repo.id not in seen:
            seen.add(repo.id)
            yield repository_mention(repo, f"code repository given by the source: {url}", 1.0, METADATA_EXTRACTOR)
    for repo in find_links(doc.text, doc.lowered).repos:
        if repo.id not in seen:
            seen.add(repo.id)
            yield repository_mention(repo, doc.sentence_at(doc.text.find(repo.text)).text, 0.95, EXTRACTOR)
