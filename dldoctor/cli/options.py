"""Options shared by ``diagnose`` and ``chat``, and turning them into a session."""

from __future__ import annotations

import ast
import contextlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from dldoctor.error_texts import err, set_lang
from dldoctor.errors import InputError, UsageError

if TYPE_CHECKING:  # the session (and the engine) are imported when a command runs
    from dldoctor.session import Inputs, NeedsChoice, Session, SymptomMatch

__all__ = [
    "CheckpointOpt", "LogOpt", "ModelOpt", "BatchOpt", "SymptomOpt", "AnswersOpt", "SetOpt",
    "DeviceOpt", "KbOpt", "LangOpt", "TrustOpt", "BudgetOpt", "TrustSessionOpt", "TraceOpt",
    "no_symptom_note",
    "make_inputs", "merge_inputs", "parse_sets", "make_session", "report_only_on_stdout",
]

CheckpointOpt = Annotated[Path | None, typer.Option(
    "--checkpoint", "-c", metavar="PATH",
    help="torch.save / Lightning .ckpt / TorchScript / safetensors "
    "file, sharded *.index.json, or a folder of these.")]
LogOpt = Annotated[list[Path] | None, typer.Option(
    "--log", "-l", metavar="PATH",
    help="Metrics log: CSV, JSON-lines, TensorBoard event file/dir, HF trainer_state.json, "
    "or the printed output of a training loop (python train.py | tee out.log). Repeatable.")]
ModelOpt = Annotated[str | None, typer.Option(
    "--model", "-m", metavar="FILE:FACTORY",
    help="FILE.py:FACTORY or MODULE:FACTORY building the nn.Module "
    "(runs your code; enables the live probes).")]
BatchOpt = Annotated[Path | None, typer.Option(
    "--batch", "-b", metavar="PATH",
    help='torch file holding (inputs, targets) or {"inputs":…, "targets":…}; forward()\'s '
         'other tensors under their argument names (or (inputs, …, targets)).')]
SymptomOpt = Annotated[list[str] | None, typer.Option(
    "--symptom", "-s", metavar="TEXT",
    help='What you see, in your words: "loss 变成 nan". Repeatable.')]
AnswersOpt = Annotated[Path | None, typer.Option(
    "--answers", metavar="PATH", help="YAML file of fact: value answers given up front.")]
SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", metavar="FACT=VALUE", help="FACT=VALUE, e.g. --set optimizer.kind=sgd (the facts: "
    "dldoctor kb list --facts). Repeatable.")]
DeviceOpt = Annotated[str, typer.Option(
    "--device", metavar="DEVICE", help="Where live probes run: auto, cpu or cuda.")]
KbOpt = Annotated[list[Path] | None, typer.Option(
    "--kb", metavar="PATH",
    help="A team rule folder or file on top of the built-in rules. Repeatable.")]
LangOpt = Annotated[str, typer.Option("--lang", metavar="LANG", callback=set_lang,
help="Language of questions and report: en or zh.")]
TrustOpt = Annotated[bool, typer.Option(
    "--trust-checkpoint", help="Allow full pickle loading of the checkpoint. This RUNS CODE "
    "from the file: only for files you made yourself.")]
BudgetOpt = Annotated[float | None, typer.Option(
    "--probe-budget", metavar="SECONDS", help="Wall-time limit of each live check (default "
    "120). The checks run a fixed number of steps; past the limit a check reports 'not "
    "measured', never a different result.")]
TrustSessionOpt = Annotated[bool, typer.Option(
    "--trust-session", help="With --resume: import the --model the session file names. This "
    "RUNS CODE: only for sessions you saved yourself.")]
TraceOpt = Annotated[Path | None, typer.Option(
    "--trace", metavar="PATH", help="A training trace written by dldoctor.watch or its "
    "callbacks.")]

_MODEL = re.compile(r"^[^:]+:[A-Za-z_][A-Za-z0-9_]*$")


#: what a training loop's own metrics log is usually saved as
_LOG_SUFFIXES = (".csv", ".tsv", ".jsonl", ".log")


