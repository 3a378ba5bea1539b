"""The fast YAML path (libyaml nodes, plain data) reads every file as ruamel does: the same
data, the same positions and paths for every key and item, the same fallbacks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from dldoctor.engine import loader
from dldoctor.engine.fastyaml import Fallback
from dldoctor.engine.loader import Located, _plain, format_loc, load_file, position, read_yaml

ROOT = Path(__file__).resolve().parent.parent

TRICKY = """\
# comments, flow and block styles, YAML 1.2 scalars
facts:
  - id: a.b
    values: [yes, no, on, 'off', ~, null, 1e-3, .inf, -.Inf, 012, +5]
    text: |
      two
      lines
    folded: >
      one
      line
    map: {k: v, 1: int key, 2.5: float key, false: bool key}
  - &anchor {id: shared, cf: 0.5}
  - *anchor
  -
    - - nested
      - deeper: [1, [2, [3]]]
empty: {}
none:
"""


def _reference(text: str) -> Any:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml.load(text)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


def _same_as_ruamel(path: Path) -> int:
    fast, problems = read_yaml(path)
    assert problems == [] and isinstance(fast, Located), path
    slow = _reference(path.read_text(encoding="utf-8"))
    data = _plain(fast)
    assert data == _plain(slow), path
    count = 0
    for loc in _paths(data):
        bogus = [*loc, "cause", "no_such_key", 999]
        for probe in (list(loc), bogus):
            assert position(fast, probe) == position(slow, probe), (path, probe)
            assert format_loc(fast, probe) == format_loc(slow, probe), (path, probe)
        count += 1
    return count


def test_rule_and_test_files_read_as_ruamel_reads_them() -> None:
    files = sorted((ROOT / "kb").rglob("*.yaml"))
    assert len(files) > 20
    assert sum(_same_as_ruamel(path) for path in files) > 10_000


def test_tricky_yaml_reads_as_ruamel_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "tricky.yaml"
    path.write_text(TRICKY)
    assert _same_as_ruamel(path) > 40
    assert _plain(read_yaml(path)[0])["facts"][0]["values"][:3] == ["yes", "no", "on"]


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",  # duplicate key: ruamel's message
    "base: &b {x: 1}\nmore:\n  <<: *b\n  y: 2\n",  # merge key
    "when: !custom 3\n",  # a tag: refused by the guard
    "a: [1, 2\n",  # syntax error: ruamel's position
    "t: 2001-12-14\n",  # a timestamp: not a YAML 1.2 core scalar
    "n: 0x1F\n",  # a hexadecimal number: ruamel reads it
])
def test_what_the_fast_path_does_not_judge_goes_to_ruamel(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    tree, problems = read_yaml(path)
    assert not isinstance(tree, Located)
    if not problems:
        assert _plain(tree) == _plain(_reference(text))


def test_problems_in_bad_files_are_placed_as_with_ruamel(
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted((ROOT / "tests" / "data").glob("bad_*.yaml"))
    assert len(files) > 10
    fast = {path: load_file(path)[2] for path in files}

    def ruamel_only(text: str) -> None:
        raise Fallback

    monkeypatch.setattr(loader, "_load_located", ruamel_only)
    slow = {path: load_file(path)[2] for path in files}
    assert fast == slow
    cf = [p for p in fast[ROOT / "tests" / "data" / "bad_cf_range.yaml"] if "cf" in p.where]
    assert cf and all(p.line > 1 and p.where.startswith("rules[") for p in cf)
