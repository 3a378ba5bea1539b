"""Hostile, malformed and huge inputs through the installed CLI: exit 2, one line, no code.

The corpus (tests/support/hostile.py) is generated here, never committed. The cases run in
the session's warm fork server (tests/support/forkcli.py: a child process per case from one
interpreter that has imported dldoctor and torch), each child under a 60 s alarm: a hang
fails the test instead of stalling the suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import forkcli
from tests.support.hostile import Case, build_corpus, marker_dir


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Case], list[dict], Path]:
    root = tmp_path_factory.mktemp("hostile")
    cases = build_corpus(root)
    results = []
    for case in cases:
        out = forkcli.run(case.argv, cwd=root, timeout=60, stdin=subprocess.DEVNULL)
        results.append({"rc": out.returncode, "stdout": out.stdout, "stderr": out.stderr})
    return cases, results, root


def _problems(case: Case, result: dict) -> list[str]:
    err = result["stderr"]
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("dldoctor: error: ")]
    out = []
    if result["rc"] not in case.codes:
        out.append(f"exit {result['rc']}, expected {case.codes}")
    if "Traceback" in err:
        out.append("a traceback on stderr")
    if any(not line.startswith("dldoctor: ") for line in lines):
        out.append("a line on stderr that is not dldoctor's")
    if case.codes == (2,):
        if len(errors) != 1 or lines[-1] != errors[0]:
            out.append(f"{len(errors)} error lines, not one error line at the end")
        elif not all(w in errors[0] for w in case.words):
            out.append(f"the error line lacks {case.words}")
        if result["stdout"]:
            out.append("output on stdout")
    for leaked in case.absent:
        if leaked in err or leaked in result["stdout"]:
            out.append(f"the output echoes {leaked!r}")
    return [f"{case.name}: {p} -- {err.strip()[-300:]!r}" for p in out]


def test_every_hostile_input_is_refused_cleanly(outcomes) -> None:  # noqa: ANN001
    cases, results, _ = outcomes
    assert len(results) == len(cases) >= 60
    problems = [p for case, result in zip(cases, results, strict=True)
                for p in _problems(case, result)]
    assert problems == []


def test_no_payload_ran(outcomes) -> None:  # noqa: ANN001
    _, _, root = outcomes
    assert sorted(p.name for p in marker_dir(root).iterdir()) == []


def test_a_refused_file_is_answered_before_torch_loads(tmp_path: Path) -> None:
    """Garbage is refused by the torch-free sniff: torch is never imported for it."""
    bad = tmp_path / "garbage.pt"
    bad.write_bytes(b"\x00garbage" * 10)
    code = ("import sys; sys.argv = ['diagnose', '--checkpoint', sys.argv[1], '--no-input']\n"
            "from dldoctor.cli.app import diagnose_main\n"
            "try:\n    diagnose_main()\nexcept SystemExit as e:\n"
            "    print('torch' in sys.modules, e.code)\n")
    out = subprocess.run([sys.executable, "-c", code, str(bad)], capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.split() == ["False", "2"]
    assert out.stderr.count("\n") == 1 and "not a checkpoint" in out.stderr
