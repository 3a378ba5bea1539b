"""A benchmark of real, small, broken training runs (one injected bug each) and healthy ones."""

from __future__ import annotations

from .scenarios import SCENARIOS, SMOKE, by_id
from .spec import Scenario

__all__ = ["SCENARIOS", "SMOKE", "Scenario", "by_id"]
