"""The verdicts a classification can give, as an enumeration whose values are the strings the CLI prints."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Outcome"]


class Outcome(StrEnum):
    """The verdict on a point theta = (a, W) of the width-m landscape L, or on a whole landscape.

    A `StrEnum`: each member *is* its string value, so ``Outcome.GLOBAL_MINIMUM == "global-minimum"``,
    f-strings and JSON print the value, and files written before this enumeration existed read the same.

    Examples
    --------
    >>> Outcome("spurious-local-minimum") is Outcome.SPURIOUS_LOCAL_MINIMUM
    True
    >>> f"{Outcome.INCONCLUSIVE}", Outcome.INCONCLUSIVE.decided
    ('inconclusive', False)
    """

    GLOBAL_MINIMUM = "global-minimum"
    """A local minimum with L(theta) = L*_m: certified by the exact conditions and the bounds on L*_m."""
    SPURIOUS_LOCAL_MINIMUM = "spurious-local-minimum"
    """A local minimum with L(theta) > L*_m: the certificate proves both."""
    LOCAL_MINIMUM = "local-minimum"
    """A certified local minimum whose value is within the stated epsilon of L*_m: global or spurious undecided."""
    NOT_A_LOCAL_MINIMUM = "not-a-local-minimum"
    """Proved not a local minimum: an unbalanced neuron or an exact descent direction."""
    INCONCLUSIVE = "inconclusive"
    """Nothing was proved; the result's `reason` says why (see the docs page on inconclusive answers)."""

    # Verdicts about the exact stationary point near a gradient-descent endpoint, or about the endpoint's
    # convergence, as the endpoint classification with saddles names them (listed here so that results
    # carrying them stay `Outcome`s).
    NEAR_GLOBAL_MINIMUM = "near-global-minimum"
    """The endpoint is within the stated distance of the width-m global minimizers."""
    NEAR_LOCAL_MINIMUM = "near-local-minimum"
    """The exact stationary point near the endpoint is a certified local minimum (global versus spurious undecided)."""
    NEAR_SPURIOUS_LOCAL_MINIMUM = "near-spurious-local-minimum"
    """The exact stationary point near the endpoint is a certified spurious local minimum."""
    NEAR_SADDLE = "near-saddle"
    """The exact point near the endpoint is a certified saddle: proved stationary (no first-order descent) and not a
    local minimum (a zero neuron grows at second order), so gradient descent can stall there."""
    NEAR_SPURIOUS_SADDLE = "near-spurious-saddle"
    """As NEAR_SADDLE, with a loss above L*_m: a spurious stationary point."""
    NEAR_NON_STATIONARY_POINT = "near-non-stationary-point"
    """The exact point near the endpoint (the minimum of its face) is certified *not* stationary: crossing a kink
    lowers the loss at first order, so gradient descent does not stall there. Neither a minimum nor a saddle."""
    NOT_CONVERGED = "not-converged"
    """About the endpoint itself: no stationary point was identified near it, and the loss still decreases along a
    direction at a certified rate."""

    @property
    def decided(self) -> bool:
        """True for the verdicts a certificate proves (every member except `INCONCLUSIVE`)."""
        return self is not Outcome.INCONCLUSIVE
