"""The command line: parse, call the package, print. No mathematics here."""

from __future__ import annotations

import decimal
import json
import sys
import time
from decimal import Decimal
from fractions import Fraction

import click

from . import certificates, checker
from .errors import VerifierError
from .instance import Instance

__all__ = ["main"]


class _Group(click.Group):
    """Turns every VerifierError into `error: field: problem` and its exit status (no traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VerifierError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_status)


def _emit(payload: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(payload, indent=1))
    else:
        click.echo("\n".join(lines))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="verifier")
def main():
    """Certify, exactly, the weight-decay loss landscape of two-layer ReLU networks."""


@main.command("enumerate")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--graph", type=click.Path(dir_okay=False), help="Write the chamber graph (GraphML).")
@click.option("--plot", type=click.Path(dir_okay=False), help="Write a figure (PNG, PDF or SVG).")
@click.option("--certificate", type=click.Path(dir_okay=False), help="Write the enumeration certificate.")
@click.option("--samples", default=200_000, show_default=True, help="Monte Carlo samples for measures (rank >= 4).")
def enumerate_command(instance, bias, as_json, graph, plot, certificate, samples):
    """Enumerate the chambers (activation patterns) of INSTANCE with exact witnesses."""
    from .arrangement import enumerate_chambers
    from .graph import chamber_graph, write_graphml
    from .plots import arrangement_figure, save_figure

    data = Instance.load(instance, bias=bias)
    start = time.perf_counter()
    arrangement = enumerate_chambers(data.X)
    seconds = time.perf_counter() - start
    document = certificates.enumeration_certificate(data, arrangement)
    verdict = checker.check(document)
    measures = arrangement.measures(samples=samples)
    figure = arrangement_figure(arrangement) if plot else None
    network = chamber_graph(arrangement, measures.values) if graph else None
    if certificate:
        certificates.save(certificate, document)
    if network is not None:
        write_graphml(network, graph)
    if figure is not None:
        save_figure(figure, plot)
    patterns = arrangement.patterns()
    payload = {
        "n": data.n, "d": data.d, "rank": arrangement.rank, "hyperplanes": len(arrangement.normals),
        "chambers": len(arrangement), "lattice_count": arrangement.lattice_count,
        "complete": arrangement.complete and verdict.proved, "certified": verdict.proved,
        "measure_method": measures.method, "measure_error": measures.error,
        "seconds": round(seconds, 4),
    }
    if len(arrangement) <= 64:
        payload["patterns"] = {p: float(m) for p, m in zip(patterns, measures.values)}
    lines = [
        f"instance   {data.name or instance}  (n={data.n}, d={data.d})",
        f"hyperplanes {len(arrangement.normals)} distinct, rank {arrangement.rank}",
        f"chambers   {len(arrangement)} enumerated, {arrangement.lattice_count} by Zaslavsky's count",
        f"complete   {'yes (checker accepted the certificate)' if payload['complete'] else 'NOT CERTIFIED'}",
        f"measures   {measures.method} (error <= {measures.error:.2g})",
        f"seconds    {seconds:.3f}",
    ]
    if "patterns" in payload:
        lines += [f"  {p}  measure {m:.6f}" for p, m in payload["patterns"].items()]
    _emit(payload, as_json, lines)
    if not verdict.proved:
        sys.exit(1)


def _interval(bounds) -> dict:
    from .numbers import format_rational

    return {"lower": format_rational(bounds.lower), "upper": format_rational(bounds.upper),
            "lower_float": float(bounds.lower), "upper_float": float(bounds.upper),
            "relative_gap": float(bounds.relative_gap), "certified": bounds.certified}


@main.command("solve")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1), help="Also certify L*_m for this width m.")
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--digits", default=20, show_default=True, type=click.IntRange(6, 200),
              help="Polishing precision: relative gaps reach about 10^-digits (e.g. 40 for 1e-30).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--certificate", type=click.Path(dir_okay=False), help="Write the certificate (L*_m with --width, else C*).")
@click.option("--network", type=click.Path(dir_okay=False), help="Write an optimal network (width m with --width).")
def solve_command(instance, width, bias, digits, as_json, certificate, network):
    """Certified bounds on the convex optimum C* and, with --width, on the width-m optimum L*_m."""
    from tqdm import tqdm

    from .arrangement import enumerate_chambers
    from .convex import ConvexPrograms
    from .files import write_json
    from .network import lift
    from .optimum import certify_convex_optimum, certify_width_optimum

    data = Instance.load(instance, bias=bias)
    width = width or data.width
    start = time.perf_counter()
    arrangement = enumerate_chambers(data.X)
    programs = ConvexPrograms(data)
    optimum = certify_convex_optimum(data, arrangement, programs, digits)
    result = optimum
    payload = {"n": data.n, "d": data.d, "chambers": len(arrangement),
               "convex_optimum": _interval(optimum), "support_size": len(optimum.neurons)}
    if width:
        with tqdm(desc=f"L*_{width}", disable=as_json, file=sys.stderr, leave=False) as bar:
            def progress(done, total):
                bar.total = total
                bar.n = done
                bar.refresh()
            result = certify_width_optimum(data, arrangement, width, programs, digits, progress)
        payload["width"] = width
        payload["width_optimum"] = _interval(result)
        payload["region_programs_solved"] = result.solves
    payload["certified"] = optimum.certified and result.certified
    payload["seconds"] = round(time.perf_counter() - start, 3)
    if certificate:
        certificates.save(certificate, result.document)
    if network:
        write_json(network, {"instance": data.name, "loss_upper_bound": payload.get("width_optimum", payload[
            "convex_optimum"])["upper"], **lift(result.neurons, digits).to_dict()})
    lines = [f"instance   {data.name or instance}  (n={data.n}, d={data.d}, lambda={data.lam}), {len(arrangement)} chambers"]
    for label, key in (("C*", "convex_optimum"), (f"L*_{width}", "width_optimum")):
        if key in payload:
            iv = payload[key]
            status = "certified" if iv["certified"] else "NOT CERTIFIED (inconclusive)"
            lines.append(f"{label:<10} in [{iv['lower_float']:.15g}, {iv['upper_float']:.15g}]  "
                         f"relative gap {iv['relative_gap']:.1e}  {status}")
    lines.append(f"support    {len(optimum.neurons)} neurons in an optimal convex solution")
    lines.append(f"seconds    {payload['seconds']}")
    _emit(payload, as_json, lines)
    if not payload["certified"]:
        sys.exit(1)


def _exact(value):
    """Fractions (and tuples of them) as exact strings beside their floats."""
    if hasattr(value, "denominator"):
        return {"exact": str(value), "float": float(value)}
    if isinstance(value, tuple) and value and all(hasattr(v, "denominator") for v in value):
        return {"exact": [str(v) for v in value], "float": [float(v) for v in value]}
    return value


def _classification_payload(result) -> dict:
    details = {k: _exact(v) for k, v in result.details.items()}
    return {"verdict": result.verdict, "reason": result.reason, "certified": result.certified, **details}


@main.command("train")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1), required=True, help="Number of neurons m.")
@click.option("--init-scale", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="w_j ~ ALPHA N(0, I), a_j ~ ALPHA N(0, 1).")
@click.option("--seed", default=0, show_default=True)
@click.option("--steps", default=20000, show_default=True, type=click.IntRange(min=1))
@click.option("--lr", default=0.05, show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the final network and the loss curve (JSON).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def train_command(instance, width, init_scale, seed, steps, lr, bias, out, as_json):
    """Full-batch gradient descent from a Gaussian initialization of scale ALPHA."""
    from tqdm import tqdm

    from .files import write_json
    from .landscape import Context, identify_region
    from .network import Network, train

    data = Instance.load(instance, bias=bias)
    with tqdm(total=steps, desc="gradient descent", disable=as_json, file=sys.stderr, leave=False) as bar:
        trajectory = train(data, width, init_scale, seed, steps, lr, every=max(1, steps // 1000),
                           progress=lambda step: bar.update(step - bar.n))
    a, W = trajectory.final
    alive, kinks, dead = identify_region(Context(data, width), a, W)
    payload = {"final_loss": trajectory.losses[-1], "width": width, "init_scale": init_scale, "seed": seed,
               "steps": steps, "lr": lr, "region": [p.label + ("+" if p.s > 0 else "-") for p in alive.values()],
               "dead": dead, "on_hyperplanes": sorted(kinks)}
    if out:
        write_json(out, {**Network.from_floats(a, W).to_dict(), "losses": trajectory.losses,
                         "loss_every": trajectory.every, **{k: v for k, v in payload.items() if k != "region"},
                         "region": payload["region"]})
    lines = [f"final loss {payload['final_loss']:.12g} after {steps} steps (width {width}, scale {init_scale})",
             f"region     {' '.join(payload['region']) or '(all neurons dead)'}",
             f"dead       {dead or 'none'}; on hyperplanes: {kinks or 'none'}"]
    _emit(payload, as_json, lines)


@main.command("classify")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.argument("network", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1),
              help="Width m (default: the network's width; a larger m pads the network with zero neurons).")
@click.option("--endpoint", "--float", "as_endpoint", is_flag=True,
              help="Also treat NETWORK as a gradient-descent endpoint: certify the stationary point near it.")
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--certificate", type=click.Path(dir_okay=False), help="Write the verdict's certificate.")
def classify_command(instance, network, width, as_endpoint, bias, as_json, certificate):
    """The exact verdict on the network given (SPEC §5): global minimum, spurious local minimum, local minimum,
    or not a local minimum, each with a certificate; with --endpoint, also the stationary point near it.

    The numbers in NETWORK are read exactly, so the verdict is about that very point: a trained network is
    almost never exactly balanced and stationary, so it is `not-a-local-minimum` (certified). --endpoint then
    identifies the exact stationary point near it and reports on that point separately ("near ...").
    Exit status: 0 certified, 3 inconclusive, 2 bad input."""
    from .landscape import Context, classify_endpoint, classify_network
    from .network import Network

    data = Instance.load(instance, bias=bias)
    net = Network.load(network, d=data.d)
    context = Context(data, width or net.width)
    start = time.perf_counter()
    result = classify_network(context, net)
    payload = {"point": _classification_payload(result)}
    lines = [f"point      {result.verdict}{'' if result.certified or result.verdict == 'inconclusive' else ' (NOT CERTIFIED)'}",
             f"reason     {result.reason}"]
    chosen = result
    if as_endpoint:
        a, W = net.arrays()
        near = classify_endpoint(context, a, W)
        payload["near"] = _classification_payload(near)
        lines += [f"near       {near.verdict} (the stationary point near this endpoint)"
                  f"{'' if near.certified or near.verdict == 'inconclusive' else ' (NOT CERTIFIED)'}",
                  f"reason     {near.reason}"]
        lines += [f"{k:<10} {v['float'] if isinstance(v, dict) and 'float' in v else v}"
                  for k, v in payload["near"].items() if k not in ("verdict", "reason", "certified")]
        chosen = near
    elif result.verdict == "not-a-local-minimum" and net.unbalanced():
        lines.append("hint       a trained network is never exactly stationary: --endpoint certifies the stationary "
                     "point near it")
    payload["seconds"] = round(time.perf_counter() - start, 3)
    if certificate and chosen.document is not None and chosen.certified:
        certificates.save(certificate, chosen.document)
    _emit(payload, as_json, lines)
    sys.exit(0 if chosen.certified else 3)


@main.command("certify")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1), required=True, help="Number of neurons m.")
@click.option("--runs", default=20, show_default=True, type=click.IntRange(min=0), help="Gradient-descent runs.")
@click.option("--init-scale", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True)
@click.option("--seed", default=0, show_default=True)
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--certificate", type=click.Path(dir_okay=False), help="Write the spurious local minimum's certificate.")
def certify_command(instance, width, runs, init_scale, seed, bias, as_json, certificate):
    """Search the width-m landscape for spurious local minima (regions and gradient-descent endpoints)."""
    from tqdm import tqdm

    from .landscape import Context, certify_landscape

    data = Instance.load(instance, bias=bias)
    context = Context(data, width)
    bars: dict = {}

    def progress(stage, done, total):
        if as_json:
            return
        bar = bars.setdefault(stage, tqdm(total=total, desc=stage, file=sys.stderr, leave=False))
        bar.update(done - bar.n)

    report = certify_landscape(context, runs, init_scale, seed, progress=progress)
    for bar in bars.values():
        bar.close()
    if certificate and report.certificate is not None:
        certificates.save(certificate, report.certificate)
    low, high = report.global_value
    payload = {"verdict": report.verdict, "width": width,
               "global_value": {"lower": str(low), "upper": str(high), "lower_float": float(low),
                                "upper_float": float(high)},
               "regions_tested": report.regions_tested, "regions_region_spurious": report.regions_region_spurious,
               "regions_fully_covered": report.regions_fully_covered, "spurious_regions_certified": len(report.found),
               "runs": report.runs, "counts": report.counts, "seconds": round(report.seconds, 2)}
    searched = (f"{report.regions_tested} regions tested ({report.regions_region_spurious} region-spurious, "
                f"{report.regions_fully_covered} fully covered), {report.runs} gradient-descent runs")
    lines = [f"verdict    {report.verdict}" + ("" if report.certificate else "  (no proof of benignity: searched "
                                                  + searched + ")"),
             f"L*_{width}      in [{float(low):.15g}, {float(high):.15g}]",
             f"searched   {searched}",
             f"endpoints  {report.counts}",
             f"seconds    {payload['seconds']}"]
    _emit(payload, as_json, lines)


@main.command("census")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1), required=True, help="Number of neurons m.")
@click.option("--samples", default=2000, show_default=True, type=click.IntRange(min=1),
              help="Random initializations when the sets are too many to enumerate.")
@click.option("--limit", default=200_000, show_default=True, type=click.IntRange(min=1),
              help="Enumerate all sets of at most m signed patterns when there are at most this many.")
@click.option("--seed", default=0, show_default=True)
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--out", type=click.Path(file_okay=False), help="Directory for the checkpoint and the result JSON.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def census_command(instance, width, samples, limit, seed, bias, out, as_json):
    """Probability that a random width-m initialization lands in a region holding a global minimum."""
    from tqdm import tqdm

    from .census import run_census
    from .landscape import Context

    data = Instance.load(instance, bias=bias)
    context = Context(data, width)
    with tqdm(desc="census", disable=as_json, file=sys.stderr, leave=False) as bar:
        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)
        try:
            census = run_census(context, samples, limit, seed, out, progress=progress)
        except KeyboardInterrupt:
            click.echo("interrupted: finished regions are in the checkpoint; rerun the same command to resume"
                       if out else "interrupted (use --out DIR to keep a checkpoint)", err=True)
            sys.exit(130)
    payload = {**census.to_dict(), "classes": census.classes, "chambers": len(context.arrangement),
               "signed_patterns": len(context.patterns)}

    def show(value):
        return f"{value:.6g}" if isinstance(value, float) else f"[{value[0]:.4g}, {value[1]:.4g}] (Wilson 95%)"

    mode = "exhaustive (exact weights)" if census.exhaustive else f"{census.samples} samples"
    lines = [f"width {width}: {len(context.patterns)} signed patterns, {mode}",
             f"p_contains_global   {show(census.p_contains_global)}  (epsilon {census.epsilon:.2g})",
             f"p_region_spurious   {show(census.p_region_spurious)}",
             f"p_undecided         {show(census.p_undecided)}",
             f"p_fully_covered     {show(census.p_fully_covered)}",
             f"regions classified  {census.regions_classified} {census.classes}",
             f"chamber measures    {census.measure_method} (error <= {census.measure_error:.2g} each)",
             f"seconds             {census.seconds:.2f}"]
    _emit(payload, as_json, lines)


@main.command("reproduce")
@click.option("--quick", is_flag=True, help="Small widths and few runs: under 5 minutes on 2 cores.")
@click.option("--out", type=click.Path(file_okay=False), default="reproduction", show_default=True,
              help="Directory for report.md, claims.json and the figures.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of every number instead of the table.")
def reproduce_command(quick, out, as_json):
    """Reproduce the paper's three claims (sufficiency, necessity, initialization) as a report."""
    from tqdm import tqdm

    from .census import midpoint
    from .reproduce import reproduce

    with tqdm(desc="reproduce", unit="experiment", disable=as_json, file=sys.stderr, leave=False) as bar:
        results = reproduce(out, quick, progress=lambda _: bar.update())
    lines = ["claim 1 (sufficiency): p(region holds a global minimum) by width"]
    for key, case in results["sufficiency"].items():
        cells = ", ".join(f"m={r['m']}: {midpoint(r['p_contains_global']):.2f}" for r in case["widths"])
        lines.append(f"  {key} (P = {case['chambers']}, 2P = {case['signed_patterns']}): {cells}")
    lines.append("claim 2 (necessity, orthogonal data): census vs SPEC §7 closed form")
    for key, case in results["necessity"].items():
        cells = ", ".join(f"m={r['m']}: {midpoint(r['p_contains_global']):.2f}/"
                          f"{'-' if r['closed_form'] is None else format(r['closed_form'], '.2f')}" for r in case["widths"])
        lines.append(f"  {key} (2^n = {case['2^n']}): {cells}")
    lines.append("claim 3 (initialization): endpoints certified global / runs")
    for r in results["initialization"]["rows"]:
        lines.append(f"  width {r['width']:>2}, scale {r['init_scale']:<6g} {r['global']}/{r['runs']} global, "
                     f"{r['spurious']} spurious, {r['inconclusive']} inconclusive")
    lines.append(f"report: {out}/report.md ({results['seconds']} s)")
    _emit(results, as_json, lines)


