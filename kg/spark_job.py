"""Extraction on Apache Spark, for corpora past one machine: read listings from a path, de-duplicate
papers exactly as `kg build` does, extract in parallel, and write extraction records (`kg.records`,
the `kg extract` contract with the fields assembly needs) as partitioned files, which
`kg build --from-mentions OUT -o GRAPH` turns into the graph and outputs of a one-machine build.

    python -m kg.spark_job INPUT... -o OUT [--format F] [--master local[*]] [--partitions N]
    spark-submit --py-files papers_kg.zip kg/spark_job.py INPUT... -o OUT

Stages:
1. read (distributed): each input file is read by the kg reader for its format on an executor;
   every record is kept (cached) with its place in the build's reading order (file number as
   `kg build` orders files, record number in the file);
2. de-duplicate (driver): the records' keys only (title, arXiv id) go through the build's own
   accounting and `PaperIndex` in reading order, so the papers, their creation order and the
   run report are the one-machine ones; the result is which paper each record belongs to;
3. merge and extract (distributed): records are grouped by paper, merged in reading order
   (`MergedPaper.absorb`, as the index merges them) and extracted (`extract_paper`, a pure
   function) in `mapPartitions`;
4. write: `OUT/papers/part-*` (records sorted by paper creation order across the part files),
   `OUT/links/part-*` (code links) and `OUT/report/part-*` (the run report before code links
   attach).

Local paths (files, folders) are listed on the driver exactly as `kg build` lists them, and read
by the executors from that path (so on a cluster it must be a shared filesystem); an input with a
URI scheme (hdfs://, s3a://, file://) is read with `binaryFiles`, named by its URI. OUT may be any
Hadoop filesystem URI and must not exist yet.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, groupby
from pathlib import Path
from typing import Any

from kg.build import index_readings
from kg.extract import extract_paper
from kg.model import Location, Paper, Record
from kg.records import dumps_record, link_to_json
from kg.report import Report
from kg.resolve.papers import MergedPaper, PaperIndex
from kg.sources import FORMATS, Reading, read_file, read_inputs
from kg.sources.files import STDIN, InputFile, expand

SEQ_BITS = 32
"""A record's key: file number << SEQ_BITS | record number in the file (reading order)."""


@dataclass(frozen=True)
class Read:
    """One record as read on an executor, with its key and its file's name and format."""

    key: int
    name: str
    format: str | None
    record: Record


def _keyed(number: int, reading: Reading) -> Iterator[Read]:
    for index, record in enumerate(reading.records):
        yield Read(number << SEQ_BITS | index, reading.name, reading.format, record)


def read_local(item: tuple[int, str, str], fmt: str | None) -> Iterator[Read]:
    """The records of one local file (named as `kg build` names it, read from its absolute path)."""
    number, name, path = item
    yield from _keyed(number, read_file(InputFile(name, Path(path)), fmt))


def read_bytes(item: tuple[int, tuple[str, bytes]], fmt: str | None) -> Iterator[Read]:
    number, (name, data) = item
    yield from _keyed(number, read_file(InputFile(name, data=data), fmt))


def uri_order(uri: str, inputs: list[str]) -> tuple[int, list[str]]:
    """Where a file read by URI comes in reading order: after the files of earlier inputs, in
    path order within its input (as `kg build` orders the files of its inputs)."""
    plain = uri.replace(":///", ":/")
    number = next((n for n, given in enumerate(inputs) if plain == given.replace(":///", ":/").rstrip("/")
                   or plain.startswith(given.replace(":///", ":/").rstrip("/") + "/")), len(inputs))
    return number, plain.split("/")


def light(read: Read) -> Read:
    """What the driver needs of a record: a paper becomes its title and arXiv id, located by its
    key (so the merged paper's `sources` say which records it absorbed)."""
    record = read.record
    if isinstance(record, Paper):
        record = Paper(title=record.title, arxiv_id=record.arxiv_id, location=Location(read.name, index=read.key))
    return Read(read.key, read.name, read.format, record)


def _readings(reads: list[Read]) -> Iterator[Reading]:
    """The records back as one Reading per file, in reading order."""
    for _, group in groupby(sorted(reads, key=lambda read: read.key), key=lambda read: read.key >> SEQ_BITS):
        first = next(group)
        rest = (read.record for read in group)  # noqa: B031  (the group is read once: its first item, then the rest)
        yield Reading(first.name, first.format, chain([first.record], rest))


