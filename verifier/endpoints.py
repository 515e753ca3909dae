"""A float endpoint -> its face (adaptively) -> the exact point theta_F near it: minimum, saddle, or not stationary
(docs §9).

A trained network theta_e is never exactly stationary. `classify_endpoint` says what it is near, with verdicts
that are never worded like verdicts about theta_e itself (those come from `landscape.classify_network`):

- `near-global-minimum`: the endpoint predictions are within D of those of every width-m global minimizer and
  its loss within delta of L*_m (bracket [B, U], epsilon = U - B);
- `near-local-minimum` / `near-spurious-local-minimum`: theta_F, the minimizer of the endpoint's face program
  C_F (neurons sharing a signed pattern merged, docs §4, then split back), is a certified local minimum;
- `near-saddle` / `near-spurious-saddle`: theta_F is a certified saddle (checker.saddle): proved stationary (every
  kink multiplier of every non-zero neuron >= 0 on the whole duality-gap enclosure) and not a local minimum (a zero
  neuron grows at second order); spurious above L*_m;
- `near-non-stationary-point`: theta_F is certified *not* stationary (a kink multiplier is negative on the whole
  enclosure: crossing the kink lowers L at first order), so gradient descent does not stall there;
- `not-converged`: a verdict about theta_e: no stationary point was identified near the endpoint, and L decreases
  along a direction at a certified rate;
- `inconclusive`: with a typed cause (`checker.Reason`) and the reason in words.

Every certified verdict is an `endpoint` certificate that the checker accepted; every report carries the
endpoint's distance to theta_F (predictions, certified; weights, float), the gradient norm and the loss bracket.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .certificates import bounds_certificate, document, rationals
from .checker import Reason, prediction
from .checker.claim_types import ClaimType
from .checker.core import pattern_name
from .checker.face import enclosure_radius2, kink_multiplier_failure, kink_multiplier_margins
from .checker.saddle import growth_margin
from .convex import SignedPattern
from .instance import Instance
from .landscape import Classification, Context, FaceProgram, checked, solve_face
from .lattice import rank
from .network import Network, loss_and_gradient
from .numbers import format_rational, sqrt_upper
from .polish import cone_rows, cone_vector, dual_certificate, network_value, project

__all__ = ["EndpointFace", "identify_face", "face_ladder", "snapped", "default_coarsest", "classify_endpoint",
           "VERDICTS", "SPURIOUS", "merge_faces"]

VERDICTS = ("near-global-minimum", "near-local-minimum", "near-spurious-local-minimum", "near-saddle",
            "near-spurious-saddle", "near-non-stationary-point", "not-converged", "inconclusive")
SPURIOUS = ("near-spurious-local-minimum", "near-spurious-saddle")


@dataclass
class EndpointFace:
    """The product face of an endpoint: distinct signed patterns with their kink rows (`faces`), the endpoint
    neurons merged into each (`members`, docs §4), and the dead neurons (zero at theta_F)."""

    faces: list[tuple[SignedPattern, list[int]]]
    members: list[list[int]]
    dead: list[int]

    @property
    def multiplicity(self) -> list[int]:
        return [len(m) for m in self.members]

    def names(self) -> list[str]:
        return [pattern_name(p.label, p.s, rows) for p, rows in self.faces]


def _closeness(instance: Instance, a: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sizes, kinks, sides): sizes_j = ||u_j|| / max_k ||u_k|| (u_j = |a_j| w_j), kinks_ji = |<x_i, u_j>| /
    (||x_i|| ||u_j||) (inf on zero rows and for zero neurons), sides_ji = <x_i, u_j>: how close each neuron is to 0
    and to each kink, relative to its size."""
    X = np.array(instance.X, dtype=float)
    U = np.abs(a)[:, None] * W
    norms = np.linalg.norm(U, axis=1)
    sides = U @ X.T
    with np.errstate(divide="ignore", invalid="ignore"):
        kinks = np.abs(sides) / np.outer(norms, np.linalg.norm(X, axis=1))
    kinks[~np.isfinite(kinks)] = np.inf
    return norms / max(norms.max(initial=0.0), 1e-300), kinks, sides


