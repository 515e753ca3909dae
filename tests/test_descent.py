"""The authors' training protocol (verifier.descent, verifier.protocol): two kernels and the old batched trainer
agree; a run's trajectory does not depend on the batch it is in; the criterion is the protocol's."""

import json
from pathlib import Path

import numpy as np
import pytest

from verifier.descent import CRITERION, RATE, backend_available, descend
from verifier.instance import Instance
from verifier.network import initial, loss_and_gradient, train_many
from verifier.protocol import train_unit

DATA = Path(__file__).resolve().parent.parent / "data"
THEOREM2 = Instance.load(DATA / "paper" / "theorem2-d3.json")
BACKENDS = [b for b in ("numba", "numpy") if backend_available(b)]


def _starts(width, scale, seeds, instance=THEOREM2):
    return [initial(width, instance.d, scale, seed, "balanced") for seed in seeds]


@pytest.mark.parametrize("scale", [1e-3, 0.125, 1.0])
def test_the_protocol_is_the_old_trainer_at_twice_the_rate_on_l(scale):
    """Their loss is 2L, so their rate 0.01 is rate 0.02 on L (train_many, an independent batched numpy
    implementation): the same iterates to ~1e-12 after 2,000 steps, from the same starts."""
    seeds = range(3)
    new = descend(THEOREM2, _starts(12, scale, seeds), 2000, criterion=0.0)
    old = train_many(THEOREM2, 12, scale, seeds, 2000, 2 * RATE, every=2000, init="balanced")
    for run, trajectory in zip(new, old):
        assert run.steps == trajectory.steps == 2000
        assert np.max(np.abs(run.a - trajectory.final[0])) < 1e-12
        assert np.max(np.abs(run.W - trajectory.final[1])) < 1e-12


def test_both_kernels_give_the_same_floats_and_a_run_is_the_same_alone_as_in_a_batch():
    """numba and numpy evaluate every sum in the same order: equal arrays, not merely close; and run k of a
    batch equals run k trained alone (a finished run freezes without touching the others)."""
    starts = _starts(9, 0.125, range(4))
    results = {backend: descend(THEOREM2, starts, 1500, criterion=0.0, backend=backend) for backend in BACKENDS}
    alone = [descend(THEOREM2, [start], 1500, criterion=0.0, backend="numpy")[0] for start in starts]
    for backend, runs in results.items():
        for run, single in zip(runs, alone):
            assert np.array_equal(run.a, single.a) and np.array_equal(run.W, single.W), backend
            assert run.grad2 == single.grad2


def test_a_run_stops_at_the_first_point_that_meets_the_criterion():
    """A unit where every run converges: ||grad L_a||^2 = 4 ||grad L||^2 at the endpoint is below 1e-16 (checked
    with the independent float gradient of network.loss_and_gradient), and one step earlier it was not."""
    starts = _starts(4, 1e-4, range(4))
    runs = descend(THEOREM2, starts, 400_000, chunk=50_000)
    assert all(run.converged and not run.diverged for run in runs)
    for run, start in zip(runs, starts):
        _, ga, gW = loss_and_gradient(THEOREM2, run.a, run.W)
        assert 4 * (ga @ ga + np.sum(gW * gW)) < CRITERION * (1 + 1e-9)
        before = descend(THEOREM2, [start], run.steps - 1, criterion=0.0)[0]
        assert before.grad2 >= CRITERION


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_diverging_run_is_marked_and_frozen_without_stopping_the_others(backend):
    """At rate 1e300 a run from weights 1 overflows; two runs from 0 (gradient 0) beside it carry on."""
    zero = (np.zeros(3), np.zeros((3, 3)))
    runs = descend(THEOREM2, [zero, (np.ones(3), np.ones((3, 3))), zero], 200, rate=1e300, criterion=0.0,
                   backend=backend)
    runs = [runs[0], runs[2], runs[1]]
    assert runs[-1].diverged and not runs[-1].converged
    assert runs[-1].steps < 5
    assert not any(run.diverged for run in runs[:-1]) and all(run.steps == 200 for run in runs[:-1])


