"""Open whatever checkpoint a user hands over and split it into weights, optimizer and metadata.

Formats: ``torch.save`` files (a bare state_dict or a dict with model/optimizer/step keys, as
hand-written loops, Lightning and others write), TorchScript, safetensors (single and sharded
``*.index.json``), ``torch.distributed.checkpoint`` folders, and folders holding any of these
(Hugging Face style, with ``optimizer.pt`` and ``trainer_state.json`` beside the weights).

Files are data: pickles are loaded with ``weights_only=True`` unless the user trusts them, and
every failure is a one-line :class:`InputError` naming the file. A zip ``weights_only`` refuses
(a whole pickled ``nn.Module``, Lightning's ``AttributeDict`` or omegaconf hyper-parameters)
is read again by the NumPy reader's inert mode: other classes become inert records, never
imported or called (:mod:`.inert_objects`); it is refused only when that finds no tensor.

Torch is imported only when a file needs it: a ``torch.save`` zip holding a state dict is read
by :mod:`.numpy_checkpoint` as NumPy views of a memory map, safetensors through our own
header parser; TorchScript, DCP, legacy (non-zip) pickles and anything the NumPy reader does
not know go through ``torch.load``, which also gives every refusal and error message.
"""

from __future__ import annotations

import json
import math
import pickle
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dldoctor.engine.bounded import Unreadable, read_regular
from dldoctor.error_texts import err
from dldoctor.errors import DldoctorError, InputError

from .base import ProbeContext
from .evidence import say
from .inert_objects import InertModule, code_calls, holds_arrays
from .numpy_checkpoint import NeedsTorch, load_zip_arrays
from .optimizer_state import BUFFER_NAMES, optimizer_problem
from .quiet import quiet
from .run_folders import checkpoint_in
from .schedule_rebuild import milestones
from .sniff import index_shards, sniff
from .tensor_store import DictStore, SafetensorsStore, TensorStore, check_dense, is_tensor_like
from .train_args import TOP_LEVEL_ACCUMULATION, TOP_LEVEL_BATCH, args_dict, read_pickled_args

__all__ = ["Checkpoint", "load_checkpoint", "load_torch_file", "TRUST_HINT"]

TRUST_HINT = "pass --trust-checkpoint only if you trust where it came from"

#: Keys under which training loops store the model's state_dict, most specific first.
MODEL_KEYS = ("state_dict", "model_state_dict", "model_state", "model", "module", "net",
              "network", "weights", "params")
#: Keys under which they store the optimizer's state_dict (Lightning: a list of them).
OPTIMIZER_KEYS = ("optimizer", "optimizer_state_dict", "optimizer_state", "optimizer_states",
                  "optim", "opt")
#: Keys holding the training position.
STEP_KEYS = ("global_step", "step", "iteration", "iter", "num_updates")
#: (the epochs a run completed under the names people give that count; not a configured
#: ``num_epochs``, which a checkpoint saved mid-run has not reached)
EPOCH_KEYS = ("epoch", "epochs", "epochs_run", "epochs_done", "epochs_trained",
              "epochs_completed", "completed_epochs")
#: A count of the training samples seen so far, saved beside the weights: over the optimizer's
#: steps it is the batch size.
SEEN_KEYS = ("samples_seen", "examples_seen", "num_samples_seen", "num_examples_seen",
             "seen", "n_seen", "seen_samples", "seen_examples")
SCHEDULER_KEYS = ("lr_scheduler", "scheduler", "lr_schedulers", "scheduler_state_dict",
                  "scheduler_state", "lr_scheduler_state_dict", "lr_scheduler_state", "sched",
                  "sched_state")

_TORCH_FILES = ("*.pt", "*.pth", "*.ckpt", "*.bin", "*.pkl", "*.tar")
_SIDE_FILES = re.compile(r"(optimizer|optim|scheduler|rng_state|random_states|training_args|"
                         r"scaler|(?:^|[_.\-])batch(?:[_.\-]|$))", re.I)  # batch.pt: --batch
#: Files a library names as its latest weights, preferred in a folder holding several
#: (timm writes last.pth.tar, model_best.pth.tar and checkpoint-E.pth.tar side by side).
_LATEST = ("last.pth.tar", "last.ckpt", "last.pth", "last.pt")


