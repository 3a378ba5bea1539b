"""One backward pass: which parameters get no gradient, a zero one, or are frozen; the
gradient norm per layer; and, for recurrent models, how the gradient fades through time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import Pct, Said, say, some_names
from .live_structure import layer_weight_names
from .weight_scan import sinusoid_table

__all__ = ["GradientReport", "measure_gradients", "gradient_findings", "time_ratio_findings"]

LossFn = Callable[[nn.Module], tuple[torch.Tensor, str]]


@dataclass
class GradientReport:
    """What one backward pass measured."""

    loss: float
    kind: str
    norms: dict[str, float] = field(default_factory=dict)  # layer weights, model order
    none: list[str] = field(default_factory=list)  # requires_grad but .grad is None
    zero: list[str] = field(default_factory=list)  # a gradient that is exactly 0
    frozen: list[str] = field(default_factory=list)  # requires_grad is False
    tables: list[str] = field(default_factory=list)  # frozen sinusoidal position tables
    time_norms: list[float] | None = None  # |dL/d input| per time step of the first RNN
    recurrent: str = ""
    gated: bool = False  # the first RNN is an LSTM or a GRU, not a plain tanh/ReLU RNN
    none_share: float = 0.0  # the trainable elements in ``none``, as a share of all of them
    # of ``none``: those the loss does not depend on at all — their module's forward never
    # ran, or changing them leaves the loss as it was (an output computed and left unused)
    unused: list[str] = field(default_factory=list)


class _TimeProbe:
    """Catch the input of the first recurrent layer so its gradient can be read per step."""

    def __init__(self, model: nn.Module) -> None:
        found: tuple[str, nn.Module | None] = next(
            ((n, m) for n, m in model.named_modules() if isinstance(m, nn.RNNBase)), ("", None))
        self.name, self.module = found
        self.gated = getattr(self.module, "mode", "") in ("LSTM", "GRU")
        self.tensor: torch.Tensor | None = None
        self.handle = self.module.register_forward_pre_hook(self._hook) \
            if self.module is not None else None

    def _hook(self, module: nn.Module, args: tuple[object, ...]) -> tuple[object, ...] | None:
        x = args[0] if args else None
        if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.dim() != 3:
            return None  # packed sequences and unbatched inputs are not measured
        if not x.requires_grad:
            x = x.detach().requires_grad_(True)  # nothing upstream needs a gradient
        x.retain_grad()
        self.tensor = x
        return (x, *args[1:])

    def norms(self) -> list[float] | None:
        if self.handle is not None:
            self.handle.remove()
        if self.tensor is None or self.tensor.grad is None or self.module is None:
            return None
        grad = self.tensor.grad.detach().float()
        grad = grad if getattr(self.module, "batch_first", False) else grad.transpose(0, 1)
        return [float(v) for v in grad.transpose(0, 1).flatten(1).norm(dim=1)]


def _float_tensors(output: object) -> list[torch.Tensor]:
    """Every floating tensor with a graph in a model's output (a tensor, a tuple, a dict or
    a ``ModelOutput``), at any depth."""
    if isinstance(output, torch.Tensor):
        return [output] if output.is_floating_point() and output.grad_fn is not None else []
    if isinstance(output, dict):
        output = list(output.values())
    if isinstance(output, list | tuple):
        return [t for item in output for t in _float_tensors(item)]
    return []


def _reached_by_other_outputs(outputs: list[torch.Tensor], named: dict[str, nn.Parameter],
                              names: list[str]) -> set[str]:
    """Which of ``names`` a model output other than the probe's loss reaches: a second head
    (a variance, an auxiliary task) that dldoctor's own loss does not use."""
    params = [named[n] for n in names]
    if not outputs or not params:
        return set()
    total = torch.stack([t.float().sum() for t in outputs]).sum()
    grads = torch.autograd.grad(total, params, allow_unused=True)
    return {n for n, g in zip(names, grads, strict=True) if g is not None}


