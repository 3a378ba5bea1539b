"""Load knowledge-base layers (built-in first, team folders on top) without raising.

Every problem of every file is collected; an id defined again in a later layer is a clash
reported at the later definition, naming the first one. A file reached through two layers
is loaded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .knowledge import KnowledgeBase, Origin
from .loader import kb_files, load_file

__all__ = ["Layered", "load_layers", "display_path"]


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it lies under it (what editors open)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class Layered:
    """A merged knowledge base with every problem found on the way."""

    kb: KnowledgeBase
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # rule files loaded, in load order
    layer_of: dict[str, int] = field(default_factory=dict)  # file -> index of its layer

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def load_layers(layers: Sequence[Path | str]) -> Layered:
    """Load each layer (a folder or a file) and merge them in order, later ones on top."""
    merged = KnowledgeBase()
    out = Layered(merged)
    seen: set[Path] = set()
    for index, layer in enumerate(layers):
        part = KnowledgeBase()
        for path in kb_files([layer]):
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            name = display_path(path)
            out.files.append(name)
            out.layer_of[name] = index
            model, tree, found = load_file(Path(name))
            out.problems.extend(found)
            if model is not None:
                out.problems.extend(part.add_file(model, Origin(name, tree)))
        out.problems.extend(merged.merge(part))
    out.problems.extend(merged.check_references())
    merged.problems = out.problems
    return out
