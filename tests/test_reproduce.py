"""`reproduce --quick` (without the training runs of section 4, which test_landscape covers): every certificate it
writes checks, every instance file loads, each section states its claim and a verdict, and a rerun resumes."""

import json
from fractions import Fraction

import pytest

from verifier import checker
from verifier.bundles import read_bundle, read_named
from verifier.certificates import load
from verifier.instance import Instance
from verifier.reproduce import SECTIONS, plan, report, reproduce

QUICK = ["experiment-a", "necessity", "activation-patterns", "catalog"]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("reproduction")
    ticks = []
    summary = reproduce(out, quick=True, sections=QUICK, progress=ticks.append)
    summary["ticks"] = len(ticks)
    summary["claims.json"] = json.loads((out / "claims.json").read_text())  # before a later test reruns a section
    return out, summary


def test_progress_moves_through_the_planned_units(quick):
    """The outer bar's total (`plan`) is the number of units the sections report: its ETA counts real work."""
    _, summary = quick
    assert summary["ticks"] == plan(True, QUICK) > len(QUICK)


def test_every_certificate_written_checks(quick):
    out, _ = quick
    files = sorted((out / "certificates").rglob("*.json"))
    bundles = sorted((out / "certificates").rglob("*.jsonl.gz"))
    assert bundles and not list((out / "certificates").rglob("sets.jsonl"))   # every census closed its bundle
    documents = [(path, load(path)) for path in files]
    documents += [(f"{path}#{line}", document) for path in bundles for line, document in read_bundle(path)]
    claims = {}
    for name, document in documents:
        verdict = checker.check(document)
        assert verdict.proved, (name, verdict.failures)
        claims[verdict.claim] = claims.get(verdict.claim, 0) + 1
    assert claims.get("bounds", 0) > 10 and claims.get("enumeration-complete") == 1
    assert claims.get("region-no-local-minimum", 0) > 0
    from click.testing import CliRunner

    from verifier.cli import main

    for path in (files[0], next(p for p in files if p.name == "L-star-m.json"), bundles[0], f"{bundles[0]}#2"):
        result = CliRunner().invoke(main, ["check", str(path)])
        assert result.exit_code == 0, result.output
    # every file an index line names exists, and every class but the undecided one names a certificate of C(S)
    for index in (out / "certificates").rglob("regions.jsonl"):
        for line in index.read_text().splitlines():
            record = json.loads(line)
            assert all((index.parent / name.split("#")[0]).exists() for name in record["certificates"])
            if record["class"] in ("no-global-min", "spurious-local-min", "no-local-min"):
                assert any(name.startswith("sets.jsonl.gz#") for name in record["certificates"])
            claims = [read_named(index.parent / name)["claim"]["type"] for name in record["certificates"]]
            assert (record["class"] == "no-local-min") == ("region-no-local-minimum" in claims)


def test_classes_rest_on_the_bounds_their_certificates_prove(quick):
    """A `contains-global-min` set: upper C(S) <= lower L*_m + epsilon; `no-global-min` and `no-local-min`: lower
    C(S) > upper L*_m, and a `no-local-min` set's certificate of absence is about the same S and width."""
    out, _ = quick
    checked = 0
    for index in (out / "certificates" / "experiment-a").rglob("regions.jsonl"):
        width = checker.check(load(index.parent / "L-star-m.json")).facts
        for line in index.read_text().splitlines():
            record = json.loads(line)
            sets = [read_named(index.parent / name) for name in record["certificates"] if "#" in name]
            if not sets:
                continue
            facts = checker.check(sets[0]).facts
            if record["class"] == "contains-global-min":
                assert Fraction(facts["upper"]) <= Fraction(width["lower"]) + Fraction(record["epsilon"])
            elif record["class"] in ("no-global-min", "no-local-min"):
                assert Fraction(facts["lower"]) > Fraction(width["upper"])
            if record["class"] == "no-local-min":
                (absence,) = [checker.check(c).facts for c in sets if c["claim"]["type"] == "region-no-local-minimum"]
                assert absence["no_local_minimum"] and absence["width"] == width["width"]
                assert sorted(absence["S"]) == sorted(facts["S"])
            checked += 1
    assert checked > 5


