"""Every checkpoint format round-trips; bad and malicious files give one-line errors."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file
from torch import nn

from dldoctor.errors import InputError
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.checkpoints import load_checkpoint
from dldoctor.probes.static_probes import probe_optimizer, probe_weights
from dldoctor.probes.tensor_store import as_torch
from tests.support import check_findings, values_of


def _model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
                         nn.Linear(4 * 4 * 4, 5))


def _trained() -> tuple[nn.Module, torch.optim.Optimizer]:
    model = _model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(2):
        optimizer.zero_grad()
        model(torch.randn(2, 3, 6, 6)).square().mean().backward()
        optimizer.step()
    return model, optimizer


def _tensors(path: Path, trust: bool = False) -> dict[str, torch.Tensor]:
    store = load_checkpoint(path, trust).store
    return {m.name: as_torch(store.get(m.name)).clone() for m in store.metas()}


def _same(found: dict[str, torch.Tensor], expected: dict[str, torch.Tensor],
          prefix: str = "") -> None:
    assert set(found) == {prefix + k for k in expected}
    for key, value in expected.items():
        assert torch.equal(found[prefix + key], value), key


def _writers(tmp: Path, model: nn.Module, optimizer: torch.optim.Optimizer
             ) -> dict[str, tuple[Path, str, bool]]:
    """name → (path, prefix of tensor names, has optimizer)."""
    sd = model.state_dict()
    out: dict[str, tuple[Path, str, bool]] = {}
    torch.save(sd, tmp / "bare.pt")
    out["bare"] = (tmp / "bare.pt", "", False)
    torch.save({"model": sd, "optimizer": optimizer.state_dict(), "step": 2}, tmp / "loop.pth")
    out["loop"] = (tmp / "loop.pth", "", True)
    lightning = {"state_dict": {f"model.{k}": v for k, v in sd.items()},
                 "optimizer_states": [optimizer.state_dict()], "global_step": 2, "epoch": 0,
                 "lr_schedulers": [], "pytorch-lightning_version": "2.4.0"}
    torch.save(lightning, tmp / "last.ckpt")
    out["lightning"] = (tmp / "last.ckpt", "model.", True)
    torch.save({"model_state": sd, "optimizer_state": optimizer.state_dict()}, tmp / "legacy.pt",
               _use_new_zipfile_serialization=False)
    out["legacy"] = (tmp / "legacy.pt", "", True)
    torch.jit.script(model).save(str(tmp / "scripted.pt"))
    out["torchscript"] = (tmp / "scripted.pt", "", False)
    save_file({k: v.contiguous() for k, v in sd.items()}, str(tmp / "model.safetensors"))
    out["safetensors"] = (tmp / "model.safetensors", "", False)
    shards = tmp / "sharded"
    shards.mkdir()
    names = list(sd)
    weight_map = {}
    for index, part in enumerate((names[: len(names) // 2], names[len(names) // 2:])):
        file = f"model-0000{index + 1}-of-00002.safetensors"
        save_file({k: sd[k].contiguous() for k in part}, str(shards / file))
        weight_map.update({k: file for k in part})
    (shards / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}))
    out["sharded"] = (shards / "model.safetensors.index.json", "", False)
    hf = tmp / "checkpoint-500"
    hf.mkdir()
    save_file({k: v.contiguous() for k, v in sd.items()}, str(hf / "model.safetensors"))
    torch.save(optimizer.state_dict(), hf / "optimizer.pt")
    (hf / "trainer_state.json").write_text(json.dumps({"global_step": 500}))
    out["hf_folder"] = (hf, "", True)
    return out


def test_every_format_round_trips(tmp_path: Path) -> None:
    model, optimizer = _trained()
    expected = model.state_dict()
    for name, (path, prefix, has_optimizer) in _writers(tmp_path, model, optimizer).items():
        found = _tensors(path)
        _same(found, expected, prefix)
        checkpoint = load_checkpoint(path)
        assert (checkpoint.optimizer is not None) == has_optimizer, name
        findings = check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                  "checkpoint.weights")
        values = values_of(findings)
        assert values["weights.has_conv"] and values["weights.has_batchnorm"], name
        assert values["weights.depth"] == 2, name
    assert load_checkpoint(tmp_path / "checkpoint-500").meta["step"] == 500


def test_torchscript_gives_layer_types_without_running_code(tmp_path: Path) -> None:
    path = tmp_path / "lstm.pt"
    torch.jit.script(nn.Sequential(nn.Embedding(10, 4), nn.Linear(4, 2))).save(str(path))
    checkpoint = load_checkpoint(path)
    assert checkpoint.module_types["0"] == "Embedding"
    assert checkpoint.format == "torchscript"


def test_distributed_checkpoint_folder(tmp_path: Path) -> None:
    import torch.distributed.checkpoint as dcp

    model, optimizer = _trained()
    folder = tmp_path / "dcp"
    dcp.save({"model": model.state_dict(), "step": 7}, checkpoint_id=str(folder))
    _same(_tensors(folder), model.state_dict())
    assert load_checkpoint(folder).meta["step"] == 7


def test_optimizer_probe_on_lightning_checkpoint(tmp_path: Path) -> None:
    model, optimizer = _trained()
    path = _writers(tmp_path, model, optimizer)["lightning"][0]
    values = values_of(check_findings(probe_optimizer(Inputs(checkpoint=path), ProbeContext()),
                                      "checkpoint.optimizer"))
    assert values["optimizer.kind"] == "adam"
    assert values["optimizer.lr"] == pytest.approx(1e-3)
    assert values["train.step"] == 2
    assert values["optimizer.frozen_params"] is False
    assert 1e-4 < values["update.ratio"] < 1.0


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_malicious_pickle_is_refused_without_running(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    path = tmp_path / "evil.pt"
    torch.save({"model": {"w": torch.ones(2)}, "payload": _Evil(marker)}, path)
    only_payload = tmp_path / "only_payload.pt"
    torch.save({"payload": _Evil(marker)}, only_payload)
    legacy = tmp_path / "evil_legacy.pt"
    torch.save({"payload": _Evil(marker)}, legacy, _use_new_zipfile_serialization=False)
    # the zip's tensors are read as data, the payload as an inert record (never called)
    assert [m.name for m in load_checkpoint(path).store.metas()] == ["w"]
    for file in (only_payload, legacy):
        with pytest.raises(InputError) as info:
            load_checkpoint(file)
        message = info.value.message
        assert "\n" not in message and str(file) in message
        assert "--trust-checkpoint" in message
    assert not marker.exists()


def test_malicious_dcp_metadata_is_refused(tmp_path: Path) -> None:
    import torch.distributed.checkpoint as dcp

    folder = tmp_path / "dcp"
    dcp.save({"w": torch.ones(3)}, checkpoint_id=str(folder))
    marker = tmp_path / "MARKER"
    (folder / ".metadata").write_bytes(pickle.dumps(_Evil(marker)))
    with pytest.raises(InputError) as info:
        load_checkpoint(folder)
    assert "--trust-checkpoint" in info.value.message and "\n" not in info.value.message
    assert not marker.exists()


def _bad_files(tmp: Path) -> dict[str, Path]:
    good = tmp / "good.pt"
    torch.save({"w": torch.randn(100, 100)}, good)
    data = good.read_bytes()
    files = {
        "empty": tmp / "empty.pt",
        "truncated": tmp / "truncated.pt",
        "junk": tmp / "junk.bin",
        "safetensors_truncated": tmp / "cut.safetensors",
        "safetensors_bad_header": tmp / "bad.safetensors",
        "missing": tmp / "nope.pt",
        "empty_folder": tmp / "empty_dir",
        "bad_index": tmp / "x.index.json",
    }
    files["empty"].write_bytes(b"")
    files["truncated"].write_bytes(data[: len(data) // 2])
    files["junk"].write_bytes(b"this is not a checkpoint at all")
    save_file({"w": torch.randn(100, 100)}, str(tmp / "full.safetensors"))
    full = (tmp / "full.safetensors").read_bytes()
    files["safetensors_truncated"].write_bytes(full[: len(full) // 2])
    files["safetensors_bad_header"].write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json!!!!!}")
    files["empty_folder"].mkdir()
    files["bad_index"].write_text("{")
    return files


@pytest.mark.parametrize("kind", ["empty", "truncated", "junk", "safetensors_truncated",
                                  "safetensors_bad_header", "missing", "empty_folder",
                                  "bad_index"])
def test_bad_files_give_one_line_errors(tmp_path: Path, kind: str) -> None:
    path = _bad_files(tmp_path)[kind]
    with pytest.raises(InputError) as info:
        probe_weights(Inputs(checkpoint=path), ProbeContext())
    message = info.value.message
    assert "\n" not in message and str(path) in message, message


def test_trust_allows_full_pickle(tmp_path: Path) -> None:
    path = tmp_path / "module.pt"
    torch.save({"model": nn.Linear(3, 2), "step": 1}, path)
    untrusted = load_checkpoint(path)  # the module read as inert data, no code run
    assert untrusted.module_types == {"": "Linear"}
    assert {m.name for m in untrusted.store.metas()} == {"weight", "bias"}
    assert set(_tensors(path, trust=True)) == {"weight", "bias"}


def test_a_folder_holding_the_batch_beside_the_checkpoint_opens_the_checkpoint(
        tmp_path: Path) -> None:
    """The README's layout: ``ckpt.pt`` and the ``batch.pt`` given to --batch in one folder.
    The batch sorts first and once was read as the checkpoint."""
    from tests.support import train_tiny

    run = train_tiny(tmp_path / "src", None, steps=6)
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "batch.pt").write_bytes(run.batch.read_bytes())
    (folder / "ckpt.pt").write_bytes(run.checkpoint.read_bytes())
    opened = load_checkpoint(folder, False, ProbeContext())
    names = {m.name for m in opened.store.metas()}
    assert "fc1.weight" in names and opened.optimizer is not None
