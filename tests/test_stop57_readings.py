"""Readings the hundred-thirteenth to hundred-thirty-third hand sets asked for at stop 57, on
real files: per-layer gradient norms a training loop logs beside its loss (a deep sigmoid stack
under plain SGD logs a first layer starved of gradient; a shallow ReLU net logs balanced ones)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.base import Finding, Inputs, ProbeContext
from dldoctor.probes.layer_grads import first_and_last, layer_position
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of


def _train(folder: Path, depth: int, activation: type[nn.Module], std: float) -> Path:
    """Train a classifier with plain SGD, logging each epoch's loss and the first and last
    layers' gradient norms the way a person checking for vanishing gradients does."""
    torch.manual_seed(0)
    width = 32
    layers: list[nn.Module] = []
    for i in range(depth):
        layers += [nn.Linear(8 if i == 0 else width, width), activation()]
    layers.append(nn.Linear(width, 3))
    model = nn.Sequential(*layers)
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, std)
            nn.init.zeros_(m.bias)
    x = torch.randn(256, 8)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    folder.mkdir()
    with (folder / "train.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["epoch", "loss", "GradNormFirst", "GradNormLast"])
        for epoch in range(12):
            total = 0.0
            for i in range(0, 256, 32):
                optimizer.zero_grad()
                loss = nn.functional.cross_entropy(model(x[i:i + 32]), y[i:i + 32])
                loss.backward()
                first = model[0].weight.grad.norm().item()
                last = model[len(model) - 1].weight.grad.norm().item()
                optimizer.step()
                total += loss.item()
            writer.writerow([epoch, total / 8, f"{first:.3e}", f"{last:.3e}"])
    return folder / "train.csv"


def _ratio(log: Path) -> float:
    found = check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()), "log.curves")
    return values_of(found)["grad.logged_first_over_last"]


def test_a_deep_sigmoid_stack_logs_a_starved_first_layer(tmp_path: Path) -> None:
    starved = _ratio(_train(tmp_path / "deep", 10, nn.Sigmoid, 0.05))
    balanced = _ratio(_train(tmp_path / "shallow", 2, nn.ReLU, 0.2))
    assert 0 < starved < 1e-3
    assert 0.01 <= balanced <= 100


def test_the_logged_ratio_leads_the_diagnosis_from_the_log_alone(tmp_path: Path) -> None:
    """From the log alone, the starved first layer makes vanishing gradients the first fault
    (it had been "plain SGD is slow" before the columns were read); balanced norms weigh
    against it."""
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    def ranked(log: Path) -> dict[str, float]:
        session = Session(load_knowledge(), Inputs(logs=(log,)))
        session.run_probes()
        return {d.cause: d.confidence for d in session.report().diagnoses}

    deep = ranked(_train(tmp_path / "deep", 10, nn.Sigmoid, 0.05))
    shallow = ranked(_train(tmp_path / "shallow", 2, nn.ReLU, 0.2))
    assert max(deep, key=deep.__getitem__) == "vanishing_gradients"
    assert deep["vanishing_gradients"] >= 0.5
    assert shallow.get("vanishing_gradients", 0.0) < 0.2


@pytest.mark.parametrize(("columns", "expected"), [
    (["GradNormFirst", "GradNormLast"], ("GradNormFirst", "GradNormLast")),
    (["gradnorm_layer1", "gradnorm_out"], ("gradnorm_layer1", "gradnorm_out")),
    (["grad_first_layer", "grad_last_layer"], ("grad_first_layer", "grad_last_layer")),
    # Lightning's grad_norm(): one column per parameter and a total; weights before biases
    (["grad_2.0_norm/net.0.weight", "grad_2.0_norm/net.0.bias", "grad_2.0_norm/net.4.weight",
      "grad_2.0_norm/net.4.bias", "grad_2.0_norm_total"],
     ("grad_2.0_norm/net.0.weight", "grad_2.0_norm/net.4.weight")),
    (["grad_norm", "grad_norm_clipped"], None),  # a total and clipping's record: no layers
    (["gradnorm_layer1", "gradnorm_layer1_bis"], None),  # no one last layer
])
def test_layer_gradient_columns(columns: list[str], expected: tuple[str, str] | None) -> None:
    assert first_and_last(columns) == expected


