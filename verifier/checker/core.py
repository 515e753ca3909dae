"""The checker's exact core: the formulas of docs §1-3, the shared readers every claim uses, and typed failures.

Everything here is exact (`Fraction`, `int`); nothing imports the solver side. A claim module reads its part of
the certificate only through these readers, so each rule about the input is stated once:

- numbers are integers or strings "p" / "p/q" of at most `MAX_DIGITS` digits each (no decimals, no exponents:
  a certificate is written by a program);
- a sign is the integer 1 or -1;
- a pattern is a sign vector that the certificate's chamber table (`witnesses.chambers`, each sign vector with
  an integer witness w, sign(X w) = sigma verified) lists: zero rows are '0', tied rows are consistent and the
  chamber is realizable, because its witness realizes it;
- the work the checker does is bounded by the certificate's size (see `ChamberTable.require_complete` and
  `escaping_set`), or refused with `CertificateTooLarge` before it starts. The lattice work also grows with the
  size of the instance's numbers (elimination on minors of the normals: 81 s for a 10 x 6 instance of 2000-digit
  integers), so a row x_i, scaled to its primitive integer normal, has entries of at most `MAX_NORMAL_DIGITS`
  digits (float data, 17 significant digits, stay far below it unless one row mixes magnitudes 1e80 apart);
- exact sums over a vector cost time quadratic in the size of its common denominator (Python's gcd and division
  are quadratic: 120 unrelated 2000-digit denominators took 116 s), so a vector read from a certificate, the
  neurons of one network, and the instance's X and y each have a common denominator of at most
  `MAX_DENOMINATOR_DIGITS` digits (polished certificates stay below 100; a float has at most 1075 binary digits
  after the point, all sharing powers of two), and the sums of `dual_value` and `primal_bound` run in integers
  over that denominator.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import Enum
from decimal import Decimal, localcontext
from fractions import Fraction
from operator import mul

from ..errors import CertificateMalformed, CertificateTooLarge
from ..instance import Instance
from ..lattice import LatticeTooLarge, hyperplanes, region_count
from ..numbers import MAX_DIGITS, rref

__all__ = [
    "Reason", "Refuted", "Certificate", "ChamberTable",
    "prediction", "primal_value", "primal_bound", "dual_value", "matrix_inverse", "cone_excess", "Scaled", "escaping_set", "residual",
    "pattern_name", "get", "obj", "listof", "integer", "fraction", "vector", "sign", "flag", "sigma", "dot",
    "row_index", "excluded_by_norm",
    "exact_text", "common_denominator", "MAX_COVER_STEPS", "MAX_NORMAL_DIGITS", "MAX_DENOMINATOR_DIGITS",
]


class Reason(str, Enum):
    """Why a well-formed certificate is refuted: a typed reason that callers may branch on."""

    WITNESS = "witness-fails"                  # an integer witness does not realize its sign vector
    COUNT = "count-mismatch"                   # chambers listed != Zaslavsky's count
    DUPLICATE = "duplicate"                    # a chamber or pattern listed twice
    UNKNOWN_PATTERN = "unknown-pattern"        # a pattern that the chamber table does not list
    PRIMAL = "primal-bound"                    # a primal point's value or feasibility fails
    DUAL = "dual-bound"                        # a dual residual's bound or cone inequality fails
    COVER = "not-covered"                      # some set of patterns has no dual residual
    WIDTH = "width"                            # more neurons than the width allows, or a region of the wrong size
    BALANCE = "unbalanced"
    STATIONARITY = "not-stationary"
    STRICTNESS = "strictness-not-proved"         # a stated strictness is not the one the checker decides
    DESCENT = "no-descent"                     # a claimed descent direction does not descend
    INTERIOR = "not-interior"                  # a point is not where the claim puts it
    FACET = "facet-bound"                      # a facet program's bound does not exceed U
    MULTIPLIER = "multiplier-not-provably-nonnegative"
    SEPARATION = "not-separated"               # lower bound of the claim does not beat the width-m upper bound
    SLACK = "not-slack"                        # a dual constraint is not proved strictly slack on an enclosure
    OTHER = "other"


class Refuted(Exception):
    """A well-formed witness fails; `reason` is typed, the message names the witness."""

    def __init__(self, reason: Reason, message: str):
        self.reason = reason
        super().__init__(message)


# --- readers ---------------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?[0-9]+(/[0-9]+)?")
_BOUND = 10**MAX_DIGITS


def get(container: dict, key: str, where: str):
    if not isinstance(container, dict):
        raise CertificateMalformed(f"{where}: expected an object")
    if key not in container:
        raise CertificateMalformed(f"{where}.{key}: missing")
    return container[key]


def obj(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise CertificateMalformed(f"{where}: expected an object")
    return value


def listof(value: object, where: str, length: int | None = None) -> list:
    if not isinstance(value, list):
        raise CertificateMalformed(f"{where}: expected a list")
    if length is not None and len(value) != length:
        raise CertificateMalformed(f"{where}: expected {length} entries, got {len(value)}")
    return value


def _digits_ok(text: str) -> bool:
    return all(len(part.lstrip("-")) <= MAX_DIGITS for part in text.split("/"))


def fraction(value: object, where: str) -> Fraction:
    """An exact rational: a JSON integer or a string 'p' or 'p/q' (q > 0), at most MAX_DIGITS digits each."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value) if abs(value) < 10**MAX_DIGITS else None
    elif isinstance(value, str):
        text = value
    else:
        raise CertificateMalformed(f"{where}: expected a rational string 'p/q', got {type(value).__name__}")
    if text is None or len(text) > 2 * MAX_DIGITS + 2 or not _NUMBER.fullmatch(text) or not _digits_ok(text):
        raise CertificateMalformed(f"{where}: expected 'p' or 'p/q' with at most {MAX_DIGITS} digits each")
    numerator, _, denominator = text.partition("/")
    if denominator and int(denominator) == 0:
        raise CertificateMalformed(f"{where}: zero denominator")
    return Fraction(int(numerator), int(denominator or 1))