def test_instances_load_and_match_the_report(quick):
    out, summary = quick
    names = sorted(path.name for path in (out / "instances").glob("*.json"))
    assert any(name.startswith("teacher-n4-d8") for name in names) and "orthogonal-n4.json" in names
    for path in (out / "instances").glob("*.json"):
        Instance.load(path)
    a = next(s for s in summary["sections"] if s["key"] == "experiment-a")
    for panel in a["data"]["teacher"]:
        instance = Instance.load(out / panel["instance"])
        assert instance.lam == Fraction(1, 100) and (instance.n, instance.d) == (panel["n"], panel["d"])
        assert panel["P"] == 2 ** instance.n    # d >= n: every pattern is a chamber


def test_the_report_states_each_claim_and_a_verdict(quick):
    out, summary = quick
    text = (out / "report.md").read_text()
    assert [s["key"] for s in summary["sections"]] == QUICK
    for section in summary["sections"]:
        assert f"**Claim.** {section['claim']}" in text and f"**Verdict.** {section['verdict']}" in text
        assert section["verdict"].split(":")[0] in ("Supported", "Not supported", "Not supported at these widths",
                                                    "Undecided by this section", "Not run")
        for figure in section["figures"]:
            assert (out / figure).read_bytes()[:4] == b"\x89PNG" and f"]({figure})" in text
    assert "Wilson 95%" in text and summary["command"] in text
    necessity = next(s for s in summary["sections"] if s["key"] == "necessity")
    assert necessity["supported"], necessity["verdict"]     # the census agrees with the exact closed form


def test_a_rerun_resumes_from_the_finished_sections(quick):
    out, summary = quick
    again = reproduce(out, quick=True, sections=["necessity"])
    first = next(s for s in summary["sections"] if s["key"] == "necessity")
    assert again["sections"][0] == first    # read back, not recomputed (same seconds, same rows)


def test_the_catalog_section_reports_certified_catalogs(quick):
    """Section 5: every row is a catalog the checker accepted; the 1-D instance has the worked example's
    spurious local minima at every width (19/64 at m = 1; 11/64 and 19/64 from m = 2 on)."""
    out, summary = quick
    section = next(s for s in summary["sections"] if s["key"] == "catalog")
    assert [s.key for s in SECTIONS][-1] == "catalog"
    rows = section["data"]["rows"]
    assert rows and all(r["certified"] for r in rows)
    for row in rows:
        assert checker.check(load(out / row["certificate"])).proved
    one_d = {r["width"]: r for r in rows if r["instance"] == "one-dimensional-eighth"}
    assert one_d[1]["values"] == [pytest.approx(19 / 64)]
    assert sorted(one_d[2]["values"]) == [pytest.approx(11 / 64), pytest.approx(19 / 64)]
    assert "**Claim.**" in report({"quick": True, "seed": 0, "cores": 2, "seconds": 0.0, "command": "x",
                                    "sections": [section]})
    assert one_d[1]["strict"] == ["strict"] and one_d[2]["strict"] == ["non-strict", "non-strict"]


def test_the_catalog_sections_every_width_rows_agree_with_its_per_width_catalogs(quick):
    """Section 5's every-width results (one catalog over distinct signed faces, docs §12) and its per-width catalogs
    (one catalog per width over product faces) are two independent computations: at every width both computed, the
    spurious values agree exactly (each bracket of one overlaps a bracket of the other); each every-width certificate
    is written and the checker accepts it; the 1-D example reads 19/64 at m = 1, {11/64, 19/64} and L*_m = 5/32 from
    m = 2."""
    out, summary = quick
    section = next(s for s in summary["sections"] if s["key"] == "catalog")
    every = section["data"]["every_width"]
    assert {r["instance"] for r in every} >= {"one-dimensional-eighth"} and all(r["certified"] for r in every)

    def overlap(a, b) -> bool:
        return Fraction(a[0]) <= Fraction(b[1]) and Fraction(b[0]) <= Fraction(a[1])

    compared = 0
    for r in every:
        verdict = checker.check(load(out / r["certificate"]))
        assert verdict.proved and verdict.claim == "every-width"
        by_width = r["result"]["by_width"]
        for row in (c for c in section["data"]["rows"] if c["instance"] == r["instance"]):
            spurious = by_width[min(row["width"], len(by_width)) - 1]["spurious"]   # the last row: every larger width
            assert row["value_brackets"] and spurious
            assert all(any(overlap(v, w) for w in spurious) for v in row["value_brackets"]), (r["instance"], row)
            assert all(any(overlap(v, w) for v in row["value_brackets"]) for w in spurious), (r["instance"], row)
            compared += 1
    assert compared >= 4
    one_d = next(r for r in every if r["instance"] == "one-dimensional-eighth")["result"]
    assert [row["spurious"] for row in one_d["by_width"]] == [[["19/64", "19/64"]],
                                                             [["11/64", "11/64"], ["19/64", "19/64"]]]
    assert one_d["by_width"][-1]["L*_m"] == ["5/32", "5/32"] and one_d["stable_from"] == 2
    assert "for every m >= 2 the spurious values are exactly {11/64, 19/64}" in section["verdict"]
    assert "every-width-one-dimensional-eighth.png" in section["figures"]
    assert (out / "every-width-one-dimensional-eighth.png").exists()


