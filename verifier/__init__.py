"""Exact certificates for the weight-decay loss landscape of two-layer ReLU networks.

The main objects and functions, imported on first use (``import verifier`` stays fast and loads no solver)::

    import verifier
    instance = verifier.Instance.from_arrays(X, y, lam)
    verifier.classify(instance, (a, W)).verdict      # an Outcome

``dir(verifier)`` lists exactly ``verifier.__all__`` (and the submodules imported so far).

The package in layers, each importing only from those below (docs/contributing.md has the module map): exact
foundations (`numbers`, `instance`, `lattice`, `errors`, `jsonfile`); the trusted checker (`checker`, exact
rationals only, importing nothing else); shared records and mechanisms (`vocabulary`, `verdicts`, `journal`,
`neurons`, `statistics`, `bundles`, `display`); the solver side, which finds answers with floats and cvxpy and
writes certificates (`arrangement` ... `catalog`, `census`, `curves`), with `claims` mirroring the checker's
registry `checker.CLAIMS`; and the front ends (`api`, `cli`, `checking`, `reproduce`, `plots`). A new claim type
follows one path: its lemma in proofs/, a checker module with its `ClaimType` and `checker.CLAIMS` entry, corpus
entries and a fuzz oracle, then its producer and `claims.CLAIMS` entry (docs/contributing.md, "Adding a claim").
"""


def _exports():
    """name -> submodule of every public name, and the module's lazy ``__getattr__`` and ``__dir__`` (PEP 562)."""
    from importlib import import_module
    from importlib.metadata import PackageNotFoundError, version

    exports = {
        "Instance": "instance", "Network": "network", "Outcome": "verdicts", "FLOAT_RULE": "numbers",
        "parse_rational": "numbers",
        "chambers": "api", "solve": "api", "classify": "api", "classify_near": "api", "certify": "api",
        "take_census": "api", "train": "api", "check": "api", "read_network": "api", "save_counterexample": "api",
        "certify_every_width": "api", "EveryWidth": "every_width", "curve": "api", "spurious_curve": "api",
        "Catalog": "results", "Census": "results", "TRAIN_STEPS": "network",
        "Arrangement": "views", "Bounds": "optimum", "Classification": "landscape",
        "Trajectory": "views", "NetworkFile": "models", "Verdict": "checker",
        "VerifierError": "errors", "InputError": "errors", "CertificateMalformed": "errors",
        "CertificateInvalid": "errors", "SolverFailure": "errors",
    }
    try:
        installed = version("verifier")
    except PackageNotFoundError:   # running from a source tree that is not installed
        installed = "0+unknown"
    public = sorted(exports) + ["__version__"]
    namespace = globals()

    def __getattr__(name: str):
        if name in exports:
            value = getattr(import_module(f".{exports[name]}", __name__), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module 'verifier' has no attribute {name!r}")

    def __dir__():
        submodules = {key for key, value in namespace.items()
                      if getattr(value, "__name__", None) == f"{__name__}.{key}"}
        return sorted(set(public) | submodules | {key for key in namespace if key.startswith("__")})

    return installed, public, __getattr__, __dir__


__version__, __all__, __getattr__, __dir__ = _exports()
del _exports
