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


# c splits into c1 (with a) and c2 (without a): the smallest knowledge base with a question
# worth asking
A_SPLITS_C = """
- id: c_only_if_a
  when: {all: [{fact: c, is: true}, {fact: a, is: true}]}
  then: [{cause: c1, cf: 0.7}]
  because: c with a is c1
  sources: ["t#1"]
- id: c_and_not_a
  when: {all: [{fact: c, is: true}, {fact: a, is: false}]}
  then: [{cause: c2, cf: 0.7}]
  because: c without a is c2
  sources: ["t#1"]
"""
