"""An instance: data X in Q^(n x d), labels y in Q^n, weight decay lambda > 0, optional width m."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from .errors import InputError
from .numbers import format_rational, parse_rational

__all__ = ["Instance"]

_KEYS = {"X", "y", "lambda", "width", "name", "description"}


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
        lam = parse_rational(lam, "lambda")
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
        return cls.from_arrays(data["X"], data["y"], data["lambda"], data.get("width"), bias=bias,
                               name=data.get("name", ""), description=data.get("description", ""))

    @classmethod
    def load(cls, path: str | Path, *, bias: bool = False) -> "Instance":
        """Read a JSON instance file; JSON decimals are read exactly."""
        path = Path(path)
        try:
            text = path.read_text()
        except OSError as exc:
            raise InputError(str(path), f"cannot read file ({exc.strerror or exc})") from None
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
        return cls.from_dict(data, bias=bias)

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


def _vector(values: Any, field: str) -> tuple[Fraction, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        try:
            values = list(values)
        except TypeError:
            raise InputError(field, f"expected a list of numbers, got {type(values).__name__}") from None
    return tuple(parse_rational(v, f"{field}[{i}]") for i, v in enumerate(values))


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
