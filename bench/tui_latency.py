"""How fast the chat feels: first paint, quit, and quit after probes ran, in a real terminal.

Each case starts ``dldoctor chat`` in a pseudo-terminal of 80×24 (as a person would) and
times, from the moment the process is spawned:

* ``first paint``: until the greeting is on the screen;
* ``quit``: from ctrl+q until the process has exited;
* ``quit after probes``: the same once a log, a model and a batch were probed (torch loaded,
  probe threads used) and the first question or the diagnosis is shown;
* ``resume shown``: from answering "y" to the resume dialog until the progress row (or the
  resumed transcript) is on the screen.

Goals (issue 16, on an idle 2-core machine): first paint ≤ 1 s, quit ≤ 0.5 s. The machine
is rarely idle: the table gives the min and the median of ``--repeat`` runs, and the load
average at the start, so a reader can tell a slow run from a busy machine.

    python bench/tui_latency.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

DLDOCTOR = str(Path(sys.executable).with_name("dldoctor"))
GREETING = "Tell me what goes wrong"
# after the probes the chat asks a question or, settled, shows the diagnosis card
SETTLED = ["question 1", "confidence"]


def _spawn(args: list[str], state: Path, command: str = "chat"
           ) -> tuple[pexpect.spawn, float]:
    env = {**os.environ, "XDG_STATE_HOME": str(state), "TERM": "xterm-256color",
           "COLUMNS": "80", "LINES": "24"}
    start = time.perf_counter()
    argv = [command, *args] if command else args
    child = pexpect.spawn(DLDOCTOR, argv, env=env, encoding="utf-8", dimensions=(24, 80),
                          timeout=120)
    return child, start


QUIT_CPU: list[float] = []  # CPU seconds each quit used, in the order of the quits


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _quit(child: pexpect.spawn) -> float:
    """Wall seconds from ctrl+q to the end of output; its CPU seconds go to QUIT_CPU."""
    before = _cpu_seconds(child.pid)
    reaped = _children_cpu()
    start = time.perf_counter()
    child.sendcontrol("q")
    child.expect(pexpect.EOF)
    took = time.perf_counter() - start  # before close(), which sleeps delayafterclose itself
    child.close()
    QUIT_CPU.append(_children_cpu() - reaped - before)
    return took


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used: its wall time on an idle machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_paint_and_quit(state: Path) -> tuple[float, float, float]:
    child, start = _spawn([], state)
    child.expect(GREETING)
    paint = time.perf_counter() - start
    cpu = _cpu_seconds(child.pid)
    time.sleep(0.3)  # let it settle as a person would before quitting
    return paint, cpu, _quit(child)


def quit_after_probes(state: Path, example: Path) -> float:
    args = ["-l", str(example / "train_log.csv"), "-m", f"{example / 'model.py'}:build",
            "-b", str(example / "batch.pt"), "-s", "loss becomes nan"]
    child, _ = _spawn(args, state)
    child.expect(SETTLED)
    time.sleep(0.3)
    return _quit(child)


def resume_shown(state: Path) -> float:
    """Answer yes to the resume dialog; time until the progress row or the resumed chat."""
    child, _ = _spawn([], state, command="")  # plain `dldoctor` offers the autosave
    child.expect("Resume your last session")
    time.sleep(0.3)
    start = time.perf_counter()
    child.send("y")
    child.expect(["Loading the last session", "Resumed the session"])
    shown = time.perf_counter() - start
    _quit(child)
    return shown


def _row(name: str, values: list[float], goal: str) -> str:
    return (f"| {name} | {min(values):.2f} | {statistics.median(values):.2f} | "
            f"{max(values):.2f} | {goal} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from dldoctor.example import ensure_example

    example = ensure_example().checkpoint.parent
    load = os.getloadavg()[0]
    paints, cpus, quits, probed, resumes = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            fresh = Path(tmp) / f"fresh{i}"
            paint, cpu, quit_ = first_paint_and_quit(fresh)
            paints.append(paint)
            cpus.append(cpu)
            quits.append(quit_)
            used = Path(tmp) / f"used{i}"
            probed.append(quit_after_probes(used, example))
            resumes.append(resume_shown(used))  # the run above left an autosave
    print(f"load average at start: {load:.2f} on {os.cpu_count()} CPUs; {args.repeat} runs\n")
    print("| seconds | min | median | max | goal |")
    print("|---|---|---|---|---|")
    print(_row("first paint", paints, "≤ 1"))
    print(_row("first paint, CPU time", cpus, "≤ 1"))
    print(_row("quit", quits, "≤ 0.5"))
    print(_row("quit, CPU time", QUIT_CPU[0::3], "≤ 0.5"))
    print(_row("quit after probes", probed, "≤ 0.5"))
    print(_row("quit after probes, CPU time", QUIT_CPU[1::3], "≤ 0.5"))
    print(_row("resume: progress shown", resumes, "at once"))


if __name__ == "__main__":
    main()
