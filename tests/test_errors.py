"""One error tree, documented at its root; exit statuses that cannot be confused."""

from __future__ import annotations

import dldoctor.errors as errors
from dldoctor.cli.app import ExitCode, KbExit
from dldoctor.engine.errors import KBError, Problem
from dldoctor.engine.values import ValueProblem
from dldoctor.probes.base import Cancelled

TREE = [errors.UsageError, errors.InputError, errors.ProbeError, KBError, ValueProblem,
        Cancelled]


def test_every_deliberate_error_is_a_dldoctor_error_named_in_the_root_docstring() -> None:
    doc = errors.__doc__ or ""
    for cls in TREE:
        assert issubclass(cls, errors.DldoctorError), cls
        assert f"├── {cls.__name__}" in doc or f"└── {cls.__name__}" in doc, cls
    assert issubclass(ValueProblem, ValueError)  # callers that catch ValueError still do
    problem = Problem("rules.yaml", 3, 1, "rules[0]", "unknown fact 'x'")
    assert KBError([problem]).message == "rules.yaml:3: rules[0]: unknown fact 'x'"
    assert Cancelled().message == ""
    assert not hasattr(errors.DldoctorError, "title")


def test_exit_statuses_are_distinct_and_as_the_contract_says() -> None:
    for enum in (ExitCode, KbExit):
        values = [member.value for member in enum]
        assert len(values) == len(set(values)) == len(enum.__members__), enum
    assert (ExitCode.HEALTHY, ExitCode.DIAGNOSED, ExitCode.BAD_INPUT) == (0, 1, 2)
    assert (KbExit.CLEAN, KbExit.FAILED, KbExit.BAD_INPUT) == (0, 1, 2)
