"""The settle rules of the catalog (docs/mathematics.md §8): one exact argument per product face F, or undecided.

Over the regions S around F (product_faces), with L*_m in [low, high] = [min B_S, min U_S] from the region table and
the duality-gap ball ||r* - r0||^2 <= rho2 = 2n (U_S - B_S) of each region (at a local minimum in relint F, r* is the
optimal residual of every region around F: Lemma 8.1):

- (a) `WithinEpsilon`: a region around F with U_S <= low + tolerance: any local minimum there is epsilon-global;
- (b) `Disagreeing`: two regions around F with B_S1 > U_S2, which Lemma 8.1 forbids;
- (c) `NoStationaryPoint`: for a face j of F, A_F r (docs §12) leaves F (a sign row) or ||A_F r|| != lambda on the
  whole ball of a region around F (the three tightest balls are tried);
- (d) `Descent`: a docs §5 multiplier of neuron j around its kink row z is negative on the whole ball;
- (e) `LocalMinimum`: a region or face certificate of a spurious local minimum in relint F (lower bound above
  high), with its strictness (`checker.strictness`); programs are solved only here, where all regions around F agree;
- (g) `GlobalMinimum`: on a face settled by (a), after (b)-(d), a certificate of an epsilon-global local minimum in
  relint F (value <= low + tolerance), at most `global_certificates` of them, so the favourability count closes;
- `Undecided`, with its reason.

Records are typed here; `to_json()` gives the certificate's list (`checker.catalog`, whose `Rule` names the letters).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from fractions import Fraction
from typing import Callable, ClassVar, Union

from .checker.catalog import Rule, excluded_by_multiplier, excluded_by_norm, excluded_by_sign, sign_row, \
    stationarity_rows
from .checker.face import enclosure_radius2
from .checker.strictness import decide_strictness
from .errors import SolverFailure
from .instance import Instance
from .landscape import Classification, Context, certify_face_minimum, certify_region_minimum
from .optimum import Bounds
from .polish import residual
from .product_faces import ProductFaces, Reach
from .region_table import Budget, Entry, RegionTable

__all__ = ["WithinEpsilon", "Disagreeing", "NoStationaryPoint", "Descent", "LocalMinimum", "GlobalMinimum",
           "Undecided", "Record", "MinimumWitness", "FaceContexts", "certified_minimum", "SettleRules", "LEGEND"]

Choice = tuple[int, ...]       # one chamber around each face of F


class _Record:
    """A settle record: `rule` and its fields, in the certificate's order (a trailing field None is left out)."""
    rule: ClassVar[Rule]

    def to_json(self) -> list:
        """The certificate's list: the rule's letter, then each field (a choice as a list)."""
        values = [getattr(self, f.name) for f in fields(self)]
        return [self.rule.value] + [list(v) if isinstance(v, tuple) else v for v in values if v is not None]


@dataclass(frozen=True)
class WithinEpsilon(_Record):
    """(a) the region of `choice` has U_S <= min B + epsilon."""
    choice: Choice
    rule: ClassVar[Rule] = Rule.WITHIN_EPSILON


@dataclass(frozen=True)
class Disagreeing(_Record):
    """(b) B_S1 > U_S2 for the regions of choices `first` and `second`."""
    first: Choice
    second: Choice
    rule: ClassVar[Rule] = Rule.DISAGREEING


@dataclass(frozen=True)
class NoStationaryPoint(_Record):
    """(c) face j of F admits no stationary neuron on the ball of the region of `choice`: by `test` ("sign" with its
    `row`, "norm-low" or "norm-high"; None in an `every-width` record, whose checker repeats every test)."""
    choice: Choice
    j: int
    test: str | None = None
    row: int | None = None
    rule: ClassVar[Rule] = Rule.NO_STATIONARY_POINT


@dataclass(frozen=True)
class Descent(_Record):
    """(d) the multiplier of neuron j around its kink row `row` is negative for `chamber`, on the region's ball."""
    choice: Choice
    j: int
    chamber: int
    row: int
    rule: ClassVar[Rule] = Rule.DESCENT


