"""The report of `reproduce`: report.md's Markdown and the PNG figures, rendered from the sections' data (the
records `experiment_a`, `necessity`, `scaling`, `activation_patterns`, `initialization` and `catalog` return). The
only module of `reproduce` that draws: it hands the data to `plots` (a leaf only front ends import).

Every sentence here says what a certificate proved (docs/mathematics.md §6) and no more: a verdict counts certified
classes, and what was only sampled or computed in floats is said to be so."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..census import wilson
from ..display import rounded
from ..journal import Journal
from ..vocabulary import RegionClass
from .activation_patterns import ActivationPatterns, coverage_uniform
from .activation_patterns import Cases as ActivationCases
from .base import Prose, Settings, to_json
from .catalog import CASES as CATALOG_CASES
from .catalog import Catalogs, EveryWidthRow, SpuriousCurveRow, SpuriousPoint, every_width_view, spurious_view
from .exact import ExactCurves, SamplerCurve
from .experiment_a import LAMBDA_A, TOLERANCE_A, ExperimentA, GenericCase
from .experiment_a import Cases as ExperimentCases
from .initialization import GROUPS, Initialization, ScaleSummary
from .necessity import Necessity, NecessityCase
from .scaling import Scaling, ScalingRow

__all__ = ["report", "RENDER", "listed", "initialization_table", "initialization_verdict"]

# the census probability of each region class (`Census` fields)
_PROBABILITY = {RegionClass.CONTAINS_GLOBAL: "p_contains_global", RegionClass.SPURIOUS: "p_spurious_local_min",
                RegionClass.NO_LOCAL: "p_no_local_min", RegionClass.NO_GLOBAL: "p_no_global_min",
                RegionClass.UNDECIDED: "p_undecided"}


# --- Markdown pieces -------------------------------------------------------------------------------------------

def _table(header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table and the blank line after it."""
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows] + [""])


def listed(values) -> str:
    """Values as prose, "10, 40, 160" (not a Python list's repr)."""
    return ", ".join(str(v) for v in values)


def _mode(row: dict) -> str:
    return "exact" if row["exhaustive"] else f"{row['samples']} samples"


def _fmt(p) -> str:
    """A probability for a table: a value to 4 decimals, an interval's ends to 3, None as n/a."""
    return rounded(p, ".3f", ".4f")


def _epsilon(row: dict) -> str:
    """The row's epsilon (an upper bound on every `contains-global-min` region's), or n/a when it has none."""
    held = row["counts"][RegionClass.CONTAINS_GLOBAL] if row["counts"] else row["p_contains_global"]
    return f"{row['epsilon']:.1e}" if held else "n/a"


def _count(row: dict, kind: RegionClass) -> str:
    """A census row's class as k/N (sampled) or its exact probability (exhaustive)."""
    return f"{row['counts'][kind]}/{row['samples']}" if row["counts"] else _fmt(row[_PROBABILITY[kind]])


def _threshold_text(value) -> str:
    if value is None:
        return "beyond the widths evaluated"
    if isinstance(value, list):
        return str(value[0]) if value[0] == value[1] else f"{value[0]}..{value[1]}"
    return str(value)


def _sampler_label(name: str, entry: SamplerCurve) -> str:
    if name == "uniform":
        return "uniform: exact"
    how = {"exact": "exact angles", "girard": "Girard's formula", "monte-carlo": "Monte Carlo measures, 95%"}
    return f"Gaussian: interval ({how.get(entry.method, entry.method)})"


def _short(supported: bool | None) -> str:
    return {True: "supported", False: "not supported", None: "undecided / not run"}[supported]


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


def report(summary: dict) -> str:
    """report.md: how to regenerate and re-check, then each section's claim, verdict, tables and figures (from
    claims.json's form of the run, `summary`)."""
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


# --- exact curves beside the census (sections 1 and 2) ----------------------------------------------------------

def _set_agreement(settings: Settings, curves: ExactCurves, rows: list[dict]) -> tuple[int, int]:
    """(classified sets whose census class says `contains-global-min` exactly when they contain a minimal optimal
    support, sets): every set the censuses at widths >= m* certified, read from their index `regions.jsonl`."""
    if not curves.certified:
        return 0, 0
    supports = [set(T) for T in curves.support_sets]
    same = total = 0
    for row in rows:
        index = settings.out / row["certificates"] / "regions.jsonl"
        if row["m"] < curves.support_size or not index.exists():
            continue
        for record in Journal(index, None).records():
            total += 1
            same += any(T <= set(record["S"]) for T in supports) == (record["class"] == RegionClass.CONTAINS_GLOBAL)
    return same, total


def _cross_check(curves: ExactCurves, rows: list[dict]) -> tuple[int, int]:
    """(sampled points whose Wilson 95% interval meets the exact value or interval at their width, points)."""
    inside = total = 0
    for row in rows:
        exact = curves.at(row.get("sampler", "uniform"), row["m"])
        if exact is None:
            continue
        total += 1
        if row["exhaustive"]:
            inside += abs(row["p_contains_global"] - exact[0]) <= 1e-9 + (exact[1] - exact[0])
        else:
            low, high = row["p_contains_global"]
            inside += low <= exact[1] and exact[0] <= high
    return inside, total


