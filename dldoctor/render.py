"""Render a report as plain text (for terminals and logs) or Markdown (for issues and PRs)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from dldoctor.engine.explain import filled
from dldoctor.engine.values import UNKNOWN
from dldoctor.error_texts import ErrorText
from dldoctor.probes.evidence import localize
from dldoctor.report import Diagnosis, Evidence, Report, short_quote
from dldoctor.sources import source_title
from dldoctor.words import show_value
from dldoctor.wrap import cell_len, wrap

if TYPE_CHECKING:
    from dldoctor.session import Session, Step

__all__ = ["render_text", "render_markdown", "bar", "head_lines", "conversation", "step_lines",
           "why_not_lines", "describe_test"]

_T = {
    "en": {
        "none": "No problem found.",
        "none_reported": "No cause found for what you described — not a clean bill of "
                         "health: words alone rarely tell the causes apart. You said",
        "none_reported_next": "Give the checkpoint (--checkpoint), the metrics log (--log) "
                              "or the model and a batch (--model, --batch) so that it can be "
                              "measured, or answer the questions below.",
        "none_reported_measured": "What was measured does not explain it yet: the questions "
                                  "below{more} can.",
        "more_inputs": ", or more inputs ({what}),",
        "input_log": "a log", "input_model": "the model and a batch",
        "input_checkpoint": "the checkpoint", "and": " and ",
        "none_detail": "No rule concluded a cause from what is known.",
        "limits": "But little could be checked",
        "unexplained": "Yet the run failed — observed, but not explained by any cause the "
                       "evidence establishes",
        "nothing": "Nothing was examined: no file was measured, no symptom understood and "
                   "nothing answered, so this says nothing about your run (it is no clean "
                   "bill of health).",
        "next": "Give next:",
        "next_files": "a checkpoint (--checkpoint PATH), a metrics log (--log PATH), a model "
                      "and a batch (--model FILE.py:FACTORY --batch PATH) or a training trace "
                      "(--trace PATH)",
        "next_words": "or say what goes wrong in other words (--symptom \"…\"; `dldoctor kb "
                      "list --symptoms` lists what is understood)",
        "diagnoses": "Diagnoses (most likely first)",
        "read_as": "Read from your description",
        "overruled": "Read from your description, but the files measured otherwise (the "
                     "measurement is used; see Notes): {what}.",
        "evidence": "Evidence",
        "fixes": "What to change",
        "sources": "Sources",
        "rules": "Rules",
        "rule": "rule",
        "gap": " ",  # between two sentences
        "open": "Questions that would sharpen the diagnosis",
        "open_none": "Nothing was asked: no cause is even possible from what was measured. If "
                     "you still see a problem, answering these could point to one",
        "more_open": "… and {n} more (`--format json` lists them all; the chat asks them)",
        "notes": "Notes",
        "findings": "Findings",
        "report": "dldoctor report",
        "possible": "Possible, not established (they explain nothing observed yet, or a stronger "
                    "cause explains it)",
        "advice": "Practice notes (advice; they explain nothing that was observed)",
        "for": "for",
        "against": "against",
        "none_possible": "No fault established yet: the possible causes below need more "
                         "evidence.",
        "explained_by": "explained by {title} [{id}]",
        "fact": "fact",
        "value": "value",
        "source": "source",
        "inputs": "Inputs",
        "told": "What you told me",
        "said": "You said",
        "set_hint": "--set {fact}=…",
        "one_of": "one of",
        "a_number": "a number",
        "probe_failed": "probe {probe} failed: {error}",
        "checkpoint": "checkpoint", "logs": "logs", "model": "model", "batch": "batch",
        "device": "device", "trust": "trusted checkpoint",
    },
    "zh": {
        "none": "未发现问题。",
        "none_reported": "没有找到你所描述问题的原因——这并不代表一切正常：单凭文字通常分不清"
                         "各种原因。你说的是",
        "none_reported_next": "请提供 checkpoint（--checkpoint）、训练日志（--log）或模型和 batch"
                              "（--model、--batch）以便测量，或者回答下面的问题。",
        "none_reported_measured": "已测量的内容还不能解释它：回答下面的问题{more}，"
                                  "才能进一步判断。",
        "more_inputs": "，或提供更多输入（{what}）",
        "input_log": "日志", "input_model": "模型和 batch", "input_checkpoint": "checkpoint",
        "and": "、",
        "none_detail": "根据已知信息，没有规则得出任何原因。",
        "limits": "不过能检查的很少",
        "unexplained": "但训练确实失败了——已观察到，却没有任何已确立的原因能解释",
        "nothing": "什么都没有检查：没有测量任何文件，没有理解任何症状，也没有任何回答，"
                   "所以这份报告对你的训练什么也没说（这不代表一切正常）。",
        "next": "接下来请提供：",
        "next_files": "checkpoint（--checkpoint PATH）、训练日志（--log PATH）、模型和 batch"
                      "（--model FILE.py:FACTORY --batch PATH）或训练轨迹（--trace PATH）",
        "next_words": "或换个说法描述问题（--symptom \"…\"；`dldoctor kb list --symptoms` "
                      "列出能理解的症状）",
        "diagnoses": "诊断（按可能性排序）",
        "read_as": "从你的描述中读到",
        "overruled": "从你的描述中读到、但文件测得的结果与之不符（采用测量值；见备注）：{what}。",
        "evidence": "证据",
        "fixes": "修改建议",
        "sources": "出处",
        "rules": "规则",
        "rule": "规则",
        "gap": "",
        "open": "回答这些问题可以让诊断更准确",
        "open_none": "没有提问：从测量结果看，没有任何可能的原因。如果你仍然看到问题，回答这些问题"
                     "也许能指向原因",
        "more_open": "……另有 {n} 个（`--format json` 全部列出；对话界面会逐个提问）",
        "notes": "备注",
        "findings": "发现",
        "report": "dldoctor 诊断报告",
        "possible": "可能但未确立（尚未观察到它们能解释的现象，或已由更有力的原因解释）",
        "advice": "实践建议（不解释任何已观察到的现象）",
        "for": "支持",
        "against": "反对",
        "none_possible": "尚未确立任何故障：下面这些可能的原因还需要更多证据。",
        "explained_by": "已由“{title}”[{id}]解释",
        "fact": "事实",
        "value": "值",
        "source": "来源",
        "inputs": "输入",
        "told": "你告诉我的",
        "said": "你说",
        "set_hint": "--set {fact}=…",
        "one_of": "可选",
        "a_number": "一个数字",
        "probe_failed": "检查 {probe} 失败：{error}",
        "checkpoint": "checkpoint", "logs": "日志", "model": "模型", "batch": "batch",
        "device": "设备", "trust": "信任 checkpoint",
    },
}


def _t(lang: str) -> dict[str, str]:
    return _T.get(lang, _T["en"])


def bar(fraction: float, width: int = 10) -> str:
    """A confidence bar such as ``███████░░░``."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _wrap(text: str, indent: str, width: int = 88) -> list[str]:
    return wrap(text, width, indent, " " * len(indent) + "  ")


