"""The dldoctor chat app: builds the session, autosaves it, reloads rules when authoring."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.driver import Driver
from textual.message import Message
from textual.screen import Screen

from dldoctor.error_texts import in_lang
from dldoctor.errors import DldoctorError
from dldoctor.session import KBError, KnowledgeBase, Session

from .authoring import RuleWatcher
from .autosave import AutosaveInfo, autosave_path, peek_autosave, previous_autosave
from .cjk import enable_cjk_wrapping
from .commands import DoctorCommands
from .i18n import relabel_bindings, t
from .screens.chat import ChatScreen
from .screens.confirm import ConfirmScreen
from .terminal import private_driver

__all__ = ["DldoctorApp", "make_app", "run_app"]

enable_cjk_wrapping()


class DldoctorApp(App[None]):
    """A chat that walks a person from a complaint to a diagnosis."""

    CSS_PATH = "dldoctor.tcss"
    TITLE = "dldoctor"
    COMMANDS = App.COMMANDS | {DoctorCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        # declared here (not by Textual) so that its footer label can speak Chinese
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True,
                id="command_palette"),
        # the keys panel (the palette's "Keys"): f1 opens and closes it, escape closes it
        Binding("f1", "toggle_keys", "Keys", show=False, id="toggle_keys"),
        Binding("escape", "hide_help_panel", show=False, id="hide_keys"),
    ]

    class RulesLoaded(Message):
        def __init__(self, kb: KnowledgeBase) -> None:
            super().__init__()
            self.kb = kb

    class RulesFailed(Message):
        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    class SessionResumed(Message):
        """The autosave was read in a thread: the session to continue, or why not."""

        def __init__(self, session: Session | None, problem: str = "") -> None:
            super().__init__()
            self.session, self.problem = session, problem

    def __init__(
        self,
        session: Session,
        *,
        kb_paths: Sequence[Path] = (),
        authoring: bool = False,
        offer_resume: bool = False,
        autosave_file: Path | None = None,
        start_dir: Path | None = None,
        watch_roots: Sequence[Path] | None = None,
        keep_lang: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        self.kb_paths = list(kb_paths)
        self.authoring = authoring
        self.offer_resume = offer_resume
        self.keep_lang = keep_lang
        self.autosave_file = autosave_file or autosave_path()
        self.start_dir = (start_dir or Path.cwd()).resolve()
        self._watch_roots = watch_roots
        self._autosave_warned = False
        # whether this chat may write the autosave: not while nothing was said, attached or
        # measured (opening the chat and quitting erased the last session's autosave), unless
        # the person declined to resume it or started over
        self._autosave_mine = False
        # a declined autosave waiting to be kept aside before this chat's first write
        self._set_aside: Path | None = None
        self.watcher: RuleWatcher | None = None
        self.leave_at_once = False  # run_app: quit restores the terminal and ends the process
        self._autosave_info = peek_autosave(self.autosave_file) if offer_resume else None
        saved_lang = self._autosave_info.data.get("lang") if self._autosave_info else None
        if saved_lang in ("en", "zh") and session.is_blank() and not keep_lang:
            # the language of last time, from the start: the greeting behind the offer to
            # resume was English while the offer itself was Chinese
            session.lang = saved_lang

    def get_driver_class(self) -> type[Driver]:
        # a probe that points stderr at a file for a moment must not take the screen with it
        return private_driver(super().get_driver_class())

    def get_default_screen(self) -> Screen:
        return ChatScreen()

    @property
    def chat(self) -> ChatScreen:
        return next(s for s in self.screen_stack if isinstance(s, ChatScreen))

    def on_mount(self) -> None:
        relabel_bindings(self, self.session.lang)
        if self.authoring:
            self.watcher = RuleWatcher(self._rule_roots())
            self.set_interval(1.0, self._poll_rules)
        if self.offer_resume and self._autosave_info is not None:
            self._offer(self._autosave_info)

    # ------------------------------------------------------------------ autosave
    def autosave(self) -> None:
        """Write the session where a crash or ctrl+c cannot lose it."""
        if self.session.is_blank() and not self._autosave_mine:
            return
        self._autosave_mine = True
        try:
            if self._set_aside is not None:
                self._keep_declined(self._set_aside)
            self.session.save(self.autosave_file)
        except OSError as exc:
            if not self._autosave_warned:
                self._autosave_warned = True
                self.notify(t(self.session.lang, "autosave_failed", error=exc), severity="error")

    def _keep_declined(self, path: Path) -> None:
        """Move the declined autosave beside it (``previous_autosave``), once, and say where."""
        kept = previous_autosave(path)
        try:
            os.replace(path, kept)
            moved = True
        except FileNotFoundError:  # gone meanwhile: nothing left to keep
            moved = False
        self._set_aside = None  # another OSError leaves it set: kept aside at the next save
        if moved:
            self.notify(t(self.session.lang, "autosave_kept", path=kept))

    def _offer(self, info: AutosaveInfo) -> None:
        lang = self.session.lang  # the saved one, unless --lang chose another (keep_lang)
        shown = ", ".join(info.names[:3]) + (f" +{len(info.names) - 3}" if len(info.names) > 3
                                              else "")
        what = t(lang, "resume_summary_named", n=info.answers, names=shown) if info.names \
            else t(lang, "resume_summary", n=info.answers, files=info.inputs)
        question = t(lang, "confirm_resume", when=info.saved_at.strftime("%Y-%m-%d %H:%M"),
                     what=what)

        offer = ConfirmScreen(question, lang, typing_declines=True)

        async def answered(yes: bool | None) -> None:
            if yes:
                await self.chat.show_loading(t(lang, "resuming"))
                self._resume(info)
            else:  # declined: this chat's session replaces it, and it is kept aside
                self._autosave_mine = True
                self._set_aside = info.path
                if offer.typed:  # the first letter of a new complaint
                    self.chat.take_typed(offer.typed)

        self.push_screen(offer, answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="resume")
    def _resume(self, info: AutosaveInfo) -> None:
        """Rebuild the saved session off the UI thread (replaying it takes a while)."""
        try:
            session = Session.from_json(self.session.kb, info.data)
        except (DldoctorError, KeyError, TypeError, ValueError) as exc:
            self.post_message(self.SessionResumed(None, str(in_lang(exc, self.session.lang))))
            return
        self.post_message(self.SessionResumed(session))

    async def on_dldoctor_app_session_resumed(self, message: SessionResumed) -> None:
        if message.session is None:
            await self.chat.hide_loading()
            self.notify(message.problem, severity="error", markup=False)
            return
        if self.keep_lang:
            message.session.lang = self.session.lang
        self.session = message.session
        await self.chat.reset(resumed=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_help_panel":  # escape is the chat's (cancel a check) otherwise
            return bool(self.screen.query("HelpPanel"))
        return True

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_command_palette(self) -> None:
        """The palette, with its search prompt in the session's language."""
        # is_open takes App[object]; App is invariant in its return type, the check is not
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=t(self.session.lang, "palette_search"),
                                            id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands; a Chinese session keeps those it can name in Chinese."""
        if self.session.lang != "zh":
            yield from super().get_system_commands(screen)
            return
        yield SystemCommand("主题", "切换配色主题", self.action_change_theme)
        yield SystemCommand("退出", "立即退出（会话已自动保存）", self.action_quit)
        yield SystemCommand("按键", "显示或隐藏按键说明（f1；esc 关闭）", self.action_toggle_keys)

    def action_help_quit(self) -> None:
        """Ctrl+c does not quit (it copies): say which key does, in the session's language."""
        self.notify(t(self.session.lang, "quit_hint", keys="ctrl+q"),
                    title=t(self.session.lang, "quit_title"))

    # ------------------------------------------------------------------ authoring
    def _rule_roots(self) -> list[Path]:
        if self._watch_roots is not None:
            return list(self._watch_roots)
        from dldoctor.kb import BUILTIN_KB
        from dldoctor.kbpaths import team_kb_paths

        try:
            team = team_kb_paths(self.kb_paths)
        except DldoctorError:
            team = list(self.kb_paths)
        return [BUILTIN_KB, *team]

    def _poll_rules(self) -> None:
        if self.watcher is None or self.chat.probe_running:
            return
        if self.watcher.changed():
            self._reload_rules()

    @work(thread=True, exclusive=True, exit_on_error=False, group="reload")
    def _reload_rules(self) -> None:
        from dldoctor.kbpaths import load_knowledge

        try:
            kb = load_knowledge(self.kb_paths)
        except KBError as exc:
            self.post_message(self.RulesFailed(exc.problems[0].format() if exc.problems
                                               else str(exc)))
            return
        except DldoctorError as exc:
            self.post_message(self.RulesFailed(in_lang(exc.message, self.session.lang)))
            return
        self.post_message(self.RulesLoaded(kb))

    async def on_dldoctor_app_rules_loaded(self, message: RulesLoaded) -> None:
        if self.chat.probe_running:
            return
        try:
            self.session = Session.from_json(message.kb, self.session.to_json(),
                                             restore_model=True, restore_trust=True)
        except DldoctorError as exc:
            self.notify(in_lang(exc.message, self.session.lang),
                        title=t(self.session.lang, "reload_failed"),
                        severity="error")
            return
        kb = message.kb
        self.notify(t(self.session.lang, "reloaded", rules=len(kb.rules), causes=len(kb.causes)))
        self.autosave()
        await self.chat.rules_reloaded()

    def on_dldoctor_app_rules_failed(self, message: RulesFailed) -> None:
        self.notify(message.problem, title=t(self.session.lang, "reload_failed"),
                    severity="error", markup=False, timeout=8)

    # ------------------------------------------------------------------ quitting
    async def action_quit(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ChatScreen):
                screen.cancel_probe()
        self.workers.cancel_all()  # threads see the cancel flag; exit does not wait on them
        self.autosave()
        driver = self._driver
        if self.leave_at_once and driver is not None:
            # Unmounting a long transcript widget by widget took most of the quit: the
            # session is saved, so restore the terminal and leave without it.
            driver.stop_application_mode()
            driver.close()  # the writer thread sends what is queued (leaving the alt screen)
            sys.stdout.flush()
            os._exit(0)
        self.exit()


