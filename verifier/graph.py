"""The chamber graph (docs §2): chambers as nodes, one edge per shared facet, labelled by the hyperplane.

It is the tope graph of the arrangement: connected, and the graph distance between two chambers equals
the number of hyperplanes separating them.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np

from .arrangement import Arrangement
from .files import atomic_path

__all__ = ["chamber_graph", "write_graphml"]


def chamber_graph(arrangement: Arrangement, measures: np.ndarray | None = None) -> nx.Graph:
    """Nodes 0..P-1 with attributes `signs` (over data rows), `witness` and `measure`; edges carry
    `hyperplane` (index into arrangement.normals)."""
    graph = nx.Graph()
    patterns = arrangement.patterns()
    for p, pattern in enumerate(patterns):
        attrs = {"signs": pattern, "witness": " ".join(str(int(x)) for x in arrangement.witnesses[p])}
        if measures is not None:
            attrs["measure"] = float(measures[p])
        graph.add_node(p, **attrs)
    neighbours = arrangement.neighbours()
    for h in range(neighbours.shape[1]):
        for p in np.flatnonzero(neighbours[:, h] > np.arange(len(arrangement))):
            graph.add_edge(int(p), int(neighbours[p, h]), hyperplane=h)
    return graph


def write_graphml(graph: nx.Graph, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        nx.write_graphml(graph, tmp)
