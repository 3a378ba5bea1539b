"""The bugs the generator injects: each maps to the contract's cause ids it belongs to.

A bug is applied to a healthy :class:`RunConfig` at a severity of 1 (mild) to 3 (severe).
``causes`` lists every cause id that names this bug correctly (the first is the main one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .config import CLASSIFY, FAMILIES, MULTICLASS, RELU_FAMILIES, RunConfig

__all__ = ["Bug", "BUGS", "applicable"]

ALL = frozenset(FAMILIES)
LABELLED = CLASSIFY | {"multilabel"}
NUMERIC_INPUT = ALL - {"transformer"}  # token ids cannot be rescaled or shifted
MLP_LIKE = frozenset({"mlp", "binary", "multilabel", "regression"})
IMAGES = frozenset({"cnn_bn", "rescnn", "sepconv"})
PIXELS = IMAGES | {"mixer"}  # grey pixels (the mixer reads them as patches)
CONV = IMAGES | {"conv1d"}  # convolutions followed by BatchNorm
RNN = frozenset({"gru", "lstm", "bigru_attn"})


@dataclass(frozen=True)
class Bug:
    """One injectable bug."""

    id: str
    causes: tuple[str, ...]
    families: frozenset[str]
    apply: Callable[[RunConfig, int], RunConfig]
    what: str  # one line, for the truth file


def _lr(c: RunConfig, k: float) -> RunConfig:
    return replace(c, lr=c.lr * k, schedule=None if k > 1 else c.schedule, clip=None)


def _input_scale(c: RunConfig, s: int) -> RunConfig:
    if c.family in PIXELS:
        return replace(c, uint8_images=True)
    return replace(c, input_scale=(30.0, 300.0, 3000.0)[s - 1], input_offset=20.0 * s)


def _exploding(c: RunConfig, s: int) -> RunConfig:
    # (gated GRU/LSTM cells with a large recurrent gain still train: not injected there)
    return replace(c, depth=6, hidden=48, init=f"kaiming_gain:{(1.6, 2.0, 2.6)[s - 1]}",
                   clip=None, optimizer="sgd", momentum=0.9, lr=0.01)


def _vanishing(c: RunConfig, s: int) -> RunConfig:
    return replace(c, depth=(6, 8, 10)[s - 1], hidden=32, act="Sigmoid", optimizer="sgd",
                   momentum=0.9, lr=0.05, schedule=None)


def _overfit(c: RunConfig, s: int) -> RunConfig:
    n = (128, 64, 40)[s - 1]
    return replace(c, n_train=n, hidden=max(c.hidden, 128), noise=c.noise * 1.8,
                   epochs=max(4, 3000 // n), batch_size=16, weight_decay=0.0, dropout=0.0,
                   schedule=None)


def _underfit(c: RunConfig, s: int) -> RunConfig:
    return replace(c, hidden=(8, 4, 2)[s - 1] * (4 if c.family in RNN | {"autoencoder"} else 1),
                   depth=1, epochs=1)


def _over_reg(c: RunConfig, s: int) -> RunConfig:
    if s == 3 and c.family in MLP_LIKE:
        return replace(c, dropout=0.85, optimizer="adam")
    return replace(c, weight_decay=(0.1, 0.5, 2.0)[s - 1], optimizer="adam", decay_bias=False)


def _fp16(c: RunConfig, s: int) -> RunConfig:
    return replace(c, half=True, loss_scale=float(2 ** (12, 16, 20)[s - 1]), optimizer="sgd",
                   momentum=0.9, lr=0.01, schedule=None)


_BUGS = [
    Bug("lr_too_high", ("lr_too_high",), ALL,
        lambda c, s: _lr(c, (100.0, 300.0, 1000.0)[s - 1]), "learning rate x100/x300/x1000"),
    Bug("lr_too_low", ("lr_too_low",), ALL,
        lambda c, s: _lr(c, (1e-2, 1e-3, 1e-4)[s - 1]), "learning rate x1e-2/1e-3/1e-4"),
    Bug("init_large", ("bad_weight_init",), ALL,
        lambda c, s: replace(c, init=f"normal:{(1.0, 2.0, 4.0)[s - 1]}"),
        "weights drawn from N(0, 1/2/4)"),
    Bug("init_zero", ("zero_weight_init",), ALL,
        lambda c, s: replace(c, init="const" if s == 3 else "zeros"),
        "every weight matrix zero (or one constant)"),
    Bug("input_not_normalized", ("input_not_normalized",), NUMERIC_INPUT, _input_scale,
        "features in raw units (x30..x3000, offset) / pixels 0-255"),
    Bug("labels_shuffled", ("labels_wrong",), LABELLED,
        lambda c, s: replace(c, label_noise=(0.5, 0.8, 1.0)[s - 1]),
        "50/80/100 % of the training labels permuted"),
    Bug("data_sorted", ("data_not_shuffled", "batch_single_class"), CLASSIFY,
        lambda c, s: replace(c, order="sorted"), "training data sorted by label, never shuffled"),
    Bug("single_class_batches", ("batch_single_class",), CLASSIFY,
        lambda c, s: replace(c, order="single_class"), "each batch holds one class"),
    Bug("softmax_before_ce", ("activation_before_softmax",), MULTICLASS,
        lambda c, s: replace(c, final="softmax1"), "softmax(dim=1) before CrossEntropyLoss"),
    Bug("softmax_wrong_dim", ("softmax_wrong_dim",), MULTICLASS,
        lambda c, s: replace(c, final="log_softmax0", loss="nll"),
        "log_softmax over the batch (dim=0) with NLLLoss"),
    Bug("loss_negated", ("loss_sign_error",), ALL,
        lambda c, s: replace(c, loss="neg"), "the loss is minimised with the wrong sign"),
    Bug("log_no_eps", ("numerical_log_or_div_zero",), CLASSIFY,
        lambda c, s: replace(c, final="probs", loss="log_no_eps",
                             lr=c.lr * (3.0, 10.0, 30.0)[s - 1], schedule=None),
        "hand-written log-likelihood on probabilities, no eps"),
    Bug("kl_probs", ("kl_div_wrong_inputs",), MULTICLASS,
        lambda c, s: replace(c, loss="kl_probs"), "F.kl_div given probabilities, not log-probs"),
    Bug("exploding", ("exploding_gradients", "bad_weight_init"), MLP_LIKE, _exploding,
        "deep net with per-layer gain 1.6-2.6, SGD, no clipping"),
    Bug("vanishing", ("vanishing_gradients",), MLP_LIKE, _vanishing,
        "6-10 sigmoid layers"),
    Bug("dead_relu", ("dead_relu",), RELU_FAMILIES,
        lambda c, s: replace(c, init=f"bias:{(-1.5, -3.0, -6.0)[s - 1]}"),
        "hidden biases initialised to -1.5/-3/-6 before ReLU"),
    Bug("detached", ("gradient_not_flowing",), ALL,
        lambda c, s: replace(c, detach_body=True), "features detached from the graph"),
    Bug("frozen_body", ("params_not_in_optimizer", "gradient_not_flowing"), ALL,
        lambda c, s: replace(c, train_only_head=True),
        "the optimizer holds only the head's parameters"),
    Bug("decay_on_bias", ("weight_decay_on_bias",), ALL - CONV,
        lambda c, s: replace(c, weight_decay=(0.01, 0.05, 0.2)[s - 1], decay_bias=True,
                             optimizer="adam"),
        "L2 weight decay on biases and norm parameters too"),
    Bug("over_regularized", ("over_regularization",), ALL, _over_reg,
        "weight decay 0.1/0.5/2 (or dropout 0.85)"),
    Bug("no_bias", ("missing_bias",), frozenset({"regression", "mlp", "binary"}),
        lambda c, s: replace(c, bias=False, target_offset=(2.0, 5.0, 10.0)[s - 1],
                             input_offset=0.0),
        "no bias in any layer (regression targets off zero)"),
    Bug("conv_dropout", ("dropout_in_conv",), CONV,
        lambda c, s: replace(c, conv_dropout=(0.3, 0.5, 0.7)[s - 1]),
        "elementwise dropout after every conv block"),
    Bug("overfit", ("overfitting",), ALL, _overfit, "128/64/40 training samples, many epochs"),
    Bug("underfit", ("underfitting",), ALL, _underfit, "a tiny model trained for one epoch"),
    Bug("val_shift", ("distribution_shift",), NUMERIC_INPUT,
        lambda c, s: replace(c, val_shift=(0.5, 1.0, 2.0)[s - 1]),
        "validation inputs scaled and shifted"),
    Bug("imbalance", ("class_imbalance",), CLASSIFY,
        lambda c, s: replace(c, imbalance=(0.2, 0.08, 0.03)[s - 1]),
        "non-majority classes kept at 20/8/3 %"),
    Bug("fp16_overflow", ("fp16_overflow",), MLP_LIKE, _fp16,
        "fp16 weights, static loss scale 2^12-2^20, no overflow check"),
    Bug("bn_small_batch", ("bn_small_batch",), CONV,
        lambda c, s: replace(c, batch_size=(4, 2, 2)[s - 1], n_train=256, epochs=2,
                             schedule=None),
        "batch size 4/2 with BatchNorm"),
    Bug("missing_zero_grad", ("missing_zero_grad",), ALL,
        lambda c, s: replace(c, zero_grad=False), "optimizer.zero_grad() never called"),
]

BUGS: dict[str, Bug] = {b.id: b for b in _BUGS}


def applicable(family: str) -> list[Bug]:
    """The bugs that can be injected into ``family``, in catalogue order."""
    return [b for b in _BUGS if family in b.families]
