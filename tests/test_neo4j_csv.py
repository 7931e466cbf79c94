"""`kg export neo4j-csv` / the `neo4j-csv` output of `kg build`: headers checked field by field against
the `neo4j-admin database import full` header format, values parsed by their declared types give back
the graph, and import.sh imports exactly the files written. Also the docker compose setup."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kg.export import neo4j_csv
from kg.export.neo4j_csv import ARRAY_DELIMITER, ARRAY_DELIMITER_OPTION, IMPORT_SCRIPT, csv_line, write_neo4j_csv
from kg.graph import GraphError, KnowledgeGraph
from kg.schema import LABELS, RELATIONSHIPS
from tests.neo4j_support import expected_state, rich_graph

ROOT = Path(__file__).resolve().parent.parent

# The header format of neo4j-admin (Operations Manual, "Import header format"): `<name>:<field_type>`.
SCALAR_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
                "localtime", "time", "localdatetime", "datetime", "duration"}
ID_FIELD = re.compile(r"^(?P<name>[^:]*):ID(\((?P<group>[^()]+)\))?$")
START_FIELD = re.compile(r"^:START_ID(\((?P<group>[^()]+)\))?$")
END_FIELD = re.compile(r"^:END_ID(\((?P<group>[^()]+)\))?$")
PROPERTY_FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(:(?P<type>[a-z]+)(?P<array>\[\])?)?$")


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    return header, rows


def _parse(text: str, kind: str, array: bool) -> Any:
    """A CSV cell as neo4j-admin reads it; an empty cell is no value."""
    if text == "":
        return None
    if array:
        return [_parse(item, kind, False) for item in text.split(ARRAY_DELIMITER)]
    if kind == "long":
        return int(text)
    if kind == "double":
        return float(text)
    if kind == "boolean":
        return text == "true"
    return text


def check_node_header(header: list[str]) -> tuple[str, dict[int, tuple[str, str, bool]]]:
    """Validate a node file header field by field; returns the ID group and the property columns."""
    ids = [ID_FIELD.match(field) for field in header]
    assert sum(bool(match) for match in ids) == 1, f"exactly one :ID field in {header}"
    id_match = next(match for match in ids if match)
    assert id_match["name"] == "id" and id_match["group"] in LABELS
    assert header.count(":LABEL") == 1
    return id_match["group"], _properties(header, skip={id_match.string, ":LABEL"})


def check_relationship_header(header: list[str]) -> tuple[str, str, dict[int, tuple[str, str, bool]]]:
    starts = [match for f in header if (match := START_FIELD.match(f))]
    ends = [match for f in header if (match := END_FIELD.match(f))]
    assert len(starts) == 1 and len(ends) == 1 and header.count(":TYPE") == 1, header
    return starts[0]["group"], ends[0]["group"], _properties(header, skip={starts[0].string, ends[0].string, ":TYPE"})


def _properties(header: list[str], skip: set[str]) -> dict[int, tuple[str, str, bool]]:
    columns = {}
    for index, field in enumerate(header):
        if field in skip:
            continue
        match = PROPERTY_FIELD.match(field)
        assert match, f"{field!r} is not `name` or `name:type`"
        kind = match["type"] or "string"
        assert kind in SCALAR_TYPES, f"{field!r}: unknown type {kind}"
        columns[index] = (match["name"], kind, bool(match["array"]))
    names = [name for name, _, _ in columns.values()]
    assert len(names) == len(set(names)), f"duplicate property in {header}"
    return columns


def read_back(out: Path) -> tuple[dict, dict]:
    """Every node and relationship the files describe, as the importer would store them."""
    nodes, rels, groups = {}, {}, set()
    for path in sorted(out.glob("nodes-*.csv")):
        header, rows = _read(path)
        group, columns = check_node_header(header)
        groups.add(group)
        for row in rows:
            assert len(row) == len(header), f"{path.name}: ragged row"
            props = {name: _parse(row[i], kind, array) for i, (name, kind, array) in columns.items()}
            label = row[header.index(":LABEL")]
            assert label == group == path.stem.removeprefix("nodes-")
            node_id = row[header.index("id:ID(" + group + ")")]
            nodes[node_id] = (label, {"id": node_id, **{k: v for k, v in props.items() if v is not None}})
    for path in sorted(out.glob("relationships-*.csv")):
        header, rows = _read(path)
        start_group, end_group, columns = check_relationship_header(header)
        assert {start_group, end_group} <= groups, "relationships refer to ID spaces of node files"
        start_at, end_at = header.index(f":START_ID({start_group})"), header.index(f":END_ID({end_group})")
        for row in rows:
            rel, start, end = row[header.index(":TYPE")], row[start_at], row[end_at]
            assert rel in RELATIONSHIPS and start_group in RELATIONSHIPS[rel][0] and end_group in RELATIONSHIPS[rel][1]
            assert nodes[start][0] == start_group and nodes[end][0] == end_group
            props = {name: _parse(row[i], kind, array) for i, (name, kind, array) in columns.items()}
            rels[(start, rel, end)] = {k: v for k, v in props.items() if v is not None}
    return nodes, rels


@pytest.fixture(scope="module")
def seed_csv(seed_build) -> Path:
    """The neo4j-csv output of the session's `kg build examples/`."""
    return seed_build[1] / "neo4j"


