"""Exact spurious-region curves: p_spur(m), the chance that a random width-m initialization starts in a region whose
closure holds a spurious local minimum, and the favourability p_spur / (p_global + p_spur), for every width m at once
(docs/mathematics.md, "Spurious regions at every width"; proofs/lemma_spurious_regions.py).

A width-m initialization is m independent draws of a signed chamber (the samplers of `curves`); its region R is the
multiset of the draws. The closure of R holds a local minimum at residual r with every neuron non-zero iff the neurons
can be placed, each in a signed face below its own draw (same sign), so that the set U of faces used is a
*realisation* at r (every face admissible at r, y - r a strictly positive combination of their contributions). Every
realisation is a union of minimal ones (independent contributions, at most n faces: the every-width catalog lists them,
grouped by value into residual classes), and a union of realisations at one residual is one. So, for one class C:

- *certain* event (lower bound): some listed realisation W of C receives every neuron, each face of W at least one
  (a surjection, decided by Hall's condition): the local minimum of relint W, split over the neurons, lies in cl R;
- *possible* event (upper bound): some union of listed realisations of C receives every neuron the same way (the true
  union at the class's residual is one of them). A complete catalog lists every set of at most n faces that holds a
  local minimum of the class, so a union of at most n faces it does not list is skipped. The two agree when C has one
  realisation, the usual case.

All local minima in cl R have the loss C(S(R)) (the catalog's Lemma 8.1), so the events of classes with disjoint
value brackets are disjoint and their probabilities add. p_spur(m) is the probability that cl R holds a local minimum
of loss above L*_m + epsilon (epsilon the every-width catalog's: every other local minimum has loss <= L*_m + epsilon);
it sums the certain events of the classes proved above L*_m + epsilon for its lower end and the possible events of
the classes not proved within it for its upper end. The probability of an event about the multiset is a walk over capped draw counts (exact integers for the
uniform sampler, outward-rounded fixed point for the Gaussian one: the probability is a polynomial with non-negative
coefficients in the draw probabilities, so their interval ends bound it).

p_global(m) is p_opt(m) of the certified curve from the smallest optimal support m* on (C(S) <= C* + epsilon), at the
widths where that certificate's bounds separate at the every-width epsilon (every upper C(T_i) <= lower L*_m + epsilon,
every lower C(M_j) > upper L*_m + epsilon: then C(S) <= L*_m + epsilon iff S contains a T_i); below m*
it is the probability that cl R holds a local minimum of loss <= L*_m + epsilon, the same sum over the classes within
epsilon of L*_m (given when L*_m > C* + epsilon, so that no such local minimum hides among the every-width catalog's
epsilon-global sets).
Nothing here decides anything new: the classes and L*_m are the every-width certificate's, p_opt the optimal-regions
certificate's; this module only counts initializations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Callable

from .arrangement import Arrangement, enumerate_chambers
from .convex import all_signed_patterns
from .curves import Curve, curve as exact_curve, parse_widths
from .errors import InputError
from .every_width import EveryWidth, ResidualClass, build_every_width
from .instance import Instance
from .numbers import FIXED_BITS, MAX_DIGITS, fixed_shift, format_rational, to_fixed
from .samplers import SAMPLERS

__all__ = ["FavourabilityPoint", "Favourability", "favourability", "spurious_widths", "class_events", "FAVOURABILITY_MEASURE",
           "MAX_SPURIOUS_WIDTH"]

# what `Favourability` measures (beside `census.FAVOURABILITY_MEASURE` and `catalog.FAVOURABILITY_MEASURE`)
FAVOURABILITY_MEASURE = ("spurious share of initialization mass among regions whose closure holds a local minimum "
                         "(on a boundary too), p_spur / (p_global + p_spur)")

MAX_SPURIOUS_WIDTH = 4096      # one walk step per width; exact values past it cost seconds per width (gcds)
_MAX_STATES = 50_000           # capped count vectors per class; above it the class gets the trivial bracket
_MAX_FAMILY = 10               # realisations per class whose unions are enumerated; above it a coarser upper event
_FLOAT_SLACK = 1e-15           # added to the measures' stated error: a float measure is not an exact number

Bracket = tuple[Fraction, Fraction]


@dataclass(frozen=True)
class FavourabilityPoint:
    """Width m: p_spur, p_global (None where it is not determined) and the favourability p_spur / (p_global + p_spur)
    (None where undetermined or 0/0), each a (lower, upper) bracket of Fractions, a point when both ends agree."""

    width: int
    p_spur: Bracket
    p_global: Bracket | None
    favourability: Bracket | None

    @property
    def exact(self) -> bool:
        return all(b is not None and b[0] == b[1] for b in (self.p_spur, self.p_global, self.favourability))

    def to_dict(self) -> dict:
        return {"width": self.width, "p_spur": _text(self.p_spur), "p_spur_decimal": _decimal(self.p_spur),
                "p_global": _text(self.p_global), "p_global_decimal": _decimal(self.p_global),
                "favourability": _text(self.favourability), "favourability_decimal": _decimal(self.favourability)}


def _text(bracket: Bracket | None):
    """"p/q" for a point, [low, high] for a bracket, None for an unknown; a part too long to print is None."""
    if bracket is None:
        return None
    texts = [format_rational(x) if max(abs(x.numerator), x.denominator).bit_length() <= 3.3 * MAX_DIGITS else None
             for x in bracket]
    return texts[0] if bracket[0] == bracket[1] else texts


def _decimal(bracket: Bracket | None) -> float | list[float] | None:
    if bracket is None:
        return None
    return float(bracket[0]) if bracket[0] == bracket[1] else [float(bracket[0]), float(bracket[1])]


@dataclass
class Favourability:
    """p_spur, p_global and the favourability at the requested widths under `sampler`, beside the curve p_opt(m)
    (`curve`) and the every-width result they are computed from (`every_width`); `inconclusive` with `reason` when
    either is not certified (then no point is given)."""

    sampler: str
    points: list[FavourabilityPoint]
    curve: Curve
    every_width: EveryWidth
    measure_method: str = "exact"
    measure_error: float = 0.0
    seconds: float = 0.0
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def certified(self) -> bool:
        return not self.reason

    @property
    def outcome(self) -> str:
        return "certified" if self.certified else "inconclusive"

    def to_dict(self) -> dict:
        if not self.certified:
            return {"outcome": "inconclusive", "reason": self.reason, "sampler": self.sampler}
        return {"outcome": "certified", "sampler": self.sampler, "measure": FAVOURABILITY_MEASURE,
                "measure_method": self.measure_method, "measure_error": self.measure_error,
                "every_width_epsilon": format_rational(self.every_width.epsilon),
                "classes": [{"value": [format_rational(x) for x in c.value], "from_width": c.from_width,
                             "faces": [r.name for r in c.realisations]} for c in self.every_width.classes],
                "notes": self.notes, "spurious_curve": [pt.to_dict() for pt in self.points],
                "seconds": round(self.seconds, 3)}


# --- the events of one class -------------------------------------------------------------------------------------

def _below(face: str, chamber: str) -> bool:
    """The face's closure-free sign vector agrees with the chamber's wherever it is not 0: the face lies in the
    chamber's closure."""
    return all(t == "0" or t == c for t, c in zip(face, chamber))


