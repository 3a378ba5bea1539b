"""A fast path for reading rule files: libyaml parses, ruamel's containers carry positions.

ruamel's round-trip loader is pure Python and takes most of a lint run. Here libyaml (through
PyYAML's C parser) builds the node tree and we construct the same ``CommentedMap`` /
``CommentedSeq`` tree ruamel would, with the same ``.lc`` positions and YAML 1.2 scalars
(``yes``/``no`` stay strings, ``1e-3`` is a number). Anything unusual (a syntax error, a
duplicate or merge key, a tag, a timestamp) raises :class:`Fallback` so that the caller asks
ruamel, whose answer and messages stay the reference.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode as RuamelScalar
from ruamel.yaml.resolver import VersionedResolver

try:
    import yaml
    from yaml import CBaseLoader as _PlainLoader
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    yaml = None  # type: ignore[assignment]
else:
    _yaml11 = yaml.resolver.Resolver()

# yaml and the loaders are re-exported for engine.loader's own fast path
__all__ = ["Fallback", "load_fast", "available", "yaml", "_Loader", "_PlainLoader"]

_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"^[-+]?[0-9]+$")
_SPECIAL = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
_resolver = VersionedResolver(version=(1, 2))


class Fallback(Exception):
    """The fast path cannot be sure it reads the file as ruamel would."""


def available() -> bool:
    return yaml is not None


_WORDS: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("null", "Null", "NULL"), None),
}


def _resolve(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar (PyYAML's resolver is untyped)."""
    resolve: Callable[..., str] = _yaml11.resolve
    return resolve(yaml.ScalarNode, value, (True, False))


def _scalar(node: Any, tagged: bool) -> Any:
    value = node.value
    if node.style:  # quoted or block: a string unless tagged otherwise
        if node.tag != _TAG + "str":
            raise Fallback
        return value
    if node.tag != (_resolve(value) if tagged else _TAG + "str"):
        raise Fallback  # an explicit tag
    if value[:1].isalpha():  # YAML 1.2 knows only these words; 'yes' and 'on' are text
        return _WORDS.get(value, value)
    tag = str(_resolver.resolve(RuamelScalar, value, (True, False)))
    if tag == _TAG + "str":
        return value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "int" and _INT.match(value):
        return int(value)
    if tag == _TAG + "float" and "_" not in value:
        low = value.lower()
        return _SPECIAL[low] if low in _SPECIAL else float(value)
    raise Fallback


def _build(node: Any, memo: dict[int, Any], tagged: bool) -> Any:
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, tagged)
    mark = node.start_mark
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _TAG + "seq":
            raise Fallback
        seq = CommentedSeq()
        seq._yaml_set_line_col(mark.line, mark.column)
        memo[id(node)] = seq
        for index, item in enumerate(node.value):
            seq.append(_build(item, memo, tagged))
            seq._yaml_set_idx_line_col(index, [item.start_mark.line, item.start_mark.column])
        return seq
    if node.tag != _TAG + "map":
        raise Fallback
    out = CommentedMap()
    out._yaml_set_line_col(mark.line, mark.column)
    memo[id(node)] = out
    for key_node, value_node in node.value:
        key = _build(key_node, memo, tagged)
        if not isinstance(key, str | int | float | bool) or key in out or key == "<<":
            raise Fallback
        out[key] = _build(value_node, memo, tagged)
        out._yaml_set_kv_line_col(key, [
            key_node.start_mark.line, key_node.start_mark.column,
            value_node.start_mark.line, value_node.start_mark.column,
        ])
    return out


def load_fast(text: str) -> Any:
    """Parse one YAML document into ruamel's position-carrying containers, or raise Fallback."""
    if yaml is None:
        raise Fallback
    # A tag starts with '!'. Without one in the text, the base loader (no YAML 1.1 typing,
    # which we redo for 1.2 anyway) is enough and much faster.
    tagged = "!" in text
    try:
        node = yaml.compose(text, Loader=_Loader if tagged else _PlainLoader)
    except yaml.YAMLError:
        raise Fallback from None
    return None if node is None else _build(node, {}, tagged)
