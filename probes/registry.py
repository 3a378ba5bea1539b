"""The catalogue of probes: what each needs and costs, and where its code lives.

This module is torch-free: the session reads it to plan; the probe code (which imports torch)
is imported only when a probe runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from .base import Finding, Inputs, Need, ProbeContext

__all__ = ["ProbeInfo", "PROBES", "get_probe", "available", "load_runner"]

Runner = Callable[[Inputs, ProbeContext], list[Finding]]


@dataclass(frozen=True)
class ProbeInfo:
    """A probe: its id, a title for people, what inputs it needs, its cost, its code."""

    id: str
    title: str
    needs: frozenset[Need]
    cost: float
    target: str  # "module:function", relative to dldoctor.probes
    title_zh: str = ""

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (English when no translation exists)."""
        return self.title_zh if lang == "zh" and self.title_zh else self.title


PROBES: tuple[ProbeInfo, ...] = (
    ProbeInfo("log.curves", "Read the metrics log and classify the loss curves",
              frozenset({"log"}), 0.1, "log_probes:probe_curves",
              "读取训练日志并判断 loss 曲线形态"),
    ProbeInfo("trace.loop", "Read the training trace written by dldoctor.watch",
              frozenset({"trace"}), 0.1, "trace_probe:probe_trace",
              "读取 dldoctor.watch 写下的训练轨迹"),
    ProbeInfo("checkpoint.weights", "Scan the checkpoint's weights",
              frozenset({"checkpoint"}), 0.2, "static_probes:probe_weights",
              "扫描 checkpoint 中的权重"),
    ProbeInfo("checkpoint.optimizer", "Read the optimizer state in the checkpoint",
              frozenset({"checkpoint"}), 0.2, "static_probes:probe_optimizer",
              "读取 checkpoint 中的优化器状态"),
    ProbeInfo("live.forward", "Run the model forward on the batch with hooks",
              frozenset({"model", "batch"}), 0.5, "live_probes:probe_forward",
              "在 batch 上做一次带钩子的前向传播"),
    ProbeInfo("live.backward", "Run one backward pass and measure gradients",
              frozenset({"model", "batch"}), 0.6, "live_probes:probe_backward",
              "做一次反向传播并测量梯度"),
    ProbeInfo("live.overfit_batch", "Try to overfit the single batch",
              frozenset({"model", "batch"}), 1.5, "live_probes:probe_overfit",
              "尝试在单个 batch 上过拟合"),
    ProbeInfo("live.lr_sweep", "Sweep the learning rate over an exponential grid",
              frozenset({"model", "batch"}), 2.0, "live_probes:probe_lr_sweep",
              "在指数网格上扫描学习率"),
)

_BY_ID = {p.id: p for p in PROBES}


def get_probe(probe_id: str) -> ProbeInfo:
    return _BY_ID[probe_id]


def available(inputs: Inputs) -> list[ProbeInfo]:
    """The probes whose inputs the user has given."""
    return [p for p in PROBES if all(inputs.has(n) for n in p.needs)]


def load_runner(info: ProbeInfo) -> Runner:
    """Import the probe's code (this is where torch gets imported)."""
    module_name, func = info.target.split(":")
    module = importlib.import_module(f"dldoctor.probes.{module_name}")
    runner: Runner = getattr(module, func)
    return runner
