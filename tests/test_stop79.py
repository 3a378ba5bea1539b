"""Stop 79: what a model file has answered is not asked again."""

from __future__ import annotations

from dldoctor.engine.memory import Fact
from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session


def _open_facts(session: Session) -> set[str]:
    return {q.fact for q in session.open_questions(limit=200)}


def test_a_loop_batch_size_read_from_the_model_file_is_not_asked() -> None:
    """A BatchNorm run whose loop cuts batches of 2 was asked 'What batch size do you train
    with?' and 'Is your batch size smaller than 16?'."""
    asked = {"setup.batch_size", "setup.batch_small"}
    session = Session(load_knowledge())
    session.add_symptom("acc_plateau")
    assert asked <= _open_facts(session)
    session.engine.add_fact(Fact("src.batch_size", 2.0, "probed", "probe:live.forward"))
    session.engine.run()
    assert not asked & _open_facts(session)
