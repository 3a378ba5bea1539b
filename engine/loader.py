"""Load knowledge-base YAML with positions, so every problem is reported as ``file:line``.

All problems of all files are collected before anything is raised: an author fixes a rule
file in one pass, not one error per run.

A document comes back as a *position tree*, which only this module's functions read
(:func:`position`, :func:`format_loc`, :func:`_plain`): on the fast path a :class:`Located`
(the plain data, built straight from libyaml's nodes, and the nodes themselves, which carry
every line and column), else ruamel's round-trip containers.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .bounded import MAX_TEXT_BYTES, Unreadable, read_regular
from .errors import KBError, Problem
from .fastyaml import Fallback, _scalar, yaml
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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection for the duration.

    Parsing builds tens of thousands of long-lived objects and no cycles; each automatic
    collection would walk all of them again (about 40 % of the time of reading the rules).
    What is read is bounded (:data:`MAX_TEXT_BYTES`, :func:`check_yaml`'s node limit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse ``path`` with positions; syntax errors become problems, never exceptions."""
    with gc_paused():
        return _read_yaml(path)


def _read_yaml(path: Path) -> tuple[Any, list[Problem]]:
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
        return _load_located(text), []  # libyaml; ruamel below stays the reference
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
            what = f"duplicate key '{key}': keep one of the two"
        elif "'\\t'" in str(what) or "\t" in str(what):
            what = f"{what}: indent with spaces, not tabs"
        return None, [Problem(name, line, col, "", what, code="yaml")]
    except RecursionError:
        return None, [Problem(name, 0, 0, "", "nested too deeply", code="yaml")]
    except Exception as exc:  # ruamel raises a few unmarked error types
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        return None, [Problem(name, 0, 0, "", f"invalid YAML: {first}", code="yaml")]


class Located:
    """A document read on the fast path: its plain data and libyaml's node tree."""

    __slots__ = ("data", "node", "tagged", "_pairs")

    def __init__(self, data: Any, node: Any, tagged: bool) -> None:
        self.data, self.node, self.tagged = data, node, tagged
        self._pairs: dict[int, dict[Any, tuple[Any, Any]]] = {}

    def pairs(self, node: Any) -> dict[Any, tuple[Any, Any]]:
        """A mapping node's (key node, value node) by key, built on first need."""
        found = self._pairs.get(id(node))
        if found is None:
            found = {_scalar(k, self.tagged): (k, v) for k, v in node.value}
            self._pairs[id(node)] = found
        return found


_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_DEFAULT_TAGS: dict[Any, str] = {}
_NodeLoader: Any = None


def _node_loader() -> Any:
    """libyaml's parser and composer with the base resolver's answer given at once.

    ``CBaseLoader`` calls back into PyYAML's Python resolver for every node, which with no
    implicit resolvers returns the default tag of the node's kind; this returns the same
    tags without the three Python calls per node."""
    global _NodeLoader
    if _NodeLoader is None:
        from yaml.cyaml import CParser  # type: ignore[attr-defined]  # libyaml's parser

        from .fastyaml import _PlainLoader

        _DEFAULT_TAGS.update({yaml.ScalarNode: "tag:yaml.org,2002:str",
                              yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP})

        class NodeLoader(CParser):
            def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                return _DEFAULT_TAGS[kind]

            def descend_resolver(self, parent: Any, index: Any) -> None:
                pass

            def ascend_resolver(self) -> None:
                pass

        probe = yaml.compose("a: [b, {c: d}]\n'e': !!str f\n", Loader=_PlainLoader)
        mine = yaml.compose("a: [b, {c: d}]\n'e': !!str f\n",
                            Loader=NodeLoader)  # type: ignore[arg-type]  # a loader by protocol
        _NodeLoader = NodeLoader if repr(probe) == repr(mine) else _PlainLoader
    return _NodeLoader


def _load_located(text: str) -> Located | None:
    """Parse one document with libyaml into plain data, or raise :class:`Fallback` for
    anything ruamel should judge (a syntax error, a tag, a duplicate or merge key …): the
    same rules and YAML 1.2 scalars as :func:`.fastyaml.load_fast`, without building ruamel
    containers."""
    if yaml is None:
        raise Fallback
    from .fastyaml import _Loader

    tagged = "!" in text
    try:
        node = yaml.compose(text, Loader=_Loader if tagged else _node_loader())
    except yaml.YAMLError:
        raise Fallback from None
    if node is None:
        return None
    return Located(_build(node, {}, tagged), node, tagged)


