"""Where a dldoctor run spends its time, and the start-up/run-time table of bench/README.md.

``python bench/profile.py where diagnose --example --no-input``
    runs the command in this process under cProfile and prints the CPU time of each phase
    (imports of torch / the engine, loading the rules, each probe, planning, the report)
    and the functions that cost most.

``python bench/profile.py agree RUN_FOLDER...``
    diagnoses each run folder's ``checkpoint.pt`` + ``train_log.csv`` twice in this process,
    once with the torch-free NumPy reader and once forced through ``torch.load``, and reports
    every difference of the JSON reports (numbers compared to a relative 1e-4).

``python bench/profile.py table [--repeat 5] [--loaded]``
    runs each figure of the table as a fresh process ``--repeat`` times and prints CPU and
    wall medians as a Markdown table; ``--loaded`` keeps a busy loop running on another
    core meanwhile (a shared CI machine). Inputs are made on first use in ``bench/out/``.
"""

from __future__ import annotations

import os
import sys

# run as ``python bench/profile.py`` this file's folder comes first on the path and its name
# would hide the standard library's ``profile`` module, which cProfile imports
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import math  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "profile"

#: Phases of a run: name → substrings of the profiled functions' "file:line(name)" whose
#: cumulative time is the phase's (the first function matching counts).
PHASES: dict[str, tuple[str, ...]] = {
    "import torch": ("dldoctor/probes/checkpoints.py:1(<module>)", "torch/__init__.py:1(<module>)"),
    "import engine": ("dldoctor/engine/__init__.py:1(<module>)",),
    "load rules": ("kbpaths.py", "(load_knowledge)"),
    "log probe": ("(probe_curves)",),
    "checkpoint probes": ("(probe_weights)", "(probe_optimizer)"),
    "live forward": ("(probe_forward)",),
    "live backward": ("(probe_backward)",),
    "live overfit": ("(probe_overfit)",),
    "live lr sweep": ("(probe_lr_sweep)",),
    "planning": ("(next_step)",),
    "report": ("(report)",),
}


def _label(func: tuple[str, int, str]) -> str:
    return f"{func[0]}:{func[1]}({func[2]})"


def where(argv: list[str], top: int = 25) -> None:
    """Profile ``dldoctor ARGV`` in this process; print phases and the costliest functions."""
    from dldoctor.cli.app import main

    profiler = cProfile.Profile(time.process_time)
    sys.argv = ["dldoctor", *argv]
    start = time.process_time()
    profiler.enable()
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    finally:
        profiler.disable()
    total = time.process_time() - start
    stats = pstats.Stats(profiler)
    table = stats.stats  # type: ignore[attr-defined]
    print(f"\nexit {code}; {total:.2f} s CPU in all", file=sys.stderr)
    for phase, needles in PHASES.items():
        spent = 0.0
        for needle in needles:
            hits = [v[3] for k, v in table.items() if needle in _label(k)]
            if hits:
                spent = max(hits)
                break
        if spent:
            print(f"  {phase:<18} {spent:6.2f} s  {spent / total:5.1%}", file=sys.stderr)
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(top)
    print(buffer.getvalue(), file=sys.stderr)


# ---------------------------------------------------------------------------------- agree
def _report(argv: list[str], force_torch: bool) -> tuple[object, object]:
    """(exit code, parsed JSON report) of ``dldoctor ARGV`` run in this process."""
    import contextlib
    import json
    from unittest import mock

    import dldoctor.probes.checkpoints as checkpoints
    from dldoctor.cli.app import main
    from dldoctor.probes.numpy_checkpoint import NeedsTorch

    def refuse(path: Path) -> None:
        raise NeedsTorch("forced through torch.load")

    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["dldoctor", *argv]
    code: object = 0
    patch = mock.patch.object(checkpoints, "load_zip_arrays", refuse) if force_torch \
        else contextlib.nullcontext()
    with patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    try:
        return code, json.loads(out.getvalue())
    except ValueError:  # refused (exit 2): its one line on stderr is the report
        return code, err.getvalue().strip().splitlines()[-1:]


def _differences(a: object, b: object, where: str = "") -> list[str]:
    """Where two JSON values differ (numbers: beyond a relative 1e-4)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{where}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in _differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in _differences(x, y, f"{where}[{i}]")]
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        same = math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-12) or (a != a and b != b)
        return [] if same else [f"{where}: {a!r} vs {b!r}"]
    return [] if a == b else [f"{where}: {str(a)[:80]!r} vs {str(b)[:80]!r}"]


def agree(folders: list[Path]) -> int:
    """Diagnose each run through both readers; print the differences; return their count."""
    differing = 0
    for folder in folders:
        argv = ["diagnose", "-c", str(folder / "checkpoint.pt"), "-l",
                str(folder / "train_log.csv"), "--no-input", "--format", "json"]
        (code_np, numpy_report), (code_t, torch_report) = (_report(argv, False),
                                                            _report(argv, True))
        found = _differences(numpy_report, torch_report)
        if code_np != code_t:
            found.insert(0, f"exit {code_np} vs {code_t}")
        if found:
            differing += 1
            print(f"{folder}: " + "; ".join(found[:5]))
    print(f"{len(folders)} runs, {differing} with a different report")
    return differing


# ---------------------------------------------------------------------------------- table
def _example() -> Path:
    """The bundled example's folder (trained on first use)."""
    from dldoctor.example import ensure_example

    return ensure_example(OUT / "example").root


