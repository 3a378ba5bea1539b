"""Stop 82: output units no gradient reaches (a ReLU on the scores) read from the optimizer's
memory; a sinusoidal position table frozen by design is no frozen weight; a recall that fell
to 0 only with a NaN says nothing of the classes; a multi-label accuracy that barely moves is
no sign of learning."""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_gradients import gradient_findings, measure_gradients
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.static_probes import probe_optimizer
from dldoctor.probes.weight_scan import sinusoid_table
from tests.support import values_of
from tests.support.facts import curve_facts
from tests.support.stepruns import beliefs, save_step_run
from tests.support.writers import write_csv_log


def _train(clamp: bool, steps: int = 400) -> tuple[nn.Module, torch.optim.Optimizer]:
    """A 4-class MLP under Adam; with ``clamp`` a ReLU on its scores, the last class's score
    started far below zero so that it never fires (set 346's dray-team MLP, made small)."""
    torch.manual_seed(0)
    x = torch.randn(256, 6)
    y = x[:, :4].argmax(1)
    layers: list[nn.Module] = [nn.Linear(6, 24), nn.ReLU(), nn.Linear(24, 4)]
    model = nn.Sequential(*layers, nn.ReLU()) if clamp else nn.Sequential(*layers)
    if clamp:
        with torch.no_grad():
            model[2].bias[3] = -20.0
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for step in range(steps):
        i = torch.arange(step * 32, step * 32 + 32) % 256
        loss = nn.functional.cross_entropy(model(x[i]), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, opt


def _units_still(checkpoint: Path) -> object:
    return values_of(probe_optimizer(Inputs(checkpoint=checkpoint), ProbeContext())).get(
        "optimizer.output_units_still")


def test_an_output_unit_a_relu_clamps_gets_no_gradient_and_reads_as_an_activation(
        tmp_path: Path) -> None:
    """The clamped score's bias and weight row keep no gradient memory while the other three
    move: an activation after the last layer, not a class too rare to be predicted."""
    model, opt = _train(clamp=True)
    n = 20
    columns = {"epoch": list(range(n)), "loss": [1.2 - 0.02 * k for k in range(n)],
               "val_loss": [1.1 - 0.01 * k for k in range(n)],
               "val_acc": [0.5 + 0.005 * k for k in range(n)],
               "val_recall_last": [0.0] * n}
    checkpoint, log = save_step_run(tmp_path / "clamped", model, opt, columns)
    assert _units_still(checkpoint) is True
    found = beliefs(checkpoint, log)
    top = max(found, key=found.__getitem__)
    assert top == "activation_before_softmax" and found[top] >= 0.5, found
    assert found.get("class_imbalance", 0.0) < 0.5

    model, opt = _train(clamp=False)
    plain, _ = save_step_run(tmp_path / "plain", model, opt, {"epoch": [0, 1, 2],
                                                               "loss": [1.3, 0.9, 0.7]})
    assert _units_still(plain) is False


def _positions(n: int, d: int, interleaved: bool) -> torch.Tensor:
    """A sinusoidal position table: RoFormer's halves (sin | cos) or Vaswani's interleaving."""
    freq = 1.0 / 10000 ** (torch.arange(0, d, 2).float() / d)
    angles = torch.arange(n).float()[:, None] * freq[None]
    if interleaved:
        return torch.stack([angles.sin(), angles.cos()], dim=-1).reshape(n, d)
    return torch.cat([angles.sin(), angles.cos()], dim=-1)


class _Tagger(nn.Module):
    """Token embeddings plus a position table kept as a parameter with requires_grad=False."""

    def __init__(self, table: torch.Tensor) -> None:
        super().__init__()
        self.embed = nn.Embedding(20, table.shape[1])
        self.encoder = nn.Module()  # RoFormer's roformer.encoder.embed_positions.weight
        self.encoder.embed_positions = nn.Parameter(table.clone(), requires_grad=False)
        self.head = nn.Linear(table.shape[1], 3)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        positions = self.encoder.embed_positions[: tokens.shape[1]]
        return self.head(self.embed(tokens) + positions)


def test_a_sinusoidal_position_table_is_told_from_weights() -> None:
    assert sinusoid_table(_positions(32, 16, interleaved=False))
    assert sinusoid_table(_positions(32, 16, interleaved=True))
    assert sinusoid_table(_positions(32, 16, interleaved=True).numpy())
    torch.manual_seed(0)
    assert not sinusoid_table(torch.randn(32, 16).clamp(-1, 1))
    assert not sinusoid_table(_positions(32, 16, interleaved=False) * 0.9)
    assert not sinusoid_table(nn.Embedding(32, 16).weight)


def _frozen_facts(tmp_path: Path, table: torch.Tensor) -> tuple[object, object]:
    """(optimizer.frozen_params from the checkpoint, grad.frozen_params from one backward)
    for a tagger trained a few steps with an optimizer built from its trainable parameters."""
    torch.manual_seed(1)
    model = _Tagger(table)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    tokens, labels = torch.randint(0, 20, (8, 12)), torch.randint(0, 3, (8, 12))

    def loss_fn(m: nn.Module) -> tuple[torch.Tensor, str]:
        return nn.functional.cross_entropy(m(tokens).reshape(-1, 3), labels.reshape(-1)), "ce"

    for _ in range(3):
        opt.zero_grad()
        loss_fn(model)[0].backward()
        opt.step()
    tmp_path.mkdir(parents=True, exist_ok=True)
    checkpoint = tmp_path / "tagger.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, checkpoint)
    saved = values_of(probe_optimizer(Inputs(checkpoint=checkpoint), ProbeContext()))
    live = values_of(gradient_findings(measure_gradients(model, loss_fn)))
    return saved["optimizer.frozen_params"], live["grad.frozen_params"]


def test_a_frozen_sinusoidal_table_is_no_frozen_parameter(tmp_path: Path) -> None:
    """HF's RoFormer keeps its sinusoidal embed_positions as a parameter with
    requires_grad=False, and the Trainer hands its optimizer only what trains."""
    assert _frozen_facts(tmp_path / "sin", _positions(12, 16, interleaved=False)) == (False, False)
    torch.manual_seed(2)
    learnt = torch.randn(12, 16) * 0.02  # a learnt table someone froze by mistake
    assert _frozen_facts(tmp_path / "learnt", learnt) == (True, True)


def test_a_recall_that_fell_to_zero_with_a_nan_says_nothing_of_the_classes(
        tmp_path: Path) -> None:
    """Set 344's harness MLP: recall 0 at its first epoch, 0.6-0.87 later, 0 again once the
    log of a probability that rounded to 1 made the loss NaN."""
    n = 12
    nan = [math.nan] * 4
    columns = {"epoch": list(range(n)),
               "loss": [0.3 - 0.02 * k for k in range(8)] + nan,
               "val_loss": [0.25 - 0.015 * k for k in range(8)] + nan,
               "val_acc": [0.94, 0.95, 0.96, 0.97, 0.97, 0.98, 0.98, 0.98, 0.94, 0.94, 0.94, 0.94],
               "val_recall": [0.0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.87, 0.8, 0.0, 0.0, 0.0, 0.0]}
    after_nan = curve_facts(tmp_path, columns, "nan.csv")
    for fact in ("val.recall_zero", "metric.f1_far_below_accuracy",
                 "metric.rare_class_mostly_missed"):
        assert after_nan[fact] is UNKNOWN, fact
    finite = {**columns, "loss": [0.3 - 0.02 * k for k in range(n)],
              "val_loss": [0.25 - 0.015 * k for k in range(n)]}
    assert curve_facts(tmp_path, finite, "finite.csv")["val.recall_zero"] is True


def test_a_multi_label_accuracy_that_barely_moves_is_no_sign_of_learning(
        tmp_path: Path) -> None:
    """An eight-label head under a BCE (set 345's sell-out MLP, its sign flipped): a per-label
    accuracy from 0.19 to 0.22 is not above chance; one from 0.6 to 0.9 is."""
    torch.manual_seed(0)
    head = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 8))
    checkpoint = tmp_path / "head.pt"
    torch.save({"model": head.state_dict()}, checkpoint)
    n = 10

    def facts(accuracy: list[float], name: str) -> dict[str, object]:
        log = write_csv_log(tmp_path / f"{name}.csv", {
            "epoch": list(range(n)), "train_bce": [0.69 - 0.01 * k for k in range(n)],
            "val_bce": [0.7 - 0.01 * k for k in range(n)], "val_acc": accuracy})
        return values_of(probe_curves(Inputs(checkpoint=checkpoint, logs=[log]),
                                      ProbeContext()))

    flat = facts([0.188 + 0.0035 * k for k in range(n)], "flat")
    assert flat["val.acc_at_chance"] is UNKNOWN
    rising = facts([0.6 + 0.035 * k for k in range(n)], "rising")
    assert rising["val.acc_at_chance"] is False


