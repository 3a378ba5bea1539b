"""``dldoctor kb …``: rule authoring commands (lint, test, graph, schema, list, explain).

Every command loads the built-in rules, then the team folders (``--kb``, ``DLDOCTOR_KB``,
the config file), then the PATHs given. Results go to stdout; summaries and errors to
stderr. Exit status: 0 clean, 1 lint errors or failing tests, 2 bad usage or input.
"""

from __future__ import annotations

import functools
import gc
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from dldoctor.cli.app import KbExit, fail, report_kb_error
from dldoctor.error_texts import err
from dldoctor.errors import DldoctorError, UsageError

# Importing the engine builds its pydantic classes: thousands of long-lived objects and no
# garbage, which automatic collections would walk again and again (speed only).
_collecting = gc.isenabled()
gc.disable()
try:
    from dldoctor.kbtools import KBError, KnowledgeBase, Problem, gc_paused
finally:
    if _collecting:
        gc.enable()

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None)

F = TypeVar("F", bound=Callable[..., Any])

PathsArg = Annotated[list[Path] | None, typer.Argument(
    help="Rule folders or files to check (on top of the built-in rules). Default: all.",
    show_default=False)]
KbOpt = Annotated[list[Path] | None, typer.Option(
    "--kb", metavar="PATH", help="A team rule folder on top of the built-in rules. Repeatable.")]
NoBuiltinOpt = Annotated[bool, typer.Option(
    "--no-builtin", help="Leave the built-in rules out (check a stand-alone folder).")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                         help="text or json.")]
LangOpt = Annotated[str, typer.Option("--lang", metavar="LANG",
                                       help="Language of titles: en or zh.")]


