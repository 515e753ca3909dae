import copy
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import checker
from verifier.arrangement import enumerate_chambers
from verifier.errors import CertificateMalformed
from verifier.convex import ConvexPrograms, SignedPattern, all_signed_patterns
from verifier.instance import Instance
from verifier.network import Network, lift, loss_and_gradient
from verifier.optimum import certify_convex_optimum, certify_region, certify_width_optimum
from verifier.strategies import instances

LAMBDAS = [Fraction(1, 10), Fraction(1, 5), Fraction(3, 10), Fraction(1, 2)]


def one_dimensional(lam):
    return Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], lam)


def one_dimensional_region_values(lam):
    """C(S) for each single signed pattern, by hand: chamber w > 0 is '-+', w < 0 is '+-'."""
    plus_right = Fraction(1, 4) + lam / 2 - lam**2 if lam < Fraction(1, 4) else Fraction(5, 16)
    plus_left = Fraction(1, 16) + lam - lam**2 if lam < Fraction(1, 2) else Fraction(5, 16)
    return {("-+", 1): plus_right, ("+-", 1): plus_left, ("-+", -1): Fraction(5, 16), ("+-", -1): Fraction(5, 16)}


@pytest.mark.parametrize("lam", LAMBDAS)
def test_one_dimensional_closed_forms(lam):
    instance = one_dimensional(lam)
    programs = ConvexPrograms(instance)
    for (label, s), exact in one_dimensional_region_values(lam).items():
        bounds = certify_region(instance, [SignedPattern.parse(label, s)], programs)
        assert bounds.certified and bounds.lower <= exact <= bounds.upper
        assert bounds.upper - bounds.lower < Fraction(1, 10**15)
    arrangement = enumerate_chambers(instance.X)
    cstar = certify_convex_optimum(instance, arrangement, programs)
    exact = 3 * lam / 2 - 2 * lam**2 if lam < Fraction(1, 4) else min(
        one_dimensional_region_values(lam)[("+-", 1)] + lam - lam, Fraction(5, 16))
    if lam < Fraction(1, 4):
        assert cstar.lower <= exact <= cstar.upper
    width1 = certify_width_optimum(instance, arrangement, 1, programs)
    assert width1.certified
    assert width1.lower <= one_dimensional_region_values(lam)[("+-", 1)] <= width1.upper


def orthogonal_optimum(y, lam):
    """docs §7 in sympy: groups of positive and negative labels."""
    n = len(y)
    total = sympy.Integer(0)
    for group in ([v for v in y if v > 0], [-v for v in y if v < 0]):
        norm = sympy.sqrt(sum(sympy.Rational(v) ** 2 for v in group))
        lam_ = sympy.Rational(lam)
        total += lam_ * norm - n * lam_**2 / 2 if norm > n * lam_ else norm**2 / (2 * n)
    return total


@settings(max_examples=8)
@given(st.integers(2, 4), st.lists(st.integers(-4, 4), min_size=4, max_size=4), st.sampled_from([1, 5, 20]))
def test_orthogonal_closed_form(n, labels, k):
    lam = Fraction(1, 4 * k)
    y = labels[:n]
    instance = Instance.from_arrays(np.eye(n, dtype=int).tolist(), y, lam)
    bounds = certify_convex_optimum(instance, enumerate_chambers(instance.X))
    exact = orthogonal_optimum(y, lam)
    assert bounds.certified
    assert sympy.Rational(bounds.lower) <= exact <= sympy.Rational(bounds.upper)
    assert bounds.relative_gap < Fraction(1, 10**12)


@settings(max_examples=10)
@given(instances(n=st.integers(2, 5), d=st.integers(1, 2)), st.data())
def test_duality_monotonicity_and_width(instance, data):
    arrangement = enumerate_chambers(instance.X)
    programs = ConvexPrograms(instance)
    patterns = all_signed_patterns(arrangement)
    big = data.draw(st.lists(st.sampled_from(patterns), min_size=1, max_size=4, unique=True))
    small = big[: data.draw(st.integers(1, len(big)))]
    c_big, c_small = certify_region(instance, big, programs), certify_region(instance, small, programs)
    cstar = certify_convex_optimum(instance, arrangement, programs)
    for bounds in (c_big, c_small, cstar):
        assert bounds.certified and bounds.lower <= bounds.upper
    assert c_big.lower <= c_small.upper                 # C(S') <= C(S) for S in S'
    assert cstar.lower <= c_big.upper
    width = certify_width_optimum(instance, arrangement, 1, programs)
    assert width.certified and cstar.lower <= width.upper   # C* <= L*_1
    assert width.lower <= c_small.upper or len(small) > 1   # L*_1 <= C(S) for |S| = 1


@pytest.mark.parametrize("seed", range(3))
def test_gradient_descent_never_beats_a_certified_lower_bound(seed):
    instance = Instance.from_arrays([[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]], [1, -1, 2, Fraction(1, 2), -2],
                                    Fraction(1, 50))
    arrangement = enumerate_chambers(instance.X)
    for width in (1, 2, 3):
        lower = certify_width_optimum(instance, arrangement, width).lower
        rng = np.random.default_rng(seed)
        for _ in range(5):
            a, W = rng.normal(size=width), rng.normal(size=(width, 2))
            for _ in range(2000):
                _, ga, gW = loss_and_gradient(instance, a, W)
                a, W = a - 0.05 * ga, W - 0.05 * gW
            assert Network.from_floats(a, W).loss(instance) >= lower


