"""Claim `optimal-regions`: every set S of signed patterns classified as epsilon-optimal or not optimal, and the
exact probability p_opt(m) that a random width-m initialization starts in an optimal region
(docs/mathematics.md, "Exact probability curves").

C(S) only decreases as S grows, so the sets with C(S) <= C* + epsilon form an up-set. The certificate lists
minimal supports T_1..T_k and maximal sets M_1..M_l and proves, with nested `bounds` claims:

- C* lies in [lower*, upper*] (a complete chamber table: the universe is all 2P signed patterns);
- each T_i: upper C(T_i) <= lower* + epsilon, so every S containing T_i has C(S) <= C* + epsilon;
- each M_j: lower C(M_j) > U + epsilon, U = min(upper*, upper C(T_i)) >= C*, so every S inside M_j has
  C(S) > C* + epsilon (not epsilon-optimal: with only > U a set with C* < C(S) <= C* + epsilon could escape);
- combinatorially: no T_i contains another (so each is minimal: a proper subset of T_i contains no T_k, so it lies
  in some M_j below), no M_j contains a T_i, each M_j is maximal (adding any pattern makes it contain a T_i), and
  every set containing no T_i lies inside some M_j (no set meets every complement U_j = universe - M_j while
  containing no T_i: a bounded search).

Then S is epsilon-optimal iff it contains some T_i, and otherwise C(S) > C* + epsilon
(proofs/lemma_optimal_regions.py).
With S the set of distinct patterns of m independent draws of law pi, P(S inside J) = pi(J)^m and, expanding
prod_j (1 - [S inside M_j]) with [S inside A][S inside B] = [S inside A and B],

    p_opt(m) = P(no M_j contains S) = sum over the terms K of c_K pi(K)^m      (`union_terms`).

Under the uniform sampler pi(J) = |J| / (2P): the claim may state exact values of p_opt at chosen widths and the
thresholds (smallest m with p_opt(m) >= 1/2 and >= 99/100; p_opt is non-decreasing in m), which are recomputed.

A bracket. Maximal sets that could not be proved bad may be listed bare under `open` (pattern names, no bound): they
pass the same combinatorial checks (no support inside, maximal, and with the proved ones they cover every set
containing no support). Then S containing some T_i is epsilon-optimal, S inside a proved M_j is not, and S inside only
open sets is unknown, so p_opt(m) lies in [P(no M_j nor open set contains S), P(no proved M_j contains S)]. Such a
claim states no exact value or threshold; it may state `bracket` entries (width, low, high), recomputed under the
uniform sampler.
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import CertificateMalformed, CertificateTooLarge
from .bounds import check_bounds
from .core import Certificate, Reason, Refuted, exact_text, fraction, get, integer, listof, obj, pattern_name

__all__ = ["check_optimal_regions", "union_terms", "uniform_sizes", "uniform_value", "escaping_region",
           "THRESHOLDS", "MAX_SETS", "MAX_TERMS", "MAX_CURVE_BITS", "MAX_SEARCH_STEPS"]

THRESHOLDS = {"1/2": Fraction(1, 2), "99/100": Fraction(99, 100)}
MAX_SETS = 4096             # supports and maximal sets each
MAX_TERMS = 200_000         # distinct intersections in the inclusion-exclusion
MAX_SEARCH_STEPS = 200_000  # nodes of the completeness search
MAX_CURVE_BITS = 50_000_000  # sum over stated widths of m * log2(2P) * (number of sizes): the exact powers' bits


def union_terms(maximal: list[int], universe: int, limit: int = MAX_TERMS) -> dict[int, int]:
    """The expansion prod_j (1 - z_j) with z_j z_k = z_(M_j & M_k), sets as bit masks: {mask K: c_K} with the
    empty product as the universe (pi(universe) = 1). Then P(S inside no M_j) = sum_K c_K pi(K)^m.
    Raises CertificateTooLarge beyond `limit` distinct terms."""
    terms = {universe: 1}
    for M in maximal:
        new = dict(terms)
        for K, c in terms.items():
            key = K & M
            new[key] = new.get(key, 0) - c
        terms = {K: c for K, c in new.items() if c}
        if len(terms) > limit:
            raise CertificateTooLarge(f"the inclusion-exclusion over the maximal sets has more than {limit} terms")
    return terms


def uniform_sizes(terms: dict[int, int]) -> dict[int, int]:
    """Under the uniform sampler pi(K) = |K| / (2P): the terms grouped by |K| (sizes with coefficient 0 dropped)."""
    sizes: dict[int, int] = {}
    for K, c in terms.items():
        k = bin(K).count("1")
        sizes[k] = sizes.get(k, 0) + c
    return {k: c for k, c in sizes.items() if c}


def uniform_value(sizes: dict[int, int], patterns: int, m: int) -> Fraction:
    """p_opt(m) = sum_k c_k (k / 2P)^m exactly (`patterns` = 2P)."""
    return Fraction(sum(c * k**m for k, c in sizes.items()), patterns**m)


def _compare(sizes: dict[int, int], patterns: int, m: int, x: Fraction) -> int:
    """The sign of uniform_value(sizes, patterns, m) - x, by cross-multiplication: the exact value's parts have up to
    m log2(2P) bits, and reducing them to lowest terms (a gcd) would cost time quadratic in that."""
    difference = sum(c * k**m for k, c in sizes.items()) * x.denominator - x.numerator * patterns**m
    return (difference > 0) - (difference < 0)


def escaping_region(supports: list[int], complements: list[int], limit: int = MAX_SEARCH_STEPS) -> int | None:
    """A set meeting every complement U_j and containing no support T_i (bit masks), or None when there is none.
    Branches on the elements of an unmet U_j with the fewest elements still allowed (each set is visited once:
    the elements of U_j tried before are forbidden in later branches). Raises CertificateTooLarge after `limit`
    nodes."""
    budget = [limit]

    def search(S: int, forbidden: int, unmet: list[int]) -> int | None:
        budget[0] -= 1
        if budget[0] < 0:
            raise CertificateTooLarge(f"the completeness search of the maximal sets needs more than {limit} steps")
        if any(T & S == T for T in supports):
            return None
        if not unmet:
            return S
        U = min(unmet, key=lambda U: bin(U & ~forbidden).count("1"))
        allowed = U & ~forbidden
        while allowed:
            e = allowed & -allowed
            found = search(S | e, forbidden, [V for V in unmet if not V & e])
            if found is not None:
                return found
            forbidden |= e
            allowed &= ~e
        return None

    return search(0, 0, complements)


def _nested(cert: Certificate, entry: object, where: str, quantity: str) -> tuple[dict, Certificate]:
    entry = obj(entry, where)
    claim, witnesses = obj(get(entry, "claim", where), f"{where}.claim"), obj(get(entry, "witnesses", where),
                                                                             f"{where}.witnesses")
    if claim.get("type") != "bounds" or claim.get("quantity") != quantity:
        raise CertificateMalformed(f"{where}.claim: expected a bounds claim on {quantity}")
    nested = Certificate(cert.instance, claim, witnesses)
    try:
        facts = check_bounds(nested)
    except Refuted as exc:
        raise Refuted(exc.reason, f"{where}: {exc}") from None
    return facts, nested


def _pattern_set(nested: Certificate, index: dict, where: str) -> int:
    mask = 0
    for k, item in enumerate(listof(get(nested.claim, "patterns", f"{where}.claim"), f"{where}.claim.patterns")):
        mask |= 1 << index[nested.signed(item, f"{where}.claim.patterns[{k}]")]
    return mask


def _names(mask: int, universe: list) -> list[str]:
    return [pattern_name(*universe[i]) for i in range(len(universe)) if mask >> i & 1]


def _stated(items: object, where: str, weight: int) -> tuple[list[dict], list[int]]:
    """The entries of a stated list of widths (`claim.curve` or `claim.bracket`) and their widths, each >= 1, whose
    exact powers (`weight` bits per unit of width) stay within MAX_CURVE_BITS."""
    entries = [obj(e, f"{where}[{k}]") for k, e in enumerate(listof(items, where))]
    widths = [integer(get(e, "width", f"{where}[{k}]"), f"{where}[{k}].width") for k, e in enumerate(entries)]
    if any(m < 1 for m in widths):
        raise CertificateMalformed(f"{where}: widths must be >= 1")
    if sum(widths) * weight > MAX_CURVE_BITS:
        raise CertificateTooLarge(f"{where}: the stated widths need more than {MAX_CURVE_BITS} bits of powers")
    return entries, widths


def _check_bracket(bracket: object, maximal: list[int], proved: list[int], full: int, patterns: int) -> int:
    """Each stated (width, low, high): low = P(no set of `maximal` contains S), high = P(no set of `proved` does),
    exactly under the uniform sampler."""
    low_sizes, high_sizes = uniform_sizes(union_terms(maximal, full)), uniform_sizes(union_terms(proved, full))
    weight = max(1, patterns.bit_length()) * (len(low_sizes) + len(high_sizes))
    entries, widths = _stated(bracket, "claim.bracket", weight)
    for k, (m, e) in enumerate(zip(widths, entries)):
        for key, sizes in (("low", low_sizes), ("high", high_sizes)):
            if _compare(sizes, patterns, m, fraction(get(e, key, f"claim.bracket[{k}]"), f"claim.bracket[{k}].{key}")):
                raise Refuted(Reason.OTHER, f"claim.bracket[{k}]: the {key} end at width {m} is not the stated value")
    return len(widths)


def check_optimal_regions(cert: Certificate) -> dict:
    """The classification above, and the uniform curve values and thresholds the claim states."""
    claim, witnesses = cert.claim, cert.witnesses
    epsilon = fraction(get(claim, "epsilon", "claim"), "claim.epsilon")
    if epsilon < 0:
        raise CertificateMalformed("claim.epsilon: must be >= 0")
    supports_in = listof(get(witnesses, "supports", "witnesses"), "witnesses.supports")
    maximal_in = listof(get(witnesses, "maximal", "witnesses"), "witnesses.maximal")
    if not supports_in or len(supports_in) > MAX_SETS or len(maximal_in) > MAX_SETS:
        raise CertificateTooLarge(f"witnesses: between 1 and {MAX_SETS} supports and at most {MAX_SETS} maximal sets")
    facts, optimum = _nested(cert, get(witnesses, "optimum", "witnesses"), "witnesses.optimum", "C*")
    if "lower" not in facts or "upper" not in facts:
        raise CertificateMalformed("witnesses.optimum.claim: must state both bounds on C*")
    lower_star, upper_star = Fraction(facts["lower"]), Fraction(facts["upper"])
    universe = sorted((label, s) for label in optimum.chambers.labels for s in (1, -1))   # complete: checked
    index = {p: i for i, p in enumerate(universe)}
    full = (1 << len(universe)) - 1
    supports, U = [], upper_star
    for k, entry in enumerate(supports_in):
        where = f"witnesses.supports[{k}]"
        facts, nested = _nested(cert, entry, where, "C(S)")
        if "upper" not in facts:
            raise CertificateMalformed(f"{where}.claim: must state an upper bound")
        upper = Fraction(facts["upper"])
        if upper - lower_star > epsilon:
            raise Refuted(Reason.PRIMAL, f"{where}: upper C(T) - lower C* = {exact_text(upper - lower_star)} "
                                         "exceeds epsilon")
        T = _pattern_set(nested, index, where)
        inside = next((q for q, R in enumerate(supports) if R & T == R or R & T == T), None)
        if inside is not None:      # with the rest, no containment between supports makes each one minimal
            raise Refuted(Reason.DUPLICATE, f"{where}: it and witnesses.supports[{inside}] contain one another (a "
                                            "listed support must be minimal)")
        supports.append(T)
        U = min(U, upper)
    maximal = []
    for k, entry in enumerate(maximal_in):
        where = f"witnesses.maximal[{k}]"
        facts, nested = _nested(cert, entry, where, "C(S)")
        if "lower" not in facts or Fraction(facts["lower"]) <= U + epsilon:
            raise Refuted(Reason.SEPARATION, f"{where}: no lower bound on C(M) above the upper bound on C* plus "
                                             "epsilon (so a subset of M could be epsilon-optimal)")
        maximal.append(_pattern_set(nested, index, where))
    proved = list(maximal)
    open_in = listof(witnesses.get("open", []), "witnesses.open")
    if len(open_in) > MAX_SETS:
        raise CertificateTooLarge(f"witnesses.open: at most {MAX_SETS} sets")
    for k, names in enumerate(open_in):
        mask = 0
        for q, item in enumerate(listof(names, f"witnesses.open[{k}]")):
            mask |= 1 << index[optimum.signed(item, f"witnesses.open[{k}][{q}]")]
        maximal.append(mask)
    for j, M in enumerate(maximal):
        where = f"witnesses.maximal[{j}]" if j < len(proved) else f"witnesses.open[{j - len(proved)}]"
        for T in supports:
            if T & M == T:
                raise Refuted(Reason.COVER, f"{where} contains the support {_names(T, universe)}")
        missing = full & ~M
        for i in range(len(universe)):
            if missing >> i & 1 and not any(T & ~M == 1 << i for T in supports):
                raise Refuted(Reason.COVER, f"{where} is not maximal: adding "
                                            f"{pattern_name(*universe[i])} contains no support")
    escape = escaping_region(supports, [full & ~M for M in maximal])
    if escape is not None:
        raise Refuted(Reason.COVER, f"the set {{{', '.join(_names(escape, universe))}}} contains no support and lies "
                                    "in no maximal set")
    out = {"quantity": "optimal-regions", "supports": [_names(T, universe) for T in supports],
           "maximal": len(proved), "epsilon": str(epsilon), "lower": str(lower_star), "upper": str(upper_star)}
    curve, thresholds = claim.get("curve"), claim.get("thresholds")
    if len(maximal) > len(proved):
        out["open"] = [_names(M, universe) for M in maximal[len(proved):]]
        if curve is not None or thresholds is not None:
            raise CertificateMalformed("claim: with open maximal sets p_opt is only bracketed: state `bracket`, "
                                       "not `curve` or `thresholds`")
        if claim.get("bracket") is not None:
            out["bracket"] = _check_bracket(claim["bracket"], maximal, proved, full, len(universe))
        return out
    if claim.get("bracket") is not None:
        raise CertificateMalformed("claim.bracket: only with open maximal sets (else state `curve`)")
    if curve is None and thresholds is None:
        return out
    sizes = uniform_sizes(union_terms(maximal, full))
    weight = max(1, len(universe).bit_length()) * len(sizes)
    if curve is not None:
        points, widths = _stated(curve, "claim.curve", weight)
        for k, (m, e) in enumerate(zip(widths, points)):
            if _compare(sizes, len(universe), m, fraction(get(e, "p", f"claim.curve[{k}]"), f"claim.curve[{k}].p")):
                raise Refuted(Reason.OTHER, f"claim.curve[{k}]: p_opt({m}) is not the stated value")
        out["curve"] = len(widths)
    if thresholds is not None:
        thresholds = obj(thresholds, "claim.thresholds")
        if set(thresholds) - set(THRESHOLDS):
            raise CertificateMalformed(f"claim.thresholds: keys must be among {', '.join(THRESHOLDS)}")
        for key, value in thresholds.items():
            m = integer(value, f"claim.thresholds.{key}")
            if m < 1 or 2 * m * weight > MAX_CURVE_BITS:
                raise CertificateTooLarge(f"claim.thresholds.{key}: width out of range")
            theta = THRESHOLDS[key]
            if _compare(sizes, len(universe), m, theta) < 0 or (
                    m > 1 and _compare(sizes, len(universe), m - 1, theta) >= 0):
                raise Refuted(Reason.OTHER, f"claim.thresholds.{key}: {m} is not the smallest width with "
                                            f"p_opt >= {key}")
        out["thresholds"] = {key: int(value) for key, value in thresholds.items()}
    return out
