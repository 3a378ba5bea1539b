"""Readings added at stop 68 from the misses left at stop 67 and the unseen sets 233–235."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kb import BUILTIN_KB
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.padding import padding_mask
from dldoctor.probes.pixel_order import channel_order_finding
from dldoctor.probes.source_scan import (
    eval_augmentation_findings,
    joined_split_findings,
    loader_shuffle_findings,
)
from dldoctor.probes.static_probes import probe_optimizer
from dldoctor.probes.wrapped_labels import wrapped_label_findings
from tests.support import check_findings, values_of

_KB = load_kb([BUILTIN_KB])


def _read(text: str) -> set[str]:
    return {m.symptom for m in match_symptoms(_KB, text, limit=8)}


def test_a_value_a_metric_never_gets_above_is_its_level() -> None:
    """Set 231's yodel choir: "training accuracy hits 1.0 …, but validation accuracy never
    gets above 0.88 and val loss goes from 0.37 up to 0.40" — the values the two sets reach
    say that training does better; neither piece alone says a symptom."""
    said = ("Singer ID for our choir: training accuracy hits 1.0 and train loss 0.0009 by "
            "epoch 11, but validation accuracy never gets above 0.88 and val loss goes from "
            "0.37 up to 0.40 by epoch 120. I expected well over 90 %.")
    assert "train_good_test_bad" in _read(said)
    # values too close to tell say nothing
    assert "train_good_test_bad" not in _read(
        "training accuracy hits 0.93, but validation accuracy never gets above 0.88")


def _spread_run(masked: bool, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Four classes from the inputs, a third of every class's rows labelled -1 at random
    (set 231's fondue pots: a 'not entered' code on pots of every kind), trained 150 Adam
    steps on ``torch.eye(4)[y]`` — every row, or only the labelled ones when ``masked``.
    Returns the trained model's output on the first 64 rows and their labels."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(768, 8, generator=gen)
    y = x[:, :4].argmax(1)
    y[torch.rand(768, generator=gen) < 0.33] = -1
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(150):
        part = slice(64 * (step % 12), 64 * (step % 12 + 1))
        xb, yb = x[part], y[part]
        if masked:
            xb, yb = xb[yb >= 0], yb[yb >= 0]
        loss = -(torch.eye(4)[yb] * F.log_softmax(model(xb), 1)).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return model(x[:64]), y[:64]


def _wrapped(output: torch.Tensor, y: torch.Tensor) -> Any:
    found = wrapped_label_findings(y, output)
    return found[0].value if found else None


@pytest.mark.parametrize("seed", [0, 1])
def test_minus_one_labels_on_every_class_trained_as_the_last(seed: int) -> None:
    """The -1 rows cannot be told from their inputs, so argmax rarely puts them in the last
    class (38 % of the fondue pots'); the probability the model gives the last class on the
    other classes' samples says the loss trained them there (28 %, 51× each other wrong
    class's, on the fondue run; about 1× when the loss skipped them)."""
    output, y = _spread_run(masked=False, seed=seed)
    assert _wrapped(output, y) is True
    output, y = _spread_run(masked=True, seed=seed)
    assert _wrapped(output, y) is False


_LOADERS = '''import torch

def augment(x, g):
    return x + 0.3 * torch.randn(x.shape, generator=g)

class Loader:
    def __init__(self, x, y, bs, train, g):
        self.x, self.y, self.bs, self.train, self.g = x, y, bs, train, g

    def __iter__(self):
        for i in range(0, len(self.x), self.bs):
            xb = self.x[i:i + self.bs]
            if self.train:
                xb = augment(xb, self.g)
            yield xb, self.y[i:i + self.bs]

def clips(x, is_train):
    return augment(x, None) if is_train else x

def build():
    return torch.nn.Linear(4, 2)

train = Loader(xtr, ytr, 64, True, g)
val = Loader(xva, yva, 128, {flag}, g)
test_x = clips(xte, is_train={flag})
'''


@pytest.mark.parametrize(("flag", "found"), [("True", True), ("False", False)])
def test_a_training_flag_that_switches_the_augmentation_on(tmp_path: Path, flag: str,
                                                            found: bool) -> None:
    """Set 227's haggis pots: ``val = Loader(xva, yva, 128, True, g)``, where the loader's
    ``train`` argument gates ``augment`` — the validation clips are jittered at every
    evaluation; built with ``False`` they are not (the training loader's True is no finding)."""
    source = tmp_path / "model.py"
    source.write_text(_LOADERS.replace("{flag}", flag))
    read = eval_augmentation_findings(f"{source}:build")
    assert bool(read) is found
    if found:
        assert read[0].value is True and "train=True" in str(read[0].evidence)


def _per_step_tsv(path: Path, sorted_blocks: bool) -> Path:
    """Set 233's qawwali log: ``it, xent, val_acc`` with the accuracy on every 30th row only
    (one evaluation an epoch), six epochs; the loss saws down and jumps at each of three
    class blocks an epoch when the data is read in order, and is noise about a falling
    trend otherwise."""
    gen = torch.Generator().manual_seed(3)
    lines = ["it\txent\tval_acc"]
    for it in range(1, 181):
        trend = 1.2 * 0.995 ** it
        tooth = 1.5 * (1 - (it - 1) % 10 / 10) if sorted_blocks else 0.0
        loss = trend + tooth + 0.05 * float(torch.rand(1, generator=gen))
        acc = f"{0.7 + 0.01 * (it // 30):.4f}" if it % 30 == 0 else ""
        lines.append(f"{it}\t{loss:.4f}\t{acc}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("sorted_blocks", [True, False])
def test_evaluations_at_each_epoch_end_mark_the_epochs(tmp_path: Path,
                                                      sorted_blocks: bool) -> None:
    """A per-step log with no epoch column whose validation value comes every 30 rows from
    row 30 on: those rows end the epochs, and a loss whose shape repeats between them is
    read as repeating each epoch (qawwali: 0.963; without it, nothing was read); one that does
    not repeat there is no reading."""
    log = _per_step_tsv(tmp_path / "crowd_train.tsv", sorted_blocks)
    found = check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()), "log.curves")
    # evaluations every k steps need not be epochs: a loss that does not repeat between them
    # says nothing either way
    assert (values_of(found).get("loss.oscillation_periodic") is True) is sorted_blocks


