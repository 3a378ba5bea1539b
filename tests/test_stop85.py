"""Stop 85: readings from sets 383–385 and a new user's runs."""

from __future__ import annotations

from pathlib import Path

from dldoctor.probes.logs import read_logs


def test_a_lightning_loss_named_for_its_kind_is_read_with_its_step_suffix(
        tmp_path: Path) -> None:
    """Set 380's Lightning GRU logged ``self.log("step_ce", on_step=True, on_epoch=True)``:
    its ``step_ce_step`` column was no loss, so the report asked "is the loss negative?" of
    a run whose loss was logged every five steps."""
    rows = ["epoch,step,step_ce_epoch,step_ce_step,val_ce"]
    for i in range(12):
        rows.append(f"{i // 4},{i * 5 + 4},,{0.8 * 0.9 ** i:.4f},")
        if i % 4 == 3:
            rows.append(f"{i // 4},{i * 5 + 4},{0.8 * 0.9 ** i:.4f},,{0.85 * 0.9 ** i:.4f}")
    (tmp_path / "metrics.csv").write_text("\n".join(rows) + "\n")
    metrics = read_logs([tmp_path / "metrics.csv"])
    assert metrics.series["loss"].column == "step_ce_step"
    assert metrics.series["val_loss"].column == "val_ce"