def _sources(sources: list[str], lang: str) -> list[str]:
    return list(dict.fromkeys(source_title(s, lang) for s in sources))


def set_hint(session: Session | None, fact: str, lang: str) -> str:
    """``--set FACT=…`` and, for a choice or yes/no, the values it takes."""
    t = _t(lang)
    hint = t["set_hint"].format(fact=fact)
    spec = session.kb.facts.get(fact) if session is not None else None
    if spec is None:
        return hint
    if spec.type == "bool":
        return f"--set {fact}=yes|no"
    if spec.type == "enum":
        return f"--set {fact}=" + "|".join(str(v) for v in spec.choice_values)
    if spec.type == "number":
        return f"--set {fact}=<{t['a_number']}>"
    return hint


def _hint_lines(hint: str, width: int) -> list[str]:
    """A ``--set`` hint under its question, six columns in: whole on one line, or broken
    after a ``|`` of its values where it would run past ``width`` (never inside a value)."""
    indent = "      "
    if len(indent) + len(hint) <= width or "|" not in hint:
        return [indent + hint]
    lines, line = [], indent
    for part in re.findall(r"[^|]+\|?", hint):
        if len(line) + len(part) > width and line.strip():
            lines.append(line)
            line = indent + "  "
        line += part
    return [*lines, line]


_URL = re.compile(r"^https?://\S+$")
_PROBE_FAILED = re.compile(r"^probe (\S+) failed: (.*)$", re.S)


def _note(note: str, lang: str) -> str:
    """A report note in ``lang``: a probe's remark, or "probe X failed: …"."""
    if isinstance(note, ErrorText):  # "probe X failed: …" with the error said in lang
        return note.in_lang(lang)
    match = _PROBE_FAILED.match(note)
    if match and lang != "en":
        return _t(lang)["probe_failed"].format(probe=match[1], error=match[2])
    return localize(note, lang)


