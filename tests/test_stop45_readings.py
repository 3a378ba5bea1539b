"""Readings added at stop 45: the output bias's gradient RMS from Adam's state (batches that
hold one class push the head's bias by up to 1 at every step; mixed batches by hundredths)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import values_of


def _train(folder: Path, one_class_batches: bool) -> Path:
    """A 4-class MLP on separable blobs, Adam, 120 steps of batch 32; the batches either mix
    the classes (a shuffled loader) or each hold one class (data grouped by label)."""
    gen = torch.Generator().manual_seed(0)
    centres = 3.0 * torch.randn(4, 10, generator=gen)
    y = torch.arange(4).repeat_interleave(256)
    x = centres[y] + torch.randn(len(y), 10, generator=gen)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for step in range(120):
        if one_class_batches:
            label = int(torch.randint(0, 4, (1,), generator=gen))
            idx = 256 * label + torch.randint(0, 256, (32,), generator=gen)
        else:
            idx = torch.randint(0, len(y), (32,), generator=gen)
        loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        row = {"step": step, "loss": loss.item(), "val_loss": "", "val_acc": ""}
        if step % 20 == 19:
            with torch.no_grad():
                out = model(x)
                row["val_loss"] = nn.functional.cross_entropy(out, y).item()
                row["val_acc"] = (out.argmax(1) == y).float().mean().item()
        rows.append(row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()},
               folder / "ckpt.pt")
    with open(folder / "log.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("headbias")
    return {"one": _train(root / "one", True), "mixed": _train(root / "mixed", False)}


def _head_rms(run: Path) -> float:
    found = values_of(probe_optimizer(Inputs(checkpoint=run / "ckpt.pt"), ProbeContext()))
    return float(found["optimizer.head_bias_grad_rms"])


def test_batches_of_one_class_push_the_output_bias_hard(runs: dict[str, Path]) -> None:
    one, mixed = _head_rms(runs["one"]), _head_rms(runs["mixed"])
    assert one >= 0.2 > 0.1 > mixed
    assert one > 4 * mixed


def test_the_head_bias_reading_needs_adam_and_a_narrowing_head(tmp_path: Path) -> None:
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 16))  # widens: no head
    opt = torch.optim.Adam(model.parameters())
    for _ in range(60):
        opt.zero_grad()
        model(torch.randn(8, 4)).pow(2).mean().backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "w.pt")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "w.pt"), ProbeContext()))
    assert "optimizer.head_bias_grad_rms" not in found
    sgd = torch.optim.SGD(nn.Linear(8, 2).parameters(), lr=0.1, momentum=0.9)
    torch.save({"model": nn.Linear(8, 2).state_dict(), "optimizer": sgd.state_dict()},
               tmp_path / "s.pt")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "s.pt"), ProbeContext()))
    assert "optimizer.head_bias_grad_rms" not in found


def test_checkpoint_and_log_point_at_one_class_batches(runs: dict[str, Path]) -> None:
    """From the checkpoint and the log alone, the run fed one class per batch ranks the two
    readings of one-class batches first (unshuffled data ahead since stop 50: the usual way
    to get them, and a log without epochs cannot say whether the order repeats); the
    shuffled run has neither."""
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    def ranked(run: Path) -> dict[str, float]:
        session = Session(load_knowledge(), Inputs(checkpoint=run / "ckpt.pt",
                                                   logs=(run / "log.csv",)))
        session.run_probes()
        return {d.cause: d.confidence for d in session.report().diagnoses
                if d.kind != "note"}

    one, mixed = ranked(runs["one"]), ranked(runs["mixed"])
    assert one.get("batch_single_class", 0.0) >= 0.2
    assert set(sorted(one, key=one.__getitem__, reverse=True)[:2]) == {
        "batch_single_class", "data_not_shuffled"}
    assert mixed.get("batch_single_class", 0.0) < 0.1
    assert mixed.get("data_not_shuffled", 0.0) < 0.1


class _Tagger(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(200, 16)
        self.conv = nn.Conv1d(16, 32, 3, padding=1)
        self.head = nn.Linear(32, 2)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.head(torch.relu(self.conv(self.embed(tokens).transpose(1, 2))).mean(2))


@pytest.mark.parametrize("pretrained", [False, True])
def test_an_embedding_left_at_its_default_normal_init_counts_as_untrained(
        tmp_path: Path, pretrained: bool) -> None:
    """Embedding and convolution left out of the optimizer: still at nn.Embedding's N(0, 1)
    and the convolution's uniform init, the body never learnt (a body unfrozen but never
    handed to the optimizer); a table at a pretrained model's small scale is no such body."""
    torch.manual_seed(0)
    model = _Tagger()
    if pretrained:
        with torch.no_grad():
            model.embed.weight.normal_(0.0, 0.05)
            model.conv.weight.mul_(3.0).add_(0.01 * torch.randn_like(model.conv.weight) ** 3)
    opt = torch.optim.Adam(model.head.parameters(), lr=1e-3)
    tokens, labels = torch.randint(0, 200, (16, 12)), torch.randint(0, 2, (16,))
    for _ in range(5):
        opt.zero_grad()
        nn.functional.cross_entropy(model(tokens), labels).backward()
        opt.step()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict()}, tmp_path / "c.pt")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "c.pt"), ProbeContext()))
    assert found["optimizer.frozen_params"] is True
    assert found["optimizer.frozen_untrained"] is (not pretrained)