def _curve_panel(title: str, samplers: dict[str, SamplerCurve], rows: list[dict], references: dict) -> dict:
    """A figure panel (`plots.curves_figure`): the exact curves, the census points with Wilson bars, the
    threshold widths of the uniform curve."""
    colours = {"uniform": "C0", "gaussian": "C1"}
    panel = {"title": title, "curves": [], "census": [], "thresholds": [], "references": references,
             "max_width": max([max(e.widths) for e in samplers.values()] + [r["m"] for r in rows])}
    for name, entry in samplers.items():
        if entry.certified:
            panel["curves"].append({"label": _sampler_label(name, entry), "color": colours.get(name, "C2"),
                                    "widths": entry.widths, "low": entry.low, "high": entry.high})
    uniform = samplers.get("uniform")
    if uniform and uniform.certified:
        for key, p in (("1/2", 0.5), ("99/100", 0.99)):
            m = uniform.thresholds.get(key)
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
                points.append({"m": r["m"], "estimate": r["counts"][RegionClass.CONTAINS_GLOBAL] / r["samples"],
                               "low": r["p_contains_global"][0], "high": r["p_contains_global"][1]})
        panel["census"].append({"label": f"census, {name}: k/N, Wilson 95%", "color":
                                {"uniform": "C3", "Gaussian": "C2"}.get(name, "C4"),
                                "marker": "o" if sampler == "uniform" else "s", "points": points})
    return panel


# --- 1. sufficiency and favourability: Experiment A ---------------------------------------------------------

def _experiment_a_figures(settings: Settings, data: ExperimentA) -> list[str]:
    from ..plots import curves_figure, sufficiency_figure

    return [curves_figure([_curve_panel(f"n = {p.n}, d = {p.d}: P = {p.P} chambers", p.curves.samplers or {},
                                        p.rows, {f"P = {p.P}": p.P, f"2P = {2 * p.P}": 2 * p.P})
                           for p in data.teacher], settings.out / "experiment-a.png",
                          "Experiment A (teacher data, lambda = 0.01): exact p_opt(m) and the sampled census"),
            sufficiency_figure([to_json(case) for case in data.generic],
                               [_coupon_curve(case) for case in data.generic],
                               settings.out / "sufficiency-generic.png")] + _generic_curves_figure(settings, data)


def _generic_curves_figure(settings: Settings, data: ExperimentA) -> list[str]:
    """The generic cases' exact curves with their census points (full mode; none in quick mode)."""
    from ..plots import curves_figure

    cases = [case for case in data.generic if case.curves is not None and case.curves.certified]
    if not cases:
        return []
    return [curves_figure([_curve_panel(f"generic n = {c.n}, d = {c.d}: P = {c.P} chambers", c.curves.samplers or {},
                                        _at_least_support(c), {f"P = {c.P}": c.P, f"2P = {2 * c.P}": 2 * c.P})
                           for c in cases], settings.out / "sufficiency-generic-curves.png",
                          "Generic cases: exact p_opt(m) and the sampled census (widths m >= m*)")]


def _coupon_curve(case: GenericCase) -> tuple[list[int], list[float]]:
    """The uniform coupon collector on a generic case's 2P signed patterns, exactly: P(m uniform draws hit all
    2P) from m = 2P until it passes 0.999 (and at least to the largest tested width and 2^n)."""
    patterns = 2 * case.P
    mean = patterns * sum(1 / k for k in range(1, patterns + 1))
    top = max(4 * mean, max(r["m"] for r in case.rows), case.two_to_n)
    widths = sorted({int(w) for w in np.geomspace(patterns, top, 80)})
    return widths, coverage_uniform(patterns, widths)


