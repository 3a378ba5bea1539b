"""Pick a file to attach: a checkpoint, a metrics log, a model factory, a batch or a trace
written by ``dldoctor.watch``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    DirectoryTree,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
)

from ..i18n import relabel_bindings, t
from ..widgets.path_input import PathInput

__all__ = ["AttachScreen", "Attachment", "Kind", "KINDS", "check_attachment", "guess_kind"]

Kind = Literal["checkpoint", "log", "model", "batch", "trace"]
KINDS: tuple[Kind, ...] = ("checkpoint", "log", "model", "batch", "trace")
_MODEL = re.compile(r"^[^:]+:[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Attachment:
    kind: Kind
    value: str  # a path, or FILE.py:FACTORY / MODULE:FACTORY for a model


def check_attachment(kind: Kind, value: str, base: Path, lang: str) -> str | None:
    """Why ``value`` cannot be attached as ``kind``, or None when it can."""
    if not value:
        return t(lang, "attach_missing", path="''")
    if kind == "model":
        if not _MODEL.match(value):
            return t(lang, "attach_bad_model")
        file_part = value.rsplit(":", 1)[0]
        if file_part.endswith(".py") and not (base / Path(file_part).expanduser()).is_file():
            return t(lang, "attach_missing", path=file_part)
        return None
    path = base / Path(value).expanduser()
    if not path.exists():
        return t(lang, "attach_dangling" if path.is_symlink() else "attach_missing", path=value)
    return None


def guess_kind(value: str) -> Kind | None:
    """The kind a path most likely is, from its name (the person can still change it)."""
    name = Path(value.rsplit(":", 1)[0] if ".py:" in value else value).name.lower()
    if not name:
        return None
    if name.endswith(".py"):
        return "model"
    if name.endswith(".trace"):  # dldoctor.watch's file (JSON lines, but not a metrics log)
        return "trace"
    if name.endswith((".csv", ".tsv", ".jsonl", ".ndjson", ".json")) or "tfevents" in name:
        return "log"
    if "batch" in name and name.endswith((".pt", ".pth", ".bin")):
        return "batch"
    if name.endswith((".pt", ".pth", ".ckpt", ".safetensors", ".bin", ".index.json")):
        return "checkpoint"
    return None


class KindButton(RadioButton):
    """A radio button whose dot shows only when chosen: the chosen kind reads apart from the
    others without colour (a new user saw five alike ● at 80 columns)."""

    def render(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super().render()


class AttachScreen(ModalScreen[Attachment | None]):
    """A kind, a folder tree and a path input with completion."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="dismiss")]

    def __init__(self, lang: str, base: Path | None = None, kind: Kind = "checkpoint") -> None:
        super().__init__()
        self.lang = lang
        self.base = (base or Path.cwd()).resolve()
        self.kind: Kind = kind
        self.kind_chosen = False  # once the person picks a kind, stop guessing it

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dialog", classes="attach") as box:
            box.border_title = t(lang, "attach_title")
            with RadioSet(id="kind"):
                for kind in KINDS:
                    yield KindButton(t(lang, f"kind_{kind}"), value=kind == self.kind,
                                     id=f"kind-{kind}")
            yield DirectoryTree(self.base, id="tree")
            yield PathInput("", base=self.base, id="path", placeholder=self._placeholder(),
                            prefer=self._of_kind)
            yield Label("", id="attach-problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t(lang, "ok"), id="attach-ok", variant="primary", compact=True)
                yield Button(t(lang, "cancel"), id="attach-cancel", compact=True)
        yield Footer(compact=True)  # its own keys, not the chat's under the dialog

    def _of_kind(self, name: str) -> bool:
        """Whether a file name looks like the kind chosen (completion offers it first)."""
        return guess_kind(name) == self.kind

    def _placeholder(self) -> str:
        key = "attach_model_path" if self.kind == "model" else "attach_path"
        return t(self.lang, key)

    def on_mount(self) -> None:
        relabel_bindings(self, self.lang)
        self.query_one("#path", Input).focus()

    @on(RadioSet.Changed, "#kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        self.kind = KINDS[event.index]
        if event.radio_set.has_focus_within:
            self.kind_chosen = True
        self.query_one("#path", Input).placeholder = self._placeholder()

    def _set_kind(self, kind: Kind) -> None:
        if kind != self.kind:
            self.kind = kind
            self.query_one(f"#kind-{kind}", RadioButton).value = True

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.query_one("#attach-problem", Label).update("")
        guess = guess_kind(event.value)
        if guess and not self.kind_chosen:
            self._set_kind(guess)

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        path = event.path
        try:
            shown = str(path.relative_to(self.base))
        except ValueError:
            shown = str(path)
        if path.suffix == ".py":
            self._set_kind("model")
        if self.kind == "model":
            shown += ":"
        box = self.query_one("#path", Input)
        box.value = shown
        box.cursor_position = len(shown)
        box.focus()

    @on(DirectoryTree.DirectorySelected)
    def _dir_selected(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        if self.kind == "checkpoint":  # a Hugging Face style folder is a checkpoint too
            try:
                shown = str(event.path.relative_to(self.base))
            except ValueError:
                shown = str(event.path)
            self.query_one("#path", Input).value = shown

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept()

    @on(Button.Pressed, "#attach-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self._accept()

    @on(Button.Pressed, "#attach-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def _accept(self) -> None:
        value = self.query_one("#path", Input).value.strip()
        problem = check_attachment(self.kind, value, self.base, self.lang)
        if problem:
            self.query_one("#attach-problem", Label).update(problem)
            return
        if self.kind != "model" and not Path(value).expanduser().is_absolute():
            value = str((self.base / value).resolve())
        elif self.kind == "model":
            file_part, factory = value.rsplit(":", 1)
            if file_part.endswith(".py"):
                value = f"{(self.base / Path(file_part).expanduser()).resolve()}:{factory}"
        self.dismiss(Attachment(self.kind, value))