def test_a_rare_class_mostly_missed_is_read_from_the_share_accuracy_bounds(
        tmp_path: Path) -> None:
    """Set 348's removal orders: accuracy 0.889 with a recall of 0.145 bounds the class by
    0.13 of the data — rare and mostly missed, though the accuracy is under 0.9; a recall of
    0.145 under an accuracy of 0.5 bounds nothing."""
    n = 10
    base = {"epoch": list(range(n)), "loss": [0.6 - 0.04 * k for k in range(n)],
            "val_loss": [0.62 - 0.035 * k for k in range(n)]}
    rare = curve_facts(tmp_path, {**base, "val_acc": [0.84 + 0.005 * k for k in range(n)],
                                  "val_recall": [0.1 + 0.005 * k for k in range(n)]}, "rare.csv")
    assert rare["metric.rare_class_mostly_missed"] is True
    common = curve_facts(tmp_path, {**base, "val_acc": [0.45 + 0.005 * k for k in range(n)],
                                    "val_recall": [0.1 + 0.005 * k for k in range(n)]},
                         "common.csv")
    assert common["metric.rare_class_mostly_missed"] is False


def test_a_one_batch_blow_up_tells_a_number_from_a_nan() -> None:
    from dldoctor.probes.live_probes import _blow_up_finite

    grew = values_of(_blow_up_finite("explodes", [0.69, 2.6, 9.0, 12.4]))
    assert grew["overfit.blow_up_finite"] is True
    broke = values_of(_blow_up_finite("explodes", [0.69, 30.0, math.inf, math.nan]))
    assert broke["overfit.blow_up_finite"] is False
    assert _blow_up_finite("plateaus", [0.69, 0.69, 0.69]) == []


