"""All faces of the arrangement, certified complete from the lattice (docs §8).

A face is F_tau = {w != 0 : sign<x_i, w> = tau_i for all i}, tau in {+, 0, -}^n. The face with zero set Z spans
the flat Y_Z and is a chamber of the arrangement the other hyperplanes induce on Y_Z, so the faces are found
flat by flat: the chambers of each restriction (`enumerate_chambers` in the flat's coordinates), each with an
integer witness, and their number is `lattice.face_count` (the sum of the restrictions' Zaslavsky counts).
When the rows do not span R^d the face tau = 0 is the common null space minus 0: it is counted and listed,
but `nonzero` leaves it out (a neuron there only pays lambda ||u||, so it is never part of a local minimum).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import Sequence

from .arrangement import enumerate_chambers
from .checker.catalog import below
from .errors import InternalError
from .lattice import essential, face_count, hyperplanes, lattice, pivot_columns, restriction
from .numbers import null_basis

__all__ = ["Faces", "enumerate_faces", "below"]


@dataclass
class Faces:
    """The faces of the arrangement of the rows of X: sign vectors over the data rows ('+', '-', '0') and
    integer witnesses w in Z^d with sign(X w) = tau; `count` is the lattice's face count."""

    labels: list[str]
    witnesses: list[tuple[int, ...]]
    count: int

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def nonzero(self) -> list[int]:
        """Indices of the faces that are not the common null space (tau != 0 on some row)."""
        return [k for k, label in enumerate(self.labels) if set(label) != {"0"}]

    def chambers_around(self, chambers: Sequence[str]) -> list[list[int]]:
        """For each face, the indices of the chambers whose closure contains it."""
        return [[c for c, sigma in enumerate(chambers) if below(tau, sigma)] for tau in self.labels]


def enumerate_faces(X: Sequence[Sequence]) -> Faces:
    """Every face with an integer witness; raises InternalError if the list disagrees with the lattice count."""
    X = [[Fraction(q) for q in row] for row in X]
    d = len(X[0])
    normals, _ = hyperplanes(X)
    pivots = pivot_columns(normals) if normals else []
    E = essential(normals)
    points: list[list[int]] = []
    if E:
        lat = lattice(E)
        for level in lat.levels[: lat.rank]:
            for flat, basis in level.items():
                restricted = restriction(E, flat, basis)
                for t in enumerate_chambers(restricted).witnesses:
                    w = [sum(int(tq) * b[c] for tq, b in zip(t, basis)) for c in range(len(pivots))]
                    full = [0] * d
                    for c, x in zip(pivots, w):
                        full[c] = x
                    points.append(full)
    if len(pivots) < d:
        points.append(_integer(null_basis(normals, d)[0]) if normals else [1] + [0] * (d - 1))
    labels = [_label(X, w) for w in points]
    count = face_count(normals, d)
    if len(set(labels)) != len(labels) or len(labels) != count:
        raise InternalError(f"face enumeration found {len(set(labels))} faces, the lattice counts {count}")
    return Faces(labels, [tuple(w) for w in points], count)


def _label(X, w) -> str:
    out = []
    for row in X:
        value = sum(a * b for a, b in zip(row, w))
        out.append("+" if value > 0 else "-" if value < 0 else "0")
    return "".join(out)


def _integer(v: Sequence[Fraction]) -> list[int]:
    scale = lcm(*(Fraction(x).denominator for x in v))
    return [int(Fraction(x) * scale) for x in v]
