"""Read a ``torch.distributed.checkpoint`` folder in one process, without a process group.

DCP keeps its index in a plain pickle (``.metadata``) that torch reads with ``pickle.load``.
Unless the user trusts the file, dldoctor unpickles it with an allow-list of the metadata
classes DCP writes, so a crafted ``.metadata`` cannot run code. Tensors are read as raw bytes;
every other value (a step counter, an optimizer's hyper-parameters) is a pickled entry in a
``.distcp`` file, which DCP itself would ``torch.load(weights_only=False)``: dldoctor loads it
with ``weights_only=True`` unless the user trusts the folder, so it cannot run code either.
"""

from __future__ import annotations

import enum
import pathlib
import pickle
import re
from pathlib import Path
from typing import Any

import torch

from dldoctor.error_texts import err
from dldoctor.errors import InputError

__all__ = ["is_dcp_folder", "read_dcp"]


def is_dcp_folder(path: Path) -> bool:
    return path.is_dir() and (path / ".metadata").is_file()


def _allowed() -> dict[tuple[str, str], Any]:
    from torch.distributed.checkpoint import filesystem, metadata

    allowed: dict[tuple[str, str], Any] = {}
    for module in (metadata, filesystem):
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, type) and value.__module__ == module.__name__ and (
                hasattr(value, "__dataclass_fields__") or issubclass(value, enum.Enum)
            ):
                allowed[(module.__name__, name)] = value
    allowed[("torch", "Size")] = torch.Size
    allowed[("torch.serialization", "_get_layout")] = torch.serialization._get_layout
    allowed[("pathlib", "PosixPath")] = pathlib.PurePosixPath
    allowed[("pathlib", "WindowsPath")] = pathlib.PureWindowsPath
    allowed[("collections", "OrderedDict")] = dict
    return allowed


class _MetadataUnpickler(pickle.Unpickler):
    _ALLOWED: dict[tuple[str, str], Any] | None = None

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch" and isinstance(getattr(torch, name, None), torch.dtype):
            return getattr(torch, name)
        if _MetadataUnpickler._ALLOWED is None:
            _MetadataUnpickler._ALLOWED = _allowed()
        try:
            return _MetadataUnpickler._ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"GLOBAL {module}.{name} is not DCP metadata") from None


def _reader(path: Path, trust: bool) -> Any:
    from torch.distributed.checkpoint import FileSystemReader
    from torch.distributed.checkpoint.metadata import StorageMeta

    class SafeReader(FileSystemReader):
        def read_metadata(self, *args: Any, **kwargs: Any) -> Any:
            with open(Path(self.path) / ".metadata", "rb") as f:
                metadata = _MetadataUnpickler(f).load()
            if getattr(metadata, "storage_meta", None) is None:
                metadata.storage_meta = StorageMeta()
            metadata.storage_meta.load_id = self.load_id
            return metadata

    return FileSystemReader(str(path)) if trust else SafeReader(str(path))


def _planner(trust: bool) -> Any:
    """DCP's whole-checkpoint planner, with its non-tensor entries loaded as data."""
    import io

    from torch.distributed.checkpoint._nested_dict import set_element
    from torch.distributed.checkpoint.default_planner import _EmptyStateDictLoadPlanner

    class DataOnlyPlanner(_EmptyStateDictLoadPlanner):
        def load_bytes(self, read_item: Any, value: io.BytesIO) -> None:
            obj = torch.load(value, weights_only=not trust)
            if self.flatten_state_dict:
                set_element(self.original_state_dict, self.mappings[read_item.dest_index.fqn],
                            obj)
            else:
                self.state_dict[read_item.dest_index.fqn] = obj

    return DataOnlyPlanner()


def read_dcp(path: Path, trust: bool) -> dict[str, Any]:
    """Load a whole DCP checkpoint as a nested dict (tensors on the CPU)."""
    from torch.distributed.checkpoint.api import CheckpointException
    from torch.distributed.checkpoint.state_dict_loader import _load_state_dict

    from .quiet import quiet
    from .sniff import check_input_file

    for part in path.iterdir():  # DCP would block forever on a FIFO named like a shard
        if not part.is_dir():
            check_input_file(part)
    state: dict[str, Any] = {}
    try:
        with quiet():  # DCP logs its reader errors with a traceback; we say it in one line
            _load_state_dict(state_dict=state, storage_reader=_reader(path, trust),
                             process_group=None, no_dist=True, planner=_planner(trust))
        return state
    except (Exception, CheckpointException) as exc:  # DCP wraps reader errors (BaseException)
        text = str(exc).strip()
        if "Weights only load failed" in text:
            found = re.search(r"GLOBAL ([\w.]+)", text)
            what = (err("dcp.references", name=found.group(1)) if found
                    else err("dcp.objects"))
            raise InputError(err("dcp.refused_value", path=path, what=what)) from None
        refused = re.search(r"GLOBAL ([\w.]+) is not DCP metadata", text)
        if refused:
            raise InputError(err("dcp.refused_index", path=path,
                                 name=refused.group(1))) from None
        first = text.splitlines()[0][:160] if text else type(exc).__name__
        raise InputError(err("dcp.unreadable", path=path, first=first)) from None
