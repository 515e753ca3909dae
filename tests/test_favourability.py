"""Spurious-region curves (verifier.favourability, `curve --spurious`): p_spur(m) against an independent computation
from the per-width catalogs (their product faces, every multiset of draws enumerated), against the census's exhaustive
classes, the facts every curve must satisfy, and the three favourability measures named apart."""

import dataclasses
import json
from fractions import Fraction
from itertools import combinations_with_replacement, permutations
from math import factorial, prod
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.arrangement import enumerate_chambers
from verifier.catalog import Settings, build_catalog
from verifier.checker.catalog import below
from verifier.cli import main
from verifier.convex import all_signed_patterns
from verifier.favourability import FAVOURABILITY_MEASURE, MAX_SPURIOUS_WIDTH, favourability
from verifier.instance import Instance

DATA = Path(__file__).parent.parent / "verifier" / "data"
CASES = {
    "1-D": Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"),
    "planar n=3": Instance.from_arrays([[2, 1], [-1, 3], [1, -2]], [1, -1, 2], "1/50"),    # a kink class
    "planar n=2, bias (d=3)": Instance.from_arrays([[2, 1], [-1, 3]], [1, -1], "1/20", bias=True),
}
_RESULTS: dict = {}


def _favourability(name, sampler="uniform"):
    if (name, sampler) not in _RESULTS:
        _RESULTS[name, sampler] = favourability(CASES[name], sampler, max_width=64)
    return _RESULTS[name, sampler]


