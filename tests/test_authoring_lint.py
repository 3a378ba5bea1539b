"""Every broken rule file in tests/data/bad_*.yaml gives exactly the problems its header expects.

Each file starts with ``# expect: LINE CODE [KEY WORDS…]`` lines (or ``# expect: nothing``);
the file must produce those problems, at those lines, with those words, and no others.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dldoctor.engine.lint import LINTS, lint_paths
from dldoctor.kb import SEED_SOURCES

DATA = Path(__file__).parent / "data"
BAD = sorted(DATA.glob("bad_*.yaml"))
_EXPECT = re.compile(
    r"^# expect: (?:(?P<nothing>nothing)|(?P<line>\d+) (?P<code>\S+)(?P<words>.*))$")


def expectations(path: Path) -> list[tuple[int, str, list[str]]]:
    """The ``(line, code, key words)`` a bad file's header announces."""
    out = []
    for text in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(text)
        if match and not match["nothing"]:
            out.append((int(match["line"]), match["code"], match["words"].split()))
    return out


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_reports_what_its_header_expects(path: Path) -> None:
    expected = expectations(path)
    assert expected or "# expect: nothing" in path.read_text(encoding="utf-8")
    problems = lint_paths([path], known_sources=SEED_SOURCES).problems
    got = sorted((p.line, p.code) for p in problems)
    assert got == sorted((line, code) for line, code, _ in expected), [
        p.format(with_column=True, with_code=True) for p in problems]
    for line, code, words in expected:
        (problem,) = [p for p in problems if (p.line, p.code) == (line, code)]
        assert Path(problem.file).resolve() == path.resolve()
        assert problem.code in LINTS and problem.severity == LINTS[code].severity
        message = f"{problem.where}: {problem.message}".lower()
        missing = [w for w in words if w.lower() not in message]
        assert not missing, f"{problem.message!r} lacks {missing}"