def identify_face(instance: Instance, a: np.ndarray, W: np.ndarray, tol: float = 1e-5) -> EndpointFace:
    """Neuron j is dead when ||u_j|| <= tol max_k ||u_k|| (u_j = |a_j| w_j), on row i when
    |<x_i, u_j>| <= tol ||x_i|| ||u_j|| (its sign there counts as +); alive neurons with one signed pattern merge."""
    sizes, kinks, sides = _closeness(instance, a, W)
    nonzero_rows = [any(x) for x in instance.X]
    groups: dict[SignedPattern, tuple[set, list]] = {}
    dead = []
    for j, size in enumerate(sizes):
        if size <= tol:
            dead.append(j)
            continue
        on = kinks[j] <= tol
        sigma = tuple(0 if not nz else 1 if (z or v > 0) else -1 for v, nz, z in zip(sides[j], nonzero_rows, on))
        rows, members = groups.setdefault(SignedPattern(sigma, 1 if a[j] >= 0 else -1), (set(), []))
        rows.update(int(i) for i in np.flatnonzero(on))
        members.append(j)
    faces = sorted(groups)
    return EndpointFace([(p, sorted(groups[p][0])) for p in faces], [groups[p][1] for p in faces], dead)


def face_ladder(instance: Instance, a: np.ndarray, W: np.ndarray, tol: float = 1e-5, coarsest: float = 1e-1,
                attempts: int = 8) -> list[EndpointFace]:
    """The endpoint's product faces from fine to coarse: `identify_face` at `tol`, then at each larger relative
    pre-activation or relative size of the endpoint (`_closeness`) up to `coarsest` (each step snaps one more
    near-zero pre-activation onto its kink or one more small neuron to 0); distinct faces only, at most `attempts`."""
    sizes, kinks, _ = _closeness(instance, a, W)
    values = set(sizes.tolist()) | set(kinks[np.isfinite(kinks)].tolist())
    thresholds = [tol] + sorted(q * (1 + 1e-9) for q in values if tol < q <= coarsest)
    ladder: list[EndpointFace] = []
    for threshold in thresholds:
        face = identify_face(instance, a, W, threshold)
        if all((face.faces, face.dead) != (other.faces, other.dead) for other in ladder):
            ladder.append(face)
        if len(ladder) == attempts:
            break
    return ladder


def snapped(instance: Instance, a: np.ndarray, W: np.ndarray, face: EndpointFace) -> float:
    """The largest relative pre-activation or size that `face` snapped to 0 (0 when it snapped nothing)."""
    sizes, kinks, _ = _closeness(instance, a, W)
    values = [sizes[j] for j in face.dead]
    values += [kinks[j, i] for (_, rows), members in zip(face.faces, face.members) for j in members for i in rows]
    return float(max(values, default=0.0))


def merge_faces(instance: Instance, face: EndpointFace) -> tuple[EndpointFace, bool]:
    """Kink rows reduced to an independent subset (the others vanish on the same flat, so the face program is
    the same); returns whether some neuron's kink rows were linearly dependent."""
    dependent = False
    faces = []
    for p, rows in face.faces:
        kept = []
        for i in rows:
            if rank([instance.X[t] for t in kept + [i]]) == len(kept) + 1:
                kept.append(i)
        dependent |= len(kept) < len(rows)
        faces.append((p, kept))
    return EndpointFace(faces, face.members, face.dead), dependent


def default_coarsest(gradient: float) -> float:
    """The coarsest relative tolerance tried by default: trained networks bounce across kinks at pre-activations
    that grow with the gradient they keep (1e-4 and more), so 10 ||grad L||, kept within [1e-3, 1e-1]."""
    return min(max(10 * gradient, 1e-3), 1e-1)


