"""Start-up stays light: ``dldoctor --help`` imports neither the engine nor torch, and the
``kb`` group is mounted when it is used."""

from __future__ import annotations

import subprocess
import sys

_PROBE = (
    "import sys\n"
    "from dldoctor.cli.app import main\n"
    "sys.argv = ['dldoctor', *{args!r}]\n"
    "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
    "heavy = sorted({{m.split('.')[0] if m.startswith('torch') else m for m in sys.modules\n"
    "                if m in ('dldoctor.engine', 'pydantic', 'dldoctor.cli.kb')\n"
    "                or m.startswith('torch')}})\n"
    "print('HEAVY', ','.join(heavy), 'CODE', code, file=sys.stderr)\n"
)


def _run(*args: str) -> tuple[str, str]:
    out = subprocess.run([sys.executable, "-c", _PROBE.format(args=list(args))],
                         capture_output=True, text=True, timeout=120)
    last = out.stderr.strip().splitlines()[-1]
    return out.stdout, last


def test_help_imports_neither_engine_nor_torch() -> None:
    stdout, last = _run("--help")
    assert last == "HEAVY  CODE 0"
    for command in ("chat", "diagnose", "kb"):
        assert f"  {command} " in stdout
    assert "Validate, test, list and draw the rules." in stdout


def test_kb_is_mounted_on_use() -> None:
    stdout, last = _run("kb", "--help")
    assert "lint" in stdout and "dldoctor.cli.kb" in last and "torch" not in last
    _, last = _run("diagnose", "--help")
    assert "dldoctor.engine" not in last and "torch" not in last
