"""Readings the hundred-thirteenth to hundred-twenty-first hand sets asked for at stop 56, each
on real files: the every-k-th-iteration gradient accumulation idiom with an undivided loss, and
a loss logged with its unit after its split (rmse_train_m beside rmse_val_m), and a first epoch's
mean loss thousands of times ln C that only looks like a sum over a batch."""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import paired_loss_columns, read_log
from dldoctor.probes.padding import padding_findings
from dldoctor.probes.source_scan import loss_kind_findings, unscaled_accumulation_findings
from tests.support import check_findings, values_of, write_csv_log

_EVERY_KTH = '''import torch


def build():
    return torch.nn.Linear(4, 1)


if __name__ == "__main__":
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    batches = [(torch.randn(8, 4), torch.randn(8)) for _ in range(16)]
    accum = 4
    opt.zero_grad()
    for i, (x, y) in enumerate(batches):
        {clear}loss = torch.nn.functional.mse_loss(model(x).squeeze(1), y){scale}
        loss.backward()
        if (i + 1) % accum == 0:
            opt.step()
            opt.zero_grad()
'''


def _scan(tmp_path: Path, name: str, clear: str = "", scale: str = "") -> list[bool]:
    path = tmp_path / f"{name}.py"
    path.write_text(_EVERY_KTH.replace("{clear}", clear).replace("{scale}", scale))
    return [f.value for f in unscaled_accumulation_findings(f"{path}:build")
            if f.fact == "src.accumulation_unscaled"]


def test_an_undivided_loss_stepped_every_kth_iteration_is_unscaled_accumulation(
        tmp_path: Path) -> None:
    assert _scan(tmp_path, "unscaled") == [True]
    assert _scan(tmp_path, "divided", scale=" / accum") == []
    # gradients cleared at every iteration: nothing adds up, the step is merely skipped
    assert _scan(tmp_path, "cleared", clear="opt.zero_grad()\n        ") == []


#: The hand sets this test sweeps: a fixed part of the corpus (the whole of it, which grows
#: every stop, is bench/source_sweep.py's)
SWEPT_SETS = 130


def test_the_hand_runs_idiom_is_read_and_no_healthy_hand_script_is(tmp_path: Path) -> None:
    """Every bundled hand script (each is its run's model file) of the first
    :data:`SWEPT_SETS` sets that the scan flags carries gradient accumulation in its truth;
    the modulo idiom of the hundred-seventeenth set's actuarial run is among them."""
    from bench.hand.score import ordinal

    hand = Path(__file__).parents[1] / "bench" / "hand"
    # the reading needs a backward() in the loop: a script that never calls one is not parsed
    def swept(folder: str) -> bool:
        # the first set lives in bench/hand/runs
        return folder == "runs" or ordinal(folder) <= SWEPT_SETS

    scripts = {p: text for p in sorted(hand.glob("*/*.py"))
               if swept(p.parent.name) and "backward" in (text := p.read_text())}
    flagged = {p.name: text for p, text in scripts.items()
               if unscaled_accumulation_findings(f"{p}:build")}
    assert "actuarial_frequency_accum_unscaled.py" in flagged
    assert all('"grad_accum_unscaled"' in text for text in flagged.values()), sorted(flagged)



def test_a_loss_logged_in_metres_for_both_splits_is_the_loss_pair(tmp_path: Path) -> None:
    """The hundred-twenty-fourth set's site-index log names no loss: rmse_train_m and
    rmse_val_m (metres) beside r2_val. The one measurement logged for both splits in one unit
    is the loss pair; a training RMSE in metres beside a validation RMSE in kW is none."""
    log = tmp_path / "siteindex_log.jsonl"
    rows = [{"ep": e, "rmse_train_m": 5.68 - 0.2 * (e > 1), "rmse_val_m": 5.61, "r2_val": 0.05}
            for e in range(1, 11)]
    log.write_text("".join(json.dumps(r) + "\n" for r in rows))
    metrics = read_log(log)
    assert metrics.series["loss"].column == "rmse_train_m"
    assert metrics.series["val_loss"].column == "rmse_val_m"
    assert paired_loss_columns(["rmse_train_m", "rmse_val_kw"]) == {}
    # a unit after an unsplit training name pairs as before (read since Lightning's logs)
    assert paired_loss_columns(["mae_kwh", "val_mae_kwh"]) == {"mae_kwh": "loss",
                                                               "val_mae_kwh": "val_loss"}


