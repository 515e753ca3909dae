"""The checker corpus: correct certificates are proved (exit 0), incorrect ones refuted (exit 1),
malformed ones rejected (exit 2); and mutations of a valid certificate never prove a false claim."""

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from verifier import checker
from verifier.cli import main

CORPUS = Path(__file__).parent / "certificates"
EXPECTED = {"correct": 0, "incorrect": 1, "malformed": 2}
CASES = [(kind, path) for kind in EXPECTED for path in sorted((CORPUS / kind).glob("*.json"))]


def test_corpus_has_every_kind():
    assert {kind for kind, _ in CASES} == set(EXPECTED)


@pytest.mark.parametrize("kind,path", CASES, ids=[f"{k}/{p.stem}" for k, p in CASES])
def test_corpus(kind, path):
    result = CliRunner().invoke(main, ["check", str(path), "--json"] if kind != "malformed" else ["check", str(path)])
    assert result.exit_code == EXPECTED[kind], result.output + result.stderr
    if kind == "incorrect":
        assert json.loads(result.output)["failures"]
    if kind == "malformed":
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_checker_imports_nothing_from_the_solver_side():
    """Importing and running the checker loads no solver, no numpy and no solver-side module of verifier."""
    import subprocess
    import sys

    script = (
        "import sys, json; from verifier import checker; from verifier.jsonfile import load_json as load\n"
        f"checker.check(load({str(CORPUS / 'correct' / 'face-local-planar.json')!r}))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('verifier', 'numpy', 'cvxpy', 'scipy', "
        "'mpmath', 'sympy', 'flint')))))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                       check=True).stdout)
    trusted = {"verifier", "verifier.checker", "verifier.errors", "verifier.instance", "verifier.lattice",
               "verifier.numbers", "verifier.jsonfile"}
    extra = {m for m in loaded if not m.startswith("verifier.checker")} - trusted
    assert not extra, extra


GOOD = json.loads((CORPUS / "correct" / "enumeration-planar.json").read_text())


@given(st.data())
def test_mutated_enumeration_certificates_are_never_wrongly_proved(data):
    document = copy.deepcopy(GOOD)
    points = document["witnesses"]["points"]
    c = data.draw(st.integers(0, len(points) - 1))
    j = data.draw(st.integers(0, len(points[c]) - 1))
    points[c][j] = str(data.draw(st.integers(-5, 5)))
    if checker.check(document).proved:   # only if still true: the new witness lies in the same chamber
        w = [int(x) for x in points[c]]
        for row, s in zip(document["instance"]["X"], document["witnesses"]["signs"][c]):
            value = sum(Fraction(x) * wi for x, wi in zip(row, w))
            assert s == ("+" if value > 0 else "-" if value < 0 else "0")