def experiment_a(settings: Settings, cases: ExperimentCases, data: ExperimentA) -> Prose:
    panels, generic, N, widths = data.teacher, data.generic, cases.N, cases.widths
    figures = _experiment_a_figures(settings, data)
    every = [r for p in panels for r in p.rows]
    largest = [r for r in every if r["m"] == max(widths)]

    def total(rows: list[dict], *kinds: RegionClass) -> int:
        return sum(r["counts"][kind] for r in rows for kind in kinds)

    top_global, top_spurious = total(largest, RegionClass.CONTAINS_GLOBAL), total(largest, RegionClass.SPURIOUS)
    top_draws = sum(r["samples"] for r in largest)
    spurious, absent = total(every, RegionClass.SPURIOUS), total(every, RegionClass.NO_LOCAL)
    open_ = total(every, RegionClass.NO_GLOBAL, RegionClass.UNDECIDED)
    draws = sum(r["samples"] for r in every)
    global_draws = total(every, RegionClass.CONTAINS_GLOBAL)
    eps = max(r["epsilon"] for r in every)
    low, high = wilson(top_global, top_draws)
    supported = top_global >= 0.9 * top_draws and top_spurious == 0
    checks = [_cross_check(p.curves, p.rows) for p in panels]
    inside, points = sum(c[0] for c in checks), sum(c[1] for c in checks)
    agreement = [_set_agreement(settings, p.curves, p.rows) for p in panels]
    thresholds = "; ".join(
        f"n = {p.n}, d = {p.d}: "
        + (", ".join(f"{name} m_1/2 = {_threshold_text(e.thresholds.get('1/2'))}, m_0.99 = "
                     f"{_threshold_text(e.thresholds.get('99/100'))}" for name, e in p.curves.samplers.items())
           if p.curves.certified else f"inconclusive ({p.curves.reason})") for p in panels)
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
            f"lambda = {LAMBDA_A} (the authors' beta; their loss is twice ours); widths m = {listed(widths)}; N = {N} "
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
        curves = panel.curves
        body += [f"**n = {panel.n}, d = {panel.d}** (`{panel.instance}`): P = {panel.P} chambers "
                 f"(2^n = {panel.two_to_n}), {2 * panel.P} signed patterns.", ""]
        body += [_curve_sentence(curves, hits, count), ""]
        body += _table(["m", "sampler", "contains global min", "spurious local min", "no local min",
                        "no global min (local min undecided)", "undecided", "p_contains_global (Wilson 95%)",
                        "favourability (Wilson 95%)", "epsilon", "s"],
                       [[r["m"], r["sampler"], *(_count(r, kind) for kind in _PROBABILITY),
                         _fmt(r["p_contains_global"]), _fmt(r["favourability"]), _epsilon(r), f"{r['seconds']:.1f}"]
                        for r in panel.rows])
    body += [f"![Experiment A]({figures[0]})", "",
             "**(b) Our generic low-dimensional cases** (Gaussian sampler; exhaustive with exact weights when there "
             f"are at most {generic[0].limit:,} sets of at most m signed patterns, else {generic[0].samples} "
             "sampled initializations with Wilson 95% intervals):", ""]
    for case in generic:
        body += [f"`{case.instance}`: P = {case.P} chambers (n^(d-1) = {case.n_to_d_minus_1}, 2^n = {case.two_to_n}).",
                 ""]
        if case.curves is not None:
            body += [_curve_sentence(case.curves, *_cross_check(case.curves, _at_least_support(case))), ""]
        body += _table(["m", "mode", "p_contains_global", "p_spurious_local_min", "p_no_local_min", "p_no_global_min",
                        "p_fully_covered", "favourability", "epsilon"],
                       [[r["m"], _mode(r), _fmt(r["p_contains_global"]), _fmt(r["p_spurious_local_min"]),
                         _fmt(r["p_no_local_min"]), _fmt(r["p_no_global_min"]), f"{r['p_fully_covered']:.4f}",
                         _fmt(r["favourability"]), _epsilon(r)]
                        for r in case.rows])
    body += [f"![generic cases]({figures[1]})", ""]
    body += [f"![generic cases: exact curves]({figure})" for figure in figures[2:]] + [""] * (len(figures) > 2)
    return Prose(verdict, supported, body, figures)


def _curve_sentence(curves: ExactCurves, hits: int, count: int) -> str:
    """What an instance's exact curves certify (supports, epsilon, the threshold widths per sampler) and how many of
    the census points checked against them lie inside their Wilson interval."""
    if not curves.certified:
        return f"Exact curve: inconclusive ({curves.reason})."
    return (f"Exact curve: {curves.supports} minimal optimal support(s) of size {curves.support_size}, "
            f"{curves.maximal} maximal non-optimal set(s), epsilon = {curves.epsilon:.1e}; "
            + "; ".join(f"{_sampler_label(name, e)}: p_opt >= 1/2 from m = {_threshold_text(e.thresholds.get('1/2'))}, "
                        f">= 0.99 from m = {_threshold_text(e.thresholds.get('99/100'))}"
                        for name, e in curves.samplers.items())
            + f". {hits} of {count} sampled points lie inside their Wilson interval around the exact value.")


def _at_least_support(case: GenericCase) -> list[dict]:
    """A generic case's census rows at widths m >= m* (the smallest optimal support): where p_opt(m) is the
    probability of the class `contains-global-min` the census certifies (below m*, L*_m > C* and p_opt is 0)."""
    return [r for r in case.rows if case.curves.certified and r["m"] >= case.curves.support_size]


# --- 2. necessity on orthogonal data ---------------------------------------------------------------------

def _necessity_figures(settings: Settings, cases: list[NecessityCase]) -> list[str]:
    from ..plots import curves_figure

    panels = []
    for case in cases:
        uniform = {"uniform": case.curves.samplers["uniform"]} if case.curves.certified else {}
        rows = [dict(r, sampler="Gaussian (= uniform here)") for r in case.rows]
        panels.append(_curve_panel(f"orthogonal n = {case.n} ({case.n_plus} positive, {case.n_minus} "
                                   f"negative labels)", uniform, rows, {f"$2^{case.n}$ = {case.two_to_n}": case.two_to_n}))
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


