"""The diagnostic session: the one seam that the CLI and the TUI both drive.

A session holds the inputs (artefacts), what the person said (complaints, answers) and what
the probes measured; the engine's state is derived from those by replay, so undo, save and
resume are exact: the JSON of a session is its whole state.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from dldoctor import words
from dldoctor.engine import (
    Engine,
    Fact,
    FactSpec,
    KBError,
    KnowledgeBase,
    Planner,
    ProbeRequest,
    ProbeSpec,
    Question,
)
from dldoctor.engine.certainty import CONCLUDE_THRESHOLD
from dldoctor.engine.cover import REPORT_THRESHOLD
from dldoctor.engine.explain import RuleVerdict, Step, Why, how, why, why_not
from dldoctor.engine.model import SupportCause
from dldoctor.engine.strategy import MIN_QUESTION_SCORE, live_rules, settled
from dldoctor.engine.symptoms import (
    SymptomMatch,
    close_call,
    match_symptoms,
    nearest_symptoms,
    split_questions,
)
from dldoctor.engine.values import (
    MISSING,
    UNKNOWN,
    ValueProblem,
    check_range,
    check_value,
    parse_answer,
    to_json_value,
)
from dldoctor.error_texts import err
from dldoctor.errors import (
    DldoctorError,
    EmptyLogError,
    InputError,
    UsageError,
    problem_text,
    shown,
)
from dldoctor.probes.base import NEEDS, Cancelled, Finding, Inputs, ProbeContext
from dldoctor.probes.evidence import localize, said_from_json, said_to_json, say
from dldoctor.probes.quiet import warnings_to
from dldoctor.probes.registry import PROBES, ProbeInfo, available, get_probe, load_runner
from dldoctor.probes.run_folders import resolve_logs
from dldoctor.probes.sniff import check_named_input
from dldoctor.session_file import SCHEMA_VERSION, SESSION_SCHEMA
from dldoctor.typed import asks_why, picks, tidy_answer

if TYPE_CHECKING:
    from dldoctor.report import Report

__all__ = [
    "Session", "Answer", "Conflict", "ProbeRun", "Done", "Step", "SESSION_SCHEMA", "Taken",
    "NeedsChoice", "REPLY_WORDS", "loss_curves", "loss_axis",
    # what the front ends name, re-exported so that they need nothing below the session
    "Question", "ProbeRequest", "Inputs", "ProbeContext", "ProbeInfo", "SymptomMatch",
    "FactSpec", "KnowledgeBase", "KBError", "ValueProblem", "RuleVerdict", "warnings_to",
    "check_named_input", "resolve_logs",
]

CONTENDERS = 3  # the leading causes a question must bear on
#: The least belief of an open leader that a decisive question is asked for (below it the
#: leader is one guess among many: asking after it would be fishing).
DECISIVE_FLOOR = 0.35
#: While no cause reaches the conclusion threshold after the artefacts were measured, at
#: most this many questions follow up what the person described (then the report).
UNLED_QUESTIONS = 2
LOOKAHEAD = 8  # the planner's best questions tried for a change at the top
Lang = Literal["en", "zh"]
Reply = Literal["why", "skip", "done"]
#: Replies to a question that are no answer, in both languages (both front ends read them).
REPLY_WORDS: dict[Reply, frozenset[str]] = {
    "why": frozenset({"why", "why?", "为什么", "为什么？", "为啥"}),
    "skip": frozenset({"skip", "跳过"}),
    "done": frozenset({"done", "q", "quit", "结束"}),
}
#: Ways people say "don't know" beyond the rules' own ("?", "idk", "不知道" …): answered as
#: "?" (typed "no idea" had been refused as no yes/no, or taken for a new complaint).
DONT_KNOW_WORDS = frozenset({
    "no idea", "not sure", "unsure", "dunno", "i don't know", "i dont know", "don't know",
    "dont know", "no clue", "not known", "i'm not sure", "im not sure", "can't tell",
    "cannot tell", "i can't tell", "n/a", "不确定", "不晓得", "不太清楚", "不记得", "没注意",
    "不知道呢", "不太确定", "说不清",
})


def _dont_know(raw: Any) -> Any:
    """``raw`` with a spoken "don't know" (trailing punctuation aside) as ``?``."""
    if isinstance(raw, str) and raw.strip().lower().rstrip(".!。！ ") in DONT_KNOW_WORDS:
        return "?"
    return raw


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


def loss_curves(paths: list[Path]) -> dict[str, tuple[list[float], list[float]]]:
    """The loss columns of ``paths`` as (steps, values), read by the probes' log reader;
    empty when there are none or the logs cannot be read."""
    from dldoctor.probes.logs import read_logs

    try:
        metrics = read_logs(list(paths))
    except Exception:  # noqa: BLE001 - a plot is optional: any failure draws nothing
        return {}
    return {name: ([float(x) for x in series.steps], [float(y) for y in series.values])
            for name, series in metrics.series.items() if "loss" in name}


def loss_axis(paths: list[Path]) -> str:
    """What the loss curves' x positions count: "epoch" when every loss column's rows are
    whole epochs, one a row, and its positions are those epochs; else "step"."""
    import numpy as np

    from dldoctor.probes.logs import read_logs

    try:
        metrics = read_logs(list(paths))
    except Exception:  # noqa: BLE001 - a plot's label: any failure keeps "step"
        return "step"
    losses = [s for name, s in metrics.series.items() if "loss" in name]
    per_epoch = [s.epochs is not None and s.epochs.size == s.steps.size
                 and bool(np.array_equal(s.epochs, s.steps))
                 and np.unique(s.epochs).size == s.epochs.size for s in losses]
    return "epoch" if per_epoch and all(per_epoch) else "step"


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
        raise InputError(err("file.problem", path=where, problem=exc.message)) from None


def _said(data: Any, evidence: str) -> str:
    """A saved finding's evidence in both languages again (its English text when the saved
    message is unknown or malformed: a session file is someone else's data)."""
    try:
        return said_from_json(data, evidence)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError, RecursionError):
        return evidence


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


