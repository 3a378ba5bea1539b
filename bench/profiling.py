"""Where a dldoctor run spends its time, and whether the torch-free checkpoint reader agrees.

``python bench/profiling.py where diagnose --example --no-input``
    runs the command in this process under cProfile and prints the CPU time of each phase
    (imports of torch / the engine, loading the rules, each probe, planning, the report)
    and the functions that cost most.

``python bench/profiling.py agree RUN_FOLDER...``
    diagnoses each run folder's ``checkpoint.pt`` + ``train_log.csv`` twice in this process,
    once with the torch-free NumPy reader and once forced through ``torch.load``, and reports
    every difference of the JSON reports (numbers compared to a relative 1e-4).

The table of bench/README.md (every figure, idle and loaded) is ``bench/speed_table.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import sys
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    w = sub.add_parser("where", help="profile one dldoctor command in this process")
    w.add_argument("--top", type=int, default=25)
    w.add_argument("args", nargs=argparse.REMAINDER)
    a = sub.add_parser("agree", help="same reports through the NumPy and the torch reader")
    a.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args()
    if args.mode == "where":
        where([a for a in args.args if a != "--"], args.top)
    else:
        sys.exit(1 if agree(args.folders) else 0)


if __name__ == "__main__":
    main()
