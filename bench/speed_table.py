"""The speed table of bench/README.md: every figure of issue 13, idle and loaded, side by side.

``python bench/speed_table.py [--repeat 5] [--only NAME]``

Each round runs every figure twice as a fresh process: once with no extra load, once while a
busy loop (``while True: pass``) runs on the other core, as on a shared CI machine. The
table gives the medians over the rounds of CPU time (user + system, through
``/usr/bin/time``: load hardly inflates it) and wall time (load does). The engine figures
come from ``bench/engine_scaling.py`` as it is, run in a child process once with its CPU
clock and once with a wall clock. Inputs (the bundled example, a 1,000,000-row CSV log) are
made on first use in ``bench/out/profile/``.
"""

from __future__ import annotations

import os
import sys

# run as ``python bench/speed_table.py`` this file's folder comes first on the path, and
# bench/profile.py would hide the standard library's ``profile`` (cProfile imports it, and
# torch imports cProfile when the example is trained on first use)
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import math  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "profile"

#: figure → goal, as issue 13 states it.
GOALS = {
    "diagnose checkpoint + log": "≤ 1.5 s",
    "diagnose --model --batch (all inputs)": "≤ 3 s",
    "dldoctor --help": "≤ 0.3 s",
    "kb lint": "≤ 0.8 s",
    "1,000,000-row CSV log": "≤ 10 s, ≤ 200 MB",
    "engine 10k rules: planning step": "< 50 ms",
    "engine 10k rules: fixpoint": "",
    "engine fixpoint growth 1k → 10k rules": "≤ ×12",
}


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


def commands() -> dict[str, list[str]]:
    """The command line of each process-level figure."""
    ex = _example()
    dl = shutil.which("dldoctor") or "dldoctor"
    common = ["--no-input", "--format", "json"]
    ckpt_log = [dl, "diagnose", "-c", str(ex / "checkpoint.pt"), "-l", str(ex / "train_log.csv")]
    return {
        "diagnose checkpoint + log": [*ckpt_log, *common],
        "diagnose --model --batch (all inputs)": [
            *ckpt_log, "-m", f"{ex / 'model.py'}:build", "-b", str(ex / "batch.pt"), *common],
        "dldoctor --help": [dl, "--help"],
        "kb lint": [dl, "kb", "lint"],
        "1,000,000-row CSV log": [dl, "diagnose", "-l", str(_big_csv()), *common],
    }


def measure(command: list[str]) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MB) of one run of ``command`` as a child process."""
    timer = shutil.which("time") or "/usr/bin/time"
    if not Path(timer).is_file():
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return math.nan, time.perf_counter() - start, math.nan
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        start = time.perf_counter()
        subprocess.run([timer, "-f", "%U %S %M", "-o", out.name, *command],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        user, system, peak = out.read().split()[-3:]
    return float(user) + float(system), wall, int(peak) / 1024


_ENGINE = """
import sys, time
sys.path.insert(0, {here!r})
import engine_scaling as e
if {wall!r}:
    e._clock = time.perf_counter
small, big = e.measure(1000, 3), e.measure(10000, 3)
print(big.step_ms, big.fixpoint_ms, big.fixpoint_ms / small.fixpoint_ms)
"""


def engine(wall: bool) -> tuple[float, float, float]:
    """bench/engine_scaling.py at 1k and 10k rules: (planning step ms, fixpoint ms, growth),
    medians of its 3 repeats, on its CPU clock or on a wall clock."""
    out = subprocess.run([sys.executable, "-c", _ENGINE.format(here=str(HERE), wall=wall)],
                         capture_output=True, text=True, check=True)
    step, fixpoint, growth = (float(x) for x in out.stdout.split()[-3:])
    return step, fixpoint, growth


def busy() -> subprocess.Popen[bytes]:
    """A busy loop on another core: what a shared CI machine does to a run."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def _round(figures: dict[str, list[str]], with_engine: bool
           ) -> dict[str, tuple[float, float, float]]:
    """One run of every figure: name → (CPU, wall, peak RSS MB); engine rows in ms."""
    found = {name: measure(command) for name, command in figures.items()}
    if with_engine:
        cpu, wall = engine(False), engine(True)
        found["engine 10k rules: planning step"] = (cpu[0], wall[0], math.nan)
        found["engine 10k rules: fixpoint"] = (cpu[1], wall[1], math.nan)
        found["engine fixpoint growth 1k → 10k rules"] = (cpu[2], wall[2], math.nan)
    return found


def table(repeat: int, only: Callable[[str], bool] = lambda name: True) -> str:
    """Run ``repeat`` rounds, idle and loaded in turn; the Markdown table of medians."""
    figures = {k: v for k, v in commands().items() if only(k)}
    with_engine = only("engine")
    for command in figures.values():  # warm the page cache, the KB cache, lazy builds
        measure(command)
    idle: list[dict[str, tuple[float, float, float]]] = []
    loaded: list[dict[str, tuple[float, float, float]]] = []
    load_before = os.getloadavg()[0]
    for _ in range(repeat):
        idle.append(_round(figures, with_engine))
        loop = busy()
        try:
            loaded.append(_round(figures, with_engine))
        finally:
            loop.kill()
            loop.wait()
    load_after = os.getloadavg()[0]
    lines = [
        f"Medians of {repeat} rounds; load average {load_before:.1f} before, "
        f"{load_after:.1f} after; {os.cpu_count()} cores.",
        "",
        "| figure | goal | idle: CPU | idle: wall | loaded: CPU | loaded: wall | peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in idle[0]:
        cells = []
        for runs in (idle, loaded):
            for column in (0, 1):
                cells.append(statistics.median(r[name][column] for r in runs))
        rss = statistics.median(r[name][2] for r in idle)
        unit = "" if name.startswith("engine fixpoint growth") else \
            " ms" if name.startswith("engine") else " s"
        shown = [f"×{c:.1f}" if not unit else f"{c:.{0 if unit == ' ms' and c > 100 else 2}f}"
                 f"{unit}" for c in cells]
        lines.append(f"| {name} | {GOALS.get(name, '')} | " + " | ".join(shown)
                     + f" | {'' if math.isnan(rss) else f'{rss:.0f} MB'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="figures whose name contains this")
    args = parser.parse_args()
    print(table(args.repeat, lambda name: args.only.lower() in name.lower()))


if __name__ == "__main__":
    main()
