"""What a twelfth new user (stop 29) met, each on artefacts made here.

- House prices (targets ~3000 ± 250) regressed without standardising the targets, inputs
  standardised: the cause read "Inputs not zero-centred" and its first code standardised the
  inputs that were already fine; the fix now quotes the targets' own mean and std and the
  input snippet is left out.
- "val accuracy plateaus around 92%" was read as accuracy at chance.
- "I forgot to call model.train()" / "忘了调用 zero_grad" matched nothing.
- A log with Chinese column names (步数, 训练损失, 验证准确率), also saved as GBK by Excel,
  had no known column.
- 900 samples per class made a tabular MLP "short of data" (the seed's 1000 is for images).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import torch
from torch import nn

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kb import BUILTIN_KB
from tests.support.forkcli import run

MODEL = """import torch.nn as nn
def build():
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))
"""


def _price_run(folder: Path) -> None:
    """Three epochs of an MLP on prices in thousands (targets not standardised)."""
    folder.mkdir(parents=True)
    torch.manual_seed(0)
    w = torch.randn(10, 1)
    x = torch.randn(1024, 10)
    y = 3000 + 250 * (x @ w) + 50 * torch.randn(1024, 1)
    (folder / "model.py").write_text(MODEL)
    namespace: dict = {}
    exec(MODEL, namespace)  # noqa: S102 - the test's own model source
    model: nn.Module = namespace["build"]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = []
    for epoch in range(3):
        total = 0.0
        for i in range(0, 1024, 64):
            loss = nn.functional.mse_loss(model(x[i:i + 64]), y[i:i + 64])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) / 16
        rows.append({"epoch": epoch, "train_loss": total})
    with (folder / "train.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["epoch", "train_loss"])
        writer.writeheader()
        writer.writerows(rows)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, folder / "ckpt.pt")
    torch.save((x[:64], y[:64]), folder / "batch.pt")


def test_raw_regression_targets_get_a_fix_with_their_own_numbers(tmp_path: Path) -> None:
    run_ = tmp_path / "prices"
    _price_run(run_)
    out = run(["dldoctor", "diagnose", "--checkpoint", run_ / "ckpt.pt", "--log",
               run_ / "train.csv", "--model", f"{run_ / 'model.py'}:build", "--batch",
               run_ / "batch.pt", "--format", "json", "--no-input"],
              capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    first = json.loads(out.stdout)["diagnoses"][0]
    assert first["cause"] == "input_not_normalized", first["cause"]
    fixes = first["fixes"]
    assert fixes[0].startswith("Standardise the regression targets") and "mean 29" in fixes[0]
    assert not any(f.startswith("Standardise every input feature") for f in fixes), fixes
    assert "regression targets" in first["title"]


def test_what_people_say_they_did_is_understood_and_a_high_plateau_is_not_chance() -> None:
    kb = load_kb([BUILTIN_KB])

    def named(text: str) -> list[str]:
        return [m.symptom for m in match_symptoms(kb, text, limit=3)]

    assert named("I forgot to call model.train() after validation")[:1] == \
        ["said_trained_in_eval_mode"]
    assert named("训练循环里忘了写 optimizer.zero_grad()")[:1] == ["said_grads_not_zeroed"]
    assert named("my regression targets are in the thousands and not normalised")[:1] == \
        ["said_targets_raw"]
    assert "acc_chance" not in named("val accuracy plateaus around 92%")
    assert named("accuracy stuck at 10% on ten classes")[:1] == ["acc_chance"]


def test_chinese_column_names_in_utf8_and_gbk(tmp_path: Path) -> None:
    rows = "步数,训练损失,验证准确率\n" + "".join(
        f"{i},{2.3 - 0.1 * i:.3f},{0.25 + 0.02 * i:.3f}\n" for i in range(12))
    for encoding in ("utf-8", "gbk"):
        log = tmp_path / f"log_{encoding}.csv"
        log.write_bytes(rows.encode(encoding))
        out = run(["dldoctor", "diagnose", "--log", log, "--format", "json", "--no-input"],
                  capture_output=True, text=True)
        assert out.returncode in (0, 1), out.stderr
        found = {f["fact"] for f in json.loads(out.stdout)["findings"]}
        assert {"loss.initial", "val.acc_end"} <= found, (encoding, found)
