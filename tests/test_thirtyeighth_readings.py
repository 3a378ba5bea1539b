"""Readings the thirty-eighth hand set asked for. A Hugging Face causal LM whose batch carries
an attention mask beside unshifted labels was refused (exit 2): the checks cut the tokens'
last step to line inputs up with the next token, and fed the mask uncut."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import torch

from tests.support import forkcli

MODEL = """
import types

import torch
from torch import nn


class TinyForCausalLM(nn.Module):
    # named as Hugging Face names its causal LMs, with a config: it shifts labels itself
    def __init__(self):
        super().__init__()
        self.config = types.SimpleNamespace(is_encoder_decoder=False, pad_token_id=1)
        self.emb = nn.Embedding(12, 16)
        self.pos = nn.Embedding(10, 16)
        self.head = nn.Linear(16, 12)

    def forward(self, input_ids, attention_mask):
        # position embeddings as long as the tokens: a mask of another length fails here
        steps = torch.arange(input_ids.shape[1], device=input_ids.device)
        h = self.emb(input_ids) + self.pos(steps) * attention_mask[..., None]
        return self.head(h)


def build():
    torch.manual_seed(0)
    return TinyForCausalLM()
"""


def test_a_causal_lm_batch_with_a_mask_runs_and_its_padding_is_read(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(MODEL)
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(3, 12, (16, 10), generator=generator)
    ids[:, 4:] = 1  # right-padded with id 1: 60 % of the positions
    mask = (ids != 1).long()
    torch.save({"inputs": ids, "attention_mask": mask, "targets": ids.clone()}, tmp_path / "b.pt")
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, "--model", f"{tmp_path / 'model.py'}:build", "--batch",
                       str(tmp_path / "b.pt"), "--no-input", "--format", "json"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode in (0, 1), out.stderr
    assert "dldoctor: error:" not in out.stderr and "Traceback" not in out.stderr
    found = {f["fact"]: f["value"] for f in json.loads(out.stdout)["findings"]}
    assert found.get("loss.counts_padding") is True, found.get("loss.counts_padding")
