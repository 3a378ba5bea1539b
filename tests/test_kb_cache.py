"""The compiled knowledge-base cache: used when nothing changed, rebuilt on any change,
never hiding an error, never used by ``kb lint``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dldoctor import kbcache, kbpaths
from dldoctor.cli.app import app
from dldoctor.engine import KBError
from tests.kbfactory import A_SPLITS_C, write_kb


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DLDOCTOR_NO_KB_CACHE", raising=False)
    return tmp_path / "cache" / "dldoctor" / "kb"


def _no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the rules were loaded although the cache holds them")

    monkeypatch.setattr(kbpaths, "load_layers", refuse)


def _load(folder: Path):  # noqa: ANN202 - a KnowledgeBase
    return kbpaths.load_knowledge([folder], builtin=False)


def test_second_load_comes_from_the_cache(cache: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_kb(tmp_path, A_SPLITS_C)
    first = _load(folder)
    assert len(list(cache.glob("*.pickle"))) == 1
    with monkeypatch.context() as patch:
        _no_loading(patch)
        again = _load(folder)
    assert list(again.rules) == list(first.rules) and list(again.facts) == list(first.facts)
    assert again.rules["c_and_not_a"] == first.rules["c_and_not_a"]
    # positions are read again from the file when a message needs them
    assert again.locate("rules", "c_and_not_a") == first.locate("rules", "c_and_not_a")
    assert again.locate("rules", "c_and_not_a")[1] > 0


def test_another_working_folder_reads_the_same_entry_unless_the_names_change(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run from another project's folder reads the entry; a run from the folder that holds
    the rules names them relative to it, so that one loads (and keeps) its own."""
    folder = write_kb(tmp_path / "rules", A_SPLITS_C)
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    first = _load(folder)
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.chdir(other)
    with monkeypatch.context() as patch:
        _no_loading(patch)
        assert list(_load(folder).rules) == list(first.rules)
    assert len(list(cache.glob("*.pickle"))) == 1
    monkeypatch.chdir(folder)
    _load(folder)
    assert len(list(cache.glob("*.pickle"))) == 2


def test_any_change_rebuilds(cache: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_kb(tmp_path, A_SPLITS_C)
    _load(folder)
    rule_file = folder / "kb.yaml"
    rule_file.write_text(rule_file.read_text().replace("c with a is c1", "c with a -> c1"))
    changed = _load(folder)
    assert changed.rules["c_only_if_a"].because.en == "c with a -> c1"
    (folder / "more.yaml").write_text("facts:\n  - {id: extra, type: bool, text: E, "
                                      "question: \"E?\"}\n")
    assert "extra" in _load(folder).facts
    assert len(list(cache.glob("*.pickle"))) == 3
    with monkeypatch.context() as patch:  # back to a state seen before: cached again
        _no_loading(patch)
        assert "extra" in _load(folder).facts


def test_an_error_is_never_hidden_and_never_cached(cache: Path, tmp_path: Path) -> None:
    folder = write_kb(tmp_path, A_SPLITS_C)
    _load(folder)
    rule_file = folder / "kb.yaml"
    rule_file.write_text(rule_file.read_text().replace("cause: c1", "cause: no_such_cause"))
    for _ in range(2):
        with pytest.raises(KBError, match="no_such_cause"):
            _load(folder)
    assert len(list(cache.glob("*.pickle"))) == 1


def test_broken_entry_is_ignored_and_rewritten(cache: Path, tmp_path: Path) -> None:
    folder = write_kb(tmp_path, A_SPLITS_C)
    _load(folder)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"dldoctor-kb-cache-1 not a pickle")
    assert "c_only_if_a" in _load(folder).rules
    assert kbcache.read_cached(entry.stem) is not None


def test_switched_off_and_lint_never_reads_it(cache: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_kb(tmp_path, A_SPLITS_C)
    monkeypatch.setenv("DLDOCTOR_NO_KB_CACHE", "1")
    _load(folder)
    assert not cache.exists()
    monkeypatch.delenv("DLDOCTOR_NO_KB_CACHE")
    _load(folder)

    def refuse(key: str) -> None:
        raise AssertionError("kb lint read the cache")

    monkeypatch.setattr(kbcache, "read_cached", refuse)
    result = CliRunner().invoke(app, ["kb", "lint", "--no-builtin", str(folder)])
    # lint validates fully: it finds what loading (and so the cache) lets through
    assert not isinstance(result.exception, AssertionError), result.exception
    assert result.exit_code == 1 and "missing-zh" in result.output