def classify_endpoint(context: Context, a: np.ndarray, W: np.ndarray, tol: float = 1e-5, near: float = 1e-4,
                      near_loss: float = 1e-3, coarsest: float | None = None) -> Classification:
    """The exact point near the endpoint theta_e = (a, W) (see the module). Which neurons are dead or on a
    kink is decided adaptively (`face_ladder`): relative tolerances from `tol` up to `coarsest` (default
    `default_coarsest` of the gradient norm), finest first, until the endpoint is near its face's minimum and a
    certificate about that minimum holds (a stationary one first: a face whose minimum is not stationary, or kills
    live endpoint neurons, is reported only when no coarser face gives a certificate). `near` (relative to 1 + ||y||) is how close in predictions theta_e must
    be to its face's minimum (or to the global minimizers) to be called near it, and `near_loss` how far (relative)
    its loss may be above that minimum; both are raised to min(||grad L||, 1e-2) for an endpoint that keeps a
    gradient (gradient descent bounces across a kink at a distance that grows with it). Every `near-*` verdict
    carries the certified prediction distance; `details["tolerance"]` is the largest relative pre-activation or
    norm its face snapped to 0."""
    instance = context.instance
    given = Network.from_floats(a, W)
    _, grad_a, grad_W = loss_and_gradient(instance, a, W)
    gradient = float(np.sqrt(grad_a @ grad_a + np.sum(grad_W * grad_W)))
    f_e = prediction(instance, given.neurons())
    scale = 1 + float(np.linalg.norm(np.array(instance.y, dtype=float)))
    details = {"gradient_norm": gradient, "loss": float(given.loss(instance))}
    result = _near_global(context, given, f_e, near * scale, details)
    if result is not None:
        return result
    coarsest = default_coarsest(gradient) if coarsest is None else max(coarsest, tol)
    slack = min(gradient, 1e-2)   # a kink keeps gradient descent bouncing at a distance that grows with the gradient
    fallback = certified = None
    for face in face_ladder(instance, a, W, tol, coarsest):
        attempt = dict(details)
        result = _classify_face(context, (a, W), given, f_e, face, attempt, max(near, slack) * scale,
                                max(near_loss, slack))
        if result is not None and result.certified:
            result.details["tolerance"] = snapped(instance, a, W, face)
            if "vanished" not in result.details and result.verdict != "near-non-stationary-point":
                return result
            # theta_F kills live endpoint neurons, or gradient descent would not stall at it although the endpoint
            # looks stalled: a coarser face may hold the stationary point the endpoint is near
            certified = certified or result
            continue
        if result is not None and fallback is None and "prediction_distance" in result.details:
            fallback = result   # the finest face whose minimum the endpoint is near: its reason is the informative one
    if certified is not None or fallback is not None:
        return certified or fallback
    return _not_converged(context, given, grad_a, grad_W, details)


def _classify_face(context: Context, arrays, given: Network, f_e, face: EndpointFace, details: dict, near: float,
                   near_loss: float) -> Classification | None:
    """The verdict about the minimum theta_F of one candidate face of the endpoint, or None when the endpoint is not
    near it (prediction distance above `near`, or loss above it by more than `near_loss` relative)."""
    instance = context.instance
    a, W = arrays
    face, dependent = merge_faces(instance, face)
    vanished: list[int] = []   # endpoint neurons that are alive but zero at theta_F
    for _ in range(len(face.faces) + 2):   # a neuron that vanishes at the face's minimum dies: re-identify
        details.update(region=face.names(), dead=face.dead, multiplicity=face.multiplicity)
        program = solve_face(context, face.faces, facets=False)
        if isinstance(program, FaceProgram):
            program, face = _settle_kinks(context, program, face)
            break
        gone = set(program.details["vanished"])
        vanished += [j for k in gone for j in face.members[k]]
        face = EndpointFace([f for k, f in enumerate(face.faces) if k not in gone],
                            [mm for k, mm in enumerate(face.members) if k not in gone],
                            sorted(face.dead + [j for k in gone for j in face.members[k]]))
    else:
        return Classification("inconclusive", "neurons keep vanishing at the minimum of the endpoint face",
                              details=details, cause=Reason.INTERIOR)
    if isinstance(program, Classification):
        program.details.update(details)
        return program
    details.update(region=face.names(), dead=face.dead, multiplicity=face.multiplicity)
    if vanished:
        details["vanished"] = vanished
    rho2 = enclosure_radius2(instance.n, program.upper, program.lower.value)
    details.update(value=(program.lower.value, program.upper),
                   weights_distance=_weights_distance(a, W, face, program))
    distance = _distance(f_e, prediction(instance, [(nr.pattern.s, nr.u) for nr in program.points]), rho2)
    details["prediction_distance"] = distance
    if float(distance) > near or details["loss"] - float(program.lower.value) > near_loss * float(program.upper):
        return None
    endpoint = {"type": ClaimType.ENDPOINT, "network": _network_entry(given), "multiplicity": face.multiplicity,
                "prediction_distance": format_rational(distance)}
    bounds = context.width_bounds
    spurious = bounds.certified and program.lower.value > bounds.upper
    if face.dead and _growth(context, program) is None:
        result = _near_global_face(context, program, face, endpoint, details)
        if result is not None:
            return result
    if dependent:
        return Classification("inconclusive", "a neuron's kink rows are linearly dependent, so the docs §5 "
                              "multipliers around it are not unique: not certified", details=details,
                              cause=Reason.MULTIPLIER)
    program = solve_face(context, face.faces, facets=True)
    if isinstance(program, Classification):
        program.details.update(details)
        return program
    descent = _negative_kink(context, program)
    if descent is not None:   # first-order descent: theta_F is not stationary, whatever its zero neurons do
        return _not_stationary(context, program, face, endpoint, details, descent)
    if face.dead:
        return _saddle(context, program, face, endpoint, spurious, details)
    inner = program.claim(ClaimType.FACE_LOCAL_MINIMUM, len(face.faces))
    verdict = "near-spurious-local-minimum" if spurious else "near-local-minimum"
    result = checked(verdict, "the minimum theta_F of the endpoint face is a local minimum of L" +
                     (" above L*_m" if spurious else ""),
                     _endpoint_document(context, endpoint, verdict, inner, program.witnesses(context, context.digits),
                                        spurious), **details)
    if result.cause is Reason.MULTIPLIER:
        result.reason = ("a multiplier around a kink is zero within the enclosure of the residual of theta_F "
                         "(neither provably >= 0 nor provably < 0): not certified")
    if result.certified and bounds.certified and not spurious:
        result.details["epsilon"] = program.upper - bounds.lower
    return result


