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
    only claims that hold at every larger width stay proved (a zero neuron that grows; no local minimum in a
    region whose better network has fewer neurons)."""
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
                        "network": {"malformed"}, "region-local-minimum": {"width"}, "saddle": {"width"},
                        "saddle-grow": {"proved"}, "region-no-local-minimum": {"proved"}}
