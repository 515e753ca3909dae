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


@pytest.mark.parametrize("header", [{"instance": "abc"}, None])
def test_a_torn_last_line_is_dropped_and_the_next_append_is_a_whole_record(tmp_path, header):
    """With a header or without one (an index such as a census's regions.jsonl): the fragment an interrupted write
    left is not read, even when it happens to parse, and is cut before the next record is appended."""
    path = tmp_path / "index.jsonl"
    with Journal(path, header) as journal:
        journal.append({"a": 1})
    for fragment in ('{"a": 2, "b', '{"a": 2}'):          # cut short anywhere, also just before its newline
        with path.open("a") as handle:
            handle.write(fragment)
        assert Journal(path, header).records() == [{"a": 1}]
    with Journal(path, header) as journal:
        journal.append({"a": 3})
    assert Journal(path, header).records() == [{"a": 1}, {"a": 3}]
    assert len(path.read_text().splitlines()) == 2 + (header is not None)
    assert path.read_text().startswith('{"instance"' if header else '{"a":1}')


def test_a_header_cut_short_is_written_again(tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text('{"instance": "a')
    assert Journal(path, {"instance": "abc"}).records() == []
    with Journal(path, {"instance": "abc"}) as journal:
        journal.append({"a": 1})
    assert Journal(path, {"instance": "abc"}).records() == [{"a": 1}]


@pytest.mark.parametrize("header", [{"instance": "abc"}, None])
@pytest.mark.parametrize("where", ["middle", "last"])
def test_a_corrupt_whole_line_is_an_error_naming_the_file_and_line(tmp_path, header, where):
    """A line with its newline that does not parse was not cut by an interruption: an error of one line naming the
    file and the line, in the middle of the file or at its end."""
    path = tmp_path / "index.jsonl"
    with Journal(path, header) as journal:
        journal.append({"a": 1})
        journal.append({"a": 2})
    lines = path.read_text().splitlines()
    bad = len(lines) if where == "last" else len(lines) - 1
    lines[bad - 1] = "{not json"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as error:
        Journal(path, header).records()
    message = str(error.value)
    assert message.startswith(f"{path} line {bad}: not valid JSON") and "\n" not in message
