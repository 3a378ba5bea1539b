"""Live probes on tiny models: forward hooks, gradients, overfit test, lr sweep."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import torch

from dldoctor.errors import InputError
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import (
    classify_overfit,
    probe_backward,
    probe_forward,
    probe_lr_sweep,
    probe_overfit,
)
from dldoctor.probes.models import load_model
from tests.support import check_findings, train_tiny, values_of


def _run(probe, inputs: Inputs, probe_id: str) -> dict[str, object]:
    ctx = ProbeContext()
    return values_of(check_findings(probe(inputs, ctx), probe_id))


def test_healthy_model(tmp_path: Path) -> None:
    inputs = train_tiny(tmp_path).inputs(log=False)
    forward = _run(probe_forward, inputs, "live.forward")
    for fact in ("input.not_normalized", "input.is_uint8", "batch.single_class",
                 "forward.non_finite", "output.activation_after_logits",
                 "output.softmax_wrong_dim", "output.logit_scale_large"):
        assert forward[fact] is False, fact
    assert forward["act.dead_relu_fraction"] < 0.5
    backward = _run(probe_backward, inputs, "live.backward")
    assert backward["grad.none_params"] is False
    assert 0.1 < backward["grad.first_last_ratio"] < 10
    assert 1e-4 < backward["update.ratio"] < 1e-1


def test_planted_bugs_show(tmp_path: Path) -> None:
    forward = _run(probe_forward, train_tiny(tmp_path, "unnormalized_input").inputs(),
                   "live.forward")
    assert forward["input.is_uint8"] is True and forward["input.not_normalized"] is True
    forward = _run(probe_forward, train_tiny(tmp_path, "softmax_wrong_dim").inputs(),
                   "live.forward")
    assert forward["output.softmax_wrong_dim"] is True
    forward = _run(probe_forward, train_tiny(tmp_path, "dead_relu").inputs(checkpoint=False),
                   "live.forward")
    assert forward["act.dead_relu_fraction"] == 1.0
    backward = _run(probe_backward, train_tiny(tmp_path, "detached").inputs(), "live.backward")
    assert backward["grad.none_params"] is True
    ctx = ProbeContext()
    forward = values_of(probe_forward(train_tiny(tmp_path, "lr_too_high").inputs(), ctx))
    # NaN weights in the checkpoint: the live probes test the factory's fresh weights
    assert forward["forward.non_finite"] is False
    assert any("NaN/inf" in note for note in ctx.notes)


def test_overfit_and_sweep(tmp_path: Path) -> None:
    art = train_tiny(tmp_path, steps=12)
    overfit = _run(probe_overfit, art.inputs(checkpoint=False), "live.overfit_batch")
    assert overfit["overfit.outcome"] in ("reaches_zero", "decreases_slowly")
    exploded = _run(probe_overfit, train_tiny(tmp_path, "lr_too_high").inputs(),
                    "live.overfit_batch")
    assert exploded["overfit.outcome"] == "explodes"
    sweep = _run(probe_lr_sweep, art.inputs(checkpoint=False), "live.lr_sweep")
    assert sweep["lr_sweep.best_over_current"] >= 1.0  # 1e-3 is slow for this tiny net


@pytest.mark.parametrize(("losses", "outcome"), [
    ([2.0, 1.0, 0.5, 0.05, 0.01, 0.005, 0.001, 0.001, 0.001], "reaches_zero"),
    ([2.0, 3.0, float("nan")], "explodes"),
    ([2.0, 2.2, 2.5, 2.7, 3.0, 3.2, 3.3, 3.5, 3.6], "goes_up"),
    ([2.0] * 20, "plateaus"),
    ([2.0 - 0.02 * i for i in range(20)], "decreases_slowly"),
    ([2.0 if i % 2 else 0.3 for i in range(30)], "oscillates"),
    # a batch the model already fits: noise at 1e-4 that grows to 4e-3 is no explosion
    ([1.6e-4, 2e-4, 9e-4, 4e-3, 2e-3, 1e-3, 8e-4], "reaches_zero"),
    ([1.6e-4, 2e-3, 0.5, 30.0], "explodes"),
])
def test_classify_overfit(losses: list[float], outcome: str) -> None:
    assert classify_overfit(losses)[0] == outcome


def test_a_jump_from_a_fitted_batch_is_no_explosion_below_the_untrained_loss() -> None:
    """From trained weights a fresh optimizer's first steps jump many times a near-zero loss;
    only a rise past 10x the untrained model's loss is an explosion."""
    curve = [0.02, 0.6, 0.2, 0.05, 0.03, 0.025, 0.022, 0.021, 0.02, 0.019]
    assert classify_overfit(curve)[0] == "explodes"
    assert classify_overfit(curve, untrained=1.1)[0] != "explodes"
    assert classify_overfit([0.02, 0.6, 15.0, 40.0], untrained=1.1)[0] == "explodes"


def test_model_weights_are_not_modified(tmp_path: Path) -> None:
    art = train_tiny(tmp_path)
    ctx = ProbeContext()
    inputs = art.inputs()
    before = copy.deepcopy(load_model(inputs, ctx).state_dict())
    for probe in (probe_backward, probe_overfit):
        probe(inputs, ctx)
    after = load_model(inputs, ctx).state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    checkpoint = torch.load(art.checkpoint, weights_only=True)["model"]
    assert all(torch.equal(checkpoint[k], after[k]) for k in checkpoint)


def test_bad_model_and_batch_specs(tmp_path: Path) -> None:
    art = train_tiny(tmp_path)
    broken = tmp_path / "broken.py"
    broken.write_text("raise RuntimeError('boom')\n")
    not_module = tmp_path / "nm.py"
    not_module.write_text("def make():\n    return 3\n")
    bad_batch = tmp_path / "bad_batch.pt"
    torch.save({"inputs": [1, 2]}, bad_batch)
    cases = [Inputs(model=f"{broken}:make", batch=art.batch),
             Inputs(model=f"{not_module}:make", batch=art.batch),
             Inputs(model=f"{art.model_spec}x", batch=art.batch),
             Inputs(model="no_such_module_xyz:make", batch=art.batch),
             Inputs(model=art.model_spec, batch=bad_batch)]
    for inputs in cases:
        with pytest.raises(InputError) as info:
            probe_forward(inputs, ProbeContext())
        assert "\n" not in info.value.message
