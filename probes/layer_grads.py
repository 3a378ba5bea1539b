"""Per-layer gradient norms a log records: the first layer's over the last layer's.

People who suspect vanishing or exploding gradients log each layer's gradient norm beside the
loss (``GradNormFirst``/``GradNormLast``, ``gradnorm_layer1``/``gradnorm_out``, Lightning's
``grad_2.0_norm/fc1.weight`` from ``lightning.pytorch.utilities.grad_norm``). Their ratio over
the run is a measurement of what a live backward pass measures once, at the trained weights:
over a thousand times smaller at the first layer is a gradient that vanishes on its way back.

A column is a layer's when its name says gradient (``grad``, ``gradient``, ``gnorm``) and then
which layer: a position word (first, input, stem, embed … / last, output, head, classifier …)
or a layer number. Totals, maxima and clipping's before/after are no layer. The ratio is taken
only when the columns name one first and one last layer.
"""

from __future__ import annotations

import math
import re

import numpy as np

from .base import Finding
from .evidence import say
from .metric_names import normalise

#: ``grad_norm_first``, ``gradnorm_layer1``, ``grad_2_0_norm_fc1_weight``, ``gradients_conv1``
_LEADING = re.compile(r"^(?:train_)?(?:grad|grads|gradient|gradients|gradnorm|gnorm)"
                      r"(?:_(?:2_0_|l2_)?norm)?_(?P<rest>[a-z0-9_]+)$")
#: ``layer1_grad_norm``, ``fc_out_gradnorm``, ``first_layer_grad``
_TRAILING = re.compile(r"^(?P<rest>[a-z0-9_]+?)_(?:grad|grads|gradient|gradnorm|gnorm)"
                       r"(?:_(?:2_0_|l2_)?norm)?$")
_FIRST = frozenset("first input in stem embed embedding embeddings bottom early lowest".split())
_LAST = frozenset("last out output head final classifier top logits readout fc_out".split())
#: Words that make a gradient column an aggregate or a clipping record, not one layer's.
_AGGREGATE = frozenset("total all global max min mean sum avg overall clipped clip before after "
                       "ratio scale".split())
#: The first layer's gradient over the last layer's below this: vanishing on the way back.
FIRST_LAST_SMALL = 1e-3


def layer_position(column: str) -> float | None:
    """Where a per-layer gradient column's layer sits: 0 for a first/input layer, infinity for
    the last/output one, the layer's number otherwise; None for any other column."""
    name = normalise(column)
    match = _LEADING.match(name) or _TRAILING.match(name)
    if match is None:
        return None
    words = match.group("rest").split("_")
    if set(words) & _AGGREGATE:
        return None
    if set(words) & _FIRST:
        return 0.0
    if set(words) & _LAST or "_".join(words[-2:]) in _LAST:
        return math.inf
    number = next((w for w in re.findall(r"\d+", match.group("rest"))), None)
    return float(number) + 1.0 if number is not None else None


def first_and_last(columns: list[str]) -> tuple[str, str] | None:
    """The columns of the first and the last layer among per-layer gradient columns (weights
    only when both weight and bias columns are logged); None unless exactly one column holds
    the lowest position and one the highest, and they differ."""
    placed = [(c, p) for c in columns if (p := layer_position(c)) is not None]
    if any(normalise(c).endswith("weight") for c, _ in placed):
        placed = [(c, p) for c, p in placed if not normalise(c).endswith("bias")]
    if len(placed) < 2:
        return None
    low = min(p for _, p in placed)
    high = max(p for _, p in placed)
    firsts = [c for c, p in placed if p == low]
    lasts = [c for c, p in placed if p == high]
    if low == high or len(firsts) != 1 or len(lasts) != 1:
        return None
    return firsts[0], lasts[0]


def layer_grad_findings(first: tuple[str, np.ndarray], last: tuple[str, np.ndarray]
                        ) -> list[Finding]:
    """``grad.logged_first_over_last``: the median, over the later half of the rows that log
    both, of the first layer's gradient norm over the last layer's."""
    (first_name, a), (last_name, b) = first, last
    both = np.isfinite(a) & np.isfinite(b) & (b > 0) & (a >= 0)
    if int(both.sum()) < 2:
        return []
    a, b = a[both], b[both]
    later = slice(len(a) // 2, None)
    ratio = float(np.median(a[later] / b[later]))
    return [Finding("grad.logged_first_over_last", ratio,
                    say("grad.logged_first_over_last", first=first_name, last=last_name,
                        ratio=ratio, a=float(np.median(a[later])), b=float(np.median(b[later])),
                        n=int(a[later].size)),
                    {"first": first_name, "last": last_name})]