def logs_beside(inputs: Inputs) -> list[Path]:
    """With a checkpoint but no log (none given, none found), the files beside the checkpoint
    that look like a metrics log (at most three): ``--checkpoint run/`` holding ``run/history.csv``
    read the weights only and said "No problem found"."""
    checkpoint = inputs.checkpoint
    if checkpoint is None or inputs.logs or inputs.trace is not None:
        return []
    folder = checkpoint if checkpoint.is_dir() else checkpoint.parent
    found: list[Path] = []
    try:
        for count, entry in enumerate(folder.iterdir()):
            if count >= 1000:
                break
            if entry.suffix.lower() in _LOG_SUFFIXES and entry.is_file():
                found.append(entry)
    except OSError:
        return []
    return sorted(found)[:3]


def _top_level_names(tree: ast.Module) -> set[str] | None:
    """The names a module binds at its top level (in ``if``/``try``/``with`` blocks too);
    None when it may bind any name (``from … import *`` or a module ``__getattr__``)."""
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any(alias.name == "*" for alias in node.names):
                return None
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        for field in ("body", "orelse", "finalbody", "handlers"):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                pending.extend(getattr(node, field, []) or [])
    return None if "__getattr__" in names else names


def _check_factory_defined(file: Path, name: str, model: str) -> None:
    """Refuse ``--model FILE.py:NAME`` whose file binds no top-level NAME, read without
    running it; a file that cannot be read or parsed is left to the model loader's own
    message."""
    try:
        tree = ast.parse(file.read_text("utf-8"), str(file))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return
    names = _top_level_names(tree)
    if names is None or name in names:
        return
    callables = sorted(n.name for n in tree.body
                       if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and
                       not n.name.startswith("_"))
    raise InputError(err("model.no_factory", file=file, name=name, model=model,
                         defined=", ".join(callables[:8]) or "-"))


def make_inputs(
    checkpoint: Path | None, logs: list[Path] | None, model: str | None, batch: Path | None,
    device: str, trust: bool, trace: Path | None = None, *, resuming: bool = False,
) -> Inputs:
    """Check the inputs exist and are of the right form; build :class:`Inputs`."""
    if device not in ("auto", "cpu", "cuda"):
        raise UsageError(err("opt.device", device=device))
    for path in [p for p in (checkpoint, batch, trace, *(logs or [])) if p is not None]:
        if not path.exists():
            raise InputError(err("file.dangling_link" if path.is_symlink() else "file.missing",
                                 path=path))
    if batch is not None and batch.is_dir():  # it said only "is a folder, not a file"
        raise InputError(err("batch.folder", path=batch))
    from dldoctor.session import Inputs, check_named_input, resolve_logs  # torch-free

    for named, role in [(checkpoint, "checkpoint"), (batch, "batch"),
                        *((p, "log") for p in logs or [])]:
        if named is not None:
            check_named_input(named, role)
    if model is not None:
        if not _MODEL.match(model):
            raise UsageError(err("opt.model_form", model=model))
        file_part, name = model.rsplit(":", 1)
        if file_part.endswith(".py") and not Path(file_part).is_file():
            raise InputError(err("model.missing_file", file=file_part, model=model))
        if file_part.endswith(".py"):  # said now, not after the other probes ran
            _check_factory_defined(Path(file_part), name, model)
    if (model is None) != (batch is None) and not resuming:  # a session may hold the other
        given, missing = ("--model", "--batch") if batch is None else ("--batch", "--model")
        raise UsageError(err("opt.needs_too", given=given, missing=missing))
    dev: Literal["auto", "cpu", "cuda"] = device  # type: ignore[assignment]
    found = resolve_logs(checkpoint, list(logs or ()))  # a library's run folder: its own logs
    return Inputs(checkpoint, tuple(found), model, batch, dev, trust, trace)


def merge_inputs(saved: Inputs, given: Inputs) -> Inputs:
    """A resumed session's inputs with what this command line names on top.

    ``trust`` and ``device`` always come from this command line, never from the file.
    """
    from dldoctor.session import Inputs

    merged = Inputs(
        checkpoint=given.checkpoint or saved.checkpoint,
        logs=given.logs or saved.logs,
        model=given.model or saved.model,
        batch=given.batch or saved.batch,
        device=given.device,
        trust=given.trust,
        trace=given.trace or saved.trace,
    )
    if (merged.model is None) != (merged.batch is None) and (given.model or given.batch):
        missing = "--batch" if merged.batch is None else "--model"
        raise UsageError(err("opt.session_needs", missing=missing))
    return merged


