"""Figures, checked as a referee looks at them: every class drawn and the stacks summing to 1, every hyperplane named
by its data rows, no two labels meeting, no marker clipped, nothing drawn as certified that is not. plots.py is a
leaf: these tests hand it data, as the front ends do."""

from fractions import Fraction
from itertools import combinations
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from verifier.arrangement import enumerate_chambers
from verifier.catalog import Catalog
from verifier.census import wilson
from verifier.instance import Instance
from verifier.plots import (_activation_figure, _sufficiency_figure, arrangement_figure, catalog_figure,
                            class_shares, hyperplane_labels, loss_figure)


def _extents(figure, texts):
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in texts]


def _assert_apart(figure, texts):
    """No two of the texts' boxes overlap on the rendered figure."""
    boxes = _extents(figure, texts)
    for (i, a), (j, b) in combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), (texts[i].get_text(), texts[j].get_text())


def _assert_typeset(figure):
    """No literal caret or underscore: every text holding one is mathtext."""
    for text in figure.findobj(Text):
        if "^" in text.get_text() or "_" in text.get_text():
            assert "$" in text.get_text(), text.get_text()


def test_every_hyperplane_is_named_by_its_data_rows():
    """Rows that are multiples of one another share a hyperplane and its name; a zero row has none; every
    non-zero row is named exactly once, numbered from 1 as the signs of a pattern are read."""
    data = Instance.from_arrays([[1, 0], [2, 0], [-1, 0], [0, 1], [0, 0]], [1, 2, 3, 4, 5], "1/10")
    arrangement = enumerate_chambers(data.X)
    labels = hyperplane_labels(arrangement)
    assert len(labels) == len(arrangement.normals) == 2
    assert sorted(labels) == ["$x_{1}, x_{2}, x_{3}$", "$x_{4}$"]
    named = [int(i) for label in labels for i in label.strip("$").replace("x_{", "").replace("}", "").split(", ")]
    assert sorted(named) == [1, 2, 3, 4]


@pytest.mark.parametrize("X", [[[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]],                     # d = 2
                               [[2, 3, 2], [2, 3, 4], [-2, -3, 3], [2, 5, 4], [-3, -4, 2]]])      # d = 3, crowded
def test_the_arrangement_figure_names_planes_and_keeps_labels_apart(X):
    data = Instance.from_arrays(X, [1] * len(X), "1/20")
    arrangement = enumerate_chambers(data.X)
    figure = arrangement_figure(arrangement)
    legend = figure.axes[-1].get_legend() or figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == hyperplane_labels(arrangement)
    for ax in figure.axes:
        texts = [t for t in ax.texts if set(t.get_text()) <= set("+-0") and t.get_text()]
        _assert_apart(figure, texts)
        if len(X[0]) == 2:
            assert (ax.get_xlabel(), ax.get_ylabel()) == ("$w_1$", "$w_2$")
    written = sorted(t.get_text() for ax in figure.axes for t in ax.texts)
    assert written == sorted(arrangement.patterns())      # every chamber once, in one disc or the other
    _assert_typeset(figure)


def _catalog(spurious, undecided) -> Catalog:
    return Catalog(verdict="spurious-local-minima", width=3, lstar=(Fraction(23, 100), Fraction(23, 100)),
                   epsilon=Fraction(0), product_faces=30, counts={"e": len(spurious), "u": len(undecided)},
                   spurious=spurious, undecided=undecided, document=None, certified=True, seconds=1.0, faces=10,
                   chambers=10, favourability={})


def test_the_catalog_figure_gives_each_entry_and_undecided_face_a_row():
    """Width 3 of the planar example has entries with equal values (0.358099 twice, 0.5327 three times); each
    entry and each undecided face gets its own row, the labels stay apart and no marker is clipped."""
    values = [0.3581, 0.3581, 0.5327, 0.5327, 0.5327, 0.2935, 1.003]
    spurious = [{"face": f"face-{k}", "value_float": [v, v], "strict": ("strict", "non-strict")[k % 2],
                 "probability": 0.001 * (k + 1)} for k, v in enumerate(values)]
    undecided = [{"face": "--0-+:+ x 000++:+", "reason": "r"}, {"face": "++0-+:+ x 000++:-", "reason": "r"}]
    figure = catalog_figure(_catalog(spurious, undecided))
    ax = figure.axes[0]
    ticks = ax.get_yticklabels()
    assert len(ticks) == len(values) + len(undecided)
    assert sum("undecided" in t.get_text() for t in ticks) == len(undecided)
    assert "catalog incomplete: 2 faces undecided" in ax.get_title()
    _assert_apart(figure, ticks)
    (x0, x1), (y0, y1) = ax.get_xlim(), sorted(ax.get_ylim())
    points = np.vstack([c.get_offsets() for c in ax.collections
                        if isinstance(c, PathCollection) and len(c.get_offsets())])
    assert len(points) == len(values)
    assert ((points[:, 0] > x0) & (points[:, 0] < x1) & (points[:, 1] > y0) & (points[:, 1] < y1)).all()
    _assert_typeset(figure)