def test_kg_build_writes_the_bulk_import_files(seed_csv: Path, seed_graph_file: Path) -> None:
    graph = KnowledgeGraph.load(seed_graph_file)
    labels = {label for label, n in graph.counts()["nodes"].items() if n}
    assert {p.name for p in seed_csv.glob("nodes-*.csv")} == {f"nodes-{label}.csv" for label in labels}
    assert (seed_csv / IMPORT_SCRIPT).stat().st_mode & 0o111


def test_headers_follow_the_neo4j_admin_format_field_by_field(seed_csv: Path) -> None:
    header, _ = _read(seed_csv / "nodes-Paper.csv")
    assert header[:2] == ["id:ID(Paper)", ":LABEL"]
    _, columns = check_node_header(header)
    kinds = {name: (kind, array) for name, kind, array in columns.values()}
    assert kinds["title"] == ("string", False) and "title" in header
    assert kinds["sources"] == ("string", True) and "sources:string[]" in header
    rel_header, _ = _read(seed_csv / "relationships-HAS_CODE-Paper-Repository.csv")
    assert rel_header[:3] == [":START_ID(Paper)", ":END_ID(Repository)", ":TYPE"]
    assert "confidence:double" in rel_header and "count:long" in rel_header and "evidence" in rel_header


def test_the_files_give_back_exactly_the_graph(seed_csv: Path, seed_graph_file: Path, tmp_path: Path) -> None:
    assert read_back(seed_csv) == expected_state(json.loads(seed_graph_file.read_text(encoding="utf-8")))
    graph = rich_graph()
    write_neo4j_csv(graph, tmp_path)
    assert read_back(tmp_path) == expected_state(graph.to_json())


def test_import_script_imports_every_file_with_the_declared_options(seed_csv: Path) -> None:
    script = (seed_csv / IMPORT_SCRIPT).read_text(encoding="utf-8")
    named = set(re.findall(r"--(?:nodes|relationships)=/import/([\w.-]+\.csv)", script))
    assert named == {p.name for p in seed_csv.glob("*.csv")}
    assert f"--array-delimiter={ARRAY_DELIMITER_OPTION}" in script and "--id-type=string" in script
    assert "neo4j-admin database import full" in script and "--overwrite-destination=true" in script
    assert "/kg-cypher/schema.cypher" in script
    bash = shutil.which("bash")
    assert bash and subprocess.run([bash, "-n", str(seed_csv / IMPORT_SCRIPT)], check=False).returncode == 0


def test_multiline_values_switch_on_multiline_fields(tmp_path: Path) -> None:
    graph = rich_graph()
    graph.add_node("paper:two-lines", "Paper", "Two lines", abstract="first line\nsecond line, \"quoted\"")
    write_neo4j_csv(graph, tmp_path)
    assert "--multiline-fields=true" in (tmp_path / IMPORT_SCRIPT).read_text(encoding="utf-8")
    assert read_back(tmp_path)[0]["paper:two-lines"][1]["abstract"] == "first line\nsecond line, \"quoted\""


@given(st.lists(st.text(alphabet=st.sampled_from(',"\n\r \t;\\\'x\x00\x1fé\u2028'), max_size=6) | st.text(), min_size=2,
                max_size=6))