@dataclass(frozen=True)
class Taken:
    """A complaint taken whole: the symptom recorded for each piece (none: nothing matched)."""

    symptoms: tuple[SymptomMatch, ...]


@dataclass(frozen=True)
class NeedsChoice:
    """One piece of a complaint matched ``options`` almost equally well: ask which is meant.

    ``taken`` are the complaint's clear pieces, already recorded; ``then`` is what follows
    the choice (the next close call of the same complaint, or :class:`Taken`).
    """

    piece: str
    options: tuple[SymptomMatch, ...]
    taken: tuple[SymptomMatch, ...] = ()
    then: Taken | NeedsChoice = Taken(())


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
        self.left_out: list[str] = []  # a resumed session's answers these rules cannot read
        self.questions: list[str] = []  # yes/no questions a complaint asked: no evidence
        self._measured: dict[str, Fact] = {}  # see _measured_inferences
        self._measured_key: tuple[tuple[str, int, int, float], ...] | None = None
        self.engine = Engine(kb)
        self._replay()

    # ------------------------------------------------------------------ state
    def _replay(self) -> None:
        """Rebuild the engine from the session's record."""
        self.engine, self.conflicts = self._build()

    def _build(self, extra: tuple[Fact, ...] = ()) -> tuple[Engine, list[Conflict]]:
        """An engine from the session's record (plus ``extra`` answered facts, to look ahead).

        Measurements go in first: a fact a probe measured is not overwritten by what a person
        said; an answer that disagrees is kept as a :class:`Conflict` to show. A probe that
        could not tell (UNKNOWN) gives way to what a person said. A "don't know" about a fact
        a probe can still measure on the inputs is left out, so it does not block the
        measurement.
        """
        engine = Engine(self.kb)
        engine.verifiable = self._verifiable()
        conflicts: list[Conflict] = []
        said = self._said_facts(extra)
        answered = {f.id for f in said if f.value is not UNKNOWN}
        # a probe that could not tell ("don't know") gives way to what the person says
        probed = [f for f in self._probed_facts()
                  if f.value is not UNKNOWN or f.id not in answered]
        for fact in probed:
            engine.add_fact(fact)
        derived = self._measured_inferences(probed)
        for fact in said:
            known = engine.memory.get(fact.id)
            if fact.value is UNKNOWN and fact.id in engine.verifiable:
                continue  # "don't know" leaves the fact to the probe
            if known is None and fact.id in derived:  # the rules derive it from measurements
                measured = derived[fact.id]
                if measured.value is not UNKNOWN and measured.value != fact.value:
                    conflicts.append(Conflict(fact.id, fact.value, measured.value, fact.source,
                                              measured.source))
                continue  # …and say how: the words' reading of it does not stand in
            if known is not None and known.origin == "probed" and known.value != fact.value:
                conflicts.append(Conflict(fact.id, fact.value, known.value, fact.source,
                                          known.source))
            engine.add_fact(fact)
        engine.run()
        return engine, conflicts

    def _probed_facts(self) -> list[Fact]:
        """Every probe finding as a fact, measured values before "could not tell"."""
        findings = [(run.probe, f) for run in self.probe_runs.values() for f in run.findings
                    if f.fact in self.kb.facts]
        return [Fact(finding.fact, finding.value, "probed", f"probe:{probe}",
                     evidence=finding.evidence, details=finding.details)
                for probe, finding in sorted(findings, key=lambda pf: pf[1].value is UNKNOWN)]

    def _said_facts(self, extra: tuple[Fact, ...] = ()) -> list[Fact]:
        """What people said, in the order it counts: ``--set``, answers, then symptoms."""
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
        return said

    def _measured_inferences(self, probed: list[Fact] | None = None) -> dict[str, Fact]:
        """The facts the rules derive from the measurements alone (a regression's output
        that does not vary → "predicts the target mean"): a person's word about one of them
        does not stand in for the measured reading. Kept until the probe runs change;
        ``probed``: the probe runs' facts, when the caller has them already."""
        key = tuple((probe, id(run), len(run.findings), run.seconds)
                    for probe, run in self.probe_runs.items())
        if self._measured_key != key:
            engine = Engine(self.kb)
            for fact in self._probed_facts() if probed is None else probed:
                engine.add_fact(fact)
            engine.run()
            self._measured = {f.id: f for f in engine.memory if f.origin == "inferred"}
            self._measured_key = key
        return self._measured

    def _take(self, facts: list[Fact], *, replay: bool = False) -> None:
        """Bring the engine up to date with new probed facts, or one new answer, placed as
        :meth:`_build` places them: incrementally when the engine can give exactly the
        replay's state (it checks), else (and with ``replay``) by replaying the record."""
        probed = all(f.origin == "probed" for f in facts)
        derived = self._measured_inferences()
        if probed and any(f.id in derived for f in self._said_facts()):
            replay = True  # a word the measurements now derive gives way to them
        if not probed:  # a "don't know" about a fact a probe can measure is left out
            facts = [f for f in facts
                     if not (f.value is UNKNOWN and f.id in self.engine.verifiable)]
            if any(f.id in derived for f in facts):
                replay = True
        before = ("given", "asked", "symptom") if probed else ("symptom",)
        if replay or not self.engine.extend(facts, before=before):
            self._replay()

    def _verifiable(self) -> frozenset[str]:
        """Facts some probe can measure on the inputs (run already or not)."""
        ids = {info.id for info in available(self.inputs)}
        return frozenset(f.id for f in self.kb.facts.values() if ids.intersection(f.probes))

    # ------------------------------------------------------------------ inputs
    def set_fact(self, fact_id: str, raw: Any) -> None:
        """Fix a fact's value up front (``--set FACT=VALUE`` or an answers file)."""
        spec = self.kb.facts.get(fact_id)
        if spec is None:
            raise InputError(err("opt.unknown_fact", fact=shown(fact_id)))
        try:
            self.given[fact_id] = parse_answer(spec, tidy_answer(spec, raw))
        except ValueProblem as exc:
            raise InputError(err("opt.fact_value", fact=fact_id, problem=exc.message)) from None
        self._replay()

    def load_answers(self, path: Path) -> None:
        """Read ``fact: value`` pairs from a YAML file."""
        from dldoctor.engine.loader import plain, position, read_yaml

        tree, problems = read_yaml(path)
        if problems:
            raise InputError(err("opt.answers_yaml", problem=problem_text(problems[0])))
        data = plain(tree) or {}
        if not isinstance(data, dict):
            raise InputError(err("opt.answers_mapping", path=path))
        for fact_id, raw in data.items():
            try:
                self.set_fact(str(fact_id), raw)
            except InputError as exc:
                line, _ = position(tree, [fact_id])
                raise InputError(err("opt.at_line", path=path, line=line, problem=exc.message)) \
                    from None

    def match(self, text: str) -> list[SymptomMatch]:
        """Fuzzy-match a complaint to symptoms, best first."""
        return match_symptoms(self.kb, text, limit=20)

    @staticmethod
    def questions_in(text: str) -> tuple[str, list[str]]:
        """A complaint without its yes/no questions, and the questions (no evidence)."""
        return split_questions(text)

    def complain(self, text: str, *, ask: bool = False) -> Taken | NeedsChoice:
        """Take a free-text complaint, piece by piece (the close call is the matcher's).

        Each piece of the complaint names its best symptom. A piece that matched two symptoms
        almost equally well (:func:`close_call` of *that piece's* best match) is a
        close call: with ``ask`` it comes back as :class:`NeedsChoice` for the front end to
        put to the person (then :meth:`choose`); without, its best match is taken. Clear
        pieces are recorded either way.
        """
        self.questions += [q for q in self.questions_in(text)[1] if q not in self.questions]
        by_piece: dict[str, list[SymptomMatch]] = {}
        for m in self.match(text):  # best first, so within each piece too
            by_piece.setdefault(m.text, []).append(m)
        taken: list[SymptomMatch] = []
        choices: list[tuple[str, tuple[SymptomMatch, ...]]] = []
        for piece, found in by_piece.items():
            close = tuple(close_call(found, self.kb))
            if ask and len(close) >= 2:
                choices.append((piece, close))
                continue
            self.add_symptom(found[0].symptom, piece, found[0].score, replay=False)
            taken.append(found[0])
        self._replay()
        result: Taken | NeedsChoice = Taken(tuple(taken))
        for piece, options in reversed(choices):
            result = NeedsChoice(piece, options, tuple(taken), result)
        return result

    def choose(self, choice: NeedsChoice, match: SymptomMatch | None) -> Taken | NeedsChoice:
        """Record the symptom the person meant in a close call (None: none of these); return
        what comes next: the complaint's next close call, or :class:`Taken`."""
        if match is not None:
            if match not in choice.options:
                raise InputError(err("opt.not_a_choice", symptom=shown(match.symptom)))
            self.add_symptom(match.symptom, match.text, match.score)
        return choice.then

    def symptom_title(self, symptom_id: str) -> str:
        """A symptom's text in the session language."""
        return self.kb.symptoms[symptom_id].text.get(self.lang)

    def fact_text(self, fact_id: str) -> str:
        """What a fact is, in the session language."""
        return self.kb.facts[fact_id].text.get(self.lang)

    def cause_title(self, cause: str) -> str:
        """A cause's title in the session language."""
        return self.kb.causes[cause].title.get(self.lang)

    def symptom_examples(self, text: str = "", limit: int = 8) -> list[str]:
        """Symptoms the rules know, to show when a complaint matched none: those nearest to
        what was said (:func:`~dldoctor.engine.symptoms.nearest_symptoms`)."""
        ids = nearest_symptoms(self.kb, text, limit) if text.strip() else \
            list(self.kb.symptoms)[:limit]
        return [self.kb.symptoms[i].text.get(self.lang) for i in ids]

    def add_symptom(self, symptom_id: str, text: str = "", score: float = 100.0,
                    *, replay: bool = True) -> None:
        if symptom_id not in self.kb.symptoms:
            raise InputError(err("opt.unknown_symptom", symptom=shown(symptom_id)))
        if any(a.kind == "symptom" and a.key == symptom_id for a in self.answers):
            return
        self.answers.append(Answer("symptom", symptom_id, None, text, score))
        if replay:
            self._replay()

    def answer(self, fact_id: str, raw: Any) -> Any:
        """Record a person's answer; return the parsed value. Bad answers raise ValueProblem."""
        spec = self.kb.facts[fact_id]
        raw = tidy_answer(spec, _dont_know(raw))
        value = parse_answer(spec, raw)
        self.answers.append(Answer("fact", fact_id, raw if isinstance(raw, str) else value))
        self._take([Fact(fact_id, parse_answer(spec, self.answers[-1].raw), "asked", "user")])
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

    @staticmethod
    def check_attachment(kind: str, path: Path) -> None:
        """Refuse a file the chat is handed that its reader cannot take, with the one-line
        error the command line gives, before it joins the inputs: an unreadable log would
        keep every other log from being read, and a refused file could not be taken back."""
        if kind in ("checkpoint", "batch", "log"):
            check_named_input(path, kind)
        if kind == "log" and not path.is_dir():
            from dldoctor.probes.logs import read_log  # numpy only: no torch

            read_log(path)

    def with_inputs(self, inputs: Inputs) -> None:
        """Take new artefacts; forget the probe runs that may have read the ones replaced.

        A probe reads more than it needs (the log's probe counts classes from the
        checkpoint, the optimizer's compares with the log's gradient norm, the live ones load
        the trained weights): once any artefact changes, every run is forgotten, or a note
        from a file the person replaced (a log attached as the checkpoint) outlives it."""
        changed = {need for need in NEEDS
                   if _input_of(self.inputs, need) != _input_of(inputs, need)}
        self.inputs = inputs
        if changed:
            self.probe_runs = {}
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
            # an empty log beside other inputs is a run that logged nothing: read the rest
            run.unreadable_input = not (isinstance(exc, EmptyLogError) and any(
                self.inputs.has(need) for need in ("checkpoint", "model", "batch", "trace")))
        except DldoctorError as exc:
            run.error = exc.message
        except Exception as exc:  # a probe bug must not lose the session
            run.error = f"{type(exc).__name__}: {exc}"
            if os.environ.get("DLDOCTOR_PROBE_TRACEBACKS"):  # for developers: where it broke
                import traceback

                traceback.print_exc()
        run.notes.extend(ctx.notes)
        run.seconds = time.perf_counter() - start
        rerun = probe_id in self.probe_runs  # its old findings go: replay
        if run.error != "cancelled":
            self.probe_runs[probe_id] = run
        self._take([Fact(f.fact, f.value, "probed", f"probe:{run.probe}", evidence=f.evidence,
                         details=f.details) for f in run.findings if f.fact in self.kb.facts],
                   replay=rerun)
        return run

    # ------------------------------------------------------------------ planning
    def unreadable_inputs(self) -> list[str]:
        """One line per input file a probe could not read (the user's to fix)."""
        return list(dict.fromkeys(
            run.error for run in self.probe_runs.values() if run.unreadable_input and run.error
        ))

    def refused_files(self) -> frozenset[str]:
        """The input files (as given) a probe's reader refused: the path its error names."""
        return frozenset(
            str(path) for run in self.probe_runs.values()
            if run.unreadable_input and (path := getattr(run.error, "values", {}).get("path"))
        )

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

    def _probe_may_settle(self, fact_id: str) -> bool:
        """Whether a probe on the inputs measures ``fact_id`` (so the person is not asked),
        counting out one that ran and left it open: a checkpoint with no scheduler state
        cannot say where ``scheduler.step()`` is called, and then only the person can."""
        if fact_id not in self.engine.verifiable:
            return False
        value = self.engine.memory.value(fact_id)
        if value is not MISSING and value is not UNKNOWN:
            return True
        spec = self.kb.facts[fact_id]
        return any(info.id not in self.probe_runs for info in available(self.inputs)
                   if info.id in spec.probes)

    def _described(self) -> bool:
        """Whether the person said what goes wrong (a symptom taken from their words)."""
        return any(a.kind == "symptom" for a in self.answers)

    def _in_the_running(self) -> list[str]:
        """The leading few causes with any support, when none reaches the conclusion
        threshold: what the person described points at them, the artefacts could not tell
        (asked about at most :data:`UNLED_QUESTIONS` times)."""
        return [s.cause for s in self.engine.scores() if s.cf > 0][:CONTENDERS]

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
            if not self._described() or self.questions_asked() >= UNLED_QUESTIONS:
                return None
            contenders = set(self._in_the_running())
            if not contenders:
                return None
        leader, established = self._top(self.engine)
        for question in planner.question_candidates(asked, limit=LOOKAHEAD):
            if question.score < MIN_QUESTION_SCORE:
                break
            if self._probe_may_settle(question.fact):
                continue
            if question.fact in self.engine.verifiable and leader not in question.causes:
                continue  # left open by its probe: asked only to settle the leader
            if not established and contenders and not contenders.intersection(question.causes):
                continue
            if self._could_change_top(question.fact):
                return question
        return self._decisive_question(planner, asked)

    def _decisive_question(self, planner: Planner, asked: set[str]) -> Question | None:
        """When no question is worth its cost in expected information, one whose answer
        would establish the leading cause that is not established yet (``the output (N, 1)
        beside targets (N,)?`` for a regressor said to predict one value): information gain
        spreads its value over every cause and undervalues the one question that settles the
        one in the lead. The rules in favour of the leader, strongest first, decide the order.
        None when the leader is established, below :data:`DECISIVE_FLOOR`, or no askable fact
        of its rules can settle it."""
        leader, established = self._top(self.engine)
        if leader is None or established or self.engine.cause_cf(leader) < DECISIVE_FLOOR:
            return None
        strength = {rule_id: max(t.cf for t in self.kb.rules[rule_id].then
                                 if isinstance(t, SupportCause) and t.cause == leader)
                    for rule_id in self.kb.rules_supporting(leader)}
        for rule_id in sorted((r for r, cf in strength.items() if cf > 0),
                              key=lambda r: (-strength[r], r)):
            for fact_id in self.kb.facts_of(rule_id):
                spec = self.kb.facts.get(fact_id)
                if spec is None or not spec.askable or fact_id in asked or \
                        self._probe_may_settle(fact_id) or \
                        self.engine.memory.value(fact_id) is not MISSING or \
                        planner.measured_elsewhere(fact_id) or not planner.applies(fact_id):
                    continue
                if self._could_change_top(fact_id):
                    gain, decided = planner.gain([fact_id])
                    return Question(fact_id, spec, gain, spec.cost, decided,
                                    planner.serves(decided))
        return None

    def open_questions(self, limit: int = 10) -> list[Question]:
        """The questions still worth asking, best first (what --no-input reports)."""
        planner = Planner(self.engine)
        asked = {a.key for a in self.answers if a.kind == "fact"}
        return [q for q in planner.question_candidates(asked)
                if not self._probe_may_settle(q.fact)][:limit]

    def run_probes(self, ctx_factory: Callable[[ProbeInfo], ProbeContext] | None = None,
                   on_run: Callable[[ProbeRun], None] | None = None) -> list[ProbeRun]:
        """Run every probe the planner wants, in its order, until it wants none."""
        runs: list[ProbeRun] = []
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

    # ------------------------------------------------------------------ words
    @staticmethod
    def untold(value: Any) -> bool:
        """Whether a finding's value is "don't know" (the files could not tell)."""
        return value is UNKNOWN

    def show_value(self, fact_id: str, value: Any) -> str:
        """A fact value as a person reads it, in the session language (是/否 in Chinese):
        the one display of values for the report, the chat's cards and its transcript."""
        return words.show_value(value, self.lang, self.kb.facts.get(fact_id))

    def answer_problem(self, fact_id: str, raw: str) -> str | None:
        """Why ``raw`` is no answer to ``fact_id``'s question, in the terms the person was
        shown; None when it is an answer."""
        spec = self.kb.facts[fact_id]
        try:
            parse_answer(spec, tidy_answer(spec, _dont_know(raw)))
        except ValueProblem:
            return words.answer_problem(spec, str(raw), self.lang)
        return None

    def answer_label(self, fact_id: str, raw: Any) -> str:
        """What the person answered, as the transcript shows it."""
        try:
            spec = self.kb.facts[fact_id]
            return self.show_value(fact_id, parse_answer(spec, tidy_answer(spec, _dont_know(raw))))
        except ValueError:
            return str(raw)

    def probe_title(self, probe_id: str) -> str:
        """A probe's title in the session language."""
        return get_probe(probe_id).title_in(self.lang)

    def said(self, evidence: str) -> str:
        """A probe's evidence text in the session language."""
        return localize(evidence, self.lang)

    @staticmethod
    def choice_numbers(text: str, count: int) -> list[int] | None:
        """Which of ``count`` listed choices a typed reply picks: one ("2.", "the first
        one", 第二个), several ("1 and 2", "both", 都是), [0] for none of them; None when it
        names no position."""
        return picks(text, count)

    @staticmethod
    def reply_word(text: str) -> Reply | None:
        """What a reply to a question means when it is no answer: ``why`` it is asked,
        ``skip`` it, or ``done`` (stop asking); None for anything else."""
        low = text.strip().lower()
        said = next((kind for kind, said in REPLY_WORDS.items() if low in said), None)
        return said or ("why" if asks_why(low) else None)  # "what does that mean?" too

    def is_blank(self) -> bool:
        """Nothing to work from yet: nothing said, given, measured or attached."""
        return not (self.answers or self.given or self.probe_runs or self.inputs.attached())

    def loss_curves(self) -> dict[str, tuple[list[float], list[float]]]:
        """The loss columns of the attached logs as (steps, values), read by the probes'
        reader (empty when there are none or they cannot be read: the plot is optional)."""
        return loss_curves(list(self.inputs.logs))

    # ------------------------------------------------------------------ explaining
    def how(self, cause: str) -> list[Step]:
        return how(self.engine, cause, self.lang)

    def why(self, fact_id: str) -> Why:
        return why(self.engine, fact_id, self.lang)

    def why_ranked(self, fact_id: str) -> Why:
        """:meth:`why` with its rules ordered by the belief in the causes they bear on,
        strongest first (ties keep the rules' order), the reasons that quote a value nobody
        measured yet ("…") after those that read whole: what a short answer to "why?" shows."""
        found = self.why(fact_id)
        live = live_rules(self.engine)
        belief = dict(found.causes)

        def weight(rule: tuple[str, str]) -> float:
            return max((belief.get(c, 0.0) for c in live.get(rule[0], ())), default=0.0)

        ranked = sorted(found.rules, key=lambda r: ("…" in r[1], -weight(r)))
        return dataclasses.replace(found, rules=tuple(ranked))

    def why_text(self, fact_id: str) -> str:
        return self.why(fact_id).text(self.engine, self.lang)

    def why_not(self, cause: str) -> list[RuleVerdict]:
        return why_not(self.engine, cause)

    def report(self, why_not: list[str] | None = None) -> Report:
        """The report of what is known now; ``why_not`` causes explained in it."""
        from dldoctor.report import build_report

        self.check_causes(why_not or [])
        return build_report(self, why_not)

    def check_causes(self, causes: list[str], option: str = "--why-not") -> None:
        """Raise a one-line UsageError for the first cause the rules do not know."""
        for cause in causes:
            if cause not in self.kb.causes:
                close = difflib.get_close_matches(cause, list(self.kb.causes), n=1, cutoff=0.7)
                if close:  # a typo ("lr_to_low") names the cause it was meant to be
                    raise UsageError(err("opt.unknown_cause_close", option=option,
                                         cause=shown(cause), close=close[0]))
                raise UsageError(err("opt.unknown_cause", option=option, cause=shown(cause)))

    # ------------------------------------------------------------------ saving
    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SESSION_SCHEMA,
            "schema_version": SCHEMA_VERSION,
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
            trace=Path(ins.trace) if ins.trace else None,
        )
        session = cls(kb, inputs, lang=checked.lang)
        session.withheld_model = None if restore_model else ins.model
        session.given = {}
        for key, value in checked.given.items():
            if key in kb.facts:
                session.given[key] = _checked(kb, key, _from_json_value(value),
                                              f"{name}: field given.{key}", given=True)
            else:
                session.left_out.append(key)
        for i, a in enumerate(checked.answers):
            known = kb.facts if a.kind == "fact" else kb.symptoms
            if a.key not in known:  # the rules changed since: said, not silently dropped
                session.left_out.append(a.key)
                continue
            raw = _from_json_value(a.raw)
            if a.kind == "fact":
                try:
                    parse_answer(kb.facts[a.key], raw)
                except (ValueProblem, ValueError, TypeError) as exc:
                    raise InputError(err("session.answer_raw", path=name, i=i,
                                         problem=exc)) from None
            session.answers.append(Answer(a.kind, a.key, raw, a.text, a.score))
        session.skipped = set(checked.skipped)
        known_probes = {p.id for p in PROBES}
        for i, r in enumerate(checked.probe_runs):
            if r.probe not in known_probes:
                continue
            findings = [
                Finding(f.fact, _checked(kb, f.fact, _from_json_value(f.value),
                                         f"{name}: field probe_runs[{i}].findings[{j}].value"),
                        _said(f.said, f.evidence))
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