def _by_title(d: Diagnosis) -> str:
    """The title of the cause that explains ``d`` (its id where the title is unknown)."""
    return d.explained_by_title or d.explained_by or ""


def _mark(t: dict[str, str], e: Evidence) -> str:
    """The evidence's sign and weight: ``[+0.70 for]`` or ``[-0.50 against]``."""
    return f"[+{e.weight:.2f} {t['for']}] " if e.weight >= 0 else \
        f"[{e.weight:.2f} {t['against']}] "


def step_lines(step: Step, lang: str, indent: int = 0, width: int | None = None) -> list[str]:
    """A derivation in ``lang``: each rule with its certainty and the facts it used (values
    with 3 significant digits), then, indented, how those facts were derived; wrapped to
    ``width`` columns when one is given (the terminal report), else one line each."""
    pad = "  " * indent

    def lines(text: str, first: str, rest: str) -> list[str]:
        return wrap(text, width, first, rest) if width else [first + text]

    out = lines(f"{_t(lang)['rule']} {step.rule} ({step.cf:+.2f}): {step.because}",
                f"{pad}- ", f"{pad}    ")
    for fact, value, source in step.facts:
        out.extend(lines(f"{fact} = {show_value(value, lang)}  [{source}]", f"{pad}    ",
                         f"{pad}      "))
    for premise in step.premises:
        out.extend(step_lines(premise, lang, indent + 2, width))
    return out


_TESTS = {
    "en": {"is": "is", "ne": "is not", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
           "in": "is one of", "not_in": "is none of", "between": "is between {a} and {b}",
           "contains": "contains", "known": "is known", "unknown": "is unknown"},
    "zh": {"is": "为", "ne": "不为", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
           "in": "属于", "not_in": "不属于", "between": "介于 {a} 和 {b} 之间",
           "contains": "包含", "known": "已知", "unknown": "未知"},
}
_WHY_NOT = {
    "en": {"head": "Why not {cause} ({title}), certainty {cf}:", "fired": "fired",
           "failed": "failed", "waiting": "waiting", "needs": "needs {facts}",
           "but": "{fact} is {value}, but the rule needs {test}",
           "but_unknown": "{fact} is not known, and the rule needs {test}", "negated":
           "a negated condition held", "none": "no rule concludes this cause", "or": "; or ",
           "sep": "; "},
    "zh": {"head": "为什么不是 {cause}（{title}），确定度 {cf}：", "fired": "已触发",
           "failed": "不成立", "waiting": "等待", "needs": "还需要 {facts}",
           "but": "{fact} 为 {value}，但规则要求 {test}", "negated": "一个否定条件成立了",
           "but_unknown": "{fact} 未知，而规则要求 {test}",
           "none": "没有规则得出这个原因", "or": "；或者 ", "sep": "；"},
}


def describe_test(leaf: Any, lang: str, spec: Any = None) -> str:
    """A rule's fact test in ``lang``: ``update.ratio 介于 1e-12 和 1e-4 之间`` (a choice by
    its label when ``spec``, the fact's, is given)."""
    words = _TESTS.get(lang, _TESTS["en"])
    op, value = leaf.op, leaf.value
    if op == "known":
        return f"{leaf.fact} {words['known' if value else 'unknown']}"
    if op == "between":
        return f"{leaf.fact} " + words["between"].format(a=show_value(value[0], lang),
                                                         b=show_value(value[1], lang))
    if op in {"in", "not_in"}:
        shown = ("、" if lang == "zh" else ", ").join(show_value(v, lang, spec) for v in value)
    else:
        shown = show_value(value, lang, spec)
    return f"{leaf.fact} {words[op]} {shown}"


def _fact_named(session: Session, fact: str, lang: str) -> str:
    """A fact a rule waits on, as a person reads it: what it is, then its id (for --set)."""
    spec = session.kb.facts.get(fact)
    if spec is None:
        return fact
    text = spec.text.get(lang)
    if lang == "en" and text[1:2].islower():  # "needs the metric …", not "needs The metric"
        text = text[0].lower() + text[1:]
    return f"{text} ({fact})"


