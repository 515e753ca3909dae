"""The intersection lattice of a central arrangement and Zaslavsky's count (trusted, exact, solver-free).

A *flat* is a subspace cut out by some of the hyperplanes; we name it by the set of hyperplanes
containing it (a closed set of the matroid of the normals), stored as an integer bitmask. Zaslavsky's
theorem gives the number of chambers as P = |chi(-1)| = sum over flats X of (-1)^rank(X) mu(0, X).

Only Python integers are used. The checker relies on every function here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import repeat
from operator import floordiv, mul
from typing import Sequence

from .numbers import integer_row, primitive

__all__ = [
    "hyperplanes",
    "rank",
    "pivot_columns",
    "essential",
    "Lattice",
    "lattice",
    "members",
    "region_count",
    "general_position_count",
    "restriction",
    "face_count",
    "LatticeTooLarge",
]

Vector = tuple[int, ...]


class LatticeTooLarge(Exception):
    """The lattice has more flats than the caller's bound `max_flats`."""


def hyperplanes(X: Sequence[Sequence[Fraction]]) -> tuple[list[Vector], list[tuple[int, int] | None]]:
    """Distinct hyperplanes {w : <x_i, w> = 0} of the non-zero rows of X.

    Returns the primitive integer normals (first non-zero entry positive) and, per row, either None
    (a zero row) or (hyperplane index, orientation) with x_i = positive multiple of orientation * normal.
    """
    normals: list[Vector] = []
    index: dict[Vector, int] = {}
    row_map: list[tuple[int, int] | None] = []
    for row in X:
        v = integer_row(row)
        if not any(v):
            row_map.append(None)
            continue
        p = primitive(v)
        orientation = 1 if next(x for x in v if x) > 0 else -1
        if p not in index:
            index[p] = len(normals)
            normals.append(p)
        row_map.append((index[p], orientation))
    return normals, row_map


