"""The catalog of width-m local minima (docs §8): the worked example exactly, benign instances, agreement with the
interior certificate and with gradient descent, checkpoints, and mutations of a catalog certificate."""

import copy
import json
from fractions import Fraction
from itertools import combinations_with_replacement
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import checker
from verifier.catalog import Settings, build_catalog
from verifier.errors import InputError
from verifier.instance import Instance
from verifier.endpoints import classify_endpoint, identify_face
from verifier.landscape import certify_region_minimum
from verifier.network import train
from verifier.strategies import tiny_instances

ONE_D = Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], Fraction(1, 8))
CORPUS = Path(__file__).parent / "certificates" / "correct"


def _values(catalog):
    return sorted(Fraction(v) for entry in catalog.spurious for v in set(entry["value"]))


def test_worked_example_width_1():
    catalog = build_catalog(ONE_D, 1)
    assert catalog.verdict == "spurious-local-minima" and catalog.certified
    assert catalog.lstar == (Fraction(11, 64), Fraction(11, 64))
    assert _values(catalog) == [Fraction(19, 64)]
    assert catalog.counts["u"] == 0 and sum(catalog.counts.values()) == catalog.product_faces == 4
    assert [entry["strict"] for entry in catalog.spurious] == ["strict"]
    # one face holds the global minimum (rule g, certified), one the spurious one: favourability 1/2, certified
    assert catalog.counts["g"] == 1 and catalog.favourability["spurious_by_count_exact"] == ["1/2", "1/2"]
    # "global" means within epsilon of L*_m, and the checker's facts say which epsilon
    facts = checker.check(catalog.document).facts
    assert Fraction(facts["favourability"]["global_within"]) == Fraction(facts["epsilon"]) == catalog.epsilon
    assert catalog.favourability["global_within"] == facts["favourability"]["global_within"]


@pytest.mark.parametrize("data,width", [
    ({"X": [[-1], [1]], "y": [1, "1/2"], "lambda": "1/8"}, 3),
    ({"X": [[1, 0], [0, 1]], "y": [1, -1], "lambda": "1/20"}, 2),
    ({"X": [[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]], "y": [1, -1, 2, "1/2", -2], "lambda": "1/50"}, 1),
])
def test_favourability_interval_contains_the_closed_value(data, width):
    """Without existence certificates on the rule-(a) faces the favourability by count is an interval; with them it
    closes, and the exact value lies in the interval (two computations, each accepted by the checker)."""
    instance = Instance.from_dict(data)
    closed = build_catalog(instance, width)
    open_ = build_catalog(instance, width, Settings(global_certificates=0))
    assert closed.certified and open_.certified and closed.verdict == open_.verdict
    exact = [Fraction(x) for x in closed.favourability["spurious_by_count_exact"]]
    low, high = (Fraction(x) for x in open_.favourability["spurious_by_count_exact"])
    assert exact[0] == exact[1] and low <= exact[0] <= high
    assert open_.counts["g"] == 0 and open_.counts["a"] > 0 and closed.counts["a"] == 0


def test_worked_example_width_2():
    catalog = build_catalog(ONE_D, 2)
    assert catalog.verdict == "spurious-local-minima" and catalog.certified
    assert catalog.lstar == (Fraction(5, 32), Fraction(5, 32))
    assert _values(catalog) == [Fraction(11, 64), Fraction(19, 64)]
    assert [entry["strict"] for entry in catalog.spurious] == ["non-strict", "non-strict"]
    assert all(entry["face"].count(" x ") == 1 and len(set(entry["face"].split(" x "))) == 1
               for entry in catalog.spurious)          # both neurons in one signed chamber: a valley
    assert catalog.counts["u"] == 0 and catalog.product_faces == 10
    # one product face holds the global minimum (a neuron on each side), two hold spurious ones; every chamber has
    # Gaussian measure 1/2, so each signed pattern 1/4 and each spurious valley's closure is hit with probability 1/16
    assert catalog.favourability["global_product_faces"] == 1
    assert catalog.favourability["spurious_by_count"] == pytest.approx(2 / 3)
    assert [entry["probability"] for entry in catalog.spurious] == pytest.approx([1 / 16, 1 / 16])