def test_metrics_named_like_gradients_are_not_layers() -> None:
    for column in ("grad_norm", "train/grad_norm", "grad_norm_step", "val_loss", "gradient_acc"):
        assert layer_position(column) is None, column


def _tabular_run(folder: Path, standardise: bool, optimizer: str = "sgd") -> Path:
    """An MLP on three sensor readings in their natural units (pascals, a fraction, kelvin),
    trained for a few epochs; the checkpoint holds the model and its optimizer."""
    torch.manual_seed(1)
    n = 512
    pressure = 2e5 + 3e4 * torch.randn(n)
    share = torch.rand(n)
    kelvin = 290 + 10 * torch.randn(n)
    x = torch.stack([pressure, share, kelvin], 1)
    y = ((pressure - 2e5) / 3e4 + 2 * (share - 0.5) > 0).long()
    if standardise:
        x = (x - x.mean(0)) / x.std(0)
    model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9) if optimizer == "sgd" \
        else torch.optim.Adam(model.parameters(), lr=1e-3)
    folder.mkdir()
    with (folder / "log.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["epoch", "batch_loss_mean", "val_acc"])
        for epoch in range(6):
            losses = []
            for i in range(0, n, 32):
                opt.zero_grad()
                loss = nn.functional.cross_entropy(model(x[i:i + 32]), y[i:i + 32])
                loss.backward()
                opt.step()
                losses.append(loss.item())
            with torch.no_grad():
                acc = (model(x).argmax(1) == y).float().mean().item()
            writer.writerow([epoch, sum(losses) / len(losses), acc])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, folder / "ckpt.pt")
    return folder


def _spread(run: Path) -> float | None:
    from dldoctor.probes.static_probes import probe_weights

    found = check_findings(probe_weights(Inputs(checkpoint=run / "ckpt.pt"), ProbeContext()),
                           "checkpoint.weights")
    return values_of(found).get("weights.first_layer_column_spread")


def test_raw_units_under_sgd_leave_the_first_layers_columns_orders_apart(tmp_path: Path) -> None:
    raw = _spread(_tabular_run(tmp_path / "raw", standardise=False))
    scaled = _spread(_tabular_run(tmp_path / "scaled", standardise=True))
    adam = _spread(_tabular_run(tmp_path / "adam", standardise=False, optimizer="adam"))
    assert raw is not None and raw >= 1000
    assert scaled is not None and scaled < 20
    # Adam's per-parameter step hides the scale: its columns stay alike (the optimizer's
    # moments tell that run instead, as input.rms_from_optimizer)
    assert adam is not None and adam < 20


def test_the_column_spread_names_the_unscaled_inputs_from_checkpoint_and_log(
        tmp_path: Path) -> None:
    """From the checkpoint and its log alone (a per-epoch batch_loss_mean, read as the
    training loss), the raw-unit SGD run that blew up is unnormalised inputs, not bad init."""
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    run = _tabular_run(tmp_path / "raw", standardise=False)
    session = Session(load_knowledge(), Inputs(checkpoint=run / "ckpt.pt",
                                               logs=(run / "log.csv",)))
    session.run_probes()
    ranked = {d.cause: d.confidence for d in session.report().diagnoses if d.kind != "note"}
    assert max(ranked, key=ranked.__getitem__) == "input_not_normalized"
    assert ranked.get("bad_weight_init", 0.0) < 0.5


def _scanned(tmp_path: Path, source: str, scan: Callable[[str], list[Finding]]) -> list[object]:
    """The values a source scan reads from ``source`` saved as a training script."""
    path = tmp_path / "train.py"
    path.write_text(source)
    return [f.value for f in scan(f"{path}:build")]


_LOOP = '''import torch


def build():
    return torch.nn.GRU(4, 8, batch_first=True)


if __name__ == "__main__":
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=8.0)
    for x in [torch.randn(2, 200, 4)] * 3:
        opt.zero_grad()
        out, _ = model(x)
        out.pow(2).mean().backward()
        {clip}opt.step()
'''

_HF = '''from transformers import Trainer, TrainingArguments


def build():
    return None


if __name__ == "__main__":
    args = TrainingArguments("out", learning_rate=5e-5{extra})
    Trainer(model=build(), args=args).train()
'''

