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


def kink_example():
    """The issue's point: x = (1, 0), (1, 1), y = (1, 1), lambda = 7/32; neuron 0 (a = 3/4, w = (0, 3/4)) on the kink of
    row 0, neuron 1 zero. theta_F is the point itself (value 431/1024)."""
    context = Context(Instance.from_arrays([[1, 0], [1, 1]], [1, 1], Fraction(7, 32)), 2)
    return context, np.array([0.75, 0.0]), np.array([[0.0, 0.75], [0.0, 0.0]])


def test_a_negative_kink_multiplier_is_not_stationary_never_a_saddle():
    """A zero neuron that can grow proves only 'not a local minimum'; the non-zero neuron's kink multiplier is
    negative, so crossing the kink lowers L at first order: near-non-stationary-point, not near-(spurious-)saddle."""
    context, a, W = kink_example()
    result = classify_endpoint(context, a, W)
    assert result.verdict == "near-non-stationary-point" and result.certified
    facts = checker.check(result.document).facts
    assert facts["stationary"] is False and facts["value"] == ["431/1024", "431/1024"]
    # independent: the exact one-sided derivative along dW_0 = (1, 0) is -69/128 (first-order descent)
    instance = context.instance
    zero = [Fraction(0)] * 2
    slope = one_sided_derivative(instance, [Fraction(3, 4), Fraction(0)], [[Fraction(0), Fraction(3, 4)], zero],
                                 zero, [[Fraction(1), Fraction(0)], zero])
    assert slope == Fraction(-69, 128)


def test_the_non_stationary_point_dressed_as_a_saddle_is_refuted():
    """The same face with a zero neuron's growth proved on the enclosure (the old saddle certificate): refuted,
    because the saddle claim must prove stationarity and the kink multiplier is negative."""
    from verifier.convex import SignedPattern
    from verifier.endpoints import _growth
    from verifier.landscape import solve_face

    context, a, W = kink_example()
    document = copy.deepcopy(classify_endpoint(context, a, W).document)
    program = solve_face(context, [(SignedPattern((1, 1), 1), [0])], facets=True)
    grow = _growth(context, program)
    assert grow is not None   # the zero neuron does grow: "not a local minimum" holds
    grow.pop("_name")
    inner = document["claim"]["stationary"]
    inner["claim"]["type"] = "saddle"
    inner["witnesses"]["descent"] = grow
    document["claim"]["verdict"] = "near-saddle"
    verdict = checker.check(document)
    assert not verdict.proved and verdict.reasons == [checker.Reason.MULTIPLIER]


def test_a_kink_witness_in_a_saddle_claim_is_malformed():
    context, a, W = kink_example()
    inner = copy.deepcopy(classify_endpoint(context, a, W).document["claim"]["stationary"])
    document = {"format": checker.FORMAT, "instance": context.instance.to_dict(), **inner}
    document["claim"]["type"] = "saddle"
    with pytest.raises(CertificateMalformed, match="not-stationary"):
        checker.check(document)


def test_neurons_split_across_a_kink_are_snapped_onto_it():
    """The width-2 kink local minimum of the planar instance (face-local-planar) with its kink neuron split in two
    halves pushed to either side of the kink (relative pre-activations about 1e-3): the finest face puts them in two
    chambers (and its minimum kills one of them); a coarser face snaps both onto the kink, one signed face with
    multiplicity 2, whose minimum is the certified (non-strict) spurious local minimum at width 3."""
    import json

    document = json.loads((Path(__file__).parent / "certificates" / "correct" / "face-local-planar.json").read_text())
    instance = Instance.from_dict(document["instance"])
    u0, u1 = (np.array([float(Fraction(x)) for x in e["u"]]) for e in document["witnesses"]["interior"])
    neurons = [(u0 / 2 + 3e-4 * np.ones(2), 1), (u0 / 2 - 4.5e-4 * np.ones(2), 1), (u1, -1)]
    roots = [np.sqrt(np.linalg.norm(u)) for u, _ in neurons]
    a = np.array([s * r for (_, s), r in zip(neurons, roots)])
    W = np.array([u / r for (u, _), r in zip(neurons, roots)])
    result = classify_endpoint(Context(instance, 3), a, W)
    assert result.certified and result.verdict == "near-spurious-local-minimum"
    assert result.document["claim"]["multiplicity"] == [2, 1] and 0 < result.details["tolerance"] < 1e-2
    facts = checker.check(result.document).facts
    assert facts["value"][0] == document["claim"]["lower"]


def test_a_trained_endpoint_that_keeps_a_gradient_is_near_a_certified_point():
    """The issue's endpoint example ({(1,0), (0,1), (-1,1), (2,-1)} with a bias, y = (1, -1, 1/2, 2), lambda = 1/20,
    width 3): gradient descent keeps ||grad||^2 near 0.002 (it bounces), and used to be `not-converged` forever; the
    adaptive face and distance give a certified near-* verdict with its certified prediction distance."""
    from verifier.network import train

    instance = Instance.from_dict({"X": [[1, 0], [0, 1], [-1, 1], [2, -1]], "y": [1, -1, "1/2", 2],
                                   "lambda": "1/20"}, bias=True)
    a, W = train(instance, 3, 1.0, 0, 20_000, 0.05, every=20_000).final
    result = classify_endpoint(Context(instance, 3), a, W)
    assert result.certified and result.verdict.startswith("near-")
    proved = checker.check(result.document)
    assert proved.proved and Fraction(proved.facts["prediction_distance"]) == result.details["prediction_distance"]


def test_every_endpoint_verdict_is_an_outcome():
    from verifier import Outcome
    from verifier.checker.endpoint import VERDICTS as CLAIMED
    from verifier.endpoints import VERDICTS

    assert set(CLAIMED) | set(VERDICTS) <= {o.value for o in Outcome}
    assert "near-non-stationary-point" in CLAIMED and "saddle" not in Outcome.NEAR_NON_STATIONARY_POINT.value
