"""Progress bars: one tqdm bar per long step, with a total and an ETA, quiet when nobody is watching.

On a terminal the bar redraws at most ten times a second; when stderr is a file or a pipe (CI logs, nohup) it
writes a line at most every `LOG_INTERVAL` seconds, so a log gets a few progress lines, not a stream of
redraws. A job of several stages (`certify`: the region table, the product faces, the check) gets one bar for
the whole job (`staged_bar`): its ETA weighs each stage's items by their estimated cost, and its first line
names every stage with its total.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

__all__ = ["progress_bar", "staged_bar", "Stage", "LOG_INTERVAL"]

LOG_INTERVAL = 30.0
_PERMILLE = 1000    # a staged bar counts the whole job's estimated cost in thousandths


@dataclass(frozen=True)
class Stage:
    """One stage of a job: its name, what it counts (`unit`) and the estimated cost of one item (any unit shared
    by the job's stages, e.g. milliseconds), so that the overall ETA weighs a slow item more than a fast one."""

    name: str
    unit: str = "it"
    cost: float = 1.0


def _bar(description: str, total: int | None, *, disable: bool, unit: str, inner: bool = False, **extra):
    """The tqdm bar every helper here uses: a redraw on a terminal, a few lines in a log."""
    from tqdm import tqdm

    interactive = sys.stderr.isatty()
    return tqdm(total=total, desc=description, unit=unit, file=sys.stderr, disable=disable, leave=not interactive,
                mininterval=0.1 if interactive else LOG_INTERVAL, dynamic_ncols=interactive,
                ascii=None if interactive else True, delay=(1.0 if interactive else LOG_INTERVAL) if inner else 0.0,
                position=None if interactive else 0, **extra)   # in a log, no cursor movements between nested bars


@contextmanager
def progress_bar(description: str, total: float | None = None, *, disable: bool = False, unit: str = "it",
                 inner: bool = False, complete: bool = True) -> Iterator[Callable[[float, float | None], None]]:
    """A bar on stderr; yields ``advance(done, total=None)``, which moves it to `done` (of `total`).

    `inner`: a bar for one part of a longer job (one census of `reproduce`); it appears only once that part has
    run for a second on a terminal, `LOG_INTERVAL` seconds in a log, so short parts leave no lines.
    `complete`: on a normal exit the bar is filled (for callers that report every k-th item); False for a bar
    whose total is a limit the job may stop short of (seconds of a budget): it stays where the job stopped.
    Without a `total` the bar opens at the first ``advance``, with the total it brings, so that its first line (in a
    log, the only one for half a minute) says how much there is to do.

    Examples
    --------
    >>> with progress_bar("demo", 3, disable=True) as advance:
    ...     for done in range(1, 4):
    ...         advance(done)
    """
    bars = [] if total is None else [_bar(description, total, disable=disable, unit=unit, inner=inner)]

    def advance(done: float, new_total: float | None = None) -> None:
        if not bars:
            bars.append(_bar(description, new_total, disable=disable, unit=unit, inner=inner))
        bar = bars[0]
        if new_total is not None and new_total != bar.total:
            bar.total = new_total
        if done > bar.n:
            bar.update(done - bar.n)

    try:
        yield advance
        if complete and bars and bars[0].total is not None:   # the step finished: callers that report every k-th
            advance(bars[0].total)                              # item end below their total
    finally:
        if bars:
            bars[0].close()


@contextmanager
def staged_bar(description: str, stages: Sequence[Stage], *, disable: bool = False
               ) -> Iterator[Callable[[str, int, int], None]]:
    """One bar for a job of consecutive stages; yields ``advance(stage, done, total)``.

    The bar opens once every stage has announced its total (a call with done = 0; a job announces them all before
    it starts), and its first line lists them. Its position is the estimated cost done, sum of cost x items over
    the stages (a stage counts as finished once a later one reports), out of the whole job's, so tqdm's ETA is for
    the whole job; the postfix names the current stage and its count. A job that stops early (a budget) leaves the
    bar where it stopped; a job's last stage fills it.

    Examples
    --------
    >>> stages = [Stage("solve", "program", 10.0), Stage("check", "face", 0.5)]
    >>> with staged_bar("demo", stages, disable=True) as advance:
    ...     advance("solve", 0, 4); advance("check", 0, 100)
    ...     for done in range(1, 5):
    ...         advance("solve", done, 4)
    ...     advance("check", 100, 100)
    """
    order = [stage.name for stage in stages]
    by_name = {stage.name: stage for stage in stages}
    totals: dict[str, int] = {}
    done: dict[str, int] = {}
    state: dict = {"bar": None, "current": None}

    def position() -> int:
        whole = sum(by_name[name].cost * totals[name] for name in order)
        reached = order.index(state["current"]) if state["current"] in order else 0
        so_far = sum(by_name[name].cost * (totals[name] if k < reached else min(done.get(name, 0), totals[name]))
                     for k, name in enumerate(order))
        return int(_PERMILLE * so_far / whole) if whole else _PERMILLE

    def advance(stage: str, count: int, total: int) -> None:
        if stage not in by_name:
            raise ValueError(f"stage {stage!r} is not one of {order}")
        totals[stage] = total
        bar = state["bar"]
        if bar is None:                      # announcing: open the bar once every stage has its total
            if len(totals) == len(order):
                plan = ", ".join(f"{name} {totals[name]} {by_name[name].unit}{'' if totals[name] == 1 else 's'}"
                                 for name in order)
                state["bar"] = _bar(description, _PERMILLE, disable=disable, unit="permille", postfix=plan,
                                    bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]")
            return
        current = state["current"]
        if current is None or order.index(stage) >= order.index(current):   # stages only go forward
            state["current"] = stage
        done[stage] = max(count, done.get(stage, 0))
        if state["current"] == stage:
            bar.set_postfix_str(f"{stage} {done[stage]}/{total} {by_name[stage].unit}"
                                f"{'' if total == 1 else 's'}", refresh=False)
        target = position()
        if target > bar.n:
            bar.update(target - bar.n)

    try:
        yield advance
    finally:
        if state["bar"] is not None:
            state["bar"].close()
