"""The source articles the rules cite, by title and section (copied from seeds/README.md).

A rule cites ``<file>#<section>``; the report keeps that id in JSON and shows people the
article's title and the section's heading instead.
"""

from __future__ import annotations

__all__ = ["SEEDS", "SECTIONS", "source_title", "source_item"]

# file -> (Chinese title as published, English rendering)
SEEDS: dict[str, tuple[str, str]] = {
    "000_0d687c3c0de7148e.txt": ("深度学习debug&调参技巧", "DL debugging & tuning tricks"),
    "001_d862c7d15b898315.txt": ("深度学习训练实践经验", "Training practice"),
    "002_9fca986eb6288fc4.txt": ("深度学习debug沉思录", "20 debugging lessons"),
    "003_1b048ab82ee90c2c.txt": ("神经网络调参指南", "Tuning guide"),
    "004_1e3b12ba70b3cb09.txt": ("深度模型不work?Debug检查清单", "Troubleshooting checklist"),
}

_LESSONS = [  # 002: twenty numbered lessons
    ("loss 快速下降为 0.0000", "loss drops to 0.0000"),
    ("对偏置也做了正则", "biases regularised"),
    ("学习率太大导致不收敛", "learning rate too high"),
    ("softmax 之前别加激活函数", "no activation before softmax"),
    ("检查输入的值范围", "input value ranges"),
    ("训练数据要打乱", "shuffle the training data"),
    ("一个 batch 的 label 不要全相同", "one-class batches"),
    ("少用 vanilla SGD", "avoid vanilla SGD"),
    ("检查梯度，截断梯度爆炸", "exploding gradients and clipping"),
    ("检查样本 label", "check the labels"),
    ("分类置信度问题", "classification confidence"),
    ("小批次中少用 BatchNorm", "BatchNorm with small batches"),
    ("数值计算出现 NaN", "NaN from numerics"),
    ("BN 层的位置", "where to put BatchNorm"),
    ("卷积层中的 dropout", "dropout in conv layers"),
    ("较小的 batch size 泛化更好", "small batches generalise better"),
    ("权重不能全 0 初始化", "never initialise to all zeros"),
    ("别忘了偏置", "don't forget the bias"),
    ("验证准确率远高于测试准确率", "validation ≫ test accuracy"),
    ("KL 散度出现负数", "negative KL divergence"),
]

