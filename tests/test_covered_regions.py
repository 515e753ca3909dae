"""The compact region table of `every-width` certificates (checker.covered_regions): the canonical order and its
rank, the cover test against its set-form statement, the candidate generation against the one-by-one definition,
and the compact and the listed forms of one certificate proving the same facts."""

import copy
from itertools import combinations, product
from math import comb

import pytest
from hypothesis import given, strategies as st

from verifier import checker
from verifier.checker.core import Reason, Refuted
from verifier.checker.covered_regions import CoveredRegions, signed_id
from verifier.checker.every_width import candidates
from verifier.errors import CertificateMalformed
from verifier.every_width import build_every_width
from verifier.instance import Instance


def _canonical(N, m):
    return [ids for k in range(1, m + 1) for ids in combinations(range(N), k)]


def _table(N, m, uses, feasible, cover):
    return CoveredRegions([None] * len(uses), uses, feasible, cover, N // 2, m)


@pytest.mark.parametrize("P, m", [(1, 1), (1, 2), (2, 2), (3, 3), (4, 2), (4, 4)])
def test_rank_is_the_position_in_the_canonical_order(P, m):
    order = _canonical(2 * P, m)
    table = _table(2 * P, m, [0], [2 ** (2 * P) - 1], [0] * len(order))
    assert [table._rank(ids) for ids in order] == list(range(len(order)))
    assert len(table) == sum(comb(2 * P, k) for k in range(1, m + 1))


@given(st.integers(1, 3), st.integers(1, 3), st.data())
def test_the_cover_test_is_uses_within_the_set_within_the_feasible_patterns(P, m, data):
    """Accepted exactly when every set S lies between its source's point patterns and its feasible patterns."""
    N = 2 * P
    k = data.draw(st.integers(1, 3))
    uses = [data.draw(st.integers(0, 2**N - 1)) for _ in range(k)]
    feasible = [u | data.draw(st.integers(0, 2**N - 1)) for u in uses]
    order = _canonical(N, m)
    cover = [data.draw(st.integers(0, k - 1)) for _ in order]

    def members(mask):
        return {i for i in range(N) if mask >> i & 1}

    expected = all(members(uses[j]) <= set(ids) <= members(feasible[j]) for ids, j in zip(order, cover))
    try:
        _table(N, m, uses, feasible, cover)
        accepted = True
    except Refuted as exc:
        assert exc.reason is Reason.COVER
        accepted = False
    assert accepted == expected


def _reference_candidates(keys, into, passes, bound):
    """The definition one set at a time: T (every face passing, at most `bound`) with a map onto the region S that
    puts each face below its chamber."""
    found = set()
    for patterns, ball in keys:
        options = sorted({t for p in patterns for t in into[p] if passes(ball, t)})
        for size in range(len(patterns), bound + 1):
            for T in combinations(options, size):
                if any(set(choice) == set(patterns)
                       for choice in product(*([p for p in patterns if t in into[p]] for t in T))):
                    found.add(T)
    return found


@given(st.data())
def test_candidates_equal_the_definition(data):
    chambers = data.draw(st.integers(1, 4))
    faces = data.draw(st.integers(1, 7))
    signed = [(c, s) for c in range(chambers) for s in (1, -1)]
    into = {p: sorted(data.draw(st.sets(st.integers(0, faces - 1), max_size=faces))) for p in signed}
    bound = data.draw(st.integers(1, 4))
    balls = data.draw(st.integers(1, 3))
    excluded = data.draw(st.sets(st.tuples(st.integers(0, balls - 1), st.integers(0, faces - 1))))
    keys = [(tuple(sorted(S)), data.draw(st.integers(0, balls - 1)))
            for k in range(1, min(bound, len(signed)) + 1) for S in combinations(signed, k)]

    def passes(ball, t):
        return (ball, t) not in excluded

    assert candidates(keys, into, passes, bound) == _reference_candidates(keys, into, passes, bound)


# --- one certificate, two forms ------------------------------------------------------------------------------

_DOCUMENTS: dict = {}


def _document(name):
    if name not in _DOCUMENTS:
        instance = {"1-D": Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"),
                    "planar bias": Instance.from_arrays([[2, 1], [-1, 3]], [1, -1], "1/20", bias=True)}[name]
        result = build_every_width(instance)
        assert result.certified
        _DOCUMENTS[name] = result.document
    return copy.deepcopy(_DOCUMENTS[name])


def _chambers(document):
    return checker.check(document).facts["chambers"]


def _listed(document):
    """The same certificate with its region table listed set by set (the form `catalog` certificates use)."""
    table = document["witnesses"]["regions"]
    sources, cover = table["sources"], table["cover"]
    N = 2 * _chambers(document)
    entries = []
    for ids, j in zip(_canonical(N, document["claim"]["bound"]), cover):
        source = sources[j]
        position = {signed_id(c, s): q for q, (c, s) in enumerate(source["patterns"])}
        used = {signed_id(*source["patterns"][item["k"]]): item for item in source["primal"]}
        entries.append({"patterns": [[i // 2, -1 if i % 2 else 1] for i in ids],
                        "primal": [dict(used[i], k=q) for q, i in enumerate(ids) if i in used],
                        "r": source["r"], "mu": [source["mu"][position[i]] for i in ids]})
    document["witnesses"]["regions"] = entries
    return document


@pytest.mark.parametrize("name", ["1-D", "planar bias"])
def test_the_compact_and_the_listed_forms_prove_the_same_facts(name):
    compact = _document(name)
    assert isinstance(compact["witnesses"]["regions"], dict)
    assert len(compact["witnesses"]["regions"]["sources"]) < len(compact["witnesses"]["regions"]["cover"])
    first, second = checker.check(compact), checker.check(_listed(compact))
    assert first.proved and second.proved
    assert first.facts == second.facts


@pytest.mark.parametrize("name", ["1-D", "planar bias"])
def test_a_cover_naming_a_source_that_does_not_cover_the_set_is_refuted(name):
    document = _document(name)
    table = document["witnesses"]["regions"]
    wrong = 0
    for q, j in enumerate(table["cover"]):
        for k, source in enumerate(table["sources"]):
            if k != j:
                mutant = copy.deepcopy(document)
                mutant["witnesses"]["regions"]["cover"][q] = k
                result = checker.check(mutant)
                if not result.proved:
                    assert result.reasons == [Reason.COVER]
                    wrong += 1
    assert wrong > 0


def test_a_pattern_dropped_from_a_source_uncovers_the_sets_that_need_it():
    document = _document("1-D")
    table = document["witnesses"]["regions"]
    k = max(range(len(table["sources"])), key=lambda k: len(table["sources"][k]["patterns"]))
    source = table["sources"][k]
    unused = [q for q in range(len(source["patterns"])) if q not in {item["k"] for item in source["primal"]}]
    q = unused[0]
    del source["patterns"][q], source["mu"][q]
    for item in source["primal"]:
        item["k"] -= item["k"] > q
    result = checker.check(document)
    assert not result.proved and result.reasons == [Reason.COVER]


def test_a_cover_of_the_wrong_length_is_refuted():
    document = _document("1-D")
    document["witnesses"]["regions"]["cover"].pop()
    result = checker.check(document)
    assert not result.proved and result.reasons == [Reason.COVER]


@pytest.mark.parametrize("cover", [["0"], [-1], [10**6], [0.0]])
def test_a_cover_that_is_not_source_indices_is_malformed(cover):
    document = _document("1-D")
    document["witnesses"]["regions"]["cover"] = cover * len(document["witnesses"]["regions"]["cover"])
    with pytest.raises(CertificateMalformed):
        checker.check(document)
