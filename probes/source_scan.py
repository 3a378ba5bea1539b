"""What the model file named on the command line says of its own training loop, read as text.

The file is the person's code (``--model FILE.py:FACTORY``); besides the factory it often
holds the loop, the loss or the Lightning module that builds the loaders. A ``DataLoader(...,
shuffle=True)`` in it says the training data is reshuffled every epoch — the loader a
validation split gets is not shuffled, so only the positive reading is taken. A division by a
variance, standard deviation or norm computed on the fly with no epsilon is a division that
one constant sample (or row, or task) turns into 0/0. Nothing is run: the file is parsed.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .base import Finding
from .evidence import say

__all__ = ["division_findings", "loader_shuffle_findings"]

#: Files larger than this are not parsed (a model file is a few hundred lines).
MAX_SOURCE_BYTES = 2_000_000


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else \
        func.id if isinstance(func, ast.Name) else ""


def _parsed(spec: str | None) -> tuple[Path, ast.Module] | None:
    """The model file of ``FILE.py:FACTORY`` and its syntax tree; None for no file, a package
    module, a file too large, or one that does not parse."""
    if not spec:
        return None
    target = Path(spec.rpartition(":")[0])
    try:
        if target.suffix != ".py" or not target.is_file() or \
                target.stat().st_size > MAX_SOURCE_BYTES:
            return None
        return target, ast.parse(target.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError):
        return None


def loader_shuffle_findings(spec: str | None) -> list[Finding]:
    """``data.shuffled`` true when the model file builds a ``DataLoader`` with
    ``shuffle=True``; nothing otherwise (no file, a package module, no such loader)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == "DataLoader" and any(
                k.arg == "shuffle" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in node.keywords):
            return [Finding("data.shuffled", True,
                            say("src.loader_shuffles", file=target.name, line=node.lineno))]
    return []


#: Statistics of the data that are exactly 0 on a constant input: dividing by one of them
#: with no epsilon is 0/0 on a flat sample, row or task.
_STATISTICS = frozenset({"var", "std", "norm", "vector_norm"})


def _statistic(node: ast.expr) -> str | None:
    """The statistic a denominator computes (``x.var(1)``, ``torch.std(x)``,
    ``torch.linalg.norm(x)``), or None for anything else — a sum with an epsilon, a clamp,
    a constant."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr in _STATISTICS:
        return node.func.attr
    return None


def division_findings(spec: str | None) -> list[Finding]:
    """``src.divides_by_a_statistic`` true, with the first place, when the model file divides
    by a variance, standard deviation or norm computed in place (``/ y.var(1)``) with no
    epsilon added or clamp around it; nothing otherwise (the loss may live in another file,
    so no negative reading is taken)."""
    if (parsed := _parsed(spec)) is None:
        return []
    target, tree = parsed
    places = sorted((node.lineno, name) for node in ast.walk(tree)
                    if isinstance(node, ast.BinOp | ast.AugAssign)
                    and isinstance(node.op, ast.Div)
                    and (name := _statistic(node.right if isinstance(node, ast.BinOp)
                                            else node.value)) is not None)
    if not places:
        return []
    line, name = places[0]
    return [Finding("src.divides_by_a_statistic", True,
                    say("src.divides_by_a_statistic", file=target.name, line=line, what=name,
                        n=len(places)))]
