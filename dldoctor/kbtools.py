"""The door of the rule-authoring commands (``dldoctor kb …``), as the session is the door
of ``diagnose`` and ``chat``: what the front ends may name of the engine's authoring tools
(lint, rule tests, graphs, schemas, the rule model), in one place, so that ``dldoctor/cli``
imports nothing below this module (tests/test_import_contract.py).
"""

from __future__ import annotations

from dldoctor.engine import KBError, KnowledgeBase, Problem
from dldoctor.engine.explain import describe_leaf
from dldoctor.engine.graph import FORMATS, build_graph, to_dot, to_mermaid
from dldoctor.engine.graph import show_value as show_rule_value
from dldoctor.engine.layers import load_layers
from dldoctor.engine.lint import LINTS, lint_paths
from dldoctor.engine.loader import gc_paused
from dldoctor.engine.model import AllOf, AnyOf, AssertFact, Condition, Leaf, NotOf, SupportCause
from dldoctor.engine.schema import kb_schema, tests_schema
from dldoctor.engine.testing import CaseRun, case_files, check_case, load_cases, run_cases

__all__ = [
    "gc_paused",
    "KBError", "KnowledgeBase", "Problem", "describe_leaf", "FORMATS", "build_graph", "to_dot",
    "to_mermaid", "show_rule_value", "load_layers", "LINTS", "lint_paths", "AllOf", "AnyOf",
    "AssertFact", "Condition", "Leaf", "NotOf", "SupportCause", "kb_schema", "tests_schema",
    "CaseRun", "case_files", "check_case", "load_cases", "run_cases",
]
