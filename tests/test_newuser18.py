"""Round 18 of a new user: an English sentence before a pasted warning ("The val loss is
stuck. I also get this warning: UserWarning: …") was read as one piece and the warning lost;
sentences end at a full stop followed by a space (not inside 0.38, e.g. or a pasted message)."""

from __future__ import annotations

import pytest

from dldoctor.engine.symptoms import split_complaint
from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session

WARNING = ("UserWarning: Using a target size (torch.Size([128])) that is different to the "
           "input size (torch.Size([128, 1])). This will likely lead to incorrect results due "
           "to broadcasting. Please ensure they have the same size.")


@pytest.mark.parametrize("before", ["The val loss is stuck.", "val loss stuck around 0.38."])
def test_a_warning_pasted_after_a_sentence_is_read(before: str) -> None:
    session = Session(load_knowledge(), lang="en")
    taken = session.complain(f"{before} I also get this warning: {WARNING}")
    assert "broadcast_warning" in {m.symptom for m in taken.symptoms}, taken


def test_sentences_split_at_a_full_stop_not_inside_numbers_or_messages() -> None:
    pieces = split_complaint(f"val loss stuck around 0.38. I also get this warning: {WARNING}")
    assert len(pieces) == 2 and pieces[0] == "val loss stuck around 0.38"
    assert "this will likely lead" in pieces[1]  # the message is kept whole
    assert len(split_complaint("the loss rises, e.g. from 0.5 to 3")) == 2


@pytest.mark.parametrize("said", ["I did not normalize them", "输入没有归一化",
                                  "I did not scale the features"])
def test_saying_the_inputs_are_raw_is_taken_as_the_fact(said: str) -> None:
    """User 18 wrote "I did not normalize them" and "输入没有归一化": the report still asked
    whether the inputs were normalised."""
    session = Session(load_knowledge(), lang="en")
    taken = session.complain(said)
    assert [m.symptom for m in taken.symptoms] == ["said_inputs_raw"], taken


@pytest.mark.parametrize("said", ["I normalized the inputs", "输入已经归一化了",
                                  "inputs are normalised to zero mean and unit variance"])
def test_saying_the_opposite_of_a_statement_is_not_that_statement(said: str) -> None:
    """A statement asserts a fact: its flip is the opposite fact, not a weak reading of it."""
    session = Session(load_knowledge(), lang="en")
    assert "said_inputs_raw" not in {m.symptom for m in session.complain(said).symptoms}


@pytest.mark.parametrize("said", ["I did call zero_grad", "I call zero_grad every step",
                                  "我每一步都调用了 zero_grad",
                                  "I call model.train() at the start of every epoch"])
def test_saying_a_call_is_there_is_not_saying_it_is_missing(said: str) -> None:
    """User 18 wrote "I did call zero_grad" and was taken to say it was missing: "forgot" and
    "missing" deny what they govern, as a negation does."""
    session = Session(load_knowledge(), lang="en")
    taken = {m.symptom for m in session.complain(said).symptoms}
    assert not taken & {"said_grads_not_zeroed", "said_trained_in_eval_mode"}, taken


@pytest.mark.parametrize("said,symptom", [("I forgot to call zero_grad", "said_grads_not_zeroed"),
                                          ("漏掉了 zero_grad", "said_grads_not_zeroed"),
                                          ("I never call zero_grad", "said_grads_not_zeroed"),
                                          ("I forgot model.train()", "said_trained_in_eval_mode")])
def test_saying_a_call_is_missing_is_still_taken(said: str, symptom: str) -> None:
    session = Session(load_knowledge(), lang="en")
    assert [m.symptom for m in session.complain(said).symptoms] == [symptom]
