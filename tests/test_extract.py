"""Extraction: the `kg extract` contract, ambiguity and merging rules, lineage, and score floors
on the dev gold set."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from kg.cli import cli
from kg.evaluate import evaluate, load_gold
from kg.extract import extract_document
from kg.extract.document import Document
from kg.extract.gazetteer import curated, curated_entries
from kg.extract.introduces import _after, _trie
from kg.extract.methods import QUALIFIER_REACH, _qualifier
from kg.extract.models import _names_a_task
from kg.extract.names import spells_acronym
from kg.extract.rules import rules
from kg.schema import DERIVED_FROM, LABELS, REL_TYPES

from .conftest import EXAMPLES, ROOT

GOLD = ROOT / "tests" / "gold" / "dev.jsonl"


def mentions(title: str, body: str = "") -> list[dict]:
    return [m.to_json() for m in extract_document(Document(title, body))]


def ids(found: list[dict], relation: str | None = None) -> set[str]:
    return {m["id"] for m in found if relation is None or m["relation"] == relation}


def introduced(body: str, title: str = "A study") -> dict[str, str]:
    """Name -> label of every name the paper introduces."""
    return {m["name"]: m["label"] for m in mentions(title, body) if m["relation"] == "INTRODUCES"}


def test_extract_output_follows_the_contract() -> None:
    result = CliRunner().invoke(cli, ["extract", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 386
    relations = set()
    for record in lines:
        assert set(record["paper"]) == {"id", "title", "arxiv_id"}
        for m in record["mentions"]:
            assert {"label", "id", "name", "text", "relation", "evidence", "confidence"} <= set(m)
            assert m["label"] in LABELS and m["relation"] in REL_TYPES
            assert 0 < m["confidence"] <= 1 and m["evidence"]
            assert (m["text"].lower() in m["evidence"].lower() or m["relation"] == DERIVED_FROM
                    or m["label"] == "Repository")
            if m["relation"] == DERIVED_FROM:
                assert m["from"].startswith("model:")
            relations.add(m["relation"])
    assert relations == set(REL_TYPES)


@pytest.mark.parametrize("spelling", ["LLaMA-2", "Llama 2", "Llama2", "LLaMA 2"])
def test_spellings_of_one_model_share_one_id(spelling: str) -> None:
    found = mentions("A study", f"We fine-tune {spelling} on our data.")
    assert ids(found, "BUILDS_ON") == {"model:llama-2"}


def test_variant_resolves_to_the_model_and_is_kept() -> None:
    found = mentions("A study", "We use CLIP ViT-B/32 as the image encoder.")
    clip = [m for m in found if m["id"] == "model:clip"]
    assert clip and clip[0]["variant"] == "ViT-B/32" and clip[0]["relation"] == "BUILDS_ON"


@pytest.mark.parametrize(("body", "found"), [
    ("We fine-tune BERT", {"model:bert"}),  # the name ends the text
    ("We report results on SQuADv2.", {"dataset:squad"}),  # a version goes on from the name
    ("We fine-tune BERT-based taggers.", {"model:bert"}),
    ("We study BERTology and the BERTs of others.", set()),  # the name goes on as a longer word
    ("We evaluate on COCOA and ImageNetty.", set()),
])
def test_a_curated_name_is_found_only_as_a_whole_word(body: str, found: set[str]) -> None:
    assert ids(mentions("A study", body)) & {"model:bert", "dataset:squad", "dataset:coco", "dataset:imagenet"} == found


def test_ordinary_words_do_not_fire() -> None:
    found = mentions("A study", "We clip gradients, glue the parts and pile up results with the sam e method.")
    assert not [m for m in found if m["label"] in ("Model", "Dataset")]


def test_shared_spelling_is_decided_by_context() -> None:
    seg = mentions("A study", "We prompt SAM with points to segment masks of objects.")
    opt = mentions("A study", "We train with SAM, which seeks flat minima of the loss landscape and sharpness.")
    assert "model:segment-anything-model" in ids(seg) or any(i.startswith("model:segment") for i in ids(seg))
    assert any(i.startswith("method:sharpness") for i in ids(opt))
    assert not any(i.startswith("model:segment") for i in ids(opt))


def test_family_and_version_are_different_nodes() -> None:
    found = mentions("A study", "We prompt GPT-4 and compare it with GPT-5 and the GPT family.")
    assert "model:gpt-4" in ids(found)
    assert "model:gpt" not in {m["id"] for m in found if m["text"] == "GPT-5"}


@pytest.mark.parametrize(("body", "relation"), [
    ("We present FooFusion. FooFusion leverages existing Llama-3's weights and adds modules for images.", "BUILDS_ON"),
    ("We fine-tune the original RoBERTa on legal text.", "BUILDS_ON"),
    ("We post-train RoBERTa with the data. Comparing the result to RoBERTa-Instruct, we see gains.", "BUILDS_ON"),
    ("We show that a FooAlign-trained RoBERTa outperforms the initial model. It beats RoBERTa-Instruct.",
     "BUILDS_ON"),
    ("We propose FooKID. In six tasks, task-agnostic LMs (e.g., RoBERTa) armed with FooKID outperform others.",
     "BUILDS_ON"),
    ("Our model outperforms existing RoBERTa baselines on legal text.", "MENTIONS"),
    ("Unlike prior RoBERTa studies, we look at legal text.", "MENTIONS"),
])
def test_builds_on_verbs_and_adjective_mention_cues(body: str, relation: str) -> None:
    found = mentions("A study", body)
    assert {m["relation"] for m in found if m["label"] == "Model" and m["relation"] != "INTRODUCES"} == {relation}


def test_baseline_is_mentioned_not_built_on() -> None:
    found = mentions("A study", "We fine-tune RoBERTa on legal text. Our model outperforms BERT by 3 points.")
    assert "model:roberta" in ids(found, "BUILDS_ON")
    assert "model:bert" in ids(found, "MENTIONS")
    assert not ids(found, "BUILDS_ON") & ids(found, "MENTIONS")


@pytest.mark.parametrize(
    ("title", "body", "derived", "base", "how"),
    [
        ("TinyCLIP: CLIP Distillation via Affinity Mimicking and Weight Inheritance",
         "We propose TinyCLIP, a cross-modal distillation method for large-scale pre-trained CLIP models.",
         "model:tinyclip", "model:clip", "distill"),
        ("BioBERT: a pre-trained biomedical language representation model for biomedical text mining",
         "We introduce BioBERT, a domain-specific language model initialized with BERT and pre-trained on PubMed.",
         "model:biobert", "model:bert", None),
    ],
)
def test_lineage(title: str, body: str, derived: str, base: str, how: str | None) -> None:
    found = mentions(title, body)
    lineage = [m for m in found if m["relation"] == DERIVED_FROM]
    assert [(m["from"], m["id"]) for m in lineage] == [(derived, base)]
    if how:
        assert lineage[0]["how"] == how


@pytest.mark.parametrize(
    ("body", "derived"),
    [
        ("We present Tiny Time Mixers (TTM), a small model based on the lightweight TSMixer architecture.", True),
        ("We propose FooNet, a new model. FooNet improves ELECTRA's average performance by 2.8 points.", False),
        ("Inspired by the Receptance Weighted Key Value (RWKV) language model, we propose FooNet, a spiking model.",
         True),
        ("We present FooGPT-4, which aligns a frozen visual encoder with a frozen LLM, Vicuna, using one layer.", True),
    ],
)
def test_lineage_from_a_base_not_in_the_name_needs_deriving_words(body: str, derived: bool) -> None:
    found = mentions("A study", body)
    assert ids(found, "BUILDS_ON")
    assert bool([m for m in found if m["relation"] == DERIVED_FROM]) is derived


def test_lineage_pairs_each_introduced_model_its_evidence_names() -> None:
    found = mentions("A study", "We propose FooGPT and BarGPT, two agents based on the AlphaZero framework. "
                                "We also release BazNet, a model for games.")
    lineage = {(m["from"], m["id"]) for m in found if m["relation"] == DERIVED_FROM}
    assert lineage == {("model:foogpt", "model:alphazero"), ("model:bargpt", "model:alphazero")}


def test_lineage_reaches_a_base_listed_after_one_the_model_derives_from() -> None:
    found = mentions("A study", "We propose FooNet, a model which adapts the pre-trained multimodal M-CLIP and the "
                                "multilingual mBART. In FooNet, mBART is conditioned on the M-CLIP features.")
    lineage = {(m["from"], m["id"]) for m in found if m["relation"] == DERIVED_FROM}
    assert lineage == {("model:foonet", "model:m-clip"), ("model:foonet", "model:mbart")}
    apart = mentions("A study", "We propose FooNet, a model which adapts the pre-trained multimodal M-CLIP. "
                                "In FooNet, mBART is conditioned on the M-CLIP features.")
    assert "model:mbart" in ids(apart, "BUILDS_ON")
    assert {m["id"] for m in apart if m["relation"] == DERIVED_FROM} == {"model:m-clip"}


def test_dataset_role_and_unlisted_names() -> None:
    found = mentions("A study", "We train on ImageNet and evaluate on the FooBar-7 benchmark.")
    roles = {m["id"]: m.get("role") for m in found if m["relation"] == "USES_DATASET"}
    assert roles["dataset:imagenet"] == "train"
    assert "dataset:foobar-7" in roles


@pytest.mark.parametrize("title,body,name", [
    ("Machine translation with LLMs", "We introduce the resulting model as Advanced Language Model-based "
     "trAnslator (ALMA).", "ALMA"),
    ("RetroMAE v2: duplex masked auto-encoders", "We propose a new pre-training method: duplex masked auto-encoder, "
     "a.k.a. DupMAE, which improves retrieval.", "DupMAE"),
    ("Active prompt learning", "We devise a novel active learning framework for VLMs, denoted as PCB.", "PCB"),
    ("RLIPv2: fast scaling of relational pre-training", "To scale fast, RLIPv2 introduces Asymmetric Language-Image "
     "Fusion (ALIF), a mechanism for early fusion.", "ALIF"),
])
def test_introduced_names_by_acronym_capitals_naming_phrases_and_title_subjects(title: str, body: str,
                                                                                 name: str) -> None:
    assert name in introduced(body, title)


@pytest.mark.parametrize(("body", "name"), [
    ("In our multilingual FooLM model, we pretrain on comparable corpora.", "FooLM"),
    ('In our "{FooNet}" model, parts of the parameters are specialised.', "FooNet"),
    ("When comparing the resulting model Foo-3 to the base model, we observe gains.", "Foo-3"),
    ("We show that the final trained model FooGen-2 outperforms the teachers.", "FooGen-2"),
])
def test_a_new_name_after_words_presenting_the_papers_own_artifact_is_introduced(body: str, name: str) -> None:
    assert name in introduced(body)


def test_new_names_listed_after_a_colon_that_ends_an_announcing_sentence_are_introduced() -> None:
    assert {"FooViT", "FooViD", "FooVDA"} <= set(introduced(
        "This paper presents novel agents based on the AlphaZero framework, enhanced with Vision Transformer (ViT): "
        "FooViT, FooViD, and FooVDA."))
    assert set(introduced("With a large context, we train two models: SOBertBase and SOBertLarge.")) == {
        "SOBertBase", "SOBertLarge"}
    assert not introduced("We evaluate our agent on three benchmarks: FooBench, BarQA and BazEval.")


@pytest.mark.parametrize("body", [
    "We fine-tune our BERT model on legal text.",
    "Our method uses the strong LLM baselines of prior work.",
    "Their resulting model FooNet is weaker than ours.",
    "We distil our ViT-G14 model into a small student.",
])
def test_known_or_generic_names_after_own_artifact_words_are_not_introduced(body: str) -> None:
    assert not introduced(body)


@pytest.mark.parametrize(("body", "label"), [
    ("We propose FooDistil, a cross-modal distillation method for CLIP. FooDistil beats the benchmark.", "Method"),
    ("We propose FooCLIP, a cross-modal distillation method for CLIP. FooCLIP beats the benchmark.", "Model"),
    ("We release the FooPedes dataset of 300K images. Models trained on FooPedes generalise.", "Dataset"),
    ("We present FooFormer (FF), an open model for code. FooFormer is evaluated on a benchmark.", "Model"),
])
def test_an_introduced_name_is_typed_by_the_head_noun_describing_it(body: str, label: str) -> None:
    assert set(introduced(body).values()) == {label}


def test_variants_written_of_an_introduced_name_are_introduced_too() -> None:
    assert set(introduced("We propose mmMamba, a framework for linear models. mmMamba-linear matches the teacher, "
                          "and mmMamba-based systems are fast.")) == {"mmMamba", "mmMamba-linear"}


def test_title_keeps_the_version_of_the_name() -> None:
    assert set(introduced("", "RetroMAE v2: Duplex Masked Auto-Encoder")) == {"RetroMAE v2"}


def test_variants_of_one_model_are_each_reported_with_one_relation() -> None:
    found = mentions("Orca", "We post-train Mistral-7b with the data and compare the result to Mistral-7b-Instruct.")
    mistral = [m for m in found if m["id"] == "model:mistral"]
    assert sorted(m["text"] for m in mistral) == ["Mistral-7b", "Mistral-7b-Instruct"]
    assert {m["relation"] for m in mistral} == {"BUILDS_ON"}


def test_a_name_going_on_in_a_hyphenated_compound_is_the_variant_written() -> None:
    found = mentions("A study", "We distill it into MiniCPM-V-2.6 and fine-tune FLUX.1-Fill-dev with BERT-based "
                                "and CLIP-guided encoders.")
    assert {(m["name"], m["text"]) for m in found if m["label"] == "Model"} == {
        ("MiniCPM", "MiniCPM-V-2.6"), ("FLUX", "FLUX.1-Fill-dev"), ("BERT", "BERT"), ("CLIP", "CLIP")}


def test_a_model_name_before_a_dataset_noun_names_the_dataset() -> None:
    found = mentions("A study", "On the popular Video ChatGPT benchmark, our model built on LLaVA scores 3.48.")
    assert {m["id"] for m in found if m["label"] == "Model"} == {"model:llava"}


def test_a_model_spelled_inside_a_name_must_be_a_whole_part_of_it() -> None:
    inside = curated().spells_inside
    assert all(inside(name, "Model") for name in ("TinyCLIP", "NAS-BERT", "GPTNeo", "DenseNet201", "RWKV6"))
    assert not any(inside(name, "Model") for name in ("LLaMAfy", "MultiModality"))
    found = mentions("A study", 'We first "LLaMAfy" a standard ViT to align with the LLaMA architecture.')
    assert {m["name"] for m in found if m["label"] == "Model"} == {"LLaMA"}


def test_a_second_name_in_parentheses_is_no_other_model_and_a_compound_is_its_own() -> None:
    found = mentions("A study", "Our models outperform GPT-3.5-Turbo (ChatGPT) and GPT2-XL large language models. "
                                "We adapt the multilingual M-CLIP.")
    assert {(m["id"], m["text"]) for m in found if m["label"] == "Model"} == {
        ("model:gpt-3-5", "GPT-3.5-Turbo"), ("model:gpt-2", "GPT2-XL"), ("model:m-clip", "M-CLIP")}


def test_an_architecture_family_is_no_model_but_its_variant_is() -> None:
    bare = mentions("A study", "We prune plain ViTs and a Vision Transformer for faster inference.")
    variant = mentions("A study", "We fine-tune a pre-trained ViT-B/16 and BERT_BASE on our data.")
    assert not [m for m in bare if m["label"] == "Model"]
    assert {(m["id"], m["text"]) for m in variant if m["relation"] == "BUILDS_ON"} == {
        ("model:vit", "ViT-B/16"), ("model:bert", "BERT_BASE")}


def test_a_qualified_training_method_is_one_mention_as_written() -> None:
    found = mentions("A study", "We apply self-supervised pretraining and then multilingual fine-tuning.")
    methods = {(m["id"], m["text"]) for m in found if m["relation"] == "USES_METHOD"}
    assert ("method:pre-training", "self-supervised pretraining") in methods
    assert ("method:fine-tuning", "multilingual fine-tuning") in methods
    assert "method:self-supervised-learning" not in ids(found)


def test_each_qualified_variant_of_a_training_method_is_a_mention() -> None:
    found = mentions("Scaling Pre-training", "We study self-supervised pre-training. Full finetuning costs "
                                             "more than fine-tuning a few layers.")
    methods = {(m["id"], m["text"]) for m in found if m["relation"] == "USES_METHOD"}
    assert methods == {("method:pre-training", "Pre-training"), ("method:pre-training", "self-supervised pre-training"),
                       ("method:fine-tuning", "Full finetuning"), ("method:fine-tuning", "fine-tuning")}


QUALIFIER_WORDS = st.sampled_from(["self-supervised", "supervised", "full", "Multi-Modal", "a-b-c", "x",
                                   "ſelf-ſupervised", "Kontrastive", "7b-scale", "-", "  ", " ", "(", "pre_trained",
                                   "re-", "\u00e9t\u00e9-long"])


@given(st.lists(QUALIFIER_WORDS, max_size=12), st.integers(0, 3))
def test_the_qualifier_is_what_the_rule_finds_over_the_whole_reach(words: list[str], spaces: int) -> None:
    """Searching only from the last word gives the rule's own answer over all of QUALIFIER_REACH."""
    text = " ".join(words) + " " * spaces + "pre-training"
    start = len(text) - len("pre-training")
    found = _qualifier(text, start)
    expected = rules().qualifier.search(text, max(0, start - QUALIFIER_REACH), start)
    assert (found and found.span()) == (expected and expected.span())