@dataclass
class Checkpoint:
    """A checkpoint split into what the probes read."""

    path: Path
    format: str
    store: TensorStore
    optimizer: dict[str, Any] | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    module_types: dict[str, str] = field(default_factory=dict)


def load_checkpoint(path: Path, trust: bool = False, ctx: ProbeContext | None = None) -> Checkpoint:
    """Open ``path`` once per session (the result is shared through ``ctx.cache``)."""
    key = f"checkpoint:{Path(path).resolve()}:{trust}"
    if ctx is not None and key in ctx.cache:
        cached: Checkpoint = ctx.cache[key]
        return cached
    try:
        with quiet(ctx.notes if ctx is not None else None):  # torch's lines become notes
            checkpoint = _open(Path(path), trust)
    except DldoctorError:
        raise
    except (Exception, RecursionError) as exc:
        # a reader error on the file the user named is theirs to fix: exit 2, one line
        first = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(err("ckpt.unreadable", path=path, kind=type(exc).__name__,
                             first=first)) from None
    if ctx is not None:
        ctx.cache[key] = checkpoint
        for entry, call in checkpoint.meta.get("code_calls", ()):
            ctx.notes.append(say("note.code_in_pickle", file=str(path), entry=entry, call=call))
    return checkpoint


def _open(path: Path, trust: bool) -> Checkpoint:
    if not path.exists():
        raise InputError(err("file.missing_or_folder", path=path))
    if path.is_dir():
        return _open_folder(path, trust)
    if path.suffix == ".json":
        return _open_index(path, trust)
    kind = _sniff(path)
    if kind == "safetensors":
        return Checkpoint(path, "safetensors", SafetensorsStore([path]))
    if kind == "torchscript":
        from .torchscript_reader import read_torchscript

        tensors, types = read_torchscript(path)
        check_dense(path, tensors)
        return Checkpoint(path, "torchscript", DictStore(tensors), module_types=types)
    obj, mmapped = load_torch_file(path, trust, arrays=True)
    return _from_object(path, obj, mmapped)


def _sniff(path: Path) -> str:
    """Tell the format from the file's structure (see :mod:`.sniff`), torch-free."""
    return sniff(path)


def load_torch_file(path: Path, trust: bool = False, arrays: bool = False) -> tuple[Any, bool]:
    """``torch.load`` a file as data; return (object, whether its tensors are memory-mapped).

    With ``arrays``, a zip the NumPy reader knows is read without torch: its tensors are then
    NumPy arrays."""
    kind = _sniff(path)
    if kind in ("safetensors", "torchscript"):
        raise InputError(err("ckpt.expected_torch", path=path, kind=kind))
    mmap = kind == "torch"
    if mmap and arrays:
        try:
            return load_zip_arrays(path), True
        except NeedsTorch:
            pass  # torch.load reads it, or refuses it with its own message
    try:
        with quiet():  # "Detected pickle protocol …" and the like are not the user's business
            return _load_as_data(path, trust, mmap), mmap
    except pickle.UnpicklingError as exc:
        if not trust and "Weights only load failed" in str(exc):
            if mmap and arrays and (inert := _read_inert(path)) is not None:
                return inert, True
            found = re.search(r"GLOBAL ([\w.]+)", str(exc))
            what = (err("ckpt.pickle_global", name=found.group(1)) if found
                    else err("ckpt.pickle_objects"))
            raise InputError(err("ckpt.refused_pickle", path=path, what=what)) from None
        raise InputError(err("ckpt.corrupt_pickle", path=path, first=_first_line(exc))) from None
    except Exception as exc:  # torch.load raises many kinds (and safetensors' own errors)
        raise InputError(err("ckpt.corrupt_torch", path=path, first=_first_line(exc))) \
            from None


def _read_inert(path: Path) -> Any:
    """A zip ``weights_only`` refuses, read by the NumPy reader's inert mode (other classes as
    inert records, see :mod:`.inert_objects`); None when it cannot, or finds no tensor."""
    try:
        obj = load_zip_arrays(path, inert=True)
    except NeedsTorch:
        return None
    return obj if holds_arrays(obj) else None


