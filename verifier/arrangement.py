"""Chambers of the central arrangement of the data hyperplanes (docs §2).

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
from scipy import sparse

from .errors import InputError, InternalError
from .lattice import Lattice, LatticeTooLarge, general_position_count, hyperplanes, lattice, pivot_columns

__all__ = ["Arrangement", "Measures", "enumerate_chambers", "exact_signs", "chamber_bounds", "MAX_SIGNS", "MAX_FLATS"]

MAX_SIGNS = 50_000_000   # chambers x hyperplanes an enumeration holds (6 MB of sign bits; 40 points in R^5: 7.4e6)
MAX_FLATS = 200_000      # flats of the intersection lattice built to count them (40 points in R^5: 102,092)
_INT64_SAFE = 2**62
_LIMB = 31            # limbs of 31 bits: a limb times an entry below 2^30, summed, stays below 2^62


def exact_signs(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """sign(A @ B) (int8) for integer matrices of any size, exactly.

    int64 when |A| |B| inner < 2^62 proves there is no overflow. Otherwise A is split into 31-bit limbs,
    A = sum_t L_t 2^(31 t) + Q 2^(31 T) with 0 <= L_t < 2^31 and |Q| < 2^31, each L_t @ B is exact in int64
    (when |B| inner < 2^30), and the carries are propagated exactly: the sum of the remainders lies in
    [0, 2^(31 T)), so the sign is that of the final carry, or + if it is 0 and some remainder is not.
    Object (Python int) arithmetic when B is larger still."""
    inner = max(A.shape[1], 1)
    a, b = _max_abs(A), _max_abs(B)
    if a * b * inner < _INT64_SAFE:
        return np.sign(A.astype(np.int64) @ B.astype(np.int64)).astype(np.int8)
    if b * inner >= 2**30:
        return np.sign(A.astype(object) @ B.astype(object)).astype(np.int8)
    B = B.astype(np.int64)
    *limbs, top = _limbs(A)
    carry = np.zeros((A.shape[0], B.shape[1]), dtype=np.int64)
    remainder = np.zeros(carry.shape, dtype=bool)
    for L in limbs:
        total = L @ B + carry
        remainder |= (total & (2**_LIMB - 1)) != 0
        carry = total >> _LIMB
    carry += top @ B
    return np.where(carry != 0, np.sign(carry), remainder).astype(np.int8)


def _limbs(A: np.ndarray) -> list[np.ndarray]:
    """int64 arrays L_0, ..., L_{T-1}, Q with A = sum_t L_t 2^(31 t) + Q 2^(31 T), 0 <= L_t < 2^31, |Q| < 2^31."""
    rest, limbs = A.astype(object), []
    while _max_abs(rest) >= 2**_LIMB:
        limbs.append((rest & (2**_LIMB - 1)).astype(np.int64))
        rest = rest >> _LIMB
    return limbs + [rest.astype(np.int64)]


def _max_abs(M: np.ndarray) -> int:
    return int(np.abs(M).max()) if M.size else 0


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
    `verifier.chambers` returns it as a `views.Arrangement`, whose `plot()` draws it.
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
    limit = MAX_SIGNS // max(1, len(normals))     # chambers, so that chambers x hyperplanes <= MAX_SIGNS
    least, most = chamber_bounds(len(normals), len(pivots))
    if least > limit:
        raise _too_large(len(normals), f"at least {least}")
    try:   # flats <= chambers (proofs/lemma_flats_bound.py); no limit needed when `most` is within it
        lat = lattice(essential, max_flats=None if most <= min(limit, MAX_FLATS) else min(limit, MAX_FLATS))
    except LatticeTooLarge:
        raise _too_large(len(normals), f"more than {min(limit, MAX_FLATS)}") from None
    count = lat.region_count()
    if count > limit:
        raise _too_large(len(normals), str(count))
    keys, witness_e, rays, incidence = _chambers(essential, lat)
    d = len(X[0])
    witnesses = np.zeros((len(keys), d), dtype=witness_e.dtype)
    witnesses[:, pivots] = witness_e
    arrangement = Arrangement(X, normals, row_map, lat.rank, keys, witnesses, count, rays, incidence, pivots)
    if len(arrangement) != count:
        raise InternalError(f"enumeration found {len(arrangement)} chambers but the Zaslavsky count is {count}")
    _verify_witnesses(arrangement, essential, witness_e)
    return arrangement


def chamber_bounds(hyperplanes: int, rank: int) -> tuple[int, int]:
    """Bounds on the chambers of a central arrangement of `hyperplanes` distinct hyperplanes of rank r, from n
    and r alone: at least 2^(r-1) (n - r + 2) (r independent hyperplanes give 2^r; each further one keeps the
    rank and adds the chambers of its restriction, a rank r - 1 arrangement, so >= 2^(r-1)), at most
    2 sum_{k<r} C(n-1, k) (general position, Zaslavsky).

    >>> chamber_bounds(3, 2), chamber_bounds(4, 3), chamber_bounds(1, 1), chamber_bounds(0, 0)
    ((6, 6), (12, 14), (2, 2), (1, 1))
    """
    if rank == 0:
        return 1, 1
    return 2 ** (rank - 1) * (hyperplanes - rank + 2), general_position_count(hyperplanes, rank)


def _too_large(hyperplanes: int, chambers: str) -> InputError:
    return InputError("X", f"its arrangement has {hyperplanes} distinct hyperplanes and {chambers} chambers: more "
                           f"than the limits of an exact enumeration ({MAX_SIGNS} chamber signs, chambers x "
                           f"hyperplanes; {MAX_FLATS} flats)")


def _verify_witnesses(arrangement: Arrangement, essential: list, witness_e: np.ndarray) -> None:
    if not essential:
        return
    signs = exact_signs(witness_e, _integer_array(essential).T)
    if np.any(signs == 0) or np.any((signs > 0) != arrangement.signs):
        raise InternalError("a chamber witness does not have its chamber's signs")


def _chambers(E: list[tuple[int, ...]], lat: Lattice):
    """Packed sorted sign keys, integer witnesses (essential coordinates), ray vectors and incidences.

    Sign vectors are held as rows of 64-bit words (hyperplane h at bit 63 - h mod 64 of word h // 64, so
    that the words' big-endian bytes are numpy's packbits), one row per chamber-ray incidence."""
    r = lat.rank
    empty = (np.zeros(0, dtype=np.int64),) * 3
    if r == 0:
        return np.zeros((1, 0), dtype=np.uint8), np.zeros((1, 0), dtype=np.int64), np.zeros((0, 0)), empty
    if r == 1:
        keys = np.packbits(np.array([[False], [True]]), axis=1)
        return keys, np.array([[-1], [1]], dtype=np.int64), np.zeros((0, 1)), empty
    level = lat.levels[r - 1]
    flats = list(level)
    rays = _integer_array([level[G][0] for G in flats])
    signs = exact_signs(rays, _integer_array(E).T)         # sign <a_i, v>: 0 exactly on the ray's hyperplanes
    bits = _words(np.eye(len(E), dtype=bool))               # hyperplane h alone
    generic = np.flatnonzero([G.bit_count() == r - 1 for G in flats])
    positions = np.nonzero(signs[generic] == 0)[1].reshape(len(generic), r - 1)
    local = np.zeros((len(generic), 1, bits.shape[1]), dtype=np.uint64)
    for b in range(r - 1):                                  # every pattern on the ray's r - 1 hyperplanes
        local = np.concatenate([local, local | bits[positions[:, b]][:, None, :]], axis=1)
    keys, ray_ids, ray_signs = [], [], []
    for j, local_words in [(generic, local)] + [(np.array([j]), _special(signs[j], E)) for j, G in
                                                 enumerate(flats) if G.bit_count() != r - 1]:
        for sign in (1, -1):
            base = _words(signs[j] == sign)
            keys.append((base[:, None, :] | local_words).reshape(-1, bits.shape[1]))
            ray_ids.append(np.repeat(j, local_words.shape[1]))
            ray_signs.append(np.full(len(keys[-1]), sign, dtype=np.int64))
    keys = np.concatenate(keys)
    order = _sorting_order(keys, len(E))
    keys, ray_ids, ray_signs = keys[order], np.concatenate(ray_ids)[order], np.concatenate(ray_signs)[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = np.any(keys[1:] != keys[:-1], axis=1)
    starts = np.flatnonzero(first)
    packed = keys[starts].astype(">u8").view(np.uint8).reshape(len(starts), -1)[:, : (len(E) + 7) // 8]
    witnesses = _signed_sums(rays, ray_ids, ray_signs, starts)
    return np.ascontiguousarray(packed), witnesses, rays, (np.cumsum(first) - 1, ray_ids, ray_signs)


def _special(signs: np.ndarray, E: list[tuple[int, ...]]) -> np.ndarray:
    """(1, k, W) words of the chambers of the localization at a ray lying on more than r - 1 hyperplanes."""
    on = np.flatnonzero(signs == 0)
    local = _sign_patterns([E[i] for i in on])
    patterns = np.zeros((len(local), len(E)), dtype=bool)
    patterns[:, on] = local
    return _words(patterns)[None]


def _words(signs: np.ndarray) -> np.ndarray:
    """(k, W) uint64 words of a (k, n) bool matrix (bit 63 - h mod 64 of word h // 64 for column h)."""
    width = -(-signs.shape[1] // 64) * 64 or 64
    padded = np.zeros((len(signs), width), dtype=bool)
    padded[:, : signs.shape[1]] = signs
    return np.packbits(padded, axis=1).view(">u8").astype(np.uint64)


def _sorting_order(keys: np.ndarray, n: int) -> np.ndarray:
    """The permutation sorting the rows of a (N, W) word matrix over n hyperplanes (big-endian bytes' order).

    With one word and N <= 2^(64 - n), the row index fits in the word's unused low bits: one plain sort of
    key | index (several times faster than an argsort)."""
    free = 64 * keys.shape[1] - n
    if keys.shape[1] == 1 and len(keys) <= 1 << free:
        tagged = np.sort(keys[:, 0] | np.arange(len(keys), dtype=np.uint64))
        return (tagged & np.uint64((1 << free) - 1)).astype(np.int64)
    return np.argsort(keys[:, 0]) if keys.shape[1] == 1 else np.lexsort(keys.T[::-1])


def _signed_sums(rays: np.ndarray, ray_ids: np.ndarray, ray_signs: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per chamber (its incidences (ray v, sign s) consecutive from `starts`), the sum of s v: an integer
    interior point, as a sparse (chambers x rays) matrix of signs times the rays. int64 when |v| times the
    largest number of incidences of a chamber is below 2^62; otherwise the sums of the 31-bit limbs of v,
    recombined in Python integers."""
    bounds = np.append(starts, len(ray_ids))
    incidence = sparse.csr_matrix((ray_signs, ray_ids, bounds), shape=(len(starts), len(rays)))
    if _max_abs(rays) * int(np.diff(bounds).max()) < _INT64_SAFE:
        return incidence @ rays.astype(np.int64)
    total = np.zeros((len(starts), rays.shape[1]), dtype=object)
    for t, L in enumerate(_limbs(rays)):
        total += (incidence @ L).astype(object) << (_LIMB * t)
    return total


def _integer_array(rows) -> np.ndarray:
    """A 2-D array of Python integers: int64 when every entry fits comfortably, object otherwise."""
    M = np.array(rows, dtype=object)
    return M.astype(np.int64) if _max_abs(M) < _INT64_SAFE else M


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
