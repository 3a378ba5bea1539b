"""Fuzzing the real loaders: rule YAML, answers, session JSON, metrics logs.

Each loader either accepts its input or refuses it with dldoctor's own one-line error
(KBError problems / InputError); any other exception is a bug. Accepted user numbers are
finite and in range. Examples are kept few so the module runs in well under a minute.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dldoctor.engine import KBError, KnowledgeBase
from dldoctor.engine.loader import load_kb
from dldoctor.engine.values import check_range
from dldoctor.errors import InputError
from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session

#: bench/fuzz.py raises the count (DLDOCTOR_FUZZ_EXAMPLES) and draws fresh examples.
_EXAMPLES = int(os.environ.get("DLDOCTOR_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=_EXAMPLES, deadline=None, derandomize=_EXAMPLES == 40,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge([])


def _tmp_file(text: str | bytes, suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile("wb", suffix=suffix, delete=False)  # noqa: SIM115
    handle.write(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    handle.close()
    return Path(handle.name)


def _one_line(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message


# ---------------------------------------------------------------- values
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, -1, 1, 0.5, 1e-3, 7]),
)
texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "1x10^99999", "²", "٣", "1" * 5000,
                     "yes", "no", "?", "adam", "0.001", " 3 ", "1,000", "-0"]),
)
leaves = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


# ---------------------------------------------------------------- rule YAML
_HOSTILE_SNIPPETS = [
    "&a [1, 2, 3]", "*a", "!!python/object/apply:os.system ['true']", "!custom x",
    "[" * 80 + "]" * 80, "{a: " * 70 + "1" + "}" * 70, "9" * 4400, "- - - - -", ".nan",
    "<<: *a", "? complex key\n: v", "'unterminated", "\t\tx: 1", "%YAML 1.1\n---",
]


@st.composite
def rule_texts(draw: st.DrawFn) -> str:
    tree = draw(st.dictionaries(
        st.sampled_from(["facts", "symptoms", "causes", "rules", "tests", "x"]),
        st.lists(st.dictionaries(st.sampled_from(["id", "type", "when", "then", "cf", "text",
                                                  "question", "sources", "all", "fact"]),
                                 values, max_size=5), max_size=3), max_size=4))
    text = yaml.safe_dump(tree, allow_unicode=True)
    lines = text.splitlines() or [""]
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        snippet = draw(st.sampled_from(_HOSTILE_SNIPPETS))
        lines.insert(at, draw(st.sampled_from(["", "k: ", "  - ", "x: "])) + snippet)
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=rule_texts())
def test_rule_files_load_or_give_problems(text: str) -> None:
    path = _tmp_file(text, ".yaml")
    try:
        load_kb([path])
    except KBError as exc:
        assert exc.problems
        for problem in exc.problems:
            _one_line(problem.format())
            assert problem.file == str(path) and problem.line >= 0
    finally:
        path.unlink()


# ---------------------------------------------------------------- answers
@FUZZ
@given(data=st.data())
def test_answers_files_load_or_give_one_line(kb: KnowledgeBase, data: st.DataObject) -> None:
    facts = sorted(kb.facts)
    answers = data.draw(st.dictionaries(
        st.one_of(st.sampled_from(facts), st.text(max_size=10)), values, max_size=4))
    text = yaml.safe_dump(answers, allow_unicode=True)
    if data.draw(st.booleans()):
        text += data.draw(st.sampled_from(_HOSTILE_SNIPPETS)) + "\n"
    path = _tmp_file(text, ".yaml")
    session = Session(kb)
    try:
        session.load_answers(path)
    except InputError as exc:
        _one_line(exc.message)
        assert exc.message.startswith(str(path))
    else:
        for fact_id, value in session.given.items():
            if isinstance(value, float):
                assert math.isfinite(value)
                check_range(kb.facts[fact_id], value)
    finally:
        path.unlink()


# ---------------------------------------------------------------- session JSON
def _valid_session(kb: KnowledgeBase) -> dict[str, Any]:
    session = Session(kb)
    session.set_fact("optimizer.lr", "1e-3")
    session.answer("optimizer.kind", "adam")
    session.complain("loss is nan")
    return session.to_json()


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for key, value in obj.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            out += _paths(value, (*prefix, index))
    return out


def _replace(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    obj[path[0]] = _replace(obj[path[0]], path[1:], value)
    return obj


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**25), 10**25),
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
              st.sampled_from(["nan", "inf", "dldoctor.session/1", "fact", "symptom"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8)


@FUZZ
@given(data=st.data())
def test_session_files_load_or_give_one_line(kb: KnowledgeBase, data: st.DataObject) -> None:
    saved = _valid_session(kb)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(saved)))
        saved = _replace(saved, path, data.draw(json_values))
    file = _tmp_file(json.dumps(saved), ".json")
    try:
        session = Session.load(kb, file)
    except InputError as exc:
        _one_line(exc.message)
        assert exc.message.startswith(str(file))
    else:
        assert session.inputs.trust is False and session.inputs.model is None
        session.report()
    finally:
        file.unlink()


def test_a_session_never_restores_trust_or_its_model(kb: KnowledgeBase, tmp_path: Path) -> None:
    saved = _valid_session(kb)
    saved["inputs"].update(trust=True, model="evil.py:make", batch="b.pt")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(saved))
    plain = Session.load(kb, path)
    assert plain.inputs.trust is False and plain.inputs.model is None
    assert plain.withheld_model == "evil.py:make"
    trusted = Session.load(kb, path, restore_model=True)
    assert trusted.inputs.model == "evil.py:make" and trusted.inputs.trust is False


# ---------------------------------------------------------------- logs
columns = st.sampled_from(["step", "epoch", "loss", "train_loss", "val_loss", "lr", "acc",
                           "grad_norm", "x", ""])
cells = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(-(10**6), 10**6).map(str), st.text(max_size=8),
                  st.sampled_from(["nan", "inf", "9" * 5000, "", '"', "1e999"]))


@FUZZ
@given(data=st.data())
def test_logs_read_or_give_one_line(data: st.DataObject) -> None:
    from dldoctor.probes.logs import read_log

    header = data.draw(st.lists(columns, min_size=1, max_size=5))
    rows = data.draw(st.lists(st.lists(cells, min_size=0, max_size=6), max_size=8))
    if data.draw(st.booleans()):
        text = "\n".join([",".join(header), *(",".join(r) for r in rows)]) + "\n"
        path = _tmp_file(text, ".csv")
    else:
        lines = [json.dumps(dict(zip(header, r, strict=False))) for r in rows]
        lines += data.draw(st.lists(st.sampled_from(
            ["{", "[" * 3000, '{"loss": ' + "1" * 5000 + "}", "null", "[1, 2]", "\x00"]),
            max_size=2))
        path = _tmp_file("\n".join(lines) + "\n", ".jsonl")
    try:
        metrics = read_log(path)
    except InputError as exc:
        _one_line(exc.message)
        assert str(path) in exc.message
    else:
        assert metrics.series
    finally:
        path.unlink()
