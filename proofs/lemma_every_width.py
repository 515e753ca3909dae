"""Lemmas (local minima are classified by their residual; the landscape at every width). Symbols of docs §1-5, §8.

Write a balanced network as neurons (u_j, s_j), r = y - sum_j s_j (X u_j)_+; a non-zero neuron's direction is
e_j = u_j / ||u_j|| and its signed face (F_j, s_j), F_j = F_tau with zero rows Z_j and D_F = diag(tau_i = +).

Lemma 12.1 (what decides local minimality). For a signed face (F, s), a residual r and any chamber sigma around F,
D_sigma and D_F differ only on Z, and P_Z (the orthogonal projection onto the flat Y_Z of F) kills x_i for i in Z, so
P_Z (s/n) X^T D_sigma r = P_Z (s/n) X^T D_F r =: A_F r for every sigma around F. The docs §5 condition at a unit
e in F, lambda e = (s/n) X^T D_sigma r + sum_{i in Z} c_i x_i (c_i = mu_i sigma_i - (s/n) r_i [sigma_i = +]),
projected by P_Z (P_Z e = e), gives lambda e = A_F r. So:
  - at most one direction of F meets it: e = A_F r / lambda, and only when ||A_F r|| = lambda EXACTLY and A_F r lies
    in F (relatively open) and, for every chamber sigma around F, some mu >= 0 on Z solves the condition (unique
    when the x_i, i in Z, are independent; an LP when they are not). [the first wording of this statement says "the normalised
    projection ... when it lies in F and the multipliers are >= 0": the projection is not normalised, its norm must
    be lambda, a condition on r; "admissible at r" below includes it.] A multiplier equal to 0 is allowed (>= 0):
    such a kink is still a local minimum (lemma_strictness.py checks one by brute force), and everything below
    holds for it.
  - the condition depends on (r, s, e) only, never on ||u||; a balanced network with every neuron non-zero is a local
    minimum iff every neuron meets it at its r (docs §5), and then L = (1/n)(r^T y - ||r||^2/2) (lemma_zero_gap).
  - the unit contribution p_F(r) = s D_F X e satisfies r^T p_F(r) = n lambda: lambda = <e, A_F r> = (s/n) r^T D_F X e.
Corollary (realisations of a residual). At r the local minima with all neurons non-zero are exactly the balanced
networks whose neurons lie in signed faces admissible at r, with those directions, and y - r = sum_j t_j p_j(r),
t_j = ||u_j|| > 0 (repeats allowed). Hence
  - split: u_j -> (c u_j, (1 - c) u_j), 0 < c < 1, keeps r, every direction and sum ||u|| (chamber or kink face):
    a local minimum of width m + 1 with the same loss, non-strict (a continuum of c);
  - merge: two neurons in one signed face have the same direction A_F r / lambda; adding them keeps r and the
    loss: a local minimum of width m - 1;
  - reduce: if sum_j alpha_j p_j = 0 with alpha != 0, then sum_j alpha_j = 0 (apply r^T: n lambda sum alpha_j = 0),
    so t + c alpha keeps y - r AND the penalty lambda sum t_j for every c; both signs of alpha have negative
    entries, so c can grow until a t_j reaches 0; dropping that neuron keeps a local minimum of smaller width with
    the same r and loss (and a local minimum with dependent contributions is not strict: the segment is a valley).
    So every local-minimum residual has a realisation in at most rank{p_j} <= n DISTINCT signed faces with
    INDEPENDENT contributions; k(r) denotes the smallest width of a realisation.
  - a minimal realisation (width k(r)) has distinct faces (else merge) and independent contributions (else reduce),
    so M(r*) = [p_j ; 1] has full column rank and the local minimum is strict (lemma_strictness.py, criterion (ii)
    with r* exact). At every width above k(r) the split realisation is a non-strict local minimum of the class.
  - a local minimum with a zero neuron is global (docs §5); the zero network is a local minimum iff y is
    dual-feasible, and then it is the class r = y with k = 0 (a statement over non-zero neurons leaves this case out of R).
Theorem 12.2 (every width). R (the local-minimum residuals, with the zero network's r = y when it is one) is finite:
each has a realisation as a local minimum in the relative interior of a product face of distinct signed faces, and
there its residual is the unique optimal residual of the face program (Lemma 8.1, unique predictions). At width m
the local-minimum values are {v(r) : k(r) <= m} (split up, merge and reduce down; a minimum with a zero neuron is
global, its non-zero part a realisation of width < m); L*_m is their minimum (a global minimizer of width m exists
and is one of them); the spurious values are those above L*_m. Every k(r) <= n, so L*_m = L*_n = C* and the sets are
constant for m >= n; one catalog over sets of at most n distinct signed faces decides every width. A value can be
global at width k and spurious at every larger width (the worked example's 11/64).

Used by: verifier.every_width (the catalog over distinct faces, bound n, classes and per-width sets), and
checker.catalog._existence (splitting a face certificate over repeated faces).
Checked below: the projection identity on random instances (hypothesis) against sympy; the norm condition on the
worked example; split and merge with the exact classifier (landscape.classify_network) on chamber and kink local
minima; reduce on random instances (exact: every kernel vector sums to 0, the moves keep y - r and the penalty, the
result is independent); minimal realisations strict; Theorem 12.2 on the worked example against the per-width
catalogs (build_catalog, checked by the checker) at widths 1-3.
"""

