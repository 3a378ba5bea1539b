"""``dldoctor chat``: the Textual conversation over the same session as ``diagnose``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dldoctor.cli.app import app
from dldoctor.cli.options import (
    AnswersOpt,
    BatchOpt,
    BudgetOpt,
    CheckpointOpt,
    DeviceOpt,
    KbOpt,
    LangOpt,
    LogOpt,
    ModelOpt,
    SetOpt,
    SymptomOpt,
    TraceOpt,
    TrustOpt,
    TrustSessionOpt,
    make_inputs,
    make_session,
)
from dldoctor.error_texts import err
from dldoctor.errors import UsageError

if TYPE_CHECKING:
    from dldoctor.session import Session

__all__ = ["chat", "open_chat"]


def open_chat(session: Session | None = None, resume: Path | None = None,
              authoring: bool = False, kb_paths: list[Path] | None = None,
              keep_lang: bool = False) -> None:
    """Start the chat app (imports Textual only now); without a terminal, say so and exit 2
    instead of drawing into a pipe and waiting for keys that never come."""
    import sys

    for stream in (sys.stdin, sys.stdout):
        if not (stream is not None and stream.isatty()):
            name = "stdin" if stream is sys.stdin else "stdout"
            raise UsageError(err("opt.no_terminal", stream=name))
    from dldoctor.tui.app import run_app

    run_app(session=session, resume=resume, authoring=authoring, kb_paths=kb_paths or [],
            keep_lang=keep_lang)


@app.command()
def chat(
    ctx: typer.Context,
    checkpoint: CheckpointOpt = None,
    log: LogOpt = None,
    model: ModelOpt = None,
    batch: BatchOpt = None,
    symptom: SymptomOpt = None,
    answers: AnswersOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = "auto",
    kb: KbOpt = None,
    lang: LangOpt = "en",
    trust_checkpoint: TrustOpt = False,
    trust_session: TrustSessionOpt = False,
    probe_budget: BudgetOpt = None,
    trace: TraceOpt = None,
    resume: Annotated[Path | None, typer.Option(
        "--resume", metavar="PATH", help="Resume a saved session (JSON).")] = None,
    authoring: Annotated[bool, typer.Option(
        "--authoring", help="Reload the rules when rule files change.")] = False,
    example: Annotated[bool, typer.Option(
        "--example", help="Open the bundled example of a broken run (made on first use).")
    ] = False,
) -> None:
    """Open the chat with the same inputs as diagnose."""
    if example:  # what `diagnose --example` diagnoses, in the chat
        from dldoctor.example import ensure_example

        ex = ensure_example()
        checkpoint, log = checkpoint or ex.checkpoint, log or [ex.log]
        model, batch = model or ex.model, batch or ex.batch
        symptom = symptom or [ex.complaint]
    if trust_session and resume is None:
        raise UsageError(err("opt.trust_session"))
    inputs = make_inputs(checkpoint, log, model, batch, device, trust_checkpoint, trace,
                         resuming=resume is not None)
    # one builder with diagnose: a resumed session takes --log, --set and --symptom on top
    session = make_session(inputs, kb_paths=kb, lang=lang, answers=answers, sets=set_,
                           symptoms=symptom, resume=resume, probe_budget=probe_budget,
                           trust_session=trust_session)
    given = ctx.get_parameter_source("lang")  # --lang typed: it wins over the autosave's
    open_chat(session, authoring=authoring, kb_paths=kb,
              keep_lang=given is not None and given.name == "COMMANDLINE")
