"""Lints of a knowledge base: every problem at once, each with a code, a severity and a position.

Each lint is a small function registered in :data:`LINTS` with its code, severity and a
one-line doc. It yields ``(section, item id, path inside the item, message)``; the runner
positions it and drops it when the item lists the code in its ``lint-ignore``. The loader's
own checks (YAML, schema, ids, references) are in the table too, without a function: they
keep the knowledge base from loading, so they cannot be ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from .errors import Problem
from .knowledge import KnowledgeBase, condition_facts, leaves
from .layers import Layered, load_layers
from .model import AllOf, AnyOf, AssertFact, Condition, Leaf, NotOf, SupportCause, Text
from .satisfiable import dead_branches, never_holds
from .values import ValueProblem, check_value

__all__ = ["Lint", "LINTS", "LintContext", "LintReport", "lint_kb", "lint_paths", "Severity"]

Severity = Literal["error", "warning"]
Finding = tuple[str, str, list[str | int], str]  # section, item id, loc inside item, message
Check = Callable[["LintContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Lint:
    """One lint: its code, severity, one-line doc and the check (None: done by the loader)."""

    code: str
    severity: Severity
    doc: str
    check: Check | None = None

    @property
    def ignorable(self) -> bool:
        return self.check is not None


LINTS: dict[str, Lint] = {}


def _register(code: str, severity: Severity, doc: str, check: Check | None = None) -> None:
    LINTS[code] = Lint(code, severity, doc, check)


def lint(code: str, severity: Severity, doc: str) -> Callable[[Check], Check]:
    """Register the decorated function as the check of lint ``code``."""

    def wrap(check: Check) -> Check:
        _register(code, severity, doc, check)
        return check

    return wrap


for _code, _doc in (
    ("io", "a rule file cannot be read"),
    ("yaml", "a rule file is not valid YAML (syntax error, duplicate key)"),
    ("schema", "a key, type or value breaks the rule language (unknown/missing key, operator)"),
    ("duplicate-id", "two items of one section share an id within a layer"),
    ("clash", "a team folder redefines an id of a layer below it (built-in rules)"),
    ("unknown-fact", "a rule or symptom names a fact no file declares"),
    ("unknown-cause", "a rule concludes a cause no file declares"),
    ("bad-value", "a value does not fit its fact's type (e.g. 'yes' as a string for a bool)"),
    ("bad-operator", "an operator that does not fit the fact's type (gt on a bool)"),
    ("unknown-choice", "an enum value that is not among the fact's choices"),
    ("given-not-tested", "a rule's 'given' names a fact its 'when' does not test"),
):
    _register(_code, "error", _doc)
_register("empty-file", "warning", "a rule file holds no facts, causes, rules or symptoms")


@dataclass
class LintContext:
    """What the lints share: the merged knowledge base and the sources it may cite."""

    kb: KnowledgeBase
    known_sources: frozenset[str] = frozenset()

    @cached_property
    def never(self) -> dict[str, str]:
        """Rules whose condition can never hold, with the reason."""
        out = {}
        for rule in self.kb.rules.values():
            reason = never_holds(rule.when, self.kb.facts)
            if reason:
                out[rule.id] = reason
        return out

    @cached_property
    def implied(self) -> set[str]:
        return {f for s in self.kb.symptoms.values() for f in s.implies}

    @cached_property
    def obtainable(self) -> set[str]:
        """Facts some question, probe, symptom or firable rule can establish (a fixpoint)."""
        got = {
            f.id for f in self.kb.facts.values() if f.askable or f.probes
        } | self.implied
        pending = [r for r in self.kb.rules.values() if r.id not in self.never]
        changed = True
        while changed:
            changed = False
            for rule in list(pending):
                if _can_hold(rule.when, got):
                    pending.remove(rule)
                    new = {t.set for t in rule.then if isinstance(t, AssertFact)} - got
                    got |= new
                    changed = changed or bool(new)
        return got

    @cached_property
    def firable(self) -> set[str]:
        return {
            r.id for r in self.kb.rules.values()
            if r.id not in self.never and _can_hold(r.when, self.obtainable)
        }


def _can_hold(cond: Condition, got: set[str]) -> bool:
    if isinstance(cond, Leaf):
        return cond.fact in got
    if isinstance(cond, AllOf):
        return all(_can_hold(c, got) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(_can_hold(c, got) for c in cond.any)
    assert isinstance(cond, NotOf)
    return all(leaf.fact in got for leaf in leaves(cond.not_))


# ---------------------------------------------------------------------- conditions
@lint("never-true", "error", "a rule's condition can never hold (x<1 and x>2, x is true and false)")
def _never_true(ctx: LintContext) -> Iterator[Finding]:
    for rule_id, reason in ctx.never.items():
        yield "rules", rule_id, ["when"], f"condition can never hold: {reason}"


@lint("dead-branch", "warning", "a branch of 'any' can never hold")
def _dead_branch(ctx: LintContext) -> Iterator[Finding]:
    for rule in ctx.kb.rules.values():
        if rule.id in ctx.never:
            continue
        for loc, reason in dead_branches(rule.when, ctx.kb.facts):
            yield "rules", rule.id, ["when", *loc], f"this branch can never hold: {reason}"


@lint("cycle", "error", "rules assert facts that feed back into their own conditions")
def _cycle(ctx: LintContext) -> Iterator[Finding]:
    kb = ctx.kb
    feeds = {
        rule.id: sorted({r for t in rule.then if isinstance(t, AssertFact)
                         for r in kb.rules_reading(t.set)}, key=list(kb.rules).index)
        for rule in kb.rules.values()
    }
    for component in _strong_components(list(kb.rules), feeds):
        first = component[0]
        if len(component) == 1 and first not in feeds[first]:
            continue
        path = _cycle_path(first, set(component), feeds)
        pairs = zip(path, path[1:], strict=False)
        steps = " → ".join(f"{a} (sets {_link(kb, a, b)})" for a, b in pairs)
        yield "rules", first, ["then"], f"rules feed back into themselves: {steps} → {first}"


def _link(kb: KnowledgeBase, setter: str, reader: str) -> str:
    read = set(condition_facts(kb.rules[reader].when))
    sets = [t.set for t in kb.rules[setter].then if isinstance(t, AssertFact)]
    return next(f for f in sets if f in read)


def _strong_components(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, each in node order, in order of first node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, []):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            out.append(sorted(component, key=nodes.index))

    for node in nodes:
        if node not in index:
            visit(node)
    return sorted(out, key=lambda c: nodes.index(c[0]))


def _cycle_path(start: str, within: set[str], edges: dict[str, list[str]]) -> list[str]:
    """A shortest path from ``start`` back to ``start`` inside one component."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in edges[node]:
            if nxt == start:
                return [*paths[node], start]
            if nxt in within and nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return [start, start]


