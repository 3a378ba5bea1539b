"""What a seventh new user met in the installed command line: ``--save-session`` into a folder
that cannot hold it ran every probe and then ended in a traceback; ``--batch`` given without
``--model`` was answered "nothing to diagnose" (the model is what was missing)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DIAGNOSE = shutil.which("diagnose") or "diagnose"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DIAGNOSE, *args, "--no-input"], capture_output=True, text=True,
                          cwd=cwd, timeout=120, stdin=subprocess.DEVNULL)


def _one_line_error(out: subprocess.CompletedProcess[str]) -> str:
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dldoctor: error: "), out.stderr
    return lines[0]


def test_save_session_under_a_file_is_refused_before_the_probes_run(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder\n")
    out = _run("--symptom", "loss is nan", "--save-session", "notes.txt/s.json", cwd=tmp_path)
    line = _one_line_error(out)
    assert "notes.txt/s.json" in line and "notes.txt is not a folder" in line
    assert "--save-session" in line and out.stdout == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_save_session_that_fails_while_writing_is_one_line_not_a_traceback(
        tmp_path: Path) -> None:
    # /proc takes no new folder, whoever runs this (root included): the write itself fails
    out = _run("--symptom", "loss is nan", "--save-session", "/proc/dldoctor-none/s.json",
               cwd=tmp_path)
    line = _one_line_error(out)
    assert "/proc/dldoctor-none/s.json" in line and "cannot be saved" in line


def test_a_batch_without_a_model_names_the_model_as_missing(tmp_path: Path) -> None:
    import torch

    torch.save((torch.zeros(4, 3), torch.zeros(4, dtype=torch.long)), tmp_path / "batch.pt")
    line = _one_line_error(_run("--batch", "batch.pt", cwd=tmp_path))
    assert "--batch needs --model" in line


def test_kb_lint_of_a_folder_without_rules_is_refused_not_passed(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()  # the wrong folder: it linted "0 errors ... in 0 files", exit 0
    (tmp_path / "rules" / "README.md").write_text("not a rule\n")
    out = subprocess.run([shutil.which("dldoctor") or "dldoctor", "kb", "lint", "rules"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         stdin=subprocess.DEVNULL)
    line = _one_line_error(out)
    assert "rules: no rule files (*.yaml) here" in line


@pytest.mark.parametrize("command", [["diagnose"], ["chat"], ["trial"], ["kb", "lint"],
                                     ["kb", "test"], ["kb", "graph"], ["kb", "list"],
                                     ["kb", "explain"]])
def test_every_option_names_what_it_takes(command: list[str]) -> None:
    """`--kb <list[Path]>`, `--step <str>`, `--steps <int range>` in the help: Python's types
    where the other options say PATH, FILE:FACTORY or LANG."""
    out = subprocess.run([shutil.which("dldoctor") or "dldoctor", *command, "--help"],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "COLUMNS": "100"})
    assert out.returncode == 0, out.stderr
    assert "--kb" in out.stdout or "--lang" in out.stdout
    assert not re.findall(r"--[a-z-]+ <[^>]*>", out.stdout), out.stdout


def test_dldoctor_alone_takes_the_chats_options(tmp_path: Path) -> None:
    """`dldoctor --lang zh` (the chat in Chinese, as the README's `dldoctor` suggests) was
    "no such option: --lang"; it is `dldoctor chat --lang zh`."""
    dldoctor = shutil.which("dldoctor") or "dldoctor"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([dldoctor, *args], capture_output=True, text=True, cwd=tmp_path,
                              timeout=120, stdin=subprocess.DEVNULL)

    line = _one_line_error(run("--lang", "zh"))  # the chat, in Chinese, refuses a pipe
    assert "终端" in line and "no such option" not in line
    assert "--lang must be en or zh" in _one_line_error(run("--lang", "xx"))
    assert "missing.pt: no such file" in _one_line_error(run("--checkpoint", "missing.pt"))
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("dldoctor ")