def pivot_columns(vectors: Sequence[Sequence]) -> list[int]:
    """Pivot columns of the matrix with these (rational) rows over Q; their number is the rank.

    Fraction-free (Bareiss) elimination on integer multiples of the rows: after k pivots every entry below is a
    (k+1) x (k+1) minor of the matrix, so each division by the previous pivot is exact (Sylvester's identity) and
    numbers stay as small as the minors. (Gauss-Jordan over Fractions needs a gcd per operation on ever larger
    numbers: two minutes for a 20 x 6 instance of 2000-digit rationals.)"""
    M = [list(integer_row(row)) for row in vectors]
    pivots: list[int] = []
    previous = 1
    for col in range(len(M[0]) if M else 0):
        top = len(pivots)
        pivot = next((i for i in range(top, len(M)) if M[i][col]), None)
        if pivot is None:
            continue
        M[top], M[pivot] = M[pivot], M[top]
        p = M[top][col]
        for i in range(top + 1, len(M)):
            f = M[i][col]
            M[i] = [(p * a - f * b) // previous for a, b in zip(M[i], M[top])]
        previous = p
        pivots.append(col)
        if len(pivots) == len(M):
            break
    return pivots


def rank(vectors: Sequence[Sequence[int]]) -> int:
    return len(pivot_columns(vectors))


def essential(normals: Sequence[Vector]) -> list[Vector]:
    """The normals restricted to their pivot columns: same sign vectors, same lattice, rank = dimension.

    The column space of the normal matrix A equals that of A restricted to its pivot columns, so
    {sign(A w)} is unchanged and so are all linear dependencies among the rows.
    """
    if not normals:
        return []
    cols = pivot_columns(normals)
    return [tuple(a[c] for c in cols) for a in normals]


@dataclass
class Lattice:
    """Flats by rank: levels[k] maps a rank-k flat to integer rows spanning it (as a subspace).
    levels[-1] holds the single top flat.

    A flat is named by the hyperplanes containing it, as an integer bitmask (bit i set iff hyperplane i
    contains the flat; `members` lists them), so F <= G in the lattice iff F's bits are a subset of G's.
    A rank-k flat with k hyperplanes is *Boolean*: the flats below it are exactly the subsets of them.
    covers[G] lists the flats that G covers, for the flats that are not Boolean (and the top)."""

    normals: list[Vector]
    levels: list[dict[int, list[Vector]]]
    covers: dict[int, list[int]]

    @property
    def rank(self) -> int:
        return len(self.levels) - 1

    def mobius(self) -> dict[int, int]:
        """mu(0, G) for every flat G: (-1)^k on Boolean intervals (k independent hyperplanes), otherwise
        -sum of mu over the flats strictly below G (for the top: every other flat)."""
        mu: dict[int, int] = {}
        for k, level in enumerate(self.levels):
            for G in level:
                if G.bit_count() == k:
                    mu[G] = (-1) ** k
                elif k == self.rank:
                    mu[G] = -sum(mu.values())
                else:
                    mu[G] = -sum(mu[Y] for Y in self._below(G))
        return mu

    def _below(self, G: int) -> set[int]:
        """The flats strictly below G: down the covers, and every subset of a Boolean flat met."""
        seen: set[int] = set()
        stack = list(self.covers[G])
        while stack:
            Y = stack.pop()
            if Y in seen:
                continue
            seen.add(Y)
            if Y in self.covers:
                stack.extend(self.covers[Y])
            else:
                sub = Y
                while sub:
                    sub = (sub - 1) & Y
                    seen.add(sub)
        return seen

    def region_count(self) -> int:
        """Zaslavsky: P = sum over flats of (-1)^rank mu(0, flat)."""
        mu = self.mobius()
        return sum((-1) ** k * mu[G] for k, level in enumerate(self.levels) for G in level)


def members(flat: int) -> list[int]:
    """The hyperplanes containing the flat (the set bits of its bitmask), in increasing order."""
    return [i for i in range(flat.bit_length()) if flat >> i & 1]


def lattice(normals: Sequence[Vector], max_flats: int | None = None) -> Lattice:
    """All flats of the central arrangement with these distinct, pairwise non-parallel normals.

    A rank-k flat F spanned (as a subspace) by rows N is covered by the flats F u D, one for each class D
    of the j not in F with N a_j parallel (N a_j != 0 there, as F is closed); the new flat
    is spanned by the combinations of rows of N orthogonal to a_j. Flats of rank r - 1 are covered only by
    the top. A Boolean F u {j} is taken only from F = (F u {j}) minus its largest hyperplane (j > max F).
    Cost: n products N a_i for each flat of rank < r - 1.
    """
    normals = [tuple(a) for a in normals]
    d = len(normals[0]) if normals else 0
    r = rank(normals)
    identity = [tuple(int(i == j) for j in range(d)) for i in range(d)]
    levels: list[dict[int, list[Vector]]] = [{0: identity}]
    covers: dict[int, list[int]] = {}
    found = 2 if r > 0 else 1   # the bottom and the top
    if max_flats is not None and found > max_flats:
        raise LatticeTooLarge(found)
    for k in range(1, r):
        upper: dict[int, list[Vector]] = {}
        for F, basis in levels[-1].items():
            outside = [i for i in range(len(normals)) if not F >> i & 1]
            products = [[sum(map(mul, row, normals[i])) for i in outside] for row in basis]   # <N_q, a_i> != 0
            boolean = F.bit_count() == k - 1
            directions: dict[Vector, int] = {}   # direction of N a_j -> the j
            for i, c in zip(outside, zip(*products)):
                key = _direction(c)
                directions[key] = directions.get(key, 0) | 1 << i
            for c, new in directions.items():
                if boolean and new.bit_count() == 1:
                    if new > F:                     # the Boolean flat F u {j}, from F = it minus j = its max
                        upper[F | new] = _restrict(basis, c)
                        found += 1
                    continue
                G = F | new
                if G not in upper:
                    upper[G] = _restrict(basis, c)
                    found += 1
                covers.setdefault(G, []).append(F)
            if max_flats is not None and found > max_flats:
                raise LatticeTooLarge(found)
        levels.append(upper)
    if r > 0:
        top = (1 << len(normals)) - 1
        levels.append({top: []})
        covers[top] = list(levels[-2])
    return Lattice(normals, levels, covers)


def _restrict(basis: list[Vector], c: Vector) -> list[Vector]:
    """Primitive rows spanning {sum_q t_q N_q : sum_q t_q c_q = 0} where c is parallel to (<N_q, a>)_q: the flat
    cut by a."""
    p = next(q for q, x in enumerate(c) if x)
    cp, Np = c[p], basis[p]
    rows = []
    for q, (cq, Nq) in enumerate(zip(c, basis)):
        if q != p:
            row = [cp * u - cq * v for u, v in zip(Nq, Np)]
            g = math.gcd(*row)
            rows.append(tuple([x // g for x in row]))
    return rows


def _direction(c: Vector) -> Vector:
    """The primitive vector of the line through c != 0, its first non-zero entry positive: parallel c share it."""
    if len(c) == 2:                                 # the most frequent case, inline
        x, y = c
        g = math.gcd(x, y)
        return (x // g, y // g) if x > 0 or (x == 0 and y > 0) else (-x // g, -y // g)
    g = math.gcd(*c)
    return tuple(map(floordiv, c, repeat(g if next(filter(None, c)) > 0 else -g)))


def region_count(normals: Sequence[Vector], max_flats: int | None = None) -> int:
    """Number of chambers of the central arrangement with these distinct normals (Zaslavsky).

    Every flat X of a geometric lattice has |mu(0, X)| >= 1, so the count is at least the number of flats:
    with `max_flats`, LatticeTooLarge (raised once more flats are found) proves the count exceeds it."""
    return lattice(essential(normals), max_flats).region_count()


def restriction(normals: Sequence[Vector], flat: int, basis: Sequence[Vector]) -> list[Vector]:
    """The hyperplanes a_i (i not in `flat`) induce on the flat spanned by the independent rows `basis`
    (coordinates t with w = sum_q t_q b_q): the normals (<a_i, b_q>)_q, distinct and primitive."""
    rows = [[Fraction(sum(map(mul, a, b))) for b in basis] for i, a in enumerate(normals) if not flat >> i & 1]
    return hyperplanes(rows)[0] if rows else []


def face_count(normals: Sequence[Vector], d: int, max_flats: int | None = None) -> int:
    """Number of faces {w != 0 : sign<a_i, w> = tau_i} of the central arrangement in R^d (docs §8).

    Each face spans one flat Y and is a chamber of the arrangement the other hyperplanes induce on Y, so the
    count is the sum over the flats Y != {0} of the region counts of these restrictions (Zaslavsky on each
    flat), with the flat of rank r = rank(normals) counted (once, as one face) only when r < d.
    With `max_flats`, LatticeTooLarge once some lattice has more flats than that (its region count, hence
    the face count, then exceeds it)."""
    E = essential(normals)
    lat = lattice(E, max_flats)
    total = int(lat.rank < d)
    for level in lat.levels[: lat.rank]:
        for flat, basis in level.items():
            total += lattice(essential(restriction(E, flat, basis)), max_flats).region_count() if len(basis) > 1 else 2
    return total


def general_position_count(n: int, r: int) -> int:
    """Chambers of n hyperplanes of rank r in general position: 2 sum_{k<r} C(n-1, k) (1 if n = 0)."""
    if n == 0:
        return 1
    return 2 * sum(math.comb(n - 1, k) for k in range(r))