def _big_csv(rows: int = 1_000_000) -> Path:
    """A million-row CSV log: a falling loss that turns NaN at row 777 778."""
    path = OUT / f"log_{rows}.csv"
    if path.exists():
        return path
    import numpy as np

    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    loss = 2 * np.exp(-np.arange(rows) / (rows / 5)) + 0.05 * rng.standard_normal(rows) + 0.1
    with path.open("w") as f:
        f.write("step,epoch,loss,lr,grad_norm,val_loss,val_acc\n")
        for i in range(rows):
            value = "nan" if i == 777_777 else f"{loss[i]:.6g}"
            val = f"{loss[i] + 0.1:.5g},{0.5 + 0.4 * i / rows:.4f}" if i % 1000 == 0 else ","
            f.write(f"{i},{i // 10000},{value},0.001,{1 + rng.random():.4f},{val}\n")
    return path


def _figures() -> dict[str, list[str]]:
    ex = _example()
    dl = shutil.which("dldoctor") or "dldoctor"
    common = ["--no-input", "--format", "json"]
    here = Path(__file__).resolve().parent
    return {
        "diagnose checkpoint + log": [dl, "diagnose", "-c", str(ex / "checkpoint.pt"), "-l",
                                      str(ex / "train_log.csv"), *common],
        "diagnose --model --batch (all inputs)": [
            dl, "diagnose", "-c", str(ex / "checkpoint.pt"), "-l", str(ex / "train_log.csv"),
            "-m", f"{ex / 'model.py'}:build", "-b", str(ex / "batch.pt"), *common],
        "dldoctor --help": [dl, "--help"],
        "kb lint": [dl, "kb", "lint"],
        "1,000,000-row CSV log": [dl, "diagnose", "-l", str(_big_csv()), *common],
        "engine at 10k rules": [sys.executable, str(here / "engine_scaling.py"), "--sizes",
                                "10000", "--repeat", "1"],
    }


def _measure(command: list[str]) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MB) of one run of ``command`` as a child process.

    Through ``/usr/bin/time`` when there is one: a child forked from this (large) process
    would report this process's resident size as its own peak.
    """
    timer = shutil.which("time") or "/usr/bin/time"
    if Path(timer).is_file():
        with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
            start = time.perf_counter()
            subprocess.run([timer, "-f", "%U %S %M", "-o", out.name, *command],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            user, system, peak = out.read().split()[-3:]
        return float(user) + float(system), wall, int(peak) / 1024
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, math.nan


def _busy() -> subprocess.Popen[bytes]:
    """A busy loop on another core: what a shared CI machine does to a run."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def table(repeat: int, loaded: bool, only: Callable[[str], bool] = lambda name: True) -> None:
    figures = {k: v for k, v in _figures().items() if only(k)}
    for command in figures.values():  # warm the page cache and every lazy download/build
        _measure(command)
    busy = _busy() if loaded else None
    try:
        results = {name: [_measure(cmd) for _ in range(repeat)] for name, cmd in figures.items()}
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
    load = "plus a busy loop" if loaded else "no extra load"
    print(f"\n| figure ({load}, median of {repeat}) | CPU s | wall s | peak RSS MB |")
    print("|---|---|---|---|")
    for name, runs in results.items():
        cpu, wall, rss = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"| {name} | {cpu:.2f} | {wall:.2f} | {rss:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    w = sub.add_parser("where", help="profile one dldoctor command in this process")
    w.add_argument("--top", type=int, default=25)
    w.add_argument("args", nargs=argparse.REMAINDER)
    a = sub.add_parser("agree", help="same reports through the NumPy and the torch reader")
    a.add_argument("folders", nargs="+", type=Path)
    t = sub.add_parser("table", help="CPU and wall medians of the README table")
    t.add_argument("--repeat", type=int, default=5)
    t.add_argument("--loaded", action="store_true")
    t.add_argument("--only", default="", help="figures whose name contains this")
    args = parser.parse_args()
    if args.mode == "where":
        where([a for a in args.args if a != "--"], args.top)
    elif args.mode == "agree":
        sys.exit(1 if agree(args.folders) else 0)
    else:
        table(args.repeat, args.loaded, lambda name: args.only.lower() in name.lower())


if __name__ == "__main__":
    main()
