"""Evidence sentences agree with their values, on logs hypothesis makes up: a sentence never
says "near its minimum" of a value far above it, "falls" of a loss that rose, or "inf" for a
ratio with nothing to divide by; numbers show 3 significant digits and steps as integers."""

from __future__ import annotations

import math
import re
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dldoctor.numbers import num
from dldoctor.probes import curves
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.evidence import At, Pct, Said, Times, localize
from dldoctor.probes.log_probes import CLOSE_FRACTION, probe_curves
from tests.support import write_csv_log

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.])")


def _significant(text: str) -> int:
    mantissa = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa.rstrip("0")) if "." not in text.split("e")[0] else len(mantissa)


def _check_numbers(said: Said) -> None:
    """Every number that is not a whole one has at most 3 significant digits; ratios and
    percentages are finite; steps are whole."""
    for name, value in said.values.items():
        if isinstance(value, At):
            assert f"step {round(value.step)}" in said, said
        if isinstance(value, Times):  # a word the message names ("became NaN") is no ratio
            text = localize(said, "en")
            for other in said.values.values():
                text = text.replace(other, "") if isinstance(other, str) else text
            assert "inf" not in text.split() and "nan" not in text.lower() \
                or not math.isfinite(value.ratio), said
        if isinstance(value, Pct):
            assert math.isfinite(value.fraction) or "%" not in said, said
        if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            shown = num(value)
            assert shown in said, (name, shown, said)
    assert "n/a" not in said and "n/a" not in localize(said, "zh"), said  # 0/0 is said in words
    for token in _NUMBER.findall(str(said)):
        if "." in token or "e" in token:
            assert _significant(token) <= 3, (token, said)


def _check_meaning(said: Said, value: Any) -> None:  # noqa: C901 — one case per message
    v = said.values
    key = said.key
    if key == "val.near_min":
        assert v["end"] <= v["low"] + CLOSE_FRACTION * max(abs(v["low"]), 1e-12), said
    elif key == "val.rose_train_did_not_fall":
        assert v["end"] > v["low"], said
    elif key in ("loss.fell", "overfit.fell", "overfit.fell_slowly"):
        assert v["b"] < v["a"], said
    elif key in ("overfit.grew", "overfit.rose"):
        assert v["b"] > v["a"], said
    elif key in ("loss.fell", "loss.barely_moves", "loss.flat_after_start"):
        drop = v["drop"].fraction
        assert math.isclose(drop, (v["a"] - v["b"]) / max(abs(v["a"]), 1e-12), rel_tol=1e-9)
        if key == "loss.barely_moves":
            assert abs(drop) < curves.PLATEAU_DROP, said
    elif key == "loss.peaks":
        assert v["peak"] >= v["initial"] and math.isclose(
            v["ratio"].ratio, v["peak"] / v["initial"], rel_tol=1e-9), said
    elif key == "lr.constant":
        assert v["n"] >= 2, said
    elif key == "lr.goes":
        assert v["peak"] >= max(v["a"], v["b"]), said
    elif key == "loss.start_level":
        assert value == v["level"], said
    elif key == "train_val.gap":
        assert math.isclose(v["ratio"].ratio, v["v"] / v["t"], rel_tol=1e-9), said


def _numbers_of(data: Any) -> list[float]:
    return [float(x) for x in data]


_value = st.one_of(st.floats(1e-4, 1e4), st.sampled_from([0.0, float("nan"), 1e30]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.floats(0.05, 50), shape=st.sampled_from(["fall", "flat", "rise", "blowup"]),
       n=st.integers(8, 80), noise=st.floats(0, 0.3), val_every=st.integers(2, 9),
       val_bias=st.floats(0.5, 3), lr_decay=st.booleans(), extra=_value)
def test_curve_evidence_agrees_with_its_values(start: float, shape: str, n: int, noise: float,
                                               val_every: int, val_bias: float,
                                               lr_decay: bool, extra: float) -> None:
    t = [i / max(n - 1, 1) for i in range(n)]
    wobble = [1 + noise * math.sin(7.3 * i) for i in range(n)]
    trend = {"fall": [start * (1 - 0.9 * x) for x in t], "flat": [start] * n,
             "rise": [start * (1 + 3 * x) for x in t],
             "blowup": [start * 10 ** (8 * x) for x in t]}[shape]
    loss = [a * w for a, w in zip(trend, wobble, strict=True)]
    loss[n // 2] = extra if shape == "blowup" else loss[n // 2]
    val: list[float | None] = [loss[i] * val_bias if i % val_every == val_every - 1 else None
                               for i in range(n)]
    lr = [0.1 * (0.5 if lr_decay and i > n // 2 else 1.0) for i in range(n)]
    with TemporaryDirectory() as folder:
        path = write_csv_log(Path(folder) / "run.csv", {
            "step": [float(i * 10) for i in range(n)], "loss": loss, "val_loss": val, "lr": lr})
        found = probe_curves(Inputs(logs=(path,)), ProbeContext())
    said = [f for f in found if isinstance(f.evidence, Said)]
    assert len(said) >= len(found) - 1  # every finding is said in words that can be translated
    for f in said:
        _check_numbers(f.evidence)  # type: ignore[arg-type]
        _check_meaning(f.evidence, f.value)  # type: ignore[arg-type]
        assert not re.search(r"\binf\b|e\+", localize(f.evidence, "zh")) or "inf" in str(
            f.evidence.values), f.evidence


def test_a_derivation_shows_3_significant_digits_in_the_session_language() -> None:
    from dldoctor.engine.explain import Step
    from dldoctor.render import step_lines

    inner = Step("r_inner", "因为", 0.5, (("loss.initial", 1168.4321, "probe:log.curves"),))
    step = Step("r_outer", "所以", 0.7, (("loss.non_finite", True, "rule:r_inner"),
                                         ("lr.value", 0.046875, "user")), (inner,))
    zh = "\n".join(step_lines(step, "zh"))
    assert "- 规则 r_outer (+0.70): 所以" in zh and "loss.non_finite = 是" in zh
    assert "lr.value = 0.0469" in zh and "loss.initial = 1170" in zh and "1168.4" not in zh
    assert "yes" not in zh and "rule " not in zh
    assert "loss.non_finite = yes" in "\n".join(step_lines(step, "en"))
