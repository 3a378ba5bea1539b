"""The inference engine: rule language, loader, forward chaining, planning, explanations.

Pure Python: it imports neither torch nor textual and does no I/O beyond reading rule files
when asked to load them.
"""

from __future__ import annotations

if __name__ != "dldoctor.engine":  # the source folder, imported under its own name
    raise ImportError("engine/ is the source of the package dldoctor.engine: import "
                      "dldoctor.engine (under another name its classes would be a second copy)")

from .certainty import CONCLUDE_THRESHOLD, combine, combine_all
from .errors import KBError, Problem
from .explain import how, why, why_not
from .inference import CauseScore, Engine, Firing
from .knowledge import KnowledgeBase
from .loader import load_kb
from .memory import Fact, WorkingMemory
from .model import CauseSpec, FactSpec, Rule, SymptomSpec
from .strategy import Planner, ProbeRequest, ProbeSpec, Question
from .values import UNKNOWN, ValueProblem, parse_answer

__all__ = [
    "CONCLUDE_THRESHOLD",
    "CauseScore",
    "CauseSpec",
    "Engine",
    "Fact",
    "FactSpec",
    "Firing",
    "KBError",
    "KnowledgeBase",
    "Planner",
    "Problem",
    "ProbeRequest",
    "ProbeSpec",
    "Question",
    "Rule",
    "SymptomSpec",
    "UNKNOWN",
    "ValueProblem",
    "WorkingMemory",
    "combine",
    "combine_all",
    "how",
    "load_kb",
    "parse_answer",
    "why",
    "why_not",
]
