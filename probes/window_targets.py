"""Whether a sliding-window forecaster's targets continue its windows (``data.targets_in_series``).

A batch cut from a series in order — row i + 1 is row i moved on by one step, x[i+1, :-1] =
x[i, 1:] — carries the series itself: the value h steps after window i's end is the last step
of window i + h. Targets cut from the same series (the next value, the one h steps on) are
therefore found in the batch: y[i] is x[i+h, -1] (or an affine copy of it: another scaling) for
one horizon h and every row i whose row i + h follows it in order. Targets made separately and
then filtered or shifted on their own — windows dropped for missing readings, targets cut to
the same length — are found at no horizon: each window was paired with another window's target.

Only a batch of such windows is read (a shuffled batch has no consecutive rows), and only
targets on the inputs' own scale (a series' values, not its differences or another quantity).
"""

from __future__ import annotations

import torch

from .base import Finding
from .evidence import Pct, say

__all__ = ["window_target_findings"]

#: Fewer rows, or shorter windows, than these leave too few pairs to tell.
MIN_ROWS = 16
MIN_WINDOW = 4
#: At least this share of neighbouring rows must be one step apart (dropped windows leave gaps).
MIN_CONSECUTIVE = 0.5
#: Pairs (row, row + h) a horizon needs before it is judged.
MIN_PAIRS = 8
#: More channels than this, or horizons past this, are not searched (a batch of windows has
#: a few sensors; a wide feature table is no series).
MAX_CHANNELS = 64
MAX_HORIZON = 64
#: A horizon holds when the targets are this close to an affine copy of the later rows'
#: last step (correlation; float rounding of one scaling leaves ~1e-7).
MATCH = 0.999


def window_target_findings(x: torch.Tensor, y: torch.Tensor | None) -> list[Finding]:
    """``data.targets_in_series`` (and its horizon): True where the targets are the series' value
    h steps after each window for one h in the batch's reach, False where the batch holds windows
    in order and the targets are that value at no horizon; nothing for other batches."""
    if y is None or not (x.is_floating_point() and y.is_floating_point()):
        return []
    for windows, targets in _layouts(x.detach().double().cpu(), y.detach().double().cpu()):
        found = _judge(windows, targets)
        if found:
            return found
    return []


def _layouts(x: torch.Tensor, y: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(windows (B, W, C), targets (B, C)) pairs the batch can be read as."""
    if y.dim() == 1:
        y = y[:, None]
    if y.dim() != 2 or x.shape[0] != y.shape[0]:
        return []
    if x.dim() == 2:
        return [(x[:, :, None], y)] if y.shape[1] == 1 else []
    if x.dim() != 3:
        return []
    found = []
    if x.shape[2] == y.shape[1]:
        found.append((x, y))
    if x.shape[1] == y.shape[1] and x.shape[1] != x.shape[2]:
        found.append((x.transpose(1, 2), y))
    return found


def _judge(x: torch.Tensor, y: torch.Tensor) -> list[Finding]:
    rows, width = x.shape[0], x.shape[1]
    if rows < MIN_ROWS or width < MIN_WINDOW or x.shape[2] > MAX_CHANNELS or \
            not _same_scale(x, y):
        return []
    step = torch.tensor([_one_step(x[i], x[i + 1]) for i in range(rows - 1)])
    share = float(step.float().mean())
    if share < MIN_CONSECUTIVE:
        return []
    reach = 0
    for horizon in range(0, min(rows // 2, MAX_HORIZON) + 1):
        pairs = _pairs(step, horizon)
        if len(pairs) < MIN_PAIRS:
            break
        reach = horizon
        if _matches(x, y, pairs, horizon):
            return [Finding("data.targets_in_series", True,
                            say("data.targets_at_horizon", h=horizon, n=len(pairs),
                                share=Pct(share)), {"horizon": horizon})]
    if reach < 1:
        return []
    return [Finding("data.targets_in_series", False,
                    say("data.targets_at_no_horizon", rows=rows, share=Pct(share), reach=reach),
                    {"reach": reach})]


def _same_scale(x: torch.Tensor, y: torch.Tensor) -> bool:
    """Targets whose spread and level are the windows' own (per channel, pooled)."""
    sx, sy = float(x.std()), float(y.std())
    if not (sx > 0 and sy > 0) or not 0.5 <= sy / sx <= 2.0:
        return False
    return abs(float(y.mean()) - float(x.mean())) <= 0.5 * sx


def _one_step(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Whether window ``b`` is window ``a`` moved on by one step."""
    scale = float(a.abs().max()) or 1.0
    return bool(torch.allclose(a[1:], b[:-1], rtol=1e-5, atol=1e-6 * scale))


def _pairs(step: torch.Tensor, horizon: int) -> list[int]:
    """Rows i whose row i + horizon follows them one step at a time."""
    if horizon == 0:
        return list(range(step.numel() + 1))
    runs = step.long().cumsum(0)
    out = []
    for i in range(step.numel() - horizon + 1):
        before = int(runs[i - 1]) if i > 0 else 0
        if int(runs[i + horizon - 1]) - before == horizon:
            out.append(i)
    return out


def _matches(x: torch.Tensor, y: torch.Tensor, pairs: list[int], horizon: int) -> bool:
    """Every channel of the targets an affine copy of row i + horizon's last step."""
    index = torch.tensor(pairs)
    later = x[index + horizon, -1, :]
    target = y[index]
    for c in range(target.shape[1]):
        a, b = later[:, c] - later[:, c].mean(), target[:, c] - target[:, c].mean()
        norm = float(a.norm() * b.norm())
        if norm == 0 or float(a @ b) / norm < MATCH:
            return False
    return True
