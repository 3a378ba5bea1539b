"""Readings the ninety-seventh hand set asked for at stop 53, each on real files: a softmax
head's output bias counts the labels a batch mixed (a YouTube-DNN whose rows came grouped by the
next video, 400 outputs on 64 hidden units, went unread because only narrowing heads were
looked at), and a forecaster's windows in order whose targets follow none of them (windows with
a dropout removed, the targets only cut to the same length)."""

from __future__ import annotations

import json
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from dldoctor.probes.window_targets import window_target_findings
from tests.support import check_findings, values_of, write_csv_log
from tests.support.forkcli import run

_FACTORY = '''
import torch
from torch import nn


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 40))
'''

CLASSES, SAMPLES, BATCH = 40, 2560, 64


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    """40 classes, each a Gaussian blob in 8 dimensions (64 samples a class)."""
    g = torch.Generator().manual_seed(0)
    y = torch.arange(SAMPLES) % CLASSES
    centres = torch.randn(CLASSES, 8, generator=g) * 1.5
    return centres[y] + torch.randn(SAMPLES, 8, generator=g), y


def _train(folder: Path, grouped: bool, head: str = "softmax", epochs: int = 3,
           clear_per_epoch: bool = False) -> dict[str, Path]:
    """The blob classifier trained with Adam 3e-3 on batches of 64, the rows in random order
    or grouped by label (``sorted`` with ``shuffle=False``); ``head="sigmoid"`` trains the
    same net with BCE on one-hot targets instead; ``clear_per_epoch`` moves ``zero_grad()``
    above the batch loop."""
    folder.mkdir(parents=True, exist_ok=True)
    factory = folder / "model.py"
    factory.write_text(_FACTORY)
    namespace: dict[str, object] = {}
    exec(compile(_FACTORY, str(factory), "exec"), namespace)
    model: nn.Module = namespace["build"]()  # type: ignore[operator]
    x, y = _data()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(1)
    rows: dict[str, list[float | None]] = {"epoch": [], "train_loss": [], "val_loss": []}
    for epoch in range(epochs):
        order = torch.argsort(y, stable=True) if grouped else torch.randperm(SAMPLES, generator=g)
        total = 0.0
        if clear_per_epoch:
            optimizer.zero_grad()
        for start in range(0, SAMPLES, BATCH):
            index = order[start:start + BATCH]
            out = model(x[index])
            loss = F.cross_entropy(out, y[index]) if head == "softmax" else \
                F.binary_cross_entropy_with_logits(out, F.one_hot(y[index], CLASSES).float())
            if not clear_per_epoch:
                optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * len(index)
        with torch.no_grad():
            val = F.cross_entropy(model(x[:512]), y[:512])
        rows["epoch"].append(epoch)
        rows["train_loss"].append(total / SAMPLES)
        rows["val_loss"].append(float(val))
    log = write_csv_log(folder / "log.csv", rows)
    checkpoint = folder / "ckpt.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint)
    batch = folder / "batch.pt"
    pick = torch.randperm(SAMPLES, generator=g)[:BATCH]
    torch.save((x[pick].clone(), y[pick].clone()), batch)
    return {"checkpoint": checkpoint, "log": log, "model": factory, "batch": batch}


def _optimizer_facts(files: dict[str, Path]) -> dict[str, object]:
    inputs = Inputs(checkpoint=files["checkpoint"], batch=files["batch"])
    return values_of(check_findings(probe_optimizer(inputs, ProbeContext())))


def test_a_softmax_head_counts_the_labels_its_batches_mixed(tmp_path: Path) -> None:
    shuffled = _optimizer_facts(_train(tmp_path / "shuffled", grouped=False))
    grouped = _optimizer_facts(_train(tmp_path / "grouped", grouped=True))
    # 40 outputs on 16 hidden units: a widening head, recognised by its first moment's sum
    assert shuffled["optimizer.head_bias_labels_share"] >= 0.5
    assert grouped["optimizer.head_bias_labels_share"] <= 0.1
    # 64 samples a class: each batch held one or two labels
    assert 1 <= grouped["optimizer.head_bias_labels_per_batch"] <= 3


def test_a_sigmoid_head_has_no_label_count(tmp_path: Path) -> None:
    found = _optimizer_facts(_train(tmp_path / "bce", grouped=False, head="sigmoid"))
    assert "optimizer.head_bias_labels_per_batch" not in found
    assert "optimizer.head_bias_labels_share" not in found