def necessity(settings: Settings, _cases, data: Necessity) -> Prose:
    cases = data.cases
    checks = [_agrees(r) for c in cases for r in c.rows if _agrees(r) is not None]
    exact = [r for c in cases for r in c.rows if r["exhaustive"] and r["closed_form"] is not None]
    closed = all(c.closed_form_agrees == c.closed_form_widths > 0 for c in cases)
    below = []
    for case in cases:
        thresholds = case.curves.samplers["uniform"].thresholds if case.curves.certified else {}
        below.append(f"n = {case.n}: p_opt(m) < 1/2 for every m < {_threshold_text(thresholds.get('1/2'))} and "
                     f">= 0.99 from m = {_threshold_text(thresholds.get('99/100'))} (2^n = {case.two_to_n}, "
                     f"2^(max(n+, n-)+1) = {2 ** (max(case.n_plus, case.n_minus) + 1)})")
    supported = all(checks) and closed
    verdict = (f"{'Supported' if supported else 'Not supported'}: the certified exact curve equals the closed form "
               f"exactly (every digit) at {sum(c.closed_form_agrees for c in cases)} of "
               f"{sum(c.closed_form_widths for c in cases)} widths, and the certified census agrees with it in "
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
        body += [f"**n = {case.n}** (`{case.instance}`; 2^n = {case.two_to_n}, {case.n_plus} positive and "
                 f"{case.n_minus} negative labels): the exact curve equals the closed form at "
                 f"{case.closed_form_agrees} of {case.closed_form_widths} widths.", ""]
        body += _table(["m", "mode", "p_contains_global (census)", "exact p_opt(m) = closed form (docs/mathematics.md §7)",
                        "agrees"],
                       [[r["m"], _mode(r), _fmt(r["p_contains_global"]), f"{r['closed_form']:.6f}",
                         {True: "yes", False: "NO", None: "-"}[_agrees(r)]] for r in case.rows])
    figures = _necessity_figures(settings, cases)
    body += [f"![necessity]({figures[0]})", ""]
    return Prose(verdict, supported, body, figures)


# --- 2b. the threshold widths as a scaling law ---------------------------------------------------------------

def _slope(rows: list[ScalingRow]) -> float | None:
    """The least-squares exponent alpha of m_0.99 ~ P^alpha (log-log), or None with fewer than 2 sizes."""
    points = [(math.log(r.P), math.log(r.ninety_nine)) for r in rows if r.certified]
    if len({x for x, _ in points}) < 2:
        return None
    xs, ys = np.array([x for x, _ in points]), np.array([y for _, y in points])
    return float(np.polyfit(xs, ys, 1)[0])


def scaling(settings: Settings, _cases, data: Scaling) -> Prose:
    from ..plots import scaling_figure

    rows = data.rows
    figures = [scaling_figure([to_json(r) for r in rows if r.certified], settings.out / "scaling.png")]
    done = [r for r in rows if r.certified]
    below = sum(1 for r in done if r.ninety_nine <= r.coupon)
    slopes = []
    for family in dict.fromkeys(r.family for r in rows):
        alpha = _slope([r for r in done if r.family == family])
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
                   [[r.family, r.n, r.d, r.P, r.order,
                     f"{r.supports} ({r.support_size})" if r.certified else "inconclusive",
                     "-" if r.half is None else r.half, "-" if r.ninety_nine is None else r.ninety_nine, r.coupon,
                     f"`{r.instance}`"] for r in rows])
    body += [f"![scaling]({figures[0]})", ""]
    return Prose(verdict, supported, body, figures)


# --- 3. the activation-pattern distribution (Experiment B) -------------------------------------------------

