"""What a fifth new user met in the installed command line: a diagnosis' confidence bar
wrapped as a stray line, web sources printed twice in Markdown, a mistyped cause name left
unexplained, logs that have the right column names but no numbers in them, and a batch file
given as the checkpoint, whose two tensors passed for weights ("No problem found"), and an
answer a measurement contradicted, said as "loss.linear_decline: you said yes, but
probe:log.curves measured no" to someone who had only described the problem."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from dldoctor.wrap import cell_len
from tests.support.forkcli import ForkCli

DIAGNOSE = shutil.which("diagnose") or "diagnose"
ZERO_GRAD = ("--symptom", "the loss oscillates and blows up",
             "--set", "loop.grads_not_zeroed=yes", "--no-input")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DIAGNOSE, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, stdin=subprocess.DEVNULL)


def _fork(cli: ForkCli, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``_run`` from the warm interpreter (tests/support/forkcli.py)."""
    return cli(DIAGNOSE, *args, cwd=cwd, timeout=120)


def test_a_long_title_keeps_its_confidence_bar_at_the_body_indent(tmp_path: Path,
                                                                  cli: ForkCli) -> None:
    out = _fork(cli, *ZERO_GRAD, cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("1. "))
    assert "[missing_zero_grad]" in lines[first]
    bar = lines[first + 1]
    assert bar.startswith("   █") and bar.endswith("%"), bar  # the body's 3 columns
    assert all(len(line) <= 88 for line in lines if not line.startswith("       "))


