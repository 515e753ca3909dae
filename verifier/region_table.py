"""The region table of the catalog (docs/mathematics.md §8): every set S of at most m signed chambers with a certified
bracket B_S <= C(S) <= U_S.

C(S) is the convex program of the region S (docs §3). Each entry holds a point (neurons in the closed cones of S, loss
U_S >= C(S)) and a dual residual r with multipliers mu >= 0 on every pattern of S (B_S = its dual value <= C(S)), so
L*_m = min_S C(S) lies in [min_S B_S, min_S U_S], and the residual r* of any point of value C(S) lies in the
duality-gap ball ||r* - r0||^2 <= 2n (U_S - B_S) around the point's residual r0.

The table is filled level by level (|S| = 1, 2, ...). S inherits the entry of T = S minus one pattern p when T's dual
residual is also feasible on p (then B_T <= C(S) <= C(T) <= U_T); the other sets are solved as tasks
(`parallel.Tasks`). Entries are certified at float precision first (`polish.FLOAT_DIGITS`, gaps ~1e-13) and again
at full digits only where a decision can turn on them (`RegionTable.refine`): a wider bracket is as valid, only less
decisive. With a checkpoint, every solve of `certify` is journaled (`journal.Journal`), and a run resumes from it (the
inherited entries, most of a large table, are derived again from the solves rather than stored).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, partial
from itertools import combinations, count
from math import comb
from typing import Callable, Iterable, Iterator

import numpy as np

from .certificates import rationals
from .checker.face import enclosure_radius2
from .instance import Instance
from .journal import Journal
from .landscape import Context
from .network import loss_and_gradient
from .optimum import Bounds
from .parallel import Shared, Tasks
from .convex import Solution
from .polish import Residual, dual_certificate, feasible_multipliers, network_value, norm_bound, polish, residual

__all__ = ["Budget", "Entry", "RegionTable", "Progress", "solve_sets"]

Progress = Callable[[str, int, int], None]
_CHUNK = 32                 # at most this many region-table solves per task
_IN_PROCESS_BELOW = 64      # a level with fewer solves than this is solved in process (not worth shipping)


class Budget:
    """Seconds allowed from the moment it is made (None: no limit)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def exhausted(self) -> bool:
        return self.seconds is not None and self.elapsed() > self.seconds


@dataclass
class Entry:
    """A region-table entry: the signed-chamber ids of S, its bracket B_S <= C(S) <= U_S, the residual r0 of its point
    and the certificate JSON. `source` numbers the solve its dual residual comes from (an inherited entry keeps its
    subset's), so what is learnt about a residual (feasibility on a pattern, a ball's exclusions) serves every entry
    that carries it."""

    ids: tuple[int, ...]
    lower: Fraction
    upper: Fraction
    json: dict
    r0: list[Fraction]
    source: int
    inherited: bool = False
    precise: bool = True        # certified at the table's full digits (else at its float digits)
    shared_r: list[Fraction] | None = field(default=None, repr=False)

    @property
    def rho2(self) -> Fraction:
        """The squared radius 2n (U_S - B_S) of the duality-gap ball around r0."""
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