@pytest.mark.parametrize("data,width", [
    ({"X": [[1]], "y": [1], "lambda": "1/10"}, 3),                        # a single data point
    ({"X": [[1, 2]], "y": [-1], "lambda": "1/10"}, 2),
    ({"X": [[1, 0], [1, 1], [0, 1]], "y": [1, 2, 1], "lambda": "1/10"}, 2),   # three points in the plane
    ({"X": [[1, 0], [0, 1]], "y": [1, -1], "lambda": "1/20"}, 1),          # orthogonal, one label of each sign
])
def test_benign_instances(data, width):
    catalog = build_catalog(Instance.from_dict(data), width)
    assert catalog.verdict == "benign" and catalog.certified and not catalog.spurious and not catalog.undecided
    facts = checker.check(catalog.document).facts
    assert facts["verdict"] == "benign" and "every local minimum" in facts["statement"]


def test_benign_grows_spurious_with_width():
    """Orthogonal data with labels of both signs: benign at width 1, spurious at width 2 (both neurons on one
    group: the width-1 optimum, now above L*_2)."""
    instance = Instance.from_dict({"X": [[1, 0], [0, 1]], "y": [1, -1], "lambda": "1/20"})
    one, two = build_catalog(instance, 1), build_catalog(instance, 2)
    assert one.verdict == "benign" and two.verdict == "spurious-local-minima"
    assert Fraction(119, 400) in _values(two) and two.lstar[1] < Fraction(119, 400) == one.lstar[0]


def _faces(catalog):
    return {entry["face"] for entry in catalog.spurious}


def _name(instance, patterns, zero_rows=None):
    zero_rows = zero_rows or {}
    parts = []
    for j, p in enumerate(patterns):
        label = "".join("0" if i in zero_rows.get(j, ()) else c for i, c in enumerate(p.label))
        parts.append(f"{label}:{'+' if p.s > 0 else '-'}")
    return parts


@settings(max_examples=6)
@given(tiny_instances())
def test_interior_certificates_agree_with_the_catalog(instance):
    """Every region whose interior certificate proves a spurious local minimum is in the catalog (two independent
    computations: facet programs versus table look-ups and enclosures)."""
    m = instance.width
    catalog = build_catalog(instance, m)
    assert catalog.certified
    from verifier.landscape import Context
    context = Context(instance, m)
    context._width_bounds = None
    names = {" x ".join(sorted(face.split(" x "))) for face in _faces(catalog)}
    for region in combinations_with_replacement(context.patterns, m):
        result = certify_region_minimum(context, list(region))
        if result.verdict == "spurious-local-minimum" and result.certified:
            assert " x ".join(sorted(_name(instance, region))) in names


@settings(max_examples=5)
@given(tiny_instances(d=st.just(2)), st.integers(0, 10**6))
def test_gradient_descent_minima_are_in_the_catalog(instance, seed):
    """Each gradient-descent endpoint certified as a spurious local minimum (docs §5 at the stationary point near it)
    lies in a product face of the catalog with its value in the entry's bracket; a benign catalog never meets one."""
    m = instance.width
    catalog = build_catalog(instance, m)
    assert catalog.certified
    from verifier.landscape import Context
    context = Context(instance, m)
    entries = {" x ".join(sorted(e["face"].split(" x "))): e for e in catalog.spurious}
    for run in range(4):
        a, W = train(instance, m, 1.0, seed + run, 4000, 0.05).final
        result = classify_endpoint(context, a, W)
        if result.verdict != "near-spurious-local-minimum" or not result.certified:
            continue
        assert catalog.verdict == "spurious-local-minima"
        face = identify_face(instance, a, W)
        assert not face.dead
        parts = []
        for (pattern, rows), members in zip(face.faces, face.members):
            parts += _name(instance, [pattern], {0: rows}) * len(members)
        name = " x ".join(sorted(parts))
        assert name in entries
        low, high = (Fraction(v) for v in entries[name]["value"])
        value_low, value_high = result.details["value"]
        assert value_low <= high and low <= value_high


