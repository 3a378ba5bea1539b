"""Content tests for the built-in knowledge base (kb/*.yaml, kb/tests/*.yaml, kb/coverage.yaml).

- every case in kb/tests runs and passes;
- every cause (the contract's and the ones the kb adds) has a case that ranks it first and a
  case that names it absent;
- every rule and cause cites a source, seed citations name a real seed file and section;
- coverage.yaml names only existing rules and causes and covers every seed file;
- free-text complaints in English and Chinese reach the right symptom.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest
import torch
from ruamel.yaml import YAML
from torch import nn

from dldoctor.engine import load_kb
from dldoctor.engine.inference import Engine
from dldoctor.engine.knowledge import KnowledgeBase
from dldoctor.engine.memory import Fact
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.engine.testing import Case, load_cases, run_case
from dldoctor.kb import BUILTIN_KB, SEED_SOURCES
from dldoctor.probes.base import Finding
from dldoctor.probes.live_forward import (
    activation_findings,
    input_findings,
    label_findings,
    run_forward,
)
from dldoctor.probes.live_output import output_findings
from dldoctor.probes.live_structure import dropout_findings
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.models import Batch

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


#: The sections of each seed that citations may name (file#section), as the seeds lay them out.
SEED_SECTIONS = {
    "000_0d687c3c0de7148e.txt": set(
        "1.lr 1.lr-decay 1.batch-size 1.weight-decay 1.init 1.optimizer 1.tuning-stage 3.tricks "
        "3.1 3.2 3.3 3.monitoring 4 4.loss-curves 4.nan references".split()),
    "001_d862c7d15b898315.txt": set("intro 1 2 3 4 5 6 7 overfitting".split()),
    "002_9fca986eb6288fc4.txt": {"preface", *(str(i) for i in range(1, 21))},
    "003_1b048ab82ee90c2c.txt": set(
        "preface preparation stage1 stage1.single-gpu stage2 stage3 ads".split()),
    "004_1e3b12ba70b3cb09.txt": set(
        "why start-simple implement-debug get-model-to-run overfit-single-batch "
        "compare-known-result evaluate underfitting overfitting distribution-shift "
        "balance-dataset tune-hyperparameters conclusion footer".split()),
}

#: Claims whose seed section was once wrong (issue 10): the rule must cite the section that
#: says it, and not the one it used to cite.
PINNED_CITATIONS = [
    ("rules", "gnf.zero_from_dead_units", "001_d862c7d15b898315.txt#1",
     "002_9fca986eb6288fc4.txt#3"),
    ("rules", "curve.val_gap_from_start", "004_1e3b12ba70b3cb09.txt#distribution-shift",
     "002_9fca986eb6288fc4.txt#19"),
    ("rules", "grad.first_last_balanced", "002_9fca986eb6288fc4.txt#9",
     "000_0d687c3c0de7148e.txt#3.monitoring"),
    ("rules", "grad.mse_spikes", "https://arxiv.org/abs/1504.08083", None),
    ("symptoms", "eval_mode_worse", "https://pytorch.org/docs/stable/generated/"
     "torch.nn.BatchNorm2d.html", None),
    ("symptoms", "acc_chance", "004_1e3b12ba70b3cb09.txt#overfit-single-batch",
     "004_1e3b12ba70b3cb09.txt#why"),
    ("rules", "curve.acc_at_chance.suspects", "004_1e3b12ba70b3cb09.txt#overfit-single-batch",
     "004_1e3b12ba70b3cb09.txt#why"),
    ("rules", "reg.dropout_above_range", "000_0d687c3c0de7148e.txt#3.2", None),
    ("rules", "dropout.measured_present", "000_0d687c3c0de7148e.txt#3.2",
     "001_d862c7d15b898315.txt#6"),
    ("rules", "conv.first_layer_thin", "000_0d687c3c0de7148e.txt#3.2", None),
]


def _all_sources():
    knowledge = kb()
    for section in ("rules", "causes", "symptoms"):
        for item in getattr(knowledge, section).values():
            for source in item.sources:
                yield f"{section}:{item.id}", source


def test_seed_citations_name_a_section_of_that_seed():
    for where, source in _all_sources():
        match = SEED_CITATION.match(source)
        if match:
            assert match["section"] in SEED_SECTIONS[match["file"]], f"{where}: {source}"


@pytest.mark.parametrize(("section", "item", "cites", "not_cites"), PINNED_CITATIONS,
                         ids=[p[1] for p in PINNED_CITATIONS])
def test_pinned_citations(section: str, item: str, cites: str, not_cites: str | None):
    sources = getattr(kb(), section)[item].sources
    assert cites in sources
    assert not_cites not in sources


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


# ---------------------------------------------------------------------------- issue 10: knowledge
# Each test measures a real artefact with the real probe, then chains the kb on the findings.


def _chain(findings: list[Finding]) -> tuple[dict[str, float], list[str]]:
    """Conclusions (cause -> certainty) and fired rules for what the probes measured."""
    engine = Engine(kb())
    engine.add_facts(Fact(f.fact, f.value, "probed", "probe:test") for f in findings
                     if f.fact in kb().facts)
    engine.run()
    return {s.cause: s.cf for s in engine.conclusions()}, [f.rule for f in engine.firings]


def _values(findings: list[Finding]) -> dict[str, object]:
    return {f.fact: f.value for f in findings}


def _write_csv(path: Path, columns: dict[str, list[float]]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(list(columns))
        writer.writerows(zip(*columns.values(), strict=True))
    return path


def _images(centred: bool) -> Batch:
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (16, 3, 8, 8), generator=gen).float()
    return Batch(x - x.mean() if centred else x, torch.arange(16) % 4, Path("images.pt"))


def test_zero_centred_images_need_no_scaling():
    centred = input_findings(_images(centred=True))
    assert _values(centred)["input.image_zero_centred"] is True
    assert "input_not_normalized" not in _chain(centred)[0]
    raw = input_findings(_images(centred=False))
    assert _values(raw)["input.image_zero_centred"] is False
    assert "input_not_normalized" in _chain(raw)[0]


@pytest.mark.parametrize(("conv_p", "heavy"), [(0.1, False), (0.4, True)])
def test_conv_dropout_judged_on_conv_layers_only(conv_p: float, heavy: bool):
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Dropout2d(conv_p), nn.Flatten(),
                          nn.Dropout(0.5), nn.Linear(4 * 6 * 6, 3))
    found = dropout_findings(list(model.named_children()))
    values = _values(found)
    assert values["arch.dropout_rate_max"] == pytest.approx(0.5)
    assert values["arch.conv_dropout_rate_max"] == pytest.approx(conv_p)
    assert ("dropout.in_conv_heavy" in _chain(found)[1]) is heavy


class _TextCNN(nn.Module):
    """Kim's text CNN: convolutions, max-pooled and concatenated by functions (no module),
    then dropout on the (batch, features) vector before the classifier."""

    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.Embedding(50, 16)
        self.convs = nn.ModuleList(nn.Conv1d(16, 8, k) for k in (3, 4, 5))
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(24, 2)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.emb(tokens).transpose(1, 2)
        pooled = [torch.relu(conv(x)).max(dim=2).values for conv in self.convs]
        return self.fc(self.dropout(torch.cat(pooled, 1)))


def test_dropout_on_pooled_features_after_a_conv_is_the_heads():
    """Measured on a forward pass: the text CNN's dropout sees a 2-D tensor (the head's),
    a Dropout2d between convolutions a 4-D one (the fourth hand set's text CNN had read
    dropout_in_conv 0.71)."""
    tokens = Batch(torch.randint(0, 50, (8, 20)), torch.arange(8) % 2, Path("b.pt"))
    run = run_forward(_TextCNN(), tokens, torch.device("cpu"))
    found = dropout_findings([(r.name, r.module) for r in run.layers],
                             {r.name: r.ndim for r in run.layers})
    assert _values(found)["arch.dropout_after_conv"] is False
    conv = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Dropout2d(0.4), nn.Conv2d(4, 4, 3),
                         nn.Flatten(), nn.Linear(4 * 4 * 4, 2))
    images = Batch(torch.randn(8, 3, 8, 8), torch.arange(8) % 2, Path("b.pt"))
    run = run_forward(conv, images, torch.device("cpu"))
    found = dropout_findings([(r.name, r.module) for r in run.layers],
                             {r.name: r.ndim for r in run.layers})
    assert _values(found)["arch.dropout_after_conv"] is True


def test_dropout_of_0_7_is_not_strong_regularisation():
    for rate, strong in ((0.7, False), (0.8, True)):
        model = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Dropout(rate), nn.Linear(8, 2))
        fired = _chain(dropout_findings(list(model.named_children())))[1]
        assert ("finding.regularized.yes" in fired) is strong, rate


def test_per_step_csv_without_validation_is_monitoring(tmp_path: Path):
    steps = list(range(120))
    loss = [2.3 * 0.97 ** s + 0.1 for s in steps]
    log = _write_csv(tmp_path / "train.csv", {"step": steps, "loss": loss})
    found = curve_findings(read_log(log))
    assert _values(found)["log.has_validation"] is False
    causes, fired = _chain(found)
    assert "no_monitoring" not in causes and "mon.log_on_disk" in fired


class _Logits(nn.Module):
    def __init__(self, log_layer: bool) -> None:
        super().__init__()
        self.body = nn.Linear(8, 4)
        self.logits = nn.Linear(4, 3)
        self.log_layer = log_layer
        if not log_layer:
            with torch.no_grad():
                self.logits.weight.fill_(float("inf"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.logits(self.body(x))
        return out.abs().neg().log() if self.log_layer else out


def test_nan_from_a_layer_named_logits_is_not_an_unsafe_op():
    batch = Batch(torch.randn(6, 8), torch.arange(6) % 3, Path("b.pt"))
    found = activation_findings(run_forward(_Logits(False), batch, torch.device("cpu")))
    assert _values(found)["forward.first_non_finite_layer"] == "logits"
    assert "nan.forward_unsafe_op" not in _chain(found)[1]
    model = nn.Sequential(nn.Linear(8, 3))
    model.add_module("log_prob", nn.LogSigmoid())
    with torch.no_grad():
        model[0].weight.fill_(float("nan"))
    found = activation_findings(run_forward(model, batch, torch.device("cpu")))
    assert _values(found)["forward.first_non_finite_op"] == "Linear"


def test_layernorm_nan_is_an_unsafe_op():
    found = [Finding("forward.non_finite", True), Finding("input.non_finite", False),
             Finding("forward.first_non_finite_layer", "encoder.ln"),
             Finding("forward.first_non_finite_op", "LayerNorm")]
    assert "nan.forward_unsafe_op" in _chain(found)[1]


# ---------------------------------------------------------------------------- issue 10: measured
# facts that used to lead nowhere now conclude


def test_softmax_before_cross_entropy_is_an_activation_before_softmax():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4), nn.Softmax(dim=1))
    targets = torch.arange(12) % 4
    out = model(torch.randn(12, 8))
    found = output_findings(out, ("3", model[3]), targets)
    values = _values(found)
    assert values["output.is_probability"] is True
    assert values["output.activation_after_logits"] is True  # no longer contradicts it
    causes = _chain(found)[0]
    assert max(causes, key=causes.__getitem__) == "activation_before_softmax"


def test_sigmoid_before_bce_with_logits_is_an_activation_before_softmax():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())
    targets = (torch.arange(12) % 2).float()
    found = output_findings(model(torch.randn(12, 8)), ("1", model[1]), targets)
    assert _values(found)["output.is_probability"] is True
    for loss, expected in (("bce_logits", True), ("bce", False)):
        given = [*found, Finding("setup.loss_kind", loss)]
        assert ("activation_before_softmax" in _chain(given)[0]) is expected, loss


def test_negative_loss_with_labels_1_and_2(tmp_path: Path):
    torch.manual_seed(0)
    x = torch.randn(64, 8)
    labels = 1.0 + (x[:, 0] > 0).float()  # classes coded 1 and 2
    model = nn.Linear(8, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(40):
        loss = nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert min(losses) < 0
    log = _write_csv(tmp_path / "log.csv", {"step": list(range(40)), "loss": losses})
    with torch.no_grad():
        output = model(x)
    found = [*curve_findings(read_log(log)),
             *label_findings(Batch(x, labels, Path("b.pt")), output)]
    assert _values(found)["batch.binary_labels_not_01"] is True
    causes = _chain(found)[0]
    # binary labels 1/2 are labels numbered 1..K for K = 2 (stop 69)
    assert max(causes, key=causes.__getitem__) == "label_out_of_range"
    assert "loss_sign_error" not in causes


def test_learning_rate_decayed_to_nothing(tmp_path: Path):
    torch.manual_seed(0)
    x, y = torch.randn(64, 8), torch.arange(64) % 3
    model = nn.Linear(8, 3)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)  # per batch
    rows: dict[str, list[float]] = {"step": [], "loss": [], "lr": []}
    for step in range(120):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        rows["step"].append(step)
        rows["loss"].append(loss.item())
        rows["lr"].append(optimizer.param_groups[0]["lr"])
        schedule.step()
    assert rows["lr"][-1] < 3e-12
    found = curve_findings(read_log(_write_csv(tmp_path / "log.csv", rows)))
    assert _values(found)["lr.vanished_share"] > 0.5
    causes = _chain(found)[0]
    # ExponentialLR counts epochs (its documentation): stepped after every batch, gone under
    # 1 % by step 21 of 120 with no epoch column, it is first the scheduler stepped per
    # batch (stop 43), and the decay far too fast beside it
    assert max(causes, key=causes.__getitem__) == "scheduler_step_per_batch"
    assert causes["lr_decay_too_fast"] >= 0.2


def test_every_cause_id_is_in_the_contract():
    """New ids become contract: docs/contract.md names every cause the knowledge base has."""
    text = (Path(__file__).parents[1] / "docs" / "contract.md").read_text()
    listed = set(re.findall(r"`([a-z_0-9]+)`", text[text.index("## Cause ids"):]))
    assert not sorted(set(kb().causes) - listed)
