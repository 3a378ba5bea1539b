"""Team rule folders on top of the built-in rules: --kb, DLDOCTOR_KB and the config file."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dldoctor import kbpaths
from dldoctor.cli.app import app
from dldoctor.engine import KBError
from dldoctor.errors import InputError

GOOD = Path(__file__).parent / "data" / "kb_good"

TEAM_RULES = """\
# Our team's rule: it reads a built-in fact and concludes a built-in cause.
rules:
  - id: team_nan_at_step_one
    when:
      all:
        - {fact: loss.nan, is: true}
        - {fact: loss.nan_step, le: 1}
    then:
      - {cause: numerical_log_or_div_zero, cf: 0.8}
    because: {en: "NaN at the first step is numerics.", zh: "第一步就 NaN 是数值问题。"}
    sources: ["002_9fca986eb6288fc4.txt#13"]
"""

TEAM_TEST = """\
cases:
  - name: NaN at step 1 is numerics
    given: {loss.nan: true, loss.nan_step: 1}
    expect: {top: numerical_log_or_div_zero, fires: [team_nan_at_step_one]}
"""


@pytest.fixture
def builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand in a small clean knowledge base for the built-in one (which changes often)."""
    folder = Path(shutil.copytree(GOOD, tmp_path / "builtin"))
    monkeypatch.setattr(kbpaths, "BUILTIN_KB", folder)
    return folder


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    (folder / "tests").mkdir(parents=True)
    (folder / "ours.yaml").write_text(TEAM_RULES, encoding="utf-8")
    (folder / "tests" / "ours.yaml").write_text(TEAM_TEST, encoding="utf-8")
    return folder


def kb(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201 - click Result
    return CliRunner().invoke(app, ["kb", *args], env=env)


def test_kb_option_layers_team_rules_on_the_builtin(builtin: Path, team: Path) -> None:
    knowledge = kbpaths.load_knowledge([team])
    assert "team_nan_at_step_one" in knowledge.rules and "early_nan" in knowledge.rules
    result = kb("list", "--rules", "--kb", str(team))
    assert "team_nan_at_step_one" in result.stdout and "early_nan" in result.stdout


def test_environment_variable_and_config_file(builtin: Path, team: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "more.yaml").write_text(TEAM_RULES.replace("team_nan_at_step_one", "more_rule"))
    monkeypatch.setenv("DLDOCTOR_KB", str(team))
    config = tmp_path / "conf" / "config.toml"
    config.parent.mkdir()
    config.write_text('kb = ["../other"]\n')
    monkeypatch.setenv("DLDOCTOR_CONFIG", str(config))
    assert kbpaths.team_kb_paths() == [team, config.parent / "../other"]
    knowledge = kbpaths.load_knowledge()
    assert {"team_nan_at_step_one", "more_rule", "early_nan"} <= set(knowledge.rules)


def test_default_config_location_under_xdg(tmp_path: Path, team: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = kbpaths.config_path()
    assert path == tmp_path / "xdg" / "dldoctor" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(f'kb = "{team}"\n')
    assert kbpaths.team_kb_paths() == [team]


def test_a_folder_named_twice_is_loaded_once(builtin: Path, team: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLDOCTOR_KB", os.pathsep.join([str(team), str(team)]))
    layers = kbpaths.kb_layers([team, builtin])
    assert layers == [builtin, team]
    assert "team_nan_at_step_one" in kbpaths.load_knowledge([team]).rules


def test_clash_is_reported_with_both_positions(builtin: Path, team: Path) -> None:
    (team / "clash.yaml").write_text(textwrap.dedent("""\
        causes:
          - id: lr_too_high
            title: {en: "Ours", zh: "我们的"}
            fixes: [{text: {en: "Fix.", zh: "修。"}}]
            sources: ["002_9fca986eb6288fc4.txt#3"]
        """))
    with pytest.raises(KBError) as err:
        kbpaths.load_knowledge([team])
    (problem,) = err.value.problems
    assert problem.file.endswith("clash.yaml") and problem.line == 2 and problem.code == "clash"
    assert problem.message.endswith(f"clashes with {builtin / 'rules.yaml'}:27")
    result = kb("lint", "--kb", str(team))
    assert result.exit_code == 1
    assert f"clash.yaml:2:5: clash: causes[0]: cause id 'lr_too_high' clashes with " \
           f"{builtin / 'rules.yaml'}:27" in result.stdout


def test_lint_and_test_of_a_team_folder_cover_its_own_rules(builtin: Path, team: Path) -> None:
    lint = kb("lint", str(team))
    assert lint.exit_code == 0 and lint.stdout == ""
    assert lint.stderr == "0 errors, 0 warnings in 2 files\n"
    result = kb("test", str(team))
    assert result.exit_code == 0, result.stdout
    assert "1 passed, 0 failed in 1 file; rule coverage 1/1 (100%)" in result.stderr


def test_bad_paths_and_config_are_one_line_errors(builtin: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLDOCTOR_KB", str(tmp_path / "gone"))
    with pytest.raises(InputError, match="from DLDOCTOR_KB"):
        kbpaths.team_kb_paths()
    result = kb("list")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "gone: knowledge-base path does not exist" \
        in result.stderr
    monkeypatch.delenv("DLDOCTOR_KB")
    config = tmp_path / "config.toml"
    config.write_text("kb = [1, 2]\n")
    monkeypatch.setenv("DLDOCTOR_CONFIG", str(config))
    with pytest.raises(InputError, match="'kb' must be a path or a list of paths"):
        kbpaths.team_kb_paths()
    config.write_text("kb = [\n")
    with pytest.raises(InputError, match="not a valid TOML config"):
        kbpaths.team_kb_paths()


def test_lint_with_kb_reports_the_team_folder_not_the_built_in_rules(tmp_path: Path) -> None:
    """`kb lint --kb team` printed the built-in rules' 45 warnings before the team's one
    error (user 22); a plain `kb lint` still lints the built-in rules."""
    team = tmp_path / "team"
    team.mkdir()
    (team / "ours.yaml").write_text(TEAM_RULES.replace("cf: 0.8", "cf: 1.5"), encoding="utf-8")
    result = kb("lint", "--kb", str(team))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines and all(line.startswith(str(team)) for line in lines), result.stdout
    assert "1 error" in result.stderr