def _matches(faces: list[frozenset[int]], counts: dict[int, int]) -> bool:
    """Hall's condition: distinct neurons for distinct faces, a face only from a neuron whose chamber is above it
    (faces as the sets of chambers above them, counts of neurons per chamber); augmenting paths."""
    owner: dict[tuple[int, int], int] = {}

    def place(f: int, seen: set) -> bool:
        for c in faces[f]:
            for k in range(counts.get(c, 0)):
                slot = (c, k)
                if slot in seen:
                    continue
                seen.add(slot)
                if slot not in owner or place(owner[slot], seen):
                    owner[slot] = f
                    return True
        return False

    return all(place(f, set()) for f in range(len(faces)))


@dataclass(frozen=True)
class _ClassEvents:
    """The chambers that matter to one class (`chambers`, signed chamber indices), the cap on each one's count, the
    class's faces (`faces[t]`: the chambers above face t) and listed realisations (tuples of face indices), and the
    predicates of the certain and the possible event on a capped count vector. `complete_up_to` = k > 0 says that every
    set of at most k faces holding a local minimum of the class is listed (a complete every-width catalog, k = n): a
    union of at most k faces that is not listed is then no realisation, and the possible event skips it."""

    chambers: tuple[int, ...]
    caps: tuple[int, ...]
    faces: tuple[frozenset[int], ...]
    realisations: tuple[tuple[int, ...], ...]
    complete_up_to: int = 0

    def _holds(self, faces, counts: dict[int, int]) -> bool:
        sets = [self.faces[t] for t in faces]
        above = set().union(*sets)
        return all(c in above for c in counts) and _matches(sets, counts)

    def certain(self, counts: dict[int, int]) -> bool:
        return any(self._holds(W, counts) for W in self.realisations)

    def possible(self, counts: dict[int, int]) -> bool:
        if len(self.realisations) > _MAX_FAMILY:     # coarser: every neuron above some face, some W matched
            everything = set().union(*self.faces)
            return all(c in everything for c in counts) and any(self._holds(W, counts) for W in self.realisations)
        listed = {frozenset(W) for W in self.realisations}
        for k in range(1, len(self.realisations) + 1):
            for family in combinations(self.realisations, k):
                union = frozenset(t for W in family for t in W)
                if len(union) <= self.complete_up_to and union not in listed:
                    continue
                if self._holds(sorted(union), counts):
                    return True
        return False


