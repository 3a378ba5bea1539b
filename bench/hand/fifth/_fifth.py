"""Where a fifth-set hand run writes (bench/out/hand-fifth/<name>/ unless ``--out``); the rest,
the folder layout and truth.json, is _fourth.py's (``finish`` with ``healthy=False`` for a bug
no cause id names)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fourth"))
import _fourth  # noqa: E402

_fourth._hand.ROOT = Path(__file__).resolve().parents[3] / "bench" / "out" / "hand-fifth"
out_dir = _fourth.out_dir
finish = _fourth.finish
