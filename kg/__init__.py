"""papers-kg: a knowledge graph of ML papers, the models they build on, and what they use."""

__version__ = "0.1.0"
