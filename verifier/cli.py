"""The command line: parse, call the package, print. No mathematics here."""

from __future__ import annotations

import json
import sys

import click

from . import certificates
from .errors import InputError, VerifierError
from .display import Estimate, counts, decimal, quantity, readable, rounded
from .instance import Instance
from .numbers import FLOAT_RULE
from .progress import progress_bar, staged_bar

__all__ = ["main"]


class _Group(click.Group):
    """Turns every VerifierError into `error: field: problem` and its exit status, and Ctrl-C into one line
    and exit status 130 (no traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VerifierError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_status)
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            ctx.exit(130)


def _emit(payload: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(payload, indent=1))
    else:
        click.echo("\n".join(lines))


def _cluster_options(command):
    """--workers / --scheduler: where independent tasks run (see verifier.parallel)."""
    command = click.option("--scheduler", metavar="ADDRESS",
                           help="Run tasks on this dask scheduler (default: $DASK_SCHEDULER_ADDRESS if set).")(command)
    return click.option("--workers", type=click.IntRange(min=1),
                        help="Run tasks on a local dask cluster of this many processes (default: in process).")(command)


def _tasks(workers, scheduler):
    from .parallel import Tasks

    return Tasks(workers, scheduler)


def _with_rule(payload: dict) -> dict:
    """A payload computed from instance data, with the rule by which floats were read (`numbers.FLOAT_RULE`)."""
    return {**payload, "float_rule": FLOAT_RULE}


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
    from .api import enumeration
    from .graph import chamber_graph, write_graphml
    from .plots import arrangement_figure, save_figure

    data = Instance.load(instance, bias=bias)
    found = enumeration(data, samples)
    arrangement, measures = found.arrangement, found.measures
    figure = arrangement_figure(arrangement) if plot else None
    network = chamber_graph(arrangement, measures.values) if graph else None
    if certificate:
        certificates.save(certificate, found.document)
    if network is not None:
        write_graphml(network, graph)
    if figure is not None:
        save_figure(figure, plot)
    patterns = arrangement.patterns()
    payload = {
        "n": data.n, "d": data.d, "rank": arrangement.rank, "hyperplanes": len(arrangement.normals),
        "chambers": len(arrangement), "lattice_count": arrangement.lattice_count,
        "complete": found.complete, "certified": found.verdict.proved,
        "measure_method": measures.method, "measure_error": measures.error,
        "seconds": round(found.seconds, 4),
    }
    if len(arrangement) <= 64:
        payload["patterns"] = {p: float(m) for p, m in zip(patterns, measures.values)}
    lines = [
        f"instance   {data.name or instance}  (n={data.n}, d={data.d})",
        f"hyperplanes {len(arrangement.normals)} distinct, rank {arrangement.rank}",
        f"chambers   {len(arrangement)} enumerated, {arrangement.lattice_count} by Zaslavsky's count",
        f"complete   {'yes (checker accepted the certificate)' if payload['complete'] else 'NOT CERTIFIED'}",
        f"measures   {measures.method} (error <= {measures.error:.2g})",
        f"seconds    {found.seconds:.3f}",
    ]
    if "patterns" in payload:
        lines += [f"  {p}  measure {m:.6f}" for p, m in payload["patterns"].items()]
    _emit(_with_rule(payload), as_json, lines)
    if not found.verdict.proved:
        sys.exit(1)


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
    from .api import optima
    from .files import write_json
    from .network import lift

    data = Instance.load(instance, bias=bias)
    width = width or data.width
    with progress_bar(f"L*_{width} region programs", disable=as_json or not width, unit="program") as advance:
        solution = optima(data, width, digits, lambda done, total: advance(done, total))
    optimum, result = solution.convex, solution.result
    payload = {"n": data.n, "d": data.d, "chambers": solution.chambers,
               "convex_optimum": optimum.to_dict(), "support_size": len(optimum.neurons)}
    if width:
        payload["width"] = width
        payload["width_optimum"] = result.to_dict()
        payload["region_programs_solved"] = result.solves
    payload["certified"] = solution.certified
    payload["seconds"] = round(solution.seconds, 3)
    if certificate:
        certificates.save(certificate, result.document)
    if network:
        write_json(network, {"instance": data.name, "loss_upper_bound": payload.get("width_optimum", payload[
            "convex_optimum"])["upper"], **lift(result.neurons, digits).to_dict()})
    lines = [f"instance   {data.name or instance}  (n={data.n}, d={data.d}, lambda={decimal(data.lam)}), "
             f"{solution.chambers} chambers"]
    for label, bounds in (("C*", optimum), (f"L*_{width}", result if width else None)):
        if bounds is not None:
            status = "certified" if bounds.certified else "NOT CERTIFIED (inconclusive)"
            value = Estimate(bounds.lower, bounds.upper).text(15, stated=True)
            lines.append(f"{label:<10} {value}  relative gap {float(bounds.relative_gap):.1e}  {status}")
    lines.append(f"support    {len(optimum.neurons)} neurons in an optimal convex solution")
    lines.append(f"seconds    {payload['seconds']}")
    _emit(_with_rule(payload), as_json, lines)
    if not payload["certified"]:
        sys.exit(1)


@main.command("train")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1), required=True, help="Number of neurons m.")
@click.option("--init", type=click.Choice(["gaussian", "balanced"]), default="gaussian", show_default=True,
              help="gaussian: w_j ~ ALPHA N(0, I), a_j ~ ALPHA N(0, 1); balanced (the authors'): "
                   "w_j ~ N(0, ALPHA^2 I), a_j = +-||w_j||.")
@click.option("--init-scale", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="The scale ALPHA of the initialization.")
@click.option("--seed", default=0, show_default=True)
@click.option("--steps", default=20000, show_default=True, type=click.IntRange(min=1), help="At most this many steps.")
@click.option("--until-grad", type=click.FloatRange(min=0, min_open=True),
              help="Stop once ||grad L||^2 < TOL (the authors use 1e-16).")
@click.option("--lr", default=0.05, show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the final network and the loss curve (JSON).")
@click.option("--plot", type=click.Path(dir_okay=False), help="Draw the loss curve (PNG, PDF or SVG) with the "
              "certified C* and L*_m as reference lines.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def train_command(instance, width, init, init_scale, seed, steps, until_grad, lr, bias, out, plot, as_json):
    """Full-batch gradient descent from a Gaussian or balanced initialization of scale ALPHA."""
    from .api import train
    from .endpoints import identify_face
    from .files import write_json
    from .network import Network, loss_and_gradient

    data = Instance.load(instance, bias=bias)
    with progress_bar("gradient descent", steps, disable=as_json, unit="step") as advance:
        trajectory = train(data, width, init_scale, seed, steps, lr, every=max(1, steps // 1000), progress=advance,
                           init=init, until_grad=until_grad)
    a, W = trajectory.final
    face = identify_face(data, a, W)
    _, grad_a, grad_W = loss_and_gradient(data, a, W)
    payload = {"final_loss": trajectory.losses[-1], "width": width, "init": init, "init_scale": init_scale,
               "seed": seed, "steps": trajectory.steps, "until_grad": until_grad, "lr": lr,
               "gradient_norm_squared": float(grad_a @ grad_a + (grad_W * grad_W).sum()),
               "region": face.names(), "multiplicity": face.multiplicity, "dead": face.dead}
    if out:
        write_json(out, {**Network.from_floats(a, W).to_dict(), "bias": bias, "losses": trajectory.losses,
                         "loss_every": trajectory.every, **payload})
    if plot:
        from .plots import loss_figure, save_figure

        save_figure(loss_figure(trajectory.loss_steps, trajectory.losses, _reference_optima(data, width, as_json)),
                    plot)
    lines = [f"final loss {payload['final_loss']:.12g} after {trajectory.steps} steps (width {width}, {init} init of "
             f"scale {init_scale}); ||grad||^2 = {payload['gradient_norm_squared']:.3g}",
             f"region     {' '.join(payload['region']) or '(all neurons dead)'} (neurons per face: {face.multiplicity})",
             f"dead       {', '.join(map(str, face.dead)) or 'none'}"]
    _emit(_with_rule(payload), as_json, lines)


_REFERENCE_SETS = 20_000   # train --plot certifies L*_m when C* needs more neurons only up to this many m-sets


def _reference_optima(data: Instance, width: int, quiet: bool) -> dict:
    """C* and L*_m with their certificates checked, for the reference lines of `train --plot`; L*_m is left out
    when C* needs more than m neurons and the region programs number more than `_REFERENCE_SETS` m-sets."""
    from .api import optima

    with progress_bar(f"L*_{width} for the plot", disable=quiet, unit="program") as advance:
        both = optima(data, width, 30, lambda done, total: advance(done, total), max_sets=_REFERENCE_SETS)
    references = {"$C^*$": both.convex}
    if both.width_optimum is not None:
        references[f"$L^*_{{{width}}}$"] = both.width_optimum
    return references


@main.command("classify")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.argument("network", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1),
              help="Width m (default: the network's width; a larger m pads the network with zero neurons).")
@click.option("--endpoint", "--float", "as_endpoint", is_flag=True,
              help="Also treat NETWORK as a gradient-descent endpoint: certify the stationary point near it.")
@click.option("--tolerance", type=click.FloatRange(min=0, min_open=True, max=1),
              help="With --endpoint: the coarsest relative tolerance for snapping pre-activations onto kinks "
                   "(|<x_i, u_j>| <= TOL ||x_i|| ||u_j||) and small neurons to zero; faces are tried finest first "
                   "(default: 10 ||grad L||, within [1e-3, 1e-1]).")
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--certificate", type=click.Path(dir_okay=False), help="Write the verdict's certificate.")
def classify_command(instance, network, width, as_endpoint, tolerance, bias, as_json, certificate):
    """The exact verdict on the network given (docs/mathematics.md §5): global minimum, spurious local minimum,
    local minimum, or not a local minimum, each with a certificate; with --endpoint, also the stationary point near it.

    The numbers in NETWORK are read exactly, so the verdict is about that very point: a trained network is
    almost never exactly balanced and stationary, so it is `not-a-local-minimum` (certified). --endpoint then
    identifies the product face the endpoint sits on (adaptively: finest first, snapping near-zero
    pre-activations onto their kinks and small neurons to zero up to --tolerance) and reports separately
    ("near ...") on the face's exact minimizer theta_F, with the endpoint's certified distance to it:
    near-global-minimum, near-(spurious-)local-minimum, near-(spurious-)saddle (proved stationary, not a local
    minimum), near-non-stationary-point (crossing a kink lowers the loss at first order: gradient descent does not
    stall there); or not-converged, about the endpoint itself, when no such point is identified near it.

    NETWORK is a JSON network file ({"a": [...], "W": [[...], ...]}) or a PyTorch state dict of
    nn.Sequential(nn.Linear(d, m), nn.ReLU(), nn.Linear(m, 1, bias=False)) saved as .safetensors or .npz; a
    first-layer bias turns on --bias.

    \b
    Exit status:
      0  certified verdict (global-minimum, spurious-local-minimum, local-minimum, not-a-local-minimum)
      2  bad input (a one-line error naming the field)
      3  inconclusive (the reason is printed), or a solver failure
      4  internal error (two computations disagree: please report it)
      130  interrupted (Ctrl-C)"""
    from .api import examine
    from .models import read_network

    network_file = read_network(network)
    if network_file.bias and not bias:
        click.echo("note: the network has a bias column (a first-layer bias, or written by train --bias), so the "
                   "instance gets a constant-1 feature (as with --bias)", err=True)
    data = Instance.load(instance, bias=bias or network_file.bias)
    net = network_file.fitted(data.d, network).network
    seen = examine(data, net, width, as_endpoint, tolerance)
    result, near, chosen = seen.point, seen.near, seen.chosen
    payload = {"point": result.to_dict(), "bias": bias or network_file.bias}
    lines = [f"point      {result.verdict}{'' if result.certified or result.verdict == 'inconclusive' else ' (NOT CERTIFIED)'}",
             f"reason     {result.reason}"]
    lines += [f"{key.replace('_', ' '):<10} {readable(value)}" for key, value in result.details.items()]
    if near is not None:
        payload["near"] = near.to_dict()
        lines += [f"near       {_near_line(near)}", f"reason     {near.reason}"]
        lines += [f"{key.replace('_', ' '):<10} {readable(value)}" for key, value in near.details.items()]
    elif result.verdict == "not-a-local-minimum" and net.unbalanced():
        lines.append("hint       a trained network is never exactly stationary: --endpoint certifies the exact point "
                     "near it")
    payload["seconds"] = round(seen.seconds, 3)
    lines.append(f"seconds    {payload['seconds']}")
    if certificate and chosen.document is not None and chosen.certified:
        certificates.save(certificate, chosen.document)
    _emit(_with_rule(payload), as_json, lines)
    sys.exit(0 if chosen.certified else 3)


def _near_line(near) -> str:
    """The verdict line of `classify --endpoint`: about theta_F, the exact point near the endpoint, or (for
    not-converged) about the endpoint itself."""
    if near.verdict == "not-converged":
        rate = near.details.get("rate")
        return ("no stationary point identified near this endpoint; the endpoint itself is not converged (certified "
                f"descent rate {readable(rate)})" if rate is not None else "not-converged")
    where = "the exact point near this endpoint: the minimum of its face"
    if near.verdict == "inconclusive":
        return f"inconclusive (about {where})"
    return f"{near.verdict} ({where}){'' if near.certified else ' (NOT CERTIFIED)'}"


@main.command("certify")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1), help="Number of neurons m (or --every-width).")
@click.option("--every-width", is_flag=True, help="Every width at once: the local-minimum classes, L*_m and the "
              "spurious values at each width, and from which width on they no longer change.")
@click.option("--budget", type=click.FloatRange(min=0, min_open=True), help="Stop after this many seconds "
              "(faces not reached are listed as undecided).")
@click.option("--first", is_flag=True, help="Stop at the first certified spurious local minimum.")
@click.option("--checkpoint", type=click.Path(dir_okay=False), help="Resume file for the region table (bound to the "
              "instance, the width and the settings).")
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--certificate", type=click.Path(dir_okay=False), help="Write the catalog certificate (with --first: "
              "the spurious local minimum's).")
@click.option("--plot", type=click.Path(dir_okay=False), help="Write the catalog on a loss axis (PNG, PDF or SVG).")
@_cluster_options
def certify_command(instance, width, every_width, budget, first, checkpoint, bias, as_json, certificate, plot, workers,
                    scheduler):
    """Every local minimum of width m (docs/mathematics.md §8): benign, spurious-local-minima (the catalog) or
    undecided; with --every-width, the local minima at every width at once (docs/mathematics.md §12).

    Exit status 0 for a certified, complete catalog (every product face settled; with --first, a certified
    spurious local minimum), 3 otherwise: undecided, or a catalog incomplete with k faces undecided (its spurious
    local minima are certified to exist, but others may lie in the undecided faces)."""
    if every_width or width is None:
        if width is not None or first or not every_width:
            raise click.UsageError("give exactly one of --width m and --every-width (--first needs --width)")
        _certify_every_width(instance, budget, checkpoint, bias, as_json, certificate, plot, workers, scheduler)
        return

    from .api import certify
    from .catalog import FAVOURABILITY_MEASURE as CATALOG_FAVOURABILITY, STAGES
    from .settle import LEGEND

    data = Instance.load(instance, bias=bias)
    with staged_bar("certify", STAGES, disable=as_json) as progress:
        catalog = certify(data, width, budget, first, checkpoint, progress, workers, scheduler)
    if certificate and catalog.certified and catalog.document is not None:
        certificates.save(certificate, catalog.document)
    if plot and catalog.certified:
        from .plots import catalog_figure, save_figure
        save_figure(catalog_figure(catalog), plot)
    payload = catalog.to_dict()
    if catalog.favourability:
        payload["favourability"] = {**catalog.favourability, "measure": CATALOG_FAVOURABILITY}
    lines = [f"verdict    {_catalog_verdict(catalog)}", f"{f'L*_{width}':<10} {_catalog_lstar(catalog, first)}",
             f"faces      {catalog.faces} faces, {catalog.chambers} chambers, {catalog.product_faces} product faces",
             "settled    " + (", ".join(f"{rule} {count}" for rule, count in catalog.counts.items()) or "none")
             + f"  ({_legend(LEGEND)})"]
    if catalog.verdict == "benign" and catalog.complete:
        lines.append(f"statement  every local minimum at width {width} has loss <= L*_{width} + "
                     f"{decimal(catalog.epsilon, 3)}")
    for entry in catalog.spurious:
        lines.append(f"spurious   {Estimate.of(entry['value'][0]).text()}  {entry['strict']:<11}  "
                     f"P(closure) {entry.get('probability', float('nan')):.4g}  {entry['face']}")
    for entry in catalog.undecided[:20]:
        lines.append(f"undecided  {entry['face']}: {entry['reason']}")
    if len(catalog.undecided) > 20:
        lines.append(f"undecided  ... {len(catalog.undecided) - 20} more (see --json)")
    if catalog.favourability:
        share = catalog.favourability
        lines.append(f"favourable {CATALOG_FAVOURABILITY}: {rounded(share['spurious_by_count'])} "
                     f"(certified; within {decimal(catalog.epsilon, 3)} of L*_m counts as global); "
                     f"by Gaussian weight instead: {rounded(share['spurious_by_weight'])} (computed, not certified)")
    for failure in catalog.failures:
        lines.append(f"failure    {failure}")
    lines.append(f"seconds    {payload['seconds']}")
    _emit(_with_rule(payload), as_json, lines)
    if not catalog.complete and not (first and catalog.certified and catalog.verdict == "spurious-local-minima"):
        sys.exit(3)


def _legend(meanings: dict) -> str:
    """The settle rules' letters with their meanings, as the settled counts' legend."""
    return ", ".join(f"{rule} {words}" for rule, words in meanings.items())


def _catalog_verdict(catalog) -> str:
    """The verdict line: what the checker proved, and whether the catalog is complete (every product face settled)."""
    if not catalog.certified:
        return f"{catalog.verdict}  (not certified)"
    if catalog.complete:
        return f"{catalog.verdict}  (certified, complete)"
    what = "the listed minima exist; " if catalog.verdict == "spurious-local-minima" else ""
    return (f"{catalog.verdict}  (certified: {what}catalog incomplete: "
            f"{quantity(catalog.open_faces, 'face', 'faces')} undecided)")


def _catalog_lstar(catalog, first: bool) -> str:
    """L*_m as certified, or why there is none."""
    if catalog.lstar is not None:
        return Estimate.of(catalog.lstar).text(15, stated=True)
    if catalog.document is None:
        return "not reached (the budget ran out before the region table was complete)"
    if first and catalog.certified:
        return "not certified (--first checks the spurious local minimum's certificate only)"
    return "not certified (the checker rejected the catalog certificate)"

def _certify_every_width(instance, budget, checkpoint, bias, as_json, certificate, plot, workers, scheduler) -> None:
    """`certify --every-width`: the catalog over distinct signed faces, read at every width; exit 3 unless the checker
    proved a benign-at-every-width or spurious-local-minima verdict with no set of faces left undecided."""
    from .api import certify_every_width
    from .every_width import LEGEND, STAGES

    data = Instance.load(instance, bias=bias)
    with staged_bar("certify --every-width", STAGES, disable=as_json) as progress:
        result = certify_every_width(data, budget, checkpoint, progress, workers, scheduler)
    if certificate and result.certified and result.document is not None:
        certificates.save(certificate, result.document)
    if plot and result.certified:
        from .plots import every_width_figure, save_figure
        save_figure(every_width_figure(result), plot)
    payload = result.to_dict()
    if not result.certified:
        said = "  (not certified)"
    elif result.undecided:
        said = (f"  (certified: the listed values are local minima; catalog incomplete: "
                f"{quantity(len(result.undecided), 'set', 'sets')} of faces undecided)")
    else:
        said = "  (certified, complete)"
    lines = [f"verdict    {result.verdict}{said}"]
    if result.counts:
        lines.append(f"catalog    sets of at most n = {result.bound} distinct signed faces; settled "
                     + ", ".join(f"{rule} {count}" for rule, count in result.counts.items())
                     + f"  ({_legend(LEGEND)})")
    if not result.certified:
        lines.append("certified  nothing: no every-width certificate was accepted")
    for c in result.classes if result.certified else ():
        at = {True: "global", False: "spurious", None: "not separated"}[c.global_at_from_width]
        lines.append(f"class      {Estimate.of(c.value[0]).text()}  from width {c.from_width} ({at} there, "
                     f"{c.strict_at_from_width} there, non-strict above)  "
                     f"{', '.join(r.name for r in c.realisations[:3])}")
    for row in result.by_width if result.certified else ():
        value = Estimate.of(row.lstar).text()
        more = " and every larger width" if row.width == result.stable_from else ""
        lines.append(f"width {row.width:<4} L*_m {value}  spurious {{"
                     + ", ".join(Estimate.of(v[0]).text() for v in row.spurious) + "}" + more
                     + (f"  open: {'; '.join(row.open[:3])}" if row.open else ""))
    if result.statement and result.certified:
        lines.append(f"statement  {result.statement}")
    if result.undecided and result.certified:
        lines.append(f"incomplete {len(result.undecided)} sets of faces undecided: the values listed are local minima, "
                     "but the sets per width are not complete from the smallest undecided set's width on")
    for entry in result.undecided[:20]:
        lines.append(f"undecided  {entry['faces']}: {entry['reason']}")
    if len(result.undecided) > 20:
        lines.append(f"undecided  ... {len(result.undecided) - 20} more (see --json)")
    for failure in result.failures:
        lines.append(f"failure    {failure}")
    lines.append(f"seconds    {payload['seconds']}")
    _emit(payload, as_json, lines)
    if result.verdict == "undecided" or not result.certified or result.undecided:
        sys.exit(3)


@main.command("census")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--width", type=click.IntRange(min=1), required=True, help="Number of neurons m.")
@click.option("--samples", default=2000, show_default=True, type=click.IntRange(min=1),
              help="Random initializations when the sets are too many to enumerate.")
@click.option("--limit", default=200_000, show_default=True, type=click.IntRange(min=1),
              help="Enumerate all sets of at most m signed patterns when there are at most this many.")
@click.option("--seed", default=0, show_default=True)
@click.option("--sampler", type=click.Choice(["gaussian", "uniform"]), default="gaussian", show_default=True,
              help="gaussian: w ~ N(0, I), random sign; uniform: the authors' (a chamber uniformly, random sign).")
@click.option("--local-minima/--no-local-minima", default=True, show_default=True,
              help="Test regions without a global minimum for a certified spurious local minimum or a certificate "
                   "that their closure holds none (slower: every such set is solved on its own instead of pruned).")
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--out", type=click.Path(file_okay=False),
              help="Directory for the checkpoint, the result JSON and the certificates behind every class.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_cluster_options
def census_command(instance, width, samples, limit, seed, sampler, local_minima, bias, out, as_json, workers,
                   scheduler):
    """Probability that a random width-m initialization lands in a region holding a global minimum."""
    from .api import take_census
    from .census import FAVOURABILITY_MEASURE as CENSUS_FAVOURABILITY

    shape = {}

    def started(context, resume):
        shape.update(chambers=len(context.arrangement), signed_patterns=len(context.patterns))
        if resume is not None and not as_json:
            click.echo(f"resuming from {resume}", err=True)

    data = Instance.load(instance, bias=bias)
    try:
        with progress_bar("census", disable=as_json, unit="region") as advance:
            census = take_census(data, width, samples, limit, seed, out, progress=advance, sampler=sampler,
                                 local_minima=local_minima, certificates=f"{out}/certificates" if out else None,
                                 workers=workers, scheduler=scheduler, started=started)
    except KeyboardInterrupt:
        click.echo("\ninterrupted: finished regions are in the checkpoint; rerun the same command to resume"
                   if out else "\ninterrupted (use --out DIR to keep a checkpoint)", err=True)
        sys.exit(130)
    payload = {**census.to_dict(), "favourability_measure": CENSUS_FAVOURABILITY, "classes": census.classes, **shape}

    def show(value):
        if value is None:
            return rounded(value)
        estimate = Estimate.of(value)
        return estimate.rounded(".4g", ".6g") + ("" if estimate.is_value else " (Wilson 95%)")

    mode = "exhaustive (exact weights)" if census.exhaustive else f"{census.samples} samples (seed {seed})"
    lines = [f"width {width}: {shape['signed_patterns']} signed patterns, {sampler} sampler, {mode}",
             f"p_contains_global     {show(census.p_contains_global)}  (C(S) <= L*_m + epsilon, epsilon "
             f"{census.epsilon:.2g})",
             f"p_spurious_local_min  {show(census.p_spurious_local_min)}  (C(S) > L*_m, certified local minimum)",
             f"p_no_local_min        {show(census.p_no_local_min)}  (C(S) > L*_m, closure certified free of local "
             "minima)",
             f"p_no_global_min       {show(census.p_no_global_min)}  (C(S) > L*_m, local minimum undecided)",
             f"p_undecided           {show(census.p_undecided)}",
             f"favourability         {show(census.favourability)}"
             f"  ({CENSUS_FAVOURABILITY})",
             f"favourability bracket {rounded(census.favourability_bracket)}  (if every region of unknown status "
             "went either way)",
             f"p_fully_covered       {show(census.p_fully_covered)}",
             f"regions classified    {census.regions_classified} ({counts(census.classes)})",
             f"pattern probabilities {census.measure_method} (error <= {census.measure_error:.2g} each)",
             f"seconds               {census.seconds:.2f}"]
    if census.resumed:
        lines.insert(1, f"resumed               {census.resumed} regions read from the checkpoint in {out}")
    _emit(_with_rule(payload), as_json, lines)


@main.command("curve")
@click.argument("instance", type=click.Path(dir_okay=False))
@click.option("--bias", is_flag=True, help="Append a constant-1 feature to every data row.")
@click.option("--sampler", default="uniform", show_default=True,
              help="How each neuron's signed pattern is drawn: uniform (the authors': exact rationals) or gaussian "
                   "(certified intervals from the chamber measures).")
@click.option("--max-width", type=int, help="Widths 1..M (default 64).")
@click.option("--widths", help="Comma-separated widths instead of 1..M, e.g. 1,2,4,8.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--certificate", type=click.Path(dir_okay=False),
              help="Write the optimal-regions certificate (with every exact value printed and the thresholds).")
@click.option("--plot", type=click.Path(dir_okay=False), help="Draw the curve (PNG, PDF or SVG).")
@click.option("--spurious", is_flag=True,
              help="Also p_spur(m) (a region whose closure holds a spurious local minimum) and the favourability "
                   "p_spur / (p_global + p_spur), from the every-width classes (small instances).")
def curve_command(instance, bias, sampler, max_width, widths, as_json, certificate, plot, spurious):
    """The exact probability p_opt(m) that a random width-m initialization starts in a region holding an
    (epsilon-)global minimum, for every requested width, and the threshold widths (p_opt >= 1/2, >= 99/100).

    Exit 0 when certified; 3 (inconclusive, with the reason, no curve) when the optimal regions cannot be
    certified; 2 on bad input."""
    from .api import curve
    from .curves import parse_widths
    from .samplers import SAMPLERS

    if sampler not in SAMPLERS:
        raise InputError("--sampler", f"unknown sampler {sampler!r} (choose one of {', '.join(SAMPLERS)})")
    parse_widths(max_width, widths)
    if spurious:
        from .favourability import spurious_widths

        spurious_widths(sampler, max_width, widths)
    data = Instance.load(instance, bias=bias)
    result = curve(data, sampler, max_width, widths)
    payload = result.to_dict()
    if result.outcome == "bracket":     # proved bounds on p_opt only: exit 3, the bracket printed
        if certificate:
            certificates.save(certificate, result.document)
        _emit(payload, as_json, [f"bracket    {payload['reason']}", f"{'m':>6}  p_opt(m) in"] +
              [f"{pt.width:>6}  [{float(pt.lower):.12g}, {float(pt.upper):.12g}]" for pt in result.points])
        sys.exit(3)
    if not result.certified:
        _emit(payload, as_json, [f"inconclusive: {payload['reason']}"])
        sys.exit(3)
    extra = _spurious_curve(data, result, sampler, max_width, widths) if spurious else None
    if extra is not None:
        payload["spurious"] = extra.to_dict()
    if certificate:
        certificates.save(certificate, result.document)
    if plot:
        (extra if extra is not None and extra.certified else result).plot(plot)
    regions = result.regions
    thresholds = ", ".join(f"p_opt >= {key} from m = {_threshold(value)}" for key, value in result.thresholds.items())
    lines = [f"instance   {data.name or instance}  (n={data.n}, d={data.d}, lambda={decimal(data.lam)}), "
             f"{len(regions.patterns) // 2} chambers, sampler {sampler}"
             + ("" if sampler == "uniform" else f" (measures: {result.measure_method}, error <= "
                                                  f"{result.measure_error:.1e} per chamber)"),
             f"optimal    {len(regions.supports)} minimal optimal support(s) of size "
             f"{sorted({len(T) for T in regions.supports})}, {len(regions.maximal)} maximal non-optimal set(s), "
             f"epsilon = {float(regions.epsilon):.1e}  (certified)",
             f"thresholds {thresholds}",
             f"{'m':>6}  p_opt(m)"]
    for pt, row in zip(result.points, payload["curve"]):
        exact = row["p_opt"] if pt.exact and row["p_opt"] and len(row["p_opt"]) <= 40 else None
        value = (Estimate(pt.value, pt.value) if pt.exact else Estimate(pt.lower, pt.upper)).rounded(
            ".12g", stated=not pt.exact) + (f"  (= {exact})" if exact and "/" in exact else "")
        note = "" if pt.width >= regions.smallest_support else "  (L*_m > C*: no width-m network reaches C*)"
        lines.append(f"{pt.width:>6}  {value}{note}")
    if extra is not None:
        lines += _spurious_lines(extra)
    _emit(payload, as_json, lines)
    if extra is not None and (not extra.certified or extra.every_width.undecided):   # as certify --every-width
        sys.exit(3)


def _spurious_curve(data, result, sampler, max_width, widths):
    from .api import spurious_curve

    return spurious_curve(data, sampler, max_width, widths, curve=result)


def _spurious_lines(extra) -> list[str]:
    """`curve --spurious`: p_spur, p_global and the favourability per width (a decimal, or a bracket)."""
    from .favourability import FAVOURABILITY_MEASURE

    if not extra.certified:
        return [f"spurious   inconclusive: {extra.reason}"]

    def show(bracket) -> str:      # a bracket narrower than the digits shown reads '≈v', never as a value
        return rounded(bracket, ".6g")

    lines = [f"favourability: {FAVOURABILITY_MEASURE}", *extra.notes,
             f"{'m':>6}  {'p_spur(m)':>24}  {'p_global(m)':>24}  {'favourability':>24}"]
    lines += [f"{pt.width:>6}  {show(pt.p_spur):>24}  {show(pt.p_global):>24}  {show(pt.favourability):>24}"
              for pt in extra.points]
    return lines


def _threshold(value) -> str:
    if value is None:
        return "beyond the largest width evaluated"
    return f"{value[0]}" if isinstance(value, tuple) and value[0] == value[1] else (
        f"between {value[0]} and {value[1]}" if isinstance(value, tuple) else str(value))


@main.command("reproduce")
@click.option("--quick", is_flag=True, help="Fewer instances, widths and draws: under 5 minutes on 2 cores.")
@click.option("--out", type=click.Path(file_okay=False), default="reproduction", show_default=True,
              help="Directory for report.md, claims.json, figures, instances/ and certificates/.")
@click.option("--seed", default=0, show_default=True, help="Offset of every seed (data, samplers, measures).")
@click.option("--section", "sections", multiple=True, metavar="KEY",
              help="Run only this section (repeatable): experiment-a, necessity, scaling, activation-patterns, "
                   "initialization, catalog. Default: all.")
@click.option("--steps", type=click.IntRange(min=1), metavar="N",
              help="Step budget of every gradient-descent run of the initialization section (default: 400,000; "
                   "4,000,000 with --quick; the authors' own cap is 100,000,000).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of every number instead of the verdicts.")
@_cluster_options
def reproduce_command(quick, out, seed, sections, steps, as_json, workers, scheduler):
    """Reproduce the paper's claims and the authors' experiments as a report, resuming an interrupted run."""
    from .reproduce import SECTION_KEYS, check_steps, plan, reproduce

    unknown = [key for key in sections if key not in SECTION_KEYS]
    if unknown:
        raise InputError("--section", f"unknown section {unknown[0]!r} (expected one of {', '.join(SECTION_KEYS)})")
    sections = list(sections) or None
    check_steps(steps, sections, "--steps")
    try:
        with progress_bar("reproduce", plan(quick, sections), disable=as_json, unit="step") as advance, \
                _tasks(workers, scheduler) as tasks:
            ticks = iter(range(1, 1 << 30))
            results = reproduce(out, quick, progress=lambda _: advance(next(ticks)), seed=seed, tasks=tasks,
                                sections=sections, steps=steps,
                                bar=lambda name: progress_bar(name, disable=as_json, unit="set", inner=True))
    except KeyboardInterrupt:
        click.echo("\ninterrupted: finished work is kept in the output folder; rerun the same command to resume",
                   err=True)
        sys.exit(130)
    lines = [f"{s['title']}: {s['verdict']}" for s in results["sections"]]
    lines.append(f"report: {out}/report.md ({results['seconds']} s)")
    _emit(results, as_json, lines)


@main.command("search")
@click.option("--n", "n", type=click.IntRange(min=1), required=True, help="Number of data points.")
@click.option("--d", "d", type=click.IntRange(min=1), required=True, help="Input dimension.")
@click.option("--width", type=click.IntRange(min=1), required=True, help="Number of neurons m.")
@click.option("--budget", default=60.0, show_default=True, type=click.FloatRange(min=0), help="Seconds to search.")
@click.option("--seed", default=0, show_default=True)
@click.option("--keep-width", is_flag=True, help="Shrink points and integers only, never the width.")
@click.option("--out", type=click.Path(file_okay=False), default="counterexamples", show_default=True,
              help="Where instance + certificate pairs are written (relative to the current directory).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_cluster_options
def search_command(n, d, width, budget, seed, keep_width, out, as_json, workers, scheduler):
    """Search small integer instances for certified spurious local minima; shrink and save each find."""
    from .search import search

    from contextlib import ExitStack

    seconds: dict[str, float] = {}
    with _tasks(workers, scheduler) as tasks, ExitStack() as stack:
        bars: dict = {}

        def progress(stage: str, spent: float) -> None:
            if stage not in bars:   # searching (stops at the first find), then shrinking: each at most `budget` s
                stack.close()       # the previous bar stays where its stage stopped
                bars[stage] = stack.enter_context(progress_bar(stage, budget or None, disable=as_json, unit="s",
                                                               complete=False))
            seconds[stage] = spent
            bars[stage](round(min(spent, budget), 1))

        finds = search(n, d, width, budget, seed, out, keep_width, tasks=tasks, progress=progress)
    rows = [{"n": f.instance.n, "d": f.instance.d, "width": f.width, "lambda": str(f.instance.lam),
             "X": [[str(x) for x in row] for row in f.instance.X], "y": [str(v) for v in f.instance.y]} for f in finds]
    found = quantity(len(finds), "certified spurious local minimum", "certified spurious local minima")
    searched, shrunk = seconds.get("searching", 0.0), seconds.get("shrinking", 0.0)
    lines = [f"found {found} " + (f"after {searched:.1f} s of search, shrunk in {shrunk:.1f} s (written to {out})"
                                  if finds else f"in {budget:g} s")]
    lines += [f"  n={r['n']} d={r['d']} m={r['width']} lambda={r['lambda']} "
              f"X=[{'; '.join(' '.join(row) for row in r['X'])}] y=[{' '.join(r['y'])}]" for r in rows]
    _emit({"finds": rows, "out": out, "seconds": {stage: round(spent, 2) for stage, spent in seconds.items()}},
          as_json, lines)


@main.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--instance", "instance_file", type=click.Path(dir_okay=False),
              help="Also require the certificate to be about this instance (same data, by digest).")
@click.option("--bias", is_flag=True, help="With --instance: append a constant-1 feature to its rows.")
@click.option("--line", type=click.IntRange(min=1),
              help="For a bundle (.jsonl or .jsonl.gz): check only the certificate on this line (FILE#LINE).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check_command(file, instance_file, bias, line, as_json):
    """Verify a certificate exactly and print what it proves: exit 0 iff its claim is proved, 1 if refuted
    (or about another instance than --instance), 2 if malformed. FILE may be a bundle (`reproduce` and `census`
    write one certificate per line to `*.jsonl.gz`): every line is checked, exit 0 iff all are proved, 2 if a
    line is malformed, else 1 if one is refuted; `FILE#LINE` (or --line) checks one line."""
    from .checking import check_file, split_line

    file, line = split_line(file, line)
    expected = Instance.load(instance_file, bias=bias) if instance_file else None
    with progress_bar(f"check {file}", disable=as_json, unit="B", inner=True) as advance:
        report = check_file(file, expected, instance_file, line, progress=advance)
    _emit(report.payload, as_json, report.lines)
    sys.exit(report.exit_status)


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


@bench_group.command("catalog")
@click.option("--json", "as_json", is_flag=True)
@click.option("--budget", default=600.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds per catalog.")
@click.option("--regions-budget", default=120.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds for the region-table rate (6 points with a bias, width 3).")
@click.option("--regions-only", is_flag=True, help="Only the region-table rate, not the catalogs of issue 13.")
@click.option("--every-width", is_flag=True, help="`certify --every-width` on the instances with n <= --max-n, d <= 3.")
@click.option("--max-n", default=4, show_default=True, type=click.IntRange(1, 5),
              help="With --every-width: the largest n (5 adds five points with a bias: about 1.2 million sets).")
@_cluster_options
def bench_catalog_command(as_json, budget, regions_budget, regions_only, every_width, max_n, workers, scheduler):
    """Catalogs of every local minimum (docs/mathematics.md §8) on the instances of issue 13, and the regions per
    second of the catalog's region table against the retired region search of `certify` (110 regions/s, issue 15);
    with --every-width, the landscape at every width on the instances with n <= 4 and d <= 3."""
    from .bench import CATALOG_CASES, bench_catalog, bench_catalog_regions, bench_every_width
    from .checker.catalog import CATALOG_RULES

    if every_width:
        with _tasks(workers, scheduler) as tasks:
            rows = bench_every_width(budget=budget, max_n=max_n, tasks=tasks)
        header = (f"{'instance':<17} {'n':>2} {'d':>2} {'regions':>8} {'classes':>7} {'from':>4} {'solve s':>8} "
                  f"{'check s':>8} {'cert bytes':>11}  verdict; spurious values at m = 1 .. from")
        lines = [header] + [
            f"{r['instance']:<17} {r['n']:>2} {r['d']:>2} {r['regions'] or '-':>8} {r['classes']:>7} "
            f"{r['stable_from'] or '-':>4} {r['solve_seconds']:>8.1f} "
            f"{'-' if r['check_seconds'] is None else format(r['check_seconds'], '.1f'):>8} {r['certificate_bytes']:>11}"
            f"  {r['verdict']}{'' if r['certified'] else ' (not certified)'}; "
            + " | ".join("{" + ", ".join(f"{v:.6g}" for v in values) + "}" for values in r["spurious_by_width"])
            for r in rows]
        _emit({"every_width": rows}, as_json, lines)
        return

    rows = []
    if not regions_only:
        total = sum(len(widths) for _, _, widths in CATALOG_CASES)
        with progress_bar("bench catalog", total, disable=as_json, unit="catalog") as advance:
            ticks = iter(range(1, total + 1))
            rows = bench_catalog(budget=budget, progress=lambda row: advance(next(ticks)))
    regions = bench_catalog_regions(budget=regions_budget)
    widths = dict(zip(CATALOG_RULES, (7, 6, 6, 4, 3, 3)))      # the rules' columns (undecided: open faces)
    header = (f"{'instance':<17} {'m':>2} {'product faces':>13} "
              + "".join(f"{rule:>{w}} " for rule, w in widths.items())
              + f"{'undecided':>9} {'strict/non/n.d.':>15} {'favourable':>13} {'seconds':>8} {'cert bytes':>11} "
              f"{'check s':>8}  verdict")
    lines = [header] + [f"{r['instance']:<17} {r['width']:>2} {r['product_faces']:>13} "
                        + "".join(f"{r[rule]:>{w}} " for rule, w in widths.items())
                        + f"{r['undecided']:>9} "
                        f"{r['strict']:>5}/{r['non-strict']:>3}/{r['not decided']:>3}"
                        f"{rounded(r['favourability_by_count']):>16} {r['seconds']:>8.1f} {r['certificate_bytes']:>11} "
                        f"{'-' if r['check_seconds'] is None else format(r['check_seconds'], '.1f'):>8}  "
                        f"{r['verdict']}{'' if r['certified'] else ' (not certified)'}"
                        f"{' (catalog incomplete)' if r['certified'] and not r['complete'] else ''}"
                        for r in rows] if rows else []
    lines += [f"region table: {regions['regions_per_second']} regions/s ({regions['regions_timed']} of "
              f"{regions['regions_total']} sets of at most {regions['width']} signed chambers in {regions['seconds']} s, "
              f"n={regions['n']} with a bias); the retired region search: {regions['old_regions_per_second']:g}/s "
              f"(x{regions['speedup']})"]
    _emit({"catalog": rows, "regions": regions}, as_json, lines)


@bench_group.command("train")
@click.option("--json", "as_json", is_flag=True)
@click.option("--width", default=100, show_default=True, type=click.IntRange(min=1))
@click.option("--runs", default=20, show_default=True, type=click.IntRange(min=1))
def bench_train_command(as_json, width, runs):
    """Gradient-descent steps per second for one claim-3 unit (theorem2-d3, n = 3), by CPU time: the batched
    numpy trainer and the protocol's kernels (numba, numpy)."""
    from .bench import bench_training

    rows = bench_training(width, runs)
    lines = [f"{'trainer':<38} {'run-steps/s':>12} {'per run':>9} {'CPU s':>7}"] + [
        f"{r['trainer']:<38} {r['run_steps_per_second']:>12} {r['per_run']:>9} {r['cpu_seconds']:>7}" for r in rows]
    _emit({"train": rows}, as_json, lines)

