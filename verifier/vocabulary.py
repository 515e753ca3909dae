"""The project's words as types: the classes a region of initializations falls into (docs/mathematics.md §4),
shared by the census, the reports, the figures and the command line. `StrEnum` members are their JSON strings,
so certificates and `--json` output keep the same text."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["RegionClass"]


class RegionClass(StrEnum):
    """Where a random initialization's region (its set S of signed patterns) stands, as certified:

    - `CONTAINS_GLOBAL`: the closure of the region holds a global minimum of width m (C(S) within epsilon of L*_m);
    - `SPURIOUS`: it holds a certified spurious local minimum and no global one;
    - `NO_LOCAL`: a certificate shows its closure holds no local minimum at all;
    - `NO_GLOBAL`: no global minimum, and whether it holds a local one is not decided;
    - `UNDECIDED`: the brackets do not separate C(S) from L*_m."""

    CONTAINS_GLOBAL = "contains-global-min"
    SPURIOUS = "spurious-local-min"
    NO_LOCAL = "no-local-min"
    NO_GLOBAL = "no-global-min"
    UNDECIDED = "undecided"