class RegionTable:
    """Every set S of at most m = `context.width` of the signed chambers `context.patterns` (id 2c for chamber c with
    sign +, 2c + 1 with sign -), each with an `Entry`; keyed by the frozenset of ids.

    `digits`: full precision; `tolerance`: entries with B_S <= min U + 2 tolerance are certified at full digits by
    `certify` (L*_m and rule (a) turn on them); `progress` hears of the "regions" stage; `journal` (may have no path)
    keeps what `certify` records and gives it back on a resumed run."""

    def __init__(self, context: Context, tasks: Tasks, budget: Budget, journal: Journal, *, digits: int,
                 tolerance: Fraction, progress: Progress):
        self.context = context
        self.instance: Instance = context.instance
        self.m = context.width
        self.patterns = context.patterns
        self.chamber_labels = context.arrangement.patterns()
        self.tasks, self.budget, self.journal = tasks, budget, journal
        self.digits, self.tolerance = digits, tolerance
        self.progress = progress
        self._entries: dict[frozenset, Entry] = {}
        self._sources = count()
        self._feasible: dict[tuple[int, int], list[str] | None] = {}   # (residual's source, pattern) -> its mu
        self._residuals: dict[int, Residual] = {}                      # residual's source -> its forms
        # what `solve_sets` tasks use: this context in process, one built per worker process elsewhere
        self._shared = Shared(("catalog", self.instance, self.m, context.digits),
                              partial(Context, self.instance, self.m, context.digits), local=context)

    # --- reading ---------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """The number of sets of at most m signed chambers."""
        return sum(comb(len(self.patterns), k) for k in range(1, min(self.m, len(self.patterns)) + 1))

    def __getitem__(self, key: frozenset) -> Entry:
        return self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self, at_most: int | None = None) -> list[Entry]:
        """The entries (of the sets of at most `at_most` patterns)."""
        return [e for e in self._entries.values() if at_most is None or len(e.ids) <= at_most]

    def bracket(self, at_most: int | None = None) -> tuple[Fraction, Fraction]:
        """L*_k in [min B_S, min U_S] over the sets of at most k = `at_most` patterns (default: m)."""
        entries = self.entries(at_most)
        return min(e.lower for e in entries), min(e.upper for e in entries)

    def best(self) -> Entry:
        """The entry with the least U_S, the first by (|S|, ids) among ties (not by arrival order: the table is the
        same wherever its solves ran)."""
        return min(self._entries.values(), key=lambda e: (e.upper, len(e.ids), e.ids))

    def width_upper(self) -> list[dict]:
        """The best entry's point as the `width_upper` witness of a certificate: a width-m network of value U."""
        entry = self.best().json
        return [{"pattern": self.chamber_labels[entry["patterns"][item["k"]][0]],
                 "sign": entry["patterns"][item["k"]][1], "u": item["u"], "norm_bound": item["norm_bound"]}
                for item in entry["primal"]]

    def width_bounds(self, certified: bool = True) -> Bounds:
        """L*_m from the table, handed to the existence certificates (their width-m network is the table's best)."""
        low, high = self.bracket()
        return Bounds("L*_m", low, high, {"witnesses": {"primal": self.width_upper()}}, [], [], certified)

    def regions_json(self) -> list[dict]:
        """The `regions` witness: every entry's JSON, by (|S|, ids)."""
        return [e.json for e in sorted(self._entries.values(), key=lambda e: (len(e.ids), e.ids))]

    def covered_json(self) -> dict:
        """The `regions` witness in compact form (`checker.covered_regions`): one source per distinct point and
        residual, listing every pattern its entries prove the residual feasible on (with those multipliers), and
        for every set S, in the canonical order (sizes 1..m, `combinations` of the ids), the source of its entry."""
        sources: dict[str, int] = {}
        members: list[dict] = []          # per source: pattern id -> multipliers, and the point's items by id
        cover = []
        for k in range(1, min(self.m, len(self.patterns)) + 1):
            for ids in combinations(range(len(self.patterns)), k):
                entry = self._entries[frozenset(ids)]
                point = [(entry.ids[item["k"]], item["u"], item["norm_bound"]) for item in entry.json["primal"]]
                key = repr((sorted(point), entry.json["r"]))
                j = sources.setdefault(key, len(sources))
                if j == len(members):
                    members.append({"r": entry.json["r"], "mu": {}, "point": sorted(point)})
                for i, mu in zip(entry.ids, entry.json["mu"]):
                    members[j]["mu"].setdefault(i, mu)
                cover.append(j)
        out = []
        for source in members:
            ids = sorted(source["mu"])
            position = {i: q for q, i in enumerate(ids)}
            out.append({"patterns": [[i // 2, self.patterns[i].s] for i in ids],
                        "primal": [{"k": position[i], "u": u, "norm_bound": bound} for i, u, bound in source["point"]],
                        "r": source["r"], "mu": [source["mu"][i] for i in ids]})
        return {"sources": out, "cover": cover}

    # --- certifying ------------------------------------------------------------------------------------
    def certify(self, float_digits: int) -> bool:
        """Every set with a certified bracket, level by level: first at `float_digits` (`polish.FLOAT_DIGITS`: gaps
        ~1e-13; or at `digits` when the whole table will be refined anyway), then again at `digits` for the
        entries a decision on L*_m or rule (a) can turn on (B_S <= min U + 2 tolerance). False when the budget ran
        out. Resumes from the journal; journals what it records."""
        levels = [list(combinations(range(len(self.patterns)), k))
                  for k in range(1, min(self.m, len(self.patterns)) + 1)]
        total = sum(map(len, levels))
        self._resume()
        with self.journal:
            done = 0
            for level in levels:
                for _ in self._fill(level, float_digits, self.journal):
                    done += 1
                    self.progress("regions", min(done, total - 1), total)     # complete after the refinement
                if self.budget.exhausted():
                    return False
            high = min(e.upper for e in self._entries.values())
            near = [e.ids for e in self._entries.values() if e.lower <= high + 2 * self.tolerance]
            if not self._refine(near, self.journal):
                return False
            self.progress("regions", total, total)
        return True

    def refine(self, sets: Iterable[tuple[int, ...]]) -> bool:
        """Certify these sets again at full digits (those not yet certified at full digits), by increasing size
        (so that inheritance from a refined subset applies); False when the budget ran out. Not journaled."""
        return self._refine(sets, None)

    def _refine(self, sets: Iterable[tuple[int, ...]], journal: Journal | None) -> bool:
        todo = sorted({ids for ids in sets if not self._entries[frozenset(ids)].precise},
                      key=lambda ids: (len(ids), ids))
        for k in sorted({len(ids) for ids in todo}):
            for _ in self._fill([ids for ids in todo if len(ids) == k], self.digits, journal):
                pass
            if self.budget.exhausted():
                return False
        return True

    def _fill(self, level: list[tuple[int, ...]], digits: int, journal: Journal | None) -> Iterator[tuple[int, ...]]:
        """Certify the sets of one size at `digits` (those not in the table at that precision yet): inheritance
        from the level below tried here, the rest solved as tasks (`parallel.Tasks`, in chunks); yields once per
        set as its entry is recorded (and journaled)."""
        precise = digits >= self.digits
        todo = []
        for ids in level:
            entry = self._entries.get(frozenset(ids))
            if entry is not None and (entry.precise or not precise):
                yield ids
                continue
            entry = self._inherit(ids, precise)
            if entry is None:
                todo.append(ids)
            else:       # not journaled: a resumed run inherits it again from the journaled solves, in seconds
                self._record(entry, None)
                yield ids
        if not todo:
            return
        size = max(1, min(_CHUNK, len(todo) // (4 * self.tasks.size) or 1))
        chunks = [todo[i: i + size] for i in range(0, len(todo), size)]
        parallel = len(todo) >= _IN_PROCESS_BELOW
        for _, results in self.tasks.map(solve_sets, chunks, self._shared, digits, parallel=parallel):
            for ids, lower, upper, entry, r0 in results:
                self._record(Entry(tuple(ids), lower, upper, entry, r0, next(self._sources), precise=precise),
                             journal)
                yield ids
            if self.budget.exhausted():
                return

    def _record(self, entry: Entry, journal: Journal | None) -> None:
        self._entries[frozenset(entry.ids)] = entry
        if journal is not None:
            journal.append({"ids": entry.ids, "lower": str(entry.lower), "upper": str(entry.upper),
                            "precise": entry.precise, "entry": entry.json})

    def _resume(self) -> None:
        for record in self.journal.records():
            ids, entry = tuple(record["ids"]), record["entry"]
            neurons = [(entry["patterns"][item["k"]][1], [Fraction(x) for x in item["u"]]) for item in entry["primal"]]
            self._entries[frozenset(ids)] = Entry(ids, Fraction(record["lower"]), Fraction(record["upper"]), entry,
                                                  residual(self.instance, neurons), next(self._sources),
                                                  precise=record.get("precise", True))

    def _inherit(self, ids: tuple[int, ...], precise: bool) -> Entry | None:
        """C(S) = C(T) for T = S minus one pattern p when T's dual residual is also feasible on p (then
        B_T <= C(S) <= C(T) <= U_T): T's point and residual, with p's multipliers, certify S without a solve.
        Only subsets certified at full digits are tried when `precise`."""
        if len(ids) < 2:
            return None
        S = frozenset(ids)
        subsets = [(T, p) for T, p in ((self._entries.get(S - {p}), p) for p in ids)
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
            return Entry(ids, T.lower, T.upper, entry, T.r0, T.source, True, T.precise, shared_r=T.r)
        return None


def solve_sets(sets: list[tuple[int, ...]], shared: Shared, digits: int) -> list[tuple]:
    """(ids, B_S, U_S, entry JSON, r0) for each set of signed-chamber ids: C(S) solved in floats, the point polished to
    about 10^-digits, its dual certificate. A pure function of its arguments (a task: it runs wherever
    `parallel.Tasks` sends it; the arrangement and the compiled programs, which depend on the instance only,
    are built once per process)."""
    context = shared.value()
    instance = context.instance
    out = []
    for ids in sets:
        S = [context.patterns[i] for i in ids]
        neurons = _polished(instance, context.programs.solve(S), digits)
        dual = dual_certificate(instance, neurons, S, digits + 10)
        position = {p: k for k, p in enumerate(S)}
        entry = {"patterns": [[i // 2, p.s] for i, p in zip(ids, S)],
                 "primal": [{"k": position[nr.pattern], "u": rationals(nr.u),
                             "norm_bound": str(norm_bound(nr.u, digits))} for nr in neurons],
                 "r": rationals(dual.r), "mu": [rationals(dual.multipliers[p]) for p in S]}
        r0 = residual(instance, neurons)
        out.append((ids, dual.value, network_value(instance, neurons, digits, r0), entry, r0))
    return out


_LOST = 1e-9        # a polished point this much (relatively) above the float optimum lost the solve's point
_TINY = 1e-3        # neurons this small against the largest are dropped before polishing again


def _polished(instance: Instance, solution: Solution, digits: int) -> list:
    """`polish`'s rational point of C(S), or, when it lost the float optimum (Newton on a face identified from a
    near-zero neuron can leave a neuron's cone, which `polish` then drops), the point polished from the solution
    without its tiny neurons, whichever has the lower loss. Either is a feasible point of C(S): only the bracket's
    width depends on the choice."""
    neurons = polish(instance, solution, digits)
    if not len(solution.U) or _float_loss(instance, neurons) <= solution.value * (1 + _LOST) + _LOST:
        return neurons
    sizes = np.linalg.norm(solution.U, axis=1)
    keep = [k for k, size in enumerate(sizes) if size > _TINY * sizes.max()]
    trimmed = Solution([solution.patterns[k] for k in keep], solution.U[keep], solution.value, solution.solver)
    again = polish(instance, trimmed, digits)
    return min((neurons, again), key=lambda point: _float_loss(instance, point))


def _float_loss(instance: Instance, neurons: list) -> float:
    """L in floats (`network.loss_and_gradient`) of the balanced network of these neurons: a_j = s_j sqrt||u_j||,
    w_j = u_j / sqrt||u_j||, so its penalty is lambda sum ||u_j||, the objective of C(S)."""
    U = np.array([[float(x) for x in nr.u] for nr in neurons if any(nr.u)], dtype=float).reshape(-1, instance.d)
    roots = np.sqrt(np.linalg.norm(U, axis=1))
    a = np.array([nr.pattern.s for nr in neurons if any(nr.u)], dtype=float) * roots
    return loss_and_gradient(instance, a, U / roots[:, None])[0]
