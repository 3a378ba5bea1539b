"""Readings added at stop 73: a softmax head's bias gradient beyond what one backward pass can
give (gradients summed in .grad), one input column that sorts a batch's labels into unbroken
runs (the label cut from it), a dict batch saved in forward's argument order under other
names, a recurrent model read from --model without a checkpoint, and a pasted error message
read apart from the words around it."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.label_leak import label_leak_findings
from dldoctor.probes.models import load_batch
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import values_of


def _train_classifier(path: Path, clear_every: int, sgd: bool = False) -> Path:
    """A 4-class MLP on blobs, Adam (or SGD with momentum), 80 steps of batch 32, its
    gradients cleared every ``clear_every`` steps (1: as it should be)."""
    gen = torch.Generator().manual_seed(0)
    centres = 3.0 * torch.randn(4, 6, generator=gen)
    y = torch.arange(4).repeat_interleave(64)
    x = centres[y] + torch.randn(len(y), 6, generator=gen)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9) if sgd else \
        torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(80):
        if step % clear_every == 0:
            opt.zero_grad()
        idx = torch.randint(0, len(y), (32,), generator=gen)
        nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
    return path


@pytest.mark.parametrize(("clear_every", "summed", "sgd"),
                         [(1, False, False), (40, True, False), (1, False, True), (40, True, True)])
def test_a_head_bias_gradient_beyond_one_step_is_gradients_summed(
        tmp_path: Path, clear_every: int, summed: bool, sgd: bool) -> None:
    """Cleared every step, the 4-way softmax head's bias gradient RMS stays under √(2/4)
    (Adam's √v̂, or SGD's momentum buffer times 1 − momentum); cleared once every 40 steps
    (zero_grad once an epoch), it exceeds it."""
    path = _train_classifier(tmp_path / "c.pt", clear_every, sgd)
    found = values_of(probe_optimizer(Inputs(checkpoint=path), ProbeContext()))
    ratio = found["optimizer.head_bias_over_one_step"]
    assert (ratio >= 1.3) is summed and (ratio < 1) is not summed


def test_no_softmax_head_leaves_the_bound_unknown(tmp_path: Path) -> None:
    """A regression head's bias has no such bound: the reading is there, unknown, so rules
    that weigh it against other readings are not left waiting for it."""
    from dldoctor.engine.values import UNKNOWN

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    opt = torch.optim.Adam(model.parameters())
    for _ in range(60):
        opt.zero_grad()
        model(torch.randn(8, 4)).pow(2).mean().backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "r.pt")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "r.pt"), ProbeContext()))
    assert found["optimizer.head_bias_over_one_step"] is UNKNOWN


def test_a_column_the_label_is_cut_from_is_found_and_a_strong_feature_is_not() -> None:
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(64, 5, generator=gen)
    cut = (x[:, 2] > 0.3).long()  # the label computed from column 2
    found = values_of(label_leak_findings(x, cut))
    assert found["data.label_cut_from_column"] is True and found["data.label_cut_column"] == 2
    noisy = (x[:, 2] + 0.5 * torch.randn(64, generator=gen) > 0.3).long()  # a strong feature
    assert values_of(label_leak_findings(x, noisy))["data.label_cut_from_column"] is False
    three = torch.bucketize(x[:, 4].contiguous(), torch.tensor([-0.5, 0.5]))  # two cuts
    assert values_of(label_leak_findings(x, three))["data.label_cut_column"] == 4


def test_a_dict_saved_in_forward_order_under_other_names(tmp_path: Path) -> None:
    """``{"mould", "inputs", "targets"}`` for ``forward(m, x)``: the first saved tensor is the
    first argument; a dict that names an argument is read by its names."""
    mould, feats, y = torch.arange(8) % 3, torch.randn(8, 4), torch.arange(8) % 2
    torch.save({"mould": mould, "inputs": feats, "targets": y}, tmp_path / "b.pt")
    batch = load_batch(tmp_path / "b.pt", first="m", others=("x",))
    assert torch.equal(batch.inputs, mould) and torch.equal(batch.named["inputs"], feats)
    torch.save({"mask": mould, "inputs": feats, "targets": y}, tmp_path / "n.pt")
    named = load_batch(tmp_path / "n.pt", first="x", others=("mask",))
    assert torch.equal(named.inputs, feats)


def test_a_pasted_message_is_read_apart_from_the_words_before_it() -> None:
    from dldoctor.engine.symptoms import match_symptoms, symptoms_named

    said = ("after four batches it stops with IndexError: Target 5 is out of bounds, "
            "somewhere inside cross_entropy")
    named = symptoms_named(match_symptoms(load_knowledge(), said))
    assert [m.symptom for m in named] == ["target_out_of_bounds"] and named[0].score >= 90


def test_a_scheduler_stepped_per_batch_against_the_epochs_a_run_saved(tmp_path: Path) -> None:
    """StepLR(step_size=8) stepped 125 times an epoch over 30 epochs, the epochs saved as
    ``epochs_run``: stepped per batch; stepped once an epoch: not."""
    model = nn.Linear(4, 3)
    for per_batch in (True, False):
        opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
        for _ in range(30 * (125 if per_batch else 1)):
            opt.step()
            sched.step()
        path = tmp_path / f"{per_batch}.pt"
        torch.save({"weights": model.state_dict(), "sgd": opt.state_dict(),
                    "sched": sched.state_dict(), "epochs_run": 30}, path)
        found = values_of(probe_optimizer(Inputs(checkpoint=path), ProbeContext()))
        assert found["loop.scheduler_in_batch_loop"] is per_batch


def test_a_class_recall_logged_per_class_that_stays_low_under_high_accuracy(
        tmp_path: Path) -> None:
    """``rec_holds``, ``rec_slips``, ``rec_frays`` beside a validation accuracy of 0.955: the
    lowest is read, and a recall of 0.33 under that accuracy is a rare class mostly missed
    (at most 0.067 of the samples); ``rec_loss`` stays a reconstruction loss's name."""
    from dldoctor.probes.log_probes import probe_curves
    from dldoctor.probes.metric_names import canonical_name

    rows = ["epoch,ce,val_ce,val_acc,rec_holds,rec_slips,rec_frays"]
    for epoch in range(1, 21):
        late = epoch / 20
        rows.append(f"{epoch},{0.5 - 0.02 * epoch:.3f},{0.3 - 0.008 * epoch:.3f},"
                    f"{0.949 + 0.006 * late:.4f},{1 - 0.013 * late:.4f},{0.4 * late:.4f},"
                    f"{0.333 * late:.4f}")
    (tmp_path / "log.csv").write_text("\n".join(rows) + "\n")
    found = values_of(probe_curves(Inputs(logs=(tmp_path / "log.csv",)), ProbeContext()))
    assert found["metric.rare_class_mostly_missed"] is True
    assert canonical_name("rec_loss") != canonical_name("rec_frays")


