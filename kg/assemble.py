"""Turn a de-duplicated paper and its resolved mentions into nodes and edges of the graph."""

from __future__ import annotations

from kg.extract import Extraction
from kg.graph import KnowledgeGraph
from kg.model import Mention
from kg.resolve.papers import MergedPaper
from kg.schema import DERIVED_FROM, PAPER


def add_paper(graph: KnowledgeGraph, paper: MergedPaper, extraction: Extraction) -> None:
    """Add the paper node, every mentioned node, and the edges with their provenance."""
    paper_id = paper.id
    graph.add_node(
        paper_id,
        PAPER,
        paper.title,
        title=paper.title,
        abstract=paper.abstract,
        arxiv_id=paper.arxiv_id,
        published=paper.published,
        url=paper.url,
        authors=paper.authors,
        project_url=extraction.project_url,
        links=extraction.links,
        sources=paper.sources,
    )
    for mention in extraction.mentions:
        add_mention(graph, paper_id, mention, paper.source_of(mention.evidence))


def add_mention(graph: KnowledgeGraph, paper_id: str, mention: Mention, source: str) -> None:
    """The mentioned node and the edge to it from the paper (from the derived model, for
    DERIVED_FROM), read from `source`."""
    graph.add_node(mention.id, mention.label, mention.name, **mention.node)
    start = (mention.start if is_lineage(mention) else None) or paper_id
    graph.add_edge(start, mention.id, mention.relation, evidence=mention.evidence, confidence=mention.confidence,
                   extractor=mention.extractor, source=source, text=mention.text, **mention.props)


def is_lineage(mention: Mention) -> bool:
    """Whether the mention's relationship starts at a derived model rather than at the paper."""
    return mention.relation == DERIVED_FROM and bool(mention.start)
