"""Figures (matplotlib, Agg backend): the arrangement on the circle or sphere, or its chamber graph."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

from .arrangement import Arrangement  # noqa: E402
from .errors import InputError  # noqa: E402
from .files import atomic_path  # noqa: E402

__all__ = ["arrangement_figure", "catalog_figure", "loss_figure", "save_figure", "MAX_GRAPH_NODES", "curves_figure", "curve_figure", "scaling_figure", "sufficiency_figure", "activation_figure", "initialization_figure",
           "catalog_widths_figure"]

MAX_GRAPH_NODES = 2000


def arrangement_figure(arrangement: Arrangement):
    """d = 2: lines through the origin and chambers on the unit circle labelled by pattern;
    d = 3: hyperplanes as great circles on the sphere, chambers at their witness directions;
    otherwise the chamber graph."""
    if arrangement.d == 2:
        return _plot_circle(arrangement)
    if arrangement.d == 3:
        return _plot_sphere(arrangement)
    return _plot_graph(arrangement)


def loss_figure(steps: list[int], losses: list[float]):
    """The loss of gradient descent against the step."""
    figure, ax = plt.subplots(figsize=(6, 4))
    ax.plot(steps, losses, color="C0", lw=1.5)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss L(a, W)")
    ax.set_title(f"gradient descent: final loss {losses[-1]:.6g}")
    ax.grid(True, which="both", color="0.9")
    return figure


def save_figure(figure, path: str | Path) -> None:
    """Write the figure (format from the suffix) atomically and release it."""
    with atomic_path(path) as tmp:
        figure.savefig(tmp, dpi=130, bbox_inches="tight", format=Path(path).suffix.lstrip(".") or "png")
    plt.close(figure)


def _directions(arrangement: Arrangement) -> np.ndarray:
    W = arrangement.witnesses.astype(float)
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    return W / np.where(norms > 0, norms, 1)


def _plot_circle(arrangement: Arrangement):
    figure, ax = plt.subplots(figsize=(6, 6))
    t = np.linspace(0, 2 * np.pi, 400)
    ax.plot(np.cos(t), np.sin(t), color="0.6", lw=1)
    for a in arrangement.normals:
        u = np.array([-a[1], a[0]], dtype=float)
        u /= np.linalg.norm(u)
        ax.plot([-1.25 * u[0], 1.25 * u[0]], [-1.25 * u[1], 1.25 * u[1]], color="C0", lw=1)
    for pattern, v in zip(arrangement.patterns(), _directions(arrangement)):
        ax.plot(*v, "o", color="C3", ms=4)
        ax.annotate(pattern, 1.12 * v, ha="center", va="center", fontsize=8, family="monospace")
    ax.set_aspect("equal")
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.5, 1.5)
    ax.set_title(f"{len(arrangement.normals)} lines, {len(arrangement)} chambers (signs over the data rows)")
    return figure


def _plot_sphere(arrangement: Arrangement):
    figure = plt.figure(figsize=(7, 7))
    ax = figure.add_subplot(projection="3d")
    t = np.linspace(0, 2 * np.pi, 200)
    for a in arrangement.normals:
        a = np.array(a, dtype=float)
        u = np.linalg.svd(a[None, :])[2][1:]
        circle = np.outer(np.cos(t), u[0]) + np.outer(np.sin(t), u[1])
        ax.plot(*circle.T, color="C0", lw=0.8)
    directions = _directions(arrangement)
    ax.scatter(*directions.T, color="C3", s=8)
    if len(arrangement) <= 64:
        for pattern, v in zip(arrangement.patterns(), directions):
            ax.text(*(1.1 * v), pattern, fontsize=6, family="monospace")
    ax.set_box_aspect((1, 1, 1))
    ax.set_title(f"{len(arrangement.normals)} planes, {len(arrangement)} chambers on the sphere")
    return figure


def _plot_graph(arrangement: Arrangement):
    import networkx as nx

    from .graph import chamber_graph

    if len(arrangement) > MAX_GRAPH_NODES:
        raise InputError("--plot", f"the chamber graph has {len(arrangement)} nodes; "
                         f"plots are drawn up to {MAX_GRAPH_NODES} (use --graph to export it instead)")
    graph = chamber_graph(arrangement)
    figure, ax = plt.subplots(figsize=(8, 8))
    layout = nx.spring_layout(graph, seed=0)
    nx.draw_networkx(graph, layout, ax=ax, node_size=40, with_labels=len(graph) <= 40,
                     labels={p: graph.nodes[p]["signs"] for p in graph}, font_size=6, edge_color="0.7")
    ax.set_title(f"chamber graph: {len(graph)} chambers, {graph.number_of_edges()} facets")
    ax.axis("off")
    return figure


def _references(ax, lines: dict, ymax: float = 1.0) -> None:
    """Vertical reference lines labelled at the top (e.g. {"P": 16, "2P": 32})."""
    styles = ["--", ":", "-.", (0, (1, 3))]
    for k, (label, x) in enumerate(lines.items()):
        ax.axvline(x, color="0.45", lw=1, ls=styles[k % len(styles)], zorder=0)
        ax.annotate(label, (x, ymax), xytext=(2, -2), textcoords="offset points", fontsize=7, color="0.3",
                    va="top", rotation=90)


_KINDS = {"p_contains_global": "contains-global-min", "p_spurious_local_min": "spurious-local-min",
          "p_no_global_min": "no-global-min", "p_undecided": "undecided", "p_no_local_min": "no-local-min"}


def _interval_points(ax, rows, key, color, marker, label, filled=True, shift=1.0, joined=True):
    """Census rows at their estimate: the exact probability (exhaustive rows), or the sampled fraction k/N with
    its Wilson 95% interval as an asymmetric error bar."""
    points = np.array([r[key] if r["exhaustive"] else r["counts"][_KINDS[key]] / r["samples"] for r in rows])
    low = np.array([0.0 if r["exhaustive"] else p - r[key][0] for r, p in zip(rows, points)])
    high = np.array([0.0 if r["exhaustive"] else r[key][1] - p for r, p in zip(rows, points)])
    ax.errorbar(np.array([r["m"] for r in rows], dtype=float) * shift, points, yerr=[np.maximum(low, 0),
                np.maximum(high, 0)], color=color, marker=marker, ms=5, mfc=color if filled else "white",
                capsize=2, lw=1, ls="-" if joined else "none", label=label)


def _finish_axes(ax, xlabel: str, ylabel: str | None) -> None:
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.set_ylim(-0.04, 1.06)
    ax.grid(True, which="major", color="0.9", lw=0.6)


def _curve_axes(ax, panel: dict) -> None:
    """One panel of exact curves: each curve a line (or a band when it is an interval), the sampled census points
    with Wilson 95% bars on top (hollow markers, nudged sideways per series so no bar hides another), the threshold
    widths marked on the curve and labelled in boxes, major ticks labelled at the census widths and thresholds."""
    for curve in panel["curves"]:
        m = np.array(curve["widths"], dtype=float)
        low, high = np.array(curve["low"]), np.array(curve["high"])
        if np.allclose(low, high, atol=1e-4):
            ax.plot(m, (low + high) / 2, "-", color=curve["color"], lw=1.6, label=curve["label"], zorder=2)
        else:
            ax.fill_between(m, low, high, color=curve["color"], alpha=0.35, lw=0, label=curve["label"], zorder=2)
    series = panel.get("census", [])
    for k, census in enumerate(series):
        shift = 1 + 0.06 * (k - (len(series) - 1) / 2)
        points = census["points"]
        m = np.array([p["m"] for p in points], dtype=float) * shift
        estimate = np.array([p["estimate"] for p in points])
        low = np.maximum(estimate - np.array([p["low"] for p in points]), 0)
        high = np.maximum(np.array([p["high"] for p in points]) - estimate, 0)
        ax.errorbar(m, estimate, yerr=[low, high], fmt=census.get("marker", "o"), color=census["color"], ms=5,
                    mfc="white", mew=1.2, capsize=3, elinewidth=1, label=census["label"], zorder=4)
    ticks: list[int] = []   # census widths first, then thresholds, none within 25% of another (labels never touch)
    for m in sorted({1} | {int(p["m"]) for census in series for p in census["points"]} | set(panel.get("ticks", []))) + \
            sorted(int(t["m"]) for t in panel.get("thresholds", [])):
        if all(max(m, t) / min(m, t) >= 1.25 for t in ticks):
            ticks.append(m)
    ticks.sort()
    for k, threshold in enumerate(panel.get("thresholds", [])):
        ax.plot([threshold["m"]], [threshold["p"]], "D", color="black", ms=5, zorder=5)
        ax.annotate(threshold["label"], (threshold["m"], threshold["p"]), xytext=(8, -16 - 14 * (k % 2)),
                    textcoords="offset points", fontsize=8, ha="left", va="top", zorder=6,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.6", "lw": 0.6},
                    arrowprops={"arrowstyle": "-", "color": "0.5", "lw": 0.6})
    for label, x in panel.get("references", {}).items():
        ax.axvline(x, color="0.55", lw=0.9, ls=":", zorder=1)
        ax.annotate(label, (x, 0.03), xytext=(3, 0), textcoords="offset points", fontsize=8, color="0.3")
    ax.set_xscale("log")
    ax.set_xlim(0.8, panel["max_width"] * 1.6)   # room for the labels of thresholds near the end
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(t) for t in ticks], fontsize=8, rotation=0)
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlabel("width m (log scale)")
    ax.set_ylabel(panel.get("ylabel", r"$p_{opt}(m)$ = P(region holds a global minimum)"))
    ax.grid(True, which="major", color="0.9", lw=0.6)
    ax.set_title(panel["title"], fontsize=10)
    ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, frameon=False)


def curves_figure(panels: list[dict], path: Path, title: str, columns: int = 2) -> str:
    """Exact probability curves p_opt(m) (one panel each, `_curve_axes`), with a title."""
    rows = -(-len(panels) // columns)
    columns = min(columns, len(panels))
    figure, axes = plt.subplots(rows, columns, figsize=(6.2 * columns, 5.4 * rows), squeeze=False)
    for ax, panel in zip(axes.flat, panels):
        _curve_axes(ax, panel)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    figure.suptitle(title, fontsize=11)
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    return _save(figure, path)


def scaling_figure(rows: list[dict], path: Path) -> str:
    """Certified threshold widths m_1/2 (filled) and m_0.99 (hollow) against the number of chambers P, one marker
    per family, with the paper's order min(n^d, 2^n) (grey crosses) and the references P and 2P ln(200P)."""
    figure, ax = plt.subplots(figsize=(7.4, 5.6))
    markers = {"orthogonal": ("o", "C0"), "generic": ("s", "C2"), "teacher": ("^", "C3")}
    for family, (marker, color) in markers.items():
        chosen = [r for r in rows if r["family"] == family]
        if not chosen:
            continue
        P = np.array([r["P"] for r in chosen], dtype=float)
        ax.plot(P, [r["half"] for r in chosen], marker, color=color, ms=6, ls="none",
                label=f"{family}: $m_{{1/2}}$")
        ax.plot(P, [r["ninety_nine"] for r in chosen], marker, color=color, mfc="white", mew=1.3, ms=7, ls="none",
                label=f"{family}: $m_{{0.99}}$")
    ax.plot([r["P"] for r in rows], [r["order"] for r in rows], "x", color="0.45", ms=6, ls="none",
            label=r"paper's order $\min(n^d, 2^n)$")
    grid = np.geomspace(min(r["P"] for r in rows) * 0.8, max(r["P"] for r in rows) * 1.25, 50)
    ax.plot(grid, grid, "--", color="0.6", lw=1, label="m = P")
    ax.plot(grid, 2 * grid * np.log(200 * grid), ":", color="0.3", lw=1,
            label=r"$2P \ln(200P)$: every pattern drawn w.p. 0.99")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ticks = sorted({r["P"] for r in rows})
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(t) for t in ticks], fontsize=8)
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("number of chambers P (log scale)")
    ax.set_ylabel("threshold width m (log scale, exact)")
    ax.grid(True, which="major", color="0.9", lw=0.6)
    ax.set_title("Certified threshold widths: smallest m with $p_{opt}(m) \\geq$ 1/2 and 0.99 (uniform sampler)",
                 fontsize=10)
    ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, frameon=False)
    figure.tight_layout()
    return _save(figure, path)


