"""An instance: data X in Q^(n x d), labels y in Q^n, weight decay lambda > 0, optional width m."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from .errors import InputError
from .jsonfile import load_json
from .numbers import format_rational, parse_rational

__all__ = ["Instance"]

_KEYS = {"X", "y", "lambda", "width", "name", "description"}
_HUGE, _TINY = Fraction(10) ** 300, Fraction(1, 10**300)


@dataclass(frozen=True)
class Instance:
    """Exact data of SPEC §1. Build with `Instance.load` or `Instance.from_arrays`."""

    X: tuple[tuple[Fraction, ...], ...]
    y: tuple[Fraction, ...]
    lam: Fraction
    width: int | None = None
    name: str = ""
    description: str = ""

    @property
    def n(self) -> int:
        return len(self.X)

    @property
    def d(self) -> int:
        return len(self.X[0])

    @classmethod
    def from_arrays(cls, X: Any, y: Any, lam: Any, width: Any = None, *, bias: bool = False,
                    name: str = "", description: str = "") -> "Instance":
        """Validate and read exactly; `bias=True` appends a constant-1 feature to every row."""
        rows = _matrix(X)
        labels = _vector(y, "y")
        if len(labels) != len(rows):
            raise InputError("y", f"has {len(labels)} labels but X has {len(rows)} rows")
        lam = _datum(lam, "lambda")
        if lam <= 0:
            raise InputError("lambda", f"must be > 0, got {format_rational(lam)}")
        if width is not None:
            if isinstance(width, bool) or not isinstance(width, int) or width < 1:
                raise InputError("width", f"must be an integer >= 1, got {width!r}")
        if bias:
            rows = tuple(row + (Fraction(1),) for row in rows)
        return cls(rows, labels, lam, width, str(name), str(description))

    @classmethod
    def from_dict(cls, data: Any, *, bias: bool = False) -> "Instance":
        if not isinstance(data, dict):
            raise InputError("instance", "must be a JSON object with keys X, y, lambda")
        for key in ("X", "y", "lambda"):
            if key not in data:
                raise InputError(key, "missing (an instance needs X, y and lambda)")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise InputError(unknown[0], f"unknown key (allowed: {', '.join(sorted(_KEYS))})")
        for key in ("name", "description"):
            if not isinstance(data.get(key, ""), str):
                raise InputError(key, "expected a string")
        return cls.from_arrays(data["X"], data["y"], data["lambda"], data.get("width"), bias=bias,
                               name=data.get("name", ""), description=data.get("description", ""))

    @classmethod
    def load(cls, path: str | Path, *, bias: bool = False) -> "Instance":
        """Read a JSON instance file (through `jsonfile.load_json`); JSON decimals are read exactly."""
        return cls.from_dict(load_json(path), bias=bias)

    def digest(self) -> str:
        """sha256 of the canonical form of (X, y, lambda): exact rationals 'p/q' in lowest terms, compact JSON
        with sorted keys. Name, description and width are not part of it: two files with the same data have
        the same digest."""
        canonical = {"X": [[format_rational(q) for q in row] for row in self.X],
                     "y": [format_rational(q) for q in self.y], "lambda": format_rational(self.lam)}
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def to_dict(self) -> dict:
        """JSON form with exact rationals as strings."""
        out: dict = {
            "X": [[format_rational(q) for q in row] for row in self.X],
            "y": [format_rational(q) for q in self.y],
            "lambda": format_rational(self.lam),
        }
        if self.width is not None:
            out["width"] = self.width
        if self.name:
            out["name"] = self.name
        if self.description:
            out["description"] = self.description
        return out


def _datum(value: Any, field: str) -> Fraction:
    """A data entry: exact, and within the range the float side can represent (see `numbers`)."""
    q = parse_rational(value, field)
    if abs(q) >= _HUGE or (q and abs(q) <= _TINY):
        raise InputError(field, "magnitude outside [1e-300, 1e300] (the solvers work in floating point)")
    return q


def _vector(values: Any, field: str) -> tuple[Fraction, ...]:
    if isinstance(values, (str, bytes, dict)) or not isinstance(values, Sequence):
        try:
            if isinstance(values, (str, bytes, dict)):
                raise TypeError
            values = list(values)
        except TypeError:
            raise InputError(field, f"expected a list of numbers, got {type(values).__name__}") from None
    return tuple(_datum(v, f"{field}[{i}]") for i, v in enumerate(values))


def _matrix(X: Any) -> tuple[tuple[Fraction, ...], ...]:
    if hasattr(X, "tolist"):
        X = X.tolist()
    if isinstance(X, (str, bytes)) or not isinstance(X, Sequence):
        raise InputError("X", "expected a list of rows")
    if len(X) == 0:
        raise InputError("X", "has no rows (n must be >= 1)")
    rows = []
    for i, row in enumerate(X):
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
            raise InputError(f"X[{i}]", f"expected a row (list of numbers), got {row!r}")
        rows.append(_vector(row, f"X[{i}]"))
    d = len(rows[0])
    if d == 0:
        raise InputError("X[0]", "is empty (d must be >= 1)")
    for i, row in enumerate(rows):
        if len(row) != d:
            raise InputError(f"X[{i}]", f"has {len(row)} entries but X[0] has {d} (ragged rows)")
    return tuple(rows)
