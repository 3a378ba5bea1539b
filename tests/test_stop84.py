"""Stop 84: a Huber regressor whose ``(N, 1)`` targets broadcast against its ``(N,)`` output
ends at what a constant costs under Huber, about half the targets' variance — a broadcast, not
a squeeze the script does itself."""

from __future__ import annotations

import runpy
from pathlib import Path

import torch

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.session import Session
from tests.support.stepruns import save_step_run

_HUBER_REGRESSOR = '''
import torch
import torch.nn.functional as F
from torch import nn


class Shrink(nn.Module):
    """Two readings to one shrinkage per piece."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 1))

    def forward(self, x):
        return self.body(x).squeeze(-1)  # one value per piece


def build():
    torch.manual_seed(0)
    return Shrink()


def fit(model, x, y, epochs=30):
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(epochs):
        total = 0.0
        for i in range(0, len(x), 32):
            loss = F.smooth_l1_loss(model(x[i:i + 32]), y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(x[i:i + 32])
        losses.append(total / len(x))
    return opt, losses
'''


def _huber_run(folder: Path, column: bool) -> dict[str, float]:
    """Train the Huber regressor with targets as a ``(N, 1)`` column (``column``) or as
    ``(N,)``; diagnose checkpoint, log, model file and a saved batch of column targets."""
    folder.mkdir(parents=True)
    source = folder / "shrink.py"
    source.write_text(_HUBER_REGRESSOR, "utf-8")
    spec = runpy.run_path(str(source))
    torch.manual_seed(1)
    x = torch.randn(512, 4)
    y = 0.6 * x[:, 0] - 0.4 * x[:, 1] * x[:, 2]  # std about 0.7, like set 365's targets
    model = spec["build"]()
    opt, losses = spec["fit"](model, x, y.unsqueeze(1) if column else y)
    checkpoint, log = save_step_run(folder, model, opt,
                                    {"epoch": list(range(len(losses))), "loss": losses})
    torch.save((x[:64], y[:64].unsqueeze(1)), folder / "batch.pt")
    inputs = Inputs(model=f"{source}:build", batch=folder / "batch.pt", checkpoint=checkpoint,
                    logs=(log,), device="cpu")
    session = Session(load_knowledge(), inputs)
    session.run_probes()
    return {d["cause"]: d["confidence"] for d in session.report().to_json()["diagnoses"]}


def test_a_huber_loss_that_ends_at_a_constant_s_cost_is_a_broadcast(tmp_path: Path) -> None:
    """Set 365's GRU regressor, made small: Huber against a target column sits at 0.25 (the
    cost of the median under Huber) while the targets' variance is 0.5; the floor read as
    the variance had said the script squeezes its targets itself, and labels_wrong came
    first."""
    found = _huber_run(tmp_path / "column", column=True)
    assert found.get("shape_or_dtype_bug", 0.0) >= 0.5
    assert max(found, key=lambda c: found[c]) == "shape_or_dtype_bug"
    assert found.get("labels_wrong", 0.0) < 0.5


def test_a_huber_regressor_that_squeezes_its_targets_itself_is_no_broadcast(
        tmp_path: Path) -> None:
    """The same model trained on ``(N,)`` targets: its loss falls far under what a constant
    costs, so the saved column of targets is the script's layout, not a broadcast."""
    found = _huber_run(tmp_path / "aligned", column=False)
    assert found.get("shape_or_dtype_bug", 0.0) < 0.5


