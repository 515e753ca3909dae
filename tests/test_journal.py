"""The one journal/checkpoint mechanism: bound to its header, tolerant of a torn last line only, resumable."""

from fractions import Fraction

import pytest

from verifier.errors import InputError
from verifier.journal import Journal, settings_key


def test_records_survive_a_restart_and_a_torn_last_line_is_dropped(tmp_path):
    path = tmp_path / "run.jsonl"
    with Journal(path, {"instance": "abc", "width": 2}) as journal:
        journal.append({"set": [1, 2], "value": "1/3"})
        journal.append({"set": [3], "value": "2/3"})
    with path.open("a") as handle:
        handle.write('{"set": [4], "val')                      # an interrupted write
    again = Journal(path, {"width": 2, "instance": "abc"})     # key order does not matter
    assert again.records() == [{"set": [1, 2], "value": "1/3"}, {"set": [3], "value": "2/3"}]
    again.append({"set": [4], "value": "0"})
    again.close()
    assert [r["set"] for r in Journal(path, {"instance": "abc", "width": 2}).records()] == [[1, 2], [3], [4]]


def test_another_instances_journal_is_refused_and_a_corrupt_middle_line_is_an_error(tmp_path):
    path = tmp_path / "run.jsonl"
    with Journal(path, {"instance": "abc"}) as journal:
        journal.append({"a": 1})
        journal.append({"a": 2})
    with pytest.raises(InputError, match="belongs to another"):
        Journal(path, {"instance": "abd"}).records()
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], "{not json", lines[2]]) + "\n")
    with pytest.raises(InputError):
        Journal(path, {"instance": "abc"}).records()


def test_no_path_journals_nothing_and_keys_are_canonical(tmp_path):
    journal = Journal(None, {"x": 1})
    journal.append({"y": 2})
    assert journal.records() == []
    assert settings_key({"a": Fraction(1, 3), "b": 2}) == settings_key({"b": 2, "a": "1/3"})
    assert settings_key(1, 2) != settings_key(2, 1)


def test_a_header_field_edited_by_hand_is_refused_even_with_its_key_left_in_place(tmp_path):
    import json

    path = tmp_path / "run.jsonl"
    with Journal(path, {"instance": "abc", "width": 2}) as journal:
        journal.append({"a": 1})
    lines = path.read_text().splitlines()
    header = json.loads(lines[0])
    header["width"] = 3
    path.write_text("\n".join([json.dumps(header)] + lines[1:]) + "\n")
    with pytest.raises(InputError, match="belongs to another"):
        Journal(path, {"instance": "abc", "width": 2}).records()
