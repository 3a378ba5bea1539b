"""``dldoctor kb lint|test|graph|schema|list|explain`` through the command line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dldoctor.cli.app import app
from dldoctor.engine.layers import display_path
from dldoctor.engine.lint import LINTS

DATA = Path(__file__).parent / "data"
GOOD = DATA / "kb_good"
ALONE = ["--no-builtin", "--kb", str(GOOD)]


def kb(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201 - click Result
    return CliRunner().invoke(app, ["kb", *args], env=env)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A writable copy of the clean knowledge base, with its tests."""
    return Path(shutil.copytree(GOOD, tmp_path / "good"))


# ---------------------------------------------------------------------- lint
def test_lint_clean_folder_exits_zero_with_summary_on_stderr() -> None:
    result = kb("lint", "--no-builtin", str(GOOD))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "0 errors, 0 warnings in 2 files"


def test_lint_reports_every_problem_as_file_line_col_code() -> None:
    # two PATHs are two layers: the second redefines the first one's ids
    first, second = DATA / "bad_unknown_fact.yaml", DATA / "bad_zero_cf.yaml"
    result = kb("lint", "--no-builtin", str(first), str(second))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(re.match(r"^\S+\.yaml:\d+:\d+: [a-z-]+: ", line) for line in lines), lines
    assert lines[0].endswith(":17:12: unknown-fact: rules[0].when.fact: unknown fact 'loss.nann' "
                             "(did you mean 'loss.nan'?)")
    assert lines[1].endswith(":4:5: clash: facts[0]: fact id 'loss.nan' clashes with "
                             f"{display_path(first)}:4")
    assert result.stderr == "5 errors, 0 warnings in 2 files\n"


def test_warnings_fail_only_with_strict() -> None:
    path = str(DATA / "bad_zero_cf.yaml")
    assert kb("lint", "--no-builtin", path).exit_code == 0
    assert kb("lint", "--no-builtin", "--strict", path).exit_code == 1


def test_lint_json_is_one_document() -> None:
    result = kb("lint", "--no-builtin", "--format", "json", str(DATA / "bad_cycle.yaml"))
    report = json.loads(result.stdout)
    assert report["schema"] == "dldoctor.lint/1"
    (problem,) = report["problems"]
    assert problem["code"] == "cycle" and problem["severity"] == "error"
    assert report["summary"] == {"errors": 1, "warnings": 0, "files": 1}


def test_lint_list_names_every_lint_with_its_severity() -> None:
    result = kb("lint", "--list")
    assert result.exit_code == 0
    listed = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()}
    assert listed == {code: lint.severity for code, lint in LINTS.items()}


def test_every_lint_code_has_a_broken_example() -> None:
    shown = {m for p in DATA.glob("bad_*.yaml")
             for m in re.findall(r"^# expect: \d+ (\S+)", p.read_text("utf-8"), re.M)}
    elsewhere = {"io", "clash", "bad-test"}  # need two layers or a test file: tested below
    assert shown | elsewhere == set(LINTS)


def test_lint_checks_test_files_too(good: Path) -> None:
    (good / "tests" / "broken.yaml").write_text(
        "cases:\n  - name: typo\n    given: {loss.nann: true}\n    expect: {top: lr_too_hihg}\n")
    result = kb("lint", "--no-builtin", str(good))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(":3:" in x and "bad-test" in x and "unknown fact 'loss.nann'" in x for x in lines)
    assert any(":4:" in x and "unknown cause 'lr_too_hihg'" in x for x in lines)


def test_missing_path_is_a_one_line_usage_error() -> None:
    result = kb("lint", "--no-builtin", "no/such/folder")
    assert result.exit_code == 2
    assert result.stderr == "dldoctor: error: no/such/folder: no such file or folder\n"


# ---------------------------------------------------------------------- test
def test_kb_test_passes_with_full_coverage() -> None:
    result = kb("test", "--no-builtin", str(GOOD))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "3 passed, 0 failed in 1 file; rule coverage 3/3 (100%)" in result.stderr


