"""Match a free-text complaint (English or Chinese) to the knowledge base's symptoms.

Both sides, the complaint and every symptom phrase, are first brought to one normal form:
the concept lexicon (:mod:`.lexicon`) rewrites the spellings of one idea to one English word
in both languages (损失/cost -> loss, 越来越大/climbs -> increases, 不下降/"won't go down" ->
stuck, a pasted error to its signature), and a comparison between sets becomes one ordered
word ("val loss lower than train loss", "验证比训练好" -> valbettertrain), in words or in
numbers ("99% train acc, 40% test acc" -> trainbettertest).

Two signals are then blended:

- *what the words say*: the terms a phrase shares with the complaint, each weighted by how
  rare it is across symptoms (inverse document frequency), as a share of the phrase (mostly)
  and of the complaint that the phrase's symptom explains. English words are lightly
  stemmed, Chinese is cut into characters, a negation marks the word it negates ("not work"
  -> work, !work), and a number counts as itself plus its size (huge, tiny);
- *how the letters look* (rapidfuzz), which forgives typos such as "los is nann".

A complaint is split into the separate things it says ("…, and …", "then", "而且") and each
piece is matched on its own; the whole complaint is matched too, and the reading that explains
it better wins (so "loss falls but accuracy does not" stays one symptom). Clauses (split on
punctuation) are weighed on their own first: a clause that needs its "and" ("train and val
loss are the same") is read whole, and when every clause so read beats the whole complaint
by :data:`_CLAUSES_BETTER` points the clauses are kept ("the loss is nan, and train and val
loss are the same" names two symptoms; chosen on the tuning half's lines joined two by two:
", and " recall 80.4 -> 90.6 %, wrong 3 -> 1; "，而且" 88.9 -> 90.4 %, wrong 5 -> 3; every
corpus part as before or better). Pieces that together
say exactly what one symptom says become that symptom, and a piece whose close call holds
the symptom another piece names more clearly says that one again; a piece that says what the
problem
is *not* ("it is not overfitting, …", "不是 …，而是 …") is not read beside one that says what
it is.

Corrections keep a phrase from matching what the complaint does not say: a phrase and a piece
that disagree in polarity ("not work" against "work", "很小" against "很大") lose the
containment bonus and a fifth of their score; a piece that names a qualifier the symptom never
mentions (validation/test data, mixed precision, KL, memory, accuracy, gradients, eval mode)
costs that symptom points and its containment bonus ("validation loss goes up" is not the
training loss going up), and a phrase naming one the piece does not costs a little; a more
specific symptom close to a general one (NaN at the first step, against NaN) wins; among
readings within the close call, the one whose phrase says clearly more of the piece's words
comes first (the session asks when it may).

A piece is taken at :data:`MATCH_THRESHOLD`; a weaker reading (from :data:`LEAD_FLOOR`) only
when it leads every other symptom by :data:`LEAD_MARGIN` and the piece states a problem, so
that "batch size is 32 and I use Adam" names nothing.

A close call (:func:`close_call`: the readings of a piece the person is asked to choose from)
is calibrated rather than fixed: :data:`CLOSE_CALL` points for a reading at 100, half a point
more per point the best reading is below 100, and up to :data:`_FAMILY_CALL` for the best's
look-alikes (symptoms that share much of their vocabulary, e.g. a loss spike and a rising
loss); a more specific symptom that takes a general one's place keeps it as a close call.
These were chosen on the KB's phrases matched with themselves left out (leave-one-phrase-out
wrong readings 40 -> 28) at the cost of 8 more questions on the tuning half's 289 lines. A
weak reading (from :data:`LEAD_FLOOR`) beside a clear one is still a rival inside that
margin: it is put to the person, never taken (chosen on the tuning signals:
leave-one-phrase-out wrong 28 -> 23, the tuning half without near-copies 3 -> 2, with a
neutral line joined 3 -> 2, no more questions on the tuning half; rivals from 45 took one
more wrong reading off the tuning half without near-copies for 2 more questions there and
10-30 % more on the held-out and fresh sets, and were not kept).

Only the phrases that can reach the threshold are scored (an inverted index of terms, and
rapidfuzz in bulk over phrases of a fitting length): about 1 ms a complaint.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from .knowledge import KnowledgeBase
from .lexicon import apply_concepts
from .model import SymptomSpec

__all__ = [
    "SymptomMatch", "match_symptoms", "symptoms_named", "split_complaint", "terms",
    "MATCH_THRESHOLD", "CLOSE_CALL", "close_call", "nearest_symptoms", "split_questions",
]

MATCH_THRESHOLD = 58.0  # below this a phrase is not taken as the symptom...
LEAD_FLOOR = 54.0  # ...unless it scores this much and leads every other symptom by
LEAD_MARGIN = 8.0  # this many points (a clear reading, only weakly worded)
CLOSE_CALL = 6.0  # two symptoms this close in score: ask the person which one...
_CALL_SLOPE = 0.5  # ...and this many points more per point the best reading is below 100
_FAMILY_CALL = 20.0  # a reading of a look-alike symptom this close is asked about too
_FAMILY_SHARE = 0.4  # look-alikes: this much of the smaller vocabulary (idf) is shared
_MEANING_WEIGHT = 0.75  # share of the term-overlap signal in the blended score
_COVERAGE = 0.75  # share of "how much of the phrase the piece says" in the term overlap
_POLARITY_FACTOR = 0.8  # a phrase that says "not" where the piece does not (or vice versa)
#: A term in more than this share of the observation symptoms is a common word: a statement
#: whose subject only such words name needs two of them in a piece
_COMMON_SUBJECT = 0.1
_STATEMENT_POLARITY = 0.6  # ... of a statement (it asserts a fact, and the flip its opposite),
#                            or a piece that negates a word the phrase asserts
_EXTRA_PENALTY = 6.0  # per qualifier the phrase names and the piece does not
_QUALIFIER_PENALTY = 12.0  # per qualifier the piece names and the symptom never mentions
_SPECIFIC_MARGIN = 10.0  # a more specific symptom this close to the best one is preferred
_LOOKS_ALONE = 88.0  # letters this alike score on their own (typos), at 0.85 of their look
_TIE_SHARE = 0.05  # a close reading whose phrase says this much more of the piece comes first

#: Terms (as :func:`terms` makes them) that say *what* a complaint is about. A symptom none of
#: whose phrases mentions a group is penalised when a piece of the complaint does.
_QUALIFIERS: tuple[frozenset[str], ...] = (
    frozenset({"val", "valid", "validation", "dev", "test", "验证", "测试"}),
    frozenset({"fp16", "amp", "mix", "autocast", "gradscaler", "混合", "半精"}),
    frozenset({"kl", "kldivloss", "散度"}),
    frozenset({"memory", "ram", "显存", "内存"}),
    frozenset({"acc", "accuracy", "f1", "metric", "准确", "精度"}),
    frozenset({"grad", "gradient", "梯度"}),
    frozenset({"eval", "inference", "推理"}),
    frozenset({"batch"}),  # concept words of engine/lexicon.py, as terms() stems them
    frozenset({"referenc"}),
    frozenset({"earlylayer"}),
    frozenset({"rnn", "sequenc"}),
)


@dataclass(frozen=True)
class SymptomMatch:
    """A symptom a piece of the complaint matched, how well, and by which phrase."""

    symptom: str
    score: float  # 0..100
    phrase: str
    text: str  # the piece of the complaint


#: Spellings of one thing, rewritten to one form before matching (both sides): Chinese
#: complaints say 损失 or loss, 精度 or 准确率, 没 or 不; English ones accuracy or acc.
_CANONICAL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in (
        (r"(?<![半合])精度", "准确率"), (r"训练集", "训练"),
        # "训练集上准确率 99%": on a set, the set
        (r"(训练|测试集|验证集)上(?= ?(?:准确率|loss|损失|\d))", r"\1"),
        (r"不降反升|不降反增|不减反增", "反而上升"),
        (r"训不出来|训练不起来|训不起来|训不动", "不 work"),
        # "还没开始…就…": before it even started, a time, not a denial
        (r"还没有?开始", "开始前"),
        (r"没有|没|无法|不能|没法", "不"),
        (r"非常|特别|十分|超级|极其", "很"), (r"始终|总是|老是|永远", "一直"),
        (r"变为|成了", "变成"), (r"性能|表现|结果", "效果"),
        (r"\bno matter\b", "whatever"),
        # "at some step the loss printed nan": later in training, not at its first step
        (r"\b(?:at|after) (?:some|one|a certain|a random) "
         r"(?:step|point|iteration|epoch|stage)s?\b", "after some epochs"),
        # a loss that "gets worse" rises: "the validation loss gets worse every epoch"
        (r"\bloss(?:es)? (?:gets|get|got|is getting|keeps getting|kept getting|getting) "
         r"worse\b", "loss rising"),
        # "worse every epoch after the first few": it began later, not at the first epoch
        (r"\bafter (?:the )?(?:first )?(?:few|couple(?: of)?|several|\d+)"
         r"(?: (?:step|iteration|epoch|round)s?)?\b", "after some epochs"),
        (r"(?:到了?|在)?某(?:一|个)?(?:步|时候|时刻|个 ?epoch)|训练到一半|训练中途",
         "几个 epoch 后"),
        # "the training loss is -4.7": a number said below zero (not 3e-4, 1-10, top-5, nor
        # the low end of a range: "scaled to -1..1", "between -1 and 1", "[-1, 1]")
        (r"\b(between|within|range|in) -(?=\d)", "\\1 \u2212"),  # a range's low end
        (r"(?<![\w.\-])-(?=\d)(?!\d*(?:\.\d+)?\s*(?:\.\.|…|,\s*\d))", "negative "),
    )
)


_SET = r"(train(?:ing)?|训练|val|test)"
_METRIC = r"(?: ?(?:loss|acc))?"
_FILLER = r"(?: ?(?:就|一直|还|要|都|始终|总是|居然|竟然|反而))*"
_ADVERB = r"(?: (?:is|are|was|were|stays?|remains?|much|way|far|a lot|even|consistently|always))*"
_UP, _DOWN = "higher|larger|bigger|greater|高|大", "lower|smaller|less|低|小"
_BETTER, _WORSE = "better|good|好", "worse|bad|差"
#: "A is higher than B" / "A 比 B 高": one ordered word naming which set does better, so that
#: the sets' order counts (words alone cannot tell "val above train" from "train above val");
#: a higher loss is doing worse.
_COMPARISON = re.compile(
    rf"{_SET}{_METRIC}(?:{_ADVERB} ({_UP}|{_DOWN}|{_BETTER}|{_WORSE}) than "
    rf"(?:the |that of |my |our )?{_SET}{_METRIC}"
    rf"|{_FILLER} ?比 ?{_SET}{_METRIC}{_FILLER} ?({_UP}|{_DOWN}|{_BETTER}|{_WORSE}))")


#: "the train loss stays well below the val loss", "… well below the val loss" (the other
#: set said a clause before, as in "the training loss looks good, well below the validation
#: loss"): a set's metric beneath or above another's
_DEGREE = r"(?:well|far|way|much|slightly|clearly|always|still|consistently)"
_BESIDE = re.compile(
    rf"(?:(?<![a-z]){_SET}{_METRIC}(?: [a-z]+){{0,3}}(?: ,)?(?: {_DEGREE})* |^(?:{_DEGREE} )*)"
    rf"(below|under|beneath|above|over) (?:the |that of |my |our )?{_SET}{_METRIC}")


#: The words of a loss or an error, which is doing better lower ("the validation BCE stays
#: far above the training BCE")
_LOSS_WORD = re.compile(r"\b(?:loss|bce|mse|mae|rmse|nll|error|perplexity)\b")


def _beside(match: re.Match[str]) -> str:
    """:data:`_BESIDE` as the ordered word of :func:`_compare` (a loss below is doing
    better); a first set left unsaid is the other of train and validation."""
    second = match.group(3)
    first = match.group(1) or ("val" if second.startswith(("train", "训练")) else "train")
    said = match.group(0)
    metric = "acc" if " acc" in said else "loss" if _LOSS_WORD.search(said) else ""
    below = match.group(2) in ("below", "under", "beneath")
    return _ordered(metric, first, second, below == (metric != "acc"))


def _ordered(metric: str, first: str, second: str, better: bool) -> str:
    """The ordered word two sets compared make ("loss trainbetterval"): ``better`` when the
    ``first`` does better than the ``second``."""
    sets = ["train" if s.startswith(("train", "训练")) else s for s in (first, second)]
    high, low = sets if better else sets[::-1]
    return f" {metric} {high}better{low} "


def _said(text: str) -> str:
    """A complaint (or a piece of it) normalised as it is read: :func:`_normalise`, and a set
    said below or above another (:data:`_BESIDE`) in the ordered word — which the rules'
    phrases are not given, so that reading it moves no other symptom's words."""
    return _BESIDE.sub(_beside, _normalise(text))