def integer(value: object, where: str) -> int:
    q = fraction(value, where)
    if q.denominator != 1:
        raise CertificateMalformed(f"{where}: expected an integer")
    return q.numerator


def vector(value: object, length: int | None, where: str) -> list[Fraction]:
    """Rationals (see `fraction`) whose common denominator has at most MAX_DENOMINATOR_DIGITS digits."""
    values = [fraction(x, f"{where}[{i}]") for i, x in enumerate(listof(value, where, length))]
    common_denominator(values, where)
    return values


MAX_DENOMINATOR_DIGITS = 5 * MAX_DIGITS
_DENOMINATOR_BOUND = 10**MAX_DENOMINATOR_DIGITS


def common_denominator(values, where: str) -> int:
    """The lcm of the denominators of `values`, or CertificateTooLarge once it has more than
    MAX_DENOMINATOR_DIGITS digits (each step is then a gcd of bounded numbers: the refusal costs little)."""
    D = 1
    for q in values:
        if D % q.denominator:
            D = math.lcm(D, q.denominator)
        if D >= _DENOMINATOR_BOUND:
            raise CertificateTooLarge(f"{where}: the common denominator of its entries has more than "
                                      f"{MAX_DENOMINATOR_DIGITS} digits (the limit: exact sums cost time quadratic "
                                      "in it)")
    return D


def flag(container: dict, key: str, where: str) -> bool:
    """An optional JSON boolean, false when absent. Anything else is malformed: `"spurious": "false"` would be
    truthy to Python and read the other way by a person."""
    value = container.get(key, False)
    if not isinstance(value, bool):
        raise CertificateMalformed(f"{where}.{key}: expected true or false")
    return value


def sign(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, -1):
        raise CertificateMalformed(f"{where}: expected the integer 1 or -1")
    return value


def row_index(cert: "Certificate", value: object, where: str) -> int:
    """The index i of a non-zero data row x_i (0 <= i < n)."""
    i = integer(value, where)
    if not 0 <= i < cert.instance.n or not any(cert.instance.X[i]):
        raise CertificateMalformed(f"{where}: expected the index of a non-zero data row (0 <= i < {cert.instance.n})")
    return i