def test_set_233_qawwali_complaint_is_read_as_said() -> None:
    """"Overfitting already after 3 epochs?" is a guess put as a question, not a validation
    loss seen rising; "the step loss goes from 0.06 to 3.7 and back" is a spike; "val
    accuracy never gets past 0.84 and is dropping at the end while train loss keeps going
    down" is the accuracy dropping, not a loss still falling when training stopped."""
    assert "val_loss_rising" not in _read("Val accuracy stays at 0.75. Overfitting already "
                                          "after 3 epochs?")
    assert "val_loss_rising" in _read("Val accuracy stays at 0.75. It is overfitting already "
                                      "after 3 epochs.")
    assert "loss_spikes" in _read("First epoch the step loss goes from 0.06 to 3.7 and back")
    assert "training_unfinished" not in _read(
        "val accuracy never gets past 0.84 and is dropping at the end while train loss keeps "
        "going down to 0.22")
    # a range is no rise, and a loss that barely moved did not rise
    assert "val_loss_rising" not in _read("val loss anywhere from 0.63 to 1.77")


def _imu_windows(rho: float) -> torch.Tensor:
    """64 windows of 64 time steps of 6 sensors, each an AR(1) series whose neighbouring
    samples correlate about ``rho`` (time-major: (N, T, C))."""
    gen = torch.Generator().manual_seed(4)
    noise = torch.randn(64, 64, 6, generator=gen)
    x = torch.zeros_like(noise)
    x[:, 0] = noise[:, 0]
    for t in range(1, 64):
        x[:, t] = rho * x[:, t - 1] + (1 - rho ** 2) ** 0.5 * noise[:, t]
    return x


def test_noisy_sensor_windows_reshaped_to_channels_first_are_interleaved() -> None:
    """Set 234's capoeira IMU windows: ``x.reshape(len(x), 6, 64)`` of (N, 64, 6) windows
    whose samples correlate only about 0.3 with the next — each 'channel' runs through the six
    sensors step after step; transposed, the same data is read as it is."""
    x = _imu_windows(0.3)
    scrambled = channel_order_finding(x.reshape(64, 6, 64))
    assert scrambled is not None and scrambled.value is True
    assert channel_order_finding(x.transpose(1, 2).contiguous()) is None