from fractions import Fraction

import sympy as sp
from hypothesis import given, strategies as st

from verifier.faces import enumerate_faces
from verifier.instance import Instance
from verifier.checker.face import stationarity_rows
from verifier.checker.catalog import below

HALF = Fraction(1, 2)
EXAMPLE = Instance.from_arrays([[-1], [1]], [1, HALF], Fraction(1, 8))


def _projection(X, zeros, d):
    """P_Z as a sympy matrix: I - B (B^T B)^-1 B^T with B's columns a basis of span{x_i : i in Z} (any rank)."""
    columns = sp.Matrix([[sp.Rational(X[i][c]) for i in zeros] for c in range(d)]).columnspace() if zeros else []
    if not columns:
        return sp.eye(d)
    B = sp.Matrix.hstack(*columns)
    return sp.eye(d) - B * (B.T * B).inv() * B.T


@st.composite
def _instances(draw):
    n, d = draw(st.integers(2, 4)), draw(st.integers(1, 3))
    X = [[draw(st.integers(-3, 3)) for _ in range(d)] for _ in range(n)]
    if not any(any(row) for row in X):
        X[0][0] = 1
    r = [Fraction(draw(st.integers(-9, 9)), draw(st.integers(1, 5))) for _ in range(n)]
    return X, r, draw(st.sampled_from((1, -1)))


@given(_instances())
def check_every_chamber_around_a_face_projects_to_one_vector(case):
    """P_Z (s/n) X^T D_sigma r is the same for every chamber sigma around F (kink faces, tied and dependent zero rows
    included), and equals stationarity_rows(F) r: the admissible direction of a face is unique."""
    X, r, s = case
    n, d = len(X), len(X[0])
    instance = Instance.from_arrays(X, [0] * n, 1)
    faces = enumerate_faces(X)
    chambers = [tau for tau in faces.labels if "0" not in tau or all(not any(x) for x, t in zip(X, tau) if t == "0")]
    rs = sp.Matrix([sp.Rational(q.numerator, q.denominator) for q in r])
    for tau in faces.labels:
        if set(tau) == {"0"}:
            continue
        zeros = [i for i, t in enumerate(tau) if t == "0" and any(X[i])]
        P = _projection(X, zeros, d)
        A = stationarity_rows(instance, tau, s)
        expected = [sum(a * q for a, q in zip(row, r)) for row in A]
        around = [sigma for sigma in chambers if below(tau, sigma)]
        assert around
        for sigma in around:
            h = sp.zeros(d, 1)
            for i, x in enumerate(X):
                if sigma[i] == "+":
                    h += sp.Rational(s, n) * rs[i] * sp.Matrix(x)
            projected = P * h
            assert list(projected) == [sp.Rational(e.numerator, e.denominator) for e in expected]


def check_the_norm_condition_is_on_r():
    """Worked example, face w > 0 ('-+'), s = +: A r = r_2 / 2, so the face is admissible only where r_2 / 2 = lambda
    (a condition on r, not a normalisation): r_2 = 1/4, the residual (1, 1/4) of the 19/64 minimum; at r = (1, 1/2)
    (the zero network) the projection has norm 1/4 != 1/8 and no direction of the face is admissible."""
    A = stationarity_rows(EXAMPLE, "-+", 1)
    assert A == [[0, HALF]]
    assert A[0][1] * Fraction(1, 4) == EXAMPLE.lam
    assert A[0][1] * HALF != EXAMPLE.lam


