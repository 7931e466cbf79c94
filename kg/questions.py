"""The named questions of cypher/queries/, answered over the in-memory graph, so Cypher (and SPARQL)
answers can be checked against them. One function per question file, same name with `_` for `-`:
`fn(graph, **params) -> list[dict]`, the columns and row order of the Cypher RETURN ... ORDER BY.

Entities given as parameters match by id, or by name or alias ignoring case. Graph values (what
Cypher returns as nodes and relationships) are given by id: a node as its id, a relationship as
`[start id, type, end id]`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import product
from typing import Any

import networkx as nx

from kg.graph import KnowledgeGraph
from kg.schema import (BUILDS_ON, DATASET, DERIVED_FROM, HAS_CODE, INTRODUCES, MENTIONS, METHOD, MODEL, PAPER,
                       REPOSITORY, USES_DATASET, USES_METHOD)

Row = dict[str, Any]
SHORTEST_PATH_MAX_HOPS = 10
"""The bound of shortest-paths.cypher's `[*..10]` (Cypher takes no parameter there)."""
Answer = Callable[..., list[Row]]
QUESTIONS: dict[str, Answer] = {}


def _question(fn: Answer) -> Answer:
    QUESTIONS[fn.__name__.replace("_", "-")] = fn
    return fn


# -- helpers ------------------------------------------------------------------------------
def named(graph: KnowledgeGraph, text: str, label: str | None = None) -> list[str]:
    """Ids of the nodes (of `label`) whose id is `text` or whose name or an alias equals it, any case."""
    wanted = text.lower()
    return sorted(node_id for node_id, data in graph.nodes(label)
                  if node_id == text or data["name"].lower() == wanted
                  or any(alias.lower() == wanted for alias in data.get("aliases", [])))


def _out(graph: KnowledgeGraph, node: str, rels: Iterable[str], label: str) -> set[str]:
    rels = set(rels)
    return {end for _, end, rel in graph.g.out_edges(node, keys=True)
            if rel in rels and graph.node(end)["label"] == label}


def _in(graph: KnowledgeGraph, node: str, rels: Iterable[str], label: str) -> set[str]:
    rels = set(rels)
    return {start for start, _, rel in graph.g.in_edges(node, keys=True)
            if rel in rels and graph.node(start)["label"] == label}


def _last_if_null(value: Any) -> tuple[bool, Any]:
    """Sort key placing None last, as Cypher's ascending ORDER BY does."""
    return (value is None, value if value is not None else "")


def _ranked(counts: dict[str, set[str]], graph: KnowledgeGraph, limit: int) -> list[Row]:
    """`id, name, papers` rows by papers (descending), then id."""
    rows: list[Row] = [{"id": node, "name": graph.node(node)["name"], "papers": len(papers)}
                       for node, papers in counts.items()]
    return sorted(rows, key=lambda row: (-row["papers"], row["id"]))[:limit]


def _depths_to(graph: KnowledgeGraph, root: str) -> dict[str, int]:
    """Models with a DERIVED_FROM path of length >= 1 to `root`, with the shortest length."""
    depths: dict[str, int] = {}
    frontier, depth = [root], 0
    while frontier:
        depth += 1
        found = []
        for node in frontier:
            for child in sorted(_in(graph, node, [DERIVED_FROM], MODEL)):
                if child not in depths:
                    depths[child] = depth
                    found.append(child)
        frontier = found
    return depths


def _co_counts(graph: KnowledgeGraph, anchors: list[str], to_anchor: Iterable[str], from_paper: Iterable[str],
               label: str, exclude_anchor: bool) -> dict[str, set[str]]:
    """For the papers linked to any anchor, the papers per node of `label` they link to."""
    counts: dict[str, set[str]] = defaultdict(set)
    for anchor in anchors:
        for paper in _in(graph, anchor, to_anchor, PAPER):
            for node in _out(graph, paper, from_paper, label):
                if not (exclude_anchor and node == anchor):
                    counts[node].add(paper)
    return counts


# -- questions ----------------------------------------------------------------------------
@_question
def base_models_most_built_upon(graph: KnowledgeGraph, limit: int = 10) -> list[Row]:
    counts = {node: _in(graph, node, [BUILDS_ON], PAPER) for node, _ in graph.nodes(MODEL)}
    return _ranked({node: papers for node, papers in counts.items() if papers}, graph, limit)


def _papers_building_on(graph: KnowledgeGraph, model: str) -> set[str]:
    return {paper for node in named(graph, model, MODEL) for paper in _in(graph, node, [BUILDS_ON], PAPER)}


