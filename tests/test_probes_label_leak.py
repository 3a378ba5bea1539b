"""The label among the inputs: a table one-hot encoded column by column with its label column
still in it, a regression target left among the features. Flat batches only."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.label_leak import label_leak_findings
from dldoctor.probes.live_probes import probe_forward
from tests.support import check_findings, values_of

_TABLE = '''
import torch
from torch import nn


def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(13, 16), nn.ReLU(), nn.Linear(16, 3))
'''


def _table(leak: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Ten one-hot feature columns plus three that are the label's one-hot (or noise)."""
    gen = torch.Generator().manual_seed(0)
    y = torch.randint(0, 3, (48,), generator=gen)
    features = torch.nn.functional.one_hot(torch.randint(0, 10, (48,), generator=gen), 10)
    last = torch.nn.functional.one_hot(y if leak else torch.randint(0, 3, (48,), generator=gen), 3)
    return torch.cat([features, last], 1).float(), y


def test_a_one_hot_label_column_among_the_inputs_is_found_and_named(tmp_path: Path) -> None:
    x, y = _table(leak=True)
    (tmp_path / "net.py").write_text(_TABLE)
    torch.save({"x": x, "y": y}, tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'net.py'}:make", batch=tmp_path / "batch.pt",
                    device="cpu")
    facts = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    assert facts["data.label_in_inputs"] is True and facts["data.label_column"] == 10


def test_features_that_only_predict_the_label_are_no_leak() -> None:
    x, y = _table(leak=False)
    found = {f.fact: f.value for f in label_leak_findings(x, y)}
    assert found == {"data.label_in_inputs": False, "data.label_cut_from_column": False}
    gen = torch.Generator().manual_seed(1)
    features = torch.randn(40, 5, generator=gen)
    price = 3 * features[:, 0] + 0.1 * torch.randn(40, generator=gen)  # a strong feature
    assert {f.fact: f.value for f in label_leak_findings(features, price)} == \
        {"data.label_in_inputs": False}
    leaked = torch.cat([features, (price[:, None] - 5) / 2], 1)  # the target, standardised
    values = {f.fact: f.value for f in label_leak_findings(leaked, price)}
    assert values == {"data.label_in_inputs": True, "data.label_column": 5}


def test_images_sequences_and_small_batches_say_nothing() -> None:
    y = torch.randint(0, 2, (48,))
    assert label_leak_findings(torch.randn(48, 3, 8, 8), y) == []
    assert label_leak_findings(torch.randint(0, 9, (48, 12)), torch.randint(0, 9, (48, 12))) == []
    assert label_leak_findings(torch.randn(8, 4), torch.randint(0, 2, (8,))) == []


def test_a_leak_in_another_named_input_is_found_and_named() -> None:
    """A wide-and-deep click model's batch ``{inputs, dense, wide, targets}``: one wide
    bucket is 1 exactly where there was no click (the twenty-eighth hand set's post-click
    dwell time among the wide features; the main ids say nothing)."""
    from dldoctor.probes.label_leak import batch_leak_findings

    gen = torch.Generator().manual_seed(0)
    clicks = (torch.rand(64, generator=gen) < 0.2).float()
    ids = torch.randint(0, 50, (64, 5), generator=gen)
    wide = torch.nn.functional.one_hot(torch.randint(1, 6, (64,), generator=gen), 6).float()
    wide[:, 0] = 1 - clicks  # bucket 0: left the page at once, never clicked
    wide[clicks == 0, 1:] = 0
    found = batch_leak_findings(ids, clicks, {"dense": torch.randn(64, 3, generator=gen),
                                              "wide": wide})
    assert [(f.fact, f.value) for f in found] == [("data.label_in_inputs", True)]
    assert "'wide'" in str(found[0].evidence)
    clean = batch_leak_findings(ids, clicks, {"wide": torch.rand(64, 6, generator=gen)})
    assert {f.fact: f.value for f in clean} == {"data.label_in_inputs": False}