def test_checkpoint_resumes_and_refuses_another_instance(tmp_path):
    checkpoint = tmp_path / "catalog.jsonl"
    first = build_catalog(ONE_D, 2, checkpoint=checkpoint)
    lines = checkpoint.read_text().splitlines()
    records = [json.loads(line) for line in lines[1:]]   # after the digest: the solves of the 4 + 6 sets
    solves = [r for r in records if not r["precise"]]
    assert [len(r["ids"]) for r in solves[:4]] == [1] * 4 and all(len(r["ids"]) == 2 for r in solves[4:])
    assert len(solves) < 10                 # the inherited sets are not journaled: a resumed run derives them
    refined = records[len(solves):]         # the entries near L*_m, again at full digits
    assert refined and all(r["precise"] for r in refined)
    assert min(Fraction(r["upper"]) for r in refined) == min(Fraction(r["upper"]) for r in records) == first.lstar[1]
    cut = len(lines) // 2
    checkpoint.write_text("\n".join(lines[:cut]) + "\n" + lines[cut][:20])      # interrupted mid-line
    again = build_catalog(ONE_D, 2, checkpoint=checkpoint)
    assert again.verdict == first.verdict and _values(again) == _values(first)
    other = Instance.from_arrays([[-1], [1]], [1, Fraction(1, 3)], Fraction(1, 8))
    with pytest.raises(InputError):
        build_catalog(other, 2, checkpoint=checkpoint)


@pytest.mark.parametrize("instance, width", [
    (ONE_D, 3), (Instance.from_arrays([[1, 0], [0, 1]], [1, -1], Fraction(1, 20)), 2),
    (Instance.from_arrays([[1, 0], [0, 1]], [1, -1], Fraction(1, 20)), 4),
    (Instance.from_arrays([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, -1, 2], Fraction(1, 20)), 2)])   # irrational L*_2
def test_float_first_table_decides_as_a_full_precision_table(instance, width, monkeypatch):
    """The table certified at float precision first (then refined where a decision needs it) and the table certified
    at full digits throughout give the same catalog: verdict, rule counts, spurious entries, L*_m and epsilon."""
    import verifier.catalog as catalog_module

    float_first = build_catalog(instance, width)
    monkeypatch.setattr(catalog_module, "FLOAT_DIGITS", Settings().digits)
    full = build_catalog(instance, width)
    assert float_first.certified and full.certified
    assert (float_first.verdict, float_first.counts, float_first.lstar, float_first.epsilon) == \
        (full.verdict, full.counts, full.lstar, full.epsilon)
    assert [(e["face"], e["value"], e["strict"]) for e in float_first.spurious] == \
        [(e["face"], e["value"], e["strict"]) for e in full.spurious]
    assert float_first.lstar[1] - float_first.lstar[0] < Fraction(1, 10**20)   # L*_m at full digits, not ~1e-13
    regions = float_first.document["witnesses"]["regions"]
    assert len(regions) == len(full.document["witnesses"]["regions"])


def test_first_and_budget():
    first = build_catalog(ONE_D, 2, Settings(first=True))
    assert first.verdict == "spurious-local-minima" and first.certified
    assert first.document["claim"]["type"] == "region-local-minimum" and len(first.spurious) == 1
    assert not first.complete and first.lstar is None       # only the minimum's certificate was checked
    out_of_time = build_catalog(ONE_D, 2, Settings(budget=1e-9))
    assert out_of_time.verdict == "undecided" and out_of_time.undecided and not out_of_time.certified
    assert out_of_time.lstar is None and out_of_time.epsilon is None and not out_of_time.complete
    assert out_of_time.open_faces == out_of_time.product_faces


DEPENDENT = Instance.from_dict({"X": [[2, 3, 2], [2, 3, 4], [-2, -3, 3], [2, 5, 4], [-3, -4, 2]],
                                "y": [-1, -2, -3, 1, 3], "lambda": "1/20"})


