"""papers-kg: a knowledge graph of ML papers, the models they build on, and what they use."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES

__version__ = "0.1.0"


def compiled() -> bool:
    """The per-paper modules run as C extensions (the package was installed with
    PAPERS_KG_COMPILE=1; see README, "Large corpora"), not as Python source."""
    from kg.extract import document

    return (document.__file__ or "").endswith(tuple(EXTENSION_SUFFIXES))


def build_kind() -> str:
    return "compiled with mypyc" if compiled() else "pure Python"