@bench_group.command("curve")
@click.option("--json", "as_json", is_flag=True)
@click.option("--max-width", default=10_000, show_default=True, type=click.IntRange(1, 10**6))
def bench_curve_command(as_json, max_width):
    """The exact uniform curve p_opt(m) for m = 1..M on each Experiment A instance (n = 6, d in {8, 10}, teacher
    labels, lambda = 1/100), including certification, and the checker's time on its certificate."""
    from .bench import bench_curve

    rows = bench_curve(max_width=max_width)
    header = (f"{'n':>3} {'d':>3} {'2P':>5} {'supports':>8} {'|T|':>4} {'M_j':>4} {'m(1/2)':>7} {'m(.99)':>7} "
              f"{'widths':>7} {'seconds':>8} {'check s':>8}  certified")
    lines = [header] + [f"{r['n']:>3} {r['d']:>3} {2 * r.get('chambers', 0):>5} {r.get('supports', '-'):>8} "
                        f"{r.get('support_size', '-'):>4} {r.get('maximal', '-'):>4} {r.get('threshold_half', '-'):>7} "
                        f"{r.get('threshold_99', '-'):>7} {r['widths']:>7} {r['seconds']:>8.2f} "
                        f"{r.get('check_seconds', float('nan')):>8.2f}  "
                        f"{r['certified'] and r.get('check_proved', False)}" for r in rows]
    _emit({"curve": rows}, as_json, lines)


