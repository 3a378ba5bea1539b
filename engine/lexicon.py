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
    # -- pasted PyTorch errors: the message's signature, its numbers and names dropped
    ("outofbounds", (r"(?:target|index) -?\d+ is out of bounds", r"out of bounds",
                     r"(?<!dimension )out of range", r"device-side assert(?:ion)? triggered",
                     r"\w+ >= 0 && \w+ < n_classes",
                     r"(?:label|target)s? (?:index |indices |values? )?(?:is |are )?"
                     r"(?:larger|greater|bigger|higher) than (?:the )?"
                     r"(?:number of classes|num_classes)"),
     ("超出范围", "越界", "超出类别范围", "大于类别数", "超出类别数", "超过类别数")),
    ("dtype mismatch", (r"expected (?:object of )?scalar type \w+ but (?:got|found) "
                        r"(?:scalar type )?\w+", r"found dtype \w+ but expected \w+",
                        r"expected \w+ but found \w+", r"can't be cast to the desired output type",
                        r"not implemented for '\w+'", r"expected floating point type",
                        r"input type\b.{0,60}?\band weight type\b.{0,60}?\bshould be the same",
                        r"(?:must|to) have the same dtype",
                        r"expected (?:a )?(?:long|float|double|half|byte|int)\w* tensor",
                        r"expected dtype \w+", r"unsupported (?:scalar )?"
                        r"(?:d)?type"), ()),
    ("device mismatch", (r"expected all tensors to be on the same device",
                         r"found at least two devices"), ()),
    ("shape mismatch", (r"size mismatch", r"shapes? cannot be multiplied",
                        r"must match the size of tensor", r"is invalid for input of size",
                        r"to match target batch_size", r"to have \d+ channels,? but got",
                        r"sizes? of tensors must match", r"multi-target not supported",
                        r"view size is not compatible", r"dimension out of range",
                        r"expected \d+d (?:or \d+d )?input", r"expected \d+-dimensional input",
                        r"stack expects each tensor to be equal size",
                        r"target size .{0,60}? must be the same as input size",
                        r"only batches of spatial targets supported",
                        r"too many indices for tensor of dimension"), ()),
    ("oom", (r"cuda out of memory", r"tried to allocate", r"cuda error: out of memory",
             r"cublas_status_alloc_failed", r"killed by signal", r"outofmemoryerror",
             r"can't allocate memory", r"not enough memory", r"mps backend out of memory"), ()),
    ("twice", (r"a second time", r"twice", r"second backward",
               r"(?:have|has) already been freed", r"retain_graph=true"), ("第二次", "两次")),
    ("fp16", (r"fp16", r"float16", r"half[- ]precision", r"mixed[- ]precision", r"amp",
              r"autocast", r"grad ?scaler", r"loss scal\w*", r"gradient overflow"),
     ("混合精度", "半精度")),
    ("inplace", (r"in-?place(?: operation)?",), ("原地操作",)),
    # -- nouns
    ("loss", (r"cost(?: function)?", r"objective(?: function)?", r"training error",
              r"train error", r"r?mse", r"mae", r"nll"),
     ("损失函数值", "损失函数", "损失值", "损失", "代价函数", "目标函数")),
    ("unbounded", (r"(?:minus|negative) infinity", r"-inf\b", r"without (?:a )?(?:limit|bound)",
                   r"forever", r"no lower bound", r"unbounded", r"endlessly"),
     ("负无穷", "无下限", "不下限", "没有下限", "没完没了")),
    ("nan", (r"nans?", r"inf", r"infinity", r"infinite", r"not a number"),
     ("无穷大", "无穷", "非数")),
    ("earlylayer", (r"(?:early|earlier|first|front|lower|bottom|shallow) (?:few )?layers?",),
     ("前面几层", "前几层", "前面的层", "前面层", "浅层", "底层")),
    ("featuremap", (r"feature ?maps?", r"activation maps?"), ("特征图",)),
    ("broadcast", (r"broadcast\w*",), ("广播",)),
    ("warning", (r"warn\w*",), ("警告",)),
    ("grad", (r"gradients?", r"grads?"), ("梯度",)),
    ("weight", (r"weights?", r"parameters?", r"params?"), ("权重", "参数")),
    ("oom", (r"out of memory", r"oom", r"ran out of memory", r"out-of-memory",
             r"(?:gpu |cuda )?memory (?:is )?full"),
     ("显存满了", "内存满了", "显存不足", "内存不足", "显存不够", "内存不够", "显存爆了",
      "显存炸了", "爆显存", "显存溢出", "内存溢出")),
    ("memory", (r"vram", r"gpu memory", r"ram"), ("显存", "内存")),
    ("acc", (r"accuracy", r"accuracies"), ("准确率", "正确率", "准确度", "精确度")),
    ("metric", (r"metrics?", r"f1(?:[- ]score)?", r"auc", r"bleu", r"m?iou", r"map@?\d*"),
     ("指标",)),
    ("generalize", (r"generali[sz]\w*",), ("泛化",)),
    # "check set", "the check error": a set kept aside to check the model on
    ("val", (r"validation", r"valid", r"dev set",
             r"check(?= (?:set|split|lots?|data|error|loss|accuracy|score|batch)\b)"),
     ("验证集", "验证")),
    ("test", (r"held[- ]out", r"hold[- ]?out", r"h[eo]ld[- ]back", r"test set"),
     ("测试集", "测试")),
    ("model", (r"network", r"net", r"neural net"), ("模型", "网络")),
    ("shape", (r"shapes?", r"dimensions?", r"dims?", r"sizes?(?= mismatch)"),
     ("形状", "维度", "尺寸")),
    ("mismatch", (r"mismatch\w*", r"do(?:es)?n't match", r"does not match", r"incompatible",
                  r"cannot be multiplied", r"can't be multiplied", r"inconsistent"),
     ("不匹配", "对不上", "不一致", "不符")),
    ("dtype", (r"dtypes?", r"data ?types?", r"scalar type"), ("数据类型", "类型")),
    ("error", (r"errors?", r"exceptions?", r"crash\w*"), ("报错", "错误", "异常", "崩溃")),
    ("imbalanced", (r"imbalanc\w*", r"unbalanc\w*", r"skewed", r"long[- ]tail\w*",
                    r"(?:rare|minority) class(?:es)?"),
     ("不平衡", "不均衡", "分布不均", "长尾(?=分布|数据|类别|问题)", "少数类")),
    ("batch", (r"mini-?batch(?:es)?", r"batches"), ("批量大小", "批大小", "批量", "批次")),
    ("data", (r"datasets?", r"samples?", r"examples?", r"images?", r"training data"),
     ("数据集", "数据", "样本", "图片", "图像")),
    ("few", (r"not enough", r"too few", r"only a few", r"very few", r"few", r"little",
             r"tiny amount", r"only(?= (?:a handful|several|about \d|around \d|\d))",
             r"(?:small|tiny|limited)(?= (?:data|dataset|training set|amount of data))"),
     ("很少", "太少", "不够", "只有(?= ?[几0-9一二三四五六七八九十百千两])", "量小", "量少",
      "量很小")),
    # "nondeterministic" is "not reproducible": its negation kept for the polarity check
    ("not reproduce", (r"non-?determinis\w*", r"irreproducib\w*", r"unreproducib\w*"),
     ("非确定性", "不确定性")),
    ("reproduce", (r"reproduc\w*", r"replicat\w*", r"determinis\w*"),
     ("复现", "重现", "确定性")),
    ("differ", (r"differ\w*", r"vary", r"varies", r"inconsistent"), ("不一样", "不同")),
    ("dead", (r"dead", r"die\w*", r"dying", r"died", r"never activat\w*", r"inactive"),
     ("死亡", "死掉", "挂掉", "死了", "坏死")),
    ("unit", (r"neurons?", r"units?"), ("神经元",)),
    ("forget", (r"forget\w*", r"forgot\w*", r"(?:can't|cannot|doesn't|don't) remember",
                r"long[- ]range dependenc\w*", r"long[- ]term dependenc\w*"),
     ("忘记", "忘了", "记不住", "长距离依赖", "长期依赖")),
    ("rnn", (r"rnns?", r"lstms?", r"grus?", r"recurrent"), ("循环神经网络",)),
    ("sequence", (r"sequences?",), ("序列",)),
    ("finetune", (r"fine[- ]?tun\w*",), ("微调",)),
    ("tune", (r"tun(?:e|es|ed|ing)", r"hyper-?param\w*"),
     ("调参", "调优", "超参数", "超参", "怎么调")),
    ("improve", (r"improv\w*", r"boost\w*", r"squeez\w*", r"a few more (?:points|percent)"),
     ("提高", "提升", "提点", "涨点")),
    ("bn", (r"batch ?norm\w*", r"bn"), ("批归一化", "批标准化")),
    ("log", (r"log(?:s|ged|ging)?", r"record\w*", r"track\w*", r"monitor\w*",
             r"tensorboard", r"wandb", r"mlflow"),
     ("记录", "监控", "日志")),
    ("reference", (r"papers?", r"tutorials?", r"official", r"reference", r"baseline"),
     ("论文", "教程", "官方")),
    ("pretrained", (r"pre-?trained",), ("预训练",)),
    ("overfit", (r"overfit\w*", r"over-fit\w*", r"memori[sz]\w*"), ("过拟合",)),
    ("chance", (r"random guess\w*", r"guessing", r"chance", r"random (?:level|baseline)"),
     ("瞎猜", "随机猜", "随机水平")),
    ("regression", (r"regress\w*",), ("回归",)),
    ("scheduler", (r"(?:lr[_ ]?)?schedul\w*", r"(?:step|multistep|exponential|cosineannealing|"
                   r"onecycle|cyclic|lambda)lr\w*", r"reducelronplateau"), ("调度",)),
    ("mean", (r"mean", r"average"), ("均值", "平均值", "平均")),
    ("occasional", (r"occasional\w*", r"sometimes", r"(?:every )?now and then",
                    r"from time to time", r"once in a while"), ("偶尔", "有时", "时不时")),
    # "more epochs do not change it": training longer was tried, and is no symptom itself
    ("longerdidnothelp", (r"(?:more|extra|additional) (?:epochs|steps|iterations|training)"
                          r" (?:do(?:es)?n't|do(?:es)? not|did not|didn't|won't|will not)"
                          r" (?:change|help|fix|improve|matter)\w*",
                          r"train\w* (?:for )?longer (?:do(?:es)?n't|do(?:es)? not|did not"
                          r"|didn't) (?:change|help|fix|improve|matter)\w*",
                          # "tried more epochs, the error does not move"
                          r"tr(?:y|ied|ies|ying) (?:\w+ )?(?:more|extra|additional) "
                          r"(?:epochs|steps|iterations)",
                          r"tr(?:y|ied|ies|ying) train\w* (?:for )?longer"),
     ("多训也没用", "多训几轮也没用", "训练更久也没用", "加轮数也没用")),
    ("unfinished", (r"train\w* (?:for )?longer", r"more epochs",
                    r"(?:end|stop)\w* too (?:early|soon)",
                    r"not (?:yet )?converged yet", r"before (?:it )?converg\w*"),
     ("还不收敛", "不收敛就", "训练不够", "步数不够", "轮数不够", "多训")),
    ("still", (r"still",), ("还在", "仍然", "依然", "仍在", "还(?=不)")),
    ("everyrun", (r"every (?:time|run)", r"each (?:time|run)", r"(?:from )?run to run",
                  r"between runs", r"across runs"), ("每一次", "每次")),
    ("later", (r"afterwards", r"later", r"eventually", r"after (?:a few|some) epochs"),
     ("后来", "之后", "后期")),
    ("oneclass", (r"(?:one|a single|the same|same|single) (?:class|label|category)\b",
                  r"majority class"),
     ("同一个类别", "同一类别", "同一个类", "同一类", "一个类别", "多数类")),
    ("class", (r"classes", r"categor(?:y|ies)", r"labels?"), ("类别", "标签")),
    ("predict", (r"predict\w*", r"outputs?", r"outputting"), ("预测", "输出")),
    ("epoch", (r"epochs?",), ("每个 ?epoch", "每轮", "轮")),
    ("lr", (r"learning rates?", r"learning-rate", r"step size"), ("学习率",)),
    # -- changes of a value: the negated forms first
    ("stuck", (_NEG + r" (?:\w+ )?(?:decreas\w*|chang\w*|mov\w*|go(?:es|ing)? "
               r"down|drop\w*|fall\w*|learn\w*|converg\w*|improv\w*)",
               r"stop\w* (?:decreas\w*|learn\w*|chang\w*)",
               r"(?:stays?|remains?|stayed|remained) (?:the same|constant)",
               r"stuck", r"plateau\w*", r"saturat\w*", r"flat(?:ten\w*)?(?: out)?", r"stall\w*",
               r"stagnat\w*", r"hover\w*", r"stays? the same", r"unchanged",
               r"frozen", r"level(?:s|led|ed|ling|ing)? off"),
     ("不下降", "不降", "降不下去", "下不去", "不再下降", "不变(?![成为得])", "不动",
      "卡住", "卡在", "停在", "停滞", "徘徊", "维持在", "停留在", "平台期",
      "降不下来", "下不来", "不学习", "学不到东西", "不学到东西", "不再? ?improve")),
    ("explodes", (r"explod\w*", r"explos\w*", r"blow(?:s|ing)? up", r"blew up", r"diverg\w*",
                  r"shoot(?:s|ing)? up", r"shot up"),
     ("爆炸", "炸了", "爆了", "发散", "暴增", "飙升")),
    ("oscillates", (r"oscillat\w*", r"fluctuat\w*", r"bounc\w*", r"zig-?zag\w*",
                    r"swing\w*", r"unstable", r"up and down", r"all over the place",
                    r"erratic\w*", r"noisy"),
     ("震荡", "振荡", "波动", "抖动", "起伏", "上下跳", "来回跳", "忽高忽低",
      "很抖", "抖", "不稳定")),
    ("decreases", (r"decreas\w*", r"go(?:es|ing)? down", r"went down", r"drop\w*",
                   r"fall\w*", r"fell", r"declin\w*",
                   r"get(?:s|ting)? smaller", r"shrink\w*"),
     ("下降", "降低", "减小", "减少", "变小", "越来越小", "往下走", "降")),
    ("increases", (r"increas\w*", r"go(?:es|ing)? up", r"went up", r"ris(?:e|es|ing)",
                   r"rose", r"grow\w*", r"grew", r"climb\w*", r"get(?:s|ting)? (?:larger|bigger)",
                   r"gets? higher"),
     ("上升", "增大", "增加", "上涨", "升高", "变大", "变高", "越来越大", "越来越高",
      # 升 alone rises, but "2.1 升/百公里" is litres: not after a number, not before a "/"
      "往上走", "涨", "(?<!提)(?<![\\d.])(?<![\\d.] )升(?!\\s*/)")),
    ("slow", (r"slow\w*", r"sluggish\w*", r"by (?:tiny|small) amounts?", r"creep\w*",
              r"a (?:tiny |little )?bit at a time",
              r"crawl\w*"), ("缓慢", "很慢", "慢", "一点点", "一点一点")),
    ("fast", (r"quick\w*", r"fast", r"rapid\w*", r"instant\w*", r"in no time"),
     ("很快", "迅速", "飞快", "一下子", "一下就", "马上", "立刻")),
    ("sudden", (r"sudden\w*", r"abrupt\w*", r"out of nowhere"), ("突然", "忽然")),
    ("spike", (r"spik\w*", r"peaks?"), ("尖峰", "尖刺", "毛刺", "暴涨", "峰值")),
    ("start", (r"beginning", r"start\w*", r"initial\w*", r"outset", r"very first",
               r"immediately",
               r"(?:step|iteration|iter|batch|epoch) (?:0|1)\b", r"first", r"1st",
               r"right away", r"from the get-go", r"before (?:any|the first) (?:update|step)"),
     ("一开始", "刚开始", "开始", "开头", "初始", "最初", "第一", "一上来", "上来就")),
    ("linear", (r"linear\w*", r"straight line"), ("线性", "直线")),
    # "cycles" alone are as often the data's own (a door's closing cycles, charge cycles) and
    # a one-cycle schedule is no repeat: only the adjective, the verb, or cycles each epoch
    ("periodic", (r"periodic\w*", r"cyclic\w*", r"cycling", r"in cycles",
                  r"cycles?(?= (?:every|each|per|with (?:each|every|the)) "
                  r"(?:epoch|iter|step|pass))",
                  r"saw-?tooth\w*", r"repeat(?!ab)\w*"),
     ("周期", "锯齿", "重复")),
    ("choose", (r"choos\w*", r"pick\w*", r"select\w*", r"guess\w*"),
     ("怎么设", "设多少", "怎么选", "选多少", "如何设置", "设置多少", "如何选择", "怎么定",
      "取多少")),
    ("same", (r"the same", r"constant"),
     ("同一个", "一模一样", "一样", "相同", "同样")),
    ("bad", (r"terrible", r"awful", r"poor\w*", r"horrible", r"bad"),
     ("一塌糊涂", "糟糕", "很烂", "很差", "不好", "不行", "(?<![方误偏时落相])差(?!不多|距|异)")),
    ("worse", (r"worse", r"degrad\w*", r"deteriorat\w*", r"hurts?", r"ruin\w*"), ("变差", "更差")),
    ("huge", (r"huge", r"enormous", r"massive", r"very (?:large|big)", r"gigantic"),
     ("很大", "巨大", "超大", "极大")),
    ("good", (r"good", r"great", r"fine", r"ok(?:ay)?", r"decent", r"reasonable"),
     ("不错", "还可以", "还行", "挺好", "很好", "(?<!不)正常")),
    # "zero" is the number 0 (so "loss reaches zero" meets "loss is 0.0000"), and nearly
    # zero is zero
    ("0", (r"(?:almost|nearly|near|close to|practically|basically) (?:zero|0)\b(?!\.)",
           r"zero", r"zeros", r"zeroes"),
     ("几乎为 ?0", "几乎是 ?0", "接近 ?0", "趋近于 ?0", "约为 ?0", "零", "恒为 ?0")),
    ("negative", (r"negative(?!s)", r"below zero", r"less than zero",
                  r"(?:below|less than|under|<) ?0\b(?!\.)"),
     (r"小于 ?0(?!\.)", r"低于 ?0(?!\.)", "[为成是]?负(?:数|值|的)", "[为成是]负")),
)


def _compile() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for word, english, chinese in CONCEPTS:
        alternatives = [rf"\b{e}\b" for e in english] + list(chinese)
        out.append((re.compile("|".join(f"(?:{a})" for a in alternatives)), f" {word} "))
    return tuple(out)


_COMPILED = _compile()
_SPACES = re.compile(r" {2,}")


def apply_concepts(text: str) -> str:
    """``text`` (lower-case, NFKC) with every spelling of a concept replaced by its word."""
    for pattern, word in _COMPILED:
        text = pattern.sub(word, text)
        if "  " in text:  # keep one space between words: later spellings span two words
            text = _SPACES.sub(" ", text)
    return text
