"""The conversation: a transcript, a probe status line and a composer, over the Session.

The screen decides nothing about the diagnosis: it asks the session for the next step,
renders it, and hands back what the person said.
"""

from __future__ import annotations

import asyncio
import functools
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input
from textual.worker import Worker, WorkerState

from dldoctor.error_texts import in_lang
from dldoctor.errors import DldoctorError
from dldoctor.render import render_markdown
from dldoctor.report import overruled
from dldoctor.session import (
    Done,
    NeedsChoice,
    ProbeContext,
    ProbeRequest,
    ProbeRun,
    Question,
    Session,
    SymptomMatch,
    Taken,
    ValueProblem,
    resolve_logs,
)
from dldoctor.wrap import cell_len

from ..i18n import relabel_bindings, t
from ..texts import (
    answer_label,
    brief_markdown,
    findings_markdown,
    history_markdown,
    how_markdown,
    inline_literal,
    inputs_summary,
    nothing_concluded,
    what_was_undone,
    why_card_markdown,
)
from ..widgets.composer import Composer
from ..widgets.diagnosis import DiagnosisCard, copy_snippets
from ..widgets.message import DoctorMessage, NoticeMessage, UserMessage
from ..widgets.probe_status import ProbeStatus
from ..widgets.question import QuestionCard
from ..widgets.symptom_choice import SymptomChoice
from .attach import Attachment, AttachScreen
from .confirm import ConfirmScreen
from .write_file import ask_and_write

if TYPE_CHECKING:
    from ..app import DldoctorApp

__all__ = ["ChatScreen"]

#: Cells of the header's icon (dldoctor.tcss: HeaderIcon); the clock's space is given back
HEADER_ICON = 4
_PROGRESS_EVERY = 0.05  # seconds between progress messages from a probe thread


def _mid_sentence(title: str) -> str:
    """An English title continued in a sentence: "Accuracy is …" → "accuracy is …"; a first
    word with other capitals (NaN, BatchNorm, CUDA) keeps its case."""
    word = title.split(" ", 1)[0]
    return title[:1].lower() + title[1:] if word[1:] == word[1:].lower() else title


