"""The ``dldoctor`` command line: ``diagnose``, ``chat``, ``kb …``; no arguments opens the chat."""

from __future__ import annotations

import sys
from enum import IntEnum
from typing import Annotated

import typer

from dldoctor import __version__
from dldoctor.engine import KBError
from dldoctor.errors import DldoctorError

__all__ = ["app", "main", "diagnose_main", "ExitCode"]


class ExitCode(IntEnum):
    """Exit status of ``diagnose`` (contract.md) and of the ``kb`` commands."""

    HEALTHY = 0  # no problem found
    DIAGNOSED = 1  # at least one diagnosis
    BAD_INPUT = 2  # bad usage or unreadable input
    FAILED = 1  # kb lint found errors, kb test had failures (an alias of DIAGNOSED)


app = typer.Typer(
    name="dldoctor",
    help="Tells you why your deep-learning training does not work and what to change.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def fail(message: str) -> typer.Exit:
    """Print a one-line error on stderr and return the exit to raise."""
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    print(f"dldoctor: error: {first}", file=sys.stderr)
    return typer.Exit(ExitCode.BAD_INPUT)


def report_kb_error(exc: KBError) -> typer.Exit:
    for problem in exc.problems:
        print(f"dldoctor: error: {problem.format()}", file=sys.stderr)
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
    """With no command, open the chat."""
    if ctx.invoked_subcommand is None:
        from dldoctor.cli.chat import open_chat

        open_chat()


# diagnose and chat register themselves on import
from dldoctor.cli import chat as _chat  # noqa: E402,F401
from dldoctor.cli import diagnose as _diagnose  # noqa: E402,F401
from dldoctor.cli import trial as _trial  # noqa: E402,F401

try:
    from dldoctor.cli.kb import app as _kb_app  # noqa: E402

    app.add_typer(_kb_app, name="kb", help="Validate, test, list and draw the rules.")
except ImportError:  # pragma: no cover - the kb commands ship with the package
    pass


def main() -> None:
    """Entry point of the ``dldoctor`` script."""
    try:
        app()
    except KBError as exc:
        raise SystemExit(report_kb_error(exc).exit_code) from None
    except DldoctorError as exc:
        raise SystemExit(fail(exc.message).exit_code) from None
    except KeyboardInterrupt:
        print("dldoctor: interrupted", file=sys.stderr)
        raise SystemExit(130) from None


def diagnose_main() -> None:
    """Entry point of the ``diagnose`` script: ``dldoctor diagnose``."""
    sys.argv = [sys.argv[0], "diagnose", *sys.argv[1:]]
    main()



