"""Whether a batch's dense targets line up with its images (``data.targets_misoriented``).

A segmentation mask, a depth map or a clean image belongs pixel by pixel to its input. A
loader that transposes the masks (an (H, W) array read as (W, H)), or flips the image but
not its mask, hands the network targets that no longer sit under the pixels that decide
them: the loss still falls a little (the majority class, the mean), the metric stalls.

The check needs no model: from each pixel's 3×3 neighbourhood of input values, a linear
least-squares predictor (one-hot classes, or the target value) is fitted on the first half
of the batch and scored on the other half, once per orientation of the targets: as given,
flipped, rotated and (square targets) transposed. Targets that belong to their inputs are
predicted best as given; when another orientation is predicted far better, the targets are
turned. The same predictor, fitted as given, then tells each held-out sample whose own
target it matches far better turned: an augmentation applied to the image only.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from .base import Finding
from .evidence import Pct, say

__all__ = ["orientation_findings", "ORIENTATIONS"]

#: The batch needs this many samples: half to fit on, half to score.
MIN_SAMPLES = 8
#: Integer targets with more distinct values than this are not class masks.
MAX_CLASSES = 50
#: Input channels read (a feature map of hundreds of channels is no image).
MAX_CHANNELS = 16
#: Pixels used from each half of the batch (drawn with a fixed seed), to bound time and memory.
MAX_PIXELS = 60_000
#: A turned orientation counts when it closes this share of the gap to a perfect score ...
GAIN_SHARE = 0.5
#: ... and scores this far above the best guess that ignores the inputs.
ABOVE_GUESS = 0.05
#: A held-out sample is misaligned when a turned target's error is below this share of the
#: error as given; the batch is, when this share of the scored samples (and two) are.
SAMPLE_ERROR_RATIO = 0.5
SAMPLE_SHARE = 0.15

Turn = Callable[[torch.Tensor], torch.Tensor]

#: The eight symmetries of a square, acting on the last two (height, width) dimensions.
ORIENTATIONS: dict[str, Turn] = {
    "identity": lambda y: y,
    "hflip": lambda y: y.flip(-1),
    "vflip": lambda y: y.flip(-2),
    "rot180": lambda y: y.flip(-1).flip(-2),
    "transpose": lambda y: y.transpose(-1, -2),
    "rot90": lambda y: y.transpose(-1, -2).flip(-1),
    "rot270": lambda y: y.transpose(-1, -2).flip(-2),
    "antitranspose": lambda y: y.transpose(-1, -2).flip(-1).flip(-2),
}
_SQUARE_ONLY = ("transpose", "rot90", "rot270", "antitranspose")


def _dense_targets(inputs: torch.Tensor, targets: torch.Tensor | None
                   ) -> tuple[torch.Tensor, int] | None:
    """(targets as (N, H, W), number of classes — 0 for values), or None when the batch is
    no images with a per-pixel target."""
    if targets is None or inputs.dim() != 4 or not inputs.is_floating_point() or \
            inputs.shape[0] < MIN_SAMPLES or inputs.shape[1] > MAX_CHANNELS or \
            targets.shape[0] != inputs.shape[0] or inputs.shape[-1] < 4 or inputs.shape[-2] < 4:
        return None
    y = targets
    if y.dim() == 4:
        y = y.float().mean(dim=1)  # a clean image or a one-channel map: per pixel, its mean
    if y.dim() != 3 or y.shape[-2:] != inputs.shape[-2:]:
        return None
    if not (bool(torch.isfinite(inputs).all()) and
            (not y.is_floating_point() or bool(torch.isfinite(y).all()))):
        return None
    if y.is_floating_point():
        return (y.double(), 0) if float(y.std()) > 0 else None
    if int(y.min()) < 0 or int(y.max()) >= MAX_CLASSES or int(y.max()) < 1:
        return None  # ignore-index pixels (-100, 255) or a single class: not read
    return y.long(), int(y.max()) + 1


def _pixels(first: int, last: int, size: int) -> torch.Tensor:
    """Flat indices of the pixels of samples ``first`` to ``last`` (``size`` pixels each):
    all of them, or :data:`MAX_PIXELS` drawn with a fixed seed (a stride would fall on the
    same columns of every row)."""
    total = (last - first) * size
    if total <= MAX_PIXELS:
        return torch.arange(first * size, last * size)
    drawn = torch.randperm(total, generator=torch.Generator().manual_seed(0))[:MAX_PIXELS]
    return first * size + drawn.sort().values


def _features(x: torch.Tensor, where: torch.Tensor) -> torch.Tensor:
    """The 3×3 neighbourhood of input values around each pixel ``where`` points at (flat
    indices into N·H·W), and a constant: (pixels, C·9 + 1), built for those pixels only."""
    _, _, h, w = x.shape
    n, rest = where // (h * w), where % (h * w)
    rows, cols = rest // w, rest % w
    padded = F.pad(x, (1, 1, 1, 1))
    parts = [padded[n, :, rows + dy, cols + dx] for dy in range(3) for dx in range(3)]
    return torch.cat([*parts, torch.ones(where.numel(), 1, dtype=x.dtype)], dim=1).double()


class _Fit:
    """The least-squares pixel predictor: fitted on pixels of the first half of the batch,
    scored on pixels of the other half."""

    def __init__(self, x: torch.Tensor, classes: int) -> None:
        n, size = x.shape[0], x.shape[-2] * x.shape[-1]
        self.half = n // 2
        self.classes = classes
        self.fit_at = _pixels(0, self.half, size)
        self.score_at = _pixels(self.half, n, size)
        self.fit_features = _features(x, self.fit_at)
        self.score_features = _features(x, self.score_at)
        self.sample = self.score_at // size - self.half  # each scored pixel's held-out sample

    def _targets(self, flat: torch.Tensor) -> torch.Tensor:
        return F.one_hot(flat, self.classes).double() if self.classes else flat[:, None]

    def predict(self, y: torch.Tensor) -> torch.Tensor:
        """The held-out pixels' predictions of the predictor fitted on targets ``y``."""
        xa, ya = self.fit_features, self._targets(y.reshape(-1)[self.fit_at])
        ridge = 1e-3 * xa.shape[0] * torch.eye(xa.shape[1], dtype=xa.dtype)
        out = self.score_features @ torch.linalg.solve(xa.T @ xa + ridge, xa.T @ ya)
        return out.argmax(dim=1) if self.classes else out[:, 0]

    def truth(self, y: torch.Tensor) -> torch.Tensor:
        return y.reshape(-1)[self.score_at]

    def score(self, y: torch.Tensor) -> float:
        """Held-out accuracy (classes) or R² (values) of the predictor fitted on ``y``."""
        truth, guess = self.truth(y), self.predict(y)
        if self.classes:
            return float((guess == truth).double().mean())
        return 1.0 - float(((guess - truth) ** 2).mean() / truth.var().clamp_min(1e-12))

    def guess_score(self, y: torch.Tensor) -> float:
        """The same score for the best prediction that ignores the inputs."""
        if self.classes:
            fitted = y.reshape(-1)[self.fit_at]
            return float(torch.bincount(fitted).max()) / fitted.numel()
        return 0.0

    def per_sample(self, errors: torch.Tensor) -> torch.Tensor:
        """Mean of per-pixel ``errors`` over each held-out sample."""
        count = int(self.sample.max()) + 1
        total = torch.zeros(count, dtype=torch.float64).index_add_(0, self.sample, errors)
        pixels = torch.zeros(count, dtype=torch.float64).index_add_(
            0, self.sample, torch.ones_like(errors))
        return total / pixels.clamp_min(1)


