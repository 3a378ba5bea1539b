"""What the twenty-first new user hit: one garbled line in the middle of a JSON-lines log, or
one byte that is no UTF-8 in a CSV, refused the whole log (exit 2); ``val_total`` was not read
as the validation loss (their Chinese and English complaints, their mixture of experts' gate
and their per-batch StepLR are in tests/test_complaints.py and kb/tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dldoctor.errors import InputError
from dldoctor.probes.logs import read_log
from dldoctor.probes.metric_names import canonical_name


def _jsonl(path: Path, garbled: tuple[int, ...], rows: int = 40, cut_last: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i in range(rows):
            if i in garbled:
                f.write(f'{{"step": {i}, "loss": 0.\\x00garbage\n')
                continue
            f.write(json.dumps({"step": i, "loss": 1.0 / (i + 1)}) + "\n")
        if cut_last:
            f.write('{"step": 99, "lo')
    return path


def test_a_garbled_line_is_skipped_and_said(tmp_path: Path) -> None:
    metrics = read_log(_jsonl(tmp_path / "a.jsonl", (30,), cut_last=True))
    assert metrics.series["loss"].values.size == 39
    note = " ".join(str(n) for n in metrics.unused)
    assert "2 line(s) that are not JSON skipped (the first is line 31)" in note


def test_a_file_of_garbage_is_still_no_json_lines_log(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text("".join(f"garbage line {i}\n" for i in range(10)), encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.jsonl:1: not JSON"):
        read_log(path)


def test_a_byte_that_is_no_utf8_costs_its_field_not_the_log(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    with path.open("wb") as f:
        f.write(b"step,loss\n")
        for i in range(40):
            f.write(f"{i},{1.0 / (i + 1)}\n".encode() if i != 20 else b"20,0.0\xff5\n")
    metrics = read_log(path)
    assert metrics.series["loss"].values.size >= 39
    assert any("not UTF-8" in str(n) for n in metrics.unused)


def test_a_total_beside_its_parts_is_the_loss() -> None:
    assert canonical_name("val_total")[0] == "val_loss"
    assert canonical_name("train_total")[0] == "loss"
    assert canonical_name("nmse")[0] == "loss"
    assert canonical_name("val_nmse")[0] == "val_loss"
