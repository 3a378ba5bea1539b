"""Run the installed ``dldoctor`` / ``diagnose`` command lines from a warm interpreter.

A real subprocess pays Python's start-up, torch's import and dldoctor's lazy imports (1-3 s)
on every call. :class:`ForkCli` starts ONE server process that imports them once and then
forks a fresh child per command line: the child gets the test's argv, working folder,
environment and stdin, runs the entry point's ``main`` with its own stdout/stderr files and
ends with the real exit status (an uncaught exception prints its traceback and exits 1, as
Python does). The answer is a :class:`subprocess.CompletedProcess`, so a test reads it as it
reads ``subprocess.run``; ``python SCRIPT.py ARGS`` runs the same way (``runpy``, the script's
folder first on ``sys.path``). What only a new interpreter can show (start-up time, hash
seeds, which modules a run imports, the console script itself) stays on real subprocesses.
Variables read at start-up (``PYTHON*``, ``LANG``, ``LC_*``, ``OMP_*``, ``MKL_*``, ``TORCH*``
...) get a server of their own, started with them.
Tests get it from the ``cli`` fixture (tests/conftest.py) or, in a module helper, call
:func:`run` where they called ``subprocess.run``::

    out = cli.run(["diagnose", "--log", "train.csv", "--no-input"], cwd=tmp_path)
    out = forkcli.run([DIAGNOSE, "--log", "train.csv"], capture_output=True, text=True)
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

__all__ = ["ForkCli", "close_shared", "run", "shared"]

ROOT = Path(__file__).resolve().parents[2]
#: Environment read when the interpreter or torch starts: a server per distinct value set.
_STARTUP = ("PYTHON", "LANG", "LC_", "OMP_", "MKL_", "KMP_", "OPENBLAS_", "TORCH")


def _startup(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in env.items() if k.startswith(_STARTUP)))


def _is_script(argv: Sequence[str]) -> bool:
    """``python SCRIPT.py ...`` with this interpreter."""
    return (len(argv) > 1 and argv[0] == sys.executable and argv[1].endswith(".py")
            and Path(argv[1]).is_file())


#: What a ``diagnose`` run imports on demand, besides every module of these packages.
_LAZY = ("dldoctor.session", "dldoctor.cli.diagnose", "dldoctor.cli.prompt", "dldoctor.cli.kb",
         "dldoctor.cli.kb_show", "dldoctor.cli.trial", "dldoctor.kbtools", "dldoctor.render",
         "dldoctor.report")


def _preload() -> None:
    """Import, once in the server, what each child would otherwise import again."""
    for package in ("dldoctor.engine", "dldoctor.probes", "dldoctor.watcher"):
        path = importlib.import_module(package).__path__
        for module in pkgutil.iter_modules(path, package + "."):
            importlib.import_module(module.name)
    for name in _LAZY:
        importlib.import_module(name)
    import torch.distributed.checkpoint  # noqa: F401 - a DCP folder's reader imports it


def _child(request: dict) -> None:  # pragma: no cover - runs in the forked child
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, name, flags in ((0, request["stdin"], os.O_RDONLY),
                            (1, request["stdout"], os.O_WRONLY | os.O_TRUNC),
                            (2, request["stderr"], os.O_WRONLY | os.O_TRUNC)):
        handle = os.open(name, flags)
        os.dup2(handle, fd)
        os.close(handle)
    encoding, errors = request["encoding"]
    sys.stdin = sys.__stdin__ = open(0, closefd=False, encoding=encoding)  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(1, "w", closefd=False, encoding=encoding,  # noqa: SIM115
                                       errors=errors)
    sys.stderr = sys.__stderr__ = open(2, "w", closefd=False, encoding=encoding,  # noqa: SIM115
                                       errors="backslashreplace")
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(request["timeout"])
    argv = list(request["argv"])
    if _is_script(argv):  # as `python SCRIPT.py ARGS` runs it
        import runpy

        sys.argv = argv[1:]
        sys.path[0] = os.path.dirname(os.path.abspath(argv[1]))
        entry = lambda: runpy.run_path(argv[1], run_name="__main__") and None  # noqa: E731
    else:
        from dldoctor.cli.app import diagnose_main, main

        sys.argv = argv
        entry = diagnose_main if Path(argv[0]).name == "diagnose" else main
    code = 0
    try:
        sys.exit(entry())  # as the console script does
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException as exc:  # as Python reports it: from the script's own frames on
        import traceback

        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename in (__file__, "<frozen runpy>"):
            tb = tb.tb_next
        traceback.print_exception(type(exc), exc, tb)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed pipe: nothing more to say
            pass
    os._exit(code)


def _serve(requests: IO[str], replies: IO[str]) -> None:  # pragma: no cover - the server
    import torch  # noqa: F401

    import dldoctor.cli.app  # noqa: F401 - imported once, before forking

    _preload()
    script = Path(sys.executable).parent / "dldoctor"
    sys.path[0] = str(script.parent)  # as for the console script: its folder, not the repo
    encoding = [sys.stdout.encoding, sys.stdout.errors]  # what a piped child would get
    replies.write("ready\n")
    replies.flush()
    for line in requests:
        request = json.loads(line)
        request["encoding"] = encoding
        pid = os.fork()
        if pid == 0:
            requests.close()
            replies.close()
            _child(request)
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"rc": os.waitstatus_to_exitcode(status)}) + "\n")
        replies.flush()


class ForkCli:
    """One warm server process; :meth:`run` answers like ``subprocess.run(..., text=True)``.

    The server starts with ``env`` (default: this process's environment); a command line whose
    environment differs from it in what start-up reads runs as a real subprocess instead.
    """

    def __init__(self, workdir: Path, env: Mapping[str, str] | None = None) -> None:
        self.workdir = self._work = Path(workdir)
        self._count = 0
        self._lock = threading.Lock()
        env = dict(os.environ if env is None else env)
        self._startup = _startup(env)
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from tests.support.forkcli import _serve; "
             "_serve(sys.stdin, sys.stdout)"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert self._proc.stdout is not None and self._proc.stdout.readline() == "ready\n"

    def run(self, args: Sequence[str | os.PathLike[str]], *, cwd: str | os.PathLike[str] | None
            = None, env: Mapping[str, str] | None = None, input: str | None = None,
            timeout: float = 300, check: bool = False, capture_output: bool = True,
            text: bool = True, stdin: int | None = None) -> subprocess.CompletedProcess[str]:
        """Run one ``dldoctor`` or ``diagnose`` command line; its exit status and output.

        Takes ``subprocess.run``'s arguments as the tests pass them: output captured as text,
        stdin empty (``subprocess.DEVNULL``) unless ``input`` is given.
        """
        if not (capture_output and text) or stdin not in (None, subprocess.DEVNULL):
            raise ValueError("ForkCli.run captures text output and reads stdin from `input`")
        argv = [os.fspath(a) for a in args]
        env = dict(os.environ if env is None else env)
        if os.sep not in argv[0]:  # found on PATH: the script gets its full path as argv[0]
            argv[0] = shutil.which(argv[0], path=env.get("PATH")) or argv[0]
        if (Path(argv[0]).name not in ("dldoctor", "diagnose") and not _is_script(argv)) \
                or _startup(env) != self._startup:
            return subprocess.run(argv, cwd=cwd, env=env, input=input, text=True,
                                  capture_output=True, timeout=timeout, check=check,
                                  stdin=None if input is not None else subprocess.DEVNULL)
        with self._lock:
            self._count += 1
            stem = self._work / f"run{self._count}"
        stdin, stdout, stderr = (Path(f"{stem}.{s}") for s in ("in", "out", "err"))
        stdin.write_text(input or "", encoding="utf-8")
        stdout.touch()
        stderr.touch()
        request = {"argv": argv, "cwd": os.fspath(cwd or os.getcwd()), "env": env,
                   "stdin": str(stdin), "stdout": str(stdout), "stderr": str(stderr),
                   "timeout": max(1, int(timeout))}
        assert self._proc.stdin is not None and self._proc.stdout is not None
        with self._lock:  # one command line at a time, whichever thread asks
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
            rc = json.loads(self._proc.stdout.readline())["rc"]
        if rc == -signal.SIGALRM:
            raise subprocess.TimeoutExpired(argv, timeout)
        out = subprocess.CompletedProcess(argv, rc, _read(stdout), _read(stderr))
        if check:
            out.check_returncode()
        return out

    def __call__(self, *args: str | os.PathLike[str], cwd: str | os.PathLike[str] | None = None,
                 **kwargs: object) -> subprocess.CompletedProcess[str]:
        """``cli(DIAGNOSE, "--log", "x.csv", cwd=tmp_path)``: :meth:`run` with argv spread."""
        return self.run(args, cwd=cwd, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=60)


def _read(path: Path) -> str:
    """Decode as ``subprocess.run(text=True)`` does, universal newlines included."""
    with open(path, encoding=None, newline=None) as handle:
        return handle.read()


_SHARED: dict[tuple[tuple[str, str], ...], ForkCli] = {}


def shared(env: Mapping[str, str] | None = None) -> ForkCli:
    """The test session's server for ``env``'s start-up variables, started on first use
    (tests/conftest.py closes them)."""
    env = dict(os.environ if env is None else env)
    key = _startup(env)
    if key not in _SHARED:
        _SHARED[key] = ForkCli(Path(tempfile.mkdtemp(prefix="dldoctor-forkcli-")), env)
    return _SHARED[key]


def close_shared() -> None:
    """Stop the session's servers and remove their files."""
    while _SHARED:
        _, server = _SHARED.popitem()
        server.close()
        shutil.rmtree(server.workdir, ignore_errors=True)


def run(args: Sequence[str | os.PathLike[str]], *, env: Mapping[str, str] | None = None,
        **kwargs: object) -> subprocess.CompletedProcess[str]:
    """``subprocess.run(args, capture_output=True, text=True, ...)`` through :func:`shared`:
    a ``dldoctor`` / ``diagnose`` command line or ``python SCRIPT.py`` forks from the server
    for its environment; anything else runs as a real subprocess."""
    argv = [os.fspath(a) for a in args]
    if Path(argv[0]).name not in ("dldoctor", "diagnose") and not _is_script(argv):
        return subprocess.run(argv, env=env, **kwargs)  # type: ignore[call-overload]
    return shared(env).run(argv, env=env, **kwargs)  # type: ignore[arg-type]
