import math
from collections import Counter
from itertools import combinations

import numpy as np
import pytest

from verifier.arrangement import enumerate_chambers
from verifier.census import set_probability
from verifier.errors import InputError
from verifier.samplers import SAMPLERS, sampler


def _chi_square(counts: Counter, expected: dict, draws: int) -> float:
    return sum((counts.get(key, 0) - draws * p) ** 2 / (draws * p) for key, p in expected.items())


@pytest.mark.parametrize("name", sorted(SAMPLERS))
@pytest.mark.parametrize("m", [1, 2, 3])
def test_sampled_sets_follow_their_exact_probabilities_on_orthogonal_data(name, m):
    """Orthogonal data (docs §7): P = 2^n orthants, so both samplers put one neuron in each signed pattern with
    q = 1/(2P); the set of distinct patterns of m draws has probability m! [x^m] prod (e^{q x} - 1). A chi-square
    statistic over all sets of at most m patterns stays below the 99.9% quantile (fixed seed)."""
    arrangement = enumerate_chambers(np.eye(2, dtype=int).tolist())   # 4 chambers, 8 signed patterns
    chosen = sampler(name)
    probabilities = chosen.probabilities(arrangement)
    assert probabilities.method == "exact" and probabilities.q == [1 / 8] * 8
    q = dict(enumerate(probabilities.q))
    rng = np.random.default_rng(1)
    draws = 20_000
    counts = Counter(chosen.draw(arrangement, rng, m) for _ in range(draws))
    from itertools import combinations

    expected = {frozenset(S): set_probability(q, S, m) for k in range(1, m + 1) for S in combinations(q, k)}
    assert sum(expected.values()) == pytest.approx(1)
    assert set(counts) <= set(expected)
    cells = len(expected) - 1
    bound = cells + 3.1 * math.sqrt(2 * cells) + 10   # well above the 99.9% quantile of chi-square(cells)
    assert _chi_square(counts, expected, draws) < bound


def test_gaussian_and_uniform_differ_where_measures_are_not_uniform():
    """Two lines at a small angle: the Gaussian measure of the thin chambers is far below 1/P; the uniform sampler
    ignores it. Frequencies of single draws match each sampler's q within 5 standard errors."""
    arrangement = enumerate_chambers([[1, 0], [10, 1]])
    draws = 40_000
    for name in SAMPLERS:
        chosen = sampler(name)
        q = chosen.probabilities(arrangement).q
        counts = Counter(next(iter(chosen.draw(arrangement, np.random.default_rng(7 + k), 1)))
                         for k in range(draws))
        for p, qp in enumerate(q):
            assert abs(counts[p] / draws - qp) <= 5 * math.sqrt(qp * (1 - qp) / draws)
    assert min(sampler("gaussian").probabilities(arrangement).q) < 0.05 < 1 / 8


def test_unknown_sampler_is_an_input_error():
    with pytest.raises(InputError, match="sampler"):
        sampler("rejection")


def test_uniform_probabilities_are_exactly_one_over_two_p():
    arrangement = enumerate_chambers([[1, 2], [2, -1], [1, 1]])
    q = sampler("uniform").probabilities(arrangement).q
    assert len(arrangement) == 6 and q == [1 / 12] * 12
    assert sampler("gaussian").probabilities(arrangement).q != q   # unequal angles


@pytest.mark.parametrize("size, m, total", [(3, 5, "1/2"), (4, 171, "1/2"), (8, 640, "1"), (12, 400, "1")])
def test_coverage_probability_matches_inclusion_exclusion_at_every_width(size, m, total):
    """P(m draws hit exactly the patterns of S) against the exact inclusion-exclusion sum
    sum_{T subset S} (-1)^{|S|-|T|} q(T)^m in rationals, including widths whose m! overflows a float."""
    from fractions import Fraction
    from verifier.census import coverage_probability
    q = [Fraction(total) * Fraction(2 * (1 + k), size * (size + 1)) for k in range(size)]
    exact = sum((-1) ** (size - k) * sum(T) ** m for k in range(size + 1) for T in combinations(q, k))
    assert 1e-60 < exact < 1
    assert coverage_probability([float(p) for p in q], m) == pytest.approx(float(exact), rel=1e-9)
