"""Stop 77: a log's cells that hold a word, not a number, are counted in a note (they had
been left out silently); a tensor's repr split by its own comma in an unquoted CSV row is
still read as its number."""

from __future__ import annotations

from pathlib import Path

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.logs import read_logs
from dldoctor.session import Session


def _notes(log: Path) -> list[str]:
    return [str(note) for note in read_logs([log]).unused]


def test_word_cells_in_a_column_read_are_counted_in_a_note(tmp_path: Path) -> None:
    rows = [f"{i},{2.0 * 0.95 ** i:.4f},{i * 0.01:.2f}" for i in range(40)]
    for i in (7, 19, 33):
        rows[i] = f"{i},oops,{i * 0.01:.2f}"
    log = tmp_path / "train.csv"
    log.write_text("step,loss,lr\n" + "\n".join(rows) + "\n")
    notes = _notes(log)
    assert any("3 cell(s)" in n and "'oops' in column 'loss', row 8, line 9" in n
               for n in notes), notes
    loss = read_logs([log]).get("loss")
    assert loss is not None and len(loss.values) == 37  # each read as a missing value


def test_a_clean_log_and_a_blank_row_say_nothing_of_words(tmp_path: Path) -> None:
    """Empty cells are no words; a row with no number anywhere has its own note."""
    rows = [f"{i},{2.0 * 0.95 ** i:.4f},{'' if i % 5 else 0.5}" for i in range(40)]
    rows[12] = "Traceback (most recent call last):,,"
    log = tmp_path / "train.csv"
    log.write_text("step,loss,val_loss\n" + "\n".join(rows) + "\n")
    notes = _notes(log)
    assert not any("hold a word" in n for n in notes), notes
    assert any("hold no number in any column" in n for n in notes), notes


def test_an_unquoted_tensor_repr_split_by_its_comma_is_its_number(tmp_path: Path) -> None:
    """``f.write(f"{step},{loss}\\n")`` without ``.item()``: the repr's comma splits the row
    into ``tensor(0.5312`` and `` grad_fn=<NllLossBackward0>)``."""
    losses = [2.1 * 0.97 ** i for i in range(30)]
    log = tmp_path / "train.csv"
    log.write_text("step,loss\n" + "".join(
        f"{i},tensor({v:.4f}, grad_fn=<NllLossBackward0>)\n" for i, v in enumerate(losses)))
    loss = read_logs([log]).get("loss")
    assert loss is not None and len(loss.values) == 30
    assert abs(float(loss.values[-1]) - round(losses[-1], 4)) < 1e-9


def test_the_same_answer_whatever_the_input_is_a_constant_prediction() -> None:
    """A regressor's users say "the same answer" (a toe-spring model "gives almost the same
    answer for a box calf upper as for a kangaroo one" had read as one class predicted)."""
    from dldoctor.engine.symptoms import match_symptoms, symptoms_named

    named = symptoms_named(match_symptoms(load_knowledge(),
                                          "it gives the same answer whatever I feed it"))
    assert [m.symptom for m in named] == ["regression_predicts_mean"]


