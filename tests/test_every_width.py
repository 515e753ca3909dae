"""The landscape at every width (verifier.every_width, checker claim every-width): the worked example's numbers, agreement
with the per-width catalogs (an independent computation over multisets of faces at one width), a width-k global value
that is spurious above k, the certificate, budgets and the command line."""

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from verifier import checker
from verifier.catalog import Settings, build_catalog
from verifier.cli import main
from verifier.every_width import build_every_width
from verifier.instance import Instance

ONE_D = Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8")
CASES = {   # small instances: n <= 3, so the per-width catalogs up to m = n stay cheap
    "1-D": ONE_D,
    "planar n=3": Instance.from_arrays([[2, 1], [-1, 3], [1, -2]], [1, -1, 2], "1/50"),
    "planar n=2, bias (d=3)": Instance.from_arrays([[2, 1], [-1, 3]], [1, -1], "1/20", bias=True),
    "1-D n=3, bias": Instance.from_arrays([[-3], [-2], [1]], [2, "1/5", 1], "1/20", bias=True),
}
_RESULTS: dict = {}


def _every_width(name):
    if name not in _RESULTS:
        _RESULTS[name] = build_every_width(CASES[name])
    return _RESULTS[name]


def _row(result, m):
    return result.by_width[min(m, len(result.by_width)) - 1]


def test_the_worked_example():
    """Width 1: spurious {19/64}, L*_1 = 11/64; every width >= 2: spurious {11/64, 19/64}, L*_m = 5/32."""
    result = _every_width("1-D")
    assert result.certified and result.verdict == "spurious-local-minima" and result.stable_from == 2
    assert [row.lstar for row in result.by_width] == [(Fraction(11, 64),) * 2, (Fraction(5, 32),) * 2]
    assert [[v[0] for v in row.spurious] for row in result.by_width] == [[Fraction(19, 64)],
                                                                          [Fraction(11, 64), Fraction(19, 64)]]
    assert [(c.value[0], c.from_width, c.global_at_from_width) for c in result.classes] == \
        [(Fraction(11, 64), 1, True), (Fraction(19, 64), 1, False)]
    assert result.statement == "for every m >= 2 the spurious values are exactly {11/64, 19/64}"


def test_a_global_value_becomes_spurious_at_a_larger_width():
    """11/64 = L*_1 > C* = L*_2 = 5/32: global at width 1, spurious at every width >= 2."""
    result = _every_width("1-D")
    (cls,) = [c for c in result.classes if c.value[0] == Fraction(11, 64)]
    assert cls.global_at_from_width is True and cls.from_width == 1
    assert cls.value[0] == result.by_width[0].lstar[1] > result.by_width[-1].lstar[1]
    assert cls.value in result.by_width[-1].spurious and cls.value not in result.by_width[0].spurious


def _meets(a, b):
    return a[0] <= b[1] and b[0] <= a[1]


@pytest.mark.parametrize("name", sorted(CASES))
def test_agrees_with_the_per_width_catalogs(name):
    """For every m <= n the spurious values (and L*_m) of --every-width are those of the width-m catalog: each catalog
    entry's value meets one of the row's spurious brackets and each bracket holds some entry's value."""
    result = _every_width(name)
    assert result.certified and result.verdict != "undecided"
    for m in range(1, CASES[name].n + 1):
        catalog = build_catalog(CASES[name], m, Settings(global_certificates=0))
        assert catalog.certified and catalog.verdict != "undecided"
        row = _row(result, m)
        assert _meets(row.lstar, catalog.lstar)
        values = [tuple(Fraction(x) for x in entry["value"]) for entry in catalog.spurious]
        assert all(any(_meets(v, s) for s in row.spurious) for v in values), (m, values, row.spurious)
        assert all(any(_meets(v, s) for v in values) for s in row.spurious), (m, values, row.spurious)


def test_the_certificate_is_the_checkers():
    """The document proves the printed verdict, rows and classes; dropping a record or a region refutes it."""
    result = _every_width("planar n=3")
    facts = checker.check(result.document).facts
    assert facts["verdict"] == result.verdict and facts["stable_from"] == result.stable_from
    assert [[Fraction(x) for x in c["value"]] for c in facts["classes"]] == [list(c.value) for c in result.classes]
    assert [[tuple(Fraction(x) for x in v) for v in r["spurious"]] for r in facts["by_width"]] == \
        [list(r.spurious) for r in result.by_width]
    broken = json.loads(json.dumps(result.document))
    broken["witnesses"]["settled"] = [item for item in broken["witnesses"]["settled"] if item[1][0] != "e"]
    assert not checker.check(broken).proved


