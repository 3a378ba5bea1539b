"""Readings the thirty-sixth to thirty-ninth hand sets asked for. A Hugging Face causal LM whose
batch carries an attention mask beside unshifted labels was refused (exit 2): the checks cut
the tokens' last step to line inputs up with the next token, and fed the mask uncut. An EMA
teacher left out of the optimizer read as a cut graph; BatchNorm beside a momentum copy was
counted by the copy; next-item targets and a forward() that takes the padding mask read as a
loss over padding; a CRF's zero transitions as a zero initialisation; a cross-entropy that
had passed below the probability floor as resting on it; a score in decibels falling with the
loss went unread, and a batch the model log-transforms beside a channel it adds read as raw."""

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
    found = {f["fact"]: f for f in json.loads(out.stdout)["findings"]}
    # read, not refused: the padding (id 1) carries its own id as target; beside a mask that
    # forward() takes, a loss of the user's own may skip it (a Hugging Face model's may not)
    assert "loss.counts_padding" in found and "labels.padding_value" in found, found.keys()
    assert found["labels.padding_value"]["value"] == 1


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


def test_a_loss_that_went_below_the_probability_floor_does_not_rest_on_it() -> None:
    """The thirty-seventh set's spiking net: its validation loss (1.03) was already below
    ln(1 + 3/e) = 1.04 for 4 classes while the training loss still fell through it."""
    import numpy as np

    from dldoctor.probes.log_probes import _rests_on_floor, _softmax_floor
    from dldoctor.probes.logs import Series

    floor = _softmax_floor(4)
    train = np.array([1.4, 1.25, 1.15, 1.09, 1.06, 1.05, 1.048, 1.046])
    steps = np.arange(train.size, dtype=float)
    acc = Series("acc", "acc", Path("log.csv"), steps, np.full(train.size, 0.97))
    resting = _rests_on_floor(train * floor / 1.046, acc, 4)
    assert resting is not None and resting.value is True
    passed = _rests_on_floor(train * floor / 1.046, acc, 4, np.array([1.2, 1.1, floor * 0.98]))
    assert passed is not None and passed.value is False


def _padded_tokens() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(1, 50, (32, 12), generator=generator)
    for row in range(32):
        ids[row, 4 + row % 6:] = 0
    return ids, (ids != 0).float()


def test_next_item_targets_and_a_padding_mask_say_nothing_of_a_loss_over_padding() -> None:
    """The thirty-seventh set's GRU4Rec (targets the next click, padding 0, ignore_index=0:
    the last click's target is the padding after it) and the thirty-sixth's CRF (forward()
    takes the mask) read as a loss that averages over padding: a false alarm and a wrong
    fault. A label copied onto the padding with nothing to mask it still reads as one."""
    from dldoctor.engine.values import UNKNOWN
    from dldoctor.probes.padding import padding_findings

    ids, mask = _padded_tokens()
    shifted = torch.cat([ids[:, 1:], torch.zeros(32, 1, dtype=ids.dtype)], dim=1)
    found = {f.fact: f.value for f in padding_findings(ids, shifted)}
    assert found["loss.counts_padding"] is not True
    tags = torch.where(ids == 0, 0, ids % 5)  # tag 0 is also a real tag ("O")
    assert {f.fact: f.value for f in padding_findings(ids, tags)}["loss.counts_padding"] is True
    masked = {f.fact: f.value for f in padding_findings(ids, tags, extras=(mask,))}
    assert masked["loss.counts_padding"] is UNKNOWN


def test_a_crf_s_zero_transitions_are_no_zero_initialisation() -> None:
    from torch import nn

    from dldoctor.probes.live_structure import init_findings

    class Tagger(nn.Module):
        def __init__(self, zero_weight: bool) -> None:
            super().__init__()
            self.emit = nn.Linear(8, 5)
            self.trans = nn.Parameter(torch.zeros(5, 5))
            self.w_out = nn.Parameter(torch.zeros(8, 8) if zero_weight else torch.randn(8, 8))

    clean = {f.fact: f.value for f in init_findings(Tagger(False))}
    assert clean["init.all_zero"] is False and clean["init.symmetric_rows"] is False
    assert {f.fact: f.value for f in init_findings(Tagger(True))}["init.all_zero"] is True


def test_the_first_layer_s_adam_moments_give_the_inputs_scale(tmp_path: Path) -> None:
    """The thirty-seventh set's two-tower model fed raw profile features (RMS 45 … 19 299)
    was missed from checkpoint + log: the ratio of the first linear layer's Adam moments,
    v(weight) over v(bias), is the mean square of each input column."""
    from torch import nn

    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.static_probes import probe_optimizer

    for scale, far in ((1.0, False), (300.0, True)):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.randn(512, 6) * scale + (40.0 if far else 0.0)
        y = torch.randn(512, 1)
        for step in range(60):
            rows = slice(step % 8 * 64, step % 8 * 64 + 64)
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x[rows]), y[rows]).backward()
            optimizer.step()
        path = tmp_path / f"m{scale}.pt"
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
        found = {f.fact: f.value for f in probe_optimizer(Inputs(checkpoint=path), ProbeContext())}
        rms = found["input.rms_from_optimizer"]
        assert (rms > 8.0) is far, rms
        assert 0.3 < rms < 3.0 if not far else rms > 100.0, rms


def test_a_score_in_decibels_falling_while_the_loss_falls_is_read(tmp_path: Path) -> None:
    """The thirty-ninth set's mask network minimised its SI-SDR with the wrong sign: the
    loss fell to -74 while ``val_si_sdr_db`` fell from -47 to -74 dB, a score nobody read."""
    import numpy as np

    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.log_probes import probe_curves
    from tests.support import check_findings, values_of, write_csv_log

    steps = np.arange(40, dtype=float)
    loss = list(0.5 - 75 * (1 - np.exp(-steps / 8)))
    for sign, expected in ((-1.0, True), (1.0, False)):
        score = [sign * (47 + 27 * (1 - np.exp(-e / 2))) for e in range(8)]
        val = [score[int(s) // 5] if int(s) % 5 == 4 else float("nan") for s in steps]
        path = write_csv_log(tmp_path / "log.csv", {"step": list(steps), "si_sdr_loss": loss,
                                                    "val_si_sdr_db": val})
        found = values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()),
                                         "log.curves"))
        assert found["metric.acc_falls_while_loss_falls"] is expected


def test_inputs_the_model_transforms_beside_a_channel_it_adds_are_no_raw_scale() -> None:
    """The same mask network feeds its first conv cat([log1p(magnitude), bin position]):
    the batch's raw magnitudes (std 4.6, up to 47) are not what the weights see."""
    from torch import nn

    from dldoctor.probes.input_rescaled import rescaled_input_finding
    from dldoctor.probes.models import Batch

    class Masker(nn.Module):
        def __init__(self, log: bool) -> None:
            super().__init__()
            self.log = log
            self.conv = nn.Conv2d(2, 4, 3, padding=1)

        def forward(self, mag: torch.Tensor) -> torch.Tensor:
            freq = torch.linspace(-1, 1, mag.shape[2]).view(1, 1, -1, 1).expand_as(mag)
            return self.conv(torch.cat([torch.log1p(mag) if self.log else mag, freq], 1))

    generator = torch.Generator().manual_seed(0)
    mags = torch.rand(8, 1, 16, 12, generator=generator) ** 4 * 47
    batch = Batch(mags, None, Path("batch.pt"))
    found = rescaled_input_finding(Masker(True), batch, torch.device("cpu"))
    assert found is not None and found.value is False
    assert rescaled_input_finding(Masker(False), batch, torch.device("cpu")) is None