def _bracket(text):
    """A section's "p/q" or [lower, upper] as a (lower, upper) pair of Fractions."""
    low, high = (text, text) if isinstance(text, str) else text
    return Fraction(low), Fraction(high)


def test_the_catalog_sections_spurious_curves_are_spurious_curves_own(quick):
    """Section 5's spurious-region curves (docs §13) for its every-width instances under both samplers equal
    `verifier.spurious_curve` called directly on the shipped instance (its own every-width catalog and curve: a second
    computation), point by point at every width; the events are disjoint (every local minimum in a region's closure
    has the loss C(S), Lemma 8.1), so p_opt + p_spur <= 1 and p_global + p_spur <= 1; the worked example reads
    p_spur = 1/4, 1/8, 1/32 and favourability 1/2, 1/2, 1/10, 1/56; each instance has a figure and a table row that
    names the measure."""
    from verifier import spurious_curve
    from verifier.reproduce.base import shipped
    from verifier.reproduce.catalog import CASES, EVERY_WIDTH_CASES

    out, summary = quick
    section = next(s for s in summary["sections"] if s["key"] == "catalog")
    curves = section["data"]["spurious_curves"]
    folders = {name: folder for folder, name, _ in CASES}
    assert sorted((r["instance"], r["sampler"]) for r in curves) == sorted(
        (name, sampler) for name in EVERY_WIDTH_CASES for sampler in ("gaussian", "uniform"))
    for row in curves:
        assert row["certified"] and row["points"] and row["measure"].startswith("spurious share of initialization mass")
        direct = spurious_curve(shipped(folders[row["instance"]], row["instance"]), row["sampler"],
                                max_width=len(row["points"]))
        assert direct.certified and [pt["width"] for pt in row["points"]] == [pt.width for pt in direct.points]
        p_opt = {pt.width: (pt.lower, pt.upper) for pt in direct.curve.points}
        for pt, expected in zip(row["points"], direct.points):
            assert _bracket(pt["p_spur"]) == expected.p_spur and _bracket(pt["p_global"]) == expected.p_global
            assert _bracket(pt["favourability"]) == expected.favourability
            assert _bracket(pt["p_opt"]) == p_opt[pt["width"]]
            p_spur, p_global, p_opt_m = (_bracket(pt[k]) for k in ("p_spur", "p_global", "p_opt"))
            assert p_opt_m[0] + p_spur[0] <= 1 and p_global[0] + p_spur[0] <= 1, (row["instance"], pt)
            assert 0 <= p_spur[0] <= p_spur[1] <= 1
    one_d = next(r for r in curves if r["instance"] == "one-dimensional-eighth" and r["sampler"] == "uniform")
    assert [pt["p_spur"] for pt in one_d["points"][:3]] == ["1/4", "1/8", "1/32"]
    assert [pt["favourability"] for pt in one_d["points"][:4]] == ["1/2", "1/2", "1/10", "1/56"]
    for name in EVERY_WIDTH_CASES:
        figure = next(f for f in section["figures"] if f.startswith(f"favourability-{name}-"))
        assert (out / figure).exists() and f"![favourability]({figure})" in section["body"]
        first = next(r for r in curves if r["instance"] == name)["points"][0]["favourability"]
        cell = f"| {first} ({float(Fraction(first)):.4g}) |"
        assert any(line.startswith(f"| {name} | ") and " | 1 | " in line and line.endswith(cell)
                   for line in section["body"])
    assert any("spurious share of initialization mass among regions whose closure holds a local minimum" in line
               for line in section["body"])


