"""The solver side's claim registry (`verifier.claims`) mirrors the checker's (`checker.CLAIMS`): the same claim
types, each with a producer that exists and writes that type, a lemma in proofs/, and corpus certificates that the
checker proves (correct) and refutes (incorrect), and a fuzz oracle (tests/test_checker_fuzz.py)."""

import ast
import inspect
import json
from pathlib import Path

import pytest

from verifier import checker, claims
from verifier.checker.claim_types import ClaimType

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "tests" / "certificates"


def _corpus_types(kind: str) -> set[str]:
    types = set()
    for path in (CORPUS / kind).glob("*.json"):
        claim = json.loads(path.read_text()).get("claim")
        if isinstance(claim, dict) and isinstance(claim.get("type"), str):
            types.add(claim["type"])
    return types


def test_the_two_registries_list_the_same_claim_types():
    assert list(claims.CLAIMS) == list(checker.CLAIMS) == list(ClaimType)
    assert all(entry.type is key for key, entry in claims.CLAIMS.items())


def test_the_shared_constants_are_the_strings_certificates_carry():
    assert json.dumps({"type": ClaimType.ENUMERATION}) == '{"type": "enumeration-complete"}'
    assert "bounds" in checker.CLAIMS and ClaimType("every-width") is ClaimType.EVERY_WIDTH


@pytest.mark.parametrize("claim", list(claims.CLAIMS.values()), ids=[str(t) for t in claims.CLAIMS])
def test_every_claim_has_its_producer_lemma_and_corpus(claim):
    producer = claim.function()
    assert callable(producer)
    module = inspect.getsource(inspect.getmodule(producer))
    assert f"ClaimType.{claim.type.name}" in module, claim.producer
    assert (ROOT / "proofs" / claim.lemma).is_file()
    assert claim.type.value in _corpus_types("correct")
    assert claim.type.value in _corpus_types("incorrect")


def _claim_type_literals(tree: ast.AST) -> list[str]:
    """Claim types written as string literals: the value of a dict's "type" key, or the first argument of a
    `.claim(...)` call (landscape.FaceProgram.claim), spelled as a string instead of a `ClaimType` constant."""
    values = {t.value for t in ClaimType}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            found += [v.value for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "type"
                      and isinstance(v, ast.Constant) and v.value in values]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "claim":
            found += [a.value for a in node.args[:1] if isinstance(a, ast.Constant) and a.value in values]
    return found


def test_producers_write_claim_types_through_the_shared_constants():
    """No solver-side module writes a claim type as a string literal (a new producer cannot drift from the checker's
    spelling); the detector itself finds both spellings it looks for."""
    assert _claim_type_literals(ast.parse('d = {"type": "saddle"}; program.claim("not-stationary", 2)')) == \
        ["saddle", "not-stationary"]
    for path in (ROOT / "verifier").rglob("*.py"):
        if "checker" not in path.relative_to(ROOT / "verifier").parts:
            assert not _claim_type_literals(ast.parse(path.read_text())), path


def test_the_checker_does_not_import_the_registry():
    """The constants live in the checker and point up only by name: no checker module imports `verifier.claims`."""
    for path in (ROOT / "verifier" / "checker").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [f"{'.' * node.level}{node.module or ''}"] + [f"{'.' * node.level}{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(name in ("..claims", "verifier.claims") for name in names), path


def test_every_claim_type_has_a_fuzz_oracle():
    from tests.test_checker_fuzz import ORACLES

    assert set(ORACLES) == set(ClaimType)
