"""Stop 76: a rule's ``given`` facts are its scope, not evidence for or against its causes;
readings of sets 293–295 (task losses on different scales added as they come, a training
loss that never got below validation's best, a real token that ends rows read as padding, a
search log whose trials are numbered by ``setting``, a regressor squeezed through two units,
a loop that squashes a model's raw scores before a loss that squashes them again)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from dldoctor.engine import load_kb
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.padding import padding_findings
from dldoctor.session import KBError, Session
from tests.kbfactory import write_kb
from tests.support import values_of

BASE = """
facts:
  - {id: measured, type: bool, text: Measured, question: "Measured?"}
  - {id: scope, type: bool, text: In scope, question: "In scope?"}
causes:
  - {id: c1, title: Cause one, explains: {fact: measured, is: true}, fixes: [{text: fix}],
     sources: ["t#1"]}
"""

RULE = """
- id: measured_within_scope
  when: {all: [{fact: measured, is: true}, {fact: scope, is: true}]}
  given: [{given}]
  then: [{cause: c1, cf: 0.7}]
  because: measured, within its scope
  sources: ["t#1"]
"""


def test_a_given_fact_is_shown_in_the_derivation_not_as_evidence(tmp_path: Path) -> None:
    session = Session(load_kb([write_kb(tmp_path, RULE.replace("{given}", "scope"),
                                        base=BASE)]))
    session.answer("measured", "yes")
    session.answer("scope", "yes")
    [fault] = session.report().faults
    assert [e.fact for e in fault.evidence] == ["measured"]
    assert fault.evidence[0].weight == pytest.approx(0.7)
    assert "scope" in repr(fault.derivation)


def test_a_given_fact_the_condition_does_not_test_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KBError, match="given-not-tested|is given but not tested"):
        load_kb([write_kb(tmp_path, RULE.replace("{given}", "elsewhere"), base=BASE)])


def test_a_constant_rate_is_no_evidence_about_the_rate() -> None:
    """The bundled example printed "The learning rate stays constant (no decay)" as −0.50
    against a rate too high: the constant rate only lets the sweep speak for the run's rate."""
    session = Session(load_knowledge())
    for fact, value in {"lr_sweep.best_over_current": "1", "lr_sweep.current_among_best": "yes",
                        "lr.decays": "no", "lr_sweep.from_initial_lr": "no",
                        "loss.non_finite": "yes", "loss.non_finite_step": "30",
                        "update.ratio": "0.0935"}.items():
        session.set_fact(fact, value)
    high = next(d for d in session.report().diagnoses if d.cause == "lr_too_high")
    facts = {e.fact: e.weight for e in high.evidence}
    assert facts["lr_sweep.best_over_current"] < 0 < facts["update.ratio"]
    assert "lr.decays" not in facts and "lr_sweep.from_initial_lr" not in facts


def _curves(tmp_path: Path, header: str, rows: list[str]) -> dict:  # type: ignore[type-arg]
    (tmp_path / "log.csv").write_text("\n".join([header, *rows]) + "\n")
    return values_of(probe_curves(Inputs(logs=(tmp_path / "log.csv",)), ProbeContext()))


@pytest.mark.parametrize(("ce_end", "lagging"), [(1.43, True), (0.46, False)])
def test_a_task_whose_term_is_a_thousand_times_smaller_is_left_behind(
        tmp_path: Path, ce_end: float, lagging: bool) -> None:
    """Set 294's fleece MLP added an MSE in raw millimetres (5,300 at the start) to a
    five-line cross-entropy (1.55): the length trained, the line did not."""
    rows = []
    for e in range(20):
        mse = 5300.0 * 0.7 ** e + 20.0
        ce = 1.55 - (1.55 - ce_end) * e / 19
        rows.append(f"{e},{mse + ce:.5f},{mse:.5f},{ce:.5f}")
    found = _curves(tmp_path, "epoch,loss_total,mse_len,ce_line", rows)
    assert found["loss.multi_task"] is True
    assert found["loss.light_task_lagging"] is lagging


