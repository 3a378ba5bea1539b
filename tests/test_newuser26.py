"""What new user 26 met (stop 43): a JSON-lines log whose last record was cut and then
ended with a newline, an epoch written on the evaluation rows only, a step column called
``n_iter``, a per-batch ExponentialLR in a log with no epochs, dict batches keyed by the
model's own argument names, a question a probe could not settle, and dropout before a 1×1
conv classifier (SqueezeNet's head, from the sixty-first hand set)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_structure import dropout_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.models import batch_for
from dldoctor.session import Question, Session
from tests.support import curve_facts, values_of, write_jsonl_log


def test_a_half_written_last_record_is_the_cut_tail_not_a_broken_log(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    rows = [json.dumps({"step": i, "loss": 2.3 * 0.97 ** i}) for i in range(40)]
    path.write_text("\n".join(rows) + '\n{"step": 40, "lo\n')  # killed, then a newline
    loss = read_log(path).series["loss"]
    assert loss.values.size == 40 and loss.steps[-1] == 39


def test_epochs_written_on_evaluation_rows_only_group_the_training_rows(
        tmp_path: Path) -> None:
    rows: dict[str, list[float | None]] = {"global_step": [], "epoch": [], "mse_train": [],
                                           "mse_valid": []}
    for epoch in range(6):
        for i in range(1, 9):
            step = epoch * 8 + i
            rows["global_step"].append(float(step))
            rows["epoch"].append(None)
            rows["mse_train"].append(2.0 / step + 0.3)
            rows["mse_valid"].append(None)
        rows["global_step"].append(float(epoch * 8 + 8))
        rows["epoch"].append(float(epoch))
        rows["mse_train"].append(None)
        rows["mse_valid"].append(0.4 + 0.1 / (epoch + 1))
    metrics = read_log(write_jsonl_log(tmp_path / "log.jsonl", rows))
    epochs = metrics.series["loss"].epochs
    assert epochs is not None and np.isfinite(epochs).all()
    assert list(epochs[:8]) == [0.0] * 8 and list(epochs[-8:]) == [5.0] * 8


def test_n_iter_is_a_step_column(tmp_path: Path) -> None:
    metrics = read_log(write_jsonl_log(tmp_path / "log.jsonl", {
        "n_iter": [10.0, 20.0, 30.0], "loss": [1.0, 0.8, 0.7]}))
    assert list(metrics.series["loss"].steps) == [10.0, 20.0, 30.0]


def test_a_rate_gone_in_the_first_tenth_of_a_log_without_epochs_collapsed_early(
        tmp_path: Path) -> None:
    steps = [float(i) for i in range(1, 601)]
    loss = [3.9 - 0.3 * (1 - 0.97 ** i) for i in range(600)]
    per_batch = [1e-3 * 0.9 ** i for i in range(1, 601)]  # ExponentialLR(0.9) per batch
    facts = curve_facts(tmp_path, {"n_iter": steps, "cox_nll": loss, "learning_rate": per_batch})
    assert facts["loop.lr_collapsed_early"] is True
    cosine = [1e-3 * 0.5 * (1 + np.cos(np.pi * i / 600)) for i in range(600)]
    facts = curve_facts(tmp_path, {"n_iter": steps, "cox_nll": loss, "learning_rate": cosine})
    assert facts["loop.lr_collapsed_early"] is False  # reaches 0 at the end, by design


_TOWERS = '''
import torch
from torch import nn

class Towers(nn.Module):
    def __init__(self):
        super().__init__()
        self.audio = nn.Linear(32, 8)
        self.text = nn.EmbeddingBag(50, 8)

    def forward(self, audio, tokens):
        return self.audio(audio) @ self.text(tokens).T

class Risk(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(20, 1)

    def forward(self, covariates):
        return self.net(covariates).squeeze(-1)

def towers():
    return Towers()

def risk():
    return Risk()
'''


def test_a_dict_batch_is_read_by_the_models_argument_names(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(_TOWERS)
    torch.save({"audio": torch.randn(6, 32), "tokens": torch.randint(0, 50, (6, 4)),
                "targets": torch.arange(6)}, tmp_path / "pair.pt")
    torch.save({"covariates": torch.randn(5, 20), "time": torch.rand(5),
                "event": torch.ones(5)}, tmp_path / "surv.pt")
    pair = batch_for(Inputs(model=f"{tmp_path / 'model.py'}:towers",
                            batch=tmp_path / "pair.pt"), ProbeContext())
    assert tuple(pair.inputs.shape) == (6, 32) and "tokens" in pair.named
    surv = batch_for(Inputs(model=f"{tmp_path / 'model.py'}:risk",
                            batch=tmp_path / "surv.pt"), ProbeContext())
    assert tuple(surv.inputs.shape) == (5, 20)


def test_a_question_a_probe_ran_and_could_not_settle_is_asked(tmp_path: Path) -> None:
    """A checkpoint can say where the scheduler steps only when it holds the scheduler; this
    one does not, so the person is asked."""
    model = nn.Linear(4, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model(torch.randn(8, 4)).sum().backward()
    optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "ckpt.pt")
    session = Session(load_knowledge(), lang="en")
    session.with_inputs(Inputs(checkpoint=tmp_path / "ckpt.pt"))
    session.complain("the learning rate drops to almost zero early")
    session.run_probes()
    step = session.next_step()
    assert isinstance(step, Question) and step.fact == "loop.scheduler_in_batch_loop"


def test_dropout_before_a_one_by_one_conv_classifier_is_the_heads() -> None:
    fire = nn.Conv2d(3, 16, 3)
    head = [("drop", nn.Dropout(0.5)), ("classifier", nn.Conv2d(16, 10, 1))]
    found = values_of(dropout_findings([("fire", fire), *head]))
    assert found["arch.dropout_after_conv"] is False
    between = values_of(dropout_findings([("c1", fire), ("d", nn.Dropout(0.5)),
                                          ("c2", nn.Conv2d(16, 16, 3)), *head[1:]]))
    assert between["arch.dropout_after_conv"] is True


def test_a_graph_model_scoring_pairs_of_its_nodes_pairs_with_its_targets() -> None:
    """New user 27's graph autoencoder: 300 nodes in, 400 node pairs scored, 400 targets."""
    from dldoctor.probes.live_output import shape_findings
    from dldoctor.probes.models import Batch

    graph = Batch(torch.randn(300, 16), torch.rand(400), Path("gae.pt"), unpaired=(300, 400),
                  named={"pairs": torch.randint(0, 300, (400, 2))})
    found = values_of(shape_findings(torch.zeros(400), graph))
    assert found["batch.lengths_differ"] is False
    assert found.get("batch.shape_mismatch") is not True
    lone = Batch(torch.randn(300, 16), torch.rand(400), Path("b.pt"), unpaired=(300, 400))
    assert values_of(shape_findings(torch.zeros(400), lone))["batch.lengths_differ"] is True


