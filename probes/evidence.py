"""Evidence that can be said in English or Chinese: a message key and its values.

A probe writes ``say("loss.became", word="NaN", at=at(loss, i))`` where it used to write an
English f-string. The result is still a ``str`` (the English sentence, so JSON, logs and old
sessions are unchanged) that also remembers its key and values; :func:`localize` says it
again in the session's language. Numbers are shown by :func:`dldoctor.numbers.num`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dldoctor.numbers import count, num, percent, times

__all__ = ["Said", "say", "localize", "At", "at", "Pct", "Times", "MESSAGES", "said_to_json",
           "said_from_json"]


@dataclass(frozen=True)
class At:
    """A point of a logged series: its step and, for text logs, the row and file."""

    step: float
    row: int | None = None
    file: str | None = None


def at(series: Any, index: int) -> At:
    """Where the ``index``-th point of a :class:`~dldoctor.probes.logs.Series` was logged."""
    row = int(series.rows[index]) if getattr(series, "rows", None) is not None else None
    return At(float(series.steps[index]), row, series.source.name if row is not None else None)


@dataclass(frozen=True)
class Pct:
    """A fraction to show as a percentage."""

    fraction: float


@dataclass(frozen=True)
class Times:
    """A ratio to show as a multiple ("2.3×")."""

    ratio: float


# {name} placeholders; a value's type decides how it is shown (see _show).
MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ the model's output
    "out.ends_with": {"en": "the model ends with {kind} ({layer})",
                      "zh": "模型以 {kind}（{layer}）结尾"},
    "out.probs_class": {"en": "the outputs are probabilities: each row sums to 1 (a softmax), "
                              "fed to a loss for class indices",
                        "zh": "输出是概率：每行之和为 1（softmax），却送进了"
                              "以类别索引为目标的 loss"},
    "out.probs_other": {"en": "the outputs are probabilities: each row sums to 1 (a softmax); "
                              "the targets are not class indices, so the loss may expect "
                              "probabilities",
                        "zh": "输出是概率：每行之和为 1（softmax）；目标不是类别索引，"
                              "loss 可能本就需要概率"},
    "out.went_through": {"en": "the outputs went through a {what}", "zh": "输出经过了 {what}"},
    "out.looks_like": {"en": "the outputs look like a {what}, but the targets are not class "
                             "indices, so the loss may expect that",
                       "zh": "输出看起来经过了 {what}，但目标不是类别索引，loss 可能本就需要它"},
    "out.logits": {"en": "the outputs look like raw logits", "zh": "输出看起来是原始 logits"},
    "out.outside_01": {"en": "some outputs lie outside [0, 1]: not probabilities",
                       "zh": "部分输出不在 [0, 1] 内：不是概率"},
    "out.softmax_rows": {"en": "outputs lie in [0, 1] and each row sums to 1 (a softmax)",
                         "zh": "输出都在 [0, 1] 内且每行之和为 1（softmax）"},
    "out.in_01": {"en": "all {n} outputs lie in [0, 1] (a sigmoid or probabilities)",
                  "zh": "全部 {n} 个输出都在 [0, 1] 内（sigmoid 或概率）"},
    "out.over_classes": {"en": "outputs are a {what} over classes (rows sum to 1)",
                         "zh": "输出是对类别做的 {what}（每行之和为 1）"},
    "out.over_batch": {"en": "outputs are a {what} over the batch: each column sums to 1, the "
                             "rows do not",
                       "zh": "输出是对 batch 维做的 {what}：每列之和为 1，每行却不是"},
    "out.not_normalised": {"en": "outputs are not normalised over either dimension (raw logits)",
                           "zh": "输出在两个维度上都没有归一化（原始 logits）"},
    "out.abs_max": {"en": "largest |output| is {value}", "zh": "最大的 |输出| 为 {value}"},
    "out.std": {"en": "outputs have std {std} on the batch (large above {limit})",
                "zh": "输出在这个 batch 上的标准差为 {std}（超过 {limit} 算大）"},
    "out.spread": {"en": "predictions vary with std {pred} across the batch, the targets with "
                         "{target} (ratio {ratio}; near 0: one value predicted for every input)",
                   "zh": "预测在 batch 上的标准差为 {pred}，目标为 {target}（比值 {ratio}；"
                         "接近 0 说明对每个输入都预测同一个值）"},
    # ------------------------------------------------------------ backward pass on the batch
    "grad.none": {"en": "{n} trainable parameters get no gradient at all (.grad is None: not "
                        "in the graph of the loss): {names}",
                  "zh": "{n} 个可训练参数完全没有梯度（.grad 为 None：不在 loss 的计算图中）："
                        "{names}"},
    "grad.none_ok": {"en": "every trainable parameter is in the graph of the loss",
                     "zh": "每个可训练参数都在 loss 的计算图中"},
    "grad.zero": {"en": "{n} parameters get a gradient that is exactly 0 (dead or saturated "
                        "units upstream): {names}",
                  "zh": "{n} 个参数的梯度恰好为 0（上游单元死亡或饱和）：{names}"},
    "grad.zero_ok": {"en": "no parameter gets an all-zero gradient",
                     "zh": "没有参数的梯度全为 0"},
    "grad.frozen": {"en": "{n} parameters have requires_grad=False: {names}",
                    "zh": "{n} 个参数的 requires_grad=False：{names}"},
    "grad.frozen_ok": {"en": "every parameter has requires_grad=True",
                       "zh": "每个参数的 requires_grad 都是 True"},
    "grad.time": {"en": "gradient at the input of {layer}: {first} at the first of {n} time "
                        "steps vs {last} at the last (ratio {ratio})",
                  "zh": "{layer} 输入处的梯度：{n} 个时间步中第一步为 {first}，最后一步为 "
                        "{last}（比值 {ratio}）"},
    "grad.first_last": {"en": "gradient norm {first} at {first_layer} vs {last} at {last_layer} "
                              "({kind} loss {loss})",
                        "zh": "梯度范数：{first_layer} 为 {first}，{last_layer} 为 {last}"
                              "（{kind} loss {loss}）"},
    "grad.first_last_zero": {"en": "gradient norm {first} at {first_layer} vs 0 at {last_layer}: "
                                   "the last layer's gradient is exactly 0, so the ratio means "
                                   "nothing",
                             "zh": "梯度范数：{first_layer} 为 {first}，{last_layer} 为 0："
                                   "最后一层梯度恰好为 0，比值没有意义"},
    "grad.max": {"en": "largest gradient norm {norm} at {layer}",
                 "zh": "最大的梯度范数为 {norm}，在 {layer}"},
    # ------------------------------------------------------------ forward pass on the batch
    "input.dtype": {"en": "inputs are {dtype}", "zh": "输入的数据类型是 {dtype}"},
    "input.integer": {"en": "integer inputs ({dtype}): token ids or indices",
                      "zh": "整数输入（{dtype}）：token id 或索引"},
    "input.non_finite": {"en": "{bad} of {n} input values are NaN/inf",
                         "zh": "{n} 个输入值中有 {bad} 个是 NaN/inf"},
    "input.finite": {"en": "all input values are finite", "zh": "所有输入值都是有限值"},
    "input.stats": {"en": "inputs have mean {mean}, std {std}, range [{low}, {high}]",
                    "zh": "输入均值 {mean}，标准差 {std}，范围 [{low}, {high}]"},
    "input.image_centred": {"en": "image batch with mean {mean} (std {std}): zero-centred",
                            "zh": "图像 batch 均值 {mean}（标准差 {std}）：已零中心化"},
    "input.image_not_centred": {"en": "image batch with mean {mean} (std {std}): not "
                                      "zero-centred",
                                "zh": "图像 batch 均值 {mean}（标准差 {std}）：未零中心化"},
    "input.not_image": {"en": "inputs of shape {shape} are not an image batch",
                        "zh": "形状为 {shape} 的输入不是图像 batch"},
    "batch.size": {"en": "the batch file holds {n} samples", "zh": "batch 文件中有 {n} 个样本"},
    "act.std_min": {"en": "smallest activation std {std} after {layer} (0.5–2 is healthy)",
                    "zh": "{layer} 之后的激活标准差最小，为 {std}（0.5–2 为健康）"},
    "init.act_std_max": {"en": "in the freshly built model, the largest activation std is {std} "
                               "after {layer} (0.5–2 is healthy)",
                         "zh": "新建模型中最大的激活标准差为 {std}，出现在 {layer} 之后"
                               "（0.5–2 为健康）"},
    "act.std_max": {"en": "largest activation std {std} after {layer} (0.5–2 is healthy)",
                    "zh": "{layer} 之后的激活标准差最大，为 {std}（0.5–2 为健康）"},
    "act.dead": {"en": "{share} of the units after {layer} never fire on the batch "
                       "({n} ReLU layers)",
                 "zh": "{layer} 之后有 {share} 的单元在这个 batch 上从不激活（共 {n} 个 ReLU 层）"},
    "act.saturated": {"en": "{share} of the outputs of {layer} are saturated",
                      "zh": "{layer} 的输出中有 {share} 处于饱和"},
    "forward.nan_in": {"en": "{layer} outputs NaN/inf", "zh": "{layer} 输出了 NaN/inf"},
    "forward.finite": {"en": "every layer output is finite", "zh": "每一层的输出都是有限值"},
    "forward.first_nan": {"en": "first NaN/inf appears in the output of {layer} ({kind}) from "
                                "finite inputs",
                          "zh": "NaN/inf 首次出现在 {layer}（{kind}）的输出中，其输入是有限值"},
    "forward.op": {"en": "{layer} is a {kind}", "zh": "{layer} 是一个 {kind}"},
    # ------------------------------------------------------------ loss curve
    "loss.first": {"en": "first logged loss {value} at {at}",
                   "zh": "{at}记录的第一个 loss 为 {value}"},
    "loss.all_finite": {"en": "all {n} logged losses are finite",
                        "zh": "记录的 {n} 个 loss 都是有限值"},
    "loss.became": {"en": "loss first became {word} at {at}",
                    "zh": "loss 在{at}首次变成 {word}"},
    "loss.bad_at_start": {"en": "already {word} at the first logged step",
                          "zh": "第一个记录的步就已经是 {word}"},
    "loss.finite_prefix": {"en": "finite for the first {n} logged steps",
                           "zh": "前 {n} 个记录的步都是有限值"},
    "loss.negative": {"en": "loss is {value} at {at}", "zh": "loss 在{at}为 {value}"},
    "loss.ran_off": {"en": "the loss fell to {value} and then became NaN/inf",
                     "zh": "loss 跌到 {value} 之后变成了 NaN/inf"},
    "loss.still_falling": {"en": "the negative loss is still falling at the end: the last quarter "
                                 "of the run adds {share} of its whole fall ({a} → {b})",
                           "zh": "负的 loss 到最后仍在下降：最后四分之一的训练贡献了全部降幅的 "
                                 "{share}（{a} → {b}）"},
    "loss.settles": {"en": "the negative loss settles: the last quarter of the run adds only "
                           "{share} of its whole fall ({a} → {b})",
                     "zh": "负的 loss 趋于稳定：最后四分之一的训练只贡献了全部降幅的 {share}"
                           "（{a} → {b}）"},
    "loss.below_floor": {"en": "the training loss ends at {value}, below {floor} = ln(1 + 1/e), "
                               "the least a cross-entropy can reach when fed probabilities",
                         "zh": "训练 loss 最终为 {value}，低于 {floor} = ln(1 + 1/e)，"
                               "即把概率当作 logits 输入交叉熵时能达到的最小值"},
    "loss.above_floor": {"en": "the training loss stays above {floor} = ln(1 + 1/e) (lowest "
                               "level {value})",
                         "zh": "训练 loss 一直高于 {floor} = ln(1 + 1/e)（最低为 {value}）"},
    "val.rise_from_best": {"en": "the validation loss ends {share} above its best",
                           "zh": "验证 loss 最终比其最佳值高 {share}"},
    "metric.flat": {"en": "validation accuracy goes from {a} to {b} while the training loss falls "
                          "from {start} to {end} (medians of the first and second half)",
                    "zh": "训练 loss 从 {start} 降到 {end}（前后两半的中位数），"
                          "验证准确率却从 {a} 变为 {b}"},
    "metric.follows": {"en": "validation accuracy rises from {a} to {b} as the training loss falls "
                             "from {start} to {end} (medians of the first and second half)",
                       "zh": "随着训练 loss 从 {start} 降到 {end}（前后两半的中位数），"
                             "验证准确率从 {a} 升到 {b}"},
    "loss.never_negative": {"en": "the loss never goes below 0", "zh": "loss 从未低于 0"},
    "loss.peaks": {"en": "smoothed loss peaks at {peak}, {ratio} its initial {initial}",
                   "zh": "平滑后的 loss 最高达 {peak}，是初始值 {initial} 的 {ratio}"},
    "loss.initial_not_positive": {"en": "initial loss is not positive",
                                  "zh": "初始 loss 不是正数"},
    "loss.level": {"en": "loss level goes from {a} to {b}", "zh": "loss 水平从 {a} 变为 {b}"},
    "loss.fell": {"en": "loss level falls from {a} to {b} ({drop} lower)",
                  "zh": "loss 水平从 {a} 降到 {b}（低了 {drop}）"},
    "loss.barely_moves": {"en": "loss level barely moves: from {a} to {b} ({drop} lower)",
                          "zh": "loss 水平几乎不变：从 {a} 到 {b}（只低了 {drop}）"},
    "loss.flat_after_start": {
        "en": "after its first steps the loss stays flat near {b} (from {a} at the start, "
              "{drop} lower in all)",
        "zh": "最初几步之后 loss 一直停在 {b} 附近（开始时为 {a}，总共只低了 {drop}）"},
    "loss.linear": {
        "en": "first half of training drops {ratio} as much as the second; straight-line fit "
              "R²={r2}",
        "zh": "训练前半段的下降量是后半段的 {ratio}；直线拟合 R²={r2}"},
    "loss.scatter": {"en": "step-to-step scatter is {share} of the loss level",
                     "zh": "相邻步之间的波动是 loss 水平的 {share}"},
    "loss.below": {"en": "loss below {limit} from {at}", "zh": "从{at}起 loss 低于 {limit}"},
    "loss.ends": {"en": "loss ends at {value}", "zh": "loss 最终为 {value}"},
    "loss.spikes": {"en": "{n} spikes, first at {at}", "zh": "{n} 个尖峰，第一个在{at}"},
    "loss.spikes_again": {"en": "{n} spikes: the loss spikes again and again",
                          "zh": "{n} 个尖峰：loss 反复出现尖峰"},
    "loss.spikes_unclear": {"en": "{n} spikes; too few finite points around them to tell "
                                  "whether the loss recovered",
                            "zh": "{n} 个尖峰；其前后有限值太少，无法判断 loss 是否恢复"},
    "loss.spike_not_recovered": {"en": "the loss has not come back from its spike: it ends at "
                                       "{end}, above {before} before it",
                                 "zh": "loss 没有从尖峰中恢复：最终为 {end}，高于尖峰前的 "
                                       "{before}"},
    "loss.spikes_recovered": {"en": "{n} isolated spikes the loss came back from (from {before} "
                                    "before the first to {end} at the end)",
                              "zh": "{n} 个孤立的尖峰，loss 都恢复了（第一个尖峰前为 {before}，"
                                    "最终为 {end}）"},
    "loss.no_spikes": {"en": "no sudden spikes in the loss", "zh": "loss 没有突然的尖峰"},
    "loss.spike_count": {"en": "{n} sudden loss spikes in {total} logged steps",
                         "zh": "记录的 {total} 步中有 {n} 个 loss 尖峰"},
    "grad.spikes_matched": {"en": "{k} of {n} loss spikes come with a gradient-norm spike",
                            "zh": "{n} 个 loss 尖峰中有 {k} 个伴随梯度范数尖峰"},
    "train.last_step": {"en": "last logged step of {file}", "zh": "{file} 中记录的最后一步"},
    # ------------------------------------------------------------ validation, lr
    "val.near_min": {"en": "validation loss ends at {end}, near its minimum {low}",
                     "zh": "验证 loss 最终为 {end}，接近其最小值 {low}"},
    "val.rose_train_did_not_fall": {
        "en": "validation loss ends at {end}, well above its minimum {low}, but the training "
              "loss does not keep falling",
        "zh": "验证 loss 最终为 {end}，远高于其最小值 {low}，但训练 loss 并没有持续下降"},
    "val.no_finite": {"en": "no finite validation loss", "zh": "没有有限的验证 loss"},
    "val.acc_chance": {"en": "validation accuracy ends at {final}; chance for {k} classes is "
                             "{chance}",
                       "zh": "验证准确率最终为 {final}；{k} 个类别的随机水平是 {chance}"},
    "val.acc_chance_at": {"en": "validation accuracy ends at {final}; chance for {k} classes "
                                "is {chance} (at or below it)",
                          "zh": "验证准确率最终为 {final}，不高于 {k} 个类别的随机水平 {chance}"},
    "val.acc_prior": {"en": "validation accuracy ends at {final}; chance is {chance}, the share "
                            "of the largest of {k} classes in the batch (imbalanced)",
                      "zh": "验证准确率最终为 {final}；随机水平为 {chance}，"
                            "即 batch 中 {k} 个类别里最大类别所占的比例（类别不平衡）"},
    "val.acc_prior_at": {"en": "validation accuracy ends at {final}; chance is {chance}, the "
                               "share of the largest of {k} classes in the batch (imbalanced) "
                               "(at or below it)",
                         "zh": "验证准确率最终为 {final}，不高于随机水平 {chance}（batch 中 {k} "
                               "个类别里最大类别所占的比例，类别不平衡）"},
    "log.no_epochs": {"en": "the log has no epoch column", "zh": "日志中没有 epoch 列"},
    "log.val_column": {"en": "validation column '{name}'", "zh": "验证列“{name}”"},
    "log.no_validation": {"en": "no validation column in the log", "zh": "日志中没有验证列"},
    "val.not_rising": {"en": "validation loss does not rise", "zh": "验证 loss 没有上升"},
    "val.acc_moves": {"en": "validation accuracy moves from {a} to {b}",
                      "zh": "验证准确率从 {a} 变为 {b}"},
    "val.gap_first": {
        "en": "at the first evaluation, {at}, validation loss is {first} the training loss; "
              "the ratio stays between {low} and {high} over {n} evaluations",
        "zh": "第一次评估时（{at}）验证 loss 是训练 loss 的 {first}；{n} 次评估中这个比值在 "
              "{low} 到 {high} 之间"},
    "train_val.gap": {"en": "final validation loss {v} is {ratio} the final training loss {t}",
                      "zh": "最终验证 loss {v} 是最终训练 loss {t} 的 {ratio}"},
    "train_val.finals_start": {"en": "final train loss {t}, validation {v}, initial {a}",
                               "zh": "最终训练 loss {t}，验证 loss {v}，初始 loss {a}"},
    "train_val.finals": {"en": "final train loss {t}, validation {v}",
                         "zh": "最终训练 loss {t}，验证 loss {v}"},
    "lr.goes": {"en": "learning rate goes from {a} (peak {peak}) to {b}",
                "zh": "学习率从 {a}（最高 {peak}）变为 {b}"},
    "lr.constant": {"en": "learning rate stays at {a} for all {n} logged steps",
                    "zh": "记录的 {n} 步中学习率一直是 {a}"},
    # ------------------------------------------------------------ checkpoint optimizer
    "optimizer.keys": {"en": "optimizer state has {keys}", "zh": "优化器状态含有 {keys}"},
    "optimizer.initial_lr": {
        "en": "initial lr = {lr} in param group 0 of {n} (the schedule has it at {now} now)",
        "zh": "{n} 个参数组中第 0 组的初始 lr = {lr}（调度器当前为 {now}）"},
    "optimizer.coherence": {
        "en": "Adam's moments give |m̂|/√v̂ = {ratio} (median over {n} tensors at step {step}): "
              "about 0.2 when gradients are minibatch noise, 1 when every step's gradient is "
              "the same, above 1 when it keeps growing",
        "zh": "Adam 的两个动量给出 |m̂|/√v̂ = {ratio}（第 {step} 步，{n} 个张量的中位数）："
              "梯度以小批量噪声为主时约为 0.2，每步梯度相同时为 1，梯度不断变大时超过 1"},
    "optimizer.never_stepped": {
        "en": "{n} of the {held} parameter tensors the optimizer holds have no {kind} state: "
              "the state is created at a parameter's first update, so they never received a "
              "gradient",
        "zh": "优化器持有的 {held} 个参数张量中有 {n} 个没有 {kind} 状态：状态在参数第一次更新时"
              "才创建，所以它们从未得到过梯度"},
    "optimizer.memory": {
        "en": "the optimizer's running gradient is {ratio}× a fresh gradient at the checkpoint's "
              "weights (median over {n} weight matrices; averaging minibatch gradients keeps it "
              "about 1 or below)",
        "zh": "优化器累积的梯度是 checkpoint 权重处新算梯度的 {ratio} 倍（{n} 个权重矩阵的中位数；"
              "对小批量梯度取平均只会让它约为 1 或更小）"},
    "optimizer.lr": {"en": "lr = {lr} in param group 0 of {n}",
                     "zh": "{n} 个参数组中第 0 组的 lr = {lr}"},
    "optimizer.momentum": {"en": "momentum = {value}", "zh": "momentum = {value}"},
    "optimizer.weight_decay": {"en": "weight_decay = {value} (largest of {n} groups)",
                               "zh": "weight_decay = {value}（{n} 个参数组中的最大值）"},
    "optimizer.no_decay": {"en": "no param group uses weight decay",
                           "zh": "没有参数组使用权重衰减"},
    "optimizer.holds": {"en": "the optimizer holds {held} parameters, the model has {n}",
                        "zh": "优化器持有 {held} 个参数，模型有 {n} 个"},
    # ------------------------------------------------------------ live probes
    "choice.ckpt": {"en": "{kind} lr={lr} (the checkpoint's optimizer settings)",
                    "zh": "{kind} lr={lr}（checkpoint 中的优化器设置）"},
    "choice.initial": {"en": "{kind} lr={lr} (the checkpoint's optimizer settings, lr before "
                             "the schedule)",
                       "zh": "{kind} lr={lr}（checkpoint 中的优化器设置，调度前的 lr）"},
    "choice.default": {"en": "{kind} lr={lr} (default Adam lr=1e-3, no optimizer state)",
                       "zh": "{kind} lr={lr}（没有优化器状态，默认 Adam lr=1e-3）"},
    "update.ratio": {"en": "one {choice} step changes the weights by a median {median} of their "
                           "norm over {n} layers (about 1e-3 is healthy)",
                     "zh": "用 {choice}走一步，{n} 个层的权重变化量中位数是其范数的 {median}"
                           "（约 1e-3 为健康）"},
    "lr_sweep.best": {"en": "after {steps} steps on the batch the best lr is {best}, {ratio} the "
                            "current {choice}; final losses: {table}",
                      "zh": "在这个 batch 上训练 {steps} 步后最佳 lr 是 {best}，是当前 {choice}的 "
                            "{ratio}；各 lr 的最终 loss：{table}"},
    "lr_sweep.baseline": {"en": "the sweep compares with {choice}",
                          "zh": "扫描的比较基准是 {choice}"},
    "overfit.outcome": {"en": "{words} in {n} steps on one batch of {size} with {choice}",
                        "zh": "用 {choice}在一个含 {size} 个样本的 batch 上训练 {n} 步：{words}"},
    "overfit.nan_at_start": {"en": "the loss is NaN/inf from the first step",
                             "zh": "loss 从第一步起就是 NaN/inf"},
    "overfit.nan_at": {"en": "the loss became NaN/inf at step {step}",
                       "zh": "loss 在第 {step} 步变成 NaN/inf"},
    "overfit.already_fit": {"en": "the loss starts at {a}, already about 0, and stays below {b}",
                            "zh": "loss 一开始就是 {a}，已接近 0，之后一直低于 {b}"},
    "overfit.grew": {"en": "the loss grew from {a} to {b}", "zh": "loss 从 {a} 涨到 {b}"},
    "overfit.fell": {"en": "the loss fell from {a} to {b}", "zh": "loss 从 {a} 降到 {b}"},
    "overfit.jumps": {"en": "the loss jumps around ({share} scatter), ends {b}",
                      "zh": "loss 上下跳动（波动 {share}），最终为 {b}"},
    "overfit.rose": {"en": "the loss rose from {a} to {b}", "zh": "loss 从 {a} 升到 {b}"},
    "overfit.stays": {"en": "the loss stays near {a} (ends {b})",
                      "zh": "loss 一直在 {a} 附近（最终为 {b}）"},
    "overfit.fell_slowly": {"en": "the loss fell from {a} to only {b}",
                            "zh": "loss 从 {a} 只降到 {b}"},
    # ------------------------------------------------------------ checkpoint weights
    "weights.all_finite": {"en": "all {n} tensors are finite", "zh": "{n} 个张量都是有限值"},
    "weights.non_finite": {
        "en": "{k} of {n} tensors hold NaN/inf; first {name} ({bad} of {total} values)",
        "zh": "{n} 个张量中有 {k} 个含 NaN/inf；第一个是 {name}（{total} 个值中有 {bad} 个）"},
    "weights.none_constant": {"en": "none of {n} weight matrices is constant",
                              "zh": "{n} 个权重矩阵都不是常数"},
    "weights.no_identical_rows": {"en": "no weight matrix has identical rows",
                                  "zh": "没有权重矩阵含有相同的行"},
    "weights.batchnorm": {"en": "{n} BatchNorm layers", "zh": "{n} 个 BatchNorm 层"},
    "weights.no_batchnorm": {"en": "no BatchNorm running statistics",
                             "zh": "没有 BatchNorm 的运行统计量"},
    "weights.conv": {"en": "{n} convolution layers", "zh": "{n} 个卷积层"},
    "weights.recurrent": {"en": "{n} recurrent layers", "zh": "{n} 个循环层"},
    "weights.depth": {"en": "{n} weight layers (linear, conv or recurrent) in {tensors} tensors",
                      "zh": "{tensors} 个张量中有 {n} 个权重层（线性、卷积或循环）"},
}

_AT = {"en": ("step {step}", " (row {row} of {file})"),
       "zh": ("第 {step} 步", "（{file} 第 {row} 行）")}


def _show(value: Any, lang: str) -> str:
    if isinstance(value, At):
        step, row = _AT.get(lang, _AT["en"])
        text = step.format(step=count(value.step))
        if value.row is not None:
            text += row.format(row=value.row, file=value.file)
        return text
    if isinstance(value, Said):  # a phrase inside a sentence
        return value.in_lang(lang)
    if isinstance(value, Pct):
        return percent(value.fraction)
    if isinstance(value, Times):
        return times(value.ratio, 1.0)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return num(value)
    return str(value)


def render(key: str, values: dict[str, Any], lang: str) -> str:
    """The message ``key`` in ``lang`` (English when it has no such translation)."""
    templates = MESSAGES[key]
    template = templates.get(lang) or templates["en"]
    return template.format(**{name: _show(v, lang) for name, v in values.items()})


class Said(str):
    """An English evidence sentence that remembers its message key and values."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, values: dict[str, Any]) -> Said:
        self = super().__new__(cls, render(key, values, "en"))
        self.key, self.values = key, values
        return self

    def in_lang(self, lang: str) -> str:
        return render(self.key, self.values, lang)

    def __reduce__(self) -> tuple[type[Said], tuple[str, dict[str, Any]]]:
        # copy and pickle (a probe run in another process) rebuild it from key and values
        return (Said, (self.key, self.values))