def parse_sets(pairs: list[str] | None) -> list[tuple[str, str]]:
    out = []
    for pair in pairs or []:
        if "=" not in pair:
            raise UsageError(err("opt.set_form", pair=pair))
        key, value = pair.split("=", 1)
        out.append((key.strip(), value.strip()))
    return out


def make_session(
    inputs: Inputs, *, kb_paths: list[Path] | None, lang: str, answers: Path | None,
    sets: list[str] | None, symptoms: list[str] | None, resume: Path | None = None,
    probe_budget: float | None = None,
    trust_session: bool = False,
    choose: Callable[[Session, NeedsChoice], SymptomMatch | None] | None = None,
    unmatched: list[str] | None = None,
) -> Session:
    """Load the knowledge base and build a session with everything given up front: the one
    builder of ``diagnose`` and ``chat``, resumed or not (``--log``, ``--set``, ``--symptom``
    apply on top of a resumed session in both).

    ``choose`` puts a close call of a ``--symptom`` to the person (interactive ``diagnose``);
    without it, each piece of a complaint takes its best match. A complaint no symptom
    matches is noted on stderr, or added to ``unmatched`` for the caller to say.
    """
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import NeedsChoice, Session, Taken

    if lang not in ("en", "zh"):
        raise UsageError(err("opt.lang", lang=lang))
    if probe_budget is not None and not probe_budget > 0:
        raise UsageError(err("opt.budget", budget=probe_budget))
    kb = load_knowledge(kb_paths or [])
    if resume is not None:
        session = Session.load(kb, resume, restore_model=trust_session)
        session.lang = lang  # type: ignore[assignment]
        session.with_inputs(merge_inputs(session.inputs, inputs))
        if session.left_out:  # the rules changed since it was saved
            note = err("note.left_out", path=resume, n=len(session.left_out),
                       keys=", ".join(session.left_out[:5]))
            print(f"dldoctor: note: {note.in_lang(lang)}", file=sys.stderr)
        if session.withheld_model and inputs.model is None:
            note = err("note.withheld_model", path=resume, model=session.withheld_model)
            print(f"dldoctor: note: {note.in_lang(lang)}", file=sys.stderr)
    else:
        session = Session(kb, inputs, lang=lang)  # type: ignore[arg-type]
    if answers is not None:
        if answers.is_dir():
            raise InputError(err("file.problem", path=answers, problem=err("read.folder")))
        if not answers.is_file():
            raise InputError(err("opt.answers_missing", path=answers))
        session.load_answers(answers)
    session.probe_budget = probe_budget
    for key, value in parse_sets(sets):
        session.set_fact(key, value)
    for text in symptoms or []:
        step = session.complain(text, ask=choose is not None)
        if step == Taken(()) and unmatched is not None:
            unmatched.append(text)
        elif step == Taken(()):
            print(f"dldoctor: {no_symptom_note(session, text)}", file=sys.stderr)
        while choose is not None and isinstance(step, NeedsChoice):
            step = session.choose(step, choose(session, step))
    return session


def report_only_on_stdout() -> contextlib.AbstractContextManager[object]:
    """While the probes run (and the user's model file is imported), send what is printed to
    stderr when stdout is a file or pipe: there it carries the report alone."""
    if sys.stdout.isatty():
        return contextlib.nullcontext()
    return contextlib.redirect_stdout(sys.stderr)


def no_symptom_note(session: Session, text: str) -> str:
    """The line for a complaint that matched no symptom, with the three nearest to it; for
    one that only asked a yes/no question, that a question is no evidence."""
    rest, asked = session.questions_in(text)
    if asked and not rest:
        return str(err("note.question_heard", text=" ".join(asked)).in_lang(session.lang))
    near = "; ".join(f"“{e}”" for e in session.symptom_examples(text, limit=3))
    key = "note.no_symptom_near" if near else "note.no_symptom"
    return str(err(key, text=text, near=near).in_lang(session.lang))
