"""Readings added at stop 67 from unseen hand sets (224–229 and the misses left from 222–223)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms, split_questions
from dldoctor.kb import BUILTIN_KB
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.logs import read_log
from dldoctor.probes.pixel_order import channel_order_finding
from dldoctor.probes.source_scan import loader_shuffle_findings
from tests.support import check_findings, forkcli, values_of

_KB = load_kb([BUILTIN_KB])


def _read(text: str) -> set[str]:
    return {m.symptom for m in match_symptoms(_KB, text, limit=8)}


def test_a_piece_that_goes_on_from_an_accuracy_is_about_that_accuracy() -> None:
    """Set 223's class-sorted hydrophone run: "前84步验证准确率一直是0.336，
    后来在1.0和0.66之间来回跳，最后停在0.668" — the last two clauses name no metric and go
    on from the accuracy's; they read as the validation metric jumping about, not a loss
    that stalls too high."""
    said = ("前84步验证准确率一直是0.336，后来在1.0和0.66之间来回跳，最后停在0.668，验证损失0.44。"
            "训练损失也是一会儿降一会儿突然升高。")
    read = _read(said)
    assert "loss_plateau_late" not in read
    assert {"val_oscillating", "loss_spikes"} <= read
    english = "val acc sat at 0.336 for 84 steps, finally it stuck at 0.668"
    assert "loss_plateau_late" not in _read(english)
    # without the accuracy before it, the same words tell of a loss
    assert "loss_plateau_late" in _read("finally it stuck at 0.668")
    assert "loss_plateau_late" in _read("train loss fell from 1.1 to 0.9, finally it stuck at 0.9")
    # a piece naming its own metric ends the carrying ("第575步loss" after a val accuracy)
    nan = "val 单发准确率0.89。然后第575步loss突然变成NaN，之后全部是NaN"
    assert "loss_nan" in _read(nan)




def _bottleneck_run(tmp_path: Path, hidden: int) -> Path:
    """Six regression targets made of products of ten inputs, fitted through ``hidden``
    units; checkpoint and a per-epoch JSON-lines log of tr_mse / va_mse."""
    g = torch.Generator().manual_seed(1)
    x = torch.randn(768, 10, generator=g)
    k = torch.arange(6).float()
    y = (x[:, :1] * x[:, 1:2] * torch.cos(k) + x[:, 2:3] ** 2 * torch.sin(k)
         + x[:, 3:4] * x[:, 4:5] * (k - 2.5) / 2.5)
    y = (y - y.mean(0)) / y.std(0)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                          nn.Linear(hidden, 6))
    opt = torch.optim.Adam(model.parameters(), 3e-3)
    rows = []
    train, val = slice(0, 640), slice(640, None)
    for epoch in range(40):
        for i in range(0, 640, 64):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x[i:i + 64]), y[i:i + 64])
            loss.backward()
            opt.step()
        with torch.no_grad():
            mse = [float(nn.functional.mse_loss(model(x[p]), y[p])) for p in (train, val)]
        rows.append({"ep": epoch, "tr_mse": mse[0], "va_mse": mse[1]})
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 40},
               tmp_path / "ckpt.pt")
    (tmp_path / "fit_log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path


def test_a_va_column_is_the_validation_split(tmp_path: Path) -> None:
    """Set 222's tuba log names its splits tr_ and va_ (tr_mse, va_mse, va_mae_cents): va_ is
    validation as tr_ is training."""
    log = tmp_path / "fit_log.jsonl"
    log.write_text("".join(json.dumps({"ep": e, "tr_mse": 1.0 / (e + 1), "va_mse": 1.1 / (e + 1),
                                       "va_acc": 0.5}) + "\n" for e in range(6)))
    series = read_log(log).series
    assert series["loss"].column == "tr_mse" and series["val_loss"].column == "va_mse"
    assert series["val_acc"].column == "va_acc"


@pytest.mark.parametrize(("hidden", "found"), [(2, True), (64, False)])
def test_six_targets_through_two_units_underfit(tmp_path: Path, hidden: int, found: bool) -> None:
    """Set 222's tuba run: six regression targets read from a hidden layer two units wide.
    Its losses stop at 0.85 / 1.0 (15 % apart, not "close"), so no curve rule reads
    under-fitting; the head three times as wide as the bottleneck, a loss that lost under half
    its level and stopped falling do, from the checkpoint and the log alone. The same net 64
    units wide fits and reads nothing of the kind."""
    run = _bottleneck_run(tmp_path, hidden)
    out = forkcli.run([shutil.which("diagnose") or "diagnose", "--checkpoint",
                       str(run / "ckpt.pt"), "--log", str(run / "fit_log.jsonl"),
                       "--no-input", "--format", "json"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    report = json.loads(out.stdout)
    ratio = next(f["value"] for f in report["findings"]
                 if f["fact"] == "weights.output_over_narrowest")
    assert ratio == pytest.approx(6 / hidden)
    faults = [d["cause"] for d in report["diagnoses"] if d["confidence"] >= 0.5]
    assert (faults[:1] == ["underfitting"]) is found
    assert out.returncode == (1 if found else 0)


def test_a_question_of_two_alternatives_is_asked_not_said() -> None:
    """"Is Adam 3e-3 wrong for this, or is the data too noisy?" asks one question in two
    clauses; neither tells of a noisy loss (set 222's tuba complaint)."""
    kept, asked = split_questions("It has been flat for 20 epochs. Is Adam 3e-3 wrong for this, "
                                  "or is the data too noisy?")
    assert kept == "It has been flat for 20 epochs."
    assert asked == ["Is Adam 3e-3 wrong for this, or is the data too noisy?"]
    assert "loss_oscillating" not in _read("The loss has been flat for 20 epochs. Is Adam 3e-3 "
                                           "wrong for this, or is the data too noisy?")
    # a statement with "or" is no question
    assert split_questions("the loss is nan or inf")[1] == []


def _hand_l2_run(tmp_path: Path, lam: float) -> Path:
    """An MLP regressor trained with ``lam`` times its squared weights added to the loss by
    hand (Adam without decay), logged per epoch as mse (the data term), l2 (the penalty) and
    val_mse, tab-separated."""
    g = torch.Generator().manual_seed(2)
    x = torch.randn(640, 10, generator=g)
    y = torch.tanh(x[:, :1] * x[:, 1:2]) + 0.5 * x[:, 2:3] - 0.3 * x[:, 3:4] ** 2
    y = (y - y.mean()) / y.std()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                          nn.Linear(128, 1))
    opt = torch.optim.Adam(model.parameters(), 2e-3)
    lines = ["epoch\tmse\tl2\tval_mse"]
    for epoch in range(15):
        for i in range(0, 512, 64):
            mse = nn.functional.mse_loss(model(x[i:i + 64]), y[i:i + 64])
            l2 = lam * sum((p ** 2).sum() for n, p in model.named_parameters() if "weight" in n)
            opt.zero_grad()
            (mse + l2).backward()
            opt.step()
        with torch.no_grad():
            val = float(nn.functional.mse_loss(model(x[512:]), y[512:]))
        lines.append(f"{epoch}\t{mse.item():.4f}\t{l2.item():.4f}\t{val:.4f}")
    log = tmp_path / "nights.tsv"
    log.write_text("\n".join(lines) + "\n")
    return log