def _catalog_closure(instance, m) -> tuple[Fraction, float]:
    """P(the closure of a width-m region holds one of the width-m catalog's spurious product faces), exactly under the
    uniform sampler (every multiset of draws, every matching of its neurons to the faces), and the catalog's own
    Gaussian figure: a computation over product faces of one width, independent of the every-width classes."""
    catalog = build_catalog(instance, m, Settings(global_certificates=0))
    assert catalog.certified and not catalog.undecided
    products = [[(face.split(":")[0], int(face.split(":")[1] + "1")) for face in entry["face"].split(" x ")]
                for entry in catalog.spurious]
    patterns = all_signed_patterns(enumerate_chambers(instance.X))
    total = Fraction(0)
    for combo in combinations_with_replacement(range(len(patterns)), m):
        if any(any(all(below(tau, patterns[combo[k]].label) and patterns[combo[k]].s == s
                       for (tau, s), k in zip(faces, perm)) for perm in permutations(range(m)))
               for faces in products):
            total += Fraction(factorial(m), prod(factorial(combo.count(i)) for i in set(combo)))
    return total / len(patterns) ** m, catalog.favourability.get("probability_spurious_closure", 0.0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_p_spur_agrees_with_the_per_width_catalogs(name):
    """Widths 1 and 2: the exact uniform p_spur(m) equals the probability computed from the width-m catalog's spurious
    product faces, and the Gaussian bracket holds the catalog's Gaussian figure."""
    uniform, gaussian = _favourability(name), _favourability(name, "gaussian")
    assert uniform.certified and gaussian.certified
    for m in (1, 2):
        exact, weighed = _catalog_closure(CASES[name], m)
        assert uniform.points[m - 1].p_spur == (exact, exact), (m, uniform.points[m - 1].p_spur, exact)
        low, high = gaussian.points[m - 1].p_spur
        assert float(low) - 1e-9 <= weighed <= float(high) + 1e-9


@pytest.mark.parametrize("name", sorted(CASES))
def test_p_spur_within_the_census_classes(name):
    """The census's exhaustive classes (uniform sampler): its certified interior spurious minima are inside p_spur's
    regions, its global and certainly-empty regions outside them; and from the smallest optimal support on its
    p_contains_global is p_global."""
    from verifier.api import take_census

    result = _favourability(name)
    for m in (1, 2):
        census = take_census(CASES[name], m, sampler="uniform")
        assert census.exhaustive
        point = result.points[m - 1]
        assert census.p_spurious_local_min <= float(point.p_spur[0]) + 1e-12
        assert census.p_contains_global + census.p_no_local_min <= 1 - float(point.p_spur[1]) + 1e-12
        if m >= result.curve.regions.smallest_support:
            assert census.p_contains_global == pytest.approx(float(point.p_global[0]), abs=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("sampler", ["uniform", "gaussian"])
def test_facts_of_every_curve(name, sampler):
    """Brackets ordered; p_global + p_spur <= 1 (a closure's local minima all have the loss C(S): Lemma 8.1);
    favourability in [0, 1] and exact where both parts are; p_spur(m) <= pi(A)^m for the chambers A above some face of
    a class (every neuron must be drawn there): it decays geometrically; exact points under the uniform sampler."""
    result = _favourability(name, sampler)
    chambers = {c for cls in result.every_width.classes for r in cls.realisations for face, s in r.faces
                for c, p in enumerate(all_signed_patterns(enumerate_chambers(CASES[name].X)))
                if p.s == s and below(face, p.label)}
    share = Fraction(len(chambers), 2 * len(enumerate_chambers(CASES[name].X)))
    for point in result.points:
        assert 0 <= point.p_spur[0] <= point.p_spur[1] <= 1
        assert point.p_global is not None and point.p_global[0] + point.p_spur[0] <= 1
        low, high = point.favourability
        assert 0 <= low <= high <= 1
        if sampler == "uniform":
            assert point.exact and point.p_spur[1] <= len(result.every_width.classes) * share ** point.width
    assert [pt.width for pt in result.points] == list(range(1, 65))


def test_the_worked_example_with_p_global_below_the_smallest_support():
    """Width 1 (below m* = 2): p_global(1) = 1/4 from the class 11/64 (global at width 1), p_spur(1) = 1/4 (19/64):
    favourability 1/2; from width 2 on p_global is p_opt."""
    result = _favourability("1-D")
    assert result.curve.regions.smallest_support == 2
    first, second = result.points[:2]
    assert (first.p_spur, first.p_global, first.favourability) == ((Fraction(1, 4),) * 2, (Fraction(1, 4),) * 2,
                                                                   (Fraction(1, 2),) * 2)
    assert second.p_global == (result.curve.points[1].lower, result.curve.points[1].upper)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_three_favourability_measures_named_apart(tmp_path):
    """On orthogonal-3 at width 2 `census`'s favourability (initialization mass, interior minima only) is 0, `certify`'s
    (count of product faces) 2/3, and `curve --spurious`'s (initialization mass, every local minimum in a region's
    closure) 5/9: each output names its measure and the names differ; the closure measure's spurious mass contains the
    census's, and its p_global is the census's p_contains_global."""
    from verifier.catalog import FAVOURABILITY_MEASURE as by_count
    from verifier.census import FAVOURABILITY_MEASURE as interior

    example = DATA / "paper" / "orthogonal-3.json"
    plot = tmp_path / "f.png"
    text = run("curve", example, "--widths", "1,2", "--spurious", "--plot", plot)
    assert text.exit_code == 0, text.output
    assert f"favourability: {FAVOURABILITY_MEASURE}" in text.output and plot.stat().st_size > 0
    assert len({FAVOURABILITY_MEASURE, by_count, interior}) == 3 and "closure" in FAVOURABILITY_MEASURE
    payload = json.loads(run("curve", example, "--widths", "1,2", "--spurious", "--json").output)["spurious"]
    assert payload["measure"] == FAVOURABILITY_MEASURE
    width2 = payload["spurious_curve"][1]
    assert (width2["width"], width2["favourability"], width2["p_global"]) == (2, "5/9", "1/16")
    census = json.loads(run("census", example, "--width", "2", "--sampler", "uniform", "--json").output)
    assert census["favourability"] == 0 and census["favourability_measure"] == interior
    assert census["p_spurious_local_min"] <= Fraction(width2["p_spur"]) and \
        census["p_contains_global"] == pytest.approx(1 / 16, abs=1e-12)


def test_bad_widths_are_refused():
    result = run("curve", DATA / "paper" / "one-dimensional.json", "--spurious", "--max-width", MAX_SPURIOUS_WIDTH + 1)
    assert result.exit_code == 2 and "--max-width" in result.output and result.output.count("\n") == 1


def test_a_class_with_two_realisations_against_the_width_3_catalog():
    """theorem2-d3: the class near 9.91e-6 has two realisations sharing the chamber face +++:+ ({+++, 0+-} and
    {+++, 0-+}); their union has 3 = n faces and the complete catalog does not list it, so it holds no local minimum and
    p_spur is exact: at width 3 it equals the width-3 catalog's 43/4096 (without that step the bracket was
    [0.0105, 0.0164])."""
    instance = Instance.load(DATA / "paper" / "theorem2-d3.json")
    result = favourability(instance, max_width=3)
    assert result.certified and any(len(c.realisations) == 2 for c in result.every_width.classes)
    exact, _ = _catalog_closure(instance, 3)
    assert exact == Fraction(43, 4096) and result.points[2].p_spur == (exact, exact)


def test_p_global_is_p_opt_only_where_the_two_epsilons_separate():
    """p_opt counts C(S) <= C* + the curve's epsilon, p_global a local minimum of loss <= L*_m + the every-width
    epsilon. Where a set the optimal-regions certificate proves non-optimal lies within the every-width epsilon of
    L*_m (here: an every-width epsilon of 10^6), p_opt is not p_global: from m* on it is not given, never p_opt."""
    base = _favourability("1-D")
    m_star = base.curve.regions.smallest_support
    assert base.curve.regions.maximal
    assert all(pt.p_global == (p.lower, p.upper) for pt, p in zip(base.points, base.curve.points) if pt.width >= m_star)
    loose = dataclasses.replace(base.every_width, epsilon=Fraction(10**6))
    result = favourability(CASES["1-D"], "uniform", max_width=6, every_width=loose, curve=base.curve)
    assert result.certified
    assert [pt.p_global for pt in result.points] == [None] * 6
    assert [pt.favourability for pt in result.points] == [None] * 6
    assert any("do not separate" in note for note in result.notes)


def test_no_point_without_a_certified_every_width_catalog_or_curve():
    """An every-width result the checker did not accept, or a curve that is not certified (a bracket among them),
    gives an inconclusive result with its reason and no number at all."""
    base = _favourability("1-D")
    refused = dataclasses.replace(base.every_width, certified=False, failures=["the checker refused it"])
    bracketed = dataclasses.replace(base.curve, reason="1 maximal set(s) could not be proved non-optimal")
    for result in (favourability(CASES["1-D"], "uniform", max_width=4, every_width=refused, curve=base.curve),
                   favourability(CASES["1-D"], "uniform", max_width=4, every_width=base.every_width, curve=bracketed)):
        assert not result.certified and not result.points
        assert set(result.to_dict()) == {"outcome", "reason", "sampler"}
        assert result.to_dict()["outcome"] == "inconclusive"


def test_undecided_face_sets_leave_p_spur_open_above():
    """With face sets the every-width catalog left undecided, p_spur's upper end is 1 at every width, its lower end
    the proved classes' as before, and p_global below m* is not given."""
    base = _favourability("1-D")
    open_sets = dataclasses.replace(base.every_width, undecided=[{"faces": ["+:+"], "reason": "budget"}])
    result = favourability(CASES["1-D"], "uniform", max_width=4, every_width=open_sets, curve=base.curve)
    assert result.certified
    m_star = base.curve.regions.smallest_support
    for before, after in zip(base.points, result.points):
        assert after.p_spur == (before.p_spur[0], Fraction(1))
        assert after.p_global == (before.p_global if after.width >= m_star else None)
    assert any("undecided" in note for note in result.notes)


def test_a_narrow_gaussian_bracket_never_reads_as_a_bracket_of_one_value(tmp_path):
    """Gaussian brackets (chamber measures with an error bound) narrower than the six digits shown read '≈v', never
    '[v, v]'; a bracket as wide as the digits reads '[low, high]' with low < high."""
    import re

    path = tmp_path / "planar.json"
    path.write_text(json.dumps(CASES["planar n=3"].to_dict()))
    result = run("curve", path, "--widths", "1,2,3", "--spurious", "--sampler", "gaussian")
    assert result.exit_code == 0, result.output
    table = result.output.split("favourability: ", 1)[1]
    assert "≈" in table
    for low, high in re.findall(r"\[([-+.e\d]+), ([-+.e\d]+)\]", table):
        assert float(low) < float(high)