# ---------------------------------------------------------------------- reachability
@lint("unused-fact", "warning", "a fact no rule reads and no cause explains")
def _unused_fact(ctx: LintContext) -> Iterator[Finding]:
    preconditions = {leaf for f in ctx.kb.facts.values() if f.asked_if is not None
                     for leaf in condition_facts(f.asked_if)}
    explained = {leaf for c in ctx.kb.causes.values() if c.explains is not None
                 for leaf in condition_facts(c.explains)}
    explained |= {leaf for c in ctx.kb.causes.values() if c.root_when is not None
                  for leaf in condition_facts(c.root_when.when)}
    for fact in ctx.kb.facts.values():
        if not ctx.kb.rules_reading(fact.id) and fact.id not in preconditions | explained:
            yield "facts", fact.id, ["id"], f"no rule reads fact '{fact.id}'"


@lint("unobtainable-fact", "warning",
      "a fact not askable, measured by no probe, set by no rule and implied by no symptom")
def _unobtainable_fact(ctx: LintContext) -> Iterator[Finding]:
    for fact in ctx.kb.facts.values():
        if not (fact.askable or fact.probes or ctx.kb.rules_setting(fact.id)
                or fact.id in ctx.implied):
            yield ("facts", fact.id, ["id"],
                   f"nothing can establish '{fact.id}': it is not askable, no probe measures "
                   "it, and no rule or symptom sets it")


@lint("unreachable-rule", "warning",
      "a rule that needs a fact nothing can establish, so it can never fire")
def _unreachable_rule(ctx: LintContext) -> Iterator[Finding]:
    for rule in ctx.kb.rules.values():
        if rule.id in ctx.never or rule.id in ctx.firable:
            continue
        missing = [f for f in condition_facts(rule.when) if f not in ctx.obtainable]
        if not any(f in ctx.kb.facts for f in missing):
            continue  # only undeclared facts: the loader reports them
        yield ("rules", rule.id, ["when"],
               f"rule can never fire: nothing establishes {', '.join(map(repr, missing))}")