def test_a_first_epoch_mean_near_2048_ln_c_that_halves_next_is_huge_logits(
        tmp_path: Path) -> None:
    """The hundred-twenty-second set's postcode MLP (weights drawn at std 1): the first
    epoch's mean loss 4799 is 2084 ln 10, within 3 % of a batch of 2048 summed; the next epoch
    is 1684. A sum pinned at n ln C all epoch comes from a model that learnt nothing and
    does not lose two thirds of it in the next epoch: the logits were huge."""
    def initial_too_high(losses: list[float]) -> object:
        path = write_csv_log(tmp_path / "d.csv", {
            "ep": [float(e) for e in range(1, len(losses) + 1)], "trn_loss": losses,
            "val_loss": [2740.0 / (1 + e) for e in range(len(losses))],
            "val_acc": [0.42 + 0.03 * e for e in range(len(losses))]})
        return values_of(check_findings(curve_findings(read_log(path), classes=10)))[
            "loss.initial_too_high"]

    assert initial_too_high([4799.07, 1683.5, 930.0, 575.4, 379.0, 256.1, 180.2, 109.5]) is True
    # a batch of 2048 summed at ln 10 for a whole epoch, then learning slowly: a sum
    assert initial_too_high([4716.0, 4650.0, 4100.0, 3200.0, 2600.0, 2000.0, 1500.0,
                             1000.0]) is not True


def test_a_training_loss_ending_near_ln_c_is_measured_against_the_guess(tmp_path: Path) -> None:
    """The keratoconus CNN's history: 8 epochs of a 3-class cross-entropy that ends at 0.91,
    0.83 ln 3 — training taught the model little; a regression's MSE gets no such reading."""
    losses = [1.0824, 1.0466, 1.0247, 0.9692, 0.9589, 0.9301, 0.9168, 0.9102]
    path = write_csv_log(tmp_path / "topo_history.csv", {
        "Epoch": [float(e) for e in range(1, 9)], "TrainLoss": losses,
        "ValLoss": [v - 0.08 for v in losses], "ValAcc": [0.5 + 0.025 * e for e in range(8)]})
    found = values_of(check_findings(curve_findings(read_log(path), classes=3)))
    assert abs(found["train.loss_end_over_guess"] - 0.9168 / math.log(3)) < 1e-3
    mse = write_csv_log(tmp_path / "fit.csv", {"epoch": [float(e) for e in range(8)],
                                               "train_mse": losses, "val_mse": losses})
    assert "train.loss_end_over_guess" not in values_of(
        check_findings(curve_findings(read_log(mse), classes=3)))


def test_the_one_kind_of_torch_loss_a_model_file_uses_is_its_loss_kind(tmp_path: Path) -> None:
    """A tagger that ends in nn.Sigmoid and trains with nn.BCEWithLogitsLoss: the file names
    its loss, so no one need be asked which it is; a file of two kinds names none."""
    one = tmp_path / "tagger.py"
    one.write_text("import torch\nfrom torch import nn\n\n\ndef build():\n"
                   "    return nn.Sequential(nn.Linear(4, 3), nn.Sigmoid())\n\n\n"
                   "crit = nn.BCEWithLogitsLoss()\n")
    found = loss_kind_findings(f"{one}:build")
    assert [(f.fact, f.value) for f in found] == [("setup.loss_kind", "bce_logits")]
    two = tmp_path / "two.py"
    two.write_text(one.read_text() + "aux = nn.MSELoss()\n")
    assert loss_kind_findings(f"{two}:build") == []