@pytest.mark.parametrize(("lam", "share"), [(0.1, True), (1e-6, False)])
def test_a_penalty_logged_beside_the_data_loss(tmp_path: Path, lam: float, share: bool) -> None:
    """Set 224's caravanserai MLP logs its hand-written L2 term (0.1 × Σw²) as a column of its
    own beside the MSE: a loss below its penalty is no total, so the total is their sum, and
    nine tenths of its fall is the penalty shrinking. At 1e-6 the penalty never outweighs
    the data term and nothing is read."""
    found = values_of(check_findings(probe_curves(Inputs(logs=(_hand_l2_run(tmp_path, lam),)),
                                                  ProbeContext()), "log.curves"))
    if share:
        assert found["loss.penalty_fall_share"] >= 0.9
        assert found["loss.fall_is_penalty"] is False  # the data term fell a little too
    else:
        assert "loss.penalty_fall_share" not in found
        assert "loss.fall_is_penalty" not in found


_EPOCHS = """import torch
from torch import nn


def build():
    return nn.Linear(4, 2)


def main(x, y, model, opt, g):
    {before}
    for epoch in range(5):
        {draw}
        for i in range(0, 256, 32):
            {cut}
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
"""


@pytest.mark.parametrize(("before", "draw", "cut", "shuffled"), [
    # set 225's totem loop: a new permutation each epoch, batches cut from it
    ("pass", "perm = torch.randperm(256, generator=g)",
     "idx = perm[i:i + 32]; xb, yb = x[idx], y[idx]", True),
    ("pass", "perm = torch.randperm(256).tolist()",
     "xb, yb = x[perm[i:i + 32]], y[perm[i:i + 32]]", True),
    ("pass", "order = np.random.permutation(256); xs, ys = x[order], y[order]",
     "xb, yb = xs[i:i + 32], ys[i:i + 32]", True),
    # one shuffle before the epochs: every epoch reads the same order
    ("perm = torch.randperm(256)", "pass", "xb, yb = x[perm[i:i + 32]], y[perm[i:i + 32]]", None),
    # set 42's DANN: the labelled rows' order drawn only under a switch that is off
    ("pass", "src = torch.randperm(256) if SHUFFLE else torch.arange(256)",
     "xb, yb = x[src[i:i + 32]], y[src[i:i + 32]]", None),
    # no draw at all: nothing said (the order on disk may be a shuffled one)
    ("pass", "pass", "xb, yb = x[i:i + 32], y[i:i + 32]", None),
])
def test_a_hand_loop_that_reshuffles_every_epoch(tmp_path: Path, before: str, draw: str,
                                                 cut: str, shuffled: bool | None) -> None:
    model = tmp_path / "model.py"
    model.write_text(_EPOCHS.format(before=before, draw=draw, cut=cut))
    found = values_of(loader_shuffle_findings(f"{model}:build"))
    assert found.get("data.shuffled") is shuffled


