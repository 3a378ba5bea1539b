"""Show a trace in TensorBoard: write its curves as TensorBoard scalars.

    python -m dldoctor.watcher.tensorboard run.trace runs/run1     # then: tensorboard --logdir runs

Scalars: every logged metric (``loss``, ``val_loss`` …), ``lr/group{i}``, ``grad_norm``,
``amp/scale``, and per layer ``grad_norm/<param>``, ``update_ratio/<param>``,
``act_std/<module>``, ``dead/<module>``. Needs the tensorboard package
(``pip install 'dldoctor[tensorboard]'``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dldoctor.error_texts import err
from dldoctor.errors import InputError

from .format import read_trace

__all__ = ["export"]


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def export(trace_path: Path, logdir: Path) -> int:
    """Write the trace's curves to ``logdir``; return the number of scalars written."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        raise InputError(err("trace.needs_tensorboard")) from None
    trace = read_trace(trace_path)
    count = 0
    with SummaryWriter(str(logdir)) as writer:
        def put(tag: str, value: Any, step: int) -> None:
            nonlocal count
            number = _num(value)
            if number is not None:
                writer.add_scalar(tag, number, step)
                count += 1

        for r in trace.of("log"):
            for key, value in r.items():
                if key not in ("type", "step"):
                    put(key, value, r["step"])
        for r in trace.of("step"):
            for i, lr in enumerate(r.get("lr") or []):
                put(f"lr/group{i}", lr, r["step"])
            put("grad_norm", r.get("grad_norm"), r["step"])
            put("amp/scale", r.get("scale"), r["step"])
        for r in trace.of("layers"):
            for key in ("grad_norm", "update_ratio"):
                for name, value in (r.get(key) or {}).items():
                    put(f"{key}/{name}", value, r["step"])
            for name, stats in (r.get("act") or {}).items():
                put(f"act_std/{name}", stats.get("std"), r["step"])
                put(f"dead/{name}", stats.get("dead"), r["step"])
    return count


def main(argv: list[str] | None = None) -> int:
    """``python -m dldoctor.watcher.tensorboard TRACE LOGDIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m dldoctor.watcher.tensorboard TRACE LOGDIR", file=sys.stderr)
        return 2
    try:
        count = export(Path(args[0]), Path(args[1]))
    except InputError as exc:
        print(f"dldoctor: error: {exc.message}", file=sys.stderr)
        return 2
    print(f"wrote {count} scalars to {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
