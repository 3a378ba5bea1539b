"""Stop 81: an output no parameter reaches any longer (every tensor the optimizer holds stopped
moving, the last layer's bias too) is an activation clamping the logits; an accumulation loop
that clears the gradients at each step it takes has no gradient left uncleared."""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.source_scan import unscaled_accumulation_findings
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import values_of
from tests.support.stepruns import beliefs, save_step_run


def _train_classifier(clamp: bool, steps: int = 600) -> tuple[nn.Module, torch.optim.Optimizer,
                                                               list[float]]:
    """A 5-class MLP under Adam; with ``clamp`` a ReLU after its last layer whose every input
    training pushes below zero after a while (set 329's graver CNN, made small)."""
    torch.manual_seed(0)
    x = torch.randn(200, 8)
    y = (x[:, :5].argmax(1)).long()
    layers: list[nn.Module] = [nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 5)]
    model = nn.Sequential(*layers, nn.ReLU()) if clamp else nn.Sequential(*layers)
    if clamp:
        with torch.no_grad():
            model[2].bias.fill_(-0.8)  # a head whose scores start low
    opt = torch.optim.Adam(model.parameters(), lr=0.003)
    losses = []
    for step in range(steps):
        i = torch.arange(step * 20, step * 20 + 20) % 200
        loss = nn.functional.cross_entropy(model(x[i]), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model, opt, losses


def _still(checkpoint: Path) -> object:
    return values_of(probe_optimizer(Inputs(checkpoint=checkpoint), ProbeContext())).get(
        "optimizer.every_tensor_still")


def test_logits_clamped_to_zero_leave_every_tensor_still_and_read_as_an_activation(
        tmp_path: Path) -> None:
    """Every score clamped to 0 pays exactly ln 5 and sends no gradient anywhere: the
    momentum of the first steps decays to nothing in every tensor, the head's bias too."""
    model, opt, losses = _train_classifier(clamp=True)
    assert abs(losses[-1] - math.log(5)) < 1e-6
    n = len(losses) // 10
    steps = list(range(0, len(losses), 10))
    columns = {"step": steps, "loss": losses[::10], "val_loss": [math.log(5)] * n,
               "val_acc": [0.2] * n}
    checkpoint, log = save_step_run(tmp_path / "clamped", model, opt, columns)
    assert _still(checkpoint) is True
    found = beliefs(checkpoint, log)
    top = max(found, key=found.__getitem__)
    assert top == "activation_before_softmax" and found[top] >= 0.5, found
    assert found.get("dead_relu", 0.0) < 0.5

    model, opt, losses = _train_classifier(clamp=False)
    healthy, _ = save_step_run(tmp_path / "plain", model, opt, {"step": steps,
                                                                "loss": losses[::10]})
    assert _still(healthy) is False


_EVERY_KTH = '''import torch


def build():
    return torch.nn.Linear(4, 1)


def train(model, batches, accum=4):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for i, (x, y) in enumerate(batches):
        loss = torch.nn.functional.mse_loss(model(x).squeeze(1), y)
        loss.backward()
        if (i + 1) % accum == 0:
            opt.step()
{clear}'''

_INNER = '''import torch


def build():
    return torch.nn.Linear(4, 1)


def train(model, batches, accum=4):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for k in range(0, len(batches), accum):
{clear}        for x, y in batches[k:k + accum]:
            loss = torch.nn.functional.mse_loss(model(x).squeeze(1), y)
            loss.backward()
        opt.step()
'''


def _read(tmp_path: Path, name: str, text: str) -> dict[str, object]:
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    return values_of(unscaled_accumulation_findings(f"{path}:build"))


def test_an_accumulation_loop_that_clears_at_each_step_says_so(tmp_path: Path) -> None:
    """Set 337's GPS GRU: an undivided loss stepped every fourth batch, cleared beside each
    step — read as gradients never cleared 0.64 beside the accumulation's 0.75."""
    cleared = _read(tmp_path, "kth", _EVERY_KTH.format(clear="            opt.zero_grad()\n"))
    assert cleared == {"src.accumulation_unscaled": True,
                       "src.accumulation_cleared_each_step": True}
    assert _read(tmp_path, "kth_never", _EVERY_KTH.format(clear="")) == {
        "src.accumulation_unscaled": True}
    inner = _read(tmp_path, "inner", _INNER.format(clear="        opt.zero_grad()\n"))
    assert inner == {"src.accumulation_unscaled": True,
                     "src.accumulation_cleared_each_step": True}
    assert _read(tmp_path, "inner_never", _INNER.format(clear="")) == {
        "src.accumulation_unscaled": True}


def test_a_reading_held_to_the_end_of_each_row_is_padding_the_loss_counts() -> None:
    """Set 339's stitch LSTM: seams of 40–116 stitches in 128-step records, the logger holding
    its last reading after the seam ends, those steps tagged 0 ("ok") — read as nothing."""
    from dldoctor.probes.padding import padding_findings

    g = torch.Generator().manual_seed(0)
    x = torch.rand(32, 64, 3, generator=g)
    y = (x[..., 0] > 0.8).long()
    for row, end in enumerate(torch.randint(20, 60, (32,), generator=g).tolist()):
        x[row, end:] = x[row, end - 1]  # the last reading, held to the end of the record
        y[row, end:] = 0
    found = values_of(padding_findings(x, y))
    assert found["loss.counts_padding"] is True and found["labels.padding_value"] == 0
    # measurements that never repeat exactly: no padding to read
    assert padding_findings(torch.rand(32, 64, 3, generator=g), y) == []
    # one length for every row: a constant tail of a fixed format, not sequences of several
    fixed = torch.rand(32, 64, 3, generator=g)
    fixed[:, 40:] = fixed[:, 39:40]
    assert padding_findings(fixed, y) == []


def test_parts_saved_apart_under_one_optimizer_are_one_model(tmp_path: Path) -> None:
    """Set 341's head-shape autoencoder saved {"encoder": …, "decoder": …, "opt": …}: only
    one part was read, and with the model named the run was refused (exit 2)."""
    from dldoctor.probes.checkpoints import load_checkpoint

    class AutoEncoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = nn.Sequential(nn.Linear(8, 4), nn.Tanh(), nn.Linear(4, 2))
            self.decoder = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 8))

    model = AutoEncoder()
    opt = torch.optim.Adam(model.parameters())
    model.decoder(model.encoder(torch.randn(5, 8))).pow(2).mean().backward()
    opt.step()
    path = tmp_path / "parts.ckpt"
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "opt": opt.state_dict(), "epoch": 3}, path)
    names = {meta.name for meta in load_checkpoint(path).store.metas()}
    assert names == set(model.state_dict())
    # a teacher beside its student, the optimizer over the student only: the student
    student, teacher = nn.Linear(8, 2), nn.Linear(8, 16)
    opt = torch.optim.SGD(student.parameters(), lr=0.1, momentum=0.9)
    student(torch.randn(5, 8)).sum().backward()
    opt.step()
    torch.save({"student": student.state_dict(), "teacher": teacher.state_dict(),
                "optimizer": opt.state_dict()}, path)
    assert {meta.name for meta in load_checkpoint(path).store.metas()} == {"weight", "bias"}