def _load_as_data(path: Path, trust: bool, mmap: bool) -> Any:
    """``torch.load``, letting the plain-data classes libraries save (timm's argparse args,
    NumPy arrays and scalars in a saved config) through ``weights_only``."""
    import torch

    from .train_args import DATA_CLASSES

    allowed: list[Any] = [*DATA_CLASSES, *_numpy_globals()]
    with torch.serialization.safe_globals(allowed):
        return torch.load(path, map_location="cpu", weights_only=not trust, mmap=mmap)


def _numpy_globals() -> list[tuple[Any, str]]:
    """What a pickled NumPy array, dtype or scalar names (under NumPy 1's ``numpy.core`` and
    NumPy 2's ``numpy._core``), as torch's docs allow it: they rebuild data, never call code
    from the file (SevenNet keeps its config's arrays in the checkpoint)."""
    import numpy as np

    core = np._core if hasattr(np, "_core") else np.core
    globals_: list[tuple[Any, str]] = [(np.ndarray, "numpy.ndarray"), (np.dtype, "numpy.dtype")]
    for package in ("numpy.core", "numpy._core"):
        globals_ += [(core.multiarray._reconstruct, f"{package}.multiarray._reconstruct"),
                     (core.multiarray.scalar, f"{package}.multiarray.scalar")]
    globals_ += [(type(np.dtype(c)), f"numpy.dtypes.{type(np.dtype(c)).__name__}")
                 for c in "?bhilqBHILQefdgFDG"]
    return globals_


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line[:160] + ("…" if len(line) > 160 else "")


def _flatten(obj: Any, prefix: str, out: dict[str, Any]) -> None:
    if is_tensor_like(obj):
        out[prefix] = obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)


def _several_optimizers(obj: dict[str, Any], meta: dict[str, Any]) -> None:
    """Optimizer states under any key (``opt_g``, ``optimizer_D``) or in Lightning's list:
    ``meta["optimizer_states"]`` (key → how many parameters hold state) when there are two
    or more, and ``optimizer_count`` then counts them; one under a name of the run's own is
    still recorded, so that it is read."""
    def held(state: dict[str, Any]) -> int:
        return len(state["state"]) if isinstance(state.get("state"), dict) else 0

    found: dict[str, int] = {}
    for key, value in obj.items():
        if isinstance(key, str) and _is_optimizer_state(value):
            found[key] = held(value)
        elif isinstance(key, str) and isinstance(value, list | tuple) and len(value) > 1 and \
                all(_is_optimizer_state(v) for v in value):
            found.update({f"{key}[{i}]": held(v) for i, v in enumerate(value)})
    if len(found) >= 2 or (found and not any(k in obj for k in OPTIMIZER_KEYS)):
        meta["optimizer_states"] = found
    if len(found) >= 2:
        meta["optimizer_count"] = max(int(meta.get("optimizer_count", 1)), len(found))


def _state_at(obj: dict[str, Any], name: str) -> Any:
    """The optimizer state :func:`_several_optimizers` recorded as ``name``: ``key`` or
    ``key[i]``, the i-th of a list under ``key``."""
    if name in obj:
        return obj[name]
    key, _, index = name.rpartition("[")
    return obj[key][int(index.rstrip("]"))]


def _is_optimizer_state(obj: Any) -> bool:
    return isinstance(obj, dict) and "state" in obj and "param_groups" in obj


def _tensor_share(obj: dict[str, Any]) -> float:
    if not obj:
        return 0.0
    return sum(isinstance(v, dict) or is_tensor_like(v) for v in obj.values()) / len(obj)


def _is_module(value: Any) -> bool:
    """A ``torch.nn.Module`` (a trusted full pickle, torch then loaded) or a pickled module
    read as data (:class:`.InertModule`)."""
    if isinstance(value, InertModule):
        return True
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.nn.Module)


def _number(value: Any) -> float | None:
    if is_tensor_like(value) and math.prod(value.shape) == 1:
        value = value.item()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _first_number(obj: dict[str, Any], keys: tuple[str, ...]) -> tuple[float, str] | None:
    """(value, key) of the first of ``keys`` that holds a number in ``obj``."""
    return next(((number, key) for key in keys if (number := _number(obj.get(key))) is not None),
                None)


