"""Read a ``torch.save`` zip checkpoint as NumPy arrays, without importing torch.

Importing torch costs more than a second of CPU; a checkpoint's weights and optimizer state
are plain arrays in the zip's ``data/N`` members, described by a small pickle. This module
reads that pickle with its own unpickler, which knows only what a state dict is made of:

* the globals ``torch._utils._rebuild_tensor_v2``, ``torch._utils._rebuild_parameter``,
  ``collections.OrderedDict`` and the typed storages ``torch.FloatStorage`` … (all on torch's
  own ``weights_only`` allow-list);
* the opcodes torch's ``weights_only`` unpickler accepts, with the same restrictions
  (``BUILD`` only on an ``OrderedDict``, items set only on dicts, persistent ids only for
  storages).

Each tensor becomes a zero-copy NumPy view of a private memory map of the file (bfloat16 as
its bits, through :class:`.tensor_store.BFloat16Array`). Anything else (another global, an
opcode, a complex dtype, a big-endian or truncated archive, a storage on an unusual device)
raises :class:`NeedsTorch`, and the caller reads the file with ``torch.load`` as before:
refusals of hostile pickles and every error message stay torch's.
Nothing named in the file is ever imported or called.

Inert mode (``load_zip_arrays(path, inert=True)``, for files ``weights_only`` refuses) reads
what the strict mode refuses as data: any other global is an inert :class:`.Global`, calling
it a :class:`.Record` of the call (``REDUCE``, ``NEWOBJ``, ``BUILD``, ``SETITEMS`` and
``APPENDS`` only store), the opcodes of protocols 3-5 that build no object are read too, and
:func:`.inert_objects.to_data` turns whole modules and hyper-parameter containers into plain
data. Tensor rebuilders it does not know (sparse, quantized, …) still raise
:class:`NeedsTorch`.
"""

from __future__ import annotations

import io
import mmap
import struct
import zipfile
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from .inert_objects import Global, Record, to_data
from .tensor_store import bfloat16_view

__all__ = ["NeedsTorch", "load_zip_arrays", "STORAGE_DTYPES"]

#: torch's typed storages and the NumPy dtype of their bytes.
STORAGE_DTYPES: dict[str, np.dtype] = {
    name: np.dtype(code) for name, code in (
        ("FloatStorage", "<f4"), ("DoubleStorage", "<f8"), ("HalfStorage", "<f2"),
        ("LongStorage", "<i8"), ("IntStorage", "<i4"), ("ShortStorage", "<i2"),
        ("CharStorage", "i1"), ("ByteStorage", "u1"), ("BoolStorage", "?"),
        ("BFloat16Storage", "<u2"))  # bits, seen through BFloat16Array
}
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, name length, extra length
_DEVICES = ("cpu", "cuda", "mps")  # where the bytes were: they read the same


class NeedsTorch(Exception):
    """The file holds something this reader does not handle: read it with ``torch.load``."""


class _StorageType:
    """What ``GLOBAL torch.FloatStorage`` stands for here: just the element type."""

    def __init__(self, dtype: np.dtype, bfloat16: bool = False) -> None:
        self.dtype, self.bfloat16 = dtype, bfloat16