def say(key: str, **values: Any) -> Said:
    """Evidence ``key`` with ``values`` (numbers raw: they are formatted when shown)."""
    return Said(key, values)


def localize(text: str, lang: str) -> str:
    """``text`` in ``lang`` when it is :class:`Said`; other text as it is."""
    return text.in_lang(lang) if isinstance(text, Said) else text


def said_to_json(text: str) -> dict[str, Any] | None:
    """The key and values of ``text`` for a saved session (None for plain text)."""
    if not isinstance(text, Said):
        return None
    values: dict[str, Any] = {}
    for name, v in text.values.items():
        if isinstance(v, At):
            values[name] = {"at": [v.step, v.row, v.file]}
        elif isinstance(v, Pct):
            values[name] = {"pct": v.fraction}
        elif isinstance(v, Times):
            values[name] = {"times": v.ratio}
        elif isinstance(v, Said):
            values[name] = {"said": said_to_json(v)}
        else:
            values[name] = v
    return {"key": text.key, "values": values}


def said_from_json(data: Any, fallback: str) -> str:
    """Undo :func:`said_to_json`; ``fallback`` when ``data`` is missing or unknown."""
    if not isinstance(data, dict) or data.get("key") not in MESSAGES:
        return fallback
    values: dict[str, Any] = {}
    for name, v in (data.get("values") or {}).items():
        if isinstance(v, dict) and "at" in v:
            values[name] = At(*v["at"])
        elif isinstance(v, dict) and "pct" in v:
            values[name] = Pct(v["pct"])
        elif isinstance(v, dict) and "times" in v:
            values[name] = Times(v["times"])
        elif isinstance(v, dict) and "said" in v:
            values[name] = said_from_json(v["said"], "")
        else:
            values[name] = v
    try:
        return Said(data["key"], values)
    except (KeyError, IndexError, ValueError, TypeError):
        return fallback
