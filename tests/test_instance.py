import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from verifier.cli import main
from verifier.errors import InputError
from verifier.instance import Instance

GOOD = {"X": [[1, 0], ["1/2", "0.25"]], "y": [1, "-0.1"], "lambda": "1/10"}

# (document or raw text, the field the one-line error must name)
BAD = [
    ({"X": [[1, 0], [1]], "y": [1, 2], "lambda": 1}, "X[1]: has 1 entries"),
    ({"X": [], "y": [], "lambda": 1}, "X: has no rows"),
    ({"X": [[]], "y": [1], "lambda": 1}, "X[0]: is empty"),
    ({"X": [[1]], "y": [1, 2], "lambda": 1}, "y: has 2 labels"),
    ({"X": [[1]], "y": [1], "lambda": 0}, "lambda: must be > 0"),
    ({"X": [[1]], "y": [1], "lambda": "-1/2"}, "lambda: must be > 0"),
    ({"X": [["NaN"]], "y": [1], "lambda": 1}, "X[0][0]: expected a finite number"),
    ({"X": [["Infinity"]], "y": [1], "lambda": 1}, "X[0][0]: expected a finite number"),
    ({"X": [["one"]], "y": [1], "lambda": 1}, "X[0][0]: 'one' is not a number"),
    ({"X": [[1]], "y": ["x"], "lambda": 1}, "y[0]: 'x' is not a number"),
    ({"X": [[1]], "lambda": 1}, "y: missing"),
    ({"y": [1], "lambda": 1}, "X: missing"),
    ({"X": [[1]], "y": [1]}, "lambda: missing"),
    ({"X": [[1]], "y": [1], "lambda": 1, "lamda": 2}, "lamda: unknown key"),
    ({"X": [[1]], "y": [1], "lambda": 1, "width": 0}, "width: must be an integer >= 1"),
    ({"X": [1, 2], "y": [1, 2], "lambda": 1}, "X[0]: expected a row"),
    ([1, 2], "instance: must be a JSON object"),
    ("{not json", "not valid JSON"),
]


def test_reads_exact_rationals():
    inst = Instance.from_dict(GOOD)
    assert inst.X[1] == (Fraction(1, 2), Fraction(1, 4))
    assert inst.y == (Fraction(1), Fraction(-1, 10))
    assert inst.lam == Fraction(1, 10)
    assert (inst.n, inst.d) == (2, 2)


def test_bias_appends_constant_feature():
    inst = Instance.from_dict(GOOD, bias=True)
    assert inst.d == 3 and all(row[-1] == 1 for row in inst.X)


def test_round_trip_through_json(tmp_path):
    inst = Instance.from_dict(GOOD)
    path = tmp_path / "i.json"
    path.write_text(json.dumps(inst.to_dict()))
    assert Instance.load(path) == inst


def test_json_decimals_are_read_exactly(tmp_path):
    path = tmp_path / "i.json"
    path.write_text('{"X": [[0.1]], "y": [0.3], "lambda": 0.01}')
    inst = Instance.load(path)
    assert inst.X[0][0] == Fraction(1, 10) and inst.lam == Fraction(1, 100)


@pytest.mark.parametrize("document,message", BAD)
def test_bad_input_one_line_error_exit_2_no_output(tmp_path, document, message):
    path = tmp_path / "bad.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    out = tmp_path / "cert.json"
    result = CliRunner().invoke(main, ["enumerate", str(path), "--certificate", str(out), "--plot",
                                       str(tmp_path / "p.png")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [path]
    if not isinstance(document, str) and isinstance(document, dict):
        with pytest.raises(InputError):
            Instance.from_dict(document)


def test_unreadable_file(tmp_path):
    result = CliRunner().invoke(main, ["enumerate", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "cannot read file" in result.stderr


def test_the_instance_owns_its_other_representations_and_pickles_only_its_data():
    """integer_rows, integer_labels, float_X and flint_X represent X and y exactly (or as the nearest floats), are
    computed once per instance, and a pickled copy carries the data only: it is equal and recomputes them."""
    import pickle

    instance = Instance.from_dict(GOOD)
    Z, E = instance.integer_rows
    assert [[Fraction(z, E) for z in row] for row in Z] == [list(row) for row in instance.X] and E == 4
    Y, F = instance.integer_labels
    assert [Fraction(v, F) for v in Y] == list(instance.y) and F == 10
    assert instance.float_X.tolist() == [[1.0, 0.0], [0.5, 0.25]] and not instance.float_X.flags.writeable
    assert [[Fraction(int(x.p), int(x.q)) for x in row] for row in instance.flint_X] == [list(r) for r in instance.X]
    assert instance.integer_rows is instance.integer_rows and instance.float_X is instance.float_X
    copy = pickle.loads(pickle.dumps(instance))
    assert copy == instance and hash(copy) == hash(instance)
    assert not {"integer_rows", "integer_labels", "float_X", "flint_X"} & set(vars(copy))
    assert copy.integer_rows == instance.integer_rows


def test_a_signed_pattern_pickles_only_its_fields():
    """The same helper as the instance's (`instance.FieldsOnlyPickle`): a copy is equal and recomputes `signs`."""
    import pickle

    from verifier.neurons import SignedPattern

    pattern = SignedPattern((1, -1, 0), -1)
    assert pattern.signs.tolist() == [1.0, -1.0, 0.0]
    copy = pickle.loads(pickle.dumps(pattern))
    assert copy == pattern and hash(copy) == hash(pattern) and "signs" not in vars(copy)
    assert copy.signs.tolist() == [1.0, -1.0, 0.0] and not copy.signs.flags.writeable
