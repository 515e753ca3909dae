"""Strictness of catalog entries (checker.strictness): the worked example, every typed reason, and agreement with an
independent float computation (the Hessian of G on the face at the certified point)."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from verifier import checker
from verifier.catalog import build_catalog
from verifier.checker.strictness import NON_STRICT, NOT_DECIDED, STRICT, Why, decide_strictness
from verifier.instance import Instance
from verifier.strategies import tiny_instances

ONE_D = Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], Fraction(1, 8))
ORTHOGONAL = Instance.from_arrays([[1, 0], [0, 1]], [Fraction(3, 2), Fraction(-1, 2)], Fraction(1, 8))
QUADRANTS = ["++", "+-", "-+", "--"]


def test_worked_example_strictness_is_the_checkers():
    """docs §8: width 1's spurious 19/64 is strict; width 2's 11/64 and 19/64 are non-strict (a shared signed face)."""
    for width, expected in ((1, [(STRICT, None)]), (2, [(NON_STRICT, "shared-signed-face")] * 2)):
        catalog = build_catalog(ONE_D, width)
        facts = checker.check(catalog.document).facts
        assert [(e["strict"], e.get("strict_reason")) for e in facts["spurious"]] == expected
        assert [e["strict"] for e in catalog.spurious] == [s for s, _ in expected]
    assert [Fraction(e["value"][0]) for e in facts["spurious"]] == [Fraction(11, 64), Fraction(19, 64)]


@pytest.mark.parametrize("faces,r0,rho2,verdict,why", [
    ([("-+", 1), ("-+", 1)], [1, Fraction(1, 4)], 0, NON_STRICT, Why.SHARED_FACE),
    ([("-+", 1)], [1, Fraction(1, 4)], 0, STRICT, None),
    ([("-+", 1), ("+-", 1)], [1, Fraction(1, 4)], None, NOT_DECIDED, Why.NO_ENCLOSURE),
    ([("-+", 1), ("+-", 1)], [0, 0], Fraction(1, 10**6), NOT_DECIDED, Why.RANK_AT_CENTRE),   # M(r0) = [0 0; 0 0; 1 1]
    ([("-+", 1), ("+-", 1)], [1, Fraction(1, 4)], 100, NOT_DECIDED, Why.RANK_ON_BALL),
    ([("-+", 1), ("+-", 1)], [1, Fraction(1, 4)], Fraction(1, 10**6), STRICT, None),
])
def test_one_dimensional_reasons(faces, r0, rho2, verdict, why):
    decided = decide_strictness(ONE_D, faces, [Fraction(x) for x in r0],
                                None if rho2 is None else Fraction(rho2))
    assert (decided.verdict, decided.why) == (verdict, why)


def test_dependent_columns_are_a_valley():
    """Three neurons on distinct signed faces of a single data point: M(r) has n + 1 = 2 rows, so its 3 columns are
    dependent for every r (non-strict whatever the ball)."""
    single = Instance.from_arrays([[1]], [1], Fraction(1, 10))
    decided = decide_strictness(single, [("+", 1), ("+", -1), ("-", 1)], [Fraction(1)], Fraction(0))
    assert (decided.verdict, decided.why) == (NON_STRICT, Why.DEPENDENT_COLUMNS)


def test_kinks_need_no_multiplier_test():
    """The orthogonal kink of proofs/lemma_strictness.py (one multiplier identically 0): strict. Dependent (tied) kink
    rows do not matter either: the nearby minimizers stay on the rays of u* (the segment argument of the lemma)."""
    r_star = [Fraction(1, 4), Fraction(-1, 2)]
    assert decide_strictness(ORTHOGONAL, [("+0", 1)], r_star, Fraction(1, 10**6)).verdict == STRICT
    assert decide_strictness(ORTHOGONAL, [("+0", 1)], r_star, Fraction(1)).verdict == STRICT      # any ball at m = 1
    tied = Instance.from_arrays([[1, 0], [2, 0], [0, 1]], [-1, -1, 1], Fraction(1, 10))
    # u* = (0, 7/10) on the kinks of rows 0 and 1 (y_3 - 3 lambda), r* = (-1, -1, 3/10): strict by brute force
    lam, y = Fraction(1, 10), [-1, -1, 1]

    def G(u):
        fit = sum((max(x[0] * u[0] + x[1] * u[1], 0) - t) ** 2 for x, t in zip(tied.X, y)) / 6
        return fit + float(lam) * float(u[0] ** 2 + u[1] ** 2) ** 0.5

    star = G((Fraction(0), Fraction(7, 10)))
    steps = [Fraction(k, 100) for k in range(-3, 4)]
    assert all(G((a, Fraction(7, 10) + b)) > star + 1e-12 for a in steps for b in steps if a or b)
    decided = decide_strictness(tied, [("00+", 1)], [Fraction(-1), Fraction(-1), Fraction(3, 10)], Fraction(1, 10**6))
    assert decided.verdict == STRICT


def _face_hessian(instance, faces, points) -> np.ndarray:
    """Hessian of G(u) = (1/2n)||sum_k s_k D_k X u_k - y||^2 + lambda sum_k ||u_k|| restricted to the flats of the
    faces (u_k in {<x_i, u> = 0, i in Z_k}), at the points u_k (floats)."""
    X = np.array(instance.X, dtype=float)
    n, lam = instance.n, float(instance.lam)
    blocks, curvature = [], []
    for (tau, s), u in zip(faces, points):
        zeros = [i for i in range(n) if tau[i] == "0" and X[i].any()]
        Q = np.linalg.svd(X[zeros])[2][np.linalg.matrix_rank(X[zeros]):].T if zeros else np.eye(instance.d)
        D = np.diag([1.0 if c == "+" else 0.0 for c in tau])
        blocks.append(s * D @ X @ Q)
        e = u / np.linalg.norm(u)
        curvature.append(Q.T @ (np.eye(instance.d) - np.outer(e, e)) @ Q * lam / np.linalg.norm(u))
    J = np.hstack(blocks)
    H = J.T @ J / n
    offset = 0
    for C in curvature:
        H[offset:offset + len(C), offset:offset + len(C)] += C
        offset += len(C)
    return H


def _hessians_agree(instance, width: int) -> list[str]:
    """Two independent computations: an entry the checker decides strict has a positive definite Hessian of G on its
    face at the certified point (the exact rank test on the ball implies it at r*); a shared signed face has a
    singular one (the valley direction). Points of a shared face are split equally among its copies. Returns the
    entries' strictness."""
    catalog = build_catalog(instance, width)
    assert catalog.certified
    records = [r for r in catalog.document["witnesses"]["settled"] if r[0] == "e"]
    minima = catalog.document["witnesses"]["minima"]
    for entry, record in zip(catalog.spurious, records):
        faces = [(part.split(":")[0], 1 if part.endswith("+") else -1) for part in entry["face"].split(" x ")]
        minimum = minima[record[1]]
        by_face = {}
        for k, item in enumerate(minimum["witnesses"]["interior"]):   # a face claim's region is aligned with it
            zeros = set(minimum["claim"]["region"][k]["zero_rows"]) if minimum["type"] == "face-local-minimum" else ()
            tau = "".join("0" if i in zeros else c for i, c in enumerate(item["pattern"]))
            by_face[(tau, item["sign"])] = np.array([float(Fraction(x)) for x in item["u"]])
        points = [by_face[face] / faces.count(face) for face in faces]
        smallest = np.linalg.eigvalsh(_face_hessian(instance, faces, points))[0]
        if entry["strict"] == STRICT:
            assert smallest > 1e-9
        elif entry["strict"] == NON_STRICT:
            assert abs(smallest) < 1e-7
    return [entry["strict"] for entry in catalog.spurious]