def test_a_unit_where_every_run_converges_is_certified_spurious_from_small_scale():
    """Theorem 2 (d = 3, width 4, scale 1e-4, the quick setting): every run meets the criterion and every
    endpoint is certified near a spurious stationary point."""
    from verifier import checker

    outcomes = train_unit(THEOREM2, 4, 1e-4, range(3), 400_000)
    assert all(run.converged and run.creep is None for run in outcomes)
    for run in outcomes:
        assert run.certified and run.verdict in ("near-spurious-saddle", "near-spurious-local-minimum")
        assert checker.check(run.document).proved


def test_a_creeping_run_reports_its_rate_and_the_steps_it_still_needs():
    """Width 10, scale 0.5, 60,000 steps: the runs have not converged; dead neurons only shrink (by 1 - 2 rate
    lambda per step), so ||grad||^2 falls at (1 - 2 rate lambda)^2 = 1 - 4e-7 per step: a steady rate on a stable
    face, and the criterion is millions of steps away."""
    outcomes = train_unit(THEOREM2, 10, 0.5, range(2), 60_000, chunk=20_000)
    for run in outcomes:
        assert not run.converged and run.creep is not None
        if run.creep.steady:
            assert run.creep.rate < 1 and run.creep.extra > 1_000_000
            assert abs(np.log(run.creep.rate) + 4 * RATE * float(THEOREM2.lam)) < 1e-7


def test_the_full_plan_is_the_authors_protocol_and_the_quick_plan_states_its_difference():
    """FULL runs the authors' protocol and states no difference; QUICK keeps their rate but not their instance,
    and says so (the report prints `difference`); its `large` splits its scales into both halves of the contrast."""
    from verifier.protocol import FULL, QUICK

    assert FULL.rate == RATE and FULL.difference == "" and FULL.large == 1
    assert QUICK.rate == RATE and "initialization-contrast" in QUICK.difference and "theorem2-d3" in QUICK.difference
    assert [name for _, name, _ in QUICK.cases] == ["initialization-contrast"]
    assert min(QUICK.scales) < QUICK.large <= max(QUICK.scales)
    assert QUICK.units == len(QUICK.scales) and FULL.units == 10 * len(FULL.scales)


def test_the_quick_instance_has_a_global_minimum_with_no_neuron_on_a_kink():
    """What the quick plan's instance was chosen for (its description): a network of the quick width certified
    within a relative 1e-12 of L*_m whose every neuron is strictly inside its chamber, |<x_i, u_j>| >= 0.3 ||x_i||
    ||u_j|| for every i, j."""
    from verifier.api import solve
    from verifier.protocol import QUICK
    from verifier.reproduce.base import shipped

    ((folder, name, (width,)),) = QUICK.cases
    instance = shipped(folder, name)
    bounds = solve(instance, width=width)
    assert bounds.certified and bounds.upper - bounds.lower <= 1e-12 * bounds.upper and 0 < len(bounds.neurons) <= width
    X = np.array(instance.float_X, dtype=float)
    for neuron in bounds.neurons:
        u = np.array([float(v) for v in neuron.u])
        assert np.all(np.abs(X @ u) >= 0.3 * np.linalg.norm(X, axis=1) * np.linalg.norm(u)), neuron


class _Interrupted(Exception):
    pass


def _interrupting(monkeypatch, after):
    """Make `train_unit`'s state writer stop the unit (as a kill would) right after its `after`-th write."""
    from verifier import protocol

    written = []

    def write_then_stop(path, document):
        protocol_write(path, document)
        written.append(path)
        if len(written) == after:
            raise _Interrupted

    protocol_write = protocol.write_json
    monkeypatch.setattr(protocol, "write_json", write_then_stop)
    return written


