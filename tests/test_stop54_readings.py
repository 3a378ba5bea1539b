"""Readings the ninety-eighth to hundred-third hand sets asked for at stop 54, each on real
tensors, files and trained models: a dense class map squashed before its cross-entropy,
sequences cut across samples by a reshape, a gated RNN's time ratio read against the fresh
net's, a NaN in a per-epoch log, raw inputs behind a BatchNorm that never ran in train mode,
and output heads started at zero."""

from __future__ import annotations

import math
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_output import output_findings
from dldoctor.probes.live_probes import probe_backward
from dldoctor.probes.live_structure import init_findings
from dldoctor.probes.sequence_order import interleaved_sequences_finding
from dldoctor.probes.static_probes import probe_weights
from tests.support import check_findings, curve_facts, values_of


def test_a_sigmoid_on_a_dense_class_map_is_an_activation_before_the_loss() -> None:
    """PIXOR's (N, C, H, W) class map through a sigmoid into a cross-entropy over integer
    targets (N, H, W): each position's scores are squashed as a sample's would be."""
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(8, 4, 6, 6, generator=g) * 3
    targets = torch.randint(0, 4, (8, 6, 6), generator=g)
    head = ("cls.2", nn.Sigmoid())
    squashed = values_of(check_findings(output_findings(torch.sigmoid(logits), head, targets)))
    assert squashed["output.activation_after_logits"] is True
    raw = values_of(check_findings(output_findings(logits, ("cls.1", nn.Conv2d(8, 4, 1)),
                                                   targets, raw=True)))
    assert raw["output.activation_after_logits"] is False
    mask = torch.randint(0, 2, (8, 4, 6, 6), generator=g)  # a multi-label mask: no class map
    assert "output.activation_after_logits" not in values_of(
        output_findings(torch.sigmoid(logits), head, mask))


def _shots(count: int, steps: int = 48) -> torch.Tensor:
    """``count`` smooth two-channel signals of ``steps`` steps, (N, T, F), each its own."""
    g = torch.Generator().manual_seed(0)
    t = torch.linspace(0, 6, steps)
    phase, rate = torch.rand(count, 1, generator=g) * 6, torch.rand(count, 1, generator=g) + 0.5
    return torch.stack([torch.sin(rate * t + phase), torch.cos(2 * rate * t + phase)], -1)


def test_a_time_major_stack_reshaped_batch_first_reads_as_interleaved() -> None:
    shots = _shots(300)
    scrambled = shots.permute(1, 0, 2).contiguous().reshape(300, 48, 2)  # the bug
    found = interleaved_sequences_finding(scrambled[:64])
    assert found is not None and found.value is True and found.details["lag"] == 300
    check_findings([found])
    assert interleaved_sequences_finding(shots[:64]) is None  # in order
    assert interleaved_sequences_finding(scrambled[torch.randperm(300)[:64]]) is None


def test_overlapping_windows_are_no_interleaving() -> None:
    g = torch.Generator().manual_seed(1)
    for series in (torch.randn(4000, generator=g).cumsum(0), torch.randn(4000, generator=g)):
        windows = torch.stack([series[i * 16:i * 16 + 64] for i in range(120)]).unsqueeze(-1)
        assert interleaved_sequences_finding(windows) is None


def test_a_nan_in_a_per_epoch_log_has_no_update_count(tmp_path: Path) -> None:
    """One row an epoch, no step column: the NaN's row says nothing of the update it came
    at, and a loss that fell at every epoch before it had no climb to show."""
    train = [0.099, 0.027, 0.020, 0.0177, 0.0170] + [math.nan] * 5
    facts = curve_facts(tmp_path, {"epoch": list(range(1, 11)), "loss_train": train})
    assert facts["loss.non_finite"] is True
    assert facts["loss.non_finite_step"] is UNKNOWN
    assert facts["loss.steady_before_non_finite"] is True
    rising = [0.5, 0.4, 0.6, 0.9, 1.7] + [math.nan] * 5
    facts = curve_facts(tmp_path, {"epoch": list(range(1, 11)), "loss_train": rising},
                        name="rising.csv")
    assert "loss.steady_before_non_finite" not in facts


