"""Regression tests for every way the first version could prove or print something false (issue: soundness
first), and for bad input being harmless: one line on stderr, exit status 2, no output file."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier import checker
from verifier.checker import core
from verifier.cli import main
from verifier.errors import CertificateMalformed, CertificateTooLarge
from verifier.instance import Instance

CORPUS = Path(__file__).parent / "certificates"
DATA = Path(__file__).parent.parent / "data"
FORMAT = checker.FORMAT


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write(path: Path, value) -> Path:
    path.write_text(value if isinstance(value, str) else json.dumps(value))
    return path


def one_line_error(result, status=2):
    assert result.exit_code == status, result.output + result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


# --- 1. a pattern must be a chamber of the instance, through one chamber table ------------------------

ZERO_PATTERN = {
    "format": FORMAT, "instance": {"X": [["1"]], "y": ["1"], "lambda": "1/10"},
    "claim": {"type": "bounds", "quantity": "C(S)", "patterns": [{"pattern": "0", "sign": 1}],
              "lower": "1/2", "upper": "1/10"},
    "witnesses": {"primal": [{"pattern": "0", "sign": 1, "u": ["9/10"], "norm_bound": "9/10"}],
                  "dual": [{"r": ["1"], "patterns": [{"pattern": "0", "sign": 1, "mu": ["0"]}]}]},
}


@pytest.mark.parametrize("table", [None, {"signs": ["0"], "points": [["1"]]},
                                   {"signs": ["+", "-"], "points": [["1"], ["-1"]]}])
def test_a_zero_pattern_on_a_non_zero_row_proves_nothing(tmp_path, table):
    """lower 1/2 > upper 1/10 was 'proved' when '0' was read one way by the upper and another by the lower bound."""
    document = json.loads(json.dumps(ZERO_PATTERN))
    if table is not None:
        document["witnesses"]["chambers"] = table
    result = run("check", write(tmp_path / "c.json", document))
    assert result.exit_code in (1, 2) and "proved" not in result.output.split(":")[0]


def test_tied_rows_must_be_consistent(tmp_path):
    """Rows x and 2x share one hyperplane and one sign: '+-' is no chamber, whatever the witness says."""
    document = {"format": FORMAT, "instance": {"X": [[1], [2]], "y": [1, 1], "lambda": "1/10"},
                "claim": {"type": "bounds", "quantity": "C(S)", "patterns": [{"pattern": "+-", "sign": 1}],
                          "upper": "100"},
                "witnesses": {"primal": [{"pattern": "+-", "sign": 1, "u": ["0"], "norm_bound": "0"}],
                              "chambers": {"signs": ["+-"], "points": [["1"]]}}}
    verdict = checker.check(document)
    assert not verdict.proved and verdict.reasons == [core.Reason.WITNESS]


# --- 2. the width of a network claim is its number of neurons --------------------------------------------

def test_classify_at_a_larger_width_is_about_the_padded_network(tmp_path):
    instance = write(tmp_path / "i.json", {"X": [[-1], [1]], "y": [1, 1], "lambda": "3/8"})
    net = write(tmp_path / "n.json", {"a": ["1/2"], "W": [["1/2"]]})
    cert = tmp_path / "c.json"
    result = run("classify", instance, net, "--width", "2", "--json", "--certificate", cert)
    point = json.loads(result.output)["point"]
    assert point["verdict"] == "not-a-local-minimum" and point["certified"]   # the zero neuron can grow
    document = json.loads(cert.read_text())
    assert len(document["claim"]["network"]["a"]) == 2 and run("check", cert).exit_code == 0


def test_a_width_that_differs_from_the_network_is_malformed(tmp_path):
    document = json.loads((CORPUS / "correct" / "network-spurious-1d.json").read_text())
    document["claim"]["width"] = 2
    one_line_error(run("check", write(tmp_path / "c.json", document)))
    document["claim"]["network"] = {"a": [], "W": []}
    document["claim"]["width"] = 1
    one_line_error(run("check", write(tmp_path / "c.json", document)))


# --- 3. classify reports on the point it was given ------------------------------------------------------

def test_an_exact_unbalanced_network_is_not_a_local_minimum(tmp_path):
    instance = write(tmp_path / "i.json", {"X": [[-1], [1]], "y": [1, 1], "lambda": "3/8"})
    net = write(tmp_path / "n.json", {"a": [50, 50], "W": [["1/200"], ["-1/200"]]})
    cert = tmp_path / "c.json"
    result = run("classify", instance, net, "--json", "--certificate", cert)
    assert result.exit_code == 0
    point = json.loads(result.output)["point"]
    assert point["verdict"] == "not-a-local-minimum" and point["certified"]
    document = json.loads(cert.read_text())
    assert document["claim"]["verdict"] == "not-a-local-minimum"
    assert document["claim"]["network"]["a"] == ["50", "50"]
    assert run("check", cert).exit_code == 0


# --- 4. checkpoints are bound to the instance and the settings ------------------------------------------

def test_census_never_reuses_another_instances_checkpoint(tmp_path):
    data = json.loads((DATA / "paper" / "orthogonal-3.json").read_text())
    negated = write(tmp_path / "negated.json", dict(data, y=[-v for v in data["y"]]))
    out = tmp_path / "out"
    first = run("census", DATA / "paper" / "orthogonal-3.json", "--width", "2", "--json", "--out", out)
    second = run("census", negated, "--width", "2", "--json", "--out", out)
    fresh = run("census", negated, "--width", "2", "--json")
    assert first.exit_code == second.exit_code == fresh.exit_code == 0
    a, b, c = (json.loads(r.output) for r in (first, second, fresh))
    assert b["p_contains_global"] == c["p_contains_global"] and b["instance_digest"] == c["instance_digest"]
    assert a["instance_digest"] != b["instance_digest"]
    again = json.loads(run("census", negated, "--width", "2", "--json", "--out", out).output)
    assert again["resumed"] > 0 and again["p_contains_global"] == c["p_contains_global"]


def test_a_checkpoint_with_a_foreign_header_is_refused(tmp_path):
    out = tmp_path / "out"
    run("census", DATA / "paper" / "orthogonal-3.json", "--width", "2", "--out", out)
    checkpoint = next(out.glob("*.checkpoint.jsonl"))
    lines = checkpoint.read_text().splitlines()
    header = json.loads(lines[0])
    checkpoint.write_text("\n".join([json.dumps(dict(header, instance="0" * 64), sort_keys=True)] + lines[1:]) + "\n")
    result = run("census", DATA / "paper" / "orthogonal-3.json", "--width", "2", "--out", out)
    assert result.exit_code == 2 and "another instance" in result.stderr.splitlines()[-1]


# --- what a certificate proves is visible ---------------------------------------------------------------

def test_check_prints_what_was_proved_and_binds_to_an_instance(tmp_path):
    path = CORPUS / "correct" / "bounds-width-1-1d.json"
    payload = json.loads(run("check", path, "--json").output)
    instance = Instance.from_dict(json.loads(path.read_text())["instance"])
    assert payload["instance"]["digest"] == instance.digest() and payload["instance"]["n"] == 2
    assert payload["facts"]["width"] == 1 and payload["facts"]["lower"] == "61/400"
    text = run("check", path).output
    assert instance.digest() in text and "lambda=0.1 (= 1/10)" in text and "lower: 0.1525 (= 61/400)" in text
    same = write(tmp_path / "same.json", dict(instance.to_dict(), name="another name"))
    other = write(tmp_path / "other.json", dict(instance.to_dict(), y=["1", "1"]))
    assert run("check", path, "--instance", same).exit_code == 0
    result = run("check", path, "--instance", other, "--json")
    assert result.exit_code == 1 and json.loads(result.output)["instance_matches"] is False


def test_duplicate_keys_are_rejected_everywhere(tmp_path):
    text = (CORPUS / "correct" / "bounds-width-1-1d.json").read_text().replace('"lambda": ', '"lambda": "1/3", "lambda": ')
    assert "duplicate key 'lambda'" in one_line_error(run("check", write(tmp_path / "c.json", text)))
    instance = write(tmp_path / "i.json", '{"X": [[1]], "y": [1], "lambda": 1, "lambda": 2}')
    one_line_error(run("enumerate", instance))


# --- bad input is harmless ----------------------------------------------------------------------------

def _corrupt(tmp_path, edit):
    document = json.loads((CORPUS / "correct" / "region-spurious-1d.json").read_text())
    edit(document)
    return write(tmp_path / "c.json", document)


MALFORMED = {
    "huge exponent in a multiplier": lambda d: d["witnesses"]["facets"][0]["patterns"][0].__setitem__("mu", ["1e100000000", "0"]),
    "lower -1e5000": lambda d: d["claim"].__setitem__("upper", "-1e5000"),
    "sign 1.0": lambda d: d["claim"]["region"][0].__setitem__("sign", 1.0),
    "claim.type a list": lambda d: d["claim"].__setitem__("type", ["bounds"]),
    "chambers not an object": lambda d: d["witnesses"].__setitem__("chambers", ["+-"]),
    "facet row >= n": lambda d: d["witnesses"]["facets"][0].__setitem__("row", 7),
    "facet row negative": lambda d: d["witnesses"]["facets"][0].__setitem__("row", -1),
    "instance 1e400": lambda d: d["instance"].__setitem__("lambda", "1e400"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_certificates_exit_2_with_one_line(tmp_path, case):
    one_line_error(run("check", _corrupt(tmp_path, MALFORMED[case])))


def test_odd_files_exit_2_with_one_line(tmp_path):
    good = (CORPUS / "correct" / "bounds-width-1-1d.json").read_text()
    cases = {
        "long-integer": good.replace('"width": 1', '"width": ' + "1" * 5000),
        "nested": "[" * 100000 + "]" * 100000,
        "not-utf8": b"\xff\xfe{}",
        "nan": good.replace('"width": 1', '"width": NaN'),
    }
    for name, text in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        one_line_error(run("check", path))
    instance = write(tmp_path / "i.json", '{"X": [[1e400]], "y": [1], "lambda": 1}')
    one_line_error(run("enumerate", instance))
    huge = write(tmp_path / "h.json", '{"X": [["1e100000000"]], "y": [1], "lambda": 1}')
    one_line_error(run("solve", huge))


def test_a_one_chamber_claim_on_a_large_arrangement_is_refuted_quickly(tmp_path):
    """The lattice work is bounded by the number of chambers listed (flats <= chambers)."""
    rng = random.Random(0)
    X = [[rng.randint(-50, 50) for _ in range(7)] for _ in range(40)]
    w = [1, 2, 3, 5, 7, 11, 13]
    signs = "".join("+" if sum(a * b for a, b in zip(row, w)) > 0 else "-" for row in X)
    document = {"format": FORMAT, "instance": {"X": X, "y": [0] * 40, "lambda": 1},
                "claim": {"type": "enumeration-complete", "chambers": 1},
                "witnesses": {"signs": [signs], "points": [[str(v) for v in w]]}}
    verdict = checker.check(document)
    assert not verdict.proved and verdict.reasons == [core.Reason.COUNT]


def test_the_covering_search_is_bounded(monkeypatch, tmp_path):
    rng = random.Random(0)
    complements = [frozenset(rng.sample(range(30), 3)) for _ in range(60)]   # no 8 elements meet all 60 triples
    with pytest.raises(CertificateTooLarge):
        core.escaping_set(complements, 8, [1000])
    monkeypatch.setattr(core, "MAX_COVER_STEPS", 1)
    one_line_error(run("check", CORPUS / "correct" / "bounds-width-2-planar.json"))


def test_certify_with_a_huge_lambda_gives_a_verdict(tmp_path):
    """lambda = 1e9 made the first version abort ("gradient descent diverged"); the catalog needs no descent run:
    every local minimum is the zero network's loss ||y||^2/(2n) = 5/16."""
    instance = write(tmp_path / "i.json", {"X": [[-1], [1]], "y": [1, "1/2"], "lambda": 1000000000})
    result = run("certify", instance, "--width", "1", "--json")
    assert result.exit_code == 0, result.output + result.stderr
    payload = json.loads(result.output)
    assert payload["verdict"] == "benign" and payload["L*_m"] == ["5/16", "5/16"]


