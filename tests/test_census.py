import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.census import coverage_probability, run_census, set_probability, wilson
from verifier.instance import Instance
from verifier.landscape import Context
from verifier.strategies import tiny_instances


def orthogonal(n, y, lam=Fraction(1, 20)):
    return Instance.from_arrays(np.eye(n, dtype=int).tolist(), y, lam)


@pytest.mark.parametrize("m", [2, 3, 4])
def test_orthogonal_census_matches_the_closed_form(m):
    """docs §7: a region holds a global minimum iff some positive neuron's pattern contains every positive
    label and some negative neuron's every negative label: P = 1 - (1-q+)^m - (1-q-)^m + (1-q+-q-)^m."""
    y = [1, -1, 2]
    census = run_census(Context(orthogonal(3, y), m), local_minima=False)
    q_plus, q_minus = 2.0 ** -(2 + 1), 2.0 ** -(1 + 1)
    exact = 1 - (1 - q_plus) ** m - (1 - q_minus) ** m + (1 - q_plus - q_minus) ** m
    approx = (1 - (1 - q_plus) ** m) * (1 - (1 - q_minus) ** m)
    assert census.exhaustive and census.p_undecided == pytest.approx(0, abs=1e-12)
    assert census.p_contains_global == pytest.approx(exact, abs=1e-12)
    assert abs(census.p_contains_global - approx) < 0.05


@given(st.lists(st.floats(0.01, 1), min_size=1, max_size=5), st.integers(1, 5))
def test_region_probabilities_sum_to_one(weights, m):
    total = sum(weights)
    q = {i: w / total for i, w in enumerate(weights)}
    mass = sum(set_probability(q, S, m) for k in range(1, len(q) + 1) for S in itertools.combinations(q, k))
    assert mass == pytest.approx(1, abs=1e-12)


@given(st.lists(st.floats(0.01, 1), min_size=1, max_size=6), st.integers(1, 9))
def test_fully_covered_equals_inclusion_exclusion(weights, m):
    total = sum(weights)
    q = [w / total for w in weights]
    brute = sum((-1) ** (len(q) - len(T)) * sum(q[i] for i in T) ** m
                for k in range(len(q) + 1) for T in itertools.combinations(range(len(q)), k))
    assert coverage_probability(q, m) == pytest.approx(brute, abs=1e-10)


def test_fully_covered_at_large_width_contains_global():
    context = Context(Instance.from_arrays([[1], [-1]], [1, -1], Fraction(1, 10)), 6)   # 2 chambers, 4 patterns
    census = run_census(context)
    assert census.p_fully_covered > 0
    assert census.p_contains_global >= census.p_fully_covered


def test_interrupted_census_resumes_to_the_same_answer(tmp_path):
    instance = orthogonal(3, [1, -1, 2])
    full = run_census(Context(instance, 3), local_minima=False)
    calls = []

    def interrupt(done, total):
        calls.append(done)
        if done >= 100:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_census(Context(instance, 3), out=tmp_path, progress=interrupt, local_minima=False)
    (checkpoint,) = tmp_path.glob("census-width-3-*.checkpoint.jsonl")
    lines = checkpoint.read_text().splitlines()[1:]   # after the header
    assert 0 < len(lines) < full.regions_classified   # interrupted part-way
    resumed = run_census(Context(instance, 3), out=tmp_path, local_minima=False)
    assert resumed.resumed == len(lines)
    assert resumed.p_contains_global == pytest.approx(full.p_contains_global, abs=1e-15)
    assert resumed.p_no_global_min == pytest.approx(full.p_no_global_min, abs=1e-15)
    assert resumed.p_spurious_local_min == pytest.approx(full.p_spurious_local_min, abs=1e-15)


def test_sampling_mode_brackets_the_exact_value():
    instance = orthogonal(3, [1, -1, 2])
    exact = run_census(Context(instance, 3), local_minima=False)
    sampled = run_census(Context(instance, 3), samples=3000, limit=10, local_minima=False)
    low, high = sampled.p_contains_global
    assert not sampled.exhaustive and low <= exact.p_contains_global <= high


def test_wilson_interval():
    low, high = wilson(50, 100)
    assert low < 0.5 < high and math.isclose(low + high, 1.0)


def _checkpointed(directory, width):
    """{set: (class, epsilon)} as the census wrote it, one line per set as each result arrived."""
    (path,) = directory.glob(f"census-width-{width}-*.checkpoint.jsonl")
    lines = path.read_text().splitlines()[1:]   # after the header
    return {tuple(r["set"]): (r["class"], r["epsilon"]) for r in map(json.loads, lines)}


