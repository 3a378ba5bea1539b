"""Readings the ninety-second and ninety-third hand sets asked for at stop 51, each on real
files: a log whose columns are written in camel case (``TrainLoss``, ``ValLoss``, ``ValQ3``)
was read as having no validation at all; a GRU's gate matrices were taken for a second head,
which left the class count, and so chance level, unknown; a validation NLL that falls far
below ln C while validation accuracy stays at chance (a log_softmax over the positions) was
read as wrong labels; and a tagger whose labels belonged to other sequences had no probe to
say that its tokens carry nothing about their labels."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.metric_names import canonical_name, normalise
from dldoctor.probes.token_labels import token_label_findings
from tests.support import check_findings, values_of, write_csv_log
from tests.support.forkcli import run


def test_camel_case_column_names_are_split_into_words() -> None:
    assert normalise("ValLoss") == "val_loss" and normalise("learningRate") == "learning_rate"
    assert canonical_name("ValLoss") == ("val_loss", 0)
    assert canonical_name("valAcc") == ("val_acc", 0)
    assert canonical_name("TrainLoss") == ("loss", 1)
    assert canonical_name("ValQ3")[0] == "val_acc"  # secondary structure's 3-state accuracy
    # names that already separate their words, and one-word abbreviations, stay as written
    assert normalise("Val PSNR (dB)") == "val_psnr_db"
    assert normalise("val_mAP") == "val_map" and normalise("mIoU") == "miou"
    assert normalise("lr-AdamW") == "lr_adamw" and normalise("LR") == "lr"


def _checkpoint(folder: Path, model: nn.Module) -> Path:
    path = folder / "model.pt"
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    return path


def _curves(checkpoint: Path, log: Path) -> dict[str, object]:
    found = probe_curves(Inputs(checkpoint=checkpoint, logs=(log,)), ProbeContext())
    return values_of(check_findings(found, "log.curves"))


class _Tagger(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.Embedding(21, 16)
        self.gru = nn.GRU(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.gru(self.emb(x))[0])


def test_a_recurrent_models_gates_are_no_second_head(tmp_path: Path) -> None:
    """The ninety-third set's Conv1d + GRU: chance level for its 8 walkers is known from
    the head, so validation accuracy at 0.125 reads as at chance."""
    torch.manual_seed(0)
    checkpoint = _checkpoint(tmp_path, _Tagger())
    log = write_csv_log(tmp_path / "log.csv", {
        "step": [40, 80, 120, 160, 200, 240],
        "loss": [3.3, 2.3, 2.2, 2.8, 2.5, 2.3],
        "val_loss": [3.4, 2.3, 2.5, 2.8, 2.4, 2.6],
        "val_acc": [0.141, 0.134, 0.122, 0.103, 0.116, 0.125]})
    assert _curves(checkpoint, log)["val.acc_at_chance"] is True


_OCR_LOG = {"Epoch": [1, 2, 3, 4, 5, 6],
            "Train NLL": [1.25, 0.96, 0.82, 0.73, 0.62, 0.58],
            "Val NLL": [1.10, 0.93, 0.87, 0.84, 0.78, 0.75]}


def test_a_validation_nll_far_below_a_guess_at_chance_accuracy(tmp_path: Path) -> None:
    torch.manual_seed(0)
    checkpoint = _checkpoint(tmp_path, nn.Sequential(nn.Linear(16, 32), nn.ReLU(),
                                                     nn.Linear(32, 11)))
    at_chance = write_csv_log(tmp_path / "ocr.csv", {
        **_OCR_LOG, "Val digit acc": [0.081, 0.056, 0.048, 0.066, 0.069, 0.066]})
    assert _curves(checkpoint, at_chance)["val.loss_low_at_chance_accuracy"] is True
    learning = write_csv_log(tmp_path / "ok.csv", {
        **_OCR_LOG, "Val digit acc": [0.55, 0.64, 0.70, 0.72, 0.75, 0.77]})
    assert _curves(checkpoint, learning)["val.loss_low_at_chance_accuracy"] is False
    report = json.loads(run(["dldoctor", "diagnose", "--no-input", "--format", "json",
                             "--checkpoint", str(checkpoint), "--log", str(at_chance)],
                            capture_output=True, text=True).stdout)
    faults = [d for d in report["diagnoses"] if d.get("kind") != "note"]
    assert faults[0]["cause"] == "softmax_wrong_dim" and faults[0]["confidence"] >= 0.5
    assert all(d["confidence"] < 0.5 for d in faults if d["cause"] == "labels_wrong")


def _fragments(n: int = 64, length: int = 64, seed: int = 0
               ) -> tuple[torch.Tensor, torch.Tensor]:
    """Residues with state propensities: each of 20 residue types leans to one of 3 states."""
    gen = torch.Generator().manual_seed(seed)
    residues = torch.randint(0, 20, (n, length), generator=gen)
    leaning = torch.randint(0, 3, (20,), generator=gen)
    noise = torch.randint(0, 3, (n, length), generator=gen)
    keep = torch.rand(n, length, generator=gen) < 0.6
    return residues, torch.where(keep, leaning[residues], noise)


def test_labels_of_other_sequences_say_nothing_of_the_tokens() -> None:
    residues, states = _fragments()
    paired = values_of(check_findings(token_label_findings(residues, states)))
    assert paired == {"batch.token_labels_independent": False}
    other = states.roll(1, dims=0)  # every chain gets its neighbour's labels
    found = values_of(check_findings(token_label_findings(residues, other)))
    assert found == {"batch.token_labels_independent": True}


def test_batches_without_a_label_per_token_are_not_read() -> None:
    residues, states = _fragments()
    assert token_label_findings(residues, states[:, 0]) == []  # one label per sequence
    assert token_label_findings(residues.float(), states) == []  # features, not tokens
    assert token_label_findings(residues[:4], states[:4]) == []  # too few positions
    ignored = torch.full_like(states, -100)
    assert token_label_findings(residues, ignored) == []  # nothing labelled
