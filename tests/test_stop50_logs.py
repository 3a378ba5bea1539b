"""Logs the eighty-ninth and ninetieth hand sets wrote, read at stop 50.

A MIRNet run logged ``Train PSNR objective`` and ``Val PSNR (dB)``, a DPT depth run ``silog``
and ``val_absrel``: neither log had a column dldoctor knew, and both runs were refused with
exit 2 though a checkpoint, a model and a batch came with them. A GIN regression logged its
validation R² (0.02–0.07 over 15 epochs) and nothing read it. Units in brackets are now part
of a name's separators, the depth and objective spellings are known, R² pinned at 0 is read
as a model that predicts the mean, and a log whose columns are all unknown no longer refuses
a run that has other files to examine."""

from __future__ import annotations

from pathlib import Path

from dldoctor.probes.logs import read_log
from dldoctor.probes.metric_names import canonical_name, normalise
from tests.support import forkcli
from tests.support.artefacts import train_tiny
from tests.support.facts import curve_facts


def test_units_in_brackets_and_percent_signs_are_separators() -> None:
    assert normalise("Val PSNR (dB)") == "val_psnr_db"
    assert normalise("Val Acc (%)") == "val_acc"
    assert normalise("loss [val]") == "loss_val"
    names = {c: canonical_name(c) for c in ("Val PSNR (dB)", "Val Acc (%)", "loss (val)")}
    assert {c: n and n[0] for c, n in names.items()} == {
        "Val PSNR (dB)": "val_db_score", "Val Acc (%)": "val_acc", "loss (val)": "val_loss"}


def test_a_psnr_objective_log_is_read(tmp_path: Path) -> None:
    path = tmp_path / "enhance_log.csv"
    path.write_text("Epoch,Train PSNR objective,Val PSNR (dB),Dark input PSNR (dB)\n"
                    + "".join(f"{e},{-18.9 - 20 * e:.3f},4.866,6.366\n" for e in range(1, 9)))
    metrics = read_log(path)
    assert metrics.series["loss"].column == "Train PSNR objective"
    assert metrics.series["val_db_score"].column == "Val PSNR (dB)"


def test_a_depth_log_is_read(tmp_path: Path) -> None:
    path = tmp_path / "depth.csv"
    path.write_text("epoch,silog,val_absrel,val_delta1\n"
                    + "".join(f"{e},{0.5 - 0.03 * e},{0.3 - 0.01 * e},{0.4 + 0.03 * e}\n"
                              for e in range(1, 8)))
    metrics = read_log(path)
    assert metrics.series["loss"].column == "silog"
    assert metrics.series["val_loss"].column == "val_absrel"


def test_a_validation_r2_pinned_at_zero_is_read(tmp_path: Path) -> None:
    r2: list[float | None] = [-0.0135, 0.0655, 0.0329, 0.0473, 0.02, 0.041]
    pinned = curve_facts(tmp_path, {"epoch": list(range(1, 7)),
                                    "train_mse": [1.04, 1.06, 1.02, 1.04, 1.03, 1.02],
                                    "val_mse": [1.05, 0.97, 1.0, 0.99, 1.0, 0.98],
                                    "val_r2": r2})
    assert pinned["val.r2_at_zero"] is True
    learning = curve_facts(tmp_path, {"epoch": list(range(1, 7)),
                                      "train_mse": [1.0, 0.7, 0.5, 0.4, 0.35, 0.3],
                                      "val_mse": [1.0, 0.75, 0.55, 0.45, 0.4, 0.36],
                                      "val_r2": [0.0, 0.25, 0.45, 0.55, 0.6, 0.64]},
                           name="learning.csv")
    assert learning["val.r2_at_zero"] is False
    few = curve_facts(tmp_path, {"epoch": [1, 2], "train_mse": [1.0, 1.0],
                                 "val_r2": [0.0, 0.01]}, name="few.csv")
    assert "val.r2_at_zero" not in few  # two evaluations say nothing


def test_a_log_of_unknown_columns_beside_a_checkpoint_is_noted_not_refused(
        tmp_path: Path) -> None:
    run = train_tiny(tmp_path / "run")
    log = tmp_path / "odd.csv"
    log.write_text("Epoch,Foo,Bar\n1,2,3\n2,3,4\n3,4,5\n")
    both = forkcli.run(["diagnose", "--checkpoint", run.checkpoint, "--log", log,
                        "--no-input", "--device", "cpu"], capture_output=True, text=True)
    assert both.returncode in (0, 1), both.stderr
    assert "odd.csv: no known metric columns among Epoch, Foo, Bar, so its curves were " \
           "not read" in both.stdout + both.stderr
    alone = forkcli.run(["diagnose", "--log", log, "--no-input"], capture_output=True,
                        text=True)
    assert alone.returncode == 2  # with nothing else to examine the log is refused
    assert "odd.csv: no known metric columns among Epoch, Foo, Bar" in alone.stderr


def test_a_lightning_loss_per_step_is_read_before_its_epoch_mean(tmp_path: Path) -> None:
    """The eighty-sixth set's healthy GLPN logs ``train_silog_epoch`` before
    ``train_silog_step``: read from its six epoch means, a loss still falling read as
    'close to validation and high' (underfitting 0.68, a false alarm)."""
    path = tmp_path / "metrics.csv"
    rows = ["epoch,step,train_silog_epoch,train_silog_step,val_abs_rel,val_silog"]
    for epoch in range(6):
        for k in range(4):
            rows.append(f"{epoch},{epoch * 8 + k},,{0.45 / (1 + epoch + k / 4):.4f},,")
        rows.append(f"{epoch},{epoch * 8 + 7},,,{0.15 / (1 + epoch):.4f},{0.18 / (1 + epoch):.4f}")
        rows.append(f"{epoch},{epoch * 8 + 7},{0.24 / (1 + epoch):.4f},,,")
    path.write_text("\n".join(rows) + "\n")
    metrics = read_log(path)
    assert metrics.series["loss"].column == "train_silog_step"
    assert metrics.series["val_loss"].column == "val_silog"  # paired with the training kind


def test_a_share_said_in_chinese_numerals_is_a_share() -> None:
    """The ninety-first set's MatchboxNet complaint: 验证集准确率……卡在百分之八十多 was read
    as accuracy at chance; 百分之八十 is 80 %, above any chance level (as "stuck at 92%" is)."""
    from dldoctor.engine import load_kb
    from dldoctor.engine.symptoms import match_symptoms
    from dldoctor.kb import BUILTIN_KB

    kb = load_kb([BUILTIN_KB])

    def named(text: str) -> list[str]:
        return [m.symptom for m in match_symptoms(kb, text, limit=3)]

    assert "acc_chance" not in named("验证准确率一直上不去，卡在百分之八十多")
    assert named("验证准确率卡在百分之二十左右，跟瞎猜差不多")[:1] == ["acc_chance"]
    assert named("同一个模型连续评估两次结果都不一样")[:1] == ["eval_not_repeatable"]
