"""A checkpoint the reader refuses is attached but tells nothing: the chat's header marks it
(a new user had read the header as "it was read"); a payload inside an otherwise readable
checkpoint is named in a note, never run."""

from __future__ import annotations

from pathlib import Path

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.session import Session
from dldoctor.tui.texts import inputs_summary


def test_the_header_marks_a_checkpoint_its_reader_refused(tmp_path: Path) -> None:
    bad = tmp_path / "notes.pt"
    bad.write_text("this is a text file, not a checkpoint\n")
    log = tmp_path / "train.csv"
    log.write_text("step,loss\n" + "".join(f"{i},{2.0 - i * 0.01}\n" for i in range(30)))
    session = Session(load_knowledge(), Inputs(checkpoint=bad, logs=[log]))
    run = session.run_probe("checkpoint.weights")
    assert run.unreadable_input and run.error
    assert session.refused_files() == {str(bad)}
    summary = inputs_summary(session.inputs, "en", None, session.refused_files())
    assert summary == "checkpoint notes.pt ✗ · log train.csv"
    # fitted into a narrow header, the mark stays with its (shortened) name
    narrow = inputs_summary(session.inputs, "en", 18, session.refused_files())
    assert narrow.split(" · ")[0].endswith(" ✗") and not narrow.split(" · ")[1].endswith("✗")
