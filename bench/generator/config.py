"""One generated training run, described as data: family, optimizer, data, bug, severity, seed."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RunConfig", "FAMILIES", "MULTICLASS", "CLASSIFY", "REGRESS", "RELU_FAMILIES"]

#: Architecture families, each with its own data set and head.
#: (``conv1d`` and ``resmlp`` came later (stop 32), then ``tcn`` and ``mixer`` (stop 33), then
#: ``sepconv`` and ``bigru_attn`` (stop 34), each appended so that no earlier run changes.)
FAMILIES = ("mlp", "cnn_bn", "rescnn", "gru", "lstm", "transformer", "autoencoder", "binary",
            "multilabel", "regression", "conv1d", "resmlp", "tcn", "mixer", "sepconv",
            "bigru_attn")
MULTICLASS = frozenset({"mlp", "cnn_bn", "rescnn", "gru", "lstm", "transformer", "conv1d",
                        "resmlp", "tcn", "mixer", "sepconv", "bigru_attn"})
CLASSIFY = MULTICLASS | {"binary"}  # one label per sample
REGRESS = frozenset({"regression", "autoencoder"})
#: ReLU after a layer with a bias and no normalisation in between (a negative bias kills it).
RELU_FAMILIES = frozenset({"mlp", "binary", "multilabel", "regression", "autoencoder", "tcn"})


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides one run; ``bug`` is ``None`` for a healthy run.

    Model options (``hidden`` … ``final``) end up in the run's ``model.py``; the training
    options in the loop of :mod:`bench.generator.train`.
    """

    family: str
    seed: int
    bug: str | None = None
    severity: int = 0  # 1 (mild) … 3 (severe); 0 for a healthy run
    # model
    hidden: int = 64
    depth: int = 2  # hidden layers (mlp-like) or residual blocks / encoder layers
    act: str = "ReLU"
    bias: bool = True
    dropout: float = 0.0
    conv_dropout: float = 0.0
    init: str | None = None  # zeros, const, normal:STD, bias:VALUE, rec_gain:G, kaiming_gain:G
    final: str | None = None  # softmax1, log_softmax0, probs
    detach_body: bool = False
    half: bool = False
    # data
    n_train: int = 768
    n_val: int = 256
    noise: float = 1.0  # task difficulty knob (blob spread, image noise)
    input_scale: float = 1.0
    input_offset: float = 0.0
    uint8_images: bool = False
    label_noise: float = 0.0  # share of training labels permuted
    order: str = "shuffle"  # shuffle, sorted, single_class
    imbalance: float = 0.0  # keep this share of the non-majority classes (0: balanced)
    val_shift: float = 0.0
    target_offset: float = 0.0  # regression intercept
    # loss
    loss: str = "default"  # default, neg, log_no_eps, kl_probs, nll, mse_broadcast
    loss_scale: float = 1.0
    # optimisation
    optimizer: str = "adam"  # adam, adamw, sgd
    lr: float = 2e-3
    momentum: float = 0.0
    weight_decay: float = 0.0
    decay_bias: bool = False
    train_only_head: bool = False
    zero_grad: bool = True
    schedule: str | None = None  # cosine, step
    clip: float | None = None
    epochs: int = 4
    batch_size: int = 32
    # files
    log_format: str = "csv"
    ckpt_key: str = "model"

    @property
    def id(self) -> str:
        return f"{self.family}-s{self.seed:03d}-{self.bug or 'healthy'}"

    @property
    def classes(self) -> int:
        """Outputs of the head: classes, labels (multi-label), 1 (binary, regression)."""
        return {"mlp": 5, "cnn_bn": 4, "rescnn": 4, "gru": 4, "lstm": 4, "transformer": 4,
                "binary": 1, "multilabel": 6, "regression": 1, "autoencoder": 20, "conv1d": 4,
                "resmlp": 5, "tcn": 4, "mixer": 4, "sepconv": 4, "bigru_attn": 4}[self.family]
