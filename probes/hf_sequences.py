"""Hugging Face sequence models as every live probe calls a model: ``model(inputs)`` → logits
paired position by position with the batch's targets.

A Hugging Face model computes its own loss from ``labels``; the probes never pass them, so the
conventions the model applies to its labels are applied here instead:

- a causal language model (``GPT2LMHeadModel``, ``*ForCausalLM``) shifts its labels by one
  inside ``forward``: the batch's inputs lose their last token and its targets their first, so
  the logits at position t are scored against token t + 1, as the model was trained;
- an encoder–decoder (T5, BART, …: ``config.is_encoder_decoder``) needs the decoder's
  teacher-forced inputs, which it builds from the labels
  (``prepare_decoder_input_ids_from_labels``, or where the model has none — NLLB-MoE — the
  labels shifted right behind ``config.decoder_start_token_id``, as its ``forward`` does): they
  ride beside the source ids in one tensor, and the model's ``forward`` splits them again.

Targets of -100 (the padding HF labels carry) are skipped by the probes' cross-entropy.
"""

from __future__ import annotations

import types
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

if TYPE_CHECKING:
    from .models import Batch

__all__ = ["adapt_batch", "adapt_model", "declared_pad", "is_causal_lm", "is_seq2seq"]

_CAUSAL_SUFFIXES = ("ForCausalLM", "LMHeadModel")
_SPLIT = "_dldoctor_source_length"


def is_seq2seq(model: nn.Module) -> bool:
    """An HF encoder–decoder that builds its decoder inputs from labels."""
    config = getattr(model, "config", None)
    return getattr(config, "is_encoder_decoder", False) is True and (
        callable(getattr(model, "prepare_decoder_input_ids_from_labels", None))
        or isinstance(getattr(config, "decoder_start_token_id", None), int))


def declared_pad(model: nn.Module) -> int | None:
    """The padding id a Hugging Face model's config declares (``pad_token_id``), if any."""
    pad = getattr(getattr(model, "config", None), "pad_token_id", None)
    return pad if isinstance(pad, int) and not isinstance(pad, bool) else None


def _decoder_inputs(model: nn.Module, labels: torch.Tensor) -> torch.Tensor:
    """The decoder's teacher-forced inputs for ``labels``: the model's own
    ``prepare_decoder_input_ids_from_labels``, else the labels shifted right behind the
    config's decoder start token, their -100 padding turned into the pad token (HF's
    ``shift_tokens_right``)."""
    prepare: Any = getattr(model, "prepare_decoder_input_ids_from_labels", None)
    if callable(prepare):
        return prepare(labels=labels)
    config: Any = model.config
    shifted = labels.new_full(labels.shape, int(config.decoder_start_token_id))
    shifted[:, 1:] = labels[:, :-1]
    return shifted.masked_fill(shifted == -100, declared_pad(model) or 0)


def is_causal_lm(model: nn.Module) -> bool:
    """An HF causal language model (it shifts its labels inside ``forward``)."""
    config = getattr(model, "config", None)
    return config is not None and not getattr(config, "is_encoder_decoder", False) and \
        type(model).__name__.endswith(_CAUSAL_SUFFIXES)


def _token_pairs(batch: Batch) -> bool:
    """Integer (batch, positions) inputs with integer (batch, positions) targets."""
    x, y = batch.inputs, batch.targets
    return y is not None and batch.unpaired is None and x.dim() == 2 and y.dim() == 2 and \
        not x.is_floating_point() and not y.is_floating_point() and x.shape[0] == y.shape[0]


def adapt_model(model: nn.Module, batch: Batch) -> None:
    """Let an encoder–decoder take ``cat(source ids, decoder ids)`` as its one input (in
    place; a no-op for any other model or batch)."""
    if not is_seq2seq(model) or not _token_pairs(batch):
        return
    setattr(model, _SPLIT, int(batch.inputs.shape[1]))
    pad = getattr(model.config, "pad_token_id", None)
    original = type(model).forward

    def teacher_forced(self: nn.Module, x: Any = None, *args: Any, **kwargs: Any) -> Any:
        split = getattr(self, _SPLIT)
        if args or kwargs or not isinstance(x, torch.Tensor) or x.dim() != 2 or \
                x.shape[1] <= split or x.is_floating_point():
            return original(self, x, *args, **kwargs)
        source, decoder = x[:, :split], x[:, split:]
        mask = (source != pad).long() if pad is not None else None
        return original(self, input_ids=source, attention_mask=mask, decoder_input_ids=decoder)

    model.forward = types.MethodType(teacher_forced, model)


def adapt_batch(model: nn.Module, batch: Batch) -> Batch:
    """The batch as the adapted model reads it (the same batch for any other model)."""
    if not _token_pairs(batch):
        return batch
    x, y = batch.inputs, batch.targets
    assert y is not None
    if is_seq2seq(model):
        with torch.no_grad():
            decoder = _decoder_inputs(model, y.long())
        return replace(batch, inputs=torch.cat([x, decoder.to(x.dtype)], dim=1))
    if is_causal_lm(model) and x.shape == y.shape and x.shape[1] > 1:
        return replace(batch, inputs=x[:, :-1].contiguous(), targets=y[:, 1:].contiguous())
    return batch
