"""The data shipped with the package: `verifier/data/` (a link to the repository's `data/`, stored as files in the
wheel), the instance files `reproduce` and the benchmarks read."""

from __future__ import annotations

from pathlib import Path

from .errors import VerifierError

__all__ = ["data_root"]


def data_root() -> Path:
    """The folder of the shipped instance files: `verifier/data` in an installed package, or `data/` beside the
    package in a checkout without symbolic links; a `VerifierError` when neither holds them."""
    here = Path(__file__).resolve().parent
    for root in (here / "data", here.parent / "data"):
        if root.is_dir() and any(root.iterdir()):
            return root
    raise VerifierError("verifier/data: the instance files shipped with the package are missing from this "
                        "installation (reinstall the package)")
