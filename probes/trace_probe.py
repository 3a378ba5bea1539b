"""Turn a trace written by ``dldoctor.watch`` into facts about the training loop.

The trace records what the loop did (see :mod:`dldoctor.watcher.format`); each helper here
reads one kind of record and says what it shows, with the steps and numbers as evidence.
The logged loss, learning rate and gradient norm also go through the log probe's curve
classifier, so a trace stands in for a metrics log.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import numpy as np

from dldoctor.error_texts import err
from dldoctor.errors import ProbeError
from dldoctor.watcher.format import Trace, read_trace

from .base import Finding, Inputs, ProbeContext
from .evidence import Pct, Said, Times, say, whole
from .log_probes import curve_findings
from .logs import Metrics, Series

__all__ = ["probe_trace", "trace_findings", "LR_COLLAPSE", "LR_COLLAPSE_STEPS",
           "DOMINANT_TARGET_SHARE"]

#: The learning rate counts as collapsed below this share of its starting value …
LR_COLLAPSE = 0.01
#: … when that happens within this many optimizer steps (a per-epoch schedule needs epochs).
LR_COLLAPSE_STEPS = 1000
#: Class 0 missing from this many labels per output class is no accident of sampling.
CLASS_ZERO_SAMPLES = 20
#: In sequence targets, one value this common is usually the padding token.
DOMINANT_TARGET_SHARE = 0.3
#: The logged loss matches a recomputed cross-entropy within this relative tolerance (a loss
#: with label smoothing, weights or a sum matches neither, and is left unjudged).
LOSS_MATCH = 0.02
#: A logged loss within this factor of the batch's cross-entropy (or of 1/k of it) tells
#: whether an accumulated loss was divided by the k accumulation steps.
ACCUM_MATCH = 1.5
_IGNORE_INDEX = -100


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _steps_list(steps: list[int], limit: int = 5) -> list[str] | Said:
    shown = [str(s) for s in steps[:limit]]
    return say("trace.steps_more", steps=shown, n=len(steps)) if len(steps) > limit else shown


def _zero_grad(steps: list[dict[str, Any]]) -> list[Finding]:
    measured = [s for s in steps if isinstance(s.get("stale_grad"), bool)]
    if not measured:
        return []
    stale = [s["step"] for s in measured if s["stale_grad"]]
    value = len(stale) > len(measured) / 2
    return [Finding("loop.grads_not_zeroed", value,
                    say("trace.stale_grads", k=len(stale), n=len(measured),
                        steps=_steps_list(stale))
                    if stale else say("trace.grads_cleared", n=len(measured)),
                    {"stale_steps": stale[:50], "measured": len(measured)})]


def _mode(start: dict[str, Any], steps: list[dict[str, Any]]) -> list[Finding]:
    train = sum(s.get("train_forwards", 0) for s in steps)
    evals = sum(s.get("eval_forwards", 0) for s in steps)
    if not train + evals:
        return []
    bn = [s["bn_updates"] for s in steps if "bn_updates" in s]
    layers = [n for n, k in (("BatchNorm", "has_batchnorm"), ("dropout", "has_dropout"))
              if start.get(k)]
    value = bool(layers) and evals > train
    where = say("trace.model_has", layers=layers) if layers else say("trace.mode_moot")
    words = say("trace.eval_forwards_bn", k=evals, n=train + evals, where=where, bn=sum(bn)) \
        if bn else say("trace.eval_forwards", k=evals, n=train + evals, where=where)
    return [Finding("loop.trained_in_eval_mode", value, words,
                    {"train": train, "eval": evals})]


def _lr(start: dict[str, Any], steps: list[dict[str, Any]]) -> list[Finding]:
    lrs = [(s["step"], lr) for s in steps
           if (lr := _number((s.get("lr") or [None])[0])) is not None]
    groups = start.get("optimizer", {}).get("groups") or [{}]
    first = _number(groups[0].get("lr")) or (lrs[0][1] if lrs else None)
    if not lrs or not first:
        return []
    collapse = next((step for step, lr in lrs if lr < LR_COLLAPSE * first), None)
    early = collapse is not None and collapse <= LR_COLLAPSE_STEPS
    changes = sum(1 for (_, a), (_, b) in zip(lrs, lrs[1:], strict=False) if a != b)
    words = (say("trace.lr_collapsed", a=first, b=lrs[-1][1], share=LR_COLLAPSE,
                 step=whole(collapse), k=changes, n=len(lrs) - 1) if collapse is not None
             else say("trace.lr_went", a=first, b=lrs[-1][1], steps=whole(lrs[-1][0]),
                      k=changes, n=len(lrs) - 1))
    return [Finding("loop.lr_collapsed_early", early, words,
                    {"collapse_step": collapse, "changes": changes})]


def _accumulation(steps: list[dict[str, Any]]) -> list[Finding]:
    counts = [s.get("backwards", 0) for s in steps if s.get("backwards")]
    if not counts:
        return []
    median = statistics.median(counts)
    return [Finding("loop.backwards_per_step", float(median),
                    say("trace.backwards", k=float(median), n=len(counts)))]


def _orphans(start: dict[str, Any], steps: list[dict[str, Any]]) -> list[Finding]:
    names = start.get("not_in_optimizer") or []
    with_grad = max((s.get("orphan_grads", 0) for s in steps), default=0)
    shown = say("note.and_more", names=names[:4], n=len(names) - 4) if len(names) > 4 \
        else names[:4]
    return [Finding("loop.params_not_in_optimizer", with_grad > 0,
                    say("trace.orphans", n=with_grad, names=shown) if with_grad else
                    (say("trace.no_orphans") if not names else
                     say("trace.orphans_no_grad", n=len(names), names=shown)),
                    {"names": names})]


def _width(record: dict[str, Any], batches: list[dict[str, Any]]) -> int | None:
    width = record.get("out_width")
    if isinstance(width, int):
        return width
    shape = record.get("shape") or []
    earlier = [b for b in batches if b.get("step", 0) <= record.get("step", 0) + 1]
    out = (earlier or batches or [{}])[-1].get("out_shape") or []
    for d in (1, len(out) - 1):
        if 0 < d < len(out) and out[:d] + out[d + 1:] == shape:
            return int(out[d])
    return None


def _labels(labels: list[dict[str, Any]], batches: list[dict[str, Any]]) -> list[Finding]:
    ints = [r for r in labels if "top_value" in r]
    if not ints:
        return []
    bad = []
    for r in ints:
        width = _width(r, batches)
        low, high = r.get("min", 0), r.get("max", 0)
        if (width is not None and high >= width) or (low < 0 and low != _IGNORE_INDEX):
            bad.append((r["step"], low, high, width))
    found = []
    if bad:
        step, low, high, width = bad[0]
        found.append(Finding("labels.out_of_range", True,
                             say("trace.labels_out", low=low, high=high, width=width,
                                 top=(width or 0) - 1, step=whole(step)),
                             {"records": len(bad)}))
    elif any(_width(r, batches) is not None for r in ints):
        r = ints[-1]
        found.append(Finding("labels.out_of_range", False,
                             say("trace.labels_in", width=_width(r, batches), n=len(ints))))
        found += _class_zero(ints, batches)
    found += _padding(ints)
    return found


def _class_zero(ints: list[dict[str, Any]], batches: list[dict[str, Any]]) -> list[Finding]:
    """Class labels 1..K against K+1 outputs: class 0 never occurs in many samples."""
    flat = [r for r in ints if len(r.get("shape") or []) == 1]
    widths = {w for r in flat if (w := _width(r, batches)) is not None}
    if not flat or len(widths) != 1:
        return []
    width = widths.pop()
    seen = sum(r["shape"][0] for r in flat)
    low, high = min(r.get("min", 0) for r in flat), max(r.get("max", 0) for r in flat)
    if seen < CLASS_ZERO_SAMPLES * width:
        return []
    value = low >= 1 and high == width - 1
    return [Finding("labels.class_zero_unused", value,
                    say("trace.class_zero" if value else "trace.labels_span", n=seen, low=low,
                        high=high, width=width), {"samples": seen})]


def _padding(ints: list[dict[str, Any]]) -> list[Finding]:
    sequences = [r for r in ints if len(r.get("shape") or []) >= 2]
    if not sequences:
        return []
    share = statistics.median(r.get("top_share", 0.0) for r in sequences)
    value = sequences[-1].get("top_value")
    return [Finding("labels.dominant_value_share", float(share),
                    say("trace.padding_share", value=str(value), share=Pct(float(share)),
                        n=len(sequences)), {"value": value})]


def _close(a: float, b: float) -> bool:
    return b != 0 and abs(a - b) <= LOSS_MATCH * abs(b)


def _loss_checks(checks: list[dict[str, Any]]) -> list[Finding]:
    """Padding: does the logged loss match cross-entropy over every position or without the
    dominant value? Checks matching neither (smoothing, weights, another loss) are skipped."""
    usable = [c for c in checks if "ignoring" in c and all(
        _number(c.get(k)) is not None for k in ("logged", "all", "ignoring"))
        and (_close(c["logged"], c["all"]) or _close(c["logged"], c["ignoring"]))
        and not _close(c["all"], c["ignoring"])]
    if not usable:
        return []
    counts = [_close(c["logged"], c["all"]) for c in usable]
    last = usable[-1]
    value = sum(counts) > len(counts) / 2
    return [Finding("loss.counts_padding", value,
                    say("trace.loss_counts_padding" if value else "trace.loss_ignores_padding",
                        logged=float(last["logged"]), all=float(last["all"]),
                        value=str(last["value"]), ignoring=float(last["ignoring"])),
                    {"checks": len(usable)})]


def _accum_scaling(trace: Trace, checks: list[dict[str, Any]], steps: list[dict[str, Any]]
                   ) -> list[Finding]:
    """With k backward passes per step, is the logged loss the batch's cross-entropy (not
    divided) or 1/k of it (divided)? Needs a logged loss and targets; else the person says."""
    counts = [s.get("backwards", 0) for s in steps if s.get("backwards")]
    k = statistics.median(counts) if counts else 1
    if k < 2:
        return []
    framework = trace.start.get("framework")
    if framework in ("lightning", "transformers"):
        return [Finding("loop.accum_loss_divided", True,
                        say("trace.accum_framework", k=float(k), framework=str(framework)))]
    ratios = [c["logged"] / c["all"] for c in checks
              if _number(c.get("logged")) is not None and _number(c.get("all"))]
    whole = [r for r in ratios if 1 / ACCUM_MATCH <= r <= ACCUM_MATCH]
    divided = [r for r in ratios if 1 / ACCUM_MATCH <= r * k <= ACCUM_MATCH]
    if len(whole) == len(divided):
        return []
    value = len(divided) > len(whole)
    ratio = statistics.median(divided if value else whole)
    return [Finding("loop.accum_loss_divided", value,
                    say("trace.accum_divided" if value else "trace.accum_not_divided",
                        k=float(k), ratio=Times(ratio), n=len(ratios)),
                    {"ratios": ratios[:20]})]


def _rnn(start: dict[str, Any], trace: Trace) -> list[Finding]:
    if not start.get("has_recurrent"):
        return []
    carried = trace.of("rnn_state_with_graph")
    if carried:
        first = carried[0]
        return [Finding("loop.rnn_state_carried", True,
                        say("trace.rnn_carried", step=str(first["step"]),
                            module=str(first.get("module")),
                            made=str(first.get("made_at_step"))))]
    return [Finding("loop.rnn_state_carried", False, say("trace.rnn_fresh"))]


def _loader(start: dict[str, Any]) -> list[Finding]:
    loader = start.get("loader")
    if not isinstance(loader, dict):
        return []
    rngs = loader.get("dataset_rngs") or []
    workers = int(loader.get("num_workers") or 0)
    shared = bool(rngs) and workers > 0 and not loader.get("worker_init_fn")
    return [Finding("data.worker_rng_shared", shared,
                    say("trace.worker_rng", rngs=list(rngs), n=workers) if shared
                    else say("trace.workers", n=workers, rngs=list(rngs)) if rngs
                    else say("trace.workers_no_rng", n=workers))]


def _val_transforms(start: dict[str, Any]) -> list[Finding]:
    val = start.get("val_loader")
    if not isinstance(val, dict):
        return []
    names = val.get("random_transforms") or []
    return [Finding("data.eval_random_transforms", bool(names),
                    say("trace.val_transforms", names=list(names)) if names
                    else say("trace.val_no_random"))]


def _precision(start: dict[str, Any], steps: list[dict[str, Any]]) -> list[Finding]:
    """fp16 training (autocast or half weights), and a GradScaler when one was given."""
    autocast = sorted({s["autocast"] for s in steps if s.get("autocast")})
    half = "float16" in (start.get("param_dtypes") or [])
    fp16 = "float16" in autocast or half
    found = [Finding("setup.uses_fp16", fp16,
                     (say("trace.autocast16") if "float16" in autocast
                      else say("trace.weights16")) if fp16 else
                     say("trace.no_fp16", autocast=list(autocast) or "off",
                         weights=list(start.get("param_dtypes") or ["?"])))]
    scales = [s["scale"] for s in steps if _number(s.get("scale")) is not None]
    if start.get("scaler") and scales:
        found.append(Finding("setup.uses_grad_scaler", True,
                             say("trace.scaler", first=float(scales[0]),
                                 last=float(scales[-1]))))
    return found


def _layers(layers: list[dict[str, Any]]) -> list[Finding]:
    if not layers:
        return []
    last = layers[-1]
    found = []
    ratios = [v for v in map(_number, (last.get("update_ratio") or {}).values())
              if v is not None and v > 0]
    if ratios:
        median = statistics.median(ratios)
        found.append(Finding("update.ratio", median,
                             say("trace.update_ratio", n=len(ratios), step=str(last["step"]),
                                 median=float(median))))
    acts = last.get("act") or {}
    stds = {k: std for k, v in acts.items() if (std := _number(v.get("std"))) is not None}
    if stds:
        low, high = min(stds, key=stds.__getitem__), max(stds, key=stds.__getitem__)
        found += [Finding("act.std_min", stds[low],
                          say("trace.std_min", std=stds[low], layer=low,
                              step=str(last["step"]))),
                  Finding("act.std_max", stds[high],
                          say("trace.std_max", std=stds[high], layer=high,
                              step=str(last["step"])))]
    dead = {k: v["dead"] for k, v in acts.items() if _number(v.get("dead")) is not None}
    if dead:
        worst = max(dead, key=dead.__getitem__)
        found.append(Finding("act.dead_relu_fraction", float(dead[worst]),
                             say("trace.dead", share=Pct(float(dead[worst])), layer=worst,
                                 step=str(last["step"]))))
    return found


def _series(name: str, source: Path, points: list[tuple[float, float]]) -> Series | None:
    if len(points) < 2:
        return None
    steps, values = zip(*points, strict=True)
    return Series(name, name, source, np.asarray(steps, float), np.asarray(values, float))


def _curves(trace: Trace) -> list[Finding]:
    """The logged loss, lr and gradient norm, classified like a metrics log."""
    logs = trace.of("log")
    # non-finite losses are written as "nan"/"inf" strings, which _number reads back
    loss = [(float(r["step"]), v) for r in logs if (v := _number(r.get("loss"))) is not None]
    steps = trace.of("step")
    lr = [(float(s["step"]), v) for s in steps if (v := _number((s.get("lr") or [None])[0]))]
    grad = [(float(s["step"]), v) for s in steps if (v := _number(s.get("grad_norm")))]
    metrics = Metrics(sources=[trace.path])
    for name, points in (("loss", loss), ("lr", lr), ("grad_norm", grad)):
        series = _series(name, trace.path, points)
        if series is not None:
            metrics.series[name] = series
    for key in ("val_loss", "val_acc"):
        points = [(float(r["step"]), v) for r in logs if (v := _number(r.get(key))) is not None]
        series = _series(key, trace.path, points)
        if series is not None:
            metrics.series[key] = series
    return curve_findings(metrics)


def _nonfinite(trace: Trace, found: list[Finding]) -> list[Finding]:
    records = trace.of("nonfinite")
    if not records:
        return found
    r = records[0]
    where = (say("trace.nonfinite_module", module=str(r["module"]), step=str(r["step"]))
             if r.get("module") else say("trace.nonfinite_loss", step=str(r["step"])))
    rest = [f for f in found if f.fact != "loss.non_finite"]
    return [*rest, Finding("loss.non_finite", True, where, {"module": r.get("module")})]


def trace_findings(trace: Trace) -> list[Finding]:
    """Every fact the trace establishes."""
    start, steps = trace.start, trace.of("step")
    found = [*_zero_grad(steps), *_mode(start, steps), *_lr(start, steps),
             *_accumulation(steps), *_orphans(start, steps),
             *_labels(trace.of("labels"), trace.of("batch")),
             *_loss_checks(trace.of("loss_check")),
             *_accum_scaling(trace, trace.of("loss_check"), steps), *_rnn(start, trace),
             *_loader(start), *_val_transforms(start),
             *_precision(start, steps), *_layers(trace.of("layers"))]
    curves = [f for f in _curves(trace) if f.fact not in {x.fact for x in found}
              # a trace without validation metrics says nothing of the user's other logs
              and not (f.fact == "log.has_validation" and f.value is False)]
    return _nonfinite(trace, found + curves)


def probe_trace(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Read the trace the user gave (``--trace``) and report what the loop did."""
    if inputs.trace is None:
        raise ProbeError(err("probe.needs", option="--trace"))
    ctx.progress(0.0, say("progress.reading_trace"))
    trace = read_trace(inputs.trace)
    if not trace.finished:
        ctx.notes.append(say("note.trace_unfinished", file=inputs.trace.name))
    findings = trace_findings(trace)
    ctx.progress(1.0, say("progress.read_steps", n=len(trace.of("step"))))
    return findings
