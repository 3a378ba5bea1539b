"""Readings the sixty-fourth to sixty-seventh hand sets called for (stop 44): span pointers'
chance level, a first evaluation's gap that closes, zero matrices the optimizer never held,
a zero-initialised output row that trained apart, and one-unit layers left out of the
activation-scale reading."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of


def test_span_pointers_count_their_positions_as_the_classes(tmp_path: Path) -> None:
    """Start/end targets over 30 positions beside a head of one score per position: chance is
    a guess among the positions (ln 30), not among the head's one output."""
    from dldoctor.probes.task_info import classes_for

    head = nn.Linear(16, 1)
    torch.save({"model": nn.Sequential(nn.Linear(16, 16), head).state_dict()},
               tmp_path / "ckpt.pt")
    gen = torch.Generator().manual_seed(0)
    starts = torch.randint(0, 29, (64, 1), generator=gen)
    spans = torch.cat([starts, starts + 1], 1)
    torch.save((torch.randint(0, 50, (64, 30), generator=gen), spans), tmp_path / "batch.pt")
    inputs = Inputs(checkpoint=tmp_path / "ckpt.pt", batch=tmp_path / "batch.pt")
    assert classes_for(inputs, ProbeContext()) == int(spans.max()) + 1
    # class indices within a wider head stay the head's classes
    torch.save((torch.randn(64, 16), torch.randint(0, 3, (64,), generator=gen)),
               tmp_path / "cls.pt")
    torch.save({"model": nn.Sequential(nn.Linear(16, 16), nn.Linear(16, 5)).state_dict()},
               tmp_path / "c5.pt")
    assert classes_for(Inputs(checkpoint=tmp_path / "c5.pt", batch=tmp_path / "cls.pt"),
                       ProbeContext()) == 5


def test_a_first_evaluation_gap_that_closes_is_no_gap_from_the_start(tmp_path: Path) -> None:
    from dldoctor.probes.log_probes import curve_findings
    from dldoctor.probes.logs import read_log
    from tests.support import write_csv_log

    steps = [float(50 * (i + 1)) for i in range(12)]
    train = [0.2 * 0.75 ** i for i in range(12)]

    def gap(val: list[float]) -> object:
        path = write_csv_log(tmp_path / "f.csv", {"step": steps, "loss": train,
                                                 "val_loss": val})
        return values_of(curve_findings(read_log(path)))["val.gap_at_first_eval"]

    # validation learns as training does, then over-fits: the early gap closes
    assert gap([0.40, 0.19, 0.17, 0.175, 0.19, 0.21, 0.23, 0.25, 0.27, 0.29, 0.31, 0.33]) \
        is False
    # validation from elsewhere: far above from the start, and it never catches up
    assert gap([0.60, 0.58, 0.57, 0.57, 0.56, 0.56, 0.56, 0.55, 0.55, 0.55, 0.55, 0.55]) is True


class _Towers(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                                   nn.Linear(16, 16))
        self.click = nn.Linear(16, 1)
        self.buy = nn.Linear(16, 1)
        for head in (self.click, self.buy):
            nn.init.zeros_(head.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.trunk(x))
        return torch.cat([self.click(h), self.buy(h)], 1)


def test_zero_heads_the_optimizer_never_held_are_no_initialisation_fault(
        tmp_path: Path) -> None:
    """The purchase head left out of the optimizer stays at its zeros; the click head, started
    at zero too, trained apart: neither is a zero-initialisation fault."""
    from dldoctor.probes.live_structure import init_findings

    torch.manual_seed(0)
    model = _Towers()
    held = [p for n, p in model.named_parameters() if not n.startswith("buy.")]
    optimizer = torch.optim.Adam(held, lr=1e-2)
    x, y = torch.randn(64, 8), torch.randn(64, 2)
    for _ in range(20):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "ckpt.pt")
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "ckpt.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert found["optimizer.frozen_params"] is True
    assert found["optimizer.zero_weights_unheld"] is True
    torch.manual_seed(0)
    fresh = _Towers()
    init = init_findings(fresh, model)
    zero = next(f for f in init if f.fact == "init.all_zero")
    assert zero.details["layers"] == ["buy.weight = 0"]  # the click head trained apart


class _TwoHeads(nn.Module):
    """A drift net and a one-unit diffusion head (a Neural SDE's two outputs)."""

    def __init__(self) -> None:
        super().__init__()
        self.drift = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 4))
        self.scale = nn.Sequential(nn.Linear(4, 1), nn.Softplus())
        self.out = nn.Linear(5, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.cat([self.drift(x), 1e-3 * self.scale(x)], 1))


def test_a_one_unit_layer_says_nothing_of_how_the_signal_carries() -> None:
    from dldoctor.probes.live_forward import activation_findings, run_forward
    from dldoctor.probes.models import Batch

    torch.manual_seed(0)
    batch = Batch(torch.randn(64, 4), torch.randn(64, 5), Path("b.pt"))
    run = run_forward(_TwoHeads(), batch, torch.device("cpu"))
    low = next(f for f in activation_findings(run) if f.fact == "act.std_min")
    assert "scale" not in str(low.evidence) and low.value > 0.05


