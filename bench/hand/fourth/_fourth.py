"""Where a fourth-set hand run writes (bench/out/hand-fourth/<name>/ unless ``--out``); the rest,
the folder layout and truth.json, is bench/hand/runs/_hand.py's (as bench/hand/fresh/_fresh.py).
``finish`` also takes ``healthy=False`` for a real bug that no cause id names (``causes=[]``)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runs"))
import _hand  # noqa: E402

_hand.ROOT = Path(__file__).resolve().parents[3] / "bench" / "out" / "hand-fourth"
out_dir = _hand.out_dir


def finish(out, script, batch, *, healthy=None, **kw):
    """_hand.finish; ``healthy`` overrides "no causes means healthy" in truth.json."""
    _hand.finish(out, script, batch, **kw)
    if healthy is not None:
        truth = json.loads((out / "truth.json").read_text())
        truth["healthy"] = bool(healthy)
        (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
