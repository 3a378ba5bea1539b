"""Live probes: run the user's model on their batch (forward, backward, overfit, lr sweep).

Every probe works on a deep copy of the model, seeded, on CUDA when available (else CPU), on
one thread for a small model. The two active checks are specified in steps: the overfit test
runs up to :data:`OVERFIT_STEPS` and stops early only once its verdict is certain; the sweep
runs :data:`SWEEP_STEPS` per learning rate. ``ctx.max_seconds`` (``--probe-budget``) can only
abort a check ("not measured"), so a busy machine never changes a finding.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import statistics
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.error_texts import ErrorText, err
from dldoctor.errors import ProbeError
from dldoctor.numbers import num

from . import curves
from .adam_inputs import column_shift_findings, training_columns
from .base import Finding, Inputs, ProbeContext
from .batch_mixing import mixing_findings
from .checkpoints import load_checkpoint
from .degenerate_rows import flat_sample_findings
from .evidence import Pct, Said, Times, say, some_names
from .future_leak import future_leak_findings
from .held_params import all_stepped, held_parameters, start_model, train_only_held
from .hf_sequences import declared_pad
from .input_rescaled import rescaled_input_finding
from .label_leak import batch_leak_findings
from .layers import COLLAPSED_SCALE, collapsed_scale
from .layout_view import layout_view_findings
from .library_init import library_finding
from .live_forward import (
    INPUT_MEAN_MAX,
    INPUT_STD_MIN,
    ForwardRun,
    activation_findings,
    dead_since_init_findings,
    fresh_activation_findings,
    input_findings,
    label_findings,
    pooled_gates,
    run_forward,
    target_order_findings,
)
from .live_gradients import (
    GradientReport,
    gradient_findings,
    measure_gradients,
    time_ratio_findings,
)
from .live_modes import micro_batch_log_findings, mode_gap_findings
from .live_output import (
    constant_gain_findings,
    one_class_findings,
    output_findings,
    range_findings,
    shape_findings,
    spread_findings,
)
from .live_runtime import (
    SCALED,
    Clock,
    OptimizerChoice,
    first_tensor,
    loss_for,
    make_optimizer,
    optimizer_choice,
    pick_device,
    seed,
    steady,
    with_oom_fallback,
)
from .live_structure import (
    activation_finding,
    dropout_findings,
    init_findings,
    norm_finding,
    recurrence_bounded_finding,
    recurrent_finding,
    unregistered_findings,
)
from .live_sweep import feed, sweep_losses, train_steps
from .live_transfer import constant_loss, measure_transfer
from .logs import logged as logged_series
from .loss_match import batch_loss_findings, logged_end, loss_match_findings
from .loss_scale import (
    fresh_gradient_norm,
    logged_first_gradient,
    loss_scale_finding,
    scaled_up,
)
from .losses import ROBUST_REGRESSION
from .models import (
    Batch,
    batch_for,
    fresh_model,
    has_trained_weights,
    model_for,
    pools_rows,
    require_pairs,
)
from .moments import MIN_STEPS, adam_step
from .objective_check import guess_level_objective
from .one_class_odds import one_class_by_chance
from .optimizer_state import ParamEntry, read_optimizer
from .padding import padded_steps_findings, padding_findings
from .receptive_field import receptive_field_findings
from .recurrent_axes import recurrent_axis_findings
from .sequence_order import relabelled_batch_first_finding
from .source_scan import added_noise, source_findings, unmasked_loss_line
from .target_orientation import orientation_findings
from .tensor_store import as_torch
from .token_labels import token_label_findings
from .weight_scan import scan_checkpoint_store
from .window_targets import window_target_findings
from .wrapped_labels import wrapped_label_findings

__all__ = ["probe_forward", "probe_backward", "probe_overfit", "probe_lr_sweep",
           "classify_overfit", "overfit_settled", "LR_GRID", "OVERFIT_STEPS", "SWEEP_STEPS",
           "sweep_rates"]

#: Steps of the single-batch overfit test (fewer only once the verdict is certain).
OVERFIT_STEPS = 200
#: Loss below this share of its start counts as overfit ("reaches zero").
OVERFIT_REACHED = 0.05
#: Loss above this multiple of its start, or non-finite, counts as exploded.
OVERFIT_EXPLODED = 10.0
#: The learning rates tried by the sweep.
LR_GRID = (1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5)
#: Steps per learning rate in the sweep.
SWEEP_STEPS = 25
#: Final sweep losses within this share of the starting loss of the lowest one count as tied.
SWEEP_TIE = 0.02
#: A sweep whose best rate lowers the loss by less than this share of its start ranks nothing.
SWEEP_MOVED = 0.10
#: A prediction that ignores the inputs must leave this share of the fresh model's loss for
#: the sweep's rates to be judged against it (a one-class batch's prior costs about 0).
PRIOR_SHARE = 0.25


@contextmanager
def _live(inputs: Inputs, ctx: ProbeContext) -> Iterator[tuple[nn.Module, Batch, torch.device]]:
    """A private copy of the model, the batch and the device; seeded, on steady threads."""
    seed()
    model, batch, device = model_for(inputs, ctx), batch_for(inputs, ctx), pick_device(inputs)
    with steady(model, device):
        yield model, batch, device


def _forward_loss(model: nn.Module, batch: Batch, device: torch.device
                  ) -> tuple[torch.Tensor, str]:
    output = first_tensor(model(feed(batch, device)), batch.targets)
    if output is None:
        raise ProbeError(err("live.no_tensor"))
    # a loss needs inputs and targets sample for sample, or a model that pools its inputs'
    # rows into one output per target (a graph's nodes, a bag's instances, a set's members)
    if batch.unpaired is not None and not pools_rows(output, batch):
        require_pairs(batch)
    try:
        return loss_for(output, batch.targets, batch.soft_logits, batch.classes_last,
                        batch.regression_loss)
    except ValueError as exc:
        raise ProbeError(err("live.no_loss", reason=exc)) from None


#: Errors a user's model or an unusual batch can raise inside a live check; the check then
#: reports its facts as unknown instead of failing.
_RUN_ERRORS = (ProbeError, RuntimeError, ValueError, IndexError, TypeError)


def _cannot_run(facts: tuple[str, ...], what: str, exc: BaseException, ctx: ProbeContext
                ) -> list[Finding]:
    """Every fact of a check that could not run, as UNKNOWN, with the reason in the notes.

    ``what`` is a message key (``what.forward`` …); the reason is the error's own text.
    """
    reason = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    if not isinstance(reason, Said | ErrorText):  # a message key keeps its languages
        reason = " ".join(str(reason).split())[:200]
    note = say("note.cannot_run", what=say(what), reason=reason)
    ctx.notes.append(note)
    return [Finding(fact, UNKNOWN, note) for fact in facts]


def _ends_in_sigmoid(run: ForwardRun) -> bool:
    """The model returns an ``nn.Sigmoid``'s output untouched."""
    return run.output_is_last_leaf and bool(run.layers) and \
        isinstance(run.layers[-1].module, nn.Sigmoid)


def _time_major(model: nn.Module) -> bool:
    """The model holds a sequence-first recurrent layer (``batch_first=False``)."""
    return any(isinstance(m, nn.RNNBase) and not m.batch_first for m in model.modules())


#: The last layer's weights and bias are multiplied by this, and by its negative, in a copy
#: of the model, to read what range a functional activation after it allows (its scores
#: pushed far past 1 both ways).
HEAD_SCALE = 50.0


