"""What a ninth new user met on the command line: a complaint dldoctor did not understand,
alone, printed "No problem found" and exited 0 — read as "healthy" by a person and a script.
Nothing examined is now said plainly (what was examined: nothing; what to give next), the
JSON report says what it rests on (``examined``), and the exit status is 2, with one line on
stderr."""

from __future__ import annotations

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


@pytest.mark.parametrize(("lang", "says", "next_"), [
    ("en", "Nothing was examined", "Give next:"), ("zh", "什么都没有检查", "接下来请提供：")])
def test_a_complaint_not_understood_alone_is_no_verdict(
        cli: ForkCli, tmp_path: Path, lang: str, says: str, next_: str) -> None:
    out = _run(cli, "--symptom", "my frobnicator is sad", "--lang", lang, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dldoctor: error: "), out.stderr
    assert "'my frobnicator is sad'" in lines[0] and "--checkpoint" in lines[0]
    assert out.stdout.startswith(says) and next_ in out.stdout
    assert "No problem found" not in out.stdout and "未发现问题" not in out.stdout
    assert "--log PATH" in out.stdout and "kb list --symptoms" in out.stdout


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_every_format_says_nothing_was_examined(cli: ForkCli, tmp_path: Path, fmt: str) -> None:
    out = _run(cli, "--symptom", "frobnicate", "--format", fmt, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    if fmt == "json":
        report = json.loads(out.stdout)
        assert report["examined"] == [] and report["diagnoses"] == []
        assert report["schema"] == "dldoctor.report/1"  # only a key was added
    else:
        assert "**Nothing was examined" in out.stdout and "No problem found" not in out.stdout


def test_answers_alone_say_nothing_was_measured(cli: ForkCli, tmp_path: Path) -> None:
    out = _run(cli, "--set", "optimizer.kind=adam", "--format", "json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["examined"] == ["answers"]
    assert any("nothing was measured and no symptom was described" in limit
               for limit in report["limits"]), report.get("limits")


def test_what_was_examined_is_listed(cli: ForkCli, tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(
        "step,loss\n" + "".join(f"{i},{2.3 - 0.01 * i:.3f}\n" for i in range(40)))
    out = _run(cli, "--log", "log.csv", "--symptom", "loss is nan", "--symptom", "frobnicate",
               "--format", "json", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    assert json.loads(out.stdout)["examined"] == ["log", "complaint"]
    assert "no symptom matches 'frobnicate'" in out.stderr  # said, but no error


def _lightning_run(root: Path, version: int = 0) -> Path:
    """What ``Trainer(logger=CSVLogger("."), default_root_dir=".")`` writes, with real torch
    files (no lightning in the tests): a ``.ckpt`` holding the weights and the optimizer
    state, and ``metrics.csv``."""
    import torch
    from torch import nn

    run = root / "lightning_logs" / f"version_{version}"
    (run / "checkpoints").mkdir(parents=True)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.SGD(net.parameters(), lr=5.0)
    net(torch.randn(4, 8)).sum().backward()
    opt.step()
    torch.save({"epoch": 7, "global_step": 128, "pytorch-lightning_version": "2.6.0",
                "state_dict": {f"net.{k}": v for k, v in net.state_dict().items()},
                "optimizer_states": [opt.state_dict()], "lr_schedulers": []},
               run / "checkpoints" / "epoch=7-step=128.ckpt")
    (run / "hparams.yaml").write_text("lr: 5.0\n")
    rows = "".join(f"0,{s},{2.3 * 0.97 ** s:.4f},,\n" for s in range(4, 128, 5))
    (run / "metrics.csv").write_text("epoch,step,train_loss,val_acc,val_loss\n" + rows)
    return run


@pytest.mark.parametrize("given", ["lightning_logs", "."])
def test_a_lightning_root_stands_for_its_one_run(cli: ForkCli, tmp_path: Path,
                                                 given: str) -> None:
    """`--checkpoint lightning_logs` (or the default_root_dir) said "no checkpoint in this
    folder"; it is the one version's checkpoint, and its metrics.csv is read too."""
    _lightning_run(tmp_path)
    out = _run(cli, "--checkpoint", given, "--format", "json", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)
    assert report["inputs"]["logs"] == ["lightning_logs/version_0/metrics.csv"]
    assert report["examined"][:2] == ["checkpoint", "log"]


def test_a_lightning_root_of_two_runs_names_them(cli: ForkCli, tmp_path: Path) -> None:
    _lightning_run(tmp_path, 0)
    _lightning_run(tmp_path, 1)
    out = _run(cli, "--checkpoint", "lightning_logs", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and "holds 2 separate runs (version_0, version_1)" in lines[0], lines


def _hf_output_dir(root: Path) -> Path:
    """What a config-built HF ``Trainer`` writes (real files, no transformers in the tests):
    ``output_dir/checkpoint-N/`` with model.safetensors, optimizer.pt, trainer_state.json."""
    import torch
    from safetensors.torch import save_file
    from torch import nn

    step = root / "out" / "checkpoint-8"
    step.mkdir(parents=True)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
    save_file({k: v.contiguous() for k, v in net.state_dict().items()},
              step / "model.safetensors")
    torch.save(torch.optim.AdamW(net.parameters(), lr=0.5).state_dict(), step / "optimizer.pt")
    history = [{"step": s, "epoch": s / 8, "loss": 0.7 + 0.01 * s, "learning_rate": 0.5}
               for s in range(1, 9)]
    (step / "trainer_state.json").write_text(json.dumps(
        {"global_step": 8, "log_history": history}))
    return step


def test_the_trainer_state_given_as_the_checkpoint_says_where_it_goes(
        cli: ForkCli, tmp_path: Path) -> None:
    """It said "not a sharded-checkpoint index ('weight_map')"."""
    _hf_output_dir(tmp_path)
    out = _run(cli, "--checkpoint", "out/checkpoint-8/trainer_state.json", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and "the Hugging Face Trainer's log, not weights" in lines[0]
    assert "--log" in lines[0] and "--checkpoint out/checkpoint-8 " in lines[0], lines[0]


def test_the_output_dir_reads_its_latest_checkpoint_and_its_log(
        cli: ForkCli, tmp_path: Path) -> None:
    _hf_output_dir(tmp_path)
    out = _run(cli, "--checkpoint", "out", "--format", "json", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)
    assert report["inputs"]["logs"] == ["out/checkpoint-8/trainer_state.json"]
    assert report["examined"][:2] == ["checkpoint", "log"]


@pytest.mark.parametrize("command", [[DIAGNOSE], [shutil.which("dldoctor") or "dldoctor"]])
def test_a_run_folder_given_bare_says_how_to_name_it(tmp_path: Path,
                                                      command: list[str]) -> None:
    """`diagnose lightning_logs/version_0` said only "got unexpected extra argument(s)"."""
    (tmp_path / "lightning_logs" / "version_0").mkdir(parents=True)
    out = subprocess.run([*command, "lightning_logs/version_0"], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120, stdin=subprocess.DEVNULL)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "--checkpoint lightning_logs/version_0 (weights, or a training run's folder)" \
        in lines[0] and "--log lightning_logs/version_0 (a metrics log)" in lines[0], lines[0]
