"""What the thirteenth new user met on the command line: `kb list causes` did not point at
`--causes`."""

from __future__ import annotations

import subprocess
import sys


def test_a_bare_word_that_names_an_option_points_at_it() -> None:
    result = subprocess.run([sys.executable, "-m", "dldoctor", "kb", "list", "causes"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "did you mean `--causes`?" in result.stderr
