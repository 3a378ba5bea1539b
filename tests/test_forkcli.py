"""The warm fork server (tests/support/forkcli.py) answers as a real subprocess would: the
same exit status, stdout and stderr for the installed CLI and for a Python script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import forkcli

DIAGNOSE = shutil.which("diagnose") or "diagnose"
DLDOCTOR = shutil.which("dldoctor") or "dldoctor"

SCRIPT = """\
import os
import sys

import helper  # beside the script: its folder comes first on sys.path

print("argv", sys.argv[1:], "cwd", os.path.basename(os.getcwd()), helper.WORD)
print("env", os.environ.get("FORKCLI_WORD"), "stdin", sys.stdin.read().strip() or "-")
seeded = os.environ.get("PYTHONHASHSEED")  # else each process has a hash seed of its own
print("main", __name__, "hash", hash("dldoctor") if seeded else "-", file=sys.stderr)
if sys.argv[1:] == ["boom"]:
    raise RuntimeError("boom")
sys.exit(int(sys.argv[1]) if sys.argv[1:] else 0)
"""


def _same(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    real = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    forked = forkcli.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert (forked.returncode, forked.stdout, forked.stderr) == \
        (real.returncode, real.stdout, real.stderr)
    return real


def test_the_cli_answers_as_the_installed_script(tmp_path: Path) -> None:
    usage = _same([DIAGNOSE, "--bogus"], cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert usage.returncode == 2 and "no such option" in usage.stderr
    listed = _same([DLDOCTOR, "kb", "list", "--causes", "--lang", "zh"], cwd=tmp_path,
                   stdin=subprocess.DEVNULL)
    assert listed.returncode == 0 and "层没有偏置" in listed.stdout


@pytest.mark.parametrize("args", [["3"], ["boom"], []])
def test_a_script_gets_its_argv_cwd_env_stdin_and_exit_status(tmp_path: Path,
                                                              args: list[str]) -> None:
    (tmp_path / "helper.py").write_text("WORD = 'beside'\n")
    (tmp_path / "script.py").write_text(SCRIPT)
    (tmp_path / "work").mkdir()
    env = {**os.environ, "FORKCLI_WORD": "passed"}
    out = _same([sys.executable, str(tmp_path / "script.py"), *args], cwd=tmp_path / "work",
                env=env, input="typed")
    assert out.returncode == {"3": 3, "boom": 1}.get("".join(args), 0)
    assert out.stdout.splitlines()[1] == "env passed stdin typed"
    assert ("Traceback" in out.stderr) is (args == ["boom"])


def test_a_start_up_variable_gets_a_server_started_with_it(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("WORD = 'beside'\n")
    (tmp_path / "script.py").write_text(SCRIPT)
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    out = _same([sys.executable, str(tmp_path / "script.py")], cwd=tmp_path, env=env)
    assert out.returncode == 0 and "main __main__ hash " in out.stderr  # the seed's hash