class _Tagger(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.Embedding(12, 8, padding_idx=0)
        self.out = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.emb(x).mean(1))


def test_batch_tokens_no_gradient_reached_are_counted(tmp_path: Path) -> None:
    """Trained on tokens 1–8 only; a batch holding token 10 looks up a row Adam never
    stepped — the padding row (all zeros) is not counted."""
    torch.manual_seed(0)
    model = _Tagger()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    x = torch.randint(1, 9, (64, 6))
    y = torch.randint(0, 3, (64,))
    for _ in range(5):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "ckpt.pt")
    seen = x[:8].clone()
    seen[:, -1] = 0  # padding
    torch.save((seen, y[:8]), tmp_path / "seen.pt")
    unseen = seen.clone()
    unseen[:, 0] = 10
    torch.save((unseen, y[:8]), tmp_path / "unseen.pt")

    def share(batch: str) -> object:
        found = probe_optimizer(Inputs(checkpoint=tmp_path / "ckpt.pt", batch=tmp_path / batch),
                                ProbeContext())
        return values_of(found).get("batch.unseen_token_share")

    assert share("seen.pt") == 0.0
    assert share("unseen.pt") == 0.2  # one of the five counted positions per row


class _TwoTowers(nn.Module):
    """Towers ending in tanh; the model returns 10 × their cosine similarity."""

    def __init__(self) -> None:
        super().__init__()
        self.query = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 8), nn.Tanh())
        self.doc = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 8), nn.Tanh())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q = nn.functional.normalize(self.query(x), dim=-1)
        d = nn.functional.normalize(self.doc(x.flip(0)), dim=-1)
        return 10 * q @ d.T


def test_a_last_activation_module_is_not_the_end_when_the_output_leaves_its_range() -> None:
    from dldoctor.probes.live_forward import run_forward
    from dldoctor.probes.live_output import output_findings
    from dldoctor.probes.models import Batch

    torch.manual_seed(0)
    batch = Batch(torch.randn(16, 6), torch.zeros(16, dtype=torch.long), Path("b.pt"))
    run = run_forward(_TwoTowers(), batch, torch.device("cpu"))
    last = (run.layers[-1].name, run.layers[-1].module)
    found = values_of(output_findings(run.output, last, batch.targets,
                                      raw=run.output_is_last_leaf))
    assert found["output.activation_after_logits"] is not True


def test_an_affine_of_a_layer_norm_over_two_axes_is_a_norm_layer(tmp_path: Path) -> None:
    """STGCN-style ``nn.LayerNorm([nodes, channels])``: weight and bias both (14, 32)."""
    from dldoctor.probes.static_probes import probe_weights

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(32, 32), nn.LayerNorm([14, 32]), nn.Linear(32, 3))
    torch.save(model.state_dict(), tmp_path / "w.pt")
    found = values_of(check_findings(probe_weights(Inputs(checkpoint=tmp_path / "w.pt"),
                                                   ProbeContext()), "checkpoint.weights"))
    assert found["weights.has_norm_layers"] is True


def test_a_log_that_averages_over_the_padding_counts_it_whatever_mask_the_model_reads(
        ) -> None:
    """Tags padded with 0 (a real tag) beside a mask the model's forward takes: the training
    loss the log ends on is the average over every position, so the loss counted the
    padding; a log at the real tokens' average leaves it open."""
    from dldoctor.probes.padding import padding_findings

    gen = torch.Generator().manual_seed(0)
    tokens = torch.randint(1, 30, (32, 12), generator=gen)
    tokens[:, 6:] = 0
    mask = tokens != 0
    tags = torch.randint(0, 3, (32, 12), generator=gen)
    tags[:, 6:] = 0
    logits = torch.zeros(32, 12, 3)
    logits[:, 6:, 0] = 8.0  # padding → tag 0, learnt; the real tokens stay a guess
    per = nn.functional.cross_entropy(logits.reshape(-1, 3), tags.reshape(-1), reduction="none")
    every, real = float(per.mean()), float(per.reshape(32, 12)[:, :6].mean())

    def counted(logged: float) -> object:
        found = padding_findings(tokens, tags, output=logits, logged=logged,
                                 logged_train=logged, extras=(mask,))
        return values_of(found)["loss.counts_padding"]

    assert counted(every) is True
    assert counted(real) is not True


def test_the_wrong_tensor_fix_quotes_the_measured_ratio() -> None:
    """The fix for a loss on the wrong tensors says how far above the log the task's loss on
    the batch stands (the installed CLI, facts given as measured values)."""
    import json
    from subprocess import run

    out = run(["dldoctor", "diagnose", "--no-input", "--format", "json",
               "--set", "loss.batch_over_logged=246", "--set", "train_val.gap_ratio=517",
               # no training accuracy in the log; the batch costs far more than validation
               "--set", "train.acc_end=?", "--set", "loss.batch_over_val=0.4",
               "--set", "val.first_eval_over_train=?", "--set", "val.fell_from_first=?",
               "--set", "val.rising_while_train_falls=no"],
              capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    top = json.loads(out.stdout)["diagnoses"][0]
    assert top["cause"] == "loss_input_wrong"
    assert "246" in str(top["fixes"][0])
