"""The checker fuzz suite: mutations of every corpus certificate never prove something false and never crash.

Each correct corpus certificate is mutated (a leaf replaced by an odd value, a key dropped, a list truncated, a
key duplicated in the JSON text). The checker must either reject the mutant (refuted or malformed: a
VerifierError, never another exception) or prove it; a proved mutant is then compared with an independent oracle:

- bounds: the quantity is known to lie in the original certificate's [lower, upper] (both proved); a proved
  mutant about the same instance, quantity, S and width must intersect it; about another instance or S, the
  float solver's value must lie in the mutant's interval (up to a float tolerance);
- enumeration: the original lists every chamber: a proved mutant lists the same set of sign vectors;
- network: local/global/spurious verdicts are never beaten by small rational perturbations (exact losses),
  "unbalanced" is re-checked exactly;
- region and face minima: the minimum of C(S(R)) (float solver) lies at or below the proved upper bound; a face
  minimum's lifted point is not beaten below its proved lower bound by small random float steps;
- catalog: the verdict, L*_m and spurious faces agree with the original (or a fresh catalog); two complete
  catalogs of one instance and width list the same spurious faces;
- region-no-local-minimum: the catalog of the mutant's instance and width has no spurious local minimum in the
  closure of a region with the mutant's S, and the float C(S) is not below its L*_m;
- saddle: the float face minimum lies in the proved bracket, a proved growth direction grows there, and the point
  is stationary: at its balanced lift no direction crossing a neuron's kinks descends at first order (finite
  differences);
- not-stationary: the float face minimum lies in the proved bracket and crossing the named kink descends there;
- optimal-regions: the same up-set of optimal sets as the original's on its instance (no set proved non-optimal
  holds an original support; at the same epsilon, stated values and bracket ends meet the original's); on another
  instance each proved support's float C(T) is within epsilon of the float C*;
- endpoint: a not-converged direction descends (exact small step); near-* verdicts: the nested claim's oracle,
  the endpoint's predictions within the proved distance of the float minimizer's, spurious above L*_m;
- every-width: same instance, the same verdict and brackets that meet the original's (L*_m per width, classes,
  spurious values); another instance, the verdict of a fresh every-width catalog.
"""

from __future__ import annotations

import copy
import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier import checker
from verifier.errors import VerifierError
from verifier.instance import Instance
from verifier.jsonfile import parse_json

CORPUS = Path(__file__).parent / "certificates"
CORRECT = sorted((CORPUS / "correct").glob("*.json"))
ODD = [0, -1, 1, 2, "0", "-1", "1/2", "1/0", "abc", "", "1e5", "-1e5000", 1.5, True, None, [], {}, [[]],
       "9" * 2100, "+", "0" * 7, {"pattern": "+"}, ["1"], 10**30]


