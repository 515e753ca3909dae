"""The region table in compact form: sources and a cover (docs/mathematics.md §12; proofs/lemma_every_width.py).

A `regions` witness of an `every-width` certificate may list every set S of at most n signed chambers with its own
entry (the list read by `catalog.read_regions`), or, compactly, as an object

    {"sources": [entry, ...], "cover": [k_1, k_2, ...]}

Each source is an entry of the same shape (`catalog._Region`: its `patterns`, a point whose neurons lie in the
closed cones of some of them, a dual residual r and multipliers mu >= 0 proving r feasible on every one of them),
read and checked the same way, but its pattern set F is not a region: it is every signed chamber on which r is
proved feasible. `cover` names one source per set S of at most n signed chambers, in the canonical order (sizes
1, 2, ..., n; within a size `itertools.combinations` over the signed-chamber ids 2c (sign +) and 2c + 1 (sign -)).
The cover is accepted when, for every S, the source's point uses only patterns of S and S is contained in its F.
Then B <= C(S) <= U with the source's bounds: the point is feasible for S (U >= C(S)), and r is dual feasible on
every pattern of S, so its dual value B is at most C(S) (weak duality, docs §3). So the source's enclosure
||r* - r0||^2 <= 2n (U - B) holds for the optimal residual r* of S, as for a listed entry (`Lemma 8.1`).

The check costs one entry check per source and a few integer operations per set, so tables of a million sets (five
points with a bias in R^3: 1,235,993 sets) are read in seconds, and the certificate holds one entry per solve.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from itertools import combinations
from math import comb

from ..errors import CertificateMalformed, CertificateTooLarge
from .catalog import _Region, sets_of_at_most
from .core import Certificate, Reason, Refuted, get, listof

__all__ = ["CoveredRegions", "read_covered", "signed_id", "MAX_SETS", "MAX_SOURCES"]

MAX_SETS = 2_000_000        # sets of at most n signed chambers a cover may name
MAX_SOURCES = 100_000       # source entries (each checked like one region-table entry)


def signed_id(c: int, s: int) -> int:
    """The id of signed chamber (c, s): 2c for sign +, 2c + 1 for sign -."""
    return 2 * c + (s < 0)


class _View:
    """The region S read through its covering source: S's key, and the source's bounds, residual and number."""

    __slots__ = ("key", "source", "number")

    def __init__(self, key: frozenset, source: _Region, number: int):
        self.key, self.source, self.number = key, source, number

    lower = property(lambda self: self.source.lower)
    upper = property(lambda self: self.source.upper)
    r0 = property(lambda self: self.source.r0)
    rho2 = property(lambda self: self.source.rho2)


class CoveredRegions:
    """Every set S of at most m of the 2P signed chambers, each read through the source that covers it (checked on
    construction). A mapping from S (a frozenset of (chamber, sign)) to a region view with `lower`, `upper`, `r0`,
    `rho2`, `key` and `number` (the source's index: regions with one number share one enclosure)."""

    def __init__(self, sources: list[_Region], uses: list[int], feasible: list[int], cover: list[int], P: int,
                 m: int):
        self.sources, self.cover, self.P, self.m = sources, cover, P, m
        self.N = 2 * P
        self._offsets = [0]
        for k in range(1, m + 1):
            self._offsets.append(self._offsets[-1] + comb(self.N, k))
        q = 0
        for k in range(1, m + 1):
            for ids in combinations(range(self.N), k):
                j, mask = cover[q], _mask(ids)
                if uses[j] & ~mask or mask & ~feasible[j]:
                    raise Refuted(Reason.COVER, f"witnesses.regions.cover[{q}]: source {j} does not cover the set "
                                                f"{self._name(ids)} (its point uses a pattern outside the set, or "
                                                "its residual is not proved feasible on a pattern of the set)")
                q += 1

    @staticmethod
    def _name(ids) -> str:
        return "{" + ", ".join(f"{i // 2}{'-' if i % 2 else '+'}" for i in ids) + "}"

    def _rank(self, ids: tuple[int, ...]) -> int:
        """The position of the increasing ids in the canonical order."""
        k, N = len(ids), self.N
        rank, previous = self._offsets[k - 1], -1
        for position, i in enumerate(ids):
            for v in range(previous + 1, i):
                rank += comb(N - 1 - v, k - 1 - position)
            previous = i
        return rank

    def __len__(self) -> int:
        return len(self.cover)

    def get(self, key: frozenset, default=None):
        ids = tuple(sorted(signed_id(c, s) for c, s in key))
        if not ids or len(ids) > self.m or len(set(ids)) != len(ids) or ids[-1] >= self.N or ids[0] < 0:
            return default
        j = self.cover[self._rank(ids)]
        return _View(key, self.sources[j], j)

    def __getitem__(self, key: frozenset) -> _View:
        view = self.get(key)
        if view is None:
            raise KeyError(key)
        return view

    def groups(self) -> Iterator[tuple[tuple[tuple[int, int], ...], int]]:
        """(S as sorted (chamber, sign) pairs, its source's number) for every S, in the canonical order."""
        q = 0
        for k in range(1, self.m + 1):
            for ids in combinations(range(self.N), k):
                yield tuple(sorted((i // 2, -1 if i % 2 else 1) for i in ids)), self.cover[q]
                q += 1

    def bracket(self, at_most: int) -> tuple[Fraction, Fraction]:
        """(min B_S, min U_S) over the sets of at most `at_most` patterns."""
        used = {self.cover[q] for q in range(self._offsets[min(at_most, self.m)])}
        return min(self.sources[j].lower for j in used), min(self.sources[j].upper for j in used)


def read_covered(cert: Certificate, table: dict, P: int, m: int) -> CoveredRegions:
    """`witnesses.regions` in compact form (module docstring), bounded before any entry is checked."""
    where = "witnesses.regions"
    total = sets_of_at_most(2 * P, m, MAX_SETS)
    if total > MAX_SETS:
        raise CertificateTooLarge(f"{where}: more than {MAX_SETS} sets of at most {m} signed chambers")
    entries = listof(get(table, "sources", where), f"{where}.sources")
    if not entries:
        raise CertificateMalformed(f"{where}.sources: no source")
    if len(entries) > MAX_SOURCES:
        raise CertificateTooLarge(f"{where}.sources: {len(entries)} sources (at most {MAX_SOURCES} are read)")
    cover = listof(get(table, "cover", where), f"{where}.cover")
    if len(cover) != total:
        raise Refuted(Reason.COVER, f"{where}.cover names {len(cover)} sets, there are {total} sets of at most {m} "
                                    "signed chambers")
    if not all(type(j) is int and 0 <= j < len(entries) for j in cover):
        raise CertificateMalformed(f"{where}.cover: expected indices of {where}.sources")
    memo: dict = {}
    sources, uses, feasible = [], [], []
    for k, entry in enumerate(entries):
        source = _Region(cert, entry, f"{where}.sources[{k}]", memo)     # patterns and point read and checked
        uses.append(_mask(signed_id(c, s) for c, s in source.used))
        feasible.append(_mask(signed_id(c, s) for c, s in source.patterns))
        sources.append(source)
    return CoveredRegions(sources, uses, feasible, cover, P, m)


def _mask(ids) -> int:
    mask = 0
    for i in ids:
        mask |= 1 << i
    return mask
