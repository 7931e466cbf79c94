"""Property-based tests over every reader and extractor: arbitrary bytes, mangled fixtures and
arbitrary text never raise (a reader's only answer to bad input is a Reject record), never hang
(hypothesis deadlines), and a build of any of it balances its accounting."""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import example, given
from hypothesis import strategies as st

from kg.build import build
from kg.extract import extract_document
from kg.extract.document import Document
from kg.extract.links import find_links
from kg.extract.sentences import _BOUNDARY, MAX_SENTENCE, _boundaries, split
from kg.model import Record
from kg.schema import ID_PREFIX, REL_TYPES, RELATIONSHIPS
from kg.sources import FORMATS, detect, read_file
from kg.sources.files import InputError, InputFile, decode_line
from kg.text import clean, fold, match_key, printable

from .checks import assert_sound
from .conftest import FIXTURES
from .hostile import ATOM, ENTRY, FUZZ, check_records

FIXTURE_FILES = sorted(p.name for p in FIXTURES.iterdir() if p.is_file())
TRICKY = [
    # names, cues and shapes the extractors look for
    "CLIP", "LLaMA-2", "Llama 2", "ImageNet", "SAM", "BERT-base", "GPT-4", "ViT-B/32", "LoRA", "TinyCLIP", "FooNet",
    "we propose", "We introduce", "called", "dubbed", "fine-tune", "distilled from", "outperforms", "than",
    "dataset", "benchmark", "(ABC)", "Alpha Beta Gamma (ABG)", "based on", "backbone", "-7B", "v2",
    # punctuation, links and abbreviations the splitter and link finder look for
    ".", ". ", "e.g.", "et al.", "(", ")", ":", "\n", "\t", "-", "/", "+", '"', "'", "“", "”",
    "https://github.com/o/r", "github.com/", "www.", "http://", "https://x.github.io/p", "aka.ms/x", "\\url{",
    # text that changes length or meaning when normalised or lower-cased, and characters no output can hold
    "İ", "ß", "ﬁ", "Ⅻ", "\u00a0", "\u200b", "\u202e", "\ufeff", "𝔘", "🙂",
    "\x00", "\x7f", "\ud800", "\uffff",
]
texts = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=12)), max_size=60).map("".join)
"""Text made of what the extractors look for, mixed with arbitrary characters (surrogates too)."""
any_text = st.text(st.characters(exclude_categories=()), max_size=400)


def utf8(text: str) -> bytes:
    """UTF-8, with any lone surrogate as the (invalid) bytes it would be."""
    return text.encode("utf-8", "surrogatepass")


def read_bytes(data: bytes, fmt: str | None, on_disk: bool) -> list[Record]:
    """Every record of `data` read as one input file (from disk, or as bytes like standard input)."""
    if not on_disk:
        return list(read_file(InputFile("-", data=data), fmt).records)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        return list(read_file(InputFile(str(path), path), fmt).records)


formats = st.sampled_from([None, *FORMATS])


@FUZZ
@given(st.binary(max_size=2_000), formats, st.booleans(), st.booleans())
def test_readers_on_arbitrary_bytes(data: bytes, fmt: str | None, compress: bool, on_disk: bool) -> None:
    check_records(read_bytes(gzip.compress(data) if compress else data, fmt, on_disk))


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """A fixture file with bytes flipped, cut, inserted or repeated: input that is almost right."""
    data = bytearray((FIXTURES / draw(st.sampled_from(FIXTURE_FILES))).read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if edit == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif edit == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20) | st.sampled_from(TRICKY).map(utf8))
        else:
            data[at:at] = data[at:at + draw(st.integers(1, 200))] * draw(st.integers(2, 5))
    return bytes(data)


@FUZZ
@given(mangled(), formats, st.booleans())
def test_readers_on_mangled_fixtures(data: bytes, fmt: str | None, compress: bool) -> None:
    check_records(read_bytes(gzip.compress(data) if compress else data, fmt, on_disk=True))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["name", "id", "x"]) | st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
PAPER_KEYS = ["title", "summary", "abstract", "id", "paper", "authors", "githubRepo", "projectPage", "publishedAt",
              "arxiv_id", "paper_url", "date", "repo_url", "paper_title", "paper_arxiv_id", "comments",
              "versions", "update_date", "categories"]
paper_items = st.dictionaries(st.sampled_from(PAPER_KEYS), json_values | texts, max_size=8)


@FUZZ
@given(st.lists(paper_items | json_values, max_size=6), formats, st.booleans(), st.booleans())
def test_readers_on_json_with_paper_fields(items: list, fmt: str | None, as_lines: bool, ascii: bool) -> None:
    """Objects with the keys the JSON readers look for, holding values of any type and any text
    (escaped, or written as UTF-8 with lone surrogates as invalid bytes)."""
    dump = partial(json.dumps, ensure_ascii=ascii)
    text = "\n".join(dump(item) for item in items) if as_lines else dump(items)
    check_records(read_bytes(utf8(text), fmt, on_disk=False))


@FUZZ
@given(st.lists(st.tuples(texts, texts, st.text("0123456789.v/abcx-", max_size=14)), max_size=5),
       st.sampled_from([None, "arxiv-atom"]))
