"""Whether an image batch's pixels are in order: neighbours along both image axes alike.

Neighbouring pixels of any picture — photographs, rendered shapes, textures — are alike along
the rows and along the columns. A batch stored height-width-channels and relabelled
channels-height-width with ``view`` (not ``permute``) keeps one of the two: the values that
now sit side by side along one axis were neighbours before, those along the other were not.
Over this project's benchmark the image batches in order have both correlations within a few
hundredths of each other (both near 0 for noise-like inputs, both above 0.25 for pictures);
the one relabelled batch had 0.34 one way and −0.02 the other. A square picture stored
height-width-channels and viewed as channels-height-width has neither axis alike (−0.11 and
−0.18), but values one channel count apart along a row correlate 0.58; one whose rows stay
alike (0.88) had 0.28 side by side along a row and 0.91 three apart.
"""

from __future__ import annotations

import torch

from .base import Finding
from .evidence import say

__all__ = ["channel_order_finding", "pixel_order_finding"]

#: An image axis whose neighbours correlate this much or more is in order …
ALIKE = 0.3
#: … and the other axis, at this or less, is not.
UNRELATED = 0.1
#: Values one channel count apart along a row that correlate this much more than side-by-side
#: ones are interleaved channels, whatever the rows do.
INTERLEAVED_OVER_NEIGHBOURS = 0.3
#: Images this small (or with more channels) are no pictures to read.
MIN_SIDE, MAX_CHANNELS = 8, 4
#: A 1-D signal's channels are interleaved when, in every channel, values one channel count
#: apart along time correlate this much more than neighbours (set 226's gamelan batch: 0.31
#: at the least; every other 1-D batch of the hand sets and the generator: 0.03 or less — a
#: genuine period of the channel count, set 167's 3-sample tooth vibration, is not in every
#: channel).
CHANNELS_OVER_NEIGHBOURS = 0.25
#: ... and themselves correlate this much at the least: a sensor's next sample is like its
#: last (set 234's capoeira IMU windows, noisier than the gamelan's: 0.28 at the least — the
#: contrast above is what no other batch reaches, 0.03 at the most)
CHANNELS_ALIKE = 0.2
#: ... or, for smooth signals alike everywhere (set 387's tide gauges: 0.99 apart, 0.95 side by
#: side), in every channel the mean squared step one channel count along time is at most this
#: share of the step between neighbours: the same sensor a time step on moves less than the
#: next sensor at one time step. The four relabelled 1-D batches of the hand sets: 0.10-0.65;
#: every other 3-D batch of the hand sets and the generator (115): 0.97 or more — a smooth
#: signal in order changes more, not less, over a longer lag.
CHANNELS_STEP_RATIO = 0.75


def _neighbour_correlation(x: torch.Tensor, dim: int, lag: int = 1) -> float:
    a, b = x.narrow(dim, lag, x.shape[dim] - lag), x.narrow(dim, 0, x.shape[dim] - lag)
    a, b = a - a.mean(), b - b.mean()
    norm = float(a.norm() * b.norm())
    return float((a * b).sum()) / norm if norm > 0 else 0.0


def _step_ratio(x: torch.Tensor, lag: int) -> float:
    """The mean squared change ``lag`` steps along the last axis over that of one step (inf
    for a series that never changes from one step to the next)."""
    near = float(((x[..., 1:] - x[..., :-1]) ** 2).mean())
    far = float(((x[..., lag:] - x[..., :-lag]) ** 2).mean())
    return far / near if near > 0 else float("inf")


def pixel_order_finding(x: torch.Tensor) -> Finding | None:
    """``input.pixels_out_of_order``: true when one image axis's neighbours are alike and the
    other's are not (``view`` relabelled the axes), false when both are alike; None for
    batches that are no images (not 4-D floats, small, many channels) or noise-like ones."""
    if x.dim() != 4 or not x.is_floating_point() or x.shape[1] > MAX_CHANNELS or \
            min(x.shape[2:]) < MIN_SIDE:
        return None
    data = x[:64].double()
    rows, cols = _neighbour_correlation(data, 2), _neighbour_correlation(data, 3)
    high, low = max(rows, cols), min(rows, cols)
    # channels-last memory read as channels-first: a "row" runs through the stored pixels
    # channel by channel, so the values alike sit one channel count apart, not side by side
    # (a picture's likeness only fades with distance; the rows of a tall one stay alike)
    channels = int(x.shape[1])
    if channels >= 2 and x.shape[3] > 2 * channels and \
            (apart := _neighbour_correlation(data, 3, channels)) >= ALIKE and \
            (high < ALIKE or apart >= cols + INTERLEAVED_OVER_NEIGHBOURS):
        return Finding("input.pixels_out_of_order", True,
                       say("input.pixel_order_interleaved", rows=rows, cols=cols,
                           lag=channels, apart=apart, shape=list(x.shape[1:])))
    if high < ALIKE:
        return None  # noise-like inputs: nothing to compare
    scrambled = low <= UNRELATED
    if scrambled and int(x.shape[1]) == 1:
        # one channel has nothing a view could interleave: a grid alike one way only is a
        # time × features table (an order book's levels), not a relabelled picture
        return None
    return Finding("input.pixels_out_of_order", scrambled,
                   say("input.pixel_order", rows=rows, cols=cols, shape=list(x.shape[1:]))
                   if scrambled else say("input.pixel_order_ok", rows=rows, cols=cols))


def channel_order_finding(x: torch.Tensor) -> Finding | None:
    """``input.channels_interleaved`` true when a ``(batch, channels, time)`` batch reads as
    time-major ``(time, channels)`` data relabelled with ``view``: in every channel the values
    one channel count apart along time (the same sensor a step on) are alike — at
    :data:`CHANNELS_ALIKE` or more — and :data:`CHANNELS_OVER_NEIGHBOURS` more alike than side by
    side (different sensors at one step); None otherwise (no reading either way)."""
    if x.dim() != 3 or not x.is_floating_point() or x.shape[1] < 2 or \
            x.shape[2] <= 2 * x.shape[1] or x.shape[0] < 2:
        return None
    data, channels = x[:64].double(), int(x.shape[1])
    if not torch.isfinite(data).all():
        return None
    apart = [_neighbour_correlation(data[:, c:c + 1], 2, channels) for c in range(channels)]
    side = [_neighbour_correlation(data[:, c:c + 1], 2) for c in range(channels)]
    if min(apart) < CHANNELS_ALIKE or min(a - s for a, s in zip(apart, side, strict=True)) < \
            CHANNELS_OVER_NEIGHBOURS:
        ratio = max(_step_ratio(data[:, c], channels) for c in range(channels))
        if ratio > CHANNELS_STEP_RATIO:
            return None
        return Finding("input.channels_interleaved", True,
                       say("input.channels_interleaved_steps",
                           shape="×".join(map(str, x.shape[1:])), lag=channels, ratio=ratio))
    return Finding("input.channels_interleaved", True,
                   say("input.channels_interleaved", shape="×".join(map(str, x.shape[1:])),
                       lag=channels,
                       apart=min(apart), side=max(side)))