def test_local_cluster_census_agrees_with_sequential_set_by_set(monkeypatch, tmp_path):
    import verifier.census as census_module
    from verifier.parallel import Tasks

    monkeypatch.setattr(census_module, "_IN_PROCESS_FIRST", 0)
    instance = Instance.from_arrays([[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]], [1, -1, 2, Fraction(1, 2), -2],
                                    Fraction(1, 50))
    sequential = run_census(Context(instance, 2), out=tmp_path / "sequential", local_minima=False)
    with Tasks(workers=2) as tasks:
        parallel = run_census(Context(instance, 2), out=tmp_path / "parallel", tasks=tasks, local_minima=False)
        assert tasks.distributed and tasks.size == 2
    assert parallel.p_contains_global == pytest.approx(sequential.p_contains_global, abs=1e-15)
    assert parallel.classes == sequential.classes
    assert _checkpointed(tmp_path / "parallel", 2) == _checkpointed(tmp_path / "sequential", 2)


def test_classify_region_public_api():
    from verifier.census import classify_region
    from verifier.convex import SignedPattern

    context = Context(orthogonal(3, [1, -1, 2]), 2)
    good = [SignedPattern((1, -1, 1), 1), SignedPattern((-1, 1, -1), -1)]   # one neuron per label group
    bad = [SignedPattern((1, -1, -1), 1), SignedPattern((-1, 1, -1), -1)]   # misses the positive label 3
    assert classify_region(context, good)[0] == "contains-global-min"
    assert classify_region(context, good)[1] <= Fraction(1, 10**9)
    assert classify_region(context, bad, local_minima=False) == ("no-global-min", 0)
    assert classify_region(context, context.patterns) == ("contains-global-min", 0)   # fully covered: exact


ONE_DIMENSIONAL = Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], Fraction(1, 8))


@pytest.mark.parametrize("m, expected, spurious_values", [
    # width 1: L*_1 = 11/64; {(+-,+)} holds it, {(-+,+)} the spurious interior minimum 19/64, the negative
    # patterns only u = 0 (value 20/64) with a slack dual constraint there: no local minimum in their closure
    (1, {"contains-global-min": 1 / 4, "spurious-local-min": 1 / 4, "no-local-min": 1 / 2}, [Fraction(19, 64)]),
    # width 2: L*_2 = 5/32 only with both positive patterns (probability 2 q q = 1/8); both neurons in one
    # positive signed chamber keep the interior minimizers 11/64 and 19/64, spurious (probability q^2 each); every
    # set with a negative pattern has that neuron at zero with a slack constraint: no local minimum
    (2, {"contains-global-min": 1 / 8, "spurious-local-min": 1 / 8, "no-local-min": 3 / 4},
     [Fraction(11, 64), Fraction(19, 64)]),
])
def test_census_classes_on_the_one_dimensional_worked_example(m, expected, spurious_values, tmp_path):
    """docs §8's worked example: x = (-1, 1), y = (1, 1/2), lambda = 1/8, q = 1/4 for each signed pattern."""
    from verifier import checker
    from verifier.bundles import read_named

    census = run_census(Context(ONE_DIMENSIONAL, m), certificates=tmp_path)
    got = {"contains-global-min": census.p_contains_global, "spurious-local-min": census.p_spurious_local_min,
           "no-local-min": census.p_no_local_min}
    assert got == pytest.approx(expected, abs=1e-12)
    assert census.p_undecided == census.p_no_global_min == 0 and census.favourability == pytest.approx(1 / 2)
    assert census.favourability_bracket == pytest.approx((1 / 2, 1 / 2))   # nothing of unknown status is left
    records = [json.loads(line) for line in (tmp_path / "regions.jsonl").read_text().splitlines()]
    values, absent = [], 0
    for record in records:
        for name in record["certificates"]:
            verdict = checker.check(read_named(tmp_path / name))
            assert verdict.proved, (name, verdict.failures)
            if verdict.claim == "region-local-minimum":
                assert verdict.facts["spurious"] and record["class"] == "spurious-local-min"
                values.append(Fraction(verdict.facts["upper"]))
            if verdict.claim == "region-no-local-minimum":
                assert record["class"] == "no-local-min" and verdict.facts["width"] == m
                assert sorted(verdict.facts["S"]) == sorted(record["S"])   # one notation: tau:s
                absent += 1
    assert absent == census.classes["no-local-min"] == {1: 2, 2: 7}[m]
    assert len(values) == len(spurious_values)
    assert all(v <= u <= v + Fraction(1, 10**12) for u, v in zip(sorted(values), spurious_values))