def _turned(y: torch.Tensor) -> dict[str, torch.Tensor]:
    square = y.shape[-1] == y.shape[-2]
    return {name: turn(y) for name, turn in ORIENTATIONS.items()
            if square or name not in _SQUARE_ONLY}


def _sample_errors(fit: _Fit, y: torch.Tensor) -> dict[str, torch.Tensor]:
    """Per held-out sample and orientation, the error of the predictor fitted as given."""
    guess = fit.predict(y)
    errors = {}
    for name, turned in _turned(y).items():
        truth = fit.truth(turned)
        wrong = (guess != truth).double() if fit.classes else (guess - truth) ** 2
        errors[name] = fit.per_sample(wrong)
    return errors


def orientation_findings(inputs: torch.Tensor, targets: torch.Tensor | None) -> list[Finding]:
    """``data.targets_misoriented`` (and ``data.target_orientation`` when they are) for a
    batch of images with a per-pixel target; nothing for other batches."""
    dense = _dense_targets(inputs, targets)
    if dense is None:
        return []
    y, classes = dense
    fit = _Fit(inputs.detach().cpu().float(), classes)
    y = y.cpu()
    try:
        scores = {name: fit.score(turned) for name, turned in _turned(y).items()}
    except RuntimeError:  # a singular system: too few distinct pixels to tell anything
        return []
    given = scores["identity"]
    name, best = max(((n, s) for n, s in scores.items() if n != "identity"),
                     key=lambda item: item[1])
    guess = fit.guess_score(y)
    kind = say("orient.accuracy" if classes else "orient.r2")
    if best - given >= GAIN_SHARE * (1.0 - given) and best >= guess + ABOVE_GUESS:
        return [Finding("data.targets_misoriented", True,
                        say("orient.turned", kind=kind, given=Pct(given) if classes else given,
                            turned=say(f"orient.{name}"),
                            best=Pct(best) if classes else best, n=fit.half)),
                Finding("data.target_orientation", name,
                        say("orient.which", turned=say(f"orient.{name}")))]
    errors = _sample_errors(fit, y)
    as_given = errors.pop("identity")
    best_other = torch.stack(list(errors.values())).min(dim=0).values
    turned = int(((best_other < SAMPLE_ERROR_RATIO * as_given)).sum())
    scored = int(as_given.numel())
    if turned >= 2 and turned >= SAMPLE_SHARE * scored:
        return [Finding("data.targets_misoriented", True,
                        say("orient.some_samples", turned=turned, n=scored,
                            ratio=Pct(SAMPLE_ERROR_RATIO))),
                Finding("data.target_orientation", "per_sample",
                        say("orient.which", turned=say("orient.per_sample")))]
    return [Finding("data.targets_misoriented", False,
                    say("orient.as_given", kind=kind, given=Pct(given) if classes else given,
                        best=Pct(best) if classes else best, turned=say(f"orient.{name}"),
                        n=fit.half))]
