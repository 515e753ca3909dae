"""Behaviour pinned: the `--json` output and the certificate of each golden command (tests/golden/commands.py) equal
the recorded ones, timings aside. A restructuring must leave these unchanged; `reproduce --quick`'s claims.json is
compared in test_reproduce, on the run that file already makes."""

import json

import pytest

from tests.golden.commands import COMMANDS, HERE, run, same


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_command_prints_and_certifies_what_was_recorded(name, tmp_path):
    recorded = json.loads((HERE / f"{name}.json").read_text())
    code, output, certificate = run(name, tmp_path)
    assert code == recorded["exit_code"]
    assert same(recorded["output"], output) is None, same(recorded["output"], output)
    assert same(recorded["certificate"], certificate) is None, same(recorded["certificate"], certificate)


def test_the_comparison_sees_a_changed_digit_and_a_renamed_key():
    assert same({"a": ["1/3", 2]}, {"a": ["1/3", 2]}) is None
    assert same({"a": ["1/3"]}, {"a": ["1/4"]}) == "$.a[0]: 1/3 != 1/4"
    assert same({"a": 1}, {"b": 1}) is not None
    assert same({"v": "certified"}, {"v": "inconclusive"}) is not None
