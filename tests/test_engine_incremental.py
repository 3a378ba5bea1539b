"""Incremental updates give exactly the state a replay from scratch gives.

A session brings its engine up to date one answer or probe run at a time
(``Engine.extend``); undo, resume and new inputs replay the whole record. Both must agree
on every fact and its provenance, every firing (order, facts, certainty), every score, the
planner's totals and the report, on the built-in knowledge base with real answers, and on
random knowledge bases with saliences and ``any`` conditions (hypothesis).
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dldoctor.engine import Engine, Fact, KnowledgeBase, Planner, Question
from dldoctor.engine.knowledge import Origin
from dldoctor.engine.model import KBFile
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Finding, Inputs, ProbeContext
from dldoctor.session import Session

KB = load_knowledge()


def _state(engine: Engine) -> dict[str, Any]:
    """Everything a report, an explanation or a plan can see of an engine."""
    live = engine.live
    return {
        "memory": [(f.id, repr(f.value), f.origin, f.source, f.certainty, f.evidence)
                   for f in engine.memory],
        "firings": list(engine.firings),
        "scores": engine.scores(),
        "undecided": engine.undecided(),
        "cause_weights": sorted(live.cause_weights()),
        "open_facts": sorted((f, sorted((c, u) for c, u in w.items() if u))
                             for f, w in live.open_facts() if any(w.values())),
        "cuts": sorted((f, n) for f, n in live.cuts().items() if n),
        "next": Planner(engine).next_step([], set()),
    }


def _assert_same_as_replay(session: Session) -> None:
    replayed, conflicts = session._build()
    assert _state(session.engine) == _state(replayed)
    assert session.conflicts == conflicts


def _raw(value: Any) -> Any:
    return ("yes" if value else "no") if isinstance(value, bool) else value


def _finding_runner(rng: random.Random, probe: str) -> Any:
    facts = sorted(f.id for f in KB.facts.values() if probe in f.probes and KB.answer_space(f.id))

    def run(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
        picked = rng.sample(facts, min(len(facts), rng.randint(1, 4)))
        return [Finding(f, rng.choice(KB.answer_space(f)), "measured") for f in picked]

    return run


def _conversation(seed: int) -> tuple[int, int]:
    """Symptoms, probe findings and answers in a random order, each step checked against
    a replay; returns (incremental steps, steps in all)."""
    rng = random.Random(seed)
    session = Session(KB, Inputs(logs=(Path("train.csv"),)))  # log facts are verifiable
    for symptom in rng.sample(sorted(KB.symptoms), rng.randint(0, 2)):
        session.add_symptom(symptom, "complaint", 90.0)
    incremental = steps = 0
    for _ in range(7):
        before = session.engine
        if rng.random() < 0.2:
            probe = rng.choice(["log.curves", "checkpoint.weights"])
            session.run_probe(probe, runner=_finding_runner(rng, probe))
        else:
            step = session.next_step(probes=False)
            fact = step.fact if isinstance(step, Question) else rng.choice(sorted(
                f.id for f in KB.facts.values() if f.askable and f.question is not None))
            value = "?" if rng.random() < 0.15 else _raw(rng.choice(KB.answer_space(fact)))
            try:
                session.answer(fact, value)
            except ValueError:  # a point between whole numbers: not a valid answer
                session.answer(fact, "?")
        steps += 1
        incremental += session.engine is before
        _assert_same_as_replay(session)
    return incremental, steps


def test_answers_and_probe_runs_on_the_builtin_kb_match_a_replay() -> None:
    counts = [_conversation(seed) for seed in range(12)]
    incremental = sum(i for i, _ in counts)
    steps = sum(n for _, n in counts)
    assert incremental >= steps // 2, counts  # the incremental path is the usual one


def test_the_cases_only_a_replay_gets_right_fall_back_to_it() -> None:
    symptom, implied = next(
        (s, f) for s in sorted(KB.symptoms) for f, v in KB.symptoms[s].implies.items()
        if v is True and KB.facts[f].type == "bool")
    session = Session(KB)
    session.add_symptom(symptom, "complaint", 80.0)
    before = session.engine
    session.answer(implied, "no")  # said after the symptom, but replayed before it
    assert session.engine is not before
    assert session.engine.memory.get(implied).origin == "asked"  # type: ignore[union-attr]
    _assert_same_as_replay(session)

    measured = next(f.id for f in KB.facts.values()
                    if f.type == "bool" and "log.curves" in f.probes and f.id != implied)
    session.answer(measured, "yes")
    session.run_probe("log.curves", runner=lambda i, c: [Finding(measured, False, "seen")])
    assert [c.fact for c in session.conflicts] == [measured]  # the measurement wins
    assert session.engine.memory.get(measured).origin == "probed"  # type: ignore[union-attr]
    _assert_same_as_replay(session)
    session.run_probe("log.curves", runner=lambda i, c: [])  # a re-run drops old findings
    assert session.engine.memory.get(measured).origin == "asked"  # type: ignore[union-attr]
    _assert_same_as_replay(session)


# ------------------------------------------------------------------ random knowledge bases
def _random_kb(seed: int) -> KnowledgeBase:
    rng = random.Random(seed)
    facts: list[dict[str, Any]] = [
        {"id": f"f{i}", "type": "bool", "text": "f", "question": "f?"} for i in range(8)]
    facts += [{"id": f"m{i}", "type": "bool", "text": "m", "askable": False} for i in range(3)]
    causes = [{"id": f"c{i}", "title": "c", "fixes": [{"text": "x"}], "sources": ["t#1"]}
              for i in range(4)]

    def leaf() -> dict[str, Any]:
        pool = [f"f{rng.randrange(8)}"] * 3 + [f"m{rng.randrange(3)}"]
        return {"fact": rng.choice(pool), "is": rng.random() < 0.6}

    rules = []
    for r in range(24):
        parts = [leaf() for _ in range(rng.randint(1, 3))]
        when = parts[0] if len(parts) == 1 else {rng.choice(["all", "any"]): parts}
        then: list[dict[str, Any]] = [{"cause": f"c{rng.randrange(4)}",
                                       "cf": round(rng.uniform(-0.5, 0.9), 2)}]
        if rng.random() < 0.3:
            then.append({"set": f"m{rng.randrange(3)}", "value": rng.random() < 0.7})
        rules.append({"id": f"r{r}", "when": when, "then": then, "because": "b",
                      "sources": ["t#1"], "salience": rng.choice([0, 0, 1, 5])})
    kb = KnowledgeBase()
    kb.add_file(KBFile.model_validate({"facts": facts, "causes": causes, "rules": rules}),
                Origin("<random>"))
    assert not kb.check_references()
    return kb


def _extend_matches_fresh(seed: int, split: int, cut: int, origin: int) -> bool:
    """Chain ``split`` input facts, extend by ``cut`` more of one origin, and compare with
    a fresh engine given them all; return whether the engine could extend."""
    kb = _random_kb(seed)
    rng = random.Random(seed)
    origins = ["probed", "given", "asked", "symptom"]
    inputs = [Fact(f"f{i}", rng.random() < 0.5, rng.choice(origins), "t",
                   certainty=rng.choice([1.0, 0.8])) for i in rng.sample(range(8), 8)]
    old = sorted(inputs[:split], key=lambda f: origins.index(f.origin))
    new = [replace(f, origin=origins[origin]) for f in inputs[split:][:cut]]
    stepwise = Engine(kb)
    stepwise.add_facts(old)
    stepwise.run()
    if not stepwise.extend(new, before=origins[origin + 1:]):
        return False  # the caller replays
    fresh = Engine(kb)
    fresh.add_facts(sorted(old + new, key=lambda f: origins.index(f.origin)))
    fresh.run()
    assert _state(stepwise) == _state(fresh)
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), split=st.integers(0, 8), cut=st.integers(0, 8),
       origin=st.integers(0, 3))
def test_extend_matches_a_fresh_engine_on_random_kbs(seed: int, split: int, cut: int,
                                                     origin: int) -> None:
    _extend_matches_fresh(seed, split, cut, origin)


def test_extend_is_the_usual_path_on_random_kbs() -> None:
    extended = [_extend_matches_fresh(seed, seed % 5, 1 + seed % 3, seed % 4)
                for seed in range(40)]
    assert sum(extended) >= 30, extended
