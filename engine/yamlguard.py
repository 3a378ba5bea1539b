"""Refuse hostile YAML before it is built: alias bombs, deep nesting, tags, giant numbers.

One streaming pass over libyaml's events (no recursion, no objects built) measures what
loading the text would cost: how many nodes it expands to once every alias is followed
("billion laughs"), how deep its collections nest, which tags it uses and how long its
numbers are (Python refuses to turn more than 4,300 digits into an int). The first problem
comes back with its line, so the caller reports ``file:line: what to do``.
"""

from __future__ import annotations

import re

try:
    import yaml
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    try:
        import yaml
        from yaml import BaseLoader as _Loader  # type: ignore[assignment]
    except ImportError:
        yaml = None  # type: ignore[assignment]

__all__ = ["check_yaml", "MAX_NODES", "MAX_DEPTH", "MAX_NUMBER_CHARS"]

MAX_NODES = 500_000  # after alias expansion; the largest built-in rule file has ~3,000
MAX_DEPTH = 64  # rules nest conditions a few levels deep
MAX_NUMBER_CHARS = 100

_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; flatten it (rules need only a few levels)"
_STANDARD = re.compile(r"^tag:yaml\.org,2002:(str|int|float|bool|null|seq|map|binary)$")
_NUMERIC = re.compile(r"^[-+]?(0[xob])?[0-9_.a-fA-F]+([eE][-+]?[0-9_]+)?$")


def check_yaml(text: str) -> tuple[int, str] | None:
    """Return ``(line, problem)`` for the first hostile construct in ``text``, else None.

    Syntax errors are left to the real parser (it reports them with positions).
    """
    if yaml is None:
        return None
    sizes: dict[str, int] = {}  # anchor -> expanded node count
    stack: list[tuple[str | None, int]] = []  # open collections: (anchor, nodes so far)
    total = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else 0
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in ("!", "?") and not _STANDARD.match(
                    _expand(tag)):
                return line, (f"the tag {tag[:60]} is not allowed: rule, answers and test "
                              "files are plain data (remove the tag)")
            if isinstance(event, yaml.AliasEvent):
                count = sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                count = 1
                value = event.value
                if (not event.style and len(value) > MAX_NUMBER_CHARS
                        and _NUMERIC.match(value)):
                    return line, (f"a number of {len(value)} characters; write at most "
                                  f"{MAX_NUMBER_CHARS} (or quote it if it is text)")
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                stack.append((event.anchor, 1))
                if len(stack) > MAX_DEPTH:
                    return line, _TOO_DEEP
                total += 1
                continue
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, count = stack.pop()
                if anchor:
                    sizes[anchor] = count
                if stack:  # the collection's nodes are already in the total
                    outer, inner = stack[-1]
                    stack[-1] = (outer, min(inner + count, MAX_NODES + 1))
                continue
            else:
                continue
            total += count
            if total > MAX_NODES:
                return line, (f"expands to more than {MAX_NODES:,} values once its aliases "
                              "(*name) are followed; write the values out or drop the aliases")
            if stack:
                anchor, inner = stack[-1]
                stack[-1] = (anchor, min(inner + count, MAX_NODES + 1))
    except yaml.YAMLError as error:
        if "nesting depth" in str(getattr(error, "problem", "")):  # libyaml's own limit
            mark = getattr(error, "problem_mark", None)
            return (mark.line + 1 if mark else 0), _TOO_DEEP
        return None  # the parser proper reports syntax errors with their position
    return None


def _expand(tag: str) -> str:
    return "tag:yaml.org,2002:" + tag[2:] if tag.startswith("!!") else tag
