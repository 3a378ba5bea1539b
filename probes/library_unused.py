"""Parameters a library model leaves without a gradient by design, measured on a fresh copy.

A Hugging Face checkpoint folder names its architecture in ``config.json``
(``"architectures": ["CanineForSequenceClassification"]``). Some architectures hold parameters
the classification step never uses: CANINE's character-upsampling branch, XLNet's
``mask_emb`` and segment biases (used only with ``perm_mask`` or ``token_type_ids``), a
decoder's cross-attention when it is trained as a causal language model alone. The
Trainer gives them to the optimizer all the same, so they end the run with no optimizer state
— which, read alone, says "the gradient never reached 20 of 68 tensors". Building the same
architecture from the same configuration (library code only: the config is read as data and
no ``auto_map``/remote code is followed), seeded, and running one classification step on a
dummy batch tells how many of those tensors the library itself never uses.

Only when ``transformers`` is already installed; nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model_config import config_data

if TYPE_CHECKING:
    import torch

__all__ = ["LibraryUnused", "library_unused"]

#: Larger models are not rebuilt (building and one step would take seconds to minutes).
MAX_PARAMETERS = 150_000_000
#: Heads whose labels are the input ids themselves (a masked LM scores every position when no
#: position is masked out with -100: one step reaches all it uses).
_LANGUAGE_MODELS = ("ForCausalLM", "ForMaskedLM")
#: The dummy batch: two sequences of this many tokens, ids below this bound.
_SEQUENCE, _VOCAB = 16, 1000


@dataclass(frozen=True)
class LibraryUnused:
    """What the rebuilt architecture left without a gradient."""

    architecture: str
    names: tuple[str, ...]
    held: int


def _inputs(model: Any, config: Any, ids_as_labels: bool = False) -> dict[str, torch.Tensor] | None:
    """A dummy batch for a text or image classifier, or for a causal or masked language model
    (its labels the ids themselves); None for other inputs."""
    import torch

    generator = torch.Generator().manual_seed(0)
    labels = int(getattr(config, "num_labels", 2) or 2)
    targets = torch.tensor([0, 1]) % labels
    if model.main_input_name == "input_ids":
        vocab = min(int(getattr(config, "vocab_size", None) or _VOCAB), _VOCAB)
        ids = torch.randint(min(5, vocab - 1), vocab, (2, _SEQUENCE), generator=generator)
        pad = getattr(config, "pad_token_id", None)
        if isinstance(pad, int) and 0 <= pad < vocab:
            ids[ids == pad] = (pad + 1) % vocab
        return {"input_ids": ids, "attention_mask": torch.ones_like(ids),
                "labels": ids.clone() if ids_as_labels else
                targets.float() if labels == 1 else targets}
    if model.main_input_name == "pixel_values":
        size = getattr(config, "image_size", 32)
        size = size[0] if isinstance(size, list | tuple) else int(size)
        channels = int(getattr(config, "num_channels", 3))
        return {"pixel_values": torch.randn(2, channels, size, size, generator=generator),
                "labels": targets}
    return None


def library_unused(checkpoint: Path, parameters: int) -> LibraryUnused | None:
    """The tensors the configured architecture never uses in one training step (a decoder
    trained alone leaves its cross-attention without a gradient: TrOCR's ``encoder_attn``);
    None without a config naming a ``…ForSequenceClassification``/``…ForImage
    Classification``/``…ForCausalLM``/``…ForMaskedLM`` class of an installed ``transformers``,
    for a model over ``MAX_PARAMETERS``, or when building or the step fails."""
    found = config_data(checkpoint)
    if found is None or parameters > MAX_PARAMETERS or \
            importlib.util.find_spec("transformers") is None:
        return None
    names = [a for a in found.get("architectures") or () if isinstance(a, str)]
    if not names or not names[0].endswith(("ForSequenceClassification",
                                           "ForImageClassification") + _LANGUAGE_MODELS):
        return None
    try:
        import torch
        import transformers

        cls = getattr(transformers, names[0], None)
        if cls is None:
            return None
        config = cls.config_class.from_dict(
            {k: v for k, v in found.items() if k not in ("auto_map", "_name_or_path")})
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            model = cls(config)
        if (batch := _inputs(model, config, names[0].endswith(_LANGUAGE_MODELS))) is None:
            return None
        model.train()
        loss = model(**batch).loss
        if loss is None or not torch.isfinite(loss):
            return None
        loss.backward()
    except Exception:  # noqa: BLE001 — a library that cannot rebuild its model says nothing
        return None
    held = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    return LibraryUnused(names[0], tuple(n for n, p in held if p.grad is None), len(held))
