"""The few lines every hand run shares: where to write, and what dldoctor is given.

Training, logging and checkpointing stay in each script, written as people write them; this
only parses ``--out``, copies the script beside its outputs as ``model.py`` (its ``build()``
is the factory for ``--model``), saves the batch and writes ``truth.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[3] / "bench" / "out" / "hand"


def out_dir(script: str) -> Path:
    """``--out DIR`` or bench/out/hand/<script name>/, created (emptied if it holds a run)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or ROOT / Path(script).stem
    if (out / "truth.json").exists():  # a previous run of this script: start clean
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


def finish(out: Path, script: str, batch: tuple[torch.Tensor, torch.Tensor], *,
           causes: list[str], what: str, complaint: str = "",
           checkpoint: str, log: str | None) -> None:
    """Copy the script as model.py, save ``(inputs, targets)`` and write truth.json."""
    shutil.copy(script, out / "model.py")
    torch.save((batch[0].detach().clone(), batch[1].detach().clone()), out / "batch.pt")
    truth = {"causes": causes, "healthy": not causes, "what": what, "complaint": complaint,
             "files": {"checkpoint": checkpoint, "log": log, "model": "model.py:build",
                       "batch": "batch.pt"}}
    (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
