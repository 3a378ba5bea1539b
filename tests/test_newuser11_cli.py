"""What the eleventh new user met on the command line (stop 28).

- A complaint that names a failure, with no cause found from the words alone, printed "No
  problem found" and read as a clean bill of health.
- "train accuracy is almost 100% but validation is only around 60%" was read as "validation
  accuracy and loss both rise", in English and in Chinese.
"""

from __future__ import annotations

import json

import pytest

from tests.support.forkcli import run


def _diagnose(*args: str) -> tuple[int, str]:
    out = run(["dldoctor", "diagnose", "--no-input", *args], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    return out.returncode, out.stdout


def test_a_described_failure_with_no_cause_found_is_no_clean_bill() -> None:
    words = "my net learns nothing, val accuracy is basically random guessing even though " \
            "I shuffle every epoch"
    code, text = _diagnose("--symptom", words)
    assert code == 0  # nothing is established: no fault to act on
    assert "No problem found" not in text
    assert text.startswith("No cause found for what you described")
    assert "Accuracy is stuck at chance level" in text and "--checkpoint" in text
    _, raw = _diagnose("--symptom", words, "--format", "json")
    assert json.loads(raw)["reported"] == ["Accuracy is stuck at chance level"]
    _, zh = _diagnose("--lang", "zh", "--symptom", words)
    assert "未发现问题" not in zh and zh.startswith("没有找到你所描述问题的原因")


@pytest.mark.parametrize("words", [
    "train accuracy is almost 100% but validation is only around 60%, and the gap keeps growing",
    "训练准确率接近 100%，但验证集只有 60% 左右，而且差距越来越大",
])
def test_train_far_above_validation_is_read_as_such(words: str) -> None:
    _, raw = _diagnose("--symptom", words, "--format", "json")
    said = [f["fact"] for f in json.loads(raw)["findings"] if f["source"].startswith("symptom:")]
    assert said == ["metric.train_good_test_bad"]
