"""THE trusted checker: verifies a certificate with exact rational arithmetic alone.

It re-derives every claim from the instance embedded in the certificate and the rational witnesses.
It imports only `numbers`, `instance`, `lattice` and `errors` (no solver, no numpy, no floats).

Result: `proved` (exit 0), `refuted` (exit 1, with the failing witness named); a document without
the documented shape raises CertificateMalformed (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from operator import mul
from typing import Callable

from .errors import CertificateMalformed, InputError
from .instance import Instance
from .lattice import hyperplanes, region_count

__all__ = ["Verdict", "check", "CLAIMS"]

FORMAT = "verifier-certificate/1"


@dataclass
class Verdict:
    claim: str
    proved: bool
    failures: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        return 0 if self.proved else 1


class _Refuted(Exception):
    """A witness fails; the message names it."""


def check(document: object) -> Verdict:
    """Verify a certificate document (parsed JSON)."""
    if not isinstance(document, dict):
        raise CertificateMalformed("certificate: must be a JSON object")
    if document.get("format") != FORMAT:
        raise CertificateMalformed(f"format: expected {FORMAT!r}, got {document.get('format')!r}")
    for key in ("instance", "claim", "witnesses"):
        if not isinstance(document.get(key), dict):
            raise CertificateMalformed(f"{key}: missing or not an object")
    try:
        instance = Instance.from_dict(document["instance"])
    except InputError as exc:
        raise CertificateMalformed(f"instance.{exc}") from None
    claim = document["claim"]
    kind = claim.get("type")
    if kind not in CLAIMS:
        raise CertificateMalformed(f"claim.type: unknown claim {kind!r} (known: {', '.join(CLAIMS)})")
    verdict = Verdict(kind, proved=False)
    try:
        verdict.facts = CLAIMS[kind](instance, claim, document["witnesses"])
        verdict.proved = True
    except _Refuted as exc:
        verdict.failures.append(str(exc))
    return verdict


# --- reading witnesses -----------------------------------------------------------------------------

def _get(obj: dict, key: str, where: str):
    if key not in obj:
        raise CertificateMalformed(f"{where}.{key}: missing")
    return obj[key]


def _integer(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise CertificateMalformed(f"{where}: expected an integer string, got {value!r}")
    try:
        return int(value)
    except ValueError:
        raise CertificateMalformed(f"{where}: {value!r} is not an integer") from None


def _list(value: object, where: str, length: int | None = None) -> list:
    if not isinstance(value, list):
        raise CertificateMalformed(f"{where}: expected a list")
    if length is not None and len(value) != length:
        raise CertificateMalformed(f"{where}: expected {length} entries, got {len(value)}")
    return value


# --- claims ----------------------------------------------------------------------------------------

def _check_enumeration(instance: Instance, claim: dict, witnesses: dict) -> dict:
    """Every listed sign vector is a chamber (its integer witness w has sign(X w) equal to it, zero
    rows excepted), they are pairwise distinct, and their number equals the Zaslavsky count."""
    normals, row_map = hyperplanes(instance.X)
    signs = _list(_get(witnesses, "signs", "witnesses"), "witnesses.signs")
    points = _list(_get(witnesses, "points", "witnesses"), "witnesses.points", len(signs))
    declared = _integer(_get(claim, "chambers", "claim"), "claim.chambers")
    for c, (pattern, point) in enumerate(zip(signs, points)):
        if not isinstance(pattern, str) or len(pattern) != instance.n or set(pattern) - set("+-0"):
            raise CertificateMalformed(f"witnesses.signs[{c}]: expected {instance.n} characters from '+-0'")
        w = [_integer(x, f"witnesses.points[{c}]") for x in _list(point, f"witnesses.points[{c}]", instance.d)]
        side = [sum(map(mul, normal, w)) for normal in normals]
        for i, entry in enumerate(row_map):
            if entry is None:
                ok = pattern[i] == "0"
            else:
                h, orientation = entry
                value = orientation * side[h]
                ok = (value > 0 and pattern[i] == "+") or (value < 0 and pattern[i] == "-")
            if not ok:
                raise _Refuted(f"chamber {c}: witness gives the wrong sign (or zero) on row {i}")
    if len(set(signs)) != len(signs):
        raise _Refuted("two listed chambers have the same sign vector")
    count = region_count(normals)
    if declared != count or len(signs) != count:
        raise _Refuted(f"{len(signs)} chambers listed, {declared} claimed, Zaslavsky count is {count}")
    return {"chambers": count}


CLAIMS: dict[str, Callable[[Instance, dict, dict], dict]] = {
    "enumeration-complete": _check_enumeration,
}

