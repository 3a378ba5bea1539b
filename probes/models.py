"""Build the user's model from ``--model FILE.py:FACTORY`` or ``MODULE:FACTORY``, and read
``--batch``.

Building the model runs the user's own code: that is explicit, they named it. The checkpoint's
weights, when given, are loaded into it; the batch file is data and is read with
``weights_only=True``.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import importlib.util
import re
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import torch
from torch import nn

from dldoctor.error_texts import err
from dldoctor.errors import InputError, ProbeError

from .base import Inputs, ProbeContext
from .checkpoints import load_checkpoint, load_torch_file
from .dict_forward import bind_batch_dict
from .evidence import say
from .extra_inputs import (
    arrange_batch,
    bind_extras,
    first_argument,
    key_for_argument,
    needed_arguments,
)
from .functional_forward import bind_functional_forward
from .hf_sequences import adapt_batch, adapt_model
from .losses import affine_target_map, scores_classes_last, sigmoid_fits
from .source_scan import robust_regression_loss
from .tensor_store import as_torch

__all__ = ["Batch", "load_model", "load_batch", "build_model", "fresh_model", "model_for",
           "batch_for", "first_argument", "has_trained_weights", "pools_rows", "require_pairs"]

_INPUT_KEYS = ("inputs", "input", "x", "data", "images", "image", "img", "imgs", "features",
               "input_ids", "pixel_values", "input_values", "tokens", "src", "samples", "signal",
               "signals", "waveforms", "waveform", "audio", "sequences", "seqs")
_TARGET_KEYS = ("targets", "target", "y", "labels", "label", "tgt", "gt", "classes", "class",
                "ys")
#: Wrapper prefixes a checkpoint's tensor names may carry (DataParallel, Lightning, compile).
WRAPPER_PREFIXES = ("model.", "module.", "_orig_mod.", "net.", "network.")


@dataclass
class Batch:
    """One batch of data: inputs and (maybe) targets.

    ``unpaired`` is (inputs, targets) along the first dimension when the two disagree in
    length: the batch as the training loop fed it (e.g. inputs laid out time-first) is itself
    evidence of a shape bug, so it is kept and measured rather than refused."""

    inputs: torch.Tensor
    targets: torch.Tensor | None
    source: Path
    unpaired: tuple[int, int] | None = None
    #: The targets lie in [0, 1] and the trained model's output is their logits
    #: (:func:`.losses.sigmoid_fits`): the checks score it with BCE on logits, not MSE.
    soft_logits: bool = False
    #: The output is (batch, positions, classes) although (batch, classes, positions) would fit
    #: too (a pointer network's (B, N, N) scores): the trained model's output scores its
    #: targets far better along its last axis (:func:`.losses.scores_classes_last`).
    classes_last: bool = False
    #: The loss of float targets in the fitting checks: ``mse``, or the robust loss the model
    #: file trains with (``huber``, ``l1``; :func:`.source_scan.robust_regression_loss`).
    regression_loss: str = "mse"
    #: Every tensor of a tuple of three or more (``(words, lengths, labels)``), and the
    #: dict's other tensors by key: a ``forward`` that takes more than one tensor finds its
    #: other arguments there (:mod:`.extra_inputs`).
    parts: tuple[torch.Tensor, ...] | None = None
    named: dict[str, torch.Tensor] = dataclasses.field(default_factory=dict)
    #: A dict batch's keys for its inputs and its targets, as saved: a ``forward(batch)``
    #: that reads the dict itself gets them back under those names (:mod:`.dict_forward`).
    keys: tuple[str | None, str | None] | None = None

    def head(self, n: int) -> Batch:
        """The first ``n`` samples (used to halve a batch after an out-of-memory error); an
        unpaired batch (a graph's nodes for its graphs' labels) cannot be cut and is whole."""
        if self.unpaired is not None:
            return self
        targets = self.targets[:n] if self.targets is not None else None
        return dataclasses.replace(self, inputs=self.inputs[:n], targets=targets)


def pools_rows(output: torch.Tensor, batch: Batch) -> bool:
    """The model turned the inputs' rows into one output row per target: fewer rows than the
    inputs have, exactly as many as the targets (a graph's nodes pooled per graph) — unless an
    input dimension past the first has the targets' length (samples laid out time-first, which
    a model indexing its output by position turns into as many rows)."""
    targets = batch.targets
    return targets is not None and output.dim() >= 1 and targets.dim() >= 1 and \
        output.shape[0] == targets.shape[0] < batch.inputs.shape[0] and \
        targets.shape[0] not in tuple(batch.inputs.shape[1:])  # not samples laid out time-first


def require_pairs(batch: Batch) -> None:
    """Raise a ProbeError when inputs and targets cannot be paired sample by sample: a check
    that trains on or scores against the targets then reports its facts unknown."""
    if batch.unpaired is not None:
        n, m = batch.unpaired
        raise ProbeError(say("note.unpaired_batch", file=batch.source.name, n=n, m=m))


def import_factory(spec: str) -> Any:
    """The object ``spec`` (``FILE.py:NAME`` or ``MODULE:NAME``) names."""
    module, name = _import_module(spec)
    return getattr(module, name)


def _import_module(spec: str) -> tuple[ModuleType, str]:
    """The module ``spec`` names (the user's file run once) and the name it holds."""
    target, sep, name = spec.rpartition(":")
    if not sep or not target or not name:
        raise InputError(err("model.form", spec=spec))
    path = Path(target)
    if target.endswith(".py") or path.is_file():
        if not path.is_file():
            raise InputError(err("model.no_file", spec=spec, target=target))
        module_name = f"_dldoctor_user_{abs(hash(path.resolve()))}"
        loader = importlib.util.spec_from_file_location(module_name, path)
        if loader is None or loader.loader is None:
            raise InputError(err("model.cannot_import", spec=spec, target=target))
        module = importlib.util.module_from_spec(loader)
        sys.path.insert(0, str(path.resolve().parent))
        try:
            sys.modules[module_name] = module
            loader.loader.exec_module(module)
        except Exception as exc:  # the user's code may raise anything
            raise InputError(err("model.import_failed", spec=spec, target=target,
                                 kind=type(exc).__name__, reason=exc)) from None
        finally:
            sys.path.remove(str(path.resolve().parent))
    else:
        try:
            module = importlib.import_module(target)
        except Exception as exc:
            raise InputError(err("model.no_module", spec=spec, target=target,
                                 kind=type(exc).__name__, reason=exc)) from None
    if not hasattr(module, name):
        raise InputError(err("model.no_attribute", spec=spec, target=target, name=name))
    return module, name


#: A model file and factory that have not returned a model after this many seconds are given
#: up with a one-line error (a loop that never ends, a download that never comes): a safety
#: limit, not a measurement — nothing is read from how long a build takes.
BUILD_SECONDS = 120.0


def build_model(spec: str, limit: float = BUILD_SECONDS) -> nn.Module:
    """:func:`_build_model`, given up after ``limit`` seconds with a one-line error: the
    person's file and factory run in a daemon thread, left behind when they never return."""
    done: list[nn.Module] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(_build_model(spec))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            failed.append(exc)

    worker = threading.Thread(target=run, name="dldoctor-build-model", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise InputError(err("model.factory_hung", spec=spec, seconds=int(limit)))
    if failed:
        raise failed[0]
    return done[0]


def _build_model(spec: str) -> nn.Module:
    """Call the factory (a class or function taking no arguments) and check it is a Module; a
    container without a ``forward`` of its own runs through its file's forward function."""
    module, name = _import_module(spec)
    factory = getattr(module, name)
    if isinstance(factory, nn.Module):
        model = copy.deepcopy(factory)
    else:
        try:
            model = factory()
        except Exception as exc:
            raise InputError(err("model.factory_raised", spec=spec, kind=type(exc).__name__,
                                 reason=exc)) from None
    if not isinstance(model, nn.Module):
        raise InputError(err("model.not_module", spec=spec, kind=type(model).__name__))
    bind_functional_forward(model, module)
    return model


def _strip(names: dict[str, torch.Tensor], wanted: set[str]) -> dict[str, torch.Tensor]:
    """Drop a wrapper prefix ('model.', 'module.' …, or the checkpoint's own first name
    component, a Lightning module's ``self.encoder_model``) when that makes more names
    match."""
    firsts = Counter(k.split(".", 1)[0] + "." for k in names if "." in k)
    best = names
    for prefix in (*WRAPPER_PREFIXES, *(p for p, _ in firsts.most_common(5))):
        stripped = {k[len(prefix):]: v for k, v in names.items() if k.startswith(prefix)}
        if stripped and len(set(stripped) & wanted) > len(set(best) & wanted):
            best = stripped
    return best


#: A model and a checkpoint of which less than this share of either's tensors match (by name
#: and shape) are two models (an adapter-only checkpoint matches in full what it holds).
MOSTLY = 0.5


def _hub_format(model: nn.Module, path: Path) -> dict[str, torch.Tensor] | None:
    """A Hugging Face model's checkpoint folder (``config.json`` beside the weights) read by
    the model class's own loader: ``save_pretrained`` writes some architectures in their
    hub format (transformers 5 fuses and renames NomicBert's attention as ``Wqkv`` on disk),
    which only that loader maps back to the model's parameters. None for any other model or
    file, or when the loader fails."""
    loader = getattr(type(model), "from_pretrained", None)
    config = getattr(model, "config", None)
    folder = path if path.is_dir() else path.parent
    if loader is None or config is None or not (folder / "config.json").is_file():
        return None
    try:
        from transformers.utils import logging as hf_logging

        level = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()
        try:
            with torch.random.fork_rng():
                loaded = loader(str(folder), config=config, use_safetensors=True)
        finally:
            hf_logging.set_verbosity(level)
    except Exception:  # noqa: BLE001 - a folder its loader cannot read: the names decide
        return None
    return dict(loaded.state_dict()) if isinstance(loaded, nn.Module) else None


def _matching(tensors: dict[str, torch.Tensor], own: dict[str, torch.Tensor]
              ) -> dict[str, torch.Tensor]:
    """The checkpoint's tensors that fit one of the model's by name and shape."""
    return {k: v for k, v in tensors.items() if k in own and tuple(own[k].shape) == v.shape}


def load_weights(model: nn.Module, inputs: Inputs, ctx: ProbeContext) -> bool:
    """Load the checkpoint's weights into ``model`` (non-strict; mismatches go to notes);
    False when the model keeps the factory's initial weights."""
    if inputs.checkpoint is None:
        return False
    checkpoint = load_checkpoint(inputs.checkpoint, inputs.trust, ctx)
    store = checkpoint.store
    tensors = {m.name: as_torch(store.get(m.name)) for m in store.metas()}
    held = len(tensors)  # the checkpoint's own count, before a prefix is stripped
    own = model.state_dict()
    tensors = _strip(tensors, set(own))
    usable = _matching(tensors, own)
    if len(usable) < MOSTLY * len(own) and \
            (hub := _hub_format(model, Path(inputs.checkpoint))) is not None and \
            len(read := _matching(hub, own)) > len(usable):
        tensors, usable = hub, read
    if not usable and tensors and own:  # two models: every live check would mix them up
        raise InputError(err("model.weights_mismatch", checkpoint=inputs.checkpoint,
                             model=inputs.model, n=held, m=len(own)))
    if usable and len(usable) < MOSTLY * len(tensors) and len(usable) < MOSTLY * len(own):
        # a few tensors alike by chance (a first Linear(20, 32) in both): the live checks
        # would run a model that is mostly the factory's fresh weights
        raise InputError(err("model.weights_mostly_mismatch", checkpoint=inputs.checkpoint,
                             model=inputs.model, k=len(usable), n=held, m=len(own)))
    if not usable:
        ctx.notes.append(say("note.no_weight_match", file=str(inputs.checkpoint)))
        return False
    broken = [k for k, v in usable.items()  # in the file's order, as the weight scan says
              if v.is_floating_point() and not bool(torch.isfinite(v).all())]
    if broken:
        # measuring a network whose weights are already NaN tells nothing about why they
        # became NaN: the live probes test the code path from the factory's fresh weights
        ctx.notes.append(say("note.nan_weights", file=str(inputs.checkpoint), n=len(broken),
                             name=broken[0]))
        return False
    model.load_state_dict(usable, strict=False)
    skipped = len(own) - len(usable)
    if skipped:
        ctx.notes.append(say("note.missing_tensors", file=str(inputs.checkpoint), k=skipped,
                             n=len(own)))
    return True


def _adapt(model: nn.Module, batch: Batch) -> None:
    """Let the model take the batch's inputs as its one argument (in place)."""
    adapt_model(model, batch)
    bind_extras(model, batch)
    bind_batch_dict(model, batch)


def _seeded_build(spec: str) -> nn.Module:
    """The factory's model from seed 0, without moving the caller's random streams: the same
    model whichever probe builds it first."""
    with torch.random.fork_rng():
        torch.manual_seed(0)
        return build_model(spec)


def load_model(inputs: Inputs, ctx: ProbeContext) -> nn.Module:
    """The model with the checkpoint's weights, built once per session (callers deepcopy)."""
    if inputs.model is None:
        raise InputError(err("model.needed"))
    key = f"model:{inputs.model}:{inputs.checkpoint}"
    if key not in ctx.cache:
        model = _seeded_build(inputs.model)
        ctx.cache[f"trained:{key}"] = load_weights(model, inputs, ctx)
        if inputs.batch is not None:
            _adapt(model, _raw_batch(inputs, ctx, *_arguments(model)))
        ctx.cache[key] = model
    cached: nn.Module = ctx.cache[key]
    return cached


def _arguments(model: nn.Module) -> tuple[str | None, tuple[str, ...]]:
    """``forward``'s first argument and the ones it requires after it (the batch file's
    tensors are matched to them)."""
    return first_argument(model), tuple(needed_arguments(model))


def has_trained_weights(inputs: Inputs, ctx: ProbeContext) -> bool:
    """Whether the live model holds the checkpoint's weights (not the factory's initial ones)."""
    load_model(inputs, ctx)
    return bool(ctx.cache.get(f"trained:model:{inputs.model}:{inputs.checkpoint}", False))


def fresh_model(inputs: Inputs, ctx: ProbeContext) -> nn.Module:
    """The model as the factory builds it, before any checkpoint is loaded (built once, from
    seed 0 for a factory that does not seed itself)."""
    if inputs.model is None:
        raise InputError(err("model.needed"))
    key = f"fresh:{inputs.model}"
    if key not in ctx.cache:
        model = _seeded_build(inputs.model)
        if inputs.batch is not None:
            _adapt(model, _raw_batch(inputs, ctx, *_arguments(model)))
        ctx.cache[key] = model
    cached: nn.Module = ctx.cache[key]
    return cached


def model_for(inputs: Inputs, ctx: ProbeContext) -> nn.Module:
    """A private copy of the model, safe to modify (checked once to run on the batch)."""
    model = load_model(inputs, ctx)
    if inputs.batch is not None:
        check_runs(model, inputs, ctx)
    return copy.deepcopy(model)


def _feeds(x: torch.Tensor) -> list[torch.Tensor]:
    """The ways the live probes feed inputs: as they are, then as float for integer data."""
    if x.is_floating_point():
        return [x]
    return [x, x.float()] if x.dtype == torch.long else [x.float()]


#: A failure about the inputs' number type, which the float retry is there to get past.
_DTYPE_COMPLAINT = re.compile(r"dtype|scalar type|Long|Float|Double|Half|Int\b")


def check_runs(model: nn.Module, inputs: Inputs, ctx: ProbeContext) -> None:
    """Run the model forward once on the batch (two samples, then all of them with autograd
    on); a model that cannot take the batch at all is the user's input to fix: exit 2."""
    key = f"runs:{inputs.model}:{inputs.batch}"
    if ctx.cache.get(key) == "failed":  # said once, by the first live probe
        raise ProbeError(err("model.cannot_run_again", model=inputs.model))
    if ctx.cache.get(key) or inputs.device == "cuda" or torch.cuda.is_available():
        return  # the live probes run it on the GPU: a CPU trial could fail where they pass
    batch = batch_for(inputs, ctx)
    training = model.training
    model.eval()
    problem = ""  # the batch as saved, unless it only failed on its dtype (then the retry's)
    try:  # two samples without autograd first; then the whole batch as the probes run it
        for sample, grad in ((batch.inputs[:2], False), (batch.inputs, True)):
            for x in _feeds(sample):
                try:
                    with torch.set_grad_enabled(grad):
                        model(x)
                except Exception as exc:  # the user's code may raise anything
                    text = " ".join(str(exc).split())[:160]
                    if not problem or _DTYPE_COMPLAINT.search(problem):
                        problem = f"{type(exc).__name__}: {text}"
                    continue
                ctx.cache[key] = True
                return
    finally:
        model.train(training)
    words = {"model": inputs.model, "batch": inputs.batch, "problem": problem,
             "shape": _shape_said(batch.inputs)}
    if inputs.checkpoint or inputs.logs or inputs.trace:
        # beside files that can still be read, the live probes are skipped, not the whole run
        # (set 364's Poisson embedding model: forward(fl, pi, wd, mo, wx) beside a batch of
        # 'inputs' and 'weather' ended a healthy run in an error, nothing reported)
        ctx.cache[key] = "failed"
        raise ProbeError(err("model.cannot_run_skipped", **words))
    raise InputError(err("model.cannot_run", **words))


def _shape_said(x: Any) -> str:
    """A batch's inputs as "64×3 float32" (the trial's error names its two-sample slice)."""
    if isinstance(x, torch.Tensor):
        return "×".join(str(n) for n in x.shape) + " " + str(x.dtype).removeprefix("torch.")
    return type(x).__name__


def _pick(obj: dict[Any, Any], keys: tuple[str, ...]) -> Any:
    """The value under the first of ``keys`` the dict holds, in any letter case."""
    lower = {k.lower(): v for k, v in obj.items() if isinstance(k, str)}
    return next((lower[k] for k in keys if k in lower), None)


def _saved_in_argument_order(obj: dict[Any, Any], targets: Any,
                             names: tuple[str, ...]) -> torch.Tensor | None:
    """The first tensor a dict batch saved, when the dict names none of ``forward``'s
    arguments, not even spelt out, and holds exactly one tensor per argument besides its
    targets (None otherwise, and for a one-argument forward, whose input is found by its
    usual name)."""
    keys = [k for k in obj if isinstance(k, str)]
    if len(names) < 2 or any(key_for_argument(n, keys) is not None for n in names):
        return None  # it names (or spells out: ``rec`` → ``recipe``) one of them
    tensors = [v for v in obj.values() if isinstance(v, torch.Tensor) and v is not targets]
    return tensors[0] if len(tensors) == len(names) else None


def _the_other_tensor(obj: dict[Any, Any], targets: Any) -> Any:
    """The inputs of a dict batch whose inputs' key is no known name: its one other tensor
    (``{"signals": x, "labels": y}``), or of several the first saved — a dict saved in the
    order of the model's arguments (``{"users", "items", "targets"}`` for
    ``forward(users, items)``; the rest are found under their argument names)."""
    others = [v for v in obj.values() if isinstance(v, torch.Tensor) and v is not targets]
    return others[0] if others else None


def _pair_by_shape(obj: dict[Any, Any]) -> tuple[Any, Any]:
    """Inputs and targets of a dict of two tensors whose keys are no known names
    (``{"feats": x, "speaker": y}``): a 1-D tensor of whole numbers beside a larger one is the
    labels; otherwise they are taken in the order saved, as a tuple's are. (None, None) for
    anything else."""
    tensors = [v for v in obj.values() if isinstance(v, torch.Tensor)]
    if len(tensors) != 2 or len(obj) != 2 or min(t.dim() for t in tensors) == 0 or \
            tensors[0].shape[0] != tensors[1].shape[0]:
        return None, None
    first, second = tensors
    if first.dim() == 1 and not first.is_floating_point() and second.dim() > 1:
        return second, first
    return first, second


def load_batch(path: Path, allow_unpaired: bool = False, first: str | None = None,
               others: tuple[str, ...] = ()) -> Batch:
    """Read ``(inputs, targets)``, ``{"inputs": …, "targets": …}`` or a bare input tensor.

    A dict's tensor under ``first`` (the name of the model's first ``forward`` argument) is
    its inputs, before any usual name: ``{"audio", "tokens", "targets"}`` for
    ``forward(audio, tokens)``, ``{"covariates", "time", "event"}`` for
    ``forward(covariates)``. A dict that names none of ``forward``'s arguments (``first``
    and the required ``others``) but holds one tensor for each, the targets aside, was saved
    in their order: its first tensor is the inputs (``{"mould", "inputs", "targets"}`` for
    ``forward(m, x)``). Inputs and targets of different lengths are refused, unless
    ``allow_unpaired``: the diagnosis then keeps the batch and measures the mismatch
    (:attr:`Batch.unpaired`)."""
    try:
        obj, _ = load_torch_file(path, trust=False)
    except InputError as exc:  # a batch is never loaded as code: no trust flag to suggest
        if getattr(exc.message, "key", None) != "ckpt.refused_pickle":
            raise
        what = exc.message.values["what"]  # type: ignore[attr-defined]
        raise InputError(err("batch.refused_pickle", path=path, what=what)) from None
    parts: tuple[torch.Tensor, ...] | None = None
    named: dict[str, torch.Tensor] = {}
    saved_keys: tuple[str | None, str | None] | None = None
    if isinstance(obj, dict):
        named_first = _pick(obj, (first.lower(),)) if first else None
        targets = _pick(obj, _TARGET_KEYS)
        if named_first is None and first:
            named_first = _saved_in_argument_order(obj, targets, (first, *others))
        inputs = named_first if isinstance(named_first, torch.Tensor) else \
            _pick(obj, _INPUT_KEYS)
        if inputs is None and targets is None:
            inputs, targets = _pair_by_shape(obj)  # {"feats": …, "speaker": …}
        if inputs is None and targets is not None:
            inputs = _the_other_tensor(obj, targets)  # {"signals": …, "labels": …}
        named = {str(k): v.clone() for k, v in obj.items()
                 if isinstance(v, torch.Tensor) and v is not inputs and v is not targets}
        saved_keys = (next((str(k) for k, v in obj.items() if v is inputs), None),
                      next((str(k) for k, v in obj.items() if v is targets), None))
    elif isinstance(obj, list | tuple) and len(obj) >= 1:
        inputs, targets = obj[0], obj[1] if len(obj) > 1 else None
        if len(obj) >= 3 and all(isinstance(t, torch.Tensor) for t in obj):
            parts = tuple(t.clone() for t in obj)
    else:
        inputs, targets = obj, None
    if isinstance(obj, dict) and inputs is None:
        keys = ", ".join(repr(k) for k in list(obj)[:8]) or "(none)"
        raise InputError(err("batch.keys", path=path, keys=keys))
    if not isinstance(inputs, torch.Tensor):
        raise InputError(err("batch.form", path=path, kind=type(inputs).__name__))
    if targets is not None and not isinstance(targets, torch.Tensor):
        raise InputError(err("batch.targets", path=path, kind=type(targets).__name__))
    if inputs.dim() == 0 or inputs.shape[0] == 0:
        raise InputError(err("batch.empty", path=path))
    unpaired = None
    if targets is not None and targets.dim() and targets.shape[0] != inputs.shape[0]:
        if not allow_unpaired:
            raise InputError(err("batch.lengths", path=path, n=inputs.shape[0],
                                 m=targets.shape[0]))
        unpaired = (int(inputs.shape[0]), int(targets.shape[0]))
    return Batch(inputs.clone(), targets.clone() if targets is not None else None, path,
                 unpaired, parts=parts, named=named, keys=saved_keys)


def _raw_batch(inputs: Inputs, ctx: ProbeContext, first: str | None = None,
               others: tuple[str, ...] = ()) -> Batch:
    """The batch as the file holds it, read once per session (a dict's inputs under
    ``first``, the model's first argument, when it holds that key; ``others``: the
    arguments ``forward`` requires after it)."""
    if inputs.batch is None:
        raise InputError(err("batch.needed"))
    key = f"raw-batch:{Path(inputs.batch).resolve()}:{first}:{others}"
    if key not in ctx.cache:
        batch = load_batch(Path(inputs.batch), allow_unpaired=True, first=first,
                           others=others)
        if batch.inputs.dtype in (torch.float16, torch.bfloat16):
            # a model trained in half precision is built in float32 by its factory, and the
            # checkpoint's half weights load into float32 parameters: feed it float32
            ctx.notes.append(say("note.batch_half", path=Path(inputs.batch).name,
                                 dtype=str(batch.inputs.dtype).removeprefix("torch.")))
            batch = dataclasses.replace(batch, inputs=batch.inputs.float())
        ctx.cache[key] = batch
    cached: Batch = ctx.cache[key]
    return cached


def _trained_output(inputs: Inputs, batch: Batch, ctx: ProbeContext) -> torch.Tensor | None:
    """The trained model's output on the batch in eval mode (no gradient, the random state
    kept); None when the model cannot run on it."""
    from .live_runtime import first_tensor  # both import this module
    from .live_sweep import feed

    model = load_model(inputs, ctx)
    was_training = model.training
    try:
        with torch.random.fork_rng(), torch.no_grad():
            return first_tensor(model.eval()(feed(batch, torch.device("cpu"))), batch.targets)
    except Exception:  # noqa: BLE001 - the live checks report a model that cannot run
        return None
    finally:
        model.train(was_training)


def _reads_classes_last(output: torch.Tensor, batch: Batch, ctx: ProbeContext) -> bool:
    """Whether the trained model's (B, N, N) ``output`` scores its class-id targets along its
    last axis (said in the notes); False when only one layout fits."""
    targets = batch.targets
    if targets is None or targets.is_floating_point() or \
            not scores_classes_last(output, targets):
        return False
    ctx.notes.append(say("note.classes_last", shape=str(tuple(output.shape))))
    return True


def _reads_logits(output: torch.Tensor, batch: Batch, ctx: ProbeContext) -> bool:
    """Whether the trained model's ``output`` on the batch reads as logits of its [0, 1]
    targets (said in the notes)."""
    targets = batch.targets
    if targets is None or not targets.is_floating_point() or not sigmoid_fits(output, targets):
        return False
    ctx.notes.append(say("note.soft_logits"))
    return True


def _on_model_scale(output: torch.Tensor, batch: Batch, ctx: ProbeContext
                    ) -> torch.Tensor | None:
    """The batch's float targets on the scale the trained model predicts them (its
    ``output``), when its training step rescaled them (:func:`.losses.affine_target_map`;
    said in the notes): the checks then score the model against what it was trained to
    output. None otherwise."""
    targets = batch.targets
    if targets is None or not targets.is_floating_point():
        return None
    mapped = affine_target_map(output, targets)
    if mapped is None:
        return None
    scale, shift = mapped
    rows = targets.detach().float().reshape(targets.shape[0], -1)
    ctx.notes.append(say("note.targets_rescaled", shift=f"{float(shift.mean()):.3g}",
                         scale=f"{float(scale.mean()):.3g}"))
    return ((rows - shift) / scale).reshape(targets.shape).to(targets.dtype)


def _read_by_the_trained_model(inputs: Inputs, batch: Batch, ctx: ProbeContext) -> Batch:
    """The batch as the trained model's output on it says the run scored it: logits of soft
    targets, classes on the last axis, or targets the training step rescaled — one forward
    pass decides all three; the batch as it is without trained weights or paired targets."""
    if batch.targets is None or batch.unpaired is not None or \
            not has_trained_weights(inputs, ctx):
        return batch
    output = _trained_output(inputs, batch, ctx)
    if output is None:
        return batch
    if _reads_logits(output, batch, ctx):
        return dataclasses.replace(batch, soft_logits=True)
    if _reads_classes_last(output, batch, ctx):
        return dataclasses.replace(batch, classes_last=True)
    if (rescaled := _on_model_scale(output, batch, ctx)) is not None:
        return dataclasses.replace(batch, targets=rescaled)
    return batch


def batch_for(inputs: Inputs, ctx: ProbeContext) -> Batch:
    """The batch as the model reads it (:mod:`.hf_sequences`), read once per session."""
    key = f"batch:{inputs.model}:{Path(inputs.batch).resolve() if inputs.batch else None}"
    if key not in ctx.cache:
        if inputs.model is None:
            batch = _raw_batch(inputs, ctx)
        else:
            model = load_model(inputs, ctx)
            batch = _raw_batch(inputs, ctx, *_arguments(model))
            batch = _read_by_the_trained_model(
                inputs, adapt_batch(model, arrange_batch(model, batch)), ctx)
            if (robust := robust_regression_loss(inputs.model)) and not batch.soft_logits:
                batch = dataclasses.replace(batch, regression_loss=robust)
        ctx.cache[key] = batch
    cached: Batch = ctx.cache[key]
    return cached
