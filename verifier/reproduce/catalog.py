"""Section 5, the catalog of local minima (docs/mathematics.md §8) and the landscape at every width (§12):
favourability, claim 1's second version.

It certifies, for a few tiny instances across widths, the complete catalog of local minima (claim `catalog`: one
spurious local minimum per product face, each with its value bracket and strict or non-strict) and the
favourability by count (§8, "Favourability, certified by count"); for `EVERY_WIDTH_CASES` the `every-width`
certificate (§12): the local-minimum classes, L*_m and the spurious values at every width at once. Each certificate
is written only after the exact checker accepted it, and from its classes the spurious-region curves (§13, "Spurious
regions at every width"): p_spur(m), p_global(m) and the favourability p_spur / (p_global + p_spur) at widths
1 .. SPURIOUS_WIDTHS under both samplers (exact rationals, or certified intervals under the Gaussian sampler), beside
the certified p_opt(m). The per-width probabilities and the favourability by weight come from the chambers' Gaussian
measures and are computed, not certified."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..files import write_json
from ..instance import Instance
from ..numbers import format_rational
from .base import Definition, Settings, save_instance, shipped

__all__ = ["DEFINITION", "Cases", "Catalogs", "CatalogRow", "EveryWidthRow", "SpuriousPoint", "SpuriousCurveRow",
           "SpuriousView", "CASES", "EVERY_WIDTH_CASES", "SPURIOUS_WIDTHS", "cases", "compute", "every_width_view",
           "spurious_view"]

KEY = "catalog"
TITLE = "5. The catalog of local minima (docs/mathematics.md §8)"
CLAIM = ("Favourability (claim 1, second version): spurious local minima may exist at every width, but the "
         "probability that a random initialization's region leads to one falls as the width grows.")

# (folder, name, (quick widths, full widths)): the shipped instances of the section
CASES = [("paper", "one-dimensional-eighth", ([1, 2, 3, 4], [1, 2, 3, 4])),
         ("paper", "orthogonal-3", ([1, 2], [1, 2, 3])),
         ("examples", "planar", ([1], [1, 2, 3]))]
# the instances whose every-width catalog (docs/mathematics.md §12) the section also certifies: a few seconds each
# (planar takes about a minute and leaves face sets undecided, so it is not among them)
EVERY_WIDTH_CASES = ["one-dimensional-eighth", "orthogonal-3"]
# the spurious-region curves of the every-width instances run over widths 1 .. this (quick, full): a walk step per
# width, well under a second per instance and sampler
SPURIOUS_WIDTHS = (32, 64)


@dataclass(frozen=True)
class Cases:
    """The (name, instance, widths) of the mode, the names whose every-width catalog is certified, and the largest
    width of their spurious-region curves."""

    catalogs: list[tuple[str, Instance, list[int]]]
    every_width: list[str]
    spurious_widths: int

    @property
    def instances(self) -> list[Instance]:
        return [instance for _, instance, _ in self.catalogs]

    @property
    def parameters(self) -> list:
        return [CASES, EVERY_WIDTH_CASES, self.spurious_widths]

    @property
    def units(self) -> int:
        return sum(len(widths) for _, _, widths in self.catalogs) + len(self.every_width)


def cases(quick: bool, seed: int) -> Cases:
    return Cases([(name, shipped(folder, name), widths[0 if quick else 1]) for folder, name, widths in CASES],
                 EVERY_WIDTH_CASES, SPURIOUS_WIDTHS[0 if quick else 1])


@dataclass(frozen=True)
class CatalogRow:
    """One (instance, width): the catalog's verdict, whether it is certified and complete, its spurious local
    minima (number, float values, exact brackets, strict or not), open faces and product faces; the probability
    that a random region's closure holds one, the favourability by count (certified) and by weight (computed);
    the certificate (when certified) and the seconds it took."""

    instance: str
    width: int
    verdict: str
    certified: bool
    complete: bool
    spurious: int
    undecided: int
    product_faces: int
    values: list[float]
    value_brackets: list
    strict: list[str]
    probability_spurious: float | list | None
    favourability_by_count: float | list | None
    favourability_by_count_exact: str | list | None
    favourability_by_weight: float | list | None
    certificate: str | None
    seconds: float


@dataclass(frozen=True)
class EveryWidthRow:
    """One instance's every-width result (`EveryWidth.to_dict`), its statement and certificate when certified."""

    instance: str
    certified: bool
    verdict: str
    statement: str | None
    result: dict
    certificate: str | None


@dataclass(frozen=True)
class SpuriousPoint:
    """One width of a spurious-region curve (docs §13, "Spurious regions at every width"): p_opt(m) of the certified
    curve, p_global(m) (p_opt from the smallest optimal support m* on), p_spur(m) and the favourability
    p_spur / (p_global + p_spur); each "p/q" when exact, [lower, upper] when bracketed, None when not determined."""

    width: int
    p_opt: str | list | None
    p_global: str | list | None
    p_spur: str | list | None
    favourability: str | list | None


@dataclass(frozen=True)
class SpuriousCurveRow:
    """One every-width instance under one sampler: its spurious-region curve at widths 1 .. max (`points`), what the
    favourability measures (`measure`), how the chamber measures were obtained (`measure_method`: "exact" when every
    point is a rational), the number of local-minimum classes; `certified` False with the `reason` when the
    every-width catalog or the curve p_opt(m) is not certified (then no point is given)."""

    instance: str
    sampler: str
    certified: bool
    reason: str
    measure: str
    measure_method: str
    classes: int
    points: list[SpuriousPoint]
    seconds: float