def _classify(neurons, width, instance=EXAMPLE):
    from verifier.landscape import Context, classify_network
    from verifier.network import Network

    a = [Fraction(x) for x, _ in neurons]
    W = [[Fraction(v) for v in w] for _, w in neurons]
    return classify_network(Context(instance, width), Network(tuple(a), tuple(tuple(w) for w in W)))


def _loss(neurons, instance=EXAMPLE):
    from verifier.network import Network

    return Network(tuple(Fraction(x) for x, _ in neurons), tuple(tuple(Fraction(v) for v in w) for _, w in neurons)).loss(instance)


def check_split_and_merge_keep_local_minima():
    """The worked example's spurious minimum (a, w) = (1/2, 1/2) (u = 1/4, 19/64) split into two and three copies on
    its chamber with rational balanced norms (1/4 = (3/10)^2 + (2/5)^2 = (5/26)^2 + (6/13)^2 = (1/6)^2 + 2 (1/3)^2):
    each is a local minimum of the classifier with loss 19/64, and merging gives back the width-1 minimum. The same on
    a kink with a zero multiplier: X = I_2, y = (3/2, 0), lambda = 1/4, u = (1, 0) on the kink of row 2."""
    from verifier.verdicts import Outcome

    minima = (Outcome.LOCAL_MINIMUM, Outcome.SPURIOUS_LOCAL_MINIMUM, Outcome.GLOBAL_MINIMUM)
    one = [(HALF, [HALF])]
    splits = [[(Fraction(3, 10), [Fraction(3, 10)]), (Fraction(2, 5), [Fraction(2, 5)])],
              [(Fraction(5, 26), [Fraction(5, 26)]), (Fraction(6, 13), [Fraction(6, 13)])],
              [(Fraction(1, 6), [Fraction(1, 6)]), (Fraction(1, 3), [Fraction(1, 3)]), (Fraction(1, 3), [Fraction(1, 3)])]]
    first = _classify(one, 1)
    assert first.certified and first.verdict == Outcome.SPURIOUS_LOCAL_MINIMUM and _loss(one) == Fraction(19, 64)
    for split in splits:
        result = _classify(split, len(split))
        assert result.certified and result.verdict in minima
        assert _loss(split) == Fraction(19, 64)
        merged = sum(a * w[0] for a, w in split)              # u = a w summed over the (parallel) copies
        assert merged == Fraction(1, 4)
    kink = Instance.from_arrays([[1, 0], [0, 1]], [Fraction(3, 2), 0], Fraction(1, 4))
    whole = [(1, [1, 0])]
    parts = [(Fraction(3, 5), [Fraction(3, 5), 0]), (Fraction(4, 5), [Fraction(4, 5), 0])]
    assert _classify(whole, 1, kink).verdict in minima and _classify(whole, 1, kink).certified
    assert _classify(parts, 2, kink).verdict in minima and _classify(parts, 2, kink).certified
    assert _loss(whole, kink) == _loss(parts, kink)
    not_parallel = [(Fraction(3, 10), [Fraction(3, 10)]), (Fraction(2, 5), [Fraction(-2, 5)])]   # another face
    assert _classify(not_parallel, 2).verdict not in minima or _loss(not_parallel) != Fraction(19, 64)


def check_reduce_identity():
    """r^T p_j = n lambda for every j makes every dependence sum to zero: r^T (sum_j alpha_j p_j) = n lambda sum_j
    alpha_j, so sum_j alpha_j p_j = 0 forces sum_j alpha_j = 0 (lambda > 0)."""
    n, lam = sp.symbols("n lambda", positive=True)
    alpha = sp.symbols("alpha1:4", real=True)
    r = sp.Matrix(sp.symbols("r1:4", real=True))
    P = [sp.Matrix(sp.symbols(f"p{j}_1:4", real=True)) for j in range(3)]
    combination = sum((a * p for a, p in zip(alpha, P)), sp.zeros(3, 1))
    assert sp.expand(r.dot(combination) - sum(a * r.dot(p) for a, p in zip(alpha, P))) == 0
    on_constraint = sum(a * n * lam for a in alpha)          # r^T p_j = n lambda substituted
    assert sp.factor(on_constraint) == n * lam * sum(alpha)
    t, c = sp.symbols("t1:4", positive=True), sp.symbols("c", real=True)
    moved = [tj + c * a for tj, a in zip(t, alpha)]
    assert sp.expand(lam * sum(moved) - lam * sum(t) - c * lam * sum(alpha)) == 0   # = 0 once sum alpha = 0


