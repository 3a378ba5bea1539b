"""What a person would truthfully answer about a run: the simulated user's answer sheet.

Three sources, later ones winning: the configuration (optimizer, schedule, layers — what the
user wrote in their script), what anyone sees in the log (NaN, negative loss), and the
scenario's ``person`` entries (what the user sees on their curves and knows of their code).
Facts missing from the sheet are answered "don't know".
"""

from __future__ import annotations

import math
from typing import Any

from torch import nn

from .spec import Scenario

__all__ = ["truth_facts", "config_facts", "log_facts"]


def config_facts(scn: Scenario) -> dict[str, Any]:
    """Facts the user knows from their own code and configuration."""
    m = scn.model
    facts: dict[str, Any] = {
        "optimizer.kind": "sgd" if scn.optimizer == "sgd" else "adam",
        "optimizer.lr": scn.lr,
        "optimizer.weight_decay": scn.weight_decay,
        "optimizer.decay_on_bias": bool(scn.weight_decay) and scn.decay_bias,
        "optimizer.frozen_params": scn.train_only is not None,
        "lr.decays": scn.schedule is not None,
        "weights.has_batchnorm": m.batchnorm,
        "weights.has_conv": m.arch == "cnn",
        "weights.has_recurrent": m.arch == "rnn",
        "weights.missing_bias": not m.bias and not m.batchnorm,
        "weights.all_zero": m.init in ("zeros", "const"),
        "input.not_normalized": scn.data_bug in ("uint8", "raw_scale"),
        "input.non_finite": False,
        "batch.single_class": scn.order in ("single_class", "sorted") or scn.batch_size == 1,
        "output.activation_after_logits": m.final in ("relu", "sigmoid"),
        "output.softmax_wrong_dim": m.final in ("softmax0", "log_softmax0"),
        "grad.none_params": m.detach_body,
    }
    if scn.optimizer == "sgd":
        facts["optimizer.momentum"] = scn.momentum
    facts.update(setup_facts(scn))
    return facts


_LOSS_KIND = {"ce": "cross_entropy", "neg_ce": "cross_entropy", "nll": "nll",
              "log_probs_no_eps": "custom", "bce_no_eps": "custom", "kl": "kl",
              "kl_probs": "kl", "mse": "mse", "mse_broadcast": "mse"}
_ACT = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "GRU": "tanh", "LSTM": "tanh",
        "RNN_TANH": "tanh", "RNN_RELU": "relu"}
_INIT = {None: "default", "zeros": "zeros", "const": "constant", "normal": "large_normal",
         "last_scale": "large_normal", "bias": "default"}


def setup_facts(scn: Scenario) -> dict[str, Any]:
    """Setup questions the user answers from their script (kb/facts_asked.yaml)."""
    m = scn.model
    classes = m.dims[-1] if m.arch == "mlp" else m.classes
    facts: dict[str, Any] = {
        "setup.framework": "pytorch",
        "setup.batch_size": scn.batch_size,
        "setup.batch_small": scn.batch_size < 16,
        "setup.fine_tuning": False,
        "setup.uses_fp16": m.half,
        "setup.grad_clipping": scn.clip is not None,
        "setup.loss_kind": _LOSS_KIND[scn.loss],
        "setup.eval_loss_single_batch": False,
        "setup.uses_l1": False,
        "setup.loss_plot_smoothed": False,
        "loss.multi_task": False,
        "arch.hidden_activation": _ACT[m.rnn_cell if m.arch == "rnn" else m.act],
        "arch.uses_dropout": m.dropout > 0,
        "arch.dropout_rate": m.dropout,
        "arch.has_residual": m.arch == "transformer",
        "data.shuffled": scn.order == "shuffle",
        "data.augmentation_strong": False,
        "data.train_test_same_source": scn.data_bug != "shift_val",
        "data.class_imbalanced": scn.data_bug == "imbalance",
        "data.samples_per_class": (scn.n_train * 0.06 / 0.8 / classes
                                   if scn.data_bug == "imbalance" else scn.n_train / classes),
        "data.too_small": scn.n_train / classes < 1000,
        "data.overlap_train_eval": False,
        "data.long_sequences": False,
        "runtime.oom": False,
        "runtime.memory_grows": False,
        "runtime.shape_error": False,
        "runtime.dtype_error": False,
        "runtime.output_target_shape_differ": scn.loss == "mse_broadcast",
    }
    kind = (m.init or "").split(":")[0] or None
    if kind in _INIT:
        facts["init.scheme"] = _INIT[kind]
    if m.half:
        facts["setup.uses_grad_scaler"] = False
    if m.batchnorm:
        facts["arch.bn_position"] = "before_activation"
    if m.arch == "cnn":
        facts["arch.dropout_in_conv"] = m.dropout > 0
        facts["arch.first_layer_filters"] = m.channels[0]
        facts["arch.large_kernels"] = False
    return facts


def log_facts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What anyone reads off the log without judgement: NaN, its step, negative loss."""
    losses = [r["loss"] for r in rows]
    bad = [i for i, v in enumerate(losses) if not math.isfinite(v)]
    facts: dict[str, Any] = {
        "loss.non_finite": bool(bad),
        "loss.negative": any(math.isfinite(v) and v < 0 for v in losses),
        "log.has_validation": any("val_loss" in r for r in rows),
    }
    lrs = [r["lr"] for r in rows if math.isfinite(r.get("lr", math.nan))]
    if lrs and lrs[0]:
        facts["setup.lr_final_ratio"] = lrs[-1] / lrs[0]
    if bad:
        facts["loss.non_finite_step"] = rows[bad[0]]["step"]
        facts["loss.non_finite_at_start"] = bad[0] == 0
    else:
        facts["loss.non_finite_at_start"] = False
    return facts


def _weights_non_finite(model: nn.Module) -> bool:
    return any(not bool(p.detach().float().isfinite().all()) for p in model.parameters())


def accuracy_facts(rows: list[dict[str, Any]], shares: list[float]) -> dict[str, Any]:
    """Final validation accuracy at chance (1/C + 5 points) or at the majority share (±3)."""
    accs = [r["val_acc"] for r in rows if "val_acc" in r and math.isfinite(r["val_acc"])]
    if not accs or not shares:
        return {}
    return {"val.acc_at_chance": accs[-1] <= 1 / len(shares) + 0.05,
            "val.acc_at_majority": abs(accs[-1] - max(shares)) <= 0.03}


def truth_facts(scn: Scenario, rows: list[dict[str, Any]], model: nn.Module,
                shares: list[float] | None = None) -> dict[str, Any]:
    """The full answer sheet of ``scn`` (JSON-ready values); ``shares``: val class shares."""
    facts = config_facts(scn)
    facts.update(log_facts(rows))
    facts.update(accuracy_facts(rows, shares or []))
    facts["weights.non_finite"] = _weights_non_finite(model)
    facts.update(scn.person)
    return facts