_LIGHTNING = '''import lightning as L


def build():
    return None


if __name__ == "__main__":
    L.Trainer(max_epochs=3{extra}).fit(build())
'''


@pytest.mark.parametrize(("source", "expected"), [
    (_LOOP.replace("{clip}", ""), [False]),
    (_LOOP.replace("{clip}", "torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)\n"
                             "        "), [True]),
    (_HF.replace("{extra}", ""), [True]),  # TrainingArguments clips at 1.0 by default
    (_HF.replace("{extra}", ", max_grad_norm=0.0"), [False]),
    (_LIGHTNING.replace("{extra}", ""), [False]),
    (_LIGHTNING.replace("{extra}", ", gradient_clip_val=1.0"), [True]),
    ("import torch\n\n\ndef build():\n    return torch.nn.Linear(2, 2)\n", []),  # no loop here
])
def test_the_model_files_training_code_says_whether_it_clips(
        tmp_path: Path, source: str, expected: list[bool]) -> None:
    from dldoctor.probes.source_scan import grad_clipping_findings

    assert _scanned(tmp_path, source, grad_clipping_findings) == expected


_SAMPLER = '''import torch


class GenusBatchSampler(torch.utils.data.Sampler):
    def __init__(self, labels, size):
        self.labels, self.size = labels, size

    def __iter__(self):
        for genus in self.labels.unique():
            rows = (self.labels == genus).nonzero().flatten().tolist()
            for i in range(0, len(rows), self.size):
                yield rows[i:i + self.size]


def build():
    return torch.nn.Linear(4, 3)


if __name__ == "__main__":
    x, y = torch.randn(90, 4), torch.arange(90) % 3
    data = torch.utils.data.TensorDataset(x, y)
    {loader}
'''


@pytest.mark.parametrize(("loader", "expected"), [
    ("loader = torch.utils.data.DataLoader(data, batch_sampler=GenusBatchSampler(y, 16))",
     [True]),
    ("sampler = GenusBatchSampler(y, 16)\n"
     "    loader = torch.utils.data.DataLoader(data, batch_sampler=sampler)", [True]),
    # the class defined but the loader built with torch's own shuffling: not what draws batches
    ("loader = torch.utils.data.DataLoader(data, batch_size=16, shuffle=True)", []),
])
def test_a_sampler_class_of_the_scripts_own_is_what_composes_its_batches(
        tmp_path: Path, loader: str, expected: list[bool]) -> None:
    from dldoctor.probes.source_scan import own_sampler_findings

    source = _SAMPLER.replace("{loader}", loader)
    assert _scanned(tmp_path, source, own_sampler_findings) == expected


def test_labels_beyond_the_heads_outputs_are_read_from_the_batch() -> None:
    from dldoctor.probes.live_forward import _labels_beyond_the_head

    scores = torch.zeros(6, 4)
    found = _labels_beyond_the_head(torch.tensor([0, 1, 2, 3, 4, 4]), scores)
    assert [f.value for f in found] == [True] and "2 of the batch's 6" in str(found[0].evidence)
    # in range, negative padding labels (-100, or -1 with ignore_index=-1), float targets:
    # nothing (never "in range")
    assert _labels_beyond_the_head(torch.tensor([0, 1, 2, 3, 3, 0]), scores) == []
    assert _labels_beyond_the_head(torch.tensor([0, 1, -100, 3, 3, 0]), scores) == []
    assert _labels_beyond_the_head(torch.tensor([0, -1, -1, 3, 3, 0]), scores) == []
    assert _labels_beyond_the_head(torch.rand(6), scores) == []
    # a token tagger: (N, T, K) scores against (N, T) labels
    tagged = _labels_beyond_the_head(torch.tensor([[0, 1, 9], [2, -100, 1]]), torch.zeros(2, 3, 5))
    assert [f.value for f in tagged] == [True]


_SWAP = '''import torch
from torch import nn


def build():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))


if __name__ == "__main__":
    model = build()
    {first}
    for step in range(3):
        opt.zero_grad()
        model(torch.randn(2, 4)).sum().backward()
        opt.step()
'''


