"""What the twenty-first hand set (bench/hand/twentyfirst, scored before anything here)
found misread, each on artefacts made here:

- a NAM whose ReduceLROnPlateau was fed the training accuracy in mode 'min' cut its rate
  every other epoch to 1e-8 while the loss froze: nothing was said (the rate never fell below
  1e-4 of its peak for a fifth of the run, the old limit).
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log
from tests.support import values_of, write_csv_log


def _run(tmp_path: Path, plateau_on_accuracy: bool) -> Path:
    torch.manual_seed(0)
    x = torch.randn(256, 10)
    y = (x[:, :3].sum(1) + 0.8 * torch.randn(256) > 0).long()  # label noise: a floor
    model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.3,
                                                       patience=1) \
        if plateau_on_accuracy else torch.optim.lr_scheduler.CosineAnnealingLR(opt, 20)
    rows: dict[str, list] = {"epoch": [], "train_loss": [], "train_acc": [], "lr": []}
    for epoch in range(20):
        rows["lr"].append(opt.param_groups[0]["lr"])
        losses, correct = [], 0
        for i in range(0, 256, 32):
            out = model(x[i:i + 32])
            loss = nn.functional.cross_entropy(out, y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
            correct += int((out.argmax(1) == y[i:i + 32]).sum())
        accuracy = correct / 256
        if plateau_on_accuracy:
            sched.step(accuracy)  # the bug: an accuracy that rises is "no improvement" in 'min'
        else:
            sched.step()
        rows["epoch"].append(epoch)
        rows["train_loss"].append(sum(losses) / len(losses))
        rows["train_acc"].append(accuracy)
    return write_csv_log(tmp_path / f"nam_{plateau_on_accuracy}.csv", rows)


def test_a_rate_cut_to_nothing_while_the_loss_froze_is_a_decay_too_fast(tmp_path: Path) -> None:
    broken = read_log(_run(tmp_path, plateau_on_accuracy=True))
    lr = broken.get("lr")
    assert lr is not None and float(lr.values[-1]) < 1e-2 * float(lr.values.max())
    assert values_of(curve_findings(broken))["lr.stalled_at_a_tiny_rate"] is True
    cosine = values_of(curve_findings(read_log(_run(tmp_path, plateau_on_accuracy=False))))
    assert cosine["lr.stalled_at_a_tiny_rate"] is False
    assert not math.isnan(float(broken.get("loss").values[-1]))


def test_rmsprop_is_measured_at_its_running_step_not_its_first() -> None:
    """A wind-speed CNN on RMSprop lr=1e-3 had an update ratio of 0.1 "per step", read as a
    rate far too high: an empty squared average makes the first step 10x the later ones."""
    from dldoctor.probes.live_optim import PlainOptimizer

    weight = torch.nn.Parameter(torch.ones(50, 50))
    weight.grad = torch.randn(50, 50) * 1e-3
    cold = PlainOptimizer("rmsprop", [weight], 1e-3)
    before = weight.detach().clone()
    cold.step()
    first = float((weight.detach() - before).abs().mean())
    weight.data.copy_(before)
    warm = PlainOptimizer("rmsprop", [weight], 1e-3)
    warm.warm_up_from_grads()
    warm.step()
    running = float((weight.detach() - before).abs().mean())
    assert math.isclose(first, 1e-2, rel_tol=0.01) and math.isclose(running, 1e-3, rel_tol=0.01)


def _gan(tmp_path: Path, detached: bool) -> Path:
    """A GAN on 2-D points whose generator step is (or is not) computed on a detached sample."""
    torch.manual_seed(0)
    g, d = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2)), \
        nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
    opt_g, opt_d = torch.optim.Adam(g.parameters(), 1e-3), torch.optim.Adam(d.parameters(), 1e-3)
    bce = nn.functional.binary_cross_entropy_with_logits
    for _ in range(20):
        real, fake = torch.randn(32, 2) + 3, g(torch.randn(32, 4))
        d_loss = bce(d(real), torch.ones(32, 1)) + bce(d(fake.detach()), torch.zeros(32, 1))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = bce(d(fake.detach() if detached else fake), torch.ones(32, 1))
        opt_g.zero_grad()
        if g_loss.requires_grad:
            g_loss.backward()
        opt_g.step()
    path = tmp_path / f"gan_{detached}.pt"
    torch.save({"model": {**{f"G.{k}": v for k, v in g.state_dict().items()},
                          **{f"D.{k}": v for k, v in d.state_dict().items()}},
                "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(), "step": 20}, path)
    return path


def test_a_gan_optimizer_without_state_never_stepped(tmp_path: Path) -> None:
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.static_probes import probe_optimizer

    broken = values_of(probe_optimizer(Inputs(checkpoint=_gan(tmp_path, True)), ProbeContext()))
    assert broken["optimizer.one_never_stepped"] is True
    healthy = values_of(probe_optimizer(Inputs(checkpoint=_gan(tmp_path, False)),
                                        ProbeContext()))
    assert healthy["optimizer.one_never_stepped"] is False
    assert healthy.get("optimizer.frozen_params") is not True  # two optimizers, two halves