def make_app(
    session: Session | None = None,
    *,
    resume: Path | None = None,
    authoring: bool = False,
    kb_paths: Sequence[Path] = (),
    offer_resume: bool | None = None,
    autosave_file: Path | None = None,
    start_dir: Path | None = None,
    watch_roots: Sequence[Path] | None = None,
    keep_lang: bool = False,
) -> DldoctorApp:
    """Build the app. Without a session, or with a blank one, offer the last autosave.

    ``resume`` loads a saved session (over ``session``'s rules when one is given).
    Errors loading rules or the session file are raised for the caller to report.
    """
    # `dldoctor --lang zh` builds a blank session in its language: the last chat is offered
    # all the same (``keep_lang``: the language chosen on the command line stays)
    if offer_resume is None:
        offer_resume = (session is None or session.is_blank()) and resume is None
    if session is None or resume is not None:
        from dldoctor.kbpaths import load_knowledge

        kb = session.kb if session is not None else load_knowledge(list(kb_paths))
        session = Session.load(kb, resume) if resume is not None else Session(kb)
    return DldoctorApp(session, kb_paths=kb_paths, authoring=authoring,
                       offer_resume=offer_resume, autosave_file=autosave_file,
                       start_dir=start_dir, watch_roots=watch_roots, keep_lang=keep_lang)


def run_app(
    session: Session | None = None,
    resume: Path | None = None,
    authoring: bool = False,
    kb_paths: Sequence[Path] = (),
    keep_lang: bool = False,
) -> None:
    """Run the chat until the person quits (what ``dldoctor`` and ``dldoctor chat`` call).

    The session is saved and the terminal restored when ``run`` returns. A probe thread
    cannot be interrupted, and waiting for it (and for torch's teardown) made quitting take
    seconds: the process leaves at once instead.
    """
    app = make_app(session, resume=resume, authoring=authoring, kb_paths=kb_paths,
                   keep_lang=keep_lang)
    app.leave_at_once = True
    app.run()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(app.return_code or 0)