class _Archive:
    """The zip's storage members, mapped once; ``storage(key)`` is a 1-D array of bytes."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, prefix: str) -> None:
        self.path, self.prefix = path, prefix
        self.infos = {i.filename: i for i in archive.infolist()}
        with path.open("rb") as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        self.loaded: dict[str, tuple[int, int]] = {}  # key → (offset, bytes)

    def storage(self, key: str, dtype: np.dtype, numel: int) -> tuple[int, int]:
        """(byte offset in the file, element count) of storage ``key``, checked."""
        if key in self.loaded:
            start, nbytes = self.loaded[key]
            if nbytes != numel * dtype.itemsize:  # one record read as two element types
                raise NeedsTorch(f"storage {key!r} is referred to with another size")
            return start, numel
        info = self.infos.get(f"{self.prefix}data/{key}")
        if info is None or info.compress_type != zipfile.ZIP_STORED:
            raise NeedsTorch(f"storage {key!r} is missing or compressed")
        if info.file_size != numel * dtype.itemsize:
            raise NeedsTorch(f"storage {key!r} has {info.file_size} bytes for {numel} elements")
        head = self.map[info.header_offset:info.header_offset + _LOCAL_HEADER.size]
        if len(head) != _LOCAL_HEADER.size:
            raise NeedsTorch("truncated local header")
        signature, name_len, extra_len = _LOCAL_HEADER.unpack(head)
        start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
        if signature != b"PK\x03\x04" or start + info.file_size > len(self.map):
            raise NeedsTorch(f"storage {key!r} lies outside the file")
        self.loaded[key] = (start, info.file_size)
        return start, numel


class _Storage:
    """A storage the pickle refers to: where its elements are and of which type."""

    def __init__(self, archive: _Archive, kind: _StorageType, offset: int, numel: int) -> None:
        self.archive, self.dtype, self.offset, self.numel = archive, kind.dtype, offset, numel
        self.bfloat16 = kind.bfloat16


def _ints(value: Any) -> bool:
    return isinstance(value, tuple | list) and all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)


def _rebuild_tensor_v2(storage: Any, offset: Any, size: Any, stride: Any, requires_grad: Any,
                       hooks: Any, metadata: Any = None) -> np.ndarray:
    """A view of ``storage`` with torch's size, stride and offset (in elements)."""
    if not isinstance(storage, _Storage) or not isinstance(offset, int) or offset < 0 \
            or not _ints(size) or not _ints(stride) or len(size) != len(stride) \
            or not isinstance(requires_grad, bool) or hooks or metadata:
        raise NeedsTorch("a tensor this reader does not rebuild")
    shape, item = tuple(size), storage.dtype.itemsize
    if 0 not in shape:
        last = offset + sum((n - 1) * s for n, s in zip(shape, stride, strict=True))
        if last >= storage.numel:
            raise NeedsTorch("a tensor reaches past its storage")
    elif offset > storage.numel:
        raise NeedsTorch("a tensor starts past its storage")
    array = np.ndarray(shape, storage.dtype, buffer=storage.archive.map,
                       offset=storage.offset + offset * item if 0 not in shape else 0,
                       strides=tuple(s * item for s in stride))
    return bfloat16_view(array) if storage.bfloat16 else array


def _rebuild_parameter(data: Any, requires_grad: Any, hooks: Any) -> np.ndarray:
    if not isinstance(data, np.ndarray) or hooks:
        raise NeedsTorch("a parameter this reader does not rebuild")
    return data


def _rebuild_parameter_with_state(data: Any, requires_grad: Any, hooks: Any,
                                  state: Any) -> np.ndarray:
    """A parameter with Python attributes set on it (inert mode): the attributes are dropped."""
    return _rebuild_parameter(data, requires_grad, hooks)


def _rebuild_from_type_v2(func: Any, new_type: Any, args: Any, state: Any) -> Any:
    """A tensor saved with its (sub)class (inert mode): rebuilt as a plain array, only by one
    of the rebuilders above; the class is not looked at."""
    if not any(func is f for f in _TENSOR_REBUILDERS) or not isinstance(args, tuple):
        raise NeedsTorch("a tensor this reader does not rebuild")
    return func(*args)