def test_the_loss_figure_draws_only_certified_references():
    certified = SimpleNamespace(lower=Fraction(1, 5), upper=Fraction(1, 5), certified=True)
    bracket = SimpleNamespace(lower=Fraction(1, 4), upper=Fraction(1, 4) + Fraction(1, 10**20), certified=True)
    refused = SimpleNamespace(lower=Fraction(1, 10), upper=Fraction(1, 10), certified=False)
    figure = loss_figure([0, 10, 20], [1.0, 0.5, 0.3], {"$C^*$": certified, "$L^*_{2}$": bracket, "$X$": refused})
    ax = figure.axes[0]
    levels = {float(line.get_ydata()[0]): line.get_label() for line in ax.get_lines()[1:] if len(line.get_ydata())}
    assert levels.keys() == {0.2, 0.25}
    assert levels[0.2] == "$C^*$ = 0.2 (certified, exact)"
    assert levels[0.25].startswith("$L^*_{2}$ = 0.25 (certified, relative gap 4e-20")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "$X$: not certified, not drawn" in labels and not any("$X$" in t and "(certified" in t for t in labels)


def _generic_case():
    exact = {"m": 1, "exhaustive": True, "samples": 0, "p_contains_global": 0.05, "p_spurious_local_min": 0.006,
             "p_no_local_min": 0.35, "p_no_global_min": 0.594, "p_undecided": 0.0, "p_fully_covered": 0.0,
             "counts": {}}
    sampled = {"m": 24, "exhaustive": False, "samples": 30, "p_contains_global": [0.45, 0.78],
               "p_fully_covered": 7e-17, "counts": {"contains-global-min": 19, "spurious-local-min": 1,
                                                    "no-local-min": 8, "no-global-min": 1, "undecided": 1}}
    return {"n": 6, "d": 2, "P": 12, "2^n": 64, "rows": [exact, sampled]}


def test_the_sufficiency_stacks_hold_every_class_and_sum_to_one():
    case = _generic_case()
    for row in case["rows"]:
        assert len(class_shares(row)) == 5 and sum(class_shares(row)) == pytest.approx(1)
    figure = _sufficiency_figure([case], [([24, 48, 96], [1e-9, 0.2, 0.9])])
    left, right = figure.axes[:2]
    assert len(left.containers) >= 5       # one bar container per class (and the Wilson bars)
    heights: dict = {}
    for container in left.containers[:5]:
        for bar in container:
            heights[bar.get_x()] = heights.get(bar.get_x(), 0) + bar.get_height()
    assert list(heights.values()) == [pytest.approx(1), pytest.approx(1)]
    floor = right.get_ylim()[0]
    zero = [line for line in right.get_lines() if "exactly 0" in line.get_label()]
    assert zero and all(y > floor for y in zero[0].get_ydata())     # the zero at m = 1 is drawn, above the floor
    assert [t.get_text() for t in right.child_axes[0].get_xticklabels()] == ["P", "2P", "$2^n$"]
    _assert_typeset(figure)


def test_the_activation_figure_marks_zero_estimates_and_reaches_the_cited_width():
    P, draws = 6, 100
    values = [0.5, 0.3, 0.15, 0.05, 0.0, 0.0]
    data = {"P": P, "draws": draws, "measure": {"samples": 1000, "values": values,
                                                 "wilson": [[max(0, v - 0.01), v + 0.01] for v in values]},
            "frequencies": {"gaussian": [50, 30, 15, 5, 0, 0], "uniform": [17, 17, 16, 17, 16, 17]},
            "frequency_wilson": {name: [wilson(c, draws) for c in counts] for name, counts in
                                 {"gaussian": [50, 30, 15, 5, 0, 0], "uniform": [17, 17, 16, 17, 16, 17]}.items()},
            "widths": [1, 10, 100], "expected_fraction_hit": {k: [0.2, 0.6, 0.9] for k in
                                                              ("uniform", "gaussian", "gaussian_low", "gaussian_high")},
            "all_hit_uniform": [0, 0.3, 0.99], "all_hit_gaussian_upper": [0.01, 0.1, 1.0],
            "half_width_gaussian_lower": 50.0, "half_width_uniform": 20, "uniform_cover_mean": 14.7}
    figure = _activation_figure(data)
    left, strip, right = figure.axes[:3]
    marked = {line.get_label(): len(line.get_xdata()) for line in strip.get_lines()}
    assert marked["measure estimate is 0 (2 chambers; not drawable on the log axis)"] == 2
    assert marked["gaussian sampler is 0 (2 chambers; not drawable on the log axis)"] == 2
    assert right.get_xlim()[1] >= data["half_width_gaussian_lower"]
    legend = [t.get_text() for t in right.get_legend().get_texts()]
    assert any("$1/(2q_{\\min})$ = 50" in t for t in legend)
    assert [t.get_text() for t in right.child_axes[0].get_xticklabels()] == ["P", "$P\\,H_P$", "$1/(2q_{\\min})$"]
    _assert_typeset(figure)
