"""How the engine scales with the size of the knowledge base.

Builds synthetic knowledge bases of 100, 1 000 and 10 000 rules (facts and causes grow with
them, each fact read by a handful of rules, a fifth of the rules asserting intermediate facts),
then measures:

- load: building the KnowledgeBase from the rule models (indexes included: compiled
  conditions, readers/setters, each rule's support and count plan, answer spaces);
- fixpoint: adding a third of the askable facts and chaining to the fixpoint (the planner's
  totals over the undecided rules are built by the first planning step, not here);
- step: one planning step (the choice of the next question), averaged while a simulated user
  answers ten questions;
- update: taking one answer into the engine incrementally (``Engine.extend``: chaining what
  the answer touches, then re-sequencing to exactly a replay's state), against a replay
  (a fresh engine given every answer, chained to its fixpoint).

Times are CPU time of the process (``time.process_time``), so that other jobs on a shared
machine do not inflate them; on an idle machine wall time is the same within a few percent.
On a machine with more runnable jobs than cores even CPU time grows (shared caches), so the
table gives the minimum over the repeats beside the median: the least disturbed run.

``--cold`` also times the fixpoint with the CPU caches emptied first (64 MB written before
each timing): at 1 000 rules what the fixpoint touches stays in the caches from one run to
the next, at 10 000 rules it does not, so the ordinary growth mixes the growth of the work
with that of the cost of a memory access; cold against cold shows the work alone.

``--fixpoints K`` only builds each knowledge base and chains K fixpoints, untimed: run it
under ``valgrind --tool=cachegrind`` with K = 20 and K = 0 and subtract, to count the
instructions and cache misses of one fixpoint (bench/README.md).

Run: ``python bench/engine_scaling.py [--sizes 100,1000,10000] [--repeat 3] [--cold]``.
Goal (issue 2): 10x rules <= 12x time, and under 50 ms per step at 10 000 rules.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import time
from dataclasses import dataclass

from dldoctor.engine import Engine, Fact, KnowledgeBase, Planner, Question
from dldoctor.engine.knowledge import Origin
from dldoctor.engine.model import KBFile


def _clock() -> float:
    """CPU seconds of this process: steady on a machine other jobs share (see README)."""
    return time.process_time()


def synthetic_kb(n_rules: int, seed: int = 0) -> KnowledgeBase:
    """A knowledge base of ``n_rules`` random but well-formed rules."""
    rng = random.Random(seed)
    n_facts = max(10, n_rules // 2)
    n_mid = max(2, n_rules // 10)
    n_causes = max(5, n_rules // 20)
    facts = [
        {"id": f"f{i}", "type": "bool", "text": f"fact {i}", "question": f"Is f{i} so?"}
        if i % 3 else
        {"id": f"f{i}", "type": "number", "text": f"fact {i}", "question": f"How much is f{i}?"}
        for i in range(n_facts)
    ]
    facts += [{"id": f"m{i}", "type": "bool", "text": f"mid {i}", "askable": False}
              for i in range(n_mid)]
    causes = [{"id": f"c{i}", "title": f"cause {i}", "fixes": [{"text": "fix"}],
               "sources": ["bench#1"]} for i in range(n_causes)]

    def leaf(fact_index: int) -> dict[str, object]:
        if fact_index % 3:
            return {"fact": f"f{fact_index}", "is": rng.random() < 0.5}
        op = rng.choice(["lt", "gt", "ge"])
        return {"fact": f"f{fact_index}", op: round(rng.uniform(0, 10), 2)}

    rules = []
    for r in range(n_rules):
        parts: list[dict[str, object]] = [leaf(rng.randrange(n_facts))
                                          for _ in range(rng.randint(1, 3))]
        if r % 5 == 0:
            then: list[dict[str, object]] = [{"set": f"m{rng.randrange(n_mid)}", "value": True}]
        else:
            if rng.random() < 0.4:
                parts.append({"fact": f"m{rng.randrange(n_mid)}", "is": True})
            then = [{"cause": f"c{rng.randrange(n_causes)}",
                     "cf": round(rng.uniform(-0.3, 0.9), 2)}]
        when = {"all": parts} if len(parts) > 1 else parts[0]
        rules.append({"id": f"r{r}", "when": when, "then": then, "because": "synthetic",
                      "sources": ["bench#1"]})
    model = KBFile.model_validate(
        {"facts": facts, "causes": causes, "rules": rules}
    )
    kb = KnowledgeBase()
    kb.add_file(model, Origin("<synthetic>"))
    problems = kb.check_references()
    assert not problems, problems[:3]
    return kb


def _truth(kb: KnowledgeBase, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    return {
        fid: (rng.random() < 0.5 if spec.type == "bool" else round(rng.uniform(0, 10), 2))
        for fid, spec in kb.facts.items() if spec.askable
    }


@dataclass
class Result:
    rules: int
    load_ms: float
    fixpoint_ms: float
    step_ms: float
    step_max_ms: float
    fixpoint_min_ms: float = 0.0
    step_min_ms: float = 0.0
    update_ms: float = 0.0
    replay_ms: float = 0.0
    firings: float = 0.0  # rules fired to reach the fixpoint: the work itself
    collections: float = 0.0  # garbage collections per timed fixpoint (a count, not a time)
    fixpoint_cold_ms: float = math.nan  # median, the caches emptied before each timing


_EVICT = bytearray(64 << 20)  # larger than the last-level cache


def _evict() -> None:
    """Write one byte in every cache line of 64 MB: what the fixpoint touched is evicted."""
    _EVICT[::64] = bytes(len(_EVICT) // 64)


def _collections() -> int:
    """Garbage collections so far (all generations): counted around the timed fixpoints."""
    return sum(generation["collections"] for generation in gc.get_stats())


def fixpoints(n_rules: int, times: int) -> None:
    """Build the knowledge base and its tables, then chain ``times`` fixpoints, untimed (for
    counting under cachegrind: see the module's docstring)."""
    kb = synthetic_kb(n_rules, seed=0)
    Planner(Engine(kb))
    truth = _truth(kb, 0)
    given = [Fact(f, v, "given", "bench") for f, v in list(truth.items())[: len(truth) // 3]]
    for _ in range(times + 1):  # the first one as the timed runs have it: after another
        engine = Engine(kb)
        engine.add_facts(given)
        engine.run()


def measure(n_rules: int, repeat: int, freeze: bool = False, cold: bool = False) -> Result:
    loads, fixes, steps, step_means, updates, replays = [], [], [], [], [], []
    colds: list[float] = []
    firings: list[int] = []
    collected: list[float] = []
    for rep in range(repeat):
        start = _clock()
        kb = synthetic_kb(n_rules, seed=rep)
        kb.rules_reading("f0"), kb.rules_setting("m0"), kb.rules_supporting("c0")
        for rule_id in kb.rules:  # compile conditions and fill the per-rule caches up front
            kb.compiled(rule_id), kb.facts_of(rule_id), kb.direct_support(rule_id)
            kb.count_plan(rule_id)
        for fact_id in kb.facts:
            kb.answer_space(fact_id)
        kb.rule_order(), kb.asserted_facts()
        Planner(Engine(kb))  # the engine's per-KB rule table, the planner's setter index
        loads.append(_clock() - start)
        if freeze:  # what a long-lived process may do after loading its rules (see README)
            gc.freeze()
        truth = _truth(kb, rep)
        known = list(truth.items())[: len(truth) // 3]
        given = [Fact(f, v, "given", "bench") for f, v in known]
        took = float("inf")
        ran = _collections()
        for _ in range(3):  # the same work three times: the least disturbed of them counts
            start = _clock()
            engine = Engine(kb)
            engine.add_facts(given)
            fired = engine.run()
            took = min(took, _clock() - start)
        fixes.append(took)
        collected.append((_collections() - ran) / 3)
        firings.append(len(fired))
        for _ in range(3 if cold else 0):
            _evict()
            start = _clock()
            engine = Engine(kb)
            engine.add_facts(given)
            engine.run()
            colds.append(_clock() - start)
        these = []
        for _ in range(10):
            start = _clock()
            step = Planner(engine).next_step([], set())
            these.append(_clock() - start)
            if not isinstance(step, Question):
                break
            answer = Fact(step.fact, truth[step.fact], "asked", "bench")
            start = _clock()
            assert engine.extend([answer])
            updates.append(_clock() - start)
            given.append(answer)
            start = _clock()
            replayed = Engine(kb)
            replayed.add_facts(given)
            replayed.run()
            replays.append(_clock() - start)
        steps += these
        step_means.append(statistics.mean(these))
        gc.unfreeze()
    return Result(n_rules, 1000 * statistics.median(loads), 1000 * statistics.median(fixes),
                  1000 * statistics.mean(steps), 1000 * max(steps), 1000 * min(fixes),
                  1000 * min(step_means), 1000 * statistics.median(updates),
                  1000 * statistics.median(replays), statistics.median(firings),
                  statistics.mean(collected),
                  1000 * statistics.median(colds) if colds else math.nan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--freeze", action="store_true",
                        help="gc.freeze() after loading each knowledge base")
    parser.add_argument("--cold", action="store_true",
                        help="also time the fixpoint with the CPU caches emptied first")
    parser.add_argument("--fixpoints", type=int, default=None, metavar="K",
                        help="only chain K fixpoints per size, untimed (for cachegrind)")
    args = parser.parse_args()
    if args.fixpoints is not None:
        for size in args.sizes.split(","):
            fixpoints(int(size), args.fixpoints)
        return
    results = [measure(int(s), args.repeat, args.freeze, args.cold)
               for s in args.sizes.split(",")]
    print("| rules | build KB (ms) | fixpoint, median / min (ms) | planning step, mean / "
          "min of run means (ms) | step, max (ms) | answer taken, incremental / replay, "
          "median (ms) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.rules:,} | {r.load_ms:.1f} | {r.fixpoint_ms:.2f} / {r.fixpoint_min_ms:.2f} "
              f"| {r.step_ms:.2f} / {r.step_min_ms:.2f} | {r.step_max_ms:.2f} "
              f"| {r.update_ms:.2f} / {r.replay_ms:.2f} |")
    for a, b in zip(results, results[1:], strict=False):
        ratio = b.rules / a.rules
        print(f"\n{a.rules:,} -> {b.rules:,} rules (x{ratio:.0f}): fixpoint x"
              f"{b.fixpoint_ms / a.fixpoint_ms:.1f} (of minima x"
              f"{b.fixpoint_min_ms / a.fixpoint_min_ms:.1f}), step x"
              f"{b.step_ms / a.step_ms:.1f}; rules fired x{b.firings / max(a.firings, 1):.1f}, "
              f"fixpoint per rule fired x"
              f"{(b.fixpoint_ms / b.firings) / (a.fixpoint_ms / max(a.firings, 1)):.2f}; "
              f"garbage collections per fixpoint {a.collections:.2f} -> {b.collections:.2f}",
              end="")
        if args.cold:
            print(f"; cold caches: fixpoint {a.fixpoint_cold_ms:.2f} -> "
                  f"{b.fixpoint_cold_ms:.2f} ms, x{b.fixpoint_cold_ms / a.fixpoint_cold_ms:.1f}",
                  end="")
    print()


if __name__ == "__main__":
    main()