def test_failures_show_only_what_was_missing_and_unexpected(good: Path) -> None:
    (good / "tests" / "wrong.yaml").write_text(
        "cases:\n"
        "  - name: expects the wrong cause\n"
        "    given: {loss.nan: true, loss.nan_step: 37}\n"
        "    expect: {top: numerical_log_or_div_zero}\n"
        "healthy:\n"
        "  - name: not healthy at all\n"
        "    given: {loss.nan: true, loss.nan_step: 500}\n")
    result = kb("test", "--no-builtin", str(good))
    assert result.exit_code == 1
    wrong = good / "tests" / "wrong.yaml"
    assert result.stdout.splitlines() == [
        f"FAIL {wrong}:2: expects the wrong cause",
        "    missing:    numerical_log_or_div_zero ranked first",
        f"FAIL {wrong}:6: not healthy at all",
        "    unexpected: numerical_log_or_div_zero concluded",
    ]
    assert "3 passed, 2 failed in 2 files" in result.stderr


def test_min_coverage_fails_and_lists_rules_no_test_fires(good: Path) -> None:
    (good / "tests" / "nan.yaml").write_text(
        "cases:\n  - name: early\n    given: {loss.nan: true, loss.nan_step: 3}\n"
        "    expect: {top: lr_too_high}\n")
    assert kb("test", "--no-builtin", str(good)).exit_code == 0
    result = kb("test", "--no-builtin", "--min-coverage", "90", str(good))
    assert result.exit_code == 1
    assert "rules no test fires:" in result.stdout
    assert re.search(r"rules\.yaml:\d+: late_nan_means_numerics", result.stdout)
    assert "rule coverage 2/3 (67%)" in result.stderr
    assert "below --min-coverage 90" in result.stderr


def test_kb_test_json_and_a_single_test_file() -> None:
    result = kb("test", *ALONE, "--format", "json", str(GOOD / "tests" / "nan.yaml"))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [c["passed"] for c in report["cases"]] == [True, True, True]
    assert report["coverage"]["percent"] == 100.0


# ---------------------------------------------------------------------- graph, schema, list
def test_graph_mermaid_for_one_cause() -> None:
    result = kb("graph", *ALONE, "--cause", "lr_too_high")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("flowchart LR\n")
    for label in ("loss_nan: The loss becomes NaN", "early_nan", "finding.early_nan",
                  "lr_too_high: Learning rate too high", "Divide the learning rate by 10."):
        assert label in out
    assert "numerical_log_or_div_zero" not in out  # another cause: not drawn
    assert "-.->|-0.4|" in out  # evidence against, dashed


def test_graph_dot_and_unknown_cause() -> None:
    dot = kb("graph", *ALONE, "--format", "dot").stdout
    assert dot.startswith("digraph kb {") and '"rule:early_nan" -> "fact:finding.early_nan"' in dot
    result = kb("graph", *ALONE, "--cause", "nope")
    assert result.exit_code == 2 and "no cause 'nope'" in result.stderr


def test_schema_is_json_schema_of_rule_files() -> None:
    schema = json.loads(kb("schema").stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["properties"]) == {"facts", "symptoms", "causes", "rules"}
    rule = schema["$defs"]["Rule"]
    assert "lint-ignore" in rule["properties"] and rule["additionalProperties"] is False
    because = rule["properties"]["because"]["anyOf"]
    assert {"type": "string", "minLength": 1} in because  # a plain string is English text
    tests = json.loads(kb("schema", "--tests").stdout)
    assert set(tests["properties"]) == {"cases", "healthy"}


def test_list_sections_and_json() -> None:
    result = kb("list", *ALONE, "--rules")
    assert result.exit_code == 0
    rows = result.stdout.splitlines()
    assert [r.split()[0] for r in rows] == ["early_nan", "early_nan_means_lr",
                                            "late_nan_means_numerics"]
    # the place before the text, relative to the working folder; the text last
    assert "tests/data/kb_good/rules.yaml:39  NaN within 100 steps is early." in rows[0], rows[0]
    tables = json.loads(kb("list", *ALONE, "--facts", "--causes", "--format", "json").stdout)
    assert list(tables) == ["facts", "causes"]
    assert tables["facts"][2] == {"id": "finding.early_nan", "type": "bool", "how": "inferred",
                                  "text": "NaN appeared early",
                                  "where": f"{display_path(GOOD / 'rules.yaml')}:13"}