def why_not_lines(session: Session, cause: str, verdicts: list[Any],
                  width: int | None = None) -> list[str]:
    """``--why-not CAUSE`` in the session language: each rule fired, failed on what (the
    value seen against the test, 3 significant digits) or waiting on which facts; wrapped to
    ``width`` columns when one is given."""
    lang = session.lang
    w = _WHY_NOT.get(lang, _WHY_NOT["en"])
    title = session.kb.causes[cause].title.get(lang)
    out = [w["head"].format(cause=cause, title=title,
                            cf=f"{session.engine.cause_cf(cause):+.2f}")]
    for v in verdicts:
        if v.state == "fired":
            detail = filled(session.kb.rules[v.rule].because.get(lang), session.engine)
        elif v.state == "waiting":
            detail = w["needs"].format(facts=w["sep"].join(
                _fact_named(session, fact, lang) for fact in v.waiting_on))
        else:
            detail = w["or"].join(
                w["but_unknown" if value is UNKNOWN or value is None else "but"].format(
                    fact=leaf.fact, value=show_value(value, lang, spec),
                    test=describe_test(leaf, lang, spec))
                for leaf, value in v.failed_on
                for spec in [session.kb.facts.get(leaf.fact)]) or w["negated"]
        line = f"{v.rule}: {w.get(v.state, v.state)}: {detail}"
        out.extend(wrap(line, width, "  - ", "      ") if width else [f"  - {line}"])
    if not verdicts:
        out.append(f"  - {w['none']}")
    return out


def head_lines(title: str, gauge: str, width: int, indent: str = "   ") -> list[str]:
    """A diagnosis' first line; when it is too wide, the title wraps under its number and
    the confidence bar stays whole, at the end or on a line of its own at the body's
    indent (not two columns in, where it looked like a stray line of the title)."""
    head = f"{title}  {gauge}"
    if cell_len(head) <= width:
        return [head]
    lines = wrap(title, width, "", indent)
    if cell_len(lines[-1]) + 2 + cell_len(gauge) <= width:
        lines[-1] += f"  {gauge}"
    else:
        lines.append(f"{indent}{gauge}")
    return lines


def _text_diagnosis(out: list[str], t: dict[str, str], i: int, d: Diagnosis, width: int,
                    verbose: bool, lang: str) -> None:
    out.append("")
    out.extend(head_lines(f"{i}. {d.title}  [{d.cause}]",
                           f"{bar(d.confidence)} {d.percent}", width))
    if d.explanation:
        out.extend(_wrap(d.explanation, "   ", width))
    out.append(f"   {t['evidence']}:")
    for e in d.evidence:
        out.extend(_wrap(_mark(t, e) + e.text, "   - ", width))
    out.append(f"   {t['fixes']}:")
    for f in d.fixes:
        out.extend(_wrap(f.text, "   - ", width))
        if f.snippet:  # code is never wrapped: it must stay copyable
            out.extend("       " + line for line in f.snippet.splitlines())
    out.append(f"   {t['sources']}:")
    for source in _sources(d.sources, lang):
        out.extend(_wrap(source, "   - ", width))
    if verbose:
        out.append(f"   {t['rules']}:")
        for step in d.derivation:
            out.extend("   " + line for line in step_lines(step, lang, width=width - 3))


#: Questions the text report lists when nothing was found and nothing went unexplained: a
#: healthy run needs no interview, only a pointer to the sharpest few.
QUESTIONS_WHEN_NOTHING_FOUND = 3


def _questions_shown(report: Report) -> int:
    """How many of the open questions the text lists (all of them while there is something
    to explain; the JSON always has all)."""
    if report.diagnoses or report.reported or report.unexplained:
        return len(report.unanswered)
    return QUESTIONS_WHEN_NOTHING_FOUND


def _measured_not_enough(report: Report, t: dict[str, str]) -> str:
    """"What was measured does not explain it yet", naming only the inputs not given."""
    given = report.inputs or {}
    missing = [t[key] for key, there in (
        ("input_checkpoint", given.get("checkpoint")), ("input_log", given.get("logs")),
        ("input_model", given.get("model") and given.get("batch"))) if not there]
    more = t["more_inputs"].format(what=t["and"].join(missing)) if missing else ""
    return t["none_reported_measured"].format(more=more)


