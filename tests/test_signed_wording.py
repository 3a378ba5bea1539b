"""Evidence says which way a signed reading went in words (user 17 read "validation accuracy
moved by -0.365 the other way (positive: it fell)" and a regressor "-1689% closer" to its
targets than a constant guess)."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.live_output import constant_gain_findings
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log
from tests.support import write_csv_log


def _rise_words(log: Path) -> str:
    found = {f.fact: f for f in curve_findings(read_log(log))}
    return str(found["val.rise_is_material"].evidence)


def test_validation_accuracy_said_to_fall_or_rise(tmp_path: Path) -> None:
    epochs = 12
    loss = [2.0 * 0.8 ** i for i in range(epochs)]
    val = [1.5, 1.2, 1.0, 0.9, 0.95, 1.05, 1.2, 1.35, 1.5, 1.6, 1.7, 1.8]
    falling = [0.5, 0.6, 0.7, 0.75, 0.74, 0.72, 0.7, 0.68, 0.66, 0.65, 0.64, 0.63]
    rising = [0.5, 0.6, 0.7, 0.75, 0.76, 0.78, 0.8, 0.82, 0.84, 0.85, 0.86, 0.87]
    fell = _rise_words(write_csv_log(tmp_path / "fell.csv", {
        "epoch": list(range(epochs)), "loss": loss, "val_loss": val, "val_acc": falling}))
    rose = _rise_words(write_csv_log(tmp_path / "rose.csv", {
        "epoch": list(range(epochs)), "loss": loss, "val_loss": val, "val_acc": rising}))
    assert "validation accuracy fell by 0.11" in fell, fell
    assert "validation accuracy rose by 0.11" in rose, rose
    assert "the other way" not in fell + rose and "-0." not in fell + rose


def test_a_regressor_worse_than_a_constant_is_said_so() -> None:
    torch.manual_seed(0)
    targets = torch.randn(64, 1)
    found = {f.fact: f for f in constant_gain_findings(targets + 40.0, targets)}
    words = str(found["output.gain_over_constant"].evidence)
    assert found["output.gain_over_constant"].value < 0
    assert "as far" in words and "closer" not in words and "-" not in words.split(":")[-1], words


def test_an_output_pinned_at_one_reads_as_a_saturated_sigmoid() -> None:
    """Box targets in pixels (5 to 26.5) under ``torch.sigmoid``: every output is exactly 1.0
    (the twenty-eighth hand set), so the output's range is read from its values."""
    from pathlib import Path as _Path

    from dldoctor.probes.live_output import range_findings
    from dldoctor.probes.models import Batch

    targets = torch.rand(32, 4) * 21.5 + 5
    found = range_findings(torch.ones(32, 4), None, Batch(torch.randn(32, 8), targets,
                                                          _Path("b.pt")))
    assert [(f.fact, f.value) for f in found] == [("output.range_excludes_targets", True)]
    assert range_findings(torch.full((32, 4), 0.3), None,
                          Batch(torch.randn(32, 8), targets, _Path("b.pt")))[0].value is False


def test_an_output_of_exactly_one_is_no_raw_logits() -> None:
    """Every output exactly 1.0 is a sigmoid pushed into saturation, never a score layer's
    values: not read as plain logits (which spoke against the activation)."""
    from dldoctor.probes.live_output import output_findings

    found = {f.fact: f.value for f in output_findings(torch.ones(32, 4), None,
                                                      torch.rand(32, 4) * 20 + 5)}
    assert found["output.activation_after_logits"] is not False, found
    logits = {f.fact: f.value for f in output_findings(torch.randn(32, 4), None,
                                                       torch.rand(32, 4) * 20 + 5)}
    assert logits["output.activation_after_logits"] is False