def _compare(match: re.Match[str]) -> str:
    first = match.group(1)
    second = match.group(3) or match.group(4)
    word = match.group(2) or match.group(5)
    metric = "acc" if " acc" in match.group(0) else "loss" if "loss" in match.group(0) else ""
    better = (word in _BETTER.split("|")
              or (word in _UP.split("|")) != (metric == "loss") and word not in _WORSE.split("|"))
    return _ordered(metric, first, second, better)


_VALUE = r"(\d+(?:\.\d+)?)(%?)"
_SAYS = (r"(?: ?(?:is|are|was|were|of|at|about|around|just|only|few|still|reaches|reached|hits|"
         r"stays at|sits at|settles at|tops out at|peaks at|practically|almost|nearly|"
         r"basically|close to|(?:never |barely )?(?:gets?|got|goes|went|rises?|rose|"
         r"climbs?|climbed) (?:above|over|past|beyond)|(?:goes|go|went|drops?|dropped|falls?|"
         r"fell|gets?|got|comes?|came|decreases?|decreased) (?:down )?to|"
         r"是|为|有|才|只有|大概|约|到|接近|将近|几乎|差不多|:|=))*")
#: A value a metric went to is its value ("train loss went from 12 to 2": 2)
_WENT_TO = (r"(?: ?(?:went|goes|dropped|fell|falls|decreased|decreases|came) from "
            r"\d+(?:\.\d+)?%? (?:(?:up |down )?to|->|→))?")
#: A set named with a value, the value after it ("train loss 0.01", "训练 acc 99%", "on the
#: test athletes the loss sits at 0.96": one word may name what the set holds) or before it
#: when it is a share or a decimal ("99% train acc", "0.3 val loss").
_MEASURE = re.compile(
    rf"(?<![a-z]){_SET}(?:(?: [a-z]+)?(?: the)? (?:loss|acc)|{_METRIC}){_WENT_TO}{_SAYS} ?"
    rf"{_VALUE}"
    rf"|(\d+(?:\.\d+)?%|\d*\.\d+)() (?:on (?:the )?)?{_SET}{_METRIC}")


def _measured(text: str) -> str:
    """Two sets given values of one metric say which does better: "99% train acc, 40% test
    acc" and "train loss 0.01, val loss 2.5" gain the ordered word a comparison in words
    gives (trainbettertest, trainbetterval). Accuracy is better higher, loss lower; values
    too close to tell (under 10 points of accuracy, under twice the loss) gain nothing."""
    found = []
    for match in _MEASURE.finditer(text):
        if match.group(1):
            name, value, share = match.group(1), match.group(2), match.group(3)
        else:
            name, value, share = match.group(6), match.group(4).rstrip("%"), "%"
        said = match.group(0)
        found.append(("train" if name.startswith(("train", "训练")) else name,
                      "loss" if "loss" in said else "acc" if "acc" in said or share else "",
                      float(value), bool(share)))
    pair = [m for m in found if m[0] != found[0][0]][:1] if found else []
    if not pair or not found[0][1] or found[0][1] != pair[0][1]:
        return text
    (first, metric, a, share_a), (second, _, b, share_b) = found[0], pair[0]
    if metric == "acc":
        a, b = (v * 100 if v <= 1 and not share else v for v, share in ((a, share_a), (b, share_b)))
        if abs(a - b) < 10:
            return text
        better = a > b
    else:
        if min(a, b) * 2 > max(a, b) or a == b:
            return text
        better = a < b
    high, low = (first, second) if better else (second, first)
    return f"{text} {metric} {high}better{low}"


#: "A 高于 B" / "A 远高于 B" say what "A 比 B 高" says; "训练集的 loss" is "训练 loss"
_YU = re.compile(rf"{_SET}((?: ?的)?{_METRIC}){_FILLER} ?(?:远|明显|要|略)?"
                 rf"({_UP}|{_DOWN}|好|差)于 ?{_SET}((?: ?的)?{_METRIC})")
_OF_SET = re.compile(r"(训练|val|test) ?的 ?(?=loss|acc|高|低|大|小|好|差)")

_LEVEL_WORDS = {"low": -1, "tiny": -1, "small": -1, "低": -1, "小": -1,
                "high": 1, "huge": 1, "large": 1, "big": 1, "高": 1, "大": 1,
                "good": 2, "great": 2, "fine": 2, "好": 2,
                "bad": -2, "poor": -2, "terrible": -2, "awful": -2, "差": -2}
#: A set's metric said to be at a level: "train loss is low", "val acc stays poor",
#: "验证 loss 很高", "train loss goes to 0" (low)
_LEVEL = re.compile(
    rf"(?<![a-z]){_SET}{_METRIC}((?: ?(?:is|are|was|were|stays?|remains?|keeps?|looks?|"
    rf"very|quite|really|pretty|super|still|way|extremely|so|很|还|却|也|一直|都|仍然|依然|倒是|"
    rf"(?:goes|go|went|drops?|dropped|falls?|fell|gets?|got) (?:down )?to|practically|almost|"
    rf"nearly|basically))*)"
    rf" ?({'|'.join(sorted(_LEVEL_WORDS, key=len, reverse=True))}|0(?![.\d]))(?![a-z])")


def _levels(text: str) -> str:
    """Two sets said to sit at opposite levels of one metric — "train loss is low but val loss
    is high", "训练 loss 很低，验证 loss 很高" — gain the ordered word a comparison gives
    (trainbetterval): each clause alone reads like "both high", together they say a gap."""
    found = []
    for match in _LEVEL.finditer(text):
        said = match.group(0)
        metric = "loss" if "loss" in said else "acc" if "acc" in said else ""
        name = match.group(1)
        found.append(("train" if name.startswith(("train", "训练")) else name, metric,
                      _LEVEL_WORDS.get(match.group(3), -1)))  # "goes to 0": low
    other = [m for m in found[1:] if m[0] != found[0][0]][:1] if found else []
    if not other:
        return text
    (first, metric, a), (second, metric_b, b) = found[0], other[0]
    metric = metric or metric_b
    if metric_b and metric_b != metric:
        return text
    # good/bad say which does better outright; high/low say it through the metric
    score = [v / 2 if abs(v) == 2 else (-v if metric == "loss" else v if metric == "acc" else 0)
             for v in (a, b)]
    if score[0] == 0 or score[1] == 0 or score[0] == score[1]:
        return text
    high, low = (first, second) if score[0] > score[1] else (second, first)
    return f"{text} {metric} {high}better{low}"


#: A value said to go from one number to another and back ("the step loss goes from 0.06 to
#: 3.7 and back"): a spike, which the words alone do not say
_FROM_TO_AND_BACK = re.compile(
    r"\bfrom \d+(?:\.\d+)?(?:e-?\d+)? (?:(?:up|down) )?(?:to|->|→) \d+(?:\.\d+)?(?:e-?\d+)? "
    r"and back\b")


#: An accuracy said at 95 % or more ("验证集准确率已经 99.9% 了", "val accuracy is 99.9%")
_HIGH_ACCURACY = re.compile(r"((?:accuracy|acc|准确率)[^,，。;；]{0,12}?)"
                            r"(9[5-9](?:\.\d+)?|100) ?%(?![\d.])")


