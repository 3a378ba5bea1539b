"""Library run folders read as the libraries write them (issue 14, items 1-3).

Layouts are written with plain torch/json/csv by tests/support/library_layouts.py (faithful
to real runs); tests/test_libraries_runs.py runs the libraries themselves when installed.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
from pathlib import Path

import pytest

from dldoctor.cli.options import make_inputs
from dldoctor.errors import InputError
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import ProbeContext
from dldoctor.probes.checkpoints import load_checkpoint
from dldoctor.probes.logs import read_log
from dldoctor.probes.static_probes import probe_optimizer
from dldoctor.probes.train_args import read_pickled_args
from dldoctor.session import Session

from .support.library_layouts import (
    TrainingArguments,
    train,
    write_accelerate_state,
    write_hf_checkpoint,
    write_lightning_run,
    write_timm_run,
)
from .support.writers import write_tensorboard_log


def _diagnose(checkpoint: Path | None = None, logs: list[Path] | None = None):  # noqa: ANN202
    """What ``diagnose --no-input`` does, in-process: inputs (with log discovery), probes."""
    inputs = make_inputs(checkpoint, logs, None, None, "cpu", False)
    session = Session(_kb(), inputs)
    session.run_probes()
    assert not session.unreadable_inputs(), session.unreadable_inputs()
    return inputs, session.report()


_KB: list = []


def _kb():  # noqa: ANN202
    if not _KB:
        _KB.append(load_knowledge())
    return _KB[0]


def _facts(report) -> dict:  # noqa: ANN001
    return {f.id: f.value for f in report.findings}


def _causes(report) -> list[str]:  # noqa: ANN001
    return [d.cause for d in report.diagnoses]


# ---------------------------------------------------------------- Hugging Face Trainer


def test_hf_checkpoint_folder_is_read_whole_by_the_installed_cli(tmp_path: Path) -> None:
    run = train(epochs=4, lr=1e-2, weight_decay=0.01, split_decay=True)
    folder = write_hf_checkpoint(tmp_path / "out", run, TrainingArguments(
        "out", learning_rate=1e-2, weight_decay=0.01, per_device_train_batch_size=16))
    done = subprocess.run(["diagnose", "--checkpoint", str(folder), "--no-input", "--format",
                           "json"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["inputs"]["logs"] == [str(folder / "trainer_state.json")]
    facts = {f["fact"]: f["value"] for f in report["findings"]}
    assert facts["log.has_validation"] is True  # eval_loss of log_history
    assert facts["setup.batch_size"] == 16  # from training_args.bin, read as data
    assert facts["optimizer.lr"] == pytest.approx(1e-2)
    assert facts["update.ratio"] is not None  # safetensors + separate optimizer.pt
    assert any("eval_runtime" in n for n in report["notes"])  # unused columns are named


def test_trainer_state_json_as_log(tmp_path: Path) -> None:
    run = train(epochs=3)
    folder = write_hf_checkpoint(tmp_path / "out", run, TrainingArguments())
    metrics = read_log(folder / "trainer_state.json")
    assert {"loss", "val_loss", "val_acc", "lr", "grad_norm"} <= set(metrics.series)
    assert metrics.series["val_loss"].values.size == 3
    # the output_dir too: the latest checkpoint-N holds the whole history
    assert read_log(tmp_path / "out").series["loss"].source == folder / "trainer_state.json"


def test_training_args_bin_never_runs_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    class Hostile:
        def __reduce__(self):  # noqa: ANN204
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "training_args.bin"
    path.write_bytes(pickle.dumps({"learning_rate": 0.1, "x": Hostile()}))
    args = read_pickled_args(path)
    assert not marker.exists()
    assert args["learning_rate"] == 0.1
    args = read_pickled_args(_saved(tmp_path, TrainingArguments(learning_rate=3e-4)))
    assert args["learning_rate"] == 3e-4 and args["per_device_train_batch_size"] == 16


def _saved(tmp_path: Path, obj: object) -> Path:
    import torch

    path = tmp_path / "args_torch.bin"
    torch.save(obj, path)
    return path


# ---------------------------------------------------------------- Lightning


def test_lightning_csvlogger_folder_as_log(tmp_path: Path) -> None:
    folder = write_lightning_run(tmp_path, 0, train(epochs=3))
    metrics = read_log(folder)
    assert metrics.series["loss"].column == "train_loss_step"
    assert metrics.series["lr"].column == "lr-AdamW"
    assert {"val_loss", "val_acc"} <= set(metrics.series)
    assert any("train_loss_epoch" in note for note in metrics.unused)


def test_several_lightning_runs_are_never_merged(tmp_path: Path) -> None:
    write_lightning_run(tmp_path, 0, train(epochs=2, seed=0))
    second = write_lightning_run(tmp_path, 1, train(epochs=3, seed=1))
    parent = tmp_path / "lightning_logs"
    with pytest.raises(InputError) as error:
        read_log(parent)
    assert "version_0" in error.value.message and "version_1" in error.value.message
    assert "\n" not in error.value.message
    # the run holding the checkpoint is chosen
    ckpt = next((second / "checkpoints").glob("*.ckpt"))
    inputs = make_inputs(ckpt, [parent], None, None, "cpu", False)
    assert inputs.logs == (second / "metrics.csv",)
    # a copy of the checkpoint elsewhere: the run whose log ends at its step
    copy = tmp_path / ckpt.name
    copy.write_bytes(ckpt.read_bytes())
    assert make_inputs(copy, [parent], None, None, "cpu", False).logs == (
        second / "metrics.csv",)
    # and the checkpoint alone finds its own run's log
    assert make_inputs(ckpt, None, None, None, "cpu", False).logs == (second / "metrics.csv",)


def test_several_runs_exit_2_with_one_line(tmp_path: Path) -> None:
    write_lightning_run(tmp_path, 0, train(epochs=2, seed=0))
    write_lightning_run(tmp_path, 1, train(epochs=2, seed=1))
    done = subprocess.run(["diagnose", "--log", str(tmp_path / "lightning_logs"), "--no-input"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "2 separate runs" in lines[0], done.stderr


# ---------------------------------------------------------------- torch.utils.tensorboard


def test_tensorboard_documentation_tags(tmp_path: Path) -> None:
    run = train(epochs=3)
    n = len(run.losses)
    write_tensorboard_log(tmp_path / "tb", {
        "Loss/train": run.losses, "Loss/test": [run.val[i * 3 // n][2] for i in range(n)],
        "Accuracy/train": [0.5 + i / (2 * n) for i in range(n)],
        "Accuracy/test": [run.val[i * 3 // n][3] for i in range(n)],
        "Misc/temperature": [1.0] * n,
    })
    metrics = read_log(tmp_path / "tb")
    assert {"loss", "val_loss", "acc", "val_acc"} <= set(metrics.series)
    assert metrics.series["val_loss"].column == "Loss/test"
    assert any("Misc/temperature" in note for note in metrics.unused)


# ---------------------------------------------------------------- timm


def _timm_args(**overrides: object) -> argparse.Namespace:
    args = dict(model="mlp", opt="adamw", lr=1e-2, weight_decay=0.05, batch_size=16,
                sched="cosine", epochs=4, amp=False)
    args.update(overrides)
    return argparse.Namespace(**args)


def test_timm_checkpoint_loads_without_trust(tmp_path: Path) -> None:
    folder = write_timm_run(tmp_path, train(epochs=4, weight_decay=0.05, split_decay=True),
                            _timm_args())
    checkpoint = load_checkpoint(folder / "last.pth.tar")
    assert checkpoint.meta["train_args"]["batch_size"] == 16
    assert load_checkpoint(folder).path == folder  # last.pth.tar chosen in the folder
    inputs, report = _diagnose(folder)
    assert inputs.logs == (folder / "summary.csv",)
    facts = _facts(report)
    assert facts["setup.batch_size"] == 16
    assert facts["optimizer.decoupled_decay"] is True
    assert facts["log.has_validation"] is True  # eval_loss / eval_top1
    assert "over_regularization" not in _causes(report)  # AdamW 0.05 is the timm/ViT norm


# ---------------------------------------------------------------- accelerate


def test_accelerate_state_update_ratio_and_tracker_log(tmp_path: Path) -> None:
    def log(folder: Path, run) -> None:  # noqa: ANN001
        write_tensorboard_log(folder, {"train_loss": run.losses})

    run = train(epochs=3, weight_decay=0.01)  # AdamW defaults, biases decayed
    folder = write_accelerate_state(tmp_path / "project", run, log)
    findings = probe_optimizer(make_inputs(folder, None, None, None, "cpu", False),
                               ProbeContext())
    facts = {f.fact: f.value for f in findings}
    assert 1e-5 < facts["update.ratio"] < 1.0
    inputs, report = _diagnose(folder)
    assert inputs.logs == (tmp_path / "project" / "run",)
    assert "weight_decay_on_bias" not in _causes(report)  # the AdamW default is light


# ---------------------------------------------------------------- torch.distributed.checkpoint


def test_dcp_plain_optimizer_state_gives_an_update_ratio(tmp_path: Path) -> None:
    import torch.distributed.checkpoint as dcp

    run = train(epochs=2)
    dcp.save({"model": run.model.state_dict(), "optimizer": run.optimizer.state_dict()},
             checkpoint_id=str(tmp_path / "dcp"))
    findings = probe_optimizer(make_inputs(tmp_path / "dcp", None, None, None, "cpu", False),
                               ProbeContext())
    ratio = {f.fact: f.value for f in findings}["update.ratio"]
    assert 1e-5 < ratio < 1.0  # state keys come back as strings, param ids as integers


def test_run_folders_given_as_checkpoint(tmp_path: Path) -> None:
    run = train(epochs=2)
    hf = write_hf_checkpoint(tmp_path / "out", run, TrainingArguments())
    assert load_checkpoint(tmp_path / "out").path == hf  # output_dir: its latest checkpoint-N
    version = write_lightning_run(tmp_path / "pl", 0, run)
    assert load_checkpoint(version).path.suffix == ".ckpt"
    assert make_inputs(version, None, None, None, "cpu", False).logs == (
        version / "metrics.csv",)
    project = write_accelerate_state(tmp_path / "acc", run, lambda folder, r: (
        write_tensorboard_log(folder, {"train_loss": r.losses})))
    assert load_checkpoint(tmp_path / "acc").path == project
    assert make_inputs(tmp_path / "acc", None, None, None, "cpu", False).logs == (
        tmp_path / "acc" / "run",)
