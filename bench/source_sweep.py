"""Sweep every hand-written benchmark script with the source readings that flag a bug.

Each hand script is its run's model file. A reading that flags a script whose truth does not
name the matching cause is a false alarm in waiting; this sweep checks the whole corpus, which
grows with every set (the test suite checks a fixed early part of it, to stay bounded)::

    python -m bench.source_sweep

Exit status 1 when a flagged script's truth lacks the cause the reading stands for.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from dldoctor.probes.source_scan import unscaled_accumulation_findings

HAND = Path(__file__).parent / "hand"


def sweep(hand: Path = HAND) -> tuple[int, list[str], list[str]]:
    """(scripts read, scripts flagged, flagged scripts whose truth is not
    ``grad_accum_unscaled``): the unscaled-accumulation reading over every hand script that
    calls ``backward()`` (the reading needs one in a loop)."""
    scripts = {p: text for p in sorted(hand.glob("*/*.py"))
               if "backward" in (text := p.read_text())}
    flagged = [p for p in scripts if unscaled_accumulation_findings(f"{p}:build")]
    wrong = [f"{p.parent.name}/{p.name}" for p in flagged
             if '"grad_accum_unscaled"' not in scripts[p]]
    return len(scripts), [f"{p.parent.name}/{p.name}" for p in flagged], wrong


def main() -> int:
    start, cpu = time.perf_counter(), time.process_time()
    read, flagged, wrong = sweep()
    print(f"unscaled accumulation: {len(flagged)} of {read} scripts flagged, "
          f"{len(wrong)} without the truth ({time.perf_counter() - start:.1f} s wall, "
          f"{time.process_time() - cpu:.1f} s CPU)")
    for name in wrong:
        print(f"  flagged without the truth: {name}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
