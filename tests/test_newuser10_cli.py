"""What a tenth new user met on the command line: a checkpoint that is a JSON file (a
config, a metrics dump, given by mistake) was refused with "not a sharded-checkpoint index
('weight_map')" and nothing about what to give instead."""

from __future__ import annotations

import csv
import json
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