_GLOBALS: dict[str, Any] = {
    "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
    "torch._utils._rebuild_parameter": _rebuild_parameter,
    "collections.OrderedDict": OrderedDict,
    **{f"torch.{name}": _StorageType(dtype, name == "BFloat16Storage")
       for name, dtype in STORAGE_DTYPES.items()},
}
_CALLABLE = (_rebuild_tensor_v2, _rebuild_parameter, OrderedDict)
_TENSOR_REBUILDERS = (_rebuild_tensor_v2, _rebuild_parameter, _rebuild_parameter_with_state)
#: Known in inert mode only: rebuilders a whole pickled module or a tensor subclass uses.
_INERT_GLOBALS: dict[str, Any] = {
    "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
    "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
}
_INERT_CALLABLE = (*_CALLABLE, _rebuild_parameter_with_state, _rebuild_from_type_v2)
#: Globals that rebuild tensors this reader does not know (sparse, quantized, …): inert mode
#: refuses them rather than read a tensor as a record and miss it.
_TENSOR_GLOBALS = ("torch._utils._rebuild", "torch._tensor._rebuild", "torch.storage._load")


class _Unpickler:
    """The opcode subset of torch's ``weights_only`` unpickler, with our globals.

    ``inert``: a global it does not know becomes a :class:`.Global`, calling it makes a
    :class:`.Record` that only stores what it is given, and the opcodes of protocols 3-4 are
    read too; the only functions ever called stay the tensor rebuilders above."""

    def __init__(self, data: bytes, archive: _Archive, inert: bool = False) -> None:
        self.file = io.BytesIO(data)
        self.archive = archive
        self.inert = inert
        self.memo: dict[int, Any] = {}
        self.stack: list[Any] = []
        self.metastack: list[list[Any]] = []

    def _mark(self) -> list[Any]:
        items, self.stack = self.stack, self.metastack.pop()
        return items

    def _storage(self, pid: Any) -> _Storage:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise NeedsTorch("a persistent id that is not a storage")
        _, kind, key, location, numel = pid
        if not isinstance(kind, _StorageType) or not isinstance(key, str) \
                or not isinstance(location, str) or not location.startswith(_DEVICES) \
                or not isinstance(numel, int) or numel < 0:
            raise NeedsTorch("a storage this reader does not map")
        offset, count = self.archive.storage(key, kind.dtype, numel)
        return _Storage(self.archive, kind, offset, count)

    def load(self) -> Any:  # noqa: C901 - one branch per opcode, as in pickle itself
        read = self.file.read
        while True:
            op = read(1)
            if not op:
                raise NeedsTorch("the pickle ends early")
            code = op[0]
            if code == 0x80:  # PROTO
                read(1)
            elif code == 0x2E:  # STOP
                return self.stack.pop()
            elif code == 0x63:  # GLOBAL
                module = self.file.readline()[:-1].decode("utf-8")
                name = self.file.readline()[:-1].decode("utf-8")
                self.stack.append(self._global(module, name))
            elif code == 0x52:  # REDUCE
                args = self.stack.pop()
                self.stack[-1] = self._call(self.stack[-1], args, {})
            elif code == 0x62:  # BUILD
                state = self.stack.pop()
                if self.inert and isinstance(self.stack[-1], Record):
                    self.stack[-1].build(state)
                elif type(self.stack[-1]) is not OrderedDict or not isinstance(state, dict):
                    raise NeedsTorch("BUILD on something other than an OrderedDict")
                else:
                    self.stack[-1].__dict__.update(state)
            elif code in (0x61, 0x65):  # APPEND, APPENDS
                items = [self.stack.pop()] if code == 0x61 else self._mark()
                target = self.stack[-1]
                if self.inert and isinstance(target, Record):
                    target.list.extend(items)
                elif type(target) is not list:
                    raise NeedsTorch("APPEND to a non-list")
                else:
                    target.extend(items)
            elif code in (0x73, 0x75):  # SETITEM, SETITEMS
                if code == 0x73:
                    value, key = self.stack.pop(), self.stack.pop()
                    items = [key, value]
                else:
                    items = self._mark()
                target = self.stack[-1]
                if self.inert and isinstance(target, Record):
                    target = target.items
                if type(target) not in (dict, OrderedDict, Counter) or len(items) % 2:
                    raise NeedsTorch("items set on a non-dict")
                for i in range(0, len(items), 2):
                    target[items[i]] = items[i + 1]
            elif code == 0x28:  # MARK
                self.metastack.append(self.stack)
                self.stack = []
            elif code == 0x74:  # TUPLE
                items = self._mark()
                self.stack.append(tuple(items))
            elif code in (0x85, 0x86, 0x87):  # TUPLE1..3
                n = code - 0x84
                if len(self.stack) < n:
                    raise NeedsTorch("stack underflow")
                self.stack[-n:] = [tuple(self.stack[-n:])]
            elif code in _CONSTANTS:
                self.stack.append(_CONSTANTS[code]())
            elif code == 0x4A:  # BININT
                self.stack.append(struct.unpack("<i", read(4))[0])
            elif code == 0x4B:  # BININT1
                self.stack.append(read(1)[0])
            elif code == 0x4D:  # BININT2
                self.stack.append(struct.unpack("<H", read(2))[0])
            elif code == 0x47:  # BINFLOAT
                self.stack.append(struct.unpack(">d", read(8))[0])
            elif code == 0x58:  # BINUNICODE
                length = struct.unpack("<I", read(4))[0]
                self.stack.append(str(self._exact(length), "utf-8", "surrogatepass"))
            elif code == 0x55:  # SHORT_BINSTRING (torch.load decodes it as utf-8)
                self.stack.append(self._exact(read(1)[0]).decode("utf-8"))
            elif code == 0x8A:  # LONG1
                self.stack.append(int.from_bytes(self._exact(read(1)[0]), "little",
                                                 signed=True))
            elif code == 0x51:  # BINPERSID
                self.stack.append(self._storage(self.stack.pop()))
            elif code in (0x68, 0x6A):  # BINGET, LONG_BINGET
                index = read(1)[0] if code == 0x68 else struct.unpack("<I", read(4))[0]
                self.stack.append(self.memo[index])
            elif code in (0x71, 0x72):  # BINPUT, LONG_BINPUT
                index = read(1)[0] if code == 0x71 else struct.unpack("<I", read(4))[0]
                self.memo[index] = self.stack[-1]
            elif self.inert and code in _INERT_OPCODES:
                self._inert_opcode(code)
            else:
                raise NeedsTorch(f"opcode {op!r}")

    def _global(self, module: str, name: str) -> Any:
        qualified = f"{module}.{name}"
        found = _GLOBALS.get(qualified)
        if found is None and self.inert:
            found = _INERT_GLOBALS.get(qualified)
            if found is None and not qualified.startswith(_TENSOR_GLOBALS):
                found = Global(qualified)
        if found is None:
            raise NeedsTorch(f"global {qualified}")
        return found

    def _call(self, func: Any, args: Any, kwargs: Any) -> Any:
        """REDUCE / NEWOBJ: one of our rebuilders, or (inert) a record of the call."""
        if not isinstance(args, tuple) or not isinstance(kwargs, dict):
            raise NeedsTorch("a call this reader does not make")
        if self.inert and isinstance(func, Global | Record):
            return Record(func.qualified, args, kwargs)
        if any(func is f for f in (_INERT_CALLABLE if self.inert else _CALLABLE)) \
                and not kwargs:
            return func(*args)
        raise NeedsTorch("a call this reader does not make")

    def _inert_opcode(self, code: int) -> None:  # noqa: C901 - one branch per opcode
        """The opcodes only inert mode reads (whole modules and protocol 3-4 pickles)."""
        read, stack = self.file.read, self.stack
        if code == 0x81:  # NEWOBJ
            args = stack.pop()
            stack[-1] = self._call(stack[-1], args, {})
        elif code == 0x92:  # NEWOBJ_EX
            kwargs, args = stack.pop(), stack.pop()
            stack[-1] = self._call(stack[-1], args, kwargs)
        elif code == 0x93:  # STACK_GLOBAL
            name, module = stack.pop(), stack.pop()
            if not isinstance(module, str) or not isinstance(name, str):
                raise NeedsTorch("STACK_GLOBAL of a non-string")
            stack.append(self._global(module, name))
        elif code == 0x95:  # FRAME
            self._exact(8)
        elif code == 0x94:  # MEMOIZE
            self.memo[len(self.memo)] = stack[-1]
        elif code == 0x8C:  # SHORT_BINUNICODE
            stack.append(str(self._exact(read(1)[0]), "utf-8", "surrogatepass"))
        elif code in (0x42, 0x43):  # BINBYTES, SHORT_BINBYTES
            length = struct.unpack("<I", read(4))[0] if code == 0x42 else read(1)[0]
            stack.append(self._exact(length))
        elif code == 0x8B:  # LONG4
            length = struct.unpack("<i", read(4))[0]
            if not 0 <= length <= 1 << 16:
                raise NeedsTorch("an integer this reader does not read")
            stack.append(int.from_bytes(self._exact(length), "little", signed=True))
        elif code == 0x30:  # POP
            stack.pop()
        elif code == 0x31:  # POP_MARK
            self._mark()
        elif code == 0x32:  # DUP
            stack.append(stack[-1])
        elif code == 0x90:  # ADDITEMS
            items = self._mark()
            if type(self.stack[-1]) is not set:
                raise NeedsTorch("ADDITEMS to a non-set")
            self.stack[-1].update(items)
        elif code == 0x91:  # FROZENSET
            stack.append(frozenset(self._mark()))

    def _exact(self, length: int) -> bytes:
        data = self.file.read(length)
        if len(data) != length:
            raise NeedsTorch("the pickle ends early")
        return data