def _same(first, second):
    """Two lists of `RunOutcome`s with the same bits: steps, ||grad||^2, verdicts, certificates, creep rows."""
    assert [(r.seed, r.steps, r.grad2.hex(), r.converged, r.diverged, r.verdict, r.certified, r.creep)
            for r in first] == [(r.seed, r.steps, r.grad2.hex(), r.converged, r.diverged, r.verdict, r.certified,
                                 r.creep) for r in second]
    assert [r.document for r in first] == [r.document for r in second]


def test_a_unit_interrupted_between_chunks_resumes_to_the_same_bits(tmp_path, monkeypatch):
    """A unit killed right after its 2nd chunk checkpoint and, resumed, after its 11th, then resumed to the end,
    gives the uninterrupted unit's endpoints, steps, ||grad||^2, certificates and creep rows bit for bit: the
    state file carries every float exactly (float.hex), each run's status and the creep history. Three of the four
    runs converge between the 10th and 11th chunk (so the second resumption restores finished runs), the fourth
    creeps at a steady rate measured across the resumption."""
    contrast = Instance.load(DATA / "examples" / "initialization-contrast.json")
    state = tmp_path / "unit.state.json"
    unit = (contrast, 4, 1e-2, range(4), 60_000)
    whole = train_unit(*unit, chunk=5_000)
    assert [run.converged for run in whole] == [True, False, True, True] and whole[1].creep.steady
    assert all(50_000 < run.steps <= 55_000 for run in whole if run.converged)
    for more, chunks in ((2, 2), (9, 11)):
        with monkeypatch.context() as patch:
            written = _interrupting(patch, more)      # `more` chunks, then killed
            with pytest.raises(_Interrupted):
                train_unit(*unit, chunk=5_000, state=state)
        assert len(written) == more and json.loads(state.read_text())["descent"]["limit"] == chunks * 5_000
    _same(whole, train_unit(*unit, chunk=5_000, state=state))


def test_a_state_file_of_other_settings_is_an_error_naming_it(tmp_path, monkeypatch):
    """A state written for one step budget is never read for another: the unit stops with an error naming the
    file (the reproduce section keys each file by its unit's settings, so this needs a renamed file)."""
    from verifier.errors import InputError

    state = tmp_path / "unit.state.json"
    with monkeypatch.context() as patch:
        _interrupting(patch, 1)
        with pytest.raises(_Interrupted):
            train_unit(THEOREM2, 4, 1e-3, range(2), 4_000, chunk=1_000, state=state)
    with pytest.raises(InputError, match="belongs to another unit or other settings") as error:
        train_unit(THEOREM2, 4, 1e-3, range(2), 8_000, chunk=1_000, state=state)
    assert str(state) in str(error.value)


def test_no_state_is_written_where_its_folder_is_missing(tmp_path):
    """A task on a dask worker that does not see the caller's output folder runs without a mid-unit state."""
    state = tmp_path / "absent" / "unit.state.json"
    runs = train_unit(THEOREM2, 4, 1e-3, range(2), 4_000, chunk=1_000, state=state)
    assert not state.parent.exists()
    _same(runs, train_unit(THEOREM2, 4, 1e-3, range(2), 4_000, chunk=1_000))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_saved_descent_state_restores_every_bit_including_a_diverged_run(backend):
    """`Descent.save` through JSON and `restore`: the same arrays bit for bit, a diverged run's inf or NaN too."""
    from verifier.descent import Descent

    zero = (np.zeros(3), np.ones((3, 3)))
    starts = [zero, (np.ones(3), np.ones((3, 3)))]
    first = Descent(THEOREM2, *map(np.stack, zip(*starts)), rate=1e300, criterion=0.0, backend=backend)
    first.advance(20)
    assert first.status[1] == 2 and not np.isfinite(first.grad2[1])
    second = Descent(THEOREM2, *map(np.stack, zip(*starts)), rate=1e300, criterion=0.0, backend=backend)
    second.restore(json.loads(json.dumps(first.save())))
    for name in ("a", "W", "steps", "grad2", "status"):
        mine, theirs = getattr(first, name), getattr(second, name)
        assert mine.tobytes() == theirs.tobytes(), name
    assert second.limit == first.limit == 20