def _near_global(context: Context, given: Network, f_e, near: float, details: dict) -> Classification | None:
    """near-global-minimum from the certified C* optimum when it has at most m neurons (L*_m = C*), the
    endpoint's predictions are within `near` of it and its loss within 1e-6 (relative) of L*_m; else None."""
    bounds = context.width_bounds
    if not bounds.certified or len(bounds.duals) != 1 or len(bounds.neurons) > given.width:
        return None
    return _global(context, given, f_e, bounds.neurons, bounds.duals[0], details,
                   lambda distance, excess: float(distance) <= near and excess <= Fraction(1, 10**6) * abs(bounds.upper))


def _global(context: Context, given: Network, f_e, neurons, dual, details: dict, accept) -> Classification | None:
    """The `endpoint` claim near-global-minimum on the C* bounds (neurons, one dual residual feasible on every
    signed pattern), if `accept(prediction distance, loss excess)`; else None."""
    instance = context.instance
    upper = network_value(instance, neurons, context.digits)
    rho2 = 4 * enclosure_radius2(instance.n, upper, dual.value)
    distance = _distance(f_e, prediction(instance, [(nr.pattern.s, nr.u) for nr in neurons]), rho2)
    excess = given.loss(instance) - dual.value
    if not accept(distance, excess):
        return None
    inner = bounds_certificate(instance, "C*", neurons, [dual], context.digits, arrangement=context.arrangement)
    claim = {"type": ClaimType.ENDPOINT, "verdict": "near-global-minimum", "network": _network_entry(given),
             "prediction_distance": format_rational(distance), "loss_excess": format_rational(excess),
             "stationary": {"claim": inner["claim"], "witnesses": inner["witnesses"]}}
    details.update(prediction_distance=distance, loss_excess=excess, value=(dual.value, upper),
                   epsilon=upper - dual.value)
    return checked("near-global-minimum", "the endpoint is within the stated distance of the global minimizers' "
                   "predictions, and its loss within the stated excess of L*_m", document(instance, claim, {}),
                   **details)


def _settle_kinks(context: Context, program: FaceProgram, face: EndpointFace):
    """Rows on which the polished u0 sits exactly but the endpoint did not: add them to the face and re-solve."""
    instance = context.instance
    faces = []
    for (p, rows), nr in zip(face.faces, program.points):
        extra = [i for i, x in enumerate(instance.X)
                 if any(x) and i not in rows and sum(q * v for q, v in zip(x, nr.u)) == 0]
        faces.append((p, rows + extra))
    if faces == face.faces:
        return program, face
    face, _ = merge_faces(instance, EndpointFace(faces, face.members, face.dead))
    return solve_face(context, face.faces, facets=False), face


def _residual(context: Context, program: FaceProgram) -> tuple[list[Fraction], Fraction]:
    """(r0, rho^2): the residual of the face point u0 and the squared radius of the enclosure of r*."""
    instance = context.instance
    r0 = [y - f for y, f in zip(instance.y, prediction(instance, [(nr.pattern.s, nr.u) for nr in program.points]))]
    return r0, enclosure_radius2(instance.n, program.upper, program.lower.value)


