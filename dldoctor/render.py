"""Render a report as plain text (for terminals and logs) or Markdown (for issues and PRs)."""

from __future__ import annotations

import textwrap

from dldoctor.report import Report

__all__ = ["render_text", "render_markdown", "bar"]

_T = {
    "en": {
        "none": "No problem found.",
        "none_detail": "No rule concluded a cause from what is known.",
        "diagnoses": "Diagnoses (most likely first)",
        "evidence": "Evidence",
        "fixes": "What to change",
        "sources": "Sources",
        "rules": "Rules",
        "open": "Questions that would sharpen the diagnosis",
        "notes": "Notes",
        "findings": "Findings",
        "report": "dldoctor report",
    },
    "zh": {
        "none": "未发现问题。",
        "none_detail": "根据已知信息，没有规则得出任何原因。",
        "diagnoses": "诊断（按可能性排序）",
        "evidence": "证据",
        "fixes": "修改建议",
        "sources": "出处",
        "rules": "规则",
        "open": "回答这些问题可以让诊断更准确",
        "notes": "备注",
        "findings": "发现",
        "report": "dldoctor 诊断报告",
    },
}


def bar(fraction: float, width: int = 10) -> str:
    """A confidence bar such as ``███████░░░``."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _wrap(text: str, indent: str, width: int = 88) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent,
                         subsequent_indent=" " * len(indent) + "  ")


def render_text(report: Report, *, width: int = 88, verbose: bool = False) -> str:
    t = _T.get(report.lang, _T["en"])
    out: list[str] = []
    if not report.diagnoses:
        out.append(t["none"] + " " + t["none_detail"])
    else:
        out.append(t["diagnoses"] + ":")
        for i, d in enumerate(report.diagnoses, 1):
            out.append("")
            out.append(f"{i}. {d.title}  [{d.cause}]  {bar(d.confidence)} {d.confidence:.0%}")
            if d.explanation:
                out.extend(_wrap(d.explanation, "   ", width))
            out.append(f"   {t['evidence']}:")
            for e in d.evidence:
                out.extend(_wrap(e, "   - ", width))
            out.append(f"   {t['fixes']}:")
            for f in d.fixes:
                out.extend(_wrap(f.text, "   - ", width))
                if f.snippet:
                    out.extend("       " + line for line in f.snippet.splitlines())
            out.append(f"   {t['sources']}: " + ", ".join(d.sources))
            if verbose:
                out.append(f"   {t['rules']}:")
                for step in d.derivation:
                    out.extend("   " + line for line in step.lines())
    if report.unanswered:
        out.append("")
        out.append(t["open"] + ":")
        for fact, question in report.unanswered:
            out.extend(_wrap(f"{question}  (--set {fact}=…)", "  - ", width))
    if report.notes:
        out.append("")
        out.append(t["notes"] + ":")
        for note in report.notes:
            out.extend(_wrap(note, "  - ", width))
    return "\n".join(out) + "\n"


def render_markdown(report: Report) -> str:
    t = _T.get(report.lang, _T["en"])
    out = [f"# {t['report']}", ""]
    inputs = {k: v for k, v in report.inputs.items() if v not in (None, [], False)}
    if inputs:
        out.extend(f"- **{k}**: `{v}`" for k, v in inputs.items())
        out.append("")
    if not report.diagnoses:
        out.append(f"**{t['none']}** {t['none_detail']}")
    for i, d in enumerate(report.diagnoses, 1):
        out.append(f"## {i}. {d.title} — {d.confidence:.0%}")
        out.append("")
        out.append(f"`{d.cause}` `{bar(d.confidence)}`")
        out.append("")
        if d.explanation:
            out.extend([d.explanation, ""])
        out.append(f"**{t['evidence']}**")
        out.append("")
        out.extend(f"- {e}" for e in d.evidence)
        out.append("")
        out.append(f"**{t['fixes']}**")
        out.append("")
        for f in d.fixes:
            out.append(f"- {f.text}")
            if f.snippet:
                out.extend(["", "  ```python", *("  " + s for s in f.snippet.splitlines()),
                            "  ```"])
        out.append("")
        out.append(f"**{t['sources']}**: " + ", ".join(f"`{s}`" for s in d.sources))
        out.append("")
        out.append(f"<details><summary>{t['rules']}</summary>")
        out.append("")
        for step in d.derivation:
            out.extend(step.lines())
        out.extend(["", "</details>", ""])
    if report.findings:
        out.extend([f"## {t['findings']}", "", "| fact | value | source |", "|---|---|---|"])
        for f in report.findings:
            js = f.to_json()
            out.append(f"| `{f.id}` | {js['value']} | {f.source} |")
        out.append("")
    if report.unanswered:
        out.extend([f"## {t['open']}", ""])
        out.extend(f"- {q} (`--set {fact}=…`)" for fact, q in report.unanswered)
        out.append("")
    if report.notes:
        out.extend([f"## {t['notes']}", ""])
        out.extend(f"- {n}" for n in report.notes)
        out.append("")
    return "\n".join(out)