def split_checkpoint(obj: Any) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any]]:
    """Return (model tensors by name, optimizer state_dict or None, metadata) of a loaded dict."""
    if _is_module(obj):
        return dict(obj.state_dict()), None, {}
    if not isinstance(obj, dict):
        return {}, None, {}
    meta: dict[str, Any] = {}
    optimizer = None
    for key in OPTIMIZER_KEYS:
        value = obj.get(key)
        if isinstance(value, list | tuple) and value and _is_optimizer_state(value[0]):
            meta["optimizer_count"] = len(value)
            optimizer = value[0]
            break
        if _is_optimizer_state(value):
            optimizer = value
            break
    _several_optimizers(obj, meta)
    if optimizer is None and (found := meta.get("optimizer_states")):
        # opt_g / opt_d under the run's own names, or the first of a list of them (one per
        # member of an ensemble: "member_optimizers[0]")
        optimizer = _state_at(obj, next(iter(found)))
    if (counted := _first_number(obj, STEP_KEYS)) is not None:
        meta["step"], meta["step_key"] = counted
    if (counted := _first_number(obj, EPOCH_KEYS)) is not None:
        meta["epoch"] = counted[0]
    if (counted := _first_number(obj, SEEN_KEYS)) is not None and counted[0] > 0:
        meta["seen"], meta["seen_key"] = counted
    meta["has_scheduler"] = any(obj.get(k) for k in SCHEDULER_KEYS)
    if (saved := _saved_scheduler(obj)) is not None:
        meta["scheduler"] = _scheduler_state(saved)
        meta["scheduler_settings"] = saved  # replayed only by the probe that reads the rates
    _library_meta(obj, meta)
    _lightning_steps(obj, meta)
    model: Any = None
    for key in MODEL_KEYS:
        value = obj.get(key)
        if value is not None and _is_module(value):
            value = value.state_dict()
        if isinstance(value, dict) and value and not _is_optimizer_state(value):
            model, meta["model_key"] = value, key
            break
    if model is None and (parts := _parts_of_one_model(obj, optimizer)) is not None:
        # an "encoder" and a "decoder" saved apart, one optimizer over both: the model's
        # own names are the parts' keys before their tensors' ("encoder.0.weight")
        model, meta["model_key"] = {k: obj[k] for k in parts}, " + ".join(parts)
    if model is None and (named := _named_state_dict(obj, optimizer)) is not None:
        model, meta["model_key"] = obj[named], named
    if model is None and _tensor_share(obj) >= 0.5:
        # the whole dict less the optimizer's state, under whatever name ("adam" beside an
        # "encoder" and a "decoder": its moments had been read as 24 model tensors)
        model = {k: v for k, v in obj.items() if k not in OPTIMIZER_KEYS
                 and not _is_optimizer_state(v)
                 and not (isinstance(v, list | tuple) and v and _is_optimizer_state(v[0]))}
    tensors: dict[str, Any] = {}
    _flatten(model or {}, "", tensors)
    return tensors, optimizer, meta


def _state_dict_keys(obj: dict[str, Any]) -> list[str]:
    """The top-level keys that hold a state_dict: a dict (not an optimizer's) of tensors."""
    return [k for k, v in obj.items()
            if isinstance(k, str) and k not in OPTIMIZER_KEYS and isinstance(v, dict) and v
            and not _is_optimizer_state(v)
            and sum(is_tensor_like(t) for t in v.values()) / len(v) >= 0.9]


def _held_count(optimizer: Any) -> int:
    """How many parameters the optimizer's param groups list (stepped or not)."""
    groups = optimizer.get("param_groups") if isinstance(optimizer, dict) else None
    return sum(len(g.get("params") or ()) for g in groups if isinstance(g, dict)) \
        if isinstance(groups, list) else 0


def _parts_of_one_model(obj: dict[str, Any], optimizer: Any) -> list[str] | None:
    """The keys of two or more state_dicts that together are the one model an optimizer
    trained: their tensors, counted with the parameters' shapes (floating, no buffers such
    as BatchNorm's counters), are exactly as many as the optimizer lists. A teacher beside
    its student, or a generator beside its discriminator with an optimizer each, hold more
    than one optimizer lists; None then, or with one state_dict or none."""
    named = _state_dict_keys(obj)
    held = _held_count(optimizer)
    if len(named) < 2 or held == 0:
        return None
    params = sum(1 for k in named for name, t in obj[k].items()
                 if is_tensor_like(t) and not str(name).endswith(BUFFER_NAMES))
    return named if params == held else None