def test_dependent_zero_rows_are_settled():
    """Issue 21: the product face --0-+:+ x 000++:+ puts a neuron on the ray where three rows of rank 2 vanish. Its
    face certificate proves the multipliers on a basis of those rows per chamber, so the width-2 catalog is complete
    (it had this face undecided), and an independent float search finds no descent near the new minimum."""
    import numpy as np

    from verifier.network import loss_and_gradient

    catalog = build_catalog(DEPENDENT, 2)
    assert catalog.certified and catalog.complete and catalog.counts["u"] == 0 and catalog.open_faces == 0
    assert catalog.verdict == "spurious-local-minima" and len(catalog.spurious) == 8
    facts = checker.check(catalog.document).facts
    assert facts["complete"] is True and "are all there are" in facts["statement"]
    face = "--0-+:+ x 000++:+"
    (entry,) = [e for e in facts["spurious"] if e["face"] == face]
    low, high = (Fraction(v) for v in entry["value"])
    assert low > catalog.lstar[1]
    (minimum,) = [m for m in catalog.document["witnesses"]["minima"]
                  if [r["zero_rows"] for r in m["claim"]["region"]] == [[2], [0, 1, 2]]]
    points = minimum["witnesses"]["interior"]
    U = np.array([[float(Fraction(x)) for x in p["u"]] for p in points])
    scale = np.sqrt(np.linalg.norm(U, axis=1))
    a, W = np.array([p["sign"] for p in points]) * scale, U / scale[:, None]
    assert abs(loss_and_gradient(DEPENDENT, a, W)[0] - float(high)) < 1e-9
    rng = np.random.default_rng(0)
    for step in (1e-2, 1e-3, 1e-4):        # random steps never go below the certified value
        for _ in range(300):
            da, dW = rng.normal(size=a.shape), rng.normal(size=W.shape)
            norm = np.sqrt(da @ da + np.sum(dW * dW))
            assert loss_and_gradient(DEPENDENT, a + step * da / norm, W + step * dW / norm)[0] >= float(low) - 1e-12


def test_tied_rows_catalog_is_complete():
    """Two tied rows (x_1 = 2 x_0) vanish together on every face that kills one: the width-1 catalog settles those
    faces with face certificates on dependent kink rows (the corpus keeps this certificate)."""
    instance = Instance.from_dict({"X": [[1, 1, 0], [2, 2, 0], [0, 1, 1], [1, 0, -1], [1, 2, 1]],
                                   "y": [1, -1, 2, 1, -2], "lambda": "1/20"})
    catalog = build_catalog(instance, 1)
    assert catalog.certified and catalog.complete and catalog.counts["u"] == 0
    assert "00-+-:+" in {entry["face"] for entry in catalog.spurious}
    corpus = json.loads((CORPUS / "catalog-tied-rows-width-1.json").read_text())
    assert checker.check(corpus).facts["spurious"] == checker.check(catalog.document).facts["spurious"]


def test_checker_facts_say_when_a_catalog_is_incomplete():
    """An undecided face in a spurious-local-minima certificate: still proved (the entries exist), but the facts say
    complete false and the statement says 'catalog incomplete'."""
    document = copy.deepcopy(GOOD)
    records = document["witnesses"]["settled"]
    k = next(t for t, r in enumerate(records) if r[0] in "bcd")
    records[k] = ["u", "left undecided"]
    facts = checker.check(document).facts
    assert facts["verdict"] == "spurious-local-minima" and facts["complete"] is False
    assert facts["statement"].endswith("catalog incomplete: 1 of 10 product faces undecided, so other spurious "
                                       "local minima may lie there")
    assert checker.check(GOOD).facts["complete"] is True


GOOD = json.loads((CORPUS / "catalog-spurious-1d-width-2.json").read_text())


@given(st.data())
def test_mutated_catalogs_never_prove_another_verdict(data):
    """A changed number in the region table or a changed chamber choice: refuted, or the same true verdict."""
    document = copy.deepcopy(GOOD)
    regions = document["witnesses"]["regions"]
    entry = regions[data.draw(st.integers(0, len(regions) - 1))]
    field = data.draw(st.sampled_from(["r", "u", "choice"]))
    if field == "r":
        k = data.draw(st.integers(0, len(entry["r"]) - 1))
        entry["r"][k] = str(Fraction(entry["r"][k]) + Fraction(data.draw(st.integers(-3, 3)), 8))
    elif field == "u" and entry["primal"]:
        neuron = entry["primal"][0]
        neuron["u"][0] = str(Fraction(neuron["u"][0]) + Fraction(data.draw(st.integers(-3, 3)), 8))
    else:
        records = [r for r in document["witnesses"]["settled"] if r[0] in "abcd"]
        record = records[data.draw(st.integers(0, len(records) - 1))]
        record[1][0] = data.draw(st.integers(0, 1))
    try:
        verdict = checker.check(document)
    except Exception as exc:   # malformed is a rejection too
        assert type(exc).__name__ in ("CertificateMalformed", "CertificateTooLarge")
        return
    if verdict.proved:
        assert verdict.facts["verdict"] == "spurious-local-minima"
        assert sorted(Fraction(e["value"][0]) for e in verdict.facts["spurious"]) == \
            [Fraction(11, 64), Fraction(19, 64)]


