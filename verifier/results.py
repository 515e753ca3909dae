"""The Python API's result classes for catalogs and censuses: the records of `catalog` and `census` with `plot()`.

This module belongs to the front end (beside `api`): it is the only place where these results reach the figures of
`plots`, which stay a leaf that the questions below never import. `verifier.certify` returns a `Catalog` and
`verifier.take_census` a `Census`; both are also instances of the records they extend.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import catalog as _catalog, census as _census
from .views import promote

__all__ = ["Catalog", "Census"]


@dataclass(repr=False)
class Catalog(_catalog.Catalog):
    """Every local minimum of width m, as the exact checker proved it from the catalog certificate `document`.

    Attributes
    ----------
    verdict : str
        ``benign`` (every local minimum has loss <= L*_m + `epsilon`), ``spurious-local-minima`` (listed in
        `spurious`) or ``undecided`` (the faces in `undecided`).
    width : int
        m.
    lstar : tuple of Fraction or None
        Certified bounds (lower, upper) on L*_m; None when they were not certified (a budget that ran out before
        the region table, or ``first=True``).
    epsilon : Fraction or None
        How far above L*_m a local minimum may be and still count as global (None with `lstar`).
    complete : bool
        Every product face is settled. Only then are the `spurious` entries all the spurious local minima; an
        incomplete catalog proves that its entries exist.
    open_faces : int
        Product faces not settled (undecided, or never reached before the budget ran out).
    certified : bool
        The checker accepted `document`; nothing in this result is claimed otherwise.
    spurious : list of dict
        One entry per spurious local minimum: ``value`` (exact bracket), ``value_float``, ``face``, ``strict``
        (``strict``, ``non-strict`` or ``not decided``, the checker's decision) and ``probability`` (of a random
        initialization's region having it in its closure).
    undecided : list of dict
        The product faces not settled, each with its ``face`` and ``reason``.
    counts : dict
        Product faces settled by each rule (a, b, c, d, e, g, u; see docs/mathematics.md §8).
    product_faces, faces, chambers : int
        Sizes of the search.
    favourability : dict
        ``spurious_by_count`` (certified: a fraction or an interval) and ``spurious_by_weight`` (computed).
    document : dict or None
        The catalog certificate (`verifier.check(document)` re-verifies it).
    """

    def plot(self):
        """The catalog on a loss axis (L*_m, each spurious local minimum marked by its strictness, marker area
        ~ basin probability), as a matplotlib figure; `figure.savefig("catalog.png", bbox_inches="tight")`
        writes it (with its legend below the axes)."""
        from .plots import catalog_figure

        return catalog_figure(self)


@dataclass(repr=False)
class Census(_census.Census):
    """The probability of each certified class of regions under random initialization at width m.

    Probabilities are floats when `exhaustive` (exact weights, every set of at most m signed patterns
    classified) and Wilson 95% intervals (low, high) over `samples` draws otherwise.

    Attributes
    ----------
    width : int
        m.
    exhaustive : bool
        Every set was classified (exact weights) rather than sampled.
    p_contains_global : float or (float, float)
        The region contains a global minimum: upper C(S) <= lower L*_m + `epsilon`.
    p_spurious_local_min : float or (float, float)
        C(S) > L*_m and the region's minimizer is a certified (hence spurious) local minimum.
    p_no_local_min : float or (float, float)
        C(S) > L*_m and the region's closure is certified free of local minima.
    p_no_global_min : float or (float, float)
        C(S) > L*_m; whether the closure holds a local minimum is undecided.
    p_undecided : float or (float, float)
        The certified bounds do not separate C(S) from L*_m.
    favourability : float, (float, float) or None
        p_spurious_local_min / (p_contains_global + p_spurious_local_min) (None when both are 0).
    favourability_bracket : (float, float) or None
        What the favourability could be if every region of unknown status went either way.
    p_fully_covered : float
        The region uses all 2P signed patterns (C(S) = C*).
    regions_classified : int
        Sets classified (exhaustive) or draws (sampled).
    epsilon : float
        The tolerance of `p_contains_global`.
    seconds : float
        Wall-clock time.
    samples, sampler, seed : int, str, int
        The draws (0 when exhaustive), ``gaussian`` or the authors' ``uniform``, and the seed.
    measure_method, measure_error : str, float
        How the chambers' Gaussian measures were computed, and the error bound of each.
    counts : dict
        Draws (or sets) per class.
    classes : dict
        The class of every classified set.
    instance_digest : str
        sha256 of the instance's canonical form.
    resumed : int
        Sets read back from a checkpoint.
    """

    def plot(self):
        """One bar per class (with the Wilson interval when sampled), as a matplotlib figure."""
        from .plots import census_figure

        return census_figure(self)


def catalog_result(record: _catalog.Catalog) -> Catalog:
    """The catalog record as the API's `Catalog`."""
    return promote(Catalog, record)


def census_result(record: _census.Census) -> Census:
    """The census record as the API's `Census`."""
    return promote(Census, record)