def test_atom_reader_on_entries_with_any_text(entries: list[tuple[str, str, str]], fmt: str | None) -> None:
    """Entries whose text is anything XML can carry (and some it cannot: then the file is malformed)."""
    body = "".join(ENTRY.format(id=escape(i), title=escape(t), summary=escape(s)) for t, s, i in entries)
    check_records(read_bytes(utf8(ATOM.format(body)), fmt, on_disk=False))


@FUZZ
@given(st.lists(texts, max_size=10), st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n"]),
       st.sampled_from(["utf-8", "utf-16"]))
def test_hf_text_reader_on_blocks_of_any_text(blocks: list[str], gap: str, encoding: str) -> None:
    data = gap.join(["Subscribe", *blocks]).encode(encoding, "surrogatepass")
    check_records(read_bytes(data, None, on_disk=False))


@FUZZ
@given(st.binary(max_size=4_000) | mangled())
def test_detect_raises_only_input_error(data: bytes) -> None:
    try:
        assert detect(data) in FORMATS
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)


@FUZZ
@given(texts | any_text, texts | any_text)
def test_extract_document_on_any_text(title: str, body: str) -> None:
    """Every mention has a known label, relation and id prefix, a confidence, and evidence quoted
    from the text."""
    doc = Document(title, body)
    for mention in extract_document(doc):
        assert mention.relation in REL_TYPES and mention.label in RELATIONSHIPS[mention.relation][1]
        assert mention.id.startswith(ID_PREFIX[mention.label])
        assert 0 <= mention.confidence <= 1
        assert mention.evidence in doc.text


@FUZZ
@given(texts | any_text)
def test_find_links_on_any_text(text: str) -> None:
    links = find_links(text)
    assert all(repo.url.startswith(f"https://{repo.host}/") and repo.id.startswith("repo:") for repo in links.repos)
    assert all(url.lower().startswith(("http://", "https://")) for url in links.project_pages + links.short_links)


@FUZZ
@given(texts | any_text)
def test_split_on_any_text(text: str) -> None:
    """Sentences are stripped slices of the text, in order, at most MAX_SENTENCE long, and together
    hold all of it but whitespace."""
    sentences = split(text)
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text == sentence.text.strip() != ""
        assert len(sentence.text) <= MAX_SENTENCE
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)
    assert "".join(text.split()) == "".join("".join(s.text for s in sentences).split())


@FUZZ
@given(st.lists(mangled(), min_size=1, max_size=4))
def test_build_of_mangled_files_balances(files: list[bytes]) -> None:
    """Whatever the files, every record read is kept, merged or rejected, and the graph is sound."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, data in enumerate(files):
            paths.append(Path(folder) / f"input-{number}")
            paths[-1].write_bytes(data)
        assert_sound(build([str(path) for path in paths]))


@given(st.text(st.characters(max_codepoint=0x7F), max_size=60), any_text)
def test_clean_text_is_the_same_on_the_ascii_fast_path(ascii_text: str, other: str) -> None:
    """ASCII text is cleaned on a fast path; with one non-ASCII letter after it, the general path
    must give the same text; any cleaned text is printable, single-spaced and trimmed."""
    assert printable(ascii_text + "é") == printable(ascii_text) + "é"
    assert clean(ascii_text + " é") == (clean(ascii_text) + " é").lstrip()
    cleaned = clean(other + ascii_text)
    assert printable(cleaned) == cleaned and "  " not in cleaned and cleaned == cleaned.strip()


@given(st.text(st.characters(max_codepoint=0x7F), max_size=60), any_text)
def test_match_keys_are_the_same_on_the_ascii_fast_path(ascii_text: str, other: str) -> None:
    """An ASCII name's match key is made by deleting bytes; it must be the key the definition gives
    (fold, then drop all but digits and lower-case Latin letters), and so must any other text's."""
    for text in (ascii_text, other + ascii_text):
        assert match_key(text) == re.sub(r"[^0-9a-z]+", "", fold(text))


@given(st.binary(max_size=40), st.booleans())
def test_decode_line_reads_as_the_utf8_sig_codec(raw: bytes, marked: bool) -> None:
    """A line decodes to the text "utf-8-sig" gives, or fails at the same byte."""
    raw = b"\xef\xbb\xbf" + raw if marked else raw
    try:
        expected: str | int = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        expected = exc.start
    try:
        got: str | int = decode_line(raw)
    except UnicodeDecodeError as exc:
        got = exc.start
    assert got == expected


@given(st.text(st.sampled_from(list(" .!?\"')]([\nAbc1é")), max_size=80) | st.text(max_size=80))
@example("Is it? Yes! It works.. Done... End")
@example("e.g. Mr. X said (so). \"Quoted.\" Next")
def test_sentence_ends_are_the_boundary_pattern_matches(text: str) -> None:
    """Sentence ends are found from the end marks `str.find` gives; they must be the matches the
    boundary pattern's own search finds, close quotes and spaces included."""
    def spans(matches: Iterable[re.Match[str]]) -> list[tuple[int, int, int]]:
        return [(m.start(), m.end("close"), m.end()) for m in matches]
    assert spans(_boundaries(text)) == spans(_BOUNDARY.finditer(text))