def _high_accuracy(match: re.Match[str]) -> str:
    """The level a high accuracy is said at, in words, after it: what "准确率已经很高了" or
    "accuracy is very high" say (the number alone reads as no level)."""
    level = "很高" if _has_cjk(match.group(0)) else "very high"
    return f"{match.group(0)} {level}"


@lru_cache(maxsize=16384)
def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    text = re.sub(r"\s+", " ", text)
    for pattern, replacement in _CANONICAL:
        text = pattern.sub(replacement, text)
    text = _FROM_TO_AND_BACK.sub(lambda m: f"{m.group(0)} spike", text)
    text = _HIGH_ACCURACY.sub(_high_accuracy, text)
    text = apply_concepts(text)
    text = _OF_SET.sub(r"\1 ", text)
    text = _YU.sub(lambda m: f"{m.group(1)}{m.group(2)} 比 {m.group(4)}{m.group(5)} {m.group(3)}",
                   text)
    text = _COMPARISON.sub(_compare, text)
    text = _measured(text)
    if "better" not in text:
        text = _levels(text)
    return re.sub(r" {2,}", " ", text).strip(" .!?。！？")


#: Where a complaint's clauses end (punctuation) and where a clause joins two things it says
#: (conjunctions): each clause is read whole or by its pieces on its own, so that a clause
#: that needs its "and" ("train and val loss are the same") does not swallow the clause
#: beside it ("the loss is nan, and train and val loss …")
_CLAUSE = re.compile(r"[;；。?！？\n]|!(?!=)|,(?=\s)|，|(?<!\b[a-z])(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)"
                     r"\.(?=\s+\S)")
_JOIN = re.compile(r"\band then\b|\band\b|\bbut\b|\bthen\b|而且|并且|但是|同时|然后")
#: A colon after a few words of context and before what happened ("multi-label tagging with
#: BCEWithLogitsLoss: the loss is stuck at 0.69") ends a clause; one before a value ("train
#: loss: 0.01", "loss: nan") or after a single name does not.
_CONTEXT_COLON = re.compile(r"([^:;；。\n]+)[:：](?=\s*[A-Za-z\u4e00-\u9fff])")
_CONTEXT_WORDS = 3


def _context_colon(match: re.Match[str]) -> str:
    head = match.group(1)
    if "\x00" in head:  # the rest of a pasted message ("…, but got: Half != float")
        return match.group(0)
    words = len(head.split()) + len(re.findall(r"[\u4e00-\u9fff]", head)) // 2
    after = match.string[match.end():match.end() + 4].strip().lower()
    value = after.startswith(("nan", "inf"))
    return head + ("; " if words >= _CONTEXT_WORDS and not value else match.group(0)[-1])


_EXCEPTION = re.compile(r"\b[A-Za-z_.]*(?:Error|Exception|Warning):")
_CODE = re.compile(r"[()=/\\]|\btraceback\b|\bfile \"|\bline \d", re.IGNORECASE)
#: Words that open a sentence of the person's own after a pasted message ("… is out of bounds.
#: Only the first checkpoint was written", "… The validation set now has a second farm"); a
#: message's own later sentences open otherwise ("This will likely lead to …", "Please
#: ensure …", "Tried to allocate …").
_OWN_SENTENCE = (r"(?:I|I'm|I've|My|We|Our|Only|Then|After|Before|So|But|Also|Now|Since|When|"
                 r"Training|The\s+(?:val|validation|train|training|model|loss|run|data|dataset|"
                 r"test|accuracy|labels?|network|net)\b)")
#: A pasted error message, to the end of its clause or of the message where the person's own
#: next sentence starts: never split inside ("mat1 and mat2", "torch.float32", "got 3.5")
_MESSAGE = re.compile(r"\b[A-Za-z_.]*(?:Error|Exception|Warning):"
                      rf"(?:[^\n,;，。.]|\.(?!\s+{_OWN_SENTENCE}))*")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def split_complaint(text: str) -> list[str]:
    """Split a complaint into the separate things it says (never inside brackets: a pasted
    call such as ``nll_loss(input, target, weight)`` is one thing), each normalised."""
    return [normalised for _, normalised in _split_parts(text)]


#: A piece that says what the problem is *not* ("it is not overfitting, the loss is stuck",
#: 不是过拟合，而是 loss 不降, "rather than …", 而不是 …): beside a piece that says what it is,
#: its readings are not taken.
_DENIAL = re.compile(
    r"\s*(?:(?:it|this|that|the (?:problem|issue)|my problem)(?: is|'s) not\b"
    r"|(?:it|this|that) isn't\b|(?:我的)?(?:问题)?(?:并)?不是|并非|而不是)", re.IGNORECASE)
#: ... and, after a piece that says what it is ("the loss rises, rather than falling"), one
#: that opens on what it is instead of (at the start, "instead of falling it rises" is one
#: claim)
_DENIAL_AFTER = re.compile(r"\s*(?:rather than|instead of)\b", re.IGNORECASE)
#: ... and a piece that tells of a remedy tried in vain ("more epochs do not help", 降低学习率
#: 也没用): it names what did not help, not something seen
_NO_HELP = re.compile(
    r"\b(?:do(?:es)?|did)(?: not|n't) (?:help|change anything|make (?:a |any )?difference|fix it)"
    r"|\bmade no difference|\bchanged nothing|\bno help\b|\bdid nothing\b"
    r"|(?:也|都|还是)?(?:没用|没有用|不管用|没有帮助|无济于事|没有任何变化|没什么变化)",
    re.IGNORECASE)


#: A yes/no question's opening: the person asks whether something is so ("is my scheduler
#: stepped every batch?", 是不是学习率太大？) — a suspicion, not something observed. A question
#: that asks why ("why is my loss nan?") presupposes what it asks about and is read as said.
_YES_NO = re.compile(
    r"^\s*(?:or\s+)?(?:(?:is|are|was|were|am|do|does|did|could|can|should|would|will|might|may|has|"
    r"have|had|isn't|aren't|wasn't|don't|doesn't|didn't|couldn't|can't|shouldn't)\b)",
    re.IGNORECASE)
#: ... or a guess at the cause put as a question with no verb ("Overfitting already after 3
#: epochs?", "maybe the learning rate?", "过拟合了？"): it names a suspicion, not what was seen
_GUESS = re.compile(
    r"^\s*(?:or\s+)?(?:maybe|perhaps|possibly|probably|over-?fit\w*|under-?fit\w*|"
    r"too (?:much|little|many|few|high|low|big|small|large)\b|过拟合|欠拟合|也许|可能)",
    re.IGNORECASE)
#: ... or a guess at the cause told as a belief, question mark or not ("I thought it was
#: overfitting", "我以为是过拟合"), or one doubted ("so I doubt it is too little data"):
#: what the person suspects or rules out, not what they saw
_BELIEF = re.compile(
    r"^\s*(?:(?:but|and|so|at first)\s+)?(?:I|we)\s+(?:(?:first|initially|originally)\s+)?"
    r"(?:think|thought|guess|guessed|suspect|suspected|believe|believed|assumed?|figured?|"
    # a doubt names a cause ruled out, not a surprise at what was seen ("I didn't think BCE
    # could go below zero" says it did): only "… it is X" / "… the problem is X"
    r"(?:doubt|doubted|(?:do not|don't|did not|didn't) (?:think|believe))(?:\s+that)?"
    r"(?=\s+(?:it'?s|it (?:is|was)|this (?:is|was)|the (?:problem|issue|cause) (?:is|was))\b))\s+"
    r"(?:(?:that|it'?s|it (?:is|was)|this (?:is|was)|(?:the|my|our) (?:model|network|net) "
    r"(?:is|was))\s+)*"
    r"|^\s*(?:可是|但是|但|而且|所以)?我们?(?:一开始|本来|原本|起初|最初)?"
    r"(?:以为|觉得|猜|怀疑|认为|估计)(?:是|它|这是|模型|网络|在)*\s*",
    re.IGNORECASE)
#: ... in Chinese anywhere in the clause (我是不是…, 学习率会不会太大), unless it asks why or how
_YES_NO_ZH = re.compile(r"是不是|是否|会不会|有没有|难道")
_WHY_ZH = re.compile(r"为什么|为啥|怎么")
#: Where a clause ends: punctuation, a comma before a space, or a full stop between
#: sentences ("It is slow. Should I train longer?"), never one inside a number (0.5).
_CLAUSE_END = re.compile(r"([;；。?？!！\n]|,\s|，|\.\s+(?=[A-Z]))")


def split_questions(text: str) -> tuple[str, list[str]]:
    """The complaint without its yes/no questions, and those questions as written: a clause
    ending in a question mark (or 吗) that opens as a yes/no question asks, it does not tell."""
    parts = _CLAUSE_END.split(text)
    kept: list[str] = []
    asked: list[str] = []
    for i in range(0, len(parts), 2):
        clause, end = parts[i], parts[i + 1] if i + 1 < len(parts) else ""
        words = clause.strip()  # the split took its ending off
        question = end in ("?", "？") or words.endswith("吗")
        yes_no = _YES_NO.match(words) or _GUESS.match(words) or \
            ((_YES_NO_ZH.search(words) or words.endswith("吗")) and not _WHY_ZH.search(words))
        believed = _BELIEF.match(words)
        if words and (question and yes_no or
                      believed and _GUESS.match(words[believed.end():])):
            if words.lower().startswith("or ") and kept and (_YES_NO.match(kept[-1])
                                                             or _GUESS.match(kept[-1])):
                # "is Adam 3e-3 wrong for this, or is the data too noisy?": one question
                words = kept.pop().strip() + " " + words
            asked.append(words + (end if end in ("?", "？") else ""))
            continue
        kept.append(clause + end)
    return "".join(kept).strip().rstrip(",，;；"), asked


def _split_parts(text: str) -> list[tuple[str, str]]:
    """The pieces of a complaint as the person wrote them and as matched (normalised)."""
    return [part for _, pieces in _clauses(text) for part in pieces]


