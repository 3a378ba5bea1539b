"""Read the weights of a TorchScript archive without compiling or running any of its code.

``torch.jit.load`` compiles the archive's code and runs its ``__setstate__`` methods; for an
untrusted file dldoctor instead unpickles ``data.pkl`` with an unpickler that knows only
tensors and plain containers, and turns every scripted object into an inert record of its
attributes. The record keeps the class name, so the scan also learns layer types.
"""

from __future__ import annotations

import collections
import pickle
import zipfile
from pathlib import Path
from typing import Any

import torch

from dldoctor.error_texts import err
from dldoctor.errors import InputError

__all__ = ["read_torchscript", "is_torchscript_zip"]

_STORAGE_DTYPES: dict[str, torch.dtype] = {
    "FloatStorage": torch.float32, "DoubleStorage": torch.float64, "HalfStorage": torch.float16,
    "BFloat16Storage": torch.bfloat16, "LongStorage": torch.int64, "IntStorage": torch.int32,
    "ShortStorage": torch.int16, "CharStorage": torch.int8, "ByteStorage": torch.uint8,
    "BoolStorage": torch.bool,
}


class _Scripted:
    """An inert stand-in for a scripted object: its class name and its attributes."""

    ts_type = "object"

    def __setstate__(self, state: Any) -> None:
        self.state = state


class _Storage:
    def __init__(self, dtype: torch.dtype) -> None:
        self.dtype = dtype


def _rebuild_tensor(storage: torch.Tensor, offset: int, size: tuple[int, ...],
                    stride: tuple[int, ...], *_: Any) -> torch.Tensor:
    return torch.as_strided(storage, size, stride, offset)


def _ordered_dict(*args: Any) -> collections.OrderedDict[Any, Any]:
    return collections.OrderedDict(*args)


def _as_list(values: Any) -> list[Any]:
    return list(values)


def _restore_type_tag(value: Any, _type: str) -> Any:
    return value


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, archive: zipfile.ZipFile, prefix: str) -> None:
        import io

        super().__init__(io.BytesIO(data))
        self._archive = archive
        self._prefix = prefix
        self._classes: dict[str, type] = {}

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor
        if module == "collections" and name == "OrderedDict":
            return _ordered_dict
        if module == "torch.jit._pickle":
            return _restore_type_tag if name == "restore_type_tag" else _as_list
        if module == "torch" and name in _STORAGE_DTYPES:
            return _Storage(_STORAGE_DTYPES[name])
        if module.startswith("__torch__"):
            qualified = f"{module}.{name}"
            if qualified not in self._classes:
                self._classes[qualified] = type(name, (_Scripted,), {"ts_type": qualified})
            return self._classes[qualified]
        raise pickle.UnpicklingError(f"unsupported global {module}.{name}")

    def persistent_load(self, pid: Any) -> torch.Tensor:
        _, storage, key, _location, numel = pid
        info = self._archive.getinfo(f"{self._prefix}data/{key}")
        if info.compress_type != zipfile.ZIP_STORED:  # sniff refuses these; never raw weights
            raise ValueError(f"storage record {key} is compressed")
        raw = self._archive.read(info)
        dtype = storage.dtype
        if not raw:
            return torch.empty(0, dtype=dtype)
        return torch.frombuffer(bytearray(raw), dtype=dtype, count=numel)


def is_torchscript_zip(archive: zipfile.ZipFile) -> bool:
    """TorchScript archives carry a ``constants.pkl`` next to ``data.pkl``."""
    return any(n.endswith("/constants.pkl") or n == "constants.pkl" for n in archive.namelist())


def _walk(obj: Any, prefix: str, tensors: dict[str, torch.Tensor], types: dict[str, str]) -> None:
    if isinstance(obj, torch.Tensor):
        tensors[prefix] = obj
        return
    if isinstance(obj, _Scripted):
        types[prefix] = obj.ts_type.rsplit(".", 1)[-1]
        state = getattr(obj, "state", None)
        if isinstance(state, dict):
            for key, value in state.items():
                if isinstance(key, str) and not key.startswith("_"):
                    _walk(value, f"{prefix}.{key}" if prefix else key, tensors, types)


def read_torchscript(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Return (tensors by dotted name, module type by dotted name) of a TorchScript file."""
    try:
        with zipfile.ZipFile(path) as archive:
            pickles = [n for n in archive.namelist() if n.endswith("data.pkl")]
            if not pickles:
                raise InputError(err("ts.no_data", path=path))
            name = min(pickles, key=len)
            prefix = name[: -len("data.pkl")]
            root = _Unpickler(archive.read(name), archive, prefix).load()
    except (zipfile.BadZipFile, KeyError, EOFError, pickle.UnpicklingError, ValueError,
            RuntimeError, TypeError, AttributeError, IndexError, OverflowError, MemoryError,
            RecursionError, NotImplementedError) as exc:
        first = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError(err("ts.unreadable", path=path, first=first)) from None
    tensors: dict[str, torch.Tensor] = {}
    types: dict[str, str] = {}
    _walk(root, "", tensors, types)
    return tensors, types
