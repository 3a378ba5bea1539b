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


def _moco_checkpoint(tmp_path: Path, copy: bool, tracked: int) -> Path:
    """A query encoder trained by SGD beside a key encoder the optimizer leaves out: a
    momentum copy of it (``copy``) or a part at its random initialisation."""
    from torch import nn

    torch.manual_seed(0)

    def encoder() -> nn.Sequential:
        return nn.Sequential(nn.Conv1d(1, 16, 5), nn.BatchNorm1d(16), nn.ReLU(),
                             nn.Conv1d(16, 16, 5), nn.BatchNorm1d(16), nn.Flatten(),
                             nn.LazyLinear(8))

    query, key = encoder(), encoder()
    query(torch.randn(4, 1, 32))
    key(torch.randn(4, 1, 32))
    optimizer = torch.optim.SGD(query.parameters(), lr=0.1, momentum=0.9)
    for _ in range(3):
        optimizer.zero_grad()
        query(torch.randn(8, 1, 32)).pow(2).mean().backward()
        optimizer.step()
    with torch.no_grad():
        for q, k in zip(query.parameters(), key.parameters(), strict=True):
            if copy:
                k.copy_(q + 0.01 * torch.randn_like(q))
        for name, buffer in query.named_buffers():
            if name.endswith("num_batches_tracked"):
                buffer.fill_(tracked)
        for name, buffer in key.named_buffers():
            if name.endswith("num_batches_tracked"):
                buffer.fill_(280)
    path = tmp_path / "moco.pt"
    torch.save({"query": query.state_dict(), "key": key.state_dict(),
                "opt": optimizer.state_dict(), "epoch": 11}, path)
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps({"step": s, "loss": 6.0 - s / 100}) + "\n"
                           for s in range(10, 290, 10)))
    return path


def test_an_ema_copy_left_out_of_the_optimizer_is_no_fault(tmp_path: Path) -> None:
    """The thirty-eighth set's DINO (teacher within 7 % of the student) and the thirty-sixth's
    MoCo read as gradient_not_flowing: the weights the optimizer leaves out point the way the
    trained ones do, so they are a running copy; a part at its random init is not."""
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.static_probes import probe_optimizer

    for copy, expected in ((True, True), (False, False)):
        path = _moco_checkpoint(tmp_path, copy, tracked=280)
        found = {f.fact: f for f in probe_optimizer(
            Inputs(checkpoint=path, logs=(tmp_path / "log.jsonl",)), ProbeContext())}
        assert found["optimizer.frozen_params"].value is True
        assert found["optimizer.frozen_are_copies"].value is expected, copy


def test_batchnorm_beside_a_momentum_copy_is_counted_by_its_least_layer(tmp_path: Path) -> None:
    """The thirty-sixth set's MoCo left in eval mode after its first validation: the query
    encoder's BatchNorm counted 24 batches in 280 steps, the key encoder's copy 288 (it runs in
    train mode every step); plain SGD keeps no step, so the log's last step counts them."""
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.static_probes import probe_optimizer

    for tracked, low in ((24, True), (280, False)):
        path = _moco_checkpoint(tmp_path, True, tracked)
        found = {f.fact: f for f in probe_optimizer(
            Inputs(checkpoint=path, logs=(tmp_path / "log.jsonl",)), ProbeContext())}
        assert (found["bn.tracked_share"].value < 0.5) is low, found["bn.tracked_share"]