def exact_text(q: Fraction) -> str:
    """A derived number for a message or a fact: 'p' or 'p/q' when both parts have at most MAX_DIGITS digits,
    else '~' and a 15-digit decimal approximation. (Sums of certificate numbers can have far more digits than
    any input; Python refuses to print integers of more than 4300 digits, and nobody reads them.)"""
    if abs(q.numerator) < _BOUND and q.denominator < _BOUND:
        return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"
    with localcontext() as context:
        context.prec = 15
        return f"~{Decimal(q.numerator) / Decimal(q.denominator):.14E}"


def pattern_name(label: str, s: int, zeros=()) -> str:
    """A signed chamber or face as people read it, the one notation of every command: its sign vector over the
    data rows ('+', '-', and '0' on the rows in `zeros` it lies on, and on zero rows), a colon, and the sign of a:
    '+-+:+' (a > 0 in chamber +-+), '0-+:-' (a < 0 on the kink of row 0)."""
    tau = "".join("0" if i in zeros else c for i, c in enumerate(label))
    return f"{tau}:{'+' if s > 0 else '-'}"


def sigma(label: str) -> list[int]:
    return [1 if c == "+" else -1 if c == "-" else 0 for c in label]


# --- the exact formulas (docs §1, §3) ---------------------------------------------------------------

def dot(u, v) -> Fraction:
    return sum(map(mul, u, v), Fraction(0))


