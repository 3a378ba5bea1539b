"""The diagnostic session: the one seam that the CLI and the TUI both drive.

A session holds the inputs (artefacts), what the person said (complaints, answers) and what
the probes measured; the engine's state is derived from those by replay, so undo, save and
resume are exact: the JSON of a session is its whole state.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dldoctor.engine import Engine, Fact, KnowledgeBase, Planner, ProbeRequest, ProbeSpec, Question
from dldoctor.engine.certainty import CONCLUDE_THRESHOLD
from dldoctor.engine.cover import REPORT_THRESHOLD
from dldoctor.engine.explain import Step, Why, how, why, why_not
from dldoctor.engine.strategy import MIN_QUESTION_SCORE, settled
from dldoctor.engine.symptoms import CLOSE_CALL, SymptomMatch, match_symptoms, symptoms_named
from dldoctor.engine.values import (
    UNKNOWN,
    ValueProblem,
    check_range,
    check_value,
    parse_answer,
    to_json_value,
)
from dldoctor.errors import DldoctorError, InputError, shown
from dldoctor.probes.base import Cancelled, Finding, Inputs, ProbeContext
from dldoctor.probes.evidence import said_from_json, said_to_json, say
from dldoctor.probes.registry import PROBES, ProbeInfo, available, get_probe, load_runner

__all__ = ["Session", "Answer", "Conflict", "ProbeRun", "Done", "Step", "SESSION_SCHEMA"]

SESSION_SCHEMA = "dldoctor.session/1"
CONTENDERS = 3  # the leading causes a question must bear on
LOOKAHEAD = 8  # the planner's best questions tried for a change at the top
Lang = Literal["en", "zh"]


@dataclass(frozen=True)
class Answer:
    """Something the person told us: a fact value (raw, as typed) or a confirmed symptom."""

    kind: Literal["fact", "symptom"]
    key: str  # fact id or symptom id
    raw: Any = None
    text: str = ""  # for symptoms: what the person wrote
    score: float = 100.0


@dataclass
class ProbeRun:
    """The outcome of one probe: its findings, or the one-line reason it failed."""

    probe: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unreadable_input: bool = False  # the error is the user's file, not the probe

    def to_json(self) -> dict[str, Any]:
        return {
            "probe": self.probe,
            "findings": [
                {"fact": f.fact, "value": _json_value(f.value), "evidence": f.evidence,
                 **({"said": said} if (said := said_to_json(f.evidence)) else {})}
                for f in self.findings
            ],
            "error": self.error,
            "notes": self.notes,
            "said_notes": [said_to_json(n) for n in self.notes],
            "seconds": round(self.seconds, 3),
            "unreadable_input": self.unreadable_input,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProbeRun:
        return cls(
            data["probe"],
            [Finding(f["fact"], _from_json_value(f["value"]),
                     said_from_json(f.get("said"), f.get("evidence", "")))
             for f in data.get("findings", [])],
            data.get("error"),
            [said_from_json(said, note) for note, said in
             zip(data.get("notes", []), [*data.get("said_notes", []), *[None] * 1000],
                 strict=False)],
            float(data.get("seconds", 0.0)),
            bool(data.get("unreadable_input", False)),
        )


def _json_value(value: Any) -> Any:
    return {"unknown": True} if value is UNKNOWN else to_json_value(value)


def _input_of(inputs: Inputs, need: str) -> Any:
    return {"checkpoint": inputs.checkpoint, "log": inputs.logs, "model": inputs.model,
            "batch": inputs.batch, "trace": inputs.trace}[need]


def _checked(kb: KnowledgeBase, fact_id: str, value: Any, where: str,
             given: bool = False) -> Any:
    """A stored fact value, checked against its fact's type (and, for a value a person
    gave, its range) as a one-line InputError."""
    try:
        checked = check_value(kb.facts[fact_id], value)
        return check_range(kb.facts[fact_id], checked) if given else checked
    except ValueProblem as exc:
        raise InputError(f"{where}: {exc}") from None


def _from_json_value(value: Any) -> Any:
    if isinstance(value, dict) and value.get("unknown"):
        return UNKNOWN
    if value in ("nan", "inf", "-inf"):
        return float(value)
    return value


@dataclass(frozen=True)
class Conflict:
    """What a person said about a fact, against what a probe measured (the measurement holds)."""

    fact: str
    said: Any
    measured: Any
    said_by: str
    measured_by: str

    def to_json(self) -> dict[str, Any]:
        return {"fact": self.fact, "said": _json_value(self.said),
                "measured": _json_value(self.measured), "said_by": self.said_by,
                "measured_by": self.measured_by}


@dataclass(frozen=True)
class Done:
    """Nothing more to ask or probe: the diagnosis stands."""

    reason: str


Next = Question | ProbeRequest | Done


class Session:
    """Inputs, answers and probe results, and the engine state they imply."""

    def __init__(
        self,
        kb: KnowledgeBase,
        inputs: Inputs | None = None,
        *,
        lang: Lang = "en",
        max_questions: int = 25,
    ) -> None:
        self.kb = kb
        self.inputs = inputs or Inputs()
        self.lang: Lang = lang
        self.max_questions = max_questions
        self.probe_budget: float | None = None  # --probe-budget: seconds per live check
        self.given: dict[str, Any] = {}
        self.answers: list[Answer] = []
        self.probe_runs: dict[str, ProbeRun] = {}
        self.skipped: set[str] = set()  # questions passed over without an answer
        self._probe_cache: dict[str, Any] = {}
        self.conflicts: list[Conflict] = []
        self.withheld_model: str | None = None  # a resumed session's model, not imported
        self.engine = Engine(kb)
        self._replay()

    # ------------------------------------------------------------------ state
    def _replay(self) -> None:
        """Rebuild the engine from the session's record."""
        self.engine, self.conflicts = self._build()

    def _build(self, extra: tuple[Fact, ...] = ()) -> tuple[Engine, list[Conflict]]:
        """An engine from the session's record (plus ``extra`` answered facts, to look ahead).

        Measurements go in first: a fact a probe measured is not overwritten by what a person
        said; an answer that disagrees is kept as a :class:`Conflict` to show. A "don't know"
        about a fact a probe can still measure on the inputs is left out, so it does not
        block the measurement.
        """
        engine = Engine(self.kb)
        engine.verifiable = self._verifiable()
        conflicts: list[Conflict] = []
        for run in self.probe_runs.values():
            for finding in run.findings:
                if finding.fact in self.kb.facts:
                    engine.add_fact(Fact(finding.fact, finding.value, "probed",
                                         f"probe:{run.probe}", evidence=finding.evidence,
                                         details=finding.details))
        said: list[Fact] = [
            Fact(fact_id, value, "given", "user:--set") for fact_id, value in self.given.items()
        ]
        for answer in self.answers:
            if answer.kind == "fact":
                spec = self.kb.facts[answer.key]
                said.append(Fact(answer.key, parse_answer(spec, answer.raw), "asked", "user"))
        said.extend(extra)
        for answer in self.answers:
            if answer.kind == "symptom":
                symptom = self.kb.symptoms[answer.key]
                said.extend(
                    Fact(fact_id, value, "symptom", f"symptom:{symptom.id}",
                         certainty=answer.score / 100, evidence=f'“{answer.text}”')
                    for fact_id, value in symptom.implies.items()
                )
        for fact in said:
            known = engine.memory.get(fact.id)
            if fact.value is UNKNOWN and fact.id in engine.verifiable:
                continue  # "don't know" leaves the fact to the probe
            if known is not None and known.origin == "probed" and known.value != fact.value:
                conflicts.append(Conflict(fact.id, fact.value, known.value, fact.source,
                                          known.source))
            engine.add_fact(fact)
        engine.run()
        return engine, conflicts

    def _verifiable(self) -> frozenset[str]:
        """Facts some probe can measure on the inputs (run already or not)."""
        ids = {info.id for info in available(self.inputs)}
        return frozenset(f.id for f in self.kb.facts.values() if ids.intersection(f.probes))

    # ------------------------------------------------------------------ inputs
    def set_fact(self, fact_id: str, raw: Any) -> None:
        """Fix a fact's value up front (``--set FACT=VALUE`` or an answers file)."""
        spec = self.kb.facts.get(fact_id)
        if spec is None:
            raise InputError(f"unknown fact '{shown(fact_id)}' (see `dldoctor kb list --facts`)")
        try:
            self.given[fact_id] = parse_answer(spec, raw)
        except ValueProblem as exc:
            raise InputError(f"{fact_id}: {exc}") from None
        self._replay()

    def load_answers(self, path: Path) -> None:
        """Read ``fact: value`` pairs from a YAML file."""
        from dldoctor.engine.loader import _plain, position, read_yaml

        tree, problems = read_yaml(path)
        if problems:
            raise InputError(problems[0].format())
        data = _plain(tree) or {}
        if not isinstance(data, dict):
            raise InputError(f"{path}: an answers file is a mapping of fact: value")
        for fact_id, raw in data.items():
            try:
                self.set_fact(str(fact_id), raw)
            except InputError as exc:
                line, _ = position(tree, [fact_id])
                raise InputError(f"{path}:{line}: {exc.message}") from None

    def match(self, text: str) -> list[SymptomMatch]:
        """Fuzzy-match a complaint to symptoms, best first."""
        return match_symptoms(self.kb, text, limit=20)

    @staticmethod
    def is_close_call(matches: list[SymptomMatch]) -> bool:
        """One piece of the complaint matched two symptoms almost equally well: ask which
        one is meant (different pieces naming different symptoms is no close call)."""
        by_piece: dict[str, list[float]] = {}
        for m in matches:
            by_piece.setdefault(m.text, []).append(m.score)
        return any(len(s) >= 2 and s[0] - s[1] < CLOSE_CALL for s in by_piece.values())

    def complain(self, text: str, *, confirm: bool = False) -> list[SymptomMatch]:
        """Take a free-text complaint; record every clear symptom it names.

        With ``confirm``, close calls are returned for the caller to ask about instead of
        being taken; the caller then calls :meth:`add_symptom`.
        """
        matches = self.match(text)
        if not matches:
            return []
        if confirm and self.is_close_call(matches):
            return matches
        for m in symptoms_named(matches):  # one symptom per piece of the complaint
            self.add_symptom(m.symptom, m.text, m.score, replay=False)
        self._replay()
        return matches

    def add_symptom(self, symptom_id: str, text: str = "", score: float = 100.0,
                    *, replay: bool = True) -> None:
        if symptom_id not in self.kb.symptoms:
            raise InputError(f"unknown symptom '{shown(symptom_id)}'")
        if any(a.kind == "symptom" and a.key == symptom_id for a in self.answers):
            return
        self.answers.append(Answer("symptom", symptom_id, None, text, score))
        if replay:
            self._replay()

    def answer(self, fact_id: str, raw: Any) -> Any:
        """Record a person's answer; return the parsed value. Bad answers raise ValueProblem."""
        spec = self.kb.facts[fact_id]
        value = parse_answer(spec, raw)
        self.answers.append(Answer("fact", fact_id, raw if isinstance(raw, str) else value))
        self._replay()
        return value

    def skip(self, fact_id: str) -> None:
        """Pass over a question: the person would rather not answer now."""
        self.skipped.add(fact_id)

    def undo(self) -> Answer | None:
        """Take back the last answer or symptom; return it."""
        if not self.answers:
            return None
        last = self.answers.pop()
        self._replay()
        return last

    def restart(self) -> None:
        """Forget answers, symptoms and skips; keep the inputs and probe results."""
        self.answers.clear()
        self.skipped.clear()
        self._replay()

    def with_inputs(self, inputs: Inputs) -> None:
        """Take new artefacts; forget the probe runs that measured the ones replaced."""
        changed = {need for need in ("checkpoint", "log", "model", "batch", "trace")
                   if _input_of(self.inputs, need) != _input_of(inputs, need)}
        self.inputs = inputs
        self.probe_runs = {
            pid: run for pid, run in self.probe_runs.items()
            if not changed.intersection(get_probe(pid).needs)
        }
        self._probe_cache.clear()
        self._replay()

    # ------------------------------------------------------------------ probes
    def probe_specs(self) -> list[ProbeSpec]:
        """The probes the engine may ask for: inputs present, not run yet."""
        specs = []
        for info in available(self.inputs):
            if info.id in self.probe_runs:
                continue
            produces = frozenset(
                f.id for f in self.kb.facts.values() if info.id in f.probes
            )
            specs.append(ProbeSpec(info.id, info.title, produces, info.cost))
        return specs

    def run_probe(
        self,
        probe_id: str,
        ctx: ProbeContext | None = None,
        runner: Callable[[Inputs, ProbeContext], list[Finding]] | None = None,
    ) -> ProbeRun:
        """Run a probe and take its findings; failures are recorded, not raised."""
        import time

        info: ProbeInfo = get_probe(probe_id)
        ctx = ctx or ProbeContext()
        if self.probe_budget is not None:
            ctx.max_seconds = self.probe_budget
        if not ctx.cache:  # probes share loaded artefacts across the session
            ctx.cache = self._probe_cache
        start = time.perf_counter()
        run = ProbeRun(probe_id)
        try:
            findings = (runner or load_runner(info))(self.inputs, ctx)
            run.findings = [f for f in findings if f.fact in self.kb.facts]
            dropped = sorted({f.fact for f in findings} - set(self.kb.facts))
            if dropped:
                run.notes.append(say("note.unknown_facts", names=dropped))
        except Cancelled:
            run.error = "cancelled"
        except InputError as exc:
            run.error = exc.message
            run.unreadable_input = True
        except DldoctorError as exc:
            run.error = exc.message
        except Exception as exc:  # a probe bug must not lose the session
            run.error = f"{type(exc).__name__}: {exc}"
        run.notes.extend(ctx.notes)
        run.seconds = time.perf_counter() - start
        if run.error != "cancelled":
            self.probe_runs[probe_id] = run
        self._replay()
        return run

    # ------------------------------------------------------------------ planning
    def unreadable_inputs(self) -> list[str]:
        """One line per input file a probe could not read (the user's to fix)."""
        return list(dict.fromkeys(
            run.error for run in self.probe_runs.values() if run.unreadable_input and run.error
        ))

    def questions_asked(self) -> int:
        return sum(1 for a in self.answers if a.kind == "fact")

    def next_step(self, *, questions: bool = True, probes: bool = True) -> Next:
        """The next probe to run or question to ask, or :class:`Done`.

        Probes first: a measurement is cheaper for the person and beats their word. A
        question is asked only when no probe on the inputs can settle its fact, it is worth
        its cost to the planner, one of its answers would change the top of the ranking (which
        cause leads, or whether it is established), and — while no cause is established — it
        bears on a cause already in the running. Once artefacts were measured and no cause is
        even possible, nothing is asked: fishing for a fault the measurements did not show
        only tires the person.
        """
        planner = Planner(self.engine)
        if probes:
            wanted = planner.probe_candidates(self.probe_specs())
            if wanted:
                return wanted[0]
        if not questions:
            return Done("no probe could change the diagnosis")
        if self.questions_asked() >= self.max_questions:
            return Done(f"reached the limit of {self.max_questions} questions")
        if settled(self.engine):
            return Done("the leading cause is settled")
        question = self._worth_asking(planner)
        return question or Done("no question could change the diagnosis")

    def _contenders(self) -> list[str]:
        """The causes in the running: the leading few at or above the conclusion threshold."""
        return [s.cause for s in self.engine.scores()
                if s.cf >= CONCLUDE_THRESHOLD][:CONTENDERS]

    def _top(self, engine: Engine) -> tuple[str | None, bool]:
        scores = [s for s in engine.scores() if s.cf >= CONCLUDE_THRESHOLD]
        return (scores[0].cause, scores[0].cf >= REPORT_THRESHOLD) if scores else (None, False)

    def _could_change_top(self, fact_id: str) -> bool:
        """Whether some answer to ``fact_id`` would change who leads or whether it is
        established (each answer tried on a copy of the engine)."""
        now = self._top(self.engine)
        for value in self.kb.answer_space(fact_id):
            engine, _ = self._build((Fact(fact_id, value, "asked", "user"),))
            if self._top(engine) != now:
                return True
        return False

    def _worth_asking(self, planner: Planner) -> Question | None:
        asked = {a.key for a in self.answers if a.kind == "fact"} | self.skipped
        contenders = set(self._contenders())
        if not contenders and self.probe_runs:
            return None
        established = self._top(self.engine)[1]
        for question in planner.question_candidates(asked, limit=LOOKAHEAD):
            if question.score < MIN_QUESTION_SCORE:
                break
            if question.fact in self.engine.verifiable:
                continue
            if not established and contenders and not contenders.intersection(question.causes):
                continue
            if self._could_change_top(question.fact):
                return question
        return None

    def open_questions(self, limit: int = 10) -> list[Question]:
        """The questions still worth asking, best first (what --no-input reports)."""
        planner = Planner(self.engine)
        asked = {a.key for a in self.answers if a.kind == "fact"}
        return [q for q in planner.question_candidates(asked)
                if q.fact not in self.engine.verifiable][:limit]

    def run_probes(self, ctx_factory: Callable[[ProbeInfo], ProbeContext] | None = None,
                   on_run: Callable[[ProbeRun], None] | None = None) -> list[ProbeRun]:
        """Run every probe the planner wants, in its order, until it wants none."""
        runs = []
        while True:
            step = self.next_step(questions=False)
            if not isinstance(step, ProbeRequest):
                return runs
            info = get_probe(step.probe)
            run = self.run_probe(step.probe, ctx_factory(info) if ctx_factory else None)
            runs.append(run)
            if on_run is not None:
                on_run(run)
            if run.unreadable_input:
                return runs  # the user must fix the file first

    # ------------------------------------------------------------------ explaining
    def how(self, cause: str) -> list[Step]:
        return how(self.engine, cause, self.lang)

    def why(self, fact_id: str) -> Why:
        return why(self.engine, fact_id, self.lang)

    def why_text(self, fact_id: str) -> str:
        return self.why(fact_id).text(self.engine, self.lang)

    def why_not(self, cause: str) -> list[Any]:
        return why_not(self.engine, cause)

    def report(self) -> Any:
        from dldoctor.report import build_report

        return build_report(self)

    # ------------------------------------------------------------------ saving
    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SESSION_SCHEMA,
            "lang": self.lang,
            "inputs": self.inputs.to_json(),
            "given": {k: _json_value(v) for k, v in self.given.items()},
            "answers": [
                {"kind": a.kind, "key": a.key, "raw": _json_value(a.raw), "text": a.text,
                 "score": a.score}
                for a in self.answers
            ],
            "skipped": sorted(self.skipped),
            "probe_runs": [run.to_json() for run in self.probe_runs.values()],
        }

    @classmethod
    def from_json(cls, kb: KnowledgeBase, data: Any, *, name: str = "session",
                  restore_model: bool = False, restore_trust: bool = False) -> Session:
        """Rebuild a session from its JSON, checking every field (a one-line InputError).

        A session file is data: unless this invocation asks for it, the ``model`` it names is
        not kept (importing it would run its code) and ``trust`` is never restored. The TUI's
        rule reload passes both flags, for the session it already holds.
        """
        from dldoctor.session_file import check_session_data

        checked = check_session_data(data, name)
        ins = checked.inputs
        inputs = Inputs(
            checkpoint=Path(ins.checkpoint) if ins.checkpoint else None,
            logs=tuple(Path(p) for p in ins.logs),
            model=ins.model if restore_model else None,
            batch=Path(ins.batch) if ins.batch else None,
            device=ins.device,
            trust=ins.trust if restore_trust else False,
        )
        session = cls(kb, inputs, lang=checked.lang)
        session.withheld_model = None if restore_model else ins.model
        session.given = {}
        for key, value in checked.given.items():
            if key in kb.facts:
                session.given[key] = _checked(kb, key, _from_json_value(value),
                                              f"{name}: field given.{key}", given=True)
        for i, a in enumerate(checked.answers):
            known = kb.facts if a.kind == "fact" else kb.symptoms
            if a.key not in known:
                continue
            raw = _from_json_value(a.raw)
            if a.kind == "fact":
                try:
                    parse_answer(kb.facts[a.key], raw)
                except (ValueProblem, ValueError, TypeError) as exc:
                    raise InputError(f"{name}: field answers[{i}].raw: {exc}") from None
            session.answers.append(Answer(a.kind, a.key, raw, a.text, a.score))
        session.skipped = set(checked.skipped)
        known_probes = {p.id for p in PROBES}
        for i, r in enumerate(checked.probe_runs):
            if r.probe not in known_probes:
                continue
            findings = [
                Finding(f.fact, _checked(kb, f.fact, _from_json_value(f.value),
                                         f"{name}: field probe_runs[{i}].findings[{j}].value"),
                        said_from_json(f.said, f.evidence))
                for j, f in enumerate(r.findings) if f.fact in kb.facts
            ]
            notes = [said_from_json(said, note) for note, said in
                     zip(r.notes, [*r.said_notes, *[None] * len(r.notes)], strict=False)]
            session.probe_runs[r.probe] = ProbeRun(r.probe, findings, r.error, notes,
                                                   r.seconds, r.unreadable_input)
        session._replay()
        return session

    def save(self, path: Path) -> None:
        """Write the session atomically (a crash mid-write never loses the previous save)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), "utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, kb: KnowledgeBase, path: Path, *, restore_model: bool = False) -> Session:
        """Read a saved session; ``restore_model`` (``--trust-session``) keeps its model."""
        from dldoctor.session_file import read_session_file

        data, _ = read_session_file(path)
        return cls.from_json(kb, data, name=str(path), restore_model=restore_model)