def render_text(report: Report, *, width: int = 88, verbose: bool = False,
                session: Session | None = None) -> str:
    lang = report.lang
    t = _t(lang)
    out: list[str] = []
    established = report.faults
    possible = [d for d in report.diagnoses if not d.established]
    if report.nothing_examined:  # never "No problem found" for a report of nothing
        out.extend(_wrap(t["nothing"], "", width))
        out.append(t["next"])
        out.extend(_wrap(t["next_files"], "  - ", width))
        out.extend(_wrap(t["next_words"], "  - ", width))
        return "\n".join(out) + "\n"
    if not report.diagnoses and report.reported:
        out.extend(_wrap(t["none_reported"] + ":", "", width))
        for said in report.reported:
            out.extend(_wrap(said, "  - ", width))
        out.extend(_wrap(_measured_not_enough(report, t) if report.measured else
                         t["none_reported_next"], "", width))
    elif not report.diagnoses:
        out.extend(_wrap(t["none"] + t["gap"] + t["none_detail"], "", width))
    elif not established:
        out.extend(_wrap(t["none_possible"], "", width))
    if report.unexplained:
        out.extend(_wrap(t["unexplained"] + ":", "", width))
        for failure in report.unexplained:
            out.extend(_wrap(failure, "  - ", width))
    if report.limits:
        out.append(t["limits"] + ":")
        for limit in report.limits:
            out.extend(_wrap(limit, "  - ", width))
    if established and report.reported:  # how the description was read, before what it led to
        out.extend(_wrap(t["read_as"] + ": " + "; ".join(report.reported) + ".", "", width))
        out.append("")
    if report.overruled:  # what the description said that the files contradict, said up front
        out.extend(_wrap(t["overruled"].format(what="; ".join(report.overruled)), "", width))
        out.append("")
    if established:
        out.append(t["diagnoses"] + ":")
        for i, d in enumerate(established, 1):
            _text_diagnosis(out, t, i, d, width, verbose, lang)
    if possible:
        out.append("")
        out.extend(_wrap(t["possible"] + ":", "", width))
        for d in possible:
            by = " — " + t["explained_by"].format(title=_by_title(d), id=d.explained_by) \
                if d.explained_by else ""
            out.extend(_wrap(f"{d.title} [{d.cause}] {d.percent}{by}", "  - ", width))
            for e in d.evidence[:2]:
                out.extend(_wrap(_mark(t, e) + e.text, "      ", width))
    if report.advice:
        out.append("")
        out.extend(_wrap(t["advice"] + ":", "", width))
        for d in report.advice:
            out.extend(_wrap(f"{d.title} [{d.cause}] — " + (d.fixes[0].text if d.fixes else ""),
                             "  - ", width))
    if report.unanswered:
        out.append("")
        heading = t["open_none"] if not report.diagnoses and report.measured else t["open"]
        out.extend(_wrap(heading + ":", "", width))
        shown = _questions_shown(report)
        for fact, question in report.unanswered[:shown]:
            out.extend(_wrap(question, "  - ", width))
            out.extend(_hint_lines(set_hint(session, fact, lang), width))
        if len(report.unanswered) > shown:
            out.extend(_wrap(t["more_open"].format(n=len(report.unanswered) - shown),
                             "  ", width))
    if report.notes:
        out.append("")
        out.append(t["notes"] + ":")
        for note in report.notes:
            out.extend(_wrap(_note(note, lang), "  - ", width))
    return "\n".join(out) + "\n"


def _shown_input(key: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value)
    if value is True:
        return "✓"
    return f"`{value}`"


def conversation(session: Session) -> list[tuple[str, str]]:
    """What the person said, in order: (question or "You said", their words as given)."""
    lang = session.lang
    out: list[tuple[str, str]] = []
    for answer in session.answers:
        if answer.kind == "symptom":
            title = session.kb.symptoms[answer.key].text.get(lang)
            said = short_quote(f"“{answer.text}”")  # a pasted traceback: its start and end
            out.append((_t(lang)["said"], f"{said} → {title}" if answer.text else title))
            continue
        spec = session.kb.facts[answer.key]
        question = spec.question.get(lang) if spec.question else spec.text.get(lang)
        raw = answer.raw
        if spec.type in ("bool", "enum") or raw in (None, "?"):
            shown = session.answer_label(answer.key, raw)
        else:
            shown = str(raw)
        out.append((question, shown))
    for fact_id, value in session.given.items():
        spec = session.kb.facts[fact_id]
        out.append((spec.text.get(lang), show_value(value, lang, spec)))
    return out