_CONSTANTS: dict[int, Any] = {
    0x4E: lambda: None, 0x89: lambda: False, 0x88: lambda: True,  # NONE, NEWFALSE, NEWTRUE
    0x29: tuple, 0x5D: list, 0x7D: dict, 0x8F: set,  # EMPTY_TUPLE/LIST/DICT/SET
}


#: NEWOBJ(_EX), STACK_GLOBAL, FRAME, MEMOIZE, SHORT_BINUNICODE, (SHORT_)BINBYTES, LONG4, POP,
#: POP_MARK, DUP, ADDITEMS, FROZENSET.
_INERT_OPCODES = frozenset((0x81, 0x92, 0x93, 0x95, 0x94, 0x8C, 0x42, 0x43, 0x8B, 0x30, 0x31,
                            0x32, 0x90, 0x91))


def _prefix(archive: zipfile.ZipFile) -> str:
    """The archive's folder (``checkpoint/``), as torch reads it: where ``data.pkl`` is."""
    names = archive.namelist()
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) != 1:
        raise NeedsTorch("not one top-level folder")
    prefix = f"{tops.pop()}/"
    if f"{prefix}data.pkl" not in names:
        raise NeedsTorch("no data.pkl at the top")
    order = f"{prefix}byteorder"
    if order in names and archive.read(order) != b"little":
        raise NeedsTorch("big-endian storages")
    return prefix


def load_zip_arrays(path: Path, inert: bool = False) -> Any:
    """The object ``torch.load(path, weights_only=True, mmap=True)`` would return, with
    NumPy arrays in place of tensors; :class:`NeedsTorch` when only torch can read it.

    ``inert``: objects of other classes are read as inert records, then as plain data where
    they hold some (:func:`.inert_objects.to_data`: a whole pickled module, Lightning's and
    omegaconf's hyper-parameters); nothing named in the file is imported or called.
    The file must already have passed :func:`.sniff.sniff` as ``"torch"``.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            prefix = _prefix(archive)
            data = archive.read(f"{prefix}data.pkl")
            reader = _Archive(path, archive, prefix)
        found = _Unpickler(data, reader, inert).load()
        return to_data(found) if inert else found
    except NeedsTorch:
        raise
    except (Exception, RecursionError) as exc:  # malformed: torch.load gives the message
        raise NeedsTorch(f"{type(exc).__name__}: {exc}") from None