def _growth(context: Context, program: FaceProgram) -> dict | None:
    """A zero neuron's growth proved on the enclosure (the `grow` witness of checker.saddle), or None: the signed
    pattern whose cone projection v of h = (s/n) X^T D_sigma r0 is longest (the gain of direction v/lambda is
    (||v||^2 - lambda^2)/(2 lambda))."""
    instance = context.instance
    r0, rho2 = _residual(context, program)
    best = None
    for p in context.patterns:
        _, _, v = project(cone_vector(instance, p, r0), cone_rows(instance, p))
        direction = [x / instance.lam for x in v]
        value, margin = growth_margin(instance, r0, rho2, p.s, direction)
        if value > 0 and margin > 0 and (best is None or value > best[0]):
            best = (value, p, direction)
    if best is None:
        return None
    _, p, direction = best
    return {"kind": "grow", "sign": p.s, "direction": rationals(direction), "_name": pattern_name(p.label, p.s)}


def _near_global_face(context: Context, program: FaceProgram, face: EndpointFace, endpoint: dict,
                      details: dict) -> Classification | None:
    """theta_F has a zero neuron that cannot grow: near-global-minimum when its residual is optimal (a dual bound of
    C* meets the face's value) and theta_F has at most m neurons; else None."""
    instance = context.instance
    if len(program.points) > len(face.members) + len(face.dead):
        return None
    dual = dual_certificate(instance, program.points, context.patterns, context.digits + 10)
    given = Network.from_arrays(endpoint["network"]["a"], endpoint["network"]["W"])
    f_e = prediction(instance, given.neurons())
    return _global(context, given, f_e, program.points, dual, details,   # theta_F's residual is optimal
                   lambda distance, excess: program.upper - dual.value <= Fraction(1, 10**8) * abs(program.upper))


def _negative_kink(context: Context, program: FaceProgram) -> dict | None:
    """A docs §5 multiplier around a kink that is negative on the whole enclosure (crossing the kink lowers L at
    first order: the `kink` witness of checker.saddle's `not-stationary`), or None."""
    instance = context.instance
    r0, rho2 = _residual(context, program)
    labels = context.arrangement.patterns()
    for k, (p, zeros) in enumerate(program.faces):
        for label, z, value, reach in kink_multiplier_margins(instance, labels, p.sigma, p.s, zeros, r0, rho2):
            if value < 0 and value * value > reach:
                return {"kind": "kink", "neuron": k, "pattern": label, "row": z}
    return None


def _saddle(context: Context, program: FaceProgram, face: EndpointFace, endpoint: dict, spurious: bool,
            details: dict) -> Classification:
    """theta_F has a zero neuron and no kink multiplier is provably negative: a saddle when its stationarity (every
    kink multiplier >= 0 on the enclosure) and a zero neuron's growth are both proved; else inconclusive."""
    instance = context.instance
    descent = _growth(context, program)
    if descent is None:
        return Classification("inconclusive", "no zero neuron's gain is provably positive on the enclosure of "
                              "the residual of theta_F, and the endpoint is not near a global minimum: not certified",
                              details=details, cause=Reason.DESCENT)
    r0, rho2 = _residual(context, program)
    labels = context.arrangement.patterns()
    for k, (p, zeros) in enumerate(program.faces):
        failure = kink_multiplier_failure(instance, labels, p.sigma, p.s, zeros, r0, rho2) if zeros else None
        if failure is not None:
            return Classification("inconclusive", f"theta_F is not a local minimum (a zero neuron grows in "
                                  f"{descent['_name']}), but whether it is stationary is not proved: the multiplier "
                                  f"of neuron {k} around the kink of row {failure[1]} (chamber {failure[0]}) is zero "
                                  "within the enclosure of its residual: not certified", details=details,
                                  cause=Reason.MULTIPLIER)
    details["descent"] = f"a zero neuron grows in {descent.pop('_name')} (second order)"
    inner = program.claim(ClaimType.SADDLE, len(face.faces) + len(face.dead))   # the dead neurons are zero at theta_F
    witnesses = dict(program.witnesses(context, context.digits), descent=descent)
    verdict = "near-spurious-saddle" if spurious else "near-saddle"
    return checked(verdict, "the minimum theta_F of the endpoint face is a saddle: stationary (no first-order "
                   "descent) and not a local minimum (a zero neuron grows at second order)" +
                   (", above L*_m: a spurious stationary point" if spurious else ""),
                   _endpoint_document(context, endpoint, verdict, inner, witnesses, spurious), **details)