def _leaves(value, path=()):
    """Paths to every leaf and container of a JSON value."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from _leaves(item, path + (k,))


def _parent(document, path):
    node = document
    for key in path[:-1]:
        node = node[key]
    return node


def _mutate(document: dict, rng: random.Random, kind: str) -> dict:
    mutant = copy.deepcopy(document)
    paths = [p for p in _leaves(mutant) if p and p[0] != "format"]
    path = rng.choice(paths)
    parent, key = _parent(mutant, path), path[-1]
    if kind == "leaf":
        parent[key] = copy.deepcopy(rng.choice(ODD + [_nudge(parent[key], rng)]))
    elif kind == "drop" and isinstance(parent, dict):
        del parent[key]
    elif kind == "truncate":
        lists = [p for p in paths if isinstance(_parent(mutant, p)[p[-1]], list) and _parent(mutant, p)[p[-1]]]
        if lists:
            target = rng.choice(lists)
            items = _parent(mutant, target)[target[-1]]
            del items[rng.randrange(len(items)):]
    return mutant


def _nudge(value, rng: random.Random):
    """A near miss of a number: +-1 on an integer or on a numerator (witness off by one, bound a hair off)."""
    try:
        q = Fraction(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    except (ValueError, ZeroDivisionError):
        q = None
    if q is None:
        return value
    step = rng.choice([1, -1]) * (Fraction(1, q.denominator) if rng.random() < 0.5 else Fraction(1, 10**40))
    q += step
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _check(document):
    try:
        return checker.check(document)
    except VerifierError:
        return None


# --- oracles ---------------------------------------------------------------------------------------

def _same(original: dict, mutant: dict, *keys) -> bool:
    return all(original["claim"].get(k) == mutant["claim"].get(k) for k in keys) and \
        Instance.from_dict(original["instance"]).digest() == Instance.from_dict(mutant["instance"]).digest()


def _float_quantity(document: dict) -> float:
    from verifier.arrangement import enumerate_chambers
    from verifier.convex import ConvexPrograms, SignedPattern
    from verifier.optimum import certify_convex_optimum, certify_width_optimum

    instance = Instance.from_dict(document["instance"])
    claim = document["claim"]
    programs = ConvexPrograms(instance)
    if claim["quantity"] == "C(S)":
        S = sorted({SignedPattern.parse(e["pattern"], e["sign"]) for e in claim["patterns"]})
        return programs.solve(S).value
    arrangement = enumerate_chambers(instance.X)
    if claim["quantity"] == "C*":
        return float(certify_convex_optimum(instance, arrangement, programs).upper)
    return float(certify_width_optimum(instance, arrangement, int(claim["width"]), programs).upper)


def _oracle_bounds(original: dict, mutant: dict, facts: dict) -> None:
    lower = Fraction(facts["lower"]) if "lower" in facts else None
    upper = Fraction(facts["upper"]) if "upper" in facts else None
    if _same(original, mutant, "quantity", "width") and \
            {json.dumps(e, sort_keys=True) for e in original["claim"].get("patterns", [])} == \
            {json.dumps(e, sort_keys=True) for e in mutant["claim"].get("patterns", [])}:
        L0, U0 = Fraction(original["claim"]["lower"]), Fraction(original["claim"]["upper"])
        assert lower is None or lower <= U0, "a proved lower bound above a proved upper bound"
        assert upper is None or upper >= L0, "a proved upper bound below a proved lower bound"
        return
    value = _float_quantity(mutant)
    assert lower is None or float(lower) <= value * (1 + 1e-6) + 1e-9
    assert upper is None or float(upper) >= value * (1 - 1e-6) - 1e-9


def _oracle_enumeration(original: dict, mutant: dict, facts: dict) -> None:
    if _same(original, mutant):
        assert set(mutant["witnesses"]["signs"]) == set(original["witnesses"]["signs"])


def _loss(instance: Instance, a, W) -> Fraction:
    f = [sum(aj * max(Fraction(0), sum(x * w for x, w in zip(row, wj))) for aj, wj in zip(a, W)) for row in instance.X]
    return sum((p - q) ** 2 for p, q in zip(f, instance.y)) / (2 * instance.n) + \
        instance.lam / 2 * sum(aj * aj + sum(w * w for w in wj) for aj, wj in zip(a, W))


def _oracle_network(original: dict, mutant: dict, facts: dict) -> None:
    instance = Instance.from_dict(mutant["instance"])
    network = mutant["claim"]["network"]
    a = [Fraction(x) for x in network["a"]]
    W = [[Fraction(x) for x in row] for row in network["W"]]
    if facts["verdict"] == "not-a-local-minimum":
        if "unbalanced" in mutant["witnesses"]:
            j = int(mutant["witnesses"]["unbalanced"])
            assert a[j] ** 2 != sum(w * w for w in W[j])
        return
    base = _loss(instance, a, W)
    rng = random.Random(0)
    for _ in range(60):
        t = Fraction(1, 10**rng.randint(3, 6))
        da = [t * Fraction(rng.randint(-100, 100), 100) for _ in a]
        dW = [[t * Fraction(rng.randint(-100, 100), 100) for _ in row] for row in W]
        moved = _loss(instance, [x + d for x, d in zip(a, da)], [[x + d for x, d in zip(r, dr)] for r, dr in zip(W, dW)])
        assert moved >= base, "a proved local minimum is beaten by a small perturbation"


def _oracle_minimum(original: dict, mutant: dict, facts: dict) -> None:
    from verifier.convex import ConvexPrograms, SignedPattern

    instance = Instance.from_dict(mutant["instance"])
    claim = mutant["claim"]
    if claim["type"] == "face-local-minimum":
        _no_nearby_descent(instance, mutant["witnesses"]["interior"], Fraction(claim["lower"]))
    if claim["type"] == "face-local-minimum" and _same(original, mutant, "region"):
        L0, U0 = Fraction(original["claim"]["lower"]), Fraction(original["claim"]["upper"])
        assert Fraction(claim["lower"]) <= U0 and Fraction(claim["upper"]) >= L0
        return
    if claim["type"] == "region-local-minimum":
        S = sorted({SignedPattern.parse(e["pattern"], e["sign"]) for e in claim["region"]})
        value = ConvexPrograms(instance).solve(S).value
        assert float(Fraction(claim["upper"])) >= value * (1 - 1e-6) - 1e-9


def _no_nearby_descent(instance: Instance, interior: list, lower: Fraction) -> None:
    """An independent float local-minimum search around a proved local minimum: the lift of the certificate's face
    point (within the duality gap of the minimizer) is not beaten below the proved lower bound by random steps of
    length 1e-4 and 1e-5 in (a, W) (kinks with linearly dependent rows included)."""
    import numpy as np

    from verifier.network import loss_and_gradient

    U = np.array([[float(Fraction(x)) for x in item["u"]] for item in interior])
    scale = np.sqrt(np.linalg.norm(U, axis=1))
    a, W = np.array([item["sign"] for item in interior]) * scale, U / scale[:, None]
    rng = np.random.default_rng(0)
    floor = float(lower) - 1e-9 * (1 + abs(float(lower)))
    for step in (1e-4, 1e-5):
        for _ in range(200):
            da, dW = rng.normal(size=a.shape), rng.normal(size=W.shape)
            norm = np.sqrt(da @ da + np.sum(dW * dW))
            loss = loss_and_gradient(instance, a + step * da / norm, W + step * dW / norm)[0]
            assert loss >= floor, "a proved local minimum is beaten by a small float step"


def _face_solution(document: dict):
    """The float minimizer of the face program C_F that a saddle or face claim describes: (value, predictions)."""
    import numpy as np

    from verifier.convex import ConvexPrograms, SignedPattern

    instance = Instance.from_dict(document["instance"])
    faces = [(SignedPattern.parse(e["pattern"], e["sign"]), sorted({int(i) for i in e["zero_rows"]}))
             for e in document["claim"]["region"]]
    if not faces:
        y = np.array(instance.y, dtype=float)
        return float(y @ y) / (2 * instance.n), np.zeros(instance.n)
    solution = ConvexPrograms(instance).solve([p for p, _ in faces], {p: rows for p, rows in faces if rows})
    X = np.array(instance.X, dtype=float)
    f = sum(p.s * np.maximum(X @ u, 0) for p, u in zip(solution.patterns, solution.U))
    return solution.value, f


def _kink_slope(instance: Instance, document: dict, k: int, crossing: dict[int, int]) -> float:
    """The float one-sided derivative (finite difference) of L at the balanced lift of the float face minimizer,
    moving neuron k's w so that <x_z, dw> = crossing[z] on its kink rows z (0 on its other kink rows)."""
    import numpy as np

    from verifier.convex import ConvexPrograms, SignedPattern
    from verifier.network import loss_and_gradient

    faces = [(SignedPattern.parse(e["pattern"], e["sign"]), sorted({int(i) for i in e["zero_rows"]}))
             for e in document["claim"]["region"]]
    solution = ConvexPrograms(instance).solve([p for p, _ in faces], {p: rows for p, rows in faces if rows})
    X = np.array(instance.X, dtype=float)
    U = dict(zip(solution.patterns, solution.U))
    U = [U[p] for p, _ in faces]          # in the claim's neuron order (the solver sorts its patterns)
    roots = [np.sqrt(np.linalg.norm(u)) for u in U]
    a = np.array([p.s * r for (p, _), r in zip(faces, roots)])
    W = np.array([u / r for u, r in zip(U, roots)])
    zeros = faces[k][1]
    target = np.array([float(crossing.get(z, 0)) for z in zeros])
    dW = np.zeros_like(W)
    dW[k] = np.linalg.lstsq(X[zeros], target, rcond=None)[0]
    dW[k] /= max(np.linalg.norm(dW[k]), 1e-300)
    t = 1e-6
    return (loss_and_gradient(instance, a, W + t * dW)[0] - loss_and_gradient(instance, a, W)[0]) / t