def test_a_span_heads_two_outputs_are_no_two_classes(tmp_path: Path) -> None:
    """A Hugging Face question-answering head scores a start and an end per token: its two
    rows say nothing of chance (set 351's healthy Megatron-BERT span model)."""
    import json

    from dldoctor.probes.task_info import head_width

    torch.manual_seed(0)
    folder = tmp_path / "checkpoint-300"
    folder.mkdir()
    body, qa = nn.Linear(8, 16), nn.Linear(16, 2)
    torch.save({"encoder.weight": body.weight, "encoder.bias": body.bias,
                "qa_outputs.weight": qa.weight, "qa_outputs.bias": qa.bias},
               folder / "pytorch_model.bin")
    (folder / "config.json").write_text(json.dumps(
        {"architectures": ["MegatronBertForQuestionAnswering"]}))
    assert head_width(Inputs(checkpoint=folder), ProbeContext()) is None
    (folder / "config.json").write_text(json.dumps(
        {"architectures": ["MegatronBertForSequenceClassification"]}))
    assert head_width(Inputs(checkpoint=folder), ProbeContext()) == 2


def test_a_bce_above_zero_at_its_first_step_then_below_crossed_zero(tmp_path: Path) -> None:
    """Set 351's audit flags (BCE targets 1 and 2): 0.729 at step 0, below 0 from step 10 — a
    negated BCE is never above 0, so this is targets out of range, not a flipped sign."""
    steps = list(range(0, 200, 10))
    crossed = [0.729] + [-0.6 * 1.3 ** k for k in range(len(steps) - 1)]
    facts = curve_facts(tmp_path, {"step": steps, "bce": crossed}, "crossed.csv")
    assert facts["loss.crossed_below_zero"] is True
    negated = [-0.69 * 1.3 ** k for k in range(len(steps))]
    assert curve_facts(tmp_path, {"step": steps, "bce": negated},
                       "negated.csv")["loss.crossed_below_zero"] is False


