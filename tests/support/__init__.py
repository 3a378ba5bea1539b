"""Shared test helpers: tiny trained models with chosen bugs, artefact writers, fact checks.

Other test modules build fixtures from these::

    art = train_tiny(tmp_path, bug="lr_too_high")
    inputs = art.inputs()           # dldoctor.probes.base.Inputs over the artefacts
"""

from __future__ import annotations

from .artefacts import BUGS, Artefacts, train_tiny
from .facts import check_findings, curve_facts, fact_specs, values_of
from .writers import write_csv_log, write_jsonl_log, write_tensorboard_log

__all__ = ["BUGS", "Artefacts", "train_tiny", "check_findings", "curve_facts", "fact_specs",
           "values_of",
           "write_csv_log", "write_jsonl_log", "write_tensorboard_log"]
