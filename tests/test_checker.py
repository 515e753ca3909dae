"""The checker corpus: correct certificates are proved (exit 0), incorrect ones refuted (exit 1),
malformed ones rejected (exit 2); and mutations of a valid certificate never prove a false claim."""

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from verifier import checker
from verifier.cli import main

CORPUS = Path(__file__).parent / "certificates"
EXPECTED = {"correct": 0, "incorrect": 1, "malformed": 2}
CASES = [(kind, path) for kind in EXPECTED for path in sorted((CORPUS / kind).glob("*.json"))]


def test_corpus_has_every_kind():
    assert {kind for kind, _ in CASES} == set(EXPECTED)


@pytest.mark.parametrize("kind,path", CASES, ids=[f"{k}/{p.stem}" for k, p in CASES])
def test_corpus(kind, path):
    result = CliRunner().invoke(main, ["check", str(path), "--json"] if kind != "malformed" else ["check", str(path)])
    assert result.exit_code == EXPECTED[kind], result.output + result.stderr
    if kind == "incorrect":
        assert json.loads(result.output)["failures"]
    if kind == "malformed":
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_checker_imports_nothing_from_the_solver_side():
    """Importing and running the checker loads no solver, no numpy and no solver-side module of verifier."""
    import subprocess
    import sys

    script = (
        "import sys, json; from verifier import checker; from verifier.jsonfile import load_json as load\n"
        f"checker.check(load({str(CORPUS / 'correct' / 'face-local-planar.json')!r}))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('verifier', 'numpy', 'cvxpy', 'scipy', "
        "'mpmath', 'sympy', 'flint')))))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                       check=True).stdout)
    trusted = {"verifier", "verifier.checker", "verifier.errors", "verifier.instance", "verifier.lattice",
               "verifier.numbers", "verifier.jsonfile"}
    extra = {m for m in loaded if not m.startswith("verifier.checker")} - trusted
    assert not extra, extra


GOOD = json.loads((CORPUS / "correct" / "enumeration-planar.json").read_text())


@given(st.data())
def test_mutated_enumeration_certificates_are_never_wrongly_proved(data):
    document = copy.deepcopy(GOOD)
    points = document["witnesses"]["points"]
    c = data.draw(st.integers(0, len(points) - 1))
    j = data.draw(st.integers(0, len(points[c]) - 1))
    points[c][j] = str(data.draw(st.integers(-5, 5)))
    if checker.check(document).proved:   # only if still true: the new witness lies in the same chamber
        w = [int(x) for x in points[c]]
        for row, s in zip(document["instance"]["X"], document["witnesses"]["signs"][c]):
            value = sum(Fraction(x) * wi for x, wi in zip(row, w))
            assert s == ("+" if value > 0 else "-" if value < 0 else "0")


def _p_opt_by_draws(supports: list[frozenset], universe: list, m: int) -> Fraction:
    """P(the distinct patterns of m uniform draws contain some support): every draw sequence enumerated."""
    from itertools import product

    hits = sum(1 for draws in product(universe, repeat=m) if any(T <= set(draws) for T in supports))
    return Fraction(hits, len(universe) ** m)


def test_bracket_mutants_never_prove_a_false_p_opt():
    """The bracket certificate of planar-bias (every maximal set open) with its open sets grown, shrunk, dropped,
    doubled or joined by a proved set, its ends restated for the sets as listed, or its ends moved: every mutant the
    checker proves holds the true p_opt(m), which the exact certificate of the same instance fixes (S is optimal iff
    it contains one of its supports), counted over every draw sequence (m <= 3)."""
    from verifier.checker.optimal_regions import union_terms, uniform_sizes, uniform_value

    def patterns(entries):
        return frozenset((p["pattern"], p["sign"]) for p in entries)

    exact = json.loads((CORPUS / "correct" / "optimal-regions-planar-bias.json").read_text())
    bracket = json.loads((CORPUS / "correct" / "optimal-regions-bracket-planar-bias.json").read_text())
    assert exact["instance"] == bracket["instance"]
    universe = sorted((s, t) for s in exact["witnesses"]["optimum"]["witnesses"]["chambers"]["signs"] for t in (1, -1))
    supports = [patterns(e["claim"]["patterns"]) for e in exact["witnesses"]["supports"]]
    truth = {m: _p_opt_by_draws(supports, universe, m) for m in (1, 2, 3)}

    def restated(doc):
        index = {p: i for i, p in enumerate(universe)}
        full = (1 << len(universe)) - 1
        proved = [sum(1 << index[p] for p in patterns(e["claim"]["patterns"])) for e in doc["witnesses"]["maximal"]]
        everything = proved + [sum(1 << index[p] for p in patterns(M)) for M in doc["witnesses"]["open"]]
        low, high = uniform_sizes(union_terms(everything, full)), uniform_sizes(union_terms(proved, full))
        doc["claim"]["bracket"] = [{"width": m, "low": str(uniform_value(low, len(universe), m)),
                                    "high": str(uniform_value(high, len(universe), m))} for m in truth]
        return doc

    mutants = []
    for j in range(len(bracket["witnesses"]["open"])):
        for p in universe:
            doc = copy.deepcopy(bracket)
            entry = {"pattern": p[0], "sign": p[1]}
            opened = doc["witnesses"]["open"][j]
            opened.remove(entry) if entry in opened else opened.append(entry)
            mutants.append(restated(doc))
        for change in ("drop", "double"):
            doc = copy.deepcopy(bracket)
            opened = doc["witnesses"]["open"]
            opened.pop(j) if change == "drop" else opened.append(copy.deepcopy(opened[j]))
            mutants.append(restated(doc))
    for j, proved in enumerate(exact["witnesses"]["maximal"]):     # a proved set beside the open ones
        doc = copy.deepcopy(bracket)
        doc["witnesses"]["maximal"].append(proved)
        mutants.append(restated(doc))
        doc = copy.deepcopy(exact)                                  # a proved set moved to the open ones
        doc["witnesses"]["open"] = [[p for p in doc["witnesses"]["maximal"].pop(j)["claim"]["patterns"]]]
        doc["claim"] = {"type": "optimal-regions", "epsilon": doc["claim"]["epsilon"]}
        mutants.append(restated(doc))
    for k, m in enumerate(truth):
        for key, delta in (("low", 1), ("high", -1)):
            doc = restated(copy.deepcopy(bracket))
            doc["claim"]["bracket"][k][key] = str(Fraction(doc["claim"]["bracket"][k][key]) + Fraction(delta, 10**9))
            mutants.append(doc)
    proved = 0
    for doc in mutants:
        verdict = checker.check(doc)
        if verdict.proved:
            proved += 1
            for e in doc["claim"]["bracket"]:
                assert Fraction(e["low"]) <= truth[e["width"]] <= Fraction(e["high"]), (e, truth[e["width"]])
    assert 0 < proved < len(mutants), (proved, len(mutants))


@given(st.dictionaries(st.integers(0, 12), st.integers(-5, 5)), st.integers(1, 60), st.fractions(0, 1, max_denominator=10**6))
def test_optimal_regions_compares_exact_values_without_reducing_them(sizes, m, x):
    """The checker compares p_opt(m) with a stated value by cross-multiplication: the same sign as the reduced
    difference."""
    from verifier.checker.optimal_regions import _compare, uniform_value

    difference = uniform_value(sizes, 12, m) - x
    assert _compare(sizes, 12, m, x) == (difference > 0) - (difference < 0)
    assert _compare(sizes, 12, m, uniform_value(sizes, 12, m)) == 0
