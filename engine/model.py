"""The rule language: pydantic models of what a knowledge-base file may say.

A knowledge-base file is a YAML mapping with any of the sections ``facts``, ``symptoms``,
``causes`` and ``rules``. The models are strict (unknown keys are errors) so that a typo in a
rule file is reported, never silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

__all__ = [
    "Text",
    "Choice",
    "FactSpec",
    "SymptomSpec",
    "Fix",
    "RootWhen",
    "CauseSpec",
    "Leaf",
    "AllOf",
    "AnyOf",
    "NotOf",
    "Condition",
    "SupportCause",
    "AssertFact",
    "Conclusion",
    "Rule",
    "KBFile",
    "FactType",
    "OPERATORS",
]

FactType = Literal["bool", "number", "enum", "text", "series"]
OPERATORS = ("is", "ne", "lt", "le", "gt", "ge", "in", "not_in", "between", "known", "contains")

_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A piece of user-facing text in English and Chinese."""

    en: str = Field(min_length=1)
    zh: str | None = None

    def get(self, lang: str = "en") -> str:
        """Return the text in ``lang``, falling back to English."""
        if lang == "zh" and self.zh:
            return self.zh
        return self.en


def _coerce_text(value: Any) -> Any:
    return {"en": value} if isinstance(value, str) else value


class Choice(_Strict):
    """One allowed value of an enum fact."""

    value: str
    text: Text

    _coerce = field_validator("text", mode="before")(_coerce_text)


class FactSpec(_Strict):
    """A fact the engine can know: its type, how to ask for it, which probe measures it."""

    id: str = Field(pattern=_ID)
    type: FactType
    text: Text
    # a boolean fact whose text is a negative statement says what holds when it is false
    # ("Inputs are normalised", not "Not so: Inputs are not normalised")
    text_false: Text | None = None
    question: Text | None = None
    why: Text | None = None
    choices: list[Choice] | None = None
    unit: str | None = None
    askable: bool = True
    probes: list[str] = Field(default_factory=list)
    cost: float = Field(default=1.0, gt=0)
    default: Any = None
    # facts that describe one event (the loss went NaN: its step, the weights it left NaN)
    # share an observation: rules that read only it count once per cause (the strongest)
    observation: str | None = Field(default=None, pattern=_ID)
    # measured facts that answer this question better ("the largest dropout rate?" once the
    # model's dropout layers were read): once one is known, the question is not asked
    measured_as: list[str] = Field(default_factory=list)
    # when the question applies ("the first conv layer's filters?" only to a model with conv
    # layers): once the facts it reads are known and it is false, the question is not asked
    asked_if: Condition | None = None
    lint_ignore: list[str] = Field(default_factory=list, alias="lint-ignore")

    _coerce = field_validator("text", "text_false", "question", "why",
                              mode="before")(_coerce_text)

    @model_validator(mode="after")
    def _check(self) -> FactSpec:
        if self.type == "enum" and not self.choices:
            raise ValueError("an enum fact needs 'choices'")
        if self.type != "enum" and self.choices:
            raise ValueError(f"'choices' only make sense for an enum fact, not {self.type}")
        if self.askable and self.question is None and self.type != "series":
            raise ValueError("an askable fact needs a 'question' (or set askable: false)")
        return self

    @property
    def choice_values(self) -> list[str]:
        return [c.value for c in self.choices or []]


class SymptomSpec(_Strict):
    """Something a person complains about, with the phrases they use and the facts it implies."""

    id: str = Field(pattern=_ID)
    text: Text
    synonyms: dict[Literal["en", "zh"], list[str]] = Field(default_factory=dict)
    implies: dict[str, Any] = Field(min_length=1)
    #: A piece of a complaint whose every percentage is above this share is no sign of the
    #: symptom ("val accuracy plateaus around 92%" is not accuracy at chance, which is at
    #: most 50 %).
    max_share: float | None = Field(default=None, gt=0, le=1)
    #: ... and one whose every percentage is below this share is none either ("validation
    #: accuracy falls from 0.75 to 0.66" is not an accuracy suspiciously high).
    min_share: float | None = Field(default=None, ge=0, lt=1)
    #: Phrases (among the synonyms) that name this symptom only in a piece that says a level
    #: ("accuracy not improving" is accuracy at chance when it says "at 25 %", and an
    #: accuracy that rose and stopped when it says none): they weigh in the words' weights
    #: as every phrase does, but a piece that says no percentage is not read by them.
    needs_level: list[str] = Field(default_factory=list, alias="needs-level")
    #: ``statement``: what a person says they suspect or did ("I forgot model.train()"), as
    #: the fact it states. Matched like any symptom, but its words do not count in how
    #: informative a word is among the observations (so adding one moves no other reading).
    kind: Literal["observation", "statement"] = "observation"
    sources: list[str] = Field(default_factory=list)
    lint_ignore: list[str] = Field(default_factory=list, alias="lint-ignore")

    _coerce = field_validator("text", mode="before")(_coerce_text)

    @model_validator(mode="after")
    def _check(self) -> SymptomSpec:
        phrases = {p for group in self.synonyms.values() for p in group}
        if unknown := [p for p in self.needs_level if p not in phrases]:
            raise ValueError(f"needs-level names phrases that are not synonyms: {unknown}")
        return self


class Fix(_Strict):
    """One thing to change, optionally with a code snippet.

    A fix may quote measurements: ``{=fact.id}`` in its text or snippet is replaced by the
    fact's value, and the fix is shown only when every fact it quotes is known and its
    ``when`` (if any) holds. Such measured fixes are listed before the generic ones.
    """

    text: Text
    snippet: str | None = None
    when: Condition | None = None

    _coerce = field_validator("text", mode="before")(_coerce_text)


