"""The ``dldoctor`` command line: ``diagnose``, ``chat``, ``kb …``; no arguments opens the chat.

Start-up is kept light: the engine (pydantic models, rule loading) and torch are imported by
the commands that use them, so ``dldoctor --help`` imports neither; the ``kb`` commands are
mounted when ``kb`` is invoked.
"""

from __future__ import annotations

import importlib
import sys
from enum import IntEnum, unique
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from dldoctor import __version__
from dldoctor.error_texts import current_lang, in_lang
from dldoctor.errors import DldoctorError, one_line, printable, problem_text

if TYPE_CHECKING:
    from dldoctor.kbtools import KBError

__all__ = ["app", "main", "diagnose_main", "ExitCode", "KbExit"]


@unique
class ExitCode(IntEnum):
    """Exit status of ``diagnose``, ``chat`` and ``trial`` (contract.md)."""

    HEALTHY = 0  # no problem found
    DIAGNOSED = 1  # at least one established diagnosis
    BAD_INPUT = 2  # bad usage or unreadable input (one line on stderr)
    INTERRUPTED = 130  # ctrl+c


@unique
class KbExit(IntEnum):
    """Exit status of the ``kb`` commands (contract.md)."""

    CLEAN = 0
    FAILED = 1  # kb lint found errors, kb test had failures
    BAD_INPUT = 2


#: Command groups imported on first use: name → (module, Typer attribute, one-line help).
_LAZY_GROUPS = {"kb": ("dldoctor.cli.kb", "app", "Validate, test, list and draw the rules.")}


class _LazyGroup(TyperGroup):
    """The root command: mounts the groups of :data:`_LAZY_GROUPS` when they are invoked and
    lists them in the help from their one-line help alone."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return names + [n for n in _LAZY_GROUPS if n not in names]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in _LAZY_GROUPS and cmd_name not in self.commands:
            module, attr, text = _LAZY_GROUPS[cmd_name]
            command = typer.main.get_command(getattr(importlib.import_module(module), attr))
            command.name, command.help = cmd_name, command.help or text
            self.commands[cmd_name] = command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        stand_ins = {n: TyperCommand(name=n, help=text) for n, (_, _, text)
                     in _LAZY_GROUPS.items() if n not in self.commands}
        self.commands.update(stand_ins)
        try:
            super().format_commands(ctx, formatter)
        finally:
            for name in stand_ins:
                if self.commands.get(name) is stand_ins[name]:
                    del self.commands[name]


app = typer.Typer(
    name="dldoctor",
    cls=_LazyGroup,
    help="Tells you why your deep-learning training does not work and what to change.\n\n"
         "With no command it opens the chat, where you describe the problem in your own "
         "words; its options work here too (dldoctor --lang zh for Chinese, dldoctor "
         "--checkpoint ckpt.pt to attach a run). For scripts and CI: dldoctor diagnose.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def fail(message: str) -> typer.Exit:
    """Print a one-line error on stderr, in the ``--lang`` of the command line, and return the
    exit to raise."""
    print(f"dldoctor: error: {one_line(in_lang(message, current_lang())) or 'unknown error'}",
          file=sys.stderr)
    return typer.Exit(ExitCode.BAD_INPUT)


def report_kb_error(exc: KBError) -> typer.Exit:
    """Print every problem of a knowledge-base error on stderr; return the exit to raise."""
    for problem in exc.problems:
        print(f"dldoctor: error: {printable(problem_text(problem).replace(chr(10), ' '))}",
              file=sys.stderr)
    if len(exc.problems) > 1:
        print(f"dldoctor: {len(exc.problems)} problems in the knowledge base", file=sys.stderr)
    return typer.Exit(ExitCode.BAD_INPUT)


def _version(value: bool) -> None:
    if value:
        print(f"dldoctor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """With no command, open the chat (its options work here too: dldoctor --lang zh)."""
    if ctx.invoked_subcommand is None:
        from dldoctor.cli.chat import open_chat

        open_chat()


# diagnose and chat register themselves on import (both import the engine lazily)
from dldoctor.cli import chat as _chat  # noqa: E402,F401
from dldoctor.cli import diagnose as _diagnose  # noqa: E402,F401
from dldoctor.cli import trial as _trial  # noqa: E402,F401


def _kb_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a knowledge-base error (only possible once the engine is loaded)."""
    errors = sys.modules.get("dldoctor.engine.errors")
    return errors is not None and isinstance(exc, errors.KBError)