@main.command("search")
@click.option("--n", "n", type=click.IntRange(min=1), required=True, help="Number of data points.")
@click.option("--d", "d", type=click.IntRange(min=1), required=True, help="Input dimension.")
@click.option("--width", type=click.IntRange(min=1), required=True, help="Number of neurons m.")
@click.option("--budget", default=60.0, show_default=True, type=click.FloatRange(min=0), help="Seconds to search.")
@click.option("--seed", default=0, show_default=True)
@click.option("--keep-width", is_flag=True, help="Shrink points and integers only, never the width.")
@click.option("--out", type=click.Path(file_okay=False), default="data/counterexamples", show_default=True,
              help="Where instance + certificate pairs are written.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def search_command(n, d, width, budget, seed, keep_width, out, as_json):
    """Search small integer instances for certified spurious local minima; shrink and save each find."""
    from tqdm import tqdm

    from .search import search

    with tqdm(desc="instances tried", disable=as_json, file=sys.stderr, leave=False) as bar:
        finds = search(n, d, width, budget, seed, out, keep_width, progress=lambda tried, found: bar.update())
    rows = [{"n": f.instance.n, "d": f.instance.d, "width": f.width, "lambda": str(f.instance.lam),
             "X": [[str(x) for x in row] for row in f.instance.X], "y": [str(v) for v in f.instance.y]} for f in finds]
    lines = [f"found {len(finds)} certified spurious local minimum" + ("" if len(finds) == 1 else "a")
             + (f" (written to {out})" if finds else f" in {budget:g} s")]
    lines += [f"  n={r['n']} d={r['d']} m={r['width']} lambda={r['lambda']} X={r['X']} y={r['y']}" for r in rows]
    _emit({"finds": rows, "out": out}, as_json, lines)


@main.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--instance", "instance_file", type=click.Path(dir_okay=False),
              help="Also require the certificate to be about this instance (same data, by digest).")