def _oracle_saddle(original: dict, mutant: dict, facts: dict) -> None:
    """The face program's float minimum lies in the proved [lower, upper]. saddle: a proved growth direction grows at
    the float minimizer (its gain is positive there) and no crossing of a neuron's kinks descends at first order
    (the point is stationary). not-stationary: crossing the named kink descends at first order."""
    import itertools

    import numpy as np

    instance = Instance.from_dict(mutant["instance"])
    value, f = _face_solution(mutant)
    lower, upper = (Fraction(x) for x in facts["value"])
    assert float(lower) <= value * (1 + 1e-6) + 1e-9 and float(upper) >= value * (1 - 1e-6) - 1e-9
    descent = mutant["witnesses"]["descent"]
    tolerance = 1e-3 * (1 + float(np.abs(np.array(instance.y, dtype=float)).max()))
    if mutant["claim"]["type"] == "not-stationary":
        k, z = int(descent["neuron"]), int(descent["row"])
        side = 1 if descent["pattern"][z] == "+" else -1
        assert _kink_slope(instance, mutant, k, {z: side}) < tolerance, "a proved kink descent does not descend"
        return
    X, y = np.array(instance.X, dtype=float), np.array(instance.y, dtype=float)
    v = np.array([float(Fraction(x)) for x in descent["direction"]])
    gain = descent["sign"] * (y - f) @ np.maximum(X @ v, 0) / instance.n - float(instance.lam) * (1 + v @ v) / 2
    assert gain > -1e-9, "a proved growth direction does not grow at the face's minimizer"
    for k, entry in enumerate(mutant["claim"]["region"]):
        zeros = sorted({int(i) for i in entry["zero_rows"]})
        for signs in itertools.product([1, -1], repeat=len(zeros)):
            for z, side in zip(zeros, signs):
                assert _kink_slope(instance, mutant, k, {z: side}) > -tolerance, \
                    "a point proved stationary descends at first order across a kink"


