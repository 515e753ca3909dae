"""Claims `saddle` and `not-stationary`: what the minimizer theta_F of a face program is when it is not a local
minimum of L (docs §9; docs/mathematics.md, "Saddles and endpoints").

theta_F is any minimizer u* of C_F, lifted balanced (docs §3) and padded with zero neurons to the claimed width m.
Both claims read the face with exact kinks (`face.read_face`: u0 in the relative interior of F and a facet bound
> U for every other row, so every minimizer keeps exactly Z_k active and u*_k != 0); its residual r* is unknown
but enclosed: ||r* - r0||^2 <= rho^2 = 2n(U - B).

First-order stationarity (proofs/lemma_saddle.py, (e)-(f)). The one-sided derivative L'(theta; V) of a balanced
point is a sum over neurons. A zero neuron contributes 0 along every direction (its prediction is a product of
two zero factors and its penalty is quadratic): zero neurons never give first-order descent. A non-zero neuron
contributes >= 0 along every direction iff, for every chamber sigma around u_k, its docs §5 condition holds with
multipliers >= 0 (Farkas on the cone of directions entering cl K_sigma; the a-derivative vanishes by balance).
Inside the face the KKT conditions of C_F give that condition up to the kink multipliers c(r*) (linear in r*,
`face.kink_multiplier_rows`), so:

- `saddle`: theta_F is **stationary** (every kink multiplier of every non-zero neuron, around every chamber of a
  complete chamber table, is >= 0 on the whole ball) and **not a local minimum**: theta_F has a zero neuron
  (m > number of faces) and a sign s and direction v with
  gain(r) = (s/n) r^T (X v)_+ - lambda (1 + ||v||^2)/2 > 0 for every r in the ball. Growing the zero neuron as
  (a, w) = (s t, t v) changes L by -t^2 gain(r*) + O(t^4): a second-order escape, so gradient descent can stall
  there. gain is linear in r, so its minimum over the ball is gain(r0) - rho ||g||, g = (s/n)(X v)_+: proved by
  gain(r0) > 0 and gain(r0)^2 > rho^2 ||g||^2. `witnesses.descent` = {"kind": "grow", "sign", "direction"}.
  spurious: B above the loss bound of a network of at most m neurons: a stationary point above L*_m (a spurious
  saddle).
- `not-stationary`: a non-zero neuron k, a chamber sigma around u*_k and a kink row z whose multiplier
  sigma_z c_z(r*) is < 0 for every r* in the ball: moving u_k into cl K_sigma across the kink lowers L at first
  order (L'(theta_F; V) < 0), so theta_F is neither stationary nor a local minimum and gradient descent does not
  stall there. `witnesses.descent` = {"kind": "kink", "neuron", "pattern", "row"}. theta_F may have zero neurons.

A grow witness alone (without the stationarity proof) would show only "not a local minimum"; a `saddle` claim
refuses a face whose stationarity it cannot prove (Reason.MULTIPLIER).
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import CertificateMalformed
from .core import Certificate, Reason, Refuted, dot, exact_text, flag, get, integer, obj, sign, sigma, vector
from .face import Face, kink_multiplier_rows, prove_stationary, read_face

__all__ = ["check_saddle", "prove_saddle", "check_not_stationary", "prove_not_stationary", "growth_margin",
           "kink_descent_margin"]


def growth_margin(instance, r0, rho2: Fraction, s: int, v) -> tuple[Fraction, Fraction]:
    """(A, A^2 - rho^2 ||g||^2) with A = gain(r0) = <g, r0> - lambda (1 + ||v||^2)/2, g = (s/n)(X v)_+:
    growth is proved on the ball iff both are > 0."""
    g = [Fraction(s, instance.n) * max(dot(x, v), 0) for x in instance.X]
    value = dot(g, r0) - instance.lam * (1 + dot(v, v)) / 2
    return value, value * value - rho2 * dot(g, g)


def kink_descent_margin(instance, sigma_k, s: int, zeros, sigma_, z: int, r0, rho2: Fraction) -> bool:
    """The docs §5 multiplier of kink row z around chamber sigma_ is < 0 on the whole ball ||r - r0||^2 <= rho2
    (its value v at r0 is < 0 and v^2 > rho2 ||grad||^2: proofs/lemma_saddle.py (b))."""
    row = kink_multiplier_rows(instance, sigma_k, s, zeros, sigma_)[zeros.index(z)]
    value = sigma_[z] * dot(row, r0)
    return value < 0 and value * value > dot(row, row) * rho2


def _descent(cert: Certificate, kind: str) -> dict:
    descent = obj(get(cert.witnesses, "descent", "witnesses"), "witnesses.descent")
    found = get(descent, "kind", "witnesses.descent")
    if found != kind:
        other = {"grow": "a `saddle`", "kink": "a `not-stationary`"}.get(found) if isinstance(found, str) else None
        raise CertificateMalformed(f"witnesses.descent.kind: expected {kind!r}" +
                                   (f" (a {found!r} witness belongs in {other} claim)" if other else ""))
    return descent


def check_saddle(cert: Certificate) -> dict:
    return prove_saddle(cert)[0]


def prove_saddle(cert: Certificate) -> tuple[dict, Face]:
    """`check_saddle` and the face it proved."""
    instance = cert.instance
    descent = _descent(cert, "grow")
    face = prove_stationary(cert, zero_neurons=True)
    if face.width <= len(face.region):
        raise Refuted(Reason.WIDTH, "theta_F has no zero neuron to grow (width = number of faces)")
    s = sign(get(descent, "sign", "witnesses.descent"), "witnesses.descent.sign")
    v = vector(get(descent, "direction", "witnesses.descent"), instance.d, "witnesses.descent.direction")
    value, margin = growth_margin(instance, face.r0, face.rho2, s, v)
    if value <= 0 or margin <= 0:
        raise Refuted(Reason.DESCENT, "the zero neuron's gain is not provably positive on the whole enclosure "
                                      f"(gain at r0 = {exact_text(value)}; the ball is too large)")
    facts = {"region": face.names(), "width": face.width, "value": [str(face.lower), str(face.upper)],
             "stationary": True,
             "descent": f"a zero neuron grows with sign {s} along ({', '.join(map(str, v))}) (second order)"}
    if flag(cert.claim, "spurious", "claim"):
        facts["width_upper"] = exact_text(cert.better_network(face.lower, face.width))
        facts["spurious"] = True
    return facts, face


def check_not_stationary(cert: Certificate) -> dict:
    return prove_not_stationary(cert)[0]


def prove_not_stationary(cert: Certificate) -> tuple[dict, Face]:
    """`check_not_stationary` and the face it read."""
    instance = cert.instance
    descent = _descent(cert, "kink")
    if "spurious" in cert.claim:
        raise CertificateMalformed("claim.spurious: a point that is not stationary is not a spurious stationary "
                                   "point (leave the flag out)")
    face = read_face(cert, exact_kinks=True, zero_neurons=True)
    k = integer(get(descent, "neuron", "witnesses.descent"), "witnesses.descent.neuron")
    if not 0 <= k < len(face.region):
        raise CertificateMalformed(f"witnesses.descent.neuron: expected 0 <= k < {len(face.region)}")
    label_k, s, zeros = face.region[k]
    label = cert.chambers.chamber(get(descent, "pattern", "witnesses.descent"), "witnesses.descent.pattern")
    z = integer(get(descent, "row", "witnesses.descent"), "witnesses.descent.row")
    sg, sk = sigma(label), sigma(label_k)
    if z not in zeros:
        raise Refuted(Reason.DESCENT, f"row {z} is not a kink of neuron {k}")
    if any(sg[i] != sk[i] for i in range(instance.n) if i not in zeros):
        raise Refuted(Reason.DESCENT, f"chamber {label} is not around neuron {k} (it differs off the kinks)")
    if not kink_descent_margin(instance, sk, s, zeros, sg, z, face.r0, face.rho2):
        raise Refuted(Reason.DESCENT, f"neuron {k}, chamber {label}: the multiplier of row {z} is not provably < 0 "
                                      "on the whole enclosure")
    facts = {"region": face.names(), "width": face.width, "value": [str(face.lower), str(face.upper)],
             "stationary": False,
             "descent": f"neuron {k} crossing the kink of row {z} into chamber {label} lowers L at first order"}
    return facts, face
