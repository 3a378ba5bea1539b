"""Checkpoints read without torch: the same tensors and the same facts as ``torch.load``, the
same refusals, and a checkpoint + log diagnosis that never imports torch."""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import struct
import subprocess
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from torch import nn

import dldoctor.probes.checkpoints as checkpoints
import dldoctor.probes.tensor_store as tensor_store
from dldoctor.errors import InputError
from dldoctor.probes.base import Finding, Inputs, ProbeContext
from dldoctor.probes.checkpoints import load_checkpoint
from dldoctor.probes.numpy_checkpoint import NeedsTorch, load_zip_arrays
from dldoctor.probes.static_probes import probe_optimizer, probe_weights
from dldoctor.probes.tensor_store import BFloat16Array, as_torch


def _train(model: nn.Module, optimizer: torch.optim.Optimizer, shape: tuple[int, ...]) -> None:
    for _ in range(3):
        optimizer.zero_grad()
        model(torch.randn(*shape)).square().mean().backward()
        optimizer.step()


def _checkpoints(tmp: Path) -> dict[str, Path]:
    """Real training states in the layouts the NumPy reader handles, and a few odd tensors."""
    torch.manual_seed(0)
    cnn = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
                        nn.Linear(64, 5))
    adam = torch.optim.AdamW(cnn.parameters(), lr=1e-3, weight_decay=0.01)
    _train(cnn, adam, (4, 3, 6, 6))
    mlp = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                        nn.Linear(16, 3))
    sgd = torch.optim.SGD(mlp.parameters(), lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(sgd, 1, gamma=0.5)
    _train(mlp, sgd, (4, 8))
    sched.step()
    bf16 = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3)).to(torch.bfloat16)
    bf16_adam = torch.optim.Adam(bf16.parameters(), lr=1e-3)
    for _ in range(3):
        bf16_adam.zero_grad()
        bf16(torch.randn(4, 8, dtype=torch.bfloat16)).float().square().mean().backward()
        bf16_adam.step()
    out = {"bare": tmp / "bare.pt", "loop": tmp / "loop.pth", "lightning": tmp / "last.ckpt",
           "sgd": tmp / "sgd.pt", "odd": tmp / "odd.pt", "half": tmp / "half.pt",
           "zero": tmp / "zero.pt", "bf16": tmp / "bf16.pt"}
    torch.save(cnn.state_dict(), out["bare"])
    torch.save({"model": cnn.state_dict(), "optimizer": adam.state_dict(), "step": 3,
                "epoch": torch.tensor(1)}, out["loop"])
    torch.save({"state_dict": {f"model.{k}": v for k, v in cnn.state_dict().items()},
                "optimizer_states": [adam.state_dict()], "global_step": 3}, out["lightning"])
    torch.save({"model_state_dict": mlp.state_dict(), "optimizer_state_dict": sgd.state_dict(),
                "scheduler": sched.state_dict()}, out["sgd"])
    sd = mlp.state_dict()
    sd["0.weight"][2, 3] = float("nan")  # a NaN, a tied (shared) and a transposed weight
    shared = {**sd, "tied.weight": sd["2.weight"], "t.weight": sd["4.weight"].t(),
              "flag": torch.tensor([True, False]), "empty": torch.empty(0, 4),
              "scalar": torch.tensor(2.5), "param": nn.Parameter(torch.ones(3, 2))}
    torch.save(shared, out["odd"])
    torch.save({k: v.half() for k, v in mlp.state_dict().items()}, out["half"])
    zero = {k: torch.zeros_like(v) for k, v in mlp.state_dict().items()}
    torch.save(zero, out["zero"])
    torch.save({"model": bf16.state_dict(), "optimizer": bf16_adam.state_dict()}, out["bf16"])
    return out


