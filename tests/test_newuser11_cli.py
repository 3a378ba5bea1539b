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


def test_a_loss_logged_without_item_is_read_as_its_number(tmp_path) -> None:  # noqa: ANN001
    """``writer.writerow([step, loss])`` without ``.item()`` logs the tensor's repr: the
    number inside is the loss (the hint about decimal commas misled the new user)."""
    losses = [2.1 * 0.97 ** i for i in range(40)]
    csv_log = tmp_path / "train.csv"
    csv_log.write_text("step,loss\n" + "".join(
        f'{i},"tensor({v:.4f}, grad_fn=<NllLossBackward0>)"\n' for i, v in enumerate(losses)))
    jsonl_log = tmp_path / "train.jsonl"
    jsonl_log.write_text("".join(
        json.dumps({"step": i, "loss": f"tensor([{v:.4f}], device='cuda:0')"}) + "\n"
        for i, v in enumerate(losses)))
    for log in (csv_log, jsonl_log):
        _, raw = _diagnose("--log", str(log), "--format", "json")
        found = {f["fact"]: f["value"] for f in json.loads(raw)["findings"]}
        assert found["loss.non_finite"] is False and found["loss.drop_share"] > 0.5
    bad = tmp_path / "lists.csv"
    bad.write_text("step,loss\n" + "".join(f'{i},"tensor([0.5, 0.6])"\n' for i in range(5)))
    out = run(["dldoctor", "diagnose", "--no-input", "--log", bad], capture_output=True,
              text=True)
    assert out.returncode == 2 and "lists.csv" in out.stderr  # two numbers are no one loss
    assert "loss.item()" in out.stderr


def test_the_final_learning_rate_the_log_shows_is_not_asked(tmp_path) -> None:  # noqa: ANN001
    """A log with an lr column that fell from 1e-3 to 5e-8 answers "what is the final lr
    divided by the initial one?": the question was still listed."""
    import math

    steps = 200
    rows = "step,loss,lr\n" + "".join(
        f"{i},{1.6 * 0.99 ** i:.5f},{1e-3 * 0.5 * (1 + math.cos(math.pi * i / steps)):.3e}\n"
        for i in range(steps))
    log = tmp_path / "train_log.csv"
    log.write_text(rows)
    _, raw = _diagnose("--log", str(log), "--format", "json")
    report = json.loads(raw)
    found = {f["fact"]: f["value"] for f in report["findings"]}
    assert found["setup.lr_final_ratio"] < 1e-3
    assert "setup.lr_final_ratio" not in {q["fact"] for q in report["unanswered"]}


def test_kb_lint_names_the_id_a_typo_meant_and_an_empty_file(tmp_path) -> None:  # noqa: ANN001
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - id: my.rule\n    when: {fact: loss.platau, is: true}\n    then:\n"
        "      - {cause: lr_to_low, cf: 0.5}\n    because: {en: slow, zh: 慢}\n"
        "    sources: [\"https://example.org/a\"]\n")
    out = run(["dldoctor", "kb", "lint", rules], capture_output=True, text=True)
    assert "unknown fact 'loss.platau' (did you mean 'loss.plateau'?)" in out.stdout
    assert "unknown cause 'lr_to_low' (did you mean 'lr_too_low'?)" in out.stdout
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n")
    out = run(["dldoctor", "kb", "lint", empty], capture_output=True, text=True)
    assert "empty-file" in out.stdout and "1 warning" in out.stderr


def test_rows_with_no_number_are_said_to_be_skipped(tmp_path) -> None:  # noqa: ANN001
    """A traceback printed into the CSV between the rows: the rows are skipped, and the
    report says how many and where the first is (they had been dropped silently)."""
    lines = ["step,loss"] + [f"{i},{2.0 * 0.98 ** i:.4f}" for i in range(40)]
    lines[21:21] = ["Traceback (most recent call last):,", "###garbage###"]
    log = tmp_path / "train.csv"
    log.write_text("\n".join(lines) + "\n")
    _, raw = _diagnose("--log", str(log), "--format", "json")
    notes = json.loads(raw)["notes"]
    assert any("2 row(s) hold no number" in n and "line 22" in n for n in notes), notes
    clean = tmp_path / "clean.csv"
    clean.write_text("\n".join(line for line in lines if line[0].isdigit() or
                               line.startswith("step")) + "\n")
    _, raw = _diagnose("--log", str(clean), "--format", "json")
    assert not any("hold no number" in n for n in json.loads(raw)["notes"])
