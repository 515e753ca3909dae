"""The paper's claims (docs §11) and the authors' experiments (docs §10), reproduced as a report a referee can
re-check: report.md, claims.json, PNG figures, every instance as an instance file (`instances/`) and every
certified claim behind a table row as an ordinary certificate file (`certificates/`, `verifier check` accepts
each).

A section is one function `settings -> Section` (its table, figures and a verdict sentence); `SECTIONS` lists
them in report order:

1. sufficiency / favourability: the authors' Experiment A on their data family (teacher data, both samplers),
   with certified region classes instead of float tolerances; our generic low-dimensional cases as panel (b);
2. necessity on orthogonal data against the exact closed form of docs §7, and the certified threshold widths
   against the number of chambers (a scaling law);
3. the activation-pattern distribution (Experiment B, n = 7, d = 4) and what it means for coverage;
4. initialization (claim 3): gradient-descent endpoints from small and large scales;
5. the catalog of local minima (docs §8): a hook, run when `verifier.catalog` provides `catalog_section`.

Resuming: a finished section is kept in `sections/` under a key bound to the digests of its instances and the
settings, and every census keeps a checkpoint keyed by the instance digest (`census.checkpoint_key`), so an
interrupted run repeats only unfinished work.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable, ContextManager

import numpy as np

from .arrangement import enumerate_chambers
from .bundles import BundleWriter
from .census import run_census, wilson
from .checker.core import pattern_name
from .certificates import enumeration_certificate
from .families import orthogonal, teacher
from .families import generic as generic_instance
from .files import write_json, write_text
from .instance import Instance
from .errors import VerifierError
from .landscape import Context
from .descent import CRITERION, RATE
from .protocol import FULL, QUICK, InitializationPlan, train_unit
from .parallel import Tasks
from .verdicts import Outcome
from .samplers import SAMPLERS

__all__ = ["reproduce", "Section", "Settings", "SECTIONS", "SECTION_KEYS", "plan"]

_VERSION = 4             # part of every section's cache key
LAMBDA_A = Fraction(1, 100)   # the authors' beta = 0.01; their loss is twice ours, so lambda = beta
TOLERANCE_A = Fraction(1, 10**9)   # relative: a region holds a global minimum when upper C(S) <= lower L*_m + 1e-9 L*_m


def _data(folder: str, name: str) -> Instance:
    """An instance file the sections read: `verifier/data/<folder>/<name>.json`, shipped in the wheel
    (`verifier/data` links to the repository's `data/`; a checkout without symbolic links uses `data/` itself)."""
    here = Path(__file__).resolve().parent
    for root in (here / "data", here.parent / "data"):
        if (root / folder).is_dir():
            return Instance.load(root / folder / f"{name}.json")
    raise VerifierError(f"verifier/data/{folder}: the instance files of `reproduce` are missing from this "
                        "installation (reinstall the package)")


@dataclass
class Settings:
    """What a run depends on. `tick` advances the progress bar by one unit (see `plan`); `bar(name)` opens an
    inner bar for one long census (a context manager yielding ``advance(done, total)``, as `progress.progress_bar`),
    so a unit that takes an hour in the full run still shows its own progress and ETA."""

    out: Path
    quick: bool = True
    seed: int = 0
    tick: Callable[[], None] = lambda: None
    tasks: Tasks | None = None
    bar: Callable[[str], ContextManager[Callable]] = lambda name: nullcontext(lambda done, total=None: None)


@dataclass
class Section:
    """One claim: the paper's claim in a sentence, whether the data support it (`verdict`, with counts), the
    Markdown body (tables and notes), the figure files, every number (`data`) and the time it took."""

    key: str
    title: str
    claim: str
    verdict: str
    supported: bool | None
    body: list[str]
    figures: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    seconds: float = 0.0


# --- shared helpers --------------------------------------------------------------------------------------

def _save_instance(settings: Settings, instance: Instance) -> str:
    path = Path("instances") / f"{instance.name}.json"
    write_json(settings.out / path, instance.to_dict())
    return str(path)


def _cached(settings: Settings, key: str, instances: list[Instance], compute: Callable[[], Section],
            draw: Callable[[dict], list[str]] | None = None, parameters: list | None = None) -> Section:
    """The section from `sections/` when a finished run with the same instances and settings (and `parameters`:
    widths, sample sizes, limits) left it there; `draw` redraws its figures from its data then, so they come
    from the current plotting code."""
    identity = [key, settings.quick, settings.seed, _VERSION, [i.digest() for i in instances]]
    text = json.dumps(identity + ([parameters] if parameters is not None else []))
    path = settings.out / "sections" / f"{key}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
    if path.exists():
        section = Section(**json.loads(path.read_text()))
        if draw is not None:
            draw(section.data)
        for _ in range(_UNITS[key](settings.quick)):
            settings.tick()
        return section
    start = time.perf_counter()
    section = compute()
    section.seconds = round(time.perf_counter() - start, 1)
    write_json(path, asdict(section))
    return Section(**json.loads(path.read_text()))   # the same form a resumed run reads


def _census_row(settings: Settings, section: str, context: Context, **options) -> dict:
    """One census, its checkpoint under `checkpoints/` and its certificates under `certificates/`."""
    m = context.width
    folder = Path(section) / context.instance.name / f"width-{m}"
    with settings.bar(f"{section} {context.instance.name} m={m}") as advance:
        census = run_census(context, out=settings.out / "checkpoints" / folder,
                            certificates=settings.out / "certificates" / folder, tasks=settings.tasks,
                            progress=advance, **options)
    row = {"m": m, **census.to_dict(), "certificates": str(Path("certificates") / folder)}
    settings.tick()
    return row


def _table(header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table and the blank line after it."""
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows] + [""])


def _listed(values) -> str:
    """Values as prose, "10, 40, 160" (not a Python list's repr)."""
    return ", ".join(str(v) for v in values)


def _mode(row: dict) -> str:
    return "exact" if row["exhaustive"] else f"{row['samples']} samples"


def _fmt(p) -> str:
    if p is None:
        return "n/a"
    return f"{p:.4f}" if isinstance(p, float) else f"[{p[0]:.3f}, {p[1]:.3f}]"


def _epsilon(row: dict) -> str:
    """The row's epsilon (an upper bound on every `contains-global-min` region's), or n/a when it has none."""
    held = row["counts"]["contains-global-min"] if row["counts"] else row["p_contains_global"]
    return f"{row['epsilon']:.1e}" if held else "n/a"


def _count(row: dict, kind: str) -> str:
    return f"{row['counts'][kind]}/{row['samples']}" if row["counts"] else _fmt(row[f"p_{kind}"])


# --- exact curves (the backbone of sections 1 and 2) --------------------------------------------------------

_CURVES_VERSION = "curves-2"   # part of the cache key of the sections that draw exact curves


def _plot_widths(largest: int) -> list[int]:
    """Every width up to 64, then 120 log-spaced ones up to `largest`: where an exact curve is drawn."""
    dense = set(range(1, min(largest, 64) + 1))
    return sorted(dense | {int(round(m)) for m in np.geomspace(64, largest, 120)} if largest > 64 else dense)


def _exact_curves(instance: Instance, census_widths: list[int], samplers: list[str]) -> dict:
    """The certified p_opt(m) (`curves`) under each sampler at the census widths and the plot widths up to
    max(largest census width, 2 x the 0.99 threshold): floats for drawing and the cross-check, the exact thresholds,
    the supports and epsilon; or the
    reason it is inconclusive."""
    from .curves import curve, optimal_regions

    arrangement = enumerate_chambers(instance.X)
    regions = optimal_regions(instance, arrangement)
    out: dict = {"certified": regions.certified, "reason": regions.reason}
    if not regions.certified:
        return out
    out.update(support_sets=[sorted(_pattern_key(p) for p in T) for T in regions.supports],
               supports=len(regions.supports), support_size=regions.smallest_support,
               maximal=len(regions.maximal), epsilon=float(regions.epsilon), samplers={})
    for name in samplers:
        first = curve(instance, name, widths=[1], arrangement=arrangement, regions=regions)
        top = first.thresholds["99/100"]
        top = top[1] if isinstance(top, tuple) else top
        largest = max(census_widths)
        widths = sorted(set(_plot_widths(max(largest, 2 * (top or largest)))) | set(census_widths))
        result = curve(instance, name, widths=widths, arrangement=arrangement, regions=regions)
        out["samplers"][name] = {
            "certified": result.certified, "reason": result.reason, "method": result.measure_method,
            "error": result.measure_error, "widths": widths, "low": [float(pt.lower) for pt in result.points],
            "high": [float(pt.upper) for pt in result.points],
            "thresholds": {k: (list(v) if isinstance(v, tuple) else v) for k, v in result.thresholds.items()}}
    return out


def _pattern_key(p) -> str:
    """A signed pattern as the census bundle's index names it: 'tau:s' (`checker.core.pattern_name`)."""
    return pattern_name(p.label, p.s)


def _set_agreement(settings: Settings, curves: dict, rows: list[dict]) -> tuple[int, int]:
    """(classified sets whose census class says `contains-global-min` exactly when they contain a minimal optimal
    support, sets): every set the censuses at widths >= m* certified, read from their index `regions.jsonl`."""
    if not curves.get("certified"):
        return 0, 0
    supports = [set(T) for T in curves["support_sets"]]
    same = total = 0
    for row in rows:
        index = settings.out / row["certificates"] / "regions.jsonl"
        if row["m"] < curves["support_size"] or not index.exists():
            continue
        for line in index.read_text().splitlines():
            record = json.loads(line)
            total += 1
            same += any(T <= set(record["S"]) for T in supports) == (record["class"] == "contains-global-min")
    return same, total


def _exact_at(curves: dict, sampler: str, m: int) -> tuple[float, float] | None:
    """The exact value (or certified interval) of p_opt at a plotted width m."""
    entry = curves.get("samplers", {}).get(sampler)
    if not entry or not entry["certified"] or m not in entry["widths"]:
        return None
    k = entry["widths"].index(m)
    return entry["low"][k], entry["high"][k]


def _cross_check(curves: dict, rows: list[dict]) -> tuple[int, int]:
    """(sampled points whose Wilson 95% interval meets the exact value or interval at their width, points)."""
    inside = total = 0
    for row in rows:
        exact = _exact_at(curves, row.get("sampler", "uniform"), row["m"])
        if exact is None:
            continue
        total += 1
        if row["exhaustive"]:
            inside += abs(row["p_contains_global"] - exact[0]) <= 1e-9 + (exact[1] - exact[0])
        else:
            low, high = row["p_contains_global"]
            inside += low <= exact[1] and exact[0] <= high
    return inside, total


def _threshold_text(value) -> str:
    if value is None:
        return "beyond the widths evaluated"
    if isinstance(value, list):
        return str(value[0]) if value[0] == value[1] else f"{value[0]}..{value[1]}"
    return str(value)


def _sampler_label(name: str, entry: dict) -> str:
    if name == "uniform":
        return "uniform: exact"
    how = {"exact": "exact angles", "girard": "Girard's formula", "monte-carlo": "Monte Carlo measures, 95%"}
    return f"Gaussian: interval ({how.get(entry['method'], entry['method'])})"


def _curve_panel(title: str, curves: dict, rows: list[dict], references: dict) -> dict:
    """A figure panel (`plots.curves_figure`): the exact curves, the census points with Wilson bars, the
    threshold widths of the uniform curve."""
    colours = {"uniform": "C0", "gaussian": "C1"}
    panel = {"title": title, "curves": [], "census": [], "thresholds": [], "references": references,
             "max_width": max([max(e["widths"]) for e in curves.get("samplers", {}).values()] + [r["m"] for r in rows])}
    for name, entry in curves.get("samplers", {}).items():
        if entry["certified"]:
            panel["curves"].append({"label": _sampler_label(name, entry), "color": colours.get(name, "C2"),
                                    "widths": entry["widths"], "low": entry["low"], "high": entry["high"]})
    uniform = curves.get("samplers", {}).get("uniform")
    if uniform and uniform["certified"]:
        for key, p in (("1/2", 0.5), ("99/100", 0.99)):
            m = uniform["thresholds"].get(key)
            if m is not None:
                panel["thresholds"].append({"m": m, "p": p, "label": f"p ≥ {key.replace('99/100', '0.99')} "
                                                                      f"from m = {m}"})
    for sampler in dict.fromkeys(r.get("sampler", "uniform") for r in rows):
        chosen = [r for r in rows if r.get("sampler", "uniform") == sampler]
        name = "Gaussian" if sampler == "gaussian" else sampler
        points = []
        for r in chosen:
            if r["exhaustive"]:
                points.append({"m": r["m"], "estimate": r["p_contains_global"], "low": r["p_contains_global"],
                               "high": r["p_contains_global"]})
            else:
                points.append({"m": r["m"], "estimate": r["counts"]["contains-global-min"] / r["samples"],
                               "low": r["p_contains_global"][0], "high": r["p_contains_global"][1]})
        panel["census"].append({"label": f"census, {name}: k/N, Wilson 95%", "color":
                                {"uniform": "C3", "Gaussian": "C2"}.get(name, "C4"),
                                "marker": "o" if sampler == "uniform" else "s", "points": points})
    return panel


# --- 1. sufficiency and favourability: Experiment A ---------------------------------------------------------

def _a_cases(quick: bool):
    cases = [(4, 8), (4, 10)] if quick else [(4, 8), (4, 10), (6, 8), (6, 10)]
    widths = [10, 160] if quick else [10, 40, 160, 640]   # the sampled cross-check of the exact curves
    return cases, widths, (5 if quick else 20)


def _generic_cases(quick: bool):
    return ([(6, 2)] if quick else [(6, 2), (5, 3)]), (30 if quick else 1000), (50 if quick else 60_000)


def _generic_widths(P2: int, quick: bool) -> list[int]:
    if quick:
        return sorted({1, P2 // 2, P2, 2 * P2})
    return sorted(set(range(1, 9)) | {P2 // 2, P2, 3 * P2 // 2, 2 * P2, round(P2 * math.log(P2)), 3 * P2, 4 * P2})


def experiment_a(settings: Settings) -> Section:
    """Experiment A (docs §10) with certified classes, both samplers; panel (b) our generic cases."""
    quick = settings.quick
    cases, widths, N = _a_cases(quick)
    instances = [teacher(n, d, LAMBDA_A, seed=100 * n + d + settings.seed) for n, d in cases]
    generic_cases, generic_samples, generic_limit = _generic_cases(quick)
    generics = [generic_instance(n, d, n * 10 + d) for n, d in generic_cases]

    def compute() -> Section:
        panels = []
        for instance in instances:
            P = len(Context(instance, 1).arrangement)
            rows = []
            for m in widths:
                context = Context(instance, m)   # L*_m is certified once for both samplers
                for name in SAMPLERS:
                    rows.append(_census_row(settings, "experiment-a", context, samples=N, limit=0,
                                            seed=settings.seed + m, tolerance=TOLERANCE_A, sampler=name))
            panels.append({"instance": _save_instance(settings, instance), "n": instance.n, "d": instance.d,
                           "P": P, "2^n": 2 ** instance.n, "rows": rows,
                           "curves": _exact_curves(instance, widths, list(SAMPLERS))})
        generic = []
        for instance in generics:
            P = len(Context(instance, 1).arrangement)
            rows = [_census_row(settings, "generic", Context(instance, m), samples=generic_samples,
                                limit=generic_limit, seed=settings.seed + m)
                    for m in _generic_widths(2 * P, quick)]
            generic.append({"instance": _save_instance(settings, instance), "n": instance.n, "d": instance.d,
                            "P": P, "n^(d-1)": instance.n ** (instance.d - 1), "2^n": 2 ** instance.n, "rows": rows,
                            "limit": generic_limit, "samples": generic_samples})
        return _experiment_a_section(settings, panels, generic, N, widths)

    return _cached(settings, "experiment-a", instances + generics, compute, lambda data: _experiment_a_figures(
        settings, data["teacher"], data["generic"]), parameters=[cases, widths, N, generic_cases, generic_samples,
                                                                 generic_limit, float(TOLERANCE_A), _CURVES_VERSION])


def _experiment_a_figures(settings: Settings, panels: list, generic: list) -> list[str]:
    from .plots import curves_figure, sufficiency_figure

    return [curves_figure([_curve_panel(f"n = {p['n']}, d = {p['d']}: P = {p['P']} chambers", p["curves"],
                                        p["rows"], {f"P = {p['P']}": p["P"], f"2P = {2 * p['P']}": 2 * p["P"]})
                           for p in panels], settings.out / "experiment-a.png",
                          "Experiment A (teacher data, lambda = 0.01): exact p_opt(m) and the sampled census"),
            sufficiency_figure(generic, [_coupon_curve(case) for case in generic],
                               settings.out / "sufficiency-generic.png")]


def _coupon_curve(case: dict) -> tuple[list[int], list[float]]:
    """The uniform coupon collector on a generic case's 2P signed patterns, exactly: P(m uniform draws hit all
    2P) from m = 2P until it passes 0.999 (and at least to the largest tested width and 2^n)."""
    patterns = 2 * case["P"]
    mean = patterns * sum(1 / k for k in range(1, patterns + 1))
    top = max(4 * mean, max(r["m"] for r in case["rows"]), case["2^n"])
    widths = sorted({int(w) for w in np.geomspace(patterns, top, 80)})
    return widths, _coverage_uniform(patterns, widths)


def _experiment_a_section(settings: Settings, panels: list, generic: list, N: int, widths: list) -> Section:
    figures = _experiment_a_figures(settings, panels, generic)
    largest = [r for p in panels for r in p["rows"] if r["m"] == max(widths)]
    top_global = sum(r["counts"]["contains-global-min"] for r in largest)
    top_draws = sum(r["samples"] for r in largest)
    top_spurious = sum(r["counts"]["spurious-local-min"] for r in largest)
    spurious = sum(r["counts"]["spurious-local-min"] for p in panels for r in p["rows"])
    absent = sum(r["counts"]["no-local-min"] for p in panels for r in p["rows"])
    open_ = sum(r["counts"]["no-global-min"] + r["counts"]["undecided"] for p in panels for r in p["rows"])
    draws = sum(r["samples"] for p in panels for r in p["rows"])
    global_draws = sum(r["counts"]["contains-global-min"] for p in panels for r in p["rows"])
    eps = max(r["epsilon"] for p in panels for r in p["rows"])
    low, high = wilson(top_global, top_draws)
    supported = top_global >= 0.9 * top_draws and top_spurious == 0
    checks = [_cross_check(p["curves"], p["rows"]) for p in panels]
    inside, points = sum(c[0] for c in checks), sum(c[1] for c in checks)
    agreement = [_set_agreement(settings, p["curves"], p["rows"]) for p in panels]
    thresholds = "; ".join(
        f"n = {p['n']}, d = {p['d']}: "
        + (", ".join(f"{name} m_1/2 = {_threshold_text(e['thresholds'].get('1/2'))}, m_0.99 = "
                     f"{_threshold_text(e['thresholds'].get('99/100'))}" for name, e in p["curves"]["samplers"].items())
           if p["curves"]["certified"] else f"inconclusive ({p['curves']['reason']})") for p in panels)
    verdict = (f"{'Supported' if supported else 'Not supported at these widths'}: at m = {max(widths)} (>= 2P for "
               f"every instance here) {top_global} of {top_draws} regions (Wilson 95% [{low:.2f}, {high:.2f}]; "
               f"all instances and both samplers) were certified to contain a global minimum and {top_spurious} to "
               f"hold a spurious local minimum. Over all {draws} draws and widths, {global_draws} regions were "
               f"certified to contain a global minimum (epsilon <= {eps:.1e}) and {spurious} to hold a certified "
               f"spurious local minimum: the spurious fraction among certified local minima is "
               f"{spurious}/{global_draws + spurious}; of the other {draws - global_draws - spurious} regions, "
               f"{absent} were certified to hold no local minimum at all in their closure and {open_} are left "
               "open (no global minimum and local minimum undecided, or undecided). "
               f"The certified exact curves p_opt(m) cross 1/2 and 0.99 at: {thresholds}; {inside} of {points} "
               "sampled census points have a Wilson 95% interval that contains the exact value (or meets its certified "
               f"interval), and {sum(a[0] for a in agreement)} of {sum(a[1] for a in agreement)} sets the census "
               "classified are classified identically by the exact up-set.")
    body = [f"Data: {len(panels)} teacher instances (one per (n, d), as the authors' `data_matrix_index 0`), "
            f"lambda = {LAMBDA_A} (the authors' beta; their loss is twice ours); widths m = {_listed(widths)}; N = {N} "
            "random initializations per (m, sampler), census seed = run seed + m; both samplers (`uniform`: the "
            "authors' default, a chamber uniformly with replacement and a random sign, duplicates merged; "
            "`gaussian`: w ~ N(0, I), random sign). Intervals: Wilson 95%. A region 'contains a global minimum' when "
            f"the certified upper C(S) is at most the certified lower L*_m plus {float(TOLERANCE_A):g} L*_m: it "
            "holds an *epsilon-global* minimum, i.e. every local minimum in its closure has loss C(S) <= L*_m + "
            "epsilon, with epsilon = upper C(S) - lower L*_m proved by the certificates (0 for a fully covered "
            "region). The epsilon column bounds the epsilon of every such region of the row: it is the largest over "
            "the sets classified at that width (both samplers share them; 'n/a' when no region of the row contains "
            "a global minimum); 'spurious local minimum' when lower "
            "C(S) > upper L*_m and the interior certificate (docs/mathematics.md §5) proves the region's minimizer "
            "is a local minimum; 'no local min' when C(S) > L*_m and a pattern's dual constraint is strictly slack "
            "on the enclosure of the optimal residual (claim `region-no-local-minimum`: a local minimum in the closure "
            "would have a zero neuron, hence be global); 'no global min (local min undecided)' when only "
            "C(S) > L*_m is certified.", ""]
    body += ["**Exact curves.** For each instance the optimal regions are classified once and for all (claim "
             "`optimal-regions`: the minimal optimal supports T_i, each certified within epsilon of C*, and the maximal "
             "sets M_j containing none, each certified with C(M_j) > C*), so p_opt(m) = P(S contains some T_i) is an "
             "exact rational at every width m under the uniform sampler, and a certified interval under the Gaussian "
             "one (interval arithmetic on the chamber measures and their error bounds; for d >= 4 the measures are "
             "Monte Carlo estimates with a 95% half-width, so that interval is a 95% one, not a proof). At widths "
             "m >= m* (the smallest support), p_opt(m) is the probability that the region holds a global minimum "
             "(L*_m = C*); below m* it is 0 and L*_m > C*. The census rows below are the independent, sampled "
             "cross-check drawn over the curves.", ""]
    for panel, (hits, count) in zip(panels, checks):
        curves = panel["curves"]
        body += [f"**n = {panel['n']}, d = {panel['d']}** (`{panel['instance']}`): P = {panel['P']} chambers "
                 f"(2^n = {panel['2^n']}), {2 * panel['P']} signed patterns.", ""]
        if curves["certified"]:
            body += [f"Exact curve: {curves['supports']} minimal optimal support(s) of size {curves['support_size']}, "
                     f"{curves['maximal']} maximal non-optimal set(s), epsilon = {curves['epsilon']:.1e}; "
                     + "; ".join(f"{_sampler_label(name, e)}: p_opt >= 1/2 from m = "
                                 f"{_threshold_text(e['thresholds'].get('1/2'))}, >= 0.99 from m = "
                                 f"{_threshold_text(e['thresholds'].get('99/100'))}"
                                 for name, e in curves["samplers"].items())
                     + f". {hits} of {count} sampled points lie inside their Wilson interval around the exact value.",
                     ""]
        else:
            body += [f"Exact curve: inconclusive ({curves['reason']}).", ""]
        body += _table(["m", "sampler", "contains global min", "spurious local min", "no local min",
                        "no global min (local min undecided)", "undecided", "p_contains_global (Wilson 95%)",
                        "favourability (Wilson 95%)", "epsilon", "s"],
                       [[r["m"], r["sampler"], _count(r, "contains-global-min"), _count(r, "spurious-local-min"),
                         _count(r, "no-local-min"), _count(r, "no-global-min"), _count(r, "undecided"),
                         _fmt(r["p_contains_global"]),
                         _fmt(r["favourability"]), _epsilon(r), f"{r['seconds']:.1f}"]
                        for r in panel["rows"]])
    body += [f"![Experiment A]({figures[0]})", "",
             "**(b) Our generic low-dimensional cases** (Gaussian sampler; exhaustive with exact weights when there "
             f"are at most {generic[0]['limit']:,} sets of at most m signed patterns, else {generic[0]['samples']} "
             "sampled initializations with Wilson 95% intervals):", ""]
    for case in generic:
        body += [f"`{case['instance']}`: P = {case['P']} chambers (n^(d-1) = {case['n^(d-1)']}, 2^n = {case['2^n']}).",
                 ""]
        body += _table(["m", "mode", "p_contains_global", "p_spurious_local_min", "p_no_local_min", "p_no_global_min",
                        "p_fully_covered", "favourability", "epsilon"],
                       [[r["m"], _mode(r), _fmt(r["p_contains_global"]), _fmt(r["p_spurious_local_min"]),
                         _fmt(r["p_no_local_min"]), _fmt(r["p_no_global_min"]), f"{r['p_fully_covered']:.4f}",
                         _fmt(r["favourability"]), _epsilon(r)]
                        for r in case["rows"]])
    body += [f"![generic cases]({figures[1]})", ""]
    return Section("experiment-a", "1. Sufficiency and favourability (the authors' Experiment A)",
                   "With width m of order P (here P = 2^n), almost every activation region contains a global "
                   "minimum, and spurious local minima are a negligible fraction of the local minima.",
                   verdict, supported, body, figures, {"teacher": panels, "generic": generic})


# --- 2. necessity on orthogonal data ---------------------------------------------------------------------

def _necessity_cases(quick: bool) -> tuple[list[int], list[int], int, int]:
    """(values of n, census widths: each n's 2^n among them, samples, limit of the exhaustive census)."""
    if quick:
        return [3, 4], [2, 8, 16], 40, 600
    return [3, 4, 5], [2, 8, 16, 32, 64], 2000, 200_000


def _closed_form(n_plus: int, n_minus: int, m: int) -> Fraction:
    """docs §7: P(some positive draw covers the positive labels and some negative draw the negative ones)
    = 1 - (1-a)^m - (1-b)^m + (1-a-b)^m, a = 2^-(n_+ + 1), b = 2^-(n_- + 1) (0 at m = 1: L*_1 > C*)."""
    a, b = Fraction(1, 2 ** (n_plus + 1)), Fraction(1, 2 ** (n_minus + 1))
    return 1 - (1 - a) ** m - (1 - b) ** m + (1 - a - b) ** m


def necessity(settings: Settings) -> Section:
    ns, widths, samples, limit = _necessity_cases(settings.quick)
    instances = [orthogonal(n) for n in ns]

    def compute() -> Section:
        from .curves import curve

        cases = []
        for instance in instances:
            n_plus = sum(1 for v in instance.y if v > 0)
            rows = []
            for m in widths:
                row = _census_row(settings, "necessity", Context(instance, m), samples=samples, limit=limit,
                                  seed=settings.seed + m, local_minima=False)
                row["closed_form"] = float(_closed_form(n_plus, instance.n - n_plus, m))
                rows.append(row)
            curves = _exact_curves(instance, widths, list(SAMPLERS))
            exact = curve(instance, "uniform", widths=curves["samplers"]["uniform"]["widths"]) \
                if curves["certified"] else None
            agree = sum(1 for pt in exact.points if pt.lower == _closed_form(n_plus, instance.n - n_plus, pt.width)) \
                if exact is not None and exact.certified else 0
            cases.append({"instance": _save_instance(settings, instance), "n": instance.n, "2^n": 2 ** instance.n,
                          "n_plus": n_plus, "n_minus": instance.n - n_plus, "rows": rows, "curves": curves,
                          "closed_form_agrees": agree,
                          "closed_form_widths": len(exact.points) if exact is not None else 0})
        return _necessity_section(settings, cases)

    return _cached(settings, "necessity", instances, compute, lambda data: _necessity_figures(settings, data["cases"]),
                   parameters=[ns, widths, samples, limit, _CURVES_VERSION])


def _necessity_figures(settings: Settings, cases: list) -> list[str]:
    from .plots import curves_figure

    panels = []
    for case in cases:
        uniform = {"samplers": {"uniform": case["curves"]["samplers"]["uniform"]}} if case["curves"]["certified"] else {}
        rows = [dict(r, sampler="Gaussian (= uniform here)") for r in case["rows"]]
        panels.append(_curve_panel(f"orthogonal n = {case['n']} ({case['n_plus']} positive, {case['n_minus']} "
                                   f"negative labels)", uniform, rows, {f"$2^{case['n']}$ = {case['2^n']}": case["2^n"]}))
    return [curves_figure(panels, settings.out / "necessity.png",
                          "Necessity on orthogonal data: exact p_opt(m) (= the closed form) and the sampled census",
                          columns=len(panels))]


def _agrees(row: dict) -> bool | None:
    if row["closed_form"] is None:
        return None
    p = row["p_contains_global"]
    if row["exhaustive"]:
        return abs(p - row["closed_form"]) <= 1e-9
    return p[0] <= row["closed_form"] <= p[1]


def _necessity_section(settings: Settings, cases: list) -> Section:
    checks = [_agrees(r) for c in cases for r in c["rows"] if _agrees(r) is not None]
    exact = [r for c in cases for r in c["rows"] if r["exhaustive"] and r["closed_form"] is not None]
    closed = all(c["closed_form_agrees"] == c["closed_form_widths"] > 0 for c in cases)
    below = []
    for case in cases:
        thresholds = case["curves"]["samplers"]["uniform"]["thresholds"] if case["curves"]["certified"] else {}
        below.append(f"n = {case['n']}: p_opt(m) < 1/2 for every m < {_threshold_text(thresholds.get('1/2'))} and "
                     f">= 0.99 from m = {_threshold_text(thresholds.get('99/100'))} (2^n = {case['2^n']}, "
                     f"2^(max(n+, n-)+1) = {2 ** (max(case['n_plus'], case['n_minus']) + 1)})")
    supported = all(checks) and closed
    verdict = (f"{'Supported' if supported else 'Not supported'}: the certified exact curve equals the closed form "
               f"exactly (every digit) at {sum(c['closed_form_agrees'] for c in cases)} of "
               f"{sum(c['closed_form_widths'] for c in cases)} widths, and the certified census agrees with it in "
               f"{sum(checks)} of {len(checks)} rows ({len(exact)} exact rows to 1e-9, the others inside their Wilson "
               f"95% interval); {'; '.join(below)}. With fewer neurons than that, most regions do not contain a "
               "global minimum.")
    body = ["Orthogonal data x_i = e_i (P = 2^n chambers). The exact curve p_opt(m) comes from the certified "
            "optimal-regions classification (one positive and one negative optimal neuron; a support is any "
            "positive chamber containing the positive labels with any negative chamber containing the negative "
            "ones), drawn at every width up to 64 and log-spaced beyond; it is compared with the closed form as exact "
            "rationals. The census (Gaussian sampler, equal to the uniform one here: every orthant has measure 2^-n) "
            "is the sampled cross-check at a few widths, each n's 2^n among them: 'exact' rows enumerate every set of "
            "signed patterns with its exact probability, sampled rows give Wilson 95% intervals. Local minima are not "
            "tested in this section (the claim is about global minima).", ""]
    for case in cases:
        body += [f"**n = {case['n']}** (`{case['instance']}`; 2^n = {case['2^n']}, {case['n_plus']} positive and "
                 f"{case['n_minus']} negative labels): the exact curve equals the closed form at "
                 f"{case['closed_form_agrees']} of {case['closed_form_widths']} widths.", ""]
        body += _table(["m", "mode", "p_contains_global (census)", "exact p_opt(m) = closed form (docs/mathematics.md §7)",
                        "agrees"],
                       [[r["m"], _mode(r), _fmt(r["p_contains_global"]), f"{r['closed_form']:.6f}",
                         {True: "yes", False: "NO", None: "-"}[_agrees(r)]] for r in case["rows"]])
    figures = _necessity_figures(settings, cases)
    body += [f"![necessity]({figures[0]})", ""]
    return Section("necessity", "2. Necessity on orthogonal data",
                   "For orthogonal data (P = 2^n) a width of order 2^n is also necessary: with fewer neurons most "
                   "regions do not contain a global minimum.", verdict, supported, body, figures, {"cases": cases})


# --- 2b. the threshold widths as a scaling law ---------------------------------------------------------------

def _scaling_cases(quick: bool) -> list[tuple[str, Instance]]:
    """(family, instance): orthogonal data, generic integer data over an (n, d) grid, the authors' teacher data."""
    orthogonal_ns = [2, 3, 4, 5] if quick else [2, 3, 4, 5, 6, 7, 8]
    grid = [(4, 2), (6, 2)] if quick else [(4, 2), (6, 2), (8, 2), (5, 3), (6, 3)]
    teachers = [(4, 8)] if quick else [(4, 8), (4, 10), (6, 8), (6, 10)]
    return ([("orthogonal", orthogonal(n)) for n in orthogonal_ns]
            + [("generic", generic_instance(n, d, n * 10 + d)) for n, d in grid]
            + [("teacher", teacher(n, d, LAMBDA_A, seed=100 * n + d)) for n, d in teachers])


def scaling(settings: Settings) -> Section:
    """The certified threshold widths (p_opt >= 1/2, >= 0.99, uniform sampler) against the number of chambers P."""
    cases = _scaling_cases(settings.quick)

    def compute() -> Section:
        from .curves import curve

        rows = []
        for family, instance in cases:
            result = curve(instance, "uniform", widths=[1])
            P = len(result.regions.patterns) // 2 or len(enumerate_chambers(instance.X))
            row = {"family": family, "instance": _save_instance(settings, instance), "n": instance.n,
                   "d": instance.d, "P": P, "order": min(instance.n ** instance.d, 2 ** instance.n),
                   "coupon": math.ceil(2 * P * math.log(200 * P)), "certified": result.certified,
                   "reason": result.reason}
            if result.certified:
                row.update(half=result.thresholds["1/2"], ninety_nine=result.thresholds["99/100"],
                           supports=len(result.regions.supports), support_size=result.regions.smallest_support)
            rows.append(row)
        settings.tick()
        return _scaling_section(settings, rows)

    return _cached(settings, "scaling", [i for _, i in cases], compute,
                   lambda data: _scaling_figures(settings, data["rows"]), parameters=[_CURVES_VERSION])


def _scaling_figures(settings: Settings, rows: list[dict]) -> list[str]:
    from .plots import scaling_figure

    return [scaling_figure([r for r in rows if r["certified"]], settings.out / "scaling.png")]


def _slope(rows: list[dict], key: str) -> float | None:
    """The least-squares exponent alpha of threshold ~ P^alpha (log-log), or None with fewer than 2 sizes."""
    points = [(math.log(r["P"]), math.log(r[key])) for r in rows if r["certified"]]
    if len({x for x, _ in points}) < 2:
        return None
    xs, ys = np.array([x for x, _ in points]), np.array([y for _, y in points])
    return float(np.polyfit(xs, ys, 1)[0])


def _scaling_section(settings: Settings, rows: list[dict]) -> Section:
    figures = _scaling_figures(settings, rows)
    done = [r for r in rows if r["certified"]]
    below = sum(1 for r in done if r["ninety_nine"] <= r["coupon"])
    slopes = []
    for family in dict.fromkeys(r["family"] for r in rows):
        alpha = _slope([r for r in done if r["family"] == family], "ninety_nine")
        if alpha is not None:
            slopes.append(f"{family} {alpha:.2f}")
    supported = bool(done) and below == len(done) and len(done) == len(rows)
    verdict = (f"{'Supported' if supported else 'Not supported'}: for all {below} of {len(rows)} instances the "
               "certified width m_0.99 (the smallest m with p_opt(m) >= 0.99, exact) is at most 2P ln(200P), the width "
               "at which all 2P signed patterns are drawn with probability >= 0.99 (the paper's order P log P); the "
               f"fitted growth m_0.99 ~ P^alpha has alpha = {', '.join(slopes) or 'n/a'}: the thresholds are set by "
               "the few chambers the optimal neurons need (a support of k patterns each of probability 1/(2P) needs "
               "m of order 2P ln k), not by covering every region.")
    body = ["For each instance the optimal regions are classified and certified (claim `optimal-regions`) and the "
            "threshold widths are proved exactly under the uniform sampler (p_opt is non-decreasing in m, so each "
            "threshold is proved by its value and the one before). P is the number of chambers; the paper's order is "
            "min(n^d, 2^n); 2P ln(200P) is the coupon-collector width at which every signed pattern is drawn with "
            "probability >= 0.99 (a fully covered region always holds a global minimum).", ""]
    body += _table(["family", "n", "d", "P", "min(n^d, 2^n)", "supports (size)", "m_1/2", "m_0.99",
                    "2P ln(200P)", "instance"],
                   [[r["family"], r["n"], r["d"], r["P"], r["order"],
                     f"{r['supports']} ({r['support_size']})" if r["certified"] else "inconclusive",
                     r.get("half", "-"), r.get("ninety_nine", "-"), r["coupon"], f"`{r['instance']}`"] for r in rows])
    body += [f"![scaling]({figures[0]})", ""]
    return Section("scaling", "2b. Threshold widths as a scaling law",
                   "The width at which most regions hold a global minimum grows with the number of activation "
                   "patterns P, at most of order P log P (min(n^d, 2^n) up to a log factor).", verdict, supported,
                   body, figures, {"rows": rows})


# --- 3. the activation-pattern distribution (Experiment B) -------------------------------------------------

def _coverage_uniform(P: int, widths: list[int]) -> list[float]:
    """P(m uniform draws hit all P chambers), exactly, by the Markov chain on the number of chambers seen."""
    state = np.zeros(P + 1)
    state[0] = 1.0
    out, done = [], 0
    for m in widths:
        for _ in range(m - done):
            seen = np.arange(P + 1) / P
            state = state * seen + np.concatenate([[0.0], state[:-1] * (1 - seen[:-1])])
        done = m
        out.append(float(state[P]))
    return out


def activation_patterns(settings: Settings) -> Section:
    """Experiment B (docs §10): n = 7, d = 4 teacher data, 50,000 draws per sampler."""
    instance = teacher(7, 4, LAMBDA_A, seed=704 + settings.seed)
    draws = 10_000 if settings.quick else 50_000
    measure_samples = 1_000_000 if settings.quick else 10_000_000

    def compute() -> Section:
        arrangement = Context(instance, 1).arrangement
        P = len(arrangement)
        folder = settings.out / "certificates" / "activation-patterns"
        write_json(folder / f"{instance.name}-enumeration.json", enumeration_certificate(instance, arrangement))
        measured = arrangement.measures(samples=measure_samples, seed=settings.seed + 1)
        hits = np.rint(measured.values * measure_samples).astype(int)
        bands = np.array([wilson(int(c), measure_samples) for c in hits])   # per chamber, 95%
        rng = np.random.default_rng(settings.seed + 2)
        frequencies = {}
        for name, chosen in SAMPLERS.items():
            counts = np.zeros(P, dtype=np.int64)
            for _ in range(draws):
                (p,) = chosen.draw(arrangement, rng, 1)
                counts[p // 2] += 1
            frequencies[name] = counts.tolist()
        outside = {name: int(sum(1 for c, (lo, hi) in zip(counts, bands if name == "gaussian" else
                                                           [(1 / P, 1 / P)] * P)
                                 if not _wilson_overlaps(int(c), draws, lo, hi)))
                   for name, counts in frequencies.items()}
        thinnest = float(bands[:, 1].min())                 # 95% upper bound on the smallest measure
        needed = 1 / (2 * thinnest)   # P(thinnest hit) <= m q_min < 1/2 below this width
        top = max(1000 * P, 4 * needed)      # out to the width the verdict cites
        widths = sorted({int(x) for x in np.geomspace(1, top, 60)} | {P, 2 * P})
        expected = {"uniform": [1 - (1 - 1 / P) ** m for m in widths],
                    "gaussian": [float(np.mean(1 - (1 - measured.values) ** m)) for m in widths],
                    "gaussian_low": [float(np.mean(1 - (1 - bands[:, 0]) ** m)) for m in widths],
                    "gaussian_high": [float(np.mean(1 - (1 - bands[:, 1]) ** m)) for m in widths]}
        all_uniform = _coverage_uniform(P, widths)
        all_gaussian_bound = [min(1.0, m * thinnest) for m in widths]   # P(all hit) <= P(thinnest hit)
        harmonic = P * sum(1 / k for k in range(1, P + 1))
        tiny = int(np.sum(bands[:, 1] < 1 / (100 * P)))
        half = next((m for m, c in zip(widths, all_uniform) if c >= 0.5), None)
        data = {"instance": _save_instance(settings, instance), "P": P, "draws": draws,
                "measure": {"method": measured.method, "samples": measure_samples, "values": measured.values.tolist(),
                            "wilson": bands.tolist()},
                "frequencies": frequencies, "outside_interval": outside, "widths": widths,
                "expected_fraction_hit": expected, "all_hit_uniform": all_uniform,
                "all_hit_gaussian_upper": all_gaussian_bound, "uniform_cover_mean": harmonic,
                "thinnest_upper": thinnest, "chambers_below_1/(100P)": tiny, "half_width_uniform": half,
                "half_width_gaussian_lower": needed,
                "certificate": "certificates/activation-patterns/" + f"{instance.name}-enumeration.json"}
        for _ in range(_UNITS["activation-patterns"](settings.quick)):
            settings.tick()
        figures = draw(data)
        supported = needed > 10 * (half or 0)
        verdict = (f"{'Supported' if supported else 'Not supported'}: the {P} chambers (count certified by "
                   f"enumeration) are far from equally likely under Gaussian initialization: {tiny} have measure "
                   f"below 1/(100P) = {1 / (100 * P):.1e} (95% upper bounds), the thinnest at most {thinnest:.1e} "
                   f"against 1/P = {1 / P:.4f}. Half of all uniform width-m draws hit every chamber from m = {half} "
                   f"(P H_P = {harmonic:.0f} on average), but a Gaussian draw needs m >= 1 / (2 x {thinnest:.1e}) = "
                   f"{needed:.2g} neurons just to hit the thinnest chamber with probability 1/2. Sampled "
                   f"frequencies agree with the probabilities: {outside['gaussian']} (Gaussian) and "
                   f"{outside['uniform']} (uniform) of {P} chambers have a frequency interval disjoint from the "
                   f"probability's interval (about {0.05 * P:.0f} expected by chance at 95%).")
        body = [f"`{data['instance']}`: n = 7, d = 4, teacher data; {draws} single-neuron draws per sampler (seed "
                f"{settings.seed + 2}); Gaussian chamber measures estimated by Monte Carlo with {measure_samples} "
                f"samples (seed {settings.seed + 1}), each with its Wilson 95% interval (exact measures in d = 4 are "
                "not implemented). Coverage: the expected fraction of chambers holding at least one of m neurons "
                "(exact for uniform; for Gaussian from the estimated measures, band from their intervals), and the "
                "probability that every chamber holds one (exact for uniform; for Gaussian an upper bound, the "
                "probability of hitting the thinnest chamber).", "",
                "| quantity | Gaussian | uniform |", "|---|---|---|",
                f"| smallest / largest chamber probability | <= {thinnest:.1e} / {measured.values.max():.4f} | "
                f"{1 / P:.4f} / {1 / P:.4f} |",
                f"| chambers with probability < 1/(100P) | {tiny} | 0 |",
                f"| width at which half of all draws hit every chamber | >= {needed:.2g} | {half} |",
                f"| chambers whose frequency interval misses the probability | {outside['gaussian']} / {P} | "
                f"{outside['uniform']} / {P} |",
                "", f"![activation patterns]({figures[0]})", ""]
        return Section("activation-patterns", "3. The activation-pattern distribution (the authors' Experiment B)",
                       "The Gaussian measure of the chambers is far from uniform, and that drives the width "
                       "needed to cover them all.", verdict, supported, body, figures, data)

    def draw(data: dict) -> list[str]:
        from .plots import activation_figure

        intervals = {name: [wilson(int(c), data["draws"]) for c in counts]
                     for name, counts in data["frequencies"].items()}
        return [activation_figure({**data, "frequency_wilson": intervals}, settings.out / "activation-patterns.png")]

    return _cached(settings, "activation-patterns", [instance], compute, draw,
                   parameters=[draws, measure_samples, "widths to 4 / (2 q_min)"])


def _wilson_overlaps(count: int, draws: int, low: float, high: float) -> bool:
    a, b = wilson(count, draws)
    return a <= high and low <= b


# --- 4. initialization (claim 3; the saddle developers own this experiment) -------------------------------

def _initialization_plan(quick: bool) -> InitializationPlan:
    """The settings of section 4 (`protocol.QUICK`, `protocol.FULL`: cases, scales, runs, steps, rate)."""
    return QUICK if quick else FULL

# The verdict groups of the report, by `Outcome` member (so a verdict added or renamed elsewhere lands in "other"
# under its own value, which the per-verdict counts keep).
_GROUPS = (("near global minimum", Outcome.NEAR_GLOBAL_MINIMUM),
           ("near spurious local minimum", Outcome.NEAR_SPURIOUS_LOCAL_MINIMUM),
           ("near spurious saddle", Outcome.NEAR_SPURIOUS_SADDLE))
OTHER = "other (any other verdict, or inconclusive)"
GROUPS = [label for label, _ in _GROUPS] + [OTHER]


def _group(verdict: str) -> str:
    return next((label for label, member in _GROUPS if verdict == member.value), OTHER)


def _grouped(verdicts: dict[str, int]) -> dict[str, int]:
    """Counts per verdict value -> counts per report group (every group present)."""
    groups = dict.fromkeys(GROUPS, 0)
    for verdict, count in verdicts.items():
        groups[_group(verdict)] += count
    return groups


def _initialization_unit(unit: tuple, steps: int, runs: int, rate: float = RATE) -> tuple[dict, list]:
    """One (instance, width, scale): `runs` runs of the authors' protocol (`protocol.train_unit`, seeds
    0..runs-1), every endpoint classified; the row (counts per verdict value, converged or not, and the creep of
    each run that did not converge) and each run's certificate (None when inconclusive). A pure function of its
    arguments (a task: it runs wherever `parallel.Tasks` sends it)."""
    name, instance, width, scale = unit
    outcomes = train_unit(instance, width, scale, range(runs), steps, rate)
    converged: dict[str, int] = {}
    stuck: dict[str, int] = {}
    for run in outcomes:
        tally = converged if run.converged else stuck
        tally[run.verdict] = tally.get(run.verdict, 0) + 1
    groups = _grouped(converged)
    creeping = [run.creep.extra for run in outcomes if run.creep is not None and run.creep.steady]
    row = {"instance": name, "width": width, "init_scale": scale, "runs": runs,
           "converged": sum(run.converged for run in outcomes), "diverged": sum(run.diverged for run in outcomes),
           "groups": groups, "verdicts": converged, "not_converged_verdicts": stuck,
           "steps_taken": [run.steps for run in outcomes], "creeping": len(creeping),
           "extra_steps": sorted(creeping),
           "rates": sorted(run.creep.rate for run in outcomes if run.creep is not None and run.creep.steady)}
    return row, [run.document for run in outcomes]


def _initialization(settings: Settings) -> dict:
    """Claim 3 like-for-like with the authors (docs §10 (C)): the Theorem 2 instance (d = 3 exact, d = 4 rational
    near the construction), their balanced initialization w_j ~ N(0, alpha^2 I), a_j = +-||w_j||, lambda = 1e-5,
    their update (full-batch gradient descent on their loss 2L at rate 0.01) and their stopping rule
    ||grad||^2 < 1e-16, within a budget of 4e5 steps (their default cap is 1e8: see `protocol.FULL`); every
    endpoint classified (docs §9). The three-point dataset with a bias is the second example. --quick
    (`protocol.QUICK`): theorem2-d3 at width 6, 6 runs per scale, at 20 times their rate, so that every run meets
    the criterion within the budget; the report states the difference.
    Each (instance, width, scale) is a task (`settings.tasks`); its endpoints' certificates go to the bundle
    `certificates/initialization/<instance>/width-<m>/scale-<alpha>.jsonl.gz` (one line per certified run, in seed
    order) and its row to a checkpoint, so an interrupted run keeps the units it finished."""
    setup = _initialization_plan(settings.quick)
    scales, runs, steps, rate = setup.scales, setup.runs, setup.steps, setup.rate
    units, cases = [], []
    for folder, name, widths in setup.cases:
        instance = _data(folder, name)
        cases.append(name)
        units += [(name, instance, width, scale) for width in widths for scale in scales]

    def checkpoint(unit) -> Path:
        name, instance, width, scale = unit
        key = hashlib.sha256(json.dumps([instance.digest(), width, scale, steps, rate, CRITERION, runs,
                                         _VERSION]).encode())
        return settings.out / "checkpoints" / "initialization" / f"{name}-w{width}-s{scale:g}-{key.hexdigest()[:12]}.json"

    rows: list[dict | None] = [None] * len(units)
    todo = []
    for index, unit in enumerate(units):
        if checkpoint(unit).exists():
            rows[index] = json.loads(checkpoint(unit).read_text())
            settings.tick()
        else:
            todo.append(index)
    tasks = settings.tasks or Tasks(1)
    for k, (row, documents) in tasks.map(_initialization_unit, [units[i] for i in todo], steps, runs, rate,
                                         parallel=len(todo) > 1):
        name, _, width, scale = units[todo[k]]
        folder = settings.out / "certificates" / "initialization" / name / f"width-{width}"
        writer = BundleWriter(folder, f"scale-{scale:g}", fresh=True)   # a unit redone starts afresh
        for document in documents:
            if document is not None:
                writer.append(document)
        writer.close()
        row["certificates"] = str((folder / writer.name).relative_to(settings.out))
        row["certified"] = sum(document is not None for document in documents)
        write_json(checkpoint(units[todo[k]]), row)
        rows[todo[k]] = row
        settings.tick()
    rows = [{**row, "not_converged_groups": _grouped(row["not_converged_verdicts"])} for row in rows if row is not None]
    return {"instances": cases, "groups": GROUPS, "lambda": "1e-5 (three-points: 1/1000)", "steps": steps,
            "rate": rate, "criterion": CRITERION, "init": "balanced", "rows": rows, "difference": setup.difference,
            "scales": [_scale_summary([r for r in rows if r["init_scale"] == scale], scale) for scale in scales]}


def _scale_summary(rows: list[dict], scale: float) -> dict:
    """One scale over every instance and width: runs, converged, the verdict groups among converged runs, the
    not-converged runs (creeping or not) and their extrapolated steps."""
    total: dict = {"init_scale": scale, "runs": sum(r["runs"] for r in rows),
                   "converged": sum(r["converged"] for r in rows),
                   "groups": {g: sum(r["groups"][g] for r in rows) for g in GROUPS},
                   "creeping": sum(r["creeping"] for r in rows),
                   "extra_steps": sorted(x for r in rows for x in r["extra_steps"]),
                   "rates": sorted(x for r in rows for x in r.get("rates", [])), "verdicts": {},
                   "not_converged_verdicts": {}}
    for r in rows:
        for key in ("verdicts", "not_converged_verdicts"):
            for verdict, count in r[key].items():
                total[key][verdict] = total[key].get(verdict, 0) + count
    total["not_converged_groups"] = _grouped(total["not_converged_verdicts"])
    return total


def _share(count: int, total: int) -> str:
    if not total:
        return "-"
    low, high = wilson(count, total)
    return f"{count}/{total} [{low:.2f}, {high:.2f}]"


def _steps(values: list[int]) -> str:
    if not values:
        return "-"
    return f"{values[len(values) // 2]:.2g}" + (f" (max {values[-1]:.2g})" if len(values) > 1 else "")


def _rate(rates: list[float]) -> str:
    return f"1 - {1 - rates[len(rates) // 2]:.2g}" if rates else "-"


def _initialization_report(claim: dict, figure: str) -> list[str]:
    scales = claim["scales"]
    lines = ["## 3. Initialization scale (Theorem 2)", "",
             f"Instances {', '.join(claim['instances'])}; the authors' protocol: balanced initialization "
             f"w_j ~ N(0, α² I), a_j = ±||w_j||, lambda = {claim['lambda']}, full-batch gradient descent on their "
             f"loss (1/n)||f - y||² + lambda(||a||² + ||W||²) = 2L at rate {claim['rate']}, until "
             f"||grad||² < {claim['criterion']:g}, here within a budget of {claim['steps']:,} steps (the authors' "
             "default cap is 100,000,000). "
             "*Converged* means exactly that criterion at the float endpoint. Every endpoint, converged or not, is "
             "classified by a certificate the exact checker accepted (an `endpoint` claim about the stationary point "
             "near it, with the endpoint's certified prediction distance to it), or counted inconclusive. Each "
             "row's certificates are one bundle, `certificates/initialization/<instance>/width-<m>/scale-<alpha>"
             ".jsonl.gz`, one line per certified endpoint in seed order (`verifier check` on the bundle checks them "
             "all).", ""]
    if claim.get("difference"):
        lines += [f"**Differs from the authors' protocol:** {claim['difference']}.", ""]
    lines += ["Per scale α (all instances and widths together); fractions with Wilson 95% intervals. The verdict "
             "columns count converged runs only; a run that did not converge is *creeping* when its face stayed the "
             "same and ||grad||² fell at a steady linear rate over the last two tenths of the budget, and its "
             "steps to the criterion are extrapolated at that rate (median, and max). A neuron with <w_j, x_i> < 0 "
             "for every i gets no gradient from the data: gradient descent only shrinks it, by 1 - 2 rate lambda per "
             "step, so it stays dead and its share of ||grad||² falls by (1 - 2 rate lambda)² = "
             f"1 - {4 * claim['rate'] * 1e-5:.2g} per step at lambda = 1e-5; that is the rate measured below "
             "wherever such neurons remain. The extrapolation is at the rate of the budget's end: a later phase "
             "can be slower (a small neuron whose growth gain is just below zero shrinks more slowly than a dead "
             "one), so read it as a lower estimate. A run heading for a global minimum with a neuron on a kink "
             "(theorem2-d3's has one on the kink of x_1) does not converge, and a larger budget does not help: "
             "fixed-step descent bounces across the kink (docs/mathematics.md §10); such runs count among the not-converged ones, by verdict.",
             "",
             "| α | runs | converged | " + " | ".join(GROUPS) + " | not converged: creeping | its rate ρ per step "
             "(median) | steps still needed |", "|---" * (6 + len(GROUPS)) + "|"]
    for s in scales:
        stuck = s["runs"] - s["converged"]
        lines.append(f"| {s['init_scale']:g} | {s['runs']} | {_share(s['converged'], s['runs'])} | "
                     + " | ".join(_share(s["groups"][g], s["converged"]) for g in GROUPS)
                     + f" | {s['creeping']}/{stuck} | {_rate(s['rates'])} | {_steps(s['extra_steps'])} |")
    lines += ["", "Verdict values behind the groups (converged runs; not-converged runs after the semicolon):", ""]
    lines += [f"- α = {s['init_scale']:g}: " + (", ".join(f"{c} × {v}" for v, c in sorted(s["verdicts"].items()))
                                                 or "none") + "; "
              + (", ".join(f"{c} × {v}" for v, c in sorted(s["not_converged_verdicts"].items())) or "none")
              for s in scales]
    lines += ["", "Per (instance, width, scale):", "",
              "| instance | width | α | converged | " + " | ".join(GROUPS) + " | creeping | steps taken (max) |",
              "|---" * (6 + len(GROUPS)) + "|"]
    lines += [f"| {r['instance']} | {r['width']} | {r['init_scale']:g} | {r['converged']}/{r['runs']} | "
              + " | ".join(str(r["groups"][g]) for g in GROUPS)
              + f" | {r['creeping']}/{r['runs'] - r['converged']} | {max(r['steps_taken']):,} |" for r in claim["rows"]]
    lines += ["", f"![initialization]({figure})", ""]
    return lines


def initialization(settings: Settings) -> Section:
    """Claim 3 (docs §10 (C)): every endpoint classified, counted by certified outcome; see `_initialization`."""
    setup = _initialization_plan(settings.quick)
    instances = [_data(folder, name) for folder, name, _ in setup.cases]

    def draw(data: dict) -> list[str]:
        from .plots import initialization_figure

        return [initialization_figure(data, settings.out / "initialization.png")]

    def compute() -> Section:
        data = _initialization(settings)
        data["instance_files"] = [_save_instance(settings, instance) for instance in instances]
        (figure,) = draw(data)
        verdict, supported = _initialization_verdict(data["scales"])
        body = _initialization_report(data, figure)[2:]
        return Section("initialization", "4. Initialization scale (claim 3, Theorem 2)",
                       "From small initialization, gradient descent can converge to spurious points even when the "
                       "landscape is benign.", verdict, supported, body, [figure], data)

    return _cached(settings, "initialization", instances, compute, draw,
                   parameters=[setup.cases, setup.scales, setup.runs, setup.steps, setup.rate, CRITERION])


def _initialization_verdict(scales: list[dict]) -> tuple[str, bool | None]:
    """Supported when, below scale 1, most converged endpoints are certified near a spurious stationary point
    (spurious local minimum or spurious saddle); the scales >= 1 are reported beside (the contrast's other half),
    and undecided when no run below scale 1 converged."""
    def pool(small: bool) -> tuple[int, int, int, int]:
        mine = [s for s in scales if (s["init_scale"] < 1) == small]
        converged = sum(s["converged"] for s in mine)
        spurious = sum(s["groups"][g] for s in mine for g in GROUPS[1:3])
        return sum(s["runs"] for s in mine), converged, spurious, sum(s["groups"][GROUPS[0]] for s in mine)

    runs, converged, spurious, near_global = pool(True)
    big_runs, big_converged, big_spurious, big_global = pool(False)
    supported = spurious > converged / 2 if converged else None
    word = {True: "Supported", False: "Not supported", None: "Undecided"}[supported]
    text = (f"{word}: from scales below 1, {converged} of {runs} runs converged (||grad||² < 1e-16), and "
            f"{spurious} of those {converged} endpoints are certified near a spurious stationary point, "
            f"{near_global} near a global minimum.")
    if big_runs:
        text += (f" From scales >= 1: {big_converged} of {big_runs} runs converged; {big_global} near a global "
                 f"minimum, {big_spurious} spurious.")
        stuck_global = sum(s["not_converged_groups"][GROUPS[0]] for s in scales if s["init_scale"] >= 1)
        if big_runs > big_converged:
            text += (f" Of the {big_runs - big_converged} that did not converge, {stuck_global} are certified near a "
                     "global minimum.")
    else:
        text += " No scale >= 1 in this mode (see the report: those runs need far more steps than the budget)."
    return text, supported


# --- 5. the catalog of local minima (docs §8) -------------------------------------------------------------

_CATALOG_CASES = [("paper", "one-dimensional-eighth", ([1, 2, 3, 4], [1, 2, 3, 4])),
                  ("paper", "orthogonal-3", ([1, 2], [1, 2, 3])),
                  ("examples", "planar", ([1], [1, 2, 3]))]
# the instances whose every-width catalog (docs/mathematics.md §12) the section also certifies: a few seconds each
# (planar takes about a minute and leaves face sets undecided, so it is not among them)
_EVERY_WIDTH_CASES = ["one-dimensional-eighth", "orthogonal-3"]


def catalog(settings: Settings) -> Section:
    """Section 5 (docs §8): the complete, certified catalog of local minima of a few tiny instances across widths:
    the number of spurious local minima (one per product face), the Gaussian probability that a random
    initialization's region has one in its closure, and the favourability fraction; each catalog's certificate is
    written to `certificates/catalog/` (the checker accepted it before it is counted). For the `_EVERY_WIDTH_CASES`
    it also certifies the landscape at every width (docs §12): the local-minimum classes, L*_m and the spurious values
    at every width, from the `every-width` certificate written beside the others."""
    from .catalog import build_catalog
    from .every_width import build_every_width
    from .plots import catalog_widths_figure

    instances = [_data(folder, name) for folder, name, _ in _CATALOG_CASES]

    def compute() -> Section:
        rows = []
        for instance, (_, name, widths) in zip(instances, _CATALOG_CASES):
            _save_instance(settings, instance)
            for width in widths[0 if settings.quick else 1]:
                result = build_catalog(instance, width, tasks=settings.tasks)
                path = Path("certificates") / "catalog" / f"{name}-width-{width}.json"
                if result.document is not None and result.certified:
                    write_json(settings.out / path, result.document)
                favour = result.favourability
                rows.append({"instance": name, "width": width, "verdict": result.verdict,
                             "certified": result.certified, "complete": result.complete,
                             "spurious": len(result.spurious), "undecided": result.open_faces,
                             "product_faces": result.product_faces,
                             "values": [e["value_float"][0] for e in result.spurious],
                             "value_brackets": [e["value"] for e in result.spurious],
                             "strict": [e["strict"] for e in result.spurious],
                             "probability_spurious": favour.get("probability_spurious_closure"),
                             "favourability_by_count": favour.get("spurious_by_count"),
                             "favourability_by_count_exact": favour.get("spurious_by_count_exact"),
                             "favourability_by_weight": favour.get("spurious_by_weight"),
                             "certificate": str(path) if result.certified else None,
                             "seconds": round(result.seconds, 2)})
                settings.tick()
        every = []
        for instance, (_, name, _) in zip(instances, _CATALOG_CASES):
            if name in _EVERY_WIDTH_CASES:
                every.append(_every_width_row(settings, name, build_every_width(instance, tasks=settings.tasks)))
                settings.tick()
        figure, *every_figures = draw({"rows": rows, "every_width": every})
        certified = [r for r in rows if r["certified"] and r.get("complete")]   # an incomplete catalog lists only some
        with_spurious = [r for r in certified if r["spurious"]]
        falling = {}
        for name in dict.fromkeys(r["instance"] for r in certified):
            p = [r["probability_spurious"] or 0.0 for r in certified if r["instance"] == name]
            if len(p) >= 2:
                falling[name] = all(b <= a for a, b in zip(p, p[1:])) and p[-1] < p[0]
        supported = bool(falling) and all(falling.values()) if len(certified) == len(rows) else None
        word = {True: "Supported", False: "Not supported at these widths", None: "Undecided by this section"}[supported]
        verdict = (f"{word}: {len(certified)} of {len(rows)} catalogs are complete and certified; "
                   f"{len(with_spurious)} of them hold spurious local minima ("
                   + ", ".join(f"{r['instance']} m={r['width']}: {r['spurious']}" for r in with_spurious) + "), so "
                   "spurious local minima persist as the width grows; the probability that a random region's closure "
                   "holds one falls with the width on " + f"{sum(falling.values())} of {len(falling)} instances with "
                   "several widths (" + ", ".join(f"{r['instance']} m={r['width']}: {_fmt(r['probability_spurious'])}"
                                                  for r in certified) + ").")
        stated = [r for r in every if r["certified"] and r["statement"]]
        if stated:
            verdict += (" At every width (certified every-width catalogs, docs §12): "
                        + "; ".join(f"{r['instance']}: {r['statement']}" for r in stated) + ".")
        body = [f"Catalogs (docs/mathematics.md §8) of {', '.join(name for _, name, _ in _CATALOG_CASES)} across "
                "widths. Every row "
                "is a certificate the exact checker accepted (`verifier check certificates/catalog/<file>`), and so is what "
                "it says of each spurious local minimum (its value bracket, and strict or non-strict: non-strict when two "
                "neurons share a signed face, so mass can slide between them) and the favourability by count (spurious "
                "local minima over spurious plus global ones, counted by product face; exact, or an interval while "
                "faces stay open). The probabilities and the favourability by weight are computed from the chambers' "
                "Gaussian measures and the catalog's table, not certified.", ""]
        body += _table(["instance", "m", "verdict", "product faces", "spurious local minima", "their values",
                        "strict / non-strict / not decided", "P(region's closure holds one)",
                        "favourability (count, certified / weight, computed)", "seconds"],
                       [[r["instance"], r["width"],
                         r["verdict"] + ("" if r.get("complete") else
                                         f" (catalog incomplete: {r['undecided']} undecided)"),
                         r["product_faces"], r["spurious"],
                         ", ".join(f"{v:.4g}" for v in r["values"]) or "-",
                         " / ".join(str(r["strict"].count(w)) for w in ("strict", "non-strict", "not decided")),
                         _fmt(r["probability_spurious"]),
                         f"{_fmt(r['favourability_by_count'])} / {_fmt(r['favourability_by_weight'])}", r["seconds"]]
                        for r in rows])
        body += [f"![catalog]({figure})", ""]
        body += _every_width_body(every, every_figures)
        return Section("catalog", "5. The catalog of local minima (docs/mathematics.md §8)",
                       "Favourability (claim 1, second version): spurious local minima may exist at every width, but "
                       "the probability that a random initialization's region leads to one falls as the width grows.",
                       verdict, supported, body, [figure, *every_figures], {"rows": rows, "every_width": every})

    def draw(data: dict) -> list[str]:
        from .plots import every_width_figure, save_figure
        figures = [catalog_widths_figure(data["rows"], settings.out / "catalog.png")]
        for row in data.get("every_width", []):
            if row["certified"]:     # a figure only from a certificate the checker accepted
                figure = every_width_figure(_every_width_view(row["result"]))
                (ax,) = figure.axes
                ax.set_title(f"{row['instance']}: {ax.get_title()}", fontsize=8)
                save_figure(figure, settings.out / f"every-width-{row['instance']}.png")
                figures.append(f"every-width-{row['instance']}.png")
        return figures

    return _cached(settings, "catalog", instances, compute, draw, parameters=[_CATALOG_CASES, _EVERY_WIDTH_CASES])


def _every_width_row(settings: Settings, name: str, result) -> dict:
    """One instance's every-width result; its certificate is written to `certificates/catalog/` only when the checker
    accepted it (`result.certified`)."""
    path = Path("certificates") / "catalog" / f"{name}-every-width.json"
    if result.certified and result.document is not None:
        write_json(settings.out / path, result.document)
    return {"instance": name, "certified": result.certified, "verdict": result.verdict,
            "statement": result.statement if result.certified else None, "result": result.to_dict(),
            "certificate": str(path) if result.certified else None}


def _every_width_view(data: dict):
    """The `EveryWidth` a figure needs (classes' values and from-widths, the rows), rebuilt from its `to_dict` form
    (a cached section holds only that)."""
    from .every_width import EveryWidth, ResidualClass, WidthRow

    def bracket(texts) -> tuple[Fraction, Fraction]:
        low, high = (Fraction(t) for t in texts)
        return low, high

    classes = [ResidualClass(bracket(c["value"]), c["from_width"], c["global_at_from_width"], (),
                             c["strict_at_from_width"]) for c in data["classes"]]
    rows = [WidthRow(r["width"], bracket(r["L*_m"]), tuple(bracket(v) for v in r["spurious"]), tuple(r["open"]))
            for r in data["by_width"]]
    return EveryWidth(data["verdict"], data["bound"], classes, rows, data["stable_from"], data["undecided"],
                      data["settled"], Fraction(data["epsilon"]), data["seconds"], data["certified"])


def _every_width_body(every: list[dict], figures: list[str]) -> list[str]:
    """The every-width tables of section 5: the classes (value, from width, global or spurious there), then L*_m and
    the spurious values at each width m = 1 .. stable_from (every larger width as the last row), and the statement;
    only certified results are tabulated."""
    certified = [r for r in every if r["certified"]]
    if not every:
        return []
    body = ["### The landscape at every width (docs/mathematics.md §12)", "",
            "One catalog over sets of at most n distinct signed faces decides every width at once (`verifier certify "
            "INSTANCE --every-width`); each result below is an `every-width` certificate the exact checker accepted "
            "(`verifier check certificates/catalog/<instance>-every-width.json`). "
            + (f"Not certified, so not tabulated: {', '.join(r['instance'] for r in every if not r['certified'])}."
               if len(certified) < len(every) else "").rstrip(), ""]
    at = {True: "global", False: "spurious", None: "not separated"}
    body += _table(["instance", "class value", "from width", "there", "strict there"],
                   [[r["instance"], c["value"][0] if c["value"][0] == c["value"][1]
                     else f"[{c['value_float'][0]:.12g}, {c['value_float'][1]:.12g}]", c["from_width"],
                     at[c["global_at_from_width"]], c["strict_at_from_width"]]
                    for r in certified for c in r["result"]["classes"]])
    body += _table(["instance", "m", "L*_m", "spurious values at m", "open"],
                   [[r["instance"], f"{w['width']}" + ("+" if w is r["result"]["by_width"][-1] else ""),
                     f"{w['L*_m_float'][1]:.6g}", ", ".join(f"{v:.6g}" for v in w["spurious_float"]) or "-",
                     len(w["open"]) or "-"]
                    for r in certified for w in r["result"]["by_width"]])
    body += [f"- {r['instance']}: {r['statement'] or 'no statement (a width or a face set is left open)'}"
             for r in certified] + [""]
    body += [f"![every width]({figure})" for figure in figures] + ([""] if figures else [])
    return body


# --- the driver ---------------------------------------------------------------------------------------------

SECTIONS: list[Callable[[Settings], Section]] = [experiment_a, necessity, scaling, activation_patterns, initialization,
                                                 catalog]
SECTION_KEYS = [section.__name__.replace("_", "-") for section in SECTIONS]

_UNITS: dict[str, Callable[[bool], int]] = {
    "experiment-a": lambda quick: (len(_a_cases(quick)[0]) * len(_a_cases(quick)[1]) * len(SAMPLERS)
                                   + sum(len(_generic_widths(2 * len(enumerate_chambers(generic_instance(n, d, n * 10 + d).X)),
                                                             quick)) for n, d in _generic_cases(quick)[0])),
    "necessity": lambda quick: len(_necessity_cases(quick)[0]) * len(_necessity_cases(quick)[1]),
    "scaling": lambda quick: 1,
    "activation-patterns": lambda quick: 1,
    "initialization": lambda quick: _initialization_plan(quick).units,
    "catalog": lambda quick: (sum(len(widths[0 if quick else 1]) for _, _, widths in _CATALOG_CASES)
                              + len(_EVERY_WIDTH_CASES)),
}


def plan(quick: bool, sections: list[str] | None = None) -> int:
    """Progress units of a run (for an ETA): one per census, per (instance, width, scale) of gradient-descent runs
    (a few to a few dozen seconds each, as a census), per section otherwise."""
    return sum(units(quick) for key, units in _UNITS.items() if sections is None or key in sections)


def reproduce(out: str | Path, quick: bool = True, progress: Callable[[str], None] | None = None,
              seed: int = 0, sections: list[str] | None = None, tasks: Tasks | None = None,
              bar: Callable[[str], ContextManager[Callable]] | None = None) -> dict:
    """Run the sections (all, or those keyed in `sections`: `SECTION_KEYS`) and write report.md, claims.json, the
    figures, the instance files and the certificates into `out`; census sets are mapped by `tasks` (default: in
    process); `bar` opens an inner progress bar per census (see `Settings`)."""
    start, cpu = time.perf_counter(), _cpu_seconds()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(out, quick, seed, (lambda: progress("")) if progress else (lambda: None), tasks)
    if bar is not None:
        settings.bar = bar
    results = []
    for section in SECTIONS:
        key = section.__name__.replace("_", "-")
        if sections is None or key in sections:
            results.append(section(settings))
    summary = {"quick": quick, "seed": seed, "cores": os.cpu_count(), "seconds": round(time.perf_counter() - start, 1),
               "cpu_seconds": round(_cpu_seconds() - cpu, 1), "load_average": os.getloadavg()[0],
               "command": f"verifier reproduce{' --quick' if quick else ''} --seed {seed} --out {out}",
               "sections": [asdict(s) for s in results]}
    write_json(out / "claims.json", summary)
    write_text(out / "report.md", report(summary))
    return summary


def _cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes (a timing that other users' load does not
    inflate, unlike wall time)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def report(summary: dict) -> str:
    """report.md: how to regenerate and re-check, then each section's claim, verdict, tables and figures."""
    lines = ["# Reproducing the paper's claims, certified", "",
             f"Mode: {'quick (subsampled: fewer instances, widths and draws; see each section)' if summary['quick'] else 'full'}; "
             f"seed {summary['seed']}; {summary['seconds']} s wall time, {summary.get('cpu_seconds', '?')} s CPU time, on "
             f"{summary['cores']} cores (load average {summary.get('load_average', 0):.1f} at the end: wall times "
             "are inflated on a shared machine).", "",
             f"Regenerate: `{summary['command']}` (an interrupted run resumes where it stopped). Re-check: every "
             "instance used is in `instances/`, and every certified claim behind a table row is a certificate "
             "under `certificates/`: a file, or a line of a census folder's bundle `sets.jsonl.gz` (one certificate "
             "per line). `verifier check FILE` checks a file or every line of a bundle (`FILE#LINE` one line); "
             "all of them: `find certificates -name '*.json' -o -name '*.jsonl.gz' | xargs -n 1 verifier check`. "
             "Each census folder's `regions.jsonl` lists every classified set of signed patterns with its class and "
             "the certificates behind it (`sets.jsonl.gz#LINE`, and `L-star-m.json` for the width's bounds). "
             "Intervals are Wilson 95% score intervals; exact rows enumerate every region with its exact "
             "probability. Every number is in `claims.json`.", "",
             "| section | verdict | seconds |", "|---|---|---|"]
    lines += [f"| {s['title']} | {_short(s['supported'])} | {s['seconds']} |" for s in summary["sections"]]
    lines.append("")
    for s in summary["sections"]:
        lines += [f"## {s['title']}", "", f"**Claim.** {s['claim']}", "", f"**Verdict.** {s['verdict']}", ""]
        lines += s["body"]
    return "\n".join(_spaced(lines))


def _spaced(lines: list[str]) -> list[str]:
    """Markdown lines with a blank line before and after every heading (a list or table just above one would
    run into it) and no blank line doubled, ending with one newline."""
    out: list[str] = []
    for line in lines:
        heading = line.startswith("#")
        if (heading or (out and out[-1].startswith("#"))) and out and out[-1] != "":
            out.append("")
        if not (line == "" and out and out[-1] == ""):
            out.append(line)
    return out + ([""] if out and out[-1] != "" else [])


def _short(supported: bool | None) -> str:
    return {True: "supported", False: "not supported", None: "undecided / not run"}[supported]
