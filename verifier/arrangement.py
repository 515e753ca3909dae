"""Chambers of the central arrangement of the data hyperplanes (SPEC §2).

Method. Work in essential coordinates (the pivot columns of the distinct normals, rank r). For r >= 2
every chamber closure is a pointed cone whose extreme rays are the rank-(r-1) flats (rays) of the
lattice, and near a ray v the chambers are: sign(<a_i, v>) off the hyperplanes through v, and any
chamber of the localization (the hyperplanes through v) on them. Collecting these candidates from
every ray +-v gives every chamber exactly once per incident ray, so the cost is the number of
chamber-ray incidences times n. The sum of a chamber's extreme rays is an integer interior point:
its witness. Completeness is certified by the Zaslavsky count of `lattice`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, product
from typing import Sequence

import numpy as np

from .errors import InternalError
from .lattice import Lattice, hyperplanes, lattice, pivot_columns

__all__ = ["Arrangement", "Measures", "enumerate_chambers", "exact_matmul"]

_INT64_SAFE = 2**62
_RAY_CHUNK = 20_000


def exact_matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A @ B for integer matrices: int64 when a bound proves there is no overflow, Python ints otherwise."""
    inner = A.shape[1] if A.ndim == 2 else len(A)
    bound = _max_abs(A) * _max_abs(B) * max(inner, 1)
    if bound < _INT64_SAFE:
        return A.astype(np.int64) @ B.astype(np.int64)
    return A.astype(object) @ B.astype(object)


def _max_abs(M: np.ndarray) -> int:
    return int(max((abs(int(x)) for x in np.asarray(M).ravel()), default=0))


@dataclass
class Measures:
    """Gaussian measure of each chamber: values, an absolute error bound, and how they were obtained."""

    values: np.ndarray
    error: float
    method: str