@_question
def papers_building_on_model_with_code(graph: KnowledgeGraph, model: str = "LLaMA") -> list[Row]:
    rows: list[Row] = []
    for paper in sorted(_papers_building_on(graph, model)):
        urls = {graph.node(repo).get("url") for repo in _out(graph, paper, [HAS_CODE], REPOSITORY)}
        if urls:
            rows.append({"id": paper, "title": graph.node(paper).get("title"),
                         "repositories": sorted(url for url in urls if url is not None)})
    return rows


@_question
def papers_building_on_model_without_code(graph: KnowledgeGraph, model: str = "LLaMA") -> list[Row]:
    return [{"id": paper, "title": graph.node(paper).get("title")}
            for paper in sorted(_papers_building_on(graph, model))
            if not _out(graph, paper, [HAS_CODE], REPOSITORY)]


@_question
def model_lineage(graph: KnowledgeGraph, model: str = "LLaMA") -> list[Row]:
    rows: list[Row] = []
    for root in named(graph, model, MODEL):
        depths = _depths_to(graph, root)
        for node, depth in depths.items():
            for _, parent, rel, data in graph.g.out_edges(node, keys=True, data=True):
                in_tree = parent == root or parent in depths
                if rel == DERIVED_FROM and graph.node(parent)["label"] == MODEL and in_tree:
                    rows.append({"root": root, "id": node, "name": graph.node(node)["name"], "depth": depth,
                                 "parent": parent, "how": data.get("how")})
    return sorted(rows, key=lambda row: (row["root"], row["depth"], row["id"], row["parent"]))


@_question
def base_model_families(graph: KnowledgeGraph, limit: int = 25) -> list[Row]:
    rows: list[Row] = []
    for base, data in graph.nodes(MODEL):
        if _out(graph, base, [DERIVED_FROM], MODEL):
            continue
        derived = sorted(_depths_to(graph, base))
        if derived:
            rows.append({"id": base, "name": data["name"], "derived": len(derived), "models": derived})
    return sorted(rows, key=lambda row: (-row["derived"], row["id"]))[:limit]


@_question
def datasets_used_with_model(graph: KnowledgeGraph, model: str = "LLaMA", limit: int = 10) -> list[Row]:
    counts = _co_counts(graph, named(graph, model, MODEL), [INTRODUCES, BUILDS_ON, MENTIONS], [USES_DATASET],
                        DATASET, exclude_anchor=False)
    return _ranked(counts, graph, limit)


@_question
def methods_co_occurring(graph: KnowledgeGraph, method: str = "LoRA", limit: int = 10) -> list[Row]:
    counts = _co_counts(graph, named(graph, method, METHOD), [USES_METHOD, INTRODUCES], [USES_METHOD, INTRODUCES],
                        METHOD, exclude_anchor=True)
    return _ranked(counts, graph, limit)


@_question
def datasets_used_with_method(graph: KnowledgeGraph, method: str = "instruction tuning", limit: int = 10) -> list[Row]:
    counts = _co_counts(graph, named(graph, method, METHOD), [USES_METHOD, INTRODUCES], [USES_DATASET],
                        DATASET, exclude_anchor=False)
    return _ranked(counts, graph, limit)


@_question
def papers_introducing_datasets(graph: KnowledgeGraph, limit: int = 25) -> list[Row]:
    rows: list[Row] = []
    for paper, data in graph.nodes(PAPER):
        for dataset in _out(graph, paper, [INTRODUCES], DATASET):
            users = _in(graph, dataset, [USES_DATASET], PAPER) - {paper}
            rows.append({"paper": paper, "title": data.get("title"), "dataset": dataset,
                         "name": graph.node(dataset)["name"], "used_by": len(users)})
    return sorted(rows, key=lambda row: (-row["used_by"], row["paper"], row["dataset"]))[:limit]


@_question
def shortest_paths(graph: KnowledgeGraph, a: str = "LLaMA", b: str = "LoRA") -> list[Row]:
    undirected = nx.Graph(graph.g.to_undirected(as_view=True))
    rows: list[Row] = []
    for start, end in product(named(graph, a), named(graph, b)):
        if start == end or not nx.has_path(undirected, start, end):
            continue
        if nx.shortest_path_length(undirected, start, end) > SHORTEST_PATH_MAX_HOPS:
            continue
        for nodes in nx.all_shortest_paths(undirected, start, end):
            steps = [[*graph.g.get_edge_data(u, v, default={}), *graph.g.get_edge_data(v, u, default={})]
                     for u, v in zip(nodes, nodes[1:], strict=False)]
            rows.extend({"nodes": list(nodes), "types": list(types)} for types in product(*steps))
    return sorted(rows, key=lambda row: (row["nodes"], row["types"]))