@bench_group.command("enumerate")
@click.option("--json", "as_json", is_flag=True)
@click.option("--seed", default=0, show_default=True)
def bench_enumerate_command(as_json, seed):
    """Chamber enumeration on random integer data (entries -1000..1000)."""
    from .bench import ENUMERATE_CASES, bench_enumerate

    with progress_bar("bench enumerate", len(ENUMERATE_CASES), disable=as_json, unit="case") as advance:
        ticks = iter(range(1, len(ENUMERATE_CASES) + 1))
        rows = bench_enumerate(seed=seed, progress=lambda row: advance(next(ticks)))
    header = f"{'n':>4} {'d':>3} {'chambers':>9} {'gen.pos.':>9} {'seconds':>8} {'chambers/s':>11} {'peak MB':>8}"
    lines = [header] + [
        f"{r['n']:>4} {r['d']:>3} {r['chambers']:>9} {r['general_position']:>9} {r['seconds']:>8.3f} "
        f"{r['chambers_per_second']:>11} {r['peak_mb']:>8.1f}" for r in rows
    ]
    _emit({"enumerate": rows}, as_json, lines)


@bench_group.command("census")
@click.option("--json", "as_json", is_flag=True)
@click.option("--sets", default=20, show_default=True, type=click.IntRange(min=1), help="Sampled sets per width.")
@click.option("--seed", default=0, show_default=True)
@click.option("--quick", is_flag=True, help="One case (n=6, d=8) and one width (m=10).")
def bench_census_command(as_json, sets, seed, quick):
    """Certified classification of sampled sets against a plain float cvxpy + Clarabel solve of the same
    sets, on the authors' data family (teacher data, lambda = 1/100); also certified C* and L*_m (the regions
    per second of `certify`'s catalog are in `bench catalog`)."""
    from tqdm import tqdm

    from .bench import AUTHORS_CASES, CENSUS_WIDTHS, bench_census, bench_optimum

    cases, widths = ([(6, 8)], (10,)) if quick else (AUTHORS_CASES, CENSUS_WIDTHS)
    with tqdm(total=len(cases) * len(widths), desc="bench census", disable=as_json, file=sys.stderr) as bar:
        census = bench_census(cases, widths, sets, seed, progress=lambda row: bar.update())
    optimum = bench_optimum(((6, 8),) if quick else ((4, 8), (6, 8), (6, 10), (8, 8)), seed=seed)
    total = sum(r["certified_ms_per_set"] for r in census) / max(1, sum(r["float_ms_per_set"] for r in census))
    lines = [f"{'n':>3} {'d':>3} {'m':>4} {'sets':>5} {'certified ms/set':>17} {'float ms/set':>13} {'ratio':>6}  classes"]
    lines += [f"{r['n']:>3} {r['d']:>3} {r['m']:>4} {r['sets']:>5} {r['certified_ms_per_set']:>17.1f} "
              f"{r['float_ms_per_set']:>13.1f} {r['ratio']:>6.2f}  {counts(r['classes'])}" for r in census]
    lines += [f"certified / float over all sets: {total:.2f}", "",
              f"{'n':>3} {'d':>3} {'2P':>5} {'C* certified s':>15} {'C* float s':>11} {'ratio':>6} {'L*_m s':>7}  notes"]
    lines += [f"{r['n']:>3} {r['d']:>3} {r['signed_patterns']:>5} {r['c_star_certified_s']:>15.3f} "
              f"{r['c_star_float_s']:>11.3f} {r['c_star_ratio']:>6.2f} {r['l_star_s']:>7.3f}  {r['notes'] or ''}"
              for r in optimum]
    _emit({"census": census, "ratio": round(total, 2), "optimum": optimum}, as_json, lines)