def _named_state_dict(obj: dict[str, Any], optimizer: Any) -> str | None:
    """The key of a state_dict stored under a name of the run's own ("student", "encoder",
    "netG"): a dict of tensors at the top level. With several (a teacher beside its student,
    a generator beside its discriminator), the one that holds every shape the optimizer's
    state holds; failing that, none is guessed."""
    named = _state_dict_keys(obj)
    if len(named) == 1:
        return named[0]
    wanted = _state_shapes(optimizer)
    if not wanted:
        return None
    fits = [k for k in named if not wanted - Counter(
        tuple(t.shape) for t in obj[k].values() if is_tensor_like(t))]
    return fits[0] if len(fits) == 1 else None


def _state_shapes(optimizer: Any) -> Counter[tuple[int, ...]]:
    """The shapes of the parameters the optimizer keeps state for (its first state tensor
    each: Adam's exp_avg, SGD's momentum buffer)."""
    state = optimizer.get("state") if isinstance(optimizer, dict) else None
    shapes: Counter[tuple[int, ...]] = Counter()
    for entry in state.values() if isinstance(state, dict) else ():
        first = next((v for v in entry.values() if is_tensor_like(v) and len(v.shape) > 0),
                     None) if isinstance(entry, dict) else None
        if first is not None:
            shapes[tuple(first.shape)] += 1
    return shapes


#: Settings of schedulers built to be stepped every batch (OneCycleLR, warm-up, cyclic).
_STEP_SCHEDULE_KEYS = ("total_steps", "warmup_steps", "num_warmup_steps", "step_size_up")


def _saved_scheduler(obj: dict[str, Any]) -> dict[str, Any] | None:
    """The first saved LR scheduler's ``state_dict()``, one with a step count
    (``last_epoch``): known key names first, then any top-level entry shaped like a torch
    scheduler's state (``last_epoch`` beside ``base_lrs``: ``lr_sched``, ``sched_sd``)."""
    shaped = [k for k, v in obj.items() if k not in SCHEDULER_KEYS and isinstance(v, dict)
              and "last_epoch" in v and "base_lrs" in v]
    for key in (*SCHEDULER_KEYS, *shaped):
        value = obj.get(key)
        if isinstance(value, list | tuple) and value:
            value = value[0]
        if isinstance(value, dict) and isinstance(value.get("scheduler"), dict):
            value = value["scheduler"]  # Lightning: {"scheduler": state, "interval": ...}
        if isinstance(value, dict) and _number(value.get("last_epoch")) is not None:
            return value
    return None


def _scheduler_state(saved: dict[str, Any]) -> dict[str, Any]:
    """How many times a saved LR scheduler was stepped, and the period of a schedule whose
    settings may count epochs (None for one built to be stepped every batch); read as data:
    plain numbers and key names only."""
    per_step = any(k in saved for k in _STEP_SCHEDULE_KEYS)
    state: dict[str, Any] = {"last_epoch": _number(saved.get("last_epoch")),
                             "period": None if per_step else _schedule_period(saved)}
    if (planned := _number(saved.get("total_steps"))) is not None:
        state["total_steps"] = planned
    if (fall := _rate_fall(saved)) is not None:
        state["fall"] = fall
    return state


def _rate_fall(state: dict[str, Any]) -> float | None:
    """The scheduler's last learning rate over its base rate (first param group), or None."""
    last, base = state.get("_last_lr"), state.get("base_lrs")
    if not (isinstance(last, list | tuple) and last and isinstance(base, list | tuple) and base):
        return None
    now, start = _number(last[0]), _number(base[0])
    return now / start if now is not None and start else None


def _schedule_period(state: dict[str, Any]) -> float | None:
    """The number of scheduler steps the schedule is built around: StepLR's step_size,
    CosineAnnealingLR's T_max, the last of MultiStepLR's milestones, the steps in which
    ExponentialLR's gamma divides the rate by 10."""
    for key in ("step_size", "T_max"):
        if (number := _number(state.get(key))) is not None and number > 0:
            return number
    gamma = _number(state.get("gamma"))
    if gamma is not None and 0 < gamma < 1 and "milestones" not in state:
        return math.log(10) / -math.log(gamma)
    steps = milestones(state)
    return steps[-1] if steps else None