#: click's error base class, wherever this typer takes click from (newer typers vendor it)
_ClickError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _usage_line(exc: Exception) -> str:
    """Click's three-line usage error as one line, naming the help to read."""
    message = str(exc.format_message()).strip().replace("\n", " ")  # type: ignore[attr-defined]
    message = message[:1].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else _command_words()
    hint = _option_hint(ctx, message)
    return f"{message.rstrip('.')} (see `{command} -h`){hint}{_path_hint(message)}"


def _option_hint(ctx: object, message: str) -> str:
    """An extra word that is an option's name (``dldoctor kb list causes``): the option."""
    if "extra argument" not in message:
        return ""
    command = getattr(ctx, "command", None)
    options = {o for p in getattr(command, "params", ()) for o in getattr(p, "opts", ())}
    extra = message.rsplit("(", 1)[-1].rstrip(").").split()
    named = [f"--{a}" for a in extra if f"--{a}" in options]
    return f"; did you mean `{named[0]}`?" if named else ""


def _path_hint(message: str) -> str:
    """A file or folder given bare where a command or an option was wanted (``diagnose
    lightning_logs/version_0``): how to name it."""
    from pathlib import Path

    from dldoctor.error_texts import err

    for arg in sys.argv[1:]:
        if not arg.startswith("-") and arg in message and Path(arg).exists():
            return str(in_lang(err("opt.bare_path", path=arg), current_lang()))
    return ""


def _command_words() -> str:
    """``dldoctor`` and the (sub)command words of the command line, for an error click raised
    without its context (an option missing its value)."""
    words = ["dldoctor"]
    for arg in sys.argv[1:3]:
        if arg.startswith("-") or not arg.isidentifier():
            break
        words.append(arg)
        if arg != "kb":
            break
    return " ".join(words)


#: the options of ``dldoctor`` itself; any other option before a command is the chat's
_ROOT_OPTIONS = ("--version", "-h", "--help", "--install-completion", "--show-completion")


def chat_by_default(args: list[str]) -> list[str]:
    """``dldoctor --lang zh`` is ``dldoctor chat --lang zh`` (it was "no such option")."""
    if args and args[0].startswith("-") and args[0].split("=")[0] not in _ROOT_OPTIONS:
        return ["chat", *args]
    return args


def main(prog_name: str = "dldoctor") -> None:
    """Entry point of the ``dldoctor`` script."""
    sys.argv = [sys.argv[0], *chat_by_default(sys.argv[1:])]
    try:
        code = app(standalone_mode=False, prog_name=prog_name)
    except DldoctorError as exc:
        if _kb_error(exc):  # every problem of the rules, each on its line
            raise SystemExit(report_kb_error(exc).exit_code) from None  # type: ignore[arg-type]
        raise SystemExit(fail(exc.message).exit_code) from None
    except _ClickError as exc:  # bad usage: one line, as every other error
        if type(exc).__name__ == "NoArgsIsHelpError":  # `dldoctor kb` alone: its help
            print(exc.format_message(), file=sys.stderr)  # type: ignore[attr-defined]
        else:
            print(f"dldoctor: error: {printable(_usage_line(exc))}", file=sys.stderr)
        raise SystemExit(ExitCode.BAD_INPUT) from None
    except (KeyboardInterrupt, typer.Abort):
        code = ExitCode.INTERRUPTED
    if code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into a silent Exit(130)
        print("dldoctor: interrupted", file=sys.stderr)
    raise SystemExit(code if isinstance(code, int) else 0)


def diagnose_main() -> None:
    """Entry point of the ``diagnose`` script: ``dldoctor diagnose``."""
    sys.argv = [sys.argv[0], "diagnose", *sys.argv[1:]]
    main()
