"""Every string the chat app shows, in English and Chinese."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from textual.dom import DOMNode

__all__ = ["t", "Lang", "STRINGS", "relabel_bindings", "other_lang"]

Lang = Literal["en", "zh"]

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "dldoctor",
        "you": "You",
        "doctor": "dldoctor",
        "notice": "note",
        "greeting": (
            "Hello! Tell me what goes wrong with your training, in your own words "
            "(English or 中文), for example *my loss turns into nan after a few steps*.\n\n"
            "You can also attach a checkpoint, a metrics log or a model and batch "
            "with **ctrl+o**, and I will look at them myself."
        ),
        "placeholder": "Describe the problem, e.g. “loss is nan”…",
        "placeholder_answer": "Answer here, or describe something else…",
        "asked": (
            "“{question}” reads as a question, so I did not take it as something you saw: a "
            "suspicion is no evidence. Tell me what happened, or attach the files "
            "(**ctrl+o**) so I can check it."
        ),
        "asked_measured": (
            "“{question}” reads as a question, so I did not take it as something you saw: a "
            "suspicion is no evidence. The files you attached are what I go by — the "
            "diagnosis says what they show (ask *why?* for how I concluded); tell me what "
            "happened if you saw more."
        ),
        "no_match": (
            "I could not match that to a symptom I know. Try describing what you see "
            "differently, for example:"
        ),
        "took": "Understood: **{symptoms}**.",
        "overruled": "But the files measured otherwise: **{what}** does not hold in them — "
                     "I go by the measurement (see the report's notes).",
        "nothing_examined": (
            "**Nothing was examined yet**: no file was measured and no symptom understood, "
            "so I cannot say anything about your run — this is no clean bill of health."
        ),
        "close_call": "Which of these do you mean?",
        "limits": "But little could be checked:",
        "unexplained": "Yet the run failed — observed, but not explained by any cause the "
                       "evidence establishes:",
        "choice_waiting": "The question above still waits: type its number (1–{n}), "
                          "or 0 for none of these.",
        "none_of_these": "None of these",
        "chose_none": "None of these",
        "yes": "Yes",
        "no": "No",
        "dont_know": "Don't know",
        "why": "Why?",
        "skip": "Skip",
        "submit": "Answer",
        "how": "How?",
        "skipped": "(skipped)",
        "question_n": "question {n}",
        "why_title": "Why I ask",
        "how_title": "How I concluded **{title}**",
        "how_none": "No rule supports this cause.",
        "how_from_rule": "concluded by the rule below",
        "how_from_symptom": "from your description",
        "how_from_user": "your answer",
        "report_intro": "Here is what I conclude from what I know:",
        "report_hint": (
            "Press **h** on a diagnosis to see how I got there; **ctrl+r** exports the report."
        ),
        "no_problem": (
            "No rule concluded a cause from what I know. Tell me more about what you see, "
            "or attach {missing} (**ctrl+o**) so I can measure it."
        ),
        "no_problem_all": (
            "No rule concluded a cause from what I know. Tell me more about what you see."
        ),
        "missing_checkpoint": "a checkpoint",
        "missing_log": "a metrics log",
        "missing_live": "a model factory and a batch",
        "missing_or": " or ",
        "missing_and": ", ",
        "no_fault": (
            "No fault is established: nothing I measured or you told me is explained by a "
            "cause strongly enough."
        ),
        "possible_intro": "Possible, not established (nothing observed that they would explain "
                          "yet, or a stronger cause explains it):",
        "explained_by": "explained by {title}",
        "advice_intro": "Practice notes (advice; they explain nothing that was observed):",
        "done_reason": "I have nothing more to ask.",
        "evidence": "Evidence",
        "ev_for": "for",
        "ev_against": "against",
        "fixes": "What to change",
        "sources": "Sources",
        "confidence": "confidence",
        "loss_curves": "loss curves",
        "plot_step": "step",
        "plot_epoch": "epoch",
        "probe_running": "Running: {title}",
        "probe_cancel": "Cancel (esc)",
        "probe_failed": "A check failed — **{title}**: {error}",
        "probe_cancelled": (
            "Cancelled **{title}**. Probes are paused; attach a file to resume them."
        ),
        "probe_stopped_after": (
            "**{title}** had finished when you pressed esc: its findings are kept, and the "
            "next probes are paused (the palette's “Run the probes again” resumes them)."
        ),
        "probe_done": "**{title}** ({seconds:.1f} s) found:",
        "probe_nothing": "**{title}** found nothing the rules can use.",
        "busy": "A probe is running: wait for it or press esc to cancel it.",
        "busy_kept": "A probe is running: what you typed stays here; press enter again once "
                     "it is done, or esc to cancel it.",
        "undone": "Took back: {what}",
        "nothing_to_undo": "Nothing to undo.",
        "restarted": "Started over. The attached files and what they showed are kept.",
        "confirm_restart": "Forget every answer and start over?",
        "confirm_resume": "Resume your last session ({when}: {what})?",
        "resume_summary": "things you said or answered: {n}, files: {files}",
        "resume_summary_named": "things you said or answered: {n}, files: {names}",
        "resumed": "Resumed the session. So far:",
        "autosave_kept": "The last session is kept in {path}: `dldoctor chat --resume {path}` "
                         "opens it.",
        "trust_in_chat": (
            "The chat takes no flags: if you trust the file, start it again as "
            "`dldoctor chat --checkpoint {path} --trust-checkpoint`."
        ),
        "left_out": (
            "{n} of the saved answers name facts or symptoms these rules do not have "
            "({keys}); they are left out."
        ),
        "model_withheld": (
            "The saved session names the model `{model}`; it is not imported, since that would "
            "run its code. Attach it again (**ctrl+o**) to run the live checks."
        ),
        "so_far": "So far I know:",
        "ok": "OK",
        "cancel": "Cancel",
        "lang_switched": "Now speaking English.",
        "saved": "Session saved to {path}",
        "exported": "Report written to {path}",
        "save_title": "Save the session to",
        "export_title": "Write the report (Markdown) to",
        "write_failed": "Could not write {path}: {error}",
        "autosave_failed": "Autosave failed: {error}",
        "attach_title": "Attach a file",
        "attach_kind": "What is it?",
        "attach_path": "Path (tab completes)",
        "attach_model_path": "FILE.py:FACTORY or MODULE:FACTORY",
        "kind_checkpoint": "checkpoint",
        "kind_log": "log",
        "kind_model": "model",
        "kind_batch": "batch",
        "kind_trace": "trace",
        "attached": "Attached ({kind}): `{value}`",
        "attached_log_found": "and the metrics log found with it: {names}",
        "attach_missing": "{path}: no such file or directory",
        "attach_dangling": "{path}: a symbolic link that leads nowhere (a loop, or its target "
                           "is gone)",
        "attach_bad_model": "give FILE.py:FACTORY or MODULE:FACTORY",
        "attach_needs_pair": "The live probes need both a model factory and a batch.",
        "reloaded": "Rules reloaded: {rules} rules, {causes} causes.",
        "reload_failed": "Rules not reloaded",
        "why_none": "No question is waiting.",
        "checked_fine": "Checked, and not the case: {facts}.",
        "checked_more": "and {n} more (the exported report lists them)",
        "checked_untold": "Could not tell from these files: {facts}.",
        "readings_more": "and {n} more readings (the exported report lists them)",
        "why_more": "…and {n} more rules read this answer (`dldoctor kb explain {fact}` "
                    "lists them all).",
        "why_more_one": "…and 1 more rule reads this answer (`dldoctor kb explain {fact}` "
                        "lists them all).",
        "how_none_pending": "No diagnosis yet.",
        "why_no_diagnosis": "No cause is established yet, so there is no conclusion to "
                            "explain: a cause becomes a diagnosis once something it explains "
                            "was observed or measured. Attach the checkpoint, log, model or "
                            "batch (ctrl+o), answer the questions, or describe what you see "
                            "in other words.",
        "inputs": "inputs",
        "no_inputs": "no files attached",
        # bindings and commands
        "bind.attach": "Attach",
        "bind.undo": "Undo",
        "bind.restart": "New",
        "bind.save": "Save",
        "bind.export": "Report",
        "bind.toggle_lang": "中文",
        "bind.cancel_probe": "Cancel",
        "bind.quit": "Quit",
        "bind.yes": "Yes",
        "bind.no": "No",
        "bind.dont_know": "Don't know",
        "bind.why": "Why?",
        "bind.skip": "Skip",
        "bind.how": "How?",
        "bind.choose": "Choose",
        "cmd.attach": "Attach a checkpoint, log, model or batch",
        "cmd.undo": "Undo the last answer",
        "cmd.restart": "Start over",
        "cmd.save": "Save the session",
        "cmd.export": "Export the report as Markdown",
        "cmd.toggle_lang": "切换到中文 (switch to Chinese)",
        "cmd.why": "Why is this question asked?",
        "cmd.how": "How was the top diagnosis reached?",
        "cmd.cancel_probe": "Cancel the running probe",
        "cmd.run_probes": "Run the probes again",
        "conclude_nothing": "Tell me what goes wrong first (or attach a file with ctrl+o).",
        "concluding": "Concluding from what I know now; say more, or undo, to go on.",
        "unconcluded": "The conclusion is taken back; the questions go on.",
        "concluded_already": "The report shown is already the conclusion; say more, or undo, "
                             "to go on.",
        "copy_code": "Copy code",
        "number_hint": "a number, ? = don't know",
        "copied": "Copied the code ({lines} lines) to the clipboard.",
        "nothing_to_copy": "This diagnosis has no code to copy.",
        "quit_hint": "Press [b]{keys}[/b] to quit dldoctor (your session is saved).",
        "quit_title": "Quit?",
        "resuming": "Loading the last session…",
        "thinking": "Thinking…",
        "palette_search": "Search for commands…",
        "overwrite": "{path} exists. Overwrite it?",
        "enter_esc": "enter ↵ write · esc ✕ cancel",
        "bind.conclude": "Conclude",
        "bind.copy": "Copy code",
        "bind.command_palette": "palette",
        "bind.confirm_yes": "Yes",
        "bind.confirm_no": "No",
        "bind.dismiss": "Cancel",
        "cmd.conclude": "Conclude now: show the diagnosis from what is known",
        "cmd.copy_snippets": "Copy the code of a diagnosis's fixes",
        "cmd.quit": "Quit",
    },
    "zh": {
        "title": "dldoctor",
        "you": "你",
        "doctor": "dldoctor",
        "notice": "提示",
        "greeting": (
            "你好！请用自己的话描述训练出了什么问题（中文或 English），"
            "例如 *loss 几步之后变成 nan*。\n\n"
            "也可以按 **ctrl+o** 添加 checkpoint、训练日志或模型和 batch，我会自己去检查。"
        ),
        "placeholder": "描述问题，例如“loss 变成 nan”…",
        "placeholder_answer": "在这里回答，或描述其他现象…",
        "asked": "“{question}”读作一个疑问，所以我没有把它当作你观察到的现象：猜测不是证据。"
                 "请告诉我发生了什么，或者附上文件（**ctrl+o**）让我来检查。",
        "asked_measured": "“{question}”读作一个疑问，所以我没有把它当作你观察到的现象："
                          "猜测不是证据。我依据的是你附上的文件——诊断说明了它们显示的情况"
                          "（问“*为什么？*”可以看我是怎样得出结论的）；如果你还看到了别的，"
                          "请告诉我。",
        "no_match": "我没能把这句话对应到已知的症状。换一种说法试试，例如：",
        "took": "明白了：**{symptoms}**。",
        "overruled": "不过文件测得的结果与之不符：**{what}** 在文件中并不成立——"
                     "我以测量为准（见报告中的备注）。",
        "nothing_examined": "**还什么都没有检查**：没有测量任何文件，也没有理解任何症状，"
                            "所以我对你的训练什么也说不了——这不代表一切正常。",
        "close_call": "你指的是哪一个？",
        "limits": "不过能检查的很少：",
        "unexplained": "但训练确实失败了——已观察到，却没有任何已确立的原因能解释：",
        "choice_waiting": "上面的问题还在等你选择：输入它的编号（1–{n}），都不是请输入 0。",
        "none_of_these": "都不是",
        "chose_none": "都不是",
        "yes": "是",
        "no": "否",
        "dont_know": "不知道",
        "why": "为什么？",
        "skip": "跳过",
        "submit": "回答",
        "how": "怎么得出的？",
        "skipped": "（已跳过）",
        "question_n": "第 {n} 问",
        "why_title": "为什么问这个",
        "how_title": "如何得出 **{title}**",
        "how_none": "没有规则支持这个原因。",
        "how_from_rule": "由下面的规则推出",
        "how_from_symptom": "来自你的描述",
        "how_from_user": "你的回答",
        "report_intro": "根据目前的信息，我的结论是：",
        "report_hint": "在诊断上按 **h** 查看推理过程；按 **ctrl+r** 导出报告。",
        "no_problem": (
            "根据已知信息，没有规则得出任何原因。请再多描述一些现象，"
            "或按 **ctrl+o** 添加{missing}让我检查。"
        ),
        "no_problem_all": "根据已知信息，没有规则得出任何原因。请再多描述一些现象。",
        "missing_checkpoint": "checkpoint",
        "missing_log": "训练日志",
        "missing_live": "模型工厂函数和 batch",
        "missing_or": "或",
        "missing_and": "、",
        "no_fault": "没有确立的故障：我测到的和你告诉我的现象，都没有被某个原因足够有力地解释。",
        "possible_intro": "可能但未确立（尚未观察到它们能解释的现象，或已由更有力的原因解释）：",
        "explained_by": "已由“{title}”解释",
        "advice_intro": "实践建议（不解释任何已观察到的现象）：",
        "done_reason": "我没有其他问题了。",
        "evidence": "证据",
        "ev_for": "支持",
        "ev_against": "反对",
        "fixes": "修改建议",
        "sources": "出处",
        "confidence": "置信度",
        "loss_curves": "loss 曲线",
        "plot_step": "步",
        "plot_epoch": "轮",
        "probe_running": "正在运行：{title}",
        "probe_cancel": "取消 (esc)",
        "probe_failed": "一项检查失败——**{title}**：{error}",
        "probe_cancelled": "已取消 **{title}**。检查已暂停；添加文件后会继续。",
        "probe_stopped_after": "按下 esc 时 **{title}** 已经完成：保留它的发现，后续检查已暂停"
                               "（命令面板中的“重新运行检查”可继续）。",
        "probe_done": "**{title}**（{seconds:.1f} 秒）发现：",
        "probe_nothing": "**{title}** 没有发现规则可用的信息。",
        "busy": "检查正在运行：请稍候，或按 esc 取消。",
        "busy_kept": "检查正在运行：你输入的内容保留在这里；完成后再按 enter 发送，"
                     "或按 esc 取消检查。",
        "undone": "已撤销：{what}",
        "nothing_to_undo": "没有可以撤销的回答。",
        "restarted": "已重新开始。已添加的文件及其检查结果保留。",
        "confirm_restart": "忘掉所有回答，重新开始？",
        "confirm_resume": "继续上一次的会话（{when}：{what}）？",
        "resume_summary": "{n} 条描述或回答，{files} 个文件",
        "resume_summary_named": "{n} 条描述或回答，文件：{names}",
        "resumed": "已恢复会话。目前已知：",
        "autosave_kept": "上一次的会话保存在 {path}：`dldoctor chat --resume {path}` 可以打开它。",
        "trust_in_chat": (
            "聊天界面里没法加参数：如果信任这个文件，请这样重新启动："
            "`dldoctor chat --checkpoint {path} --trust-checkpoint`。"
        ),
        "left_out": "保存的回答中有 {n} 个所指的事实或症状在当前规则里不存在（{keys}），已略去。",
        "model_withheld": (
            "保存的会话指定了模型 `{model}`；没有导入它，因为导入会执行它的代码。"
            "如需运行模型检查，请再次添加它（**ctrl+o**）。"
        ),
        "so_far": "目前已知：",
        "ok": "确定",
        "cancel": "取消",
        "lang_switched": "现在使用中文。",
        "saved": "会话已保存到 {path}",
        "exported": "报告已写入 {path}",
        "save_title": "会话保存到",
        "export_title": "报告（Markdown）写入",
        "write_failed": "无法写入 {path}：{error}",
        "autosave_failed": "自动保存失败：{error}",
        "attach_title": "添加文件",
        "attach_kind": "文件类型",
        "attach_path": "路径（tab 补全）",
        "attach_model_path": "FILE.py:FACTORY 或 MODULE:FACTORY",
        "kind_checkpoint": "checkpoint",
        "kind_log": "日志",
        "kind_model": "模型",
        "kind_batch": "batch",
        "kind_trace": "训练轨迹",
        "attached": "已添加（{kind}）：`{value}`",
        "attached_log_found": "以及与它放在一起的训练日志：{names}",
        "attach_missing": "{path}：文件或目录不存在",
        "attach_dangling": "{path}：符号链接指向不存在的位置（循环链接或目标已删除）",
        "attach_bad_model": "请写成 FILE.py:FACTORY 或 MODULE:FACTORY",
        "attach_needs_pair": "运行模型的检查需要同时提供模型工厂函数和 batch。",
        "reloaded": "规则已重新加载：{rules} 条规则，{causes} 个原因。",
        "reload_failed": "规则未重新加载",
        "why_none": "当前没有待回答的问题。",
        "checked_fine": "已检查，均未出现：{facts}。",
        "checked_more": "另有 {n} 项（导出的报告会全部列出）",
        "checked_untold": "从这些文件无法判断：{facts}。",
        "readings_more": "另有 {n} 项读数（导出的报告会全部列出）",
        "why_more": "……另有 {n} 条规则用到这个回答（`dldoctor kb explain {fact}` 会全部列出）。",
        "why_more_one": "……另有 1 条规则用到这个回答（`dldoctor kb explain {fact}` 会全部列出）。",
        "how_none_pending": "还没有诊断。",
        "why_no_diagnosis": "还没有确立任何原因，所以没有可以解释的结论：某个原因只有在它能解释的"
                            "现象被观察到或测量到之后，才会成为诊断。请附上 checkpoint、日志、"
                            "模型或 batch（ctrl+o），回答问题，或换个说法描述你看到的现象。",
        "inputs": "输入",
        "no_inputs": "未添加文件",
        "bind.attach": "添加",
        "bind.undo": "撤销",
        "bind.restart": "重来",
        "bind.save": "保存",
        "bind.export": "报告",
        "bind.toggle_lang": "English",
        "bind.cancel_probe": "取消检查",
        "bind.quit": "退出",
        "bind.yes": "是",
        "bind.no": "否",
        "bind.dont_know": "不知道",
        "bind.why": "为什么",
        "bind.skip": "跳过",
        "bind.how": "推理",
        "bind.choose": "选择",
        "cmd.attach": "添加 checkpoint、日志、模型或 batch",
        "cmd.undo": "撤销上一个回答",
        "cmd.restart": "重新开始",
        "cmd.save": "保存会话",
        "cmd.export": "导出 Markdown 报告",
        "cmd.toggle_lang": "Switch to English (切换到英文)",
        "cmd.why": "为什么问这个问题？",
        "cmd.how": "首要诊断是怎么得出的？",
        "cmd.cancel_probe": "取消正在运行的检查",
        "cmd.run_probes": "重新运行检查",
        "conclude_nothing": "请先描述出了什么问题（或按 ctrl+o 添加文件）。",
        "concluding": "根据目前已知的信息给出结论；补充信息或撤销可以继续。",
        "unconcluded": "已收回结论，继续提问。",
        "concluded_already": "已显示的报告就是结论；补充信息或撤销可以继续。",
        "copy_code": "复制代码",
        "number_hint": "一个数字，? = 不知道",
        "copied": "已复制代码（{lines} 行）到剪贴板。",
        "nothing_to_copy": "这个诊断没有可复制的代码。",
        "quit_hint": "按 [b]{keys}[/b] 退出 dldoctor（会话已保存）。",
        "quit_title": "要退出吗？",
        "resuming": "正在加载上一次的会话…",
        "thinking": "正在思考…",
        "palette_search": "搜索命令…",
        "overwrite": "{path} 已存在。要覆盖吗？",
        "enter_esc": "enter ↵ 写入 · esc ✕ 取消",
        "bind.conclude": "结论",
        "bind.copy": "复制代码",
        "bind.command_palette": "命令",
        "bind.confirm_yes": "是",
        "bind.confirm_no": "否",
        "bind.dismiss": "取消",
        "cmd.conclude": "现在下结论：根据已知信息给出诊断",
        "cmd.copy_snippets": "复制诊断中修改建议的代码",
        "cmd.quit": "退出",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    """The UI string ``key`` in ``lang`` (English when missing), formatted with ``values``."""
    table = STRINGS.get(lang, STRINGS["en"])
    text = table.get(key) or STRINGS["en"][key]
    return text.format(**values) if values else text


def other_lang(lang: str) -> Lang:
    return "en" if lang == "zh" else "zh"


def relabel_bindings(node: DOMNode, lang: str) -> None:
    """Show ``node``'s bindings in ``lang``: a binding's ``id`` names its string ``bind.<id>``.

    Textual keeps one copy of the bindings per node, so replacing the descriptions there
    changes only this node's footer entries.
    """
    bindings = node._bindings.key_to_bindings  # noqa: SLF001 - no public API to relabel
    changed = False
    for key, entries in bindings.items():
        relabelled = [
            replace(b, description=t(lang, f"bind.{b.id}"))
            if b.id and f"bind.{b.id}" in STRINGS["en"] else b
            for b in entries
        ]
        if relabelled != entries:
            bindings[key] = relabelled
            changed = True
    if changed:  # the footer rebuilds itself on every refresh: only when needed
        node.refresh_bindings()
