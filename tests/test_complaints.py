"""How well free-text complaints reach their symptoms, on a labelled corpus.

tests/data/complaints.yaml holds complaint lines (English and Chinese, pasted error messages
and tracebacks), each with the symptoms it names. Entry n (from 0) is held out when n % 4 is 1
or 2 and belongs to the tuning half otherwise, which puts English and Chinese lines of every
symptom into both halves; synonyms are tuned on the tuning half, the figures below are
asserted on the held-out half.

- recall: a labelled symptom counts as recognised when the session would take it, i.e. it is
  the best match of one piece of the complaint (:func:`symptoms_named`);
- a wrong symptom: one the session would take that the line does not name, with no labelled
  symptom among the piece's close call (:func:`close_call`: the readings within
  :data:`CLOSE_CALL` of the best, a margin that widens as the best reading weakens, rivals
  too weak to be taken on their own included; the session asks which one is meant).

The held-out figures are asserted as a floor (no regression); the recall half of issue 10's
target (90 %) is asserted, the whole target (no wrong symptom as well), which is not reached
yet, strictly expected to fail. Pasted error messages are also chained through the engine to
the cause they point to.

tests/data/complaints_fresh.yaml is a second held-out set, written before the matcher's
concept lexicon (engine/lexicon.py), and complaints_fresh2.yaml a third (128 lines covering
every symptom), written before the weak-but-clear readings, the error signatures and the
domain concepts, and complaints_fresh3.yaml a fourth (132 lines covering every symptom),
written before the calibrated close call, and complaints_fresh4.yaml a fifth (128 lines
covering every symptom), written before weak rivals, numbers given to two sets, denied
pieces and pieces that restate another's symptom; none was tuned on: their recall and
wrong symptoms are asserted as floors too.

Run ``python tests/test_complaints.py tune`` for the per-line misses of the tuning half;
``held-out``, ``fresh``, ``fresh2``, ``fresh3`` and ``fresh4`` print their figures only
(their lines are not for picking words), with the share of labels recognised or put to the
person in a close call.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from dldoctor.engine import load_kb
from dldoctor.engine.inference import Engine
from dldoctor.engine.knowledge import KnowledgeBase
from dldoctor.engine.symptoms import (
    CLOSE_CALL,
    MATCH_THRESHOLD,
    SymptomMatch,
    _index,
    close_call,
    match_symptoms,
    split_complaint,
    symptoms_named,
    terms,
)
from dldoctor.engine.testing import facts_for
from dldoctor.kb import BUILTIN_KB
from dldoctor.session import NeedsChoice, Session, Taken

CORPUS = Path(__file__).parent / "data" / "complaints.yaml"
FRESH = Path(__file__).parent / "data" / "complaints_fresh.yaml"
FRESH2 = Path(__file__).parent / "data" / "complaints_fresh2.yaml"
FRESH3 = Path(__file__).parent / "data" / "complaints_fresh3.yaml"
FRESH4 = Path(__file__).parent / "data" / "complaints_fresh4.yaml"
#: Issue 10's target for the held-out half.
TARGET_RECALL = 0.90
#: What the held-out half (289 of 578 lines) measures now: 91.8 % (269/293) with 7 wrong.
#: With the matcher and synonyms from before this corpus it measured recall 56.3 % with 34
#: wrong, 78.2 % with 14 wrong before the concept lexicon, 88.7 % with 10 wrong before the
#: weak-but-clear readings, the error signatures, the domain concepts (which took one wrong
#: more) and the tie-break between close readings, 91.8 % with 11 wrong before the close
#: call that widens for a weak reading and for look-alike symptoms (10 with the first
#: alone), 91.8 % with 9 wrong before a weak reading beside a clear one became a rival in
#: the close call, 8 before a piece that may restate another's symptom named no second one.
#: 92.2 % with 6 wrong since stop 74 read an accuracy that stopped improving as a plateau,
#: not as accuracy at chance.
#: A floor, so that a change to matching or synonyms cannot lose ground unseen.
FLOOR_RECALL, MAX_WRONG = 0.91, 6
#: The fresh set (110 lines) measures 89.1 % with 5 wrong: 70.0 % with 5 wrong before the
#: concept lexicon, 85.5 % with 4 wrong before the weak-but-clear readings (two of which
#: are wrong there), 89.1 % with 6 before the widening close call.
FRESH_FLOOR_RECALL, FRESH_MAX_WRONG = 0.89, 5
#: The second fresh set (128 lines, tests/data/complaints_fresh2.yaml, written before the
#: matcher changes of its session and never tuned on) measures 85.2 % with 3 wrong; 85.9 %
#: with 7 wrong before those changes, 85.2 % with 5 before the widening close call.
#: 85.9 % since stop 37's negation readings.
FRESH2_FLOOR_RECALL, FRESH2_MAX_WRONG = 0.855, 3
#: The third fresh set (132 lines, tests/data/complaints_fresh3.yaml, written before the
#: matcher changes of its session and never tuned on) measures 79.9 % (107/134) with 6
#: wrong, as it did before those changes (5 wrong since stop 37's negation readings).
FRESH3_FLOOR_RECALL, FRESH3_MAX_WRONG = 0.79, 5
#: The fourth fresh set (128 lines, tests/data/complaints_fresh4.yaml, written and committed
#: before the matcher changes of its session and never tuned on) measures 87.1 % (115/132)
#: with 4 wrong; 86.4 % (114/132) with 6 wrong before those changes.
FRESH4_FLOOR_RECALL, FRESH4_MAX_WRONG = 0.87, 4


@dataclass(frozen=True)
class Complaint:
    index: int
    text: str
    symptoms: tuple[str, ...]
    also: tuple[str, ...] = ()

    @property
    def part(self) -> str:
        # entries come in English/Chinese pairs: pairs alternate between the halves
        return "held-out" if self.index % 4 in (1, 2) else "tune"


@dataclass
class Score:
    """Recall and wrong symptoms over a set of complaints."""

    labels: int = 0
    recognised: int = 0
    #: labels recognised, or put to the person as one of a close call (when it may ask)
    asked: int = 0
    misses: list[tuple[Complaint, str, list[str]]] = field(default_factory=list)
    wrong: list[tuple[Complaint, str, list[str]]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.recognised / self.labels if self.labels else 1.0


@cache
def kb() -> KnowledgeBase:
    return load_kb([BUILTIN_KB])


def _load(path: Path) -> tuple[Complaint, ...]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return tuple(Complaint(i, e["text"], tuple(e["symptoms"]), tuple(e.get("also", ())))
                 for i, e in enumerate(data["complaints"]))


@cache
def corpus() -> tuple[Complaint, ...]:
    return _load(CORPUS)


@cache
def fresh() -> tuple[Complaint, ...]:
    return _load(FRESH)


@cache
def fresh2() -> tuple[Complaint, ...]:
    return _load(FRESH2)


@cache
def fresh3() -> tuple[Complaint, ...]:
    return _load(FRESH3)


@cache
def fresh4() -> tuple[Complaint, ...]:
    return _load(FRESH4)


def part(name: str) -> list[Complaint]:
    if name == "fresh":
        return list(fresh())
    if name == "fresh2":
        return list(fresh2())
    if name == "fresh3":
        return list(fresh3())
    if name == "fresh4":
        return list(fresh4())
    return [c for c in corpus() if c.part == name]


@cache
def held_out() -> Score:
    return score(kb(), part("held-out"))


def _shown(matches: list[SymptomMatch]) -> list[str]:
    return [f"{m.symptom} {m.score:g} ({m.text!r} ~ {m.phrase!r})" for m in matches[:4]]


def _asked(matches: list[SymptomMatch], taken: SymptomMatch) -> list[SymptomMatch]:
    """The readings the session puts to the person for the piece ``taken`` came from."""
    return close_call([o for o in matches if o.text == taken.text], kb())


def score(knowledge: KnowledgeBase, complaints: list[Complaint]) -> Score:
    """Recall of the labelled symptoms and the wrong symptoms taken, as the session takes them."""
    result = Score()
    for complaint in complaints:
        matches = match_symptoms(knowledge, complaint.text, limit=20)
        taken = symptoms_named(matches)
        names = {m.symptom for m in taken}
        for label in complaint.symptoms:
            result.labels += 1
            if label in names:
                result.recognised += 1
            else:
                result.misses.append((complaint, label, _shown(matches)))
            result.asked += label in names or any(
                o.symptom == label for m in taken for o in _asked(matches, m))
        allowed = set(complaint.symptoms) | set(complaint.also)
        for m in taken:
            if m.symptom in allowed:
                continue
            close = [o for o in _asked(matches, m) if o.symptom in allowed]
            if not close:
                result.wrong.append((complaint, m.symptom, _shown(matches)))
    return result


# ---------------------------------------------------------------------------- the corpus


def test_corpus_is_large_bilingual_and_labelled_with_real_symptoms():
    entries = corpus()
    assert len(entries) >= 300
    chinese = [c for c in entries if any("\u4e00" <= ch <= "\u9fff" for ch in c.text)]
    assert len(chinese) >= 100 and len(entries) - len(chinese) >= 150
    assert sum("Error" in c.text or "error:" in c.text for c in entries) >= 25  # pasted errors
    for c in entries:
        for symptom in (*c.symptoms, *c.also):
            assert symptom in kb().symptoms, f"entry {c.index}: unknown symptom '{symptom}'"
    assert len({c.text for c in entries}) == len(entries), "duplicate complaint lines"


def test_fresh_set_is_bilingual_labelled_and_new():
    entries = fresh()
    assert len(entries) >= 80
    chinese = [c for c in entries if any("\u4e00" <= ch <= "\u9fff" for ch in c.text)]
    assert len(chinese) >= 30 and len(entries) - len(chinese) >= 50
    for c in entries:
        for symptom in (*c.symptoms, *c.also):
            assert symptom in kb().symptoms, f"fresh entry {c.index}: unknown '{symptom}'"
    assert len({c.text for c in entries}) == len(entries), "duplicate fresh lines"
    assert not {c.text for c in entries} & {c.text for c in corpus()}, "line in both sets"


#: Symptoms added to the knowledge base after the fresh sets were written (their lines are
#: in complaints.yaml, appended so that the tuning/held-out split of earlier lines holds).
NEWER_SYMPTOMS = {"too_good_to_be_true",
                  # stop 29: what a person says they suspect, as the fact it states
                  "said_trained_in_eval_mode", "said_grads_not_zeroed", "said_targets_raw",
                  # stop 30
                  "said_strong_regularization",
                  # stop 32
                  "said_softmax_on_multi_label", "said_scheduler_every_batch",
                  # stop 33
                  "said_grad_clipping",
                  # stop 34
                  "said_padding_in_loss",
                  # stop 35
                  "said_inputs_raw",
                  # stop 40
                  "lr_collapsed",
                  # stop 50
                  "eval_not_repeatable",
                  # stop 66
                  "class_never_predicted",
                  # stop 74: an accuracy that rose and stopped (read as chance before)
                  "acc_plateau",
                  # stop 82: a prediction that changes with the batch it is scored in
                  "prediction_depends_on_batch",
                  # stop 83: training far slower than it should, steps slowing one by one
                  "training_slow", "steps_slow_down"}


def _check_fresh_set(name: str, entries: list, older: set[str]) -> None:
    """A fresh set: at least 80 lines, bilingual, pasted errors, every symptom labelled and
    known, no duplicate, no line from an older set."""
    assert len(entries) >= 80
    chinese = [c for c in entries if any("\u4e00" <= ch <= "\u9fff" for ch in c.text)]
    assert len(chinese) >= 40 and len(entries) - len(chinese) >= 50
    assert sum("Error" in c.text or "Warning" in c.text for c in entries) >= 8  # pasted
    for c in entries:
        for symptom in (*c.symptoms, *c.also):
            assert symptom in kb().symptoms, f"{name} entry {c.index}: unknown '{symptom}'"
    assert {s for c in entries for s in c.symptoms} == set(kb().symptoms) - NEWER_SYMPTOMS
    assert len({c.text for c in entries}) == len(entries), f"duplicate {name} lines"
    assert not {c.text for c in entries} & older, "line in two sets"


def test_second_fresh_set_is_bilingual_covers_every_symptom_and_is_new():
    _check_fresh_set("fresh2", fresh2(), {c.text for c in (*corpus(), *fresh())})


def test_third_fresh_set_is_bilingual_covers_every_symptom_and_is_new():
    _check_fresh_set("fresh3", fresh3(), {c.text for c in (*corpus(), *fresh(), *fresh2())})


def test_fourth_fresh_set_is_bilingual_covers_every_symptom_and_is_new():
    _check_fresh_set("fresh4", fresh4(),
                     {c.text for c in (*corpus(), *fresh(), *fresh2(), *fresh3())})


def test_both_halves_cover_every_labelled_symptom():
    tune = {s for c in part("tune") for s in c.symptoms}
    held = {s for c in part("held-out") for s in c.symptoms}
    assert len(part("held-out")) >= 150
    assert held <= tune, f"held-out symptoms never seen while tuning: {sorted(held - tune)}"


# ---------------------------------------------------------------------------- held-out figures


def _summary(result: Score) -> str:
    return f"recall {result.recall:.1%}, {len(result.wrong)} wrong"


def test_held_out_recall_reaches_the_target():
    # the recall half of issue 10's target, met; the wrong symptoms are not (xfail below)
    assert held_out().recall >= TARGET_RECALL, _summary(held_out())


def test_held_out_does_not_lose_ground():
    """On the lines the floor was set on; lines of newer symptoms count in the target."""
    result = score(kb(), [c for c in part("held-out")
                          if not set(c.symptoms) & NEWER_SYMPTOMS])
    holds = result.recall >= FLOOR_RECALL and len(result.wrong) <= MAX_WRONG
    assert holds, _summary(result)  # figures only: held-out lines are not for reading


def test_fresh_set_does_not_lose_ground():
    result = score(kb(), part("fresh"))
    holds = result.recall >= FRESH_FLOOR_RECALL and len(result.wrong) <= FRESH_MAX_WRONG
    assert holds, _summary(result)


def test_second_fresh_set_does_not_lose_ground():
    result = score(kb(), part("fresh2"))
    holds = result.recall >= FRESH2_FLOOR_RECALL and len(result.wrong) <= FRESH2_MAX_WRONG
    assert holds, _summary(result)


def test_third_fresh_set_does_not_lose_ground():
    result = score(kb(), part("fresh3"))
    holds = result.recall >= FRESH3_FLOOR_RECALL and len(result.wrong) <= FRESH3_MAX_WRONG
    assert holds, _summary(result)


def test_fourth_fresh_set_does_not_lose_ground():
    result = score(kb(), part("fresh4"))
    holds = result.recall >= FRESH4_FLOOR_RECALL and len(result.wrong) <= FRESH4_MAX_WRONG
    assert holds, _summary(result)


@pytest.mark.xfail(strict=True, reason="issue 10's target is half reached: held-out recall "
                   "90.6 % but 8 wrong symptoms at stop 74 (an accuracy that stopped "
                   "improving is a plateau, not chance); "
                   "90.6 % but 9 wrong symptoms at stop 71 (a clause that only says the loss "
                   "goes down is context; two pieces that each name a symptom are not "
                   "out-read by the whole); "
                   "90.6 % but 10 wrong symptoms at stop 66 (class_never_predicted's two new "
                   "held-out lines: 1 recognised, 1 wrong; a 同一个类 line whose first clause "
                   "reads a constant regressor); "
                   "90.2 % but 8 wrong symptoms at stop 41 (a loss that 'gets worse' read as "
                   "rising; fresh sets as at stop 40); 9 wrong at stop 40 (lr_collapsed's four "
                   "new held-out "
                   "lines: 2 recognised, 1 wrong; fresh 90.9 % with 3, fresh2 86.7 % with 3, "
                   "fresh3 80.6 % with 4, fresh4 87.9 % with 4); before it "
                   "90.1 % but 9 wrong symptoms (90.9 % and 8 before stop 29's statements — "
                   "'I forgot model.train()' — whose own held-out lines are new: 3 of 5 "
                   "recognised here, 1 wrong; 91.2 % before stop 28's train-vs-validation "
                   "phrase; "
                   "91.8 % and 7 on the lines before stop 27; "
                   "too_good_to_be_true's four held-out lines: 2 recognised, 1 wrong; "
                   "fresh 90.9 % with 5 (89.1 % before stop 29), fresh2 85.2 % with 3, "
                   "fresh3 79.9 % with 6, fresh4 "
                   "87.9 % with 4, 87.1 % before stop 30); in each the labelled symptom "
                   "is not even a rival: mostly a piece of a longer one-symptom complaint read "
                   "as another symptom, and wordings no phrase or concept covers")
def test_held_out_meets_the_target():
    result = held_out()
    met = result.recall >= TARGET_RECALL and not result.wrong
    assert met, _summary(result)


# ---------------------------------------------------------------------------- how words are read

#: Complaints worded as no phrase of their symptom is: each reaches it only through the concept
#: lexicon (cost = loss, climbs = increases, "will not decrease" = stuck, 非常大 = huge, 低于 0 =
#: negative) or a pasted error's signature (its numbers and type names dropped).
UNSPELLED = [
    ("the cost keeps climbing", "loss_rising"),
    ("my objective will not decrease", "loss_flat"),
    ("梯度变得巨大", "grad_exploding"),
    ("loss 低于 0", "loss_negative"),
    ("IndexError: Target 57 is out of bounds.", "target_out_of_bounds"),
    ("RuntimeError: expected scalar type Half but found Float", "dtype_error"),
    ("RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB", "oom"),
    ("I don't know why but my loss is nan", "loss_nan"),  # "don't" negates "know" only
    ("RuntimeError: result type Float can't be cast to the desired output type Long",
     "dtype_error"),
    ("RuntimeError: 0D or 1D target tensor expected, multi-target not supported",
     "shape_error"),
    ("RuntimeError: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`", "oom"),
    # PyTorch's own wordings, as error signatures (not phrases of any symptom)
    ("IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)",
     "shape_error"),  # a dimension out of range is a shape error, not a label out of range
    ("RuntimeError: stack expects each tensor to be equal size, but got [3, 224, 224] at "
     "entry 0 and [3, 200, 200] at entry 5", "shape_error"),
    ("RuntimeError: Expected 4-dimensional input for 4-dimensional weight [32, 3, 3, 3]",
     "shape_error"),
    ("RuntimeError: ../aten/src/THCUNN/ClassNLLCriterion.cu:108: cur_target >= 0 && "
     "cur_target < n_classes failed", "target_out_of_bounds"),
    ("RuntimeError: DefaultCPUAllocator: can't allocate memory: you tried to allocate "
     "80000000 bytes", "oom"),
    ("runs are nondeterministic", "runs_not_reproducible"),
    # weakly worded (54-58 of 100) but clear: no other symptom comes close, and a problem
    # is stated
    ("the loss creeps by 0.001 per epoch", "loss_linear"),
    ("after tuning bert the accuracy is worse than before", "fine_tune_worse"),
]


@pytest.mark.parametrize(("complaint", "symptom"), UNSPELLED, ids=[c for c, _ in UNSPELLED])
def test_a_paraphrase_reaches_its_symptom(complaint: str, symptom: str):
    spelled = kb().symptoms[symptom]
    phrases = [spelled.text.en, spelled.text.zh or ""]
    phrases += [p for group in spelled.synonyms.values() for p in group]
    assert complaint.lower() not in {p.lower() for p in phrases}
    named = [m.symptom for m in symptoms_named(match_symptoms(kb(), complaint, limit=20))]
    assert named == [symptom], named


@pytest.mark.parametrize("complaint", [
    "the training loss is 0.0000, yet the test set results are terrible",
    "训练 loss 已经是 0.0000 了，可测试集效果很差",
])
def test_pieces_that_together_say_one_symptom_are_that_symptom(complaint: str):
    # "loss at 0" and "test is bad" each name a symptom; together they are the one whose
    # facts are exactly theirs
    named = [m.symptom for m in symptoms_named(match_symptoms(kb(), complaint, limit=20))]
    assert named == ["zero_loss_bad_test"], named
    parts = {"loss_zero_fast", "train_good_test_bad"}
    assert set().union(*(kb().symptoms[p].implies.items() for p in parts)) == set(
        kb().symptoms["zero_loss_bad_test"].implies.items())


def test_one_concept_in_two_languages_is_one_term():
    assert {"loss", "increas"} <= terms("损失越来越大") & terms("the cost keeps rising")
    assert {"grad", "hug"} <= terms("梯度非常大") & terms("gradient norm at 1e9")
    assert "stuck" in terms("loss 不下降") & terms("the loss is not going down")


def test_a_comparison_keeps_which_set_does_better():
    # a lower loss, a higher accuracy or "better" is doing better, in either word order
    val_better = ["验证 loss 一直比训练 loss 低", "the training loss is higher than the val loss",
                  "val accuracy is higher than my train accuracy", "验证集比训练集还好"]
    for text in val_better:
        assert "valbettertrain" in terms(text) and "trainbetterval" not in terms(text), text
    assert "trainbetterval" in terms("一开始验证集 loss 就比训练集高很多")
    assert "trainbetterval" in terms("val accuracy is lower than train accuracy")


#: Chat lines that name no symptom (setup, thanks, questions): a weak reading is taken only
#: when the line states a problem, so none of these may match.
NEUTRAL = (
    "hi", "hello, can you help me?", "thanks, that helps", "ok I will try that",
    "I'm using PyTorch 2.2 with CUDA 12.1",
    "the model is a ResNet-50 pretrained on ImageNet",
    "batch size is 32 and I use Adam with default betas",
    "the dataset has 10 classes and 50k images",
    "I train on 4 GPUs with DDP",
    "here is my training script",
    "what does this mean?",
    "I use a cosine schedule with 5 warmup epochs",
    "inputs are normalised to zero mean and unit variance",
    "the images are 224x224 RGB",
    "I save a checkpoint every epoch",
    "my model has three conv layers and two linear layers",
    "I'm training a transformer for translation",
    "the labels come from a CSV file",
    "I ran it for 100 epochs overnight",
    "let me check and get back to you",
    "weight decay is 1e-4",
    "it is a binary classification task",
    "I followed the official PyTorch tutorial for the data loader",
    "what should I look at next?",
    "谢谢", "好的，我试一下", "你好，请帮我看看",
    "我用的是 PyTorch 2.1",
    "数据集是 CIFAR-10",
    "batch size 设的是 64",
    "优化器用的 Adam",
    "一共训练了 100 个 epoch",
    "模型是 ResNet-18",
    "输入图片是 224 乘 224",
    "我在 4 张卡上训练",
    "这是我的训练代码",
    "用了余弦退火学习率",
    "每个 epoch 保存一次模型",
    "这是一个二分类任务",
    "标签是从 csv 里读的",
)


def test_lines_that_state_no_problem_name_no_symptom():
    named = {text: [m.symptom for m in symptoms_named(match_symptoms(kb(), text, limit=20))]
             for text in NEUTRAL}
    assert not {text: found for text, found in named.items() if found}


def test_a_weak_reading_with_a_rival_is_not_taken():
    # loss_linear scores 56, a loop-shaped and an accuracy symptom within a point or two
    weak = match_symptoms(kb(), "the loss creeps lower by 0.0001 every epoch", limit=20)
    assert not symptoms_named(weak)


@pytest.mark.parametrize(("complaint", "symptom", "runner_up"), [
    ("the training doesn't change between epochs", "loss_flat", "loss_plateau_late"),
    ("the gpu usage keeps growing every iteration until it crashes", "memory_leak",
     "loss_rising"),
])
def test_a_near_tie_goes_to_the_reading_that_says_more_of_the_complaint(
        complaint: str, symptom: str, runner_up: str):
    # both readings are within the close call (the session asks when it may); taken
    # without asking, the phrase that accounts for more of the words comes first
    found = match_symptoms(kb(), complaint, limit=20)
    assert [m.symptom for m in found[:2]] == [symptom, runner_up], found[:3]
    assert found[0].score - found[1].score < CLOSE_CALL


def test_a_weak_reading_puts_a_farther_rival_to_the_person():
    # the margin of a close call is CLOSE_CALL at 100 and widens as the best reading weakens
    def piece(best: float, rival: float) -> list[SymptomMatch]:
        return [SymptomMatch("loss_flat", best, "p", "t"),
                SymptomMatch("acc_chance", rival, "q", "t")]

    assert len(close_call(piece(100.0, 100.0 - CLOSE_CALL - 1))) == 1
    assert len(close_call(piece(95.0, 95.0 - CLOSE_CALL - 1))) == 2
    assert len(close_call(piece(70.0, 70.0 - 15))) == 2 and len(close_call(piece(70.0, 40.0))) == 1
    # "predictions never change" reads weakly as a late plateau; predicting one value, 14
    # points below, is asked about too (beyond CLOSE_CALL, inside the weak reading's margin)
    session = Session(kb())
    step = session.complain("my predictions never change", ask=True)
    assert isinstance(step, NeedsChoice), step
    options = [m.symptom for m in step.options]
    assert options[0] == "loss_plateau_late" and "regression_predicts_mean" in options
    assert step.options[0].score - step.options[-1].score > CLOSE_CALL
    taken = Session(kb()).complain("my predictions never change")  # not asked: the best
    assert isinstance(taken, Taken) and [m.symptom for m in taken.symptoms] == ["loss_plateau_late"]


def test_a_weak_reading_beside_a_clear_one_is_still_a_rival_in_the_close_call():
    # "gradients are zero": vanishing gradients (63) is taken; no gradient at all (under the
    # threshold, too weak to be taken on its own) is within the close call and put to the
    # person, never taken
    complaint = "gradients are zero"
    found = match_symptoms(kb(), complaint, limit=20)
    assert [m.symptom for m in symptoms_named(found)] == ["grad_vanishing"]
    rivals = [m for m in close_call(found, kb())[1:] if m.score < MATCH_THRESHOLD]
    assert "grad_none" in {m.symptom for m in rivals}, found
    step = Session(kb()).complain(complaint, ask=True)
    assert isinstance(step, NeedsChoice), step
    assert {m.symptom for m in rivals} <= {m.symptom for m in step.options}
    taken = Session(kb()).complain(complaint)  # not asked: the best, never a rival
    assert isinstance(taken, Taken)
    assert [m.symptom for m in taken.symptoms] == ["grad_vanishing"]


def test_a_look_alike_symptom_is_asked_about_from_further_below():
    # validation-above-test and train-good-test-bad share most of their words: a reading of
    # one is asked about when the other is within the family margin, beyond the close call
    index = _index(kb())
    assert "train_good_test_bad" in index.family["val_better_than_test"]
    assert "loss_flat" not in index.family["val_better_than_test"]
    found = match_symptoms(kb(), "validation looks good, test is bad", limit=20)
    assert [m.symptom for m in close_call(found)] == ["val_better_than_test"]
    assert [m.symptom for m in close_call(found, kb())] == [
        "val_better_than_test", "train_good_test_bad"]
    step = Session(kb()).complain("validation looks good, test is bad", ask=True)
    assert isinstance(step, NeedsChoice) and len(step.options) == 2


def test_two_sets_said_at_opposite_levels_are_a_gap_not_both_high():
    # user 21: "验证 loss 远高于训练 loss" and "train loss is low but val loss is high" were read
    # as "train and val loss overlap and both stay high": each clause alone says "high"
    for line in ("train loss is low but val loss is high",
                 "training loss is very low, validation loss is very high",
                 "训练 loss 很低，验证 loss 很高", "验证 loss 远高于训练 loss",
                 "验证集的 loss 比训练集的高出一大截"):
        found = match_symptoms(kb(), line, limit=20)
        assert found[0].symptom == "train_good_test_bad", (line, found[:3])
        assert "train_val_close_high" not in {m.symptom for m in close_call(found)}, line
    for line in ("train and val loss are both high", "训练 loss 和验证 loss 都很高"):
        assert match_symptoms(kb(), line, limit=5)[0].symptom == "train_val_close_high", line
    # the other way round is the validation set doing better
    found = match_symptoms(kb(), "val acc is great but train acc is poor", limit=5)
    assert found[0].symptom == "val_better_than_train", found[:3]


def test_a_finer_symptom_keeps_the_general_one_as_a_close_call():
    # NaN scores a little higher than NaN-from-the-start: the finer one comes first, the
    # general one stays just below it, so the session asks which is meant
    found = match_symptoms(kb(), "nan loss from the first iteration", limit=20)
    assert [m.symptom for m in symptoms_named(found)] == ["loss_nan_at_start"]
    assert [m.symptom for m in close_call(found)] == ["loss_nan_at_start", "loss_nan"]


def test_a_pasted_message_is_one_piece():
    # "mat1 and mat2" inside an error message is not two complaints, nor is "!=" a "!"
    error = "RuntimeError: expected mat1 and mat2 to have the same dtype, but got: Half != float"
    pieces = split_complaint(error)
    assert len(pieces) == 2 and "mat1 and mat2" in pieces[0] and "!=" in pieces[1], pieces
    assert [m.symptom for m in symptoms_named(match_symptoms(kb(), error, limit=20))] == [
        "dtype_error"]
    assert len(split_complaint("the loss is nan and the gradients explode")) == 2


def test_numbers_given_to_two_sets_say_which_does_better():
    # accuracy is better higher, loss lower; values too close to tell say nothing
    assert "trainbettertest" in terms("99% train accuracy, 40% test accuracy")
    assert "trainbettertest" in terms("训练集准确率 99%，测试集只有 60%")
    assert "trainbetterval" in terms("train loss 0.01, val loss 2.5")
    assert "valbettertrain" in terms("val loss 0.2 but train loss 0.9")
    assert "valbettertest" in terms("val acc 0.92, test acc 0.71")
    for close in ("train loss 0.3 val loss 0.31", "train acc 99% val acc 98%",
                  "train loss 0.3 and val acc 90%"):
        assert not any("better" in term for term in terms(close)), close
    for complaint in ("99% train accuracy, 40% test accuracy", "train loss 0.01, val loss 2.5"):
        named = [m.symptom for m in symptoms_named(match_symptoms(kb(), complaint, limit=20))]
        assert named == ["train_good_test_bad"], (complaint, named)


@pytest.mark.parametrize(("complaint", "symptom"), [
    ("it is not overfitting, the train loss itself is stuck", "loss_flat"),
    ("不是过拟合，而是训练 loss 根本不降", "loss_flat"),
    ("我的问题不是显存不够，而是 loss 不降", "loss_flat"),
    ("the loss goes up, rather than decreasing", "loss_rising"),
    ("instead of decreasing my loss rises steadily", "loss_rising"),  # one claim
])
def test_what_the_problem_is_not_is_not_taken(complaint: str, symptom: str):
    # "not X, (but) Y": the piece that says what the problem is not names nothing
    named = [m.symptom for m in symptoms_named(match_symptoms(kb(), complaint, limit=20))]
    assert named == [symptom], named


def test_a_piece_that_may_restate_another_pieces_symptom_names_no_second_one():
    # "突然变得特别大然后发散" reads as a spike with an explosion in its close call; the first
    # piece names the explosion more clearly: the second says it again, not a second
    # symptom. A piece whose close call lacks the other's symptom still names its own.
    complaint = "loss 飙升到几万，loss 突然变得特别大然后发散"
    named = [m.symptom for m in symptoms_named(match_symptoms(kb(), complaint, limit=20))]
    assert named == ["loss_exploding"], named
    both = match_symptoms(kb(), "gradients are zero, the weights never change", limit=20)
    assert {m.symptom for m in symptoms_named(both)} == {"grad_vanishing", "params_frozen"}


def test_a_change_that_did_not_happen_is_not_no_change():
    # 不变 (unchanged) is "stuck"; 没有变成 nan (did not become NaN) is not
    assert "stuck" in terms("loss 一直不变") and "stuck" not in terms("loss 没有变成 nan")


def test_a_negation_belongs_to_the_word_it_negates():
    assert {"!work", "work"} <= terms("it does not work")
    assert "!work" in terms("模型不 work")
    assert "!work" not in terms("it works")
    assert "!work" in terms("nothing works")  # "nothing" negates too
    assert not symptoms_named(match_symptoms(kb(), "the training works fine"))
    assert not any(t.startswith("!") for t in terms("I don't know why but my loss is nan")
                   if t != "!know")


# ---------------------------------------------------------------------------- errors -> causes

PASTED_ERRORS = [
    ("IndexError: Target 13 is out of bounds.", "label_out_of_range_or_head"),
    ("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB", "out_of_memory"),
    ("RuntimeError: expected scalar type Float but found Double", "shape_or_dtype_bug"),
    ("size mismatch for fc.weight: copying a param with shape torch.Size([10, 512]) from "
     "checkpoint, the shape in current model is torch.Size([100, 512]).", "shape_or_dtype_bug"),
    ("RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x2048 and 512x10)",
     "shape_or_dtype_bug"),
    ("RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
     "gradient_not_flowing"),
    ("Gradient overflow. Skipping step, loss scaler 0 reducing loss scale", "fp16_overflow"),
    ("IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)",
     "shape_or_dtype_bug"),
    ("RuntimeError: ../aten/src/THCUNN/ClassNLLCriterion.cu:108: cur_target >= 0 && "
     "cur_target < n_classes failed", "label_out_of_range_or_head"),
    ("RuntimeError: DefaultCPUAllocator: can't allocate memory: you tried to allocate "
     "80000000 bytes", "out_of_memory"),
]
#: A target index beyond the output layer: labels out of the head's range (the loop cause),
#: the head has too few classes, or the labels are coded wrongly; all three are concluded.
OUT_OF_BOUNDS = ("label_out_of_range", "shape_or_dtype_bug", "labels_wrong")


@pytest.mark.parametrize(("error", "cause"), PASTED_ERRORS, ids=[e[:40] for e, _ in PASTED_ERRORS])
def test_pasted_error_reaches_its_cause(error: str, cause: str):
    engine = Engine(kb())
    engine.add_facts(facts_for(kb(), {}, [error]))
    engine.run()
    ranking = [s.cause for s in engine.conclusions()]
    if cause == "label_out_of_range_or_head":
        assert set(OUT_OF_BOUNDS) <= set(ranking[:3]), ranking
        assert ranking[0] == "label_out_of_range", ranking
    else:
        assert ranking and ranking[0] == cause, ranking


def _report(name: str) -> None:
    result = score(kb(), part(name))
    print(f"{name}: {len(part(name))} lines, recall {result.recall:.1%} "
          f"({result.recognised}/{result.labels}), wrong {len(result.wrong)}; "
          f"recognised or asked in a close call {result.asked / result.labels:.1%}")
    if name != "tune":
        return  # held-out lines are measured, not read
    for c, s, got in result.misses:
        print(f"  miss  #{c.index} {c.text!r} -> {s}; got {got[:2]}")
    for c, s, got in result.wrong:
        print(f"  wrong #{c.index} {c.text!r} took {s}; got {got[:2]}")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["tune", "held-out", "fresh", "fresh2", "fresh3", "fresh4"]:
        _report(name)


def test_a_match_quotes_the_person_not_the_lexicon():
    """The evidence quotes the words the person wrote, not their normalised concepts."""
    kb = load_kb([BUILTIN_KB])
    for text in ("训练几十步之后 loss 变成 nan", "My cost climbs afterwards"):
        matches = match_symptoms(kb, text)
        assert matches and all(m.text == text for m in matches), matches[:2]
    pieces = match_symptoms(kb, "loss is nan, and accuracy stays at chance")
    assert {m.text for m in pieces} <= {"loss is nan", "accuracy stays at chance",
                                        "loss is nan, and accuracy stays at chance"}


def test_nan_at_some_step_is_later_in_training_not_at_the_first() -> None:
    # the thirty-eighth set's hypernetwork: "at some step the loss printed nan" had read as NaN
    # from the very first step (the word "step")
    for line in ("at some step the loss printed nan and never came back",
                 "训练到某一步 loss 变成了 nan"):
        found = match_symptoms(kb(), line, limit=5)
        assert found[0].symptom == "loss_nan", (line, found[:3])
        assert "loss_nan_at_start" not in {m.symptom for m in close_call(found)}, line
    assert match_symptoms(kb(), "loss is nan from the first step", limit=5)[0].symptom == \
        "loss_nan_at_start"
