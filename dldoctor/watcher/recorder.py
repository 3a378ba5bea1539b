"""The watcher: hooks on a model and its optimizer that write a trace as training runs.

Everything is read, nothing is written back: no hook returns a value, draws a random number or
touches a tensor in place, so a watched run computes exactly what an unwatched one does.
Per step it costs a few Python calls per module and one small check on the output; the
per-layer work (gradient norms, update ratios, activation statistics) runs every ``every``
steps only.
"""

from __future__ import annotations

import json
import math
import time
from functools import partial
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .checks import loader_summary, loss_check, random_transforms
from .format import SCHEMA
from .summaries import (
    activation_summary,
    first_tensor,
    label_summary,
    model_output,
    tensor_summary,
)

__all__ = ["Watcher"]

_BN = nn.modules.batchnorm._BatchNorm
_RECURRENT = (nn.RNNBase, nn.RNNCellBase)
_STEP_TAG = "dldoctor_step"
_LABEL_KEYS = ("targets", "labels", "target", "label", "y")


def _autocast_dtype(device_type: str) -> str:
    """The autocast dtype in force for this device type, or '' when autocast is off."""
    try:
        if torch.is_autocast_enabled(device_type):
            return str(torch.get_autocast_dtype(device_type)).replace("torch.", "")
    except (TypeError, RuntimeError):  # older torch, or a device type autocast lacks
        pass
    return ""


def _optimizer_kind(optimizer: torch.optim.Optimizer) -> str:
    return type(optimizer).__name__.lower()


def _clean(value: Any) -> Any:
    """A JSON-safe number: tensors to floats, NaN/inf to strings."""
    if isinstance(value, torch.Tensor):
        value = value.detach().float().item() if value.numel() == 1 else None
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


