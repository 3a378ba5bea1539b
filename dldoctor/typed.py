"""Answers as people type them in a hurry, tidied into what the rules' parser reads.

"yes!", "1e-3?", "about a thousand", "lr=3e-4", "0,001" (a decimal comma, not a thousands
separator: it had been read as 1), "adamw", "the first one", 一千 … The parser itself stays
strict (``engine.values.parse_answer``); this only rewrites what is unambiguous, and leaves
anything else as typed so that the parser's refusal names what the person wrote.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dldoctor.engine.model import FactSpec

__all__ = ["tidy_answer", "ordinal", "picks", "asks_why"]

_END = " \t?？!！.。,，;；:：'\"`“”"
_YES_WORDS = frozenset({
    "yes", "y", "yep", "yeah", "yup", "ya", "sure", "correct", "right", "true", "indeed",
    "definitely", "absolutely", "of course", "i do", "we do", "it does", "it is", "yes i do",
    "是", "是的", "对", "对的", "有", "有的", "会", "用了", "嗯对", "没错", "是啊", "对啊",
})
_NO_WORDS = frozenset({
    "no", "n", "nope", "nah", "not really", "false", "never", "none", "i don't", "i dont",
    "we don't", "it doesn't", "it isn't", "no we don't", "否", "不是", "不", "没有", "无",
    "不会", "没", "没用", "没用过", "没有用", "不用",
})
_HEDGES = re.compile(
    r"^(?:about|around|approx(?:imately|\.)?|roughly|maybe|probably|perhaps|circa|ca\.?|"
    r"~|≈|大概|大约|约|差不多|应该是|好像是)\s*", re.I)
_TAIL_HEDGES = re.compile(r"\s*(?:i think|i guess|i believe|or so|ish|左右|吧|上下)$", re.I)
_NAMED = re.compile(r"^(?:lr|learning rate|学习率|batch size|bs|momentum|dropout|wd|"
                    r"weight decay)\s*(?:is|=|:|：|是)?\s*", re.I)
_DECIMAL_COMMA = re.compile(r"^([-+]?\d+),(\d+)$")
_SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "k": 1e3, "百": 1e2,
                "千": 1e3, "万": 1e4}
_SMALL_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "five": 5, "ten": 10, "一": 1, "两": 2,
                "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SCALED = re.compile(r"^(\d+(?:\.\d+)?|a|one|two|three|five|ten|[一两二三四五六七八九十])?\s*"
                     r"(hundred|thousand|million|k|百|千|万)$", re.I)
_POWER = re.compile(r"^10\s*(?:\^|\*\*)\s*([-+]?\d+)$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1, "none": 0, "none of these": 0, "neither": 0,
    "第一": 1, "第二": 2, "第三": 3, "第四": 4, "第五": 5, "最后": -1, "都不是": 0,
}
_ORDINAL = re.compile(
    r"^(?:the\s+|option\s+|number\s+|no\.?\s*|#|选)?\s*([a-z0-9]+|第[一二三四五]|最后|都不是)"
    r"\s*(?:one|option|choice|个|项|种)?$", re.I)


#: A question about the question ("why do you ask?", "what does that mean?", 什么意思？)
_ASKS_WHY = re.compile(
    r"^(?:why\b.*|what(?:'s| is| does| do you)\b.*\b(?:mean|that|this|it)\b.*|"
    r"what(?:'s| is| are)\b.*\?|huh|wdym|"
    r"(?:这是|这个是|这)?(?:什么|啥)意思.*|为什么(?:要|这么)?问.*|为啥问.*)\W*$", re.IGNORECASE)


def asks_why(raw: str) -> bool:
    """Is ``raw`` a question about the question asked (what it means, why it is asked)?"""
    return bool(_ASKS_WHY.match(raw.strip()))


def _trimmed(raw: str) -> str:
    return raw.strip().strip(_END).strip()


def ordinal(raw: str, count: int) -> int | None:
    """Which of ``count`` listed choices ``raw`` picks: 1.., 0 for none of them, None when it
    names no position ("2.", "the first one", "#2", 第二个, "none of these", "last")."""
    text = _trimmed(raw).lower()
    if text in _ORDINALS:
        pick = _ORDINALS[text]
    else:
        match = _ORDINAL.match(text)
        if match is None:
            return None
        word = match.group(1)
        pick = int(word) if word.isascii() and word.isdecimal() else _ORDINALS.get(word, -2)
    if pick == -1:
        pick = count
    return pick if 0 <= pick <= count else None


_ALL = frozenset({"both", "all", "all of them", "both of them", "both of these",
                  "all of these", "each", "两个都是", "都是", "都对", "两个都有", "全部", "都有"})


def picks(raw: str, count: int) -> list[int] | None:
    """The choices ``raw`` picks among ``count`` listed ones: one (:func:`ordinal`), all of
    them ("both", 都是), or several ("1 and 2", "1,3"); [0] for none of them; None when it
    names no position."""
    text = _trimmed(raw).lower()
    if text in _ALL:
        return list(range(1, count + 1))
    one = ordinal(text, count)
    if one is not None:
        return [one]
    parts = [p for p in re.split(r"\s*(?:,|，|、|&|\band\b|和|\s)\s*", text) if p]
    chosen = [ordinal(p, count) for p in parts]
    if len(parts) > 1 and all(c for c in chosen):
        return list(dict.fromkeys(c for c in chosen if c))
    return None


def _number(text: str) -> str:
    text = _NAMED.sub("", _TAIL_HEDGES.sub("", _HEDGES.sub("", text)))
    text = _trimmed(text)
    comma = _DECIMAL_COMMA.match(text)
    if comma and (comma.group(1).lstrip("+-") == "0" or len(comma.group(2)) != 3):
        return f"{comma.group(1)}.{comma.group(2)}"  # 0,001 or 1,5: a decimal comma
    scaled = _SCALED.match(text.lower())
    if scaled:
        head = (scaled.group(1) or "1").lower()
        factor = float(head) if head[0].isdigit() else float(_SMALL_WORDS.get(head, 1))
        return f"{factor * _SCALE_WORDS[scaled.group(2).lower()]:g}"
    power = _POWER.match(text)
    if power:
        return f"1e{power.group(1)}"
    percent = _PERCENT.match(text)
    if percent:
        return f"{float(percent.group(1)) / 100:g}"
    return text


def _boolean(text: str) -> str:
    low = text.lower()
    if low in _YES_WORDS or low in _NO_WORDS:
        return "yes" if low in _YES_WORDS else "no"
    head = re.split(r"[,，.。!！;；]\s*|\s+(?:i|we|it|that|the|because|but)\b", low, maxsplit=1)[0]
    head = head.strip()
    if head in _YES_WORDS:
        return "yes"
    if head in _NO_WORDS:
        return "no"
    return text


def _key(text: str) -> str:
    """A name compared without case, spaces or punctuation: "Cross entropy",
    "nn.CrossEntropyLoss()" and "cross_entropy" meet."""
    text = re.sub(r"^(?:torch\.)?(?:nn\.|optim\.)", "", text.strip().lower())
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", text)


def _choice(spec: FactSpec, text: str) -> str:
    low = text.lower()
    pick = ordinal(low, len(spec.choices or []))
    if pick:
        return str(pick)
    typed = _key(low)
    scores: dict[str, int] = {}
    for choice in spec.choices or []:
        labels = (choice.text.en, choice.text.zh or "")
        parts = [p for label in labels for p in re.split(r"[/()（）]", label) if p.strip()]
        names = {_key(choice.value)} | {_key(p) for p in parts} - {""}
        if typed in names:
            return choice.value
        # "sgd with momentum" starts with sgd; "bce with logits" begins BCEWithLogitsLoss
        # (and only starts with bce): the longest name that one begins with the other wins
        scores[choice.value] = max((min(len(n), len(typed)) for n in names
                                    if n.startswith(typed) or typed.startswith(n)), default=0)
    best = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(typed) >= 3 and best and best[0][1] >= 3 and \
            (len(best) == 1 or best[1][1] < best[0][1]):
        return best[0][0]
    return text


def tidy_answer(spec: FactSpec, raw: Any) -> Any:
    """``raw`` as the parser of ``spec``'s type reads it, when the person's meaning is plain;
    otherwise ``raw`` unchanged (a value that is not text is never touched)."""
    if not isinstance(raw, str) or len(raw) > 100:
        return raw
    text = _trimmed(raw)
    if not text or text == "?":
        return raw
    if spec.type == "number":
        return _number(text)
    if spec.type == "bool":
        return _boolean(text)
    if spec.type == "enum":
        return _choice(spec, text)
    return raw
