"""Claim `catalog`: every local minimum of width m, or a proof that none is spurious (docs §8).

The certificate carries shared tables and one short record per product face:

- `chambers` (complete, Zaslavsky) and `faces` (sign vectors tau with integer witnesses, complete: their number
  is `lattice.face_count`, the sum over flats of the restrictions' region counts);
- `regions`: every set S of at most m signed chambers, each with a point (neurons in the closed cones of S, loss
  bound U_S) and a dual residual (multipliers mu >= 0 on every pattern of S, bound B_S), so B_S <= C(S) <= U_S and
  L*_m = min_S C(S) lies in [min_S B_S, min_S U_S];
- `settled`: one record per multiset of m signed non-zero faces, in the order of
  `combinations_with_replacement` over the signed faces (face order of the table, sign + before -):
  ["a", choice] a region around F (choice: one chamber around each F_j) with U_S <= min B + epsilon;
  ["b", choice1, choice2] regions around F with B_S1 > U_S2 (Lemma 8.1: a local minimum would make them equal);
  ["c", choice, j, "sign", i] / ["c", choice, j, "norm-low" | "norm-high"]: no stationary point in relint F;
  ["d", choice, j, chamber, z]: a docs §5 multiplier of neuron j around its kink row z is negative;
  ["e", k]: `minima[k]`, a region- or face-local-minimum certificate (spurious) of a point in relint F; the entry may
  state "strict" (strict, non-strict or not decided), which must be the checker's own decision (checker.strictness);
  ["g", k]: `minima[k]`, a region- or face-local-minimum certificate of a point in relint F with U <= min B + epsilon:
  an epsilon-global local minimum (so F holds no spurious one: Lemma 8.1), counted for favourability;
  ["u", reason]: undecided.
  (c) and (d) use the enclosure ||r* - r0||^2 <= 2n (U_S - B_S) of the region around F named by the choice:
  at a local minimum in relint F, r* is the optimal residual of every region around F (Lemma 8.1).

Verdict: `spurious-local-minima` if some record is "e"; otherwise `undecided` if some record is "u"; otherwise
`benign`: every local minimum of L at width m has loss <= L*_m + epsilon. The catalog is `complete` when no record is
"u": only then is the list of spurious local minima every one there is. A `spurious-local-minima` certificate with
"u" records proves that the listed spurious local minima exist, and nothing about the undecided product faces.

Favourability by count (the fraction of the product faces holding a local minimum whose minima are spurious, an
epsilon-global minimum counting as global): "e" faces hold a spurious one, "g" faces an epsilon-global one, "b", "c" and "d" faces none; an "a" face holds none or an
epsilon-global one, a "u" face anything. So the fraction lies in [S / (S + G + A + U), (S + U) / (S + U + G)], exact
when no face is "a" or "u" (0 when no face can hold a spurious one).
"""

from __future__ import annotations

import json
from enum import StrEnum
from fractions import Fraction
from itertools import combinations_with_replacement
from math import comb

from ..errors import CertificateMalformed, CertificateTooLarge
from ..lattice import LatticeTooLarge, face_count, hyperplanes, rank
from .core import (Certificate, Reason, Refuted, cone_excess, dot, dual_value, exact_text, excluded_by_norm,
                   fraction, get, integer, listof, obj, pattern_name, primal_value, residual, sigma, sign, vector)
from .face import (enclosure_radius2, excluded_by_sign, kink_multiplier_rows, prove_face_minimum, sign_row,
                   stationarity_rows)
from .region import prove_region_minimum
from .strictness import NON_STRICT, NOT_DECIDED, STRICT, decide_strictness

__all__ = ["check_catalog", "Rule", "CATALOG_RULES", "EVERY_WIDTH_RULES", "below", "product_name", "stationarity_rows",
           "sign_row", "excluded_by_sign", "excluded_by_norm", "excluded_by_multiplier", "sets_of_at_most",
           "MAX_PRODUCT_FACES", "MAX_FACES_PER_PRODUCT"]

