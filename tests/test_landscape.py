from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import checker
from verifier.convex import SignedPattern
from verifier.instance import Instance
from verifier.endpoints import classify_endpoint
from verifier.landscape import Context, certify_region_minimum, classify_network
from verifier.network import Network, train

ONE_D_LAMBDAS = [Fraction(1, 10), Fraction(1, 7), Fraction(1, 8), Fraction(3, 13), Fraction(1, 100)]


def one_dimensional(lam, width=1):
    return Context(Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], lam), width)


@pytest.mark.parametrize("lam", ONE_D_LAMBDAS)
def test_one_dimensional_spurious_minimum_is_exact(lam):
    """u = 1/2 - 2 lambda on the chamber w > 0 (lambda < 1/4), value 1/4 + lambda/2 - lambda^2, while
    L*_1 = 1/16 + lambda - lambda^2: every number in the certificate is exact, no tolerance."""
    context = one_dimensional(lam)
    result = certify_region_minimum(context, [SignedPattern.parse("-+", 1)])
    assert result.verdict == "spurious-local-minimum" and result.certified
    value = Fraction(1, 4) + lam / 2 - lam**2
    assert result.details["value"] == (value, value)
    assert context.width_bounds.lower == context.width_bounds.upper == Fraction(1, 16) + lam - lam**2
    assert checker.check(result.document).proved


@pytest.mark.parametrize("lam,u", [(Fraction(1, 8), Fraction(1, 4)), (Fraction(7, 32), Fraction(1, 16))])
def test_exact_network_at_the_one_dimensional_spurious_minimum(lam, u):
    root = Fraction(int(u.numerator**0.5), int(u.denominator**0.5))
    result = classify_network(one_dimensional(lam), Network.from_arrays([root], [[root]]))
    assert result.verdict == "spurious-local-minimum" and result.certified
    assert Fraction(result.document and checker.check(result.document).facts["loss"]) == \
        Fraction(1, 4) + lam / 2 - lam**2


def test_local_minimum_with_a_dead_neuron_is_global():
    # lambda = 3/8: the width-1 optimum is a = 1/2, w = -1/2 (u = -1/4); add a dead neuron
    context = one_dimensional(Fraction(3, 8), width=2)
    network = Network.from_arrays([Fraction(1, 2), 0], [[Fraction(-1, 2)], [0]])
    result = classify_network(context, network)
    assert result.verdict == "global-minimum" and result.certified


@pytest.mark.parametrize("network,expected", [
    (([Fraction(1, 2)], [[Fraction(1, 4)]]), "unbalanced"),
    (([-1], [[-1]]), "descent"),
    (([0], [[0]]), "grow"),
])
def test_not_a_local_minimum_comes_with_a_reason(network, expected):
    result = classify_network(one_dimensional(Fraction(1, 8)), Network.from_arrays(*network))
    assert result.verdict == "not-a-local-minimum" and result.certified and expected in result.reason


@settings(max_examples=6)
@given(st.integers(0, 10**6))
def test_exact_classification_is_consistent_with_the_loss(seed):
    """A certified local minimum is never beaten by a nearby random balanced perturbation."""
    context = one_dimensional(Fraction(1, 8), width=1)
    rng = np.random.default_rng(seed)
    for a in (Fraction(1, 2), Fraction(int(rng.integers(1, 9)), 8)):
        network = Network.from_arrays([a], [[a]])
        result = classify_network(context, network)
        if result.verdict in ("spurious-local-minimum", "global-minimum", "local-minimum"):
            for eps in (Fraction(1, 1000), Fraction(-1, 1000)):
                nearby = Network.from_arrays([a + eps], [[a + eps]])
                assert nearby.loss(context.instance) >= network.loss(context.instance)


