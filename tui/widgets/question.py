"""A question from the engine, with its answers as buttons, keys or a checked input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Static

from dldoctor.session import Question

from ..i18n import relabel_bindings, t
from .message import TranscriptItem

__all__ = ["QuestionCard", "AnswerValidator"]


class AnswerValidator(Validator):
    """Accept what the session accepts as an answer; its complaint is the message."""

    def __init__(self, problem: Callable[[str], str | None]) -> None:
        super().__init__()
        self.problem = problem  # ``Session.answer_problem`` for the question's fact

    def validate(self, value: str) -> ValidationResult:
        problem = self.problem(value)
        return self.success() if problem is None else self.failure(problem)


def _label(key: str, text: str) -> str:
    return f"[b]{escape(key)}[/b] {escape(text)}"


class _AnswerInput(Input):
    """The typed answer's box. While it is empty, a key of the card's that no answer starts
    with runs the card's action ("w" why, "s" skip on a number's box: the card showed
    "w Why?" and the box took the letter as the answer's first character)."""

    def __init__(self, *args: Any, card_keys: dict[str, str] | None = None, **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.card_keys = card_keys or {}

    async def _on_key(self, event: events.Key) -> None:
        # Input's own key handler inserts every printable key (textual is pinned in
        # pyproject: this override follows its 8.2 handler)
        action = self.card_keys.get(event.character or "") if not self.value else None
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        card = next(a for a in self.ancestors if isinstance(a, QuestionCard))
        if action == "why":
            card.action_why()
        else:
            card.action_skip()


class QuestionCard(TranscriptItem, Vertical):
    """Asks one question; posts :class:`Answered`, :class:`WhyAsked` or :class:`Skipped`."""

    can_focus = True

    # The keys are written on the card's buttons, so the footer keeps its room for the rest.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('yes')", "Yes", id="yes", show=False),
        Binding("n", "answer('no')", "No", id="no", show=False),
        Binding("question_mark", "answer('?')", "Don't know", key_display="?", id="dont_know",
                show=False),
        Binding("w", "why", "Why?", id="why", show=False),
        Binding("s", "skip", "Skip", id="skip", show=False),
        *(Binding(str(i), f"choose({i})", show=False) for i in range(1, 10)),
    ]

    class Answered(Message):
        """The person answered the question (``raw`` as typed or chosen)."""

        def __init__(self, card: QuestionCard, fact: str, raw: Any) -> None:
            super().__init__()
            self.card, self.fact, self.raw = card, fact, raw

    class WhyAsked(Message):
        def __init__(self, fact: str) -> None:
            super().__init__()
            self.fact = fact

    class Skipped(Message):
        def __init__(self, card: QuestionCard, fact: str) -> None:
            super().__init__()
            self.card, self.fact = card, fact

    def __init__(self, question: Question, lang: str, number: int,
                 problem: Callable[[str], str | None]) -> None:
        super().__init__(classes="transcript-item")
        self.question = question
        self.spec = question.spec
        self.lang = lang
        self.problem = problem
        self.resolved = False
        self.sent = False  # an answer or skip is on its way: keys typed meanwhile do nothing
        self.border_title = t(lang, "doctor")
        self.border_subtitle = t(lang, "question_n", n=number)

    @property
    def fact(self) -> str:
        return self.question.fact

    def compose(self) -> ComposeResult:
        spec, lang = self.spec, self.lang
        text = spec.question.get(lang) if spec.question else spec.text.get(lang)
        yield Static(text, markup=False, classes="question-text")
        if spec.type == "enum":  # one per line: every choice stays visible at 80 columns
            with Vertical(classes="choices enum-choices"):
                for i, choice in enumerate(spec.choices or [], 1):
                    yield Button(_label(str(i), choice.text.get(lang)), id=f"choice-{i}",
                                 compact=True)
        with Horizontal(classes="choices"):
            if spec.type == "bool":
                yield Button(_label("y", t(lang, "yes")), id="answer-yes", compact=True)
                yield Button(_label("n", t(lang, "no")), id="answer-no", compact=True)
            elif spec.type != "enum":
                yield _AnswerInput(
                    card_keys={"w": "why", "s": "skip"} if spec.type == "number" else None,
                    placeholder=self._hint(),
                    validators=[AnswerValidator(self.problem)],
                    validate_on=["submitted"],
                    id="answer-input",
                    compact=True,
                )
                yield Button(t(lang, "submit"), id="answer-submit", compact=True)
            if spec.type in ("bool", "enum"):
                yield Button(_label("?", t(lang, "dont_know")), id="answer-unknown",
                             compact=True)
            yield Button(_label("w", t(lang, "why")), id="ask-why", compact=True,
                         classes="aside")
            yield Button(_label("s", t(lang, "skip")), id="ask-skip", compact=True,
                         classes="aside")
        yield Label("", id="problem")

    def _hint(self) -> str:
        if self.spec.type == "number":
            return t(self.lang, "number_hint")
        return "…"

    def on_mount(self) -> None:
        relabel_bindings(self, self.lang)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.resolved or self.sent:
            return False if action in {"answer", "choose", "why", "skip"} else True
        if action == "answer" and parameters and parameters[0] in ("yes", "no"):
            return self.spec.type == "bool"
        if action == "answer":  # don't know
            return self.spec.type in ("bool", "enum")
        if action == "choose":
            return self.spec.type == "enum"
        return True

    def focus_answer(self) -> None:
        """Focus where the answer goes: the input for typed answers, else the card."""
        for box in self.query("#answer-input"):
            box.focus()
            return
        self.focus()

    # ------------------------------------------------------------------ answering
    def _send(self, message: Message) -> None:
        """Post one answer or skip; a second one before the screen takes the first (a word
        typed fast: "yes" is y, e, s = skip) is dropped, not applied to the next question."""
        if self.resolved or self.sent:
            return
        self.sent = True
        self.post_message(message)

    def action_answer(self, raw: str) -> None:
        self._send(self.Answered(self, self.fact, raw))

    def action_choose(self, index: int) -> None:
        values = self.spec.choice_values
        if 1 <= index <= len(values):
            self._send(self.Answered(self, self.fact, values[index - 1]))

    def action_why(self) -> None:
        self.post_message(self.WhyAsked(self.fact))

    def action_skip(self) -> None:
        self._send(self.Skipped(self, self.fact))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id or ""
        if bid == "answer-yes":
            self.action_answer("yes")
        elif bid == "answer-no":
            self.action_answer("no")
        elif bid == "answer-unknown":
            self.action_answer("?")
        elif bid.startswith("choice-"):
            self.action_choose(int(bid.split("-")[1]))
        elif bid == "ask-why":
            self.action_why()
        elif bid == "ask-skip":
            self.action_skip()
        elif bid == "answer-submit":
            box = self.query_one("#answer-input", Input)
            self._submit(box.value, box.validate(box.value))

    @on(Input.Submitted, "#answer-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value, event.validation_result)

    @on(Input.Changed, "#answer-input")
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#problem", Label).remove_class("-shown")

    def _submit(self, value: str, result: ValidationResult | None) -> None:
        problem = self.query_one("#problem", Label)
        if result is not None and not result.is_valid:
            problem.update(escape("; ".join(result.failure_descriptions)))
            problem.add_class("-shown")
            return
        problem.update("")
        problem.remove_class("-shown")
        self._send(self.Answered(self, self.fact, value.strip()))

    def show_problem(self, text: str) -> None:
        """Show why an answer was refused (from the session); another may be given."""
        self.sent = False
        problem = self.query_one("#problem", Label)
        problem.update(escape(text))
        problem.add_class("-shown")

    async def resolve(self, answer: str) -> None:
        """The question is settled: drop the controls, keep the question in the transcript."""
        if self.resolved:
            return
        self.resolved = True
        self.add_class("-answered")
        self.border_subtitle = f"{self.border_subtitle} ✓"
        self.tooltip = answer
        await self.query(".choices, #problem").remove()
        self.refresh_bindings()
