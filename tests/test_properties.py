"""The property suite: mathematical facts over instances, networks and sets of signed patterns drawn by
the public strategies (hypothesis profile `ci`)."""

import copy
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import checker
from verifier.arrangement import enumerate_chambers
from verifier.convex import ConvexPrograms, all_signed_patterns
from verifier.instance import Instance
from verifier.landscape import Context, classify_network
from verifier.network import lift
from verifier.optimum import certify_convex_optimum, certify_region, certify_width_optimum
from verifier.polish import Neuron
from verifier.convex import SignedPattern
from verifier.strategies import instances, networks, signed_pattern_sets


@given(instances(n=st.integers(1, 7), d=st.integers(1, 4)))
def test_chamber_count_equals_zaslavsky(instance):
    arrangement = enumerate_chambers(instance.X)
    assert len(arrangement) == arrangement.lattice_count


@given(st.data())
def test_lift_and_inverse_preserve_balanced_loss_and_never_increase_it(data):
    instance = data.draw(instances(n=st.integers(1, 4), d=st.integers(1, 3)))
    network = data.draw(networks(instance, st.integers(1, 3), balanced=data.draw(st.booleans())))
    neurons = [Neuron(SignedPattern((), s), u) for s, u in network.neurons() if any(u)]
    lifted = lift(neurons, digits=40)   # the balanced lift of the inverse map u_j = |a_j| w_j
    difference = lifted.loss(instance) - network.loss(instance)
    if network.unbalanced():
        assert difference <= Fraction(1, 10**30)
    else:
        assert abs(difference) <= Fraction(1, 10**30)


@settings(max_examples=12)
@given(st.data())
def test_convex_values_are_monotone_and_sandwich_the_width_optimum(data):
    instance = data.draw(instances(n=st.integers(2, 4), d=st.integers(1, 2)))
    arrangement = enumerate_chambers(instance.X)
    programs = ConvexPrograms(instance)
    S = data.draw(signed_pattern_sets(arrangement, max_size=3))
    smaller = S[: data.draw(st.integers(1, len(S)))]
    big, small = certify_region(instance, S, programs), certify_region(instance, smaller, programs)
    assert big.certified and small.certified and big.lower <= small.upper          # C(S) monotone in S
    cstar = certify_convex_optimum(instance, arrangement, programs)
    width = certify_width_optimum(instance, arrangement, len(S), programs)
    assert cstar.lower <= width.upper and width.lower <= big.upper                 # C* <= L*_m <= C(S), |S| <= m


@settings(max_examples=10)
@given(st.data())
def test_certified_local_minimum_with_a_dead_neuron_is_global(data):
    instance = data.draw(instances(n=st.integers(1, 3), d=st.integers(1, 2)))
    network = data.draw(networks(instance, st.integers(2, 3), balanced=True, dead=True))
    result = classify_network(Context(instance, network.width), network)
    assert result.certified
    assert result.verdict in ("not-a-local-minimum", "global-minimum")


def test_the_checker_refuses_a_local_minimum_with_a_dead_neuron_without_global_dual():
    context = Context(Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], Fraction(3, 8)), 2)
    from verifier.network import Network

    document = classify_network(context, Network.from_arrays([Fraction(1, 2), 0], [[Fraction(-1, 2)], [0]])).document
    document = copy.deepcopy(document)
    document["claim"]["verdict"] = "local-minimum"
    document["witnesses"]["dual"] = document["witnesses"]["dual"][:1]
    assert not checker.check(document).proved


@settings(max_examples=10)
@given(st.data())
def test_solver_certificates_are_accepted_and_corruptions_rejected_unless_true(data):
    instance = data.draw(instances(n=st.integers(1, 3), d=st.integers(1, 2)))
    arrangement = enumerate_chambers(instance.X)
    bounds = certify_convex_optimum(instance, arrangement)
    assert bounds.certified and checker.check(bounds.document).proved
    document = copy.deepcopy(bounds.document)
    r = document["witnesses"]["dual"][0]["r"]
    k = data.draw(st.integers(0, len(r) - 1))
    r[k] = str(Fraction(r[k]) + data.draw(st.sampled_from([Fraction(1, 3), Fraction(-1, 2), Fraction(5)])))
    verdict = checker.check(document)
    if verdict.proved:   # the corrupted residual still proves its (unchanged) bound: the claim is still true
        assert Fraction(document["claim"]["lower"]) <= bounds.upper


@settings(max_examples=8)
@given(instances(n=st.integers(1, 2), d=st.just(1)))
def test_fully_covered_regions_contain_a_global_minimum(instance):
    arrangement = enumerate_chambers(instance.X)
    patterns = all_signed_patterns(arrangement)
    full = certify_region(instance, patterns)
    width = certify_width_optimum(instance, arrangement, len(patterns))
    assert full.certified and width.certified
    assert full.upper - width.lower <= Fraction(1, 10**15) * max(1, abs(width.upper))


@given(st.data())
def test_cone_excess_in_integers_equals_the_norm_in_fractions(data):
    """checker.core.cone_excess sums over common denominators, from Fractions or from `Scaled` vectors converted
    once: both equal ||(s/n) X^T D_sigma r + C_sigma^T mu + sum nu_i x_i||^2 - lambda^2 computed in Fractions."""
    from verifier.checker.core import Scaled, cone_excess

    instance = data.draw(instances(n=st.integers(1, 6), d=st.integers(1, 3)))
    n, d = instance.n, instance.d
    rationals = st.fractions(max_denominator=10**6, min_value=-100, max_value=100)
    sigma = data.draw(st.lists(st.sampled_from([-1, 0, 1]), min_size=n, max_size=n))
    s = data.draw(st.sampled_from([-1, 1]))
    r, mu = (data.draw(st.lists(rationals, min_size=n, max_size=n)) for _ in range(2))
    nu = data.draw(st.none() | st.lists(rationals, min_size=n, max_size=n))
    coefficient = [Fraction(s, n) * r[i] * (sigma[i] > 0) + sigma[i] * mu[i] + (nu[i] if nu else 0) for i in range(n)]
    v = [sum(coefficient[i] * instance.X[i][c] for i in range(n)) for c in range(d)]
    expected = sum(x * x for x in v) - instance.lam ** 2
    assert cone_excess(instance, sigma, s, r, mu, nu) == expected
    assert cone_excess(instance, sigma, s, Scaled.of(r), Scaled.of(mu), nu and Scaled.of(nu)) == expected
