"""Lemma 13.1 (which regions hold a spurious local minimum; the spurious-region curves). Symbols of docs §1-5, §8, §12.

A width-m initialization draws m signed chambers (sigma_j, s_j); its region R is their multiset, cl R the product of
the closed chambers (with the signs). A signed face (F, s) lies below the signed chamber (sigma, s) (F inside the
closure of K_sigma) iff F's sign vector agrees with sigma wherever it is not 0.

Claim. cl R holds a local minimum with every neuron non-zero at residual r iff the neurons can be assigned to signed
faces U_j below their own draws so that U = {U_j} is a *realisation at r*: every face of U admissible at r (Lemma 12.1)
and y - r a STRICTLY positive combination of the unit contributions p_F(r), F in U. (Lemma 12.1's corollary: at r the
local minima with all neurons non-zero are the networks whose neurons lie in admissible faces with y - r = sum_j t_j p_j,
t_j > 0; the neurons of one face are split copies.)
  (i) a union of realisations at one r is a realisation (average the positive combinations);
  (ii) every face of a realisation U at r lies in a MINIMAL one W within U (independent contributions, so |W| <= n):
       Proof: every p_F(r) has r^T p_F = n lambda > 0 (Lemma 12.1), so the p_F lie in an open half-space (the cone is
       pointed). Fix v0 = p_F0. x = y - r is in the relative interior of cone(p_U), so is x - eps v0 for a small eps > 0;
       by Caratheodory x - eps v0 = sum_{w in W'} c_w w with W' independent, c > 0. If v0 is outside span W', W' + v0
       is independent and x = eps v0 + sum c_w w. Else v0 = sum mu_w w, and some mu_w > 0 (otherwise
       0 < r^T v0 = sum mu_w r^T w <= 0); moving along (1, -mu) increases v0's coefficient until the first w with
       mu_w > 0 reaches 0; exchanging it for v0 keeps independence and every other coefficient positive.
       Pointedness is needed: {e1, -e1, e2} with x = e2 is a counterexample without it (check below).
  So U is a union of minimal realisations at r, each listed by the every-width catalog (rule e) with value v(r) (or left
  undecided, or settled by rule a' when v(r) <= C* + epsilon), all in the one residual class whose bracket holds v(r).
Events of a class C (the faces of a realisation W as the sets of chambers above them):
  certain(R):  some listed realisation W receives every neuron, each face of W at least one neuron (a surjection:
               every neuron above some face of W, and Hall's condition for distinct neurons on distinct faces). Then
               the local minimum of relint W, split over the neurons, is in cl R: a local minimum with the class's value.
  possible(R): some union of listed realisations of C receives every neuron that way. By (ii) a local minimum of the
               class in cl R gives one (the true union at its residual), so possible is implied. A complete
               every-width catalog lists every set of at most n faces holding a local minimum of the class (a
               candidate it does not list was excluded, or settled by (b)/(c): none there, or by (a'): only loss
               <= C* + epsilon), so a union of at most n faces it does not list is no realisation: skipped.
Lemma 8.1: every local minimum in cl R has loss C(S(R)), so classes with disjoint value brackets have disjoint events:
their probabilities add. A spurious local minimum has no zero neuron (docs §5), so p_spur(m), the probability that cl R
holds a local minimum of loss above L*_m + epsilon (epsilon the every-width catalog's: every local minimum it does not
list, in a set its rule (a') settled, is within epsilon of C* <= L*_m), lies between the sum of the certain events of
the classes proved above L*_m + epsilon and the sum of the possible events of the classes not proved within it. Each event is a function of the capped draw counts, so its probability is a walk over them; it is a polynomial
with non-negative coefficients in the draw probabilities, hence monotone: interval ends of the probabilities bound it.

Used by: verifier.favourability (class_events, _matches, _walk, favourability).
Checked below: (ii) by brute force on random integer vectors in a half-space and the counterexample without it; (i);
the surjection test against every map from neurons to faces; the walk against every draw sequence; the worked
example's curve p_spur(1) = 1/4, p_spur(m) = 2/4^m (m >= 2) from the every-width catalog.
"""

from fractions import Fraction
from itertools import combinations, product

import sympy as sp
from hypothesis import given, strategies as st


def _strictly_positive_over(W, x) -> bool:
    """x = sum_{w in W} c_w w with every c_w > 0, W independent (exact)."""
    A = sp.Matrix([list(w) for w in W]).T
    if A.rank() < len(W):
        return False
    try:
        solution, params = A.gauss_jordan_solve(sp.Matrix(x))
    except ValueError:      # x outside the span of W
        return False
    return not params and all(c > 0 for c in solution)


def _independent_subsets_with(V, k):
    for size in range(1, len(V) + 1):
        for W in combinations(range(len(V)), size):
            if k in W:
                yield W


