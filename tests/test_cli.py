import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from verifier.cli import main
from verifier.endpoints import VERDICTS

DATA = Path(__file__).parent.parent / "data"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_enumerate_json_and_outputs(tmp_path):
    cert, graph, plot = tmp_path / "c.json", tmp_path / "g.graphml", tmp_path / "p.png"
    result = run("enumerate", DATA / "examples" / "planar.json", "--json", "--certificate", cert,
                 "--graph", graph, "--plot", plot)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"n", "d", "hyperplanes", "chambers", "lattice_count", "complete", "seconds"} <= set(payload)
    assert payload["chambers"] == payload["lattice_count"] == 10 and payload["complete"] is True
    assert run("check", cert).exit_code == 0
    assert nx.read_graphml(graph).number_of_nodes() == 10
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_enumerate_bias_and_plots_in_three_and_more_dimensions(tmp_path):
    for path, extra in [(DATA / "paper" / "orthogonal-3.json", []), (DATA / "paper" / "orthogonal-4.json", []),
                        (DATA / "examples" / "three-points.json", ["--bias"])]:
        plot = tmp_path / f"{path.stem}.png"
        result = run("enumerate", path, "--plot", plot, *extra)
        assert result.exit_code == 0, result.output + result.stderr
        assert plot.exists()
    assert "chambers   16 enumerated, 16" in run("enumerate", DATA / "paper" / "orthogonal-4.json").output


def test_human_output_names_completeness():
    result = run("enumerate", DATA / "paper" / "one-dimensional.json")
    assert result.exit_code == 0 and "complete   yes" in result.output


def test_solve_json_certificate_and_network(tmp_path):
    cert, net = tmp_path / "c.json", tmp_path / "n.json"
    result = run("solve", DATA / "paper" / "one-dimensional.json", "--width", "1", "--json",
                 "--certificate", cert, "--network", net)
    assert result.exit_code == 0, result.output + result.stderr
    payload = json.loads(result.output)
    assert payload["certified"] is True and payload["support_size"] == 2
    for key in ("convex_optimum", "width_optimum"):
        assert {"lower", "upper"} <= set(payload[key])
    assert payload["width_optimum"]["lower_float"] == __import__("pytest").approx(0.1525)
    assert run("check", cert).exit_code == 0
    network = json.loads(net.read_text())
    assert len(network["a"]) == 1 and len(network["W"]) == 1


def test_train_classify_certify(tmp_path):
    net, cert = tmp_path / "net.json", tmp_path / "cert.json"
    example = DATA / "examples" / "planar.json"
    result = run("train", example, "--width", "2", "--seed", "2", "--steps", "20000", "--out", net, "--json")
    assert result.exit_code == 0, result.output + result.stderr
    trained = json.loads(net.read_text())
    assert len(trained["a"]) == 2 and trained["losses"][-1] <= trained["losses"][0]
    result = run("classify", example, net, "--json")
    point = json.loads(result.output)["point"]   # the trained point itself: never exactly stationary
    assert point["verdict"] == "not-a-local-minimum" and point["certified"] and result.exit_code == 0
    result = run("classify", example, net, "--endpoint", "--json", "--certificate", cert)
    payload = json.loads(result.output)["near"]
    assert payload["verdict"] in VERDICTS and "gradient_norm" in payload
    if payload["certified"]:
        assert result.exit_code == 0 and run("check", cert).exit_code == 0
    else:
        assert result.exit_code == 3 and not cert.exists()


def test_certify_catalog(tmp_path):
    cert, plot = tmp_path / "catalog.json", tmp_path / "catalog.png"
    example = DATA / "paper" / "one-dimensional-eighth.json"
    result = run("certify", example, "--width", "2", "--json", "--certificate", cert, "--plot", plot)
    assert result.exit_code == 0, result.output + result.stderr
    payload = json.loads(result.output)
    assert payload["verdict"] == "spurious-local-minima" and payload["certified"] and payload["product_faces"] == 10
    assert sorted(e["value"][0] for e in payload["spurious"]) == ["11/64", "19/64"]
    assert run("check", cert).exit_code == 0 and plot.stat().st_size > 0
    assert payload["complete"] is True and payload["open_faces"] == 0
    text = run("certify", example, "--width", "2")
    assert text.exit_code == 0 and "verdict    spurious-local-minima  (certified, complete)" in text.stdout
    # one bar for the whole job: its first line lists every stage with its total, its last is at 100%
    first_line = text.stderr.replace("\r", "\n").strip().splitlines()[0]
    assert first_line.startswith("certify:   0%") and "product faces 10 faces" in first_line, first_line
    assert "regions " in first_line and "checking " in first_line and "certify: 100%" in text.stderr
    result = run("certify", example, "--width", "2", "--budget", "0.000001", "--json", "--certificate", cert.with_name("x"))
    assert result.exit_code == 3 and json.loads(result.output)["verdict"] == "undecided" and not cert.with_name("x").exists()
    result = run("certify", example, "--width", "1", "--first")
    assert result.exit_code == 0 and "spurious-local-minima" in result.output


