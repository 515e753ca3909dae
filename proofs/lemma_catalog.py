"""Lemmas of the catalog (docs §8): Lemma 8.1 and the rules (a)-(d), and splitting along repeated signed faces.

Lemma 8.1. Let theta* be a local minimum of L whose balanced form u* (all neurons non-zero) lies in relint F,
F = (F_1, s_1) x ... x (F_m, s_m). On cl F, (x_i.u_j)_+ = [tau_i = +] x_i.u_j (a linear map), so
G(u) = (1/(2n)) ||sum_j s_j (X u_j)_+ - y||^2 + lambda sum_j ||u_j|| is convex on cl F; the lift u -> theta is
continuous where no neuron is zero and L(lift u) = G(u), so u* is a local, hence global, minimum of G on cl F:
G(u*) = C_F. The same holds on the closure of every region R around F (cl R contains F, and G is convex on cl R),
and min over cl R of G equals C(S(R)) (neurons sharing a signed chamber merge: predictions add on a closed cone and
||u1|| + ||u2|| >= ||u1 + u2||). So G(u*) = C(S(R)) for every R around F, and r* = y - f(u*) is the unique optimal
residual of every such region program (lemma_unique_predictions). A local minimum with a zero neuron is global
(lemma_zero_gap); a neuron in the face tau = 0 (the common null space) changes no prediction and only pays
lambda ||u||, so it can shrink: never part of a local minimum.

Rules (every quantity rational, every test an exact inequality; checker.catalog):
(a) a region R around F with U_R <= min_S B_S + epsilon: a local minimum in relint F has loss C(S(R)) <= U_R <=
    L*_m + epsilon (min_S B_S <= L*_m because the table lists every set of at most m signed chambers).
(b) regions R1, R2 around F with B_R1 > U_R2: C(S(R1)) > C(S(R2)) contradicts 8.1, so relint F holds none.
(c) with r* in the ball ||r* - r0||^2 <= rho^2 = 2n (U_R - B_R) of a region R around F: at a local minimum in relint
    F, the KKT conditions of R's program for neuron j in F_tau (zero rows Z) read
    -h_sigma(r*) + lambda u_j/||u_j|| = sum_{i in Z} mu_i sigma_i x_i,  h_sigma(r) = (s/n) X^T D_sigma r;
    projecting onto the flat Y_Z (P_Z x_i = 0 on Z, P_Z u_j = u_j) gives lambda u_j/||u_j|| = p(r*) := P_Z h_tau(r*),
    so ||p(r*)|| = lambda and tau_i <x_i, p(r*)> > 0 off Z. If tau_i <x_i, p(r)> <= 0 on the whole ball, or
    ||p(r)|| < lambda (or > lambda) on the whole ball, relint F holds no local minimum. On a ball a linear function
    ranges over <g, r0> +- rho ||g||, and ||A r|| over ||A r0|| +- rho ||A||_2 with ||A||_2 <= ||A||_F; the
    comparisons are decided by squaring (no square roots).
(d) the docs §5 multipliers of neuron j around its kink rows, for every chamber sigma around F_j, are
    mu_z = sigma_z c_z(r*), c(r) = -(X_Z X_Z^T)^-1 X_Z h_tau(r) - (s/n) [sigma_z = +] r_z (Z independent; the base
    tau has no + on Z, lemma_face_certificate with sigma_k = tau): a local minimum needs mu >= 0, so sigma_z c_z(r) < 0
    on the whole ball excludes relint F.
(g) a certificate (region or face, as for existence) of a local minimum in relint F with value U <= min_S B_S + epsilon:
    by 8.1 every local minimum in relint F has that value, so F holds no spurious one; it holds an epsilon-global one
    (the favourability count of checker.catalog._favourability: "e" faces hold a spurious minimum, "g" faces an
    epsilon-global one, "b"-"d" faces none, "a" faces none or an epsilon-global one, "u" faces anything).
Splitting. The docs §5 conditions of a non-zero neuron depend on u_j only through u_j/||u_j|| and its zero rows, and
copies t u (t > 0) of one neuron give the prediction of their sum: a face certificate for the k distinct signed
faces of F is a local minimum at width m after splitting each neuron among its copies (checker.catalog._existence).

Used by: checker.catalog (check_catalog, excluded_by_sign, excluded_by_norm, excluded_by_multiplier, _existence).
"""

import itertools
from fractions import Fraction

import sympy as sp


