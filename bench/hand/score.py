"""Score dldoctor on the hand-written runs: ``diagnose --format json --no-input`` per run.

Two modes per run: ``all`` (checkpoint, log, ``--model model.py:build``, ``--batch`` and the
user's complaint as ``--symptom``) and ``ckpt_log`` (checkpoint and log only); ``files``
(all inputs but the complaint) on request. A *fault* is any of the report's diagnoses (a
practice note is one only when it explains an observation; until stop 27 such notes were
left out here, unlike bench/replay). Per run it prints the expected cause, the top 3 faults
(cause, confidence) and the exit code; in total: top-1 and top-3 on the broken runs,
detection (a true cause among the faults >= 0.5), false alarms (a healthy run with a fault
>= 0.5 or exit 1) and wrong faults >= 0.5 per broken run (faults at or above 0.5 that are
not among the run's true causes).

    python -m bench.hand.score [--set NAME] [--generate] [--runs DIR] [--only a,b]
                               [--modes all,ckpt_log] [--json FILE]

A set is a folder of run scripts: ``hand`` is bench/hand/runs/ (runs in bench/out/hand/);
every other set is a package bench/hand/<ordinal>/ — ``fresh`` (the second), ``third``,
``fourth``, … ``hundredsixtysixth`` … — with its runs in bench/out/hand-<ordinal>/. A new set
is found by its folder; the sets are listed in the order they were written (their ordinals).
A run may be broken with no cause id (``causes: []`` and ``healthy: false`` in its
truth.json): it counts as broken and can only miss.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ALARM", "MODES", "SETS", "Outcome", "command", "diagnose", "generate", "main",
           "ordinal", "summary"]

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "runs"
RUNS = HERE.parents[1] / "bench" / "out" / "hand"
_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
          "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth")
_TENS = ("twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet")
_HUNDREDS = ("hundred", "twohundred", "threehundred", "fourhundred", "fivehundred")


def ordinal(name: str) -> int:
    """The number an English ordinal set name spells ("hundredfortyfifth" -> 145,
    "twohundredthird" -> 203, "threehundredfirst" -> 301); "hand" is the first set, "fresh"
    the second."""
    special = {"hand": 1, "fresh": 2}
    if name in special:
        return special[name]
    rest, number = name, 0
    for hundreds, prefix in enumerate(_HUNDREDS, start=1):
        if name.startswith(prefix):
            rest, number = name[len(prefix):], 100 * hundreds
    if number and rest == "th":
        return number
    for tens, stem in enumerate(_TENS, start=2):
        if rest == f"{stem}ieth":
            return number + 10 * tens
        if rest.startswith(f"{stem}y") and rest[len(stem) + 1:] in _UNITS[:9]:
            number, rest = number + 10 * tens, rest[len(stem) + 1:]
            break
    if rest not in _UNITS:
        raise ValueError(f"not an ordinal set name: {name!r}")
    return number + _UNITS.index(rest) + 1


SETS = {"hand": (SCRIPTS, RUNS)} | {  # name -> (scripts, run folders), in the order written
    p.name: (p, RUNS.with_name(f"hand-{p.name}"))
    for p in sorted((p for p in HERE.iterdir() if (p / "__init__.py").is_file()
                     and p.name != SCRIPTS.name), key=lambda p: ordinal(p.name))}
ALARM = 0.5  # as bench/trust: a fault this confident on a healthy run is a false alarm
MODES = ("all", "ckpt_log")  # "files": all inputs but the complaint, on request


@dataclass
class Outcome:
    """What ``diagnose`` said about one run in one mode."""

    name: str
    mode: str
    causes: list[str]
    rc: int
    faults: list[tuple[str, float]] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    truth_healthy: bool | None = None  # truth.json's "healthy"; None: no causes = healthy

    @property
    def healthy(self) -> bool:
        return not self.causes if self.truth_healthy is None else self.truth_healthy

    @property
    def top1(self) -> bool:
        return bool(self.faults) and self.faults[0][0] in self.causes

    @property
    def top3(self) -> bool:
        return any(c in self.causes for c, _ in self.faults[:3])

    @property
    def detected(self) -> bool:
        """A true cause is among the faults at or above ALARM."""
        return any(c in self.causes and conf >= ALARM for c, conf in self.faults)

    @property
    def wrong(self) -> int:
        """Faults at or above ALARM that are not a true cause of this run."""
        return sum(c not in self.causes and conf >= ALARM for c, conf in self.faults)

    @property
    def false_alarm(self) -> bool:
        return self.healthy and (self.rc == 1 or any(conf >= ALARM for _, conf in self.faults))

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.healthy:
            return "FALSE ALARM" if self.false_alarm else "ok"
        return "top-1" if self.top1 else "top-3" if self.top3 else "miss"


def scripts(folder: Path = SCRIPTS) -> list[Path]:
    """Every hand run script in ``folder``, by name."""
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def generate(runs: Path, only: set[str] | None, folder: Path = SCRIPTS) -> dict[str, float]:
    """Run each script (one torch thread) into ``runs/<name>/``; CPU seconds per script."""
    cpu: dict[str, float] = {}
    for script in scripts(folder):
        if only and script.stem not in only:
            continue
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
        proc = subprocess.run([sys.executable, str(script), "--out", str(runs / script.stem)],
                              capture_output=True, text=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[script.stem] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        tail = proc.stdout.strip().splitlines()[-1:] or proc.stderr.strip().splitlines()[-1:]
        print(f"{script.stem:32s} rc={proc.returncode} cpu={cpu[script.stem]:5.1f}s  "
              f"{tail[0][:90] if tail else ''}", flush=True)
    return cpu


def command(run: Path, truth: dict, mode: str) -> list[str]:
    """The ``diagnose`` command line for one run and mode (a run that crashed before saving
    has no checkpoint: its ``ckpt_log`` mode reads the log alone)."""
    files = truth["files"]
    exe = shutil.which("diagnose") or "diagnose"
    cmd = [exe, "--format", "json", "--no-input"]
    if files.get("checkpoint"):
        cmd += ["--checkpoint", str(run / files["checkpoint"])]
    if files.get("log"):
        cmd += ["--log", str(run / files["log"])]
    if mode in ("all", "files"):
        model, factory = files["model"].split(":")
        cmd += ["--model", f"{run / model}:{factory}", "--batch", str(run / files["batch"])]
        if mode == "all" and truth.get("complaint"):
            cmd += ["--symptom", truth["complaint"]]
    return cmd


def diagnose(run: Path, mode: str) -> Outcome:
    """Run ``diagnose`` on one run folder and read its JSON report."""
    truth = json.loads((run / "truth.json").read_text())
    start = time.perf_counter()
    proc = subprocess.run(command(run, truth, mode), capture_output=True, text=True,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    out = Outcome(run.name, mode, list(truth["causes"]), proc.returncode,
                  seconds=time.perf_counter() - start, truth_healthy=truth.get("healthy"))
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        lines = proc.stderr.strip().splitlines()
        out.error = lines[-1][:200] if lines else f"exit {proc.returncode}, no report"
        return out
    # every diagnosis: a practice note is among them only when it explains what was observed
    # (it makes the exit status 1 then); the others sit in "advice"
    out.faults = [(d["cause"], float(d["confidence"])) for d in report.get("diagnoses", [])]
    return out


def summary(outcomes: list[Outcome]) -> dict[str, float | int | str]:
    """Totals for one mode."""
    broken = [o for o in outcomes if not o.healthy]
    healthy = [o for o in outcomes if o.healthy]

    def pct(k: int, n: int) -> str:
        return f"{100 * k / n:.0f} % ({k}/{n})" if n else "-"

    return {
        "broken": len(broken), "healthy": len(healthy),
        "top1": pct(sum(o.top1 for o in broken), len(broken)),
        "top3": pct(sum(o.top3 for o in broken), len(broken)),
        "detected": pct(sum(o.detected for o in broken), len(broken)),
        "false_alarms": f"{sum(o.false_alarm for o in healthy)}/{len(healthy)}",
        "wrong_per_broken": round(sum(o.wrong for o in broken) / max(1, len(broken)), 2),
        "errors": sum(bool(o.error) for o in outcomes),
    }


def row(o: Outcome) -> str:
    """One Markdown table row."""
    got = ", ".join(f"{c} {conf:.2f}" for c, conf in o.faults[:3]) or o.error or "-"
    expected = " / ".join(o.causes) or ("healthy" if o.healthy else "(bug with no cause id)")
    return f"| {o.name} | {o.mode} | {expected} | {got} | {o.rc} | {o.verdict} | {o.wrong} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", dest="which", choices=list(SETS), default="hand",
                        metavar="NAME", help="hand (bench/hand/runs), fresh, third, fourth, … "
                        "(bench/hand/<NAME>); default hand")
    parser.add_argument("--runs", type=Path, default=None,
                        help="folder of run folders (default: the set's)")
    parser.add_argument("--generate", action="store_true", help="run the scripts first")
    parser.add_argument("--only", default="", help="comma-separated run names")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--json", type=Path, default=None, help="write the outcomes here")
    args = parser.parse_args(argv)
    only = {n for n in args.only.split(",") if n} or None
    folder, default_runs = SETS[args.which]
    args.runs = args.runs or default_runs
    if args.generate:
        generate(args.runs, only, folder)
    runs = sorted(p.parent for p in args.runs.glob("*/truth.json")
                  if only is None or p.parent.name in only)
    if not runs:
        print(f"score: no run folders with truth.json under {args.runs}; use --generate "
              f"(--set {args.which})", file=sys.stderr)
        return 2
    modes = [m for m in args.modes.split(",") if m]
    outcomes: dict[str, list[Outcome]] = {m: [] for m in modes}
    print("| run | mode | expected | top 3 faults (confidence) | exit | verdict | wrong ≥ 0.5 |")
    print("|---|---|---|---|---|---|---|", flush=True)
    for run in runs:
        for m in modes:
            outcomes[m].append(diagnose(run, m))
            print(row(outcomes[m][-1]), flush=True)
    print()
    totals = {m: summary(outcomes[m]) for m in modes}
    for m in modes:
        print(f"{m}: " + ", ".join(f"{k} {v}" for k, v in totals[m].items()))
    if args.json:
        args.json.write_text(json.dumps(
            {"totals": totals, "runs": {m: [o.__dict__ | {"verdict": o.verdict}
                                             for o in outcomes[m]] for m in modes}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
