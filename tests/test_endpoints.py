"""Endpoints (docs §9): verdicts about the stationary point near a gradient-descent endpoint, each backed by an
`endpoint` certificate; saddles proved on the duality-gap enclosure; tampered certificates refused."""

import copy
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from verifier import checker
from verifier.errors import CertificateMalformed
from verifier.checker.endpoint import one_sided_derivative, within
from verifier.endpoints import classify_endpoint, identify_face
from verifier.instance import Instance
from verifier.landscape import Context
from verifier.network import loss_and_gradient, train_many

DATA = Path(__file__).resolve().parent.parent / "data"


def one_dimensional(width=2):
    return Context(Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], Fraction(1, 8)), width)


def exact_saddle(context):
    """The width-1 spurious minimum u = 1/4 (a = w = 1/2, value 19/64) plus a dead neuron: a saddle at width 2."""
    return classify_endpoint(context, np.array([0.5, 0.0]), np.array([[0.5], [0.0]]))


def test_exact_saddle_with_a_dead_neuron_is_a_certified_spurious_saddle():
    context = one_dimensional()
    result = exact_saddle(context)
    assert result.verdict == "near-spurious-saddle" and result.certified
    verdict = checker.check(result.document)
    assert verdict.proved and verdict.facts["value"] == ["19/64", "19/64"]
    assert Fraction(verdict.facts["width_upper"]) == Fraction(5, 32)   # L*_2 = 5/32 < 19/64
    # independent check: growing a neuron along the certified direction lowers the loss of the exact point
    descent = result.document["claim"]["stationary"]["witnesses"]["descent"]
    v, s = float(Fraction(descent["direction"][0])), descent["sign"]
    base = loss_and_gradient(context.instance, np.array([0.5, 0.0]), np.array([[0.5], [0.0]]))[0]
    t = 1e-3
    grown = loss_and_gradient(context.instance, np.array([0.5, s * t]), np.array([[0.5], [t * v]]))[0]
    assert grown < base


def test_growth_is_refused_when_the_ball_is_too_large():
    """The same growth witness on an enclosure widened by lowering the face's dual bound B: rejected."""
    document = copy.deepcopy(exact_saddle(one_dimensional()).document)
    inner = document["claim"]["stationary"]
    assert checker.check(document).proved
    inner["claim"]["lower"] = "0"   # rho^2 = 2n(U - 0) = 19/16: the residual may be anything near r0
    verdict = checker.check(document)
    assert not verdict.proved and verdict.reasons == [checker.Reason.DESCENT]


@pytest.mark.parametrize("path, value", [
    (("claim", "stationary", "witnesses", "descent", "sign"), -1),
    (("claim", "stationary", "witnesses", "descent", "direction"), ["1/100"]),
    (("claim", "stationary", "claim", "upper"), "1/10"),
    (("claim", "stationary", "claim", "width"), 1),
    (("claim", "network", "W"), [["1"], ["0"]]),   # predictions 1/2 away: the stated distance is false
    (("claim", "multiplicity"), [2]),
    (("witnesses", "width_upper"), []),
    (("claim", "network", "a"), ["1", "0"]),
])
def test_tampered_saddle_certificates_are_refused(path, value):
    document = copy.deepcopy(exact_saddle(one_dimensional()).document)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    try:
        verdict = checker.check(document)
    except CertificateMalformed:
        return
    assert not verdict.proved


def test_a_non_converged_endpoint_is_not_converged_never_a_minimum():
    context = one_dimensional(width=1)
    a, W = np.array([0.9]), np.array([[0.2]])   # far from every stationary point
    result = classify_endpoint(context, a, W)
    assert result.verdict == "not-converged" and result.certified
    facts = checker.check(result.document).facts
    rate = Fraction(facts["rate"])
    gradient = result.details["gradient_norm"]
    assert 0 < float(rate) <= gradient * (1 + 1e-9)   # the certified rate never exceeds the gradient norm


