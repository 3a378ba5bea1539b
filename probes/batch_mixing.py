"""Does a sample's output depend on the other samples of its batch? ``batch.outputs_mixed``.

In eval mode (BatchNorm on its running statistics, dropout off) a model maps each sample on
its own: the first half of a batch gives the same outputs fed alone as fed with the second
half. A model whose outputs change is mixing samples: a softmax or a normalisation over
dim 0 (a mixture-of-experts gate normalised over the batch), attention over the batch axis
(``batch_first`` mismatched), a reshape that interleaves samples. Models whose output shape
itself depends on the batch (a B×B similarity matrix) mix by design and are not judged, nor
are models whose outputs change between two passes over the same batch (a VAE sampling its
code in eval mode).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import Pct, say
from .library_init import library_class
from .live_runtime import first_tensor
from .live_sweep import feed
from .models import Batch

__all__ = ["mixing_findings"]

#: The least batch this check splits in two.
MIN_SAMPLES = 4
#: A change of the first half's outputs above this share of their largest magnitude is
#: mixing; float32 kernels that differ with the batch size stay near 1e-6.
MIXED_SHARE = 1e-3
#: The same for half-precision outputs.
MIXED_SHARE_HALF = 2e-2


def _half(batch: Batch, part: slice) -> Batch:
    return Batch(batch.inputs[part], None if batch.targets is None else batch.targets[part],
                 batch.source, soft_logits=batch.soft_logits, classes_last=batch.classes_last)


def mixing_findings(model: nn.Module, batch: Batch, device: torch.device) -> list[Finding]:
    """``batch.outputs_mixed``: each half's outputs fed alone against fed with the rest — the
    second half too, for mixing that runs one way along the batch (a recurrent layer reading
    the batch axis as time: the first samples never see the later ones) — nothing when the
    check cannot run on part of the batch."""
    n = int(batch.inputs.shape[0])
    if n < MIN_SAMPLES or batch.unpaired is not None:
        return []
    k = n // 2
    was_training = model.training
    time_major: list[int] = []
    hooks = [module.register_forward_hook(_time_axis_reader(n, time_major))
             for module in model.modules()
             if isinstance(module, nn.RNNBase) and not module.batch_first]
    try:
        model.eval()
        with torch.no_grad():
            whole = first_tensor(model(feed(batch, device)), batch.targets)
            again = first_tensor(model(feed(batch, device)), batch.targets)
            alone = first_tensor(model(feed(_half(batch, slice(0, k)), device)), batch.targets)
            later = first_tensor(model(feed(_half(batch, slice(n - k, n)), device)), batch.targets)
    except Exception:  # noqa: BLE001 - the person's code may raise anything on half a batch
        return []  # a graph's whole-batch edge_index, a model that asserts its batch size
    finally:
        for hook in hooks:
            hook.remove()
        model.train(was_training)
    targets = batch.targets
    if time_major and isinstance(targets, torch.Tensor) and targets.dim() >= 2 and \
            tuple(targets.shape[:2]) == tuple(batch.inputs.shape[:2]):
        # nn.GRU(…) fed (positions, batch) as its default asks, with a target per position in
        # the same layout: the first half of the file's first axis is the first half of every
        # sequence, which the later positions read (one target per row of that axis instead
        # says the rows are samples, and a layer reading them as time mixes them)
        return [Finding("batch.outputs_mixed", UNKNOWN,
                        say("batch.time_major", n=n, batch=time_major[0]))]
    if whole is None or alone is None or whole.dim() == 0 or alone.dim() == 0 or \
            whole.shape[0] != n or alone.shape[0] != k or whole.shape[1:] != alone.shape[1:]:
        return []
    change = _relative_change(whole[:k], alone)
    if change is None:
        return []
    scale = float(whole[:k].detach().float().abs().max())
    if later is not None and later.shape == alone.shape and \
            (late := _relative_change(whole[n - k:], later)) is not None:
        change = max(change, late)
    limit = MIXED_SHARE_HALF if whole.dtype in (torch.float16, torch.bfloat16) else MIXED_SHARE
    if again is not None and again.shape == whole.shape and \
            float((again.detach().float().cpu() - whole.detach().float().cpu()).abs().max()) \
            > limit * scale:  # random in eval mode (a VAE's sampled z): no reading of mixing
        return [Finding("batch.outputs_mixed", UNKNOWN,
                        say("batch.random_forward", n=n), {"change": change})]
    mixed = change > limit
    if mixed and (library := library_class(model)) is not None:
        # set 393's healthy Hugging Face Nyströmformer: its outputs moved 4 % with the rest of
        # the batch, the user's softmax over dim 0 moves them 47-185 %
        return [Finding("batch.outputs_mixed", UNKNOWN,
                        say("batch.mixed_in_library", k=k, n=n, change=Pct(change),
                            name=library), {"change": change})]
    words = say("batch.mixed" if mixed else "batch.not_mixed", k=k, n=n, change=Pct(change))
    return [Finding("batch.outputs_mixed", mixed, words, {"change": change}),
            *_mass_findings(whole.detach().float().cpu())]


def _time_axis_reader(n: int, found: list[int]
                      ) -> Callable[[nn.Module, tuple[object, ...], object], None]:
    """A forward hook noting (in ``found``) the batch size a sequence-first recurrent layer
    reads when the batch file's first axis (``n`` long) reaches it as its time axis."""
    def hook(module: nn.Module, args: tuple[object, ...], output: object) -> None:
        x = args[0] if args else None
        if isinstance(x, torch.Tensor) and x.dim() == 3 and x.shape[0] == n and \
                x.shape[1] != n:
            found.append(int(x.shape[1]))
    return hook


def _relative_change(together: torch.Tensor, alone: torch.Tensor) -> float | None:
    """How far outputs fed alone moved from the same samples' fed with the whole batch, as a
    share of their largest magnitude; None for non-finite or all-zero outputs."""
    a, b = together.detach().float().cpu(), alone.detach().float().cpu()
    if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
        return None
    scale = float(a.abs().max())
    return float((a - b).abs().max()) / scale if scale > 0 else None


def _mass_findings(output: torch.Tensor) -> list[Finding]:
    """``output.mass_per_sample``: the mean per-sample total of a (batch, classes) output
    that reads as probabilities (all in [0, 1]) or log-probabilities (all ≤ 0, summed after
    exp) — 1 when each sample is normalised over its classes, something else when the
    normalisation ran over another axis (a log-softmax over dim 0); nothing for outputs that
    are neither (logits, regression values) or for one class."""
    if output.dim() != 2 or output.shape[1] < 2 or not bool(torch.isfinite(output).all()):
        return []
    if float(output.max()) <= 0.0 and float(output.min()) < 0.0:
        mass, kind = output.double().exp().sum(1), "log"
    elif float(output.min()) >= 0.0 and float(output.max()) <= 1.0:
        mass, kind = output.double().sum(1), "prob"
    else:
        return []
    mean = float(mass.mean())
    return [Finding("output.mass_per_sample", mean,
                    say("output.mass_log" if kind == "log" else "output.mass_prob",
                        mass=mean, n=int(output.shape[0]), classes=int(output.shape[1])))]
