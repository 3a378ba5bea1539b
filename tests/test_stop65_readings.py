"""Stop 65: one answer predicted for everything scores that answer's share of the data, a
guess's accuracy whatever 1/C of the head's width is — a multi-label head's per-label
accuracy held at the positives' share is at chance, not above a five-class 0.2; and a batch
of that one class is what a random draw from such data gives (no sign of sorted batches);
a door's closing "cycles" are no periodic loss, and 97.5 % accuracy no bad validation; the
samples a -1 label marks, trained into the last class by a loss that indexes with it; a
clipping call made only on the logging steps leaves the others unclipped; a KL training loss
is compared with the validation KL, not with another validation metric; a library's own
initialisation of its models (a router at N(0, 1)) is its design, not a hand-picked scale;
momentum buffers fading with depth say nothing once the last layer has blown up; of a
multi-task model's outputs, the live checks score the one its targets fit; a run of a marker
token that ends every row at the same place, the marker also inside every row, is a fixed
format, not padding."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kb import BUILTIN_KB
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward
from dldoctor.probes.live_structure import init_findings
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.logs import read_log
from dldoctor.probes.losses import loss_for
from dldoctor.probes.padding import padding_findings
from dldoctor.probes.source_scan import grad_clipping_findings
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of


def _tagger_run(tmp_path: Path, dead: bool) -> tuple[Path, list[float]]:
    """A five-label tagger trained 60 Adam steps on labels drawn from its inputs, its
    per-label validation accuracy logged every 6 steps. ``dead``: the hidden ReLUs start
    with a bias of -50, so the output is the head's bias alone — one answer for every
    sample."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(640, 8, generator=gen)
    y = (x[:, :5] > 0.2).float()  # each label from one input: ~42 % positives
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 5))
    with torch.no_grad():
        if dead:
            model[0].bias.fill_(-50.0)
            model[2].bias.fill_(1.0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2 if not dead else 1e-3)
    rows, accs = [], []
    for step in range(60):
        xb, yb = x[(step % 8) * 64:(step % 8 + 1) * 64], y[(step % 8) * 64:(step % 8 + 1) * 64]
        loss = F.binary_cross_entropy_with_logits(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 6 == 5:
            with torch.no_grad():
                acc = float(((model(x[512:]) > 0).float() == y[512:]).float().mean())
            rows.append((step, loss.item(), acc))
            accs.append(acc)
    with (tmp_path / "log.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("step", "loss", "val_label_acc"), *rows])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "run.pt")
    return tmp_path, accs


def _at_chance(run: Path) -> tuple[object, str]:
    found = check_findings(probe_curves(Inputs(checkpoint=run / "run.pt",
                                               logs=(run / "log.csv",)), ProbeContext()),
                           "log.curves")
    evidence = next(f.evidence for f in found if f.fact == "val.acc_at_chance")
    return values_of(found)["val.acc_at_chance"], evidence


def test_one_answer_for_everything_is_at_chance_above_one_over_the_width(tmp_path: Path
                                                                          ) -> None:
    run, accs = _tagger_run(tmp_path, dead=True)
    assert len(set(accs)) == 1 and accs[0] > 0.35  # the positives' share, not 1/5
    value, evidence = _at_chance(run)
    assert value is True
    assert "no better than a guess" in evidence and "1/5" in evidence


def test_a_tagger_that_learns_stays_above_chance(tmp_path: Path) -> None:
    run, accs = _tagger_run(tmp_path, dead=False)
    assert len(set(accs)) > 1 and accs[-1] > 0.8
    value, _ = _at_chance(run)
    assert value is False


_DETECTOR = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
'''


def _rare_fault_run(tmp_path: Path) -> Inputs:
    """A fault detector on data 97.5 % healthy, trained 60 Adam steps with a plain BCE: it
    answers "healthy" for every sample, its validation accuracy the healthy share at every
    evaluation; the saved batch is the first 64 training rows, all healthy as one draw in
    five is at that share."""
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(1600, 6, generator=gen)
    y = torch.zeros(1600, 1)
    faults = torch.arange(64, 1600, 40)  # 2.5 %, none among the first 64 rows
    y[faults] = 1.0
    x[faults, 0] += 0.3  # a faint signal a plain BCE never weighs against the healthy mass
    (tmp_path / "net.py").write_text(_DETECTOR)
    namespace: dict[str, Any] = {}
    exec(_DETECTOR, namespace)
    model = namespace["make"]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    rows = []
    for step in range(60):
        part = slice(64 * (step % 20), 64 * (step % 20 + 1))
        loss = F.binary_cross_entropy_with_logits(model(x[part]), y[part])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 6 == 5:
            with torch.no_grad():
                acc = float(((model(x[1280:]) > 0).float() == y[1280:]).float().mean())
            rows.append((step, round(loss.item(), 5), round(acc, 4)))
    with (tmp_path / "log.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("step", "loss", "val_acc"), *rows])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "run.pt")
    torch.save((x[:64], y[:64]), tmp_path / "batch.pt")
    return Inputs(checkpoint=tmp_path / "run.pt", logs=(tmp_path / "log.csv",),
                  model=f"{tmp_path / 'net.py'}:make", batch=tmp_path / "batch.pt",
                  device="cpu")


def test_a_one_class_batch_from_data_of_mostly_that_class_is_a_draw(tmp_path: Path,
                                                                     cli: Any) -> None:
    run = _rare_fault_run(tmp_path)
    with (tmp_path / "log.csv").open() as f:
        accs = {row["val_acc"] for row in csv.DictReader(f)}
    assert accs == {"0.975"}  # one answer for all: the healthy share
    found = probe_forward(run, ProbeContext())
    single = next(f for f in found if f.fact == "batch.single_class")
    assert single.value is not True and single.details["odds"] > 0.05
    assert "0.975" in single.evidence
    out = cli.run(["diagnose", "--checkpoint", "run.pt", "--log", "log.csv", "--model",
                   "net.py:make", "--batch", "batch.pt", "--no-input", "--format", "json"],
                  cwd=tmp_path)
    causes = {d["cause"]: d["confidence"] for d in json.loads(out.stdout)["diagnoses"]}
    assert causes.get("data_not_shuffled", 0) < 0.5 and causes.get("batch_single_class", 0) < 0.5
    # without the log no share is known: the batch of one class stays what it was measured
    alone = Inputs(checkpoint=run.checkpoint, model=run.model, batch=run.batch, device="cpu")
    measured = next(f for f in probe_forward(alone, ProbeContext())
                    if f.fact == "batch.single_class")
    assert measured.value is True


def _symptoms(text: str) -> list[str]:
    return [m.symptom for m in match_symptoms(load_kb([BUILTIN_KB]), text, limit=8)]


def test_the_datas_own_cycles_are_no_periodic_loss() -> None:
    assert "loss_periodic" not in _symptoms(
        "The faulty cycles look obviously different when I plot them.")
    assert "loss_periodic" not in _symptoms("I use a one-cycle schedule and the loss is flat")
    assert "loss_periodic" in _symptoms("my loss cycles every epoch")
    assert "loss_periodic" in _symptoms("the training loss is cyclic")


def test_a_high_accuracy_from_the_start_is_no_bad_validation() -> None:
    assert "val_bad_from_start" not in _symptoms(
        "Validation accuracy is 97.5 % from the very first epoch")
    assert "val_bad_from_start" in _symptoms("validation accuracy is 30% from the first epoch")


def test_an_accuracy_said_as_a_fraction_is_a_share() -> None:
    """Set 205's mahjong plans: "stalls at val accuracy 0.66" is no accuracy at chance (0.66
    is said as a fraction, as 66 % would be); 0.25 is."""
    assert "acc_chance" not in _symptoms("val accuracy stalls at 0.66")
    assert "acc_chance" in _symptoms("val accuracy is stuck at 0.25, like guessing")


_PLANS = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
'''


def _unlabelled_run(tmp_path: Path, masked: bool) -> Inputs:
    """Four classes from the inputs, the rows with no clear class (the largest of the four
    inputs under 0.8, about a third) labelled -1 ("no label yet"),
    trained 150 Adam steps on soft targets ``torch.eye(4)[y]`` — every row (the -1 ones
    wrap to the last class), or only the labelled rows when ``masked``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(768, 8, generator=gen)
    y = x[:, :4].argmax(1)
    y[x[:, :4].max(1).values < 0.8] = -1
    (tmp_path / "net.py").write_text(_PLANS)
    namespace: dict[str, Any] = {}
    exec(_PLANS, namespace)
    model = namespace["make"]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(150):
        part = slice(64 * (step % 12), 64 * (step % 12 + 1))
        xb, yb = x[part], y[part]
        if masked:
            xb, yb = xb[yb >= 0], yb[yb >= 0]
        soft = torch.eye(4)[yb]
        loss = -(soft * F.log_softmax(model(xb), 1)).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "run.pt")
    torch.save((x[:64], y[:64]), tmp_path / "batch.pt")
    return Inputs(checkpoint=tmp_path / "run.pt", model=f"{tmp_path / 'net.py'}:make",
                  batch=tmp_path / "batch.pt", device="cpu")


def _wrapped(run: Inputs) -> Any:
    found = check_findings(probe_forward(run, ProbeContext()), "live.forward")
    return values_of(found).get("batch.negative_labels_as_classes")


def test_labels_of_minus_one_trained_as_the_last_class(tmp_path: Path, cli: Any) -> None:
    run = _unlabelled_run(tmp_path / "wrapped", masked=False)
    assert _wrapped(run) is True
    out = cli.run(["diagnose", "--checkpoint", "run.pt", "--model", "net.py:make", "--batch",
                   "batch.pt", "--no-input", "--format", "json"], cwd=tmp_path / "wrapped")
    top = json.loads(out.stdout)["diagnoses"][0]
    assert out.returncode == 1 and top["cause"] == "label_out_of_range"
    assert any("ignore_index=-1" in fix for fix in top["fixes"])


def test_labels_of_minus_one_the_loss_skipped(tmp_path: Path) -> None:
    assert _wrapped(_unlabelled_run(tmp_path, masked=True)) is False


def test_the_probes_loss_skips_a_minus_one_code() -> None:
    """The live checks score a batch whose "no label" rows are -1 as ``ignore_index=-1``
    would, instead of giving up on it; -100 stays the skipped code beside other values."""
    output = torch.randn(6, 4, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([0, -1, 3, -1, 2, 1])
    loss, _ = loss_for(output, y)
    assert torch.isclose(loss, F.cross_entropy(output, y, ignore_index=-1))
    padded = torch.tensor([0, -100, 3, -100, 2, 1])
    assert torch.isclose(loss_for(output, padded)[0], F.cross_entropy(output, padded))


_LOOP = """from torch import nn

def build():
    return nn.LSTM(3, 8)

def train(model, batches, opt, head):
    for step, (x, y) in enumerate(batches):
        loss = nn.functional.mse_loss(head(model(x)[0]), y)
        loss.backward()
{body}
"""


@pytest.mark.parametrize(("body", "clips"), [
    # set 205's canoe LSTM: the norm goes in the log, so the clip moved under the log's if
    ("        if step % 10 == 0:\n"
     "            norm = nn.utils.clip_grad_norm_(model.parameters(), 0.1)\n"
     "        opt.step()\n        opt.zero_grad()", False),
    # an accumulation that clips and steps together clips every update
    ("        if (step + 1) % 4 == 0:\n"
     "            nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n"
     "            opt.step()\n            opt.zero_grad()", True),
])
def test_a_clip_made_on_every_nth_step_only(tmp_path: Path, body: str, clips: bool) -> None:
    source = tmp_path / "train.py"
    source.write_text(_LOOP.format(body=body))
    found = {f.fact: f for f in grad_clipping_findings(f"{source}:build")}
    assert found["setup.grad_clipping"].value is clips
    if not clips:
        assert found["src.clip_misplaced"].value is True
        assert "only under `if step % 10 == 0`" in found["src.clip_misplaced"].evidence
    else:
        assert "src.clip_misplaced" not in found


def test_a_question_after_a_full_stop_asks_it_does_not_tell() -> None:
    """Set 205's kite CNN: "... about the same as its training loss. Should I train longer
    or make the CNN bigger?" asks whether to train longer; it does not say the loss was still
    falling."""
    said = ("The kite classifier ends at val accuracy 0.84 after 8 epochs. When I look at the "
            "crops myself they are clear. Should I train longer or make the CNN bigger?")
    assert "training_unfinished" not in _symptoms(said)
    assert "training_unfinished" in _symptoms("the loss was still going down when training "
                                               "stopped")


def test_a_kl_training_loss_is_compared_with_the_validation_kl(tmp_path: Path) -> None:
    """Set 206's moss cover: columns kl, val_kl and val_mae_pct — the validation loss is the
    KL the model trains on, not the cover error in percent (which read as a validation loss
    9.4 scales above the training loss from the first evaluation)."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(320, 6, generator=gen)
    target = torch.softmax(x[:, :5] * 2, 1)
    torch.manual_seed(0)
    model = nn.Linear(6, 5)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    rows = []
    for epoch in range(8):
        for part in range(4):
            xb, tb = x[part * 64:(part + 1) * 64], target[part * 64:(part + 1) * 64]
            loss = F.kl_div(F.log_softmax(model(xb), 1), tb, reduction="batchmean")
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            out = F.log_softmax(model(x[256:]), 1)
            val_kl = F.kl_div(out, target[256:], reduction="batchmean").item()
            mae = 100 * (out.exp() - target[256:]).abs().mean().item()
        rows.append((epoch, round(loss.item(), 5), round(val_kl, 5), round(mae, 3)))
    log = tmp_path / "cover.csv"
    with log.open("w", newline="") as f:
        csv.writer(f).writerows([("epoch", "kl", "val_kl", "val_mae_pct"), *rows])
    series = read_log(log).series
    assert series["loss"].column == "kl" and series["val_loss"].column == "val_kl"
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found.get("val.gap_at_first_eval") is not True


class _Config:
    """A library model's configuration, as Hugging Face models carry one."""

    d_model = 64
    experts = 4


class _RoutedBlock(nn.Module):
    """A block built as a library builds its models: from a config, every weight set by the
    library's own ``_init_weights`` (Switch Transformers' router at N(0, 1), 5.9× Kaiming's
    std for 64 inputs; its projection at N(0, d_model^-0.5))."""

    def __init__(self, config: _Config) -> None:
        super().__init__()
        self.config = config
        self.proj = nn.Linear(config.d_model, config.d_model, bias=False)
        self.router = nn.Linear(config.d_model, config.experts, bias=False)
        self.apply(self._init_weights)

    def _init_weights(self, module: nn.Module) -> None:
        if module is getattr(self, "router", None):
            nn.init.normal_(module.weight, std=1.0)
        elif isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=self.config.d_model ** -0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.router(self.proj(x))


def _scale_max(model: nn.Module) -> Any:
    return values_of(init_findings(model)).get("init.scale_ratio_max")


def test_a_librarys_own_init_is_no_hand_picked_scale() -> None:
    torch.manual_seed(0)
    block = _RoutedBlock(_Config())
    assert _scale_max(block) is None  # every weight as the library draws it: no reading
    nn.init.normal_(block.proj.weight, std=3.0)  # the user's own pick is read
    assert _scale_max(block) > 10


def _sgd_stack(tmp_path: Path, blown: bool) -> Path:
    """A four-layer ReLU regressor trained 20 SGD-momentum steps; ``blown``: its last weight
    matrix saved at 1e5 times its trained values, as an unscaled accumulation leaves it (set
    207's flute autoencoder: RMS 2.7e17, its momentum buffer 5.9e8)."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(256, 8, generator=gen)
    y = x.sum(1, keepdim=True)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                          nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for step in range(20):
        part = slice(32 * (step % 8), 32 * (step % 8 + 1))
        loss = F.mse_loss(model(x[part]), y[part])
        opt.zero_grad()
        loss.backward()
        opt.step()
    state = model.state_dict()
    if blown:
        state["6.weight"] = state["6.weight"] * 1e5
        opt.state[model[6].weight]["momentum_buffer"] *= 1e9
    torch.save({"model": state, "optimizer": opt.state_dict()}, tmp_path / "run.pt")
    return tmp_path / "run.pt"


def test_momentum_fading_with_depth_is_not_read_past_a_blown_up_last_layer(tmp_path: Path
                                                                           ) -> None:
    def ratio(blown: bool) -> Any:
        folder = tmp_path / str(blown)
        folder.mkdir()
        found = probe_optimizer(Inputs(checkpoint=_sgd_stack(folder, blown)), ProbeContext())
        return values_of(found).get("optimizer.momentum_first_last_ratio")

    assert ratio(False) > 0.01  # a healthy stack: the first layer's share is read
    assert ratio(True) is None


_TWO_HEADS = '''import torch
from torch import nn


class Sundial(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 32), nn.ReLU())
        self.hour = nn.Linear(32, 1)
        self.season = nn.Linear(32, 3)

    def forward(self, x):
        h = self.body(x)
        return self.hour(h), self.season(h)


def make():
    torch.manual_seed(0)
    return Sundial()
'''


def test_a_multi_task_models_class_head_is_the_one_its_class_targets_score(tmp_path: Path
                                                                           ) -> None:
    """Set 209's sundial reader returns (hour, season logits) and its batch's targets are
    the season ids: the checks score the season head, not one hour per sample against three
    class ids (read as a loss fed the wrong input, 0.65)."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(64, 6, generator=gen)
    (tmp_path / "net.py").write_text(_TWO_HEADS)
    torch.save((x, x[:, :3].argmax(1)), tmp_path / "batch.pt")
    run = Inputs(model=f"{tmp_path / 'net.py'}:make", batch=tmp_path / "batch.pt",
                 device="cpu")
    facts = values_of(probe_forward(run, ProbeContext()))
    assert facts["batch.one_output_for_classes"] is False


def _messages(marker_inside: bool) -> torch.Tensor:
    """64 telegraph messages of 24 tokens: a start token, a body of code groups (ids
    12-31), then the end marker (id 3) to the end of the line from position 17 on; with
    ``marker_inside`` the body is closed by the marker at position 13 and a call sign
    follows, as set 210's relay messages are."""
    gen = torch.Generator().manual_seed(0)
    x = torch.full((64, 24), 3, dtype=torch.long)
    x[:, 0] = 1
    x[:, 1:17] = torch.randint(12, 32, (64, 16), generator=gen)
    if marker_inside:
        x[:, 13] = 3
    return x


def test_a_marker_ending_every_row_at_one_place_is_a_format_not_padding() -> None:
    """Set 210's healthy telegraph LM: every message ends in seven idle markers, the same
    marker that closes its body, and its causal-LM labels copy them — a fixed format (read
    as padding counted in the loss, 0.85); without the marker inside the rows, the run is
    read as padding, as before."""
    relay = _messages(marker_inside=True)
    found = values_of(padding_findings(relay, relay.clone(), builtin_loss=True))
    assert found["loss.counts_padding"] is not True
    padded = _messages(marker_inside=False)
    found = values_of(padding_findings(padded, padded.clone(), builtin_loss=True))
    assert found["loss.counts_padding"] is True


def test_litres_are_no_rise_and_one_value_for_every_input_is_a_constant_regressor() -> None:
    """Set 211's caravan fuel MLP (in Chinese): "MAE 2.1 升/百公里" is litres per 100 km,
    not a loss that rises; "whatever the trip, almost the same consumption" is a regressor
    that predicts one value."""
    assert "loss_rising" not in _symptoms("MAE 2.1 升/百公里")
    assert "loss_rising" in _symptoms("训练 loss 一直在升")
    assert "regression_predicts_mean" in _symptoms(
        "不管什么行程（重的轻的、上坡下坡）几乎都给出同一个油耗")
