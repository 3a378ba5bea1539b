"""What the fourteenth new user's runs showed (stop 31): a healthy GRU whose per-batch loss
bumps over two neighbouring rows near 0.02 read as three spikes and exploding gradients."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dldoctor.probes import curves

# the user's healthy GRU: loss per 20 iterations, val accuracy 1.00 at the end
GRU_LOSS = [0.4893, 0.1005, 0.0707, 0.2935, 0.0874, 0.0524, 0.0401, 0.0083, 0.0128, 0.0116,
            0.0044, 0.0039, 0.0210, 0.0233, 0.0330, 0.0062, 0.0073, 0.0015, 0.0014, 0.0038,
            0.0010, 0.0009, 0.0012, 0.0015, 0.0008, 0.0015, 0.0003, 0.0008, 0.0010, 0.0005,
            0.0004, 0.0004]


def test_a_bump_over_neighbouring_rows_is_one_spike() -> None:
    heights = curves.spike_heights(np.array(GRU_LOSS))
    found = curves.spikes(np.array(GRU_LOSS))
    assert len(found) < len(heights)  # the 0.021 → 0.023 → 0.033 bump counts once
    assert len(found) < 3  # not "again and again"


def test_a_dict_batch_whose_inputs_key_is_unknown_takes_its_one_other_tensor(
        tmp_path: Path) -> None:
    import torch

    from dldoctor.probes.models import load_batch

    torch.save({"readings": torch.randn(4, 3), "labels": torch.tensor([0, 1, 0, 1])},
               tmp_path / "b.pt")
    batch = load_batch(tmp_path / "b.pt")
    assert tuple(batch.inputs.shape) == (4, 3) and batch.targets.tolist() == [0, 1, 0, 1]
