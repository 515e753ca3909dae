"""Lemma 2.2 (the checker's lattice work is bounded by the certificate, docs §2 and §6).

(1) A central arrangement has at least as many chambers as its intersection lattice has flats: P >= #flats.
(2) A sign vector realized by an integer witness w (sign <x_i, w> = sigma_i, 0 exactly on zero rows) is a chamber:
sigma is consistent on tied rows, 0 on zero rows, and K_sigma is non-empty.

Used by: checker.core.ChamberTable.require_complete (1: with `lattice.region_count(normals, max_flats=N)`, finding
more than N flats proves P > N, so a certificate listing N chambers is refuted after work polynomial in N);
checker.core.ChamberTable and every claim that reads a pattern through it (2).

Argument. (1) The lattice of flats is geometric, and by Rota's sign theorem its Moebius function alternates
strictly: (-1)^rank(X) mu(0, X) > 0 for every flat X, so |mu(0, X)| >= 1. Zaslavsky's theorem gives
P = sum_X (-1)^rank(X) mu(0, X) = sum_X |mu(0, X)| >= sum_X 1 = #flats. (2) w lies in the open cone
{w : sigma_i <x_i, w> > 0 for every non-zero row}, which is therefore non-empty; rows that are positive
multiples have equal signs at w and negative multiples opposite ones, so sigma is consistent.
Checked: (1) the Moebius signs and P >= #flats on every arrangement of up to 7 small integer normals in
dimension <= 3 from a fixed random family, plus degenerate ones (coplanar, braid); (2) every realized sign vector
is among the enumerated chambers, over all integer points of a box.
"""

import itertools
import random

from verifier.arrangement import enumerate_chambers
from verifier.lattice import LatticeTooLarge, essential, hyperplanes, lattice, region_count


def _families():
    rng = random.Random(0)
    for d in (2, 3):
        for n in range(1, 8):
            for _ in range(6):
                yield [[rng.randint(-2, 2) for _ in range(d)] for _ in range(n)]
    yield [[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, -1, 0], [0, 0, 1]]            # coplanar
    yield [[1, -1, 0, 0], [1, 0, -1, 0], [1, 0, 0, -1], [0, 1, -1, 0], [0, 1, 0, -1], [0, 0, 1, -1]]   # braid A3


def check_mobius_signs_alternate_and_flats_never_exceed_chambers():
    for X in _families():
        normals = hyperplanes(X)[0]
        if not normals:
            continue
        L = lattice(essential(normals))
        mu = L.mobius()
        for k, level in enumerate(L.levels):
            for G in level:
                assert (-1) ** k * mu[G] >= 1
        flats = sum(len(level) for level in L.levels)
        P = L.region_count()
        assert flats <= P
        assert region_count(normals, max_flats=P) == P
        try:
            region_count(normals, max_flats=flats - 1)
            assert False, "the flat bound must trip below the number of flats"
        except LatticeTooLarge:
            pass


def check_a_realized_sign_vector_is_an_enumerated_chamber():
    rng = random.Random(1)
    for _ in range(20):
        X = [[rng.randint(-2, 2) for _ in range(2)] for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.3:
            X.append([2 * v for v in X[0]])             # a tied row
        if rng.random() < 0.3:
            X.append([0, 0])                            # a zero row
        chambers = set(enumerate_chambers(X).patterns())
        for w in itertools.product(range(-4, 5), repeat=2):
            values = [sum(a * b for a, b in zip(x, w)) for x in X]
            if any(v == 0 and any(x) for v, x in zip(values, X)):
                continue                                # w on a hyperplane: not a witness
            label = "".join("+" if v > 0 else "-" if v < 0 else "0" for v in values)
            assert label in chambers