def test_training_reports_its_own_divergence(tmp_path):
    instance = write(tmp_path / "i.json", {"X": [[-1], [1]], "y": [1, "1/2"], "lambda": 1000000000})
    result = run("train", instance, "--width", "1", "--steps", "50")
    assert result.exit_code == 2 and result.stderr.splitlines()[-1].startswith("error: --lr: gradient descent diverged")


# --- review of the checker package: printing, numbers of any size, lattice work ------------------------

def test_a_proved_bound_of_2000_digits_is_printed_not_crashed(tmp_path):
    """`check` printed a traceback (float overflow) and exit 1 on a proved 'p/q' bound above 1e308."""
    result = run("check", CORPUS / "correct" / "bounds-upper-2000-digits.json")
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "upper: 3.33333333333e+1998" in result.output


def test_derived_numbers_beyond_pythons_printing_limit_keep_the_verdict():
    """A derived value with more than 4300 digits made str() raise inside the claim: a true certificate was
    called malformed (exit 2), a refuted one too. Facts and messages now print such numbers approximately."""
    document = json.loads((CORPUS / "correct" / "network-spurious-derived-bound-many-digits.json").read_text())
    verdict = checker.check(document)
    assert verdict.proved and verdict.facts["width_upper"].startswith("~2.03125")
    document["witnesses"]["width_upper"][0]["norm_bound"] = "2"       # bound 19/64 + ... > 19/64: refuted
    verdict = checker.check(document)
    assert not verdict.proved and verdict.reasons == [core.Reason.SEPARATION]
    q = Fraction(10**5000 + 1, 3)
    assert core.exact_text(q).startswith("~3.33333") and core.exact_text(Fraction(1, 3)) == "1/3"


