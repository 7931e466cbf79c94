"""The RDF vocabulary: namespaces and how graph labels, relationship types and properties map to
terms of papers-kg.ttl, schema.org, Dublin Core and PROV-O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.schema import DATASET, PAPER, REPOSITORY

VOCAB = "https://w3id.org/papers-kg/vocab#"
"""The vocabulary namespace (terms of kg/rdf/papers-kg.ttl)."""
DEFAULT_BASE = "https://w3id.org/papers-kg/id/"
"""Default base under which node and statement IRIs are minted."""

SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
DC = "http://purl.org/dc/elements/1.1/"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES: dict[str, str] = {
    "kg": VOCAB, "schema": SCHEMA, "dcterms": DCTERMS, "dc": DC, "prov": PROV,
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL,
}

RDF_TYPE = RDF + "type"
RDF_STATEMENT = RDF + "Statement"
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = RDF + "subject", RDF + "predicate", RDF + "object"
IDENTIFIER = DCTERMS + "identifier"
SAME_AS = SCHEMA + "sameAs"

XSD_INTEGER, XSD_DECIMAL = XSD + "integer", XSD + "decimal"
XSD_DOUBLE, XSD_BOOLEAN = XSD + "double", XSD + "boolean"
XSD_DATE, XSD_GYEARMONTH, XSD_GYEAR = XSD + "date", XSD + "gYearMonth", XSD + "gYear"

# rdf:types a node gets besides kg:<Label>, so schema.org consumers find it without reasoning
EXTRA_TYPES: dict[str, str] = {
    PAPER: SCHEMA + "ScholarlyArticle",
    DATASET: SCHEMA + "Dataset",
    REPOSITORY: SCHEMA + "SoftwareSourceCode",
}


@dataclass(frozen=True)
class Field:
    """How one graph property becomes triples: its predicates and the kind of object."""

    predicates: tuple[str, ...]
    kind: str = "literal"
    """`literal` (typed from the Python value), `iri` (a URL), `date` or `decimal`."""


NODE_FIELDS: dict[str, Field] = {
    "name": Field((SCHEMA + "name",)),
    "aliases": Field((SCHEMA + "alternateName",)),
    "title": Field((DCTERMS + "title",)),
    "abstract": Field((SCHEMA + "abstract",)),
    "arxiv_id": Field((VOCAB + "arxivId",)),
    "published": Field((SCHEMA + "datePublished",), "date"),
    "url": Field((SCHEMA + "url",), "iri"),
    "authors": Field((DC + "creator",)),
    "project_url": Field((VOCAB + "projectPage",), "iri"),
    "links": Field((RDFS + "seeAlso",), "iri"),
    "sources": Field((VOCAB + "source",)),
    "host": Field((VOCAB + "host",)),
    "owner": Field((VOCAB + "owner",)),
    "variants": Field((VOCAB + "variant",)),
    "kind": Field((VOCAB + "kind",)),
    "family": Field((VOCAB + "family",)),
}
# per-label overrides of NODE_FIELDS
LABEL_FIELDS: dict[str, dict[str, Field]] = {
    REPOSITORY: {"url": Field((SCHEMA + "url", SCHEMA + "codeRepository"), "iri")},
}
# node properties rendered otherwise (`label` as rdf:type, the id as dcterms:identifier and the IRI)
NODE_SKIP = frozenset({"label", "id"})

EDGE_FIELDS: dict[str, Field] = {
    "evidence": Field((VOCAB + "evidence",)),
    "confidence": Field((VOCAB + "confidence",), "decimal"),
    "extractor": Field((VOCAB + "extractor",)),
    "source": Field((VOCAB + "source",)),
    "count": Field((VOCAB + "count",)),
    "text": Field((VOCAB + "text",)),
    "role": Field((VOCAB + "role",)),
    "how": Field((VOCAB + "how",)),
    "variant": Field((VOCAB + "variant",)),
}
# edge properties rendered otherwise (`type` is the predicate)
EDGE_SKIP = frozenset({"type"})


def camel(name: str, upper_first: bool = False) -> str:
    """`USES_DATASET` / `uses_dataset` -> `usesDataset` (or `UsesDataset`)."""
    words = [word for word in re.split(r"[^a-z0-9]+", name.lower()) if word]
    text = "".join(word.capitalize() for word in words)
    return text if upper_first or not text else text[0].lower() + text[1:]


@cache
def class_iri(label: str) -> str:
    """The class for a node label: `Paper` -> kg:Paper."""
    return VOCAB + camel(label, upper_first=True)


@cache
def relation_iri(rel: str) -> str:
    """The property for a relationship type: `BUILDS_ON` -> kg:buildsOn."""
    return VOCAB + camel(rel)


@lru_cache(maxsize=1024)
def node_field(label: str, key: str) -> Field:
    """The mapping of a node property; properties outside the vocabulary become kg:<camelCase>."""
    return LABEL_FIELDS.get(label, {}).get(key) or NODE_FIELDS.get(key) or Field((VOCAB + camel(key),))


@lru_cache(maxsize=1024)
def edge_field(key: str) -> Field:
    """The mapping of an edge property (on its rdf:Statement); unknown ones become kg:<camelCase>."""
    return EDGE_FIELDS.get(key) or Field((VOCAB + camel(key),))
