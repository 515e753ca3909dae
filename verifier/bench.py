"""Benchmarks behind `verifier bench`: each case runs in a fresh process so peak memory is its own."""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

__all__ = ["ENUMERATE_CASES", "SOLVE_CASES", "random_integer_data", "bench_enumerate", "bench_solve"]

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