def test_closure_contains_needs_every_pattern_of_S_used():
    """A width-2 region with S = {A} has both neurons on A; with S = {A, B} one on each: the face A x A lies only in
    the first closure, and a face below a chamber of the other sign in neither."""
    from verifier.census import closure_contains

    A, B = ("+-", 1), ("-+", 1)
    assert closure_contains([A], [("+-", 1), ("+-", 1)])
    assert not closure_contains([A, B], [("+-", 1), ("+-", 1)])
    assert closure_contains([A, B], [("-+", 1), ("+-", 1)])
    assert not closure_contains([A], [("+-", -1), ("+-", 1)])
    assert closure_contains([("+-+", 1)], [("+0+", 1)]) and not closure_contains([("+-+", 1)], [("+++", 1)])


_THREE_POINTS = Instance.from_arrays([[1, 0], [1, 1], [0, 1]], [1, 2, 1], Fraction(1, 10))
_PLANAR = Instance.from_arrays([[1, 0], [0, 1], [-1, -1]], [1, -1, Fraction(1, 2)], Fraction(1, 20))


def _agreement_with_the_catalog(instance, m) -> dict:
    """Differential: the catalog (docs §8, an independent computation: every product face settled) lists the
    spurious local minima. A set classified `no-local-min` has none in the closure of its regions; a set whose
    regions' closure holds a catalog entry is never `no-local-min` (and `spurious-local-min` sets hold one).
    Returns the number of sets per class."""
    from verifier.catalog import build_catalog
    from verifier.census import classify_region, closure_contains

    catalog = build_catalog(instance, m)
    assert catalog.certified and catalog.verdict != "undecided"
    entries = [[(tau, 1 if s == "+" else -1) for tau, s in (part.split(":") for part in entry["face"].split(" x "))]
               for entry in catalog.spurious]
    context = Context(instance, m)
    kinds = {}
    for k in range(1, m + 1):
        for S in itertools.combinations(context.patterns, k):
            kind = classify_region(context, S)[0]
            kinds[kind] = kinds.get(kind, 0) + 1
            holds = [face for face in entries if closure_contains([(p.label, p.s) for p in S], face)]
            if kind == "no-local-min":
                assert not holds, (S, holds)
            if kind == "spurious-local-min":
                assert holds, S
    return kinds


@pytest.mark.parametrize("instance, m", [(ONE_DIMENSIONAL, 1), (ONE_DIMENSIONAL, 2), (_THREE_POINTS, 1),
                                         (_PLANAR, 1), (_PLANAR, 2)])
def test_no_local_min_agrees_with_the_catalog(instance, m):
    assert _agreement_with_the_catalog(instance, m).get("no-local-min", 0) > 0   # the comparison is not empty


@settings(max_examples=5)
@given(tiny_instances())
def test_no_local_min_agrees_with_the_catalog_on_random_instances(instance):
    _agreement_with_the_catalog(instance, instance.width)


def test_sampled_census_reports_no_local_min_with_its_wilson_interval():
    """Sampling the worked example at width 2 (limit 0 forces sampling): the Wilson interval of p_no_local_min holds
    its exact value 3/4, and the counts add up to the draws."""
    census = run_census(Context(ONE_DIMENSIONAL, 2), samples=400, limit=0, seed=1)
    assert not census.exhaustive and sum(census.counts.values()) == 400
    low, high = census.p_no_local_min
    assert low <= 0.75 <= high and (low, high) == wilson(census.counts["no-local-min"], 400)
    g, s = census.counts["contains-global-min"], census.counts["spurious-local-min"]
    assert census.favourability_bracket == pytest.approx((s / (g + s), s / (g + s)))   # nothing left open


def test_an_interrupted_census_resumes_with_a_complete_index(tmp_path):
    """Interrupt a census, leave half a line at the end of its index `regions.jsonl` (a write cut short), resume:
    the fragment is cut and the index holds one whole record per classified set, as an uninterrupted run's does."""
    from verifier.journal import Journal

    context = Context(orthogonal(3, [1, -1, 2]), 2)

    def stop(done, total):
        if done < total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_census(context, out=tmp_path / "run", certificates=tmp_path / "certs", progress=stop, local_minima=False)
    index = tmp_path / "certs" / "regions.jsonl"
    before = len(index.read_text().splitlines())
    with index.open("a") as handle:
        handle.write('{"S": ["1:1"], "cla')
    resumed = run_census(context, out=tmp_path / "run", certificates=tmp_path / "certs", local_minima=False)
    straight = run_census(context, certificates=tmp_path / "straight", local_minima=False)
    assert 0 < before < resumed.regions_classified and resumed.resumed == before
    lines = index.read_text().splitlines()
    assert all(isinstance(json.loads(line), dict) for line in lines)      # the fragment is gone, nothing glued to it
    records = Journal(index, None).records()
    assert len(records) == len({tuple(r["S"]) for r in records}) == sum(resumed.classes.values())
    expected = {tuple(r["S"]): r["class"] for r in Journal(tmp_path / "straight" / "regions.jsonl", None).records()}
    assert {tuple(r["S"]): r["class"] for r in records} == expected