def measure_gradients(model: nn.Module, loss_fn: LossFn) -> GradientReport:
    """Run ``loss_fn(model)`` and one backward pass; sort the parameters by their gradient.

    A parameter the probe's loss does not reach but another of the model's outputs does (the
    probe scores the first output only) is not counted as cut from the graph."""
    model.train()
    model.zero_grad(set_to_none=True)
    timing = _TimeProbe(model)
    captured: list[object] = []
    called: set[str] = set()
    hook = model.register_forward_hook(lambda _m, _i, out: captured.append(out))
    calls = [m.register_forward_pre_hook(lambda _m, _i, name=n: called.add(name))
             for n, m in model.named_modules() if any(True for _ in m.parameters(False))]
    try:
        loss, kind = loss_fn(model)
        outputs = _float_tensors(captured[-1]) if captured else []
        loss.backward(retain_graph=len(outputs) > 1)  # kept only for a second head
    finally:
        hook.remove()
        for handle in calls:
            handle.remove()
        time_norms = timing.norms()
    report = GradientReport(float(loss.detach()), kind, time_norms=time_norms,
                            recurrent=timing.name, gated=timing.gated)
    unreached = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is None]
    elsewhere = _reached_by_other_outputs(outputs, dict(model.named_parameters()), unreached) \
        if unreached and len(outputs) > 1 else set()
    layers = layer_weight_names(model)  # first/last layer: fan-in scaled weights only
    sizes = {n: p.numel() for n, p in model.named_parameters() if p.requires_grad}
    for name, param in model.named_parameters():
        if not param.requires_grad:
            # a sinusoidal position table is frozen on purpose
            (report.tables if sinusoid_table(param) else report.frozen).append(name)
            continue
        if param.grad is None:
            if name not in elsewhere:
                report.none.append(name)
            continue
        norm = float(param.grad.detach().float().norm())
        norm = norm if not math.isnan(norm) else math.inf
        if norm == 0.0:
            report.zero.append(name)
        if name in layers:
            report.norms[name] = norm
    total = sum(sizes.values())
    report.none_share = sum(sizes.get(n, 0) for n in report.none) / total if total else 0.0
    # a parameter of a module whose forward never ran is unused by this forward (a library
    # model's branch another head uses, an expander only ``training_step`` calls), not cut
    uncalled = [n for n in report.none if n.rpartition(".")[0] not in called]
    rest = [n for n in report.none if n not in uncalled]
    report.unused = uncalled + (rest if rest and _loss_ignores(model, loss_fn, rest) else [])
    return report


#: A loss that moves by less than this share of itself when parameters are perturbed does not
#: depend on them.
_NO_INFLUENCE = 1e-6


def _loss_ignores(model: nn.Module, loss_fn: LossFn, names: list[str]) -> bool:
    """Whether the loss (eval mode, the same random draws) stays as it was when ``names`` are
    perturbed by a tenth of their scale: a branch computed and never used by the loss, where a
    graph cut (``.detach()``) still lets them change the loss's value. The parameters are put
    back; False when it cannot be measured."""
    params = dict(model.named_parameters())
    saved = {n: params[n].detach().clone() for n in names}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            with torch.random.fork_rng():
                torch.manual_seed(0)
                before = float(loss_fn(model)[0])
            generator = torch.Generator().manual_seed(0)
            for name in names:
                p = params[name]
                scale = float(p.detach().float().abs().mean()) or 1.0
                noise = torch.randn(p.shape, generator=generator).to(p.device, p.dtype)
                p.add_(0.1 * scale * noise)
            with torch.random.fork_rng():
                torch.manual_seed(0)
                after = float(loss_fn(model)[0])
    except Exception:  # noqa: BLE001 - the person's forward: no reading, nothing concluded
        return False
    finally:
        with torch.no_grad():
            for name, value in saved.items():
                params[name].copy_(value)
        model.train(was_training)
    if not (math.isfinite(before) and math.isfinite(after)):
        return False
    return abs(after - before) <= _NO_INFLUENCE * max(abs(before), 1e-12)


