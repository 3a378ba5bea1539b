"""The trust benchmark: held-out accuracy, false alarms and calibration of ``diagnose``."""

from __future__ import annotations

from .cli import evaluate, main
from .run import MODES, Outcome, diagnose
from .score import ALARM, score

__all__ = ["ALARM", "MODES", "Outcome", "diagnose", "evaluate", "main", "score"]
