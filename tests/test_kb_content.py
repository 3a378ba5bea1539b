"""Content tests for the built-in knowledge base (kb/*.yaml, kb/tests/*.yaml, kb/coverage.yaml).

- every case in kb/tests runs and passes;
- every cause (the contract's and the ones the kb adds) has a case that ranks it first and a
  case that names it absent;
- every rule and cause cites a source, seed citations name a real seed file and section;
- coverage.yaml names only existing rules and causes and covers every seed file;
- free-text complaints in English and Chinese reach the right symptom.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from dldoctor.engine import load_kb
from dldoctor.engine.knowledge import KnowledgeBase
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.engine.testing import Case, load_cases, run_case
from dldoctor.kb import BUILTIN_KB, SEED_SOURCES

CONTRACT_CAUSES = (
    "lr_too_high lr_too_low bad_weight_init zero_weight_init input_not_normalized labels_wrong "
    "data_not_shuffled batch_single_class activation_before_softmax softmax_wrong_dim "
    "loss_sign_error numerical_log_or_div_zero kl_div_wrong_inputs exploding_gradients "
    "vanishing_gradients dead_relu gradient_not_flowing weight_decay_on_bias over_regularization "
    "bn_small_batch missing_bias sgd_without_momentum dropout_in_conv overfitting underfitting "
    "distribution_shift validation_overfit class_imbalance batch_size_too_small no_lr_decay "
    "out_of_memory shape_or_dtype_bug fp16_overflow"
).split()

TESTS_DIR = BUILTIN_KB / "tests"
COVERAGE = BUILTIN_KB / "coverage.yaml"
SEED_CITATION = re.compile(r"^(?P<file>\d{3}_[0-9a-f]{16}\.txt)#(?P<section>[\w.\-]+)$")


@cache
def kb() -> KnowledgeBase:
    return load_kb([BUILTIN_KB])


@cache
def all_cases() -> tuple[Case, ...]:
    cases: list[Case] = []
    for path in sorted(TESTS_DIR.glob("*.yaml")):
        cases.extend(load_cases(path))
    return tuple(cases)


@cache
def coverage() -> dict:
    return YAML(typ="safe").load(COVERAGE.read_text(encoding="utf-8"))


def _case_id(case: Case) -> str:
    return f"{Path(case.file).stem}:{case.line}:{case.name}"


# ---------------------------------------------------------------------------- the kb loads


def test_kb_loads_without_problems():
    knowledge = kb()
    assert not [p for p in knowledge.problems if p.severity == "error"]
    assert len(knowledge.causes) >= 40
    assert len(knowledge.rules) >= 60
    assert len(knowledge.symptoms) >= 40


# ---------------------------------------------------------------------------- kb test cases


@pytest.mark.parametrize("case", all_cases(), ids=_case_id)
def test_kb_case(case: Case):
    result = run_case(kb(), case)
    assert result.passed, (
        f"{case.file}:{case.line} {case.name}: missing {result.missing}, "
        f"unexpected {result.unexpected}; ranking {result.ranking}"
    )


def test_healthy_corpus_concludes_nothing():
    healthy = [c for c in all_cases() if Path(c.file).name == "healthy.yaml"]
    assert len(healthy) >= 5
    assert all(c.expect.nothing for c in healthy)


@pytest.mark.parametrize("cause", CONTRACT_CAUSES)
def test_contract_cause_exists(cause: str):
    assert cause in kb().causes


def _ids_with(kind: str) -> set[str]:
    out: set[str] = set()
    for case in all_cases():
        if kind == "top" and case.expect.top:
            out.add(case.expect.top)
        elif kind == "absent":
            out.update(case.expect.absent)
    return out


@pytest.mark.parametrize("cause", sorted(kb().causes))
def test_every_cause_has_a_top_case(cause: str):
    assert cause in _ids_with("top"), f"no kb test case ranks '{cause}' first"


@pytest.mark.parametrize("cause", sorted(kb().causes))
def test_every_cause_has_a_contrasting_case(cause: str):
    assert cause in _ids_with("absent"), f"no kb test case expects '{cause}' absent"


def test_every_cause_can_be_concluded_by_some_rule():
    knowledge = kb()
    for cause in knowledge.causes:
        positive = [
            r for r in knowledge.rules_supporting(cause)
            if any(getattr(t, "cause", None) == cause and t.cf > 0 for t in knowledge.rules[r].then)
        ]
        assert positive, f"no rule supports '{cause}'"


# ---------------------------------------------------------------------------- sources


def _check_source(source: str) -> None:
    match = SEED_CITATION.match(source)
    if match:
        assert match["file"] in SEED_SOURCES, f"unknown seed file in '{source}'"
    else:
        # a public source the seeds do not cover: cited by URL so that it can be checked
        assert re.match(r"^https?://\S+$", source), f"malformed source '{source}'"


def test_every_rule_and_cause_has_a_source():
    knowledge = kb()
    for rule in knowledge.rules.values():
        assert rule.sources, rule.id
        for source in rule.sources:
            _check_source(source)
    for cause in knowledge.causes.values():
        assert cause.sources, cause.id
        for source in cause.sources:
            _check_source(source)
    for symptom in knowledge.symptoms.values():
        for source in symptom.sources:
            _check_source(source)


def test_texts_are_bilingual():
    knowledge = kb()
    for cause in knowledge.causes.values():
        assert cause.title.zh and cause.explanation and cause.explanation.zh, cause.id
        for fix in cause.fixes:
            assert fix.text.zh, f"{cause.id}: fix without Chinese text"
    for rule in knowledge.rules.values():
        assert rule.because.zh, rule.id
    for symptom in knowledge.symptoms.values():
        assert symptom.text.zh and symptom.synonyms.get("en") and symptom.synonyms.get("zh"), (
            symptom.id
        )


def test_added_askable_facts_have_question_and_why():
    knowledge = kb()
    for fact in knowledge.facts.values():
        origin = knowledge.origins[("facts", fact.id)][0].file
        if Path(origin).name == "facts_probed.yaml" or not fact.askable:
            continue
        assert fact.question and fact.question.zh, fact.id
        assert fact.why and fact.why.zh, f"{fact.id} has no 'why'"


def test_askable_facts_are_read_by_rules():
    knowledge = kb()
    for fact in knowledge.facts.values():
        origin = knowledge.origins[("facts", fact.id)][0].file
        if Path(origin).name == "facts_probed.yaml":
            continue
        assert knowledge.rules_reading(fact.id), f"no rule reads '{fact.id}'"


# ---------------------------------------------------------------------------- coverage


def test_coverage_names_existing_ids():
    knowledge = kb()
    entries = coverage()["coverage"]
    assert len(entries) >= 150
    for entry in entries:
        assert entry.get("item"), entry
        assert entry.get("rules") or entry.get("causes"), f"entry maps to nothing: {entry}"
        for rule in entry.get("rules", []):
            assert rule in knowledge.rules, f"coverage names unknown rule '{rule}'"
        for cause in entry.get("causes", []):
            assert cause in knowledge.causes, f"coverage names unknown cause '{cause}'"
        match = SEED_CITATION.match(entry["source"])
        assert match and match["file"] in SEED_SOURCES, entry["source"]


def test_coverage_covers_every_seed_file():
    files = {SEED_CITATION.match(e["source"])["file"] for e in coverage()["coverage"]}
    assert files == set(SEED_SOURCES)


def test_every_seed_cited_by_rules():
    cited = {
        m["file"]
        for rule in kb().rules.values()
        for s in rule.sources
        if (m := SEED_CITATION.match(s))
    }
    assert cited == set(SEED_SOURCES)


def test_coverage_is_consistent_with_rule_sources():
    """A rule listed for a seed item cites that seed file (no stray mappings)."""
    knowledge = kb()
    for entry in coverage()["coverage"]:
        seed = SEED_CITATION.match(entry["source"])["file"]
        for rule in entry.get("rules", []):
            files = {m["file"] for s in knowledge.rules[rule].sources
                     if (m := SEED_CITATION.match(s))}
            cause_files = set()
            for then in knowledge.rules[rule].then:
                cause = getattr(then, "cause", None)
                if cause:
                    cause_files |= {m["file"] for s in knowledge.causes[cause].sources
                                    if (m := SEED_CITATION.match(s))}
            assert seed in files | cause_files, (
                f"coverage maps {entry['source']} to rule '{rule}', which cites {sorted(files)}"
            )


# ---------------------------------------------------------------------------- symptoms

COMPLAINTS = [
    ("loss 不下降", "loss_flat"),
    ("my loss is not decreasing", "loss_flat"),
    ("模型学不到东西", "loss_flat"),
    ("loss 变成 nan", "loss_nan"),
    ("loss becomes nan after a few steps", "loss_nan"),
    ("nan with amp", "fp16_nan"),
    ("acc stuck at 10%", "acc_chance"),
    ("准确率一直是 10%", "acc_chance"),
    ("val loss going up", "val_loss_rising"),
    ("过拟合", "val_loss_rising"),
    ("overfitting", "val_loss_rising"),
    ("欠拟合", "train_val_close_high"),
    ("underfitting", "train_val_close_high"),
    ("loss explodes", "loss_exploding"),
    ("loss 爆炸", "loss_exploding"),
    ("loss 震荡", "loss_oscillating"),
    ("the loss oscillates a lot", "loss_oscillating"),
    ("loss decreasing very slowly", "loss_linear"),
    ("训练 loss 下降很慢", "loss_linear"),
    ("loss goes up", "loss_rising"),
    ("loss 不降反升", "loss_rising"),
    ("loss plateaus after a few epochs", "loss_plateau_late"),
    ("loss suddenly spikes", "loss_spikes"),
    ("loss 每个 epoch 周期性变化", "loss_periodic"),
    ("loss becomes 0.0000 quickly", "loss_zero_fast"),
    ("negative loss", "loss_negative"),
    ("KL 散度为负", "kl_negative"),
    ("model always predicts the same class", "predicts_one_class"),
    ("验证集准确率远高于测试集", "val_better_than_test"),
    ("训练集好测试集差", "train_good_test_bad"),
    ("test accuracy fluctuates", "val_oscillating"),
    ("梯度爆炸", "grad_exploding"),
    ("梯度消失", "grad_vanishing"),
    ("grad is None", "grad_none"),
    ("weights not updating", "params_frozen"),
    ("dead relu", "dead_relu_reported"),
    ("CUDA out of memory", "oom"),
    ("显存不够", "oom"),
    ("显存一直涨", "memory_leak"),
    ("size mismatch", "shape_error"),
    ("expected scalar type Float but found Byte", "dtype_error"),
    ("类别不平衡", "imbalanced_data"),
    ("数据太少", "small_dataset"),
    ("每次结果不一样", "runs_not_reproducible"),
    ("how to choose the learning rate", "lr_unknown"),
    ("模型不work", "model_not_working"),
    ("怎么调参", "wants_tuning_help"),
    ("fine-tuning makes it worse", "fine_tune_worse"),
    ("BN 小 batch 效果差", "bn_small_batch_reported"),
    ("model.eval() makes it worse", "eval_mode_worse"),
]


@pytest.mark.parametrize(("complaint", "symptom"), COMPLAINTS, ids=[c for c, _ in COMPLAINTS])
def test_complaint_matches_symptom(complaint: str, symptom: str):
    matches = match_symptoms(kb(), complaint)
    assert matches, f"'{complaint}' matched nothing"
    assert matches[0].symptom == symptom, [(m.symptom, m.score, m.phrase) for m in matches[:3]]


def test_every_built_in_fault_says_what_it_explains() -> None:
    """A fault is reported only when it explains an observation (docs/reasoning.md)."""
    from dldoctor.kbpaths import load_knowledge

    kb = load_knowledge()
    undeclared = [c.id for c in kb.causes.values() if c.kind == "fault" and c.explains is None]
    assert not undeclared
    notes = {c.id for c in kb.causes.values() if c.kind == "note"}
    assert {"sgd_without_momentum", "no_lr_decay", "no_monitoring"} <= notes
