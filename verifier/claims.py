"""The solver side's claim registry, mirroring the trusted checker's `checker.CLAIMS`: for every claim type, the
function that writes certificates of that type and the lemma in proofs/ the checker relies on for it.

The two registries are keyed by the same constants (`checker.ClaimType`, defined in the checker, which imports
nothing from here), and a test (tests/test_claims.py) holds them to the same claim types, every producer to an
importable function whose module writes that type through its constant (never as a string literal), every lemma
to a file in proofs/, and every type to entries in the certificate corpus tests/certificates/{correct,incorrect}.

Adding a claim type (docs/contributing.md, "Adding a claim") takes one path: state it in docs/mathematics.md;
prove the lemma in proofs/; add the `ClaimType` constant, a checker module and its `checker.CLAIMS` entry; add
corpus entries (correct, incorrect, malformed) and a fuzz oracle (tests/test_checker_fuzz.py); write the solver
side's producer (it builds the document with `certificates.document(instance, {"type": ClaimType.X, ...}, ...)`)
and its entry here; document it in docs/certificates.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

from .checker.claim_types import ClaimType

__all__ = ["Claim", "CLAIMS", "ClaimType"]


@dataclass(frozen=True)
class Claim:
    """One claim type on the solver side: `producer` ("module:function" under `verifier`) writes its
    certificates; `lemma` (a file in proofs/) states the mathematics its check relies on."""

    type: ClaimType
    producer: str
    lemma: str
    summary: str

    def function(self) -> Callable:
        """The producing function (imported on demand: the registry itself loads no solver)."""
        module, name = self.producer.split(":")
        return getattr(import_module(f"verifier.{module}"), name)


def _registry(*claims: Claim) -> dict[ClaimType, Claim]:
    return {claim.type: claim for claim in claims}


CLAIMS: dict[ClaimType, Claim] = _registry(
    Claim(ClaimType.ENUMERATION, "certificates:enumeration_certificate", "lemma_chambers.py",
          "every chamber of the arrangement, with an integer witness each, and their number"),
    Claim(ClaimType.BOUNDS, "certificates:bounds_certificate", "lemma_weak_duality.py",
          "lower <= C(S), C* or L*_m <= upper: primal neurons and dual-feasible residuals"),
    Claim(ClaimType.NETWORK, "landscape:classify_network", "lemma_balanced_lift.py",
          "the exact verdict on a given network (global, spurious or local minimum, not a local minimum)"),
    Claim(ClaimType.REGION_LOCAL_MINIMUM, "landscape:certify_region_minimum", "lemma_interior_certificate.py",
          "an interior minimizer of a region program: a local minimum (spurious with a separating bound)"),
    Claim(ClaimType.REGION_NO_LOCAL_MINIMUM, "census:_absence", "lemma_no_local_minimum.py",
          "the closure of a region holds no local minimum"),
    Claim(ClaimType.FACE_LOCAL_MINIMUM, "landscape:certify_face_minimum", "lemma_face_certificate.py",
          "a local minimum on a product face (kink multipliers proved on the enclosure ball)"),
    Claim(ClaimType.SADDLE, "endpoints:_saddle", "lemma_saddle.py",
          "a stationary point that is not a local minimum (growing a zero neuron lowers the loss)"),
    Claim(ClaimType.NOT_STATIONARY, "endpoints:_not_stationary", "lemma_saddle.py",
          "a face minimizer that is not stationary (a negative kink multiplier: first-order descent)"),
    Claim(ClaimType.ENDPOINT, "endpoints:classify_endpoint", "lemma_unique_predictions.py",
          "the verdict on the exact point near a gradient-descent endpoint, with its certified distance"),
    Claim(ClaimType.CATALOG, "catalog:build_catalog", "lemma_catalog.py",
          "every local minimum at width m: benign, the spurious ones, or the faces left undecided"),
    Claim(ClaimType.EVERY_WIDTH, "every_width:build_every_width", "lemma_every_width.py",
          "the local minima at every width at once, and the width from which they no longer change"),
    Claim(ClaimType.OPTIMAL_REGIONS, "optimal_regions:optimal_regions", "lemma_optimal_regions.py",
          "the minimal optimal supports and maximal non-optimal sets behind p_opt(m)"),
)
