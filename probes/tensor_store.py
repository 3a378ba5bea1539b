"""Named tensors that are read one at a time: the streaming side of checkpoint loading.

A :class:`TensorStore` knows every tensor's name, shape and size without reading its data;
``get`` returns one tensor (a zero-copy view of a memory map where possible) and ``release``
hands its pages back to the kernel, so a scan over a checkpoint larger than memory stays near
the size of its largest tensor.
"""

from __future__ import annotations

import ctypes
import mmap
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from dldoctor.error_texts import err
from dldoctor.errors import InputError

from .sniff import check_safetensors_header

__all__ = ["TensorStore", "DictStore", "SafetensorsStore", "TensorMeta", "read_safetensors_header",
           "check_dense", "ArrayDType", "as_torch", "is_array", "is_tensor_like", "BFloat16Array",
           "bfloat16_view"]

_PAGE = mmap.PAGESIZE
_MADV_DONTNEED = 4

#: safetensors dtypes NumPy holds (BF16 as its bits); the others (F8_*) are read through torch.
_NUMPY_DTYPES: dict[str, np.dtype] = {
    "F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"), "I8": np.dtype("i1"),
    "U8": np.dtype("u1"), "BOOL": np.dtype("?"), "U16": np.dtype("<u2"), "U32": np.dtype("<u4"),
    "U64": np.dtype("<u8"), "BF16": np.dtype("<u2"),  # bits, seen through BFloat16Array
}


def _torch_dtypes() -> dict[str, Any]:
    """safetensors dtype names → torch dtypes (imports torch)."""
    import torch

    found: dict[str, Any] = {
        "F64": torch.float64, "F32": torch.float32, "F16": torch.float16,
        "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32, "I16": torch.int16,
        "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool,
    }
    for name, attr in (("F8_E4M3", "float8_e4m3fn"), ("F8_E5M2", "float8_e5m2"),
                       ("U16", "uint16"), ("U32", "uint32"), ("U64", "uint64")):
        if hasattr(torch, attr):
            found[name] = getattr(torch, attr)
    return found


class BFloat16Array(np.ndarray):
    """bfloat16 values held as their raw 16 bits: NumPy has no bfloat16.

    Views and slices stay bfloat16; ``astype`` and ``item`` convert the values (exactly, as
    torch's ``.float()`` does: the bits are the top half of a float32). Anything else,
    ufuncs included, would see the bits: convert with :meth:`floats` first."""

    def floats(self) -> np.ndarray:
        """The values as a float32 array of the same shape."""
        bits = np.asarray(self).view(np.uint16).astype(np.uint32) << 16
        return bits.view(np.float32)

    def astype(self, dtype: Any, *args: Any, **kwargs: Any) -> np.ndarray:
        kwargs.pop("subok", None)
        return self.floats().astype(dtype, *args, **kwargs)

    def item(self, *args: Any) -> Any:
        return self.floats().item(*args)


def bfloat16_view(array: np.ndarray) -> BFloat16Array:
    """Raw ``uint16`` bits seen as bfloat16 values."""
    return array.view(BFloat16Array)


@dataclass(frozen=True)
class ArrayDType:
    """A NumPy array's element type, spoken like a ``torch.dtype`` (``float32``)."""

    name: str
    itemsize: int
    is_floating_point: bool

    @classmethod
    def of(cls, dtype: np.dtype) -> ArrayDType:
        return cls(dtype.name, dtype.itemsize, dtype.kind == "f")

    @classmethod
    def of_array(cls, array: np.ndarray) -> ArrayDType:
        """An array's element type (a :class:`BFloat16Array` is ``bfloat16``)."""
        if isinstance(array, BFloat16Array):
            return cls("bfloat16", 2, True)
        return cls.of(array.dtype)

    def __str__(self) -> str:
        return self.name


def is_array(value: object) -> bool:
    """A NumPy array (a tensor read without torch)."""
    return isinstance(value, np.ndarray)


def is_tensor_like(value: object) -> bool:
    """A NumPy array or, when torch is already imported, a ``torch.Tensor``."""
    if isinstance(value, np.ndarray):
        return True
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def as_torch(value: Any) -> Any:
    """A ``torch.Tensor`` sharing the array's memory (tensors pass through unchanged)."""
    if isinstance(value, np.ndarray):
        import torch

        if isinstance(value, BFloat16Array):
            return torch.from_numpy(np.asarray(value).view(np.uint16)).view(torch.bfloat16)
        return torch.from_numpy(value)
    return value


@dataclass(frozen=True)
class TensorMeta:
    """What is known of a tensor before reading it (``dtype``: torch's or :class:`ArrayDType`)."""

    name: str
    shape: tuple[int, ...]
    dtype: Any
    nbytes: int


class TensorStore(Protocol):
    """Named tensors, read one by one (``torch.Tensor`` or NumPy arrays)."""

    def metas(self) -> list[TensorMeta]: ...

    def get(self, name: str) -> Any: ...

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


