"""Authoring mode: notice when a rule file changes so the app can reload the rules."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["RuleWatcher", "rule_files"]

_SUFFIXES = {".yaml", ".yml"}


def rule_files(roots: Iterable[Path]) -> list[Path]:
    """Every YAML file under ``roots`` (files are taken as they are)."""
    out: list[Path] = []
    for root in roots:
        if root.is_file():
            out.append(root)
        elif root.is_dir():
            out.extend(p for p in sorted(root.rglob("*")) if p.suffix in _SUFFIXES)
    return out


class RuleWatcher:
    """Polls the modification times of the rule files under some folders."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = list(roots)
        self._seen = self.snapshot()

    def snapshot(self) -> dict[Path, float]:
        stamps: dict[Path, float] = {}
        for path in rule_files(self.roots):
            try:
                stamps[path] = path.stat().st_mtime
            except OSError:
                continue
        return stamps

    def changed(self) -> bool:
        """True once per change: a file was added, removed or written since the last call."""
        now = self.snapshot()
        if now == self._seen:
            return False
        self._seen = now
        return True
