"""Where a fourhundredtwentythird-set hand run writes (bench/out/hand-fourhundredtwentythird/<name>/ unless
``--out``); the rest, the folder layout, truth.json and a dict batch saved as that dict, is
_eighth.py's (that is _fifth.py's and _fourth.py's: ``finish`` with ``healthy=False`` for a bug
no cause id names)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eighth"))
import _eighth  # noqa: E402

_eighth._fifth._fourth._hand.ROOT = (Path(__file__).resolve().parents[3] / "bench" / "out"
                                     / "hand-fourhundredtwentythird")
out_dir = _eighth.out_dir
finish = _eighth.finish