def prediction(instance: Instance, neurons) -> list[Fraction]:
    """f(x_i) = sum_j s_j max(0, <x_i, u_j>) for neurons given as (s_j, u_j) with rational entries.

    Summed in integers: u_j = U_j / D_j and x_i = Z_i / E over common denominators, so <x_i, u_j> has the sign of
    <Z_i, U_j> and f(x_i) = sum_j s_j max(0, <Z_i, U_j>) (L / D_j) / (E L) with L = lcm_j D_j."""
    Z, E = _integer_rows(instance)
    parts = []
    for s, u in neurons:
        D = math.lcm(1, *(x.denominator for x in u))
        parts.append((s, D, [x.numerator * (D // x.denominator) for x in u]))
    L = math.lcm(1, *(D for _, D, _ in parts))
    f = [0] * instance.n
    for s, D, U in parts:
        for i, z in enumerate(Z):
            value = sum(a * b for a, b in zip(z, U))
            if value > 0:
                f[i] += s * value * (L // D)
    return [Fraction(b, E * L) for b in f]


def matrix_inverse(M: list[list[Fraction]]) -> list[list[Fraction]]:
    """M^-1 for an invertible square rational matrix (Gauss-Jordan on [M | I])."""
    size = len(M)
    reduced = rref([list(row) + [Fraction(int(i == j)) for j in range(size)] for i, row in enumerate(M)])[0]
    return [row[size:] for row in reduced]


def residual(instance: Instance, neurons) -> list[Fraction]:
    """r = y - f(X) for neurons (s_j, u_j)."""
    return [yi - fi for yi, fi in zip(instance.y, prediction(instance, neurons))]


def primal_value(instance: Instance, neurons) -> Fraction:
    """Upper bound on the loss of the balanced network of neurons (s_j, u_j, q_j) with q_j >= ||u_j||:
    (1/(2n)) ||f(X) - y||^2 + lambda sum_j q_j. Raises Refuted if some q_j^2 < ||u_j||^2 or q_j < 0."""
    for j, (_, u, q) in enumerate(neurons):
        if q < 0 or q * q < dot(u, u):
            raise Refuted(Reason.PRIMAL, f"neuron {j}: norm bound {q} is below ||u||")
    return primal_bound(instance, residual(instance, [(s, u) for s, u, _ in neurons]), [q for _, _, q in neurons])


def primal_bound(instance: Instance, r, norms) -> Fraction:
    """(1/(2n)) ||r||^2 + lambda sum_j q_j: the loss of a balanced network with residual r = y - f(X), bounded
    above when each q_j >= ||u_j|| (`primal_value` checks that; a caller that made the q_j so may call this)."""
    R = Scaled.of(r)
    return Fraction(sum(x * x for x in R.numerators), 2 * instance.n * R.denominator ** 2) \
        + instance.lam * sum(norms, Fraction(0))


def dual_value(instance: Instance, r) -> Fraction:
    """The weak-duality lower bound (1/n)(r^T y - ||r||^2 / 2) for a dual-feasible residual r (Fractions or a
    `Scaled`), summed in integers: with r = R / D and y = Y / F, (2 D R.Y - F ||R||^2) / (2 n D^2 F)."""
    R, Y = Scaled.of(r), _integer_labels(instance)
    D, F = R.denominator, Y.denominator
    return Fraction(2 * D * sum(map(mul, R.numerators, Y.numerators)) - F * sum(x * x for x in R.numerators),
                    2 * instance.n * D * D * F)


@dataclass(frozen=True)
class Scaled:
    """A rational vector as integer numerators over one common positive denominator: the form `cone_excess` sums
    in. A caller that tries one vector many times (a residual on many patterns) converts it once."""

    numerators: tuple[int, ...]
    denominator: int

    @classmethod
    def of(cls, values) -> "Scaled":
        """Fractions or ints (or a Scaled, returned as it is)."""
        if isinstance(values, Scaled):
            return values
        D = math.lcm(*(v.denominator for v in values))
        return cls(tuple(v.numerator * (D // v.denominator) for v in values), D)

    def values(self) -> list[Fraction]:
        return [Fraction(a, self.denominator) for a in self.numerators]


def cone_excess(instance: Instance, sigma_, s: int, r, mu, nu=None) -> Fraction:
    """||(s/n) X^T D_sigma r + C_sigma^T mu + sum_i nu_i x_i||^2 - lambda^2, with C_sigma's rows sigma_i x_i.
    For mu >= 0 it is <= 0 exactly when the witness proves max{(s/n) r^T D_sigma X w : w in cl K_sigma,
    <x_i, w> = 0 where nu_i is given, ||w|| <= 1} <= lambda (nu: free multipliers of equalities).

    Summed in integers (r, mu, nu are lists of Fractions or `Scaled`): with r = R / Dr, mu = M / Dm, nu = N / Dn
    and the rows x_i = Z_i / E, the coefficients c_i = (s/n) r_i [sigma_i > 0] + sigma_i mu_i + nu_i are C_i / D
    with D = n Dr Dm Dn, and v = sum_i c_i x_i = (sum_i C_i Z_i) / (D E)."""
    n = instance.n
    R, M = Scaled.of(r), Scaled.of(mu)
    N = Scaled.of(nu) if nu is not None else None
    Dr, Dm, Dn = R.denominator, M.denominator, N.denominator if N is not None else 1
    a, b = s * Dm * Dn, n * Dr * Dn
    C = [(a * R.numerators[i] if sigma_[i] > 0 else 0) + (sigma_[i] * b * M.numerators[i] if sigma_[i] else 0)
         for i in range(n)]
    if N is not None:
        c = n * Dr * Dm
        C = [Ci + c * Ni for Ci, Ni in zip(C, N.numerators)]
    Z, E = _integer_rows(instance)
    v = [0] * instance.d
    for Ci, z in zip(C, Z):
        if Ci:
            v = [x + Ci * w for x, w in zip(v, z)]
    Q, lam2 = (n * Dr * Dm * Dn * E) ** 2, instance.lam ** 2
    return Fraction(sum(x * x for x in v) * lam2.denominator - lam2.numerator * Q, Q * lam2.denominator)


def _integer_labels(instance: Instance) -> Scaled:
    """y as integers over their common denominator (the instance computes them once: `Instance.integer_labels`)."""
    return Scaled(*instance.integer_labels)


def _integer_rows(instance: Instance) -> tuple[tuple[tuple[int, ...], ...], int]:
    """Integer rows Z_i and E with x_i = Z_i / E (E the lcm of the denominators; `Instance.integer_rows`, computed
    once per instance)."""
    return instance.integer_rows


def excluded_by_norm(A, lam, kind: str, r0, rho2, offset=None) -> bool:
    """||A r + b|| < lambda ("norm-low") or > lambda ("norm-high") for every r with ||r - r0||^2 <= rho2 (A a list of
    rows, b = `offset`, zero when None), from ||A r0 + b|| - rho ||A||_F <= ||A r + b|| <= ||A r0 + b|| + rho ||A||_F,
    decided without square roots. Shared by the catalog's rule (c) and the region-no-local-minimum claim."""
    offset = offset or [0] * len(A)
    alpha = sum((dot(row, r0) + b) ** 2 for row, b in zip(A, offset))    # ||A r0 + b||^2
    beta = rho2 * sum(dot(row, row) for row in A)                         # (rho ||A||_F)^2
    lam2 = lam ** 2
    if kind == "norm-low":       # sqrt(alpha) + sqrt(beta) < lambda
        slack = lam2 + beta - alpha
        return beta < lam2 and slack > 0 and slack * slack > 4 * lam2 * beta
    if kind == "norm-high":      # sqrt(alpha) - sqrt(beta) > lambda
        slack = alpha - lam2 - beta
        return slack > 0 and slack * slack > 4 * lam2 * beta
    raise CertificateMalformed(f"norm test: expected 'norm-low' or 'norm-high', got {kind!r}")


MAX_COVER_STEPS = 200_000
MAX_NORMAL_DIGITS = 100
_NORMAL_BOUND = 10**MAX_NORMAL_DIGITS


def escaping_set(complements: list[frozenset], m: int, budget: list[int] | None = None) -> frozenset | None:
    """A set of at most m elements meeting every set in `complements`, or None (bounded search tree).
    With complements U_k = universe minus V_k: a set of <= m patterns contained in no V_k.

    The search visits at most MAX_COVER_STEPS nodes; beyond that it raises CertificateTooLarge (exit 2)
    rather than run for an unbounded time on adversarial certificates."""
    budget = [MAX_COVER_STEPS] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise CertificateTooLarge(f"the covering search of L*_m needs more than {MAX_COVER_STEPS} steps: give dual "
                                  "residuals that each cover more patterns, or certify a smaller width")
    if not complements:
        return frozenset()
    if m == 0:
        return None
    for e in sorted(min(complements, key=len)):
        found = escaping_set([U for U in complements if e not in U], m - 1, budget)
        if found is not None:
            return found | {e}
    return None


# --- chambers: the one table every pattern is read through ---------------------------------------------

class ChamberTable:
    """Sign vectors sigma with integer witnesses w, sign(<x_i, w>) = sigma_i verified exactly (0 on zero rows).

    Every pattern a claim mentions must be listed here, so it is a chamber of the instance's arrangement.
    `require_complete` proves that the table lists every chamber (Zaslavsky's count); its lattice work is
    bounded by the table's size, because a geometric lattice has at most as many flats as the arrangement has
    chambers (|mu(0, X)| >= 1 for every flat: proofs/lemma_flats_bound.py)."""

    def __init__(self, instance: Instance, table: object, where: str):
        table = obj(table, where)
        self.where = where
        self.instance = instance
        self.labels = listof(get(table, "signs", where), f"{where}.signs")
        points = listof(get(table, "points", where), f"{where}.points", len(self.labels))
        self.normals, row_map = hyperplanes(instance.X)
        if any(abs(entry) >= _NORMAL_BOUND for normal in self.normals for entry in normal):
            raise CertificateTooLarge(f"instance.X: a row whose primitive integer normal has an entry of more than "
                                      f"{MAX_NORMAL_DIGITS} digits (the limit for exact lattice work)")
        for c, (label, point) in enumerate(zip(self.labels, points)):
            if not isinstance(label, str) or len(label) != instance.n or set(label) - set("+-0"):
                raise CertificateMalformed(f"{where}.signs[{c}]: expected {instance.n} characters from '+-0'")
            w = [integer(x, f"{where}.points[{c}][{k}]") for k, x in
                 enumerate(listof(point, f"{where}.points[{c}]", instance.d))]
            side = [sum(map(mul, normal, w)) for normal in self.normals]
            for i, entry in enumerate(row_map):
                if entry is None:
                    ok = label[i] == "0"
                else:
                    h, orientation = entry
                    value = orientation * side[h]
                    ok = (value > 0 and label[i] == "+") or (value < 0 and label[i] == "-")
                if not ok:
                    raise Refuted(Reason.WITNESS, f"chamber {c}: witness gives the wrong sign (or zero) on row {i}")
        self.known = set(self.labels)
        if len(self.known) != len(self.labels):
            raise Refuted(Reason.DUPLICATE, "two listed chambers have the same sign vector")

    def require_complete(self) -> int:
        """Refute unless the table lists every chamber; returns their number P."""
        listed = len(self.labels)
        try:
            count = region_count(self.normals, max_flats=listed)
        except LatticeTooLarge:
            raise Refuted(Reason.COUNT, f"{listed} chambers listed, but the arrangement has more flats than that, "
                                        "so more chambers (Zaslavsky)") from None
        if count != listed:
            raise Refuted(Reason.COUNT, f"{listed} chambers listed, Zaslavsky count is {count}")
        return count

    def chamber(self, label: object, where: str) -> str:
        """A sign vector listed in the table (malformed if not a sign vector, refuted if not listed)."""
        if not isinstance(label, str) or len(label) != self.instance.n or set(label) - set("+-0"):
            raise CertificateMalformed(f"{where}: expected {self.instance.n} characters from '+-0'")
        if label not in self.known:
            raise Refuted(Reason.UNKNOWN_PATTERN, f"{where}: {label} is not a chamber listed (with a witness) in "
                                                  f"{self.where}")
        return label

    def signed(self, entry: object, where: str) -> tuple[str, int]:
        """A signed pattern {"pattern": sigma, "sign": s} with sigma a listed chamber."""
        entry = obj(entry, where)
        return self.chamber(get(entry, "pattern", where), f"{where}.pattern"), sign(get(entry, "sign", where),
                                                                                    f"{where}.sign")


@dataclass
class Certificate:
    """A parsed certificate: the instance, the claim and the witnesses, with the chamber table read lazily."""

    instance: Instance
    claim: dict
    witnesses: dict
    _chambers: ChamberTable | None = field(default=None, repr=False)

    @property
    def chambers(self) -> ChamberTable:
        if self._chambers is None:
            self._chambers = ChamberTable(self.instance, get(self.witnesses, "chambers", "witnesses"),
                                          "witnesses.chambers")
        return self._chambers

    def signed(self, entry: object, where: str) -> tuple[str, int]:
        return self.chambers.signed(entry, where)

    def width(self) -> int:
        m = integer(get(self.claim, "width", "claim"), "claim.width")
        if m < 1:
            raise CertificateMalformed("claim.width: must be an integer >= 1")
        return m

    def neurons(self, entries: object, where: str) -> list[tuple[int, list[Fraction], Fraction]]:
        """Primal neurons [{"sign", "u", "norm_bound"}] as (s, u, q); the u_j of the network share a common
        denominator of at most MAX_DENOMINATOR_DIGITS digits (its prediction is summed over it)."""
        out = []
        for j, entry in enumerate(listof(entries, where)):
            here = f"{where}[{j}]"
            entry = obj(entry, here)
            out.append((sign(get(entry, "sign", here), f"{here}.sign"),
                        vector(get(entry, "u", here), self.instance.d, f"{here}.u"),
                        fraction(get(entry, "norm_bound", here), f"{here}.norm_bound")))
        common_denominator((x for _, u, _ in out for x in u), where)
        return out

    def better_network(self, value: Fraction, width: int, *, strict_above: bool = True) -> Fraction:
        """`witnesses.width_upper`: a network of at most `width` neurons whose loss bound is below `value`."""
        better = self.neurons(get(self.witnesses, "width_upper", "witnesses"), "witnesses.width_upper")
        if len(better) > width:
            raise Refuted(Reason.WIDTH, f"the better network has {len(better)} > {width} neurons")
        bound = primal_value(self.instance, better)
        if bound >= value:
            raise Refuted(Reason.SEPARATION, "the better network's loss bound is not below the claimed value")
        return bound