MAX_PRODUCT_FACES = 2_000_000
MAX_FACES_PER_PRODUCT = 8     # on average: the settled records' total work is (product faces) x (width)
_STRICTNESS = (STRICT, NON_STRICT, NOT_DECIDED)


class Rule(StrEnum):
    """How a record of `settled` settles its product face F (or, in `every-width`, its set of faces T): the record's
    first item. The solver side builds its records from these members; their values are the certificate's letters."""

    WITHIN_EPSILON = "a"        # a region around F with U_S <= min B + epsilon
    DISAGREEING = "b"           # two regions around F with B_S1 > U_S2 (Lemma 8.1)
    NO_STATIONARY_POINT = "c"   # a face of F admits no stationary neuron on the region's ball
    DESCENT = "d"               # a kink multiplier is negative on the region's ball
    MINIMUM = "e"               # a certified local minimum in relint F (spurious, in `catalog`)
    GLOBAL_MINIMUM = "g"        # a certified epsilon-global local minimum in relint F (`catalog` only)
    UNDECIDED = "u"             # with a reason


CATALOG_RULES = tuple(Rule)
EVERY_WIDTH_RULES = (Rule.WITHIN_EPSILON, Rule.DISAGREEING, Rule.NO_STATIONARY_POINT, Rule.MINIMUM, Rule.UNDECIDED)


def _face_enclosure(cert: Certificate):
    facts, face = prove_face_minimum(cert)
    return facts, (face.r0, face.upper, face.lower)


_EXISTENCE = {"region-local-minimum": prove_region_minimum, "face-local-minimum": _face_enclosure}


def below(tau: str, other: str) -> bool:
    """F_tau lies in the closure of F_other: tau_i is 0 or other_i on every row."""
    return all(a == "0" or a == b for a, b in zip(tau, other))


def product_name(face) -> str:
    """A product face as text: each signed face 'tau:s', joined by ' x '."""
    return " x ".join(pattern_name(tau, s) for tau, s in face)


# --- the exact tests of (c) and (d), shared with the solver side -----------------------------------

def excluded_by_multiplier(instance, tau: str, s: int, chamber: str, z: int, r0, rho2) -> bool:
    """The docs §5 multiplier of kink row z around the chamber `chamber` is negative on the whole ball (False when
    the zero rows of tau are dependent: the multipliers are then not unique and this test does not apply)."""
    zeros = [i for i, x in enumerate(instance.X) if tau[i] == "0" and any(x)]
    if z not in zeros or rank([instance.X[i] for i in zeros]) != len(zeros):
        return False
    row = kink_multiplier_rows(instance, sigma(tau), s, zeros, sigma(chamber))[zeros.index(z)]
    value = sigma(chamber)[z] * dot(row, r0)
    return value < 0 and value * value > rho2 * dot(row, row)


def sets_of_at_most(size: int, m: int, cap: int) -> int:
    """sum_{k=1}^{m} C(size, k), the number of non-empty sets of at most m of `size` elements, or a number above
    `cap` as soon as the sum exceeds it. Every term is >= 1, so the loop runs at most cap + 1 times whatever m
    is (a certificate may state a width of 10^24).

    >>> sets_of_at_most(4, 2, 100), sets_of_at_most(2, 10**24, 100), sets_of_at_most(60, 3, 100) > 100
    (10, 3, True)
    """
    total, term = 0, 1
    for k in range(1, min(m, size) + 1):
        term = term * (size - k + 1) // k
        total += term
        if total > cap:
            break
    return total


def _about(count: int) -> str:
    return str(count) if count < 10**15 else f"about 10^{len(str(count)) - 1}"


# --- the tables --------------------------------------------------------------------------------------

