import networkx as nx
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from verifier.arrangement import enumerate_chambers
from verifier.graph import chamber_graph, write_graphml
from verifier.strategies import instances


@given(instances(n=st.integers(1, 7), d=st.integers(1, 4)))
def test_tope_graph_facts(instance):
    arrangement = enumerate_chambers(instance.X)
    graph = chamber_graph(arrangement)
    assert nx.is_connected(graph)
    signs = arrangement.signs
    distances = dict(nx.all_pairs_shortest_path_length(graph))
    for p in graph:
        for q in graph:
            assert distances[p][q] == int(np.sum(signs[p] != signs[q]))
    neighbours = arrangement.neighbours()
    for p in graph:
        assert graph.degree[p] == int(np.sum(neighbours[p] >= 0))
    for p, q, h in graph.edges(data="hyperplane"):
        assert np.flatnonzero(signs[p] != signs[q]).tolist() == [h]


def test_graphml_export(tmp_path):
    arrangement = enumerate_chambers([[1, 0], [0, 1], [1, 1]])
    graph = chamber_graph(arrangement, arrangement.measures().values)
    write_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_nodes() == 6 and back.number_of_edges() == 6
    assert {data["signs"] for _, data in back.nodes(data=True)} == set(arrangement.patterns())
