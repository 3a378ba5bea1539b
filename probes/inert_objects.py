"""What a checkpoint's pickle holds beyond tensors, kept as inert data.

The torch-free reader (:mod:`.numpy_checkpoint`) in its inert mode turns every global it does
not know into a :class:`Global` (its qualified name, nothing imported); calling one in the
pickle (``REDUCE``, ``NEWOBJ``) makes a :class:`Record` that only stores the arguments, the
state (``BUILD``) and the items (``SETITEMS``, ``APPENDS``) it was given. No code from the
file runs.

:func:`to_data` then reads the records that matter as plain data:

* a pickled ``nn.Module`` (state holding ``_parameters``, ``_buffers`` and ``_modules``)
  becomes an :class:`InertModule`: its state dict under the usual dotted names and the class
  name of each submodule, as strings;
* dict-like records (Lightning's ``AttributeDict``, ``OrderedDict`` subclasses,
  ``defaultdict``) become dicts, list-like ones lists, omegaconf's ``DictConfig`` /
  ``ListConfig`` their ``_content`` and its value nodes their ``_val``;
* ``set``, ``frozenset``, ``list``, ``tuple``, ``dict`` and ``Counter`` records built from
  plain data become those containers (a ``Counter`` a dict).

Anything else stays a record, which the probes ignore.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

__all__ = ["Global", "Record", "InertModule", "to_data", "holds_arrays", "code_calls"]

_PLAIN = (str, int, float, bool, bytes, complex, type(None))
_KEYS = (*_PLAIN, tuple)
_LEAVES = (*_PLAIN, np.ndarray)
_MODULE_KEYS = ("_parameters", "_buffers", "_modules")
_CONTAINERS: dict[str, type] = {"collections.Counter": dict}  # MultiStepLR's milestones
_CONTAINERS.update({
    f"{package}.{name}": kind
    for package in ("builtins", "__builtin__")
    for name, kind in (("set", set), ("frozenset", frozenset), ("list", list), ("tuple", tuple),
                       ("dict", dict))})


class Global:
    """A global the pickle names (a class, a function): its qualified name, never imported."""

    def __init__(self, qualified: str) -> None:
        self.qualified = qualified

    def __repr__(self) -> str:
        return f"Global({self.qualified})"


class Record:
    """What calling a :class:`Global` in the pickle stands for: the arguments, state and
    items it was given, stored and never acted on."""

    def __init__(self, qualified: str, args: tuple[Any, ...] = (),
                 kwargs: dict[Any, Any] | None = None) -> None:
        self.qualified, self.args, self.kwargs = qualified, args, kwargs or {}
        self.state: dict[Any, Any] = {}
        self.items: dict[Any, Any] = {}
        self.list: list[Any] = []

    def build(self, state: Any) -> None:
        """``BUILD``: keep the state (a dict, or ``(dict, slots)``) as data."""
        parts = state if isinstance(state, tuple) and len(state) == 2 else (state,)
        for part in parts:
            if isinstance(part, dict):
                self.state.update(part)
            elif part is not None:
                self.state["state"] = part

    def __repr__(self) -> str:
        return f"Record({self.qualified})"


class InertModule:
    """A pickled ``nn.Module`` read as data: its tensors and its submodules' class names."""

    def __init__(self, qualified: str) -> None:
        self.qualified = qualified
        self.tensors: OrderedDict[str, Any] = OrderedDict()
        self.types: dict[str, str] = {}

    def state_dict(self) -> OrderedDict[str, Any]:
        """The tensors under ``Module.state_dict``'s dotted names."""
        return self.tensors

    def __repr__(self) -> str:
        return f"InertModule({self.qualified}, {len(self.tensors)} tensors)"


def _is_module(record: Record) -> bool:
    return all(isinstance(record.state.get(k), dict) for k in _MODULE_KEYS)


def _read_module(record: Record, prefix: str, module: InertModule, seen: set[int]) -> None:
    """Parameters, persistent buffers, then submodules, in ``state_dict`` order."""
    if id(record) in seen:  # a module that holds itself: read once
        return
    seen.add(id(record))
    module.types[prefix] = record.qualified.rsplit(".", 1)[-1]
    skip = _names(record.state.get("_non_persistent_buffers_set"))
    for key in ("_parameters", "_buffers"):
        for name, value in record.state[key].items():
            if isinstance(name, str) and isinstance(value, np.ndarray) and name not in skip:
                module.tensors[f"{prefix}.{name}" if prefix else name] = value
    for name, child in record.state["_modules"].items():
        if isinstance(name, str) and isinstance(child, Record) and _is_module(child):
            _read_module(child, f"{prefix}.{name}" if prefix else name, module, seen)


def _names(value: Any) -> set[str]:
    """The strings of a set, or of a ``set([...])`` record (protocol 2 pickles sets so)."""
    if isinstance(value, Record) and value.args:
        value = value.args[0]
    if isinstance(value, set | frozenset | list | tuple):
        return {v for v in value if isinstance(v, str)}
    return set()


