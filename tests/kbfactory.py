"""Write small knowledge bases for engine tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from dldoctor.engine import KnowledgeBase, load_kb

BASE = """
facts:
  - {id: a, type: bool, text: A, question: "A?"}
  - {id: b, type: bool, text: B, question: "B?"}
  - {id: c, type: bool, text: C, question: "C?"}
  - {id: n, type: number, text: N, question: "N?"}
  - {id: mode, type: enum, text: Mode, question: "Mode?",
     choices: [{value: x, text: X}, {value: y, text: Y}]}
  - {id: mid, type: bool, text: Mid, askable: false}
causes:
  - {id: c1, title: Cause one, fixes: [{text: fix one}], sources: ["t#1"]}
  - {id: c2, title: Cause two, fixes: [{text: fix two}], sources: ["t#2"]}
  - {id: c3, title: Cause three, fixes: [{text: fix three}], sources: ["t#3"]}
"""


def write_kb(tmp_path: Path, rules: str, base: str = BASE, name: str = "kb.yaml") -> Path:
    folder = tmp_path / "kb"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(base) + "rules:\n" + textwrap.indent(
        textwrap.dedent(rules), "  "), encoding="utf-8")
    return folder


def make_kb(tmp_path: Path, rules: str) -> KnowledgeBase:
    return load_kb([write_kb(tmp_path, rules)])
