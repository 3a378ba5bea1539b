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
from dldoctor.error_texts import err
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
        raise InputError(err("file.problem", path=path, problem=exc.args[0])) from None


def sniff(path: Path) -> str:
    """``"safetensors"``, ``"torchscript"``, ``"torch"`` (zip) or ``"pickle"``; else refuse."""
    size = check_input_file(path)
    if size == 0:
        raise InputError(err("file.empty", path=path))
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise InputError(err("file.cannot_read", path=path, reason=exc.strerror or exc)) from None
    if head.startswith(b"PK\x03\x04"):
        return check_zip(path)
    if len(head) >= 10 and head[8:9] == b"{" and _header_length(head) <= size - 8:
        check_safetensors_header(path)
        return "safetensors"
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "pickle"
    if len(head) >= 9 and head[8:9] == b"{":
        raise InputError(err("ckpt.truncated_safetensors", path=path))
    raise InputError(err("ckpt.unknown_format", path=path))


def _header_length(head: bytes) -> int:
    return int(struct.unpack("<Q", head[:8])[0])


def _bad(path: Path, key: str, **values: Any) -> InputError:
    return InputError(err("file.problem", path=path, problem=err(key, **values)))


def _shape(path: Path, name: str, info: dict[str, Any]) -> tuple[int, ...]:
    shape = info.get("shape")
    if not isinstance(shape, list) or len(shape) > _MAX_DIMS or not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**62 for d in shape):
        raise _bad(path, "st.shape", name=name[:80])
    return tuple(shape)


def check_safetensors_header(path: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    """Return (data offset, header) of a safetensors file whose header holds together."""
    size = check_input_file(path)
    if size < 8:
        raise _bad(path, "st.short")
    with path.open("rb") as f:
        length = _header_length(f.read(8))
        if length > size - 8 or length > MAX_HEADER:
            raise _bad(path, "st.header_truncated")
        raw = f.read(length)
    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise _bad(path, "st.nested") from None
    except (UnicodeDecodeError, ValueError):
        raise _bad(path, "st.json") from None
    if not isinstance(header, dict):
        raise _bad(path, "st.object")
    data_len = size - 8 - length
    spans = []
    for name, info in header.items():
        if name == "__metadata__":
            if info is not None and not isinstance(info, dict):
                raise _bad(path, "st.metadata")
            continue
        if not isinstance(info, dict):
            raise _bad(path, "st.entry", name=name[:80])
        dtype, offsets = info.get("dtype"), info.get("data_offsets")
        if not isinstance(dtype, str) or dtype not in DTYPE_SIZES:
            shown = dtype[:20] if isinstance(dtype, str) else type(dtype).__name__
            raise _bad(path, "st.dtype", name=name[:80], dtype=shown)
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(
                isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
            raise _bad(path, "st.offsets", name=name[:80])
        begin, end = offsets
        if not 0 <= begin <= end <= data_len:
            raise _bad(path, "st.past_end", name=name[:80])
        shape = _shape(path, name, info)
        if math.prod(shape) * DTYPE_SIZES[dtype] != end - begin:
            raise _bad(path, "st.size", name=name[:80], shape=list(shape), dtype=dtype,
                       n=end - begin)
        spans.append((begin, end, name))
    spans.sort()
    for (_, end, first), (begin, _, second) in zip(spans, spans[1:], strict=False):
        if begin < end:
            raise _bad(path, "st.overlap", first=first[:60], second=second[:60])
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
        raise _bad(path, "zip.corrupt") from None
    with archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        pickles = [n for n in names if n.endswith("data.pkl")]
        if not pickles:
            raise _bad(path, "zip.no_data")
        budget = MAX_UNZIPPED
        for info in infos:
            if info.flag_bits & 0x1:
                raise _bad(path, "zip.encrypted", name=info.filename[:80])
            storage = "/data/" in f"/{info.filename}" and not info.filename.endswith(".pkl")
            if info.compress_type == zipfile.ZIP_STORED:
                if info.compress_size != info.file_size:
                    raise _bad(path, "zip.stores", name=info.filename[:80], n=info.file_size,
                               stored=info.compress_size)
                if info.filename.endswith(".pkl") and info.file_size > MAX_UNZIPPED:
                    raise _bad(path, "zip.big_pickle", name=info.filename[:80],
                               n=f"{info.file_size:,}")
                continue
            if storage:
                raise _bad(path, "zip.compressed", name=info.filename[:80])
            if info.file_size > budget:
                raise _bad(path, "zip.bomb", name=info.filename[:80], n=f"{info.file_size:,}")
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
        raise _bad(path, "zip.decompress", name=info.filename[:80],
                   reason=str(exc).splitlines()[0][:80] if str(exc) else "corrupt") \
            from None
    if total != info.file_size:
        raise _bad(path, "zip.holds", name=info.filename[:80], n=info.file_size, held=total)
    return total


MAX_INDEX_BYTES = 200_000_000


def index_shards(path: Path) -> list[Path]:
    """The shard files a ``*.index.json`` names, each a plain file inside its folder."""
    if path.name == "trainer_state.json":  # the HF Trainer's log, given as the checkpoint
        raise InputError(err("ckpt.trainer_state", path=path, folder=path.parent))
    try:
        index = json.loads(read_regular(path, MAX_INDEX_BYTES).decode("utf-8"))
        weight_map = index["weight_map"]
        files = sorted(set(weight_map.values()))
        if not files or not all(isinstance(f, str) for f in files):
            raise ValueError("weight_map must map tensor names to shard file names")
    except Unreadable as exc:
        raise InputError(err("file.problem", path=path, problem=exc.args[0])) from None
    except RecursionError:
        raise InputError(err("index.nested", path=path)) from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(err("index.bad", path=path, reason=_first_line(exc))) from None
    shards = []
    for name in files:
        shard = path.parent / name
        # lexically inside: symlinks stay allowed (the Hugging Face cache links every shard
        # to ../../blobs/), a name cannot climb out or start from the root
        inside = (name and "\x00" not in name and not Path(name).is_absolute()
                  and ".." not in Path(name).parts and not name.startswith("~"))
        if not inside:
            raise InputError(err("index.outside", path=path, name=name[:80]))
        if not shard.is_file():
            raise InputError(err("index.missing_shard", path=path, name=name[:80]))
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
    try:
        kind = sniff(path)
    except InputError as exc:  # a batch that is no torch file is not "not a checkpoint"
        if role != "batch" or getattr(exc.message, "key", None) != "ckpt.unknown_format":
            raise
        raise InputError(err("batch.not_torch", path=path)) from None
    if role == "batch" and kind not in ("torch", "pickle"):
        raise InputError(err("batch.expected_torch", path=path, kind=kind))
