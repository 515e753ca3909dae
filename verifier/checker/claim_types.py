"""The claim types a certificate may state (`claim.type`), one constant each, shared by the checker (whose registry
`checker.CLAIMS` is keyed by them) and the solver side that writes the documents (`verifier.claims`). Each value
is the string a certificate carries; a `ClaimType` is a `str`, so it is written to JSON as that string."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ClaimType"]


class ClaimType(StrEnum):
    """What a certificate claims (docs/certificates.md): the section of docs/mathematics.md behind each is named
    in its checker module's docstring and its lemma in proofs/."""

    ENUMERATION = "enumeration-complete"
    BOUNDS = "bounds"
    NETWORK = "network"
    REGION_LOCAL_MINIMUM = "region-local-minimum"
    REGION_NO_LOCAL_MINIMUM = "region-no-local-minimum"
    FACE_LOCAL_MINIMUM = "face-local-minimum"
    SADDLE = "saddle"
    NOT_STATIONARY = "not-stationary"
    ENDPOINT = "endpoint"
    CATALOG = "catalog"
    EVERY_WIDTH = "every-width"
    OPTIMAL_REGIONS = "optimal-regions"
