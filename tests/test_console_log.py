"""The printed output of a training loop, read as its log: real tiny runs print the way
people's loops print (plain f-strings, Keras lines, the HF Trainer's dictionaries, a
progress bar), and ``diagnose --log`` on that text reaches the same curves a CSV would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.logs import read_log

X = torch.randn(256, 10, generator=torch.Generator().manual_seed(0))
Y = (X[:, :3].sum(1) > 0).long()


def _train(lr: float, epochs: int = 12) -> list[tuple[int, int, float, float, float]]:
    """(epoch, step, train loss, val loss, val accuracy) of a tiny real run."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    rows, step = [], 0
    for epoch in range(epochs):
        for i in range(0, 192, 32):
            loss = nn.functional.cross_entropy(model(X[i:i + 32]), Y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        with torch.no_grad():
            out = model(X[192:])
            val = nn.functional.cross_entropy(out, Y[192:]).item()
            acc = (out.argmax(1) == Y[192:]).float().mean().item()
        rows.append((epoch + 1, step, loss.item(), val, acc))
    return rows


def _plain(rows: list[tuple[int, int, float, float, float]]) -> str:
    lines = ["Using device: cpu", "Model: Sequential(...) 418 parameters"]
    lines += [f"Epoch {e}/{len(rows)}, Step {s}, Loss: {t:.4f}, Val Loss: {v:.4f}, "
              f"Val Acc: {a * 100:.1f}%" for e, s, t, v, a in rows]
    return "\n".join(lines) + "\n"


def _keras(rows: list[tuple[int, int, float, float, float]]) -> str:
    return "".join(f"Epoch {e}/{len(rows)}\n6/6 [==============================] - 0s 2ms/step"
                   f" - loss: {t:.4f} - val_loss: {v:.4f} - val_accuracy: {a:.4f}\n"
                   for e, _, t, v, a in rows)


def _hf(rows: list[tuple[int, int, float, float, float]]) -> str:
    return "".join(f"{{'loss': {t:.4f}, 'grad_norm': 1.0, 'learning_rate': 0.1, 'epoch': {e}.0}}"
                   f"\n{{'eval_loss': {v:.4f}, 'eval_accuracy': {a:.4f}, 'epoch': {e}.0}}\n"
                   for e, _, t, v, a in rows)


def _bar(rows: list[tuple[int, int, float, float, float]]) -> str:
    return "".join(f"\rEpoch {e - 1}: {p}%|#####| {p}/100 [00:01<00:00, 20.1it/s, v_num=0, "
                   f"train_loss={t:.3f}]" for e, _, t, _, _ in rows for p in (50, 100)) + "\n"


@pytest.mark.parametrize("printer", [_plain, _keras, _hf, _bar])
def test_printed_output_reads_as_the_log_it_printed(tmp_path: Path, printer) -> None:
    rows = _train(lr=0.1)
    path = tmp_path / "train_output.txt"
    path.write_text(printer(rows), encoding="utf-8")
    series = read_log(path).series
    loss = series["loss"].values
    assert loss[0] == pytest.approx(rows[0][2], abs=1e-3)
    assert loss[-1] == pytest.approx(rows[-1][2], abs=1e-3)
    if printer is not _bar:
        assert series["val_loss"].values[-1] == pytest.approx(rows[-1][3], abs=1e-3)
        assert series["val_acc"].values[-1] == pytest.approx(rows[-1][4], abs=1e-3)


def test_text_that_is_no_training_output_is_still_refused(tmp_path: Path, cli) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Meeting notes\nloss of data in step 3 was bad\nTODO: fix\n", "utf-8")
    out = cli.run(["diagnose", "--log", str(path), "--no-input"], cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "notes.txt" in out.stderr and "Traceback" not in out.stderr


def test_a_diverging_run_is_diagnosed_from_what_it_printed(tmp_path: Path, cli) -> None:
    """SGD at lr 30 prints losses of 5e8, 5e19 … then nan. Its validation loss printed 24×
    the training one at the first evaluation, which had read as a data shift at 0.67: a run
    that blew up compares no validation gap."""
    rows = _train(lr=30.0)
    (tmp_path / "out.log").write_text(_plain(rows), encoding="utf-8")
    out = cli.run(["diagnose", "--log", "out.log", "--format", "json", "--no-input"],
                  cwd=tmp_path)
    report = json.loads(out.stdout)
    found = {f["fact"]: f["value"] for f in report["findings"]}
    assert found["loss.non_finite"] is True and found["log.has_validation"] is True
    assert found["train_val.gap_over_initial"] is None  # unknown, not a 3286 % gap
    causes = [d["cause"] for d in report["diagnoses"]]
    assert causes[0] == "lr_too_high" and "distribution_shift" not in causes