def _handled(command: F) -> F:
    """Turn dldoctor's errors into one line on stderr and exit status 2."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KBError as exc:
            raise report_kb_error(exc) from None
        except DldoctorError as exc:
            raise fail(exc.message) from None

    return run  # type: ignore[return-value]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _check_format(value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UsageError(f"--format must be {' or '.join(allowed)}, not {value!r}")


def _layers(paths: list[Path] | None, kb: list[Path] | None, no_builtin: bool) -> list[Path]:
    from dldoctor.kbpaths import kb_layers

    for path in paths or []:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    return kb_layers(kb or [], builtin=not no_builtin, extra=paths or [])


def _load(layers: list[Path], scope: list[Path] | None = None) -> KnowledgeBase:
    """Load the layers; errors fail, unless a ``scope`` is given and they all lie outside it."""
    from dldoctor.kbtools import load_layers

    loaded = load_layers(layers)
    errors = loaded.errors
    if scope is not None:
        roots = [p.resolve() for p in scope]
        inside = [p for p in errors if _under(p.file, roots)]
        if errors and not inside:
            _say(f"dldoctor: note: {len(errors)} errors in rules outside "
                 f"{', '.join(map(str, scope))} (see `dldoctor kb lint`)")
        errors = inside
    if errors:
        raise KBError(errors)
    return loaded.kb


def _split(paths: list[Path] | None) -> tuple[list[Path], list[Path]]:
    """Separate rule folders/files from test folders/files among the PATHs."""
    rules = [p for p in paths or [] if not _is_test(p)]
    return rules, [p for p in paths or [] if _is_test(p)]


def _rules_beside(test_paths: list[Path]) -> list[Path]:
    """The rule folders that tests named on their own stand for (``team/tests/x.yaml`` and
    ``team/tests`` test ``team``), to be loaded with them: their facts and rules exist."""
    roots = [_rule_root(p) for p in test_paths]
    return [r for r in roots if r.is_dir() and any(r.glob("*.yaml"))]


def _test_files(layers: list[Path]) -> list[Path]:
    """Test files of rule folders (their tests/), and test files or folders named directly."""
    from dldoctor.kbtools import case_files

    out: dict[Path, Path] = {}
    for layer in layers:
        found = case_files(layer) if layer.is_dir() else [layer] if _is_test(layer) else []
        for path in found:
            out.setdefault(path.resolve(), path)
    return list(out.values())


def _is_test(path: Path) -> bool:
    return path.name == "tests" or (path.is_file() and path.parent.name == "tests")


def _problem_json(p: Problem) -> dict[str, Any]:
    return {"file": p.file, "line": p.line, "column": p.column, "code": p.code,
            "severity": p.severity, "where": p.where, "message": p.message}


def _line(p: Problem) -> str:
    pos = f"{p.file}:{p.line}:{p.column}" if p.column else f"{p.file}:{p.line}"
    pos = pos if p.line else p.file  # a problem of the whole file (not UTF-8, unreadable)
    where = f"{p.where}: " if p.where else ""
    return f"{pos}: {p.code}: {where}{p.message}"


# ---------------------------------------------------------------------- lint
@app.command()
@_handled
def lint(
    paths: PathsArg = None,
    kb: KbOpt = None,
    no_builtin: NoBuiltinOpt = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    format_: FormatOpt = "text",
    list_: Annotated[bool, typer.Option("--list", help="List the lints and exit.")] = False,
) -> None:
    """Check rule files: schema errors and lints, every problem at once."""
    from dldoctor.kb import SEED_SOURCES
    from dldoctor.kbtools import LINTS, check_case, lint_paths, load_cases

    _check_format(format_, ("text", "json"))
    if list_:
        if format_ == "json":
            print(json.dumps([{"code": x.code, "severity": x.severity, "doc": x.doc,
                               "ignorable": x.ignorable} for x in LINTS.values()], indent=2))
        else:
            width = max(len(code) for code in LINTS)
            for x in LINTS.values():
                print(f"{x.code:<{width}}  {x.severity:<7}  {x.doc}")
        return
    empty = [p for p in paths or [] if p.is_dir() and not any(p.rglob("*.yaml"))]
    if empty:  # a wrong folder linted "0 errors, 0 warnings in 0 files" and passed
        raise UsageError(err("kb.lint_nothing", paths=", ".join(map(str, empty))))
    rule_paths, test_paths = _split(paths)
    layers = _layers(rule_paths + _rules_beside(test_paths), kb, no_builtin)
    tested = _layers(rule_paths, kb, no_builtin)

    test_files = _test_files([*tested, *test_paths])

    def test_problems(loaded: Any) -> list[Problem]:
        # a rule file that did not load leaves its facts, causes and rules unknown: the tests
        # naming them would only repeat its error, so they are read, not checked against it
        broken = any(p.severity == "error" for p in loaded.problems)
        out: list[Problem] = []
        for path in test_files:
            try:
                for case in load_cases(path):
                    out += [] if broken else check_case(loaded.kb, case)
            except KBError as exc:
                out += exc.problems
        return out

    with gc_paused():  # the rules and tests of one knowledge base: bounded, no cycles to free
        # the files named (as paths, or as --kb team folders) are the ones reported on; the
        # built-in rules are their context, linted on their own by a plain `kb lint`
        report = lint_paths(layers, scope=paths or kb or None, known_sources=SEED_SOURCES,
                            extra=test_problems, extra_files=test_files)
    if format_ == "json":
        print(json.dumps({
            "schema": "dldoctor.lint/1",
            "problems": [_problem_json(p) for p in report.problems],
            "summary": {"errors": len(report.errors), "warnings": len(report.warnings),
                        "files": len(report.files)},
        }, indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            print(_line(problem))
    _say(report.summary())
    if report.errors or (strict and report.warnings):
        raise typer.Exit(KbExit.FAILED)


# ---------------------------------------------------------------------- test
@app.command()
@_handled
def test(
    paths: PathsArg = None,
    kb: KbOpt = None,
    no_builtin: NoBuiltinOpt = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", help="Fail if tests fire fewer than PCT % of the rules.",
        metavar="PCT")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show passing cases and "
                                          "each case's ranking.")] = False,
    format_: FormatOpt = "text",
) -> None:
    """Run the rule tests (tests/*.yaml beside the rules) and report rule coverage."""
    from dldoctor.kbtools import run_cases

    _check_format(format_, ("text", "json"))
    rule_paths, test_paths = _split(paths)
    layers = _layers(rule_paths + _rules_beside(test_paths), kb, no_builtin)
    knowledge = _load(layers, scope=[_rule_root(p) for p in paths] if paths else None)
    files = _test_files([*rule_paths, *test_paths] if paths else layers)
    if not files:
        raise UsageError("no test files found (tests/*.yaml beside the rules)")
    run = run_cases(knowledge, files)
    roots = [_rule_root(p).resolve() for p in paths or layers]
    in_scope = [r for r in knowledge.rules
                if _under(knowledge.locate("rules", r)[0], roots)]
    uncovered = run.uncovered(in_scope)
    coverage = 100.0 * (len(in_scope) - len(uncovered)) / len(in_scope) if in_scope else 100.0
    if format_ == "json":
        print(json.dumps({
            "schema": "dldoctor.kb-test/1",
            "cases": [{"name": r.case.name, "file": r.case.file, "line": r.case.line,
                       "passed": r.passed, "missing": r.missing, "unexpected": r.unexpected,
                       "ranking": r.ranking, "notes": r.notes, "fired": r.fired}
                      for r in run.results],
            "problems": [_problem_json(p) for p in run.problems],
            "coverage": {"percent": round(coverage, 1), "rules": len(in_scope),
                         "uncovered": uncovered},
        }, indent=2, ensure_ascii=False))
    else:
        _print_results(run, knowledge, uncovered, verbose)
    passed = len(run.results) - len(run.failed)
    _say(f"{passed} passed, {len(run.failed)} failed"
         + (f", {len(run.problems)} broken" if run.problems else "")
         + f" in {len(files)} file{'s' if len(files) != 1 else ''}; rule coverage "
         f"{len(in_scope) - len(uncovered)}/{len(in_scope)} ({coverage:.0f}%)")
    low = min_coverage is not None and coverage < min_coverage
    if low:
        _say(f"dldoctor: rule coverage {coverage:.0f}% is below --min-coverage {min_coverage:g}")
    if run.failed or run.problems or low:
        raise typer.Exit(KbExit.FAILED)


def _rule_root(path: Path) -> Path:
    """The rule folder a PATH stands for (a tests folder or file stands for its parent)."""
    if path.name == "tests":
        return path.parent
    return path.parent.parent if _is_test(path) else path


def _under(file: str, roots: list[Path]) -> bool:
    path = Path(file).resolve()
    return any(path == r or r in path.parents for r in roots)


def _print_results(run: Any, kb: KnowledgeBase, uncovered: list[str], verbose: bool) -> None:
    for problem in run.problems:
        print(_line(problem))
    for result in run.results:
        case = result.case
        if result.passed and not verbose:
            continue
        print(f"{'ok  ' if result.passed else 'FAIL'} {case.file}:{case.line}: {case.name}")
        for item in result.missing:
            print(f"    missing:    {item}")
        for item in result.unexpected:
            print(f"    unexpected: {item}")
        if verbose:
            ranking = ", ".join(f"{c} {cf:.2f}" for c, cf in result.ranking) or "nothing"
            print(f"    concluded:  {ranking}")
            if result.notes:
                print(f"    notes:      {', '.join(result.notes)} (practice notes: they explain "
                      "nothing observed, so diagnose lists them apart and exits 0)")
            print(f"    fired:      {', '.join(result.fired) or 'no rule'}")
    if uncovered:
        print("rules no test fires:")
        for rule in uncovered:
            file, line, _ = kb.locate("rules", rule)
            print(f"  {file}:{line}: {rule}")


# ---------------------------------------------------------------------- graph
@app.command()
@_handled
def graph(
    cause: Annotated[str | None, typer.Option(
        "--cause", metavar="CAUSE", help="Only what leads to this cause (and its fixes).")] = None,
    format_: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                                help="mermaid or dot.")] = "mermaid",
    kb: KbOpt = None,
    no_builtin: NoBuiltinOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Draw symptom → fact → rule → cause → fix as Mermaid or Graphviz DOT."""
    from dldoctor.kbtools import FORMATS, build_graph, to_dot, to_mermaid

    _check_format(format_, FORMATS)
    knowledge = _load(_layers(None, kb, no_builtin))
    if cause is not None and cause not in knowledge.causes:
        raise UsageError(f"no cause '{cause}'; see `dldoctor kb list --causes`")
    drawn = build_graph(knowledge, cause, lang)
    print(to_mermaid(drawn) if format_ == "mermaid" else to_dot(drawn), end="")


# ---------------------------------------------------------------------- schema
@app.command()
@_handled
def schema(
    tests: Annotated[bool, typer.Option(
        "--tests", help="The schema of test files (tests/*.yaml) instead.")] = False,
) -> None:
    """Print the JSON Schema of rule files, for editors' YAML support."""
    from dldoctor.kbtools import kb_schema, tests_schema

    print(json.dumps(tests_schema() if tests else kb_schema(), indent=2, ensure_ascii=False))


# ---------------------------------------------------------------------- list
@app.command("list")
@_handled
def list_(
    facts: Annotated[bool, typer.Option("--facts", help="List facts.")] = False,
    symptoms: Annotated[bool, typer.Option("--symptoms", help="List symptoms.")] = False,
    causes: Annotated[bool, typer.Option("--causes", help="List causes.")] = False,
    rules: Annotated[bool, typer.Option("--rules", help="List rules.")] = False,
    kb: KbOpt = None,
    no_builtin: NoBuiltinOpt = False,
    format_: FormatOpt = "text",
    lang: LangOpt = "en",
) -> None:
    """List facts, symptoms, causes and rules (all four by default), with where each lives."""
    from dldoctor.cli.kb_show import list_rows
    from dldoctor.wrap import cell_len, clip

    _check_format(format_, ("text", "json"))
    knowledge = _load(_layers(None, kb, no_builtin))
    chosen = [s for s, on in (("facts", facts), ("symptoms", symptoms), ("causes", causes),
                              ("rules", rules)) if on] or ["facts", "symptoms", "causes", "rules"]
    tables = {section: list_rows(knowledge, section, lang) for section in chosen}
    if format_ == "json":
        print(json.dumps(tables, indent=2, ensure_ascii=False))
        return
    for section, rows in tables.items():
        if len(tables) > 1:
            print(f"# {section} ({len(rows)})")
        # the text last and the place short: a row padded to the longest text (and an
        # absolute site-packages path after it) ran 200 columns wide
        cells = [[str(v) for k, v in row.items() if k != "text"]
                 + [str(row.get("text", ""))] for row in rows]
        for row in cells:
            row[-2] = _short_place(row[-2])
            row[1:-2] = [clip(c, LIST_CELL_WIDTH) for c in row[1:-2]]
        widths = [max((cell_len(c[i]) for c in cells), default=0)
                  for i in range(len(cells[0]))] if cells else []
        for row in cells:  # padded by columns on screen: a Chinese character takes two
            left = "  ".join(c + " " * (w - cell_len(c))
                             for c, w in zip(row[:-1], widths, strict=False))
            print(f"{left}  {row[-1]}")


#: The widest a middle column of ``kb list`` gets (a rule that sets many facts); the JSON
#: keeps the whole value.
LIST_CELL_WIDTH = 40


def _short_place(where: str) -> str:
    """``file:line`` with the file relative to the working folder, or to the built-in rules'
    folder (``<built-in>/…``) for the rules installed with dldoctor."""
    from dldoctor.kb import BUILTIN_KB

    file, sep, line = where.rpartition(":")
    if not sep or not file:
        return where
    path = Path(file)
    for base, label in ((Path.cwd(), ""), (Path(BUILTIN_KB), "<built-in>/")):
        try:
            return f"{label}{path.resolve().relative_to(base.resolve()).as_posix()}:{line}"
        except ValueError:
            continue
    return where


# ---------------------------------------------------------------------- explain
@app.command()
@_handled
def explain(
    item: Annotated[str, typer.Argument(help="A rule id (or a cause or fact id).")],
    kb: KbOpt = None,
    no_builtin: NoBuiltinOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Show what a rule reads and concludes, why, its sources, where it is and its tests."""
    from dldoctor.cli.kb_show import explain_lines
    from dldoctor.kb import SEED_SOURCES
    from dldoctor.kbtools import run_cases

    layers = _layers(None, kb, no_builtin)
    knowledge = _load(layers)
    run = run_cases(knowledge, _test_files(layers))
    lines = explain_lines(knowledge, item, run, SEED_SOURCES, lang)
    if lines is None:
        raise UsageError(f"no rule, cause or fact '{item}'; see `dldoctor kb list`")
    print("\n".join(lines))
