"""Smoke test of the hand-written benchmark: two real runs and the scorer (not the verdicts).

Trains one healthy and one broken hand run (the wine MLP, a few seconds each) into a
temporary folder with their own scripts, then scores them in the checkpoint + log mode with
the installed ``diagnose``. Checks the files each script leaves, that the scorer reads both
reports (exit 0 or 1, faults with confidences in [0, 1]) and that its totals count one
broken and one healthy run. dldoctor's answers are not checked: this benchmark measures
whatever it gives.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bench.hand import score
from bench.hand.score import (
    RUNS,
    SCRIPTS,
    SETS,
    Outcome,
    command,
    diagnose,
    main,
    ordinal,
    scripts,
    summary,
)
from tests.support import forkcli

HEALTHY, BROKEN = "mlp_wine_ok", "mlp_wine_weight_decay"

# The scripts run in the warm fork server (tests/support/forkcli.py): the same command lines
# without paying the interpreter's and torch's start-up each time. The tuned set's scorer runs
# the installed ``diagnose`` as real subprocesses; the fresh and third sets' fork it too.


def _generate(folder: Path, names: tuple[str, str], out: Path) -> None:
    """Run two hand scripts into ``out`` from the fork server, as ``score.generate`` would."""
    for name in names:
        forkcli.run([sys.executable, str(folder / f"{name}.py"), "--out", str(out / name)],
                    check=True, capture_output=True, text=True,
                    env={**os.environ, "OMP_NUM_THREADS": "1"})


@pytest.fixture
def forked_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scorer's ``diagnose`` command lines run in the fork server."""
    monkeypatch.setattr(score, "subprocess", SimpleNamespace(run=forkcli.run))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hand")
    _generate(SCRIPTS, (HEALTHY, BROKEN), out)
    return out


def test_scripts_leave_what_dldoctor_reads(runs: Path) -> None:
    for name, healthy in ((HEALTHY, True), (BROKEN, False)):
        truth = json.loads((runs / name / "truth.json").read_text())
        assert truth["healthy"] is healthy and bool(truth["causes"]) is not healthy
        for key in ("checkpoint", "log", "batch"):
            assert (runs / name / truth["files"][key]).is_file()
        assert (runs / name / "model.py").read_text().count("def build(") == 1


def test_all_mode_passes_model_batch_and_complaint(runs: Path) -> None:
    truth = json.loads((runs / BROKEN / "truth.json").read_text())
    cmd = command(runs / BROKEN, truth, "all")
    assert cmd[cmd.index("--symptom") + 1] == truth["complaint"]
    assert cmd[cmd.index("--model") + 1].endswith("model.py:build")
    assert "--model" not in command(runs / BROKEN, truth, "ckpt_log")
    files = command(runs / BROKEN, truth, "files")
    assert "--model" in files and "--batch" in files and "--symptom" not in files


