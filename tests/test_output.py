"""Output people can read: no Python reprs, decimals beside exact rationals, exit codes, files, progress."""

import json
import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli import main
from verifier.files import write_text
from verifier.progress import progress_bar

DATA = Path(__file__).parent.parent / "data"
_REPR = re.compile(r"[{}]|\['|'\]|', '|=\s*'|Fraction\(|array\(|<\w+\.")   # dicts, quoted strings, reprs of objects or enums


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_human_output_has_no_python_reprs(tmp_path):
    one_d = DATA / "paper" / "one-dimensional-eighth.json"
    for args in [("certify", one_d, "--width", "1"),
                 ("census", one_d, "--width", "1"),
                 ("classify", one_d, DATA / "paper" / "one-dimensional-spurious-network.json"),
                 ("classify", one_d, DATA / "paper" / "one-dimensional-spurious-network.json", "--endpoint"),
                 ("solve", one_d, "--width", "1"),
                 ("train", one_d, "--width", "1", "--steps", "100")]:
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert not _REPR.search(result.stdout), (args, result.stdout)
    assert "spurious   0.296875 (= 19/64)" in run("certify", one_d, "--width", "1").stdout


def test_numbers_show_a_decimal_beside_the_exact_rational():
    result = run("classify", DATA / "paper" / "one-dimensional-eighth.json",
                 DATA / "paper" / "one-dimensional-spurious-network.json")
    assert "point      spurious-local-minimum" in result.stdout and "loss       0.296875 (= 19/64)" in result.stdout
    payload = json.loads(run("solve", DATA / "paper" / "one-dimensional-eighth.json", "--width", "1", "--json").stdout)
    assert payload["width_optimum"]["lower"] == "11/64" and payload["float_rule"] == "shortest-decimal"


def test_classify_help_documents_exit_codes_and_version_works():
    text = run("classify", "--help").output
    for code in ("0  certified", "2  bad input", "3  inconclusive"):
        assert code in text
    result = run("--version")
    assert result.exit_code == 0 and re.search(r"\d+\.\d+", result.output)


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("verifier.instance.Instance.load", interrupted)
    result = run("enumerate", DATA / "examples" / "planar.json")
    assert result.exit_code == 130 and result.output.strip() == "interrupted"


def test_written_files_are_0644_under_the_usual_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "a.txt", "x")
        assert run("train", DATA / "examples" / "planar.json", "--width", "1", "--steps", "50",
                   "--out", tmp_path / "n.json", "--plot", tmp_path / "loss.png").exit_code == 0
    finally:
        os.umask(old)
    for name in ("a.txt", "n.json", "loss.png"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
    assert (tmp_path / "loss.png").read_bytes()[:4] == b"\x89PNG"


def test_search_does_not_default_into_the_package_data_folder():
    default = next(p.default for p in main.commands["search"].params if p.name == "out")
    assert not str(default).startswith("data")


def test_progress_off_a_terminal_is_a_few_lines(capsys):
    with progress_bar("work", 20000, unit="item") as advance:
        for done in range(1, 20001):
            advance(done)
    err = capsys.readouterr().err
    redraws = err.count("work:")
    assert 1 <= redraws <= 3 and "20000/20000" in err


def test_a_bar_without_a_total_opens_with_the_first_one_it_hears(capsys):
    """The first log line of a bar whose total arrives with the work (census, region programs) carries that total."""
    with progress_bar("census", unit="region") as advance:
        advance(0, 40)
        advance(40, 40)
    lines = [line for line in capsys.readouterr().err.replace("\r", "\n").splitlines() if line.strip()]
    assert "0/40" in lines[0] and "40/40" in lines[-1]


def test_staged_bar_weighs_stages_by_cost_and_stops_where_the_job_stops(capsys):
    """One bar for a job of stages: it opens once every stage is announced (its first line lists them with their
    totals), its position is the estimated cost done (a finished stage of 4 items at cost 10 is 40 of 90), and a job
    that stops early leaves it below 100%."""
    from verifier.progress import Stage, staged_bar

    stages = [Stage("solve", "program", 10.0), Stage("check", "face", 0.5)]
    positions = []
    with staged_bar("job", stages) as advance:
        advance("solve", 0, 4)
        advance("check", 0, 100)
        for done in range(1, 5):
            advance("solve", done, 4)
        advance("check", 10, 100)
        positions.append(capsys.readouterr().err)
    err = positions[0] + capsys.readouterr().err
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    assert lines[0].startswith("job:   0%") and "solve 4 programs, check 100 faces" in lines[0]
    assert lines[-1].startswith("job:  50%") and "check 10/100 faces" in lines[-1]   # (40 + 5) / 90, stopped there
    with pytest.raises(ValueError):
        with staged_bar("job", stages, disable=True) as advance:
            advance("other", 0, 1)


def test_bench_census_quick_runs_and_prints_no_reprs():
    """The bench behind issue 15's targets runs end to end (a smoke test: its numbers are not asserted)."""
    result = CliRunner().invoke(main, ["bench", "census", "--quick", "--sets", "3"])
    assert result.exit_code == 0, result.output
    assert "certified / float over all sets" in result.stdout and not _REPR.search(result.stdout)