@pytest.mark.parametrize(("recall", "one_class"), [(0.2, True), (0.55, False)])
def test_a_macro_recall_at_one_over_k_is_one_class_predicted(
        tmp_path: Path, recall: float, one_class: bool) -> None:
    """Accuracy flat at 0.871 beside a macro recall of 1/5 (the seventy-second set's keyword
    spotter, its class weights never passed to the loss): every clip gets the background
    class, whose share the accuracy is. A macro recall well above 1/5 says nothing of it."""
    from dldoctor.probes.log_probes import probe_curves
    from tests.support import write_csv_log

    torch.save(nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 5)).state_dict(),
               tmp_path / "model.pt")
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": [float(e) for e in range(8)],
        "train_loss": [1.15, 0.63, 0.52, 0.47, 0.44, 0.41, 0.39, 0.38],
        "val_loss": [0.89, 0.59, 0.55, 0.53, 0.52, 0.52, 0.51, 0.51],
        "val_accuracy": [0.871] * 7 + [0.872],
        "val_macro_recall": [recall] * 8})
    found = values_of(probe_curves(Inputs(logs=(log,), checkpoint=tmp_path / "model.pt"),
                                   ProbeContext()))
    assert (found.get("val.acc_at_majority") is True) is one_class


@pytest.mark.parametrize("nan", [True, False])
def test_a_zero_recall_beside_a_nan_loss_says_nothing_of_the_classes(
        tmp_path: Path, nan: bool) -> None:
    """The seventy-second set's seq2point on raw watts: its loss NaN from the first epoch and
    its kettle-on F1 0 — NaN outputs predict no class at all, imbalanced or not."""
    from dldoctor.probes.log_probes import probe_curves
    from tests.support import write_csv_log

    bad = float("nan")
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": [1.0, 2.0, 3.0, 4.0],
        "train_mse": [bad] * 4 if nan else [0.9, 0.7, 0.6, 0.55],
        "val_mse": [bad] * 4 if nan else [0.8, 0.7, 0.65, 0.6],
        "val_on_f1": [0.0] * 4})
    found = values_of(probe_curves(Inputs(logs=(log,)), ProbeContext()))
    assert (found.get("val.recall_zero") is True) is (not nan)


def test_an_accuracy_that_rose_is_measured_not_falling_from_six_epochs(tmp_path: Path) -> None:
    """Six epochs are too few to call the loss's fall, but an accuracy that climbed from 0.18
    to 0.55 fell nowhere: the measurement overrules a complaint read as "accuracy gets worse
    as the loss falls" (the seventy-third set's Wide ResNet, loss_sign_error 0.48 from it)."""
    from dldoctor.probes.log_probes import probe_curves
    from tests.support import write_csv_log

    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "train_ce": [1.61, 1.54, 1.31, 1.12, 0.98, 0.89],
        "valid_ce": [1.61, 1.50, 2.24, 1.29, 1.66, 1.01],
        "valid_top1": [0.18, 0.25, 0.31, 0.47, 0.42, 0.55]})
    found = values_of(probe_curves(Inputs(logs=(log,)), ProbeContext()))
    assert found["metric.acc_falls_while_loss_falls"] is False


def test_positions_the_attention_mask_drops_are_no_unseen_tokens(tmp_path: Path) -> None:
    """A Hugging Face embedding draws its pad row at random like every other, so a padded
    position looks up a row no gradient reached; the batch's attention mask says it is
    padding (the seventy-sixth set's ModernBERT: 35 % "unseen" tokens, distribution_shift
    0.80 on a healthy run)."""
    torch.manual_seed(0)
    emb, out = nn.Embedding(12, 8), nn.Linear(8, 3)  # no padding_idx: the pad row is random
    optimizer = torch.optim.Adam([*emb.parameters(), *out.parameters()], lr=1e-2)
    x = torch.randint(1, 9, (64, 6))
    y = torch.randint(0, 3, (64,))
    for _ in range(5):
        optimizer.zero_grad()
        nn.functional.cross_entropy(out(emb(x).mean(1)), y).backward()
        optimizer.step()
    torch.save({"model": {**{f"emb.{k}": v for k, v in emb.state_dict().items()},
                          **{f"out.{k}": v for k, v in out.state_dict().items()}},
                "optimizer": optimizer.state_dict()}, tmp_path / "ckpt.pt")
    tokens = x[:8].clone()
    tokens[:, -2:] = 0  # pad id 0, never trained
    mask = (tokens != 0).long()
    torch.save({"inputs": tokens, "attention_mask": mask, "targets": y[:8]},
               tmp_path / "masked.pt")
    torch.save((tokens, y[:8]), tmp_path / "bare.pt")

    def share(batch: str) -> object:
        found = probe_optimizer(Inputs(checkpoint=tmp_path / "ckpt.pt", batch=tmp_path / batch),
                                ProbeContext())
        return values_of(found).get("batch.unseen_token_share")

    assert share("masked.pt") == 0.0
    assert share("bare.pt") == pytest.approx(2 / 6)


class _Sinc(nn.Module):
    """A sinc filter bank: learnt cut-offs, an arange time axis and a Hamming window as
    buffers (the seventy-fifth set's SincNet)."""

    def __init__(self) -> None:
        super().__init__()
        self.low = nn.Parameter(torch.rand(8))
        self.band = nn.Parameter(torch.rand(8))
        self.register_buffer("n", torch.arange(-12, 13).float())
        self.register_buffer("window", torch.hamming_window(25))
        self.head = nn.Linear(8, 3)


def test_an_arange_and_a_window_left_out_are_buffers_not_frozen_weights(tmp_path: Path) -> None:
    model = _Sinc()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    opt.zero_grad()
    (model.low.sum() + model.band.sum() + model.head(model.low).sum()).backward()
    opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "s.pt")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "s.pt"), ProbeContext()))
    assert found["optimizer.frozen_params"] is False
