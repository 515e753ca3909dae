"""The golden set: a fixed list of commands on the shipped data whose `--json` output and certificates must not
change under a restructuring (only timings may). `python -m tests.golden.record` rewrites the recorded files; do
that only when a change of behaviour is intended, and say so in the commit."""

import json
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE.parent.parent / "data"

#: name -> CLI arguments. "{cert}" is replaced by the certificate path the command writes.
COMMANDS = {
    "enumerate-planar": ["enumerate", "examples/planar.json", "--json", "--certificate", "{cert}"],
    "enumerate-theorem2-d3": ["enumerate", "paper/theorem2-d3.json", "--json", "--certificate", "{cert}"],
    "solve-one-dimensional": ["solve", "paper/one-dimensional.json", "--json", "--certificate", "{cert}"],
    "solve-planar-width-2": ["solve", "examples/planar.json", "--width", "2", "--json", "--certificate", "{cert}"],
    "classify-spurious-network": ["classify", "paper/one-dimensional.json",
                                  "paper/one-dimensional-spurious-network.json", "--json", "--certificate",
                                  "{cert}"],
    "certify-one-dimensional-width-1": ["certify", "paper/one-dimensional.json", "--width", "1", "--json",
                                        "--certificate", "{cert}"],
    "certify-one-dimensional-width-2": ["certify", "paper/one-dimensional.json", "--width", "2", "--json",
                                        "--certificate", "{cert}"],
    "certify-one-dimensional-every-width": ["certify", "paper/one-dimensional.json", "--every-width", "--json",
                                            "--certificate", "{cert}"],
    "census-exhaustive": ["census", "examples/three-points.json", "--width", "2", "--json"],
    "census-sampled": ["census", "paper/orthogonal-3.json", "--width", "3", "--limit", "10", "--samples", "300",
                       "--seed", "7", "--json"],
    "curve-planar-bias": ["curve", "examples/planar.json", "--bias", "--max-width", "12", "--json",
                          "--certificate", "{cert}"],
    "curve-orthogonal-gaussian": ["curve", "paper/orthogonal-3.json", "--sampler", "gaussian", "--widths",
                                  "1,2,4,8", "--json", "--certificate", "{cert}"],
}

#: keys whose values are measurements of time or of the machine, not results
VOLATILE = {"seconds", "elapsed", "wall_seconds", "time", "timings", "cores", "rate", "per_second", "version",
            "cpu_seconds", "load_average", "command"}


def _mask_timing_columns(lines):
    """Markdown table rows with the cells under a header "s" or "seconds" replaced by "~"."""
    masked, columns = [], set()
    for line in lines:
        if not (isinstance(line, str) and line.startswith("|")):
            columns = set()
            masked.append(line)
            continue
        cells = line.split("|")
        if not columns and not set(line) <= set("|-: "):
            columns = {i for i, c in enumerate(cells) if c.strip() in {"s", "seconds"}}
            masked.append(line)
            continue
        masked.append("|".join("~" if i in columns and i < len(cells) - 1 else c for i, c in enumerate(cells)))
    return masked


def normalize(value):
    """`value` with every volatile key dropped, at any depth, and timing columns of report tables masked."""
    if isinstance(value, dict):
        return {k: _mask_timing_columns(normalize(v)) if k == "body" else normalize(v)
                for k, v in value.items() if k not in VOLATILE and not k.endswith("_seconds")}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def run(name, workdir):
    """Run one golden command in `workdir` (data paths resolved against the shipped `data/`); return
    (exit code, normalized JSON output, normalized certificate or None)."""
    from click.testing import CliRunner

    from verifier.cli import main

    cert = Path(workdir) / f"{name}.cert.json"
    args = [str(DATA / a) if a.endswith(".json") and not a.startswith("{") else a for a in COMMANDS[name]]
    args = [str(cert) if a == "{cert}" else a for a in args]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    output = normalize(json.loads(result.output))
    certificate = normalize(json.loads(cert.read_text())) if cert.exists() else None
    return result.exit_code, output, certificate


#: the sections `reproduce --quick` runs in the golden set (section 4's training runs are covered elsewhere)
REPRODUCE_SECTIONS = ["experiment-a", "necessity", "activation-patterns", "catalog"]


def same(recorded, fresh, path="$"):
    """None when `fresh` equals `recorded`, else the first JSON path where they differ. Numbers, and strings that
    are exact rationals, compare to a relative 1e-9 (a float solve on another machine may move the last digits of
    a rounded rational); everything else compares exactly."""
    from fractions import Fraction

    def number(v):
        if isinstance(v, bool):
            return None
        if isinstance(v, (int, float)):
            return float(v)
        if isinstance(v, str):
            try:
                return float(Fraction(v))
            except (ValueError, ZeroDivisionError, OverflowError):
                return None
        return None

    if isinstance(recorded, dict) and isinstance(fresh, dict):
        if recorded.keys() != fresh.keys():
            return f"{path}: keys {sorted(recorded.keys() ^ fresh.keys())}"
        for k in recorded:
            where = same(recorded[k], fresh[k], f"{path}.{k}")
            if where:
                return where
        return None
    if isinstance(recorded, list) and isinstance(fresh, list):
        if len(recorded) != len(fresh):
            return f"{path}: length {len(recorded)} != {len(fresh)}"
        for i, (a, b) in enumerate(zip(recorded, fresh)):
            where = same(a, b, f"{path}[{i}]")
            if where:
                return where
        return None
    a, b = number(recorded), number(fresh)
    if a is not None and b is not None and type(recorded) is type(fresh):
        return None if abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-12 else f"{path}: {recorded} != {fresh}"
    return None if recorded == fresh else f"{path}: {recorded!r} != {fresh!r}"