def _oracle_endpoint(original: dict, mutant: dict, facts: dict) -> None:
    """not-converged: the loss decreases along the direction (exact, small step); near-*: the nested claim's own
    oracle, the endpoint's predictions within the proved distance of the float minimizer's, spurious above L*_m."""
    import numpy as np

    from verifier.arrangement import enumerate_chambers
    from verifier.optimum import certify_convex_optimum, certify_width_optimum

    instance = Instance.from_dict(mutant["instance"])
    claim = mutant["claim"]
    a = [Fraction(x) for x in claim["network"]["a"]]
    W = [[Fraction(x) for x in row] for row in claim["network"]["W"]]
    if facts["verdict"] == "not-converged":
        direction = mutant["witnesses"]["direction"]
        t = Fraction(1, 10**12)
        moved = _loss(instance, [x + t * Fraction(d) for x, d in zip(a, direction["a"])],
                      [[x + t * Fraction(d) for x, d in zip(r, dr)] for r, dr in zip(W, direction["W"])])
        assert moved < _loss(instance, a, W), "a proved descent direction does not descend"
        return
    inner = {"format": mutant["format"], "instance": mutant["instance"], **claim["stationary"]}
    X = np.array(instance.X, dtype=float)
    f_e = sum(float(aj) * np.maximum(X @ np.array([float(w) for w in wj]), 0) for aj, wj in zip(a, W))
    if claim["stationary"]["claim"]["type"] == "bounds":
        optimum = certify_convex_optimum(instance, enumerate_chambers(instance.X))
        f = sum(nr.pattern.s * np.maximum(X @ np.array([float(x) for x in nr.u]), 0) for nr in optimum.neurons)
    else:
        (_oracle_saddle if claim["stationary"]["claim"]["type"] in ("saddle", "not-stationary") else _oracle_minimum)(
            inner, inner, checker.check(inner).facts)
        f = _face_solution(inner)[1]
    assert np.linalg.norm(f_e - f) <= float(Fraction(facts["prediction_distance"])) + 1e-6
    if "width_upper" in facts:
        value = float(certify_width_optimum(instance, enumerate_chambers(instance.X), len(a)).upper)
        assert float(Fraction(facts["value"][0])) > value * (1 - 1e-6) - 1e-12


