"""Where a seventh-set hand run writes (bench/out/hand-seventh/<name>/ unless ``--out``); the
rest, the folder layout and truth.json, is _fifth.py's (that is _fourth.py's: ``finish`` with
``healthy=False`` for a bug no cause id names)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fifth"))
import _fifth  # noqa: E402

_fifth._fourth._hand.ROOT = Path(__file__).resolve().parents[3] / "bench" / "out" / "hand-seventh"
out_dir = _fifth.out_dir
finish = _fifth.finish
