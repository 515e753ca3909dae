"""Strictness of a certified local minimum in the relative interior of a product face (docs §8).

Setting: F = (F_1, s_1) x ... x (F_m, s_m), F_k the face of sign vector tau_k (zero rows Z_k), and a certificate that
every minimizer u* of C_F in relint F is a local minimum of L, with the duality-gap enclosure ||r* - r0||^2 <= rho2
of the unique optimal residual r*. theta* (the lift of u*) is **strict** when L(theta') > L(theta*) for every
theta' != theta* near it (proofs/lemma_strictness.py):

- non-strict if two neurons share a signed face (tau, s): both are t_k e with one unit vector e, and moving mass
  between them keeps prediction and penalty (a valley);
- non-strict if the columns of M(r) (below) lie in a space of dimension < m for every r: a kernel vector of M(r*)
  moves the t_k without changing prediction or penalty;
- strict if (i) the signed faces are distinct and (ii) C_F has one minimizer near u*. Every u' near u* lies in the
  closure of a region R' around F, where G is convex and minimized by u*; so G(u') = G(u*) makes u' a minimizer of
  R''s program: it shares u*'s prediction, hence its penalty, and lambda sum_k ||u_k|| is constant on the segment
  from u* to u', which forces equality in every triangle inequality: u'_k = c_k u*_k (c_k > 0), so u' lies in F (no
  neuron leaves its kinks) and minimizes C_F. There, lambda u_k/||u_k|| = p_k(r*) = P_k h_k(r*), so
  u_k = t_k e_k with e_k = p_k(r*)/lambda, and all minimizers share the prediction and sum_k t_k; so the t_k are unique
  when the (n+1) x m matrix M(r) with columns [s_k D_k X e_k(r) ; 1] has full column rank at r*. M is affine in r:
  with K = (M0^T M0)^-1 M0^T (M0 = M(r0)), K M(r) = I + sum_i (r - r0)_i B_i, invertible whenever
  rho2 * sum_i ||B_i||_F^2 < 1 (Cauchy-Schwarz, and the Frobenius norm bounds the operator norm); for m = 1 the one
  column ends in 1, so it has full rank for every r and no ball is needed. The kink multipliers play no part: the
  entry's own certificate proved u* a local minimum;
- otherwise not decided, with a typed reason.

All of it is exact rational arithmetic, polynomial in n, d and m.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from ..lattice import rank
from .core import dot, matrix_inverse
from .face import stationarity_rows

__all__ = ["STRICT", "NON_STRICT", "NOT_DECIDED", "Why", "Strictness", "decide_strictness"]

STRICT, NON_STRICT, NOT_DECIDED = "strict", "non-strict", "not decided"


class Why(str, Enum):
    """Why an entry is non-strict, or why its strictness is not decided (typed: callers branch on it)."""

    SHARED_FACE = "shared-signed-face"                       # non-strict: two neurons on one signed face
    DEPENDENT_COLUMNS = "dependent-columns"                  # non-strict: rank M(r) < m for every r
    NO_ENCLOSURE = "no-enclosure"                            # not decided: no dual bound, so no ball around r*
    RANK_AT_CENTRE = "rank-deficient-at-r0"                  # not decided: M(r0) has dependent columns
    RANK_ON_BALL = "rank-not-certified-on-ball"              # not decided: (ii) fails on the ball


@dataclass(frozen=True)
class Strictness:
    """The decision (`STRICT`, `NON_STRICT` or `NOT_DECIDED`) and, unless strict, why."""

    verdict: str
    why: Why | None = None

    def facts(self) -> dict:
        return {"strict": self.verdict, **({"strict_reason": self.why.value} if self.why else {})}


def decide_strictness(instance, faces: list[tuple[str, int]], r0, rho2: Fraction | None) -> Strictness:
    """Strictness of a certified local minimum in relint F, F given by its m signed faces (tau_k, s_k) (repeats
    allowed), r* in the ball ||r* - r0||^2 <= rho2 (None: no enclosure)."""
    if len(set(faces)) < len(faces):
        return Strictness(NON_STRICT, Why.SHARED_FACE)
    m, n = len(faces), instance.n
    if m == 1:           # M(r) is one column ending in 1: never zero, so full column rank for every r
        return Strictness(STRICT)
    lam = instance.lam
    blocks = []          # N_k (n x n): the top of column k of M(r) is N_k r = (s_k/lambda) D_k X p_k(r)
    for tau, s in faces:
        A = stationarity_rows(instance, tau, s)
        blocks.append([[Fraction(s) / lam * dot(x, [row[l] for row in A]) if tau[i] == "+" else Fraction(0)
                        for l in range(n)] for i, x in enumerate(instance.X)])
    if 1 + rank([[N[i][l] for i in range(n)] for N in blocks for l in range(n)]) < m:
        return Strictness(NON_STRICT, Why.DEPENDENT_COLUMNS)
    if rho2 is None:
        return Strictness(NOT_DECIDED, Why.NO_ENCLOSURE)
    columns = [[dot(row, r0) for row in N] + [Fraction(1)] for N in blocks]          # M(r0), column by column
    if rank(columns) < m:
        return Strictness(NOT_DECIDED, Why.RANK_AT_CENTRE)
    gram_inverse = matrix_inverse([[dot(a, b) for b in columns] for a in columns])
    K = [[sum(gram_inverse[a][b] * columns[b][i] for b in range(m)) for i in range(n)] for a in range(m)]
    # sum_l ||B_l||_F^2 with (B_l)_{a,k} = sum_i K[a][i] N_k[i][l] (the last row of M is constant)
    total = sum(sum(sum(K[a][i] * N[i][l] for i in range(n)) ** 2 for l in range(n)) for a in range(m) for N in blocks)
    if rho2 * total >= 1:
        return Strictness(NOT_DECIDED, Why.RANK_ON_BALL)
    return Strictness(STRICT)