def class_events(cls: ResidualClass, chambers: list[str], complete_up_to: int = 0) -> _ClassEvents:
    """The events of `cls` over the signed chambers: `chambers[i]` is the sign vector of signed chamber i, whose sign
    is +1 for even i and -1 for odd i (the indexing of `samplers`); `complete_up_to` as in `_ClassEvents`."""
    names = list(dict.fromkeys(face for r in cls.realisations for face in r.faces))
    faces = tuple(frozenset(i for i, label in enumerate(chambers)
                            if (1 if i % 2 == 0 else -1) == s and _below(tau, label)) for tau, s in names)
    if not all(faces):
        raise ValueError(f"a face of the class at {cls.value} lies below no chamber")
    relevant = sorted(set().union(*faces))
    # a chamber serves at most as many distinct faces as lie below it: more neurons there change no matching
    caps = tuple(sum(c in above for above in faces) for c in relevant)
    return _ClassEvents(tuple(relevant), caps, faces,
                        tuple(tuple(names.index(f) for f in r.faces) for r in cls.realisations), complete_up_to)


def _walk(events: _ClassEvents, weights: list[int], widths: int, shift: int, up: bool) \
        -> tuple[list[int], list[int]] | None:
    """Sum over the draw sequences of each width 1..widths of the product of their weights, restricted to the certain
    and to the possible event (two lists); draws outside the class's chambers end the walk. `shift` > 0: fixed point,
    each step divided by 2^shift rounded down (up when `up`). None when there are too many count vectors."""
    size = 1
    for cap in events.caps:
        size *= cap + 1
    if size > _MAX_STATES:
        return None
    position = {c: k for k, c in enumerate(events.chambers)}
    verdicts: dict[tuple[int, ...], tuple[bool, bool]] = {}
    states = {tuple(0 for _ in events.chambers): 1 << shift if shift else 1}
    certain, possible = [], []
    for _ in range(widths):
        new: dict[tuple[int, ...], int] = {}
        for state, value in states.items():
            for c in events.chambers:
                k = position[c]
                moved = state if state[k] == events.caps[k] else state[:k] + (state[k] + 1,) + state[k + 1:]
                new[moved] = new.get(moved, 0) + value * weights[c]
        if shift:
            new = {s: fixed_shift(v, up, shift) for s, v in new.items()}
        states = {s: v for s, v in new.items() if v}
        low = high = 0
        for state, value in states.items():
            if state not in verdicts:
                counts = {c: state[position[c]] for c in events.chambers if state[position[c]]}
                verdicts[state] = (events.certain(counts), events.possible(counts))
            sure, maybe = verdicts[state]
            low += value if sure else 0
            high += value if maybe else 0
        certain.append(low)
        possible.append(high)
    return certain, possible


# --- the draw probabilities --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Draws:
    """One draw's probabilities as integers: exact (`scale` = 2P, value = count / scale^m) or fixed point (lower and
    upper weights over 2^FIXED_BITS)."""

    exact: bool
    scale: int
    low: list[int]
    high: list[int]
    method: str
    error: float


def _draws(sampler: str, arrangement: Arrangement) -> _Draws:
    count = 2 * len(arrangement)
    if sampler == "uniform":
        return _Draws(True, count, [1] * count, [1] * count, "exact", 0.0)
    probabilities = SAMPLERS[sampler].probabilities(arrangement)
    q = probabilities.q
    if probabilities.error == 0 and max(q) == min(q):     # equal measures (rank <= 1, orthants): exactly 1/(2P)
        return _Draws(True, count, [1] * count, [1] * count, probabilities.method, 0.0)
    one, slack = 1 << FIXED_BITS, Fraction(probabilities.error) + Fraction(_FLOAT_SLACK)
    low = [max(0, to_fixed(Fraction(x) - slack, False)) for x in q]
    high = [min(one, to_fixed(Fraction(x) + slack, True)) for x in q]
    return _Draws(False, 0, low, high, probabilities.method, probabilities.error)


