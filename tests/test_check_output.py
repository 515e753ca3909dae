"""`verifier check` for people and for programs (issue 21, items 6, 7, 13): a readable summary (decimals, the exact
value when short, tables for catalogs, no Python reprs), every exact value under --json; one line for a
certificate about other data than --instance; the instances a bundle's certificates are about."""

import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier import checker
from verifier.cli import main
from verifier.instance import Instance

CORPUS = Path(__file__).parent / "certificates"
CORRECT = sorted((CORPUS / "correct").glob("*.json"))
_REPR = re.compile(r"\{'|'\}|\['|'\]|', '|=\s*'|Fraction\(|array\(|<\w+\.|\bTrue\b|\bFalse\b")
_LONG_NUMBER = re.compile(r"\d{40,}")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("path", CORRECT, ids=[p.stem for p in CORRECT])
def test_the_summary_has_no_reprs_and_no_long_numbers(path):
    """Every correct corpus certificate: exit 0, the claim and the instance named, no Python repr, no number of
    40 digits or more (a 2000-digit bound reads as 3.33333333333e+1998); the exact facts are all in --json."""
    result = run("check", path)
    assert result.exit_code == 0, result.output
    text = result.stdout
    document = json.loads(path.read_text())
    assert text.startswith(f"proved: {document['claim']['type']}\n")
    assert Instance.from_dict(document["instance"]).digest() in text
    assert not _REPR.search(text), text
    assert not _LONG_NUMBER.search(text.replace(Instance.from_dict(document["instance"]).digest(), "")), text
    assert json.loads(run("check", path, "--json").output)["facts"] == checker.check(document).facts


def test_a_catalog_reads_as_a_table():
    result = run("check", CORPUS / "correct" / "catalog-spurious-planar-width-1.json")
    lines = result.stdout.splitlines()
    facts = checker.check(json.loads((CORPUS / "correct" / "catalog-spurious-planar-width-1.json").read_text())).facts
    header = lines.index(f"  spurious ({len(facts['spurious'])}):")
    assert lines[header + 1].split() == ["value", "face", "strict"]
    rows = lines[header + 2: header + 2 + len(facts["spurious"])]
    assert [row.split()[-2:] for row in rows] == [[e["face"], e["strict"]] for e in facts["spurious"]]
    assert all(row.strip().startswith("[0.") or row.strip().startswith("[1.") for row in rows)
    settled = ", ".join(f"{n} {rule}" for rule, n in sorted(facts["settled"].items(), key=lambda kv: (-kv[1], kv[0]))
                        if n)
    assert f"  settled: {settled}" in lines and "  undecided: none" in lines
    assert "  L*_m: [0.554598989873, 0.554598989873]" in lines


def test_short_exact_values_stand_beside_their_decimals():
    text = run("check", CORPUS / "correct" / "network-spurious-1d.json").stdout
    assert "  loss: 0.296875 (= 19/64)" in text and "lambda=0.125 (= 1/8)" in text


# --- item 6: a certificate about other data -------------------------------------------------------------

@pytest.fixture
def bias_certificates(tmp_path):
    instance = tmp_path / "i.json"
    instance.write_text(json.dumps({"X": [[1], [-1], [2]], "y": [1, 0, 1], "lambda": "1/10"}))
    with_bias, without = tmp_path / "bias.json", tmp_path / "plain.json"
    assert run("enumerate", instance, "--bias", "--certificate", with_bias).exit_code == 0
    assert run("enumerate", instance, "--certificate", without).exit_code == 0
    return instance, with_bias, without


def test_a_certificate_about_other_data_is_one_line_naming_its_instance(bias_certificates, tmp_path):
    instance, with_bias, without = bias_certificates
    about = Instance.load(instance, bias=True)
    result = run("check", with_bias, "--instance", instance)
    assert result.exit_code == 1 and result.stdout.count("\n") == 1, result.output
    line = result.stdout
    assert line.startswith("REFUTED: the certificate is about instance")
    assert f"sha256 {about.digest()} (n=3, d=2, lambda=0.1 (= 1/10))" in line
    assert line.rstrip().endswith("made with --bias? (add --bias)")
    assert run("check", with_bias, "--instance", instance, "--bias").exit_code == 0
    reverse = run("check", without, "--instance", instance, "--bias")
    assert reverse.exit_code == 1 and reverse.stdout.rstrip().endswith("made without --bias? (drop --bias)")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"X": [[1], [-1], [3]], "y": [1, 0, 1], "lambda": "1/10"}))
    unrelated = run("check", with_bias, "--instance", other)
    assert unrelated.exit_code == 1 and unrelated.stdout.count("\n") == 1 and "--bias" not in unrelated.stdout
    payload = json.loads(run("check", with_bias, "--instance", instance, "--json").output)
    assert payload["proved"] is False and payload["instance_matches"] is False and payload["bias_column"] is True
    assert payload["instance"]["digest"] == about.digest() and payload["expected"]["d"] == 1
    assert payload["facts"] == {}


# --- item 7: the instances of a bundle ---------------------------------------------------------------

def _bundle(path: Path, documents: list[dict]) -> Path:
    with gzip.open(path, "wt") as handle:
        handle.write("".join(json.dumps(d) + "\n" for d in documents))
    return path


def test_a_bundle_names_its_instances_and_warns_when_there_are_several(tmp_path):
    one = json.loads((CORPUS / "correct" / "bounds-width-1-1d.json").read_text())
    two = json.loads((CORPUS / "correct" / "enumeration-planar.json").read_text())
    digests = [Instance.from_dict(d["instance"]).digest() for d in (one, two)]
    same = run("check", _bundle(tmp_path / "same.jsonl.gz", [one, one]))
    assert same.exit_code == 0 and "warning" not in same.stdout
    assert f"  2 about instance sha256 {digests[0]} (n=2, d=1, lambda=0.1 (= 1/10))" in same.stdout.splitlines()
    mixed = run("check", _bundle(tmp_path / "mixed.jsonl.gz", [one, two, one]))
    assert mixed.exit_code == 0
    lines = mixed.stdout.splitlines()
    assert "warning: the certificates are about 2 different instances" in lines
    assert [line.split()[0] for line in lines if "about instance sha256" in line] == ["2", "1"]
    assert all(any(d in line for line in lines) for d in digests)
    payload = json.loads(run("check", tmp_path / "mixed.jsonl.gz", "--json").output)
    assert [(i["digest"], i["certificates"]) for i in payload["instances"]] == [(digests[0], 2), (digests[1], 1)]
