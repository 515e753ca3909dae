"""Progress bars: one tqdm bar per long step, with a total and an ETA, quiet when nobody is watching.

On a terminal the bar redraws at most ten times a second; when stderr is a file or a pipe (CI logs, nohup) it
writes a line at most every `LOG_INTERVAL` seconds, so a log gets a few progress lines, not a stream of
redraws.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from tqdm import tqdm

__all__ = ["progress_bar", "LOG_INTERVAL"]

LOG_INTERVAL = 30.0


@contextmanager
def progress_bar(description: str, total: int | None = None, *, disable: bool = False, unit: str = "it",
                 inner: bool = False) -> Iterator[Callable[[int, int | None], None]]:
    """A bar on stderr; yields ``advance(done, total=None)``, which moves it to `done` (of `total`).

    `inner`: a bar for one part of a longer job (one census of `reproduce`); it appears only once that part has
    run for a second on a terminal, `LOG_INTERVAL` seconds in a log, so short parts leave no lines.

    Examples
    --------
    >>> with progress_bar("demo", 3, disable=True) as advance:
    ...     for done in range(1, 4):
    ...         advance(done)
    """
    interactive = sys.stderr.isatty()
    bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr, disable=disable, leave=not interactive,
               mininterval=0.1 if interactive else LOG_INTERVAL, dynamic_ncols=interactive,
               ascii=None if interactive else True, delay=(1.0 if interactive else LOG_INTERVAL) if inner else 0.0,
               position=None if interactive else 0)   # in a log, no cursor movements between nested bars

    def advance(done: int, new_total: int | None = None) -> None:
        if new_total is not None and new_total != bar.total:
            bar.total = new_total
        if done > bar.n:
            bar.update(done - bar.n)

    try:
        yield advance
        if bar.total is not None:   # the step finished: callers that report every k-th item end below total
            advance(bar.total)
    finally:
        bar.close()