def test_a_spurious_curve_cell_is_exact_or_rounded_outward():
    """The report's cell of a curve value: an exact p/q with its decimal (a long one as its decimal only), an interval
    rounded outward at 4 significant digits so it still contains the certified one."""
    from verifier.reproduce.report import _bracket_cell

    assert _bracket_cell("1/56") == "1/56 (0.01786)" and _bracket_cell("0") == "0" and _bracket_cell(None) == "n/a"
    assert _bracket_cell("1/9221519018813407616") == "1.084e-19 (exact: claims.json)"
    assert _bracket_cell(["12345678/100000000", "12345679/100000000"]) == "[0.1234, 0.1235]"
    assert _bracket_cell(["-1/3", "1/3"]) == "[-0.3334, 0.3334]"


def test_an_inconclusive_spurious_curve_is_named_with_its_reason_and_not_tabulated():
    """A curve that is not certified (its every-width catalog or p_opt(m) was not accepted) gives no table row, only
    its reason; a Gaussian curve that differs from the uniform one is tabulated as its own rows, with intervals."""
    from verifier.reproduce.catalog import Catalogs, SpuriousCurveRow, SpuriousPoint
    from verifier.reproduce.report import _spurious_body

    exact = SpuriousCurveRow("a", "uniform", True, "", "the measure", "exact", 2,
                             [SpuriousPoint(1, "0", "1/4", "1/4", "1/2")], 0.1)
    interval = SpuriousCurveRow("a", "gaussian", True, "", "the measure", "girard", 2,
                                [SpuriousPoint(1, "0", ["1/5", "1/3"], ["1/5", "1/3"], ["3/8", "5/8"])], 0.1)
    failed = SpuriousCurveRow("b", "uniform", False, "the curve p_opt(m) is inconclusive", "the measure", "exact", 0,
                              [], 0.1)
    body = _spurious_body(Catalogs([], [], [exact, interval, failed]), [])
    rows = [line for line in body if line.startswith("| a |") or line.startswith("| b |")]
    assert rows == ["| a | uniform sampler | 1 | 0 | 1/4 (0.25) | 1/4 (0.25) | 1/2 (0.5) |",
                    "| a | gaussian sampler (girard) | 1 | 0 | [0.2, 0.3334] | [0.2, 0.3334] | [0.375, 0.625] |"]
    assert "Not given (b, uniform): the curve p_opt(m) is inconclusive." in body[2]