def _broadcast_mse_run(seed: int, lr: float = 1e-2, every: int = 5
                       ) -> tuple[torch.nn.Module, torch.optim.Optimizer, list[float]]:
    """A new user's Lightning regressor, made small: ``mse_loss`` of a ``(B, 1)`` output
    against ``(B,)`` targets broadcasts, so the loss only scatters around the targets'
    variance; the loss is logged every ``every`` steps."""
    import torch.nn.functional as F
    from torch import nn

    g = torch.Generator().manual_seed(seed)
    x = torch.randn(896, 10, generator=g)
    y = x @ (0.6 * torch.randn(10, generator=g)) + 0.1 * torch.randn(896, generator=g)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses, step = [], 0
    for _epoch in range(8):
        order = torch.randperm(896, generator=g)
        for i in range(0, 896, 32):
            rows = order[i:i + 32]
            loss = F.mse_loss(model(x[rows]), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % every == 0:
                losses.append(loss.item())
    return model, opt, losses


def _rising(log: Path, checkpoint: Path) -> object:
    from dldoctor.probes.base import ProbeContext
    from dldoctor.probes.log_probes import probe_curves
    from tests.support import values_of

    found = probe_curves(Inputs(checkpoint=checkpoint, logs=(log,)), ProbeContext())
    return values_of(found).get("loss.rising")


def test_a_flat_scattered_loss_whose_end_reads_higher_is_no_rising_loss(tmp_path: Path) -> None:
    """Medians of three minibatch losses at the start and of four at the end: a flat loss
    scattered ±15 % read 1.5× higher at its end in these seeds (in 18 of 52 seeds tried),
    and "the loss trends upwards" made a rate too high at 59 %, exit 1. The points hold no
    rank trend and the rise is inside the scatter: no rising loss, no rate too high."""
    from tests.support.stepruns import beliefs

    for seed in (8, 24, 36):
        model, opt, losses = _broadcast_mse_run(seed)
        end = sorted(losses[-4:])[1:3]
        assert sum(end) / 2 > 1.3 * sorted(losses[:3])[1]  # the end reads higher
        checkpoint, log = save_step_run(tmp_path / f"s{seed}", model, opt,
                                        {"step": [5 * (i + 1) for i in range(len(losses))],
                                         "train_loss": losses})
        assert _rising(log, checkpoint) is False, seed
    assert beliefs(checkpoint, log).get("lr_too_high", 0.0) < 0.5


def test_a_loss_that_climbs_through_its_scatter_is_still_rising(tmp_path: Path) -> None:
    """Losses that blew up are still rising: set 318's per-epoch loss without zero_grad
    (ten points, one spike of 1300 near the end) climbs in rank; a smooth climb that rose
    early and stayed up (set 334's weight-decayed factorisation, 4.9 to 12) has no rank
    trend over the whole curve but no scatter to hide its rise in either."""
    model, opt, _ = _broadcast_mse_run(8)
    spiky = [2.056, 3.387, 5.253, 20.014, 32.283, 29.349, 67.554, 1318.672, 38.648, 28.504]
    smooth = [4.93 + 13.0 * (1 - 0.7 ** k) for k in range(6)] + \
        [17.9 - 0.35 * k for k in range(18)] + [11.4 + 0.04 * k for k in range(16)]
    for name, losses in (("spiky", spiky), ("smooth", smooth)):
        checkpoint, log = save_step_run(tmp_path / name, model, opt,
                                        {"epoch": list(range(len(losses))), "loss": losses})
        assert _rising(log, checkpoint) is True, name


def test_a_small_embedding_table_left_out_of_the_optimizer_is_still_at_its_init(
        tmp_path: Path) -> None:
    """Set 370's proof-test model, made small: two categorical tables in no parameter group.
    A 60 × 6 table drawn from N(0, 1) has a mean off 0 by 0.13 here (2.5 standard errors
    of 360 values; over a fixed 0.05), which had read as trained weights frozen on purpose
    and concluded nothing from checkpoint + log."""
    from torch import nn

    from tests.support.stepruns import beliefs

    class Proof(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            torch.manual_seed(10)
            self.welder = nn.Embedding(60, 6)
            self.coil = nn.Embedding(80, 6)
            self.mlp = nn.Sequential(nn.Linear(17, 32), nn.ReLU(), nn.Linear(32, 1))

        def forward(self, w: torch.Tensor, c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
            return self.mlp(torch.cat([self.welder(w), self.coil(c), x], 1)).squeeze(1)

    model = Proof()
    assert abs(float(model.welder.weight.mean())) > 0.1
    opt = torch.optim.AdamW(model.mlp.parameters(), lr=3e-3)  # the tables are left out
    g = torch.Generator().manual_seed(0)
    w, c, x = (torch.randint(0, 60, (512,), generator=g), torch.randint(0, 80, (512,), generator=g),
               torch.randn(512, 5, generator=g))
    y = ((w % 7 == 0) | (x[:, 0] > 0.8)).float()
    losses = []
    for _epoch in range(10):
        total = 0.0
        for i in range(0, 512, 32):
            loss = nn.functional.binary_cross_entropy_with_logits(
                model(w[i:i + 32], c[i:i + 32], x[i:i + 32]), y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() / 16
        losses.append(total)
    checkpoint, log = save_step_run(tmp_path / "proof", model, opt,
                                    {"epoch": list(range(10)), "loss": losses})
    found = beliefs(checkpoint, log)
    assert found.get("params_not_in_optimizer", 0.0) >= 0.5
    assert max(found, key=lambda k: found[k]) == "params_not_in_optimizer"


def _val_rising(tmp_path: Path, name: str, val: list[float]) -> object:
    """``val.rising_while_train_falls`` from a log whose training loss falls steadily beside
    the per-epoch validation loss ``val``."""
    from dldoctor.probes.base import ProbeContext
    from dldoctor.probes.log_probes import probe_curves
    from tests.support import values_of

    model, opt, _ = _broadcast_mse_run(8)
    train = [0.08 * 0.93 ** k for k in range(len(val))]
    checkpoint, log = save_step_run(tmp_path / name, model, opt,
                                    {"epoch": list(range(len(val))), "loss": train,
                                     "val_loss": val})
    found = probe_curves(Inputs(checkpoint=checkpoint, logs=(log,)), ProbeContext())
    return values_of(found).get("val.rising_while_train_falls")


def test_a_validation_loss_that_only_bounces_has_not_turned_up(tmp_path: Path) -> None:
    """Set 369's drying-days model at batch size 2: its validation MSE bounces from epoch to
    epoch (0.026 to 0.07 and back); the lowest of twenty such points sits two of their
    standard deviations under their level, and "bottoms at 0.027, ends at 0.045" read as
    over-fitting at 60 % beside the small batch. A real turn still reads as one."""
    bouncing = [0.04973, 0.05248, 0.07025, 0.0608, 0.03115, 0.03931, 0.05034, 0.03174,
                0.03177, 0.03421, 0.03394, 0.02697, 0.03104, 0.02808, 0.02843, 0.02583,
                0.04153, 0.03565, 0.02852, 0.04456]
    assert _val_rising(tmp_path, "bouncing", bouncing) is False
    turned = [0.9 * 0.8 ** k for k in range(8)] + [0.19 + 0.02 * k for k in range(12)]
    assert _val_rising(tmp_path, "turned", turned) is True


def test_a_vocabulary_whose_later_ids_come_more_often_is_no_sorted_walk(
        tmp_path: Path) -> None:
    """Set 372's healthy MobileBERT: 22 token ids, the special ones first and rare, shuffled
    batches. Adam's first moment rose with the id (rank 0.86, 3970×) because the later ids
    come more often — and its long memory √v rose with them; recency is m over √v, which
    follows no order: no sorted walk (it had read data_not_shuffled 0.75, a false alarm)."""
    from torch import nn

    from dldoctor.probes.base import ProbeContext
    from dldoctor.probes.static_probes import probe_optimizer
    from tests.support import values_of

    gen = torch.Generator().manual_seed(0)
    odds = torch.exp(0.5 * torch.arange(22, dtype=torch.float))  # later ids far more frequent
    tokens = torch.multinomial(odds, 4096, replacement=True, generator=gen)
    targets = (tokens * 7 + 3) % 5
    torch.manual_seed(0)
    model = nn.Sequential(nn.Embedding(22, 8), nn.Linear(8, 5))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _epoch in range(3):
        for rows in torch.randperm(tokens.numel(), generator=gen).split(32):
            loss = nn.functional.cross_entropy(model(tokens[rows]), targets[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
    norms = opt.state[model[0].weight]["exp_avg"].norm(dim=1)
    assert float(norms[-4:].mean()) > 100 * float(norms[:4].mean())  # m rises with the id
    path = tmp_path / "vocab.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
    found = values_of(probe_optimizer(Inputs(checkpoint=path), ProbeContext()))
    assert found.get("data.entity_order_in_memory") is False


_BN_NET = '''
import torch
from torch import nn


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU(),
                         nn.Linear(32, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 4))
'''


def _bn_run(folder: Path, back_to_train: bool) -> tuple[dict[str, float], object]:
    """A BatchNorm MLP on four grounds; after the first epoch's validation pass the loop
    calls ``model.train()`` again (``back_to_train``) or never does (set 373's seabed CNN)."""
    from dldoctor.probes.base import ProbeContext
    from dldoctor.probes.live_probes import probe_forward
    from tests.support import values_of

    folder.mkdir(parents=True)
    source = folder / "net.py"
    source.write_text(_BN_NET, "utf-8")
    model = runpy.run_path(str(source))["build"]()
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1024, 6, generator=g) * torch.tensor([1.0, 3.0, 0.5, 2.0, 1.0, 4.0]) + 2.0
    y = (x[:, 0] > 2).long() * 2 + (x[:, 1] > 2).long()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for _epoch in range(12):
        if back_to_train:
            model.train()
        total = 0.0
        for rows in torch.randperm(1024, generator=g).split(32):
            loss = torch.nn.functional.cross_entropy(model(x[rows]), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() / 32
        losses.append(total)
        model.eval()  # the validation pass
    checkpoint, log = save_step_run(folder, model, opt,
                                    {"epoch": list(range(12)), "loss": losses})
    torch.save((x[:64], y[:64]), folder / "batch.pt")
    inputs = Inputs(model=f"{source}:build", batch=folder / "batch.pt", checkpoint=checkpoint,
                    logs=(log,), device="cpu")
    found = values_of(probe_forward(inputs, ProbeContext()))
    session = Session(load_knowledge(), inputs)
    session.run_probes()
    beliefs = {d["cause"]: d["confidence"] for d in session.report().to_json()["diagnoses"]}
    return beliefs, found.get("metric.batch_statistics_much_worse")


def test_weights_that_fit_only_frozen_batchnorm_statistics_trained_in_eval_mode(
        tmp_path: Path) -> None:
    """Set 373's seabed CNN: model.eval() in the validation pass and no model.train() after
    it, an SGD checkpoint that keeps no step count (so BatchNorm's batch count cannot be
    set against the steps). On a mixed batch, with BatchNorm on the batch's own statistics,
    the model is far worse than with its running ones: its weights fit the frozen statistics
    alone. Trained in train mode throughout, the two agree."""
    beliefs, worse = _bn_run(tmp_path / "eval", back_to_train=False)
    assert worse is True
    assert max(beliefs, key=lambda c: beliefs[c]) == "train_in_eval_mode"
    assert beliefs["train_in_eval_mode"] >= 0.5
    beliefs, worse = _bn_run(tmp_path / "train", back_to_train=True)
    assert worse is False
    assert beliefs.get("train_in_eval_mode", 0.0) < 0.5


def test_a_model_file_without_the_named_factory_is_refused_before_anything_runs(
        tmp_path: Path) -> None:
    """A new user's ``--model regress.py:nope`` failed only after the log and checkpoint
    probes had run (7 s): the file is now read, not run, and the missing name said first,
    with the functions and classes it does define."""
    import shutil
    import subprocess

    from tests.support import forkcli

    model, opt, losses = _broadcast_mse_run(8)
    checkpoint, log = save_step_run(tmp_path, model, opt,
                                    {"epoch": list(range(len(losses))), "loss": losses})
    source = tmp_path / "regress.py"
    source.write_text(_HUBER_REGRESSOR, "utf-8")
    torch.save((torch.randn(8, 4), torch.randn(8)), tmp_path / "batch.pt")
    out = forkcli.run([shutil.which("diagnose") or "diagnose", "-c", str(checkpoint),
                       "--log", str(log), "--model", f"{source}:nope",
                       "--batch", str(tmp_path / "batch.pt"), "--no-input"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "defines no top-level nope" in lines[0], out.stderr
    assert "Shrink, build, fit" in lines[0]
    assert "Read the metrics log" not in out.stderr


_ATTENTION_GRU = '''
import torch
from torch import nn


class Burn(nn.Module):
    """A GRU over 30 steps, its states pooled by attention, four classes."""

    def __init__(self, batch_first=True, pool_dim=1):
        super().__init__()
        self.gru = nn.GRU(3, 16, batch_first=batch_first)
        self.score = nn.Linear(16, 1)
        self.head = nn.Linear(16, 4)
        self.batch_first, self.pool_dim = batch_first, pool_dim

    def forward(self, x):
        h, _ = self.gru(x)
        if not self.batch_first:
            h = h.transpose(0, 1)
        w = torch.softmax(self.score(h), dim=self.pool_dim)  # attention over the steps
        return self.head((w * h).sum(1))


def build():
    torch.manual_seed(0)
    return Burn(pool_dim=0)


def build_time_major():
    torch.manual_seed(0)
    return Burn(batch_first=False)
'''


def test_a_recurrent_layer_that_reads_its_samples_right_does_not_mix_them(
        tmp_path: Path) -> None:
    """Set 371's burn-test GRU pooled its states with a softmax over dim 0 (the batch): each
    sample's output depended on the others, and the only reading was a recurrent layer fed
    time-major — input_layout_scrambled 0.75. Hooked on the batch, the GRU reads its 64
    samples on its batch axis: the mixing is the attention's, a softmax over the batch. A
    GRU built time-major and fed (batch, time, features) still reads as scrambled."""
    from dldoctor.probes.base import ProbeContext
    from dldoctor.probes.live_probes import probe_forward
    from tests.support import values_of

    source = tmp_path / "burn.py"
    source.write_text(_ATTENTION_GRU, "utf-8")
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 30, 3, generator=g)
    torch.save((x, (x[:, :, 0].mean(1) > 0).long() + 2 * (x[:, :, 1].mean(1) > 0).long()),
               tmp_path / "batch.pt")
    found = {}
    for factory in ("build", "build_time_major"):
        inputs = Inputs(model=f"{source}:{factory}", batch=tmp_path / "batch.pt", device="cpu")
        found[factory] = values_of(probe_forward(inputs, ProbeContext()))
    assert found["build"]["batch.outputs_mixed"] is True
    assert found["build"]["arch.recurrent_batch_axis_right"] is True
    assert found["build_time_major"]["arch.recurrent_batch_axis_right"] is False
    inputs = Inputs(model=f"{source}:build", batch=tmp_path / "batch.pt", device="cpu")
    session = Session(load_knowledge(), inputs)
    session.run_probes()
    beliefs = {d["cause"]: d["confidence"] for d in session.report().to_json()["diagnoses"]}
    assert beliefs.get("input_layout_scrambled", 0.0) < 0.5
    assert max(beliefs, key=lambda c: beliefs[c]) == "softmax_wrong_dim"


def test_a_text_file_given_as_the_log_is_said_to_be_no_log(tmp_path: Path) -> None:
    """A new user's ``--log LICENSE`` read "no known metric columns among GNU GENERAL PUBLIC
    LICENSE": a first line of words is no header; it is said to be no metrics log."""
    import shutil
    import subprocess

    from tests.support import forkcli

    text = tmp_path / "LICENSE"
    text.write_text("GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n\nPreamble\n", "utf-8")
    out = forkcli.run([shutil.which("diagnose") or "diagnose", "--log", str(text), "--no-input"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    assert "does not look like a metrics log" in out.stderr and "LICENSE" in out.stderr
    assert "Traceback" not in out.stderr


_SEASON_GRU = '''
import torch
from torch import nn


class Season(nn.Module):
    """A GRU over nights, one catch per night."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 24, batch_first=True)
        self.head = nn.Linear(24, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return Season()
'''


def _season_run(folder: Path, masked: bool) -> object:
    """Seasons of 12 to 40 nights padded with zero rows to 40, targets padded with 0 and no
    mask saved beside them (sets 370 and 381); the loss over every step, or the real ones."""
    from dldoctor.probes.base import ProbeContext
    from dldoctor.probes.live_probes import probe_forward
    from tests.support import values_of

    folder.mkdir(parents=True)
    source = folder / "season.py"
    source.write_text(_SEASON_GRU, "utf-8")
    model = runpy.run_path(str(source))["build"]()
    g = torch.Generator().manual_seed(0)
    n, steps = 256, 40
    lengths = torch.randint(12, steps + 1, (n,), generator=g)
    real = torch.arange(steps)[None, :] < lengths[:, None]
    x = torch.randn(n, steps, 3, generator=g) * real[..., None]
    y = (2.0 + x[..., 0] - 0.5 * x[..., 1]) * real  # catches around 2, padding 0
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _epoch in range(25):
        for rows in torch.randperm(n, generator=g).split(32):
            err = (model(x[rows]) - y[rows]) ** 2
            loss = err[real[rows]].mean() if masked else err.mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    torch.save((x[:64], y[:64]), folder / "batch.pt")
    checkpoint = folder / "season.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, checkpoint)
    inputs = Inputs(model=f"{source}:build", batch=folder / "batch.pt", checkpoint=checkpoint,
                    device="cpu")
    return values_of(probe_forward(inputs, ProbeContext())).get("loss.padded_steps_fitted")


def test_padded_steps_of_a_regression_are_read_from_the_padding_rows_of_its_inputs(
        tmp_path: Path) -> None:
    """A GRU over zero-padded seasons with no mask saved beside the batch: the padded steps
    are the rows' trailing zero vectors, their targets one value (0); a loss averaged over
    them pulls the predictions there to 0, a masked one leaves them (sets 370 and 381 had
    concluded nothing)."""
    assert _season_run(tmp_path / "all", masked=False) is True
    assert _season_run(tmp_path / "masked", masked=True) is False
