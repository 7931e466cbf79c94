"""Small real graphs for the RDF tests: every label and relationship type with dates, arXiv ids and
lineage; names and ids that try to break IRIs and literals; and a graph with broken provenance."""

from __future__ import annotations

from kg.graph import KnowledgeGraph

HOSTILE = (
    "name with spaces",
    "<angle> brackets",
    'say "quotes" and \\backslash',
    "naïve Ünïcødé 模型 😀",
    "}) DETACH DELETE n //",
    "line\nbreak\rcarriage\ttab\bbell\x07null\x00del\x7f",
    "percent %41 and #hash ?query &amp",
    "lone \ud800 surrogate",
)


def edge(graph: KnowledgeGraph, start: str, end: str, rel: str, evidence: str | None = None, confidence: float = 0.9,
         **props: object) -> None:
    graph.add_edge(start, end, rel, evidence=f"{start} {rel} {end}." if evidence is None else evidence,
                   confidence=confidence, extractor="test/1", source="tests/rdf_support.py:1", **props)


def small_graph() -> KnowledgeGraph:
    """Every label and relationship type: a LLaMA lineage two levels deep with a diamond (Vicuna from
    LLaMA and from Alpaca), dated and undated papers, papers with and without code."""
    graph = KnowledgeGraph()
    for node_id, name, family in (("model:llama", "LLaMA", "LLaMA"), ("model:llama-2", "Llama 2", "LLaMA"),
                                  ("model:alpaca", "Alpaca", ""), ("model:vicuna", "Vicuna", ""),
                                  ("model:alpaca-lora", "Alpaca-LoRA", ""), ("model:bert", "BERT", "BERT")):
        graph.add_node(node_id, "Model", name, family=family or None, kind="language")
    for node_id, name in (("dataset:mmlu", "MMLU"), ("dataset:alpaca-data", "Alpaca data"), ("dataset:gsm8k", "GSM8K")):
        graph.add_node(node_id, "Dataset", name, kind="benchmark")
    for node_id, name in (("method:lora", "LoRA"), ("method:rlhf", "RLHF"),
                          ("method:instruction-tuning", "instruction tuning")):
        graph.add_node(node_id, "Method", name, aliases=[name.upper()])
    papers = (
        ("paper:arxiv:2302.13971", "LLaMA: Open and Efficient Foundation Language Models", "2302.13971", "2023-02-27"),
        ("paper:arxiv:2303.16199", "Alpaca-LoRA: cheap instruction following", "2303.16199", "2023-03-28"),
        ("paper:arxiv:2306.05685", "Judging LLM-as-a-judge with Vicuna", "2306.05685", "2023-06-09"),
        ("paper:old-style", "An old paper", "hep-th/9901001", "1999-01"),
        ("paper:no-arxiv", "A paper without an arXiv id", None, None),
    )
    for node_id, title, arxiv_id, published in papers:
        graph.add_node(node_id, "Paper", title, title=title, abstract=f"Abstract of {title}.", arxiv_id=arxiv_id,
                       published=published, authors=["A. Author", "B. Author"], sources=["tests/rdf_support.py:1"],
                       url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None)
    graph.add_node("repo:github.com/tloen/alpaca-lora", "Repository", "tloen/alpaca-lora",
                   url="https://github.com/tloen/alpaca-lora", host="github.com", owner="tloen")
    edge(graph, "paper:arxiv:2302.13971", "model:llama", "INTRODUCES")
    edge(graph, "paper:arxiv:2303.16199", "model:alpaca-lora", "INTRODUCES")
    edge(graph, "paper:arxiv:2303.16199", "dataset:alpaca-data", "INTRODUCES")
    edge(graph, "paper:arxiv:2303.16199", "method:lora", "USES_METHOD")
    edge(graph, "paper:arxiv:2303.16199", "method:instruction-tuning", "USES_METHOD")
    edge(graph, "paper:arxiv:2303.16199", "model:llama", "BUILDS_ON", variant="7B")
    edge(graph, "paper:arxiv:2303.16199", "dataset:alpaca-data", "USES_DATASET", role="train")
    edge(graph, "paper:arxiv:2303.16199", "dataset:mmlu", "USES_DATASET", role="evaluate")
    edge(graph, "paper:arxiv:2303.16199", "repo:github.com/tloen/alpaca-lora", "HAS_CODE", confidence=1.0)
    edge(graph, "paper:arxiv:2306.05685", "model:llama", "BUILDS_ON")
    edge(graph, "paper:arxiv:2306.05685", "model:bert", "MENTIONS")
    edge(graph, "paper:arxiv:2306.05685", "dataset:mmlu", "USES_DATASET", role="unspecified")
    edge(graph, "paper:arxiv:2306.05685", "dataset:gsm8k", "USES_DATASET", role="evaluate")
    edge(graph, "paper:arxiv:2306.05685", "method:rlhf", "USES_METHOD")
    edge(graph, "paper:arxiv:2306.05685", "method:lora", "USES_METHOD")
    edge(graph, "paper:old-style", "model:bert", "BUILDS_ON", confidence=0.55)
    edge(graph, "paper:no-arxiv", "model:llama-2", "BUILDS_ON")
    edge(graph, "paper:no-arxiv", "dataset:gsm8k", "USES_DATASET", role="train")
    edge(graph, "model:llama-2", "model:llama", "DERIVED_FROM", how="extend")
    edge(graph, "model:alpaca", "model:llama", "DERIVED_FROM", how="fine-tune")
    edge(graph, "model:alpaca-lora", "model:alpaca", "DERIVED_FROM", how="adapt")
    edge(graph, "model:vicuna", "model:llama", "DERIVED_FROM", how="fine-tune")
    edge(graph, "model:vicuna", "model:alpaca", "DERIVED_FROM", how="distill")
    edge(graph, "model:alpaca", "model:llama", "DERIVED_FROM", how="fine-tune")
    return graph


def hostile_graph() -> KnowledgeGraph:
    """One paper, model and repository per hostile string, in ids, names, URLs and evidence."""
    graph = KnowledgeGraph()
    for i, text in enumerate(HOSTILE):
        paper, model, repo = f"paper:{text}", f"model:{text}", f"repo:github.com/{text}/{i}"
        graph.add_node(paper, "Paper", text, title=text, abstract=text, sources=[text], authors=[text],
                       url=f"https://example.org/{text}", links=[f"https://example.org/?q={text}"])
        graph.add_node(model, "Model", text, aliases=[text + " v2"])
        graph.add_node(repo, "Repository", text, url=f"https://github.com/{text}/{i}", host="github.com", owner=text)
        edge(graph, paper, model, "BUILDS_ON", evidence=text, text=text, variant=text)
        edge(graph, paper, repo, "HAS_CODE", evidence=text)
    return graph


def broken_graph() -> KnowledgeGraph:
    """A paper without a title and an edge without evidence, as a hand-edited graph.json could have
    (KnowledgeGraph.add_* refuse both, so they are written into the networkx graph directly)."""
    graph = KnowledgeGraph()
    graph.add_node("paper:untitled", "Paper", "Untitled", sources=["tests/rdf_support.py:1"])
    graph.add_node("paper:titled", "Paper", "Titled", title="Titled", sources=["tests/rdf_support.py:1"])
    graph.add_node("model:llama", "Model", "LLaMA")
    graph.g.add_edge("paper:titled", "model:llama", key="BUILDS_ON", type="BUILDS_ON", confidence=0.9,
                     extractor="test/1", source="tests/rdf_support.py:1", count=1)
    return graph
