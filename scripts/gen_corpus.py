"""Synthetic corpus for scale runs: N papers recombined from the sample listings' real titles,
sentences and names, in any input format, streamed to disk, the same bytes for the same seed.

Usage: python scripts/gen_corpus.py N OUT_DIR [--format F] [--seed S] [--per-file K] [--gzip] [--first I]

Every paper gets a unique name made of two pieces of real title names ("Tiny" + "CLIP") and a
number ("TinyCLIP7"); its title is that name and the tail of a real title ("TinyCLIP7: Efficient
...", unique after normalisation); its abstract takes sentence k of a sentence count drawn from a
real abstract from the same relative position of another real abstract, with that abstract's own
name replaced by the new name, and the names of code repositories too (so repositories are new).
Ids are unique arXiv ids, 20,000 a month from January 2020. Authors recombine given and family
names of the test fixtures' authors. Output is sharded into files of K papers (each reader holds
at most one file's JSON document), written one paper at a time.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from kg.build import read_papers
from kg.extract.sentences import split
from kg.report import Report
from kg.sources import arxiv_atom, arxiv_jsonl, hf_json, hf_text, pwc

ROOT = Path(__file__).resolve().parent.parent
NAME_MARK, REPO_MARK = "\x00", "\x01"
PER_MONTH = 20_000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TITLE_NAME = re.compile(r"^([A-Z][\w.+-]{1,24}):\s+([A-Za-z].*)$")
_NAME_PIECE = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+")
_REPO_URL = re.compile(r"((?:github\.com|gitlab\.com|huggingface\.co)/[\w.-]+/)([\w.-]*\w)", re.I)


@dataclass(frozen=True)
class Seed:
    """One real paper as building blocks: its sentences, with its own name and repository names marked."""

    tail: str
    sentences: tuple[str, ...]


@dataclass
class Vocabulary:
    seeds: list[Seed]
    names: list[str]
    """Distinct letter-only names (distinct in lower case): prefix piece + suffix piece of real names."""
    given: list[str]
    family: list[str]


@dataclass(frozen=True)
class SynthPaper:
    arxiv_id: str
    name: str
    title: str
    abstract: str
    authors: list[str]
    published: str
    """YYYY-MM-DD"""


def load_vocabulary(examples: Path, fixtures: Path) -> Vocabulary:
    """Titles, sentences and names of the sample listings; author names of the test fixtures."""
    papers, _ = read_papers([str(examples)], Report())
    seeds, prefixes, suffixes = [], set(), set()
    for paper in papers:
        if not paper.abstract:
            continue
        match = _TITLE_NAME.match(paper.title)
        name, tail = (match.group(1), match.group(2)) if match else (None, paper.title)
        text = paper.abstract
        if name:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", NAME_MARK, text)
            pieces = _NAME_PIECE.findall(name)
            if pieces:
                prefixes.add(pieces[0])
                suffixes.add("".join(pieces[1:]) or pieces[0])
        text = _REPO_URL.sub(lambda m: m.group(1) + REPO_MARK, text)
        seeds.append(Seed(tail, tuple(s.text for s in split(text))))
    names: dict[str, str] = {}
    for prefix in sorted(prefixes):
        for suffix in sorted(suffixes):
            names.setdefault((prefix + suffix).lower(), prefix + suffix)
    authors, _ = read_papers([str(p) for p in sorted(fixtures.glob("*")) if p.is_file()], Report())
    full = sorted({a for p in authors for a in p.authors if " " in a and "\\" not in a})
    given = sorted({a.rsplit(" ", 1)[0] for a in full})
    family = sorted({a.rsplit(" ", 1)[1] for a in full})
    return Vocabulary(seeds, list(names.values()), given or ["Ada"], family or ["Lovelace"])


class Generator:
    """Papers one at a time from one random stream, so a seed always gives the same corpus."""

    def __init__(self, vocab: Vocabulary, seed: int) -> None:
        self.vocab = vocab
        self.rng = random.Random(seed)
        self.names = list(vocab.names)
        self.rng.shuffle(self.names)

    def name(self, index: int) -> str:
        """Unique: letters (distinct per name) then the number, so no two share a match key."""
        return f"{self.names[index % len(self.names)]}{index // len(self.names) + 1}"

    def paper(self, index: int) -> SynthPaper:
        rng, seeds = self.rng, self.vocab.seeds
        name = self.name(index)
        title = f"{name}: {rng.choice(seeds).tail}"
        while hf_text.is_abstract(title):
            title = f"{name}: {rng.choice(seeds).tail}"
        count = len(rng.choice(seeds).sentences)
        sentences = []
        for position in range(count):
            donor = rng.choice(seeds).sentences
            sentences.append(donor[position * len(donor) // count])
        while not hf_text.is_abstract(" ".join(sentences)):
            sentences.append(rng.choice(rng.choice(seeds).sentences))
        abstract = " ".join(sentences).replace(NAME_MARK, name).replace(REPO_MARK, name.lower())
        month, number = divmod(index, PER_MONTH)
        year, month = 2020 + month // 12, month % 12 + 1
        authors = [f"{rng.choice(self.vocab.given)} {rng.choice(self.vocab.family)}"
                   for _ in range(rng.randint(1, 8))]
        return SynthPaper(arxiv_id=f"{year % 100:02d}{month:02d}.{number + 1:05d}", name=name, title=title,
                          abstract=abstract, authors=authors, published=f"{year}-{month:02d}-{number % 28 + 1:02d}")


class FormatWriter:
    """One input format: what opens a file, each paper, what closes it."""

    name: str
    suffix: str

    def begin(self, fh: IO[str], first: SynthPaper) -> None:
        return None

    def paper(self, fh: IO[str], paper: SynthPaper, first: bool) -> None:
        raise NotImplementedError

    def end(self, fh: IO[str]) -> None:
        return None


class HfText(FormatWriter):
    name, suffix = hf_text.NAME, ".txt"

    def begin(self, fh: IO[str], first: SynthPaper) -> None:
        month, day = int(first.published[5:7]), int(first.published[8:10])
        fh.write("new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
                 f"{MONTHS[month - 1]} {day}\n\n")

    def paper(self, fh: IO[str], paper: SynthPaper, first: bool) -> None:
        fh.write(f"{paper.title}\n\n{paper.abstract}\n\n")


class JsonArray(FormatWriter):
    """A JSON list written item by item."""

    def begin(self, fh: IO[str], first: SynthPaper) -> None:
        fh.write("[\n")

    def paper(self, fh: IO[str], paper: SynthPaper, first: bool) -> None:
        fh.write(("" if first else ",\n") + json.dumps(self.item(paper), ensure_ascii=False))

    def end(self, fh: IO[str]) -> None:
        fh.write("\n]\n")

    def item(self, paper: SynthPaper) -> dict:
        raise NotImplementedError


class HfJson(JsonArray):
    name, suffix = hf_json.NAME, ".json"

    def item(self, paper: SynthPaper) -> dict:
        stamp = f"{paper.published}T12:00:00.000Z"
        return {"paper": {"id": paper.arxiv_id, "authors": [{"name": a} for a in paper.authors],
                          "publishedAt": stamp, "title": paper.title, "summary": paper.abstract},
                "publishedAt": stamp, "title": paper.title}


class PwcPapers(JsonArray):
    name, suffix = pwc.PAPERS, ".json"

    def item(self, paper: SynthPaper) -> dict:
        return {"paper_url": f"https://paperswithcode.com/paper/{paper.name.lower()}", "arxiv_id": paper.arxiv_id,
                "title": paper.title, "abstract": paper.abstract,
                "url_abs": f"http://arxiv.org/abs/{paper.arxiv_id}v1", "authors": paper.authors,
                "date": paper.published}


class ArxivJsonl(FormatWriter):
    name, suffix = arxiv_jsonl.NAME, ".jsonl"

    def paper(self, fh: IO[str], paper: SynthPaper, first: bool) -> None:
        year, month, day = (int(part) for part in paper.published.split("-"))
        item = {"id": paper.arxiv_id, "authors": ", ".join(paper.authors), "title": paper.title,
                "categories": "cs.LG", "abstract": paper.abstract, "update_date": paper.published,
                "versions": [{"version": "v1", "created": f"Mon, {day} {MONTHS[month - 1]} {year} 12:00:00 GMT"}]}
        fh.write(json.dumps(item, ensure_ascii=False) + "\n")


class ArxivAtom(FormatWriter):
    name, suffix = arxiv_atom.NAME, ".xml"

    def begin(self, fh: IO[str], first: SynthPaper) -> None:
        fh.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="{arxiv_atom.NS["atom"]}" '
                 f'xmlns:arxiv="{arxiv_atom.NS["arxiv"]}">\n')

    def paper(self, fh: IO[str], paper: SynthPaper, first: bool) -> None:
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in paper.authors)
        fh.write(f"<entry><id>http://arxiv.org/abs/{paper.arxiv_id}v1</id>"
                 f"<published>{paper.published}T12:00:00Z</published><title>{escape(paper.title)}</title>"
                 f"<summary>{escape(paper.abstract)}</summary>{authors}</entry>\n")

    def end(self, fh: IO[str]) -> None:
        fh.write("</feed>\n")


WRITERS: dict[str, FormatWriter] = {w.name: w for w in (HfText(), HfJson(), ArxivJsonl(), ArxivAtom(), PwcPapers())}


def _open(path: Path, compress: bool) -> IO[str]:
    if not compress:
        return path.open("w", encoding="utf-8", newline="\n")
    raw = path.open("wb")
    return io.TextIOWrapper(gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0), encoding="utf-8",
                            newline="\n")


def generate(count: int, out_dir: Path, fmt: str, seed: int = 0, per_file: int = 10_000,
             compress: bool = False, first: int = 0, examples: Path = ROOT / "examples",
             fixtures: Path = ROOT / "tests" / "fixtures") -> Iterator[Path]:
    """Write papers `first` to `first + count - 1` into `out_dir` in files of `per_file` papers;
    yields each file written. Corpora of disjoint ranges have no paper in common."""
    writer = WRITERS[fmt]
    generator = Generator(load_vocabulary(examples, fixtures), seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    width = len(str(max(count - 1, 0) // per_file))
    for shard, start in enumerate(range(first, first + count, per_file)):
        path = out_dir / f"{fmt}-{shard:0{width}d}{writer.suffix}{'.gz' if compress else ''}"
        with _open(path, compress) as fh:
            for index in range(start, min(start + per_file, first + count)):
                paper = generator.paper(index)
                if index == start:
                    writer.begin(fh, paper)
                writer.paper(fh, paper, index == start)
            writer.end(fh)
        yield path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="papers to write")
    parser.add_argument("out_dir", type=Path, help="folder for the files (created)")
    parser.add_argument("--format", dest="fmt", choices=sorted(WRITERS), default=arxiv_jsonl.NAME)
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same bytes)")
    parser.add_argument("--per-file", type=int, default=10_000, help="papers per file")
    parser.add_argument("--gzip", action="store_true", help="write .gz files")
    parser.add_argument("--first", type=int, default=0, help="index of the first paper (to make disjoint corpora)")
    args = parser.parse_args()
    if args.count < 1 or args.per_file < 1 or args.first < 0:
        parser.error("count and --per-file must be at least 1, --first at least 0")
    files = sum(1 for _ in generate(args.count, args.out_dir, args.fmt, args.seed, args.per_file, args.gzip,
                                    args.first))
    print(f"wrote {args.count} {args.fmt} papers in {files} files to {args.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
