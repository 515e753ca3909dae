"""Exact linear algebra for the solver side, on python-flint's `fmpq_mat` (C, not Python Fractions).

The search finds witnesses with these kernels; the checker never uses them (it re-derives every claim with
its own plain-rational arithmetic). Values cross the boundary as `Fraction`s.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from flint import fmpq, fmpq_mat

__all__ = ["to_fmpq", "to_fraction", "column", "matrix", "pivot_columns", "least_squares", "null_basis"]


def to_fmpq(q) -> fmpq:
    q = Fraction(q)
    return fmpq(q.numerator, q.denominator)


def to_fraction(x: fmpq) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def matrix(rows: Sequence[Sequence]) -> fmpq_mat:
    """The rational matrix with these rows (Fractions, ints or fmpq)."""
    width = len(rows[0]) if rows else 0
    return fmpq_mat(len(rows), width, [x if isinstance(x, fmpq) else to_fmpq(x) for row in rows for x in row])


def column(values: Sequence) -> fmpq_mat:
    return matrix([[x] for x in values])


def pivot_columns(M: fmpq_mat) -> list[int]:
    """The pivot columns of M's reduced row echelon form: a maximal independent set of columns."""
    R, rank = M.rref()
    pivots, col = [], 0
    for i in range(rank):
        while R[i, col] == 0:
            col += 1
        pivots.append(col)
    return pivots


def least_squares(h: fmpq_mat, G: fmpq_mat) -> list[fmpq]:
    """Coefficients c minimizing ||h + G c|| exactly (h a column, G's columns the generators); dependent
    columns get coefficient 0. Solves the normal equations B^T B c_B = -B^T h on independent columns B."""
    if G.ncols() == 0:
        return []
    Gt = G.transpose()
    try:   # independent columns (the usual case): the Gram matrix is invertible, no elimination needed
        solution = (Gt * G).solve(-(Gt * h))
        return [solution[t, 0] for t in range(G.ncols())]
    except ZeroDivisionError:
        pass
    independent = pivot_columns(G)
    B = fmpq_mat(G.nrows(), len(independent), [G[i, j] for i in range(G.nrows()) for j in independent])
    Bt = B.transpose()
    solution = (Bt * B).solve(-(Bt * h))
    out = [fmpq(0)] * G.ncols()
    for t, j in enumerate(independent):
        out[j] = solution[t, 0]
    return out


def null_basis(rows: Sequence[Sequence], d: int) -> list[list[Fraction]]:
    """An exact basis of {w in Q^d : <row, w> = 0 for every row}: the same basis as `numbers.null_basis`
    (one vector per free column of the reduced row echelon form, which is unique)."""
    if not rows:
        return [[Fraction(int(i == j)) for i in range(d)] for j in range(d)]
    R, rank = matrix(rows).rref()
    pivots = pivot_columns(R)
    basis = []
    for free in (c for c in range(d) if c not in pivots):
        v = [Fraction(0)] * d
        v[free] = Fraction(1)
        for i, col in enumerate(pivots):
            v[col] = -to_fraction(R[i, free])
        basis.append(v)
    return basis