@_question
def neighbourhood(graph: KnowledgeGraph, name: str = "LLaMA", limit: int = 100) -> list[Row]:
    rows: list[Row] = []
    for node in named(graph, name):
        for start, end, rel in [*graph.g.out_edges(node, keys=True), *graph.g.in_edges(node, keys=True)]:
            rows.append({"n": node, "r": [start, rel, end], "m": end if start == node else start})
    return sorted(rows, key=lambda row: (row["n"], row["r"][1], row["m"], row["r"][0]))[:limit]


@_question
def newest_papers_per_base_model(graph: KnowledgeGraph, per_model: int = 3) -> list[Row]:
    rows: list[Row] = []
    for model, data in graph.nodes(MODEL):
        dated = sorted(paper for paper in _in(graph, model, [BUILDS_ON], PAPER)
                       if graph.node(paper).get("published") is not None)
        dated.sort(key=lambda paper: graph.node(paper)["published"], reverse=True)
        rows.extend({"model": model, "name": data["name"], "paper": paper, "title": graph.node(paper).get("title"),
                     "published": graph.node(paper)["published"]} for paper in dated[:per_model])
    rows.sort(key=lambda row: row["paper"])
    rows.sort(key=lambda row: row["published"], reverse=True)
    return sorted(rows, key=lambda row: row["model"])


@_question
def top_datasets(graph: KnowledgeGraph, limit: int = 10) -> list[Row]:
    rows: list[Row] = []
    for dataset, data in graph.nodes(DATASET):
        roles = Counter(edge.get("role") for paper, _, rel, edge in graph.g.in_edges(dataset, keys=True, data=True)
                        if rel == USES_DATASET and graph.node(paper)["label"] == PAPER)
        if roles:
            rows.append({"id": dataset, "name": data["name"], "papers": sum(roles.values()),
                         "train": roles["train"], "evaluate": roles["evaluate"]})
    return sorted(rows, key=lambda row: (-row["papers"], row["id"]))[:limit]


@_question
def introduced_models(graph: KnowledgeGraph, limit: int = 25) -> list[Row]:
    rows: list[Row] = [{"paper": paper, "model": model, "name": graph.node(model)["name"],
             "derived_from": sorted(_out(graph, model, [DERIVED_FROM], MODEL))}
            for paper, _ in graph.nodes(PAPER) for model in _out(graph, paper, [INTRODUCES], MODEL)]
    return sorted(rows, key=lambda row: (row["paper"], row["model"]))[:limit]


def _code_links(graph: KnowledgeGraph) -> list[tuple[str, str]]:
    return [(start, end) for start, end, _, _ in graph.edges(HAS_CODE)
            if graph.node(start)["label"] == PAPER and graph.node(end)["label"] == REPOSITORY]


@_question
def repositories_by_host(graph: KnowledgeGraph) -> list[Row]:
    repos, papers = defaultdict(set), defaultdict(set)
    for paper, repo in _code_links(graph):
        host = graph.node(repo).get("host")
        repos[host].add(repo)
        papers[host].add(paper)
    rows: list[Row] = [{"host": host, "repositories": len(repos[host]), "papers": len(papers[host])} for host in repos]
    return sorted(rows, key=lambda row: (-row["repositories"], _last_if_null(row["host"])))


@_question
def top_repository_owners(graph: KnowledgeGraph, limit: int = 10) -> list[Row]:
    repos, papers = defaultdict(set), defaultdict(set)
    for paper, repo in _code_links(graph):
        owner = (graph.node(repo).get("host"), graph.node(repo).get("owner"))
        repos[owner].add(repo)
        papers[owner].add(paper)
    rows: list[Row] = [{"host": key[0], "owner": key[1], "repositories": len(repos[key]), "papers": len(papers[key])}
            for key in repos]
    return sorted(rows, key=lambda row: (-row["papers"], -row["repositories"], _last_if_null(row["host"]),
                                         _last_if_null(row["owner"])))[:limit]


@_question
def code_availability(graph: KnowledgeGraph) -> list[Row]:
    links = Counter(paper for paper, _ in _code_links(graph))
    papers = [paper for paper, _ in graph.nodes(PAPER)]
    return [{"papers": len(papers), "with_code": sum(1 for paper in papers if links[paper]),
             "links": sum(links.values())}]


@_question
def search_papers(graph: KnowledgeGraph, text: str = "instruction tuning", limit: int = 20) -> list[Row]:
    wanted = text.lower()
    rows: list[Row] = [{"id": paper, "title": data.get("title")} for paper, data in graph.nodes(PAPER)
            if wanted in (data.get("title") or "").lower() or wanted in (data.get("abstract") or "").lower()]
    return sorted(rows, key=lambda row: row["id"])[:limit]
