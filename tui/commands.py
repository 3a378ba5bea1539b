"""The command palette's dldoctor commands (ctrl+p), in the session's language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .i18n import t

if TYPE_CHECKING:
    from .screens.chat import ChatScreen

__all__ = ["DoctorCommands", "COMMAND_ACTIONS"]

COMMAND_ACTIONS = (
    "conclude", "attach", "undo", "why", "how", "copy_snippets", "toggle_lang", "save",
    "export", "restart", "run_probes", "cancel_probe",
)


class DoctorCommands(Provider):
    """Every chat action by name, so nothing needs its key remembered."""

    def _chat(self) -> ChatScreen | None:
        from .screens.chat import ChatScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, ChatScreen):
                return screen
        return None

    def _commands(self) -> list[tuple[str, Callable[[], object]]]:
        chat = self._chat()
        if chat is None:
            return []
        lang = chat.lang
        return [
            (t(lang, f"cmd.{action}"), partial(self.app.run_action, action, chat))
            for action in COMMAND_ACTIONS
            if chat.check_action(action, ()) is not False
        ]

    async def discover(self) -> Hits:
        for title, command in self._commands():
            yield DiscoveryHit(title, command)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title)
