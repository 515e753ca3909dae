"""The Python API: numpy inputs, results that read well, and the Outcome enumeration."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st

import verifier
from verifier import Instance, Outcome
from verifier.errors import InputError
from verifier.numbers import parse_rational

DATA = Path(__file__).parent.parent / "data"


def test_numpy_arrays_read_as_the_same_exact_instance():
    lists = Instance.from_arrays([[2, 1], [-1, 3]], ["1/10", 2], "1/50", 2)
    for dtype in (np.float64, np.float32, np.float16):
        arrays = Instance.from_arrays(np.array([[2, 1], [-1, 3]], dtype=dtype), np.array([0.1, 2], dtype=dtype),
                                      dtype(0.02), np.int64(2))
        assert arrays == lists, dtype
    assert Instance.from_arrays(np.array([[2, 1], [-1, 3]], dtype=np.int64), np.array([1, 2], dtype=np.int32),
                                np.int64(1)).X == ((2, 1), (-1, 3))


@given(st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_numpy_floats_follow_the_shortest_decimal_rule(x):
    """A float's rational is its shortest round-trip decimal in its own precision: it rounds back to the float,
    and a Python float and np.float64 of the same value agree."""
    q32 = parse_rational(np.float32(x), "x")
    assert np.float32(float(q32)) == np.float32(x)
    assert parse_rational(np.float64(x), "x") == parse_rational(float(x), "x") == Fraction(repr(float(x)))


@pytest.mark.parametrize("value", [np.float64("nan"), np.float32("inf"), np.bool_(True), np.array([1.0]),
                                   np.complex128(1)])
def test_numpy_values_that_are_not_numbers_are_refused(value):
    with pytest.raises(InputError):
        parse_rational(value, "x")


def test_classify_takes_numpy_arrays_and_says_what_it_proved():
    instance = Instance.from_arrays(np.array([[-1.0], [1.0]]), np.array([1.0, 0.5]), np.float64(0.125))
    result = verifier.classify(instance, (np.array([0.5]), np.array([[0.5]])))
    assert result.verdict is Outcome.SPURIOUS_LOCAL_MINIMUM and result.verdict == "spurious-local-minimum"
    assert verifier.check(result.document).proved
    document = result.to_dict()
    assert json.loads(json.dumps(document))["loss"] == {"exact": "19/64", "float": 0.296875}
    assert "spurious-local-minimum" in repr(result) and "certified" in repr(result)


def test_outcome_values_are_what_files_and_the_cli_say():
    assert {"global-minimum", "spurious-local-minimum", "local-minimum", "not-a-local-minimum", "inconclusive"} \
        <= {o.value for o in Outcome}
    from verifier.checker.network import VERDICTS

    assert set(VERDICTS) <= {o.value for o in Outcome}   # every verdict a network certificate can state
    assert json.dumps({Outcome.INCONCLUSIVE: Outcome.GLOBAL_MINIMUM}) == '{"inconclusive": "global-minimum"}'
    assert [o for o in Outcome if not o.decided] == [Outcome.INCONCLUSIVE]


def test_results_have_readable_reprs_dicts_and_plots(tmp_path):
    instance = Instance.load(DATA / "examples" / "planar.json")
    arrangement = verifier.chambers(instance)
    assert repr(arrangement) == "<Arrangement n=5, d=2: 5 hyperplanes, rank 2, 10 chambers>"
    assert len(arrangement.to_dict()["patterns"]) == 10
    figure = arrangement.plot()
    figure.savefig(tmp_path / "a.png")
    bounds = verifier.solve(DATA / "paper" / "one-dimensional-eighth.json", width=1)
    assert "L*_m" in repr(bounds) and bounds.to_dict()["lower"] == "11/64"
    run = verifier.train(instance, 2, steps=200)
    assert run.losses[-1] < run.losses[0] and len(run.to_dict()["losses"]) == len(run.losses)
    axes = run.plot().axes[0]
    assert axes.get_lines()[0].get_xdata()[-1] == 200
    for text in (repr(instance), repr(arrangement), repr(bounds), repr(run)):
        assert "Fraction(" not in text and "array(" not in text


def test_the_package_exports_what_its_all_names():
    for name in verifier.__all__:
        assert getattr(verifier, name) is not None
    with pytest.raises(AttributeError):
        verifier.no_such_thing


def test_take_census_exposes_the_samplers_and_writes_checkable_certificates(tmp_path):
    """The API's census takes the CLI's options: the authors' uniform sampler gives other weights than the
    Gaussian one on the same sets, and every certificate it writes passes the exact checker."""
    from verifier import check, take_census
    instance = Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8")
    gaussian = take_census(instance, width=1)
    uniform = take_census(instance, width=1, sampler="uniform", certificates=tmp_path / "certs",
                          out=tmp_path / "checkpoint")
    assert gaussian.exhaustive and uniform.exhaustive
    assert sum(gaussian.to_dict()["counts"].values()) == sum(uniform.to_dict()["counts"].values())
    files = sorted((tmp_path / "certs").glob("*.json"))
    assert files
    assert all(check(path).proved for path in files)