def _not_stationary(context: Context, program: FaceProgram, face: EndpointFace, endpoint: dict, details: dict,
                    descent: dict) -> Classification:
    k, z = descent["neuron"], descent["row"]
    details["descent"] = f"neuron {k} crossing the kink of row {z} into {descent['pattern']} lowers L at first order"
    inner = program.claim(ClaimType.NOT_STATIONARY, len(face.faces) + len(face.dead))
    witnesses = dict(program.witnesses(context, context.digits), descent=descent)
    return checked("near-non-stationary-point", "the minimum theta_F of the endpoint face is not stationary: "
                   "crossing a kink lowers the loss at first order, so gradient descent does not stall there "
                   "(neither a minimum nor a saddle)",
                   _endpoint_document(context, endpoint, "near-non-stationary-point", inner, witnesses, False),
                   **details)


def _endpoint_document(context: Context, endpoint: dict, verdict: str, inner: dict, witnesses: dict,
                       spurious: bool) -> dict:
    outer = {"width_upper": context.width_bounds.document["witnesses"]["primal"]} if spurious else {}
    return document(context.instance, dict(endpoint, verdict=verdict, stationary={"claim": inner,
                                                                                  "witnesses": witnesses}), outer)


def _not_converged(context: Context, given: Network, grad_a, grad_W, details: dict) -> Classification:
    """A certificate about theta_e itself: along V = -grad (exact rationals of the floats) the one-sided
    derivative is at most -g ||V||, g = |L'(theta_e; V)| / (a rational upper bound of ||V||)."""
    from .checker.endpoint import one_sided_derivative

    instance = context.instance
    V = Network.from_floats(-grad_a, -grad_W)
    slope = one_sided_derivative(instance, given.a, given.W, V.a, V.W)
    size = sum(x * x for x in V.a) + sum(x * x for row in V.W for x in row)
    if slope >= 0 or size == 0:
        return Classification("inconclusive", "no stationary point identified near this endpoint, and the negative "
                              "gradient is not a certified descent direction", details=details, cause=Reason.DESCENT)
    rate = -slope / sqrt_upper(size, 30)
    claim = {"type": ClaimType.ENDPOINT, "verdict": "not-converged", "network": _network_entry(given),
             "rate": format_rational(rate)}
    details["rate"] = rate
    return checked("not-converged", "no stationary point identified near this endpoint (no face up to the "
                   "tolerance has its minimum near it); the endpoint itself is not converged: the loss decreases at "
                   "the certified rate along a unit direction",
                   document(instance, claim, {"direction": {"a": rationals(V.a),
                                                            "W": [rationals(row) for row in V.W]}}), **details)


def _distance(f_e, p0, rho2: Fraction) -> Fraction:
    """A rational D >= ||f_e - p0|| + sqrt(rho2)."""
    A = sum(((p - q) ** 2 for p, q in zip(f_e, p0)), Fraction(0))
    return sqrt_upper(A, 30) + sqrt_upper(rho2, 30)


def _network_entry(network: Network) -> dict:
    return {"a": rationals(network.a), "W": [rationals(row) for row in network.W]}


def _weights_distance(a: np.ndarray, W: np.ndarray, face: EndpointFace, program: FaceProgram) -> float:
    """||theta_e - theta_F|| in weights (float), with theta_F split among each face's endpoint neurons in
    proportion to their ||u_j|| and lifted balanced (w = u / sqrt||u||, a = s sqrt||u||); dead neurons at 0."""
    target_a, target_W = np.zeros_like(a), np.zeros_like(W)
    U = np.abs(a)[:, None] * W
    for members, nr in zip(face.members, program.points):
        u = np.array([float(x) for x in nr.u])
        weights = np.array([np.linalg.norm(U[j]) for j in members])
        for j, share in zip(members, weights / max(weights.sum(), 1e-300)):
            root = np.sqrt(share * np.linalg.norm(u))
            if root > 0:
                target_a[j], target_W[j] = nr.pattern.s * root, share * u / root
    return float(np.sqrt(np.sum((a - target_a) ** 2) + np.sum((W - target_W) ** 2)))
