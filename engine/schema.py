"""JSON Schema of rule files and test files, generated from the pydantic models.

Editors with YAML support (yaml-language-server, VS Code's YAML extension) use it to
complete keys and flag mistakes while a rule is typed. The generated schema is adjusted
where the models accept more than their types say: a text may be a plain string (English).
"""

from __future__ import annotations

from typing import Any

from .model import KBFile

__all__ = ["kb_schema", "tests_schema"]


def _text_or_string(node: Any) -> Any:
    """Let every ``Text`` reference accept a plain string too."""
    if isinstance(node, dict):
        if node.get("$ref") == "#/$defs/Text":
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {"anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/$defs/Text"}],
                    **rest}
        return {k: _text_or_string(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_text_or_string(v) for v in node]
    return node


def _finish(schema: dict[str, Any], title: str) -> dict[str, Any]:
    out = _text_or_string(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **out, "title": title}


def kb_schema() -> dict[str, Any]:
    """The JSON Schema of a knowledge-base rule file."""
    schema = KBFile.model_json_schema(by_alias=True)
    leaf = schema["$defs"]["Leaf"]
    leaf["minProperties"] = leaf["maxProperties"] = 2  # 'fact' and exactly one operator
    return _finish(schema, "dldoctor knowledge-base file")


def tests_schema() -> dict[str, Any]:
    """The JSON Schema of a knowledge-base test file (``tests/*.yaml``)."""
    from .testing import _CaseFile

    schema = _CaseFile.model_json_schema(by_alias=True)
    case = schema["$defs"]["Case"]["properties"]
    for internal in ("file", "line"):
        case.pop(internal, None)
    return _finish(schema, "dldoctor knowledge-base test file")
