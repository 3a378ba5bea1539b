"""Print the evidence behind the top faults of one hand run, to write down why it missed.

    python -m bench.hand.evidence RUN [--mode all|ckpt_log] [--top 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench.hand.score import RUNS, command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run")
    parser.add_argument("--mode", default="all", choices=("all", "ckpt_log"))
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args(argv)
    run = RUNS / args.run
    if not (run / "truth.json").is_file():
        print(f"evidence: {run}/truth.json not found; run python -m bench.hand.score --generate",
              file=sys.stderr)
        return 2
    truth = json.loads((run / "truth.json").read_text())
    proc = subprocess.run(command(run, truth, args.mode), capture_output=True, text=True)
    report = json.loads(proc.stdout)
    expected = truth['causes'] or 'healthy'
    print(f"{args.run} [{args.mode}] truth: {expected} — exit {proc.returncode}")
    for d in [d for d in report["diagnoses"] if d.get("kind") != "note"][:args.top]:
        print(f"  {d['cause']} {d['confidence']:.2f} ({d.get('cover')})")
        for e in d.get("evidence_items", []):
            print(f"    [{e['weight']:+.2f}] {e['text'][:260]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