def _class_brackets(events: _ClassEvents, draws: _Draws, widths: int) -> list[tuple[Bracket, Bracket]]:
    """Per width 1..widths: the (lower, upper) bracket of the certain event and of the possible event."""
    if draws.exact:
        walked = _walk(events, draws.low, widths, 0, False)
        if walked is not None:
            out, denominator = [], 1
            for low, high in zip(*walked):
                denominator *= draws.scale
                out.append(((Fraction(low, denominator),) * 2, (Fraction(high, denominator),) * 2))
            return out
    else:
        lower = _walk(events, draws.low, widths, FIXED_BITS, False)
        upper = _walk(events, draws.high, widths, FIXED_BITS, True)
        if lower is not None and upper is not None:
            one = 1 << FIXED_BITS
            return [((Fraction(a, one), Fraction(b, one)), (Fraction(c, one), Fraction(d, one)))
                    for a, b, c, d in zip(lower[0], upper[0], lower[1], upper[1])]
    # too many count vectors: nothing certain; possible only if every draw falls in the class's chambers
    out = []
    for m in range(1, widths + 1):
        if draws.exact:
            top = Fraction(len(events.chambers), draws.scale) ** m
        else:
            top = min(Fraction(1), Fraction(sum(draws.high[c] for c in events.chambers), 1 << FIXED_BITS)) ** m
        out.append(((Fraction(0), Fraction(0)), (Fraction(0), top)))
    return out


# --- the curves ----------------------------------------------------------------------------------------------------

def _share(spur: Bracket, glob: Bracket | None) -> Bracket | None:
    """p_spur / (p_global + p_spur) over the brackets (increasing in p_spur, decreasing in p_global); None if 0/0."""
    if glob is None:
        return None
    low_den, high_den = glob[1] + spur[0], glob[0] + spur[1]
    if high_den == 0:
        return None
    low = spur[0] / low_den if low_den else Fraction(0)
    return (low, min(Fraction(1), spur[1] / high_den))


def _separation(curve: Curve) -> tuple[Fraction, Fraction | None]:
    """From the optimal-regions certificate the checker accepted (`curve.document`): the largest upper bound on C(T_i)
    over the supports and the smallest lower bound on C(M_j) over the maximal sets (None when there is none). Every S
    containing a support has C(S) <= the first, every S inside a maximal set C(S) >= the second."""
    witnesses = curve.regions.document["witnesses"]
    upper = max(Fraction(entry["claim"]["upper"]) for entry in witnesses["supports"])
    lower = min((Fraction(entry["claim"]["lower"]) for entry in witnesses["maximal"]), default=None)
    return upper, lower


def spurious_widths(sampler: str, max_width: int | None = None, widths=None) -> list[int]:
    """The widths of a spurious-region curve (as `curves.parse_widths`, at most MAX_SPURIOUS_WIDTH); InputError naming
    the option otherwise."""
    if sampler not in SAMPLERS:
        raise InputError("--sampler", f"unknown sampler {sampler!r} (choose one of {', '.join(SAMPLERS)})")
    chosen = parse_widths(max_width, widths)
    if chosen[-1] > MAX_SPURIOUS_WIDTH:
        raise InputError("--max-width" if widths is None else "--widths",
                         f"spurious-region curves are computed up to width {MAX_SPURIOUS_WIDTH}")
    return chosen


