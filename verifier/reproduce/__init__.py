"""The paper's claims (docs/mathematics.md §11) and the authors' experiments (§10), reproduced as a report a referee
can re-check: report.md, claims.json, PNG figures, every instance as an instance file (`instances/`) and every
certified claim behind a table row as an ordinary certificate file (`certificates/`, `verifier check` accepts
each).

Each section is a module that declares its cases (and so its progress units) and computes a typed record
(`Definition`); `report` renders Markdown and figures from those records. `SECTIONS` lists them in report order:

1. `experiment_a`: sufficiency and favourability, the authors' Experiment A on their teacher data (both samplers),
   with certified region classes and the exact curve p_opt(m); our generic low-dimensional cases as panel (b);
2. `necessity`: orthogonal data against the exact closed form of §7; `scaling` (2b): the certified threshold widths
   against the number of chambers;
3. `activation_patterns`: the activation-pattern distribution (Experiment B, n = 7, d = 4) and coverage;
4. `initialization`: claim 3, gradient-descent endpoints from small and large scales, each classified;
5. `catalog`: the catalog of local minima (§8) and the landscape at every width (§12).

Resuming: a finished section's data is kept in `sections/` under a key (`journal.settings_key`) of its instances'
digests and settings, and every census (and every training unit) keeps a checkpoint, so an interrupted run repeats
only unfinished work; a training unit also keeps its runs' state between chunks, so even an hours-long unit
continues where it stopped (`protocol.train_unit`).

`steps` (`--steps`) replaces the step budget of the section that trains (initialization), e.g. the authors' own
cap of 100,000,000 steps; the budget is part of every key, so a run with one budget never reads another's work.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Callable, ContextManager

from ..errors import InputError
from ..files import write_json, write_text
from ..journal import settings_key
from ..parallel import Tasks
from . import activation_patterns, catalog, experiment_a, initialization, necessity, scaling
from .base import Definition, Section, Settings, from_json, to_json
from .report import RENDER, report

__all__ = ["reproduce", "report", "plan", "check_steps", "Section", "Settings", "Definition", "SECTIONS",
           "SECTION_KEYS", "STEPS_SECTIONS"]

_VERSION = 5             # part of every section's cache key

SECTIONS: list[Definition] = [module.DEFINITION for module in (experiment_a, necessity, scaling, activation_patterns,
                                                               initialization, catalog)]
SECTION_KEYS = [section.key for section in SECTIONS]
STEPS_SECTIONS = [section.key for section in SECTIONS if section.with_steps is not None]   # those --steps sets


def check_steps(steps: object, sections: list[str] | None, name: str = "steps") -> None:
    """A step budget is an integer >= 1, given only with a section that trains; InputError naming `name` else."""
    if steps is None:
        return
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise InputError(name, f"{steps!r} is not a step budget (expected an integer >= 1)")
    if sections is not None and not set(sections) & set(STEPS_SECTIONS):
        raise InputError(name, f"only the {', '.join(STEPS_SECTIONS)} section has a step budget, and it is not "
                               "among the sections asked for")


def plan(quick: bool, sections: list[str] | None = None) -> int:
    """Progress units of a run (for an ETA): one per census, per (instance, width, scale) of gradient-descent runs
    (a few to a few dozen seconds each, as a census), per catalog, per section otherwise; each section declares its
    own (`cases(...).units`)."""
    return sum(section.cases(quick, 0).units for section in SECTIONS if sections is None or section.key in sections)


def _section(settings: Settings, definition: Definition) -> Section:
    """One section: its data from `sections/` when a finished run with the same instances and settings left it
    there (its units ticked at once), else computed and stored; then rendered (the figures redrawn by the current
    plotting code), both ways from the stored form."""
    cases = definition.cases(settings.quick, settings.seed)
    if settings.steps is not None and definition.with_steps is not None:
        cases = definition.with_steps(cases, settings.steps)
    key = settings_key(definition.key, settings.quick, settings.seed, _VERSION,
                       [instance.digest() for instance in cases.instances], cases.parameters)
    path = settings.out / "sections" / f"{definition.key}-{key[:16]}.json"
    if path.exists():
        for _ in range(cases.units):
            settings.tick()
    else:
        start = time.perf_counter()
        data = definition.compute(settings, cases)
        write_json(path, {"data": to_json(data), "seconds": round(time.perf_counter() - start, 1)})
    stored = json.loads(path.read_text())
    data = from_json(definition.data, stored["data"])
    prose = RENDER[definition.key](settings, cases, data)
    return Section(definition.key, definition.title, definition.claim, prose.verdict, prose.supported, prose.body,
                   prose.figures, data, stored["seconds"])


def reproduce(out: str | Path, quick: bool = True, progress: Callable[[str], None] | None = None,
              seed: int = 0, sections: list[str] | None = None, tasks: Tasks | None = None,
              bar: Callable[[str], ContextManager[Callable]] | None = None, steps: int | None = None) -> dict:
    """Run the sections (all, or those keyed in `sections`: `SECTION_KEYS`) and write report.md, claims.json, the
    figures, the instance files and the certificates into `out`; census sets are mapped by `tasks` (default: in
    process); `bar` opens an inner progress bar per census (see `Settings`); `steps` replaces the step budget of
    each gradient-descent run (`STEPS_SECTIONS`; None: the mode's own, `protocol.QUICK` or `protocol.FULL`)."""
    check_steps(steps, sections)
    start, cpu = time.perf_counter(), _cpu_seconds()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(out, quick, seed, (lambda: progress("")) if progress else (lambda: None), tasks, steps=steps)
    if bar is not None:
        settings.bar = bar
    results = [_section(settings, section) for section in SECTIONS if sections is None or section.key in sections]
    summary = {"quick": quick, "seed": seed, "cores": os.cpu_count(), "seconds": round(time.perf_counter() - start, 1),
               "cpu_seconds": round(_cpu_seconds() - cpu, 1), "load_average": os.getloadavg()[0],
               "command": f"verifier reproduce{' --quick' if quick else ''} --seed {seed}"
                          f"{f' --steps {steps}' if steps is not None else ''} --out {out}",
               "sections": [to_json(s) for s in results]}
    write_json(out / "claims.json", summary)
    write_text(out / "report.md", report(summary))
    return summary


def _cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes (a timing that other users' load does not
    inflate, unlike wall time)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
