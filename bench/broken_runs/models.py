"""Model factories, written out as the ``model.py`` a user would hand to ``--model``.

Each function returns Python source defining ``build() -> nn.Module``. A bug that lives in
the model (an activation on the logits, a detached body, a zero init…) is in this source,
where the live probes can find it, exactly as in a user's code.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ModelSpec", "model_source"]


@dataclass(frozen=True)
class ModelSpec:
    """What to build. ``arch`` is mlp, cnn, rnn or transformer; the rest are options."""

    arch: str
    dims: tuple[int, ...] = (20, 64, 64, 5)  # mlp: in, hidden..., out
    act: str = "ReLU"
    bias: bool = True
    batchnorm: bool = False
    dropout: float = 0.0  # after each hidden block (in conv nets: elementwise nn.Dropout)
    final: str | None = None  # relu, sigmoid, softmax0, softmax1, log_softmax0, log_softmax1
    init: str | None = None  # zeros, const, normal:STD, bias:VALUE, last_scale:K, rec_scale:K
    detach_body: bool = False
    standardize_in_forward: bool = False  # per-batch (x - mean) / std, no eps
    cast_float: bool = False  # forward starts with x.float() (uint8 pipelines)
    half: bool = False
    rnn_cell: str = "GRU"  # GRU, LSTM, RNN_TANH, RNN_RELU
    rnn_layers: int = 1
    hidden: int = 32
    classes: int = 4
    in_features: int = 4  # rnn input size
    channels: tuple[int, int] = (8, 16)
    image_size: int = 12
    vocab: int = 16
    seq_len: int = 16


_HEADER = '''"""Model factory: {title}."""

import torch
import torch.nn as nn
import torch.nn.functional as F


'''

_FINAL = {
    None: "",
    "relu": "        out = F.relu(out)\n",
    "sigmoid": "        out = torch.sigmoid(out)\n",
    "prob_sigmoid": "        out = torch.sigmoid(out)  # probability of class 1\n",
    "softmax0": "        out = F.softmax(out, dim=0)\n",
    "softmax1": "        out = F.softmax(out, dim=1)\n",
    "log_softmax0": "        out = F.log_softmax(out, dim=0)\n",
    "log_softmax1": "        out = F.log_softmax(out, dim=1)\n",
}


def _mlp_body(s: ModelSpec) -> str:
    lines = ["        layers = []"]
    for a, b in zip(s.dims[:-2], s.dims[1:-1], strict=True):
        lines.append(f"        layers.append(nn.Linear({a}, {b}, bias={s.bias}))")
        if s.batchnorm:
            lines.append(f"        layers.append(nn.BatchNorm1d({b}))")
        lines.append(f"        layers.append(nn.{s.act}())")
        if s.dropout:
            lines.append(f"        layers.append(nn.Dropout({s.dropout}))")
    lines.append("        self.body = nn.Sequential(*layers)")
    lines.append(f"        self.head = nn.Linear({s.dims[-2]}, {s.dims[-1]}, bias={s.bias})")
    return "\n".join(lines) + "\n"


def _cnn_body(s: ModelSpec) -> str:
    c1, c2 = s.channels
    side = s.image_size // 4
    lines = ["        layers = []"]
    for a, b in ((1, c1), (c1, c2)):
        lines.append(f"        layers.append(nn.Conv2d({a}, {b}, 3, padding=1, bias={s.bias}))")
        if s.batchnorm:
            lines.append(f"        layers.append(nn.BatchNorm2d({b}))")
        lines.append(f"        layers.append(nn.{s.act}())")
        if s.dropout:
            lines.append(f"        layers.append(nn.Dropout({s.dropout}))")
        lines.append("        layers.append(nn.MaxPool2d(2))")
    lines.append("        layers.append(nn.Flatten())")
    lines.append("        self.body = nn.Sequential(*layers)")
    lines.append(f"        self.head = nn.Linear({c2 * side * side}, {s.classes}, bias={s.bias})")
    return "\n".join(lines) + "\n"


def _rnn_body(s: ModelSpec) -> str:
    if s.rnn_cell.startswith("RNN_"):
        nl = s.rnn_cell.split("_")[1].lower()
        cell = (f"nn.RNN({s.in_features}, {s.hidden}, num_layers={s.rnn_layers}, "
                f"nonlinearity='{nl}', batch_first=True, bias={s.bias})")
    else:
        cell = (f"nn.{s.rnn_cell}({s.in_features}, {s.hidden}, num_layers={s.rnn_layers}, "
                f"batch_first=True, bias={s.bias})")
    return (f"        self.body = {cell}\n"
            f"        self.head = nn.Linear({s.hidden}, {s.classes}, bias={s.bias})\n")


def _transformer_body(s: ModelSpec) -> str:
    d = s.hidden
    return (
        f"        self.embed = nn.Embedding({s.vocab}, {d})\n"
        f"        self.pos = nn.Parameter(torch.randn(1, {s.seq_len}, {d}) * 0.1)\n"
        f"        layer = nn.TransformerEncoderLayer({d}, nhead=2, dim_feedforward={2 * d}, "
        f"dropout={s.dropout}, batch_first=True)\n"
        f"        self.body = nn.TransformerEncoder(layer, num_layers={s.rnn_layers}, "
        f"enable_nested_tensor=False)\n"
        f"        self.head = nn.Linear({d}, {s.classes}, bias={s.bias})\n"
    )


def _features(s: ModelSpec) -> str:
    """Forward lines computing ``h`` (the body's features) from ``x``."""
    pre = ""
    if s.cast_float:
        pre += "        x = x.float()\n"
    if s.standardize_in_forward:
        pre += "        x = (x - x.mean(0)) / x.std(0)\n"
    if s.arch == "rnn":
        body = "        seq, _ = self.body(x)\n        h = seq[:, -1]\n"
    elif s.arch == "transformer":
        body = "        h = self.body(self.embed(x) + self.pos).mean(1)\n"
    else:
        body = "        h = self.body(x)\n"
    if s.detach_body:
        body += "        h = h.detach()  # features from the pretrained part\n"
    return pre + body


def _init(s: ModelSpec) -> str:
    if s.init is None:
        return ""
    kind, _, arg = s.init.partition(":")
    lines = ["    for name, p in model.named_parameters():"]
    if kind == "zeros":
        lines.append("        if p.dim() > 1:\n            nn.init.zeros_(p)")
    elif kind == "const":
        lines.append("        if p.dim() > 1:\n            nn.init.constant_(p, 0.05)")
    elif kind == "normal":
        lines.append(f"        if p.dim() > 1:\n            nn.init.normal_(p, std={arg})")
    elif kind == "bias":
        lines.append(f"        if name.startswith('body') and name.endswith('bias'):\n"
                     f"            nn.init.constant_(p, {arg})")
    elif kind == "last_scale":
        lines.append(f"        if name.startswith('head'):\n"
                     f"            p.data.mul_({arg})")
    elif kind == "rec_scale":
        lines.append(f"        if 'weight_hh' in name:\n"
                     f"            nn.init.orthogonal_(p, gain={arg})")
    else:
        raise ValueError(f"unknown init {s.init!r}")
    return "\n".join(lines) + "\n"


def model_source(s: ModelSpec, title: str) -> str:
    """The text of ``model.py`` for ``s``."""
    body = {"mlp": _mlp_body, "cnn": _cnn_body, "rnn": _rnn_body,
            "transformer": _transformer_body}[s.arch](s)
    src = _HEADER.format(title=title)
    src += "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    src += body + "\n    def forward(self, x):\n"
    src += _features(s)
    src += "        out = self.head(h)\n" + _FINAL[s.final] + "        return out\n\n\n"
    src += "def build() -> nn.Module:\n    torch.manual_seed(0)\n    model = Net()\n"
    src += _init(s)
    if s.half:
        src += "    model = model.half()\n"
    src += "    return model\n"
    return src