def _scaled_head_output(model: nn.Module, batch: Batch, device: torch.device,
                        run: ForwardRun) -> torch.Tensor | None:
    """The outputs of a copy of ``model`` whose last leaf module's weight and bias are
    multiplied by :data:`HEAD_SCALE`, then by its negative, in eval mode, one after the
    other; None when the model returns that module's output untouched, it holds no
    weights, the output does not move with it (a second head ran last: ``mu, logvar``), or
    a pass fails (the person's code)."""
    if run.output_is_last_leaf or not run.layers:
        return None
    scaled = copy.deepcopy(model)
    module = dict(scaled.named_modules()).get(run.layers[-1].name)
    params = [p for p in (getattr(module, "weight", None), getattr(module, "bias", None))
              if isinstance(p, torch.Tensor)]
    if not params:
        return None
    scaled.eval()
    outputs = []
    try:
        with torch.no_grad():
            for factor in (1.0, HEAD_SCALE, -1.0):  # as it is, ×50, then ×−50
                for p in params:
                    p.mul_(factor)
                out = first_tensor(scaled(feed(batch, device)), batch.targets)
                if out is None:
                    return None
                outputs.append(out.detach().float().reshape(-1).cpu())
    except Exception:  # noqa: BLE001 - the person's code may raise anything here
        return None
    plain, *pushed = outputs
    if all(o.shape == plain.shape and bool(torch.equal(o, plain)) for o in pushed):
        return None  # the output is not that module's: scaling it changed nothing
    return torch.cat(pushed)


def _output_facts(run: ForwardRun, batch: Batch, logged: float | None = None,
                  own_loss: bool = False, time_major: bool = False,
                  trained: bool = True, scaled: torch.Tensor | None = None) -> list[Finding]:
    record = run.layers[-1] if run.layers else None
    last = (record.name, record.module) if record else None
    raw = run.output_is_last_leaf
    return [*output_findings(run.output, last, batch.targets, raw=raw),
            *shape_findings(run.output, batch, logged, own_loss, time_major),
            *range_findings(run.output, last, batch, raw=raw, trained=trained,
                            scaled=scaled)]


def _inputs_as_seen(found: list[Finding], model: nn.Module, batch: Batch,
                    device: torch.device) -> list[Finding]:
    """The batch's own scale reading, unless the model rescales the batch to unit scale
    before its first layer (then that is what its weights see), or the batch came sorted and
    reads as too narrow (a sorted batch is a slice of the data: its spread is not the data's)."""
    if not any(f.fact == "input.not_normalized" and f.value is True
               and "tensor" not in f.details for f in found):
        return found
    scale = next(f for f in found if f.fact == "input.not_normalized")
    narrow = scale.details.get("std", 1.0) < INPUT_STD_MIN and \
        abs(scale.details.get("mean", 0.0)) <= INPUT_MEAN_MAX
    if narrow and batch.targets is not None and \
            any(f.value is True for f in target_order_findings(batch.targets)):
        return [Finding("input.not_normalized", UNKNOWN,
                        say("input.sorted_slice", stats=scale.evidence))
                if f is scale else f for f in found]
    try:
        rescaled = rescaled_input_finding(model, batch, device)
    except Exception:  # noqa: BLE001 - the person's forward may raise on eight samples
        return found
    if rescaled is None:
        return found
    return [rescaled if f.fact == "input.not_normalized" else f for f in found]


def _first_step_gradients(inputs: Inputs, batch: Batch, device: torch.device,
                          ctx: ProbeContext) -> dict[str, torch.Tensor]:
    """The freshly built model's gradients on the batch (dldoctor's loss, train mode, seeded);
    empty when the model cannot run on it."""
    model = fresh_model(inputs, ctx).to(device).train()
    seed()
    try:
        output = first_tensor(model(feed(batch, device)), batch.targets)
        if output is not None and output.dim() == 0 and output.requires_grad:
            loss = output  # a model that returns its own loss (a flow's NLL)
        else:
            loss, _ = _forward_loss(model, batch, device)
        loss.backward()
    except _RUN_ERRORS:
        return {}
    return {n: p.grad.detach().cpu() for n, p in model.named_parameters() if p.grad is not None}