HEAD_NOUNS = {word: f"{label}{i}" for i, (label, word) in
              enumerate((label, w) for label, words in rules().raw["types"].items() for w in words)}
HEAD_PIECES = st.sampled_from([*HEAD_NOUNS, "DataSet", "models", "modelx", "data", "test", "\u017feries", "s", "-", " ",
                               ",", "\u00e9"])


@given(st.lists(HEAD_PIECES, min_size=1, max_size=4))
def test_the_tree_of_head_nouns_matches_as_their_list(pieces: list[str]) -> None:
    """The head nouns written as a tree match where the plain list, longest first, matches (as
    words too), and name the same head."""
    flat = "|".join(f"(?P<{name}>{re.escape(word)})"
                    for word, name in sorted(HEAD_NOUNS.items(), key=lambda p: -len(p[0])))
    text = "".join(pieces)
    for end in ("", r"\b"):
        listed, tree = re.compile(f"(?:{flat}){end}", re.I), re.compile(_trie(HEAD_NOUNS) + end, re.I)
        for at in range(len(text)):
            a, b = listed.match(text, at), tree.match(text, at)
            assert (a and (a.end(), a.lastgroup)) == (b and (b.end(), b.lastgroup)), text[at:]


@given(st.lists(st.tuples(st.sampled_from(["a", "b.", "\u00e9", "ab"]),
                          st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2003"])),
                max_size=14), st.integers(0, 50))
def test_the_words_after_a_position_are_the_first_runs_of_the_window(pieces: list[tuple[str, str]],
                                                                     position: int) -> None:
    text = "".join(word + space for word, space in pieces)
    runs = list(re.finditer(r"\S+", text[position:]))[:rules().window]
    assert _after(text, position) == (text[position:position + runs[-1].end()] if runs else "")


def test_a_method_named_as_not_needed_is_not_used() -> None:
    found = mentions("JeDi: Finetuning-Free Personalized Generation", "We add no pre-training, unlike others.")
    assert not [m for m in found if m["relation"] == "USES_METHOD"]


@pytest.mark.parametrize(("body", "used"), [
    ("We adapt the model without any further instruction tuning.", False),
    ("We avoid costly instruction tuning.", False),
    ("Avoiding instruction tuning, we adapt the model.", False),
    ("We adapt the model without changing its weights during instruction tuning.", True),  # four words between
    ("We adapt the model with instruction tuning.", True),
    ("We train without labels. Instruction tuning then aligns our model.", True),  # another sentence
])
def test_a_negating_word_reaches_three_words_within_its_sentence(body: str, used: bool) -> None:
    found = [m["id"] for m in mentions("A study", body) if m["relation"] == "USES_METHOD"]
    assert ("method:instruction-tuning" in found) == used


def test_vpt_is_a_method_or_a_model_by_context() -> None:
    peft = mentions("A study", "Unlike parameter-efficient fine-tuning methods such as VPT, we add no parameters.")
    agent = mentions("A study", "We fine-tune VPT, an agent that plays Minecraft from video.")
    assert "method:visual-prompt-tuning" in ids(peft) and "model:vpt" not in ids(peft)
    assert "model:vpt" in ids(agent) and "method:visual-prompt-tuning" not in ids(agent)


def test_a_survey_builds_on_none_of_its_models() -> None:
    found = mentions("A Survey of Foundation Models: from BERT to ChatGPT", "We review how BERT was fine-tuned.")
    assert {m["relation"] for m in found if m["label"] == "Model"} == {"MENTIONS"}


def test_a_model_named_as_a_likeness_is_mentioned_not_built_on() -> None:
    found = mentions("A study", "We extend BERT-style pre-training to convolutional networks and report results.")
    assert "model:bert" in ids(found, "MENTIONS") and "model:bert" not in ids(found, "BUILDS_ON")


def test_a_spelled_out_name_after_an_indefinite_article_is_a_kind_of_model() -> None:
    found = mentions("VL-GPT: A Generative Pre-trained Transformer for Vision and Language Understanding")
    assert "model:gpt" not in ids(found)


def test_a_spelled_out_name_in_the_plural_is_a_technique() -> None:
    found = mentions("Delving into Masked Autoencoders for Multi-Label Thorax Disease Classification")
    assert "model:mae" not in ids(found)


def test_a_self_supervised_training_framework_is_a_method() -> None:
    found = mentions("A study", "We pretrain a big ResNet-50 using SimCLRv2 and compare with MoCo v2 and BYOL.")
    assert {m["id"] for m in found if m["label"] == "Model"} == {"model:resnet-50"}
    assert {"method:simclr", "method:moco", "method:byol"} <= ids(found, "USES_METHOD")


def test_training_software_is_no_model() -> None:
    found = mentions("A study", "We train our model with DeepSpeed and Megatron-LM and serve it with vLLM.")
    assert not [m for m in found if m["label"] == "Model"]
    assert "method:pagedattention" not in ids(found)


def test_a_bare_preposition_is_the_weakest_builds_on_cue() -> None:
    found = mentions("A study", "We fine-tune RoBERTa on legal text. We discuss the reason for GPT-4's gains. "
                                "Our model performs on par with GPT-4.")
    assert "model:gpt-4" in ids(found, "MENTIONS") and "model:gpt-4" not in ids(found, "BUILDS_ON")


@pytest.mark.parametrize("body", [
    "Our ViT performs comparably (sometimes better) to the state-of-the-art CNN (DenseNet-121) on chest X-rays.",
    "Our evaluation shows these tasks are hard: many open models struggled, and even GPT-4o faced difficulties.",
    "Most existing works for cross-modal representation alignment (including CLIP) use a contrastive loss.",
    "The best-performing model, RoBERTa, has similar weighted F1 scores to Llama-3-70b-Chat on clear features.",
])
def test_a_model_compared_with_or_evaluated_is_mentioned_not_built_on(body: str) -> None:
    found = [m for m in mentions("A study", "We study a problem. " + body) if m["label"] == "Model"]
    assert found and {m["relation"] for m in found} == {"MENTIONS"}


@pytest.mark.parametrize("body", [
    "Our model achieves 93% of Llama3-1B's MMLU performance.",
    "Our method generalizes the concept of masked language modeling of BERT (Devlin et al., 2019) to images.",
])
def test_a_possessed_or_cited_name_after_a_bare_preposition_is_mentioned(body: str) -> None:
    found = [m for m in mentions("A study", "We study a problem. " + body) if m["label"] == "Model"]
    assert found and {m["relation"] for m in found} == {"MENTIONS"}


def test_pre_training_a_model_builds_on_it() -> None:
    found = mentions("A study", "In this work we reuse smaller models. Our method saves 45% of the cost of "
                                "pre-training BERT_BASE.")
    assert "model:bert" in ids(found, "BUILDS_ON")


def test_a_model_heading_an_introduced_name_is_no_mention() -> None:
    found = mentions("GemNet-OC: Graph Neural Networks for Large Molecular Datasets",
                     "This work first develops the GemNet-OC model based on the OC20 dataset.")
    assert "model:gemnet" not in ids(found)


def test_an_ordinary_word_does_not_match_an_exact_case_model() -> None:
    found = mentions("A study", "Specifically, utilizing Tucker decomposition, we compress each weight tensor.")
    assert "model:tucker" not in ids(found)


@pytest.mark.parametrize("body,name", [
    ("Our method called Sparse masKed modeling (SparK) is general.", "SparK"),
    ("The tailored model, dubbed as image LLaMA (iLLaMA), is akin to LLaMA in architecture.", "iLLaMA"),
    ("We propose an alternative via Image-to-Point Masked Autoencoders, named as I2P-MAE.", "I2P-MAE"),
])
def test_a_naming_phrase_names_the_acronym_or_the_name_after_as(body: str, name: str) -> None:
    assert name in introduced(body)


@pytest.mark.parametrize("title,body", [
    ("A study", "For one, we introduce a 2D-guided masking strategy for the encoder."),
    ("Perception Test: A Diagnostic Benchmark", "For these purposes, the Perception Test introduces 11.6k "
                                                "real-world videos, 23s average length."),
    ("A study", "We present a 0.4B-parameter encoder for classification."),
])
def test_quantities_and_modified_names_are_not_introduced(title: str, body: str) -> None:
    assert set(introduced(body, title)) <= {"Perception Test"}


def test_an_acronym_defined_as_a_kind_of_thing_is_not_introduced() -> None:
    assert set(introduced("Automated program repair (APR) fixes bugs without people. This paper introduces "
                          "MultiMend, a learning-based APR approach for many languages.")) == {"MultiMend"}


def test_words_that_spell_out_an_acronym_are_not_introduced_but_a_name_beside_them_is() -> None:
    body = "We propose BAlaNced averaGing (BANG), a method of weight averaging. We also present HiNet, a new model."
    assert introduced(body) == {"BANG": "Method", "HiNet": "Model"}
    text, acronyms = body, frozenset({"BANG", "BAN"})
    assert spells_acronym(text, "BAlaNced", acronyms) and spells_acronym(text, "averaGing", acronyms)
    assert not spells_acronym(text, "HiNet", acronyms)  # its capitals are in no acronym
    assert not spells_acronym("BAlaNced weights (BANG)", "BAlaNced", frozenset({"BANG"}))  # no word gives the G
    assert not spells_acronym("BAlaNced and then one two three four averaGing (BANG)", "BAlaNced", frozenset({"BANG"}))


def test_a_method_ending_another_name_is_not_used() -> None:
    found = mentions("A study", "We train our models and evaluate RQ-Transformer and Triplane-Transformer samples.")
    assert "method:transformer" not in ids(found)


def test_an_acronym_of_lower_case_words_is_no_unlisted_model() -> None:
    found = mentions("A study", "Vision-language (ViL) foundation models are strong. We integrate semantic knowledge "
                                "from a ViL model (e.g., CLIP) and CLIP features.")
    assert {m["id"] for m in found if m["label"] == "Model"} == {"model:clip"}


def test_gazetteer_is_sound() -> None:
    entries = curated_entries()
    by_label: dict[str, int] = {}
    for entry in entries:
        by_label[entry.label] = by_label.get(entry.label, 0) + 1
    assert by_label["Model"] >= 400 and by_label["Dataset"] >= 300 and by_label["Method"] >= 200
    names = {e.name for e in entries if e.label == "Model"}
    assert all(e.family in names for e in entries if e.label == "Model" and e.family)
    assert len({e.id for e in entries}) == len(entries)
    for spelling, bucket in curated().by_spelling.items():
        if len(bucket) > 1:
            assert all(e.context for e in bucket), f"{spelling!r} is shared without context cues"


# Floors a little under the measured scores (precision, recall); a change that drops below one is a
# regression. dev.jsonl is the set rules are developed against; heldout.jsonl (110 other seed papers,
# annotated and adjudicated without sight of the extractor) is only ever scored, never read for errors.
FLOORS = {
    "dev": {
        "introduces": (0.87, 0.755),
        "builds_on": (0.87, 0.77),
        "models": (0.94, 0.87),
        "datasets": (0.86, 0.78),
        "methods": (0.745, 0.455),
        "repos": (0.99, 0.96),
        "lineage": (0.65, 0.44),
    },
    # held-out lineage has 6 pairs: too few for a floor that means anything
    "heldout": {
        "introduces": (0.87, 0.755),
        "builds_on": (0.76, 0.75),
        "models": (0.895, 0.83),
        "datasets": (0.84, 0.80),
        "methods": (0.77, 0.465),
        "repos": (0.99, 0.95),
    },
}


@pytest.mark.parametrize("gold_set", sorted(FLOORS))
def test_gold_set_scores_hold_their_floors(gold_set: str) -> None:
    result = evaluate(load_gold(ROOT / "tests" / "gold" / f"{gold_set}.jsonl"))
    assert result.papers >= 110
    for field, (precision, recall) in FLOORS[gold_set].items():
        score = result.scores[field]
        assert score.precision >= precision, (field, score.to_json())
        assert score.recall >= recall, (field, score.to_json())


def test_eval_cli_scores_extract_output(tmp_path) -> None:
    gold = load_gold(GOLD)
    listing = tmp_path / "gold.json"
    listing.write_text(json.dumps([{"title": r["title"], "summary": r["abstract"]} for r in gold]), encoding="utf-8")
    runner = CliRunner()
    extracted = runner.invoke(cli, ["extract", str(listing)])
    assert extracted.exit_code == 0, extracted.output
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(extracted.stdout, encoding="utf-8")
    scored = runner.invoke(cli, ["eval", str(GOLD), "--predictions", str(predictions), "--json"])
    assert scored.exit_code == 0, scored.output
    from_file = json.loads(scored.stdout)["fields"]
    direct = evaluate(gold).scores
    for field in FLOORS["dev"]:
        assert from_file[field]["tp"] == direct[field].tp


def test_eval_compares_names_as_sets() -> None:
    gold = [{"doc_id": "p", "builds_on": ["BERT"], "models_mentioned": ["Mistral-7B"]}]
    mention = {"label": "Model", "relation": "BUILDS_ON"}
    predicted = [{**mention, "name": "BERT", "text": "BERT"}, {**mention, "name": "BERT", "text": "BERT base"},
                 {**mention, "name": "Mistral", "text": "Mistral-7B"},
                 {**mention, "name": "Mistral", "text": "Mistral"},
                 {**mention, "name": "Falcon", "text": "Falcon-7B"}, {**mention, "name": "Falcon", "text": "Falcon"}]
    models = evaluate(gold, {"p": predicted}).scores["models"]
    # the variants left over of a matched name are no second claim; an unmatched name is one
    assert (models.tp, models.fp, models.fn) == (2, 1, 0)


def test_eval_reports_a_bad_gold_file(tmp_path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"doc_id": "a"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(bad)])
    assert result.exit_code != 0 and f"{bad}:2" in result.output