def test_padding_labelled_minus_one_was_skipped_by_a_loss_that_trained() -> None:
    """The tourist GRU's batch: day itineraries padded with 0, next-stop targets id - 1, so -1
    after a day's end and on the padding. -1 is no class: cross_entropy raises on it unless
    it skips it, so the run that trained did not count the padding."""
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(1, 41, (64, 9), generator=g)
    lengths = torch.randint(3, 10, (64,), generator=g)
    ids[torch.arange(9)[None, :] >= lengths[:, None]] = 0
    inputs, targets = ids[:, :-1], ids[:, 1:] - 1
    found = {f.fact: f.value for f in padding_findings(inputs, targets)}
    assert found["loss.counts_padding"] is False
    assert found["labels.padding_value"] == -1


def test_validation_accuracy_falling_beside_a_climbing_training_accuracy(tmp_path: Path) -> None:
    """The loanword CNN's log: dev accuracy 0.83 → 0.76 as the training loss falls, and the
    training accuracy 0.44 → 0.79 — the objective rewards right answers on its own data."""
    train_acc = [0.438, 0.607, 0.616, 0.643, 0.66, 0.65, 0.68, 0.69, 0.70, 0.71, 0.73, 0.75,
                 0.768, 0.79]
    dev_acc = [0.823, 0.83, 0.875, 0.882, 0.86, 0.85, 0.84, 0.82, 0.80, 0.79, 0.78, 0.77, 0.76,
               0.75]
    path = write_csv_log(tmp_path / "etym_log.csv", {
        "epoch": [float(e) for e in range(1, 15)],
        "train_loss": [1.43 - 0.05 * e for e in range(14)], "train_acc": train_acc,
        "dev_loss": [0.84 - 0.02 * e if e < 4 else 0.6 + 0.013 * e for e in range(14)],
        "dev_acc": dev_acc})
    found = values_of(check_findings(curve_findings(read_log(path), classes=5)))
    assert found["metric.acc_falls_while_loss_falls"] is True
    assert found["train.acc_rose"] is True


def test_a_model_file_nested_past_what_python_compiles_reads_as_no_file(tmp_path: Path) -> None:
    """200 000 additions in one expression: ast.parse raises RecursionError, which the scan
    takes as a file it cannot read (the import then fails with its own one-line error)."""
    from dldoctor.probes.source_scan import source_findings

    deep = tmp_path / "deep.py"
    deep.write_text("def build():\n    return 1\nx = " + "1+" * 200_000 + "1\n")
    # nothing read from it; the batch size it would name is "don't know" (stop 85)
    assert [(f.fact, f.value) for f in source_findings(f"{deep}:build")] == \
        [("src.batch_size", UNKNOWN)]


def test_a_weak_reading_gathered_across_clauses_does_not_replace_them() -> None:
    """Typed in the chat at stop 56: read whole, the train/val/loss/stays terms of two clauses
    made "Validation is better than training" at a weak lead (57.5) — the F1 side is no loss.
    A whole sentence is read instead of its clauses only when it reads clearly; a clause that
    reads clearly on its own keeps its own reading."""
    from dldoctor.engine.symptoms import match_symptoms, symptoms_named
    from dldoctor.kbpaths import load_knowledge

    def named(text: str) -> set[str]:
        return {m.symptom for m in symptoms_named(match_symptoms(load_knowledge(), text, 20))}

    assert "val_better_than_train" not in named(
        "train loss won't go below 0.54 and val F1 stays at 0.40")
    assert "loss_nan_at_start" in named("PFN jet tagger: loss is nan from the very first epoch, "
                                        "val accuracy 0.5, AUC meaningless. Tried lowering the "
                                        "learning rate, still nan.")