class _Faces:
    """The face table: distinct sign vectors with integer witnesses, complete by the lattice's face count."""

    def __init__(self, instance, table: object):
        table = obj(table, "witnesses.faces")
        self.labels = listof(get(table, "signs", "witnesses.faces"), "witnesses.faces.signs")
        points = listof(get(table, "points", "witnesses.faces"), "witnesses.faces.points", len(self.labels))
        for k, (label, point) in enumerate(zip(self.labels, points)):
            if not isinstance(label, str) or len(label) != instance.n or set(label) - set("+-0"):
                raise CertificateMalformed(f"witnesses.faces.signs[{k}]: expected {instance.n} characters from '+-0'")
            w = [integer(x, f"witnesses.faces.points[{k}][{c}]")
                 for c, x in enumerate(listof(point, f"witnesses.faces.points[{k}]", instance.d))]
            if not any(w):
                raise Refuted(Reason.WITNESS, f"face {k}: the witness is the zero vector")
            for i, x in enumerate(instance.X):
                value = dot(x, w)
                if label[i] != ("+" if value > 0 else "-" if value < 0 else "0"):
                    raise Refuted(Reason.WITNESS, f"face {k}: the witness gives the wrong sign on row {i}")
        if len(set(self.labels)) != len(self.labels):
            raise Refuted(Reason.DUPLICATE, "two listed faces have the same sign vector")
        normals, _ = hyperplanes(instance.X)
        try:
            count = face_count(normals, instance.d, max_flats=len(self.labels))
        except LatticeTooLarge:
            raise Refuted(Reason.COUNT, f"{len(self.labels)} faces listed, but a lattice has more flats than that, "
                                        "so there are more faces") from None
        if count != len(self.labels):
            raise Refuted(Reason.COUNT, f"{len(self.labels)} faces listed, the lattice counts {count}")


def _memo_key(kind: str, value) -> tuple | None:
    """A key for JSON `value`: its exact JSON text (distinct values, distinct texts), or None when it is not JSON
    (then nothing is remembered and the readers report the shape)."""
    try:
        return kind, json.dumps(value)
    except (TypeError, ValueError):
        return None


