"""The landscape at every width (docs/mathematics.md, "The landscape at every width"; proofs/lemma_every_width.py).

Local minima are classified by their residual r: a neuron's docs §5 condition depends only on (r, its sign, its
direction), every local-minimum residual has a realisation in at most n distinct signed faces (merge and reduce),
and splitting a neuron keeps a local minimum. So one catalog over sets T of at most n distinct signed faces decides
every width: the local-minimum values at width m are { v_T : |T| <= m }, the spurious ones those above L*_m, and
the sets are constant from the largest smallest width on.

1. The region table of the width-n catalog (`catalog._Builder`): every set S of at most n signed chambers with a
   certified bracket; L*_m for m <= n is the minimum over the sets of at most m patterns, and L*_m = L*_n = C* for
   m >= n.
2. For every entry S, the signed faces below its chambers (same sign) that the exact tests (c)/(d) of the catalog do
   not exclude on S's duality-gap ball: at a local minimum in relint T, r* is the optimal residual of every region
   around T (Lemma 8.1), so T can hold one only if each of its faces passes on every region around it. The
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

import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import product
from pathlib import Path

from . import checker
from .catalog import Progress, Settings, _Builder
from .certificates import chamber_witnesses, document
from .checker.catalog import product_name
from .checker.every_width import MAX_REGIONS, Ball, face_excluded, candidates as generate, region_count
from .errors import CertificateTooLarge, SolverFailure
from .instance import Instance
from .landscape import certify_face_minimum
from .lattice import rank
from .numbers import format_rational
from .polish import FLOAT_DIGITS
from .parallel import Tasks

__all__ = ["Realisation", "ResidualClass", "WidthRow", "EveryWidth", "build_every_width", "VERDICTS"]

VERDICTS = ("benign-at-every-width", "spurious-local-minima", "undecided")


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
        values = ", ".join(format_rational(v[0]) if v[0] == v[1] else f"[{float(v[0]):.12g}, {float(v[1]):.12g}]"
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


class _EveryWidth:
    """The width-n catalog's region table, read at every width."""

    def __init__(self, builder: _Builder):
        self.b = builder
        self.K = builder.m
        b = builder
        self.into: dict[int, list[int]] = {p: [] for p in range(len(b.patterns))}   # pattern -> faces choosing it
        for t, (f, s) in enumerate(b.signed):
            for c in b.around[f]:
                self.into[2 * c + (s < 0)].append(t)
        self._excluded: dict[tuple[int, int], bool] = {}     # (residual's source, face) -> passes
        self._rows: dict = {}
        self._balls: dict[int, Ball] = {}
        self.counts = {rule: 0 for rule in ("a", "b", "c", "e", "u")}

    def passes(self, key: frozenset, t: int) -> bool:
        """Signed face t is not excluded on the ball of region `key` (`checker.every_width.face_excluded`, the test
        the checker repeats). The ball is shared by the entries inherited from one solve (`catalog._Entry.source`)."""
        entry = self.b.table[key]
        if (entry.source, t) not in self._excluded:
            f, s = self.b.signed[t]
            ball = self._balls.setdefault(entry.source, Ball(tuple(entry.r0), entry.rho2))
            self._excluded[(entry.source, t)] = not face_excluded(
                self.b.instance, self.b.faces.labels[f], s, [self.b.chamber_labels[c] for c in self.b.around[f]],
                ball, self._rows)
        return self._excluded[(entry.source, t)]

    def candidates(self) -> list[tuple[int, ...]]:
        """Every set T of at most K distinct signed faces generated from a region S around it on whose ball every face
        of T passes (`checker.every_width.candidates`): the others hold no local minimum (Lemma 8.1)."""
        b = self.b
        into = {(p // 2, b.patterns[p].s): faces for p, faces in self.into.items()}
        keys = {frozenset((p // 2, b.patterns[p].s) for p in key): key for key in b.table}
        found = generate(sorted(keys, key=lambda k: (len(k), sorted(k))), into,
                         lambda key, t: self.passes(keys[key], t), self.K, lambda key: b.table[keys[key]].source)
        return sorted(found, key=lambda T: (len(T), T))

    def reach(self, T) -> dict[frozenset, tuple[int, ...]]:
        """Every region around T: key -> the chamber chosen under each face."""
        b, out = self.b, {}
        for choice in product(*(b.around[b.signed[t][0]] for t in T)):
            out.setdefault(frozenset(2 * c + (b.signed[t][1] < 0) for c, t in zip(choice, T)), choice)
        return out

    def screen(self, T, lower_cstar: Fraction) -> list | None:
        """The record of T when an exclusion or rule (a') settles it on the table as it is: ["c", choice, j],
        ["b", choice1, choice2] (no local minimum in relint T) or ["a", choice] (any is within the tolerance of C*)."""
        b = self.b
        reach = self.reach(T)
        for key, choice in reach.items():
            for j, t in enumerate(T):
                if not self.passes(key, t):
                    return ["c", list(choice), j]
        regions = [(b.table[key], choice) for key, choice in reach.items()]
        best = min(regions, key=lambda rc: (rc[0].upper, rc[0].ids))
        top = max(regions, key=lambda rc: (rc[0].lower, rc[0].ids))
        if top[0].lower > best[0].upper:
            return ["b", list(top[1]), list(best[1])]
        if best[0].upper <= lower_cstar + b.settings.tolerance:
            return ["a", list(best[1])]
        return None

    def refine_around(self, candidates, lower_cstar: Fraction) -> bool | None:
        """Certify at full digits the float-precision regions around the candidates that `screen` does not settle
        (before anything is recorded, so every record is checked against the final table): True if some entry was
        refined (the candidates may change), False if none needed it, None if the budget ran out."""
        b = self.b
        pending = {key for T in candidates if self.screen(T, lower_cstar) is None
                   for key in self.reach(T) if not b.table[key].precise}
        if not pending:
            return False
        return True if b._refine([tuple(sorted(key)) for key in pending]) else None

    def settle(self, T, lower_cstar: Fraction) -> tuple[list, object]:
        """The record of T (`checker.every_width`): `screen`'s, or ["e"] with its Realisation, or ["u", reason]."""
        record = self.screen(T, lower_cstar)
        if record is not None:
            return record, (self.b.table[self._key(T, record[1])].upper if record[0] == "a" else None)
        return self._existence(T, self.reach(T))

    def _key(self, T, choice) -> frozenset:
        return frozenset(2 * c + (self.b.signed[t][1] < 0) for c, t in zip(choice, T))

    def _existence(self, T, reach) -> tuple[str, object]:
        b = self.b
        faces = [(b.faces.labels[b.signed[t][0]], b.signed[t][1]) for t in T]
        zero_rows = [[i for i, x in enumerate(b.instance.X) if tau[i] == "0" and any(x)] for tau, _ in faces]
        if any(rank([b.instance.X[i] for i in Z]) != len(Z) for Z in zero_rows):
            return ["u", "a face has linearly dependent zero rows: no face certificate applies"], None
        choice = next((choice for key, choice in reach.items() if len(key) == len(T)), None)
        if choice is None:
            return ["u", "no region around the face puts its faces in distinct signed chambers (no face "
                         "certificate)"], None
        alive = {j: b.patterns[2 * c + (s < 0)] for j, (c, (_, s)) in enumerate(zip(choice, faces))}
        kinks = {j: Z for j, Z in enumerate(zero_rows) if Z}
        try:
            result = certify_face_minimum(b._context(len(T)), alive, kinks)
        except SolverFailure as exc:
            return ["u", f"solver failure in the face certificate: {exc}"], None
        if not result.certified or result.verdict not in ("local-minimum", "spurious-local-minimum"):
            return ["u", f"no exclusion test applies and no face certificate: {result.reason}"], None
        lower, upper = result.details["value"]
        return ["e"], Realisation(tuple(faces), (Fraction(lower), Fraction(upper)), result.document)


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
    what was settled (nothing is said about face sets not reached) and no certificate."""
    start = time.perf_counter()
    K = instance.n
    builder = _Builder(instance, K, settings, progress, Path(checkpoint) if checkpoint else None, tasks)
    builder.float_digits = min(settings.digits, FLOAT_DIGITS)    # full digits only where a decision turns on it

    def unfinished(reason: str, rows=(), classes=(), undecided=(), counts=None) -> EveryWidth:
        return EveryWidth("undecided", K, list(classes), list(rows), None,
                          list(undecided) + [{"faces": "not reached", "width": 1, "reason": reason}], counts or {},
                          Fraction(0), time.perf_counter() - start)

    sets = region_count(len(builder.chamber_labels), K)
    if sets > MAX_REGIONS:
        return unfinished(f"the region table of width n = {K} has {sets} sets, more than the checker reads "
                          f"({MAX_REGIONS}): too large for the every-width catalog")
    if not builder.region_table():
        return unfinished("budget exhausted while certifying the region table")
    lstar = _width_brackets(builder, K)
    if lstar is None:
        return unfinished("budget exhausted while refining L*_m")
    builder.low, builder.high = lstar[K]
    builder.threshold = builder.low + settings.tolerance
    walk = _EveryWidth(builder)
    if builder.out_of_time():
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
    lstar = _brackets(builder, K)               # the final table's (refined entries are tighter; nothing refined here)
    realisations: list[Realisation] = []
    undecided: list[dict] = []
    settled: list[list] = []
    minima: list[dict] = []
    epsilon = Fraction(0)
    for done, T in enumerate(candidates):
        if progress:
            progress("face sets", done, len(candidates))
        if builder.out_of_time():
            classes = _classes(realisations, lstar, settings.tolerance)
            return unfinished("budget exhausted before every candidate set of faces was examined",
                              _rows(classes, undecided, lstar, K, settings.tolerance), classes, undecided, walk.counts)
        record, what = walk.settle(T, lstar[K][0])
        walk.counts[record[0]] += 1
        if record[0] == "e":
            realisations.append(what)
            doc = what.document
            minima.append({"type": doc["claim"]["type"],
                           "claim": {k: v for k, v in doc["claim"].items() if k not in ("type", "width")},
                           "witnesses": {k: v for k, v in doc["witnesses"].items()
                                         if k not in ("chambers", "width_upper")}})
            record = ["e", len(minima) - 1]
        elif record[0] == "a":
            epsilon = max(epsilon, what - lstar[K][0])
        elif record[0] == "u":
            undecided.append({"faces": builder._name(T), "width": len(T), "reason": record[1]})
        settled.append([list(T), record])
    if progress:
        progress("face sets", len(candidates), len(candidates))
    classes = _classes(realisations, lstar, settings.tolerance)
    rows = _rows(classes, undecided, lstar, K, settings.tolerance)
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
    claim = {"type": "every-width", "bound": K, "epsilon": format_rational(epsilon), "verdict": verdict}
    witnesses = {
        "chambers": chamber_witnesses(builder.arrangement),
        "faces": {"signs": builder.faces.labels, "points": [[str(x) for x in w] for w in builder.faces.witnesses]},
        "regions": [e.json for e in sorted(builder.table.values(), key=lambda e: (len(e.ids), e.ids))],
        "width_upper": builder._width_upper(builder.best()),
        "settled": settled,
        "minima": minima,
    }
    doc = document(instance, claim, witnesses)
    if progress:
        progress("checking", 0, 1)
    result = checker.check(doc)
    if progress:
        progress("checking", 1, 1)
    if result.proved:                           # strictness as the checker decided it (same classes, same order)
        classes = [replace(c, strict_at_from_width=fact["strict_at_from_width"])
                   for c, fact in zip(classes, result.facts["classes"])]
    out = EveryWidth(verdict, K, classes, rows, stable, undecided, walk.counts, epsilon,
                     time.perf_counter() - start, certified=result.proved, failures=result.failures, document=doc)
    if not result.proved:
        out.verdict = "undecided"
    return out


def _width_brackets(builder: _Builder, K: int) -> dict[int, Bracket] | None:
    """L*_m in [min B_S, min U_S] over the sets of at most m patterns, for m = 1 .. K, the entries near each minimum
    certified at full digits (None if the budget ran out)."""
    tolerance = builder.settings.tolerance
    for m in range(1, K + 1):
        entries = [e for e in builder.table.values() if len(e.ids) <= m]
        high = min(e.upper for e in entries)
        if not builder._refine([e.ids for e in entries if e.lower <= high + 2 * tolerance]):
            return None
    return _brackets(builder, K)


def _brackets(builder: _Builder, K: int) -> dict[int, Bracket]:
    """L*_m in [min B_S, min U_S] over the table's sets of at most m patterns, m = 1 .. K."""
    out = {}
    for m in range(1, K + 1):
        entries = [e for e in builder.table.values() if len(e.ids) <= m]
        out[m] = (min(e.lower for e in entries), min(e.upper for e in entries))
    return out