#: Training settings a hand-written loop saves beside the weights, at the top level
#: (``{"model": …, "epoch": 39, "batch_size": 2}``).
_TOP_LEVEL_ARGS = (*TOP_LEVEL_BATCH, "lr", "learning_rate", "weight_decay",
                   *TOP_LEVEL_ACCUMULATION)


def _library_meta(obj: dict[str, Any], meta: dict[str, Any]) -> None:
    """Training arguments saved in the checkpoint (timm: ``args``, a Namespace read as data;
    a hand-written loop's top-level ``batch_size``, ``lr`` …)."""
    for key in ("args", "hyper_parameters", "hparams", "config", "cfg"):
        args = args_dict(obj.get(key))
        if args:
            meta["train_args"], meta["train_args_source"] = args, f"checkpoint key '{key}'"
            return
    top = {k: v for k, v in obj.items() if k in _TOP_LEVEL_ARGS and _number(v) is not None}
    if top:
        meta["train_args"] = {k: _number(v) for k, v in top.items()}
        meta["train_args_source"] = "the checkpoint's top-level keys"


def _lightning_steps(obj: dict[str, Any], meta: dict[str, Any]) -> None:
    """Lightning's fit-loop counters: optimizer steps it took for the module (automatic
    optimisation, which also clears the gradients) and steps the module took itself
    (``manual_optimization``: ``opt.zero_grad()`` is then the module's to call)."""
    loop = (obj.get("loops") or {}).get("fit_loop") if isinstance(obj.get("loops"), dict) \
        else None
    if not isinstance(loop, dict):
        return

    def total(*path: str) -> float | None:
        """The value at ``path`` under the fit loop, whose keys Lightning stores both nested
        and joined by dots ("epoch_loop.manual_optimization.optim_step_progress")."""
        node: Any = loop
        rest = list(path)
        while rest and isinstance(node, dict):
            for cut in range(len(rest), 0, -1):
                key = ".".join(rest[:cut])
                if key in node:
                    node, rest = node[key], rest[cut:]
                    break
            else:
                return None
        return None if rest else _number(node)

    manual = total("epoch_loop", "manual_optimization", "optim_step_progress", "total",
                   "completed")
    automatic = total("epoch_loop", "automatic_optimization", "optim_progress", "optimizer",
                      "step", "total", "completed")
    if manual is not None and automatic is not None:
        meta["lightning_steps"] = {"manual": manual, "automatic": automatic}


def _looks_like_batch(obj: Any) -> bool:
    """``(inputs, targets)`` or ``{"inputs": …, "targets": …}`` as ``--batch`` takes it: a
    file given as the checkpoint by mistake, whose two tensors would pass for weights."""
    from .models import _INPUT_KEYS, _TARGET_KEYS

    if isinstance(obj, list | tuple):
        return 1 <= len(obj) <= 2 and all(_is_tensor(v) for v in obj)
    if isinstance(obj, dict) and obj:
        keys = set(map(str, obj))
        return (bool(keys & set(_INPUT_KEYS)) and keys <= set(_INPUT_KEYS) | set(_TARGET_KEYS)
                and all(_is_tensor(v) for v in obj.values()))
    return False


def _is_tensor(value: Any) -> bool:
    return hasattr(value, "shape") and hasattr(value, "dtype")


def _from_object(path: Path, obj: Any, mmapped: bool, fmt: str = "torch") -> Checkpoint:
    if _looks_like_batch(obj):
        raise InputError(err("ckpt.is_batch", path=path))
    tensors, optimizer, meta = split_checkpoint(obj)
    if not tensors:
        if _is_tensor(obj):  # torch.save(tensor): one tensor, no names to match a model by
            raise InputError(err("ckpt.bare_tensor", path=path,
                                 shape=" × ".join(map(str, obj.shape)) or "scalar"))
        keys = ", ".join(map(str, list(obj)[:8])) if isinstance(obj, dict) else \
            getattr(obj, "qualified", type(obj).__name__)  # a record read inertly: its class
        raise InputError(err("ckpt.no_weights", path=path, keys=keys))
    check_dense(path, tensors)
    check_optimizer(path, optimizer)
    if calls := code_calls(obj):
        meta["code_calls"] = calls
    return Checkpoint(path, fmt, DictStore(tensors, mmapped=mmapped), optimizer, meta,
                      module_types=_module_types(obj, meta))