@settings(max_examples=6)
@given(tiny_instances())
def test_strict_entries_have_a_positive_definite_face_hessian(instance):
    _hessians_agree(instance, instance.width)


def test_planar_entries_against_the_face_hessian():
    """Five points in the plane (kinks included): width 1 has three strict entries, width 2 strict and non-strict
    ones, and the Hessians agree with every decision."""
    planar = Instance.load(Path(__file__).parent.parent / "data" / "examples" / "planar.json")
    assert _hessians_agree(planar, 1) == [STRICT] * 3
    two = _hessians_agree(planar, 2)
    assert STRICT in two and NON_STRICT in two


@pytest.mark.parametrize("name,decided", [("catalog-strict-claimed-on-a-shared-face", "non-strict"),
                                          ("catalog-strict-claimed-width-2-ball-too-wide", "not decided")])
def test_a_stated_strictness_is_checked(name, decided):
    """The corpus certificates stating "strict" where the checker decides otherwise are refuted for that typed reason;
    without the statement, the same certificates prove the checker's own decision."""
    import copy
    import json

    document = json.loads((Path(__file__).parent / "certificates" / "incorrect" / f"{name}.json").read_text())
    verdict = checker.check(document)
    assert not verdict.proved and verdict.reasons == [checker.Reason.STRICTNESS]
    silent = copy.deepcopy(document)
    for entry in silent["witnesses"]["minima"]:
        entry.pop("strict", None)
    facts = checker.check(silent).facts
    assert decided in {entry["strict"] for entry in facts["spurious"]}


@pytest.mark.parametrize("name", ["catalog-strict-width-1-interior-wide-ball", "catalog-strict-width-1-face-wide-ball"])
def test_width_1_entries_are_strict_on_any_ball(name):
    """At width 1, M(r) is one column ending in 1, so the stated "strict" holds whatever the ball (these certificates'
    balls are too wide for the rank test, which is not needed)."""
    import json

    document = json.loads((Path(__file__).parent / "certificates" / "correct" / f"{name}.json").read_text())
    facts = checker.check(document).facts
    assert {entry["strict"] for entry in facts["spurious"]} == {STRICT}
    r_star = [Fraction(1), Fraction(1, 4)]
    assert decide_strictness(ONE_D, [("-+", 1)], r_star, Fraction(10**6)).verdict == STRICT
    assert decide_strictness(ONE_D, [("-+", 1)], r_star, None).verdict == STRICT