_GRU = '''
import torch
from torch import nn


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 16, batch_first=True)
        self.out = nn.Linear(16, 2)

    def forward(self, x):
        return self.out(self.gru(x)[0][:, -1])


def build():
    torch.manual_seed(0)
    return Tagger()
'''


def test_a_gated_rnn_s_time_ratio_is_read_against_the_fresh_net(tmp_path: Path) -> None:
    factory = tmp_path / "model.py"
    factory.write_text(_GRU)
    namespace: dict[str, object] = {}
    exec(compile(_GRU, str(factory), "exec"), namespace)
    model: nn.Module = namespace["build"]()  # type: ignore[operator]
    g = torch.Generator().manual_seed(2)
    x, y = torch.randn(32, 40, 3, generator=g), torch.randint(0, 2, (32,), generator=g)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(30):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "ckpt.pt")
    torch.save((x, y), tmp_path / "batch.pt")
    inputs = Inputs(model=f"{factory}:build", checkpoint=tmp_path / "ckpt.pt",
                    batch=tmp_path / "batch.pt", device="cpu")
    facts = values_of(check_findings(probe_backward(inputs, ProbeContext()), "live.backward"))
    assert facts["grad.time_layer_gated"] is True
    assert 0 < facts["grad.time_ratio_at_init"] < 1  # the fresh GRU's gates halve each step
    fresh_only = Inputs(model=f"{factory}:build", batch=tmp_path / "batch.pt", device="cpu")
    facts = values_of(probe_backward(fresh_only, ProbeContext()))
    assert "grad.time_ratio" in facts and "grad.time_ratio_at_init" not in facts


def _bn_checkpoint(path: Path, trained: bool) -> Path:
    """A Conv1d → BatchNorm1d stem on raw sensor readings in the thousands; ``trained``: the
    statistics ran over the data (train mode), else the run never left eval mode."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(4, 8, 3), nn.BatchNorm1d(8), nn.ReLU(), nn.Flatten(),
                          nn.Linear(8 * 14, 1))
    x = 1000 + 2000 * torch.rand(64, 4, 16)
    model.train(trained)
    with torch.no_grad():
        for _ in range(5):
            model(x)
    torch.save({"model": model.state_dict()}, path)
    return path


def test_a_batchnorm_that_never_ran_reads_no_input_scale(tmp_path: Path) -> None:
    for trained in (True, False):
        ckpt = _bn_checkpoint(tmp_path / f"bn_{trained}.pt", trained)
        facts = values_of(check_findings(probe_weights(Inputs(checkpoint=ckpt),
                                                       ProbeContext()), "checkpoint.weights"))
        assert facts["weights.first_layer_normalised"] is True
        assert facts["weights.bn_never_updated"] is (not trained)
        if trained:
            assert facts["weights.first_input_scale"] > 100  # raw readings in the thousands
        else:
            assert "weights.first_input_scale" not in facts


def test_an_output_head_alone_at_zero_is_a_recipe(tmp_path: Path) -> None:
    torch.manual_seed(0)
    head_only = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 5))
    nn.init.zeros_(head_only[2].weight)
    found = values_of(check_findings(init_findings(head_only)))
    assert found["init.all_zero"] is False and found["init.symmetric_rows"] is False
    nn.init.zeros_(head_only[0].weight)  # and the hidden layer: the units never part
    assert values_of(init_findings(head_only))["init.all_zero"] is True
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 5))
    nn.init.zeros_(model[2].weight)  # a trained run whose head stayed at 0 in the checkpoint
    torch.save({"model": model.state_dict()}, tmp_path / "head.pt")
    facts = values_of(check_findings(probe_weights(Inputs(checkpoint=tmp_path / "head.pt"),
                                                   ProbeContext()), "checkpoint.weights"))
    assert facts["weights.all_zero"] is True  # a head still at 0 after training: a reading
    assert facts["weights.identical_rows"] is False  # but no symmetry: each meets its target