class _Region:
    """One entry of the region table: S, a point of value <= U_S with its residual r0, and a dual bound B_S."""

    def __init__(self, cert: Certificate, entry: object, where: str, memo: dict | None = None):
        """`memo` (optional, one per certificate) remembers what was verified by the exact JSON text it was read from:
        entries inherited from one solve repeat the same point, residual and multipliers, checked once."""
        instance, labels = cert.instance, cert.chambers.labels
        memo = {} if memo is None else memo
        entry = obj(entry, where)
        patterns = []
        for k, item in enumerate(listof(get(entry, "patterns", where), f"{where}.patterns")):
            pair = listof(item, f"{where}.patterns[{k}]", 2)
            c = integer(pair[0], f"{where}.patterns[{k}][0]")
            if not 0 <= c < len(labels):
                raise CertificateMalformed(f"{where}.patterns[{k}][0]: not a chamber index")
            patterns.append((c, sign(pair[1], f"{where}.patterns[{k}][1]")))
        self.key, self.patterns = frozenset(patterns), patterns
        if len(self.key) != len(patterns) or not patterns:
            raise Refuted(Reason.DUPLICATE, f"{where}: a pattern listed twice (or S empty)")
        items = entry.get("primal")
        # remembered only when every item names its pattern by a plain index in range: the key then holds the very
        # patterns `_point` checked the neurons against (a "k" that `integer` reads otherwise is checked afresh)
        indexed = isinstance(items, list) and all(isinstance(item, dict) and type(item.get("k")) is int
                                                   and 0 <= item["k"] < len(patterns) for item in items)
        point = _memo_key("point", [(patterns[item["k"]], item.get("u"), item.get("norm_bound")) for item in items]) \
            if indexed else None
        if point is not None and point in memo:
            self.upper, self.r0 = memo[point]
        else:
            self.upper, self.r0 = self._point(cert, entry, patterns, where)
            if point is not None:
                memo[point] = (self.upper, self.r0)
        # the patterns the checked point uses (its items' k were read by `_point`, or are plain indices in range)
        self.used = frozenset(patterns[integer(item["k"], where)] for item in items)
        dual = _memo_key("dual", entry.get("r"))
        if dual is not None and dual not in memo:
            r = vector(get(entry, "r", where), instance.n, f"{where}.r")
            memo[dual] = (dual_value(instance, r), r)
        r = vector(get(entry, "r", where), instance.n, f"{where}.r") if dual is None else memo[dual][1]
        mus = listof(get(entry, "mu", where), f"{where}.mu", len(patterns))
        for k, ((c, s), mu) in enumerate(zip(patterns, mus)):
            cone = _memo_key("cone", (entry.get("r"), c, s, mu))
            if cone is not None and cone in memo:
                continue
            mu = vector(mu, instance.n, f"{where}.mu[{k}]")
            if any(x < 0 for x in mu) or cone_excess(instance, sigma(labels[c]), s, r, mu) > 0:
                raise Refuted(Reason.DUAL, f"{where}: the cone inequality fails for pattern {k}")
            if cone is not None:
                memo[cone] = True
        self.lower = memo[dual][0] if dual is not None else dual_value(instance, r)

    @staticmethod
    def _point(cert: Certificate, entry: dict, patterns: list, where: str) -> tuple[Fraction, list[Fraction]]:
        instance, labels = cert.instance, cert.chambers.labels
        neurons = []
        for j, item in enumerate(listof(get(entry, "primal", where), f"{where}.primal")):
            here = f"{where}.primal[{j}]"
            k = integer(get(item, "k", here), f"{here}.k")
            if not 0 <= k < len(patterns):
                raise CertificateMalformed(f"{here}.k: not an index of the entry's patterns")
            c, s = patterns[k]
            u = vector(get(item, "u", here), instance.d, f"{here}.u")
            if any(si * dot(x, u) < 0 for si, x in zip(sigma(labels[c]), instance.X) if si):
                raise Refuted(Reason.PRIMAL, f"{here}: u is not in the closed cone of its pattern")
            neurons.append((s, u, fraction(get(item, "norm_bound", here), f"{here}.norm_bound")))
        return primal_value(instance, neurons), residual(instance, [(s, u) for s, u, _ in neurons])

    @property
    def rho2(self) -> Fraction:
        return enclosure_radius2(len(self.r0), self.upper, self.lower)


# --- the claim ---------------------------------------------------------------------------------------