def _diagnose(files: dict[str, Path]) -> tuple[list[str], dict[str, object]]:
    done = run(["dldoctor", "diagnose", "--no-input", "--format", "json",
                "--checkpoint", str(files["checkpoint"]), "--log", str(files["log"]),
                "--model", f"{files['model']}:build", "--batch", str(files["batch"])],
               capture_output=True, text=True)
    report = json.loads(done.stdout)
    causes = [d["cause"] for d in report["diagnoses"] if d.get("kind") != "note"
              and d["confidence"] >= 0.5]
    return causes, {f["fact"]: f["value"] for f in report["findings"]}


def test_rows_grouped_by_label_read_as_data_not_shuffled(tmp_path: Path) -> None:
    causes, _ = _diagnose(_train(tmp_path, grouped=True))
    assert causes[0] in ("data_not_shuffled", "batch_single_class")
    assert {"data_not_shuffled", "batch_single_class"} & set(causes[:2]) == \
        {"data_not_shuffled", "batch_single_class"} & set(causes)


def test_gradients_cleared_once_an_epoch_pile_up_in_the_optimizer(tmp_path: Path) -> None:
    causes, found = _diagnose(_train(tmp_path, grouped=False, clear_per_epoch=True))
    # Adam's m̂ holds a sum of many batches' gradients, not an average of them
    assert found["optimizer.memory_over_gradient"] > 4
    assert causes[:1] == ["missing_zero_grad"]


def _series(steps: int = 600) -> torch.Tensor:
    """Three sensors with a daily profile and noise: (steps, 3)."""
    g = torch.Generator().manual_seed(0)
    t = torch.arange(steps).float()
    day = torch.sin(2 * torch.pi * t / 96)[:, None] * torch.tensor([1.0, 0.8, 1.2])
    return day + 0.1 * torch.randn(steps, 3, generator=g)


def _windows(series: torch.Tensor, width: int = 12) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.stack([series[i:i + width] for i in range(len(series) - width)])
    return x, series[width:]


def test_windows_in_order_with_their_next_values_are_paired() -> None:
    x, y = _windows(_series())
    found = window_target_findings(x[100:164], y[100:164])
    assert values_of(check_findings(found)) == {"data.targets_in_series": True}
    assert found[0].details["horizon"] == 1


def test_windows_filtered_without_their_targets_lose_the_pairing() -> None:
    x, y = _windows(_series())
    keep = torch.ones(len(x), dtype=torch.bool)
    keep[torch.arange(7, len(x), 9)] = False  # windows with a missing reading dropped...
    x = x[keep]
    y = y[:len(x)]  # ...and the targets only cut to the same length
    found = window_target_findings(x[300:364], y[300:364])
    assert values_of(check_findings(found)) == {"data.targets_in_series": False}


def test_a_shuffled_batch_or_targets_on_another_scale_say_nothing() -> None:
    x, y = _windows(_series())
    pick = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))[:64]
    assert window_target_findings(x[pick], y[pick]) == []
    steps = (y - x[:, -1])[100:164]  # the next change, not the next value
    assert window_target_findings(x[100:164], steps) == []


def test_rows_per_target_with_a_matching_target_axis_are_one_samples_streams() -> None:
    from dldoctor.probes.live_output import shape_findings
    from dldoctor.probes.models import Batch

    codes = torch.randint(0, 32, (128, 32))  # (batch × 2 codebooks, time), MusicGen's input_ids
    labels = torch.randint(0, 32, (64, 32, 2))  # (batch, time, codebooks)
    batch = Batch(codes, labels, Path("batch.pt"), unpaired=(128, 64))
    found = values_of(check_findings(shape_findings(torch.randn(128, 32, 32), batch)))
    assert found == {"batch.lengths_differ": False}
    # the same rows with targets that carry no such axis stay unpaired
    flat = Batch(codes, torch.randint(0, 32, (64, 32)), Path("batch.pt"), unpaired=(128, 64))
    assert values_of(check_findings(shape_findings(torch.randn(128, 32, 32), flat)))[
        "batch.lengths_differ"] is True


