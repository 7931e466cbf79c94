"""Code repositories, project pages and short links: the normalisation cases the seeds contain,
and the seeds' every GitHub / Hugging Face link checked against an independent reading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.build import BuildResult
from kg.extract import extract_paper
from kg.extract.links import find_links, parse_repo
from kg.resolve.papers import MergedPaper
from kg.schema import HAS_CODE, REPOSITORY

from .conftest import EXAMPLES


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("Code is available athttps://github.com/zyxElsa/ProSpect.", ["https://github.com/zyxElsa/ProSpect"]),
        ("Code is available at~https://github.com/Zplusdragon/PLIP", ["https://github.com/Zplusdragon/PLIP"]),
        (r"SecureBERT\url{https://github.com/ehsanaghaei/SecureBERT} outperforms", ["https://github.com/ehsanaghaei/SecureBERT"]),
        ("publicly available at //github.com/salesforce/CodeT5 .", ["https://github.com/salesforce/CodeT5"]),
        ("is released (https://github.com/hatton613/BearLLM).", ["https://github.com/hatton613/BearLLM"]),
        ("{https://github.com/naver-ai/relabel_imagenet}.", ["https://github.com/naver-ai/relabel_imagenet"]),
        ("code: https://github.com/wenyudu/MIGU{this paper", ["https://github.com/wenyudu/MIGU"]),
        ("See www.github.com/devaansh100/CLIPTrans.", ["https://github.com/devaansh100/CLIPTrans"]),
        ("Our code is at https://github.com/o/r", ["https://github.com/o/r"]),
        ("Clone https://github.com/zhang-zx/SINE.git", ["https://github.com/zhang-zx/SINE"]),
        ("Clone https://github.com/o/r.git.", ["https://github.com/o/r"]),
        ("at https://github.com/szq0214/FKD/tree/main/FerKD.", ["https://github.com/szq0214/FKD"]),
        ("at https://github.com/o/r/blob/main/README.md#usage", ["https://github.com/o/r"]),
        ("at https://github.com/tjunlp-lab/Lexical-Unit-Decoding-LUD-. Keywords", ["https://github.com/tjunlp-lab/Lexical-Unit-Decoding-LUD-"]),
        ("[code](https://github.com/o/r), [models](http://huggingface.co/o/m)", ["https://github.com/o/r", "https://huggingface.co/o/m"]),
        ("weights at https://huggingface.co/ibm/biomed.omics.bl.sm.ma-ted-458m.", ["https://huggingface.co/ibm/biomed.omics.bl.sm.ma-ted-458m"]),
        ("data at https://huggingface.co/datasets/Infi-MM/InfiMM-WebMath-40B.", ["https://huggingface.co/datasets/Infi-MM/InfiMM-WebMath-40B"]),
        ("demo at https://huggingface.co/spaces/o/demo", ["https://huggingface.co/spaces/o/demo"]),
        ("mirrors: https://gitlab.com/g/p and https://bitbucket.org/t/r; also GitHub.com/Upper/Case",
         ["https://gitlab.com/g/p", "https://bitbucket.org/t/r", "https://github.com/Upper/Case"]),
        ("Code at https://github.com/a/b, models at https://huggingface.co/c/d and again https://github.com/A/B.",
         ["https://github.com/a/b", "https://huggingface.co/c/d"]),
    ],
)
def test_repository_links_are_normalised(text: str, urls: list[str]) -> None:
    assert [repo.url for repo in find_links(text).repos] == urls


@pytest.mark.parametrize(
    "text",
    [
        "https://huggingface.co/papers/2301.00001",
        "https://huggingface.co/docs/transformers/index",
        "https://huggingface.co/collections/org/some-collection",
        "https://github.com/orgs/openai/repositories",
        "https://github.com/openai",
        "https://github.com/topics/llm",
        "https://github.com/users/o/projects/1",
        "git@github.com:o/r.git",
        "https://minigpt-4.github.io/",
        "notgithub.com/o/r",
    ],
)
def test_not_repositories(text: str) -> None:
    assert find_links(text).repos == []


def test_repo_ref_ids_are_lower_case_urls_keep_the_case() -> None:
    repo = parse_repo("https://www.GitHub.com/OpenAI/CLIP.git")
    assert repo is not None
    assert (repo.id, repo.url, repo.owner, repo.name, repo.host) == (
        "repo:github.com/openai/clip", "https://github.com/OpenAI/CLIP", "OpenAI", "CLIP", "github.com",
    )
    dataset = parse_repo("huggingface.co/datasets/Infi-MM/InfiMM-WebMath-40B")
    assert dataset is not None and dataset.id == "repo:huggingface.co/datasets/infi-mm/infimm-webmath-40b"
    forms = ("github.com/o/r", "//github.com/o/r", "http://github.com/o/r/", "https://github.com/o/r")
    refs = [parse_repo(form) for form in forms]
    assert [(ref.id, ref.url) if ref else None for ref in refs] == [
        ("repo:github.com/o/r", "https://github.com/o/r")] * 4


def test_project_pages_and_short_links() -> None:
    links = find_links(
        "Project page: https://minigpt-4.github.io/. Demo (https://wuw2019.github.io/R-AMT/). "
        "Benchmark: https://aka.ms/BLURB. Code: https://github.com/o/r. Also www.bharatgpts.com."
    )
    assert [r.url for r in links.repos] == ["https://github.com/o/r"]
    assert links.project_pages == ["https://minigpt-4.github.io/", "https://wuw2019.github.io/R-AMT/", "https://www.bharatgpts.com"]
    assert links.short_links == ["https://aka.ms/BLURB"]


# -- the seeds --------------------------------------------------------------------------------

SEED_REPO = re.compile(r"(github\.com|gitlab\.com|bitbucket\.org|huggingface\.co)/((?:datasets/)?[\w.-]+/[\w.-]+)",
                       re.I)
GITHUB_IO = re.compile(r"https?://[\w-]+\.github\.io[^\s)]*")


def seed_repo_id(match: re.Match[str]) -> str:
    """The normalisation rule on its own: lower case, no trailing dots, no `.git`."""
    path = match.group(2).rstrip(".").removesuffix(".git")
    return f"repo:{match.group(1)}/{path}".lower()


def test_every_seed_repository_link_is_a_repository_with_has_code(seed_build: tuple[BuildResult, Path]) -> None:
    result, _ = seed_build
    raw = "\n".join(path.read_text("utf-8") for path in sorted(EXAMPLES.glob("*.txt")))
    expected = {seed_repo_id(m) for m in SEED_REPO.finditer(raw)}
    found = {node_id for node_id, _ in result.graph.nodes(REPOSITORY)}
    assert found == expected
    assert len(found) == 104
    linked = {end for _, end, _, _ in result.graph.edges(HAS_CODE)}
    assert linked == found


def test_each_seed_paper_links_exactly_the_repositories_in_its_abstract(seed_build: tuple[BuildResult, Path]) -> None:
    result, _ = seed_build
    expected = {
        paper_id: {seed_repo_id(m) for m in SEED_REPO.finditer(data["abstract"])}
        for paper_id, data in result.graph.nodes("Paper")
    }
    actual: dict[str, set[str]] = {paper_id: set() for paper_id in expected}
    for start, end, _, data in result.graph.edges(HAS_CODE):
        actual[start].add(end)
        assert data["evidence"] in result.graph.node(start)["abstract"]
    assert actual == expected


def test_seed_project_pages_are_project_urls_not_repositories(seed_build: tuple[BuildResult, Path]) -> None:
    result, _ = seed_build
    pages = 0
    for paper_id, data in result.graph.nodes("Paper"):
        for page in GITHUB_IO.findall(data["abstract"]):
            pages += 1
            page = page.rstrip(".,")
            assert page == data.get("project_url") or page in data.get("links", []), (paper_id, page)
    assert pages >= 15
    assert not any(".github.io" in node_id for node_id, _ in result.graph.nodes(REPOSITORY))
    blurb = [d for _, d in result.graph.nodes("Paper") if "https://aka.ms/BLURB" in d.get("links", [])]
    assert len(blurb) == 1


def test_a_project_page_from_metadata_does_not_hide_the_pages_in_the_text() -> None:
    paper = MergedPaper(
        title="T",
        abstract="Demo at https://demo.example.org. Slides: https://aka.ms/t. Page: https://o.github.io/t/.",
        project_url="https://o.github.io/t",
        sources=["hf.json#0"],
    )
    extraction = extract_paper(paper)
    assert extraction.project_url == "https://o.github.io/t"
    assert extraction.links == ["https://aka.ms/t", "https://demo.example.org"]
