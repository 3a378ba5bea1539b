"""``dldoctor diagnose``: the engine, non-interactive by default in scripts and CI."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from dldoctor.cli.app import ExitCode, app
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
    logs_beside,
    make_inputs,
    make_session,
    no_symptom_note,
    report_only_on_stdout,
)
from dldoctor.error_texts import err
from dldoctor.errors import InputError, UsageError, printable

__all__ = ["diagnose", "report_width"]


@app.command(epilog=(
    "Exit status: 0 when no fault is established, 1 when one is, 2 for input it cannot use "
    "or when nothing was examined (one line on stderr). Log columns are read by name: "
    "loss / train_loss / mse_train, val_loss / eval_loss / mse_val, val_acc, lr, grad_norm "
    "and their usual spellings; unread columns are listed in the report's notes."))
def diagnose(
    checkpoint: CheckpointOpt = None,
    log: LogOpt = None,
    model: ModelOpt = None,
    batch: BatchOpt = None,
    symptom: SymptomOpt = None,
    answers: AnswersOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = "auto",
    format_: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text, json or markdown.")
    ] = "text",
    json_: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Ask nothing; list the questions it would have asked.")] = False,
    kb: KbOpt = None,
    lang: LangOpt = "en",
    trust_checkpoint: TrustOpt = False,
    trust_session: TrustSessionOpt = False,
    trace: TraceOpt = None,
    example: Annotated[bool, typer.Option(
        "--example", help="Diagnose the bundled example of a broken run (made on first use).")
    ] = False,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Show the rules behind each diagnosis (text format).")] = False,
    save_session: Annotated[Path | None, typer.Option(
        "--save-session", metavar="PATH",
        help="Write the session (answers, probe results) to this JSON file.")
    ] = None,
    resume: Annotated[Path | None, typer.Option(
        "--resume", metavar="PATH",
        help="Continue a saved session (--save-session or the chat's autosave).")
    ] = None,
    probe_budget: BudgetOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite the --save-session file if it exists.")] = False,
    why_not: Annotated[list[str] | None, typer.Option(
        "--why-not", metavar="CAUSE",
        help="Explain why CAUSE was not concluded (or how far it got; the causes: dldoctor kb "
             "list --causes). Repeatable.")
    ] = None,
) -> None:
    """Diagnose a training run from its checkpoint, logs, model and complaints."""
    if json_ and format_ not in ("text", "json"):
        raise UsageError(err("opt.json_format", value=format_))
    format_ = "json" if json_ else format_
    if format_ not in ("text", "json", "markdown"):
        allowed = err("or3", a="text", b="json", c="markdown")
        raise UsageError(err("opt.format", allowed=allowed, value=format_))
    if example:
        from dldoctor.example import ensure_example

        ex = ensure_example()
        checkpoint = checkpoint or ex.checkpoint
        log = log or [ex.log]
        model, batch = model or ex.model, batch or ex.batch
        symptom = symptom or [ex.complaint]
    if save_session is not None and save_session.is_dir():  # a folder: the file goes in it
        save_session = save_session / "dldoctor-session.json"
        print(f"dldoctor: note: {err('note.save_in_folder', path=save_session).in_lang(lang)}",
              file=sys.stderr)
    if save_session is not None and save_session.exists() and not force:
        raise UsageError(err("opt.save_exists", path=save_session))
    if save_session is not None and (why := _unwritable(save_session)):  # before the probes run
        raise UsageError(err("opt.save_unwritable", path=save_session, reason=why))
    # --batch alone: make_inputs says that it needs --model (it was "nothing to diagnose")
    if not any([checkpoint, log, model, batch, symptom, answers, set_, resume, trace]):
        raise UsageError(err("opt.nothing"))
    if trust_session and resume is None:
        raise UsageError(err("opt.trust_session"))
    inputs = make_inputs(checkpoint, log, model, batch, device, trust_checkpoint, trace,
                         resuming=resume is not None)
    interactive = not no_input and sys.stdin.isatty()
    from dldoctor.cli.prompt import choose_symptom, converse, run_probes_with_progress

    unmatched: list[str] = []
    session = make_session(inputs, kb_paths=kb, lang=lang, answers=answers, sets=set_,
                           symptoms=symptom, resume=resume, probe_budget=probe_budget,
                           trust_session=trust_session,
                           choose=choose_symptom if interactive else None, unmatched=unmatched)
    for text in unmatched if interactive else []:  # said before the questions
        print(f"dldoctor: {no_symptom_note(session, text)}", file=sys.stderr)
    session.check_causes(why_not or [])  # exit 2 before any probe runs
    if example:  # said once the command line is known to be good: what the example is
        about = err("note.example", path=ex.root, complaint=ex.complaint)
        print(f"dldoctor: {about.in_lang(lang)}", file=sys.stderr)
    # stdout redirected carries the report alone: what the user's model file prints when it
    # is imported or built goes to stderr with the rest of the conversation
    with report_only_on_stdout():
        if interactive:
            converse(session)
        else:
            run_probes_with_progress(session)
    unreadable = session.unreadable_inputs()
    if unreadable:  # contract: unreadable input is exit 2 with a one-line reason
        raise InputError(unreadable[0])
    if save_session is not None:
        try:
            session.save(save_session)
        except OSError as exc:  # it was a traceback
            raise UsageError(err("opt.save_unwritable", path=save_session,
                                 reason=exc.strerror or type(exc).__name__)) from None
    report = session.report(why_not or [])
    if format_ == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    elif format_ == "markdown":
        from dldoctor.render import render_markdown

        print(printable(render_markdown(report, session)))
    else:
        from dldoctor.render import render_text

        print(printable(render_text(report, width=report_width(), verbose=explain,
                                    session=session)), end="")
    from dldoctor.render import why_not_lines

    for w in report.why_not if format_ != "json" else []:
        print()
        width = report_width() if format_ == "text" else None  # Markdown keeps its lines whole
        print("\n".join(why_not_lines(session, w.cause, session.why_not(w.cause), width)))
    if report.nothing_examined:  # no verdict: exit 0 would read "healthy" to a script
        told = [t for t in unmatched if session.questions_in(t)[0]]  # said, not only asked
        why = ""
        if told:
            why = err("opt.nothing_examined_why", texts=", ".join(map(repr, told))).in_lang(lang)
        elif unmatched:  # every unmatched text only asked a question
            why = err("opt.nothing_examined_asked").in_lang(lang)
        raise UsageError(err("opt.nothing_examined", why=why))
    for text in [] if interactive else unmatched:
        print(f"dldoctor: {no_symptom_note(session, text)}", file=sys.stderr)
    if not log and resume is None and session.inputs.logs:  # found by dldoctor: say which
        names = ", ".join(str(p) for p in session.inputs.logs)
        print(f"dldoctor: {err('note.log_found', names=names).in_lang(lang)}", file=sys.stderr)
    beside = logs_beside(session.inputs)
    if beside:  # `--checkpoint run/` with the run's own CSV in it read nothing else
        names = ", ".join(p.name for p in beside)
        print(f"dldoctor: {err('note.log_beside', names=names, first=beside[0]).in_lang(lang)}",
              file=sys.stderr)
    raise typer.Exit(ExitCode.DIAGNOSED if report.faults else ExitCode.HEALTHY)


def report_width() -> int:
    """The text report's width: a terminal narrower than 88 columns gets lines that fit it;
    pipes and files get 88."""
    import shutil

    width = min(88, shutil.get_terminal_size((88, 24)).columns - 1) \
        if sys.stdout.isatty() else 88
    return max(40, width)


def _unwritable(path: Path) -> str:
    """Why the session file ``path`` could not be written (its folder is made), or ''."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"no permission to write in {folder}"
    return ""
