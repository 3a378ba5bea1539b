"""The shape of a saved session file, checked before a single field of it is used.

Session files are meant to be shared, so they are data from someone else: every field is
validated (types, sizes, finite numbers) and a wrong one is a one-line error naming the file
and the field. Nothing in a session file can make dldoctor run code: the ``trust`` flag is
never restored and a ``model`` is only imported when the user asks for it in this invocation
(``--model`` again or ``--trust-session``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from dldoctor.engine.bounded import Unreadable, read_regular
from dldoctor.error_texts import err as e
from dldoctor.errors import InputError, printable

__all__ = ["SessionFile", "InputsFile", "read_session_file", "check_session_data",
           "one_line_error", "MAX_SESSION_BYTES", "SESSION_SCHEMA", "SCHEMA_VERSION"]

SESSION_SCHEMA = "dldoctor.session/1"
SCHEMA_VERSION = 1  # of the session file and the JSON report; bumped on an incompatible change

MAX_SESSION_BYTES = 20_000_000  # a session of 25 answers and 7 probe runs is a few kB
_MAX_DEPTH = 64

Text = Annotated[str, Field(max_length=10_000), AfterValidator(printable)]
Key = Annotated[str, Field(max_length=200), AfterValidator(printable)]
PathText = Annotated[str, Field(min_length=1, max_length=4096)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=False)


def _finite(value: Any) -> Any:
    """Numbers in a session are finite unless written as the strings "nan"/"inf"; text
    values lose their control characters."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a number must be finite")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**18:
        raise ValueError("a number is out of range")
    return value


class InputsFile(_Strict):
    """The artefacts of a session or a report (``Inputs.to_json``)."""

    checkpoint: PathText | None = None
    logs: list[PathText] = Field(default_factory=list, max_length=100)
    model: Annotated[str, Field(max_length=4096)] | None = None
    batch: PathText | None = None
    device: Literal["auto", "cpu", "cuda"] = "auto"
    trust: bool = False  # read, never restored
    trace: PathText | None = None


class AnswerFile(_Strict):
    kind: Literal["fact", "symptom"]
    key: Key
    raw: Any = None
    text: Text = ""
    score: float = Field(default=100.0, ge=0, le=100)

    @field_validator("raw")
    @classmethod
    def _raw_finite(cls, value: Any) -> Any:
        return _finite(value)


class FindingFile(_Strict):
    fact: Key
    value: Any = None
    evidence: Text = ""
    said: dict[str, Any] | None = None  # the evidence as a message key, for either language

    @field_validator("value")
    @classmethod
    def _valueprintable(cls, value: Any) -> Any:
        return printable(value) if isinstance(value, str) else value


class ProbeRunFile(_Strict):
    probe: Key
    findings: list[FindingFile] = Field(default_factory=list, max_length=10_000)
    error: Text | None = None
    notes: list[Text] = Field(default_factory=list, max_length=1_000)
    said_notes: list[dict[str, Any] | None] = Field(default_factory=list, max_length=1_000)
    seconds: float = Field(default=0.0, ge=0, le=1e9)
    unreadable_input: bool = False


class SessionFile(_Strict):
    """A saved session (``Session.to_json``): its whole state."""

    schema_: Literal["dldoctor.session/1"] = Field(alias="schema")
    schema_version: Literal[1] = 1  # absent in files saved before it was added
    lang: Literal["en", "zh"] = "en"
    inputs: InputsFile = Field(default_factory=InputsFile)
    given: dict[Key, Any] = Field(default_factory=dict, max_length=10_000)
    answers: list[AnswerFile] = Field(default_factory=list, max_length=10_000)
    skipped: list[Key] = Field(default_factory=list, max_length=10_000)
    probe_runs: list[ProbeRunFile] = Field(default_factory=list, max_length=100)

    @field_validator("given")
    @classmethod
    def _given_finite(cls, value: dict[str, Any]) -> dict[str, Any]:
        return {key: _finite(item) for key, item in value.items()}


def _depth(obj: Any, limit: int = _MAX_DEPTH) -> int:
    """Nesting depth of a JSON value, iteratively (a deep file must not blow the stack)."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


def _field(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def check_session_data(data: Any, name: str) -> SessionFile:
    """Validate already-parsed session JSON; raise one-line :class:`InputError` naming a field."""
    if not isinstance(data, dict):
        raise InputError(e("session.top_level", path=name, kind=type(data).__name__))
    if data.get("schema") != "dldoctor.session/1":
        shown = data.get("schema")
        shown = shown[:40] if isinstance(shown, str) else type(shown).__name__
        raise InputError(e("session.schema", path=name, schema=shown))
    if _depth(data) > _MAX_DEPTH:
        raise InputError(e("session.depth", path=name, n=_MAX_DEPTH))
    try:
        return SessionFile.model_validate(data)
    except ValidationError as exc:
        raise one_line_error(name, exc) from None


def one_line_error(name: str, exc: ValidationError) -> InputError:
    """A pydantic error as one line naming the file and the first wrong field."""
    err = exc.errors()[0]
    msg = str(err["msg"]).removeprefix("Value error, ")
    return InputError(e("session.field", path=name, field=_field(tuple(err["loc"])),
                        problem=msg[:120]))


def read_session_file(path: Path) -> tuple[dict[str, Any], SessionFile]:
    """Read and validate a session file: (raw JSON, checked model)."""
    try:
        raw = read_regular(path, MAX_SESSION_BYTES)
    except Unreadable as exc:
        what = e("session.missing") if str(exc) == "no such file" else exc.args[0]
        raise InputError(e("file.problem", path=path, problem=what)) from None
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_constant)
    except RecursionError:
        raise InputError(e("session.too_deep", path=path)) from None
    except (UnicodeDecodeError, ValueError) as exc:
        first = str(exc).splitlines()[0][:120]
        raise InputError(e("session.unreadable", path=path, first=first)) from None
    return data, check_session_data(data, str(path))


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")