def to_data(obj: Any) -> Any:
    """``obj`` with its records read as plain data where they hold some (see the module)."""
    memo: dict[int, Any] = {}
    keep: list[Any] = []  # what memo's ids refer to stays alive until the walk ends

    def convert(value: Any) -> Any:
        if isinstance(value, (*_LEAVES, Global, InertModule)):
            return value
        key = id(value)
        if key in memo:
            return memo[key]
        memo[key] = None  # a cycle reads as None
        keep.append(value)
        memo[key] = found = _convert(value, convert)
        return found

    return convert(obj)


def _convert(value: Any, convert: Any) -> Any:
    if isinstance(value, dict):
        out = type(value)() if type(value) in (dict, OrderedDict) else {}
        for k, v in value.items():
            if isinstance(k, _KEYS):
                out[k] = convert(v)
        return out
    if isinstance(value, list):
        return [convert(v) for v in value]
    if isinstance(value, tuple):
        return tuple(convert(v) for v in value)
    if isinstance(value, set | frozenset):
        return type(value)(v for v in value if isinstance(v, _PLAIN))
    if isinstance(value, Record):
        return _convert_record(value, convert)
    return None  # nothing else comes out of the reader


def _convert_record(record: Record, convert: Any) -> Any:
    state = record.state
    if _is_module(record):
        module = InertModule(record.qualified)
        _read_module(record, "", module, set())
        return module
    if "_content" in state and record.qualified.startswith("omegaconf."):
        return convert(state["_content"])  # DictConfig, ListConfig
    if "_val" in state and record.qualified.startswith("omegaconf."):
        return convert(state["_val"])  # AnyNode, StringNode, …
    kind = _CONTAINERS.get(record.qualified)
    if kind is not None and len(record.args) <= 1 and not record.kwargs:
        made = convert(record.args[0]) if record.args else kind()
        if kind is dict:
            return made if isinstance(made, dict) else _pairs(made)
        if isinstance(made, list | tuple | set | frozenset):
            if kind in (set, frozenset):
                return kind(v for v in made if isinstance(v, _PLAIN))
            return kind(made)
    if record.items:
        return {k: convert(v) for k, v in record.items.items() if isinstance(k, _KEYS)}
    if record.list:
        return [convert(v) for v in record.list]
    out = Record(record.qualified, tuple(convert(a) for a in record.args))
    out.state = convert(state)
    return out


def _pairs(value: Any) -> dict[Any, Any]:
    """``dict([(key, value), …])`` of plain keys; anything else reads as an empty dict."""
    if not isinstance(value, list | tuple):
        return {}
    return {p[0]: p[1] for p in value
            if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], _PLAIN)}


def holds_arrays(obj: Any) -> bool:
    """Whether any array is reachable in ``obj`` (dicts, lists, tuples, records, modules)."""
    todo, seen = [obj], set()
    while todo:
        value = todo.pop()
        if isinstance(value, np.ndarray):
            return True
        if isinstance(value, InertModule):
            if value.tensors:
                return True
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            todo += value.values()
        elif isinstance(value, list | tuple):
            todo += value
        elif isinstance(value, Record):
            todo += [*value.args, *value.state.values(), *value.items.values(), *value.list]
    return False


#: Modules (and builtins) whose functions a pickle calls only to run code: a shell command,
#: an import, a file write. A record of one is a payload, never data a training run saves.
_CODE_MODULES = frozenset({
    "os", "posix", "nt", "subprocess", "sys", "shutil", "socket", "importlib", "runpy", "pty",
    "webbrowser", "code", "codeop", "pickle", "marshal", "ctypes", "multiprocessing",
    "asyncio", "pdb", "timeit", "commands", "popen2"})
_CODE_BUILTINS = frozenset({
    "eval", "exec", "compile", "__import__", "open", "getattr", "setattr", "delattr",
    "globals", "breakpoint", "input", "exit", "quit"})


def _is_code_call(qualified: str) -> bool:
    module, _, name = qualified.rpartition(".")
    if module in ("builtins", "__builtin__"):
        return name in _CODE_BUILTINS
    return module.split(".")[0] in _CODE_MODULES


def code_calls(obj: Any, depth: int = 4, where: str = "") -> list[tuple[str, str]]:
    """(entry, qualified name) of each record in ``obj`` that calls a function only a payload
    calls (``os.system``, ``builtins.exec`` …): read inertly, so never run; named so the
    person learns what the file would have done under a plain ``torch.load``."""
    if isinstance(obj, Record):
        if _is_code_call(obj.qualified):
            return [(where or "(the whole file)", obj.qualified)]
        children: list[tuple[str, Any]] = [(where, a) for a in obj.args]
        children += [(where, v) for v in (*obj.state.values(), *obj.items.values(), *obj.list)]
    elif isinstance(obj, dict):
        children = [(f"{where}.{k}" if where else str(k), v) for k, v in obj.items()]
    elif isinstance(obj, list | tuple):
        children = [(f"{where}[{i}]", v) for i, v in enumerate(obj)]
    else:
        return []
    if depth <= 0:
        return []
    found: list[tuple[str, str]] = []
    for name, child in children:
        found += code_calls(child, depth - 1, name)
    return found
