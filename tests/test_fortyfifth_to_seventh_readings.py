"""Readings the forty-fifth to forty-seventh hand sets and the twenty-third new user asked for
(stop 40), each on a real artefact: a Lightning log that names no loss, a flow whose zero-
started couplings trained and whose mixing matrix follows an actnorm shift, a head's dropout
after the body's BatchNorm, a dict batch under unknown keys, SGD param groups saved in
another order than the model's."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import optimizer_memory
from dldoctor.probes.live_structure import dropout_findings, init_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.models import load_batch
from dldoctor.probes.static_probes import probe_weights
from tests.support import check_findings, values_of


def test_a_lightning_log_that_names_no_loss_reads_its_one_train_and_val_pair(
        tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    rows = ["epoch,step,train_listnet_epoch,train_listnet_step,val_listnet,val_ndcg5"]
    for epoch in range(4):
        for step in range(3):
            rows.append(f"{epoch},{epoch * 4 + step},,{3.0 - 0.2 * epoch - 0.01 * step},,")
        rows.append(f"{epoch},{epoch * 4 + 3},,,{3.05 - 0.2 * epoch},{0.3 + 0.1 * epoch}")
        rows.append(f"{epoch},{epoch * 4 + 3},{2.99 - 0.2 * epoch},,,")
    path.write_text("\n".join(rows) + "\n")
    metrics = read_log(path)
    assert metrics.series["loss"].column == "train_listnet_step"
    assert metrics.series["val_loss"].column == "val_listnet"
    assert any("train_listnet_step is read as the training loss" in str(n)
               for n in metrics.unused)


def test_a_log_with_only_scores_is_still_refused(tmp_path: Path) -> None:
    from dldoctor.errors import InputError

    path = tmp_path / "metrics.csv"
    path.write_text("epoch,train_kappa,val_kappa\n0,0.3,0.31\n1,0.4,0.42\n")
    with pytest.raises(InputError, match="no known metric columns"):
        read_log(path)


class _Coupling(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
        nn.init.zeros_(self.net[2].weight)  # starts at the identity, as Glow's couplings do
        nn.init.zeros_(self.net[2].bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = x.chunk(2, 1)
        shift, scale = self.net(a).chunk(2, 1)
        return torch.cat([a, b * torch.exp(torch.tanh(scale)) + shift], 1)


class _Flow(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.layers = nn.ModuleList([_Coupling(), nn.Linear(8, 8), _Coupling(),
                                     nn.Linear(8, 8), _Coupling()])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return x


def test_zero_started_couplings_that_trained_are_no_zero_init() -> None:
    fresh, trained = _Flow(), _Flow()
    optimizer = torch.optim.Adam(trained.parameters(), lr=1e-2)
    x = torch.randn(64, 8, generator=torch.Generator().manual_seed(1))
    for _ in range(20):
        optimizer.zero_grad()
        (trained(x) ** 2).mean().backward()
        optimizer.step()
    # the couplings' zero output layers are heads that alone start at 0: Glow's recipe, read
    # as one even with no checkpoint (stop 54; before, only the trained copy cleared them)
    assert values_of(init_findings(fresh))["init.all_zero"] is False
    assert values_of(init_findings(fresh, trained))["init.all_zero"] is False
    everything = nn.Sequential(nn.Linear(8, 8), nn.Linear(8, 8))
    for layer in everything:
        nn.init.zeros_(layer.weight)
    assert values_of(init_findings(everything, everything))["init.all_zero"] is True


def test_a_mixing_matrix_after_an_actnorm_shift_has_its_offset(tmp_path: Path) -> None:
    state = {"layers.0.loc": torch.zeros(8), "layers.0.log_scale": torch.zeros(8),
             "layers.1.weight": torch.eye(8), "layers.2.weight": torch.randn(16, 8),
             "layers.2.bias": torch.zeros(16)}
    path = tmp_path / "flow.pt"
    torch.save(state, path)
    found = values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                     "checkpoint.weights"))
    assert found["weights.missing_bias"] is False
    del state["layers.0.loc"], state["layers.0.log_scale"]
    torch.save(state, path)
    found = values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                     "checkpoint.weights"))
    assert found["weights.missing_bias"] is True


def test_dropout_is_judged_by_where_it_runs_against_batchnorm() -> None:
    head = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(16, 3))
    feeding = nn.Sequential(nn.Linear(8, 16), nn.Dropout(0.3), nn.BatchNorm1d(16), nn.ReLU(),
                            nn.Linear(16, 3))
    assert values_of(dropout_findings(head.named_modules()))["arch.dropout_before_bn"] is False
    assert values_of(dropout_findings(feeding.named_modules()))["arch.dropout_before_bn"] is True
    plain = nn.Sequential(nn.Linear(8, 16), nn.Dropout(0.3), nn.Linear(16, 3))
    assert "arch.dropout_before_bn" not in values_of(dropout_findings(plain.named_modules()))


def test_a_dict_batch_under_unknown_keys_is_inputs_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "batch.pt"
    torch.save({"feats": torch.randn(8, 12, 20), "speaker": torch.randint(0, 4, (8,))}, path)
    batch = load_batch(path)
    assert tuple(batch.inputs.shape) == (8, 12, 20) and tuple(batch.targets.shape) == (8,)
    torch.save({"speaker": torch.randint(0, 4, (8,)), "feats": torch.randn(8, 12, 20)}, path)
    assert tuple(load_batch(path).inputs.shape) == (8, 12, 20)


_PROXIES = """
import torch
from torch import nn