def curve_figure(curve, path=None, census=()):
    """One exact curve (`curves.Curve`) on a log-width axis with its thresholds; `census` adds sampled points as
    (width, low, high, estimate) tuples. Written to `path` (returns its name) or returned as a figure."""
    m = [pt.width for pt in curve.points]
    panel = {"title": f"{curve.sampler} sampler ({len(curve.regions.supports)} minimal optimal supports, "
                      f"epsilon = {float(curve.regions.epsilon):.0e})",
             "max_width": max(m), "curves": [{"label": f"exact ({curve.sampler})", "color": "C0", "widths": m,
                                              "low": [float(pt.lower) for pt in curve.points],
                                              "high": [float(pt.upper) for pt in curve.points]}],
             "thresholds": [{"m": value if isinstance(value, int) else value[1], "p": float(_threshold_value(key)),
                             "label": f"p ≥ {key} from m = {value if isinstance(value, int) else value[1]}"}
                            for key, value in curve.thresholds.items() if value is not None and
                            (value if isinstance(value, int) else value[1]) <= max(m)],
             "census": [{"label": "sampled (Wilson 95%)", "color": "C3", "points": [
                 {"m": w, "low": lo, "high": hi, "estimate": est} for w, lo, hi, est in census]}] if census else []}
    figure, ax = plt.subplots(figsize=(7, 5.4))
    _curve_axes(ax, panel)
    figure.tight_layout()
    if path is None:
        return figure
    save_figure(figure, path)
    return Path(path).name