# (file, section) -> (Chinese heading, English heading)
SECTIONS: dict[tuple[str, str], tuple[str, str]] = {
    **{("000_0d687c3c0de7148e.txt", k): v for k, v in {
        "1.batch-size": ("1. 超参数设置：batch size", "1. Hyper-parameters: batch size"),
        "1.init": ("1. 超参数设置：初始化", "1. Hyper-parameters: initialisation"),
        "1.lr": ("1. 超参数设置：学习率", "1. Hyper-parameters: learning rate"),
        "1.lr-decay": ("1. 超参数设置：学习率衰减", "1. Hyper-parameters: LR decay"),
        "1.optimizer": ("1. 超参数设置：优化器", "1. Hyper-parameters: optimizer"),
        "1.tuning-stage": ("1. 超参数设置：初始调参阶段", "1. Hyper-parameters: first tuning"),
        "1.weight-decay": ("1. 超参数设置：权重衰减", "1. Hyper-parameters: weight decay"),
        "3.1": ("3.1 数据预处理", "3.1 Preprocessing"),
        "3.2": ("3.2 网络结构", "3.2 Architecture"),
        "3.3": ("3.3 损失设计", "3.3 Loss design"),
        "3.tricks": ("3. tricks", "3. Tricks"),
        "3.monitoring": ("3. 监控与可视化", "3. Monitoring and visualisation"),
        "4": ("4. debug", "4. Debugging"),
        "4.loss-curves": ("4. debug：loss 曲线", "4. Debugging: loss curves"),
        "4.nan": ("4. debug：NaN", "4. Debugging: NaN"),
        "references": ("参考", "References"),
    }.items()},
    **{("001_d862c7d15b898315.txt", k): v for k, v in {
        "intro": ("引言", "Introduction"),
        "1": ("一、激活函数", "1. Activation functions"),
        "2": ("二、数据预处理", "2. Preprocessing"),
        "3": ("三、网络结构", "3. Architecture"),
        "4": ("四、参数初始化", "4. Initialisation"),
        "5": ("五、优化器", "5. Optimizers"),
        "6": ("六、损失函数", "6. Loss functions"),
        "7": ("七、超参数优化", "7. Hyper-parameter tuning"),
        "overfitting": ("过拟合问题", "Overfitting"),
    }.items()},
    ("002_9fca986eb6288fc4.txt", "preface"): ("前言", "Preface"),
    **{("002_9fca986eb6288fc4.txt", str(i)): (f"{i}、{zh}", f"{i}. {en}")
       for i, (zh, en) in enumerate(_LESSONS, 1)},
    **{("003_1b048ab82ee90c2c.txt", k): v for k, v in {
        "preface": ("序言", "Preface"),
        "preparation": ("调参前的准备", "Before tuning"),
        "stage1": ("阶段1：learning rate 和 num steps", "Stage 1: learning rate and steps"),
        "stage1.single-gpu": ("阶段1：单卡上的更新比例", "Stage 1: update ratio on one GPU"),
        "stage2": ("阶段2：batch size 和 momentum", "Stage 2: batch size and momentum"),
        "stage3": ("阶段3：学习率衰减策略", "Stage 3: learning-rate decay"),
        "ads": ("附录", "Appendix"),
    }.items()},
    **{("004_1e3b12ba70b3cb09.txt", k): v for k, v in {
        "why": ("模型为什么不 work", "Why models fail"),
        "start-simple": ("从简单开始", "Start simple"),
        "implement-debug": ("实现与调试", "Implement and debug"),
        "get-model-to-run": ("让模型跑起来", "Get the model to run"),
        "overfit-single-batch": ("过拟合单个 batch", "Overfit a single batch"),
        "compare-known-result": ("与已知结果对比", "Compare to a known result"),
        "evaluate": ("评估", "Evaluate"),
        "underfitting": ("欠拟合", "Under-fitting"),
        "overfitting": ("过拟合", "Over-fitting"),
        "distribution-shift": ("分布偏移", "Distribution shift"),
        "balance-dataset": ("平衡数据集", "Balance the data set"),
        "tune-hyperparameters": ("调超参数", "Tune hyper-parameters"),
        "conclusion": ("结论", "Conclusion"),
        "footer": ("文末", "Footer"),
    }.items()},
}


def source_title(source: str, lang: str = "en") -> str:
    """``000_….txt#4.nan`` as "DL debugging & tuning tricks (深度学习debug&调参技巧), 4. …".

    Sources that are not seed articles (a URL, a team's own reference) are shown as given.
    """
    file, _, section = source.partition("#")
    seed = SEEDS.get(file)
    if seed is None:
        return source
    zh_title, en_title = seed
    title = f"《{zh_title}》" if lang == "zh" else f"{en_title} ({zh_title})"
    heading = SECTIONS.get((file, section))
    if heading is not None:
        return f"{title}，{heading[0]}" if lang == "zh" else f"{title}, {heading[1]}"
    return f"{title} #{section}" if section else title


def source_item(source: str, lang: str = "en") -> dict[str, str | None]:
    """A cited source for the JSON report: its id, file and section, the seed article's title
    (as published, and in English) and the section's heading in ``lang``; ``title`` is None
    for a source that is not a seed article."""
    file, _, section = source.partition("#")
    seed = SEEDS.get(file)
    heading = SECTIONS.get((file, section))
    return {
        "id": source,
        "file": file,
        "section": section or None,
        "title": seed[0] if seed else None,
        "title_en": seed[1] if seed else None,
        "heading": (heading[0] if lang == "zh" else heading[1]) if heading else None,
        "shown": source_title(source, lang),
    }