@click.option("--bias", is_flag=True, help="With --instance: append a constant-1 feature to its rows.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check_command(file, instance_file, bias, as_json):
    """Verify a certificate exactly and print what it proves: exit 0 iff its claim is proved, 1 if refuted
    (or about another instance than --instance), 2 if malformed."""
    document = certificates.load(file)
    expected = Instance.load(instance_file, bias=bias) if instance_file else None
    verdict = checker.check(document)
    payload = verdict.to_dict()
    if expected is not None:
        payload["instance_matches"] = verdict.instance["digest"] == expected.digest()
        if not payload["instance_matches"]:
            payload["proved"] = False
            payload["failures"] = payload["failures"] + [
                f"the certificate is about instance {verdict.instance['digest'][:16]}..., not {instance_file} "
                f"({expected.digest()[:16]}...)"]
    about = verdict.instance
    status = "proved" if payload["proved"] else "REFUTED"
    lines = [f"{status}: {verdict.claim}",
             f"  instance: sha256 {about['digest']}  (n={about['n']}, d={about['d']}, "
             f"lambda={about['lambda']} = {float(Fraction(about['lambda'])):.6g})"]
    for key, value in verdict.facts.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, str) and _is_rational(value):
            value = f"{value} = {_approximate(value)}" if "/" in value else value
        lines.append(f"  {key}: {value}")
    lines += [f"  failure: {f}" for f in payload["failures"]]
    _emit(payload, as_json, lines)
    sys.exit(0 if payload["proved"] else 1)


