"""A generator of real tiny training runs (healthy or with one injected bug) for the trust
benchmark: architecture family, optimizer, schedule, data, bug, severity and seed vary."""

from __future__ import annotations

from .bugs import BUGS, applicable
from .config import FAMILIES, RunConfig
from .plan import make_config, plan
from .split import part, part_of

__all__ = ["BUGS", "FAMILIES", "RunConfig", "applicable", "make_config", "part", "part_of",
           "plan"]
