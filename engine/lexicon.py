"""A small concept lexicon: words people use interchangeably when they complain about training.

Each concept is one English word and the spellings (English and Chinese) that mean it; the
symptom matcher rewrites every spelling to the concept word on both sides, the symptom's
phrases and the complaint, before weighting terms by rarity. So "the cost climbs" meets "loss
increases", and "loss 越来越大" meets "loss keeps rising": a Chinese spelling becomes the same
English word, which lets a phrase written in one language match a complaint in the other.

A negated verb of change becomes the concept of no change ("does not decrease", "不下降",
"won't budge" -> ``stuck``), so negation is resolved before polarity is compared.

Groups are written by hand from the vocabulary of the domain (not from complaint lines) and
are applied in order: a longer or negated spelling comes before the words inside it.
"""

from __future__ import annotations

import re

__all__ = ["CONCEPTS", "apply_concepts"]

# English words: matched on word boundaries; Chinese: anywhere. A trailing "\w*" takes the
# inflections (climbs, climbed, climbing).
_NEG = (r"(?:not|n't|never|no longer|barely|hardly|won't|doesn't|don't|didn't|isn't|aren't"
        r"|can't|cannot)")

#: (concept word, English spellings, Chinese spellings), applied top to bottom.
CONCEPTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # -- nouns
    ("loss", (r"cost(?: function)?", r"objective(?: function)?", r"training error",
              r"train error"),
     ("损失函数值", "损失函数", "损失值", "损失", "代价函数", "目标函数")),
    ("nan", (r"nans?", r"inf", r"infinity", r"infinite", r"not a number"),
     ("无穷大", "无穷", "非数")),
    ("grad", (r"gradients?", r"grads?"), ("梯度",)),
    ("weight", (r"weights?", r"parameters?", r"params?"), ("权重", "参数")),
    ("oom", (r"out of memory", r"oom", r"ran out of memory", r"out-of-memory"),
     ("显存不足", "内存不足", "显存不够", "内存不够", "显存爆了", "显存炸了", "爆显存", "显存溢出",
      "内存溢出")),
    ("memory", (r"vram", r"gpu memory", r"ram"), ("显存", "内存")),
    ("acc", (r"accuracy", r"accuracies"), ("准确率", "正确率", "准确度", "精确度")),
    ("val", (r"validation", r"valid", r"dev set"), ("验证集", "验证")),
    ("test", (r"unseen data", r"held[- ]out", r"test set"), ("测试集", "测试")),
    ("model", (r"network", r"net", r"classifier", r"neural net"), ("模型", "网络")),
    ("class", (r"classes", r"categor(?:y|ies)", r"labels?"), ("类别", "标签")),
    ("predict", (r"predict\w*", r"outputs?", r"outputting"), ("预测", "输出")),
    ("epoch", (r"epochs?",), ("每个 ?epoch", "每轮", "轮")),
    ("lr", (r"learning rates?", r"learning-rate", r"step size"), ("学习率",)),
    # -- changes of a value: the negated forms first
    ("stuck", (_NEG + r" (?:\w+ )?(?:decreas\w*|improv\w*|chang\w*|mov\w*|budg\w*|go(?:es|ing)? "
               r"down|drop\w*|fall\w*|learn\w*|converg\w*)",
               r"stuck", r"plateau\w*", r"flat(?:ten\w*)?(?: out)?", r"stall\w*",
               r"stagnat\w*", r"hover\w*", r"stays? the same", r"unchanged", r"constant",
               r"same (?:value|number)", r"sits? at", r"sitting at", r"frozen"),
     ("纹丝不动", "一动不动", "不下降", "不降", "降不下去", "下不去", "不再下降", "不变", "不动",
      "卡住", "卡在", "停在", "停滞", "徘徊", "维持在", "停留在", "不收敛", "降不下来", "下不来")),
    ("explodes", (r"explod\w*", r"blow(?:s|ing)? up", r"blew up", r"diverg\w*",
                  r"skyrocket\w*", r"shoot(?:s|ing)? up", r"shot up", r"astronomical"),
     ("爆炸", "炸了", "爆了", "发散", "暴增")),
    ("oscillates", (r"oscillat\w*", r"fluctuat\w*", r"bounc\w*", r"jumpy", r"zig-?zag\w*",
                    r"swing\w*", r"unstable", r"up and down", r"all over the place",
                    r"erratic\w*", r"noisy"),
     ("震荡", "振荡", "波动", "抖动", "起伏", "上下跳", "来回跳", "忽高忽低", "上蹿下跳",
      "不稳定")),
    ("decreases", (r"decreas\w*", r"go(?:es|ing)? down", r"went down", r"drop\w*",
                   r"fall\w*", r"fell", r"declin\w*",
                   r"get(?:s|ting)? smaller", r"shrink\w*"),
     ("下降", "降低", "减小", "减少", "变小", "越来越小", "往下走", "降")),
    ("increases", (r"increas\w*", r"go(?:es|ing)? up", r"went up", r"ris(?:e|es|ing)",
                   r"rose", r"grow\w*", r"grew", r"climb\w*", r"get(?:s|ting)? (?:larger|bigger)",
                   r"gets? higher"),
     ("上升", "增大", "增加", "上涨", "升高", "变大", "变高", "越来越大", "越来越高",
      "往上走", "涨", "(?<!提)升")),
    ("slow", (r"slow\w*", r"sluggish\w*"), ("缓慢", "很慢", "慢")),
    ("sudden", (r"sudden\w*", r"abrupt\w*", r"out of nowhere"), ("突然", "忽然")),
    ("spike", (r"spik\w*",), ("尖峰", "尖刺", "毛刺")),
    ("start", (r"beginning", r"start\w*", r"initial\w*", r"outset", r"very first"),
     ("一开始", "刚开始", "开始", "开头", "初始", "最初")),
    ("same", (r"identical", r"the same"), ("同一个", "一模一样", "一样", "相同", "同样")),
    ("bad", (r"terrible", r"awful", r"poor\w*", r"horrible", r"bad"),
     ("一塌糊涂", "糟糕", "很烂", "很差", "不好", "不行", "差(?!不多|距|异)")),
    ("worse", (r"worse", r"degrad\w*", r"deteriorat\w*"), ("变差", "更差")),
    ("negative", (r"negative", r"below zero", r"less than zero"),
     ("负数", "负值", "为负", "成负", "是负", "负的")),
)


def _compile() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for word, english, chinese in CONCEPTS:
        alternatives = [rf"\b{e}\b" for e in english] + list(chinese)
        out.append((re.compile("|".join(f"(?:{a})" for a in alternatives)), f" {word} "))
    return tuple(out)


_COMPILED = _compile()


def apply_concepts(text: str) -> str:
    """``text`` (lower-case, NFKC) with every spelling of a concept replaced by its word."""
    for pattern, word in _COMPILED:
        text = pattern.sub(word, text)
    return re.sub(r" {2,}", " ", text)
