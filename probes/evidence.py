"""Evidence that can be said in English or Chinese: a message key and its values.

A probe writes ``say("loss.became", word="NaN", at=at(loss, i))`` where it used to write an
English f-string. The result is still a ``str`` (the English sentence, so JSON, logs and old
sessions are unchanged) that also remembers its key and values; :func:`localize` says it
again in the session's language. Numbers are shown by :func:`dldoctor.numbers.num`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from dldoctor.error_texts import ErrorText, KeyedText
from dldoctor.numbers import count, num, percent, times

__all__ = ["Said", "say", "whole", "localize", "At", "at", "Pct", "Times", "MESSAGES",
           "said_to_json", "said_from_json"]


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
    "out.ends_with_other": {"en": "the model ends with {kind} ({layer}); the targets are not "
                                  "class indices, so that is right under a loss that wants "
                                  "its outputs (BCELoss, or MSE on targets in its range) and "
                                  "wrong under one that applies its own (BCEWithLogitsLoss)",
                            "zh": "模型以 {kind}（{layer}）结尾；目标不是类别索引，所以在需要这种"
                                  "输出的 loss（BCELoss，或目标在其值域内的 MSE）下是对的，在自带"
                                  "该激活的 loss（BCEWithLogitsLoss）下是错的"},
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
    "out.last_layer_raw": {"en": "the model returns the scores of its last layer {layer} "
                                 "untouched: no activation after it",
                           "zh": "模型原样返回最后一层 {layer} 的分数：其后没有激活函数"},
    "shape.paired_by_output": {
        "en": "the batch's {n} input rows give {rows} output rows, one per target (the model "
              "flattens batch and time, as a language model does)",
        "zh": "batch 的 {n} 行输入给出 {rows} 行输出，与目标一一对应（模型把 batch 和时间维展平，"
              "语言模型就是这样）"},
    "shape.paired_by_argument": {
        "en": "the batch's {n} input rows give {rows} output rows, one per target and per row "
              "of another argument of forward (the pairs or edges a graph model scores)",
        "zh": "batch 的 {n} 行输入给出 {rows} 行输出，与目标一一对应，也与 forward 另一个参数的"
              "行一一对应（图模型打分的节点对或边）"},
    "shape.paired_by_streams": {
        "en": "the batch's {n} input rows are {k} rows per target, and the targets carry an axis "
              "of {k}: each sample's {k} streams flattened into rows (a MusicGen-style "
              "(batch × codebooks, time) input), paired with their target",
        "zh": "batch 的 {n} 行输入是每个目标 {k} 行，而目标带有一个长度为 {k} 的轴：每个样本的 "
              "{k} 路数据流被展平成行（MusicGen 式的 (batch × codebooks, time) 输入），与目标配对"},
    "shape.paired_by_pooling": {
        "en": "the batch's {n} input rows give {rows} output rows, one per target (the model "
              "pools its input rows, as a multiple-instance, set or graph model does)",
        "zh": "batch 的 {n} 行输入给出 {rows} 行输出，与目标一一对应（模型把输入的行汇聚起来，"
              "多示例、集合或图模型就是这样）"},
    "live.no_targets": {"en": "{file} holds inputs only: with no targets there is nothing to "
                              "fit, so this training check was not run",
                        "zh": "{file} 只有输入：没有目标值就无从拟合，所以没有运行这项训练检查"},
    "out.unbounded": {"en": "the output has no bounded final activation",
                      "zh": "输出没有有界的最终激活"},
    "out.range_vs_targets": {"en": "the output goes through {kind} ({low} to {high}), yet {share} "
                                   "of the targets (from {tmin} to {tmax}) lie outside that range",
                             "zh": "输出经过 {kind}（{low} 到 {high}），而 {share} 的目标值"
                                   "（{tmin} 到 {tmax}）落在这个范围之外"},
    "out.softmax_rows": {"en": "outputs lie in [0, 1] and each row sums to 1 (a softmax)",
                         "zh": "输出都在 [0, 1] 内且每行之和为 1（softmax）"},
    "out.not_softmax": {"en": "the outputs are not rows of class probabilities summing to 1",
                        "zh": "输出不是每行之和为 1 的类别概率"},
    "out.regression_in_01": {"en": "all {n} outputs lie in [0, 1], but the float targets run "
                                   "from {low} to {high}: a regression's outputs, not "
                                   "probabilities",
                             "zh": "全部 {n} 个输出都在 [0, 1] 内，但浮点目标从 {low} 到 {high}："
                                   "这是回归的输出，不是概率"},
    "out.in_01": {"en": "all {n} outputs lie in [0, 1] (a sigmoid or probabilities)",
                  "zh": "全部 {n} 个输出都在 [0, 1] 内（sigmoid 或概率）"},
    "out.over_classes": {"en": "outputs are a {what} over classes (rows sum to 1)",
                         "zh": "输出是对类别做的 {what}（每行之和为 1）"},
    "out.over_batch": {"en": "outputs are a {what} over the batch: each column sums to 1, the "
                             "rows do not",
                       "zh": "输出是对 batch 维做的 {what}：每列之和为 1，每行却不是"},
    "out.over_first_axis": {"en": "outputs {shape} are a {what} over their first axis (size "
                                  "{n}: the batch, or the time steps of a (T, B, C) output): "
                                  "they sum to 1 there, not over the classes",
                            "zh": "输出 {shape} 是在第一个维度（大小 {n}：batch，或 (T, B, C) "
                                  "输出的时间步）上做的 {what}：在那里求和为 1，而不是在类别维上"},
    "out.gain_over_constant": {"en": "on the batch of {n} the trained model's outputs miss the "
                                     "targets by {error} on average, against {base} for their "
                                     "median as a constant guess: {share} closer",
                               "zh": "在这 {n} 个样本上，训练后模型的输出与目标平均相差 {error}，"
                                     "而用目标中位数作常数猜测相差 {base}：接近了 {share}"},
    "out.loss_to_constant": {"en": "on the batch of {n} the trained model's outputs miss the "
                                   "targets by {error} on average, against {base} for their "
                                   "median as a constant guess: {times} as far",
                             "zh": "在这 {n} 个样本上，训练后模型的输出与目标平均相差 {error}，"
                                   "而用目标中位数作常数猜测只差 {base}：是它的 {times}"},
    "leak.future": {"en": "the targets are the inputs {k} step(s) ahead along axis {axis}; "
                          "changing the inputs after step {step} of {steps} moved the outputs "
                          "up to step {step} by {moved} of their size: each output reads later "
                          "inputs, which hold its own target",
                    "zh": "目标就是输入沿第 {axis} 维提前 {k} 步的值；改动第 {step} 步（共 "
                          "{steps} 步）之后的输入，第 {step} 步及之前的输出变化了其大小的 "
                          "{moved}：每个输出都读到了后面的输入，而那里正是它要预测的目标"},
    "leak.causal": {"en": "the targets are the inputs {k} step(s) ahead along axis {axis}; "
                          "changing the inputs after step {step} of {steps} moved the outputs "
                          "up to step {step} by {moved} of their size at most (float rounding): "
                          "each output reads only the past",
                    "zh": "目标就是输入沿第 {axis} 维提前 {k} 步的值；改动第 {step} 步（共 "
                          "{steps} 步）之后的输入，第 {step} 步及之前的输出最多只变化了其大小的 "
                          "{moved}（浮点舍入）：每个输出只读过去的输入"},
    "leak.future_labels": {
        "en": "the labels are the input tokens themselves (the loss shifts them: step t "
              "predicts token t + 1); changing the tokens after step {step} of {steps} moved "
              "the outputs up to step {step} by {moved} of their size: each output reads the "
              "token it is asked to predict (an attention without its causal mask)",
        "zh": "标签就是输入 token 本身（loss 内部做移位：第 t 步预测第 t + 1 个 token）；改动第 "
              "{step} 步（共 {steps} 步）之后的 token，第 {step} 步及之前的输出变化了其大小的 "
              "{moved}：每个输出都读到了它要预测的 token（注意力缺了因果掩码）"},
    "leak.causal_labels": {
        "en": "the labels are the input tokens themselves (the loss shifts them); changing the "
              "tokens after step {step} of {steps} moved the outputs up to step {step} by "
              "{moved} of their size at most (float rounding): each output reads only the past",
        "zh": "标签就是输入 token 本身（loss 内部做移位）；改动第 {step} 步（共 {steps} 步）"
              "之后的 token，第 {step} 步及之前的输出最多只变化了其大小的 {moved}（浮点舍入）："
              "每个输出只读过去的输入"},
    "src.divides_by_a_statistic": {
        "en": "{file} line {line} divides by a .{what}() computed in place with no epsilon "
              "(places like it in the file: {n})",
        "zh": "{file} 第 {line} 行除以当场计算的 .{what}()，没有加 eps（文件中共 {n} 处）"},
    "src.divides_by_a_data_column": {
        "en": "{file} line {line} divides by one column of the data with no epsilon or clamp: "
              "{what} (places like it in the file: {n})",
        "zh": "{file} 第 {line} 行除以数据的某一列，没有 eps 也没有 clamp：{what}"
              "（文件中共 {n} 处）"},
    "src.log_without_floor": {
        "en": "{file} line {line} takes the log of a value it does not keep off 0 (no epsilon "
              "added, no clamp; places like it in the file: {n})",
        "zh": "{file} 第 {line} 行对一个没有远离 0 的值取 log（没有加 eps，也没有 clamp；"
              "文件中共 {n} 处）"},
    "src.elementwise_loss_on_raw_output": {
        "en": "{file} line {line} hands a model's output straight to an elementwise loss, with "
              "no squeeze or view between (places like it in the file: {n})",
        "zh": "{file} 第 {line} 行把模型输出直接交给逐元素 loss，中间没有 squeeze 或 view"
              "（文件中共 {n} 处）"},
    "batch.multilabel_targets_above_one": {
        "en": "the targets have the output's shape ({k} per sample) and are whole numbers up to "
              "{high}: {n} of {total} are above 1",
        "zh": "目标与输出形状相同（每个样本 {k} 个），是最大为 {high} 的整数：{total} 个中有 "
              "{n} 个大于 1"},
    "batch.labels_out_of_range": {"en": "{n} of the batch's {total} labels ({labels}) lie "
                                        "outside 0..{last} for the model's {k} outputs",
                                  "zh": "batch 的 {total} 个标签中有 {n} 个（{labels}）超出了"
                                        "模型 {k} 个输出对应的 0..{last} 范围"},
    "src.module_replaced_after_optimizer": {
        "en": "{file} line {line} assigns a new module to {name} after line {built} built "
              "{optimizer} over the model's parameters: {optimizer} holds the old module's",
        "zh": "{file} 第 {line} 行在第 {built} 行用模型参数构建 {optimizer} 之后，给 {name} "
              "赋了一个新模块：{optimizer} 持有的是旧模块的参数"},
    "src.softmax_over_batch_into_loss": {
        "en": "{file} line {line} feeds a softmax over axis 0 — the batch, for (samples, "
              "classes) scores — into its loss: {call}",
        "zh": "{file} 第 {line} 行把沿第 0 维（对 (样本, 类别) 的得分而言就是 batch 维）"
              "计算的 softmax 送入了 loss：{call}"},
    "src.grads_cleared_before_step": {
        "en": "{file} calls backward() at line {backward}, clears the gradients at line "
              "{cleared} and steps the optimizer at line {line}: the step finds no gradient",
        "zh": "{file} 第 {backward} 行调用 backward()，第 {cleared} 行清空梯度，第 {line} 行才"
              "调用优化器的 step()：step() 时梯度已经没有了"},
    "src.eval_mode_left_on": {
        "en": "{file} line {line} switches {name} to eval mode inside the loop at line {loop}, "
              "which back-propagates, and nothing in that loop switches it back: {name}.train() "
              "is called only at line {train}, outside it",
        "zh": "{file} 第 {line} 行在第 {loop} 行开始的、做反向传播的循环里把 {name} 切换到 "
              "eval 模式，而循环里没有任何地方把它切回来：{name}.train() 只在循环之外的第 "
              "{train} 行调用"},
    "src.zero_grad_outside_step_loop": {
        "en": "{file} line {line} steps {name} in a loop that back-propagates and clears no "
              "gradients; the file clears them only at line {cleared}, outside that loop",
        "zh": "{file} 第 {line} 行在一个做反向传播的循环里对 {name} 调用 step()，循环里却不清空"
              "梯度；文件只在该循环之外的第 {cleared} 行清空梯度"},
    "src.own_batch_sampler": {"en": "{file} line {line} hands its own sampler class {cls} "
                                    "(defined at line {defined}) to the DataLoader as {arg}: "
                                    "that class decides what each batch holds",
                              "zh": "{file} 第 {line} 行把自己写的采样器类 {cls}（定义于第 "
                                    "{defined} 行）作为 {arg} 传给 DataLoader：每个 batch "
                                    "装什么由这个类决定"},
    "src.clips": {"en": "{file} line {line} clips the gradients ({name})",
                  "zh": "{file} 第 {line} 行裁剪了梯度（{name}）"},
    "src.clips_by_default": {"en": "{file} line {line} builds TrainingArguments, whose "
                                   "max_grad_norm clips gradients at 1.0 unless set otherwise",
                             "zh": "{file} 第 {line} 行构建了 TrainingArguments，其 "
                                   "max_grad_norm 默认把梯度裁剪到 1.0"},
    "src.clip_before_backward": {
        "en": "{file} line {line} calls {name} before backward(): it clips the gradients "
              "already cleared (or already used), and the step takes the raw ones",
        "zh": "{file} 第 {line} 行在 backward() 之前调用 {name}：它裁剪的是已清零（或已用过）"
              "的梯度，更新用的仍是未裁剪的梯度"},
    "src.clip_some_steps": {
        "en": "{file} line {line} calls {name} only under `if {test}`: the steps in between "
              "apply raw gradients",
        "zh": "{file} 第 {line} 行只在 `if {test}` 成立时调用 {name}：其间的各步用的都是未裁剪的"
              "原始梯度"},
    "src.clip_part": {
        "en": "{file} line {line} hands {name} only {part}'s gradients while the optimizer "
              "steps the whole model: every other layer applies its raw gradients",
        "zh": "{file} 第 {line} 行只把 {part} 的梯度交给 {name}，而优化器更新整个模型：其余各层"
              "用的都是未裁剪的原始梯度"},
    "src.clip_after_step": {
        "en": "{file} line {line} calls {name} after the optimizer's step(): the step has "
              "already used the raw gradients",
        "zh": "{file} 第 {line} 行在优化器的 step() 之后调用 {name}：更新已经用了未裁剪的梯度"},
    "src.clip_measures_only": {
        "en": "{file} line {line} calls {name} with an infinite bound: it reads the gradient "
              "norm and clips nothing",
        "zh": "{file} 第 {line} 行以无穷大的上限调用 {name}：它只读取梯度范数，什么也不裁剪"},
    "src.clip_spent_generator": {
        "en": "{file} line {line} hands {name} the generator {value}, which {consumer} (line "
              "{at}) already ran through: it sees no parameters and clips nothing",
        "zh": "{file} 第 {line} 行把生成器 {value} 交给 {name}，而 {consumer}（第 {at} 行）"
              "已经把它遍历完了：它看不到任何参数，什么也不裁剪"},
    "src.clip_never_runs": {
        "en": "{file} line {line} calls {name} only under `if {test}`, which the file's own "
              "settings make false: it never clips",
        "zh": "{file} 第 {line} 行只在 `if {test}` 下调用 {name}，而文件自己的设置使该条件为假："
              "它从不裁剪"},
    "src.never_clips": {"en": "{file} trains (line {line}) and clips the gradients nowhere "
                              "(no clip_grad_norm_, clip_grad_value_ or gradient_clip_val)",
                        "zh": "{file} 在第 {line} 行训练，但没有任何地方裁剪梯度"
                              "（没有 clip_grad_norm_、clip_grad_value_ 或 gradient_clip_val）"},
    "src.optimizer_never_zeroed": {
        "en": "{file} line {line} steps {name}, whose zero_grad() the file never calls (nor "
              "does it clear gradients another way)",
        "zh": "{file} 第 {line} 行对 {name} 调用 step()，但文件从未调用它的 zero_grad()"
              "（也没有用别的方式清空梯度）"},
    "src.accumulation_unscaled": {
        "en": "{file} line {line} calls {name}.backward() in an inner loop that steps no "
              "optimizer, steps one after that loop, and never divides {name}",
        "zh": "{file} 第 {line} 行在一个不调用 step() 的内层循环中调用 {name}.backward()，"
              "循环结束后才 step()，且从未把 {name} 除以任何数"},
    "src.loss_kind": {"en": "{file} line {line} uses {name}, the only kind of torch loss the "
                            "file builds or calls (places: {n})",
                      "zh": "{file} 第 {line} 行使用 {name}，这是该文件构建或调用的唯一一种 "
                            "torch loss（共 {n} 处）"},
    "src.accumulation_cleared_each_step": {
        "en": "{file} line {line} clears the gradients beside each optimizer step, in the "
              "branch that counts the micro-batches",
        "zh": "{file} 第 {line} 行在计数微批次的分支里、每次优化器更新时清空梯度"},
    "src.accumulation_cleared_each_step_outer": {
        "en": "{file} line {line} clears the gradients once per optimizer step, beside the "
              "inner loop that back-propagates the micro-batches",
        "zh": "{file} 第 {line} 行在反传各微批次的内层循环旁、每次优化器更新清空一次梯度"},
    "src.accumulation_unscaled_every_kth": {
        "en": "{file} line {line} calls {name}.backward() at every iteration of a loop that "
              "steps the optimizer and clears its gradients only every k-th iteration (a "
              "modulo test), and never divides {name}",
        "zh": "{file} 第 {line} 行在循环的每次迭代中调用 {name}.backward()，而该循环只在每第 k "
              "次迭代（取模判断）时才 step() 并清空梯度，且从未把 {name} 除以任何数"},
    "src.nll_raw_scores": {
        "en": "{file} trains with NLLLoss (line {line}) and calls no log_softmax anywhere: what "
              "the loss reads is no log-probability made in the file",
        "zh": "{file} 用 NLLLoss 训练（第 {line} 行），却在任何地方都没有调用 log_softmax："
              "loss 读到的不是文件里算出的对数概率"},
    "src.nll_log_softmax": {
        "en": "{file} line {line} calls log_softmax: the NLLLoss may read log-probabilities",
        "zh": "{file} 第 {line} 行调用了 log_softmax：NLLLoss 读到的可能是对数概率"},
    "src.loss_grad_switched_on": {
        "en": "{file} line {line} sets requires_grad on {name} after computing it and line "
              "{backward} calls {name}.backward(): a value with no graph behind it (computed "
              "under torch.no_grad() or from detached outputs) becomes a leaf, and backward "
              "stops there",
        "zh": "{file} 第 {line} 行在算出 {name} 之后才给它设置 requires_grad，第 {backward} 行调用 "
              "{name}.backward()：一个背后没有计算图的值（在 torch.no_grad() 下或由 detach 后的输出"
              "算出）变成了叶子张量，反向传播停在这里"},
    "src.loss_rebuilt_as_leaf": {
        "en": "{file} line {line} builds {name} anew with torch.tensor(…, requires_grad=True) and "
              "line {backward} calls {name}.backward(): backward stops at that new leaf",
        "zh": "{file} 第 {line} 行用 torch.tensor(…, requires_grad=True) 重新构造了 {name}，第 "
              "{backward} 行调用 {name}.backward()：反向传播停在这个新的叶子张量上"},
    "src.loader_batch": {
        "en": "{file} line {line} builds the shuffling (training) DataLoader with batch_size={n}",
        "zh": "{file} 第 {line} 行构建的打乱顺序的（训练）DataLoader 使用 batch_size={n}"},
    "src.no_batch_size": {
        "en": "{file} names no single training batch size (no shuffling DataLoader with one "
              "batch_size, no loop that cuts its data in steps of one)",
        "zh": "{file} 中没有唯一的训练 batch size（没有只用一个 batch_size 的打乱 DataLoader，"
              "也没有按固定步长切分数据的循环）"},
    "src.unread_batch_size": {
        "en": "the source of {spec} is not read (a package module, or a file too large or "
              "that does not parse): its training batch size is not known",
        "zh": "{spec} 的源代码无法读取（包模块，或文件过大、无法解析）：不知道它训练时的 "
              "batch size"},
    "src.sliced_batch": {
        "en": "{file} line {line} trains on batches of {n} rows: it cuts the data by hand in "
              "steps of {step}",
        "zh": "{file} 第 {line} 行以每批 {n} 行训练：它按 {step} 的步长手动切分数据"},
    "src.backward_retains_graph": {
        "en": "{file} line {line} calls backward(retain_graph=True) (places like it in the "
              "file: {n})",
        "zh": "{file} 第 {line} 行调用了 backward(retain_graph=True)（文件中共 {n} 处）"},
    "src.activation_into_loss": {
        "en": "{file} line {line} hands a {what}'s output to a loss that applies its own "
              "{what} (places like it in the file: {n})",
        "zh": "{file} 第 {line} 行把 {what} 的输出交给了自身就会再做一次 {what} 的 loss"
              "（文件中共 {n} 处）"},
    "src.validation_trained_on": {
        "en": "{file} line {line} joins the validation data ({held}) into {joined}, which it "
              "trains on, and line {read} still reads {held} after it: the validation score "
              "is measured on rows the model is fitted on",
        "zh": "{file} 第 {line} 行把验证数据（{held}）并入了用来训练的 {joined}，"
              "而第 {read} 行在此之后仍在读取 {held}：验证分数是在模型拟合过的样本上测得的"},
    "src.split_along_joined_sources": {
        "en": "{file} line {line} cuts the held-out data ({held}) from the end of {joined}, which "
              "line {joined_line} joins from pieces one after another, with no shuffle between: "
              "the held-out rows are the last pieces' alone",
        "zh": "{file} 第 {line} 行从 {joined} 的末尾切出验证/测试数据（{held}），"
              "而 {joined} 是第 {joined_line} 行把几份数据首尾相接拼成的，中间没有打乱："
              "验证/测试样本只来自最后几份"},
    "src.eval_augmented": {
        "en": "{file} line {line} builds the held-out data ({held}) with the training "
              "augmentation ({how})",
        "zh": "{file} 第 {line} 行用训练时的数据增强（{how}）构建了验证/测试数据（{held}）"},
    "src.loader_in_order": {"en": "{file} line {line} builds the training DataLoader without "
                                  "shuffling (shuffle=False, no sampler): every epoch reads "
                                  "the data in the order it is stored",
                            "zh": "{file} 第 {line} 行构建的训练 DataLoader 不打乱（shuffle=False，"
                                  "也没有 sampler）：每个 epoch 都按存储顺序读数据"},
    "src.training_noise": {
        "en": "{file} line {line} adds Gaussian noise of standard deviation {scale} to a "
              "training tensor: {ratio}× the spread of the batch's inputs (std {spread})",
        "zh": "{file} 第 {line} 行给训练张量加上标准差为 {scale} 的高斯噪声：是 batch 输入离散程度"
              "（标准差 {spread}）的 {ratio} 倍"},
    "src.worker_rng_reseeded": {
        "en": "{file} line {made}: {cls}.__iter__ builds its generator {attr} afresh from a "
              "seed that names neither the worker nor the epoch; line {line} loads it in worker "
              "processes, so every worker draws the same stream, each epoch",
        "zh": "{file} 第 {made} 行：{cls}.__iter__ 每次都用一个与 worker 和 epoch 都无关的种子"
              "重新创建生成器 {attr}；第 {line} 行在多个 worker 进程中加载它，所以每个 worker "
              "每个 epoch 都抽到同一串数据"},
    "src.worker_rng_shared": {
        "en": "{file} line {made}: {cls} builds its own generator self.{attr} in __init__ and "
              "draws from it per item; line {line} loads it in worker processes with no "
              "worker_init_fn, so every worker starts from a copy of the same state, each epoch",
        "zh": "{file} 第 {made} 行：{cls} 在 __init__ 中创建了自己的生成器 self.{attr}，并在取"
              "每个样本时从中抽取；第 {line} 行在多个 worker 进程中加载它且没有 worker_init_fn，"
              "所以每个 worker 每个 epoch 都从同一状态的副本开始"},
    "src.loader_shuffles": {"en": "{file} line {line} builds a DataLoader with shuffle=True",
                            "zh": "{file} 第 {line} 行构建的 DataLoader 带 shuffle=True"},
    "src.loop_in_order": {"en": "{file} line {line} builds the index the training loop cuts "
                                "its batches from in the rows' stored order (an arange), and "
                                "nothing in the file shuffles it: every epoch reads the data in "
                                "the order it is stored",
                          "zh": "{file} 第 {line} 行按数据的存储顺序（arange）构建训练循环切 batch "
                                "所用的索引，文件中没有任何地方打乱它："
                                "每个 epoch 都按存储顺序读取数据"},
    "src.loop_reshuffles": {"en": "{file} line {line} draws a new order of the rows every epoch "
                                  "before the loop cuts its batches",
                            "zh": "{file} 第 {line} 行在每个 epoch 切 batch 之前"
                                  "重新打乱各行的顺序"},
    "target.counts": {"en": "the targets are whole numbers from {low} to {high}: counts",
                      "zh": "目标值是 {low} 到 {high} 之间的整数：计数"},
    "target.not_counts": {"en": "the targets ({low} to {high}) are not all non-negative whole "
                                "numbers",
                          "zh": "目标值（{low} 到 {high}）并非全是非负整数"},
    "lr.tiny_share": {"en": "the learning rate is below {limit} of its peak for {share} of the "
                            "logged points after the peak",
                      "zh": "峰值之后的记录点中，有 {share} 的学习率低于峰值的 {limit}"},
    "lr.tiny_stalled": {"en": "the schedule first cut the rate while the loss was still falling; "
                              "from step {step} the rate is below {limit} of its peak ({share} "
                              "of the logged points after the peak) and the training loss moves "
                              "only from {a} to {b} ({moved}) over that stretch",
                        "zh": "调度在 loss 仍在下降时就开始降学习率；从第 {step} 步起学习率低于峰值"
                              "的 {limit}（占峰值之后记录点的 {share}），这段时间训练 loss 只从 "
                              "{a} 变到 {b}（{moved}）"},
    "lr.tiny_after_a_plateau": {"en": "from step {step} the learning rate is below {limit} of "
                                      "its peak ({share} of the points after the peak) and the "
                                      "loss moves only from {a} to {b} ({moved}), but the "
                                      "schedule cut the rate only once the loss had flattened",
                                "zh": "从第 {step} 步起学习率低于峰值的 {limit}（占峰值之后记录点"
                                      "的 {share}），loss 只从 {a} 变到 {b}（{moved}），但调度是在 "
                                      "loss 变平之后才降学习率的"},
    "lr.tiny_still_learning": {"en": "from step {step} the learning rate is below {limit} of its "
                                     "peak ({share} of the points after the peak), and the "
                                     "training loss still moves from {a} to {b} ({moved})",
                               "zh": "从第 {step} 步起学习率低于峰值的 {limit}（占峰值之后记录点"
                                     "的 {share}），训练 loss 仍从 {a} 变到 {b}（{moved}）"},
    "optimizer.one_never_stepped": {"en": "the checkpoint holds several optimizers: {never} "
                                          "holds no state at all (it never took a step) while "
                                          "{stepped} does",
                                    "zh": "checkpoint 中有多个优化器：{never} 完全没有状态"
                                          "（从未更新过），而 {stepped} 有"},
    "optimizer.all_have_state": {"en": "each of the checkpoint's optimizers ({names}) holds state",
                                 "zh": "checkpoint 中的每个优化器（{names}）都有状态"},
    "out.not_normalised": {"en": "outputs are not normalised over either dimension (raw logits)",
                           "zh": "输出在两个维度上都没有归一化（原始 logits）"},
    "out.abs_max": {"en": "largest |output| is {value}", "zh": "最大的 |输出| 为 {value}"},
    "out.std": {"en": "outputs have std {std} on the batch (large above {limit})",
                "zh": "输出在这个 batch 上的标准差为 {std}（超过 {limit} 算大）"},
    "out.offset": {"en": "the predictions average {pred} on the batch, the targets {target}: "
                         "{ratio} of the targets' std ({spread}) apart",
                   "zh": "在这批样本上预测的平均值为 {pred}，目标为 {target}：相差目标标准差"
                         "（{spread}）的 {ratio} 倍"},
    "out.spread": {"en": "predictions vary with std {pred} across the batch, the targets with "
                         "{target} (ratio {ratio}; near 0: one value predicted for every input)",
                   "zh": "预测在 batch 上的标准差为 {pred}，目标为 {target}（比值 {ratio}；"
                         "接近 0 说明对每个输入都预测同一个值）"},
    # ------------------------------------------------------------ backward pass on the batch
    "grad.none": {"en": "{n} trainable parameters get no gradient at all (.grad is None: not "
                        "in the graph of the loss): {names}",
                  "en_one": "1 trainable parameter gets no gradient at all (.grad is None: not "
                            "in the graph of the loss): {names}",
                  "zh": "{n} 个可训练参数完全没有梯度（.grad 为 None：不在 loss 的计算图中）："
                        "{names}"},
    "grad.unused": {"en": "{n} of the {k} parameters without a gradient ({names}) do not "
                          "affect the loss at all — their modules never run on the batch, or "
                          "changing them leaves the loss as it was: unused by the model, not "
                          "cut from a graph they feed",
                    "zh": "{k} 个没有梯度的参数中有 {n} 个（{names}）完全不影响 loss——它们的模块"
                          "在这个 batch 上从不执行，或改动它们 loss 不变：是模型没用到它们，而不是"
                          "它们所在的计算图被切断"},
    "live.other_objective_backward": {
        "en": "the check's loss gives {n} parameter(s) no gradient ({names}), yet each holds "
              "optimizer state from the run: its own objective trained them (an expander or "
              "head only its training step calls), so the check's missing gradient says "
              "nothing of a cut",
        "zh": "检查用的 loss 没有给 {n} 个参数梯度（{names}），但它们每个都有训练留下的优化器"
              "状态：训练自己的目标训练过它们（只在训练步骤里调用的 expander 或头），所以这里"
              "缺少梯度并不说明计算图被切断"},
    "grad.none_ok": {"en": "every trainable parameter is in the graph of the loss",
                     "zh": "每个可训练参数都在 loss 的计算图中"},
    "grad.zero": {"en": "{n} parameters get a gradient that is exactly 0 (dead or saturated "
                        "units upstream): {names}",
                  "en_one": "1 parameter gets a gradient that is exactly 0 (dead or saturated "
                            "units upstream): {names}",
                  "zh": "{n} 个参数的梯度恰好为 0（上游单元死亡或饱和）：{names}"},
    "grad.zero_ok": {"en": "no parameter gets an all-zero gradient",
                     "zh": "没有参数的梯度全为 0"},
    "grad.frozen": {"en": "{n} parameters have requires_grad=False: {names}",
                    "en_one": "1 parameter has requires_grad=False: {names}",
                    "zh": "{n} 个参数的 requires_grad=False：{names}"},
    "grad.frozen_tables": {"en": "every parameter has requires_grad=True but {names}: "
                                 "sinusoidal position tables, built by formula and frozen on "
                                 "purpose",
                           "zh": "除 {names} 外每个参数都是 requires_grad=True；"
                                 "它们是正弦位置编码表，按公式构造、有意冻结"},
    "grad.frozen_ok": {"en": "every parameter has requires_grad=True",
                       "zh": "每个参数的 requires_grad 都是 True"},
    "grad.time": {"en": "gradient at the input of {layer}: {first} at the first of {n} time "
                        "steps vs {last} at the last (ratio {ratio})",
                  "zh": "{layer} 输入处的梯度：{n} 个时间步中第一步为 {first}，最后一步为 "
                        "{last}（比值 {ratio}）"},
    "input.time_major_relabelled": {
        "en": "the ({t}, {n}, …) batch the sequence-first model reads is alike across its "
              "{n} samples ({across} of the distance between two entries drawn at random) and "
              "unalike along its {t} time steps ({along}): each 'sample' beside the next is the "
              "same sequence a frame on — a batch-first array relabelled time-major with "
              "view/reshape, not moved with transpose",
        "zh": "序列维在前的模型读到的 ({t}, {n}, …) batch 在 {n} 个样本之间彼此相像（为随机两项之间"
              "距离的 {across}），沿 {t} 个时间步却不相像（{along}）：并排的“样本”其实是同一条序列"
              "的相邻帧——这是用 view/reshape 把 batch 维在前的数组重新标成时间维在前，而不是用 "
              "transpose 移动数据"},
    "shape.paired_time_major": {
        "en": "the model reads the batch sequence-first: dimension 1 of its ({t}, {n}, …) "
              "inputs is the batch, and it gives one output row per target ({n})",
        "zh": "模型按序列维在前读取 batch：其 ({t}, {n}, …) 输入的第 1 维是 batch，"
              "每个目标（{n} 个）对应一行输出"},
    "input.sequences_interleaved": {
        "en": "read one after another, the batch's rows repeat every {lag} rows, not a "
              "multiple of its {steps} time steps: rows {lag} apart differ by {near} of the "
              "typical distance, time neighbours by {first} — each 'sequence' steps across "
              "different samples, and a sample's next step sits {lag} rows on: a time-major "
              "(T, N, F) array relabelled (N, T, F) with view/reshape",
        "zh": "把 batch 的各行依次读下来，每隔 {lag} 行重复一次，而不是其 {steps} 个时间步的"
              "整数倍：相隔 {lag} 行的两行之差只有典型距离的 {near}，相邻时间步之差却有 {first}"
              "——每条“序列”都在不同样本之间跳，而某个样本的下一步在 {lag} 行之后：这是一个"
              "按时间优先 (T, N, F) 存放的数组被 view/reshape 重新解释成了 (N, T, F)"},
    "grad.time_gated": {"en": "{layer} is gated (an LSTM or a GRU)",
                        "zh": "{layer} 是门控循环层（LSTM 或 GRU）"},
    "grad.time_plain": {"en": "{layer} is a plain RNN (no gates)",
                        "zh": "{layer} 是普通 RNN（没有门控）"},
    "grad.time_at_init": {"en": "as the factory builds it, before training: {text}",
                          "zh": "按工厂函数新建、尚未训练时：{text}"},
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
    "input.made_neg_inf": {"en": "every non-finite value is -inf: what log(0) gives",
                           "zh": "所有非有限值都是 -inf：这正是 log(0) 的结果"},
    "input.made_inf": {"en": "inf among the values: what a division by 0 gives",
                       "zh": "其中有 inf：这正是除以 0 的结果"},
    "input.made_nan_feature": {"en": "NaN at the same {n} position(s) in every sample: a "
                                     "feature computed as 0/0 (a constant feature divided by "
                                     "its zero std)",
                               "zh": "每个样本在同样的 {n} 个位置上都是 NaN：某个特征算成了 0/0"
                                     "（常数特征除以为 0 的标准差）"},
    "input.all_nan": {"en": "all {n} input values are NaN: one NaN statistic (a mean or std "
                           "taken over data with gaps, a NaN scale) spread over the whole "
                           "tensor, whatever made it",
                    "zh": "全部 {n} 个输入值都是 NaN：某个 NaN 统计量（在有缺失值的数据上算的均值"
                          "或标准差、一个 NaN 的缩放系数）扩散到了整个张量，看不出它从何而来"},
    "input.scattered_nan": {"en": "NaN at different positions in different samples: missing "
                                  "values in the data",
                            "zh": "不同样本在不同位置上出现 NaN：数据中有缺失值"},
    "input.non_finite": {"en": "{bad} of {n} input values are NaN/inf",
                         "zh": "{n} 个输入值中有 {bad} 个是 NaN/inf"},
    "target.non_finite": {"en": "{bad} of {n} target values are NaN/inf",
                          "zh": "{n} 个目标值中有 {bad} 个是 NaN/inf"},
    "target.finite": {"en": "all target values are finite", "zh": "所有目标值都是有限值"},
    "input.finite": {"en": "all input values are finite", "zh": "所有输入值都是有限值"},
    "input.stats_without_codes": {"en": "{stats} (over the continuous columns; {n} columns of "
                                        "whole numbers ≥ 0, category codes, left out)",
                                  "zh": "{stats}（只统计连续取值的列；{n} 列非负整数"
                                        "（类别编码）未计入）"},
    "input.batchnorm_never_measured": {
        "en": "the model's first layer, {layer}, is a {kind} that scales the inputs itself; "
              "its running statistics still hold their start (mean 0, variance 1): it never "
              "measured a batch in training mode, where it standardises them",
        "zh": "模型的第一层 {layer} 是 {kind}，由它自己缩放输入；它的运行统计量仍是初始值"
              "（均值 0、方差 1）：它从未在训练模式下测量过 batch——在训练模式下它会把输入标准化"},
    "input.normalised_by_layer": {
        "en": "the model's first layer, {layer}, is a {kind}: with the statistics it holds it "
              "gives the raw inputs mean {mean}, std {std} before any weight sees them",
        "zh": "模型的第一层 {layer} 是 {kind}：用它保存的统计量，它在任何权重看到输入之前就把"
              "原始输入变为均值 {mean}、标准差 {std}"},
    "input.rescaled_by_model": {
        "en": "the model rescales its inputs itself: its first layer, {layer}, is given them at "
              "mean {mean}, std {std}",
        "zh": "模型自己缩放了输入：它的第一层 {layer} 收到的输入均值 {mean}、标准差 {std}"},
    "mode.one_class_batches": {
        "en": "fed in train mode one class at a time ({k} classes, {n} samples), the trained "
              "model scores a loss of {loss} and accuracy {acc}; in eval mode {eval} and "
              "{eval_acc}; in train mode on the mixed batch {train}",
        "zh": "在 train 模式下一次只喂一个类别（{k} 个类别，{n} 个样本）时，训练后的模型 loss 为 "
              "{loss}、准确率 {acc}；eval 模式下为 {eval} 和 {eval_acc}；在 train 模式下喂混合 "
              "batch 时 loss 为 {train}"},
    "input.scaled_by_weightless": {
        "en": "the model rescales its inputs itself: its first module, {layer}, holds no "
              "weights and hands them on at mean {mean}, std {std}",
        "zh": "模型自己缩放了输入：它的第一个模块 {layer} 没有权重，交给后面的输入均值 {mean}、"
              "标准差 {std}"},
    "input.channels_interleaved_steps": {
        "en": "in every channel of the {shape} batch, the step {lag} values along time is at "
              "most {ratio}× the step between neighbours (squared, on average): the values "
              "alike sit {lag} apart, so each 'channel' runs through the {lag} sensors of one "
              "time step after another — time-major data read as channels-first (view or "
              "reshape, not transpose)",
        "zh": "{shape} 的 batch 中，每个通道沿时间相隔 {lag} 的变化（平方平均）至多是相邻值之间"
              "变化的 {ratio} 倍：相似的值相隔 {lag} 个位置，所以每个“通道”依次走过同一时刻的 "
              "{lag} 个传感器——按时间优先存放的数据被当成了通道优先（用了 view 或 reshape "
              "而不是 transpose）"},
    "input.channels_interleaved": {
        "en": "in every channel of the {shape} batch, values {lag} apart along time correlate "
              "{apart} or more, side by side at most {side}: each 'channel' runs through the "
              "{lag} sensors of one time step after another — time-major data read as "
              "channels-first (view, not transpose)",
        "zh": "{shape} 的 batch 中，每个通道沿时间相隔 {lag} 的值相关系数至少 {apart}，"
              "相邻的至多 {side}：每个“通道”依次走过同一时刻的 {lag} 个传感器——"
              "按时间优先存放的数据被当成了通道优先（用了 view 而不是 transpose）"},
    "input.pixel_order_interleaved": {
        "en": "neighbouring pixels of the {shape} images correlate {rows} down and {cols} "
              "across, yet values {lag} apart along a row correlate {apart}, more than side by "
              "side: channels-last data read as channels-first (view, not permute)",
        "zh": "{shape} 图像中相邻像素纵向相关 {rows}、横向相关 {cols}，"
              "但同一行中相隔 {lag} 的值相关系数为 {apart}，比紧挨着的还高：通道在后的数据被当成"
              "通道在前读取（用了 view 而不是 permute）"},
    "input.pixel_order": {
        "en": "neighbouring values of the batch's images (axes {shape}) correlate {rows} down "
              "the rows and {cols} along them: pictures are alike both ways; one way unrelated "
              "is an image whose axes were relabelled with view() instead of permute()",
        "zh": "batch 中图像（维度 {shape}）相邻值的相关性：沿列方向 {rows}，沿行方向 {cols}；"
              "图片在两个方向上都相近，一个方向毫无关系说明图像的维度是用 view() 而不是 "
              "permute() 重新解释的"},
    "input.pixel_order_ok": {
        "en": "neighbouring values of the batch's images correlate {rows} down the rows and "
              "{cols} along them: alike both ways, pixels in order",
        "zh": "batch 中图像相邻值的相关性：沿列方向 {rows}，沿行方向 {cols}：两个方向都相近，"
              "像素顺序正常"},
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
    "act.dead_at_init": {"en": "{now} of the units after {layer} never fire in the trained "
                               "model; in the freshly built model {then} of that layer's did",
                         "zh": "训练后的模型中 {layer} 之后 {now} 的单元从不激活；新建模型中该层"
                               "为 {then}"},
    "init.dead": {"en": "in the freshly built model, {share} of the units after {layer} never "
                        "fire on the batch ({n} ReLU layers)",
                  "zh": "新建的模型中，{layer} 之后 {share} 的单元在该 batch 上从不激活"
                        "（共 {n} 个 ReLU 层）"},
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
    "forward.nan_between": {"en": "every module's output is finite, yet the model's output holds "
                                  "NaN/inf: it arises in the forward code between the modules "
                                  "(a division, log, sqrt or norm written by hand)",
                            "zh": "每个模块的输出都是有限值，模型的输出却含 NaN/inf：它产生于"
                                  "模块之间的前向代码（手写的除法、log、sqrt 或范数）"},
    "forward.factory_weights": {"en": "the live checks run the factory's freshly built weights "
                                      "(no usable trained weights): no update has touched them",
                                "zh": "实时检查用的是工厂函数新建的权重（没有可用的训练权重）："
                                      "它们还没有被任何更新动过"},
    "forward.trained_weights": {"en": "the live checks run the checkpoint's trained weights",
                                "zh": "实时检查用的是 checkpoint 中训练后的权重"},
    "forward.first_nan": {"en": "first NaN/inf appears in the output of {layer} ({kind}) from "
                                "finite inputs",
                          "zh": "NaN/inf 首次出现在 {layer}（{kind}）的输出中，其输入是有限值"},
    "forward.op": {"en": "{layer} is a {kind}", "zh": "{layer} 是一个 {kind}"},
    # ------------------------------------------------------------ loss curve
    "loss.first": {"en": "first logged loss {value} at {at}",
                   "zh": "{at}记录的第一个 loss 为 {value}"},
    "loss.start_level": {"en": "the loss starts at {level} (median of the first {k} logged "
                               "points; the first, at {at}, is {value})",
                         "zh": "loss 起始水平为 {level}（前 {k} 个记录点的中位数；第一个点在{at}，"
                               "为 {value}）"},
    "loss.initial_vs_chance": {"en": "the first logged loss, {value} at {at}, is {ratio} "
                                     "ln {k} = {chance} (an untrained {k}-class classifier "
                                     "starts near ln {k})",
                               "zh": "{at}记录的第一个 loss 为 {value}，是 ln {k} = {chance} "
                                     "的 {ratio}（未训练的 {k} 类分类器起始 loss 约为 ln {k}）"},
    "loss.initial_summed": {"en": "the first logged loss, {value} at {at}, is {n} × ln {k} = "
                                  "{chance}: a loss summed over {n} samples rather than "
                                  "averaged, which says nothing about the logits' size",
                            "zh": "{at}记录的第一个 loss 为 {value}，正好是 ln {k} = {chance} "
                                  "的 {n} 倍：这是对 {n} 个样本求和而不是取平均的 loss，"
                                  "不能说明 logits 的大小"},
    "loss.first_epoch_mean": {"en": "the log has one row per epoch: its first loss sums up a "
                                    "whole epoch, and the untrained model's loss is not in it",
                              "zh": "日志每个 epoch 一行：第一个 loss 是整个 epoch 的汇总，"
                                    "其中没有未训练模型的 loss"},
    "train.end_over_guess": {"en": "{name} ends at {end} (median of its last three points), "
                                    "{ratio} ln {k} = {guess}, what a uniform guess over {k} "
                                    "classes pays",
                             "zh": "{name} 最终为 {end}（最后三个点的中位数），是 ln {k} = {guess}"
                                   "（对 {k} 个类别均匀乱猜的 loss）的 {ratio}"},
    "loss.first_row_huge": {"en": "the first logged loss, {value} at {at} ({what}), is already "
                                  "{ratio} ln {k} = {chance}, an untrained {k}-class "
                                  "classifier's: the logits were huge from the first steps",
                            "zh": "第一个记录的 loss（{at}，{what}）为 {value}，已是 ln {k} = "
                                  "{chance}（未训练的 {k} 类分类器的 loss）的 {ratio}："
                                  "logits 从最初几步起就非常大"},
    "loss.first_row_what_epoch": {"en": "the mean over the first epoch",
                                  "zh": "第一个 epoch 的平均"},
    "loss.first_row_what_step": {"en": "a later step's", "zh": "较晚一步的值"},
    "loss.kl_part_below_zero": {"en": "the KL term {column} is below zero at {share} of its "
                                      "points (lowest {low}); a KL divergence never is",
                                "zh": "KL 项 {column} 有 {share} 的点低于 0（最低 {low}）；"
                                      "KL 散度不可能为负"},
    "loss.kl_part_not_negative": {"en": "the KL term {column} stays at or above zero",
                                  "zh": "KL 项 {column} 一直不低于 0"},
    "loss.parts_below_zero": {"en": "some loss parts ({columns}) are below zero: whether one "
                                    "climbs while another falls cannot be read",
                              "zh": "部分 loss 分项（{columns}）低于 0：无法判断是否有一项在"
                                    "上升而另一项在下降"},
    "loss.light_task_lagging": {
        "en": "{light} is weighted {ratio} less than {heavy} in the total, and its own loss fell "
              "{b} from its start against {heavy}'s {a}",
        "zh": "总 loss 中 {light} 的权重比 {heavy} 小 {ratio}，它自己的 loss 只比起点下降了 {b}，"
              "而 {heavy} 下降了 {a}"},
    "loss.small_term_lagging": {
        "en": "{light}'s term starts {ratio} below {heavy}'s in the total, and its own loss fell "
              "{b} from its start against {heavy}'s {a}",
        "zh": "总 loss 中 {light} 这一项起点比 {heavy} 小 {ratio}，它自己的 loss 只比起点下降了 "
              "{b}，而 {heavy} 下降了 {a}"},
    "loss.small_term_keeps_up": {
        "en": "{light}'s term starts {ratio} below {heavy}'s in the total, yet its own loss fell "
              "{b} from its start against {heavy}'s {a}: it keeps up",
        "zh": "总 loss 中 {light} 这一项起点比 {heavy} 小 {ratio}，但它自己的 loss 比起点下降了 "
              "{b}，而 {heavy} 下降了 {a}：它跟上了"},
    "loss.light_task_keeps_up": {
        "en": "{light} is weighted {ratio} less than {heavy} in the total, yet its own loss fell "
              "{b} from its start against {heavy}'s {a}: it keeps up",
        "zh": "总 loss 中 {light} 的权重比 {heavy} 小 {ratio}，但它自己的 loss 比起点下降了 {b}，"
              "{heavy} 下降了 {a}：并没有掉队"},
    "loss.task_ratio_weighted": {"en": "{total} = {formula} at every logged row: at the end "
                                       "the weighted {big} term is {a} against {small}'s {b}, "
                                       "{ratio} apart",
                                 "zh": "每一行都有 {total} = {formula}：到最后，加权后的 {big} "
                                       "项为 {a}，而 {small} 项为 {b}，相差 {ratio}"},
    "metric.auc_chance": {"en": "{score} stays between {low} and {top} at all {n} "
                                "evaluations: the scores rank positives no better than a coin",
                          "zh": "{score} 在全部 {n} 次评估中都在 {low} 与 {top} 之间：模型的"
                                "打分对正负样本的排序不比抛硬币好"},
    "metric.auc_learns": {"en": "{score} reaches {top} ({n} evaluations)",
                          "zh": "{score} 达到 {top}（{n} 次评估）"},
    "metric.score_zero_throughout": {"en": "{score} is 0 at all {n} evaluations: the model "
                                           "never predicts the positive class where it is",
                                     "zh": "{score} 在全部 {n} 次评估中都是 0：模型从未在正类"
                                           "所在之处预测出正类"},
    "metric.score_above_zero": {"en": "{score} rises above 0 (best {top} over {n} evaluations)",
                                "zh": "{score} 高于 0（{n} 次评估中最好为 {top}）"},
    "loss.regression_level": {"en": "the regression error {column} never goes below {low} (a "
                                    "target in unit scale costs well under {limit} even to a "
                                    "constant guess)",
                              "zh": "回归误差 {column} 从未低于 {low}（单位尺度的目标即使用"
                                    "常数去猜，误差也远低于 {limit}）"},
    "loss.first_not_initial": {"en": "the first logged loss, at {at}, is not the first "
                                     "step's: the untrained model's loss is not in the log",
                               "zh": "第一个记录的 loss（{at}）不是第一步的：日志里没有未训练"
                                     "模型的 loss"},
    "loss.zero_then_bad": {"en": "the loss was {value} at {at}, just before it became {word}",
                           "zh": "loss 在{at}为 {value}，随后就变成了 {word}"},
    "forward.flat_sample_breaks": {
        "en": "the model as the factory builds it gives finite outputs on the batch's first "
              "samples, and NaN/inf once the first is set to {kinds}: the forward divides by a "
              "sample's own spread (a std, a norm) with no epsilon",
        "zh": "按工厂函数新建的模型对 batch 的前几个样本输出有限，把第一个样本设成{kinds}后就输出 "
              "NaN/inf：前向计算除以了样本自身的离散程度（标准差、范数），且没有 eps"},
    "forward.flat_kinds_constant": {"en": "one value (its mean)", "zh": "同一个值（其均值）"},
    "forward.flat_kinds_zero": {"en": "zeros", "zh": "全 0"},
    "forward.flat_kinds_constant_zero": {"en": "one value (its mean) or to zeros",
                                         "zh": "同一个值（其均值）或全 0"},
    "forward.flat_sample_holds": {
        "en": "a sample set to one value (its mean) or to zeros still gives finite outputs",
        "zh": "把样本设成同一个值（其均值）或全 0，输出仍然有限"},
    "loss.falling_then_bad": {"en": "the loss fell at each of its {n} logged points, {a} → {b}, "
                                    "and was {word} at {at}: no climb before it",
                              "zh": "loss 在记录的 {n} 个点上每次都在下降（{a} → {b}），"
                                    "到{at}变成了 {word}：之前没有攀升"},
    "loss.falling_epochs_then_bad": {"en": "the loss fell in each of its {n} logged epochs, "
                                           "{a} → {b}, and was {word} at {at}: no epoch-on-epoch "
                                           "climb before it (a climb inside that epoch would not "
                                           "show)",
                                     "zh": "loss 在记录的 {n} 个 epoch 中每个都在下降（{a} → "
                                           "{b}），到{at}变成了 {word}：之前没有逐 epoch 的"
                                           "攀升（该 epoch 内部的攀升不会显示出来）"},
    "loss.usual_then_bad": {"en": "the loss was {value} at {at} ({ratio} its usual level), "
                                  "then {word} in the next logged update: no climb",
                            "zh": "loss 在{at}为 {value}（平常水平的 {ratio}），下一个记录的更新"
                                  "就变成了 {word}：之前没有攀升"},
    "loss.onset_per_epoch": {"en": "one log row per epoch: a climb to {word} inside an epoch "
                                   "would not show",
                             "zh": "日志每个 epoch 一行：一个 epoch 内攀升到 {word} 的过程看不到"},
    "loss.onset_short": {"en": "only {n} finite losses before the first {word}: too few to "
                               "know the usual level",
                         "zh": "第一个 {word} 之前只有 {n} 个有限的 loss：不足以判断平常水平"},
    "loss.onset_sparse": {"en": "the last finite loss was logged {gap} updates before the "
                                "first {word}: a climb in between would not show",
                          "zh": "最后一个有限 loss 记录在第一个 {word} 之前 {gap} 次更新：其间的"
                                "攀升看不到"},
    "loss.blew_up_at": {"en": "the loss, starting at {start}, stood at {value} at {at}: "
                              "{times}× its start or more for the first time",
                        "zh": "loss 起始为 {start}，在{at}达到 {value}：第一次达到起始值的 {times} "
                              "倍以上"},
    "loss.steady_then_bad": {"en": "its last {n} logged values before the first {word} "
                                   "({at}) sit steady between {low} and {high}: no climb, no "
                                   "swing, no spike before it",
                             "zh": "第一个 {word}（{at}）之前记录的最后 {n} 个值稳定在 {low} 到 "
                                   "{high} 之间：之前没有攀升、摆动或尖峰"},
    "loss.unsteady_then_bad": {"en": "its last {n} logged values before the first {word} "
                                     "({at}) move between {low} and {high}: not steady",
                               "zh": "第一个 {word}（{at}）之前记录的最后 {n} 个值在 {low} 到 "
                                     "{high} 之间变动：并不稳定"},
    "loss.climbed_to_bad": {"en": "the loss had climbed to {value} at {at} ({ratio} its "
                                  "usual level) before it became {word}",
                            "zh": "loss 在变成 {word} 之前已攀升到 {value}（{at}，平常水平的 "
                                  "{ratio}）"},
    "val.broke_after": {"en": "the validation loss turned NaN/inf after {n} finite "
                              "evaluation(s) and stayed so: the run did not stop while it "
                              "improved",
                        "zh": "验证 loss 在 {n} 次有限的评估之后变成 NaN/inf 并一直如此：训练"
                              "并不是在仍在改善时停止的"},
    "loss.finite_epochs_before": {
        "en": "{n} epoch(s) logged finite before the loss became {word} at {at}",
        "zh": "loss 在 {at} 变成 {word} 之前，日志中有 {n} 个 epoch 是有限值"},
    "loss.val_climbed_to_bad": {"en": "the validation loss {column} had climbed to {value} at "
                                      "{at} ({ratio} its first) by the time the training loss "
                                      "became {word} ({bad})",
                                "zh": "训练 loss 变成 {word}（{bad}）时，验证 loss {column} 已在 "
                                      "{at} 攀升到 {value}（第一次评估的 {ratio}）"},
    "loss.grad_climbed_to_bad": {"en": "the logged gradient norm had grown to {norm} ({ratio} "
                                       "its usual level) just before the loss became {word}",
                                 "zh": "loss 变成 {word} 之前，记录的梯度范数已增长到 {norm}"
                                       "（平常水平的 {ratio}）"},
    "val.acc_fell": {"en": "{column} ends clearly below where it started: from {a} to {b} "
                           "(medians of the first and last three evaluations)",
                     "zh": "{column} 最终明显低于起点：从 {a} 降到 {b}（最初三次与最后三次评估的"
                           "中位数）"},
    "val.acc_not_fell": {"en": "{column} goes from {a} to {b} (medians of the first and last "
                               "three evaluations): no clear fall",
                         "zh": "{column} 从 {a} 变为 {b}（最初三次与最后三次评估的中位数）："
                               "没有明显下降"},
    "grad.logged_first_over_last": {"en": "the log's {first} over its {last}: {ratio} (medians "
                                          "{a} and {b} over the last {n} rows that log both)",
                                    "zh": "日志中 {first} 与 {last} 之比：{ratio}（在同时记录两者"
                                          "的最后 {n} 行上，中位数分别为 {a} 和 {b}）"},
    "weights.first_layer_column_spread": {"en": "the first layer {layer} reads {n} input "
                                                "columns; the norm of column {high} is {spread} "
                                                "that of column {low}",
                                          "zh": "第一层 {layer} 读入 {n} 个输入列；第 {high} "
                                                "列的范数是第 {low} 列的 {spread}"},
    "grad.first_norm": {"en": "{column} was {value} at {at}, before any update",
                        "zh": "{column} 在{at}（任何更新之前）为 {value}"},
    "live.sweep_loss_scaled": {"en": "the learning-rate sweep trains with a mean loss, and the "
                                     "run's own loss took first steps {ratio} as large: the "
                                     "sweep cannot judge the run's rate",
                               "zh": "学习率扫描用的是均值 loss，而这次训练自己的 loss "
                                     "第一步的梯度是它的 {ratio}：扫描无法评判这次训练的学习率"},
    "live.update_loss_scaled": {"en": "one step measured with a mean loss's gradient, while the "
                                      "run's own loss took first steps {ratio} as large: the "
                                      "update ratio cannot judge the run's rate",
                                "zh": "一步更新是用均值 loss 的梯度测的，而这次训练自己的 "
                                      "loss 第一步的梯度是它的 {ratio}：更新比例无法评判这次训练的"
                                      "学习率"},
    "input.rows_normalised": {"en": "{stats}, yet each sample's features are non-negative and "
                                    "scaled to a {norm} of 1 (normalised per sample, as "
                                    "bag-of-words and graph-node features are)",
                              "zh": "{stats}，但每个样本的特征都非负，且被缩放到 {norm} 为 "
                                    "1（按样本归一化，词袋特征和图节点特征通常如此）"},
    "grad.no_first_norm": {"en": "the log records no gradient norm at the first step",
                           "zh": "日志没有记录第一步的梯度范数"},
    "grad.no_fresh_norm": {"en": "the freshly built model gets no finite gradient from a mean "
                                 "loss on the batch",
                           "zh": "新建模型在该 batch 上用均值 loss 得不到有限的梯度"},
    "grad.first_over_fresh": {"en": "the gradient norm logged at {at}, before any update, is "
                                     "{logged}: {ratio} the {fresh} the same freshly built "
                                     "model gets on the batch from a mean loss",
                               "zh": "{at}（任何更新之前）记录的梯度范数为 {logged}：是同一个新建"
                                     "模型在该 batch 上用均值 loss 得到的 {fresh} 的 {ratio}"},
    "grad.accumulates": {"en": "{column} grew {growth} and rose at {rising} of the logged "
                               "steps, by a median {change} per step over the second half: a "
                               "running sum, not one batch's gradient (those jitter by 5–15 % "
                               "from batch to batch)",
                         "zh": "{column} 增长了 {growth}，在 {rising} 的记录步上上升，后半程每步"
                               "变化的中位数仅 {change}：这是一个累加和，而不是单个 batch 的梯度"
                               "（后者在 batch 之间会波动 5–15%）"},
    "grad.not_accumulating": {"en": "{column} grew {growth} over the run, rising at {rising} "
                                    "of the logged steps, by a median {change} per step over "
                                    "the second half: one batch's gradient each step",
                              "zh": "{column} 在整个训练中变化为 {growth}，在 {rising} 的记录步上"
                                    "上升，后半程每步变化的中位数为 {change}：每步是单个 batch "
                                    "的梯度"},
    "loss.all_finite": {"en": "all {n} logged losses are finite",
                        "zh": "记录的 {n} 个 loss 都是有限值"},
    "loss.first_bad_kind": {"en": "the first loss that is not a number is {word} ({at})",
                            "zh": "第一个不是有限数的 loss 是 {word}（{at}）"},
    "loss.became": {"en": "loss first became {word} at {at}",
                    "zh": "loss 在{at}首次变成 {word}"},
    "weights.bn_stats_kept": {"en": "{k} of {n} BatchNorm layers with NaN/inf scale or shift "
                                     "({names}) kept finite running statistics: no forward "
                                     "pass in train mode ran after their weights blew up",
                               "zh": "{n} 个 scale 或 shift 为 NaN/inf 的 BatchNorm 层中有 {k} 个"
                                     "（{names}）的滑动统计量仍是有限值：权重炸掉之后没有在 "
                                     "train 模式下做过前向传播"},
    "weights.bn_stats_followed": {"en": "{k} of {n} BatchNorm layers with NaN/inf scale or "
                                        "shift have NaN/inf running statistics too: train-mode "
                                        "forwards ran after the blow-up",
                                  "zh": "{n} 个 scale 或 shift 为 NaN/inf 的 BatchNorm 层中有 "
                                        "{k} 个的滑动统计量也变成了 NaN/inf：炸掉之后仍在 train "
                                        "模式下做过前向传播"},
    "arch.unregistered": {"en": "layers held in a plain Python list or dict ({names}, {n} "
                                "parameters) are not registered: model.parameters() never "
                                "yields them, so the optimizer does not update them and "
                                "state_dict() does not save them",
                          "zh": "放在普通 Python list 或 dict 里的层（{names}，共 {n} 个参数）"
                                "没有注册：model.parameters() 不会返回它们，所以优化器不更新它们，"
                                "state_dict() 也不保存它们"},
    "arch.all_registered": {"en": "every layer the model holds is registered (no layers in a "
                                  "plain list or dict)",
                            "zh": "模型持有的每一层都已注册（没有放在普通 list 或 dict 里的层）"},
    "mode.gap": {"en": "on the batch of {n}, the trained model's loss is {eval} in eval mode "
                       "and {train} in train mode (BatchNorm on the batch's own statistics)",
                 "zh": "在这 {n} 个样本的 batch 上，训练后模型的 loss 在 eval 模式下为 {eval}，"
                       "在 train 模式下为 {train}（BatchNorm 使用该 batch 自身的统计量）"},
    "rnn.axis_right": {"en": "{name} (batch_first={first}) reads the batch's {samples} samples "
                             "on its batch axis and {length} steps on its time axis (and so does "
                             "every recurrent layer read): its recurrence runs along time, "
                             "within each sample",
                       "zh": "{name}（batch_first={first}）在 batch 轴上读到这批的 {samples} 个"
                             "样本、在时间轴上读到 {length} 步（读取的每个循环层都如此）："
                             "递归沿时间进行，在每个样本内部"},
    "rnn.axis_unread": {"en": "no torch recurrent layer read a plain (batch, time, features) "
                              "tensor with a batch size other than its length: which axis it "
                              "reads as the batch is not known",
                        "zh": "没有 torch 循环层读到批大小与序列长度不同的普通（batch, 时间, 特征）"
                              "张量：不知道它把哪个轴当作 batch"},
    "rnn.axis_wrong": {"en": "{name} (batch_first={first}) reads the batch's {samples} samples "
                             "on its time axis and {across} on its batch axis: its recurrence "
                             "runs across the samples",
                       "zh": "{name}（batch_first={first}）在时间轴上读到这批的 {samples} 个样本，"
                             "在 batch 轴上读到 {across}：递归在样本之间进行"},
    "mode.batch_stats": {"en": "on the batch of {n}, the trained model's loss is {eval} in eval "
                               "mode and {train} with its BatchNorm layers on the batch's own "
                               "statistics (dropout off)",
                         "zh": "在这 {n} 个样本的 batch 上，训练后模型的 loss 在 eval 模式下为 "
                               "{eval}，只让 BatchNorm 使用该 batch 自身的统计量（dropout 关闭）时"
                               "为 {train}"},
    "mode.batch_stats_acc": {"en": "on the batch of {n}, the trained model's loss is {eval} in "
                                   "eval mode and {train} with its BatchNorm layers on the "
                                   "batch's own statistics (dropout off); accuracy {eval_acc} "
                                   "against {train_acc}",
                             "zh": "在这 {n} 个样本的 batch 上，训练后模型的 loss 在 eval 模式下"
                                   "为 {eval}，只让 BatchNorm 使用该 batch 自身的统计量（dropout "
                                   "关闭）时为 {train}；准确率 {eval_acc} 对 {train_acc}"},
    "mode.gap_acc": {"en": "on the batch of {n}, the trained model's loss is {eval} in eval "
                           "mode and {train} in train mode (BatchNorm on the batch's own "
                           "statistics); accuracy {eval_acc} against {train_acc}",
                     "zh": "在这 {n} 个样本的 batch 上，训练后模型的 loss 在 eval 模式下为 "
                           "{eval}，在 train 模式下为 {train}（BatchNorm 使用该 batch 自身的"
                           "统计量）；准确率 {eval_acc} 对 {train_acc}"},
    "metric.acc_unjudged_before_nan": {
        "en": "too few evaluations before the loss first went NaN/inf ({at}) to tell whether "
              "accuracy fell as the loss fell; after it the weights answer whatever they learnt",
        "zh": "loss 第一次变成 NaN/inf（{at}）之前的评估太少，无法判断准确率是否随 loss 下降而"
              "下降；在那之后，权重给出的答案与学到了什么无关"},
    "loss.bce_by_own_name": {"en": "its name", "zh": "名字"},
    "loss.bce_by_val_name": {"en": "the name of {val} logged beside it",
                             "zh": "与它一同记录的 {val} 的名字"},
    "loss.bce_negative": {
        "en": "{column}, a binary cross-entropy by {by}, starts at {start} and goes down to "
              "{low}: below 0, which no output reaches while the targets lie in [0, 1]",
        "zh": "{column} 从{by}看是二元交叉熵，从 {start} 开始一路降到 {low}：低于 0，"
              "而目标在 [0, 1] 之内时任何输出都到不了 0 以下"},
    "loss.bce_negative_epoch": {
        "en": "{column}, a binary cross-entropy by {by}, averages {start} over the first "
              "epoch — above the {flipped} a flipped sign starts from (a fresh model's logits "
              "near 0 cost ln 2 whatever the label) — and goes down to {low}: below 0, which "
              "no output reaches while the targets lie in [0, 1]",
        "zh": "{column} 从{by}看是二元交叉熵，第一个 epoch 的均值为 {start}——高于符号取反时的起点 "
              "{flipped}（新模型的 logits 接近 0，无论标签如何代价都是 ln 2）——随后一路降到 {low}："
              "低于 0，而目标在 [0, 1] 之内时任何输出都到不了 0 以下"},
    "loss.bce_starts_negative": {
        "en": "{column}, a binary cross-entropy by {by}, is already below 0 at the start "
              "({start}; lowest {low})",
        "zh": "{column} 从{by}看是二元交叉熵，一开始就低于 0（{start}；最低 {low}）"},
    "loss.loss_negative": {
        "en": "{column} starts at {start} and goes down to {low}: below 0, which no output "
              "takes a cross-entropy to while its targets lie in the loss's range",
        "zh": "{column} 从 {start} 开始一路降到 {low}：低于 0，而目标在损失函数的取值范围内时，"
              "任何输出都不能让交叉熵变负"},
    "loss.loss_negative_epoch": {
        "en": "{column} averages {start} over the first epoch — above the {flipped} a flipped "
              "binary cross-entropy starts from (a fresh model's logits near 0 cost ln 2 "
              "whatever the label) — and goes down to {low}: below 0",
        "zh": "{column} 第一个 epoch 的均值为 {start}——高于符号取反的二元交叉熵的起点 {flipped}"
              "（新模型的 logits 接近 0，无论标签如何代价都是 ln 2）——随后一路降到 {low}：低于 0"},
    "loss.loss_starts_negative": {
        "en": "{column} is already below 0 at the start ({start}; lowest {low})",
        "zh": "{column} 一开始就低于 0（{start}；最低 {low}）"},
    "adam_input.column_off": {
        "en": "input column {column} of the batch has RMS {batch}, where the training inputs "
              "had {train} by {layer}'s Adam moments: {times} off, against the other columns",
        "zh": "batch 的第 {column} 列输入 RMS 为 {batch}，而按 {layer} 的 Adam 矩，训练输入在这一列"
              "只有 {train}：比其他列偏离了 {times}"},
    "adam_input.columns_on": {
        "en": "every input column of the batch is within {times} of where the training inputs "
              "were by {layer}'s Adam moments (column {column}: RMS {batch} against {train})",
        "zh": "按 {layer} 的 Adam 矩，batch 每一列输入与训练输入的差距都在 {times} 以内"
              "（第 {column} 列：RMS {batch}，训练时 {train}）"},
    "pad.steps_pull_nearest": {
        "en": "at the {share} of steps the mask beside the inputs marks as padding (target {pad}, "
              "about the real targets' mean) the trained model predicts {predicted} on average, "
              "against {nearest} for the nearest real step's target of each sequence: {pull} of "
              "the way to the padding's target",
        "zh": "在输入旁的 mask 标为 padding 的 {share} 步上（目标为 {pad}，约为真实目标的均值），"
              "训练后模型的平均预测为 {predicted}，而各序列最近的真实步目标均值为 {nearest}："
              "向 padding 目标靠拢了 {pull}"},
    "pad.steps_pull": {
        "en": "at the {share} of steps the mask beside the inputs marks as padding (target {pad}) "
              "the trained model predicts {predicted} on average, against {centre} for the real "
              "steps' targets: {pull} of the way to the padding's target",
        "zh": "在输入旁的 mask 标为 padding 的 {share} 步上（目标为 {pad}），"
              "训练后模型的平均预测为 {predicted}，而真实步的目标均值为 {centre}："
              "向 padding 目标靠拢了 {pull}"},
    "mode.logged_as_micro": {
        "en": "fed in train mode {size} at a time, the trained model's loss is {loss}, near the "
              "{logged} the log's training loss ends at, and {eval} in eval mode: the logged "
              "training loss is BatchNorm's on micro-batches that small, not the model's fit",
        "zh": "在 train 模式下每次喂 {size} 个样本时训练后模型的 loss 为 {loss}，"
              "与日志中训练 loss 的最终值 {logged} 相近，而 eval 模式下为 {eval}："
              "记录的训练 loss 是 BatchNorm 在这么小的微批次上的结果，而不是模型的拟合程度"},
    "mode.logged_not_micro": {
        "en": "the log's training loss ends at {logged}; fed in train mode {size} at a time the "
              "trained model scores {loss}, in eval mode {eval}: the logged loss is not what "
              "micro-batch BatchNorm gives",
        "zh": "日志中训练 loss 最终为 {logged}；在 train 模式下每次喂 {size} 个样本时训练后模型为 "
              "{loss}，eval 模式下为 {eval}：记录的 loss 不是微批次 BatchNorm 的结果"},
    "mode.tiny_batches": {"en": "fed in train mode {size} at a time (BatchNorm on each "
                                "micro-batch's own statistics), the trained model's loss on the "
                                "first {n} samples is {loss}; in eval mode {eval}",
                          "zh": "在 train 模式下每次只喂 {size} 个样本（BatchNorm 使用每个"
                                "微批次自身的统计量），训练后模型在前 {n} 个样本上的 loss 为 "
                                "{loss}；在 eval 模式下为 {eval}"},
    "mode.tiny_batches_acc": {"en": "fed in train mode {size} at a time (BatchNorm on each "
                                    "micro-batch's own statistics), the trained model's loss on "
                                    "the first {n} samples is {loss}, accuracy {acc}; in eval "
                                    "mode {eval}, accuracy {eval_acc}",
                              "zh": "在 train 模式下每次只喂 {size} 个样本（BatchNorm 使用每个"
                                    "微批次自身的统计量），训练后模型在前 {n} 个样本上的 loss "
                                    "为 {loss}，准确率 {acc}；在 eval 模式下 loss 为 {eval}，"
                                    "准确率 {eval_acc}"},
    "loss.high_while_accurate": {"en": "accuracy ends at {acc}, yet the training loss ends at "
                                       "{value}, above ln {k} = {guess}, what a uniform guess "
                                       "over {k} classes pays",
                                 "zh": "准确率最终为 {acc}，训练 loss 却停在 {value}，高于 "
                                       "ln {k} = {guess}（在 {k} 个类别上均匀乱猜的 loss）"},
    "loss.below_guess": {"en": "accuracy ends at {acc} and the training loss at {value}, below "
                               "ln {k} = {guess}, a uniform guess's",
                         "zh": "准确率最终为 {acc}，训练 loss 为 {value}，低于均匀乱猜的 "
                               "ln {k} = {guess}"},
    "loss.bad_rows_after": {"en": "training went on for {n} more logged rows after the loss "
                                  "first went {word}",
                            "zh": "loss 首次变成 {word} 之后，训练又继续了 {n} 个记录行"},
    "loss.bad_last_row": {"en": "the loss went {word} at the last logged row",
                          "zh": "loss 在最后一个记录行变成 {word}"},
    "loss.became_in_epoch": {"en": "loss first became {word} at {at}, a row that sums up a whole "
                                   "epoch: how many updates in, the log does not say",
                             "zh": "loss 在{at}首次变成 {word}，这一行汇总了整个 epoch："
                                   "日志没有说明那是第几次更新"},
    "target.labels": {"en": "the targets are labels ({dtype}), not values on a scale",
                      "zh": "目标是标签（{dtype}），不是有尺度的数值"},
    "input.sorted_slice": {"en": "{stats}: narrow, but the batch came sorted, so it is a slice "
                                 "of the data and its spread is not the data's",
                           "zh": "{stats}：范围很窄，但这个 batch 是排好序的，只是数据的一段，"
                                 "它的分布范围不代表整个数据"},
    "batch.targets_order": {"en": "the batch's {n} targets have a rank correlation of {rank} "
                                  "with their row (a shuffled batch's is near 0)",
                            "zh": "batch 的 {n} 个目标值与其行号的秩相关为 {rank}（打乱过的 "
                                  "batch 接近 0）"},
    "target.range": {"en": "regression targets range over [{low}, {high}]",
                     "zh": "回归目标值的范围是 [{low}, {high}]"},
    "target.model_unscales": {
        "en": "regression targets have mean {mean}, std {std}, and the model's outputs on the "
              "batch already sit on that scale (mean {out_mean}, std {out_std}): it un-scales "
              "its own output, so raw targets are its design",
        "zh": "回归目标的均值为 {mean}，标准差为 {std}，而模型在该 batch 上的输出已在这个尺度上"
              "（均值 {out_mean}，标准差 {out_std}）：模型自己把输出还原到原始尺度，原始目标是"
              "它的设计"},
    "target.stats": {"en": "regression targets have mean {mean}, std {std}, range [{low}, "
                           "{high}]",
                     "zh": "回归目标的均值为 {mean}，标准差为 {std}，范围 [{low}, {high}]"},
    "batch.coverage": {"en": "{k} of {n} classes in the batch of {size}; a shuffled batch would "
                             "hold about {expected}",
                       "zh": "大小为 {size} 的 batch 中有 {n} 个类别中的 {k} 个；打乱后的 batch "
                             "约有 {expected} 个"},
    "scheduler.per_batch": {"en": "the saved scheduler, whose settings count epochs, was "
                                  "stepped {steps} times in about {epochs} epochs",
                            "zh": "保存的调度器参数按 epoch 设定，却在约 {epochs} 个 epoch 中 "
                                  "step 了 {steps} 次"},
    "scheduler.every_update": {
        "en": "the saved scheduler, whose settings count epochs, was stepped {steps} times "
              "against the optimizer's {updates} updates — {periods} of its own periods — and "
              "its rate is {fall} of its start",
        "zh": "保存的调度器参数按 epoch 设定，却随优化器的 {updates} 次更新 step 了 {steps} "
              "次（相当于它自身周期的 {periods} 倍），学习率只剩起始值的 {fall}"},
    "scheduler.few_updates": {
        "en": "the saved scheduler was stepped {steps} times against the optimizer's {updates} "
              "updates: not with every batch",
        "zh": "保存的调度器 step 了 {steps} 次，而优化器更新了 {updates} 次：并非每个 batch "
              "都 step"},
    "scheduler.per_epoch": {"en": "the saved scheduler was stepped {steps} times in about "
                                  "{epochs} epochs: once per epoch",
                            "zh": "保存的调度器在约 {epochs} 个 epoch 中 step 了 {steps} 次："
                                  "每个 epoch 一次"},
    "scheduler.plan_unfinished": {"en": "the saved scheduler was planned for {planned} steps "
                                        "and stepped {steps} times in about {epochs} epochs: "
                                        "once per epoch, so its rate stayed near the start of "
                                        "its plan",
                                  "zh": "保存的调度器计划走 {planned} 步，约 {epochs} 个 epoch "
                                        "里只 step 了 {steps} 次：每个 epoch 一次，所以学习率一直"
                                        "停在计划的起点附近"},
    "scheduler.plan_on_track": {"en": "the saved scheduler was planned for {planned} steps and "
                                      "stepped {steps} times in about {epochs} epochs",
                                "zh": "保存的调度器计划走 {planned} 步，约 {epochs} 个 epoch 里 "
                                      "step 了 {steps} 次"},
    "val.never_beat_guess": {"en": "{name} is {lowest} at its lowest over {n} evaluations, never "
                                   "below ln {k} = {guess}, what a uniform guess over {k} "
                                   "classes pays",
                             "zh": "{name} 在 {n} 次评估中最低为 {lowest}，从未低于 ln {k} = "
                                   "{guess}（在 {k} 个类别上均匀乱猜的 loss）"},
    "val.best_first_guess": {
        "en": "{name} is lowest at its first evaluation, {first}, a uniform guess's ln {k} = "
              "{guess}, and never lower after",
        "zh": "{name} 在第一次评估时最低，为 {first}，即均匀乱猜的 ln {k} = {guess}，之后再没更低"},
    "val.best_not_first_guess": {
        "en": "{name} starts at {first} and is lowest at {lowest} (a uniform guess over {k} "
              "classes pays {guess}): not a guess that only got worse",
        "zh": "{name} 从 {first} 开始，最低为 {lowest}（对 {k} 类均匀乱猜的代价是 {guess}）："
              "并非从乱猜水平起只会变差"},
    "batch.token_labels_independent": {
        "en": "over the batch's {n} labelled positions, which token stands at a position says "
              "next to nothing about its label: mutual information {mi} nats, against {base} "
              "with the labels shuffled among the positions ({share} of the labels' entropy "
              "{h}, {k} classes)",
        "zh": "在 batch 的 {n} 个有标签的位置上，某位置是哪个 token 几乎说明不了它的标签："
              "互信息 {mi} nats，标签在位置间打乱后为 {base}"
              "（占标签熵 {h} 的 {share}，{k} 个类别）"},
    "batch.token_labels_follow": {
        "en": "over the batch's {n} labelled positions, the token at a position tells about its "
              "label: mutual information {mi} nats, against {base} with the labels shuffled "
              "({share} of the labels' entropy {h})",
        "zh": "在 batch 的 {n} 个有标签的位置上，位置上的 token 能说明它的标签：互信息 {mi} nats，"
              "标签打乱后为 {base}（占标签熵 {h} 的 {share}）"},
    "val.loss_low_at_chance": {
        "en": "{name} falls from {a} to {b}, below half of ln {k} = {guess} (a uniform guess), "
              "while validation accuracy ends at {acc}, no higher than its first {acc_first} "
              "and at chance ({chance}) for {k} classes",
        "zh": "{name} 从 {a} 降到 {b}，不到 ln {k} = {guess}（均匀乱猜）的一半，而验证准确率最终为 "
              "{acc}，不高于第一次的 {acc_first}，处在 {k} 类的随机水平（{chance}）"},
    "val.loss_low_acc_follows": {
        "en": "{name} falls from {a} to {b}, below half of ln {k} = {guess}, and validation "
              "accuracy ends at {acc} (first {acc_first}; chance {chance}): the two agree",
        "zh": "{name} 从 {a} 降到 {b}，不到 ln {k} = {guess} 的一半，验证准确率最终为 {acc}"
              "（第一次 {acc_first}；随机水平 {chance}）：两者一致"},
    "val.beat_guess": {"en": "{name} goes down to {lowest} over {n} evaluations, below ln {k} "
                             "= {guess}, a uniform guess's",
                       "zh": "{name} 在 {n} 次评估中降到 {lowest}，低于均匀乱猜的 ln {k} = "
                             "{guess}"},
    "optimizer.unheld_top_level": {"en": "the optimizer holds {held} of the checkpoint's {n} "
                                         "floating tensors; those it does not ({names}) sit at "
                                         "the model's top level, where registered buffers "
                                         "live: frozen or buffer cannot be told without the "
                                         "model (--model)",
                                   "zh": "优化器持有 checkpoint 中 {n} 个浮点张量里的 {held} 个；"
                                         "它没有持有的（{names}）位于模型顶层，那通常是注册的 "
                                         "buffer：没有模型（--model）就无法判断是被冻结还是 "
                                         "buffer"},
    "loss.batch_over_logged": {"en": "the model's {kind} loss on the batch of {n} is {task}; the "
                                    "log's training loss ends at {logged}",
                              "zh": "模型在这 {n} 个样本上的 {kind} loss 为 {task}；"
                                    "日志中的训练 loss 最终为 {logged}"},
    "loss.batch_over_val": {"en": "the model's {kind} loss on the batch of {n} is {task}; the "
                                 "log's validation loss ends at {val}",
                           "zh": "模型在这 {n} 个样本上的 {kind} loss 为 {task}；"
                                 "日志中的验证 loss 最终为 {val}"},
    "loss.batch_unexplained_share": {
        "en": "the model's squared error on the batch's {n} target values is {share} of their "
              "variance (R² = {r2})",
        "zh": "模型在这批 {n} 个目标值上的平方误差是其方差的 {share}（R² = {r2}）"},
    "loss.batch_task_over_guess": {"en": "the model's cross-entropy over its {k} classes on the "
                                        "batch is {task}; a uniform guess pays ln {k} = {guess}",
                                  "zh": "模型在这批样本上对其 {k} 个类别的交叉熵为 {task}；"
                                        "均匀乱猜为 ln {k} = {guess}"},
    "loss.logged_over_label_entropy": {
        "en": "the log's training loss ends at {logged}; a model that learnt only how often "
              "each class comes pays the entropy of the batch's labels, {h} (largest class "
              "{top}; a uniform guess over {k} pays {guess})",
        "zh": "日志中的训练 loss 最终为 {logged}；只学到各类别出现频率的模型付出的是这批标签的熵 "
              "{h}（最大类占 {top}；对 {k} 类均匀乱猜为 {guess}）"},
    "loss.labels_too_even": {
        "en": "the batch's labels are spread too evenly over the {k} classes for their shares' "
              "loss to differ from a uniform guess's",
        "zh": "这批标签在 {k} 个类别间分布太均匀，按类别占比猜测的 loss 与均匀乱猜无法区分"},
    "loss.match_logits": {"en": "the log's training loss ends at {logged}; the model's outputs "
                                "on the batch of {n} are probabilities, which cost {as_logits} "
                                "fed to a BCE that applies its own sigmoid and {as_probs} "
                                "scored as probabilities: the log matches the first",
                          "zh": "日志中的训练 loss 最终为 {logged}；模型在这 {n} 个样本上的输出是"
                                "概率，把它们交给自带 sigmoid 的 BCE 得 {as_logits}，按概率计算得 "
                                "{as_probs}：日志与前者相符"},
    "loss.match_probs": {"en": "the log's training loss ends at {logged}; the model's outputs "
                               "on the batch of {n} are probabilities, which cost {as_probs} "
                               "scored as probabilities and {as_logits} fed to a BCE with its "
                               "own sigmoid: the log matches the first",
                         "zh": "日志中的训练 loss 最终为 {logged}；模型在这 {n} 个样本上的输出是"
                               "概率，按概率计算得 {as_probs}，交给自带 sigmoid 的 BCE 得 "
                               "{as_logits}：日志与前者相符"},
    "config.dropout": {"en": "the model's {file} sets {setting} = {p}, the largest of {n} dropout "
                             "rates it names",
                       "zh": "模型的 {file} 设置了 {setting} = {p}，是其中 {n} 个 dropout 比例里"
                             "最大的"},
    "val.acc_last": {"en": "validation accuracy ends at {value} (median of the last three of "
                           "{n} evaluations)",
                     "zh": "验证准确率最终为 {value}（{n} 次评估中最后三次的中位数）"},
    "train.acc_last": {"en": "training accuracy ends at {value} (median of the last three of {n} "
                             "logged points)",
                       "zh": "训练准确率最终为 {value}（{n} 个记录点中最后三个的中位数）"},
    "val.acc_beat_chance_once": {
        "en": "validation accuracy's best two evaluations in a row (from evaluation {first}) "
              "both reach {level}; chance for {k} classes is {chance}, a clear beat {bar} or more",
        "zh": "验证准确率连续两次评估的最好成绩（从第 {first} 次评估起）都达到 "
              "{level}；{k} 个类别的随机水平为 {chance}，明显超过需 {bar} 以上"},
    "optimizer.memory_along_weights": {
        "en": "the {kind} state's gradient memory points along the weights themselves: cosine "
              "{median} (median over {n} weight matrices; {top} in {name}); a data gradient "
              "stays near 0",
        "zh": "{kind} 状态中记忆的梯度方向与权重本身一致：余弦 {median}（{n} 个权重矩阵的中位数；"
              "{name} 中为 {top}）；数据梯度的该值接近 0"},
    "val.one_class_share": {"en": "the one class predicted scores {mean} of the validation data; "
                                  "an even share of {k} classes is {even}",
                            "zh": "所预测的那一个类别占验证数据的 {mean}；"
                                  "{k} 个类别平均每类占 {even}"},
    "train_val.no_acc_pair": {"en": "the log has no training and validation accuracy to compare",
                              "zh": "日志中没有可比较的训练准确率和验证准确率"},
    "train_val.acc_gap": {"en": "training accuracy ends at {train}, validation accuracy at {val}: "
                                "{gap} apart",
                          "zh": "训练准确率最终为 {train}，验证准确率为 {val}：相差 {gap}"},
    "train.no_accuracy": {"en": "the log has no training accuracy column",
                          "zh": "日志中没有训练准确率这一列"},
    "train.acc_end": {"en": "training accuracy ends at {value}; chance for {k} classes is {chance}",
                      "zh": "训练准确率最终为 {value}；{k} 个类别的随机水平是 {chance}"},
    "lr.final_ratio": {"en": "the logged learning rate ends at {last}, from a peak of {peak}",
                       "zh": "记录的学习率最终为 {last}，峰值为 {peak}"},
    "metric.f1_below_acc": {"en": "{name} ends at {f1} while validation accuracy ends at {acc}: "
                                  "the accuracy is carried by the negatives",
                            "zh": "{name} 最终为 {f1}，而验证准确率最终为 {acc}：准确率靠的是负类"},
    "metric.rare_class_missed": {
        "en": "{name}, the lowest logged class recall, ends at {recall} while validation "
              "accuracy ends at {acc}: a class missed that often under that accuracy is at "
              "most {share} of the validation samples",
        "zh": "{name}（记录的各类召回率中最低的）最终为 {recall}，而验证准确率最终为 {acc}："
              "在这个准确率下一个类别被漏判这么多，它最多只占验证样本的 {share}"},
    "metric.class_recall_held": {
        "en": "{name}, the lowest logged class recall, ends at {recall}, validation accuracy "
              "at {acc}",
        "zh": "{name}（记录的各类召回率中最低的）最终为 {recall}，验证准确率为 {acc}"},
    "metric.f1_with_acc": {"en": "{name} ends at {f1}, validation accuracy at {acc}",
                           "zh": "{name} 最终为 {f1}，验证准确率为 {acc}"},
    "metric.loss_is_score": {"en": "the validation loss {loss} equals the score {score} at all "
                                    "{n} evaluations: the loss is the score itself",
                             "zh": "在全部 {n} 次评估中，验证 loss {loss} 都等于指标 {score}："
                                   "loss 就是这个指标本身"},
    "metric.loss_not_score": {"en": "the validation loss {loss} is not the score {score} ({n} "
                                    "evaluations compared)",
                              "zh": "验证 loss {loss} 不等于指标 {score}（比较了 {n} 次评估）"},
    "metric.score_collapses": {"en": "{score} sinks to {end} (best {top}) while the training "
                                     "loss falls from {a} to {b} (medians of the halves)",
                               "zh": "{score} 降到 {end}（最好时为 {top}），而训练 loss 从 {a} "
                                     "降到 {b}（前后两半的中位数）"},
    "metric.reward_falls": {"en": "the reward {reward} falls from {a} to {b} (medians of the "
                                  "first three and the last quarter of {n} logged points)",
                            "zh": "奖励 {reward} 从 {a} 降到 {b}（{n} 个记录点中前三个与后四分之一"
                                  "的中位数）"},
    "metric.reward_rises": {"en": "the reward {reward} rises from {a} to {b} (medians of the "
                                  "first three and the last quarter of {n} logged points): the "
                                  "policy learnt",
                            "zh": "奖励 {reward} 从 {a} 升到 {b}（{n} 个记录点中前三个与后四分之一"
                                  "的中位数）：策略学到了东西"},
    "metric.reward_holds": {"en": "the reward {reward} goes from {a} to {b} (medians of the first "
                                  "three and the last quarter of {n} logged points)",
                            "zh": "奖励 {reward} 从 {a} 到 {b}（{n} 个记录点中前三个与后四分之一"
                                  "的中位数）"},
    "metric.score_holds": {"en": "{score} reaches {top} and ends at {end} (training loss {a} → "
                                 "{b})",
                           "zh": "{score} 最高达到 {top}，最终为 {end}（训练 loss {a} → {b}）"},
    "train.acc_dips": {"en": "training accuracy is {value} at {where} while validation "
                             "accuracy is {val} — below chance ({chance} for {k} classes) on its "
                             "own batches while beating it on held-out data ({n} of {m} points)",
                       "zh": "{where} 训练准确率为 {value}，而验证准确率为 {val}——在自己的训练"
                             " batch 上低于随机水平（{k} 个类别为 {chance}），"
                             "在验证集上却高于它（{m} 个点中有 {n} 个）"},
    "train.acc_lowest": {"en": "training accuracy is never far below chance while validation "
                               "beats it (lowest {value} at {where}; chance for {k} classes "
                               "is {chance})",
                         "zh": "验证准确率高于随机水平时，训练准确率从未明显低于随机水平（最低为"
                               "{where} 的 {value}；{k} 个类别的随机水平是 {chance}）"},
    "metric.acc_falls": {"en": "validation accuracy falls from {a} to {b} (medians of the first "
                               "and last three evaluations) while the training loss falls",
                         "zh": "训练 loss 下降的同时，验证准确率从 {a} 降到 {b}（前三次与后三次"
                               "评估的中位数）"},
    "metric.db_falls": {"en": "{score}, a score in dB that grows with quality, falls from {a} "
                               "to {b} (medians of the first and last three evaluations) while "
                               "the training loss falls",
                         "zh": "训练 loss 下降的同时，{score}（以 dB 计、越高越好的指标）从 {a} "
                               "降到 {b}（前三次与后三次评估的中位数）"},
    "metric.db_not_falling": {"en": "{score}, a score in dB, goes from {a} to {b} (medians of "
                                    "the first and last three evaluations)",
                              "zh": "{score}（以 dB 计的指标）从 {a} 变为 {b}（前三次与后三次评估"
                                    "的中位数）"},
    "train.acc_rose": {"en": "{name} goes from {a} to {b} (medians of the first and last three "
                             "points): the training predictions got better",
                       "zh": "{name} 从 {a} 升到 {b}（前三个与后三个点的中位数）："
                             "训练集上的预测变好了"},
    "train.acc_not_rising": {"en": "{name} goes from {a} to {b} (medians of the first and last "
                                   "three points): no clear rise",
                             "zh": "{name} 从 {a} 变为 {b}（前三个与后三个点的中位数）："
                                   "没有明显上升"},
    "metric.acc_not_falling": {"en": "validation accuracy goes from {a} to {b} (medians of the "
                                     "first and last three evaluations): it does not fall as the "
                                     "training loss falls",
                               "zh": "验证准确率从 {a} 变为 {b}：并没有随着训练 loss 下降而下降"},
    "weights.unchanged": {"en": "{same} of the checkpoint's {n} parameter tensors are exactly "
                                "as the factory builds them",
                          "zh": "checkpoint 的 {n} 个参数张量中有 {same} 个与模型工厂新建时"
                                "完全相同"},
    "loss.bad_first_logged": {"en": "the first logged value, {at}, is already {word}: the steps "
                                    "before it are not logged, so whether the loss started as a "
                                    "number is not known",
                              "zh": "第一个记录的值（{at}）已经是 {word}：之前的步没有记录，"
                                    "无法知道 loss 一开始是否是有限值"},
    "loss.bad_first_epoch": {"en": "the first logged value, a whole epoch's, is already {word}: "
                                  "at which step of that epoch it went {word} is not logged",
                            "zh": "第一个记录值（整个 epoch 的汇总）已经是 {word}：日志没有记录该 "
                                  "epoch 中哪一步变成 {word}"},
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
    "loss.settles_flat": {"en": "the negative loss stays where it started: {a} → {b} (medians of "
                                "the first and last quarters), no run-off",
                          "zh": "负的 loss 一直停在起点附近：{a} → {b}（前四分之一与后四分之一的"
                                "中位数），没有持续下滑"},
    "loss.settles_below_kl": {
        "en": "the negative loss settles at {level}, far below {floor} = −1 − ln {k}, the least a "
              "KL divergence fed probabilities over {k} classes reaches: a loss without a lower "
              "bound stopped by a floor of its own (a log's eps), not a settled KL",
        "zh": "负的 loss 稳定在 {level}，远低于 {floor} = −1 − ln {k}（把概率传给 {k} 类 KL 散度时"
              "所能达到的最小值）：这是一个没有下界的 loss 被它自身的下限（log 里的 eps）挡住，"
              "而不是稳定下来的 KL"},
    "loss.below_floor": {"en": "the training loss goes down to {value} (median over a tenth of "
                               "the run), below {floor} = ln(1 + ({k} − 1)/e), the least a "
                               "cross-entropy over {k} classes can reach when fed probabilities",
                         "zh": "训练 loss 降到 {value}（按训练十分之一长度取中位数），低于 "
                               "{floor} = ln(1 + ({k} − 1)/e)，即把概率当作 logits 输入 {k} 类"
                               "交叉熵时能达到的最小值"},
    "loss.below_floor_any": {"en": "the training loss goes down to {value} (median over a tenth "
                                   "of the run), below {floor} = ln(1 + 1/e), the least a "
                                   "cross-entropy fed probabilities can reach over any number "
                                   "of classes (two gives the lowest)",
                             "zh": "训练 loss 降到 {value}（按训练十分之一长度取中位数），低于 "
                                   "{floor} = ln(1 + 1/e)，即把概率当作 logits 输入交叉熵时，"
                                   "无论多少类（两类最低）都能达到的最小值"},
    "loss.below_floor_once": {
        "en": "a logged loss reaches {value}, below ln(1 + (C − 1)/e) = {floor} for the "
              "checkpoint's {k} classes, where a cross-entropy fed probabilities stops: the "
              "loss is not held there",
        "zh": "记录的 loss 曾到 {value}，低于 {k} 个类别时的 ln(1 + (C − 1)/e) = {floor}"
              "（把概率输入交叉熵时 loss 停下的位置）：loss 并没有被卡在那里"},
    "loss.rests_on_floor_of_its_start": {
        "en": "{reading} — the class count read from the loss's start: its first value, "
              "{first} at {at}, is ln {k}, an untrained {k}-class classifier's",
        "zh": "{reading}——类别数由 loss 的起点读出：它的第一个值（{at}）{first} 等于 ln {k}，"
              "即未训练的 {k} 类分类器的 loss"},
    "loss.rests_on_floor": {"en": "accuracy ends at {acc}, yet the training loss ends at {value}, "
                                  "at or just above {floor} = ln(1 + ({k} − 1)/e): the least a "
                                  "cross-entropy over {k} classes can reach when fed "
                                  "probabilities",
                            "zh": "准确率最终达到 {acc}，训练 loss 却停在 {value}，即 {floor} "
                                  "= ln(1 + ({k} − 1)/e) 或略高处：把概率输入 {k} 类交叉熵时"
                                  "能达到的最小值"},
    "loss.val_rests_on_floor": {"en": "accuracy ends at {acc}, yet the validation loss ends at "
                                      "{value} (the training loss, with dropout on, at {train}), "
                                      "on {floor} = ln(1 + ({k} − 1)/e): the least a "
                                      "cross-entropy over {k} classes can reach when fed "
                                      "probabilities",
                                "zh": "准确率最终达到 {acc}，验证 loss 却停在 {value}"
                                      "（训练 loss 在 dropout 开启时为 {train}），正好是 "
                                      "{floor} = ln(1 + ({k} − 1)/e)：把概率输入 {k} 类"
                                      "交叉熵时能达到的最小值"},
    "loss.off_floor": {"en": "accuracy ends at {acc} and the training loss at {value}, away from "
                             "{floor} = ln(1 + ({k} − 1)/e), where a cross-entropy over {k} "
                             "classes fed probabilities stops",
                       "zh": "准确率最终为 {acc}，训练 loss 为 {value}，不在 {floor} = "
                             "ln(1 + ({k} − 1)/e)（把概率输入 {k} 类交叉熵时 loss 停下的位置）"},
    "loss.above_floor_any": {"en": "the training loss stays above {floor} = ln(1 + 1/e), the "
                                   "least a cross-entropy (over two classes or more, or a BCE "
                                   "per output) fed probabilities can reach (lowest level "
                                   "{value})",
                             "zh": "训练 loss 一直高于 {floor} = ln(1 + 1/e)，即把概率输入交叉熵"
                                   "（两类或更多类，或逐输出的二元交叉熵）时能达到的最小值（最低为"
                                   " {value}）"},
    "loss.above_floor": {"en": "the training loss stays above {floor} = ln(1 + ({k} − 1)/e), the "
                               "least a cross-entropy over {k} classes fed probabilities can "
                               "reach (lowest level {value})",
                         "zh": "训练 loss 一直高于 {floor} = ln(1 + ({k} − 1)/e)，即把概率输入 "
                               "{k} 类交叉熵时能达到的最小值（最低为 {value}）"},
    "val.train_above_best": {"en": "the training loss ends at {t}, no lower than the validation "
                                   "loss's best, {v}",
                             "zh": "训练 loss 最终为 {t}，并不低于验证 loss 的最佳值 {v}"},
    "val.train_below_best": {"en": "the training loss ends at {t}, below the validation loss's "
                                   "best, {v}",
                             "zh": "训练 loss 最终为 {t}，低于验证 loss 的最佳值 {v}"},
    "val.best_first": {"en": "the validation loss is lowest ({value}) at the first of its {n} "
                             "evaluations and never improves on it",
                       "zh": "验证 loss 在 {n} 次评估中的第一次就最低（{value}），之后再未变好"},
    "val.best_later": {"en": "the validation loss improves after its first evaluation (lowest "
                             "{value} of {n})",
                       "zh": "验证 loss 在第一次评估之后有所改善（{n} 次中最低为 {value}）"},
    "val.fall_unmeasured": {"en": "the validation loss has fewer than three finite evaluations, or "
                                   "one that is not positive: its fall is not measured",
                             "zh": "验证 loss 的有限评估少于三次，或有非正值：无法衡量它的下降"},
    "val.fell_from_first": {"en": "the validation loss fell from {first} at its first evaluation "
                                  "to {low} at its lowest, {share} down",
                            "zh": "验证 loss 从第一次评估的 {first} 降到最低的 {low}，"
                                  "下降了 {share}"},
    "val.rise_share": {"en": "the validation loss rose by {share} of the training loss's start "
                             "({start}) after its best",
                       "zh": "验证 loss 在最佳值之后上升了训练 loss 起点（{start}）的 {share}"},
    "val.rise_share_acc": {"en": "the validation loss rose by {share} of the training loss's "
                                 "start ({start}) after its best; validation accuracy fell by "
                                 "{drop} over the same stretch",
                           "zh": "验证 loss 在最佳值之后上升了训练 loss 起点（{start}）的 "
                                 "{share}；同期验证准确率下降了 {drop}"},
    "val.rise_share_acc_up": {"en": "the validation loss rose by {share} of the training loss's "
                                    "start ({start}) after its best; validation accuracy rose "
                                    "by {rise} over the same stretch",
                              "zh": "验证 loss 在最佳值之后上升了训练 loss 起点（{start}）的 "
                                    "{share}；同期验证准确率反而上升了 {rise}"},
    "val.generalised_then_turned": {
        "en": "the validation loss lost {gained} of its first value before it turned up, "
              "{late} of the way through the evaluations",
        "zh": "验证 loss 在回升之前比第一次评估下降了 {gained}，回升发生在全部评估的 {late} 处"},
    "val.generalised_then_turned_acc": {
        "en": "the validation loss lost {gained} of its first value before it turned up, "
              "{late} of the way through the evaluations; validation accuracy ends at {end} "
              "against {at} at the loss's best",
        "zh": "验证 loss 在回升之前比第一次评估下降了 {gained}，回升发生在全部评估的 {late} 处；"
              "验证准确率最终为 {end}，loss 最佳时为 {at}"},
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
    "loss.no_peak": {"en": "the smoothed loss never rises above its initial level {initial} "
                           "(highest {peak})",
                     "zh": "平滑后的 loss 从未超过初始水平 {initial}（最高 {peak}）"},
    "loss.short_only_falls": {"en": "the loss only falls over the {n} logged points, from "
                                    "{first} to {last}: never above its first value",
                              "zh": "在记录的 {n} 个点上 loss 只降不升，从 {first} 到 {last}："
                                    "从未超过第一个值"},
    "loss.blew_up_first": {"en": "the first logged training loss is {a}, {times} the first "
                                 "validation loss ({v}), and the two end at {b} and {w}: the "
                                 "training loss blew up before the first evaluation and came "
                                 "back",
                           "zh": "第一个记录的训练 loss 是 {a}，是第一次验证 loss（{v}）的 "
                                 "{times}，而两者最后分别是 {b} 和 {w}：训练 loss 在第一次评估"
                                 "之前就爆炸了，之后又回落"},
    "loss.no_first_blowup": {"en": "the first logged training loss is {a} against a first "
                                   "validation loss of {v} ({times}); they end at {b} and {w}",
                             "zh": "第一个记录的训练 loss 是 {a}，第一次验证 loss 是 {v}"
                                   "（{times}）；两者最后分别是 {b} 和 {w}"},
    "loss.one_output_raw": {"en": "a one-output model with no accuracy logged (a regressor) "
                                  "starts at a loss of {a}, {limit} or more: its targets are "
                                  "in raw units",
                            "zh": "单输出、没有记录准确率的模型（回归）起始 loss 为 {a}，不低于 "
                                  "{limit}：目标值是原始单位"},
    "loss.one_output_came_back": {"en": "a one-output model with no accuracy logged starts at a "
                                        "loss of {a} but ends at {b}, {times} lower and at "
                                        "unit scale: no targets are fitted that closely, so "
                                        "the start was steps that blew up and came back, not "
                                        "raw units",
                                  "zh": "单输出、没有记录准确率的模型起始 loss 为 {a}，"
                                        "最后却降到 {b}，低了 {times}，落在单位尺度：没有哪种"
                                        "目标能拟合得这么准，所以起点是更新步爆炸后又回落，"
                                        "而不是原始单位"},
    "loss.one_output_scaled": {"en": "a one-output model with no accuracy logged starts at a "
                                     "loss of {a}, under {limit}",
                               "zh": "单输出、没有记录准确率的模型起始 loss 为 {a}，低于 {limit}"},
    "loss.part_rises": {"en": "{up} rises from {a} to {b} while {down} falls from {c} to {d} "
                              "under the same optimizer",
                        "zh": "在同一个优化器下，{up} 从 {a} 升到 {b}，而 {down} 从 {c} 降到 {d}"},
    "loss.parts_move_together": {"en": "no part of the loss ({columns}) climbs while another "
                                       "falls",
                                 "zh": "loss 的各部分（{columns}）没有一部分上升而另一部分下降"},
    "batch.time_major": {"en": "a recurrent layer built sequence-first (batch_first=False) reads "
                               "the batch file's first axis, {n} long, as time and its second "
                               "as {batch} sequences: halves of that axis are halves of every "
                               "sequence, so whether samples mix is not read",
                         "zh": "一个按序列优先构建（batch_first=False）的循环层把 batch 文件的"
                               "第一维（长 {n}）当作时间、第二维当作 {batch} 条序列：把这一维"
                               "切成两半就是把每条序列切成两半，因此不判断样本是否相互混合"},
    "batch.random_forward": {"en": "two passes over the same batch of {n} in eval mode give "
                                   "different outputs (the model samples at random, as a VAE "
                                   "does): whether samples mix cannot be read",
                             "zh": "eval 模式下对同一个 {n} 样本的 batch 前向两次，输出不同"
                                   "（模型内部随机采样，如 VAE）：无法判断样本之间是否混合"},
    "output.mass_log": {
        "en": "the model's outputs are log-probabilities (all ≤ 0) over {classes} classes, and "
              "their exponentials sum to {mass} per sample (mean over {n}); 1 when each sample "
              "is normalised over its classes",
        "zh": "模型的输出是 {classes} 个类别上的对数概率（全部 ≤ 0），每个样本的 exp 之和平均为 "
              "{mass}（{n} 个样本）；若每个样本在自己的类别上归一化，应为 1"},
    "output.mass_prob": {
        "en": "the model's outputs are probabilities (all in [0, 1]) over {classes} classes "
              "that sum to {mass} per sample (mean over {n}); 1 when each sample is "
              "normalised over its classes",
        "zh": "模型的输出是 {classes} 个类别上的概率（全部在 [0, 1] 内），每个样本之和平均为 "
              "{mass}（{n} 个样本）；若每个样本在自己的类别上归一化，应为 1"},
    "batch.mixed": {"en": "in eval mode a half's {k} samples' outputs change by {change} of "
                          "their size when the other {k} are left out of the batch of {n}: each "
                          "sample's output depends on the rest of the batch",
                    "zh": "eval 模式下，从 {n} 个样本的 batch 中去掉另一半 {k} 个，这一半 {k} 个"
                          "样本的输出变化了其大小的 {change}：每个样本的输出依赖于 batch 中的"
                          "其他样本"},
    "batch.mixed_in_library": {
        "en": "in eval mode a half's {k} samples' outputs change by {change} of their size "
              "when the other {k} are left out of the batch of {n}, but the model is the "
              "library's own {name}, built by its code, not the user's: its batch dependence "
              "(an approximation over the whole batch, as Nyströmformer's pseudo-inverse "
              "starts from the largest column sum in the batch) is the library's design",
        "zh": "eval 模式下，从 {n} 个样本的 batch 中去掉另一半 {k} 个，这一半样本的输出变化了其"
              "大小的 {change}；但模型是库自带的 {name}，由库的代码构建而非用户代码：它对 batch "
              "的依赖（例如 Nyströmformer 的伪逆从整个 batch 中最大的列和开始迭代）是库本身的设计"},
    "batch.not_mixed": {"en": "in eval mode each half's {k} samples' outputs are the same fed "
                              "alone as fed with the other {k} (change {change}): samples are "
                              "mapped one by one",
                        "zh": "eval 模式下，每一半 {k} 个样本单独输入与和另外 {k} 个一起输入时输出"
                              "相同（变化 {change}）：样本是逐个映射的"},
    "grad.none_share": {"en": "the {n} parameter tensors without a gradient hold {share} of the "
                              "model's trainable weights",
                        "zh": "没有梯度的 {n} 个参数张量占模型可训练权重的 {share}"},
    "loss.initial_not_positive": {"en": "initial loss is not positive",
                                  "zh": "初始 loss 不是正数"},
    "loss.level": {"en": "loss level goes from {a} to {b}", "zh": "loss 水平从 {a} 变为 {b}"},
    "loss.fell": {"en": "loss level falls from {a} to {b} ({drop} lower)",
                  "zh": "loss 水平从 {a} 降到 {b}（低了 {drop}）"},
    "val.jumps_at_restarts": {"en": "validation jumps while training improves, and the "
                                    "schedule restarts the learning rate {n} time(s): each "
                                    "restart makes such jumps, so oscillation beyond them is "
                                    "not told",
                              "zh": "训练在变好时验证指标跳动，而调度器把学习率重启了 {n} 次："
                                    "每次重启都会造成这样的跳动，所以看不出除此之外是否震荡"},
    "loss.barely_moves": {"en": "loss level barely moves: from {a} to {b} ({drop} lower)",
                          "zh": "loss 水平几乎不变：从 {a} 到 {b}（只低了 {drop}）"},
    "loss.barely_moves_up": {"en": "loss level barely moves: from {a} to {b} ({drop} higher)",
                             "zh": "loss 水平几乎不变：从 {a} 到 {b}（只高了 {drop}）"},
    "loss.flat_after_start": {
        "en": "after its first steps the loss stays flat near {b} (from {a} at the start, "
              "{drop} lower in all)",
        "zh": "最初几步之后 loss 一直停在 {b} 附近（开始时为 {a}，总共只低了 {drop}）"},
    "loss.flat_after_start_up": {
        "en": "after its first steps the loss stays flat near {b} (from {a} at the start, "
              "{rise} higher in all)",
        "zh": "最初几步之后 loss 一直停在 {b} 附近（开始时为 {a}，总共高了 {rise}）"},
    "loss.linear": {
        "en": "first half of training drops {ratio} as much as the second; straight-line fit "
              "R²={r2}",
        "zh": "训练前半段的下降量是后半段的 {ratio}；直线拟合 R²={r2}"},
    "loss.halves_uneven": {"en": "the two halves of training do not both lower the loss; "
                                 "straight-line fit R²={r2}",
                           "zh": "训练的前后两半并没有都让 loss 下降；直线拟合 R²={r2}"},
    "loss.end_share": {"en": "the last fifth of the steps made {share} of the loss's whole fall",
                       "zh": "最后五分之一的步数贡献了 loss 总降幅的 {share}"},
    "loss.scatter": {"en": "step-to-step scatter is {share} of the loss level",
                     "zh": "相邻步之间的波动是 loss 水平的 {share}"},
    "loss.scatter_range": {"en": "step-to-step scatter is {share} of the range the loss covers "
                                 "(it crosses 0, so it has no level to compare with)",
                           "zh": "相邻步之间的波动是 loss 变化范围的 {share}（loss 穿过 0，没有"
                                 "可比较的水平）"},
    "loss.below": {"en": "loss below {limit} from {at}", "zh": "从{at}起 loss 低于 {limit}"},
    "loss.ends": {"en": "loss ends at {value}", "zh": "loss 最终为 {value}"},
    "loss.spikes": {"en": "{n} spikes, first at {at}", "zh": "{n} 个尖峰，第一个在{at}"},
    "loss.one_spike": {"en": "one spike, at {at}", "zh": "1 个尖峰，在{at}"},
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
    "loss.climb": {"en": "the loss climbed from its first logged value, {base}, to {top} "
                         "({ratio}) and stood at least {factor}× above it for {n} logged points, "
                         "from {start} to {end}; it ends at {final}",
                   "zh": "loss 从第一个记录值 {base} 升到 {top}（{ratio}），并在 {n} 个记录点上"
                         "保持在它的 {factor} 倍以上（从{start}到{end}）；最终为 {final}"},
    "loss.no_climb": {"en": "the loss never stood {factor}× above its first logged value for "
                            "several logged points and came back",
                      "zh": "loss 从未在多个记录点上保持在第一个记录值的 {factor} 倍以上后又回落"},
    "loss.climb_too_short": {"en": "fewer than 4 finite logged losses: too few to see a climb",
                             "zh": "有限的 loss 记录少于 4 个：太少，看不出是否爬升"},
    "loss.one_spike_count": {"en": "one sudden loss spike in {total} logged steps",
                             "zh": "记录的 {total} 步中有 1 个 loss 尖峰"},
    "loss.spike_count": {"en": "{n} sudden loss spikes in {total} logged steps",
                         "en_one": "1 sudden loss spike in {total} logged steps",
                         "zh": "记录的 {total} 步中有 {n} 个 loss 尖峰"},
    "grad.spikes_matched": {"en": "{k} of {n} loss spikes come with a gradient-norm spike",
                            "zh": "{n} 个 loss 尖峰中有 {k} 个伴随梯度范数尖峰"},
    "train.last_step": {"en": "last logged step of {file}", "zh": "{file} 中记录的最后一步"},
    "train.last_epoch": {"en": "last logged epoch of {file} (one row per epoch: at least "
                               "that many optimizer steps)",
                         "zh": "{file} 中记录的最后一个 epoch（每个 epoch 一行：优化器至少走了"
                               "这么多步）"},
    # ------------------------------------------------------------ validation, lr
    "val.near_min": {"en": "validation loss ends at {end}, near its minimum {low}",
                     "zh": "验证 loss 最终为 {end}，接近其最小值 {low}"},
    "val.rose_train_did_not_fall": {
        "en": "validation loss ends at {end}, well above its minimum {low}, but the training "
              "loss does not keep falling",
        "zh": "验证 loss 最终为 {end}，远高于其最小值 {low}，但训练 loss 并没有持续下降"},
    "val.no_finite": {"en": "no finite validation loss", "zh": "没有有限的验证 loss"},
    "val.acc_below_guess": {"en": "validation accuracy ends at {final}, under half of a guess's "
                                  "{chance} ({k} choices), while the training loss fell from "
                                  "{a} to {b}",
                            "zh": "验证准确率最终为 {final}，不到乱猜（{k} 选 1）的 {chance} "
                                  "的一半，而训练 loss 从 {a} 降到了 {b}"},
    "val.acc_not_below_guess": {"en": "validation accuracy ends at {final}; a guess among {k} "
                                      "gets {chance}",
                                "zh": "验证准确率最终为 {final}；{k} 选 1 乱猜为 {chance}"},
    "val.acc_chance": {"en": "validation accuracy ends at {final}; chance for {k} classes is "
                             "{chance}",
                       "zh": "验证准确率最终为 {final}；{k} 个类别的随机水平是 {chance}"},
    "val.acc_chance_at": {"en": "validation accuracy ends at {final}, at or below chance for {k} "
                                "classes ({chance})",
                          "zh": "验证准确率最终为 {final}，不高于 {k} 个类别的随机水平 {chance}"},
    "val.acc_prior": {"en": "validation accuracy ends at {final}; chance is {chance} (the share "
                            "of the largest of {k} classes in the batch: imbalanced)",
                      "zh": "验证准确率最终为 {final}；随机水平为 {chance}，"
                            "即 batch 中 {k} 个类别里最大类别所占的比例（类别不平衡）"},
    "val.acc_prior_unsure": {
        "en": "validation accuracy ends at {final}, below {chance}, the share of the largest of "
              "{k} classes in the batch, but above {floor}, as low as the held-out data's share "
              "plausibly is with a batch that size: chance level unsure",
        "zh": "验证准确率最终为 {final}，低于 batch 中 {k} 个类别里最大类别的占比 {chance}，"
              "但高于 {floor}——按这样大小的 batch，留出数据中该类别的占比可能低至此值：是否处于"
              "随机水平无法确定"},
    "val.acc_prior_at": {"en": "validation accuracy ends at {final}, at or below chance "
                               "{chance} (the share of the largest of {k} classes in the batch: "
                               "imbalanced)",
                         "zh": "验证准确率最终为 {final}，不高于随机水平 {chance}（batch 中 {k} "
                               "个类别里最大类别所占的比例，类别不平衡）"},
    "log.no_epochs": {"en": "the log has no epoch column", "zh": "日志中没有 epoch 列"},
    "log.val_column": {"en": "validation column '{name}'", "zh": "验证列“{name}”"},
    "log.no_validation": {"en": "no validation column in the log", "zh": "日志中没有验证列"},
    "val.not_rising": {"en": "validation loss does not rise", "zh": "验证 loss 没有上升"},
    "val.acc_moves": {"en": "validation accuracy moves from {a} to {b}",
                      "zh": "验证准确率从 {a} 变为 {b}"},
    "val.acc_multi_label_unsure": {
        "en": "validation accuracy moves from {a} to {b}, a gain of {gain} under a BCE over "
              "several labels: too little to tell from chance, which such an accuracy (per "
              "label or exact match) has none known for",
        "zh": "在多标签 BCE 下，验证准确率从 {a} 变为 {b}，只提高了 {gain}："
              "这样的准确率（逐标签或完全匹配）没有已知的随机水平，这点提高不足以与随机水平区分"},
    "val.below_train": {"en": "validation loss over training loss is at most {high} at all {n} "
                              "evaluations",
                        "zh": "{n} 次评估中，验证 loss 与训练 loss 之比最多为 {high}"},
    "val.gap_first_scale": {
        "en": "at the first evaluation, {at}, validation loss is above the training loss by "
              "{first} times the training loss's own scale ({scale}, a loss that crosses 0 has no "
              "ratio); the gap stays between {low} and {high} scales over {n} evaluations",
        "zh": "第一次评估时，即{at}，验证 loss 比训练 loss 高出训练 loss 自身尺度（{scale}，"
              "跨过 0 的 loss 没有比值）的 {first} 倍；{n} 次评估中差距在 {low} 到 {high} "
              "个尺度之间"},
    "val.gap_closing": {
        "en": "{words}; but by {at} the validation loss had fallen {val} from its first value, "
              "the training loss {train}: validation learnt what training taught, the first "
              "evaluation's gap closed",
        "zh": "{words}；但到{at}时验证 loss 已比第一次下降 {val}，训练 loss 下降 {train}："
              "验证集学到了训练教的东西，第一次评估时的差距在缩小"},
    "val.no_first_ratio": {
        "en": "the first evaluation has no ratio to the training loss (a loss at or below 0, "
              "or no training loss logged before it)",
        "zh": "第一次评估与训练 loss 之间没有比值（loss 不大于 0，或此前没有记录训练 loss）"},
    "val.first_eval_over_train": {
        "en": "at the first evaluation the validation loss is {first} the training loss; at "
              "the last, {end}",
        "zh": "第一次评估时验证 loss 是训练 loss 的 {first}；最后一次是 {end}"},
    "val.gap_first": {
        "en": "at the first evaluation, {at}, validation loss is {first} the training loss; "
              "the ratio stays between {low} and {high} over {n} evaluations",
        "zh": "第一次评估时，即{at}，验证 loss 是训练 loss 的 {first}；{n} 次评估中这个比值在 "
              "{low} 到 {high} 之间"},
    "train_val.gap": {"en": "the validation loss's level at the end, {v}, is {ratio} the training "
                            "loss's, {t}",
                      "zh": "结束时验证 loss 的水平 {v} 是训练 loss 水平 {t} 的 {ratio}"},
    "train_val.gap_over_zero": {
        "en": "the training loss is logged as 0 at the end, below the smallest positive value "
              "the log printed ({floor}), and the validation loss ends at {v}: at least {ratio} "
              "the training loss",
        "zh": "训练 loss 最终记录为 0，低于日志记录过的最小正值 {floor}，而验证 loss 最终为 {v}："
              "至少是训练 loss 的 {ratio}"},
    "train_val.gap_over_start": {"en": "validation ends at {v}, the training loss at {t}: the "
                                       "gap is {share} of the loss at the start, {a}",
                                 "zh": "验证 loss 最终为 {v}，训练 loss 为 {t}：差距是起始 loss "
                                       "{a} 的 {share}"},
    "train_val.gap_over_first_epoch": {
        "en": "validation ends at {v}, the training loss at {t}: the gap is {share} of {a}, the "
              "mean loss of the first epoch (which began untrained)",
        "zh": "验证 loss 最终为 {v}，训练 loss 为 {t}：差距是第一个 epoch 平均 loss {a}（该 epoch "
              "从未训练的模型开始）的 {share}"},
    "train_val.gap_over_first_row": {
        "en": "validation ends at {v}, the training loss at {t}: the gap is {share} of {a}, the "
              "loss of the first logged row (step {step}, written after a stretch that began "
              "untrained)",
        "zh": "验证 loss 最终为 {v}，训练 loss 为 {t}：差距是第一条记录（第 {step} 步，"
              "在一段从未训练的模型开始的训练之后写下）的 loss {a} 的 {share}"},
    "train_val.gap_over_guess": {"en": "validation ends at {v}, the training loss at {t}: the "
                                       "gap is {share} of {guess} = ln {k}, a guess's loss (the "
                                       "log starts lower, at {a}, after the model had learnt)",
                                 "zh": "验证 loss 最终为 {v}，训练 loss 为 {t}：差距是随机猜测的 "
                                       "loss {guess} = ln {k} 的 {share}（日志起点更低，为 {a}，"
                                       "那时模型已经学过）"},
    "train_val.density_no_floor": {"en": "train {t} and validation {v} are close (start {a}), "
                                         "but {column} is a density's negative log-likelihood: "
                                         "its floor is the data's entropy, not 0, so the level "
                                         "does not say whether it is high",
                                   "zh": "训练 {t} 与验证 {v} 接近（起始 {a}），但 {column} 是"
                                         "密度的负对数似然：它的下限是数据的熵而不是 0，"
                                         "因此无法据此判断它是否偏高"},
    "loss.changes_sign": {
        "en": "after the first quarter of the log, {below} of the loss's points are below zero "
              "and {above} above it, crossing zero {n} times",
        "zh": "在日志的前四分之一之后，loss 有 {below} 的点低于 0、{above} 高于 0，"
              "穿过 0 共 {n} 次"},
    "loss.keeps_sign": {
        "en": "after the first quarter of the log, {below} of the loss's points are below zero "
              "and {above} above it ({n} crossings of zero)",
        "zh": "在日志的前四分之一之后，loss 有 {below} 的点低于 0、{above} 高于 0"
              "（穿过 0 共 {n} 次）"},
    "train_val.high_but_accurate": {
        "en": "levels at the end: train loss {t}, validation {v} (train loss at the start {a}), "
              "but {column} ends at {acc}: the loss rests on its own floor, the model fits",
        "zh": "结束时的水平：训练 loss {t}，验证 loss {v}（训练 loss 起始 {a}），但 {column} "
              "结束于 {acc}：loss 停在它自身的下限上，模型是拟合的"},
    "train_val.finals_start": {"en": "levels at the end: train loss {t}, validation {v}; train "
                                     "loss at the start {a}",
                               "zh": "结束时的水平：训练 loss {t}，验证 loss {v}；训练 loss "
                                     "起始水平 {a}"},
    "train_val.finals": {"en": "levels at the end: train loss {t}, validation {v}",
                         "zh": "结束时的水平：训练 loss {t}，验证 loss {v}"},
    "lr.goes": {"en": "learning rate goes from {a} (peak {peak}) to {b}",
                "zh": "学习率从 {a}（最高 {peak}）变为 {b}"},
    "lr.warming_to_end": {"en": "the learning rate climbs from {a} to {b} and is still "
                                "rising at the last of {n} logged points: the warm-up never "
                                "ended",
                          "zh": "学习率从 {a} 升到 {b}，到 {n} 个记录点的最后一个仍在上升："
                                "预热从未结束"},
    "loss.all_exactly_zero": {"en": "all {n} logged training losses ({column}) are exactly 0, "
                                    "from the first",
                              "zh": "记录的全部 {n} 个训练 loss（{column}）从第一个起都恰好为 0"},
    "loss.not_all_zero": {"en": "the training loss ({column}) is not exactly 0 throughout",
                          "zh": "训练 loss（{column}）并非始终恰好为 0"},
    "runtime.step_time_grows": {"en": "the logged time per step ({column}) climbs within "
                                      "each of {n} epochs and drops back at the next (the "
                                      "first: {a} → {b})",
                                "zh": "记录的每步耗时（{column}）在 {n} 个 epoch 的每一个里都在"
                                      "上升，到下一个 epoch 又回落（第一个：{a} → {b}）"},
    "runtime.step_time_steady": {"en": "the logged time per step ({column}) climbs within {k} "
                                       "of {n} epochs, not in each with a drop at the next",
                                 "zh": "记录的每步耗时（{column}）只在 {n} 个 epoch 中的 {k} 个"
                                       "里上升，并非每个都上升且在下一个回落"},
    "val.metric_by_middle": {"en": "{column} goes from {a} to {mid} by the middle of {n} "
                                    "evaluations and {b} at best: {share} of its gain made by "
                                    "then",
                             "zh": "{column} 在 {n} 次评估的前一半里从 {a} 升到 {mid}，最好为 {b}："
                                   "到那时已完成其增益的 {share}"},
    "val.metric_little_gain": {"en": "{column} goes from {a} to {b} at best: too little gain to "
                                      "tell whether it levelled off",
                               "zh": "{column} 从 {a} 最多升到 {b}：增益太小，"
                                     "看不出是否已趋于平稳"},
    "grad.norm_growth": {"en": "the logged gradient norm goes from {first} at first to {peak} "
                                "at {at} ({ratio} its start)",
                         "zh": "记录的梯度范数从起初的 {first} 升到 {at} 的 {peak}"
                               "（起点的 {ratio}）"},
    "grad.norm_turns_non_finite": {"en": "the logged gradient norm, {first} at first, turns "
                                         "inf/NaN at {at}",
                                   "zh": "记录的梯度范数起初为 {first}，在 {at} 变成 inf/NaN"},
    "lr.warmup_done": {"en": "the learning rate does not climb all the way to the end of the "
                             "log (from {a} to {b} over {n} points)",
                       "zh": "学习率并没有一路升到日志结束（{n} 个点中从 {a} 到 {b}）"},
    "loss.never_finite": {"en": "every one of the {n} logged training losses is {word}, "
                                "from the first on",
                          "zh": "记录的 {n} 个训练 loss 从第一个起全部是 {word}"},
    "train_val.blew_up": {"en": "the training loss ends as {word}: a gap between validation and "
                                "the training loss of a run that blew up says nothing about the "
                                "data, so the two are not compared",
                          "zh": "训练 loss 最终变成了 {word}：一次已经发散的训练，"
                                "其验证与训练 loss 之间的差距说明不了数据的问题，因此不作比较"},
    "train_val.squared_beside_linear": {
        "en": "the training loss ({train}) is an error squared (in the target's units squared), "
              "the validation column ({val}) one in the target's own units: their levels are "
              "not compared",
        "zh": "训练 loss（{train}）是平方误差（目标单位的平方），验证列（{val}）是目标原单位的"
              "误差：两者的数值不做比较"},
    "train_val.linear_beside_squared": {
        "en": "the training loss ({train}) is an error in the target's own units, the "
              "validation column ({val}) one squared (in the target's units squared): their "
              "levels are not compared",
        "zh": "训练 loss（{train}）是目标原单位的误差，验证列（{val}）是平方误差（目标单位的"
              "平方）：两者的数值不做比较"},
    "val.acc_swings": {
        "en": "once the training accuracy reached 0.99, {name} still jumped by a median {jump} "
              "between evaluations ({n} of them, from {low} to {high}): the weights barely "
              "move by then, so something else changes between evaluations",
        "zh": "训练准确率达到 0.99 之后，{name} 在相邻评估之间的跳动中位数仍有 {jump}（共 {n} "
              "次，{low} 到 {high}）：此时权重几乎不再变化，说明评估之间还有别的东西在变"},
    "val.acc_steady": {
        "en": "once the training accuracy reached 0.99, {name} moved by a median {jump} between "
              "evaluations ({n} of them, from {low} to {high})",
        "zh": "训练准确率达到 0.99 之后，{name} 在相邻评估之间的变化中位数为 {jump}（共 {n} "
              "次，{low} 到 {high}）"},
    "val.at_the_shares": {
        "en": "{name} never went below {lowest} over {n} evaluations: what predicting the "
              "batch's class shares costs is {cost}, so nothing beyond how often each class "
              "occurs reached the held-out samples",
        "zh": "{name} 在 {n} 次评估中从未低于 {lowest}：按 batch 的类别占比预测的代价是 "
              "{cost}，所以除了各类出现的频率之外，没有学到任何能用于留出样本的东西"},
    "val.below_the_shares": {
        "en": "{name} went down to {lowest} over {n} evaluations, below the {cost} that "
              "predicting the batch's class shares costs",
        "zh": "{name} 在 {n} 次评估中降到了 {lowest}，低于按 batch 的类别占比预测的代价 "
              "{cost}"},
    "train_val.unit_only_in_val": {
        "en": "the validation column ({val}) is in {unit}, the training loss ({train}) names no "
              "unit (a loss on the targets as the model sees them): their levels are not "
              "compared",
        "zh": "验证列（{val}）的单位是 {unit}，训练 loss（{train}）没有单位（是在模型看到的目标上"
              "计算的 loss）：两者的数值不做比较"},
    "train_val.summed": {"en": "the training loss ends at {t}, {n}× the validation loss {v}: "
                               "a sum over {n} samples or micro-batches against a mean, so the "
                               "two cannot be compared",
                         "zh": "训练 loss 最终为 {t}，是验证 loss {v} 的 {n} 倍：一个是 {n} 个样本"
                               "或微批次的和，一个是平均值，二者无法比较"},
    "loss.tasks": {"en": "task losses logged side by side: {columns}",
                   "zh": "并列记录的任务 loss：{columns}"},
    "loss.task_ratio": {"en": "{big} ends at {a}, {small} at {b}: {ratio}× apart",
                        "zh": "{big} 最终为 {a}，{small} 为 {b}：相差 {ratio} 倍"},
    "loss.negative_early": {
        "en": "{n} logged loss(es) below zero, the last at point {last} of {total}; above zero "
              "after the first quarter of the log",
        "zh": "有 {n} 个记录的 loss 低于 0，最后一个在第 {last} 个点（共 {total} 个）；"
              "日志前四分之一之后都大于 0"},
    "loss.negative_late": {
        "en": "{n} logged loss(es) below zero, the last at point {last} of {total}",
        "zh": "有 {n} 个记录的 loss 低于 0，最后一个在第 {last} 个点（共 {total} 个）"},
    "val.recall_bound": {
        "en": "{recall} is about 0 at {n} of {total} evaluations, once with {loss} at {value}: "
              "each missed sample pays at least ln 2, so that class is at most {share} of them",
        "zh": "{recall} 在 {total} 次评估中有 {n} 次约为 0，其中一次 {loss} 为 {value}：每个漏掉的"
              "样本至少付出 ln 2，所以该类别最多占 {share}"},
    "val.recall_not_always_zero": {"en": "{name} reaches {best} at best over {n} evaluations: "
                                         "the class is predicted at times",
                                   "zh": "{name} 在 {n} 次评估中最高达到 {best}："
                                         "该类别有时会被预测"},
    "val.recall_zero_learning": {"en": "{name} stays at about 0 at all {n} evaluations while "
                                       "{other} goes from {a} to {b}: the other classes are "
                                       "learnt, this one never",
                                 "zh": "{name} 在全部 {n} 次评估中都约为 0，而 {other} 从 {a} 变为 "
                                       "{b}：其他类别都学会了，唯独这一类从未学会"},
    "val.recall_zero_flat": {"en": "{name} stays at about 0 at all {n} evaluations, and {other} "
                                   "goes only from {a} to {b}: the run learns little of anything",
                             "zh": "{name} 在全部 {n} 次评估中都约为 0，而 {other} 只从 {a} 变为 "
                                   "{b}：这次训练几乎什么都没学到"},
    "val.recall": {"en": "{name} ends at {final} (last of {n} evaluations)",
                   "zh": "{name} 最终为 {final}（共 {n} 次评估）"},
    "loss.nan_recovers": {"en": "{bad} of {n} logged losses are {word}, yet the loss is a "
                                "number again after them and at the end: the weights stayed "
                                "finite",
                          "zh": "记录的 {n} 个 loss 中有 {bad} 个是 {word}，但之后以及最后 loss "
                                "又恢复为数值：权重一直是有限值"},
    "loss.nan_stays": {"en": "once {word}, the loss does not come back to a number ({bad} of {n} "
                             "logged points)",
                       "zh": "loss 一旦变成 {word} 就再也没有恢复为数值"
                             "（{n} 个记录点中有 {bad} 个）"},
    "batch.outputs_per_sample": {"en": "the model gives {width} outputs per sample",
                                 "zh": "模型对每个样本给出 {width} 个输出"},
    "batch.one_output_ids": {"en": "one output per sample against {dtype} targets holding {k} "
                                   "class ids",
                             "zh": "每个样本一个输出，而 {dtype} 目标含有 {k} 个类别编号"},
    "lr.constant": {"en": "learning rate stays at {a} for all {n} logged steps",
                    "zh": "记录的 {n} 步中学习率一直是 {a}"},
    "lr.zero_all_logged": {
        "en": "the learning rate is 0 at all {n} logged points of {file}, from the first at "
              "{first}, while training_args.bin sets it to {lr}: the schedule had reached 0 "
              "before the first logged step, and every logged step after it trained nothing",
        "zh": "{file} 记录的全部 {n} 个点上学习率都是 0（第一个在{first}），而 "
              "training_args.bin 设定的是 {lr}：调度在第一个记录步之前就降到了 0，之后记录的每一步"
              "都没有训练任何东西"},
    "lr.zero_unknown": {
        "en": "the learning rate is 0 at all {n} logged points of {file}; whether a schedule "
              "brought it there before the first logged step is not in the log",
        "zh": "{file} 记录的全部 {n} 个点上学习率都是 0；它是否在第一个记录步之前由调度降到 0，"
              "日志里看不出"},
    "val.identical": {
        "en": "the validation loss ({column}) is exactly {value} at all {n} evaluations, to the "
              "last digit: the evaluated model never changed, or its loss is degenerate",
        "zh": "验证 loss（{column}）在全部 {n} 次评估中都精确等于 {value}（每一位都相同）："
              "被评估的模型从未改变，或者它的 loss 是退化的"},
    "r2.at_zero": {
        "en": "the validation R² ({column}) stays between {low} and {high} over {n} "
              "evaluations (median {middle}): no better than predicting the targets' mean for "
              "every input",
        "zh": "验证 R²（{column}）在 {n} 次评估中介于 {low} 与 {high} 之间（中位数 {middle}）："
              "并不比对每个输入都预测目标均值更好"},
    "r2.below_zero": {
        "en": "the validation R² ({column}) stays between {low} and {high} over {n} "
              "evaluations (median {middle}): worse than predicting the targets' mean",
        "zh": "验证 R²（{column}）在 {n} 次评估中介于 {low} 与 {high} 之间（中位数 {middle}）："
              "比预测目标均值还差"},
    "corr.at_zero": {
        "en": "the validation correlation between predictions and targets ({column}) stays "
              "between {low} and {high} at all {n} evaluations: the predictions carry nothing "
              "about the targets",
        "zh": "验证集上预测与目标的相关系数（{column}）在全部 {n} 次评估中都介于 {low} 与 "
              "{high} 之间：预测不含任何关于目标的信息"},
    "corr.not_at_zero": {
        "en": "the validation correlation between predictions and targets ({column}) moves "
              "between {low} and {high} over {n} evaluations",
        "zh": "验证集上预测与目标的相关系数（{column}）在 {n} 次评估中介于 {low} 与 {high} 之间"},
    "r2.not_at_zero": {
        "en": "the validation R² ({column}) moves between {low} and {high} over {n} "
              "evaluations: the model explains part of the targets' spread",
        "zh": "验证 R²（{column}）在 {n} 次评估中介于 {low} 与 {high} 之间："
              "模型解释了目标值的部分波动"},
    "val.changes": {
        "en": "the validation loss ({column}) moves between {low} and {high} over {n} "
              "evaluations",
        "zh": "验证 loss（{column}）在 {n} 次评估中介于 {low} 与 {high} 之间"},
    "test.loss_vs_val": {
        "en": "the test loss ({test_column}, {test_at}) is {test}, {ratio} the last validation "
              "loss ({val_column}, {val_at}), {val}",
        "zh": "测试 loss（{test_column}，{test_at}）为 {test}，是最后一次验证 loss"
              "（{val_column}，{val_at}）{val} 的 {ratio}"},
    "test.acc_vs_val": {
        "en": "the test accuracy ({test_column}, {test_at}) is {test}, the last validation "
              "accuracy ({val_column}, {val_at}) {val}: validation is {drop} higher",
        "zh": "测试准确率（{test_column}，{test_at}）为 {test}，最后一次验证准确率"
              "（{val_column}，{val_at}）为 {val}：验证比测试高 {drop}"},
    "test.loss_vs_best_val": {
        "en": "the test loss ({test_column}, {test_at}) is {test}, {ratio} the best validation "
              "loss of the trial the search kept ({val_column}, {val_at}), {val}",
        "zh": "测试 loss（{test_column}，{test_at}）为 {test}，是搜索选中的那次试验最好的验证 loss"
              "（{val_column}，{val_at}）{val} 的 {ratio}"},
    "test.acc_vs_best_val": {
        "en": "the test accuracy ({test_column}, {test_at}) is {test}, the best validation "
              "accuracy of the trial the search kept ({val_column}, {val_at}) {val}: "
              "validation is {drop} higher",
        "zh": "测试准确率（{test_column}，{test_at}）为 {test}，搜索选中的那次试验最好的验证准确率"
              "（{val_column}，{val_at}）为 {val}：验证比测试高 {drop}"},
    "loss.kl_end": {
        "en": "the KL term ({column}) ends at {end} (median of the last {k} logged values; it "
              "started at {start}), below {limit}, while the reconstruction term "
              "({recon_column}) ends at {recon}",
        "zh": "KL 项（{column}）最终为 {end}（最后 {k} 个记录值的中位数；起始为 {start}），"
              "低于 {limit}，而重建项（{recon_column}）最终为 {recon}"},
    "loss.kl_end_healthy": {
        "en": "the KL term ({column}) ends at {end} (median of the last {k} logged values; it "
              "started at {start}), not below {limit}; the reconstruction term "
              "({recon_column}) ends at {recon}",
        "zh": "KL 项（{column}）最终为 {end}（最后 {k} 个记录值的中位数；起始为 {start}），"
              "不低于 {limit}；重建项（{recon_column}）最终为 {recon}"},
    # ------------------------------------------------------------ checkpoint optimizer
    "optimizer.keys": {"en": "its param groups carry {keys}", "zh": "其参数组含有 {keys}"},
    "optimizer.initial_lr": {
        "en": "initial lr = {lr} in param group 0 of {n} (the schedule has it at {now} now)",
        "zh": "{n} 个参数组中第 0 组的初始 lr = {lr}（调度器当前为 {now}）"},
    "optimizer.eps": {"en": "eps = {value} in the optimizer's param group",
                      "zh": "优化器参数组中 eps = {value}"},
    "optimizer.eps_over_root_v": {
        "en": "Adam's eps = {eps} against a median √v̂ of {root} ({n} tensors): eps is {ratio} "
              "the gradients' own scale",
        "zh": "Adam 的 eps = {eps}，而 √v̂ 的中位数为 {root}（{n} 个张量）：eps 是梯度自身尺度的 "
              "{ratio}"},
    "optimizer.head_bias_one_class": {
        "en": "the output bias's gradient RMS, {rms}, is {ratio}× what batches of one class "
              "each give a {k}-way softmax near a guess (√(K−1)/K = {value}); batches that mix "
              "their classes give a few hundredths",
        "zh": "输出层偏置梯度的均方根 {rms} 是每个 batch 只含一个类别时（{k} 类 softmax、预测接近"
              "瞎猜）所给值 √(K−1)/K = {value} 的 {ratio} 倍；混合各类别的 batch 只给出百分之几"},
    "optimizer.head_bias_over_one_step": {
        "en": "the output bias's gradient RMS, {rms}, is {ratio}× the most one backward pass of "
              "a mean-reduced cross-entropy gives a {k}-way softmax head (√(2/K) = {bound}, "
              "reached only when every sample is confidently wrong); its Adam first moment "
              "sums to zero over the classes (|Σm̂|/Σ|m̂| = {share}: a softmax head)",
        "zh": "输出层偏置梯度的均方根 {rms} 是均值归约的交叉熵一次 backward 能给 {k} 类 softmax "
              "输出层的最大值 √(2/K) = {bound} 的 {ratio} 倍（只有每个样本都错得很自信时才达到该"
              "值）；其 Adam 一阶矩在各类别上求和为零（|Σm̂|/Σ|m̂| = {share}：softmax 输出层）"},
    "optimizer.head_bias_momentum_over_one_step": {
        "en": "SGD's momentum buffer for the output bias, times 1 − momentum ({momentum}), has "
              "RMS {rms}: {ratio}× the most one backward pass of a mean-reduced cross-entropy "
              "gives a {k}-way softmax head (√(2/K) = {bound}), which the buffer, a decaying "
              "sum of such gradients, cannot exceed; the buffer sums to zero over the classes "
              "(|Σb|/Σ|b| = {share}: a softmax head)",
        "zh": "SGD 对输出层偏置的动量缓冲乘以 1 − momentum（{momentum}）后均方根为 {rms}："
              "是均值归约的交叉熵一次 backward 能给 {k} 类 softmax 输出层的最大值"
              "（√(2/K) = {bound}）的 {ratio} 倍，而动量缓冲作为这类梯度的衰减和不可能超过它；"
              "缓冲在各类别上求和为零（|Σb|/Σ|b| = {share}：softmax 输出层）"},
    "optimizer.head_bias_over_bound": {"en": "the one-output head's bias saw gradients of RMS "
                                             "{rms} over the run (Adam's √v̂), {ratio}× the "
                                             "most the logged training loss allows one step: "
                                             "{bound}, max(1, 2·√{peak}) for its largest value "
                                             "{peak}",
                                       "zh": "单输出层的偏置在整个训练中的梯度均方根为 "
                                             "{rms}（Adam 的 √v̂），是记录的训练 loss 所允许"
                                             "的单步上限的 {ratio} 倍：上限 {bound} = "
                                             "max(1, 2·√{peak})，{peak} 为其最大值"},
    "val.loss_above_shares": {"en": "{name} never went below {low}, though predicting the class "
                                    "shares (one class at {share}) costs {prior} at most and a "
                                    "uniform guess over {k} classes ln {k} = {guess}: the model "
                                    "has not learnt even how common the classes are",
                              "zh": "{name} 从未低于 {low}，而按类别占比预测（某一类占 {share}）"
                                    "最多只需 {prior}，{k} 类均匀乱猜为 ln {k} = {guess}："
                                    "模型连各类有多常见都没有学到"},
    "val.loss_at_shares": {"en": "{name} goes down to {low}, near or under the {prior} that "
                                 "predicting the class shares (one class at {share}) costs",
                           "zh": "{name} 降到 {low}，接近或低于按类别占比预测（某一类占 {share}）"
                                 "的 {prior}"},
    "optimizer.head_bias_no_loss_bound": {"en": "no one-output head's bias gradient was read "
                                                "beside a positive training loss in the log",
                                          "zh": "没有在日志中正的训练 loss 旁读到"
                                                "单输出层的偏置梯度"},
    "optimizer.head_bias_no_bound": {
        "en": "no softmax head's bias gradient was read from Adam's moments (another optimizer, "
              "too few steps, or a last layer that is no softmax head)",
        "zh": "没有从 Adam 的动量中读到 softmax 输出层偏置的梯度（其他优化器、步数太少，或最后一层"
              "不是 softmax 输出层）"},
    "optimizer.head_bias_labels": {
        "en": "the output bias's Adam first moment sums to zero over its {k} values (|Σm̂|/Σ|m̂| "
              "= {share}: a softmax head, whose bias gradient mean(p − y) sums to zero); its "
              "gradient RMS {rms} is what batches holding {labels} labels each give — batches "
              "drawn at random hold about as many labels as samples",
        "zh": "输出层偏置的 Adam 一阶矩在 {k} 个值上求和为零（|Σm̂|/Σ|m̂| = {share}：softmax 输出"
              "层，其偏置梯度 mean(p − y) 的和为零）；梯度均方根 {rms} 相当于每个 batch 含 "
              "{labels} 个标签时的值——随机抽取的 batch 含有的标签数与样本数相当"},
    "data.targets_at_horizon": {
        "en": "the batch holds windows cut from a series in order ({share} of neighbouring rows "
              "one step apart), and every target is the series' value {h} step(s) after its "
              "window ends ({n} rows checked): targets and windows are paired",
        "zh": "batch 中的窗口按顺序从一条序列切出（{share} 的相邻行相差一步），每个目标都是其窗口"
              "结束后第 {h} 步的序列值（检查了 {n} 行）：目标与窗口配对正确"},
    "data.targets_at_no_horizon": {
        "en": "the batch's {rows} rows are windows cut from a series in order ({share} of "
              "neighbouring rows one step apart), yet no target is the series' value 0 to "
              "{reach} steps after its window ends: each window was paired with another "
              "window's target (windows filtered or shifted, targets not)",
        "zh": "batch 的 {rows} 行是按顺序从一条序列切出的窗口（{share} 的相邻行相差一步），但没有"
              "一个目标是其窗口结束后 0 到 {reach} 步的序列值：每个窗口配上了别的窗口的目标"
              "（窗口被过滤或平移，目标却没有）"},
    "optimizer.head_bias_labels_share": {
        "en": "{labels} labels per training batch against {size} samples per batch ({source}): "
              "a share of {share} — shuffled data put about as many labels in a batch as "
              "samples",
        "zh": "每个训练 batch 含 {labels} 个标签，而每个 batch 有 {size} 个样本（{source}）："
              "比例为 {share}——打乱的数据每个 batch 的标签数与样本数相当"},
    "optimizer.batch_saved": {"en": "the batch size saved with the run",
                              "zh": "随训练保存的 batch 大小"},
    "optimizer.batch_file": {"en": "the batch file's length", "zh": "batch 文件的长度"},
    "optimizer.head_bias_few_outputs": {
        "en": "the output bias has {n} values: no one-class-batch value to compare with",
        "zh": "输出层偏置只有 {n} 个值：没有可比较的单类别 batch 取值"},
    "optimizer.head_bias_grad": {
        "en": "the output bias {name} ({n} outputs) saw gradients of RMS {rms} over {step} Adam "
              "steps (√v̂, whatever the learning rate): batches that mix their classes give a few "
              "hundredths, a batch of one class up to 1",
        "zh": "输出层偏置 {name}（{n} 个输出）在 {step} 个 Adam 步中收到的梯度均方根为 {rms}"
              "（√v̂，与学习率无关）：混合各类别的 batch 只给出百分之几，"
              "只含一个类别的 batch 可达 1"},
    "optimizer.coherence": {
        "en": "Adam's moments give |m̂|/√v̂ = {ratio} (median over {n} tensors at step {step}): "
              "about 0.2 when gradients are minibatch noise, 1 when every step's gradient is "
              "the same, above 1 when it keeps growing",
        "zh": "Adam 的两个动量给出 |m̂|/√v̂ = {ratio}（第 {step} 步，{n} 个张量的中位数）："
              "梯度以小批量噪声为主时约为 0.2，每步梯度相同时为 1，梯度不断变大时超过 1"},
    "val.recall_zero_since_nan": {
        "en": "the logged recall (or F1) falls to 0 only once {column} has gone NaN/inf: NaN "
              "outputs predict no class at all, whatever the classes",
        "zh": "记录的召回率（或 F1）在 {column} 变成 NaN/inf 之后才降为 0：NaN 输出不会预测任何"
              "类别，与类别分布无关"},
    "val.recall_zero_nan": {
        "en": "the logged recall (or F1) is 0, but {column} is NaN/inf at every logged point: "
              "NaN outputs predict no class at all, whatever the classes",
        "zh": "记录的召回率（或 F1）为 0，但 {column} 在每个记录点都是 NaN/inf：NaN 输出不会预测"
              "任何类别，与类别分布无关"},
    "val.acc_one_class_nan": {
        "en": "the accuracy is the same at every evaluation, but {column} is NaN/inf at every "
              "logged point: NaN outputs give one argmax, whatever the classes",
        "zh": "每次评估的准确率都一样，但 {column} 在每个记录点都是 NaN/inf：NaN 输出的 argmax "
              "总是同一个，与类别分布无关"},
    "loss.kl_named": {"en": "the training loss column is '{column}' in {file}: a KL divergence",
                      "zh": "{file} 中的训练 loss 列是“{column}”：一个 KL 散度"},
    "loss.density_named": {
        "en": "the loss column '{column}' in {file} is named as a negative log-likelihood and "
              "the log has no accuracy: a density's NLL, below 0 wherever the density is above 1",
        "zh": "{file} 中的 loss 列“{column}”按负对数似然命名，且日志中没有准确率：这是一个"
              "密度的 NLL，密度大于 1 的地方它就小于 0"},
    "optimizer.grad_shrink": {
        "en": "the log's gradient norm ({column} in {file}, median {logged} over its last half) "
              "is {ratio} the gradient SGD's momentum buffer took in ({taken} = |buffer| × "
              "(1 − {momentum})): the steps were cut far below the gradient, as "
              "clip_grad_norm_ with a max_norm well under the gradient's norm does",
        "zh": "日志中的梯度范数（{file} 的 {column}，后一半的中位数为 {logged}）是 SGD 动量缓冲"
              "实际收到的梯度（{taken} = |buffer| × (1 − {momentum})）的 {ratio}：每一步都被"
              "截到远小于梯度——clip_grad_norm_ 的 max_norm 远低于梯度范数时就是这样"},
    "optimizer.clip_cuts": {
        "en": "a shrink of {ratio} is more than twice the {noise} that gradients flipping sign "
              "every step leave in a momentum-{momentum} buffer: the gradient was cut on its way",
        "zh": "{ratio} 的缩小超过了动量 {momentum} 的缓冲在梯度每步反号时所能造成的 {noise} 的"
              "两倍：梯度在途中被截断了"},
    "optimizer.clip_noise": {
        "en": "a shrink of {ratio} is within twice the {noise} that gradients flipping sign every "
              "step leave in a momentum-{momentum} buffer: noise can explain it",
        "zh": "{ratio} 的缩小在动量 {momentum} 的缓冲于梯度每步反号时所能造成的 {noise} 的两倍"
              "以内：噪声就能解释"},
    "order.entity_memory": {
        "en": "the optimizer's running gradient for the rows of {table} ({rows} rows) rises "
              "with the row index (rank correlation {rank}), the last rows {spread} the first: "
              "the last batches held only the highest indices — the data were walked sorted "
              "by that index",
        "zh": "{table}（{rows} 行）各行的优化器动量随行号上升（秩相关 {rank}），最后几行是最前"
              "几行的 {spread}：最后的几个 batch 只含最大的那些索引——数据是按这个索引排好序"
              "依次读入的"},
    "order.entity_memory_mixed": {
        "en": "the optimizer's running gradient for the rows of {table} ({rows} rows) follows "
              "no order of the row index (rank correlation {rank}, spread {spread}): the rows "
              "came mixed, as a shuffled loader serves them",
        "zh": "{table}（{rows} 行）各行的优化器动量与行号没有顺序关系（秩相关 {rank}，相差 "
              "{spread}）：各行是混着来的，正如打乱的 loader 所给"},
    "loop.manual_steps": {
        "en": "Lightning's loop counted {manual} optimizer steps taken by the module itself and "
              "{automatic} automatic ones: manual optimisation, where opt.zero_grad() is the "
              "module's to call",
        "zh": "Lightning 的循环记录了模块自己执行的 {manual} 次优化器 step 和 {automatic} 次"
              "自动 step：这是手动优化，opt.zero_grad() 要由模块自己调用"},
    "loop.automatic_steps": {
        "en": "Lightning's loop took {automatic} optimizer steps for the module (and cleared "
              "the gradients before each); the module took {manual} itself",
        "zh": "Lightning 的循环替模块执行了 {automatic} 次优化器 step（每次之前都清空了梯度）；"
              "模块自己执行了 {manual} 次"},
    "optimizer.value_ceiling": {
        "en": "the largest SGD momentum-buffer entries of {tensors} of the {held} tensors stop at "
              "the same {ceiling}: a ceiling, the bound c / (1 − {momentum}) that "
              "clip_grad_value_ at c = {clip} puts on every buffer entry",
        "zh": "{held} 个张量中有 {tensors} 个的 SGD 动量缓冲最大项都停在同一个 {ceiling}：这是一个"
              "上限，正是 clip_grad_value_ 取 c = {clip} 时每个缓冲项的界 c / (1 − {momentum})"},
    "optimizer.value_clip_binds": {
        "en": "the median buffer entry sits at {share} of that ceiling: most gradient entries "
              "were cut to ±{clip} on most steps, so every step was shorter than the learning "
              "rate makes it",
        "zh": "缓冲项的中位数在该上限的 {share}：大多数梯度分量在大多数步里被截到 ±{clip}，"
              "每一步都比学习率给出的步长短"},
    "optimizer.value_clip_trims": {
        "en": "the median buffer entry sits at only {share} of that ceiling: the cap at ±{clip} "
              "trimmed the largest gradient entries and left the rest alone",
        "zh": "缓冲项的中位数只在该上限的 {share}：±{clip} 的裁剪只削掉了最大的梯度分量，"
              "其余不受影响"},
    "optimizer.holds_but_sinusoids": {
        "en": "the optimizer holds {held} tensors; the others ({names}) are sinusoidal position "
              "tables (sin and cos of each position times a fixed frequency), built by formula "
              "and frozen on purpose, not frozen weights",
        "zh": "优化器持有 {held} 个张量；其余的（{names}）是正弦位置编码表"
              "（每个位置乘以固定频率后的 sin 和 cos），按公式构造、有意冻结，不是被冻结的权重"},
    "optimizer.holds_but_grids": {
        "en": "the optimizer holds {held} tensors; the others ({names}) repeat one and the "
              "same row in every row, hold only 0s and 1s, hold 0s above a square's "
              "diagonal (a causal or decay mask), are evenly spaced (an arange), bear a "
              "buffer's name (a rotation, a mask, a frequency table, a window) or are a single "
              "number (a scale) — fixed grids, masks, tables and scales registered as buffers, "
              "not frozen weights",
        "zh": "优化器持有 {held} 个张量；其余的（{names}）每一行都是同一行、只含 0 和 1、"
              "方阵对角线以上全为 0（因果或衰减掩码）、数值等间距（arange），或用的是 buffer 的"
              "名字（旋转矩阵、掩码、频率表、窗函数），或只是单个数（缩放系数）——登记为 buffer "
              "的固定网格、掩码、表和缩放系数，不是被冻结的权重"},
    "optimizer.lr_is_peak": {
        "en": "the schedule only scaled the rate down from initial_lr {initial} (now {now}): "
              "{initial} is the highest rate the run used",
        "zh": "调度器只是把学习率从 initial_lr {initial} 往下调（现在 {now}）：{initial} 就是这次"
              "训练用过的最高学习率"},
    "optimizer.lr_is_peak_logged": {"en": "the schedule only scaled the rate down from initial_lr "
                                           "{initial} (now {now}), and the log never records it "
                                           "higher: {initial} is the highest rate the run used",
                                     "zh": "调度器只是把学习率从 initial_lr {initial} 往下调（现在 "
                                           "{now}），日志里也从未更高：{initial} 就是这次训练用过的"
                                           "最高学习率"},
    "optimizer.lr_not_peak_cycle": {
        "en": "a one-cycle schedule: initial_lr {initial} is its low start, it climbs to max_lr "
              "{peak}",
        "zh": "one-cycle 调度：initial_lr {initial} 只是它较低的起点，它会升到 max_lr {peak}"},
    "optimizer.lr_not_peak_logged": {
        "en": "the log records the rate up to {ratio} initial_lr {initial}: the schedule climbed "
              "past it",
        "zh": "日志记录的学习率最高到 initial_lr {initial} 的 {ratio}：调度器把它升得更高"},
    "lr.peak_over_initial": {"en": "{file} logs a learning rate up to {peak}, {ratio} the "
                                   "rate the optimizer was built with (initial_lr {initial})",
                             "zh": "{file} 记录的学习率最高到 {peak}，是构建优化器时所给学习率"
                                   "（initial_lr {initial}）的 {ratio}"},
    "optimizer.holds_but_copies": {
        "en": "the optimizer holds {held} tensors; the others ({names}) repeat another tensor "
              "of the checkpoint exactly — a weight tied to another and saved under each name, "
              "or a table built the same way in every block — not frozen weights",
        "zh": "优化器持有 {held} 个张量；其余的（{names}）与 checkpoint 中另一个张量完全相同——"
              "是与另一权重共享、以各自名字各存一份的权重，或在每个块里以同样方式构建的表——"
              "不是被冻结的权重"},
    "optimizer.all_stepped": {
        "en": "each of the {held} parameter tensors the optimizer holds has {kind} state: each "
              "received a gradient",
        "zh": "优化器持有的 {held} 个参数张量都有 {kind} 状态：每个都得到过梯度"},
    "optimizer.never_stepped": {
        "en": "{n} of the {held} parameter tensors the optimizer holds have no {kind} state: "
              "the state is created at a parameter's first update, so they never received a "
              "gradient",
        "zh": "优化器持有的 {held} 个参数张量中有 {n} 个没有 {kind} 状态：状态在参数第一次更新时"
              "才创建，所以它们从未得到过梯度"},
    "optimizer.flat_group_decayed": {
        "en": "the optimizer keeps {n} 1-D tensors (biases, norm gains and shifts) in a group "
              "of their own, apart from the weight matrices (decay {matrices}), and still "
              "decays that group by {decay}",
        "zh": "优化器把 {n} 个一维张量（偏置、归一化层的增益和偏移）单独放在一组，与权重矩阵"
              "（衰减 {matrices}）分开，却仍对这一组施加 {decay} 的衰减"},
    "optimizer.flat_group_exempt": {
        "en": "the optimizer keeps {n} 1-D tensors (biases, norm gains and shifts) in a group "
              "of their own without decay, apart from the weight matrices (decay {matrices})",
        "zh": "优化器把 {n} 个一维张量（偏置、归一化层的增益和偏移）单独放在不衰减的一组，"
              "与权重矩阵（衰减 {matrices}）分开"},
    "optimizer.never_stepped_adagrad": {
        "en": "{n} of the {held} parameter tensors the optimizer holds have an adagrad step "
              "count of 0 and an empty sum of squares: Adagrad makes its state for every "
              "parameter up front and counts only the updates a gradient reached, so they "
              "never received a gradient",
        "zh": "优化器持有的 {held} 个参数张量中有 {n} 个的 adagrad 步数为 0、平方和为空："
              "Adagrad 在创建时就为每个参数建立状态，只统计有梯度到达的更新，"
              "所以它们从未得到过梯度"},
    "optimizer.unused_by_design": {
        "en": "{n} of the {held} parameter tensors the optimizer holds have no {kind} state, "
              "and a fresh {arch} built from the same config.json leaves {n} without a "
              "gradient in a classification step ({names}): parts of the library's model "
              "this head never uses; the rest without state: {rest}",
        "zh": "优化器持有的 {held} 个参数张量中有 {n} 个没有 {kind} 状态；按同一 config.json "
              "新建的 {arch} 在一次分类训练步中同样有 {n} 个得不到梯度（{names}）："
              "是库模型中这个任务头用不到的部分；其余没有状态的：{rest} 个"},
    "optimizer.never_stepped_last": {
        "en": "the {n} of {held} tensors with no optimizer state are the last in the "
              "optimizer's list, every one before them has state: built from "
              "model.parameters(), that is the output layer, next to the loss",
        "zh": "没有优化器状态的 {n} 个张量（共 {held} 个）正是优化器列表中的最后几个，"
              "之前的每个都有状态：若优化器由 model.parameters() 构建，那就是紧挨着 loss 的"
              "输出层"},
    "optimizer.never_stepped_inside": {
        "en": "the {n} of {held} tensors with no optimizer state lie between tensors that have "
              "it: the first and the last tensor of the optimizer's list stepped, so the "
              "gradient reached the layers on both sides of them",
        "zh": "没有优化器状态的 {n} 个张量（共 {held} 个）夹在有状态的张量之间：优化器列表中"
              "第一个和最后一个张量都更新过，梯度到达了它们两侧的层"},
    "optimizer.never_stepped_not_inside": {
        "en": "of the {n} of {held} tensors with no optimizer state, some are at an end of the "
              "optimizer's list (the first or the last tensor never stepped)",
        "zh": "没有优化器状态的 {n} 个张量（共 {held} 个）中，有的位于优化器列表的一端"
              "（第一个或最后一个张量从未更新）"},
    "optimizer.never_stepped_not_last": {
        "en": "the {n} of {held} tensors with no optimizer state are not (only) the last in "
              "the optimizer's list",
        "zh": "没有优化器状态的 {n} 个张量（共 {held} 个）不（只）是优化器列表中的最后几个"},
    "optimizer.never_stepped_zero": {
        "en": "{n} of the {held} parameter tensors the optimizer holds never received a non-zero "
              "gradient: {zeros} have {kind} state that is exactly zero ({names}: stepped at "
              "every step with a gradient of exactly 0 — cut from the loss after them)"
              "{others}",
        "zh": "优化器持有的 {held} 个参数张量中有 {n} 个从未得到非零梯度：其中 {zeros} 个的 {kind} "
              "状态全为 0（{names}：每一步都以恰好为 0 的梯度更新——它们之后的计算被从 loss 中切断）"
              "{others}"},
    "optimizer.never_stepped_rest": {"en": "; the other {n} have no state at all",
                                     "zh": "；其余 {n} 个根本没有状态"},
    "optimizer.momentum_depth": {
        "en": "SGD's momentum buffers (a running sum of the gradients) put the first of {n} "
              "weight matrices, {first_name}, at RMS {first} and the last, {last_name}, at "
              "{last}: {ratio} of it",
        "zh": "SGD 的动量缓冲（梯度的滑动累加）显示：{n} 个权重矩阵中第一个 {first_name} 的 RMS "
              "为 {first}，最后一个 {last_name} 为 {last}：只有后者的 {ratio}"},
    "optimizer.first_below_eps": {
        "en": "Adam's √v̂ puts the gradient of the first weight matrix, {first_name}, at {first} "
              "— under a hundredth of eps {eps}, so Adam's steps there are lr·m̂/eps, far below "
              "lr — while the last, {last_name}, gets {last}: the gradient fades with depth",
        "zh": "由 Adam 的 √v̂ 可知，第一个权重矩阵 {first_name} 的梯度约为 {first}——不到 eps {eps} "
              "的百分之一，因此 Adam 在那里的步长是 lr·m̂/eps，远小于 lr——而最后一个 {last_name} "
              "的梯度为 {last}：梯度随深度衰减"},
    "setup.batch_from_seen": {
        "en": "the checkpoint's {name} counts {seen} samples over {steps} optimizer steps: "
              "{batch} samples a step",
        "zh": "checkpoint 的 {name} 记录了 {steps} 个优化步共 {seen} 个样本：每步 {batch} 个样本"},
    "optimizer.memory_against": {
        "en": "the optimizer's running gradient points against a fresh gradient of the standard "
              "loss at the checkpoint's weights (median cosine {cos} over {n} weight matrices): "
              "the run went uphill on that loss",
        "zh": "优化器累积的梯度与 checkpoint 权重处标准 loss 的新算梯度方向相反（{n} 个权重矩阵的"
              "余弦中位数 {cos}）：训练在这个 loss 上是往上走的"},
    "optimizer.memory_along": {
        "en": "the optimizer's running gradient and a fresh gradient of the standard loss at the "
              "checkpoint's weights have a median cosine of {cos} ({n} weight matrices)",
        "zh": "优化器累积的梯度与 checkpoint 权重处标准 loss 的新算梯度的余弦中位数为 {cos}"
              "（{n} 个权重矩阵）"},
    "optimizer.memory": {
        "en": "the optimizer's running gradient is {ratio}× a fresh gradient at the checkpoint's "
              "weights (median over {n} weight matrices; averaging minibatch gradients keeps it "
              "about 1 or below)",
        "zh": "优化器累积的梯度是 checkpoint 权重处新算梯度的 {ratio} 倍（{n} 个权重矩阵的中位数；"
              "对小批量梯度取平均只会让它约为 1 或更小）"},
    "weights.stuck_bias": {"en": "{share} of the units of {name} still hold the same bias {value}: "
                                 "they never received a gradient",
                           "zh": "{name} 中 {share} 的单元偏置仍是同一个值 {value}："
                                 "它们从未得到梯度"},
    "weights.no_stuck_bias": {"en": "no bias vector holds one repeated negative value "
                                    "({n} checked)",
                              "zh": "没有偏置向量重复同一个负值（检查了 {n} 个）"},
    "weights.rank": {"en": "the weight matrices use a median {ratio} of their dimensions "
                           "(effective rank over the smaller side, {n} matrices; lowest "
                           "{lowest}); a randomly initialised layer uses most of them",
                     "zh": "权重矩阵平均只用到其维度的 {ratio}（有效秩与较短边之比，"
                           "{n} 个矩阵的中位数；最低的是 {lowest}）；"
                           "随机初始化的层会用到大部分维度"},
    "optimizer.lr_zero": {"en": "lr = 0 in all {n} param groups and no scheduler recorded the "
                                "starting rate: a schedule set by hand that has ended; the rate "
                                "the run trained at is not in the checkpoint",
                          "zh": "全部 {n} 个参数组的 lr 都是 0，也没有调度器记录初始学习率：这是"
                                "手写的学习率调度已经结束；训练时用的学习率不在 checkpoint 里"},
    "optimizer.lr": {"en": "lr = {lr} in param group 0 of {n}",
                     "zh": "{n} 个参数组中第 0 组的 lr = {lr}"},
    "optimizer.momentum": {"en": "momentum = {value}", "zh": "momentum = {value}"},
    "optimizer.sgd_effective_lr": {
        "en": "lr {lr} with momentum {momentum}: a long-run step of lr/(1 − momentum) = {value}",
        "zh": "lr {lr}、momentum {momentum}：长期步长 lr/(1 − momentum) = {value}"},
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
    "choice.warmup": {"en": "{kind} lr={lr} (the checkpoint's optimizer settings: the rate its "
                            "warm-up had reached when the run ended, short of its initial_lr)",
                      "zh": "{kind} lr={lr}（checkpoint 中的优化器设置：训练结束时预热达到的"
                            "学习率，尚未到达其 initial_lr）"},
    "choice.peak": {"en": "{kind} lr={lr} (the checkpoint's optimizer settings, the "
                          "schedule's peak lr)",
                    "zh": "{kind} lr={lr}（checkpoint 中的优化器设置，调度的峰值 lr）"},
    "choice.scaled": {"en": "{kind} lr={lr} (ten times the run's rate: at that rate the half "
                            "batch did not fit)",
                      "zh": "{kind} lr={lr}（本次训练学习率的十倍：用原学习率拟合不了半个 batch）"},
    "choice.default": {"en": "{kind} lr={lr} (default Adam lr=1e-3, no optimizer state)",
                       "zh": "{kind} lr={lr}（没有优化器状态，默认 Adam lr=1e-3）"},
    "update.healthy_lr": {"en": "a step grows with the rate: at lr {lr} it is {median} of the "
                                "weights, so about {healthy} makes it the healthy 1e-3",
                          "zh": "步长随学习率增长：学习率 {lr} 时每步是权重的 {median}，所以约 "
                                "{healthy} 能让它回到健康的 1e-3"},
    "update.ratio": {"en": "one {choice} step changes the weights by a median {median} of their "
                           "norm over {n} layers (about 1e-3 is healthy)",
                     "zh": "用 {choice}走一步，{n} 个层的权重变化量中位数是其范数的 {median}"
                           "（约 1e-3 为健康）"},
    "lr_sweep.best": {"en": "after {steps} steps on the batch from the freshly built model the "
                            "best lr is {best}, {ratio} the "
                            "current {choice}; final losses: {table}",
                      "zh": "从新建的模型开始在这个 batch 上训练 {steps} 步后最佳 lr 是 {best}，"
                            "是当前 {choice}的 "
                            "{ratio}；各 lr 的最终 loss：{table}"},
    "lr_sweep.best_tied": {"en": "after {steps} steps on the batch from the freshly built "
                                 "model the rates {tied} fit it "
                                 "equally well (their final losses differ by less than 2% of "
                                 "the starting loss); "
                                 "the one nearest the current {choice} is {best}, {ratio} of it; "
                                 "final losses: {table}",
                           "zh": "从新建的模型开始在这个 batch 上训练 {steps} 步后，lr {tied} "
                                 "拟合得一样好（最终 "
                                 "loss 相差不到起始 loss 的 2%）；其中最接近当前 {choice}的是 "
                                 "{best}，是它的 {ratio}；各 lr 的最终 loss：{table}"},
    "lr_sweep.some_rate_learns": {"en": "after {steps} steps on the batch from the freshly "
                                        "built model some rate lowers the loss; final losses: "
                                        "{table}",
                                  "zh": "从新建的模型开始在这个 batch 上训练 {steps} 步后，"
                                        "有学习率能让 loss 下降；各 lr 的最终 loss：{table}"},
    "lr_sweep.only_the_prior": {
        "en": "after {steps} steps on the batch from the freshly built model (loss {start}) no "
              "rate got 10% below {guess}, what a prediction that ignores the inputs pays "
              "(the labels' frequencies or the targets' mean): every rate learned that much "
              "and no more, so the sweep cannot rank the rates against {choice}; final "
              "losses: {table}",
        "zh": "从新建的模型（loss {start}）开始在这个 batch 上训练 {steps} 步后，没有任何 lr 让 "
              "loss 比 {guess} 低 10%——这是忽略输入的预测（标签频率或目标均值）的 loss：每个 lr "
              "都只学到这一点，因此扫描无法与 {choice} 比较；最终 loss：{table}"},
    "lr_sweep.moved_nothing": {"en": "after {steps} steps on the batch from the freshly built "
                                     "model no rate lowered the loss "
                                     "by {share} of its start ({start}), so the sweep cannot "
                                     "rank the rates against {choice}; final losses: {table}",
                               "zh": "从新建的模型开始在这个 batch 上训练 {steps} 步后，没有任何 "
                                     "lr 让 "
                                     "loss 比起始值（{start}）降低 {share}，因此扫描无法与 "
                                     "{choice}比较各 lr 的优劣；各 lr 的最终 loss：{table}"},
    "lr_sweep.current_tied": {"en": "lr {lr}, the current rate (or the grid's nearest to it), "
                                    "ends at {loss}, among the best",
                              "zh": "lr {lr}（当前学习率或网格中最接近它的值）最终 loss 为 {loss}，"
                                    "属于最好的一组"},
    "lr_sweep.current_worse": {"en": "lr {lr}, the current rate (or the grid's nearest to it), "
                                     "ends at {loss}, against {best_loss} at lr {best}",
                               "zh": "lr {lr}（当前学习率或网格中最接近它的值）最终 loss 为 "
                                     "{loss}，而 lr {best} 为 {best_loss}"},
    "lr_sweep.tied": {"en": "the rates {tied} tie for the lowest loss after {steps} steps on "
                            "the batch; {best} is the one nearest the current rate",
                      "zh": "在这个 batch 上训练 {steps} 步后，lr {tied} 的 loss 并列最低；"
                            "{best} 最接近当前学习率"},
    "lr_sweep.fresh_drop": {
        "en": "the freshly built model at lr {lr} goes from a loss of {start} to {end} in "
              "{steps} steps on the batch",
        "zh": "新建的模型以 lr {lr} 在该 batch 上训练 {steps} 步，loss 从 {start} 降到 {end}"},
    "lr_sweep.baseline": {"en": "the sweep compares with {choice}",
                          "zh": "扫描的比较基准是 {choice}"},
    "lr_sweep.best_from_zero": {"en": "after {steps} steps on the batch the best lr is {best}, "
                                      "against the current {choice} of 0; final losses: {table}",
                                "zh": "在这个 batch 上训练 {steps} 步后最佳 lr 是 {best}，而当前 "
                                      "{choice}为 0；各 lr 的最终 loss：{table}"},
    "overfit.outcome": {"en": "{words} in {n} steps on one batch of {size} with {choice}",
                        "zh": "用 {choice}在一个含 {size} 个样本的 batch 上训练 {n} 步：{words}"},
    "overfit.without_decay": {
        "en": "with weight_decay set from {decay} to 0, otherwise as {choice}: {words} in {n} "
              "steps on the same batch from the same start",
        "zh": "把 weight_decay 从 {decay} 改为 0（其余同 {choice}），在同一个 batch 上从同一起点"
              "训练 {n} 步：{words}"},
    "overfit.without_flat_decay": {
        "en": "with the biases' and norm scales' weight_decay set from {flat} to 0 and the "
              "weight matrices' kept at {decay}, otherwise as {choice}: {words} in {n} steps on "
              "the same batch from the same start",
        "zh": "把偏置和归一化缩放参数的 weight_decay 从 {flat} 改为 0、权重矩阵的保持 {decay}"
              "（其余同 {choice}），在同一个 batch 上从同一起点训练 {n} 步：{words}"},
    "overfit.flat_decay_already_off": {
        "en": "the biases and norm scales carry no weight decay in this run, the weight "
              "matrices {decay}: that fit is the run's own, above",
        "zh": "本次训练中偏置和归一化缩放参数没有权重衰减，权重矩阵为 {decay}：这个拟合就是上面"
              "本次训练自己的拟合"},
    "overfit.standard_loss": {
        "en": "dldoctor fits the batch with a standard loss chosen for the output and targets "
              "(mean squared error, cross-entropy), not your own loss code",
        "zh": "dldoctor 用按输出和目标选定的标准 loss（均方误差、交叉熵）拟合这个 batch，而不是"
              "你自己的 loss 代码"},
    "arch.recurrence_bounded": {
        "en": "the {n} recurrent module(s) ({names}) run their recurrence through tanh and "
              "sigmoid gates: a ReLU elsewhere in the model does not enter it",
        "zh": "{n} 个循环模块（{names}）的循环都经过 tanh 和 sigmoid 门：模型其他位置的 ReLU 不会"
              "进入循环"},
    "arch.recurrence_relu": {
        "en": "{n} recurrent module(s) ({names}) run a ReLU recurrence (nonlinearity='relu')",
        "zh": "{n} 个循环模块（{names}）的循环使用 ReLU（nonlinearity='relu'）"},
    "overfit.robust_loss": {
        "en": "dldoctor fits the batch with the {name} loss your model file trains with (at "
              "PyTorch's default delta of 1), not a mean squared error",
        "zh": "dldoctor 用你的模型文件训练时使用的 {name} loss（PyTorch 默认的 delta 1）拟合这个 "
              "batch，而不是均方误差"},
    "overfit.clipped": {
        "en": "with the gradient norm clipped to {clip}, otherwise as {choice}: {words} in {n} "
              "steps on the same batch from the same start",
        "zh": "把梯度范数裁剪到 {clip}（其余同 {choice}），在同一个 batch 上从同一起点训练 {n} "
              "步：{words}"},
    "overfit.nan_at_start": {"en": "the loss is NaN/inf from the first step",
                             "zh": "loss 从第一步起就是 NaN/inf"},
    "overfit.nan_at": {"en": "the loss became NaN/inf at step {step}",
                       "zh": "loss 在第 {step} 步变成 NaN/inf"},
    "overfit.already_fit": {"en": "the loss starts at {a}, already about 0, and stays below {b}",
                            "zh": "loss 一开始就是 {a}，已接近 0，之后一直低于 {b}"},
    "overfit.fit_from_trained": {
        "en": "from the trained weights the loss starts at {a} and ends at {b}, both under 5% of "
              "the {fresh} the freshly built model pays: the model already fits the batch",
        "zh": "从训练后的权重出发，loss 从 {a} 开始、到 {b} 结束，都不到新建模型的 {fresh} 的 5%："
              "模型已经拟合了这批样本"},
    "overfit.grew": {"en": "the loss grew from {a} to {b}", "zh": "loss 从 {a} 涨到 {b}"},
    "overfit.fell": {"en": "the loss fell from {a} to {b}", "zh": "loss 从 {a} 降到 {b}"},
    "overfit.jumps": {"en": "the loss jumps around ({share} scatter), ends {b}",
                      "zh": "loss 上下跳动（波动 {share}），最终为 {b}"},
    "overfit.rose": {"en": "the loss rose from {a} to {b}", "zh": "loss 从 {a} 升到 {b}"},
    "overfit.stays": {"en": "the loss stays near {a} (ends {b})",
                      "zh": "loss 一直在 {a} 附近（最终为 {b}）"},
    "overfit.fell_slowly": {"en": "the loss fell from {a} to only {b}",
                            "zh": "loss 从 {a} 只降到 {b}"},
    "batch.transfer": {"en": "trained on {half} of the batch's samples for {n} steps with "
                             "{choice}, the model's loss on the other {half} went down to "
                             "{lowest}, against {constant} for the best guess that ignores "
                             "the inputs (label frequencies or mean): {share} lower",
                       "zh": "用 {choice}在 batch 的 {half} 个样本上训练 {n} 步后，模型在另外 "
                             "{half} 个样本上的 loss 最低降到 {lowest}，而不看输入的最佳猜测"
                             "（标签频率或均值）的 loss 是 {constant}：低 {share}"},
    "batch.no_transfer": {"en": "trained on {half} of the batch's samples for {n} steps with "
                                "{choice}, the model's loss on the other {half} never went below "
                                "{constant}, the loss of the best guess that ignores the inputs "
                                "(label frequencies or mean); lowest {lowest}",
                          "zh": "用 {choice}在 batch 的 {half} 个样本上训练 {n} 步后，模型在另外 "
                                "{half} 个样本上的 loss 从未低于不看输入的最佳猜测（标签频率或"
                                "均值）的 loss {constant}；最低 {lowest}"},
    # ------------------------------------------------------------ checkpoint weights
    "weights.all_finite": {"en": "all {n} tensors are finite", "zh": "{n} 个张量都是有限值"},
    "weights.non_finite": {
        "en": "{k} of {n} tensors hold NaN/inf; first {name} ({bad} of {total} values)",
        "zh": "{n} 个张量中有 {k} 个含 NaN/inf；第一个是 {name}（{total} 个值中有 {bad} 个）"},
    "weights.none_constant": {"en": "none of {n} weight matrices is constant",
                              "zh": "{n} 个权重矩阵都不是常数"},
    "weights.no_identical_rows": {"en": "no weight matrix has identical rows",
                                  "zh": "没有权重矩阵含有相同的行"},
    "weights.batchnorm": {"en": "{n} BatchNorm layers", "en_one": "1 BatchNorm layer",
                          "zh": "{n} 个 BatchNorm 层"},
    "weights.no_batchnorm": {"en": "no BatchNorm running statistics",
                             "zh": "没有 BatchNorm 的运行统计量"},
    "weights.conv": {"en": "{n} convolution layers", "en_one": "1 convolution layer",
                     "zh": "{n} 个卷积层"},
    "weights.conv2d": {"en": "{n} 2-D (image) convolution layers",
                       "en_one": "1 2-D (image) convolution layer",
                       "zh": "{n} 个二维（图像）卷积层"},
    "weights.recurrent": {"en": "{n} recurrent layers", "en_one": "1 recurrent layer",
                          "zh": "{n} 个循环层"},
    "weights.recurrent_modules": {"en": "the model built from --model holds {n} recurrent "
                                        "module(s) (RNN, LSTM, GRU or their cells)",
                                  "zh": "由 --model 构建的模型含有 {n} 个循环模块（RNN、LSTM、GRU "
                                        "或其单元）"},
    "weights.embedding": {"en": "{n} embedding layers", "en_one": "1 embedding layer",
                          "zh": "{n} 个嵌入层"},
    "input.stats_named": {"en": "the batch's '{name}' tensor (another input of forward) has "
                                "mean {mean}, std {std}, range [{low}, {high}]",
                          "zh": "batch 中的 '{name}' 张量（forward 的另一个输入）均值 {mean}，"
                                "标准差 {std}，范围 [{low}, {high}]"},
    "pad.fixed_layout": {
        "en": "every row of the batch ends in the same run of {n} × id {pad}, and id {pad} also "
              "stands inside every row: messages of one length in a fixed format, not shorter "
              "sequences padded to the longest",
        "zh": "batch 的每一行都以同样长度的 {n} 个 id {pad} 结尾，而且 id {pad} 也出现在每一行"
              "的正文中：这是固定格式、长度相同的消息，而不是把较短序列补齐到最长"},
    "pad.ignored": {"en": "{share} of the batch's positions are padding (id {pad}); their targets "
                          "are all -100, which the loss skips",
                    "zh": "batch 中 {share} 的位置是 padding（id {pad}）；它们的目标全是 -100，"
                          "loss 会跳过"},
    "pad.learnt_label": {
        "en": "{share} of the batch's positions are padding (id {pad}) with targets -100, yet the "
              "trained model gives nearly every padded position class {value}, more surely than "
              "any real token its class; its cross-entropy on the batch is {every} over every "
              "position with the padding labelled {value} and {real} over the real tokens only, "
              "and the training loss ends at {logged}: the training loss averaged over padding "
              "labelled {value}",
        "zh": "batch 中 {share} 的位置是 padding（id {pad}），目标为 -100；但训练后的模型几乎给"
              "每个 padding 位置都预测类别 {value}，比给任何真实 token 的预测都更确定；把 padding "
              "标为 {value} 时它在这个 batch 上对所有位置的交叉熵是 {every}，只算真实 token 是 "
              "{real}，而训练 loss 最后是 {logged}：训练时的 loss 对标为 {value} 的 padding 也取了"
              "平均"},
    "pad.labelled": {"en": "{share} of the batch's positions are padding (id {pad}), and their "
                           "targets are class {value}, not -100 — the class of {real} of the real "
                           "tokens: the loss averages over padding, or (with ignore_index={value}) "
                           "drops those real tokens too",
                     "zh": "batch 中 {share} 的位置是 padding（id {pad}），它们的目标是类别 "
                           "{value} 而不是 -100——真实 token 中有 {real} 也是这个类别：loss 要么"
                           "对 padding 也取了平均，要么（设了 ignore_index={value}）连这些真实 "
                           "token 也一起丢掉了"},
    "pad.unmasked_loss": {
        "en": "{share} of the batch's positions are padding ({pad}) labelled {value}, and "
              "{file} line {line} computes the loss over every position: the loop hands the "
              "model the mask '{mask}', but the loss reads neither it nor an ignore_index",
        "zh": "batch 中 {share} 的位置是填充（{pad}），标为 {value}；"
              "而 {file} 第 {line} 行在所有位置上计算 loss："
              "循环把掩码“{mask}”交给了模型，loss 却既没用它，也没有 ignore_index"},
    "pad.masked_argument": {
        "en": "{share} of the batch's positions are padding (id {pad}) with target {value}, "
              "but the batch also hands forward() a mask of exactly the real tokens: a loss "
              "that uses it skips the padding whatever its targets hold",
        "zh": "batch 中 {share} 的位置是填充（id {pad}），目标为 {value}；但 batch 同时给 "
              "forward() 一个恰好标出真实 token 的 mask：使用它的 loss 不论目标是什么都会跳过填充"},
    "pad.negative_label": {"en": "{share} of the batch's positions are padding (id {pad}), and "
                                  "their targets are {value}: no class index — a cross-entropy "
                                  "handed it raises an error unless it skips it (ignore_index "
                                  "or a mask), so a run that trained skipped them",
                           "zh": "batch 中 {share} 的位置是 padding（id {pad}），它们的目标是 "
                                 "{value}：这不是类别索引——交叉熵拿到它会报错，除非跳过它"
                                 "（ignore_index 或掩码），所以能训练下去的运行跳过了它们"},
    "pad.own_label": {"en": "{share} of the batch's positions are padding (id {pad}), and their "
                            "targets are {value}, a label no real token has: a loss with "
                            "ignore_index={value} skips them, one without it counts them",
                      "zh": "batch 中 {share} 的位置是 padding（id {pad}），它们的目标是 {value}，"
                            "没有任何真实 token 用这个标签：loss 设了 ignore_index={value} 就会跳过"
                            "它们，没设则会把它们算进去"},
    "leak.copy": {"en": "input column {column} equals the target (or a rescaled copy of it) in "
                        "all {n} samples of the batch: the answer is one of the inputs",
                  "zh": "batch 的全部 {n} 个样本中，输入第 {column} 列都等于目标（或其缩放后的"
                        "副本）：答案就在输入里"},
    "leak.one_hot": {"en": "input column {column} is 1 exactly where the target is class {value}, "
                           "in all {n} samples of the batch: the label is one-hot encoded among "
                           "the inputs",
                     "zh": "batch 的全部 {n} 个样本中，输入第 {column} 列恰好在目标为类别 {value} "
                           "时为 1：标签被 one-hot 编码进了输入"},
    "leak.in_part": {"en": "column {column} of the batch's '{part}' input equals the target (or "
                           "its complement, or one class's indicator) in all {n} samples: the "
                           "answer is one of the inputs",
                     "zh": "batch 中输入 '{part}' 的第 {column} 列在全部 {n} 个样本上都等于目标"
                           "（或其补集、或某一类的指示列）：答案就在输入里"},
    "leak.column": {"en": "input column {column} (counting from 0)",
                    "zh": "输入第 {column} 列（从 0 开始数）"},
    "leak.none": {"en": "none of the {columns} input columns copies the target over the batch's "
                        "{n} samples",
                  "zh": "在 batch 的 {n} 个样本上，{columns} 个输入列没有一列是目标的副本"},
    "leak.cut": {"en": "sorted by input column {column} (counting from 0), the batch's {n} "
                       "samples fall into its {k} classes in {k} unbroken runs: the label is "
                       "that column cut at {cuts}",
                 "zh": "按输入第 {column} 列（从 0 开始数）排序后，batch 的 {n} 个样本按 {k} 个"
                       "类别恰好分成 {k} 段不间断的连续区间：标签就是这一列在 {cuts} 处切分的结果"},
    "leak.cut_column": {"en": "input column {column} alone sorts the labels",
                        "zh": "仅输入第 {column} 列就能把标签排开"},
    "leak.no_cut": {"en": "no single one of the {columns} input columns, sorted, puts the "
                          "batch's {n} samples into their {k} classes in unbroken runs",
                    "zh": "{columns} 个输入列中，没有哪一列排序后能把 batch 的 {n} 个样本按 {k} 个"
                          "类别分成不间断的连续区间"},
    "orient.turned": {
        "en": "each pixel's target, predicted from the 3×3 input pixels around it (a least-squares "
              "fit on {n} samples, scored on the others), reaches a held-out {kind} of {given} "
              "as given and {best} {turned}: the targets are turned against their images",
        "zh": "用每个像素周围 3×3 的输入像素预测它的目标（在 {n} 个样本上做最小二乘拟合，在其余"
              "样本上评分），按原样的留出{kind}为 {given}，{turned}后为 {best}：目标与图像的方向"
              "不一致"},
    "orient.some_samples": {
        "en": "a least-squares predictor of each pixel's target from the 3×3 input pixels around "
              "it, fitted as given, matches {turned} of the {n} held-out samples far better "
              "flipped or rotated (error below {ratio} of the error as given): those samples' "
              "targets are turned against their images",
        "zh": "按原样拟合的最小二乘预测器（由每个像素周围 3×3 的输入像素预测其目标），在 {n} 个"
              "留出样本中有 {turned} 个翻转或旋转后匹配得好得多（误差低于原样的 {ratio}）：这些"
              "样本的目标与图像方向不一致"},
    "orient.as_given": {
        "en": "each pixel's target, predicted from the 3×3 input pixels around it (a least-squares "
              "fit on {n} samples), reaches a held-out {kind} of {given} as given, no better "
              "turned ({best} {turned}): the targets line up with their images",
        "zh": "用每个像素周围 3×3 的输入像素预测它的目标（在 {n} 个样本上做最小二乘拟合），按原样的"
              "留出{kind}为 {given}，旋转或翻转后并不更好（{turned}后为 {best}）：目标与图像对齐"},
    "orient.which": {"en": "the targets are turned against their images: {turned}",
                     "zh": "目标与图像方向不一致：{turned}"},
    "orient.per_sample": {"en": "flipped or rotated in some samples only",
                          "zh": "只在部分样本中翻转或旋转"},
    "orient.accuracy": {"en": "pixel accuracy", "zh": "像素准确率"},
    "orient.r2": {"en": "R²", "zh": " R²"},
    "orient.hflip": {"en": "flipped left–right", "zh": "左右翻转"},
    "orient.vflip": {"en": "flipped upside down", "zh": "上下翻转"},
    "orient.rot180": {"en": "rotated by 180°", "zh": "旋转 180°"},
    "orient.transpose": {"en": "transposed (height and width swapped)",
                         "zh": "转置（高和宽对调）"},
    "orient.rot90": {"en": "rotated by 90°", "zh": "旋转 90°"},
    "orient.rot270": {"en": "rotated by 270°", "zh": "旋转 270°"},
    "orient.antitranspose": {"en": "transposed about the other diagonal",
                             "zh": "沿另一条对角线转置"},
    "pad.logged_skips_class": {
        "en": "{share} of the batch's positions are padding (id {pad}) labelled {value}, the class "
              "of {real} of the real tokens; the trained model's cross-entropy on the batch is "
              "{every} over every position and {without} without label {value}, and the log ends "
              "at {logged}: the loss skips label {value} (ignore_index={value}), so the padding "
              "is left out, and every real token of class {value} with it",
        "zh": "batch 中 {share} 的位置是 padding（id {pad}），标签为 {value}，也是 {real} 的"
              "真实 token 的类别；训练后模型在这个 batch 上的交叉熵：对所有位置取平均是 {every}，"
              "去掉标签 {value} 是 {without}，而日志最后的 loss 是 {logged}：loss 跳过了标签 "
              "{value}（ignore_index={value}），padding 被排除，类别 {value} 的真实 token 也一起"
              "被排除了"},
    "pad.value": {"en": "the padded positions (input id {pad}) carry the target {value}",
                  "zh": "padding 位置（输入 id {pad}）的目标是 {value}"},
    "pad.logged_every": {"en": "{share} of the batch's positions are padding (id {pad}) labelled "
                               "{value}, a label no real token has; the trained model's "
                               "cross-entropy on the batch is {every} over every position and "
                               "{real} over the real tokens only, and the log ends at {logged}: "
                               "the loss averages over the padding too",
                         "zh": "batch 中 {share} 的位置是 padding（id {pad}），标签为 {value}，"
                               "没有任何真实 token 用这个标签；训练后模型在这个 batch 上的交叉熵："
                               "对所有位置取平均是 {every}，只算真实 token 是 {real}，而日志最后的 "
                               "loss "
                               "是 {logged}：loss 把 padding 也算进了平均"},
    "pad.logged_real": {"en": "{share} of the batch's positions are padding (id {pad}) labelled "
                              "{value}, a label no real token has; the trained model's "
                              "cross-entropy on the batch is {every} over every position and "
                              "{real} over the real tokens only, and the log ends at {logged}: "
                              "the loss skips the padding",
                        "zh": "batch 中 {share} 的位置是 padding（id {pad}），标签为 {value}，"
                              "没有任何真实 token 用这个标签；训练后模型在这个 batch 上的交叉熵："
                              "对所有位置取平均是 {every}，只算真实 token 是 {real}，而日志最后的 "
                              "loss "
                              "是 {logged}：loss 跳过了 padding"},
    "arch.norms": {"en": "{n} normalisation layers ran on the batch: {names}",
                   "en_one": "1 normalisation layer ran on the batch: {names}",
                   "zh": "在 batch 上运行了 {n} 个归一化层：{names}"},
    "arch.no_norms": {"en": "no normalisation layer ran on the batch",
                      "zh": "在 batch 上没有运行任何归一化层"},
    "arch.activation": {"en": "{k} of the {n} activation modules in the hidden layers are {kind} "
                              "(first: {layer})",
                        "zh": "隐藏层的 {n} 个激活模块中有 {k} 个是 {kind}（第一个：{layer}）"},
    "val.all_zero": {"en": "the validation loss is exactly 0 at all {n} evaluations",
                     "zh": "验证 loss 在全部 {n} 次评估中都恰好为 0"},
    "val.not_all_zero": {"en": "the validation loss is not 0 at every one of {n} evaluations",
                         "zh": "{n} 次评估中验证 loss 并非每次都为 0"},
    "loss.drop_share": {"en": "the loss's level fell from {a} to {b}: {share} of it",
                        "zh": "loss 水平从 {a} 降到 {b}：降了 {share}"},
    "model.library": {"en": "the model is {name}, a model library's own class, with no module "
                            "of the user's inside it",
                      "zh": "模型是 {name}，模型库自己的类，其中没有用户自己的模块"},
    "model.own_code": {"en": "the model ({name}) is, or holds, code of the user's own, not a model "
                             "library's class throughout",
                       "zh": "模型（{name}）是（或包含）用户自己的代码，而不完全是模型库的类"},
    "loss.one_class_levels": {
        "en": "over the later {n} logged steps the loss sits at two levels, {low} and {high} "
              "(the two clusters {separation} times their spread apart), switching {switches} "
              "times where a random order switches {expected}; exp(-level) of the two adds up to "
              "{total}: the costs of one predicted probability on a batch of each class",
        "zh": "在后 {n} 个记录的步里，loss 停在两个水平 {low} 和 {high}（两簇相距 {separation} "
              "倍离散度），切换 {switches} 次，随机顺序约切换 {expected} 次；两个水平的 "
              "exp(-水平) 之和为 {total}：正是同一个预测概率在每个类别的 batch 上的代价"},
    "loss.one_level": {
        "en": "over the later {n} logged steps the loss does not split into two levels of one "
              "predicted probability (separation {separation}, exp(-level) adding up to {total})",
        "zh": "在后 {n} 个记录的步里，loss 没有分成同一个预测概率的两个水平（分离度 "
              "{separation}，exp(-水平) 之和为 {total}）"},
    "weights.constant_by_design": {
        "en": "{names}: constant in the checkpoint, and built so by the factory itself (a "
              "recipe the fresh model's check leaves alone)",
        "zh": "{names}：在 checkpoint 中为常数，而且模型工厂本身就是这样构建的（新建模型检查视为"
              "惯用做法）"},
    "weights.constant_not_by_design": {
        "en": "{names}: constant in the checkpoint, though the factory does not build it so",
        "zh": "{names}：在 checkpoint 中为常数，而模型工厂并不是这样构建的"},
    "weights.norm_scales": {"en": "the {n} LayerNorm-like layers' gains have a median mean of "
                                  "{value} (from {low} to {high}); they start at 1",
                            "zh": "{n} 个 LayerNorm 类归一化层的增益均值中位数为 {value}"
                                  "（{low} 到 {high}）；它们的初始值是 1"},
    "weights.bn_gains": {"en": "the {n} BatchNorm layers' gains have a median RMS of {value} "
                                "(from {low} to {high}); they start at 1",
                         "zh": "{n} 个 BatchNorm 层增益的均方根中位数为 {value}（{low} 到 "
                               "{high}）；它们的初始值是 1"},
    "weights.norm_layers": {"en": "{n} normalisation layers (BatchNorm, LayerNorm, GroupNorm …)",
                            "en_one": "1 normalisation layer (BatchNorm, LayerNorm, GroupNorm …)",
                            "zh": "{n} 个归一化层（BatchNorm、LayerNorm、GroupNorm 等）"},
    "weights.head_at_init": {
        "en": "{head} holds PyTorch's default initialisation to the digit (values {lo} to {hi} "
              "inside ±1/√fan_in = ±{bound}, spread as a uniform's, std {std}) while {body} "
              "has left that range: no update reached the output layer",
        "zh": "{head} 与 PyTorch 的默认初始化分毫不差（取值 {lo} 到 {hi}，在 ±1/√fan_in = "
              "±{bound} 之内，分布如均匀分布，std {std}），而 {body} 已超出该范围：没有任何"
              "更新到达输出层"},
    "weights.head_moved": {
        "en": "{head} has left PyTorch's default initialisation (values {lo} to {hi}, std "
              "{std}; the init draws within ±{bound})",
        "zh": "{head} 已离开 PyTorch 的默认初始化（取值 {lo} 到 {hi}，std {std}；初始化在 "
              "±{bound} 之内取值）"},
    "weights.all_at_init": {
        "en": "{head} holds PyTorch's default initialisation (values {lo} to {hi} inside "
              "±{bound}), and so do the layers before it: the whole model looks untrained",
        "zh": "{head} 仍是 PyTorch 的默认初始化（取值 {lo} 到 {hi}，在 ±{bound} 之内），"
              "它之前的各层也是：整个模型看起来没有训练过"},
    "weights.no_in_out": {"en": "fewer than two linear or convolution layers: no autoencoder shape",
                          "zh": "线性层或卷积层不足两个：不是自编码器的形状"},
    "weights.in_out": {"en": "{first} takes {a} features, {last} gives {b}",
                       "zh": "{first} 输入 {a} 个特征，{last} 输出 {b} 个"},
    "weights.narrowest": {"en": "the narrowest of {k} hidden weight layers is {layer}, {n} wide",
                          "zh": "{k} 个隐藏权重层中最窄的是 {layer}，宽度 {n}"},
    "weights.output_width": {"en": "the last weight layer, {layer}, gives {n} outputs",
                             "zh": "最后一个权重层 {layer} 输出 {n} 个值"},
    "weights.output_over_narrowest": {"en": "the head gives {n} outputs from a hidden layer "
                                            "{k} wide: {ratio} its width",
                                      "zh": "输出头给出 {n} 个值，而最窄的隐藏层只有 {k} 宽："
                                            "是它的 {ratio}"},
    "weights.first_layer_normalised": {"en": "{bn} (a BatchNorm) follows the first weight "
                                             "layer {layer} directly",
                                       "zh": "第一个权重层 {layer} 之后紧跟着 BatchNorm {bn}"},
    "weights.first_layer_not_normalised": {"en": "no BatchNorm follows the first weight layer "
                                                 "{layer} directly",
                                           "zh": "第一个权重层 {layer} 之后没有紧跟 BatchNorm"},
    "weights.first_input_scale": {"en": "{bn} right after {layer} keeps a running std of {std} "
                                        "over rows of norm {norm}: the data {layer} reads "
                                        "spreads about {scale} (standardised inputs: about 1)",
                                  "zh": "紧跟 {layer} 的 {bn} 的滑动标准差为 {std}，而 {layer} "
                                        "每行权重的范数为 {norm}：{layer} 读入的数据分布尺度约为 "
                                        "{scale}（标准化的输入约为 1）"},
    "weights.depth": {"en": "{n} weight layers (linear, conv or recurrent) in {tensors} tensors",
                      "zh": "{tensors} 个张量中有 {n} 个权重层（线性、卷积或循环）"},
    # ------------------------------------------------------------ more of the log
    "log.few_epochs": {"en": "fewer than 3 epochs logged", "zh": "记录的 epoch 少于 3 个"},
    "log.few_per_epoch": {"en": "too few points per epoch", "zh": "每个 epoch 记录的点太少"},
    "loss.cosine_bounded": {
        "en": "the loss stays within [−{bound}, {bound}] (from {low} to {high}) and ends at "
              "{end}, close to −{bound}: a negative cosine similarity (SimSiam's −cos, or its "
              "sum over two views) closing in on its bound, negative by design",
        "zh": "loss 始终在 [−{bound}, {bound}] 之内（从 {low} 到 {high}），最后为 {end}，接近 "
              "−{bound}：这是负余弦相似度（SimSiam 的 −cos，或两个视角之和）在逼近它的下界，"
              "本来就是负的"},
    "loss.cosine_range": {
        "en": "the loss stays within [−{bound}, {bound}] (from {low} to {high}) but does not "
              "fall from near 0 to near −{bound} as a cosine similarity does (it ends at {end})",
        "zh": "loss 始终在 [−{bound}, {bound}] 之内（从 {low} 到 {high}），但没有像余弦相似度"
              "那样从 0 附近降到 −{bound} 附近（最后为 {end}）"},
    "loss.periodic_small": {
        "en": "each epoch's de-trended loss ({n} points) correlates {corr} (median) with the "
              "mean shape of the other epochs, not exactly, and that shape spans only {ripple} "
              "of the loss (under {least}): at so few points an epoch a loader in a fixed order "
              "repeats almost exactly or swings far more; a small, loose ripple is a shuffled "
              "loader's too (a memorising model fits the samples it saw most recently best)",
        "zh": "每个 epoch 去趋势后的 loss（{n} 个点）与其他 epoch 的平均形状相关 {corr}（中位数），"
              "但并不精确，而且这个形状只占 loss 的 {ripple}（不到 {least}）：每个 epoch 只有这么"
              "几个点时，顺序固定的 loader 要么几乎精确重复，要么摆动大得多；又小又松的波纹在打乱"
              "的 loader 中也会出现（会记忆的模型对最近见过的样本拟合得最好）"},
    "loss.periodic_unsure": {
        "en": "each epoch's de-trended loss ({n} points) correlates {corr} (median) with the "
              "mean shape of the other epochs: at so few points an epoch, between {low} (noise) "
              "and {limit} (an order that repeats) says neither",
        "zh": "每个 epoch 去趋势后的 loss（{n} 个点）与其他 epoch 的平均形状相关 {corr}（中位数）："
              "每个 epoch 只有这么几个点时，介于 {low}（噪声）与 {limit}（重复的顺序）之间，"
              "两者都说明不了"},
    "loss.periodic_ramp": {
        "en": "each epoch's de-trended loss ({n} points) correlates {corr} (median) with the "
              "mean shape of the other epochs, loosely (a fixed order repeats above {loose}), "
              "and that shape is a steady rise through the epoch (correlation {ramp} with the "
              "position): a model memorising a shuffled set fits best the samples it saw most "
              "recently, so its loss climbs through each epoch — not an order that repeats",
        "zh": "每个 epoch 去趋势后的 loss（{n} 个点）与其他 epoch 的平均形状相关 {corr}（中位数），"
              "只是松散地重复（固定顺序会高于 {loose}），而且这个形状在 epoch 内稳定上升（与位置的"
              "相关系数 {ramp}）：在打乱的数据上死记的模型最拟合刚见过的样本，所以 loss 在每个 "
              "epoch 内逐步升高——这不是重复的数据顺序"},
    "loss.periodic_by_evaluations": {
        "en": "the log has no epoch column, but a validation value every {n} logged steps marks "
              "them: each such span's de-trended loss correlates {corr} (median) with the mean "
              "shape of the others (repeats above {limit})",
        "zh": "日志中没有 epoch 列，但每 {n} 个记录步出现一次的验证值标出了 epoch："
              "每一段去趋势后的 loss 与其他段平均形状的相关系数为 {corr}"
              "（中位数；超过 {limit} 算周期重复）"},
    "loss.epoch_means_fall": {
        "en": "the loss repeats one shape each epoch, and its epoch means go from {first} to "
              "{last} over {n} epochs: a climb within an epoch is that shape, not a level that "
              "rises",
        "zh": "loss 每个 epoch 重复同一形状，其每个 epoch 的均值在 {n} 个 epoch 中从 {first} 变为 "
              "{last}：epoch 内的爬升只是这个形状，而不是水平在上升"},
    "loss.periodic": {"en": "each epoch's de-trended loss ({n} points) correlates {corr} (median) "
                            "with the mean shape of the other epochs (repeats above {limit})",
                      "zh": "每个 epoch 去趋势后的 loss（{n} 个点）与其他 epoch 平均形状的相关系数"
                            "为 {corr}（中位数；超过 {limit} 算周期重复）"},
    "grad.spike_count": {"en": "{n} gradient-norm spikes in {total} logged steps",
                         "en_one": "1 gradient-norm spike in {total} logged steps",
                         "zh": "记录的 {total} 步中有 {n} 个梯度范数尖峰"},
    "grad.spikes": {"en": "{n} gradient-norm spikes", "en_one": "1 gradient-norm spike",
                    "zh": "{n} 个梯度范数尖峰"},
    "grad.no_spikes": {"en": "no gradient-norm spikes", "zh": "没有梯度范数尖峰"},
    "grad.spike_largest": {"en": "largest gradient-norm spike {value} at {at} is {ratio} the local "
                                 "trend",
                           "zh": "最大的梯度范数尖峰为 {value}，在{at}，是局部趋势的 {ratio}"},
    "grad.spike_largest_below_peak": {
        "en": "largest gradient-norm jump {value} at {at} is {ratio} the local trend (the norm "
              "itself peaks at {peak}, at {peak_at})",
        "zh": "相对局部趋势最大的梯度范数跳变为 {value}，在{at}，是局部趋势的 {ratio}"
              "（梯度范数本身的最大值为 {peak}，在{peak_at}）"},
    "when.epoch": {"en": "epoch {n}", "zh": "第 {n} 个 epoch"},
    "when.val_point": {"en": "validation point {n}", "zh": "第 {n} 个验证点"},
    "val.no_loss": {"en": "no validation loss in the log", "zh": "日志中没有验证 loss"},
    "val.bottoms": {"en": "validation loss bottoms at {low} ({when}) and ends at {end} while the "
                          "training loss keeps falling",
                    "zh": "验证 loss 在{when}降到最低 {low}，最终为 {end}，而训练 loss 仍在下降"},
    "val.turns_up": {"en": "validation loss turns up after {when}",
                     "zh": "验证 loss 在{when}之后回升"},
    "val.acc_while_rising": {"en": "validation accuracy goes from {a} to {b} while validation loss "
                                   "rises",
                             "zh": "验证 loss 上升期间，验证准确率从 {a} 变为 {b}"},
    "val.jumps": {"en": "validation loss jumps up and down while training improves",
                  "zh": "训练在改善，验证 loss 却上下跳动"},
    "val.smooth": {"en": "validation loss moves smoothly", "zh": "验证 loss 变化平稳"},
    "val.not_positive": {"en": "the training or validation loss is not positive where they are "
                               "compared",
                         "zh": "在比较的位置，训练或验证 loss 不是正数"},
    "val.acc_stays_guess": {"en": "validation accuracy stays at {mean} ≈ 1/{k}",
                            "zh": "验证准确率停在 {mean} ≈ 1/{k}"},
    "val.acc_stays_unknown": {"en": "validation accuracy stays at {mean}, not 1/k for a small k; "
                                    "the number of classes is unknown",
                              "zh": "验证准确率停在 {mean}，不是小 k 的 1/k；类别数未知"},
    "batch.negative_labels_wrapped": {
        "en": "{n} of the batch's {total} labels are {label}, and the trained model puts "
              "{share} of those samples in class {cls} (against {base} of the other samples): "
              "the loss indexed with the label, and Python wraps {label} to class {cls}",
        "zh": "batch 的 {total} 个标签中有 {n} 个是 {label}，训练后的模型把其中 {share} 的样本"
              "判为类别 {cls}（其余样本只有 {base}）：loss 直接用这个标签做索引，而 Python 会把 "
              "{label} 绕回到类别 {cls}"},
    "batch.negative_labels_wrapped_spread": {
        "en": "{n} of the batch's {total} labels are {label}, and the trained model gives the "
              "samples of the other classes a mean {mass} on class {cls}, {over} what it gives "
              "each of their other wrong classes: the loss indexed with the label (Python wraps "
              "{label} to class {cls}), and samples of every class were trained as class {cls}",
        "zh": "batch 的 {total} 个标签中有 {n} 个是 {label}，训练后的模型给其他类别的样本"
              "平均 {mass} 的概率判为类别 {cls}，是其余每个错误类别的 {over}："
              "loss 直接用这个标签做索引（Python 把 {label} 绕回到类别 {cls}），"
              "各个类别的样本都被当作类别 {cls} 训练了"},
    "batch.negative_labels_skipped": {
        "en": "{n} of the batch's {total} labels are {label}, and the trained model puts only "
              "{share} of those samples in class {cls}, where the index would wrap: the loss "
              "skipped them",
        "zh": "batch 的 {total} 个标签中有 {n} 个是 {label}，训练后的模型只把其中 {share} 的样本"
              "判为类别 {cls}（索引绕回的位置）：loss 跳过了它们"},
    "batch.one_class_by_chance": {
        "en": "the batch of {n} holds one class, but the model's one answer scores {share} of "
              "the validation data at every evaluation: a random batch of {n} from data that "
              "much of one class holds it alone {odds} of the time",
        "zh": "这个 {n} 个样本的 batch 只有一个类别，但模型的单一答案在每次评估中都得到验证数据的 "
              "{share}：从这么偏向一个类别的数据中随机抽 {n} 个样本，有 {odds} 的概率全是这个类别"},
    "val.acc_one_class_chance": {
        "en": "validation accuracy is exactly {mean} at all {n} evaluations, above 1/{k} = "
              "{chance} but no better than a guess: one answer predicted for everything scores "
              "that answer's share of the data",
        "zh": "{n} 次评估的验证准确率都恰好是 {mean}，虽高于 1/{k} = {chance}，却并不比瞎猜好："
              "对所有样本都给出同一个答案，得分就是这个答案在数据中的占比"},
    "val.acc_identical": {"en": "validation accuracy is exactly {mean} at all {n} evaluations: the "
                                "model predicts one class",
                          "zh": "{n} 次评估的验证准确率都恰好是 {mean}：模型只预测一个类别"},
    "val.balanced_at_one_class": {
        "en": "{column} stays at {value} = 1/{k} while the accuracy is {acc}: a recall averaged "
              "over the {k} classes is 1/{k} when every sample gets one class, and the accuracy "
              "is then that class's share",
        "zh": "{column} 一直是 {value} = 1/{k}，而准确率为 {acc}：{k} 个类别平均的召回率为 1/{k} "
              "意味着每个样本都被判成同一类，此时准确率就是该类的占比"},
    "val.acc_near": {"en": "validation accuracy stays near {mean}; the class balance is not in "
                           "the log",
                     "zh": "验证准确率停在 {mean} 附近；日志中没有类别分布"},
    "loss.short_still_falling": {
        "en": "the log holds {n} points of the training loss, and the last is {share} below the "
              "one before ({limit} or more: still falling fast when the run stopped)",
        "zh": "日志只有 {n} 个训练 loss 点，最后一个比前一个低 {share}（不少于 {limit}：训练停止时 "
              "loss 仍在快速下降）"},
    "loss.named_kl": {
        "en": "{file} names its loss '{column}': a KL divergence",
        "zh": "{file} 把 loss 命名为 '{column}'：这是 KL 散度"},
    "loss.named_as_regression": {
        "en": "{file} names its training loss '{column}': a regression error, not a "
              "cross-entropy over classes",
        "zh": "{file} 把训练 loss 命名为 '{column}'：这是回归误差，不是对类别的交叉熵"},
    "loss.short_unmoved": {
        "en": "the log holds {n} points of the training loss, from {first} to {last}: "
              "{share} lower in all (under {limit} means the curve had not yet begun to fall)",
        "zh": "日志只有 {n} 个训练 loss 点，从 {first} 到 {last}：总共只低了 {share}（不到 "
              "{limit} 说明曲线还没开始下降）"},
    "loss.short_levelled": {
        "en": "the log holds {n} points of the training loss, and the last is {share} below the "
              "one before (under {limit}: levelling off)",
        "zh": "日志只有 {n} 个训练 loss 点，最后一个比前一个低 {share}（不到 {limit}：已趋平）"},
    "optimizer.zero_gradient_share": {
        "en": "{n} of the {held} tensors the {kind} optimizer holds have state that is exactly "
              "zero: stepped at every step, each time with a gradient of exactly 0",
        "zh": "{kind} 优化器持有的 {held} 个张量中有 {n} 个的状态恰好为零：每一步都更新过，"
              "但每次的梯度都恰好为 0"},
    "val.short_still_falling": {
        "en": "the log holds {n} evaluations of the validation loss, each below the one before, "
              "the last {share} below it ({limit} or more: still improving fast when the run "
              "stopped)",
        "zh": "日志只有 {n} 次验证 loss 评估，每次都低于前一次，最后一次低 {share}"
              "（不少于 {limit}：训练停止时验证 loss 仍在快速改善）"},
    "val.not_short": {
        "en": "the log holds {n} evaluations of the validation loss (a short log's fall is read "
              "from 2 to {limit} positive ones)",
        "zh": "日志有 {n} 次验证 loss 评估（短日志的下降只在 2 到 {limit} 次、且都为正时读取）"},
    "val.short_levelled": {
        "en": "the log holds {n} evaluations of the validation loss, and the last is {share} below "
              "the one before (under {limit}, or the loss rose on the way: no clean fall)",
        "zh": "日志只有 {n} 次验证 loss 评估，最后一次比前一次低 {share}"
              "（不到 {limit}，或中途上升过：不是干净的下降）"},
    "lr.vanished_rebuilt": {
        "en": "the saved {kind}, replayed from its settings over its {steps} steps, puts the rate "
              "below {limit} of its peak from step {first} on: {share} of the steps",
        "zh": "按保存的 {kind} 设置重放其 {steps} 步：从第 {first} 步起学习率低于峰值的 {limit}，"
              "占全部步数的 {share}"},
    "lr.never_vanished_rebuilt": {
        "en": "the saved {kind}, replayed from its settings over its {steps} steps, never takes "
              "the rate below {limit} of its peak (lowest {low} of it)",
        "zh": "按保存的 {kind} 设置重放其 {steps} 步：学习率从未低于峰值的 {limit}（最低为峰值的 "
              "{low}）"},
    "lr.vanished": {"en": "the learning rate is below {limit} of its peak for {share} of the "
                          "logged points after the peak",
                    "zh": "峰值之后记录的点中有 {share} 的学习率低于峰值的 {limit}"},
    # ------------------------------------------------------------ more of the optimizer state
    "lr.no_scheduler": {"en": "no lr scheduler in the optimizer state (torch and timm schedulers "
                              "record initial_lr in the param groups); lr = {lr}",
                        "zh": "优化器状态中没有学习率调度器（torch"
                              " 和 timm 的调度器会在参数组中记录 "
                              "initial_lr）；lr = {lr}"},
    "lr.fell_from_initial": {"en": "lr fell from initial_lr {a} to {b}",
                             "zh": "lr 从 initial_lr {a} 降到了 {b}"},
    "lr.scheduler_not_moved": {"en": "a scheduler is attached but lr {lr} still equals its "
                                     "initial value",
                               "zh": "挂了调度器，但 lr {lr} 仍等于初始值"},
    "optimizer.decoupled_flag": {"en": "param group says decoupled_weight_decay={flag}",
                                 "zh": "参数组中 decoupled_weight_decay={flag}"},
    "optimizer.l2": {"en": "{kind} adds weight decay to the gradient (L2)",
                     "zh": "{kind} 把权重衰减加到梯度上（L2）"},
    "optimizer.decoupled_unknown": {
        "en": "the state does not say whether decay is decoupled (Adam and AdamW of older "
              "PyTorch versions save the same settings)",
        "zh": "状态中看不出权重衰减是否解耦（旧版 PyTorch 的 Adam 和 AdamW 保存的设置相同）"},
    "shape.broadcast_not_logged": {
        "en": "{first} — but the run's own loss ends at {logged}, under half of {floor}, the "
              "least a broadcast pairing of these targets can score: the script aligns the "
              "shapes itself (a squeeze dldoctor's loss does not see)",
        "zh": "{first}——但这次训练自己的 loss 最终为 {logged}，不到 {floor} 的一半，而这些目标"
              "以广播方式配对时 loss 不可能低于它：训练脚本自己对齐了形状（dldoctor 的 loss 看不到"
              "其中的 squeeze）"},
    "optimizer.decay_shrink": {"en": "at its rate and weight decay, over its {steps} steps the "
                                     "decay can have shrunk a parameter by {share} at most",
                               "zh": "按它的学习率和权重衰减，{steps} 步中衰减最多能让参数缩小 "
                                     "{share}"},
    "optimizer.decay_on_1d": {"en": "{n} one-dimensional parameters (biases, norm scales) are in "
                                    "param groups with weight_decay > 0",
                              "zh": "{n} 个一维参数（偏置、归一化层的缩放）在 weight_decay > 0 的"
                                    "参数组中"},
    "optimizer.decay_on_bias_tables": {
        "en": "{n} per-id bias tables, shaped (n, 1), are in param groups with weight_decay > 0 "
              "({names})",
        "zh": "{n} 个按 id 的偏置表（形状 (n, 1)）在 weight_decay > 0 的参数组中（{names}）"},
    "optimizer.no_decay_on_1d": {"en": "biases and norm parameters sit in groups without weight "
                                       "decay",
                                 "zh": "偏置和归一化层参数所在的参数组没有权重衰减"},
    "optimizer.one_group_decay": {
        "en": "one param group with weight_decay={decay} and the model has {n} bias/norm "
              "tensors (no state to check shapes; all parameters assumed in the group)",
        "zh": "只有一个 weight_decay={decay} 的参数组，而模型有 {n} 个偏置/归一化张量"
              "（没有状态可查形状；假定所有参数都在该组中）"},
    "optimizer.several": {"en": "{n} optimizers in the checkpoint; only the first was read",
                          "zh": "checkpoint 中有 {n} 个优化器；只读取了第一个"},
    "optimizer.holds_fused": {
        "en": "the optimizer holds {held} parameter tensors and the checkpoint {n}, but both hold "
              "the same {elements} numbers: parameters fused in memory and saved split (a "
              "mixture-of-experts layer's experts), none left out",
        "zh": "优化器持有 {held} 个参数张量，checkpoint 中有 {n} 个，但两者的元素总数同为 "
              "{elements}：参数在内存中合并、保存时拆开（如混合专家层的各个专家），没有遗漏"},
    "optimizer.holds_fewer": {"en": "the optimizer holds {held} parameters but the model has {n}",
                              "zh": "优化器持有 {held} 个参数，模型却有 {n} 个"},
    "optimizer.frozen_uniform": {
        "en": "all {n} weight matrices the optimizer leaves out that are large enough to judge"
              "{rest} still have the shape of a uniform random initialisation (largest |value| "
              "at most {ratio} standard deviations; uniform gives 1.73, trained weights 2.5 or "
              "more): {names}{tables}",
        "zh": "优化器未持有、且大到足以判断的全部 {n} 个权重矩阵{rest}仍是均匀随机初始化的形状"
              "（最大绝对值不超过 {ratio} 个标准差；均匀分布为 1.73，训练过的权重为 2.5 以上）"
              "：{names}{tables}"},
    "optimizer.frozen_tables_only": {
        "en": "all {n} weight matrices the optimizer leaves out that are large enough to judge"
              "{rest} are embedding tables still at nn.Embedding's N(0, 1): {tables} (std "
              "{std}, mean {mean}; a pretrained table sits far from unit scale)",
        "zh": "优化器未持有、且大到足以判断的全部 {n} 个权重矩阵{rest}都是仍为 nn.Embedding 默认 "
              "N(0, 1) 的嵌入表：{tables}（标准差 {std}，均值 {mean}；预训练的嵌入表远离单位"
              "尺度）"},
    "optimizer.frozen_unit_normal": {
        "en": "; the embedding tables {tables} are still at nn.Embedding's N(0, 1) (std {std})",
        "zh": "；嵌入表 {tables} 仍是 nn.Embedding 默认的 N(0, 1)（标准差 {std}）"},
    "adam_input.off": {
        "en": "the first layer's Adam moments ({layer}: v(weight)/v(bias) over its {n} input "
              "columns) put the inputs' RMS at {rms} — far from unit scale (columns from {low} "
              "to {high})",
        "zh": "第一层（{layer}）的 Adam 二阶矩（{n} 个输入列的 v(weight)/v(bias)）显示输入的 "
              "RMS 约为 {rms}——远离单位尺度（各列从 {low} 到 {high}）"},
    "adam_input.ok": {
        "en": "the first layer's Adam moments ({layer}: v(weight)/v(bias) over its {n} input "
              "columns) put the inputs' RMS at {rms}, near unit scale",
        "zh": "第一层（{layer}）的 Adam 二阶矩（{n} 个输入列的 v(weight)/v(bias)）显示输入的 "
              "RMS 约为 {rms}，接近单位尺度"},
    "adam_input.tiny": {
        "en": "the first layer's gradients are under a hundredth of Adam's eps {eps}: too "
              "faint for their moments to tell the inputs' scale",
        "zh": "第一层的梯度不到 Adam eps {eps} 的百分之一：太弱，无法从其矩估计输入的尺度"},
    "adam_input.l2": {
        "en": "the first layer's Adam moments carry its L2 weight decay (added to the "
              "gradient), so they do not tell the inputs' scale",
        "zh": "第一层的 Adam 二阶矩包含了 L2 权重衰减（加在梯度上），无法据此判断输入的尺度"},
    "adam_input.unread": {
        "en": "the first layer's Adam moments hold no usable values",
        "zh": "第一层的 Adam 二阶矩没有可用的值"},
    "copies.found": {
        "en": "{k} of the {n} weight matrices the optimizer leaves out point the way a held "
              "matrix of their shape points (e.g. {name} against {twin}: cosine {cosine}): a "
              "running copy of the trained weights (an EMA teacher, a momentum encoder)",
        "zh": "优化器漏掉的 {n} 个权重矩阵中有 {k} 个与优化器持有的同形状矩阵方向一致"
              "（如 {name} 与 {twin}：余弦 {cosine}）：是训练权重的滑动副本"
              "（EMA 教师、动量编码器）"},
    "copies.not_found": {
        "en": "the {n} weight matrices the optimizer leaves out are no copy of held ones "
              "(only {share} point the way a held matrix of their shape points)",
        "zh": "优化器漏掉的 {n} 个权重矩阵不是被持有矩阵的副本"
              "（只有 {share} 与同形状的被持有矩阵方向一致）"},
    "copies.none_to_compare": {
        "en": "no held weight matrix has the shape of those the optimizer leaves out",
        "zh": "没有被持有的权重矩阵与优化器漏掉的矩阵形状相同"},
    "copies.no_matrices": {
        "en": "the optimizer leaves out no weight matrix large enough to compare",
        "zh": "优化器漏掉的参数中没有足够大、可以比较的权重矩阵"},
    "optimizer.frozen_unjudged": {
        "en": "no weight matrix left out of the optimizer can be told apart from a trained one "
              "(none with 256 values or more, or their names are not known)",
        "zh": "无法判断不在优化器中的权重矩阵是否训练过"
              "（没有 256 个值以上的矩阵，或不知道它们的名字）"},
    "optimizer.frozen_trained": {
        "en": "{name}, left out of the optimizer, is no uniform random initialisation: its largest "
              "|value| is {ratio} standard deviations (uniform gives 1.73) — trained or "
              "pretrained weights ({n} frozen matrices judged)",
        "zh": "{name} 不在优化器中，但它不是均匀随机初始化：最大绝对值为 {ratio} 个标准差"
              "（均匀分布为 1.73）——是训练过或预训练的权重（共判断 {n} 个冻结矩阵）"},
    "optimizer.holds_fewer_named": {
        "en": "the optimizer holds {held} parameters but the model has {n} (not held: "
              "{names}{more})",
        "zh": "优化器持有 {held} 个参数，模型却有 {n} 个（未持有：{names}{more}）"},
    "list.more": {"en": " and {n} more", "zh": " 等另外 {n} 个"},
    "optimizer.frozen_too_small": {"en": " ({n} more too small to judge)",
                                   "zh": "（另有 {n} 个太小，无法判断）"},
    "update.schedule_ended": {
        "en": "lr is {lr} at this checkpoint: the schedule has ended, so the size of the next "
              "update says nothing about the learning rate or about dead units",
        "zh": "这个 checkpoint 的 lr 为 {lr}：调度已结束，下一步更新的大小说明不了学习率，"
              "也说明不了死亡单元"},
    "update.schedule_ended_from": {
        "en": "lr is {lr} at this checkpoint (initial lr {initial}): the schedule has ended, so "
              "the size of the next update says nothing about the learning rate or about dead "
              "units",
        "zh": "这个 checkpoint 的 lr 为 {lr}（初始 lr {initial}）：调度已结束，下一步更新的"
              "大小说明不了学习率，也说明不了死亡单元"},
    "update.weights_collapsed": {
        "en": "the weight matrices have shrunk to a median {scale}× their Kaiming scale (under "
              "{limit}×): the next update is a median {median} of weights that small, which "
              "measures their collapse, not the size of the step",
        "zh": "权重矩阵缩小到了 Kaiming 尺度的 {scale} 倍（中位数，低于 {limit} 倍）：下一步更新"
              "量是这么小的权重的 {median}（中位数），这衡量的是权重的塌缩，而不是步长的大小"},
    "optimizer.every_tensor_still": {
        "en": "every one of the {n} tensors the {kind} optimizer holds, down to the last "
              "({last}, the bias next to the loss), takes a next step under {ratio} of its own "
              "norm: no gradient reached any parameter for hundreds of steps",
        "zh": "{kind} 优化器持有的 {n} 个张量，直到最后一个（{last}，紧挨着 loss 的偏置），"
              "下一步更新量都不到其自身范数的 {ratio}：数百步以来没有梯度到达任何参数"},
    "overfit.blow_up_finite": {
        "en": "the one-batch fit's loss grew from {a} to {b} over {n} steps but stayed a "
              "number at every step: no NaN or inf",
        "zh": "单 batch 拟合的 loss 在 {n} 步内从 {a} 涨到 {b}，"
              "但每一步都仍是有限数：没有 NaN 或 inf"},
    "overfit.blow_up_nan": {
        "en": "the one-batch fit's loss became NaN/inf within {n} steps",
        "zh": "单 batch 拟合的 loss 在 {n} 步内变成了 NaN/inf"},
    "optimizer.output_units_still": {
        "en": "{k} of the {n} output units of {name} (units {units}) keep a gradient memory "
              "in the {kind} state at most {share} of the most-moving unit's, in their bias and "
              "weight row alike: no gradient has reached those outputs for many steps, while "
              "the others get one",
        "zh": "{name} 的 {n} 个输出单元中有 {k} 个（单元 {units}）的 {kind} 梯度记忆，"
              "在偏置和权重行上都至多是最活跃单元的 {share}：许多步以来没有梯度到达这些输出，"
              "而其他输出都有"},
    "optimizer.output_units_moving": {
        "en": "every one of the {n} output units ({name}) still gets a gradient",
        "zh": "{n} 个输出单元（{name}）都仍有梯度"},
    "optimizer.tensor_moving": {
        "en": "{name} still moves: its next step is above a trillionth of its norm",
        "zh": "{name} 仍在更新：下一步更新量超过其范数的万亿分之一"},
    "update.from_state": {
        "en": "next-step update / weight norm from the {kind} state: median {median} over {n} "
              "weight matrices (largest {worst}: {largest}); about 1e-3 is healthy",
        "zh": "由 {kind} 状态算出的下一步更新量 / 权重范数：{n} 个权重矩阵的中位数为 {median}"
              "（最大的是 {worst}：{largest}）；约 1e-3 为健康"},
    "step.key": {"en": "checkpoint key '{name}' = {step}", "zh": "checkpoint 键“{name}” = {step}"},
    "step.state": {"en": "optimizer state step = {step}", "zh": "优化器状态中 step = {step}"},
    "step.per_epoch": {"en": "{steps} updates over the {epochs} epochs the checkpoint records: "
                             "{per} an epoch",
                       "zh": "checkpoint 记录的 {epochs} 个 epoch 共 {steps} 次更新："
                             "每个 epoch {per} 次"},
    # ------------------------------------------------------------ the fresh model's structure
    "dropout.after_conv": {"en": "{n} dropout layers follow a convolution: {names} (p = {p})",
                           "en_one": "1 dropout layer follows a convolution: {names} (p = {p})",
                           "zh": "{n} 个 dropout 层紧跟在卷积之后：{names}（p = {p}）"},
    "dropout.none_after_conv": {"en": "none of {n} dropout layers follows a convolution",
                                "zh": "{n} 个 dropout 层都不在卷积之后"},
    "dropout.largest": {"en": "largest dropout probability {p} in {layer} ({n} dropout layers)",
                        "zh": "最大的 dropout 概率为 {p}，在 {layer}（共 {n} 个 dropout 层）"},
    "dropout.none": {"en": "the model has no dropout module", "zh": "模型没有 dropout 模块"},
    "dropout.keep_product": {
        "en": "{n} dropout layers at p ≥ {limit} ({names}): a unit's signal through all of them "
              "survives in {keep} of the training passes",
        "zh": "{n} 个 p ≥ {limit} 的 dropout 层（{names}）：一个单元的信号穿过全部这些层，"
              "只在 {keep} 的训练前向中保留下来"},
    "layout.viewed": {"en": "each sample reaches the first layer ({layer}) as {seen}, the batch's "
                            "{shape} in its own memory order: the axes were relabelled with view() "
                            "or reshape(), not moved",
                      "zh": "每个样本以 {seen} 的形状进入第一层（{layer}），"
                            "其数据仍按 batch 的 {shape} 的内存顺序排列："
                            "维度是用 view() 或 reshape() 重新解释的，而非移动"},
    "layout.moved": {"en": "each sample reaches the first layer ({layer}) as {seen}, the batch's "
                           "{shape} with its axes moved (a permute or transpose)",
                     "zh": "每个样本以 {seen} 的形状进入第一层（{layer}），是 batch 的 {shape} "
                           "移动维度后的结果（permute 或 transpose）"},
    "lr.early_steps": {"en": "over the {n} logged rows up to step {step} (the first epoch or "
                             "the first 1000 steps, whichever is later) the learning rate goes "
                             "from {a} to {b} (1 % of its peak is the line), in a log of "
                             "{epochs} epochs",
                       "zh": "到第 {step} 步为止的 {n} 条记录中（第一个 epoch 或前 1000 步，"
                             "取较晚者），"
                             "学习率从 {a} 变为 {b}（以峰值的 1% 为界），日志共 {epochs} 个 epoch"},
    "loss.uniform_over_n": {
        "en": "the loss stays at {b} from its start {a}: ln {n} = {ln}, what a uniform guess "
              "over {n} things pays — not over the model's {k} classes (ln {k} = {chance})",
        "zh": "loss 从起点 {a} 起一直停在 {b}：即 ln {n} = {ln}，是对 {n} 个对象均匀乱猜的代价"
              "——而不是对模型的 {k} 个类别（ln {k} = {chance}）"},
    "loss.not_uniform_over_n": {
        "en": "the loss goes from {a} to {b}: not frozen at the ln of a count other than the "
              "model's {k} classes",
        "zh": "loss 从 {a} 变为 {b}：并没有停在模型 {k} 个类别以外某个数的对数上"},
    "metric.scores_apart": {
        "en": "{train} on the training data ends at {end}, while {val} is {top} at best over "
              "{n} evaluations, from the first on",
        "zh": "训练数据上的 {train} 最终为 {end}，而 {val} 在 {n} 次评估中"
              "（从第一次起）最高只有 {top}"},
    "metric.scores_together": {
        "en": "{train} on the training data ends at {end}; {val} reaches {top} over {n} "
              "evaluations",
        "zh": "训练数据上的 {train} 最终为 {end}；{val} 在 {n} 次评估中最高达到 {top}"},
    "lr.collapse_at": {"en": "the learning rate falls from its peak {a} to {b}, under 1 % of it, "
                             "at step {step}: {share} of the way into the log's {total} steps "
                             "(no epoch column; early is within the first 1000 steps and "
                             "the first quarter of the run)",
                       "zh": "学习率在第 {step} 步从峰值 {a} 降到 {b}，低于峰值的 1%："
                             "位于日志共 {total} 步的 {share} 处（日志没有 epoch 列；"
                             "以前 1000 步且前四分之一为“过早”）"},
    "lr.no_collapse": {"en": "the learning rate never falls under 1 % of its peak {a} (lowest "
                             "{b}) over the log's {total} steps",
                       "zh": "在日志的 {total} 步中，学习率从未低于峰值 {a} 的 1%（最低 {b}）"},
    "lr.first_epoch": {"en": "over the first epoch's {n} logged rows the learning rate goes "
                             "from {a} to {b} (1 % of its peak is the line), in a log of "
                             "{epochs} epochs",
                       "zh": "第一个 epoch 的 {n} 条记录中，学习率从 {a} 变为 {b}（以峰值的 1% "
                             "为界），日志共 {epochs} 个 epoch"},
    "loss.match_softmax_multi_hot": {
        "en": "the log's training loss ends at {logged}; on the batch's {n} multi-label rows "
              "({k} labels, some rows with several) the trained model scores {softmax} under a "
              "softmax cross-entropy over the labels and {bce} under BCEWithLogitsLoss: the run "
              "made its labels compete in one softmax",
        "zh": "日志中训练 loss 最终为 {logged}；在该 batch 的 {n} 个多标签样本上（{k} 个标签，"
              "部分样本有多个），训练后的模型在跨标签的 softmax 交叉熵下为 {softmax}，在 "
              "BCEWithLogitsLoss 下为 {bce}：这次训练让各标签在同一个 softmax 里竞争"},
    "loss.match_bce_multi_hot": {
        "en": "the log's training loss ends at {logged}; on the batch's {n} multi-label rows "
              "({k} labels) the trained model scores {bce} under BCEWithLogitsLoss and "
              "{softmax} under a softmax cross-entropy: each label is scored on its own",
        "zh": "日志中训练 loss 最终为 {logged}；在该 batch 的 {n} 个多标签样本上（{k} 个标签），"
              "训练后的模型在 BCEWithLogitsLoss 下为 {bce}，在 softmax 交叉熵下为 {softmax}："
              "每个标签各自计分"},
    "weights.first_filters": {"en": "the first 2-D convolution ({layer}) has {n} filters",
                              "zh": "第一个二维卷积层（{layer}）有 {n} 个卷积核"},
    "loss.parts_share": {"en": "the logged parts {parts} add up to {start} at the start and {end} "
                               "at the end, against {t0} and {t1} for {column}: at most {share} "
                               "of it",
                         "zh": "记录的各部分 {parts} 之和开始时为 {start}、结束时为 {end}，而 "
                               "{column} 为 {t0} 和 {t1}：最多只占其 {share}"},
    "batch.trained_auc": {"en": "the trained model's scores rank the batch's {n} samples with a "
                                "mean ROC AUC of {auc} over {k} labels (from {low} to {high}; a "
                                "coin ranks at 0.5)",
                          "zh": "训练后的模型对该 batch 的 {n} 个样本打分，{k} 个标签上的平均 "
                                "ROC AUC 为 {auc}（从 {low} 到 {high}；抛硬币为 0.5）"},
    "loss.penalty_fall_share": {
        "en": "the training loss goes from {a} to {b}; its {data} part from {d0} to {d1}, "
              "{penalty} from {p0} to {p1}: {share} of the fall is the penalty shrinking",
        "zh": "训练 loss 从 {a} 变为 {b}；其中 {data} 部分从 {d0} 变为 {d1}，{penalty}从 {p0} "
              "变为 {p1}：下降的 {share} 来自惩罚项的缩小"},
    "loss.penalty_rest": {"en": "the rest (the total less that part, a term the log leaves out)",
                          "zh": "其余部分（总 loss 减去该部分，日志没有记录的一项）"},
    "loss.penalty_part": {"en": "its {column} part", "zh": "{column} 部分"},
    "loss.penalty_fall": {"en": "the training loss goes from {a} to {b}; its {data} part from "
                                "{d0} to {d1}, {penalty} from {p0} to {p1}",
                          "zh": "训练 loss 从 {a} 变为 {b}；其中 {data} 部分从 {d0} 变为 {d1}，"
                                "{penalty}从 {p0} 变为 {p1}"},
    "out.one_class": {"en": "the trained model gives all {n} samples of the batch class {cls}, "
                            "though their labels hold {k} classes",
                      "zh": "训练后的模型把该 batch 的全部 {n} 个样本都判为类别 {cls}，而它们的标签"
                            "含有 {k} 个类别"},
    "out.several_classes": {"en": "the trained model gives the batch's {n} samples {m} different "
                                  "classes",
                            "zh": "训练后的模型给该 batch 的 {n} 个样本判出了 {m} 个不同的类别"},
    "rf.share": {"en": "one position of the last convolution ({layer}) sees {span} of the "
                       "input's {length} positions ({share} of it; measured by its gradient)",
                 "zh": "最后一个卷积层（{layer}）的一个位置只看到输入 {length} 个位置中的 {span} 个"
                       "（占 {share}；由梯度实测）"},
    "dropout.before_bn": {"en": "{dropout} runs before the BatchNorm {bn}",
                          "zh": "{dropout} 在 BatchNorm {bn} 之前执行"},
    "dropout.not_before_bn": {"en": "every dropout runs after the last BatchNorm (a head's "
                                    "dropout after the body's norms)",
                              "zh": "所有 dropout 都在最后一个 BatchNorm 之后执行（主干归一化之后、"
                                    "分类头中的 dropout）"},
    "dropout.none_heavy": {"en": "none of {n} dropout layers has p ≥ {limit}",
                           "zh": "{n} 个 dropout 层中没有 p ≥ {limit} 的"},
    "dropout.largest_after_conv": {"en": "largest dropout probability after a convolution {p} in "
                                         "{layer}",
                                   "zh": "卷积之后最大的 dropout 概率为 {p}，在 {layer}"},
    "dropout.no_conv_dropout": {"en": "no dropout module follows a convolution",
                                "zh": "没有 dropout 模块紧跟在卷积之后"},
    "init.scale_max": {"en": "in the fresh model, weight std over Kaiming's √(2/fan_in) (a "
                             "recurrent layer's: over PyTorch's 1/√(3·hidden) or Kaiming's, "
                             "whichever is nearer) is largest in {layer}: {ratio}",
                       "zh": "新建模型中，权重标准差与 Kaiming 的 √(2/fan_in)（循环层则与 PyTorch "
                             "的 1/√(3·hidden) 或 Kaiming 中较接近者）之比在 {layer} "
                             "最大：{ratio}"},
    "init.scale_min": {"en": "in the fresh model, weight std over Kaiming's √(2/fan_in) (a "
                             "recurrent layer's: over PyTorch's 1/√(3·hidden) or Kaiming's, "
                             "whichever is nearer) is smallest in {layer}: {ratio}",
                       "zh": "新建模型中，权重标准差与 Kaiming 的 √(2/fan_in)（循环层则与 PyTorch "
                             "的 1/√(3·hidden) 或 Kaiming 中较接近者）之比在 {layer} "
                             "最小：{ratio}"},
    "init.constant": {"en": "the factory's freshly built model has constant weight matrices: "
                            "{names}",
                      "zh": "工厂函数新建的模型含有常数权重矩阵：{names}"},
    "init.constant_broken_first_step": {
        "en": "{names} starts constant in the factory's fresh model, but its gradient on the "
              "batch differs row by row: the first step makes its units differ (the random "
              "layers around it pass them distinct signals; a branch zeroed to start as the "
              "identity)",
        "zh": "{names} 在工厂函数新建的模型中是常数，但它在该 batch 上的梯度各行不同：第一步"
              "更新就会让各单元变得不同（周围随机初始化的层给它们传来不同的信号；这是为了让"
              "分支从恒等映射开始而置零）"},
    "init.constant_broken": {
        "en": "{names} starts constant in the factory's fresh model, but its trained rows "
              "differ: training broke the symmetry through the random layers around it",
        "zh": "{names} 在工厂函数新建的模型中是常数，但训练后的各行已各不相同：训练通过周围"
              "随机初始化的层打破了对称性"},
    "init.lora_b_nonzero": {"en": "{k} of {n} low-rank adapters start with both A and B "
                                  "non-zero in the fresh model (first {layer}, std {std}): "
                                  "B·A is added to the pretrained weights before any step",
                            "zh": "新建模型中 {n} 个低秩适配器里有 {k} 个的 A 和 B 都不为零"
                                  "（第一个是 {layer}，标准差 {std}）：还没训练一步，B·A "
                                  "就已加到预训练权重上"},
    "init.lora_zero_start": {"en": "each of the {n} low-rank adapters starts with B = 0: the "
                                   "adapted model starts as the pretrained one",
                             "zh": "{n} 个低秩适配器都以 B = 0 开始：适配后的模型起点就是"
                                   "预训练模型"},
    "init.none_constant": {"en": "none of {n} weight matrices of the fresh model is constant",
                           "zh": "新建模型的 {n} 个权重矩阵都不是常数"},
    "init.symmetric": {"en": "in the fresh model every output unit starts with the same weights "
                             "in {names}",
                       "zh": "新建模型中，{names} 的每个输出单元初始权重都相同"},
    "init.distinct_rows": {"en": "the fresh model's {n} weight matrices have distinct rows",
                           "zh": "新建模型的 {n} 个权重矩阵各行互不相同"},
    # ------------------------------------------------------------ more of the checkpoint weights
    "optimizer.zero_unheld": {"en": "every all-zero weight matrix ({n}: {names}) is one the "
                                     "optimizer does not hold",
                               "zh": "每个全零权重矩阵（{n} 个：{names}）都不在优化器中"},
    "optimizer.zero_held": {"en": "the optimizer holds some of the {n} all-zero weight matrices "
                                  "({names})",
                            "zh": "{n} 个全零权重矩阵（{names}）中有的在优化器中"},
    "batch.all_tokens_seen": {"en": "every one of the batch's {n} token positions (padding left "
                                    "out) looks up a row of {table} that training reached",
                              "zh": "这批样本的 {n} 个词元位置（不计 padding）查到的都是 {table} 中"
                                    "训练时收到过梯度的行"},
    "batch.unseen_tokens": {"en": "{share} of the batch's {n} token positions look up rows of "
                                  "{table} that no gradient ever reached in training ({k} "
                                  "ids, e.g. {rows})",
                            "zh": "这批样本 {n} 个词元位置中有 {share} 查到的是 {table} 中训练时"
                                  "从未收到梯度的行（{k} 个 id，例如 {rows}）"},
    "batch.runs": {"en": "the label changes {changes} times between neighbours in the batch of {n} "
                         "({k} classes); a shuffled order of these labels changes about "
                         "{expected} times",
                   "zh": "这 {n} 个样本（{k} 个类别）中相邻标签变化 {changes} 次；"
                         "同样标签打乱后约变化 {expected} 次"},
    "weights.constant": {"en": "constant weight matrices: {names}", "zh": "常数权重矩阵：{names}"},
    "weights.identical_rows": {"en": "every output unit has the same weights in {names}",
                               "zh": "{names} 的每个输出单元权重都相同"},
    "weights.scale_max": {"en": "weight std over Kaiming std √(2/fan_in) is largest in {layer}: "
                                "{ratio}",
                          "zh": "权重标准差与 Kaiming 标准差 √(2/fan"
                                "_in) 之比在 {layer} 最大：{ratio}"},
    "weights.scale_median": {"en": "weight std over Kaiming std √(2/fan_in): a median {ratio} over "
                                   "{n} layers (from {low} to {high})",
                             "zh": "权重标准差与 Kaiming 标准差 √(2/fan_in) 之比：{n} 层的中位数为 "
                                   "{ratio}（从 {low} 到 {high}）"},
    "weights.scale_min": {"en": "weight std over Kaiming std √(2/fan_in) is smallest in {layer}: "
                                "{ratio}",
                          "zh": "权重标准差与 Kaiming 标准差 √(2/fan"
                                "_in) 之比在 {layer} 最小：{ratio}"},
    "weights.one_std_small": {
        "en": "the weights of all {n} layers hold one std, about {std}, whatever their fan-in "
              "({low} to {high}): at most {multiple} their Kaiming std √(2/fan_in) — one "
              "small fixed normal draw for every layer",
        "zh": "全部 {n} 层的权重标准差相同，约 {std}，与 fan-in（{low} 到 {high}）无关：至多是其 "
              "Kaiming 标准差 √(2/fan_in) 的 {multiple}——每层都用同一个较小的固定正态分布初始化"},
    "weights.one_std": {
        "en": "the weights of all {n} layers hold one std, about {std}, whatever their fan-in "
              "({low} to {high}): a median {multiple} their Kaiming std √(2/fan_in) — one "
              "fixed normal draw for every layer, not scaled to it",
        "zh": "全部 {n} 层的权重标准差都约为 {std}，与各层的 fan-in（{low} 到 {high}）无关："
              "中位数是各自 Kaiming 标准差 √(2/fan_in) 的 {multiple}——每层都用同一个固定标准差"
              "的正态分布初始化，没有按 fan-in 缩放"},
    "weights.missing_bias": {"en": "{k} of {n} linear/conv layers have no bias and no norm layer "
                                   "after them: {names}",
                             "zh": "{n} 个线性/卷积层中有 {k} 个既没"
                                   "有偏置、后面也没有归一化层：{names}"},
    "weights.missing_bias_share": {"en": "{k} of {n} linear/conv layers lack a bias nothing "
                                         "stands in for",
                                   "zh": "{n} 个线性/卷积层中有 {k} 个缺少无可替代的偏置"},
    "weights.bias_ok": {"en": "all {n} linear/conv layers have a bias or a norm layer after them",
                        "zh": "{n} 个线性/卷积层都有偏置或后接归一化层"},
    "weights.bn_in_range": {"en": "running statistics of {n} BatchNorm layers in range",
                            "zh": "{n} 个 BatchNorm 层的运行统计量都在正常范围内"},
    "bn.tracked": {"en": "BatchNorm counted {tracked} training batches (the most of {n} "
                         "layers) in {steps} optimizer steps: {share}",
                   "zh": "BatchNorm 在 {steps} 个优化步中只统计了 {tracked} 个训练 batch"
                         "（{n} 个层中最多的）：{share}"},
    "bn.tracked_least": {"en": "BatchNorm counted {tracked} training batches (the least of "
                               "{n} layers, a running copy of the model beside it) in {steps} "
                               "optimizer steps: {share}",
                         "zh": "BatchNorm 在 {steps} 个优化步中统计了 {tracked} 个训练 batch"
                               "（{n} 个层中最少的；旁边还有模型的滑动副本）：{share}"},
    "weights.bn_never_updated": {
        "en": "all {n} BatchNorm layers have num_batches_tracked = 0 and running mean 0 / "
              "variance 1: their statistics were never updated",
        "zh": "{n} 个 BatchNorm 层的 num_batches_tracked 都为 0，运行均值为 0、方差为 1："
              "统计量从未更新"},
    "weights.bn_updated": {"en": "{k} of {n} BatchNorm layers updated their running statistics",
                           "zh": "{n} 个 BatchNorm 层中有 {k} 个更新过运行统计量"},
    "weights.logit_scale": {
        "en": "output layer {layer} ({shape}) gives logits of std ≈ {std} for unit-variance "
              "features (+ |bias| ≤ {bias}); large above {limit}",
        "zh": "输出层 {layer}（{shape}）在单位方差特征上给出标准差 ≈ {std} 的 logits"
              "（+ |偏置| ≤ {bias}）；超过 {limit} 算大"},
    "weights.half": {"en": "{k} of {n} floating tensors ({share} of the values) are "
                           "float16/bfloat16; dtypes: {dtypes}",
                     "zh": "{n} 个浮点张量中有 {k} 个（占数值的 {share}）是 float16/bfloat16；"
                           "数据类型：{dtypes}"},
    # ------------------------------------------------------------ the batch and the output shape
    "batch.classes": {"en": "the batch of {n} holds {k} classes",
                      "zh": "含 {n} 个样本的 batch 中有 {k} 个类别"},
    "batch.candidate_layout": {"en": "every target points at position {label} of the {k} "
                                     "candidate ids per sample in {name}: a sampled-softmax "
                                     "layout (the positive first, then its negatives), not one "
                                     "class",
                               "zh": "每个目标都指向 {name} 中每个样本 {k} 个候选 id 的"
                                     "第 {label} 位：这是采样 softmax 的排布（正例在前、"
                                     "负例在后），不是单一类别"},
    "batch.pair_targets": {"en": "every target is {label}, beside a second input shaped like "
                                 "the first ({name}): a pair's target can be constant by design "
                                 "(MarginRankingLoss's y = 1), so this says nothing of classes",
                           "zh": "所有目标都是 {label}，而且有第二个与第一个输入形状相同的输入"
                                 "（{name}）："
                                 "成对样本的目标可以按设计就是常数（MarginRankingLoss 的 y = 1），"
                                 "因此这不能说明类别分布"},
    "batch.one_class": {"en": "the batch of {n} holds 1 class (all {label})",
                        "zh": "含 {n} 个样本的 batch 中只有 1 个类别（全是 {label}）"},
    "batch.classes_small": {"en": "the batch of {n} holds 1 class (all {label}); with {size} "
                                  "samples for {classes} classes one class is all a batch can "
                                  "hold",
                            "zh": "含 {n} 个样本的 batch 中只有 1 个类别（全是 {label}）；"
                                  "{classes} 个类别只有 {size}"
                                  " 个样本，一个 batch 只能装下一个类别"},
    "batch.imbalance": {"en": "most frequent class {most}×, least {least}× among {k} classes "
                              "present",
                        "zh": "出现的 {k} 个类别中，最多的出现 {most} 次，最少的 {least} 次"},
    "batch.label_imbalance": {
        "en": "the most skewed of {k} labels, label {label}, takes its rarer value in {least} of "
              "{n} samples",
        "zh": "{k} 个标签中最偏斜的是标签 {label}，它较少的取值只出现在 {n} 个样本中的 {least} 个"},
    "batch.binary": {"en": "one output per target and the targets take the values {values}",
                     "zh": "每个目标对应一个输出，目标取值为 {values}"},
    "batch.binary_bad": {"en": "one output per target and the targets take the values {values}: "
                               "binary labels must be 0 and 1",
                         "zh": "每个目标对应一个输出，目标取值为 {va"
                               "lues}：二分类标签必须是 0 和 1"},
    "shape.class_index": {"en": "output {out} with class-index targets {tgt} (a cross-entropy "
                                "pairing)",
                          "zh": "输出 {out} 配类别索引目标 {tgt}（交叉熵的搭配）"},
    "shape.same": {"en": "output and targets both have shape {out}",
                   "zh": "输出和目标的形状都是 {out}"},
    "shape.level_near": {"en": "the run's own loss ends at {logged}, about {level}: what a "
                               "prediction paired with every target costs on these targets "
                               "(their variance, mean deviation or, under a Huber loss, its "
                               "cost) — the level a broadcast loss cannot go below",
                         "zh": "这次训练自己的 loss 最终为 {logged}，约等于 {level}：把每个预测与"
                               "所有目标配对时在这些目标上的代价（方差、平均偏差或 Huber loss "
                               "的代价）——广播的 loss 降不到这之下"},
    "shape.level_far": {"en": "the run's own loss ends at {logged}, away from {var} (the "
                              "targets' variance) and {mad} (their mean deviation), where a "
                              "broadcast loss would sit",
                        "zh": "这次训练自己的 loss 最终为 {logged}，与广播 loss 会停留的 {var}"
                              "（目标的方差）和 {mad}（平均偏差）都相去甚远"},
    "shape.level_unknown": {"en": "too few finite targets to place a broadcast loss's level",
                            "zh": "有限的目标值太少，无法确定广播 loss 的水平"},
    "shape.model_own_loss": {"en": "{first}; but the model computes its loss from the labels "
                                   "itself (a Hugging Face head squeezes one output against "
                                   "its labels): no broadcast in the run",
                             "zh": "{first}；但模型自己根据 labels 计算 loss（Hugging Face 的头"
                                   "会把单个输出与 labels 对齐）：训练中没有广播"},
    "shape.integer": {"en": "output {out} vs {{0, 1}}/integer targets {tgt}: classification "
                            "losses raise on a size mismatch rather than broadcast",
                      "zh": "输出 {out} 与 {{0, 1}}/整数目标 {tgt}：分类 loss 遇到尺寸不符会报错，"
                            "不会广播"},
    "shape.broadcast": {"en": "output {out} vs float targets {tgt}: an elementwise loss such as "
                              "MSE silently broadcasts them to {to}",
                        "zh": "输出 {out} 与浮点目标 {tgt}：MSE 这类逐元素 loss 会悄悄把它们广播成 "
                              "{to}"},
    "shape.differ": {"en": "output {out} vs float targets {tgt}: the shapes differ",
                     "zh": "输出 {out} 与浮点目标 {tgt}：形状不同"},
    "shape.paired": {"en": "inputs and targets both hold {n} samples along dimension 0",
                     "zh": "输入与目标在第 0 维都有 {n} 个样本"},
    "shape.unpaired": {
        "en": "{file} holds {n} inputs but {m} targets along dimension 0 (inputs {inputs}, "
              "targets {targets}; the model's output {out}): inputs and targets do not pair "
              "sample by sample",
        "zh": "{file} 的第 0 维有 {n} 个输入却有 {m} 个目标（输入 {inputs}，目标 {targets}；"
              "模型输出 {out}）：输入与目标无法逐样本配对"},
    "shape.unpaired_dim": {
        "en": "{first}; dimension {dim} of the inputs has the targets' length {m}: the batch is "
              "laid out with the samples on dimension {dim} (e.g. time-first), while the model "
              "reads dimension 0 as the batch",
        "zh": "{first}；输入的第 {dim} 维长度正是目标数 {m}：batch 把样本放在第 {dim} 维"
              "（如时间维在前），而模型把第 0 维当作 batch"},
    "note.unpaired_batch": {
        "en": "{file} holds {n} inputs but {m} targets, so they cannot be paired sample by "
              "sample (measured as batch.shape_mismatch)",
        "zh": "{file} 有 {n} 个输入却有 {m} 个目标，无法逐样本配对（已记为 batch.shape_mismatch）"},
    "lr_sweep.lowest": {"en": "lowest loss after {steps} steps on the batch with lr {best} "
                              "(grid {grid})",
                        "zh": "在这个 batch 上训练 {steps} 步后，lr {best} 的 loss 最低"
                              "（网格 {grid}）"},
    # ------------------------------------------------------------ progress of a running probe
    "progress.forward": {"en": "forward pass with hooks", "zh": "带钩子的前向传播"},
    "progress.forward_done": {"en": "forward pass done", "zh": "前向传播完成"},
    "progress.overfit": {"en": "overfitting one batch with {choice}",
                         "zh": "用 {choice}过拟合单个 batch"},
    "progress.overfit_done": {"en": "overfit test: {outcome}", "zh": "过拟合测试：{outcome}"},
    "progress.sweep": {"en": "lr sweep over {n} learning rates",
                       "zh": "在 {n} 个学习率上扫描"},
    "progress.best_lr": {"en": "best lr {best}", "zh": "最佳 lr {best}"},
    "progress.reading_logs": {"en": "reading logs", "zh": "读取日志"},
    "progress.classified": {"en": "classified {n} curves", "zh": "已判断 {n} 条曲线"},
    "progress.opening": {"en": "opening {file}", "zh": "打开 {file}"},
    "progress.reading_trace": {"en": "reading the trace", "zh": "读取 trace"},
    "progress.read_steps": {"en": "read {n} steps", "zh": "已读取 {n} 步"},
    "progress.scanning": {"en": "scanning {what}: {name}", "zh": "扫描{what}：{name}"},
    # ------------------------------------------------------------ the training loop's trace
    "trace.nonfinite_module": {"en": "first non-finite output: module {module} at step {step}",
                               "zh": "第一个非有限输出：第 {step} 步的模块 {module}"},
    "trace.nonfinite_loss": {"en": "every module output was finite at step {step}; the loss "
                                   "computation made the NaN/inf",
                             "zh": "第 {step} 步所有模块的输出都是有限值；NaN/inf 来自 "
                                   "loss 的计算"},
    "trace.steps_more": {"en": "{steps} … ({n} steps)", "zh": "{steps} …（共 {n} 步）"},
    "trace.stale_grads": {"en": "the first backward of {k} of {n} steps found the previous "
                                "step's gradient still in .grad (steps {steps})",
                          "zh": "{n} 步中有 {k} 步的第一次反向传播发现 .grad 里还留着上一步的"
                                "梯度（第 {steps} 步）"},
    "trace.grads_cleared": {"en": "gradients were cleared before each of {n} steps",
                            "zh": "{n} 步中每一步之前梯度都已清零"},
    "trace.model_has": {"en": "the model has {layers}", "zh": "模型含有 {layers}"},
    "trace.mode_moot": {"en": "the model has no BatchNorm or dropout, so the mode changes "
                              "nothing",
                        "zh": "模型没有 BatchNorm 或 dropout，所以模式不影响结果"},
    "trace.eval_forwards": {"en": "{k} of {n} forward passes with autograd on ran with "
                                  "model.training == False; {where}",
                            "zh": "开着 autograd 的 {n} 次前向传播中有 {k} 次在 "
                                  "model.training == False 下运行；{where}"},
    "trace.eval_forwards_bn": {"en": "{k} of {n} forward passes with autograd on ran with "
                                     "model.training == False; {where}; BatchNorm statistics "
                                     "updated {bn} times",
                               "zh": "开着 autograd 的 {n} 次前向传播中有 {k} 次在 "
                                     "model.training == False 下运行；{where}；BatchNorm "
                                     "统计量更新了 {bn} 次"},
    "trace.lr_collapsed": {"en": "the learning rate fell from {a} to {b}; below {share}× its "
                                 "start at optimizer step {step}; it changed at {k} of {n} steps",
                           "zh": "学习率从 {a} 降到 {b}；在优化器第 {step} 步低于起始值的 "
                                 "{share}×；{n} 步中有 {k} 步发生了变化"},
    "trace.lr_went": {"en": "the learning rate went from {a} to {b} over {steps} steps; it "
                            "changed at {k} of {n} steps",
                      "zh": "学习率在 {steps} 步内从 {a} 变为 {b}；{n} 步中有 {k} 步发生了变化"},
    "trace.backwards": {"en": "{k} backward passes per optimizer step (median of {n})",
                        "zh": "每个优化器步有 {k} 次反向传播（{n} 步的中位数）"},
    "trace.orphans": {"en": "{n} parameters get gradients but no optimizer group holds them: "
                            "{names}",
                      "zh": "{n} 个参数有梯度，但没有任何优化器参数组持有它们：{names}"},
    "trace.no_orphans": {"en": "every parameter with a gradient is in the optimizer",
                         "zh": "每个有梯度的参数都在优化器中"},
    "trace.orphans_no_grad": {"en": "{n} trainable parameters outside the optimizer get no "
                                    "gradient either ({names})",
                              "zh": "优化器之外的 {n} 个可训练参数也没有梯度（{names}）"},
    "trace.labels_out": {"en": "targets span {low}..{high} but the output has {width} classes "
                               "(valid 0..{top}), first at step {step}",
                         "zh": "目标取值范围是 {low}..{high}，但输出只有 {width} 个类别"
                               "（有效范围 0..{top}），首次出现在第 {step} 步"},
    "trace.labels_in": {"en": "targets stay within 0..{width} - 1 in {n} logged batches",
                        "zh": "记录的 {n} 个 batch 中目标都在 0..{width} - 1 之内"},
    "trace.class_zero": {"en": "{n} logged labels span {low}..{high} for {width} outputs: class "
                               "0 never occurs, as with labels numbered 1..K and a head one "
                               "class wider",
                         "zh": "记录的 {n} 个标签取值 {low}..{high}，输出有 {width} 个：类别 0 "
                               "从未出现，就像标签从 1 编到 K、输出层却多了一类"},
    "trace.labels_span": {"en": "{n} logged labels span {low}..{high} for {width} outputs",
                          "zh": "记录的 {n} 个标签取值 {low}..{high}，输出有 {width} 个"},
    "trace.padding_share": {"en": "in the sequence targets, the value {value} fills {share} of "
                                  "the positions (median over {n} batches)",
                            "zh": "序列目标中，值 {value} 占了 {share} 的位置（{n} 个 batch 的"
                                  "中位数）"},
    "trace.loss_counts_padding": {
        "en": "the logged loss {logged} matches cross-entropy over every position ({all}) "
              "rather than without the value {value} ({ignoring})",
        "zh": "记录的 loss {logged} 与对所有位置算的交叉熵（{all}）相符，而不是去掉值 {value} "
              "后的（{ignoring}）"},
    "trace.loss_ignores_padding": {
        "en": "the logged loss {logged} matches cross-entropy without the value {value} "
              "({ignoring}), not over every position ({all})",
        "zh": "记录的 loss {logged} 与去掉值 {value} 后算的交叉熵（{ignoring}）相符，"
              "而不是对所有位置算的（{all}）"},
    "trace.accum_framework": {"en": "{k} backward passes per step under the {framework} "
                                    "trainer, which divides the loss by the accumulation steps "
                                    "itself",
                              "zh": "{framework} 训练器下每步 {k} 次反向传播，它自己会把 loss "
                                    "除以累积步数"},
    "trace.accum_divided": {"en": "with {k} backward passes per step, the logged loss is "
                                  "{ratio} the cross-entropy of a batch (checked at {n} "
                                  "steps): divided by {k}",
                            "zh": "每步 {k} 次反向传播时，记录的 loss 是一个 batch 交叉熵的 "
                                  "{ratio}（检查了 {n} 步）：已除以 {k}"},
    "trace.accum_not_divided": {"en": "with {k} backward passes per step, the logged loss is "
                                      "{ratio} the cross-entropy of a batch (checked at {n} "
                                      "steps): not divided",
                                "zh": "每步 {k} 次反向传播时，记录的 loss 是一个 batch 交叉熵"
                                      "的 {ratio}（检查了 {n} 步）：没有除以累积步数"},
    "trace.rnn_carried": {"en": "at step {step}, {module} got a hidden state whose autograd "
                                "graph was built at step {made}: it was carried over without "
                                "detach()",
                          "zh": "第 {step} 步时，{module} 收到的隐藏状态的计算图建于第 {made} "
                                "步：它没有 detach() 就被带了过来"},
    "trace.rnn_fresh": {"en": "no recurrent module got a hidden state from an earlier step's "
                              "graph",
                        "zh": "没有循环模块收到来自之前步计算图的隐藏状态"},
    "trace.worker_rng": {"en": "the dataset holds its own random generator ({rngs}), copied as "
                               "is into each of {n} workers, with no worker_init_fn",
                         "zh": "数据集持有自己的随机数生成器（{rngs}），原样复制到 {n} 个 worker "
                               "中，且没有 worker_init_fn"},
    "trace.workers": {"en": "{n} workers; random generators held by the dataset: {rngs}",
                      "zh": "{n} 个 worker；数据集持有的随机数生成器：{rngs}"},
    "trace.workers_no_rng": {"en": "{n} workers; the dataset holds no random generator",
                             "zh": "{n} 个 worker；数据集不持有随机数生成器"},
    "trace.val_transforms": {"en": "the validation dataset's transforms include {names}",
                             "zh": "验证集的变换中含有 {names}"},
    "trace.val_no_random": {"en": "no random augmentation in the validation dataset's "
                                  "transforms",
                            "zh": "验证集的变换中没有随机增强"},
    "trace.autocast16": {"en": "autocast float16 at the training forwards",
                         "zh": "训练前向传播使用 autocast float16"},
    "trace.weights16": {"en": "float16 weights", "zh": "float16 权重"},
    "trace.no_fp16": {"en": "no float16: autocast {autocast}, weights {weights}",
                      "zh": "没有 float16：autocast 为 {autocast}，权重为 {weights}"},
    "trace.scaler": {"en": "GradScaler scale {first} at the first step, {last} at the last",
                     "zh": "GradScaler 的 scale 第一步为 {first}，最后一步为 {last}"},
    "trace.update_ratio": {"en": "median ‖Δw‖/‖w‖ over {n} parameters at step {step}: {median}",
                           "zh": "第 {step} 步 {n} 个参数的 ‖Δw‖/‖w‖ 中位数：{median}"},
    "trace.std_min": {"en": "smallest activation std {std} in {layer} at step {step}",
                      "zh": "第 {step} 步激活标准差最小的是 {layer}：{std}"},
    "trace.std_max": {"en": "largest activation std {std} in {layer} at step {step}",
                      "zh": "第 {step} 步激活标准差最大的是 {layer}：{std}"},
    "trace.dead": {"en": "{share} of the channels of {layer} never fire at step {step}",
                   "zh": "第 {step} 步 {layer} 有 {share} 的通道从不激活"},
    # ------------------------------------------------------------ notes (remarks on a probe run)
    "note.no_weight_match": {
        "en": "{file}: no weight matches the model's names and shapes; live probes use the "
              "factory's initial weights",
        "zh": "{file}：没有一个权重与模型的名称和形状相符；实时检查使用工厂函数的初始权重"},
    "note.nan_weights": {
        "en": "{file}: {n} tensors hold NaN/inf (first {name}); live probes use the factory's "
              "freshly initialised weights instead",
        "zh": "{file}：{n} 个张量含 NaN/inf（第一个是 {name}）；实时检查改用工厂函数新初始化的"
              "权重"},
    "note.missing_tensors": {
        "en": "{file}: {k} of {n} model tensors not in the checkpoint (kept their initial "
              "values)",
        "zh": "{file}：模型的 {n} 个张量中有 {k} 个不在 checkpoint 中（保留初始值）"},
    "note.batch_half": {"en": "{path}: the inputs are {dtype}; the live probes feed them as "
                              "float32 to the float32 model the factory builds",
                        "zh": "{path}：输入是 {dtype}；实时检查把它们转成 float32，交给工厂函数"
                              "建出的 float32 模型"},
    "live.other_objective_at_guess": {
        "en": "the trained model's output on the batch is a guess's against its targets "
              "(cross-entropy {loss}, ln {k} = {guess}, near-uniform probabilities) although "
              "the run's own logged loss fell from {start} to {end}: the run optimises another "
              "objective (self-distillation, a contrastive or clustering loss), so fitting these "
              "targets says nothing of it",
        "zh": "训练后的模型在这个 batch 上的输出相对其目标只相当于乱猜（交叉熵 {loss}，ln {k} = "
              "{guess}，概率接近均匀），而训练自己记录的 loss 却从 {start} 降到了 {end}：训练"
              "优化的是别的目标（自蒸馏、对比或聚类 loss），拟合这些目标说明不了什么"},
    "live.other_objective": {
        "en": "the checks' loss on the model's output gives {n} parameter(s) no gradient at all "
              "({names}), yet the run trained every parameter (each has optimizer state): the "
              "run optimises another objective (a codebook or auxiliary term in its training "
              "step), so fitting the checks' loss says nothing of it",
        "zh": "检查所用的 loss（基于模型输出）让 {n} 个参数完全没有梯度（{names}），"
              "但这次训练更新了每个参数（每个都有优化器状态）：训练优化的是另一个目标"
              "（训练步骤里的码本项或辅助项），所以拟合检查所用的 loss 说明不了它"},
    "leak.target_tokens": {
        "en": "the forward argument '{name}' holds the target tokens themselves, and the output "
              "at step {step} of {steps} moves by {moved} of its size when '{name}' changes "
              "from that step on: each step reads the token it must predict (a decoder fed its "
              "targets unshifted)",
        "zh": "forward 参数 '{name}' 就是目标 token 本身，从第 {step} 步起（共 {steps} 步）改变 "
              "'{name}' 时，该步的输出变化了其大小的 {moved}：每一步都读到了它要预测的 token"
              "（解码器的输入是未移位的目标）"},
    "leak.target_tokens_shifted": {
        "en": "the forward argument '{name}' holds the target tokens, but the outputs up to "
              "step {step} of {steps} do not move when '{name}' changes from that step on "
              "(at most {moved} of their size): each step reads only earlier tokens",
        "zh": "forward 参数 '{name}' 是目标 token，但从第 {step} 步起（共 {steps} 步）改变它时，"
              "到该步为止的输出不动（最多变化其大小的 {moved}）：每一步只读到更早的 token"},
    "note.classes_last": {"en": "the trained model's output {shape} fits its class-id targets "
                                "along dimension 1 and along its last axis; it scores them far "
                                "better along the last, so the live checks read its classes "
                                "there (a pointer network's or a tagger's (batch, steps, "
                                "classes) layout)",
                          "zh": "训练后模型的输出 {shape} 沿第 1 维和最后一维都能对上类别编号目标；"
                                "沿最后一维的得分要好得多，所以实时检查在那里读取类别（指针网络或"
                                "序列标注器的 (batch, 步, 类别) 布局）"},
    "note.targets_rescaled": {
        "en": "the trained model's output matches the batch's targets only once they are "
              "rescaled, as (target − {shift}) / {scale}: the training step rescales its "
              "targets, so the live checks score the model on that scale",
        "zh": "训练好的模型的输出只有在目标按 (目标 − {shift}) / {scale} 缩放后才与这批样本的目标"
              "相符：训练步骤内部缩放了目标，所以在线检查按这个尺度给模型计分",
    },
    "note.soft_logits": {"en": "the trained model's output, through a sigmoid, reconstructs the "
                               "batch's targets in [0, 1] (raw it does not): the live checks "
                               "score it with binary cross-entropy on logits, not MSE",
                         "zh": "训练后模型的输出经 sigmoid 后能重建批次中 [0, 1] 的目标（原始输出"
                               "不能）：实时检查用基于 logits 的二元交叉熵打分，而非 MSE"},
    "note.cannot_run": {"en": "{what} could not run: {reason}", "zh": "{what}无法运行：{reason}"},
    "what.forward": {"en": "the forward pass", "zh": "前向传播"},
    "what.backward": {"en": "the backward pass", "zh": "反向传播"},
    "what.overfit": {"en": "the single-batch overfit test", "zh": "单个 batch 过拟合测试"},
    "what.sweep": {"en": "the lr sweep", "zh": "学习率扫描"},
    "what.weights": {"en": "weights", "zh": "权重"},
    "note.over_budget": {"en": "not measured: {what} ran past its budget of {seconds} s (raise "
                               "--probe-budget)",
                         "zh": "未测量：{what}超出了 {seconds} 秒的时间预算"
                               "（可调大 --probe-budget）"},
    "note.unknown_facts": {"en": "facts not in the knowledge base: {names}",
                           "zh": "知识库中没有这些事实：{names}"},
    "note.held_only": {"en": "the run's optimizer holds {n} of the model's parameters: the "
                             "live training checks train those only, as the run did",
                       "zh": "这次训练的优化器只持有模型的 {n} 个参数：实时训练检查也只训练这些，"
                             "与这次训练一致"},
    "note.fed_as_float": {"en": "the model rejected the raw integer inputs; the forward probe "
                                "fed them as float",
                          "zh": "模型不接受原始的整数输入；前向检查把它们转成 float 后输入"},
    "note.sweep_all_nan": {"en": "lr sweep: every learning rate gave NaN/inf; no best lr",
                           "zh": "学习率扫描：每个学习率都得到 NaN/inf，没有最佳值"},
    "note.oom_half": {"en": "{what}: CUDA ran out of memory; used half the batch ({n} samples)",
                      "zh": "{what}：CUDA 显存不足；改用半个 batch（{n} 个样本）"},
    "note.oom_cpu": {"en": "{what}: CUDA ran out of memory even with half the batch; ran on the "
                           "CPU",
                     "zh": "{what}：半个 batch 仍然显存不足；改在 CPU 上运行"},
    "note.code_in_pickle": {
        "en": "{file}: entry '{entry}' would call {call} when loaded with torch.load("
              "weights_only=False) — read as data, nothing run, skipped; do not load this file "
              "in full unless you trust who made it",
        "zh": "{file}：条目“{entry}”在用 torch.load(weights_only=False) 加载时会调用 {call}"
              "——已按数据读取，未运行任何代码并已跳过；除非信任文件来源，不要完整加载它"},
    "note.no_optimizer": {"en": "{file}: no optimizer state in the checkpoint",
                          "zh": "{file}：checkpoint 中没有优化器状态"},
    "note.classes_unknown": {"en": "log probe: number of classes unknown ({error})",
                             "zh": "日志检查：类别数未知（{error}）"},
    "note.rows_without_numbers": {
        "en": "{file}: {n} row(s) hold no number in any column read (the first is row "
              "{row}, line {line} of the file: a traceback or a print between the rows?) — "
              "skipped",
        "zh": "{file}：有 {n} 行在读取的各列中都没有数字（第一处是第 {row} 行数据、文件第 {line} "
              "行：是不是混进了报错信息或 print 输出？）——已跳过"},
    "note.cells_without_numbers": {
        "en": "{file}: {n} cell(s) of the columns read hold a word, or a number too large for "
              "any float (such as 1e400; a logger writes inf), not a measurement (the first "
              "is '{text}' in column '{column}', row {row}, line {line} of the file) — read "
              "as missing values",
        "zh": "{file}：读取的列中有 {n} 个单元格是文字，或是任何浮点数都放不下的数（如 1e400；"
              "记录器会写成 inf），不是测量值（第一处是“{column}”列第 {row} "
              "行数据、文件第 {line} 行的“{text}”）——按缺失值处理"},
    "note.step_goes_back": {
        "en": "{file}: the step goes back from {before} to {step} at row {row} (line {line}) — "
              "a run restarted or resumed and appended to the same log? The rows are read "
              "in file order, as one run",
        "zh": "{file}：第 {row} 行数据（文件第 {line} 行）处 step 从 {before} 回到 {step}——是不是"
              "重启或续训的运行追加到了同一个日志里？各行按文件顺序当作一次运行读取"},
    "note.read_as_printed": {
        "en": "{file}: line {line} is not JSON ({reason}), nor are too many others to skip — "
              "the file was read as printed output instead, each line for the metrics it "
              "names; check the lines that are not records",
        "zh": "{file}：第 {line} 行不是 JSON（“{reason}”），而且这样的行多到无法跳过——已改按"
              "打印输出逐行读取各行写出的指标；请检查那些不是记录的行"},
    "note.rows_infinite_step": {
        "en": "{file}: {n} corrupt row(s) — a step or epoch that is infinite, or none at all "
              "beside a loss that is no number (the first is row {row}, line {line} of the "
              "file) — skipped",
        "zh": "{file}：有 {n} 行损坏——step 或 epoch 为无穷大，或者没有 step/epoch 而 loss 也不是"
              "数值（第一处是第 {row} 行数据、文件第 {line} 行）——已跳过"},
    "note.lines_skipped": {
        "en": "{file}: {n} line(s) that are not JSON skipped (the first is line {line}); the "
              "other records are read",
        "zh": "{file}：跳过了 {n} 行不是 JSON 的内容（第一处在第 {line} 行）；其余记录照常读取"},
    "note.bad_bytes": {
        "en": "{file}: some bytes are not UTF-8; the fields that hold them are read as no "
              "number, the rest of the log as it is",
        "zh": "{file}：有些字节不是 UTF-8；含有它们的字段按“不是数字”处理，日志其余部分照常读取"},
    "note.garbled_tail": {
        "en": "{file}: from line {line} on the file is no text (a crash-garbled end?) — the "
              "lines before it are read, the rest is not",
        "zh": "{file}：从第 {line} 行起文件内容不是文本（崩溃时写坏的结尾？）——读取了之前的各行，"
              "其余未读"},
    "note.search_log": {
        "en": "{file} is a search log: its {column} column holds {n} trials, each a run of its "
              "own; the curves read are trial {trial}'s, {words}",
        "zh": "{file} 是一份超参数搜索日志：{column} 列含 {n} 次试验，每次都是一次独立的训练；"
              "读取的曲线来自试验 {trial}，{words}"},
    "note.trial_best_acc": {"en": "the best by {column} ({value})",
                            "zh": "按 {column} 最好（{value}）"},
    "note.trial_best_loss": {"en": "the lowest by {column} ({value})",
                             "zh": "按 {column} 最低（{value}）"},
    "note.trial_last": {"en": "the last one (the log scores none on validation)",
                        "zh": "最后一次（日志中没有验证分数）"},
    "loss.sign_split": {
        "en": "{loss} ends at {end}, below zero, while {val} stays above zero at every evaluation "
              "({low} to {high})",
        "zh": "{loss} 最终为 {end}，低于 0，而 {val} 在每次评估时都大于 0（{low} 到 {high}）"},
    "loss.sign_same": {
        "en": "{loss} ends at {end} and {val} also runs below zero (down to {low}): the same "
              "objective on both",
        "zh": "{loss} 最终为 {end}，{val} 也低于 0（最低 {low}）：两者是同一个目标"},
    "val.loss_nan_scored": {
        "en": "{loss} is first NaN/inf at {at}; at the evaluation before, {score} read {value} "
              "(its best so far {best}): the predictions held until the loss's arithmetic broke",
        "zh": "{loss} 在 {at} 首次变成 NaN/inf；在此前一次评估时 {score} 为 {value}（此前最好 "
              "{best}）：预测一直没坏，直到 loss 的计算坏掉"},
    "val.loss_nan_unscored": {
        "en": "{loss} is first NaN/inf at {at}; at the evaluation before, {score} read {value} "
              "(its best so far {best}): the predictions had already broken",
        "zh": "{loss} 在 {at} 首次变成 NaN/inf；在此前一次评估时 {score} 为 {value}（此前最好 "
              "{best}）：预测那时已经坏了"},
    "log.trials": {"en": "the log holds {n} trials of a search, each a run of its own",
                   "zh": "日志含一次搜索的 {n} 次试验，每次都是一次独立的训练"},
    "val.accuracy_steps": {"en": "every logged validation accuracy is a whole number of 1/{n} "
                                 "(e.g. {example} = {count}/{n}, {k} distinct values): the "
                                 "validation set holds {n} samples",
                           "zh": "记录的每个验证准确率都是 1/{n} 的整数倍（例如 {example} = "
                                 "{count}/{n}，共 {k} 个不同取值）：验证集只有 {n} 个样本"},
    "note.validation_beside": {
        "en": "{log} records no validation metric: the validation metrics are read from {file} "
              "beside it (its loss and accuracy columns are the validation split's; name "
              "another file with a second --log)",
        "zh": "{log} 中没有验证指标：验证指标从同一文件夹中的 {file} 读取（其中的 loss 与准确率列"
              "算作验证集的；若不是它，用第二个 --log 指定）",
    },
    "note.training_beside": {
        "en": "{log} holds the validation metrics: the training metrics are read from {file} "
              "beside it (name another file with a second --log)",
        "zh": "{log} 中是验证指标：训练指标从同一文件夹中的 {file} 读取（若不是它，用第二个 --log "
              "指定）",
    },
    "note.paired_loss": {
        "en": "{file} names no loss column: {train} is read as the training loss and {val} as "
              "the validation loss (the one measurement logged for both splits)",
        "zh": "{file} 中没有名为 loss 的列：把 {train} 当作训练 loss，{val} 当作验证 loss"
              "（训练和验证都记录了的那一项指标）"},
    "note.unused_columns": {
        "en": "{file}: {kind} not used: {names} (unknown names or a less preferred spelling of "
              "a metric already read; add spellings to {aliases})",
        "zh": "{file}：未使用的{kind}：{names}（名称未知，或是已读取指标的次选写法；"
              "可在 {aliases} 中添加写法）"},
    "kind.columns": {"en": "columns", "zh": "列"},
    "kind.tags": {"en": "tags", "zh": "标签"},
    "note.and_more": {"en": "{names} and {n} more", "zh": "{names} 等另外 {n} 个"},
    "note.trace_unfinished": {
        "en": "{file}: the trace has no end record (the run was killed or is still running); "
              "read up to its last step",
        "zh": "{file}：trace 没有结束记录（运行被终止或仍在进行）；已读到最后一步"},
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
    if isinstance(value, Said | ErrorText):  # a phrase inside a sentence, an error's reason
        return value.in_lang(lang)
    if isinstance(value, list):  # names: "a, b, c"; in Chinese "a、b、c"
        return ("、" if lang == "zh" else ", ").join(_show(v, lang) for v in value)
    if isinstance(value, Pct):
        return percent(value.fraction)
    if isinstance(value, Times):
        return times(value.ratio, 1.0)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):  # a count or a step: whole, however large
        return str(value)
    if isinstance(value, int | float):
        return num(value)
    return str(value)


#: Message values that name a layer: a bare index (a top-level ``nn.Sequential``'s "2") reads
#: as a number in a sentence ("the narrowest … is 2, 64 wide"), so it is said as a layer.
_LAYER_VALUES = frozenset({"layer", "first", "last"})
_LAYER_WORD = {"en": "layer {name}", "zh": "第 {name} 层"}


def _named(name: str, value: Any, lang: str, template: str) -> str:
    shown = _show(value, lang)
    if name in _LAYER_VALUES and isinstance(value, str) and value.isdigit() and \
            not re.search(rf"(layer|层)\s*{{{name}}}", template):
        return _LAYER_WORD.get(lang, _LAYER_WORD["en"]).format(name=value)
    return shown


def render(key: str, values: dict[str, Any], lang: str) -> str:
    """The message ``key`` in ``lang`` (English when it has no such translation)."""
    templates = MESSAGES[key]
    template = templates.get(lang) or templates["en"]
    if values.get("n") == 1 and f"{lang}_one" in templates:  # "1 recurrent layer", not "layers"
        template = templates[f"{lang}_one"]
    return template.format(**{name: _named(name, v, lang, template)
                              for name, v in values.items()})


class Said(KeyedText):
    """An English evidence sentence that remembers its message key and values."""

    render = staticmethod(render)


def whole(value: float) -> int | float:
    """A step or a count to show as an integer (NaN and infinities as they are)."""
    x = float(value)
    return round(x) if math.isfinite(x) else x


def say(key: str, **values: Any) -> Said:
    """Evidence ``key`` with ``values`` (numbers raw: they are formatted when shown)."""
    return Said(key, values)


def some_names(names: list[str], limit: int = 3) -> list[str] | Said:
    """The first ``limit`` names, and how many more ("a, b, c and 4 more")."""
    shown = names[:limit]
    return say("note.and_more", names=shown, n=len(names) - limit) if len(names) > limit \
        else shown


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
        elif isinstance(v, float) and not math.isfinite(v):
            values[name] = {"float": str(v)}  # JSON has no NaN
        elif isinstance(v, tuple):
            values[name] = {"tuple": list(v)}
        elif isinstance(v, list):
            values[name] = {"list": list(v)}
        else:
            values[name] = v
    return {"key": text.key, "values": values}


def said_from_json(data: Any, fallback: str) -> str:
    """Undo :func:`said_to_json`; ``fallback`` when ``data`` is missing, unknown or broken."""
    if not isinstance(data, dict) or data.get("key") not in MESSAGES:
        return fallback
    try:
        return Said(data["key"], {name: _value_from_json(v)
                                  for name, v in (data.get("values") or {}).items()})
    except (KeyError, IndexError, ValueError, TypeError, AttributeError, RecursionError):
        return fallback


def _value_from_json(v: Any) -> Any:
    if not isinstance(v, dict):
        return v
    if "at" in v:
        return At(*v["at"])
    if "pct" in v:
        return Pct(float(v["pct"]))
    if "times" in v:
        return Times(float(v["times"]))
    if "said" in v:
        return said_from_json(v["said"], "")
    if "float" in v:
        return float(v["float"])
    if "tuple" in v:
        return tuple(v["tuple"])
    if "list" in v:
        return [str(x) for x in v["list"]]
    return v
