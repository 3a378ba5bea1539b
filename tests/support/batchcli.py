"""Run many ``dldoctor`` command lines through the installed entry point, cheaply.

One subprocess per hostile case would pay Python's and torch's start-up each time. This
runner is one subprocess: it imports the installed ``dldoctor.cli.app:main`` once, then forks
a child per case that runs ``main()`` with that case's argv, its own stdout/stderr files and
an alarm as time bound; the parent reports each child's real exit status. Usage::

    python -m tests.support.batchcli cases.json results.json
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["run_cases"]


def _child(argv: list[str], cwd: str, out: str, err: str, seconds: int) -> None:
    os.chdir(cwd)
    for fd, name in ((1, out), (2, err)):
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(handle, fd)
        os.close(handle)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the child's stdin, kept open
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    signal.alarm(seconds)
    sys.argv = argv
    from dldoctor.cli.app import diagnose_main, main

    code = 0
    try:
        if argv[0] == "diagnose":
            diagnose_main()
        else:
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # a traceback is a finding: print it the way Python would
        import traceback

        traceback.print_exc()
        code = 99
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_cases(cases: list[dict[str, Any]], workdir: Path, seconds: int = 20) -> list[dict]:
    """Run each case ``{"argv": [...], "cwd": ...}``; return rc, stdout, stderr, seconds."""
    import dldoctor.cli.app  # noqa: F401 - import once, before forking

    try:
        import torch  # noqa: F401 - what most cases would import again
    except ImportError:  # pragma: no cover
        pass

    results = []
    for i, case in enumerate(cases):
        out, err = workdir / f"{i}.out", workdir / f"{i}.err"
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            _child(case["argv"], case.get("cwd", str(workdir)), str(out), str(err), seconds)
        _, status = os.waitpid(pid, 0)
        rc = os.waitstatus_to_exitcode(status)
        results.append({
            "argv": case["argv"], "rc": rc, "seconds": time.perf_counter() - start,
            "stdout": out.read_text(errors="replace"), "stderr": err.read_text(errors="replace"),
        })
    return results


if __name__ == "__main__":
    cases_file, results_file = Path(sys.argv[1]), Path(sys.argv[2])
    spec = json.loads(cases_file.read_text())
    work = Path(spec.get("workdir") or cases_file.parent)
    results = run_cases(spec["cases"], work, int(spec.get("seconds", 20)))
    results_file.write_text(json.dumps(results))