@st.composite
def _realisations(draw):
    """A residual r, lambda and k contributions p_j on the hyperplane r^T p = n lambda (possibly dependent), with
    coefficients t_j > 0: y = r + sum t_j p_j."""
    n = draw(st.integers(1, 4))
    r = [Fraction(draw(st.integers(-5, 5)), draw(st.integers(1, 3))) for _ in range(n)]
    if not any(r):
        r[0] = Fraction(1)
    lam = Fraction(draw(st.integers(1, 5)), draw(st.integers(1, 8)))
    k = draw(st.integers(1, n + 2))
    P = []
    for j in range(k):
        q = [Fraction(x) for x in draw(st.lists(st.integers(-4, 4), min_size=n, max_size=n))]
        if j >= 2 and draw(st.booleans()):             # an affine combination of two earlier ones: dependent
            b = Fraction(draw(st.integers(-3, 3)), 2)
            q = [b * x + (1 - b) * z for x, z in zip(P[0], P[1])]
        value = sum(a * b for a, b in zip(r, q))
        if not value:
            q, value = list(r), sum(a * a for a in r)
        P.append([x * n * lam / value for x in q])
    t = [Fraction(draw(st.integers(1, 9)), draw(st.integers(1, 4))) for _ in range(k)]
    return n, r, lam, P, t


@given(_realisations())
def check_reduce_keeps_residual_and_penalty(case):
    """Move t along kernel vectors of [p_1 .. p_k] until a coefficient reaches 0, drop it, repeat: every kernel vector
    sums to 0, y - r and lambda sum t_j never change, and the end is an independent family of at most rank <= n."""
    n, r, lam, P, t = case
    target = [sum(tj * p[i] for tj, p in zip(t, P)) for i in range(n)]
    penalty = lam * sum(t)
    while True:
        M = sp.Matrix([[sp.Rational(p[i].numerator, p[i].denominator) for p in P] for i in range(n)])
        kernel = M.nullspace()
        if not kernel:
            break
        alpha = [Fraction(int(sp.fraction(v)[0]), int(sp.fraction(v)[1])) for v in kernel[0]]
        assert sum(alpha) == 0
        if not any(a < 0 for a in alpha):
            alpha = [-a for a in alpha]
        c = min(tj / -a for tj, a in zip(t, alpha) if a < 0)
        t = [tj + c * a for tj, a in zip(t, alpha)]
        assert all(tj >= 0 for tj in t) and any(tj == 0 for tj in t)
        keep = [j for j, tj in enumerate(t) if tj > 0]
        P, t = [P[j] for j in keep], [t[j] for j in keep]
        assert [sum(tj * p[i] for tj, p in zip(t, P)) for i in range(n)] == target
        assert lam * sum(t) == penalty
    assert len(P) <= n and all(tj > 0 for tj in t)


def check_minimal_realisations_are_strict():
    """Independent p_j make M = [p_j ; 1] of full column rank (M v = 0 gives sum v_j p_j = 0), the strictness criterion
    (ii) of lemma_strictness with r* exact; decide_strictness agrees on the worked example's three minimal
    realisations: 11/64 on '+-' (r* = (1/4, 1/2)), 19/64 on '-+' (r* = (1, 1/4)) and 5/32 on both (r* = (1/4, 1/4))."""
    from verifier.checker.strictness import STRICT, decide_strictness

    p = sp.Matrix([[1, 0], [0, 1], [1, 1]])                 # two independent contributions, and the row of ones
    assert p.rank() == 2
    for faces, r in (([("+-", 1)], [Fraction(1, 4), HALF]), ([("-+", 1)], [Fraction(1), Fraction(1, 4)]),
                     ([("+-", 1), ("-+", 1)], [Fraction(1, 4), Fraction(1, 4)])):
        assert decide_strictness(EXAMPLE, faces, r, Fraction(0)).verdict == STRICT


