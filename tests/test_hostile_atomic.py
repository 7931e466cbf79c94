"""Outputs are written atomically: a writer that fails, a build interrupted while writing, and a
`kg build` killed in the middle of writing graph.ttl all leave the earlier outputs complete, and
no output is ever a truncated file that looks complete. Only the failure is faked (a writer that
raises or pauses part-way): it cannot be produced otherwise."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.atomic import atomic_write
from kg.build import build
from kg.graph import KnowledgeGraph
from kg.outputs import OUTPUTS

from .conftest import FIXTURES, ROOT

FIRST, SECOND = FIXTURES / "hf_daily_papers.json", FIXTURES / "arxiv_feed.xml"
SKIP = ("site", "neo4j-csv")
"""Outputs the build tests leave out: every writer is checked on its own below."""


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) by relative path, with its content."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def graph_of(path: Path) -> KnowledgeGraph:
    return build([str(path)]).graph


class Interrupted(KeyboardInterrupt):
    """Ctrl-C arriving in the middle of a write."""


@pytest.mark.parametrize("mode", ["w", "wb"])
@pytest.mark.parametrize("error", [ValueError, Interrupted])
def test_atomic_write_that_fails_part_way_leaves_the_old_file(tmp_path: Path, mode: str, error: type) -> None:
    target = tmp_path / "graph.json"
    target.write_text('{"old": true}\n')
    with pytest.raises(error):
        with atomic_write(target, mode) as fh:
            fh.write(b'{"new": ' if "b" in mode else '{"new": ')
            fh.flush()
            raise error("interrupted after part of the file")
    assert files(tmp_path) == {"graph.json": b'{"old": true}\n'}


def test_atomic_write_killed_part_way_leaves_the_old_file(tmp_path: Path) -> None:
    """SIGKILL runs no cleanup: the half-written temporary file stays (hidden, named *.tmp), the
    target keeps its old, complete content."""
    target = tmp_path / "graph.json"
    target.write_text('{"old": true}\n')
    script = ("import sys, time\nfrom kg.atomic import atomic_write\n"
              f"with atomic_write({str(target)!r}) as fh:\n"
              "    fh.write('{\"new\": ' * 1000); fh.flush(); print('paused', flush=True); time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert child.stdout is not None and child.stdout.readline() == "paused\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert target.read_text() == '{"old": true}\n'
    leftovers = [name for name in files(tmp_path) if name != "graph.json"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".graph.json.") and leftovers[0].endswith(".tmp")


def test_build_interrupted_while_writing_leaves_each_output_complete(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The graph.ttl writer is interrupted after writing half of the new file: graph.ttl and
    report.json stay as the first build wrote them; the outputs written before it are the second
    build's, complete; nothing half-written is left."""
    out, reference = tmp_path / "out", tmp_path / "reference"
    build([str(FIRST)], out, skip=SKIP)
    first = files(out)
    build([str(SECOND)], reference, skip=SKIP)
    second = files(reference)

    def interrupted_rdf(graph: KnowledgeGraph, folder: Path, jobs: int) -> Path:
        text = second["graph.ttl"].decode("utf-8")
        with atomic_write(folder / "graph.ttl") as fh:
            fh.write(text[: len(text) // 2])
            raise Interrupted("interrupted while writing graph.ttl")

    monkeypatch.setitem(OUTPUTS, "rdf", interrupted_rdf)
    with pytest.raises(Interrupted):
        build([str(SECOND)], out, skip=SKIP)
    now = files(out)
    assert set(now) == set(first), "a temporary file or a partial output was left"
    assert now["graph.ttl"] == first["graph.ttl"] and now["report.json"] == first["report.json"]
    order = list(OUTPUTS)  # writers run in this order: those before rdf wrote the second build's bytes
    for name, file in (("json", "graph.json"), ("graphml", "graph.graphml")):
        assert now[file] == (second if order.index(name) < order.index("rdf") else first)[file], file


KILLED_BUILD = """
import sys, time
from kg.atomic import atomic_write
from kg.cli import cli
from kg.outputs import OUTPUTS

def paused_rdf(graph, folder, jobs):
    with atomic_write(folder / "graph.ttl") as fh:
        fh.write("@prefix kg: <https://example.org/> .\\n" * 1000)
        fh.flush()
        print("paused", flush=True)
        time.sleep(60)

OUTPUTS["rdf"] = paused_rdf
cli(sys.argv[1:])
"""
"""`kg build` whose graph.ttl writer stops half-way (only the pause is faked), to be killed there."""


def test_kg_build_killed_while_writing_graph_ttl(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([str(FIRST)], out, skip=SKIP)
    first = files(out)
    args = ["build", str(SECOND), "-o", str(out), *(arg for name in SKIP for arg in ("--skip", name))]
    child = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        assert child.stdout is not None and child.stdout.readline() == "paused\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    now = files(out)
    assert now["graph.ttl"] == first["graph.ttl"] and now["report.json"] == first["report.json"]
    assert json.loads(now["graph.json"])["nodes"]
    leftovers = set(now) - set(first)
    assert all(name.startswith(".graph.ttl.") and name.endswith(".tmp") for name in leftovers), leftovers


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_every_writer_keeps_the_earlier_output_when_interrupted(name: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Each registered writer, interrupted where it would put a finished file in place (the
    rename), leaves every file it wrote before exactly as it was."""
    OUTPUTS[name](graph_of(FIRST), tmp_path, 1)
    before = files(tmp_path)

    def crash(*args: object) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", crash)
    monkeypatch.setattr(os, "rename", crash)
    with pytest.raises(OSError, match="simulated crash"):
        OUTPUTS[name](graph_of(SECOND), tmp_path, 1)
    assert files(tmp_path) == before
