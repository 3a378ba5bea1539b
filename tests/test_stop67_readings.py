"""Readings added at stop 67 from unseen hand sets (224–226 and the misses left from 223)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms, split_questions
from dldoctor.kb import BUILTIN_KB
from dldoctor.probes.logs import read_log
from tests.support import forkcli

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