def test_a_factory_that_never_returns_is_given_up_with_one_line(tmp_path: Path) -> None:
    """A new user's model file whose factory never returned: diagnose printed nothing, ever.
    (The factory here waits on an event nobody sets: it never returns, and costs no CPU.)"""
    import pytest

    from dldoctor.errors import InputError
    from dldoctor.probes.models import build_model

    (tmp_path / "stuck.py").write_text(
        "import threading\nimport torch\n\n\ndef build():\n"
        "    threading.Event().wait()\n    return torch.nn.Linear(2, 1)\n")
    with pytest.raises(InputError) as caught:
        build_model(f"{tmp_path / 'stuck.py'}:build", limit=0.5)
    said = str(caught.value)
    assert "stuck.py:build" in said and "had not returned a model after" in said
    (tmp_path / "quick.py").write_text(
        "import torch\n\n\ndef build():\n    return torch.nn.Linear(2, 1)\n")
    assert isinstance(build_model(f"{tmp_path / 'quick.py'}:build"), nn.Linear)


_HEADS = '''import torch
from torch import nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, end):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 16), nn.Tanh())
        self.mu = nn.Linear(16, 1)
        self.logvar = nn.Linear(16, 1)
        self.end = end

    def forward(self, x):
        h = self.body(x)
        if self.end == "two_heads":  # mu first, the second head run last
            return self.mu(h).squeeze(1), self.logvar(h).squeeze(1)
        z = self.mu(h).squeeze(1)
        return F.softplus(z) if self.end == "softplus" else torch.sigmoid(z)


def build(end="{end}"):
    torch.manual_seed(0)
    return Net(end)
'''


def test_a_functional_activation_is_read_from_the_scaled_head_not_fresh_values(
        tmp_path: Path) -> None:
    """Set 338's cider GRU ended in F.softplus; its checkpoint NaN, the fresh weights' outputs
    all lay in (0.5, 0.62) and read as a sigmoid that cannot reach sugar of 0–39 g/L. A
    second head run after the first (set 340's mu, logvar) must not be the one scaled."""
    from dldoctor.probes.live_probes import probe_forward

    g = torch.Generator().manual_seed(0)
    x, sugar = torch.randn(32, 8, generator=g), torch.rand(32, generator=g) * 39

    def excluded(end: str) -> object:
        path = tmp_path / f"{end}.py"
        path.write_text(_HEADS.replace("{end}", end))
        torch.save((x, sugar), tmp_path / "batch.pt")
        inputs = Inputs(model=f"{path}:build", batch=tmp_path / "batch.pt", device="cpu")
        return values_of(probe_forward(inputs, ProbeContext())).get(
            "output.range_excludes_targets")

    assert excluded("sigmoid") is True
    assert excluded("softplus") is False
    assert excluded("two_heads") is not True
