"""What a tenth new user met on the command line: a checkpoint that is a JSON file (a
config, a metrics dump, given by mistake) was refused with "not a sharded-checkpoint index
('weight_map')" and nothing about what to give instead."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.forkcli import ForkCli

DIAGNOSE = shutil.which("diagnose") or "diagnose"


def _run(cli: ForkCli, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``diagnose``, through the warm fork server (tests/support/forkcli.py)."""
    return cli(DIAGNOSE, *args, "--no-input", cwd=cwd)


@pytest.mark.parametrize(("name", "lang", "says"), [
    ("ckpt.json", "en", "give --checkpoint the file torch.save wrote (.pt, .pth, .ckpt)"),
    ("model.index.json", "en", "give --checkpoint the file torch.save wrote (.pt, .pth, .ckpt)"),
    ("ckpt.json", "zh", "请给 --checkpoint torch.save 保存的文件"),
])
def test_a_json_file_given_as_the_checkpoint_says_what_to_give(
        cli: ForkCli, tmp_path: Path, name: str, lang: str, says: str) -> None:
    (tmp_path / name).write_text(json.dumps({"model": {"w": [1, 2]}, "optimizer": {}}))
    with open(tmp_path / "log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["iteration", "trn_loss"])
        w.writerows([[s, 2.0 - 0.01 * s] for s in range(1, 30)])
    out = _run(cli, "--checkpoint", name, "--log", "log.csv", "--lang", lang, cwd=tmp_path)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"dldoctor: error: {name}"), lines
    assert says in lines[0] and ".safetensors" in lines[0], lines[0]
    assert "Traceback" not in out.stderr and out.stdout == ""


@pytest.mark.parametrize("command", ["diagnose", "chat"])
def test_a_folder_given_as_the_batch_says_what_to_give(tmp_path: Path, command: str) -> None:
    """It said "somedir: is a folder, not a file", and nothing about what --batch takes."""
    (tmp_path / "net.py").write_text(
        "import torch\n\ndef build():\n    return torch.nn.Linear(4, 2)\n")
    (tmp_path / "batches").mkdir()
    dldoctor = shutil.which("dldoctor") or "dldoctor"
    out = subprocess.run([dldoctor, command, "--model", "net.py:build", "--batch", "batches"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         stdin=subprocess.DEVNULL)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dldoctor: error: batches: a folder"), lines
    assert "--batch takes one torch file" in lines[0]
    assert "torch.save((inputs, targets), path)" in lines[0], lines[0]


def _run_folder(folder: Path, log_name: str) -> None:
    """A plain training run's folder: model and optimizer state, the batch, the CSV log."""
    import torch
    from torch import nn

    folder.mkdir()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    net(torch.randn(4, 8)).sum().backward()
    opt.step()
    torch.save({"model": net.state_dict(), "optimizer": opt.state_dict()}, folder / "ckpt.pt")
    torch.save((torch.randn(4, 8), torch.randn(4, 1)), folder / "batch.pt")
    with open(folder / log_name, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "global_step", "train_loss", "val_loss"])
        w.writerows([[e, 70 * e, 0.53 - 0.0005 * e, 0.54] for e in range(1, 21)])


@pytest.mark.parametrize("given", ["run", "run/ckpt.pt"])
def test_a_checkpoint_alone_names_the_log_beside_it(cli: ForkCli, tmp_path: Path,
                                                    given: str) -> None:
    """`--checkpoint run/` with the run's history.csv in it read the weights only and said
    "No problem found", nothing about the log lying beside them."""
    _run_folder(tmp_path / "run", "history.csv")
    out = _run(cli, "--checkpoint", given, cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    notes = [line for line in out.stderr.splitlines() if "beside the checkpoint" in line]
    assert notes == ["dldoctor: no metrics log was read; history.csv beside the checkpoint may "
                     "be one: give it with --log run/history.csv (a checkpoint alone has no "
                     "loss curve to check)"], out.stderr
    given_log = _run(cli, "--checkpoint", given, "--log", "run/history.csv", cwd=tmp_path)
    assert given_log.returncode in (0, 1) and "beside the checkpoint" not in given_log.stderr


def test_a_log_found_by_itself_is_named_once(cli: ForkCli, tmp_path: Path) -> None:
    """Read, and said so (a new user, user 22, could not tell which log a run had used)."""
    _run_folder(tmp_path / "run", "metrics.csv")  # the name dldoctor looks for in a folder
    out = _run(cli, "--checkpoint", "run", "--format", "json", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    assert json.loads(out.stdout)["inputs"]["logs"] == ["run/metrics.csv"]
    assert "beside the checkpoint" not in out.stderr
    assert "dldoctor: read the metrics log found with the checkpoint: run/metrics.csv (give " \
        "--log to read another)" in out.stderr.splitlines()
    given = _run(cli, "--checkpoint", "run", "--log", "run/metrics.csv", cwd=tmp_path)
    assert "found with the checkpoint" not in given.stderr


def test_diagnose_help_says_the_exit_codes_and_the_log_names() -> None:
    """A new user looked for both in --help and found neither."""
    exe = shutil.which("diagnose") or "diagnose"
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "COLUMNS": "200"})
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    assert "Exit status: 0 when no fault is established, 1 when one is, 2" in text
    assert "mse_train" in text and "grad_norm" in text
