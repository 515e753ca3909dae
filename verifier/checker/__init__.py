"""THE trusted checker: verifies a certificate with exact rational arithmetic alone (docs §6).

It re-derives every claim from the instance embedded in the certificate and the rational witnesses. The package
imports only `numbers`, `instance`, `lattice`, `errors` and `jsonfile` from the rest of `verifier` (no solver,
no numpy, no floats). `core` holds the exact formulas and the shared readers; each claim has its own module;
`strictness` decides whether a catalog entry's local minimum is strict. `CLAIMS` maps each `ClaimType` to its
check; the solver side mirrors it in `verifier.claims` (one producer per type), and a new claim type follows the
path of docs/contributing.md ("Adding a claim"): its lemma in proofs/, its module here and its `CLAIMS` entry,
corpus entries, a fuzz oracle, then its producer and `claims.CLAIMS` entry.

Result: `proved` (exit 0) or `refuted` (exit 1, with the failing witness named and a typed `Reason`); a
document without the documented shape, or one whose checking would exceed a documented work limit, raises
CertificateMalformed (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..errors import CertificateMalformed, InputError
from ..instance import Instance
from ..numbers import format_rational
from .absence import check_region_absence
from .bounds import check_bounds
from .catalog import check_catalog
from .claim_types import ClaimType
from .core import (Certificate, Reason, Refuted, common_denominator, cone_excess, dual_value, escaping_set, obj,
                   prediction, primal_value)
from .endpoint import check_endpoint
from .enumeration import check_enumeration
from .every_width import check_every_width
from .face import check_face_minimum
from .network import check_network
from .optimal_regions import check_optimal_regions
from .region import check_region_minimum
from .saddle import check_not_stationary, check_saddle

__all__ = [
    "Verdict", "check", "instance_of", "about", "CLAIMS", "ClaimType", "FORMAT", "Reason",
    "prediction", "primal_value", "dual_value", "cone_excess", "escaping_set",
]

FORMAT = "verifier-certificate/1"

CLAIMS: dict[ClaimType, Callable[[Certificate], dict]] = {   # one entry per claim type; mirrored by verifier.claims
    ClaimType.ENUMERATION: check_enumeration,
    ClaimType.BOUNDS: check_bounds,
    ClaimType.NETWORK: check_network,
    ClaimType.REGION_LOCAL_MINIMUM: check_region_minimum,
    ClaimType.REGION_NO_LOCAL_MINIMUM: check_region_absence,
    ClaimType.FACE_LOCAL_MINIMUM: check_face_minimum,
    ClaimType.SADDLE: check_saddle,
    ClaimType.NOT_STATIONARY: check_not_stationary,
    ClaimType.ENDPOINT: check_endpoint,
    ClaimType.CATALOG: check_catalog,
    ClaimType.EVERY_WIDTH: check_every_width,
    ClaimType.OPTIMAL_REGIONS: check_optimal_regions,
}


@dataclass
class Verdict:
    """What the checker decided. `instance` states what the certificate is about (digest, n, d, lambda);
    `facts` what was proved (quantity, S, bounds, width, verdict ...); `reasons` type the failures."""

    claim: str
    proved: bool
    failures: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    instance: dict = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        return 0 if self.proved else 1

    def to_dict(self) -> dict:
        return {"claim": self.claim, "proved": self.proved, "instance": self.instance, "facts": self.facts,
                "failures": self.failures, "reasons": [r.value for r in self.reasons]}


_UNEXPECTED = (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, RecursionError)


def instance_of(document: object) -> Instance:
    """The instance a certificate document is about, read as `check` reads it (CertificateMalformed if the
    document or its instance lacks the documented shape); nothing of the claim is checked."""
    document = obj(document, "certificate")
    if document.get("format") != FORMAT:
        raise CertificateMalformed(f"format: expected {FORMAT!r}")
    for key in ("instance", "claim", "witnesses"):
        if not isinstance(document.get(key), dict):
            raise CertificateMalformed(f"{key}: missing or not an object")
    try:
        instance = Instance.from_dict(document["instance"])
    except InputError as exc:
        raise CertificateMalformed(f"instance.{exc}") from None
    common_denominator((x for row in instance.X for x in row), "instance.X")
    common_denominator(instance.y, "instance.y")
    return instance


def about(instance: Instance) -> dict:
    """What a verdict says its instance is: sha256 digest, n, d and lambda (exact)."""
    return {"digest": instance.digest(), "n": instance.n, "d": instance.d, "lambda": format_rational(instance.lam)}


def check(document: object) -> Verdict:
    """Verify a certificate document (parsed JSON, e.g. by `jsonfile.load_json`)."""
    instance = instance_of(document)
    claim = document["claim"]
    kind = claim.get("type")
    if not isinstance(kind, str) or kind not in CLAIMS:
        raise CertificateMalformed(f"claim.type: expected one of {', '.join(CLAIMS)}")
    verdict = Verdict(kind, proved=False, instance=about(instance))
    try:
        verdict.facts = CLAIMS[kind](Certificate(instance, claim, document["witnesses"]))
        verdict.proved = True
    except Refuted as exc:
        verdict.failures.append(str(exc))
        verdict.reasons.append(exc.reason)
    except _UNEXPECTED as exc:   # never a traceback, never "proved": a shape no reader anticipated
        raise CertificateMalformed(f"claim: could not be read ({type(exc).__name__})") from None
    return verdict