def favourability(instance: Instance, sampler: str = "uniform", max_width: int | None = None, widths=None,
                  every_width: EveryWidth | None = None, curve: Curve | None = None,
                  arrangement: Arrangement | None = None,
                  progress: Callable[[str], None] | None = None) -> Favourability:
    """p_spur(m), p_global(m) and the favourability at m = 1..max_width (default 64) or at `widths` under `sampler`
    (module docstring): exact rationals under the uniform sampler, certified intervals under the Gaussian one, from
    the every-width classes (`every_width`, built when not given) and the curve p_opt(m) (`curve`, likewise).
    InputError on a bad sampler or widths (at most MAX_SPURIOUS_WIDTH)."""
    chosen = spurious_widths(sampler, max_width, widths)
    start = time.perf_counter()
    arrangement = arrangement or enumerate_chambers(instance.X)
    every_width = every_width or build_every_width(instance)
    if curve is None or curve.sampler != sampler or (
            curve.certified and not set(chosen) <= {pt.width for pt in curve.points}):
        curve = exact_curve(instance, sampler, widths=chosen, arrangement=arrangement, progress=progress)
    draws = _draws(sampler, arrangement)

    def give_up(reason: str) -> Favourability:
        return Favourability(sampler, [], curve, every_width, draws.method, draws.error,
                             time.perf_counter() - start, reason)

    if not every_width.certified:
        return give_up("the every-width catalog is not certified: " + "; ".join(every_width.failures or ["undecided"]))
    if not every_width.by_width or every_width.stable_from is None:
        return give_up("the every-width catalog did not settle every width")
    if not curve.certified:
        return give_up(f"the curve p_opt(m) is inconclusive: {curve.reason or curve.regions.reason}")
    labels = [p.label for p in all_signed_patterns(arrangement)]
    top = chosen[-1]
    complete = 0 if every_width.undecided else every_width.bound    # every set of <= n faces settled
    per_class = [_class_brackets(class_events(c, labels, complete), draws, top) for c in every_width.classes]
    p_opt = {pt.width: (pt.lower, pt.upper) for pt in curve.points}
    m_star = curve.regions.smallest_support
    epsilon = every_width.epsilon
    c_star = every_width.by_width[-1].lstar
    # p_opt counts C(S) <= C* + the curve's epsilon; p_global needs loss <= L*_m + the every-width epsilon: the two
    # events agree at width m when the certified bounds separate there (else p_global is not given)
    top_support, bottom_maximal = _separation(curve)
    notes = []
    if every_width.undecided:
        notes.append("the every-width catalog left face sets undecided: p_spur's upper end is 1")
    points = []
    for m in chosen:
        low_m, high_m = every_width.by_width[min(m, len(every_width.by_width)) - 1].lstar
        # spurious beyond epsilon: a local minimum of loss > L*_m + epsilon (the every-width catalog's statement: every
        # other local minimum, among them any in a set its rule (a') settled, has loss <= L*_m + epsilon)
        spurious = [k for k, c in enumerate(every_width.classes) if c.value[0] > high_m + epsilon]
        maybe_spurious = [k for k, c in enumerate(every_width.classes) if not c.value[1] <= low_m + epsilon]
        spur = (sum((per_class[k][m - 1][0][0] for k in spurious), Fraction(0)),
                min(Fraction(1), sum((per_class[k][m - 1][1][1] for k in maybe_spurious), Fraction(0))))
        if every_width.undecided:
            spur = (spur[0], Fraction(1))
        if m >= m_star:
            separated = top_support <= low_m + epsilon and (bottom_maximal is None or bottom_maximal > high_m + epsilon)
            glob = p_opt[m] if separated else None
        elif low_m > c_star[0] + epsilon and not every_width.undecided:
            # every local minimum of loss near L*_m is in a listed class (none hides among the epsilon-global sets)
            sure = [k for k, c in enumerate(every_width.classes) if c.value[1] <= low_m + epsilon]
            maybe = [k for k, c in enumerate(every_width.classes) if not c.value[0] > high_m + epsilon]
            glob = (sum((per_class[k][m - 1][0][0] for k in sure), Fraction(0)),
                    min(Fraction(1), sum((per_class[k][m - 1][1][1] for k in maybe), Fraction(0))))
        else:
            glob = None
        points.append(FavourabilityPoint(m, spur, glob, _share(spur, glob)))
    if any(pt.p_global is None for pt in points if pt.width >= m_star):
        notes.append("p_global is not given at widths where the optimal-regions bounds do not separate at the "
                     "every-width epsilon (an epsilon-optimal set could hold a local minimum above L*_m + epsilon, or "
                     "a set proved non-optimal one within it)")
    if any(pt.p_global is None for pt in points if pt.width < m_star):
        notes.append(f"p_global is not given below the smallest optimal support m* = {m_star} where a class of "
                     "loss near L*_m could be among the every-width catalog's epsilon-global face sets")
    return Favourability(sampler, points, curve, every_width, draws.method, draws.error,
                         time.perf_counter() - start, "", notes)
