"""Check probe findings against the fact declarations in kb/facts_probed.yaml (and the
training-loop facts in kb/facts_loop.yaml, and the askable facts of kb/facts_asked.yaml a
probe can measure too, such as the batch size or the final learning rate)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from dldoctor.engine.model import FactSpec
from dldoctor.engine.values import check_value
from dldoctor.probes.base import Finding

FACTS_FILE = Path(__file__).resolve().parents[2] / "kb" / "facts_probed.yaml"
LOOP_FACTS_FILE = FACTS_FILE.with_name("facts_loop.yaml")
ASKED_FACTS_FILE = FACTS_FILE.with_name("facts_asked.yaml")


@lru_cache(maxsize=1)
def fact_specs() -> dict[str, FactSpec]:
    facts = [f for path in (FACTS_FILE, LOOP_FACTS_FILE, ASKED_FACTS_FILE)
             for f in yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]]
    return {f["id"]: FactSpec.model_validate(f) for f in facts}


def check_findings(findings: list[Finding], probe: str | None = None) -> list[Finding]:
    """Assert each finding is a declared fact with a well-typed value and some evidence."""
    specs = fact_specs()
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.fact in specs, f"undeclared fact {finding.fact}"
        check_value(specs[finding.fact], finding.value)
        assert finding.evidence and "\n" not in finding.evidence, finding
        if probe is not None:
            assert probe in specs[finding.fact].probes, (finding.fact, probe)
    return findings


def values_of(findings: list[Finding]) -> dict[str, Any]:
    """fact → value (the last finding wins)."""
    return {f.fact: f.value for f in findings}


def curve_facts(folder: Path, columns: dict[str, list[float | None]], name: str = "log.csv"
                ) -> dict[str, Any]:
    """The log probe's facts (checked against their declarations) for a CSV log of
    ``columns`` written to ``folder / name``."""
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.log_probes import probe_curves

    from .writers import write_csv_log

    path = write_csv_log(folder / name, columns)
    return values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()),
                                    "log.curves"))
