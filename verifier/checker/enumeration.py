"""Claim `enumeration-complete`: the listed sign vectors are exactly the chambers of the arrangement (docs §2)."""

from __future__ import annotations

from .core import Certificate, ChamberTable, Reason, Refuted, get, integer

__all__ = ["check_enumeration"]


def check_enumeration(cert: Certificate) -> dict:
    """Every listed sign vector is a chamber (its integer witness w has sign(X w) equal to it, zero rows
    excepted), they are pairwise distinct, and their number equals the Zaslavsky count P = |chi(-1)|."""
    declared = integer(get(cert.claim, "chambers", "claim"), "claim.chambers")
    table = ChamberTable(cert.instance, cert.witnesses, "witnesses")
    if declared != len(table.labels):
        raise Refuted(Reason.COUNT, f"{len(table.labels)} chambers listed, {declared} claimed")
    return {"chambers": table.require_complete()}