def test_an_accuracy_logged_by_epoch_is_read_up_to_the_epoch_of_the_first_nan(
        tmp_path: Path) -> None:
    """Set 350's halftone autoencoder: training loss per 10 steps, NaN from step 360 (epoch 7);
    validation per epoch. The accuracy that fell at epoch 7 is the NaN's, not the loss's."""
    import json

    train = tmp_path / "train.jsonl"
    rows = [{"step": s, "epoch": s // 50, "bce": (0.69 - 0.001 * s) if s < 360 else math.nan}
            for s in range(0, 600, 10)]
    train.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    val = tmp_path / "val.jsonl"
    accs = [0.74, 0.77, 0.81, 0.83, 0.84, 0.85, 0.86, 0.50, 0.50, 0.50, 0.50, 0.50]
    val.write_text("\n".join(json.dumps({"epoch": e, "val_bce": 0.5 - 0.02 * e if e < 7
                                         else math.nan, "val_acc": a})
                             for e, a in enumerate(accs)) + "\n")
    found = values_of(probe_curves(Inputs(logs=[train, val]), ProbeContext()))
    assert found["metric.acc_falls_while_loss_falls"] is False


_TAGGER = '''import torch
import torch.nn.functional as F


def build():
    return torch.nn.Linear(5, 5)


def train(model, loader, opt):
    for x, pad, tags in loader:
        logits = model(x, pad)
        loss = F.cross_entropy(logits.reshape(-1, 5), tags.reshape(-1))  # every position
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def test_a_loss_that_reads_every_position_beside_a_mask_counts_the_padding(
        tmp_path: Path) -> None:
    """Set 354's course tagger: the loop hands the model the padding mask, the loss reads
    neither it nor an ignore_index; the batch's padded positions carry class 0."""
    from dldoctor.probes.padding import padding_findings
    from dldoctor.probes.source_scan import unmasked_loss_line

    model = tmp_path / "model.py"
    model.write_text(_TAGGER)
    where = unmasked_loss_line(f"{model}:build")
    assert where == ("model.py", 12, "pad")
    masked = tmp_path / "masked.py"
    masked.write_text(_TAGGER.replace("logits.reshape(-1, 5), tags.reshape(-1))",
                                      "logits[~pad], tags[~pad])"))
    assert unmasked_loss_line(f"{masked}:build") is None

    torch.manual_seed(0)
    lengths = torch.randint(4, 12, (16,))
    ids = torch.randint(1, 9, (16, 12))
    pad = torch.arange(12)[None] >= lengths[:, None]
    ids[pad] = 0
    tags = torch.randint(1, 5, (16, 12))
    tags[pad] = 0
    read = values_of(padding_findings(ids, tags, extras=(pad,), unmasked=where))
    assert read["loss.counts_padding"] is True
    unsure = values_of(padding_findings(ids, tags, extras=(pad,)))
    assert unsure["loss.counts_padding"] is UNKNOWN


def test_a_log_that_could_not_be_read_beside_a_checkpoint_is_said_beside_no_problem(
        tmp_path: Path) -> None:
    """A new user's empty log beside a checkpoint: the checkpoint is read and the run exits
    0, but the report says the log was not read — "No problem found" is no verdict on
    curves nobody saw."""
    import json
    import shutil
    import subprocess

    from tests.support import forkcli

    model, opt = _train(clamp=False, steps=20)
    checkpoint, _ = save_step_run(tmp_path / "run", model, opt, {"epoch": [0, 1, 2],
                                                                  "loss": [1.3, 0.9, 0.7]})
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, "--checkpoint", str(checkpoint), "--log", str(empty), "--format",
                       "json", "--no-input"], capture_output=True, text=True, timeout=300,
                      stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    limits = json.loads(out.stdout)["limits"]
    assert any("empty.csv" in text and "loss-curve checks" in text for text in limits), limits


def test_a_layer_named_by_its_index_is_said_as_a_layer() -> None:
    """A new user's nn.Sequential read "the narrowest … is 2, 64 wide" and "largest in 4"."""
    from dldoctor.probes.evidence import say

    assert say("weights.narrowest", k=1, layer="2", n=64).in_lang("en") == \
        "the narrowest of 1 hidden weight layers is layer 2, 64 wide"
    assert "第 2 层" in say("weights.narrowest", k=1, layer="2", n=64).in_lang("zh")
    assert say("weights.narrowest", k=1, layer="conv.6", n=32).in_lang("en").endswith(
        "is conv.6, 32 wide")
    assert "layer layer" not in say("weights.output_width", layer="4", n=10).in_lang("en")