@lint("unreachable-cause", "warning", "a cause no rule that can fire concludes (with cf > 0)")
def _unreachable_cause(ctx: LintContext) -> Iterator[Finding]:
    kb = ctx.kb
    for cause in kb.causes.values():
        positive = [
            r for r in kb.rules_supporting(cause.id)
            if any(isinstance(t, SupportCause) and t.cause == cause.id and t.cf > 0
                   for t in kb.rules[r].then)
        ]
        if not positive:
            yield "causes", cause.id, ["id"], f"no rule concludes cause '{cause.id}'"
        elif not any(r in ctx.firable for r in positive):
            yield ("causes", cause.id, ["id"],
                   f"no rule that concludes '{cause.id}' can fire ({', '.join(positive)})")


@lint("dead-symptom", "warning", "a symptom whose implied facts no rule reads")
def _dead_symptom(ctx: LintContext) -> Iterator[Finding]:
    for symptom in ctx.kb.symptoms.values():
        if not any(ctx.kb.rules_reading(f) for f in symptom.implies):
            yield ("symptoms", symptom.id, ["implies"],
                   f"no rule reads what symptom '{symptom.id}' implies, so it leads nowhere")


@lint("duplicate-synonym", "warning", "one phrase listed for two symptoms (or twice)")
def _duplicate_synonym(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for symptom in ctx.kb.symptoms.values():
        for lang, phrases in symptom.synonyms.items():
            for i, phrase in enumerate(phrases):
                norm = " ".join(phrase.lower().split())
                if norm in first:
                    yield ("symptoms", symptom.id, ["synonyms", lang, i],
                           f"phrase {phrase!r} is already a synonym of '{first[norm]}'")
                else:
                    first[norm] = symptom.id


@lint("zero-cf", "warning", "a conclusion with cf 0, which changes nothing")
def _zero_cf(ctx: LintContext) -> Iterator[Finding]:
    for rule in ctx.kb.rules.values():
        for i, then in enumerate(rule.then):
            if isinstance(then, SupportCause) and then.cf == 0:
                yield ("rules", rule.id, ["then", i, "cf"],
                       f"cf 0 adds no evidence to '{then.cause}'")


@lint("bad-default", "error", "a fact's default does not fit its type")
def _bad_default(ctx: LintContext) -> Iterator[Finding]:
    for fact in ctx.kb.facts.values():
        if fact.default is not None:
            try:
                check_value(fact, fact.default)
            except ValueProblem as exc:
                yield "facts", fact.id, ["default"], str(exc)


# ---------------------------------------------------------------------- text and sources
def _texts(section: str, item: Any) -> Iterator[tuple[list[str | int], Text]]:
    """Every user-facing text of an item, with its path."""
    named = {
        "facts": ("text", "text_false", "question", "why"),
        "symptoms": ("text",),
        "causes": ("title", "explanation"),
        "rules": ("because",),
    }[section]
    for name in named:
        text = getattr(item, name)
        if text is not None:
            yield [name], text
    for i, choice in enumerate(getattr(item, "choices", None) or []):
        yield ["choices", i, "text"], choice.text
    for i, fix in enumerate(getattr(item, "fixes", None) or []):
        yield ["fixes", i, "text"], fix.text


def _items(kb: KnowledgeBase) -> Iterator[tuple[str, Any]]:
    for section in ("facts", "symptoms", "causes", "rules"):
        for item in getattr(kb, section).values():
            yield section, item


@lint("missing-zh", "warning", "a title, question, because, fix or other text has no zh (Chinese)")
def _missing_zh(ctx: LintContext) -> Iterator[Finding]:
    for section, item in _items(ctx.kb):
        for loc, text in _texts(section, item):
            if not text.zh:
                name = ".".join(str(p) for p in loc if isinstance(p, str))
                yield section, item.id, loc, f"{name} has no zh (Chinese) text"
        if section == "symptoms" and not item.synonyms.get("zh"):
            yield section, item.id, ["synonyms"], "no zh (Chinese) synonyms"


@lint("no-why", "warning", "an askable fact without 'why' (shown when a person asks why)")
def _no_why(ctx: LintContext) -> Iterator[Finding]:
    for fact in ctx.kb.facts.values():
        if fact.askable and fact.question is not None and fact.why is None:
            yield ("facts", fact.id, ["question"],
                   f"askable fact '{fact.id}' has no 'why' to show when asked why")


def _read_false(cond: Condition) -> Iterator[str]:
    """Facts a condition tests ``is: false`` (outside any ``not``)."""
    if isinstance(cond, Leaf):
        if cond.is_ is False:
            yield cond.fact
    elif isinstance(cond, AllOf | AnyOf):
        for part in cond.all if isinstance(cond, AllOf) else cond.any:
            yield from _read_false(part)


@lint("no-text-false", "warning",
      "a fact a rule reads as false (evidence for or against a cause) without 'text_false'")
def _no_text_false(ctx: LintContext) -> Iterator[Finding]:
    flagged: set[str] = set()
    for rule in ctx.kb.rules.values():
        if rule.id in ctx.never:
            continue
        for fact_id in _read_false(rule.when):
            spec = ctx.kb.facts.get(fact_id)
            if spec is None or spec.text_false is not None or fact_id in flagged:
                continue
            flagged.add(fact_id)
            yield ("facts", fact_id, ["text"],
                   f"rule '{rule.id}' reads '{fact_id}' as false: give it a "
                   "'text_false' (what holds then), or its evidence reads \"Not so: …\"")


def _negated_leaves(cond: Condition, negated: bool = False) -> Iterator[Leaf]:
    """The leaves of a condition that sit under a ``not``."""
    if isinstance(cond, Leaf):
        if negated:
            yield cond
    elif isinstance(cond, NotOf):
        yield from _negated_leaves(cond.not_, True)
    else:
        for part in cond.all if isinstance(cond, AllOf) else cond.any:
            yield from _negated_leaves(part, negated)


@lint("pending-not", "warning",
      "a 'not' over a fact only a probe measures: the rule waits for that probe")
def _pending_not(ctx: LintContext) -> Iterator[Finding]:
    for rule in ctx.kb.rules.values():
        if rule.id in ctx.never:
            continue
        negated = list(_negated_leaves(rule.when))
        # a fact the rule also tests outside the 'not', or one the probe of such a fact
        # measures (a probe that runs reports what it could not tell as unknown), is one the
        # rule waits for anyway
        under_not = {id(leaf) for leaf in negated}
        read = {leaf.fact for leaf in leaves(rule.when) if id(leaf) not in under_not}
        waited = {probe for fact in read if (known := ctx.kb.facts.get(fact)) is not None
                  for probe in known.probes}
        for fact_id in dict.fromkeys(leaf.fact for leaf in negated):
            spec = ctx.kb.facts.get(fact_id)
            if spec is None or spec.askable or not spec.probes or fact_id in ctx.implied \
                    or fact_id in read or set(spec.probes) & waited \
                    or ctx.kb.rules_setting(fact_id):
                continue
            yield ("rules", rule.id, ["when"],
                   f"'not' over '{fact_id}', which only a probe measures: until that probe "
                   "reports it (its input not given, a session of answers alone) the 'not' "
                   "is unknown and the rule cannot fire; test the opposite value directly, "
                   "or conclude the reverse in a rule of its own")


_URL = re.compile(r"^https?://\S+$")
_SOURCE = re.compile(r"^(?P<file>[^#\s]+)#(?P<section>[^#\s]+)$")


def _sources(ctx: LintContext) -> Iterator[tuple[str, str, int, str]]:
    for section in ("symptoms", "causes", "rules"):
        for item in getattr(ctx.kb, section).values():
            for i, source in enumerate(item.sources):
                yield section, item.id, i, source


@lint("bad-source", "warning",
      "a source that is neither FILE#SECTION nor a URL (free text cannot be checked)")
def _bad_source(ctx: LintContext) -> Iterator[Finding]:
    for section, item_id, i, source in _sources(ctx):
        if not (_URL.match(source) or _SOURCE.match(source)):
            yield (section, item_id, ["sources", i],
                   f"source {source!r} should be FILE#SECTION (e.g. 000_….txt#3) or a URL")


@lint("unknown-source", "error", "a source cites a seed file that does not exist")
def _unknown_source(ctx: LintContext) -> Iterator[Finding]:
    for section, item_id, i, source in _sources(ctx):
        match = _SOURCE.match(source)
        if match is None or _URL.match(source):
            continue
        name = match["file"]
        if name in ctx.known_sources:
            continue
        origin, _ = ctx.kb.origins[(section, item_id)]
        if (Path(origin.file).parent / name).is_file():
            continue
        yield (section, item_id, ["sources", i],
               f"source file '{name}' is not a seed file, nor a file beside the rule file")


@lint("unknown-lint-code", "warning", "lint-ignore names a code that no lint has (or one that "
      "cannot be ignored)")
def _unknown_lint_code(ctx: LintContext) -> Iterator[Finding]:
    for section, item in _items(ctx.kb):
        for i, code in enumerate(item.lint_ignore):
            lint_ = LINTS.get(code)
            if lint_ is None:
                yield section, item.id, ["lint-ignore", i], f"no lint has the code '{code}'"
            elif not lint_.ignorable:
                yield (section, item.id, ["lint-ignore", i],
                       f"'{code}' keeps the knowledge base from loading; it cannot be ignored")


_register("bad-test", "error", "a test case is malformed or names an unknown fact or cause")


# ---------------------------------------------------------------------- running
@dataclass
class LintReport:
    """Problems found, in file and line order, and the rule files looked at."""

    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (f"{n(len(self.errors), 'error')}, {n(len(self.warnings), 'warning')} "
                f"in {n(len(self.files), 'file')}")


def _refine(problem: Problem) -> Problem:
    """Give loader problems their table code and severity."""
    code, message = problem.code, problem.message
    if code == "bad-operator" and not ("compares numbers" in message
                                       or "searches text" in message):
        code = "bad-value"  # the operator fits; the value does not
    if code == "bad-value" and " is one of " in message:
        code = "unknown-choice"
    lint_ = LINTS.get(code)
    return replace(problem, code=code, severity=lint_.severity if lint_ else problem.severity)


def lint_kb(kb: KnowledgeBase, *, known_sources: Collection[str] = (),
            select: Collection[str] | None = None) -> list[Problem]:
    """Run every registered check (or those in ``select``) over a loaded knowledge base."""
    ctx = LintContext(kb, frozenset(known_sources))
    out = []
    for lint_ in LINTS.values():
        if lint_.check is None or (select is not None and lint_.code not in select):
            continue
        for section, item_id, loc, message in lint_.check(ctx):
            item = getattr(kb, section)[item_id]
            if lint_.code in item.lint_ignore:
                continue
            problem = kb.problem_at(section, item_id, loc, message, lint_.code)
            out.append(replace(problem, severity=lint_.severity))
    return out


def _empty_files(loaded: Layered, problems: Iterable[Problem]) -> list[Problem]:
    """Rule files that hold no item and drew no other problem (a file left empty, or only
    comments): a lint pass that says nothing of them reads as "fine"."""
    holding = {origin.file for origin, _ in loaded.kb.origins.values()}
    flagged = {p.file for p in problems}
    return [Problem(name, 0, 0, "", "the file is empty: it declares no facts, causes, rules "
                    "or symptoms", "empty-file", "warning")
            for name in loaded.files if name not in holding and name not in flagged]


def lint_paths(
    layers: Sequence[Path | str],
    *,
    scope: Sequence[Path | str] | None = None,
    known_sources: Collection[str] = (),
    extra: Callable[[Layered], Iterable[Problem]] | None = None,
    extra_files: Sequence[Path | str] = (),
) -> LintReport:
    """Load ``layers`` (later on top), lint the merged rules, keep problems in ``scope``.

    ``scope`` names files or folders whose problems are reported (default: all).
    ``extra`` adds problems found by other checkers (test files) given the loaded layers;
    ``extra_files`` are the files those checkers read, counted with the rule files.
    """
    loaded = load_layers(layers)
    problems = [_refine(p) for p in loaded.problems]
    problems.extend(lint_kb(loaded.kb, known_sources=known_sources))
    problems.extend(_empty_files(loaded, problems))
    if extra is not None:
        problems.extend(extra(loaded))
    files = list(dict.fromkeys([*loaded.files, *map(str, extra_files)]))
    if scope is not None:
        roots = [Path(s).resolve() for s in scope]

        def inside(name: str) -> bool:
            path = Path(name).resolve()
            return any(path == r or r in path.parents for r in roots)

        problems = [p for p in problems if inside(p.file)]
        files = [f for f in files if inside(f)]
    unique = sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.code, p.message))
    return LintReport(unique, files)
