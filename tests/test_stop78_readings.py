"""Stop 78: one weight std for every layer is read by its median multiple of Kaiming; the
live fitting checks train a model file's robust regression loss (Huber) with that loss, not
MSE; a short log whose loss had not begun to fall says so."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_overfit
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from dldoctor.probes.source_scan import robust_regression_loss
from dldoctor.probes.static_probes import probe_weights
from tests.support import check_findings, values_of, write_csv_log


def test_one_std_for_every_layer_is_read_by_its_median_multiple(tmp_path: Path) -> None:
    """N(0, 1) in every layer of a 6 → 128 → … → 1 MLP: the first layer holds it at only
    1.75× its Kaiming std, the rest at 8× (the smallest multiple had hidden the pattern)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                          nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                          nn.Linear(128, 1))
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.normal_(layer.weight, std=1.0)
    torch.save(model.state_dict(), tmp_path / "glide.pt")
    found = values_of(check_findings(probe_weights(Inputs(checkpoint=tmp_path / "glide.pt"),
                                                   ProbeContext())))
    assert 7.0 < found["weights.one_std_over_kaiming"] < 9.0


def test_kaiming_layers_hold_no_one_std(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                          nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    torch.save(model.state_dict(), tmp_path / "plain.pt")
    found = values_of(probe_weights(Inputs(checkpoint=tmp_path / "plain.pt"), ProbeContext()))
    assert "weights.one_std_over_kaiming" not in found


_HUBER_MODEL = '''
import torch
import torch.nn.functional as F
from torch import nn


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 1))


if __name__ == "__main__":
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    x, y = torch.randn(64, 4), torch.randn(64, 1)
    for _ in range(10):
        loss = F.huber_loss(model(x), y, delta=1.0)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def test_a_model_file_that_trains_with_huber_is_fitted_with_huber(tmp_path: Path) -> None:
    model = tmp_path / "scrum.py"
    model.write_text(_HUBER_MODEL)
    spec = f"{model}:build"
    assert robust_regression_loss(spec) == "huber"
    x = torch.randn(64, 4, generator=torch.Generator().manual_seed(1))
    torch.save((x, x[:, :1] * 2.0 - x[:, 1:2]), tmp_path / "batch.pt")
    found = check_findings(probe_overfit(Inputs(model=spec, batch=tmp_path / "batch.pt",
                                                device="cpu"), ProbeContext()))
    words = {f.fact: str(f.evidence) for f in found}
    assert "Huber loss your model file trains with" in words["overfit.fit_with_a_standard_loss"]


def test_a_file_with_mse_beside_huber_keeps_the_standard_loss(tmp_path: Path) -> None:
    model = tmp_path / "mixed.py"
    model.write_text(_HUBER_MODEL.replace(
        "        loss = F.huber_loss(model(x), y, delta=1.0)",
        "        loss = F.huber_loss(model(x), y) + F.mse_loss(model(x), y)"))
    assert robust_regression_loss(f"{model}:build") is None


def _short(tmp_path: Path, losses: list[float]) -> dict[str, object]:
    log = write_csv_log(tmp_path / "roast.csv", {"epoch": list(range(len(losses))),
                                                 "train_ce": losses})
    return values_of(curve_findings(read_logs([log])))


def test_a_short_log_that_barely_moved_had_not_begun_its_curve(tmp_path: Path) -> None:
    """Two epochs of a 4-class CNN: 1.39 → 1.36, next to ln 4 = 1.39."""
    assert _short(tmp_path, [1.392, 1.357])["loss.short_log_unmoved"] is True


def test_a_short_log_that_fell_a_fifth_had_begun(tmp_path: Path) -> None:
    assert _short(tmp_path, [1.37, 1.14])["loss.short_log_unmoved"] is False


def test_a_gru_gates_its_recurrence_whatever_its_heads_relu() -> None:
    from dldoctor.probes.live_structure import recurrence_bounded_finding

    gru = nn.ModuleDict({"gru": nn.GRU(4, 8), "head": nn.Sequential(nn.Linear(8, 8), nn.ReLU())})
    relu_rnn = nn.ModuleDict({"rnn": nn.RNN(4, 8, nonlinearity="relu")})
    found = recurrence_bounded_finding(gru)
    assert found is not None and found.value is True
    found = recurrence_bounded_finding(relu_rnn)
    assert found is not None and found.value is False
    assert recurrence_bounded_finding(nn.Sequential(nn.Linear(4, 1))) is None


def test_why_skip_and_back_are_understood_at_a_close_call(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The line prompt's symptom choice had refused ``why`` and ``back`` as no number."""
    from dldoctor.cli.prompt import choose_symptom
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import NeedsChoice, Session

    session = Session(load_knowledge())
    step = NeedsChoice(piece="my loss is stuck",
                       options=tuple(session.match("my loss is stuck")[:2]))
    replies = iter(["why", "back", "skip"])
    assert choose_symptom(session, step, read=lambda _prompt: next(replies)) is None
    captured = capsys.readouterr()
    out = captured.out + captured.err  # the conversation goes to stderr when stdout is a pipe
    assert "asks rather than guesses" in out and "No answer of yours to take back yet" in out
    assert "type a number" not in out


def test_a_plain_module_or_a_folder_without_config_has_no_hub_format(tmp_path: Path) -> None:
    from dldoctor.probes.models import _hub_format

    torch.save(nn.Linear(2, 1).state_dict(), tmp_path / "w.pt")
    assert _hub_format(nn.Linear(2, 1), tmp_path / "w.pt") is None


def test_a_hub_format_checkpoint_is_read_by_its_models_own_loader(tmp_path: Path) -> None:
    """transformers 5 saves NomicBert's attention fused as ``Wqkv`` under hub names: only 4
    of 24 tensors matched the model by name, and a healthy Trainer run was refused."""
    transformers = pytest.importorskip("transformers")
    if not hasattr(transformers, "NomicBertConfig"):
        pytest.skip("this transformers has no NomicBert")
    from dldoctor.probes.models import load_weights

    config = transformers.NomicBertConfig(vocab_size=64, n_embd=32, n_head=2, n_layer=1,
                                          n_inner=64, n_positions=16, num_labels=3)
    torch.manual_seed(0)
    trained = transformers.NomicBertForTokenClassification(config)
    trained.save_pretrained(tmp_path / "checkpoint-10")
    model = f"{tmp_path / 'factory.py'}:build"
    (tmp_path / "factory.py").write_text(
        "import torch, transformers\n\ndef build():\n"
        "    return transformers.NomicBertForTokenClassification(transformers.NomicBertConfig("
        "vocab_size=64, n_embd=32, n_head=2, n_layer=1, n_inner=64, n_positions=16, "
        "num_labels=3))\n")
    from dldoctor.probes.models import build_model

    fresh = build_model(model)
    assert load_weights(fresh, Inputs(checkpoint=tmp_path / "checkpoint-10", model=model),
                        ProbeContext())
    assert torch.equal(fresh.classifier.weight, trained.classifier.weight)


def test_a_run_of_a_token_other_than_the_declared_pad_is_no_padding() -> None:
    """A vat sheet's first readings, all "liquid" (id 2), open most rows; the model's config
    pads with id 0, which the batch never holds: the run is a real token."""
    from dldoctor.probes.padding import padding_findings

    g = torch.Generator().manual_seed(0)
    starts = torch.randint(2, 12, (64,), generator=g)
    ids = torch.randint(3, 10, (64, 32), generator=g)
    ids[torch.arange(32) < starts[:, None]] = 2
    labels = (ids > 6).long()
    assert padding_findings(ids, labels, builtin_loss=True, declared=0) == []
    found = values_of(padding_findings(ids, labels, builtin_loss=True))
    assert found["loss.counts_padding"] is True  # undeclared, the run reads as left padding


class _Masked(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.Embedding(16, 4)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return (self.emb(input_ids) * attention_mask[..., None]).sum(1)


def test_a_required_attention_mask_the_batch_lacks_comes_from_its_padding(
        tmp_path: Path) -> None:
    """A Trainer classifier whose ``forward(input_ids, attention_mask)`` had no default mask
    was refused on a batch saved as ``{"inputs", "targets"}``."""
    from dldoctor.probes.extra_inputs import bind_extras
    from dldoctor.probes.models import Batch

    ids = torch.randint(2, 16, (8, 10), generator=torch.Generator().manual_seed(0))
    ids[:4, 7:] = 0  # four rows padded with 0 at the end
    model = _Masked()
    bind_extras(model, Batch(inputs=ids, targets=torch.zeros(8, dtype=torch.long),
                             source=tmp_path / "batch.pt"))
    expected = (model.emb(ids) * (ids != 0).long()[..., None]).sum(1)
    assert torch.allclose(model(ids), expected)


def _open_facts(log: Path) -> set[str]:
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    session = Session(load_knowledge(), Inputs(logs=(log,)))
    session.run_probes()
    return {q.fact for q in session.open_questions(limit=100)}


def test_a_log_whose_loss_is_named_as_a_regression_error_is_asked_nothing_of_classes(
        tmp_path: Path) -> None:
    """A new user's Huber regression: 'Is the validation accuracy stuck at chance level?'"""
    falls = [2.22 * 0.99 ** i for i in range(30)]
    regression = write_csv_log(tmp_path / "huber.csv", {
        "epoch": list(range(30)), "train_huber": falls, "val_huber": [v * 1.02 for v in falls]})
    unnamed = write_csv_log(tmp_path / "loss.csv", {
        "epoch": list(range(30)), "train_loss": falls, "val_loss": [v * 1.02 for v in falls]})
    classes = {"val.acc_at_chance", "val.acc_at_majority", "loss.initial_too_high"}
    assert not classes & _open_facts(regression)
    assert classes & _open_facts(unnamed)  # a bare "loss" may be a classifier's


def test_the_generic_rate_advice_yields_to_the_sweeps_measured_best() -> None:
    """A rate 100× too low was told both "set it to 0.01 — the sweep's best" and "multiply
    it by 3–10" (which reaches 1e-3 at most)."""
    from dldoctor.engine.values import MISSING
    from dldoctor.fix_fit import fit

    up = "Multiply the learning rate by 3–10, or sweep the grid 1 … 1e-5"
    down = "Divide the learning rate by 10 and retry."
    assert fit(up, None, {"lr_sweep.best_over_current": 100.0}.get) == "drop"
    assert fit(up, None, lambda fact: MISSING) == "keep"  # no sweep: the rule of thumb stays
    assert fit(down, None, {"lr_sweep.best_over_current": 0.1}.get) == "drop"
    assert fit(down, None, {"lr_sweep.best_over_current": 10.0}.get) == "keep"