def _list(names: list[str], limit: int = 4) -> list[str] | Said:
    return some_names(names, limit)


def _membership(report: GradientReport) -> list[Finding]:
    none, zero, frozen = report.none, report.zero, report.frozen
    return [
        Finding("grad.none_params", bool(none),
                say("grad.none", n=len(none), names=_list(none)) if none
                else say("grad.none_ok"), {"none": none, "loss": report.kind}),
        Finding("grad.none_share", report.none_share,
                say("grad.none_share", share=Pct(report.none_share), n=len(none))),
        *([Finding("grad.unreached_are_unused", len(report.unused) == len(none),
                   say("grad.unused", n=len(report.unused), k=len(none),
                       names=_list(report.unused or none)))] if none else []),
        Finding("grad.zero_params", bool(zero),
                say("grad.zero", n=len(zero), names=_list(zero)) if zero
                else say("grad.zero_ok"), {"zero": zero}),
        Finding("grad.frozen_params", bool(frozen),
                say("grad.frozen", n=len(frozen), names=_list(frozen)) if frozen
                else say("grad.frozen_tables", names=_list(report.tables)) if report.tables
                else say("grad.frozen_ok"), {"frozen": frozen}),
    ]


def time_ratio_findings(report: GradientReport) -> list[Finding]:
    """``grad.time_ratio``: the gradient at the first RNN's first input step over its last."""
    steps = report.time_norms
    if not steps or len(steps) < 2:
        return []
    first, last = steps[0], steps[-1]
    if not (math.isfinite(first) and math.isfinite(last)) or last <= 0:
        return []
    ratio = first / last
    return [Finding("grad.time_ratio", ratio,
                    say("grad.time", layer=str(report.recurrent), first=first, n=len(steps),
                        last=last, ratio=ratio),
                    {"per_step": steps}),
            Finding("grad.time_layer_gated", report.gated,
                    say("grad.time_gated" if report.gated else "grad.time_plain",
                        layer=str(report.recurrent)))]


#: Attention query and key projections: while attention is near uniform (every freshly
#: built transformer) their gradient is structurally tiny, whatever flows through the layer.
_QUERY_KEY = re.compile(r"(^|\.)(query|key|q|k|q_proj|k_proj|q_lin|k_lin|to_q|to_k|wq|wk)"
                        r"\.weight$")


def _first_last(report: GradientReport) -> Finding | None:
    """First-layer / last-layer gradient norm; unknown when the last one is exactly 0 (all
    gradients 0 is no gradient at all, not an infinitely large one). Attention query and key
    projections are skipped: their gradient says nothing about the signal reaching a layer."""
    finite = {n: v for n, v in report.norms.items()
              if math.isfinite(v) and not _QUERY_KEY.search(n)}
    if len(finite) < 2:
        return None
    names = list(finite)
    first, last = finite[names[0]], finite[names[-1]]
    if last <= 0:
        return Finding("grad.first_last_ratio", UNKNOWN,
                       say("grad.first_last_zero", first=first, first_layer=names[0],
                           last_layer=names[-1]), {"per_layer": report.norms})
    return Finding("grad.first_last_ratio", first / last,
                   say("grad.first_last", first=first, first_layer=names[0], last=last,
                       last_layer=names[-1], kind=str(report.kind), loss=report.loss),
                   {"per_layer": report.norms})


def gradient_findings(report: GradientReport) -> list[Finding]:
    """The ``grad.*`` facts of one backward pass."""
    found = _membership(report)
    ratio = _first_last(report)
    if ratio is not None:
        found.append(ratio)
    if report.norms:
        top = max(report.norms, key=report.norms.__getitem__)
        found.append(Finding("grad.norm_max", report.norms[top],
                             say("grad.max", norm=report.norms[top], layer=top)))
    return found + time_ratio_findings(report)
