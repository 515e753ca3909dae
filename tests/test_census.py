import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier.census import coverage_probability, run_census, set_probability, wilson
from verifier.instance import Instance
from verifier.landscape import Context


def orthogonal(n, y, lam=Fraction(1, 20)):
    return Instance.from_arrays(np.eye(n, dtype=int).tolist(), y, lam)


@pytest.mark.parametrize("m", [2, 3, 4])
def test_orthogonal_census_matches_the_closed_form(m):
    """SPEC §7: a region holds a global minimum iff some positive neuron's pattern contains every positive
    label and some negative neuron's every negative label: P = 1 - (1-q+)^m - (1-q-)^m + (1-q+-q-)^m."""
    y = [1, -1, 2]
    census = run_census(Context(orthogonal(3, y), m))
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
    full = run_census(Context(instance, 3))
    calls = []

    def interrupt(done, total):
        calls.append(done)
        if done >= 100:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_census(Context(instance, 3), out=tmp_path, progress=interrupt)
    (checkpoint,) = tmp_path.glob("census-width-3-*.checkpoint.jsonl")
    lines = checkpoint.read_text().splitlines()[1:]   # after the header
    assert 0 < len(lines) < full.regions_classified   # interrupted part-way
    resumed = run_census(Context(instance, 3), out=tmp_path)
    assert resumed.resumed == len(lines)
    assert resumed.p_contains_global == pytest.approx(full.p_contains_global, abs=1e-15)
    assert resumed.p_region_spurious == pytest.approx(full.p_region_spurious, abs=1e-15)


def test_sampling_mode_brackets_the_exact_value():
    instance = orthogonal(3, [1, -1, 2])
    exact = run_census(Context(instance, 3))
    sampled = run_census(Context(instance, 3), samples=3000, limit=10)
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
    sequential = run_census(Context(instance, 2), out=tmp_path / "sequential")
    with Tasks(workers=2) as tasks:
        parallel = run_census(Context(instance, 2), out=tmp_path / "parallel", tasks=tasks)
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
    assert classify_region(context, good)[0] == "contains-global"
    assert classify_region(context, good)[1] <= Fraction(1, 10**9)
    assert classify_region(context, bad) == ("region-spurious", 0)
    assert classify_region(context, context.patterns) == ("contains-global", 0)   # fully covered: exact
