"""Interactive HTML views of the graph: pyvis neighbourhood pages and the static site around them."""
