"""Starting positions for the physics: rings around the centre, so the layout only has to settle."""

from __future__ import annotations

import math
from collections import defaultdict

from kg.views.selection import Neighbourhood

RING_GAP = 220.0
NODE_SPACING = 46.0


def radial_positions(hood: Neighbourhood) -> dict[str, tuple[int, int]]:
    """The centre at the origin, each further ring on a circle wide enough for its nodes; a node
    sits next to the nodes of the ring inside that it is linked to."""
    neighbours: defaultdict[str, set[str]] = defaultdict(set)
    for start, end, _ in hood.edges:
        neighbours[start].add(end)
        neighbours[end].add(start)
    rings: defaultdict[int, list[str]] = defaultdict(list)
    for node in hood.nodes:
        rings[hood.distance[node]].append(node)
    slot = {hood.center: 0}
    positions, radius = {hood.center: (0, 0)}, 0.0
    for ring in sorted(rings)[1:]:
        members = sorted(rings[ring], key=lambda n: min((slot[m] for m in neighbours[n] if m in slot), default=0))
        radius = max(radius + RING_GAP, NODE_SPACING * len(members) / (2 * math.pi))
        for i, node in enumerate(members):
            angle = 2 * math.pi * i / len(members)
            positions[node] = (round(radius * math.cos(angle)), round(radius * math.sin(angle)))
        slot.update((node, i) for i, node in enumerate(members))
    return positions
