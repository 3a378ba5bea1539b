"""Load knowledge-base YAML with positions, so every problem is reported as ``file:line``.

All problems of all files are collected before anything is raised: an author fixes a rule
file in one pass, not one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .bounded import MAX_TEXT_BYTES, Unreadable, read_regular
from .errors import KBError, Problem
from .fastyaml import Fallback, load_fast
from .knowledge import KnowledgeBase, Origin
from .model import KBFile
from .yamlguard import check_yaml

__all__ = ["load_kb", "load_file", "kb_files", "position", "format_loc", "SKIPPED_NAMES"]

SKIPPED_NAMES = {"coverage.yaml"}


def kb_files(paths: Iterable[Path | str]) -> list[Path]:
    """Expand folders into their rule files (``*.yaml``, ``*.yml``), sorted, files kept as given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.iterdir())
                if p.suffix in {".yaml", ".yml"}
                and p.name not in SKIPPED_NAMES
                and not p.name.startswith(("_", "."))
            )
        else:
            found.append(path)
    return found


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse ``path`` with positions; syntax errors become problems, never exceptions."""
    name = str(path)
    try:
        text = read_regular(path, MAX_TEXT_BYTES).decode("utf-8")
    except Unreadable as exc:
        return None, [Problem(name, 0, 0, "", str(exc), code="io")]
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 0, 0, "", f"not UTF-8 text (byte {exc.start}); save it as "
                              "UTF-8", code="io")]
    hostile = check_yaml(text)  # alias bombs, deep nesting, tags, 5,000-digit numbers
    if hostile is not None:
        return None, [Problem(name, hostile[0], 0, "", hostile[1], code="yaml")]
    try:
        return load_fast(text), []  # libyaml; ruamel below stays the reference
    except Fallback:
        pass
    except RecursionError:
        return None, [Problem(name, 0, 0, "", "nested too deeply", code="yaml")]
    try:
        return _yaml().load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in str(what):
            key = str(exc).split('found duplicate key "', 1)[-1].split('"', 1)[0]
            what = f"duplicate key '{key}'"
        return None, [Problem(name, line, col, "", what, code="yaml")]
    except RecursionError:
        return None, [Problem(name, 0, 0, "", "nested too deeply", code="yaml")]
    except Exception as exc:  # ruamel raises a few unmarked error types
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        return None, [Problem(name, 0, 0, "", f"invalid YAML: {first}", code="yaml")]


_TAGS = {"fact", "all", "any", "not", "cause", "set"}


def _untag(tree: Any, loc: Sequence[str | int]) -> list[str | int]:
    """Drop pydantic's union tags from ``loc`` where they collide with a real key.

    ``{cause: x, cf: 2}`` fails at ``[…, "cause", "cf"]``: the tag ``cause`` is also a key,
    and following it would land on the cause's id instead of ``cf``.
    """
    out: list[str | int] = []
    node = tree
    for i, key in enumerate(loc):
        if isinstance(node, CommentedMap) and key in _TAGS and key in node:
            rest = loc[i + 1:]
            if (rest and rest[0] in node) or (not rest and not isinstance(
                    node[key], CommentedMap | CommentedSeq)):
                continue
        out.append(key)
        if isinstance(node, CommentedMap) and key in node:
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            node = node[key]
    return out


def position(tree: Any, loc: Sequence[str | int]) -> tuple[int, int]:
    """Return the 1-based (line, column) of the deepest node of ``loc`` found in ``tree``.

    Elements of ``loc`` that are not keys of the tree (pydantic's union tags) are skipped.
    """
    line, col = 1, 1
    node = tree
    if isinstance(node, CommentedMap | CommentedSeq):
        line, col = node.lc.line + 1, node.lc.col + 1
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            kl, kc = node.lc.key(key)
            line, col = kl + 1, kc + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            il, ic = node.lc.item(key)
            line, col = il + 1, ic + 1
            node = node[key]
    return line, col


def _shown(key: Any) -> str:
    """A key as an author can read it on one line (escaped when it holds odd characters)."""
    text = str(key)
    if text.isprintable() and len(text) <= 80:
        return text
    return repr(text)[1:-1][:80]


def format_loc(tree: Any, loc: Sequence[str | int]) -> str:
    """Render a pydantic ``loc`` as a path the author recognises: ``rules[2].when.all[0]``."""
    out = ""
    node = tree
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            out += f".{_shown(key)}" if out else _shown(key)
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int):
            out += f"[{key}]"
            node = node[key] if key < len(node) else None
        elif isinstance(node, CommentedMap) and isinstance(key, str) and key.isidentifier():
            # a missing required key or an extra one pydantic names: show it
            if key not in {"fact", "all", "any", "not", "cause", "set"}:
                out += f".{key}" if out else key
    return out


def _plain(node: Any) -> Any:
    """Convert ruamel's round-trip containers into plain dicts and lists."""
    if isinstance(node, CommentedMap):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    if type(node).__module__.startswith("ruamel"):
        for base in (bool, int, float, str):
            if isinstance(node, base):
                return base(node)
    return node


def _message(err: Mapping[str, Any]) -> str:
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden":
        return f"unknown key '{_shown(err['loc'][-1])}'"
    if err["type"] == "missing":
        return f"missing key '{_shown(err['loc'][-1])}'"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg[0].lower() + msg[1:] if msg else msg


def load_file(path: Path) -> tuple[KBFile | None, Any, list[Problem]]:
    """Load and validate one file: ``(model or None, position tree, problems)``."""
    tree, problems = read_yaml(path)
    if problems:
        return None, tree, problems
    if tree is None:
        return KBFile(), tree, []
    if not isinstance(tree, CommentedMap):
        what = "a rule file is a mapping with facts/symptoms/causes/rules"
        return None, tree, [Problem(str(path), *position(tree, []), "", what)]
    try:
        return KBFile.model_validate(_plain(tree)), tree, []
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = _untag(tree, err["loc"])
            line, col = position(tree, loc)
            out.append(Problem(str(path), line, col, format_loc(tree, loc), _message(err)))
        return None, tree, out


def load_kb(paths: Iterable[Path | str], *, strict: bool = True) -> KnowledgeBase:
    """Load every rule file under ``paths`` into one knowledge base.

    Raises :class:`KBError` listing every problem found, in file and line order.
    """
    kb = KnowledgeBase()
    problems: list[Problem] = []
    files = kb_files(paths)
    if not files:
        raise KBError([Problem(", ".join(map(str, paths)), 0, 0, "", "no rule files found")])
    for path in files:
        model, tree, found = load_file(path)
        problems.extend(found)
        if model is not None:
            problems.extend(kb.add_file(model, Origin(str(path), tree)))
    problems.extend(kb.check_references())
    errors = [p for p in problems if p.severity == "error"]
    if errors and strict:
        raise KBError(errors)
    kb.problems = problems
    return kb


#: :func:`_plain` for readers outside the engine (the session's answers file).
plain = _plain
