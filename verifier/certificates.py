"""Certificate documents (SPEC §6): build them from solver-side results; read and write the JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from .arrangement import Arrangement
from .errors import CertificateMalformed
from .files import write_json
from .instance import Instance

__all__ = ["FORMAT", "enumeration_certificate", "load", "save"]

FORMAT = "verifier-certificate/1"


def _document(instance: Instance, claim: dict, witnesses: dict) -> dict:
    return {"format": FORMAT, "instance": instance.to_dict(), "claim": claim, "witnesses": witnesses}


def enumeration_certificate(instance: Instance, arrangement: Arrangement) -> dict:
    """Claim `enumeration-complete`: every chamber with its integer witness, and their number."""
    witnesses = {
        "signs": arrangement.patterns(),
        "points": [[str(int(x)) for x in row] for row in arrangement.witnesses],
    }
    return _document(instance, {"type": "enumeration-complete", "chambers": len(arrangement)}, witnesses)


def save(path: str | Path, document: dict) -> None:
    write_json(path, document)


def load(path: str | Path) -> dict:
    """Read a certificate file; JSON decimals are kept exact."""
    try:
        return json.loads(Path(path).read_text(), parse_float=Decimal)
    except OSError as exc:
        raise CertificateMalformed(f"{path}: cannot read file ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise CertificateMalformed(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
