"""Tell a checkpoint's format from its structure, before torch is imported.

Torch-free, so the CLI can refuse a garbage, truncated or hostile file in a fraction of a
second. The format is read from structure, not one byte:

* safetensors: an 8-byte little-endian header length that fits the file, then a JSON object
  whose entries have a known dtype, a shape and offsets that agree, inside the data, not
  overlapping;
* a zip (``torch.save`` or TorchScript): a central directory, a ``data.pkl``, and members
  that are what they say: storage records stored uncompressed, compressed members whose real
  size is their declared size, and no more than :data:`MAX_UNZIPPED` bytes decompressed;
* a pickle (legacy ``torch.save``): the PROTO opcode with a protocol torch writes.

Every refusal is a one-line :class:`~dldoctor.errors.InputError` that names the file and
never echoes its content.
"""

from __future__ import annotations

import json
import math
import struct
import zipfile
from pathlib import Path
from typing import Any

from dldoctor.engine.bounded import Unreadable, check_regular, read_regular
from dldoctor.errors import InputError

__all__ = ["sniff", "check_safetensors_header", "check_zip", "DTYPE_SIZES", "MAX_UNZIPPED",
           "MAX_HEADER", "check_input_file", "index_shards", "check_named_input"]

#: Bytes per element of each safetensors dtype dldoctor reads.
DTYPE_SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
               "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1, "U16": 2, "U32": 4, "U64": 8}
MAX_HEADER = 100_000_000  # the safetensors library's own limit
MAX_UNZIPPED = 256_000_000  # pickles and code in one archive, decompressed, at most
_MAX_DIMS = 64
#: What the checkpoint readers open inside a folder.
_READ_IN_FOLDERS = {".safetensors", ".json", ".pt", ".pth", ".ckpt", ".bin", ".pkl", ".tar",
                    ".distcp"}


def check_input_file(path: Path) -> int:
    """Size of a regular file the user named, or a one-line InputError (FIFOs, devices…)."""
    try:
        return check_regular(path)
    except Unreadable as exc:
        raise InputError(f"{path}: {exc}") from None


def sniff(path: Path) -> str:
    """``"safetensors"``, ``"torchscript"``, ``"torch"`` (zip) or ``"pickle"``; else refuse."""
    size = check_input_file(path)
    if size == 0:
        raise InputError(f"{path}: the file is empty")
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if head.startswith(b"PK\x03\x04"):
        return check_zip(path)
    if len(head) >= 10 and head[8:9] == b"{" and _header_length(head) <= size - 8:
        check_safetensors_header(path)
        return "safetensors"
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "pickle"
    if len(head) >= 9 and head[8:9] == b"{":
        raise InputError(f"{path}: a truncated safetensors file (its header is longer than "
                         "the file)")
    raise InputError(f"{path}: not a checkpoint dldoctor can read (expected torch.save, "
                     "TorchScript or safetensors; its first bytes match none of them)")


def _header_length(head: bytes) -> int:
    return int(struct.unpack("<Q", head[:8])[0])


def _bad(path: Path, message: str) -> InputError:
    return InputError(f"{path}: {message}")


def _shape(path: Path, name: str, info: dict[str, Any]) -> tuple[int, ...]:
    shape = info.get("shape")
    if not isinstance(shape, list) or len(shape) > _MAX_DIMS or not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**62 for d in shape):
        raise _bad(path, f"tensor {name[:80]!r} has no valid shape (a list of sizes ≥ 0)")
    return tuple(shape)


