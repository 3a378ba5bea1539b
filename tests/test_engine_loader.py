"""The loader reports every problem at once, with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.engine import KBError, load_kb
from tests.kbfactory import write_kb


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line of ``path`` containing ``needle``."""
    hits = [i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return hits[nth - 1]


def test_every_problem_of_every_file_in_one_run(tmp_path: Path) -> None:
    folder = write_kb(tmp_path, """
    - id: r1
      when: {fact: nope, is: true}
      then: [{cause: c1, cf: 0.5}]
      because: x
      sources: ["t#1"]
    - id: r2
      when: {fact: a, is: true}
      then: [{cause: ghost, cf: 0.5}]
      because: x
      sources: ["t#1"]
    """)
    (folder / "other.yaml").write_text("rules:\n  - id: r3\n    when: {fact: a, iz: true}\n")
    with pytest.raises(KBError) as err:
        load_kb([folder])
    lines = [p.format() for p in err.value.problems]
    kb_yaml, other = str(folder / "kb.yaml"), str(folder / "other.yaml")
    nope = line_of(folder / "kb.yaml", "fact: nope")
    ghost = line_of(folder / "kb.yaml", "cause: ghost")
    assert any(line.startswith(f"{kb_yaml}:{nope}:") and "unknown fact 'nope'" in line
               for line in lines), lines
    assert any(line.startswith(f"{kb_yaml}:{ghost}:") and "unknown cause 'ghost'" in line
               for line in lines), lines
    assert any(line.startswith(f"{other}:3:") and "unknown key 'iz'" in line for line in lines)
    assert any(line.startswith(f"{other}:2:") and "missing key 'then'" in line for line in lines)


def test_yes_stays_a_string_and_is_rejected_for_a_bool_fact(tmp_path: Path) -> None:
    folder = write_kb(tmp_path, """
    - id: r1
      when: {fact: a, is: yes}
      then: [{cause: c1, cf: 0.5}]
      because: x
      sources: ["t#1"]
    """)
    with pytest.raises(KBError) as err:
        load_kb([folder])
    (problem,) = err.value.problems
    assert problem.line == line_of(folder / "kb.yaml", "is: yes")
    assert "takes true or false, not 'yes'" in problem.message


def test_duplicate_ids_across_files_name_the_first_definition(tmp_path: Path) -> None:
    rule = """
    - id: same
      when: {fact: a, is: true}
      then: [{cause: c1, cf: 0.5}]
      because: x
      sources: ["t#1"]
    """
    folder = write_kb(tmp_path, rule)
    (folder / "z.yaml").write_text("rules:\n" + "\n".join(
        "  " + line[4:] for line in rule.strip("\n").splitlines()) + "\n")
    with pytest.raises(KBError) as err:
        load_kb([folder])
    (problem,) = err.value.problems
    assert problem.file.endswith("z.yaml") and problem.line == 2
    first = line_of(folder / "kb.yaml", "id: same")
    assert "duplicate rule id 'same'" in problem.message
    assert f"kb.yaml:{first}" in problem.message


def test_yaml_syntax_and_duplicate_keys_give_positions(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("facts:\n  - id: a\n    id: b\n")
    with pytest.raises(KBError) as err:
        load_kb([bad])
    assert err.value.problems[0].line == 3
    assert "duplicate key 'id'" in err.value.problems[0].message
    bad.write_text("rules: [\n")
    with pytest.raises(KBError) as err:
        load_kb([bad])
    assert err.value.problems[0].line >= 1 and err.value.problems[0].code == "yaml"