def check_relu_is_linear_on_a_closed_face():
    """(x.u)_+ = [tau = +] x.u whenever sign(x.u) is tau or 0 (the closure of the face)."""
    t = sp.symbols("t", nonnegative=True)
    for tau, value in (("+", t), ("-", -t), ("0", sp.Integer(0))):
        assert sp.simplify(sp.Max(0, value) - (value if tau == "+" else 0)) == 0
    zero = sp.Integer(0)                            # the closure of '-' contains 0, where both pieces agree
    assert sp.Max(0, zero) == 0


def check_merging_neurons_in_one_closed_cone():
    """Predictions add on a closed cone and the norm is subadditive: splitting never lowers G, so the minimum of G over
    cl R with m neurons is C(S(R)), and splitting u among k copies keeps prediction and sum of norms."""
    x = sp.Matrix([1, 2])
    u1, u2 = sp.Matrix([3, 1]), sp.Matrix([1, 4])        # x.u1 > 0 and x.u2 > 0: one closed chamber
    assert (x.T * u1)[0] > 0 and (x.T * u2)[0] > 0
    assert (x.T * (u1 + u2))[0] == (x.T * u1)[0] + (x.T * u2)[0]
    assert sp.sqrt(u1.dot(u1)) + sp.sqrt(u2.dot(u2)) >= sp.sqrt((u1 + u2).dot(u1 + u2))
    t = sp.symbols("t", positive=True)
    u = sp.Matrix(sp.symbols("a b", real=True))
    assert sp.simplify(sp.sqrt((t * u).dot(t * u)) - t * sp.sqrt(u.dot(u))) == 0      # direction unchanged by t > 0


def check_worked_example_values():
    """x = (-1, 1), y = (1, 1/2), lambda = 1/8: the region programs in closed form give 11/64 (w < 0, a > 0) and 19/64
    (w > 0, a > 0) at width 1, and L*_2 = 5/32 (one neuron on each side): docs §8's numbers."""
    lam, u = sp.Rational(1, 8), sp.symbols("u", nonnegative=True)
    y1, y2 = 1, sp.Rational(1, 2)

    def minimum(expression):
        critical = sp.solve(sp.diff(expression, u), u)
        return min([expression.subs(u, c) for c in critical if c >= 0] + [expression.subs(u, 0)])

    left = minimum(((u - y1) ** 2 + y2**2) / 4 + lam * u)
    right = minimum((y1**2 + (u - y2) ** 2) / 4 + lam * u)
    assert (left, right) == (sp.Rational(11, 64), sp.Rational(19, 64))
    v = sp.symbols("v", nonnegative=True)
    both = ((u - y1) ** 2 + (v - y2) ** 2) / 4 + lam * (u + v)
    point = sp.solve([sp.diff(both, u), sp.diff(both, v)], [u, v])
    assert both.subs(point) == sp.Rational(5, 32) < sp.Rational(11, 64) < sp.Rational(19, 64)


def check_projection_removes_the_kink_multipliers():
    """(c): if u lies in the flat of Z and lambda u/||u|| - h = X_Z^T nu, then P_Z h = lambda u/||u||."""
    X = sp.Matrix([[1, 2, 0], [0, 1, -1], [2, -1, 1]])
    XZ = X[0:1, :]
    P = sp.eye(3) - XZ.T * (XZ * XZ.T).inv() * XZ
    a, b, nu, lam = sp.symbols("a b nu lambda", real=True)
    direction = sp.Matrix([-2 * a, a, b])                    # every point of the flat x_0.w = 0
    assert (XZ * direction)[0] == 0
    e = direction / sp.sqrt(direction.dot(direction))
    h = lam * e - XZ.T * sp.Matrix([nu])
    assert sp.simplify(P * h - lam * e) == sp.zeros(3, 1)


def check_linear_function_on_a_ball():
    """max over ||r - r0|| <= rho of <g, r> is <g, r0> + rho ||g|| (Cauchy-Schwarz, attained at r0 + rho g/||g||)."""
    g = sp.Matrix(sp.symbols("g1:4", real=True))
    d = sp.Matrix(sp.symbols("d1:4", real=True))
    lagrange = g.dot(g) * d.dot(d) - g.dot(d) ** 2
    assert sp.expand(lagrange - sum((g[i] * d[j] - g[j] * d[i]) ** 2 for i in range(3) for j in range(i + 1, 3))) == 0
    rho = sp.symbols("rho", positive=True)
    top = rho * g / sp.sqrt(g.dot(g))
    assert sp.simplify(g.dot(top) - rho * sp.sqrt(g.dot(g))) == 0 and sp.simplify(top.dot(top) - rho**2) == 0


