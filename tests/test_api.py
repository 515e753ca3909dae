"""The Python API: numpy inputs, results that read well, and the Outcome enumeration."""

import json
import re
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
    assert "<= L*_1 <=" in repr(bounds) and str(bounds) == repr(bounds) and bounds.to_dict()["lower"] == "11/64"
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


def test_dir_of_the_package_is_its_exports_and_submodules_only():
    """No helper of the package's own machinery (import_module, version, a private table) is in its namespace:
    apart from dunders, dir(verifier) is __all__ and the submodules imported so far."""
    for name in verifier.__all__:
        getattr(verifier, name)                       # load everything, so submodules appear
    dunder = {name for name in dir(verifier) if name.startswith("__") and name.endswith("__")}
    submodules = {name for name in dir(verifier) if type(getattr(verifier, name)) is type(verifier)}
    assert set(dir(verifier)) - dunder == set(verifier.__all__) - {"__version__"} | submodules
    assert {"api", "checker", "results"} <= submodules
    assert not {name for name in vars(verifier) if not name.startswith("__")} - set(verifier.__all__) - submodules
    assert verifier.Verdict is verifier.checker.Verdict
    assert isinstance(verifier.__version__, str)


def test_the_readme_and_the_python_page_name_every_export():
    """The README's Python section and docs/python.md list every name `import verifier` exports."""
    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text()
    for where, text in (("README", readme.split("## Python", 1)[1].split("\n## ", 1)[0]),
                        ("docs/python.md", (root / "docs" / "python.md").read_text())):
        missing = [name for name in verifier.__all__ if not re.search(rf"`{re.escape(name)}[`(]", text)]
        assert not missing, f"{where} does not name {missing}"


def test_train_has_one_default_step_budget():
    """Python and the command line run the same number of steps by default (20,000)."""
    import inspect

    from verifier.cli import main
    from verifier.network import train as network_train

    cli_steps = next(p for p in main.commands["train"].params if p.name == "steps").default
    assert inspect.signature(verifier.train).parameters["steps"].default == verifier.TRAIN_STEPS == cli_steps \
        == inspect.signature(network_train).parameters["steps"].default == 20_000


def test_catalog_and_census_are_exported_documented_and_plot(tmp_path):
    """`certify` returns a `verifier.Catalog` and `take_census` a `verifier.Census`, each with `.plot()` writing a
    figure; their docstrings document every member."""
    from dataclasses import fields

    instance = Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8")
    catalog = verifier.certify(instance, width=1)
    census = verifier.take_census(instance, width=1)
    assert isinstance(catalog, verifier.Catalog) and isinstance(census, verifier.Census)
    assert catalog.verdict == "spurious-local-minima" and catalog.certified and verifier.check(catalog.document).proved
    assert repr(catalog).startswith("Catalog(verdict='spurious-local-minima'")
    assert census.p_contains_global == census.p_spurious_local_min == 0.25
    for result, name in ((catalog, "catalog.png"), (census, "census.png")):
        result.plot().savefig(tmp_path / name, bbox_inches="tight")
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    widths = [bar.get_width() for bar in census.plot().axes[0].patches]     # one bar per class, exact weights
    assert widths == [census.p_contains_global, census.p_spurious_local_min, census.p_no_local_min,
                      census.p_no_global_min, census.p_undecided] and abs(sum(widths) - 1) < 1e-12
    for member in (f.name for f in fields(verifier.Census)):
        assert member in verifier.Census.__doc__, member
    for member in ("verdict", "lstar", "epsilon", "spurious", "undecided", "document", "certified"):
        assert member in verifier.Catalog.__doc__, member


def test_plots_stay_a_leaf_below_the_api():
    """Only front ends (api, results, cli, the report) import plots: the catalog and census records do not."""
    import subprocess
    import sys

    code = ("import sys, verifier.catalog, verifier.census, verifier.landscape; "
            "print('verifier.plots' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_save_counterexample_writes_files_the_checker_and_the_cli_accept(tmp_path):
    """The helper writes the instance and the certificate; both `verifier.check` and `verifier check --instance`
    accept them; an uncertified result or a certificate about other data is refused, and nothing is written."""
    from click.testing import CliRunner

    from verifier.cli import main

    instance = Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8")
    result = verifier.classify(instance, (["1/2"], [["1/2"]]))
    data, certificate = verifier.save_counterexample(instance, result, tmp_path / "found")
    assert data.name == f"counterexample-{instance.digest()[:12]}.json" and certificate.name.endswith(".cert.json")
    assert verifier.check(certificate).proved
    assert Instance.load(data).digest() == instance.digest()
    run = CliRunner().invoke(main, ["check", str(certificate), "--instance", str(data)])
    assert run.exit_code == 0 and run.output.startswith("proved: network"), run.output
    other = Instance.from_arrays([[-1], [1]], [1, "1/4"], "1/8")
    with pytest.raises(InputError, match="other data"):
        verifier.save_counterexample(other, result, tmp_path / "other")
    unproved = verifier.classify(instance, ([0.51], [[0.49]]))
    broken = dict(unproved.document, claim=dict(unproved.document["claim"], verdict="global-minimum"))
    with pytest.raises(InputError, match="does not accept"):
        verifier.save_counterexample(instance, broken, tmp_path / "broken")
    with pytest.raises(InputError, match="no certificate"):
        verifier.save_counterexample(instance, object(), tmp_path / "none")
    assert not (tmp_path / "other").exists() and not (tmp_path / "broken").exists()


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


def test_take_census_says_where_it_resumes_from_before_it_starts(tmp_path):
    """`started(context, resume)` is called once, before any set is classified, with the width's context (the counts
    the CLI prints) and the checkpoint a rerun reads: None on the first run, the journal the first run wrote on the
    second, which then classifies nothing anew and gives the same probabilities."""
    from verifier import take_census
    instance = Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8")
    calls = []

    def started(context, resume):
        calls.append((context.width, len(context.arrangement), len(context.patterns), resume))

    first = take_census(instance, width=1, out=tmp_path, started=started)
    second = take_census(instance, width=1, out=tmp_path, started=started)
    written = list(tmp_path.glob("*.checkpoint.jsonl"))
    assert len(written) == 1 and calls == [(1, 2, 4, None), (1, 2, 4, written[0])]
    assert second.resumed == first.regions_classified > 0
    assert (second.p_contains_global, second.p_spurious_local_min) == (first.p_contains_global,
                                                                         first.p_spurious_local_min)