def probe_forward(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Inputs, labels, per-layer activations, the output, module structure and fresh init."""
    with _live(inputs, ctx) as (model, batch, device):
        return _forward(model, batch, device, inputs, ctx)


def _forward(model: nn.Module, batch: Batch, device: torch.device, inputs: Inputs,
             ctx: ProbeContext) -> list[Finding]:
    ctx.progress(0.1, say("progress.forward"))
    trained = has_trained_weights(inputs, ctx)
    found = [*_inputs_as_seen(input_findings(batch), model, batch, device),
             *batch_leak_findings(batch.inputs, batch.targets, batch.named),
             *orientation_findings(batch.inputs, batch.targets),
             *token_label_findings(batch.inputs, batch.targets),
             *init_findings(fresh_model(inputs, ctx), model if trained else None,
                            lambda: _first_step_gradients(inputs, batch, device, ctx)),
             *mixing_findings(model, batch, device)]
    if trained:  # before the train-mode pass below moves the running statistics
        try:
            found += mode_gap_findings(model, batch, device)
            found += micro_batch_log_findings(found, logged_end(inputs, ctx, mean=True))
        except _RUN_ERRORS:
            pass  # the forward pass below reports why the model cannot run on the batch
    model.train()
    try:
        run = with_oom_fallback(run_forward, model, batch, device, ctx, "what.forward")
    except _RUN_ERRORS as exc:
        return found + one_class_by_chance(label_findings(batch), inputs, ctx) + _cannot_run(
            ("output.activation_after_logits", "forward.non_finite"), "what.forward", exc,
            ctx)
    if run.fed_as_float:
        ctx.notes.append(say("note.fed_as_float"))
    ctx.progress(1.0, say("progress.forward_done"))
    modules = [(r.name, r.module) for r in run.layers]
    fresh = _fresh_run(inputs, batch, device, ctx) if trained else run
    init_act = fresh_activation_findings(fresh) if fresh is not None else []
    if fresh is not None and fresh is not run:
        init_act += dead_since_init_findings(run, fresh)
    spread = [*spread_findings(run.output, batch), *one_class_findings(run.output, batch)] \
        if trained else []
    unchanged = [_unchanged_from_init(model, fresh_model(inputs, ctx))] if trained else []
    weights = Finding("forward.on_factory_weights", not trained,
                      say("forward.trained_weights" if trained else "forward.factory_weights"))
    kind = [f] if (f := activation_finding(modules, pooled_gates(run))) is not None else []
    train_end = logged_end(inputs, ctx) if trained else None  # the training loss's tail
    # two extra passes through the person's code, which may raise anything on an input it did
    # not expect (eight samples, a gradient on the input): then there is no reading, and the
    # rest of the check stands
    try:  # an architecture's property: read on the weights the factory builds
        extra = receptive_field_findings(copy.deepcopy(fresh_model(inputs, ctx)), batch, device)
    except Exception:  # noqa: BLE001
        extra = []
    try:
        extra += layout_view_findings(model, batch, device)
    except Exception:  # noqa: BLE001
        pass
    try:
        extra += future_leak_findings(model, batch, device)
    except Exception:  # noqa: BLE001
        pass
    extra += window_target_findings(batch.inputs, batch.targets)
    extra += recurrent_axis_findings(model, batch, device)
    time_major = _time_major(model)
    if time_major and (relabelled := relabelled_batch_first_finding(batch.inputs)) is not None:
        extra.append(relabelled)
    try:  # on the factory's weights: the trained ones may already be NaN
        extra += flat_sample_findings(copy.deepcopy(fresh_model(inputs, ctx)), batch, device)
    except Exception:  # noqa: BLE001
        pass
    ndims = {r.name: r.ndim for r in run.layers}
    labels = one_class_by_chance(label_findings(batch, run.output, run.last_leaf_output), inputs,
                                 ctx)
    if trained:  # where the trained model puts the samples a negative label marks
        labels += wrapped_label_findings(batch.targets, run.output)
    return [*found, *init_act, *labels,
            *activation_findings(run),
            *_output_facts(run, batch, train_end, _builtin_loss(model), time_major,
                           trained, _scaled_head_output(model, batch, device, run)),
            *spread, *dropout_findings(modules, ndims), *kind,
            *(loss_match_findings(run.output, batch.targets, inputs, ctx, _ends_in_sigmoid(run))
              if trained else []),
            *(constant_gain_findings(run.output, batch.targets) if trained else []),
            *(batch_loss_findings(run.output, batch.targets, inputs, ctx) if trained else []),
            *source_findings(inputs.model), *_training_noise(inputs, batch),
            norm_finding(modules), *unregistered_findings(model), *unchanged, weights, *extra,
            library_finding(model),
            *([recurrent_finding(model)] if inputs.checkpoint is None else []),
            *([bounded] if (bounded := recurrence_bounded_finding(model)) else []),
            *padding_findings(batch.inputs, batch.targets, _builtin_loss(model),
                              run.output if trained else None, _ending_loss(inputs, ctx),
                              _training_loss_end(inputs, ctx) if trained else None,
                              tuple(batch.named.values()) + (batch.parts or ()),
                              declared_pad(model), unmasked_loss_line(inputs.model)),
            *padded_steps_findings(batch.targets, run.output if trained else None,
                                   tuple(batch.named.values()) + (batch.parts or ()),
                                   batch.inputs),
            *(_column_shift(model, batch, device, inputs, ctx) if trained else [])]


def _training_noise(inputs: Inputs, batch: Batch) -> list[Finding]:
    """``data.train_noise_over_input_std``: the Gaussian noise the model file's training
    loop adds to a tensor (:func:`.source_scan.added_noise`) over the spread of the batch's
    inputs as the model consumes them; nothing without such noise or a batch of floats."""
    found = added_noise(inputs.model)
    if found is None or not batch.inputs.is_floating_point() or batch.inputs.numel() < 2:
        return []
    spread = float(batch.inputs.detach().double().std())
    if not math.isfinite(spread) or spread <= 0:
        return []
    scale, line, file = found
    return [Finding("data.train_noise_over_input_std", scale / spread,
                    say("src.training_noise", file=file, line=line, scale=scale, spread=spread,
                        ratio=scale / spread))]


def _column_shift(model: nn.Module, batch: Batch, device: torch.device, inputs: Inputs,
                  ctx: ProbeContext) -> list[Finding]:
    """``input.column_off_training``: the batch's input columns against where the training
    inputs were, by the first layer's Adam moments (:mod:`.adam_inputs`); nothing without a
    checkpoint holding them or a batch that is no table of the first layer's width."""
    if inputs.checkpoint is None or batch.inputs.dim() != 2 or \
            not batch.inputs.is_floating_point():
        return []
    checkpoint = load_checkpoint(inputs.checkpoint, inputs.trust, ctx)
    if checkpoint.optimizer is None:
        return []
    try:
        stats = scan_checkpoint_store(f"{checkpoint.path.resolve()}:{inputs.trust}",
                                      checkpoint.store, ctx)
        read = training_columns(read_optimizer(checkpoint.optimizer), stats)
    except (ValueError, KeyError, TypeError):
        return []
    if read is None:
        return []
    layer, columns = read
    seen = _input_of(model, layer.removesuffix(".weight"), batch, device)
    if seen is None:
        return []
    return column_shift_findings(seen.detach().cpu().double().numpy(), layer, columns)


def _input_of(model: nn.Module, name: str, batch: Batch, device: torch.device
              ) -> torch.Tensor | None:
    """What the module ``name`` is given on the batch in eval mode (the model's own input
    transform applied); None when it is not run or the model cannot run."""
    module = dict(model.named_modules()).get(name)
    if module is None:
        return None
    seen: list[torch.Tensor] = []
    hook = module.register_forward_pre_hook(
        lambda _m, args: seen.append(args[0]) if not seen and args and
        isinstance(args[0], torch.Tensor) else None)
    was_training = model.training
    try:
        with torch.no_grad(), torch.random.fork_rng():
            model.eval()(feed(batch, device))
    except _RUN_ERRORS:
        return None
    finally:
        hook.remove()
        model.train(was_training)
    return seen[0] if seen else None


def _ending_loss(inputs: Inputs, ctx: ProbeContext) -> float | None:
    """The loss the log ends on, validation first (a saved batch is as often held out; its
    last value is the final model's), else the training loss's tail."""
    return logged_end(inputs, ctx, "val_loss", last=True) or logged_end(inputs, ctx)


#: A training loss logged fewer times than this is a short log, per epoch as a rule: …
SHORT_LOG = 20


def _training_loss_end(inputs: Inputs, ctx: ProbeContext) -> float | None:
    """The training loss the log ends on, as the final model's: its last value in a short
    log (:data:`SHORT_LOG`; each point an epoch's mean, the median of the last three lags a
    falling loss by an epoch), else the tail's median (:func:`logged_end`)."""
    loss = logged_series(inputs, ctx, "loss")
    short = loss is not None and int(np.isfinite(loss.values).sum()) < SHORT_LOG
    return logged_end(inputs, ctx, last=short)


def _builtin_loss(model: nn.Module) -> bool:
    """A Hugging Face model: it computes its own loss from labels, skipping -100 only."""
    return getattr(model, "config", None) is not None and hasattr(model, "base_model_prefix")


def _unchanged_from_init(trained: nn.Module, fresh: nn.Module) -> Finding:
    """The share of the checkpoint's parameter tensors still exactly as the factory builds
    them (the factory seeds itself, or the weights were never touched)."""
    built = dict(fresh.named_parameters())
    same = [name for name, p in trained.named_parameters()
            if name in built and built[name].shape == p.shape
            and bool(torch.equal(built[name].detach().cpu(), p.detach().cpu()))]
    total = sum(1 for name, _ in trained.named_parameters() if name in built)
    share = len(same) / total if total else 0.0
    return Finding("weights.unchanged_from_init", share,
                   say("weights.unchanged", same=len(same), n=total),
                   {"unchanged": same[:20]})


def _fresh_run(inputs: Inputs, batch: Batch, device: torch.device,
               ctx: ProbeContext) -> ForwardRun | None:
    """The batch through the model as the factory builds it (None if that cannot run)."""
    model = copy.deepcopy(fresh_model(inputs, ctx)).train()
    try:
        return with_oom_fallback(run_forward, model, batch, device, ctx, "forward probe")
    except _RUN_ERRORS:
        return None


_BACKWARD_FACTS = ("grad.none_params", "grad.zero_params", "grad.first_last_ratio")


def _update_ratio(model: nn.Module, choice: OptimizerChoice) -> dict[str, float]:
    """||Δw|| / ||w|| per weight matrix after one optimizer step on the current gradients."""
    before = {n: p.detach().clone() for n, p in model.named_parameters() if p.dim() >= 2}
    optimizer = make_optimizer(choice, [p for p in model.parameters() if p.requires_grad])
    optimizer.warm_up_from_grads()  # the run's steps, not an optimizer's very first one
    optimizer.step()
    ratios = {}
    for name, param in model.named_parameters():
        if name in before and float(before[name].norm()) > 0:
            ratios[name] = float((param.detach() - before[name]).norm() / before[name].norm())
    return ratios


def _memory(entry: ParamEntry, group: dict, kind: str) -> torch.Tensor | None:
    """The optimizer's running gradient for one parameter, on the gradient's scale: Adam's
    bias-corrected first moment, or SGD's momentum buffer times (1 - momentum)."""
    state = {k: as_torch(v) for k, v in entry.state.items()}  # the NumPy reader's arrays too
    if kind == "adam" and isinstance(state.get("exp_avg"), torch.Tensor):
        step = adam_step(state) or 1.0
        if step < MIN_STEPS:  # a young average is still mostly its first gradients
            return None
        return state["exp_avg"].float() / (1 - float(group.get("betas", (0.9, 0.999))[0]) ** step)
    momentum = float(group.get("momentum", 0) or 0)
    if kind == "sgd" and momentum > 0 and isinstance(state.get("momentum_buffer"), torch.Tensor):
        return state["momentum_buffer"].float() * (1 - momentum)
    return None


def optimizer_memory(model: nn.Module, inputs: Inputs, ctx: ProbeContext
                     ) -> tuple[float, int, float] | None:
    """Median over weight matrices of |optimizer's running gradient| / |a fresh gradient| at
    the checkpoint's weights (weight decay included, see :func:`_fresh_step_gradient`), how
    many matrices, and the median cosine between the two; None when it cannot be lined up.

    Averaging minibatch gradients can only shrink them (the ratio is about 1 or below); a
    ``.grad`` that is never cleared makes the running gradient the sum of all the earlier ones,
    pointing the way fresh gradients do. Call after a backward pass, before any step.
    """
    if inputs.checkpoint is None or not has_trained_weights(inputs, ctx):
        return None
    checkpoint = load_checkpoint(inputs.checkpoint, inputs.trust, ctx)
    if checkpoint.optimizer is None:
        return None
    info = read_optimizer(checkpoint.optimizer)
    params = _in_optimizer_order(list(model.parameters()), info.entries)
    if info.kind not in ("adam", "sgd") or params is None:
        return None
    ratios, cosines = [], []
    for entry, param in zip(info.entries, params, strict=True):
        memory = _memory(entry, info.groups[entry.group], info.kind)
        if memory is None or param.grad is None or param.dim() < 2:
            continue
        if tuple(memory.shape) != tuple(param.shape):
            return None  # the optimizer's order is not the model's: do not guess
        fresh = _fresh_step_gradient(param, float(info.groups[entry.group].get(
            "weight_decay", 0) or 0))
        if fresh > 0 and math.isfinite(fresh):
            ratios.append(float(memory.norm()) / fresh)
            cosine = float(torch.nn.functional.cosine_similarity(
                memory.float().reshape(1, -1), param.grad.detach().float().reshape(1, -1)))
            if math.isfinite(cosine):
                cosines.append(cosine)
    if len(ratios) < 2:
        return None
    return statistics.median(ratios), len(ratios), \
        statistics.median(cosines) if cosines else math.nan


#: The optimizer's memory "points against" a fresh gradient below this median cosine (healthy
#: runs near a minimum reach -0.62, a healthy CfC -0.87: momentum overshoots and the fresh
#: gradient points back).
MEMORY_OPPOSES = -0.9


def _memory_findings(memory: tuple[float, int, float] | None) -> list[Finding]:
    """The optimizer's memory against a fresh gradient of the standard loss: its size
    (``optimizer.memory_over_gradient``, a sum of uncleared gradients is many times one), and
    whether it points the other way (``optimizer.memory_opposes_gradient``: the run descended
    the negative of that loss, so the size says nothing of accumulation) or the same way
    (``optimizer.memory_gradient_cosine``: a sum of the same gradient taken again and again)."""
    if memory is None:
        return []
    ratio, n, cosine = memory
    if not math.isfinite(cosine):
        return [Finding("optimizer.memory_over_gradient", ratio,
                        say("optimizer.memory", ratio=ratio, n=n))]
    opposes = cosine < MEMORY_OPPOSES
    along = say("optimizer.memory_against" if opposes else "optimizer.memory_along",
                cos=cosine, n=n)
    return [
        Finding("optimizer.memory_over_gradient", UNKNOWN if opposes else ratio,
                say("optimizer.memory_against", cos=cosine, n=n) if opposes else
                say("optimizer.memory", ratio=ratio, n=n)),
        Finding("optimizer.memory_opposes_gradient", opposes, along),
        Finding("optimizer.memory_gradient_cosine", cosine, along),
    ]


def _in_optimizer_order(params: list[nn.Parameter], entries: list[ParamEntry]
                        ) -> list[nn.Parameter] | None:
    """The model's parameters lined up with the optimizer's entries: in order when the shapes
    agree, else each entry with the one parameter of its shape (param groups listed in
    another order than the model's: ``[{"params": model.embed...}, {"params":
    [model.proxies]}]``) — only when no two parameters share a shape. None when the counts
    differ, a shape is missing or shared."""
    if len(entries) != len(params):
        return None
    if all(e.shape is None or tuple(e.shape) == tuple(p.shape)
           for e, p in zip(entries, params, strict=True)):
        return params
    by_shape = {tuple(p.shape): p for p in params}
    shapes = [tuple(e.shape) for e in entries if e.shape is not None]
    if len(by_shape) != len(params) or len(set(shapes)) != len(entries) or \
            any(s not in by_shape for s in shapes):
        return None  # a shape missing, or shared (two parameters could be swapped): no guess
    return [by_shape[s] for s in shapes]


def _fresh_step_gradient(param: nn.Parameter, decay: float) -> float:
    """The norm of what one step would add to the optimizer's memory: the gradient, or with
    weight decay coupled to it (SGD, Adam's L2) the gradient plus decay × weight, whichever is
    larger (AdamW keeps its decay out of the moments; a checkpoint does not always say which)."""
    assert param.grad is not None
    grad = param.grad.detach().float()
    fresh = float(grad.norm())
    if decay > 0:
        fresh = max(fresh, float((grad + decay * param.detach().float()).norm()))
    return fresh


def probe_backward(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Gradients per layer; parameters without, with a zero or with a frozen gradient; one
    step's update ratio; for recurrent models the gradient across time steps."""
    choice = optimizer_choice(inputs, ctx)
    with _live(inputs, ctx) as (model, batch, device):
        ctx.progress(0.1, say("what.backward"))

        def run(m: nn.Module, b: Batch, d: torch.device
                ) -> tuple[GradientReport, tuple[float, int, float] | None, dict[str, float],
                           float | None]:
            report = measure_gradients(m, lambda net: _forward_loss(net, b, d))
            collapsed = collapsed_scale([(float(p.detach().float().std()), tuple(p.shape))
                                         for p in m.parameters() if p.dim() >= 2
                                         and p.requires_grad and p.numel() > 1])
            return (report, optimizer_memory(m, inputs, ctx), _update_ratio(m, choice),
                    collapsed)

        try:
            report, memory, ratios, collapsed = with_oom_fallback(
                run, model, batch, device, ctx, "what.backward")
        except _RUN_ERRORS as exc:
            return _cannot_run(_BACKWARD_FACTS, "what.backward", exc, ctx)
        at_init = _time_ratio_at_init(inputs, batch, device, ctx) \
            if report.time_norms and has_trained_weights(inputs, ctx) else []
    found = _reached_by_the_run(gradient_findings(report), report, model, inputs, ctx)
    found += at_init
    found += _memory_findings(memory)
    if ratios and scaled_up(scale := _loss_scale(inputs, ctx, _held(inputs, ctx), batch,
                                                 device)):
        # one step of a mean loss's gradient says nothing of the run's far larger steps
        words = say("live.update_loss_scaled", ratio=Times(float(scale[0].value)))
        ctx.notes.append(words)
        found.append(Finding("update.ratio", UNKNOWN, words))
    elif ratios:
        median = statistics.median(ratios.values())
        if collapsed is not None:  # the step measured against weights near zero
            found.append(Finding("update.ratio", UNKNOWN,
                                 say("update.weights_collapsed", median=median,
                                     scale=collapsed, limit=COLLAPSED_SCALE),
                                 {"median": median, "scale": collapsed}))
        else:
            found.append(Finding("update.ratio", median,
                                 say("update.ratio", choice=choice.describe(), median=median,
                                     n=len(ratios)), {"per_layer": ratios}))
            if median > 0 and choice.lr > 0:
                # a step grows with the rate: the rate whose step is 1e-3 of the weights
                healthy = choice.lr * HEALTHY_UPDATE / median
                found.append(Finding("update.healthy_lr", healthy,
                                     say("update.healthy_lr", lr=choice.lr, median=median,
                                         healthy=healthy)))
    return found


#: The update-to-weight ratio practitioners aim for (seed 000 §1.lr, seed 003 stage 1).
HEALTHY_UPDATE = 1e-3


def _time_ratio_at_init(inputs: Inputs, batch: Batch, device: torch.device,
                        ctx: ProbeContext) -> list[Finding]:
    """``grad.time_ratio_at_init``: the recurrent input's first-over-last time-step gradient
    of the model as its factory builds it (seeded). A trained net that learned to ignore the
    early steps shows a tiny ratio its fresh self does not: that is what the data taught it,
    not gradients vanishing through time."""
    model = copy.deepcopy(fresh_model(inputs, ctx)).to(device)
    seed()
    try:
        report = measure_gradients(model, lambda net: _forward_loss(net, batch, device))
    except _RUN_ERRORS:
        return []
    return [Finding("grad.time_ratio_at_init", f.value, say("grad.time_at_init", text=f.evidence))
            for f in time_ratio_findings(report) if f.fact == "grad.time_ratio"]


#: What the backward pass says of parameters it does not reach.
_UNREACHED_FACTS = ("grad.none_params", "grad.none_share", "grad.unreached_are_unused")


def _reached_by_the_run(found: list[Finding], report: GradientReport, model: nn.Module,
                        inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Parameters the check's loss leaves without a gradient although every parameter holds
    the run's optimizer state were trained by the run's own objective: those facts are
    unknown then, with the reason in the notes."""
    trainable = sum(1 for p in model.parameters() if p.requires_grad)
    if not report.none or not all_stepped(inputs, ctx, trainable):
        return found
    words = say("live.other_objective_backward", n=len(report.none),
                names=some_names(report.none))
    ctx.notes.append(words)
    return [Finding(f.fact, UNKNOWN, words) if f.fact in _UNREACHED_FACTS else f
            for f in found]


def _loss_of(batch: Batch, device: torch.device) -> Callable[[nn.Module], torch.Tensor]:
    return lambda model: _forward_loss(model, batch, device)[0]


def classify_overfit(losses: list[float], untrained: float | None = None) -> tuple[str, Said]:
    """Map a single-batch training curve to one of overfit.outcome's choices, with words.

    ``untrained``: the freshly built model's loss on the batch, when the curve starts from
    trained weights; a rise counts as an explosion only past 10x the larger of the two, since
    the first steps of a fresh optimizer from a near-zero loss jump many times that loss."""
    values = np.array(losses, dtype=float)
    start = values[0]
    if not math.isfinite(start):
        return "explodes", say("overfit.nan_at_start")
    bad = curves.first_non_finite(values)
    if bad is not None:
        return "explodes", say("overfit.nan_at", step=bad)
    peak, end = float(values.max()), float(np.median(values[-3:]))
    scale = max(abs(start), 1e-12)
    if abs(start) < curves.NEAR_ZERO and peak < OVERFIT_EXPLODED * curves.NEAR_ZERO:
        return "reaches_zero", say("overfit.already_fit", a=float(start), b=peak)
    if peak > _explosion_level(start, untrained):  # not: 1e-4 growing to 4e-3
        return "explodes", say("overfit.grew", a=float(start), b=peak)
    if untrained is not None and untrained > 0 and end >= start and \
            max(abs(start), abs(end)) < OVERFIT_REACHED * untrained:
        # trained weights that already fit the batch: a fresh optimizer's first steps push
        # the loss up by a few hundredths of what the freshly built model pays (a curve that
        # still falls from there is read as it falls: how fast says what trains)
        return "reaches_zero", say("overfit.fit_from_trained", a=float(start), b=end,
                                   fresh=untrained)
    if end < OVERFIT_REACHED * scale or abs(end) < curves.NEAR_ZERO:
        return "reaches_zero", say("overfit.fell" if end < start else "overfit.stays",
                                   a=float(start), b=end)
    shape = curves.classify_shape(values, minibatch=False)  # one fixed batch: no sampling noise
    if shape is not None and shape.oscillating:
        return "oscillates", say("overfit.jumps", share=Pct(shape.noise), b=end)
    if end > start + curves.RISE_FRACTION * scale:
        return "goes_up", say("overfit.rose", a=float(start), b=end)
    if (start - end) / scale < curves.PLATEAU_DROP:
        return "plateaus", say("overfit.stays", a=float(start), b=end)
    return "decreases_slowly", say("overfit.fell_slowly", a=float(start), b=end)


def _explosion_level(start: float, untrained: float | None) -> float:
    """The loss above which a single-batch curve has exploded."""
    base = max(abs(start), abs(untrained) if untrained is not None else 0.0, curves.NEAR_ZERO)
    return OVERFIT_EXPLODED * base


def overfit_settled(losses: list[float], untrained: float | None = None) -> bool:
    """Whether more steps cannot change the verdict: exploded, or overfit (the loss's median
    over the last three steps is below 5 % of its start)."""
    if len(losses) < 3 or not math.isfinite(losses[0]):
        return False
    scale = max(abs(losses[0]), 1e-12)
    if max(losses) > _explosion_level(losses[0], untrained):
        return True
    end = statistics.median(losses[-3:])
    return end < OVERFIT_REACHED * scale or abs(end) < curves.NEAR_ZERO


def _nothing_to_fit(batch: Batch, facts: tuple[str, ...]) -> list[Finding]:
    """A batch without targets gives the training checks nothing to fit: driving the model's
    own output to 0 says nothing of the run, so their facts stay unknown."""
    words = say("live.no_targets", file=batch.source.name)
    return [Finding(fact, UNKNOWN, words) for fact in facts]


def _unreached_trained(model: nn.Module, batch: Batch, device: torch.device, inputs: Inputs,
                       ctx: ProbeContext) -> list[str]:
    """Parameters the checks' loss does not reach (no gradient at all) although the run
    trained every parameter (each has optimizer state): then the run's objective is another
    (a VQ-VAE's codebook term, an auxiliary loss in ``training_step``), and a fit of the
    checks' loss says nothing of the run. Empty when it reaches them all or cannot tell."""
    key = f"unreached:{inputs.model}:{inputs.checkpoint}:{inputs.batch}"
    if key not in ctx.cache:
        unreached: list[str] = []
        trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
        if trainable and all_stepped(inputs, ctx, len(trainable)):
            probe = copy.deepcopy(model)
            try:
                with torch.random.fork_rng():
                    loss, _ = _forward_loss(probe, batch, device)
                    loss.backward()
                unreached = [n for n, p in probe.named_parameters()
                             if p.requires_grad and p.grad is None]
            except _RUN_ERRORS:
                unreached = []
        ctx.cache[key] = unreached
    cached: list[str] = ctx.cache[key]
    return cached


def _other_objective(facts: tuple[str, ...], unreached: list[str] | Said, ctx: ProbeContext
                     ) -> list[Finding]:
    """Every fact of a fitting check as unknown: its loss is not the run's objective
    (parameters it does not reach, or the words of :func:`guess_level_objective`)."""
    words = unreached if isinstance(unreached, Said) else \
        say("live.other_objective", n=len(unreached), names=some_names(unreached))
    if words not in ctx.notes:
        ctx.notes.append(words)
    return [Finding(fact, UNKNOWN, words) for fact in facts]


def _not_the_objective(model: nn.Module, batch: Batch, device: torch.device, inputs: Inputs,
                       ctx: ProbeContext) -> list[str] | Said:
    """Why the fitting checks' loss is not the run's (empty when it may be)."""
    return _unreached_trained(model, batch, device, inputs, ctx) or \
        guess_level_objective(model, batch, device, inputs, ctx) or []


def probe_overfit(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Train a copy of the model on the single batch and classify what the loss does.

    Dropout is off: the test asks whether model, loss and optimizer can drive the loss on one
    batch to zero, and dropout's noise on a fixed batch would read as oscillation."""
    choice = optimizer_choice(inputs, ctx)
    clock = Clock(ctx, "what.overfit")
    held = _held(inputs, ctx)
    with _live(inputs, ctx) as (model, batch, device):
        if batch.targets is None:
            return _nothing_to_fit(batch, ("overfit.outcome",))
        unreached = _not_the_objective(model, batch, device, inputs, ctx)
        if unreached:
            return _other_objective(("overfit.outcome",), unreached, ctx)
        train_only_held(model, held)
        ctx.progress(0.0, say("progress.overfit", choice=choice.describe()))
        untrained = _untrained_loss(inputs, batch, device, ctx, held) \
            if has_trained_weights(inputs, ctx) else None

        def run(m: nn.Module, b: Batch, d: torch.device) -> list[float]:
            optimizer = make_optimizer(choice, [p for p in m.parameters() if p.requires_grad])
            return train_steps(_loss_of(b, d), m, optimizer, OVERFIT_STEPS, clock,
                               lambda losses: overfit_settled(losses, untrained),
                               dropout=False)

        # the same start for the run without weight decay (after a stall) or with clipping
        # (after a blow-up): at most one of them runs, so one copy, taken only when one may
        start = copy.deepcopy(model) if _strong_decay(choice) or _recurrent(model) else None
        try:
            losses = with_oom_fallback(run, model, batch, device, ctx, "what.overfit")
        except _RUN_ERRORS as exc:
            return _cannot_run(("overfit.outcome",), "what.overfit", exc, ctx)
        transfer = _transfer(inputs, batch, device, choice, held, ctx)
        outcome, words = classify_overfit(losses, untrained)
        without = [] if start is None or not _strong_decay(choice) else \
            _without_decay(outcome, choice, start, batch, device, untrained, clock)
        clipped = [] if start is None or not _recurrent(start) else \
            _with_clipping(outcome, choice, start, batch, device, untrained, clock)
    ctx.progress(1.0, say("progress.overfit_done", outcome=outcome))
    return [Finding("overfit.outcome", outcome,
                    say("overfit.outcome", words=words, n=len(losses),
                        size=int(batch.inputs.shape[0]), choice=choice.describe()),
                    {"losses": losses}),
            Finding("overfit.fit_with_a_standard_loss", True,
                    say("overfit.robust_loss", name=ROBUST_REGRESSION[robust][1])
                    if (robust := batch.regression_loss) in ROBUST_REGRESSION
                    else say("overfit.standard_loss")),
            *_blow_up_finite(outcome, losses), *without, *clipped, *transfer]


def _blow_up_finite(outcome: str, losses: list[float]) -> list[Finding]:
    """``overfit.blow_up_finite``: whether a one-batch fit that exploded stayed a number —
    grown many times its start but never NaN/inf (steps too large for the model's curvature)
    rather than a NaN (arithmetic that broke: a log of 0, a division by 0). Nothing for
    another outcome."""
    if outcome != "explodes":
        return []
    values = np.array(losses, dtype=float)
    finite = bool(np.isfinite(values).all())
    return [Finding("overfit.blow_up_finite", finite,
                    say("overfit.blow_up_finite" if finite else "overfit.blow_up_nan",
                        a=float(values[0]), b=float(values[np.isfinite(values)].max())
                        if np.isfinite(values).any() else math.nan, n=int(values.size)))]


#: The total gradient norm :func:`_with_clipping` clips to (the usual recurrent-net setting).
CLIP_NORM = 1.0


def _recurrent(model: nn.Module) -> bool:
    """Whether the model has recurrent layers (``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` or cells)."""
    return any(isinstance(m, nn.RNNBase | nn.RNNCellBase) for m in model.modules())


def _with_clipping(outcome: str, choice: OptimizerChoice, model: nn.Module, batch: Batch,
                   device: torch.device, untrained: float | None, clock: Clock
                   ) -> list[Finding]:
    """When a recurrent model's one-batch fit blows up, the same fit from ``model``, the same
    start, with the gradient norm clipped to :data:`CLIP_NORM`: a fit that clipping alone
    tames is gradients exploding through time; one that still blows up is the step size."""
    if outcome != "explodes":
        return []
    seed()
    try:
        optimizer = make_optimizer(choice, [p for p in model.parameters() if p.requires_grad])
        losses = train_steps(_loss_of(batch, device), model, optimizer, OVERFIT_STEPS, clock,
                             lambda values: overfit_settled(values, untrained), dropout=False,
                             clip=CLIP_NORM)
    except _RUN_ERRORS:
        return []
    found, words = classify_overfit(losses, untrained)
    return [Finding("overfit.clipped", found,
                    say("overfit.clipped", words=words, n=len(losses), clip=CLIP_NORM,
                        choice=choice.describe()), {"losses": losses})]


#: One-batch outcomes that weight decay alone could cause: the decay's pull toward zero
#: outweighs the loss's gradient, so the fit stalls or climbs back.
_DECAY_CAN_STALL = ("goes_up", "plateaus", "decreases_slowly", "oscillates")
#: A decay strong enough to matter within the one-batch test: an L2 term (SGD, RMSprop,
#: Adagrad, Adam without decoupling) above this …
STRONG_L2 = 0.01
#: … or a decoupled decay (Adam, as AdamW) that alone shrinks the weights by this share over
#: the test's steps; weaker, the two fits differ by the noise of training, not by the decay.
STRONG_DECOUPLED_SHRINK = 0.1


def _decays(choice: OptimizerChoice) -> tuple[float, float]:
    """The choice's weight decay of weight matrices and of one-dimensional parameters
    (biases, norm scales; see ``live_optim``)."""
    decay = float(choice.settings.get("weight_decay") or 0.0)
    flat = choice.settings.get("flat_weight_decay")
    return decay, decay if flat is None else float(flat)


def _strong_decay(choice: OptimizerChoice) -> bool:
    """Whether the choice's weight decay can plausibly hold back a one-batch fit."""
    decay = max(_decays(choice))
    if choice.kind == "adam" and choice.settings.get("decoupled_weight_decay", True):
        return choice.lr * decay * OVERFIT_STEPS >= STRONG_DECOUPLED_SHRINK
    return decay > STRONG_L2


def _fit_with(choice: OptimizerChoice, model: nn.Module, batch: Batch, device: torch.device,
              untrained: float | None, clock: Clock) -> list[float] | None:
    """The one-batch fit of ``model`` with ``choice``, seeded; None when it cannot run."""
    seed()
    try:
        optimizer = make_optimizer(choice, [p for p in model.parameters() if p.requires_grad])
        return train_steps(_loss_of(batch, device), model, optimizer, OVERFIT_STEPS, clock,
                           lambda values: overfit_settled(values, untrained), dropout=False)
    except _RUN_ERRORS:
        return None


def _without_decay(outcome: str, choice: OptimizerChoice, model: nn.Module, batch: Batch,
                   device: torch.device, untrained: float | None, clock: Clock
                   ) -> list[Finding]:
    """When the one-batch fit stalls under an optimizer with a strong weight decay
    (:func:`_strong_decay`, checked by the caller), the same fit from ``model``, the same
    start, with the decay set to 0: whether the decay is what holds it back. When it is and
    the decay reaches the one-dimensional parameters too, a third fit from the same start
    keeps the weight matrices' decay and sets only theirs to 0: whether the decay of the
    biases and norm scales alone is what holds it back (where they carry none, that fit is
    the run's own, already measured)."""
    if outcome not in _DECAY_CAN_STALL:
        return []
    decay, flat = _decays(choice)
    start = copy.deepcopy(model) if flat > 0 else None
    plain = dataclasses.replace(choice, settings={**choice.settings, "weight_decay": 0.0,
                                                  "flat_weight_decay": 0.0})
    losses = _fit_with(plain, model, batch, device, untrained, clock)
    if losses is None:
        return []
    found, words = classify_overfit(losses, untrained)
    findings = [Finding("overfit.without_decay", found,
                        say("overfit.without_decay", words=words, n=len(losses),
                            decay=max(decay, flat), choice=choice.describe()),
                        {"losses": losses})]
    if found != "reaches_zero":
        return findings
    if start is None:  # the biases and norm scales carry no decay: the run's own fit
        return [*findings, Finding("overfit.without_flat_decay", outcome,
                                   say("overfit.flat_decay_already_off", decay=decay))]
    matrices_only = dataclasses.replace(choice, settings={**choice.settings,
                                                          "weight_decay": decay,
                                                          "flat_weight_decay": 0.0})
    losses = _fit_with(matrices_only, start, batch, device, untrained, clock)
    if losses is None:
        return findings
    found, words = classify_overfit(losses, untrained)
    return [*findings, Finding("overfit.without_flat_decay", found,
                               say("overfit.without_flat_decay", words=words, n=len(losses),
                                   decay=decay, flat=flat, choice=choice.describe()),
                               {"losses": losses})]


def _held(inputs: Inputs, ctx: ProbeContext) -> frozenset[str] | None:
    """The parameters the run's optimizer trains, when it trains fewer than the model has
    (said once in the notes); None: all of them."""
    key = f"held:{inputs.model}:{inputs.checkpoint}"
    if key not in ctx.cache:
        try:
            held = held_parameters(fresh_model(inputs, ctx), inputs, ctx)
        except _RUN_ERRORS:
            held = None
        if held is not None:
            ctx.notes.append(say("note.held_only", n=len(held)))
        ctx.cache[key] = held
    cached: frozenset[str] | None = ctx.cache[key]
    return cached


def _transfer(inputs: Inputs, batch: Batch, device: torch.device, choice: OptimizerChoice,
              held: frozenset[str] | None, ctx: ProbeContext) -> list[Finding]:
    """The half-batch transfer check (:mod:`.live_transfer`) on the model as the factory
    builds it, as training started; nothing when it says nothing."""
    found = None
    # a question about the data, not the rate: when the run's rate cannot fit the half batch
    # in the check's few steps, ten times that rate is tried once
    for tried in (choice, dataclasses.replace(choice, lr=choice.lr * 10, source=SCALED)):
        seed()
        try:
            model = start_model(inputs, ctx, held).to(device)
            found = measure_transfer(model, batch, device,
                                     functools.partial(make_optimizer, tried),
                                     Clock(ctx, "what.overfit"))
        except _RUN_ERRORS:
            return []
        if found is not None:
            choice = tried
            break
    if found is None:
        return []
    return [Finding("batch.transfer", found.share,
                    say("batch.transfer" if found.share > 0 else "batch.no_transfer",
                        share=Pct(found.share), lowest=found.lowest,
                        constant=found.constant, n=len(found.fitted), half=found.size // 2,
                        choice=choice.describe()),
                    {"constant": found.constant, "lowest": found.lowest,
                     "fitted": found.fitted, "other": found.other})]


def _untrained_loss(inputs: Inputs, batch: Batch, device: torch.device, ctx: ProbeContext,
                    held: frozenset[str] | None = None) -> float | None:
    """The model's loss on the batch as training started (:func:`.held_params.start_model`;
    None when it cannot be computed); the random streams the one-batch test then draws from
    (dropout) are left as they were."""
    try:  # the forward's dropout draws stay out of the one-batch test's random stream
        with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []), \
                torch.no_grad():
            model = start_model(inputs, ctx, held).to(device).train()
            value = float(_loss_of(batch, device)(model))
    except _RUN_ERRORS:
        return None
    return value if math.isfinite(value) else None


def _final_loss(losses: list[float]) -> float:
    """The median of the last three losses; inf when the run diverged or never stepped."""
    tail = losses[-3:]
    finite = len(losses) > 1 and all(math.isfinite(v) for v in tail)
    return float(np.median(tail)) if finite else math.inf


def probe_lr_sweep(inputs: Inputs, ctx: ProbeContext, vectorise: bool = True
                   ) -> list[Finding]:
    """Train a copy per lr of :data:`LR_GRID` (and the current lr, when no grid rate is within
    1.5x of it) on the batch, all at once when the model allows and it pays (see
    :mod:`.live_sweep`); compare the best lr with the current one.

    The copies start from the model as the factory builds it, as training did: from trained
    weights near a minimum every smaller rate looks better, whatever rate trained them.
    ``vectorise=False`` always trains the copies one after another."""
    choice = optimizer_choice(inputs, ctx)
    clock = Clock(ctx, "what.sweep")
    held = _held(inputs, ctx)
    with _live(inputs, ctx) as (model, batch, device):
        if batch.targets is None:
            return _nothing_to_fit(batch, ("lr_sweep.best_over_current", "lr_sweep.best_lr",
                                           "grad.first_over_fresh"))
        unreached = _not_the_objective(model, batch, device, inputs, ctx)
        if unreached:
            return _other_objective(("lr_sweep.best_over_current", "lr_sweep.best_lr",
                                     "grad.first_over_fresh"), unreached, ctx)
        scale = _loss_scale(inputs, ctx, held, batch, device)
        if scaled_up(scale):  # the sweep's mean loss steps far shorter than the run's did
            return scale + _other_objective(
                ("lr_sweep.best_over_current", "lr_sweep.current_among_best",
                 "lr_sweep.best_lr"),
                say("live.sweep_loss_scaled", ratio=Times(float(scale[0].value))), ctx)
        rates = sweep_rates(choice.lr)
        ctx.progress(0.0, say("progress.sweep", n=len(rates)))

        def run(_m: nn.Module, b: Batch, d: torch.device) -> tuple[list[list[float]], bool]:
            def copies() -> nn.Module:  # from the initialisation, as training started
                seed()
                return start_model(inputs, ctx, held).to(d)

            return sweep_losses(copies, b, d, choice, rates, SWEEP_STEPS, clock,
                                _loss_of(b, d), vectorise)

        try:
            curves_per_lr, together = with_oom_fallback(run, nn.Module(), batch, device, ctx,
                                                        "what.sweep")
        except _RUN_ERRORS as exc:
            return scale + _cannot_run(("lr_sweep.best_over_current",), "what.sweep", exc, ctx)
        guess = _guess_loss(model, batch, device)
    return scale + _sweep_findings(rates, curves_per_lr, together, choice, ctx, guess)


def _guess_loss(model: nn.Module, batch: Batch, device: torch.device) -> float | None:
    """The loss on the batch of the best prediction that ignores the inputs (the labels'
    frequencies, the targets' mean); None where there is none or the model cannot run."""
    if batch.targets is None:
        return None
    try:
        with torch.no_grad(), torch.random.fork_rng():
            output = first_tensor(model(feed(batch, device)), batch.targets)
        if output is None:
            return None
        targets = batch.targets.to(device)
        return constant_loss(targets, output, targets, batch.soft_logits, batch.classes_last)
    except _RUN_ERRORS:
        return None


def _loss_scale(inputs: Inputs, ctx: ProbeContext, held: frozenset[str] | None, batch: Batch,
                device: torch.device) -> list[Finding]:
    """``grad.first_over_fresh`` (:mod:`.loss_scale`): the log's first gradient norm against
    the one the freshly built model gets from a mean loss; unknown (with the reason) when
    either is missing. Measured once per session: the sweep and the backward pass share it."""
    key = f"live:loss_scale:{inputs.logs}|{inputs.model}|{inputs.batch}|{inputs.checkpoint}"
    if (cached := ctx.cache.get(key)) is not None:
        return list(cached)
    logged = logged_first_gradient(inputs, ctx)
    fresh = None
    if logged is not None:
        try:  # its dropout draws stay out of the sweep's random stream
            with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
                seed()
                fresh = fresh_gradient_norm(start_model(inputs, ctx, held).to(device),
                                            _loss_of(batch, device))
        except _RUN_ERRORS:
            fresh = None
    found = loss_scale_finding(logged, fresh)
    ctx.cache[key] = tuple(found)
    return found


def _sweep_findings(rates: Sequence[float], curves_per_lr: list[list[float]], together: bool,
                    choice: OptimizerChoice, ctx: ProbeContext, guess: float | None = None
                    ) -> list[Finding]:
    """The sweep's findings from each rate's losses; ``guess``: the loss of the best
    prediction that ignores the inputs — a fresh model that starts above it and ends no
    lower under any rate learned the targets' frequencies or mean, not the task, and the
    rates' small differences there say nothing of the rate (set 262's twelve-sigmoid MLP:
    every rate ends between 0.54 and 0.65 around its labels' 0.54)."""
    results = {lr: _final_loss(losses) for lr, losses in zip(rates, curves_per_lr,
                                                             strict=True)}
    lowest = min(results, key=results.__getitem__)
    if not math.isfinite(results[lowest]):
        ctx.notes.append(say("note.sweep_all_nan"))
        return []
    table = [f"lr {num(lr)}: {num(loss)}" for lr, loss in results.items()]  # a list: "、" in zh
    start = _start_loss(curves_per_lr)
    if math.isfinite(start) and start - results[lowest] < SWEEP_MOVED * abs(start):
        return _sweep_moved_nothing(results, start, choice, table)
    tied = tied_rates(results, start)
    best = nearest_rate(tied, choice.lr)
    proxy = nearest_rate(list(results), choice.lr)  # the current rate, or a grid rate near it
    if proxy not in tied and guess is not None and math.isfinite(guess) and \
            math.isfinite(start) and start > guess > PRIOR_SHARE * start and \
            results[lowest] > (1 - SWEEP_MOVED) * guess:
        # a better rate by differences among rates that all stop at the prior's loss
        return _sweep_moved_nothing(results, start, choice, table, guess)
    moved = Finding("lr_sweep.no_rate_learns", False,
                    say("lr_sweep.some_rate_learns", steps=SWEEP_STEPS, table=table))
    ratio = best / choice.lr if choice.lr > 0 else math.inf
    ctx.progress(1.0, say("progress.best_lr", best=best))
    return [Finding("lr_sweep.best_over_current", ratio,
                    say("lr_sweep.best", steps=SWEEP_STEPS, best=best, ratio=Times(ratio),
                        choice=choice.describe(), table=table) if math.isfinite(ratio)
                    and len(tied) == 1 else
                    say("lr_sweep.best_tied", steps=SWEEP_STEPS, best=best, ratio=Times(ratio),
                        tied=[num(lr) for lr in tied], choice=choice.describe(), table=table)
                    if math.isfinite(ratio) else
                    say("lr_sweep.best_from_zero", steps=SWEEP_STEPS, best=best,
                        choice=choice.describe(), table=table),
                    {"losses": results, "start": start, "best": best, "tied": tied,
                     "current": choice.lr,
                     "trained_together": together}),
            Finding("lr_sweep.current_among_best", proxy in tied,
                    say("lr_sweep.current_tied" if proxy in tied else "lr_sweep.current_worse",
                        lr=proxy, loss=results[proxy], best=best,
                        best_loss=results[best])),
            # the schedule's peak (OneCycleLR's max_lr) is the highest rate the run stepped
            # at: as the rate before the schedule, what overshooting would be measured at
            Finding("lr_sweep.from_initial_lr", "before the schedule" in choice.source
                    or "peak lr" in choice.source,
                    say("lr_sweep.baseline", choice=choice.describe())),
            *_fresh_drop(results, start, proxy),
            Finding("lr_sweep.best_lr", best,
                    say("lr_sweep.lowest", steps=SWEEP_STEPS, best=best,
                        grid=[num(lr) for lr in rates]) if len(tied) == 1 else
                    say("lr_sweep.tied", steps=SWEEP_STEPS, best=best,
                        tied=[num(lr) for lr in tied])), moved]


def _fresh_drop(results: dict[float, float], start: float, rate: float) -> list[Finding]:
    """``lr_sweep.fresh_loss_ratio``: the freshly built model's loss after the sweep's steps
    at the run's rate (or the grid's nearest) over the loss it started at — how well the
    initialisation lets the run's own rate start learning; nothing without a finite,
    positive start."""
    end = results.get(rate, math.nan)
    if not (math.isfinite(start) and start > 0 and math.isfinite(end)):
        return []
    return [Finding("lr_sweep.fresh_loss_ratio", end / start,
                    say("lr_sweep.fresh_drop", steps=SWEEP_STEPS, lr=rate, start=start,
                        end=end))]


#: A current rate this close to a grid rate is that rate (1e-3 written as 0.0010000001).
SAME_RATE = 1.05


def sweep_rates(current: float) -> tuple[float, ...]:
    """:data:`LR_GRID`, with the current rate added (in descending order) unless it is a grid
    rate (within :data:`SAME_RATE`): the sweep judges the rate the run used, not a neighbour —
    set 392's SGD at 1.5 with momentum 0.9 diverged on the batch in 25 steps where the grid's
    1 fitted it best, and "the current rate among the best" had cleared it."""
    if not (math.isfinite(current) and current > 0) or any(
            abs(math.log(current / lr)) < math.log(SAME_RATE) for lr in LR_GRID):
        return LR_GRID
    return tuple(sorted((*LR_GRID, current), reverse=True))


def _sweep_moved_nothing(results: dict[float, float], start: float, choice: OptimizerChoice,
                         table: list[str], guess: float | None = None) -> list[Finding]:
    """No rate lowered the batch's loss by a measurable amount (or below what a prediction
    that ignores the inputs pays, ``guess``): the sweep cannot rank them."""
    words = say("lr_sweep.moved_nothing", steps=SWEEP_STEPS, start=start,
                share=Pct(SWEEP_MOVED), choice=choice.describe(), table=table) \
        if guess is None else \
        say("lr_sweep.only_the_prior", steps=SWEEP_STEPS, start=start, guess=guess,
            choice=choice.describe(), table=table)
    return [Finding("lr_sweep.best_over_current", UNKNOWN, words,
                    {"losses": results, "start": start, "current": choice.lr}),
            Finding("lr_sweep.best_lr", UNKNOWN, words),
            Finding("lr_sweep.no_rate_learns", True, words)]


def _start_loss(per_rate: Sequence[Sequence[float]]) -> float:
    """The loss before the first update (the same for every copy: one seeded model)."""
    firsts = [c[0] for c in per_rate if c and math.isfinite(c[0])]
    return float(np.median(firsts)) if firsts else math.nan


def tied_rates(results: dict[float, float], start: float) -> list[float]:
    """The rates whose final loss is within :data:`SWEEP_TIE` of ``start`` of the lowest.

    Rates that all fit the batch to about zero are equally good: which of them ends a few
    1e-4 lower says nothing about the rate."""
    low = min(results.values())
    margin = SWEEP_TIE * abs(start) if math.isfinite(start) else 0.0
    return [lr for lr, loss in results.items() if loss <= low + margin]


def nearest_rate(rates: Sequence[float], current: float) -> float:
    """The rate of ``rates`` nearest ``current`` on a log scale (the first of two at the same
    distance); the first one when there is no current rate."""
    if current <= 0 or not math.isfinite(current):
        return rates[0]
    return min(rates, key=lambda lr: abs(math.log(lr / current)))