def _same(found: Any, expected: Any, where: str = "") -> None:
    if isinstance(expected, torch.Tensor) and expected.dtype == torch.bfloat16:
        assert isinstance(found, BFloat16Array) and found.shape == tuple(expected.shape), where
        assert torch.equal(as_torch(found), expected.detach()), where
        assert np.array_equal(found.astype(np.float32), expected.detach().float().numpy(),
                              equal_nan=True), where
    elif isinstance(expected, torch.Tensor):
        assert isinstance(found, np.ndarray), where
        want = expected.detach().numpy()
        assert found.shape == want.shape and found.dtype == want.dtype, where
        assert np.array_equal(found, want, equal_nan=found.dtype.kind == "f"), where
    elif isinstance(expected, dict):
        assert type(found) is type(expected) and list(found) == list(expected), where
        for key in expected:
            _same(found[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list | tuple):
        assert type(found) is type(expected) and len(found) == len(expected), where
        for index, (x, y) in enumerate(zip(found, expected, strict=True)):
            _same(x, y, f"{where}[{index}]")
    else:
        assert found == expected and type(found) is type(expected), where


def test_the_numpy_reader_gives_what_torch_load_gives(tmp_path: Path) -> None:
    for name, path in _checkpoints(tmp_path).items():
        _same(load_zip_arrays(path), torch.load(path, weights_only=True), name)


def _findings(path: Path, through_torch: bool, monkeypatch: pytest.MonkeyPatch
              ) -> dict[str, Finding]:
    with monkeypatch.context() as patch:
        if through_torch:
            def refuse(file: Path) -> None:
                raise NeedsTorch("forced")

            patch.setattr(checkpoints, "load_zip_arrays", refuse)
            patch.setattr(tensor_store, "_NUMPY_DTYPES", {})  # safetensors through torch
        inputs, ctx = Inputs(checkpoint=path), ProbeContext()
        found = probe_weights(inputs, ctx) + probe_optimizer(inputs, ctx)
        store = load_checkpoint(path).store
        kind = torch.Tensor if through_torch else np.ndarray
        assert all(isinstance(store.get(m.name), kind) for m in store.metas()), path
    return {f.fact: f for f in found}


def _agree(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-12) or (a != a and b != b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_agree(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_agree(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def test_facts_are_the_torch_path_facts(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    files = _checkpoints(tmp_path)
    save_file({k: v.contiguous() for k, v in torch.load(files["bare"]).items()},
              str(tmp_path / "model.safetensors"))
    save_file(torch.load(files["bf16"])["model"], str(tmp_path / "bf16.safetensors"))
    files["safetensors"] = tmp_path / "model.safetensors"
    files["safetensors_bf16"] = tmp_path / "bf16.safetensors"
    compared = 0
    for name, path in files.items():
        fast, slow = (_findings(path, False, monkeypatch), _findings(path, True, monkeypatch))
        assert fast.keys() == slow.keys(), name
        for fact, finding in fast.items():
            other = slow[fact]
            assert _agree(finding.value, other.value), (name, fact, finding.value, other.value)
            assert finding.evidence == other.evidence, (name, fact)
            assert _agree(finding.details, other.details), (name, fact)
            compared += 1
    assert compared > 100
    facts = {f: x.value for f, x in _findings(files["odd"], False, monkeypatch).items()}
    assert facts["weights.non_finite"] is True
    assert _findings(files["zero"], False, monkeypatch)["weights.all_zero"].value is True
    assert _findings(files["sgd"], False, monkeypatch)["optimizer.kind"].value == "sgd"
    bf16 = _findings(files["bf16"], False, monkeypatch)
    assert bf16["weights.dtype_half"].value is True and "update.ratio" in bf16


def test_what_the_numpy_reader_does_not_know_goes_through_torch(tmp_path: Path) -> None:
    model = nn.Linear(4, 3)
    files = {"complex": tmp_path / "complex.pt", "legacy": tmp_path / "legacy.pt",
             "args": tmp_path / "timm.pth.tar"}
    torch.save({**model.state_dict(), "weight": model.weight.detach().to(torch.complex64)},
               files["complex"])
    torch.save(model.state_dict(), files["legacy"], _use_new_zipfile_serialization=False)
    torch.save({"state_dict": model.state_dict(), "epoch": 2,
                "args": argparse.Namespace(lr=0.05, weight_decay=0.0, batch_size=32)},
               files["args"])
    for path in (files["complex"], files["args"]):
        with pytest.raises(NeedsTorch):
            load_zip_arrays(path)
    for path in files.values():
        checkpoint = load_checkpoint(path)
        assert {m.name for m in checkpoint.store.metas()} == {"weight", "bias"}
        assert all(isinstance(checkpoint.store.get(m.name), torch.Tensor)
                   for m in checkpoint.store.metas())
    assert load_checkpoint(files["args"]).meta["train_args"]["lr"] == 0.05


# ----------------------------------------------------------------- hand-made (hostile) pickles
def _text(value: str) -> bytes:
    raw = value.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def _tensor_pickle(numel: int, size: int, offset: int = 0) -> bytes:
    """``{"w": tensor}`` as torch.save pickles it, with the sizes given."""
    storage = (b"(" + _text("storage") + b"ctorch\nFloatStorage\n" + _text("0") + _text("cpu")
               + b"K" + bytes([numel]) + b"tQ")
    ordered = b"ccollections\nOrderedDict\n)R"
    return (b"\x80\x02}" + _text("w") + b"ctorch._utils\n_rebuild_tensor_v2\n(" + storage
            + b"K" + bytes([offset]) + b"K" + bytes([size]) + b"\x85K\x01\x85\x89" + ordered
            + b"tRs.")


def _archive(path: Path, pickle_bytes: bytes, storage: bytes = b"\x00" * 16) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("archive/data.pkl", pickle_bytes)
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/data/0", storage)
        archive.writestr("archive/version", "3\n")
    return path


def test_a_hand_made_state_dict_reads_like_torch(tmp_path: Path) -> None:
    values = struct.pack("<4f", 1.0, -2.0, 3.5, 0.25)
    path = _archive(tmp_path / "made.pt", _tensor_pickle(4, 3, offset=1), values)
    found, expected = load_zip_arrays(path), torch.load(path, weights_only=True)
    _same(found, expected)
    assert found["w"].tolist() == [-2.0, 3.5, 0.25]
    # a storage declared larger than its record: torch.load decides (it maps past the record)
    with pytest.raises(NeedsTorch):
        load_zip_arrays(_archive(tmp_path / "short.pt", _tensor_pickle(40, 4), values))


@pytest.mark.parametrize("case", ["past_storage", "build_on_list",
                                  "call_a_storage", "os_system", "truncated"])
def test_tampered_pickles_are_refused_like_torch_refuses_them(tmp_path: Path,
                                                              case: str) -> None:
    marker = tmp_path / "MARKER"
    pickles = {
        "past_storage": _tensor_pickle(4, 10),
        "build_on_list": b"\x80\x02]" + _text("x") + b"}b.",
        "call_a_storage": b"\x80\x02ctorch\nFloatStorage\n)R.",
        "os_system": b"\x80\x02cos\nsystem\n" + _text(f"touch {marker}") + b"\x85R.",
        "truncated": _tensor_pickle(4, 4)[:-9],
    }
    path = _archive(tmp_path / f"{case}.pt", pickles[case])
    with pytest.raises(NeedsTorch):
        load_zip_arrays(path)
    with pytest.raises(InputError) as info:
        load_checkpoint(path)
    message = info.value.message
    assert "\n" not in message and str(path) in message, message
    if case == "os_system":
        assert "--trust-checkpoint" in message
    assert not marker.exists()


# ------------------------------------------------------------------------- the installed CLI
def test_checkpoint_and_log_diagnosis_never_imports_torch(tmp_path: Path) -> None:
    files = _checkpoints(tmp_path)
    save_file({k: v.contiguous() for k, v in torch.load(files["bare"]).items()},
              str(tmp_path / "model.safetensors"))
    log = tmp_path / "log.csv"
    rows = [f"{step},{2.0 * 0.97 ** step:.5f},0.001" for step in range(200)]
    log.write_text("step,loss,lr\n" + "\n".join(rows) + "\n")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for checkpoint in (files["loop"], tmp_path / "model.safetensors"):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "dldoctor", "diagnose", "-c",
             str(checkpoint), "-l", str(log), "--no-input", "--format", "json"],
            capture_output=True, text=True, timeout=300, env=env)
        assert out.returncode in (0, 1), out.stderr[-2000:]
        imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines()
                    if line.startswith("import time:")}
        assert "numpy" in imported and not any(m.split(".")[0] == "torch" for m in imported)
        report = json.loads(out.stdout)
        assert "weights.depth" in json.dumps(report), checkpoint


def test_weights_read_without_torch_load_into_a_model(tmp_path: Path) -> None:
    """The live probes get torch tensors sharing the mapped arrays (no copy, no warning)."""
    path = _checkpoints(tmp_path)["bare"]
    store = load_checkpoint(path).store
    from dldoctor.probes.tensor_store import as_torch

    tensor = as_torch(store.get("4.weight"))
    assert isinstance(tensor, torch.Tensor) and tuple(tensor.shape) == (5, 64)
    assert torch.equal(tensor, torch.load(path)["4.weight"])
    buffer = io.BytesIO()
    torch.save(OrderedDict(w=tensor), buffer)  # an ordinary tensor in every way


def test_mutated_pickles_are_read_as_torch_reads_them_or_left_to_torch(tmp_path: Path) -> None:
    """Whatever the NumPy reader accepts, torch's weights_only loader accepts too, and reads
    the same: byte flips, cuts and insertions in a real state dict's pickle."""
    import random

    source = _checkpoints(tmp_path)["loop"]
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
        members = {i.filename: archive.read(i.filename) for i in infos}
    name = next(n for n in members if n.endswith("data.pkl"))
    rng = random.Random(0)
    accepted = 0
    for case in range(150):
        data = bytearray(members[name])
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(data))
            action = rng.random()
            if action < 0.6:
                data[at] = rng.randrange(256)
            elif action < 0.8:
                del data[at:at + rng.randint(1, 8)]
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        path = tmp_path / f"mutant{case}.pt"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
            for info in infos:
                archive.writestr(info.filename, bytes(data) if info.filename == name
                                 else members[info.filename])
        try:
            found = load_zip_arrays(path)
        except NeedsTorch:
            continue
        accepted += 1
        _same(found, torch.load(path, weights_only=True), f"mutant {case}")
    assert accepted > 5  # some flips land in values (a float, a name) and still read
