"""Smoke test of the trust benchmark: generator, split, scorer, report (not the accuracy).

Generates six real tiny runs (MLP from the tuning families, GRU from the held-out ones; a
healthy run and two broken ones each), diagnoses them with checkpoint + log, and checks the
harness: both parts and the healthy runs are scored, the numbers are in range, the Markdown
table is written, and the in-process diagnosis equals the installed ``diagnose`` script.
The metric arithmetic is checked on hand-made outcomes. No accuracy threshold: the engine is
being reworked, and the benchmark must measure whatever it gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.generator import BUGS, applicable, make_config, part_of
from bench.generator.generate import generate
from bench.generator.plan import plan
from bench.trust.cli import evaluate
from bench.trust.report import HEADING, markdown
from bench.trust.run import Outcome, diagnose
from bench.trust.score import ece, reliability, score

RUNS = [("mlp", 0, None), ("mlp", 1, "lr_too_high"), ("mlp", 2, "loss_negated"),
        ("gru", 0, None), ("gru", 1, "init_large"), ("gru", 2, "labels_shuffled")]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("gen")
    configs = [make_config(f, s, b, 3 if b else None) for f, s, b in RUNS]
    return out, generate(configs, out, jobs=1)


@pytest.fixture(scope="module")
def result(generated: tuple[Path, list[dict[str, Any]]]) -> dict[str, Any]:
    out, truths = generated
    return evaluate(truths, out, ("ckpt_log",), jobs=1)


def test_generated_runs_hold_what_a_user_has(generated: tuple[Path, list[dict[str, Any]]]
                                             ) -> None:
    out, truths = generated
    for t in truths:
        run = out / t["id"]
        for name in ("model.py", "checkpoint.pt", "batch.pt", t["files"]["log"]):
            assert (run / name).is_file(), f"{t['id']}: {name} missing"
        assert t["healthy"] == (t["bug"] is None)
        assert t["causes"] == ([] if t["healthy"] else list(BUGS[t["bug"]].causes))
    assert [t["part"] for t in truths] == ["tuning"] * 3 + ["held_out"] * 3
    neg = next(t for t in truths if t["bug"] == "loss_negated")
    assert neg["seen"]["last_loss"] < 0  # the injected bug shows in the log


def test_generation_is_deterministic_and_cached(generated: tuple[Path, list[dict[str, Any]]]
                                                ) -> None:
    out, truths = generated
    again = generate([make_config(f, s, b, 3 if b else None) for f, s, b in RUNS], out, jobs=1)
    assert all(t["cached"] for t in again)
    assert [t["fingerprint"] for t in again] == [t["fingerprint"] for t in truths]


def test_plan_and_split_cover_families_bugs_and_both_parts() -> None:
    runs = plan()
    assert len(runs) >= 300
    assert {part_of(c.family, c.seed) for c in runs} == {"tuning", "held_out"}
    assert all(part_of(f, 25) == "held_out" for f in ("mlp", "gru"))
    assert part_of("gru", 3) == "held_out" and part_of("mlp", 3) == "tuning"
    for family in ("mlp", "rescnn", "autoencoder", "multilabel"):
        assert len(applicable(family)) >= 10
    assert sum(c.bug is None for c in runs) >= 40  # enough healthy runs for false alarms


def test_scorer_scores_both_parts_and_the_healthy_runs(result: dict[str, Any]) -> None:
    for part in ("tuning", "held_out"):
        s = result["summary"][part]["ckpt_log"]
        assert (s["broken"], s["healthy"]) == (2, 1)
        assert s["errors"] == 0
        assert 0 <= s["top1"] <= s["top3"] <= 100
        assert 0 <= s["false_alarms"] <= s["healthy"]
        assert s["ece"] is None or 0.0 <= s["ece"] <= 1.0
        claims = sum(r["n"] for r in s["reliability"])
        runs = [r for r in result["runs"] if r["part"] == part]
        with_fault = sum(any(d["kind"] != "note" for d in r["outcomes"][0]["diagnoses"])
                         for r in runs)
        assert claims == with_fault
    healthy = [r for r in result["runs"] if not r["causes"]]
    assert len(healthy) == 2 and all(r["outcomes"][0]["rc"] in (0, 1) for r in healthy)


def test_markdown_table(result: dict[str, Any]) -> None:
    result = {**result, "generation": {"runs": 6, "wall_seconds": 1.0, "trained_now": 6,
                                       "train_cpu_seconds": 1.0},
              "command": "pytest"}
    text = markdown(result)
    assert "| metric | held-out: checkpoint + log | tuning: checkpoint + log |" in text
    assert "ECE of the top fault's confidence" in text and HEADING.startswith("## ")


def test_in_process_equals_the_installed_script(generated: tuple[Path, list[dict[str, Any]]]
                                                ) -> None:
    out, truths = generated
    run = out / truths[1]["id"]
    inproc = diagnose(run, "ckpt_log")
    script = diagnose(run, "ckpt_log", subprocess_=True, timeout=120)
    assert script.error == "" and inproc.error == ""
    assert (inproc.rc, inproc.diagnoses) == (script.rc, script.diagnoses)


def _o(rc: int, *faults: tuple[str, float], note: str | None = None) -> Outcome:
    diags = [{"cause": c, "confidence": v, "kind": "fault"} for c, v in faults]
    if note:
        diags.insert(0, {"cause": note, "confidence": 0.9, "kind": "note"})
    return Outcome("x", "all", rc, diags)


def test_metric_arithmetic_on_hand_made_outcomes() -> None:
    broken = {"healthy": False, "causes": ["a"], "family": "mlp"}
    healthy = {"healthy": True, "causes": [], "family": "mlp"}
    pairs = [
        (_o(1, ("a", 0.9), ("b", 0.6)), broken),          # top-1, one wrong fault >= 0.5
        (_o(1, ("b", 0.8), ("c", 0.7), ("a", 0.3)), broken),  # top-3 only, two wrong
        (_o(0), broken),                                    # no fault: a miss, no claim
        (_o(0, note="sgd_without_momentum"), healthy),      # a note is no false alarm
        (_o(1, ("b", 0.3)), healthy),                       # exit 1 is a false alarm
    ]
    s = score(pairs)
    assert (s["top1"], s["top3"], s["false_alarms"]) == (33.3, 66.7, 1)
    assert s["wrong_faults_per_broken"] == 1.0
    rel = {r["bin"]: (r["n"], r["accuracy"]) for r in reliability(pairs)}
    assert rel == {"0.3–0.4": (1, 0.0), "0.8–0.9": (1, 0.0), "0.9–1.0": (1, 1.0)}
    assert ece(pairs) == pytest.approx((0.3 + 0.8 + 0.1) / 3)
