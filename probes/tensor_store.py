"""Named tensors that are read one at a time: the streaming side of checkpoint loading.

A :class:`TensorStore` knows every tensor's name, shape and size without reading its data;
``get`` returns one tensor (a zero-copy view of a memory map where possible) and ``release``
hands its pages back to the kernel, so a scan over a checkpoint larger than memory stays near
the size of its largest tensor.
"""

from __future__ import annotations

import ctypes
import mmap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import torch

from dldoctor.errors import InputError

from .sniff import check_safetensors_header

__all__ = ["TensorStore", "DictStore", "SafetensorsStore", "TensorMeta", "read_safetensors_header",
           "check_dense"]

_PAGE = mmap.PAGESIZE
_MADV_DONTNEED = 4

_SAFETENSORS_DTYPES: dict[str, torch.dtype] = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
    "U8": torch.uint8, "BOOL": torch.bool,
}
for _name, _attr in (("F8_E4M3", "float8_e4m3fn"), ("F8_E5M2", "float8_e5m2"),
                     ("U16", "uint16"), ("U32", "uint32"), ("U64", "uint64")):
    if hasattr(torch, _attr):
        _SAFETENSORS_DTYPES[_name] = getattr(torch, _attr)


@dataclass(frozen=True)
class TensorMeta:
    """What is known of a tensor before reading it."""

    name: str
    shape: tuple[int, ...]
    dtype: torch.dtype
    nbytes: int


class TensorStore(Protocol):
    """Named tensors, read one by one."""

    def metas(self) -> list[TensorMeta]: ...

    def get(self, name: str) -> torch.Tensor: ...

    def release(self, name: str) -> None: ...


def _madvise_dontneed(address: int, length: int) -> None:
    """Drop the resident pages of a read-only file mapping (they are re-read if touched)."""
    start = address - address % _PAGE
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.madvise(ctypes.c_void_p(start), ctypes.c_size_t(length + address - start),
                     _MADV_DONTNEED)
    except (OSError, AttributeError):  # not Linux/glibc: the kernel reclaims them anyway
        pass


class DictStore:
    """Tensors already held in a dict (``torch.load`` with ``mmap=True``, TorchScript, DCP).

    With ``mmapped`` the tensors are views of a private read-only file mapping, so releasing
    one drops its pages from this process's resident memory.
    """

    def __init__(self, tensors: Mapping[str, torch.Tensor], mmapped: bool = False) -> None:
        self._tensors = dict(tensors)
        self._mmapped = mmapped

    def metas(self) -> list[TensorMeta]:
        return [TensorMeta(n, tuple(t.shape), t.dtype, t.numel() * t.element_size())
                for n, t in self._tensors.items()]

    def get(self, name: str) -> torch.Tensor:
        return self._tensors[name]

    def release(self, name: str) -> None:
        if self._mmapped:
            storage = self._tensors[name].untyped_storage()
            if storage.nbytes():
                _madvise_dontneed(storage.data_ptr(), storage.nbytes())

    def items(self) -> Iterator[tuple[str, torch.Tensor]]:
        return iter(self._tensors.items())


def read_safetensors_header(path: Path) -> tuple[int, dict[str, dict]]:
    """Return (data offset, header) of a safetensors file, or raise a one-line InputError.

    The header is checked whole (dtypes, shapes against offsets, bounds, overlaps) before
    any tensor is mapped, so a corrupt file never reaches ``torch.frombuffer``.
    """
    return check_safetensors_header(path)


def check_dense(path: Path, tensors: Mapping[str, torch.Tensor]) -> None:
    """Refuse tensors dldoctor cannot scan: sparse, quantized, nested, or without data."""
    for name, tensor in tensors.items():
        what = ("sparse" if tensor.layout != torch.strided else
                "quantized" if tensor.is_quantized else
                "a meta tensor (shape only, no data)" if tensor.is_meta else
                "nested" if getattr(tensor, "is_nested", False) else None)
        if what is not None:
            raise InputError(f"{path}: tensor {name[:80]!r} is {what}; dldoctor reads dense "
                             "tensors with data only (save the dense weights: "
                             "tensor.to_dense() / dequantize())")


class SafetensorsStore:
    """One or more safetensors files (a sharded index lists several), read through mmap.

    The header is parsed here rather than through ``safetensors.safe_open`` so that each
    tensor is a zero-copy view of the mapping and its pages can be dropped after use.
    """

    def __init__(self, files: list[Path]) -> None:
        self._where: dict[str, tuple[int, int, int, torch.dtype, tuple[int, ...]]] = {}
        self._files = files
        self._maps: dict[int, mmap.mmap] = {}
        for index, path in enumerate(files):
            offset, header = read_safetensors_header(path)
            for name, info in header.items():
                if name == "__metadata__":
                    continue
                begin, end = info["data_offsets"]
                self._where[name] = (index, offset + begin, end - begin,
                                     _SAFETENSORS_DTYPES[info["dtype"]], tuple(info["shape"]))

    def metas(self) -> list[TensorMeta]:
        return [TensorMeta(n, shape, dtype, length)
                for n, (_, _, length, dtype, shape) in self._where.items()]

    def _map(self, index: int) -> mmap.mmap:
        if index not in self._maps:
            with self._files[index].open("rb") as f:
                self._maps[index] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        return self._maps[index]

    def get(self, name: str) -> torch.Tensor:
        index, start, length, dtype, shape = self._where[name]
        if length == 0:
            return torch.empty(shape, dtype=dtype)
        buffer = self._map(index)
        flat = torch.frombuffer(buffer, dtype=dtype, count=length // dtype.itemsize,
                                offset=start)
        return flat.view(shape)

    def release(self, name: str) -> None:
        index, start, length, _, _ = self._where[name]
        if index in self._maps and length:
            aligned = start - start % _PAGE
            try:
                self._maps[index].madvise(mmap.MADV_DONTNEED, aligned, length + start - aligned)
            except (AttributeError, OSError, ValueError):
                pass