def _oracle_catalog(original: dict, mutant: dict, facts: dict) -> None:
    """Same instance and width: the same verdict, L*_m brackets that meet, the same spurious faces with value brackets
    that meet and no entry proved strict in one and non-strict in the other, favourability intervals that meet;
    otherwise the verdict of a catalog built afresh for the mutant's instance and width."""
    if _same(original, mutant, "width"):
        proved = checker.check(original).facts
        assert facts["verdict"] == proved["verdict"]
        (l0, u0), (l1, u1) = ([Fraction(x) for x in f["L*_m"]] for f in (proved, facts))
        assert l1 <= u0 and l0 <= u1
        before = {e["face"]: [Fraction(x) for x in e["value"]] for e in proved["spurious"]}
        strictness = {e["face"]: e["strict"] for e in proved["spurious"]}
        for entry in facts["spurious"]:
            low, high = (Fraction(x) for x in entry["value"])
            assert entry["face"] in before and low <= before[entry["face"]][1] and before[entry["face"]][0] <= high
            decided = {entry["strict"], strictness[entry["face"]]} - {"not decided"}
            assert len(decided) <= 1, "one local minimum proved both strict and non-strict"
        (l0, u0), (l1, u1) = ([Fraction(x) for x in f["favourability"]["by_count"]] for f in (proved, facts))
        assert l1 <= u0 and l0 <= u1, "favourability intervals that do not meet"
        if facts["complete"] and proved["complete"]:     # two complete catalogs list the same spurious faces
            assert {e["face"] for e in facts["spurious"]} == set(before)
        return
    from verifier.catalog import build_catalog

    fresh = build_catalog(Instance.from_dict(mutant["instance"]), int(mutant["claim"]["width"]))
    assert fresh.certified and fresh.verdict == facts["verdict"]
    if facts["complete"] and fresh.complete:
        assert {e["face"] for e in facts["spurious"]} == {e["face"] for e in fresh.spurious}


def _oracle_absence(original: dict, mutant: dict, facts: dict) -> None:
    """No region with the mutant's S has a local minimum in its closure: the catalog built for the mutant's instance
    and width (an independent computation, every product face settled) lists no spurious local minimum in such a
    closure, and the float C(S) is not below the catalog's L*_m (so no global one either)."""
    from verifier.catalog import build_catalog
    from verifier.census import closure_contains
    from verifier.convex import ConvexPrograms, SignedPattern

    instance, claim = Instance.from_dict(mutant["instance"]), mutant["claim"]
    S = {(e["pattern"], e["sign"]) for e in claim["patterns"]}
    catalog = build_catalog(instance, int(claim["width"]))
    assert catalog.certified and catalog.verdict != "undecided"
    for entry in catalog.spurious:
        face = [(tau, 1 if s == "+" else -1) for tau, s in (part.split(":") for part in entry["face"].split(" x "))]
        assert not closure_contains(S, face), f"the catalog has a spurious local minimum at {entry['face']}"
    value = ConvexPrograms(instance).solve(sorted(SignedPattern.parse(p, s) for p, s in S)).value
    assert value >= float(catalog.lstar[1]) * (1 - 1e-9) - 1e-12


def _oracle_every_width(original: dict, mutant: dict, facts: dict) -> None:
    """Same instance: the same verdict and stable width, L*_m brackets that meet at every width, and every proved class
    and per-width spurious value meets one of the original's; otherwise the verdict of a fresh every-width catalog."""
    if _same(original, mutant, "bound"):
        proved = checker.check(original).facts
        assert facts["verdict"] == proved["verdict"] and facts["stable_from"] == proved["stable_from"]

        def brackets(values):
            return [tuple(Fraction(x) for x in v) for v in values]

        for row, before in zip(facts["by_width"], proved["by_width"]):
            (l0, u0), (l1, u1) = brackets([before["L*_m"], row["L*_m"]])
            assert l1 <= u0 and l0 <= u1
            for low, high in brackets(row["spurious"]):
                assert any(low <= b and a <= high for a, b in brackets(before["spurious"]))
        for low, high in brackets([c["value"] for c in facts["classes"]]):
            assert any(low <= b and a <= high for a, b in brackets([c["value"] for c in proved["classes"]]))
        return
    from verifier.every_width import build_every_width

    fresh = build_every_width(Instance.from_dict(mutant["instance"]))
    assert fresh.certified and fresh.verdict == facts["verdict"]


def _p_opt_ends(claim: dict) -> dict[int, tuple[Fraction, Fraction]]:
    """The stated p_opt(m) of an optimal-regions claim: its exact curve values and its bracket ends, by width."""
    ends = {int(e["width"]): (Fraction(e["p"]),) * 2 for e in claim.get("curve") or []}
    ends.update({int(e["width"]): (Fraction(e["low"]), Fraction(e["high"])) for e in claim.get("bracket") or []})
    return ends


