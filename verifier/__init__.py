"""Exact certificates for the weight-decay loss landscape of two-layer ReLU networks.

The main objects and functions, imported on first use (``import verifier`` stays fast and loads no solver)::

    import verifier
    instance = verifier.Instance.from_arrays(X, y, lam)
    verifier.classify(instance, (a, W)).verdict      # an Outcome
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("verifier")
except PackageNotFoundError:   # running from a source tree that is not installed
    __version__ = "0+unknown"

_EXPORTS = {
    "Instance": "instance", "Network": "network", "Outcome": "verdicts", "FLOAT_RULE": "numbers",
    "parse_rational": "numbers",
    "chambers": "api", "solve": "api", "classify": "api", "classify_near": "api", "certify": "api", "take_census": "api",
    "curve": "api",
    "train": "api", "check": "api", "read_network": "api",
    "Arrangement": "arrangement", "Bounds": "optimum", "Classification": "landscape",
    "Census": "census", "Trajectory": "network", "NetworkFile": "models",
    "VerifierError": "errors", "InputError": "errors", "CertificateMalformed": "errors",
    "CertificateInvalid": "errors", "SolverFailure": "errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