def check_theorem_on_the_worked_example():
    """Classes of the worked example: 11/64 ('+-', k = 1), 19/64 ('-+', k = 1), 5/32 (both, k = 2); each value is
    the zero-gap value of its residual. Theorem 12.2 predicts L*_m = min{v : k <= m} and the spurious values at
    width m; the per-width catalogs (build_catalog, accepted by the checker) agree at m = 1, 2, 3."""
    from verifier.catalog import build_catalog
    from verifier.checker import dual_value

    classes = {Fraction(11, 64): (1, [Fraction(1, 4), HALF]), Fraction(19, 64): (1, [Fraction(1), Fraction(1, 4)]),
               Fraction(5, 32): (2, [Fraction(1, 4), Fraction(1, 4)])}
    for value, (_, r) in classes.items():
        assert dual_value(EXAMPLE, r) == value
    for m in (1, 2, 3):
        present = {v for v, (k, _) in classes.items() if k <= m}
        lstar = min(present)
        catalog = build_catalog(EXAMPLE, m)
        assert catalog.certified
        assert catalog.lstar[0] <= lstar <= catalog.lstar[1]
        found = {Fraction(e["value"][0]) for e in catalog.spurious}
        assert all(Fraction(e["value"][0]) == Fraction(e["value"][1]) for e in catalog.spurious)
        assert found == {v for v in present if v > lstar}


def check_a_coarser_ball_contains_the_ball():
    """checker.every_width.Ball: ||r - r0||^2 <= rho2 implies ||r - r0'||^2 <= 2 rho2 + 2 ||r0 - r0'||^2, since
    2||x||^2 + 2||y||^2 - ||x + y||^2 = ||x - y||^2 >= 0 (x = r - r0, y = r0 - r0'); so a test proved on the coarse
    ball around the rounded r0' holds on the ball. Exactly on the worked example's residual rounded to 2^-3."""
    from verifier.checker.exclusion import Ball

    x = sp.Matrix(sp.symbols("x1:4", real=True))
    y = sp.Matrix(sp.symbols("y1:4", real=True))
    assert sp.expand(2 * x.dot(x) + 2 * y.dot(y) - (x + y).dot(x + y) - (x - y).dot(x - y)) == 0
    ball = Ball((Fraction(1, 3), Fraction(-2, 7)), Fraction(1, 100))
    center, radius2 = ball.coarse
    assert all(c.denominator <= 2**48 for c in center)
    for k in range(-10, 11):
        r = (ball.r0[0] + Fraction(k, 100), ball.r0[1] + Fraction(10 - abs(k), 100) * (1 if k % 2 else -1))
        if sum((a - b) ** 2 for a, b in zip(r, ball.r0)) <= ball.rho2:
            assert sum((a - b) ** 2 for a, b in zip(r, center)) <= radius2


def check_a_source_covers_every_set_between_its_point_and_its_feasible_patterns():
    """checker.covered_regions (the compact region table). A source is a point whose neurons lie in the closed cones of
    the patterns P it uses, of value U, and a residual r with multipliers proving the docs §3 cone inequality on every
    pattern of F. For every S with P <= S <= F: the point is feasible for C(S) (a neuron of pattern p in S, the others
    of S at 0), so C(S) <= U; r meets the hypothesis of Lemma 3.2 (lemma_weak_duality.py) on every pattern of S, a
    subset of F, so C(S) >= B = (1/n)(r^T y - ||r||^2 / 2). Checked exactly: on the worked example, C(S) is computed
    from the per-set table (every set with its own solve, no inheritance) and every source of the compact table
    brackets every set it is accepted for."""
    from itertools import combinations

    from verifier.checker import check
    from verifier.checker.core import Certificate
    from verifier.checker.covered_regions import read_covered, signed_id
    from verifier.every_width import build_every_width
    from verifier.landscape import Context
    from verifier.region_table import solve_sets
    from verifier.parallel import Shared

    document = build_every_width(EXAMPLE).document
    facts = check(document).facts
    P = facts["chambers"]
    certificate = Certificate(EXAMPLE, document["claim"], document["witnesses"])
    table = read_covered(certificate, document["witnesses"]["regions"], P, EXAMPLE.n)
    context = Context(EXAMPLE, EXAMPLE.n)
    shared = Shared(("proof", EXAMPLE), lambda: context, local=context)
    sets = [ids for k in range(1, EXAMPLE.n + 1) for ids in combinations(range(2 * P), k)]
    for ids, lower, upper, _, _ in solve_sets(sets, shared, 40):
        view = table.get(frozenset((i // 2, -1 if i % 2 else 1) for i in ids))
        assert [signed_id(c, s) for c, s in sorted(view.key, key=lambda p: signed_id(*p))] == list(ids)
        assert view.lower <= upper and lower <= view.upper      # both bracket C(S): they meet