def check_catalog(cert: Certificate) -> dict:
    instance, claim, witnesses = cert.instance, cert.claim, cert.witnesses
    m = cert.width()
    epsilon, chambers, P, faces, signed = read_tables(cert)
    total = comb(len(signed) + m - 1, m)   # math.comb works with min(m, len(signed) - 1): fast for any m
    if total > MAX_PRODUCT_FACES or total * m > MAX_PRODUCT_FACES * MAX_FACES_PER_PRODUCT:
        raise CertificateTooLarge(f"claim.width: {_about(m)} gives {_about(total)} product faces (at most "
                                  f"{MAX_PRODUCT_FACES}, and at most {MAX_PRODUCT_FACES * MAX_FACES_PER_PRODUCT} "
                                  "product faces times the width, are checked)")
    regions = read_regions(cert, P, m)
    low = min(r.lower for r in regions.values())
    high = min(r.upper for r in regions.values())
    records = listof(get(witnesses, "settled", "witnesses"), "witnesses.settled", total)
    minima = listof(witnesses.get("minima", []), "witnesses.minima")
    counts = {rule.value: 0 for rule in CATALOG_RULES}
    rows_cache: dict = {}
    spurious, undecided, used = [], [], set()
    for t, (product, record) in enumerate(zip(combinations_with_replacement(signed, m), records)):
        where = f"witnesses.settled[{t}]"
        record = listof(record, where)
        rule = record[0] if record else None
        if rule not in counts:
            raise CertificateMalformed(f"{where}[0]: expected one of {', '.join(CATALOG_RULES)}")
        face = [(faces.labels[f], s) for f, s in product]
        name = product_name(face)
        if rule == Rule.WITHIN_EPSILON:
            S = _around(cert, regions, face, record, 1, where)
            if S.upper > low + epsilon:
                raise Refuted(Reason.SEPARATION, f"{where}: the region's upper bound exceeds min B + epsilon")
        elif rule == Rule.DISAGREEING:
            first, second = (_around(cert, regions, face, record, q, where) for q in (1, 2))
            if first.lower <= second.upper:
                raise Refuted(Reason.SEPARATION, f"{where}: the two regions around {name} are not separated")
        elif rule in (Rule.NO_STATIONARY_POINT, Rule.DESCENT):
            S = _around(cert, regions, face, record, 1, where)
            j = integer(record[2], f"{where}[2]") if len(record) > 3 else -1
            if not 0 <= j < m:
                raise CertificateMalformed(f"{where}[2]: expected a neuron index 0 <= j < {m}")
            tau, s = face[j]
            if rule == Rule.NO_STATIONARY_POINT:
                if (tau, s) not in rows_cache:
                    rows_cache[(tau, s)] = stationarity_rows(instance, tau, s)
                A = rows_cache[(tau, s)]
                kind = record[3]
                if kind == "sign":
                    i = integer(listof(record, where, 5)[4], f"{where}[4]")
                    ok = 0 <= i < instance.n and tau[i] != "0"
                    if ok and (tau, s, i) not in rows_cache:
                        rows_cache[(tau, s, i)] = sign_row(A, tau, instance.X[i], i)
                    ok = ok and excluded_by_sign(rows_cache[(tau, s, i)], S.r0, S.rho2)
                else:
                    ok = excluded_by_norm(A, instance.lam, kind, S.r0, S.rho2)
            else:
                c, z = (integer(x, f"{where}[{q}]") for q, x in zip((3, 4), listof(record, where, 5)[3:]))
                ok = 0 <= c < P and below(tau, chambers.labels[c]) and excluded_by_multiplier(
                    instance, tau, s, chambers.labels[c], z, S.r0, S.rho2)
            if not ok:
                raise Refuted(Reason.STATIONARITY, f"{where}: the ({rule}) test does not exclude {name}")
        elif rule in (Rule.MINIMUM, Rule.GLOBAL_MINIMUM):
            k = integer(listof(record, where, 2)[1], f"{where}[1]")
            if not 0 <= k < len(minima) or k in used:
                raise CertificateMalformed(f"{where}[1]: not an unused index of witnesses.minima")
            used.add(k)
            enclosure = _existence(cert, minima[k], face, m, f"witnesses.minima[{k}]")
            r0, upper, lower = enclosure
            if rule == Rule.GLOBAL_MINIMUM and upper > low + epsilon:
                raise Refuted(Reason.SEPARATION, f"{where}: the local minimum's upper bound exceeds min B + epsilon")
            if rule == Rule.MINIMUM:
                if lower is None or lower <= high:
                    raise Refuted(Reason.SEPARATION, f"{where}: the local minimum's lower bound does not exceed "
                                                     "L*_m's upper")
                strictness = _strictness(cert, minima[k], face, r0, enclosure_radius2(instance.n, upper, lower),
                                         f"witnesses.minima[{k}]")
                spurious.append({"value": [exact_text(lower), exact_text(upper)], "face": name, **strictness})
        else:
            reason = listof(record, where, 2)[1]
            if not isinstance(reason, str):
                raise CertificateMalformed(f"{where}[1]: expected a reason string")
            undecided.append({"face": name, "reason": reason})
        counts[rule] += 1
    verdict = "spurious-local-minima" if spurious else "undecided" if undecided else "benign"
    if claim.get("verdict") != verdict:
        raise Refuted(Reason.OTHER, f"the claimed verdict {claim.get('verdict')!r} is not the proved one ({verdict})")
    facts = {"verdict": verdict, "width": m, "complete": not undecided, "L*_m": [str(low), str(high)],
             "epsilon": str(epsilon), "product_faces": total, "faces": len(faces.labels), "chambers": P,
             "settled": counts, "spurious": spurious, "undecided": undecided,
             "favourability": _favourability(counts, epsilon), "statement": _statement(m, epsilon, spurious,
                                                                                      len(undecided), total)}
    return facts


