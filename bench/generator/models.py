"""The ``model.py`` a user would hand to ``--model``, for each architecture family.

A bug that lives in the model (an activation on the logits, a detached body, a bad init …)
is written into this source, where the live probes can find it, as in a user's code.
"""

from __future__ import annotations

from .config import RunConfig

__all__ = ["model_source"]

_HEADER = '''"""Model factory: {title}."""

import torch
import torch.nn as nn
import torch.nn.functional as F


'''


def _mlp_layers(c: RunConfig, d_in: int, widths: list[int], name: str) -> list[str]:
    lines = ["        layers = []"]
    for a, b in zip([d_in, *widths[:-1]], widths, strict=True):
        lines.append(f"        layers.append(nn.Linear({a}, {b}, bias={c.bias}))")
        lines.append(f"        layers.append(nn.{c.act}())")
        if c.dropout:
            lines.append(f"        layers.append(nn.Dropout({c.dropout}))")
    lines.append(f"        self.{name} = nn.Sequential(*layers)")
    return lines


def _mlp(c: RunConfig, d_in: int) -> str:
    lines = _mlp_layers(c, d_in, [c.hidden] * c.depth, "body")
    lines.append(f"        self.head = nn.Linear({c.hidden}, {c.classes}, bias={c.bias})")
    return "\n".join(lines) + "\n"