def test_certify_prints_only_a_certified_lstar():
    """A budget that runs out before the region table is complete (planar data with a bias at width 3): no L*_3
    (issue 21: it printed L*_3 = 0 while the true value is about 0.2763), 'not reached' and JSON null."""
    example = DATA / "examples" / "planar.json"
    text = run("certify", example, "--bias", "--width", "3", "--budget", "0.000001")
    assert text.exit_code == 3
    assert "L*_3       not reached" in text.stdout and "L*_3       =" not in text.stdout
    assert "catalog incomplete" not in text.stdout and "verdict    undecided  (not certified)" in text.stdout
    payload = json.loads(run("certify", example, "--bias", "--width", "3", "--budget", "0.000001", "--json").output)
    assert payload["L*_m"] is None and payload["L*_m_float"] is None and payload["epsilon"] is None
    assert payload["complete"] is False and payload["open_faces"] == payload["product_faces"]


def test_certify_incomplete_catalog_says_so_and_exits_3(monkeypatch):
    """A certified spurious-local-minima catalog with an undecided face proves existence, not completeness: the
    verdict line says 'catalog incomplete: 1 face undecided', the exit status is 3, --json has complete false."""
    from verifier.checker.catalog import Rule
    from verifier.settle import SettleRules, Undecided

    settle = SettleRules.settle
    forced = []

    def one_undecided(self, product, reach):
        record = settle(self, product, reach)
        if record.rule in (Rule.DISAGREEING, Rule.NO_STATIONARY_POINT) and not forced:
            forced.append(product)
            return Undecided("left undecided by the test")
        return record

    monkeypatch.setattr(SettleRules, "settle", one_undecided)
    example = DATA / "paper" / "one-dimensional-eighth.json"
    text = run("certify", example, "--width", "2")
    assert text.exit_code == 3, text.output
    verdict = text.stdout.splitlines()[0]
    assert verdict == ("verdict    spurious-local-minima  (certified: the listed minima exist; catalog incomplete: "
                       "1 face undecided)")
    assert "statement" not in text.stdout and "left undecided by the test" in text.stdout
    forced.clear()
    result = run("certify", example, "--width", "2", "--json")
    payload = json.loads(result.output)
    assert result.exit_code == 3 and payload["certified"] and payload["complete"] is False
    assert payload["open_faces"] == 1 and payload["verdict"] == "spurious-local-minima"


def test_classify_exact_network(tmp_path):
    instance, net = tmp_path / "i.json", tmp_path / "n.json"
    instance.write_text('{"X": [[-1], [1]], "y": [1, "1/2"], "lambda": "1/8"}')
    net.write_text('{"a": ["1/2"], "W": [["1/2"]]}')
    payload = json.loads(run("classify", instance, net, "--json").output)["point"]
    assert payload["verdict"] == "spurious-local-minimum"
    assert payload["loss"]["exact"] == "19/64"


def test_bad_network_file_is_a_one_line_error(tmp_path):
    net = tmp_path / "n.json"
    net.write_text('{"a": [1, 2], "W": [[1]]}')
    result = run("classify", DATA / "paper" / "one-dimensional.json", net)
    assert result.exit_code == 2 and result.stderr.startswith("error: W: has 1 rows but a has 2")