def test_csv_line_is_what_the_csv_module_writes(cells: list[str]) -> None:
    written = io.StringIO()
    csv.writer(written, lineterminator="\n").writerow(cells)
    assert csv_line(cells) == written.getvalue()


def test_a_property_first_seen_late_gets_its_sorted_column_and_empty_cells_before(tmp_path: Path) -> None:
    graph = KnowledgeGraph()
    graph.add_node("model:a", "Model", "A")
    graph.add_node("model:b", "Model", "B", kind="language", aliases=["Bee"], year=2020)
    write_neo4j_csv(graph, tmp_path)
    header, rows = _read(tmp_path / "nodes-Model.csv")
    assert header == ["id:ID(Model)", ":LABEL", "aliases:string[]", "kind", "name", "year:long"]
    assert rows == [["model:a", "Model", "", "", "A", ""], ["model:b", "Model", "Bee", "language", "B", "2020"]]


def test_rows_kept_in_batches_of_any_size_give_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = rich_graph()
    graph.add_node("model:late", "Model", "Late", year=2020, family="late")  # columns first seen late
    graph.add_node("paper:two-lines", "Paper", "Two lines", abstract="first line\nsecond line")
    write_neo4j_csv(graph, tmp_path / "default")
    monkeypatch.setattr(neo4j_csv, "BATCH", 1)
    write_neo4j_csv(graph, tmp_path / "one")
    files = sorted(p.name for p in (tmp_path / "default").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "one").iterdir()) and len(files) > 3
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "default" / name).read_bytes()
    assert "--multiline-fields=true" in (tmp_path / "one" / IMPORT_SCRIPT).read_text(encoding="utf-8")


def test_rows_kept_are_read_back_in_whole_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows an exact multiple of the batch size come back in those batches, with no empty one after."""
    monkeypatch.setattr(neo4j_csv, "BATCH", 2)
    for count, batches in ((4, [2, 2]), (5, [2, 2, 1]), (0, [])):
        with (tmp_path / f"body-{count}").open("w+b") as fh:
            body = neo4j_csv._Body(fh)
            for n in range(count):
                body.add([f"model:{n}"], {"name": str(n)})
            kept = list(body.kept())
        assert [len(batch) for batch in kept] == batches
        assert [row[0] for batch in kept for row in batch] == [f"model:{n}" for n in range(count)]


def test_a_value_containing_the_array_delimiter_is_refused(tmp_path: Path) -> None:
    graph = rich_graph()
    graph.add_node("model:odd", "Model", "Odd", aliases=[f"a{ARRAY_DELIMITER}b"])
    with pytest.raises(GraphError, match="array delimiter"):
        write_neo4j_csv(graph, tmp_path)


def test_a_column_mixing_types_is_refused(tmp_path: Path) -> None:
    graph = rich_graph()
    graph.add_node("model:n1", "Model", "N1", size=7)
    graph.add_node("model:n2", "Model", "N2", size="7B")
    with pytest.raises(GraphError, match="size.*mixes value types"):
        write_neo4j_csv(graph, tmp_path)


def test_compose_runs_neo4j_5_with_auth_from_an_env_file_data_volume_and_health_check() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "docker-compose.yml").read_text(encoding="utf-8"))
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5")
    assert set(neo4j["ports"]) == {"7474:7474", "7687:7687"}
    assert neo4j["env_file"] == ".env"
    volumes = neo4j["volumes"]
    assert next(v for v in volumes if v.endswith(":/data")).split(":")[0] in compose["volumes"]
    assert any(v.startswith("${KG_IMPORT_DIR:-") and v.endswith(":/import") for v in volumes)
    assert "../cypher:/kg-cypher:ro" in volumes
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    example = (ROOT / "docker" / "neo4j.env.example").read_text(encoding="utf-8")
    assert re.search(r"^NEO4J_AUTH=neo4j/\S{8,}$", example, re.M)
    assert "docker/.env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_browser_style_gives_every_label_a_colour_and_caption() -> None:
    style = (ROOT / "cypher" / "style.grass").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"^(node\.\w+|relationship(?:\.\w+)?|node) \{(.*?)^\}", style, re.S | re.M))
    for label in LABELS:
        block = blocks[f"node.{label}"]
        assert re.search(r"\bcolor: #[0-9A-F]{6};", block) and re.search(r'caption: "\{\w+\}";', block), label
    assert style.count("{") == style.count("}")