def _clauses(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The clauses of a complaint (as written), each with its pieces as written and as
    matched (normalised); clauses and pieces that say nothing are left out."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(0))
        return f"\x00{len(held) - 1}\x00"

    masked = text
    for _ in range(3):  # nested brackets, innermost first
        masked = _BRACKETS.sub(hold, masked)
    masked = _MESSAGE.sub(hold, masked)  # "mat1 and mat2 shapes …" is one thing
    restore = re.compile(r"\x00(\d+)\x00")

    def unmask(part: str) -> str:
        while restore.search(part):
            part = restore.sub(lambda m: held[int(m.group(1))], part)
        error = _EXCEPTION.search(part)
        if error and _CODE.search(part[:error.start()]):
            part = part[error.start():]  # the traceback before "XxxError: message" is noise
        return part

    masked = _CONTEXT_COLON.sub(_context_colon, masked)
    out = []
    for clause in _CLAUSE.split(masked):
        pieces = [(part.strip(" .!?。！？\n\t"), _said(part))
                  for part in map(unmask, _JOIN.split(clause))]
        pieces = [(raw, normalised) for raw, normalised in pieces if normalised]
        if pieces:
            out.append((unmask(clause).strip(" .!?。！？\n\t"), pieces))
    return _carry_scores(out)


#: Scores that are no loss (accuracy, F1, AUC …), as normalised
_SCORES = "acc|accuracy|f1|auc|recall|precision|map|miou|iou|bleu"
#: A score, with its split
_SCORE_SUBJECT = re.compile(rf"(?<![a-z])(?:(?:val|train|test)\s+)?(?:{_SCORES})(?![a-z])")
#: Any metric a piece can be about: a piece naming one keeps its own subject
_ANY_SUBJECT = re.compile(rf"(?<![a-z])(?:loss|{_SCORES}|mae|mse|rmse|error|perplexity|"
                          r"grad[a-z]*|lr)(?![a-z])|损失|梯度|误差|困惑度")
#: A piece that goes on telling the story of the one before it ("later", 最后, 接着 …)
_GOES_ON = re.compile(r"(?:later|finally|eventually|afterwards)(?![a-z])|最后|最终|之后|接着|随后")


#: A piece with no subject of its own that opens on how something changes ("[val acc never
#: gets past 0.84] and is dropping at the end"): its subject is the piece's before it
_BARE_CHANGE = re.compile(r"(?:(?:is|are|was|were|keeps?|kept|still|then|also) )*"
                          r"(?:decreases|increases|stuck|oscillates|explodes|spike)\b")


def _carry_scores(clauses: list[tuple[str, list[tuple[str, str]]]]
                  ) -> list[tuple[str, list[tuple[str, str]]]]:
    """A piece that names no metric and goes on from a piece about a score ("val acc sat at
    0.336, later it jumped between 1.0 and 0.66, 最后停在0.668"), or that opens on a change
    with no subject ("val acc never gets past 0.84 and is dropping at the end"), is about that
    score: its subject is carried over (as matched; the person is still quoted as written),
    so that an accuracy that stops is not read as a loss that stalls."""
    subject = ""
    out = []
    for raw_clause, pieces in clauses:
        kept = []
        for raw, normalised in pieces:
            own = _SCORE_SUBJECT.search(normalised)
            if subject and _BARE_CHANGE.match(normalised):
                normalised = f"{subject} {normalised}"  # "… 0.84 and is dropping at the end"
            elif own:
                subject = own.group(0)
            elif _ANY_SUBJECT.search(normalised):
                subject = ""
            elif subject and _GOES_ON.match(normalised):
                normalised = f"{subject} {normalised}"
            kept.append((raw, normalised))
        out.append((raw_clause, kept))
    return out


_STOP = frozenset(
    "a an the is are was were be been being my our your i we it its this that these those "
    "of to in on at by for with from as and or but so very really just quite about "
    "then than while when during even some any all me us can could would "
    "should do does did have has had get gets got lot".split()
)
_CJK_STOP = frozenset("的了是我在也很就都和与及把被有这那个吗呢吧啊呀么得着过又还")
_WORD = re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?%?|[a-z][a-z']*|[\u4e00-\u9fff]+")
_NEGATIONS = {"not", "no", "never", "n't", "doesn't", "don't", "didn't", "won't", "cannot",
              "can't", "isn't", "aren't", "without", "nothing", "neither", "nor"}
#: Verbs that say little of their own: a negation on one passes to the word after it ("not
#: using fp16" denies the fp16, "never became nan" the nan).
_LIGHT_VERBS = frozenset(
    "use using used uses become became becomes becoming get gets got getting turn turns turned "
    "turning go goes went going have having see saw seen show shows showed showing reach "
    "reaches reached hit hits".split())
_CJK_LIGHT = frozenset("变成是用有")
#: Modals that make a negation an expectation ("should never", "mustn't").
_NORMATIVE = frozenset({"should", "must", "ought", "shouldn't", "mustn't"})


#: Chinese for "thousands", "tens of thousands", ...: a huge value, like a number >= 1000.
_HUGE_ZH = re.compile(r"[几上成数]?[百千万亿]+")


def _magnitude(number: str) -> set[str]:
    """A number's size as a word: "1e9" and "50000" are ``huge``, "1e-10" is ``tiny``."""
    if number.endswith("%"):
        return set()
    value = abs(float(number))
    return {"huge"} if value >= 1000 else {"tiny"} if 0 < value <= 1e-4 else set()


def _stem(word: str) -> str:
    """A light stemmer: stops, stopped, stopping -> stop; improve, improving -> improv."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if suffix == "s" and word.endswith("ss"):
            break
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


@lru_cache(maxsize=16384)
def terms(text: str) -> frozenset[str]:
    """The meaningful terms of a text: stemmed English words and Chinese characters, after
    :func:`_normalise` (which turns the spellings of one concept into one word).

    A negated word also yields ``!word`` ("not work" -> work, !work; "不 work" likewise), so
    polarity is compared on the word negated, not on the sentence; a negation with nothing
    after it ("… but accuracy does not") yields ``not``. Numbers count only as themselves
    ("0.0000" = "0", "10%"), plus ``huge`` or ``tiny`` for their size."""
    out: set[str] = set()
    asserted: set[str] = set()  # words said without a negation
    negated = False
    for previous, token in itertools.pairwise(["", *_WORD.findall(_normalise(text))]):
        if token[0].isdigit():
            out.add(token if token.endswith("%") else f"#{float(token):g}")
            out |= {_stem(word) for word in _magnitude(token)}
        elif "\u4e00" <= token[0] <= "\u9fff":
            if _HUGE_ZH.search(token):
                out.add(_stem("huge"))
            for char in token:
                if char == "不":
                    negated = True
                elif char not in _CJK_STOP:
                    out.add(char)
                    if negated:
                        out.add("!" + char)
                    else:
                        asserted.add(char)
                    negated = negated and char in _CJK_LIGHT
            continue  # a light verb ending the run hands its negation on ("没有变成 nan")
        elif token in _NEGATIONS or token.endswith("n't"):
            # "it should never go below zero" states an expectation, not what happened
            negated = previous not in _NORMATIVE and token not in _NORMATIVE
            continue
        elif token not in _STOP:
            word = _stem(token)
            out.add(word)
            if not negated:
                asserted.add(word)
            else:
                out.add("!" + word)
                if token in _LIGHT_VERBS:
                    continue  # "not using fp16", "never became nan": the object is denied
        else:
            continue
        negated = False
    if negated:
        out.add("not")
    # a word the text both asserts and denies ("worse than not fine-tuning") has no polarity
    return frozenset(t for t in out if not (t[0] == "!" and t[1:] in asserted))


class _Phrase(NamedTuple):
    """One phrase of a symptom, prepared once: its terms, normal form and total weight."""

    symptom: str
    text: str
    terms: frozenset[str]
    norm: str  # :func:`_normalise`d
    plain: str  # norm without spaces (Chinese is compared letter by letter)
    cjk: bool
    weight: float = 0.0  # the idf of its terms, summed
    moves: tuple[tuple[str, str], ...] = ()  # :func:`_directions` of norm, read once


@dataclass
class _Index:
    """Each symptom's phrases with their terms, and the weight (idf) of every term."""

    phrases: list[_Phrase] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    default_idf: float = 1.0
    qualifiers: dict[str, frozenset[int]] = field(default_factory=dict)
    #: symptom -> the symptoms it refines (it implies all their facts and more)
    refines: dict[str, frozenset[str]] = field(default_factory=dict)
    #: term -> the phrases (positions in ``phrases``) that have it
    postings: dict[str, list[int]] = field(default_factory=dict)
    #: symptom -> the facts it implies, as (fact, repr(value)) pairs
    implied: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    #: symptom -> every term of its phrases
    vocab: dict[str, frozenset[str]] = field(default_factory=dict)
    #: symptom -> its look-alikes (symptoms whose phrases share much of its vocabulary)
    family: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the statements ("I did not normalise the inputs"): what they say, flipped, is the
    #: opposite fact ("I normalised the inputs")
    statements: frozenset[str] = frozenset()
    #: statement phrase (position in ``phrases``) -> the terms naming what it is about: those
    #: its statement's texts use more than once (all its own when it has none of them)
    subjects: dict[int, frozenset[str]] = field(default_factory=dict)
    #: how many of its subject terms a piece must name for a statement phrase to be read
    named_by: dict[int, int] = field(default_factory=dict)
    #: phrases (positions in ``phrases``) that read only a piece saying a level (a share)
    level_only: frozenset[int] = frozenset()
    #: per phrase: its symptom, and 1 / its weight
    owner: list[str] = field(default_factory=list)
    inverse_weight: list[float] = field(default_factory=list)
    #: the phrases rapidfuzz compares in bulk, sorted by length: Chinese (and mixed) ones
    #: as letters without spaces, all as letters without spaces, English ones as normalised
    shelves: dict[str, tuple[list[int], list[str], list[int]]] = field(default_factory=dict)


#: What people say of a training loss going as it should ("it keeps going down"): said
#: beside a problem, as its context, such a piece names no symptom. Read like a symptom's
#: phrases (its words weigh on no other reading), and dropped wherever it reads best.
_PROGRESS = "(progress)"
_PROGRESS_PHRASES = (
    "the training loss goes down", "the loss keeps going down", "loss decreases steadily",
    "the loss goes down as expected", "training loss is decreasing normally",
    "the loss goes down nicely",
    "训练 loss 正常下降", "loss 一直在降", "loss 在下降", "训练 loss 稳步下降",
)


def _index(kb: KnowledgeBase) -> _Index:
    cached = kb.cache.get("symptom_index")
    if isinstance(cached, _Index):
        return cached
    index = _Index()
    df: dict[str, int] = {}
    raw: list[tuple[str, str, frozenset[str]]] = []
    for symptom in kb.symptoms.values():
        seen: set[str] = set()
        for text in _texts(symptom):
            if text:
                found = terms(text)
                raw.append((symptom.id, text, found))
                seen |= found
        if symptom.kind == "observation":
            for term in seen:
                df[term] = df.get(term, 0) + 1
        index.qualifiers[symptom.id] = _qualifiers(seen)
        index.vocab[symptom.id] = frozenset(seen)
    progress = [(_PROGRESS, text, terms(text)) for text in _PROGRESS_PHRASES]
    raw += progress
    index.vocab[_PROGRESS] = frozenset().union(*(found for _, _, found in progress))
    index.qualifiers[_PROGRESS] = _qualifiers(index.vocab[_PROGRESS])
    implied = {s.id: {(k, repr(v)) for k, v in s.implies.items()} for s in kb.symptoms.values()}
    index.refines = {a: frozenset(b for b, facts in implied.items() if facts < implied[a])
                     for a in implied}
    index.implied = {a: frozenset(facts) for a, facts in implied.items()}
    n = max(1, sum(s.kind == "observation" for s in kb.symptoms.values()))
    index.idf = {t: math.log(1 + n / d) for t, d in df.items()}
    index.default_idf = max(index.idf.values(), default=1.0)
    for _, _, found in raw:  # a statement's own words: as rare as the rarest
        for term in found - index.idf.keys():
            index.idf[term] = index.default_idf
    for symptom_id, text, found in raw:
        norm = _normalise(text)
        index.phrases.append(_Phrase(symptom_id, text, found, norm, norm.replace(" ", ""),
                                     _has_cjk(norm), sum(index.idf[t] for t in found),
                                     tuple(_directions(norm).items())))
    index.family = _families(index)
    index.statements = frozenset(s.id for s in kb.symptoms.values() if s.kind == "statement")
    recurring = {s.id: _recurring_terms(s) for s in kb.symptoms.values()
                 if s.kind == "statement"}
    index.subjects = {k: (phrase.terms & recurring[phrase.symptom]) or phrase.terms
                      for k, phrase in enumerate(index.phrases) if phrase.symptom in recurring}
    # a subject named by common words only ("model", "train" of "model.train() never called")
    # is named by two of them: "the final model never calls anything sand" is not about it
    common = {t for t, d in df.items() if d > _COMMON_SUBJECT * n}
    index.named_by = {k: 2 if len(terms) >= 2 and terms <= common else 1
                      for k, terms in index.subjects.items()}
    level = {(s.id, text) for s in kb.symptoms.values() for text in s.needs_level}
    index.level_only = frozenset(k for k, phrase in enumerate(index.phrases)
                                 if (phrase.symptom, phrase.text) in level)
    _post(index)
    kb.cache["symptom_index"] = index
    return index


def _texts(symptom: Any) -> list[str]:
    """A symptom's title (English, Chinese) and every phrase of it."""
    texts = [symptom.text.en, symptom.text.zh or ""]
    for group in symptom.synonyms.values():
        texts.extend(group)
    return texts


def _recurring_terms(symptom: Any) -> frozenset[str]:
    """The terms a statement's texts (title and phrases) use more than once: what it is about
    ("model", "train" in "forgot model.train()" and "model.train() never called"), not the
    words one phrase says it with ("called")."""
    counts: dict[str, int] = {}
    for text in _texts(symptom):
        for term in terms(text):
            if not term.startswith("!"):
                counts[term] = counts.get(term, 0) + 1
    return frozenset(t for t, n in counts.items() if n > 1)


def _families(index: _Index) -> dict[str, frozenset[str]]:
    """Each symptom's look-alikes: symptoms that share at least :data:`_FAMILY_SHARE` of the
    smaller of their two vocabularies, weighted by idf ("loss suddenly jumps" and "loss
    explodes"; "good on train, bad on test" and "validation above test"). Chosen on the
    KB's own phrases, each matched with itself left out: asking about look-alikes within
    :data:`_FAMILY_CALL` took the wrong readings from 31 to 28 and asks nothing more on the
    complaint corpus's tuning half."""
    weight = {sid: sum(index.idf[t] for t in vocab) for sid, vocab in index.vocab.items()}
    family: dict[str, set[str]] = {sid: set() for sid in index.vocab if sid != _PROGRESS}
    ids = sorted(family)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            smaller = min(weight[a], weight[b])
            shared = sum(index.idf[t] for t in index.vocab[a] & index.vocab[b])
            if smaller and shared / smaller >= _FAMILY_SHARE:
                family[a].add(b)
                family[b].add(a)
    return {sid: frozenset(found) for sid, found in family.items()}


def _post(index: _Index) -> None:
    """Fill the inverted index and the phrase texts rapidfuzz compares in bulk."""
    index.postings = {}
    for k, phrase in enumerate(index.phrases):
        for term in phrase.terms:
            index.postings.setdefault(term, []).append(k)
    index.owner = [p.symptom for p in index.phrases]
    index.inverse_weight = [1.0 / p.weight if p.weight else 0.0 for p in index.phrases]
    shelves: tuple[tuple[str, Callable[[Any], bool], Callable[[Any], str]], ...] = (
        ("cjk", lambda p: p.cjk, lambda p: p.plain),
        ("all", lambda p: True, lambda p: p.plain),
        ("latin", lambda p: not p.cjk, lambda p: p.norm))
    for name, keep, text in shelves:
        chosen = sorted((len(text(p)), k) for k, p in enumerate(index.phrases)
                        if p.norm and keep(p))
        index.shelves[name] = ([n for n, _ in chosen],
                               [text(index.phrases[k]) for _, k in chosen],
                               [k for _, k in chosen])


def _qualifiers(found: frozenset[str] | set[str]) -> frozenset[int]:
    return frozenset(i for i, group in enumerate(_QUALIFIERS) if found & group)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


#: Opposites: a piece that says one and a phrase that says the other disagree in polarity.
_OPPOSITES: tuple[tuple[str, str], ...] = (
    ("大", "小"), ("高", "低"), ("increas", "decreas"),
    ("high", "low"), ("larg", "small"), ("big", "small"), ("good", "bad"),
    ("optimizer", "scheduler"),  # "the optimizer steps every batch" is no scheduler's step
    ("nan", "#0"),  # "loss goes nan after a few steps" is no loss gone to zero
)


def _opposed(piece: frozenset[str], phrase: frozenset[str]) -> bool:
    """The piece and the phrase say a shared word with opposite polarity ("not work" against
    "work"), one ends on a bare negation the other lacks, or they name opposites."""
    if ("not" in piece) != ("not" in phrase):
        return True
    for one, other in ((piece, phrase), (phrase, piece)):
        for term in one:
            if term[0] == "!" and term[1:] in other and term not in other:
                return True
    return any((a in piece and b in phrase and a not in phrase and b not in piece)
               or (b in piece and a in phrase and b not in phrase and a not in piece)
               for a, b in _OPPOSITES)


_UPWARD, _DOWNWARD = frozenset({"increas", "up"}), frozenset({"decreas", "down"})
_STAYS = "stuck"  # the lexicon's one word for "does not move" (flat, plateaus, 不变, 卡住)


_SEQUENCE = re.compile(r"\bthen\b|先.+后")


def _reversed(piece: frozenset[str], phrase: frozenset[str], text: str) -> bool:
    """The piece says a quantity moves one way only and the phrase says the other way
    ("训练损失一直在降" against "loss 一直在上升", one character apart, or against "loss goes
    down then up", whose rise the piece never says) or that it stays ("loss 一直不变") — a
    statement of the opposite, not a looser wording."""
    up, down = bool(_UPWARD & piece), bool(_DOWNWARD & piece)
    if up != down and _STAYS in phrase and _STAYS not in piece and \
            (_UPWARD | _DOWNWARD).isdisjoint(phrase):
        return True  # "loss 一直在降" (it moves) against "loss 一直不变" (it stays)
    if up == down or (_DOWNWARD if up else _UPWARD).isdisjoint(phrase):
        return False
    # a phrase saying both ways is an oscillation ("jumps up and down"), unless it is a
    # sequence that ends the other way ("goes down then up")
    return (_UPWARD if up else _DOWNWARD).isdisjoint(phrase) or \
        _SEQUENCE.search(text) is not None


#: The ways a loss or an accuracy is said to move, as :func:`_normalise` writes them: up
#: and down (for an accuracy "improves" is up, for a loss it is down).
_MOVES = {
    "acc": ({"increases", "improve", "improves", "better", "higher", "up", "rises", "rise"},
            {"decreases", "worse", "drops", "drop", "down", "lower", "falls", "fall"}),
    "loss": ({"increases", "higher", "up", "rises", "rise"},
             {"decreases", "improve", "improves", "lower", "down", "drops", "drop", "falls",
              "fall"}),
}
_LETTERS = re.compile(r"[a-z]+")
_NEGATED_MOVE = re.compile(r"(不|没|无|\bnot|n't|\bnever|\bno)(\s+[a-z]+)?\s*$")
_LATER = re.compile(r"\b(later|after|afterwards)\b|后来|后面")


def _directions(text: str) -> dict[str, str]:
    """Which way ``text`` (normalised) says each of the loss and the accuracy moves: the
    moving words within four after the metric's name, before another metric is named ("loss
    decreases but acc increases"), else the two before it ("the lower my loss goes, the worse
    the acc"); none where they disagree, where a sequence says both ways, or after a
    negation."""
    if _SEQUENCE.search(text) or _LATER.search(text):
        return {}  # "first down, then stuck": a sequence says both ways
    # a moving word after a negation says no way ("不降", "won't go lower"): left out
    words = [m.group() for m in _LETTERS.finditer(text)
             if not _NEGATED_MOVE.search(text[max(m.start() - 12, 0):m.start()])]
    found: dict[str, str] = {}
    for i, word in enumerate(words):
        # the validation loss is another quantity than the training loss ("train loss keeps
        # dropping but val loss climbs")
        metric = f"val {word}" if i and words[i - 1] == "val" else word
        if word not in _MOVES or metric in found:
            continue
        up, down = _MOVES[word]
        after = []
        for other in words[i + 1:i + 5]:
            if other in _MOVES or other == "val":
                break
            after.append(other)
        before = words[max(i - 2, 0):i]
        ways = {"up" if w in up else "down" if w in down else "stays"
                for w in after if w in up or w in down or w == _STAYS}
        if not ways:
            ways = {"up" if w in up else "down" for w in before if w in up or w in down}
        if len(ways) == 1:  # two ways ("不但不降，还往上走") say no one way
            found[metric] = ways.pop()
    return found


def _directions_clash(mine: dict[str, str], phrase: _Phrase) -> bool:
    """The piece (its :func:`_directions`, ``mine``) and the phrase say one of the loss and
    the accuracy moves opposite ways ("loss decreases but acc increases" against "loss
    decreases acc 也 decreases": a term bag holds both, the sentence does not)."""
    if not mine:
        return False
    theirs = dict(phrase.moves)
    for metric, way in mine.items():
        other = theirs.get(metric)
        if other is None and metric.startswith("val "):
            other = theirs.get(metric[4:])  # a phrase's bare "accuracy" is the validation's
        elif other is None and f"val {metric}" not in mine:
            other = theirs.get(f"val {metric}")  # a bare "loss" read against the phrase's
        if other not in (None, way):
            return True
    return False


def _tells_progress(index: _Index, found: dict[str, SymptomMatch]) -> bool:
    """Whether a piece reads best as a training loss going as it should (context, no
    symptom): it names the loss and says nothing the phrases of progress do not ("loss goes
    down", not "… painfully slowly" or "instead of decreasing it rises"). (An accuracy that
    rises is read on: beside a loss that does not fall it is half of what is wrong.)"""
    progress = found.get(_PROGRESS)
    if progress is None:
        return False
    said = terms(progress.text)
    # it names what goes as it should ("keeps falling" alone carries the clause before it)
    return progress.score > _top({k: m for k, m in found.items() if k != _PROGRESS}) and \
        said <= index.vocab[_PROGRESS] and "loss" in said


def _read_piece(index: _Index, piece: str,
                matched: dict[str, dict[str, SymptomMatch]] | None = None
                ) -> dict[str, SymptomMatch]:
    """A piece's plausible readings (:func:`_settle`), none for a run going as it should."""
    found = matched[piece] if matched and piece in matched else _match_piece(index, piece)
    if _tells_progress(index, found):
        return {}
    return _settle(index, {k: m for k, m in found.items() if k != _PROGRESS})


def _denied_by(found: frozenset[str]) -> frozenset[str]:
    """The words a text negates ("loss 降不到 0.5 以下" denies 到)."""
    return frozenset(t[1:] for t in found if t[0] == "!")


def _contradicts(denied: frozenset[str], phrase: frozenset[str]) -> bool:
    """The piece negates (``denied``: its negated words) a word a phrase without any negation
    asserts ("the loss is not nan" against "loss is nan"): it denies what the phrase says, a
    stronger disagreement than a bare "not". (Called the other way round too: a phrase that
    denies what the piece asserts, "loss 降不到 0.5 以下" against "loss 一直降到 0.001 以下".)"""
    return bool(denied) and not denied.isdisjoint(phrase) and not _negated(phrase)


def _later_step(piece: frozenset[str], phrase: frozenset[str]) -> bool:
    """The piece names a step by a number that is not the first ("inf at step 10": "step 0"
    and "step 1" read as ``start``) where the phrase says from the start ("nan at step 0"):
    another time, however alike the letters look."""
    return "start" in phrase and "start" not in piece and "step" in piece and \
        any(term.startswith("#") for term in piece)


def _negated(found: frozenset[str]) -> bool:
    """The text says a negation somewhere ("not", 没有 …)."""
    return "not" in found or any(term[0] == "!" for term in found)


#: Verbs that deny what they govern ("forgot zero_grad", "zero_grad is missing", 漏掉了): a
#: statement with one says the thing is absent, like a negation.
_PRIVATIVE = frozenset({"forget", "miss", "skip", "omit", "lack", "absent", "漏", "缺"})


def _denies(found: frozenset[str]) -> bool:
    """A statement says something is absent: a negation or a privative verb, not both ("I did
    not forget zero_grad" says it is there)."""
    return _negated(found) != bool(found & _PRIVATIVE)


def _match_piece(index: _Index, piece: str) -> dict[str, SymptomMatch]:
    """The best phrase of every symptom that ``piece`` matches.

    A phrase's score blends what the words say (:func:`_meaning_of`) with how the letters
    look (:func:`_looks_prepared`); it is computed only for the phrases that can reach the
    threshold: those whose shared terms (looked up in an inverted index) leave
    enough meaning, and those that look alike letter by letter (found by rapidfuzz in bulk)."""
    piece_terms = terms(piece)
    moves = _directions(piece)
    denied = _denied_by(piece_terms)
    named = _qualifiers(piece_terms)
    # "I log gradient norms": a piece that says what the person watches, and nothing wrong
    only_watched = bool(piece_terms & _WATCHING) and not _states_a_problem(piece)
    idf, default = index.idf, index.default_idf
    piece_weight = sum(idf.get(t, default) for t in piece_terms)
    piece_cjk = _has_cjk(piece)
    shared: dict[int, float] = {}
    for term in piece_terms:
        weight = idf.get(term)
        if weight:
            for k in index.postings.get(term, ()):
                shared[k] = shared.get(k, 0.0) + weight
    # how much of the piece the symptom's vocabulary explains (any of its phrases)
    explained = {sid: sum(idf[t] for t in piece_terms & vocab)
                 for sid, vocab in index.vocab.items()}

    def meaning_of(k: int) -> float:
        phrase = index.phrases[k]
        return _meaning_of(shared.get(k, 0.0), phrase.weight, piece_weight,
                           explained[phrase.symptom])

    # meaning_of(k) >= _MIN_MEANING, unrolled (this runs for every phrase sharing a term)
    floor = _MIN_MEANING / 100.0
    rest = {sid: (1 - _COVERAGE) * value / piece_weight if piece_weight else 0.0
            for sid, value in explained.items()}
    candidates = {k for k, value in shared.items()
                  if _COVERAGE * value * index.inverse_weight[k] + rest[index.owner[k]] >= floor}
    candidates.update(k for k, phrase in enumerate(index.phrases)
                      if phrase.norm and phrase.norm in piece)
    candidates.update(_alike(index, piece, piece_cjk))
    best: dict[str, SymptomMatch] = {}
    # read only when a phrase needs it: most pieces meet no such phrase
    says_level = bool(candidates & index.level_only) and bool(_percentages(piece))
    for k in sorted(candidates):
        phrase = index.phrases[k]
        if k in index.subjects and len(piece_terms & index.subjects[k]) < index.named_by[k]:
            continue  # a statement about something the piece never names ("did not call")
        if k in index.level_only and not says_level:
            continue  # "accuracy not improving" says chance only with a level beside it
        meaning = meaning_of(k)
        looks = _looks_prepared(piece, piece_cjk, phrase)
        # a phrase inside a piece that is about something else ("validation loss goes up"
        # holds "loss goes up") says little: no containment bonus, and a penalty
        unsaid = len(named - index.qualifiers.get(phrase.symptom, frozenset()))
        blended = _MEANING_WEIGHT * meaning + (1 - _MEANING_WEIGHT) * looks
        if (phrase.symptom in index.statements and
                _denies(piece_terms) != _denies(phrase.terms)) or \
                _contradicts(denied, phrase.terms) or \
                _contradicts(_denied_by(phrase.terms), piece_terms) or \
                _later_step(piece_terms, phrase.terms) or \
                _reversed(piece_terms, phrase.terms, phrase.norm) or \
                _directions_clash(moves, phrase):
            score = _STATEMENT_POLARITY * blended
        elif unsaid or _opposed(piece_terms, phrase.terms) or \
                (only_watched and phrase.terms & _problem_terms()):
            # the last: a phrase naming what is wrong ("gradient norm is huge") read in a
            # piece that only says what is watched ("I log gradient norms") shares its subject
            score = _POLARITY_FACTOR * blended
        else:
            score = max(looks if looks >= 95.0 else 0.85 * looks if looks >= _LOOKS_ALONE else 0.0,
                        blended)
        score -= _QUALIFIER_PENALTY * unsaid
        # a phrase about something the piece does not name ("显存一直涨" for "loss 一直在涨")
        score -= _EXTRA_PENALTY * len(_qualifiers(phrase.terms) - named)
        current = best.get(phrase.symptom)
        if score >= LEAD_FLOOR and (current is None or score > current.score):
            best[phrase.symptom] = SymptomMatch(phrase.symptom, round(score, 1), phrase.text,
                                                piece)
    return best


#: The least meaning with which a phrase can still reach the floor (its looks at 100).
_MIN_MEANING = (LEAD_FLOOR - 100.0 * (1 - _MEANING_WEIGHT)) / _MEANING_WEIGHT
#: The least letter similarity that scores on its own: a phrase sharing no term with a piece,
#: or too few to reach the floor by meaning, reaches it only so (its blend is at most 25 plus
#: less than the floor's meaning), so rapidfuzz looks for no less.
_MIN_LOOKS = _LOOKS_ALONE


def _meaning_of(shared: float, phrase_weight: float, piece_weight: float,
                explained: float) -> float:
    """How much of the phrase the piece says (``shared``: the summed idf of their common
    terms), blended with how much of the piece the phrase's symptom explains (``explained``:
    the idf of the piece's terms found in any phrase of the symptom)."""
    if not shared or not phrase_weight or not piece_weight:
        return 0.0
    return 100.0 * (_COVERAGE * shared / phrase_weight
                    + (1 - _COVERAGE) * explained / piece_weight)


def _looks_prepared(piece: str, piece_cjk: bool, phrase: _Phrase) -> float:
    """Letter-level similarity, for typos; a phrase inside the complaint counts fully."""
    if not phrase.norm:
        return 0.0
    if phrase.norm == piece:
        return 100.0
    if phrase.norm in piece:
        return 85.0 + 15.0 * len(phrase.norm) / len(piece)
    if piece_cjk or phrase.cjk:
        return float(fuzz.ratio(piece.replace(" ", ""), phrase.plain))
    return float(fuzz.token_sort_ratio(piece, phrase.norm))


def _alike(index: _Index, piece: str, piece_cjk: bool) -> set[int]:
    """The phrases that look like the piece letter by letter at :data:`_MIN_LOOKS` or more.

    A ratio of ``r`` needs the shorter string to be at least ``r / (200 - r)`` of the longer
    one, so only phrases of a length in that window are compared."""
    plain = piece.replace(" ", "")
    found = _shelf(index, "all" if piece_cjk else "cjk", plain, fuzz.ratio)
    if not piece_cjk:
        found |= _shelf(index, "latin", piece, fuzz.token_sort_ratio)
    return found


def _shelf(index: _Index, name: str, query: str, scorer: Callable[..., float]) -> set[int]:
    lengths, texts, keys = index.shelves[name]
    share = _MIN_LOOKS / (200.0 - _MIN_LOOKS) * 0.95  # a little slack for rounding
    low = bisect_left(lengths, math.floor(len(query) * share))
    high = bisect_right(lengths, math.ceil(len(query) / share))
    return {keys[low + j] for _, _, j in process.extract(
        query, texts[low:high], scorer=scorer, limit=None, score_cutoff=_MIN_LOOKS)}


def _settle(index: _Index, found: dict[str, SymptomMatch]) -> dict[str, SymptomMatch]:
    """Keep the piece's plausible readings: a more specific symptom close to the best one
    takes its place (it implies everything the general one does; the general one stays just
    below, a close call), and matches further below the best than the close call
    (:func:`close_call`, wider for a weak best) are dropped (they are not what this piece
    says)."""
    if not found:
        return found
    best = max(found.values(), key=lambda m: (m.score, m.symptom))
    if best.score < MATCH_THRESHOLD:  # weakly worded: taken only when nothing else is close
        rest = max((m.score for m in found.values() if m is not best), default=0.0)
        clear = best.score - rest >= LEAD_MARGIN and _states_a_problem(best.text)
        return {best.symptom: best} if clear else {}
    # weak readings beside a clear one stay as rivals: a close call may put them to the person
    rivals = {k: v for k, v in found.items() if v.score < MATCH_THRESHOLD}
    found = {k: v for k, v in found.items() if v.score >= MATCH_THRESHOLD}
    # … when its phrase says more of the piece than the general one's: a bare "inf" says
    # nothing of "before any update", so it stays the general reading
    said = _explained_share(index, best.text, best.phrase)
    finer = [m for m in found.values() if best.symptom in index.refines.get(m.symptom, ())
             and m.score >= best.score - _SPECIFIC_MARGIN
             and _explained_share(index, best.text, m.phrase) > said]
    if finer:
        chosen = max(finer, key=lambda m: (m.score, m.symptom))
        found = {k: v for k, v in found.items() if k != best.symptom}
        found[chosen.symptom] = SymptomMatch(chosen.symptom, best.score, chosen.phrase,
                                             chosen.text)
        # the general reading stays just below it: a close call, the person may say which
        found[best.symptom] = replace(best, score=round(best.score - 0.1, 1))
        best = found[chosen.symptom]
    margin = _margin(best.score)
    kin = index.family.get(best.symptom, frozenset())
    found = {k: v for k, v in found.items() if v.score > best.score - (
        max(margin, _FAMILY_CALL) if k in kin else margin)}
    near = {k: v for k, v in found.items() if v.score > best.score - CLOSE_CALL}
    if len(near) > 1:
        found = {**found, **_break_tie(index, near, best)}
    found.update({k: v for k, v in rivals.items() if k not in found and v.score > best.score - (
        max(margin, _FAMILY_CALL) if k in kin else margin)})
    return found


def _explained_share(index: _Index, piece: str, phrase: str) -> float:
    """The share of a piece's weight (idf) that a phrase says too, in words (concepts and
    English words; single Chinese characters say too little on their own)."""
    found = frozenset(t for t in terms(piece) if not _has_cjk(t))
    total = sum(index.idf.get(t, index.default_idf) for t in found)
    said = sum(index.idf.get(t, index.default_idf) for t in found & terms(phrase))
    return said / total if total else 0.0


def _break_tie(index: _Index, found: dict[str, SymptomMatch], best: SymptomMatch
               ) -> dict[str, SymptomMatch]:
    """Among readings within :data:`CLOSE_CALL`, put first the one whose phrase says clearly
    more of the piece (it leaves less of what the person said unexplained)."""
    share = {k: _explained_share(index, best.text, m.phrase) for k, m in found.items()}
    chosen = max(found.values(), key=lambda m: (share[m.symptom], m.score, m.symptom))
    if chosen.symptom == best.symptom or share[chosen.symptom] < share[best.symptom] + _TIE_SHARE:
        return found
    return {**found, chosen.symptom: replace(chosen, score=best.score),
            best.symptom: replace(best, score=round(best.score - 0.1, 1))}


#: Words that say something is wrong or asked for (as :func:`terms` makes them): a change
#: or state of a value, an error, a request for help. A weakly matched piece must say one.
_PROBLEM_WORDS = (
    "nan stuck explodes oscillates decreases increases slow fast sudden spike bad worse huge "
    "negative unbounded error mismatch outofbounds oom twice inplace dead forget few differ "
    "imbalanced chance overfit tune choose improve same wrong fail problem issue broken "
    "weird strange")


#: Terms of watching a value (log, track, monitor, record, plot, print, watch)
_WATCHING = frozenset({"log", "plot", "print", "watch"})


@lru_cache(maxsize=1)
def _problem_terms() -> frozenset[str]:
    return frozenset().union(*(terms(word) for word in _PROBLEM_WORDS.split()))


def _states_a_problem(piece: str) -> bool:
    """Whether a (normalised) piece says something is wrong: a problem word or a negation."""
    found = terms(piece)
    return bool(found & _problem_terms()) or "not" in found or any(t[0] == "!" for t in found)


def _explained_away(readings: list[dict[str, SymptomMatch]]) -> list[dict[str, SymptomMatch]]:
    """Drop a piece whose close call holds the symptom another piece names more clearly: it
    may say that symptom again in other words ("the loss is nan, it turns into inf after a
    while"), and its own best reading is then no second symptom the person named."""
    tops = [max(r.values(), key=lambda m: (m.score, m.symptom)).symptom if r else None
            for r in readings]
    return [r for i, r in enumerate(readings)
            if not any(j != i and top is not None and top != tops[i] and top in r
                       and _top(readings[j]) >= _top(r) for j, top in enumerate(tops))]


def _refined_across(index: _Index, readings: list[dict[str, SymptomMatch]]
                    ) -> list[dict[str, SymptomMatch]]:
    """Drop a piece whose best symptom another piece names more specifically ("loss is
    0.0000", "but the test set looks untrained": the second piece's symptom implies the
    first's)."""
    tops = [max(r.values(), key=lambda m: (m.score, m.symptom)).symptom if r else None
            for r in readings]
    return [r for i, r in enumerate(readings)
            if not any(j != i and top is not None and tops[i] in index.refines.get(top, ())
                       for j, top in enumerate(tops))]


def _composed(index: _Index, readings: list[dict[str, SymptomMatch]], whole: str
              ) -> list[dict[str, SymptomMatch]]:
    """Pieces that together say what one symptom says are that symptom: "train loss is
    0.0000" and "the test predictions are garbage" are the zero-loss-bad-test symptom, whose
    facts are exactly theirs (the session concludes the same facts either way)."""
    tops = [max(r.values(), key=lambda m: (m.score, m.symptom)) if r else None
            for r in readings]
    named = [t for t in tops if t is not None]
    if len(named) < 2:
        return readings
    for symptom, facts in sorted(index.implied.items()):
        parts = [t for t in named if index.implied[t.symptom] < facts]
        if len(parts) < 2 or frozenset().union(*(index.implied[t.symptom] for t in parts)) != facts:
            continue
        kept = [r for r, t in zip(readings, tops, strict=True) if t not in parts]
        score = min(t.score for t in parts)
        phrase = " + ".join(t.phrase for t in parts)
        return [*kept, {symptom: SymptomMatch(symptom, score, phrase, whole)}]
    return readings


#: A complaint read better whole than by its pieces is still read by its clauses when each
#: clause, read on its own (whole or by its pieces), reads this much better than the whole
_CLAUSES_BETTER = 3.0


def _top(found: dict[str, SymptomMatch]) -> float:
    return max((m.score for m in found.values()), default=0.0)


def _with_message_alone(index: _Index, raw: str, piece: str,
                        found: dict[str, SymptomMatch]) -> dict[str, SymptomMatch]:
    """A piece's matches, each symptom at its better score of the whole piece and of the
    pasted message in it read alone: the person's words before a message ("after four
    batches it stops with IndexError: Target 5 is out of bounds") would only dilute it."""
    error = _EXCEPTION.search(raw)
    if error is None or not raw[:error.start()].strip():
        return found
    alone = _match_piece(index, _said(raw[error.start():]))
    return {**found, **{symptom: replace(match, text=piece)  # quoted as the person wrote it
                        for symptom, match in alone.items()
                        if symptom not in found or match.score > found[symptom].score}}


def match_symptoms(kb: KnowledgeBase, text: str, limit: int = 5) -> list[SymptomMatch]:
    """Return the best symptom matches for ``text``, best first, each symptom once.

    Each match keeps the piece of the complaint it came from; :func:`symptoms_named` picks
    the best one per piece. A complaint split into pieces is also read whole; the whole
    reading is kept when its best match beats the pieces' best matches on average."""
    index = _index(kb)
    text, _ = split_questions(text)
    if not text:
        return []
    clauses = _clauses(text)
    matched = {normalised: _with_message_alone(index, raw, normalised,
                                               _match_piece(index, normalised))
               for _, pieces in clauses for raw, normalised in pieces}
    # "the training loss keeps going down, but …": what goes as it should is context — a
    # clause of it is left out, a piece of it reads nothing — which the whole complaint is
    # still read with ("loss 一直在下降，可是评估指标没有任何提升": the metric flat while the
    # loss falls)
    told = [(raw, pieces) for raw, pieces in clauses
            if not all(_tells_progress(index, matched[normalised]) for _, normalised in pieces)]
    if not told:
        return []
    context, clauses = len(told) < len(clauses), told
    parts = [part for _, pieces in clauses for part in pieces]
    said = {normalised: raw for raw, normalised in parts}  # quote the person, not the lexicon
    for raw, _ in clauses:
        said.setdefault(_said(raw), raw)
    said.setdefault(_said(text), text.strip())
    in_vain = {id(piece) for clause, pieces in clauses if _NO_HELP.search(clause)
               for piece in pieces}  # every piece of a clause that tells of a remedy in vain
    claimed = [piece for i, piece in enumerate(parts)
               if not (_DENIAL.match(piece[0]) or i and _DENIAL_AFTER.match(piece[0])
                       or id(piece) in in_vain)]
    if not claimed and in_vain:
        return []
    if claimed and len(claimed) < len(parts):  # "not X, (but) Y": what X says is not taken
        parts = claimed
    pieces = [normalised for _, normalised in parts] or [_said(text)]
    read = {piece: _read_piece(index, piece, matched) for piece in pieces}
    readings = [read[piece] for piece in pieces]
    if claimed is parts:  # the whole holds what was denied: only the pieces are read
        readings = _composed(index, _refined_across(index, readings), _said(text))
    elif len(pieces) > 1 or context:
        readings, scores = [], []
        for raw, clause in clauses:  # each clause whole or by its pieces
            own = [read[normalised] for _, normalised in clause]
            mean = sum(map(_top, own)) / len(own)
            whole = _said_shares(kb, _read_piece(index, _said(raw)), raw) \
                if len(own) > 1 and len(clauses) > 1 else {}
            if _top(whole) > mean:
                own, mean = [whole], _top(whole)
            readings.extend(own)
            scores.append(mean)
        whole = _said_shares(kb, _read_piece(index, _said(text)), text)
        heard = [_top(read[piece]) for piece in pieces if _top(read[piece]) >= MATCH_THRESHOLD]
        # pieces that each name a symptom are not out-read by a whole that names one other
        # (two are enough: "the loss is nan at the first step, and the gradients explode")
        flat = sum(heard) / len(heard) if len(heard) >= 2 else \
            sum(_top(read[piece]) for piece in pieces) / len(pieces)
        # the whole is read instead of its pieces only when it reads clearly: a weak lead
        # of a sentence of several clauses is terms gathered across them
        if _top(whole) > flat and _top(whole) >= MATCH_THRESHOLD and not (
                len(scores) > 1 and min(scores) > _top(whole) + _CLAUSES_BETTER):
            readings = [whole]
        readings = _refined_across(index, readings)
        readings = _explained_away(readings)
        readings = _composed(index, readings, _said(text))
    best: dict[str, SymptomMatch] = {}
    rank: dict[str, tuple[bool, float]] = {}
    for reading in readings:
        top = _top(reading)
        for symptom_id, match in reading.items():
            # a piece's own best reading is kept before another piece's runner-up
            key = (match.score == top, match.score)
            if symptom_id not in rank or key > rank[symptom_id]:
                best[symptom_id], rank[symptom_id] = match, key
    # a rival (a runner-up too weak to be taken) is never what a piece names: it is kept only
    # beside a reading of its piece that can be taken
    takeable = {m.text for sid, m in best.items() if rank[sid][0] or m.score >= MATCH_THRESHOLD}
    # a piece that says no percentage of its own is held to the complaint's ("验证准确率一直上不去，
    # 卡在百分之八十多": the 80 % is the accuracy's, said a clause later)
    ranked = sorted((m for m in best.values() if m.text in takeable and
                     not _shares_outside(kb.symptoms[m.symptom],
                                         _with_shares(said.get(m.text, m.text), text))),
                    key=lambda m: (-m.score, m.symptom))
    return [replace(m, text=said.get(m.text, m.text)) for m in ranked[:limit]]


_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*%")
#: A percentage said in Chinese: 百分之八十, 百分之九十五, 百分之99.5
_CN_SHARE = re.compile(r"百分之([零〇一二两三四五六七八九十百点\d.]+)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _chinese_number(text: str) -> float | None:
    """八十 → 80, 九十五 → 95, 十五 → 15, 一百 → 100, 九十九点五 → 99.5, 99.5 → 99.5; None
    for what is no number up to a thousand."""
    whole, _, part = text.partition("点")
    try:
        if whole and whole.replace(".", "", 1).isdigit():
            return float(whole) if not part else None
        value = 0
        if "百" in whole:
            head, whole = whole.split("百", 1)
            value += 100 * (_CN_DIGITS[head] if head else 1)
        if "十" in whole:
            head, whole = whole.split("十", 1)
            value += 10 * (_CN_DIGITS[head] if head else 1)
        if whole:
            value += _CN_DIGITS[whole.lstrip("零〇")] if whole.lstrip("零〇") else 0
        decimals = "".join(str(_CN_DIGITS[c]) for c in part)
        return float(f"{value}.{decimals}") if decimals else float(value)
    except KeyError:
        return None


#: An accuracy (or AUC, recall, F1) said as a fraction: "accuracy 0.66", "val acc stalls at .66",
#: "准确率 0.66", "AUC 0.5".
_ACC_FRACTION = re.compile(r"(?:\bacc\w*|\bauc\b|\brecall\b|\bf1\b|准确率|正确率|召回率)"
                           r"[^\d%]{0,24}?"
                           r"(?<![\d.])(0?\.\d+)(?![\d%])")


def _percentages(piece: str) -> list[float]:
    """The percentages said in ``piece`` as shares: "80%", "百分之八十" → 0.8, and an
    accuracy said as a fraction ("accuracy 0.66" → 0.66)."""
    shares = [float(v) / 100 for v in _SHARE.findall(piece)]
    shares += [float(v) for v in _ACC_FRACTION.findall(piece)]
    shares += [v / 100 for m in _CN_SHARE.findall(piece)
               if (v := _chinese_number(m.rstrip("."))) is not None]
    return shares


def _said_shares(kb: KnowledgeBase, reading: dict[str, SymptomMatch], text: str
                 ) -> dict[str, SymptomMatch]:
    """``reading`` without the symptoms whose bounds every percentage said in ``text`` lies
    outside (:func:`_shares_outside`): a whole complaint read as "accuracy at chance" that
    says 0.79 is read by its pieces instead, not read as nothing once the share rules that
    reading out."""
    return {sid: m for sid, m in reading.items()
            if not _shares_outside(kb.symptoms[sid], text)}


def _with_shares(piece: str, text: str) -> str:
    """``piece`` when it says a percentage, else the whole complaint ``text``."""
    return piece if _percentages(piece) else text


def _shares_outside(symptom: SymptomSpec, piece: str) -> bool:
    """Whether every percentage said in ``piece`` lies above the symptom's ``max_share`` or
    every one below its ``min_share`` (False when it has no such bound or ``piece`` says no
    percentage)."""
    shares = _percentages(piece)
    return bool(shares) and (
        (symptom.max_share is not None and min(shares) > symptom.max_share) or
        (symptom.min_share is not None and max(shares) < symptom.min_share))


def _margin(best: float) -> float:
    """How close to the best reading another must score to be put to the person: the
    :data:`CLOSE_CALL`, wider as the best reading gets weaker (a weak reading is less sure
    of its rank: at 70 a reading 20 points below is still asked about)."""
    return CLOSE_CALL + _CALL_SLOPE * max(0.0, 100.0 - best)


def close_call(found: list[SymptomMatch], kb: KnowledgeBase | None = None
               ) -> list[SymptomMatch]:
    """The readings of one piece (best first) to put to the person: those within the close
    call of the best, which is wider when the best reading is weak, and (given the ``kb``)
    the best's look-alikes within :data:`_FAMILY_CALL`."""
    if not found:
        return []
    best, margin = found[0], _margin(found[0].score)
    kin = _index(kb).family.get(best.symptom, frozenset()) if kb is not None else frozenset()
    return [m for m in found if best.score - m.score < (
        max(margin, _FAMILY_CALL) if m.symptom in kin else margin)]


def symptoms_named(matches: list[SymptomMatch]) -> list[SymptomMatch]:
    """The symptoms a complaint names: the best match of each of its pieces."""
    taken: dict[str, SymptomMatch] = {}
    for match in matches:  # best first, so the first match of a piece is its best
        taken.setdefault(match.text, match)
    return list(taken.values())


def nearest_symptoms(kb: KnowledgeBase, text: str, limit: int = 8) -> list[str]:
    """The symptoms whose words come nearest to ``text``, best first, however weakly: what
    to offer when a complaint matched none (the idf-weighted share of the complaint's terms
    a symptom's phrases hold, ties broken by letter likeness). Symptoms sharing no term with
    it come last, in the rules' order."""
    index = _index(kb)
    norm = _normalise(text)
    said = terms(norm)
    weight = sum(index.idf.get(t, index.default_idf) for t in said) or 1.0
    looks: dict[str, float] = {}
    for phrase in index.phrases:  # each phrase once: its symptom keeps the best likeness
        score = fuzz.token_set_ratio(norm, phrase.norm)
        looks[phrase.symptom] = max(score, looks.get(phrase.symptom, 0.0))
    scored = []
    for order, symptom_id in enumerate(index.vocab):
        if symptom_id == _PROGRESS:
            continue  # no symptom: nothing to offer
        shared = sum(index.idf.get(t, index.default_idf) for t in said & index.vocab[symptom_id])
        scored.append((-shared / weight, -looks.get(symptom_id, 0.0), order, symptom_id))
    return [symptom_id for *_, symptom_id in sorted(scored)[:limit]]
