"""The compiled conditions (the hot path) and the engine's counted rules agree with the
reference evaluator everywhere."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dldoctor.engine import UNKNOWN, Engine, KnowledgeBase
from dldoctor.engine.conditions import compile_condition, evaluate
from dldoctor.engine.knowledge import Origin
from dldoctor.engine.memory import Fact, WorkingMemory
from dldoctor.engine.model import AllOf, AnyOf, KBFile, Leaf, NotOf

FACTS = ["p", "q", "r"]
numbers = st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0, float("nan")])
values = st.one_of(numbers, st.booleans(), st.sampled_from(["x", "y", "abc"]), st.just(UNKNOWN))


def leaves() -> st.SearchStrategy[Leaf]:
    fact = st.sampled_from(FACTS)
    return st.one_of(
        st.builds(lambda f, v: Leaf(fact=f, **{"is": v}), fact, st.booleans()),
        st.builds(lambda f, v: Leaf(fact=f, ne=v), fact, st.sampled_from(["x", 1.0])),
        st.builds(lambda f, v: Leaf(fact=f, lt=v), fact, numbers.filter(lambda x: x == x)),
        st.builds(lambda f, v: Leaf(fact=f, ge=v), fact, numbers.filter(lambda x: x == x)),
        st.builds(lambda f: Leaf(fact=f, between=(0.0, 1.0)), fact),
        st.builds(lambda f: Leaf(fact=f, **{"in": ["x", True]}), fact),
        st.builds(lambda f: Leaf(fact=f, not_in=["y"]), fact),
        st.builds(lambda f, k: Leaf(fact=f, known=k), fact, st.booleans()),
        st.builds(lambda f: Leaf(fact=f, contains="b"), fact),
    )


conditions = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.builds(lambda xs: AllOf(all=xs), st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: AnyOf(any=xs), st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: NotOf(**{"not": x}), inner),
    ),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(conditions, st.dictionaries(st.sampled_from(FACTS), values))
def test_compiled_equals_reference(cond: Any, known: dict[str, Any]) -> None:
    memory = WorkingMemory()
    for fact_id, value in known.items():
        memory.add(Fact(fact_id, value, "given", "test"))
    assert compile_condition(cond)(memory.value) == evaluate(cond, memory)


def _kb_of(conds: list[Any]) -> KnowledgeBase:
    kb = KnowledgeBase()
    model = KBFile.model_validate({
        "facts": [{"id": f, "type": "text", "text": f, "askable": False} for f in FACTS],
        "causes": [{"id": "c", "title": "c", "fixes": [{"text": "x"}], "sources": ["t#1"]}],
        "rules": [{"id": f"r{i}", "when": c.model_dump(by_alias=True, exclude_none=True),
                   "then": [{"cause": "c", "cf": 0.5}], "because": "b", "sources": ["t#1"]}
                  for i, c in enumerate(conds)],
    })
    kb.add_file(model, Origin("<conditions>"))
    return kb


# what the engine counts (one test, all of several) as often as what it evaluates
rule_conditions = st.one_of(
    leaves(), st.builds(lambda xs: AllOf(all=xs), st.lists(leaves(), min_size=2, max_size=3)),
    conditions)


@settings(max_examples=200, deadline=None)
@given(st.lists(rule_conditions, min_size=1, max_size=6),
       st.lists(st.tuples(st.sampled_from(FACTS), values), min_size=1, max_size=5))
def test_the_engine_decides_rules_as_the_reference_does(conds: list[Any],
                                                        arriving: list[Any]) -> None:
    """Rules the engine decides by counting their tests (one test, or all of several) and
    those it evaluates end in the state the reference evaluator gives, fact by fact."""
    kb = _kb_of(conds)
    engine = Engine(kb)
    for fact_id, value in arriving:
        engine.add_fact(Fact(fact_id, value, "given", "test"))
        engine.run()
        for i, cond in enumerate(conds):
            expected = evaluate(cond, engine.memory)
            assert engine.state(f"r{i}") == expected, (cond, dict(arriving))
            assert engine.fired(f"r{i}") == (expected is True)
