"""What could not be checked on the given artefacts: said beside "No problem found", so that
a one-row log or a batch without targets does not read as a clean bill of health."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dldoctor.engine.values import MISSING, UNKNOWN
from dldoctor.probes.curves import MIN_POINTS

if TYPE_CHECKING:
    from dldoctor.session import Session

__all__ = ["limits", "TARGET_FACTS"]

#: Facts the forward pass measures only on a batch that holds targets
TARGET_FACTS = ("batch.single_class", "batch.imbalance_ratio", "batch.lengths_differ",
                "batch.shape_mismatch", "batch.binary_labels_not_01", "target.not_normalized",
                "output.target_std_ratio", "batch.class_coverage")

_TEXTS = {
    "en": {
        "short_log": "the log holds only {n} logged step{s} of the training loss: the curve checks "
                     "(plateau, divergence, spikes, over-fitting) need at least {need}; give "
                     "a longer log, or log more often",
        "no_loss": "the log has no loss column (only {names}): the loss-curve checks "
                   "(plateau, divergence, spikes, over-fitting) could not run; log the "
                   "training loss too",
        "no_targets": "{batch} holds inputs but no targets: nothing about the labels was "
                      "checked, and the live training checks fitted a stand-in loss (the "
                      "mean squared output); save it as torch.save((inputs, targets), …)",
        "log_unread": "the log was not read ({error}): none of the loss-curve checks ran",
        "no_live": "the model was not run: its outputs, gradients and a one-batch fit (where "
                   "an activation before the loss, a softmax over the wrong axis or labels "
                   "out of range show) need the model's factory and a batch (--model "
                   "FILE.py:FACTORY and --batch PATH; in the chat, ctrl+o)",
    },
    "zh": {
        "short_log": "日志里只有 {n} 步训练 loss：曲线检查（停滞、发散、尖峰、过拟合）至少需要 "
                     "{need} 步；请提供更长的日志，或更频繁地记录",
        "no_loss": "日志里没有 loss 列（只有 {names}）：loss 曲线检查（停滞、发散、尖峰、"
                   "过拟合）无法进行；请同时记录训练 loss",
        "no_targets": "{batch} 只有输入没有目标值：标签相关的检查都没有做，实时训练检查用的是"
                      "替代的 loss（输出的均方值）；请用 torch.save((inputs, targets), …) 保存",
        "log_unread": "日志没有读进来（{error}）：loss 曲线检查一项也没有做",
        "no_live": "没有运行模型：检查它的输出、梯度和单 batch 拟合（loss 之前多余的激活、"
                   "错误维度上的 softmax、超出范围的标签都在这里显现）需要模型的工厂函数和一个 "
                   "batch（--model FILE.py:FACTORY 和 --batch PATH；在对话中按 ctrl+o）",
    },
}


def _metric_lengths(session: Session) -> dict[str, int]:
    """The metric columns the probes' reader finds in the logs, with their number of
    logged values (none when the logs cannot be read: the log probe said why)."""
    from dldoctor.probes.logs import read_logs

    try:
        series = read_logs(list(session.inputs.logs)).series
    except Exception:  # noqa: BLE001 - an unreadable log is the log probe's to report
        return {}
    return {name: len(s.values) for name, s in series.items()}


def _known(session: Session, fact: str) -> bool:
    value = session.engine.memory.value(fact)
    return value is not MISSING and value is not UNKNOWN


def limits(session: Session) -> list[str]:
    """What the given artefacts left unchecked, in the session language (empty: nothing to
    say). Read only when no fault is established: it reads the logs once more."""
    texts = _TEXTS.get(session.lang, _TEXTS["en"])
    out = []
    run = session.probe_runs.get("log.curves")
    if session.inputs.logs and run is not None and run.error and run.error != "cancelled":
        # an empty log, or one whose columns name no metric, beside a checkpoint: the rest was
        # read, and "No problem found" must not read as the curves' clean bill of health
        error = run.error.in_lang(session.lang) if hasattr(run.error, "in_lang") else run.error
        out.append(texts["log_unread"].format(error=error))
    if session.inputs.logs and run is not None and not run.error:
        lengths = _metric_lengths(session)  # the logs read once more, as the probe read them
        curves = {name: n for name, n in lengths.items() if "loss" in name}
        longest = max(curves.values(), default=0)
        names = sorted(lengths)
        if names and not curves:
            out.append(texts["no_loss"].format(names=", ".join(names[:6])))
        elif 0 < longest < MIN_POINTS:
            out.append(texts["short_log"].format(n=longest, need=MIN_POINTS,
                                                  s="" if longest == 1 else "s"))
    given = session.inputs
    if (given.checkpoint or given.logs) and not (given.model and given.batch) and \
            not given.trace:
        # a new user's softmax-before-the-loss run read "No problem found" from checkpoint and
        # log, with no word that the checks which find it had not run
        out.append(texts["no_live"])
    batch = session.inputs.batch
    if batch is not None and "live.forward" in session.probe_runs \
            and not session.probe_runs["live.forward"].error \
            and not any(_known(session, fact) for fact in TARGET_FACTS):
        out.append(texts["no_targets"].format(batch=batch.name))
    return out
