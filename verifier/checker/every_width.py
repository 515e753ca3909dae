"""Claim `every-width`: the local-minimum values at every width m and the spurious ones (proofs/lemma_every_width.py).

Every local-minimum residual has a realisation in at most n distinct signed faces (merge, reduce), splitting keeps a
local minimum, so the local-minimum values at width m are { v_T : |T| <= m } over the sets T of at most n distinct
non-zero signed faces whose relative interior holds a local minimum (of width |T|), L*_m is the minimum over the
sets S of at most m signed chambers of C(S), and L*_m = L*_n = C* for m >= n. The certificate carries:

- `chambers`, `faces` (complete, as in `catalog`) and `regions`: every set S of at most n signed chambers with a
  point (U_S) and a dual residual (B_S), listed one by one (read by `catalog.read_regions`) or as sources and a cover
  (`covered_regions.read_covered`: one entry per solve, and for each S the source whose bracket it has);
- `settled`: one [T, record] per candidate T (T: sorted indices into the signed faces, face order of the table, sign +
  before -). The candidates are what the checker generates itself: for every region S, the signed faces below its
  chambers (same sign) that `face_excluded` does not exclude on S's ball ||r* - r0||^2 <= 2n (U_S - B_S); T is a
  candidate when S is a region around T (one pattern of S under each face, onto S) and every face of T passes on S.
  A T that is not a candidate is excluded on any region around it (Lemma 8.1: r* is every such region's residual),
  so every T holding a local minimum is a candidate. Records:
  ["c", choice, j]: face j of T is excluded on the region of `choice` (one chamber under each face of T);
  ["b", choice1, choice2]: B_S1 > U_S2 for two regions around T (Lemma 8.1);
  ["a", choice]: U_S <= min_S B_S + epsilon: any local minimum in relint T is within epsilon of C* (never spurious);
  ["e", k]: `minima[k]`, a face- or region-local-minimum certificate of a point of relint T: a value in [B, U],
  present at every width >= |T| (split);
  ["u", reason]: undecided.

Facts: the classes (realisations with overlapping value brackets, from_width the least |T|), one row per width
m = 1 .. n with the bracket of L*_m, the spurious values (lower bound above L*_m's upper) and the open ones (not
separated, or an undecided T with |T| <= m); `stable_from` (every row from it on equals row n, which holds for every
m >= n). Verdict: `spurious-local-minima` if some row has a spurious value, else `undecided` if something is open,
else `benign-at-every-width`.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, product
from math import comb
from typing import Iterable

from ..errors import CertificateMalformed, CertificateTooLarge
from .catalog import EVERY_WIDTH_RULES, Rule, _around, _existence, below, product_name, read_regions, read_tables
from .core import Certificate, Reason, Refuted, exact_text, get, integer, listof
from .covered_regions import read_covered
from .exclusion import Ball, face_excluded
from .face import enclosure_radius2
from .strictness import NOT_DECIDED, decide_strictness

__all__ = ["check_every_width", "Ball", "face_excluded", "candidates", "classes", "width_rows", "stable_from",
           "MAX_CANDIDATES", "MAX_OPTIONS", "MAX_REGIONS", "region_count"]

MAX_OPTIONS = 24            # faces passing around one region: more is refused (their subsets would be too many)
MAX_CANDIDATES = 200_000
MAX_REGIONS = 300_000       # sets of at most n signed chambers in the region table


def candidates(groups: Iterable[tuple[tuple, int]], into: dict[tuple[int, int], list[int]], passes, bound: int
               ) -> set[tuple]:
    """The sets T of at most `bound` signed faces generated from the regions: `groups` gives each region S as its
    sorted (chamber, sign) pairs with the number of its ball; into maps a (chamber, sign) to the signed faces below
    it; passes(ball, t) says face t is not excluded on that ball (regions sharing a ball share the faces that pass).

    T is generated from S when every face of T passes and some map of T onto S puts each face below its chamber. Such
    a map restricted to one face per chamber is a choice of distinct passing faces, one below each chamber of S; the
    other faces of T may go to any chamber they are below. So the sets generated from S are the distinct choices
    plus any further passing faces below S, up to `bound` faces in all."""
    found: set[tuple] = set()
    passing: dict[tuple, list[int]] = {}
    for patterns, ball in groups:
        for p in patterns:
            if (ball, p) not in passing:
                passing[(ball, p)] = [t for t in into[p] if passes(ball, t)]
        lists = [passing[(ball, p)] for p in patterns]
        options = sorted({t for faces in lists for t in faces})
        if len(options) > MAX_OPTIONS:
            raise CertificateTooLarge(f"{len(options)} signed faces pass around one region (at most {MAX_OPTIONS})")
        for choice in product(*lists):
            base = frozenset(choice)
            if len(base) != len(choice):
                continue
            rest = [t for t in options if t not in base]
            for extra in range(0, bound - len(base) + 1):
                for more in combinations(rest, extra):
                    T = tuple(sorted(base.union(more)))
                    if T not in found:
                        found.add(T)
                        if len(found) > MAX_CANDIDATES:
                            raise CertificateTooLarge(f"more than {MAX_CANDIDATES} candidate sets of faces")
    return found


def classes(realisations: list[tuple[tuple[Fraction, Fraction], int, str, str]]) -> list[dict]:
    """Realisations (value bracket, |T|, name, strictness) grouped by overlapping brackets, sorted by value; a class is
    strict at its smallest width when every realisation of that width is (each minimal one is: lemma_every_width),
    and non-strict at every larger width (split)."""
    groups: list[list] = []
    for item in sorted(realisations, key=lambda x: (x[0][0], x[1], x[2])):
        if groups and item[0][0] <= max(x[0][1] for x in groups[-1]):
            groups[-1].append(item)
        else:
            groups.append([item])
    out = []
    for g in groups:
        k = min(x[1] for x in g)
        words = {x[3] for x in g if x[1] == k}
        out.append({"value": (min(x[0][0] for x in g), max(x[0][1] for x in g)), "from_width": k,
                    "strict_at_from_width": words.pop() if len(words) == 1 else NOT_DECIDED,
                    "non_strict_above": True, "faces": [x[2] for x in g]})
    return out


def width_rows(found: list[dict], undecided: list[tuple[int, str]], lstar: dict[int, tuple], epsilon: Fraction
               ) -> list[dict]:
    """Per width m: L*_m, the spurious values (lower > L*_m's upper) and the open ones."""
    rows = []
    for m in sorted(lstar):
        low, high = lstar[m]
        present = [c for c in found if c["from_width"] <= m]
        rows.append({"width": m, "L*_m": (low, high),
                     "spurious": [c["value"] for c in present if c["value"][0] > high],
                     "open": [f"value [{exact_text(c['value'][0])}, {exact_text(c['value'][1])}] not separated from "
                              f"L*_{m}" for c in present if c["value"][0] <= high and c["value"][1] > low + epsilon]
                     + [f"undecided {name}" for k, name in undecided if k <= m]})
    return rows


def stable_from(rows: list[dict]) -> int:
    """The least m0 with every row from m0 on equal to the last one (which holds for every larger width)."""
    m0 = len(rows)
    key = [(r["L*_m"], r["spurious"], r["open"]) for r in rows]
    while m0 > 1 and key[m0 - 2] == key[-1]:
        m0 -= 1
    return m0


def region_count(P: int, n: int) -> int:
    """The number of sets of at most n of the 2P signed chambers."""
    return sum(comb(2 * P, k) for k in range(1, n + 1))


def check_every_width(cert: Certificate) -> dict:
    instance, claim, witnesses = cert.instance, cert.claim, cert.witnesses
    K = integer(get(claim, "bound", "claim"), "claim.bound")
    if K != instance.n:
        raise Refuted(Reason.WIDTH, f"claim.bound is {K}: the catalog over distinct faces must reach n = {instance.n}")
    epsilon, chambers, P, faces, signed = read_tables(cert)
    table = get(witnesses, "regions", "witnesses")
    if isinstance(table, dict):             # compact: sources and a cover (checker.covered_regions)
        regions = read_covered(cert, table, P, K)
        lstar = {m: regions.bracket(m) for m in range(1, K + 1)}
        balls = [Ball(tuple(source.r0), source.rho2) for source in regions.sources]
        groups = regions.groups()

        def ball_of(key: frozenset) -> int:
            return regions[key].number
    else:
        if region_count(P, K) > MAX_REGIONS:
            raise CertificateTooLarge(f"{region_count(P, K)} sets of at most n signed chambers: more than "
                                      f"{MAX_REGIONS} listed one by one (the compact form reads more)")
        regions = read_regions(cert, P, K)
        lstar = {m: (min(r.lower for r in regions.values() if len(r.key) <= m),
                     min(r.upper for r in regions.values() if len(r.key) <= m)) for m in range(1, K + 1)}
        distinct: dict[Ball, int] = {}                  # each distinct (r0, rho2) -> its number
        number = {key: distinct.setdefault(Ball(tuple(region.r0), region.rho2), len(distinct))
                  for key, region in regions.items()}
        balls = list(distinct)
        groups = ((tuple(sorted(key)), number[key]) for key in sorted(regions, key=lambda k: (len(k), sorted(k))))
        ball_of = number.__getitem__
    labels = chambers.labels
    around = {f: [c for c, sigma in enumerate(labels) if below(faces.labels[f], sigma)] for f, _ in signed}
    into: dict[tuple[int, int], list[int]] = {}
    for t, (f, s) in enumerate(signed):
        for c in around[f]:
            into.setdefault((c, s), []).append(t)
    rows_cache: dict = {}
    verdicts: dict[tuple[int, int], bool] = {}      # (ball number, signed face) -> passes

    def passes(k: int, t: int) -> bool:
        if (k, t) not in verdicts:
            f, s = signed[t]
            verdicts[(k, t)] = not face_excluded(instance, faces.labels[f], s, [labels[c] for c in around[f]],
                                                 balls[k], rows_cache)
        return verdicts[(k, t)]

    generated = candidates(groups, into, passes, K)
    records = listof(get(witnesses, "settled", "witnesses"), "witnesses.settled")
    minima = listof(witnesses.get("minima", []), "witnesses.minima")
    counts = {rule.value: 0 for rule in EVERY_WIDTH_RULES}
    listed, used, realisations, undecided = set(), set(), [], []
    for q, item in enumerate(records):
        where = f"witnesses.settled[{q}]"
        T_raw, record = listof(item, where, 2)
        T = tuple(integer(t, f"{where}[0]") for t in listof(T_raw, f"{where}[0]"))
        if not T or len(T) > K or list(T) != sorted(set(T)) or not all(0 <= t < len(signed) for t in T):
            raise CertificateMalformed(f"{where}[0]: expected 1 to {K} increasing signed-face indices")
        if T in listed:
            raise Refuted(Reason.DUPLICATE, f"{where}: the set of faces is listed twice")
        listed.add(T)
        record = listof(record, f"{where}[1]")
        rule = record[0] if record else None
        if rule not in counts:
            raise CertificateMalformed(f"{where}[1][0]: expected one of {', '.join(EVERY_WIDTH_RULES)}")
        face = [(faces.labels[signed[t][0]], signed[t][1]) for t in T]
        name = product_name(face)
        if rule in (Rule.WITHIN_EPSILON, Rule.NO_STATIONARY_POINT):
            S = _around(cert, regions, face, record, 1, where)
            if rule == Rule.WITHIN_EPSILON and S.upper > lstar[K][0] + epsilon:
                raise Refuted(Reason.SEPARATION, f"{where}: the region's upper bound exceeds min B + epsilon")
            if rule == Rule.NO_STATIONARY_POINT:
                j = integer(listof(record, f"{where}[1]", 3)[2], f"{where}[1][2]")
                if not 0 <= j < len(T) or passes(ball_of(S.key), T[j]):
                    raise Refuted(Reason.STATIONARITY, f"{where}: face {j} of {name} is not excluded on the region")
        elif rule == Rule.DISAGREEING:
            first, second = (_around(cert, regions, face, record, k, where) for k in (1, 2))
            if first.lower <= second.upper:
                raise Refuted(Reason.SEPARATION, f"{where}: the two regions around {name} are not separated")
        elif rule == Rule.MINIMUM:
            k = integer(listof(record, f"{where}[1]", 2)[1], f"{where}[1][1]")
            if not 0 <= k < len(minima) or k in used:
                raise CertificateMalformed(f"{where}[1][1]: not an unused index of witnesses.minima")
            used.add(k)
            r0, upper, lower = _existence(cert, minima[k], face, len(T), f"witnesses.minima[{k}]")
            if lower is None:
                raise Refuted(Reason.DUAL, f"witnesses.minima[{k}]: no lower bound on the local minimum's value")
            strict = decide_strictness(instance, face, r0, enclosure_radius2(instance.n, upper, lower)).verdict
            realisations.append(((lower, upper), len(T), name, strict))
        else:
            reason = listof(record, f"{where}[1]", 2)[1]
            if not isinstance(reason, str):
                raise CertificateMalformed(f"{where}[1][1]: expected a reason string")
            undecided.append((len(T), name))
        counts[rule] += 1
    missing = generated - listed
    if missing:
        T = min(missing)
        raise Refuted(Reason.COVER, f"{len(missing)} candidate sets of faces have no record, e.g. "
                                    f"{product_name([(faces.labels[signed[t][0]], signed[t][1]) for t in T])}")
    found = classes(realisations)
    rows = width_rows(found, undecided, lstar, epsilon)
    m0 = stable_from(rows)
    rows = rows[:m0]
    verdict = ("spurious-local-minima" if any(r["spurious"] for r in rows) else
               "undecided" if any(r["open"] for r in rows) else "benign-at-every-width")
    if claim.get("verdict") != verdict:
        raise Refuted(Reason.OTHER, f"the claimed verdict {claim.get('verdict')!r} is not the proved one ({verdict})")

    def text(bracket):
        return [exact_text(x) for x in bracket]

    facts = {"verdict": verdict, "bound": K, "epsilon": str(epsilon), "chambers": P, "faces": len(faces.labels),
             "candidates": len(generated), "settled": counts,
             "classes": [dict(c, value=text(c["value"])) for c in found],
             "by_width": [dict(r, **{"L*_m": text(r["L*_m"])}, spurious=[text(v) for v in r["spurious"]])
                          for r in rows], "stable_from": m0}
    last = rows[-1]
    if not last["open"]:
        facts["statement"] = (f"for every m >= {m0} the spurious values are exactly those in "
                              + ", ".join(f"[{exact_text(a)}, {exact_text(b)}]" for a, b in last["spurious"])
                              + (f" (every other local minimum has loss <= L*_m + {epsilon})" if epsilon else "")
                              if last["spurious"] else
                              f"benign at every width >= {m0}: every local minimum has loss <= L*_m + {epsilon}")
    return facts