def _threshold_value(key: str) -> float:
    numerator, _, denominator = key.partition("/")
    return int(numerator) / int(denominator or 1)


def sufficiency_figure(cases: list, path: Path) -> str:
    """Our generic cases: p_contains_global (exact: filled, joined; sampled: hollow with Wilson bars),
    p_spurious_local_min and p_no_local_min (exact or sampled with Wilson bars), the exact probability that every
    signed pattern is hit, and the uniform coupon collector; lines at P, 2P, 2^n."""
    from .census import coverage_probability

    figure, axes = plt.subplots(1, len(cases), figsize=(5.6 * len(cases), 5.4), squeeze=False)
    for ax, case in zip(axes[0], cases):
        rows = case["rows"]
        exact = [r for r in rows if r["exhaustive"]]
        sampled = [r for r in rows if not r["exhaustive"]]
        ax.plot([r["m"] for r in exact], [r["p_contains_global"] for r in exact], "o-", color="C0",
                label="contains a global min (exact)")
        if sampled:
            _interval_points(ax, sampled, "p_contains_global", "C0", "o", "contains a global min (sampled, Wilson 95%)",
                             filled=False)
        _interval_points(ax, rows, "p_spurious_local_min", "C3", "^", "certified spurious local min (exact or "
                         "sampled)")
        _interval_points(ax, rows, "p_no_local_min", "C2", "v", "certified: no local min in the closure (exact or "
                         "sampled)")
        ax.plot([r["m"] for r in rows], [r["p_fully_covered"] for r in rows], "s--", color="C4", ms=4,
                label="every signed pattern hit (exact)")
        grid = np.unique(np.geomspace(1, max(r["m"] for r in rows), 60).astype(int))
        ax.plot(grid, [coverage_probability([1 / (2 * case["P"])] * (2 * case["P"]), int(m)) for m in grid], ":",
                color="0.3", label="coupon collector, uniform (exact)")
        _finish_axes(ax, "width m (log scale)", "probability")
        _references(ax, {f"P = {case['P']}": case["P"], f"2P = {2 * case['P']}": 2 * case["P"],
                         f"2^n = {case['2^n']}": case["2^n"]})
        ax.set_title(f"generic n = {case['n']}, d = {case['d']} (Gaussian sampler)", fontsize=10)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    figure.tight_layout()
    return _save(figure, path)


