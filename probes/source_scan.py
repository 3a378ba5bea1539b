"""What the model file named on the command line says of its own training loop, read as text.

The file is the person's code (``--model FILE.py:FACTORY``); besides the factory it often
holds the loop or the Lightning module that builds the loaders. A ``DataLoader(...,
shuffle=True)`` in it says the training data is reshuffled every epoch — the loader a
validation split gets is not shuffled, so only the positive reading is taken.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .base import Finding
from .evidence import say

__all__ = ["loader_shuffle_findings"]

#: Files larger than this are not parsed (a model file is a few hundred lines).
MAX_SOURCE_BYTES = 2_000_000


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else \
        func.id if isinstance(func, ast.Name) else ""


def loader_shuffle_findings(spec: str | None) -> list[Finding]:
    """``data.shuffled`` true when the model file builds a ``DataLoader`` with
    ``shuffle=True``; nothing otherwise (no file, a package module, no such loader)."""
    if not spec:
        return []
    target = Path(spec.rpartition(":")[0])
    if target.suffix != ".py" or not target.is_file() or \
            target.stat().st_size > MAX_SOURCE_BYTES:
        return []
    try:
        tree = ast.parse(target.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError):
        return []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == "DataLoader" and any(
                k.arg == "shuffle" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in node.keywords):
            return [Finding("data.shuffled", True,
                            say("src.loader_shuffles", file=target.name, line=node.lineno))]
    return []
