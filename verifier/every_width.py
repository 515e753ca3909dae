"""The landscape at every width (docs/mathematics.md §12; proofs/lemma_every_width.py).

Local minima are classified by their residual r: a neuron's docs §5 condition depends only on (r, its sign, its
direction), every local-minimum residual has a realisation in at most n distinct signed faces (merge and reduce),
and splitting a neuron keeps a local minimum. So one catalog over sets T of at most n distinct signed faces decides
every width: the local-minimum values at width m are { v_T : |T| <= m }, the spurious ones those above L*_m, and
the sets are constant from the largest smallest width on.

1. The region table of the width-n catalog (`region_table.RegionTable`): every set S of at most n signed chambers
   with a certified bracket B_S <= C(S) <= U_S; L*_m for m <= n is the minimum over the sets of at most m patterns,
   and L*_m = L*_n = C* for m >= n (Theorem 12.2).
2. For every entry S, the signed faces below its chambers (same sign) that the exact tests (c)/(d) of the catalog do
   not exclude on S's duality-gap ball ||r* - r0||^2 <= 2n (U_S - B_S): at a local minimum in relint T, r* is the
   optimal residual of every region around T (Lemma 8.1), so T can hold one only if each of its faces passes on
   every region around it (Lemma 12.1: a face admits the one direction A_F r / lambda, at ||A_F r|| = lambda). The
   candidates T are generated from these lists (no set of faces is walked that some region around it excludes).
3. Each candidate: (b) two regions around it disagree; (a') a region around it has U_S <= lower C* + tolerance (any
   local minimum in relint T is then within the tolerance of C*: never spurious at any width); or (e) a face
   certificate of a local minimum in relint T (accepted by the checker), whose value bracket is a realisation
   at width |T|; otherwise undecided, with the reason.
4. Realisations whose value brackets overlap form one class (their residuals may differ; the values are what the
   per-width sets are about); its from_width is the smallest |T|, where it is strict (a minimal realisation has
   distinct faces and independent contributions: proofs/lemma_every_width.py).

5. The whole result is one `every-width` certificate (`checker.every_width`): the tables, one record per candidate
   (the checker regenerates the candidates from the table with the same exact test, `face_excluded`) and the face
   certificates; `certified` is the checker's acceptance, and a rejected certificate leaves the verdict `undecided`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from . import checker
from .catalog import Progress, Settings, certificate_tables, checkpoint_header
from .certificates import document
from .checker.catalog import EVERY_WIDTH_RULES, Rule, product_name
from .checker.claim_types import ClaimType
from .checker.covered_regions import MAX_SETS
from .checker.every_width import Ball, face_excluded, candidates as generate, region_count
from .display import Estimate
from .errors import CertificateTooLarge
from .instance import Instance
from .journal import Journal
from .landscape import Context, certify_face_minimum
from .lattice import rank
from .numbers import format_rational
from .polish import FLOAT_DIGITS
from .parallel import Tasks
from .product_faces import ProductFaces, Reach
from .progress import Stage
from .region_table import Budget, RegionTable
from .settle import (Disagreeing, FaceContexts, LocalMinimum, MinimumWitness, NoStationaryPoint, Record, Undecided,
                     WithinEpsilon, certified_minimum)

__all__ = ["Realisation", "ResidualClass", "WidthRow", "EveryWidth", "build_every_width", "VERDICTS", "STAGES",
           "LEGEND"]

VERDICTS = ("benign-at-every-width", "spurious-local-minima", "undecided")
# The stages `build_every_width` reports, in order, with a rough cost per item in milliseconds (a region set as in
# `catalog.STAGES`; a candidate set of faces mostly a look-up, sometimes a face certificate; the check re-reads every
# region and regenerates the candidates). The candidates are announced as 0 and counted once they are generated.
STAGES = (Stage("regions", "set", 10.0), Stage("face sets", "set", 5.0), Stage("checking", "set", 1.0))
# what each rule of an `every-width` record means (`checker.every_width`), for legends
LEGEND = {Rule.WITHIN_EPSILON: "eps-global at every width", Rule.DISAGREEING: "disagreeing regions",
          Rule.NO_STATIONARY_POINT: "no stationary point", Rule.MINIMUM: "local minimum",
          Rule.UNDECIDED: "undecided"}


Bracket = tuple[Fraction, Fraction]


def _text(bracket: Bracket) -> list[str]:
    return [format_rational(x) for x in bracket]


@dataclass(frozen=True)
class Realisation:
    """A set T of distinct signed faces (sign vector, sign) whose relative interior holds a local minimum of width |T|
    with value in `value` (a face-local-minimum certificate the checker accepted: `document`)."""

    faces: tuple[tuple[str, int], ...]
    value: Bracket
    document: dict = field(repr=False, compare=False)

    @property
    def width(self) -> int:
        return len(self.faces)

    @property
    def name(self) -> str:
        return product_name(self.faces)


@dataclass(frozen=True)
class ResidualClass:
    """Realisations with overlapping value brackets: a local-minimum value v in `value`, present at every width
    >= `from_width` (and at no smaller width); `global_at_from_width` is True (v <= L*_k + tolerance), False (v > L*_k,
    spurious already there) or None (not separated); strict at from_width as the checker decided it (a minimal
    realisation is strict: proofs/lemma_every_width.py), non-strict at every larger width (split)."""

    value: Bracket
    from_width: int
    global_at_from_width: bool | None
    realisations: tuple[Realisation, ...]
    strict_at_from_width: str = "not decided"       # the checker's decision (checker.strictness)

    def to_dict(self) -> dict:
        return {"value": _text(self.value), "value_float": [float(x) for x in self.value],
                "from_width": self.from_width, "global_at_from_width": self.global_at_from_width,
                "strict_at_from_width": self.strict_at_from_width, "non_strict_above": True,
                "faces": [r.name for r in self.realisations]}


@dataclass(frozen=True)
class WidthRow:
    """Width m: the bracket of L*_m, the spurious values (classes present at m whose value is above L*_m) and the
    open ones (classes not separated from L*_m, or undecided face sets that fit in m)."""

    width: int
    lstar: Bracket
    spurious: tuple[Bracket, ...]
    open: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"width": self.width, "L*_m": _text(self.lstar), "L*_m_float": [float(x) for x in self.lstar],
                "spurious": [_text(v) for v in self.spurious], "spurious_float": [float(v[0]) for v in self.spurious],
                "open": list(self.open)}


@dataclass
class EveryWidth:
    """The result: verdict (one of VERDICTS), the classes, one row per width m = 1 .. stable_from (every larger width
    is as the last row), the undecided face sets with reasons, counts by rule, and `statement`."""

    verdict: str
    bound: int
    classes: list[ResidualClass]
    by_width: list[WidthRow]
    stable_from: int | None
    undecided: list[dict]
    counts: dict[str, int]
    epsilon: Fraction
    seconds: float
    certified: bool = False
    failures: list[str] = field(default_factory=list)
    document: dict | None = field(default=None, repr=False)

    @property
    def statement(self) -> str | None:
        """'for every m >= m0 the spurious values are exactly ...' or 'benign at every width >= m0' (None if open)."""
        if self.undecided or self.stable_from is None or not self.by_width:
            return None
        last = self.by_width[-1]
        if last.open:
            return None
        if not last.spurious:
            return (f"benign at every width >= {self.stable_from}: every local minimum has loss <= L*_m + "
                    f"{format_rational(self.epsilon)}")
        values = ", ".join(format_rational(v[0]) if v[0] == v[1] else Estimate.of(v).rounded(".12g")
                           for v in last.spurious)
        caveat = f" (every other local minimum has loss <= L*_m + {float(self.epsilon):.3g})" if self.epsilon else ""
        return f"for every m >= {self.stable_from} the spurious values are exactly {{{values}}}{caveat}"

    def __repr__(self) -> str:
        return (f"EveryWidth(verdict={self.verdict!r}, classes={len(self.classes)}, stable_from={self.stable_from}, "
                f"undecided={len(self.undecided)})")

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "certified": self.certified, "complete": not self.undecided,
                "bound": self.bound,
                "classes": [c.to_dict() for c in self.classes], "by_width": [r.to_dict() for r in self.by_width],
                "stable_from": self.stable_from, "statement": self.statement, "undecided": self.undecided,
                "settled": self.counts, "epsilon": format_rational(self.epsilon), "seconds": round(self.seconds, 2),
                "failures": self.failures}


class _Walk:
    """The candidate sets T of distinct signed faces, generated and settled on the width-n region table."""

    def __init__(self, table: RegionTable, faces: ProductFaces, tolerance: Fraction):
        self.table, self.faces, self.tolerance = table, faces, tolerance
        self.K = table.m
        self.into = faces.into(len(table.patterns))      # signed-chamber id -> the faces below it
        self.face_contexts = FaceContexts(table.instance, table.digits, table.width_bounds(certified=False))
        self.epsilon = Fraction(0)                       # the epsilon the (a') decisions used
        self.counts = {rule.value: 0 for rule in EVERY_WIDTH_RULES}
        self._passes: dict[tuple[int, int], bool] = {}   # (residual's source, face) -> passes
        self._rows: dict = {}
        self._balls: dict[int, Ball] = {}

    def passes(self, key: frozenset, t: int) -> bool:
        """Signed face t is not excluded on the ball of region `key` (`checker.every_width.face_excluded`, the test
        the checker repeats). The ball is shared by the entries inherited from one solve
        (`region_table.Entry.source`)."""
        return self._passes_on(self.table[key], t)

    def _passes_on(self, entry, t: int) -> bool:
        if (entry.source, t) not in self._passes:
            f, s = self.faces.signed[t]
            ball = self._balls.setdefault(entry.source, Ball(tuple(entry.r0), entry.rho2))
            self._passes[(entry.source, t)] = not face_excluded(
                self.table.instance, self.faces.faces.labels[f], s,
                [self.faces.chamber_labels[c] for c in self.faces.around[f]], ball, self._rows)
        return self._passes[(entry.source, t)]

    def candidates(self) -> list[tuple[int, ...]]:
        """Every set T of at most K distinct signed faces generated from a region S around it on whose ball every face
        of T passes (`checker.every_width.candidates`): the others hold no local minimum (Lemma 8.1)."""
        patterns = self.table.patterns
        into = {(p // 2, patterns[p].s): faces for p, faces in self.into.items()}
        by_source = {}
        groups = []
        for entry in sorted(self.table.entries(), key=lambda e: (len(e.ids), e.ids)):
            by_source.setdefault(entry.source, entry)
            groups.append((tuple(sorted((p // 2, patterns[p].s) for p in entry.ids)), entry.source))
        found = generate(groups, into, lambda source, t: self._passes_on(by_source[source], t), self.K)
        return sorted(found, key=lambda T: (len(T), T))

    def screen(self, T, lower_cstar: Fraction) -> Record | None:
        """The record of T when an exclusion or rule (a') settles it on the table as it is: (c) or (b) (no local
        minimum in relint T) or (a') (any is within the tolerance of C*)."""
        reach = self.faces.reach(T)
        for key, choice in reach.items():
            for j, t in enumerate(T):
                if not self.passes(key, t):
                    return NoStationaryPoint(choice, j)
        regions = [(self.table[key], choice) for key, choice in reach.items()]
        best = min(regions, key=lambda rc: (rc[0].upper, rc[0].ids))
        top = max(regions, key=lambda rc: (rc[0].lower, rc[0].ids))
        if top[0].lower > best[0].upper:
            return Disagreeing(top[1], best[1])
        if best[0].upper <= lower_cstar + self.tolerance:
            return WithinEpsilon(best[1])
        return None

    def refine_around(self, candidates, lower_cstar: Fraction) -> bool | None:
        """Certify at full digits the float-precision regions around the candidates that `screen` does not settle
        (before anything is recorded, so every record is checked against the final table): True if some entry was
        refined (the candidates may change), False if none needed it, None if the budget ran out."""
        pending = {key for T in candidates if self.screen(T, lower_cstar) is None
                   for key in self.faces.reach(T) if not self.table[key].precise}
        if not pending:
            return False
        return True if self.table.refine([tuple(sorted(key)) for key in pending]) else None

    def settle(self, T, lower_cstar: Fraction) -> Record | Realisation:
        """`screen`'s record of T, or the Realisation a face certificate proves, or an undecided record; counted."""
        outcome = self.screen(T, lower_cstar)
        if isinstance(outcome, WithinEpsilon):
            self.epsilon = max(self.epsilon, self.table[self.faces.key(T, outcome.choice)].upper - lower_cstar)
        elif outcome is None:
            outcome = self._existence(T, self.faces.reach(T))
        self.counts[(Rule.MINIMUM if isinstance(outcome, Realisation) else outcome.rule).value] += 1
        return outcome

    def _existence(self, T, reach: Reach) -> Undecided | Realisation:
        faces = self.faces.labelled(T)
        X = self.table.instance.X
        zero_rows = [[i for i, x in enumerate(X) if tau[i] == "0" and any(x)] for tau, _ in faces]
        if any(rank([X[i] for i in Z]) != len(Z) for Z in zero_rows):
            return Undecided("a face has linearly dependent zero rows: no face certificate applies")
        choice = next((choice for key, choice in reach.items() if len(key) == len(T)), None)
        if choice is None:
            return Undecided("no region around the face puts its faces in distinct signed chambers (no face "
                             "certificate)")
        alive = {j: self.table.patterns[2 * c + (s < 0)] for j, (c, (_, s)) in enumerate(zip(choice, faces))}
        kinks = {j: Z for j, Z in enumerate(zero_rows) if Z}
        result = certified_minimum(lambda: certify_face_minimum(self.face_contexts(len(T)), alive, kinks),
                                   "face certificate")
        if isinstance(result, Undecided):
            return result
        lower, upper = result.details["value"]
        return Realisation(tuple(faces), (Fraction(lower), Fraction(upper)), result.document)


def _classes(realisations: list[Realisation], lstar: dict[int, Bracket], tolerance: Fraction) -> list[ResidualClass]:
    """Group realisations whose value brackets overlap (sorted by value, chained)."""
    groups: list[list[Realisation]] = []
    for r in sorted(realisations, key=lambda r: (r.value[0], r.width)):
        if groups and r.value[0] <= max(x.value[1] for x in groups[-1]):
            groups[-1].append(r)
        else:
            groups.append([r])
    out = []
    for group in groups:
        value = (min(r.value[0] for r in group), max(r.value[1] for r in group))
        k = min(r.width for r in group)
        low, high = lstar[k]
        is_global = True if value[1] <= low + tolerance else False if value[0] > high else None
        out.append(ResidualClass(value, k, is_global, tuple(sorted(group, key=lambda r: (r.width, r.faces)))))
    return out


def _rows(classes: list[ResidualClass], undecided: list[dict], lstar: dict[int, Bracket], K: int,
          tolerance: Fraction) -> list[WidthRow]:
    rows = []
    for m in range(1, K + 1):
        low, high = lstar[m]
        present = [c for c in classes if c.from_width <= m]
        spurious = tuple(c.value for c in present if c.value[0] > high)
        open_ = [f"value {_text(c.value)} not separated from L*_{m}" for c in present
                 if not c.value[0] > high and not c.value[1] <= low + tolerance]
        open_ += [f"undecided {u['faces']}" for u in undecided if u["width"] <= m]
        rows.append(WidthRow(m, (low, high), spurious, tuple(open_)))
    return rows


def _stable_from(rows: list[WidthRow]) -> int:
    """The smallest m0 from which every row equals the last (the last row holds for every m >= K: Theorem 12.2)."""
    m0 = len(rows)
    while m0 > 1 and (rows[m0 - 2].spurious, rows[m0 - 2].open, rows[m0 - 2].lstar) == \
            (rows[-1].spurious, rows[-1].open, rows[-1].lstar):
        m0 -= 1
    return m0


def build_every_width(instance: Instance, settings: Settings = Settings(), progress: Progress | None = None,
                      checkpoint: str | Path | None = None, tasks: Tasks | None = None) -> EveryWidth:
    """Every local-minimum class and the spurious values at every width m (module docstring), as the checker proved
    them from the `every-width` certificate (`document`). A budget that runs out leaves the verdict `undecided` with
    what was settled (nothing is said about face sets not reached) and no certificate.

    `progress(stage, done, total)` hears of the `STAGES` as `catalog.build_catalog`'s progress does: each announced
    with done = 0 first (the face sets with total 0: they are counted once generated), then as they run."""
    budget = Budget(settings.budget)
    progress = progress or (lambda stage, done, total: None)
    K = instance.n
    context = Context(instance, K, settings.digits)
    faces = ProductFaces(instance, context.arrangement.patterns(), K)
    journal = Journal(checkpoint, checkpoint_header(instance, K, settings))
    table = RegionTable(context, tasks or Tasks(1), budget, journal, digits=settings.digits,
                        tolerance=settings.tolerance, progress=progress)

    def unfinished(reason: str, rows=(), classes=(), undecided=(), counts=None) -> EveryWidth:
        return EveryWidth("undecided", K, list(classes), list(rows), None,
                          list(undecided) + [{"faces": "not reached", "width": 1, "reason": reason}], counts or {},
                          Fraction(0), budget.elapsed())

    sets = region_count(len(faces.chamber_labels), K)
    if sets > MAX_SETS:
        return unfinished(f"the region table of width n = {K} has {sets} sets, more than the checker reads "
                          f"({MAX_SETS}): too large for the every-width catalog")
    for stage, items in zip(STAGES, (table.size, 0, table.size)):
        progress(stage.name, 0, items)          # announce every stage's total before any work
    if not table.certify(min(settings.digits, FLOAT_DIGITS)):    # full digits only where a decision turns on it
        return unfinished("budget exhausted while certifying the region table")
    lstar = _width_brackets(table, K)
    if lstar is None:
        return unfinished("budget exhausted while refining L*_m")
    walk = _Walk(table, faces, settings.tolerance)
    if budget.exhausted():
        return unfinished("budget exhausted before the regions were scanned", _rows([], [], lstar, K, Fraction(0)))
    try:
        while True:                             # candidates on the final table (refining changes the balls)
            candidates = walk.candidates()
            refined = walk.refine_around(candidates, lstar[K][0])
            if refined is None:
                return unfinished("budget exhausted while refining the regions around the candidate faces",
                                  _rows([], [], lstar, K, Fraction(0)))
            if not refined:
                break
    except CertificateTooLarge as exc:         # the checker would refuse such a certificate: say so, decide nothing
        return unfinished(f"too many candidate sets of faces to certify: {exc}", _rows([], [], lstar, K, Fraction(0)))
    lstar = {m: table.bracket(m) for m in range(1, K + 1)}   # the final table's (refined entries are tighter)
    realisations: list[Realisation] = []
    undecided: list[dict] = []
    settled: list[list] = []
    minima: list[MinimumWitness] = []
    for done, T in enumerate(candidates):
        progress("face sets", done, len(candidates))
        if budget.exhausted():
            classes = _classes(realisations, lstar, settings.tolerance)
            return unfinished("budget exhausted before every candidate set of faces was examined",
                              _rows(classes, undecided, lstar, K, settings.tolerance), classes, undecided, walk.counts)
        record = walk.settle(T, lstar[K][0])
        if isinstance(record, Realisation):
            realisations.append(record)
            minima.append(MinimumWitness.of(record.document, record.value))
            record = LocalMinimum(len(minima) - 1)
        elif isinstance(record, Undecided):
            undecided.append({"faces": faces.name(T), "width": len(T), "reason": record.reason})
        settled.append([list(T), record.to_json()])
    progress("face sets", len(candidates), len(candidates))
    classes = _classes(realisations, lstar, settings.tolerance)
    rows = _rows(classes, undecided, lstar, K, settings.tolerance)
    epsilon = walk.epsilon
    for row in rows:                        # the epsilon the within-tolerance decisions used
        for c in classes:
            if c.from_width <= row.width and c.value[0] <= row.lstar[1]:
                epsilon = max(epsilon, c.value[1] - row.lstar[0]) if c.value[1] <= row.lstar[0] + settings.tolerance \
                    else epsilon
    stable = _stable_from(rows)
    rows = rows[:stable]
    if any(row.spurious for row in rows):
        verdict = "spurious-local-minima"
    elif any(row.open for row in rows):
        verdict = "undecided"
    else:
        verdict = "benign-at-every-width"
    claim = {"type": ClaimType.EVERY_WIDTH, "bound": K, "epsilon": format_rational(epsilon), "verdict": verdict}
    doc = document(instance, claim, dict(certificate_tables(table, faces, compact=True), settled=settled,
                                         minima=[mn.to_json() for mn in minima]))
    progress("checking", 0, table.size)
    result = checker.check(doc)
    progress("checking", table.size, table.size)
    if result.proved:                           # strictness as the checker decided it (same classes, same order)
        classes = [replace(c, strict_at_from_width=fact["strict_at_from_width"])
                   for c, fact in zip(classes, result.facts["classes"])]
    out = EveryWidth(verdict, K, classes, rows, stable, undecided, walk.counts, epsilon, budget.elapsed(),
                     certified=result.proved, failures=result.failures, document=doc)
    if not result.proved:
        out.verdict = "undecided"
    return out


def _width_brackets(table: RegionTable, K: int) -> dict[int, Bracket] | None:
    """L*_m in [min B_S, min U_S] over the sets of at most m patterns, for m = 1 .. K, the entries near each minimum
    certified at full digits (None if the budget ran out)."""
    for m in range(1, K + 1):
        entries = table.entries(m)
        high = min(e.upper for e in entries)
        if not table.refine([e.ids for e in entries if e.lower <= high + 2 * table.tolerance]):
            return None
    return {m: table.bracket(m) for m in range(1, K + 1)}