class _OneChannel(nn.Module):
    """TimesNet-style: a (B, T, 1) series transposed to (B, 1, T) for a Conv1d."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv1d(1, 4, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x.transpose(1, 2)).mean(-1)


def test_moving_an_axis_of_size_one_is_no_scrambled_layout() -> None:
    from dldoctor.probes.layout_view import layout_view_findings
    from dldoctor.probes.models import Batch

    batch = Batch(torch.randn(4, 64, 1), torch.zeros(4, dtype=torch.long), Path("b.pt"))
    assert layout_view_findings(_OneChannel(), batch, torch.device("cpu")) == []


async def test_the_report_after_an_answer_by_key_starts_at_that_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New user 27: after answering with y, only the report card's first line showed at the
    bottom of the screen (focusing a card taller than the view shows its top edge only)."""
    from dldoctor.tui.app import make_app
    from dldoctor.tui.widgets.diagnosis import DiagnosisCard
    from dldoctor.tui.widgets.message import UserMessage
    from dldoctor.tui.widgets.question import QuestionCard
    from tests.test_newuser10_tui import _settle

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    model = nn.Linear(4, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model(torch.randn(8, 4)).sum().backward()
    optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "ckpt.pt")
    session = Session(load_knowledge(), lang="en")
    session.with_inputs(Inputs(checkpoint=tmp_path / "ckpt.pt"))
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press(*"the learning rate drops to almost zero early", "enter")
        await _settle(app, pilot)
        assert isinstance(app.chat.pending, QuestionCard)
        assert app.chat.pending.fact == "loop.scheduler_in_batch_loop"
        await pilot.press("y")
        await _settle(app, pilot)
        await pilot.pause(0.2)
        assert app.chat.query(DiagnosisCard)
        said = list(app.chat.query(UserMessage))[-1]
        transcript = app.chat.transcript
        wanted = min(said.virtual_region.y, transcript.max_scroll_y)
        assert transcript.scroll_offset.y == wanted, (said.virtual_region, transcript.scroll_offset)
