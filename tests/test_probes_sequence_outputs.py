"""Sequence models under the live probes: per-position logits laid out (batch, time, classes),
targets padded with -100, and Hugging Face's label conventions (a causal LM shifts its labels
inside forward; an encoder–decoder builds its decoder inputs from them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_backward, probe_forward, probe_overfit
from dldoctor.probes.losses import class_count, loss_for
from dldoctor.probes.models import batch_for
from tests.support import check_findings, values_of

_HEADER = "import types\nimport torch\nfrom torch import nn\n\n"

_TAGGER = '''
class Tagger(nn.Module):
    """Token ids in, (batch, time, tags) scores out, as most taggers and LMs return them."""
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(30, 16)
        self.rnn = nn.GRU(16, 32, batch_first=True)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        return self.head(self.rnn(self.emb(x))[0])

def make():
    torch.manual_seed(0)
    return Tagger()
'''

#: The calling convention of a Hugging Face encoder–decoder (T5, BART): it cannot run
#: without decoder inputs, and builds them from labels by shifting them right.
_SEQ2SEQ = '''
class TinySeq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.config = types.SimpleNamespace(is_encoder_decoder=True, pad_token_id=0)
        self.src = nn.Embedding(20, 16)
        self.tgt = nn.Embedding(20, 16)
        self.enc = nn.GRU(16, 32, batch_first=True)
        self.dec = nn.GRU(16, 32, batch_first=True)
        self.head = nn.Linear(32, 20)

    def prepare_decoder_input_ids_from_labels(self, labels):
        start = torch.zeros_like(labels[:, :1])
        shifted = torch.cat([start, labels[:, :-1]], 1)
        return shifted.masked_fill(shifted == -100, 0)

    def forward(self, input_ids=None, attention_mask=None, decoder_input_ids=None):
        if decoder_input_ids is None:
            raise ValueError("You have to specify either decoder_input_ids or inputs_embeds")
        _, h = self.enc(self.src(input_ids))
        out, _ = self.dec(self.tgt(decoder_input_ids), h)
        return types.SimpleNamespace(logits=self.head(out))

def make():
    torch.manual_seed(0)
    return TinySeq2Seq()
'''

_CAUSAL = '''
class TinyLMHeadModel(nn.Module):
    """Named like GPT2LMHeadModel: a causal LM trained on labels == input ids."""
    def __init__(self):
        super().__init__()
        self.config = types.SimpleNamespace(is_encoder_decoder=False)
        self.emb = nn.Embedding(30, 16)
        self.rnn = nn.GRU(16, 32, batch_first=True)
        self.lm_head = nn.Linear(32, 30)

    def forward(self, input_ids=None):
        return types.SimpleNamespace(logits=self.lm_head(self.rnn(self.emb(input_ids))[0]))

def make():
    torch.manual_seed(0)
    return TinyLMHeadModel()
'''


def _inputs(tmp_path: Path, source: str, x: torch.Tensor, y: torch.Tensor) -> Inputs:
    factory = tmp_path / "net.py"
    factory.write_text(_HEADER + source)
    batch = tmp_path / "batch.pt"
    torch.save((x, y), batch)
    return Inputs(model=f"{factory}:make", batch=batch, device="cpu")


def _facts(probe, inputs: Inputs, probe_id: str) -> tuple[dict[str, object], list[str]]:
    ctx = ProbeContext()
    return values_of(check_findings(probe(inputs, ctx), probe_id)), ctx.notes


def test_time_major_logits_and_padding_labels_score_as_cross_entropy() -> None:
    logits = torch.randn(4, 7, 11, generator=torch.Generator().manual_seed(0))
    labels = torch.randint(0, 11, (4, 7), generator=torch.Generator().manual_seed(1))
    labels[:, 5:] = -100  # padding, as HF collators write it
    loss, kind = loss_for(logits, labels)
    keep = labels.reshape(-1) != -100
    expected = F.cross_entropy(logits.reshape(-1, 11)[keep], labels.reshape(-1)[keep])
    assert kind == "cross-entropy" and torch.allclose(loss, expected)
    assert class_count(logits, labels) == 11
    channels_first = logits.movedim(-1, 1)  # (batch, classes, time): PyTorch's own layout
    assert torch.allclose(loss_for(channels_first, labels)[0], expected)
    with pytest.raises(ValueError, match="ignored"):
        loss_for(logits, torch.full((4, 7), -100))


def test_a_tagger_returning_batch_time_tags_trains_under_every_check(tmp_path: Path) -> None:
    """Its backward pass, one-batch fit and sweep could not run before ("Expected target
    size [4, 5], got [4, 9]"): every training check was unknown for taggers and LMs."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(1, 30, (16, 9), generator=gen)
    y = x % 5
    y[:, 7:] = -100
    inputs = _inputs(tmp_path, _TAGGER, x, y)
    backward, notes = _facts(probe_backward, inputs, "live.backward")
    assert backward["grad.none_params"] is False and not notes
    overfit, notes = _facts(probe_overfit, inputs, "live.overfit_batch")
    assert overfit["overfit.outcome"] in ("drops_to_zero", "decreases_slowly"), notes


def test_an_encoder_decoder_runs_on_its_source_ids_and_teacher_forced_labels(
        tmp_path: Path) -> None:
    """Called with its source ids alone it raises (a T5 did: the run was refused); the decoder
    inputs are built from the labels the way the model itself builds them."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(1, 20, (16, 5), generator=gen)
    y = torch.flip(x, [1])  # learn to reverse the sequence
    inputs = _inputs(tmp_path, _SEQ2SEQ, x, y)
    batch = batch_for(inputs, ProbeContext())
    assert tuple(batch.inputs.shape) == (16, 10) and torch.equal(batch.targets, y)
    forward, notes = _facts(probe_forward, inputs, "live.forward")
    assert forward["batch.shape_mismatch"] is False and not notes
    overfit, notes = _facts(probe_overfit, inputs, "live.overfit_batch")
    assert overfit["overfit.outcome"] in ("drops_to_zero", "decreases_slowly"), notes


def test_a_causal_language_model_is_scored_on_the_next_token(tmp_path: Path) -> None:
    tokens = torch.randint(0, 30, (8, 12), generator=torch.Generator().manual_seed(0))
    inputs = _inputs(tmp_path, _CAUSAL, tokens, tokens.clone())
    batch = batch_for(inputs, ProbeContext())
    assert torch.equal(batch.inputs, tokens[:, :-1]) and torch.equal(batch.targets, tokens[:, 1:])
    # the same model without the HF name gets the batch as saved: no convention assumed
    plain = _inputs(tmp_path, _CAUSAL.replace("TinyLMHeadModel", "TinyNet"), tokens, tokens)
    assert torch.equal(batch_for(plain, ProbeContext()).inputs, tokens)


def test_a_real_t5_from_transformers_runs_the_live_checks(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    source = '''
from transformers import T5Config, T5ForConditionalGeneration

def make():
    torch.manual_seed(0)
    return T5ForConditionalGeneration(T5Config(
        vocab_size=40, d_model=16, d_kv=8, d_ff=32, num_layers=1, num_decoder_layers=1,
        num_heads=2, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0))
'''
    x = torch.randint(2, 40, (8, 4), generator=torch.Generator().manual_seed(0))
    y = torch.flip(x, [1])
    backward, notes = _facts(probe_backward, _inputs(tmp_path, source, x, y), "live.backward")
    assert backward["grad.none_params"] is False and not notes


def test_a_model_that_cannot_run_is_refused_with_the_batch_as_saved_not_the_float_retry(
        tmp_path: Path) -> None:
    """Without HF's label hook the encoder–decoder cannot run: the refusal quotes what the
    model said of the token ids, not the embedding's complaint about the float retry."""
    from dldoctor.errors import InputError

    source = _SEQ2SEQ.replace("def prepare_decoder_input_ids_from_labels", "def _unused")
    x = torch.randint(1, 20, (4, 5), generator=torch.Generator().manual_seed(0))
    with pytest.raises(InputError, match="decoder_input_ids") as refused:
        probe_forward(_inputs(tmp_path, source, x, x), ProbeContext())
    assert "Long" not in str(refused.value)


def _padded_tags(pad_target: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Sentences of 5-9 tokens padded with id 0 to 12, tags 0..4 ("O" = 0 the most common)."""
    gen = torch.Generator().manual_seed(0)
    x = torch.zeros(16, 12, dtype=torch.long)
    y = torch.full((16, 12), pad_target)
    for row in range(16):
        n = 5 + row % 5
        x[row, :n] = torch.randint(1, 30, (n,), generator=gen)
        y[row, :n] = torch.where(x[row, :n] % 3 == 0, x[row, :n] % 5, 0)
    return x, y


@pytest.mark.parametrize(("pad_target", "counted"), [(0, True), (-100, False), (7, UNKNOWN)])
def test_padding_labelled_with_a_real_class_is_counted_by_the_loss(
        tmp_path: Path, pad_target: int, counted: object) -> None:
    """A NER batch padded with "O" (0, a real tag) instead of -100: the loss averages over
    the padding (a healthy-looking 99 % token accuracy that misses the entities). -100 is
    skipped; a label of its own (7) depends on the user's ignore_index: unknown."""
    x, y = _padded_tags(pad_target)
    source = _TAGGER.replace("nn.Linear(32, 5)", "nn.Linear(32, 8)")
    forward, _ = _facts(probe_forward, _inputs(tmp_path, source, x, y), "live.forward")
    assert forward["loss.counts_padding"] is counted


def _trained_tagger(tmp_path: Path, ignore: int, pad_label: int = 7) -> tuple[Inputs, float]:
    """The tagger with padding labelled ``pad_label`` (7: a label of its own; 0: a real tag)
    trained with ``ignore_index=ignore``; its checkpoint and a log ending on the loss the run
    computed on the batch."""
    x, y = _padded_tags(pad_label)
    real = x != 0  # tags the tagger cannot learn in 40 steps: the real tokens keep a loss
    y[real] = torch.randint(0, 5, (int(real.sum()),), generator=torch.Generator().manual_seed(1))
    inputs = _inputs(tmp_path, _TAGGER.replace("nn.Linear(32, 5)", "nn.Linear(32, 8)"), x, y)
    from dldoctor.probes.models import build_model

    model = build_model(str(inputs.model))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    rows = ["step,loss,val_loss"]
    for step in range(40):
        loss = F.cross_entropy(model(x).reshape(-1, 8), y.reshape(-1), ignore_index=ignore)
        opt.zero_grad()
        loss.backward()
        opt.step()
        rows.append(f"{step},{loss.item():.5f},{loss.item():.5f}")
    torch.save(model.state_dict(), tmp_path / "tagger.pt")
    (tmp_path / "log.csv").write_text("\n".join(rows) + "\n")
    return Inputs(checkpoint=tmp_path / "tagger.pt", logs=(tmp_path / "log.csv",),
                  model=inputs.model, batch=inputs.batch, device="cpu"), loss.item()


@pytest.mark.parametrize(("ignore", "counted"), [(-100, True), (7, False)])
def test_the_log_tells_whether_a_padding_label_of_its_own_was_skipped(
        tmp_path: Path, ignore: int, counted: bool) -> None:
    """Padding labelled 7, a tag no real token has: the batch alone cannot say whether the
    run's loss skipped it (unknown above). The trained model's cross-entropy over every
    position and over the real tokens only lie far apart; the log ends on one of them."""
    inputs, _ = _trained_tagger(tmp_path, ignore)
    forward, _ = _facts(probe_forward, inputs, "live.forward")
    assert forward["loss.counts_padding"] is counted
    assert forward["labels.padding_value"] == 7


def test_an_ignore_index_on_a_real_tag_leaves_the_padding_out_and_the_tag_with_it(
        tmp_path: Path) -> None:
    """Padding labelled 0, which is also a real tag, and ignore_index=0: the padding is not
    counted (the log ends on the average without label 0) — the real tag is dropped instead,
    as the evidence says."""
    inputs, _ = _trained_tagger(tmp_path, ignore=0, pad_label=0)
    found = check_findings(probe_forward(inputs, ProbeContext()), "live.forward")
    padding = next(f for f in found if f.fact == "loss.counts_padding")
    assert padding.value is False and "every real token of class 0" in str(padding.evidence)

