"""The Python API's views of the solver-free results: the chambers of an arrangement and a gradient-descent run,
each with `plot()`.

A front-end module (beside `api` and `results`): only here do these results reach the figures of `plots`, which
stays a leaf that the layers below never import (they hand data to it). It imports no solver, so
`verifier.chambers` and `verifier.train` stay as light as the modules they call. `verifier.chambers` returns an
`Arrangement` and `verifier.train` a `Trajectory`; both are also instances of the records they extend.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from . import arrangement as _arrangement, network as _network

__all__ = ["Arrangement", "Trajectory", "promote"]


def promote(cls, record):
    """The record as an instance of its API subclass `cls` (same fields, same values)."""
    return cls(**{f.name: getattr(record, f.name) for f in fields(record)})


@dataclass(repr=False)
class Arrangement(_arrangement.Arrangement):
    """The chambers of the arrangement of the rows of X (see `verifier.arrangement.Arrangement`), with `plot()`."""

    def plot(self):
        """A matplotlib figure: lines on the circle (d = 2), great circles on the sphere (d = 3), else the
        chamber graph."""
        from .plots import arrangement_figure

        return arrangement_figure(self)


@dataclass(repr=False)
class Trajectory(_network.Trajectory):
    """A gradient-descent run (see `verifier.network.Trajectory`): the final parameters and the loss every `every`
    steps, with `plot()`."""

    def plot(self, references: dict | None = None):
        """The loss curve L(theta_t) against the step t (log scale), as a matplotlib figure; `references` maps a
        name to certified bounds drawn as reference lines, e.g. ``{"C*": verifier.solve(instance)}``."""
        from .plots import loss_figure

        return loss_figure(self.loss_steps, self.losses, references)
