"""Every shipped counterexample: its certificate is accepted by the checker and is about the shipped instance."""

import json
from pathlib import Path

import pytest

from verifier import checker
from verifier.instance import Instance

FOLDER = Path(__file__).parent.parent / "data" / "counterexamples"
PAIRS = sorted(FOLDER.glob("*.cert.json"))
REQUIRED = {(1, 1), (2, 1), (2, 2), (2, 3), (3, 2)}


@pytest.mark.parametrize("certificate", PAIRS, ids=[p.stem for p in PAIRS])
def test_shipped_certificate_is_accepted_and_matches_its_instance(certificate):
    document = json.loads(certificate.read_text())
    verdict = checker.check(document)
    assert verdict.proved, verdict.failures
    assert document["claim"]["type"] == "region-local-minimum" and document["claim"]["spurious"] is True
    instance = Instance.load(certificate.with_name(certificate.name.replace(".cert.json", ".json")))
    certified = Instance.from_dict(document["instance"])
    assert (instance.X, instance.y, instance.lam) == (certified.X, certified.y, certified.lam)
    assert instance.width == document["claim"]["width"]


def test_every_required_shape_is_shipped():
    shapes = {(Instance.load(p.with_name(p.name.replace(".cert.json", ".json"))).d,
               json.loads(p.read_text())["claim"]["width"]) for p in PAIRS}
    assert REQUIRED <= shapes, f"missing {sorted(REQUIRED - shapes)}"
