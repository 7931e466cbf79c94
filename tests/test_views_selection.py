"""Neighbourhood selection: hops, the node cap and what it keeps, the left-out count, fuzzy lookup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph import KnowledgeGraph
from kg.views.assets import VIEW_ASSETS, PageAssets
from kg.views.lookup import EntityLookupError, find_entity, suggestions
from kg.views.render import PageContext
from kg.views.selection import neighbourhood

from .views_support import BIG_HUB_ID, HUB_ID, XSS_ID, ego, fixture_graph


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return fixture_graph()


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_uncapped_neighbourhood_is_the_ego_graph(graph: KnowledgeGraph, hops: int) -> None:
    expected_nodes, expected_edges = ego(graph, HUB_ID, hops)
    hood = neighbourhood(graph, HUB_ID, hops, max_nodes=10_000)
    assert set(hood.nodes) == expected_nodes
    assert len(hood.edges) == expected_edges
    assert hood.left_out == 0 and hood.reachable == len(expected_nodes)
    assert hood.nodes[0] == HUB_ID and hood.distance[HUB_ID] == 0
    assert all(graph.g.has_edge(s, e, key=k) for s, e, k in hood.edges)


def test_more_hops_reach_further(graph: KnowledgeGraph) -> None:
    one, two = neighbourhood(graph, HUB_ID, 1, 10_000), neighbourhood(graph, HUB_ID, 2, 10_000)
    assert set(one.nodes) < set(two.nodes)
    assert max(one.distance.values()) == 1 and max(two.distance.values()) == 2


def test_cap_keeps_nearest_then_strongest_and_counts_the_rest(graph: KnowledgeGraph) -> None:
    reachable, _ = ego(graph, BIG_HUB_ID, 1)
    hood = neighbourhood(graph, BIG_HUB_ID, 1, max_nodes=50)
    assert len(hood.nodes) == 50
    assert hood.left_out == len(reachable) - 50
    kept_confidence = min(graph.g.edges[n, BIG_HUB_ID, k]["confidence"]
                          for n in hood.nodes[1:] for k in graph.g[n][BIG_HUB_ID])
    dropped = reachable - set(hood.nodes)
    dropped_confidence = max(graph.g.edges[n, BIG_HUB_ID, k]["confidence"]
                             for n in dropped for k in graph.g[n][BIG_HUB_ID])
    assert kept_confidence >= dropped_confidence
    assert all(s in hood.nodes and e in hood.nodes for s, e, _ in hood.edges)


def test_cap_over_two_hops_never_keeps_a_node_without_its_way_in(graph: KnowledgeGraph) -> None:
    first_ring, _ = ego(graph, HUB_ID, 1)
    hood = neighbourhood(graph, HUB_ID, 2, max_nodes=len(first_ring) + 1)
    assert set(hood.nodes) >= first_ring
    assert sum(1 for d in hood.distance.values() if d == 2) == 1


@settings(max_examples=40, deadline=None)
@given(hops=st.integers(1, 3), cap=st.integers(1, 400))
def test_cap_and_left_out_always_add_up(hops: int, cap: int) -> None:
    graph = fixture_graph()
    reachable, _ = ego(graph, HUB_ID, hops)
    hood = neighbourhood(graph, HUB_ID, hops, cap)
    assert len(hood.nodes) == min(cap, len(reachable))
    assert len(hood.nodes) + hood.left_out == len(reachable)
    assert hood.nodes[0] == HUB_ID
    rings = [hood.distance[n] for n in hood.nodes]
    assert rings == sorted(rings)


@pytest.mark.parametrize("cap", [1, 5, 50, 10_000])
def test_degrees_remembered_for_a_site_choose_the_same_nodes(graph: KnowledgeGraph, cap: int) -> None:
    context = PageContext(graph, PageAssets(VIEW_ASSETS, inline=False))
    for center in (HUB_ID, BIG_HUB_ID):
        assert neighbourhood(graph, center, 2, cap, context.degree) == neighbourhood(graph, center, 2, cap)
    assert all(context.degree(node) == graph.g.degree(node) for node in graph.g)


def test_bad_arguments(graph: KnowledgeGraph) -> None:
    with pytest.raises(KeyError):
        neighbourhood(graph, "model:nope")
    with pytest.raises(ValueError):
        neighbourhood(graph, HUB_ID, hops=0)
    with pytest.raises(ValueError):
        neighbourhood(graph, HUB_ID, max_nodes=0)


@pytest.mark.parametrize("query", [HUB_ID, "CLIP", "clip", " Clip ", "contrastive language image pre-training",
                                   "MODEL:CLIP"])
def test_find_entity_by_id_name_or_alias(graph: KnowledgeGraph, query: str) -> None:
    assert find_entity(graph, query) == HUB_ID


def test_find_entity_by_arxiv_id(graph: KnowledgeGraph) -> None:
    assert find_entity(graph, "2401.66666") == XSS_ID


def test_typo_gets_did_you_mean(graph: KnowledgeGraph) -> None:
    with pytest.raises(EntityLookupError) as caught:
        find_entity(graph, "CLIPP")
    assert caught.value.candidates[0] == (HUB_ID, "CLIP")
    assert "did you mean CLIP (model:clip)" in str(caught.value)


def test_part_of_a_name_is_suggested(graph: KnowledgeGraph) -> None:
    assert ("dataset:laion-400m", "LAION-400M") in suggestions(graph, "laion")


def test_nothing_close_gets_no_suggestion(graph: KnowledgeGraph) -> None:
    with pytest.raises(EntityLookupError) as caught:
        find_entity(graph, "zzzzqqqq")
    assert caught.value.candidates == [] and "did you mean" not in str(caught.value)


def test_one_name_two_entities_is_ambiguous() -> None:
    graph = KnowledgeGraph()
    graph.add_node("model:mamba", "Model", "Mamba")
    graph.add_node("method:mamba", "Method", "Mamba")
    with pytest.raises(EntityLookupError) as caught:
        find_entity(graph, "mamba")
    assert caught.value.ambiguous
    assert [node_id for node_id, _ in caught.value.candidates] == ["method:mamba", "model:mamba"]