@pytest.mark.parametrize("width", [2, 4])
def test_orthogonal_endpoints_global_verdicts_are_right(width):
    """Never a wrong yes: an endpoint called global has the loss L*_m. At width 4 (room for one neuron per
    label group and spares) gradient descent reaches certified global minima."""
    instance = Instance.from_arrays(np.eye(3, dtype=int).tolist(), [1, -1, 2], Fraction(1, 20))
    context = Context(instance, width)
    verdicts = []
    for seed in range(8):
        a, W = train(instance, width, 1.0, seed, 20000, 0.05).final
        result = classify_endpoint(context, a, W)
        verdicts.append(result.verdict)
        if result.verdict == "near-global-minimum":
            assert result.certified and result.details["prediction_distance"] < 1e-4
            assert float(Network.from_floats(a, W).loss(instance)) == \
                pytest.approx(float(context.width_bounds.upper), rel=1e-6)
    if width == 4:
        assert verdicts.count("near-global-minimum") >= 2


def random_small_instance(seed):
    rng = np.random.default_rng(seed)
    return Instance.from_arrays(rng.integers(-4, 5, size=(5, 2)).tolist(), rng.integers(-3, 4, size=5).tolist(),
                                Fraction(1, 50))


def test_interior_spurious_minima_are_certified_when_they_exist():
    """Independent float screen: a region whose float minimizer is alive, well inside its chambers and clearly
    above L*_2 must be certified spurious (n = 5, d = 2, entries -4..4, labels -3..3, lambda = 1/50)."""
    certified = 0
    for seed in range(4):
        context = Context(random_small_instance(seed), 2)
        upper = float(context.width_bounds.upper)
        X = np.array(context.instance.X, dtype=float)
        for region in combinations(context.patterns, 2):
            solution = context.programs.solve(list(region))
            margins = [np.min(np.array(p.sigma) * (X @ u) / (np.linalg.norm(u) * np.linalg.norm(X, axis=1) + 1e-300))
                       for p, u in zip(solution.patterns, solution.U) if any(p.sigma)]
            alive = min(np.linalg.norm(solution.U, axis=1)) > 1e-4
            if alive and min(margins) > 1e-3 and solution.value > upper + 1e-6:
                result = certify_region_minimum(context, list(region))
                assert result.verdict == "spurious-local-minimum" and result.certified, result.reason
                certified += 1
    assert certified >= 1


def test_certified_kink_minima_are_not_beaten_by_nearby_points():
    """Face certificates (neurons on kinks, duality-gap enclosure): the certified point is a local minimum, so
    random small perturbations of (the float lift of) its witness point never lower the loss."""
    from verifier.landscape import certify_face_minimum
    from verifier.network import loss_and_gradient

    instance = Instance.from_arrays([[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]], [1, -1, 2, Fraction(1, 2), -2],
                                    Fraction(1, 50))
    context = Context(instance, 2)
    certified = refused = 0
    for region in combinations(context.patterns, 2):
        interior = certify_region_minimum(context, list(region))
        boundary = interior.details.get("boundary")
        if not boundary or not any(boundary.values()):
            continue
        result = certify_face_minimum(context, dict(enumerate(region)), boundary)
        if not result.certified:
            refused += 1
            continue
        assert checker.check(result.document).proved
        certified += 1
        points = result.document["witnesses"]["interior"]
        U = np.array([[float(Fraction(x)) for x in p["u"]] for p in points])
        norms = np.sqrt(np.linalg.norm(U, axis=1))
        a0, W0 = np.array([p["sign"] for p in points]) * norms, U / norms[:, None]
        base = loss_and_gradient(instance, a0, W0)[0]
        rng = np.random.default_rng(certified)
        for scale in (1e-3, 1e-5):
            for _ in range(200):
                da, dW = rng.normal(size=a0.shape) * scale, rng.normal(size=W0.shape) * scale
                assert loss_and_gradient(instance, a0 + da, W0 + dW)[0] >= base - 1e-12
    assert certified >= 1 and refused >= 1   # both outcomes occur on this instance
