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
        "no_targets": "{batch} holds inputs but no targets: nothing about the labels was "
                      "checked, and the live training checks fitted a stand-in loss (the "
                      "mean squared output); save it as torch.save((inputs, targets), …)",
    },
    "zh": {
        "short_log": "日志里只有 {n} 步训练 loss：曲线检查（停滞、发散、尖峰、过拟合）至少需要 "
                     "{need} 步；请提供更长的日志，或更频繁地记录",
        "no_targets": "{batch} 只有输入没有目标值：标签相关的检查都没有做，实时训练检查用的是"
                      "替代的 loss（输出的均方值）；请用 torch.save((inputs, targets), …) 保存",
    },
}


def _known(session: Session, fact: str) -> bool:
    value = session.engine.memory.value(fact)
    return value is not MISSING and value is not UNKNOWN


def limits(session: Session) -> list[str]:
    """What the given artefacts left unchecked, in the session language (empty: nothing to
    say). Read only when no fault is established: it reads the logs once more."""
    texts = _TEXTS.get(session.lang, _TEXTS["en"])
    out = []
    if session.inputs.logs and "log.curves" in session.probe_runs:
        curves = session.loss_curves()
        longest = max((len(values) for _, values in curves.values()), default=0)
        if 0 < longest < MIN_POINTS:
            out.append(texts["short_log"].format(n=longest, need=MIN_POINTS,
                                                  s="" if longest == 1 else "s"))
    batch = session.inputs.batch
    if batch is not None and "live.forward" in session.probe_runs \
            and not session.probe_runs["live.forward"].error \
            and not any(_known(session, fact) for fact in TARGET_FACTS):
        out.append(texts["no_targets"].format(batch=batch.name))
    return out
