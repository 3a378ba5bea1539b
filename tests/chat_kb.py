"""A small bilingual knowledge base for the chat's tests and snapshots: a seven-way choice
with long labels, a yes/no question, two causes (one with a code snippet and a seed source).

The synthetic rules keep the tests independent of the wording of the built-in rules.
"""

from __future__ import annotations

from pathlib import Path

from dldoctor.engine import KnowledgeBase, load_kb
from tests.kbfactory import write_kb

__all__ = ["RULES", "BASE", "SNIPPET", "chat_kb"]

RULES = """
- id: k_is_lr
  when: {all: [{fact: c, is: true}, {fact: k, is: big}]}
  then: [{cause: c1, cf: 0.7}]
  because: {en: a big k means cause one, zh: 大的 k 意味着原因一}
  sources: ["000_0d687c3c0de7148e.txt#1.lr"]
- id: a_is_c2
  when: {all: [{fact: c, is: true}, {fact: a, is: true}]}
  then: [{cause: c2, cf: 0.6}]
  because: {en: A means cause two, zh: 甲意味着原因二}
  sources: ["t#2"]
"""
SNIPPET = "x = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # a long line"
BASE = f"""
facts:
  - {{id: a, type: bool, text: {{en: A, zh: 甲}}, question: {{en: "A?", zh: "甲？"}}}}
  - {{id: c, type: bool, text: {{en: C, zh: 丙}}, question: {{en: "C?", zh: "丙？"}}}}
  - id: k
    type: enum
    text: {{en: The kind of k, zh: k 的种类}}
    question: {{en: Which kind of k do you use?, zh: 你用哪种 k？}}
    choices:
      - {{value: small, text: {{en: A small k with a long description of it, zh: 小的 k}}}}
      - {{value: medium, text: {{en: A medium k with a long description too, zh: 中等的 k}}}}
      - {{value: big, text: {{en: A big k with an even longer description of it, zh: 大的 k}}}}
      - {{value: huge, text: {{en: A huge k and yet another long description, zh: 巨大的 k}}}}
      - {{value: tiny, text: {{en: A tiny k being the fifth of seven choices, zh: 微小的 k}}}}
      - {{value: odd, text: {{en: An odd k being the sixth of seven choices, zh: 奇怪的 k}}}}
      - {{value: other, text: {{en: Something else entirely, zh: 其他}}}}
causes:
  - id: c1
    title: {{en: Cause one, zh: 原因一}}
    fixes: [{{text: {{en: clip it, zh: 裁剪}}, snippet: "{SNIPPET}"}}]
    sources: ["000_0d687c3c0de7148e.txt#1.lr"]
  - {{id: c2, title: {{en: Cause two, zh: 原因二}}, fixes: [{{text: {{en: fix two, zh: 改二}}}}],
     sources: ["t#2"]}}
"""


def chat_kb(tmp_path: Path) -> KnowledgeBase:
    """The knowledge base above, written under ``tmp_path``."""
    return load_kb([write_kb(tmp_path / "rules", RULES, base=BASE)])