def test_a_training_loss_that_never_got_below_validations_best_is_no_memorising(
        tmp_path: Path) -> None:
    """Set 293's saddle-fit MLP: the double sigmoid held the training BCE at 0.63 while the
    raw-score validation BCE climbed from 0.60 — over-fitting was read at 0.63."""
    rows = [f"{e},{0.78 - 0.15 * (1 - 0.8 ** e):.5f},{0.60 + 0.7 * (1 - 0.8 ** e):.5f}"
            for e in range(20)]
    found = _curves(tmp_path, "epoch,bce,val_bce", rows)
    assert found["val.rising_while_train_falls"] is True
    assert found["val.train_never_below_best"] is True
    overfit = [f"{e},{0.7 * 0.8 ** e:.5f},{0.5 + 0.02 * abs(e - 5):.5f}" for e in range(20)]
    assert _curves(tmp_path, "epoch,bce,val_bce", overfit)["val.train_never_below_best"] is False
    session = Session(load_knowledge())
    for fact, value in {"val.rising_while_train_falls": "yes", "train_val.gap_ratio": "2.1",
                        "val.acc_rising_while_loss_rising": "yes"}.items():
        session.set_fact(fact, value)
    before = session.engine.raw_cf("overfitting")
    session.set_fact("val.train_never_below_best", "yes")
    assert session.engine.raw_cf("overfitting") < before - 0.3


def test_a_search_log_numbers_its_trials_by_setting(tmp_path: Path) -> None:
    """Set 295's geoduck grader ranked 16 settings × 18 epochs on 16 validation clams."""
    rows = [f"{s},{e},{0.7 - 0.01 * e:.4f},{(10 + (s * 7 + e) % 6) / 16:.4f}"
            for s in range(16) for e in range(18)]
    found = _curves(tmp_path, "setting,epoch,train_loss,val_acc", rows)
    assert found["log.trials"] == 16


def test_a_token_read_inside_most_rows_is_no_padding() -> None:
    """Set 295's chili tunnels: 72 hourly temperature bands, no padding; the lowest band
    (id 2) closes most rows (the night) and is read inside every row too (it was read as
    padding counted in the loss, 0.85, on a healthy Hugging Face run)."""
    g = torch.Generator().manual_seed(0)
    hour = torch.arange(72).float()
    sun = 6 + 10 * torch.rand(32, 1, generator=g)
    temp = 16 + 4 * torch.rand(32, 1, generator=g) + sun * torch.relu(
        torch.sin(torch.pi * (hour % 24 - 7) / 14)) * 1.4 + 0.8 * torch.randn(32, 72, generator=g)
    bands = ((temp - 20) / 2).floor().clamp(0, 11).long() + 2
    assert values_of(padding_findings(bands, (temp > 32).long(), builtin_loss=True)) == {}
    padded = 3 + torch.randint(0, 10, (24, 72), generator=g)
    for i in range(24):
        padded[i, 69 - i:] = 2  # shorter rows padded with id 2 to the longest
    found = values_of(padding_findings(padded, (padded > 8).long(), builtin_loss=True))
    assert found["loss.counts_padding"] is True


def test_a_regressor_through_two_units_that_cannot_memorise_a_batch_underfits() -> None:
    """Set 295's chili-heat regressor (hidden width 2): train and validation MSE meet at
    0.045 and stop, 8 % of the batch's variance unexplained, one batch not memorised."""
    session = Session(load_knowledge())
    for fact, value in {"train_val.close": "yes", "loss.falling_at_end": "no",
                        "weights.narrowest_hidden": "2", "weights.output_matches_input": "no",
                        "overfit.outcome": "decreases_slowly",
                        "loss.batch_unexplained_share": "0.08"}.items():
        session.set_fact(fact, value)
    assert [d.cause for d in session.report().faults][:1] == ["underfitting"]


def test_a_loop_that_squashes_raw_scores_is_told_to_pass_them_as_they_are() -> None:
    """Set 293's saddle-fit MLP returns raw scores; its loop takes their sigmoid and hands
    it to BCEWithLogitsLoss. The first fix is the loop's, not "end the network in Linear"."""
    session = Session(load_knowledge())
    session.set_fact("src.activation_into_its_loss", "yes")
    session.set_fact("output.activation_after_logits", "no")
    cause = next(d for d in session.report().diagnoses if d.cause == "activation_before_softmax")
    assert cause.fixes[0].text.startswith("The model already ends in raw scores")


def test_a_model_that_shares_one_layer_with_the_checkpoint_is_refused(tmp_path: Path) -> None:
    """A new user's wrong factory shared only its first Linear(20, 32) with the checkpoint:
    the live checks ran on a model of 7 fresh tensors out of 8, said only in a note."""
    from torch import nn

    from dldoctor.errors import DldoctorError
    from dldoctor.probes.models import build_model, load_weights

    trained = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 64), nn.ReLU(),
                            nn.Linear(64, 10))
    torch.save({"model": trained.state_dict()}, tmp_path / "ckpt.pt")
    (tmp_path / "wrong.py").write_text(
        "import torch.nn as nn\n"
        "def build():\n"
        "    return nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),\n"
        "                         nn.Linear(32, 12), nn.Linear(12, 10))\n")
    spec = f"{tmp_path / 'wrong.py'}:build"
    with pytest.raises(DldoctorError, match="only 2 of its 6 weights match"):
        load_weights(build_model(spec), Inputs(checkpoint=tmp_path / "ckpt.pt", model=spec),
                     ProbeContext())


