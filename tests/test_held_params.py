"""The live training checks train what the run's optimizer trained: a layer the run left out
of the optimizer stays as it is in dldoctor's one-batch test too (probes/held_params.py)."""

from __future__ import annotations

from pathlib import Path

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.held_params import held_parameters, train_only_held
from dldoctor.probes.live_probes import probe_overfit
from dldoctor.probes.models import fresh_model
from tests.support import check_findings, train_tiny


def test_the_parameters_the_optimizer_holds_are_named(tmp_path: Path) -> None:
    run = train_tiny(tmp_path, "frozen", steps=12)  # fc1 is left out of the optimizer
    inputs = Inputs(checkpoint=run.checkpoint, model=run.model_spec, batch=run.batch,
                    device="cpu")
    ctx = ProbeContext()
    assert held_parameters(fresh_model(inputs, ctx), inputs, ctx) == \
        frozenset({"fc2.weight", "fc2.bias"})
    healthy = train_tiny(tmp_path / "ok", None, steps=12)
    inputs = Inputs(checkpoint=healthy.checkpoint, model=healthy.model_spec,
                    batch=healthy.batch, device="cpu")
    assert held_parameters(fresh_model(inputs, ctx), inputs, ProbeContext()) is None


def test_the_one_batch_check_trains_only_what_the_run_trained(tmp_path: Path) -> None:
    run = train_tiny(tmp_path, "frozen", steps=12)
    inputs = Inputs(checkpoint=run.checkpoint, logs=(run.log,), model=run.model_spec,
                    batch=run.batch, device="cpu")
    ctx = ProbeContext()
    check_findings(probe_overfit(inputs, ctx), "live.overfit_batch")
    assert sum("holds 2 of the model's parameters" in str(note) for note in ctx.notes) == 1
    model = train_only_held(fresh_model(inputs, ctx), frozenset({"fc2.weight", "fc2.bias"}))
    trained = {name for name, p in model.named_parameters() if p.requires_grad}
    assert trained == {"fc2.weight", "fc2.bias"}


def test_training_starts_from_the_checkpoints_values_for_what_it_never_trained(
        tmp_path: Path) -> None:
    """fc1 was frozen (and "pretrained": the checkpoint's fc1 is not the factory's): its
    checkpoint values are the values training started from, so the sweep's copies hold them,
    while fc2 (trained) starts from the factory's weights."""
    import torch

    from dldoctor.probes.held_params import start_model
    from dldoctor.probes.models import load_model

    run = train_tiny(tmp_path, "frozen", steps=12)
    saved = torch.load(run.checkpoint)
    saved["model"]["fc1.weight"] = saved["model"]["fc1.weight"] * 1.5  # a pretrained body
    torch.save(saved, tmp_path / "pretrained_body.pt")
    inputs = Inputs(checkpoint=tmp_path / "pretrained_body.pt", model=run.model_spec,
                    batch=run.batch, device="cpu")
    ctx = ProbeContext()
    held = held_parameters(fresh_model(inputs, ctx), inputs, ctx)
    start = start_model(inputs, ctx, held).state_dict()
    trained, fresh = load_model(inputs, ctx).state_dict(), fresh_model(inputs, ctx).state_dict()
    assert torch.equal(start["fc1.weight"], trained["fc1.weight"])
    assert not torch.equal(start["fc1.weight"], fresh["fc1.weight"])
    assert torch.equal(start["fc2.weight"], fresh["fc2.weight"])
    assert not torch.equal(trained["fc2.weight"], fresh["fc2.weight"])
    everything = start_model(inputs, ctx, None).state_dict()  # all trained: the factory's
    assert all(torch.equal(everything[k], fresh[k]) for k in fresh)
