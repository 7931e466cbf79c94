"""Exporters: every rendering of the graph that `kg build` writes into its output folder."""