def _sensors(n: int = 64, steps: int = 96, channels: int = 6) -> torch.Tensor:
    """(n, steps, channels): smooth, unlike sensor traces, stored time-major per sample."""
    g = torch.Generator().manual_seed(3)
    t = torch.linspace(0, 1, steps)[None, :, None]
    freq = 1 + 4 * torch.rand(n, 1, channels, generator=g)
    phase = 6.3 * torch.rand(n, 1, channels, generator=g)
    return torch.sin(6.3 * freq * t + phase) + 0.05 * torch.randn(n, steps, channels, generator=g)


def test_channels_viewed_from_time_major_data_are_interleaved() -> None:
    """Set 226's gamelan CNN: ``xb.view(B, 6, 96)`` on (B, 96, 6) clips. Every 'channel' then
    runs through the six instruments of one frame after another: values six apart along time
    are alike, neighbours are not. The transpose the loop meant reads nothing; nor does a
    signal with a genuine period of the channel count in one channel only (set 167's tooth
    vibration at three samples beside a feed speed held constant)."""
    x = _sensors()
    viewed = channel_order_finding(x.reshape(64, 6, 96))
    assert viewed is not None and viewed.value is True
    assert channel_order_finding(x.transpose(1, 2).contiguous()) is None
    g = torch.Generator().manual_seed(4)
    t = torch.arange(128.0)
    tooth = torch.sin(2 * math.pi * t / 3)[None].expand(64, 128)
    slow = torch.sin(2 * math.pi * t / 40 + 6.3 * torch.rand(64, 1, generator=g))
    feed = torch.rand(64, 1, generator=g).expand(64, 128)
    noise = 0.15 * torch.randn(64, 3, 128, generator=g)
    periodic = torch.stack([slow + 0.6 * tooth, 0.6 * tooth + slow.flip(1), feed], 1) + noise
    assert channel_order_finding(periodic) is None


def test_a_whole_reading_its_own_numbers_rule_out_leaves_the_pieces_heard() -> None:
    """Set 226's gamelan complaint, its first clauses: read whole it is "accuracy at chance",
    which its own 0.79 rules out; the stalled loss of its first piece must still be heard."""
    said = "前 48 步训练损失一直在 1.10 左右不动，8 个 epoch 之后验证准确率也只有 0.79"
    assert "loss_flat" in _read(said)
    assert "acc_chance" not in _read(said)


@pytest.mark.parametrize(("warmup", "climb", "grows"), [(33.7, 0.3, True), (33.7, 0.0, False),
                                                        (2.0, 0.3, True)])
def test_step_time_that_climbs_each_epoch_after_a_slow_first_step(
        tmp_path: Path, warmup: float, climb: float, grows: bool) -> None:
    """Set 225's whaling-voyage LSTM logs chunk_ms per chunk: 2 ms rising to 15 ms in each
    of six epochs, back at the next — but the very first chunk took 33.7 ms (warm-up), more
    than that epoch's last. An epoch's ends are the medians of its first and last eighths."""
    g = torch.Generator().manual_seed(5)
    rows = ["epoch,chunk,bce,chunk_ms"]
    for epoch in range(1, 7):
        for chunk in range(1, 41):
            ms = 2.0 + climb * chunk + 0.3 * float(torch.rand(1, generator=g))
            if epoch == 1 and chunk == 1:
                ms = warmup
            rows.append(f"{epoch},{chunk},{0.7 / (epoch + chunk / 40):.4f},{ms:.1f}")
    log = tmp_path / "voyage_chunks.csv"
    log.write_text("\n".join(rows) + "\n")
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["runtime.step_time_grows"] is grows



def test_a_seed_column_of_a_seed_search_is_its_trials(tmp_path: Path) -> None:
    """Set 230's haiku shortlist picks the best of 12 seeds from one TSV (seed, epoch,
    train_bce, val_bce, val_acc): each seed is a run of its own, not epochs that repeat
    (they read as a loss pattern repeating each epoch — unshuffled data 0.75). A seed column
    holding one seed is that run."""
    rows = ["seed\tepoch\ttrain_bce\tval_bce\tval_acc"]
    for seed in range(12):
        for epoch in range(1, 13):
            rows.append(f"{seed}\t{epoch}\t{0.6 / epoch ** 0.3:.4f}\t{0.55 / epoch ** 0.2:.4f}"
                        f"\t{0.7 + 0.01 * ((seed * 7) % 12) + 0.002 * epoch:.4f}")
    log = tmp_path / "seed_search.tsv"
    log.write_text("\n".join(rows) + "\n")
    metrics = read_log(log)
    assert metrics.trials == 12
    assert len(metrics.series["val_acc"].values) == 12  # one seed's epochs
    one = tmp_path / "one_seed.tsv"
    one.write_text("\n".join(r for r in rows if r.startswith(("seed", "3\t"))) + "\n")
    assert read_log(one).trials is None