class _Hedger(nn.Module):
    """A hedging policy fed raw price paths (about 100) that derives its own features."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = nn.Linear(2, 1)

    def forward(self, paths: torch.Tensor) -> torch.Tensor:
        feats = torch.stack([torch.log(paths[:, 0] / 100.0) * 10, paths[:, -1] / paths[:, 0]], 1)
        return self.policy(feats - feats.mean(0)).squeeze(-1)


def test_features_derived_inside_the_model_are_its_own_rescaling() -> None:
    from dldoctor.probes.input_rescaled import rescaled_input_finding
    from dldoctor.probes.models import Batch

    g = torch.Generator().manual_seed(0)
    paths = 100 * torch.exp(0.01 * torch.randn(64, 31, generator=g).cumsum(1))
    found = rescaled_input_finding(_Hedger(), Batch(paths, None, Path("b.pt")),
                                   torch.device("cpu"))
    assert found is not None and found.value is False
    # a model that feeds the raw prices to its first layer rescales nothing
    raw = nn.Linear(31, 1)
    assert rescaled_input_finding(raw, Batch(paths, None, Path("b.pt")),
                                  torch.device("cpu")) is None


def test_a_single_channel_grid_alike_one_way_is_no_relabelled_picture() -> None:
    from dldoctor.probes.pixel_order import pixel_order_finding

    g = torch.Generator().manual_seed(0)
    # 40 time steps (a random walk: alike down the rows) × 20 unrelated order-book columns
    book = torch.randn(16, 1, 40, 20, generator=g).cumsum(2)
    assert pixel_order_finding(book) is None
    # three channels interleaved the same way are still read as out of order
    rgb = torch.randn(16, 3, 40, 20, generator=g).cumsum(2)
    found = pixel_order_finding(rgb)
    assert found is not None and found.value is True


def test_a_batchnorm_first_rescales_only_with_the_datas_statistics() -> None:
    from dldoctor.probes.input_rescaled import rescaled_input_finding
    from dldoctor.probes.models import Batch

    g = torch.Generator().manual_seed(0)
    raw = 2000 + 800 * torch.randn(256, 6, generator=g)  # sensor readings in raw units
    model = nn.Sequential(nn.BatchNorm1d(6), nn.Linear(6, 1))
    batch = Batch(raw, None, Path("b.pt"))
    # never trained in train mode: the running statistics are 0 and 1 and raw values pass on
    # in eval mode — but in training mode the layer measures and scales them itself: since
    # stop 83 (set 359's plough MLP left in eval mode, read as unscaled inputs at 0.79) the
    # inputs are not what to fix, and the finding says why
    untouched = rescaled_input_finding(model, batch, torch.device("cpu"))
    assert untouched is not None and untouched.value is False
    assert "never measured a batch in training mode" in str(untouched.evidence)
    model.train()
    for _ in range(50):  # the statistics a training loop leaves
        model(raw)
    found = rescaled_input_finding(model, batch, torch.device("cpu"))
    assert found is not None and found.value is False
    assert "never measured" not in str(found.evidence)  # its statistics scale them


def test_two_named_losses_without_a_total_are_no_total_and_its_parts(tmp_path: Path) -> None:
    """The ninety-eighth set's PIXOR log keeps ``cls_loss`` and ``box_loss`` and no total: the
    class loss read as the loss is no total of which the box loss is a small part."""
    from dldoctor.probes.log_probes import probe_curves

    log = write_csv_log(tmp_path / "det.csv", {
        "epoch": [1, 2, 3, 4, 5, 6], "cls_loss": [0.91, 0.80, 0.80, 0.80, 0.80, 0.80],
        "box_loss": [0.061, 0.029, 0.015, 0.010, 0.007, 0.006]})
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert "loss.parts_share" not in found


def test_split_words_shortened_to_tr_and_va_name_training_and_validation(tmp_path: Path) -> None:
    from dldoctor.probes.log_probes import probe_curves

    rising = [0.9, 0.8, 0.6, 0.57, 0.6, 0.7, 0.8, 0.95, 1.1, 1.3, 1.4, 1.5]
    log = write_csv_log(tmp_path / "wear.csv", {
        "ep": list(range(1, 13)), "loss_tr": [1.0 / (e * e) for e in range(1, 13)],
        "loss_va": rising, "acc_va": [0.7] * 12})
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["val.rising_while_train_falls"] is True
