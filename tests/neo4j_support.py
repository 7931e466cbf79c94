"""Helpers for the Neo4j tests: a small graph with every label and relationship type, what a graph.json
says the server should hold, what the server holds, and the `kg` command run as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import neo4j

from kg.export.neo4j_load import BatchLimits
from kg.graph import KnowledgeGraph
from tests.bolt_server import PASSWORD, USER

SMALL = BatchLimits(rows=50, bytes=3500)
"""Batches the test server survives (it crashes on Bolt messages over about 4 KB)."""
KG = str(Path(sys.executable).with_name("kg"))
"""The installed `kg` command of the interpreter running the tests."""

State = tuple[dict[str, tuple[str, dict[str, Any]]], dict[tuple[str, str, str], dict[str, Any]]]
"""Nodes by id (label, properties) and relationships by (start, type, end) (properties)."""

PAPERS = [
    ("Alpaca: instruction tuning LLaMA", "2023-03-13"),
    ("Vicuna: an open chatbot", "2023-03-30"),
    ("LoRA: low-rank adaptation", "2021-06-17"),
    ("TinyCLIP: CLIP distillation", None),
    ("ShareGPT, a dataset of dialogues", "2022-01-01"),
    ("Koala's dialogue model \\ with a backslash", "2023-04-03"),
]


def rich_graph() -> KnowledgeGraph:
    """Six papers with every label and relationship type, aliases, roles, lineage (with a cycle),
    quotes and backslashes in text."""
    g = KnowledgeGraph()
    papers = [f"paper:arxiv:2401.{i:05d}" for i in range(len(PAPERS))]
    for paper, (title, published) in zip(papers, PAPERS, strict=True):
        g.add_node(paper, "Paper", title, title=title, abstract=f"We study {title}. It's \"quoted\".",
                   published=published, arxiv_id=paper.removeprefix("paper:arxiv:"),
                   authors=["A. Author", "B. O'Brien"], sources=["tests/rich.txt:1"])
    for slug, name, aliases in [("llama", "LLaMA", ["Llama", "LLaMA-1"]), ("alpaca", "Alpaca", []),
                                ("vicuna", "Vicuna", []), ("koala", "Koala", []), ("clip", "CLIP", []),
                                ("tinyclip", "TinyCLIP", []), ("x", "X-Net", []), ("y", "Y-Net", [])]:
        g.add_node(f"model:{slug}", "Model", name, aliases=aliases)
    g.add_node("method:lora", "Method", "LoRA", aliases=["Low-Rank Adaptation"])
    g.add_node("method:instruction-tuning", "Method", "instruction tuning")
    g.add_node("method:rlhf", "Method", "RLHF")
    for slug, name in [("sharegpt", "ShareGPT"), ("mmlu", "MMLU"), ("laion", "LAION-5B")]:
        g.add_node(f"dataset:{slug}", "Dataset", name)
    for host, owner, name in [("github.com", "tatsu-lab", "alpaca"), ("github.com", "lm-sys", "fastchat"),
                              ("huggingface.co", "young", "koala")]:
        g.add_node(f"repo:{host}/{owner}/{name}", "Repository", f"{owner}/{name}", url=f"https://{host}/{owner}/{name}",
                   host=host, owner=owner)

    def link(start: str, end: str, rel: str, **props: Any) -> None:
        g.add_edge(start, end, rel, evidence=f"{start} {rel} {end}: it's so", confidence=0.875, extractor="test/1",
                   source="tests/rich.txt:2", **props)

    p0, p1, p2, p3, p4, p5 = papers
    for start, end, rel, props in [
        (p0, "model:alpaca", "INTRODUCES", {}), (p0, "model:llama", "BUILDS_ON", {}),
        (p0, "method:instruction-tuning", "USES_METHOD", {}), (p0, "method:lora", "USES_METHOD", {}),
        (p0, "dataset:mmlu", "USES_DATASET", {"role": "evaluate"}),
        (p0, "repo:github.com/tatsu-lab/alpaca", "HAS_CODE", {}),
        (p1, "model:vicuna", "INTRODUCES", {}), (p1, "model:llama", "BUILDS_ON", {}),
        (p1, "model:alpaca", "MENTIONS", {}),
        (p1, "dataset:sharegpt", "USES_DATASET", {"role": "train"}),
        (p1, "repo:github.com/lm-sys/fastchat", "HAS_CODE", {}),
        (p1, "method:instruction-tuning", "USES_METHOD", {}),
        (p2, "method:lora", "INTRODUCES", {}), (p2, "model:llama", "MENTIONS", {}),
        (p2, "dataset:mmlu", "USES_DATASET", {}),
        (p3, "model:tinyclip", "INTRODUCES", {}), (p3, "model:clip", "BUILDS_ON", {}),
        (p3, "dataset:laion", "USES_DATASET", {"role": "train"}),
        (p4, "dataset:sharegpt", "INTRODUCES", {}), (p4, "model:llama", "BUILDS_ON", {}),
        (p5, "model:koala", "INTRODUCES", {}), (p5, "model:llama", "BUILDS_ON", {}),
        (p5, "dataset:sharegpt", "USES_DATASET", {"role": "train"}),
        (p5, "repo:huggingface.co/young/koala", "HAS_CODE", {}),
        (p5, "method:lora", "USES_METHOD", {}), (p5, "method:rlhf", "USES_METHOD", {}),
        ("model:alpaca", "model:llama", "DERIVED_FROM", {"how": "fine-tune"}),
        ("model:vicuna", "model:llama", "DERIVED_FROM", {"how": "fine-tune"}),
        ("model:koala", "model:alpaca", "DERIVED_FROM", {"how": "fine-tune"}),
        ("model:tinyclip", "model:clip", "DERIVED_FROM", {"how": "distill"}),
        ("model:x", "model:y", "DERIVED_FROM", {}), ("model:y", "model:x", "DERIVED_FROM", {"how": "extend"}),
    ]:
        link(start, end, rel, **props)
    return g


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


def expected_state(document: dict[str, Any]) -> State:
    """What a server should hold for a graph.json document: absent values (None, "", []) as no property."""
    nodes = {node["id"]: (node["label"], {k: v for k, v in node.items() if k != "label" and _present(v)})
             for node in document["nodes"]}
    rels = {(edge["from"], edge["key"], edge["to"]): {k: v for k, v in edge.items()
                                                        if k not in ("from", "to", "key", "type") and _present(v)}
            for edge in document["edges"]}
    return nodes, rels


def _read_state(tx: neo4j.ManagedTransaction) -> State:
    nodes = {}
    for record in tx.run("MATCH (n) RETURN n"):
        node = record["n"]
        (label,) = node.labels
        nodes[node["id"]] = (label, dict(node.items()))
    rels = {(record["start"], record["type"], record["end"]): dict(record["r"].items())
            for record in tx.run("MATCH (a)-[r]->(b) RETURN a.id AS start, type(r) AS type, b.id AS end, r")}
    return nodes, rels


def server_state(driver: neo4j.Driver) -> State:
    """Every node and relationship the server holds (read in a transaction: FalkorDB's graph `falkordb`)."""
    with driver.session() as session:
        return session.execute_read(_read_state)


def counts(state: State) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type."""
    labels: dict[str, int] = {}
    for label, _ in state[0].values():
        labels[label] = labels.get(label, 0) + 1
    types: dict[str, int] = {}
    for _, rel, _ in state[1]:
        types[rel] = types.get(rel, 0) + 1
    return labels, types


def _count(tx: neo4j.ManagedTransaction) -> tuple[dict[str, int], dict[str, int]]:
    by_label = tx.run("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")
    by_type = tx.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
    return {record["label"]: record["n"] for record in by_label}, {record["type"]: record["n"] for record in by_type}


def server_counts(driver: neo4j.Driver) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type as the server counts them (duplicates included)."""
    with driver.session() as session:
        return session.execute_read(_count)


def graph_counts(graph: KnowledgeGraph) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type of a graph, only those it has."""
    found = graph.counts()
    return ({k: v for k, v in found["nodes"].items() if v}, {k: v for k, v in found["relationships"].items() if v})


def _delete_all(tx: neo4j.ManagedTransaction) -> None:
    tx.run("MATCH (n) DETACH DELETE n").consume()


def clear(driver: neo4j.Driver) -> None:
    with driver.session() as session:
        session.execute_write(_delete_all)


def write_graph(graph: KnowledgeGraph, path: Path) -> Path:
    """`graph` written to `path` as graph.json."""
    path.write_text(json.dumps(graph.to_json()), encoding="utf-8")
    return path


def kg_env(uri: str, **env: str) -> dict[str, str]:
    """The environment of a `kg` process that talks to the test server at `uri`, credentials given as
    a user would."""
    return {**os.environ, "NEO4J_URI": uri, "NEO4J_USERNAME": USER, "NEO4J_PASSWORD": PASSWORD, **env}


def user_message(stderr: str) -> str:
    """What `kg` told the user last on stderr (its error message), checked not to be a traceback."""
    assert "Traceback" not in stderr, stderr
    return stderr.strip().splitlines()[-1]


def start_kg(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """`kg ARGS` started as a process, its output captured as text."""
    return subprocess.Popen([KG, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_kg(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`kg ARGS` run to its end as a process."""
    return subprocess.run([KG, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