vectors = st.lists(st.tuples(st.integers(1, 3), st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=5,
                   unique=True)


@given(vectors, st.lists(st.integers(1, 4), min_size=5, max_size=5))
def check_every_generator_lies_in_a_minimal_realisation(V, weights):
    """(ii): all generators in the half-space first coordinate > 0 (r = e1), x a strictly positive combination: each
    generator is in an independent subset over which x is strictly positive."""
    x = [sum(c * v[i] for c, v in zip(weights, V)) for i in range(3)]
    for k in range(len(V)):
        assert any(_strictly_positive_over([V[i] for i in W], x) for W in _independent_subsets_with(V, k)), (V, x, k)


def check_pointedness_is_needed():
    V, x = [(1, 0), (-1, 0), (0, 1)], (0, 1)         # x = e1 + (-e1) + e2, strictly positive over all three
    assert [sum(v[i] for v in V) for i in range(2)] == list(x)
    assert not any(_strictly_positive_over([V[i] for i in W], x) for W in _independent_subsets_with(V, 0))


def check_union_of_realisations():
    """(i): x strictly positive over W1 and over W2 is strictly positive over W1 + W2 (the average)."""
    W1, W2, x = [(1, 0, 0), (0, 1, 0)], [(1, 1, 0)], (2, 2, 0)
    c1, c2 = [2, 2], [2]
    union = W1 + W2
    c = [Fraction(a, 2) for a in c1] + [Fraction(a, 2) for a in c2]
    assert all(t > 0 for t in c) and [sum(t * w[i] for t, w in zip(c, union)) for i in range(3)] == list(x)


@given(st.lists(st.frozensets(st.integers(0, 3), min_size=1, max_size=3), min_size=1, max_size=3),
       st.lists(st.integers(0, 3), min_size=1, max_size=4))
def check_surjection_is_hall_and_cover(faces, draws):
    """certain(R) as computed (every neuron above a face, Hall's condition) is 'some map from the neurons onto the
    faces, each neuron to a face above which it was drawn' (every map enumerated)."""
    from verifier.favourability import _matches

    counts = {c: draws.count(c) for c in set(draws)}
    computed = all(any(c in f for f in faces) for c in counts) and _matches(faces, counts)
    brute = any(set(assign) == set(range(len(faces))) and all(draws[j] in faces[f] for j, f in enumerate(assign))
                for assign in product(range(len(faces)), repeat=len(draws)))
    assert computed == brute


def check_walk_against_every_draw_sequence():
    """The walk over capped counts gives, per width, the number of draw sequences in the certain and in the
    possible event (every sequence of m <= 4 draws among 6 signed chambers enumerated)."""
    from verifier.favourability import _ClassEvents, _walk

    # faces 0, 1: two kink faces sharing chamber 2 (realisation a); faces 2, 3: chamber faces 0 and 5 (b and c)
    faces = (frozenset({0, 2}), frozenset({2, 4}), frozenset({0}), frozenset({5}))
    events = _ClassEvents((0, 2, 4, 5), (2, 2, 1, 1), faces, ((0, 1), (2,), (3,)))
    certain, possible = _walk(events, [1] * 6, 4, 0, False)
    for m in range(1, 5):
        sure = maybe = 0
        for seq in product(range(6), repeat=m):
            counts = {c: seq.count(c) for c in set(seq)}
            if not set(counts) <= {0, 2, 4, 5}:
                continue
            capped = {c: min(k, events.caps[events.chambers.index(c)]) for c, k in counts.items()}
            sure += events.certain(capped)
            maybe += events.possible(capped)
            assert events.certain(capped) == events.certain(counts)
            assert events.possible(capped) == events.possible(counts)
        assert (certain[m - 1], possible[m - 1]) == (sure, maybe), m
    # width 1: {0} or {5}; width 2: the 7 surjections onto realisation a, (0, 0), (5, 5); the union of b and c
    # (draws 0 and 5) is only possible
    assert certain[:2] == [2, 9] and possible[1] == 9 + 2
    # a complete catalog up to 2 faces that does not list {b, c}: that union holds no local minimum, it is skipped
    complete = _ClassEvents((0, 2, 4, 5), (2, 2, 1, 1), faces, ((0, 1), (2,), (3,)), complete_up_to=2)
    certain2, possible2 = _walk(complete, [1] * 6, 4, 0, False)
    assert certain2 == certain and possible2[1] == 9 and all(c <= p <= q for c, p, q in zip(certain, possible2,
                                                                                            possible))


def check_worked_example_curve():
    """x = (-1, 1), y = (1, 1/2), lambda = 1/8 (docs §8): classes 11/64 (chamber w < 0, sign +) and 19/64 (w > 0, +),
    each a single chamber face, so cl R holds the class's minimum iff every draw is that signed chamber: p_spur(1) =
    1/4 (19/64 only), p_spur(m) = 2 / 4^m for m >= 2 (both spurious), under both samplers (equal measures)."""
    from verifier.favourability import favourability
    from verifier.instance import Instance

    instance = Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8")
    for sampler in ("uniform", "gaussian"):
        result = favourability(instance, sampler, max_width=6)
        assert result.certified
        expected = [Fraction(1, 4)] + [Fraction(2, 4**m) for m in range(2, 7)]
        assert [pt.p_spur for pt in result.points] == [(p, p) for p in expected]