class Proxies(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.proxies = nn.Parameter(torch.randn(6, 4))  # defined first, stepped second
        self.embed = nn.Sequential(nn.Linear(5, 12), nn.ReLU(), nn.Linear(12, 4))

    def forward(self, x):
        return self.embed(x) @ nn.functional.normalize(self.proxies, dim=1).T


def build():
    return Proxies()
"""


@pytest.mark.parametrize(("clear", "low", "high"), [(True, 0.0, 3.0), (False, 12.0, 1e9)])
def test_the_running_gradient_lines_up_param_groups_in_another_order(
        tmp_path: Path, clear: bool, low: float, high: float) -> None:
    import importlib.util

    source = tmp_path / "proxies.py"
    source.write_text(_PROXIES)
    spec = importlib.util.spec_from_file_location("proxies_model", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build()
    optimizer = torch.optim.SGD([{"params": model.embed.parameters()},
                                 {"params": [model.proxies], "lr": 2e-3}], lr=1e-3, momentum=0.9)
    x, y = torch.randn(32, 5), torch.randint(0, 6, (32,))
    for _ in range(40):
        if clear:
            optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    path = tmp_path / "ck.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    fresh = module.build()
    fresh.load_state_dict(model.state_dict())
    fresh.zero_grad()
    nn.functional.cross_entropy(fresh(x), y).backward()
    inputs = Inputs(checkpoint=path, model=f"{source}:build")
    memory = optimizer_memory(fresh, inputs, ProbeContext())
    assert memory is not None and low <= memory[0] <= high


def test_two_heads_on_one_trunk_give_no_single_output_width(tmp_path: Path) -> None:
    """The twenty-third new user's multi-task net: a 4-class head beside a 1-output
    regressor; the last matrix in the file is no classifier of 2 classes."""
    trunk = nn.Sequential(nn.Linear(16, 32), nn.ReLU())
    heads = {"cls_head": nn.Linear(32, 4), "reg_head": nn.Linear(32, 1)}
    state = {**{f"trunk.{k}": v for k, v in trunk.state_dict().items()},
             **{f"{name}.{k}": v for name, head in heads.items()
                for k, v in head.state_dict().items()}}
    path = tmp_path / "multi.pt"
    torch.save(state, path)
    found = values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                     "checkpoint.weights"))
    assert "weights.output_width" not in found
    single = {**{f"trunk.{k}": v for k, v in trunk.state_dict().items()},
              **{f"head.{k}": v for k, v in nn.Linear(32, 4).state_dict().items()}}
    torch.save(single, path)
    found = values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                     "checkpoint.weights"))
    assert found["weights.output_width"] == 4


def test_words_measured_but_unexplained_ask_only_for_the_inputs_not_given() -> None:
    """The twenty-third new user gave a log, the model and a batch and was still told "more
    inputs (a log, the model and a batch) can"."""
    from types import SimpleNamespace

    from dldoctor.render import _T, _measured_not_enough

    everything = SimpleNamespace(inputs={"checkpoint": "c.pt", "logs": ["l.csv"],
                                         "model": "m.py:f", "batch": "b.pt"})
    assert _measured_not_enough(everything, _T["en"]) == \
        "What was measured does not explain it yet: the questions below can."
    checkpoint_only = SimpleNamespace(inputs={"checkpoint": "c.pt", "logs": [], "model": None,
                                              "batch": None})
    assert "(a log and the model and a batch)" in _measured_not_enough(checkpoint_only,
                                                                       _T["en"])


def test_a_test_file_of_bare_cases_says_to_put_them_under_cases(tmp_path: Path) -> None:
    """The twenty-third new user's team test file held a list of cases with no ``cases:``
    and was told "Input should be a valid dictionary or instance of _CaseFile"."""
    from dldoctor.engine.errors import KBError
    from dldoctor.engine.testing import load_cases

    path = tmp_path / "t.yaml"
    path.write_text("- name: x\n  given: {loss.non_finite: true}\n  expect: {top: lr_too_high}\n")
    with pytest.raises(KBError) as refused:
        load_cases(path)
    assert "put the cases under 'cases:'" in str(refused.value.problems[0].message)