def activation_patterns(settings: Settings, cases: ActivationCases, data: ActivationPatterns) -> Prose:
    from ..plots import activation_figure

    intervals = {name: [wilson(int(c), data.draws) for c in counts] for name, counts in data.frequencies.items()}
    figures = [activation_figure({**to_json(data), "frequency_wilson": intervals},
                                 settings.out / "activation-patterns.png")]
    P, thinnest, needed, half, tiny = (data.P, data.thinnest_upper, data.half_width_gaussian_lower,
                                       data.half_width_uniform, data.tiny)
    outside = data.outside_interval
    supported = needed > 10 * (half or 0)
    verdict = (f"{'Supported' if supported else 'Not supported'}: the {P} chambers (count certified by "
               f"enumeration) are far from equally likely under Gaussian initialization: {tiny} have measure "
               f"below 1/(100P) = {1 / (100 * P):.1e} (95% upper bounds), the thinnest at most {thinnest:.1e} "
               f"against 1/P = {1 / P:.4f}. Half of all uniform width-m draws hit every chamber from m = {half} "
               f"(P H_P = {data.uniform_cover_mean:.0f} on average), but a Gaussian draw needs m >= 1 / (2 x "
               f"{thinnest:.1e}) = {needed:.2g} neurons just to hit the thinnest chamber with probability 1/2. Sampled "
               f"frequencies agree with the probabilities: {outside['gaussian']} (Gaussian) and "
               f"{outside['uniform']} (uniform) of {P} chambers have a frequency interval disjoint from the "
               f"probability's interval (about {0.05 * P:.0f} expected by chance at 95%).")
    body = [f"`{data.instance}`: n = 7, d = 4, teacher data; {data.draws} single-neuron draws per sampler (seed "
            f"{settings.seed + 2}); Gaussian chamber measures estimated by Monte Carlo with {data.measure.samples} "
            f"samples (seed {settings.seed + 1}), each with its Wilson 95% interval (exact measures in d = 4 are "
            "not implemented). Coverage: the expected fraction of chambers holding at least one of m neurons "
            "(exact for uniform; for Gaussian from the estimated measures, band from their intervals), and the "
            "probability that every chamber holds one (exact for uniform; for Gaussian an upper bound, the "
            "probability of hitting the thinnest chamber).", "",
            "| quantity | Gaussian | uniform |", "|---|---|---|",
            f"| smallest / largest chamber probability | <= {thinnest:.1e} / {max(data.measure.values):.4f} | "
            f"{1 / P:.4f} / {1 / P:.4f} |",
            f"| chambers with probability < 1/(100P) | {tiny} | 0 |",
            f"| width at which half of all draws hit every chamber | >= {needed:.2g} | {half} |",
            f"| chambers whose frequency interval misses the probability | {outside['gaussian']} / {P} | "
            f"{outside['uniform']} / {P} |",
            "", f"![activation patterns]({figures[0]})", ""]
    return Prose(verdict, supported, body, figures)


# --- 4. initialization (claim 3) -------------------------------------------------------------------------------

def _share(count: int, total: int) -> str:
    if not total:
        return "-"
    low, high = wilson(count, total)
    return f"{count}/{total} [{low:.2f}, {high:.2f}]"


def _steps(values: list) -> str:
    if not values:
        return "-"
    return f"{values[len(values) // 2]:.2g}" + (f" (max {values[-1]:.2g})" if len(values) > 1 else "")


def _rate(rates: list[float]) -> str:
    return f"1 - {1 - rates[len(rates) // 2]:.2g}" if rates else "-"


def initialization_table(data: Initialization, figure: str) -> list[str]:
    """Section 4's body: the protocol, the per-scale table, the verdict values behind the groups, the per-unit
    table and the figure."""
    scales = data.scales
    lines = [f"Instances {', '.join(data.instances)}; the authors' protocol: balanced initialization "
             f"w_j ~ N(0, α² I), a_j = ±||w_j||, lambda = {data.lam}, full-batch gradient descent on their "
             f"loss (1/n)||f - y||² + lambda(||a||² + ||W||²) = 2L at rate {data.rate}, until "
             f"||grad||² < {data.criterion:g}, here within a budget of {data.steps:,} steps (the authors' "
             "default cap is 100,000,000). "
             "*Converged* means exactly that criterion at the float endpoint. Every endpoint, converged or not, is "
             "classified by a certificate the exact checker accepted (an `endpoint` claim about the stationary point "
             "near it, with the endpoint's certified prediction distance to it), or counted inconclusive. Each "
             "row's certificates are one bundle, `certificates/initialization/<instance>/width-<m>/scale-<alpha>"
             ".jsonl.gz`, one line per certified endpoint in seed order (`verifier check` on the bundle checks them "
             "all).", ""]
    if data.difference:
        lines += [f"**Differs from the authors' protocol:** {data.difference}.", ""]
    lines += ["Per scale α (all instances and widths together); fractions with Wilson 95% intervals. The verdict "
             "columns count converged runs only; a run that did not converge is *creeping* when its face stayed the "
             "same and ||grad||² fell at a steady linear rate over the last two tenths of the budget, and its "
             "steps to the criterion are extrapolated at that rate (median, and max). A neuron with <w_j, x_i> < 0 "
             "for every i gets no gradient from the data: gradient descent only shrinks it, by 1 - 2 rate lambda per "
             "step, so it stays dead and its share of ||grad||² falls by (1 - 2 rate lambda)² = "
             f"1 - {4 * data.rate * 1e-5:.2g} per step at lambda = 1e-5; that is the rate measured below wherever "
             "such neurons remain. The extrapolation is at the rate of the budget's end: a later phase can be slower "
             "(a small neuron whose growth gain is just below zero shrinks more slowly than a dead one), so read it "
             "as a lower estimate. A run heading for a global minimum with a neuron on a kink (theorem2-d3's has one "
             "on the kink of x_1) does not converge, and a larger budget does not help: fixed-step descent bounces "
             "across the kink (docs/mathematics.md §10); such runs count among the not-converged ones, by verdict.",
             "",
             "| α | runs | converged | " + " | ".join(GROUPS) + " | not converged: creeping | its rate ρ per step "
             "(median) | steps still needed |", "|---" * (6 + len(GROUPS)) + "|"]
    for s in scales:
        stuck = s.runs - s.converged
        lines.append(f"| {s.init_scale:g} | {s.runs} | {_share(s.converged, s.runs)} | "
                     + " | ".join(_share(s.groups[g], s.converged) for g in GROUPS)
                     + f" | {s.creeping}/{stuck} | {_rate(s.rates)} | {_steps(s.extra_steps)} |")
    lines += ["", "Verdict values behind the groups (converged runs; not-converged runs after the semicolon):", ""]
    lines += [f"- α = {s.init_scale:g}: " + (", ".join(f"{c} × {v}" for v, c in sorted(s.verdicts.items()))
                                             or "none") + "; "
              + (", ".join(f"{c} × {v}" for v, c in sorted(s.not_converged_verdicts.items())) or "none")
              for s in scales]
    lines += ["", "Per (instance, width, scale):", "",
              "| instance | width | α | converged | " + " | ".join(GROUPS) + " | creeping | steps taken (max) |",
              "|---" * (6 + len(GROUPS)) + "|"]
    lines += [f"| {r.instance} | {r.width} | {r.init_scale:g} | {r.converged}/{r.runs} | "
              + " | ".join(str(r.groups[g]) for g in GROUPS)
              + f" | {r.creeping}/{r.runs - r.converged} | {max(r.steps_taken):,} |" for r in data.rows]
    lines += ["", f"![initialization]({figure})", ""]
    return lines