def test_one_sided_derivative_matches_finite_differences():
    instance = Instance.from_arrays([[1, 2], [-1, 1], [2, -1]], [1, -1, Fraction(1, 2)], Fraction(1, 10))
    a, W = [Fraction(1, 2), Fraction(-1)], [[Fraction(1), Fraction(0)], [Fraction(1, 3), Fraction(2, 3)]]
    da, dW = [Fraction(1, 5), Fraction(1, 7)], [[Fraction(-1, 3), Fraction(1, 2)], [Fraction(1), Fraction(-1)]]
    slope = one_sided_derivative(instance, a, W, da, dW)
    t = 1e-7
    af, Wf = np.array([float(x) for x in a]), np.array([[float(x) for x in r] for r in W])
    daf, dWf = np.array([float(x) for x in da]), np.array([[float(x) for x in r] for r in dW])
    numeric = (loss_and_gradient(instance, af + t * daf, Wf + t * dWf)[0] - loss_and_gradient(instance, af, Wf)[0]) / t
    assert float(slope) == pytest.approx(numeric, rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("A,R,D,expected", [
    (Fraction(1), Fraction(4), Fraction(3), True), (Fraction(1), Fraction(4), Fraction(299, 100), False),
    (Fraction(0), Fraction(0), Fraction(0), True), (Fraction(2), Fraction(2), Fraction(283, 100), True),
    (Fraction(2), Fraction(2), Fraction(282, 100), False),
])
def test_within_decides_sums_of_square_roots_exactly(A, R, D, expected):
    assert within(A, R, D) is expected
    assert (float(A) ** 0.5 + float(R) ** 0.5 <= float(D) + 1e-12) is expected


@pytest.mark.parametrize("dead", [False, True])
def test_neurons_sharing_a_signed_pattern_are_merged(dead):
    """u = 1/4 (the width-1 spurious minimum) split as 1/10 + 3/20 between two neurons of one signed chamber:
    the split point is a spurious (non-strict) local minimum of width 2; with a dead third neuron, a saddle."""
    instance = Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], Fraction(1, 8))
    roots = [np.sqrt(0.1), np.sqrt(0.15)] + ([0.0] if dead else [])
    a, W = np.array(roots), np.array([[r] for r in roots])
    face = identify_face(instance, a, W)
    assert face.multiplicity == [2] and face.dead == ([2] if dead else [])
    result = classify_endpoint(Context(instance, len(roots)), a, W)
    assert result.certified and result.verdict == ("near-spurious-saddle" if dead else "near-spurious-local-minimum")
    assert result.document["claim"]["multiplicity"] == [2]
    assert checker.check(result.document).facts["value"] == ["19/64", "19/64"]


def test_theorem_2_from_small_scale_yields_a_certified_spurious_stationary_point():
    """The paper's Theorem 2 instance (d = 3, exact), balanced initialization of scale 1e-3, width 4, fixed
    seeds: at least one endpoint is a certified spurious saddle or spurious local minimum, and every certified
    verdict's loss bracket lies above the certified L*_m upper bound exactly when it says spurious."""
    instance = Instance.load(DATA / "paper" / "theorem2-d3.json")
    context = Context(instance, 4)
    spurious = 0
    for trajectory in train_many(instance, 4, 1e-3, range(3), 30_000, 0.1, every=30_000, init="balanced",
                                 until_grad=1e-16):
        result = classify_endpoint(context, *trajectory.final, tol=1e-3)
        if result.certified and result.verdict in ("near-spurious-saddle", "near-spurious-local-minimum"):
            assert checker.check(result.document).proved
            assert result.details["value"][0] > context.width_bounds.upper
            spurious += 1
    assert spurious >= 1


def test_linearly_dependent_kink_rows_are_reduced_to_an_independent_set():
    """x3 = x1 + x2: a neuron on the kinks of x1 and x2 is on that of x3 too; the face keeps rows 0, 1 only and the
    dependence is reported (the face program is unchanged: <x3, u> = 0 follows)."""
    from verifier.convex import SignedPattern
    from verifier.endpoints import EndpointFace, merge_faces

    instance = Instance.from_arrays([[1, 0, 0], [0, 1, 0], [1, 1, 0]], [1, 1, 2], Fraction(1, 10))
    u = np.array([0.0, 0.0, 1.0])
    face = identify_face(instance, np.array([1.0]), u[None, :])
    assert face.faces[0][1] == [0, 1, 2]
    reduced, dependent = merge_faces(instance, face)
    assert dependent and reduced.faces[0][1] == [0, 1]
    independent, flagged = merge_faces(instance, EndpointFace([(SignedPattern((1, 1, 1), 1), [0, 1])], [[0]], []))
    assert not flagged and independent.faces[0][1] == [0, 1]
