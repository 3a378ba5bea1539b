"""Shared test set-up: keep every test away from the real home folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from tests.support.forkcli import ForkCli

# Property tests draw the same examples on every run and never time an example: a verdict
# must not depend on the draw of the day or on how busy the machine is.
settings.register_profile("dldoctor", derandomize=True, deadline=None)
settings.load_profile("dldoctor")


@pytest.fixture(autouse=True, scope="session")
def _isolated_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point caches, state and config at a per-run folder (autosaves, the example, config)."""
    root = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"),
                     ("XDG_CONFIG_HOME", "config")):
        os.environ[var] = str(root / sub)
    os.environ.pop("DLDOCTOR_KB", None)
    os.environ.pop("DLDOCTOR_CONFIG", None)


@pytest.fixture(autouse=True)
def _english_errors() -> None:
    """Each test starts with one-line errors in English: a CLI run in this process with
    --lang zh sets the language errors are printed in, and a test that ran before in the same
    worker must not decide the next one's language."""
    from dldoctor.error_texts import set_lang

    set_lang("en")


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def cli(_isolated_home: None) -> ForkCli:
    """The installed CLI run from one warm interpreter (tests/support/forkcli.py)."""
    from tests.support.forkcli import shared  # torch comes with tests.support: only when used

    return shared()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the warm CLI server if a test started it."""
    forkcli = sys.modules.get("tests.support.forkcli")
    if forkcli is not None:
        forkcli.close_shared()