# --- the typed pieces of the catalog (issue 25) ------------------------------------------------------------------

def test_settle_records_write_the_certificate_lists():
    """Each typed record's JSON is the certificate's list, first item its rule's letter (`checker.catalog.Rule`);
    the record types cover every letter the checker reads, once each."""
    from verifier.checker.catalog import CATALOG_RULES, Rule
    from verifier.settle import (Descent, Disagreeing, GlobalMinimum, LocalMinimum, NoStationaryPoint, Undecided,
                                 WithinEpsilon)

    table = [(WithinEpsilon((0, 1)), ["a", [0, 1]]),
             (Disagreeing((0, 1), (1, 1)), ["b", [0, 1], [1, 1]]),
             (NoStationaryPoint((0, 1), 1, "sign", 0), ["c", [0, 1], 1, "sign", 0]),
             (NoStationaryPoint((0, 1), 0, "norm-high"), ["c", [0, 1], 0, "norm-high"]),
             (NoStationaryPoint((2,), 0), ["c", [2], 0]),                    # an every-width record
             (Descent((0, 1), 1, 3, 2), ["d", [0, 1], 1, 3, 2]),
             (LocalMinimum(4), ["e", 4]), (GlobalMinimum(0), ["g", 0]),
             (Undecided("why"), ["u", "why"])]
    for record, expected in table:
        assert record.to_json() == expected and json.loads(json.dumps(record.to_json())) == expected
        assert record.rule == Rule(expected[0])
    assert {record.rule for record, _ in table} == set(CATALOG_RULES) and "".join(CATALOG_RULES) == "abcdegu"


def test_the_checker_counts_the_rules_the_catalog_counts():
    """The catalog's counts by rule are the checker's, letter for letter, in the order of `Rule`."""
    from verifier.checker.catalog import CATALOG_RULES

    for width in (1, 2):
        catalog = build_catalog(ONE_D, width)
        facts = checker.check(catalog.document).facts
        assert list(facts["settled"]) == list(catalog.counts) == [rule.value for rule in CATALOG_RULES]
        assert facts["settled"] == catalog.counts and sum(catalog.counts.values()) == catalog.product_faces


def test_a_context_given_its_width_bounds_keeps_them():
    """`Context(width_bounds=...)` and `use_width_bounds` give a context its L*_m bounds: it certifies none itself."""
    from verifier.landscape import Context
    from verifier.optimum import Bounds

    given_bounds = Bounds("L*_m", Fraction(1, 8), Fraction(1, 4), {}, [], [], False)
    context = Context(ONE_D, 1, width_bounds=given_bounds)
    assert context.width_bounds is given_bounds
    other = Bounds("L*_m", Fraction(11, 64), Fraction(11, 64), {}, [], [], True)
    context.use_width_bounds(other)
    assert context.width_bounds is other


def test_checkpoint_of_another_width_or_tolerance_is_refused(tmp_path):
    """The region-table checkpoint is keyed by the instance, the width and the settings that change its entries."""
    checkpoint = tmp_path / "catalog.jsonl"
    first = build_catalog(ONE_D, 1, checkpoint=checkpoint)
    assert build_catalog(ONE_D, 1, checkpoint=checkpoint).document == first.document     # resumed, same catalog
    for width, settings in ((2, Settings()), (1, Settings(tolerance=Fraction(1, 10**6)))):
        with pytest.raises(InputError) as error:
            build_catalog(ONE_D, width, settings, checkpoint=checkpoint)
        assert error.value.field == "checkpoint" and "belongs to another instance" in error.value.problem
