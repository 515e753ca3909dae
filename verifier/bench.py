"""Benchmarks behind `verifier bench`: each case runs in a fresh process so peak memory is its own."""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction

import numpy as np

from .instance import Instance

__all__ = ["ENUMERATE_CASES", "SOLVE_CASES", "AUTHORS_CASES", "CENSUS_WIDTHS", "random_integer_data",
           "teacher_instance", "uniform_sets", "float_solve_seconds", "bench_enumerate", "bench_solve",
           "bench_census", "bench_optimum", "bench_catalog_regions", "CATALOG_CASES", "bench_catalog",
           "bench_training", "bench_every_width", "CURVE_CASES", "bench_curve"]

ENUMERATE_CASES = [(100, 3), (30, 4), (24, 6), (40, 5), (12, 12)]
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


# --- the authors' data family (docs §10 (A)): certified against float ------------------------------------

AUTHORS_CASES = [(4, 8), (4, 10), (6, 8), (6, 10)]
CENSUS_WIDTHS = (10, 20, 40)


def teacher_instance(n: int, d: int, seed: int = 0, decimals: int = 4) -> Instance:
    """docs §10 (A): x_i ~ N(0, I_d), labels of a random width-10 ReLU teacher with N(0, 1) weights, lambda =
    beta = 1/100; entries rounded to `decimals` decimals so that the instance is exact."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    W, a = rng.standard_normal((10, d)), rng.standard_normal(10)
    X = np.round(X, decimals)
    y = np.round(np.maximum(X @ W.T, 0) @ a, decimals)
    exact = lambda v: Fraction(int(round(float(v) * 10**decimals)), 10**decimals)   # noqa: E731
    return Instance.from_arrays([[exact(v) for v in row] for row in X], [exact(v) for v in y], Fraction(1, 100))


def uniform_sets(patterns: int, m: int, count: int, rng: np.random.Generator) -> list[tuple[int, ...]]:
    """The authors' default sampler: m chambers uniformly with replacement, each with a random sign, merged
    (signed pattern 2c + 0 is chamber c with s = +1, 2c + 1 with s = -1)."""
    chambers = patterns // 2
    return [tuple(sorted({2 * int(c) + int(s) for c, s in zip(rng.integers(chambers, size=m), rng.integers(2, size=m))}))
            for _ in range(count)]


def float_solve_seconds(instance, patterns) -> tuple[float, float]:
    """The float baseline: a plain cvxpy model of C(S) (docs §3) built and solved with Clarabel at its default
    tolerances, as the authors' pipeline does; (objective, seconds)."""
    import cvxpy as cp

    start = time.perf_counter()
    X, y = np.array(instance.X, dtype=float), np.array(instance.y, dtype=float)
    n, d = X.shape
    U = cp.Variable((len(patterns), d))
    prediction, constraints = 0, []
    for j, p in enumerate(patterns):
        sigma = np.array(p.sigma, dtype=float)
        prediction = prediction + p.s * ((sigma > 0)[:, None] * X) @ U[j]
        constraints.append((sigma[:, None] * X) @ U[j] >= 0)
    objective = cp.sum_squares(prediction - y) / (2 * n) + float(instance.lam) * cp.sum(cp.norm(U, 2, axis=1))
    problem = cp.Problem(cp.Minimize(objective), constraints)
    problem.solve(solver=cp.CLARABEL)
    return float(problem.value), time.perf_counter() - start


