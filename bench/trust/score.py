"""Scores of a set of diagnoses against the truth: accuracy, false alarms, calibration.

A *fault* is a diagnosis whose JSON does not say ``"kind": "note"``. On a broken run the
prediction is the top fault; on a healthy run any fault at or above ``ALARM`` or exit status
1 is a false alarm. Calibration pairs the top fault's confidence with whether it names the
injected cause (on healthy runs a top fault is always wrong); runs without a fault make no
claim and are left out of the reliability table (they count as misses in top-1).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .run import Outcome

__all__ = ["ALARM", "BINS", "score", "reliability", "ece", "confusion"]

ALARM = 0.5
BINS = 10


def _claims(pairs: list[tuple[Outcome, dict[str, Any]]]) -> list[tuple[float, bool]]:
    out = []
    for o, t in pairs:
        faults = o.faults
        if faults:
            out.append((faults[0][1], faults[0][0] in t["causes"]))
    return out


def reliability(pairs: list[tuple[Outcome, dict[str, Any]]], bins: int = BINS
                ) -> list[dict[str, Any]]:
    """Bins of top-fault confidence: count, mean confidence, accuracy (non-empty bins)."""
    groups: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for conf, ok in _claims(pairs):
        groups[min(bins - 1, int(conf * bins))].append((conf, ok))
    rows = []
    for b in sorted(groups):
        items = groups[b]
        rows.append({"bin": f"{b / bins:.1f}–{(b + 1) / bins:.1f}", "n": len(items),
                     "confidence": sum(c for c, _ in items) / len(items),
                     "accuracy": sum(ok for _, ok in items) / len(items)})
    return rows


def ece(pairs: list[tuple[Outcome, dict[str, Any]]], bins: int = BINS) -> float | None:
    """Expected calibration error of the top fault's confidence (None without claims)."""
    rows = reliability(pairs, bins)
    n = sum(r["n"] for r in rows)
    if not n:
        return None
    return sum(r["n"] / n * abs(r["accuracy"] - r["confidence"]) for r in rows)


def confusion(pairs: list[tuple[Outcome, dict[str, Any]]]) -> dict[str, Counter[str]]:
    """Per injected cause (the main one): what came first instead, on top-1 misses."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for o, t in pairs:
        if t["healthy"]:
            continue
        faults = o.faults
        if faults and faults[0][0] in t["causes"]:
            continue
        out[t["causes"][0]][faults[0][0] if faults else "(no fault)"] += 1
    return dict(sorted(out.items()))


def _pct(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


def score(pairs: list[tuple[Outcome, dict[str, Any]]]) -> dict[str, Any]:
    """The summary of one part in one mode."""
    broken = [(o, t) for o, t in pairs if not t["healthy"]]
    healthy = [(o, t) for o, t in pairs if t["healthy"]]
    top1 = sum(bool(o.faults) and o.faults[0][0] in t["causes"] for o, t in broken)
    top3 = sum(any(c in t["causes"] for c, _ in o.faults[:3]) for o, t in broken)
    wrong = [sum(c not in t["causes"] and conf >= ALARM for c, conf in o.faults)
             for o, t in broken]
    alarms = [o for o, _ in healthy if o.rc == 1 or any(conf >= ALARM for _, conf in o.faults)]
    e = ece(pairs)
    times = [o.seconds for o, _ in pairs]
    return {
        "runs": len(pairs), "broken": len(broken), "healthy": len(healthy),
        "top1": _pct(top1, len(broken)), "top3": _pct(top3, len(broken)),
        "detected": _pct(sum(any(conf >= ALARM for _, conf in o.faults) for o, _ in broken),
                         len(broken)),
        "false_alarms": len(alarms),
        "healthy_exit_1": sum(o.rc == 1 for o, _ in healthy),
        "wrong_faults_per_broken": round(sum(wrong) / len(wrong), 2) if wrong else None,
        "ece": round(e, 3) if e is not None else None,
        "reliability": reliability(pairs),
        "errors": sum(bool(o.error) or o.rc not in (0, 1) for o, _ in pairs),
        "mean_seconds": round(sum(times) / len(times), 2) if times else None,
    }


def by_family(pairs: list[tuple[Outcome, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Top-1 and false alarms per architecture family."""
    fam: dict[str, list[tuple[Outcome, dict[str, Any]]]] = defaultdict(list)
    for o, t in pairs:
        fam[t["family"]].append((o, t))
    return {f: {k: v for k, v in score(p).items() if k in ("broken", "healthy", "top1", "top3",
                                                             "false_alarms")}
            for f, p in sorted(fam.items())}
