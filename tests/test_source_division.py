"""The model file's divisions by a statistic computed in place with no epsilon (the
thirty-eighth set's hypernetwork: a per-task MSE divided by ``y.var(1)``, NaN once a task is
flat), read from the file's syntax tree; nothing in it is run."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.probes.source_scan import division_findings

_HEAD = "import torch\n\ndef build():\n    return torch.nn.Linear(4, 1)\n\n"


def _file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "model.py"
    path.write_text(_HEAD + body)
    return f"{path}:build"


@pytest.mark.parametrize("body", [
    "def nmse(pred, y):\n    return (((pred - y) ** 2).mean(1) / y.var(1)).mean()\n",
    "def zscore(x):\n    return (x - x.mean(0)) / torch.std(x, 0)\n",
    "def unit(v):\n    v /= v.norm(dim=-1, keepdim=True)\n    return v\n",
])
def test_a_bare_statistic_under_a_division_is_found(tmp_path: Path, body: str) -> None:
    found = division_findings(_file(tmp_path, body))
    assert [f.fact for f in found] == ["src.divides_by_a_statistic"] and found[0].value is True
    assert "model.py line 7" in str(found[0].evidence)


@pytest.mark.parametrize("body", [
    "def nmse(pred, y):\n    return (((pred - y) ** 2).mean(1) / (y.var(1) + 1e-8)).mean()\n",
    "def zscore(x):\n    return (x - x.mean(0)) / x.std(0).clamp_min(1e-6)\n",
    "def half(x):\n    return x / 2\n",
])
def test_a_guarded_or_constant_denominator_is_not(tmp_path: Path, body: str) -> None:
    assert division_findings(_file(tmp_path, body)) == []


def test_no_file_a_module_or_broken_source_says_nothing(tmp_path: Path) -> None:
    assert division_findings(None) == [] and division_findings("torch.nn:Linear") == []
    assert division_findings(f"{tmp_path / 'absent.py'}:build") == []
    broken = tmp_path / "broken.py"
    broken.write_text("def build(:\n  / x.var()\n")
    assert division_findings(f"{broken}:build") == []
