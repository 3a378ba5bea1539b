"""Options shared by ``diagnose`` and ``chat``, and turning them into a session."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import typer

from dldoctor.errors import InputError, UsageError
from dldoctor.probes.base import Inputs

__all__ = [
    "CheckpointOpt", "LogOpt", "ModelOpt", "BatchOpt", "SymptomOpt", "AnswersOpt", "SetOpt",
    "DeviceOpt", "KbOpt", "LangOpt", "TrustOpt", "TraceOpt", "make_inputs", "parse_sets",
    "make_session",
]

CheckpointOpt = Annotated[Path | None, typer.Option(
    "--checkpoint", "-c", help="torch.save / Lightning .ckpt / TorchScript / safetensors "
    "file, sharded *.index.json, or a folder of these.")]
LogOpt = Annotated[list[Path] | None, typer.Option(
    "--log", "-l", help="Metrics log: CSV, JSON-lines or TensorBoard event file/dir. Repeatable.")]
ModelOpt = Annotated[str | None, typer.Option(
    "--model", "-m", help="FILE.py:FACTORY or MODULE:FACTORY building the nn.Module "
    "(runs your code; enables the live probes).")]
BatchOpt = Annotated[Path | None, typer.Option(
    "--batch", "-b", help='torch file holding (inputs, targets) or {"inputs":…, "targets":…}.')]
SymptomOpt = Annotated[list[str] | None, typer.Option(
    "--symptom", "-s", help='What you see, in your words: "loss 变成 nan". Repeatable.')]
AnswersOpt = Annotated[Path | None, typer.Option(
    "--answers", help="YAML file of fact: value answers given up front.")]
SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", help="FACT=VALUE, e.g. --set optimizer.kind=sgd. Repeatable.")]
DeviceOpt = Annotated[str, typer.Option(
    "--device", help="Where live probes run: auto, cpu or cuda.")]
KbOpt = Annotated[list[Path] | None, typer.Option(
    "--kb", help="A team rule folder or file on top of the built-in rules. Repeatable.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of questions and report: en or zh.")]
TrustOpt = Annotated[bool, typer.Option(
    "--trust-checkpoint", help="Allow full pickle loading of the checkpoint. This RUNS CODE "
    "from the file: only for files you made yourself.")]
TraceOpt = Annotated[Path | None, typer.Option(
    "--trace", help="A training trace written by dldoctor.watch or its callbacks.")]

_MODEL = re.compile(r"^[^:]+:[A-Za-z_][A-Za-z0-9_]*$")


def make_inputs(
    checkpoint: Path | None, logs: list[Path] | None, model: str | None, batch: Path | None,
    device: str, trust: bool, trace: Path | None = None,
) -> Inputs:
    """Check the inputs exist and are of the right form; build :class:`Inputs`."""
    if device not in ("auto", "cpu", "cuda"):
        raise UsageError(f"--device must be auto, cpu or cuda, not {device!r}")
    for path in [p for p in (checkpoint, batch, trace, *(logs or [])) if p is not None]:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
    if model is not None:
        if not _MODEL.match(model):
            raise UsageError(f"--model must be FILE.py:FACTORY or MODULE:FACTORY, not {model!r}")
        file_part = model.rsplit(":", 1)[0]
        if file_part.endswith(".py") and not Path(file_part).is_file():
            raise InputError(f"{file_part}: no such file (from --model {model})")
    if (model is None) != (batch is None):
        given, missing = ("--model", "--batch") if batch is None else ("--batch", "--model")
        raise UsageError(f"{given} needs {missing} too: the live probes run the model on a batch")
    dev: Literal["auto", "cpu", "cuda"] = device  # type: ignore[assignment]
    return Inputs(checkpoint, tuple(logs or ()), model, batch, dev, trust, trace)


def parse_sets(pairs: list[str] | None) -> list[tuple[str, str]]:
    out = []
    for pair in pairs or []:
        if "=" not in pair:
            raise UsageError(f"--set takes FACT=VALUE, not {pair!r}")
        key, value = pair.split("=", 1)
        out.append((key.strip(), value.strip()))
    return out


def make_session(
    inputs: Inputs, *, kb_paths: list[Path] | None, lang: str, answers: Path | None,
    sets: list[str] | None, symptoms: list[str] | None, resume: Path | None = None,
):  # noqa: ANN201 - returns a Session; imported lazily to keep start-up light
    """Load the knowledge base and build a session with everything given up front."""
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    if lang not in ("en", "zh"):
        raise UsageError(f"--lang must be en or zh, not {lang!r}")
    kb = load_knowledge(kb_paths or [])
    if resume is not None:
        import dataclasses

        session = Session.load(kb, resume)
        session.lang = lang  # type: ignore[assignment]
        if inputs != Inputs(device=inputs.device, trust=inputs.trust):  # new artefacts given
            session.inputs = dataclasses.replace(inputs)
    else:
        session = Session(kb, inputs, lang=lang)  # type: ignore[arg-type]
    if answers is not None:
        if not answers.is_file():
            raise InputError(f"{answers}: no such answers file")
        session.load_answers(answers)
    for key, value in parse_sets(sets):
        session.set_fact(key, value)
    for text in symptoms or []:
        if not session.complain(text):
            import sys

            print(f"dldoctor: no symptom matches {text!r}; see `dldoctor kb list --symptoms`",
                  file=sys.stderr)
    return session