def test_scorer_reads_both_reports(runs: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    assert main(["--runs", str(runs), "--modes", "ckpt_log", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"| {HEALTHY} | ckpt_log | healthy |" in printed
    assert f"| {BROKEN} | ckpt_log | over_regularization |" in printed
    result = json.loads(out.read_text())
    assert result["totals"]["ckpt_log"]["broken"] == 1
    assert result["totals"]["ckpt_log"]["healthy"] == 1
    assert result["totals"]["ckpt_log"]["errors"] == 0
    for run in result["runs"]["ckpt_log"]:
        assert run["rc"] in (0, 1) and not run["error"]
        assert all(isinstance(c, str) and 0.0 <= conf <= 1.0 for c, conf in run["faults"])


def test_unreadable_run_is_an_error_not_a_crash(runs: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    truth = json.loads((runs / HEALTHY / "truth.json").read_text())
    (bad / "truth.json").write_text(json.dumps(truth))
    (bad / truth["files"]["checkpoint"]).write_text("not a checkpoint")
    (bad / truth["files"]["log"]).write_text("epoch,train_loss\n0,1.0\n")
    outcome = diagnose(bad, "ckpt_log")
    assert outcome.rc == 2 and outcome.error and outcome.verdict == "ERROR"


# The fresh set (bench/hand/fresh): one healthy and one broken run, generated and scored.
FRESH_HEALTHY, FRESH_BROKEN = "spirals_mlp_ok", "spirals_dead_relu"


@pytest.fixture(scope="module")
def fresh_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hand-fresh")
    _generate(SETS["fresh"][0], (FRESH_HEALTHY, FRESH_BROKEN), out)
    return out


def test_sets_are_found_by_folder_in_the_order_written() -> None:
    assert [ordinal(n) for n in ("hand", "fresh", "third", "twelfth", "twentieth", "fortyfifth",
                                 "hundredth", "hundredeleventh", "hundredsixtysixth",
                                 "twohundredth", "twohundredfirst", "twohundredthirtyfourth",
                                 "threehundredth", "threehundredfirst",
                                 "threehundredninetyninth")] == [
        1, 2, 3, 12, 20, 45, 100, 111, 166, 200, 201, 234, 300, 301, 399]
    assert [ordinal(name) for name in SETS] == list(range(1, len(SETS) + 1))
    assert SETS["hundredsixtysixth"] == (Path(__file__).parents[1] / "bench" / "hand"
                                         / "hundredsixtysixth", RUNS.with_name(
                                             "hand-hundredsixtysixth"))
    with pytest.raises(ValueError, match="not an ordinal"):
        ordinal("runs")


def test_fresh_scripts_are_their_own_set() -> None:
    folder = SETS["fresh"][0]
    names = {p.stem for p in scripts(folder)}
    assert {FRESH_HEALTHY, FRESH_BROKEN} <= names and len(names) >= 24
    assert not names & {p.stem for p in scripts()}  # no run shared with the tuned set
    assert SETS["fresh"][1].name == "hand-fresh" and SETS["hand"][1].name == "hand"


def test_fresh_runs_are_read_by_the_scorer(fresh_runs: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           forked_scorer: None) -> None:
    for name, healthy in ((FRESH_HEALTHY, True), (FRESH_BROKEN, False)):
        truth = json.loads((fresh_runs / name / "truth.json").read_text())
        assert truth["healthy"] is healthy and (healthy or truth["complaint"])
        assert (fresh_runs / name / "model.py").read_text().count("def build(") == 1
    out = tmp_path / "fresh.json"
    assert main(["--set", "fresh", "--runs", str(fresh_runs), "--modes", "ckpt_log",
                 "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"| {FRESH_HEALTHY} | ckpt_log | healthy |" in printed
    assert f"| {FRESH_BROKEN} | ckpt_log | dead_relu |" in printed
    totals = json.loads(out.read_text())["totals"]["ckpt_log"]
    assert (totals["broken"], totals["healthy"], totals["errors"]) == (1, 1, 0)


def test_a_bug_without_cause_id_counts_as_broken() -> None:
    no_id = Outcome("x", "all", [], 1, faults=[("labels_wrong", 0.8)], truth_healthy=False)
    assert not no_id.healthy and not no_id.false_alarm and no_id.verdict == "miss"
    assert no_id.wrong == 1
    assert Outcome("y", "all", [], 0).healthy  # older truth.json: no causes = healthy
    assert summary([no_id])["broken"] == 1


def _set_scripts(which: str) -> tuple[set[str], set[str], dict[str, str], list[str]]:
    """A hand set's script names, the names of every set before it, each script's text, and
    the scripts that train with a library loop (Lightning or the HF Trainer)."""
    names = {p.stem for p in scripts(SETS[which][0])}
    order = list(SETS)
    earlier = {p.stem for other in order[:order.index(which)] for p in scripts(SETS[other][0])}
    texts = {p.stem: p.read_text() for p in scripts(SETS[which][0])}
    library = [n for n, t in texts.items() if "import lightning" in t or "from transformers" in t]
    return names, earlier, texts, library


def _generate_broken(which: str, name: str, factory: pytest.TempPathFactory
                     ) -> tuple[Path, dict[str, Any]]:
    """Run one broken script of a hand set into a fresh folder: (the runs folder, its truth)."""
    runs = factory.mktemp(f"hand-{which}")
    forkcli.run([sys.executable, str(SETS[which][0] / f"{name}.py"), "--out", str(runs / name)],
                check=True, capture_output=True, text=True,
                env={**os.environ, "OMP_NUM_THREADS": "1"})
    truth = json.loads((runs / name / "truth.json").read_text())
    assert truth["healthy"] is False and truth["complaint"]
    return runs, truth


def _scored_alone(which: str, name: str, runs: Path, tmp_path: Path,
                  capsys: pytest.CaptureFixture[str], expected: str) -> None:
    """The scorer reads the one run from checkpoint + log: a row naming ``expected``, one
    broken run, no error."""
    out = tmp_path / f"{which}.json"
    assert main(["--set", which, "--runs", str(runs), "--modes", "ckpt_log",
                 "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"| {name} | ckpt_log | {expected} |" in printed
    totals = json.loads(out.read_text())["totals"]["ckpt_log"]
    assert (totals["broken"], totals["healthy"], totals["errors"]) == (1, 0, 0)


# The third to seventh sets: each names one healthy and one broken plain-torch script; the
# broken one is generated and scored in the checkpoint + log mode (the scorer's reading of a
# healthy run is the tuned and fresh sets' test, and a second run per set cost the suite its
# time limit); the Lightning / HF runs are bench-only (CI does not install those libraries).
# The fourth to twelfth sets' runs are marked ``bench_sets`` (the scorer's code is the same for
# every set; the suite runs the third, seventh and thirteenth): `pytest -m bench_sets` runs them.
THIRD_HEALTHY, THIRD_BROKEN = "leaf_species_quick_ok", "credit_bce_labels_12"


def test_third_scripts_are_their_own_set() -> None:
    folder = SETS["third"][0]
    names = {p.stem for p in scripts(folder)}
    assert {THIRD_HEALTHY, THIRD_BROKEN} <= names and len(names) >= 24
    assert not names & ({p.stem for p in scripts()} | {p.stem for p in scripts(SETS["fresh"][0])})
    library = [p for p in scripts(folder)
               if "import lightning" in p.read_text() or "from transformers" in p.read_text()]
    assert len(library) >= 8
    assert SETS["third"][1].name == "hand-third"


def test_third_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                         tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         forked_scorer: None) -> None:
    runs, truth = _generate_broken("third", THIRD_BROKEN, tmp_path_factory)
    for key in ("checkpoint", "log", "batch"):
        assert (runs / THIRD_BROKEN / truth["files"][key]).is_file()
    assert set(torch_load_targets(runs / THIRD_BROKEN / "batch.pt")) == {1.0, 2.0}
    _scored_alone("third", THIRD_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


def torch_load_targets(path: Path) -> list[float]:
    """The distinct target values of a saved ``(inputs, targets)`` batch."""
    import torch

    return sorted(torch.load(path)[1].unique().tolist())


# The fourth set (bench/hand/fourth): the accumulation run that divides twice.
FOURTH_HEALTHY, FOURTH_BROKEN = "taxi_gauss_nll_ok", "speaker_mfcc_accum_double_div"


def test_fourth_scripts_are_their_own_set() -> None:
    folder = SETS["fourth"][0]
    names = {p.stem for p in scripts(folder)}
    assert {FOURTH_HEALTHY, FOURTH_BROKEN} <= names and len(names) >= 24
    earlier = {p.stem for which in ("hand", "fresh", "third") for p in scripts(SETS[which][0])}
    assert not names & earlier
    library = [p for p in scripts(folder)
               if "import lightning" in p.read_text() or "from transformers" in p.read_text()]
    assert len(library) >= 8
    assert SETS["fourth"][1].name == "hand-fourth" and SETS["third"][1].name == "hand-third"


@pytest.mark.bench_sets
def test_fourth_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                          tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          forked_scorer: None) -> None:
    runs, truth = _generate_broken("fourth", FOURTH_BROKEN, tmp_path_factory)
    for key in ("checkpoint", "log", "batch"):
        assert (runs / FOURTH_BROKEN / truth["files"][key]).is_file()
    _scored_alone("fourth", FOURTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The fifth set (bench/hand/fifth): the loan MLP trained by SGD at lr 3 (~4 s).
FIFTH_HEALTHY, FIFTH_BROKEN = "loans_mlp_onecycle_ok", "loans_mlp_sgd_lr3"


def test_fifth_scripts_are_their_own_set() -> None:
    folder = SETS["fifth"][0]
    names = {p.stem for p in scripts(folder)}
    assert {FIFTH_HEALTHY, FIFTH_BROKEN} <= names and len(names) >= 24
    earlier = {p.stem for which in ("hand", "fresh", "third", "fourth")
               for p in scripts(SETS[which][0])}
    assert not names & earlier
    library = [p for p in scripts(folder)
               if "import lightning" in p.read_text() or "from transformers" in p.read_text()]
    assert len(library) >= 8
    assert SETS["fifth"][1].name == "hand-fifth" and SETS["fourth"][1].name == "hand-fourth"


@pytest.mark.bench_sets
def test_fifth_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                         tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         forked_scorer: None) -> None:
    import torch

    runs, truth = _generate_broken("fifth", FIFTH_BROKEN, tmp_path_factory)
    for key in ("checkpoint", "log", "batch"):
        assert (runs / FIFTH_BROKEN / truth["files"][key]).is_file()
    # the broken run really trained at lr 3 and stayed near 0.6
    ckpt = torch.load(runs / FIFTH_BROKEN / "checkpoint.pth")
    assert ckpt["optimizer"]["param_groups"][0]["initial_lr"] == 3
    history = (runs / FIFTH_BROKEN / "history.jsonl").read_text().splitlines()
    assert json.loads(history[-1])["val_accuracy"] < 0.7
    _scored_alone("fifth", FIFTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The sixth set (bench/hand/sixth): the logistic-regression ring baseline (~3 s).
SIXTH_HEALTHY, SIXTH_BROKEN = "huber_rent_nobias_ok", "rings_logreg_rmsprop_underfit"


def test_sixth_scripts_are_their_own_set() -> None:
    folder = SETS["sixth"][0]
    names = {p.stem for p in scripts(folder)}
    assert {SIXTH_HEALTHY, SIXTH_BROKEN} <= names and len(names) >= 22
    earlier = {p.stem for which in ("hand", "fresh", "third", "fourth", "fifth")
               for p in scripts(SETS[which][0])}
    assert not names & earlier
    texts = {p.stem: p.read_text() for p in scripts(folder)}
    library = [n for n, t in texts.items() if "import lightning" in t or "from transformers" in t]
    assert len(library) >= 7
    assert not any(w in texts[n] for n in (SIXTH_HEALTHY, SIXTH_BROKEN)
                   for w in ("lightning", "transformers"))
    assert SETS["sixth"][1].name == "hand-sixth" and SETS["fifth"][1].name == "hand-fifth"


@pytest.mark.bench_sets
def test_sixth_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                         tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         forked_scorer: None) -> None:
    import torch

    runs, truth = _generate_broken("sixth", SIXTH_BROKEN, tmp_path_factory)
    for key in ("checkpoint", "log", "batch"):
        assert (runs / SIXTH_BROKEN / truth["files"][key]).is_file()
    # one Linear layer trained by RMSprop that stays at ln 3
    ckpt = torch.load(runs / SIXTH_BROKEN / "baseline.pt")
    assert set(ckpt["model_state_dict"]) == {"linear.weight", "linear.bias"}
    assert "square_avg" in next(iter(ckpt["optimizer_state_dict"]["state"].values()))
    history = (runs / SIXTH_BROKEN / "train.jsonl").read_text().splitlines()
    assert json.loads(history[-1])["val_loss"] > 1.0
    _scored_alone("sixth", SIXTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The seventh set (bench/hand/seventh): the hand-written Poisson deviance (~4 s).
SEVENTH_HEALTHY, SEVENTH_BROKEN = "quantile_delivery_times_ok", "poisson_rentals_log_zero"


def test_seventh_scripts_are_their_own_set() -> None:
    folder = SETS["seventh"][0]
    names = {p.stem for p in scripts(folder)}
    assert {SEVENTH_HEALTHY, SEVENTH_BROKEN} <= names and len(names) >= 24
    earlier = {p.stem for which in ("hand", "fresh", "third", "fourth", "fifth", "sixth")
               for p in scripts(SETS[which][0])}
    assert not names & earlier
    texts = {p.stem: p.read_text() for p in scripts(folder)}
    library = [n for n, t in texts.items() if "import lightning" in t or "from transformers" in t]
    assert len(library) >= 6
    assert not any(w in texts[n] for n in (SEVENTH_HEALTHY, SEVENTH_BROKEN)
                   for w in ("lightning", "transformers"))
    assert SETS["seventh"][1].name == "hand-seventh" and SETS["sixth"][1].name == "hand-sixth"


def test_seventh_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                           tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           forked_scorer: None) -> None:
    import math

    import torch

    runs, truth = _generate_broken("seventh", SEVENTH_BROKEN, tmp_path_factory)
    for key in ("checkpoint", "log", "batch"):
        assert (runs / SEVENTH_BROKEN / truth["files"][key]).is_file()
    # the hand-written deviance is NaN from the first epoch, and so are the weights
    history = (runs / SEVENTH_BROKEN / "rentals.jsonl").read_text().splitlines()
    assert math.isnan(json.loads(history[0])["train_deviance"])
    ckpt = torch.load(runs / SEVENTH_BROKEN / "rentals.pt")
    assert torch.isnan(ckpt["model"]["net.0.weight"]).all()
    _scored_alone("seventh", SEVENTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The eighth set (bench/hand/eighth): one broken plain-torch run (the Huber regression whose
# hand standardisation divides a constant column by std 0, ~5 s), generated and scored in the
# checkpoint + log mode; the set's other 21 runs, Lightning / HF included, are bench-only.
EIGHTH_BROKEN = "huber_solar_const_column"


def test_eighth_scripts_are_their_own_set() -> None:
    names, earlier, texts, library = _set_scripts("eighth")
    assert EIGHTH_BROKEN in names and len(names) >= 20
    assert not names & earlier
    assert len(library) >= 6 and not any(w in texts[EIGHTH_BROKEN]
                                         for w in ("lightning", "transformers"))
    assert SETS["eighth"][1].name == "hand-eighth" and SETS["seventh"][1].name == "hand-seventh"


@pytest.mark.bench_sets
def test_eighth_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                          tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          forked_scorer: None) -> None:
    import math

    import torch

    runs, truth = _generate_broken("eighth", EIGHTH_BROKEN, tmp_path_factory)
    for key in ("checkpoint", "log", "batch"):
        assert (runs / EIGHTH_BROKEN / truth["files"][key]).is_file()
    # the constant column's 0/0 makes the loss NaN from the first epoch, and the weights too
    first = (runs / EIGHTH_BROKEN / "solar_history.csv").read_text().splitlines()[1]
    assert math.isnan(float(first.split(",")[1]))
    ckpt = torch.load(runs / EIGHTH_BROKEN / "solar_mlp.pt")
    assert torch.isnan(ckpt["model"]["0.weight"]).any()
    _scored_alone("eighth", EIGHTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The ninth set (bench/hand/ninth): one broken plain-torch run (the soil-moisture MLP whose
# BatchNorm layers see batches of 2, ~7 s), generated and scored in the checkpoint + log mode;
# the set's other 19 runs, Lightning / HF included, are bench-only.
NINTH_BROKEN = "soil_bn_mlp_batch2"


def test_ninth_scripts_are_their_own_set() -> None:
    names, earlier, texts, library = _set_scripts("ninth")
    assert NINTH_BROKEN in names and len(names) >= 20
    assert not names & earlier
    assert len(library) >= 5 and not any(w in texts[NINTH_BROKEN]
                                         for w in ("lightning", "transformers"))
    assert SETS["ninth"][1].name == "hand-ninth" and SETS["eighth"][1].name == "hand-eighth"


@pytest.mark.bench_sets
def test_ninth_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                         tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         forked_scorer: None) -> None:
    import torch

    runs, truth = _generate_broken("ninth", NINTH_BROKEN, tmp_path_factory)
    assert truth["causes"] == ["bn_small_batch"]
    for key in ("checkpoint", "log", "batch"):
        assert (runs / NINTH_BROKEN / truth["files"][key]).is_file()
    # batches of 2 through BatchNorm: the val MSE ends above the target variance
    last = json.loads((runs / NINTH_BROKEN / "soil_train.jsonl").read_text().splitlines()[-1])
    assert last["val_mse"] > 0.8 * last["val_var"]
    ckpt = torch.load(runs / NINTH_BROKEN / "soil_mlp.pt")
    assert ckpt["batch_size"] == 2 and "1.running_var" in ckpt["model"]
    _scored_alone("ninth", NINTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The tenth set (bench/hand/tenth): one broken plain-torch run (the film-rating matrix
# factorisation with Adam's weight_decay=1.0, ~5 s), generated and scored in the checkpoint +
# log mode; the set's other 11 runs, the two Lightning ones included, are bench-only.
TENTH_BROKEN = "mf_ratings_adam_wd1"


def test_tenth_scripts_are_their_own_set() -> None:
    names, earlier, texts, library = _set_scripts("tenth")
    assert TENTH_BROKEN in names and len(names) == 12
    assert not names & earlier
    assert len(library) == 2 and not any(w in texts[TENTH_BROKEN]
                                         for w in ("lightning", "transformers"))
    assert SETS["tenth"][1].name == "hand-tenth" and SETS["ninth"][1].name == "hand-ninth"


@pytest.mark.bench_sets
def test_tenth_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                         tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         forked_scorer: None) -> None:
    import csv

    import torch

    runs, truth = _generate_broken("tenth", TENTH_BROKEN, tmp_path_factory)
    assert truth["causes"] == ["over_regularization"]
    for key in ("checkpoint", "log", "batch"):
        assert (runs / TENTH_BROKEN / truth["files"][key]).is_file()
    # weight decay 1.0 pulls every factor and the global mean to 0: the val RMSE ends above
    # the "predict each film's mean" baseline and above where it started
    rows = list(csv.DictReader((runs / TENTH_BROKEN / "mf_history.csv").open()))
    last = rows[-1]
    assert float(last["val_rmse"]) > float(last["val_rmse_item_mean_baseline"])
    assert float(last["val_rmse"]) > float(rows[0]["val_rmse"])
    ckpt = torch.load(runs / TENTH_BROKEN / "mf.pt")
    assert ckpt["optimizer"]["param_groups"][0]["weight_decay"] == 1.0
    assert "user_emb.weight" in ckpt["state_dict"]
    _scored_alone("tenth", TENTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The eleventh set (bench/hand/eleventh): one broken plain-torch run (the pairwise ranker whose
# MarginRankingLoss arguments are swapped, ~5 s), generated and scored in the checkpoint + log
# mode; the set's other 17 runs, the Lightning and HF Trainer ones included, are bench-only.
ELEVENTH_BROKEN = "ranker_margin_pairs_flipped"


def test_eleventh_scripts_are_their_own_set() -> None:
    names, earlier, texts, library = _set_scripts("eleventh")
    assert ELEVENTH_BROKEN in names and len(names) == 18
    assert not names & earlier
    assert len(library) == 5 and not any(w in texts[ELEVENTH_BROKEN]
                                         for w in ("lightning", "transformers"))
    assert SETS["eleventh"][1].name == "hand-eleventh"


@pytest.mark.bench_sets
def test_eleventh_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                            tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            forked_scorer: None) -> None:
    import csv

    import torch

    runs, truth = _generate_broken("eleventh", ELEVENTH_BROKEN, tmp_path_factory)
    assert truth["causes"] == ["labels_wrong", "loss_sign_error"]
    for key in ("checkpoint", "log", "batch"):
        assert (runs / ELEVENTH_BROKEN / truth["files"][key]).is_file()
    # the ranking is learned upside down: the loss falls while NDCG@5 ends far below chance
    rows = list(csv.DictReader((runs / ELEVENTH_BROKEN / "ranker_log.csv").open()))
    assert float(rows[-1]["train_loss"]) < float(rows[0]["train_loss"])
    assert float(rows[-1]["val_ndcg@5"]) < 0.1 and float(rows[-1]["val_pair_acc"]) < 0.2
    ckpt = torch.load(runs / ELEVENTH_BROKEN / "ranker.pt")
    assert "0.weight" in ckpt["model_state_dict"] and "state" in ckpt["optimizer_state_dict"]
    _scored_alone("eleventh", ELEVENTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The twelfth set (bench/hand/twelfth): one broken plain-torch run (the multi-task shop MLP
# whose revenue target is left in k-euro next to a cross-entropy, ~4 s), generated and scored
# in the checkpoint + log mode; the set's other 17 runs, the Lightning and HF Trainer ones
# included, are bench-only.
TWELFTH_BROKEN = "multitask_shops_revenue_raw"


def test_twelfth_scripts_are_their_own_set() -> None:
    names, earlier, texts, library = _set_scripts("twelfth")
    assert TWELFTH_BROKEN in names and len(names) == 18
    assert not names & earlier
    assert len(library) == 5 and not any(w in texts[TWELFTH_BROKEN]
                                         for w in ("lightning", "transformers"))
    assert SETS["twelfth"][1].name == "hand-twelfth"


@pytest.mark.bench_sets
def test_twelfth_run_is_read_by_the_scorer(tmp_path_factory: pytest.TempPathFactory,
                                           tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           forked_scorer: None) -> None:
    import csv

    import torch

    runs, truth = _generate_broken("twelfth", TWELFTH_BROKEN, tmp_path_factory)
    assert truth["causes"] == ["multitask_loss_imbalance", "input_not_normalized"]
    for key in ("checkpoint", "log", "batch"):
        assert (runs / TWELFTH_BROKEN / truth["files"][key]).is_file()
    # the MSE in k-euro² dwarfs the cross-entropy, and the format head stays near chance
    rows = list(csv.DictReader((runs / TWELFTH_BROKEN / "shops_log.csv").open()))
    assert float(rows[0]["reg_loss"]) > 1000 * float(rows[0]["cls_loss"])
    assert float(rows[-1]["val_acc"]) < 0.6 and float(rows[-1]["cls_loss"]) > 1.0
    ckpt = torch.load(runs / TWELFTH_BROKEN / "shopnet.pt")
    assert "trunk.0.weight" in ckpt["model"] and "state" in ckpt["optimizer"]
    _scored_alone("twelfth", TWELFTH_BROKEN, runs, tmp_path, capsys, " / ".join(truth["causes"]))


# The thirteenth set (bench/hand/thirteenth): one broken plain-torch run (the film recommender
# whose item embeddings were left frozen, ~4 s), generated and scored in the checkpoint + log
# mode; the set's other 11 runs, the Lightning and HF Trainer ones included, are bench-only.
THIRTEENTH_BROKEN = "mf_movies_item_emb_frozen"


def test_thirteenth_run_is_its_own_set_and_read_by_the_scorer(
        tmp_path_factory: pytest.TempPathFactory, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], forked_scorer: None) -> None:
    import torch

    names, earlier, _, _ = _set_scripts("thirteenth")
    assert THIRTEENTH_BROKEN in names and len(names) == 12
    assert not names & earlier and SETS["thirteenth"][1].name == "hand-thirteenth"
    runs, truth = _generate_broken("thirteenth", THIRTEENTH_BROKEN, tmp_path_factory)
    assert truth["causes"] == ["gradient_not_flowing"]
    # the film vectors never move: the val RMSE stalls far above the train RMSE
    rows = [json.loads(line) for line in (runs / THIRTEENTH_BROKEN / "mf_log.jsonl").open()]
    assert rows[-1]["val_rmse"] > 0.9 and rows[-1]["train_rmse"] < rows[0]["train_rmse"]
    ckpt = torch.load(runs / THIRTEENTH_BROKEN / "mf.pt")
    assert "item_emb.weight" in ckpt["model"] and len(ckpt["optimizer"]["state"]) == 3
    _scored_alone("thirteenth", THIRTEENTH_BROKEN, runs, tmp_path, capsys, "gradient_not_flowing")
