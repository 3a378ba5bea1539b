"""What a model's ``config.json`` (the Hugging Face layout, beside the weights) says about its
regularisation: the dropout rates it was built with, read as data (JSON, size-capped).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .base import Finding
from .evidence import say

__all__ = ["config_data", "config_dropout_findings", "config_labels", "labels_declared",
           "span_head"]

#: A config.json larger than this is no model configuration.
MAX_CONFIG_BYTES = 1 << 20
#: Dropout settings as the libraries name them: hidden_dropout_prob, attention_probs_dropout_prob
#: (BERT), resid_pdrop / embd_pdrop / attn_pdrop (GPT-2), dropout_rate (T5), dropout,
#: attention_dropout, activation_dropout (BART), hidden_dropout (ViT-like).
_DROPOUT_KEY = re.compile(r"(dropout|pdrop)", re.I)


def _config_file(checkpoint: Path) -> Path | None:
    folder = checkpoint if checkpoint.is_dir() else checkpoint.parent
    found = folder / "config.json"
    return found if found.is_file() and found.stat().st_size <= MAX_CONFIG_BYTES else None


def _config(checkpoint: Path) -> tuple[Path, dict] | None:
    """The ``config.json`` beside the checkpoint and its settings; None when there is none or
    it is not a JSON object."""
    path = _config_file(checkpoint)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return (path, data) if isinstance(data, dict) else None


def config_data(checkpoint: Path) -> dict[str, Any] | None:
    """The settings of the ``config.json`` beside the checkpoint; None without one."""
    found = _config(checkpoint)
    return found[1] if found is not None else None


#: Architectures whose head scores labels (``…ForSequenceClassification`` and the like).
_LABEL_HEAD = re.compile(r"For(Sequence|Token|Image|Audio|Video)Classification|ForMultipleChoice")


#: Architectures whose head scores positions: a start and an end logit per token, each
#: softmaxed over the sequence (extractive question answering).
_SPAN_HEAD = re.compile(r"ForQuestionAnswering")


def span_head(data: dict[str, Any]) -> bool:
    """Whether a ``config.json``'s settings name a span (question-answering) architecture: its
    two outputs are no two classes."""
    return any(isinstance(a, str) and _SPAN_HEAD.search(a)
               for a in data.get("architectures") or ())


#: What ``PretrainedConfig`` gives a classifier that names no labels.
DEFAULT_LABELS = 2


def config_labels(checkpoint: Path) -> int | None:
    """The number of labels a classification model's ``config.json`` declares (``id2label``,
    else ``num_labels``, else the library's default of 2, which recent versions of
    transformers leave out of the file); None for other architectures (a masked LM's config
    may carry the two default labels) or no config."""
    return labels_declared(config_data(checkpoint) or {})


def labels_declared(data: dict[str, Any]) -> int | None:
    """:func:`config_labels` from a ``config.json``'s settings already read."""
    if not any(isinstance(a, str) and _LABEL_HEAD.search(a)
               for a in data.get("architectures") or ()):
        return None
    labels = data.get("id2label")
    count = len(labels) if isinstance(labels, dict) else data.get("num_labels", DEFAULT_LABELS)
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 1 \
        else None


def config_dropout_findings(checkpoint: Path) -> list[Finding]:
    """``arch.dropout_rate_max`` from the dropout rates of the ``config.json`` beside the
    checkpoint (nothing when there is none, it cannot be read, or it names no rate)."""
    if (found := _config(checkpoint)) is None:
        return []
    path, data = found
    rates = {k: float(v) for k, v in data.items() if _DROPOUT_KEY.search(str(k)) and
             isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v < 1}
    if not rates:
        return []
    top = max(rates, key=rates.__getitem__)
    return [Finding("arch.dropout_rate_max", rates[top],
                    say("config.dropout", setting=top, p=rates[top], file=path.name,
                        n=len(rates)), {"rates": rates})]