def test_the_loss_plot_counts_epochs_where_the_log_does(tmp_path: Path) -> None:
    """A new user's per-epoch log was drawn over an axis labelled "step"."""
    from dldoctor.session import loss_axis

    (tmp_path / "epochs.csv").write_text("epoch,train_loss\n" + "".join(
        f"{e},{2.0 / (e + 1)}\n" for e in range(10)))
    (tmp_path / "steps.csv").write_text("step,epoch,loss\n" + "".join(
        f"{s},{s // 50},{2.0 / (s + 1)}\n" for s in range(0, 500, 10)))
    assert loss_axis([tmp_path / "epochs.csv"]) == "epoch"
    assert loss_axis([tmp_path / "steps.csv"]) == "step"


@pytest.mark.parametrize(("text", "said"), [
    ("the final model never calls anything sand, even the obvious sand layers", False),
    ("model.train() is never called after validation", True),
])
def test_a_statement_named_by_common_words_needs_two_of_them(text: str, said: bool) -> None:
    """Set 298's facies classifier: "the final model never calls anything sand" had read as
    "model.train() never called" (model, never, call), a wrong fault at 0.60."""
    from dldoctor.engine.symptoms import match_symptoms, symptoms_named

    named = [m.symptom for m in symptoms_named(match_symptoms(load_knowledge(), text, limit=8))]
    assert ("said_trained_in_eval_mode" in named) is said, named


def test_an_optimizer_saved_under_its_own_name_is_no_model_tensor(tmp_path: Path) -> None:
    """Set 298's ice-core autoencoder saved "encoder", "decoder" and "adam": Adam's moments
    were read as 24 model tensors the optimizer did not hold (params missing from it, 0.66)."""
    from torch import nn

    from dldoctor.probes.checkpoints import load_checkpoint

    encoder, decoder = nn.Linear(8, 3), nn.Linear(3, 8)
    adam = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()])
    decoder(encoder(torch.randn(4, 8))).pow(2).mean().backward()
    adam.step()
    torch.save({"encoder": encoder.state_dict(), "decoder": decoder.state_dict(),
                "adam": adam.state_dict(), "epoch": 3}, tmp_path / "ae.pt")
    loaded = load_checkpoint(tmp_path / "ae.pt", False, ProbeContext())
    assert sorted(m.name for m in loaded.store.metas()) == [
        "decoder.bias", "decoder.weight", "encoder.bias", "encoder.weight"]
    assert loaded.optimizer is not None


def test_a_validation_loss_several_times_the_training_loss_throughout_kept_its_gap(
        tmp_path: Path) -> None:
    """Set 296's swift chicks, validated on a later season: 5.5× the training loss at the
    first evaluation and 3× at the closest — it fell 74 %, but the gap never closed."""
    rows = [f"{e},{0.65 + 0.7 * 0.7 ** e:.5f},{2.1 + 5.5 * 0.6 ** e:.5f}" for e in range(30)]
    found = _curves(tmp_path, "epoch,train_mse,val_mse", rows)
    assert found["val.gap_at_first_eval"] is True
    closing = [f"{e},{0.65 + 0.7 * 0.7 ** e:.5f},{0.8 + 5.5 * 0.6 ** e:.5f}" for e in range(30)]
    assert _curves(tmp_path, "epoch,train_mse,val_mse", closing)["val.gap_at_first_eval"] is False


def test_a_linear_model_that_stopped_and_cannot_fit_a_batch_underfits() -> None:
    """Set 296's hedgehog release-day regressor, one Linear layer: its loss fell for twelve
    epochs and sat; it cannot fit one batch either."""
    session = Session(load_knowledge())
    for fact, value in {"weights.depth": "1", "weights.has_embedding": "no",
                        "weights.has_recurrent": "no", "loss.falling_at_end": "no",
                        "overfit.outcome": "decreases_slowly"}.items():
        session.set_fact(fact, value)
    assert [d.cause for d in session.report().faults][:1] == ["underfitting"]
