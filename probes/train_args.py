"""Training arguments libraries save beside the weights, read as data and turned into facts.

- timm ``train.py`` stores its ``argparse.Namespace`` as ``args`` in every checkpoint: it is
  let through ``weights_only`` loading by an allow-list (:data:`DATA_CLASSES`).
- The Hugging Face Trainer pickles its ``TrainingArguments`` into ``training_args.bin``:
  :func:`read_pickled_args` reads the pickle with an unpickler that builds no object of the
  file's choosing (every class it names becomes an inert record), so no code from the file
  ever runs.
"""

from __future__ import annotations

import argparse
import io
import pickle
import zipfile
from pathlib import Path
from typing import Any

from dldoctor.numbers import num

from .base import Finding
from .inert_objects import Record

__all__ = ["DATA_CLASSES", "read_pickled_args", "args_dict", "args_findings"]

#: Classes a checkpoint may hold as plain data (their state is a dict of plain values).
DATA_CLASSES: list[type] = [argparse.Namespace]

#: Argument names, per fact, as timm (``lr``, ``weight_decay``, ``batch_size``) and the HF
#: Trainer (``learning_rate``, ``per_device_train_batch_size``) spell them.
_NAMES = {
    "optimizer.lr": ("lr", "learning_rate"),
    "optimizer.weight_decay": ("weight_decay", "wd"),
    # the batch one forward pass sees (what BatchNorm normalises by): a micro-batch first
    "setup.batch_size": ("micro_batch", "micro_batch_size", "microbatch", "microbatch_size",
                         "batch_size", "per_device_train_batch_size", "train_batch_size"),
    "setup.label_smoothing": ("label_smoothing_factor", "label_smoothing", "smoothing"),
    "loop.backwards_per_step": ("accum_steps", "accumulation_steps", "grad_accum_steps",
                                "grad_accum", "accumulate_steps", "gradient_accumulation_steps"),
}
#: A hand-written loop's accumulation count, saved beside the weights at the top level.
TOP_LEVEL_ACCUMULATION = _NAMES["loop.backwards_per_step"]
#: … and its batch size (a micro-batch under accumulation), saved the same way.
TOP_LEVEL_BATCH = tuple(n for n in _NAMES["setup.batch_size"] if not n.startswith("per_device"))
#: Settings a library's own loop applies itself: the HF Trainer divides each accumulated loss.
_LIBRARY_APPLIED = {"loop.backwards_per_step": ("training_args.bin",)}


class _Record:
    """What the unpickler builds for any class: the arguments and state it was given."""

    qualified = "?"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.state = args, dict(kwargs)

    def __setstate__(self, state: Any) -> None:
        self.state = state if isinstance(state, dict) else {"state": state}


class _DataUnpickler(pickle.Unpickler):
    """Resolve every global to an inert record class: nothing named in the file is imported,
    and building one (``REDUCE``, ``NEWOBJ``, ``BUILD``) only stores its arguments."""

    def find_class(self, module: str, name: str) -> Any:
        return type("Record", (_Record,), {"qualified": f"{module}.{name}"})

    def persistent_load(self, pid: Any) -> None:  # tensors in the args: not needed
        return None


def read_pickled_args(path: Path) -> dict[str, Any]:
    """The fields of a pickled arguments object (``training_args.bin``), as plain data.

    Any failure gives an empty dict: these are optional extras, never a reason to refuse."""
    try:
        raw = path.read_bytes()
        if raw.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                name = next(n for n in archive.namelist() if n.endswith("data.pkl"))
                raw = archive.read(name)
        record = _DataUnpickler(io.BytesIO(raw)).load()
    except Exception:  # a malformed extra file: read nothing from it
        return {}
    return args_dict(record)


def args_dict(obj: Any) -> dict[str, Any]:
    """Plain fields of a Namespace, dict or unpickled record (empty for anything else):
    numbers, strings, booleans, None and lists of them."""
    if isinstance(obj, argparse.Namespace):
        obj = vars(obj)
    elif isinstance(obj, _Record | Record):
        obj = obj.state
    if not isinstance(obj, dict):
        return {}
    return {str(k): list(v) if isinstance(v, list | tuple) else v for k, v in obj.items()
            if _plain(v) or isinstance(v, list | tuple) and all(map(_plain, v))}


def _plain(value: Any) -> bool:
    return isinstance(value, int | float | str | bool) or value is None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def args_findings(args: dict[str, Any], source: str, skip: set[str]) -> list[Finding]:
    """Facts stated by the saved training arguments (facts in ``skip`` are already known)."""
    found: list[Finding] = []
    for fact, names in _NAMES.items():
        if fact in skip or any(lib in source for lib in _LIBRARY_APPLIED.get(fact, ())):
            continue
        for name in names:
            value = _number(args.get(name))
            if value is not None:
                found.append(Finding(fact, value, f"{source}: {name} = {num(value)}"))
                break
    return found
