"""Input files made by the tests: the unreadable-file corpus and a Windows-saved listing. Binary
and compressed files are generated here rather than committed as opaque blobs."""

from __future__ import annotations

import gzip
from pathlib import Path

from .conftest import FIXTURES

BAD = FIXTURES / "bad"


def messy_crlf_bom(tmp_path: Path) -> Path:
    """The messy listing as scrapers save it on Windows: UTF-8 BOM and CRLF line ends."""
    path = tmp_path / "messy-crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "hf_messy.txt").read_text("utf-8").replace("\n", "\r\n").encode())
    return path


def bad_corpus(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Every kind of unreadable file, written into `tmp_path`: name -> (path, start of the reason)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    valid = (FIXTURES / "hf_daily_papers.json").read_bytes()
    generated = {
        "binary.bin": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        "latin1.txt": (
            ("Über Modelle\n\n" + "Ein Abstract über Modelle, in Latin-1 gespeichert. " * 5).encode("latin-1"),
            "invalid UTF-8",
        ),
        "empty.json": (b"", "empty file"),
        "blank.txt": (b"\n \r\n\t\n", "empty file"),
        "truncated.json.gz": (gzip.compress(valid)[:120], "compressed data is truncated or corrupt"),
        "not-gzip.gz": (b"\x1f\x8b" + b"this is not deflate data at all" * 4,
                        "compressed data is truncated or corrupt"),
        "page.html": (b"<!DOCTYPE html><html><body>Not a feed</body></html>", "XML that is not an Atom feed"),
    }
    corpus = {}
    for name, (data, reason) in generated.items():
        path = tmp_path / name
        path.write_bytes(data)
        corpus[name] = (path, reason)
    committed = {
        "truncated.json": "invalid JSON at column",
        "malformed.xml": "malformed XML",
        "unknown.json": "JSON with no known paper fields",
        "table.csv": "unknown format",
    }
    for name, reason in committed.items():
        corpus[name] = (BAD / name, reason)
    return corpus
