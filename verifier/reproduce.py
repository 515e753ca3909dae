"""The paper's three claims, reproduced on small instances (SPEC §0) as a report: Markdown, PNG plots and
a JSON file with every number.

1. Sufficiency: generic data; chambers P against n^(d-1) and 2^n; p_contains_global and p_fully_covered
   against m, with the uniform coupon-collector prediction beside them.
2. Necessity: orthogonal data n = 3, 4, 5; p_contains_global against m and the closed form of SPEC §7.
3. Initialization: the three-point dataset with a bias; gradient descent from small and large scales,
   every endpoint classified; the fraction certified global against the scale.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy as np

from .census import coverage_probability, run_census
from .files import write_json, write_text
from .instance import Instance
from .landscape import Context, classify_endpoint
from .network import train
from .parallel import Tasks, cached

__all__ = ["reproduce"]


def _generic(n: int, d: int, seed: int) -> Instance:
    rng = np.random.default_rng(seed)
    return Instance.from_arrays(rng.integers(-9, 10, size=(n, d)).tolist(), rng.integers(-3, 4, size=n).tolist(),
                                Fraction(1, 50), name=f"generic n={n} d={d}")


def _orthogonal(n: int) -> Instance:
    y = [1, -1, 2, Fraction(-1, 2), Fraction(3, 2)][:n]
    return Instance.from_arrays(np.eye(n, dtype=int).tolist(), y, Fraction(1, 20), name=f"orthogonal n={n}")


def _uniform_coverage(patterns: int, m: int) -> float:
    """Coupon collector with equal weights: P(all N patterns drawn in m draws)."""
    return coverage_probability([1 / patterns] * patterns, m)


def _sufficiency(quick: bool, tick, tasks: Tasks | None = None) -> dict:
    out = {}
    for n, d in ((6, 2), (5, 3)):
        instance = _generic(n, d, seed=n * 10 + d)
        context = Context(instance, 1)
        N = len(context.patterns)
        widths = sorted({1, 2, 3, 4, N // 2, N, 2 * N, round(N * math.log(N)), 3 * N} if quick else
                        set(range(1, 9)) | {N // 2, N, 3 * N // 2, 2 * N, round(N * math.log(N)), 3 * N, 4 * N})
        rows = []
        for m in widths:
            census = run_census(Context(instance, m), samples=150 if quick else 1000, limit=20_000 if quick else 200_000,
                                tasks=tasks)
            rows.append({"m": m, "p_contains_global": census.p_contains_global, "p_fully_covered": census.p_fully_covered,
                         "coupon_collector_uniform": _uniform_coverage(N, m), "exhaustive": census.exhaustive})
            tick()
        out[f"n={n},d={d}"] = {"n": n, "d": d, "chambers": len(context.arrangement), "n^(d-1)": n ** (d - 1),
                               "2^n": 2**n, "signed_patterns": N, "expected_draws_to_cover": N * sum(1 / k for k in range(1, N + 1)),
                               "widths": rows}
    return out


def _necessity(quick: bool, tick, tasks: Tasks | None = None) -> dict:
    out = {}
    for n in (3, 4, 5):
        instance = _orthogonal(n)
        n_plus = sum(1 for v in instance.y if v > 0)
        n_minus = n - n_plus
        q_plus, q_minus = 2.0 ** -(n_plus + 1), 2.0 ** -(n_minus + 1)
        widths = [1, 2, 4, 8, 16, 32] if quick else [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]
        rows = []
        for m in widths:
            census = run_census(Context(instance, m), samples=150 if quick else 2000, limit=20_000 if quick else 200_000,
                                tasks=tasks)
            # SPEC §7 (one neuron per label group) describes L*_m = C*, which needs m >= 2
            exact = 1 - (1 - q_plus) ** m - (1 - q_minus) ** m + (1 - q_plus - q_minus) ** m if m >= 2 else None
            rows.append({"m": m, "p_contains_global": census.p_contains_global, "closed_form": exact,
                         "closed_form_product": (1 - (1 - q_plus) ** m) * (1 - (1 - q_minus) ** m) if m >= 2 else None,
                         "exhaustive": census.exhaustive})
            tick()
        out[f"n={n}"] = {"n": n, "2^n": 2**n, "n_plus": n_plus, "n_minus": n_minus, "widths": rows}
    return out


def _initialization(quick: bool, tick, tasks: Tasks | None = None) -> dict:
    instance = Instance.load(Path(__file__).resolve().parent.parent / "data" / "examples" / "three-points.json")
    scales = [1e-3, 1e-1, 1.0] if quick else [1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0, 3.0]
    widths = [2, 8] if quick else [2, 4, 8, 16]
    runs = 4 if quick else 20
    steps = 60_000 if quick else 200_000   # lambda is small: gradient descent converges slowly
    rows, tasks = [], tasks or Tasks(1)
    for width in widths:
        for scale in scales:
            verdicts, reasons = [], {}
            runs_of = [(instance, width, scale, seed, steps) for seed in range(runs)]
            for _, (verdict, reason) in sorted(tasks.map(_endpoint_verdict, runs_of)):
                verdicts.append(verdict)
                if verdict == "inconclusive":
                    key = reason.split(":")[0].split("(")[0].strip()
                    reasons[key] = reasons.get(key, 0) + 1
                tick()
            rows.append({"width": width, "init_scale": scale, "runs": runs,
                         "global": verdicts.count("global-minimum"),
                         "spurious": verdicts.count("spurious-local-minimum"),
                         "local": verdicts.count("local-minimum"),
                         "inconclusive": verdicts.count("inconclusive"), "inconclusive_reasons": reasons})
    return {"instance": instance.name, "lambda": str(instance.lam), "steps": steps, "rows": rows}


def _endpoint_verdict(run: tuple[Instance, int, float, int, int]) -> tuple[str, str]:
    """Train from one seed and classify the endpoint (a task: it runs wherever `parallel.Tasks` sends it)."""
    instance, width, scale, seed, steps = run
    context = cached(("reproduce", instance, width), lambda: Context(instance, width))
    a, W = train(instance, width, scale, seed, steps, 0.05).final
    result = classify_endpoint(context, a, W, tol=1e-3)   # slowly dying neurons count as dead
    return result.verdict, result.reason


def reproduce(out: str | Path, quick: bool = True, progress: Callable[[str], None] | None = None,
              tasks: Tasks | None = None) -> dict:
    """Run the three experiments and write report.md, claims.json and the figures into `out`; census sets and
    training runs are mapped by `tasks` (default: in process)."""
    from .plots import reproduction_figures

    start = time.perf_counter()
    tick = (lambda: progress("")) if progress else (lambda: None)
    tasks = tasks or Tasks(1)
    results = {"quick": quick, "sufficiency": _sufficiency(quick, tick, tasks),
               "necessity": _necessity(quick, tick, tasks), "initialization": _initialization(quick, tick, tasks)}
    results["seconds"] = round(time.perf_counter() - start, 1)
    out = Path(out)
    figures = reproduction_figures(results, out)
    write_json(out / "claims.json", results)
    write_text(out / "report.md", _report(results, figures))
    return results


def _report(results: dict, figures: dict) -> str:
    lines = ["# Reproducing the three claims", "",
             f"Mode: {'quick' if results['quick'] else 'full'}; {results['seconds']} s. Every classified region and "
             "endpoint rests on certificates the exact checker accepted; numbers are in `claims.json`.", "",
             "## 1. Sufficiency: width of order the number of activation patterns", ""]
    for key, case in results["sufficiency"].items():
        lines += [f"**{key}**: P = {case['chambers']} chambers (n^(d-1) = {case['n^(d-1)']}, 2^n = {case['2^n']}), "
                  f"{case['signed_patterns']} signed patterns; the coupon collector needs about "
                  f"{case['expected_draws_to_cover']:.0f} neurons to cover them all.", "",
                  "| m | p_contains_global | p_fully_covered | uniform coupon collector |", "|---|---|---|---|"]
        lines += [f"| {r['m']} | {_fmt(r['p_contains_global'])} | {r['p_fully_covered']:.4f} | "
                  f"{r['coupon_collector_uniform']:.4f} |" for r in case["widths"]]
        lines.append("")
    lines += [f"![sufficiency]({figures['sufficiency']})", "", "## 2. Necessity: orthogonal data", ""]
    for key, case in results["necessity"].items():
        lines += [f"**{key}** (2^n = {case['2^n']}, {case['n_plus']} positive and {case['n_minus']} negative labels)", "",
                  "| m | p_contains_global | closed form (SPEC §7) |", "|---|---|---|"]
        lines += [f"| {r['m']} | {_fmt(r['p_contains_global'])} | "
                  f"{'n/a (m = 1: L*_1 > C*)' if r['closed_form'] is None else format(r['closed_form'], '.4f')} |"
                  for r in case["widths"]]
        lines.append("")
    lines += [f"![necessity]({figures['necessity']})", "", "## 3. Initialization scale", "",
              f"{results['initialization']['instance']}, lambda = {results['initialization']['lambda']}, "
              f"{results['initialization']['steps']} gradient steps per run.", "",
              "| width | scale | certified global | certified spurious | local (undecided) | inconclusive |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {r['width']} | {r['init_scale']:g} | {r['global']}/{r['runs']} | {r['spurious']} | {r['local']} | "
              f"{r['inconclusive']} |" for r in results["initialization"]["rows"]]
    reasons: dict = {}
    for r in results["initialization"]["rows"]:
        for key, count in r["inconclusive_reasons"].items():
            reasons[key] = reasons.get(key, 0) + count
    lines += ["", f"![initialization]({figures['initialization']})", "",
              "Inconclusive endpoints are never counted as global. Their reasons, over all runs:", ""]
    lines += [f"- {count} × {key}" for key, count in sorted(reasons.items(), key=lambda kv: -kv[1])]
    lines.append("")
    return "\n".join(lines)


def _fmt(p) -> str:
    return f"{p:.4f}" if isinstance(p, float) else f"[{p[0]:.3f}, {p[1]:.3f}]"