def check_safetensors_header(path: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    """Return (data offset, header) of a safetensors file whose header holds together."""
    size = check_input_file(path)
    if size < 8:
        raise _bad(path, "too short to be a safetensors file (truncated?)")
    with path.open("rb") as f:
        length = _header_length(f.read(8))
        if length > size - 8 or length > MAX_HEADER:
            raise _bad(path, "not a safetensors file, or its header is truncated")
        raw = f.read(length)
    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise _bad(path, "the safetensors header is nested too deeply (corrupt?)") from None
    except (UnicodeDecodeError, ValueError):
        raise _bad(path, "the safetensors header is not valid JSON (corrupt?)") from None
    if not isinstance(header, dict):
        raise _bad(path, "the safetensors header is not a JSON object (corrupt?)")
    data_len = size - 8 - length
    spans = []
    for name, info in header.items():
        if name == "__metadata__":
            if info is not None and not isinstance(info, dict):
                raise _bad(path, "the safetensors __metadata__ is not an object")
            continue
        if not isinstance(info, dict):
            raise _bad(path, f"tensor {name[:80]!r} has a malformed header entry")
        dtype, offsets = info.get("dtype"), info.get("data_offsets")
        if not isinstance(dtype, str) or dtype not in DTYPE_SIZES:
            shown = dtype[:20] if isinstance(dtype, str) else type(dtype).__name__
            raise _bad(path, f"tensor {name[:80]!r} has dtype {shown} dldoctor cannot read")
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(
                isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
            raise _bad(path, f"tensor {name[:80]!r} has no valid data_offsets (two integers)")
        begin, end = offsets
        if not 0 <= begin <= end <= data_len:
            raise _bad(path, f"tensor {name[:80]!r} lies past the end of the file (truncated?)")
        shape = _shape(path, name, info)
        if math.prod(shape) * DTYPE_SIZES[dtype] != end - begin:
            raise _bad(path, f"tensor {name[:80]!r}: shape {list(shape)} of {dtype} does not "
                       f"fit its {end - begin} bytes (corrupt header)")
        spans.append((begin, end, name))
    spans.sort()
    for (_, end, first), (begin, _, second) in zip(spans, spans[1:], strict=False):
        if begin < end:
            raise _bad(path, f"tensors {first[:60]!r} and {second[:60]!r} overlap in the file "
                       "(corrupt header)")
    return 8 + length, header


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def check_zip(path: Path) -> str:
    """Check a zip checkpoint's members; return ``"torchscript"`` or ``"torch"``."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _bad(path, "truncated or corrupt zip archive (no central directory)") from None
    with archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        pickles = [n for n in names if n.endswith("data.pkl")]
        if not pickles:
            raise _bad(path, "a zip archive without data.pkl: not a torch.save or "
                       "TorchScript file")
        budget = MAX_UNZIPPED
        for info in infos:
            if info.flag_bits & 0x1:
                raise _bad(path, f"member {info.filename[:80]!r} is encrypted")
            storage = "/data/" in f"/{info.filename}" and not info.filename.endswith(".pkl")
            if info.compress_type == zipfile.ZIP_STORED:
                if info.compress_size != info.file_size:
                    raise _bad(path, f"member {info.filename[:80]!r} declares "
                               f"{info.file_size} bytes but stores {info.compress_size}")
                if info.filename.endswith(".pkl") and info.file_size > MAX_UNZIPPED:
                    raise _bad(path, f"member {info.filename[:80]!r} is a pickle of "
                               f"{info.file_size:,} bytes, more than dldoctor reads (a state "
                               "dict's pickle is kilobytes; tampered archive?)")
                continue
            if storage:
                raise _bad(path, f"storage record {info.filename[:80]!r} is compressed; torch "
                           "writes tensors uncompressed (tampered archive?)")
            if info.file_size > budget:
                raise _bad(path, f"member {info.filename[:80]!r} would decompress to "
                           f"{info.file_size:,} bytes, more than dldoctor reads (zip bomb?)")
            budget -= _real_size(path, archive, info)
        return "torchscript" if any(n == "constants.pkl" or n.endswith("/constants.pkl")
                                    for n in names) else "torch"


def _real_size(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Decompress a member in chunks, never past its declared size; check it matches."""
    total = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError) as exc:
        raise _bad(path, f"member {info.filename[:80]!r} does not decompress to what it "
                   f"declares ({str(exc).splitlines()[0][:80] if str(exc) else 'corrupt'})") \
            from None
    if total != info.file_size:
        raise _bad(path, f"member {info.filename[:80]!r} declares {info.file_size} bytes but "
                   f"holds {total}")
    return total


MAX_INDEX_BYTES = 200_000_000


def index_shards(path: Path) -> list[Path]:
    """The shard files a ``*.index.json`` names, each a plain file inside its folder."""
    try:
        index = json.loads(read_regular(path, MAX_INDEX_BYTES).decode("utf-8"))
        weight_map = index["weight_map"]
        files = sorted(set(weight_map.values()))
        if not files or not all(isinstance(f, str) for f in files):
            raise ValueError("weight_map must map tensor names to shard file names")
    except Unreadable as exc:
        raise InputError(f"{path}: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: not a sharded-checkpoint index (nested too deeply)") from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: not a sharded-checkpoint index ({_first_line(exc)})") from None
    shards = []
    for name in files:
        shard = path.parent / name
        # lexically inside: symlinks stay allowed (the Hugging Face cache links every shard
        # to ../../blobs/), a name cannot climb out or start from the root
        inside = (name and "\x00" not in name and not Path(name).is_absolute()
                  and ".." not in Path(name).parts and not name.startswith("~"))
        if not inside:
            raise InputError(f"{path}: refused, it names a shard outside its own folder "
                             f"({name[:80]!r}); shards must sit beside the index")
        if not shard.is_file():
            raise InputError(f"{path}: shard {name[:80]!r} is missing or not a file")
        shards.append(shard)
    return shards


def check_named_input(path: Path, role: str) -> None:
    """Cheap checks of a file named on the command line, before torch is imported.

    ``role`` is ``checkpoint``, ``batch`` or ``log``: a refused or unreadable file is answered
    here in a fraction of a second, with the same one-line error the readers would give.
    """
    if path.is_dir():  # the files a reader would open must be regular (a FIFO hangs it)
        pattern = "*tfevents*" if role == "log" else "*"
        for count, inner in enumerate(path.rglob(pattern) if role == "log" else path.iterdir()):
            if count >= 10_000:
                break
            if not inner.is_dir() and (role == "log" or inner.name == ".metadata"
                                       or inner.suffix in _READ_IN_FOLDERS):
                check_input_file(inner)
        return
    if role == "log":
        check_input_file(path)
        return
    if role == "checkpoint" and path.suffix == ".json":
        index_shards(path)
        return
    kind = sniff(path)
    if role == "batch" and kind not in ("torch", "pickle"):
        raise InputError(f"{path}: expected a torch.save file holding the batch, found {kind}")
