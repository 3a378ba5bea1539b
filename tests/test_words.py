"""What people read: numbers, wrapped Chinese, evidence sentences that agree with their
values, sources by title, answers refused in the terms they were shown."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dldoctor.kbpaths import load_knowledge
from dldoctor.numbers import count, num, percent, times
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.evidence import (
    MESSAGES,
    Said,
    localize,
    said_from_json,
    said_to_json,
    say,
)
from dldoctor.probes.log_probes import probe_curves
from dldoctor.sources import SECTIONS, SEEDS, source_title
from dldoctor.words import answer_problem
from dldoctor.wrap import cell_len, wrap
from tests.support import write_csv_log

CJK = re.compile(r"[\u4e00-\u9fff]")
# An English word of 3+ letters outside identifiers (file names, code, units like NaN).
ENGLISH_WORD = re.compile(r"(?<![\w./])[A-Za-z]{3,}(?![\w./(])")
ALLOWED_IN_ZH = {"loss", "NaN", "inf", "BatchNorm", "csv", "log", "epoch", "batch"}


# ---------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("value", "shown"), [
    (0.046875, "0.0469"), (2.63927e11, "2.64e11"), (1e-5, "1e-5"), (3e-4, "3e-4"),
    (1.4281e25, "1.43e25"), (1168.4, "1170"), (35412.3, "35400"), (999.7, "1000"),
    (1168.0, "1168"), (30.0, "30"), (35.4321, "35.4"), (0.0, "0"),
    (-2.5e-7, "-2.5e-7"), (112, "112"), (float("nan"), "NaN"),
])
def test_numbers_read_as_a_person_writes_them(value: float, shown: str) -> None:
    assert num(value) == shown


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e30, max_value=1e30))
def test_a_shown_number_is_the_value_to_three_digits(value: float) -> None:
    shown = num(value)
    assert "e+" not in shown and "e-0" not in shown and len(shown) <= 10
    back = float(shown)
    assert math.isclose(back, value, rel_tol=6e-3, abs_tol=1e-300) or abs(value) >= 100 \
        and abs(back - value) <= 0.5


def test_counts_ratios_and_percentages() -> None:
    assert count(30.0) == "30" and count(29.6) == "30"
    assert times(0.0, 0.0) == "n/a" and times(3.0, 0.0) == "n/a"  # 0/0 is not "inf"
    assert times(5.0, 2.0) == "2.5×"
    assert percent(0.354) == "35%" and percent(0.047) == "4.7%"
    assert percent(0.997) == "99.7%" and percent(0.99996) == "99.996%" and percent(1.0) == "100%"
    assert percent(5.67e24) == "5.67e24×"  # a blown-up gap is no 27-digit percentage


# ---------------------------------------------------------------------- wrapping


def test_chinese_wraps_by_display_width_and_never_starts_a_line_with_punctuation() -> None:
    text = ("每次更新对权重改动过大，loss 跳出低谷、剧烈震荡甚至涨到无穷（前 100 步左右出现 "
            "NaN 是典型表现），还会让 ReLU 大量死亡。")
    lines = wrap(text, 30, "   - ", "       ")
    assert len(lines) > 2
    assert all(cell_len(line) <= 30 for line in lines)
    assert all(cell_len(line) >= 22 for line in lines[:-1])  # no half-empty lines
    assert not any(line.strip()[0] in "，。、）" for line in lines[1:])
    assert "".join(line.strip() for line in lines)[1:].replace(" ", "") == text.replace(" ", "")


def test_the_tui_wraps_chinese_between_characters() -> None:
    from rich.text import Text

    from dldoctor.tui.cjk import enable_cjk_wrapping

    enable_cjk_wrapping()
    text = Text("再用 model.parameters() 创建优化器；检查所有要训练的层的梯度和参数。")
    lines = text.wrap(_console(), 30)
    widths = [cell_len(str(line)) for line in lines]
    # the Chinese continues on the first line instead of leaving 9 columns empty
    assert max(widths) <= 30 and widths[0] >= 29


def _console():  # noqa: ANN202
    from rich.console import Console

    return Console(width=30)


# ---------------------------------------------------------------------- evidence


def _log(tmp_path: Path) -> Path:
    """A run that blows up: finite for 30 steps, spikes, then NaN; validation rises too."""
    steps = np.arange(60)
    loss = np.concatenate([1.3 + 0.01 * np.sin(steps[:20]), 1.3 * 4.0 ** np.arange(1, 11),
                           [np.nan] * 30])
    val = [1.2 if i == 9 else 1.1 if i == 19 else 5e3 if i == 29 else None for i in steps]
    lr = [0.5] * 60
    return write_csv_log(tmp_path / "run.csv", {"step": list(map(float, steps)),
                                                "loss": list(map(float, loss)),
                                                "val_loss": val, "lr": lr})


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    path = _log(tmp_path_factory.mktemp("log"))
    found = probe_curves(Inputs(logs=(path,)), ProbeContext())
    return {f.fact: f for f in found}


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def test_evidence_sentences_agree_with_their_values(findings: dict) -> None:  # type: ignore[type-arg]
    step = findings["loss.non_finite_step"]
    assert step.value == 30.0 and "step 30 " in step.evidence  # a step is an integer
    rising = findings["loss.rising"]
    a, b = _numbers(rising.evidence)[:2]
    assert rising.value is (b > a)
    val = findings["val.rising_while_train_falls"]
    assert val.value is False
    assert "well above its minimum 1.1" in val.evidence  # not "near its minimum"
    assert "ends at 5000" in val.evidence
    lr = findings["lr.decays"]
    assert lr.value is False and "stays at 0.5" in lr.evidence
    for f in findings.values():  # numbers as people write them
        assert not re.search(r"e\+|\d\.\d{4,}|\binf\b(?!/)", str(f.evidence)), f.evidence


def test_probe_evidence_is_said_in_chinese_and_survives_a_saved_session(
        findings: dict) -> None:  # type: ignore[type-arg]
    said = [f.evidence for f in findings.values() if isinstance(f.evidence, Said)]
    assert len(said) >= 8
    for text in said:
        zh = localize(text, "zh")
        assert CJK.search(zh), zh
        leftovers = set(ENGLISH_WORD.findall(zh)) - ALLOWED_IN_ZH
        assert not leftovers, (zh, leftovers)
        again = said_from_json(said_to_json(text), "")
        assert again == text and localize(again, "zh") == zh


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        names = {lang: set(re.findall(r"{(\w+)}", t)) for lang, t in texts.items()}
        assert names.keys() - {"en_one"} == {"en", "zh"} and names["en"] == names["zh"], key
        if "en_one" in names:  # "1 …" says the count, and the rest as "{n} …" does
            assert names["en_one"] == names["en"] - {"n"}, key


def test_a_count_of_one_is_said_in_the_singular() -> None:
    # stop 83: a checkpoint's evidence read "1 recurrent layers"
    assert say("weights.recurrent", n=1) == "1 recurrent layer"
    assert say("weights.recurrent", n=2) == "2 recurrent layers"
    assert say("weights.recurrent", n=1).in_lang("zh") == "1 个循环层"
    frozen = say("grad.frozen", n=1, names=["a.weight"])
    assert frozen == "1 parameter has requires_grad=False: a.weight"


# ---------------------------------------------------------------------- sources, answers


def test_every_seed_cited_by_the_rules_has_a_title_and_section() -> None:
    kb = load_knowledge()
    cited = {s for r in kb.rules.values() for s in r.sources} | {
        s for c in kb.causes.values() for s in c.sources}
    seeds = {s for s in cited if s.split("#")[0] in SEEDS}
    assert seeds
    for source in seeds:
        file, _, section = source.partition("#")
        assert (file, section) in SECTIONS, source
        assert file not in source_title(source, "en") and "《" in source_title(source, "zh")
    assert source_title("https://arxiv.org/abs/1611.03530") == "https://arxiv.org/abs/1611.03530"


def test_a_refused_answer_speaks_of_the_choices_shown() -> None:
    kb = load_knowledge()
    spec = next(s for s in kb.facts.values() if s.type == "enum" and s.choices)
    n = len(spec.choices or [])
    en = answer_problem(spec, "maybe", "en")
    assert f"1 to {n}" in en and not any(v in en for v in spec.choice_values if len(v) > 3)
    assert f"1 到 {n}" in answer_problem(spec, "maybe", "zh")


def test_a_phrase_inside_a_sentence_is_said_in_the_same_language() -> None:
    from dldoctor.probes.evidence import say

    text = say("update.ratio", choice=say("choice.ckpt", kind="sgd", lr=0.5), median=0.093472,
               n=3)
    assert text == ("one sgd lr=0.5 (the checkpoint's optimizer settings) step changes the "
                    "weights by a median 0.0935 of their norm over 3 layers (about 1e-3 is "
                    "healthy)")
    zh = localize(text, "zh")
    assert "checkpoint 中的优化器设置" in zh and "0.0935" in zh and "optimizer settings" not in zh
    assert localize(said_from_json(said_to_json(text), ""), "zh") == zh
    import copy
    import pickle

    for again in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert again == text and localize(again, "zh") == zh
