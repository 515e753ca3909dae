"""Exact probability curves (verifier.optimal_regions, verifier.curves): the certified optimal-regions up-set and p_opt(m), checked against
two independent computations: a float solve of C(A) for every set A of signed chambers, and the closed form of
orthogonal data."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest

from tests.float_reference import pinned_program
from verifier import checker
from verifier.arrangement import enumerate_chambers
from verifier.convex import all_signed_patterns
from verifier.curves import curve, parse_widths
from verifier.errors import InputError
from verifier.families import orthogonal
from verifier.instance import Instance
from verifier.optimal_regions import optimal_regions

# 1-D points with a bias column: a planar arrangement of 3 lines (P = 6, 2P = 12 signed patterns, 4096 sets) whose
# optimum has four minimal supports (two optimal neurons on kinks).
BIAS = Instance.from_arrays([[-2], [0], [1]], [-1, -3, 0], Fraction(1, 20), bias=True)


def _float_optimal_sets(instance: Instance, patterns) -> tuple[set[frozenset], float, float]:
    """The sets A of signed patterns with C(A) <= C* + 1e-7, C(A) solved by one cvxpy program whose unused patterns
    are pinned to 0 (an independent formulation: no verifier solver, no polishing), and the smallest C(A) - C* of
    the others. Largest sets first; a set inside a set already found non-optimal is non-optimal (C is monotone),
    every other set is solved."""
    solve = pinned_program(instance, patterns)
    k = len(patterns)
    optimal, bad, best, margin = set(), [], None, np.inf
    for size in range(k, -1, -1):
        for chosen in combinations(range(k), size):
            A = frozenset(chosen)
            if any(A <= B for B in bad):
                continue
            value = solve(A)
            best = value if best is None else best
            if value <= best + 1e-7:
                optimal.add(A)
            else:
                bad.append(A)
                margin = min(margin, value - best)
    return optimal, best, margin


def test_uniform_curve_agrees_with_every_subset_solved_in_floats():
    arrangement = enumerate_chambers(BIAS.X)
    patterns = all_signed_patterns(arrangement)
    optimal, best, margin = _float_optimal_sets(BIAS, patterns)
    assert margin > 1e-4   # the float classification is unambiguous: every other set is far above C*
    exact = curve(BIAS, max_width=40)
    assert exact.certified and len(exact.regions.supports) >= 2
    index = {p: i for i, p in enumerate(patterns)}
    assert {frozenset(index[p] for p in T) for T in exact.regions.supports} == {
        A for A in optimal if not any(B < A for B in optimal)}
    total = len(patterns)
    for point in exact.points:
        m = point.width
        # P(S = A) = sum over J inside A of (-1)^(|A|-|J|) (|J| / 2P)^m (inclusion-exclusion on the misses)
        p = sum(sum((-1) ** (len(A) - j) * math.comb(len(A), j) * (j / total) ** m
                    for j in range(len(A) + 1)) for A in optimal)
        assert abs(float(point.lower) - p) <= 1e-9, m


@pytest.mark.parametrize("n", [3, 4, 5])
def test_orthogonal_curve_is_the_closed_form_exactly(n):
    """docs: x_i = e_i; a region is optimal iff some positive draw covers the positive labels and some negative
    draw the negative ones: p = 1 - (1-a)^m - (1-b)^m + (1-a-b)^m, a = 2^-(n_+ + 1), b = 2^-(n_- + 1)."""
    instance = orthogonal(n)
    result = curve(instance, max_width=80)
    n_plus = sum(1 for v in instance.y if v > 0)
    a, b = Fraction(1, 2 ** (n_plus + 1)), Fraction(1, 2 ** (n - n_plus + 1))
    assert result.certified and result.regions.smallest_support == 2
    for point in result.points:
        m = point.width
        assert point.exact and point.lower == 1 - (1 - a) ** m - (1 - b) ** m + (1 - a - b) ** m


def test_curve_is_monotone_and_thresholds_are_the_first_crossings():
    result = curve(BIAS, max_width=200)
    values = [pt.lower for pt in result.points]
    assert all(x <= y for x, y in zip(values, values[1:]))
    for key, theta in (("1/2", Fraction(1, 2)), ("99/100", Fraction(99, 100))):
        m = result.thresholds[key]
        assert values[m - 1] >= theta and values[m - 2] < theta
    assert checker.check(result.document).proved


def test_gaussian_interval_contains_the_float_value_and_is_narrow():
    uniform = curve(BIAS, max_width=30)
    gaussian = curve(BIAS, sampler="gaussian", max_width=30, regions=uniform.regions)
    assert gaussian.certified and gaussian.measure_method in ("exact", "girard")
    for point in gaussian.points:
        assert point.lower <= point.upper and point.upper - point.lower < Fraction(1, 10**6)
    low, high = gaussian.thresholds["1/2"]
    assert low <= high


@pytest.mark.parametrize("kwargs, option", [({"max_width": 0}, "--max-width"), ({"widths": "3,x"}, "--widths"),
                                            ({"widths": "0,2"}, "--widths"), ({"max_width": 10**9}, "--max-width")])
def test_bad_widths_name_the_option(kwargs, option):
    with pytest.raises(InputError, match=option):
        parse_widths(**kwargs)


def test_bad_sampler_is_an_input_error():
    with pytest.raises(InputError, match="sampler"):
        curve(BIAS, sampler="sobol")


def test_every_set_is_classified_by_the_up_set():
    """Every set of signed patterns either contains a support or lies inside a maximal set, never both."""
    regions = optimal_regions(BIAS)
    patterns = regions.patterns
    for size in range(len(patterns) + 1):
        for chosen in combinations(patterns, size):
            S = frozenset(chosen)
            inside = any(T <= S for T in regions.supports)
            assert inside != any(S <= M for M in regions.maximal)


def test_minimal_transversals_against_brute_force():
    import random

    from verifier.optimal_regions import minimal_transversals

    rng = random.Random(5)
    for _ in range(200):
        size = rng.randint(1, 6)
        edges = [rng.randint(1, (1 << size) - 1) for _ in range(rng.randint(1, 5))]
        hitting = [S for S in range(1 << size) if all(S & E for E in edges)]
        minimal = {S for S in hitting if not any(R != S and R & S == R for R in hitting)}
        assert set(minimal_transversals(edges)) == minimal


def test_cli_curve_text_json_certificate_and_bad_input(tmp_path):
    import json

    from click.testing import CliRunner

    from verifier.cli import main

    path = tmp_path / "bias.json"
    path.write_text(json.dumps({"X": [[-2], [0], [1]], "y": [-1, -3, 0], "lambda": "1/20"}))
    runner = CliRunner()
    certificate = tmp_path / "curve.json"
    result = runner.invoke(main, ["curve", str(path), "--bias", "--max-width", "6", "--json",
                                  "--certificate", str(certificate)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [row["width"] for row in payload["curve"]] == list(range(1, 7))
    assert payload["curve"][0]["p_opt"] == "0" and payload["curve"][0]["p_contains_global"] is None
    assert Fraction(payload["curve"][5]["p_opt"]) > 0 and set(payload["thresholds"]) == {"1/2", "99/100"}
    assert runner.invoke(main, ["check", str(certificate)]).exit_code == 0
    text = runner.invoke(main, ["curve", str(path), "--bias", "--widths", "3,40"])
    assert text.exit_code == 0 and "(= " in text.output and "thresholds p_opt >= 1/2 from m =" in text.output
    for bad in (["--sampler", "sobol"], ["--widths", "0,3"], ["--max-width", "0"], ["--widths", "x"]):
        result = runner.invoke(main, ["curve", str(path), *bad])
        assert result.exit_code == 2 and result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_an_unprovable_maximal_set_gives_a_proved_bracket_never_a_value(monkeypatch, tmp_path):
    """A maximal set that cannot be proved non-optimal (here: every certificate of a large set refused) leaves the
    classification open: outcome `bracket`, every point a [lower, upper] that holds the exact value (computed
    without the refusal) and that the checker proves (claim `optimal-regions` with `open` sets and `bracket` ends);
    dropping the open sets, stating a value, or a wrong end is refused; the CLI prints the bracket and exits 3."""
    import json

    from click.testing import CliRunner

    from verifier import optimal_regions as module
    from verifier.cli import main
    from verifier.errors import CertificateMalformed

    exact = {sampler: curve(BIAS, sampler, max_width=8) for sampler in ("uniform", "gaussian")}
    original = module.certify_region

    def refuse_large(instance, patterns, *args, **kwargs):
        bounds = original(instance, patterns, *args, **kwargs)
        if len(patterns) > 4:
            bounds.certified = False
        return bounds

    monkeypatch.setattr(module, "certify_region", refuse_large)
    regions = optimal_regions(BIAS)
    assert regions.bracketed and not regions.certified and regions.open and "bracketed" in regions.reason
    for sampler, reference in exact.items():
        result = curve(BIAS, sampler, max_width=8, regions=regions)
        assert result.outcome == "bracket" and not result.certified and len(result.points) == 8
        for pt, ref in zip(result.points, reference.points):
            assert pt.lower <= ref.lower and ref.upper <= pt.upper and pt.lower <= pt.upper
        assert any(pt.lower < pt.upper for pt in result.points)
        for key, value in result.thresholds.items():
            true = reference.thresholds[key]
            true = (true, true) if isinstance(true, int) else true
            assert value is None or value[0] <= true[0] and true[1] <= value[1]
    doc = curve(BIAS, max_width=8, regions=regions).document
    assert checker.check(doc).proved and checker.check(doc).facts["bracket"] == 8
    without = json.loads(json.dumps(doc))
    del without["witnesses"]["open"]
    assert not checker.check(without).proved
    stated = json.loads(json.dumps(doc))
    stated["claim"]["curve"] = [{"width": 1, "p": "0"}]
    with pytest.raises(CertificateMalformed, match="only bracketed"):
        checker.check(stated)
    wrong = json.loads(json.dumps(doc))
    wrong["claim"]["bracket"][-1]["low"] = "1/3"
    assert not checker.check(wrong).proved
    path = tmp_path / "bias.json"
    path.write_text(json.dumps({"X": [[-2], [0], [1]], "y": [-1, -3, 0], "lambda": "1/20"}))
    out = CliRunner().invoke(main, ["curve", str(path), "--bias", "--json", "--max-width", "3"])
    payload = json.loads(out.output)
    assert out.exit_code == 3 and payload["outcome"] == "bracket" and payload["open_maximal_sets"]
    assert [len(row["p_opt"]) for row in payload["curve"]] == [2, 2, 2]


def test_census_classes_agree_set_by_set_with_the_up_set():
    """The census's own certified classification of a set (upper C(S) against lower L*_m) says
    `contains-global-min` exactly for the sets that contain a minimal optimal support (width 6 >= m*)."""
    import random

    from verifier.census import classify_region
    from verifier.landscape import Context

    regions = optimal_regions(BIAS)
    context = Context(BIAS, 6)
    rng = random.Random(3)
    chosen = [frozenset(rng.sample(regions.patterns, rng.randint(1, 6))) for _ in range(14)]
    chosen += [T | {rng.choice(regions.patterns)} for T in regions.supports[:2]]
    for S in chosen:
        kind, _ = classify_region(context, sorted(S), local_minima=False)
        assert (kind == "contains-global-min") == any(T <= S for T in regions.supports), (kind, S)
