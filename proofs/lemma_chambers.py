"""Lemmas on the arrangement (docs §2; (1) is Lemma 2.1).
(1) Zaslavsky: the number of chambers of a central arrangement is sum over flats X of (-1)^rank(X) mu(0, X);
on a Boolean interval (a flat of rank k containing exactly k hyperplanes) mu = (-1)^k.
(2) Restricting the normals to their pivot columns keeps every sign vector {sign(A w)} and every linear
dependency (the two matrices have the same column space).
(3) In general position with rank r: P = 2 sum_{k<r} C(n-1, k).
(4) For rank >= 2 every chamber closure is a pointed cone with an extreme ray on a rank-(r-1) flat, and the sum
of its extreme rays is an interior point (the enumeration's witness).

Used by: checker.enumeration.check_enumeration via lattice.region_count (1, 2), arrangement.enumerate_chambers (2, 4).
Checked: (1)+(2) and (3) against brute force over all 2^n sign vectors (linear programs on small integers),
for all n <= 8 and d <= 4 in general position (moment curve), and on degenerate arrangements.
"""

import itertools
import math

import numpy as np
from scipy.optimize import linprog

from verifier.lattice import general_position_count, hyperplanes, region_count


def brute_force_count(normals) -> int:
    A = np.array(normals, dtype=float)
    count = 0
    for signs in itertools.product([1, -1], repeat=len(A)):
        result = linprog(np.zeros(A.shape[1]), A_ub=-np.array(signs)[:, None] * A, b_ub=-np.ones(len(A)),
                         bounds=[(None, None)] * A.shape[1], method="highs")
        count += result.status == 0
    return count


def check_general_position_formula_and_zaslavsky_against_brute_force():
    for d in range(1, 5):
        for n in range(1, 9):
            normals = hyperplanes([[t**k for k in range(d)] for t in range(1, n + 1)])[0]
            if d == 1:
                normals = normals[:1]
            r = min(len(normals), d)
            expected = general_position_count(len(normals), r)
            assert region_count(normals) == expected
            assert brute_force_count(normals) == expected


def check_degenerate_arrangements_against_brute_force():
    cases = [
        [[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]],
        [[1, -1, 0, 0], [1, 0, -1, 0], [1, 0, 0, -1], [0, 1, -1, 0], [0, 1, 0, -1], [0, 0, 1, -1]],
        [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]],
        [[1, 1, 0], [1, -1, 0], [2, 0, 0], [0, 1, 0]],
    ]
    for rows in cases:
        normals = hyperplanes(rows)[0]
        assert region_count(normals) == brute_force_count(normals)


def check_braid_arrangement_is_factorial():
    for n in range(2, 6):
        rows = [[int(k == i) - int(k == j) for k in range(n)] for i, j in itertools.combinations(range(n), 2)]
        assert region_count(hyperplanes(rows)[0]) == math.factorial(n)
