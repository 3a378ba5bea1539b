"""Diagnose one generated run the way a user would: ``diagnose --format json --no-input``.

Two input modes: ``all`` (checkpoint, log, model factory, batch) and ``ckpt_log``
(checkpoint and log only). The command runs in this process through the CLI's own entry
point (same argument parsing, probes, report and exit status as the installed script, without
the interpreter start-up per run) or, with ``subprocess=True``, as the installed ``diagnose``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MODES", "Outcome", "diagnose_args", "diagnose", "diagnose_exe", "run_cli",
           "parse_report"]

MODES = ("all", "ckpt_log")


@dataclass
class Outcome:
    """One diagnosis of one run in one mode."""

    run: str
    mode: str
    rc: int = -1
    diagnoses: list[dict[str, Any]] = field(default_factory=list)  # cause, confidence, kind
    seconds: float = 0.0
    error: str = ""

    @property
    def faults(self) -> list[tuple[str, float]]:
        """Diagnoses that claim a fault (practice notes excluded), highest first."""
        return [(d["cause"], float(d["confidence"])) for d in self.diagnoses
                if d.get("kind", "fault") != "note"]


def diagnose_args(run: Path, truth: dict[str, Any], mode: str, complaint: bool = False
                  ) -> list[str]:
    """The arguments after ``diagnose`` that a user would type for ``run`` in ``mode``."""
    files = truth["files"]
    args = ["--format", "json", "--no-input", "--device", "cpu",
            "--checkpoint", str(run / files["checkpoint"]), "--log", str(run / files["log"])]
    if mode == "all":
        args += ["--model", f"{run / 'model.py'}:build", "--batch", str(run / files["batch"])]
    elif mode != "ckpt_log":
        raise ValueError(f"unknown mode {mode!r}")
    if complaint:
        args += ["--symptom", truth["complaint"]]
    return args


def diagnose_exe() -> str:
    """The installed ``diagnose`` entry point (next to this interpreter, else on PATH)."""
    here = Path(sys.executable).with_name("diagnose")
    return str(here) if here.exists() else (shutil.which("diagnose") or "diagnose")


def _in_process(args: list[str]) -> tuple[int, str, str]:
    from dldoctor.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["diagnose", "diagnose", *args]
    rc = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main()
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except Exception as exc:  # a traceback the CLI would have shown: a finding in itself
        rc = 3
        err.write(f"uncaught {type(exc).__name__}: {exc}\n")
    finally:
        sys.argv = argv
    return rc, out.getvalue(), err.getvalue()


def _subprocess(args: list[str], timeout: float) -> tuple[int, str, str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    try:
        proc = subprocess.run([diagnose_exe(), *args], capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {timeout:.0f}s"
    return proc.returncode, proc.stdout, proc.stderr


def run_cli(args: list[str], subprocess_: bool = False, timeout: float = 300.0
            ) -> tuple[int, str, str]:
    """``diagnose ARGS``: exit status, stdout, stderr."""
    return _subprocess(args, timeout) if subprocess_ else _in_process(args)


def diagnose(run: Path, mode: str, *, complaint: bool = False, subprocess_: bool = False,
             timeout: float = 300.0) -> Outcome:
    """Diagnose ``run`` in ``mode`` and parse the JSON report."""
    truth = json.loads((run / "truth.json").read_text("utf-8"))
    args = diagnose_args(run, truth, mode, complaint)
    start = time.perf_counter()
    rc, out, err = run_cli(args, subprocess_, timeout)
    return parse_report(Outcome(truth["id"], mode, seconds=round(time.perf_counter() - start, 2)),
                        rc, out, err)


def parse_report(outcome: Outcome, rc: int, out: str, err: str) -> Outcome:
    """Fill ``outcome`` from the exit status and the JSON on stdout."""
    outcome.rc = rc
    try:
        report = json.loads(out)
    except json.JSONDecodeError:
        tail = (err.strip().splitlines() or ["no output"])[-1]
        outcome.error = f"no JSON report (exit {rc}): {tail[:200]}"
        return outcome
    if report.get("schema") != "dldoctor.report/1":
        outcome.error = f"unexpected schema {report.get('schema')!r}"
    outcome.diagnoses = [{"cause": d["cause"], "confidence": float(d["confidence"]),
                          "kind": d.get("kind", "fault")} for d in report.get("diagnoses", [])]
    failed = [n for n in report.get("notes", []) if isinstance(n, str) and "failed" in n]
    if failed:
        outcome.error = "; ".join(failed)[:300]
    return outcome
