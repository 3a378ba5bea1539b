"""The update rules of SGD, Adam(W), RMSprop and Adagrad as plain tensor arithmetic.

``torch.optim`` imports ``torch._dynamo`` on the first optimizer (about 1–3 s of CPU and 70 MB
per run), and the live probes only need the textbook update. These follow PyTorch's
formulas (``torch.optim`` documentation) so a probe trains as the user's optimizer would.
The learning rate may be one number or one per leading slice of stacked parameters (the lr
sweep trains several copies at once: parameter ``p`` of shape ``[L, ...]``, lr of shape
``[L]``). The setting ``flat_weight_decay``, when present, is the decay of one-dimensional
parameters (biases, norm scales), which runs often keep in a param group of their own;
``weight_decay`` is then the decay of the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

__all__ = ["PlainOptimizer", "KINDS"]

Lr = float | torch.Tensor
_Rule = Callable[["PlainOptimizer", int, torch.Tensor, torch.Tensor, Lr], None]


def _lr_for(lr: Lr, param: torch.Tensor) -> Lr:
    """A per-copy learning rate shaped to broadcast over a stacked parameter."""
    if isinstance(lr, torch.Tensor):
        return lr.to(param.device, param.dtype).reshape(-1, *([1] * (param.dim() - 1)))
    return lr


class PlainOptimizer:
    """One optimizer kind with its settings, stepping a fixed list of parameters."""

    def __init__(self, kind: str, params: Sequence[torch.Tensor], lr: Lr,
                 settings: dict[str, Any] | None = None) -> None:
        if kind not in _RULES:
            raise ValueError(f"unknown optimizer kind {kind!r}")
        self.kind, self.params, self.lr = kind, list(params), lr
        self.settings = dict(settings or {})
        self.state: list[dict[str, torch.Tensor]] = [{} for _ in self.params]
        self.steps = 0

    def warm_up_from_grads(self) -> None:
        """Start RMSprop's squared average at the current gradients' squares, as a run some
        steps in has it: a first step from an empty average is 1/√(1 − α) times (10× at
        α = 0.99) the steps the run takes after its first few."""
        if self.kind != "rmsprop":
            return
        momentum = float(self._get("momentum", 0.0))
        for index, param in enumerate(self.params):
            if param.grad is None:
                continue
            state = self.state[index]
            state["sq"] = param.grad.detach().to(param.dtype).square()
            if self._get("centered", False):
                state["avg"] = torch.zeros_like(param)
            if momentum:
                state["buf"] = torch.zeros_like(param)

    def zero_grad(self) -> None:
        for param in self.params:
            param.grad = None

    @torch.no_grad()
    def step(self) -> None:
        """Apply one update from each parameter's ``.grad`` (parameters without one stay)."""
        self.steps += 1
        rule = _RULES[self.kind]
        for index, param in enumerate(self.params):
            if param.grad is not None:
                rule(self, index, param, param.grad, _lr_for(self.lr, param))

    def _get(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)

    def decay_of(self, param: torch.Tensor) -> float:
        """The weight decay of ``param``: ``flat_weight_decay`` for a one-dimensional one
        (one dimension more when the learning rate is per stacked copy), when set."""
        flat = self.settings.get("flat_weight_decay")
        stacked = 1 if isinstance(self.lr, torch.Tensor) else 0
        if flat is not None and param.dim() - stacked <= 1:
            return float(flat)
        return float(self._get("weight_decay", 0.0))


def _with_decay(opt: PlainOptimizer, param: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    decay = opt.decay_of(param)
    return grad.add(param, alpha=decay) if decay else grad


def _sgd(opt: PlainOptimizer, i: int, param: torch.Tensor, grad: torch.Tensor, lr: Lr) -> None:
    grad = _with_decay(opt, param, grad)
    momentum = float(opt._get("momentum", 0.0))
    if momentum:
        state = opt.state[i]
        if "buf" not in state:
            state["buf"] = grad.clone()
        else:
            state["buf"].mul_(momentum).add_(grad, alpha=1 - float(opt._get("dampening", 0.0)))
        buf = state["buf"]
        grad = grad.add(buf, alpha=momentum) if opt._get("nesterov", False) else buf
    param.sub_(lr * grad)


def _adam(opt: PlainOptimizer, i: int, param: torch.Tensor, grad: torch.Tensor, lr: Lr) -> None:
    beta1, beta2 = (float(b) for b in opt._get("betas", (0.9, 0.999)))
    eps, decay = float(opt._get("eps", 1e-8)), opt.decay_of(param)
    if decay and opt._get("decoupled_weight_decay", True):  # AdamW (or a flag left unsaid)
        param.mul_(1 - lr * decay)
    elif decay:  # torch.optim.Adam's weight_decay: an L2 term in the gradient
        grad = grad.add(param, alpha=decay)
    state = opt.state[i]
    if not state:
        state["m"], state["v"] = torch.zeros_like(param), torch.zeros_like(param)
    m, v = state["m"], state["v"]
    m.lerp_(grad, 1 - beta1)
    v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    correction1, correction2 = 1 - beta1 ** opt.steps, 1 - beta2 ** opt.steps
    denom = (v.sqrt() / correction2 ** 0.5).add_(eps)
    param.sub_((lr / correction1) * m / denom)


def _rmsprop(opt: PlainOptimizer, i: int, param: torch.Tensor, grad: torch.Tensor,
             lr: Lr) -> None:
    grad = _with_decay(opt, param, grad)
    alpha, eps = float(opt._get("alpha", 0.99)), float(opt._get("eps", 1e-8))
    momentum = float(opt._get("momentum", 0.0))
    state = opt.state[i]
    if not state:
        state["sq"] = torch.zeros_like(param)
        if opt._get("centered", False):
            state["avg"] = torch.zeros_like(param)
        if momentum:
            state["buf"] = torch.zeros_like(param)
    state["sq"].mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
    if "avg" in state:
        state["avg"].lerp_(grad, 1 - alpha)
        denom = state["sq"].addcmul(state["avg"], state["avg"], value=-1).sqrt_().add_(eps)
    else:
        denom = state["sq"].sqrt().add_(eps)
    if momentum:
        state["buf"].mul_(momentum).addcdiv_(grad, denom)
        param.sub_(lr * state["buf"])
    else:
        param.sub_(lr * grad / denom)


def _adagrad(opt: PlainOptimizer, i: int, param: torch.Tensor, grad: torch.Tensor,
             lr: Lr) -> None:
    grad = _with_decay(opt, param, grad)
    eps, lr_decay = float(opt._get("eps", 1e-10)), float(opt._get("lr_decay", 0.0))
    state = opt.state[i]
    if not state:
        state["sum"] = torch.full_like(param, float(opt._get("initial_accumulator_value", 0.0)))
    state["sum"].addcmul_(grad, grad, value=1)
    clr = lr / (1 + (opt.steps - 1) * lr_decay)
    param.sub_(clr * grad / state["sum"].sqrt().add_(eps))


_RULES: dict[str, _Rule] = {"sgd": _sgd, "adam": _adam, "rmsprop": _rmsprop,
                            "adagrad": _adagrad}
#: The optimizer kinds a live probe can reproduce.
KINDS = tuple(_RULES)