def test_markdown_names_a_web_source_once_as_a_link(tmp_path: Path, cli: ForkCli) -> None:
    out = _fork(cli, *ZERO_GRAD, "--format", "markdown", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    url = "https://pytorch.org/docs/stable/generated/torch.optim.Optimizer.zero_grad.html"
    assert f"- <{url}>" in out.stdout.splitlines()
    assert out.stdout.count(url) == 1


@pytest.mark.parametrize(("cause", "lang", "says"), [
    ("lr_to_low", "en", "unknown cause 'lr_to_low'; did you mean lr_too_low?"),
    ("zzz", "en", "unknown cause 'zzz' (see"),  # far from every name: no guess
])
def test_a_mistyped_cause_names_the_cause_meant(tmp_path: Path, cause: str, lang: str,
                                                says: str, cli: ForkCli) -> None:
    out = _fork(cli, "--symptom", "loss is nan", "--no-input", "--why-not", cause,
               "--lang", lang, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    [line] = out.stderr.splitlines()
    assert line.startswith("dldoctor: error: --why-not") and says in line, line


@pytest.mark.parametrize(("name", "data", "says"), [
    ("header only.csv", b"step,loss,val_loss\n", "has a header (loss, val_loss) but no rows"),
    ("excel.csv", "\ufeffstep;loss;val_loss\n1;2,3;2,4\n2;2,1;2,3\n3;1,9;2,2\n".encode(),
     "no numbers in the column(s) loss, val_loss (a decimal comma"),
    ("history.json", b'{"loss": ["2.3", "2.1"], "val_loss": ["x", "y"]}\n',
     "no numbers in the key(s) loss, val_loss: write one JSON object per step"),
    ("records.json", b'[1,\n 2, 3]\n', "one JSON document, not JSON lines"),
])
def test_a_log_without_numbers_says_what_it_lacks(tmp_path: Path, name: str, data: bytes,
                                                  says: str, cli: ForkCli) -> None:
    (tmp_path / name).write_bytes(data)
    out = _fork(cli, "--log", name, "--no-input", cwd=tmp_path)
    assert out.returncode == 2, out.stdout
    assert out.stdout == ""
    [line] = out.stderr.splitlines()
    assert line.startswith(f"dldoctor: error: {name}: ") and says in line, line
    assert "Traceback" not in out.stderr


def test_a_batch_given_as_the_checkpoint_names_the_option_it_belongs_to(
        tmp_path: Path, cli: ForkCli) -> None:
    import torch

    x, y = torch.randn(8, 4), torch.randint(0, 2, (8,))
    torch.save({"inputs": x, "targets": y}, tmp_path / "batch.pt")
    out = _fork(cli, "--checkpoint", "batch.pt", "--no-input", cwd=tmp_path)
    assert out.returncode == 2, out.stdout
    assert out.stdout == ""
    [line] = out.stderr.splitlines()
    assert line.startswith("dldoctor: error: batch.pt: this holds a batch"), line
    assert "--batch" in line


def test_answers_that_are_no_yaml_say_what_the_file_should_hold(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text("import torch.nn as nn\ndef build():\n"
                                       "    return nn.Linear(4, 2)\n")
    out = _run("--answers", "model.py", "--no-input", cwd=tmp_path)
    assert out.returncode == 2
    [line] = out.stderr.splitlines()
    assert line.startswith("dldoctor: error: model.py:2: "), line
    assert "YAML file of 'fact: value' lines" in line


def test_a_symlink_loop_is_named_as_one(tmp_path: Path) -> None:
    (tmp_path / "a.pt").symlink_to("b.pt")
    (tmp_path / "b.pt").symlink_to("a.pt")
    out = _run("--log", "a.pt", "--no-input", cwd=tmp_path)
    assert out.returncode == 2
    [line] = out.stderr.splitlines()
    assert line.startswith("dldoctor: error: a.pt: a symbolic link that leads nowhere"), line


def test_a_contradicted_answer_is_said_in_words(tmp_path: Path, cli: ForkCli) -> None:
    rows = "".join(f"{i},{2 * math.exp(-i / 10) + 0.1:.4f}\n" for i in range(100))
    (tmp_path / "train.csv").write_text("step,loss\n" + rows)
    out = _fork(cli, "--log", "train.csv", "--symptom", "the loss goes down very slowly",
               "--no-input", "--format", "json", cwd=tmp_path)
    [note] = [n for n in json.loads(out.stdout)["notes"] if "measurement is used" in n]
    assert note == ("Training loss falls slowly and almost linearly (loss.linear_decline): "
                    "your description implies yes, but the metrics log shows no — the "
                    "measurement is used")


def test_a_trial_says_in_chinese_what_it_tried_and_what_its_numbers_are(tmp_path: Path,
                                                                        cli: ForkCli) -> None:
    import torch

    (tmp_path / "net.py").write_text(
        "import torch.nn as nn\nimport torch.nn.functional as F\n\n"
        "def build():\n    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\n\n"
        "def train_step(model, optimizer, inputs, targets):\n"
        "    loss = F.cross_entropy(model(inputs), targets)\n"
        "    loss.backward()  # optimizer.zero_grad() forgotten\n"
        "    optimizer.step()\n    return loss\n")
    torch.manual_seed(0)
    torch.save({"inputs": torch.randn(8, 4), "targets": torch.randint(0, 2, (8,))},
               tmp_path / "batch.pt")
    out = cli.run([shutil.which("dldoctor") or "dldoctor", "trial", "--model",
                          "net.py:build", "--batch", "batch.pt", "--step", "net.py:train_step",
                          "--steps", "20", "--lang", "zh"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120, stdin=subprocess.DEVNULL)
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("试跑：在 batch.pt 上运行 net.py:train_step 20 步")
    assert "试用的修改：每一步之前调用 optimizer.zero_grad()" in lines
    assert "（每个 loss 值：该次运行最后 2 步的中位数）" in lines
    assert all(cell_len(line) <= 88 for line in lines), lines
    [diagnosis] = [line for line in lines if "[missing_zero_grad]" in line]
    assert diagnosis.endswith("%")  # the cause and its confidence stay together


@pytest.mark.parametrize(("said", "lang"), [("Not sure.", "en"), ("不确定", "zh")])
def test_diagnose_takes_a_spoken_dont_know(said: str, lang: str) -> None:
    from dldoctor.cli.prompt import ask
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Question, Session

    session = Session(load_knowledge(), lang=lang)  # type: ignore[arg-type]
    session.complain("the loss becomes nan")
    question = session.next_step()
    assert isinstance(question, Question)
    replies = iter([said])
    assert ask(session, question, read=lambda _prompt: next(replies)) == said
    [answer] = [a for a in session.answers if a.kind == "fact"]
    assert (answer.key, answer.raw) == (question.fact, "?")


def test_a_log_still_being_written_is_read_without_its_torn_last_line(tmp_path: Path,
                                                                      cli: ForkCli) -> None:
    rows = "".join(f'{{"step": {i}, "loss": {2.3 - 0.01 * i:.3f}}}\n' for i in range(40))
    (tmp_path / "live.jsonl").write_text(rows + '{"step": 40, "lo')  # cut mid-write
    out = _fork(cli, "--log", "live.jsonl", "--no-input", "--format", "json", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    steps = [f["value"] for f in json.loads(out.stdout)["findings"] if f["fact"] == "train.step"]
    assert steps == [39]