def test_instance_numbers_that_make_lattice_work_explode_are_refused():
    """Rationals with 300-digit parts give integer normals of ~1800 digits: elimination on their minors took
    minutes for a 20 x 6 instance (a 0.5 MB certificate). Refused before any lattice work, exit 2."""
    path = CORPUS / "malformed" / "instance-normals-too-many-digits.json"
    with pytest.raises(CertificateTooLarge, match="primitive integer normal|instance.X: the common denominator"):
        checker.check(json.loads(path.read_text()))
    one_line_error(run("check", path))
    row = [1, "1/" + "1" + "0" * core.MAX_NORMAL_DIGITS]              # normal (10^100, 1): one digit too many
    document = {"format": FORMAT, "instance": {"X": [row], "y": [1], "lambda": 1},
                "claim": {"type": "enumeration-complete", "chambers": 2},
                "witnesses": {"signs": ["+", "-"], "points": [[1, 0], [-1, 0]]}}
    with pytest.raises(CertificateTooLarge):
        checker.check(document)
    row[1] = "1/" + "9" * core.MAX_NORMAL_DIGITS                       # 100 digits: allowed
    assert checker.check(document).proved


def test_fraction_free_pivot_columns_agree_with_gauss_jordan():
    """lattice.pivot_columns (Bareiss, exact divisions) against numbers.rref over random rational matrices with
    dependent rows and zero columns."""
    from verifier.lattice import pivot_columns
    from verifier.numbers import rref

    rng = random.Random(5)
    for _ in range(3000):
        n, d = rng.randint(1, 6), rng.randint(1, 6)
        M = [[Fraction(rng.randint(-3, 3), rng.randint(1, 3)) if rng.random() < 0.7 else Fraction(0)
              for _ in range(d)] for _ in range(n)]
        if n > 2:
            M[-1] = [a - 2 * b for a, b in zip(M[0], M[1])]
        assert pivot_columns(M) == rref(M)[1]


@pytest.mark.parametrize("name", ["region-spurious-1d.json", "face-spurious-planar.json", "saddle-grow-1d.json"])
@pytest.mark.parametrize("value", ["false", "0", 1, None])
def test_the_spurious_flag_is_a_boolean(name, value):
    """`"spurious": "false"` was truthy: the checker proved and printed 'spurious: True' for a claim a person
    reads as 'not spurious'. Any non-boolean is malformed (core.flag)."""
    document = json.loads((CORPUS / "correct" / name).read_text())
    document["claim"]["spurious"] = value
    with pytest.raises(CertificateMalformed, match="claim.spurious"):
        checker.check(document)
    document["claim"]["spurious"] = False
    verdict = checker.check(document)
    assert verdict.proved and "spurious" not in verdict.facts
