"""Product faces and the regions around them (docs/mathematics.md §8).

A width-m network in balanced form puts each non-zero neuron u_j (sign s_j) in one signed face (F_tau, s_j), tau in
{+, 0, -}^n; neurons are interchangeable, so a product face F = (F_1, s_1) x ... x (F_m, s_m) is a multiset of m
signed non-zero faces. A region around F puts neuron j in a chamber c_j whose closure contains F_j (a `choice`
(c_1, ..., c_m)); its set S of signed chambers is a key of the region table. By Lemma 8.1 a local minimum in relint F
has loss C(S) for every region S around F, so F is settled by look-ups over those regions.

`ProductFaces.walk` visits the multisets in the order of `combinations_with_replacement` over the signed faces
(face order of the face table, sign + before -), the order of the `catalog` certificate's records; the regions
reachable from a prefix of the multiset are shared along its depth-first walk, so a product face costs a look-up
per distinct region around it.
"""

from __future__ import annotations

from itertools import product as cartesian
from math import comb
from typing import Callable, Sequence

from .checker.catalog import product_name
from .faces import Faces, enumerate_faces
from .instance import Instance

__all__ = ["ProductFaces", "Reach"]

Reach = dict[frozenset, tuple[int, ...]]     # the regions around a product face: key S -> the choice that reaches it


class ProductFaces:
    """The signed non-zero faces (F, s) of the arrangement of the rows of X (`signed`, indexed by t), the chambers
    around each face (`around`, indices into `chamber_labels`), and the product faces of `width` of them."""

    def __init__(self, instance: Instance, chamber_labels: Sequence[str], width: int):
        self.instance = instance
        self.m = width
        self.chamber_labels = list(chamber_labels)
        self.faces: Faces = enumerate_faces(instance.X)
        self.signed: list[tuple[int, int]] = [(f, s) for f in self.faces.nonzero for s in (1, -1)]
        self.around: list[list[int]] = self.faces.chambers_around(self.chamber_labels)

    @property
    def total(self) -> int:
        """The number of product faces: multisets of m signed non-zero faces."""
        return comb(len(self.signed) + self.m - 1, self.m)

    def labelled(self, product: Sequence[int]) -> list[tuple[str, int]]:
        """The signed faces of a product face (or a set of faces) as (sign vector, sign)."""
        return [(self.faces.labels[self.signed[t][0]], self.signed[t][1]) for t in product]

    def name(self, product: Sequence[int]) -> str:
        return product_name(self.labelled(product))

    def pattern(self, chamber: int, t: int) -> int:
        """The signed-chamber id (2c for sign +, 2c + 1 for sign -) of `chamber` under signed face t."""
        return 2 * chamber + (self.signed[t][1] < 0)

    def key(self, product: Sequence[int], choice: Sequence[int]) -> frozenset:
        """The region-table key of the region that puts face j of `product` in chamber choice[j]."""
        return frozenset(self.pattern(c, t) for c, t in zip(choice, product))

    def reach(self, product: Sequence[int]) -> Reach:
        """Every region around `product`: key -> the (first) chamber choice under each face that gives it."""
        out: Reach = {}
        for choice in cartesian(*(self.around[self.signed[t][0]] for t in product)):
            out.setdefault(self.key(product, choice), choice)
        return out

    def into(self, patterns: int) -> dict[int, list[int]]:
        """For each of the `patterns` signed-chamber ids, the signed faces t below it (same sign)."""
        out: dict[int, list[int]] = {p: [] for p in range(patterns)}
        for t, (f, _) in enumerate(self.signed):
            for c in self.around[f]:
                out[self.pattern(c, t)].append(t)
        return out

    def walk(self, visit: Callable[[tuple[int, ...], Reach], bool]) -> None:
        """visit(product, reach) for every product face in order, with the regions around it, until visit returns
        False."""
        stack: list[int] = []

        def walk(start: int, reach: Reach) -> bool:
            if len(stack) == self.m:
                return visit(tuple(stack), reach)
            for t in range(start, len(self.signed)):
                f, s = self.signed[t]
                nxt: Reach = {}
                for key, choice in reach.items():
                    for c in self.around[f]:
                        nxt.setdefault(key | {2 * c + (s < 0)}, choice + (c,))    # `pattern`, inlined
                stack.append(t)
                going = walk(t, nxt)
                stack.pop()
                if not going:
                    return False
            return True

        walk(0, {frozenset(): ()})