def test_why_a_question_is_asked_never_shows_a_raw_placeholder() -> None:
    """A rule that quotes a measurement it has not seen yet says "…" where the value goes
    (the chat's "why" panel had shown ``{=optimizer.head_bias_one_class_ratio}×``)."""
    from dldoctor.engine.explain import why
    from dldoctor.session import Session

    session = Session(load_knowledge(), lang="en")
    session.complain("my loss does not go down")
    texts = [why(session.engine, fact, "en").text(session.engine, "en")
             for fact in session.kb.facts]
    assert not any("{=" in text for text in texts)
    assert any("…" in text for text in texts)


def test_a_healthy_run_with_a_summed_loss_is_no_missing_zero_grad(tmp_path: Path) -> None:
    """Adam with CrossEntropyLoss(reduction='sum') trains as well as with the mean, though its
    head bias's gradients exceed one mean-reduced step's bound: with a healthy log beside it,
    the reading alone diagnoses nothing."""
    from dldoctor.session import Session

    gen = torch.Generator().manual_seed(0)
    centres = 3.0 * torch.randn(4, 6, generator=gen)
    y = torch.arange(4).repeat_interleave(64)
    x = centres[y] + torch.randn(len(y), 6, generator=gen)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 4))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = ["step,loss,val_loss,val_acc"]
    for step in range(300):
        idx = torch.randint(0, len(y), (32,), generator=gen)
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x[idx]), y[idx], reduction="sum")
        loss.backward()
        opt.step()
        if step % 20 == 19:
            with torch.no_grad():
                out = model(x)
                rows.append(f"{step},{loss.item() / 32:.5f},"
                            f"{nn.functional.cross_entropy(out, y).item():.5f},"
                            f"{(out.argmax(1) == y).float().mean().item():.4f}")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "c.pt")
    (tmp_path / "log.csv").write_text("\n".join(rows) + "\n")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "c.pt"), ProbeContext()))
    assert found["optimizer.head_bias_over_one_step"] >= 1.3
    session = Session(load_knowledge(), Inputs(checkpoint=tmp_path / "c.pt",
                                               logs=(tmp_path / "log.csv",)))
    session.run_probes()
    assert session.engine.cause_cf("missing_zero_grad") < 0.5