def _md_text(text: str) -> str:
    """Words as typed, inside Markdown emphasis: ``**kwargs`` or ``__init__`` stay text."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_diagnosis(out: list[str], t: dict[str, str], i: int | None, d: Diagnosis,
                        lang: str) -> None:
    """A diagnosis in full: numbered at level 2 when established (``i``), else at level 3
    under the possible causes' heading, unnumbered (they are no diagnoses)."""
    out.append(f"## {i}. {d.title} — {d.percent}" if i is not None
               else f"### {d.title} — {d.percent}")
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
    out.append(f"**{t['sources']}**")
    out.append("")
    out.extend(f"- {title} (`{sid}`)" if title != sid else f"- <{sid}>" if _URL.match(sid)
               else f"- {sid}"
               for sid, title in dict((s, source_title(s, lang)) for s in d.sources).items())
    out.append("")
    out.append(f"<details><summary>{t['rules']}</summary>")
    out.append("")
    for step in d.derivation:
        out.extend(step_lines(step, lang))
    out.extend(["", "</details>", ""])


def render_markdown(report: Report, session: Session | None = None) -> str:
    """The report as Markdown; with ``session``, also what the person told dldoctor."""
    lang = report.lang
    t = _t(lang)
    out = [f"# {t['report']}", ""]
    inputs = {k: v for k, v in report.inputs.items()
              if v not in (None, [], False) and k != "device"}
    if inputs:
        out.extend([f"## {t['inputs']}", ""])
        out.extend(f"- **{t.get(k, k)}**: {_shown_input(k, v)}" for k, v in inputs.items())
        out.append("")
    told = conversation(session) if session is not None else []
    if told:
        out.extend([f"## {t['told']}", ""])
        out.extend(f"- {q} **{_md_text(a)}**" for q, a in told)
        out.append("")
    established = report.faults
    possible = [d for d in report.diagnoses if not d.established]
    if report.nothing_examined:  # never "No problem found" for a report of nothing
        out.extend([f"**{t['nothing']}**", "", t["next"], "",
                    f"- {t['next_files']}", f"- {t['next_words']}", ""])
        return "\n".join(out)
    if not report.diagnoses and report.reported:
        out.extend([f"**{t['none_reported']}:**", "",
                    *(f"- {_md_text(said)}" for said in report.reported), "",
                    _measured_not_enough(report, t) if report.measured
                    else t["none_reported_next"],
                    ""])
    elif not report.diagnoses:
        out.append(f"**{t['none']}**{t['gap']}{t['none_detail']}")
        out.append("")
    elif not established:
        out.append(f"**{t['none_possible']}**")
        out.append("")
    if report.unexplained:
        out.extend([f"{t['unexplained']}:", "",
                    *(f"- {_md_text(failure)}" for failure in report.unexplained), ""])
    if report.limits:
        out.extend([f"{t['limits']}:", "", *(f"- {limit}" for limit in report.limits), ""])
    if report.overruled:
        out.extend([_md_text(t["overruled"].format(what="; ".join(report.overruled))), ""])
    for i, d in enumerate(established, 1):
        _markdown_diagnosis(out, t, i, d, lang)
    if possible:  # a document: each in full, under the one heading of the possible causes
        out.extend([f"## {t['possible']}", ""])
        for d in possible:
            _markdown_diagnosis(out, t, None, d, lang)
            if d.explained_by:
                by = t["explained_by"].format(title=_by_title(d), id=f"`{d.explained_by}`")
                out.extend([f"*{by}*", ""])
    if report.advice:
        out.extend([f"## {t['advice']}", ""])
        out.extend(f"- **{d.title}** (`{d.cause}`): {d.fixes[0].text if d.fixes else ''}"
                   for d in report.advice)
        out.append("")
    if report.findings:
        out.extend([f"## {t['findings']}", "",
                    f"| {t['fact']} | {t['value']} | {t['source']} |", "|---|---|---|"])
        for f in report.findings:
            spec = session.kb.facts.get(f.id) if session is not None else None
            value = _md_cell(show_value(f.value, lang, spec))
            out.append(f"| `{f.id}` | {value} | {_md_cell(f.source)} |")
        out.append("")
    if report.unanswered:
        out.extend([f"## {t['open']}", ""])
        out.extend(f"- {q} (`{set_hint(session, fact, lang)}`)" for fact, q in report.unanswered)
        out.append("")
    if report.notes:
        out.extend([f"## {t['notes']}", ""])
        out.extend(f"- {_note(n, lang)}" for n in report.notes)
        out.append("")
    return "\n".join(out)