def _statement(m: int, epsilon: Fraction, spurious: list, undecided: int, total: int) -> str:
    """What the certificate proves, in words: completeness only when no product face is undecided."""
    if undecided:
        found = (f"the {len(spurious)} listed spurious local minima of L at width {m} exist" if spurious else
                 f"L*_{m} lies in the stated bracket")
        return f"{found}; catalog incomplete: {undecided} of {total} product faces undecided, so other spurious " \
               "local minima may lie there"
    if spurious:
        return f"the {len(spurious)} listed spurious local minima of L at width {m} are all there are (one per " \
               f"product face; every other local minimum has loss <= L*_{m} + {epsilon})"
    return f"every local minimum of L at width {m} has loss <= L*_{m} + {epsilon}"

def read_tables(cert: Certificate) -> tuple:
    """claim.epsilon (>= 0), the complete chamber table and its size P, the complete face table and the signed
    non-zero faces (face order, sign + before -): what `catalog` and `every-width` share."""
    epsilon = fraction(get(cert.claim, "epsilon", "claim"), "claim.epsilon")
    if epsilon < 0:
        raise CertificateMalformed("claim.epsilon: must be >= 0")
    chambers = cert.chambers
    P = chambers.require_complete()
    faces = _Faces(cert.instance, get(cert.witnesses, "faces", "witnesses"))
    signed = [(f, s) for f, label in enumerate(faces.labels) if set(label) != {"0"} for s in (1, -1)]
    return epsilon, chambers, P, faces, signed


def read_regions(cert: Certificate, P: int, m: int) -> dict[frozenset, _Region]:
    """`witnesses.regions`: every set of at most m of the 2P signed chambers, once each (shared with `every-width`)."""
    entries = listof(get(cert.witnesses, "regions", "witnesses"), "witnesses.regions")
    expected = sets_of_at_most(2 * P, m, len(entries))     # stops once past the listed count: bounded for any m
    if len(entries) != expected:
        raise Refuted(Reason.COVER, f"the region table lists {len(entries)} sets, there are "
                                    f"{'more' if expected > len(entries) else expected} sets of at most {m} signed "
                                    "chambers")
    regions: dict[frozenset, _Region] = {}
    memo: dict = {}
    for k, entry in enumerate(entries):
        region = _Region(cert, entry, f"witnesses.regions[{k}]", memo)
        if region.key in regions or len(region.key) > m:
            raise Refuted(Reason.DUPLICATE, f"witnesses.regions[{k}]: listed twice or more than m patterns")
        regions[region.key] = region
    return regions


def _around(cert: Certificate, regions: dict, face, record: list, q: int, where: str) -> _Region:
    """The region named by the chamber choice record[q]: chamber c_j around F_j for every neuron j."""
    labels = cert.chambers.labels
    choice = listof(record[q] if len(record) > q else None, f"{where}[{q}]", len(face))
    key = set()
    for j, ((tau, s), c) in enumerate(zip(face, choice)):
        c = c if type(c) is int else integer(c, f"{where}[{q}][{j}]")
        if not 0 <= c < len(labels) or not below(tau, labels[c]):
            raise Refuted(Reason.UNKNOWN_PATTERN, f"{where}[{q}][{j}]: chamber {c} is not around the face {tau}")
        key.add((c, s))
    region = regions.get(frozenset(key))
    if region is None:
        raise Refuted(Reason.COVER, f"{where}[{q}]: the region table has no entry for this set")
    return region


