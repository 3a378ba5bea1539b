"""Checkpoints that ``weights_only`` refuses, read as inert data (probes/inert_objects.py).

Real files written by ``torch.save`` here: a tiny model trained a few steps and saved whole, a
Lightning-style dict whose ``hyper_parameters`` is a dict subclass (standing in for
Lightning's ``AttributeDict``) and an omegaconf-style config, and pickles whose loading would
run code. They open without running anything from the file or importing anything it names;
a file with no tensor to read, or one the reader cannot map, keeps the one-line refusal.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import types
import zipfile
from pathlib import Path
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dldoctor.errors import InputError
from dldoctor.probes.base import ProbeContext
from dldoctor.probes.checkpoints import load_checkpoint
from dldoctor.probes.inert_objects import Record
from dldoctor.probes.numpy_checkpoint import NeedsTorch, load_zip_arrays


class TinyNet(nn.Module):
    """A conv net with a batch norm and a non-persistent buffer (not in its state dict)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
        self.head = nn.Linear(4, 2)
        self.register_buffer("scratch", torch.zeros(3), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean(dim=(2, 3)))


class HParams(dict):
    """Stands in for ``lightning.fabric.utilities.data.AttributeDict``: a dict subclass."""

    def __getattr__(self, key: str) -> Any:
        return self[key]


def _write_marker(path: str) -> None:
    Path(path).write_text("ran")