def activation_figure(data: dict, path: Path) -> str:
    """Experiment B: (a) chambers sorted by Gaussian measure (bars: Monte Carlo estimate; black bars its Wilson
    95% interval) against both samplers' frequencies (points with Wilson bars) and 1/P, log scale; (b) the
    expected fraction of chambers hit and the probability that all are hit, against width."""
    from .census import wilson

    figure, (left, right) = plt.subplots(1, 2, figsize=(12.5, 6.2))
    P, draws = data["P"], data["draws"]
    values = np.array(data["measure"]["values"])
    bands = np.array(data["measure"]["wilson"])
    order = np.argsort(-values)
    x = np.arange(P)
    left.bar(x, values[order], color="0.82", label=f"Gaussian measure (Monte Carlo, {data['measure']['samples']:.0e} "
                                                  "samples)")
    left.vlines(x, bands[order, 0], bands[order, 1], color="k", lw=1, label="its Wilson 95% interval")
    for name, color, marker, shift in (("gaussian", "C0", "o", -0.2), ("uniform", "C1", "x", 0.2)):
        counts = np.array(data["frequencies"][name])[order]
        intervals = np.array([wilson(int(c), draws) for c in counts])
        mid = counts / draws
        shown = mid > 0
        left.errorbar(x[shown] + shift, mid[shown], yerr=[mid[shown] - intervals[shown, 0],
                                                          intervals[shown, 1] - mid[shown]],
                      fmt=marker, color=color, ms=3, lw=0.8,
                      label=f"{name} sampler: frequency in {draws} draws (Wilson 95%; 0 not drawn on log axis)")
    left.axhline(1 / P, color="C3", ls="--", lw=1, label=f"1/P = 1/{P}")
    left.set_yscale("log")
    left.set_ylim(max(1e-7, 0.3 * float(bands[:, 1].min())), 0.3)
    left.set_xlabel(f"chamber, sorted by Gaussian measure (P = {P})")
    left.set_ylabel("probability that one neuron lands there (log)")
    left.set_title("(a) n = 7, d = 4: chamber probabilities", fontsize=10)
    left.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1, frameon=False)
    widths = data["widths"]
    expected = data["expected_fraction_hit"]
    right.plot(widths, expected["uniform"], "-", color="C1", label="uniform: expected fraction of chambers hit (exact)")
    right.plot(widths, expected["gaussian"], "-", color="C0", label="Gaussian: expected fraction hit (estimate)")
    right.fill_between(widths, expected["gaussian_low"], expected["gaussian_high"], color="C0", alpha=0.25, lw=0,
                       label="Gaussian: band from the measures' intervals")
    right.plot(widths, data["all_hit_uniform"], "--", color="C1", label="uniform: P(every chamber hit) (exact)")
    right.plot(widths, data["all_hit_gaussian_upper"], "--", color="C0",
               label="Gaussian: P(every chamber hit), upper bound")
    _finish_axes(right, "width m (log scale)", "probability / fraction")
    _references(right, {f"P = {P}": P, f"P H_P = {data['uniform_cover_mean']:.0f}": data["uniform_cover_mean"]})
    right.set_title("(b) covering the chambers with m neurons", fontsize=10)
    right.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1, frameon=False)
    figure.tight_layout()
    return _save(figure, path)


