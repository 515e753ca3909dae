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
from .vocabulary import RegionClass  # noqa: E402

__all__ = ["arrangement_figure", "catalog_figure", "census_figure", "loss_figure", "save_figure", "MAX_GRAPH_NODES",
           "curves_figure", "curve_figure", "favourability_figure", "scaling_figure", "sufficiency_figure", "class_shares", "hyperplane_labels",
           "activation_figure", "initialization_figure", "every_width_figure", "catalog_widths_figure"]

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


def loss_figure(steps: list[int], losses: list[float], references: dict | None = None):
    """The loss of gradient descent against the step, with reference values: `references` maps a legend name
    (mathtext welcome: "$C^*$", "$L^*_{3}$") to bounds (`lower`, `upper`, `certified`, as `optimum.Bounds`),
    drawn as a line (or the band between its bounds) only when the checker accepted them, and named "certified"
    then; uncertified ones are listed in the legend as not drawn."""
    figure, ax = plt.subplots(figsize=(7, 4.4))
    ax.plot(steps, losses, color="C0", lw=1.5, label="loss along gradient descent")
    styles = (("tab:green", "-"), ("tab:purple", ":"), ("tab:olive", "--"))
    for k, (name, bounds) in enumerate((references or {}).items()):
        color, ls = styles[k % len(styles)]
        if not bounds.certified:
            ax.plot([], [], " ", label=f"{name}: not certified, not drawn")
            continue
        low, high = float(bounds.lower), float(bounds.upper)
        if bounds.lower == bounds.upper or high - low <= 1e-9 * abs(high):    # the band would be a line
            gap = ("exact" if bounds.lower == bounds.upper else
                   f"relative gap {float((bounds.upper - bounds.lower) / abs(bounds.upper)):.0e}")
            ax.axhline(high, color=color, ls=ls, lw=1.6, label=f"{name} = {high:.10g} (certified, {gap})")
        else:
            ax.axhspan(low, high, color=color, alpha=0.3, label=f"{name} in [{low:.6g}, {high:.6g}] (certified)")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss L(a, W)")
    ax.set_title(f"gradient descent: final loss {losses[-1]:.6g}")
    ax.grid(True, which="both", color="0.9")
    if references:
        ax.legend(fontsize=8, loc="best")
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


def hyperplane_labels(arrangement: Arrangement) -> list[str]:
    """Per hyperplane (in `arrangement.normals` order), the data rows on it as mathtext, "$x_{2}$" or
    "$x_{1}, x_{4}$" (rows numbered from 1, as the signs of a pattern are read; rows that are multiples of one
    another share a hyperplane)."""
    rows: list[list[int]] = [[] for _ in arrangement.normals]
    for i, entry in enumerate(arrangement.row_map):
        if entry is not None:
            rows[entry[0]].append(i + 1)
    return ["$" + ", ".join(f"x_{{{i}}}" for i in mine) + "$" for mine in rows]


_PLANE_COLORS = [c for k, c in enumerate(plt.get_cmap("tab10").colors) if k != 3]   # red marks the chambers
_LABELLED = 64           # chamber patterns are written up to this many chambers (the text output lists them all)
_UNLABELLED = f" (over {_LABELLED} chambers: patterns in the text output, not written here)"


