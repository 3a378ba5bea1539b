"""End-to-end diagnosis accuracy on the broken-run benchmark.

Runs the installed ``diagnose --format json --no-input`` on every generated run (checkpoint,
log, model factory, batch and the person's complaint) and scores the report the way
AUTOTRAINER, DeepDiagnosis and DeepFD score fault localisation on buggy-model benchmarks:
top-1 and top-3 cause accuracy and detection rate on the broken runs, false alarms (a
diagnosis with confidence >= 0.5) on the healthy runs, and time per run.

    python -m bench.accuracy [--only ID,ID] [--jobs N] [--json FILE] [--write-readme]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.broken_runs import SCENARIOS
from bench.broken_runs.generate import generate
from bench.broken_runs.readme import bench_arguments, kb_line, table, update_section

__all__ = ["RunResult", "diagnose_command", "run_one", "score", "main", "ALARM"]

ALARM = 0.5  # a diagnosis at or above this confidence on a healthy run is a false alarm
HEADING = "## Diagnosis accuracy (bench/accuracy.py)"


@dataclass
class RunResult:
    """One run's report, scored against its truth."""

    id: str
    expected: list[str]
    got: list[tuple[str, float]] = field(default_factory=list)
    rc: int = -1
    seconds: float = 0.0
    error: str = ""
    schema_ok: bool = False

    @property
    def healthy(self) -> bool:
        return not self.expected

    @property
    def top1(self) -> bool:
        return bool(self.got) and self.got[0][0] in self.expected

    @property
    def top3(self) -> bool:
        return any(c in self.expected for c, _ in self.got[:3])

    @property
    def rank(self) -> int | None:
        return next((i + 1 for i, (c, _) in enumerate(self.got) if c in self.expected), None)

    @property
    def false_alarm(self) -> bool:
        return self.healthy and any(conf >= ALARM for _, conf in self.got)

    @property
    def exit_ok(self) -> bool:
        """The documented exit status: 1 with a diagnosis, 0 without."""
        return self.rc == (1 if self.got else 0)


def diagnose_exe() -> str:
    """The installed ``diagnose`` entry point (next to this interpreter, else on PATH)."""
    here = Path(sys.executable).with_name("diagnose")
    return str(here) if here.exists() else (shutil.which("diagnose") or "diagnose")


def diagnose_command(run: Path, truth: dict[str, Any]) -> list[str]:
    """The command line a user would type for this run."""
    files = truth["files"]
    return [
        diagnose_exe(), "--format", "json", "--no-input", "--device", "cpu",
        "--checkpoint", str(run / files["checkpoint"]), "--log", str(run / files["log"]),
        "--model", f"{run / 'model.py'}:build", "--batch", str(run / files["batch"]),
        "--symptom", truth["complaint"],
    ]


def run_one(run: Path, timeout: float = 300.0) -> RunResult:
    """Diagnose one run folder by subprocess and parse its JSON report."""
    truth = json.loads((run / "truth.json").read_text("utf-8"))
    result = RunResult(truth["id"], list(truth["causes"]))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    start = time.perf_counter()
    try:
        proc = subprocess.run(diagnose_command(run, truth), capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        result.error = f"timed out after {timeout:.0f}s"
        return result
    result.seconds = time.perf_counter() - start
    result.rc = proc.returncode
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        result.error = f"no JSON report (exit {proc.returncode}): {tail[:200]}"
        return result
    result.schema_ok = report.get("schema") == "dldoctor.report/1"
    result.got = [(d["cause"], float(d["confidence"])) for d in report.get("diagnoses", [])]
    failed = [n for n in report.get("notes", []) if "failed" in n]
    if failed:
        result.error = "; ".join(failed)[:300]
    return result


def score(results: list[RunResult]) -> dict[str, Any]:
    """Top-1/top-3 accuracy and detection on broken runs, false alarms on healthy ones."""
    broken = [r for r in results if not r.healthy]
    healthy = [r for r in results if r.healthy]
    times = [r.seconds for r in results]

    def pct(n: int, d: int) -> float:
        return round(100.0 * n / d, 1) if d else 0.0

    return {
        "broken": len(broken),
        "healthy": len(healthy),
        "top1": pct(sum(r.top1 for r in broken), len(broken)),
        "top3": pct(sum(r.top3 for r in broken), len(broken)),
        "detected": pct(sum(bool(r.got) for r in broken), len(broken)),
        "false_alarms": sum(r.false_alarm for r in healthy),
        "exit_code_ok": sum(r.exit_ok for r in results),
        "schema_ok": sum(r.schema_ok for r in results),
        "errors": sum(bool(r.error) for r in results),
        "mean_seconds": round(sum(times) / len(times), 2) if times else 0.0,
        "max_seconds": round(max(times), 2) if times else 0.0,
    }


def _got(r: RunResult) -> str:
    return ", ".join(f"{c} {conf:.2f}" for c, conf in r.got[:3]) or "—"


def _verdict(r: RunResult) -> str:
    if not r.schema_ok:
        return "no report"
    if r.healthy:
        return "FALSE ALARM" if r.false_alarm else "ok"
    return "top-1" if r.top1 else "top-3" if r.top3 else "miss"


def markdown(results: list[RunResult], summary: dict[str, Any], wall: float) -> str:
    """The README section: the summary line and the per-scenario table."""
    head = (
        kb_line() +
        f"{summary['broken']} broken runs, {summary['healthy']} healthy runs; "
        f"`diagnose --format json --no-input` with checkpoint, log, model, batch and the "
        f"complaint.\n\n"
        + table(["metric", "value", "goal"], [
            ["top-1 cause accuracy", f"{summary['top1']} %", "≥ 90 %"],
            ["top-3 cause accuracy", f"{summary['top3']} %", "≥ 98 %"],
            ["detection (any diagnosis) on broken runs", f"{summary['detected']} %", ""],
            ["false alarms on healthy runs (confidence ≥ 0.5)",
             f"{summary['false_alarms']} / {summary['healthy']}", "0"],
            ["documented exit code / valid report",
             f"{summary['exit_code_ok']} / {summary['schema_ok']} of {len(results)}", "all"],
            ["runs with a failed probe or no report", str(summary["errors"]), "0"],
            ["time per run (mean / max)",
             f"{summary['mean_seconds']} s / {summary['max_seconds']} s", ""],
            ["wall time, whole benchmark", f"{wall:.0f} s", ""],
        ])
    )
    rows = [[r.id, ", ".join(r.expected) or "(healthy)", _got(r), _verdict(r),
             f"{r.seconds:.1f}"] for r in results]
    return head + "\n\n" + table(["scenario", "expected", "got (top 3)", "verdict", "s"], rows)


def main(argv: list[str] | None = None) -> int:
    args = bench_arguments(__doc__, HEADING, argv)
    ids = [s for s in args.only.split(",") if s] or [s.id for s in SCENARIOS]
    start = time.perf_counter()
    generate(args.out, ids, args.jobs)
    runs = [args.out / i for i in ids]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run_one, runs))
    wall = time.perf_counter() - start
    summary = score(results)
    for r in results:
        print(f"{r.id:34} {', '.join(r.expected) or '(healthy)':28} {_verdict(r):12} "
              f"{_got(r)}  [{r.seconds:.1f}s]{'  ERROR ' + r.error if r.error else ''}")
    print(json.dumps(summary))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(
            {"summary": summary, "wall_seconds": round(wall, 1),
             "runs": [{**asdict(r), "verdict": _verdict(r)} for r in results]}, indent=1))
    if args.write_readme:
        update_section(HEADING, markdown(results, summary, wall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
