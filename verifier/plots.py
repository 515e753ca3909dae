"""Figures (matplotlib, Agg backend): the arrangement on the circle or sphere, or its chamber graph."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .arrangement import Arrangement  # noqa: E402
from .errors import InputError  # noqa: E402
from .files import atomic_path  # noqa: E402

__all__ = ["arrangement_figure", "catalog_figure", "loss_figure", "save_figure", "MAX_GRAPH_NODES"]

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


def reproduction_figures(results: dict, out: str | Path) -> dict:
    """The three figures of `verifier reproduce`; returns their file names."""
    from .census import midpoint

    out = Path(out)
    names = {}
    figure, axes = plt.subplots(1, len(results["sufficiency"]), figsize=(11, 4))
    for ax, (key, case) in zip(np.atleast_1d(axes), results["sufficiency"].items()):
        m = [r["m"] for r in case["widths"]]
        ax.plot(m, [midpoint(r["p_contains_global"]) for r in case["widths"]], "o-", label="p(contains a global min)")
        ax.plot(m, [r["p_fully_covered"] for r in case["widths"]], "s-", label="p(fully covered)")
        ax.plot(m, [r["coupon_collector_uniform"] for r in case["widths"]], "--", label="coupon collector (uniform)")
        ax.axvline(case["signed_patterns"], color="0.7", lw=1)
        ax.set_xscale("log")
        ax.set_xlabel("width m")
        ax.set_title(f"{key}: P = {case['chambers']}")
        ax.legend(fontsize=7)
    names["sufficiency"] = _save(figure, out / "sufficiency.png")
    figure, ax = plt.subplots(figsize=(6, 4))
    for key, case in results["necessity"].items():
        m = [r["m"] for r in case["widths"]]
        line, = ax.plot(m, [midpoint(r["p_contains_global"]) for r in case["widths"]], "o", label=f"{key} census")
        closed = [(r["m"], r["closed_form"]) for r in case["widths"] if r["closed_form"] is not None]
        ax.plot(*zip(*closed), "-", color=line.get_color(), label=f"{key} closed form")
    ax.set_xscale("log")
    ax.set_xlabel("width m")
    ax.set_ylabel("p(region contains a global minimum)")
    ax.legend(fontsize=7)
    names["necessity"] = _save(figure, out / "necessity.png")
    figure = _initialization_figure(results["initialization"]["rows"], results["initialization"]["categories"])
    names["initialization"] = _save(figure, out / "initialization.png")
    return names


def _initialization_figure(rows: list[dict], categories: list[str]):
    """Claim 3: one stacked bar per (instance, width, scale) of the endpoint verdicts, one panel per instance."""
    instances = list(dict.fromkeys(r["instance"] for r in rows))
    figure, axes = plt.subplots(1, len(instances), figsize=(4.5 * len(instances), 4.2), squeeze=False)
    colors = ["tab:green", "tab:red", "tab:orange", "tab:olive", "0.6", "black"]
    for ax, name in zip(axes[0], instances):
        mine = [r for r in rows if r["instance"] == name]
        x = np.arange(len(mine))
        bottom = np.zeros(len(mine))
        for category, color in zip(categories, colors):
            share = np.array([r[category] / r["runs"] for r in mine])
            ax.bar(x, share, bottom=bottom, color=color, label=category, width=0.8)
            bottom += share
        ax.set_xticks(x, [f"m={r['width']}\na={r['init_scale']:g}" for r in mine], fontsize=7)
        ax.set_ylim(0, 1)
        ax.set_title(name, fontsize=9)
        ax.set_ylabel("fraction of endpoints")
    axes[0][-1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.suptitle("Where gradient descent ends (certified), by width m and initialization scale a", fontsize=10)
    return figure


def catalog_figure(catalog):
    """The catalog on a loss axis: L*_m (and L*_m + epsilon), each spurious local minimum at its value, filled when
    non-strict (proved: two neurons share a signed face), hollow when strictness is not decided, its area
    proportional to the Gaussian probability that a random initialization's region has it in its closure."""
    figure, ax = plt.subplots(figsize=(7, 2.8))
    low, high = (float(x) for x in catalog.lstar)
    ax.axvline(high, color="tab:green", lw=2, label=f"L*_{catalog.width} = {high:.6g}")
    if catalog.epsilon and float(catalog.epsilon) > 1e-3 * max(abs(high), 1e-12):
        ax.axvspan(low, low + float(catalog.epsilon), color="tab:green", alpha=0.2, label="L*_m + epsilon")
    entries = sorted(catalog.spurious, key=lambda e: e["value_float"][0])
    largest = max((e.get("probability", 0.0) for e in entries), default=0.0) or 1.0
    for k, entry in enumerate(entries):
        value = entry["value_float"][0]
        size = 40 + 900 * entry.get("probability", 0.0) / largest
        strict = entry["strict"] != "non-strict"
        ax.scatter([value], [0.1 + 0.8 * (k % 5) / 4], s=size, facecolors="none" if strict else "tab:red",
                   edgecolors="tab:red", linewidths=1.5, zorder=3)
        ax.annotate(f"{value:.4g}\np={entry.get('probability', 0.0):.3g}", (value, 0.1 + 0.8 * (k % 5) / 4),
                    textcoords="offset points", xytext=(8, 4), fontsize=7)
    ax.scatter([], [], s=60, color="tab:red", label="spurious, non-strict")
    ax.scatter([], [], s=60, facecolors="none", edgecolors="tab:red", label="spurious, strictness not decided")
    values = [high] + [e["value_float"][0] for e in entries]
    span = (max(values) - min(values)) or max(abs(high), 1e-3)
    ax.set_xlim(min(values) - 0.1 * span, max(values) + 0.25 * span)
    ax.set_yticks([])
    ax.set_xlabel("loss")
    ax.set_title(f"width {catalog.width}: {catalog.verdict}, {len(entries)} spurious local minima "
                 f"({catalog.counts.get('u', 0)} faces undecided); marker area ~ basin probability", fontsize=9)
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, frameon=False)
    return figure


def _save(figure, path: Path) -> str:
    save_figure(figure, path)
    return path.name