@dataclass(frozen=True)
class LocalMinimum(_Record):
    """(e) `minima[index]` certifies a local minimum in relint F (spurious, in a catalog)."""
    index: int
    rule: ClassVar[Rule] = Rule.MINIMUM


@dataclass(frozen=True)
class GlobalMinimum(_Record):
    """(g) `minima[index]` certifies an epsilon-global local minimum in relint F."""
    index: int
    rule: ClassVar[Rule] = Rule.GLOBAL_MINIMUM


@dataclass(frozen=True)
class Undecided(_Record):
    """Not settled, and why."""
    reason: str
    rule: ClassVar[Rule] = Rule.UNDECIDED


Record = Union[WithinEpsilon, Disagreeing, NoStationaryPoint, Descent, LocalMinimum, GlobalMinimum, Undecided]

# what each rule means, for legends (the command line, the benchmarks)
LEGEND = {Rule.WITHIN_EPSILON: "eps-global", Rule.DISAGREEING: "disagreeing regions",
          Rule.NO_STATIONARY_POINT: "no stationary point", Rule.DESCENT: "descent", Rule.MINIMUM: "spurious",
          Rule.GLOBAL_MINIMUM: "holds an eps-global local minimum", Rule.UNDECIDED: "undecided"}


@dataclass(frozen=True)
class MinimumWitness:
    """An entry of a certificate's `minima`: a region- or face-local-minimum certificate (its claim and witnesses
    without what the enclosing certificate holds: type, width, chambers, width_upper), its value bracket [B, U] and,
    in a catalog's spurious entries, the strictness the checker will decide."""
    type: str
    claim: dict
    witnesses: dict
    value: tuple[Fraction, Fraction]
    strict: str | None = None

    @classmethod
    def of(cls, document: dict, value: tuple[Fraction, Fraction], strict: str | None = None) -> "MinimumWitness":
        return cls(document["claim"]["type"],
                   {k: v for k, v in document["claim"].items() if k not in ("type", "width")},
                   {k: v for k, v in document["witnesses"].items() if k not in ("chambers", "width_upper")},
                   value, strict)

    def to_json(self) -> dict:
        out = {"type": self.type, "claim": self.claim, "witnesses": self.witnesses}
        return out if self.strict is None else dict(out, strict=self.strict)


def certified_minimum(certify: Callable[[], Classification], what: str) -> Classification | Undecided:
    """Run a region or face certificate (`what` names it): its Classification when the checker accepted a local
    minimum (spurious or not), else the undecided record saying why not."""
    try:
        result = certify()
    except SolverFailure as exc:
        return Undecided(f"solver failure in the {what}: {exc}")
    if not result.certified or result.verdict not in ("spurious-local-minimum", "local-minimum"):
        return Undecided(f"no exclusion test applies and no {what}: {result.reason}")
    return result


class FaceContexts:
    """The contexts of the face certificates with k distinct neurons, one per k. Their L*_m bounds are marked
    uncertified so that they certify a local minimum only: the catalog separates it from the table's L*_m itself."""

    def __init__(self, instance: Instance, digits: int, bounds: Bounds):
        self.instance, self.digits = instance, digits
        self.bounds = replace(bounds, certified=False)
        self._contexts: dict[int, Context] = {}

    def __call__(self, k: int) -> Context:
        if k not in self._contexts:
            self._contexts[k] = Context(self.instance, k, self.digits, width_bounds=self.bounds)
        return self._contexts[k]