def test_eval_scores_lineage_as_pairs_where_the_gold_annotates_it() -> None:
    gold: list[dict[str, Any]] = [
        {"doc_id": "p", "derived_from": [{"model": "TinyCLIP", "base": "CLIP", "how": "distill"}]}, {"doc_id": "q"}]
    introduced = {"label": "Model", "relation": "INTRODUCES", "id": "model:tinyclip", "name": "TinyCLIP"}
    derived = {"label": "Model", "relation": "DERIVED_FROM", "from": "model:tinyclip"}
    predicted = [introduced, {**derived, "id": "model:clip", "name": "CLIP", "text": "CLIP ViT-B/32"},
                 {**derived, "id": "model:vit", "name": "ViT", "text": "ViT"}]
    result = evaluate(gold, {"p": predicted, "q": predicted})
    lineage = result.scores["lineage"]
    assert (lineage.tp, lineage.fp, lineage.fn) == (1, 1, 0)
    assert result.scored["lineage"] == 1 and "lineage" in result.fields
    assert "lineage" not in evaluate([{"doc_id": "q"}], {"q": predicted}).fields


@given(st.sampled_from(["LASS", "a.a"]), st.lists(st.sampled_from(["LASS", "a.a", "a", ".", "_", "-", " ", "\u00a0",
                                                                   "\u00e9", "\u0663", "tasks", "task", "taskx"]),
                                                  max_size=8))
@example("LASS", ["_", "LASS", " ", "tasks"])
@example("LASS", ["\u0663", "LASS", "\u00a0", "task"])
@example("LASS", ["-", "LASS", " ", "task", " ", "LASS", " ", "tasks"])
@example("a.a", ["a.a", ".", "a", " ", "tasks"])
def test_a_name_is_a_task_where_the_rule_finds_it_followed_by_tasks(name: str, pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = re.search(rf"(?<![\w-]){re.escape(name)}\s+tasks?\b", text) is not None
    assert _names_a_task(text, name) == expected