def check_square_root_free_decisions():
    """The exact tests of checker.catalog agree with sqrt arithmetic: sqrt(alpha) + sqrt(beta) < L and
    sqrt(alpha) - sqrt(beta) > L, and <g, r0> + sqrt(rho2 ||g||^2) <= 0, exhaustively on a grid of rationals."""
    from verifier.checker.catalog import excluded_by_norm, excluded_by_sign, sign_row

    grid = [Fraction(k, 4) for k in range(0, 9)]
    for a, rho2, lam in itertools.product(grid, [Fraction(0), Fraction(1, 16), Fraction(1, 4), Fraction(1)], grid[1:]):
        A, r0 = [[Fraction(1)]], [a]                       # ||A r0|| = a, ||A||_F = 1
        low = excluded_by_norm(A, lam, "norm-low", r0, rho2)
        high = excluded_by_norm(A, lam, "norm-high", r0, rho2)
        rho = sp.sqrt(sp.Rational(rho2.numerator, rho2.denominator))
        A_, L_ = sp.Rational(a.numerator, a.denominator), sp.Rational(lam.numerator, lam.denominator)
        assert low == bool(A_ + rho < L_) and high == bool(A_ - rho > L_)
    for value, rho2 in itertools.product([Fraction(k, 2) for k in range(-6, 7)], [Fraction(0), Fraction(1, 4), Fraction(2)]):
        A = [[Fraction(1), Fraction(0)]]                    # p(r) = r_0; x = (1): <x, p(r)> = r_0
        got = excluded_by_sign(sign_row(A, "+", [Fraction(1)], 0), [value, Fraction(0)], rho2)
        rho = sp.sqrt(sp.Rational(rho2.numerator, rho2.denominator))
        assert got == bool(sp.Rational(value.numerator, value.denominator) + rho <= 0)


def check_multipliers_with_the_face_as_base():
    """(d): -G^-1 X_Z h_sigma(r) = -G^-1 X_Z h_tau(r) - (s/n) [sigma_z = +] r_z for every sigma around F_tau."""
    X = sp.Matrix([[1, 2, 0], [0, 1, -1], [2, -1, 1], [1, 1, 1]])
    zeros, tau, s, n = [0, 1], [0, 0, 1, -1], -1, 4
    r = sp.Matrix(sp.symbols(f"r0:{n}", real=True))
    XZ = X.extract(zeros, [0, 1, 2])
    G = XZ * XZ.T

    def h(sigma):
        return sum((sp.Rational(s, n) * r[i] * X.row(i).T for i in range(n) if sigma[i] > 0), sp.zeros(3, 1))

    for signs in itertools.product([1, -1], repeat=2):
        sigma = list(tau)
        for z, sign in zip(zeros, signs):
            sigma[z] = sign
        direct = -G.inv() * XZ * h(sigma)
        based = -G.inv() * XZ * h(tau) - sp.Rational(s, n) * sp.Matrix([int(sigma[z] > 0) * r[z] for z in zeros])
        assert sp.simplify(direct - based) == sp.zeros(2, 1)


def check_face_count_against_brute_force():
    """Faces = sum over flats Y != {0} of the region counts of the restrictions (+1 for the null space when the
    rows do not span): every arrangement of at most 3 rows with entries in {-1, 0, 1} in R^2, against the sign
    vectors of the grid [-3, 3]^2 (each face meets it). Every flat other than {0} holds at least two faces, so
    bounding the lattices by the number of listed faces (max_flats) never refuses a true count."""
    from verifier.lattice import face_count, hyperplanes

    entries = (-1, 0, 1)
    rows = [r for r in itertools.product(entries, repeat=2)]
    for k in range(1, 4):
        for X in itertools.combinations(rows, k):
            found = set()
            for w in itertools.product(range(-3, 4), repeat=2):
                if any(w):
                    found.add(tuple((v > 0) - (v < 0) for v in (x[0] * w[0] + x[1] * w[1] for x in X)))
            normals = hyperplanes([[Fraction(v) for v in x] for x in X])[0]
            assert face_count(normals, 2) == len(found)
            assert face_count(normals, 2, max_flats=len(found)) == len(found)
