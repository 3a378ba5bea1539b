"""Broken training loops, diagnosed with and without the trace dldoctor.watch writes.

    python bench/loop_runs.py [--steps 40]

Each run is a tiny loop (tests/support/loops.py) with one planted loop bug, on an MLP, a CNN
or an LSTM, watched by dldoctor.watch. It is diagnosed twice, non-interactively:

* with the trace: ``--trace`` (what this issue adds);
* without: the model's checkpoint and a CSV of the logged loss, which is what a user had
  before (the same numbers, minus the loop's own behaviour).

Top-1 is right when the planted cause is the first diagnosis. Healthy runs count false
alarms among the loop causes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))

from dldoctor.kbpaths import load_knowledge  # noqa: E402
from dldoctor.probes.base import Inputs  # noqa: E402
from dldoctor.session import Session  # noqa: E402
from dldoctor.watcher.format import read_trace  # noqa: E402
from tests.support.loops import run_loop  # noqa: E402

#: (bug, architecture) pairs: every loop cause a tiny loop can plant, several architectures.
RUNS: list[tuple[str | None, str]] = [
    ("missing_zero_grad", "mlp"), ("missing_zero_grad", "cnn"),
    ("train_in_eval_mode", "mlp"), ("train_in_eval_mode", "cnn"),
    ("scheduler_step_per_batch", "mlp"), ("scheduler_step_per_batch", "cnn"),
    ("grad_accum_unscaled", "mlp"), ("grad_accum_unscaled", "cnn"),
    ("params_not_in_optimizer", "mlp"), ("params_not_in_optimizer", "cnn"),
    ("label_out_of_range", "mlp"), ("label_out_of_range", "cnn"), ("labels_from_one", "cnn"),
    ("rnn_state_not_detached", "lstm"), ("loss_ignores_padding", "lstm"),
    (None, "mlp"), (None, "cnn"),
]
#: Planted bugs named differently from the cause they plant.
CAUSE_OF = {"labels_from_one": "label_out_of_range"}
LOOP_CAUSES = {CAUSE_OF.get(b, b) for b, _ in RUNS if b}


def _csv(trace_path: Path, out: Path) -> Path | None:
    rows = [(r["step"], r["loss"]) for r in read_trace(trace_path).of("log")
            if isinstance(r.get("loss"), float)]
    if len(rows) < 2:
        return None
    out.write_text("step,loss\n" + "".join(f"{i},{loss}\n" for i, (_, loss) in
                                           enumerate(rows, 1)))
    return out


def _top(kb: object, inputs: Inputs) -> list[str]:
    """The report's faults, most likely first, each as "cause 0.62"."""
    session = Session(kb, inputs)  # type: ignore[arg-type]
    session.run_probes()
    return [f"{d.cause} {d.confidence:.2f}" for d in session.report().diagnoses
            if d.kind != "note"]


def _cause(entry: str) -> str:
    return entry.rsplit(" ", 1)[0]


def _established(entry: str) -> bool:
    return float(entry.rsplit(" ", 1)[1]) >= 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()
    torch.set_num_threads(1)
    kb = load_knowledge()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (bug, arch) in enumerate(RUNS):
            folder = Path(tmp) / f"run{i}"
            folder.mkdir()
            trace = folder / "run.trace"
            model = run_loop(trace, bug, steps=args.steps, arch=arch if arch != "lstm" else "mlp")
            torch.save(model.state_dict(), folder / "last.pt")
            log = _csv(trace, folder / "train.csv")
            with_trace = _top(kb, Inputs(trace=trace))
            without = _top(kb, Inputs(checkpoint=folder / "last.pt",
                                      logs=(log,) if log else ()))
            results.append({"bug": bug, "arch": arch, "with_trace": with_trace[:3],
                            "without": without[:3]})
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    broken = [r for r in results if r["bug"]]
    healthy = [r for r in results if not r["bug"]]

    def top1(key: str) -> int:
        return sum(bool(r[key]) and _cause(r[key][0]) == CAUSE_OF.get(r["bug"], r["bug"])
                   for r in broken)

    print("| run | architecture | top-1 with trace | top-1 without (checkpoint + loss log) |")
    print("|---|---|---|---|")
    for r in results:
        print(f"| {r['bug'] or 'healthy'} | {r['arch']} | {', '.join(r['with_trace'][:2]) or '—'}"
              f" | {', '.join(r['without'][:2]) or '—'} |")
    print(f"\ntop-1 with the trace: {top1('with_trace')}/{len(broken)}; without: "
          f"{top1('without')}/{len(broken)}")
    alarms = sum(bool({_cause(e) for e in r["with_trace"]} & LOOP_CAUSES) for r in healthy)
    print(f"healthy runs with a loop cause reported (with trace): {alarms}/{len(healthy)}")
    for key, words in (("with_trace", "with the trace"), ("without", "without")):
        faults = sum(any(_established(e) for e in r[key]) for r in healthy)
        print(f"healthy runs with a fault >= 0.5 ({words}): {faults}/{len(healthy)}")


if __name__ == "__main__":
    main()
