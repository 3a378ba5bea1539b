"""A batch whose inputs and targets disagree in length is evidence, not bad input (third
hand set, ``vibration_lstm_time_first``): time-first windows fed to a ``batch_first`` LSTM.
The test trains the buggy loop on a tiny LSTM, saves what it fed, and runs the installed CLI.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import torch
import torch.nn.functional as F

from tests.support import forkcli

MODEL = '''
import torch
from torch import nn


class Wear(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 8, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[-1]).squeeze(-1)  # "the last time step", on the batch dim


def build():
    torch.manual_seed(0)
    return Wear()
'''

TIME, BATCH = 12, 8


def _train_time_first(folder: Path) -> tuple[Path, Path, Path]:
    """Train the bug for a few steps: windows laid out (time, batch, channels)."""
    (folder / "model.py").write_text(MODEL)
    namespace: dict = {}
    exec(compile(MODEL, "model.py", "exec"), namespace)  # the same source the CLI imports
    model = namespace["build"]()
    g = torch.Generator().manual_seed(0)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(5):
        y = torch.rand(BATCH, generator=g)
        x = torch.sin(torch.arange(TIME)[:, None, None] * (1 + y[None, :, None])) \
            + 0.1 * torch.randn(TIME, BATCH, 3, generator=g)
        loss = F.mse_loss(model(x), y)  # (BATCH,) against (BATCH,): nothing crashes
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save(model.state_dict(), folder / "last.pt")
    torch.save((x, y), folder / "batch.pt")
    return folder / "model.py", folder / "last.pt", folder / "batch.pt"


def _diagnose(*args: str) -> subprocess.CompletedProcess[str]:
    return forkcli.run(["diagnose", "--format", "json", "--no-input", *args],
                       capture_output=True, text=True, timeout=300)


def test_time_first_batch_is_measured_as_a_shape_mismatch(tmp_path: Path) -> None:
    model, checkpoint, batch = _train_time_first(tmp_path)
    proc = _diagnose("--model", f"{model}:build", "--checkpoint", str(checkpoint),
                     "--batch", str(batch))
    assert proc.returncode in (0, 1), proc.stderr[-400:]  # a diagnosis, not a refusal
    report = json.loads(proc.stdout)
    facts = {f["fact"]: f for f in report["findings"]}
    mismatch = facts["batch.shape_mismatch"]
    assert mismatch["value"] is True
    assert facts["batch.lengths_differ"]["value"] is True
    assert f"{TIME} inputs but {BATCH} targets" in mismatch["evidence"]
    assert "dimension 1 of the inputs" in mismatch["evidence"]  # where the samples are
    # checks that pair inputs with targets report unknown, and say why
    for fact in ("overfit.outcome", "grad.none_params", "lr_sweep.best_over_current"):
        assert facts[fact]["value"] is None, facts[fact]
        assert f"{TIME} inputs but {BATCH} targets" in facts[fact]["evidence"]
    assert any("cannot be paired" in note for note in report["notes"])
    assert "output.target_std_ratio" not in facts  # predictions vs targets: not pairable
    assert facts["input.non_finite"]["value"] is False  # the batch itself was still read

    x, y = torch.load(batch)  # samples first, as the LSTM reads them: the lengths pair, and
    torch.save((x.transpose(0, 1).contiguous(), y), tmp_path / "fixed.pt")  # out[-1] shows
    proc = _diagnose("--model", f"{model}:build", "--checkpoint", str(checkpoint),
                     "--batch", str(tmp_path / "fixed.pt"))
    facts = {f["fact"]: f for f in json.loads(proc.stdout)["findings"]}
    assert facts["batch.lengths_differ"]["value"] is False
    assert facts["batch.shape_mismatch"]["value"] is True  # output (T,) vs targets (B,)
    assert f"output ({TIME},) vs float targets ({BATCH},)" in \
        facts["batch.shape_mismatch"]["evidence"]


def test_an_unreadable_batch_is_still_bad_input(tmp_path: Path) -> None:
    model, checkpoint, _ = _train_time_first(tmp_path)
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not a tensor file")
    proc = _diagnose("--model", f"{model}:build", "--checkpoint", str(checkpoint),
                     "--batch", str(broken))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.pt" in lines[0] and "Traceback" not in proc.stderr
