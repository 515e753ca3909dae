"""Lemma (optimal regions and exact curves). Let T_1..T_k and M_1..M_l be sets of signed patterns with
(i) upper C(T_i) <= lower C* + epsilon, (ii) lower C(M_j) > U + epsilon, U >= C* (U an upper bound on C*), (iii) no
M_j contains a T_i, and (iv) no set S meets every complement U_j = universe - M_j while containing no T_i. Then every
S containing some T_i has C(S) <= C* + epsilon, and every other S has C(S) > C* + epsilon: S is epsilon-optimal iff
it contains some T_i. (With only lower C(M_j) > U, a subset of M_j with C* < C(S) <= C* + epsilon would be an
epsilon-optimal set containing no T_i: `check_separation_needs_epsilon`.) If moreover (v) every M_j plus any
one pattern contains a T_i, the M_j are exactly the maximal sets containing no T_i, i.e. the U_j are exactly the
minimal transversals of the T_i.

For S the set of distinct values of m independent draws with law pi: P(S inside J) = pi(J)^m, the events
{S inside M_j} multiply as {S inside M_j and M_k}, so
    p_opt(m) = P(S inside no M_j) = E prod_j (1 - [S inside M_j]) = sum_K c_K pi(K)^m,
the expansion with merged intersections (`union_terms`, the universe standing for the empty product), and
p_opt(m) is non-decreasing in m (S_m inside S_(m+1) for the same draws, and the optimal sets form an up-set), so a
threshold is proved by two values: p(t) >= theta > p(t - 1).

A bracket. If only some M_j carry (ii) (the others, "open", still meet (iii)-(v) with them), S containing a T_i is
epsilon-optimal and S inside a proved M_j is not; S inside open sets only is unknown. Every up-set G of optimal sets
consistent with this contains the up-closure of the T_i and avoids the subsets of the proved M_j, so
    P(S inside no M_j, proved or open) <= p_opt(m) <= P(S inside no proved M_j),
both ends of the same inclusion-exclusion form and non-decreasing in m, and both are attained (G = the up-closure of
the T_i; G = every set outside the proved M_j): the bracket is the best these certificates allow
(`check_bracket_holds_every_consistent_up_set`).

Used by: checker.optimal_regions.check_optimal_regions, union_terms, uniform_sizes, uniform_value,
escaping_region, _check_bracket.

Argument: C is monotone (a point of C(A) is a point of C(B) for A inside B, the other neurons zero). S containing T_i:
C(S) <= C(T_i) <= upper C(T_i) <= lower C* + epsilon <= C* + epsilon. S containing no T_i: by (iv) S misses some U_j,
i.e. S lies inside M_j, so C(S) >= C(M_j) >= lower C(M_j) > U + epsilon >= C* + epsilon. For (v): a set containing no T_i lies in some
M_j by (iv); M_j contains no T_i by (iii) and is maximal by (v); so the maximal ones are exactly the M_j.
The checks below compare each step with brute force on every small family.
"""

import itertools
import random
from fractions import Fraction

from verifier.checker.optimal_regions import escaping_region, union_terms, uniform_sizes, uniform_value


def _masks(universe: int):
    return range(1 << universe)


def _contains(S: int, T: int) -> bool:
    return T & S == T


def _families(seed: int, count: int, smallest: int = 1, largest: int = 6, most: int = 4):
    """`count` random (universe size, full mask, supports) with every support non-empty."""
    rng = random.Random(seed)
    for _ in range(count):
        universe = rng.randint(smallest, largest)
        full = (1 << universe) - 1
        yield universe, full, [rng.randint(1, full) for _ in range(rng.randint(1, most))], rng


def _maximal_free(supports, universe):
    """Brute force: the maximal sets containing no support."""
    free = [S for S in _masks(universe) if not any(_contains(S, T) for T in supports)]
    return [S for S in free if not any(S != F and _contains(F, S) for F in free)]


def check_completeness_search_against_brute_force():
    """escaping_region finds a set meeting every complement and containing no support exactly when one exists."""
    for universe, full, supports, rng in _families(7, 400):
        complements = [rng.randint(1, full) for _ in range(rng.randint(0, 4))]
        brute = [S for S in _masks(universe) if all(S & U for U in complements)
                 and not any(_contains(S, T) for T in supports)]
        found = escaping_region(supports, complements)
        assert (found is None) == (not brute)
        if found is not None:
            assert all(found & U for U in complements) and not any(_contains(found, T) for T in supports)


def check_true_maximal_sets_pass_and_classify_every_set():
    """For the true maximal sets, (iii)-(v) hold and every set either contains a support or lies in some M_j."""
    for universe, full, supports, _ in _families(11, 200):
        maximal = _maximal_free(supports, universe)
        assert escaping_region(supports, [full & ~M for M in maximal]) is None
        for M in maximal:
            assert not any(_contains(M, T) for T in supports)
            for i in range(universe):
                if not M >> i & 1:
                    assert any(T & ~M == 1 << i for T in supports)
        for S in _masks(universe):
            assert any(_contains(S, T) for T in supports) != any(_contains(M, S) for M in maximal)


def check_a_missing_maximal_set_is_caught():
    """Dropping any true maximal set leaves a set that escapes (the search refutes the certificate)."""
    for universe, full, supports, rng in _families(13, 200, smallest=2):
        maximal = _maximal_free(supports, universe)
        if len(maximal) < 1:
            continue
        drop = rng.randrange(len(maximal))
        rest = maximal[:drop] + maximal[drop + 1:]
        assert escaping_region(supports, [full & ~M for M in rest]) is not None