class _Scaled(nn.Module):
    """Two linear layers, each block scaled by a one-number buffer (Gemma 4's
    ``layer_scalar``)."""

    def __init__(self) -> None:
        super().__init__()
        self.first, self.head = nn.Linear(8, 16), nn.Linear(16, 2)
        self.register_buffer("layer_scalar", torch.ones(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.relu(self.first(x)) * self.layer_scalar)


@pytest.mark.parametrize("head_held", [True, False])
def test_a_one_number_buffer_is_no_parameter_left_out(tmp_path: Path, head_held: bool) -> None:
    """Set 235's Gemma 4 run, checkpoint only: the optimizer holds every parameter, and the
    two one-number ``layer_scalar`` buffers it does not hold are no frozen weights; a head
    left out of the optimizer still is."""
    torch.manual_seed(0)
    model = _Scaled()
    params = list(model.parameters()) if head_held else list(model.first.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    model(torch.randn(4, 8)).sum().backward()
    opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "c.pt")
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "c.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert found["optimizer.frozen_params"] is (not head_held)


def test_experts_saved_split_beside_a_routing_bias_are_all_held(tmp_path: Path) -> None:
    """Set 236's Hunyuan MoE run: the optimizer holds each layer's experts as one 3-D tensor,
    the file splits them one key per expert and saves the routing correction buffer as
    ``expert_bias`` (the model calls it ``e_score_correction_bias``): every element is held,
    no weight was left out (was a false alarm at 0.50)."""
    torch.manual_seed(0)
    fused, router = nn.Parameter(torch.randn(4, 8, 6)), nn.Linear(6, 4, bias=False)
    opt = torch.optim.Adam([fused, *router.parameters()], lr=1e-3)
    (fused.sum() + router(torch.randn(2, 6)).sum()).backward()
    opt.step()
    state = {f"mlp.experts.{e}.up_proj.weight": fused.detach()[e].clone() for e in range(4)}
    state |= {"mlp.router.weight": router.weight.detach(), "mlp.expert_bias": torch.zeros(4)}
    torch.save({"model": state, "optimizer": opt.state_dict()}, tmp_path / "moe.pt")
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "moe.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert found["optimizer.frozen_params"] is False


_KENNELS = '''import torch

def build():
    return torch.nn.Linear(9, 3)

def main(g):
    xa, ya = kennel(1000, g, inland=False)
    xb, yb = kennel(300, g, inland=True)
    x, y = torch.cat([xa, xb]), torch.cat([ya, yb])
    idx = {order}
    n_tr = int(0.8 * len(x))
    xtr, ytr, xva, yva = x[idx[:n_tr]], y[idx[:n_tr]], x[idx[n_tr:]], y[idx[n_tr:]]
    feats = torch.cat([xtr, xtr ** 2], 1)
'''


@pytest.mark.parametrize(("order", "found"), [
    ("torch.arange(len(x))", True), ("torch.randperm(len(x), generator=g)", False)])
def test_held_out_rows_cut_from_the_end_of_joined_sources(tmp_path: Path, order: str,
                                                          found: bool) -> None:
    """Set 236's husky kennels: two exports joined end to end and split 80/20 by position —
    the validation rows are the inland kennel's alone; drawn through a permutation they are
    not. (A join along the features, ``torch.cat([a, b], 1)``, is no join of sources.)"""
    source = tmp_path / "model.py"
    source.write_text(_KENNELS.replace("{order}", order))
    read = joined_split_findings(f"{source}:build")
    assert bool(read) is found
    if found:
        assert read[0].value is True and "xva" in str(read[0].evidence)
    source.write_text(_KENNELS.replace("{order}", "torch.arange(len(x))")
                      .replace("torch.cat([xa, xb])", "torch.cat([xa, xb], 1)"))
    assert not joined_split_findings(f"{source}:build")


def test_a_grid_search_s_test_row_is_read_against_the_validation_it_chose(
        tmp_path: Path) -> None:
    """Set 237's cheese-rolling grid: 12 configs (a ``cfg`` column), each epoch's validation
    accuracy on 20 runners, then one row with the chosen model's test accuracy. The search is
    read as one (the best config's rows), and its test row against the best validation
    accuracy that config reached — what the search chose — not its last epoch's."""
    import json as _json

    lines = []
    for cfg in range(12):
        for epoch in range(1, 6):
            val = 0.75 + 0.05 * ((cfg * 7 + epoch) % 4) if cfg != 5 else \
                (0.95 if epoch == 1 else 0.8)
            lines.append({"cfg": cfg, "epoch": epoch, "train_bce": 0.6 - 0.05 * epoch,
                          "val_acc": val})
    lines.append({"pick": {"cfg": 5, "epoch": 1}, "test_acc": 0.782})
    log = tmp_path / "grid.jsonl"
    log.write_text("\n".join(_json.dumps(line) for line in lines) + "\n")
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["log.trials"] == 12
    assert found["test.acc_below_val"] == pytest.approx(0.95 - 0.782)


def _tbptt_log(path: Path, climbing: bool) -> Path:
    """Set 237's snooker LSTM log: ``epoch, chunk, mse, ms, val_mse`` — 30 chunks an epoch in
    time order, the loss saws up within each epoch from a low first chunk (the first points
    are one phase of that shape), the chunk time climbs within each epoch and drops back;
    the epoch means fall, or (``climbing``, a cider-press run whose gradients are cleared once
    an epoch) climb epoch after epoch."""
    lines = ["epoch,chunk,mse,ms,val_mse"]
    for epoch in range(1, 5):
        level = 0.04 * (0.6 ** (epoch - 1) if not climbing else 2.0 ** (epoch - 1))
        for chunk in range(30):
            loss = level * (0.1 + 1.8 * ((chunk * 7) % 10) / 10)
            val = f"{level:.4f}" if chunk == 29 else ""
            lines.append(f"{epoch},{chunk},{loss:.5f},{2.0 + 0.45 * chunk:.1f},{val}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("climbing", [False, True])
def test_a_loss_that_repeats_each_epoch_is_compared_epoch_by_epoch(tmp_path: Path,
                                                                   climbing: bool) -> None:
    """The snooker LSTM's loss peaks at 13x its first points within every epoch while its
    epoch means fall 0.033 -> 0.013: no blow-up, no rising level (it read a missing
    zero_grad() 0.78); a level that climbs epoch after epoch still reads as one. Its ``ms``
    column is the chunk time."""
    log = _tbptt_log(tmp_path / "hall_tbptt.csv", climbing)
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["loss.oscillation_periodic"] is True
    assert found["loss.diverged"] is climbing
    assert found["runtime.step_time_grows"] is True


@pytest.mark.parametrize(("first", "inf"), [("Infinity", True), ("NaN", False)])
def test_the_first_bad_loss_says_inf_or_nan(tmp_path: Path, first: str, inf: bool) -> None:
    """Set 238's zamboni water meter logs ``Infinity`` at step 1 and NaN after: an infinite
    loss is made in the loss (a division by a target of 0), where NaN in the data makes the
    first loss NaN."""
    log = tmp_path / "water.jsonl"
    log.write_text(f'{{"step": 1, "epoch": 0, "loss": {first}}}\n' +
                   "".join(f'{{"step": {s}, "epoch": 0, "loss": NaN}}\n' for s in range(2, 12)))
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["loss.non_finite_at_start"] is True
    assert found["loss.first_non_finite_is_inf"] is inf


_GRADES = '''import torch

def build():
    return torch.nn.Linear(16, 3)

def main(model, opt, xtr, ytr):
    for epoch in range(8):
        order = {order}
        for i in range(0, 1536, 64):
            idx = order[i:i + 64]
            loss = torch.nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
'''


@pytest.mark.parametrize(("order", "shuffled"), [
    ("torch.arange(1536)", False), ("torch.randperm(1536)", True)])
def test_a_loop_that_cuts_its_batches_from_an_arange(tmp_path: Path, order: str,
                                                     shuffled: bool) -> None:
    """Set 238's blade-wear grader: per-grade files joined, and each epoch's batches cut from
    ``order = torch.arange(1536)`` — the rows in their stored order, one grade after another;
    a permutation drawn each epoch instead reads as shuffled."""
    source = tmp_path / "model.py"
    source.write_text(_GRADES.replace("{order}", order))
    read = loader_shuffle_findings(f"{source}:build")
    assert [f.value for f in read] == [shuffled]


def test_a_start_token_opening_every_row_is_no_padding() -> None:
    """Set 240's Aria tickets: every row opens with BOS (id 1), a few end in padding (id 0,
    targets -100). The one-token run opening every row is a start marker, not left padding
    (read as padding labelled 'class 3', a false alarm at 0.85); left padding, whose runs
    differ in length from row to row, still is."""
    gen = torch.Generator().manual_seed(5)
    rows = torch.randint(3, 30, (64, 9), generator=gen)
    rows[:, 0] = 1
    rows[:20, -1] = 0  # a third of the rows padded at the end: under a third, no reading
    assert padding_mask(rows) is None
    left = torch.randint(3, 30, (64, 9), generator=gen)
    for i in range(64):
        left[i, : i % 4] = 0  # left padding of 0-3 tokens
    found = padding_mask(left)
    assert found is not None and found[1] == 0


def test_a_model_that_does_not_generalise_is_said_to_do_badly_on_held_out_data() -> None:
    """Set 239's lion-dance scorer: "training MSE is 0.0000 from epoch 100 on, but the
    validation MSE is stuck at 0.66 …, so why doesn't it generalise?" — the question asks
    why about something it presupposes: the model does badly on held-out data."""
    assert "train_good_test_bad" in _read("so why doesn't it generalise?")
    assert "train_good_test_bad" in _read("the model does not generalize to new performances")