def bench_census(cases=AUTHORS_CASES, widths=CENSUS_WIDTHS, sets: int = 20, seed: int = 0,
                 progress=None) -> list[dict]:
    """Per case and width: `sets` sets drawn by the authors' sampler, each classified with certified bounds
    (as `census` does, L*_m certified once beforehand and not counted) and solved by the float baseline, in
    the same run; seconds of each and their ratio."""
    from .census import _certify_set, _decide, _task_arguments
    from .landscape import Context

    rows = []
    for n, d in cases:
        instance = teacher_instance(n, d, seed)
        for m in widths:
            context = Context(instance, m)
            shared, thresholds = _task_arguments(context, Fraction(1, 10**9))   # L*_m certified here, not counted
            chosen = uniform_sets(len(context.patterns), m, sets, np.random.default_rng(seed + m))
            certified_seconds = float_seconds = 0.0
            classes: dict[str, int] = {}
            for S in chosen:
                start = time.perf_counter()
                kind = _decide(_certify_set(S, shared, thresholds), thresholds)[0].value
                certified_seconds += time.perf_counter() - start
                classes[kind] = classes.get(kind, 0) + 1
                float_seconds += float_solve_seconds(instance, [context.patterns[i] for i in S])[1]
            rows.append({"n": n, "d": d, "m": m, "sets": sets, "classes": classes,
                         "certified_ms_per_set": round(1000 * certified_seconds / sets, 1),
                         "float_ms_per_set": round(1000 * float_seconds / sets, 1),
                         "ratio": round(certified_seconds / float_seconds, 2)})
            if progress:
                progress(rows[-1])
    return rows


def bench_optimum(cases=((4, 8), (6, 8), (6, 10), (8, 8)), width: int = 10, seed: int = 0, progress=None
                  ) -> list[dict]:
    """Certified C* (fresh programs, so compilation counts) against the float baseline on all 2P patterns, and
    certified L*_m from scratch, on the authors' data family."""
    from .arrangement import enumerate_chambers
    from .convex import all_signed_patterns
    from .optimum import certify_convex_optimum, certify_width_optimum

    rows = []
    for n, d in cases:
        instance = teacher_instance(n, d, seed)
        arrangement = enumerate_chambers(instance.X)
        _, float_seconds = float_solve_seconds(instance, all_signed_patterns(arrangement))
        start = time.perf_counter()
        optimum = certify_convex_optimum(instance, arrangement)
        optimum_seconds = time.perf_counter() - start
        start = time.perf_counter()
        width_bounds = certify_width_optimum(instance, arrangement, width)
        width_seconds = time.perf_counter() - start
        rows.append({"n": n, "d": d, "signed_patterns": 2 * len(arrangement), "support": len(optimum.neurons),
                     "c_star_certified_s": round(optimum_seconds, 3), "c_star_float_s": round(float_seconds, 3),
                     "c_star_ratio": round(optimum_seconds / float_seconds, 2),
                     "c_star_gap": float(optimum.relative_gap), "c_star_certified": optimum.certified,
                     "width": width, "l_star_s": round(width_seconds, 3), "l_star_certified": width_bounds.certified,
                     "l_star_solves": width_bounds.solves, "notes": optimum.notes + width_bounds.notes})
        if progress:
            progress(rows[-1])
    return rows


OLD_REGION_SEARCH_PER_SECOND = 110.0   # the retired region search: 41,664 regions of this instance in 381 s


class _RegionsDone(Exception):
    """Raised from the progress callback once the region table is complete (the bench times only the table)."""


def bench_catalog_regions(n: int = 6, width: int = 3, budget: float = 120.0, seed: int = 0) -> dict:
    """Regions per second of the catalog's region table (every set S of at most m signed chambers with a certified
    bracket on C(S)) on n random integer points in the plane (entries -10..10, labels -3..3, lambda = 1/20) with a
    bias, the instance on which the retired region search of `certify` managed 110 regions/s; counted until the
    table is complete or `budget` seconds have passed."""
    from .catalog import Settings, build_catalog

    X = random_integer_data(n, 2, seed, bound=10)
    y = [row[0] for row in random_integer_data(n, 1, seed + 1, bound=3)]
    instance = Instance.from_arrays(X, y, Fraction(1, 20), bias=True)
    seen = {"done": 0, "total": 0, "start": None, "end": None}

    def progress(stage: str, done: int, total: int) -> None:
        if stage != "regions":
            if not seen["done"]:            # the stages announced before the table starts
                return
            raise _RegionsDone
        now = time.perf_counter()
        seen["start"] = seen["start"] or now
        seen.update(done=done, total=total, end=now)
        if done == total:
            raise _RegionsDone

    try:
        build_catalog(instance, width, Settings(budget=budget), progress=progress)
    except _RegionsDone:
        pass
    seconds = max(seen["end"] - seen["start"], 1e-9) if seen["start"] else 0.0
    rate = seen["done"] / seconds if seconds else 0.0
    return {"n": n, "d": 3, "width": width, "regions_total": seen["total"], "regions_timed": seen["done"],
            "seconds": round(seconds, 2), "regions_per_second": round(rate, 1),
            "old_regions_per_second": OLD_REGION_SEARCH_PER_SECOND,
            "speedup": round(rate / OLD_REGION_SEARCH_PER_SECOND, 2)}


