"""The Spark job in local mode (Java 17): listings in, extraction records out, and
`kg build --from-mentions` turns them into the graph, report and files of a one-machine build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.outputs import OUTPUTS
from kg.spark_job import run

from .conftest import EXAMPLES, FIXTURES, MIXED_INPUTS, ROOT

pytestmark = pytest.mark.spark

SKIP = [name for name in OUTPUTS if name not in {"json", "graphml"}]
INPUTS = [str(EXAMPLES.relative_to(ROOT)), *(str((FIXTURES / name).relative_to(ROOT)) for name in MIXED_INPUTS),
          "no-such-listing.json"]
OUT_FILES = ("graph.json", "graph.graphml", "report.json")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("papers-kg tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-machine build of the inputs (run from the repository, as the job's names are)."""
    out = tmp_path_factory.mktemp("single")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        build(INPUTS, out, skip=SKIP)
    finally:
        os.chdir(cwd)
    return out


def from_mentions(records: Path, out: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--from-mentions", str(records), "-o", str(out),
                                      *(arg for name in SKIP for arg in ("--skip", name))])
    assert result.exit_code == 0, result.output


def test_spark_records_give_the_single_process_build(spark: Any, single: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run(spark, INPUTS, str(tmp_path / "records"), partitions=3)
    parts = sorted((tmp_path / "records" / "papers").glob("part-*"))
    assert len(parts) == 3
    lines = [json.loads(line) for part in parts for line in part.read_text("utf-8").splitlines()]
    assert {"id", "title", "arxiv_id"} <= lines[0]["paper"].keys() and all("mentions" in line for line in lines)
    from_mentions(tmp_path / "records", tmp_path / "graph")
    for name in OUT_FILES:
        assert (tmp_path / "graph" / name).read_bytes() == (single / name).read_bytes(), name


def normalised(value: Any, prefix: str) -> Any:
    """Provenance with file URIs read as the paths the one-machine build names them by."""
    if isinstance(value, str):
        return value.replace(prefix, "")
    if isinstance(value, list):
        return [normalised(item, prefix) for item in value]
    if isinstance(value, dict):
        return {key: normalised(item, prefix) for key, item in value.items()}
    return value


def test_spark_reads_uris_with_binary_files(spark: Any, single: Path, tmp_path: Path) -> None:
    uris = [f"file://{ROOT}/{name}" for name in INPUTS[:-1]]
    run(spark, uris, str(tmp_path / "records"), partitions=2)
    from_mentions(tmp_path / "records", tmp_path / "graph")
    for name in ("graph.json", "report.json"):
        got = json.loads((tmp_path / "graph" / name).read_text("utf-8"))
        want = json.loads((single / name).read_text("utf-8"))
        if name == "report.json":  # the missing input has no URI here
            want["files"] = [entry for entry in want["files"] if entry["file"] != INPUTS[-1]]
            want["totals"] = got["totals"]
        assert normalised(got, f"file:{ROOT}/") == normalised(want, ""), name


def test_spark_job_command(single: Path, tmp_path: Path) -> None:
    records = tmp_path / "records"
    command = [sys.executable, "-m", "kg.spark_job", *INPUTS, "-o", str(records), "--master", "local[2]",
               "--partitions", "2"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "records read" in done.stderr and f"{records}/papers" in done.stderr
    from_mentions(records, tmp_path / "graph")
    assert (tmp_path / "graph" / "graph.json").read_bytes() == (single / "graph.json").read_bytes()
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert again.returncode != 0 and "exists" in again.stderr
