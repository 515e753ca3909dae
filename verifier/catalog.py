"""The catalog of width-m local minima (SPEC §8): every product face settled, or a proof that there is no spurious one.

1. The region table: every set S of at most m signed chambers with a certified bracket B_S <= C(S) <= U_S (a
   polished point and a dual residual); L*_m = min_S C(S) lies in [min B_S, min U_S].
2. Every product face F (a multiset of m signed non-zero faces) is settled by look-ups over the regions around it
   (one chamber around each face, Lemma 8.1): (a) some U_S <= min B + tolerance; (b) two regions with B_S1 > U_S2;
   (c) no stationary point in relint F, or (d) a negative kink multiplier, on the duality-gap enclosure of a region
   around F; (e) a region or face certificate of a spurious local minimum in relint F (programs are solved only
   here, where all regions around F agree), with its strictness (`checker.strictness`); otherwise F is undecided,
   with its reason. A face settled by (a) may still hold an epsilon-global local minimum or none: for the
   favourability count the builder also tries (b)-(d) on it, then (g) a certificate of an epsilon-global local
   minimum in relint F (at most `Settings.global_certificates` of them).
3. The whole catalog is one certificate (`checker.catalog`), accepted by the checker before anything is reported;
   the favourability by count is the checker's.

The regions reachable from a prefix of the multiset are shared along a depth-first walk, so a product face costs a
look-up per distinct region around it.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, combinations_with_replacement, permutations
from math import comb, factorial, prod
from pathlib import Path
from typing import Callable

from . import checker
from .certificates import chamber_witnesses, document, rationals
from .checker.catalog import (below, excluded_by_multiplier, excluded_by_norm, excluded_by_sign, product_name,
                              sign_row, stationarity_rows)
from .checker.core import residual
from .checker.face import enclosure_radius2
from .checker.strictness import decide_strictness
from .convex import ConvexPrograms, all_signed_patterns
from .errors import InputError, SolverFailure
from .faces import Faces, enumerate_faces
from .instance import Instance
from .landscape import Context, certify_face_minimum, certify_region_minimum
from .lattice import rank
from .optimum import Bounds
from .polish import cone_rows, cone_vector, dual_certificate, network_value, norm_bound, polish, project

__all__ = ["Settings", "Catalog", "build_catalog", "catalog_digest"]

Progress = Callable[[str, int, int], None]
_WEIGHED_UNDECIDED = 50     # beyond this many undecided faces, their closure probabilities are not summed


@dataclass(frozen=True)
class Settings:
    """tolerance: how far above the certified lower bound of L*_m a region's upper bound may be for rule (a)
    (the epsilon actually used is reported); digits: rationalization digits; budget: seconds (None: no limit);
    first: stop at the first certified spurious local minimum; global_certificates: how many existence certificates
    of epsilon-global local minima to try on rule-(a) faces that (b)-(d) do not exclude, so that the favourability
    count closes (0: settle rule-(a) faces by (a) alone)."""

    tolerance: Fraction = Fraction(1, 10**9)
    digits: int = 24
    budget: float | None = None
    first: bool = False
    global_certificates: int = 200


def catalog_digest(instance: Instance, width: int, settings: Settings) -> str:
    """What a checkpoint is bound to: the instance's digest, the width and the settings that change results."""
    text = json.dumps([instance.digest(), width, str(settings.tolerance), settings.digits])
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class _Entry:
    """A region-table entry: the signed-chamber ids of S, its bracket, the residual r0 of its point and the JSON."""

    ids: tuple[int, ...]
    lower: Fraction
    upper: Fraction
    json: dict
    r0: list[Fraction]
    inherited: bool = False

    @property
    def rho2(self) -> Fraction:
        return enclosure_radius2(len(self.r0), self.upper, self.lower)


