"""The compiled build (PAPERS_KG_COMPILE=1: mypyc compiles the modules pyproject.toml lists) against
the pure-Python source: every listed module is a C extension there, and both builds write the same
files byte for byte. The wheel is built the way `pip install .` builds it, through setup.py."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPILED = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["papers-kg"]["compiled"]

pytestmark = pytest.mark.compile


@pytest.fixture(scope="module")
def compiled_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder holding the package as the compiled wheel installs it, and the build's output. Built
    from a copy of the sources, so no earlier build's cache hides mypyc's warnings."""
    source, wheels = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    target = tmp_path_factory.mktemp("compiled")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "kg", source / "kg", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    built = subprocess.run([*pip, "wheel", "-v", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
                           env={**os.environ, "PAPERS_KG_COMPILE": "1"}, capture_output=True, text=True,
                           timeout=1200)
    assert built.returncode == 0, built.stdout[-5000:] + built.stderr[-5000:]
    subprocess.run([*pip, "install", "-q", "--no-deps", "--target", str(target), *map(str, wheels.glob("*.whl"))],
                   check=True, timeout=300)
    return target, built.stdout + built.stderr


@pytest.fixture(scope="module")
def compiled_package(compiled_build: tuple[Path, str]) -> Path:
    return compiled_build[0]


def test_the_compiled_build_keeps_every_generator_lazy(compiled_build: tuple[Path, str]) -> None:
    """mypyc turns a generator expression it cannot compile as one into a list: a writer's stream of
    rows would become a list of the whole file (it once tripled a writer's memory at 100,000 papers)."""
    log = compiled_build[1]
    assert "building 'kg.extract.scan' extension" in log  # the compiled build's own output
    warnings = [line for line in log.splitlines() if "Treating generator comprehension as list" in line]
    assert not warnings, warnings


def kg(package: Path | None, *args: str, cwd: Path) -> str:
    """Run the `kg` command from `package` (None: the source tree) in `cwd`; its standard output."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if package is not None:
        env["PYTHONPATH"] = str(package)
    done = subprocess.run([sys.executable, "-c", "from kg.cli import cli; cli()", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_listed_module_is_a_c_extension_in_the_compiled_build(compiled_package: Path,
                                                                     tmp_path: Path) -> None:
    modules = [path.removesuffix(".py").replace("/", ".").removesuffix(".__init__") for path in COMPILED]
    probe = "import importlib, sys; print('\\n'.join(importlib.import_module(m).__file__ for m in sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", probe, *modules], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(compiled_package)}, check=True)
    files = done.stdout.split()
    assert len(files) == len(modules) == len(set(modules))
    assert all(f.startswith(str(compiled_package)) and f.endswith(".so") for f in files), files
    assert "(compiled with mypyc)" in kg(compiled_package, "--version", cwd=tmp_path)
    assert "(pure Python)" in kg(None, "--version", cwd=tmp_path)


def test_the_compiled_build_writes_the_same_files_as_the_source(compiled_package: Path, tmp_path: Path) -> None:
    examples = str(ROOT / "examples")
    kg(None, "build", examples, "-o", "pure", cwd=tmp_path)
    kg(compiled_package, "build", examples, "-o", "compiled", "--jobs", "2", cwd=tmp_path)
    for tree in ("pure", "compiled"):
        package = None if tree == "pure" else compiled_package
        kg(package, "export", "rdf", f"{tree}/graph.json", "-o", f"{tree}/graph.nt", cwd=tmp_path)
        # a site of the 40 most linked papers: ranked as a big graph's is
        kg(package, "site", f"{tree}/graph.json", "-o", f"{tree}/site-40", "--papers", "40", cwd=tmp_path)
    pure, compiled = tmp_path / "pure", tmp_path / "compiled"
    files = sorted(p.relative_to(pure) for p in pure.rglob("*") if p.is_file())
    assert {"graph.json", "graph.ttl", "graph.nt", "graph.graphml", "report.json"} <= {str(f) for f in files}
    assert {f.parts[0] for f in files} >= {"neo4j", "site", "site-40"}
    assert files == sorted(p.relative_to(compiled) for p in compiled.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(pure, compiled, [str(f) for f in files], shallow=False)
    assert not mismatch and not errors, mismatch + errors
    assert kg(None, "extract", examples, cwd=tmp_path) == kg(compiled_package, "extract", examples, cwd=tmp_path)


SCAN_PROBE = """
import json, sys
import hyperscan
from kg.extract import hs, scan
cues = scan.cue_kinds()
expressions, ids, flags = [c.expression.encode() for c in cues], list(range(len(cues))), [c.flags for c in cues]
native, package = hs.Patterns(expressions, ids, flags), hyperscan.Database()
package.compile(expressions=expressions, ids=ids, elements=len(ids), flags=flags)
differ, matches = [], 0
for text in json.load(sys.stdin):
    data = text.encode("ascii", "replace")
    found, want = native.scan(data), []
    package.scan(data, match_event_handler=lambda i, start, end, *_: want.append((i, start, end)))
    matches += len(want)
    if sorted(zip(found[::3], found[1::3], found[2::3])) != sorted(want):
        differ.append(text[:60])
try:
    hs.Patterns([b"(unclosed"], [0], [0])
    error = ""
except ValueError as bad:
    error = str(bad)
try:
    hs.Patterns([b"x"], [0], [0]).cues(b"x", "x")
    unread = ""
except RuntimeError as bad:
    unread = str(bad)
print(json.dumps({"native": hs.NATIVE, "differ": differ, "matches": matches, "error": error, "unread": unread}))
"""


def test_the_compiled_build_scans_in_c_and_finds_what_the_hyperscan_package_finds(compiled_package: Path,
                                                                                  tmp_path: Path) -> None:
    """The compiled build's `_hsmatches` (over the system's libhs) reports the same matches as the
    `hyperscan` package (its own bundled engine) for every cue pattern on every seed text."""
    from kg.build import read_papers
    from kg.extract import document_for
    from kg.report import Report

    papers, _ = read_papers([str(ROOT / "examples")], Report())
    texts = [document_for(paper).text for paper in papers]
    done = subprocess.run([sys.executable, "-c", SCAN_PROBE], input=json.dumps(texts), cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(compiled_package)},
                          timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["native"] and result["differ"] == []
    assert result["matches"] > 100 * len(texts)
    assert "cannot compile expression 0" in result["error"]
    assert "read_cues was not called" in result["unread"]


EVENTS_PROBE = """
import json, sys
from kg.extract import hs, scan
assert hs.NATIVE
print(json.dumps([list(scan.scan(text).spans.items()) for text in json.load(sys.stdin)]))
"""


def test_the_compiled_build_reads_cues_in_c_as_the_source_reads_them(compiled_package: Path, tmp_path: Path) -> None:
    """`scan.scan` in the compiled build turns matches into spans in C (`_hsmatches.cues`); it must
    give every kind of cue, in the same order, the spans the source's Python gives, on the seeds, on
    the scan tests' edge cases and past 65,536 characters."""
    from kg.build import read_papers
    from kg.extract import document_for
    from kg.extract.scan import scan
    from kg.report import Report
    from tests.test_scan import EDGES

    papers, _ = read_papers([str(ROOT / "examples")], Report())
    texts = [document_for(paper).text for paper in papers]
    texts += [EDGES, "Tülu and DALL·E — naïve models, we fine-tune BERT on naïve data.", "", " ".join(texts[:60])]
    done = subprocess.run([sys.executable, "-c", EVENTS_PROBE], input=json.dumps(texts), cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(compiled_package)},
                          timeout=300)
    assert done.returncode == 0, done.stderr
    compiled = json.loads(done.stdout)
    source = json.loads(json.dumps([list(scan(text).spans.items()) for text in texts]))
    assert len(compiled) == len(source) == len(texts)
    for text, mine, theirs in zip(texts, compiled, source, strict=True):
        assert mine == theirs, text[:80]
    assert sum(len(spans) for spans_by_kind in source for _, spans in spans_by_kind) > 30_000
