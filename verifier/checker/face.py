"""Claim `face-local-minimum`: a local minimum with neurons on kinks, proved on the duality-gap enclosure of the
face program's residual (docs §5)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, islice

from ..errors import CertificateMalformed
from ..lattice import rank
from .core import (Certificate, Reason, Refuted, cone_excess, dot, dual_value, exact_text, flag, fraction, get,
                   integer, listof, matrix_inverse, obj, pattern_name, primal_value, residual, row_index, sigma,
                   vector)

__all__ = ["check_face_minimum", "kink_multiplier_rows", "kink_multiplier_margins", "kink_multiplier_failure",
           "kink_bases", "positive_on_ball", "stationarity_rows", "sign_row", "excluded_by_sign",
           "enclosure_radius2", "Face", "read_face", "prove_face_minimum", "prove_stationary", "MAX_KINK_SUBSETS"]

MAX_KINK_SUBSETS = 256      # subsets of a neuron's dependent kink rows examined for bases (fewer bases: less proved)


def enclosure_radius2(n: int, upper: Fraction, lower: Fraction) -> Fraction:
    """rho^2 = 2n(U - B): the unique optimal residual r* of a program with a point of value <= U and a dual bound
    B satisfies ||r* - r0||^2 <= rho^2 for the residual r0 of that point (proofs/lemma_unique_predictions.py)."""
    return 2 * n * (upper - lower)


@dataclass
class Face:
    """A face program C_F read from a certificate and its duality-gap enclosure: neuron k in the closed chamber
    sigma_k (sign s_k) with <x_i, u_k> = 0 for i in Z_k; a point u0 of cl F with G(u0) <= U; a face dual bound
    B <= C_F; the unique optimal residual r* of C_F lies in ||r* - r0||^2 <= rho2 = 2n(U - B), r0 = y - f(u0)."""

    region: list[tuple[str, int, list[int]]]
    width: int
    upper: Fraction
    lower: Fraction
    points: list
    r0: list[Fraction]
    rho2: Fraction

    def names(self) -> list[str]:
        return [pattern_name(label, s, zeros) for label, s, zeros in self.region]


def read_face(cert: Certificate, *, exact_kinks: bool, zero_neurons: bool = False,
              dependent_kinks: bool = False) -> Face:
    """Read and verify the face part of a `face-local-minimum` or `saddle` claim (see `check_face_minimum`).

    exact_kinks: u0 in the relative interior of F, and for every k and non-zero row i off Z_k a dual bound > U of
    "C_F with <x_i, u_k> = 0" (so every minimizer u* keeps exactly Z_k active and u*_k != 0); otherwise u0 need only
    lie in cl F. zero_neurons: the width may exceed the number of faces (the rest are zero neurons).
    dependent_kinks: with exact_kinks, the rows of Z_k may be linearly dependent (the caller proves the multipliers
    on a basis of them, `kink_multiplier_failure`); otherwise they must be independent."""
    instance, claim, witnesses = cert.instance, cert.claim, cert.witnesses
    entries = listof(get(claim, "region", "claim"), "claim.region")
    width = cert.width()
    upper = fraction(get(claim, "upper", "claim"), "claim.upper")
    lower = fraction(get(claim, "lower", "claim"), "claim.lower")
    region = []
    for k, entry in enumerate(entries):
        label, s = cert.signed(entry, f"claim.region[{k}]")
        where = f"claim.region[{k}].zero_rows"
        zeros = sorted({row_index(cert, i, f"{where}[{t}]")
                        for t, i in enumerate(listof(get(entry, "zero_rows", f"claim.region[{k}]"), where))})
        region.append((label, s, zeros))
    if len(region) > width or (len(region) < width and not zero_neurons) \
            or len({(label, s) for label, s, _ in region}) != len(region):
        raise Refuted(Reason.WIDTH, f"the face must place {'at most ' if zero_neurons else ''}{width} neurons in "
                                    "distinct signed chambers")
    if exact_kinks and not dependent_kinks and any(rank([instance.X[i] for i in zeros]) != len(zeros)
                                                   for _, _, zeros in region):
        raise Refuted(Reason.OTHER, "the rows a neuron sits on must be linearly independent")
    if exact_kinks and any(all(i in zeros or not any(x) for i, x in enumerate(instance.X)) for _, _, zeros in region):
        raise Refuted(Reason.OTHER, "a neuron on every hyperplane could be zero: no facet program excludes it")
    points = cert.neurons(listof(get(witnesses, "interior", "witnesses"), "witnesses.interior", len(region)),
                          "witnesses.interior")
    for k, ((label, s, zeros), (sign_, u, _)) in enumerate(zip(region, points)):
        if sign_ != s:
            raise Refuted(Reason.INTERIOR, f"neuron {k}: its sign does not match its pattern's")
        for i, (si, x) in enumerate(zip(sigma(label), instance.X)):
            value = dot(x, u)
            outside = si * value <= 0 if exact_kinks else si * value < 0
            if (i in zeros and value != 0) or (i not in zeros and si and outside):
                raise Refuted(Reason.INTERIOR, f"neuron {k}: u0 is not in the "
                                               f"{'relative interior' if exact_kinks else 'closure'} of its face (row {i})")
    if primal_value(instance, points) > upper:
        raise Refuted(Reason.PRIMAL, "the face point's loss bound exceeds U")
    if exact_kinks:
        _check_facets(cert, region, upper)
    face_lower = obj(get(witnesses, "face_lower", "witnesses"), "witnesses.face_lower")
    r = vector(get(face_lower, "r", "witnesses.face_lower"), instance.n, "witnesses.face_lower.r")
    _face_dual(cert, region, face_lower, r, "witnesses.face_lower", None)
    if dual_value(instance, r) < lower or lower > upper:
        raise Refuted(Reason.DUAL, "the face's dual bound is below the claimed lower bound")
    r0 = residual(instance, [(s, u) for s, u, _ in points])
    return Face(region, width, upper, lower, points, r0, enclosure_radius2(instance.n, upper, lower))


def _check_facets(cert: Certificate, region, upper: Fraction) -> None:
    """For every neuron k and non-zero row i off Z_k, a dual bound > U of "C_F with <x_i, u_k> = 0"."""
    instance = cert.instance
    width = len(region)
    needed = {(k, i) for k, (_, _, zeros) in enumerate(region) for i, x in enumerate(instance.X)
              if any(x) and i not in zeros}
    for t, facet in enumerate(listof(get(cert.witnesses, "facets", "witnesses"), "witnesses.facets")):
        where = f"witnesses.facets[{t}]"
        k = integer(get(facet, "neuron", where), f"{where}.neuron")
        i = row_index(cert, get(facet, "row", where), f"{where}.row")
        if not 0 <= k < width:
            raise CertificateMalformed(f"{where}.neuron: expected 0 <= k < {width}")
        r = vector(get(facet, "r", where), instance.n, f"{where}.r")
        if dual_value(instance, r) <= upper:
            raise Refuted(Reason.FACET, f"{where}: the facet bound does not exceed U")
        _face_dual(cert, region, facet, r, where, (k, i))
        needed.discard((k, i))
    if needed:
        k, i = min(needed)
        raise Refuted(Reason.FACET, f"no facet certificate for neuron {k} on row {i}")


def check_face_minimum(cert: Certificate) -> dict:
    """Face F: neuron k in the closed chamber sigma_k with sign s_k and <x_i, u_k> = 0 for i in Z_k. Given: a point
    u0 of F with sigma_i <x_i, u0_k> > 0 off Z_k and loss bound G(u0) <= U;
    for every k and non-zero row i off Z_k a dual bound > U of "C(F) with <x_i, u_k> = 0"; a dual bound B of
    C(F). Then every minimizer u* of C(F) keeps exactly Z_k active and u*_k != 0, so by its KKT conditions
    lambda u*_k/||u*_k|| = P h_k(r*) (P projects off span{x_i : i in Z_k}, h_k(r) = (s_k/n) X^T D_sigma_k r), with
    the unique residual r* enclosed by ||r* - r0|| <= rho, rho^2 = 2n (U - B) (gap inequality). For every chamber
    sigma around u*_k (from a complete chamber table) the docs §5 multipliers are c(r*) = -(s_k/n) delta r*_Z -
    (X_Z X_Z^T)^-1 X_Z h_k(r*), linear in r*; sigma_i c_i(r0) >= ||grad c_i|| rho for each i proves them >= 0 on the
    whole ball, so the lift of u* is a local minimum of L with value in [B, U]. When the rows of Z_k are linearly
    dependent the multipliers are not unique: for each chamber, some basis B of them (`kink_bases`) whose
    multipliers (zero off B) are proved >= 0 on the ball will do. spurious: B above a width-m network's loss
    bound."""
    return prove_face_minimum(cert)[0]


def prove_face_minimum(cert: Certificate) -> tuple[dict, Face]:
    """`check_face_minimum` and the face it proved (its enclosure is what an endpoint claim builds on)."""
    face = prove_stationary(cert, zero_neurons=False, dependent_kinks=True)
    facts = {"region": face.names(), "width": face.width, "value": [str(face.lower), str(face.upper)]}
    if flag(cert.claim, "spurious", "claim"):
        facts["width_upper"] = exact_text(cert.better_network(face.lower, face.width))
        facts["spurious"] = True
    return facts, face


def prove_stationary(cert: Certificate, *, zero_neurons: bool, dependent_kinks: bool = False) -> Face:
    """The face with exact kinks (`read_face`) and, around every chamber of a complete chamber table, every kink
    multiplier of every non-zero neuron >= 0 on the whole enclosure: the docs §5 condition of every non-zero
    neuron of theta_F, i.e. no first-order descent (zero neurons, allowed with `zero_neurons`, have none:
    proofs/lemma_saddle.py (e)). Without zero neurons this is a local minimum (`face-local-minimum`). With
    `dependent_kinks` a neuron's kink rows may be linearly dependent: a chamber is accepted when one basis of them
    has every multiplier proved >= 0 (proofs/lemma_face_certificate.py)."""
    face = read_face(cert, exact_kinks=True, zero_neurons=zero_neurons, dependent_kinks=dependent_kinks)
    cert.chambers.require_complete()
    for k, (label, s, zeros) in enumerate(face.region):
        if zeros:
            _check_kink_multipliers(cert, k, sigma(label), s, zeros, face.r0, face.rho2)
    return face


def _face_dual(cert: Certificate, region, entry: dict, r, where: str, constrained) -> None:
    """r is dual-feasible for the face program (free multipliers on each neuron's zero rows, and on the extra
    row of a facet program)."""
    instance = cert.instance
    items = listof(get(entry, "patterns", where), f"{where}.patterns", len(region))
    for k, ((label, s, zeros), item) in enumerate(zip(region, items)):
        mu = vector(get(item, "mu", where), instance.n, f"{where}.patterns[{k}].mu")
        nu = vector(get(item, "nu", where), instance.n, f"{where}.patterns[{k}].nu")
        allowed = set(zeros) | ({constrained[1]} if constrained and constrained[0] == k else set())
        if any(v and i not in allowed for i, v in enumerate(nu)):
            raise Refuted(Reason.DUAL, f"{where}.patterns[{k}]: a free multiplier on a row that is not an equality")
        if any(m < 0 for m in mu) or cone_excess(instance, sigma(label), s, r, mu, nu) > 0:
            raise Refuted(Reason.DUAL, f"{where}.patterns[{k}]: the cone inequality fails")


def kink_multiplier_rows(instance, sigma_k, s: int, zeros, sigma_, basis=None) -> list[list[Fraction]]:
    """For neuron u*_k on the kinks Z of chamber sigma_k and a chamber sigma around it: the rows g_t with
    c_t(r) = <g_t, r>, the docs §5 multiplier of row B[t] as a linear function of the residual r, for a basis B of
    the rows of Z (default: Z itself, whose rows must then be independent) and multipliers zero off B:
    c(r) = G^-1 X_B (-h_k(r)) - (s/n) sum_{z in Z} delta_z r_z alpha_z, where G = X_B X_B^T, alpha_z = G^-1 X_B x_z
    (the coordinates of x_z on B; e_t for z = B[t]) and delta = [sigma = +] - [sigma_k = +] on Z."""
    n, X = instance.n, instance.X
    basis = list(zeros) if basis is None else list(basis)
    if not basis:
        return []
    inverse = matrix_inverse([[dot(X[a], X[b]) for b in basis] for a in basis])

    def coordinates(x):
        return [sum(inverse[t][q] * dot(X[basis[q]], x) for q in range(len(basis))) for t in range(len(basis))]

    rows = [[Fraction(0)] * n for _ in basis]
    for i in range(n):
        if sigma_k[i] > 0:
            for t, value in enumerate(coordinates(X[i])):
                rows[t][i] = -Fraction(s, n) * value
    for z in zeros:
        delta = (sigma_[z] > 0) - (sigma_k[z] > 0)
        if delta:
            alpha = [Fraction(int(b == z)) for b in basis] if z in basis else coordinates(X[z])
            for t, a in enumerate(alpha):
                rows[t][z] -= Fraction(s * delta, n) * a
    return rows


def kink_bases(instance, zeros) -> list[list[int]]:
    """The bases of span{x_i : i in Z} made of rows of Z, in lexicographic order: [Z] when its rows are independent,
    else those among the first `MAX_KINK_SUBSETS` subsets of rank-many rows (bounded by the data, not by a claim)."""
    zeros = list(zeros)
    k = rank([instance.X[i] for i in zeros])
    if k == len(zeros):
        return [zeros]
    return [list(B) for B in islice(combinations(zeros, k), MAX_KINK_SUBSETS)
            if rank([instance.X[i] for i in B]) == k]


def _zero_basis(instance, tau: str) -> list[int]:
    """A maximal independent set of the non-zero rows with tau_i = 0."""
    basis: list[int] = []
    for i, x in enumerate(instance.X):
        if tau[i] == "0" and any(x) and rank([instance.X[k] for k in basis + [i]]) > len(basis):
            basis.append(i)
    return basis


def stationarity_rows(instance, tau: str, s: int) -> list[list[Fraction]]:
    """The d x n matrix A with p(r) = A r = P_Z (s/n) X^T D_tau r (P_Z: orthogonal projection onto the flat of
    tau; D_tau: rows with tau_i = +). At a local minimum in relint F with neuron u_j in F_tau,
    lambda u_j / ||u_j|| = p(r*) (proofs/lemma_catalog.py), returned as its d rows."""
    X, n, d = instance.X, instance.n, instance.d
    basis = _zero_basis(instance, tau)
    gram_inverse = matrix_inverse([[dot(X[a], X[b]) for b in basis] for a in basis])
    columns = []
    for k in range(n):
        if tau[k] != "+":
            columns.append([Fraction(0)] * d)
            continue
        coefficients = [sum(gram_inverse[t][q] * dot(X[basis[q]], X[k]) for q in range(len(basis)))
                        for t in range(len(basis))]
        projected = [X[k][c] - sum(a * X[b][c] for a, b in zip(coefficients, basis)) for c in range(d)]
        columns.append([Fraction(s, n) * v for v in projected])
    return [[columns[k][c] for k in range(n)] for c in range(d)]


def sign_row(A, tau: str, x, i: int) -> tuple[list[Fraction], Fraction]:
    """g with tau_i <x_i, p(r)> = <g, r> (A = stationarity_rows), and ||g||^2."""
    g = [(1 if tau[i] == "+" else -1) * sum(x[c] * A[c][k] for c in range(len(x))) for k in range(len(A[0]))]
    return g, dot(g, g)


def excluded_by_sign(row: tuple[list[Fraction], Fraction], r0, rho2) -> bool:
    """tau_i <x_i, p(r)> = <g, r> <= 0 for every r with ||r - r0||^2 <= rho2 (row = sign_row(...)), so p(r*) is not
    in F_tau: the maximum over the ball of a linear function is its value at r0 plus rho ||g||."""
    g, gg = row
    return positive_on_ball(-dot(g, r0), rho2 * gg)


def kink_multiplier_margins(instance, labels, sigma_k, s: int, zeros, r0, rho2, basis=None):
    """For every chamber sigma around u*_k (a listed label agreeing with sigma_k off the kink rows Z) and row z of the
    basis B of Z (default Z, independent rows): (label, z, value, reach) with value = sigma_z c_z(r0) and
    reach = ||grad(sigma_z c_z)||^2 rho2. On the ball ||r - r0||^2 <= rho2 the multiplier ranges over
    value +- sqrt(reach) (proofs/lemma_face_certificate.py)."""
    n = instance.n
    basis = list(zeros) if basis is None else list(basis)
    for label in labels:
        sg = sigma(label)
        if any(sg[i] != sigma_k[i] for i in range(n) if i not in zeros):
            continue
        for z, row in zip(basis, kink_multiplier_rows(instance, sigma_k, s, zeros, sg, basis)):
            yield label, z, sg[z] * dot(row, r0), dot(row, row) * rho2


def positive_on_ball(value: Fraction, reach: Fraction) -> bool:
    """value - sqrt(reach) >= 0, decided by squares."""
    return value >= 0 and value * value >= reach


def kink_multiplier_failure(instance, labels, sigma_k, s: int, zeros, r0, rho2) -> tuple[str, int] | None:
    """The first chamber around u*_k for which no basis of the kink rows (`kink_bases`) has every multiplier proved
    >= 0 on the ball, with the first failing row of its first basis; None if every chamber has one. (Any mu >= 0
    with the docs §5 equation will do, so a basis per chamber suffices; with independent rows there is one.)"""
    bases = kink_bases(instance, zeros)
    around = [label for label in labels
              if all(a == b for i, (a, b) in enumerate(zip(sigma(label), sigma_k)) if i not in zeros)]
    for label in around:
        first = None
        for basis in bases:
            failing = next((z for _, z, value, reach in kink_multiplier_margins(instance, [label], sigma_k, s, zeros,
                                                                                 r0, rho2, basis)
                            if not positive_on_ball(value, reach)), None)
            if failing is None:
                break
            first = failing if first is None else first
        else:
            return label, first if first is not None else zeros[0]
    return None


def _check_kink_multipliers(cert: Certificate, k: int, sigma_k, s: int, zeros, r0, rho2) -> None:
    """For every chamber sigma around u*_k: sigma_i c_i(r) >= 0 on the ball ||r - r0||^2 <= rho2 (see above)."""
    failure = kink_multiplier_failure(cert.instance, cert.chambers.labels, sigma_k, s, zeros, r0, rho2)
    if failure:
        label, z = failure
        raise Refuted(Reason.MULTIPLIER, f"neuron {k}, chamber {label}: the multiplier of row {z} is not "
                                         "provably >= 0")