def _plane_style(h: int) -> dict:
    """Colour and line style of hyperplane h: nine colours, then the next line style."""
    return {"color": _PLANE_COLORS[h % len(_PLANE_COLORS)], "ls": ("-", "--", ":", "-.")[h // len(_PLANE_COLORS) % 4]}


def _leader_labels(ax, points: np.ndarray, texts: list[str], column: float, fontsize: float = 8) -> None:
    """Each text in a column beside the disc (left for points with x < 0, right otherwise), in the order of the
    points' heights, one line of text apart, joined to its point by a thin line: no two labels meet however
    close their points are."""
    spacing = 0.011 * fontsize
    for side in (-1, 1):
        chosen = sorted((k for k in range(len(points)) if (points[k][0] < 0) == (side < 0)),
                        key=lambda k: -points[k][1])
        ys = [float(points[k][1]) for k in chosen]
        for j in range(1, len(ys)):                    # downwards: at least one spacing below the previous
            ys[j] = min(ys[j], ys[j - 1] - spacing)
        if ys and ys[-1] < -1.1:                       # then upwards from the floor
            ys[-1] = -1.1
            for j in range(len(ys) - 2, -1, -1):
                ys[j] = max(ys[j], ys[j + 1] + spacing)
        for k, y in zip(chosen, ys):
            x = side * column
            ax.plot([points[k][0], x - side * 0.02], [points[k][1], y], color="0.6", lw=0.5, zorder=1)
            ax.text(x, y, texts[k], ha="left" if side > 0 else "right", va="center", fontsize=fontsize,
                    family="monospace")
        if ys:
            low, high = ax.get_ylim()
            ax.set_ylim(min(low, ys[-1] - spacing), max(high, ys[0] + spacing))


def _disc_reach(n: int) -> float:
    """Half the x-range of a disc's axes: the unit disc, a gap, and a column of n-character patterns (a monospace
    character at 8 points is about 0.067 inch; the disc's unit is drawn about 2 inches wide)."""
    return 1.35 + 0.034 * n


def _disc_width(n: int) -> float:
    """Inches of figure width for one disc with its two label columns."""
    return 4 * _disc_reach(n) + 0.8


def _plot_circle(arrangement: Arrangement):
    n = arrangement.n
    figure, ax = plt.subplots(figsize=(_disc_width(n) + 1.6 * (1 + len(arrangement.normals) // 25), 6.5))
    t = np.linspace(0, 2 * np.pi, 400)
    ax.plot(np.cos(t), np.sin(t), color="0.75", lw=1)
    for h, (a, label) in enumerate(zip(arrangement.normals, hyperplane_labels(arrangement))):
        u = np.array([-a[1], a[0]], dtype=float)
        u /= np.linalg.norm(u)
        ax.plot([-u[0], u[0]], [-u[1], u[1]], lw=1.4, label=label, **_plane_style(h))
    directions = _directions(arrangement)
    ax.plot(*directions.T, "o", color="C3", ms=4, zorder=3)
    ax.set_xlim(-_disc_reach(n), _disc_reach(n))
    ax.set_ylim(-1.2, 1.2)
    if len(arrangement) <= _LABELLED:
        _leader_labels(ax, directions, arrangement.patterns(), 1.25)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(title="line of row", fontsize=9, title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1),
              ncol=1 + len(arrangement.normals) // 25)
    ax.set_title(f"{len(arrangement.normals)} lines, {len(arrangement)} chambers (red: a witness direction of each)"
                 "\na chamber's signs are over the rows $x_1, \\dots, x_n$ in order" + _UNLABELLED * (
                     len(arrangement) > _LABELLED), fontsize=10)
    return figure


def _view(arrangement: Arrangement) -> np.ndarray:
    """An orthonormal basis (rows u_1, u_2, u_3) of R^3 whose u_3 is nearest to every plane (the last right
    singular vector of the unit normals): seen along u_3, the planes bunch at the centre of the disc, where the
    orthographic projection does not crowd small chambers, instead of at its rim."""
    if not arrangement.normals:
        return np.eye(3)
    A = np.array(arrangement.normals, dtype=float)
    A /= np.linalg.norm(A, axis=1, keepdims=True)
    basis = np.linalg.svd(A)[2] if len(A) >= 3 else np.linalg.svd(np.vstack([A, np.zeros((3 - len(A), 3))]))[2]
    if np.linalg.det(basis) < 0:
        basis[0] = -basis[0]
    return basis


def _plot_sphere(arrangement: Arrangement):
    """The sphere as two discs seen along u_3 (`_view`): the hemisphere <w, u_3> >= 0 and the other one (seen
    through the first), the hyperplanes as arcs in the colour of their data rows, each chamber's pattern beside
    the disc of its witness direction's hemisphere."""
    n = arrangement.n
    figure, axes = plt.subplots(1, 2, figsize=(2 * _disc_width(n) + 1.6 * (1 + len(arrangement.normals) // 25), 5.8))
    t = np.linspace(0, 2 * np.pi, 721)
    basis = _view(arrangement)
    directions = _directions(arrangement) @ basis.T
    patterns = arrangement.patterns()
    for ax, upper in zip(axes, (True, False)):
        ax.plot(np.cos(t), np.sin(t), color="0.75", lw=1)
        for h, (a, label) in enumerate(zip(arrangement.normals, hyperplane_labels(arrangement))):
            a = np.array(a, dtype=float)
            u = np.linalg.svd(a[None, :])[2][1:]
            circle = (np.outer(np.cos(t), u[0]) + np.outer(np.sin(t), u[1])) @ basis.T
            side = circle[:, 2] >= 0 if upper else circle[:, 2] <= 0
            ax.plot(*np.where(side[:, None], circle[:, :2], np.nan).T, lw=1.4, label=label, **_plane_style(h))
        mine = directions[:, 2] >= 0 if upper else directions[:, 2] < 0
        ax.plot(*directions[mine, :2].T, "o", color="C3", ms=3.5, zorder=3)
        ax.set_xlim(-_disc_reach(n), _disc_reach(n))
        ax.set_ylim(-1.2, 1.2)
        if len(arrangement) <= _LABELLED:
            _leader_labels(ax, directions[mine, :2], [p for p, keep in zip(patterns, mine) if keep], 1.25)
        ax.set_aspect("equal")
        ax.set_xlabel(r"$\langle w, u_1 \rangle$")
        ax.set_ylabel(r"$\langle w, u_2 \rangle$")
        count = f"{int(mine.sum())} chamber{'s' * (int(mine.sum()) != 1)}"
        ax.set_title(f"hemisphere $\\langle w, u_3 \\rangle \\geq 0$: {count}" if upper else
                     f"hemisphere $\\langle w, u_3 \\rangle < 0$ (seen through): {count}", fontsize=10)
    axes[1].legend(title="plane of row", fontsize=9, title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1),
                   ncol=1 + len(arrangement.normals) // 25)
    names = ", ".join(f"$u_{k + 1}$ = ({', '.join(f'{c:.2f}'.replace('-0.00', '0.00') for c in row)})"
                      for k, row in enumerate(basis))
    figure.suptitle(f"{len(arrangement.normals)} planes (great circles), {len(arrangement)} chambers on the sphere "
                    "(red: a witness direction of each); a chamber's signs are over the rows $x_1, \\dots, x_n$ "
                    f"in order\nseen along $u_3$, the direction nearest to every plane; {names} in the coordinates "
                    "$w_1, w_2, w_3$" + _UNLABELLED * (len(arrangement) > _LABELLED), fontsize=10)
    figure.tight_layout()
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



def _finish_axes(ax, xlabel: str, ylabel: str | None) -> None:
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.set_ylim(-0.04, 1.06)
    ax.grid(True, which="major", color="0.9", lw=0.6)


_CLASS_STYLES = ((RegionClass.CONTAINS_GLOBAL, "contains a global min", "C0"),
                 (RegionClass.SPURIOUS, "certified spurious local min", "C3"),
                 (RegionClass.NO_LOCAL, "certified: no local min in the closure", "C2"),
                 (RegionClass.NO_GLOBAL, "no global min (local min undecided)", "C1"),
                 (RegionClass.UNDECIDED, "undecided", "0.6"))


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
    # census widths first, then thresholds, none within 25% of another (50% once labels have three digits or more):
    # labels never touch
    ticks: list[int] = []
    for m in sorted({1} | {int(p["m"]) for census in series for p in census["points"]} | set(panel.get("ticks", []))) + \
            sorted(int(t["m"]) for t in panel.get("thresholds", [])):
        if all(max(m, t) / min(m, t) >= (1.25 if max(m, t) < 100 else 1.5) for t in ticks):
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
    _integer_ticks(ax, ticks)
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
    _integer_ticks(ax, ticks)
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


def favourability_figure(result, path=None):
    """p_global (p_opt from m* on), p_spur and the favourability p_spur / (p_global + p_spur) of a
    `favourability.Favourability` on a log-width axis (a line where exact, a band where bracketed), and p_spur and the
    favourability again on a log-probability axis (they decay geometrically)."""
    series = [("p_global", r"$p_{global}(m)$: region holds an $\epsilon$-global minimum of width m", "C0"),
              ("p_spur", r"$p_{spur}(m)$: region's closure holds a spurious local minimum", "C3"),
              ("favourability", r"favourability $p_{spur} / (p_{global} + p_{spur})$", "C2")]
    # a marker per curve at the widths up to 8 and the powers of 2: where two curves coincide (p_global = p_spur at
    # small widths, the favourability = p_spur once p_global is near 1) both stay visible
    markers = {"C0": ("o", 5, 2), "C3": ("x", 4, 3), "C2": ("s", 3, 2)}     # marker, size, zorder (crosses on top)
    curves = []
    for key, label, color in series:
        shown = [(pt.width, getattr(pt, key)) for pt in result.points if getattr(pt, key) is not None]
        curves.append({"label": label, "color": color, "widths": [m for m, _ in shown],
                       "low": [float(b[0]) for _, b in shown], "high": [float(b[1]) for _, b in shown]})
    top = max(pt.width for pt in result.points)
    ticks = [2**k for k in range(top.bit_length()) if 2**k <= top]

    def marked(widths) -> list[int]:
        return [k for k, m in enumerate(widths) if m <= 8 or m & (m - 1) == 0]

    def mark(line, curve) -> None:
        marker, size, zorder = markers[curve["color"]]
        line.set(marker=marker, markersize=size, markerfacecolor="white", markeredgewidth=1,
                 markevery=marked(curve["widths"]), zorder=zorder)

    panel = {"title": f"{result.sampler} sampler: {len(result.every_width.classes)} local-minimum classes "
                      "(every-width catalog)", "max_width": top, "curves": curves, "ylabel": "probability",
             "ticks": ticks}
    figure, (left, right) = plt.subplots(1, 2, figsize=(12.4, 5.4))
    _curve_axes(left, panel)
    for line in left.get_lines():
        curve = next((c for c in curves if c["label"] == line.get_label()), None)
        if curve is not None:
            mark(line, curve)
    left.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, frameon=False)
    for curve in curves[1:]:
        m, low, high = (np.array(curve[k], dtype=float) for k in ("widths", "low", "high"))
        keep, bracketed = high > 0, not np.allclose(low, high, rtol=1e-6, atol=0)
        (line,) = right.plot(m[keep], high[keep], "-", color=curve["color"], lw=1.6,
                             label=curve["label"] + (" (upper end)" if bracketed else ""))
        mark(line, {**curve, "widths": [int(x) for x in m[keep]]})
        if bracketed:
            right.plot(m[keep], np.where(low[keep] > 0, low[keep], np.nan), "--", color=curve["color"], lw=1.2,
                       label=curve["label"] + " (lower end)")
    # a linear width axis: a geometric decay q^m is a straight line against a log probability
    right.set_yscale("log")
    right.set_xlim(0.5, top + 0.5)
    step = max(1, 2 ** int(round(np.log2(max(top, 1) / 8))))
    right.set_xticks(sorted({1, *range(step, top + 1, step)}))
    right.tick_params(axis="x", labelsize=8)
    right.set_xlabel("width m")
    right.set_ylabel("probability (log scale)")
    right.grid(True, which="major", color="0.9", lw=0.6)
    right.set_title("on a log scale: a straight line is a geometric decay", fontsize=10)
    right.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=1, frameon=False)
    figure.tight_layout()
    if path is None:
        return figure
    save_figure(figure, path)
    return Path(path).name


def _threshold_value(key: str) -> float:
    numerator, _, denominator = key.partition("/")
    return int(numerator) / int(denominator or 1)


def class_shares(row: dict) -> list[float]:
    """The share of each region class (in `_CLASS_STYLES` order) of one census row: its exact probability
    (exhaustive row) or its sampled fraction k/N. The classes partition the regions, so the shares sum to 1."""
    if row["exhaustive"]:
        keys = {kind: key for key, kind, _, _ in _CENSUS_CLASSES}
        return [row[keys[kind]] for kind, _, _ in _CLASS_STYLES]
    return [row["counts"][kind] / row["samples"] for kind, _, _ in _CLASS_STYLES]


def _marked_widths(ax, marks: dict[str, float]) -> None:
    """Dashed vertical lines at reference widths, named on a top axis: clear of the data and of each other
    (marks at one width share a tick)."""
    names: dict[float, list[str]] = {}
    for name, x in marks.items():
        names.setdefault(float(x), []).append(name)
    for x in names:
        ax.axvline(x, color="0.55", lw=0.8, ls="--", zorder=0)
    top = ax.secondary_xaxis("top")
    top.set_xticks(list(names), [" = ".join(v) for v in names.values()], fontsize=8)
    top.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())


def sufficiency_figure(cases: list, coupon: list[tuple[list[int], list[float]]], path: Path) -> str:
    """Our generic cases, one row of panels each; see `_sufficiency_figure`."""
    return _save(_sufficiency_figure(cases, coupon), path)


def _sufficiency_figure(cases: list, coupon: list[tuple[list[int], list[float]]]):
    """Left: per tested width m, one bar stacking the shares of the five region classes (they sum to 1; exact
    probabilities or sampled fractions k/N with the Wilson 95% interval of 'contains a global min'); shares too
    thin to see are written above the bar. Right: the probability that every signed pattern is hit (exact, at the
    tested widths) and the uniform coupon collector on 2P patterns (`coupon`: widths and exact probabilities),
    on log axes so that tiny probabilities stay visible; P, 2P and 2^n marked on the top axis."""
    figure, axes = plt.subplots(len(cases), 2, figsize=(12, 5.2 * len(cases)), squeeze=False,
                                gridspec_kw={"width_ratios": [1.15, 1]})
    for (left, right), case, (grid, hit) in zip(axes, cases, coupon):
        rows, P = case["rows"], case["P"]
        x = np.arange(len(rows))
        shares = np.array([class_shares(r) for r in rows])
        bottom = np.zeros(len(rows))
        for k, (_, label, color) in enumerate(_CLASS_STYLES):
            left.bar(x, shares[:, k], 0.62, bottom=bottom, color=color, edgecolor="white", lw=0.5, label=label)
            bottom += shares[:, k]
        for j, row in enumerate(rows):
            thin = [(s, color) for s, (_, _, color) in zip(shares[j], _CLASS_STYLES) if 0 < s < 0.04]
            for k, (share, color) in enumerate(thin):
                left.annotate(f"{share:.2g}", (x[j], 1.0), xytext=(0, 3 + 10 * k), textcoords="offset points",
                              ha="center", va="bottom", fontsize=7, color=color)
        sampled = [j for j, r in enumerate(rows) if not r["exhaustive"]]
        if sampled:
            top = shares[sampled, 0]
            low = np.array([rows[j]["p_contains_global"][0] for j in sampled])
            high = np.array([rows[j]["p_contains_global"][1] for j in sampled])
            left.errorbar(x[sampled], top, yerr=[np.maximum(top - low, 0), np.maximum(high - top, 0)], fmt="none",
                          ecolor="black", elinewidth=1, capsize=3, label="Wilson 95% of 'contains a global min'")
        names = {P: "P", 2 * P: "2P", case["2^n"]: "$2^n$"}
        left.set_xticks(x, [f"{r['m']}" + (f" = {names[r['m']]}" if r["m"] in names else "") + "\n"
                            + ("exact" if r["exhaustive"] else f"N = {r['samples']}") for r in rows], fontsize=8)
        left.set_xlabel("width m (exact: every region weighed; N: sampled initializations)")
        left.set_ylabel("share of regions (sums to 1)")
        left.set_ylim(0, 1.2)
        left.set_yticks(np.linspace(0, 1, 6))
        left.set_title(f"(a) generic n = {case['n']}, d = {case['d']}: certified region classes "
                       "(Gaussian sampler)", fontsize=10)
        left.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False)

        covered = np.array([r["p_fully_covered"] for r in rows])
        m = np.array([r["m"] for r in rows], dtype=float)
        positive = [v for v in list(covered) + list(hit) if v > 0]
        floor = 10 ** np.floor(np.log10(min(positive)) - 1) if positive else 1e-3
        right.plot(grid, hit, "-", color="0.3", lw=1.2, label=f"uniform coupon collector: all 2P = {2 * P} hit (exact)")
        right.plot(m[covered > 0], covered[covered > 0], "s", color="C4", ms=6,
                   label="Gaussian: every signed pattern hit (exact)")
        if (covered == 0).any():
            right.plot(m[covered == 0], np.full(int((covered == 0).sum()), floor), "s", color="C4", mfc="white",
                       ms=6, clip_on=False, label="Gaussian: exactly 0 (m < 2P; drawn at the floor)")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_ylim(floor / 4, 3)
        right.set_xlim(0.8, 1.25 * max(max(grid), max(m), case["2^n"]))
        right.set_xlabel("width m (log scale)")
        right.set_ylabel("probability (log scale)")
        right.grid(True, which="major", color="0.9", lw=0.6)
        _marked_widths(right, {"P": P, "2P": 2 * P, "$2^n$": case["2^n"]})
        right.set_title(f"(b) P = {P} chambers: is every signed pattern hit?", fontsize=10)
        right.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=1, frameon=False)
    figure.tight_layout()
    return figure


def activation_figure(data: dict, path: Path) -> str:
    """Experiment B; see `_activation_figure`."""
    return _save(_activation_figure(data), path)


def _activation_figure(data: dict):
    """Experiment B: (a) chambers sorted by Gaussian measure (bars: Monte Carlo estimate; black bars its Wilson
    95% interval) against both samplers' frequencies (points with Wilson bars, `data["frequency_wilson"]`) and 1/P,
    log scale; estimates that are exactly 0 (no sample landed there) cannot sit on a log axis and are marked in a
    strip below it. (b) the expected fraction of chambers hit and the probability that all are hit, against width,
    out to the width 1/(2 q_min) that the section's verdict cites."""
    figure = plt.figure(figsize=(13, 6.6))
    grid = figure.add_gridspec(2, 2, height_ratios=[5, 1], hspace=0.08, width_ratios=[1, 1])
    left = figure.add_subplot(grid[0, 0])
    strip = figure.add_subplot(grid[1, 0], sharex=left)
    right = figure.add_subplot(grid[:, 1])
    P, draws = data["P"], data["draws"]
    values = np.array(data["measure"]["values"])
    bands = np.array(data["measure"]["wilson"])
    order = np.argsort(-values, kind="stable")
    x = np.arange(P)
    left.bar(x, values[order], color="0.82", label=f"Gaussian measure (Monte Carlo, {data['measure']['samples']:.0e} "
                                                  "samples)")
    left.vlines(x, bands[order, 0], bands[order, 1], color="k", lw=1, label="its Wilson 95% interval")
    zeros = {"measure estimate": values[order] == 0}
    for name, color, marker, shift in (("gaussian", "C0", "o", -0.2), ("uniform", "C1", "x", 0.2)):
        counts = np.array(data["frequencies"][name])[order]
        intervals = np.array(data["frequency_wilson"][name])[order]
        mid = counts / draws
        shown = mid > 0
        zeros[f"{name} sampler"] = ~shown
        left.errorbar(x[shown] + shift, mid[shown], yerr=[mid[shown] - intervals[shown, 0],
                                                          intervals[shown, 1] - mid[shown]],
                      fmt=marker, color=color, ms=3, lw=0.8,
                      label=f"{name} sampler: frequency in {draws} draws (Wilson 95%)")
    left.axhline(1 / P, color="C3", ls="--", lw=1, label=f"1/P = 1/{P}")
    left.set_yscale("log")
    left.set_ylim(max(1e-9, 0.3 * float(bands[:, 1].min())), 0.3)
    left.set_ylabel("probability that one neuron lands there (log)")
    left.set_title(f"(a) n = 7, d = 4: chamber probabilities ({P} chambers)", fontsize=10)
    left.tick_params(labelbottom=False)
    colors = {"measure estimate": "0.45", "gaussian sampler": "C0", "uniform sampler": "C1"}
    for k, (name, zero) in enumerate(zeros.items()):
        strip.plot(x[zero], np.full(int(zero.sum()), k), "|", color=colors[name], ms=9, mew=1.5,
                   label=f"{name} is 0 ({int(zero.sum())} chambers; not drawable on the log axis)" if zero.any()
                   else None)
    strip.set_yticks(range(len(zeros)), [f"{name} = 0" for name in zeros], fontsize=7)
    strip.set_ylim(-0.7, len(zeros) - 0.3)
    strip.invert_yaxis()
    strip.set_xlabel(f"chamber, sorted by Gaussian measure (P = {P})")
    strip.grid(True, axis="x", color="0.9", lw=0.6)
    handles, labels = left.get_legend_handles_labels()
    more = strip.get_legend_handles_labels()
    left.legend(handles + more[0], labels + more[1], fontsize=7, loc="upper center",
                bbox_to_anchor=(0.5, -0.42), ncol=1, frameon=False)

    widths = data["widths"]
    expected = data["expected_fraction_hit"]
    right.plot(widths, expected["uniform"], "-", color="C1", label="uniform: expected fraction of chambers hit (exact)")
    right.plot(widths, expected["gaussian"], "-", color="C0", label="Gaussian: expected fraction hit (estimate)")
    right.fill_between(widths, expected["gaussian_low"], expected["gaussian_high"], color="C0", alpha=0.25, lw=0,
                       label="Gaussian: band from the measures' intervals")
    right.plot(widths, data["all_hit_uniform"], "--", color="C1", label="uniform: P(every chamber hit) (exact)")
    right.plot(widths, data["all_hit_gaussian_upper"], "--", color="C0",
               label=r"Gaussian: P(every chamber hit), upper bound $m\,q_{\min}$")
    needed, half = data["half_width_gaussian_lower"], data["half_width_uniform"]
    if half is not None:
        right.plot([half], [0.5], "o", color="C1", ms=6, mfc="white", mew=1.5,
                   label=f"uniform: every chamber hit with probability 1/2 at m = {half}")
    right.plot([needed], [0.5], "o", color="C0", ms=6, mfc="white", mew=1.5,
               label=f"Gaussian: the bound reaches 1/2 only at m = $1/(2q_{{\\min}})$ = {needed:.2g}")
    _finish_axes(right, "width m (log scale)", "probability / fraction")
    right.set_xlim(0.8, 1.5 * max(widths[-1], needed))
    _marked_widths(right, {"P": P, r"$P\,H_P$": data["uniform_cover_mean"], r"$1/(2q_{\min})$": needed})
    right.set_title("(b) covering the chambers with m neurons", fontsize=10)
    right.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1, frameon=False)
    figure.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.3, wspace=0.22)
    return figure


def initialization_figure(data: dict, path: Path) -> str:
    """Claim 3: where gradient descent ends, by initialization scale alpha (see `_initialization_figure`)."""
    return _save(_initialization_figure(data["rows"], data["groups"]), path)


def _initialization_figure(rows: list[dict], groups: list[str]):
    """One panel per (instance, width): at each scale alpha (log axis) a bar of the runs' outcomes as fractions
    of all runs, stacked from the bottom: the certified verdict groups of the converged runs; on top, apart
    (hatched, above a white gap), the runs that did not meet the convergence criterion, in their verdict group's
    colour, paler (grey where the row does not count them by group)."""
    instances = list(dict.fromkeys(r["instance"] for r in rows))
    columns = max(len({r["width"] for r in rows if r["instance"] == name}) for name in instances)
    figure, axes = plt.subplots(len(instances), columns, figsize=(3.4 * columns + 3.2, 2.6 * len(instances) + 0.6),
                                squeeze=False, sharey=True)
    colors = ["tab:green", "tab:red", "tab:orange", "tab:purple", "tab:brown"]
    colors = dict(zip(groups, colors[:len(groups) - 1] + ["0.35"]))   # the last group is "other"
    gap = 0.015
    for ax_row, name in zip(axes, instances):
        mine = [r for r in rows if r["instance"] == name]
        widths = list(dict.fromkeys(r["width"] for r in mine))
        for ax in ax_row[len(widths):]:
            ax.set_visible(False)
        for ax, width in zip(ax_row, widths):
            bars = [r for r in mine if r["width"] == width]
            scales = np.array([r["init_scale"] for r in bars])
            half = min([0.18] + [0.4 * g for g in np.diff(np.log10(np.sort(scales))) if g > 0])   # in decades
            left, span = scales * 10 ** -half, scales * (10 ** half - 10 ** -half)
            bottom = np.zeros(len(bars))
            for group in groups:
                share = np.array([r["groups"][group] / r["runs"] for r in bars])
                ax.bar(left, share, width=span, bottom=bottom, align="edge", color=colors[group], label=group)
                bottom += share
            stuck = np.array([(r["runs"] - r["converged"]) / r["runs"] for r in bars])
            bottom += gap * (stuck > 0)
            for group in groups:   # the not-converged runs' certified verdicts, hatched over their group's colour
                share = np.array([r.get("not_converged_groups", {}).get(group, 0) / r["runs"] for r in bars])
                ax.bar(left, share, width=span, bottom=bottom, align="edge", color=colors[group], alpha=0.4,
                       edgecolor="0.3", hatch="///", lw=0.6)
                bottom += share
                stuck -= share
            ax.bar(left, stuck, width=span, bottom=bottom, align="edge", color="0.85", edgecolor="0.45", hatch="///",
                   lw=0.6, label="not converged (||grad||² ≥ 1e-16 at the step budget)")
            ax.set_xscale("log")
            ax.set_xlim(scales.min() * 10 ** -0.5, scales.max() * 10 ** 0.5)
            ax.set_xticks(scales, [f"{x:g}" for x in scales], fontsize=7)
            ax.minorticks_off()
            ax.set_ylim(0, 1)
            ax.set_title(f"{name}, m = {width} ({bars[0]['runs']} runs per bar)", fontsize=8)
            ax.set_xlabel("initialization scale α (log)", fontsize=8)
        ax_row[0].set_ylabel("fraction of runs", fontsize=8)
    handles, labels = axes[0][0].get_legend_handles_labels()
    labels = [label.replace(" (", "\n(") for label in labels]
    figure.legend(handles, labels, fontsize=7, loc="center right", frameon=False)
    figure.suptitle("Where gradient descent ends, by initialization scale α\n(converged runs: certified verdicts; "
                    "not converged: hatched, above a gap, by certified verdict)", fontsize=9)
    figure.tight_layout(rect=(0, 0, 1 - 2.6 / figure.get_figwidth(), 1))
    return figure


_STRICTNESS_MARKERS = {   # strictness -> (marker, face colour, label)
    "strict": ("o", "tab:red", "spurious, strict (proved)"),
    "non-strict": ("D", "tab:orange", "spurious, non-strict (proved: a valley)"),
    "not decided": ("o", "none", "spurious, strictness not decided"),
}


_UNDECIDED_ROWS = 12     # undecided faces drawn one per row; the rest are counted in one more row


def catalog_figure(catalog):
    """The catalog on a loss axis, one row per entry so that no label meets another: L*_m (and L*_m + epsilon),
    each spurious local minimum at its value, sorted by value, its row named by value, basin probability and face
    (as `certify` prints them), marked by its certified strictness (filled circle: strict; diamond: non-strict,
    two neurons share a signed face or the minimizers form a valley; hollow: not decided), its area growing with
    the Gaussian probability that a random initialization's region has it in its closure; then one row per
    undecided face, whose value is not known, hatched across the whole axis."""
    entries = sorted(catalog.spurious, key=lambda e: e["value_float"][0])
    undecided = catalog.undecided
    shown = undecided[:_UNDECIDED_ROWS]
    rows = len(entries) + len(shown) + (len(undecided) > len(shown))
    height = 2.1 + 0.27 * max(rows, 1)
    figure, ax = plt.subplots(figsize=(9, height))
    low, high = (float(x) for x in catalog.lstar)
    ax.axvline(high, color="tab:green", lw=2, label=f"$L^*_{{{catalog.width}}}$ = {high:.6g}"
               + (" (certified)" if catalog.certified else " (NOT certified)"))
    if catalog.epsilon and float(catalog.epsilon) > 1e-3 * max(abs(high), 1e-12):
        ax.axvspan(low, low + float(catalog.epsilon), color="tab:green", alpha=0.2,
                   label=r"$L^*_m + \varepsilon$: counted as global")
    largest = max((e.get("probability", 0.0) for e in entries), default=0.0) or 1.0
    names = []
    for k, entry in enumerate(entries):
        value, probability = entry["value_float"][0], entry.get("probability", 0.0)
        marker, face, _ = _STRICTNESS_MARKERS[entry["strict"]]
        ax.scatter([value], [k], s=25 + 120 * probability / largest, marker=marker, facecolors=face,
                   edgecolors="tab:red", linewidths=1.2, zorder=3, clip_on=False)
        names.append(f"{value:<9.6g}  p = {probability:<8.2g} {entry['face']}")
    for k, entry in enumerate(shown, start=len(entries)):
        ax.axhspan(k - 0.3, k + 0.3, fc="0.93", ec="0.6", hatch="///", lw=0)
        names.append(f"{'undecided':<22} {entry['face']}")
    if len(undecided) > len(shown):
        ax.axhspan(rows - 1 - 0.3, rows - 1 + 0.3, fc="0.93", ec="0.6", hatch="///", lw=0)
        names.append(f"{'undecided':<22} ... {len(undecided) - len(shown)} more faces (see --json)")
    for marker, face, label in _STRICTNESS_MARKERS.values():
        ax.scatter([], [], s=60, marker=marker, facecolors=face, edgecolors="tab:red", label=label)
    if undecided:
        ax.fill_between([], [], fc="0.93", ec="0.6", hatch="///", lw=0, label="undecided face: its value is not known")
    ax.set_yticks(range(rows), names, fontsize=7, family="monospace")
    ax.set_ylim(rows - 0.4, -0.6)
    values = [high] + [e["value_float"][0] for e in entries]
    span = (max(values) - min(values)) or max(abs(high), 1e-3)
    ax.set_xlim(min(values) - 0.06 * span, max(values) + 0.06 * span)
    ax.set_xlabel("loss")
    ax.grid(True, axis="x", color="0.9", lw=0.6)
    share = catalog.favourability.get("spurious_by_count")
    share = "" if share is None else (f"; spurious share by count {share:.3g}" if isinstance(share, float)
                                      else f"; spurious share by count in [{share[0]:.3g}, {share[1]:.3g}]")
    state = (f"catalog incomplete: {len(undecided)} face{'s' * (len(undecided) != 1)} undecided" if undecided
             else "complete, certified" if catalog.certified else "NOT certified")
    ax.set_title(f"width {catalog.width}: {catalog.verdict}, {len(entries)} spurious local minima ({state}){share}\n"
                 "rows: value, p = P(a random region's closure holds it), face; marker area grows with p", fontsize=8)
    figure.legend(*ax.get_legend_handles_labels(), fontsize=7, loc="lower center", ncol=2, frameon=False)
    figure.tight_layout(rect=(0, 0.6 / height, 1, 1))
    return figure


_CENSUS_CLASSES = (   # attribute of Census, its class, label, colour
    ("p_contains_global", RegionClass.CONTAINS_GLOBAL, "contains a global minimum", "tab:green"),
    ("p_spurious_local_min", RegionClass.SPURIOUS, "certified spurious local minimum", "tab:red"),
    ("p_no_local_min", RegionClass.NO_LOCAL, "no local minimum (certified)", "tab:blue"),
    ("p_no_global_min", RegionClass.NO_GLOBAL, "no global minimum, local minimum undecided", "tab:orange"),
    ("p_undecided", RegionClass.UNDECIDED, "undecided", "0.6"),
)


def census_figure(census):
    """One bar per certified class of a census: the probability that a random initialization's region is of that
    class; exact when the census is exhaustive, else the sampled fraction with its Wilson 95% interval."""
    figure, ax = plt.subplots(figsize=(7, 3.2))
    for k, (key, name, label, color) in enumerate(_CENSUS_CLASSES):
        value = getattr(census, key)
        low, high = (value, value) if isinstance(value, float) else value
        share = value if isinstance(value, float) else census.counts.get(name, 0) / max(census.samples, 1)
        ax.barh(k, share, color=color, height=0.6)
        if high > low:
            ax.errorbar(share, k, xerr=[[share - low], [high - share]], color="black", capsize=3, lw=1)
        ax.annotate(f"{share:.3g}" if high == low else f"{share:.3g} [{low:.3g}, {high:.3g}]", (high, k),
                    textcoords="offset points", xytext=(4, -3), fontsize=8)
    ax.set_yticks(range(len(_CENSUS_CLASSES)), [label for _, _, label, _ in _CENSUS_CLASSES], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("probability of the region's class")
    how = "exhaustive, exact weights" if census.exhaustive else f"{census.samples} samples, Wilson 95%"
    ax.set_title(f"census at width {census.width} ({census.sampler} sampler, {how})", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return figure


def every_width_figure(result, widths: int | None = None):
    """The landscape at every width: each class's value at every width from its smallest one on (red: spurious at that
    width, green: global within epsilon, grey: not separated), L*_m as a step line; widths 1 .. max(stable_from + 1,
    `widths`), the last row holding for every larger width."""
    rows = result.by_width
    last = max(widths or 0, (result.stable_from or len(rows)) + 1, 2)
    figure, ax = plt.subplots(figsize=(6, 3.6))
    ms = list(range(1, last + 1))
    lstar = [float(rows[min(m, len(rows)) - 1].lstar[1]) for m in ms] if rows else []
    if lstar:
        ax.step([m - 0.5 for m in ms] + [last + 0.5], lstar + lstar[-1:], where="post", color="tab:green", lw=2,
                label="$L^*_m$ (certified)")
    for c in result.classes:
        xs = [m for m in ms if m >= c.from_width]
        row = [rows[min(m, len(rows)) - 1] for m in xs]
        spurious = [c.value in r.spurious for r in row]
        value = float(c.value[0])
        ax.plot(xs, [value] * len(xs), color="0.75", lw=1, zorder=1)
        ax.scatter([m for m, s in zip(xs, spurious) if s], [value] * sum(spurious), color="tab:red", zorder=3,
                   marker="x")
        ax.scatter([m for m, s in zip(xs, spurious) if not s], [value] * (len(xs) - sum(spurious)),
                   facecolors="none", edgecolors="tab:green", zorder=3)
        ax.annotate(f"{value:.4g}", (xs[0], value), textcoords="offset points", xytext=(-4, 5), fontsize=7)
    ax.scatter([], [], color="tab:red", marker="x", label="spurious at this width")
    ax.scatter([], [], facecolors="none", edgecolors="tab:green", label="global (within epsilon)")
    ax.set_xticks(ms)
    ax.set_xlabel("width m")
    ax.set_ylabel("loss")
    ax.set_title(f"{result.verdict}; every width >= {result.stable_from} as the last column", fontsize=8)
    ax.legend(fontsize=7, frameon=False)
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
    figure.suptitle("Certified catalogs of local minima (docs/mathematics.md §8) against width", fontsize=10)
    figure.tight_layout()
    return _save(figure, path)


def _integer_ticks(ax, ticks) -> None:
    """Label a log-scale x axis at the integers `ticks` only (no minor labels)."""
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(t) for t in ticks], fontsize=8)
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def _save(figure, path: Path) -> str:
    save_figure(figure, path)
    return path.name