class ChatScreen(Screen[None]):
    """Transcript, probe status and composer; every change goes through the session."""

    BINDINGS = [
        Binding("ctrl+o", "attach", "Attach", id="attach"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("ctrl+g", "conclude", "Conclude", id="conclude"),
        # New and Save stay out of the footer (80 columns); the palette lists them
        Binding("ctrl+n", "restart", "New", id="restart", show=False),
        Binding("ctrl+s", "save", "Save", id="save", show=False),
        Binding("ctrl+r", "export", "Report", id="export"),
        Binding("ctrl+l", "toggle_lang", "中文", id="toggle_lang"),
        Binding("escape", "cancel_probe", "Cancel", id="cancel_probe"),
    ]

    class ProbeProgressed(Message):
        def __init__(self, fraction: float, note: str) -> None:
            super().__init__()
            self.fraction, self.note = fraction, note

    class ProbeFinished(Message):
        def __init__(self, run: ProbeRun) -> None:
            super().__init__()
            self.run = run

    def __init__(self) -> None:
        super().__init__()
        self.pending: QuestionCard | SymptomChoice | None = None
        self.probe_ctx: ProbeContext | None = None
        self.probes_paused = False
        self.concluded = False  # "conclude now": no more questions until something new is said
        self.reported = False  # the transcript ends in a report nothing said since has changed
        self._last_progress = 0.0
        self._want_focus: Widget | None = None
        self._focus_from: Widget | None = None
        # what the person last typed, until a report answers it: the view then starts there,
        # so the reply below it shows, not the top of a long card further down
        self._said: Widget | None = None
        self._want_shown: Widget | None = None
        self._unreadable_said: set[str] = set()  # an unreadable file is said once, not per probe
        self._overruled_said: set[str] = set()  # what the files contradict, said once each
        self._stop_asked = False  # esc while a check ran: no further checks after it
        # the question just answered by a key, and the key: "n" of "not sure" answered "no"
        # before the rest of the word was typed (see :meth:`_finish_word`)
        self._key_answer: tuple[QuestionCard, str] | None = None
        # the question whose "why?" a key just showed: "w" of "what does that mean?"
        self._key_why: tuple[QuestionCard, str] | None = None
        # the question a key just skipped: "s" of "sure"
        self._key_skip: tuple[QuestionCard, str] | None = None

    # ------------------------------------------------------------------ plumbing
    @property
    def doctor(self) -> DldoctorApp:
        return self.app  # type: ignore[return-value]

    @property
    def session(self) -> Session:
        return self.doctor.session

    @property
    def lang(self) -> str:
        return self.session.lang

    @property
    def probe_running(self) -> bool:
        return self.probe_ctx is not None

    @property
    def transcript(self) -> VerticalScroll:
        return self.query_one("#transcript", VerticalScroll)

    def compose(self) -> ComposeResult:
        yield Header(icon="✚")
        yield VerticalScroll(id="transcript")
        yield ProbeStatus(self.lang)
        yield Composer(t(self.lang, "placeholder"))
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.transcript.anchor()
        await self.begin()

    async def add(self, *widgets: Widget) -> None:
        """Append to the transcript and bring the end into view: follow the end again (a
        report shown from its top released it), so a reply still laying out its Markdown
        stays in view as it grows."""
        await self.transcript.mount_all(widgets)
        self.transcript.anchor()
        self.transcript.scroll_end(animate=False, immediate=False)

    async def say(self, text: str, subtitle: str = "") -> None:
        await self.add(DoctorMessage(text, t(self.lang, "doctor"), subtitle))

    async def show_loading(self, text: str) -> None:
        """Say at once that slow work runs (e.g. replaying a resumed session)."""
        self.query_one(ProbeStatus).busy(text)

    async def hide_loading(self) -> None:
        self.query_one(ProbeStatus).stop()

    async def note(self, text: str, severity: str = "information") -> None:
        await self.add(NoticeMessage(text, severity))

    def refresh_labels(self) -> None:
        """Put the header, footer and composer in the session's language."""
        lang = self.lang
        self.doctor.title = t(lang, "title")
        self.fit_header()
        relabel_bindings(self, lang)
        relabel_bindings(self.app, lang)
        waiting = isinstance(self.pending, QuestionCard) and not self.pending.resolved
        self.query_one(Composer).placeholder = t(
            lang, "placeholder_answer" if waiting else "placeholder")

    def header_room(self, title: str) -> int:
        """Cells the header leaves for the list of inputs after ``title`` (the icon takes
        :data:`HEADER_ICON` cells, the separator three)."""
        return max(12, self.app.size.width - HEADER_ICON - cell_len(title) - 3 - 1)

    def on_resize(self) -> None:
        self.fit_header()

    def fit_header(self) -> None:
        """Fit the list of inputs (a refused file marked) into the header's room."""
        self.doctor.sub_title = inputs_summary(self.session.inputs, self.lang,
                                               self.header_room(self.doctor.title),
                                               self.session.refused_files())

    def started(self) -> bool:
        """Is there anything to work from yet (something said, given or attached)?"""
        return not self.session.is_blank()

    async def begin(self, resumed: bool = False) -> None:
        """Greet, recall what the session already knows, and take the next step."""
        self.refresh_labels()
        await self.say(t(self.lang, "greeting"))
        history = history_markdown(self.session)
        if history:
            await self.say(t(self.lang, "resumed" if resumed else "so_far") + "\n\n" + history)
        left_out = self.session.left_out
        if left_out:  # the rules changed since the session was saved
            keys = ", ".join(f"`{k}`" for k in left_out[:5])
            await self.note(t(self.lang, "left_out", n=len(left_out), keys=keys), "warning")
        withheld = self.session.withheld_model
        if withheld and not self.session.inputs.model:  # a session file is data, not code
            await self.note(t(self.lang, "model_withheld", model=withheld), "warning")
        await self.advance()
        if self.pending is None:
            self.query_one(Composer).focus()

    async def reset(self, resumed: bool = False) -> None:
        """Clear the transcript and begin again (after a restart, resume or reload)."""
        self.cancel_probe()
        self.query_one(ProbeStatus).stop()
        self.pending = None
        self.probes_paused = False
        self.concluded = self.reported = False
        self._unreadable_said.clear()
        await self.transcript.remove_children()
        await self.begin(resumed)

    async def changed(self) -> None:
        """The session changed: save it, update the header, take the next step."""
        for card in self.query(DiagnosisCard):
            card.add_class("-stale")  # a later report replaces it
        self.concluded = self.reported = False  # something new was said: the talk goes on
        self.doctor.autosave()
        self.refresh_labels()
        await self.advance()

    # ------------------------------------------------------------------ the next step
    async def advance(self) -> None:
        """Ask the session what is next and render it (a probe, a question or the report)."""
        if self.probe_running or not self.started():
            return
        if isinstance(self.pending, SymptomChoice) and not self.pending.resolved:
            return  # first the person says which symptom they meant
        step = self.next_step()
        if isinstance(step, ProbeRequest):
            await self.drop_pending()
            self.start_probe(step)
        elif isinstance(step, Question):
            if isinstance(self.pending, QuestionCard) and self.pending.fact == step.fact \
                    and not self.pending.resolved:
                self.pending.focus_answer()
                return
            await self.drop_pending()
            card = QuestionCard(step, self.lang, self.session.questions_asked() + 1,
                                functools.partial(self.session.answer_problem, step.fact))
            self.pending = card
            await self.add(card)
            if not self.query_one(Composer).value:  # never take the focus from typing
                card.focus_answer()
            self.refresh_labels()
        else:
            await self.drop_pending()
            await self.show_report()

    def next_step(self) -> ProbeRequest | Question | Done:
        """The session's step policy, as ``diagnose`` follows it (probes unless paused)."""
        if self.concluded:  # as ``done`` in ``diagnose``: the report from what is known
            return Done("concluded")
        return self.session.next_step(probes=not self.probes_paused)

    async def drop_pending(self) -> None:
        """Remove a question nobody answered (the plan changed)."""
        card, self.pending = self.pending, None
        if card is not None and not card.resolved:
            await card.remove()

    async def show_report(self) -> None:
        """Established faults as cards; possible causes and practice notes in brief."""
        report, lang = self.session.report(), self.lang
        self.reported = True
        established = report.faults
        if not report.diagnoses and not report.advice:
            await self.say(nothing_concluded(self.session.inputs, lang))
        if report.nothing_examined:  # e.g. a model that could not be built: no verdict
            await self.note(t(lang, "nothing_examined"), "warning")
        elif not established and (report.diagnoses or report.advice):
            await self.say(t(lang, "no_fault"))  # (with nothing at all, the line above said it)
        if report.unexplained and not established:  # a NaN loss is no clean run
            await self.note(t(lang, "unexplained") + "\n\n" +
                            "\n".join(f"- {failure}" for failure in report.unexplained),
                            "warning")
        if report.limits and not established:  # a one-row log is no clean bill of health
            await self.note(t(lang, "limits") + "\n\n" +
                            "\n".join(f"- {limit}" for limit in report.limits), "warning")
        cards = []
        if established:
            logs = list(self.session.inputs.logs)
            cards = [DiagnosisCard(d, i, lang, logs if i == 1 else None)
                     for i, d in enumerate(established, 1)]
            await self.say(t(lang, "report_intro"))
            await self.add(*cards)
        if report.diagnoses and len(report.diagnoses) > len(established):
            await self.note(brief_markdown(t(lang, "possible_intro"),
                                           [d for d in report.diagnoses if not d.established],
                                           lang))
        if report.advice:
            await self.note(brief_markdown(t(lang, "advice_intro"), report.advice, lang))
        said, self._said = self._said, None
        if cards:
            await self.note(t(lang, "report_hint"))
            self.focus_later(cards[0], show=said)
        else:
            self.query_one(Composer).focus()

    def focus_later(self, widget: Widget, show: Widget | None = None) -> None:
        """Focus ``widget`` once laid out, and not before a dialog over this screen closes;
        with ``show``, the view starts at that widget (what the person typed) instead."""
        self._want_focus, self._want_shown = widget, show
        self._focus_from = self.focused  # where the cursor was when the focus was asked for
        self.call_after_refresh(self._apply_focus)

    def _apply_focus(self) -> None:
        widget, shown = self._want_focus, self._want_shown
        if widget is not None and self.is_current:
            self._want_focus = self._want_shown = None
            composer = self.query_one(Composer)
            if composer.has_focus and (composer.value or self._focus_from is not composer):
                # the person started typing, or moved to the line since the focus was asked
                # for (a loaded machine lays the card out after that): never take it away
                widget = None
            if widget is not None and widget.is_mounted:
                widget.focus(scroll_visible=shown is None or not shown.is_mounted)
            if shown is not None and shown.is_mounted:
                # once the report below it is laid out: its height moves the end
                self.call_after_refresh(self._show_from, shown)

    def _show_from(self, shown: Widget) -> None:
        """Start the view at ``shown``: the transcript stops following its end (its anchor)
        until the person scrolls back down or something new is said."""
        if shown.is_mounted:
            self.transcript.release_anchor()
            self.transcript.scroll_to_widget(shown, top=True, animate=False)

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._apply_focus)

    async def on_key(self, event: events.Key) -> None:
        """Typing never goes astray: a letter typed in the transcript goes to the composer
        instead of being lost, the keys of the focused card (y, n, ?, 1–9, h …) act at once,
        in the order typed, and the rest of a word after an answer key goes to the composer
        ("yes" typed fast is y, not y and s = skip the next question; sent, the whole word
        is the answer, see :meth:`_finish_word`).

        Textual runs a widget's key bindings only once the key has bubbled up to the app,
        against the focus of that moment; a letter that moved the focus to the composer in
        between would lose them, so the card's keys run here."""
        if not event.is_printable or not event.character:
            return
        composer = self.query_one(Composer)
        focused = self.focused
        if isinstance(focused, Input) and focused is not composer:
            return  # a card's own answer box
        if focused is composer:  # aimed at the transcript before the focus moved here
            self._take_key(event)
            composer.insert_text_at_cursor(event.character)
            return
        active = self.active_bindings.get(event.key)
        if active is not None and active.node in (self, self.app):
            return  # the screen's and the app's own keys: Textual runs them
        self._take_key(event)
        cards = [w for w in (focused.ancestors_with_self if focused else [])
                 if isinstance(w, QuestionCard | SymptomChoice)]
        if active is not None and active.enabled:
            card = cards[0] if cards and isinstance(cards[0], QuestionCard) else None
            was_sent = card is None or card.sent
            await self.app.run_action(active.binding.action, active.node)
            answered = card is not None and not was_sent and card.sent and \
                active.binding.action.startswith(("answer", "choose"))
            self._key_answer = (card, event.character) if answered and card else None
            why = active.binding.action == "why" and card is not None
            self._key_why = (card, event.character) if why and card else None
            skipped = card is not None and not was_sent and card.sent and \
                active.binding.action == "skip"
            self._key_skip = (card, event.character) if skipped and card else None
            return
        # an answer on its way (its card "sent") takes no more keys: they are the rest of a
        # word and go to the composer with the others (dropped, "no, never" had left
        # " never" there, which then answered the next question)
        self.take_typed(event.character)

    def take_typed(self, text: str) -> None:
        """Put ``text`` in the composer, focused now (not after the keys already queued
        behind this one): a key aimed at the transcript, or what was typed over a dialog."""
        composer = self.query_one(Composer)
        self.set_focus(composer)
        composer.insert_text_at_cursor(text)

    def on_paste(self, event: events.Paste) -> None:
        """A paste while a card or message has the focus goes to the composer."""
        if isinstance(self.focused, Input):
            return
        event.stop()
        event.prevent_default()
        composer = self.query_one(Composer)
        composer.focus()
        composer.paste(event.text)

    @staticmethod
    def _take_key(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    # ------------------------------------------------------------------ the person speaks
    @on(Composer.Submitted, "#composer")
    async def _composer_submitted(self, event: Composer.Submitted) -> None:
        event.stop()
        text = Composer.spoken(event.value).strip()
        if text and self.probe_running:  # kept in the composer to send later (it was lost)
            self.notify(t(self.lang, "busy_kept"), severity="warning")
            return
        event.input.value = ""
        if not text:
            return
        if await self._finish_word(text):
            return
        text = self._after_why_key(text)
        if not text:
            return
        text = await self._after_skip_key(text)
        if not text:
            return
        said = UserMessage(text, t(self.lang, "you"))
        await self.add(said)
        self._said = said
        pending = self.pending
        if isinstance(pending, QuestionCard) and not pending.resolved:
            reply = self.session.reply_word(text)
            if reply == "why":
                await self.explain_why(pending.fact)
                return
            if reply == "skip":
                await self.skip(pending)
                return
            if reply == "done":
                await self.action_conclude()
                return
            if self.session.answer_problem(pending.fact, text) is None:
                await self.take_answer(pending, text, echo=False)
                return
            # not an answer: take it as a new complaint
        if isinstance(pending, SymptomChoice) and not pending.resolved:
            chosen = self.session.choice_numbers(text, len(pending.matches))
            if chosen is not None:  # "2", "the first one", 第二个, "both", "none of these"
                for extra in chosen[1:]:  # several meant: the others are taken as they are
                    match = pending.matches[extra - 1]
                    self.session.add_symptom(match.symptom, match.text, match.score)
                    pending.also.append(self.session.symptom_title(match.symptom))
                pending.action_choose(chosen[0])
                return
        if self.session.reply_word(text) == "why":
            if self._chosen_card() is not None:
                await self.action_how()  # "why?" after a diagnosis: how it was reached
            else:  # no diagnosis to explain: it was read as a symptom it could not match
                await self.say(t(self.lang, "why_no_diagnosis"))
            return
        await self.complain(text)

    async def _after_skip_key(self, text: str) -> str:
        """The rest of a word whose first letter skipped a question: "s" then "ure". A word
        that answers it ("sure" is yes) takes the skip back and answers; "skip" itself is
        done already; anything else was typed after a skip meant, and is kept as typed."""
        last, self._key_skip = self._key_skip, None
        if last is None or text[:1].isspace():
            return text
        card, key = last
        word = key + text
        if self.session.reply_word(word) == "skip":
            return ""
        if card.fact not in self.session.skipped or \
                self.session.answer_problem(card.fact, word) is not None:
            return text  # a skip meant, then something else typed: that, as typed
        self.session.skipped.discard(card.fact)
        self.session.answer(card.fact, word)
        card.tooltip = answer_label(self.session, card.fact, word)
        await self.add(UserMessage(word, t(self.lang, "you")))
        await self.drop_pending()  # the next question is asked again below the answer
        await self.changed()
        return ""

    def _after_why_key(self, text: str) -> str:
        """The rest of a sentence whose first letter showed why a question is asked: "w"
        then "hat does that mean?". A question about the question is answered already
        (nothing left to do); anything else was typed after a why? meant, kept as typed."""
        last, self._key_why = self._key_why, None
        if last is None or last[0] is not self.pending or text[:1].isspace():
            return text
        card, key = last
        word = key + text
        if self.session.reply_word(word) == "why":  # "what does that mean?" too
            self.focus_later(card)
            return ""
        return text  # why? meant, then something else typed: that, as typed

    async def _finish_word(self, rest: str) -> bool:
        """The rest of a word whose first letter answered a question at once: "n" took "no",
        then "ot sure" was typed and sent. The whole word is the answer ("not sure" is
        don't know): the key's answer is taken back and the word's given instead; a word
        that means what the key did ("yes" typed slowly) is already answered. False when the
        text is something else (a new complaint, an answer to the next question)."""
        last, self._key_answer = self._key_answer, None
        if last is None:
            return False
        card, key = last
        word = key + rest
        answers = self.session.answers
        if not (card.resolved and answers and answers[-1].kind == "fact"
                and answers[-1].key == card.fact) or rest[:1].isspace():
            return False
        if self.session.answer_problem(card.fact, word) is not None:
            return False
        label = answer_label(self.session, card.fact, word)
        if label == answer_label(self.session, card.fact, answers[-1].raw):
            return True  # "yes": y took it already
        await self.add(UserMessage(word, t(self.lang, "you")))
        await self.note(t(self.lang, "undone", what=what_was_undone(self.session, answers[-1])))
        self.session.undo()
        self.session.answer(card.fact, word)
        card.tooltip = label
        await self.drop_pending()  # the next question is asked again below the correction
        await self.changed()
        return True

    async def complain(self, text: str) -> None:
        """Hand the complaint to the session; put each close call it finds to the person."""
        stale = self.pending if isinstance(self.pending, SymptomChoice) else None
        step = self.session.complain(text, ask=True)
        rest, asked = self.session.questions_in(text)
        if asked:
            await self.say(t(self.lang, "asked_measured" if self.session.inputs.attached()
                             else "asked", question=" ".join(asked)))
        if step == Taken(()) and not rest:  # only a question: said so above
            if isinstance(self.pending, QuestionCard) and not self.pending.resolved:
                self.focus_later(self.pending)
            return
        if step == Taken(()):
            examples = "\n".join(f"- {e}" for e in self.session.symptom_examples(text))
            await self.say(t(self.lang, "no_match") + "\n\n" + examples)
            if stale is not None and not stale.resolved:  # still waiting for its pick
                await self.note(t(self.lang, "choice_waiting", n=len(stale.matches)))
                self.focus_later(stale)
            elif isinstance(self.pending, QuestionCard) and not self.pending.resolved:
                self.focus_later(self.pending)  # its keys (y, n, s, ?) answer it again
            return
        if stale is not None and not stale.resolved:  # the person moved on: don't wait for it
            await stale.resolve(t(self.lang, "skipped"))
            self.pending = None
        await self.took(step.symptoms if isinstance(step, Taken) else step.taken)
        await self.next_symptom(step)

    async def took(self, matches: tuple[SymptomMatch, ...]) -> None:
        titles = list(dict.fromkeys(self.session.symptom_title(m.symptom) for m in matches))
        if titles:
            joined = "、".join(titles) if self.lang == "zh" else \
                ", ".join(titles[:1] + [_mid_sentence(title) for title in titles[1:]])
            await self.say(t(self.lang, "took", symptoms=joined))
        # what the files measure otherwise is said at once, as the report says it
        await self.say_overruled(titles)

    async def say_overruled(self, among: list[str] | None = None) -> None:
        """Say once what the person described that the files measure otherwise — at once when
        it is said (``among`` its titles), or when a file attached later contradicts it (a
        new user's over-fitting vanished after a log was attached, with no word why)."""
        contradicted = [title for title in overruled(self.session)
                        if (among is None or title in among)
                        and title not in self._overruled_said]
        if contradicted:
            self._overruled_said.update(contradicted)
            what = ("、" if self.lang == "zh" else "; ").join(contradicted)
            await self.say(t(self.lang, "overruled", what=what))

    async def next_symptom(self, step: Taken | NeedsChoice) -> None:
        """Ask about the next close call of a complaint, or carry on once all are settled."""
        if isinstance(step, Taken):
            await self.changed()
            return
        await self.drop_pending()
        titles = [self.session.symptom_title(m.symptom) for m in step.options]
        card = SymptomChoice(step, titles, self.lang)
        self.pending = card
        await self.add(card)
        card.focus()
        self.doctor.autosave()

    @on(SymptomChoice.Chosen)
    async def _symptom_chosen(self, event: SymptomChoice.Chosen) -> None:
        event.stop()
        if event.card is not self.pending or event.card.resolved:
            return  # a stale card (replaced or already settled): nothing to take
        if self.refuse_while_busy():
            event.card.sent = False
            return
        card, match = event.card, event.match
        title = self.session.symptom_title(match.symptom) if match else t(
            self.lang, "chose_none")
        title = ("、" if self.lang == "zh" else ", ").join([title, *card.also])  # "both"
        await card.resolve(title)
        self.pending = None
        await self.add(UserMessage(title, t(self.lang, "you")))
        step = self.session.choose(card.choice, match)
        if match is not None:
            await self.say(t(self.lang, "took", symptoms=title))
        await self.next_symptom(step)

    @on(QuestionCard.Answered)
    async def _answered(self, event: QuestionCard.Answered) -> None:
        event.stop()
        if not self._live(event.card):
            return
        if self.refuse_while_busy():
            event.card.sent = False
            return
        await self.take_answer(event.card, event.raw, echo=True)

    def _live(self, card: QuestionCard) -> bool:
        """Whether ``card`` is the question waiting now (not one replaced or settled)."""
        return card is self.pending and not card.resolved

    async def take_answer(self, card: QuestionCard, raw: str, *, echo: bool) -> None:
        try:
            self.session.answer(card.fact, raw)
        except ValueProblem:
            card.show_problem(self.session.answer_problem(card.fact, str(raw)) or str(raw))
            return
        label = answer_label(self.session, card.fact, raw)
        await card.resolve(label)
        self.pending = None
        if echo:  # answered by a key: the view starts at the answer, as at a typed line
            self._said = UserMessage(label, t(self.lang, "you"))
            await self.add(self._said)
        await self.changed()

    @on(QuestionCard.Skipped)
    async def _skipped(self, event: QuestionCard.Skipped) -> None:
        event.stop()
        if not self._live(event.card):
            return
        if self.refuse_while_busy():
            event.card.sent = False
            return
        await self.skip(event.card)

    async def skip(self, card: QuestionCard) -> None:
        self.session.skip(card.fact)
        await card.resolve(t(self.lang, "skipped"))
        self.pending = None
        await self.add(UserMessage(t(self.lang, "skipped"), t(self.lang, "you")))
        await self.changed()

    @on(QuestionCard.WhyAsked)
    async def _why(self, event: QuestionCard.WhyAsked) -> None:
        event.stop()
        await self.explain_why(event.fact)

    async def explain_why(self, fact: str) -> None:
        """Say why ``fact`` is asked, then put its question below the answer again: a long
        reason would otherwise push the question and its keys off the screen."""
        why = DoctorMessage(why_card_markdown(self.session, fact), t(self.lang, "doctor"),
                            t(self.lang, "why_title"))
        await self.add(why)
        card = self.pending
        if isinstance(card, QuestionCard) and card.fact == fact and not card.resolved:
            self.transcript.move_child(card, after=why)
            self.transcript.scroll_end(animate=False, immediate=False)
            if not self.query_one(Composer).value:  # never take the focus from typing
                card.focus_answer()

    @on(DiagnosisCard.HowAsked)
    async def _how(self, event: DiagnosisCard.HowAsked) -> None:
        """``h`` on a card: that card's diagnosis, unless the person paged away from it (the
        focus stays behind when the transcript scrolls): then the card in view."""
        event.stop()
        if not _shown_rows(event.card, self.transcript):
            shown = self._chosen_card()
            if shown is not None:
                await self.explain_how(shown.diagnosis.cause)
                return
        await self.explain_how(event.cause)

    async def explain_how(self, cause: str) -> None:
        steps = self.session.how(cause)
        title = self.session.cause_title(cause)
        body = how_markdown(self.session, steps) if steps else t(self.lang, "how_none")
        await self.say(t(self.lang, "how_title", title=title) + "\n\n" + body)

    def refuse_while_busy(self) -> bool:
        if self.probe_running:
            self.notify(t(self.lang, "busy"), severity="warning")
            return True
        return False

    # ------------------------------------------------------------------ probes
    def start_probe(self, step: ProbeRequest) -> None:
        ctx = ProbeContext(progress=self._progress)
        self.probe_ctx = ctx
        self.query_one(ProbeStatus).start(self.session.probe_title(step.probe), self.lang)
        self.refresh_bindings()
        self._run_probe(self.session, step.probe, ctx)

    def _progress(self, fraction: float, note: str) -> None:
        """Called in the probe's thread: pass the progress on, at most every 50 ms."""
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_progress < _PROGRESS_EVERY:
            return
        self._last_progress = now
        self.post_message(self.ProbeProgressed(fraction, note))

    @work(thread=True, exclusive=True, exit_on_error=False, group="probe")
    def _run_probe(self, session: Session, probe_id: str, ctx: ProbeContext) -> None:
        self.post_message(self.ProbeFinished(session.run_probe(probe_id, ctx)))

    def on_chat_screen_probe_progressed(self, message: ProbeProgressed) -> None:
        if self.probe_running:
            self.query_one(ProbeStatus).advance(message.fraction,
                                                self.session.said(message.note))

    async def on_chat_screen_probe_finished(self, message: ProbeFinished) -> None:
        run = message.run
        self.probe_ctx = None
        self.query_one(ProbeStatus).stop()
        self.refresh_bindings()
        title = self.session.probe_title(run.probe)
        stop_asked, self._stop_asked = self._stop_asked, False
        if run.error == "cancelled" or (stop_asked and not run.error):
            # a check that finished before it saw the request: its findings are kept, and
            # the next checks wait (esc had seemed to do nothing: the run went on)
            self.probes_paused = True
            key = "probe_cancelled" if run.error else "probe_stopped_after"
            await self.note(t(self.lang, key, title=title), "warning")
            if run.findings:
                await self.say(t(self.lang, "probe_done", title=title, seconds=run.seconds)
                               + "\n\n" + findings_markdown(self.session, run))
        elif run.error and run.unreadable_input and run.error in self._unreadable_said:
            pass  # the next probe on the same file: its reason is on screen already
        elif run.error:
            if run.unreadable_input:
                self._unreadable_said.add(run.error)
            said = t(self.lang, "probe_failed", title=title,
                     error=inline_literal(str(in_lang(run.error, self.lang))))
            if getattr(run.error, "key", None) == "ckpt.refused_pickle":  # no such flag here
                said += "\n\n" + t(self.lang, "trust_in_chat",
                                     path=getattr(run.error, "values", {}).get("path", "…"))
            await self.note(said, "error")
        elif run.findings:
            await self.say(t(self.lang, "probe_done", title=title, seconds=run.seconds) + "\n\n"
                           + findings_markdown(self.session, run))
        else:
            await self.note(t(self.lang, "probe_nothing", title=title))
        if not run.error:
            await self.say_overruled()
        await self.changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "probe" and event.state == WorkerState.ERROR:
            self.probe_ctx = None
            self.query_one(ProbeStatus).stop()
            self.notify(str(in_lang(event.worker.error, self.lang)), severity="error")

    def on_probe_status_cancel_pressed(self, _: ProbeStatus.CancelPressed) -> None:
        self.cancel_probe()

    def cancel_probe(self) -> None:
        if self.probe_ctx is not None:
            self.probe_ctx.cancelled.set()
            self._stop_asked = True

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_probe":
            return self.probe_running
        return True

    def action_cancel_probe(self) -> None:
        self.cancel_probe()

    async def action_conclude(self) -> None:
        """Stop asking and show the diagnosis from what is known now (``done`` in the CLI)."""
        if self.refuse_while_busy():
            return
        if not self.started():
            self.notify(t(self.lang, "conclude_nothing"))
            return
        if self.reported and self.pending is None:  # the report above is already the conclusion
            self.notify(t(self.lang, "concluded_already"))
            return
        self.concluded = True
        await self.drop_pending()
        await self.note(t(self.lang, "concluding"))
        self.refresh_labels()
        await self.advance()

    async def action_undo(self) -> None:
        if self.refuse_while_busy():
            return
        if self.concluded:  # "undo, to go on": the conclusion is what is taken back
            self.concluded = self.reported = False
            for card in self.query(DiagnosisCard):
                card.add_class("-stale")
            await self.note(t(self.lang, "unconcluded"))
            self.refresh_labels()
            await self.advance()
            return
        if not self.session.answers:
            self.notify(t(self.lang, "nothing_to_undo"))
            return
        await self.drop_pending()
        await self.note(t(self.lang, "undone",
                          what=what_was_undone(self.session, self.session.answers[-1])))
        # replaying the session and planning take a moment: show that first, then do it
        self.query_one(ProbeStatus).busy(t(self.lang, "thinking"))
        self.call_after_refresh(self._undo_now)

    async def _undo_now(self) -> None:
        self.session.undo()
        try:
            await self.changed()
        finally:
            if not self.probe_running:
                self.query_one(ProbeStatus).stop()

    def action_restart(self) -> None:
        if self.refuse_while_busy():
            return

        async def confirmed(yes: bool | None) -> None:
            if yes:
                self.session.restart()
                self.doctor.autosave()
                await self.reset()
                await self.note(t(self.lang, "restarted"))

        self.app.push_screen(ConfirmScreen(t(self.lang, "confirm_restart"), self.lang), confirmed)

    async def action_toggle_lang(self) -> None:
        self.session.lang = "zh" if self.lang == "en" else "en"
        self.app.clear_notifications()  # a toast in the old language would outstay its words
        self.doctor.autosave()
        if not self.started():  # only the greeting so far: say it again in the new language
            self.query_one(ProbeStatus).lang = self.lang
            await self.reset()
            return
        if isinstance(self.pending, QuestionCard) and not self.pending.resolved:
            await self.drop_pending()  # asked again below, in the new language
        self.refresh_labels()
        self.query_one(ProbeStatus).lang = self.lang
        await self.note(t(self.lang, "lang_switched"))
        await self.advance()

    def action_attach(self) -> None:
        if self.refuse_while_busy():
            return
        self.app.push_screen(AttachScreen(self.lang, self.doctor.start_dir), self.attach)

    async def attach(self, attachment: Attachment | None) -> None:
        """Rebuild the session with the new input; keep answers, forget stale probe runs."""
        if attachment is None:
            return
        kind, value = attachment.kind, attachment.value
        try:  # a file no reader takes is refused now, not kept to spoil the others
            await asyncio.to_thread(self.session.check_attachment, kind, Path(value))
        except DldoctorError as exc:
            self.notify(in_lang(exc.message, self.lang), severity="error")
            return
        inputs = self.session.inputs
        if kind == "log":
            new = replace(inputs, logs=tuple(dict.fromkeys((*inputs.logs, Path(value)))))
        elif kind == "model":
            new = replace(inputs, model=value)
        elif kind == "checkpoint":
            new = replace(inputs, checkpoint=Path(value))
            if not inputs.logs:  # a run folder's own log, as `--checkpoint run/` reads it
                try:
                    found = await asyncio.to_thread(resolve_logs, Path(value), [])
                except DldoctorError:  # the log is not read: the checkpoint still is
                    found = []
                new = replace(new, logs=tuple(found))
        elif kind == "trace":
            new = replace(inputs, trace=Path(value))
        else:
            new = replace(inputs, batch=Path(value))
        try:  # the model and trust were named in this chat: they stay
            self.session.with_inputs(new)
        except DldoctorError as exc:
            self.notify(in_lang(exc.message, self.lang), severity="error")
            return
        self.probes_paused = False
        self._unreadable_said.clear()  # a file attached again is read (and refused) again
        await self.note(t(self.lang, "attached", kind=t(self.lang, f"kind_{kind}"), value=value))
        if kind == "checkpoint" and (found_logs := [p for p in new.logs if p not in inputs.logs]):
            await self.note(t(self.lang, "attached_log_found",
                              names=", ".join(f"`{p}`" for p in found_logs)))
        if new.has("model") != new.has("batch"):
            await self.note(t(self.lang, "attach_needs_pair"), "warning")
        await self.drop_pending()
        await self.changed()

    def action_save(self) -> None:
        default = self.doctor.start_dir / "dldoctor-session.json"
        ask_and_write(self.app, self.lang, "save_title", default, self.session.save, "saved")

    def action_export(self) -> None:
        if not self.started():  # a report of nothing would read "No problem found"
            self.notify(t(self.lang, "conclude_nothing"))
            return
        default = self.doctor.start_dir / "dldoctor-report.md"

        def write(path: Path) -> None:
            path.write_text(render_markdown(self.session.report(), self.session), "utf-8")

        ask_and_write(self.app, self.lang, "export_title", default, write, "exported")

    def _chosen_card(self) -> DiagnosisCard | None:
        """The focused diagnosis while it is in view, else the latest report's card that
        shows most of itself in the transcript (the one being read after a page down), else
        its first; while a new report is on its way (every card marked stale), the first card
        of the last one shown — the diagnosis the person is asking about."""
        cards = list(self.query(DiagnosisCard).results())
        fresh = [c for c in cards if not c.has_class("-stale")]
        focused = self.focused if isinstance(self.focused, DiagnosisCard) else None
        if focused is not None and _shown_rows(focused, self.transcript):
            return focused
        shown = max(fresh, key=lambda c: _shown_rows(c, self.transcript), default=None)
        if shown is not None and _shown_rows(shown, self.transcript):
            return shown
        last = [c for c in cards if c.rank == 1][-1:]
        return focused or (fresh[0] if fresh else (last[0] if last else None))

    def action_copy_snippets(self) -> None:
        """The palette's "copy code": from the focused diagnosis, else the first one."""
        card = self._chosen_card()
        if card is None:
            self.notify(t(self.lang, "how_none_pending"))
            return
        copy_snippets(self.app, card.diagnosis, self.lang)

    async def action_how(self) -> None:
        """The palette's "how was the top diagnosis reached?" (``h`` on a card): the focused
        diagnosis, else the first one; it did nothing since the screen lost this action."""
        card = self._chosen_card()
        if card is None:
            self.notify(t(self.lang, "how_none_pending"))
            return
        await self.explain_how(card.diagnosis.cause)

    async def action_why(self) -> None:
        """The palette's "why is this question asked?" (``w`` on a question)."""
        card = self.pending
        if isinstance(card, QuestionCard) and not card.resolved:
            await self.explain_why(card.fact)
        else:
            self.notify(t(self.lang, "why_none"))

    async def action_run_probes(self) -> None:
        self.probes_paused = False
        await self.advance()

    async def rules_reloaded(self) -> None:
        """The app swapped in a session over new rules: re-plan from what is known."""
        await self.drop_pending()
        self.refresh_labels()
        await self.advance()


def _shown_rows(widget: Widget, viewport: Widget) -> int:
    """How many of ``widget``'s rows the ``viewport`` shows now."""
    return widget.region.intersection(viewport.region).height
