"""Errors are said in the session's language: the installed CLI's one-line exit-2 errors in
``--lang zh`` hold no English sentence, and in English they are word for word what they were."""

from __future__ import annotations

import pickle
import shutil
import string
import subprocess
from pathlib import Path

import pytest

from dldoctor.error_texts import ERRORS, ErrorText, err, in_lang
from dldoctor.errors import InputError
from tests.support import forkcli
from tests.support.english import english_runs

DIAGNOSE = shutil.which("diagnose") or "diagnose"
_CJK = ("\u4e00", "\u9fff")


class Opaque:
    """A Python object in a checkpoint: loading it as data is refused."""


def _artefacts(tmp: Path) -> None:
    import torch

    (tmp / "garbage.pt").write_bytes(bytes(range(256)) * 8)
    torch.save({"model": {"w": torch.zeros(2)}, "extra": Opaque()}, tmp / "pickled.pt",
               _use_new_zipfile_serialization=False)  # a zip's tensors would be read as data
    torch.save((torch.zeros(2, 3), torch.zeros(2)), tmp / "batch.pt")
    (tmp / "columns.csv").write_text("step,colour\n1,red\n2,blue\n")
    (tmp / "session.json").write_text("[1, 2]")


# (arguments, English line after "dldoctor: error: ", words the Chinese line keeps)
CASES: dict[str, tuple[list[str], str, list[str]]] = {
    "garbage checkpoint": (
        ["--checkpoint", "garbage.pt"],
        "garbage.pt: not a checkpoint dldoctor can read (expected torch.save, TorchScript or "
        "safetensors; its first bytes match none of them)",
        ["garbage.pt", "torch.save", "safetensors"]),
    "refused pickle": (
        ["--checkpoint", "pickled.pt"],
        "pickled.pt: refused, the pickle needs more than tensors (it references "
        "tests.test_chinese_errors.Opaque) and loading it would run code from the file; pass "
        "--trust-checkpoint only if you trust where it came from",
        ["pickled.pt", "tests.test_chinese_errors.Opaque", "--trust-checkpoint"]),
    "missing log": (
        ["--log", "missing.csv"], "missing.csv: no such file or directory", ["missing.csv"]),
    "log without metrics": (  # found by the log reader while the probes run
        ["--log", "columns.csv"],
        "columns.csv: no known metric columns among step, colour (looked for loss, val_loss, "
        "acc, val_acc, lr, grad_norm and their usual spellings); rename the training loss's "
        "column to loss (and the validation one to val_loss), or leave out --log",
        ["columns.csv", "val_loss", "grad_norm"]),
    "bad --set value": (
        ["--set", "optimizer.lr=abc"],
        "optimizer.lr: 'optimizer.lr' needs a number such as 0.001 or 1e-3, not 'abc'",
        ["optimizer.lr", "'abc'", "1e-3"]),
    "bad --set form": (
        ["--set", "lr"], "--set takes FACT=VALUE, not 'lr'", ["--set", "FACT=VALUE"]),
    "bad --model": (
        ["--model", "nope.py:build", "--batch", "batch.pt"],
        "nope.py: no such file (from --model nope.py:build)", ["nope.py", "--model"]),
    "wrong session file": (
        ["--resume", "session.json"],
        "session.json: not a dldoctor session (the top level is list, not an object)",
        ["session.json", "dldoctor", "list"]),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("errors")
    _artefacts(tmp)
    return tmp


#: The case run by the installed script in a real subprocess; the others run in the warm
#: fork server (tests/support/forkcli.py), which skips the interpreter's start-up.
REAL = "garbage checkpoint"


def _run(args: list[str], lang: str, cwd: Path, real: bool) -> subprocess.CompletedProcess[str]:
    run = subprocess.run if real else forkcli.run
    return run([DIAGNOSE, *args, "--lang", lang, "--no-input", "--device", "cpu"],
               capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL, timeout=300)


@pytest.mark.parametrize("case", list(CASES))
def test_an_input_error_is_said_in_each_language(case: str, folder: Path) -> None:
    args, english, kept = CASES[case]
    en, zh = _run(args, "en", folder, case == REAL), _run(args, "zh", folder, case == REAL)
    assert (en.returncode, zh.returncode) == (2, 2), (en.stderr, zh.stderr)
    assert en.stderr == f"dldoctor: error: {english}\n"  # unchanged, one line
    line = zh.stderr.removesuffix("\n")
    assert "\n" not in line and line.startswith("dldoctor: error: "), zh.stderr
    said = line.removeprefix("dldoctor: error: ")
    assert any(_CJK[0] <= c <= _CJK[1] for c in said), said
    assert english_runs(said) == [], said
    assert all(word in said for word in kept), said


def test_every_message_has_both_languages_with_the_same_values() -> None:
    fields = string.Formatter()
    for key, text in ERRORS.items():
        names = [{f[1] for f in fields.parse(text[lang]) if f[1]} for lang in ("en", "zh")]
        assert names[0] == names[1], key
        # identifiers as values: what is left of the Chinese must be Chinese
        said = text["zh"].format(**{name: f"v_{i}" for i, name in enumerate(names[1])})
        assert english_runs(said) == [], (key, said)


def test_an_error_keeps_its_language_through_nesting_and_pickling() -> None:
    inner = err("read.folder")
    error = InputError(err("file.problem", path="runs/a.pt", problem=inner))
    assert error.message == "runs/a.pt: is a folder, not a file"
    back = pickle.loads(pickle.dumps(error))  # a probe's error from another process
    assert isinstance(back.message, ErrorText)
    assert in_lang(back, "zh") == in_lang(back.message, "zh") == "runs/a.pt：是文件夹，不是文件"
    assert in_lang("plain text", "zh") == "plain text"


def test_a_failed_probe_is_announced_in_the_session_language(folder: Path) -> None:
    """The line the chat and the interactive diagnose show for a probe whose input is bad."""
    from dldoctor.cli.prompt import announcement
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.probes.base import Inputs
    from dldoctor.session import Session

    session = Session(load_knowledge(), Inputs(logs=(folder / "columns.csv",)), lang="zh")
    runs = session.run_probes()
    failed = [run for run in runs if run.error]
    assert failed and all(run.unreadable_input for run in failed), runs
    assert failed[0].error.startswith(f"{folder / 'columns.csv'}: no known metric columns")
    line = announcement(failed[0], session)
    assert "columns.csv" in line and english_runs(line) == [], line
    session.lang = "en"
    assert "no known metric columns" in announcement(failed[0], session)


async def test_the_chat_notes_a_bad_input_in_chinese(folder: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.probes.base import Inputs
    from dldoctor.session import Session
    from dldoctor.tui.app import make_app
    from tests.test_tui_chinese import _settle, shown_text

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    session = Session(load_knowledge(), Inputs(logs=(folder / "columns.csv",)), lang="zh")
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        shown = shown_text(app)
    assert "columns.csv" in shown and "val_loss" in shown, shown
    assert english_runs(shown) == [], shown


MODEL_WITHOUT_OUTPUT = '''
import torch.nn as nn


class Silent(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(3, 1)

    def forward(self, x):
        return None
'''


def test_a_live_check_that_cannot_run_says_why_in_chinese(folder: Path) -> None:
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.probes.base import Inputs
    from dldoctor.session import Session

    (folder / "silent.py").write_text(MODEL_WITHOUT_OUTPUT)
    inputs = Inputs(model=f"{folder / 'silent.py'}:Silent", batch=folder / "batch.pt",
                    device="cpu")
    session = Session(load_knowledge(), inputs, lang="zh")
    session.run_probes()
    notes = session.report().to_json()["notes"]
    assert any("模型没有返回张量" in note for note in notes), notes
    assert all(english_runs(note) == [] for note in notes), notes
    session.lang = "en"
    assert any("the model returned no tensor" in n for n in session.report().to_json()["notes"])
