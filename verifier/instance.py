"""An instance: data X in Q^(n x d), labels y in Q^n, weight decay lambda > 0, optional width m."""

from __future__ import annotations

import hashlib
import json
import math
import operator
import re
from dataclasses import dataclass, fields
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, Sequence

from .errors import InputError
from .jsonfile import MAX_BYTES, load_json
from .numbers import format_rational, parse_rational

__all__ = ["Instance", "MAX_NUMBERS", "FieldsOnlyPickle"]

_KEYS = {"X", "y", "lambda", "width", "name", "description"}
MAX_NUMBERS = 1_000_000   # n (d + 1): every entry is an exact rational, and every command works on all of them
_HUGE, _TINY = Fraction(10) ** 300, Fraction(1, 10**300)


class FieldsOnlyPickle:
    """Mixin for a dataclass that keeps cached representations (`functools.cached_property`) beside its fields: a
    pickled copy (a task's argument sent to a worker) carries the fields only and recomputes the rest where it is
    used. The one helper for it (`Instance`, `neurons.SignedPattern`)."""

    def __getstate__(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, repr=False)
class Instance(FieldsOnlyPickle):
    """Exact data: points x_i (rows of X in Q^(n x d)), labels y in Q^n, weight decay lambda > 0 and an
    optional width m.

    Build with `Instance.load` (a JSON file) or `Instance.from_arrays` (lists, numpy arrays, numbers).
    Every entry is an exact rational (`fractions.Fraction`); floats are read by `numbers.FLOAT_RULE`.
    The instance owns its other representations of the data (`integer_rows`, `integer_labels`, `float_X`,
    `flint_X`): each computed once, on first use, and kept with it (never pickled: a copy recomputes them).

    Examples
    --------
    >>> import numpy as np
    >>> instance = Instance.from_arrays(np.array([[-1.0], [1.0]]), np.array([1.0, 0.5]), 0.125, width=1)
    >>> instance
    Instance(n=2, d=1, lambda=1/8, width=1)
    >>> instance.y
    (Fraction(1, 1), Fraction(1, 2))
    """

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

    @cached_property
    def integer_rows(self) -> tuple[tuple[tuple[int, ...], ...], int]:
        """(Z, E): integer rows Z_i and E, the lcm of the denominators of X, with x_i = Z_i / E (what the exact
        sums of the checker run on)."""
        E = math.lcm(*(x.denominator for row in self.X for x in row))
        return tuple(tuple(x.numerator * (E // x.denominator) for x in row) for row in self.X), E

    @cached_property
    def integer_labels(self) -> tuple[tuple[int, ...], int]:
        """(Y, F): integer labels Y over F, the lcm of their denominators, with y = Y / F."""
        F = math.lcm(*(v.denominator for v in self.y))
        return tuple(v.numerator * (F // v.denominator) for v in self.y), F

    @cached_property
    def float_X(self):
        """X as a read-only float64 numpy array (n x d): what the float screens of the solver side use."""
        import numpy as np

        X = np.array(self.X, dtype=float)
        X.flags.writeable = False
        return X

    @cached_property
    def flint_X(self) -> tuple[tuple, ...]:
        """X as python-flint rationals (`fmpq`), row by row: what the exact projections of the solver side use."""
        from flint import fmpq

        return tuple(tuple(fmpq(x.numerator, x.denominator) for x in row) for row in self.X)

    def __repr__(self) -> str:
        name = f"{self.name!r}, " if self.name else ""
        width = "" if self.width is None else f", width={self.width}"
        return f"Instance({name}n={self.n}, d={self.d}, lambda={format_rational(self.lam)}{width})"

    @classmethod
    def from_arrays(cls, X: Any, y: Any, lam: Any, width: Any = None, *, bias: bool = False,
                    name: str = "", description: str = "") -> "Instance":
        """Validate and read an instance exactly.

        Parameters
        ----------
        X : array_like, shape (n, d)
            Data points (rows); lists or numpy arrays of ints, floats, Fractions, "p/q" or decimal strings.
        y : array_like, shape (n,)
            Labels.
        lam : number
            Weight decay lambda > 0.
        width : int, optional
            The number of neurons m used by default.
        bias : bool
            Append a constant-1 feature to every row (the network then has a first-layer bias).
        name, description : str
            Free text kept in files and reports.

        Returns
        -------
        Instance

        Raises
        ------
        InputError
            Naming the field (`X[1][0]`, `lambda`, ...) and the problem.

        Examples
        --------
        >>> Instance.from_arrays([[1, 2], [3, 4]], ["1/2", 0.25], "1/10", bias=True).X[0]
        (Fraction(1, 1), Fraction(2, 1), Fraction(1, 1))
        """
        rows = _matrix(X)
        labels = _vector(y, "y")
        if len(labels) != len(rows):
            raise InputError("y", f"has {len(labels)} labels but X has {len(rows)} rows")
        lam = _datum(lam, "lambda")
        if lam <= 0:
            raise InputError("lambda", f"must be > 0, got {format_rational(lam)}")
        if width is not None:
            if isinstance(width, bool) or not hasattr(width, "__index__") or operator.index(width) < 1:
                raise InputError("width", f"must be an integer >= 1, got {width!r}")
            width = operator.index(width)
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
        """Read a JSON instance file (through `jsonfile.load_json`); JSON decimals are read exactly. A file with
        more than MAX_NUMBERS numbers is refused before it is parsed (parsing 32 MB took two minutes)."""
        _require_few_numbers(path)
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


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def _require_few_numbers(path: str | Path) -> None:
    """InputError when the file's X and y hold more than MAX_NUMBERS numbers, counted before parsing: outside
    strings, an instance file has n (d + 1) - 2 commas between the entries of X and y and at most 5 between
    its keys, so more than MAX_NUMBERS + 3 commas mean more than MAX_NUMBERS numbers. (Unreadable or
    oversized files are left to `load_json`, which names the problem.)"""
    try:
        path = Path(path)
        data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b""
    except OSError:
        return
    commas = _STRING.sub(b"", data).count(b",")
    if commas > MAX_NUMBERS + 3:
        raise InputError(str(path), f"about {commas} numbers in X and y, more than the limit of {MAX_NUMBERS} "
                                    "(every command works on every entry exactly)")


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


def _unpack(value: Any) -> Any:
    """A numpy array (or anything with `ndim >= 1`) as a list of its entries, numpy scalars kept as they are
    so that floats are read in their own precision (see `numbers.FLOAT_RULE`)."""
    return list(value) if getattr(value, "ndim", 0) >= 1 else value


def _matrix(X: Any) -> tuple[tuple[Fraction, ...], ...]:
    X = _unpack(X)
    if isinstance(X, (str, bytes)) or not isinstance(X, Sequence):
        raise InputError("X", "expected a list of rows")
    if len(X) == 0:
        raise InputError("X", "has no rows (n must be >= 1)")
    first = _unpack(X[0])
    width = len(first) if isinstance(first, Sequence) and not isinstance(first, (str, bytes)) else 0
    if len(X) * (width + 1) > MAX_NUMBERS:       # the work, estimated before any entry is read
        raise InputError("X", f"{len(X)} rows of {width} numbers: {len(X) * (width + 1)} numbers with y, more than "
                              f"the limit of {MAX_NUMBERS} (every command works on every entry exactly)")
    rows = []
    for i, row in enumerate(X):
        row = _unpack(row)
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