def test_an_unknown_section_is_a_one_line_error_and_writes_nothing(tmp_path):
    from click.testing import CliRunner
    from verifier.cli import main
    result = CliRunner().invoke(main, ["reproduce", "--quick", "--section", "experiment-b", "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2 and result.stderr.startswith("error: --section: unknown section 'experiment-b'")
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def _initialization_rows():
    from verifier.reproduce.initialization import GROUPS, OTHER, UnitRow

    def row(width, scale, converged, groups, creeping, extra, verdicts):
        return UnitRow(instance="theorem2-d3", width=width, init_scale=scale, runs=8, converged=converged,
                       diverged=0, groups={**dict.fromkeys(GROUPS, 0), **groups}, verdicts=verdicts,
                       not_converged_verdicts={"near-global-minimum": 8 - converged} if converged < 8 else {},
                       steps_taken=[1000] * 8, creeping=creeping, extra_steps=extra, rates=[1 - 4e-7] * creeping)

    return [row(4, 1e-4, 8, {"near spurious saddle": 7, "near spurious local minimum": 1}, 0, [],
                {"near-spurious-saddle": 7, "near-spurious-local-minimum": 1}),
            row(4, 4.0, 2, {"near global minimum": 1, OTHER: 1}, 5, [3_000_000, 4_000_000, 5_000_000, 6_000_000,
                                                                     7_000_000],
                {"near-global-minimum": 1, "near-non-stationary-point": 1}),
            row(20, 1e-4, 8, {"near spurious saddle": 8}, 0, [], {"near-spurious-saddle": 8}),
            row(20, 4.0, 0, {}, 0, [], {})]


def test_the_initialization_report_counts_verdicts_per_scale_with_wilson_intervals(tmp_path):
    """Section 4's per-scale table (converged fraction; verdict groups among converged runs, by `Outcome` value:
    an unknown verdict value lands in "other" and is listed by name), the verdict sentence and the figure, from
    a synthetic tally."""
    from verifier.census import wilson
    from verifier.plots import initialization_figure
    from verifier.reproduce.base import to_json
    from verifier.reproduce.initialization import GROUPS, Initialization, scale_summary
    from verifier.reproduce.report import initialization_table, initialization_verdict

    rows = _initialization_rows()
    scales = [scale_summary([r for r in rows if r.init_scale == s], s) for s in (1e-4, 4.0)]
    assert scales[0].converged == 16 and scales[0].groups["near spurious saddle"] == 15
    assert scales[1].converged == 2 and scales[1].extra_steps[0] == 3_000_000
    data = Initialization(instances=["theorem2-d3"], groups=GROUPS, lam="1e-5", steps=1000, rate=0.01,
                          criterion=1e-16, init="balanced", rows=rows, scales=scales)
    figure = initialization_figure(to_json(data), tmp_path / "initialization.png")
    assert (tmp_path / figure).read_bytes()[:4] == b"\x89PNG"
    text = "\n".join(initialization_table(data, figure))
    assert not text.startswith("#")      # the report writes the section's heading, numbered as SECTIONS are
    low, high = wilson(16, 16)
    assert f"| 0.0001 | 16 | 16/16 [{low:.2f}, {high:.2f}] |" in text
    low, high = wilson(15, 16)
    assert f"15/16 [{low:.2f}, {high:.2f}]" in text
    assert "| 4 | 16 | 2/16 " in text and "| 5/14 | 1 - 4e-07 | 5e+06 (max 7e+06) |" in text
    assert "1 × near-non-stationary-point" in text and "14 × near-global-minimum" in text
    verdict, supported = initialization_verdict(scales)
    assert supported is True and "16 of 16 runs converged" in verdict and "15 + 1" not in verdict
    assert "From scales >= 1: 2 of 16 runs converged; 1 near a global minimum, 0 spurious." in verdict
    assert "Of the 14 that did not converge, 14 are certified near a global minimum." in verdict


def test_initialization_writes_a_certificate_per_certified_endpoint_and_resumes(tmp_path):
    """Section 4 (--quick): every run converges, and the quick section shows the contrast among them (at the
    smallest scale every endpoint is certified near a spurious stationary point, at the largest most are certified
    near a global minimum, and the verdict says so); every certified endpoint of a row is one line of the row's
    bundle, each line checks, and a second run reads the finished units from their checkpoints instead of
    training again."""
    from verifier.protocol import QUICK
    from verifier.reproduce.initialization import GROUPS

    ticks = []
    summary = reproduce(tmp_path, quick=True, sections=["initialization"], progress=ticks.append)
    assert len(ticks) == plan(True, ["initialization"])
    (section,) = summary["sections"]
    rows = section["data"]["rows"]
    by_scale = {s["init_scale"]: s for s in section["data"]["scales"]}
    small, large = by_scale[min(QUICK.scales)], by_scale[max(QUICK.scales)]
    assert small["converged"] == small["runs"] == small["groups"][GROUPS[1]] + small["groups"][GROUPS[2]]
    assert large["converged"] == large["runs"] and 2 * large["groups"][GROUPS[0]] > large["runs"]
    assert section["supported"] is True and f"From scales >= {QUICK.large:g}: " in section["verdict"]
    for row in rows:
        lines = [document for _, document in read_bundle(tmp_path / row["certificates"])]
        inconclusive = sum(tally.get("inconclusive", 0) for tally in (row["verdicts"], row["not_converged_verdicts"]))
        assert len(lines) == row["certified"] == row["runs"] - inconclusive   # a diverged run is inconclusive
        assert row["converged"] == sum(row["verdicts"].values()) == sum(row["groups"].values())
        assert row["converged"] == row["runs"], row        # the quick plan: every run meets the criterion
        for document in lines:
            verdict = checker.check(document)
            assert verdict.proved and verdict.claim == "endpoint", verdict.failures
    (tmp_path / "sections").rename(tmp_path / "sections-old")          # the section is recomputed, not its units
    again = reproduce(tmp_path, quick=True, sections=["initialization"])
    assert again["sections"][0]["data"]["rows"] == rows and again["seconds"] < summary["seconds"]


def test_the_report_writes_lists_as_prose_and_sets_headings_apart():
    """A section whose body ends in a list ("- none") does not run into the next heading, and lists read
    "10, 40, 160", not as a Python list."""
    from verifier.reproduce.report import listed

    assert listed([10, 40, 160]) == "10, 40, 160"
    section = {"title": "4. Initialization", "claim": "c", "verdict": "v", "supported": None, "seconds": 0,
               "body": ["Their typed causes:", "", "- none"]}
    text = report({"quick": True, "seed": 0, "cores": 2, "seconds": 0.0, "command": "x",
                   "sections": [section, {**section, "title": "5. The catalog"}]})
    lines = text.splitlines()
    for k, line in enumerate(lines):
        if line.startswith("#") and k:
            assert lines[k - 1] == "" and lines[k + 1] == "", line
    assert "- none\n\n## 5. The catalog" in text and "\n\n\n" not in text and text.endswith("\n")


def test_the_report_and_the_figures_data_hold_what_the_figures_show(quick):
    """report.md holds no Python list reprs; the region classes handed to the sufficiency figure partition every
    census row (shares summing to 1); panel (b) of the activation figure reaches the width its verdict cites."""
    import re

    from verifier.plots import class_shares

    out, summary = quick
    assert not re.search(r"\[\d+(, \d+)+\]", (out / "report.md").read_text())
    data = {s["key"]: s["data"] for s in summary["sections"]}
    rows = [r for case in data["experiment-a"]["generic"] for r in case["rows"]]
    rows += [r for panel in data["experiment-a"]["teacher"] for r in panel["rows"]]
    for row in rows:
        assert sum(class_shares(row)) == pytest.approx(1, abs=1e-9)
    activation = data["activation-patterns"]
    assert activation["widths"][-1] >= activation["half_width_gaussian_lower"]
    assert (out / "sufficiency-generic.png").exists() and (out / "activation-patterns.png").exists()


def test_every_census_set_is_classified_as_the_exact_up_set_classifies_it(quick):
    """Two independent computations: each set a census certified at a width >= the smallest support contains a
    minimal optimal support exactly when its census class is contains-global-min (the two name signed patterns
    in one notation, 'tau:s'; a mismatch of notations once made 26 of 64 sets disagree)."""
    import re

    out, summary = quick
    section = next((s for s in summary["sections"] if s["key"] == "experiment-a"), None)
    if section is None:
        pytest.skip("experiment-a is not in the quick sections")
    same, total = map(int, re.search(r"(\d+) of (\d+) sets the census classified", section["verdict"]).groups())
    assert total > 0 and same == total, section["verdict"]


def test_claims_json_is_the_recorded_golden_one(quick):
    """Behaviour pinned across restructurings: claims.json of the quick sections equals tests/golden's, timings and
    the machine aside."""
    from tests.golden.commands import HERE, REPRODUCE_SECTIONS, normalize, same

    _, summary = quick
    assert QUICK == REPRODUCE_SECTIONS
    recorded = json.loads((HERE / "reproduce-quick-claims.json").read_text())
    where = same(recorded, normalize(summary["claims.json"]))
    assert where is None, where


def test_section_records_read_back_as_they_were_written(quick):
    """A section's typed record and its JSON are one: claims.json's data read back (`from_json`) and written again
    (`to_json`) is the same JSON, so a resumed run renders from the very record a fresh run rendered."""
    from verifier.reproduce.base import from_json, to_json

    _, summary = quick
    definitions = {section.key: section for section in SECTIONS}
    for section in summary["claims.json"]["sections"]:
        record = from_json(definitions[section["key"]].data, section["data"])
        assert to_json(record) == section["data"], section["key"]


def test_a_census_row_reads_each_class_as_a_count_or_its_exact_probability(quick):
    """Every region class of every census row reads as k/N (sampled) or as its exact probability (exhaustive; this
    branch once looked up a key no census has); the five exact probabilities of a row partition it."""
    from verifier.reproduce.report import _count
    from verifier.vocabulary import RegionClass

    _, summary = quick
    data = {s["key"]: s["data"] for s in summary["claims.json"]["sections"]}
    rows = [r for case in data["experiment-a"]["generic"] for r in case["rows"]]
    rows += [r for case in data["necessity"]["cases"] for r in case["rows"]]
    exact = [r for r in rows if r["exhaustive"]]
    assert exact and len(exact) < len(rows)
    for row in rows:
        cells = [_count(row, kind) for kind in RegionClass]
        if row["exhaustive"]:
            assert sum(map(float, cells)) == pytest.approx(1, abs=5 * 5e-5)
        else:
            assert sum(int(cell.split("/")[0]) for cell in cells) == row["samples"]


def test_only_the_report_draws():
    """Drawing is a leaf: of reproduce's modules only `report` imports the plotting module."""
    import ast
    from pathlib import Path

    import verifier.reproduce

    folder = Path(verifier.reproduce.__file__).parent
    for path in folder.glob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names |= {node.module or ""} | {alias.name for alias in node.names}
        assert any(name.endswith("plots") for name in names) == (path.name == "report.py"), path.name


def test_full_mode_draws_the_generic_cases_exact_curves_under_their_census(quick, tmp_path):
    """Full mode's panel (b) (issue 22): the generic case's exact curve is the backbone and its census the cross-check:
    each census point at a width m >= m* has a Wilson 95% interval that meets the exact p_opt(m) under the Gaussian
    sampler (two independent computations), and the figure of the curves is drawn. Quick mode carries no such curve
    (its claims.json is the golden one), so the quick run's data get the curve here."""
    from dataclasses import replace

    from verifier.reproduce.base import Settings, from_json
    from verifier.reproduce.exact import exact_curves
    from verifier.reproduce.experiment_a import ExperimentA, cases
    from verifier.reproduce.report import experiment_a
    from verifier.samplers import SAMPLERS

    _, summary = quick
    section = next(s for s in summary["claims.json"]["sections"] if s["key"] == "experiment-a")
    data = from_json(ExperimentA, section["data"])
    assert all(case.curves is None for case in data.generic) and not cases(True, 0).generic_curves
    assert cases(False, 0).generic_curves
    (case,) = data.generic
    (instance,) = cases(True, 0).generics
    curves = exact_curves(instance, [r["m"] for r in case.rows], list(SAMPLERS))
    prose = experiment_a(Settings(tmp_path), cases(True, 0), replace(data, generic=[replace(case, curves=curves)]))
    checked = [r for r in case.rows if r["m"] >= curves.support_size]
    heading = next(k for k, line in enumerate(prose.body) if line.startswith(f"`{case.instance}`"))
    sentence = prose.body[heading + 2]
    assert checked and sentence.startswith("Exact curve: ")
    assert sentence.endswith(f"{len(checked)} of {len(checked)} sampled points lie inside their Wilson interval "
                             "around the exact value.")
    assert prose.figures[2] == "sufficiency-generic-curves.png" and (tmp_path / prose.figures[2]).exists()
    assert f"![generic cases: exact curves]({prose.figures[2]})" in prose.body


def test_the_section_option_names_every_section():
    """`--section`'s help and docs/cli.md list every key `reproduce` accepts, in its order."""
    from pathlib import Path

    from click.testing import CliRunner

    from verifier.cli import main
    from verifier.reproduce import SECTION_KEYS

    listing = ", ".join(SECTION_KEYS)
    assert listing in " ".join(CliRunner().invoke(main, ["reproduce", "--help"]).output.split())
    assert listing in (Path(__file__).parent.parent / "docs" / "cli.md").read_text()


@pytest.mark.parametrize("value", ["0", "-3", "1.5", "many"])
def test_a_step_budget_that_is_not_a_positive_integer_exits_2_naming_steps(tmp_path, value):
    from click.testing import CliRunner
    from verifier.cli import main
    result = CliRunner().invoke(main, ["reproduce", "--quick", "--section", "initialization", "--steps", value,
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert "'--steps'" in error


def test_a_step_budget_without_a_section_that_trains_is_a_one_line_error(tmp_path):
    from click.testing import CliRunner
    from verifier.cli import main
    from verifier.errors import InputError
    result = CliRunner().invoke(main, ["reproduce", "--quick", "--section", "catalog", "--steps", "1000", "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2 and result.stderr.startswith("error: --steps: only the initialization section")
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()
    for steps in (0, 2.0, True, "100"):
        with pytest.raises(InputError, match="^steps: "):
            reproduce(tmp_path / "api", steps=steps, sections=["initialization"])
    assert not (tmp_path / "api").exists()


def test_the_steps_help_states_both_modes_budgets():
    from click.testing import CliRunner
    from verifier.cli import main
    from verifier.protocol import FULL, QUICK
    text = " ".join(CliRunner().invoke(main, ["reproduce", "--help"]).output.split())
    assert f"default: {FULL.steps:,}; {QUICK.steps:,} with --quick" in text and "100,000,000" in text


@pytest.fixture
def tiny_initialization(monkeypatch):
    """The quick initialization plan cut to one unit of 3 short runs (3 chunks of the budget are enough to see a
    state file written and resumed)."""
    from verifier.protocol import InitializationPlan
    from verifier.reproduce import initialization

    tiny = InitializationPlan(cases=(("examples", "initialization-contrast", (4,)),), scales=(1e-2,), runs=3,
                              steps=2_000, large=1e-2)
    monkeypatch.setattr(initialization, "QUICK", tiny)
    return tiny


def _units(out):
    return sorted(path.name for path in (out / "checkpoints" / "initialization").iterdir())


def test_the_step_budget_is_the_reports_and_keys_every_unit(tmp_path, tiny_initialization):
    """--steps N: claims.json's data and command and the report state N; a unit of another budget is never read
    back (each budget keys its own unit checkpoint and section record); the same budget again reads its own."""
    first = reproduce(tmp_path, quick=True, sections=["initialization"], steps=3_000)
    (section,) = first["sections"]
    assert section["data"]["steps"] == 3_000 and "--steps 3000" in first["command"]
    assert "within a budget of 3,000 steps" in (tmp_path / "report.md").read_text()
    assert max(max(row["steps_taken"]) for row in section["data"]["rows"]) <= 3_000
    (unit,) = _units(tmp_path)
    assert unit.endswith(".json") and not unit.endswith(".state.json")      # the state went with the row
    second = reproduce(tmp_path, quick=True, sections=["initialization"], steps=5_000)
    (row,) = second["sections"][0]["data"]["rows"]
    assert second["sections"][0]["data"]["steps"] == 5_000 and len(_units(tmp_path)) == 2
    assert 3_000 < max(row["steps_taken"]) <= 5_000, row["steps_taken"]     # trained anew, not read from 3,000
    default = reproduce(tmp_path, quick=True, sections=["initialization"])
    assert default["sections"][0]["data"]["steps"] == tiny_initialization.steps and len(_units(tmp_path)) == 3
    (tmp_path / "sections").rename(tmp_path / "sections-old")          # the section is recomputed, not its unit
    again = reproduce(tmp_path, quick=True, sections=["initialization"], steps=3_000)
    assert again["sections"][0]["data"]["rows"] == section["data"]["rows"] and len(_units(tmp_path)) == 3


def test_a_section_interrupted_inside_a_unit_resumes_it_to_the_same_rows(tmp_path, monkeypatch,
                                                                         tiny_initialization):
    """A kill right after a unit's 2nd chunk state leaves the state file beside the (unwritten) unit row; the
    rerun continues the unit from it and writes the uninterrupted run's row and certificates, then deletes it."""
    from verifier import protocol

    whole = reproduce(tmp_path / "whole", quick=True, sections=["initialization"])
    write, calls = protocol.write_json, []

    def write_then_stop(path, document):
        write(path, document)
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(protocol, "write_json", write_then_stop)
        with pytest.raises(KeyboardInterrupt):
            reproduce(tmp_path / "cut", quick=True, sections=["initialization"])
    (state,) = _units(tmp_path / "cut")
    assert state.endswith(".state.json") and calls[0].name == state
    resumed = reproduce(tmp_path / "cut", quick=True, sections=["initialization"])
    assert resumed["sections"][0]["data"]["rows"] == whole["sections"][0]["data"]["rows"]
    assert _units(tmp_path / "cut") == _units(tmp_path / "whole") and len(_units(tmp_path / "whole")) == 1
    (row,) = whole["sections"][0]["data"]["rows"]
    assert [line for _, line in read_bundle(tmp_path / "cut" / row["certificates"])] == \
        [line for _, line in read_bundle(tmp_path / "whole" / row["certificates"])]
