"""The catalog of width-m local minima (docs/mathematics.md §8): every product face settled, or a proof that there
is no spurious one.

1. The region table (`region_table.RegionTable`): every set S of at most m signed chambers with a certified bracket
   B_S <= C(S) <= U_S (a polished point and a dual residual); L*_m = min_S C(S) lies in [min B_S, min U_S].
2. Every product face F (a multiset of m signed non-zero faces, `product_faces.ProductFaces`) is settled by look-ups
   over the regions around it (one chamber around each face, Lemma 8.1) by the rules of `settle.SettleRules`: (a) some
   U_S <= min B + tolerance; (b) two regions with B_S1 > U_S2; (c) no stationary point in relint F, or (d) a negative
   kink multiplier, on the duality-gap ball ||r* - r0||^2 <= 2n (U_S - B_S) of a region around F; (e) a region or
   face certificate of a spurious local minimum in relint F (programs are solved only here, where all regions
   around F agree), with its strictness (`checker.strictness`); otherwise F is undecided, with its reason. A face
   settled by (a) may still hold an epsilon-global local minimum or none: for the favourability count the rules
   also try (b)-(d) on it, then (g) a certificate of an epsilon-global local minimum in relint F (at most
   `Settings.global_certificates` of them).
3. The whole catalog is one certificate (`checker.catalog`), accepted by the checker before anything is reported;
   the favourability by count is the checker's.

A screening walk first finds the product faces that (a)-(d) do not settle on the float-precision table, and the
regions around them are certified again at full digits; the settling walk then decides every face on that final
table, so every record is checked against the brackets it was decided on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations_with_replacement, permutations
from math import factorial, prod
from pathlib import Path

from . import checker
from .certificates import chamber_witnesses, document
from .checker.catalog import CATALOG_RULES, Rule, below
from .checker.claim_types import ClaimType
from .instance import Instance
from .journal import Journal
from .landscape import Context
from .parallel import Tasks
from .polish import FLOAT_DIGITS
from .product_faces import ProductFaces
from .progress import Stage
from .region_table import Budget, Progress, RegionTable
from .settle import LocalMinimum, Record, SettleRules, Undecided

__all__ = ["Settings", "Catalog", "build_catalog", "checkpoint_header", "certificate_tables", "STAGES",
           "FAVOURABILITY_MEASURE"]

# The stages `build_catalog` reports, in order, with the estimated milliseconds per item (measured on issue 21's
# five points in R^3 at width 2: ~9 ms per region set, ~0.4 ms per screened or settled product face, ~0.5 ms per
# region set or product face checked), so that one bar can give an ETA for the whole job.
STAGES = (Stage("regions", "set", 10.0), Stage("screening", "face", 0.4), Stage("product faces", "face", 0.5),
          Stage("checking", "item", 0.5))
_WEIGHED_UNDECIDED = 50     # beyond this many undecided faces, their closure probabilities are not summed
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


def checkpoint_header(instance: Instance, width: int, settings: Settings) -> dict:
    """What a region-table checkpoint is bound to (`journal.Journal`): the instance's digest, the width and the
    settings that change its entries."""
    return {"table": "catalog regions", "instance": instance.digest(), "width": width,
            "tolerance": str(settings.tolerance), "digits": settings.digits}


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
        return self.product_faces - sum(count for rule, count in self.counts.items() if rule != Rule.UNDECIDED)

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


def certificate_tables(table: RegionTable, faces: ProductFaces, compact: bool = False) -> dict:
    """The witnesses a `catalog` and an `every-width` certificate share: the chambers, the faces, the region table
    (one entry per set, or `compact`: sources and a cover, which only `every-width` reads) and the table's best point
    (a width-m network of value min U_S)."""
    return {"chambers": chamber_witnesses(table.context.arrangement),
            "faces": {"signs": faces.faces.labels, "points": [[str(x) for x in w] for w in faces.faces.witnesses]},
            "regions": table.covered_json() if compact else table.regions_json(), "width_upper": table.width_upper()}


@dataclass
class _Settled:
    """What the settling walk found: one record per product face reached, in walk order; the spurious entries and
    the undecided faces (as the catalog lists them) and the undecided product faces (for `_probabilities`)."""

    records: list[Record] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)
    undecided: list[dict] = field(default_factory=list)
    undecided_products: list[tuple[int, ...]] = field(default_factory=list)


def _settle_all(table: RegionTable, faces: ProductFaces, rules: SettleRules, settings: Settings, screened: bool,
                progress: Progress) -> _Settled:
    """Every product face settled. First a screening walk finds the faces that (a)-(d) do not settle on the table as
    it is, and their regions still at float precision are refined to full digits (the whole table is, without
    screening, when it is small against the number of product faces); then the settling walk runs on that final
    table."""
    total = faces.total
    pending: set[frozenset] = set()
    count = [0]

    def screen(product, reach) -> bool:
        count[0] += 1
        if count[0] % 500 == 0:
            progress("screening", count[0], total)
        if not rules.budget.exhausted() and rules.unsettled(product, reach):
            pending.update(reach)
        return True

    if not screened:   # a small table under many faces: refining all of it costs less than screening
        table.refine([e.ids for e in table.entries()])
    else:
        faces.walk(screen)
        before = {key: table[key] for key in pending}
        table.refine([tuple(sorted(key)) for key in pending])
        rules.refined({key for key, entry in before.items() if table[key] is not entry})
    out = _Settled()

    def settle(product, reach) -> bool:
        if len(out.records) % 500 == 0:
            progress("product faces", len(out.records), total)
        record = rules.settle(product, reach)
        out.records.append(record)
        if isinstance(record, LocalMinimum):
            out.spurious.append(rules.describe(product, record))
            if settings.first:
                return False
        elif isinstance(record, Undecided):
            out.undecided.append({"face": faces.name(product), "reason": record.reason})
            out.undecided_products.append(product)
        return True

    faces.walk(settle)
    progress("product faces", total, total)
    return out


def build_catalog(instance: Instance, width: int, settings: Settings = Settings(), progress: Progress | None = None,
                  checkpoint: str | Path | None = None, tasks: Tasks | None = None) -> Catalog:
    """Settle every product face of width m (docs §8) and have the checker accept the catalog certificate.

    `progress(stage, done, total)` hears of the `STAGES` in order: first each stage with done = 0 and its total
    (an announcement, before any work; screening's total is 0 when it is skipped), then each stage as it runs.

    The verdict is `benign`, `spurious-local-minima` or `undecided` only as the checker proved it; if the checker
    rejects the certificate (a bug) or the budget runs out before the region table is complete, the verdict is
    `undecided` and `failures` says why."""
    progress = progress or (lambda stage, done, total: None)
    budget = Budget(settings.budget)
    context = Context(instance, width, settings.digits)
    faces = ProductFaces(instance, context.arrangement.patterns(), width)
    table = RegionTable(context, tasks or Tasks(1), budget,
                        Journal(checkpoint, checkpoint_header(instance, width, settings)), digits=settings.digits,
                        tolerance=settings.tolerance, progress=progress)
    total = faces.total
    screened = table.size * _FACES_PER_SET >= total    # else a small table under many faces: refined whole anyway
    P, nfaces = len(faces.chamber_labels), len(faces.faces)
    checked = table.size + total
    for stage, items in zip(STAGES, (table.size, total if screened else 0, total, checked)):
        progress(stage.name, 0, items)          # announce every stage's total before any work
    if not table.certify(min(settings.digits, FLOAT_DIGITS) if screened else settings.digits):
        # nothing certified: no L*_m, no epsilon
        return Catalog("undecided", width, None, None, total, {}, [],
                       [{"face": "all", "reason": "budget exhausted while certifying the region table"}], None, False,
                       budget.elapsed(), nfaces, P)
    rules = SettleRules(table, faces, context, budget, tolerance=settings.tolerance,
                        global_certificates=settings.global_certificates)
    settled = _settle_all(table, faces, rules, settings, screened, progress)
    records, spurious, undecided = settled.records, settled.spurious, settled.undecided
    tally = Counter(record.rule for record in records)
    counts = {rule.value: tally[rule] for rule in CATALOG_RULES}
    seconds = budget.elapsed()
    lstar = (rules.low, rules.high)
    if settings.first:
        if spurious:       # the checker sees this minimum's certificate only: the table's L*_m is not certified
            minimum = rules.minima[0]
            doc = document(instance, dict(minimum.claim, type=minimum.type, width=width),
                           dict(minimum.witnesses, chambers=chamber_witnesses(context.arrangement),
                                width_upper=table.width_upper()))
            progress("checking", 0, checked)
            verdict = checker.check(doc)
            progress("checking", checked, checked)
            return Catalog("spurious-local-minima" if verdict.proved else "undecided", width, None, None,
                           total, counts, spurious, undecided, doc, verdict.proved, seconds, nfaces, P,
                           failures=verdict.failures)
        verdict_name = "undecided" if undecided else "benign"
    else:
        verdict_name = "spurious-local-minima" if spurious else "undecided" if undecided else "benign"
    claim = {"type": ClaimType.CATALOG, "width": width, "epsilon": str(rules.epsilon), "verdict": verdict_name}
    doc = document(instance, claim, dict(certificate_tables(table, faces), settled=[r.to_json() for r in records],
                                         minima=[mn.to_json() for mn in rules.minima]))
    progress("checking", 0, checked)
    result = checker.check(doc)
    progress("checking", checked, checked)
    seconds = budget.elapsed()
    if not result.proved:
        return Catalog("undecided", width, None, None, total, counts, spurious, undecided, doc, False,
                       seconds, nfaces, P, failures=result.failures)
    catalog = Catalog(verdict_name, width, lstar, rules.epsilon, total, counts, spurious, undecided, doc, True,
                      seconds, nfaces, P, complete=result.facts["complete"] and len(records) == total)
    _probabilities(table, faces, settled.undecided_products, rules.threshold, catalog, result.facts["favourability"])
    return catalog


def _probabilities(table: RegionTable, faces: ProductFaces, products: list[tuple[int, ...]], threshold: Fraction,
                   catalog: Catalog, by_count: dict) -> None:
    """The Gaussian probability that a random initialization's region has each spurious minimum's face in its closure,
    and the favourability: by count of product faces (the checker's facts: certified, exact or an interval), and by
    Gaussian weight, spurious closure probability against the probability that the region contains an epsilon-global
    minimum (computed from the chambers' measures, not certified; the undecided faces widen it to an interval)."""
    measures = table.context.arrangement.measures()
    q = [float(measures.values[i // 2]) / 2 for i in range(len(table.patterns))]
    m = table.m

    def probability(accepts) -> float:
        total = 0.0
        for combo in combinations_with_replacement(range(len(q)), m):
            if accepts(combo):
                counts = [combo.count(i) for i in set(combo)]
                total += factorial(m) / prod(factorial(k) for k in counts) * prod(q[i] for i in combo)
        return total

    def closure(product):
        signed = faces.labelled(product)
        return lambda combo: any(all(below(tau, table.chamber_labels[combo[k] // 2]) and
                                     table.patterns[combo[k]].s == s for (tau, s), k in zip(signed, perm))
                                 for perm in permutations(range(m)))

    for entry in catalog.spurious:
        entry["probability"] = probability(closure(entry.pop("product")))
    spurious_weight = sum(e["probability"] for e in catalog.spurious)
    undecided_weight = sum(probability(closure(p)) for p in products) if len(products) <= _WEIGHED_UNDECIDED else None
    global_weight = probability(lambda combo: table[frozenset(combo)].upper <= threshold)
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