CATALOG_CASES = [   # (name, instance data, widths): the scale issue 13 asks for
    ("1-D (docs §8)", {"X": [[-1], [1]], "y": [1, "1/2"], "lambda": "1/8"}, (1, 2, 3, 4)),
    ("orthogonal n=2", {"X": [[1, 0], [0, 1]], "y": [1, -1], "lambda": "1/20"}, (1, 2, 3, 4)),
    ("orthogonal n=3", {"X": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "y": [1, -1, 2], "lambda": "1/20"}, (1, 2, 3, 4)),
    ("generic n=5 d=2", {"X": [[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]], "y": [1, -1, 2, "1/2", -2],
                         "lambda": "1/50"}, (2, 3)),
    ("generic n=4 d=3", {"X": [[1, 2, 3], [0, 1, -1], [2, 0, 1], [1, 1, 1]], "y": [1, -1, 2, "1/2"],
                         "lambda": "1/20"}, (2,)),
    # the n = 5 planar points with a bias (a constant third feature): 22 chambers, 1,235,993 sets of at most n = 5
    # signed chambers in the every-width table; no per-width catalog here (`bench catalog --every-width --max-n 5`)
    ("generic n=5, bias", {"X": [[2, 1, 1], [-1, 3, 1], [1, -2, 1], [-3, -1, 1], [1, 1, 1]],
                           "y": [1, -1, 2, "1/2", -2], "lambda": "1/50"}, ()),
]


def bench_catalog(cases=CATALOG_CASES, budget: float | None = 600.0, progress=None) -> list[dict]:
    """Catalogs (docs §8): product faces, settled by each rule, undecided, the spurious entries by strictness, the
    favourability by count, seconds, certificate size (bytes of compact JSON) and the checker's seconds."""
    import json

    from . import checker
    from .catalog import Settings, build_catalog
    from .checker.catalog import CATALOG_RULES, Rule
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
                   "complete": catalog.complete,
                   "product_faces": catalog.product_faces,
                   **{rule.value: catalog.counts.get(rule, 0) for rule in CATALOG_RULES if rule != Rule.UNDECIDED},
                   **{kind: sum(e["strict"] == kind for e in catalog.spurious)
                      for kind in ("strict", "non-strict", "not decided")},
                   "favourability_by_count": catalog.favourability.get("spurious_by_count"),
                   "undecided": catalog.open_faces,
                   "seconds": catalog.seconds, "certificate_bytes": size, "check_seconds": check_seconds}
            rows.append(row)
            if progress:
                progress(row)
    return rows