def initialization_verdict(scales: list[ScaleSummary], large: float = 1.0) -> tuple[str, bool | None]:
    """Supported when, below scale `large`, most converged endpoints are certified near a spurious stationary point
    (spurious local minimum or spurious saddle); the scales >= `large` are reported beside (the contrast's other
    half), and undecided when no run below `large` converged."""
    def pool(small: bool) -> tuple[int, int, int, int]:
        mine = [s for s in scales if (s.init_scale < large) == small]
        converged = sum(s.converged for s in mine)
        spurious = sum(s.groups[g] for s in mine for g in GROUPS[1:3])
        return sum(s.runs for s in mine), converged, spurious, sum(s.groups[GROUPS[0]] for s in mine)

    runs, converged, spurious, near_global = pool(True)
    big_runs, big_converged, big_spurious, big_global = pool(False)
    supported = spurious > converged / 2 if converged else None
    word = {True: "Supported", False: "Not supported", None: "Undecided"}[supported]
    text = (f"{word}: from scales below {large:g}, {converged} of {runs} runs converged (||grad||² < 1e-16), and "
            f"{spurious} of those {converged} endpoints are certified near a spurious stationary point, "
            f"{near_global} near a global minimum.")
    if big_runs:
        text += (f" From scales >= {large:g}: {big_converged} of {big_runs} runs converged; {big_global} near a "
                 f"global minimum, {big_spurious} spurious.")
        if big_runs > big_converged:
            stuck_global = sum(s.not_converged_groups[GROUPS[0]] for s in scales if s.init_scale >= large)
            text += (f" Of the {big_runs - big_converged} that did not converge, {stuck_global} are certified near a "
                     "global minimum.")
    else:
        text += f" No scale >= {large:g} in this mode (see the report: those runs need far more steps than the budget)."
    return text, supported


def initialization(settings: Settings, _cases, data: Initialization) -> Prose:
    from ..plots import initialization_figure

    figure = initialization_figure(to_json(data), settings.out / "initialization.png")
    verdict, supported = initialization_verdict(data.scales, data.large_scale)
    return Prose(verdict, supported, initialization_table(data, figure), [figure])


# --- 5. the catalog of local minima (docs/mathematics.md §8) ------------------------------------------------------

def _catalog_figures(settings: Settings, data: Catalogs) -> list[str]:
    from ..plots import catalog_widths_figure, every_width_figure, save_figure

    figures = [catalog_widths_figure([to_json(r) for r in data.rows], settings.out / "catalog.png")]
    for row in data.every_width:
        if row.certified:     # a figure only from a certificate the checker accepted
            figure = every_width_figure(every_width_view(row.result))
            (ax,) = figure.axes
            ax.set_title(f"{row.instance}: {ax.get_title()}", fontsize=8)
            save_figure(figure, settings.out / f"every-width-{row.instance}.png")
            figures.append(f"every-width-{row.instance}.png")
    return figures


def _distinct_curves(rows: list[SpuriousCurveRow]) -> list[SpuriousCurveRow]:
    """The certified curves, one per instance and set of points: a sampler whose curve repeats one already kept (equal
    chamber measures) is named beside it (`_sampler_words`) instead of shown again."""
    kept: list[SpuriousCurveRow] = []
    for row in rows:
        if row.certified and not any(r.instance == row.instance and r.points == row.points for r in kept):
            kept.append(row)
    return kept


def _sampler_words(row: SpuriousCurveRow, rows: list[SpuriousCurveRow]) -> str:
    """The sampler of a curve, with the samplers whose curve is the same."""
    same = [r.sampler for r in rows if r.instance == row.instance and r.sampler != row.sampler
            and r.certified and r.points == row.points]
    return " and ".join([row.sampler, *same]) + (" samplers (equal chamber measures)" if same else " sampler")