@dataclass(frozen=True)
class Catalogs:
    rows: list[CatalogRow]
    every_width: list[EveryWidthRow]
    spurious_curves: list[SpuriousCurveRow]


def compute(settings: Settings, cases: Cases) -> Catalogs:
    from ..catalog import build_catalog
    from ..every_width import build_every_width
    from ..samplers import SAMPLERS

    rows = []
    for name, instance, widths in cases.catalogs:
        save_instance(settings, instance)
        for width in widths:
            result = build_catalog(instance, width, tasks=settings.tasks)
            path = Path("certificates") / "catalog" / f"{name}-width-{width}.json"
            if result.document is not None and result.certified:
                write_json(settings.out / path, result.document)
            favour = result.favourability
            rows.append(CatalogRow(name, width, result.verdict, result.certified, result.complete,
                                   len(result.spurious), result.open_faces, result.product_faces,
                                   [e["value_float"][0] for e in result.spurious], [e["value"] for e in result.spurious],
                                   [e["strict"] for e in result.spurious], favour.get("probability_spurious_closure"),
                                   favour.get("spurious_by_count"), favour.get("spurious_by_count_exact"),
                                   favour.get("spurious_by_weight"), str(path) if result.certified else None,
                                   round(result.seconds, 2)))
            settings.tick()
    every, curves = [], []
    for name, instance, _ in cases.catalogs:
        if name in cases.every_width:
            result = build_every_width(instance, tasks=settings.tasks)
            every.append(_every_width_row(settings, name, result))
            curves += [_spurious_row(name, instance, result, sampler, cases.spurious_widths) for sampler in SAMPLERS]
            settings.tick()
    return Catalogs(rows, every, curves)


def _spurious_row(name: str, instance: Instance, every_width, sampler: str, widths: int) -> SpuriousCurveRow:
    """The spurious-region curve of `instance` under `sampler` at widths 1 .. `widths`, from its every-width result
    (`favourability.favourability`: inconclusive unless the every-width certificate and the optimal-regions
    certificate behind p_opt(m) were both accepted by the checker)."""
    from ..favourability import FAVOURABILITY_MEASURE, favourability

    result = favourability(instance, sampler, max_width=widths, every_width=every_width)
    p_opt = {pt.width: (pt.lower, pt.upper) for pt in result.curve.points} if result.certified else {}
    points = []
    for pt in result.points:
        texts = pt.to_dict()
        bracket = p_opt.get(pt.width)
        points.append(SpuriousPoint(pt.width, None if bracket is None else _bracket_text(bracket),
                                    texts["p_global"], texts["p_spur"], texts["favourability"]))
    return SpuriousCurveRow(name, sampler, result.certified, result.reason, FAVOURABILITY_MEASURE,
                            result.measure_method, len(every_width.classes), points, round(result.seconds, 2))


def _bracket_text(bracket: tuple[Fraction, Fraction]) -> str | list:
    """"p/q" for a point, [lower, upper] for a bracket (the form of `FavourabilityPoint.to_dict`)."""
    low, high = (format_rational(x) for x in bracket)
    return low if low == high else [low, high]


def _bracket(text: str | list | None) -> tuple[Fraction, Fraction] | None:
    if text is None:
        return None
    low, high = (text, text) if isinstance(text, str) else text
    return Fraction(low), Fraction(high)


@dataclass(frozen=True)
class SpuriousView:
    """What `plots.favourability_figure` reads of a `favourability.Favourability` (the sampler, the points with
    Fraction brackets, the every-width result's classes), rebuilt from a `SpuriousCurveRow` and its instance's
    every-width row."""

    sampler: str
    points: list
    every_width: object


def spurious_view(row: SpuriousCurveRow, every_width: EveryWidthRow) -> SpuriousView:
    from ..favourability import FavourabilityPoint

    points = [FavourabilityPoint(pt.width, _bracket(pt.p_spur), _bracket(pt.p_global), _bracket(pt.favourability))
              for pt in row.points]
    return SpuriousView(row.sampler, points, every_width_view(every_width.result))


def _every_width_row(settings: Settings, name: str, result) -> EveryWidthRow:
    """One instance's every-width result; its certificate is written to `certificates/catalog/` only when the checker
    accepted it (`result.certified`)."""
    path = Path("certificates") / "catalog" / f"{name}-every-width.json"
    if result.certified and result.document is not None:
        write_json(settings.out / path, result.document)
    return EveryWidthRow(name, result.certified, result.verdict, result.statement if result.certified else None,
                         result.to_dict(), str(path) if result.certified else None)


def every_width_view(data: dict):
    """The `EveryWidth` a figure needs (classes' values and from-widths, the rows), rebuilt from its `to_dict` form
    (a cached section holds only that)."""
    from ..every_width import EveryWidth, ResidualClass, WidthRow

    def bracket(texts) -> tuple[Fraction, Fraction]:
        low, high = (Fraction(t) for t in texts)
        return low, high

    classes = [ResidualClass(bracket(c["value"]), c["from_width"], c["global_at_from_width"], (),
                             c["strict_at_from_width"]) for c in data["classes"]]
    rows = [WidthRow(r["width"], bracket(r["L*_m"]), tuple(bracket(v) for v in r["spurious"]), tuple(r["open"]))
            for r in data["by_width"]]
    return EveryWidth(data["verdict"], data["bound"], classes, rows, data["stable_from"], data["undecided"],
                      data["settled"], Fraction(data["epsilon"]), data["seconds"], data["certified"])


DEFINITION = Definition(KEY, TITLE, CLAIM, cases, compute, Catalogs)
