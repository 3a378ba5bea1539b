"""What ``dldoctor kb list`` and ``kb explain`` print: rows of items, and one item explained."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dldoctor.kbtools import (
    AllOf,
    AnyOf,
    AssertFact,
    CaseRun,
    Condition,
    KnowledgeBase,
    Leaf,
    NotOf,
    SupportCause,
    describe_leaf,
)
from dldoctor.kbtools import show_rule_value as show_value

__all__ = ["list_rows", "explain_lines", "condition_lines"]


def _where(kb: KnowledgeBase, section: str, item_id: str) -> str:
    file, line, _ = kb.locate(section, item_id)
    return f"{file}:{line}"


def list_rows(kb: KnowledgeBase, section: str, lang: str = "en") -> list[dict[str, Any]]:
    """One row per item of ``section``: id, a few key columns, text, and where it is defined."""
    rows: list[dict[str, Any]] = []
    for item in getattr(kb, section).values():
        if section == "facts":
            how = "asked" if item.askable else "probed" if item.probes else "inferred"
            row = {"id": item.id, "type": item.type, "how": how, "text": item.text.get(lang)}
        elif section == "symptoms":
            row = {"id": item.id, "implies": ", ".join(item.implies),
                   "text": item.text.get(lang)}
        elif section == "causes":
            row = {"id": item.id, "rules": len(kb.rules_supporting(item.id)),
                   "text": item.title.get(lang)}
        else:
            concl = [f"{t.cause} {t.cf:+g}" if isinstance(t, SupportCause)
                     else f"{t.set}={show_value(t.value)}" for t in item.then]
            row = {"id": item.id, "then": ", ".join(concl), "text": item.because.get(lang)}
        rows.append({**row, "where": _where(kb, section, item.id)})
    return rows


def condition_lines(cond: Condition, indent: int = 2) -> list[str]:
    """A condition as an indented outline a person can read."""
    pad = " " * indent
    if isinstance(cond, Leaf):
        return [pad + describe_leaf(cond)]
    if isinstance(cond, NotOf):
        return [pad + "not:", *condition_lines(cond.not_, indent + 2)]
    word, parts = ("all of:", cond.all) if isinstance(cond, AllOf) else ("any of:", cond.any)
    assert isinstance(cond, AllOf | AnyOf)
    return [pad + word] + [line for p in parts for line in condition_lines(p, indent + 2)]


def _rule_lines(kb: KnowledgeBase, rule_id: str, run: CaseRun, seeds: Mapping[str, str],
                lang: str) -> list[str]:
    rule = kb.rules[rule_id]
    out = [f"rule {rule.id}  ({_where(kb, 'rules', rule.id)})", "reads:"]
    out += condition_lines(rule.when)
    out.append("concludes:")
    for then in rule.then:
        if isinstance(then, SupportCause):
            title = kb.causes[then.cause].title.get(lang) if then.cause in kb.causes else "?"
            out.append(f"  {then.cause} ({title}) cf {then.cf:+g}")
        elif isinstance(then, AssertFact):
            out.append(f"  sets {then.set} = {show_value(then.value)}")
    out.append("because:")
    out.append(f"  {rule.because.en}")
    if rule.because.zh:
        out.append(f"  {rule.because.zh}")
    out.append("sources:")
    for source in rule.sources:
        seed = seeds.get(source.split("#", 1)[0])
        out.append(f"  {source}" + (f" — {seed}" if seed else ""))
    if rule.salience or rule.stage:
        out.append(f"salience {rule.salience}" + (f", stage {rule.stage}" if rule.stage else ""))
    feeds = sorted({r for t in rule.then if isinstance(t, AssertFact)
                    for r in kb.rules_reading(t.set)})
    if feeds:
        out.append(f"feeds rules: {', '.join(feeds)}")
    cases = run.firing(rule.id)
    out.append("tests that fire it:" if cases else "tests that fire it: none")
    out += [f"  {c.file}:{c.line}: {c.name}" for c in cases]
    return out


def explain_lines(kb: KnowledgeBase, item: str, run: CaseRun, seeds: Mapping[str, str],
                  lang: str = "en") -> list[str] | None:
    """Explain a rule (or, failing that, a cause or a fact); None if no such id."""
    if item in kb.rules:
        return _rule_lines(kb, item, run, seeds, lang)
    if item in kb.causes:
        cause = kb.causes[item]
        out = [f"cause {item}  ({_where(kb, 'causes', item)}): {cause.title.get(lang)}",
               "concluded by:"]
        for rule_id in kb.rules_supporting(item):
            cfs = [t.cf for t in kb.rules[rule_id].then
                   if isinstance(t, SupportCause) and t.cause == item]
            out.append(f"  {rule_id} cf {cfs[0]:+g}  ({_where(kb, 'rules', rule_id)})")
        out.append("fixes:")
        out += [f"  - {fix.text.get(lang)}" for fix in cause.fixes]
        return out
    if item in kb.facts:
        fact = kb.facts[item]
        out = [f"fact {item}  ({_where(kb, 'facts', item)}): {fact.type}, {fact.text.get(lang)}"]
        if fact.question is not None:
            out.append(f"question: {fact.question.get(lang)}")
        out.append(f"read by: {', '.join(kb.rules_reading(item)) or 'no rule'}")
        out.append(f"set by: {', '.join(kb.rules_setting(item)) or 'no rule'}")
        said = [s.id for s in kb.symptoms.values() if item in (s.implies or {})]
        if said:  # a complaint that names one of these sets the fact too
            out.append(f"implied by symptoms: {', '.join(said)}")
        if fact.probes:
            out.append(f"measured by: {', '.join(fact.probes)}")
        return out
    return None
