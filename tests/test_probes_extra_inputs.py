"""Models whose forward takes more than one tensor (``forward(words, lengths)`` for packed
sequences): the live probes pass the other arguments from the batch file, or count lengths
from the padding, instead of refusing the model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.extra_inputs import lengths_of, needed_arguments
from dldoctor.probes.live_probes import probe_backward, probe_forward
from tests.support import check_findings, values_of

_PACKED = '''
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


class Packed(nn.Module):
    """Reviews padded with id 0, packed by their lengths: the last real step's state."""
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(40, 16, padding_idx=0)
        self.rnn = nn.GRU(16, 24, batch_first=True)
        self.head = nn.Linear(24, 3)

    def forward(self, words, lengths):
        if bool((lengths > words.shape[1]).any()) or bool((lengths < 1).any()):
            raise ValueError("lengths out of range")
        packed = pack_padded_sequence(self.emb(words), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, h = self.rnn(packed)
        return self.head(h[-1])


def make():
    torch.manual_seed(0)
    return Packed()
'''


def _reviews() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    lengths = torch.randint(3, 11, (24,), generator=gen)
    words = torch.randint(1, 40, (24, 10), generator=gen)
    words[torch.arange(10)[None] >= lengths[:, None]] = 0
    return words, lengths, words[:, 0] % 3


def _inputs(tmp_path: Path, batch: object) -> Inputs:
    (tmp_path / "net.py").write_text(_PACKED)
    torch.save(batch, tmp_path / "batch.pt")
    return Inputs(model=f"{tmp_path / 'net.py'}:make", batch=tmp_path / "batch.pt",
                  device="cpu")


def test_lengths_are_counted_from_the_padding_and_forward_names_what_it_needs() -> None:
    words, lengths, _ = _reviews()
    assert torch.equal(lengths_of(words), lengths)
    assert lengths_of(torch.randn(4, 6)) is None
    sys.path.insert(0, "")
    namespace: dict[str, object] = {}
    exec(compile(_PACKED, "net.py", "exec"), namespace)  # the test's own model source
    assert needed_arguments(namespace["make"]()) == ["lengths"]  # type: ignore[operator]
    assert needed_arguments(torch.nn.Linear(2, 2)) == []

    class KeywordMask(torch.nn.Module):
        def forward(self, x, lengths=None, *, mask):  # noqa: ANN001, ANN202
            return x

    assert needed_arguments(KeywordMask()) == ["mask"]


@pytest.mark.parametrize("form", ["pairs", "triple", "dict"])
def test_a_packed_sequence_model_runs_under_the_live_probes(tmp_path: Path, form: str) -> None:
    """(words, labels) with the lengths counted from the padding; (words, lengths, labels);
    {"inputs", "lengths", "targets"}: each runs forward and backward on its own rows."""
    words, lengths, labels = _reviews()
    batch = {"pairs": (words, labels), "triple": (words, lengths, labels),
             "dict": {"inputs": words, "lengths": lengths, "targets": labels}}[form]
    inputs = _inputs(tmp_path, batch)
    forward = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    assert forward["forward.non_finite"] is False
    assert forward["batch.shape_mismatch"] is False  # the labels are the targets, not lengths
    assert forward["batch.class_coverage"] == pytest.approx(1.0, abs=0.01)
    backward = values_of(check_findings(probe_backward(inputs, ProbeContext()),
                                        "live.backward"))
    assert backward["grad.none_params"] is False


def test_a_forward_argument_the_batch_cannot_supply_is_one_clear_line(tmp_path: Path) -> None:
    source = _PACKED.replace("def forward(self, words, lengths):",
                             "def forward(self, words, speaker):\n        lengths = speaker")
    (tmp_path / "net.py").write_text(source)
    words, _, labels = _reviews()
    torch.save((words, labels), tmp_path / "batch.pt")
    done = subprocess.run(
        [sys.executable, "-m", "dldoctor", "diagnose", "--model", "net.py:make", "--batch",
         "batch.pt", "--no-input"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert "net.py:make" in line and "a dict keyed by their names" in line
    assert "Traceback" not in done.stderr


def test_batch_dicts_are_read_by_the_names_people_give_them(tmp_path: Path) -> None:
    """{"X", "Y"}, {"image", "label"}, {"pixel_values", "labels"}: any letter case; a dict
    with no input name is one line that lists its keys and says what to name them."""
    from dldoctor.errors import InputError
    from dldoctor.probes.models import load_batch

    x, y = torch.randn(4, 3), torch.tensor([0, 1, 0, 1])
    for keys in (("X", "Y"), ("image", "label"), ("pixel_values", "labels"), ("Tokens", "gt")):
        torch.save({keys[0]: x, keys[1]: y}, tmp_path / "b.pt")
        batch = load_batch(tmp_path / "b.pt")
        assert torch.equal(batch.inputs, x) and torch.equal(batch.targets, y), keys
    # two tensors under names nobody lists are inputs and labels (the twenty-third new user's
    # {"feats", "speaker"}, stop 40) ...
    torch.save({"feats": x, "cls": y}, tmp_path / "b.pt")
    batch = load_batch(tmp_path / "b.pt")
    assert torch.equal(batch.inputs, x) and torch.equal(batch.targets, y)
    # ... three are not: which is which cannot be told
    torch.save({"feats": x, "mask": x > 0, "cls": y}, tmp_path / "b.pt")
    with pytest.raises(InputError) as refused:
        load_batch(tmp_path / "b.pt")
    assert "'feats', 'mask', 'cls'" in str(refused.value) and "'inputs'" in str(refused.value)


def test_raw_numbers_in_another_input_are_not_normalised(tmp_path: Path) -> None:
    """Category codes as the inputs and raw amounts (euros, years) under 'num': the scale
    check reads the other inputs too, and says which tensor is off."""
    from dldoctor.probes.live_forward import input_findings
    from dldoctor.probes.models import load_batch

    gen = torch.Generator().manual_seed(0)
    cats = torch.randint(0, 12, (32, 3), generator=gen)
    raw = torch.stack([torch.rand(32, generator=gen) * 4e5, 1990 + 30 * torch.rand(32)], 1)
    for num, off in ((raw, True), ((raw - raw.mean(0)) / raw.std(0), False)):
        torch.save({"inputs": cats, "num": num, "targets": cats[:, 0] % 2}, tmp_path / "b.pt")
        found = {f.fact: f for f in input_findings(load_batch(tmp_path / "b.pt"))}
        assert found["input.not_normalized"].value is off
        assert ("'num'" in str(found["input.not_normalized"].evidence)) is off


_TEACHER_FORCED = '''
import torch
from torch import nn


class Decoder(nn.Module):
    """A transducer-like model whose prediction network is fed the targets: forward(x, y)."""
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(6, 16)
        self.pred = nn.Embedding(5, 16)
        self.out = nn.Linear(16, 5)

    def forward(self, x, y):
        return self.out(torch.tanh(self.enc(x)[:, None] + self.pred(y)))  # (B, U, 5)


def make():
    torch.manual_seed(0)
    return Decoder()
'''


def test_a_required_y_is_fed_the_batch_targets(tmp_path: Path) -> None:
    """forward(x, y) with the batch {"inputs", "input_lengths", "targets", "target_lengths"}
    (the seventy-first hand set's RNN-T): the targets are what the model is fed (teacher
    forcing), not a reason to refuse the model."""
    (tmp_path / "net.py").write_text(_TEACHER_FORCED)
    gen = torch.Generator().manual_seed(0)
    torch.save({"inputs": torch.randn(16, 6, generator=gen),
                "targets": torch.randint(0, 5, (16, 4), generator=gen),
                "input_lengths": torch.full((16,), 6),
                "target_lengths": torch.full((16,), 4)}, tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'net.py'}:make", batch=tmp_path / "batch.pt",
                    device="cpu")
    forward = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    assert forward["forward.non_finite"] is False