def test_lift_preserves_loss_and_is_inverted():
    instance = one_dimensional(Fraction(1, 10))
    bounds = certify_convex_optimum(instance, enumerate_chambers(instance.X))
    network = lift(bounds.neurons, digits=30)
    assert abs(network.loss(instance) - bounds.upper) < Fraction(1, 10**20)
    back = network.neurons()
    for (s, u), neuron in zip(back, bounds.neurons):
        assert s == neuron.pattern.s and all(abs(a - b) < Fraction(1, 10**25) for a, b in zip(u, neuron.u))


def test_gradient_matches_finite_differences():
    instance = Instance.from_arrays([[2, 1], [-1, 3], [1, -2]], [1, -1, 2], Fraction(1, 10))
    rng = np.random.default_rng(0)
    a, W = rng.normal(size=3), rng.normal(size=(3, 2))
    _, ga, gW = loss_and_gradient(instance, a, W)
    eps = 1e-6
    for j in range(3):
        e = np.zeros(3)
        e[j] = eps
        numeric = (loss_and_gradient(instance, a + e, W)[0] - loss_and_gradient(instance, a - e, W)[0]) / (2 * eps)
        assert math.isclose(numeric, ga[j], rel_tol=1e-5, abs_tol=1e-8)
        for k in range(2):
            E = np.zeros((3, 2))
            E[j, k] = eps
            numeric = (loss_and_gradient(instance, a, W + E)[0] - loss_and_gradient(instance, a, W - E)[0]) / (2 * eps)
            assert math.isclose(numeric, gW[j, k], rel_tol=1e-5, abs_tol=1e-8)


ONE_DIM = one_dimensional(Fraction(1, 10))
CERTIFICATE = certify_width_optimum(ONE_DIM, enumerate_chambers(ONE_DIM.X), 1).document
L1 = Fraction(1, 16) + Fraction(1, 10) - Fraction(1, 100)


def _numbers(document, path=()):
    """The path of every string leaf (an exact number) under the witnesses and the claimed bounds."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _numbers(value, path + (key,))
    elif isinstance(document, list):
        for i, value in enumerate(document):
            yield from _numbers(value, path + (i,))
    elif isinstance(document, str) and path[0] in ("witnesses", "claim") and "signs" not in path \
            and path[-1] not in ("type", "quantity", "pattern"):
        yield path


PATHS = list(_numbers(CERTIFICATE))


@given(st.sampled_from(PATHS), st.fractions(min_value=-3, max_value=3, max_denominator=50))
def test_mutations_never_prove_a_false_bound(path, value):
    document = copy.deepcopy(CERTIFICATE)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = f"{value.numerator}/{value.denominator}"
    try:
        proved = checker.check(document).proved
    except CertificateMalformed:
        proved = False
    if proved:
        assert Fraction(document["claim"]["lower"]) <= L1 <= Fraction(document["claim"]["upper"])


@pytest.mark.parametrize("value", [Fraction(-4, 5), Fraction(3, 14), Fraction(0), Fraction(-7, 3)])
def test_rationalize_recovers_simple_rationals_with_their_sign(value):
    import mpmath

    from verifier.polish import rationalize

    mpmath.mp.dps = 60
    assert rationalize(mpmath.mpf(value.numerator) / value.denominator + mpmath.mpf(10) ** -40, 26) == value


@pytest.mark.parametrize("lam", [Fraction(1, 10), Fraction(1, 7), Fraction(3, 16)])
def test_one_dimensional_certificates_are_exact(lam):
    instance = one_dimensional(lam)
    arrangement = enumerate_chambers(instance.X)
    cstar = certify_convex_optimum(instance, arrangement)
    assert cstar.lower == cstar.upper == 3 * lam / 2 - 2 * lam**2
    width1 = certify_width_optimum(instance, arrangement, 1)
    assert width1.lower == width1.upper == Fraction(1, 16) + lam - lam**2


def test_exact_loss_matches_float_loss_for_negative_output_weights():
    instance = Instance.from_arrays([[2, 1], [-1, 3], [1, -2]], [1, -1, 2], Fraction(1, 10))
    a, W = np.array([-1.5, 0.5, -0.25]), np.array([[1.0, -2.0], [0.5, 0.5], [-1.0, 1.0]])
    assert float(Network.from_floats(a, W).loss(instance)) == pytest.approx(loss_and_gradient(instance, a, W)[0])


def test_a_neuron_that_converges_onto_an_unannounced_kink_is_polished_on_it():
    """The float point sits 2e-5 off the kink of row 0, so the face is identified without it; Newton then lands a
    hair outside the cone. Polishing makes that row active and retries instead of dropping the neuron (which gave
    the bracket [-0.015, 5.79] for a program whose value is 0.3442)."""
    instance = Instance.from_arrays([[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]], [1, -1, 2, Fraction(1, 2), -2],
                                    Fraction(1, 50))
    patterns = [SignedPattern((-1, -1, 1, -1, -1), -1), SignedPattern((1, -1, 1, -1, -1), 1),
                SignedPattern((1, -1, 1, -1, 1), -1)]
    bounds = certify_region(instance, patterns, digits=24)
    assert bounds.certified and bounds.upper - bounds.lower < Fraction(1, 10**12)
    assert abs(float(bounds.upper) - 0.344227630355904) < 1e-9