def _spurious_figures(settings: Settings, data: Catalogs) -> list[str]:
    """One figure per every-width instance and distinct curve (`plots.favourability_figure`); only from certified
    curves."""
    from ..plots import favourability_figure, save_figure

    every = {r.instance: r for r in data.every_width}
    figures = []
    for row in _distinct_curves(data.spurious_curves):
        figure = favourability_figure(spurious_view(row, every[row.instance]))
        left = figure.axes[0]
        left.set_title(left.get_title().removeprefix(f"{row.sampler} sampler: "), fontsize=10)
        figure.suptitle(f"{row.instance}, {_sampler_words(row, data.spurious_curves)}", fontsize=11)
        figure.tight_layout()
        name = f"favourability-{row.instance}-{row.sampler}.png"
        save_figure(figure, settings.out / name)
        figures.append(name)
    return figures


def _bracket_cell(text: str | list | None) -> str:
    """An exact value as "p/q (0.1234)" (a long p/q only as its decimal, claims.json holds it), an interval as
    [lower, upper] rounded outward to 4 significant digits."""
    if text is None:
        return "n/a"
    if isinstance(text, str):
        value = Fraction(text)
        if value.denominator == 1:
            return text
        return f"{text} ({float(value):.4g})" if len(text) <= 16 else f"{float(value):.4g} (exact: claims.json)"
    low, high = (Fraction(t) for t in text)
    return f"[{_rounded(low, False)}, {_rounded(high, True)}]"


def _rounded(x: Fraction, up: bool) -> str:
    """x rounded to 4 significant digits, down or up (an interval's ends rounded outward)."""
    if x == 0:
        return "0"
    shift = 3 - math.floor(math.log10(abs(x)))
    scaled = x * Fraction(10) ** shift
    digits = math.ceil(scaled) if up else math.floor(scaled)
    return f"{float(Fraction(digits) / Fraction(10) ** shift):.4g}"


_SPURIOUS_TABLE_WIDTHS = (1, 2, 3, 4, 8)


def _spurious_body(data: Catalogs, figures: list[str]) -> list[str]:
    """The spurious-region curves of the every-width instances (docs §13): what they measure, a table at a few widths
    per instance and sampler, and the figures; inconclusive curves are named, not tabulated."""
    rows = data.spurious_curves
    if not rows:
        return []
    certified = [r for r in rows if r.certified]
    widths = sorted({pt.width for r in certified for pt in r.points})
    body = ["### Spurious regions at every width (docs/mathematics.md §13)", "",
            "From each certified every-width catalog's classes and the certified curve p_opt(m) (`verifier curve "
            "INSTANCE --spurious`): p_spur(m), the probability that the **closure** of a random width-m region holds "
            "a spurious local minimum (loss above L*_m + ε); p_global(m), which is p_opt(m) (the region holds an "
            "ε-global minimum) from the smallest optimal support m* on, and below it the probability that the "
            "closure holds a local minimum within ε of L*_m; and the favourability, the " + (certified[0].measure
                                                                                           if certified else "") + ". "
            "This is neither the census's favourability (interior local minima only) nor the catalog's by count "
            "(docs §13, \"Three favourability measures\"). Exact rationals under the uniform sampler; under the "
            "Gaussian sampler intervals from the chambers' measures (exact where every chamber has the same measure; "
            "certified for rank <= 3, a 95% interval where the measures are Monte Carlo estimates, marked "
            "monte-carlo). "
            + (f"Widths 1 .. {widths[-1]} in the figures and in `claims.json`; the table shows a few." if widths
               else "")
            + "".join(f" Not given ({r.instance}, {r.sampler}): {r.reason}." for r in rows if not r.certified), ""]

    def cells(row: SpuriousCurveRow, pt: SpuriousPoint) -> list:
        return [row.instance, _sampler_words(row, rows) + ("" if row.measure_method == "exact"
                                                            else f" ({row.measure_method})"),
                pt.width, _bracket_cell(pt.p_opt), _bracket_cell(pt.p_global), _bracket_cell(pt.p_spur),
                _bracket_cell(pt.favourability)]

    body += _table(["instance", "sampler", "m", "p_opt(m)", "p_global(m)", "p_spur(m)",
                    "favourability p_spur / (p_global + p_spur)"],
                   [cells(r, pt) for r in _distinct_curves(rows) for pt in r.points
                    if pt.width in _SPURIOUS_TABLE_WIDTHS])
    body += [f"![favourability]({figure})" for figure in figures] + ([""] if figures else [])
    return body