class SettleRules:
    """The rules above on one region table, with L*_m = [low, high] as the table gives it when this is made (its
    certified bounds are handed to `context`, where the region certificates of (e) compare with them). Owns the
    certificate's `minima`, the epsilon the (a) and (g) decisions used, and what the screening walk learnt."""

    def __init__(self, table: RegionTable, faces: ProductFaces, context: Context, budget: Budget, *,
                 tolerance: Fraction, global_certificates: int):
        self.table, self.faces, self.context, self.budget = table, faces, context, budget
        self.instance = table.instance
        self.global_certificates = global_certificates
        bounds = table.width_bounds()
        context.use_width_bounds(bounds)
        self.low, self.high = bounds.lower, bounds.upper       # L*_m = min over the table of C(S)
        self.threshold = self.low + tolerance
        self.epsilon = Fraction(0)
        self.minima: list[MinimumWitness] = []
        self._face_contexts = FaceContexts(self.instance, context.digits, bounds)
        self._attempts = global_certificates            # existence certificates of epsilon-global minima left
        self._stationarity: dict = {}
        self._screened: dict[tuple[int, ...], Record | None] = {}   # product face -> its (b)-(d) record when screened
        self._refined: set[frozenset] = set()                       # region keys refined after screening

    def regions(self, reach: Reach) -> list[tuple[Entry, Choice]]:
        return [(self.table[key], choice) for key, choice in reach.items()]

    # --- screening -------------------------------------------------------------------------------------
    def unsettled(self, product: tuple[int, ...], reach: Reach) -> bool:
        """Whether the face needs its float-precision regions refined: some are, (a) does not settle it (or the
        favourability asks about it anyway) and (b)-(d) fail on the regions as they are."""
        if all(self.table[key].precise for key in reach):
            return False
        regions = self.regions(reach)
        if min(e.upper for e, _ in regions) <= self.threshold and not self.global_certificates:
            return False
        record = self._screened[product] = self.excluded(product, regions)
        return record is None

    def refined(self, keys: set[frozenset]) -> None:
        """The regions of `keys` were refined since the screening walk: its records on them are stale."""
        self._refined = set(keys)

    def _exclusion(self, product, reach: Reach, regions) -> Record | None:
        """`excluded`, or the screening walk's record when none of the regions around F was refined since (the
        same entries give the same record)."""
        record = self._screened.pop(product, None)
        if record is not None and not any(key in self._refined for key in reach):
            return record
        return self.excluded(product, regions)

    # --- settling --------------------------------------------------------------------------------------
    def settle(self, product: tuple[int, ...], reach: Reach) -> Record:
        """The record of the product face `product` (indices of signed faces), given the regions around it."""
        if self.budget.exhausted():
            return Undecided("budget exhausted before this face was examined")
        regions = self.regions(reach)
        best = min(regions, key=lambda rc: rc[0].upper)
        if best[0].upper <= self.threshold:           # (a): entries this close to L*_m are all at full digits
            self.epsilon = max(self.epsilon, best[0].upper - self.low)
            if self.global_certificates:            # favourability: does relint F hold a local minimum?
                return self._exclusion(product, reach, regions) or self._existence(product, regions, "global") \
                    or WithinEpsilon(best[1])
            return WithinEpsilon(best[1])
        return self._exclusion(product, reach, regions) or self._existence(product, regions, "spurious")   # (e)

    def excluded(self, product, regions) -> Record | None:
        """(b), then (c) and (d) on the three tightest enclosures around F: relint F holds no local minimum."""
        best = min(regions, key=lambda rc: rc[0].upper)
        top = max(regions, key=lambda rc: rc[0].lower)
        if top[0].lower > best[0].upper:                                                  # (b)
            return Disagreeing(top[1], best[1])
        for region, choice in sorted(regions, key=lambda rc: rc[0].upper - rc[0].lower)[:3]:   # (c), (d)
            record = self._exclude(product, region, choice)
            if record:
                return record
        return None

    def _exclude(self, product, region: Entry, choice: Choice) -> Record | None:
        r0, rho2 = region.r0, region.rho2
        for j, t in enumerate(product):
            if t in product[:j]:
                continue
            f, s = self.faces.signed[t]
            tau = self.faces.faces.labels[f]
            A, rows = self._tests(tau, s)
            for i, row in rows.items():
                if excluded_by_sign(row, r0, rho2):
                    return NoStationaryPoint(choice, j, "sign", i)
            for kind in ("norm-low", "norm-high"):
                if excluded_by_norm(A, self.instance.lam, kind, r0, rho2):
                    return NoStationaryPoint(choice, j, kind)
            for c in self.faces.around[f]:
                for z, x in enumerate(self.instance.X):
                    if tau[z] == "0" and any(x) and excluded_by_multiplier(self.instance, tau, s,
                                                                           self.faces.chamber_labels[c], z, r0, rho2):
                        return Descent(choice, j, c, z)
        return None

    def _tests(self, tau: str, s: int):
        """The stationarity matrix of a signed face and its sign rows (cached: they depend on the face only)."""
        if (tau, s) not in self._stationarity:
            A = stationarity_rows(self.instance, tau, s)
            self._stationarity[(tau, s)] = (A, {i: sign_row(A, tau, x, i) for i, x in enumerate(self.instance.X)
                                                if tau[i] != "0"})
        return self._stationarity[(tau, s)]

    # --- existence ---------------------------------------------------------------------------------------
    def _existence(self, product, regions, goal: str) -> Record | None:
        """(e) a certificate of a spurious local minimum in relint F (goal "spurious"; else an undecided record), or
        (g) of an epsilon-global one (goal "global"; else None)."""
        if goal == "global":
            if self._attempts <= 0 or self.budget.exhausted():
                return None
            self._attempts -= 1
        elif max(e.lower for e, _ in regions) <= self.high:
            return Undecided("the regions around the face are not separated from L*_m (a local minimum here could be "
                             "global or spurious) and no exclusion test applies")
        record = self._certify_existence(product, regions, goal)
        return None if goal == "global" and isinstance(record, Undecided) else record

    def _certify_existence(self, product, regions, goal: str) -> Record:
        faces = [self.faces.signed[t] for t in product]
        labels = self.faces.faces.labels
        zero_rows = [[i for i, x in enumerate(self.instance.X) if labels[f][i] == "0" and any(x)] for f, _ in faces]
        choice = regions[0][1]
        patterns = self.context.patterns

        def certify() -> Classification:
            if not any(zero_rows):
                return certify_region_minimum(self.context, [patterns[2 * c + (s < 0)]
                                                             for c, (_, s) in zip(choice, faces)])
            distinct = list({t: (c, Z) for t, c, Z in zip(product, choice, zero_rows)}.items())  # one per face
            alive = {j: patterns[self.faces.pattern(c, t)] for j, (t, (c, _)) in enumerate(distinct)}
            kinks = {j: Z for j, (_, (_, Z)) in enumerate(distinct) if Z}
            return certify_face_minimum(self._face_contexts(len(distinct)), alive, kinks)

        result = certified_minimum(certify, "existence certificate")
        if isinstance(result, Undecided):
            return result
        lower, upper = result.details["value"]
        if (lower <= self.high) if goal == "spurious" else (upper > self.threshold):
            return Undecided(f"no exclusion test applies and the local minimum in relint F is not separated "
                             f"({'from' if goal == 'spurious' else 'within epsilon of'} L*_m)")
        strict = None
        if goal == "global":
            self.epsilon = max(self.epsilon, upper - self.low)
        else:
            points = result.details["neurons"] if "neurons" in result.details else result.details["program"].points
            r0 = residual(self.instance, [(nr.pattern.s, nr.u) for nr in points])
            strict = decide_strictness(self.instance, [(labels[f], s) for f, s in faces], r0,
                                       enclosure_radius2(self.instance.n, upper, lower)).verdict
        self.minima.append(MinimumWitness.of(result.document, (lower, upper), strict))
        return GlobalMinimum(len(self.minima) - 1) if goal == "global" else LocalMinimum(len(self.minima) - 1)

    def describe(self, product, record: LocalMinimum) -> dict:
        """A spurious entry of the catalog: its face, value bracket and strictness (and the product, for
        `catalog._probabilities`)."""
        minimum = self.minima[record.index]
        value = [str(v) for v in minimum.value]
        return {"face": self.faces.name(product), "value": value, "value_float": [float(Fraction(v)) for v in value],
                "strict": minimum.strict, "product": list(product)}
