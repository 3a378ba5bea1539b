"""Log readers (CSV, JSON-lines, TensorBoard) and the curve classifier."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dldoctor.engine.values import UNKNOWN
from dldoctor.errors import InputError
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.logs import canonical_name, read_log
from tests.support import (
    check_findings,
    curve_facts,
    train_tiny,
    values_of,
    write_csv_log,
    write_jsonl_log,
    write_tensorboard_log,
)

RNG = np.random.default_rng(0)
STEPS = 400
PER_EPOCH = 40
T = np.arange(STEPS)


def _columns(train: np.ndarray, val: np.ndarray | None = None, **extra: np.ndarray
             ) -> dict[str, list[float | None]]:
    columns: dict[str, list[float | None]] = {
        "step": [float(s) for s in T[: train.size]],
        "epoch": [float(s // PER_EPOCH) for s in T[: train.size]],
        "train/loss": [float(v) for v in train],
    }
    if val is not None:
        columns["val/loss"] = [float(val[i // PER_EPOCH]) if (i + 1) % PER_EPOCH == 0 else None
                               for i in range(train.size)]
    for name, values in extra.items():
        columns[name] = [None if v is None else float(v) for v in values]
    return columns


_facts = curve_facts


def _healthy() -> np.ndarray:
    return 2.3 * np.exp(-T / 60) + 0.2 + RNG.normal(0, 0.03, STEPS)


HEALTHY_VAL = 2.3 * np.exp(-np.arange(10) * 40 / 60) + 0.25
BOOLEAN_FACTS = ("loss.non_finite", "loss.diverged", "loss.rising", "loss.plateau",
                 "loss.linear_decline", "loss.oscillating", "loss.oscillation_periodic",
                 "loss.spikes", "loss.negative", "loss.near_zero", "grad.norm_spikes",
                 "val.rising_while_train_falls", "train_val.close_and_high",
                 "train_val.both_near_zero", "val.acc_at_chance", "val.acc_at_majority",
                 "val.acc_rising_while_loss_rising", "val.oscillating")


def test_healthy_curve_is_all_false(tmp_path: Path) -> None:
    grad = 1.0 * np.exp(-T / 100) + 0.3 + RNG.normal(0, 0.02, STEPS)
    acc = [0.4 + 0.05 * i for i in range(10)]
    columns = _columns(_healthy(), HEALTHY_VAL, grad_norm=grad,
                       lr=np.full(STEPS, 1e-3))
    columns["val_acc"] = [acc[i // PER_EPOCH] if (i + 1) % PER_EPOCH == 0 else None
                          for i in range(STEPS)]
    facts = _facts(tmp_path, columns)
    for fact in BOOLEAN_FACTS:
        assert facts[fact] is False, fact
    assert facts["lr.decays"] is False and facts["log.has_validation"] is True
    assert facts["loss.initial"] == pytest.approx(2.3, abs=0.3)


def test_nan_step_and_row(tmp_path: Path) -> None:
    train = np.where(T >= 37, np.nan, _healthy())
    path = write_csv_log(tmp_path / "train.csv", _columns(train))
    findings = check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()))
    facts = values_of(findings)
    assert facts["loss.non_finite"] is True and facts["loss.non_finite_step"] == 37
    assert facts["loss.non_finite_at_start"] is False
    evidence = next(f.evidence for f in findings if f.fact == "loss.non_finite_step")
    assert "step 37 (row 38 of train.csv)" in evidence
    assert facts["log.has_validation"] is False
    assert facts["val.rising_while_train_falls"] is UNKNOWN


def test_nan_at_start(tmp_path: Path) -> None:
    facts = _facts(tmp_path, _columns(np.full(20, np.nan)))
    assert facts["loss.non_finite_at_start"] is True


@pytest.mark.parametrize(("curve", "fact"), [
    (2.3 * np.exp(T / 100) + RNG.normal(0, 0.05, STEPS), "loss.diverged"),
    (1.0 + T / 400 + RNG.normal(0, 0.02, STEPS), "loss.rising"),
    (2.3 + RNG.normal(0, 0.03, STEPS), "loss.plateau"),
    (2.3 - 0.003 * T + RNG.normal(0, 0.02, STEPS), "loss.linear_decline"),
    # a rate that overshoots zig-zags (white scatter of this size is minibatch noise)
    (np.exp(-T / 100) + 0.5 + 0.3 * (-1.0) ** T + RNG.uniform(-0.1, 0.1, STEPS),
     "loss.oscillating"),
    (2.3 * np.exp(-T / 60) - 0.5, "loss.negative"),
    (np.maximum(2.3 * np.exp(-T / 5), 0.0), "loss.near_zero"),
])
def test_shapes(tmp_path: Path, curve: np.ndarray, fact: str) -> None:
    facts = _facts(tmp_path, _columns(curve))
    assert facts[fact] is True, fact
    if fact != "loss.diverged":  # diverging also rises
        others = [f for f in ("loss.diverged", "loss.plateau", "loss.linear_decline")
                  if f != fact and facts.get(f) is True]
        assert not others, others


def test_periodic_per_epoch(tmp_path: Path) -> None:
    curve = 1.0 + 0.3 * np.sin(2 * np.pi * T / PER_EPOCH) + np.exp(-T / 100) \
        + RNG.normal(0, 0.02, STEPS)
    assert _facts(tmp_path, _columns(curve))["loss.oscillation_periodic"] is True


def test_spikes_with_grad_norm(tmp_path: Path) -> None:
    train, grad = _healthy(), 0.5 + RNG.normal(0, 0.02, STEPS)
    for step in (150, 260):
        train[step] *= 4
        grad[step] *= 20
    facts = _facts(tmp_path, _columns(train, grad_norm=grad))
    assert facts["loss.spikes"] is True and facts["grad.norm_spikes"] is True


def test_overfitting_validation(tmp_path: Path) -> None:
    val = np.array([2.0, 1.2, 0.8, 0.7, 0.75, 0.85, 0.95, 1.1, 1.2, 1.3])
    columns = _columns(_healthy(), val)
    acc = [0.5, 0.6, 0.7, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81]
    columns["val_acc"] = [acc[i // PER_EPOCH] if (i + 1) % PER_EPOCH == 0 else None
                          for i in range(STEPS)]
    facts = _facts(tmp_path, columns)
    assert facts["val.rising_while_train_falls"] is True
    assert facts["val.divergence_epoch"] == 3
    assert facts["val.acc_rising_while_loss_rising"] is True


def test_underfitting_close_and_high(tmp_path: Path) -> None:
    train = 2.3 - 0.2 * (1 - np.exp(-T / 50)) + RNG.normal(0, 0.02, STEPS)
    facts = _facts(tmp_path, _columns(train, np.full(10, 2.12)))
    assert facts["train_val.close_and_high"] is True


def test_accuracy_at_chance_and_majority(tmp_path: Path) -> None:
    columns = _columns(2.3 + RNG.normal(0, 0.01, STEPS), np.full(10, 2.3))
    columns["val_acc"] = [0.1 if (i + 1) % PER_EPOCH == 0 else None for i in range(STEPS)]
    facts = _facts(tmp_path, columns)
    assert facts["val.acc_at_chance"] is True and facts["val.acc_at_majority"] is True
    columns["val_acc"] = [0.63 + 0.001 * (i % 3) if (i + 1) % PER_EPOCH == 0 else None
                          for i in range(STEPS)]
    facts = _facts(tmp_path, columns, "b.csv")
    assert facts["val.acc_at_chance"] is UNKNOWN and facts["val.acc_at_majority"] is UNKNOWN


def test_formats_agree(tmp_path: Path) -> None:
    art = train_tiny(tmp_path)
    import csv

    with art.log.open() as f:
        rows = list(csv.DictReader(f))
    columns = {k: [float(r[k]) if r[k] else None for r in rows] for k in rows[0]}
    csv_facts = values_of(probe_curves(Inputs(logs=(art.log,)), ProbeContext()))
    jsonl = write_jsonl_log(tmp_path / "m.jsonl", columns)
    tb = write_tensorboard_log(tmp_path / "tb", columns)
    for path in (jsonl, tb):
        facts = values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext())))
        for fact in ("loss.non_finite", "loss.diverged", "lr.decays", "log.has_validation"):
            assert facts[fact] == csv_facts[fact], (path, fact)
        assert facts["loss.initial"] == pytest.approx(csv_facts["loss.initial"], rel=1e-5)


def test_aliases_and_errors(tmp_path: Path) -> None:
    assert canonical_name("train/loss") == ("loss", 1)
    assert canonical_name("Validation Loss")[0] == "val_loss"
    assert canonical_name("learning-rate")[0] == "lr"
    # the twenty-ninth set's MADE (nll_nats, val_nll_nats) and user 19's counter (sq_err):
    # a unit after the loss's name, squared error spelt out
    assert [(canonical_name(n) or ("",))[0] for n in (
        "nll_nats", "val_nll_nats", "train_loss_bits", "sq_err", "val_sq_err", "foo_bits")] == \
        ["loss", "val_loss", "loss", "loss", "val_loss", ""]
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    nothing = tmp_path / "n.csv"
    nothing.write_text("foo,bar\n1,2\n")
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"loss": 1}\n{oops\n{"loss": 2}\n')
    for path in (empty, nothing, broken, tmp_path / "missing.csv", tmp_path):
        with pytest.raises(InputError) as info:
            read_log(path)
        assert "\n" not in info.value.message and str(path) in info.value.message


def test_white_minibatch_scatter_is_not_oscillation(tmp_path: Path) -> None:
    """Unstructured scatter of about half the level is what small minibatches give near
    convergence; only swings, zig-zags or scatter beyond the level count as oscillation."""
    white = np.exp(-T / 100) + 0.5 + RNG.uniform(-0.5, 0.5, STEPS)
    assert _facts(tmp_path, _columns(white))["loss.oscillating"] is False


def test_a_warm_up_that_outlasts_the_run(tmp_path: Path) -> None:
    """HF's linear warm-up over 4000 steps in a 378-step run: the logged rate climbs to the
    end, and the run trains at a tenth of its rate."""
    flat = 1.61 + RNG.normal(0, 0.01, STEPS)
    warming = _facts(tmp_path, _columns(flat, lr=np.linspace(2e-7, 9.2e-5, STEPS)))
    assert warming["lr.still_warming_up"] is True and warming["lr.decays"] is False
    warm_then_decay = np.concatenate([np.linspace(1e-5, 1e-3, 40),
                                      np.linspace(1e-3, 1e-5, STEPS - 40)])
    done = _facts(tmp_path, _columns(_healthy(), lr=warm_then_decay), "done.csv")
    assert done["lr.still_warming_up"] is False
    constant = _facts(tmp_path, _columns(_healthy(), lr=np.full(STEPS, 1e-3)), "const.csv")
    assert constant["lr.still_warming_up"] is False
    # a Poincaré embedding's burn-in: 0.1 for a tenth of the run, then 1 held to the end
    held = np.where(np.arange(STEPS) < STEPS // 10, 0.1, 1.0)
    burn_in = _facts(tmp_path, _columns(_healthy(), lr=held), "held.csv")
    assert burn_in["lr.still_warming_up"] is False


def test_a_loss_that_was_never_a_number(tmp_path: Path) -> None:
    """Every logged loss inf from the first row (an L1 on log-depth with depth-0 holes)."""
    never = _facts(tmp_path, _columns(np.full(12, np.inf)))
    assert never["loss.never_finite"] is True and never["loss.non_finite"] is True
    late = _facts(tmp_path, _columns(np.concatenate([_healthy()[:10], [np.nan, np.nan]])),
                  "late.csv")
    assert "loss.never_finite" not in late


def test_a_training_loss_summed_over_micro_batches_is_not_compared_with_validation(
        tmp_path: Path) -> None:
    """HF's Trainer at gradient_accumulation_steps=32 logged 35.2 (32 × ln 3) against a
    validation loss of 1.1: validation 'beat' training 32-fold and read as wrong labels."""
    train = 32 * 1.0986 + RNG.normal(0, 0.05, 200)
    facts = _facts(tmp_path, _columns(train, np.full(10, 1.0986)))
    assert facts["train_val.gap_ratio"] is UNKNOWN
    assert facts["train_val.close_and_high"] is UNKNOWN


def test_a_validation_recall_of_zero_is_read(tmp_path: Path) -> None:
    """A 95:5 binary classifier logs val_acc 0.95 and val_recall 0: it never predicts the
    positive class."""
    recall = [0.0 if (i + 1) % PER_EPOCH == 0 else None for i in range(STEPS)]
    facts = _facts(tmp_path, _columns(_healthy(), HEALTHY_VAL, val_recall=recall))
    assert facts["val.recall_zero"] is True
    learnt = [0.7 if (i + 1) % PER_EPOCH == 0 else None for i in range(STEPS)]
    facts = _facts(tmp_path, _columns(_healthy(), HEALTHY_VAL, val_f1=learnt), "f1.csv")
    assert facts["val.recall_zero"] is False


def test_a_nan_that_comes_and_goes(tmp_path: Path) -> None:
    """A Gaussian NLL whose variance head goes negative on some batches: NaN epochs between
    finite ones, the weights never blown up."""
    curve = _healthy()
    curve[[0, 150, 300]] = np.nan
    assert _facts(tmp_path, _columns(curve))["loss.non_finite_recovers"] is True
    blown = _healthy()
    blown[200:] = np.nan
    assert _facts(tmp_path, _columns(blown), "blown.csv")["loss.non_finite_recovers"] is False
