"""Why complaint lines miss their symptoms, counted by mechanism (never line by line).

For a part of the complaint corpora (``tune``, ``held-out``, ``fresh``, ``fresh2``) prints
how many labelled symptoms were missed and wrong symptoms taken, split by mechanism:

- ``nothing``: no symptom reached the threshold in the whole complaint;
- ``near-tie``: the label matched the same piece within CLOSE_CALL of the winner (the
  session asks which one is meant when it may ask);
- ``lost-related`` / ``lost-unrelated``: the label matched the piece but further below a
  winner that shares implied facts with it (or does not);
- ``below-threshold``: the label scores under the threshold (and lead floor) but above 40;
- ``unreached``: the label does not score even 40;

and, across these, by language (zh / en), pasted error, negation and number of pieces.
Held-out and fresh lines are never printed: only these counts, to choose a mechanism.

Run: ``python bench/complaint_mechanisms.py held-out fresh fresh2``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import test_complaints as corpus  # noqa: E402

from dldoctor.engine import symptoms  # noqa: E402

_NEGATION = re.compile(r"\b(?:not|no|never|n't|without)\b|n't|不|没|无")
_ERROR = re.compile(r"[A-Za-z]+(?:Error|Exception|Warning)\b|Assertion|error:")


@contextmanager
def _threshold(value: float):
    """Match with a lower threshold (to see how far below it a label scores)."""
    saved = (symptoms.MATCH_THRESHOLD, symptoms.LEAD_FLOOR, symptoms._MIN_MEANING,
             symptoms._MIN_LOOKS)
    symptoms.MATCH_THRESHOLD = symptoms.LEAD_FLOOR = value
    symptoms._MIN_MEANING = (value - 100.0 * (1 - symptoms._MEANING_WEIGHT)) / \
        symptoms._MEANING_WEIGHT
    symptoms._MIN_LOOKS = value / 0.85
    try:
        yield
    finally:
        (symptoms.MATCH_THRESHOLD, symptoms.LEAD_FLOOR, symptoms._MIN_MEANING,
         symptoms._MIN_LOOKS) = saved


def _traits(text: str, pieces: int) -> list[str]:
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    out = ["zh" if cjk else "en"]
    if _ERROR.search(text):
        out.append("pasted-error")
    if _NEGATION.search(text.lower()):
        out.append("negation")
    out.append("one-piece" if pieces <= 1 else "several-pieces")
    return out


def classify(name: str) -> tuple[Counter[str], Counter[str], Counter[str], int, int]:
    kb = corpus.kb()
    implied = {s.id: set(s.implies.items()) for s in kb.symptoms.values()}
    kinds: Counter[str] = Counter()
    traits: Counter[str] = Counter()
    wrongs: Counter[str] = Counter()
    labels = recognised = 0
    for complaint in corpus.part(name):
        matches = symptoms.match_symptoms(kb, complaint.text, limit=20)
        taken = symptoms.symptoms_named(matches)
        names = {m.symptom for m in taken}
        pieces = len(symptoms.split_complaint(complaint.text))
        with _threshold(40.0):
            low = {m.symptom: m.score for m in symptoms.match_symptoms(kb, complaint.text, 60)}
        for label in complaint.symptoms:
            labels += 1
            if label in names:
                recognised += 1
                continue
            own = [m for m in matches if m.symptom == label]
            if not taken:
                kind = "nothing" if label not in low else "nothing/below-threshold"
            elif own:
                winner = next(t for t in taken if t.text == own[0].text) if any(
                    t.text == own[0].text for t in taken) else taken[0]
                related = bool(implied[label] & implied[winner.symptom])
                if winner.score - own[0].score < symptoms.CLOSE_CALL:
                    kind = "near-tie/" + ("related" if related else "unrelated")
                else:
                    kind = "lost-" + ("related" if related else "unrelated")
            elif label in low:
                kind = "below-threshold"
            else:
                kind = "unreached"
            kinds[kind] += 1
            for t in _traits(complaint.text, pieces):
                traits[t] += 1
        allowed = set(complaint.symptoms) | set(complaint.also)
        for m in taken:
            if m.symptom in allowed:
                continue
            close = [o for o in matches if o.text == m.text and o.symptom in allowed
                     and m.score - o.score < symptoms.CLOSE_CALL]
            if close:
                continue
            related = any(implied[m.symptom] & implied[a] for a in complaint.symptoms)
            where = [o for o in matches if o.text == m.text and o.symptom in allowed]
            gap = "label-matched-below" if where else "label-unmatched"
            wrongs[f"{'related' if related else 'unrelated'}/{gap}"] += 1
            # beside the labels (they were all recognised in other pieces) or instead of one
            beside = set(complaint.symptoms) <= names
            wrongs["beside-labels" if beside else "instead-of-a-label"] += 1
            band = "<58" if m.score < 58 else "58-70" if m.score < 70 else ">=70"
            wrongs["score" + band] += 1
            for t in _traits(complaint.text, pieces):
                wrongs["trait:" + t] += 1
    return kinds, traits, wrongs, labels, recognised


_KINDS = ("related/", "unrelated/")


def main() -> None:
    for name in sys.argv[1:] or ["held-out", "fresh", "fresh2"]:
        kinds, traits, wrongs, labels, recognised = classify(name)
        print(f"{name}: recall {recognised}/{labels}, misses {labels - recognised}, "
              f"wrong {sum(v for k, v in wrongs.items() if k.startswith(_KINDS))}")
        print("  misses by mechanism:", dict(kinds.most_common()))
        print("  misses by trait:    ", dict(traits.most_common()))
        print("  wrong by kind:      ", dict(wrongs.most_common()))


if __name__ == "__main__":
    main()