def _array_span(array: np.ndarray) -> int:
    """Bytes from an array's first element to the end of its last (strides ≥ 0)."""
    if array.size == 0:
        return 0
    return sum((n - 1) * s for n, s in zip(array.shape, array.strides, strict=True)) \
        + array.itemsize


class DictStore:
    """Tensors already held in a dict (``torch.load`` with ``mmap=True``, the NumPy reader,
    TorchScript, DCP).

    With ``mmapped`` the tensors are views of a private read-only file mapping, so releasing
    one drops its pages from this process's resident memory.
    """

    def __init__(self, tensors: Mapping[str, Any], mmapped: bool = False) -> None:
        self._tensors = dict(tensors)
        self._mmapped = mmapped

    def metas(self) -> list[TensorMeta]:
        return [TensorMeta(n, tuple(t.shape), ArrayDType.of_array(t), t.nbytes)
                if isinstance(t, np.ndarray) else
                TensorMeta(n, tuple(t.shape), t.dtype, t.numel() * t.element_size())
                for n, t in self._tensors.items()]

    def get(self, name: str) -> Any:
        return self._tensors[name]

    def release(self, name: str) -> None:
        if not self._mmapped:
            return
        tensor = self._tensors[name]
        if isinstance(tensor, np.ndarray):
            if tensor.size:
                _madvise_dontneed(tensor.__array_interface__["data"][0], _array_span(tensor))
            return
        storage = tensor.untyped_storage()
        if storage.nbytes():
            _madvise_dontneed(storage.data_ptr(), storage.nbytes())

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(self._tensors.items())


def read_safetensors_header(path: Path) -> tuple[int, dict[str, dict]]:
    """Return (data offset, header) of a safetensors file, or raise a one-line InputError.

    The header is checked whole (dtypes, shapes against offsets, bounds, overlaps) before
    any tensor is mapped, so a corrupt file never reaches ``torch.frombuffer``.
    """
    return check_safetensors_header(path)


def check_dense(path: Path, tensors: Mapping[str, Any]) -> None:
    """Refuse tensors dldoctor cannot scan: sparse, quantized, nested, or without data.

    NumPy arrays (read without torch) are dense by construction."""
    for name, tensor in tensors.items():
        if isinstance(tensor, np.ndarray):
            continue
        import torch

        what = ("sparse" if tensor.layout != torch.strided else
                "quantized" if tensor.is_quantized else
                "meta" if tensor.is_meta else
                "nested" if getattr(tensor, "is_nested", False) else None)
        if what is not None:
            raise InputError(err("tensor.not_dense", path=path, name=name[:80],
                                 what=err(f"tensor.{what}")))


class SafetensorsStore:
    """One or more safetensors files (a sharded index lists several), read through mmap.

    The header is parsed here rather than through ``safetensors.safe_open`` so that each
    tensor is a zero-copy view of the mapping and its pages can be dropped after use.
    Tensors are NumPy arrays when every dtype has a NumPy twin (torch is then never
    imported), else ``torch.Tensor`` (bfloat16, float8).
    """

    def __init__(self, files: list[Path]) -> None:
        self._where: dict[str, tuple[int, int, int, str, tuple[int, ...]]] = {}
        self._files = files
        self._maps: dict[int, mmap.mmap] = {}
        for index, path in enumerate(files):
            offset, header = read_safetensors_header(path)
            for name, info in header.items():
                if name == "__metadata__":
                    continue
                begin, end = info["data_offsets"]
                self._where[name] = (index, offset + begin, end - begin, info["dtype"],
                                     tuple(info["shape"]))
        kinds = {where[3] for where in self._where.values()}
        self._dtypes: dict[str, Any] = (
            {k: _NUMPY_DTYPES[k] for k in kinds} if kinds <= set(_NUMPY_DTYPES)
            else _torch_dtypes())
        self._numpy = kinds <= set(_NUMPY_DTYPES)

    def metas(self) -> list[TensorMeta]:
        return [TensorMeta(n, shape, self._meta_dtype(kind), length)
                for n, (_, _, length, kind, shape) in self._where.items()]

    def _meta_dtype(self, kind: str) -> Any:
        dtype = self._dtypes[kind]
        if not self._numpy:
            return dtype
        return ArrayDType("bfloat16", 2, True) if kind == "BF16" else ArrayDType.of(dtype)

    def _map(self, index: int) -> mmap.mmap:
        if index not in self._maps:
            with self._files[index].open("rb") as f:
                self._maps[index] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        return self._maps[index]

    def get(self, name: str) -> Any:
        index, start, length, kind, shape = self._where[name]
        dtype = self._dtypes[kind]
        if self._numpy:
            array = np.empty(shape, dtype=dtype) if length == 0 else \
                np.ndarray(shape, dtype, buffer=self._map(index), offset=start)
            return bfloat16_view(array) if kind == "BF16" else array
        import torch

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