def _approximate(text: str) -> str:
    """A rational 'p/q' to 12 significant digits, whatever its size (float() overflows above 1e308 and a proved
    bound may have 2000 digits)."""
    q = Fraction(text)
    with decimal.localcontext() as context:
        context.prec = 12
        return f"{Decimal(q.numerator) / Decimal(q.denominator):g}"


def _is_rational(text: str) -> bool:
    try:
        Fraction(text)
    except ValueError:
        return False
    return True


@main.group("bench")
def bench_group():
    """Benchmarks (speed targets are measured here, not in tests)."""


@bench_group.command("solve")
@click.option("--json", "as_json", is_flag=True)
@click.option("--digits", default=20, show_default=True)
def bench_solve_command(as_json, digits):
    """C* certified on random integer instances (X, y in -1000..1000, lambda = 10^4)."""
    from .bench import SOLVE_CASES, bench_solve

    rows = bench_solve(SOLVE_CASES, digits)
    header = f"{'n':>4} {'d':>3} {'chambers':>9} {'support':>8} {'rel. gap':>9} {'certified':>9} {'seconds':>8}"
    lines = [header] + [f"{r['n']:>4} {r['d']:>3} {r['chambers']:>9} {r['support']:>8} {r['relative_gap']:>9.1e} "
                        f"{str(r['certified']):>9} {r['seconds']:>8.2f}" for r in rows]
    _emit({"solve": rows}, as_json, lines)


@bench_group.command("enumerate")
@click.option("--json", "as_json", is_flag=True)
@click.option("--seed", default=0, show_default=True)
def bench_enumerate_command(as_json, seed):
    """Chamber enumeration on random integer data (entries -1000..1000)."""
    from tqdm import tqdm

    from .bench import ENUMERATE_CASES, bench_enumerate

    with tqdm(total=len(ENUMERATE_CASES), desc="bench enumerate", disable=as_json, file=sys.stderr) as bar:
        rows = bench_enumerate(seed=seed, progress=lambda row: bar.update())
    header = f"{'n':>4} {'d':>3} {'chambers':>9} {'gen.pos.':>9} {'seconds':>8} {'chambers/s':>11} {'peak MB':>8}"
    lines = [header] + [
        f"{r['n']:>4} {r['d']:>3} {r['chambers']:>9} {r['general_position']:>9} {r['seconds']:>8.3f} "
        f"{r['chambers_per_second']:>11} {r['peak_mb']:>8.1f}" for r in rows
    ]
    _emit({"enumerate": rows}, as_json, lines)
