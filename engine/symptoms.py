"""Match a free-text complaint (English or Chinese) to the knowledge base's symptoms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from .knowledge import KnowledgeBase

__all__ = ["SymptomMatch", "match_symptoms", "split_complaint", "MATCH_THRESHOLD", "CLOSE_CALL"]

MATCH_THRESHOLD = 72.0  # below this a phrase is not taken as the symptom
CLOSE_CALL = 6.0  # two symptoms this close in score: ask the person which one


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


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _score(piece: str, phrase: str) -> float:
    phrase = _normalise(phrase)
    if not phrase:
        return 0.0
    if phrase == piece:
        return 100.0
    if phrase in piece:  # contained: the more of the complaint it explains, the better
        return 85.0 + 15.0 * len(phrase) / len(piece)
    if _has_cjk(piece) or _has_cjk(phrase):
        # characters carry the meaning: compare without spaces, allow a partial fit
        a, b = piece.replace(" ", ""), phrase.replace(" ", "")
        return max(fuzz.ratio(a, b), fuzz.partial_ratio(b, a) * (0.95 if len(b) > 3 else 0.8))
    piece_words, phrase_words = piece.split(), phrase.split()
    # token_set_ratio is 100 whenever one side's words are a subset of the other's; a short
    # complaint must not match every longer phrase that says more than it does
    coverage = min(1.0, len(piece_words) / max(1, len(phrase_words)))
    return max(
        fuzz.token_set_ratio(piece, phrase) * coverage,
        fuzz.partial_ratio(phrase, piece) * 0.9 if 8 <= len(phrase) <= len(piece) else 0.0,
        fuzz.token_sort_ratio(piece, phrase),
    )


def match_symptoms(kb: KnowledgeBase, text: str, limit: int = 5) -> list[SymptomMatch]:
    """Return the best symptom matches for ``text``, best first, each symptom once."""
    best: dict[str, SymptomMatch] = {}
    for piece in split_complaint(text) or [_normalise(text)]:
        for symptom in kb.symptoms.values():
            phrases = [symptom.text.en, symptom.text.zh or ""]
            for group in symptom.synonyms.values():
                phrases.extend(group)
            for phrase in phrases:
                score = _score(piece, phrase)
                current = best.get(symptom.id)
                if score >= MATCH_THRESHOLD and (current is None or score > current.score):
                    best[symptom.id] = SymptomMatch(symptom.id, score, phrase, piece)
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.symptom))
    return ranked[:limit]
