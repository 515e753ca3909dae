"""Claim `saddle`: the minimizer theta_F of a face program is not a local minimum of L (SPEC §9).

theta_F is any minimizer u* of C_F, lifted (SPEC §3) and padded with zero neurons to the claimed width m. Its
residual r* is unknown but enclosed: ||r* - r0||^2 <= rho^2 = 2n(U - B) (the face part, `face.read_face`). Two
ways to prove that theta_F is not a local minimum, each an exact inequality on the whole ball:

- `grow` (m > number of faces, so theta_F has a zero neuron): a sign s and a direction v with
  gain(r) = (s/n) r^T (X v)_+ - lambda (1 + ||v||^2)/2 > 0 for every r in the ball. Growing the zero neuron as
  (a, w) = (s t, t v) changes L by -t^2 gain(r*) + O(t^4) (proofs/lemma_saddle.py). gain is linear in r, so its
  minimum over the ball is gain(r0) - rho ||g||, g = (s/n)(X v)_+: proved by gain(r0) > 0 and
  gain(r0)^2 > rho^2 ||g||^2.
- `kink` (the face part with exact kinks: every minimizer keeps exactly Z_k active and u*_k != 0): a chamber
  sigma around u*_k and a row z in Z_k whose SPEC §5 multiplier sigma_z c_z(r*) is negative for every r* in the
  ball (c is linear in r*: `face.kink_multiplier_rows`): the stationarity condition of the convex piece with
  neuron k in cl K_sigma fails, so crossing the kink lowers L.

The loss of theta_F is C_F, in [B, U]. spurious: B above the loss bound of a network of at most m neurons, so
theta_F is a stationary point above L*_m that is not a local minimum (a spurious saddle).
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import CertificateMalformed
from .core import Certificate, Reason, Refuted, dot, exact_text, flag, get, integer, obj, sign, sigma, vector
from .face import Face, kink_multiplier_rows, read_face

__all__ = ["check_saddle", "prove_saddle", "growth_margin"]

_KINDS = ("grow", "kink")


def growth_margin(instance, r0, rho2: Fraction, s: int, v) -> tuple[Fraction, Fraction]:
    """(A, A^2 - rho^2 ||g||^2) with A = gain(r0) = <g, r0> - lambda (1 + ||v||^2)/2, g = (s/n)(X v)_+:
    growth is proved on the ball iff both are > 0."""
    g = [Fraction(s, instance.n) * max(dot(x, v), 0) for x in instance.X]
    value = dot(g, r0) - instance.lam * (1 + dot(v, v)) / 2
    return value, value * value - rho2 * dot(g, g)


def check_saddle(cert: Certificate) -> dict:
    return prove_saddle(cert)[0]


def prove_saddle(cert: Certificate) -> tuple[dict, Face]:
    """`check_saddle` and the face it proved."""
    instance = cert.instance
    descent = obj(get(cert.witnesses, "descent", "witnesses"), "witnesses.descent")
    kind = get(descent, "kind", "witnesses.descent")
    if kind not in _KINDS:
        raise CertificateMalformed(f"witnesses.descent.kind: expected one of {_KINDS}")
    face = read_face(cert, exact_kinks=kind == "kink", zero_neurons=kind == "grow")
    if kind == "grow":
        if face.width <= len(face.region):
            raise Refuted(Reason.WIDTH, "theta_F has no zero neuron to grow (width = number of faces)")
        s = sign(get(descent, "sign", "witnesses.descent"), "witnesses.descent.sign")
        v = vector(get(descent, "direction", "witnesses.descent"), instance.d, "witnesses.descent.direction")
        value, margin = growth_margin(instance, face.r0, face.rho2, s, v)
        if value <= 0 or margin <= 0:
            raise Refuted(Reason.DESCENT, "the zero neuron's gain is not provably positive on the whole enclosure "
                                          f"(gain at r0 = {value}; the ball is too large)")
        how = f"a zero neuron grows with sign {s} along ({', '.join(map(str, v))})"
    else:
        k = integer(get(descent, "neuron", "witnesses.descent"), "witnesses.descent.neuron")
        if not 0 <= k < len(face.region):
            raise CertificateMalformed(f"witnesses.descent.neuron: expected 0 <= k < {len(face.region)}")
        label_k, s, zeros = face.region[k]
        label = cert.chambers.chamber(get(descent, "pattern", "witnesses.descent"), "witnesses.descent.pattern")
        z = integer(get(descent, "row", "witnesses.descent"), "witnesses.descent.row")
        sg, sk = sigma(label), sigma(label_k)
        if z not in zeros:
            raise Refuted(Reason.MULTIPLIER, f"row {z} is not a kink of neuron {k}")
        if any(sg[i] != sk[i] for i in range(instance.n) if i not in zeros):
            raise Refuted(Reason.MULTIPLIER, f"chamber {label} is not around neuron {k} (it differs off the kinks)")
        row = kink_multiplier_rows(instance, sk, s, zeros, sg)[zeros.index(z)]
        value = sg[z] * dot(row, face.r0)
        if value >= 0 or value * value <= dot(row, row) * face.rho2:
            raise Refuted(Reason.MULTIPLIER, f"neuron {k}, chamber {label}: the multiplier of row {z} is not "
                                             "provably < 0 on the whole enclosure")
        how = f"neuron {k} crosses the kink of row {z} into chamber {label}"
    facts = {"region": face.names(), "width": face.width, "value": [str(face.lower), str(face.upper)],
             "descent": how}
    if flag(cert.claim, "spurious", "claim"):
        facts["width_upper"] = exact_text(cert.better_network(face.lower, face.width))
        facts["spurious"] = True
    return facts, face
