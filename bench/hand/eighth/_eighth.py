"""Where an eighth-set hand run writes (bench/out/hand-eighth/<name>/ unless ``--out``); the
rest, the folder layout and truth.json, is _fifth.py's (that is _fourth.py's: ``finish`` with
``healthy=False`` for a bug no cause id names). ``finish`` also takes a dict batch
(``{"inputs": tokens, "lengths": lengths, "targets": y}`` for a ``forward(tokens, lengths)``
model): it is saved as that dict instead of ``(inputs, targets)``."""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fifth"))
import _fifth  # noqa: E402

_fifth._fourth._hand.ROOT = Path(__file__).resolve().parents[3] / "bench" / "out" / "hand-eighth"
out_dir = _fifth.out_dir


def finish(out, script, batch, **kw):
    """_fifth.finish; a dict ``batch`` is saved as that dict (tensors detached and cloned)."""
    if isinstance(batch, dict):
        _fifth.finish(out, script, (batch["inputs"], batch["targets"]), **kw)
        torch.save({k: v.detach().clone() for k, v in batch.items()}, out / "batch.pt")
    else:
        _fifth.finish(out, script, batch, **kw)
