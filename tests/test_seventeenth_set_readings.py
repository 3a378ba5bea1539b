"""What the seventeenth hand set showed (stop 32): a sparse autoencoder whose L1 penalty was so
heavy that its loss fell only by switching the codes off, read from the log's parts."""

from __future__ import annotations

import json
from pathlib import Path

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import values_of


def _log(path: Path, mse: list[float], l1: list[float]) -> Path:
    rows = [{"epoch": i, "loss": m + p, "mse": m, "l1": p, "val_mse": m * 1.02}
            for i, (m, p) in enumerate(zip(mse, l1, strict=True))]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_a_loss_that_fell_only_through_its_penalty(tmp_path: Path) -> None:
    mse = [0.065, 0.0676, 0.0679, 0.0679, 0.0679, 0.068, 0.068, 0.068, 0.068, 0.068]
    l1 = [2.42, 0.129, 0.032, 0.011, 0.005, 0.002, 0.001, 0.0, 0.0, 0.0]
    facts = values_of(probe_curves(Inputs(logs=(_log(tmp_path / "sae.jsonl", mse, l1),)),
                                   ProbeContext()))
    assert facts["loss.fall_is_penalty"] is True
    # the control at an L1 coefficient of 0.01: the reconstruction error itself falls
    fitted = [0.065, 0.04, 0.03, 0.024, 0.02, 0.018, 0.016, 0.015, 0.015, 0.015]
    small = [0.02, 0.015, 0.012, 0.011, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]
    control = values_of(probe_curves(Inputs(logs=(_log(tmp_path / "ok.jsonl", fitted, small),)),
                                     ProbeContext()))
    assert control["loss.fall_is_penalty"] is False
