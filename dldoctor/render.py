"""Render a report as plain text (for terminals and logs) or Markdown (for issues and PRs)."""

from __future__ import annotations

import textwrap

from dldoctor.report import Diagnosis, Evidence, Report

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
        "possible": "Possible, not established (nothing observed that they would explain yet)",
        "advice": "Practice notes (advice; they explain nothing that was observed)",
        "for": "for",
        "against": "against",
        "none_possible": "No fault established.",
        "explained_by": "explained by",
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
        "possible": "可能但未确立（尚未观察到它们能解释的现象）",
        "advice": "实践建议（不解释任何已观察到的现象）",
        "for": "支持",
        "against": "反对",
        "none_possible": "没有确立的故障。",
        "explained_by": "已由此解释：",
    },
}


def bar(fraction: float, width: int = 10) -> str:
    """A confidence bar such as ``███████░░░``."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _wrap(text: str, indent: str, width: int = 88) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent,
                         subsequent_indent=" " * len(indent) + "  ")


def _mark(t: dict[str, str], e: Evidence) -> str:
    return f"[+{e.weight:.2f} {t['for']}] " if e.weight >= 0 else \
        f"[{e.weight:.2f} {t['against']}] "


def _text_diagnosis(out: list[str], t: dict[str, str], i: int, d: Diagnosis, width: int,
                    verbose: bool) -> None:
    out.append("")
    out.append(f"{i}. {d.title}  [{d.cause}]  {bar(d.confidence)} {d.confidence:.0%}")
    if d.explanation:
        out.extend(_wrap(d.explanation, "   ", width))
    out.append(f"   {t['evidence']}:")
    for e in d.evidence:
        out.extend(_wrap(_mark(t, e) + e.text, "   - ", width))
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


def render_text(report: Report, *, width: int = 88, verbose: bool = False) -> str:
    t = _T.get(report.lang, _T["en"])
    out: list[str] = []
    established = report.faults
    possible = [d for d in report.diagnoses if not d.established]
    if not report.diagnoses:
        out.append(t["none"] + " " + t["none_detail"])
    elif not established:
        out.append(t["none"] + " " + t["none_possible"])
    if established:
        out.append(t["diagnoses"] + ":")
        for i, d in enumerate(established, 1):
            _text_diagnosis(out, t, i, d, width, verbose)
    if possible:
        out.append("")
        out.append(t["possible"] + ":")
        for d in possible:
            by = f" — {t['explained_by']} {d.explained_by}" if d.explained_by else ""
            out.extend(_wrap(f"{d.title} [{d.cause}] {d.confidence:.0%}{by}", "  - ", width))
            for e in d.evidence[:2]:
                out.extend(_wrap(_mark(t, e) + e.text, "      ", width))
    if report.advice:
        out.append("")
        out.append(t["advice"] + ":")
        for d in report.advice:
            out.extend(_wrap(f"{d.title} [{d.cause}] — " + (d.fixes[0].text if d.fixes else ""),
                             "  - ", width))
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


def _markdown_diagnosis(out: list[str], t: dict[str, str], i: int, d: Diagnosis) -> None:
    out.append(f"## {i}. {d.title} — {d.confidence:.0%}")
    out.append("")
    out.append(f"`{d.cause}` `{bar(d.confidence)}`")
    out.append("")
    if d.explanation:
        out.extend([d.explanation, ""])
    out.append(f"**{t['evidence']}**")
    out.append("")
    out.extend(f"- {_mark(t, e)}{e.text}" for e in d.evidence)
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


def render_markdown(report: Report) -> str:
    t = _T.get(report.lang, _T["en"])
    out = [f"# {t['report']}", ""]
    inputs = {k: v for k, v in report.inputs.items() if v not in (None, [], False)}
    if inputs:
        out.extend(f"- **{k}**: `{v}`" for k, v in inputs.items())
        out.append("")
    established = report.faults
    possible = [d for d in report.diagnoses if not d.established]
    if not report.diagnoses:
        out.append(f"**{t['none']}** {t['none_detail']}")
    elif not established:
        out.append(f"**{t['none']}** {t['none_possible']}")
    out.append("")
    for i, d in enumerate(established, 1):
        _markdown_diagnosis(out, t, i, d)
    if possible:
        out.extend([f"## {t['possible']}", ""])
        for i, d in enumerate(possible, len(established) + 1):
            _markdown_diagnosis(out, t, i, d)
    if report.advice:
        out.extend([f"## {t['advice']}", ""])
        out.extend(f"- **{d.title}** (`{d.cause}`): {d.fixes[0].text if d.fixes else ''}"
                   for d in report.advice)
        out.append("")
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
