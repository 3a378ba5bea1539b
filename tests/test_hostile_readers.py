"""The torch-free sniff and the quiet loader, in-process (the CLI corpus covers the rest)."""

from __future__ import annotations

import json
import os
import struct
import warnings
from pathlib import Path

import pytest

from dldoctor.errors import InputError
from dldoctor.probes.quiet import quiet
from dldoctor.probes.sniff import check_named_input, sniff


def _safetensors(path: Path, pad_to: int) -> Path:
    header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    header += b" " * (pad_to - len(header))
    path.write_bytes(struct.pack("<Q", len(header)) + header + bytes(8))
    return path


@pytest.mark.parametrize("length", [0x0280, 0x0380, 0x0480, 0x0580, 0x0180])
def test_safetensors_whose_length_looks_like_a_pickle_opcode(tmp_path: Path,
                                                             length: int) -> None:
    path = _safetensors(tmp_path / "w.safetensors", length)
    assert path.read_bytes()[0] == 0x80
    assert sniff(path) == "safetensors"


def test_a_pickle_is_told_by_its_proto_opcode(tmp_path: Path) -> None:
    import pickle

    path = tmp_path / "p.pkl"
    path.write_bytes(pickle.dumps({"a": 1}, protocol=4))
    assert sniff(path) == "pickle"
    (tmp_path / "one.pkl").write_bytes(b"\x80")
    with pytest.raises(InputError, match="one.pkl: not a checkpoint"):
        sniff(tmp_path / "one.pkl")


def test_an_index_never_leaves_its_folder_nor_echoes(tmp_path: Path) -> None:
    secret = tmp_path / "secret.safetensors"
    secret.write_text("TOP-SECRET-CONTENT")
    inner = tmp_path / "ckpt"
    inner.mkdir()
    for target in ("../secret.safetensors", str(secret), "a/../../secret.safetensors"):
        index = inner / "model.safetensors.index.json"
        index.write_text(json.dumps({"weight_map": {"w": target}}))
        with pytest.raises(InputError) as info:
            check_named_input(index, "checkpoint")
        assert "outside" in info.value.message and "TOP-SECRET" not in info.value.message


def test_a_batch_must_be_a_torch_file(tmp_path: Path) -> None:
    path = _safetensors(tmp_path / "b.safetensors", 0x100)
    with pytest.raises(InputError, match="expected a torch.save file"):
        check_named_input(path, "batch")


def test_quiet_keeps_warnings_logs_and_raw_stderr_as_notes(
        capfd: pytest.CaptureFixture) -> None:
    import logging

    with quiet() as said:
        warnings.warn("Detected pickle protocol 4", UserWarning, stacklevel=1)
        logging.getLogger("torch.distributed.checkpoint").warning("Global metadata not found")
        os.write(2, b"[W something.cpp:12] a C++ warning\n")
    assert capfd.readouterr().err == ""
    assert any("pickle protocol" in s for s in said)
    assert any("Global metadata" in s for s in said)
    assert any("C++ warning" in s for s in said)


def test_hugging_face_cache_symlinks_stay_readable(tmp_path: Path) -> None:
    """The hub cache links each shard to ../../blobs/: a link is fine, a name climbing is not."""
    from dldoctor.probes.sniff import index_shards

    blobs, snapshot = tmp_path / "blobs", tmp_path / "snapshots" / "abc123"
    blobs.mkdir()
    snapshot.mkdir(parents=True)
    _safetensors(blobs / "0f1e2d", 0x100)
    (snapshot / "model-00001-of-00001.safetensors").symlink_to("../../blobs/0f1e2d")
    index = snapshot / "model.safetensors.index.json"
    index.write_text(json.dumps({"weight_map": {"w": "model-00001-of-00001.safetensors"}}))
    assert index_shards(index) == [snapshot / "model-00001-of-00001.safetensors"]
    check_named_input(index, "checkpoint")


@pytest.mark.parametrize("kind", ["sparse", "quantized", "meta", "nested"])
def test_tensors_without_plain_data_are_refused(tmp_path: Path, kind: str) -> None:
    import torch

    from dldoctor.probes.checkpoints import load_checkpoint

    with warnings.catch_warnings():  # quantized and nested tensors warn they are deprecated
        warnings.simplefilter("ignore")
        tensor = {
            "sparse": lambda: torch.eye(3).to_sparse(),
            "quantized": lambda: torch.quantize_per_tensor(torch.randn(3), 0.1, 0, torch.qint8),
            "meta": lambda: torch.empty(3, device="meta"),
            "nested": lambda: torch.nested.nested_tensor([torch.randn(2), torch.randn(3)]),
        }[kind]()
        path = tmp_path / f"{kind}.pt"
        torch.save({"model": {"w": tensor, "b": torch.zeros(3)}}, path)
    with pytest.raises(InputError, match=f"{kind}.pt: tensor 'w' is (a )?{kind}"):
        load_checkpoint(path)


def test_warnings_while_probes_run_become_notes(capfd: pytest.CaptureFixture) -> None:
    import logging

    from dldoctor.probes.quiet import warnings_to

    notes: list[str] = []
    with warnings_to(notes.append):
        warnings.warn("my model is grumpy", UserWarning, stacklevel=1)
        logging.getLogger("torch").warning("a torch log line")
        print("dldoctor: progress", file=__import__("sys").stderr)
    assert capfd.readouterr().err == "dldoctor: progress\n"
    assert notes == ["UserWarning: my model is grumpy", "a torch log line"]
