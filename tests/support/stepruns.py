"""Save a tiny run logged per step (checkpoint + CSV log) and read what ``diagnose`` believes
from the two, as the installed CLI reports it."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import torch

from . import forkcli
from .writers import write_csv_log


def save_step_run(folder: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                  columns: Mapping[str, Sequence[float | None]]) -> tuple[Path, Path]:
    """``checkpoint.pt`` (model and optimizer state) and ``log.csv`` (``columns``) in
    ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    checkpoint = folder / "checkpoint.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint)
    return checkpoint, write_csv_log(folder / "log.csv", columns)


def beliefs(checkpoint: Path, log: Path) -> dict[str, float]:
    """cause → confidence from ``diagnose --format json --no-input`` on the two files."""
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, "--checkpoint", str(checkpoint), "--log", str(log),
                       "--format", "json", "--no-input"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    return {d["cause"]: d["confidence"] for d in json.loads(out.stdout)["diagnoses"]}
