"""Resuming a session is reading data: no trust, no model import, unless asked for now."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dldoctor.cli.options import make_inputs, make_session, merge_inputs
from dldoctor.errors import InputError, UsageError
from dldoctor.probes.base import Inputs


def _saved(tmp_path: Path, **inputs: object) -> Path:
    model = tmp_path / "model.py"
    model.write_text("raise SystemExit('imported')\n")
    batch = tmp_path / "batch.pt"
    batch.write_bytes(b"not read here")
    data = {"schema": "dldoctor.session/1", "lang": "en",
            "inputs": {"checkpoint": None, "logs": [], "model": f"{model}:make",
                       "batch": str(batch), "device": "cpu", "trust": True, **inputs},
            "given": {"optimizer.lr": 0.001}, "answers": [], "skipped": [], "probe_runs": []}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    return path


def _resume(path: Path, inputs: Inputs, trust_session: bool = False):  # noqa: ANN202
    return make_session(inputs, kb_paths=None, lang="en", answers=None, sets=None,
                        symptoms=None, resume=path, trust_session=trust_session)


def test_resume_keeps_data_and_drops_trust_and_model(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    session = _resume(_saved(tmp_path), Inputs(device="auto"))
    assert session.inputs.trust is False and session.inputs.model is None
    assert session.inputs.batch == tmp_path / "batch.pt"  # data stays
    assert session.given["optimizer.lr"] == pytest.approx(1e-3)
    note = capsys.readouterr().err.strip().splitlines()
    assert len(note) == 1 and "not imported" in note[0] and "--trust-session" in note[0]


def test_trust_session_restores_the_model_but_never_trust(tmp_path: Path) -> None:
    session = _resume(_saved(tmp_path), Inputs(), trust_session=True)
    assert session.inputs.model == f"{tmp_path / 'model.py'}:make"
    assert session.inputs.trust is False


def test_this_command_line_wins_over_the_session(tmp_path: Path) -> None:
    other = tmp_path / "other.py"
    other.write_text("def make():\n    return None\n")  # a factory the command line names
    inputs = make_inputs(None, None, f"{other}:make", None, "cpu", True, resuming=True)
    session = _resume(_saved(tmp_path), inputs)
    assert session.inputs.model == f"{other}:make" and session.inputs.trust is True
    assert session.inputs.batch == tmp_path / "batch.pt"  # taken from the session


def test_merge_needs_both_model_and_batch() -> None:
    with pytest.raises(UsageError, match="--batch"):
        merge_inputs(Inputs(), Inputs(model="m.py:make"))
    assert merge_inputs(Inputs(trust=True), Inputs()).trust is False


@pytest.mark.parametrize(("inputs", "field"), [
    ({"trust": "yes please"}, "inputs.trust"),
    ({"device": "tpu"}, "inputs.device"),
    ({"logs": "a.csv"}, "inputs.logs"),
])
def test_a_wrong_field_is_named(tmp_path: Path, inputs: dict, field: str) -> None:
    with pytest.raises(InputError, match=f"s.json: field {field}"):
        _resume(_saved(tmp_path, **inputs), Inputs())


def test_a_session_cannot_drive_the_terminal(tmp_path: Path) -> None:
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    kb = load_knowledge([])
    saved = Session(kb)
    saved.complain("loss is nan")
    data = saved.to_json()
    data["answers"][0]["text"] = "\x1b]0;pwned\x07\x1b[2Jloss is nan"
    data["probe_runs"] = [{"probe": "log.curves", "findings": [], "error": None,
                           "notes": ["\x1b[31mred\x1b[0m"], "seconds": 0.1}]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    loaded = Session.load(kb, path)
    text = json.dumps(loaded.to_json(), ensure_ascii=False)
    assert "\x1b" not in text and "\x07" not in text
    assert loaded.answers[0].text.endswith("loss is nan")


def test_a_new_artefact_drops_the_runs_that_measured_the_old_one(tmp_path: Path) -> None:
    path = _saved(tmp_path, model=None, batch=None, checkpoint=str(tmp_path / "old.pt"))
    data = json.loads(path.read_text())
    data["probe_runs"] = [{"probe": "checkpoint.weights", "findings": [
        {"fact": "weights.non_finite", "value": True, "evidence": "old file"}]}]
    path.write_text(json.dumps(data))
    kept = _resume(path, Inputs())
    assert "checkpoint.weights" in kept.probe_runs
    new = tmp_path / "new.pt"
    new.write_bytes(b"")
    replaced = _resume(path, Inputs(checkpoint=new))
    assert replaced.probe_runs == {} and replaced.inputs.checkpoint == new