class RootWhen(_Strict):
    """Where a mechanism is the root itself: ``when`` holds over measured facts (the setting in
    which its own fix is the fix, e.g. an unclipped recurrent net at a rate that recurrent nets
    train at with clipping), and the roots named in ``over`` then yield to it instead of
    explaining it away."""

    when: Condition
    over: list[str] = Field(min_length=1)


class CauseSpec(_Strict):
    """A cause of failure the engine can conclude.

    ``kind`` says whether the cause is a *fault* (it explains a failure) or a practice
    *note* (advice). ``explains`` is the condition over observed facts — symptoms and
    measured anomalies — that the cause accounts for: a fault whose ``explains`` is not
    established stays below the reporting threshold, and a note becomes a diagnosis only
    when its ``explains`` holds. ``consequence_of`` names root causes this one is a
    mechanism of (dead ReLUs from a learning rate that is too high): once such a root cause
    is established, this one is explained away. ``yields_to`` names causes whose measured
    presence confounds this one's evidence (an LR sweep run from a blown-up initialisation
    prefers a tiny LR): once one is established, this one is discounted whatever its rank,
    without becoming a mechanism. ``root_when`` turns a mechanism into the root over the
    causes it names where its setting is measured (see docs/reasoning.md).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["fault", "note"] = "fault"
    explains: Condition | None = None
    consequence_of: list[str] = Field(default_factory=list)
    yields_to: list[str] = Field(default_factory=list)
    root_when: RootWhen | None = None
    title: Text
    explanation: Text | None = None
    fixes: list[Fix] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    lint_ignore: list[str] = Field(default_factory=list, alias="lint-ignore")

    _coerce = field_validator("title", "explanation", mode="before")(_coerce_text)


class Leaf(_Strict):
    """A test of one fact with one operator, e.g. ``{fact: loss.nan, is: true}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    fact: str = Field(pattern=_ID)
    is_: Any = Field(default=None, alias="is")
    ne: Any = None
    lt: float | None = None
    le: float | None = None
    gt: float | None = None
    ge: float | None = None
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    between: tuple[float, float] | None = None
    known: bool | None = None
    contains: str | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Leaf:
        ops = [op for op in OPERATORS if self.operand(op) is not None]
        if len(ops) != 1:
            named = ", ".join(ops) if ops else "none"
            raise ValueError(
                f"a condition on '{self.fact}' needs exactly one operator of "
                f"{', '.join(OPERATORS)} (found {named})"
            )
        if self.between is not None and self.between[0] > self.between[1]:
            raise ValueError(f"'between' needs [low, high], got {list(self.between)}")
        return self

    def operand(self, op: str) -> Any:
        return getattr(self, {"is": "is_", "in": "in_"}.get(op, op))

    @property
    def op(self) -> str:
        """The one operator this leaf uses."""
        cached: str | None = self.__dict__.get("_op_cache")
        if cached is None:
            cached = next(op for op in OPERATORS if self.operand(op) is not None)
            object.__setattr__(self, "_op_cache", cached)  # frozen model: cache by hand
        return cached

    @property
    def value(self) -> Any:
        return self.operand(self.op)


class AllOf(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Condition] = Field(min_length=1)


class NotOf(_Strict):
    not_: Condition = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("fact", "all", "any", "not"):
            if key in value:
                return key
        return None
    kinds: dict[type, str] = {Leaf: "fact", AllOf: "all", AnyOf: "any", NotOf: "not"}
    return kinds.get(type(value))


Condition = Annotated[
    Annotated[Leaf, Tag("fact")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition is a mapping with 'fact' (and one operator), "
        "'all', 'any' or 'not'",
    ),
]


class SupportCause(_Strict):
    """Add evidence for (cf > 0) or against (cf < 0) a cause."""

    cause: str
    cf: float = Field(ge=-1.0, le=1.0)


class AssertFact(_Strict):
    """Conclude the value of a fact (an intermediate finding)."""

    set: str = Field(pattern=_ID)
    value: Any


def _conclusion_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "cause" if "cause" in value else "set" if "set" in value else None
    kinds: dict[type, str] = {SupportCause: "cause", AssertFact: "set"}
    return kinds.get(type(value))


Conclusion = Annotated[
    Annotated[SupportCause, Tag("cause")] | Annotated[AssertFact, Tag("set")],
    Discriminator(
        _conclusion_kind,
        custom_error_type="conclusion",
        custom_error_message="a conclusion is {cause: ID, cf: NUMBER} or {set: FACT, value: VALUE}",
    ),
]


class Rule(_Strict):
    """If ``when`` holds, ``then`` happens. ``because`` says why, in words."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    when: Condition
    then: list[Conclusion] = Field(min_length=1)
    salience: int = 0
    because: Text
    sources: list[str] = Field(min_length=1)
    stage: str | None = None
    #: facts of ``when`` that set the rule's scope (the measurement applies to this run: the
    #: rate never decayed, the sweep started where the run did), not evidence: the rule's
    #: derivation shows them, its causes' evidence does not
    given: list[str] = Field(default_factory=list)
    lint_ignore: list[str] = Field(default_factory=list, alias="lint-ignore")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    _coerce = field_validator("because", mode="before")(_coerce_text)


class KBFile(_Strict):
    """One knowledge-base file."""

    facts: list[FactSpec] = Field(default_factory=list)
    symptoms: list[SymptomSpec] = Field(default_factory=list)
    causes: list[CauseSpec] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
Rule.model_rebuild()
Fix.model_rebuild()
RootWhen.model_rebuild()
CauseSpec.model_rebuild()