def _existence(cert: Certificate, entry: object, face, m: int, where: str) -> tuple:
    """A local minimum in relint F, checked against the shared chamber table: (r0, U, B), its value lies in [B, U]
    and its residual r* in ||r* - r0||^2 <= 2n (U - B); r0 and B are None when the certificate gives no dual bound.

    region-local-minimum (F a product of m chambers, repeats allowed): the claim at width m. face-local-minimum: the
    claim for the k distinct signed faces of F at width k; the docs §5 conditions of a neuron depend only on
    u_j / ||u_j||, its kink rows and r, so splitting a neuron among the copies of its signed face keeps a local minimum
    (proofs/lemma_catalog.py)."""
    entry = obj(entry, where)
    kind = get(entry, "type", where)
    if kind not in _EXISTENCE:
        raise CertificateMalformed(f"{where}.type: expected one of {', '.join(_EXISTENCE)}")
    claim = dict(obj(get(entry, "claim", where), f"{where}.claim"), type=kind)
    items = listof(get(claim, "region", f"{where}.claim"), f"{where}.claim.region")
    claim["width"] = m if kind == "region-local-minimum" else len(items)
    if kind == "face-local-minimum":
        claim.pop("spurious", None)
    sub = Certificate(cert.instance, claim, dict(obj(get(entry, "witnesses", where), f"{where}.witnesses"),
                                                 width_upper=get(cert.witnesses, "width_upper", "witnesses")),
                      cert.chambers)
    facts, enclosure = _EXISTENCE[kind](sub)
    if enclosure is None:       # a region certificate without a dual bound: its value is at most U
        enclosure = (None, Fraction(facts["upper"]), None)
    listed = []
    for k, item in enumerate(items):
        label, s = sub.signed(item, f"{where}.claim.region[{k}]")
        zeros = ({integer(i, f"{where}.claim.region[{k}].zero_rows") for i in item["zero_rows"]}
                 if kind == "face-local-minimum" else set())
        listed.append(("".join("0" if i in zeros else ch for i, ch in enumerate(label)), s))
    same = sorted(listed) == sorted(face if kind == "region-local-minimum" else set(face))
    if not same:
        raise Refuted(Reason.INTERIOR, f"{where}: the certified local minimum is not in this product face")
    return enclosure


def _strictness(cert: Certificate, entry: dict, face, r0, rho2, where: str) -> dict:
    """The checker's own strictness decision for the local minimum in relint F (checker.strictness); a stated
    "strict" must equal it."""
    decided = decide_strictness(cert.instance, face, r0, rho2).facts()
    stated = entry.get("strict")
    if stated is not None and stated not in _STRICTNESS:
        raise CertificateMalformed(f"{where}.strict: expected one of {', '.join(_STRICTNESS)}")
    if stated is not None and stated != decided["strict"]:
        raise Refuted(Reason.STRICTNESS, f"{where}: stated {stated!r}, but the checker decides {decided['strict']!r}"
                                         + (f" ({decided['strict_reason']})" if "strict_reason" in decided else ""))
    return decided


def _favourability(counts: dict[str, int], epsilon: Fraction) -> dict:
    """The spurious share of the product faces holding a local minimum, by count: exact, or the interval left by the
    "a" faces (none or an epsilon-global one) and the "u" faces (anything). "global" counts the faces whose local
    minima have loss <= L*_m + epsilon (`global_within`): with epsilon > 0 such a minimum may lie above L*_m, so the
    share is that of the minima proved spurious against the epsilon-global ones, not of every minimum above L*_m."""
    S, G, A, U = (counts[rule] for rule in (Rule.MINIMUM, Rule.GLOBAL_MINIMUM, Rule.WITHIN_EPSILON, Rule.UNDECIDED))
    low = Fraction(S, S + G + A + U) if S else Fraction(0)
    high = Fraction(S + U, S + U + G) if S + U else Fraction(0)
    return {"spurious": S, "global": G, "global_within": str(epsilon), "open": A, "undecided": U,
            "by_count": [str(low), str(high)], "exact": low == high}
