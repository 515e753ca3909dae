"""The catalog of width-m local minima (docs §8): every product face settled, or a proof that there is no spurious one.

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
from functools import cached_property
from itertools import combinations, combinations_with_replacement, count, permutations
from math import comb, factorial, prod
from pathlib import Path
from typing import Callable

from . import checker
from .certificates import chamber_witnesses, document, rationals
from .checker.catalog import (below, excluded_by_multiplier, excluded_by_norm, excluded_by_sign, product_name,
                              sign_row, stationarity_rows)
from .checker.face import enclosure_radius2
from .checker.strictness import decide_strictness
from .convex import ConvexPrograms
from .errors import InputError, SolverFailure
from .faces import Faces, enumerate_faces
from .instance import Instance
from .landscape import Context, certify_face_minimum, certify_region_minimum
from .optimum import Bounds
from .parallel import Tasks, cached
from .polish import FLOAT_DIGITS, Residual, dual_certificate, feasible_multipliers, network_value, norm_bound, polish, residual
from .progress import Stage

__all__ = ["Settings", "Catalog", "build_catalog", "catalog_digest", "STAGES", "FAVOURABILITY_MEASURE"]

Progress = Callable[[str, int, int], None]
# The stages `build_catalog` reports, in order, with the estimated milliseconds per item (measured on issue 21's
# five points in R^3 at width 2: ~9 ms per region set, ~0.4 ms per screened or settled product face, ~0.5 ms per
# region set or product face checked), so that one bar can give an ETA for the whole job.
STAGES = (Stage("regions", "set", 10.0), Stage("screening", "face", 0.4), Stage("product faces", "face", 0.5),
          Stage("checking", "item", 0.5))
_WEIGHED_UNDECIDED = 50     # beyond this many undecided faces, their closure probabilities are not summed
_CHUNK = 32                 # at most this many region-table solves per task
_IN_PROCESS_BELOW = 64      # a level with fewer solves than this is solved in process (not worth shipping)
_FACES_PER_SET = 100        # above this many product faces per table entry, the whole table is refined, unscreened


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


_SOURCES = count()


@dataclass
class _Entry:
    """A region-table entry: the signed-chamber ids of S, its bracket, the residual r0 of its point and the JSON.
    `source` names the solve its dual residual comes from (an inherited entry keeps its subset's), so what is
    learnt about a residual (`_Builder._feasible`) serves every entry that carries it."""

    ids: tuple[int, ...]
    lower: Fraction
    upper: Fraction
    json: dict
    r0: list[Fraction]
    inherited: bool = False
    precise: bool = True        # certified at Settings.digits (else at polish.FLOAT_DIGITS)
    source: int = field(default_factory=lambda: next(_SOURCES))
    shared_r: list[Fraction] | None = field(default=None, repr=False)

    @property
    def rho2(self) -> Fraction:
        return enclosure_radius2(len(self.r0), self.upper, self.lower)

    @cached_property
    def order(self) -> tuple[float, tuple[int, ...]]:
        """Where subsets are tried first when inheriting: lowest upper bound (in floats), then by ids (not by
        source: sources are numbered in the order results arrive, which differs between runs on a cluster)."""
        return float(self.upper), self.ids

    @cached_property
    def r(self) -> list[Fraction]:
        """The dual residual of the entry (what supersets try to inherit)."""
        return self.shared_r if self.shared_r is not None else [Fraction(x) for x in self.json["r"]]


# what `Catalog.favourability["spurious_by_count"]` measures (the CLI and the docs name it so; a census's
# favourability measures something else: `census.FAVOURABILITY_MEASURE`)
FAVOURABILITY_MEASURE = "spurious share of local minima by count of product faces"


@dataclass
class Catalog:
    """The result: verdict (benign, spurious-local-minima or undecided), L*_m bracket, epsilon, the spurious
    entries and the undecided faces, counts by rule, the certificate and whether the checker accepted it.
    `favourability`: the spurious share of local minima by count of product faces (`spurious_by_count`, certified;
    every local minimum of the catalog counts, on a region's boundary too: `FAVOURABILITY_MEASURE`) and by Gaussian
    weight (`spurious_by_weight`, computed), not a census's share of initialization mass.

    `lstar` and `epsilon` are None unless the checker accepted a certificate of them (the budget ran out before the
    region table was complete, the checker rejected the catalog, or `--first` checked one minimum only).
    `complete`: the checker accepted the catalog and every product face is settled (none undecided or left
    unvisited); an incomplete `spurious-local-minima` catalog proves that its entries exist, not that they are all."""

    verdict: str
    width: int
    lstar: tuple[Fraction, Fraction] | None
    epsilon: Fraction | None
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
    complete: bool = False

    @property
    def open_faces(self) -> int:
        """Product faces not settled: listed as undecided, or never reached (budget, `first`)."""
        return self.product_faces - sum(count for rule, count in self.counts.items() if rule != "u")

    def __repr__(self) -> str:
        return (f"Catalog(verdict={self.verdict!r}, width={self.width}, certified={self.certified}, "
                f"complete={self.complete}, spurious={len(self.spurious)}, undecided={self.open_faces}, "
                f"product_faces={self.product_faces})")

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "width": self.width, "certified": self.certified,
                "complete": self.complete, "open_faces": self.open_faces,
                "L*_m": None if self.lstar is None else [str(x) for x in self.lstar],
                "L*_m_float": None if self.lstar is None else [float(x) for x in self.lstar],
                "epsilon": None if self.epsilon is None else str(self.epsilon),
                "product_faces": self.product_faces, "settled": self.counts,
                "spurious": self.spurious, "undecided": self.undecided, "faces": self.faces,
                "chambers": self.chambers, "favourability": self.favourability, "seconds": round(self.seconds, 2),
                "failures": self.failures}


class _Builder:
    def __init__(self, instance: Instance, width: int, settings: Settings, progress: Progress | None,
                 checkpoint: Path | None, tasks: Tasks | None = None):
        self.instance, self.m, self.settings = instance, width, settings
        self.progress = progress or (lambda stage, done, total: None)
        self.start = time.perf_counter()
        self.context = Context(instance, width, settings.digits)
        cached(("catalog", instance), lambda: self.context)     # what tasks run in process use (`_solve_sets`)
        self.tasks = tasks or Tasks(1)
        self.float_digits = min(settings.digits, FLOAT_DIGITS)
        self._handle = None
        self.arrangement = self.context.arrangement
        self.programs: ConvexPrograms = self.context.programs
        self.patterns = self.context.patterns          # id 2c (+) and 2c + 1 (-)
        self.chamber_labels = self.arrangement.patterns()
        self.faces: Faces = enumerate_faces(instance.X)
        self.signed = [(f, s) for f in self.faces.nonzero for s in (1, -1)]
        self.around = self.faces.chambers_around(self.chamber_labels)
        self.sets = sum(comb(len(self.patterns), k) for k in range(1, min(width, len(self.patterns)) + 1))
        self.screened = self.sets * _FACES_PER_SET >= comb(len(self.signed) + width - 1, width)
        if not self.screened:      # a small table under many faces: refined whole anyway (`settle`)
            self.float_digits = settings.digits
        self.checkpoint = checkpoint
        self.table: dict[frozenset, _Entry] = {}
        self.minima: list[dict] = []
        self._stationarity: dict = {}
        self._feasible: dict[tuple[int, int], list[str] | None] = {}   # (residual's source, pattern) -> its mu
        self._residuals: dict[int, Residual] = {}                      # residual's source -> its forms
        self._contexts: dict[int, Context] = {}
        self._attempts = settings.global_certificates     # existence certificates of epsilon-global minima left
        self.undecided_products: list[tuple[int, ...]] = []
        self._screened: dict[tuple[int, ...], list] = {}   # product face -> its (b)-(d) record in the screening walk
        self._refined: set[frozenset] = set()              # region keys refined after the screening walk

    def out_of_time(self) -> bool:
        budget = self.settings.budget
        return budget is not None and time.perf_counter() - self.start > budget

    # --- the region table ----------------------------------------------------------------------------
    def region_table(self) -> bool:
        """Every set S of at most m signed chambers with a certified bracket, level by level (|S| = 1, 2, ...):
        first at float precision (`polish.FLOAT_DIGITS`: gaps ~1e-13), then again at `Settings.digits` for the
        entries a decision on L*_m or rule (a) can turn on (B_S <= min U + 2 tolerance: the other entries are
        above the threshold either way). Entries around a product face that (a)-(d) do not settle at float precision
        are refined by `settle` before it decides anything. Wider brackets are as valid, only less decisive."""
        levels = [list(combinations(range(len(self.patterns)), k))
                  for k in range(1, min(self.m, len(self.patterns)) + 1)]
        total = sum(map(len, levels))
        digest = catalog_digest(self.instance, self.m, self.settings)
        self._resume(digest)
        handle = None
        if self.checkpoint:
            fresh = not self.checkpoint.exists()
            handle = self.checkpoint.open("a")
            if fresh:
                handle.write(json.dumps({"digest": digest}) + "\n")
        self._handle = handle
        try:
            done = 0
            for level in levels:
                for _ in self._fill(level, self.float_digits):
                    done += 1
                    self.progress("regions", min(done, total - 1), total)     # complete after the refinement
                if self.out_of_time():
                    return False
            high = min(e.upper for e in self.table.values())
            near = [e.ids for e in self.table.values() if e.lower <= high + 2 * self.settings.tolerance]
            if not self._refine(near):
                return False
            self.progress("regions", total, total)
        finally:
            self._handle = None
            if handle:
                handle.close()
        self.low = min(e.lower for e in self.table.values())       # L*_m = min over the table of C(S)
        self.high = min(e.upper for e in self.table.values())
        self.threshold = self.low + self.settings.tolerance
        self.epsilon = Fraction(0)
        return True

    def _refine(self, sets) -> bool:
        """Certify these sets again at full digits (those not yet certified at full digits), by increasing size
        (so that inheritance from a refined subset applies); False when the budget ran out."""
        todo = sorted({ids for ids in sets if not self.table[frozenset(ids)].precise}, key=lambda ids: (len(ids), ids))
        for k in sorted({len(ids) for ids in todo}):
            for _ in self._fill([ids for ids in todo if len(ids) == k], self.settings.digits):
                pass
            if self.out_of_time():
                return False
        return True

    def _fill(self, level: list[tuple[int, ...]], digits: int):
        """Certify the sets of one size at `digits` (those not in the table at that precision yet): inheritance
        from the level below tried here, the rest solved as tasks (`parallel.Tasks`, in chunks); yields once per
        set as its entry is recorded (and checkpointed)."""
        precise = digits >= self.settings.digits
        todo = []
        for ids in level:
            entry = self.table.get(frozenset(ids))
            if entry is not None and (entry.precise or not precise):
                yield ids
                continue
            entry = self._inherit(ids, precise)
            if entry is None:
                todo.append(ids)
            else:
                self._record(entry)
                yield ids
        if not todo:
            return
        size = max(1, min(_CHUNK, len(todo) // (4 * self.tasks.size) or 1))
        chunks = [todo[i: i + size] for i in range(0, len(todo), size)]
        parallel = len(todo) >= _IN_PROCESS_BELOW
        for _, results in self.tasks.map(_solve_sets, chunks, self.instance, self.m, digits, parallel=parallel):
            for ids, lower, upper, entry, r0 in results:
                self._record(_Entry(tuple(ids), lower, upper, entry, r0, precise=precise))
                yield ids
            if self.out_of_time():
                return

    def _record(self, entry: _Entry) -> None:
        self.table[frozenset(entry.ids)] = entry
        if self._handle:
            self._handle.write(json.dumps({"ids": entry.ids, "lower": str(entry.lower), "upper": str(entry.upper),
                                           "precise": entry.precise, "entry": entry.json}) + "\n")
            self._handle.flush()

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
                                                self._r0(entry), precise=record.get("precise", True))

    def _r0(self, entry: dict) -> list[Fraction]:
        neurons = [(entry["patterns"][item["k"]][1], [Fraction(x) for x in item["u"]]) for item in entry["primal"]]
        return residual(self.instance, neurons)

    def _inherit(self, ids: tuple[int, ...], precise: bool) -> _Entry | None:
        """C(S) = C(T) for T = S minus one pattern p when T's dual residual is also feasible on p (then
        B_T <= C(S) <= C(T) <= U_T): T's point and residual, with p's multipliers, certify S without a solve.
        Only subsets certified at full digits are tried when `precise`."""
        if len(ids) < 2:
            return None
        S = frozenset(ids)
        subsets = [(T, p) for T, p in ((self.table.get(S - {p}), p) for p in ids)
                   if T is not None and (T.precise or not precise)]
        for T, p in sorted(subsets, key=lambda item: item[0].order):
            key = (T.source, p)
            if key not in self._feasible:
                r = self._residuals.get(T.source)
                if r is None:
                    r = self._residuals[T.source] = Residual.of(T.r)
                mu = feasible_multipliers(self.instance, r, self.patterns[p])
                self._feasible[key] = None if mu is None else rationals(mu)
            mu = self._feasible[key]
            if mu is None:
                continue
            old = {i: k for k, i in enumerate(T.ids)}
            position = {i: k for k, i in enumerate(ids)}
            entry = {"patterns": [[i // 2, self.patterns[i].s] for i in ids],
                     "primal": [dict(item, k=position[T.ids[item["k"]]]) for item in T.json["primal"]],
                     "r": T.json["r"],
                     "mu": [T.json["mu"][old[i]] if i in old else mu for i in ids]}
            return _Entry(ids, T.lower, T.upper, entry, T.r0, True, T.precise, source=T.source, shared_r=T.r)
        return None

    # --- settling the product faces ------------------------------------------------------------------
    def settle(self) -> tuple[list[list], list[dict], list[dict]]:
        """Every product face settled. First a screening walk finds the faces that (a)-(d) do not settle on the
        table as it is, and their regions still at float precision are refined to full digits (the whole table is,
        without screening, when it is small against the number of product faces); then the settling walk runs on
        that final table (so every record is checked against the brackets it was decided on)."""
        total = comb(len(self.signed) + self.m - 1, self.m)
        pending: set[frozenset] = set()
        screened = [0]

        def screen(product, reach) -> bool:
            screened[0] += 1
            if screened[0] % 500 == 0:
                self.progress("screening", screened[0], total)
            if not self.out_of_time() and self._unsettled(product, reach):
                pending.update(reach)
            return True

        if not self.screened:   # a small table under many faces: refining all of it costs less than screening
            self._refine([e.ids for e in self.table.values()])
        else:
            self._walk(screen)
            before = {key: self.table[key] for key in pending}
            self._refine([tuple(sorted(key)) for key in pending])
            self._refined = {key for key, entry in before.items() if self.table[key] is not entry}
        records: list[list] = []
        spurious: list[dict] = []
        undecided: list[dict] = []

        def settle(product, reach) -> bool:
            if len(records) % 500 == 0:
                self.progress("product faces", len(records), total)
            record = self._settle(product, reach)
            records.append(record)
            if record[0] == "e":
                spurious.append(self._describe(product, record))
                if self.settings.first:
                    return False
            elif record[0] == "u":
                undecided.append({"face": self._name(product), "reason": record[1]})
                self.undecided_products.append(product)
            return True

        self._walk(settle)
        self.progress("product faces", total, total)
        return records, spurious, undecided

    def _walk(self, visit: Callable[[tuple[int, ...], dict], bool]) -> None:
        """visit(product, reach) for every product face in order, with the regions around it (key: the set S, value:
        the chamber chosen around each face), until visit returns False."""
        stack: list[int] = []

        def walk(start: int, reach: dict[frozenset, tuple[int, ...]]) -> bool:
            if len(stack) == self.m:
                return visit(tuple(stack), reach)
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

    def _unsettled(self, product, reach) -> bool:
        """Whether the face needs its float-precision regions refined: some are, (a) does not settle it (or the
        favourability asks about it anyway) and (b)-(d) fail on the regions as they are."""
        if all(self.table[key].precise for key in reach):
            return False
        regions = self._regions(reach)
        if min(e.upper for e, _ in regions) <= self.threshold and not self.settings.global_certificates:
            return False
        record = self._screened[product] = self._excluded(product, regions)
        return record is None

    def _exclusion(self, product, reach, regions) -> list | None:
        """`_excluded`, or the screening walk's record when none of the regions around F was refined since (the
        same entries give the same record)."""
        record = self._screened.pop(product, None)
        if record is not None and not any(key in self._refined for key in reach):
            return record
        return self._excluded(product, regions)

    def _name(self, product: tuple[int, ...]) -> str:
        return product_name([(self.faces.labels[self.signed[t][0]], self.signed[t][1]) for t in product])

    def _settle(self, product: tuple[int, ...], reach: dict[frozenset, tuple[int, ...]]) -> list:
        if self.out_of_time():
            return ["u", "budget exhausted before this face was examined"]
        regions = self._regions(reach)
        best = min(regions, key=lambda rc: rc[0].upper)
        if best[0].upper <= self.threshold:           # (a): entries this close to L*_m are all at full digits
            self.epsilon = max(self.epsilon, best[0].upper - self.low)
            if self.settings.global_certificates:            # favourability: does relint F hold a local minimum?
                return self._exclusion(product, reach, regions) or self._existence(product, regions, "global") \
                    or ["a", best[1]]
            return ["a", best[1]]
        return self._exclusion(product, reach, regions) or self._existence(product, regions, "spurious")   # (e)

    def _regions(self, reach: dict[frozenset, tuple[int, ...]]) -> list[tuple[_Entry, list[int]]]:
        return [(self.table[key], list(choice)) for key, choice in reach.items()]

    def _excluded(self, product, regions) -> list | None:
        """(b), then (c) and (d) on the three tightest enclosures around F: relint F holds no local minimum."""
        best = min(regions, key=lambda rc: rc[0].upper)
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
        best = self.best()
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

    def best(self) -> _Entry:
        """The entry with the least U_S, the first by (|S|, ids) among ties (not by arrival order: the table is the
        same wherever its solves ran)."""
        return min(self.table.values(), key=lambda e: (e.upper, len(e.ids), e.ids))

    def _width_upper(self, best: _Entry) -> list[dict]:
        entry = best.json
        return [{"pattern": self.chamber_labels[entry["patterns"][item["k"]][0]],
                 "sign": entry["patterns"][item["k"]][1], "u": item["u"], "norm_bound": item["norm_bound"]}
                for item in entry["primal"]]

    def width_bounds(self) -> Bounds:
        """L*_m from the table, handed to the existence certificates (their width-m network is the table's best)."""
        best = self.best()
        return Bounds("L*_m", self.low, self.high, {"witnesses": {"primal": self._width_upper(best)}}, [], [], True)


def _solve_sets(sets: list[tuple[int, ...]], instance: Instance, width: int, digits: int) -> list[tuple]:
    """(ids, B_S, U_S, entry JSON, r0) for each set of signed-chamber ids: C(S) solved in floats, the point polished to
    about 10^-digits, its dual certificate. A pure function of its arguments (a task: it runs wherever
    `parallel.Tasks` sends it; the arrangement and the compiled programs, which depend on the instance only,
    are built once per process)."""
    context = cached(("catalog", instance), lambda: Context(instance, width, digits))
    out = []
    for ids in sets:
        S = [context.patterns[i] for i in ids]
        neurons = polish(instance, context.programs.solve(S), digits)
        dual = dual_certificate(instance, neurons, S, digits + 10)
        position = {p: k for k, p in enumerate(S)}
        entry = {"patterns": [[i // 2, p.s] for i, p in zip(ids, S)],
                 "primal": [{"k": position[nr.pattern], "u": rationals(nr.u),
                             "norm_bound": str(norm_bound(nr.u, digits))} for nr in neurons],
                 "r": rationals(dual.r), "mu": [rationals(dual.multipliers[p]) for p in S]}
        r0 = residual(instance, neurons)
        out.append((ids, dual.value, network_value(instance, neurons, digits, r0), entry, r0))
    return out


def build_catalog(instance: Instance, width: int, settings: Settings = Settings(), progress: Progress | None = None,
                  checkpoint: str | Path | None = None, tasks: Tasks | None = None) -> Catalog:
    """Settle every product face of width m (docs §8) and have the checker accept the catalog certificate.

    `progress(stage, done, total)` hears of the `STAGES` in order: first each stage with done = 0 and its total
    (an announcement, before any work; screening's total is 0 when it is skipped), then each stage as it runs.

    The verdict is `benign`, `spurious-local-minima` or `undecided` only as the checker proved it; if the checker
    rejects the certificate (a bug) or the budget runs out before the region table is complete, the verdict is
    `undecided` and `failures` says why."""
    builder = _Builder(instance, width, settings, progress, Path(checkpoint) if checkpoint else None, tasks)
    P, faces = len(builder.chamber_labels), len(builder.faces)
    total = comb(len(builder.signed) + width - 1, width)
    checked = builder.sets + total
    for stage, items in zip(STAGES, (builder.sets, total if builder.screened else 0, total, checked)):
        builder.progress(stage.name, 0, items)          # announce every stage's total before any work
    if not builder.region_table():      # nothing certified: no L*_m, no epsilon
        return Catalog("undecided", width, None, None, total, {}, [],
                       [{"face": "all", "reason": "budget exhausted while certifying the region table"}], None, False,
                       time.perf_counter() - builder.start, faces, P)
    builder.context._width_bounds = builder.width_bounds()
    records, spurious, undecided = builder.settle()
    counts = {rule: sum(1 for r in records if r[0] == rule) for rule in "abcdegu"}
    seconds = time.perf_counter() - builder.start
    lstar = (builder.low, builder.high)
    if settings.first:
        if spurious:       # the checker sees this minimum's certificate only: the table's L*_m is not certified
            minimum = builder.minima[0]
            doc = document(instance, dict(minimum["claim"], type=minimum["type"], width=width),
                           dict(minimum["witnesses"], chambers=chamber_witnesses(builder.arrangement),
                                width_upper=builder._width_upper(builder.best())))
            builder.progress("checking", 0, checked)
            verdict = checker.check(doc)
            builder.progress("checking", checked, checked)
            return Catalog("spurious-local-minima" if verdict.proved else "undecided", width, None, None,
                           total, counts, spurious, undecided, doc, verdict.proved, seconds, faces, P,
                           failures=verdict.failures)
        verdict_name = "undecided" if undecided else "benign"
    else:
        verdict_name = "spurious-local-minima" if spurious else "undecided" if undecided else "benign"
    doc = builder.certificate(records, verdict_name)
    builder.progress("checking", 0, checked)
    result = checker.check(doc)
    builder.progress("checking", checked, checked)
    seconds = time.perf_counter() - builder.start
    if not result.proved:
        return Catalog("undecided", width, None, None, total, counts, spurious, undecided, doc, False,
                       seconds, faces, P, failures=result.failures)
    catalog = Catalog(verdict_name, width, lstar, builder.epsilon, total, counts, spurious, undecided, doc, True,
                      seconds, faces, P, complete=result.facts["complete"] and len(records) == total)
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