def _probability_by_enumeration(universe: int, pi: list[Fraction], supports, m: int) -> Fraction:
    """P(S contains some support) by summing over every sequence of m draws."""
    total = Fraction(0)
    for draws in itertools.product(range(universe), repeat=m):
        S = 0
        weight = Fraction(1)
        for d in draws:
            S |= 1 << d
            weight *= pi[d]
        if any(_contains(S, T) for T in supports):
            total += weight
    return total


def check_curve_formula_against_every_draw_sequence():
    """sum_K c_K pi(K)^m equals the probability summed over all m-draw sequences, for any law pi; under the
    uniform law uniform_value agrees; p_opt is non-decreasing in m."""
    for universe, full, supports, rng in _families(17, 40, largest=4, most=3):
        maximal = _maximal_free(supports, universe)
        terms = union_terms(maximal, full)
        weights = [rng.randint(1, 5) for _ in range(universe)]
        pi = [Fraction(w, sum(weights)) for w in weights]
        previous = Fraction(0)
        for m in range(1, 5):
            value = sum(c * sum((pi[i] for i in range(universe) if K >> i & 1), Fraction(0)) ** m
                        for K, c in terms.items())
            assert value == _probability_by_enumeration(universe, pi, supports, m)
            uniform = uniform_value(uniform_sizes(terms), universe, m)
            assert uniform == _probability_by_enumeration(universe, [Fraction(1, universe)] * universe, supports, m)
            assert value >= previous
            previous = value


def check_transversal_duality():
    """The complements of the maximal sets are exactly the minimal transversals of the supports (brute force)."""
    for universe, full, supports, _ in _families(19, 200):
        transversals = [S for S in _masks(universe) if all(S & T for T in supports)]
        minimal = {S for S in transversals if not any(S != R and _contains(S, R) for R in transversals)}
        assert {full & ~M for M in _maximal_free(supports, universe)} == minimal


def _monotone(universe: int, rng) -> list[Fraction]:
    """A random non-increasing set function C on the subsets (bit masks): C(S) = min over its subsets' draws."""
    draws = [Fraction(rng.randint(0, 40), 8) for _ in _masks(universe)]
    return [min(draws[R] for R in _masks(universe) if _contains(S, R)) for S in _masks(universe)]


def check_separation_needs_epsilon():
    """(ii) with + epsilon: for random monotone C and epsilon > 0, with T_i the minimal epsilon-optimal sets and M_j
    the maximal sets containing none, the M_j meet lower C(M_j) > U + epsilon (exact bounds, U = C*), and then S is
    epsilon-optimal iff it contains some T_i. Without + epsilon the test is weaker: some family has an M_j with
    C* < C(M_j) <= C* + epsilon, an epsilon-optimal set containing no T_i (the checker once accepted that)."""
    rng = random.Random(23)
    weaker_accepts_a_wrong_family = False
    for _ in range(300):
        universe = rng.randint(1, 4)
        C = _monotone(universe, rng)
        epsilon = Fraction(rng.randint(0, 8), 8)
        star = C[-1]
        good = [S for S in _masks(universe) if C[S] <= star + epsilon]
        supports = [S for S in good if not any(R != S and _contains(S, R) for R in good)]
        maximal = _maximal_free(supports, universe)
        for S in _masks(universe):
            assert (C[S] <= star + epsilon) == any(_contains(S, T) for T in supports)
        assert all(C[M] > star + epsilon for M in maximal)    # (ii) with + epsilon holds for the true sets
        # a family that passes the old test (ii) C(M) > C* but where some S <= C* + epsilon escapes the supports:
        fewer = [T for T in supports if C[T] <= star]          # the exactly optimal supports only
        if fewer:
            rest = _maximal_free(fewer, universe)
            if all(C[M] > star for M in rest) and any(C[M] <= star + epsilon for M in rest):
                weaker_accepts_a_wrong_family = True
                assert not all(C[M] > star + epsilon for M in rest)   # the + epsilon test refuses it
    assert weaker_accepts_a_wrong_family


def check_bracket_holds_every_consistent_up_set():
    """With a random part of the true maximal sets left open, every up-set containing the supports and avoiding the
    subsets of the proved ones has its probability (every draw sequence) between the two ends, which are attained."""
    for universe, full, supports, rng in _families(23, 60, largest=4, most=3):
        maximal = _maximal_free(supports, universe)
        proved = [M for M in maximal if rng.random() < 0.5]
        openly = [M for M in maximal if M not in proved]
        weights = [rng.randint(1, 5) for _ in range(universe)]
        pi = [Fraction(w, sum(weights)) for w in weights]
        unknown = [S for S in _masks(universe) if not any(_contains(S, T) for T in supports)
                   and not any(_contains(M, S) for M in proved)]
        generators = [supports] + [supports + rng.sample(unknown, rng.randint(1, len(unknown))) for _ in range(3)
                                   if unknown] + [supports + unknown]
        for m in range(1, 4):
            def end(family):
                return sum(c * sum((pi[i] for i in range(universe) if K >> i & 1), Fraction(0)) ** m
                           for K, c in union_terms(family, full).items())
            low, high = end(maximal), end(proved)
            values = [_probability_by_enumeration(universe, pi, G, m) for G in generators]
            assert all(low <= v <= high for v in values)
            assert values[0] == low and values[-1] == high
        assert openly or low == high