def _build(node: Any, memo: dict[int, Any], tagged: bool) -> Any:
    kind = type(node)
    if kind is yaml.ScalarNode:
        return _scalar(node, tagged)
    if id(node) in memo:
        return memo[id(node)]
    if kind is yaml.SequenceNode:
        if node.tag != _SEQ:
            raise Fallback
        items: list[Any] = []
        memo[id(node)] = items
        for item in node.value:
            items.append(_build(item, memo, tagged))
        return items
    if node.tag != _MAP:
        raise Fallback
    out: dict[str, Any] = {}
    memo[id(node)] = out
    seen: set[Any] = set()
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode:
            raise Fallback
        key = _scalar(key_node, tagged)
        if not isinstance(key, str | int | float | bool) or key in seen or key == "<<":
            raise Fallback
        seen.add(key)
        out[str(key)] = _build(value_node, memo, tagged)
    return out


def _root(tree: Any) -> Any:
    return tree.node if isinstance(tree, Located) else tree


def _is_map(tree: Any, node: Any) -> bool:
    if isinstance(tree, Located):
        return isinstance(node, yaml.MappingNode)
    return isinstance(node, CommentedMap)


def _is_seq(tree: Any, node: Any) -> bool:
    if isinstance(tree, Located):
        return isinstance(node, yaml.SequenceNode)
    return isinstance(node, CommentedSeq)


def _start(tree: Any, node: Any) -> tuple[int, int] | None:
    """0-based (line, column) of a mapping or sequence node, else None."""
    if isinstance(tree, Located):
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            return node.start_mark.line, node.start_mark.column
        return None
    if isinstance(node, CommentedMap | CommentedSeq):
        return node.lc.line, node.lc.col
    return None


def _step(tree: Any, node: Any, key: Any) -> tuple[Any, int, int] | None:
    """(child, 0-based line, column of its key or item) of ``key`` in ``node``, or None."""
    if isinstance(tree, Located):
        if isinstance(node, yaml.MappingNode):
            try:
                pair = tree.pairs(node).get(key)
            except TypeError:  # an unhashable loc element
                return None
            if pair is None:
                return None
            return pair[1], pair[0].start_mark.line, pair[0].start_mark.column
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                and key < len(node.value):
            item = node.value[key]
            return item, item.start_mark.line, item.start_mark.column
        return None
    if isinstance(node, CommentedMap) and key in node:
        line, col = node.lc.key(key)
        return node[key], line, col
    if isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
        line, col = node.lc.item(key)
        return node[key], line, col
    return None


_TAGS = {"fact", "all", "any", "not", "cause", "set"}


def _untag(tree: Any, loc: Sequence[str | int]) -> list[str | int]:
    """Drop pydantic's union tags from ``loc`` where they collide with a real key.

    ``{cause: x, cf: 2}`` fails at ``[…, "cause", "cf"]``: the tag ``cause`` is also a key,
    and following it would land on the cause's id instead of ``cf``.
    """
    out: list[str | int] = []
    node = _root(tree)
    for i, key in enumerate(loc):
        found = _step(tree, node, key)
        if found is not None and key in _TAGS and _is_map(tree, node):
            rest = loc[i + 1:]
            if (rest and _step(tree, node, rest[0]) is not None) or (
                    not rest and _start(tree, found[0]) is None):
                continue
        out.append(key)
        if found is not None:
            node = found[0]
    return out


def position(tree: Any, loc: Sequence[str | int]) -> tuple[int, int]:
    """Return the 1-based (line, column) of the deepest node of ``loc`` found in ``tree``.

    Elements of ``loc`` that are not keys of the tree (pydantic's union tags) are skipped.
    """
    line, col = 1, 1
    node = _root(tree)
    start = _start(tree, node)
    if start is not None:
        line, col = start[0] + 1, start[1] + 1
    for key in loc:
        found = _step(tree, node, key)
        if found is not None:
            node, line, col = found[0], found[1] + 1, found[2] + 1
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
    node = _root(tree)
    for key in loc:
        found = _step(tree, node, key)
        if found is not None and _is_map(tree, node):
            out += f".{_shown(key)}" if out else _shown(key)
            node = found[0]
        elif _is_seq(tree, node) and isinstance(key, int):
            out += f"[{key}]"
            node = found[0] if found is not None else None
        elif _is_map(tree, node) and isinstance(key, str) and key.isidentifier():
            # a missing required key or an extra one pydantic names: show it
            if key not in {"fact", "all", "any", "not", "cause", "set"}:
                out += f".{key}" if out else key
    return out


def _plain(node: Any) -> Any:
    """The plain dicts and lists of a position tree (ruamel's containers converted)."""
    if isinstance(node, Located):
        return node.data
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
    if not _is_map(tree, _root(tree)):
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