@dataclass
class Catalog:
    """The result: verdict (benign, spurious-local-minima or undecided), L*_m bracket, epsilon, the spurious
    entries and the undecided faces, counts by rule, the certificate and whether the checker accepted it."""

    verdict: str
    width: int
    lstar: tuple[Fraction, Fraction]
    epsilon: Fraction
    product_faces: int
    counts: dict[str, int]
    spurious: list[dict]
    undecided: list[dict]
    document: dict | None
    certified: bool
    seconds: float
    faces: int
    chambers: int
    favourability: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"Catalog(verdict={self.verdict!r}, width={self.width}, certified={self.certified}, "
                f"spurious={len(self.spurious)}, undecided={len(self.undecided)}, product_faces={self.product_faces})")

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "width": self.width, "certified": self.certified,
                "L*_m": [str(x) for x in self.lstar], "L*_m_float": [float(x) for x in self.lstar],
                "epsilon": str(self.epsilon), "product_faces": self.product_faces, "settled": self.counts,
                "spurious": self.spurious, "undecided": self.undecided, "faces": self.faces,
                "chambers": self.chambers, "favourability": self.favourability, "seconds": round(self.seconds, 2),
                "failures": self.failures}


class _Builder:
    def __init__(self, instance: Instance, width: int, settings: Settings, progress: Progress | None,
                 checkpoint: Path | None):
        self.instance, self.m, self.settings = instance, width, settings
        self.progress = progress or (lambda stage, done, total: None)
        self.start = time.perf_counter()
        self.context = Context(instance, width, settings.digits)
        self.arrangement = self.context.arrangement
        self.programs: ConvexPrograms = self.context.programs
        self.patterns = all_signed_patterns(self.arrangement)          # id 2c (+) and 2c + 1 (-)
        self.chamber_labels = self.arrangement.patterns()
        self.faces: Faces = enumerate_faces(instance.X)
        self.signed = [(f, s) for f in self.faces.nonzero for s in (1, -1)]
        self.around = self.faces.chambers_around(self.chamber_labels)
        self.checkpoint = checkpoint
        self.table: dict[frozenset, _Entry] = {}
        self.minima: list[dict] = []
        self._stationarity: dict = {}
        self._contexts: dict[int, Context] = {}
        self._attempts = settings.global_certificates     # existence certificates of epsilon-global minima left
        self.undecided_products: list[tuple[int, ...]] = []

    def out_of_time(self) -> bool:
        budget = self.settings.budget
        return budget is not None and time.perf_counter() - self.start > budget

    # --- the region table ----------------------------------------------------------------------------
    def region_table(self) -> bool:
        sets = [S for k in range(1, min(self.m, len(self.patterns)) + 1)
                for S in combinations(range(len(self.patterns)), k)]
        digest = catalog_digest(self.instance, self.m, self.settings)
        self._resume(digest)
        handle = None
        if self.checkpoint:
            fresh = not self.checkpoint.exists()
            handle = self.checkpoint.open("a")
            if fresh:
                handle.write(json.dumps({"digest": digest}) + "\n")
        try:
            for done, ids in enumerate(sets):
                self.progress("regions", done, len(sets))
                if frozenset(ids) in self.table:
                    continue
                if self.out_of_time():
                    return False
                entry = self._certify(ids)
                self.table[frozenset(ids)] = entry
                if handle:
                    handle.write(json.dumps({"ids": ids, "lower": str(entry.lower), "upper": str(entry.upper),
                                             "entry": entry.json}) + "\n")
                    handle.flush()
            self.progress("regions", len(sets), len(sets))
        finally:
            if handle:
                handle.close()
        self.low = min(e.lower for e in self.table.values())       # L*_m = min over the table of C(S)
        self.high = min(e.upper for e in self.table.values())
        self.threshold = self.low + self.settings.tolerance
        self.epsilon = Fraction(0)
        return True

    def _resume(self, digest: str) -> None:
        if not self.checkpoint or not self.checkpoint.exists():
            return
        lines = self.checkpoint.read_text().splitlines()
        if not lines or json.loads(lines[0]).get("digest") != digest:
            raise InputError("checkpoint", f"{self.checkpoint} belongs to another instance, width or settings")
        for line in lines[1:]:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:      # a line cut short by an interruption
                continue
            ids, entry = tuple(record["ids"]), record["entry"]
            self.table[frozenset(ids)] = _Entry(ids, Fraction(record["lower"]), Fraction(record["upper"]), entry,
                                                self._r0(entry))

    def _r0(self, entry: dict) -> list[Fraction]:
        neurons = [(entry["patterns"][item["k"]][1], [Fraction(x) for x in item["u"]]) for item in entry["primal"]]
        return residual(self.instance, neurons)

    def _certify(self, ids: tuple[int, ...]) -> _Entry:
        return self._inherit(ids) or self._solve(ids)

    def _inherit(self, ids: tuple[int, ...]) -> _Entry | None:
        """C(S) = C(T) for T = S minus one pattern p when T's dual residual is also feasible on p (then
        B_T <= C(S) <= C(T) <= U_T): T's point and residual, with p's multipliers, certify S without a solve."""
        subsets = [self.table.get(frozenset(ids) - {i}) for i in ids] if len(ids) > 1 else []
        for T in sorted((T for T in subsets if T is not None), key=lambda T: T.upper):
            p = next(i for i in ids if i not in T.ids)
            r = [Fraction(x) for x in T.json["r"]]
            mu, _, v = project(cone_vector(self.instance, self.patterns[p], r), cone_rows(self.instance,
                                                                                          self.patterns[p]))
            if sum(x * x for x in v) > self.instance.lam ** 2:
                continue
            old = {i: k for k, i in enumerate(T.ids)}
            position = {i: k for k, i in enumerate(ids)}
            entry = {"patterns": [[i // 2, self.patterns[i].s] for i in ids],
                     "primal": [dict(item, k=position[T.ids[item["k"]]]) for item in T.json["primal"]],
                     "r": T.json["r"],
                     "mu": [T.json["mu"][old[i]] if i in old else rationals(mu) for i in ids]}
            return _Entry(ids, T.lower, T.upper, entry, T.r0, True)
        return None

    def _solve(self, ids: tuple[int, ...]) -> _Entry:
        S = [self.patterns[i] for i in ids]
        digits = self.settings.digits
        neurons = polish(self.instance, self.programs.solve(S), digits)
        dual = dual_certificate(self.instance, neurons, S, digits + 10)
        position = {p: k for k, p in enumerate(S)}
        entry = {"patterns": [[i // 2, self.patterns[i].s] for i in ids],
                 "primal": [{"k": position[nr.pattern], "u": rationals(nr.u),
                             "norm_bound": str(norm_bound(nr.u, digits))} for nr in neurons],
                 "r": rationals(dual.r), "mu": [rationals(dual.multipliers[p]) for p in S]}
        return _Entry(ids, dual.value, network_value(self.instance, neurons, digits), entry,
                      residual(self.instance, [(nr.pattern.s, nr.u) for nr in neurons]))

    # --- settling the product faces ------------------------------------------------------------------
    def settle(self) -> tuple[list[list], list[dict], list[dict]]:
        total = comb(len(self.signed) + self.m - 1, self.m)
        records: list[list] = []
        spurious: list[dict] = []
        undecided: list[dict] = []
        stack: list[int] = []

        def walk(start: int, reach: dict[frozenset, tuple[int, ...]]) -> bool:
            if len(stack) == self.m:
                if len(records) % 500 == 0:
                    self.progress("product faces", len(records), total)
                record = self._settle(tuple(stack), reach)
                records.append(record)
                if record[0] == "e":
                    spurious.append(self._describe(tuple(stack), record))
                    if self.settings.first:
                        return False
                elif record[0] == "u":
                    undecided.append({"face": self._name(tuple(stack)), "reason": record[1]})
                    self.undecided_products.append(tuple(stack))
                return True
            for t in range(start, len(self.signed)):
                f, s = self.signed[t]
                nxt: dict[frozenset, tuple[int, ...]] = {}
                for key, choice in reach.items():
                    for c in self.around[f]:
                        nxt.setdefault(key | {2 * c + (s < 0)}, choice + (c,))
                stack.append(t)
                going = walk(t, nxt)
                stack.pop()
                if not going:
                    return False
            return True

        walk(0, {frozenset(): ()})
        self.progress("product faces", total, total)
        return records, spurious, undecided

    def _name(self, product: tuple[int, ...]) -> str:
        return product_name([(self.faces.labels[self.signed[t][0]], self.signed[t][1]) for t in product])

    def _settle(self, product: tuple[int, ...], reach: dict[frozenset, tuple[int, ...]]) -> list:
        if self.out_of_time():
            return ["u", "budget exhausted before this face was examined"]
        regions = [(self.table[key], list(choice)) for key, choice in reach.items()]
        best = min(regions, key=lambda rc: rc[0].upper)
        if best[0].upper <= self.threshold:                                                # (a)
            self.epsilon = max(self.epsilon, best[0].upper - self.low)
            if self.settings.global_certificates:            # favourability: does relint F hold a local minimum?
                return self._exclusion(product, regions, best) or self._existence(product, regions, "global") \
                    or ["a", best[1]]
            return ["a", best[1]]
        return self._exclusion(product, regions, best) or self._existence(product, regions, "spurious")   # (e)

    def _exclusion(self, product, regions, best) -> list | None:
        """(b), then (c) and (d) on the three tightest enclosures around F: relint F holds no local minimum."""
        top = max(regions, key=lambda rc: rc[0].lower)
        if top[0].lower > best[0].upper:                                                  # (b)
            return ["b", top[1], best[1]]
        for region, choice in sorted(regions, key=lambda rc: rc[0].upper - rc[0].lower)[:3]:   # (c), (d)
            record = self._exclude(product, region, choice)
            if record:
                return record
        return None

    def _exclude(self, product, region: _Entry, choice) -> list | None:
        r0, rho2 = region.r0, region.rho2
        for j, t in enumerate(product):
            if t in product[:j]:
                continue
            f, s = self.signed[t]
            tau = self.faces.labels[f]
            A, rows = self._tests(tau, s)
            for i, row in rows.items():
                if excluded_by_sign(row, r0, rho2):
                    return ["c", choice, j, "sign", i]
            for kind in ("norm-low", "norm-high"):
                if excluded_by_norm(A, self.instance.lam, kind, r0, rho2):
                    return ["c", choice, j, kind]
            for c in self.around[f]:
                for z, x in enumerate(self.instance.X):
                    if tau[z] == "0" and any(x) and excluded_by_multiplier(self.instance, tau, s,
                                                                           self.chamber_labels[c], z, r0, rho2):
                        return ["d", choice, j, c, z]
        return None

    def _tests(self, tau: str, s: int):
        """The stationarity matrix of a signed face and its sign rows (cached: they depend on the face only)."""
        if (tau, s) not in self._stationarity:
            A = stationarity_rows(self.instance, tau, s)
            self._stationarity[(tau, s)] = (A, {i: sign_row(A, tau, x, i) for i, x in enumerate(self.instance.X)
                                                if tau[i] != "0"})
        return self._stationarity[(tau, s)]

    def _existence(self, product, regions, goal: str) -> list | None:
        """(e) a certificate of a spurious local minimum in relint F (goal "spurious"; else an undecided record), or
        (g) of an epsilon-global one (goal "global"; else None)."""
        if goal == "global":
            if self._attempts <= 0 or self.out_of_time():
                return None
            self._attempts -= 1
        elif max(e.lower for e, _ in regions) <= self.high:
            return ["u", "the regions around the face are not separated from L*_m (a local minimum here could be "
                         "global or spurious) and no exclusion test applies"]
        record = self._certify_existence(product, regions, goal)
        return None if goal == "global" and record[0] == "u" else record

    def _certify_existence(self, product, regions, goal: str) -> list:
        faces = [self.signed[t] for t in product]
        zero_rows = [[i for i, x in enumerate(self.instance.X) if self.faces.labels[f][i] == "0" and any(x)]
                     for f, _ in faces]
        choice = regions[0][1]
        try:
            if not any(zero_rows):
                result = certify_region_minimum(self.context, [self.patterns[2 * c + (s < 0)]
                                                               for c, (_, s) in zip(choice, faces)])
            else:
                if any(rank([self.instance.X[i] for i in Z]) != len(Z) for Z in zero_rows):
                    return ["u", "a neuron's face has linearly dependent zero rows: no face certificate applies"]
                distinct = list({t: (c, Z) for t, c, Z in zip(product, choice, zero_rows)}.items())  # one per face
                alive = {j: self.patterns[2 * c + (self.signed[t][1] < 0)] for j, (t, (c, _)) in enumerate(distinct)}
                kinks = {j: Z for j, (_, (_, Z)) in enumerate(distinct) if Z}
                result = certify_face_minimum(self._context(len(distinct)), alive, kinks)
        except SolverFailure as exc:
            return ["u", f"solver failure in the existence certificate: {exc}"]
        if not result.certified or result.verdict not in ("spurious-local-minimum", "local-minimum"):
            return ["u", f"no exclusion test applies and no existence certificate: {result.reason}"]
        lower, upper = result.details["value"]
        if (lower <= self.high) if goal == "spurious" else (upper > self.threshold):
            return ["u", f"no exclusion test applies and the local minimum in relint F is not separated "
                         f"({'from' if goal == 'spurious' else 'within epsilon of'} L*_m)"]
        claim = {k: v for k, v in result.document["claim"].items() if k not in ("type", "width")}
        witnesses = {k: v for k, v in result.document["witnesses"].items() if k not in ("chambers", "width_upper")}
        entry = {"type": result.document["claim"]["type"], "claim": claim, "witnesses": witnesses}
        if goal == "global":
            self.epsilon = max(self.epsilon, upper - self.low)
        else:
            points = result.details["neurons"] if "neurons" in result.details else result.details["program"].points
            r0 = residual(self.instance, [(nr.pattern.s, nr.u) for nr in points])
            entry["strict"] = decide_strictness(self.instance, [(self.faces.labels[f], s) for f, s in faces], r0,
                                                enclosure_radius2(self.instance.n, upper, lower)).verdict
        self.minima.append(dict(entry, _value=[str(lower), str(upper)]))
        return ["g" if goal == "global" else "e", len(self.minima) - 1]

    def _context(self, k: int) -> Context:
        """The context of the face certificates with k distinct neurons. Their L*_m bounds are marked uncertified so
        that they certify a local minimum only: the catalog separates it from the table's L*_m itself."""
        if k not in self._contexts:
            context = Context(self.instance, k, self.settings.digits)
            context._width_bounds = self.width_bounds()
            context._width_bounds.certified = False
            self._contexts[k] = context
        return self._contexts[k]

    def _describe(self, product, record) -> dict:
        minimum = self.minima[record[1]]
        return {"face": self._name(product), "value": minimum["_value"],
                "value_float": [float(Fraction(v)) for v in minimum["_value"]],
                "strict": minimum["strict"], "product": list(product)}

    # --- the certificate -----------------------------------------------------------------------------
    def certificate(self, records, verdict: str) -> dict:
        best = min(self.table.values(), key=lambda e: e.upper)
        claim = {"type": "catalog", "width": self.m, "epsilon": str(self.epsilon), "verdict": verdict}
        witnesses = {
            "chambers": chamber_witnesses(self.arrangement),
            "faces": {"signs": self.faces.labels, "points": [[str(x) for x in w] for w in self.faces.witnesses]},
            "regions": [e.json for e in sorted(self.table.values(), key=lambda e: (len(e.ids), e.ids))],
            "width_upper": self._width_upper(best),
            "settled": records,
            "minima": [{k: v for k, v in mn.items() if k != "_value"} for mn in self.minima],
        }
        return document(self.instance, claim, witnesses)

    def _width_upper(self, best: _Entry) -> list[dict]:
        entry = best.json
        return [{"pattern": self.chamber_labels[entry["patterns"][item["k"]][0]],
                 "sign": entry["patterns"][item["k"]][1], "u": item["u"], "norm_bound": item["norm_bound"]}
                for item in entry["primal"]]

    def width_bounds(self) -> Bounds:
        """L*_m from the table, handed to the existence certificates (their width-m network is the table's best)."""
        best = min(self.table.values(), key=lambda e: e.upper)
        return Bounds("L*_m", self.low, self.high, {"witnesses": {"primal": self._width_upper(best)}}, [], [], True)


def build_catalog(instance: Instance, width: int, settings: Settings = Settings(), progress: Progress | None = None,
                  checkpoint: str | Path | None = None) -> Catalog:
    """Settle every product face of width m (SPEC §8) and have the checker accept the catalog certificate.

    The verdict is `benign`, `spurious-local-minima` or `undecided` only as the checker proved it; if the checker
    rejects the certificate (a bug) or the budget runs out before the region table is complete, the verdict is
    `undecided` and `failures` says why."""
    builder = _Builder(instance, width, settings, progress, Path(checkpoint) if checkpoint else None)
    P, faces = len(builder.chamber_labels), len(builder.faces)
    total = comb(len(builder.signed) + width - 1, width)
    if not builder.region_table():
        return Catalog("undecided", width, (Fraction(0), Fraction(0)), Fraction(0), total, {}, [],
                       [{"face": "all", "reason": "budget exhausted while certifying the region table"}], None, False,
                       time.perf_counter() - builder.start, faces, P)
    builder.context._width_bounds = builder.width_bounds()
    records, spurious, undecided = builder.settle()
    counts = {rule: sum(1 for r in records if r[0] == rule) for rule in "abcdegu"}
    seconds = time.perf_counter() - builder.start
    lstar = (builder.low, builder.high)
    if settings.first:
        if spurious:
            minimum = builder.minima[0]
            doc = document(instance, dict(minimum["claim"], type=minimum["type"], width=width),
                           dict(minimum["witnesses"], chambers=chamber_witnesses(builder.arrangement),
                                width_upper=builder._width_upper(min(builder.table.values(), key=lambda e: e.upper))))
            verdict = checker.check(doc)
            return Catalog("spurious-local-minima" if verdict.proved else "undecided", width, lstar, builder.epsilon,
                           total, counts, spurious, undecided, doc, verdict.proved, seconds, faces, P,
                           failures=verdict.failures)
        verdict_name = "undecided" if undecided else "benign"
    else:
        verdict_name = "spurious-local-minima" if spurious else "undecided" if undecided else "benign"
    doc = builder.certificate(records, verdict_name)
    result = checker.check(doc)
    seconds = time.perf_counter() - builder.start
    if not result.proved:
        return Catalog("undecided", width, lstar, builder.epsilon, total, counts, spurious, undecided, doc, False,
                       seconds, faces, P, failures=result.failures)
    catalog = Catalog(verdict_name, width, lstar, builder.epsilon, total, counts, spurious, undecided, doc, True,
                      seconds, faces, P)
    _probabilities(builder, catalog, result.facts["favourability"])
    return catalog


def _probabilities(builder: _Builder, catalog: Catalog, by_count: dict) -> None:
    """The Gaussian probability that a random initialization's region has each spurious minimum's face in its closure,
    and the favourability: by count of product faces (the checker's facts: certified, exact or an interval), and by
    Gaussian weight, spurious closure probability against the probability that the region contains an epsilon-global
    minimum (computed from the chambers' measures, not certified; the undecided faces widen it to an interval)."""
    measures = builder.arrangement.measures()
    q = [float(measures.values[i // 2]) / 2 for i in range(len(builder.patterns))]
    m = builder.m

    def probability(accepts) -> float:
        total = 0.0
        for combo in combinations_with_replacement(range(len(q)), m):
            if accepts(combo):
                counts = [combo.count(i) for i in set(combo)]
                total += factorial(m) / prod(factorial(k) for k in counts) * prod(q[i] for i in combo)
        return total

    def closure(product):
        faces = [(builder.faces.labels[builder.signed[t][0]], builder.signed[t][1]) for t in product]
        return lambda combo: any(all(below(tau, builder.chamber_labels[combo[k] // 2]) and
                                     builder.patterns[combo[k]].s == s for (tau, s), k in zip(faces, perm))
                                 for perm in permutations(range(m)))

    for entry in catalog.spurious:
        entry["probability"] = probability(closure(entry.pop("product")))
    products = builder.undecided_products
    spurious_weight = sum(e["probability"] for e in catalog.spurious)
    undecided_weight = sum(probability(closure(p)) for p in products) if len(products) <= _WEIGHED_UNDECIDED else None
    global_weight = probability(lambda combo: builder.table[frozenset(combo)].upper <= builder.threshold)
    if undecided_weight is None:
        by_weight = (spurious_weight / (spurious_weight + global_weight) if spurious_weight else 0.0, 1.0)
    else:
        by_weight = tuple(s / (s + global_weight) if s else 0.0
                          for s in (spurious_weight, spurious_weight + undecided_weight))
    low, high = (Fraction(x) for x in by_count["by_count"])
    catalog.favourability = {
        "spurious_by_count": float(low) if low == high else (float(low), float(high)),
        "spurious_by_count_exact": by_count["by_count"],
        "count_certified": True,
        "spurious_entries": by_count["spurious"],
        "global_product_faces": by_count["global"],
        "global_within": by_count["global_within"],
        "open_product_faces": by_count["open"],
        "undecided_product_faces": by_count["undecided"],
        "spurious_by_weight": by_weight[0] if by_weight[0] == by_weight[1] else by_weight,
        "weight_computed": "from the chambers' Gaussian measures (" + measures.method + "), not certified",
        "probability_spurious_closure": spurious_weight,
        "probability_global_region": global_weight,
    }
