"""Print the evidence behind the top faults of one hand run, to write down why it missed.

    python -m bench.hand.evidence RUN
        [--set NAME]  (a set bench.hand.score knows: hand, fresh, third, … ninetyfirst)
                                  [--mode all|ckpt_log|files] [--top 3] [--notes]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench.hand.score import SETS, command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run")
    parser.add_argument("--set", dest="which", choices=sorted(SETS), default="hand")
    parser.add_argument("--mode", default="all", choices=("all", "ckpt_log", "files"))
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--notes", action="store_true", help="list practice notes too")
    args = parser.parse_args(argv)
    run = SETS[args.which][1] / args.run
    if not (run / "truth.json").is_file():
        print(f"evidence: {run}/truth.json not found; run python -m bench.hand.score "
              f"--set {args.which} --generate", file=sys.stderr)
        return 2
    truth = json.loads((run / "truth.json").read_text())
    proc = subprocess.run(command(run, truth, args.mode), capture_output=True, text=True)
    if proc.returncode == 2 or not proc.stdout.strip():  # refused: no report, only its reason
        reason = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        print(f"{args.run} [{args.mode}] refused (exit {proc.returncode}): {reason[0]}")
        return 0
    report = json.loads(proc.stdout)
    expected = truth["causes"] or ("healthy" if truth.get("healthy", True) else "no cause id")
    print(f"{args.run} [{args.mode}] truth: {expected} — exit {proc.returncode}")
    shown = [d for d in report["diagnoses"] if args.notes or d.get("kind") != "note"]
    for d in shown[:args.top]:
        kind = " note" if d.get("kind") == "note" else ""
        print(f"  {d['cause']} {d['confidence']:.2f}{kind} ({d.get('cover')})")
        for e in d.get("evidence_items", []):
            print(f"    [{e['weight']:+.2f}] {e['text'][:260]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
