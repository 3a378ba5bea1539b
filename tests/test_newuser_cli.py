"""The installed command line as a new user first meets it: a mistyped option, an option
without its value, ``--json``. Every mistake is one line on stderr naming the help to read,
and exit 2 (contract.md), never click's three-line usage block."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.forkcli import ForkCli

DLDOCTOR = shutil.which("dldoctor") or "dldoctor"
DIAGNOSE = shutil.which("diagnose") or "diagnose"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("args", "names", "says"), [
    ([DIAGNOSE, "--bogus"], "dldoctor diagnose -h", "no such option: --bogus"),
    ([DLDOCTOR, "diagnose", "--json-out"], "dldoctor diagnose -h", "no such option"),
    ([DIAGNOSE, "--checkpoint"], "dldoctor diagnose -h", "'--checkpoint' requires an argument"),
    ([DLDOCTOR, "kb", "lint", "--bogus"], "dldoctor kb lint -h", "no such option: --bogus"),
    ([DLDOCTOR, "kb", "test", "--kb"], "dldoctor kb test -h", "'--kb' requires an argument"),
    ([DLDOCTOR, "frobnicate"], "dldoctor -h", "no such command 'frobnicate'"),
    ([DLDOCTOR, "kb", "explain"], "dldoctor kb explain -h", "missing argument"),
    ([DIAGNOSE, "--probe-budget", "soon", "--symptom", "loss is nan"], "dldoctor diagnose -h",
     "'--probe-budget'"),
])
def test_a_usage_mistake_is_one_line_and_exit_2(args: list[str], names: str, says: str,
                                                 tmp_path: Path) -> None:
    out = _run(*args, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("dldoctor: error: ") and says in lines[0], lines[0]
    assert f"(see `{names}`)" in lines[0], lines[0]
    assert out.stdout == ""


def test_the_diagnose_script_names_itself_as_dldoctor_diagnose(tmp_path: Path) -> None:
    out = _run(DIAGNOSE, "-h", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.startswith("Usage: dldoctor diagnose ")  # not "diagnose diagnose"
    assert "--json" in out.stdout


def test_json_is_the_json_report(tmp_path: Path) -> None:
    args = ("--symptom", "my loss becomes nan after a few steps", "--no-input")
    short = _run(DIAGNOSE, *args, "--json", cwd=tmp_path)
    long = _run(DIAGNOSE, *args, "--format", "json", cwd=tmp_path)
    assert short.returncode == long.returncode
    report = json.loads(short.stdout)
    assert report["schema"] == "dldoctor.report/1"
    assert report == json.loads(long.stdout)
    clash = _run(DIAGNOSE, *args, "--json", "--format", "markdown", cwd=tmp_path)
    assert clash.returncode == 2 and clash.stdout == ""
    assert clash.stderr.splitlines() == [
        "dldoctor: error: --json is --format json: it cannot go with --format 'markdown'"]


class _Payload:
    """Pickles as a call to os.system: loading it as code would create ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return (os.system, (f"touch {self.marker}",))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files a new user (or an attacker) hands over by mistake."""
    import pickle

    import torch

    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "empty.pt").write_bytes(b"")
    (tmp / "empty.csv").write_bytes(b"")
    torch.save({"model": {"w": torch.zeros(64, 64)}}, tmp / "whole.pt")
    (tmp / "cut.pt").write_bytes((tmp / "whole.pt").read_bytes()[:3000])
    (tmp / "latin1.csv").write_bytes("step,loss\n0,1.0\n1,0.9 café\n".encode("latin-1"))
    (tmp / "answers.yaml").write_bytes("optimizer.kind: sgd  # café\n".encode("latin-1"))
    (tmp / "folder").mkdir()
    (tmp / "model.py").write_text("import torch.nn as nn\n\n\ndef build():\n"
                                  "    return nn.Linear(4, 2)\n")
    (tmp / "logs").mkdir()  # two CSV logs under names no library writes
    for name in ("a.csv", "b.csv"):
        (tmp / "logs" / name).write_text("step,loss\n0,1.0\n1,0.9\n")
    with (tmp / "payload.pt").open("wb") as f:
        pickle.dump({"model": _Payload(tmp / "PWNED")}, f)
    return tmp


@pytest.mark.parametrize(("args", "says"), [
    (["--checkpoint", "empty.pt"], "empty.pt: the file is empty (0 bytes): give one that was "
                                   "saved completely"),
    (["--log", "empty.csv"], "empty.csv: the log is empty: give it once training has logged"),
    (["--checkpoint", "cut.pt"], "cut.pt: truncated or corrupt zip archive (no central "
                                 "directory): was it saved or copied completely?"),
    (["--log", "latin1.csv"], "give a UTF-8 text CSV with a header row"),
    (["--answers", "answers.yaml"], "answers.yaml: not UTF-8 text"),  # no "answers.yaml:0:"
    (["--answers", "folder"], "folder: is a folder, not a file"),
    (["--log", "logs"], "logs: no log dldoctor finds by itself here (TensorBoard *tfevents* "
                        "files, metrics.csv, summary.csv, trainer_state.json); give the log file "
                        "itself with --log"),
    (["--batch", "payload.pt", "--model", "model.py:build"],  # no trust flag: tensors only
     "save the batch as tensors: torch.save((inputs, targets), path)"),
])
def test_a_hostile_file_is_one_line_naming_it_and_what_to_do(args: list[str], says: str,
                                                             hostile: Path, cli: ForkCli) -> None:
    out = cli(DIAGNOSE, *args, "--no-input", cwd=hostile)
    assert out.returncode == 2, out.stderr
    errors = [x for x in out.stderr.splitlines() if x.startswith("dldoctor: error: ")]
    assert len(errors) == 1 and "Traceback" not in out.stderr, out.stderr
    assert errors[0].startswith(f"dldoctor: error: {args[1]}"), errors[0]
    assert says in errors[0] and f"{args[1]}:0:" not in errors[0], errors[0]
    assert not (hostile / "PWNED").exists()  # a file is data: its pickle never runs


def test_kb_lint_names_a_non_utf8_rule_file_without_line_0(tmp_path: Path, cli: ForkCli) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "bad.yaml").write_bytes(b"\xff\xfe rules: []\n")
    out = cli(DLDOCTOR, "kb", "lint", "rules", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        "rules/bad.yaml: io: not UTF-8 text (byte 0); save it as UTF-8"]


def test_trial_speaks_the_language_of_lang(tmp_path: Path, cli: ForkCli) -> None:
    import torch

    from dldoctor.wrap import cell_len

    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n\n\ndef build():\n"
        "    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))\n")
    torch.manual_seed(0)
    torch.save((torch.randn(32, 8), torch.randint(0, 3, (32,))), tmp_path / "batch.pt")
    out = cli(DLDOCTOR, "trial", "--model", "model.py:build", "--batch", "batch.pt",
               "--steps", "2", "--device", "cpu", "--lang", "zh", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    # its checks announced as diagnose announces them, by title, not "live.x: 1 findings"
    assert re.search(r"dldoctor：尝试在单个 batch 上过拟合：\d+ 项发现（", out.stderr), out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("试跑：在 batch.pt 上运行标准训练步 2 步")
    assert lines[1].startswith("诊断：") and lines[2].startswith("试用的修改：")
    assert not [x for x in lines if x.startswith(("Trial", "Diagnosis", "Fix tried"))]
    header = next(x for x in lines if "原样" in x)
    assert cell_len(header[:header.index("原样") + 2]) == 6 + 1 + 10  # columns kept


@pytest.mark.parametrize("args", [[], ["chat", "--lang", "zh"]])
def test_the_chat_without_a_terminal_says_so_and_exits_2(args: list[str],
                                                         tmp_path: Path) -> None:
    out = _run(DLDOCTOR, *args, cwd=tmp_path)  # stdin is /dev/null: no keys will ever come
    assert out.returncode == 2 and out.stdout == ""  # no escape codes drawn into a pipe
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and "dldoctor diagnose … --no-input" in lines[0], lines
    assert ("needs a terminal" if not args else "需要终端") in lines[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_wraps_the_rules_to_the_report_width(lang: str, tmp_path: Path,
                                                     cli: ForkCli) -> None:
    from dldoctor.wrap import cell_len

    out = cli(DIAGNOSE, "--symptom", "my loss becomes nan after a few steps", "--set",
               "loss.non_finite_at_start=no", "--set", "output.is_probability=yes",
               "--explain", "--no-input", "--lang", lang, cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    heading = "   Rules:" if lang == "en" else "   规则:"
    rules, inside = [], False
    for line in out.stdout.splitlines():
        inside = (inside and line != "") or line == heading
        if inside and line != heading:
            rules.append(line)
    assert rules and any(" (+0." in line for line in rules), out.stdout
    assert max(cell_len(line) for line in rules) <= 88, max(rules, key=cell_len)


def test_kb_alone_shows_its_commands(tmp_path: Path) -> None:
    out = _run(DLDOCTOR, "kb", cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("Usage: dldoctor kb [OPTIONS] COMMAND")
    assert "lint" in out.stderr and "dldoctor: error" not in out.stderr


def test_markdown_has_one_title_and_possible_causes_under_their_heading(tmp_path: Path,
                                                                        cli: ForkCli) -> None:
    out = cli(DIAGNOSE, "--symptom", "my loss becomes nan after a few steps", "--format",
               "markdown", "--no-input", cwd=tmp_path)
    headings = [x for x in out.stdout.splitlines() if x.startswith("#")]
    assert [h for h in headings if h.startswith("# ")] == ["# dldoctor report"]
    possible = headings.index("## Possible, not established (they explain nothing observed "
                              "yet, or a stronger cause explains it)")
    below = headings[possible + 1:]
    causes = [h for h in below if h.startswith("### ")]
    assert causes and all(h.endswith("%") for h in causes), below
    assert not any(h[3:4].isdigit() for h in headings if h.startswith("## "))  # none numbered


def test_questions_asked_in_a_terminal_stay_out_of_a_redirected_report(tmp_path: Path) -> None:
    import os
    import shlex

    pexpect = pytest.importorskip("pexpect")
    command = (f"{shlex.quote(DIAGNOSE)} --symptom 'loss becomes nan' --format json "
               "> report.json")
    child = pexpect.spawn("/bin/sh", ["-c", command], env={**os.environ, "COLUMNS": "100"},
                          cwd=str(tmp_path), encoding="utf-8", timeout=60)
    child.expect(r"\?\s*\r\n")  # the question reaches the person (on stderr)…
    child.expect("> ")
    child.sendline("done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 1)
    report = json.loads((tmp_path / "report.json").read_text())  # …and the file holds JSON
    assert report["schema"] == "dldoctor.report/1"


def test_resume_says_which_answers_the_rules_cannot_read(tmp_path: Path, cli: ForkCli) -> None:
    saved = tmp_path / "session.json"
    saved.write_text(json.dumps({"schema": "dldoctor.session/1", "answers": [
        {"kind": "fact", "key": "renamed.since", "raw": "yes"}]}))
    out = cli(DIAGNOSE, "--resume", str(saved), "--no-input", cwd=tmp_path)
    # its one answer left out, nothing is examined: no verdict (exit 2), said in one line
    assert out.returncode == 2 and "error: nothing was examined" in out.stderr, out.stderr
    assert (f"dldoctor: note: {saved}: 1 of its answers name facts or symptoms these rules "
            "do not have (renamed.since); they are left out") in out.stderr.splitlines()


def test_a_close_call_says_what_to_type_after_a_wrong_reply(tmp_path: Path) -> None:
    import os

    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(DIAGNOSE, ["--symptom", "val loss bad"], cwd=str(tmp_path),
                          env={**os.environ, "COLUMNS": "100"}, encoding="utf-8", timeout=60)
    child.expect("Which of these do you mean by “val loss bad”")
    child.expect("> ")
    child.sendline("whichever")  # ("the first one" picks 1 since newuser6)
    child.expect(r"type a number from 0 to \d")  # not the bare prompt again
    child.sendline("1")
    child.expect("> ")  # on to the questions
    child.sendline("done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 1)


def test_why_not_wraps_to_the_report_width(tmp_path: Path, cli: ForkCli) -> None:
    from dldoctor.wrap import cell_len

    out = cli(DIAGNOSE, "--symptom", "loss is nan", "--why-not", "lr_too_low", "--no-input",
               cwd=tmp_path)
    lines = out.stdout.splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("Why not lr_too_low"))
    assert len(lines) - start > 5 and "waiting: needs" in out.stdout
    assert max(cell_len(x) for x in lines[start:]) <= 88


def test_kb_list_in_chinese_keeps_its_columns(tmp_path: Path, cli: ForkCli) -> None:
    from dldoctor.wrap import cell_len

    out = cli(DLDOCTOR, "kb", "list", "--causes", "--lang", "zh", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = out.stdout.splitlines()
    starts = {cell_len(row[:row.rindex("  ") + 2]) for row in rows}  # where "file:line" begins
    assert len(rows) > 20 and len(starts) == 1, sorted(starts)
    assert any("层没有偏置" in row for row in rows)


def test_what_the_model_file_prints_stays_out_of_the_json_report(tmp_path: Path,
                                                                 cli: ForkCli) -> None:
    import torch

    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n\nprint('loading my model')  # a training script's chatter\n\n\n"
        "def build():\n    print('building')\n    return nn.Linear(8, 3)\n")
    torch.save((torch.randn(16, 8), torch.randint(0, 3, (16,))), tmp_path / "batch.pt")
    out = cli(DIAGNOSE, "--model", "model.py:build", "--batch", "batch.pt", "--json",
               "--no-input", "--device", "cpu", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    assert json.loads(out.stdout)["schema"] == "dldoctor.report/1"  # the report alone
    assert "loading my model" in out.stderr


def test_a_checkpoint_given_as_the_log_says_which_option_it_belongs_to(tmp_path: Path,
                                                                       cli: ForkCli) -> None:
    import torch

    path = tmp_path / "ckpt.pt"
    torch.save({"model": torch.nn.Linear(2, 2).state_dict()}, path)
    out = cli(DIAGNOSE, "--log", str(path), "--no-input", cwd=tmp_path)
    assert out.returncode == 2
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and "ckpt.pt" in lines[0], out.stderr
    assert "not a metrics log" in lines[0] and "--checkpoint" in lines[0]