@pytest.mark.parametrize(("first", "expected"), [
    # the head swapped in after the optimizer: the optimizer holds the old head's tensors
    ("opt = torch.optim.Adam(model.parameters())\n    model[2] = nn.Linear(8, 3)", []),
    ("opt = torch.optim.Adam(model.parameters())\n    model.head = nn.Linear(8, 3)", [True]),
    ("model.head = nn.Linear(8, 3)\n    opt = torch.optim.Adam(model.parameters())", []),
])
def test_a_module_assigned_after_the_optimizer_is_built_is_not_in_it(
        tmp_path: Path, first: str, expected: list[bool]) -> None:
    """An attribute assignment of a newly built module to the model between the optimizer's
    construction and its steps; an item assignment (model[2] = …) is not read."""
    from dldoctor.probes.source_scan import replaced_after_optimizer_findings

    source = _SWAP.replace("{first}", first)
    assert _scanned(tmp_path, source, replaced_after_optimizer_findings) == expected


_HAND_LOSS = '''import torch
import torch.nn.functional as F
from torch import nn


def build():
    return nn.Linear(4, 3)


if __name__ == "__main__":
    model = build()
    nll = nn.NLLLoss()
    x, y = torch.randn(8, 4), torch.arange(8) % 3
    {loss}
'''


@pytest.mark.parametrize(("loss", "expected"), [
    ("loss = nll(torch.log(F.softmax(model(x), dim=0) + 1e-8), y)", [True]),
    ("probs = F.softmax(model(x), 0)\n    loss = nll(torch.log(probs), y)", [True]),
    ("loss = F.nll_loss(model(x).log_softmax(dim=0), y)", [True]),
    ("loss = nll(torch.log(F.softmax(model(x), dim=1) + 1e-8), y)", []),
    # one state's action scores: a softmax over axis 0 that feeds no class loss
    ("p = F.softmax(model(x[0]), dim=0)\n    loss = -torch.log(p[y[0]])", []),
])
def test_a_softmax_over_the_batch_fed_to_the_loss_is_read_from_the_script(
        tmp_path: Path, loss: str, expected: list[bool]) -> None:
    from dldoctor.probes.source_scan import batch_softmax_loss_findings

    source = _HAND_LOSS.replace("{loss}", loss)
    assert _scanned(tmp_path, source, batch_softmax_loss_findings) == expected


def test_a_pasted_error_ends_where_the_persons_own_sentence_starts() -> None:
    """The hundred-thirty-fourth set's dairy run pasted "IndexError: Target 4 is out of
    bounds." between sentences of its own; the message had swallowed the next one and the
    complaint read as nothing. A message's own later sentences stay with it."""
    from dldoctor.engine.symptoms import match_symptoms

    said = ("Training looked fine, loss from 1.36 down to 0.34, but then: IndexError: Target 4 "
            "is out of bounds. Only herd_cnn_ep1.pt and herd_cnn_ep2.pt got written. The "
            "validation set now includes the export from our second farm.")
    from dldoctor.kbpaths import load_knowledge

    assert "target_out_of_bounds" in {m.symptom for m in match_symptoms(load_knowledge(), said)}


_EPOCH_CLEAR = '''import torch


def build():
    return torch.nn.Linear(4, 1)


def run_epoch(model, opt, batches):
    for x, y in batches:
        loss = torch.nn.functional.mse_loss(model(x).squeeze(1), y)
        loss.backward()
        opt.step()


if __name__ == "__main__":
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    batches = [(torch.randn(8, 4), torch.randn(8)) for _ in range(4)]
    for epoch in range(3):
        {clear}run_epoch(model, opt, batches)
'''


@pytest.mark.parametrize(("source", "expected"), [
    # zero_grad() left in the epoch loop when the batch loop moved into a function
    (_EPOCH_CLEAR.replace("{clear}", "opt.zero_grad()\n        "), [True]),
    # cleared in the batch loop: nothing; never cleared at all is the other reading
    (_EPOCH_CLEAR.replace("{clear}", "").replace("        opt.step()",
                                                 "        opt.step()\n        opt.zero_grad()"),
     []),
    (_EPOCH_CLEAR.replace("{clear}", ""), []),
])
def test_gradients_cleared_only_outside_the_loop_that_steps(
        tmp_path: Path, source: str, expected: list[bool]) -> None:
    from dldoctor.probes.source_scan import zero_grad_outside_loop_findings

    assert _scanned(tmp_path, source, zero_grad_outside_loop_findings) == expected
