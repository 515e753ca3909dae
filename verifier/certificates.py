"""Certificate documents (docs §6): build them from solver-side results; read and write the JSON."""

from __future__ import annotations

from pathlib import Path

from .arrangement import Arrangement
from .checker.claim_types import ClaimType
from .errors import CertificateMalformed
from .files import write_json
from .instance import Instance
from .jsonfile import load_json
from .numbers import format_rational

__all__ = ["FORMAT", "document", "pattern_entry", "rationals", "neuron_entries", "chamber_witnesses",
           "enumeration_certificate",
           "bounds_certificate", "load", "save", "save_pair"]

FORMAT = "verifier-certificate/1"


def document(instance: Instance, claim: dict, witnesses: dict) -> dict:
    return {"format": FORMAT, "instance": instance.to_dict(), "claim": claim, "witnesses": witnesses}


def chamber_witnesses(arrangement: Arrangement, labels=None) -> dict:
    """The chamber table every certificate carries: sign vectors over the data rows with integer witnesses;
    every chamber, or only those named in `labels` (enough for claims that need no completeness)."""
    signs = arrangement.patterns()
    keep = range(len(signs)) if labels is None else sorted({signs.index(label) for label in labels})
    return {"signs": [signs[c] for c in keep],
            "points": [[str(int(x)) for x in arrangement.witnesses[c]] for c in keep]}


def enumeration_certificate(instance: Instance, arrangement: Arrangement) -> dict:
    """Claim `enumeration-complete`: every chamber with its integer witness, and their number."""
    return document(instance, {"type": ClaimType.ENUMERATION, "chambers": len(arrangement)},
                    chamber_witnesses(arrangement))


def pattern_entry(p) -> dict:
    return {"pattern": p.label, "sign": p.s}


def rationals(values) -> list[str]:
    return [format_rational(x) for x in values]


def neuron_entries(neurons, digits: int) -> list[dict]:
    """Primal witnesses: pattern, sign, u and a rational norm bound q >= ||u||."""
    from .polish import norm_bound   # imported here so that reading certificates (verifier check) never loads cvxpy

    return [dict(pattern_entry(nr.pattern), u=rationals(nr.u), norm_bound=format_rational(norm_bound(nr.u, digits)))
            for nr in neurons]


def bounds_certificate(instance: Instance, quantity: str, neurons, duals, digits: int, *, patterns=None,
                       arrangement: Arrangement, width: int | None = None) -> dict:
    """Claim `bounds` on C(S) (give `patterns`), C* or L*_m (and `width` for L*_m), with the chamber table of
    `arrangement` (the patterns of S only, for C(S)):
    upper from the neurons with norm bounds, lower = the smallest bound among the dual residuals."""
    from .checker import dual_value
    from .polish import network_value

    claim: dict = {"type": ClaimType.BOUNDS, "quantity": quantity}
    witnesses: dict = {
        "primal": neuron_entries(neurons, digits),
        "dual": [{"r": rationals(dual.r),
                  "patterns": [dict(pattern_entry(p), mu=rationals(mu)) for p, mu in sorted(dual.multipliers.items())]}
                 for dual in duals],
    }
    if patterns is not None:
        claim["patterns"] = [pattern_entry(p) for p in patterns]
        witnesses["chambers"] = chamber_witnesses(arrangement, {p.label for p in patterns})
    else:
        witnesses["chambers"] = chamber_witnesses(arrangement)
    if width is not None:
        claim["width"] = width
    claim["lower"] = format_rational(min(dual_value(instance, dual.r) for dual in duals))
    claim["upper"] = format_rational(network_value(instance, neurons, digits))
    return document(instance, claim, witnesses)


def save(path: str | Path, document: dict) -> None:
    write_json(path, document)


def load(path: str | Path) -> dict:
    """Read a certificate file through the one JSON reader (`jsonfile`): malformed input raises
    CertificateMalformed (exit status 2)."""
    return load_json(path, CertificateMalformed)


def save_pair(directory: str | Path, name: str, instance: Instance, document: dict, width: int | None = None,
              description: str = "") -> tuple[Path, Path]:
    """Write `directory/<name>.json` (the instance, named, with `width`) and `directory/<name>.cert.json` (the
    certificate `document`), so that `verifier check <name>.cert.json --instance <name>.json` re-verifies it."""
    named = Instance.from_arrays(instance.X, instance.y, instance.lam, width, name=name, description=description)
    paths = Path(directory) / f"{name}.json", Path(directory) / f"{name}.cert.json"
    write_json(paths[0], named.to_dict())
    write_json(paths[1], document)
    return paths
