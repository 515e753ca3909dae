"""PyTorch state dicts (safetensors, npz) read without torch, against the JSON network format."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from safetensors.numpy import save_file

from verifier.cli import main
from verifier.errors import InputError
from verifier.models import read_network

DATA = Path(__file__).parent.parent / "data"
ONE_D = DATA / "paper" / "one-dimensional-eighth.json"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _save(path: Path, tensors: dict) -> Path:
    tensors = {key: np.asarray(value, dtype=np.float32) for key, value in tensors.items()}
    if path.suffix == ".npz":
        np.savez(path, **tensors)
    else:
        save_file(tensors, str(path))
    return path


@pytest.mark.parametrize("suffix", [".safetensors", ".npz"])
def test_state_dict_classifies_like_the_json_network(tmp_path, suffix):
    model = _save(tmp_path / f"model{suffix}", {"0.weight": [[0.5]], "2.weight": [[0.5]]})
    from_model = json.loads(run("classify", ONE_D, model, "--json").output)
    from_json = json.loads(run("classify", ONE_D, DATA / "paper" / "one-dimensional-spurious-network.json",
                               "--json").output)
    assert from_model["point"]["verdict"] == from_json["point"]["verdict"] == "spurious-local-minimum"
    assert from_model["point"]["loss"] == from_json["point"]["loss"] == {"exact": "19/64", "float": 0.296875}
    assert from_model["float_rule"] == "shortest-decimal"


def test_float32_weights_read_by_their_shortest_decimal(tmp_path):
    model = _save(tmp_path / "m.safetensors", {"0.weight": [[0.1, -0.3]], "2.weight": [[0.7]]})
    network = read_network(model).network
    assert network.W == ((Fraction(1, 10), Fraction(-3, 10)),) and network.a == (Fraction(7, 10),)


def test_first_layer_bias_is_the_bias_feature(tmp_path):
    """A bias b_j is the weight of the constant-1 feature: the model (w, b) on the data equals the JSON
    network with rows (w, b) on the instance read with --bias, verdict and loss alike."""
    model = _save(tmp_path / "m.safetensors", {"0.weight": [[0.5], [-1.0]], "0.bias": [0.25, 0.5],
                                                "2.weight": [[0.5, -1.0]]})
    network_file = read_network(model)
    assert network_file.bias and network_file.network.W == ((Fraction(1, 2), Fraction(1, 4)), (-1, Fraction(1, 2)))
    as_json = tmp_path / "n.json"
    as_json.write_text(json.dumps({"a": ["1/2", "-1"], "W": [["1/2", "1/4"], ["-1", "1/2"]]}))
    from_model = run("classify", ONE_D, model, "--json")
    from_json = run("classify", ONE_D, as_json, "--json", "--bias")
    assert from_model.exit_code == from_json.exit_code, from_model.output + from_model.stderr
    assert "constant-1 feature" in from_model.stderr
    model_payload, json_payload = json.loads(from_model.stdout), json.loads(from_json.stdout)
    assert model_payload["point"] == json_payload["point"] and model_payload["bias"] is True
    assert run("classify", ONE_D, as_json).exit_code == 2   # the same rows without the bias feature


@pytest.mark.parametrize("tensors, field", [
    ({"0.weight": [[0.5]], "2.weight": [[0.5]], "2.bias": [0.1]}, "2.bias"),
    ({"0.weight": [[0.5]], "2.weight": [[0.5]], "4.weight": [[1.0]]}, "4.weight"),
    ({"0.weight": [[0.5]], "2.weight": [[0.5, 1.0]]}, "2.weight"),
    ({"0.weight": [[0.5]], "0.bias": [0.5, 1.0], "2.weight": [[0.5]]}, "0.bias"),
    ({"0.weight": [0.5], "2.weight": [[0.5]]}, "0.weight"),
    ({"2.weight": [[0.5]]}, "0.weight"),
    ({"0.weight": [[0.5, 1.0]], "2.weight": [[0.5]]}, "W"),   # two inputs, the instance has d = 1
])
def test_what_the_model_class_does_not_cover_is_refused(tmp_path, tensors, field):
    model = _save(tmp_path / "m.safetensors", tensors)
    with pytest.raises(InputError) as error:
        read_network(model, d=1)
    assert error.value.field.endswith(field)
    result = run("classify", ONE_D, model)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1 and field in result.stderr


def test_unreadable_files_are_one_line_errors(tmp_path):
    for name in ("m.safetensors", "m.npz"):
        (tmp_path / name).write_bytes(b"not a model")
        result = run("classify", ONE_D, tmp_path / name)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
