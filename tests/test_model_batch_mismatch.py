"""A forward() that takes two tensors (words, lengths) beside a batch saved as (words, labels),
as people save it (seventh hand set: two Lightning GRU/LSTM runs were refused): the lengths
are counted from the padding and the live checks run; an argument the batch cannot supply is
still one line, exit 2, with the way out (tests/test_probes_extra_inputs.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import torch

from tests.support import forkcli

MODEL = """
import torch
from torch import nn


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 8)
        self.gru = nn.GRU(8, 8, batch_first=True)
        self.head = nn.Linear(8, 2)

    def forward(self, words, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(self.emb(words), lengths.cpu(),
                                                   batch_first=True, enforce_sorted=False)
        _, h = self.gru(packed)
        return self.head(h[-1])


def build():
    return Tagger()
"""


def test_a_two_tensor_forward_runs_on_a_batch_saved_without_its_lengths(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(MODEL)
    words = torch.randint(1, 20, (6, 5))
    words[:3, 3:] = 0  # padded
    torch.save((words, torch.randint(0, 2, (6,))), tmp_path / "b.pt")
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, "--model", f"{tmp_path / 'model.py'}:build", "--batch",
                       str(tmp_path / "b.pt"), "--no-input"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode in (0, 1), out.stderr
    assert "dldoctor: error:" not in out.stderr and "Traceback" not in out.stderr
    assert "live checks could not run" not in out.stdout
