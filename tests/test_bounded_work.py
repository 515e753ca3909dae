"""Bounded work on bad or huge input (issue 21, items 8-10): every loop of the checker is bounded by the data
before it runs, hostile certificates are refused with a typed reason, and a huge instance is refused with one
line before any work. Times are not asserted here (they are in `verifier bench`); what is asserted is the outcome."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier import checker
from verifier.checker import catalog, core
from verifier.cli import main
from verifier.errors import CertificateTooLarge

CORPUS = Path(__file__).parent / "certificates"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def load(kind: str, name: str) -> dict:
    return json.loads((CORPUS / kind / f"{name}.json").read_text())


# --- item 8: a width of 10^24 ---------------------------------------------------------------------------

def test_a_catalog_of_width_ten_to_the_24_on_zero_data_is_refuted_at_once():
    """sum(comb(2P, k) for k in range(1, m + 1)) looped 10^24 times: the count of region sets now stops at
    min(m, 2P) terms, or as soon as it passes the number of sets listed."""
    document = load("incorrect", "catalog-width-10-to-the-24-on-zero-data")
    assert len(json.dumps(document)) < 600
    verdict = checker.check(document)
    assert not verdict.proved and verdict.reasons == [core.Reason.COVER]
    result = run("check", CORPUS / "incorrect" / "catalog-width-10-to-the-24-on-zero-data.json", "--json")
    assert result.exit_code == 1 and json.loads(result.output)["reasons"] == ["not-covered"]


def test_a_huge_width_on_a_real_catalog_is_refused_before_any_work():
    document = load("correct", "catalog-benign-three-points-width-1")
    document["claim"]["width"] = "1" + "0" * 24
    with pytest.raises(CertificateTooLarge, match="product faces"):
        checker.check(document)


@pytest.mark.parametrize("width", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("size", [0, 1, 2, 6, 9])
def test_sets_of_at_most_m_agree_with_the_binomial_sum(size, width):
    from math import comb

    exact = sum(comb(size, k) for k in range(1, width + 1))
    assert catalog.sets_of_at_most(size, width, 10**9) == exact
    assert catalog.sets_of_at_most(size, width, exact) == exact
    if exact:
        assert catalog.sets_of_at_most(size, width, exact - 1) > exact - 1


def test_every_claim_with_a_width_settles_a_width_of_ten_to_the_24():
    """Every correct corpus certificate whose claim states a width, given a width of 10^24, is settled at once:
    catalogs are refused (too many product faces), networks are malformed (the width is their neuron count), and
    only claims that hold at every larger width stay proved (a zero neuron that grows; a negative kink multiplier,
    which padding with zero neurons keeps; no local minimum in a region whose better network has fewer neurons)."""
    huge = "1" + "0" * 24
    outcomes = {}
    for path in sorted((CORPUS / "correct").glob("*.json")):
        document = json.loads(path.read_text())
        if "width" not in document["claim"]:
            continue
        document["claim"]["width"] = huge
        kind = document["claim"]["type"]
        try:
            verdict = checker.check(document)
            outcome = "proved" if verdict.proved else verdict.reasons[0].value
        except CertificateTooLarge:
            outcome = "too-large"
        except checker.CertificateMalformed:
            outcome = "malformed"
        if kind == "saddle" and document["witnesses"]["descent"]["kind"] == "grow":
            kind = "saddle-grow"
        outcomes.setdefault(kind, set()).add(outcome)
    assert outcomes == {"bounds": {"not-covered"}, "catalog": {"too-large"}, "face-local-minimum": {"width"},
                        "network": {"malformed"}, "region-local-minimum": {"width"},
                        "saddle-grow": {"proved"}, "region-no-local-minimum": {"proved"}, "not-stationary": {"proved"}}


# --- item 9: unrelated 2000-digit denominators ------------------------------------------------------------

def _residual_certificate(n: int, denominators: int, seed: int = 0) -> dict:
    """A `bounds` claim on C(S) for n points x_i = 1 whose one dual residual r has 2000-digit entries over
    `denominators` unrelated 2000-digit denominators (the common denominator has ~2000 x that many digits)."""
    import random

    rng = random.Random(seed)
    big = lambda: rng.randrange(10**1999, 10**2000)     # noqa: E731
    pool = [big() for _ in range(denominators)]
    label = "+" * n
    return {"format": checker.FORMAT, "instance": {"X": [[1]] * n, "y": [0] * n, "lambda": "1/10"},
            "claim": {"type": "bounds", "quantity": "C(S)", "patterns": [{"pattern": label, "sign": 1}],
                      "lower": "-" + "9" * 2000},
            "witnesses": {"chambers": {"signs": [label], "points": [[1]]},
                          "dual": [{"r": [f"{big()}/{pool[i % denominators]}" for i in range(n)],
                                    "patterns": [{"pattern": label, "sign": 1, "mu": ["0"] * n}]}]}}


def test_a_residual_of_many_unrelated_2000_digit_denominators_is_refused(tmp_path):
    """120 such entries (0.5 MB) took 116 s: the common denominator of a vector is bounded, and the refusal
    names the vector."""
    document = _residual_certificate(12, 12)
    with pytest.raises(CertificateTooLarge, match=r"witnesses\.dual\[0\]\.r: the common denominator"):
        checker.check(document)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    result = run("check", path)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "10000 digits" in result.stderr


def test_a_common_denominator_below_the_limit_is_checked():
    """Four unrelated 2000-digit denominators (8000 digits in common): checked, not refused; the exact sums
    agree with plain Fraction arithmetic."""
    from fractions import Fraction

    document = _residual_certificate(8, 4)
    verdict = checker.check(document)
    assert not verdict.proved and verdict.reasons == [core.Reason.DUAL]   # mu = 0 does not prove the cone
    r = [Fraction(x) for x in document["witnesses"]["dual"][0]["r"]]
    instance = checker.Instance.from_dict(document["instance"])
    assert core.dual_value(instance, r) == (core.dot(r, instance.y) - core.dot(r, r) / 2) / instance.n
    assert core.primal_bound(instance, r, [Fraction(1, 3)]) == core.dot(r, r) / 16 + Fraction(1, 30)


def test_instance_data_with_a_huge_common_denominator_is_refused():
    document = _residual_certificate(12, 1)
    document["instance"]["y"] = [f"{10**1999}/{10**1999 + 2 * k + 1}" for k in range(12)]
    with pytest.raises(CertificateTooLarge, match=r"instance\.y"):
        checker.check(document)



# --- item 10: a huge instance ----------------------------------------------------------------------------

def test_the_instance_reader_refuses_too_many_numbers_before_reading_them(monkeypatch, tmp_path):
    """n (d + 1) is estimated from the shape (from_arrays: no entry is read; load: from the file's commas, before
    parsing) and refused with one line naming the limit, exit 2."""
    from verifier import instance as module
    from verifier.errors import InputError

    monkeypatch.setattr(module, "MAX_NUMBERS", 100)
    rows = [["not a number"]] * 51                  # 102 numbers with y: refused before any entry is parsed
    with pytest.raises(InputError, match="51 rows of 1 numbers: 102 numbers with y, more than the limit of 100"):
        module.Instance.from_arrays(rows, [0] * 51, 1)
    assert module.Instance.from_arrays([[1]] * 50, [0] * 50, 1).n == 50
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"X": [[k, 1] for k in range(40)], "y": [0] * 40, "lambda": 1, "name": ",,,,,,,,"}))
    for command in ("enumerate", "solve"):
        result = run(command, path)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
        assert "about 121 numbers in X and y, more than the limit of 100" in result.stderr
    path.write_text(json.dumps({"X": [[k] for k in range(30)], "y": [0] * 30, "lambda": 1, "name": ",,,,,,,,"}))
    assert run("enumerate", path).exit_code == 0        # 60 numbers; the commas in the name are not counted


def test_chamber_bounds_hold_on_random_arrangements():
    """2^(r-1) (n - r + 2) <= chambers <= 2 sum_{k<r} C(n-1, k), with n distinct hyperplanes of rank r, against
    the certified enumeration (degenerate data: small integers, repeated directions)."""
    import random

    from verifier.arrangement import chamber_bounds, enumerate_chambers

    rng = random.Random(3)
    for _ in range(40):
        d = rng.randint(1, 4)
        X = [[rng.randint(-2, 2) for _ in range(d)] for _ in range(rng.randint(1, 7))]
        arrangement = enumerate_chambers(X)
        least, most = chamber_bounds(len(arrangement.normals), arrangement.rank)
        assert least <= len(arrangement) <= most, (X, least, len(arrangement), most)


def test_an_arrangement_beyond_the_limits_is_refused_with_one_line(monkeypatch, tmp_path):
    from verifier import arrangement

    path = tmp_path / "i.json"
    path.write_text(json.dumps({"X": [[1, k, k * k] for k in range(12)], "y": [0] * 12, "lambda": 1}))
    monkeypatch.setattr(arrangement, "MAX_SIGNS", 12 * 100)     # at least 2^2 x 11 = 44 chambers: within
    monkeypatch.setattr(arrangement, "MAX_FLATS", 30)           # but the lattice has more than 30 flats
    result = run("enumerate", path)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "12 distinct hyperplanes and more than 30 chambers" in result.stderr
    monkeypatch.setattr(arrangement, "MAX_SIGNS", 12 * 40)      # fewer than the 44 it must have: refused at once
    assert "at least 44 chambers" in run("enumerate", path).stderr
    monkeypatch.setattr(arrangement, "MAX_SIGNS", 10**9)
    monkeypatch.setattr(arrangement, "MAX_FLATS", 10**6)
    assert run("enumerate", path).exit_code == 0
