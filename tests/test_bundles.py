"""Certificate bundles (`verifier.bundles`): line names stay fixed through closing, reopening and interruption;
`verifier check` judges every line and names the bad ones; a census interrupted and resumed still names, for every
classified set, certificates that exist and check."""

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier import checker
from verifier.bundles import BundleWriter, read_bundle, read_named
from verifier.certificates import load
from verifier.cli import main
from verifier.landscape import Context
from verifier.families import orthogonal
from verifier.census import run_census

CORPUS = Path(__file__).parent / "certificates"
GOOD = [load(p) for p in sorted((CORPUS / "correct").glob("bounds-*.json"))]
BAD = load(CORPUS / "incorrect" / "bounds-lower-too-high.json")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_names_survive_close_reopen_and_a_cut_line(tmp_path):
    writer = BundleWriter(tmp_path)
    names = [writer.append(d) for d in GOOD[:2]]
    assert names == ["sets.jsonl.gz#1", "sets.jsonl.gz#2"]
    writer.close()
    assert not (tmp_path / "sets.jsonl").exists() and (tmp_path / "sets.jsonl.gz").exists()
    assert [d for _, d in read_bundle(tmp_path / "sets.jsonl.gz")] == GOOD[:2]
    writer = BundleWriter(tmp_path)                       # reopened: decompressed, appending after line 2
    with (tmp_path / "sets.jsonl").open("a") as handle:   # an interrupted write leaves half a line
        handle.write('{"format": "verif')
    writer = BundleWriter(tmp_path)
    assert writer.append(GOOD[2]) == "sets.jsonl.gz#3"
    assert writer.read("sets.jsonl.gz#2") == GOOD[1] and writer.read("sets.jsonl.gz#3") == GOOD[2]
    writer.close()
    assert read_named(tmp_path / "sets.jsonl.gz#3") == GOOD[2]
    assert [n for n, _ in read_bundle(tmp_path / "sets.jsonl.gz")] == [1, 2, 3]


def _bundle(path: Path, lines: list[str]) -> Path:
    with gzip.open(path, "wt") as handle:
        handle.write("".join(line + "\n" for line in lines))
    return path


def test_check_judges_every_line_and_names_the_bad_ones(tmp_path):
    good = [json.dumps(d) for d in GOOD]
    assert run("check", _bundle(tmp_path / "a.jsonl.gz", good)).exit_code == 0
    refuted = run("check", _bundle(tmp_path / "b.jsonl.gz", good + [json.dumps(BAD)]), "--json")
    assert refuted.exit_code == 1
    payload = json.loads(refuted.output)
    assert payload["proved"] == len(GOOD) and [r["line"] for r in payload["refuted"]] == [len(GOOD) + 1]
    assert payload["by_claim"] == {"bounds": len(GOOD) + 1}
    malformed = run("check", _bundle(tmp_path / "c.jsonl.gz", good[:1] + ['{"format": 1', '[]']))
    assert malformed.exit_code == 2
    assert "c.jsonl.gz#2" in malformed.output and "c.jsonl.gz#3" in malformed.output
    one = run("check", f"{tmp_path / 'b.jsonl.gz'}#{len(GOOD) + 1}")   # one line: the ordinary verdict
    assert one.exit_code == 1 and "REFUTED: bounds" in one.output
    assert run("check", tmp_path / "a.jsonl.gz", "--line", 1).exit_code == 0
    missing = run("check", tmp_path / "a.jsonl.gz", "--line", len(GOOD) + 5)
    assert missing.exit_code == 2 and "no certificate on line" in missing.output
    plain = tmp_path / "d.jsonl"
    plain.write_text("\n".join(good) + "\n")
    assert run("check", plain).exit_code == 0


def test_a_resumed_census_names_certificates_that_check(tmp_path):
    """Interrupt a census after its first chunks, resume it: every classified set has one index line whose
    certificates exist and are proved, and the classes equal those of an uninterrupted run."""
    context = Context(orthogonal(3), 2)

    class Stop(Exception):
        pass

    def stop(done, total):
        if done >= 40:
            raise Stop

    with pytest.raises(Stop):
        run_census(context, out=tmp_path / "run", certificates=tmp_path / "certs", progress=stop,
                   local_minima=False)
    resumed = run_census(context, out=tmp_path / "run", certificates=tmp_path / "certs", local_minima=False)
    straight = run_census(context, certificates=tmp_path / "straight", local_minima=False)
    assert resumed.resumed > 0 and resumed.classes == straight.classes
    assert resumed.p_contains_global == pytest.approx(straight.p_contains_global, abs=1e-15)
    records = [json.loads(line) for line in (tmp_path / "certs" / "regions.jsonl").read_text().splitlines()]
    assert len({tuple(r["S"]) for r in records}) == sum(resumed.classes.values())
    for record in records:
        for name in record["certificates"]:
            assert checker.check(read_named(tmp_path / "certs" / name)).proved


def test_a_line_too_long_is_malformed_and_named_only_when_read(tmp_path, monkeypatch):
    """Lines longer than the reader's bound are malformed, named by their number; reading one other line
    (`only`, FILE#K) neither parses nor reports them."""
    import verifier.bundles as bundles

    monkeypatch.setattr(bundles, "MAX_BYTES", 64)
    path = _bundle(tmp_path / "long.jsonl.gz", ['{"pad": "' + "x" * 200 + '"}', '{"a": 1}'])
    lines = list(read_bundle(path))
    assert [n for n, _ in lines] == [1, 2] and "long.jsonl.gz#1: longer than 64 bytes" in str(lines[0][1])
    assert list(read_bundle(path, only=2)) == [(2, {"a": 1})]
