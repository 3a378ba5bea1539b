"""Match a free-text complaint (English or Chinese) to the knowledge base's symptoms.

Two signals are blended:

- *what the words say*: the terms a symptom's phrases share with the complaint, each weighted
  by how rare it is across symptoms (inverse document frequency), so "负数" or "negative"
  count for more than "loss". English words are lightly stemmed, Chinese is cut into single
  characters and character pairs, and a number counts only as itself ("1.6 to 1.3" says
  nothing about a symptom unless a phrase names the same number);
- *how the letters look* (rapidfuzz), which forgives typos such as "los is nann".

A complaint is split into the separate things it says ("…, and …", "而且") and each piece is
matched on its own.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .knowledge import KnowledgeBase

__all__ = [
    "SymptomMatch", "match_symptoms", "symptoms_named", "split_complaint", "terms",
    "MATCH_THRESHOLD", "CLOSE_CALL",
]

MATCH_THRESHOLD = 62.0  # below this a phrase is not taken as the symptom
CLOSE_CALL = 6.0  # two symptoms this close in score: ask the person which one
_MEANING_WEIGHT = 0.7  # share of the term-overlap signal in the blended score


@dataclass(frozen=True)
class SymptomMatch:
    """A symptom a piece of the complaint matched, how well, and by which phrase."""

    symptom: str
    score: float  # 0..100
    phrase: str
    text: str  # the piece of the complaint


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .!?。！？")


_SPLIT = re.compile(r"[;；。!?！？\n]|,(?=\s)|，|\band\b|\bbut\b|而且|并且|但是|同时")


def split_complaint(text: str) -> list[str]:
    """Split a complaint into the separate things it says."""
    parts = [_normalise(p) for p in _SPLIT.split(text)]
    return [p for p in parts if p]


_STOP = frozenset(
    "a an the is are was were be been being my our your i we it its this that these those "
    "of to in on at by for with from as and or but so very really just quite about after "
    "before then than while when during even still some any all me us can could would "
    "should do does did have has had get gets got".split()
)
_CJK_STOP = frozenset("的了是我在也很就都和与及把被有这那个")
_WORD = re.compile(r"[a-z][a-z']*|[\u4e00-\u9fff]+|\d+(?:\.\d+)?%?")
_NEGATIONS = {"not", "no", "never", "n't", "doesn't", "don't", "didn't", "won't", "cannot",
              "can't", "isn't", "aren't", "without"}


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


def terms(text: str) -> frozenset[str]:
    """The meaningful terms of a text: stemmed English words, Chinese characters and pairs."""
    out: set[str] = set()
    for token in _WORD.findall(_normalise(text)):
        if token[0].isdigit():
            # numbers count only when the same number is named ("0.0000" = "0", "10%")
            out.add(token if token.endswith("%") else f"#{float(token):g}")
        elif "\u4e00" <= token[0] <= "\u9fff":
            chars = [c for c in token if c not in _CJK_STOP]
            out.update(chars)
            out.update(a + b for a, b in zip(token, token[1:], strict=False))
        elif token in _NEGATIONS or token.endswith("n't"):
            out.add("not")
        elif token not in _STOP:
            out.add(_stem(token))
    return frozenset(out)


@dataclass
class _Index:
    """Each symptom's phrases with their terms, and the weight (idf) of every term."""

    phrases: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)


def _index(kb: KnowledgeBase) -> _Index:
    cached = kb.cache.get("symptom_index")
    if isinstance(cached, _Index):
        return cached
    index = _Index()
    df: dict[str, int] = {}
    for symptom in kb.symptoms.values():
        texts = [symptom.text.en, symptom.text.zh or ""]
        for group in symptom.synonyms.values():
            texts.extend(group)
        seen: set[str] = set()
        for text in texts:
            if text:
                found = terms(text)
                index.phrases.append((symptom.id, text, found))
                seen |= found
        for term in seen:
            df[term] = df.get(term, 0) + 1
    n = max(1, len(kb.symptoms))
    index.idf = {t: math.log(1 + n / d) for t, d in df.items()}
    kb.cache["symptom_index"] = index
    return index


def _meaning(piece: frozenset[str], phrase: frozenset[str], idf: dict[str, float]) -> float:
    """How much of the phrase the piece says (mostly), and how much of the piece it explains."""
    if not phrase or not piece:
        return 0.0
    default = max(idf.values(), default=1.0)  # a term no symptom uses is rare by definition
    shared = sum(idf.get(t, default) for t in piece & phrase)
    if shared == 0:
        return 0.0
    coverage = shared / sum(idf.get(t, default) for t in phrase)
    precision = shared / sum(idf.get(t, default) for t in piece)
    return 100.0 * (0.75 * coverage + 0.25 * precision)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _looks(piece: str, phrase: str) -> float:
    """Letter-level similarity, for typos; a phrase inside the complaint counts fully."""
    phrase = _normalise(phrase)
    if not phrase:
        return 0.0
    if phrase == piece:
        return 100.0
    if phrase in piece:
        return 85.0 + 15.0 * len(phrase) / len(piece)
    if _has_cjk(piece) or _has_cjk(phrase):
        return float(fuzz.ratio(piece.replace(" ", ""), phrase.replace(" ", "")))
    return float(fuzz.token_sort_ratio(piece, phrase))


def match_symptoms(kb: KnowledgeBase, text: str, limit: int = 5) -> list[SymptomMatch]:
    """Return the best symptom matches for ``text``, best first, each symptom once.

    Each match keeps the piece of the complaint it came from; :func:`symptoms_named` picks
    the best one per piece."""
    index = _index(kb)
    best: dict[str, SymptomMatch] = {}
    for piece in split_complaint(text) or [_normalise(text)]:
        piece_terms = terms(piece)
        for symptom_id, phrase, phrase_terms in index.phrases:
            meaning = _meaning(piece_terms, phrase_terms, index.idf)
            looks = _looks(piece, phrase)
            score = max(looks if looks >= 95.0 else 0.85 * looks if looks >= 88.0 else 0.0,
                        _MEANING_WEIGHT * meaning + (1 - _MEANING_WEIGHT) * looks)
            current = best.get(symptom_id)
            if score >= MATCH_THRESHOLD and (current is None or score > current.score):
                best[symptom_id] = SymptomMatch(symptom_id, round(score, 1), phrase, piece)
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.symptom))
    return ranked[:limit]


def symptoms_named(matches: list[SymptomMatch]) -> list[SymptomMatch]:
    """The symptoms a complaint names: the best match of each of its pieces."""
    taken: dict[str, SymptomMatch] = {}
    for match in matches:  # best first, so the first match of a piece is its best
        taken.setdefault(match.text, match)
    return list(taken.values())