def _assert_meets(original: dict, mutant: dict) -> None:
    """Both hold the true p_opt(m) on one instance: at a width both state, the mutant's value or bracket meets the
    original's (an exact value lies in the other's bracket)."""
    before, after = _p_opt_ends(original), _p_opt_ends(mutant)
    for m in before.keys() & after.keys():
        (l0, h0), (l1, h1) = before[m], after[m]
        assert l1 <= h0 and l0 <= h1, f"p_opt({m}): the proved [{l1}, {h1}] misses the original's [{l0}, {h0}]"


def _oracle_optimal_regions(original: dict, mutant: dict, facts: dict) -> None:
    """Same instance: the proved supports generate the same up-set as the original's (each contains an original
    support and each original support contains one of them: a minimal optimal support is exactly optimal, every
    other set strictly above C*); any instance: each proved support's float C(T) is within epsilon of the float C*."""
    from verifier.arrangement import enumerate_chambers
    from verifier.convex import ConvexPrograms, SignedPattern, all_signed_patterns

    supports = [frozenset(T) for T in facts["supports"]]
    if _same(original, mutant):
        before = [frozenset(T) for T in checker.check(original).facts["supports"]]
        assert all(any(B <= T for B in before) for T in supports), "a proved support holds no optimal support"
        if "open" not in facts:     # a bracket (open maximal sets) does not claim to list every support
            assert all(any(T <= B for T in supports) for B in before), "an optimal support was classified non-optimal"
        for entry in mutant["witnesses"]["maximal"]:    # a set proved non-optimal holds no proved optimal support
            M = frozenset(f"{p['pattern']}:{'+' if p['sign'] == 1 else '-'}" for p in entry["claim"]["patterns"])
            assert not any(B <= M for B in before), "a set proved non-optimal contains an optimal support"
        if _same(original, mutant, "epsilon"):
            _assert_meets(original["claim"], mutant["claim"])
        return
    instance = Instance.from_dict(mutant["instance"])
    programs = ConvexPrograms(instance)
    best = programs.solve(all_signed_patterns(enumerate_chambers(instance.X))).value
    for T in facts["supports"]:
        patterns = [SignedPattern.parse(name.rsplit(":", 1)[0], 1 if name.endswith(":+") else -1) for name in T]
        value = programs.solve(patterns).value
        assert value <= best + float(Fraction(facts["epsilon"])) + 1e-6 * (1 + abs(best))


ORACLES = {"optimal-regions": _oracle_optimal_regions, "bounds": _oracle_bounds, "enumeration-complete": _oracle_enumeration, "network": _oracle_network,
           "region-local-minimum": _oracle_minimum, "face-local-minimum": _oracle_minimum,
           "saddle": _oracle_saddle, "not-stationary": _oracle_saddle, "endpoint": _oracle_endpoint, "catalog": _oracle_catalog,
           "region-no-local-minimum": _oracle_absence, "every-width": _oracle_every_width}


@pytest.mark.parametrize("path", CORRECT, ids=[p.stem for p in CORRECT])
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(["leaf", "leaf", "drop", "truncate"]))
def test_mutants_never_prove_anything_false(path, seed, kind):
    original = json.loads(path.read_text())
    assert checker.check(original).proved
    mutant = _mutate(original, random.Random(seed), kind)
    verdict = _check(mutant)
    if verdict is not None and verdict.proved:
        ORACLES[verdict.claim](original, mutant, verdict.facts)


@pytest.mark.parametrize("path", CORRECT, ids=[p.stem for p in CORRECT])
def test_duplicated_keys_are_malformed(path):
    """A key written twice (`lambda` with two values) is rejected where the JSON enters."""
    text = path.read_text()
    doubled = text.replace('"lambda": ', '"lambda": "1/3", "lambda": ', 1)
    assert doubled != text
    with pytest.raises(VerifierError):
        parse_json(doubled, str(path))


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5) |
                    st.floats(allow_nan=False, allow_infinity=False),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children,
                                                                                       max_size=4), max_leaves=30))
def test_arbitrary_json_never_crashes_the_checker(value):
    document = {"format": checker.FORMAT, "instance": {"X": [[1]], "y": [1], "lambda": "1/10"},
                "claim": value if isinstance(value, dict) else {"type": "bounds", "x": value},
                "witnesses": value if isinstance(value, dict) else {"w": value}}
    verdict = _check(document)
    assert verdict is None or not verdict.proved or document["claim"].get("type") in checker.CLAIMS
