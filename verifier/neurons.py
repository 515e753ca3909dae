"""The solver-free types shared by both sides (docs §3): a signed pattern (sigma, s), a neuron u in the closed cone
of its pattern, and a dual witness (r, mu). Plain exact data: no cvxpy, no solver, so reading an instance or a
network never loads one (`network` imports `Neuron` from here; `convex` and `polish` re-export these names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

from .instance import FieldsOnlyPickle

__all__ = ["SignedPattern", "Neuron", "Dual", "all_signed_patterns"]

Vector = list[Fraction]


@dataclass(frozen=True, order=True)
class SignedPattern(FieldsOnlyPickle):
    """A chamber's sign vector over the data rows (+1, -1, 0 for a zero row) and a sign s of a (pickled without its
    cached `signs`)."""

    sigma: tuple[int, ...]
    s: int

    @cached_property
    def signs(self) -> np.ndarray:
        """sigma as a read-only float64 array (what the float screens multiply by), computed once per pattern."""
        signs = np.array(self.sigma, dtype=float)
        signs.flags.writeable = False
        return signs

    @property
    def label(self) -> str:
        return "".join("+" if x > 0 else "-" if x < 0 else "0" for x in self.sigma)

    @classmethod
    def parse(cls, label: str, s: int) -> "SignedPattern":
        return cls(tuple(1 if c == "+" else -1 if c == "-" else 0 for c in label), int(s))


def all_signed_patterns(arrangement) -> list[SignedPattern]:
    """The 2P signed patterns of an arrangement: every chamber with both signs."""
    rows = arrangement.row_signs()
    return [SignedPattern(tuple(int(x) for x in row), s) for row in rows for s in (1, -1)]


@dataclass
class Neuron:
    """u in the closed cone of `pattern`; the balanced network neuron is a = s sqrt||u||, w = u / sqrt||u||."""

    pattern: SignedPattern
    u: Vector


@dataclass
class Dual:
    """A dual-feasible residual r for `multipliers`' patterns (mu >= 0 each; `free` holds the multipliers nu
    of equality rows, per pattern) and its bound (1/n)(r^T y - ||r||^2/2)."""

    r: Vector
    multipliers: dict[SignedPattern, Vector]
    value: Fraction
    free: dict[SignedPattern, dict[int, Fraction]] = field(default_factory=dict)
