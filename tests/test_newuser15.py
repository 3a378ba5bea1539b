"""What the fifteenth new user showed (stop 32): a per-epoch schedule stepped every batch read
from the log's own learning-rate column, a softmax cross-entropy over multi-hot targets read
from the logged loss, statements of what the loop does understood, and three hostile inputs
(an infinite step, a folder of text logs, a bare tensor saved as a checkpoint)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms, symptoms_named
from dldoctor.errors import InputError
from dldoctor.kb import BUILTIN_KB
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.checkpoints import load_checkpoint
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.logs import read_logs
from dldoctor.probes.loss_match import loss_match_findings
from tests.support import values_of, write_csv_log


def _curves(path: Path) -> dict[str, object]:
    return values_of(probe_curves(Inputs(logs=(path,)), ProbeContext()))


def test_a_rate_gone_within_the_first_of_eight_epochs_is_a_schedule_stepped_per_batch(tmp_path):
    rows = 8 * 60
    per_batch = [2e-3 * 0.9 ** i for i in range(rows)]  # ExponentialLR(0.9) stepped per batch
    per_epoch = [2e-3 * 0.9 ** (i // 60) for i in range(rows)]  # as meant
    loss = [0.1 + 0.5 * 0.99 ** i for i in range(rows)]
    epoch = [float(i // 60) for i in range(rows)]
    steps = [float(i) for i in range(rows)]
    bad = write_csv_log(tmp_path / "bad.csv", {"step": steps, "epoch": epoch, "loss": loss,
                                                "lr": per_batch})
    good = write_csv_log(tmp_path / "good.csv", {"step": steps, "epoch": epoch, "loss": loss,
                                                  "lr": per_epoch})
    assert _curves(bad)["loop.lr_collapsed_early"] is True
    assert _curves(good)["loop.lr_collapsed_early"] is False


def test_a_softmax_over_multi_hot_targets_is_read_off_the_logged_loss(tmp_path):
    g = torch.Generator().manual_seed(0)
    targets = (torch.rand(100, 8, generator=g) < 0.25).float()
    targets[:, 0] = 1.0  # every row has a label; many have two or three
    logits = 2 * targets + 0.3 * torch.randn(100, 8, generator=g)
    softmax = float(-(targets * F.log_softmax(logits, 1)).sum(1).mean())
    bce = float(F.binary_cross_entropy_with_logits(logits, targets))

    def read(end: float) -> dict[str, object]:
        path = write_csv_log(tmp_path / f"log{end:.3f}.csv",
                             {"step": [float(i) for i in range(10)], "loss": [end] * 10})
        return values_of(loss_match_findings(logits, targets, Inputs(logs=(path,)),
                                             ProbeContext()))

    assert read(softmax)["loss.softmax_over_multi_hot"] is True
    assert read(bce)["loss.softmax_over_multi_hot"] is False
    one_hot = F.one_hot(torch.arange(100) % 8, 8).float()  # single-label: not this check's
    path = write_csv_log(tmp_path / "one.csv", {"step": [0.0, 1.0, 2.0], "loss": [1.0] * 3})
    assert loss_match_findings(logits, one_hot, Inputs(logs=(path,)), ProbeContext()) == []


@pytest.mark.parametrize(("text", "fact"), [
    ("I use ExponentialLR(gamma=0.9) and call scheduler.step() inside the batch loop",
     "loop.scheduler_in_batch_loop"),
    ("我用的是ExponentialLR，在每个batch里调用scheduler.step()", "loop.scheduler_in_batch_loop"),
    ("loss stalls around 2.3; I use nn.CrossEntropyLoss on the multi-hot targets",
     "loss.softmax_over_multi_hot"),
    ("多标签分类，我用nn.CrossEntropyLoss配多热(multi-hot)标签", "loss.softmax_over_multi_hot"),
])
def test_what_a_person_says_their_loop_does_is_understood(text, fact):
    kb = load_kb([BUILTIN_KB])
    implied = {f for m in symptoms_named(match_symptoms(kb, text, limit=20))
               for f in kb.symptoms[m.symptom].implies}
    assert fact in implied


def test_an_infinite_step_is_a_corrupt_row_and_a_folder_of_text_logs_is_no_tensorboard_run(
        tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("step,loss\n0,1.0\n1,0.5\n1e999,-inf\n2,0.4\n3,0.3\n")
    metrics = read_logs((path,))
    loss = metrics.series["loss"]
    assert list(loss.values) == [1.0, 0.5, 0.4, 0.3]
    assert any("infinite" in str(note) for note in metrics.unused)
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello\n")
    with pytest.raises(InputError, match="no log dldoctor finds by itself"):
        read_logs((folder,))


def test_a_bare_tensor_saved_as_a_checkpoint_is_named_as_such(tmp_path):
    torch.save(torch.zeros(3, 3), tmp_path / "t.pt")
    with pytest.raises(InputError, match=r"one bare tensor \(3 × 3\)"):
        load_checkpoint(tmp_path / "t.pt", False, ProbeContext())


def test_a_checkpoint_of_another_model_is_refused_not_mixed_into_the_live_checks(tmp_path):
    from dldoctor.probes.models import load_model

    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n\ndef build():\n    return nn.Sequential(nn.Linear(4, 3))\n")
    other = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Conv2d(2, 2, 3))
    torch.save({"model": other.state_dict()}, tmp_path / "ae.pt")
    inputs = Inputs(checkpoint=tmp_path / "ae.pt", model=f"{tmp_path / 'model.py'}:build")
    with pytest.raises(InputError, match="none of its 4 weights matches a parameter"):
        load_model(inputs, ProbeContext())
    # the same model under a Lightning module's own attribute name still loads
    own = torch.nn.Sequential(torch.nn.Linear(4, 3))
    torch.save({"state_dict": {f"encoder_model.{k}": v for k, v in own.state_dict().items()}},
               tmp_path / "pl.ckpt")
    loaded = load_model(Inputs(checkpoint=tmp_path / "pl.ckpt",
                               model=f"{tmp_path / 'model.py'}:build"), ProbeContext())
    assert torch.equal(loaded[0].weight, own[0].weight)


def test_warnings_about_dldoctor_s_own_vectorised_sweep_are_not_the_person_s_notes():
    from dldoctor.probes.quiet import warning_line

    assert warning_line(UserWarning, "There is a performance drop because we have not yet "
                        "implemented the batching rule for aten::embedding_bag.padding_idx.") \
        is None
    long = warning_line(UserWarning, "word " * 80)
    assert long is not None and long.endswith("word …") and len(long) < 230


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Inputs are within a workable scale (|mean| at most 1, std within 0.05–5) — mean 0.216"),
    ("zh", "输入在可用的尺度内（均值绝对值不超过 1，标准差在 0.05–5 之内） — mean 0.216"),
])
def test_a_negative_statement_that_does_not_hold_is_said_positively(lang, said):
    """Not "Not so: Inputs are not normalised" (a double negative a new user read under a
    "for")."""
    from dldoctor.engine.memory import Fact
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.report import _evidence_line
    from dldoctor.session import Session

    session = Session(load_knowledge(), lang=lang)
    fact = Fact("input.not_normalized", False, "probe", "probe:live.forward",
                evidence="mean 0.216")
    assert _evidence_line(session, fact) == f"{said} [probe:live.forward]"


def test_one_constant_output_says_nothing_of_how_the_loss_read_it(tmp_path):
    """The eighteenth set's all-zero Deep Sets model gives 0.13 for every bag: as a probability
    fed to BCE-with-logits or as a logit, a near-zero constant costs about ln 2 — no reading
    (it had made a wrong activation_before_softmax 0.80)."""
    path = write_csv_log(tmp_path / "log.csv", {"step": [float(i) for i in range(10)],
                                                "loss": [0.6926] * 10})
    constant = torch.full((64,), 0.13)
    targets = (torch.arange(64) % 2).float()
    assert loss_match_findings(constant, targets, Inputs(logs=(path,)), ProbeContext()) == []


def test_a_classifier_that_gives_a_mixed_batch_one_class_learnt_one_answer():
    """The eighteenth set's link predictor trained on labels that are all ones calls every pair
    of a half-negative batch a link; a model that separates them gives two classes."""
    from pathlib import Path as _Path

    from dldoctor.probes.live_output import one_class_findings
    from dldoctor.probes.models import Batch

    targets = (torch.arange(40) % 2).float()
    batch = Batch(torch.zeros(40, 3), targets, _Path("batch.pt"))
    constant = values_of(one_class_findings(torch.full((40,), 3.0) + 0.1 * targets, batch))
    assert constant["output.one_class_for_mixed_batch"] is True
    separated = values_of(one_class_findings(4 * targets - 2, batch))
    assert separated["output.one_class_for_mixed_batch"] is False
    scores = torch.zeros(40, 4)
    scores[:, 2] = 1.0  # class indices against (N, C) scores: one argmax for all
    indexed = Batch(torch.zeros(40, 3), torch.arange(40) % 4, _Path("batch.pt"))
    assert values_of(one_class_findings(scores, indexed))["output.one_class_for_mixed_batch"]
    mostly_one = Batch(torch.zeros(40, 3), (torch.arange(40) < 4).long(), _Path("batch.pt"))
    assert one_class_findings(torch.zeros(40, 2), mostly_one) == []  # 10 %: not mixed