def _autoencoder(c: RunConfig) -> str:
    code = max(2, c.hidden // 16)
    inner = [c.hidden // 2] * max(1, c.depth - 1)
    lines = _mlp_layers(c, 20, inner + [code], "body")
    lines += _mlp_layers(c, code, inner, "decoder")
    lines.append(f"        self.head = nn.Linear({c.hidden // 2}, 20, bias={c.bias})")
    return "\n".join(lines) + "\n"


def _conv_block(c: RunConfig, a: int, b: int, dims: int = 2) -> list[str]:
    out = [f"            nn.Conv{dims}d({a}, {b}, 3, padding=1, bias=False),",
           f"            nn.BatchNorm{dims}d({b}),", f"            nn.{c.act}(),"]
    if c.conv_dropout:
        out.append(f"            nn.Dropout({c.conv_dropout}),")
    return out


def _cnn(c: RunConfig) -> str:
    lines = ["        self.body = nn.Sequential("]
    lines += _conv_block(c, 1, 8) + ["            nn.MaxPool2d(2),"]
    lines += _conv_block(c, 8, 16) + ["            nn.MaxPool2d(2),", "            nn.Flatten(),",
                                      "        )"]
    lines.append(f"        self.head = nn.Linear(16 * 3 * 3, {c.classes}, bias={c.bias})")
    return "\n".join(lines) + "\n"


_RES_BLOCK = '''

class Block(nn.Module):
    """conv-BN-act-conv-BN plus the identity."""

    def __init__(self, ch):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)
        self.drop = nn.Dropout({p})

    def forward(self, x):
        h = self.drop(F.{act}(self.bn1(self.conv1(x))))
        return F.{act}(x + self.bn2(self.conv2(h)))

'''


def _rescnn(c: RunConfig) -> str:
    blocks = ", ".join("Block(16)" for _ in range(c.depth))
    return (
        "        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), "
        f"nn.BatchNorm2d(16), nn.{c.act}())\n"
        f"        self.body = nn.Sequential(self.stem, {blocks}, nn.AdaptiveAvgPool2d(3), "
        "nn.Flatten())\n"
        f"        self.head = nn.Linear(16 * 9, {c.classes}, bias={c.bias})\n"
    )


def _conv1d(c: RunConfig) -> str:
    w1, w2 = max(1, c.hidden // 4), max(1, c.hidden // 2)
    lines = ["        self.body = nn.Sequential("]
    for a, b in ((4, w1), (w1, w2)):
        lines += _conv_block(c, a, b, dims=1)
    lines += ["            nn.AdaptiveAvgPool1d(1),", "            nn.Flatten(),", "        )"]
    lines.append(f"        self.head = nn.Linear({w2}, {c.classes}, bias={c.bias})")
    return "\n".join(lines) + "\n"


_MIX_BLOCK = '''

class Block(nn.Module):
    """Pre-norm residual MLP block: x + W2 GELU(W1 LN(x))."""

    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)
        self.drop = nn.Dropout({p})

    def forward(self, x):
        return x + self.fc2(self.drop(F.gelu(self.fc1(self.norm(x)))))

'''


def _resmlp(c: RunConfig) -> str:
    blocks = ", ".join(f"Block({c.hidden})" for _ in range(c.depth))
    return (f"        self.body = nn.Sequential(nn.Linear(20, {c.hidden}), {blocks}, "
            f"nn.LayerNorm({c.hidden}))\n"
            f"        self.head = nn.Linear({c.hidden}, {c.classes}, bias={c.bias})\n")


_TCN_BLOCK = '''

class Causal(nn.Module):
    """A dilated causal convolution: step t sees steps t, t - d and t - 2d only."""

    def __init__(self, a, b, dilation):
        super().__init__()
        self.pad = 2 * dilation
        self.conv = nn.Conv1d(a, b, 3, dilation=dilation, bias={bias})

    def forward(self, x):
        return self.conv(F.pad(x, (self.pad, 0)))


class Block(nn.Module):
    """Residual TCN block: two dilated causal convolutions with {act}, plus the input."""

    def __init__(self, a, b, dilation):
        super().__init__()
        self.conv1 = Causal(a, b, dilation)
        self.conv2 = Causal(b, b, dilation)
        self.skip = nn.Conv1d(a, b, 1, bias={bias}) if a != b else nn.Identity()

    def forward(self, x):
        h = F.{act}(self.conv2(F.{act}(self.conv1(x))))
        return F.{act}(h + self.skip(x))

'''


def _tcn(c: RunConfig) -> str:
    w = max(1, c.hidden // 2)
    blocks = ", ".join(f"Block({4 if i == 0 else w}, {w}, {2 ** i})"
                       for i in range(2 * c.depth))  # dilations 1, 2, 4, 8 at depth 2
    return (f"        self.body = nn.Sequential({blocks}, nn.AdaptiveAvgPool1d(1), "
            "nn.Flatten())\n"
            f"        self.head = nn.Linear({w}, {c.classes}, bias={c.bias})\n")


_MIXER_BLOCK = '''

class Block(nn.Module):
    """Mixer block (pre-norm): an MLP across the 9 patches, then one across the channels."""

    def __init__(self, d, tokens=9):
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        self.token1 = nn.Linear(tokens, 2 * tokens)
        self.token2 = nn.Linear(2 * tokens, tokens)
        self.norm2 = nn.LayerNorm(d)
        self.channel1 = nn.Linear(d, 2 * d)
        self.channel2 = nn.Linear(2 * d, d)
        self.drop = nn.Dropout({p})

    def forward(self, x):
        y = self.token2(F.gelu(self.token1(self.norm1(x).transpose(1, 2))))
        x = x + self.drop(y.transpose(1, 2))
        return x + self.drop(self.channel2(F.gelu(self.channel1(self.norm2(x)))))


class MeanPatches(nn.Module):
    """Global average over the patches: (N, P, D) -> (N, D)."""

    def forward(self, x):
        return x.mean(1)

'''


def _mixer(c: RunConfig) -> str:
    blocks = ", ".join(f"Block({c.hidden})" for _ in range(c.depth))
    return (f"        self.body = nn.Sequential(nn.Linear(16, {c.hidden}), {blocks}, "
            f"nn.LayerNorm({c.hidden}), MeanPatches())\n"
            f"        self.head = nn.Linear({c.hidden}, {c.classes}, bias={c.bias})\n")


_SEP_BLOCK = '''

class Block(nn.Module):
    """MobileNet block: depthwise 3x3 conv, BN, ReLU6, then pointwise 1x1 conv, BN, ReLU6."""

    def __init__(self, a, b, stride):
        super().__init__()
        self.depthwise = nn.Conv2d(a, a, 3, stride=stride, padding=1, groups=a, bias=False)
        self.bn1 = nn.BatchNorm2d(a)
        self.pointwise = nn.Conv2d(a, b, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(b)
        self.drop = nn.Dropout({p})

    def forward(self, x):
        h = F.relu6(self.bn1(self.depthwise(x)))
        return self.drop(F.relu6(self.bn2(self.pointwise(h))))

'''


def _sepconv(c: RunConfig) -> str:
    w = max(1, c.hidden // 4)  # a full 3x3 stem, then 12x12 -> 12x12 -> 6x6 -> 3x3
    return (
        f"        self.body = nn.Sequential(nn.Conv2d(1, {w}, 3, padding=1, bias=False), "
        f"nn.BatchNorm2d({w}), nn.ReLU6(), Block({w}, {2 * w}, 1), "
        f"Block({2 * w}, {4 * w}, 2), Block({4 * w}, {4 * w}, 2), nn.AdaptiveAvgPool2d(1), "
        "nn.Flatten())\n"
        f"        self.head = nn.Linear({4 * w}, {c.classes}, bias={c.bias})\n"
    )


_ATTN_POOL = '''

class AttentionPool(nn.Module):
    """Additive attention over time: a tanh scorer, softmax over the steps, the weighted sum."""

    def __init__(self, d):
        super().__init__()
        self.proj = nn.Linear(d, d // 2, bias={bias})
        self.score = nn.Linear(d // 2, 1, bias={bias})

    def forward(self, seq):
        weights = torch.softmax(self.score(torch.tanh(self.proj(seq))), dim=1)  # (N, T, 1)
        return (weights * seq).sum(1)

'''


def _bigru_attn(c: RunConfig) -> str:
    d = c.hidden // 2
    return (f"        self.body = nn.GRU(4, {d}, num_layers={max(1, c.depth - 1)}, "
            f"batch_first=True, bidirectional=True, bias={c.bias})\n"
            f"        self.pool = AttentionPool({2 * d})\n"
            f"        self.head = nn.Linear({2 * d}, {c.classes}, bias={c.bias})\n")


def _rnn(c: RunConfig) -> str:
    cell = "GRU" if c.family == "gru" else "LSTM"
    return (f"        self.body = nn.{cell}(4, {c.hidden // 2}, num_layers={max(1, c.depth - 1)}, "
            f"batch_first=True, bias={c.bias})\n"
            f"        self.head = nn.Linear({c.hidden // 2}, {c.classes}, bias={c.bias})\n")


def _transformer(c: RunConfig) -> str:
    d = max(2, c.hidden // 4 * 2)
    return (
        f"        self.embed = nn.Embedding(16, {d})\n"
        f"        self.pos = nn.Parameter(torch.randn(1, 16, {d}) * 0.1)\n"
        f"        layer = nn.TransformerEncoderLayer({d}, nhead=2, dim_feedforward={2 * d}, "
        f"dropout={c.dropout}, batch_first=True)\n"
        f"        self.body = nn.TransformerEncoder(layer, num_layers={max(1, c.depth - 1)}, "
        "enable_nested_tensor=False)\n"
        f"        self.head = nn.Linear({d}, {c.classes}, bias={c.bias})\n"
    )


def _features(c: RunConfig) -> str:
    if c.family in ("gru", "lstm"):
        body = "        seq, _ = self.body(x)\n        h = seq[:, -1]\n"
    elif c.family == "bigru_attn":
        body = "        seq, _ = self.body(x)\n        h = self.pool(seq)\n"
    elif c.family == "transformer":
        body = "        h = self.body(self.embed(x) + self.pos).mean(1)\n"
    elif c.uint8_images:
        body = "        h = self.body(x.float())\n"
    else:
        body = "        h = self.body(x)\n"
    if c.detach_body:
        body += "        h = h.detach()  # features from the pretrained part\n"
    if c.family == "autoencoder":
        body += "        h = self.decoder(h)\n"
    return body


_FINAL = {
    None: "",
    "softmax1": "        out = F.softmax(out, dim=1)\n",
    "log_softmax0": "        out = F.log_softmax(out, dim=0)\n",
    "probs": "        out = torch.sigmoid(out) if out.shape[1] == 1 else F.softmax(out, dim=1)\n",
}


def _init(c: RunConfig) -> str:
    if c.init is None:
        return ""
    kind, _, arg = c.init.partition(":")
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
    elif kind == "rec_gain":
        lines.append(f"        if 'weight_hh' in name:\n"
                     f"            nn.init.orthogonal_(p, gain={arg})")
    elif kind == "kaiming_gain":  # every layer amplifies by the gain
        lines.append(f"        if p.dim() > 1:\n"
                     f"            nn.init.normal_(p, std={arg} * (2.0 / p.shape[1]) ** 0.5)")
    else:
        raise ValueError(f"unknown init {c.init!r}")
    return "\n".join(lines) + "\n"


def model_source(c: RunConfig) -> str:
    """The text of ``model.py`` (factory ``build``) for ``c``."""
    f = c.family
    if f in ("mlp", "binary", "multilabel"):
        body = _mlp(c, 20)
    elif f == "regression":
        body = _mlp(c, 10)
    else:
        body = {"cnn_bn": _cnn, "rescnn": _rescnn, "gru": _rnn, "lstm": _rnn,
                "transformer": _transformer, "autoencoder": _autoencoder, "conv1d": _conv1d,
                "resmlp": _resmlp, "tcn": _tcn, "mixer": _mixer, "sepconv": _sepconv,
                "bigru_attn": _bigru_attn}[f](c)
    src = _HEADER.format(title=c.id)
    if f == "rescnn":
        src += _RES_BLOCK.format(p=c.conv_dropout, act=c.act.lower()).lstrip("\n") + "\n"
    elif f == "resmlp":
        src += _MIX_BLOCK.format(p=c.dropout).lstrip("\n") + "\n"
    elif f == "tcn":
        src += _TCN_BLOCK.format(bias=c.bias, act=c.act.lower()).lstrip("\n") + "\n"
    elif f == "mixer":
        src += _MIXER_BLOCK.format(p=c.dropout).lstrip("\n") + "\n"
    elif f == "sepconv":
        src += _SEP_BLOCK.format(p=c.conv_dropout).lstrip("\n") + "\n"
    elif f == "bigru_attn":
        src += _ATTN_POOL.format(bias=c.bias).lstrip("\n") + "\n"
    src += "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    src += body + "\n    def forward(self, x):\n" + _features(c)
    src += "        out = self.head(h)\n" + _FINAL[c.final] + "        return out\n\n\n"
    src += f"def build() -> nn.Module:\n    torch.manual_seed({c.seed})\n    model = Net()\n"
    src += _init(c)
    if c.half:
        src += "    model = model.half()\n"
    src += "    return model\n"
    return src