def initialization_figure(data: dict, path: Path) -> str:
    """Claim 3: where gradient descent ends, a stacked bar of certified outcomes per (instance, width, scale)."""
    return _save(_initialization_figure(data["rows"], data["categories"]), path)


def _initialization_figure(rows: list[dict], categories: list[str]):
    """Claim 3: one stacked bar per (instance, width, scale) of the endpoint verdicts, one panel per instance; the
    bars of one width stand together, labelled by their scale, with the width under the group."""
    instances = list(dict.fromkeys(r["instance"] for r in rows))
    sizes = [sum(r["instance"] == name for r in rows) for name in instances]
    panel = [max(3.0, 0.2 * k + 1.2) for k in sizes]
    figure, axes = plt.subplots(1, len(instances), figsize=(sum(panel) + 1.5, 4.4), squeeze=False,
                                gridspec_kw={"width_ratios": panel})
    colors = ["tab:green", "tab:red", "tab:orange", "tab:olive", "0.6", "black"]
    for ax, name in zip(axes[0], instances):
        mine = [r for r in rows if r["instance"] == name]
        widths = list(dict.fromkeys(r["width"] for r in mine))
        x = np.array([widths.index(r["width"]) + k for k, r in enumerate(mine)], dtype=float)  # a gap between widths
        bottom = np.zeros(len(mine))
        for category, color in zip(categories, colors):
            share = np.array([r[category] / r["runs"] for r in mine])
            ax.bar(x, share, bottom=bottom, color=color, label=category, width=0.8)
            bottom += share
        ax.set_xticks(x, [f"{r['init_scale']:g}" for r in mine], fontsize=7, rotation=90)
        for width in widths:
            centre = x[[r["width"] == width for r in mine]].mean()
            ax.text(centre, 1.01, f"m = {width}", transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                    fontsize=8)
        ax.set_xlabel("initialization scale a (bars grouped by width m)", fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_title(f"{name} ({mine[0]['runs']} runs per bar)", fontsize=9, pad=16)
        ax.set_ylabel("fraction of endpoints")
    axes[0][-1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.suptitle("Where gradient descent ends (certified), by width m and initialization scale a", fontsize=10)
    figure.tight_layout()
    return figure


_STRICTNESS_MARKERS = {   # strictness -> (marker, face colour, label)
    "strict": ("o", "tab:red", "spurious, strict (proved)"),
    "non-strict": ("D", "tab:orange", "spurious, non-strict (proved: a valley)"),
    "not decided": ("o", "none", "spurious, strictness not decided"),
}


def catalog_figure(catalog):
    """The catalog on a loss axis: L*_m (and L*_m + epsilon), each spurious local minimum at its value, marked by its
    certified strictness (filled circle: strict; diamond: non-strict, two neurons share a signed face or the
    minimizers form a valley; hollow: not decided), its area proportional to the Gaussian probability that a random
    initialization's region has it in its closure; the favourability by count in the title."""
    figure, ax = plt.subplots(figsize=(7, 2.8))
    low, high = (float(x) for x in catalog.lstar)
    ax.axvline(high, color="tab:green", lw=2, label=f"L*_{catalog.width} = {high:.6g}")
    if catalog.epsilon and float(catalog.epsilon) > 1e-3 * max(abs(high), 1e-12):
        ax.axvspan(low, low + float(catalog.epsilon), color="tab:green", alpha=0.2, label="L*_m + epsilon")
    entries = sorted(catalog.spurious, key=lambda e: e["value_float"][0])
    largest = max((e.get("probability", 0.0) for e in entries), default=0.0) or 1.0
    for k, entry in enumerate(entries):
        value, height = entry["value_float"][0], 0.1 + 0.8 * (k % 5) / 4
        marker, face, _ = _STRICTNESS_MARKERS[entry["strict"]]
        size = 40 + 900 * entry.get("probability", 0.0) / largest
        ax.scatter([value], [height], s=size, marker=marker, facecolors=face, edgecolors="tab:red", linewidths=1.5,
                   zorder=3)
        ax.annotate(f"{value:.4g}\np={entry.get('probability', 0.0):.3g}", (value, height), textcoords="offset points",
                    xytext=(4 + 0.6 * size ** 0.5, -4), fontsize=7)     # beside the marker, clear of its area
    for marker, face, label in _STRICTNESS_MARKERS.values():
        ax.scatter([], [], s=60, marker=marker, facecolors=face, edgecolors="tab:red", label=label)
    values = [high] + [e["value_float"][0] for e in entries]
    span = (max(values) - min(values)) or max(abs(high), 1e-3)
    ax.set_xlim(min(values) - 0.1 * span, max(values) + 0.25 * span)
    ax.set_yticks([])
    ax.set_xlabel("loss")
    share = catalog.favourability.get("spurious_by_count")
    share = "" if share is None else (f"; spurious share by count {share:.3g}" if isinstance(share, float)
                                      else f"; spurious share by count in [{share[0]:.3g}, {share[1]:.3g}]")
    ax.set_title(f"width {catalog.width}: {catalog.verdict}, {len(entries)} spurious local minima "
                 f"({catalog.counts.get('u', 0)} faces undecided){share}; marker area ~ basin probability", fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, frameon=False)
    return figure


def catalog_widths_figure(rows: list[dict], path: Path) -> str:
    """Section 5: per instance, the number of spurious local minima (left) and the probability that a random
    initialization's region has one in its closure (right) against the width m."""
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    names = list(dict.fromkeys(r["instance"] for r in rows))
    for k, name in enumerate(names):
        mine = [r for r in rows if r["instance"] == name and r["certified"]]
        widths = [r["width"] + 0.08 * (k - (len(names) - 1) / 2) for r in mine]   # side by side: none hidden
        marker = "osD^v"[k % 5]
        left.plot(widths, [r["spurious"] for r in mine], "-", marker=marker, label=name)
        right.plot(widths, [r["probability_spurious"] or 0.0 for r in mine], "-", marker=marker, label=name)
    left.set_ylabel("spurious local minima (catalog entries)")
    left.yaxis.get_major_locator().set_params(integer=True)
    right.set_ylabel("P(random region's closure holds one)")
    for ax in (left, right):
        ax.set_xlabel("width m")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    figure.suptitle("Certified catalogs of local minima (SPEC §8) against width", fontsize=10)
    figure.tight_layout()
    return _save(figure, path)


def _save(figure, path: Path) -> str:
    save_figure(figure, path)
    return path.name