class CallsOnLoad:
    """Unpickling this calls a function of this module that writes a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return _write_marker, (str(self.marker),)


class SystemOnLoad(CallsOnLoad):
    """Unpickling this runs a shell command."""

    def __reduce__(self) -> tuple[Any, tuple[str]]:  # type: ignore[override]
        return os.system, (f"touch {self.marker}",)


class SetStateNet(TinyNet):
    """A whole module whose ``__setstate__`` (run by a real unpickle) writes a marker."""

    marker = ""

    def __setstate__(self, state: dict[str, Any]) -> None:
        Path(state["marker_path"]).write_text("ran")
        super().__setstate__(state)


def _trained() -> tuple[TinyNet, torch.optim.Optimizer]:
    torch.manual_seed(0)
    model = TinyNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(8, 3, 6, 6), torch.randint(0, 2, (8,))
    for _ in range(3):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    return model, optimizer


def _values(checkpoint: Any) -> dict[str, Any]:
    return {m.name: checkpoint.store.get(m.name) for m in checkpoint.store.metas()}


@pytest.mark.parametrize("protocol", [2, 4])  # torch's default; FRAME, STACK_GLOBAL, MEMOIZE
def test_a_whole_pickled_module_reads_as_its_state_dict(tmp_path: Path, protocol: int) -> None:
    model, _ = _trained()
    path = tmp_path / "whole.pt"
    torch.save(model, path, pickle_protocol=protocol)
    with pytest.raises(NeedsTorch):
        load_zip_arrays(path)  # the strict reader still knows only state dicts
    checkpoint = load_checkpoint(path)
    expected = model.state_dict()
    found = _values(checkpoint)
    assert list(found) == list(expected)  # dotted names, state_dict order, no "scratch"
    for name, tensor in expected.items():
        assert (torch.as_tensor(found[name]) == tensor).all(), name
    assert checkpoint.module_types == {"": "TinyNet", "features": "Sequential",
                                       "features.0": "Conv2d", "features.1": "BatchNorm2d",
                                       "features.2": "ReLU", "head": "Linear"}


def test_lightning_style_object_hparams_become_plain_data(tmp_path: Path) -> None:
    model, optimizer = _trained()
    hparams = HParams(lr=0.02, batch_size=16, layers=[40, 30], name="tiny", scale=None,
                      encoder=HParams(depth=3), loss=nn.CrossEntropyLoss())
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, [5, 9])  # a Counter inside
    path = tmp_path / "epoch=2-step=30.ckpt"
    torch.save({"epoch": 2, "global_step": 30, "state_dict": model.state_dict(),
                "optimizer_states": [optimizer.state_dict()], "hyper_parameters": hparams,
                "lr_schedulers": [scheduler.state_dict()], "hparams_name": "kwargs"}, path)
    checkpoint = load_checkpoint(path)
    assert checkpoint.meta["scheduler"] == {"last_epoch": 0, "period": 9, "fall": 1.0}
    assert checkpoint.meta["train_args"] == {"lr": 0.02, "batch_size": 16, "layers": [40, 30],
                                             "name": "tiny", "scale": None}
    assert checkpoint.meta["step"] == 30 and checkpoint.meta["epoch"] == 2
    assert checkpoint.optimizer is not None and checkpoint.optimizer["param_groups"][0]["lr"] \
        == pytest.approx(1e-3)
    assert list(_values(checkpoint)) == list(model.state_dict())


def _fake_module(monkeypatch: pytest.MonkeyPatch, name: str, **attrs: Any) -> None:
    """A module of that name for ``torch.save`` to pickle by reference; gone before loading."""
    module = types.ModuleType(name)
    for key, value in attrs.items():
        value.__module__, value.__qualname__ = name, key
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, name, module)


def test_omegaconf_style_config_reads_as_its_content_and_nothing_is_imported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class DictConfig:
        def __init__(self, content: dict[str, Any]) -> None:
            self._content, self._parent = content, None

    class ListConfig(DictConfig):
        pass

    class AnyNode:
        def __init__(self, value: Any) -> None:
            self._val, self._metadata = value, None

    _fake_module(monkeypatch, "omegaconf")
    _fake_module(monkeypatch, "omegaconf.dictconfig", DictConfig=DictConfig)
    _fake_module(monkeypatch, "omegaconf.listconfig", ListConfig=ListConfig)
    _fake_module(monkeypatch, "omegaconf.nodes", AnyNode=AnyNode)
    widths = ListConfig([AnyNode(8), AnyNode(4)])
    config = DictConfig({"lr": AnyNode(3e-4), "widths": widths})
    widths._parent = config  # omegaconf's nodes point back to their parent
    config._content["loop"] = config  # a cycle in the content reads as None
    path = tmp_path / "pesto_like.ckpt"
    torch.save({"state_dict": {"w": torch.randn(4, 4)}, "hparams": config}, path)
    for name in [m for m in sys.modules if m.startswith("omegaconf")]:
        monkeypatch.delitem(sys.modules, name)
    checkpoint = load_checkpoint(path)
    assert checkpoint.meta["train_args"] == {"lr": 3e-4, "widths": [8, 4], "loop": None}
    assert not [m for m in sys.modules if m.startswith("omegaconf")]


def test_code_in_the_pickle_never_runs(tmp_path: Path) -> None:
    model, _ = _trained()
    marker = tmp_path / "MARKER"
    with_weights = tmp_path / "with_weights.pt"
    torch.save({"state_dict": model.state_dict(), "callback": CallsOnLoad(marker),
                "shell": SystemOnLoad(marker)}, with_weights)
    setstate = SetStateNet()
    setstate.marker_path = str(marker)
    whole = tmp_path / "setstate.pt"
    torch.save(setstate, whole)
    # read as data: the payloads are inert records, left out of the checkpoint; the one
    # that would run a shell command is named in a note (the person learns what it was)
    ctx = ProbeContext()
    assert list(_values(load_checkpoint(with_weights, ctx=ctx))) == list(model.state_dict())
    assert len(ctx.notes) == 1 and "'shell'" in ctx.notes[0] and ".system" in ctx.notes[0]
    assert "nothing run" in ctx.notes[0]
    assert "features.0.weight" in _values(load_checkpoint(whole))
    # nothing but a call: there is no data to read, the refusal stays
    only_call = tmp_path / "only_call.pt"
    torch.save({"payload": SystemOnLoad(marker)}, only_call)
    with pytest.raises(InputError) as refused:
        load_checkpoint(only_call)
    message = refused.value.message
    assert "\n" not in message and str(only_call) in message and "--trust-checkpoint" in message
    assert not marker.exists()


def test_a_file_the_inert_reader_cannot_read_keeps_its_refusal(tmp_path: Path) -> None:
    model, _ = _trained()
    model.register_buffer("mask", torch.eye(3).to_sparse())  # a tensor it does not rebuild
    sparse = tmp_path / "sparse_whole.pt"
    torch.save(model, sparse)
    stored = tmp_path / "stored.pt"
    torch.save({"state_dict": model.state_dict(), "hyper_parameters": HParams(lr=0.1)}, stored)
    compressed = tmp_path / "compressed.pt"
    with zipfile.ZipFile(stored) as src, \
            zipfile.ZipFile(compressed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    for path, words in ((sparse, ("TinyNet", "--trust-checkpoint")), (compressed, ("compressed",))):
        with pytest.raises(InputError) as refused:
            load_checkpoint(path)
        message = refused.value.message
        assert "\n" not in message and str(path) in message
        assert all(w in message for w in words), message


def test_the_cli_diagnoses_whole_modules_and_object_hparams(tmp_path: Path, cli: Any) -> None:
    model, optimizer = _trained()
    torch.save(model, tmp_path / "whole.pt")
    torch.save({"epoch": 2, "global_step": 30, "state_dict": model.state_dict(),
                "optimizer_states": [optimizer.state_dict()],
                "hyper_parameters": HParams(lr=1e-3, batch_size=8)}, tmp_path / "last.ckpt")
    for name in ("whole.pt", "last.ckpt"):
        out = cli.run(["diagnose", "--checkpoint", name, "--no-input", "--format", "json"],
                      cwd=tmp_path)
        assert out.returncode in (0, 1), (name, out.stderr)
        assert "Traceback" not in out.stderr
        report = json.loads(out.stdout)
        assert report["inputs"]["checkpoint"].endswith(name), report["inputs"]


def test_the_inert_reader_records_calls_without_making_them(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    path = tmp_path / "calls.pt"
    torch.save({"w": torch.arange(3.0), "shell": SystemOnLoad(marker),
                "hooks": HParams(on_load=CallsOnLoad(marker))}, path)
    found = load_zip_arrays(path, inert=True)
    assert found["w"].tolist() == [0.0, 1.0, 2.0]
    shell = found["shell"]
    assert isinstance(shell, Record) and shell.qualified == f"{os.system.__module__}.system"
    assert shell.args == (f"touch {marker}",)
    call = found["hooks"]["on_load"]  # the dict subclass gave its items
    assert isinstance(call, Record) and call.qualified == f"{__name__}._write_marker"
    assert not marker.exists()


_WHOLE: dict[str, bytes] = {}


def _whole_module_members() -> dict[str, bytes]:
    """The members of a whole pickled TinyNet, its class renamed to one no one can import."""
    if not _WHOLE:
        buffer = io.BytesIO()
        torch.save(TinyNet(), buffer)
        with zipfile.ZipFile(buffer) as archive:
            _WHOLE.update({n: archive.read(n) for n in archive.namelist()})
        name = next(n for n in _WHOLE if n.endswith("/data.pkl"))
        _WHOLE[name] = _WHOLE[name].replace(b"\nTinyNet\n", b"\nNoSuchNt\n")
    return _WHOLE


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=4))
def test_a_damaged_pickle_is_read_or_refused_and_nothing_is_imported(
        flips: list[tuple[int, int]]) -> None:
    members = dict(_whole_module_members())
    name = next(n for n in members if n.endswith("/data.pkl"))
    data = bytearray(members[name])
    for at, byte in flips:
        data[at % len(data)] = byte
    members[name] = bytes(data)
    before = set(sys.modules)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.pt"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
            for member, raw in members.items():
                archive.writestr(member, raw)
        try:
            found = load_zip_arrays(path, inert=True)
        except NeedsTorch:
            found = None
        if not flips:  # undamaged: the module, read as data
            assert list(found.state_dict()) == list(TinyNet().state_dict())
    assert set(sys.modules) == before