def test_a_benign_instance():
    """Tied rows x = 1, 2 with y = (1, 2): one face fits both; benign at every width."""
    result = build_every_width(Instance.from_arrays([[1], [2]], [1, 2], "1/8"))
    assert result.certified and result.verdict == "benign-at-every-width" and result.statement.startswith("benign")


def test_a_budget_that_runs_out_decides_nothing():
    result = build_every_width(CASES["planar n=3"], Settings(budget=1e-9))
    assert result.verdict == "undecided" and not result.certified and result.statement is None
    assert result.document is None


def test_command_line(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"X": [[-1], [1]], "y": [1, "1/2"], "lambda": "1/8"}))
    cert, plot = tmp_path / "c.json", tmp_path / "p.png"
    out = CliRunner().invoke(main, ["certify", str(path), "--every-width", "--json", "--certificate", str(cert),
                                    "--plot", str(plot)])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["verdict"] == "spurious-local-minima" and payload["stable_from"] == 2
    assert [c["value"][0] for c in payload["classes"]] == ["11/64", "19/64"]
    assert [c["from_width"] for c in payload["classes"]] == [1, 1]
    assert [(r["width"], r["L*_m"][0], [v[0] for v in r["spurious"]]) for r in payload["by_width"]] == \
        [(1, "11/64", ["19/64"]), (2, "5/32", ["11/64", "19/64"])]
    assert checker.check(json.loads(cert.read_text())).proved and plot.stat().st_size > 0
    assert CliRunner().invoke(main, ["check", str(cert)]).exit_code == 0
    budget = CliRunner().invoke(main, ["certify", str(path), "--every-width", "--budget", "1e-9"])
    assert budget.exit_code == 3 and "statement" not in budget.output
    checkpoint = tmp_path / "table.jsonl"
    first = CliRunner().invoke(main, ["certify", str(path), "--every-width", "--checkpoint", str(checkpoint)])
    again = CliRunner().invoke(main, ["certify", str(path), "--every-width", "--checkpoint", str(checkpoint), "--json"])
    assert first.exit_code == 0 and again.exit_code == 0 and json.loads(again.output)["stable_from"] == 2
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"X": [[-1], [1]], "y": [1, "1/3"], "lambda": "1/8"}))
    wrong = CliRunner().invoke(main, ["certify", str(other), "--every-width", "--checkpoint", str(checkpoint)])
    assert wrong.exit_code == 2 and "checkpoint" in wrong.stderr
    both = CliRunner().invoke(main, ["certify", str(path), "--every-width", "--width", "2"])
    neither = CliRunner().invoke(main, ["certify", str(path)])
    assert both.exit_code == 2 and neither.exit_code == 2


def test_classes_are_strict_at_their_smallest_width():
    """A minimal realisation has distinct faces and independent contributions, so the checker decides it strict."""
    for name in ("1-D", "planar n=3"):
        result = _every_width(name)
        assert result.classes and all(c.strict_at_from_width == "strict" for c in result.classes)
        facts = checker.check(result.document).facts
        assert all(c["strict_at_from_width"] == "strict" and c["non_strict_above"] for c in facts["classes"])


def test_progress_announces_every_stage_first():
    """`build_every_width` announces each of its `STAGES` (done = 0) before any work, as `build_catalog` does, so the
    command line's one staged bar can open at once; then stages only go forward and end complete."""
    from verifier.every_width import STAGES

    calls = []
    result = build_every_width(ONE_D, progress=lambda stage, done, total: calls.append((stage, done, total)))
    names = [stage.name for stage in STAGES]
    assert result.certified
    assert [(stage, done) for stage, done, _ in calls[:len(STAGES)]] == [(name, 0) for name in names]
    later = [names.index(stage) for stage, _, _ in calls[len(STAGES):]]
    assert later == sorted(later) and set(later) == set(range(len(STAGES)))
    last = {stage: (done, total) for stage, done, total in calls}
    assert all(done == total for done, total in last.values())
    assert last["face sets"][1] == sum(result.counts.values())