@dataclass(repr=False)
class Arrangement:
    """The chambers of the arrangement of the rows of X.

    normals: distinct primitive integer normals; row_map: per data row, (hyperplane, orientation) or None
    for a zero row; keys: bit-packed sign vectors over the normals (bit set iff <normal, w> > 0), sorted;
    witnesses: integer w in Z^d with sign(<normal, w>) equal to the chamber's signs, one row per chamber.
    """

    X: tuple
    normals: list[tuple[int, ...]]
    row_map: list[tuple[int, int] | None]
    rank: int
    keys: np.ndarray
    witnesses: np.ndarray
    lattice_count: int
    _rays: np.ndarray = field(repr=False)
    _incidence: tuple[np.ndarray, np.ndarray, np.ndarray] = field(repr=False)
    _pivots: list[int] = field(repr=False)

    def __repr__(self) -> str:
        return (f"<Arrangement n={self.n}, d={self.d}: {len(self.normals)} hyperplanes, rank {self.rank}, "
                f"{len(self)} chambers{'' if self.complete else ' (INCOMPLETE)'}>")

    def to_dict(self) -> dict:
        """The chambers' sign vectors and integer witnesses, and the counts."""
        return {"n": self.n, "d": self.d, "rank": self.rank, "hyperplanes": len(self.normals),
                "chambers": len(self), "lattice_count": self.lattice_count, "complete": self.complete,
                "patterns": self.patterns(), "witnesses": self.witnesses.tolist()}

    def plot(self):
        """A matplotlib figure: lines on the circle (d = 2), great circles on the sphere (d = 3), else the
        chamber graph."""
        from .plots import arrangement_figure

        return arrangement_figure(self)

    @property
    def n(self) -> int:
        return len(self.X)

    @property
    def d(self) -> int:
        return len(self.X[0])

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def complete(self) -> bool:
        return len(self) == self.lattice_count

    @property
    def signs(self) -> np.ndarray:
        """(P, n') bool: True where <normal_h, w> > 0 in the chamber."""
        return _unpack(self.keys, len(self.normals))

    def row_signs(self, signs: np.ndarray | None = None) -> np.ndarray:
        """(P, n) int8 signs over the data rows: sigma_i in {+1, -1}, 0 for a zero row."""
        signs = self.signs if signs is None else signs
        out = np.zeros((len(signs), self.n), dtype=np.int8)
        for i, entry in enumerate(self.row_map):
            if entry is not None:
                h, orientation = entry
                out[:, i] = np.where(signs[:, h], orientation, -orientation)
        return out

    def patterns(self) -> list[str]:
        """Each chamber's sign vector over the data rows as a string of '+', '-' and '0' (zero row)."""
        table = {1: "+", -1: "-", 0: "0"}
        return ["".join(table[int(s)] for s in row) for row in self.row_signs()]

    def index(self, signs: np.ndarray) -> np.ndarray:
        """Chamber index of each row of a (k, n') bool sign matrix, -1 where it is not a chamber."""
        keys = _as_keys(np.packbits(np.atleast_2d(signs), axis=1))
        mine = _as_keys(self.keys)
        pos = np.searchsorted(mine, keys).clip(0, max(len(mine) - 1, 0))
        return np.where(mine[pos] == keys, pos, -1)

    def neighbours(self) -> np.ndarray:
        """(P, n') int: the chamber across hyperplane h from chamber p, or -1 when h is not a facet of p."""
        out = np.full((len(self), len(self.normals)), -1, dtype=np.int64)
        for h in range(len(self.normals)):
            flipped = self.keys.copy()
            flipped[:, h // 8] ^= np.uint8(0x80 >> (h % 8))
            out[:, h] = self.index(_unpack(flipped, len(self.normals)))
        return out

    def localize(self, w: Sequence) -> np.ndarray:
        """Indices of the chambers whose closure contains the exact point w (all chambers for w = 0)."""
        s = [_sign(sum(Fraction(a) * Fraction(x) for a, x in zip(normal, w))) for normal in self.normals]
        mask = np.ones(len(self), dtype=bool)
        signs = self.signs
        for h, sh in enumerate(s):
            if sh:
                mask &= signs[:, h] == (sh > 0)
        return np.flatnonzero(mask)

    def measures(self, samples: int = 200_000, seed: int = 0) -> Measures:
        """Probability that w ~ N(0, I_d) lands in each chamber: angle / 2 pi for rank <= 2, Girard's
        spherical excess for rank 3, 2^-n' for pairwise orthogonal normals (orthants), Monte Carlo with a 95%
        half-width otherwise."""
        orthogonal = all(sum(x * y for x, y in zip(a, b)) == 0 for a, b in combinations(self.normals, 2))
        if self.rank <= 1 or orthogonal:
            return Measures(np.full(len(self), 1.0 / len(self)), 0.0, "exact")
        if self.rank <= 3:
            return Measures(self._solid_angles(), 1e-12 * len(self), "exact" if self.rank == 2 else "girard")
        return self._monte_carlo(samples, seed)

    def _geometric_rays(self) -> np.ndarray:
        """Each ray as a unit vector in orthonormal coordinates of the row space of the normals."""
        A = np.array(self.normals, dtype=float)
        q, _ = np.linalg.qr(A.T)
        basis = q[:, : self.rank]
        full = np.zeros((len(self._rays), self.d))
        full[:, self._pivots] = self._rays.astype(float)
        coords = full @ basis
        return coords / np.linalg.norm(coords, axis=1, keepdims=True)

    def _solid_angles(self) -> np.ndarray:
        rays = self._geometric_rays()
        chamber, ray, sign = self._incidence
        vectors = rays[ray] * sign[:, None]
        order = np.argsort(chamber, kind="stable")
        bounds = np.searchsorted(chamber[order], np.arange(len(self) + 1))
        out = np.empty(len(self))
        for p in range(len(self)):
            out[p] = _cone_measure(vectors[order[bounds[p]: bounds[p + 1]]])
        return out

    def _monte_carlo(self, samples: int, seed: int) -> Measures:
        rng = np.random.default_rng(seed)
        A = np.array(self.normals, dtype=float)
        counts = np.zeros(len(self), dtype=np.int64)
        done = 0
        while done < samples:
            batch = min(100_000, samples - done)
            w = rng.standard_normal((batch, self.d))
            idx = self.index((w @ A.T) > 0)
            counts += np.bincount(idx[idx >= 0], minlength=len(self))
            done += batch
        values = counts / samples
        return Measures(values, 1.96 * math.sqrt(0.25 / samples), "monte-carlo")


def _cone_measure(rays: np.ndarray) -> float:
    """Gaussian measure of the pointed cone spanned by unit rays in R^2 or R^3."""
    if rays.shape[1] == 2:
        u, v = rays[0], rays[1]
        return math.atan2(abs(u[0] * v[1] - u[1] * v[0]), float(u @ v)) / (2 * math.pi)
    centre = rays.sum(axis=0)
    centre /= np.linalg.norm(centre)
    e1 = rays[0] - (rays[0] @ centre) * centre
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(centre, e1)
    cyclic = rays[np.argsort(np.arctan2(rays @ e2, rays @ e1))]
    area = 0.0
    for j in range(1, len(cyclic) - 1):
        a, b, c = cyclic[0], cyclic[j], cyclic[j + 1]
        triple = abs(float(np.linalg.det(np.array([a, b, c]))))
        area += 2 * math.atan2(triple, 1 + a @ b + a @ c + b @ c)
    return area / (4 * math.pi)


def enumerate_chambers(X: Sequence[Sequence]) -> Arrangement:
    """All chambers of the arrangement {<x_i, w> = 0} with integer witnesses, certified complete.

    Raises InternalError when the enumeration disagrees with the Zaslavsky count or a witness fails.
    """
    X = tuple(tuple(Fraction(q) for q in row) for row in X)
    normals, row_map = hyperplanes(X)
    pivots = pivot_columns(normals) if normals else []
    essential = [tuple(a[c] for c in pivots) for a in normals]
    lat = lattice(essential)
    count = lat.region_count()
    keys, witness_e, rays, incidence = _chambers(essential, lat)
    d = len(X[0])
    witnesses = np.zeros((len(keys), d), dtype=witness_e.dtype)
    witnesses[:, pivots] = witness_e
    arrangement = Arrangement(X, normals, row_map, lat.rank, keys, witnesses, count, rays, incidence, pivots)
    if len(arrangement) != count:
        raise InternalError(f"enumeration found {len(arrangement)} chambers but the Zaslavsky count is {count}")
    _verify_witnesses(arrangement, essential, witness_e)
    return arrangement


def _verify_witnesses(arrangement: Arrangement, essential: list, witness_e: np.ndarray) -> None:
    if not essential:
        return
    E = np.array(essential, dtype=object)
    values = exact_matmul(witness_e, E.T)
    if np.any(values == 0) or np.any((values > 0) != arrangement.signs):
        raise InternalError("a chamber witness does not have its chamber's signs")


def _chambers(E: list[tuple[int, ...]], lat: Lattice):
    """Packed sorted sign keys, integer witnesses (essential coordinates), ray vectors and incidences."""
    r = lat.rank
    empty = (np.zeros(0, dtype=np.int64),) * 3
    if r == 0:
        return np.zeros((1, 0), dtype=np.uint8), np.zeros((1, 0), dtype=np.int64), np.zeros((0, 0)), empty
    if r == 1:
        keys = np.packbits(np.array([[False], [True]]), axis=1)
        return keys, np.array([[-1], [1]], dtype=np.int64), np.zeros((0, 1)), empty
    level = lat.levels[r - 1]
    flats = list(level)
    rays = np.array([level[G][0] for G in flats], dtype=object)
    values = exact_matmul(rays, np.array(E, dtype=object).T)
    packed, ray_ids, ray_signs = [], [], []
    generic = [j for j, G in enumerate(flats) if len(G) == r - 1]
    special = [j for j, G in enumerate(flats) if len(G) != r - 1]
    for start in range(0, len(generic), _RAY_CHUNK):
        chunk = np.array(generic[start: start + _RAY_CHUNK], dtype=np.int64)
        positions = np.array([sorted(flats[j]) for j in chunk], dtype=np.int64).reshape(len(chunk), r - 1)
        local = np.array(list(product([False, True], repeat=r - 1)), dtype=bool).reshape(-1, r - 1)
        _collect(values[chunk], chunk, positions, local, packed, ray_ids, ray_signs)
    for j in special:
        members = sorted(flats[j])
        local = _sign_patterns([E[i] for i in members])
        _collect(values[[j]], np.array([j]), np.array([members]), local, packed, ray_ids, ray_signs)
    all_keys = np.concatenate(packed)
    unique, inverse = np.unique(_as_keys(all_keys), return_inverse=True)
    keys = unique.view(np.uint8).reshape(len(unique), all_keys.shape[1])
    ray_ids, ray_signs = np.concatenate(ray_ids), np.concatenate(ray_signs)
    signed = rays[ray_ids] * ray_signs[:, None]
    dtype = np.int64 if _max_abs(rays) * len(ray_ids) < _INT64_SAFE else object
    witnesses = np.zeros((len(unique), r), dtype=dtype)
    np.add.at(witnesses, inverse, signed.astype(dtype))
    return np.ascontiguousarray(keys), witnesses, rays, (inverse, ray_ids, ray_signs)


def _collect(values, ray_index, positions, local, packed, ray_ids, ray_signs) -> None:
    """Candidates at rays +-v: signs of <a_i, +-v> off the flat, each local pattern on it."""
    k = len(local)
    rows = np.arange(len(ray_index) * k)[:, None]
    cols = np.repeat(positions, k, axis=0)
    patterns = np.tile(local, (len(ray_index), 1))
    for sign in (1, -1):
        cand = np.repeat(values * sign > 0, k, axis=0)
        cand[rows, cols] = patterns
        packed.append(np.packbits(cand, axis=1))
        ray_ids.append(np.repeat(ray_index, k))
        ray_signs.append(np.full(len(cand), sign, dtype=np.int64))


def _sign_patterns(normals: list[tuple[int, ...]]) -> np.ndarray:
    """Chamber sign vectors (bool) of the arrangement with these normals, without witnesses."""
    pivots = pivot_columns(normals)
    if len(pivots) == len(normals):
        return np.array(list(product([False, True], repeat=len(normals))), dtype=bool)
    essential = [tuple(a[c] for c in pivots) for a in normals]
    keys = _chambers(essential, lattice(essential))[0]
    return _unpack(keys, len(normals))


def _as_keys(packed: np.ndarray) -> np.ndarray:
    packed = np.ascontiguousarray(packed)
    return packed.view(f"V{max(packed.shape[1], 1)}").ravel() if packed.shape[1] else np.zeros(len(packed), "V1")


def _unpack(keys: np.ndarray, n: int) -> np.ndarray:
    return np.unpackbits(keys, axis=1, count=n).astype(bool) if n else np.zeros((len(keys), 0), dtype=bool)


def _sign(x) -> int:
    return (x > 0) - (x < 0)
