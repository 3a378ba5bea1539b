"""A Hugging Face classifier whose architecture holds parameters its classification head never
uses (XLNet's ``mask_emb`` and segment biases): the Trainer hands them to the optimizer, they
end without state, and a fresh copy of the same architecture, built from the same
``config.json``, shows them to be unused by design — not a cut graph (the forty-third set's
CANINE, the forty-fourth's XLNet). A head that really got no gradient still counts."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings

transformers = pytest.importorskip("transformers")


def _hf_checkpoint(tmp_path: Path, cut_head: bool) -> Path:
    """A tiny XLNet classifier trained 6 AdamW steps, saved as the Trainer lays it out."""
    torch.manual_seed(0)
    config = transformers.XLNetConfig(vocab_size=50, d_model=16, n_layer=2, n_head=2,
                                      d_inner=32, num_labels=3, pad_token_id=0)
    model = transformers.XLNetForSequenceClassification(config)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids, labels = torch.randint(1, 50, (8, 12)), torch.randint(0, 3, (8,))
    for _ in range(6):
        opt.zero_grad()
        model(input_ids=ids, labels=labels).loss.backward()
        if cut_head:  # the head's gradient never arrives (as after a stray .detach())
            for p in model.logits_proj.parameters():
                p.grad = None
        opt.step()
    folder = tmp_path / ("cut" if cut_head else "ok") / "checkpoint-6"
    model.save_pretrained(folder)
    torch.save(opt.state_dict(), folder / "optimizer.pt")
    return folder


def _share(folder: Path) -> tuple[float, str]:
    found = check_findings(probe_optimizer(Inputs(checkpoint=folder), ProbeContext()),
                           "checkpoint.optimizer")
    share = next(f for f in found if f.fact == "optimizer.never_stepped_share")
    return float(share.value), str(share.evidence)


def test_parameters_the_library_never_uses_are_not_a_cut_graph(tmp_path: Path) -> None:
    share, words = _share(_hf_checkpoint(tmp_path, cut_head=False))
    assert share == 0.0
    assert "XLNetForSequenceClassification" in words and "transformer.mask_emb" in words


def test_a_head_that_got_no_gradient_still_counts(tmp_path: Path) -> None:
    share, words = _share(_hf_checkpoint(tmp_path, cut_head=True))
    assert share > 0.0 and "the rest without state: 2" in words


def _language_model_share(tmp_path: Path, model: torch.nn.Module, ids: torch.Tensor
                          ) -> tuple[float, str]:
    """A language model trained 4 AdamW steps on ``ids`` (its labels the ids), saved as the
    Trainer lays a checkpoint out, read back by the optimizer probe."""
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for _ in range(4):
        opt.zero_grad()
        model(input_ids=ids, labels=ids).loss.backward()
        opt.step()
    folder = tmp_path / "checkpoint-4"
    model.save_pretrained(folder)
    torch.save(opt.state_dict(), folder / "optimizer.pt")
    return _share(folder)


def test_a_decoder_trained_alone_leaves_its_cross_attention_unused_by_design(
        tmp_path: Path) -> None:
    """Set 399's healthy TrOCR decoder, trained as a causal language model by the Trainer:
    its cross-attention (``encoder_attn``) never gets a gradient without an encoder, and
    read from checkpoint and log it was a 0.83 cut graph with exit 1."""
    torch.manual_seed(0)
    config = transformers.TrOCRConfig(vocab_size=40, d_model=16, decoder_layers=2,
                                      decoder_attention_heads=2, decoder_ffn_dim=32,
                                      max_position_embeddings=32, pad_token_id=0)
    share, words = _language_model_share(tmp_path, transformers.TrOCRForCausalLM(config),
                                         torch.randint(1, 40, (8, 12)))
    assert share == 0.0
    assert "TrOCRForCausalLM" in words and "encoder_attn" in words


def test_a_text_only_masked_lm_leaves_its_image_patch_tower_unused_by_design(
        tmp_path: Path) -> None:
    """Set 409's healthy NeoMME masked LM, trained by the Trainer on text alone: its image
    patch embeddings never get a gradient, and read from checkpoint and log it was a 0.80 cut
    graph with exit 1."""
    torch.manual_seed(0)
    config = transformers.NeoMMEConfig(vocab_size=30, hidden_size=32, intermediate_size=64,
                                       num_hidden_layers=2, num_attention_heads=2,
                                       num_key_value_heads=1, head_dim=16,
                                       max_position_embeddings=32, pad_token_id=0)
    share, words = _language_model_share(tmp_path, transformers.NeoMMEForMaskedLM(config),
                                         torch.randint(7, 30, (8, 12)))
    assert share == 0.0
    assert "NeoMMEForMaskedLM" in words and "patch_embeddings" in words