def _bce_reading(tmp_path: Path, values: list[float]) -> object:
    from dldoctor.probes.log_probes import curve_findings

    log = tmp_path / "epochs.csv"
    log.write_text("epoch,bce\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    found = {f.fact: f.value for f in curve_findings(read_logs([log]))}
    return found.get("loss.bce_named_negative")


def test_a_first_epoch_mean_above_minus_ln2_is_no_flipped_sign(tmp_path: Path) -> None:
    """Vote counts 0–5 fed to BCE as soft labels: the loss starts at ln 2 and the first
    epoch's mean is already -0.53; a negated BCE starts at about -ln 2 and only falls."""
    counts = [-0.53, -10.0, -48.9, -150.0, -420.0, -1100.0, -2900.0]
    flipped = [-1.9, -6.5, -21.0, -70.0, -230.0, -760.0, -2500.0]
    assert _bce_reading(tmp_path, counts) is True
    assert _bce_reading(tmp_path, flipped) is False


MODEL_FILE = '''
import torch
import torch.nn as nn

NOISE = 0.6


def build():
    return nn.Linear(4, 2)


def reparameterise(mu, logvar):
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)   # the model's own scale


if __name__ == "__main__":
    x = torch.rand(256, 4) + 0.05 * torch.randn(256, 4)           # how the data were made
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for xb in x.split(32):
        xb = xb + NOISE * torch.randn_like(xb)                     # line 21: augmentation
        with torch.no_grad():
            probe = xb + 2.0 * torch.randn_like(xb)                # not trained on
        loss = model(xb).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def test_noise_the_training_loop_adds_is_read_with_its_scale(tmp_path: Path) -> None:
    from dldoctor.probes.source_scan import added_noise

    model = tmp_path / "noisy.py"
    model.write_text(MODEL_FILE)
    assert added_noise(f"{model}:build") == (0.6, 21, "noisy.py")
    quiet = tmp_path / "quiet.py"
    quiet.write_text(MODEL_FILE.replace("xb = xb + NOISE * torch.randn_like(xb)", "pass"))
    assert added_noise(f"{quiet}:build") is None  # data made noisy, a VAE's sample: no reading


def test_training_noise_that_buries_the_inputs_is_augmentation_too_strong() -> None:
    """Plaster-crack photos with 0.6 of noise added in the loop, five times their spread."""
    kb = load_knowledge()
    session = Session(kb)
    for fact, value in (("data.train_noise_over_input_std", 4.97),
                        ("val.rising_while_train_falls", True), ("loss.plateau", False)):
        session.set_fact(fact, value)
    top = session.report().diagnoses[0]
    assert top.cause == "augmentation_too_strong" and top.confidence >= 0.5
    assert "4.97" in top.fixes[0].text


def _named(text: str) -> list[str]:
    from dldoctor.engine.symptoms import match_symptoms, symptoms_named

    return [m.symptom for m in symptoms_named(match_symptoms(load_knowledge(), text, limit=8))]


def test_a_bare_inf_is_a_non_finite_loss_not_one_before_any_update() -> None:
    """"… then 300, 9000, a million, then inf and NaN by step 15": the finer reading (NaN
    before any update) takes the general one's place only when its phrase says more of the
    piece."""
    said = _named("the loss was 0.7 for a few batches, then 300, 9000, then inf and NaN "
                  "by step 15")
    assert "loss_nan_at_start" not in said and "loss_nan" in said
    assert "loss_nan_at_start" in _named("the loss is nan from the very first step")


def test_the_low_end_of_a_range_is_no_negative_value() -> None:
    assert _named("the inputs are all scaled to about -1..1") == []
    assert _named("inputs between -1 and 1") == []
    assert "loss_negative" in _named("the training loss is -4.7")
    assert "loss_negative" in _named("the loss went from -0.5 to 0.3")


def test_a_log_alone_reads_the_class_count_from_its_start_for_the_softmax_floor(
        tmp_path: Path) -> None:
    """A 10-class MLP ending in nn.Softmax before CrossEntropyLoss, its log alone: the loss
    starts at ln 10 and rests on ln(1 + 9/e) = 1.46 while validation accuracy is 0.999."""
    import math

    from dldoctor.probes.log_probes import curve_findings

    floor = math.log1p(9 / math.e)
    rows = []
    for i in range(50):
        loss = floor + (math.log(10) - floor) * math.exp(-i / 6) + 0.001
        rows.append(f"{10 * (i + 1)},{loss:.4f},{min(0.999, 0.15 + i / 20):.3f}")
    log = tmp_path / "train.csv"
    log.write_text("step,train_loss,val_acc\n" + "\n".join(rows) + "\n")
    found = {f.fact: f for f in curve_findings(read_logs([log]))}
    assert found["loss.rests_on_softmax_floor"].value is True
    assert "ln 10" in str(found["loss.rests_on_softmax_floor"].evidence)
    healthy = tmp_path / "healthy.csv"  # the same start, a loss that falls on to 0.02
    healthy.write_text("step,train_loss,val_acc\n" + "\n".join(
        f"{10 * (i + 1)},{0.02 + 2.28 * math.exp(-i / 6):.4f},{min(0.999, 0.15 + i / 20):.3f}"
        for i in range(50)) + "\n")
    assert "loss.rests_on_softmax_floor" not in {
        f.fact for f in curve_findings(read_logs([healthy]))}


def test_a_json_lines_log_read_as_printed_output_says_so(tmp_path: Path) -> None:
    """A truncated record and a pasted traceback in a short JSON-lines log: too many lines
    that are no JSON to skip, so the file is read line by line as printed output — and the
    report says which line was not JSON (it said nothing)."""
    import json

    lines = [json.dumps({"step": 10 * i, "loss": 2.3 - 0.01 * i}) for i in range(1, 30)]
    lines[5:5] = ['{"step": 60, "loss": ', "Traceback (most recent call last):"]
    log = tmp_path / "train.jsonl"
    log.write_text("\n".join(lines) + "\n")
    notes = _notes(log)
    assert any("line 6 is not JSON" in n and "printed output" in n for n in notes), notes
    assert len(read_logs([log]).get("loss").values) == 29  # type: ignore[union-attr]


def test_a_step_that_goes_back_is_noted_unless_it_counts_batches_per_epoch(
        tmp_path: Path) -> None:
    """A run restarted and appended to its own log; and a log whose step is the batch index
    within each epoch, which starts again every epoch by design."""
    restarted = [f"{s},{2.0 * 0.98 ** s:.4f}" for s in range(0, 100, 10)] + \
        [f"{s},{2.0 * 0.98 ** s:.4f}" for s in range(30, 200, 10)]
    log = tmp_path / "train.csv"
    log.write_text("step,loss\n" + "\n".join(restarted) + "\n")
    assert any("the step goes back from 90 to 30 at row 11" in n for n in _notes(log))
    batches = [f"{e},{b},{2.0 * 0.9 ** (e * 5 + b):.4f}" for e in range(4) for b in range(5)]
    per_epoch = tmp_path / "epochs.csv"
    per_epoch.write_text("epoch,step,loss\n" + "\n".join(batches) + "\n")
    assert not any("goes back" in n for n in _notes(per_epoch))


def test_a_loss_gone_nan_after_a_few_steps_is_no_loss_gone_to_zero() -> None:
    """A new user's "loss goes nan after a few hundred steps" read as the loss dropping to
    0.0000 quickly: NaN and zero are opposite values of the loss, not a looser wording."""
    assert _named("loss goes nan after a few hundred steps") == ["loss_nan"]
    assert "loss_zero_fast" in _named("the loss is 0.0000 after a few steps")


def test_an_accuracy_said_at_97_percent_beside_a_high_loss_is_loss_high_while_accurate(
        ) -> None:
    """The number alone said no level: "accuracy is 97% but the loss is still sitting at 1.5"
    read nothing (nn.Softmax before CrossEntropyLoss, as a new user described it)."""
    assert _named("accuracy is 97% but the loss is still sitting at 1.5") == [
        "loss_high_acc_good"]
    assert "loss_high_acc_good" not in _named("val accuracy is stuck")


def test_a_long_list_of_checks_that_found_nothing_is_cut_in_the_chat() -> None:
    """Thirty "not the case" checks of one probe filled several screens at 80x24."""
    from dldoctor.probes.base import Finding
    from dldoctor.session import ProbeRun
    from dldoctor.tui.texts import CHECKED_SHOWN, findings_markdown

    kb = load_knowledge()
    session = Session(kb)
    facts = sorted(f.id for f in kb.facts.values() if f.type == "bool")[:20]
    run = ProbeRun("log.curves", [Finding(fact, False, "") for fact in facts])
    [line] = findings_markdown(session, run).splitlines()
    assert line.endswith(f"and {20 - CHECKED_SHOWN} more (the exported report lists them).")
    assert session.fact_text(facts[0]) in line and session.fact_text(facts[-1]) not in line


def test_a_micro_batch_named_in_a_tuple_assignment_is_the_batch_size(tmp_path: Path) -> None:
    """``MICRO_BATCH, ACCUM = 2, 16`` and a loop cutting ``perm[j:j + MICRO_BATCH]``: BatchNorm
    sees two clips a pass (a millet-thresher CNN read as labels wrong, 0.40); a loop over
    time chunks ``x[:, c:c + CHUNK]`` cuts no batch."""
    from dldoctor.probes.source_scan import sliced_batch_findings

    model = tmp_path / "micro.py"
    model.write_text('''
import torch
MICRO_BATCH, ACCUM = 2, 16
CHUNK = 20
def build():
    return torch.nn.Linear(4, 2)
if __name__ == "__main__":
    x, y, model = torch.randn(64, 4), torch.randn(64, 2), build()
    for i in range(0, 64, MICRO_BATCH * ACCUM):
        for j in range(i, i + MICRO_BATCH * ACCUM, MICRO_BATCH):
            loss = ((model(x[j:j + MICRO_BATCH]) - y[j:j + MICRO_BATCH]) ** 2).mean()
            loss.backward()
    seq = torch.randn(8, 100, 4)
    for c in range(0, 100, CHUNK):
        model(seq[:, c:c + CHUNK]).sum().backward()
''')
    [found] = sliced_batch_findings(f"{model}:build")
    assert found.value == 2.0 and "MICRO_BATCH" in str(found.evidence)
