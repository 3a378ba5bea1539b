"""The knowledge base as a graph: symptom → fact → rule → (fact →) cause → fix.

:func:`build_graph` collects nodes and edges (optionally only what leads to one cause);
:func:`to_mermaid` and :func:`to_dot` render it for Markdown pages and Graphviz.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from .knowledge import KnowledgeBase, condition_facts
from .model import AssertFact, SupportCause

__all__ = [
    "Node", "Edge", "Graph", "build_graph", "to_mermaid", "to_dot", "FORMATS", "show_value",
]

Kind = Literal["symptom", "fact", "rule", "cause", "fix"]
FORMATS = ("mermaid", "dot")


@dataclass(frozen=True)
class Node:
    key: str  # "kind:id", unique
    kind: Kind
    label: str


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    label: str = ""
    negative: bool = False


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def add(self, kind: Kind, item_id: str, label: str) -> str:
        key = f"{kind}:{item_id}"
        self.nodes.setdefault(key, Node(key, kind, label))
        return key


def show_value(value: object) -> str:
    """A fact value as it is written in YAML (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _short(text: str, width: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def build_graph(kb: KnowledgeBase, cause: str | None = None, lang: str = "en") -> Graph:
    """Every symptom, fact, rule, cause and fix, linked; with ``cause``, only its ancestry."""
    graph = Graph()
    for symptom in kb.symptoms.values():
        src = graph.add("symptom", symptom.id, f"{symptom.id}: {_short(symptom.text.get(lang))}")
        for fact_id in symptom.implies:
            dst = graph.add("fact", fact_id, fact_id)
            graph.edges.append(Edge(src, dst, show_value(symptom.implies[fact_id])))
    for rule in kb.rules.values():
        node = graph.add("rule", rule.id, rule.id)
        for fact_id in condition_facts(rule.when):
            graph.edges.append(Edge(graph.add("fact", fact_id, fact_id), node))
        for then in rule.then:
            if isinstance(then, SupportCause):
                title = kb.causes[then.cause].title.get(lang) if then.cause in kb.causes else ""
                dst = graph.add("cause", then.cause, f"{then.cause}: {_short(title)}")
                graph.edges.append(Edge(node, dst, f"{then.cf:+g}", then.cf < 0))
            elif isinstance(then, AssertFact):
                dst = graph.add("fact", then.set, then.set)
                graph.edges.append(Edge(node, dst, f"= {show_value(then.value)}"))
    for spec in kb.causes.values():
        src = graph.add("cause", spec.id, f"{spec.id}: {_short(spec.title.get(lang))}")
        for i, fix in enumerate(spec.fixes):
            graph.edges.append(Edge(src, graph.add("fix", f"{spec.id}.{i}",
                                                   _short(fix.text.get(lang)))))
    if cause is not None:
        graph = _ancestry(graph, f"cause:{cause}")
    return graph


def _ancestry(graph: Graph, target: str) -> Graph:
    """The nodes that lead to ``target``, ``target`` and its fixes."""
    into: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        into[edge.dst].append(edge.src)
    keep = {target}
    stack = [target]
    while stack:
        for src in into[stack.pop()]:
            if src not in keep:
                keep.add(src)
                stack.append(src)
    keep |= {e.dst for e in graph.edges if e.src == target}
    return Graph(
        {k: n for k, n in graph.nodes.items() if k in keep},
        [e for e in graph.edges if e.src in keep and e.dst in keep
         and not (e.src.startswith("rule:") and e.dst.startswith("cause:") and e.dst != target)],
    )


_MERMAID_SHAPES = {
    "symptom": ('(["', '"])'), "fact": ('["', '"]'), "rule": ('{{"', '"}}'),
    "cause": ('[["', '"]]'), "fix": ('>"', '"]'),
}


def to_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart (renders in GitHub and GitLab Markdown)."""
    ids = {key: f"n{i}" for i, key in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for key, node in graph.nodes.items():
        left, right = _MERMAID_SHAPES[node.kind]
        label = node.label.replace('"', "#quot;")
        lines.append(f"  {ids[key]}{left}{label}{right}:::{node.kind}")
    for edge in graph.edges:
        arrow = "-.->" if edge.negative else "-->"
        label = f"|{edge.label.replace('|', '/')}|" if edge.label else ""
        lines.append(f"  {ids[edge.src]} {arrow}{label} {ids[edge.dst]}")
    lines += [
        "  classDef symptom fill:#fde2e2,stroke:#c0392b",
        "  classDef fact fill:#eef,stroke:#557",
        "  classDef rule fill:#fff5d6,stroke:#b7950b",
        "  classDef cause fill:#e2f0d9,stroke:#2e7d32",
        "  classDef fix fill:#f4f4f4,stroke:#777",
    ]
    return "\n".join(lines) + "\n"


_DOT_SHAPES = {"symptom": "oval", "fact": "box", "rule": "hexagon", "cause": "doubleoctagon",
               "fix": "note"}


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: Graph) -> str:
    """A Graphviz digraph (``dot -Tsvg``)."""
    lines = ["digraph kb {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for key, node in graph.nodes.items():
        lines.append(f"  {_dot_quote(key)} [label={_dot_quote(node.label)}, "
                     f"shape={_DOT_SHAPES[node.kind]}];")
    for edge in graph.edges:
        attrs = [f"label={_dot_quote(edge.label)}"] if edge.label else []
        if edge.negative:
            attrs.append("style=dashed")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_dot_quote(edge.src)} -> {_dot_quote(edge.dst)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