def deduplicate(reads: list[Read]) -> tuple[dict[int, int], Report, list[dict[str, Any]]]:
    """Driver side: account for the records in reading order with the build's own code; returns
    record key -> paper ordinal, the report, and the code links (as JSON)."""
    report, papers = Report(), PaperIndex()
    links = index_readings(_readings(reads), report, papers)
    owner = {int(where.rsplit("#", 1)[1]): ordinal for ordinal, paper in enumerate(papers) for where in paper.sources}
    return owner, report, [link_to_json(link) for link in links]


def merge_and_extract(groups: Iterable[tuple[int, Iterable[tuple[int, Paper]]]]) -> Iterator[tuple[int, str]]:
    """Executor side: each paper's records merged in reading order, extracted, as a JSON line."""
    for ordinal, records in groups:
        ordered = sorted(records, key=lambda item: item[0])
        paper = MergedPaper(title=ordered[0][1].title)
        for _, record in ordered:
            paper.absorb(record)
        yield ordinal, dumps_record(paper, extract_paper(paper))


def run(spark: Any, inputs: list[str], out: str, fmt: str | None = None, partitions: int | None = None) -> Report:
    """The job (see the module docstring); returns the run report it wrote."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    partitions = partitions or sc.defaultParallelism
    out = out if "://" in out else str(Path(out).resolve())
    if STDIN in inputs:
        raise ValueError("the Spark job reads paths, not standard input")
    remote = [name for name in inputs if "://" in name]
    local = list(enumerate(expand([name for name in inputs if "://" not in name])))
    missing = [read for number, item in local if isinstance(item, str)
               for read in _keyed(number, next(read_inputs([item], fmt)))]  # its reject, read here
    files = [(number, item.name, str(item.path.resolve())) for number, item in local
             if isinstance(item, InputFile) and item.path is not None]
    parts = []
    if files:
        parts.append(sc.parallelize(files, max(1, min(len(files), partitions)))
                     .flatMap(lambda item: read_local(item, fmt)))
    if remote:
        sc._jsc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
        contents = sc.binaryFiles(",".join(remote)).sortBy(lambda item: uri_order(item[0], remote),
                                                           numPartitions=partitions)
        parts.append(contents.zipWithIndex().map(lambda pair: (len(local) + pair[1], pair[0]))
                     .flatMap(lambda item: read_bytes(item, fmt)))
    reads = sc.union(parts) if len(parts) > 1 else parts[0] if parts else sc.parallelize([], 1)
    reads.persist(StorageLevel.MEMORY_AND_DISK)
    owner, report, links = deduplicate([*missing, *reads.map(light).collect()])
    owners = sc.broadcast(owner)
    (reads.filter(lambda read: isinstance(read.record, Paper))
     .map(lambda read: (owners.value[read.key], (read.key, read.record)))
     .groupByKey(partitions)
     .mapPartitions(merge_and_extract)
     .sortByKey(numPartitions=partitions)
     .values()
     .saveAsTextFile(f"{out}/papers"))
    sc.parallelize([json.dumps(link, ensure_ascii=False) for link in links], 1).saveAsTextFile(f"{out}/links")
    sc.parallelize([json.dumps(report.to_json(), ensure_ascii=False)], 1).saveAsTextFile(f"{out}/report")
    reads.unpersist()
    owners.destroy()
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="kg.spark_job", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="listing files or folders (local or shared paths, or URIs)")
    parser.add_argument("-o", "--out", required=True, help="output folder or URI (must not exist)")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, help="force the input format")
    parser.add_argument("--master", help="Spark master when not started by spark-submit (e.g. local[*])")
    parser.add_argument("--partitions", type=int, help="partitions for extraction (default: Spark's parallelism)")
    args = parser.parse_args(argv)
    if "://" not in args.out and Path(args.out).exists():
        parser.error(f"{args.out} exists; the job writes a new folder")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("papers-kg extraction")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        report = run(spark, args.inputs, args.out, args.fmt, args.partitions)
    finally:
        spark.stop()
    totals = report.totals
    print(f"{totals['records_read']} records read: {totals['papers_kept']} papers, {totals['duplicates_merged']} "
          f"merged duplicates, {totals['records_rejected']} rejected; records in {args.out}/papers", file=sys.stderr)


if __name__ == "__main__":
    main()
