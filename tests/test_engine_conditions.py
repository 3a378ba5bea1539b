"""The compiled conditions (the hot path) agree with the reference evaluator everywhere."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dldoctor.engine import UNKNOWN
from dldoctor.engine.conditions import compile_condition, evaluate
from dldoctor.engine.memory import Fact, WorkingMemory
from dldoctor.engine.model import AllOf, AnyOf, Leaf, NotOf

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