def test_census_json_and_checkpoint(tmp_path):
    result = run("census", DATA / "paper" / "orthogonal-3.json", "--width", "3", "--json", "--out", tmp_path,
                 "--no-local-minima")
    assert result.exit_code == 0, result.output + result.stderr
    payload = json.loads(result.output)
    assert payload["exhaustive"] is True and payload["p_contains_global"] == __import__("pytest").approx(0.15234375)
    assert {"p_contains_global", "p_spurious_local_min", "p_no_local_min", "p_no_global_min", "p_undecided",
            "favourability", "p_fully_covered", "regions_classified", "seconds", "sampler"} <= set(payload)
    assert len(list(tmp_path.glob("census-width-3-*.checkpoint.jsonl"))) == 1
    assert (tmp_path / "census-width-3-gaussian.json").exists()
    assert (tmp_path / "certificates" / "L-star-m.json").exists() and (tmp_path / "certificates" / "regions.jsonl").exists()
    assert json.loads((tmp_path / "census-width-3-gaussian.json").read_text())["instance_digest"] == \
        payload["instance_digest"]


def test_search_writes_a_certified_counterexample(tmp_path):
    result = run("search", "--n", "2", "--d", "1", "--width", "1", "--budget", "20", "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output + result.stderr
    finds = json.loads(result.output)["finds"]
    assert finds
    certificate = next(tmp_path.glob("*.cert.json"))
    assert run("check", certificate).exit_code == 0


def test_train_plot_reference_lines_are_certified_optima(tmp_path, monkeypatch):
    """train --plot draws C* and L*_m as certified by the checker (C* <= L*_m); L*_m is left out when C* needs
    more than m neurons and its region programs are too many."""
    import verifier.cli as cli
    from verifier.instance import Instance

    data = Instance.load(DATA / "examples" / "planar.json")
    references = cli._reference_optima(data, 3, quiet=True)
    c_star, l_star = references["$C^*$"], references["$L^*_{3}$"]
    assert c_star.certified and l_star.certified
    assert c_star.lower <= c_star.upper <= l_star.upper and c_star.lower <= l_star.lower <= l_star.upper
    monkeypatch.setattr(cli, "_REFERENCE_SETS", 0)
    assert list(cli._reference_optima(data, 3, quiet=True)) == ["$C^*$"]    # 4 neurons needed, 1140 sets
    plot = tmp_path / "loss.png"
    result = run("train", DATA / "examples" / "planar.json", "--width", "2", "--steps", "50", "--plot", plot)
    assert result.exit_code == 0, result.output
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_search_text_and_its_bar_agree_with_what_happened(tmp_path):
    """The summary names the count in the right number (issue 21 printed "minimuma"), and the searching bar ends
    where the search stopped (at the first find), not at the budget's 20/20."""
    import re

    result = run("search", "--n", "2", "--d", "1", "--width", "1", "--budget", "20", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[0]
    match = re.fullmatch(r"found 1 certified spurious local minimum after (\d+\.\d) s of search, shrunk in "
                         r"\d+\.\d s \(written to .*\)", summary)
    assert match, summary
    ends = re.findall(r"searching:[^\r\n]*?\| ([\d.]+)/20\.0 ", result.stderr)
    assert ends and float(ends[-1]) == float(match.group(1)) < 20
    nothing = run("search", "--n", "1", "--d", "1", "--width", "1", "--budget", "1", "--out", tmp_path / "none")
    assert nothing.stdout.startswith("found 0 certified spurious local minima in 1 s")


def test_one_notation_for_a_signed_face(tmp_path):
    """train, certify and classify --endpoint print a signed face as 'tau:s' (sign vector with 0 on kinks, colon,
    sign of a), as checker.core.pattern_name formats it; a width-2 endpoint with a dead neuron on a kink reads
    '0+:+', and its text verdict line names the point near the endpoint, not the endpoint."""
    import re

    from verifier.checker.core import pattern_name

    assert pattern_name("+-+", 1) == "+-+:+" and pattern_name("++-", -1, [1]) == "+0-:-"
    face = re.compile(r"^[+\-0]+:[+\-]$")
    example = DATA / "paper" / "one-dimensional-eighth.json"
    trained = run("train", example, "--width", "2", "--steps", "300", "--json")
    assert all(face.match(name) for name in json.loads(trained.output)["region"])
    catalog = json.loads(run("certify", example, "--width", "2", "--json").output)
    assert all(face.match(part) for entry in catalog["spurious"] for part in entry["face"].split(" x "))
    instance, net = tmp_path / "i.json", tmp_path / "n.json"
    instance.write_text('{"X": [[1, 0], [1, 1]], "y": [1, 1], "lambda": "7/32"}')
    net.write_text('{"a": ["3/4", "0"], "W": [["0", "3/4"], ["0", "0"]]}')
    result = run("classify", instance, net, "--endpoint")
    assert result.exit_code == 0, result.output + result.stderr
    assert "region     0+:+\n" in result.output
    assert "near       near-non-stationary-point (the exact point near this endpoint" in result.output
    assert "saddle" not in result.output.split("near ")[1].split("\n")[0]


def test_not_converged_says_no_stationary_point_was_identified(tmp_path):
    instance, net = tmp_path / "i.json", tmp_path / "n.json"
    instance.write_text('{"X": [[-1], [1]], "y": [1, "1/2"], "lambda": "1/8"}')
    net.write_text('{"a": [0.9], "W": [[0.2]]}')
    result = run("classify", instance, net, "--endpoint", "--tolerance", "1e-3")
    assert result.exit_code == 0, result.output + result.stderr
    line = next(x for x in result.output.splitlines() if x.startswith("near "))
    assert "no stationary point identified near this endpoint; the endpoint itself is not converged (certified " \
           "descent rate" in line and "the stationary point near" not in result.output
    assert run("classify", instance, net, "--endpoint", "--tolerance", "0").exit_code == 2


def test_a_network_written_by_train_bias_records_its_bias_column(tmp_path):
    """train --bias --out writes "bias": true; classify then adds the constant-1 feature itself (with a note), and
    reading it against the instance without a bias column names the fix ("add --bias")."""
    from verifier.errors import InputError
    from verifier.instance import Instance
    from verifier.models import read_network

    example, net = DATA / "examples" / "three-points.json", tmp_path / "net.json"
    assert run("train", example, "--width", "2", "--steps", "200", "--bias", "--out", net).exit_code == 0
    assert json.loads(net.read_text())["bias"] is True
    result = run("classify", example, net, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["bias"] is True and "bias column" in result.stderr
    try:
        read_network(net, Instance.load(example).d)
        raise AssertionError("a biased network read against the instance without its bias column")
    except InputError as error:
        assert "add --bias" in str(error)
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({k: v for k, v in json.loads(net.read_text()).items() if k != "bias"}))
    result = run("classify", example, plain)
    assert result.exit_code == 2 and "add --bias" in result.stderr and result.stderr.count("\n") == 1
    plain.write_text(json.dumps({**json.loads(plain.read_text()), "bias": "yes"}))
    result = run("classify", example, plain, "--bias")
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {plain}: bias")


def test_census_and_certify_name_their_different_favourability_measures():
    """`census` and `certify` measure favourability differently (initialization mass among regions with an interior
    local minimum vs local minima counted by product face): on orthogonal-3 at width 2 one is 0, the other 2/3. Each
    output names its measure, in the text and in the JSON, and the two names differ."""
    from verifier.catalog import FAVOURABILITY_MEASURE as by_count
    from verifier.census import FAVOURABILITY_MEASURE as by_mass

    example = DATA / "paper" / "orthogonal-3.json"
    census, certify = run("census", example, "--width", "2"), run("certify", example, "--width", "2")
    assert census.exit_code == 0 and certify.exit_code == 0, census.output + certify.output
    census_line = next(line for line in census.stdout.splitlines() if line.startswith("favourability "))
    certify_line = next(line for line in certify.stdout.splitlines() if line.startswith("favourable "))
    assert by_mass != by_count and by_mass not in certify.stdout and by_count not in census.stdout
    assert by_mass in census_line and "initialization mass" in by_mass and "interior local minimum" in by_mass
    assert by_count in certify_line and "by count of product faces" in by_count
    assert census_line.split()[1] == "0" and ": 0.6667 " in certify_line      # no number changed: 0 and 2/3
    census_json = json.loads(run("census", example, "--width", "2", "--json").output)
    certify_json = json.loads(run("certify", example, "--width", "2", "--json").output)
    assert census_json["favourability_measure"] == by_mass and census_json["favourability"] == 0
    assert certify_json["favourability"]["measure"] == by_count
    assert certify_json["favourability"]["spurious_by_count_exact"] == ["2/3", "2/3"]