def bench_training(width: int = 100, runs: int = 20, steps: int = 20_000, scale: float = 0.125) -> list[dict]:
    """Gradient-descent steps per second for one claim-3 unit (theorem2-d3: n = 3, d = 3; `runs` balanced runs
    at `width`), by CPU time (other users' load on a shared machine does not inflate it): the batched numpy
    trainer `network.train_many` and each `descent` kernel (compiled before the clock starts). `per_run` is the
    unit's run-steps per second divided by its runs: how fast one run of the unit advances on average."""
    from .descent import backend_available, descend
    from .network import initial, train_many
    from .shipped import data_root

    instance = Instance.load(data_root() / "paper" / "theorem2-d3.json")
    starts = [initial(width, instance.d, scale, seed, "balanced") for seed in range(runs)]
    cases = [("network.train_many (numpy, batched)",
              lambda n: train_many(instance, width, scale, range(runs), n, 0.02, every=n, init="balanced"), steps // 10)]
    for backend in ("numba", "numpy"):
        if backend_available(backend):
            descend(instance, starts[:1], 2, criterion=0.0, backend=backend)      # compile / warm up
            cases.append((f"descent ({backend})",
                          lambda n, b=backend: descend(instance, starts, n, criterion=0.0, backend=b),
                          steps if backend == "numba" else steps // 10))
    rows = []
    for name, run, n in cases:
        start = time.process_time()
        run(n)
        seconds = time.process_time() - start
        rows.append({"trainer": name, "width": width, "runs": runs, "steps": n, "cpu_seconds": round(seconds, 2),
                     "run_steps_per_second": round(runs * n / seconds), "per_run": round(n / seconds)})
    return rows


def bench_every_width(cases=CATALOG_CASES, budget: float | None = 600.0, max_n: int = 4, max_d: int = 3,
                      progress=None, tasks=None) -> list[dict]:
    """`certify --every-width` on the catalog instances with n <= max_n and d <= max_d: verdict, classes, the spurious
    values per width up to stable_from, candidates, seconds to the certificate and the checker's seconds, bytes."""
    import json

    from .catalog import Settings
    from .every_width import build_every_width

    rows = []
    for name, data, _ in cases:
        instance = Instance.from_dict(data)
        if instance.n > max_n or instance.d > max_d:
            continue
        marks: dict[str, float] = {}      # stage -> when it started (its first report after the announcement)
        announced: set[str] = set()

        def mark(stage: str, done: int, total: int) -> None:
            if stage in announced:
                marks.setdefault(stage, time.perf_counter())
            announced.add(stage)

        start = time.perf_counter()
        result = build_every_width(instance, Settings(budget=budget), progress=mark, tasks=tasks)
        end = time.perf_counter()
        checking = marks.get("checking")
        row = {"instance": name, "n": instance.n, "d": instance.d, "verdict": result.verdict,
               "certified": result.certified, "classes": len(result.classes), "stable_from": result.stable_from,
               "spurious_by_width": [[float(v[0]) for v in r.spurious] for r in result.by_width],
               "L*_m": [float(r.lstar[1]) for r in result.by_width], "settled": result.counts,
               "regions": len(result.document["witnesses"]["regions"]["cover"]) if result.document else None,
               "sources": len(result.document["witnesses"]["regions"]["sources"]) if result.document else None,
               "seconds": round(end - start, 2),
               "solve_seconds": round((checking or end) - start, 2),
               "check_seconds": round(end - checking, 2) if checking else None,
               "certificate_bytes": len(json.dumps(result.document, separators=(",", ":"))) if result.document else 0}
        rows.append(row)
        if progress:
            progress(row)
    return rows


CURVE_CASES = [(6, 8), (6, 10)]   # the authors' Experiment A (reproduce's instances: teacher seed 100 n + d)


def bench_curve(cases=CURVE_CASES, max_width: int = 10_000, seed: int = 0, progress=None) -> list[dict]:
    """The exact uniform curve p_opt(m), m = 1..max_width, on each Experiment A instance (teacher labels,
    lambda = 1/100, as `reproduce` builds them): seconds including the certified classification, and the seconds
    of `checker.check` on its certificate (the classification, every exact value of at most 2000 digits and the
    thresholds)."""
    from . import checker
    from .curves import curve
    from .families import teacher

    rows = []
    for n, d in cases:
        instance = teacher(n, d, Fraction(1, 100), seed=100 * n + d + seed)
        start = time.perf_counter()
        result = curve(instance, "uniform", max_width=max_width)
        seconds = time.perf_counter() - start
        row = {"n": n, "d": d, "widths": max_width, "certified": result.certified, "seconds": round(seconds, 2)}
        if result.certified:
            start = time.perf_counter()
            proved = checker.check(result.document).proved
            row.update(check_seconds=round(time.perf_counter() - start, 2), check_proved=proved,
                       chambers=len(result.regions.patterns) // 2, supports=len(result.regions.supports),
                       support_size=result.regions.smallest_support, maximal=len(result.regions.maximal),
                       threshold_half=result.thresholds["1/2"], threshold_99=result.thresholds["99/100"],
                       p_at_max=result.points[-1].value)
        else:
            row["reason"] = result.reason
        rows.append(row)
        if progress:
            progress(row)
    return rows