def catalog(settings: Settings, _cases, data: Catalogs) -> Prose:
    rows, every = data.rows, data.every_width
    figure, *every_figures = _catalog_figures(settings, data)
    spurious_figures = _spurious_figures(settings, data)
    certified = [r for r in rows if r.certified and r.complete]   # an incomplete catalog lists only some
    with_spurious = [r for r in certified if r.spurious]
    falling = {}
    for name in dict.fromkeys(r.instance for r in certified):
        p = [r.probability_spurious or 0.0 for r in certified if r.instance == name]
        if len(p) >= 2:
            falling[name] = all(b <= a for a, b in zip(p, p[1:])) and p[-1] < p[0]
    supported = bool(falling) and all(falling.values()) if len(certified) == len(rows) else None
    word = {True: "Supported", False: "Not supported at these widths", None: "Undecided by this section"}[supported]
    verdict = (f"{word}: {len(certified)} of {len(rows)} catalogs are complete and certified; "
               f"{len(with_spurious)} of them hold spurious local minima ("
               + ", ".join(f"{r.instance} m={r.width}: {r.spurious}" for r in with_spurious) + "), so "
               "spurious local minima persist as the width grows; the probability that a random region's closure "
               "holds one falls with the width on " + f"{sum(falling.values())} of {len(falling)} instances with "
               "several widths (" + ", ".join(f"{r.instance} m={r.width}: {_fmt(r.probability_spurious)}"
                                              for r in certified) + ").")
    stated = [r for r in every if r.certified and r.statement]
    if stated:
        verdict += (" At every width (certified every-width catalogs, docs §12): "
                    + "; ".join(f"{r.instance}: {r.statement}" for r in stated) + ".")
    curves = [r for r in _distinct_curves(data.spurious_curves)
              if r.points and r.points[0].favourability is not None and r.points[-1].favourability is not None]
    if curves:
        verdict += (" Spurious-region curves (docs §13), favourability by initialization mass from width 1 to the "
                    "last width: "
                    + "; ".join(f"{r.instance}, {_sampler_words(r, data.spurious_curves)}: "
                                f"{_bracket_cell(r.points[0].favourability)} at m = 1, "
                                f"{_bracket_cell(r.points[-1].favourability)} at m = {r.points[-1].width}"
                                for r in curves) + ".")
    body = [f"Catalogs (docs/mathematics.md §8) of {', '.join(name for _, name, _ in CATALOG_CASES)} across "
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
                   [[r.instance, r.width,
                     r.verdict + ("" if r.complete else f" (catalog incomplete: {r.undecided} undecided)"),
                     r.product_faces, r.spurious,
                     ", ".join(f"{v:.4g}" for v in r.values) or "-",
                     " / ".join(str(r.strict.count(w)) for w in ("strict", "non-strict", "not decided")),
                     _fmt(r.probability_spurious),
                     f"{_fmt(r.favourability_by_count)} / {_fmt(r.favourability_by_weight)}", r.seconds]
                    for r in rows])
    body += [f"![catalog]({figure})", ""]
    body += _every_width_body(every, every_figures)
    body += _spurious_body(data, spurious_figures)
    return Prose(verdict, supported, body, [figure, *every_figures, *spurious_figures])


def _every_width_body(every: list[EveryWidthRow], figures: list[str]) -> list[str]:
    """The every-width tables of section 5: the classes (value, from width, global or spurious there), then L*_m and
    the spurious values at each width m = 1 .. stable_from (every larger width as the last row), and the statement;
    only certified results are tabulated."""
    certified = [r for r in every if r.certified]
    if not every:
        return []
    body = ["### The landscape at every width (docs/mathematics.md §12)", "",
            "One catalog over sets of at most n distinct signed faces decides every width at once (`verifier certify "
            "INSTANCE --every-width`); each result below is an `every-width` certificate the exact checker accepted "
            "(`verifier check certificates/catalog/<instance>-every-width.json`). "
            + (f"Not certified, so not tabulated: {', '.join(r.instance for r in every if not r.certified)}."
               if len(certified) < len(every) else "").rstrip(), ""]
    at = {True: "global", False: "spurious", None: "not separated"}
    body += _table(["instance", "class value", "from width", "there", "strict there"],
                   [[r.instance, c["value"][0] if c["value"][0] == c["value"][1] else rounded(c["value"], ".12g"),
                     c["from_width"],
                     at[c["global_at_from_width"]], c["strict_at_from_width"]]
                    for r in certified for c in r.result["classes"]])
    body += _table(["instance", "m", "L*_m", "spurious values at m", "open"],
                   [[r.instance, f"{w['width']}" + ("+" if w is r.result["by_width"][-1] else ""),
                     f"{w['L*_m_float'][1]:.6g}", ", ".join(f"{v:.6g}" for v in w["spurious_float"]) or "-",
                     len(w["open"]) or "-"]
                    for r in certified for w in r.result["by_width"]])
    body += [f"- {r.instance}: {r.statement or 'no statement (a width or a face set is left open)'}"
             for r in certified] + [""]
    body += [f"![every width]({figure})" for figure in figures] + ([""] if figures else [])
    return body


#: the renderer of each section, by key: (settings, cases, data) -> Prose
RENDER = {"experiment-a": experiment_a, "necessity": necessity, "scaling": scaling,
          "activation-patterns": activation_patterns, "initialization": initialization, "catalog": catalog}
