"""Readings the fifty-eighth to sixty-first hand sets called for (stop 43): a loss frozen at
the ln of a count that is not the model's classes, a validation loss that was best at a
guess's ln C at its first evaluation, and buffers named as buffers left out of the
optimizer."""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, curve_facts, values_of


def _flat(level: float, n: int = 40) -> list[float]:
    return [level * (1 + 0.001 * math.sin(i)) for i in range(n)]


def test_a_loss_frozen_at_ln_128_beside_four_classes_is_a_uniform_guess_over_128(
        tmp_path: Path) -> None:
    steps = [float(10 * i) for i in range(40)]
    acc = [0.25 + 0.01 * math.sin(i) for i in range(40)]
    facts = curve_facts(tmp_path, {"step": steps, "loss": _flat(math.log(128)), "acc": acc})
    assert "loss.uniform_over_n" not in facts  # no class count from a log alone
    from dldoctor.probes.log_probes import curve_findings
    from dldoctor.probes.logs import read_log
    from tests.support import write_csv_log

    def reading(loss: list[float]) -> object:
        path = write_csv_log(tmp_path / "l.csv", {"step": steps, "loss": loss, "acc": acc})
        return values_of(curve_findings(read_log(path), classes=4)).get("loss.uniform_over_n")

    assert reading(_flat(math.log(128))) == 128.0
    assert reading(_flat(math.log(4))) == 0.0  # a guess over the classes themselves
    assert reading(_flat(math.log(64))) == 0.0  # 4³: a per-token loss summed over 3 tokens
    assert reading([math.log(128) * (1 - 0.01 * i) for i in range(40)]) == 0.0  # it moves


def test_a_validation_loss_best_at_a_guess_at_its_first_evaluation(tmp_path: Path) -> None:
    from dldoctor.probes.log_probes import curve_findings
    from dldoctor.probes.logs import read_log
    from tests.support import write_csv_log

    epochs = [float(i) for i in range(8)]
    train = [1.386 - 0.03 * i for i in range(8)]
    guess = [1.39 + 0.02 * i for i in range(8)]
    path = write_csv_log(tmp_path / "l.csv", {"epoch": epochs, "loss": train,
                                             "val_loss": guess, "val_acc": [0.25] * 8})
    assert values_of(curve_findings(read_log(path), classes=4))["val.best_is_first_guess"]
    learnt = [1.39, 1.1, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2]  # learnt first, then over-fit
    path = write_csv_log(tmp_path / "m.csv", {"epoch": epochs, "loss": train,
                                             "val_loss": learnt, "val_acc": [0.5] * 8})
    assert values_of(curve_findings(read_log(path), classes=4))["val.best_is_first_guess"] \
        is False
    shifted = [3.97 + 0.1 * i for i in range(8)]  # worse than a guess from the start
    path = write_csv_log(tmp_path / "s.csv", {"epoch": epochs, "loss": train,
                                             "val_loss": shifted, "val_acc": [0.25] * 8})
    assert values_of(curve_findings(read_log(path), classes=4))["val.best_is_first_guess"] \
        is False


class _Lsh(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.qk = nn.Linear(8, 8)
        self.out = nn.Linear(8, 4)
        self.register_buffer("rot", torch.randn(8, 4))


def test_a_buffer_named_as_one_is_no_parameter_left_out_of_the_optimizer(
        tmp_path: Path) -> None:
    model = _Lsh()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    (model.out(model.qk(torch.randn(4, 8))) @ model.rot.T).sum().backward()
    optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "ckpt.pt")
    found = check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "ckpt.pt"),
                                           ProbeContext()), "checkpoint.optimizer")
    assert values_of(found)["optimizer.frozen_params"] is False
    model.register_buffer("rot", None)
    model.qk.register_parameter("gain", nn.Parameter(torch.ones(8)))  # never handed over
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "ckpt2.pt")
    found = check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "ckpt2.pt"),
                                           ProbeContext()), "checkpoint.optimizer")
    assert values_of(found)["optimizer.frozen_params"] is True


def test_a_good_training_score_beside_a_validation_score_at_zero_from_the_start(
        tmp_path: Path) -> None:
    from dldoctor.probes.log_probes import curve_findings
    from dldoctor.probes.logs import read_log
    from tests.support import write_jsonl_log

    rows: dict[str, list[float | None]] = {"iter": [], "epoch": [], "bce": [], "dice": [],
                                           "val_bce": [], "val_iou": []}
    for epoch in range(4):
        for i in range(1, 4):
            step = epoch * 3 + i
            for key, value in (("iter", float(step)), ("epoch", None),
                               ("bce", 0.4 / step ** 0.5), ("dice", min(0.9, 0.3 + 0.05 * step)),
                               ("val_bce", None), ("val_iou", None)):
                rows[key].append(value)
        for key, value in (("iter", float(epoch * 3 + 3)), ("epoch", float(epoch)), ("bce", None),
                           ("dice", None), ("val_bce", 0.4), ("val_iou", 0.01 / (epoch + 1))):
            rows[key].append(value)
    facts = values_of(curve_findings(read_log(write_jsonl_log(tmp_path / "seg.jsonl", rows))))
    assert facts["metric.train_score_good_val_none"] is True
    rows["val_iou"] = [None if v is None else 0.6 for v in rows["val_iou"]]
    facts = values_of(curve_findings(read_log(write_jsonl_log(tmp_path / "ok.jsonl", rows))))
    assert facts["metric.train_score_good_val_none"] is False


class _Standardised(nn.Module):
    """Each window divided by its own std (N-HiTS-style instance scaling)."""

    def __init__(self, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.head = nn.Linear(16, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = (x - x.mean(1, keepdim=True)) / (x.std(1, keepdim=True) + self.eps)
        return self.head(z)


def test_a_forward_that_divides_by_a_samples_spread_breaks_on_a_flat_sample() -> None:
    from dldoctor.probes.degenerate_rows import flat_sample_findings
    from dldoctor.probes.models import Batch

    torch.manual_seed(0)
    batch = Batch(torch.randn(8, 16), torch.randn(8, 1), Path("b.pt"))
    cpu = torch.device("cpu")
    broken = values_of(flat_sample_findings(_Standardised(0.0), batch, cpu))
    assert broken["forward.flat_sample_non_finite"] is True
    safe = values_of(flat_sample_findings(_Standardised(1e-5), batch, cpu))
    assert safe["forward.flat_sample_non_finite"] is False


def test_a_short_log_falling_at_every_point_up_to_its_nan_sat_steady(tmp_path: Path) -> None:
    facts = curve_facts(tmp_path, {"step": [10.0, 20.0, 30.0, 40.0, 50.0],
                                   "train_mse": [0.10, 0.067, 0.049, float("nan"), float("nan")]})
    assert facts["loss.steady_before_non_finite"] is True
    facts = curve_facts(tmp_path, {"step": [10.0, 20.0, 30.0, 40.0, 50.0],
                                   "train_mse": [0.10, 0.2, 0.9, float("nan"), float("nan")]})
    assert facts.get("loss.steady_before_non_finite") is not True