def _module_types(obj: Any, meta: dict[str, Any]) -> dict[str, str]:
    """Class names of a pickled module's submodules read as data, by layer prefix."""
    if isinstance(obj, dict) and "model_key" in meta:
        obj = obj.get(meta["model_key"])  # None for parts saved apart ("encoder + decoder")
    return dict(obj.types) if isinstance(obj, InertModule) else {}


def check_optimizer(path: Path, optimizer: Any) -> None:
    """Refuse an optimizer state whose shape the probes cannot read (one line)."""
    problem = None if optimizer is None else optimizer_problem(optimizer)
    if problem:
        raise InputError(err("ckpt.bad_optimizer", path=path, problem=problem))


def _open_index(path: Path, trust: bool) -> Checkpoint:
    """A sharded checkpoint's ``*.index.json`` (safetensors or torch shards)."""
    shards = index_shards(path)
    if all(s.suffix == ".safetensors" for s in shards):
        return Checkpoint(path, "safetensors-sharded", SafetensorsStore(shards))
    merged: dict[str, Any] = {}
    mmapped = True
    for shard in shards:
        obj, shard_mmapped = load_torch_file(shard, trust, arrays=True)
        mmapped = mmapped and shard_mmapped
        tensors, _, _ = split_checkpoint(obj)
        check_dense(shard, tensors)
        merged.update(tensors)
    return Checkpoint(path, "torch-sharded", DictStore(merged, mmapped=mmapped))


def _open_folder(path: Path, trust: bool) -> Checkpoint:
    if (path / ".metadata").is_file():  # a DCP folder (dcp_reader.is_dcp_folder, torch-free)
        from .dcp_reader import read_dcp

        return _from_object(path, read_dcp(path, trust), mmapped=False, fmt="dcp")
    indexes = sorted(path.glob("*.safetensors.index.json")) + sorted(path.glob("*.bin.index.json"))
    safetensors = sorted(path.glob("*.safetensors"))
    torch_files = [f for pattern in _TORCH_FILES for f in sorted(path.glob(pattern))]
    weights = [f for f in torch_files if not _SIDE_FILES.search(f.name)]
    if indexes:
        checkpoint = _open_index(indexes[0], trust)
    elif safetensors:
        checkpoint = Checkpoint(path, "safetensors", SafetensorsStore(safetensors))
    elif weights:
        checkpoint = _open(_latest(weights), trust)
    elif (inner := checkpoint_in(path)) is not None:  # a library's run folder
        return _open(inner, trust)
    else:
        raise InputError(err("ckpt.no_checkpoint_in_folder", path=path))
    checkpoint.path = path
    if checkpoint.optimizer is None:
        for name in ("optimizer.pt", "optimizer.bin", "optimizer.pth"):
            if (path / name).is_file():
                obj, _ = load_torch_file(path / name, trust, arrays=True)
                _, optimizer, _ = split_checkpoint({"optimizer": obj})
                check_optimizer(path / name, optimizer)
                checkpoint.optimizer = optimizer
                break
    _folder_args(path, checkpoint)
    state = path / "trainer_state.json"
    if "step" not in checkpoint.meta and state.is_file():
        try:
            info = json.loads(read_regular(state, 50_000_000).decode("utf-8"))
            checkpoint.meta["step"] = float(info["global_step"])
            checkpoint.meta["step_key"] = "trainer_state.json:global_step"
        except (OSError, ValueError, KeyError, TypeError, RecursionError, Unreadable):
            pass  # the step is a nicety: an odd trainer_state.json is not worth a refusal
    return checkpoint


def _latest(weights: list[Path]) -> Path:
    """The file a library marks as the latest weights, else the first found."""
    by_name = {w.name: w for w in weights}
    return next((by_name[n] for n in _LATEST if n in by_name), weights[0])


def _folder_args(path: Path, checkpoint: Checkpoint) -> None:
    """HF ``training_args.bin`` beside the weights, read as data (never unpickled as code)."""
    if "train_args" not in checkpoint.meta and (path / "training_args.bin").is_file():
        args = read_pickled_args(path / "training_args.bin")
        if args:
            checkpoint.meta["train_args"] = args
            checkpoint.meta["train_args_source"] = "training_args.bin"