def test_explain_rule_shows_reads_concludes_sources_and_tests() -> None:
    result = kb("explain", *ALONE, "early_nan")
    assert result.exit_code == 0
    out = result.stdout
    assert "rule early_nan  (" in out and "rules.yaml:39)" in out
    assert "loss.nan_step < 100" in out and "sets finding.early_nan = true" in out
    assert "000_0d687c3c0de7148e.txt#4 — 深度学习debug&调参技巧" in out
    assert "100 步以内出现 NaN 算早。" in out
    assert re.search(r"tests/nan\.yaml:2: early NaN points to the learning rate", out)


def test_explain_cause_and_unknown_id() -> None:
    out = kb("explain", *ALONE, "lr_too_high").stdout
    assert "early_nan_means_lr cf +0.7" in out and "late_nan_means_numerics cf -0.4" in out
    result = kb("explain", *ALONE, "nope")
    assert result.exit_code == 2 and "no rule, cause or fact 'nope'" in result.stderr


# ---------------------------------------------------------------------- entry point
def test_installed_entry_point_runs_kb_lint() -> None:
    exe = Path(sys.executable).with_name("dldoctor")
    done = subprocess.run([str(exe), "kb", "lint", "--no-builtin", str(DATA / "bad_cycle.yaml")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert re.search(r"bad_cycle\.yaml:31:5: cycle: ", done.stdout)
    assert done.stderr == "1 error, 0 warnings in 1 file\n"


def test_builtin_rules_lint_without_errors() -> None:
    result = kb("lint")
    assert result.exit_code == 0, result.stdout
    assert re.match(r"^0 errors, \d+ warnings? in \d+ files\n$", result.stderr)


def test_lint_messages_say_what_to_do(good: Path) -> None:
    """A new team member's three: a tab, a test file's unknown key, a fix quoting a fact
    that does not exist (no near name to suggest): each message says the way out."""
    (good / "tests" / "keys.yaml").write_text(
        "causes:\n  - name: x\n    given: {loss.non_finite: true}\n"
        "    expect: {top: lr_too_high}\n")
    lines = kb("lint", "--no-builtin", str(good)).stdout.splitlines()
    assert any("unknown key 'causes' (allowed here: cases, healthy)" in x for x in lines), lines
    tabbed = good.parent / "tabbed"
    tabbed.mkdir()
    (tabbed / "rules.yaml").write_text("facts:\n  - id: team.x\n\ttype: bool\n")
    lines = kb("lint", "--no-builtin", str(tabbed)).stdout.splitlines()
    assert any("indent with spaces, not tabs" in x for x in lines), lines
    quoting = good.parent / "quoting"
    quoting.mkdir()
    (quoting / "rules.yaml").write_text(
        "causes:\n  - id: team_shard\n    title: A corrupt shard\n    sources: [runbook]\n"
        "    fixes:\n      - text: 'Drop the shard read at step {=spike.first_step_ever}.'\n")
    lines = kb("lint", "--no-builtin", str(quoting)).stdout.splitlines()
    assert any("unknown fact 'spike.first_step_ever' (`dldoctor kb list --facts`" in x
               for x in lines), lines


def test_list_names_built_in_rules_by_their_folder_and_clips_long_middle_columns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from another folder, an installed rule's place is ``<built-in>/file:line`` (it was
    an absolute site-packages path, after a text column padded to 200 columns)."""
    monkeypatch.chdir(tmp_path)
    result = kb("list", "--rules")
    assert result.exit_code == 0
    rows = result.stdout.splitlines()
    assert rows and all("<built-in>/" in r for r in rows), rows[:3]
    assert not any(str(Path.home()) in r or "site-packages" in r for r in rows)
    for row in rows:  # id, conclusions (clipped), place: the text starts within 130 columns
        place = row.index("<built-in>/")
        assert place < 130, row[:160]


def test_a_rule_file_that_does_not_load_is_one_error_not_a_cascade_from_its_tests(
        good: Path) -> None:
    """The seventeenth new user's `cf: 1.8` made the rule file fail to load, and its tests
    file then added five "unknown fact/cause/rule" errors — "6 errors … in 1 file" though
    two files were read."""
    rules = good / "rules.yaml"
    rules.write_text(rules.read_text("utf-8").replace("cf: 0.7}", "cf: 1.8}", 1), "utf-8")
    result = kb("lint", "--no-builtin", str(good))
    assert result.exit_code == 1
    problems = result.stdout.splitlines()
    assert len(problems) == 1 and "less than or equal to 1" in problems[0], problems
    assert result.stderr == "1 error, 0 warnings in 2 files\n"
