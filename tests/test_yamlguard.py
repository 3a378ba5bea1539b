"""The hostile-YAML guard names nesting at both depths: past its own limit of 64 levels and
past libyaml's scanner limit (1,000 flow levels), where the scanner stops before any event."""

from __future__ import annotations

from dldoctor.engine.yamlguard import MAX_DEPTH, check_yaml


def test_nesting_past_the_guard_limit_is_named_with_its_line() -> None:
    text = "rules:\n  x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    line, problem = check_yaml(text) or (0, "")
    assert line == 2 and f"more than {MAX_DEPTH} levels deep" in problem


def test_nesting_past_the_scanner_limit_is_named_not_left_to_the_slow_parser() -> None:
    text = "# a comment\na: " + "[" * 20_000 + "]" * 20_000 + "\n"
    line, problem = check_yaml(text) or (0, "")
    assert line == 2 and "levels deep" in problem


def test_plain_rules_pass() -> None:
    assert check_yaml("a: [1, [2, [3]]]\nb: {c: d}\n") is None
