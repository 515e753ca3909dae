"""Benchmarks behind `verifier bench`: each case runs in a fresh process so peak memory is its own."""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

__all__ = ["ENUMERATE_CASES", "SOLVE_CASES", "CATALOG_CASES", "random_integer_data", "bench_enumerate", "bench_solve",
           "bench_catalog"]

ENUMERATE_CASES = [(100, 3), (30, 4), (40, 5), (12, 12)]
SOLVE_CASES = [(12, 3), (30, 2)]


def random_integer_data(n: int, d: int, seed: int = 0, bound: int = 1000) -> list[list[int]]:
    """n x d integers uniform in [-bound, bound] from a fixed seed."""
    return np.random.default_rng(seed).integers(-bound, bound + 1, size=(n, d)).tolist()


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _enumerate_case(n: int, d: int, seed: int) -> dict:
    from .arrangement import enumerate_chambers
    from .lattice import general_position_count

    X = random_integer_data(n, d, seed)
    start = time.perf_counter()
    arrangement = enumerate_chambers(X)
    seconds = time.perf_counter() - start
    return {
        "n": n, "d": d, "chambers": len(arrangement), "lattice_count": arrangement.lattice_count,
        "general_position": general_position_count(len(arrangement.normals), arrangement.rank),
        "seconds": round(seconds, 3), "chambers_per_second": round(len(arrangement) / seconds),
        "peak_mb": round(_peak_mb(), 1),
    }


def bench_enumerate(cases=ENUMERATE_CASES, seed: int = 0, progress=None) -> list[dict]:
    """Enumerate random integer instances (entries -1000..1000, fixed seed), one fresh process each."""
    rows = []
    context = multiprocessing.get_context("spawn")
    for n, d in cases:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            rows.append(pool.submit(_enumerate_case, n, d, seed).result())
        if progress:
            progress(rows[-1])
    return rows


def bench_solve(cases=SOLVE_CASES, digits: int = 20, seed: int = 0) -> list[dict]:
    """C* certified for X and y with integer entries in -1000..1000 and lambda = 10^4 (lambda/(max|X| max|y|)
    about 1/100), timed from the instance to the checked certificate."""
    from .arrangement import enumerate_chambers
    from .instance import Instance
    from .optimum import certify_convex_optimum

    rows = []
    for n, d in cases:
        X = random_integer_data(n, d, seed)
        y = [row[0] for row in random_integer_data(n, 1, seed + 1)]
        instance = Instance.from_arrays(X, y, 10**4)
        start = time.perf_counter()
        arrangement = enumerate_chambers(instance.X)
        bounds = certify_convex_optimum(instance, arrangement, digits=digits)
        rows.append({"n": n, "d": d, "chambers": len(arrangement), "support": len(bounds.neurons),
                     "relative_gap": float(bounds.relative_gap), "certified": bounds.certified,
                     "seconds": round(time.perf_counter() - start, 3)})
    return rows


CATALOG_CASES = [   # (name, instance data, widths): the scale issue 13 asks for
    ("1-D (SPEC §8)", {"X": [[-1], [1]], "y": [1, "1/2"], "lambda": "1/8"}, (1, 2, 3, 4)),
    ("orthogonal n=2", {"X": [[1, 0], [0, 1]], "y": [1, -1], "lambda": "1/20"}, (1, 2, 3, 4)),
    ("orthogonal n=3", {"X": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "y": [1, -1, 2], "lambda": "1/20"}, (1, 2, 3, 4)),
    ("generic n=5 d=2", {"X": [[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]], "y": [1, -1, 2, "1/2", -2],
                         "lambda": "1/50"}, (2, 3)),
    ("generic n=4 d=3", {"X": [[1, 2, 3], [0, 1, -1], [2, 0, 1], [1, 1, 1]], "y": [1, -1, 2, "1/2"],
                         "lambda": "1/20"}, (2,)),
]


def bench_catalog(cases=CATALOG_CASES, budget: float | None = 600.0, progress=None) -> list[dict]:
    """Catalogs (SPEC §8): product faces, settled by each rule, undecided, seconds, certificate size (bytes of compact
    JSON) and the checker's seconds."""
    import json

    from . import checker
    from .catalog import Settings, build_catalog
    from .instance import Instance

    rows = []
    for name, data, widths in cases:
        instance = Instance.from_dict(data)
        for m in widths:
            catalog = build_catalog(instance, m, Settings(budget=budget))
            size, check_seconds = 0, None
            if catalog.document is not None:
                size = len(json.dumps(catalog.document, separators=(",", ":")))
                start = time.perf_counter()
                checker.check(catalog.document)
                check_seconds = time.perf_counter() - start
            row = {"instance": name, "width": m, "verdict": catalog.verdict, "certified": catalog.certified,
                   "product_faces": catalog.product_faces, **{rule: catalog.counts.get(rule, 0) for rule in "abcde"},
                   "undecided": len(catalog.undecided) if catalog.counts else catalog.product_faces,
                   "seconds": catalog.seconds, "certificate_bytes": size, "check_seconds": check_seconds}
            rows.append(row)
            if progress:
                progress(row)
    return rows