class Watcher:
    """Watch one model and optimizer; write the trace to ``path`` (see :mod:`.format`)."""

    def __init__(self, model: nn.Module, optimizer: torch.optim.Optimizer, path: str | Path,
                 every: int = 10, scaler: Any = None, loader: Any = None,
                 val_loader: Any = None, framework: str | None = None) -> None:
        if every < 1:
            raise ValueError("every must be at least 1")
        if not hasattr(model, "named_parameters"):
            raise TypeError(f"dldoctor.watch: model must be a torch.nn.Module, not "
                            f"{type(model).__name__}")
        if not hasattr(optimizer, "param_groups"):
            raise TypeError(f"dldoctor.watch: optimizer must be a torch.optim.Optimizer (the one "
                            f"the loop steps), not {type(optimizer).__name__}")
        self.model, self.optimizer, self.every, self.scaler = model, optimizer, every, scaler
        self.loader, self.val_loader, self.framework = loader, val_loader, framework
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("w", encoding="utf-8", buffering=1)  # line-buffered
        self.step = 0
        self._closed = False
        self._names = {id(p): n for n, p in model.named_parameters()}
        held = {id(p) for g in optimizer.param_groups for p in g["params"]}
        self._orphans = [(n, p) for n, p in model.named_parameters()
                         if p.requires_grad and id(p) not in held]
        self._bns = [m for m in model.modules() if isinstance(m, _BN) and m.track_running_stats]
        self._reset_counts()
        self._sampling = True
        self._sampled: dict[str, Any] = {}
        self._before: list[torch.Tensor] = []
        self._out_shape: list[int] | None = None
        self._outputs: list[tuple[str, torch.Tensor]] = []
        self._check_out: torch.Tensor | None = None  # a sampled step's output, for loss_check
        self._check_labels: torch.Tensor | None = None
        self._nonfinite_done = False
        self._root_used = False  # the model's own forward was called (else: leaf fallback)
        self._pass_grad: bool | None = None  # grad mode of the open pass (None: no pass open)
        self._last_leaf_out: torch.Tensor | None = None
        self._rnn_noted = False
        self._bn_count = self._bn_total()
        self._handles: list[Any] = []
        self._hook()
        self._write(self._start_record())

    # ------------------------------------------------------------------ setup
    def _start_record(self) -> dict[str, Any]:
        modules = list(self.model.modules())
        return {
            "type": "start", "schema": SCHEMA, "time": time.time(),
            "torch": torch.__version__, "model": type(self.model).__name__,
            "params": sum(p.numel() for p in self.model.parameters()),
            "trainable": sum(p.numel() for p in self.model.parameters() if p.requires_grad),
            "param_dtypes": sorted({str(p.dtype).replace("torch.", "")
                                    for p in self.model.parameters()}),
            "every": self.every, "has_batchnorm": bool(self._bns),
            "has_dropout": any(isinstance(m, nn.modules.dropout._DropoutNd) for m in modules),
            "has_recurrent": any(isinstance(m, _RECURRENT) for m in modules),
            "optimizer": {"kind": _optimizer_kind(self.optimizer), "groups": [
                {"lr": _clean(g.get("lr")), "params": len(g["params"])}
                for g in self.optimizer.param_groups]},
            "not_in_optimizer": [n for n, _ in self._orphans],
            "scaler": self.scaler is not None, "framework": self.framework,
            **({"loader": loader_summary(self.loader)} if self.loader is not None else {}),
            **({"val_loader": {"random_transforms": random_transforms(self.val_loader)}}
               if self.val_loader is not None else {}),
        }

    def _hook(self) -> None:
        model, opt = self.model, self.optimizer
        self._handles += [model.register_forward_pre_hook(self._root_pre, with_kwargs=True),
                          model.register_forward_hook(self._root_post),
                          opt.register_step_pre_hook(self._pre_step),
                          opt.register_step_post_hook(self._post_step)]
        for name, module in model.named_modules():
            if isinstance(module, _RECURRENT):
                self._handles += [
                    module.register_forward_pre_hook(partial(self._recurrent_pre, name)),
                    module.register_forward_hook(self._recurrent_post)]
            if name and not any(True for _ in module.children()):
                self._handles.append(module.register_forward_hook(partial(self._leaf, name)))
        probe = self._probe_param()
        if probe is not None:
            self._probe = probe
            self._handles.append(probe.register_hook(self._grad_arrives))

    def _probe_param(self) -> nn.Parameter | None:
        """The last trainable parameter the optimizer holds: usually the output layer's."""
        for group in reversed(self.optimizer.param_groups):
            for p in reversed(group["params"]):
                if p.requires_grad:
                    return p  # type: ignore[no-any-return]
        return None

    def _reset_counts(self) -> None:
        self._counts = {"backwards": 0, "train_forwards": 0, "eval_forwards": 0,
                        "nograd_forwards": 0, "rnn_state_with_graph": 0}
        self._stale: bool | None = None
        self._autocast: str | None = None  # autocast dtype of the step's training forwards
        self._act_done = False
        self._batch_done = False

    # ------------------------------------------------------------------ hooks
    def _root_pre(self, module: nn.Module, args: tuple[Any, ...], kwargs: dict[str, Any]
                  ) -> None:
        self._root_used = True
        if first_tensor(args) is None and kwargs:  # model(**batch), as Hugging Face calls it
            args = tuple(v for k, v in kwargs.items() if k not in _LABEL_KEYS)
        self._begin_pass(module.training, args)

    def _begin_pass(self, training: bool, args: tuple[Any, ...]) -> None:
        """A forward pass of the whole model starts: count it by mode, sample its input."""
        self._outputs.clear()
        self._pass_grad = torch.is_grad_enabled()
        if not self._pass_grad:
            self._counts["nograd_forwards"] += 1
            return
        self._counts["train_forwards" if training else "eval_forwards"] += 1
        x = first_tensor(args)
        if self._autocast is None and x is not None:
            self._autocast = _autocast_dtype(x.device.type)
        if self._sampling and not self._batch_done:
            if x is not None:
                self._sampled["batch"] = tensor_summary(x)
            self._batch_done = True

    def _root_post(self, module: nn.Module, args: tuple[Any, ...], output: Any) -> None:
        self._end_pass(model_output(output), torch.is_grad_enabled())

    def _end_pass(self, out: torch.Tensor | None, grad: bool) -> None:
        """The pass ended with ``out``: note its shape, write the sampled input, find the first
        module whose output went non-finite."""
        self._pass_grad = None
        if out is None or not grad:
            self._outputs.clear()
            return
        self._out_shape = list(out.shape)
        batch = self._sampled.pop("batch", None)
        if batch is not None:
            self._check_out = out.detach()  # written now: a run that crashes in the loss keeps it
            self._write({"type": "batch", "step": self.step + 1, **batch,
                         "out_shape": self._out_shape})
        # one sum is cheaper than isfinite().all(); a sum that overflows is confirmed below
        if not self._nonfinite_done and out.is_floating_point() and \
                not math.isfinite(float(out.detach().sum())) and \
                not bool(torch.isfinite(out.detach()).all()):
            bad = next((n for n, t in self._outputs
                        if t.is_floating_point() and not bool(torch.isfinite(t).all())), None)
            self._nonfinite("module", bad)
        self._outputs.clear()

    def _leaf(self, name: str, module: nn.Module, args: tuple[Any, ...], output: Any) -> None:
        if not self._root_used and self._pass_grad != torch.is_grad_enabled():
            # the model's own forward is never called (Lightning's training_step often calls
            # a submodule): a pass starts at the first leaf, in the model's mode
            self._begin_pass(self.model.training, args)
        if not torch.is_grad_enabled():
            return
        out = first_tensor(output)
        if out is None:
            return
        if not self._root_used:
            self._out_shape = list(out.shape)  # the last leaf's output stands for the model's
            self._last_leaf_out = out
        if not self._nonfinite_done:
            self._outputs.append((name, out.detach()))
        if self._sampling and not self._act_done:
            self._sampled.setdefault("act", {})[name] = activation_summary(module, out)

    def _recurrent_pre(self, name: str, module: nn.Module, args: tuple[Any, ...]) -> None:
        """A hidden state whose graph was built before the last optimizer step: not detached."""
        if not torch.is_grad_enabled() or len(args) < 2:
            return
        hx = first_tensor(args[1])
        made = getattr(getattr(hx, "grad_fn", None), "metadata", {}).get(_STEP_TAG)
        if made is not None and made <= self.step:
            self._counts["rnn_state_with_graph"] += 1
            if not self._rnn_noted:
                self._rnn_noted = True
                self._write({"type": "rnn_state_with_graph", "step": self.step + 1,
                             "module": name, "made_at_step": made})

    def _recurrent_post(self, module: nn.Module, args: tuple[Any, ...], output: Any) -> None:
        """Tag the outputs' autograd nodes with the step that made them (metadata only)."""
        if not torch.is_grad_enabled():
            return
        stack = [output]
        while stack:
            item = stack.pop()
            if isinstance(item, list | tuple):
                stack.extend(item)
            elif isinstance(item, torch.Tensor) and item.grad_fn is not None:
                item.grad_fn.metadata.setdefault(  # type: ignore[attr-defined]
                    _STEP_TAG, self.step + 1)

    def _grad_arrives(self, grad: torch.Tensor) -> None:
        if not self._root_used and self._pass_grad:
            out, self._last_leaf_out = self._last_leaf_out, None
            self._end_pass(out, True)  # backward hooks run with grad mode off
        if self._counts["backwards"] == 0 and self.step > 0:
            held = self._probe.grad
            self._stale = held is not None and bool(held.count_nonzero() > 0)
        self._counts["backwards"] += 1
        self._act_done = True  # activation statistics come from the first forward only

    def _held(self, optimizer: Any) -> list[tuple[str, torch.Tensor]]:
        return [(self._names.get(id(p), f"param{i}"), p) for i, p in
                enumerate(p for g in optimizer.param_groups for p in g["params"])]

    def _pre_step(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        """Keep the weights of a sampled step, for the update ratio (before any closure)."""
        if self._sampling:
            self._before_named = [(n, p) for n, p in self._held(optimizer) if p.requires_grad]
            self._before = [p.detach().clone() for _, p in self._before_named]

    def _grad_norms(self, optimizer: Any) -> None:
        """Per-parameter and global gradient norms, after the step: a closure (Lightning,
        L-BFGS) computes the gradients inside step(), and nothing clears them before this."""
        named = [(n, p) for n, p in self._held(optimizer) if p.grad is not None]
        if not named:
            return
        grads = [p.grad.detach() for _, p in named if p.grad is not None]
        norms = torch._foreach_norm(grads) if hasattr(torch, "_foreach_norm") \
            else [g.norm() for g in grads]
        values = torch.stack([n.float().cpu() for n in norms])
        self._sampled["grad_norm"] = {n: _clean(v) for (n, _), v in zip(named, values,
                                                                         strict=True)}
        self._sampled["global_grad_norm"] = _clean(values.norm())

    def _post_step(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        self.step += 1
        record: dict[str, Any] = {
            "type": "step", "step": self.step,
            "lr": [_clean(g.get("lr")) for g in optimizer.param_groups],
            **self._counts, "stale_grad": self._stale, "autocast": self._autocast or None,
            "orphan_grads": sum(p.grad is not None for _, p in self._orphans),
        }
        if self._sampling:
            self._grad_norms(optimizer)
        if self._bns:
            total = self._bn_total()
            record["bn_updates"], self._bn_count = total - self._bn_count, total
        if self.scaler is not None and hasattr(self.scaler, "get_scale"):
            record["scale"] = _clean(float(self.scaler.get_scale()))
        if self._sampling:
            record["grad_norm"] = self._sampled.get("global_grad_norm")
            self._write_sampled()
        self._write(record)
        self._pass_grad = None
        self._reset_counts()
        self._sampling = self.step % self.every == 0

    # ------------------------------------------------------------------ writing
    def _bn_total(self) -> int:
        if not self._bns:
            return 0
        return int(torch.stack([m.num_batches_tracked.detach().cpu() for m in self._bns
                                if m.num_batches_tracked is not None] or
                               [torch.zeros((), dtype=torch.long)]).sum())

    def _write_sampled(self) -> None:
        ratios: dict[str, Any] = {}
        if self._before:
            params = [p.detach() for _, p in self._before_named]
            with torch.no_grad():
                delta = [(p.float() - b.float()).norm() / b.float().norm().clamp_min(1e-12)
                         for p, b in zip(params, self._before, strict=True)]
            ratios = {n: _clean(v.cpu())
                      for (n, _), v in zip(self._before_named, delta, strict=True)}
            self._before = []
        layers = {"type": "layers", "step": self.step,
                  "grad_norm": self._sampled.get("grad_norm", {}), "update_ratio": ratios,
                  "act": self._sampled.get("act", {})}
        self._write(layers)
        self._sampled = {}

    def _nonfinite(self, where: str, module: str | None) -> None:
        self._nonfinite_done = True
        self._outputs.clear()
        self._write({"type": "nonfinite", "step": self.step + 1, "where": where,
                     "module": module})

    def _write(self, record: dict[str, Any]) -> None:
        if not self._closed:
            self._file.write(json.dumps(record, allow_nan=False, default=str) + "\n")

    # ------------------------------------------------------------------ public
    def log(self, **metrics: Any) -> None:
        """Record metrics for the current step (loss, accuracy …); ``targets=`` a label tensor
        is summarised against the model's output width."""
        numbers: dict[str, Any] = {}
        for key, value in metrics.items():
            if key in _LABEL_KEYS and isinstance(value, torch.Tensor) and value.numel() > 1:
                summary = label_summary(value, self._out_shape)
                self._write({"type": "labels", "step": self.step, **summary})
                if self._check_out is not None and summary.get("top_value") is not None:
                    self._check_labels = value.detach()
                continue
            numbers[key] = _clean(value)
        if not numbers:
            return
        self._write({"type": "log", "step": self.step, **numbers})
        loss = numbers.get("loss")
        if isinstance(loss, str) and not self._nonfinite_done:
            self._nonfinite("loss", None)
        if isinstance(loss, float) and self._check_out is not None \
                and self._check_labels is not None:
            check = loss_check(self._check_out, self._check_labels, loss)
            if check is not None:
                self._write({"type": "loss_check", "step": self.step, **check})
            self._check_out = self._check_labels = None

    def close(self) -> None:
        """Remove every hook and finish the trace (idempotent)."""
        if self._closed:
            return
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        self._write({"type": "end", "steps": self.step})
        self._closed = True
        self._file.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
